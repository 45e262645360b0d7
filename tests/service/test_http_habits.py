"""What every route does: CORS, caching, compression, HEAD and OPTIONS, health, metrics, OpenAPI, logs."""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Callable

import brotli
import pytest
from flask import Flask
from flask.testing import FlaskClient

from rlskg.service import create_app
from tests.support.service import COUNT, GRAPH, TRIPLES, bearer

ALL = "SELECT * WHERE { ?s ?p ?o }"
ROUTES = ["/sparql", "/update", "/store", "/service-description", "/health", "/metrics", "/openapi.json"]


def test_every_response_allows_any_origin(client: FlaskClient) -> None:
    for path in ("/sparql", "/health", "/nowhere"):
        assert client.get(path).headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ROUTES)
def test_options_every_route_answers_a_preflight(client: FlaskClient, path: str) -> None:
    response = client.options(
        path, headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    )
    assert response.status_code == 200
    assert "OPTIONS" in response.headers["Allow"]
    assert response.headers["Access-Control-Allow-Methods"] == response.headers["Allow"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("path", [p for p in ROUTES if p != "/update"])
def test_head_every_readable_route(client: FlaskClient, path: str) -> None:
    response = client.head(path)
    assert response.status_code == 200 and response.data == b""


def test_head_update_is_405(client: FlaskClient) -> None:
    assert client.head("/update").status_code == 405


def test_get_sparql_etag_and_304(client: FlaskClient) -> None:
    first = client.get("/sparql", query_string={"query": COUNT})
    tag = first.headers["ETag"]
    assert tag.startswith('W/"') and first.headers["Cache-Control"].startswith("public, max-age=")
    again = client.get("/sparql", query_string={"query": COUNT}, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag


def test_get_sparql_etag_differs_by_format(client: FlaskClient) -> None:
    json_tag = client.get("/sparql", query_string={"query": COUNT}).headers["ETag"]
    csv = client.get(
        "/sparql", query_string={"query": COUNT}, headers={"Accept": "text/csv", "If-None-Match": json_tag}
    )
    assert csv.status_code == 200 and csv.headers["ETag"] != json_tag


def test_post_sparql_is_not_cached(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"query": COUNT})
    assert "ETag" not in response.headers and response.headers["Cache-Control"] == "no-store"


def test_get_store_and_description_have_etags(client: FlaskClient) -> None:
    for path in ("/store?graph=" + GRAPH + "nhs", "/service-description"):
        tag = client.get(path).headers["ETag"]
        assert client.get(path, headers={"If-None-Match": tag}).status_code == 304


@pytest.mark.parametrize(("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_get_sparql_compresses_large_bodies(
    client: FlaskClient, encoding: str, decode: Callable[[bytes], bytes]
) -> None:
    plain = client.get("/sparql", query_string={"query": ALL})
    packed = client.get("/sparql", query_string={"query": ALL}, headers={"Accept-Encoding": encoding})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert decode(packed.data) == plain.data and len(packed.data) < len(plain.data)


def test_brotli_preferred_on_a_tie_and_quality_respected(client: FlaskClient) -> None:
    query = {"query": ALL}
    assert (
        client.get("/sparql", query_string=query, headers={"Accept-Encoding": "gzip, br"}).headers[
            "Content-Encoding"
        ]
        == "br"
    )
    response = client.get("/sparql", query_string=query, headers={"Accept-Encoding": "gzip, br;q=0.5"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_small_bodies_are_not_compressed(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers


def test_get_health_reports_size_and_version(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    health = response.json
    assert health is not None
    assert health["status"] == "ok" and health["triples"] == TRIPLES and health["graphs"] == 3
    assert health["version"]


def test_get_health_without_data_is_503(build_app: Callable[..., Flask]) -> None:
    app = build_app(DATA=[])
    response = app.test_client().get("/health")
    assert response.status_code == 503 and response.json["status"] == "unavailable"  # type: ignore[index]


def test_get_metrics_counts_requests_and_timeouts(build_app: Callable[..., Flask]) -> None:
    app = build_app(QUERY_TIMEOUT=0.2)
    client = app.test_client()
    client.get("/sparql", query_string={"query": COUNT})
    client.get("/sparql", query_string={"query": "SELECT"})
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"
    assert client.get("/sparql", query_string={"query": runaway}).status_code == 503
    client.get("/nowhere")
    text = client.get("/metrics").data.decode()
    assert 'route="/sparql",status="200"' in text and 'route="/sparql",status="400"' in text
    assert 'route="unmatched",status="404"' in text
    assert (
        "rlskg_query_timeouts_total{" in text and "} 1.0" in text.split("rlskg_query_timeouts_total{")[1][:40]
    )
    assert "rlskg_http_request_duration_seconds_bucket{" in text
    assert "rlskg_http_requests_in_flight{" in text


def test_get_openapi_describes_every_route(app: Flask, client: FlaskClient) -> None:
    document = client.get("/openapi.json").json
    assert document is not None and document["openapi"].startswith("3.")
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        # OpenAPI: /doc/<path:path> is /doc/{path}, /ontology.<any(owl, ttl):suffix> is /ontology.{suffix}
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)
        assert path in document["paths"], rule.rule
        described = set(document["paths"][path])
        assert {m.lower() for m in rule.methods or ()} - {"head", "options"} <= described, rule.rule


def test_access_log_is_one_json_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app({"DATA": [], "POOL_SIZE": 0, "ACCESS_LOG": True})
    logger = logging.getLogger("rlskg.access")
    logger.addHandler(caplog.handler)
    try:
        app.test_client().get("/sparql", query_string={"query": "ASK {}"}, headers={"User-Agent": "probe"})
    finally:
        logger.removeHandler(caplog.handler)
    entry = json.loads(caplog.records[-1].getMessage())
    assert entry["route"] == "/sparql" and entry["status"] == 200 and entry["query"] == "ASK {}"
    assert entry["agent"] == "probe" and entry["store_ms"] >= 0 and entry["ms"] >= entry["store_ms"]


def test_unknown_route_is_404_in_plain_text(client: FlaskClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404 and response.mimetype == "text/plain"


def test_wrong_method_is_405_with_allow(client: FlaskClient) -> None:
    response = client.delete("/sparql")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


def test_unexpected_error_is_500_without_traceback(build_app: Callable[..., Flask]) -> None:
    app = build_app()

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"secret detail" not in response.data and b"Traceback" not in response.data


def test_create_app_rejects_bad_config() -> None:
    with pytest.raises(ValueError, match="QUERY_TIMEOUT"):
        create_app({"QUERY_TIMEOUT": "soon"})
    with pytest.raises(ValueError, match="TOKEN"):
        create_app({"TOKEN": "short"})
    with pytest.raises(ValueError, match="REMOTE_PASSWORD is set without REMOTE_USER"):
        create_app({"REMOTE_PASSWORD": "alone"})


def test_environment_overrides_config(
    monkeypatch: pytest.MonkeyPatch, build_app: Callable[..., Flask]
) -> None:
    monkeypatch.setenv("RLSKG_TOKEN", "from-the-environment")
    app = build_app(TOKEN="from-the-mapping")
    insert = "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"
    client = app.test_client()
    assert (
        client.post("/update", data={"update": insert}, headers=bearer("from-the-mapping")).status_code == 401
    )
    assert (
        client.post("/update", data={"update": insert}, headers=bearer("from-the-environment")).status_code
        == 204
    )
