"""Red team H1: nesting of any kind is a 400, and no crash loses an acknowledged write.

Before: the depth check counted brackets only, and Oxigraph's parser recurses once per unary
``!``: a million of them crashed an evaluator (SIGSEGV, a 500), and in an update, which parsed in
the server worker, the worker itself; granian started a new worker from the data as loaded at
start, and every write acknowledged since was silently gone. Now unary operators count as nesting,
an update runs first on an evaluator's copy (a crash or a runaway costs nothing there), and every
acknowledged write is journalled and replayed by a worker that starts again.
"""

from __future__ import annotations

import os
import signal
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.support.server import Server, start, stop
from tests.support.service import TOKEN, bearer

DEPTH = 200_000  # far past the limit, well under MAX_QUERY_BYTES
NESTINGS = {
    "not": "ASK { FILTER(" + "!" * DEPTH + "true) }",
    "not with spaces": "ASK { FILTER(" + "! " * DEPTH + "true) }",
    "not with comments": "ASK { FILTER(" + "!#\n" * DEPTH + "true) }",
    "minus": "SELECT (" + "- " * DEPTH + "1 AS ?x) {}",
    "plus": "SELECT (" + "+ " * DEPTH + "1 AS ?x) {}",
    "minus glued": "SELECT (" + "-" * DEPTH + "1 AS ?x) {}",
    "not and brackets": "ASK { FILTER(" + "!(" * (DEPTH // 2) + "true" + ")" * (DEPTH // 2) + ") }",
    "brackets": "SELECT * WHERE " + "{" * DEPTH + "}" * DEPTH,
    "lists": "SELECT * WHERE { ?s ?p " + "(" * DEPTH + ")" * DEPTH + " }",
    "blank nodes": "SELECT * WHERE { ?s ?p " + "[?p " * (DEPTH // 2) + "1" + "]" * (DEPTH // 2) + " }",
}


@pytest.mark.parametrize("name", sorted(NESTINGS))
def test_deep_nesting_of_any_kind_is_400(client: FlaskClient, name: str) -> None:
    response = client.post("/sparql", data=NESTINGS[name], content_type="application/sparql-query")
    assert response.status_code == 400 and b"deeper than the limit" in response.data, response.data[:200]


def test_a_deeply_nested_update_is_400_and_changes_nothing(writer: FlaskClient) -> None:
    version = writer.get("/health").get_json()["version"]
    update = "INSERT { <http://ex/a> <http://ex/p> 1 } WHERE { FILTER(" + "!" * DEPTH + "true) }"
    response = writer.post("/update", data=update, content_type="application/sparql-update", headers=bearer())
    assert response.status_code == 400 and b"deeper than the limit" in response.data
    assert writer.get("/health").get_json()["version"] == version


@pytest.fixture
def server() -> Iterator[Server]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RLSKG_TOKEN", TOKEN)
        running = start("--timeout", "2", "--workers", "1", "--threads", "4", "--evaluators", "1")
    try:
        yield running
    finally:
        stop(running)


def _children(pid: int) -> list[int]:
    """The direct children of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _update(server: Server, text: str) -> tuple[int, bytes]:
    status, _, body = server.request(
        "POST",
        "/update",
        {"Content-Type": "application/sparql-update", **bearer()},
        text.encode(),
    )
    return status, body


def _ask(server: Server, text: str) -> bytes:
    status, body = server.query(text)
    assert status == 200, body
    return body.strip()


def test_an_acknowledged_write_survives_the_death_of_its_worker(server: Server) -> None:
    status, body = _update(server, "INSERT DATA { GRAPH <http://ex/g> { <http://ex/kept> <http://ex/p> 1 } }")
    assert status in (200, 204), body
    assert _ask(server, "ASK { <http://ex/kept> ?p ?o }") == b"true"
    (worker,) = _children(server.process.pid)
    os.kill(worker, signal.SIGKILL)  # as a crash in a parser, or the OOM killer, would
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = _children(server.process.pid)
        if workers and workers != [worker]:
            try:
                if server.request("GET", "/health")[0] == 200:
                    break
            except OSError:
                pass
        time.sleep(0.1)
    else:
        raise AssertionError("no new worker answered /health within 30 s")
    assert _ask(server, "ASK { <http://ex/kept> ?p ?o }") == b"true"


def test_a_runaway_update_stops_at_the_time_limit_and_changes_nothing(server: Server) -> None:
    # The data is in named graphs, and an update's WHERE sees the store's own default graph.
    where = " ".join(f"GRAPH ?g{i} {{ ?s{i} ?p{i} ?o{i} }}" for i in range(8))
    runaway = (
        f"INSERT {{ GRAPH <http://ex/g> {{ <http://ex/runaway> <http://ex/p> 1 }} }} WHERE {{ {where} }}"
    )
    began = time.monotonic()
    status, body = _update(server, runaway)
    assert status == 503 and b"time limit" in body, body
    assert time.monotonic() - began < 2 + 3
    assert server.request("GET", "/health")[0] == 200
    assert _ask(server, "ASK { <http://ex/runaway> ?p ?o }") == b"false"


def test_an_update_that_fails_half_way_leaves_nothing_behind_on_rdflib() -> None:
    """M4: rdflib applies operations one by one; the trial on an evaluator's copy keeps a
    failing update from being half applied in the server."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RLSKG_TOKEN", TOKEN)
        running = start("--store", "rdflib", "--workers", "1", "--evaluators", "1")
    try:
        first = "INSERT DATA { GRAPH <http://ex/m4> { <http://ex/a> <http://ex/p> 1 } }"
        assert _update(running, first)[0] in (200, 204)
        half = "INSERT DATA { GRAPH <http://ex/m4> { <http://ex/b> <http://ex/p> 2 } } ; CREATE GRAPH <http://ex/m4>"
        status, body = _update(running, half)
        assert status == 400, body
        later = "INSERT DATA { GRAPH <http://ex/other> { <http://ex/c> <http://ex/p> 3 } }"
        assert _update(running, later)[0] in (200, 204)
        query = urllib.parse.quote("ASK { <http://ex/b> ?p ?o }")
        assert running.request("GET", f"/sparql?query={query}", {"Accept": "text/csv"})[2].strip() == b"false"
    finally:
        stop(running)
