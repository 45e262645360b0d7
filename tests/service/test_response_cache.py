"""The response cache (service.middleware.response_cache): repeated GETs answered without the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask

from rlskg.service.state import EXTENSION
from tests.support.service import COUNT, TOKEN, TRIPLES, bearer

INSERT = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 } }"
JSON = {"Accept": "application/sparql-results+json"}
URL = f"/sparql?query={quote(COUNT)}"


class CountingStore:
    """The app's store, counting the queries that reach it."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.queries = inner, 0

    def query(self, *args: Any, **kwargs: Any) -> Any:
        self.queries += 1
        return self.inner.query(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def counted(app: Flask) -> CountingStore:
    state = app.extensions[EXTENSION]
    state.store = CountingStore(state.store)
    return state.store  # type: ignore[no-any-return]


def lookups(app: Flask, outcome: str) -> float:
    """The response cache lookups with ``outcome`` in the app's /metrics."""
    text = app.test_client().get("/metrics").get_data(as_text=True)
    prefix = "rlskg_response_cache_lookups_total{"
    lines = [line for line in text.splitlines() if line.startswith(prefix) and f'outcome="{outcome}"' in line]
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines)


@pytest.fixture
def app(build_app: Callable[..., Flask]) -> Flask:
    return build_app(TOKEN=TOKEN)


def test_a_repeated_get_is_answered_without_the_store(app: Flask) -> None:
    store, client = counted(app), app.test_client()
    first, second = client.get(URL, headers=JSON), client.get(URL, headers=JSON)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and first.headers == second.headers
    assert store.queries == 1
    assert lookups(app, "hit") == 1 and lookups(app, "miss") == 1


def test_an_update_empties_the_cache(app: Flask) -> None:
    client = app.test_client()
    before = client.get(URL, headers=JSON).get_json()
    assert client.post("/update", data={"update": INSERT}, headers=bearer()).status_code == 204
    after = client.get(URL, headers=JSON).get_json()
    assert int(before["results"]["bindings"][0]["n"]["value"]) == TRIPLES
    assert int(after["results"]["bindings"][0]["n"]["value"]) == TRIPLES + 1


@pytest.mark.parametrize(
    "other",
    [
        {"Accept": "application/sparql-results+xml"},
        {**JSON, "Accept-Encoding": "gzip"},
        {**JSON, "Host": "other.example"},
    ],
    ids=["accept", "accept-encoding", "host"],
)
def test_answers_differing_in_negotiation_or_host_are_kept_apart(app: Flask, other: dict[str, str]) -> None:
    store, client = counted(app), app.test_client()
    plain = client.get(URL, headers=JSON)
    varied = client.get(URL, headers=other)
    assert store.queries == 2
    assert client.get(URL, headers=other).data == varied.data
    assert client.get(URL, headers=JSON).data == plain.data
    assert store.queries == 2


def test_a_compressed_answer_is_replayed_compressed(app: Flask) -> None:
    client = app.test_client()
    query = "/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o }")
    headers = {**JSON, "Accept-Encoding": "br"}
    first, second = client.get(query, headers=headers), client.get(query, headers=headers)
    assert first.headers["Content-Encoding"] == second.headers["Content-Encoding"] == "br"
    assert first.data == second.data


def test_a_matching_if_none_match_on_a_hit_is_304_without_a_body(app: Flask) -> None:
    store, client = counted(app), app.test_client()
    tag = client.get(URL, headers=JSON).headers["ETag"]
    response = client.get(URL, headers={**JSON, "If-None-Match": tag})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == tag and "Content-Type" not in response.headers
    assert client.get(URL, headers={**JSON, "If-None-Match": 'W/"other"'}).status_code == 200
    assert store.queries == 1


def test_head_after_get_is_a_hit_without_a_body(app: Flask) -> None:
    store, client = counted(app), app.test_client()
    got = client.get(URL, headers=JSON)
    head = client.head(URL, headers=JSON)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == got.headers["Content-Length"]
    assert store.queries == 1


@pytest.mark.parametrize("header", [{"Cache-Control": "no-cache"}, {"Pragma": "no-cache"}])
def test_no_cache_from_the_client_evaluates_afresh(app: Flask, header: dict[str, str]) -> None:
    store, client = counted(app), app.test_client()
    client.get(URL, headers=JSON)
    assert client.get(URL, headers={**JSON, **header}).status_code == 200
    assert store.queries == 2


def test_posted_queries_and_errors_are_not_kept(app: Flask) -> None:
    store, client = counted(app), app.test_client()
    for _ in range(2):
        assert client.post("/sparql", data={"query": COUNT}, headers=JSON).status_code == 200
        assert client.get("/sparql?query=SELEC", headers=JSON).status_code == 400
    assert store.queries == 4  # the store's parser finds the syntax error, each time
    assert lookups(app, "hit") == 0


def test_the_byte_budget_holds(build_app: Callable[..., Flask]) -> None:
    app = build_app(RESPONSE_CACHE_BYTES=40_000)  # an entry (at most an eighth) counts ~2 KB
    client = app.test_client()
    for n in range(60):
        client.get("/sparql?query=" + quote(f"SELECT ({n} AS ?n) {{}}"), headers=JSON)
    entries, size = app.wsgi_app.app.size  # type: ignore[attr-defined]
    assert 0 < entries < 60 and size <= 40_000


def test_the_cache_can_be_turned_off(build_app: Callable[..., Flask]) -> None:
    app = build_app(RESPONSE_CACHE_BYTES=0)
    store, client = counted(app), app.test_client()
    client.get(URL, headers=JSON)
    client.get(URL, headers=JSON)
    assert store.queries == 2
    assert lookups(app, "hit") == lookups(app, "miss") == 0


def test_pages_are_cached_too(app: Flask) -> None:
    client = app.test_client()
    first = client.get("/", headers={"Accept": "text/html"})
    second = client.get("/", headers={"Accept": "text/html"})
    assert first.status_code == second.status_code == 200 and first.data == second.data
    assert lookups(app, "hit") == 1


@pytest.mark.parametrize("function", ["NOW()", "RAND()", "STRUUID()", "uuid ()"])
def test_an_answer_that_changes_per_evaluation_is_never_kept(app: Flask, function: str) -> None:
    store, client = counted(app), app.test_client()
    url = "/sparql?query=" + quote(f"SELECT ({function} AS ?x) {{}}")
    first, second = client.get(url, headers=JSON), client.get(url, headers=JSON)
    assert first.status_code == second.status_code == 200
    assert store.queries == 2
    assert "ETag" not in first.headers and first.headers["Cache-Control"] == "no-store"


def test_a_graph_store_write_empties_the_cache(app: Flask) -> None:
    client = app.test_client()
    url, accept = "/store?graph=http://example.org/g", {"Accept": "application/n-triples"}
    turtle = {**bearer(), "Content-Type": "text/turtle"}
    assert (
        client.put(url, data=b"<http://example.org/a> <http://example.org/b> 1 .", headers=turtle).status_code
        == 201
    )
    before = client.get(url, headers=accept).data
    assert client.get(url, headers=accept).data == before  # kept
    assert (
        client.put(url, data=b"<http://example.org/a> <http://example.org/b> 2 .", headers=turtle).status_code
        == 204
    )
    after = client.get(url, headers=accept).data
    assert b'"1"' in before and b'"2"' in after and b'"1"' not in after
