"""Fixtures of the store tests: real remote stores on free loopback ports (tests/support/stores.py),
each holding the built dataset published with ``rlskg publish``: an Oxigraph server and a Virtuoso;
and apps per store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from rlskg.graph.publish import publish
from rlskg.graph.stores.remote import RemoteStore
from rlskg.service import close_app, create_app
from tests.support.server import free_port
from tests.support.stores import (
    OxigraphServer,
    VirtuosoServer,
    start_oxigraph,
    start_virtuoso,
    virtuoso_setup,
)


@pytest.fixture(scope="session")
def oxigraph_server(
    tmp_path_factory: pytest.TempPathFactory, built_dataset: Path
) -> Iterator[OxigraphServer]:
    """An on-disk Oxigraph server holding the built dataset, published with ``rlskg publish``."""
    server = start_oxigraph(free_port(), tmp_path_factory.mktemp("oxigraph-server") / "db")
    try:
        publish(built_dataset, server.store)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(
    tmp_path_factory: pytest.TempPathFactory, built_dataset: Path
) -> Iterator[VirtuosoServer]:
    """A Virtuoso holding the built dataset, published with ``rlskg publish`` after the grants;
    its system graphs are those of the new database."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.isql(virtuoso_setup(RemoteStore(server.query).named_graphs()))
        publish(built_dataset, server.store)
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_app() -> Iterator[Callable[..., Flask]]:
    """Build apps with a test's own config (quiet, one evaluator); closed after the test."""
    apps: list[Flask] = []

    def build(**config: Any) -> Flask:
        apps.append(create_app({"POOL_SIZE": 1, "ACCESS_LOG": False, **config}))
        return apps[-1]

    yield build
    for app in apps:
        close_app(app)
