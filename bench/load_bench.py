"""Sustained mixed load on `rlskg serve` (issue 7): errors, latency over time, and memory over time.

Starts `rlskg serve` on a free loopback port, then --concurrency clients (threads spread over
--processes client processes, each thread with its own keep-alive connection) send the competency
questions (graph/competency/*.rq) in random order for --duration seconds, each with
``Cache-Control: no-cache`` so that every request is evaluated (``--cached`` lets the service's
response cache answer repeats, which it then does for nearly all). Every answer must be 200;
anything else is an error. Every second the RSS of the server's process tree (main process,
workers, evaluators; shared pages counted once per process, so an upper bound) is read from /proc.
Prints a table per time bucket (requests, errors, p50, p99, RSS) and writes a JSON file of every
figure, a markdown table and a PNG chart to --out. Not a test: it takes minutes.

    python bench/load_bench.py [--duration 600] [--concurrency 32] [--buckets 10] [--out bench/results]
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import multiprocessing
import os
import random
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python bench/load_bench.py`
    sys.path.insert(0, str(ROOT))

from bench.procfs import process_tree  # noqa: E402
from tests.support.server import NotAnswering, free_port, start_process, stop_process  # noqa: E402

QUERIES = sorted((ROOT / "graph" / "competency").glob("*.rq"))
Sample = tuple[float, float, int]  # (seconds since start, latency in seconds, status; 0: no answer)


def tree_rss(pid: int) -> int:
    """Bytes of resident memory of ``pid`` and every process below it."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[21]) * page
    return total


def _client(
    port: int, paths: list[str], began: float, until: float, threads: int, seed: int, headers: dict[str, str]
) -> list[Sample]:
    """One client process: ``threads`` threads, each on its own connection, until ``until``."""
    samples: list[Sample] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        chooser = random.Random(seed * 1000 + number)
        mine: list[Sample] = []
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.time() < until:
            path = chooser.choice(paths)
            start = time.time()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append((start - began, time.time() - start, status))
        connection.close()
        with lock:
            samples.extend(mine)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return samples


