"""Cold start: from `rlskg serve` starting to its first answer to a SPARQL query, over HTTP.

python -m bench.cold_start [--out build | --data FILE ...] [--times 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def once(source: list[str]) -> float:
    port = free_port()
    command = [sys.executable, "-m", "rlskg", "serve", *source, "--port", str(port)]
    env = {**os.environ, "RLSKG_ACCESS_LOG": "false"}
    started = time.monotonic()
    quiet = subprocess.DEVNULL
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=quiet, stderr=quiet)
    try:
        while time.monotonic() - started < 60:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?{QUERY}", timeout=5) as response:
                    response.read()
                    return time.monotonic() - started
            except OSError:
                time.sleep(0.01)
        raise SystemExit("no answer within 60 s")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--out", default=None)
    parser.add_argument("--data", action="append", default=[])
    parser.add_argument("--times", type=int, default=5)
    args = parser.parse_args()
    source = (["--out", args.out] if args.out else []) + [f"--data={d}" for d in args.data]
    seconds = [once(source) for _ in range(args.times)]
    median = statistics.median(seconds)
    print(f"cold start: median {median:.2f} s, min {min(seconds):.2f} s, max {max(seconds):.2f} s")


if __name__ == "__main__":
    main()
