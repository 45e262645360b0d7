"""Fixtures of the store tests: a real Oxigraph server (the ``oxigraph`` CLI of the pip package
``oxigraph``) on a free loopback port, the built dataset published into it, and apps per store."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from graph.publish import publish
from graph.stores.http import request
from service import close_app, create_app

ASK = "query=ASK%20%7B%7D"


def oxigraph_cli() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).is_file():
        pytest.fail("the oxigraph CLI is missing: pip install -e '.[test]' installs it")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class OxigraphServer:
    """An ``oxigraph serve`` process and its endpoints."""

    process: subprocess.Popen[bytes]
    base: str

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    @property
    def update(self) -> str:
        return f"{self.base}/update"

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    @property
    def spec(self) -> str:
        return f"sparql:{self.query},{self.update}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_oxigraph(port: int, location: Path | None = None, timeout_s: int = 5) -> OxigraphServer:
    """Start ``oxigraph serve`` on 127.0.0.1:port and wait until it answers (10 s at most)."""
    command = [oxigraph_cli(), "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", str(timeout_s)]
    if location is not None:
        command += ["--location", str(location)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = OxigraphServer(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"oxigraph serve exited with {process.returncode}")
        try:
            if request("GET", f"{server.query}?{ASK}", timeout=1).status == 200:
                return server
        except Exception:  # not listening yet
            time.sleep(0.05)
    server.stop()
    pytest.fail("oxigraph serve did not answer within 10 s")


@pytest.fixture(scope="session")
def oxigraph_server(
    tmp_path_factory: pytest.TempPathFactory, built_dataset: Path
) -> Iterator[OxigraphServer]:
    """An on-disk Oxigraph server holding the built dataset, published with ``rlskg publish``."""
    server = start_oxigraph(free_port(), tmp_path_factory.mktemp("oxigraph-server") / "db")
    try:
        publish(built_dataset, server.store)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session", autouse=True)
def _no_rlskg_environment() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("RLSKG_"):
                patch.delenv(name)
        yield


@pytest.fixture
def make_app() -> Iterator[Callable[..., Flask]]:
    """Build apps with a test's own config (quiet, one evaluator); closed after the test."""
    apps: list[Flask] = []

    def build(**config: Any) -> Flask:
        apps.append(create_app({"POOL_SIZE": 1, "ACCESS_LOG": False, **config}))
        return apps[-1]

    yield build
    for app in apps:
        close_app(app)
