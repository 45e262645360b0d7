"""The checks a query or update passes before any store sees it, from the lexical scan."""

from __future__ import annotations

import re

import pyoxigraph as ox

from ontology.namespaces import PREFIXES
from service import errors, remote
from service.config import Settings
from service.sparqlscan import Scan, scan


def check(text: str, settings: Settings) -> Scan:
    """Scan ``text`` (with the prefixes stores declare) and refuse what must not run.

    :raise 400: brackets nested deeper than MAX_QUERY_DEPTH (Oxigraph's parser recurses).
    :raise 403: a SERVICE or LOAD target outside the allow-list, or on a private address.
    """
    found = scan(text, PREFIXES, settings.max_query_depth)
    if found.depth > settings.max_query_depth:
        errors.bad_request(
            f"the query nests brackets {found.depth} deep; the limit is {settings.max_query_depth}"
        )
    reason = remote.first_refusal(found.remote, settings.service_allowlist)
    if reason is not None:
        errors.forbidden(reason)
    return found


# XML entity declarations and references. pyoxigraph's RDF/XML parser refuses external entities
# but expands internal ones without a limit: nine nested "lol" entities in 1 KB make 3 GB.
_ENTITY = re.compile(
    rb"""<!ENTITY\s+(?P<parameter>%\s+)?(?P<name>[^\s%;&<>"']+)\s+"""
    rb"""(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<external>SYSTEM|PUBLIC)\b[^>]*)\s*>"""
)
_REFERENCE = re.compile(rb"&([^\s&;<>#]+);")
_PREDEFINED = frozenset({b"lt", b"gt", b"amp", b"apos", b"quot"})


def entity_refusal(data: bytes, limit: int) -> str | None:
    """Why an RDF/XML document's entities must not be expanded, or None when they may.

    Refused: external and parameter entities, recursive entities, and internal entities that would
    add more than ``limit`` bytes in all. A document without ``<!ENTITY`` costs one substring test.

    >>> entity_refusal(b'<!DOCTYPE r [<!ENTITY o "http://x/">]><r a="&o;a"/>', 100) is None
    True
    """
    if b"<!ENTITY" not in data:
        return None
    values: dict[bytes, bytes] = {}
    for match in _ENTITY.finditer(data):
        if match["external"] or match["parameter"]:
            return "external and parameter XML entities are not accepted"
        values[match["name"]] = match["double"] if match["double"] is not None else match["single"]
    if len(values) < data.count(b"<!ENTITY"):
        return "an XML entity declaration could not be read"
    sizes: dict[bytes, int] = {}

    def size(name: bytes, seen: frozenset[bytes]) -> int:
        """The expanded length of entity ``name`` (an unknown name stays as it is written)."""
        if name in _PREDEFINED or name not in values:
            return len(name) + 2
        if name in seen:
            raise RecursionError(name.decode(errors="replace"))
        if name not in sizes:
            value = values[name]
            sizes[name] = len(value) + sum(
                size(ref, seen | {name}) - len(ref) - 2 for ref in _REFERENCE.findall(value)
            )
        return sizes[name]

    document = _ENTITY.sub(b"", data)
    try:
        added = sum(size(ref, frozenset()) - len(ref) - 2 for ref in _REFERENCE.findall(document))
    except RecursionError as error:
        return f"the XML entity {error} refers to itself"
    if added > limit:
        return f"the XML entities would expand the body by {added} bytes; the limit is {limit}"
    return None


def check_rdf_body(data: bytes, media_type: str, limit: int) -> None:
    """Refuse an RDF/XML body whose entities would blow up in the parser.

    :raise 413: naming what is refused.
    """
    if ox.RdfFormat.from_media_type(media_type) == ox.RdfFormat.RDF_XML:
        reason = entity_refusal(data, limit)
        if reason is not None:
            errors.too_large(reason)
