"""rlskg serve against the bare handler and Oxigraph's server, on a workload its response cache
cannot flatter (issue 15): label lookups and page loads of distinct terms with Zipf-distributed
repeats, the competency questions, and a mix of the three (bench/workload.py says what is sent).

Servers (bench/servers.py), each on a free loopback port, over the same build/dataset.nq:

  rlskg           `rlskg serve` as shipped, response cache on; restarted before each of its cells so
                  that its cache starts empty and answers only the cell's own repeats
  rlskg-fresh     a second `rlskg serve`, every request with `Cache-Control: no-cache`: it evaluates
                  every request (the evaluation path)
  bare-flask      bench/bare_flask.py under granian, the same worker and thread counts as rlskg serve
  oxigraph-disk   Oxigraph's server on a store `oxigraph load` made (serve-read-only)
  oxigraph-mem    Oxigraph's server in memory

For each shape, concurrency and server (servers in a rotating order, a warm-up first), wrk runs
bench/workload.lua for --duration seconds, sending every server the same requests in the same
order. Before timing, each server must answer a sample of each shape with 200 (failures are
reported, not fatal) and the counts are compared. Per cell: answers per second, p50/p90/p99,
errors, the server's CPU time per answer, its peak RSS and PSS, and rlskg serve's response cache
hits and misses (from /metrics). Writes a markdown report (also on stdout), a JSON file of every
figure and a chart to --out (workload_report.py re-renders them from the JSON).

    python bench/workload_bench.py [--quick] [--duration 10] [--concurrency 1,8,32]
        [--shapes lookup,page,cq,mix] [--servers rlskg,rlskg-fresh,bare-flask,oxigraph-disk,oxigraph-mem]

Needs wrk (apt-get install -y wrk), and in the venv: oxigraph, matplotlib (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/workload_bench.py`
    sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from bench.client import check_answer, fetch, is_timeout  # noqa: E402
from bench.processes import Server, progress, stopping  # noqa: E402
from bench.procfs import MemorySampler, load_average, tree_cpu_seconds, tree_memory  # noqa: E402
from bench.serve_bench import versions  # noqa: E402
from bench.servers import (  # noqa: E402
    BIN,
    NO_CACHE,
    SERVERS,
    check_tools,
    ensure_dataset,
    make_servers,
    rlskg_counts,
    rlskg_server,
    subject_servers,
)
from bench.workload import (  # noqa: E402
    DOC_TRIPLES,
    MIX,
    PARTS,
    SEED,
    SHAPES,
    SUBJECTS,
    WARM_ACCEPT,
    ZIPF,
    Workload,
    address,
    build,
    repeats,
)
from bench.workload_report import BASELINE, Cell, Run, draw, report  # noqa: E402
from bench.wrk import read_result  # noqa: E402

LUA = Path(__file__).with_name("workload.lua")


def baseline_server(checkout: Path, build: Path, extra: str) -> Server:
    """`rlskg serve` from ``checkout``, every request with no-cache. It runs in the checkout: run
    from this tree, `python -m` puts the working directory first on the path, ahead of PYTHONPATH,
    and the "baseline" ran this tree's code (the comparisons of 2026-12-03's first runs did)."""
    checkout = checkout.resolve()
    server = rlskg_server(BASELINE, build.resolve(), extra, NO_CACHE)
    server.command = [str(BIN / "python"), "-m", "rlskg", *server.command[1:]]
    server.workdir = checkout
    server.env = {"PYTHONPATH": str(checkout)}
    probe = [server.command[0], "-c", "import rlskg; print(rlskg.__file__)"]
    env = {**os.environ, **server.env}
    found = subprocess.run(probe, cwd=checkout, env=env, capture_output=True, text=True)
    if not found.stdout.strip().startswith(str(checkout)):
        imported = found.stdout or found.stderr
        raise SystemExit(f"--baseline {checkout}: its rlskg is not the one imported ({imported})")
    return server


DEFAULT_SERVERS = ("rlskg", "rlskg-fresh", "bare-flask", "oxigraph-disk", "oxigraph-mem")
CACHE_LINE = re.compile(
    r'^rlskg_response_cache_lookups_total\{[^}]*outcome="(hit|miss)"[^}]*\}\s+(\S+)', re.M
)


def cache_counts(server: Server) -> tuple[int, int] | None:
    """(hits, misses) of rlskg serve's response cache, over all its workers; None if unread."""
    got = fetch(server.base + "/metrics", 10, accept="text/plain", extra=server.headers)
    if got.status != 200:
        return None
    totals = {"hit": 0.0, "miss": 0.0}
    for outcome, value in CACHE_LINE.findall(got.body.decode(errors="replace")):
        totals[outcome] += float(value)
    return int(totals["hit"]), int(totals["miss"])


