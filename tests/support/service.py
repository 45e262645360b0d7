"""The service under test in-process: an app over tests/data/service-mini.trig and what its tests
send and read back."""

from __future__ import annotations

import warnings
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph

from rlskg.service import create_app
from rlskg.service.state import EXTENSION
from tests.support.data import SERVICE_DATA

DATA = SERVICE_DATA
TOKEN = "s3cret-token-for-tests"
GRAPH = "https://w3id.org/rlskg/graph/"
RLS = "https://w3id.org/rlskg/ontology/"
TRIPLES = 17  # in DATA: 8 + 6 + 3
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def make_app(**config: Any) -> Flask:
    return create_app({"DATA": [str(DATA)], "POOL_SIZE": 1, "ACCESS_LOG": False, **config})


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


def snapshot(application: Flask) -> tuple[int, str]:
    """(triples, version) of an app's store: what a refused write must leave as it was."""
    store = application.extensions[EXTENSION].store
    return store.stats().triples, store.version
