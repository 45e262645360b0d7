"""What tests/data/service-mini.trig holds, for the clients' tests to compare their answers with:
its named graphs (as rdflib Graphs), the triples of a DESCRIBE, the labels, and the queries the
tests send."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from rlskg.ontology.namespaces import GRAPH, RLS
from tests.support.service import DATA, TRIPLES

NHS, ONTOLOGY, SIMPLE = URIRef(GRAPH.nhs), URIRef(GRAPH.ontology), URIRef(GRAPH.simple)
NAMED_GRAPHS = {NHS: 6, ONTOLOGY: 8, SIMPLE: 3}  # each graph's triples
assert sum(NAMED_GRAPHS.values()) == TRIPLES
RESTLESS_LEGS, DISEASE, IRON = (
    URIRef(RLS.RestlessLegsSyndrome),
    URIRef(RLS.Disease),
    URIRef(RLS.IronDeficiency),
)
LABELS = {
    DISEASE: Literal("disease", lang="en"),
    IRON: Literal("iron deficiency", lang="en"),
    RESTLESS_LEGS: Literal("restless legs syndrome", lang="en"),
}
# The labels in the order of ORDER BY ?l, as N-Triples terms (what the JavaScript drivers print).
LABEL_TERMS = sorted(f'"{label}"@{label.language}' for label in LABELS.values())

SELECT_LABELS = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CONSTRUCT_SIMPLE = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{SIMPLE}> {{ ?s ?p ?o }} }}"
DESCRIBE_RESTLESS_LEGS = f"DESCRIBE <{RESTLESS_LEGS}>"
ASK_TRUE = f"ASK {{ <{RESTLESS_LEGS}> <{RDFS.subClassOf}> <{DISEASE}> }}"
ASK_FALSE = f"ASK {{ <{DISEASE}> <{RDFS.subClassOf}> <{RESTLESS_LEGS}> }}"


def by_graph(quads: Iterable[ox.Quad]) -> dict[URIRef | None, Graph]:
    """Quads as an rdflib Graph for each graph name (None: the default graph). Read with
    pyoxigraph: rdflib's own Dataset parser warns that it is deprecated."""
    lines: dict[URIRef | None, list[str]] = {}
    for quad in quads:
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else URIRef(quad.graph_name.value)
        lines.setdefault(name, []).append(f"{quad.triple} .")
    out = {}
    for name, triples in lines.items():
        out[name] = Graph(identifier=name)
        out[name].parse(data="\n".join(triples) + "\n", format="nt")
    return out


@cache
def _data() -> dict[URIRef | None, Graph]:
    return by_graph(ox.parse(path=DATA, format=ox.RdfFormat.TRIG))


def graph(name: URIRef) -> Graph:
    """The triples of one named graph of the data."""
    return _data()[name]


def described(subject: URIRef) -> Graph:
    """The triples whose subject is ``subject``, in any graph (the data has no blank nodes, so
    this is their concise bounded description, as the service's DESCRIBE gives it)."""
    out = Graph()
    for named in _data().values():
        for triple in named.triples((subject, None, None)):
            out.add(triple)
    return out


def read(data: bytes | str, fmt: str) -> Graph:
    """An RDF document read with rdflib, whose own N3 and JSON-LD parsers use the ConjunctiveGraph
    and Dataset features that rdflib 7 deprecates (and warn)."""
    out = Graph()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "(ConjunctiveGraph|Dataset.default_context) is deprecated")
        out.parse(data=data, format=fmt)
    return out


def triples(graph: Graph) -> set[tuple[Node, Node, Node]]:
    return set(graph.triples((None, None, None)))
