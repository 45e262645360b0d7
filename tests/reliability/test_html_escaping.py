"""Script in labels, IRIs and paths never reaches a browser unescaped, on whichever routes exist.

The HTML pages are being added alongside this suite: the test walks the app's URL map, so each
GET route is asked for HTML, with hostile data in the store and hostile text in the path.
"""

from __future__ import annotations

import re
import urllib.parse

from flask import Flask

from tests.support.service import bearer

PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
LABEL = PAYLOAD.replace('"', '\\"')
EVIL = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/rlskg/ontology/Evil> rdfs:label "{LABEL}"@en ; rdfs:comment "{LABEL}" .
<https://w3id.org/rlskg/id/source/evil> rdfs:label "{LABEL}" .
""".encode()
UNSAFE = re.compile(r"<script>alert\(1\)|<img src=x onerror", re.IGNORECASE)


def _paths(application: Flask) -> list[str]:
    paths = []
    for rule in application.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        values = {name: "Evil" for name in rule.arguments}
        if "kind" in values:
            values["kind"] = "source"
        try:
            built = rule.build(values, append_unknown=False) if values else ("", rule.rule)
        except Exception:  # a converter that refuses our values: skip the route
            continue
        if built is None:
            continue
        path = built[1]
        paths.append(path)
        paths.append(path + ("&" if "?" in path else "?") + "q=" + urllib.parse.quote(PAYLOAD))
    paths += ["/" + urllib.parse.quote(PAYLOAD), "/sparql?query=" + urllib.parse.quote(PAYLOAD)]
    return paths


def test_html_responses_escape_script_in_data_and_paths(writable_app: Flask) -> None:
    client = writable_app.test_client()
    response = client.put(
        "/store?graph=https://w3id.org/rlskg/graph/evil",
        data=EVIL,
        content_type="text/turtle",
        headers=bearer(),
    )
    assert response.status_code == 201, response.data
    checked = 0
    for path in _paths(writable_app):
        for accept in ("text/html", "text/html,application/xhtml+xml,*/*;q=0.8"):
            answer = client.get(path, headers={"Accept": accept})
            assert answer.status_code < 500, (path, answer.status_code, answer.data[:300])
            if answer.mimetype in ("text/html", "application/xhtml+xml"):
                checked += 1
                assert not UNSAFE.search(answer.get_data(as_text=True)), path
            else:  # anything else is not rendered as a page; errors are plain text or JSON
                assert answer.mimetype != "text/html"
    print(f"{checked} HTML responses checked")


def test_error_pages_are_not_html_and_echo_no_markup_as_html(writable_app: Flask) -> None:
    client = writable_app.test_client()
    for path in ("/" + urllib.parse.quote(PAYLOAD), "/sparql?query=" + urllib.parse.quote(PAYLOAD)):
        answer = client.get(path, headers={"Accept": "text/html"})
        assert answer.status_code in (400, 404, 406)
        assert answer.mimetype in ("text/plain", "application/json", "text/html")
        if answer.mimetype == "text/html":
            assert not UNSAFE.search(answer.get_data(as_text=True))
        assert answer.headers.get("X-Content-Type-Options", "nosniff") == "nosniff"
