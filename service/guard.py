"""The checks a query or update passes before any store sees it, from the lexical scan."""

from __future__ import annotations

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
