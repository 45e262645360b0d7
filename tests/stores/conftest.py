"""Fixtures of the store tests: real remote stores on free loopback ports, each holding the built
dataset published with ``rlskg publish``: an Oxigraph server (the ``oxigraph`` CLI of the pip
package ``oxigraph``) and a Virtuoso (Debian's ``virtuoso-opensource-7-bin``, installed by
``.ci/system-deps``); and apps per store."""

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
from string import Template
from typing import Any

import pytest
from flask import Flask

from rlskg.graph.publish import publish
from rlskg.graph.stores.http import request
from rlskg.graph.stores.remote import RemoteStore
from rlskg.service import close_app, create_app

ASK = "query=ASK%20%7B%7D"
VIRTUOSO_INI = Path(__file__).with_name("virtuoso.ini")


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


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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
        stop_process(self.process)


def wait_until_answering(server: Any, name: str, seconds: float, log: Path | None = None) -> None:
    """Return once ``server.query`` answers an ASK; else stop the server and fail, with the end of
    its ``log`` if it exited."""
    process: subprocess.Popen[bytes] = server.process
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log is not None else ""
            pytest.fail(f"{name} exited with {process.returncode}" + (f": {tail}" if tail else ""))
        try:
            if request("GET", f"{server.query}?{ASK}", timeout=1).status == 200:
                return
        except Exception:  # not listening yet
            time.sleep(0.05)
    server.stop()
    pytest.fail(f"{name} did not answer within {seconds:g} s")


def start_oxigraph(port: int, location: Path | None = None, timeout_s: int = 5) -> OxigraphServer:
    """Start ``oxigraph serve`` on 127.0.0.1:port and wait until it answers (10 s at most)."""
    command = [oxigraph_cli(), "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", str(timeout_s)]
    if location is not None:
        command += ["--location", str(location)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = OxigraphServer(process, f"http://127.0.0.1:{port}")
    wait_until_answering(server, "oxigraph serve", 10)
    return server


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


def server_binary(name: str) -> str:
    """The path of a server that Debian installs (``.ci/system-deps``): skipped where it is missing,
    except in CI (``CI`` set), where a missing server fails rather than skipping unseen."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed: `bash .ci/system-deps` installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


PRIVATE_GRAPHS = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"


def virtuoso_setup(system_graphs: list[str]) -> str:
    """What a Virtuoso admin runs in isql on a private instance before ``rlskg publish``: the
    anonymous SPARQL user may update (SPARQL Update on /sparql, PUT on /sparql-graph-crud) and read
    and write every graph but Virtuoso's own (virtrdf# ...), which are made private, so that its
    default graph is the union of the published graphs only, as Oxigraph's is."""
    private = "".join(f"DB.DBA.RDF_GRAPH_GROUP_INS('{PRIVATE_GRAPHS}', '{g}'); " for g in system_graphs)
    return (
        f"GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_GRAPH_GROUP_CREATE('{PRIVATE_GRAPHS}', 1); {private}"
        "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 7); DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 0, 1);"
    )


@dataclass
class VirtuosoServer:
    """A ``virtuoso-t`` process of our own, its endpoints and its ISQL port (user dba)."""

    process: subprocess.Popen[bytes]
    base: str
    isql_port: int

    @property
    def query(self) -> str:
        return f"{self.base}/sparql"  # takes updates too

    @property
    def store(self) -> str:
        return f"{self.base}/sparql-graph-crud"

    @property
    def spec(self) -> str:
        return f"sparql:{self.query},{self.query}"

    def isql(self, sql: str) -> None:
        """Run SQL as dba (the password of a new database); isql exits 0 on SQL errors, so read them."""
        command = [server_binary("isql-vt"), f"127.0.0.1:{self.isql_port}", "dba", "dba", f"exec={sql}"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            pytest.fail(f"isql {sql!r}: {done.stdout}{done.stderr}")

    def stop(self) -> None:
        stop_process(self.process)  # on SIGTERM Virtuoso checkpoints and exits


def start_virtuoso(folder: Path) -> VirtuosoServer:
    """Start ``virtuoso-t`` in the foreground with a new database in ``folder``; wait until it answers."""
    binary = server_binary("virtuoso-t")
    folder.mkdir(parents=True, exist_ok=True)
    http_port = isql_port = free_port()
    while isql_port == http_port:
        isql_port = free_port()
    ini = Template(VIRTUOSO_INI.read_text(encoding="utf-8"))
    config = folder / "virtuoso.ini"
    config.write_text(ini.substitute(DIR=folder, HTTP_PORT=http_port, ISQL_PORT=isql_port), encoding="utf-8")
    log = folder / "virtuoso.out"  # in the foreground, its log goes to standard output
    with log.open("wb") as out:
        command = [binary, "+foreground", "+configfile", str(config)]
        process = subprocess.Popen(command, cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    server = VirtuosoServer(process, f"http://127.0.0.1:{http_port}", isql_port)
    wait_until_answering(server, "virtuoso-t", 60, log)
    return server


@pytest.fixture(scope="session")
def virtuoso_server(
    tmp_path_factory: pytest.TempPathFactory, built_dataset: Path
) -> Iterator[VirtuosoServer]:
    """A Virtuoso holding the built dataset, published with ``rlskg publish`` after the grants;
    its system graphs are those of the new database."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.isql(virtuoso_setup(RemoteStore(server.query).named_graphs()))
        publish(built_dataset, server.store)
        yield server
    finally:
        server.stop()


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
