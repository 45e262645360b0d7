"""Cold start: from `rlskg serve` starting to its first answer to a SPARQL query, over HTTP.

python -m bench.cold_start [--out build | --data FILE ...] [--store oxigraph:PATH] [--times 5]
    [--query SPARQL]

The default query counts every triple: at 10^6 triples and more, give a lookup with --query, so
that the figure is the start-up's and not the count's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import urllib.parse
from pathlib import Path

from bench.client import check_answer, fetch
from bench.processes import ROOT
from bench.servers import rlskg_server
from tests.support.server import (
    NotAnswering,
    free_port,
    start_process,
    stop_process_tree,
    wait_until_answering,
)

QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def once(source: list[str], sparql: str = QUERY) -> float:
    """Seconds from starting `python -m rlskg serve SOURCE` (no access log) to its first 200 answer."""
    port = free_port()
    command = [sys.executable, "-m", "rlskg", "serve", *source, "--port", str(port)]
    env = {**os.environ, "RLSKG_ACCESS_LOG": "false"}
    quiet = subprocess.DEVNULL
    url = f"http://127.0.0.1:{port}/sparql?{urllib.parse.urlencode({'query': sparql})}"
    server, seconds = start_process(
        command, url, 60, interval=0.01, cwd=ROOT, env=env, stdout=quiet, stderr=quiet
    )
    stop_process_tree(server, 30)
    return seconds


def cold_start(build: Path, extra: str, sparql: str, logs: Path) -> float:
    """Seconds from starting `rlskg serve --out build` (with `extra` options, as serve_bench.py runs
    it) to its first 200 answer to `sparql` with SPARQL JSON."""
    server = rlskg_server("rlskg-cold", build, extra)
    server.launch(logs)
    assert server.process is not None
    url = server.query_url(sparql)
    try:
        return wait_until_answering(
            server.process,
            lambda: check_answer(fetch(url, 5))[0] is not None,
            60,
            name="rlskg serve",
            log=server.log_path,
            started=server.started_at,
            interval=0.005,
        )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--out", default=None)
    parser.add_argument("--data", action="append", default=[])
    parser.add_argument("--store", default=None, help="as `rlskg serve --store` [its default]")
    parser.add_argument("--times", type=int, default=5)
    parser.add_argument("--query", default=QUERY, help="the SPARQL query to wait for [count the triples]")
    args = parser.parse_args()
    source = (["--out", args.out] if args.out else []) + [f"--data={d}" for d in args.data]
    source += ["--store", args.store] if args.store else []
    try:
        seconds = [once(source, args.query) for _ in range(args.times)]
    except NotAnswering as error:
        raise SystemExit(str(error)) from None
    median = statistics.median(seconds)
    print(f"cold start: median {median:.2f} s, min {min(seconds):.2f} s, max {max(seconds):.2f} s")


if __name__ == "__main__":
    main()
