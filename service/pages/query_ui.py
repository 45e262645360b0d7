"""The query UI at /query: YASGUI (from npm, served from static/vendor/yasgui/) over /sparql, with
the project's prefixes and the competency questions as example queries.

Without JavaScript the page is a plain form: "Run query" sends it back here with ``run=1`` and the
page shows the results below it (a table for SELECT and ASK, Turtle for CONSTRUCT and DESCRIBE,
at most ``SHOWN_ROWS`` rows), through the same checks as /sparql (the guard, the time and size
limits); "Download" sends it to /sparql in the chosen format. Each example link fills the form.
``?query=`` opens the UI on a query (resource pages link here), ``?example=`` on a competency
question.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import HTTPException

from rlskg.graph.competency import CompetencyQuestion, load_questions
from rlskg.graph.stores import QueryDataset, ResultFormats, StoreError
from rlskg.ontology.namespaces import PREFIXES
from rlskg.service import errors, guard
from rlskg.service.pages.describe import href
from rlskg.service.protocol.operation import readable_syntax_errors
from rlskg.service.state import state

bp = Blueprint("ui", __name__)
# The prefixes a new query starts with (all of PREFIXES are declared for every query anyway).
STARTER_PREFIXES = ("rls", "rdfs", "oboInOwl", "src", "dcterms")
SHOWN_ROWS = 500
SHOWN_BYTES = 2_000_000
JSON = "application/sparql-results+json"
TURTLE = "text/turtle"


@lru_cache(maxsize=1)
def examples() -> tuple[CompetencyQuestion, ...]:
    return tuple(load_questions())


def starter_query() -> str:
    lines = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in STARTER_PREFIXES]
    lines += [
        "",
        "SELECT ?class ?label WHERE {",
        "  ?class rdfs:subClassOf rls:RestlessLegsSyndrome ;",
        "         rdfs:label ?label .",
        "}",
        "ORDER BY ?label",
    ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    note: str = ""  # a literal's language or datatype (as a CURIE)


@dataclass
class Results:
    """What the plain form shows: a table, a yes or no, or Turtle; or an error."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    total: int = 0
    boolean: bool | None = None
    turtle: str | None = None
    error: str | None = None


def _curie(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _cell(term: dict[str, str] | None) -> Cell:
    if term is None:
        return Cell("")
    if term["type"] == "uri":
        return Cell(_curie(term["value"]), href(term["value"]))
    if term["type"] == "bnode":
        return Cell("_:" + term["value"])
    note = "@" + term["xml:lang"] if "xml:lang" in term else _curie(term.get("datatype", ""))
    return Cell(term["value"], None, "" if note == "xsd:string" else note)


def run(text: str) -> Results:
    """Evaluate ``text`` as /sparql would, for the page; an error is the page's message."""
    current = state()
    settings = current.settings
    try:
        found = guard.check(text, settings)
        refused = guard.refusal(found, settings)
        if refused is not None and not getattr(current.store, "sandboxed", False):
            errors.forbidden(refused)
        with readable_syntax_errors(text):
            answer = current.store.query(
                text,
                formats=ResultFormats((JSON,), (TURTLE,)),
                dataset=QueryDataset(union_default_graph=not found.has_dataset_clause),
                timeout=settings.query_timeout,
                max_bytes=min(settings.max_result_bytes, SHOWN_BYTES),
                base_iri=request.url_root + "sparql",
            )
    except HTTPException as error:
        return Results(error=error.description or error.name)
    except StoreError as error:
        return Results(error=str(error))
    if answer.media_type == TURTLE:
        return Results(turtle=answer.body.decode("utf-8", errors="replace"))
    data = json.loads(answer.body)
    if "boolean" in data:
        return Results(boolean=bool(data["boolean"]))
    columns = list(data["head"].get("vars", []))
    bindings = data["results"]["bindings"]
    rows = [[_cell(b.get(c)) for c in columns] for b in bindings[:SHOWN_ROWS]]
    return Results(columns=columns, rows=rows, total=len(bindings))


@bp.get("/query")
def query_page() -> Response:
    by_name = {q.name: q for q in examples()}
    chosen = by_name.get(request.args.get("example", ""))
    asked = request.args.get("query")
    text = asked or (chosen.sparql if chosen else starter_query())
    results = run(text) if request.args.get("run") and asked else None
    config = {
        "endpoint": "/sparql",
        "query": text,
        "fromUrl": bool(asked or chosen),  # else the editor reopens on what was typed before a reload
        "prefixes": PREFIXES,
        "examples": [{"name": q.name, "question": q.question, "query": q.sparql} for q in examples()],
    }
    body = render_template(
        "query.html",
        query=text,
        examples=examples(),
        config=config,
        results=results,
        shown=SHOWN_ROWS,
        canonical=request.url_root + "query",
    )
    status = 400 if results is not None and results.error else 200
    return Response(body, status, content_type="text/html; charset=utf-8")
