"""Lookups: the queries whose work is bounded by the data they name, found in the query text.

A label lookup (``SELECT ?label WHERE { <IRI> rdfs:label ?label }``) is the query a SPARQL
service is sent most, and the cheapest: one triple pattern whose subject is an IRI is one range
of one index, and the answer is the quads in it. Linked Data Fragments serve exactly these (a
triple pattern fragment) without any time limit, for that reason. ``ForkedStore`` answers such a
query in the server worker when the store holds at most a given number of quads matching the
pattern (counted first, at the cost of reading at most that many), rather than in an evaluator
process: the hand-off to an evaluator costs more than the lookup itself.

The recogniser is deliberately narrow, and reads the text the strict way: anything it does not
recognise (a comment, an escape, a literal, a second pattern, a FILTER, a keyword other than
PREFIX, SELECT, WHERE and LIMIT) goes to the evaluators as before. Within what it accepts the
SPARQL grammar leaves no second reading: no SERVICE, no function, no path, no BASE.

>>> PREFIXES = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
>>> lookup_pattern("SELECT ?l WHERE { <http://example.org/a> rdfs:label ?l }", PREFIXES)
('http://example.org/a', 'http://www.w3.org/2000/01/rdf-schema#label', None)
>>> lookup_pattern("SELECT * { <http://example.org/a> ?p ?o . } LIMIT 10", PREFIXES)
('http://example.org/a', None, None)
>>> lookup_pattern("SELECT ?o WHERE { <http://example.org/a> ?p ?o FILTER(?o) }", PREFIXES) is None
True
"""

from __future__ import annotations

import re

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MAX_LENGTH = 2048  # characters: a longer query is no lookup worth a special case

# SPARQL 1.1's IRIREF, absolute and without UCHAR escapes (no backslash at all), and strict subsets
# of its PNAME_NS, PN_LOCAL and VAR1/VAR2: a name that does not match goes to the evaluators.
# Keywords are case-insensitive, except "a" (SPARQL 1.1, 19.8).
_IRI = r"<[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*>"  # absolute: no base to resolve against
_PREFIX = r"[A-Za-z][A-Za-z0-9_-]*"
_PNAME = rf"(?:{_PREFIX})?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*)"
_VAR = r"[?$][A-Za-z_][A-Za-z0-9_]*"
_TERM = rf"{_IRI}|{_PNAME}"

_DECLARATION = re.compile(rf"\s*PREFIX\s+({_PREFIX})?:\s*({_IRI})", re.IGNORECASE | re.ASCII)
_LOOKUP = re.compile(
    # No two neighbouring parts can match the same text: the match takes linear time (a
    # request-text scan, as SECURITY.md promises).
    rf"""\s*SELECT\s*(?:\*\s*|(?:{_VAR}\s*)+)
    (?:WHERE\s*)?\{{\s*
    (?P<s>{_TERM})\s+(?P<p>{_TERM}|(?-i:a)|{_VAR})\s+(?P<o>{_TERM}|{_VAR})\s*(?:\.\s*)?
    \}}\s*(?:LIMIT\s+\d{{1,9}}\s*)?""",
    re.IGNORECASE | re.ASCII | re.VERBOSE,
)

Pattern = tuple[str, str | None, str | None]  # subject, predicate, object IRIs; None: a variable


def lookup_pattern(sparql: str, prefixes: dict[str, str] | None = None) -> Pattern | None:
    """The triple pattern of ``sparql`` when it is a lookup (a SELECT of one triple pattern with
    an IRI as subject, and at most a LIMIT); else None. Prefixed names resolve against the
    query's own PREFIX declarations, then ``prefixes`` (those the store declares for every query).
    """
    if len(sparql) > MAX_LENGTH:
        return None
    declared = dict(prefixes or {})
    position = 0
    while match := _DECLARATION.match(sparql, position):
        declared[match.group(1) or ""] = match.group(2)[1:-1]
        position = match.end()
    match = _LOOKUP.fullmatch(sparql, position)
    if match is None:
        return None
    subject = _iri(match.group("s"), declared)
    predicate = RDF_TYPE if match.group("p") == "a" else _iri(match.group("p"), declared)
    object_ = _iri(match.group("o"), declared)
    if not subject or predicate == "" or object_ == "":
        return None
    return subject, predicate, object_


def _iri(term: str, prefixes: dict[str, str]) -> str | None:
    """The IRI a term names; None for a variable; "" for a prefix that is not declared (Oxigraph
    will say so: the query is left to the evaluators, which report it)."""
    if term[0] in "?$":
        return None
    if term[0] == "<":
        return term[1:-1]
    prefix, _, local = term.partition(":")
    namespace = prefixes.get(prefix)
    return "" if namespace is None else namespace + local
