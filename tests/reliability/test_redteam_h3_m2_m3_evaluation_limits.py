"""Red team H3, M2 and M3: every store keeps its time limit, slow queries leave room for the rest,
and concurrent writes to the on-disk store are all kept and all acknowledged.

Before: the writable on-disk store evaluated in the server worker with no time limit, so four
cartesian queries took the service down until restart (H3); four slow queries held the four
request threads and the four evaluators of a worker for 30 s, /health included (M2); concurrent
updates on the on-disk store lost increments and answered 500 for writes that had committed, as
every writer renamed the same temporary state file (M3). Now the writable on-disk store's queries
run in evaluators that read a checkpoint, a worker has more request threads than evaluators and
starts more evaluators when all are busy, and writes are serialised with a temporary file each.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import RUNAWAY, Server, start, stop
from tests.support.service import COUNT, TOKEN, TRIPLES, bearer

TIMEOUT = 6.0
# A cheap request must be answered long before the slow ones stop: not after them. (On the disk
# store the first one may wait for an evaluator to start: an exec, ~0.3 s on an idle machine.)
PROMPT = TIMEOUT / 3


def _cheap_while(server: Server, busy: list[threading.Thread]) -> list[float]:
    """Latencies of /health and a cheap query, asked again and again while ``busy`` run."""
    latencies = []
    while any(thread.is_alive() for thread in busy):
        for path in ("/health", "/sparql?" + urllib.parse.urlencode({"query": COUNT})):
            began = time.monotonic()
            status = server.request("GET", path, {"Accept": "text/csv"})[0]
            latencies.append(time.monotonic() - began)
            assert status == 200, path
        time.sleep(0.05)
    return latencies


def _busy(server: Server, count: int) -> tuple[list[threading.Thread], list[tuple[int, float]]]:
    results: list[tuple[int, float]] = []

    def one() -> None:
        began = time.monotonic()
        status, _ = server.query(RUNAWAY)
        results.append((status, time.monotonic() - began))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # let them reach their evaluators
    return threads, results


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Server]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RLSKG_TOKEN", TOKEN)
        store = f"oxigraph:{tmp_path / 'store'}"
        running = start("--store", store, "--timeout", str(TIMEOUT), "--workers", "1")
    try:
        yield running
    finally:
        stop(running)


def test_the_writable_disk_store_stops_queries_at_the_time_limit(disk: Server) -> None:
    threads, results = _busy(disk, 4)
    latencies = _cheap_while(disk, threads)
    assert sorted(status for status, _ in results) == [503] * 4
    assert max(seconds for _, seconds in results) < TIMEOUT + 3
    assert max(latencies) < PROMPT, latencies


def test_the_writable_disk_store_reads_what_was_just_written(disk: Server) -> None:
    update = "INSERT DATA { GRAPH <http://ex/g> { <http://ex/new> <http://ex/p> 1 } }"
    headers = {"Content-Type": "application/sparql-update", **bearer()}
    status = disk.request("POST", "/update", headers, update.encode())[0]
    assert status in (200, 204)
    status, body = disk.query("ASK { <http://ex/new> ?p ?o }")
    assert status == 200 and body.strip() == b"true"
    status, body = disk.query(COUNT)
    assert body.decode().split() == ["n", str(TRIPLES + 1)]


def test_concurrent_updates_on_the_disk_store_are_all_kept_and_acknowledged(disk: Server) -> None:
    counter = "GRAPH <http://ex/counter> { <http://ex/c> <http://ex/value> ?v }"
    start_value = "INSERT DATA { GRAPH <http://ex/counter> { <http://ex/c> <http://ex/value> 0 } }"
    new = "GRAPH <http://ex/counter> { <http://ex/c> <http://ex/value> ?w }"
    increment = f"DELETE {{ {counter} }} INSERT {{ {new} }} WHERE {{ {counter} BIND(?v + 1 AS ?w) }}"
    headers = {"Content-Type": "application/sparql-update", **bearer()}
    assert disk.request("POST", "/update", headers, start_value.encode())[0] in (200, 204)
    statuses: list[int] = []

    def writer() -> None:
        for _ in range(25):
            statuses.append(disk.request("POST", "/update", headers, increment.encode())[0])

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(set(statuses)) == [204] and len(statuses) == 100
    _, body = disk.query(f"SELECT ?v WHERE {{ {counter} }}")
    assert body.decode().split() == ["v", "100"]


def test_a_handful_of_slow_queries_leaves_health_and_cheap_queries_answered() -> None:
    running = start("--timeout", str(TIMEOUT), "--workers", "1")
    try:
        threads, results = _busy(running, 4)
        latencies = _cheap_while(running, threads)
        assert sorted(status for status, _ in results) == [503] * 4
        assert max(latencies) < PROMPT, latencies
    finally:
        stop(running)
