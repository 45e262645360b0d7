"""What the site offers besides its pages: compact JSON-LD and N3 documents, schema.org JSON-LD and
meta data in every page, robots.txt and the sitemap, the browsers' error pages, the favicon, and
dumps made from the store when there is no build."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph
from rdflib.compare import isomorphic

from rlskg.service import close_app, create_app
from tests.support.browser import BROWSER
from tests.support.service import DATA

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _graph(data: bytes, media_type: str) -> Graph:
    fmt = ox.RdfFormat.from_media_type(media_type)
    assert fmt is not None
    lines = ox.serialize(ox.parse(data, format=fmt), format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=lines.decode(), format="nt")


@pytest.mark.parametrize("path", ["/doc/ontology/Iron", "/doc/id/source/nhs", "/dataset"])
def test_get_json_ld_is_compact_with_a_context_and_the_same_triples(client: FlaskClient, path: str) -> None:
    compact = client.get(path, headers={"Accept": "application/ld+json"})
    assert compact.status_code == 200 and compact.mimetype == "application/ld+json"
    document = json.loads(compact.data)
    assert document["@context"]["rdfs"] == "http://www.w3.org/2000/01/rdf-schema#"
    assert "rdfs:label" in compact.get_data(as_text=True)  # keys are CURIEs, not full IRIs
    assert "http://www.w3.org/2000/01/rdf-schema#label" not in compact.get_data(as_text=True)
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert isomorphic(_graph(compact.data, "application/ld+json"), _graph(turtle.data, "text/turtle"))


def test_get_document_declares_only_the_prefixes_it_uses(client: FlaskClient) -> None:
    turtle = client.get("/doc/ontology/Leg", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    declared = re.findall(r"@prefix (\w*):", turtle)
    assert "rls" in declared and "sh" not in declared and "vann" not in declared


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/doc/ontology/IronDeficiency", "text/n3"),
        ("/doc/ontology/IronDeficiency.n3", BROWSER),
        ("/doc/ontology", "text/n3"),
    ],
)
def test_get_document_as_n3(client: FlaskClient, path: str, accept: str) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == "text/n3"
    graph = _graph(response.data, "text/n3")
    assert len(graph) > 10


def _embedded(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.mark.parametrize(
    ("path", "kind", "canonical"),
    [
        ("/", "Dataset", "http://localhost/"),
        ("/doc/ontology/Iron", "WebPage", "http://localhost/doc/ontology/Iron"),
        ("/doc/ontology/Iron.html", "WebPage", "http://localhost/doc/ontology/Iron"),
        ("/doc/id/source/nhs", "WebPage", "http://localhost/doc/id/source/nhs"),
        ("/dataset", "Dataset", "http://localhost/dataset"),
    ],
)
def test_get_page_has_schema_org_json_ld_a_description_and_a_canonical_link(
    client: FlaskClient, path: str, kind: str, canonical: str
) -> None:
    page = client.get(path, headers={"Accept": BROWSER}).get_data(as_text=True)
    schema = _embedded(page)
    assert schema["@context"] == "https://schema.org" and schema["@type"] == kind
    assert f'<link rel="canonical" href="{canonical}">' in page
    description = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert description is not None and len(description.group(1)) > 30


def test_schema_org_says_what_a_page_is_about(client: FlaskClient) -> None:
    rls = _embedded(
        client.get("/doc/ontology/RestlessLegsSyndrome", headers={"Accept": BROWSER}).get_data(as_text=True)
    )
    assert rls["about"]["@type"] == "DefinedTerm" and rls["about"]["name"] == "restless legs syndrome"
    assert "http://purl.obolibrary.org/obo/MONDO_0005391" in rls["about"]["sameAs"]
    nhs = _embedded(client.get("/doc/id/source/nhs", headers={"Accept": BROWSER}).get_data(as_text=True))
    assert nhs["about"]["@type"] == "MedicalWebPage"  # the type the data gives the source
    home = _embedded(client.get("/", headers={"Accept": BROWSER}).get_data(as_text=True))
    assert {d["contentUrl"] for d in home["distribution"]} == {
        "http://localhost/download/dataset.nq",
        "http://localhost/download/dataset.trig",
    }


def test_get_robots_txt_keeps_crawlers_off_the_query_routes(client: FlaskClient) -> None:
    text = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /sparql\n" in text and "Disallow: /query?\n" in text
    assert "Sitemap: http://localhost/sitemap.xml" in text


def test_get_sitemap_lists_the_pages_and_each_answers(client: FlaskClient) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    urls = [loc.text or "" for loc in ET.fromstring(response.data).iter(SITEMAP + "loc")]
    assert "http://localhost/doc/ontology/RestlessLegsSyndrome" in urls and "http://localhost/" in urls
    assert len(urls) > 500 and not any("/.well-known/" in u or "/query?" in u for u in urls)
    for url in urls[:: max(1, len(urls) // 40)]:
        assert client.get(url, headers={"Accept": BROWSER}).status_code == 200, url


@pytest.mark.parametrize("path", ["/nosuch/page", "/ontology/RestlessLegsSyndrome/", "/static/nothing.css"])
def test_get_unknown_route_is_an_html_page_for_browsers(client: FlaskClient, path: str) -> None:
    page = client.get(path, headers={"Accept": BROWSER})
    assert page.status_code == 404 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "<h1>Not found</h1>" in text and 'rel="icon"' in text and 'href="/search"' in text
    if path.endswith("/"):
        assert 'href="/ontology/RestlessLegsSyndrome"' in text  # without the slash
    assert client.get(path, headers={"Accept": "application/json"}).mimetype == "application/json"
    assert client.get(path).mimetype == "text/plain"


def test_get_wrong_case_term_suggests_the_term(client: FlaskClient) -> None:
    page = client.get("/ontology/restlesslegssyndrome", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert 'href="/ontology/RestlessLegsSyndrome"' in page


def test_browser_errors_are_pages_that_say_what_to_do(client: FlaskClient) -> None:
    select = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    asked = {"query": select, "format": "ttl"}
    wrong = client.get("/sparql", query_string=asked, headers={"Accept": BROWSER})
    assert wrong.status_code == 406 and wrong.mimetype == "text/html"
    assert "CONSTRUCT" in wrong.get_data(as_text=True)
    broken = client.get("/sparql", query_string={"query": "SELECT"}, headers={"Accept": BROWSER})
    assert broken.status_code == 400 and broken.mimetype == "text/html"


def test_get_favicon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    response.close()


@pytest.fixture
def files_app() -> Iterator[Flask]:
    """An app over data files, without a build folder."""
    application = create_app({"DATA": [str(DATA)], "POOL_SIZE": 0, "ACCESS_LOG": False})
    yield application
    close_app(application)


def test_get_dump_without_a_build_is_made_from_the_store(files_app: Flask) -> None:
    client = files_app.test_client()
    dump = client.get("/download/dataset.nq", headers={"Accept-Encoding": "identity"})
    assert dump.status_code == 200 and dump.mimetype == "application/n-quads"
    store = ox.Store()
    store.load(dump.data, format=ox.RdfFormat.N_QUADS)
    assert len(store) == files_app.extensions["rlskg"].store.stats().triples
    void = client.get("/dataset", headers={"Accept": "text/turtle"})
    assert void.status_code == 200 and b"void:dataDump" in void.data
    for graph in files_app.extensions["rlskg"].store.named_graphs():
        path = "/" + graph.removeprefix("https://w3id.org/rlskg/")
        if graph.startswith("https://w3id.org/rlskg/graph/"):
            followed = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=True)
            assert followed.status_code == 200, path
    assert client.get("/dataset", headers={"Accept": BROWSER}).status_code == 200


def test_docs_of_the_site_modules_run(built_dataset: Path) -> None:
    import doctest

    from rlskg.service import rdf
    from rlskg.service.pages import dataset, document, meta, search

    for module in (dataset, document, meta, rdf, search):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
