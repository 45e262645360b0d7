"""What changed between two releases: classes, logical axioms and mappings added, removed, changed.

``rlskg diff OLD NEW`` prints it; ``rlskg build`` writes it as ``ontology/release-diff.md`` when
the output folder holds a previous ``rls.owl``. Either file may be RDF/XML (``.owl``, ``.rdf``,
``.xml``), Turtle, N-Triples or JSON-LD.

- **Classes**: named classes (IRIs declared ``owl:Class``). A class in both files is *changed*
  when its annotations (label, definition, synonyms, xrefs, ...; mappings are counted apart) or
  the logical axioms it is the subject of differ; each difference is listed.
- **Logical axioms**: subclass, equivalence, disjointness, property axioms (sub-, equivalent,
  inverse, domain, range, chains, characteristics), class and property assertions, written in
  Manchester-like syntax with class expressions spelt out (``rls:A SubClassOf: (RO:0004026 some
  rls:Leg)``), so that blank-node labels play no part. An axiom annotated
  ``oboInOwl:is_inferred "true"`` is marked ``[inferred]``. One axiom removed and one added with the
  same subject and kind (``rls:A EquivalentTo: ...``) are shown as one axiom *changed*.
- **Mappings**: ``skos:exactMatch``, ``closeMatch``, ``broadMatch``, ``narrowMatch``,
  ``relatedMatch`` and ``oboInOwl:hasDbXref`` statements; the same subject and target with another
  predicate (exactMatch became closeMatch) is a mapping *changed*.
"""

import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from rlskg.ontology.namespaces import OBOINOWL, PREFIXES
from rlskg.ontology.source import ontology_iri

MAPPING_PREDICATES = (
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
    OBOINOWL.hasDbXref,
)
# predicate -> the keyword an axiom with it is written with
AXIOM_KEYWORDS = {
    RDFS.subClassOf: "SubClassOf",
    OWL.equivalentClass: "EquivalentTo",
    OWL.disjointWith: "DisjointWith",
    OWL.disjointUnionOf: "DisjointUnionOf",
    OWL.hasKey: "HasKey",
    RDFS.subPropertyOf: "SubPropertyOf",
    OWL.equivalentProperty: "EquivalentProperty",
    OWL.inverseOf: "InverseOf",
    OWL.propertyDisjointWith: "DisjointProperty",
    RDFS.domain: "Domain",
    RDFS.range: "Range",
    OWL.propertyChainAxiom: "SubPropertyChain",
    OWL.sameAs: "SameAs",
    OWL.differentFrom: "DifferentFrom",
}
CHARACTERISTICS = {
    OWL.TransitiveProperty: "Transitive",
    OWL.SymmetricProperty: "Symmetric",
    OWL.AsymmetricProperty: "Asymmetric",
    OWL.ReflexiveProperty: "Reflexive",
    OWL.IrreflexiveProperty: "Irreflexive",
    OWL.FunctionalProperty: "Functional",
    OWL.InverseFunctionalProperty: "InverseFunctional",
}
NARY = {
    OWL.AllDisjointClasses: ("DisjointClasses", OWL.members),
    OWL.AllDisjointProperties: ("DisjointProperties", OWL.members),
    OWL.AllDifferent: ("DifferentIndividuals", OWL.distinctMembers),
}
_FORMATS = {".owl": "xml", ".rdf": "xml", ".xml": "xml", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}
_BUILTIN_NAMESPACES = (str(OWL), str(RDF), str(RDFS), str(XSD))
_NAMES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


class DiffInputError(Exception):
    """A file to compare cannot be read as RDF."""


@dataclass(frozen=True)
class Axiom:
    """A logical axiom as text, with what it is about and its kind (to pair a change)."""

    subject: str
    kind: str
    text: str


