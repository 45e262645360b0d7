"""Servers under test as processes: each started in its own session on a free loopback port with
its own log, ready once it answers, stopped with its whole process group (also on Ctrl-C, SIGTERM
or an error: see stopping)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from bench.client import Fetched, check_answer, fetch
from tests.support.server import free_port, wait_until_answering

ROOT = Path(__file__).resolve().parent.parent
PROBE = "ASK {}"  # readiness and drain probe: cheap on every server


def progress(message: str) -> None:
    """What a benchmark says while it runs: a line on standard error, at once."""
    print(message, file=sys.stderr, flush=True)


@dataclass
class Server:
    """One server under test: a command started in its own session, so that its whole process
    tree can be stopped by its process group."""

    name: str
    command: list[str]
    query_path: str  # where GET ?query= goes
    ready_path: str | None = None  # a health URL path; else a probe query
    load: Callable[[Server], None] | None = None  # after ready: put the data in (Oxigraph in memory)
    workdir: Path = ROOT
    env: dict[str, str] = field(default_factory=dict)  # added to this process's environment
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request to it
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    started_at: float = 0.0
    ready_seconds: float = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def query_url(self, sparql: str) -> str:
        return f"{self.base}{self.query_path}?{urllib.parse.urlencode({'query': sparql})}"

    def ask(self, sparql: str, timeout: float) -> Fetched:
        """GET sparql from this server, with its own request headers."""
        return fetch(self.query_url(sparql), timeout, extra=self.headers)

    def launch(self, logs: Path) -> None:
        """Start the process on a free port, without waiting for it."""
        self.port = free_port()
        command = [part.replace("{port}", str(self.port)) for part in self.command]
        self.log_path = logs / (re.sub(r"[^\w.-]+", "-", self.name) + ".log")
        with self.log_path.open("ab") as log:
            log.write(f"$ {' '.join(command)}\n".encode())
            log.flush()
            self.started_at = time.monotonic()
            self.process = subprocess.Popen(
                command,
                cwd=self.workdir,
                env={**os.environ, **self.env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self, logs: Path, timeout: float = 120) -> None:
        """Launch, wait until ready, load the data if the server needs it done over HTTP."""
        self.launch(logs)
        self.wait_ready(timeout)
        if self.load:
            self.load(self)
        self.ready_seconds = time.monotonic() - self.started_at

    def wait_ready(self, timeout: float) -> None:
        """Wait until its health path answers 200, or (without one) it answers the probe query
        with SPARQL JSON results; tests.support.server.NotAnswering past ``timeout`` or if it exits."""
        assert self.process is not None

        def ready() -> bool:
            if self.ready_path:
                return fetch(self.base + self.ready_path, 2, accept="*/*", extra=self.headers).status == 200
            return check_answer(self.ask(PROBE, 2))[0] is not None

        wait_until_answering(self.process, ready, timeout, name=self.name, log=self.log_path, interval=0.02)

    def idle(self, timeout: float) -> bool:
        """Wait until the server answers the probe (its backlog is done); False if it does not."""
        return check_answer(self.ask(PROBE, timeout))[0] is not None

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        group = process.pid  # start_new_session: the group is the leader's pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
            process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):  # children left behind by the leader
            os.killpg(group, signal.SIGKILL)

    def restart(self, logs: Path) -> None:
        self.stop()
        self.start(logs)


def argv(*parts: str | Path) -> list[str]:
    """A command line: str parts are split on spaces, a Path stays one word."""
    return [word for part in parts for word in ([str(part)] if isinstance(part, Path) else part.split())]


def on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def stopping(servers: list[Server]) -> Iterator[None]:
    """Stop every server on the way out, whatever the way (Ctrl-C, SIGTERM, an error)."""
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for server in servers:
            try:
                server.stop()
            except Exception as error:  # keep stopping the others
                progress(f"stopping {server.name}: {error}")
        for s, handler in previous.items():
            signal.signal(s, handler)
