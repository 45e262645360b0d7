"""The release products, as graphs: full (classified), base and simple, as ODK makes them.

- **full** (``rls.owl``): the edit file with its imports merged, plus the subclass axioms HermiT
  infers between named classes, each annotated ``oboInOwl:is_inferred "true"`` as ``robot reason
  --annotate-inferred-axioms true`` does. Only *direct* inferred superclasses are added (what
  ROBOT's InferredSubClassAxiomGenerator asks the reasoner for); asserted axioms are kept as they are.
- **base** (``rls-base.owl``): the project's own axioms only, as ``robot remove --base-iri rls:
  --axioms external`` makes ODK's base: the edit file without its imports; of an entity outside
  the rls: namespace only its declaration is kept (entities the kept axioms use from the imports
  are declared too, so the file stays OWL 2 DL), except that a synonym type or subset in use keeps
  its label and its ``oboInOwl:SynonymTypeProperty``/``SubsetProperty`` parent, which OBO tools
  need; the inferred axioms about rls: classes are added; the header says ``dc:type
  obo:IAO_8000001`` (base file), as ODK's does.
- **simple** (``rls-simple.owl``): the named-class hierarchy only: every named class with its
  annotations, the transitive reduction of its asserted and inferred superclasses (inferred ones
  annotated as in full), the annotation properties used; no object or data properties, no
  individuals, no equivalence, disjointness or anonymous class expression. What OBO tools that
  want a tree read (and what ``rls.obo`` and ``rls.json`` are made from).

- **model** (``rlskg-model.owl``): the knowledge graph's data model (``rlskg-model.ttl``, its own
  ontology IRI ``https://w3id.org/rlskg/model``), its own axioms only: its import of the disease
  ontology is replaced by declarations of the disease ontology's terms it uses, so the file
  stands alone in OWL 2 DL; the disease products above do not contain it.

Each product keeps the header with its own ``owl:versionIRI`` (``.../releases/<date>/rls-base.owl``)
and ``owl:versionInfo``. The graphs come out with arbitrary blank-node labels: ``release.py``
orders and numbers them when it writes a file.

``entailed`` is HermiT's answer (``ReasonerResult.entailed``: every (subclass, superclass) pair of
named classes that holds); None means "not classified": the hierarchy is then the asserted one.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from rlskg.ontology.namespaces import OBO, OBOINOWL, RLS, bind_prefixes
from rlskg.ontology.reason import ancestor_pairs
from rlskg.ontology.source import ontology_iri

FULL = "rls"
BASE = "rls-base"
SIMPLE = "rls-simple"
MODEL = "rlskg-model"
PRODUCTS = (FULL, BASE, SIMPLE)

Entailed = frozenset[tuple[str, str]]

IS_INFERRED = OBOINOWL.is_inferred
DC_ELEMENTS = "http://purl.org/dc/elements/1.1/"
DC_TYPE = URIRef(DC_ELEMENTS + "type")
BASE_FILE = OBO.IAO_8000001  # OMO "base file": what ODK puts in a base product's dc:type

# What a declaration may say an entity is.
ENTITY_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    RDFS.Datatype,
)
# Annotation properties that OWL builds in: they need no declaration.
BUILTIN_ANNOTATIONS = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.deprecated,
        OWL.versionInfo,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
    }
)


@dataclass(frozen=True)
class Hierarchy:
    """The named-class hierarchy: each class's direct superclasses, and which of those edges the
    ontology asserts (the others are HermiT's)."""

    direct: dict[URIRef, frozenset[URIRef]]
    asserted: frozenset[tuple[URIRef, URIRef]]

    def edges(self) -> Iterator[tuple[URIRef, URIRef]]:
        for sub in sorted(self.direct):
            for sup in sorted(self.direct[sub]):
                yield sub, sup

    def inferred(self) -> list[tuple[URIRef, URIRef]]:
        """The direct edges the ontology does not assert."""
        return [edge for edge in self.edges() if edge not in self.asserted]


def version_iri(graph: Graph, name: str, extension: str = "owl") -> URIRef | None:
    """The header's versionIRI with its file name replaced: ``.../releases/<date>/<name>.<extension>``.

    >>> g = Graph()
    >>> _ = g.add((URIRef("https://w3id.org/rlskg/ontology"), RDF.type, OWL.Ontology))
    >>> _ = g.add((URIRef("https://w3id.org/rlskg/ontology"), OWL.versionIRI,
    ...            URIRef("https://w3id.org/rlskg/ontology/releases/2026-11-22/rls.owl")))
    >>> str(version_iri(g, "rls-base"))
    'https://w3id.org/rlskg/ontology/releases/2026-11-22/rls-base.owl'
    """
    header = ontology_iri(graph)
    current = graph.value(header, OWL.versionIRI) if header is not None else None
    if not isinstance(current, URIRef):
        return None
    folder, slash, _file = str(current).rpartition("/")
    return URIRef(f"{folder}{slash}{name}.{extension}") if slash else None


def hierarchy(graph: Graph, entailed: Entailed | None) -> Hierarchy:
    """The transitive reduction of the named-class hierarchy of ``graph`` (HermiT's ``entailed``
    pairs, or the asserted ones when None). Classes inferred equivalent get no edge between them."""
    classes = named_classes(graph)
    asserted = frozenset(
        (sub, sup)
        for sub, sup in graph.subject_objects(RDFS.subClassOf)
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and sub in classes and sup in classes
    )
    if entailed is None:
        pairs = _closure(asserted)
    else:
        pairs = {(URIRef(a), URIRef(b)) for a, b in entailed} | set(asserted)
    pairs = {(a, b) for a, b in pairs if a != b and a in classes and b in classes}
    ancestors: dict[URIRef, set[URIRef]] = {}
    for a, b in pairs:
        if (b, a) not in pairs:  # equivalent classes are not each other's superclass here
            ancestors.setdefault(a, set()).add(b)
    direct = {
        a: frozenset(b for b in ups if not any(b in ancestors.get(c, ()) for c in ups if c != b))
        for a, ups in ancestors.items()
    }
    return Hierarchy({a: ups for a, ups in direct.items() if ups}, asserted)


def full_product(merged: Graph, entailed: Entailed | None) -> Graph:
    """``rls.owl``: the merged ontology plus HermiT's direct subclass axioms, annotated as inferred."""
    graph = _copy(merged)
    _set_version(graph, FULL)
    _add_inferred(graph, hierarchy(merged, entailed).inferred())
    return graph


def base_product(own: Graph, merged: Graph, entailed: Entailed | None) -> Graph:
    """``rls-base.owl``: the axioms of the edit file ``own`` (loaded without imports) about rls:
    entities and the header; external entities declared only; inferred axioms about rls: classes."""
    header = ontology_iri(own)
    graph = bind_prefixes(Graph(bind_namespaces="none"))

    def internal(node: Node) -> bool:
        return node == header or (isinstance(node, URIRef) and node.startswith(str(RLS)))

    kept_roots: list[Node] = []
    for subject in set(own.subjects()):
        if isinstance(subject, URIRef):
            if internal(subject):
                kept_roots.append(subject)
            else:
                for kind in own.objects(subject, RDF.type):
                    graph.add((subject, RDF.type, kind))
    reachable = _reachable_bnodes(own, [s for s in own.subjects() if isinstance(s, URIRef)])
    loose = {s for s in own.subjects() if isinstance(s, BNode)} - reachable
    for root in sorted(loose, key=str):
        source = own.value(root, OWL.annotatedSource)
        if source is not None:
            if internal(source):
                kept_roots.append(root)
        elif any(internal(term) for term in _closure_terms(own, root)):
            kept_roots.append(root)  # e.g. owl:AllDisjointClasses among rls: classes
    for kept in kept_roots:
        for triple in _with_bnodes(own, kept):
            graph.add(triple)
    graph.remove((None, OWL.imports, None))
    inferred = [(a, b) for a, b in hierarchy(merged, entailed).inferred() if internal(a)]
    _add_inferred(graph, inferred)
    _keep_subsets_and_synonym_types(graph, merged)
    _declare_used(graph, merged)
    if header is not None:
        graph.bind("dc", DC_ELEMENTS)
        graph.add((DC_TYPE, RDF.type, OWL.AnnotationProperty))
        graph.add((header, DC_TYPE, BASE_FILE))
    _set_version(graph, BASE)
    return graph


def model_product(own: Graph, merged: Graph) -> Graph:
    """``rlskg-model.owl``: the data model's edit file ``own`` (loaded without imports) with the
    header's versionIRI, no ``owl:imports``, and the terms it uses from ``merged`` (its import
    closure) declared."""
    graph = _copy(own)
    graph.remove((None, OWL.imports, None))
    _declare_used(graph, merged)
    _set_version(graph, MODEL)
    return graph


def simple_product(merged: Graph, entailed: Entailed | None) -> Graph:
    """``rls-simple.owl``: named classes, their annotations and their reduced hierarchy."""
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    header = ontology_iri(merged)
    if header is not None:
        for triple in _with_bnodes(merged, header):
            graph.add(triple)
        graph.remove((None, OWL.imports, None))
    annotation_properties = {
        p for p in merged.subjects(RDF.type, OWL.AnnotationProperty) if isinstance(p, URIRef)
    } | BUILTIN_ANNOTATIONS
    classes = named_classes(merged)
    used: set[URIRef] = set()
    for cls in classes:
        graph.add((cls, RDF.type, OWL.Class))
        for prop, value in merged.predicate_objects(cls):
            if prop in annotation_properties and not isinstance(value, BNode):
                graph.add((cls, prop, value))
                used.add(URIRef(str(prop)))
    tree = hierarchy(merged, entailed)
    for sub, sup in tree.edges():
        graph.add((sub, RDFS.subClassOf, sup))
    # axiom annotations of what is kept (a synonym's type, a definition's xrefs, a subclass's source)
    for axiom in merged.subjects(RDF.type, OWL.Axiom):
        target = (
            merged.value(axiom, OWL.annotatedSource),
            merged.value(axiom, OWL.annotatedProperty),
            merged.value(axiom, OWL.annotatedTarget),
        )
        if target[0] in classes and None not in target and (target[0], target[1], target[2]) in graph:
            for triple in _with_bnodes(merged, axiom):
                graph.add(triple)
                if triple[1] in annotation_properties:
                    used.add(URIRef(str(triple[1])))
    _add_inferred(graph, tree.inferred())
    _keep_subsets_and_synonym_types(graph, merged)
    for prop in sorted(used - BUILTIN_ANNOTATIONS):
        graph.add((prop, RDF.type, OWL.AnnotationProperty))
        for p, value in merged.predicate_objects(prop):
            if p in annotation_properties and not isinstance(value, BNode):
                graph.add((prop, p, value))
    _declare_used(graph, merged)
    _set_version(graph, SIMPLE)
    return graph


def named_classes(graph: Graph) -> set[URIRef]:
    """The IRIs declared ``owl:Class`` (owl:Thing and owl:Nothing left out)."""
    return {
        c
        for c in graph.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and c not in (OWL.Thing, OWL.Nothing)
    }


# -- helpers ---------------------------------------------------------------------------------


def _copy(graph: Graph) -> Graph:
    copy = bind_prefixes(Graph(bind_namespaces="none"))
    for triple in graph:
        copy.add(triple)
    return copy


def _set_version(graph: Graph, name: str) -> None:
    """Give the header this product's versionIRI (its owl:versionInfo is the edit file's)."""
    header = ontology_iri(graph)
    iri = version_iri(graph, name)
    if header is not None and iri is not None:
        graph.set((header, OWL.versionIRI, iri))


def _add_inferred(graph: Graph, edges: Iterable[tuple[URIRef, URIRef]]) -> None:
    """Add each subclass axiom with the axiom annotation ``oboInOwl:is_inferred "true"``."""
    added = False
    for sub, sup in edges:
        graph.add((sub, RDFS.subClassOf, sup))
        axiom = BNode()
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, sub))
        graph.add((axiom, OWL.annotatedProperty, RDFS.subClassOf))
        graph.add((axiom, OWL.annotatedTarget, sup))
        graph.add((axiom, IS_INFERRED, Literal("true")))
        added = True
    if added:
        graph.add((IS_INFERRED, RDF.type, OWL.AnnotationProperty))


