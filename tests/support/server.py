"""Real server processes on loopback: a free port, starting a process and waiting until an HTTP URL
answers, stopping it; and `rlskg serve` over tests/data/service-mini.trig, spoken to over HTTP.

The benchmarks (bench/) start their servers with the same helpers.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.data import SERVICE_DATA

ROOT = Path(__file__).resolve().parents[2]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class NotAnswering(RuntimeError):
    """A server process exited, or did not answer in time."""


def answers(url: str, timeout: float = 5) -> bool:
    """Whether a GET of ``url`` (http, no proxy) answers 200."""
    parts = urllib.parse.urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status == 200
    finally:
        connection.close()


def wait_until_answering(
    process: subprocess.Popen[bytes],
    probe: str | Callable[[], bool],
    timeout: float,
    *,
    name: str = "the server",
    log: Path | None = None,
    started: float | None = None,
    interval: float = 0.05,
) -> float:
    """Wait until ``probe`` answers: a URL that a GET answers with 200, or a function that says
    whether the server answered (connection errors count as not yet). Returns the seconds since
    ``started`` (a ``time.monotonic()``; default: now), from which ``timeout`` counts too.

    Raises NotAnswering if the process exits first (with the end of ``log``, or of its standard
    error if piped) or past ``timeout``; the process is left as it is."""
    began = time.monotonic() if started is None else started
    ready = probe if callable(probe) else lambda: answers(probe)
    while time.monotonic() - began < timeout:
        if process.poll() is not None:
            tail = ""
            if log is not None:
                tail = log.read_text(errors="replace")[-2000:]
            elif process.stderr is not None:
                tail = process.stderr.read().decode(errors="replace")[-2000:]
            raise NotAnswering(f"{name} exited with {process.returncode}" + (f": {tail}" if tail else ""))
        try:
            if ready():
                return time.monotonic() - began
        except (OSError, http.client.HTTPException):  # not listening yet
            pass
        time.sleep(interval)
    raise NotAnswering(f"{name} did not answer within {timeout:g} s" + (f": see {log}" if log else ""))


def start_process(
    command: Sequence[str],
    probe: str | Callable[[], bool],
    timeout: float,
    *,
    name: str = "the server",
    log: Path | None = None,
    interval: float = 0.05,
    **popen: Any,
) -> tuple[subprocess.Popen[bytes], float]:
    """Start ``command`` (``popen``: keyword arguments of subprocess.Popen) and wait until
    ``probe`` answers (see wait_until_answering). Returns the process and the seconds from its
    start to the first answer; if it exits or does not answer in time, it is stopped (with the
    processes it started) and NotAnswering raised."""
    started = time.monotonic()
    process: subprocess.Popen[bytes] = subprocess.Popen(list(command), **popen)
    try:
        seconds = wait_until_answering(
            process, probe, timeout, name=name, log=log, started=started, interval=interval
        )
    except BaseException:
        stop_process_tree(process)
        raise
    return process, seconds


def stop_process(process: subprocess.Popen[bytes], wait: float = 10) -> None:
    """SIGTERM, SIGKILL past ``wait`` seconds; close its pipes."""
    process.terminate()
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


@dataclass
class Server:
    """`rlskg serve` over tests/data/service-mini.trig (see start)."""

    process: subprocess.Popen[bytes]
    port: int
    cold_start: float  # seconds from process start to the first answer

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def query(self, sparql: str, accept: str = "text/csv") -> tuple[int, bytes]:
        status, _, body = self.request(
            "GET", "/sparql?" + urllib.parse.urlencode({"query": sparql}), {"Accept": accept}
        )
        return status, body


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def running_process(pid: int) -> bool:
    """Whether ``pid`` is alive (a zombie has exited: only its parent's reaping is left)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def start(*options: str, data: Path | None = SERVICE_DATA) -> Server:
    """`rlskg serve --data tests/data/service-mini.trig` (or ``data``; None for no ``--data``, as
    with ``--out``) with ``options``, on a free port, once it answers /health (30 s at most)."""
    port = free_port()
    command = [sys.executable, "-m", "rlskg", "serve", *(("--data", str(data)) if data is not None else ())]
    env = {**os.environ, "RLSKG_ACCESS_LOG": "false"}
    process, seconds = start_process(
        [*command, "--port", str(port), *options],
        f"http://127.0.0.1:{port}/health",
        30,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return Server(process, port, seconds)


def stop_process_tree(process: subprocess.Popen[bytes], wait: float = 15) -> None:
    """stop_process, and then SIGKILL whatever it left behind of the processes below it."""
    started = descendants(process.pid)
    stop_process(process, wait)
    for pid in started:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def stop(server: Server, force: bool = True) -> None:
    """SIGTERM the server, SIGKILL it past 15 s, and then (``force``) whatever it left behind."""
    if force:
        stop_process_tree(server.process, 15)
    else:
        stop_process(server.process, 15)
