"""Write the ontology release: the products of ``products.py`` and ``obo.py``, each in its formats.

| file | product |
| --- | --- |
| ``rls.owl`` (RDF/XML), ``rls.ttl``, ``rls.jsonld`` | full: imports merged, classified by HermiT |
| ``rls-base.owl``, ``rls-base.ttl`` | base: the project's own axioms, no import content |
| ``rls-simple.owl``, ``rls-simple.ttl`` | simple: the named-class hierarchy, reduced, with annotations |
| ``rls.obo`` | the simple product in OBO 1.4 |
| ``rls.json`` | the simple product in OBO Graphs JSON |
| ``rlskg-model.owl``, ``rlskg-model.ttl`` | the knowledge graph's data model, its own ontology |
| ``release-diff.md`` | what changed since the previous ``rls.owl``, when one is given (``diff.py``) |

No product has ``owl:imports``: a consumer needs neither the catalog nor the network. Each keeps
the edit file's ``owl:versionInfo`` and has its own ``owl:versionIRI``
(``.../releases/<date>/rls-base.owl``). The same input gives the same bytes: triples are written
in the canonical order of ``rlskg fmt`` and blank nodes are numbered in that order.

The classification is HermiT's answer (``ReasonerResult.entailed``), passed in by the caller
that ran it (``rlskg build`` classifies once, for the dataset and the release alike); without one,
the products are written unclassified.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph
from rdflib.term import Node

from rlskg.conventions import DEFAULT_OUT
from rlskg.ontology.diff import diff_files
from rlskg.ontology.fmt import format_graph
from rlskg.ontology.namespaces import PREFIXES, bind_prefixes
from rlskg.ontology.obo import OBO_NAME, obo_text, obographs_json, read_simple
from rlskg.ontology.products import (
    BASE,
    FULL,
    MODEL,
    SIMPLE,
    Entailed,
    base_product,
    full_product,
    model_product,
    simple_product,
)
from rlskg.ontology.source import MODEL_FILE, load_ontology

RELEASE_DIR = DEFAULT_OUT / "ontology"
RELEASE_NAME = FULL
DIFF_NAME = "release-diff.md"


@dataclass(frozen=True)
class Release:
    """The products of one edit file, as graphs with stable blank-node labels, and as OBO text."""

    full: Graph
    base: Graph
    simple: Graph
    obo: str
    obographs: str

    def graphs(self) -> dict[str, Graph]:
        """The OWL products by file stem: ``rls``, ``rls-base``, ``rls-simple``."""
        return {FULL: self.full, BASE: self.base, SIMPLE: self.simple}


def release_graph(path: Path | None = None) -> Graph:
    """The merged ontology (edit file + imports, no owl:imports) with stable blank-node labels.

    :raises OntologySourceError: the edit file or an import cannot be loaded.
    """
    return stable_graph(load_ontology(path, with_imports=True))


def make_release(path: Path | None = None, entailed: Entailed | None = None) -> Release:
    """Every product of the edit file ``path`` (default ``ontology/rls.ttl``); ``entailed`` is
    HermiT's classification of it (None: unclassified).

    :raises OntologySourceError: the edit file or an import cannot be loaded.
    """
    merged = load_ontology(path, with_imports=True)
    own = load_ontology(path, with_imports=False)
    simple = stable_graph(simple_product(merged, entailed))
    document = read_simple(simple, labels=merged)
    return Release(
        full=stable_graph(full_product(merged, entailed)),
        base=stable_graph(base_product(own, merged, entailed)),
        simple=simple,
        obo=obo_text(document),
        obographs=obographs_json(document),
    )


def make_model_release(path: Path | None = None) -> Graph:
    """The data model's product (``products.model_product``) of its edit file ``path`` (default
    ``ontology/rlskg-model.ttl``), with stable blank-node labels.

    :raises OntologySourceError: the model or an import cannot be loaded.
    """
    path = path or MODEL_FILE
    return stable_graph(model_product(load_ontology(path, with_imports=False), load_ontology(path)))


def stable_graph(graph: Graph) -> Graph:
    """``graph`` in canonical order with blank nodes labelled ``b1``, ``b2``... in that order."""
    # Stable order: parse the canonical Turtle into SimpleMemory, whose iteration follows insertion
    # (rdflib's default Memory store iterates a set), then number the blank nodes in that order.
    # (rdflib.compare.to_canonical_graph gives structurally equal blank nodes, e.g. two identical
    # owl:unionOf lists, the same label, which merges them.)
    parsed = Graph(store="SimpleMemory").parse(data=format_graph(graph), format="turtle")
    labels: dict[BNode, BNode] = {}

    def relabel(node: Node) -> Node:
        if isinstance(node, BNode):
            return labels.setdefault(node, BNode(f"b{len(labels) + 1}"))
        return node

    stable = bind_prefixes(Graph(store="SimpleMemory", bind_namespaces="core"))
    for prefix, namespace in graph.namespaces():  # a product's own, such as base's dc:
        if prefix not in PREFIXES and str(namespace) not in PREFIXES.values():
            stable.bind(prefix, namespace)
    for s, p, o in parsed:
        stable.add((relabel(s), p, relabel(o)))
    return stable


def write_release(
    out_dir: Path | None = None,
    path: Path | None = None,
    entailed: Entailed | None = None,
    previous: Path | None = None,
    model: Path | None = None,
) -> list[Path]:
    """Write every release file into ``out_dir`` (default ``build/ontology``); with ``previous``
    (an earlier ``rls.owl``), also ``release-diff.md``. Returns the files, full product first.
    ``model`` is the data model's edit file (default ``ontology/rlskg-model.ttl``).

    :raises OntologySourceError: the edit file or an import cannot be loaded.
    """
    out_dir = out_dir or RELEASE_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    release = make_release(path, entailed)
    written = [
        _write(out_dir / f"{FULL}.ttl", format_graph(release.full)),
        _write(out_dir / f"{FULL}.owl", rdfxml_text(release.full)),
        _write(out_dir / f"{FULL}.jsonld", jsonld_text(release.full)),
    ]
    for name, graph in ((BASE, release.base), (SIMPLE, release.simple)):
        written.append(_write(out_dir / f"{name}.owl", rdfxml_text(graph)))
        written.append(_write(out_dir / f"{name}.ttl", format_graph(graph)))
    written.append(_write(out_dir / f"{OBO_NAME}.obo", release.obo))
    written.append(_write(out_dir / f"{OBO_NAME}.json", release.obographs))
    model_graph = make_model_release(model)
    written.append(_write(out_dir / f"{MODEL}.owl", rdfxml_text(model_graph)))
    written.append(_write(out_dir / f"{MODEL}.ttl", format_graph(model_graph)))
    if previous is not None and previous.is_file():
        text = diff_files(previous, out_dir / f"{FULL}.owl").markdown(
            old_name=f"previous build's {FULL}.owl", new_name=f"{FULL}.owl"
        )
        written.append(_write(out_dir / DIFF_NAME, text))
    return written


def rdfxml_text(graph: Graph) -> str:
    """RDF/XML with sorted namespace declarations. The plain writer: rdflib's pretty-xml writes some
    nested lists twice."""
    return _sorted_namespaces(graph.serialize(format="xml"))


def jsonld_text(graph: Graph) -> str:
    document = json.loads(graph.serialize(format="json-ld", context=dict(PREFIXES)))
    return json.dumps(_sorted_json(document), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


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