def start_server(out: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RLSKG_ACCESS_LOG": "false"}
    command = [sys.executable, "-m", "rlskg", "serve", "--out", str(out), "--port", str(port)]
    try:
        process, _ = start_process(
            command,
            f"http://127.0.0.1:{port}/health",
            60,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except NotAnswering as error:
        raise SystemExit(str(error)) from None
    return process


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of load [600]")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent clients [32]")
    parser.add_argument("--processes", type=int, default=4, help="client processes [4]")
    parser.add_argument("--buckets", type=int, default=10, help="time buckets in the table [10]")
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="build folder to serve [build]")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="where reports go")
    parser.add_argument(
        "--cached", action="store_true", help="let the response cache answer repeats [each evaluates]"
    )
    args = parser.parse_args()
    headers = {"Accept": "application/sparql-results+json"}
    if not args.cached:
        headers["Cache-Control"] = "no-cache"
    if not (args.build / "dataset.nq").is_file():
        raise SystemExit(f"{args.build} holds no dataset.nq: run `rlskg build --out {args.build}`")

    port = free_port()
    server = start_server(args.build, port)
    paths = ["/sparql?" + urllib.parse.urlencode({"query": q.read_text(encoding="utf-8")}) for q in QUERIES]
    load_before = os.getloadavg()
    memory: list[tuple[float, int]] = []
    try:
        for path in paths:  # every question answers before the clock starts
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            status = connection.getresponse().status
            if status != 200:
                raise SystemExit(f"{path[:80]}... answered {status}")
        began = time.time()
        until = began + args.duration
        per_process = [
            args.concurrency // args.processes + (i < args.concurrency % args.processes)
            for i in range(args.processes)
        ]
        context = multiprocessing.get_context("fork")
        with context.Pool(args.processes) as pool:
            pending = [
                pool.apply_async(_client, (port, paths, began, until, n, i, headers))
                for i, n in enumerate(per_process)
                if n
            ]
            while time.time() < until + 1:
                memory.append((time.time() - began, tree_rss(server.pid)))
                time.sleep(1.0)
            samples = [s for p in pending for s in p.get(timeout=120)]
        load_after = os.getloadavg()
    finally:
        stop_process(server, 15)

    width = args.duration / args.buckets
    rows = []
    for b in range(args.buckets):
        low, high = b * width, (b + 1) * width
        inside = [s for s in samples if low <= s[0] < high]
        latencies = [s[1] for s in inside]
        rss = [m[1] for m in memory if low <= m[0] < high] or [0]
        rows.append(
            {
                "from_s": round(low),
                "to_s": round(high),
                "requests": len(inside),
                "rps": round(len(inside) / width, 1),
                "errors": sum(1 for s in inside if s[2] != 200),
                "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
                "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
                "rss_mib": round(max(rss) / 2**20, 1),
            }
        )
    errors = sum(1 for s in samples if s[2] != 200)
    all_latencies = [s[1] for s in samples]
    summary = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "duration_s": args.duration,
        "concurrency": args.concurrency,
        "questions": len(paths),
        "cached": args.cached,
        "requests": len(samples),
        "errors": errors,
        "rps": round(len(samples) / args.duration, 1),
        "p50_ms": round(percentile(all_latencies, 0.5) * 1000, 1),
        "p99_ms": round(percentile(all_latencies, 0.99) * 1000, 1),
        "rss_first_mib": round(memory[0][1] / 2**20, 1) if memory else None,
        "rss_last_mib": round(memory[-1][1] / 2**20, 1) if memory else None,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "cpus": os.cpu_count(),
        "buckets": rows,
        "memory": memory,
    }
    header = "| from s | to s | requests | req/s | errors | p50 ms | p99 ms | RSS MiB |"
    lines = [header, "| " + " | ".join(["---"] * 8) + " |"]
    lines += [
        f"| {r['from_s']} | {r['to_s']} | {r['requests']} | {r['rps']} | {r['errors']} | {r['p50_ms']} | "
        f"{r['p99_ms']} | {r['rss_mib']} |"
        for r in rows
    ]
    lines.append(
        f"\n{len(samples)} requests, {errors} errors, {summary['rps']} req/s, p50 {summary['p50_ms']} ms, "
        f"p99 {summary['p99_ms']} ms; RSS {summary['rss_first_mib']} -> {summary['rss_last_mib']} MiB; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after ({os.cpu_count()} CPUs); "
        + ("repeats answered from the response cache" if args.cached else "every request evaluated")
    )
    table = "\n".join(lines)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"load-{datetime.date.today().isoformat()}-{int(args.duration)}s"
    stem.with_suffix(".json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(table + "\n", encoding="utf-8")
    _chart(samples, memory, rows, stem.with_suffix(".png"), args)
    print(f"wrote {stem}.json, .md and .png")
    if errors:
        raise SystemExit(f"{errors} requests failed")


def _chart(
    samples: list[Sample],
    memory: list[tuple[float, int]],
    rows: list[dict[str, float]],
    path: Path,
    args: argparse.Namespace,
) -> None:
    import matplotlib  # type: ignore[import-not-found, unused-ignore]  # the bench extra, not in .[test]

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]

    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    middles = [(r["from_s"] + r["to_s"]) / 2 for r in rows]
    top.plot(middles, [r["p50_ms"] for r in rows], marker="o", label="p50")
    top.plot(middles, [r["p99_ms"] for r in rows], marker="o", label="p99")
    top.set_ylabel("latency (ms)")
    top.set_title(f"rlskg serve: {args.concurrency} clients, competency questions, {len(samples)} requests")
    top.legend()
    bottom.plot([m[0] for m in memory], [m[1] / 2**20 for m in memory])
    bottom.set_ylabel("server RSS (MiB)")
    bottom.set_xlabel("seconds")
    bottom.set_ylim(bottom=0)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


if __name__ == "__main__":
    main()