def triples(server: Server, body: bytes, content_type: str) -> tuple[int | None, str]:
    """The distinct triples of a page (less those rlskg's document adds about itself)."""
    media_type = content_type.split(";", 1)[0].strip()
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        return None, f"Content-Type {content_type!r}"
    try:
        triples = {quad.triple for quad in ox.parse(body, format=rdf_format)}
    except (SyntaxError, ValueError) as error:
        return None, f"not {media_type} ({error})"
    ours = server.name in SUBJECTS or server.name == BASELINE  # rlskg's documents describe themselves
    return len(triples) - (DOC_TRIPLES if ours else 0), ""


def check(args: argparse.Namespace, run: Run, work: Workload, servers: list[Server], logs: Path) -> None:
    """Each server on a sample of each part: 200, and the rows (or triples) it gives."""
    parts = sorted(
        {p for shape in args.shapes for p in (PARTS if shape == "mix" else (shape,))}, key=PARTS.index
    )
    for part in parts:
        order = work.orders[part]
        sample = list(dict.fromkeys(order))[: args.sample if part != "cq" else None]
        run.counts[part], run.failures[part], run.asked[part] = {}, {}, {}
        for server in servers:
            whys: list[str] = []
            table = work.table(server.name, server.query_path, server.headers)
            first = table[sample[0]]
            shown = " ".join(urllib.parse.unquote_plus(first.path).split())
            run.asked[part][server.name] = (
                f"{first.method} {shown[:200]}{' …' if len(shown) > 200 else ''} (Accept: {first.accept})"
            )
            started = time.monotonic()
            for index in sample:
                ask, request = work.asks[index], table[index]
                got = fetch(
                    server.base + request.path,
                    args.validate_timeout,
                    accept=request.accept,
                    extra=dict(request.headers),
                )
                if got.status != 200:
                    rows, why = None, got.error or f"HTTP {got.status}"
                elif part == "page":
                    rows, why = triples(server, got.body, got.content_type)
                else:
                    rows, why = check_answer(got)
                run.counts[part].setdefault(ask.name, {})[server.name] = rows
                if why:
                    whys.append(f"{ask.name}: {why}")
                    if is_timeout(why) or not server.idle(args.drain_timeout):
                        revive(server, logs, run, f"no answer after checking {ask.name}")
            run.failures[part][server.name] = whys
            progress(
                f"checked {part} on {server.name}: {len(sample) - len(whys)} of {len(sample)} answered 200 "
                f"in {time.monotonic() - started:.1f} s" + (f"; {whys[0]}" if whys else "")
            )


def warm_up(server: Server, work: Workload, shape: str, seconds: float) -> None:
    """Sequential requests for at most ``seconds``, the shape's queries with another Accept (so
    that none of the timed requests' answers is put in a response cache)."""
    deadline = time.monotonic() + seconds
    for index in work.warm[shape][:200]:
        ask = work.asks[index]
        request = address(ask, server.name, server.query_path, server.headers, WARM_ACCEPT[ask.shape])
        fetch(server.base + request.path, max(seconds, 2), accept=request.accept, extra=dict(request.headers))
        if time.monotonic() > deadline:
            return


def run_wrk(
    args: argparse.Namespace, server: Server, work: Workload, shape: str, level: int, files: Path
) -> Cell:
    cell = Cell(server.name, shape, level)
    table, order = work.write(files, shape, server.name, server.query_path, server.headers)
    threads = min(args.wrk_threads, level)
    env = {
        **os.environ,
        "WORKLOAD_REQUESTS": str(table),
        "WORKLOAD_ORDER": str(order),
        "WORKLOAD_THREADS": str(threads),
    }
    command = ["wrk", f"-t{threads}", f"-c{level}", f"-d{args.duration}s", "--timeout", f"{args.timeout:g}s"]
    command += ["-s", str(LUA), server.base + "/"]
    assert server.process is not None
    pid = server.process.pid
    before = cache_counts(server) if server.name in SUBJECTS else None
    cpu_before = tree_cpu_seconds(pid)
    with MemorySampler(pid) as memory:
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=args.duration + args.timeout + 120
        )
    cpu = tree_cpu_seconds(pid) - cpu_before
    after = cache_counts(server) if server.name in SUBJECTS else None
    cell.peak_rss_kib, cell.peak_pss_kib = memory.peak_rss, memory.peak_pss
    figures = read_result(cell, done, cpu)
    if figures is None:
        return cell
    cell.wraps = int(figures.get("wraps", 0))
    cell.repeats = repeats(work.orders[shape], cell.requests, threads)
    if before is not None and after is not None:
        cell.cache_hits, cell.cache_misses = after[0] - before[0], after[1] - before[1]
    return cell


