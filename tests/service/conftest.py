"""Fixtures for the service tests: apps over tests/data/service-mini.trig, clients, helpers."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph

from rlskg.service import close_app, create_app

DATA = Path(__file__).resolve().parent.parent / "data" / "service-mini.trig"
TOKEN = "s3cret-token-for-tests"
GRAPH = "https://w3id.org/rlskg/graph/"
RLS = "https://w3id.org/rlskg/ontology/"
TRIPLES = 17  # in DATA: 8 + 6 + 3
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def make_app(**config: Any) -> Flask:
    return create_app({"DATA": [str(DATA)], "POOL_SIZE": 1, "ACCESS_LOG": False, **config})


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    """A read-only app, shared by a module's tests (they must not write)."""
    application = make_app()
    yield application
    close_app(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def build_app() -> Iterator[Callable[..., Flask]]:
    """Build apps with a test's own config; they are closed after the test."""
    apps: list[Flask] = []

    def build(**config: Any) -> Flask:
        apps.append(make_app(**config))
        return apps[-1]

    yield build
    for application in apps:
        close_app(application)


@pytest.fixture
def writable_app() -> Iterator[Flask]:
    """A fresh app that accepts writes with TOKEN, one per test."""
    application = make_app(TOKEN=TOKEN)
    yield application
    close_app(application)


@pytest.fixture
def writer(writable_app: Flask) -> FlaskClient:
    return writable_app.test_client()


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def parse(data: bytes, fmt: str) -> Graph:
    """An RDF response body, read back with rdflib."""
    graph = Graph()
    with warnings.catch_warnings():  # rdflib's own JSON-LD parser still builds a ConjunctiveGraph
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph.parse(data=data, format=fmt)
    return graph


def count(client: FlaskClient, query: str = COUNT) -> int:
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.data
    return int(response.data.decode().splitlines()[1])
