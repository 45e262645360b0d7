"""Real remote stores for the store tests, on free loopback ports: an Oxigraph server (the
``oxigraph`` CLI of the pip package ``oxigraph``) and a Virtuoso (Debian's
``virtuoso-opensource-7-bin``, installed by ``scripts/system-deps``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from string import Template

import pytest

from tests.support.data import TESTS
from tests.support.server import free_port, start_process, stop_process

ASK = "query=ASK%20%7B%7D"
VIRTUOSO_INI = TESTS / "stores" / "virtuoso.ini"
PRIVATE_GRAPHS = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"


def oxigraph_cli() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).is_file():
        pytest.fail("the oxigraph CLI is missing: pip install -e '.[test]' installs it")
    return found


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


def start_oxigraph(port: int, location: Path | None = None, timeout_s: int = 5) -> OxigraphServer:
    """Start ``oxigraph serve`` on 127.0.0.1:port and wait until it answers (10 s at most)."""
    command = [oxigraph_cli(), "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", str(timeout_s)]
    if location is not None:
        command += ["--location", str(location)]
    base = f"http://127.0.0.1:{port}"
    process, _ = start_process(
        command,
        f"{base}/query?{ASK}",
        10,
        name="oxigraph serve",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return OxigraphServer(process, base)


def server_binary(name: str) -> str:
    """The path of a server that Debian installs (``scripts/system-deps``): skipped where it is missing,
    except in CI (``CI`` set), where a missing server fails rather than skipping unseen."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed: `bash scripts/system-deps` installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


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
    base = f"http://127.0.0.1:{http_port}"
    with log.open("wb") as out:
        process, _ = start_process(
            [binary, "+foreground", "+configfile", str(config)],
            f"{base}/sparql?{ASK}",
            60,
            name="virtuoso-t",
            log=log,
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return VirtuosoServer(process, base, isql_port)
