"""Write RDF so that the same triples always give the same bytes.

rdflib's serializers promise no order: its TriG writer emits graphs in the order of a set (which
changes with Python's hash seed), and it sorts literals by value, so that ``"1"^^xsd:integer`` and
``"1.0"^^xsd:decimal`` tie and keep the order they came in. So:

- N-Quads: rdflib's N-Triples lines (its escaping is the standard's) with the graph name, sorted;
- TriG and Turtle: the small writer below. Graphs come in the order given, subjects sorted, then
  ``rdf:type`` (written ``a``) before the other predicates in order, objects sorted, all by their
  N-Triples form; an IRI is written as a prefixed name (``ontology.namespaces.PREFIXES``) when its
  local part is plain, else in full; only the prefixes used are declared. Blank nodes are not
  expected (the build skolemises them) and are written with their own labels.
"""

import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from rlskg.ontology.namespaces import PREFIXES

_INDENT = "    "
_LINE = 80
# A conservative PN_LOCAL (Turtle 1.1): no escapes, no trailing dot, no leading '-' or '.'.
_PLAIN_LOCAL = re.compile(r"([A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?\Z")
# Turtle's INTEGER, DECIMAL and BOOLEAN forms (no exponent: that would read back as xsd:double).
_BARE = {
    XSD.integer: re.compile(r"[+-]?[0-9]+\Z"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+\Z"),
    XSD.boolean: re.compile(r"(true|false)\Z"),
}


def nquads_text(graphs: Iterable[Graph]) -> str:
    """The triples of ``graphs`` (each named by its identifier) as N-Quads, lines sorted."""
    lines = []
    for graph in graphs:
        label = graph.identifier.n3()
        # rdflib's N-Triples lines, with the graph added: its N-Quads writer on a Dataset goes
        # through Dataset.contexts(), deprecated in rdflib 7.
        # split("\n"), not splitlines(): that also splits at U+2028 and others, which N-Triples
        # leaves unescaped inside literals.
        for line in graph.serialize(format="nt").split("\n"):
            if line.strip():
                lines.append(f"{line.removesuffix(' .')} {label} .")
    return "".join(line + "\n" for line in sorted(lines))


def trig_text(graphs: Iterable[Graph]) -> str:
    """``graphs`` (each named by its identifier) as one TriG document; empty graphs are left out,
    since N-Quads cannot carry them either."""
    terms = _Terms()
    blocks = []
    for graph in graphs:
        if len(graph) == 0:
            continue
        body = _statements(graph, terms, _INDENT)
        blocks.append(f"{terms.node(graph.identifier)} {{\n{body}}}\n")
    return terms.header() + "\n".join(blocks)


def turtle_text(graph: Graph, lead: Node | None = None) -> str:
    """``graph`` as a Turtle document; ``lead``, if given, is the first subject written."""
    terms = _Terms()
    body = _statements(graph, terms, "", lead)
    return terms.header() + body


def write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line ends whatever the platform."""
    path.write_text(text, encoding="utf-8", newline="\n")


def _statements(graph: Graph, terms: "_Terms", indent: str, lead: Node | None = None) -> str:
    """One block per subject, blocks separated by an empty line."""
    blocks = []
    for subject in sorted(set(graph.subjects()), key=lambda node: (node != lead, _key(node))):
        predicates = sorted(set(graph.predicates(subject)), key=lambda p: (p != RDF.type, _key(p)))
        lines = []
        for predicate in predicates:
            objects = sorted(graph.objects(subject, predicate), key=_key)
            verb = "a" if predicate == RDF.type else terms.node(predicate)
            written = [terms.node(o) for o in objects]
            # A long list of objects gets one line each, so that a diff shows the one that changed.
            separator = " , " if sum(map(len, written)) <= _LINE else f" ,\n{indent}{_INDENT * 2}"
            lines.append(f"{verb} {separator.join(written)}")
        head = f"{indent}{terms.node(subject)} "
        blocks.append(head + f" ;\n{indent}{_INDENT}".join(lines) + " .\n")
    return "\n".join(blocks)


def _key(node: Node) -> str:
    # The N-Triples form is unique per term and needs no value comparison.
    return node.n3()


class _Terms:
    """Writes terms, and remembers which prefixes it used."""

    def __init__(self) -> None:
        self._used: dict[str, str] = {}
        # Longest namespace first, so that the most specific prefix wins.
        self._prefixes = sorted(PREFIXES.items(), key=lambda item: (-len(item[1]), item[0]))

    def node(self, node: Node) -> str:
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, URIRef):
            return self.iri(node)
        return node.n3()

    def iri(self, iri: URIRef) -> str:
        for prefix, namespace in self._prefixes:
            if iri.startswith(namespace) and _PLAIN_LOCAL.match(iri[len(namespace) :]):
                self._used[prefix] = namespace
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri.n3()

    def literal(self, literal: Literal) -> str:
        lexical = str(literal)
        # Numbers and booleans bare when Turtle reads the bare form back as the same term.
        for datatype, pattern in _BARE.items():
            if literal.datatype == datatype and pattern.match(lexical):
                return lexical
        # The lexical form, quoted and escaped as rdflib writes a plain literal.
        quoted = Literal(lexical).n3()
        if literal.language:
            return f"{quoted}@{literal.language}"
        if literal.datatype is not None:
            # Explicit even for xsd:string: rdflib tells "x" from "x"^^xsd:string, and the TriG
            # must read back as the same terms as the N-Quads.
            return f"{quoted}^^{self.iri(literal.datatype)}"
        return quoted

    def header(self) -> str:
        lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in sorted(self._used.items())]
        return "\n".join(lines) + "\n\n" if lines else ""
