"""A real `rlskg serve` over tests/data/service-mini.trig for each test module (its updates need
the bearer token TOKEN), and its URLs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.server import Server, start, stop
from tests.support.service import TOKEN


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RLSKG_TOKEN", TOKEN)
        running = start()
    try:
        yield running
    finally:
        stop(running)


@pytest.fixture(scope="module")
def root(server: Server) -> str:
    """The service's root URL (with its trailing slash)."""
    return f"http://127.0.0.1:{server.port}/"


@pytest.fixture(scope="module")
def endpoint(root: str) -> str:
    """The SPARQL query (and update) endpoint."""
    return root + "sparql"
