"""Reading a SPARQL 1.1 Protocol request: which operation, its text, its dataset.

The three ways to send a query (GET; POST form-encoded; POST application/sparql-query) and the two
ways to send an update (POST form-encoded; POST application/sparql-update). A form body is decoded
once, by werkzeug; parameters are counted across the URL and the body, so a repeated ``query`` or
a ``query`` beside an ``update`` is caught wherever it sits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote_to_bytes

import pyoxigraph as ox
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from werkzeug.wrappers import Request

from rlskg.graph.stores import QuerySyntaxError
from rlskg.service import errors
from rlskg.service.guard.lexical import DatasetConflict, with_using

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
# The parameters whose values are SPARQL text or IRIs: they must be UTF-8, as sent (_check_utf8).
TEXT_PARAMETERS = frozenset(
    {"query", "update", "default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"}
)


# Oxigraph's message for an undeclared prefix, which goes on to list ~600 bytes of character ranges.
_UNKNOWN_PREFIX = re.compile(r"error at (\d+):(\d+): expected one of Prefix not found\b.*", re.DOTALL)
# A percent-escape of a byte above 0x7F (or a "%8" that escapes nothing: checked in full then).
_HIGH_ESCAPE = re.compile(rb"%[89a-fA-F]")
_PREFIXED_NAME_END = re.compile(r"([^\s{}()<>\[\];,:'\"]*):[^\s{}()<>\[\];,'\"]*$")


def readable(message: str, text: str) -> str:
    """A parser's message in words a user can act on: an undeclared prefix is named.

    >>> message = "error at 1:18: expected one of Prefix not found, ['%'], ['-' | '0' ..= '9']"
    >>> readable(message, "ASK { ?s ex.1:bar ?o }")
    "error at 1:18: unknown prefix 'ex.1:' (declare it: PREFIX ex.1: <...>)"
    >>> readable("error at 1:26: expected one of LATERAL, SERVICE, [_]", "SELECT ?s WHERE { ?s ?p }")
    'error at 1:26: expected one of LATERAL, SERVICE, [_]'
    """
    found = _UNKNOWN_PREFIX.search(message)
    if found is None:
        return message
    line, column = int(found.group(1)), int(found.group(2))
    lines = text.splitlines()
    before = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    name = _PREFIXED_NAME_END.search(before)
    if name is None:
        return message[: found.start()] + f"error at {line}:{column}: unknown prefix"
    prefix = name.group(1)
    hint = f"unknown prefix '{prefix}:' (declare it: PREFIX {prefix}: <...>)"
    return message[: found.start()] + f"error at {line}:{column}: {hint}"


@contextmanager
def readable_syntax_errors(text: str) -> Iterator[None]:
    """Re-raise a store's QuerySyntaxError about ``text`` with a readable message."""
    try:
        yield
    except QuerySyntaxError as error:
        raise QuerySyntaxError(readable(str(error), text)) from None


@dataclass(frozen=True)
class Operation:
    kind: Literal["query", "update"]
    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def check_iri(value: str, parameter: str) -> str:
    """``value`` if it is an absolute IRI, else 400 naming ``parameter``."""
    try:
        ox.NamedNode(value)
    except ValueError as error:
        errors.bad_request(f"{parameter}: {value!r} is not an absolute IRI ({error})")
    return value


def decode_text(body: bytes, charset: str | None) -> str:
    """A text body in its Content-Type's ``charset`` (UTF-8 without one), else 400."""
    try:
        return body.decode(charset or "utf-8")
    # UnicodeError, not only UnicodeDecodeError: codecs such as "undefined" and "punycode" raise it.
    except (UnicodeError, LookupError):
        errors.bad_request(f"the request body is not valid {charset or 'UTF-8'} text")


def _check_utf8(encoded: bytes, where: str) -> None:
    """400 naming the parameter, when one that carries SPARQL or an IRI is not UTF-8 in a
    URL-encoded ``encoded`` (a query string, or a form body).

    Werkzeug decodes leniently: it keeps invalid bytes percent-encoded (``%FF`` stays as the three
    characters), so the store would run another text than the one sent, and answer 200 or 204.
    """
    if encoded.isascii() and _HIGH_ESCAPE.search(encoded) is None:
        return  # every byte, and every byte an escape spells, is ASCII: valid UTF-8
    for pair in encoded.split(b"&"):
        name, _, value = pair.partition(b"=")
        shown = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace")[:40]
        try:
            pair.decode("utf-8")  # raw bytes break werkzeug in any parameter (URL: a 500; form: none read)
            if shown in TEXT_PARAMETERS:
                unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError as error:
            errors.bad_request(
                f"the {shown!r} parameter in the {where} is not valid UTF-8 ({error.reason}); "
                "send its text as UTF-8, percent-encoded"
            )


def _one(params: MultiDict[str, str], name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        errors.bad_request(f"the {name!r} parameter is given {len(values)} times; give it once")
    return values[0] if values else None


def _graphs(params: MultiDict[str, str], name: str) -> tuple[str, ...]:
    return tuple(check_iri(value, name) for value in params.getlist(name))


def _parameters(request: Request) -> tuple[MultiDict[str, str], str | None]:
    """All protocol parameters (URL and form body), and the body text of a direct POST."""
    _check_utf8(request.query_string, "URL")  # the raw bytes, before werkzeug decodes them
    params: MultiDict[str, str] = request.args
    if request.method != "POST":
        return params, None
    mimetype = request.mimetype
    if mimetype == FORM:  # getlist on the combination counts a parameter in both places
        _check_utf8(request.get_data(cache=True), "request body")  # werkzeug parses the form from this copy
        return CombinedMultiDict([request.args, request.form]), None
    if mimetype in (QUERY_TYPE, UPDATE_TYPE):
        return params, decode_text(request.get_data(cache=False), request.mimetype_params.get("charset"))
    shown = mimetype or "no Content-Type"
    errors.unsupported_media_type(
        f"{shown} is not a SPARQL request; send {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}"
    )


def read_operation(request: Request) -> Operation | None:
    """The query or update a request carries; None for a GET that carries neither (the endpoint's URL
    as a client configured it, ``?default-graph-uri=...`` included, answers the description).

    :raise 400: for a missing, repeated or conflicting operation, or a bad graph IRI.
    :raise 415: for a POST body of another media type.
    """
    params, body = _parameters(request)
    query, update = _one(params, "query"), _one(params, "update")
    if body is not None:
        direct = "query" if request.mimetype == QUERY_TYPE else "update"
        if query is not None or update is not None:
            errors.bad_request(f"a {request.mimetype} request carries the {direct} in its body only")
        query, update = (body, None) if direct == "query" else (None, body)
    if query is not None and update is not None:
        errors.bad_request("a request carries a query or an update, not both")
    if update is not None:
        if request.method != "POST":
            errors.bad_request("an update must be sent with POST")
        using = [f"USING <{iri}>" for iri in _graphs(params, "using-graph-uri")]
        using += [f"USING NAMED <{iri}>" for iri in _graphs(params, "using-named-graph-uri")]
        if using:
            try:
                update = with_using(update, " ".join(using))
            except DatasetConflict as error:
                errors.bad_request(str(error))
        return Operation("update", update)
    if query is None:
        if request.method == "POST":
            errors.bad_request("the request carries no query: send it as the 'query' parameter or the body")
        return None  # a GET without a query, graphs named or not: the service description
    return Operation("query", query, _graphs(params, "default-graph-uri"), _graphs(params, "named-graph-uri"))
