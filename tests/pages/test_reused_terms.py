"""Pages for the terms the graph reuses from OBO ontologies (issue 17): every OBO term IRI the dataset
uses (``http://purl.obolibrary.org/obo/CHEBI_18248``) has a page at ``/doc/obo/CHEBI_18248``, negotiated
as the other documents, that links out to the PURL; pages, search results and the claims view link
there; ``/claims?about=`` takes such an IRI; and the page of an obsolete ``rls:`` term says what
replaces it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from rlskg.service.pages.describe import obo_curie, obo_path
from tests.pages.test_pages import FORMATS, parse
from tests.support.browser import BROWSER

OBO = "http://purl.obolibrary.org/obo/"
RLS = "https://w3id.org/rlskg/ontology/"
IRON = OBO + "CHEBI_18248"  # iron atom, which replaced rls:Iron
OBESITY = OBO + "MONDO_0011122"
REPLACED_BY = URIRef(OBO + "IAO_0100001")


def html(client: FlaskClient, path: str) -> str:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _obo_terms(built: Path) -> set[str]:
    """Every OBO term IRI (``PREFIX_local``) the built dataset mentions."""
    found = set()
    for quad in ox.parse(path=str(built / "dataset.nq"), format=ox.RdfFormat.N_QUADS):
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, ox.NamedNode) and obo_curie(term.value):
                found.add(term.value)
    return found


def test_a_reused_term_has_a_page_that_links_out_to_its_purl(client: FlaskClient) -> None:
    page = html(client, "/doc/obo/CHEBI_18248")
    assert "<h1>iron atom</h1>" in page
    assert f'<a class="reference-link" href="{IRON}">{IRON}</a>' in page
    assert "CHEBI:18248 is a term of ChEBI" in page
    assert "<li>iron <span" in page  # the project's synonym
    assert 'href="/ontology/Nutrient"' in page and 'href="/doc/obo/CHEBI_33356"' in page  # both parents
    assert 'href="/claims?about=http' in page  # its claims, in one table


@pytest.mark.parametrize("media_type", list(FORMATS))
def test_a_reused_terms_document_negotiates_rdf(client: FlaskClient, media_type: str) -> None:
    response = client.get("/doc/obo/CHEBI_18248", headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    graph = parse(response.data, media_type)
    assert (URIRef(IRON), RDFS.label, Literal("iron atom")) in graph
    assert (URIRef(IRON), RDF.type, OWL.Class) in graph
    assert (URIRef(RLS + "Iron"), REPLACED_BY, URIRef(IRON)) in graph  # what points at it
    assert 'rel="http://www.w3.org/ns/sparql-service-description#endpoint"' in response.headers["Link"]


def test_a_reused_terms_document_takes_a_suffix_and_an_etag(client: FlaskClient) -> None:
    turtle = client.get("/doc/obo/MONDO_0011122.ttl", headers={"Accept": BROWSER})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    assert b"obesity disorder" in turtle.data
    again = client.get(
        "/doc/obo/MONDO_0011122.ttl", headers={"If-None-Match": turtle.headers["ETag"], "Accept": BROWSER}
    )
    assert again.status_code == 304
    assert (
        client.get("/doc/obo/MONDO_0011122.html", headers={"Accept": "text/turtle"}).mimetype == "text/html"
    )


@pytest.mark.parametrize(
    "path", ["/doc/obo/CHEBI_99999999", "/doc/obo/not-a-term", "/doc/obo/", "/doc/obo/X"]
)
def test_an_obo_iri_the_graph_does_not_use_is_404(client: FlaskClient, path: str) -> None:
    assert client.get(path, headers={"Accept": BROWSER}).status_code == 404
    assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404


def test_every_obo_term_the_dataset_uses_has_its_page(built_dataset: Path, client: FlaskClient) -> None:
    """The dereferencing probe's counterpart for reused terms: each OBO term IRI of dataset.nq (the
    import modules' terms, the relations, the mapping targets) answers as Turtle, and one term of
    each ID space as a page for a browser."""
    terms = _obo_terms(built_dataset)
    spaces = {str(obo_curie(t)).split(":")[0] for t in terms}
    assert {"CHEBI", "UBERON", "HP", "MONDO", "RO", "BFO", "DOID"} <= spaces and len(terms) > 300
    failures = []
    for iri in sorted(terms):
        response = client.get(str(obo_path(iri)), headers={"Accept": "text/turtle"})
        response.close()
        if response.status_code != 200:
            failures.append((iri, response.status_code))
    assert failures == []
    for space in sorted(spaces):
        iri = min(t for t in terms if str(obo_curie(t)).startswith(space + ":"))
        assert client.get(str(obo_path(iri)), headers={"Accept": BROWSER}).status_code == 200, iri


def test_every_obsolete_term_page_says_what_replaces_it(built_dataset: Path, client: FlaskClient) -> None:
    store = ox.Store()
    store.bulk_load(path=str(built_dataset / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    rows = store.query(
        "SELECT ?old ?new WHERE { ?old <http://www.w3.org/2002/07/owl#deprecated> true ; "
        f"<{REPLACED_BY}> ?new }}",
        use_default_graph_as_union=True,
    )
    assert isinstance(rows, ox.QuerySolutions)
    obsolete = {(str(r["old"].value), str(r["new"].value)) for r in rows}
    assert (RLS + "Iron", IRON) in obsolete and (RLS + "Obesity", OBESITY) in obsolete
    assert len(obsolete) >= 45
    for old, new in sorted(obsolete):
        page = html(client, "/doc/ontology/" + old.removeprefix(RLS))
        assert '<p class="note obsolete"><strong>Obsolete</strong>, replaced by' in page, old
        assert f'href="{obo_path(new)}"' in page.split('class="note obsolete"', 1)[1].split("</p>", 1)[0], old


def test_pages_link_reused_terms_to_their_pages_here(client: FlaskClient) -> None:
    rls = html(client, "/doc/ontology/RestlessLegsSyndrome")
    assert 'href="/doc/obo/MONDO_0005391"' in rls  # the exactMatch, under Relations
    assert 'href="/doc/obo/UBERON_0002103"' in rls  # hindlimb, where RLS is felt
    assert 'href="http://purl.obolibrary.org/obo/MONDO_0005391"' in rls  # the xref still goes out
    nhs = html(client, "/doc/id/source/nhs")
    assert 'href="/doc/obo/MONDO_0001356"' in nhs and 'href="/doc/obo/CHEBI_18243"' in nhs
    home = html(client, "/")
    assert 'href="/doc/obo/MONDO_' in home  # the conditions linked to RLS


def test_the_claims_view_links_and_takes_reused_terms(client: FlaskClient) -> None:
    every = html(client, "/claims")
    assert 'href="/doc/obo/CHEBI_18243"' in every and 'href="/doc/obo/MONDO_0005301"' in every
    about = html(client, f"/claims?about={IRON}")
    assert "<h1>Claims about iron atom</h1>" in about and 'href="/doc/obo/CHEBI_18248">iron atom</a>' in about
    count = int(re.search(r'<p class="count">(\d+) claim', about).group(1))  # type: ignore[union-attr]
    assert count >= 1 and about.count('<tr class="strength-') == count
    hedged = html(client, f"/claims?about={OBESITY}&strength={RLS}Associated")
    assert "<h1>Claims about obesity disorder</h1>" in hedged


def test_the_claims_about_an_obsolete_term_are_its_replacements(client: FlaskClient) -> None:
    moved = client.get(f"/claims?about={RLS}Iron&source=https://w3id.org/rlskg/id/source/nhs")
    assert moved.status_code == 301
    location = moved.headers["Location"]
    assert location.startswith("/claims?") and "CHEBI_18248" in location and "source=" in location
    assert "<h1>Claims about iron atom</h1>" in html(client, location)
    assert client.get(f"/claims?about={RLS}IronDeficiency").status_code == 200  # a live term: no redirect
    assert client.get(f"/claims?about={RLS}NoSuchTerm").status_code == 400
    assert client.get(f"/claims?about={OBO}CHEBI_99999999").status_code == 400


def test_search_finds_reused_terms_and_leaves_obsolete_ones_out(client: FlaskClient) -> None:
    found = client.get("/api/search?q=iron atom&limit=5").get_json()
    assert found[0] == {
        "iri": IRON,
        "label": "iron atom",
        "type": found[0]["type"],  # one of its types (SAMPLE)
        "kind": "drug or chemical from CHEBI",
        "href": "/doc/obo/CHEBI_18248",
    }
    obesity = client.get("/api/search?q=obesity").get_json()
    assert {"label": "obesity disorder", "href": "/doc/obo/MONDO_0011122"}.items() <= obesity[0].items()
    assert obesity[0]["kind"] == "condition from MONDO"
    everything = client.get("/api/search?q=obsolete&limit=50").get_json()
    assert not any(r["label"].startswith("obsolete ") for r in everything)
    page = html(client, "/search?q=dopamine")
    assert 'href="/doc/obo/CHEBI_18243"' in page


def test_the_sitemap_lists_the_reused_terms_pages(client: FlaskClient) -> None:
    urls = [
        loc.text or ""
        for loc in ET.fromstring(client.get("/sitemap.xml").data).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    reused = [u for u in urls if u.startswith("http://localhost/doc/obo/")]
    assert "http://localhost/doc/obo/CHEBI_18248" in reused and len(reused) > 100
    for url in reused[:: max(1, len(reused) // 10)]:
        assert client.get(url, headers={"Accept": BROWSER}).status_code == 200, url


def test_schema_org_names_the_reused_terms_ontology(client: FlaskClient) -> None:
    page = html(client, "/doc/obo/CHEBI_18248")
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert embedded is not None
    about = json.loads(embedded.group(1))["about"]
    assert about["@id"] == IRON and about["@type"] == "DefinedTerm" and about["termCode"] == "CHEBI:18248"
    assert about["inDefinedTermSet"]["@id"] == "http://purl.obolibrary.org/obo/chebi.owl"