def _keep_subsets_and_synonym_types(graph: Graph, merged: Graph) -> None:
    """Keep what declares the subsets (``oboInOwl:inSubset`` values) and synonym types
    (``oboInOwl:hasSynonymType`` values) the graph uses: their label and their
    ``rdfs:subPropertyOf oboInOwl:SubsetProperty`` / ``SynonymTypeProperty``, without which OBO
    format has no ``subsetdef`` or ``synonymtypedef`` for them (and ROBOT's report warns)."""
    used = set(graph.objects(None, OBOINOWL.inSubset)) | set(graph.objects(None, OBOINOWL.hasSynonymType))
    for term in sorted(t for t in used if isinstance(t, URIRef)):
        for parent in merged.objects(term, RDFS.subPropertyOf):
            if parent in (OBOINOWL.SubsetProperty, OBOINOWL.SynonymTypeProperty):
                graph.add((term, RDFS.subPropertyOf, parent))
                graph.add((parent, RDF.type, OWL.AnnotationProperty))
        for label in merged.objects(term, RDFS.label):
            graph.add((term, RDFS.label, label))


def _declare_used(graph: Graph, merged: Graph) -> None:
    """Declare every entity the graph uses that ``merged`` declares and the graph does not."""
    terms = {t for triple in graph for t in triple if isinstance(t, URIRef)}
    for term in sorted(terms):
        if any((term, RDF.type, kind) in graph for kind in ENTITY_TYPES):
            continue
        for kind in ENTITY_TYPES:
            if (term, RDF.type, kind) in merged:
                graph.add((term, RDF.type, kind))


def _with_bnodes(graph: Graph, subject: Node) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of ``subject`` and of every blank node they reach (restrictions, lists)."""
    stack, seen = [subject], {subject}
    while stack:
        node = stack.pop()
        for p, o in graph.predicate_objects(node):
            yield node, p, o
            if isinstance(o, BNode) and o not in seen:
                seen.add(o)
                stack.append(o)


def _reachable_bnodes(graph: Graph, roots: Iterable[Node]) -> set[BNode]:
    reached: set[BNode] = set()
    for root in roots:
        for _s, _p, o in _with_bnodes(graph, root):
            if isinstance(o, BNode):
                reached.add(o)
    return reached


def _closure_terms(graph: Graph, root: Node) -> set[Node]:
    return {t for triple in _with_bnodes(graph, root) for t in (triple[1], triple[2])}


def _closure(pairs: Iterable[tuple[URIRef, URIRef]]) -> set[tuple[URIRef, URIRef]]:
    parents: dict[URIRef, set[URIRef]] = {}
    for a, b in pairs:
        parents.setdefault(a, set()).add(b)
    return ancestor_pairs(parents)
