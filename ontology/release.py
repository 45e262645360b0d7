"""Write the ontology release: the edit file with its imports merged in, in three formats.

``rls.ttl`` (Turtle), ``rls.owl`` (RDF/XML) and ``rls.jsonld`` (JSON-LD) hold one ontology: the
imported terms are merged in and ``owl:imports`` removed, so that a consumer needs neither the
catalog nor the network; the owl:versionIRI of the edit file is kept. The same input gives the
same bytes: triples are written in the canonical order of ``rlskg fmt`` and blank nodes are
numbered in that order.
"""

import json
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph
from rdflib.term import Node

from rlskg.conventions import DEFAULT_OUT
from rlskg.ontology.fmt import format_graph
from rlskg.ontology.namespaces import PREFIXES, bind_prefixes
from rlskg.ontology.source import load_ontology

RELEASE_DIR = DEFAULT_OUT / "ontology"
RELEASE_NAME = "rls"


def release_graph(path: Path | None = None) -> Graph:
    """The merged ontology (edit file + imports, no owl:imports) with stable blank-node labels.

    :raises OntologySourceError: the edit file or an import cannot be loaded.
    """
    merged = load_ontology(path, with_imports=True)
    # Stable order: parse the canonical Turtle into SimpleMemory, whose iteration follows insertion
    # (rdflib's default Memory store iterates a set), then number the blank nodes in that order.
    # (rdflib.compare.to_canonical_graph gives structurally equal blank nodes, e.g. two identical
    # owl:unionOf lists, the same label, which merges them.)
    parsed = Graph(store="SimpleMemory").parse(data=format_graph(merged), format="turtle")
    labels: dict[BNode, BNode] = {}

    def relabel(node: Node) -> Node:
        if isinstance(node, BNode):
            return labels.setdefault(node, BNode(f"b{len(labels) + 1}"))
        return node

    stable = bind_prefixes(Graph(store="SimpleMemory", bind_namespaces="core"))
    for s, p, o in parsed:
        stable.add((relabel(s), p, relabel(o)))
    return stable


def write_release(out_dir: Path | None = None, path: Path | None = None) -> list[Path]:
    """Write ``rls.ttl``, ``rls.owl`` and ``rls.jsonld`` into ``out_dir`` (default ``build/ontology``).

    :raises OntologySourceError: the edit file or an import cannot be loaded.
    """
    out_dir = out_dir or RELEASE_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    graph = release_graph(path)
    turtle = out_dir / f"{RELEASE_NAME}.ttl"
    turtle.write_text(format_graph(graph), encoding="utf-8", newline="\n")
    rdfxml = out_dir / f"{RELEASE_NAME}.owl"
    # The plain RDF/XML writer: rdflib's pretty-xml writes some nested lists twice.
    text = graph.serialize(format="xml")
    rdfxml.write_text(_sorted_namespaces(text), encoding="utf-8", newline="\n")
    jsonld = out_dir / f"{RELEASE_NAME}.jsonld"
    document = json.loads(graph.serialize(format="json-ld", context=dict(PREFIXES)))
    text = json.dumps(_sorted_json(document), indent=2, sort_keys=True, ensure_ascii=False)
    jsonld.write_text(text + "\n", encoding="utf-8", newline="\n")
    return [turtle, rdfxml, jsonld]


def _sorted_namespaces(rdfxml: str) -> str:
    """Sort the xmlns declarations of rdflib's RDF/XML, which come in (randomised) set order."""
    head, separator, body = rdfxml.partition("\n>\n")
    lines = head.split("\n")
    declarations = sorted(line for line in lines if line.lstrip().startswith("xmlns:"))
    others = [line for line in lines if not line.lstrip().startswith("xmlns:")]
    return "\n".join(others + declarations) + separator + body


def _sorted_json(value: Any, key: str = "") -> Any:
    """Sort JSON-LD node and value arrays (rdflib emits nodes in set order); keep @list order."""
    if isinstance(value, dict):
        return {k: _sorted_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
