"""Linked-data pages over the shipped data: 303s, content negotiation, suffixes, 404s, the pages."""

from __future__ import annotations

import doctest
import importlib

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from rlskg.service.pages.diagram import COLOURS, DASHES, DENIED_COLOUR
from rlskg.service.pages.document import neighbourhood
from rlskg.service.pages.view import Link, Page, Row
from tests.support.browser import BROWSER

RLS = "https://w3id.org/rlskg/ontology/"
FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}


def parse(data: bytes, media_type: str) -> Graph:
    """rdflib's JSON-LD parser warns (ConjunctiveGraph): read every format with Oxigraph."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    assert fmt is not None
    triples = ox.serialize(ox.parse(data, format=fmt), format=ox.RdfFormat.N_QUADS) or b""
    return Graph().parse(data=triples, format="nt")


@pytest.mark.parametrize(
    "name",
    ["service.pages.describe", "service.pages.xref", "service.pages.diagram", "service.pages.document"],
)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize(
    "path",
    [
        "/ontology/RestlessLegsSyndrome",
        "/id/source/nhs",
        "/ontology",
        "/ontology/",
        "/id/association/verywell-primary-r-l-s-form-of-restless-legs-syndrome",
    ],
)
def test_get_local_iri_is_303_to_its_document(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/doc" + path.rstrip("/")
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(
    "path", ["/ontology/NoSuchTerm", "/id/source/nowhere", "/id/elephant/x", "/doc/id/work/nope"]
)
def test_get_unknown_iri_is_404_with_a_page(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert b"Not found" in response.data
    plain = client.get(path, headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.mimetype == "text/plain"


@pytest.mark.parametrize("media_type", list(FORMATS))
def test_get_document_negotiates_rdf(client: FlaskClient, media_type: str) -> None:
    response = client.get("/doc/ontology/RestlessLegsSyndrome", headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    graph = parse(response.data, media_type)
    rls = URIRef(RLS + "RestlessLegsSyndrome")
    assert (rls, RDF.type, OWL.Class) in graph
    # its association nodes, with their figures and the labels of what they link to
    claims = set(graph.subjects(URIRef(RLS + "object"), rls))
    assert len(claims) > 100
    assert any(
        graph.value(fig, URIRef(RLS + "minValue")) for fig in graph.objects(None, URIRef(RLS + "hasFigure"))
    )
    assert (
        URIRef(RLS + "IronDeficiency"),
        URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
        Literal("iron deficiency", lang="en"),
    ) in graph


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [
        (".ttl", "text/turtle"),
        (".jsonld", "application/ld+json"),
        (".rdf", "application/rdf+xml"),
        (".nt", "application/n-triples"),
        (".html", "text/html"),
    ],
)
def test_get_document_suffix_overrides_accept(client: FlaskClient, suffix: str, media_type: str) -> None:
    response = client.get(
        "/doc/id/source/nhs" + suffix, headers={"Accept": BROWSER if suffix != ".html" else "text/turtle"}
    )
    assert response.status_code == 200 and response.mimetype == media_type


def test_get_document_for_browser_is_html_and_for_wildcard_is_turtle(client: FlaskClient) -> None:
    assert client.get("/doc/id/source/nhs", headers={"Accept": BROWSER}).mimetype == "text/html"
    assert client.get("/doc/id/source/nhs").mimetype == "text/turtle"
    assert client.get("/doc/id/source/nhs", headers={"Accept": "image/png"}).status_code == 406


def test_get_document_is_cached_by_etag(client: FlaskClient) -> None:
    first = client.get("/doc/ontology/Leg", headers={"Accept": "text/turtle"})
    again = client.get(
        "/doc/ontology/Leg", headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_get_ontology_document_is_docs_for_browsers_and_owl_for_programs(client: FlaskClient) -> None:
    turtle = client.get("/doc/ontology", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    graph = Graph().parse(data=turtle.data, format="turtle")
    assert (URIRef("https://w3id.org/rlskg/ontology"), RDF.type, OWL.Ontology) in graph
    html = client.get("/doc/ontology", headers={"Accept": BROWSER})
    assert html.status_code == 200 and b"pyLODE" in html.data and b"restless legs syndrome" in html.data


def test_get_rls_page_shows_what_a_term_is(client: FlaskClient) -> None:
    page = client.get("/doc/ontology/RestlessLegsSyndrome", headers={"Accept": BROWSER}).get_data(
        as_text=True
    )
    assert "<h1>restless legs syndrome</h1>" in page
    assert "Willis-Ekbom disease" in page and "hard to resist need to move the legs" in page
    assert 'href="http://purl.obolibrary.org/obo/MONDO_0005391"' in page
    assert 'href="https://meshb.nlm.nih.gov/record/ui?ui=D012148"' in page
    assert "<li>ICD10CM:G25.81</li>" in page  # no official page per code: plain text
    assert 'href="/ontology/PrimaryRLS"' in page and 'href="/ontology/SleepRelatedMovementDisorder"' in page
    assert 'href="/id/source/verywell"' in page and "percent" in page  # sourced rows with figures
    assert 'class="query-link" href="/query?query=' in page
    assert "<svg" in page


def test_get_source_page_lists_claims_by_section_and_cited_works(client: FlaskClient) -> None:
    page = client.get("/doc/id/source/verywell", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "Claims, by section (83)" in page
    assert "<h3>Multiple Sclerosis (MS)</h3>" in page
    assert 'href="https://doi.org/10.1002/14651858.CD007834.pub3"' in page


def test_get_home_is_a_page_for_browsers_and_the_service_description_for_programs(
    client: FlaskClient,
) -> None:
    page = client.get("/", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert "A knowledge graph of Restless Legs Syndrome" in page
    assert "distinct subjects" in page and "https://w3id.org/rlskg/graph/verywell" in page
    assert 'href="/id/source/nhs"' in page and 'href="/ontology/PrimaryRLS"' in page
    assert "<svg" in page
    rdf = client.get("/", headers={"Accept": "text/turtle"})
    assert rdf.mimetype == "text/turtle" and b"sd:Service" in rdf.data


def test_get_api_search_returns_labels(client: FlaskClient) -> None:
    found = client.get("/api/search?q=IRON&limit=3").get_json()
    assert len(found) == 3 and found[0] == {  # ChEBI's iron, which replaced rls:Iron
        "iri": "http://purl.obolibrary.org/obo/CHEBI_18248",
        "label": "iron atom",
        "type": found[0]["type"],
        "kind": "drug or chemical from CHEBI",
        "href": "/doc/obo/CHEBI_18248",
    }
    assert found[1] == {
        "iri": RLS + "IronDeficiency",
        "label": "iron deficiency",
        "type": found[1]["type"],
        "kind": "condition",
        "href": "/ontology/IronDeficiency",
    }
    assert client.get("/api/search?q=willis-ekbom").get_json()[0]["label"] == "restless legs syndrome"
    assert client.get("/api/search?q=").get_json() == []


@pytest.mark.parametrize("query", ["", "?q=iron&limit=0", "?q=iron&limit=500", "?q=iron&limit=x"])
def test_get_api_search_bad_parameters_is_400(client: FlaskClient, query: str) -> None:
    assert client.get("/api/search" + query).status_code == 400


def test_get_search_page_works_without_javascript(client: FlaskClient) -> None:
    page = client.get("/search?q=iron", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert 'href="/ontology/IronDeficiency"' in page and 'value="iron"' in page


def test_get_query_page_offers_the_examples(client: FlaskClient) -> None:
    page = client.get("/query").get_data(as_text=True)
    assert page.count("data-example=") == 35
    assert "/static/vendor/yasgui/yasgui.min.js" in page and "cdn" not in page.lower()
    chosen = client.get("/query?example=18-sources").get_data(as_text=True)
    assert "rls:Source" in chosen.split("<textarea", 1)[1].split("</textarea>", 1)[0]


def test_static_yasgui_is_vendored(client: FlaskClient) -> None:
    response = client.get("/static/vendor/yasgui/yasgui.min.js")
    assert response.status_code == 200 and len(response.data) > 100_000
    response.close()


def test_openapi_documents_the_search_api(client: FlaskClient) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    assert "q" in str(paths["/api/search"]) and "/doc/{path}" in paths


def _row(subject: str, predicate: str, strength: str, negated: bool = False) -> Row:
    def term(name: str) -> Link:
        return Link(name, f"/ontology/{name}", RLS + name)

    return Row(
        node=Link("claim"),
        subject=term(subject),
        predicate=term(predicate),
        object=term("RLS"),
        strength=term(strength),
        source=None,
        section="",
        population=None,
        negated=negated,
    )


def test_the_diagram_never_draws_a_denied_claim_as_its_relation() -> None:
    """Review of issue 13: a rejected or negated claim is drawn apart (grey, dotted), never as the
    relation it denies; the others are drawn by strength (solid, dashed, dotted), the firmest of
    two sources' strengths where two differ."""
    rows = [
        _row("LegBloodVesselDisease", "causes", "Rejected"),
        _row("Walking", "causes", "Established", negated=True),
        _row("IronDeficiency", "causes", "Hypothesised"),
        _row("IronDeficiency", "causes", "Established"),
        _row("FemaleSex", "riskFactorFor", "Associated"),
    ]
    page = Page(RLS + "RLS", "RLS", [], [], [], [], [], [], [], rows, [])
    diagram = neighbourhood(page)
    assert diagram is not None
    headings = [h.text for h in diagram.headings]
    drawn = {(p.node.label, p.node.strength, p.node.colour, p.node.dashes) for p in diagram.nodes}
    assert headings == ["causes", "not: causes", "riskFactorFor"]
    assert drawn == {
        ("IronDeficiency", "Established", COLOURS["causes"], ""),
        ("LegBloodVesselDisease", "denied", DENIED_COLOUR, DASHES["denied"]),
        ("Walking", "denied", DENIED_COLOUR, DASHES["denied"]),
        ("FemaleSex", "Associated", COLOURS["riskFactorFor"], DASHES["Associated"]),
    }


def test_the_rls_page_shows_strength_and_denial(client: FlaskClient) -> None:
    page = client.get("/doc/ontology/RestlessLegsSyndrome", headers={"Accept": BROWSER}).get_data(
        as_text=True
    )
    assert "<strong>rejected:</strong> <s>" in page  # WebMD's rejected causes, struck through
    assert "(the source says “may”)" in page  # a hypothesised claim's hedge
    assert 'stroke-dasharray="2 3"' in page and 'stroke-dasharray="1 4"' in page  # possible; denied
    assert ">not: causes" in page
