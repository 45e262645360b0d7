"""The VoID description of a built dataset: the whole, one subset per named graph, and partitions.

Counts follow the VoID guide (https://www.w3.org/TR/void/), with these readings:

- ``void:triples`` of the whole: distinct triples of the union of the named graphs (a triple
  asserted in two graphs counts once); of a subset: the triples of its graph;
- ``void:entities``: distinct subjects that are IRIs in the ``void:uriSpace`` (the project's base),
  skolem IRIs of blank nodes left out; ``void:classes``: distinct objects of ``rdf:type``;
  ``void:properties``: distinct predicates;
- class partitions (the whole only): ``void:entities`` is the number of distinct instances, any
  IRI; property partitions: ``void:triples`` with that predicate.

``void:sparqlEndpoint`` is the service's to add: only it knows where it runs.
"""

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, VOID
from rdflib.term import Node

from rlskg.ontology.namespaces import (
    BASE,
    DATA_LICENSE,
    DATASET,
    DATASET_IRI,
    DOWNLOAD,
    GENID,
    GRAPH,
    PREFIXES,
)

_Triple = tuple[Node, Node, Node]

TITLE = "rlskg: a knowledge graph of restless legs syndrome (Willis-Ekbom disease) and its causes"
GRAPH_DESCRIPTIONS = {
    GRAPH.ontology: "The OWL ontology (TBox), its imports merged in.",
    GRAPH.simple: "One triple (subject predicate object) for every association neither negated nor rejected.",
    GRAPH.inferred: "What OWL 2 RL (owlrl) infers from the other graphs, less what they assert and trivia.",
}
DUMP_FILES = ("dataset.nq", "dataset.trig")
# The namespaces of our data are not vocabularies.
_DATA_NAMESPACES = frozenset({"src", "work", "assoc", "pop", "fig", "agent", "graph"})
_SLUG = re.compile(r"[A-Za-z0-9_-]+\Z")


@dataclass(frozen=True)
class Statistics:
    """The VoID counts of one set of triples."""

    triples: int
    entities: int
    classes: int
    properties: int
    distinct_subjects: int
    distinct_objects: int

    @classmethod
    def of(cls, triples: Collection[_Triple]) -> "Statistics":
        return cls(
            triples=len(triples),
            entities=len({s for s, _p, _o in triples if is_entity(s)}),
            classes=len({o for _s, p, o in triples if p == RDF.type}),
            properties=len({p for _s, p, _o in triples}),
            distinct_subjects=len({s for s, _p, _o in triples}),
            distinct_objects=len({o for _s, _p, o in triples}),
        )


def is_entity(node: Node) -> bool:
    """An IRI in the dataset's URI space that does not stand for a blank node."""
    return isinstance(node, URIRef) and node.startswith(BASE) and not node.startswith(str(GENID))


def describe_dataset(graphs: Sequence[Graph], version: str, sources: Mapping[URIRef, URIRef]) -> Graph:
    """The VoID description of the dataset made of ``graphs`` (each named by its identifier).

    :param version: the dataset version (the manifest's), as ``owl:versionInfo``.
    :param sources: graph IRI to the source node it holds, for ``dcterms:source``.
    """
    void = Graph(bind_namespaces="none")
    dataset = URIRef(DATASET_IRI)
    union: set[_Triple] = {triple for graph in graphs for triple in graph}
    void.add((dataset, RDF.type, VOID.Dataset))
    void.add((dataset, DCTERMS.title, Literal(TITLE, lang="en")))
    void.add((dataset, DCTERMS.license, URIRef(DATA_LICENSE)))
    void.add((dataset, OWL.versionInfo, Literal(version)))
    void.add((dataset, VOID.uriSpace, Literal(BASE)))
    for name in DUMP_FILES:
        void.add((dataset, VOID.dataDump, DOWNLOAD[name]))
    for vocabulary in _vocabularies(union):
        void.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    _add_statistics(void, dataset, Statistics.of(union))

    for graph in graphs:
        subset = URIRef(str(graph.identifier))
        void.add((dataset, VOID.subset, subset))
        void.add((subset, RDF.type, VOID.Dataset))
        if subset in sources:
            void.add((subset, DCTERMS.source, sources[subset]))
        if subset in GRAPH_DESCRIPTIONS:
            void.add((subset, DCTERMS.description, Literal(GRAPH_DESCRIPTIONS[subset], lang="en")))
        _add_statistics(void, subset, Statistics.of(set(graph)))

    instances: dict[Node, set[Node]] = {}
    for s, p, o in union:
        if p == RDF.type and isinstance(s, URIRef):
            instances.setdefault(o, set()).add(s)
    for cls, members in instances.items():
        partition = DATASET["class/" + _slug(cls)]
        void.add((dataset, VOID.classPartition, partition))
        void.add((partition, VOID["class"], cls))
        void.add((partition, VOID.entities, Literal(len(members))))
    for prop, count in Counter(p for _s, p, _o in union).items():
        partition = DATASET["property/" + _slug(prop)]
        void.add((dataset, VOID.propertyPartition, partition))
        void.add((partition, VOID.property, prop))
        void.add((partition, VOID.triples, Literal(count)))
    return void


def _add_statistics(void: Graph, node: URIRef, statistics: Statistics) -> None:
    void.add((node, VOID.triples, Literal(statistics.triples)))
    void.add((node, VOID.entities, Literal(statistics.entities)))
    void.add((node, VOID.classes, Literal(statistics.classes)))
    void.add((node, VOID.properties, Literal(statistics.properties)))
    void.add((node, VOID.distinctSubjects, Literal(statistics.distinct_subjects)))
    void.add((node, VOID.distinctObjects, Literal(statistics.distinct_objects)))


def _vocabularies(triples: Iterable[_Triple]) -> list[str]:
    """The namespaces (of PREFIXES) of the properties and classes used."""
    terms = set()
    for _s, p, o in triples:
        terms.add(p)
        if p == RDF.type:
            terms.add(o)
    namespaces = [ns for prefix, ns in PREFIXES.items() if prefix not in _DATA_NAMESPACES]
    found = set()
    for term in terms:
        matches = [ns for ns in namespaces if isinstance(term, URIRef) and term.startswith(ns)]
        if matches:
            found.add(max(matches, key=len))
    return sorted(found)


def _slug(term: Node) -> str:
    """A readable, stable IRI segment for a class or property: ``rls-Association``, else a hash."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        local = str(term)[len(namespace) :]
        if str(term).startswith(namespace) and _SLUG.match(local):
            return f"{prefix}-{local}"
    return hashlib.sha256(str(term).encode("utf-8")).hexdigest()[:16]
