"""The claims view at /claims: every association of the dataset in one table a researcher can read
(the claim, how firmly its source puts it and in which words, its figures and population, its
source and the section it comes from), narrowed with ``about=`` (a term, as subject or object: a
local IRI or a reused OBO term's; an obsolete term's goes on, 301, to its replacement's),
``source=`` and ``strength=``. The filters are compared in Python: no request text enters a query.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from rlskg.service import errors
from rlskg.service.pages.describe import TRIPLES, UNION, href, load_query, select
from rlskg.service.pages.view import ASSOCIATION, TYPE, DescriptionIndex, Link, Row, row_of
from rlskg.service.protocol import conditional
from rlskg.service.state import state

bp = Blueprint("claims", __name__)
STRENGTHS = ("Established", "Associated", "Hypothesised", "Rejected")


def all_rows() -> list[Row]:
    """Every association of the dataset, by source, section and claim."""
    current = state()
    answer = current.store.query(
        load_query("claims-all"),
        formats=TRIPLES,
        dataset=UNION,
        timeout=current.settings.query_timeout,
        max_bytes=current.settings.max_result_bytes,
    )
    triples = [quad.triple for quad in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)]
    graph = DescriptionIndex(triples)
    rows = [
        row_of(graph, subject)
        for subject, pairs in graph.by_subject.items()
        if any(p == TYPE and o.value == ASSOCIATION for p, o in pairs)
    ]
    rows.sort(key=lambda r: (r.source.label if r.source else "", r.section, r.sentence))
    return rows


def replacements() -> dict[str, str]:
    """Each obsolete term that names one replacement (IAO:0100001), and that replacement."""
    current = state()
    rows = select(
        current.store, "obsolete-terms", current.settings.query_timeout, current.settings.max_result_bytes
    )
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["term"], []).append(row["replacement"])
    return {term: new[0] for term, new in found.items() if len(new) == 1}


def _choices(rows: list[Row], pick: str) -> list[Link]:
    found: dict[str, Link] = {}
    for row in rows:
        link = row.source if pick == "source" else row.strength
        if link is not None and link.iri:
            found.setdefault(link.iri, link)
    return sorted(found.values(), key=lambda link: link.label.lower())


@bp.get("/claims")
def claims_page() -> Response:
    current = state()
    validator = conditional.ReadValidator(
        request, current.store.version, current.settings.cache_max_age, "claims"
    )
    if (cached := validator.not_modified()) is not None:
        return cached
    rows = all_rows()
    about, source, strength = (request.args.get(name, "") for name in ("about", "source", "strength"))
    for name, value in (("about", about), ("source", source), ("strength", strength)):
        if len(value) > 2000:
            errors.bad_request(f"{name} is too long")
    sources, strengths = _choices(rows, "source"), _choices(rows, "strength")
    if strength and strength not in {s.iri for s in strengths}:
        errors.bad_request("strength must be one of: " + ", ".join(s.iri or "" for s in strengths))
    if source and source not in {s.iri for s in sources}:
        errors.bad_request("source must be the IRI of a source: " + ", ".join(s.iri or "" for s in sources))
    about_label = None
    if about:
        kept = [r for r in rows if about in (r.subject.iri, r.object.iri)]
        about_label = next(
            (r.subject.label if r.subject.iri == about else r.object.label for r in kept), None
        )
        if about_label is None:
            replacement = replacements().get(about)
            if replacement is not None:  # an obsolete term: the claims are about its replacement
                moved = url_for(
                    "claims.claims_page", about=replacement, source=source or None, strength=strength or None
                )
                return Response(status=301, headers={"Location": moved})
            errors.bad_request(f"no claim is about <{about}>")
        rows = kept
    if source:
        rows = [r for r in rows if r.source is not None and r.source.iri == source]
    if strength:
        rows = [r for r in rows if r.strength is not None and r.strength.iri == strength]
    body = render_template(
        "claims_page.html",
        rows=rows,
        sources=sources,
        strengths=strengths,
        about=about,
        about_label=about_label,
        about_href=href(about) if about_label else None,
        source=source,
        strength=strength,
        canonical=request.url_root + "claims",
    )
    return validator.mark(Response(body, content_type="text/html; charset=utf-8"))
