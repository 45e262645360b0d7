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


def test_post_to_the_store_makes_a_new_graph_at_its_location(writer: FlaskClient) -> None:
    response = writer.post("/store", data=TURTLE, content_type="text/turtle", headers=bearer())
    assert response.status_code == 201, response.data
    location = response.headers["Location"]
    assert location.startswith("http://localhost/store/") and "Content-Type" not in response.headers
    again = writer.post("/store", data=TURTLE, content_type="text/turtle", headers=bearer())
    assert again.headers["Location"] != location  # each POST makes its own graph
    by_name = writer.get(
        "/store", query_string={"graph": location}, headers={"Accept": "application/n-triples"}
    )
    by_url = writer.get(
        location.removeprefix("http://localhost"), headers={"Accept": "application/n-triples"}
    )
    assert by_name.status_code == by_url.status_code == 200 and by_name.data == by_url.data
    assert len(parse(by_url.data, "nt")) == 2


@pytest.mark.parametrize("method", ["put", "delete"])
def test_put_or_delete_without_graph_is_400(writer: FlaskClient, method: str) -> None:
    response = getattr(writer, method)("/store", data=TURTLE, content_type="text/turtle", headers=bearer())
    assert response.status_code == 400 and b"names its graph" in response.data


def test_a_graph_named_by_its_url(writer: FlaskClient) -> None:
    """Direct graph identification: /store/<path> is the graph whose IRI is that URL."""
    path = "/store/people/1.ttl"
    assert writer.get(path).status_code == 404
    assert writer.put(path, data=TURTLE, content_type="text/turtle").status_code == 401
    assert writer.put(path, data=TURTLE, content_type="text/turtle", headers=bearer()).status_code == 201
    extra = b"<http://example.org/a> <http://example.org/b> <relative> ."
    assert writer.post(path, data=extra, content_type="text/turtle", headers=bearer()).status_code == 204
    graph = parse(writer.get(path, headers={"Accept": "text/turtle"}).data, "turtle")
    assert len(graph) == 3 and (None, None, URIRef("http://localhost/store/people/relative")) in graph
    listed = writer.get(
        "/store", query_string={"graph": "http://localhost" + path}, headers={"Accept": "text/turtle"}
    )
    assert len(parse(listed.data, "turtle")) == 3
    assert writer.get(path + "?default").status_code == 400
    assert writer.delete(path, headers=bearer()).status_code == 204
    assert writer.get(path).status_code == 404


def _multipart(*parts: tuple[str, str, bytes]) -> tuple[bytes, str]:
    boundary = "b0undary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
        f"Content-Type: {media_type}\r\n\r\n".encode()
        + data
        + b"\r\n"
        for name, media_type, data in parts
    )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_multipart_post_adds_every_part(writer: FlaskClient) -> None:
    body, content_type = _multipart(
        (
            "a.ttl",
            "text/turtle",
            b"<http://example.org/s> <http://example.org/p> [ <http://example.org/q> 1 ] .",
        ),
        ("b.nt", "application/n-triples", b'<http://example.org/s> <http://example.org/r> "x" .\n'),
        ("c.rdf", "application/octet-stream", b""),  # an empty part, typed by its name
    )
    target = {"graph": "http://example.org/g"}
    response = writer.post(
        "/store", query_string=target, data=body, content_type=content_type, headers=bearer()
    )
    assert response.status_code == 201, response.data
    stored = parse(
        writer.get("/store", query_string=target, headers={"Accept": "text/turtle"}).data, "turtle"
    )
    assert len(stored) == 3


def test_multipart_with_a_bad_part_adds_nothing(writer: FlaskClient) -> None:
    body, content_type = _multipart(
        ("a.ttl", "text/turtle", b"<http://example.org/s> <http://example.org/p> 1 ."),
        ("b.ttl", "text/turtle", b"<http://example.org/s> <http://example.org/p> ."),
    )
    target = {"graph": "http://example.org/g"}
    response = writer.post(
        "/store", query_string=target, data=body, content_type=content_type, headers=bearer()
    )
    assert response.status_code == 400 and b"b.ttl" in response.data
    assert writer.get("/store", query_string=target).status_code == 404


def test_multipart_refuses_untyped_parts_and_puts(writer: FlaskClient) -> None:
    target = {"graph": "http://example.org/g"}
    body, content_type = _multipart(("a.csv", "text/csv", b"a,b"))
    response = writer.post(
        "/store", query_string=target, data=body, content_type=content_type, headers=bearer()
    )
    assert response.status_code == 415 and b"a.csv" in response.data
    field = b'--b\r\nContent-Disposition: form-data; name="field"\r\n\r\nx\r\n--b--\r\n'
    form = writer.post(
        "/store",
        query_string=target,
        data=field,
        content_type="multipart/form-data; boundary=b",
        headers=bearer(),
    )
    assert form.status_code == 400 and b"field" in form.data
    body, content_type = _multipart(("a.ttl", "text/turtle", b""))
    put = writer.put("/store", query_string=target, data=body, content_type=content_type, headers=bearer())
    assert put.status_code == 415


def test_delete_store_graph_then_404(writer: FlaskClient) -> None:
    target = {"graph": GRAPH + "nhs"}
    assert writer.delete("/store", query_string=target, headers=bearer()).status_code == 204
    assert writer.delete("/store", query_string=target, headers=bearer()).status_code == 404
    assert count(writer) == TRIPLES - 6
