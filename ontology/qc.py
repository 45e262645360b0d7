"""Quality control of the ontology, in the spirit of ``robot report``: SPARQL checks and SHACL shapes.

Each ``qc/<name>-violation.rq`` is a SELECT of ``?entity ?property ?value`` (as ``robot report``
queries are, plus an optional ``?others``: the space-separated IRIs of the other entities
involved); every row it returns is a problem about ``?entity``. The first line of each file,
``#+ summary: ...``, says what a row means. The queries read the rls: namespace from the variable
``?rlsNamespace``, bound here, so that the base IRI stays written in one place
(``ontology.namespaces``).

``shapes/ontology-shapes.ttl`` holds SHACL shapes for the same graph, validated with pySHACL.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from rlskg.ontology.namespaces import PREFIXES, RLS
from rlskg.ontology.problems import Problem
from rlskg.ontology.source import PACKAGE_DIR

QC_DIR = PACKAGE_DIR / "qc"
SHAPES_FILE = PACKAGE_DIR / "shapes" / "ontology-shapes.ttl"
QUERY_SUFFIX = "-violation.rq"


@dataclass(frozen=True)
class QcQuery:
    """One ``*-violation.rq`` file: its check name (the file name), summary and parsed query."""

    name: str
    summary: str
    query: Query


def load_queries(folder: Path = QC_DIR) -> list[QcQuery]:
    """Every ``*-violation.rq`` of ``folder``, sorted by name.

    :raises ValueError: a query does not parse or has no ``#+ summary:`` line.
    """
    queries = []
    for path in sorted(folder.glob(f"*{QUERY_SUFFIX}")):
        summary, query = read_summarised_query(path)
        queries.append(QcQuery(path.name.removesuffix(QUERY_SUFFIX), summary, query))
    return queries


def read_summarised_query(path: Path) -> tuple[str, Query]:
    """A query file whose first line is ``#+ summary: <what a row means>``: (summary, query).

    :raises ValueError: no summary line, or the query does not parse.
    """
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0] if text else ""
    if not first.startswith("#+ summary:"):
        raise ValueError(f"{path}: the first line must be '#+ summary: <what a row means>'")
    try:
        query = prepareQuery(text)
    except Exception as error:  # pyparsing raises its own exception types
        raise ValueError(f"{path}: {error}") from error
    return first.removeprefix("#+ summary:").strip(), query


@cache
def packaged_queries() -> tuple[QcQuery, ...]:
    """The queries of ``qc/``, parsed once: parsing takes longer than running them."""
    return tuple(load_queries())


def run_queries(graph: Graph, queries: list[QcQuery] | None = None, where: str = "ontology") -> list[Problem]:
    """Run the QC queries (default: those of ``qc/``) over ``graph``; ``where`` names the file when
    a row has no ``?entity``."""
    problems: list[Problem] = []
    for qc in queries if queries is not None else packaged_queries():
        rows = graph.query(qc.query, initBindings={"rlsNamespace": Literal(str(RLS))})
        for row in rows:
            entity, prop, value, *others = row  # type: ignore[misc]
            detail = _describe(prop, value)
            if others and others[0] is not None:
                names = sorted(_name(URIRef(iri)) for iri in str(others[0]).split() if iri != str(entity))
                detail += f"; also {', '.join(names)}"
            message = f"{qc.summary} ({detail})" if detail else qc.summary
            problems.append(Problem(qc.name, str(entity) if entity is not None else where, message))
    return sorted(set(problems))


def validate_shapes(graph: Graph, shapes: Path = SHAPES_FILE) -> list[Problem]:
    """Validate ``graph`` against the SHACL shapes; one problem per validation result."""
    shapes_graph = Graph().parse(shapes, format="turtle")
    # advanced=True: the shapes use SHACL-AF SPARQL targets to pick the rls: terms.
    # inplace: no inference and no SHACL rules here, so the data graph is read, never changed.
    _conforms, report, _text = validate(
        graph, shacl_graph=shapes_graph, advanced=True, inference="none", inplace=True
    )
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage) or "does not conform")
        value = report.value(result, SH.value)
        shape = report.value(result, SH.sourceShape)
        detail = ", ".join(
            part
            for part in (
                f"path {_name(path)}" if path is not None and not isinstance(path, BNode) else "",
                f"value {_name(value)}" if value is not None else "",
                f"shape {_name(shape)}" if isinstance(shape, URIRef) else "",
            )
            if part
        )
        problems.append(Problem("shacl", str(focus), f"{message} ({detail})" if detail else message))
    return sorted(set(problems))


def _describe(prop: Node | None, value: Node | None) -> str:
    return " ".join(_name(node) for node in (prop, value) if node is not None)


def _name(node: Node | None) -> str:
    """A node as a reader wants it: a CURIE when a project prefix fits, a literal in quotes."""
    if isinstance(node, Literal):
        return repr(str(node)) + (f"@{node.language}" if node.language else "")
    if isinstance(node, URIRef):
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if node.startswith(namespace) and len(node) > len(namespace):
                return f"{prefix}:{node[len(namespace) :]}"
        return f"<{node}>"
    return str(node)
