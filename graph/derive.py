"""What the build derives from the asserted graphs: the simple triples and the inferred triples.

Simple triples: for every ``rls:Association`` that is not ``rls:negated true`` and whose
``rls:claimStrength`` is ``rls:Established`` or ``rls:Associated``, the triple ``subject predicate
object``, so that easy questions take easy queries. A bare triple carries no hedge, so a claim a
source only puts forward as possible (Hypothesised) or rejects stays on its association node only,
where its strength is read with it; the union default graph never states it as a plain fact.

Inferred triples: the OWL 2 RL closure (owlrl) of ontology + sources + simple triples, less
everything that went in. Only what a query can use is kept; owlrl's by-products, true of every
graph, are left out:

- triples with a literal subject (owlrl types every literal: ``"26.0" rdf:type xsd:decimal``) or
  a blank node (owlrl's error-message nodes; the input has none, it is skolemised);
- reflexive triples: ``x owl:sameAs x``, ``C rdfs:subClassOf C``, ``C owl:equivalentClass C``,
  ``p rdfs:subPropertyOf p``, ``p owl:equivalentProperty p``;
- triples about the RDF, RDFS, OWL and XSD vocabularies themselves (``owl:Nothing rdfs:subClassOf C``,
  ``rdfs:label a owl:AnnotationProperty``, ``xsd:string a rdfs:Datatype``);
- triples whose object is a top: ``x a owl:Thing``, ``C rdfs:subClassOf owl:Thing``,
  ``p rdfs:domain owl:Thing``, and the same for rdfs:Resource, owl:topObjectProperty and
  owl:topDataProperty;
- triples about anonymous class expressions (restrictions, unions, intersections; skolem IRIs in
  the dataset): as subject (``_:r rdfs:subClassOf _:s``), or as object of anything but
  rdfs:subClassOf and owl:equivalentClass (``assoc:x a _:r``, ``p rdfs:domain _:u``). On rls.ttl
  these were more than half of what owlrl adds, and no query asks for them.

What remains: the class and property hierarchies closed under transitivity (``C rdfs:subClassOf D``
for every named ancestor D, and ``C rdfs:subClassOf _:r`` for every restriction C inherits, so that
``?c rdfs:subClassOf [ owl:onProperty ... ]`` finds inherited features), types from domains, ranges
and subclasses, super-property triples of the simple triples (``x rls:causes y`` gives
``x rls:associatedWith y`` when the ontology says so), symmetric and inverse triples, and owl:sameAs
between distinct nodes.

What OWL 2 RL cannot give: a class under a defined class (``C rdfs:subClassOf rls:SecondaryRLS``
where SecondaryRLS is an intersection with a restriction). Its rules close hierarchies but never
prove a subsumption into an intersection; that is classification, HermiT's job. The build passes
HermiT's classification (``ontology.reason``) in as ``entailed``: those subclass axioms join the
closure's input, so owlrl closes over them, and they are kept in the inferred graph.

Cost: owlrl applies every rule to every triple in each round, so the input is kept small.
Annotation assertions (any property the ontology declares an owl:AnnotationProperty, and the
built-in ones such as rdfs:label) and reified axiom annotations carry no logical meaning in OWL 2,
so they are not given to owlrl (on rls.ttl and the five sources: 3,700 triples in, not 5,700, and
about a quarter less time); owlrl's axiomatic and datatype triples are off.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import owlrl
from owlrl.Namespaces import ERRNS
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from rlskg.ontology.namespaces import GENID, RLS

_Triple = tuple[Node, Node, Node]
SIMPLE_STRENGTHS = frozenset({RLS.Established, RLS.Associated})  # what a bare triple may state

BUILTIN_ANNOTATION_PROPERTIES = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.versionInfo,
        OWL.deprecated,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
    }
)
_VOCABULARIES = tuple(str(namespace) for namespace in (RDF, RDFS, OWL, XSD))
_REFLEXIVE = frozenset(
    {OWL.sameAs, RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty}
)
_TOPS = frozenset({OWL.Thing, RDFS.Resource, OWL.topObjectProperty, OWL.topDataProperty})
_ANONYMOUS = str(GENID)
_ANONYMOUS_KEPT = frozenset({RDFS.subClassOf, OWL.equivalentClass})


@dataclass(frozen=True)
class Inference:
    """The inferred graph, and what owlrl reported as inconsistent (e.g. a member of two disjoint classes)."""

    graph: Graph
    messages: tuple[str, ...]


def derive_simple(data: Graph) -> Graph:
    """The simple triples of the association nodes in ``data`` (see the module's docstring)."""
    simple = Graph(bind_namespaces="none")
    for association in data.subjects(RDF.type, RLS.Association):
        strength = data.value(association, RLS.claimStrength)
        if _is_negated(data, association) or strength not in SIMPLE_STRENGTHS:
            continue
        for s in data.objects(association, RLS.subject):
            for p in data.objects(association, RLS.predicate):
                for o in data.objects(association, RLS.object):
                    # Anything else is not a triple; SHACL reports it.
                    if isinstance(s, URIRef) and isinstance(p, URIRef):
                        simple.add((s, p, o))
    return simple


def _is_negated(data: Graph, association: Node) -> bool:
    # .value, not the lexical form: "1"^^xsd:boolean is true too.
    return any(
        isinstance(value, Literal) and value.value is True for value in data.objects(association, RLS.negated)
    )


def derive_inferred(
    ontology: Graph, asserted: Iterable[Graph], entailed: Iterable[_Triple] = ()
) -> Inference:
    """The OWL 2 RL closure of ``ontology``, ``asserted`` and ``entailed`` (a full reasoner's
    conclusions), less the input graphs' own triples and the by-products listed in the module's
    docstring; ``entailed`` triples are kept."""
    graphs = [ontology, *asserted]
    annotation = BUILTIN_ANNOTATION_PROPERTIES | set(ontology.subjects(RDF.type, OWL.AnnotationProperty))
    reified = {
        node
        for graph in graphs
        for kind in (OWL.Axiom, OWL.Annotation)
        for node in graph.subjects(RDF.type, kind)
    }
    given: set[_Triple] = set()
    work = Graph(bind_namespaces="none")
    for graph in graphs:
        for s, p, o in graph:
            given.add((s, p, o))
            if p not in annotation and s not in reified:
                work.add((s, p, o))
    for triple in entailed:
        work.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    messages = sorted(
        {
            str(text)
            for node in work.subjects(RDF.type, ERRNS.ErrorMessage)
            for text in work.objects(node, ERRNS.error)
        }
    )
    inferred = Graph(bind_namespaces="none")
    for triple in work:
        if triple not in given and is_useful(triple):
            inferred.add(triple)
    return Inference(inferred, tuple(messages))


def is_useful(triple: _Triple) -> bool:
    """Whether an inferred triple says something about our terms or data (module docstring)."""
    s, p, o = triple
    if isinstance(s, Literal) or any(isinstance(node, BNode) for node in triple):
        return False
    if s == o and p in _REFLEXIVE:
        return False
    if str(s).startswith(_VOCABULARIES) or str(s).startswith(_ANONYMOUS):
        return False
    if isinstance(o, URIRef) and o.startswith(_ANONYMOUS) and p not in _ANONYMOUS_KEPT:
        return False
    return o not in _TOPS
