"""wrk against one server, one query: a timed cell (answers per second, latency percentiles,
errors, the server's CPU time per answer and peak memory), with serve_bench.lua; and the warm-up
before the first cell of a query."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.client import ACCEPT
from bench.processes import Server
from bench.procfs import MemorySampler, tree_cpu_seconds
from bench.serve_report import Cell

LUA = Path(__file__).with_name("serve_bench.lua")
RESULT = re.compile(r"BENCH_RESULT (.*)")


def run_wrk(
    server: Server, sparql: str, concurrency: int, seconds: int, timeout: float, threads: int
) -> Cell:
    cell = Cell(server.name, "", concurrency)
    url = server.query_url(sparql)
    path = url[len(server.base) :]
    headers = "\n".join(f"{name}: {value}" for name, value in server.headers.items())
    env = {**os.environ, "BENCH_PATH": path, "BENCH_ACCEPT": ACCEPT, "BENCH_HEADERS": headers}
    command = [
        "wrk",
        f"-t{min(threads, concurrency)}",
        f"-c{concurrency}",
        f"-d{seconds}s",
        "--timeout",
        f"{timeout:g}s",
        "-s",
        str(LUA),
        server.base + "/",
    ]
    assert server.process is not None
    cpu_before = tree_cpu_seconds(server.process.pid)
    with MemorySampler(server.process.pid) as memory:
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=seconds + timeout + 60
        )
    cpu = tree_cpu_seconds(server.process.pid) - cpu_before
    cell.peak_rss_kib, cell.peak_pss_kib = memory.peak_rss, memory.peak_pss
    read_result(cell, done, cpu)
    return cell


def read_result(cell: Any, done: subprocess.CompletedProcess[str], cpu: float) -> dict[str, float] | None:
    """Fill ``cell`` (serve_report's or workload_report's Cell) from the BENCH_RESULT line of a
    wrk run and the server's ``cpu`` seconds over it; return wrk's figures, or None (``cell.skipped``
    says why) when wrk failed."""
    found = RESULT.search(done.stdout)
    if done.returncode != 0 or not found:
        cell.skipped = f"wrk failed ({done.returncode}): {(done.stderr or done.stdout).strip()[:200]}"
        return None
    figures = {k: float(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    cell.requests = int(figures["requests"])
    cell.errors = int(sum(figures[k] for k in ("connect", "read", "write", "status", "timeout")))
    cell.seconds = figures["duration_us"] / 1e6
    answered = max(cell.requests - int(figures["status"]), 0)
    cell.rps = answered / cell.seconds if cell.seconds else 0.0
    for key in ("p50", "p90", "p99", "mean", "max"):
        setattr(cell, f"{key}_ms", figures[f"{key}_us"] / 1000)
    cell.cpu_ms = cpu * 1000 / answered if answered else 0.0
    return figures


def warm_up(server: Server, sparql: str, seconds: float) -> None:
    """A few sequential requests (at most `seconds`), so that no cell times a first request."""
    deadline = time.monotonic() + seconds
    for _ in range(20):
        server.ask(sparql, max(seconds, 1))
        if time.monotonic() > deadline:
            return
