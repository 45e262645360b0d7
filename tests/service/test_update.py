"""SPARQL 1.1 Update at /update and on POST /sparql, behind the bearer token."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.support.service import GRAPH, TRIPLES, bearer, count

INSERT = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 } }"


def test_post_update_form_is_204_and_visible(writer: FlaskClient) -> None:
    response = writer.post("/update", data={"update": INSERT}, headers=bearer())
    assert response.status_code == 204
    assert count(writer) == TRIPLES + 1


def test_post_update_direct_body(writer: FlaskClient) -> None:
    response = writer.post("/update", data=INSERT, content_type="application/sparql-update", headers=bearer())
    assert response.status_code == 204 and count(writer) == TRIPLES + 1


def test_post_sparql_update_goes_to_the_update_operation(writer: FlaskClient) -> None:
    response = writer.post("/sparql", data={"update": INSERT}, headers=bearer())
    assert response.status_code == 204 and count(writer) == TRIPLES + 1


def test_post_update_read_only_is_403(client: FlaskClient) -> None:
    response = client.post("/update", data={"update": INSERT}, headers=bearer())
    assert response.status_code == 403 and b"read-only" in response.data


def test_post_sparql_update_read_only_is_403(client: FlaskClient) -> None:
    assert client.post("/sparql", data={"update": INSERT}).status_code == 403


def test_post_update_without_token_is_401(writer: FlaskClient) -> None:
    response = writer.post("/update", data={"update": INSERT})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count(writer) == TRIPLES


def test_get_sparql_update_is_400(writer: FlaskClient) -> None:
    assert writer.get("/sparql", query_string={"update": INSERT}, headers=bearer()).status_code == 400


def test_post_update_malformed_is_400_with_position(writer: FlaskClient) -> None:
    response = writer.post("/update", data={"update": "INSERT DATA { <a> }"}, headers=bearer())
    assert response.status_code == 400 and b"1:" in response.data


def test_post_update_failing_midway_changes_nothing(writer: FlaskClient) -> None:
    update = INSERT + f" ; CREATE GRAPH <{GRAPH}nhs>"  # the graph exists: the second operation fails
    response = writer.post("/update", data={"update": update}, headers=bearer())
    assert response.status_code == 400
    assert count(writer) == TRIPLES


def test_post_update_load_outside_allow_list_is_403(writer: FlaskClient) -> None:
    for target in ("http://127.0.0.1:8000/data.ttl", "file:///etc/passwd"):
        response = writer.post("/update", data={"update": f"LOAD <{target}>"}, headers=bearer())
        assert response.status_code == 403 and b"refused" in response.data


def test_post_update_changes_version_and_etag(writer: FlaskClient) -> None:
    query = {"query": "ASK { ?s ?p ?o }"}
    before = writer.get("/sparql", query_string=query).headers["ETag"]
    writer.post("/update", data={"update": INSERT}, headers=bearer())
    after = writer.get("/sparql", query_string=query)
    assert after.headers["ETag"] != before
    assert writer.get("/sparql", query_string=query, headers={"If-None-Match": before}).status_code == 200


def test_post_update_with_using_graph_uri_takes_its_where_from_that_graph(writer: FlaskClient) -> None:
    copy = "INSERT { GRAPH <http://example.org/copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
    response = writer.post(
        "/update", query_string={"using-graph-uri": GRAPH + "nhs"}, data={"update": copy}, headers=bearer()
    )
    assert response.status_code == 204
    copied = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/copy> { ?s ?p ?o } }"
    source = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}nhs> {{ ?s ?p ?o }} }}"
    assert count(writer, copied) == count(writer, source) > 0


def test_post_update_with_using_graph_uri_and_its_own_dataset_is_400(writer: FlaskClient) -> None:
    own = f"INSERT {{ ?s ?p 1 }} USING <{GRAPH}nhs> WHERE {{ ?s ?p ?o }}"
    response = writer.post(
        "/update", query_string={"using-graph-uri": GRAPH + "nhs"}, data={"update": own}, headers=bearer()
    )
    assert response.status_code == 400 and b"dataset" in response.data
