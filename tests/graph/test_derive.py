"""Simple triples and the inferred (OWL 2 RL) graph."""

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from rlskg.graph.derive import derive_inferred, derive_simple, is_useful
from rlskg.graph.skolem import skolemize
from rlskg.graph.sources import load_sources
from rlskg.ontology.namespaces import GENID, RLS
from tests.support.data import ONTOLOGY, SOURCES

PREFIXES = """
@prefix rls: <https://w3id.org/rlskg/ontology/> .
@prefix assoc: <https://w3id.org/rlskg/id/association/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _association(name: str, extra: str = "") -> str:
    return f"""assoc:{name} a rls:Association ; rls:subject rls:{name} ; rls:predicate rls:causes ;
        rls:object rls:RestlessLegsSyndrome ; rls:claimStrength rls:Established {extra} ."""


@pytest.fixture(scope="module")
def data() -> Graph:
    union = Graph()
    for source in load_sources(SOURCES):
        union += skolemize(source.graph)
    return union


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return skolemize(Graph().parse(ONTOLOGY, format="turtle"))


@pytest.fixture(scope="module")
def inferred(ontology: Graph, data: Graph) -> Graph:
    return derive_inferred(ontology, [data, derive_simple(data)]).graph


def test_simple_triples_of_the_fixtures(data: Graph) -> None:
    assert set(derive_simple(data)) == {
        (RLS.MultipleSclerosis, RLS.associatedWith, RLS.RestlessLegsSyndrome),
        (RLS.IronDeficiency, RLS.causes, RLS.RestlessLegsSyndrome),
        # not the hypothesised MultipleSclerosis worsens RLS: a bare triple would state it as fact
    }


@pytest.mark.parametrize(
    ("extra", "kept"),
    [
        ("", True),
        ("; rls:negated false", True),
        ("; rls:negated true", False),
        ('; rls:negated "1"^^xsd:boolean', False),
    ],
)
def test_simple_triples_leave_out_negated_claims(extra: str, kept: bool) -> None:
    data = Graph().parse(data=PREFIXES + _association("Caffeine", extra), format="turtle")
    assert bool(set(derive_simple(data))) is kept


@pytest.mark.parametrize(
    ("strength", "kept"),
    [("Established", True), ("Associated", True), ("Hypothesised", False), ("Rejected", False)],
)
def test_simple_triples_only_state_established_or_associated_claims(strength: str, kept: bool) -> None:
    text = PREFIXES + _association("Caffeine").replace("rls:Established", f"rls:{strength}")
    assert bool(derive_simple(Graph().parse(data=text, format="turtle"))) is kept


def test_inferred_has_super_property_and_subclass_entailments(inferred: Graph) -> None:
    # causes is under causesOrContributesTo, under relatedTo; a cause is not a correlation
    assert (RLS.IronDeficiency, RLS.causesOrContributesTo, RLS.RestlessLegsSyndrome) in inferred
    assert (RLS.IronDeficiency, RLS.relatedTo, RLS.RestlessLegsSyndrome) in inferred
    assert (RLS.IronDeficiency, RLS.associatedWith, RLS.RestlessLegsSyndrome) not in inferred
    assert (RLS.causes, RDFS.subPropertyOf, RLS.relatedTo) in inferred
    # associatedWith is symmetric
    assert (RLS.RestlessLegsSyndrome, RLS.associatedWith, RLS.MultipleSclerosis) in inferred
    assert (RLS.MultipleSclerosis, RDFS.subClassOf, RLS.Disease) in inferred
    # a restriction is inherited by the subclasses, by its skolem IRI
    inherited = [
        o for o in inferred.objects(RLS.MultipleSclerosis, RDFS.subClassOf) if str(o).startswith(GENID)
    ]
    assert len(inherited) == 1


def test_inferred_leaves_out_what_is_asserted(inferred: Graph, ontology: Graph, data: Graph) -> None:
    assert not set(inferred) & (set(ontology) | set(data) | set(derive_simple(data)))


def test_inferred_leaves_out_trivial_triples(inferred: Graph) -> None:
    assert len(inferred) > 0
    for s, p, o in inferred:
        assert not isinstance(s, Literal)
        assert not (s == o and p in (OWL.sameAs, RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf))
        assert not str(s).startswith(("http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#"))
        assert o not in (OWL.Thing, RDFS.Resource)
        assert not str(s).startswith(str(GENID))
    # annotations are not reasoned over: the axiom annotation gives nothing
    assert (None, RDFS.comment, None) not in inferred


@pytest.mark.parametrize(
    "triple",
    [
        (Literal("26.0", datatype=XSD.decimal), RDF.type, XSD.decimal),
        (RLS.Disease, RDFS.subClassOf, RLS.Disease),
        (RLS.Disease, OWL.sameAs, RLS.Disease),
        (OWL.Nothing, RDFS.subClassOf, RLS.Disease),
        (RDFS.label, RDF.type, OWL.AnnotationProperty),
        (RLS.Disease, RDFS.subClassOf, OWL.Thing),
        (RLS.subject, RDFS.domain, OWL.Thing),
        (BNode(), RDF.type, RLS.Disease),
        (GENID.abc, RDFS.subClassOf, RLS.Disease),
        (RLS.subject, RDFS.domain, GENID.abc),
    ],
)
def test_is_useful_drops_by_products(triple: tuple[Node, Node, Node]) -> None:
    assert not is_useful(triple)


@pytest.mark.parametrize(
    "triple",
    [
        (RLS.MultipleSclerosis, RDFS.subClassOf, RLS.Disease),
        (RLS.MultipleSclerosis, RDFS.subClassOf, GENID.abc),
        (RLS.IronDeficiency, RLS.relatedTo, RLS.RestlessLegsSyndrome),
        (RLS.Percent, RDF.type, RLS.Unit),
    ],
)
def test_is_useful_keeps_entailments(triple: tuple[Node, Node, Node]) -> None:
    assert is_useful(triple)


def test_owlrl_inconsistency_is_reported() -> None:
    ontology = Graph().parse(
        data=PREFIXES
        + "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        + "rls:Disease a owl:Class ; owl:disjointWith rls:Drug . rls:Drug a owl:Class .",
        format="turtle",
    )
    data = Graph().parse(data=PREFIXES + "rls:x a rls:Disease , rls:Drug .", format="turtle")
    inference = derive_inferred(ontology, [data])
    assert inference.messages
    assert not any(isinstance(node, BNode) for triple in inference.graph for node in triple)
