"""Broken copies of an ontology for the tests: edit the parsed graph, write it beside its imports.

Every helper works on any ontology in the project's conventions (the mini fixture or rls.ttl), so
that the same tests run on both: they pick the terms to break by their kind, in IRI order.
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from rlskg.ontology.fmt import format_graph
from rlskg.ontology.namespaces import IAO_DEFINITION, IAO_DEFINITION_SOURCE, RLS
from rlskg.ontology.reason import EXPECTED_NAME, load_expected
from rlskg.ontology.source import CATALOG_NAME, catalog_for, parse_turtle

BROKEN = RLS["BrokenTerm"]


def write_variant(edit_file: Path, folder: Path, graph: Graph | None = None, text: str | None = None) -> Path:
    """Copy the catalog, imports and expected classification of ``edit_file`` into ``folder``,
    and write ``graph`` (canonical form), ``text``, or the original file there as ``rls.ttl``."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(catalog_for(edit_file), folder / CATALOG_NAME)
    # the modules and seed lists; not the upstream files a refresh downloads (imports/mirror/)
    shutil.copytree(
        edit_file.parent / "imports",
        folder / "imports",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("mirror"),
    )
    if (edit_file.parent / EXPECTED_NAME).is_file():
        shutil.copy(edit_file.parent / EXPECTED_NAME, folder / EXPECTED_NAME)
    target = folder / "rls.ttl"
    if graph is not None:
        target.write_text(format_graph(graph), encoding="utf-8")
    elif text is not None:
        target.write_text(text, encoding="utf-8")
    else:
        shutil.copy(edit_file, target)
    return target


def own_terms(graph: Graph, kind: URIRef = OWL.Class) -> list[URIRef]:
    """The rls: terms of ``kind`` that have a label and a definition, in IRI order."""
    return sorted(
        term
        for term in graph.subjects(RDF.type, kind)
        if isinstance(term, URIRef)
        and term.startswith(str(RLS))
        and (term, RDFS.label, None) in graph
        and (term, IAO_DEFINITION, None) in graph
    )


def remove_subtree(graph: Graph, subject: Node, predicate: URIRef) -> None:
    """Remove ``subject predicate ?o`` and, for blank ?o, everything hanging from it."""
    for obj in list(graph.objects(subject, predicate)):
        graph.remove((subject, predicate, obj))
        for node in _blank_closure(graph, obj):
            graph.remove((node, None, None))


def _blank_closure(graph: Graph, start: Node) -> Iterator[BNode]:
    stack, seen = [start], set()
    while stack:
        node = stack.pop()
        if isinstance(node, BNode) and node not in seen:
            seen.add(node)
            yield node
            stack.extend(graph.objects(node, None))


def first_expected_pair(edit_file: Path) -> tuple[URIRef, URIRef]:
    """The first (subclass, superclass) row of the edit file's expected classification."""
    rows = load_expected(edit_file.parent / EXPECTED_NAME)
    assert rows, f"{edit_file.parent / EXPECTED_NAME} lists no expected classification"
    return URIRef(rows[0].subclass), URIRef(rows[0].superclass)


def declassify(graph: Graph, term: URIRef) -> None:
    """Take every class axiom off ``term``, so that the reasoner can no longer place it."""
    remove_subtree(graph, term, OWL.equivalentClass)
    remove_subtree(graph, term, RDFS.subClassOf)
    for other in list(graph.subjects(OWL.equivalentClass, term)):
        graph.remove((other, OWL.equivalentClass, term))


def add_term(graph: Graph, term: URIRef, label: str, *parents: URIRef) -> None:
    """Add a class in the conventions (label, definition, source), so that only its logic is wrong."""
    source = graph.value(own_terms(graph)[0], IAO_DEFINITION_SOURCE)
    graph.add((term, RDF.type, OWL.Class))
    graph.add((term, RDFS.label, Literal(label, lang="en")))
    graph.add((term, IAO_DEFINITION, Literal(f"A test class, {label}.", lang="en")))
    if source is not None:
        graph.add((term, IAO_DEFINITION_SOURCE, source))
    for parent in parents:
        graph.add((term, RDFS.subClassOf, parent))


def add_unsatisfiable_class(graph: Graph) -> URIRef:
    """Add two disjoint classes and a class under both: it can have no instance."""
    first, second = RLS["BrokenDisjointA"], RLS["BrokenDisjointB"]
    add_term(graph, first, "broken disjoint a")
    add_term(graph, second, "broken disjoint b")
    graph.add((first, OWL.disjointWith, second))
    add_term(graph, BROKEN, "broken term", first, second)
    return BROKEN


def load(edit_file: Path) -> Graph:
    """The edit file alone (imports stay imports, so the copy keeps its owl:imports)."""
    return parse_turtle(edit_file)
