"""The canonical Turtle form of the edit file: one order, so that every diff shows only real changes.

Order: the prefixes that are used, sorted (names from ``ontology.namespaces.PREFIXES`` win over the
file's own; a namespace PREFIXES lacks keeps the file's name), the ontology header, then one block
per entity sorted by IRI, each ``owl:Axiom`` annotation right after the entity it annotates, then
any other blank-node axiom. Inside a block,
predicates follow :data:`PREDICATE_ORDER` (then the rest by IRI) and objects are sorted by their
text. Blank nodes (restrictions, unions, lists) are written inline, so no blank node label appears;
the members of OWL lists whose order means nothing (``owl:unionOf``, ``owl:intersectionOf``, ...)
are sorted too, since the OWL API (Protege) reorders them when it saves.

Why not rdflib's ``longturtle``: it sorts predicates alphabetically after rdf:type and rdfs:label,
cannot put the header first or an owl:Axiom next to its entity, and orders blank nodes by their
(hash) labels rather than by what they say. Turtle comments are not kept (no RDF parser keeps
them): notes belong in annotations (``rdfs:comment``, ``obo:IAO_0000116`` editor note).
"""

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from rlskg.ontology.namespaces import (
    IAO_DEFINITION,
    IAO_DEFINITION_SOURCE,
    IAO_EDITOR_NOTE,
    OBOINOWL,
    PREFIXES,
    VANN,
)
from rlskg.ontology.source import parse_turtle

PREDICATE_ORDER: tuple[URIRef, ...] = (
    RDF.type,
    # what an owl:Axiom annotation is about, before the annotation itself
    OWL.annotatedSource,
    OWL.annotatedProperty,
    OWL.annotatedTarget,
    # the ontology header
    OWL.versionIRI,
    OWL.versionInfo,
    OWL.imports,
    DCTERMS.title,
    DCTERMS.description,
    DCTERMS.license,
    DCTERMS.creator,
    DCTERMS.contributor,
    DCTERMS.created,
    DCTERMS.modified,
    VANN.preferredNamespacePrefix,
    VANN.preferredNamespaceUri,
    # what a term means, in OBO order
    RDFS.label,
    IAO_DEFINITION,
    IAO_DEFINITION_SOURCE,
    OBOINOWL.hasExactSynonym,
    OBOINOWL.hasRelatedSynonym,
    OBOINOWL.hasBroadSynonym,
    OBOINOWL.hasNarrowSynonym,
    OBOINOWL.hasDbXref,
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.relatedMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    RDFS.comment,
    IAO_EDITOR_NOTE,
    RDFS.seeAlso,
    OWL.deprecated,
    # logical axioms
    RDFS.subClassOf,
    OWL.equivalentClass,
    OWL.disjointWith,
    OWL.disjointUnionOf,
    RDFS.subPropertyOf,
    OWL.equivalentProperty,
    OWL.inverseOf,
    RDFS.domain,
    RDFS.range,
    OWL.propertyChainAxiom,
    # inside class expressions and axiom annotations
    OWL.onProperty,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasValue,
    OWL.hasSelf,
    OWL.minCardinality,
    OWL.maxCardinality,
    OWL.cardinality,
    OWL.minQualifiedCardinality,
    OWL.maxQualifiedCardinality,
    OWL.qualifiedCardinality,
    OWL.onClass,
    OWL.onDataRange,
    OWL.intersectionOf,
    OWL.unionOf,
    OWL.complementOf,
    OWL.oneOf,
    OWL.members,
    OWL.distinctMembers,
)
_RANK = {predicate: rank for rank, predicate in enumerate(PREDICATE_ORDER)}

# Lists that stand for sets in OWL: their order carries no meaning, so we sort them.
UNORDERED_LISTS = frozenset(
    {
        OWL.unionOf,
        OWL.intersectionOf,
        OWL.oneOf,
        OWL.disjointUnionOf,
        OWL.members,
        OWL.distinctMembers,
        OWL.hasKey,
        OWL.withRestrictions,
    }
)

