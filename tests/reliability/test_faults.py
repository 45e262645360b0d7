"""Faults: a corrupt source at build time, kill -9 of the server during writes, an evaluator crash."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from rlskg.graph.errors import GraphBuildError
from tests.support.data import SOURCES
from tests.support.graph import build
from tests.support.server import RUNAWAY, Server, descendants, start, stop
from tests.support.service import COUNT, TOKEN, TRIPLES

pytestmark = pytest.mark.server


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _count(server: Server) -> int:
    status, body = server.query(COUNT)
    assert status == 200, body
    return int(body.decode().split()[1])


def test_corrupt_source_fails_naming_file_and_line_and_the_served_build_stays(tmp_path: Path) -> None:
    import shutil

    sources = Path(shutil.copytree(SOURCES, tmp_path / "sources"))
    out = tmp_path / "build"
    build(out, sources)
    before = _files(out)
    server = start("--out", str(out), "--workers", "1", "--threads", "2")
    try:
        served, health = _count(server), server.request("GET", "/health")[2]
        broken = sorted(sources.glob("*.ttl"))[0]
        lines = broken.read_bytes().splitlines(keepends=True)
        broken.write_bytes(b"".join(lines[:5]) + b'<http://ex/a> <http://ex/b> "unterminated .\n\x00\xff')
        with pytest.raises(GraphBuildError, match=rf"^{broken}:\d+: "):
            build(out, sources)
        assert _files(out) == before
        assert _count(server) == served and server.request("GET", "/health")[2] == health
    finally:
        stop(server)


def _kill_everything(server: Server) -> None:
    """kill -9 of the server and of every process below it, as a power cut would."""
    below = descendants(server.process.pid)
    server.process.send_signal(signal.SIGKILL)
    for pid in below:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    if server.process.stderr:
        server.process.stderr.close()


def _writes(server: Server, acknowledged: list[int], stop_at: threading.Event) -> None:
    """INSERT one triple per request; a number is acknowledged once its 204 arrived."""
    number = 0
    while not stop_at.is_set():
        update = f"INSERT DATA {{ <http://ex/w{number}> <http://ex/written> {number} }}"
        try:
            status, _, _ = server.request(
                "POST",
                "/update",
                {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"},
                update.encode(),
            )
        except OSError:
            return  # the server is gone
        if status == 204:
            acknowledged.append(number)
        number += 1


def _written(server: Server) -> set[int]:
    query = "SELECT ?n WHERE { ?s <http://ex/written> ?n }"
    status, body = server.query(query)
    assert status == 200, body
    return {int(line) for line in body.decode().split()[1:]}


def _kill_during_writes(*options: str) -> tuple[list[int], Server]:
    server = start(*options, "--workers", "1", "--threads", "2")
    acknowledged: list[int] = []
    done = threading.Event()
    writer = threading.Thread(target=_writes, args=(server, acknowledged, done))
    writer.start()
    time.sleep(1.5)
    _kill_everything(server)
    done.set()
    writer.join(timeout=30)
    assert len(acknowledged) > 10, acknowledged
    return acknowledged, start(*options, "--workers", "1", "--threads", "2")


def test_kill_9_during_writes_on_disk_keeps_every_acknowledged_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On disk, acknowledged means committed: every 204 before the kill is there after a restart."""
    monkeypatch.setenv("RLSKG_TOKEN", TOKEN)
    acknowledged, server = _kill_during_writes("--store", f"oxigraph:{tmp_path / 'store'}")
    try:
        written = _written(server)
        assert set(acknowledged) <= written, sorted(set(acknowledged) - written)[:10]
        assert len(written) <= len(acknowledged) + 1  # at most the one in flight when killed
        assert _count(server) == TRIPLES + len(written)
    finally:
        stop(server)


def test_kill_9_during_writes_in_memory_restarts_with_the_loaded_data_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In memory, acknowledged means visible to later reads of that process: nothing is persisted
    by design, and a restart serves what it loads (--data), whole and unchanged."""
    monkeypatch.setenv("RLSKG_TOKEN", TOKEN)
    _, server = _kill_during_writes()
    try:
        assert _written(server) == set() and _count(server) == TRIPLES
    finally:
        stop(server)


def test_evaluator_killed_mid_query_is_500_then_replaced() -> None:
    server = start("--timeout", "20", "--workers", "1", "--threads", "2")
    try:
        outcome: dict[str, tuple[int, bytes]] = {}
        thread = threading.Thread(target=lambda: outcome.update(result=server.query(RUNAWAY)))
        before = descendants(server.process.pid)
        thread.start()
        time.sleep(0.5)
        evaluators = [pid for pid in before if Path(f"/proc/{pid}/stat").exists()]
        busy = [pid for pid in evaluators if _cpu_ticks(pid) > 0 and _parent(pid) != server.process.pid]
        assert busy, "no evaluator is running the query"
        for pid in busy:
            os.kill(pid, signal.SIGSEGV)
        thread.join(timeout=20)
        status, body = outcome["result"]
        assert status == 500 and b"evaluator stopped" in body, body
        for _ in range(4):
            assert _count(server) == TRIPLES
        assert server.process.poll() is None
    finally:
        stop(server)


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _parent(pid: int) -> int:
    return int(_stat(pid)[1])


def _cpu_ticks(pid: int) -> int:
    fields = _stat(pid)
    return int(fields[11]) + int(fields[12])  # utime + stime
