"""The Graph Store HTTP Protocol at /store: open reads, token-guarded writes."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from rdflib import URIRef

from tests.support.service import GRAPH, RLS, TRIPLES, bearer, count, parse

TURTLE = b"@prefix ex: <http://example.org/> . ex:a ex:b ex:c , ex:d ."


def test_get_store_named_graph_in_turtle(client: FlaskClient) -> None:
    response = client.get("/store", query_string={"graph": GRAPH + "simple"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = parse(response.data, "turtle")
    assert len(graph) == 3
    assert (
        URIRef(RLS + "IronDeficiency"),
        URIRef(RLS + "associatedWith"),
        URIRef(RLS + "RestlessLegsSyndrome"),
    ) in graph


def test_get_store_default_graph_is_the_stored_one(client: FlaskClient) -> None:
    response = client.get("/store?default", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and response.data == b""


def test_get_store_whole_dataset_in_trig_and_nquads(client: FlaskClient) -> None:
    trig = client.get("/store")
    assert trig.mimetype == "application/trig"
    nquads = client.get("/store", headers={"Accept": "application/n-quads"})
    assert nquads.data.count(b"\n") == TRIPLES


def test_get_store_whole_dataset_in_turtle_is_406(client: FlaskClient) -> None:
    assert client.get("/store", headers={"Accept": "text/turtle"}).status_code == 406


def test_get_store_missing_graph_is_404(client: FlaskClient) -> None:
    response = client.get("/store", query_string={"graph": GRAPH + "missing"})
    assert response.status_code == 404 and b"no graph named" in response.data


@pytest.mark.parametrize(
    "query", ["graph=not%20an%20iri", "graph=http://a/&graph=http://b/", f"default&graph={GRAPH}nhs"]
)
def test_get_store_bad_graph_parameter_is_400(client: FlaskClient, query: str) -> None:
    assert client.get(f"/store?{query}").status_code == 400


def test_head_store_has_headers_and_no_body(client: FlaskClient) -> None:
    response = client.head("/store", query_string={"graph": GRAPH + "nhs"})
    assert response.status_code == 200 and response.data == b"" and response.headers["ETag"]


def test_put_store_without_configured_token_is_403(client: FlaskClient) -> None:
    response = client.put("/store?default", data=TURTLE, content_type="text/turtle", headers=bearer())
    assert response.status_code == 403 and b"read-only" in response.data


def test_put_store_without_token_is_401(writer: FlaskClient) -> None:
    response = writer.put("/store?default", data=TURTLE, content_type="text/turtle")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_put_store_with_wrong_token_is_401(writer: FlaskClient) -> None:
    response = writer.put(
        "/store?default", data=TURTLE, content_type="text/turtle", headers=bearer("wrong-token")
    )
    assert response.status_code == 401 and "invalid_token" in response.headers["WWW-Authenticate"]


def test_put_store_new_graph_is_201_then_204(writer: FlaskClient) -> None:
    target = {"graph": "http://example.org/g"}
    first = writer.put(
        "/store", query_string=target, data=TURTLE, content_type="text/turtle", headers=bearer()
    )
    assert first.status_code == 201 and first.headers["Location"]
    again = writer.put(
        "/store", query_string=target, data=TURTLE, content_type="text/turtle", headers=bearer()
    )
    assert again.status_code == 204
    assert count(writer) == TRIPLES + 2


def test_put_store_replaces_the_graph(writer: FlaskClient) -> None:
    response = writer.put(
        "/store",
        query_string={"graph": GRAPH + "nhs"},
        data=TURTLE,
        content_type="text/turtle",
        headers=bearer(),
    )
    assert response.status_code == 204
    assert count(writer) == TRIPLES - 6 + 2


def test_post_store_merges_into_the_graph(writer: FlaskClient) -> None:
    response = writer.post(
        "/store",
        query_string={"graph": GRAPH + "nhs"},
        data=b'{"@id": "http://example.org/x", "http://example.org/p": "v"}',
        content_type="application/ld+json",
        headers=bearer(),
    )
    assert response.status_code == 204 and count(writer) == TRIPLES + 1


def test_post_store_bad_data_is_400_and_changes_nothing(writer: FlaskClient) -> None:
    version = writer.get("/health").json["version"]  # type: ignore[index]
    response = writer.post(
        "/store?default", data=TURTLE + b" ex:broken", content_type="text/turtle", headers=bearer()
    )
    assert response.status_code == 400
    assert writer.get("/health").json["version"] == version  # type: ignore[index]
    assert count(writer) == TRIPLES


def test_post_store_unknown_media_type_is_415(writer: FlaskClient) -> None:
    response = writer.post("/store?default", data=b"a,b", content_type="text/csv", headers=bearer())
    assert response.status_code == 415


def test_post_store_without_graph_is_400(writer: FlaskClient) -> None:
    response = writer.post("/store", data=TURTLE, content_type="text/turtle", headers=bearer())
    assert response.status_code == 400


def test_delete_store_graph_then_404(writer: FlaskClient) -> None:
    target = {"graph": GRAPH + "nhs"}
    assert writer.delete("/store", query_string=target, headers=bearer()).status_code == 204
    assert writer.delete("/store", query_string=target, headers=bearer()).status_code == 404
    assert count(writer) == TRIPLES - 6
