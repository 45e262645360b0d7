"""The linked-data pages and the query UI: the home page (``home``), a document per IRI with 303
dereferencing (``document``), label search (``search``) and the YASGUI query page (``query_ui``);
the view model behind a page (``describe``, ``view``, ``diagram``, ``xref``), the ontology's
pyLODE documentation (``ontodocs``); and their ``queries/``, ``templates/`` and ``static/`` files.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def blueprints() -> tuple[Blueprint, ...]:
    """The page routes, imported when an app is built (not when this package is)."""
    from rlskg.service.pages import api, claims_view, dataset, document, home, meta, query_ui, search

    return (home.bp, document.bp, dataset.bp, search.bp, query_ui.bp, meta.bp, api.bp, claims_view.bp)
