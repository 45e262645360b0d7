"""graph.stores.lookup: which queries are lookups, read the strict way; and ForkedStore answering
small lookups itself while every other query still goes to a killable, networkless evaluator."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from rlskg.graph.stores import QueryDataset, QueryTimeout, ResultFormats, StoreUnavailable, open_store
from rlskg.graph.stores.forked import ForkedStore, _ReadsOrFork
from rlskg.graph.stores.lookup import MAX_LENGTH, RDF_TYPE, lookup_pattern
from rlskg.ontology.prefixes import PREFIXES
from tests.stores.test_forked import RUNAWAY
from tests.support.service import DATA, RLS

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RLS_IRI = f"{RLS}RestlessLegsSyndrome"
JSON = ResultFormats(("application/sparql-results+json",), ("application/n-triples",))
UNION = QueryDataset(union_default_graph=True)


@pytest.mark.parametrize(
    ("sparql", "pattern"),
    [
        (f"SELECT ?label WHERE {{ <{RLS_IRI}> <{LABEL}> ?label }}", (RLS_IRI, LABEL, None)),
        (f"select ?l {{ <{RLS_IRI}> rdfs:label ?l . }} limit 3", (RLS_IRI, LABEL, None)),
        ("SELECT * WHERE { rls:RestlessLegsSyndrome ?p ?o }", (RLS_IRI, None, None)),
        ("SELECT $t WHERE { rls:RestlessLegsSyndrome a $t }", (RLS_IRI, RDF_TYPE, None)),
        (
            "PREFIX x: <http://example.org/>\nSELECT ?p {\n  x:a ?p x:b\n}\n",
            ("http://example.org/a", None, "http://example.org/b"),
        ),
        (
            "PREFIX : <http://example.org/> SELECT * { :a :b ?c }",
            ("http://example.org/a", "http://example.org/b", None),
        ),
        # A query's own declaration wins over the store's.
        (
            "PREFIX rdfs: <http://example.org/> SELECT * { rdfs:a rdfs:b ?c }",
            ("http://example.org/a", "http://example.org/b", None),
        ),
    ],
)
def test_lookups_are_recognised(sparql: str, pattern: tuple[str, str | None, str | None]) -> None:
    assert lookup_pattern(sparql, PREFIXES) == pattern


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { ?s ?p ?o }",  # no IRI subject: a scan
        "SELECT * WHERE { ?s rdfs:label ?o }",
        f"SELECT * WHERE {{ <{RLS_IRI}> ?p ?o . ?o ?q ?r }}",  # two patterns
        f"SELECT * WHERE {{ <{RLS_IRI}> ?p ?o FILTER(?o) }}",
        f"SELECT * WHERE {{ <{RLS_IRI}> ?p ?o }} OFFSET 5",
        f"SELECT * WHERE {{ <{RLS_IRI}> ?p ?o }} ORDER BY ?o",
        f"SELECT DISTINCT ?o WHERE {{ <{RLS_IRI}> ?p ?o }}",
        f"SELECT * FROM <{RLS}g> WHERE {{ <{RLS_IRI}> ?p ?o }}",
        f"SELECT * WHERE {{ GRAPH ?g {{ <{RLS_IRI}> ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://example.org/sparql> {{ <{RLS_IRI}> ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE<http://example.org/sparql>{{<{RLS_IRI}> ?p ?o}} }}",
        f'SELECT * WHERE {{ <{RLS_IRI}> rdfs:label "x" }}',  # a literal
        f"SELECT * WHERE {{ <{RLS_IRI}> <{LABEL}>* ?o }}",  # a path
        f"SELECT * WHERE {{ <{RLS_IRI}> rdfs:label|rdfs:comment ?o }}",
        "SELECT * WHERE { <http://example.org/\\u0061> ?p ?o }",  # an escape
        "SELECT * WHERE { <relative> ?p ?o }",  # resolves against a base
        "BASE <http://example.org/> SELECT * WHERE { <a> ?p ?o }",
        f"# a comment\nSELECT * WHERE {{ <{RLS_IRI}> ?p ?o }}",
        f"SELECT * WHERE {{ <{RLS_IRI}> ?p ?o }} # a comment",
        f"SELECT * WHERE {{ <{RLS_IRI}> A ?o }}",  # "a" is the one case-sensitive keyword
        "SELECT * WHERE { nope:a ?p ?o }",  # an undeclared prefix: the evaluator reports it
        f"ASK {{ <{RLS_IRI}> ?p ?o }}",
        f"CONSTRUCT {{ <{RLS_IRI}> ?p ?o }} WHERE {{ <{RLS_IRI}> ?p ?o }}",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ <{RLS_IRI}> ?p ?o }}",
        f"SELECT * WHERE {{ <{RLS_IRI}> ?p ?o }}" + " " * MAX_LENGTH,  # too long to bother
    ],
)
def test_anything_else_is_no_lookup(sparql: str) -> None:
    assert lookup_pattern(sparql, PREFIXES) is None


@pytest.mark.parametrize(
    "text",
    [
        "SELECT " + "?a " * 700 + "x",
        "SELECT ?o WHERE { <http://a/b> <http://a/c> ?o" + " " * 1900 + "x",
        "SELECT ?o WHERE { <http://a/b> <http://a/c> ?o" + " " * 900 + "." + " " * 900 + "x",
        "PREFIX a: <http://a/> " * 90 + "x",
    ],
)
def test_recognising_takes_linear_time(text: str) -> None:
    """SECURITY.md: every scan of request text runs in linear time. A quadratic match of the
    whitespace runs here took 58 ms; a linear one takes a fraction of a millisecond."""
    started = time.perf_counter()
    for _ in range(10):
        assert lookup_pattern(text, PREFIXES) is None
    assert (time.perf_counter() - started) / 10 < 0.01


@pytest.fixture
def busy_pool() -> Iterator[ForkedStore]:
    """A store of one evaluator, kept busy by a runaway query for 3 s; lookups of at most 3 quads
    are answered in-process."""
    store = ForkedStore(open_store(None, [DATA]), 1, most=1, wait=0.2, inline_lookups=3)
    runaway = threading.Thread(target=_run_away, args=(store,))
    runaway.start()
    time.sleep(0.5)  # the evaluator has started on it
    yield store
    runaway.join()
    store.close()


def _run_away(store: ForkedStore) -> None:
    with pytest.raises(QueryTimeout):
        store.query(RUNAWAY, formats=JSON, dataset=UNION, timeout=3)


def query(store: ForkedStore, sparql: str) -> bytes:
    return store.query(sparql, formats=JSON, dataset=UNION, timeout=10).body


def test_a_small_lookup_is_answered_while_every_evaluator_is_busy(busy_pool: ForkedStore) -> None:
    body = query(busy_pool, "SELECT ?l WHERE { rls:IronDeficiency rdfs:label ?l }")
    assert b'"iron deficiency"' in body
    with pytest.raises(StoreUnavailable):  # anything else waits for an evaluator
        query(busy_pool, "ASK { rls:IronDeficiency rdfs:label ?l }")


def test_a_lookup_matching_more_quads_than_the_limit_goes_to_an_evaluator(busy_pool: ForkedStore) -> None:
    # RestlessLegsSyndrome is the subject of 6 quads of DATA, more than the limit of 3.
    assert b'"restless legs syndrome"' in query(
        busy_pool, "SELECT ?o WHERE { rls:RestlessLegsSyndrome rdfs:label ?o }"
    )
    with pytest.raises(StoreUnavailable):
        query(busy_pool, "SELECT ?p ?o WHERE { rls:RestlessLegsSyndrome ?p ?o }")


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?l WHERE { rls:IronDeficiency rdfs:label ?l }",
        "SELECT * WHERE { rls:IronDeficiency ?p ?o } LIMIT 1",
        "SELECT ?t { rls:Disease a ?t }",
        "SELECT ?o WHERE { rls:Nothing ?p ?o }",
    ],
)
def test_a_lookup_answered_in_process_is_the_evaluators_answer(sparql: str) -> None:
    inline = ForkedStore(open_store(None, [DATA]), 1, inline_lookups=100)
    forked = ForkedStore(open_store(None, [DATA]), 1)
    try:
        assert query(inline, sparql) == query(forked, sparql)
    finally:
        inline.close()
        forked.close()


def test_a_lookup_in_process_sees_the_writes_before_it() -> None:
    store = ForkedStore(open_store(None, [DATA]), 1, inline_lookups=100)
    try:
        store.update('INSERT DATA { rls:IronDeficiency rdfs:label "Eisenmangel"@de }')
        assert b'"Eisenmangel"' in query(store, "SELECT ?l WHERE { rls:IronDeficiency rdfs:label ?l }")
    finally:
        store.close()


def test_no_child_is_forked_while_a_lookup_reads_the_store_in_process() -> None:
    """A child forked mid-read would inherit the store's locks held by a thread it does not have."""
    gate = _ReadsOrFork()
    events: list[str] = []

    def read() -> None:
        with gate.reading():
            events.append("read starts")
            time.sleep(0.3)
            events.append("read ends")

    def read_late() -> None:
        with gate.reading():
            events.append("late read")

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.1)
    with gate.forking():  # waits for the read under way
        events.append("fork")
        late = threading.Thread(target=read_late)
        late.start()
        late.join(0.2)
        assert late.is_alive()  # a read that comes while forking waits for the fork
    late.join(1)
    reader.join()
    assert events == ["read starts", "read ends", "fork", "late read"]