_INDENT = "    "
_LOCAL_NAME = re.compile(r"^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?$")
_PREFIX_NAME = re.compile(r"^(?:[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def format_graph(graph: Graph) -> str:
    """The canonical Turtle text of ``graph`` (the prefixes it binds may be used for extra namespaces)."""
    return _Writer(graph).write()


def canonical_text(path: Path) -> str:
    """The canonical form of the Turtle file ``path``.

    :raises OntologySourceError: the file is missing or is not valid Turtle.
    """
    return format_graph(parse_turtle(path))


def is_canonical(path: Path) -> bool:
    """Whether ``path`` is byte for byte in canonical form (what ``rlskg fmt --check`` asks)."""
    text = canonical_text(path)
    return path.read_bytes() == text.encode("utf-8")


def format_file(path: Path) -> bool:
    """Rewrite ``path`` in canonical form; return whether anything changed."""
    text = canonical_text(path)
    if path.read_bytes() == text.encode("utf-8"):
        return False
    path.write_text(text, encoding="utf-8", newline="\n")
    return True


class _Writer:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.used_prefixes: set[str] = set()
        self.namespaces = self._namespaces(graph)
        # Longest namespace first, so that the most specific prefix wins.
        self._by_length = sorted(self.namespaces.items(), key=lambda item: (-len(item[1]), item[0]))
        self.references: Counter[BNode] = Counter(o for o in graph.objects() if isinstance(o, BNode))
        self.lists: dict[BNode, list[Node]] = {}
        self._find_lists()
        self.inline = self._inline_nodes()
        self.labels: dict[BNode, str] = {}
        self._cache: dict[Node, list[str]] = {}

    def write(self) -> str:
        # Labelled blank nodes get their labels before anything is rendered: blocks refer to them.
        self._label_shared_nodes()
        blocks = self._blocks()
        prefixes = {name: iri for name, iri in self.namespaces.items() if name in self.used_prefixes}
        header = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in sorted(prefixes.items()))
        return header + "".join("\n" + block for block in blocks)

    # -- what goes where -------------------------------------------------------------------

    def _blocks(self) -> list[str]:
        subjects = set(self.graph.subjects())
        iris = sorted((s for s in subjects if isinstance(s, URIRef)), key=str)
        headers = [s for s in iris if (s, RDF.type, OWL.Ontology) in self.graph]
        roots = [
            s for s in subjects if isinstance(s, BNode) and s not in self.inline and s not in self.labels
        ]
        # owl:Axiom annotations follow the entity they annotate; other blank-node axioms go last.
        attached: dict[URIRef, list[str]] = {}
        loose: list[str] = []
        for node in roots:
            block = self._block(node)
            source = self.graph.value(node, OWL.annotatedSource)
            if isinstance(source, URIRef) and source in subjects:
                attached.setdefault(source, []).append(block)
            else:
                loose.append(block)
        blocks: list[str] = []
        for subject in headers + [s for s in iris if s not in headers]:
            blocks.append(self._block(subject))
            blocks.extend(sorted(attached.get(subject, [])))
        blocks.extend(sorted(loose))
        labelled = sorted(self.labels, key=self.labels.__getitem__)
        blocks.extend(self._block(node) for node in labelled if (node, None, None) in self.graph)
        return blocks

    def _block(self, subject: Node) -> str:
        lines = self._property_lines(subject)
        if isinstance(subject, BNode) and subject not in self.labels:
            body = ["[", *(_INDENT + line for line in lines), "] ."]
        else:
            name = self.labels.get(subject) if isinstance(subject, BNode) else None
            body = [name or self._term(subject), *(_INDENT + line for line in lines)]
            body[-1] += " ."
        return "\n".join(body) + "\n"

    # -- rendering ---------------------------------------------------------------------------

    def _property_lines(self, subject: Node) -> list[str]:
        """The predicate-object lines of ``subject``, at indent 0, joined by ';'."""
        lines: list[str] = []
        predicates = sorted(set(self.graph.predicates(subject)), key=self._predicate_key)
        for number, predicate in enumerate(predicates):
            verb = "a" if predicate == RDF.type else self._term(predicate)
            objects = sorted((self._object(o) for o in self.graph.objects(subject, predicate)), key=_text_key)
            if len(objects) == 1:
                rendered = _attach(verb + " ", objects[0], 0)
            else:
                rendered = [verb]
                for position, obj in enumerate(objects):
                    obj_lines = _attach(_INDENT, obj, 1)
                    if position < len(objects) - 1:
                        obj_lines[-1] += " ,"
                    rendered.extend(obj_lines)
            if number < len(predicates) - 1:
                rendered[-1] += " ;"
            lines.extend(rendered)
        return lines

    def _object(self, node: Node) -> list[str]:
        """``node`` as lines of Turtle at indent 0 (several lines for inline structures)."""
        if node in self._cache:
            return self._cache[node]
        if isinstance(node, BNode) and node in self.lists and node in self.inline:
            items = [self._object(item) for item in self.lists[node]]
            if self._is_unordered(node):
                items.sort(key=_text_key)
            lines = ["("] + [line for item in items for line in _attach(_INDENT, item, 1)] + [")"]
        elif isinstance(node, BNode) and node in self.inline:
            lines = ["["] + [_INDENT + line for line in self._property_lines(node)] + ["]"]
        elif isinstance(node, BNode):
            lines = [self.labels.get(node, "_:?")]
        else:
            lines = [self._term(node)]
        self._cache[node] = lines
        return lines

    def _term(self, node: Node) -> str:
        if isinstance(node, Literal):
            return self._literal(node)
        if isinstance(node, URIRef):
            return self._iri(node)
        raise TypeError(f"cannot write {node!r} as a Turtle term")

    def _iri(self, iri: URIRef) -> str:
        text = str(iri)
        for name, namespace in self._by_length:
            if text.startswith(namespace) and _LOCAL_NAME.match(text[len(namespace) :]):
                self.used_prefixes.add(name)
                return f"{name}:{text[len(namespace) :]}"
        return f"<{text}>"

    def _literal(self, literal: Literal) -> str:
        lexical = "".join(_ESCAPES.get(c, c if c >= " " else f"\\u{ord(c):04X}") for c in str(literal))
        if literal.language:
            return f'"{lexical}"@{literal.language}'
        # xsd:string is the datatype of every plain literal (RDF 1.1): write it plain.
        if literal.datatype is None or literal.datatype == XSD.string:
            return f'"{lexical}"'
        return f'"{lexical}"^^{self._iri(literal.datatype)}'

    def _predicate_key(self, predicate: Node) -> tuple[int, str]:
        return (_RANK.get(URIRef(str(predicate)), len(_RANK)), str(predicate))

    def _is_unordered(self, head: BNode) -> bool:
        return any(p in UNORDERED_LISTS for p in self.graph.predicates(None, head))

    # -- blank-node structure ----------------------------------------------------------------

    @staticmethod
    def _namespaces(graph: Graph) -> dict[str, str]:
        """PREFIXES, plus every other valid prefix the graph binds to a namespace PREFIXES lacks."""
        namespaces = dict(PREFIXES)
        known = set(PREFIXES.values())
        for name, iri in sorted(graph.namespaces()):
            if name not in namespaces and str(iri) not in known and _PREFIX_NAME.match(name):
                namespaces[name] = str(iri)
                known.add(str(iri))
        return namespaces

    def _find_lists(self) -> None:
        """Find well-formed RDF lists: rdf:first/rdf:rest chains of blank nodes used once each."""
        for head in {s for s in self.graph.subjects(RDF.first, None) if isinstance(s, BNode)}:
            if self.references[head] != 1 or self.graph.value(predicate=RDF.rest, object=head) is not None:
                continue
            items: list[Node] = []
            node: Node = head
            while node != RDF.nil:
                cell = self._list_cell(node)
                if cell is None:
                    break
                items.append(cell[0])
                node = cell[1]
            else:
                self.lists[head] = items

    def _list_cell(self, node: Node) -> tuple[Node, Node] | None:
        """(rdf:first, rdf:rest) of a blank node used once that is nothing but a list cell, else None."""
        if not isinstance(node, BNode) or self.references[node] != 1:
            return None
        pairs = list(self.graph.predicate_objects(node))
        if sorted(str(p) for p, _ in pairs) != [str(RDF.first), str(RDF.rest)]:
            return None
        values = dict(pairs)
        return values[RDF.first], values[RDF.rest]

    def _inline_nodes(self) -> set[BNode]:
        """Blank nodes written inline: used exactly once, and reachable without a cycle from a root."""
        candidates = {node for node, count in self.references.items() if count == 1}
        # Cells of a list are written by the list itself.
        cells: set[BNode] = set()
        for head in self.lists:
            node = self.graph.value(head, RDF.rest)
            while isinstance(node, BNode):
                cells.add(node)
                node = self.graph.value(node, RDF.rest)
        roots = [s for s in set(self.graph.subjects()) if not (isinstance(s, BNode) and s in candidates)]
        reached: set[BNode] = set()
        stack: list[Node] = list(roots)
        while stack:
            for obj in self._children(stack.pop()):
                if isinstance(obj, BNode) and obj in candidates and obj not in reached:
                    reached.add(obj)
                    stack.append(obj)
        return reached | cells

    def _children(self, node: Node) -> Iterable[Node]:
        if isinstance(node, BNode) and node in self.lists:
            return self.lists[node]
        return (o for _, o in self.graph.predicate_objects(node))

    def _label_shared_nodes(self) -> None:
        """Label blank nodes that cannot be inlined (used twice, or in a cycle): OWL never makes
        them, so a plain ``_:bN`` numbering in the order of their content is enough."""
        shared = [
            s
            for s in set(self.graph.subjects()) | set(self.references)
            if isinstance(s, BNode) and s not in self.inline and self.references[s] > 0
        ]
        ordered = sorted(shared, key=lambda node: _text_key(self._property_lines(node)))
        self._cache.clear()
        self.labels = {node: f"_:b{number}" for number, node in enumerate(ordered, start=1)}


def _attach(first_prefix: str, lines: list[str], level: int) -> list[str]:
    """Prefix the first of ``lines`` with ``first_prefix`` and indent the others by ``level``."""
    return [first_prefix + lines[0], *(_INDENT * level + line for line in lines[1:])]


def _text_key(lines: list[str]) -> tuple[int, str]:
    """Sort named terms first, then literals, then inline structures; each by text."""
    text = "\n".join(lines)
    return ({"[": 2, "(": 2, '"': 1}.get(text[:1], 0), text)
