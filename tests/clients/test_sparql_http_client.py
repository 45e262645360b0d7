"""sparql-http-client (npm, 3.x, its default StreamClient) against a real `rlskg serve`, through
tests/clients/js/sparql-http-client.mjs: SELECT by each of its three operations, CONSTRUCT, ASK,
an update with the bearer token, and the Graph Store (get, put, post, delete)."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import URIRef

from tests.clients import js
from tests.clients.expected import (
    ASK_FALSE,
    ASK_TRUE,
    CONSTRUCT_SIMPLE,
    COUNT,
    LABEL_TERMS,
    LABELS,
    NAMED_GRAPHS,
    NHS,
    SELECT_LABELS,
    SIMPLE,
    graph,
    triples,
)
from tests.support.service import TOKEN, TRIPLES

pytestmark = pytest.mark.server

OPERATIONS = ["get", "postUrlencoded", "postDirect"]
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
WRITTEN = "urn:x-rlskg-test:sparql-http-client"  # the named graph the write tests use


def client(action: str, root: str, *options: str, text: str | None = None) -> dict[str, Any]:
    """``action`` (see the driver) with ``options`` against the service at ``root``."""
    (result,) = js.run("sparql-http-client.mjs", *options, action, root, *([text] if text else []))
    return result


def rows(result: dict[str, Any]) -> list[dict[str, str]]:
    assert result.get("type") == "bindings", result
    found: list[dict[str, str]] = result["rows"]
    return found


def count(root: str, query: str = COUNT) -> int:
    (row,) = rows(client("select", root, text=query))
    value, _, datatype = row["n"].partition("^^")
    assert datatype == f"<{INTEGER}>"
    return int(value.strip('"'))


@pytest.mark.parametrize("operation", OPERATIONS)
def test_select_by_each_operation(root: str, operation: str) -> None:
    result = client("select", root, "--operation", operation, text=SELECT_LABELS)
    subjects = sorted(LABELS, key=lambda s: str(LABELS[s]))
    assert rows(result) == [{"s": f"<{s}>", "l": term} for s, term in zip(subjects, LABEL_TERMS, strict=True)]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_select_with_a_default_graph_uri_by_each_operation(root: str, operation: str) -> None:
    for name, size in NAMED_GRAPHS.items():
        result = client("select", root, "--operation", operation, "--default-graph", name, text=COUNT)
        assert rows(result) == [{"n": f'"{size}"^^<{INTEGER}>'}]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_construct_by_each_operation(root: str, operation: str) -> None:
    result = js.quads(client("construct", root, "--operation", operation, text=CONSTRUCT_SIMPLE))
    assert set(result) == {None}
    assert triples(result[None]) == triples(graph(SIMPLE))


@pytest.mark.parametrize("operation", OPERATIONS)
def test_ask_by_each_operation(root: str, operation: str) -> None:
    assert client("ask", root, "--operation", operation, text=ASK_TRUE) == {"type": "boolean", "value": True}
    assert client("ask", root, "--operation", operation, text=ASK_FALSE) == {
        "type": "boolean",
        "value": False,
    }


READ_WRITTEN = f"SELECT ?s ?o WHERE {{ GRAPH <{WRITTEN}> {{ ?s ?p ?o }} }} ORDER BY ?o"


@pytest.mark.parametrize("operation", ["postUrlencoded", "postDirect"])
def test_update_with_the_bearer_token_is_written_and_read_back(root: str, operation: str) -> None:
    triple = f'<urn:x-rlskg-test:thing> <urn:x-rlskg-test:says> "by {operation}"@en'
    # sparql-http-client sends a direct POST update as application/sparql-query: say what it is
    kind: tuple[str, ...] = ("--operation", operation)
    if operation == "postDirect":
        kind = ("--operation", operation, "--content-type", "application/sparql-update")
    insert = f"INSERT DATA {{ GRAPH <{WRITTEN}> {{ {triple} }} }}"
    assert client("update", root, "--token", TOKEN, *kind, text=insert) == {"type": "void"}
    assert rows(client("select", root, text=READ_WRITTEN)) == [
        {"s": "<urn:x-rlskg-test:thing>", "o": f'"by {operation}"@en'}
    ]
    assert count(root) == TRIPLES + 1
    delete = f"DELETE DATA {{ GRAPH <{WRITTEN}> {{ {triple} }} }}"
    assert client("update", root, "--token", TOKEN, *kind, text=delete) == {"type": "void"}
    assert rows(client("select", root, text=READ_WRITTEN)) == []
    assert count(root) == TRIPLES


def test_update_without_the_token_is_refused(root: str) -> None:
    insert = f"INSERT DATA {{ GRAPH <{WRITTEN}> {{ <urn:x-rlskg-test:a> <urn:x-rlskg-test:b> 1 }} }}"
    result = client("update", root, text=insert)
    assert result["status"] == 401, result
    assert count(root) == TRIPLES


@pytest.mark.parametrize("name", [NHS, SIMPLE])
def test_store_get_of_a_named_graph(root: str, name: URIRef) -> None:
    result = js.quads(client("store-get", root, "--graph", name))
    assert set(result) == {name}  # the client names each quad's graph
    assert len(result[name]) == NAMED_GRAPHS[name]
    assert triples(result[name]) == triples(graph(name))


def test_store_get_of_the_default_graph_is_the_store_s_own(root: str) -> None:
    """The Graph Store's default graph is the store's own, which the data leaves empty (queries
    see the union of all graphs instead)."""
    assert client("store-get", root) == {"type": "quads", "quads": []}


def test_store_put_post_delete_of_a_named_graph(root: str) -> None:
    token = ("--token", TOKEN, "--graph", WRITTEN)
    put = 'CONSTRUCT { <urn:x-rlskg-test:a> <urn:x-rlskg-test:says> "put"@en } WHERE {}'
    post = "CONSTRUCT { <urn:x-rlskg-test:b> <urn:x-rlskg-test:says> 2 } WHERE {}"
    a = '<urn:x-rlskg-test:a> <urn:x-rlskg-test:says> "put"@en'
    b = f'<urn:x-rlskg-test:b> <urn:x-rlskg-test:says> "2"^^<{INTEGER}>'

    def stored() -> set[str]:
        result = client("store-get", root, "--graph", WRITTEN)
        assert result["type"] == "quads", result
        return set(result["quads"])

    assert client("store-put", root, *token, text=put) == {"type": "void"}
    assert stored() == {f"{a} <{WRITTEN}> ."}
    assert client("store-post", root, *token, text=post) == {"type": "void"}
    assert stored() == {f"{a} <{WRITTEN}> .", f"{b} <{WRITTEN}> ."}
    assert client("store-put", root, *token, text=post) == {"type": "void"}  # PUT replaces
    assert stored() == {f"{b} <{WRITTEN}> ."}
    assert count(root) == TRIPLES + 1
    assert client("store-delete", root, *token) == {"type": "void", "status": 204}
    gone = client("store-get", root, "--graph", WRITTEN)
    assert gone["status"] == 404 and "no graph named" in gone["error"], gone
    assert count(root) == TRIPLES


def test_store_put_and_delete_of_the_default_graph(root: str) -> None:
    put = 'CONSTRUCT { <urn:x-rlskg-test:a> <urn:x-rlskg-test:says> "in the default graph" } WHERE {}'
    assert client("store-put", root, "--token", TOKEN, text=put) == {"type": "void"}
    assert client("store-get", root) == {
        "type": "quads",
        "quads": ['<urn:x-rlskg-test:a> <urn:x-rlskg-test:says> "in the default graph" .'],
    }
    assert count(root) == TRIPLES + 1  # queries see the default graph in the union
    assert client("store-delete", root, "--token", TOKEN) == {"type": "void", "status": 204}
    assert client("store-get", root) == {"type": "quads", "quads": []}
    assert count(root) == TRIPLES


def test_store_writes_without_the_token_are_refused(root: str) -> None:
    put = 'CONSTRUCT { <urn:x-rlskg-test:a> <urn:x-rlskg-test:says> "refused" } WHERE {}'
    assert client("store-put", root, "--graph", WRITTEN, text=put)["status"] == 401
    assert client("store-delete", root, "--graph", NHS)["status"] == 401
    assert len(js.quads(client("store-get", root, "--graph", NHS))[NHS]) == NAMED_GRAPHS[NHS]
