"""Which SERVICE and LOAD targets a request may reach: the allow-list, and the addresses never reached.

An IRI must be listed exactly (no prefixes: a prefix match is easy to get wrong), be http or https,
and name a host whose every address is public. Loopback, private, link-local and reserved addresses
are refused even when listed, so a mistaken entry cannot open the machine's own network.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Collection, Iterable
from urllib.parse import urlsplit

from rlskg.service.guard.lexical import FetchTarget

Resolver = Callable[[str, int], Iterable[str]]


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (a literal address resolves to itself)."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def refusal(target: FetchTarget, allow: Collection[str], resolver: Resolver = resolve_host) -> str | None:
    """Why ``target`` may not be reached, or None when it may.

    >>> refusal(FetchTarget("SERVICE", "http://127.0.0.1/sparql"), {"http://127.0.0.1/sparql"})
    'SERVICE <http://127.0.0.1/sparql> is refused: it names a loopback or private address'
    >>> public = lambda host, port: ["93.184.215.14"]
    >>> refusal(FetchTarget("LOAD", "https://ex.org/d.ttl"), {"https://ex.org/d.ttl"}, public)
    """
    what = f"{target.keyword} <{target.iri}>" if target.iri else f"{target.keyword} with a variable target"
    if target.iri is None:
        return f"{what} is refused: only targets named in the service's allow-list can be reached"
    parts = urlsplit(target.iri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{what} is refused: only http and https targets can be reached"
    if target.iri not in allow:
        return f"{what} is refused: it is not in the service's allow-list"
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = list(resolver(parts.hostname, port))
    except (OSError, ValueError):
        return f"{what} is refused: its host does not resolve"
    if not addresses or not all(_is_public(address) for address in addresses):
        return f"{what} is refused: it names a loopback or private address"
    return None


def first_refusal(
    targets: Iterable[FetchTarget], allow: Collection[str], resolver: Resolver = resolve_host
) -> str | None:
    """The first refusal among ``targets``; an empty allow-list refuses every target without a lookup."""
    for target in targets:
        reason = refusal(target, allow, resolver)
        if reason is not None:
            return reason
    return None
