"""The deterministic TriG, Turtle and N-Quads writers."""

from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from rlskg.graph.writer import nquads_text, trig_text, turtle_text
from rlskg.ontology.namespaces import GRAPH, RLS

EX = "http://example.org/"
AWKWARD: list[tuple[Node, Node, Node]] = [
    (URIRef(EX + "a"), RDF.type, RLS.Association),
    (URIRef(EX + "a"), RLS.label, Literal('two\nlines with "quotes" and \\ and \u2028')),
    (URIRef(EX + "a"), RLS.label, Literal("plain string", datatype=XSD.string)),
    (URIRef(EX + "a"), RLS.label, Literal("étiquette", lang="fr")),
    (URIRef(EX + "a"), RLS.value, Literal("1", datatype=XSD.integer)),
    (URIRef(EX + "a"), RLS.value, Literal("1.0", datatype=XSD.decimal)),
    (URIRef(EX + "a"), RLS.value, Literal("1.0E0", datatype=XSD.double)),
    (URIRef(EX + "a"), RLS.value, Literal("true", datatype=XSD.boolean)),
    (URIRef(EX + "a"), RLS.value, Literal("2020", datatype=XSD.gYear)),
    (URIRef(EX + "odd(local)."), RLS.seeAlso, URIRef(EX + "b")),
    (RLS[""], RLS.seeAlso, URIRef(EX + "b")),
]


def _graph(triples: Sequence[tuple[Node, Node, Node]], name: str = "test") -> Graph:
    graph = Graph(identifier=GRAPH[name])
    for triple in triples:
        graph.add(triple)
    return graph


def test_turtle_reads_back_as_the_same_triples() -> None:
    original = _graph(AWKWARD)
    assert set(Graph().parse(data=turtle_text(original), format="turtle")) == set(original)


def test_trig_and_nquads_read_back_as_the_same_quads() -> None:
    graphs = [_graph(AWKWARD[:5], "one"), _graph(AWKWARD[5:], "two")]
    from_trig = set(ox.parse(trig_text(graphs), format=ox.RdfFormat.TRIG))
    from_nquads = set(ox.parse(nquads_text(graphs), format=ox.RdfFormat.N_QUADS))
    assert from_trig == from_nquads
    assert len(from_trig) == len(AWKWARD)


def test_output_does_not_depend_on_insertion_order() -> None:
    forward, backward = _graph(AWKWARD), _graph(AWKWARD[::-1])
    assert turtle_text(forward) == turtle_text(backward)
    assert trig_text([forward]) == trig_text([backward])
    assert nquads_text([forward]) == nquads_text([backward])


def test_trig_writes_graphs_in_the_order_given_and_skips_empty_ones() -> None:
    one, two, empty = _graph(AWKWARD[:1], "one"), _graph(AWKWARD[1:2], "two"), _graph([], "empty")
    text = trig_text([two, empty, one])
    assert text.index("graph:two {") < text.index("graph:one {")
    assert "graph:empty" not in text


def test_turtle_uses_prefixes_and_bare_literals_where_safe() -> None:
    text = turtle_text(_graph(AWKWARD))
    assert "@prefix rls: <https://w3id.org/rlskg/ontology/> ." in text
    assert "@prefix owl:" not in text  # only the prefixes used
    assert " a rls:Association" in text
    assert "rls:value 1 , 1.0 , " in text.replace(" ,\n        ", " , ")
    assert '"1.0"^^xsd:double' in text  # bare 1.0 would read back as xsd:decimal
    assert f"<{EX}odd(local).>" in text
