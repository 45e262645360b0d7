"""The SERVICE / LOAD allow-list and the addresses never reached."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from rlskg.service.guard.federation import first_refusal, refusal
from rlskg.service.guard.lexical import FetchTarget

PUBLIC = "93.184.215.14"


def resolve_to(*addresses: str) -> object:
    def resolver(host: str, port: int) -> Iterable[str]:
        return addresses

    return resolver


def test_refusal_allows_listed_public_target() -> None:
    target = FetchTarget("SERVICE", "https://query.example.org/sparql")
    assert refusal(target, {target.iri or ""}, resolve_to(PUBLIC)) is None  # type: ignore[arg-type]


def test_refusal_refuses_unlisted_target_without_lookup() -> None:
    def no_lookup(host: str, port: int) -> Iterable[str]:
        raise AssertionError("looked up")

    reason = refusal(FetchTarget("SERVICE", "https://query.example.org/sparql"), set(), no_lookup)
    assert reason is not None and "allow-list" in reason


@pytest.mark.parametrize(
    "iri",
    [
        "http://127.0.0.1/sparql",
        "http://localhost/sparql",
        "http://10.1.2.3/sparql",
        "http://192.168.0.1/sparql",
        "http://172.16.0.1/sparql",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/sparql",
        "http://[::ffff:127.0.0.1]/sparql",
        "http://0.0.0.0/sparql",
    ],
)
def test_refusal_refuses_private_addresses_even_when_listed(iri: str) -> None:
    reason = refusal(FetchTarget("SERVICE", iri), {iri})
    assert reason is not None and "loopback or private" in reason


def test_refusal_refuses_public_name_resolving_to_private_address() -> None:
    iri = "https://rebind.example.org/sparql"
    reason = refusal(FetchTarget("LOAD", iri), {iri}, resolve_to(PUBLIC, "10.0.0.7"))  # type: ignore[arg-type]
    assert reason is not None and "private" in reason


@pytest.mark.parametrize("iri", ["file:///etc/passwd", "ftp://example.org/x.ttl", "urn:x:y"])
def test_refusal_refuses_non_http_schemes_even_when_listed(iri: str) -> None:
    reason = refusal(FetchTarget("LOAD", iri), {iri})
    assert reason is not None and "http and https" in reason


def test_refusal_refuses_variable_target() -> None:
    reason = first_refusal([FetchTarget("SERVICE", None)], {"http://example.org/sparql"})
    assert reason is not None and "variable" in reason
