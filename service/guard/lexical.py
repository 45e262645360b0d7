"""A lexical scan of SPARQL text: what the service must know before a store sees it.

Not a parser. It tokenises as SPARQL 1.1's grammar does (strings, IRIs, comments, prefixed names,
escapes), so a keyword inside a literal, an IRI or a comment is never taken for one, and it finds:
the query form, whether the query names its own dataset (FROM), the targets of SERVICE and LOAD
(resolved against PREFIX and BASE), and how deep brackets nest. It costs microseconds, where
rdflib's parser costs milliseconds.

>>> scan("PREFIX e: <http://ex/> SELECT * WHERE { SERVICE e:q { ?s ?p 'SERVICE <x>' } } # LOAD <y>")
Scan(form='SELECT', has_dataset_clause=False, remote=(Remote(keyword='SERVICE', iri='http://ex/q'),), depth=2)
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from types import MappingProxyType
from urllib.parse import urljoin

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
CACHE_MAX_CHARS = 16_384  # longer texts are scanned each time, not cached

# One alternative per token class, tried in this order at each position. IRIs come before `<` the
# operator, strings before words. `\\.` inside words covers prefixed-name escapes (ex:a\#b) and \u.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][0-9A-Za-z_\u00B7\u00C0-\U000EFFFF]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>(?:[0-9A-Za-z_:%.\-\u00B7\u00C0-\U000EFFFF]|\\.)+)
  | (?P<open>[({\[])
  | (?P<close>[)}\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
# The prologue (PREFIX and BASE declarations, comments) and the keyword after it: the query form.
_FORM = re.compile(
    r"(?:\s+|\#[^\n\r]*|PREFIX\s*[^\s:<>]*:\s*<[^<>\s]*>|BASE\s*<[^<>\s]*>)*(SELECT|CONSTRUCT|DESCRIBE|ASK)\b",
    re.IGNORECASE,
)
# Only what nesting depends on: brackets, and the tokens inside which a bracket is not one.
_DEPTH_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<escape>\\.)
  | (?P<open>[({\[])
  | (?P<close>[)}\]])
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Remote:
    """A SERVICE or LOAD target. ``iri`` is None for a variable or a name that does not resolve."""

    keyword: str
    iri: str | None


@dataclass(frozen=True)
class Scan:
    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK; None for an update or unreadable text
    has_dataset_clause: bool  # FROM or FROM NAMED
    remote: tuple[Remote, ...]
    depth: int  # deepest nesting of (), {} and []


def _unescape_codepoints(text: str) -> str:
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) for every significant token; whitespace and comments are dropped.

    A generator: a 10 MB query makes millions of tokens, and a list of them took some 500 MiB.
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield kind, match.group()


Token = tuple[str, str]


def _lookahead(tokens: Iterator[Token], size: int) -> Iterator[tuple[Token, deque[Token]]]:
    """Each token with a window of up to ``size`` tokens from it on (the token itself first)."""
    window: deque[Token] = deque(islice(tokens, size))
    while window:
        yield window[0], window
        window.popleft()
        window.extend(islice(tokens, 1))


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
    """The upper-cased keyword a word token spells, if it is one (prefixed names are not)."""
    if kind != "word" or ":" in value:
        return None
    return _unescape_codepoints(value).upper()


class _Names:
    """PREFIX and BASE declarations seen so far, to resolve IRIs as the parser would."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.base = ""
        self.prefixes = dict(prefixes)

    def iri(self, token: str) -> str:
        return (
            urljoin(self.base, _unescape_codepoints(token[1:-1]))
            if self.base
            else _unescape_codepoints(token[1:-1])
        )

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

    Most queries name no SERVICE, LOAD or FROM anywhere, not even in a literal, and open fewer
    brackets than ``depth_limit``: for them a substring test and a bracket count say enough (the
    count is then the depth reported, an upper bound, and the form is read after the prologue), and
    tokenising, which costs some 70 ns a character, is skipped. Past the limit the depth is exact.
    """
    folded = text.casefold()
    # A keyword may be spelt with \u escapes: such a text takes the full scan.
    if not any(word in folded for word in ("service", "load", "from", "\\u")):
        form = _FORM.match(text)
        brackets = sum(map(text.count, "({["))
        depth = brackets if brackets <= depth_limit else _depth(text)
        return Scan(form.group(1).upper() if form else None, False, (), depth)
    key = tuple(sorted(prefixes.items()))
    # Only short texts are cached: the cache keeps its keys, and 512 texts of 10 MB are 5 GB.
    return _scan(text, key) if len(text) <= CACHE_MAX_CHARS else _scan_text(text, key)


def _depth(text: str) -> int:
    """The deepest nesting, as ``_scan_text`` measures it, at some 3x its speed (words are skipped)."""
    depth = deepest = 0
    for match in _DEPTH_TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "iri":
            depth, inner = _iri_depth(match.group(), depth)
            deepest = max(deepest, inner)
    return deepest


def _scan_text(text: str, prefixes: tuple[tuple[str, str], ...]) -> Scan:
    names = _Names(dict(prefixes))
    form: str | None = None
    has_from = False
    remote: list[Remote] = []
    depth = deepest = 0
    for (kind, value), window in _lookahead(_tokens(text), 4):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            continue
        if kind == "close":
            depth = max(depth - 1, 0)
            continue
        if kind == "iri" and ("(" in value or "[" in value):
            depth, inner = _iri_depth(value, depth)
            deepest = max(deepest, inner)
        keyword = _keyword(kind, value)
        if keyword is None:
            continue
        following = list(window)[1:]
        if keyword == "PREFIX" and len(following) >= 2 and following[1][0] == "iri":
            names.prefixes[following[0][1].rstrip(":")] = names.iri(following[1][1])
        elif keyword == "BASE" and following and following[0][0] == "iri":
            names.base = names.iri(following[0][1])
        elif keyword in QUERY_FORMS and depth == 0 and form is None:
            form = keyword
        elif keyword == "FROM":
            has_from = True
        elif keyword in ("SERVICE", "LOAD"):
            target = following[1:] if following and _keyword(*following[0]) == "SILENT" else following
            iri = names.resolve(*target[0]) if target else None
            remote.append(Remote(keyword, iri))
    return Scan(form, has_from, tuple(remote), deepest)


_scan = lru_cache(maxsize=512)(_scan_text)
