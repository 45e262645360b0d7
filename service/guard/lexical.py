"""A lexical scan of SPARQL text: what the service must know before a store sees it.

Not a parser. It tokenises as SPARQL 1.1's grammar does (strings, IRIs, comments, prefixed names,
escapes), so a keyword inside a literal, an IRI or a comment is never taken for one, and it finds:
the query form, whether the query names its own dataset (FROM), the targets of SERVICE and LOAD
(resolved against PREFIX and BASE), and how deep the parser would have to recurse. It costs
microseconds, where rdflib's parser costs milliseconds.

It runs on untrusted text, before any time limit applies, so it runs in linear time whatever the
text: every repetition in the patterns below is possessive (``*+``, ``++``: Python 3.11), so the
regex engine never backtracks into it, and a string or comment that is never closed is one token
that runs to the end of its line or of the text (the parser refuses such a text anyway), so that no
character is read more than a few times. ``tests/reliability/test_redteam_c1_linear_scan.py``
times 1 MB of every kind of adversarial text.

It is not the boundary that keeps SERVICE and LOAD away from the network: the evaluators have no
network (``rlskg.graph.stores.sandbox``). Where the scan and an engine's parser may read a text two
ways, the scan takes the reading that refuses more: a word that only starts with SERVICE or LOAD
(``SERVICE:x``: engines need no space after the keyword) is read as the keyword and a target too,
and a text with ``\\u`` escapes is scanned both as written (Oxigraph) and with them expanded (rdflib).

>>> scan("PREFIX e: <http://ex/> SELECT * WHERE { SERVICE e:q { ?s ?p 'SERVICE <x>' } } # LOAD <y>")
... # doctest: +NORMALIZE_WHITESPACE
Scan(form='SELECT', has_dataset_clause=False,
     fetch_targets=(FetchTarget(keyword='SERVICE', iri='http://ex/q'),), depth=2)
>>> scan("ASK { FILTER(!!!!true) }").depth  # {, (, and four unary operators in a row
6
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from urllib.parse import urljoin

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
FETCH_KEYWORDS = ("SERVICE", "LOAD")
CACHE_MAX_CHARS = 16_384  # longer texts are scanned each time, not cached

# Inside an IRI: a character IRIREF allows, or a codepoint escape.
_IRI = r"""<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>"""
# The four string forms; an unclosed long string runs to the end of the text, an unclosed short one
# to the end of its line (a backslash escapes any character, as it does inside a word).
_STRING = r"""
    '''(?:[^'\\]|\\(?:.|\Z)|'(?!''))*+(?:'''|\Z)
  | \"\"\"(?:[^"\\]|\\(?:.|\Z)|"(?!""))*+(?:\"\"\"|\Z)
  | '(?:[^'\\\n\r]|\\(?:.|\Z))*+'?+
  | "(?:[^"\\\n\r]|\\(?:.|\Z))*+"?+
