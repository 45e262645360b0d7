"""Content negotiation tables and ranking (pure functions)."""

from __future__ import annotations

import pytest

from rlskg.service.protocol import negotiation

JSON, XML, CSV, TSV = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
TTL, NT, RDFXML, JSONLD = "text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"


@pytest.mark.parametrize(
    ("accept", "solutions", "graph"),
    [
        (None, JSON, TTL),
        ("*/*", JSON, TTL),
        ("text/csv", CSV, None),
        ("text/tab-separated-values;q=0.9, text/csv;q=0.5", TSV, None),
        ("application/sparql-results+xml", XML, None),
        ("application/json", JSON, JSONLD),
        ("application/xml", XML, RDFXML),
        ("text/turtle", None, TTL),
        ("application/n-triples, */*;q=0.1", JSON, NT),
        ("text/*", CSV, TTL),
        ("text/csv;q=0, */*", JSON, TTL),
    ],
)
def test_negotiate_ranks_by_quality_then_preference(accept: str | None, solutions: str, graph: str) -> None:
    negotiated = negotiation.negotiate(accept, None)
    assert (negotiated.solutions[0] if negotiated.solutions else None) == solutions
    assert (negotiated.graph[0] if negotiated.graph else None) == graph


@pytest.mark.parametrize(
    ("name", "solutions", "graph"),
    [
        ("json", (JSON,), (JSONLD,)),
        ("xml", (XML,), (RDFXML,)),
        ("csv", (CSV,), ()),
        ("tsv", (TSV,), ()),
        ("ttl", (), (TTL,)),
        ("nt", (), (NT,)),
        ("rdf", (), (RDFXML,)),
        ("jsonld", (), (JSONLD,)),
        ("text/turtle", (), (TTL,)),
    ],
)
def test_negotiate_format_parameter_overrides_accept(
    name: str, solutions: tuple[str], graph: tuple[str]
) -> None:
    negotiated = negotiation.negotiate("text/csv", name)
    assert (negotiated.solutions, negotiated.graph) == (solutions, graph)


def test_negotiate_unknown_format_raises() -> None:
    with pytest.raises(negotiation.UnknownFormat, match="unknown format 'yaml'"):
        negotiation.negotiate(None, "yaml")


def test_negotiate_nothing_acceptable_gives_empty_lists() -> None:
    negotiated = negotiation.negotiate("image/png", None)
    assert negotiated.solutions == () and negotiated.graph == ()


def test_negotiate_browser_gets_displayable_types() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    negotiated = negotiation.negotiate(browser, None)
    assert negotiated.browser
    assert negotiated.content_type(negotiated.graph[0]) == "text/plain; charset=utf-8"
    assert negotiated.content_type(negotiated.solutions[0]) == "application/json"
    assert not negotiation.negotiate("text/html, text/turtle", None).browser


@pytest.mark.parametrize(
    ("accept", "label"),
    [("application/json", "application/json"), ("text/xml", "text/xml"), ("*/*", JSON), (JSON, JSON)],
)
def test_negotiate_labels_answer_with_the_alias_asked_for(accept: str, label: str) -> None:
    negotiated = negotiation.negotiate(accept, None)
    assert negotiated.content_type(negotiated.solutions[0]) == label


def test_dataset_formats_carry_graph_names() -> None:
    types = [f.media_type for f in negotiation.DATASET_FORMATS]
    assert types == ["application/trig", "application/n-quads", "application/ld+json"]


def test_content_type_adds_charset_to_text() -> None:
    assert negotiation.content_type(TSV) == "text/tab-separated-values; charset=utf-8"
    assert negotiation.content_type(JSON) == JSON
