"""The servers serve_bench.py compares, as bench.processes.Server definitions: `rlskg serve` (as
shipped, and evaluating every query) and its peers (Oxigraph's own server on disk and in memory,
rdflib-endpoint, the bare Flask handler); and the dataset they all serve."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bench.client import fetch
from bench.processes import ROOT, Server, argv, progress
from bench.serve_targets import SUBJECTS

BIN = Path(sys.executable).parent
SERVERS = ("rlskg", "rlskg-fresh", "oxigraph-disk", "oxigraph-mem", "rdflib-endpoint", "bare-flask")
NO_CACHE = {"Cache-Control": "no-cache"}  # rlskg-fresh's: skip the response cache, evaluate afresh
BANNER = re.compile(r"(\d+) worker\(s\) x (\d+) thread\(s\)")


def ensure_dataset(build: Path) -> Path:
    """build/dataset.nq, built first with `rlskg build` if it is missing."""
    data = build / "dataset.nq"
    if not data.is_file():
        progress(f"{data} is missing: running `rlskg build --out {build}`")
        subprocess.run([str(BIN / "rlskg"), "build", "--out", str(build)], cwd=ROOT, check=True)
    return data


def oxigraph_put_data(data: Path) -> Callable[[Server], None]:
    def load(server: Server) -> None:
        got = fetch(
            f"{server.base}/store",
            300,
            accept="*/*",
            method="POST",
            data=data.read_bytes(),
            content_type="application/n-quads" if data.suffix == ".nq" else "application/trig",
            extra=server.headers,
        )
        if got.status not in (200, 201, 204):
            raise RuntimeError(f"oxigraph: loading {data} answered {got.status} {got.error}")

    return load


def rlskg_server(name: str, build: Path, extra: str, headers: dict[str, str] | None = None) -> Server:
    """`rlskg serve` as a user runs it: its own defaults, unless `extra` options say otherwise;
    `headers` go with every request to it."""
    command = argv(BIN / "rlskg", "serve --out", build, "--host 127.0.0.1 --port {port}", extra)
    return Server(name, command, "/sparql", ready_path="/health", headers=dict(headers or {}))


def subject_servers(names: list[str], build: Path, extra: str) -> list[Server]:
    """The `rlskg serve` processes named in `names`: rlskg as shipped, rlskg-fresh with no-cache."""
    return [
        rlskg_server(name, build, extra, NO_CACHE if name == "rlskg-fresh" else None)
        for name in names
        if name in SUBJECTS
    ]


def rlskg_counts(server: Server) -> tuple[int, int]:
    """The workers and threads a started `rlskg serve` says it runs, from its start-up line."""
    assert server.log_path is not None
    found = BANNER.search(server.log_path.read_text(errors="replace"))
    if not found:
        raise RuntimeError(f"no 'N worker(s) x N thread(s)' in {server.log_path}")
    return int(found.group(1)), int(found.group(2))


def make_servers(names: list[str], data: Path, workers: int, threads: int, tmp: Path) -> list[Server]:
    """The peers; bare-flask with the workers and threads that rlskg serve runs."""
    oxigraph, bind = BIN / "oxigraph", "--bind 127.0.0.1:{port} --union-default-graph"
    which: dict[str, Callable[[], Server]] = {
        "oxigraph-mem": lambda: Server(
            "oxigraph-mem", argv(oxigraph, "serve", bind), "/query", load=oxigraph_put_data(data)
        ),
        "oxigraph-disk": lambda: Server(
            "oxigraph-disk",
            argv(oxigraph, "serve-read-only --location", oxigraph_disk(data, tmp), bind),
            "/query",
        ),
        "rdflib-endpoint": lambda: Server(
            "rdflib-endpoint",
            argv(BIN / "rdflib-endpoint", "serve", data, "--host 127.0.0.1 --port {port}"),
            "/",
        ),
        "bare-flask": lambda: Server(
            "bare-flask",
            argv(
                Path(sys.executable),
                ROOT / "bench" / "bare_flask.py",
                "--data",
                data,
                f"--port {{port}} --workers {workers} --threads {threads}",
            ),
            "/sparql",
            ready_path="/health",
        ),
    }
    return [which[name]() for name in names if name not in SUBJECTS]


def oxigraph_disk(data: Path, tmp: Path) -> Path:
    location = tmp / "oxigraph-disk"
    if not location.exists():
        subprocess.run(
            [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)],
            check=True,
            capture_output=True,
        )
    return location


def check_tools(servers: list[str]) -> None:
    """Stop with what to install when wrk or a peer's program is missing."""
    missing = []
    if not shutil.which("wrk"):
        missing.append("wrk (apt-get install -y wrk)")
    needs = {"oxigraph-mem": "oxigraph", "oxigraph-disk": "oxigraph", "rdflib-endpoint": "rdflib-endpoint"}
    for server in servers:
        tool = needs.get(server)
        if tool and not (BIN / tool).exists():
            missing.append(f"{tool} ({BIN / 'pip'} install -e '.[bench]')")
    if missing:
        raise SystemExit("missing: " + ", ".join(sorted(set(missing))))
