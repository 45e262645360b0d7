"""Regressions in the SPARQL scanner (service.guard.lexical), found by this suite.

1. ``?a<?b&&((((1))))&&?c>?d`` lexes as an IRI but Oxigraph parses comparisons around nested
   brackets: a million of them passed the depth limit and crashed the evaluator (SIGSEGV, 500).
2. A 10 MB query took ~10 s of the worker's GIL and ~570 MiB to scan (a list of every token),
   and the scan cache kept up to 512 such texts alive (5 GB).
"""

from __future__ import annotations

import time
import tracemalloc

from flask.testing import FlaskClient

import rlskg.service.guard.lexical as lexical
from rlskg.service.guard.lexical import scan


def _comparison_nest(depth: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o FILTER(?o<?b&&" + "(" * depth + "1" + ")" * depth + "&&?c>?d) }"


def test_scan_counts_brackets_inside_an_operator_that_looks_like_an_iri() -> None:
    assert scan(_comparison_nest(300)).depth > 300
    assert scan("SELECT * WHERE { <http://x/a_(b)> ?p ?o }", depth_limit=-1).depth == 2  # no more


def test_scan_iri_closing_brackets_cannot_hide_nesting() -> None:
    hidden = "SELECT * WHERE " + "{" * 200 + " <http://x/" + ")" * 200 + "> " + "{" * 200 + "}" * 400
    assert scan(hidden, depth_limit=-1).depth >= 400
    assert scan(hidden).depth > 128


def test_get_sparql_comparison_nest_is_400_not_a_crash(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": _comparison_nest(400_000)})  # < MAX_QUERY_BYTES
    assert response.status_code == 400 and b"nests brackets" in response.data


def test_scan_of_a_large_text_is_fast_small_and_not_cached() -> None:
    values = "SELECT * FROM <http://g/> WHERE { VALUES ?x { " + "(1) " * 100_000 + "} }"
    before = lexical._scan.cache_info().currsize
    tracemalloc.start()
    began = time.perf_counter()
    found = scan(values)
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert found.has_dataset_clause and found.depth == 3
    assert peak < 10_000_000, peak  # was ~25 MB for this text
    assert lexical._scan.cache_info().currsize == before
    assert seconds < 10  # ~2 s under tracemalloc on a 2-core machine


def test_scan_depth_without_keywords_is_exact_and_past_the_limit_when_limited() -> None:
    deep = "SELECT * WHERE " + "{" * 300 + " '}}}}' " + "}" * 300
    assert scan(deep, depth_limit=-1).depth == 300
    assert scan(deep, depth_limit=128).depth > 128
