"""rdflib's SPARQL stores against a real `rlskg serve`: a Graph over SPARQLStore (len, triples,
value, query with initBindings, ASK, CONSTRUCT), a ConjunctiveGraph's contexts, SPARQLUpdateStore
writing a named graph with the bearer token, and Graph.parse of the Graph Store's URLs."""

from __future__ import annotations

import urllib.error
import warnings
from collections.abc import Iterator

import pytest
from rdflib import ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from rdflib.query import ResultRow
from rdflib.term import Identifier, Node

from tests.clients.expected import (
    ASK_FALSE,
    ASK_TRUE,
    CONSTRUCT_SIMPLE,
    DISEASE,
    LABELS,
    NAMED_GRAPHS,
    NHS,
    RESTLESS_LEGS,
    SIMPLE,
    graph,
    triples,
)
from tests.support.service import TRIPLES, bearer

pytestmark = pytest.mark.server

WRITTEN = URIRef("urn:x-rlskg-test:rdflib")  # the named graph the update tests write
THING = URIRef("urn:x-rlskg-test:thing")


@pytest.fixture
def remote(endpoint: str) -> Iterator[Graph]:
    """A Graph over SPARQLStore: its default graph is the service's, the union of all graphs."""
    store = SPARQLStore(endpoint)
    yield Graph(store=store)
    store.close()


def test_len_counts_every_triple_of_the_union(remote: Graph) -> None:
    assert len(remote) == TRIPLES


def test_graph_of_store_plugin_name_opened_on_the_endpoint(endpoint: str) -> None:
    named = Graph(store="SPARQLStore")
    named.open(endpoint)
    try:
        assert len(named) == TRIPLES
    finally:
        named.close()


def test_triples_iterates_the_labels(remote: Graph) -> None:
    found = set(remote.triples((None, RDFS.label, None)))
    assert found == {(subject, RDFS.label, label) for subject, label in LABELS.items()}


def test_triples_of_one_subject_and_types(remote: Graph) -> None:
    assert set(remote.subjects(RDF.type, OWL.Class)) == set(LABELS)
    assert set(remote.predicate_objects(DISEASE)) == {(RDF.type, OWL.Class), (RDFS.label, LABELS[DISEASE])}


def test_value_reads_one_label(remote: Graph) -> None:
    assert remote.value(RESTLESS_LEGS, RDFS.label) == Literal("restless legs syndrome", lang="en")
    assert remote.value(RESTLESS_LEGS, RDFS.subClassOf) == DISEASE


def test_query_with_init_bindings(remote: Graph) -> None:
    def solutions(bindings: dict[str, Identifier]) -> list[tuple[Node, ...]]:
        query = "SELECT ?s ?l WHERE { ?s rdfs:label ?l }"
        result = remote.query(query, initNs={"rdfs": RDFS}, initBindings=bindings)
        rows = [row for row in result if isinstance(row, ResultRow)]
        assert len(rows) == len(result)
        return [tuple(row) for row in rows]

    assert solutions({"s": RESTLESS_LEGS}) == [(RESTLESS_LEGS, LABELS[RESTLESS_LEGS])]
    assert solutions({"l": LABELS[DISEASE]}) == [(DISEASE, LABELS[DISEASE])]


def test_ask(remote: Graph) -> None:
    assert remote.query(ASK_TRUE).askAnswer is True
    assert remote.query(ASK_FALSE).askAnswer is False


def test_construct_is_the_simple_graph(remote: Graph) -> None:
    result = remote.query(CONSTRUCT_SIMPLE).graph
    assert result is not None and len(result) == 3
    assert isomorphic(result, graph(SIMPLE))


def test_a_graph_of_one_name_sees_only_that_graph(endpoint: str) -> None:
    store = SPARQLStore(endpoint)
    try:
        for name, size in NAMED_GRAPHS.items():
            named = Graph(store=store, identifier=name)
            assert len(named) == size
            assert triples(named) == triples(graph(name))
    finally:
        store.close()


def test_conjunctive_graph_lists_the_named_graphs(endpoint: str) -> None:
    store = SPARQLStore(endpoint)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        conjunctive = ConjunctiveGraph(store=store)
    try:
        assert {context.identifier for context in conjunctive.contexts()} == set(NAMED_GRAPHS)
        assert len(conjunctive) == TRIPLES
    finally:
        store.close()


@pytest.fixture
def writer(endpoint: str, root: str) -> Iterator[Graph]:
    """A Graph named WRITTEN over SPARQLUpdateStore with the bearer token (its remove_graph is a
    DROP GRAPH, which fails for a graph that is not there: the graph is dropped SILENT after the
    test)."""
    store = SPARQLUpdateStore(query_endpoint=endpoint, update_endpoint=root + "update", headers=bearer())
    written = Graph(store=store, identifier=WRITTEN)
    try:
        yield written
    finally:
        store.update(f"DROP SILENT GRAPH <{WRITTEN}>")
        store.close()


def test_update_store_add_addn_remove_read_back(writer: Graph, remote: Graph) -> None:
    one = (THING, RDFS.label, Literal("one"))
    two = (THING, RDFS.label, Literal("two", lang="en"))
    three = (THING, RDFS.comment, Literal(3))
    writer.add(one)
    assert triples(writer) == {one}
    writer.addN([(*two, writer), (*three, writer)])
    assert triples(writer) == {one, two, three}
    assert len(remote) == TRIPLES + 3  # the union sees them
    writer.remove((THING, RDFS.label, None))
    assert triples(writer) == {three}
    assert len(remote) == TRIPLES + 1
    writer.remove((None, None, None))
    assert len(writer) == 0
    assert len(remote) == TRIPLES


def test_update_store_drops_its_graph(writer: Graph, endpoint: str) -> None:
    writer.add((THING, RDFS.label, Literal("dropped")))
    store = writer.store
    assert isinstance(store, SPARQLUpdateStore)
    assert WRITTEN in set(SPARQLStore(endpoint).contexts())
    store.remove_graph(writer)
    assert WRITTEN not in set(SPARQLStore(endpoint).contexts())


@pytest.mark.parametrize("headers", [{}, bearer("not-the-token")], ids=["no token", "a wrong token"])
def test_update_store_without_the_token_is_refused(
    endpoint: str, root: str, remote: Graph, headers: dict[str, str]
) -> None:
    store = SPARQLUpdateStore(query_endpoint=endpoint, update_endpoint=root + "update", headers=headers)
    refused = Graph(store=store, identifier=WRITTEN)
    with pytest.raises(urllib.error.HTTPError) as raised:
        refused.add((THING, RDFS.label, Literal("refused")))
    raised.value.close()  # the response it holds
    assert raised.value.code == 401
    assert len(remote) == TRIPLES
    assert WRITTEN not in set(remote.store.contexts())
    store.close()


@pytest.mark.parametrize("fmt", ["turtle", "xml", "json-ld", "nt"])
@pytest.mark.parametrize("name", [NHS, SIMPLE])
def test_parse_of_the_graph_store_url(root: str, name: URIRef, fmt: str) -> None:
    """Graph.parse of /store?graph=... asks for ``fmt`` and reads it with that parser."""
    parsed = Graph()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser builds a ConjunctiveGraph
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        parsed.parse(f"{root}store?graph={name}", format=fmt)
    assert len(parsed) == NAMED_GRAPHS[name]
    assert isomorphic(parsed, graph(name))
