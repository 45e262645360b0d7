"""granian against gunicorn, the evaluator pool against in-process evaluation, and the service
against the bare Flask + pyoxigraph handler (bare_app.py), with wrk on loopback.

Every configuration is started at once on its own port (an idle server costs nothing), then
measured in interleaved rounds, so that other work on the machine spreads over all of them; the
table gives the median of the rounds in requests per second at 8 connections. Needs `wrk`
(apt-get install wrk). Compare ratios within one run: absolute figures move between runs.

    python -m bench.serve_compare [--seconds 3] [--rounds 3] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from bench.peer_data import QUERIES, trig
from tests.support.server import wait_until_answering

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


def configurations(data: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    """name -> (command without the port, extra environment)."""
    serve = [PYTHON, "-m", "rlskg", "serve", "--data", str(data)]
    gunicorn = [str(BIN / "gunicorn"), "-k", "gthread", "--threads", "4", "--access-logfile", "-"]
    granian = [str(BIN / "granian"), "--interface", "wsgi", "--factory", "--blocking-threads", "4"]
    env = {"RLSKG_DATA": str(data)}
    return {
        "rlskg granian 1x4": ([*serve, "--workers", "1", "--threads", "4", "--evaluators", "4"], {}),
        "rlskg granian 2x2": ([*serve, "--workers", "2", "--threads", "2", "--evaluators", "2"], {}),
        "rlskg granian 2x4": ([*serve, "--workers", "2", "--threads", "4", "--evaluators", "4"], {}),
        "rlskg granian 2x8": ([*serve, "--workers", "2", "--threads", "8", "--evaluators", "8"], {}),
        "rlskg granian 2x4 in-process": ([*serve, "--workers", "2"], {"RLSKG_POOL_SIZE": "0"}),
        "rlskg gunicorn 2x4": ([*gunicorn, "-w", "2", "rlskg.service:create_app()"], env),
        "bare granian 2x4": ([*granian, "--workers", "2", "bench.bare_app:create"], env),
        "bare gunicorn 2x4": ([*gunicorn, "-w", "2", "bench.bare_app:create()"], env),
    }


def with_port(command: list[str], port: int) -> list[str]:
    if "rlskg" in command:
        return [*command, "--port", str(port)]
    if "gunicorn" in command[0]:
        return [*command[:-1], "-b", f"127.0.0.1:{port}", command[-1]]
    return [*command[:-1], "--port", str(port), command[-1]]


def wrk(url: str, seconds: int) -> float:
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "-H", f"Accept: {ACCEPT}", url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if failed:
        raise SystemExit(f"{failed.group(1)} failed responses from {url}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(match.group(1)) if match else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--only", action="append", default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "bench.trig"
        data.write_text(trig(500, 150), encoding="utf-8")
        chosen = {n: c for n, c in configurations(data).items() if not args.only or n in args.only}
        servers, ports = [], {}
        try:
            for offset, (name, (command, extra)) in enumerate(chosen.items()):
                port = args.port + offset
                log = open(Path(tmp) / f"{offset}.log", "w")  # noqa: SIM115 - closed with the process
                env = {**os.environ, **extra}
                command = with_port(command, port)
                process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
                servers.append((process, log))
                ports[name] = port
            for (process, _), (name, port) in zip(servers, ports.items(), strict=True):
                wait_until_answering(process, f"http://127.0.0.1:{port}/health", 60, name=name)
            figures: dict[tuple[str, str], list[float]] = {}
            for round_ in range(args.rounds):
                for query_name, query in QUERIES.items():
                    for name, port in ports.items():
                        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
                        figures.setdefault((name, query_name), []).append(wrk(url, args.seconds))
                print(f"round {round_ + 1} of {args.rounds} done", file=sys.stderr, flush=True)
        finally:
            for process, log in servers:
                process.terminate()
                process.wait(timeout=30)
                log.close()
    print("| server | " + " | ".join(QUERIES) + " |")
    print("|---|" + "---:|" * len(QUERIES))
    for name in ports:
        medians = [statistics.median(figures[(name, q)]) for q in QUERIES]
        print(f"| {name} | " + " | ".join(f"{m:,.0f}" for m in medians) + " |")


if __name__ == "__main__":
    main()
