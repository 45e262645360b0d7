"""The checks a request passes before any store sees it.

A query or update: its lexical scan (``lexical``), nesting depth, and SERVICE / LOAD targets
against the allow-list (``federation``). An RDF/XML body: its XML entities (``xml_entities``).
"""

from __future__ import annotations

import pyoxigraph as ox

from rlskg.ontology.namespaces import PREFIXES
from rlskg.service import errors
from rlskg.service.config import Settings
from rlskg.service.guard import federation
from rlskg.service.guard.lexical import Scan, scan
from rlskg.service.guard.xml_entities import entity_refusal


def check(text: str, settings: Settings) -> Scan:
    """Scan ``text`` (with the prefixes stores declare) and refuse what must not run.

    :raise 413: a text longer than MAX_QUERY_BYTES (the scan holds the worker's GIL: about 1 s a
        megabyte for the densest texts).
    :raise 400: brackets and unary operators nested deeper than MAX_QUERY_DEPTH (parsers recurse).

    Whether its SERVICE and LOAD targets may be reached is ``refusal``'s to say: a caller first
    lets a parser that cannot reach the network read the text, so that a malformed text is a 400
    whatever it names (W3C's negative syntax tests), and only then refuses with 403.
    """
    if len(text) > settings.max_query_bytes:
        errors.too_large(
            f"the query or update is {len(text)} characters long; the limit is {settings.max_query_bytes}"
        )
    found = scan(text, PREFIXES, settings.max_query_depth)
    if found.depth > settings.max_query_depth:
        errors.bad_request(
            "the query nests brackets and unary operators (! - +) deeper than the limit of "
            f"{settings.max_query_depth}"
        )
    return found


def refusal(found: Scan, settings: Settings) -> str | None:
    """Why a SERVICE or LOAD target of a scanned text may not be reached (the 403's message)."""
    return federation.first_refusal(found.fetch_targets, settings.service_allowlist)


def check_rdf_body(data: bytes, media_type: str, limit: int) -> None:
    """Refuse an RDF/XML body whose entities would blow up in the parser.

    :raise 413: naming what is refused.
    """
    if ox.RdfFormat.from_media_type(media_type) == ox.RdfFormat.RDF_XML:
        reason = entity_refusal(data, limit)
        if reason is not None:
            errors.too_large(reason)
