"""The defects a first-time user found (shared/reviews/clients.md, P6 and U1-U13), each checked in the
HTML the service sends; tests/browser/ checks how the same pages look in Chromium."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from rlskg.service.pages.diagram import CENTER_TOP, ROW
from tests.support.browser import BROWSER

MS = "/doc/id/association/verywell-multiple-sclerosis-risk-factor-for-restless-legs-syndrome"


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_association_page_says_its_claim_and_shows_its_figures(client: FlaskClient) -> None:
    """P6, U4: the heading is the claim, not the slug; the figures and their labels are there."""
    html = page(client, MS)
    assert "<h1>multiple sclerosis: risk factor for restless legs syndrome</h1>" in html
    assert "assoc:verywell" not in html.split("<main>")[1]
    assert "17 <a" in html and "26 <a" in html and "men with multiple sclerosis" in html
    assert "in its section “Multiple Sclerosis (MS)”" in html
    assert "fig:verywell" not in html  # no raw CURIE of a figure
    turtle = client.get(MS, headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert "rls:minValue" in turtle  # the figures' own triples are in the description


def test_home_page_numbers_are_named_in_words_and_count_the_ontology(client: FlaskClient) -> None:
    """U5: no VoID names; the ontology's classes counted; graphs linked; "and N more" a link."""
    html = page(client, "/")
    assert "distinctSubjects" not in html and "distinct subjects" in html
    defined = re.search(r"<th>classes defined in the ontology</th><td>(\d+)</td>", html)
    assert defined is not None and int(defined.group(1)) > 200
    assert "classes used as a type" in html
    assert 'href="/graph/nhs"' in html
    assert re.search(
        r'<a href="/ontology/RestlessLegsSyndrome#associations"><text[^>]*class="heading more"', html
    )
    assert ">restless legs syndrome</text>" in html  # the centre label whole, not cut at 22 characters


def test_rls_page_is_about_a_screen_of_diagram_and_groups_its_claims(client: FlaskClient) -> None:
    """U7: the diagram shows a few of each group and its centre near the top; the claims are
    grouped by relation, closed."""
    html = page(client, "/doc/ontology/RestlessLegsSyndrome")
    height = int(re.search(r'viewBox="0 0 \d+ (\d+)"', html).group(1))  # type: ignore[union-attr]
    assert height <= 60 * ROW  # it was 2,500 px
    centre = re.search(r'<rect x="[\d.]+" y="([\d.]+)"[^>]*class="center"', html)
    assert centre is not None and float(centre.group(1)) <= CENTER_TOP
    groups = re.findall(r'<details class="claims-group"( open)?>', html)
    assert len(groups) > 4 and not any(groups)  # many claims: every group starts closed
    assert 'href="/claims?about=https://w3id.org/rlskg/ontology/RestlessLegsSyndrome"' in html


def test_source_page_says_why_it_has_no_link_and_names_relations_in_words(client: FlaskClient) -> None:
    """U11: the seed texts give no web address, so none is made up; relations are named in words."""
    html = page(client, "/doc/id/source/nhs")
    assert "kept no web address" in html
    relations = html.split("<h2>Relations</h2>", 1)[1]
    assert "dcterms:language" not in relations and "schema:about" not in relations
    assert ">language</a>" in relations


def test_linked_from_names_every_relation_in_words(client: FlaskClient) -> None:
    """U13: "Linked from" on a term's page has no CURIE beside labels."""
    html = page(client, "/doc/ontology/RestlessLegsSyndrome")
    linked = html.split("<h2>Linked from</h2>", 1)[1]
    assert not re.search(r"<dt><a [^>]*>\w+:\w+</a></dt>", linked)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        (
            "SELECT ?label WHERE { rls:IronDeficiency rdfs:label ?label }",
            "<td>iron deficiency <small>@en</small></td>",
        ),
        ("ASK { rls:Iron a owl:Class }", "The answer is <strong>yes</strong>"),
        ("CONSTRUCT { rls:Iron rdfs:label ?l } WHERE { rls:Iron rdfs:label ?l }", "rls:Iron rdfs:label"),
        ("SELECT ?c WHERE { ?c rdfs:subClassOf rls:Iron } LIMIT 0", "0 rows"),
    ],
)
def test_query_page_without_javascript_shows_the_results(client: FlaskClient, query: str, shown: str) -> None:
    """U9: "Run query" shows the results on the page rather than downloading a file."""
    response = client.get("/query", query_string={"query": query, "run": "1"}, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert shown in response.get_data(as_text=True)


def test_query_page_without_javascript_shows_an_error_on_the_page(client: FlaskClient) -> None:
    response = client.get("/query", query_string={"query": "SELECT ?x WHERE {", "run": "1"})
    assert response.status_code == 400
    assert "The query did not run:" in response.get_data(as_text=True)
    assert "Pick an example question to open it." in response.get_data(as_text=True)  # no "tab" without JS


def test_query_page_result_iris_link_to_this_site(client: FlaskClient) -> None:
    html = page(client, "/query?run=1&query=SELECT%20%3Fc%20WHERE%20%7B%20BIND(rls%3AIron%20AS%20%3Fc)%20%7D")
    assert '<a href="/ontology/Iron">rls:Iron</a>' in html


def test_claims_view_has_every_claim_with_its_strength_figures_and_section(client: FlaskClient) -> None:
    html = page(client, "/claims")
    count = int(re.search(r'<p class="count">(\d+) claims', html).group(1))  # type: ignore[union-attr]
    assert count > 200 and html.count('<tr class="strength-') == count
    assert "prevalence</a>: 17" in html and "Multiple Sclerosis (MS)" in html
    narrowed = page(client, "/claims?about=https://w3id.org/rlskg/ontology/IronDeficiency")
    assert "<h1>Claims about iron deficiency</h1>" in narrowed
    nhs = "https://w3id.org/rlskg/id/source/nhs"
    hedged = page(client, f"/claims?source={nhs}&strength=https://w3id.org/rlskg/ontology/Hypothesised")
    rows = re.findall(r'<tr class="strength-(\w+)', hedged)
    assert rows and set(rows) == {"hypothesised"}


@pytest.mark.parametrize(
    "query",
    ["?strength=nothing", "?source=https://example.org/x", "?about=https://w3id.org/rlskg/ontology/Nope"],
)
def test_claims_view_bad_filter_is_400(client: FlaskClient, query: str) -> None:
    assert client.get("/claims" + query).status_code == 400