def revive(server: Server, logs: Path, run: Run, why: str) -> None:
    """Restart a server that exited or hangs, and say so in the report (with its log's end)."""
    tail = ""
    if server.log_path is not None and server.log_path.exists():
        lines = server.log_path.read_text(errors="replace").splitlines()
        tail = " | ".join(line.strip() for line in lines[-5:] if line.strip())
    run.restarts.append(f"{server.name}: {why}" + (f"; its log ends: {tail[:600]}" if tail else ""))
    progress(f"  {server.name}: {why}: restarting it")
    server.restart(logs)


def measure(
    args: argparse.Namespace, run: Run, work: Workload, servers: list[Server], logs: Path, files: Path
) -> None:
    cells = [(shape, level) for shape in args.shapes for level in args.concurrency]
    total, done = len(cells) * len(servers), 0
    for number, (shape, level) in enumerate(cells):
        turn = servers[number % len(servers) :] + servers[: number % len(servers)]  # rotate the order
        for server in turn:
            done += 1
            if server.process is None or server.process.poll() is not None:
                code = None if server.process is None else server.process.returncode
                revive(server, logs, run, f"it had exited (code {code}) before {shape} c={level}")
            elif server.name == "rlskg" and not args.keep_cache:
                server.restart(logs)  # an empty response cache: it answers only this cell's repeats
            warm_up(server, work, shape, args.warmup)
            cell = run_wrk(args, server, work, shape, level, files)
            if not server.idle(args.drain_timeout):
                revive(
                    server, logs, run, f"no answer within {args.drain_timeout:g} s after {shape} c={level}"
                )
            run.cells.append(cell)
            cache = (
                f", cache hits {cell.hit_rate:.0%} (repeats {cell.repeats:.0%})"
                if cell.hit_rate is not None
                else ""
            )
            progress(
                f"[{done}/{total}] {shape} c={level} {server.name}: "
                + (
                    f"skipped ({cell.skipped})"
                    if cell.skipped
                    else f"{cell.rps:,.1f} answers/s, p50 {cell.p50_ms:.2f} ms, p99 {cell.p99_ms:.2f} ms, "
                    f"{cell.cpu_ms:.3f} ms CPU, {cell.errors} errors{cache}"
                )
            )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds per shape, concurrency and server [10]"
    )
    parser.add_argument("--quick", action="store_true", help="2 s cells, a short warm-up")
    parser.add_argument("--concurrency", default="1,8,32", help="connections, comma-separated [1,8,32]")
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"of {', '.join(SHAPES)} [all]")
    parser.add_argument(
        "--servers",
        default=",".join(DEFAULT_SERVERS),
        help=f"of {', '.join(SERVERS)} [{','.join(DEFAULT_SERVERS)}]",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="report folder")
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="the build folder [build]")
    parser.add_argument("--rlskg-args", default="", help="more options for `rlskg serve` [its defaults]")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="a checkout of an earlier commit (git worktree add DIR REV): its `rlskg serve`, every\n"
        f"request with no-cache, is timed beside the others as {BASELINE} (before and after in one run)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"of every random choice [{SEED}]")
    parser.add_argument("--zipf", type=float, default=ZIPF, help=f"the Zipf exponent s [{ZIPF}]")
    parser.add_argument(
        "--mix",
        default=",".join(str(round(MIX[p] * 100)) for p in PARTS),
        help="weights of lookup, page, cq in the mix [70,20,10]",
    )
    parser.add_argument(
        "--max-rate",
        type=int,
        default=40_000,
        help="answers per second the order is long enough for, before wrk goes round it again [40000]",
    )
    parser.add_argument("--sample", type=int, default=20, help="lookups and pages checked per server [20]")
    parser.add_argument("--keep-cache", action="store_true", help="do not restart rlskg before its cells")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds before each cell [1]")
    parser.add_argument("--timeout", type=float, default=10, help="wrk's per-request timeout, seconds [10]")
    parser.add_argument(
        "--validate-timeout", type=float, default=None, help="per checking request [60; --quick 20]"
    )
    parser.add_argument(
        "--drain-timeout", type=float, default=None, help="wait for a backlog, then restart [60; --quick 20]"
    )
    parser.add_argument(
        "--wrk-threads", type=int, default=1, help="wrk threads (each one more client CPU) [1]"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup = 2, min(args.warmup, 0.3)
    quick_or_full = 20 if args.quick else 60
    args.validate_timeout = args.validate_timeout or quick_or_full
    args.drain_timeout = args.drain_timeout or quick_or_full
    args.concurrency = sorted({int(c) for c in args.concurrency.split(",") if c.strip()})
    args.shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    args.servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    weights = [float(w) for w in args.mix.split(",")]
    if len(weights) != len(PARTS) or min(weights) < 0 or not sum(weights):
        parser.error("--mix takes three weights (lookup, page, cq), e.g. 70,20,10")
    args.mix = {part: w / sum(weights) for part, w in zip(PARTS, weights, strict=True)}
    if set(args.shapes) - set(SHAPES) or not args.shapes:
        parser.error(f"--shapes names only {', '.join(SHAPES)}")
    if set(args.servers) - set(SERVERS) - {BASELINE} or not set(args.servers) & set(SUBJECTS):
        parser.error(f"--servers must include rlskg or rlskg-fresh and name only {', '.join(SERVERS)}")
    if args.baseline is not None:
        if not (args.baseline / "rlskg" / "__init__.py").is_file():
            parser.error(f"--baseline {args.baseline}: not a checkout of rlskg (no rlskg/__init__.py)")
        args.servers.append(BASELINE)
    if args.duration < 1 or not args.concurrency or min(args.concurrency) < 1:
        parser.error("--duration and --concurrency must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    check_tools(args.servers)
    started = time.monotonic()
    data = ensure_dataset(args.build)
    length = max(args.max_rate * args.duration, 1000)
    work = build(data, length, args.seed, args.zipf, args.mix)
    stamp = datetime.date.today().isoformat()
    run = Run(
        stamp,
        {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        versions(),
        os.cpu_count() or 0,
        load_average(),
        servers=args.servers,
        shapes=args.shapes,
        sizes=work.sizes,
        mix=args.mix,
        order_length=length,
    )
    cells = len(args.shapes) * len(args.concurrency) * len(args.servers)
    progress(
        f"{work.sizes}; {len(args.shapes)} shapes x {len(args.concurrency)} concurrencies x "
        f"{len(args.servers)} servers = {cells} cells of {args.duration} s: about "
        f"{cells * (args.duration + args.warmup + 1) / 60:.0f} min; load average {run.load_before}"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="workload-bench-") as tmp_name:
        tmp = Path(tmp_name)
        logs, files = tmp / "logs", tmp / "requests"
        logs.mkdir()
        servers: list[Server] = []  # every server started, in the order of --servers
        try:
            with stopping(servers):
                subjects = subject_servers(args.servers, args.build, args.rlskg_args)
                servers.extend(subjects)
                for subject in subjects:
                    subject.start(logs)
                run.workers, run.threads = rlskg_counts(subjects[0])
                peers = [name for name in args.servers if name != BASELINE]
                servers.extend(make_servers(peers, data, run.workers, run.threads, tmp))
                if args.baseline is not None:
                    servers.append(baseline_server(args.baseline, args.build, args.rlskg_args))
                servers.sort(key=lambda s: args.servers.index(s.name))
                for server in servers:
                    if server.process is None:
                        server.start(logs)
                    assert server.process is not None
                    run.commands[server.name] = " ".join(
                        w.replace("{port}", str(server.port)) for w in server.command
                    )
                    run.ready_seconds[server.name] = round(server.ready_seconds, 3)
                    run.idle_memory_kib[server.name] = tree_memory(server.process.pid)
                    progress(f"{server.name} ready on port {server.port} in {server.ready_seconds:.2f} s")
                check(args, run, work, servers, logs)
                measure(args, run, work, servers, logs, files)
        except BaseException:
            kept = args.out / "workload-logs"
            shutil.rmtree(kept, ignore_errors=True)
            kept.mkdir()
            for log in logs.iterdir():  # the end of each (the access log can be long)
                with log.open("rb") as whole:
                    whole.seek(max(log.stat().st_size - 200_000, 0))
                    (kept / log.name).write_bytes(whole.read())
            progress(f"stopped early: the end of each server's log is in {kept}")
            raise
    run.load_after = load_average()
    run.seconds = time.monotonic() - started
    base = args.out / f"workload-{stamp}{'-quick' if args.quick else ''}"
    chart = draw(run, base.with_suffix(".png"))
    text = report(run, chart)
    base.with_suffix(".md").write_text(text, encoding="utf-8")
    base.with_suffix(".json").write_text(json.dumps(asdict(run), indent=1), encoding="utf-8")
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
