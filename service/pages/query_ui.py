"""The query UI at /query: YASGUI (from npm, served from static/vendor/yasgui/) over /sparql, with
the project's prefixes and the competency questions as example queries.

Without JavaScript the page is a plain form that sends the query to /sparql, and each example
link fills the form. ``?query=`` opens the UI on a query (resource pages link here), ``?example=``
on a competency question.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, render_template, request

from rlskg.graph.competency import CompetencyQuestion, load_questions
from rlskg.ontology.namespaces import PREFIXES

bp = Blueprint("ui", __name__)
# The prefixes a new query starts with (all of PREFIXES are declared for every query anyway).
STARTER_PREFIXES = ("rls", "rdfs", "oboInOwl", "src", "dcterms")


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


@bp.get("/query")
def query_page() -> str:
    by_name = {q.name: q for q in examples()}
    chosen = by_name.get(request.args.get("example", ""))
    text = request.args.get("query") or (chosen.sparql if chosen else starter_query())
    config = {
        "endpoint": "/sparql",
        "query": text,
        "prefixes": PREFIXES,
        "examples": [{"name": q.name, "question": q.question, "query": q.sparql} for q in examples()],
    }
    return render_template(
        "query.html", query=text, examples=examples(), config=config, canonical=request.url_root + "query"
    )
