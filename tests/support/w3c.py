"""The W3C SPARQL 1.1 test suite (tests/w3c/sparql11, vendored from github.com/w3c/rdf-tests): its
manifests read into test entries, and the comparisons its expected results need.

A manifest lists entries (``mf:entries``) and includes other manifests (``mf:include``); an entry
has a type (``mf:PositiveSyntaxTest11``, ``mf:QueryEvaluationTest``, ...), a name, an action and,
for evaluation tests, a result. Results are compared as RDF: a solution sequence is turned into
a graph of the DAWG result-set vocabulary, so that rdflib's graph isomorphism matches blank nodes
and counts duplicate solutions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from rdflib.term import Node

SUITE = Path(__file__).resolve().parents[1] / "w3c" / "sparql11"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")


@dataclass(frozen=True)
class Entry:
    """One test of a manifest."""

    name: str  # "<folder>/<local name>", e.g. "syntax-query/test_1": unique in the suite
    kind: str  # the local name of its type, e.g. "PositiveSyntaxTest11"
    iri: URIRef
    manifest: Graph  # the graph of the manifest it is in

    def value(self, *path: URIRef) -> Node | None:
        """The object reached from the entry through ``path``."""
        node: Node | None = self.iri
        for predicate in path:
            node = self.manifest.value(node, predicate) if node is not None else None
        return node

    def values(self, subject: Node, predicate: URIRef) -> list[Node]:
        return list(self.manifest.objects(subject, predicate))


def entries(manifest: Path = SUITE / "manifest-all.ttl") -> Iterator[Entry]:
    """Every test of ``manifest`` and of the manifests it includes, in their order."""
    graph = Graph().parse(manifest, format="turtle")
    root = URIRef(manifest.as_uri())
    for included in _list(graph, graph.value(root, MF.include)):
        yield from entries(_path(included))
    folder = manifest.parent.name
    for iri in _list(graph, graph.value(root, MF.entries)):
        if graph.value(iri, DAWGT.approval) in (DAWGT.Withdrawn, DAWGT.Rejected):
            continue
        kind = graph.value(iri, RDF.type)
        assert isinstance(iri, URIRef) and kind is not None
        yield Entry(f"{folder}/{iri.split('#')[-1]}", str(kind).split("#")[-1], iri, graph)


def _list(graph: Graph, head: Node | None) -> list[Node]:
    return [] if head is None else list(Collection(graph, head))


def _path(iri: Node) -> Path:
    """The local file a manifest IRI names (they are file: IRIs, from parsing the local files)."""
    text = str(iri)
    assert text.startswith("file://"), text
    return Path(text.removeprefix("file://"))


def file_of(node: Node | None) -> Path:
    assert node is not None
    return _path(node)


# Comparing answers.

RESULT_FORMATS = {
    ".srx": ox.QueryResultsFormat.XML,
    ".srj": ox.QueryResultsFormat.JSON,
    ".tsv": ox.QueryResultsFormat.TSV,
}


XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + name for name in (
    "integer", "long", "int", "short", "byte", "nonNegativeInteger", "nonPositiveInteger",
    "positiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
)}  # fmt: skip
FLOATS = {XSD + "double", XSD + "float"}


def _canonical_number(value: str, datatype: str) -> str:
    """The canonical lexical form of a numeric or boolean literal, so that "3.0E4"^^xsd:double and
    "30000"^^xsd:double compare equal, as the suite's results mean (and its harnesses compare;
    Oxigraph itself stores some literals as values); a form that does not parse is kept as written."""
    try:
        if datatype in INTEGERS:
            return str(int(value))
        if datatype == XSD + "decimal":
            number = Decimal(value)
            return format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")
        if datatype in FLOATS:
            return repr(float(value.replace("INF", "inf")))
        if datatype == XSD + "boolean" and value in ("0", "1"):
            return "true" if value == "1" else "false"
    except (ValueError, ArithmeticError):
        pass
    return value


def _rdflib_term(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal), term
    # normalize=False: rdflib would rewrite "+33.3300"^^xsd:decimal as "33.33", and the tests
    # compare terms, lexical forms included.
    if term.language:
        return Literal(term.value, lang=term.language, normalize=False)
    datatype = term.datatype.value
    return Literal(_canonical_number(term.value, datatype), datatype=URIRef(datatype), normalize=False)


def results_graph(results: ox.QuerySolutions | ox.QueryBoolean, ordered: bool) -> Graph:
    """A result set as a graph of the DAWG result-set vocabulary: one blank node per solution (so
    duplicates count), its index when order matters, blank-node values as blank nodes."""
    graph = Graph()
    root = BNode()
    graph.add((root, RDF.type, RS.ResultSet))
    if isinstance(results, ox.QueryBoolean):
        graph.add((root, RS.boolean, Literal(bool(results))))
        return graph
    for variable in results.variables:
        graph.add((root, RS.resultVariable, Literal(variable.value)))
    for index, solution in enumerate(results):
        node = BNode()
        graph.add((root, RS.solution, node))
        if ordered:
            graph.add((node, RS["index"], Literal(index)))
        for variable in results.variables:
            value = solution[variable]
            if value is not None:
                binding = BNode()
                graph.add((node, RS.binding, binding))
                graph.add((binding, RS.variable, Literal(variable.value)))
                graph.add((binding, RS.value, _rdflib_term(value)))
    return graph


def expected_results(path: Path, ordered: bool) -> Graph:
    """An expected result file as a graph to compare: results in XML, JSON or TSV, or RDF."""
    if path.suffix in RESULT_FORMATS:
        return results_graph(ox.parse_query_results(path=path, format=RESULT_FORMATS[path.suffix]), ordered)
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    assert fmt is not None, path
    return rdf_graph(quad.triple for quad in ox.parse(path=path, format=fmt, base_iri=path.as_uri()))


def rdf_graph(triples: Iterable[ox.Triple]) -> Graph:
    """Triples as an rdflib graph, literals as written (not normalised)."""
    graph = Graph()
    for triple in triples:
        graph.add((_rdflib_term(triple.subject), _rdflib_term(triple.predicate), _rdflib_term(triple.object)))
    return graph


def same_graph(first: Graph, second: Graph) -> bool:
    return isomorphic(first, second)
