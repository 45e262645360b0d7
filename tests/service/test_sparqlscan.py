"""The lexical scan: SERVICE, LOAD and FROM are found where SPARQL sees them, and nowhere else."""

from __future__ import annotations

import pytest

from rlskg.service.guard.lexical import FetchTarget, scan

TARGET = "http://example.org/sparql"


def targets(text: str, **prefixes: str) -> tuple[FetchTarget, ...]:
    return scan(text, prefixes, depth_limit=-1).fetch_targets


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * WHERE {{ SERVICE <{TARGET}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{TARGET}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE<{TARGET}>{{?s ?p ?o}} }}",
        "PREFIX e: <http://example.org/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
        "BASE <http://example.org/a/> SELECT * WHERE { SERVICE <../sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://example.org/\\u0073parql> { ?s ?p ?o } }",
        f"SELECT * WHERE {{ ?s ?p 'x' # a comment\n SERVICE <{TARGET}> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ ?s ?p """a "quoted" \\""" string""" . SERVICE <{TARGET}> {{ }} }}',
    ],
)
def test_scan_finds_service_target(query: str) -> None:
    assert targets(query) == (FetchTarget("SERVICE", TARGET),)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p 'SERVICE <http://example.org/sparql> { }' }",
        'SELECT * WHERE { ?s ?p """LOAD <http://x/>\nSERVICE <http://y/>""" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://example.org/sparql> { }",
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "PREFIX service: <http://x/> SELECT * WHERE { ?s service:load ?o }",
        "SELECT ?service ?load WHERE { ?service ?p ?load }",
        'SELECT * WHERE { ?s ?p "x"@service }',
        "SELECT * WHERE { ?s ?p 'it\\'s SERVICE <http://x/> {}' }",
    ],
)
def test_scan_is_not_fooled_by_strings_iris_comments_or_names(query: str) -> None:
    assert targets(query) == ()


def test_scan_service_with_a_variable_has_no_iri() -> None:
    assert targets("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }") == (FetchTarget("SERVICE", None),)


def test_scan_service_with_unknown_prefix_has_no_iri() -> None:
    assert targets("SELECT * WHERE { SERVICE nope:x { } }") == (FetchTarget("SERVICE", None),)


def test_scan_uses_the_store_prefixes() -> None:
    assert targets("SELECT * WHERE { SERVICE e:q { } }", e="http://example.org/") == (
        FetchTarget("SERVICE", "http://example.org/q"),
    )


def test_scan_finds_every_load_in_an_update() -> None:
    update = "LOAD <http://a.example/x.ttl> ; LOAD SILENT <http://b.example/y.ttl> INTO GRAPH <http://g/>"
    assert targets(update) == (
        FetchTarget("LOAD", "http://a.example/x.ttl"),
        FetchTarget("LOAD", "http://b.example/y.ttl"),
    )


def test_scan_sees_a_keyword_spelt_with_codepoint_escapes() -> None:
    assert targets(f"SELECT * WHERE {{ SERV\\u0049CE <{TARGET}> {{ }} }}") == (
        FetchTarget("SERVICE", TARGET),
    )


@pytest.mark.parametrize(
    ("query", "form", "has_from"),
    [
        ("PREFIX a: <http://x/select> SELECT * WHERE { ?s ?p ?o }", "SELECT", False),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
        ("describe <http://x/>", "DESCRIBE", False),
        ("ASK FROM <http://g/> { ?s ?p ?o }", "ASK", True),
        ("SELECT * FROM NAMED <http://g/> WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT", True),
        ("CONSTRUCT { ?s ?p ?o } WHERE { { SELECT * WHERE { ?s ?p ?o } } }", "CONSTRUCT", False),
        ("SELECT * WHERE { ?s ?p 'FROM' }", "SELECT", False),
    ],
)
def test_scan_finds_form_and_dataset_clause(query: str, form: str, has_from: bool) -> None:
    found = scan(query, depth_limit=-1)
    assert (found.form, found.has_dataset_clause) == (form, has_from)


def test_scan_measures_nesting_outside_strings() -> None:
    assert scan("SELECT * WHERE " + "{" * 40 + "}" * 40, depth_limit=-1).depth == 40
    assert scan("SELECT * WHERE { ?s ?p '((((((((((' }", depth_limit=-1).depth == 1


def test_scan_fast_path_bounds_depth_from_above() -> None:
    found = scan("SELECT * WHERE { ?s ?p ?o FILTER(?o > 1) }")
    assert found.fetch_targets == () and not found.has_dataset_clause and found.depth == 2
    deep = "SELECT * WHERE " + "{" * 300 + "}" * 300
    assert scan(deep, depth_limit=-1).depth == 300
    assert scan(deep, depth_limit=128).depth > 128  # it stops reading once past the limit
