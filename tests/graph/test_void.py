"""The VoID description counts what the dataset really holds."""

from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID
from rdflib.term import Node

from rlskg.graph.build import BuildResult
from rlskg.graph.validate import read_dataset
from rlskg.graph.void import is_entity
from rlskg.ontology.namespaces import BASE, DATA_LICENSE, DATASET_IRI, DOWNLOAD, GRAPH, RLS, SRC

DATASET = URIRef(DATASET_IRI)
_Triple = tuple[Node, Node, Node]


@pytest.fixture(scope="module")
def void(built: BuildResult) -> Graph:
    return Graph().parse(built.out_dir / "void.ttl", format="turtle")


@pytest.fixture(scope="module")
def graphs(built: BuildResult) -> dict[str, set[_Triple]]:
    found: dict[str, set[_Triple]] = {}
    for s, p, o, g in read_dataset(built.out_dir / "dataset.nq").quads((None, None, None, None)):
        found.setdefault(str(g), set()).add((s, p, o))
    return found


def _count(void: Graph, node: Node, prop: URIRef) -> int:
    value = void.value(node, prop)
    assert isinstance(value, Literal), f"{node} has no {prop}"
    number = value.toPython()
    assert isinstance(number, int)
    return number


def _expected(triples: set[_Triple]) -> dict[URIRef, int]:
    return {
        VOID.triples: len(triples),
        VOID.entities: len({s for s, _p, _o in triples if is_entity(s)}),
        VOID.classes: len({o for _s, p, o in triples if p == RDF.type}),
        VOID.properties: len({p for _s, p, _o in triples}),
        VOID.distinctSubjects: len({s for s, _p, _o in triples}),
        VOID.distinctObjects: len({o for _s, _p, o in triples}),
    }


def test_void_counts_the_whole_dataset(void: Graph, graphs: dict[str, set[_Triple]]) -> None:
    union = set().union(*graphs.values())
    for prop, expected in _expected(union).items():
        assert _count(void, DATASET, prop) == expected, prop


def test_void_counts_each_named_graph(
    void: Graph, graphs: dict[str, set[_Triple]], built: BuildResult
) -> None:
    subsets = set(void.objects(DATASET, VOID.subset))
    assert subsets == {URIRef(iri) for iri in built.graphs}
    for iri, triples in graphs.items():
        assert _count(void, URIRef(iri), VOID.triples) == built.graphs[iri]
        for prop, expected in _expected(triples).items():
            assert _count(void, URIRef(iri), prop) == expected, (iri, prop)


def test_void_partitions(void: Graph, graphs: dict[str, set[_Triple]]) -> None:
    union = set().union(*graphs.values())
    per_property = Counter(p for _s, p, _o in union)
    partitions = {
        void.value(node, VOID.property): node for node in void.objects(DATASET, VOID.propertyPartition)
    }
    assert set(partitions) == set(per_property)
    for prop, count in per_property.items():
        assert _count(void, partitions[prop], VOID.triples) == count
    associations = {s for s, p, o in union if p == RDF.type and o == RLS.Association}
    (node,) = [
        n
        for n in void.objects(DATASET, VOID.classPartition)
        if void.value(n, VOID["class"]) == RLS.Association
    ]
    assert _count(void, node, VOID.entities) == len(associations) == 5


def test_void_metadata(void: Graph) -> None:
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert (DATASET, DCTERMS.license, URIRef(DATA_LICENSE)) in void
    assert (DATASET, VOID.uriSpace, Literal(BASE)) in void
    assert set(void.objects(DATASET, VOID.dataDump)) == {DOWNLOAD["dataset.nq"], DOWNLOAD["dataset.trig"]}
    assert URIRef(str(RLS)) in set(void.objects(DATASET, VOID.vocabulary))
    assert (GRAPH.alpha, DCTERMS.source, SRC.alpha) in void
    assert (DATASET, VOID.sparqlEndpoint, None) not in void  # the service's to add
