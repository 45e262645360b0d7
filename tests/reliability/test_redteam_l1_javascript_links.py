"""Red team L1: the home page linked its entry points to any IRI the data held, so a write (or a
source file, or an allow-listed LOAD) could plant ``<a href="javascript:...">``. Every href a page
builds from data now goes through one scheme check (``describe.href``): local paths and http(s)
only. The other pages that link data (search, a resource page and its diagram) are covered too."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.support.service import bearer

EVIL = "javascript:alert(document.domain)//"
# Each way an item reaches the home page (service/pages/queries/home-entry-points.rq): a form of
# RLS, a condition linked to RLS by an association (also drawn in the diagram), and a source; and a
# seeAlso on the RLS page itself.
PLANT = f"""
PREFIX rls: <https://w3id.org/rlskg/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA {{ GRAPH <https://w3id.org/rlskg/graph/planted> {{
  <{EVIL}form> rdfs:subClassOf rls:RestlessLegsSyndrome ; rdfs:label "planted form" .
  <{EVIL}condition> rdfs:subClassOf rls:MedicalCondition ; rdfs:label "planted condition" .
  <https://w3id.org/rlskg/id/association/planted> rls:subject <{EVIL}condition> ;
      rls:object rls:RestlessLegsSyndrome ; rls:predicate rls:associatedWith .
  <{EVIL}source> a rls:Source ; rdfs:label "planted source" .
  <https://example.org/fine> rdfs:subClassOf rls:RestlessLegsSyndrome ; rdfs:label "fine form" .
  rls:RestlessLegsSyndrome rdfs:seeAlso <{EVIL}seeAlso> .
}} }}
"""
HREF = re.compile(r"""\bhref\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)


def _unsafe_hrefs(html: str) -> list[str]:
    """Hrefs that are neither a path on this service, a fragment, nor an http(s) URL."""
    return [h for h in HREF.findall(html) if not re.match(r"(https?://|/(?!/)|#|data:,$)", h)]


def _page(client: FlaskClient, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_home_page_never_links_a_javascript_iri(writer: FlaskClient) -> None:
    response = writer.post("/update", data={"update": PLANT}, headers=bearer())
    assert response.status_code == 204, response.data
    home = _page(writer, "/")
    assert _unsafe_hrefs(home) == []
    assert "javascript:" not in home
    assert 'href="https://example.org/fine"' in home  # http(s) entry points are still links


def test_other_pages_that_link_data_never_link_a_javascript_iri(writer: FlaskClient) -> None:
    assert writer.post("/update", data={"update": PLANT}, headers=bearer()).status_code == 204
    for path in ("/ontology/RestlessLegsSyndrome", "/search?q=planted", "/search?q=restless"):
        html = _page(writer, path)
        assert _unsafe_hrefs(html) == [], path
    for hit in writer.get("/api/search?q=planted").get_json():
        assert re.match(r"(https?://|/(?!/))", hit["href"]), hit
