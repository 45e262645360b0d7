"""rlskg serve against its peers, on the competency questions, over loopback.

One run serves the same dataset (build/dataset.nq) with six servers at once, each on a free
loopback port:

  rlskg           `rlskg serve`, the project's own command, its default workers and threads; as
                  wrk repeats one query, it answers from its response cache
  rlskg-fresh     a second `rlskg serve`, the same command, every request with
                  `Cache-Control: no-cache`: it evaluates every query
  oxigraph-disk   Oxigraph's own server as it is usually run: `oxigraph load` into a temporary
                  directory, then `oxigraph serve-read-only` on it (union default graph)
  oxigraph-mem    Oxigraph's own server in memory (`oxigraph serve` without --location), the
                  file POSTed to its Graph Store endpoint
  rdflib-endpoint `rdflib-endpoint serve FILE`: an rdflib Dataset (default union) under uvicorn
  bare-flask      bench/bare_flask.py: a ~20-line Flask handler over pyoxigraph, under the same
                  WSGI server (granian), worker and thread counts as `rlskg serve`: the floor

Each server must answer every question with 200 and SPARQL JSON first (a failure is counted as
that server's errors on that question, not a crash). Then wrk (with serve_bench.lua) sends
`GET <endpoint>?query=<urlencoded>` with `Accept: application/sparql-results+json` (and the
server's own request headers: rlskg-fresh's no-cache) for --duration seconds per question,
concurrency and server, interleaving the servers so that other load on the machine falls on all
of them. Also: the RSS of each server's process tree (from /proc) and the cold start of `rlskg
serve` (process start to first answer to a query). Writes a markdown report, a JSON file of every
figure and a PNG chart to --out.

    python bench/serve_bench.py [--duration 5] [--concurrency 1,8] [--out bench/results] [--quick]

Needs wrk (apt-get install -y wrk), and in the venv: rdflib-endpoint[cli], oxigraph, matplotlib.
The parts it is made of are listed in bench/__init__.py.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/serve_bench.py`
    sys.path.insert(0, str(ROOT))

from bench.client import check_answer, is_timeout  # noqa: E402
from bench.cold_start import cold_start  # noqa: E402
from bench.processes import Server, progress, stopping  # noqa: E402
from bench.procfs import load_average, tree_memory  # noqa: E402
from bench.questions import Question, questions  # noqa: E402
from bench.serve_report import Cell, Run, draw, report  # noqa: E402
from bench.serve_targets import SUBJECTS  # noqa: E402
from bench.servers import (  # noqa: E402
    SERVERS,
    check_tools,
    ensure_dataset,
    make_servers,
    rlskg_counts,
    subject_servers,
)
from bench.wrk import run_wrk, warm_up  # noqa: E402


def versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for package in (
        "rlskg",
        "pyoxigraph",
        "oxigraph",
        "rdflib",
        "rdflib-endpoint",
        "granian",
        "flask",
        "uvicorn",
    ):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    found["wrk"] = (wrk.stdout + wrk.stderr).split("\n", 1)[0].strip()
    found["python"] = platform.python_version()
    return found


def measure(
    args: argparse.Namespace, run: Run, chosen: list[Question], servers: list[Server], logs: Path
) -> None:
    """Validate every (question, server), then time every (question, concurrency, server)."""
    for question in chosen:
        run.rows[question.name], run.failures[question.name], run.check_ms[question.name] = {}, {}, {}
        seen = []
        for server in servers:
            got = server.ask(question.sparql, args.validate_timeout)
            rows, why = check_answer(got)
            run.rows[question.name][server.name] = rows
            run.check_ms[question.name][server.name] = round(got.seconds * 1000, 2)
            seen.append(f"{server.name} {why or f'{rows} rows'} in {got.seconds * 1000:,.1f} ms")
            if why:
                run.failures[question.name][server.name] = why
                # After a timeout the server is still at it, and none of them can be interrupted.
                if is_timeout(why) or not server.idle(args.drain_timeout):
                    server.restart(logs)
        progress(f"checked {question.name}: " + "; ".join(seen))
    total = len(chosen) * len(args.concurrency) * len(servers)
    done = 0
    for number, question in enumerate(chosen):
        turn = servers[number % len(servers) :] + servers[: number % len(servers)]  # rotate the order
        for concurrency in args.concurrency:
            for server in turn:
                done += 1
                why = run.failures[question.name].get(server.name, "")
                if is_timeout(why):
                    cell = Cell(server.name, question.name, concurrency, skipped=why)
                else:
                    if concurrency == args.concurrency[0]:
                        warm_up(server, question.sparql, args.warmup)
                    cell = run_wrk(
                        server, question.sparql, concurrency, args.duration, args.timeout, args.wrk_threads
                    )
                    cell.question = question.name
                    if not server.idle(args.drain_timeout):
                        progress(
                            f"  {server.name} did not drain within {args.drain_timeout:g} s: restarting it"
                        )
                        server.restart(logs)
                run.cells.append(cell)
                progress(
                    f"[{done}/{total}] {question.name} c={concurrency} {server.name}: "
                    + (
                        f"skipped ({cell.skipped})"
                        if cell.skipped
                        else f"{cell.rps:,.1f} req/s, p50 {cell.p50_ms:.2f} ms, p99 {cell.p99_ms:.2f} ms, "
                        f"{cell.errors} errors"
                    )
                )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument(
        "--duration", type=int, default=5, help="seconds per question, server and concurrency [5]"
    )
    parser.add_argument("--concurrency", default="1,8", help="connections, comma-separated [1,8]")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="report folder")
    parser.add_argument("--quick", action="store_true", help="1 s cells, one cold start, short warm-up")
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="the build folder [build]")
    parser.add_argument(
        "--servers",
        default=",".join(SERVERS),
        help=f"comma-separated, of {', '.join(SERVERS)} [all]",
    )
    parser.add_argument(
        "--rlskg-args", default="", help="more options for `rlskg serve`, e.g. '--workers 1' [its defaults]"
    )
    parser.add_argument("--questions", default="", help="question name prefixes, comma-separated [all]")
    parser.add_argument("--cold-starts", type=int, default=3, help="cold starts of rlskg serve to time [3]")
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="warm-up seconds per question and server [1]"
    )
    parser.add_argument("--timeout", type=float, default=10, help="wrk's per-request timeout, seconds [10]")
    parser.add_argument(
        "--validate-timeout", type=float, default=None, help="per checking request, seconds [60; --quick 20]"
    )
    parser.add_argument(
        "--drain-timeout",
        type=float,
        default=None,
        help="wait for a server's backlog after a cell, then restart it [60; --quick 20]",
    )
    parser.add_argument(
        "--wrk-threads", type=int, default=1, help="wrk threads (each is one more client CPU) [1]"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.cold_starts, args.warmup = 1, 1, 0.2
    quick_or_full = 20 if args.quick else 60
    args.validate_timeout = args.validate_timeout or quick_or_full
    args.drain_timeout = args.drain_timeout or quick_or_full
    args.concurrency = sorted({int(c) for c in args.concurrency.split(",") if c.strip()})
    args.servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    unknown = set(args.servers) - set(SERVERS)
    if unknown or not set(args.servers) & set(SUBJECTS):
        parser.error(
            f"--servers must include rlskg or rlskg-fresh (or both) and name only {', '.join(SERVERS)}"
        )
    if args.duration < 1 or not args.concurrency or min(args.concurrency) < 1:
        parser.error("--duration and --concurrency must be at least 1")
    args.questions = [q.strip() for q in args.questions.split(",") if q.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    check_tools(args.servers)
    started = time.monotonic()
    data = ensure_dataset(args.build)
    chosen = questions(args.questions)
    stamp = datetime.date.today().isoformat()
    run = Run(
        stamp,
        {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        versions(),
        os.cpu_count() or 0,
        load_average(),
        servers=args.servers,
        questions={q.name: q.kind for q in chosen},
        response_cache=True,
    )
    cells = len(chosen) * len(args.concurrency) * len(args.servers)
    progress(
        f"{len(chosen)} questions x {len(args.concurrency)} concurrencies x {len(args.servers)} servers = "
        f"{cells} cells of {args.duration} s: about {cells * (args.duration + 0.5) / 60:.0f} min; "
        f"load average {run.load_before}"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp_name:
        tmp = Path(tmp_name)
        logs = tmp / "logs"
        logs.mkdir()
        servers: list[Server] = []  # every server started, in the order of --servers
        try:
            with stopping(servers):
                for attempt in range(args.cold_starts):
                    run.cold_starts.append(cold_start(args.build, args.rlskg_args, chosen[0].sparql, logs))
                    progress(f"cold start {attempt + 1}: {run.cold_starts[-1]:.2f} s")
                subjects = subject_servers(args.servers, args.build, args.rlskg_args)
                servers.extend(subjects)
                for subject in subjects:
                    subject.start(logs)
                run.workers, run.threads = rlskg_counts(subjects[0])
                servers.extend(make_servers(args.servers, data, run.workers, run.threads, tmp))
                servers.sort(key=lambda s: args.servers.index(s.name))
                for server in servers:
                    if server.process is None:
                        server.start(logs)
                    assert server.process is not None
                    run.commands[server.name] = " ".join(server.process.args)  # type: ignore[arg-type]
                    run.ready_seconds[server.name] = server.ready_seconds
                    if server.headers:
                        run.request_headers[server.name] = server.headers
                    progress(f"{server.name} ready on port {server.port} in {server.ready_seconds:.2f} s")
                for server in servers:
                    assert server.process is not None
                    run.idle_memory_kib[server.name] = tree_memory(server.process.pid)
                measure(args, run, chosen, servers, logs)
        except BaseException:
            kept = args.out / "serve-logs"
            shutil.rmtree(kept, ignore_errors=True)
            shutil.copytree(logs, kept)
            progress(f"stopped early: server logs are in {kept}")
            raise
    run.load_after = load_average()
    run.seconds = time.monotonic() - started
    suffix = "-quick" if args.quick else ""
    base = args.out / f"serve-{stamp}{suffix}"
    chart = draw(run, base.with_suffix(".png"))
    text = report(run, chart)
    base.with_suffix(".md").write_text(text, encoding="utf-8")
    payload = asdict(run)
    base.with_suffix(".json").write_text(json.dumps(payload, indent=1), encoding="utf-8")
    print(text)
    progress(
        f"wrote {base.with_suffix('.md')}, {base.with_suffix('.json')}" + (f", {chart}" if chart else "")
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        progress("interrupted: every server started was stopped")
        sys.exit(130)
