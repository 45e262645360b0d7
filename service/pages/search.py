"""Label search: GET /api/search?q=iron&limit=10 -> JSON [{iri, label, type, kind, href}] (``kind``:
what it is, in words: "condition", "drug or chemical", "source"...; for a term the graph reuses
from an OBO ontology, with its ontology: "drug or chemical from CHEBI"), and the same as an HTML
page at /search (the home page's search box works without JavaScript).

The index (every labelled local resource and reused OBO term, obsolete terms aside, with its
synonyms) is read once per dataset version with service/pages/queries/label-index.rq and matched
here, so that no user text ever enters a query.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, render_template, request

from rlskg.service import errors
from rlskg.service.pages.describe import href, obo_curie, select
from rlskg.service.state import state

bp = Blueprint("search", __name__)
DEFAULT_LIMIT, MAX_LIMIT = 10, 50
SEPARATOR = "\u001f"
RLS = "https://w3id.org/rlskg/ontology/"
# What a class is, by the first of these top classes it falls under (label-index.rq), in words.
ROOTS = {
    RLS + "RestlessLegsSyndrome": "form of RLS",
    RLS + "Symptom": "symptom",
    RLS + "PathophysiologicalMechanism": "mechanism",
    RLS + "ChemicalEntity": "drug or chemical",
    RLS + "Intervention": "treatment",
    RLS + "MedicalCondition": "condition",
}
# Types in words: OWL's own, then any other by its local name ("MedicalWebPage" -> "medical web page").
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
KINDS = {
    "http://www.w3.org/2002/07/owl#Class": "class",
    "http://www.w3.org/2002/07/owl#ObjectProperty": "relation",
    "http://www.w3.org/2002/07/owl#DatatypeProperty": "property",
    "http://www.w3.org/2002/07/owl#AnnotationProperty": "annotation",
    "http://www.w3.org/2002/07/owl#Ontology": "ontology",
}


def kind_of(type_iri: str, roots: tuple[str, ...] = (), iri: str = "") -> str:
    """What a search result is, in words: never ``owl#Class``; for a term of an OBO ontology, with
    the ontology's ID space.

    >>> kind_of(OWL_CLASS, (RLS + "MedicalCondition",)), kind_of(RLS + "Source")
    ('condition', 'source')
    >>> kind_of("https://schema.org/MedicalWebPage"), kind_of(OWL_CLASS), kind_of("")
    ('medical web page', 'class', '')
    >>> kind_of(OWL_CLASS, (RLS + "ChemicalEntity",), "http://purl.obolibrary.org/obo/CHEBI_18248")
    'drug or chemical from CHEBI'
    """
    words = _kind_words(type_iri, roots)
    curie = obo_curie(iri)
    return f"{words or 'term'} from {curie.split(':', 1)[0]}" if curie else words


def _kind_words(type_iri: str, roots: tuple[str, ...]) -> str:
    for root, words in ROOTS.items():
        if root in roots:
            return words
    if type_iri in KINDS:
        return KINDS[type_iri]
    local = re.split(r"[/#]", type_iri)[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).lower()


@dataclass(frozen=True)
class IndexEntry:
    iri: str
    label: str
    type: str
    synonyms: tuple[str, ...]
    kind: str = ""

    def rank(self, query: str) -> int | None:
        """0 best: label starts with the query; then a word of it; then anywhere; then a synonym."""
        label = self.label.lower()
        if label.startswith(query):
            return 0
        if f" {query}" in f" {label}".replace("-", " "):
            return 1
        if query in label or query.replace(" ", "") in label.replace(" ", "").replace("-", ""):
            return 2  # anywhere, spaces aside ("restlesslegs" finds "restless legs syndrome")
        if any(query in s.lower() for s in self.synonyms):
            return 3
        return None


class LabelIndex:
    """The entries of one dataset version, rebuilt when the store's version changes."""

    def __init__(self) -> None:
        self.version: str | None = None
        self.entries: list[IndexEntry] = []
        self.lock = threading.Lock()

    def current(self) -> list[IndexEntry]:
        store, settings = state().store, state().settings
        with self.lock:
            if self.version != store.version:
                version = store.version
                rows = select(store, "label-index", settings.query_timeout, settings.max_result_bytes)
                self.entries = sorted(
                    (
                        IndexEntry(
                            r["iri"],
                            r["label"],
                            r.get("type", ""),
                            tuple(filter(None, r.get("synonyms", "").split(SEPARATOR))),
                            kind_of(r.get("type", ""), tuple(r.get("roots", "").split()), r["iri"]),
                        )
                        for r in rows
                    ),
                    key=lambda e: (e.label.lower(), e.iri),
                )
                self.version = version
            return self.entries


def find(query: str, limit: int) -> list[dict[str, str]]:
    """The best ``limit`` matches of ``query`` (case-insensitive), best first, then by label."""
    needle = query.strip().lower()
    if not needle:
        return []
    index = state().label_index
    ranked = []
    for entry in index.current():
        rank = entry.rank(needle)
        if rank is None:
            continue
        link = href(entry.iri)
        if link is not None:  # a result is a link, so never one to a javascript: IRI
            ranked.append((rank, len(entry.label), entry, link))
    ranked.sort(key=lambda item: (item[0], item[1], item[2].label.lower()))
    return [
        {"iri": e.iri, "label": e.label, "type": e.type, "kind": e.kind, "href": link}
        for _, _, e, link in ranked[:limit]
    ]


def _limit() -> int:
    text = request.args.get("limit", str(DEFAULT_LIMIT))
    # ASCII digits only: isdigit() takes superscripts (int() refuses them: a 500), and int() reads
    # Arabic-Indic and fullwidth digits; and at most 9, since int() refuses over 4,300 digits.
    if not (text.isascii() and text.isdecimal() and len(text) <= 9) or not 1 <= int(text) <= MAX_LIMIT:
        errors.bad_request(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(text)


@bp.get("/api/search")
def api_search() -> Response:
    """Labels (and synonyms) matching ``q``: 400 without ``q``."""
    query = request.args.get("q")
    if query is None:
        errors.bad_request("give the text to look for as q, e.g. /api/search?q=iron")
    response = jsonify(find(query, _limit()))
    response.headers["Cache-Control"] = f"public, max-age={state().settings.cache_max_age}"
    return response


@bp.get("/search")
def search_page() -> str:
    query = request.args.get("q", "")
    return render_template("search.html", query=query, results=find(query, MAX_LIMIT))
