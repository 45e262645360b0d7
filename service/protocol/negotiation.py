"""Content negotiation: which media types the service can answer in, and which one a request gets.

Pure functions over werkzeug's parsed Accept header; the tables are data. Every list is in the
service's order of preference, so that ties (and ``*/*``) go to the first entry: SPARQL JSON for
SELECT and ASK, Turtle for graphs, TriG for whole datasets.

>>> negotiate("text/csv, text/turtle;q=0.5", None).solutions
('text/csv',)
>>> negotiate("*/*", "xml").graph
('application/rdf+xml',)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header
from werkzeug.wrappers import Request

from rlskg.graph.stores import ResultFormats
from rlskg.service import errors


@dataclass(frozen=True)
class Format:
    media_type: str  # what the store is asked for, and what the response says
    names: tuple[str, ...]  # the values of the ``format=`` parameter that pick it
    aliases: tuple[str, ...] = ()  # other media types clients ask for it by


SOLUTION_FORMATS: tuple[Format, ...] = (
    Format("application/sparql-results+json", ("json", "srj"), ("application/json",)),
    Format("application/sparql-results+xml", ("xml", "srx"), ("application/xml", "text/xml")),
    Format("text/csv", ("csv",)),
    Format("text/tab-separated-values", ("tsv",)),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    Format("text/turtle", ("ttl", "turtle"), ("application/x-turtle",)),
    Format("application/n-triples", ("nt", "ntriples"), ("text/plain",)),
    Format("application/rdf+xml", ("rdf", "xml", "rdfxml", "owl"), ("application/xml", "text/xml")),
    Format("application/ld+json", ("jsonld", "json-ld", "json"), ("application/json",)),
    Format("application/trig", ("trig",)),
    Format("application/n-quads", ("nq", "nquads")),
    Format("text/n3", ("n3",)),
)
# A whole dataset needs a format that carries graph names; TriG reads best.
DATASET_FORMATS: tuple[Format, ...] = tuple(
    f
    for name in ("application/trig", "application/n-quads", "application/ld+json")
    for f in GRAPH_FORMATS
    if f.media_type == name
)
# Media types a request body may carry RDF in (Graph Store writes).
RDF_INPUT_TYPES: frozenset[str] = frozenset(
    t for f in GRAPH_FORMATS for t in (f.media_type, *f.aliases) if t not in ("application/xml", "text/xml")
) | {"application/json"}

# What a browser is shown instead, so that it displays the text rather than downloading it.
_BROWSER_LABELS = {
    "text/turtle": "text/plain",
    "application/n-triples": "text/plain",
    "application/sparql-results+json": "application/json",
}
_CHARSET = ("text/csv", "text/tab-separated-values", "text/turtle", "text/n3", "text/plain")


class UnknownFormat(ValueError):
    """A ``format=`` value that names no format."""


@dataclass(frozen=True)
class Negotiated:
    """The media types to offer the store, best first, and how to label the answer."""

    solutions: tuple[str, ...]
    graph: tuple[str, ...]
    browser: bool = False  # names HTML and none of our types: label text so that it is shown
    aliases: tuple[tuple[str, str], ...] = ()  # (our type, the alias the client named instead)

    def formats(self) -> ResultFormats:
        return ResultFormats(self.solutions, self.graph)

    def content_type(self, media_type: str) -> str:
        """The Content-Type of an answer in ``media_type``: the alias the client asked for, if any.

        >>> json = "application/sparql-results+json"
        >>> Negotiated((json,), (), aliases=((json, "application/json"),)).content_type(json)
        'application/json'
        """
        label = dict(self.aliases).get(media_type)
        if label is None and self.browser:
            label = _BROWSER_LABELS.get(media_type)
        return content_type(label or media_type)


def parse_accept(header: str | None) -> MIMEAccept:
    """An Accept header, each media type without its parameters but q (RFC 9110 12.5.1 lets a
    server ignore those it does not use: ``text/turtle; charset=utf-8`` and a JSON-LD ``profile``
    still ask for Turtle and JSON-LD); no header at all is ``*/*``.

    >>> compacted = 'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted";q=0.9'
    >>> parse_accept(compacted).quality("application/ld+json")
    0.9
    """
    parsed = parse_accept_header(header, MIMEAccept)
    if not parsed:
        return MIMEAccept([("*/*", 1)])
    return MIMEAccept([(item.split(";", 1)[0].strip(), quality) for item, quality in parsed])


