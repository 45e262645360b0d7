"""Scale benchmark: each store at each size, beside Oxigraph's own server and rdflib-endpoint.

For every size (synthetic data of the real graph's shape, ``bench.scale_data``) and every store it
measures the time until the server answers (load included), the resident memory of its process
tree while serving, and the median latency of each competency question over HTTP (form-encoded
POSTs, which rlskg's response cache does not answer: every run is evaluated); it checks that
every store answers what Oxigraph's server answers (as RDF terms), prints a table and writes
``bench/results/scale.json`` and a plot, ``bench/results/scale.png``. Not a test: a measurement.

    python -m bench.scale_bench --quick              # 10^4 and 10^5, 3 runs per question
    python -m bench.scale_bench                      # 10^4, 10^5, 10^6
    python -m bench.scale_bench --sizes 1e7 --stores rlskg-disk,oxigraph-server

Everything listens on 127.0.0.1; every server and query has a time limit, and the whole run a
budget (``--budget``). rdflib-based stores run up to ``--rdflib-max`` triples (their load and
some questions take minutes past 10^5). Compare ratios within one run, not numbers across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from bench.procfs import process_tree
from bench.scale_data import generate
from bench.scale_report import plot, table
from rlskg.graph.competency import load_questions
from rlskg.graph.competency.answers import TOO_SLOW_ON_RDFLIB, solution_rows
from rlskg.graph.stores.base import StoreError
from rlskg.graph.stores.http import request
from tests.support.server import NotAnswering, free_port, wait_until_answering

BIN = Path(sys.executable).parent
RESULTS = Path(__file__).parent / "results"
STORES = ("oxigraph-server", "rlskg-memory", "rlskg-disk", "rlskg-remote", "rlskg-rdflib", "rdflib-endpoint")
JSON = "application/sparql-results+json"
QUESTIONS = load_questions()


@dataclass
class Measure:
    store: str
    size: int
    load_s: float | None = None
    rss_mib: float | None = None
    pss_mib: float | None = None
    latency_ms: dict[str, float | None] = field(default_factory=dict)  # question -> median, None: failed
    mismatches: list[str] = field(default_factory=list)
    note: str = ""


def memory_mib(root: int) -> tuple[float, float]:
    """(RSS, PSS) of a process and all its descendants, from /proc, in MiB. RSS counts pages
    shared copy-on-write once per process; PSS splits them between the processes sharing them."""
    rss = pss = 0
    for pid in process_tree(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return round(rss / 1024, 1), round(pss / 1024, 1)


@contextmanager
def running(command: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 15)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()


def ask(url: str, sparql: str, timeout: float, extra: dict[str, str]) -> tuple[float, bytes | None]:
    body = urlencode({"query": sparql, **extra}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON}
    started = time.perf_counter()
    try:
        reply = request("POST", url, body=body, headers=headers, timeout=timeout, max_bytes=1 << 30)
    except StoreError:
        return time.perf_counter() - started, None
    return time.perf_counter() - started, reply.body if reply.status == 200 else None


def measure_questions(
    measure: Measure, url: str, runs: int, timeout: float, extra: dict[str, str], answers: dict[str, Any]
) -> None:
    """Median latency of each question; answers compared with ``answers`` (filled when empty).
    Two failures in a row end the store's run: a server without a time limit of its own
    (rdflib-endpoint) stays busy with a query its client gave up on."""
    failures = 0
    for question in QUESTIONS:
        if "rdflib" in measure.store and question.name in TOO_SLOW_ON_RDFLIB:
            measure.latency_ms[question.name] = None
            measure.mismatches.append(f"{question.name}: skipped (rdflib's engine, more than a minute)")
            continue
        if failures >= 2:
            measure.latency_ms[question.name] = None
            measure.mismatches.append(f"{question.name}: not run (the server is still busy)")
            continue
        times, body = [], None
        for _ in range(runs):
            seconds, body = ask(url, question.sparql, timeout, extra)
            if body is None:
                break
            times.append(seconds)
        measure.latency_ms[question.name] = round(statistics.median(times) * 1000, 2) if body else None
        if body is None:
            failures += 1
            measure.mismatches.append(f"{question.name}: failed or timed out")
            continue
        failures = 0
        try:
            rows = solution_rows(body, ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as error:  # e.g. a time limit reached mid-stream
            measure.latency_ms[question.name] = None
            measure.mismatches.append(f"{question.name}: unreadable answer ({error})")
            continue
        if question.name not in answers:
            answers[question.name] = rows
        elif answers[question.name] != rows:
            measure.mismatches.append(f"{question.name}: {sum(rows[1].values())} rows differ")


def bench_size(size: int, data: Path, args: argparse.Namespace, work: Path, deadline: float) -> list[Measure]:
    measures: list[Measure] = []
    answers: dict[str, Any] = {}
    limit = args.query_timeout
    ox_port = free_port()
    ox_dir = work / f"oxigraph-{size}"
    shutil.rmtree(ox_dir, ignore_errors=True)
    stores = [
        s
        for s in args.stores
        if not (s.endswith("rdflib") or s == "rdflib-endpoint") or size <= args.rdflib_max
    ]
    # Oxigraph's own server first: its answers are the reference, and rlskg-remote stands before it.
    ox_measure = Measure("oxigraph-server", size)
    started = time.monotonic()
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(ox_dir), "--file", str(data)],
        check=True,
        capture_output=True,
        timeout=max(deadline - time.monotonic(), 1),
    )
    loaded = time.monotonic() - started
    serve = [
        str(BIN / "oxigraph"),
        "serve-read-only",
        "--location",
        str(ox_dir),
        "--bind",
        f"127.0.0.1:{ox_port}",
        "--union-default-graph",
        "--timeout-s",
        str(max(int(limit), 1)),
    ]
    with running(serve) as server:
        ox_url = f"http://127.0.0.1:{ox_port}/query"
        ready = wait_until_answering(server, f"{ox_url}?query=ASK%7B%7D", 60, name="oxigraph-server")
        ox_measure.load_s = round(loaded + ready, 2)
        measure_questions(ox_measure, ox_url, args.runs, limit + 5, {}, answers)
        ox_measure.rss_mib, ox_measure.pss_mib = memory_mib(server.pid)
        measures.append(ox_measure)
        report(ox_measure)
        for store in stores:
            if store == "oxigraph-server":
                continue
            if time.monotonic() > deadline:
                measures.append(Measure(store, size, note="skipped: out of time budget"))
                continue
            measures.append(bench_store(store, size, data, args, work, ox_port, answers))
            report(measures[-1])
    return measures


def bench_store(
    store: str,
    size: int,
    data: Path,
    args: argparse.Namespace,
    work: Path,
    ox_port: int,
    answers: dict[str, Any],
) -> Measure:
    measure = Measure(store, size)
    port, limit = free_port(), args.query_timeout
    if store == "rdflib-endpoint":
        command = [
            str(BIN / "rdflib-endpoint"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            str(data),
        ]
        url, ready = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/?query=ASK%7B%7D"
    else:
        spec = {
            "rlskg-memory": "oxigraph",
            "rlskg-disk": f"oxigraph:{work / f'rlskg-{size}'}",
            "rlskg-rdflib": "rdflib",
            "rlskg-remote": f"sparql:http://127.0.0.1:{ox_port}/query",
        }[store]
        shutil.rmtree(work / f"rlskg-{size}", ignore_errors=True)
        command = [
            str(BIN / "rlskg"),
            "serve",
            "--store",
            spec,
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            str(args.threads),
            "--evaluators",
            str(args.threads),
            "--timeout",
            str(limit),
        ]
        if store != "rlskg-remote":
            command += ["--data", str(data)]
        url, ready = f"http://127.0.0.1:{port}/sparql", f"http://127.0.0.1:{port}/health"
    env = {"RLSKG_ACCESS_LOG": "false", "RLSKG_MAX_RESULT_BYTES": str(1 << 30)}
    with running(command, env) as server:
        try:
            measure.load_s = round(wait_until_answering(server, ready, args.load_timeout, name=store), 2)
        except NotAnswering as error:
            measure.note = f"did not start: {error}"
            return measure
        measure_questions(measure, url, args.runs, limit + 5, {}, answers)
        measure.rss_mib, measure.pss_mib = memory_mib(server.pid)
    if store == "rlskg-remote":
        measure.note = "RSS of the rlskg process tree only; load: start-up (data in oxigraph-server)"
    return measure


def report(measure: Measure) -> None:
    done = [v for v in measure.latency_ms.values() if v is not None]
    median = f"{statistics.median(done):.1f} ms" if done else "-"
    print(
        f"  {measure.size:>9,} {measure.store:<16} load {measure.load_s} s, RSS {measure.rss_mib} MiB "
        f"(PSS {measure.pss_mib}), "
        f"median CQ {median}, {len(measure.mismatches)} mismatches {measure.note}",
        file=sys.stderr,
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="10^4 and 10^5, 3 runs, 10 s per query")
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="triples, comma-separated [1e4,1e5,1e6]")
    parser.add_argument("--stores", default=",".join(STORES), help=f"[{','.join(STORES)}]")
    parser.add_argument("--runs", type=int, default=5, help="runs per question; the median is kept [5]")
    parser.add_argument("--threads", type=int, default=2, help="rlskg evaluator threads [2]")
    parser.add_argument("--query-timeout", type=float, default=30.0, help="per query, every server [30]")
    parser.add_argument("--load-timeout", type=float, default=600.0, help="per server start [600]")
    parser.add_argument("--rdflib-max", type=float, default=1e5, help="largest size for rdflib stores [1e5]")
    parser.add_argument("--budget", type=float, default=3600.0, help="seconds for the whole run [3600]")
    parser.add_argument("--build", type=Path, default=Path("build"), help="the build to grow from [build]")
    parser.add_argument("--work", type=Path, default=None, help="data and stores [a temporary folder]")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sizes = [10_000, 100_000] if args.quick else [int(float(s)) for s in args.sizes.split(",")]
    args.runs = 3 if args.quick else args.runs
    args.query_timeout = min(args.query_timeout, 10.0) if args.quick else args.query_timeout
    args.stores = [s for s in args.stores.split(",") if s]
    deadline = time.monotonic() + args.budget
    work = args.work or Path(tempfile.mkdtemp(prefix="rlskg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    print(
        f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; work in {work}",
        file=sys.stderr,
    )
    measures: list[Measure] = []
    try:
        for size in sizes:
            data = work / f"synthetic-{size}-{args.seed}.nq"
            if not data.is_file():
                with data.open("wb") as sink:
                    generate(
                        args.build,
                        size,
                        sink,
                        seed=args.seed,
                        progress=lambda line: print("  " + line, file=sys.stderr),
                    )
            print(f"{size:,} triples ({data.stat().st_size / 2**20:.0f} MiB of N-Quads)", file=sys.stderr)
            measures += bench_size(size, data, args, work, deadline)
            if time.monotonic() > deadline:
                print("out of time budget: stopping", file=sys.stderr)
                break
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    document = {
        "load_average": [load_before, load_after],
        "cpus": os.cpu_count(),
        "measures": [asdict(m) for m in measures],
    }
    (RESULTS / "scale.json").write_text(json.dumps(document, indent=1), encoding="utf-8")
    plot(measures, RESULTS / "scale.png")
    print(table(measures))
    print(
        f"\nload average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min);",
        f"{os.cpu_count()} CPUs",
    )
    print(f"written: {RESULTS / 'scale.json'}, {RESULTS / 'scale.png'}")


if __name__ == "__main__":
    main()