@dataclass
class ReleaseDiff:
    old_version: str | None = None
    new_version: str | None = None
    classes_added: list[tuple[str, str]] = field(default_factory=list)  # (name, label)
    classes_removed: list[tuple[str, str]] = field(default_factory=list)
    classes_changed: list[tuple[str, str, list[str]]] = field(default_factory=list)  # + "- x"/"+ x" lines
    axioms_added: list[str] = field(default_factory=list)
    axioms_removed: list[str] = field(default_factory=list)
    axioms_changed: list[tuple[str, str]] = field(default_factory=list)
    mappings_added: list[str] = field(default_factory=list)
    mappings_removed: list[str] = field(default_factory=list)
    mappings_changed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.classes_added,
                self.classes_removed,
                self.classes_changed,
                self.axioms_added,
                self.axioms_removed,
                self.axioms_changed,
                self.mappings_added,
                self.mappings_removed,
                self.mappings_changed,
            )
        )

    def counts(self) -> dict[str, tuple[int, int, int]]:
        """(added, removed, changed) for classes, logical axioms and mappings."""
        return {
            "classes": (len(self.classes_added), len(self.classes_removed), len(self.classes_changed)),
            "logical axioms": (len(self.axioms_added), len(self.axioms_removed), len(self.axioms_changed)),
            "mappings": (len(self.mappings_added), len(self.mappings_removed), len(self.mappings_changed)),
        }

    def markdown(self, old_name: str = "old", new_name: str = "new") -> str:
        lines = ["# Release diff", ""]
        lines.append(f"- old: {old_name}" + (f" (`{self.old_version}`)" if self.old_version else ""))
        lines.append(f"- new: {new_name}" + (f" (`{self.new_version}`)" if self.new_version else ""))
        lines += ["", "| | added | removed | changed |", "| --- | ---: | ---: | ---: |"]
        for what, (added, removed, changed) in self.counts().items():
            lines.append(f"| {what} | {added} | {removed} | {changed} |")
        if self.empty:
            lines += ["", "No changes."]
        sections: list[tuple[str, list[str]]] = [
            ("Classes added", [f"- `{n}` {_escape(label)}".rstrip() for n, label in self.classes_added]),
            ("Classes removed", [f"- `{n}` {_escape(label)}".rstrip() for n, label in self.classes_removed]),
            (
                "Classes changed",
                [
                    line
                    for name, label, changes in self.classes_changed
                    for line in [f"- `{name}` {_escape(label)}".rstrip(), *(f"  - `{c}`" for c in changes)]
                ],
            ),
            ("Logical axioms added", [f"- `{a}`" for a in self.axioms_added]),
            ("Logical axioms removed", [f"- `{a}`" for a in self.axioms_removed]),
            ("Logical axioms changed", [f"- `{old}` -> `{new}`" for old, new in self.axioms_changed]),
            ("Mappings added", [f"- `{m}`" for m in self.mappings_added]),
            ("Mappings removed", [f"- `{m}`" for m in self.mappings_removed]),
            ("Mappings changed", [f"- `{old}` -> `{new}`" for old, new in self.mappings_changed]),
        ]
        for title, items in sections:
            if items:
                lines += ["", f"## {title}", "", *items]
        return "\n".join(lines) + "\n"


def load_release(path: Path) -> Graph:
    """Parse a release file, by its extension (RDF/XML when it says nothing known).

    :raises DiffInputError: the file is missing or does not parse.
    """
    graph = Graph()
    try:
        with warnings.catch_warnings():
            # rdflib's JSON-LD parser builds a ConjunctiveGraph, which rdflib 7.6 deprecates
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(path, format=_FORMATS.get(path.suffix.lower(), "xml"))
    except FileNotFoundError:
        raise DiffInputError(f"{path}: file not found") from None
    except Exception as error:  # each rdflib parser raises its own kind
        raise DiffInputError(f"{path}: does not parse: {' '.join(str(error).split())[:300]}") from None
    return graph


def diff_files(old: Path, new: Path) -> ReleaseDiff:
    """:raises DiffInputError: a file is missing or does not parse."""
    return diff_graphs(load_release(old), load_release(new))