def _named_types(accept: MIMEAccept) -> dict[str, float]:
    """The media types the client names (not wildcards), with their quality."""
    return {item.split(";", 1)[0].strip().lower(): q for item, q in accept if "*" not in item}


def _ranked(
    accept: MIMEAccept, table: tuple[Format, ...], use_aliases: bool
) -> tuple[tuple[str, ...], dict[str, str]]:
    """Our types that the client accepts, best first, and the aliases they were accepted by.

    An alias (application/json for SPARQL JSON) counts only when the client names it: a wildcard
    matches our own types, so that ``text/*`` gets CSV rather than XML sent as text/xml.
    """
    named = _named_types(accept) if use_aliases else {}
    scored, aliases = [], {}
    for index, fmt in enumerate(table):
        quality = accept.quality(fmt.media_type)
        for alias in fmt.aliases:
            if named.get(alias, 0) > quality:
                quality, aliases[fmt.media_type] = named[alias], alias
        if quality > 0:
            scored.append((-quality, index, fmt.media_type))
    return tuple(media_type for _, _, media_type in sorted(scored)), aliases


def _named(name: str, table: tuple[Format, ...]) -> tuple[str, ...]:
    lowered = name.strip().lower()
    return tuple(f.media_type for f in table if lowered in f.names or lowered in (f.media_type, *f.aliases))


@lru_cache(maxsize=256)
def negotiate(
    accept_header: str | None, format_name: str | None, graph_table: tuple[Format, ...] = GRAPH_FORMATS
) -> Negotiated:
    """Rank the formats for each kind of result, from the Accept header's text.

    ``format_name`` (the ``format=`` parameter, a short name or a media type) overrides Accept.
    No Accept header at all counts as ``*/*``. An empty tuple for a kind means 406 for that kind.
    Cached: clients send the same few Accept headers, and werkzeug's matching is slow.

    :raises UnknownFormat: when ``format_name`` names no format of any kind.
    """
    if format_name:
        solutions, graph = _named(format_name, SOLUTION_FORMATS), _named(format_name, graph_table)
        if not solutions and not graph:
            names = sorted({n for f in (*SOLUTION_FORMATS, *graph_table) for n in f.names})
            raise UnknownFormat(f"unknown format {format_name!r}; use one of: {', '.join(names)}")
        return Negotiated(solutions, graph)
    accept = parse_accept(accept_header)
    # A browser names HTML and none of our own types (its application/xml is generic): it gets
    # our first choice, labelled as text it displays.
    named = _named_types(accept)
    ours = {f.media_type for f in (*SOLUTION_FORMATS, *graph_table)}
    browser = named.get("text/html", 0) > 0 and not any(named.get(t, 0) > 0 for t in ours)
    solutions, solution_aliases = _ranked(accept, SOLUTION_FORMATS, not browser)
    graph, graph_aliases = _ranked(accept, graph_table, not browser)
    aliases = tuple({**solution_aliases, **graph_aliases}.items())
    return Negotiated(solutions, graph, browser, aliases)


def for_request(request: Request, graph_table: tuple[Format, ...] = GRAPH_FORMATS) -> Negotiated:
    """``negotiate`` for a request: the first ``format=`` value that names a format (in the URL or a
    form body alike; SPARQLWrapper sends several, a short name and a media type), else Accept.

    :raise 400: when every ``format=`` value names no format.
    """
    accept = request.headers.get("Accept")
    names = request.values.getlist("format")
    for name in names:
        try:
            return negotiate(accept, name, graph_table)
        except UnknownFormat as error:
            refusal = error
    if names:
        errors.bad_request(str(refusal))
    return negotiate(accept, None, graph_table)


def content_type(media_type: str) -> str:
    """The Content-Type header for a body in ``media_type`` (text types say their charset).

    >>> content_type("text/csv"), content_type("application/sparql-results+json")
    ('text/csv; charset=utf-8', 'application/sparql-results+json')
    """
    return f"{media_type}; charset=utf-8" if media_type in _CHARSET else media_type


def supported(table: tuple[Format, ...]) -> str:
    """The media types of ``table``, for a 406 message."""
    return ", ".join(f.media_type for f in table)
