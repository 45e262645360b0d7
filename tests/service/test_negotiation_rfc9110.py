"""Content negotiation as RFC 9110 has it, and as real clients send it (reviews/clients.md P1, P2).

Before: a media type with any parameter in Accept (``text/turtle; charset=utf-8``, a JSON-LD
``profile``) was a 406 on every route; SPARQLWrapper's ``format=rdf+xml&format=application/rdf+xml``
was a 400 by GET and ignored by POST; an empty 204 said ``Content-Type: text/html``.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from tests.support.service import GRAPH, RLS, bearer

ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
COMPACTED = 'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"'


@pytest.mark.parametrize(
    ("path", "accept", "expected"),
    [
        ("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "application/sparql-results+json; charset=utf-8",
         "application/sparql-results+json"),
        ("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "text/csv;q=1.0;foo=bar", "text/csv"),
        ("/doc/ontology/RestlessLegsSyndrome", "text/turtle; charset=utf-8", "text/turtle"),
        ("/doc/ontology/RestlessLegsSyndrome", COMPACTED, "application/ld+json"),
        (f"/store?graph={GRAPH}nhs", COMPACTED, "application/ld+json"),
        (f"/store?graph={GRAPH}nhs", "application/n-triples; charset=utf-8", "application/n-triples"),
        ("/service-description", "text/turtle;q=1.0;foo=bar", "text/turtle"),
    ],
)  # fmt: skip
def test_accept_parameters_never_cause_a_406(
    client: FlaskClient, path: str, accept: str, expected: str
) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, response.data[:200]
    assert response.mimetype == expected


def test_every_format_value_is_tried_and_get_and_post_agree(client: FlaskClient) -> None:
    """SPARQLWrapper repeats format= with its short name, then the media type."""
    formats = [("format", "rdf+xml"), ("format", "application/rdf+xml")]
    by_get = client.get("/sparql", query_string=[("query", CONSTRUCT), *formats])
    form = MultiDict([("query", CONSTRUCT), *formats])
    by_post = client.post("/sparql", data=form)
    assert by_get.status_code == by_post.status_code == 200, by_get.data[:200]
    assert by_get.mimetype == by_post.mimetype == "application/rdf+xml"


def test_an_unknown_format_is_still_a_400(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string=[("query", ASK), ("format", "nope"), ("format", "nada")])
    assert response.status_code == 400 and b"unknown format" in response.data


def test_an_answer_without_a_body_says_no_content_type(writer: FlaskClient) -> None:
    update = writer.post(
        "/update", data={"update": f"INSERT DATA {{ <{RLS}a> <{RLS}b> 1 }}"}, headers=bearer()
    )
    written = writer.put(
        f"/store?graph={GRAPH}new",
        data="<http://ex/a> <http://ex/b> 1 .",
        content_type="text/turtle",
        headers=bearer(),
    )
    assert update.status_code == 204 and written.status_code == 201
    assert "Content-Type" not in update.headers and "Content-Type" not in written.headers