def diff_graphs(old: Graph, new: Graph) -> ReleaseDiff:
    result = ReleaseDiff(_version(old), _version(new))
    old_classes, new_classes = _classes(old), _classes(new)
    result.classes_added = [(term_name(c), _label(new, c)) for c in sorted(new_classes - old_classes)]
    result.classes_removed = [(term_name(c), _label(old, c)) for c in sorted(old_classes - new_classes)]

    old_axioms, new_axioms = set(axioms(old)), set(axioms(new))
    removed, added = old_axioms - new_axioms, new_axioms - old_axioms
    by_key_removed: dict[tuple[str, str], list[Axiom]] = defaultdict(list)
    by_key_added: dict[tuple[str, str], list[Axiom]] = defaultdict(list)
    for axiom in removed:
        by_key_removed[(axiom.subject, axiom.kind)].append(axiom)
    for axiom in added:
        by_key_added[(axiom.subject, axiom.kind)].append(axiom)
    paired: set[Axiom] = set()
    for key, olds in by_key_removed.items():
        news = by_key_added.get(key, [])
        if len(olds) == 1 and len(news) == 1:
            result.axioms_changed.append((olds[0].text, news[0].text))
            paired.update((olds[0], news[0]))
    result.axioms_changed.sort()
    result.axioms_added = sorted(a.text for a in added - paired)
    result.axioms_removed = sorted(a.text for a in removed - paired)

    for cls in sorted(old_classes & new_classes):
        before = _description(old, cls, old_axioms)
        after = _description(new, cls, new_axioms)
        if before != after:
            changes = [f"- {line}" for line in sorted(before - after)] + [
                f"+ {line}" for line in sorted(after - before)
            ]
            result.classes_changed.append((term_name(cls), _label(new, cls), changes))

    old_maps, new_maps = _mappings(old), _mappings(new)
    gone, came = old_maps - new_maps, new_maps - old_maps
    moved: set[tuple[str, str, str]] = set()
    for subject, predicate, target in sorted(gone):
        others = sorted(m for m in came if m[0] == subject and m[2] == target and m not in moved)
        if others:
            result.mappings_changed.append((f"{subject} {predicate} {target}", " ".join(others[0])))
            moved.update(((subject, predicate, target), others[0]))
    result.mappings_added = sorted(" ".join(m) for m in came - moved)
    result.mappings_removed = sorted(" ".join(m) for m in gone - moved)
    return result


def axioms(graph: Graph) -> list[Axiom]:
    """Every logical axiom of ``graph``, as text."""
    inferred = {
        (
            graph.value(a, OWL.annotatedSource),
            graph.value(a, OWL.annotatedProperty),
            graph.value(a, OWL.annotatedTarget),
        )
        for a in graph.subjects(OBOINOWL.is_inferred, None)
        if str(graph.value(a, OBOINOWL.is_inferred)).lower() == "true"
    }
    properties = {
        p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in graph.subjects(RDF.type, kind)
    }
    individuals = set(graph.subjects(RDF.type, OWL.NamedIndividual))
    found: list[Axiom] = []
    for s, p, o in graph:
        if not isinstance(s, URIRef):
            if p == RDF.type and isinstance(o, URIRef) and o in NARY:
                keyword, members = NARY[o]
                items = sorted(_expression(graph, m) for m in _list(graph, graph.value(s, members)))
                found.append(Axiom("", keyword, f"{keyword}: {', '.join(items)}"))
            continue
        subject = term_name(s)
        if isinstance(p, URIRef) and p in AXIOM_KEYWORDS:
            keyword = AXIOM_KEYWORDS[p]
            text = f"{subject} {keyword}: {_expression(graph, o)}"
            if (s, p, o) in inferred:
                text += " [inferred]"
            found.append(Axiom(subject, keyword, text))
        elif p == RDF.type and isinstance(o, URIRef) and o in CHARACTERISTICS:
            found.append(
                Axiom(subject, "Characteristics", f"{subject} Characteristics: {CHARACTERISTICS[o]}")
            )
        elif p == RDF.type and isinstance(o, URIRef | BNode) and s in individuals and not _builtin(o):
            found.append(Axiom(subject, "Types", f"{subject} Types: {_expression(graph, o)}"))
        elif s in individuals and p in properties:
            found.append(
                Axiom(
                    subject,
                    f"Facts {term_name(p)}",
                    f"{subject} Facts: {term_name(p)} {_expression(graph, o)}",
                )
            )
    return found


# -- rendering --------------------------------------------------------------------------------


