"""XML entities in RDF/XML: measured before any parser expands them.

pyoxigraph's RDF/XML parser refuses external entities but expands internal ones without a limit:
nine nested "lol" entities in 1 KB make 3 GB. ``entity_refusal`` says why a document must not be
parsed, from its declarations alone.
"""

from __future__ import annotations

import re

# One entity declaration, matched where ``<!ENTITY`` stands (never searched for: see
# ``_declarations``). Every repetition is possessive and no two neighbours can take the same byte,
# so a match costs at most one pass over the bytes up to its end.
_ENTITY = re.compile(
    rb"""<!ENTITY\s++(?P<parameter>%\s++)?+(?P<name>[^\s%;&<>"']++)\s++"""
    rb"""(?:"(?P<double>[^"]*+)"|'(?P<single>[^']*+)'|(?P<external>SYSTEM|PUBLIC)(?![^\s"'>])[^>]*+)\s*+>"""
)
_REFERENCE = re.compile(rb"&([^\s&;<>#]++);")
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
    declarations = _declarations(data)
    if declarations is None:
        return "an XML entity declaration could not be read"
    values: dict[bytes, bytes] = {}
    for match in declarations:
        if match["external"] or match["parameter"]:
            return "external and parameter XML entities are not accepted"
        values[match["name"]] = match["double"] if match["double"] is not None else match["single"]
    if len(values) < len(declarations):
        return "an XML entity is declared twice"
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

    document = b"".join(
        data[start:end]
        for start, end in zip(
            (0, *(m.end() for m in declarations)),
            (*(m.start() for m in declarations), len(data)),
            strict=True,
        )
    )
    try:
        added = sum(size(ref, frozenset()) - len(ref) - 2 for ref in _REFERENCE.findall(document))
    except RecursionError as error:
        return f"the XML entity {error} refers to itself"
    if added > limit:
        return f"the XML entities would expand the body by {added} bytes; the limit is {limit}"
    return None


def _declarations(data: bytes) -> list[re.Match[bytes]] | None:
    """Every ``<!ENTITY`` declaration, in order; None as soon as one cannot be read.

    Matched at each place ``<!ENTITY`` stands, and the next one looked for after its end: a
    search (``finditer``) would try again at every byte of an unreadable declaration, and 72 KB of
    ``<!ENTITY a SYSTEM `` took 3 s that way.
    """
    found = []
    start = data.find(b"<!ENTITY")
    while start != -1:
        match = _ENTITY.match(data, start)
        if match is None:
            return None
        found.append(match)
        start = data.find(b"<!ENTITY", match.end())
    return found
