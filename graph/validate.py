"""Check a build folder: its files are all there and match the manifest, and its data conforms.

Checks (``Problem.check``):

- ``build``: a file is missing or differs from the hash the manifest holds, the version is not the
  hash of ``dataset.nq``, or a named graph's triple count differs from the manifest's;
- ``data-shapes``: a SHACL result of ``graph/shapes/data-shapes.ttl`` over the union of the named
  graphs, named after the focus node, with the shape and constraint component it broke;
- ``sources``: a source graph does not describe its own source node (``src:<key> a rls:Source``);
- ``duplicates``: a triple stands in more than one named graph (Oxigraph's union default graph is a
  bag, so such a triple would be counted twice by every query that does not name its graphs);
- ``owlrl``: what the reasoner reported as inconsistent while building;
- ``claims:<rule>``: a claim that says more than its source, or a derived triple no firm claim
  backs (``graph/claims.py``, the rules in ``graph/claim-rules/``).
"""

import warnings
from collections import Counter
from pathlib import Path

from pyshacl import validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import RDF
from rdflib.term import Node

from rlskg.graph.claims import claim_problems
from rlskg.graph.manifest import MANIFEST, NQUADS, TRIG, VOID, Manifest, file_hash
from rlskg.graph.sources import RESERVED_KEYS
from rlskg.ontology.namespaces import GRAPH, PREFIXES, RLS, SH, SHAPE, SRC
from rlskg.ontology.problems import Problem

SHAPES_FILE = Path(__file__).resolve().parent / "shapes" / "data-shapes.ttl"
REQUIRED_FILES = (NQUADS, TRIG, VOID)
# Shapes are named in findings by this prefix, as in the shapes file.
_NAMES = sorted({**PREFIXES, "shape": str(SHAPE)}.items(), key=lambda item: -len(item[1]))


def check_dataset(out_dir: Path, shapes: Path = SHAPES_FILE) -> list[Problem]:
    """Every problem of the build in ``out_dir``, sorted; an empty list when all is well."""
    manifest_path = out_dir / MANIFEST
    if not manifest_path.is_file():
        return [Problem("build", str(manifest_path), f"missing: run `rlskg build --out {out_dir}`")]
    try:
        manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
    except ValueError as error:
        return [Problem("build", str(manifest_path), f"not a build manifest: {error}")]

    problems = _file_problems(out_dir, manifest)
    if not (out_dir / NQUADS).is_file():
        return sorted(problems)
    try:
        dataset = read_dataset(out_dir / NQUADS)
    except (ParserError, SyntaxError, ValueError) as error:
        reason = " ".join(str(error).split())
        return sorted([*problems, Problem("build", str(out_dir / NQUADS), f"does not parse: {reason}")])
    problems += _count_problems(out_dir, manifest, dataset)
    problems += _source_problems(dataset)
    problems += _duplicate_problems(dataset)
    problems += [Problem("owlrl", str(out_dir / MANIFEST), message) for message in manifest.reasoner_messages]
    problems += shape_problems(_union(dataset), shapes)
    problems += claim_problems(out_dir / NQUADS)
    return sorted(set(problems))


def read_dataset(path: Path) -> Dataset:
    """Parse a built ``dataset.nq``.

    :raises rdflib.exceptions.ParserError: the file is not valid N-Quads.
    """
    dataset = Dataset()
    with warnings.catch_warnings():
        # rdflib 7.6's Dataset.parse calls its own deprecated Dataset.default_context.
        warnings.filterwarnings("ignore", r"Dataset\.\w+ is deprecated", DeprecationWarning)
        dataset.parse(path, format="nquads")
    return dataset


def shape_problems(data: Graph, shapes: Path = SHAPES_FILE) -> list[Problem]:
    """One problem per SHACL validation result of ``data`` against ``shapes``."""
    shapes_graph = Graph().parse(shapes, format="turtle")
    _conforms, report, _text = validate(data, shacl_graph=shapes_graph, inference="none")
    problems = []
    # A result under sh:detail explains another (what sh:node found wrong); report the outer one.
    details = set(report.objects(None, SH.detail))
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if result in details:
            continue
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        shape = report.value(result, SH.sourceShape)
        component = report.value(result, SH.sourceConstraintComponent)
        value = report.value(result, SH.value)
        broken = ", ".join(
            _name(node) for node in (shape, component) if node is not None and not isinstance(node, BNode)
        )
        text = str(message or "does not conform")
        if value is not None and value != focus:
            text += f" (value {_name(value)})"
        problems.append(Problem("data-shapes", str(focus), f"{text} [{broken}]"))
    return sorted(set(problems))


def _file_problems(out_dir: Path, manifest: Manifest) -> list[Problem]:
    problems = []
    for name in REQUIRED_FILES:
        if name not in manifest.files:
            problems.append(Problem("build", str(out_dir / MANIFEST), f"does not list {name}"))
    for name, expected in sorted(manifest.files.items()):
        path = out_dir / name
        if not path.is_file():
            problems.append(Problem("build", str(path), "missing"))
        elif file_hash(path) != expected:
            problems.append(
                Problem(
                    "build", str(path), f"changed since the build (its hash is not the one in {MANIFEST})"
                )
            )
    nquads = out_dir / NQUADS
    if nquads.is_file() and file_hash(nquads) != manifest.version:
        problems.append(Problem("build", str(out_dir / MANIFEST), f"version is not the hash of {NQUADS}"))
    return problems


def _count_problems(out_dir: Path, manifest: Manifest, dataset: Dataset) -> list[Problem]:
    counts = Counter(str(graph) for _s, _p, _o, graph in dataset.quads((None, None, None, None)))
    problems = []
    for iri in sorted(set(counts) | set(manifest.graphs)):
        found, recorded = counts.get(iri, 0), manifest.graphs.get(iri, 0)
        if found != recorded:
            message = f"{NQUADS} has {found} triples in <{iri}>, {MANIFEST} says {recorded}"
            problems.append(Problem("build", str(out_dir / NQUADS), message))
    return problems


def _duplicate_problems(dataset: Dataset) -> list[Problem]:
    graphs_of: dict[tuple[Node, Node, Node], list[str]] = {}
    for s, p, o, graph in dataset.quads((None, None, None, None)):
        graphs_of.setdefault((s, p, o), []).append(str(graph))
    return [
        Problem(
            "duplicates",
            f"{s.n3()} {p.n3()} {o.n3()}",
            f"stands in {len(found)} graphs: {', '.join(sorted(found))}",
        )
        for (s, p, o), found in graphs_of.items()
        if len(found) > 1
    ]


def _source_problems(dataset: Dataset) -> list[Problem]:
    problems = []
    for graph in dataset.graphs():
        iri = str(graph.identifier)
        key = iri[len(str(GRAPH)) :] if iri.startswith(str(GRAPH)) else None
        if key is None or key in RESERVED_KEYS or len(graph) == 0:
            continue
        if (SRC[key], RDF.type, RLS.Source) not in graph:
            problems.append(
                Problem("sources", iri, f"does not describe its source: no src:{key} a rls:Source")
            )
    return problems


def _union(dataset: Dataset) -> Graph:
    union = Graph(bind_namespaces="none")
    for s, p, o, _graph in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _name(node: Node) -> str:
    """A CURIE when a project prefix fits, else the IRI in <>; a literal in quotes."""
    if isinstance(node, Literal):
        return repr(str(node))
    if isinstance(node, URIRef):
        for prefix, namespace in _NAMES:
            if node.startswith(namespace) and len(node) > len(namespace):
                return f"{prefix}:{node[len(namespace) :]}"
        return f"<{node}>"
    return str(node)