def _expression(graph: Graph, node: Node | None, depth: int = 0) -> str:
    """A class expression (or any node) in Manchester-like syntax; set-like lists sorted."""
    if node is None:
        return "?"
    if not isinstance(node, BNode):
        return term_name(node)
    if depth > 20:
        return "..."

    def sub(value: Node | None) -> str:
        return _expression(graph, value, depth + 1)

    if (node, RDF.first, None) in graph:
        return "(" + ", ".join(sub(item) for item in _list(graph, node)) + ")"
    prop = graph.value(node, OWL.onProperty)
    if prop is not None:
        restriction = _restriction(graph, node, sub(prop), sub)
        if restriction is not None:
            return restriction
    for predicate, word in ((OWL.intersectionOf, " and "), (OWL.unionOf, " or ")):
        members = graph.value(node, predicate)
        if members is not None:
            return "(" + word.join(sorted(sub(m) for m in _list(graph, members))) + ")"
    if (complement := graph.value(node, OWL.complementOf)) is not None:
        return f"(not {sub(complement)})"
    if (one_of := graph.value(node, OWL.oneOf)) is not None:
        return "{" + ", ".join(sorted(sub(m) for m in _list(graph, one_of))) + "}"
    if (inverse := graph.value(node, OWL.inverseOf)) is not None:
        return f"inverse({sub(inverse)})"
    if (datatype := graph.value(node, OWL.onDatatype)) is not None:
        facets = [
            f"{term_name(p)} {sub(v)}"
            for facet in _list(graph, graph.value(node, OWL.withRestrictions))
            for p, v in graph.predicate_objects(facet)
        ]
        return f"{sub(datatype)}[{', '.join(sorted(facets))}]"
    pairs = sorted(f"{term_name(p)} {sub(o)}" for p, o in graph.predicate_objects(node))
    return "[" + "; ".join(pairs) + "]"


def _restriction(graph: Graph, node: BNode, prop: str, sub: Callable[[Node | None], str]) -> str | None:
    for predicate, word in (
        (OWL.someValuesFrom, "some"),
        (OWL.allValuesFrom, "only"),
        (OWL.hasValue, "value"),
    ):
        value = graph.value(node, predicate)
        if value is not None:
            return f"({prop} {word} {sub(value)})"
    if graph.value(node, OWL.hasSelf) is not None:
        return f"({prop} Self)"
    filler = graph.value(node, OWL.onClass) or graph.value(node, OWL.onDataRange)
    for predicates, word in (
        ((OWL.minCardinality, OWL.minQualifiedCardinality), "min"),
        ((OWL.maxCardinality, OWL.maxQualifiedCardinality), "max"),
        ((OWL.cardinality, OWL.qualifiedCardinality), "exactly"),
    ):
        for predicate in predicates:
            number = graph.value(node, predicate)
            if number is not None:
                return f"({prop} {word} {number}" + (f" {sub(filler)})" if filler is not None else ")")
    return None


def _list(graph: Graph, head: Node | None) -> list[Node]:
    items: list[Node] = []
    seen: set[Node] = set()
    node = head
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        first = graph.value(node, RDF.first)
        if first is not None:
            items.append(first)
        node = graph.value(node, RDF.rest)
    return items


def term_name(node: Node) -> str:
    """A CURIE when a project prefix fits, a literal as Turtle writes it, else the <IRI>."""
    if isinstance(node, Literal):
        text = '"' + str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None and node.datatype != XSD.string:
            return f"{text}^^{term_name(node.datatype)}"
        return text
    text = str(node)
    for prefix, namespace in _NAMES:
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return f"<{text}>"


def _builtin(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(_BUILTIN_NAMESPACES)


def _escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>|#" else c for c in " ".join(text.split()))


# -- what is compared -------------------------------------------------------------------------


def _version(graph: Graph) -> str | None:
    header = ontology_iri(graph)
    value = graph.value(header, OWL.versionIRI) if header is not None else None
    return str(value) if value is not None else None


def _classes(graph: Graph) -> set[URIRef]:
    return {
        c
        for c in graph.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and c not in (OWL.Thing, OWL.Nothing)
    }


def _label(graph: Graph, node: URIRef) -> str:
    labels = sorted(str(o) for o in graph.objects(node, RDFS.label))
    return labels[0] if labels else ""


def _description(graph: Graph, cls: URIRef, all_axioms: set[Axiom]) -> set[str]:
    """A class's annotations (mappings aside) and the logical axioms it is the subject of."""
    lines = {
        f"{term_name(p)} {term_name(o)}"
        for p, o in graph.predicate_objects(cls)
        if p != RDF.type
        and p not in AXIOM_KEYWORDS
        and p not in MAPPING_PREDICATES
        and not isinstance(o, BNode)
    }
    name = term_name(cls)
    lines.update(a.text for a in all_axioms if a.subject == name)
    return lines


def _mappings(graph: Graph) -> set[tuple[str, str, str]]:
    return {
        (term_name(s), term_name(p), term_name(o))
        for p in MAPPING_PREDICATES
        for s, o in graph.subject_objects(p)
        if isinstance(s, URIRef)
    }
