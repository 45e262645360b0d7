"""Where `rlskg serve` spends its time under load, next to the bare handler (bench/bare_flask.py).

For each chosen question, under wrk at --concurrency for --duration seconds:

1. CPU time per answer, split by process (granian's main process, its workers, the evaluator
   children the workers fork), for `rlskg serve` as it ships, for variants of it that switch one
   part off through its own RLSKG_* settings (`--variant NAME:VAR=VALUE,...`; the defaults switch
   off the access log and the evaluator pool), and for the bare handler under the same granian
   settings. CPU per answer does not depend on what other work leaves to the server, so it holds
   on a shared machine where requests per second do not.
2. With py-spy (`pip install py-spy`): samples of `rlskg serve` as it ships, every process, only
   threads holding the GIL (`--gil`), so the Python work: by function (self and inclusive) and by
   module of the innermost frame.

    python bench/serve_profile.py [--questions 01,02,20] [--duration 10] [--concurrency 8]
                                  [--variant NAME:VAR=VALUE,...] [--no-py-spy] [--out bench/results]
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.client import ACCEPT  # noqa: E402
from bench.processes import Server, progress, stopping  # noqa: E402
from bench.procfs import load_average, process_tree  # noqa: E402
from bench.questions import Question, questions  # noqa: E402
from bench.servers import BIN, ensure_dataset, make_servers, rlskg_counts, rlskg_server  # noqa: E402
from bench.wrk import run_wrk, warm_up  # noqa: E402

DEFAULT_VARIANTS = (
    "no access log:RLSKG_ACCESS_LOG=false",
    "no evaluator pool:RLSKG_POOL_SIZE=0",
    "neither:RLSKG_ACCESS_LOG=false,RLSKG_POOL_SIZE=0",
)


def cpu_by_role(root: int) -> dict[str, float]:
    """CPU seconds (with reaped children's) of root ("main"), its children ("workers") and
    deeper descendants ("evaluators")."""
    roles: dict[str, float] = {"main": 0.0, "workers": 0.0, "evaluators": 0.0}
    workers: set[int] = set()
    for pid in process_tree(root):  # parents come before their children
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid, seconds = int(fields[1]), sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        if pid == root:
            roles["main"] += seconds
        elif ppid == root:
            workers.add(pid)
            roles["workers"] += seconds
        else:
            roles["evaluators"] += seconds
    return roles


@dataclass
class Measured:
    name: str
    question: str
    rps: float
    p99_ms: float
    answers: int
    cpu_ms: dict[str, float]  # role -> CPU ms per answer


def measure(server: Server, question: Question, concurrency: int, seconds: int) -> Measured:
    assert server.process is not None
    warm_up(server, question.sparql, 1.0)
    before = cpu_by_role(server.process.pid)
    cell = run_wrk(server, question.sparql, concurrency, seconds, 10, 1)
    after = cpu_by_role(server.process.pid)
    answers = max(round(cell.rps * cell.seconds), 1)
    per = {role: (after[role] - before[role]) * 1000 / answers for role in after}
    return Measured(server.name, question.name, cell.rps, cell.p99_ms, answers, per)


def py_spy(server: Server, question: Question, concurrency: int, seconds: int, out: Path) -> Path:
    """Raw collapsed stacks of every process of `server` while wrk loads it."""
    assert server.process is not None
    command = [
        str(BIN / "py-spy"),
        "record",
        "--pid",
        str(server.process.pid),
        "--subprocesses",
        "--gil",
        "--rate",
        "200",
        "--format",
        "raw",
        "--duration",
        str(seconds),
        "--output",
        str(out),
    ]
    spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        run_wrk(server, question.sparql, concurrency, seconds + 1, 10, 1)
        _, err = spy.communicate(timeout=seconds + 60)
    finally:
        if spy.poll() is None:
            spy.kill()
            spy.wait()
    if spy.returncode != 0 or not out.exists():
        raise RuntimeError(f"py-spy failed ({spy.returncode}): {err.decode(errors='replace')[-300:]}")
    return out


LINE = re.compile(r":\d+\)$")


def frame_module(frame: str) -> str:
    """`function (path/file.py:line)` -> a short module name: service/pool, flask, logging..."""
    if "(" not in frame:
        return frame
    where = frame.rsplit("(", 1)[1].rstrip(")").split(":", 1)[0]
    parts = where.replace("\\", "/").split("/")
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1]
    if parts[0] in ("service", "graph", "bench"):
        return "/".join(parts[:2]).removesuffix(".py")
    if len(parts) > 1 and parts[-1] == "__init__.py":
        return parts[-2]
    return parts[-1].removesuffix(".py")


def summarise(raw: Path, top: int) -> list[str]:
    own, inclusive, modules = Counter[str](), Counter[str](), Counter[str]()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        # "function (file.py:line)" -> "function (file.py)": a function's lines count as one.
        frames = [LINE.sub(")", f) for f in stack.split(";") if not f.startswith("process ")]
        if not frames:
            continue
        samples = int(count)
        total += samples
        own[frames[-1]] += samples
        modules[frame_module(frames[-1])] += samples
        for frame in set(frames):
            inclusive[frame] += samples
    if not total:
        return ["(no samples)"]
    lines = [
        f"{total} samples of threads holding the GIL, all processes.",
        "",
        "By module of the innermost frame:",
        "",
    ]
    lines += ["| module | share |", "| --- | ---: |"]
    lines += [f"| {name} | {count / total:.1%} |" for name, count in modules.most_common(top)]
    lines += ["", "By function, self:", "", "| function | share |", "| --- | ---: |"]
    lines += [f"| `{name}` | {count / total:.1%} |" for name, count in own.most_common(top)]
    project = Counter({f: c for f, c in inclusive.items() if "service/" in f or "graph/" in f})
    lines += ["", "Project functions, inclusive:", "", "| function | share |", "| --- | ---: |"]
    lines += [f"| `{name}` | {count / total:.1%} |" for name, count in project.most_common(top)]
    return lines


def wsgi_profile(
    build: Path, data: Path, question: Question, threads: int, calls: int, top: int, fresh: bool
) -> list[str]:
    """cProfile, on CPU time, of `calls` WSGI calls (no HTTP) of the service's app as `rlskg serve`
    builds it, and of the bare handler's: the Python work of one worker process per request. The
    evaluator children's CPU is not in it (see the table above)."""
    import cProfile
    import logging
    import pstats
    import time

    import pyoxigraph as ox
    from werkzeug.test import EnvironBuilder

    from bench import bare_flask
    from rlskg.graph.stores import open_store
    from rlskg.service import close_app, create_app

    access = logging.getLogger("rlskg.access")  # as under the harness: the access log to a file
    log_file = tempfile.NamedTemporaryFile("w", suffix=".log")  # noqa: SIM115 - closed below
    handler = logging.StreamHandler(log_file)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False
    bare_store = ox.Store()
    bare_store.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
    apps = {
        "rlskg": create_app({"OUT": str(build), "POOL_SIZE": threads}, store=open_store(build)),
        "bare-flask": bare_flask.create_app(bare_store),
    }
    query = urllib.parse.urlencode({"query": question.sparql})
    headers = [("Accept", ACCEPT)] + ([("Cache-Control", "no-cache")] if fresh else [])
    builder = EnvironBuilder(path="/sparql", query_string=query, headers=headers)
    environ = builder.get_environ()
    lines = [f"{calls} WSGI calls each, CPU time of this process (cProfile on time.process_time):", ""]
    figures: list[tuple[str, float, pstats.Stats]] = []
    try:
        for name, app in apps.items():

            def call(app: Any = app) -> None:
                def start_response(status: str, headers: list[tuple[str, str]], exc: Any = None) -> None:
                    assert status.startswith("200"), status

                body = app(dict(environ), start_response)
                for _ in body:
                    pass
                close = getattr(body, "close", None)
                if close:
                    close()

            for _ in range(min(calls, 200)):
                call()
            profile = cProfile.Profile(time.process_time)
            started = time.process_time()
            profile.enable()
            for _ in range(calls):
                call()
            profile.disable()
            spent = (time.process_time() - started) / calls * 1e6
            figures.append((name, spent, pstats.Stats(profile)))
    finally:
        close_app(apps["rlskg"])
        access.removeHandler(handler)
        log_file.close()
    for name, spent, _ in figures:
        lines.append(f"- {name}: {spent:,.0f} µs per request (with the profiler's own overhead)")
    for name, _, stats in figures:
        rows = []
        for (file, line, function), (_, ncalls, own, total, _) in stats.stats.items():  # type: ignore[attr-defined]
            rows.append(
                (own, total, ncalls, f"{function} ({Path(file).parent.name}/{Path(file).name}:{line})")
            )
        lines += ["", f"{name}, by own time (µs per request):", "", "| function | own | inclusive | calls |"]
        lines += ["| --- | ---: | ---: | ---: |"]
        for own, total, ncalls, where in sorted(rows, reverse=True)[:top]:
            lines.append(
                f"| `{where}` | {own / calls * 1e6:.1f} | {total / calls * 1e6:.1f} | {ncalls / calls:g} |"
            )
        project = [r for r in rows if "service/" in r[3] or "graph/" in r[3] or "bench/" in r[3]]
        lines += ["", f"{name}, project functions by inclusive time (µs per request):", ""]
        lines += ["| function | inclusive | own |", "| --- | ---: | ---: |"]
        for own, total, _, where in sorted(project, key=lambda r: -r[1])[:top]:
            lines.append(f"| `{where}` | {total / calls * 1e6:.1f} | {own / calls * 1e6:.1f} |")
    return lines


def parse_variant(text: str) -> tuple[str, dict[str, str]]:
    name, _, assignments = text.partition(":")
    env = dict(pair.split("=", 1) for pair in assignments.split(",") if "=" in pair)
    if not name or not env:
        raise SystemExit(f"--variant wants NAME:VAR=VALUE[,VAR=VALUE...], not {text!r}")
    return name, env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--questions", default="01,02,20", help="question name prefixes [01,02,20]")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement [10]")
    parser.add_argument("--concurrency", type=int, default=8, help="wrk connections [8]")
    parser.add_argument(
        "--variant",
        action="append",
        default=None,
        help="NAME:VAR=VALUE,... RLSKG_* settings for one more rlskg serve [see DEFAULT_VARIANTS]",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="every request to rlskg with Cache-Control: no-cache: profile evaluation, not cache hits",
    )
    parser.add_argument("--no-py-spy", action="store_true", help="skip the py-spy samples")
    parser.add_argument(
        "--calls", type=int, default=3000, help="WSGI calls to profile per app, 0: none [3000]"
    )
    parser.add_argument("--top", type=int, default=20, help="rows per py-spy table [20]")
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    data = ensure_dataset(args.build)
    chosen = questions([q for q in args.questions.split(",") if q])
    variants = [("as shipped", {}), *map(parse_variant, args.variant or DEFAULT_VARIANTS)]
    spy = not args.no_py_spy and (BIN / "py-spy").exists()
    if not args.no_py_spy and not spy:
        progress("py-spy is not installed in the venv: CPU split only (pip install py-spy)")
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.date.today().isoformat()
    load_before = load_average()
    results: list[Measured] = []
    profiles: dict[str, list[str]] = {}
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="serve-profile-") as tmp_name, stopping(servers):
        tmp = Path(tmp_name)
        for name, env in variants:
            fresh = {"Cache-Control": "no-cache"} if args.fresh else None
            server = rlskg_server(f"rlskg, {name}", args.build, "", fresh)
            server.env = env
            servers.append(server)
            server.start(tmp)
        workers, threads = rlskg_counts(servers[0])
        servers.extend(make_servers(["bare-flask"], data, workers, threads, tmp))
        servers[-1].start(tmp)
        for question in chosen:
            for server in servers:
                results.append(measure(server, question, args.concurrency, args.duration))
                m = results[-1]
                progress(
                    f"{question.name} {server.name}: {m.rps:,.0f} req/s, "
                    f"{sum(m.cpu_ms.values()):.3f} ms CPU per answer"
                )
            if spy:
                raw = py_spy(
                    servers[0], question, args.concurrency, args.duration, tmp / f"{question.name}.txt"
                )
                shutil.copy(raw, args.out / f"profile-{stamp}-{question.name}.txt")
                profiles[question.name] = summarise(raw, args.top)
    lines = [f"# Where `rlskg serve` spends its time: {stamp}", ""]
    lines += [
        f"{workers} worker(s) x {threads} thread(s), wrk at c={args.concurrency}, {args.duration} s per "
        f"measurement; load average {load_before} before, {load_average()} after.",
        "",
    ]
    lines += ["## CPU time per answer (ms), by process", ""]
    lines += ["| question | server | req/s | p99 ms | main | workers | evaluators | total | ÷ bare |"]
    lines += ["| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for question in chosen:
        rows = [m for m in results if m.question == question.name]
        bare = sum(rows[-1].cpu_ms.values())
        for m in rows:
            total = sum(m.cpu_ms.values())
            lines.append(
                f"| {m.question} | {m.name} | {m.rps:,.0f} | {m.p99_ms:.1f} | {m.cpu_ms['main']:.3f} "
                f"| {m.cpu_ms['workers']:.3f} | {m.cpu_ms['evaluators']:.3f} | {total:.3f} "
                f"| {total / bare:.2f}x |"
            )
    for name, summary in profiles.items():
        lines += ["", f"## py-spy, {name} (rlskg serve as shipped)", "", *summary]
    if args.calls:
        for question in chosen:
            progress(f"cProfile of {args.calls} WSGI calls, {question.name}")
            lines += ["", f"## cProfile, {question.name}, one worker's Python work per request", ""]
            lines += wsgi_profile(args.build, data, question, threads, args.calls, args.top, args.fresh)
    text = "\n".join(lines) + "\n"
    target = args.out / f"profile-{stamp}.md"
    target.write_text(text, encoding="utf-8")
    print(text)
    progress(f"wrote {target}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        progress("interrupted: every server started was stopped")
        sys.exit(130)