"""
# One alternative per token class, tried in this order at each position. IRIs come before `<` the
# operator, strings before words. `\\.` inside words covers prefixed-name escapes (ex:a\#b) and \u.
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s++)
  | (?P<comment>\#[^\n\r]*+)
  | (?P<iri>{_IRI})
  | (?P<string>{_STRING})
  | (?P<var>[?$][0-9A-Za-z_\u00B7\u00C0-\U000EFFFF]++)
  | (?P<lang>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)
  | (?P<word>(?:[0-9A-Za-z_:%.\-\u00B7\u00C0-\U000EFFFF]|\\(?:.|\Z))++)
  | (?P<open>[({{\[])
  | (?P<close>[)}}\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
# Only what nesting depends on: brackets, runs of unary operators (comments and spaces between them
# count: the parser skips them), and the tokens inside which neither is one. A lone `-` or `+`
# adds one level at most, and is skipped: it keeps `a-b-c-...` from costing a Python step each.
_DEPTH_TOKEN = re.compile(
    rf"""
    (?P<comment>\#[^\n\r]*+)
  | (?P<iri>{_IRI})
  | (?P<string>{_STRING})
  | (?P<escape>\\(?:.|\Z))
  | (?P<unary>!(?:(?:\s++|\#[^\n\r]*+)*+[!+\-])*+|[+\-](?:(?:\s++|\#[^\n\r]*+)*+[!+\-])++)
  | (?P<open>[({{\[])
  | (?P<close>[)}}\]])
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
# Characters that make a unary operator: `!x`, `-x`, `+x` recurse once each in Oxigraph's parser.
_UNARY = frozenset("!+-")


@dataclass(frozen=True)
class FetchTarget:
    """A SERVICE or LOAD target. ``iri`` is None for a variable or a name that does not resolve."""

    keyword: str
    iri: str | None


@dataclass(frozen=True)
class Scan:
    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK; None for an update or unreadable text
    has_dataset_clause: bool  # FROM or FROM NAMED
    fetch_targets: tuple[FetchTarget, ...]  # what SERVICE and LOAD would reach
    depth: int  # deepest nesting: brackets, plus unary operators applied in a row


def _codepoint(match: re.Match[str]) -> str:
    value = int(match.group(1) or match.group(2), 16)
    return chr(value) if value <= 0x10FFFF else "\ufffd"  # beyond Unicode: no character at all


def expand_escapes(text: str) -> str:
    r"""``text`` with every ``\u`` and ``\U`` escape replaced by its character, as rdflib reads it."""
    return _CODEPOINT.sub(_codepoint, text)


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) for every significant token; whitespace and comments are dropped.

    A generator: a 10 MB query makes millions of tokens, and a list of them took some 500 MiB.
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield kind, match.group()


def _iri_depth(iri: str, depth: int) -> tuple[int, int]:
    """(depth after, deepest) for the brackets inside an IRI token, never falling below ``depth``.

    ``?a<?b&&((((1))))&&?c>?d`` lexes as an IRI but parses as comparisons around nested brackets:
    counting them (closes never below the depth the token started at) keeps that from hiding
    nesting, and leaves a real IRI such as ``<http://x/a_(b)>`` at the depth it started at.
    """
    start = deepest = depth
    for char in iri:
        if char in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]":
            depth = max(depth - 1, start)
    return depth, deepest


def _keyword(kind: str, value: str) -> str | None:
    """The upper-cased word a word token spells (leading dots dropped: ``.SERVICE`` ends a triple
    and starts a keyword), or None for other tokens."""
    if kind != "word":
        return None
    return (expand_escapes(value) if "\\" in value else value).lstrip(".").upper()


class _Names:
    """PREFIX and BASE declarations seen so far, to resolve IRIs as the parser would."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.base = ""
        self.prefixes = dict(prefixes)

    def iri(self, token: str) -> str:
        iri = expand_escapes(token[1:-1])
        return urljoin(self.base, iri) if self.base else iri

    def resolve(self, kind: str, value: str) -> str | None:
        if kind == "iri":
            return self.iri(value)
        if kind == "word" and ":" in value:
            prefix, _, local = value.rstrip(".").partition(":")
            namespace = self.prefixes.get(prefix)
            return None if namespace is None else namespace + _LOCAL_ESCAPE.sub(r"\1", local)
        return None


def scan(text: str, prefixes: Mapping[str, str] = MappingProxyType({}), depth_limit: int = 128) -> Scan:
    """Scan a query or an update; ``prefixes`` are those the store declares for every query.

    A text with ``\\u`` or ``\\U`` escapes is scanned as written and with the escapes expanded,
    and the two readings are merged (every target of either, the deeper depth).
    """
    found = _scan_one(text, prefixes, depth_limit)
    if "\\u" not in text and "\\U" not in text:
        return found
    expanded = _scan_one(expand_escapes(text), prefixes, depth_limit)
    targets = tuple(dict.fromkeys(found.fetch_targets + expanded.fetch_targets))
    return Scan(
        found.form or expanded.form,
        found.has_dataset_clause or expanded.has_dataset_clause,
        targets,
        max(found.depth, expanded.depth),
    )


def _scan_one(text: str, prefixes: Mapping[str, str], depth_limit: int) -> Scan:
    """Most queries name no SERVICE, LOAD or FROM anywhere, not even in a literal, and have fewer
    brackets and unary operators than ``depth_limit``: for them a substring test and a count say
    enough (the count is then the depth reported, an upper bound), the form is read from the first
    tokens, and tokenising the whole text, which costs some 70 ns a character, is skipped. Past the
    limit the depth is exact."""
    count = sum(map(text.count, "({[!+-"))
    depth = count if count <= depth_limit else _depth(text, depth_limit)
    if 0 <= depth_limit < depth:  # refused for that alone: no need to read further
        return Scan(None, False, (), depth)
    folded = text.casefold()
    if not any(word in folded for word in ("service", "load", "from")):
        return Scan(_form(text), False, (), depth)
    key = tuple(sorted(prefixes.items()))
    # Only short texts are cached: the cache keeps its keys, and 512 texts of 10 MB are 5 GB.
    return _scan(text, key) if len(text) <= CACHE_MAX_CHARS else _scan_text(text, key)


def _form(text: str) -> str | None:
    """The keyword after the prologue (PREFIX and BASE declarations), if it is a query form."""
    tokens = _tokens(text)
    for kind, value in tokens:
        keyword = _keyword(kind, value)
        if keyword == "PREFIX":
            next(tokens, None)  # the prefix name
            next(tokens, None)  # its IRI
        elif keyword == "BASE":
            next(tokens, None)
        else:
            return keyword if keyword in QUERY_FORMS else None
    return None


def _depth(text: str, limit: int) -> int:
    """The deepest nesting, as ``_scan_text`` measures it, at some 3x its speed (words are skipped);
    it stops as soon as it passes ``limit`` (a negative limit: never)."""
    depth = deepest = 0
    for match in _DEPTH_TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "unary":
            operators = sum(map(match.group().count, _UNARY))
            deepest = max(deepest, depth + operators)
        elif kind == "iri":
            depth, inner = _iri_depth(match.group(), depth)
            deepest = max(deepest, inner)
        if deepest > limit >= 0:
            break
    return deepest


def _glued(keyword: str, value: str) -> tuple[str, str]:
    """(SERVICE or LOAD, the rest of the word after it and an optional SILENT, as written): engines
    need no space after the keyword, so ``SERVICE:x`` calls ``:x`` and ``LOADSILENT<x>`` loads ``<x>``."""
    name = "SERVICE" if keyword.startswith("SERVICE") else "LOAD"
    written = (expand_escapes(value) if "\\" in value else value).lstrip(".")
    rest = written[len(name) :]
    if rest.upper().startswith("SILENT"):
        rest = rest[len("SILENT") :]
    return name, rest


def _scan_text(text: str, prefixes: tuple[tuple[str, str], ...]) -> Scan:
    """One pass over the tokens, keeping what the last keyword waits for (a prefix declaration's
    name and IRI, BASE's IRI, the target of SERVICE or LOAD) rather than looking ahead."""
    names = _Names(dict(prefixes))
    form: str | None = None
    has_from = False
    targets: dict[FetchTarget, None] = {}  # in order, each once
    depth = deepest = unary = 0
    waiting = ""  # PREFIX, PREFIX-IRI, BASE, SERVICE or LOAD: what the next token is for
    prefix_name = ""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "ws" or kind == "comment":
            continue
        value = match.group()
        if kind == "open":
            depth, unary = depth + 1, 0
            deepest = max(deepest, depth)
        elif kind == "close":
            depth, unary = max(depth - 1, 0), 0
        if waiting:
            if waiting == "PREFIX":
                prefix_name, waiting = value.rstrip(":"), "PREFIX-IRI"
                continue
            if waiting == "PREFIX-IRI" and kind == "iri":
                names.prefixes[prefix_name] = names.iri(value)
            elif waiting == "BASE" and kind == "iri":
                names.base = names.iri(value)
            elif waiting in FETCH_KEYWORDS:
                if kind == "word" and value.upper() == "SILENT":
                    continue
                targets[FetchTarget(waiting, names.resolve(kind, value))] = None
            waiting = ""
            if kind == "open" or kind == "close":
                continue
        elif kind == "open" or kind == "close":
            continue
        # A run of unary operators (`!`, and `-` or `+` alone or leading a word such as `--1`)
        # nests one level each, until anything else comes.
        if kind == "other" or kind == "word":
            operators = len(value) - len(value.lstrip("!+-"))
            if operators:
                unary += operators
                deepest = max(deepest, depth + unary)
                if operators == len(value):
                    continue
        unary = 0
        if kind == "iri":
            if "(" in value or "[" in value:
                depth, inner = _iri_depth(value, depth)
                deepest = max(deepest, inner)
            continue
        if kind != "word":
            continue
        keyword = _keyword(kind, value)
        if keyword in ("PREFIX", "BASE"):
            waiting = keyword
        elif keyword in QUERY_FORMS:
            if depth == 0 and form is None:
                form = keyword
        elif keyword == "FROM":
            has_from = True
        elif keyword is not None and keyword.startswith(FETCH_KEYWORDS):
            name, rest = _glued(keyword, value)
            if not rest:  # the target is the next token
                waiting = name
            elif ":" in rest and (iri := names.resolve("word", rest)) is not None:
                targets[FetchTarget(name, iri)] = None
            # else a name that only starts like the keyword (service:load, no empty prefix
            # declared): no engine can call that
    if waiting in FETCH_KEYWORDS:  # the text ends after the keyword
        targets[FetchTarget(waiting, None)] = None
    return Scan(form, has_from, tuple(targets), deepest)


_scan = lru_cache(maxsize=512)(_scan_text)


class DatasetConflict(ValueError):
    """The protocol names an update's dataset, and the update cannot take it."""


def with_using(text: str, using: str) -> str:
    """``text`` (an update) with the clause ``using`` (``USING <g> USING NAMED <h>``) before the
    WHERE of each DELETE/INSERT operation: the protocol's ``using-graph-uri`` and
    ``using-named-graph-uri`` mean that (SPARQL 1.1 Protocol 2.2.3).

    >>> with_using("INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "USING <http://ex/g>")
    'INSERT { ?s ?p 1 } USING <http://ex/g> WHERE { ?s ?p ?o }'

    :raises DatasetConflict: when the update names its own (USING, WITH), or an operation cannot
        take one (DELETE WHERE).
    """
    places, depth, previous = [], 0, ""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        keyword = _keyword(kind, match.group())
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif depth == 0 and keyword in ("USING", "WITH"):
            raise DatasetConflict(
                f"the update names its own dataset ({keyword}) and the request names one too"
            )
        elif depth == 0 and keyword == "WHERE":
            if previous != "close":
                raise DatasetConflict("DELETE WHERE takes no dataset: write DELETE { ... } WHERE { ... }")
            places.append(match.start())
        previous = kind
    for place in reversed(places):
        text = text[:place] + using + " " + text[place:]
    return text
