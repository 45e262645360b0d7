"""Oversized bodies and URLs, header tricks and path tricks, on every route: a 4xx, never a 5xx."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.service import TOKEN, bearer, snapshot

ROUTES = ["/sparql", "/update", "/store", "/service-description", "/health", "/metrics", "/openapi.json"]
PATH_TRICKS = [
    "/sparql/../health",
    "/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/%252e%252e/etc/passwd",  # double-encoded
    "/..%2f..%2fetc/passwd",
    "/sparql%00",
    "/sparql%00.json",
    "/store%2f..%2fhealth",
    "//etc/passwd",
    "/static/../../etc/passwd",
    "/\\..\\..\\etc\\passwd",
]


@pytest.mark.parametrize("path", PATH_TRICKS)
def test_path_tricks_reach_no_file(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code < 500 and b"root:" not in response.data


@pytest.mark.parametrize("route", ROUTES)
def test_oversized_body_is_413_on_every_route(build_app: Callable[..., Flask], route: str) -> None:
    application = build_app(MAX_REQUEST_BYTES=1000, TOKEN=TOKEN)
    before = snapshot(application)
    body = b"query=" + b"A" * 2000
    response = application.test_client().post(
        route, data=body, content_type="application/x-www-form-urlencoded", headers=bearer()
    )
    # /store refuses a form body (415) and a write without ?graph (400) before reading it.
    assert response.status_code in (400, 405, 413, 415), (route, response.status_code)
    assert response.status_code != 400 or route == "/store"
    assert snapshot(application) == before


@pytest.mark.parametrize("route", ROUTES)
def test_oversized_url_is_414_on_every_route(build_app: Callable[..., Flask], route: str) -> None:
    response = build_app(MAX_REQUEST_BYTES=1000).test_client().get(route + "?query=" + "A" * 2000)
    assert response.status_code == 414


def test_put_store_larger_than_limit_is_413_and_writes_nothing(build_app: Callable[..., Flask]) -> None:
    application = build_app(MAX_REQUEST_BYTES=1000, TOKEN=TOKEN)
    before = snapshot(application)
    triples = b"".join(b"<http://ex/s%d> <http://ex/p> <http://ex/o> .\n" % i for i in range(100))
    response = application.test_client().put(
        "/store?graph=http://ex/g", data=triples, content_type="application/n-triples", headers=bearer()
    )
    assert response.status_code == 413
    assert snapshot(application) == before


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    "headers",
    [
        {"Accept": "\x00\xff" * 100},
        {"Accept": "*/*;q=abc, text/csv;q=2, ;;;"},
        {"Accept-Encoding": "gzip;q=nan, br;q=-1, *;q=1e400"},
        {"Content-Type": "application/sparql-query; charset=no-such-codec"},
        {"Content-Type": "multipart/form-data; boundary="},
        {"If-None-Match": '"' + "x" * 10000},
        {"Authorization": "Bearer " + "\u00e9" * 100},
        {"Authorization": "Basic " + "A" * 1000},
        {"Host": "evil.example:99999"},
        {"X-Forwarded-For": "127.0.0.1, ::1"},
    ],
)
def test_header_tricks_are_never_a_server_error(
    client: FlaskClient, route: str, headers: dict[str, str]
) -> None:
    for method in ("GET", "POST"):
        response = client.open(route, method=method, headers=headers, data=b"SELECT * {}")
        assert response.status_code < 500, (method, route, headers, response.data)


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "rot13", "base64", "idna", "utf-7", "nonsense"])
def test_body_charsets_are_decoded_or_refused_with_400(client: FlaskClient, charset: str) -> None:
    response = client.post(
        "/sparql", data=b"\xff\xfe\x00SELECT", content_type=f"application/sparql-query; charset={charset}"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query_string",
    [
        "query=ASK{}&query=ASK{}",
        "query=ASK{}&update=CLEAR%20ALL",
        "query=%ff%fe%00",
        "query=ASK%00{}",
        "query=ASK{}&default-graph-uri=not%20an%20iri",
        "query=ASK{}&default-graph-uri=",
        "query",
        "=&&&=",
        "query=ASK{}&format=../../etc/passwd",
    ],
)
def test_query_string_tricks_are_400(client: FlaskClient, query_string: str) -> None:
    response = client.get("/sparql?" + query_string)
    if query_string == "=&&&=":  # no query at all: the service description
        assert response.status_code == 200
    else:
        assert response.status_code == 400, response.data


def test_duplicate_graph_parameter_on_store_is_400(client: FlaskClient) -> None:
    response = client.get("/store?graph=http://ex/a&graph=http://ex/b")
    assert response.status_code == 400


def test_form_body_with_duplicate_query_across_url_and_body_is_400(client: FlaskClient) -> None:
    response = client.post("/sparql?query=ASK{}", data={"query": "ASK{}"})
    assert response.status_code == 400


def test_error_bodies_carry_no_traceback(client: FlaskClient) -> None:
    for response in (client.get("/sparql?query=SELECT"), client.get("/nowhere"), client.delete("/sparql")):
        assert b"Traceback" not in response.data and b'File "' not in response.data
