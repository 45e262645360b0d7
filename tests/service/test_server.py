"""The real server: `rlskg serve` on a free loopback port, spoken to over HTTP."""

from __future__ import annotations

import contextlib
import gzip
import json
import multiprocessing
import os
import signal
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from rlskg.service import serve
from tests.support.server import RUNAWAY, Server, descendants, running_process, start, stop
from tests.support.service import COUNT, TRIPLES

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = start("--timeout", "1", "--workers", "1", "--threads", "3", "--evaluators", "3")
    try:
        yield running
    finally:
        stop(running)


def test_serve_answers_queries_over_http(server: Server) -> None:
    status, body = server.query(COUNT)
    assert status == 200 and body.decode().splitlines() == ["n", str(TRIPLES)]
    status, headers, _ = server.request("GET", "/health")
    assert status == 200 and headers["server"] == "granian"


def test_serve_cold_start_is_under_three_seconds(server: Server) -> None:
    assert server.cold_start < 3.0, f"cold start took {server.cold_start:.2f} s"


def test_serve_runaway_query_is_stopped_and_others_are_answered(server: Server) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        began = time.monotonic()
        outcome["status"], outcome["body"] = server.query(RUNAWAY)
        outcome["seconds"] = time.monotonic() - began

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    for _ in range(5):  # while the runaway query runs, other requests are answered
        assert server.query(COUNT)[0] == 200
    thread.join(timeout=20)
    assert outcome["status"] == 503 and b"time limit of 1 s" in outcome["body"]  # type: ignore[operator]
    assert 0.9 < outcome["seconds"] < 5  # type: ignore[operator]
    for _ in range(6):  # every evaluator, including the replacement, answers afterwards
        status, body = server.query(COUNT)
        assert status == 200 and body.decode().splitlines() == ["n", str(TRIPLES)]


def test_serve_runaway_queries_do_not_pile_up(server: Server) -> None:
    threads = [threading.Thread(target=server.query, args=(RUNAWAY,)) for _ in range(3)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert time.monotonic() - began < 6
    assert server.query(COUNT)[0] == 200
    evaluators = descendants(server.process.pid)
    assert len(evaluators) <= 1 + 3  # the worker and its three evaluators: none left behind


def test_serve_http_habits(server: Server) -> None:
    path = "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})
    status, headers, body = server.request("GET", path, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body).startswith(b"{")
    assert headers["access-control-allow-origin"] == "*"
    status, _, body = server.request("GET", path, {"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""
    status, headers, body = server.request("HEAD", path)
    assert status == 200 and body == b""
    status, headers, _ = server.request("OPTIONS", "/store", {"Origin": "https://example.org"})
    assert status == 200 and "PUT" in headers["access-control-allow-methods"]
    status, _, body = server.request("GET", "/sparql?query=SELECT", {"Accept": "application/json"})
    assert status == 400 and "1:" in json.loads(body)["error"]["message"]


def test_serve_stops_with_its_children() -> None:
    running = start("--workers", "2", "--threads", "2", "--evaluators", "2")
    children: set[int] = set()
    try:
        # /health answered from one worker; the other may still be starting
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(children) < 6:
            children = descendants(running.process.pid)
            time.sleep(0.05)
        stop(running, force=False)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(running_process(pid) for pid in children):
            time.sleep(0.05)
        survivors = [pid for pid in children if running_process(pid)]
    finally:
        for pid in children:  # whatever the outcome, leave nothing running
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert len(children) == 6  # two workers, each with two evaluators
    assert survivors == []


def _health_requests(server: Server) -> tuple[float, set[str]]:
    """The /health requests counted by a scrape of /metrics, summed over workers, and the workers."""
    status, _, body = server.request("GET", "/metrics")
    assert status == 200
    total, workers = 0.0, set()
    for line in body.decode().splitlines():
        if line.startswith("rlskg_http_requests_total{") and 'route="/health"' in line:
            total += float(line.rsplit(" ", 1)[1])
            workers.add(line.split('worker="', 1)[1].split('"', 1)[0])
    return total, workers


def test_metrics_show_every_worker_in_every_scrape() -> None:
    """With two workers, each scrape (answered by either) counts the requests both answered."""
    running = start("--workers", "2", "--threads", "2", "--evaluators", "1")
    try:
        before, _ = _health_requests(running)
        for _ in range(40):
            assert running.request("GET", "/health")[0] == 200
        scrapes = [_health_requests(running) for _ in range(6)]
    finally:
        stop(running)
    assert all(total - before == 40 for total, _ in scrapes), (before, scrapes)
    assert any(len(workers) == 2 for _, workers in scrapes)  # both answered some


def _slow_load(config: object, store: object = None) -> None:
    time.sleep(30)


def test_a_worker_stopped_while_it_loads_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    """A granian worker starts with the server process's signal handlers, which do nothing in a
    worker; a SIGTERM that comes while it loads the app must still end it, or it outlives the
    server with its evaluators (seen once in a full test run)."""
    monkeypatch.setattr(serve, "create_app", _slow_load)

    def worker() -> None:
        signal.signal(signal.SIGTERM, lambda *_: None)  # as granian's server process left it
        serve.load_in_worker({}, None)

    process = multiprocessing.get_context("fork").Process(target=worker)
    process.start()
    time.sleep(0.5)
    os.kill(process.pid or 0, signal.SIGTERM)
    process.join(5)
    alive = process.is_alive()
    if alive:
        process.kill()
        process.join()
    assert not alive and process.exitcode == -signal.SIGTERM
