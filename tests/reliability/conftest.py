"""Fixtures for the reliability tests (the apps they share come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.canary import Canary, running_canary


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    """An HTTP server on loopback that counts the requests that reach it."""
    with running_canary() as server:
        yield server
