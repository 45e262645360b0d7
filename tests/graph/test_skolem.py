"""Stable skolem IRIs for blank nodes."""

from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic

from rlskg.graph.skolem import skolem_iris, skolemize
from rlskg.ontology.namespaces import GENID
from tests.support.data import ONTOLOGY

TWO_RESTRICTIONS = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
ex:A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:C ] .
ex:B rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:C ] .
ex:U owl:unionOf ( ex:A ex:B ex:C ) .
"""

DUPLICATE_ANNOTATIONS = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
[] a owl:Axiom ; owl:annotatedSource ex:A ; owl:annotatedProperty rdfs:subClassOf ; owl:annotatedTarget ex:B .
[] a owl:Axiom ; owl:annotatedSource ex:A ; owl:annotatedProperty rdfs:subClassOf ; owl:annotatedTarget ex:B .
"""


def _parse(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def _deskolemize(graph: Graph) -> Graph:
    back = Graph()
    nodes: dict[URIRef, BNode] = {}
    for triple in graph:
        back.add(
            tuple(  # type: ignore[arg-type]
                nodes.setdefault(node, BNode())
                if isinstance(node, URIRef) and node.startswith(GENID)
                else node
                for node in triple
            )
        )
    return back


def test_skolemize_leaves_no_blank_node_and_keeps_the_structure() -> None:
    original = _parse(TWO_RESTRICTIONS)
    skolemized = skolemize(original)
    assert not any(isinstance(node, BNode) for triple in skolemized for node in triple)
    assert len(skolemized) == len(original)
    assert isomorphic(_deskolemize(skolemized), original)


def test_skolem_iris_do_not_depend_on_parser_labels() -> None:
    first, second = _parse(TWO_RESTRICTIONS), _parse(TWO_RESTRICTIONS)
    assert set(first.subjects()) - set(second.subjects())  # the parser's labels differ
    assert set(skolemize(first)) == set(skolemize(second))


def test_equal_restrictions_under_different_classes_stay_apart() -> None:
    iris = skolem_iris(_parse(TWO_RESTRICTIONS))
    # 2 restrictions + 3 list cells
    assert len(iris) == len(set(iris.values())) == 5


def test_indistinguishable_blank_nodes_keep_their_triples() -> None:
    original = _parse(DUPLICATE_ANNOTATIONS)
    skolemized = skolemize(original)
    assert len(skolemized) == len(original) == 8
    assert isomorphic(_deskolemize(skolemized), original)


def test_skolemize_the_fixture_ontology() -> None:
    original = Graph().parse(ONTOLOGY, format="turtle")
    skolemized = skolemize(original)
    assert isomorphic(_deskolemize(skolemized), original)
    assert all(str(iri).startswith(str(GENID)) for iri in skolem_iris(original).values())
