"""rlskg serve against its peers, on the competency questions, over loopback (issue 4, item 9).

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
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/serve_bench.py`
    sys.path.insert(0, str(ROOT))

from bench.serve_report import Cell, Run, draw, report  # noqa: E402
from bench.serve_targets import SUBJECTS  # noqa: E402
from rlskg.graph.competency import load_questions  # noqa: E402

BIN = Path(sys.executable).parent
LUA = Path(__file__).with_name("serve_bench.lua")
ACCEPT = "application/sparql-results+json"
PROBE = "ASK {}"  # readiness and drain probe: cheap on every server
SERVERS = ("rlskg", "rlskg-fresh", "oxigraph-disk", "oxigraph-mem", "rdflib-endpoint", "bare-flask")
NO_CACHE = {"Cache-Control": "no-cache"}  # rlskg-fresh's: skip the response cache, evaluate afresh


# ---------------------------------------------------------------------------------------------
# Questions


@dataclass(frozen=True)
class Question:
    name: str
    sparql: str
    features: tuple[str, ...]  # of "join", "path", "aggregate"

    @property
    def kind(self) -> str:
        return "+".join(f[:3] for f in self.features) or "lookup"


def features(sparql: str) -> tuple[str, ...]:
    """What the query's algebra holds: joins (a BGP of 2+ patterns, Join, LeftJoin, Minus, Union,
    a FILTER (NOT) EXISTS), property paths beyond one IRI, aggregates."""
    from rdflib.paths import Path as PropertyPath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, CompValue):
            if node.name in ("Join", "LeftJoin", "Minus", "Union", "Builtin_EXISTS", "Builtin_NOTEXISTS"):
                found.add("join")
            if node.name in ("AggregateJoin", "Group"):
                found.add("aggregate")
            if node.name == "BGP":
                triples = node.get("triples") or []
                if len(triples) > 1:
                    found.add("join")
                if any(isinstance(t[1], PropertyPath) for t in triples):
                    found.add("path")
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(prepareQuery(sparql).algebra)
    return tuple(f for f in ("join", "path", "aggregate") if f in found)


def questions(only: list[str]) -> list[Question]:
    chosen = [q for q in load_questions() if not only or any(q.name.startswith(o) for o in only)]
    if not chosen:
        raise SystemExit(f"no competency question matches {only}")
    return [Question(q.name, q.sparql, features(q.sparql)) for q in chosen]


# ---------------------------------------------------------------------------------------------
# Processes and memory


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def process_tree(root: int) -> list[int]:
    """root and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _kib(path: str, key: str) -> int:
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory(root: int) -> tuple[int, int, int]:
    """(RSS KiB, PSS KiB, processes) summed over root's process tree. RSS counts pages shared
    between forked processes once per process; PSS splits them."""
    pids = process_tree(root)
    rss = sum(_kib(f"/proc/{pid}/status", "VmRSS:") for pid in pids)
    pss = sum(_kib(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in pids)
    return rss, pss, len(pids)


def tree_cpu_seconds(root: int) -> float:
    """User and system CPU time of root's process tree, with its reaped children's."""
    ticks = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


class MemorySampler:
    """The peak of tree_memory(root) while in use, sampled every `every` seconds."""

    def __init__(self, root: int, every: float = 0.5) -> None:
        self.root, self.every = root, every
        self.peak_rss = self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            rss, pss, _ = tree_memory(self.root)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            if self._stop.wait(self.every):
                return

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------------------------------------
# HTTP


@dataclass
class Fetched:
    status: int  # 0: no answer (refused, reset, timed out)
    body: bytes
    content_type: str
    seconds: float
    error: str = ""


def fetch(
    url: str,
    timeout: float,
    accept: str = ACCEPT,
    method: str = "GET",
    data: bytes | None = None,
    content_type: str | None = None,
    extra: dict[str, str] | None = None,
) -> Fetched:
    headers = {"Accept": accept, **(extra or {})}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return Fetched(
                response.status, body, response.headers.get("Content-Type", ""), time.perf_counter() - started
            )
    except urllib.error.HTTPError as error:
        body = error.read()
        return Fetched(
            error.code,
            body,
            error.headers.get("Content-Type", ""),
            time.perf_counter() - started,
            f"HTTP {error.code}: {body[:160].decode(errors='replace').strip()}",
        )
    except (OSError, urllib.error.URLError) as error:  # refused, reset, timed out
        return Fetched(0, b"", "", time.perf_counter() - started, f"{type(error).__name__}: {error}")


def check_answer(got: Fetched) -> tuple[int | None, str]:
    """(rows, "") for 200 with valid SPARQL JSON results, else (None, why)."""
    if got.error:
        return None, got.error
    if got.status != 200:
        return None, f"HTTP {got.status}"
    if "json" not in got.content_type:
        return None, f"Content-Type {got.content_type!r}"
    try:
        answer = json.loads(got.body)
        if "boolean" in answer:
            return 1, ""
        return len(answer["results"]["bindings"]), ""
    except (ValueError, KeyError, TypeError) as error:
        return None, f"not SPARQL JSON results ({type(error).__name__}: {error})"


# ---------------------------------------------------------------------------------------------
# Servers


@dataclass
class Server:
    """One server under test: a command started in its own session, so that its whole process
    tree can be stopped by its process group."""

    name: str
    command: list[str]
    query_path: str  # where GET ?query= goes
    ready_path: str | None = None  # a health URL path; else a probe query
    load: Callable[[Server], None] | None = None  # after ready: put the data in (Oxigraph in memory)
    workdir: Path = ROOT
    env: dict[str, str] = field(default_factory=dict)  # added to this process's environment
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request to it
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    started_at: float = 0.0
    ready_seconds: float = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def query_url(self, sparql: str) -> str:
        return f"{self.base}{self.query_path}?{urllib.parse.urlencode({'query': sparql})}"

    def ask(self, sparql: str, timeout: float) -> Fetched:
        """GET sparql from this server, with its own request headers."""
        return fetch(self.query_url(sparql), timeout, extra=self.headers)

    def launch(self, logs: Path) -> None:
        """Start the process on a free port, without waiting for it."""
        self.port = free_port()
        command = [part.replace("{port}", str(self.port)) for part in self.command]
        self.log_path = logs / (re.sub(r"[^\w.-]+", "-", self.name) + ".log")
        with self.log_path.open("ab") as log:
            log.write(f"$ {' '.join(command)}\n".encode())
            log.flush()
            self.started_at = time.monotonic()
            self.process = subprocess.Popen(
                command,
                cwd=self.workdir,
                env={**os.environ, **self.env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self, logs: Path, timeout: float = 120) -> None:
        """Launch, wait until ready, load the data if the server needs it done over HTTP."""
        self.launch(logs)
        self.wait_ready(timeout)
        if self.load:
            self.load(self)
        self.ready_seconds = time.monotonic() - self.started_at

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: see {self.log_path}")
            if self.ready_path:
                if fetch(self.base + self.ready_path, 2, accept="*/*", extra=self.headers).status == 200:
                    return
            elif check_answer(self.ask(PROBE, 2))[0] is not None:
                return
            time.sleep(0.02)
        raise RuntimeError(f"{self.name} was not ready within {timeout:.0f} s: see {self.log_path}")

    def idle(self, timeout: float) -> bool:
        """Wait until the server answers the probe (its backlog is done); False if it does not."""
        return check_answer(self.ask(PROBE, timeout))[0] is not None

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        group = process.pid  # start_new_session: the group is the leader's pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
            process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):  # children left behind by the leader
            os.killpg(group, signal.SIGKILL)

    def restart(self, logs: Path) -> None:
        self.stop()
        self.start(logs)


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


def argv(*parts: str | Path) -> list[str]:
    """A command line: str parts are split on spaces, a Path stays one word."""
    return [word for part in parts for word in ([str(part)] if isinstance(part, Path) else part.split())]


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


BANNER = re.compile(r"(\d+) worker\(s\) x (\d+) thread\(s\)")


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


# ---------------------------------------------------------------------------------------------
# Measuring


RESULT = re.compile(r"BENCH_RESULT (.*)")


def run_wrk(
    server: Server, sparql: str, concurrency: int, seconds: int, timeout: float, threads: int
) -> Cell:
    cell = Cell(server.name, "", concurrency)
    url = server.query_url(sparql)
    path = url[len(server.base) :]
    headers = "\n".join(f"{name}: {value}" for name, value in server.headers.items())
    env = {**os.environ, "BENCH_PATH": path, "BENCH_ACCEPT": ACCEPT, "BENCH_HEADERS": headers}
    command = [
        "wrk",
        f"-t{min(threads, concurrency)}",
        f"-c{concurrency}",
        f"-d{seconds}s",
        "--timeout",
        f"{timeout:g}s",
        "-s",
        str(LUA),
        server.base + "/",
    ]
    assert server.process is not None
    cpu_before = tree_cpu_seconds(server.process.pid)
    with MemorySampler(server.process.pid) as memory:
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=seconds + timeout + 60
        )
    cpu = tree_cpu_seconds(server.process.pid) - cpu_before
    cell.peak_rss_kib, cell.peak_pss_kib = memory.peak_rss, memory.peak_pss
    found = RESULT.search(done.stdout)
    if done.returncode != 0 or not found:
        cell.skipped = f"wrk failed ({done.returncode}): {(done.stderr or done.stdout).strip()[:200]}"
        return cell
    figures = {k: float(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    cell.requests = int(figures["requests"])
    cell.errors = int(sum(figures[k] for k in ("connect", "read", "write", "status", "timeout")))
    cell.seconds = figures["duration_us"] / 1e6
    cell.rps = max(cell.requests - int(figures["status"]), 0) / cell.seconds if cell.seconds else 0.0
    for key in ("p50", "p90", "p99", "mean", "max"):
        setattr(cell, f"{key}_ms", figures[f"{key}_us"] / 1000)
    answered = cell.requests - int(figures["status"])
    cell.cpu_ms = cpu * 1000 / answered if answered > 0 else 0.0
    return cell


def cold_start(build: Path, extra: str, sparql: str, logs: Path) -> float:
    """Seconds from starting `rlskg serve` to its first 200 answer to `sparql` with SPARQL JSON."""
    server = rlskg_server("rlskg-cold", build, extra)
    server.launch(logs)
    assert server.process is not None
    url = server.query_url(sparql)
    try:
        while time.monotonic() - server.started_at < 60:
            if check_answer(fetch(url, 5))[0] is not None:
                return time.monotonic() - server.started_at
            if server.process.poll() is not None:
                raise RuntimeError(
                    f"rlskg serve exited with {server.process.returncode}: see {server.log_path}"
                )
            time.sleep(0.005)
        raise RuntimeError("rlskg serve gave no answer within 60 s")
    finally:
        server.stop()


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


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


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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


def is_timeout(why: str) -> bool:
    return why.startswith(("TimeoutError", "URLError", "timeout"))


def warm_up(server: Server, sparql: str, seconds: float) -> None:
    """A few sequential requests (at most `seconds`), so that no cell times a first request."""
    deadline = time.monotonic() + seconds
    for _ in range(20):
        server.ask(sparql, max(seconds, 1))
        if time.monotonic() > deadline:
            return


# ---------------------------------------------------------------------------------------------
# Main


def ensure_dataset(build: Path) -> Path:
    data = build / "dataset.nq"
    if not data.is_file():
        progress(f"{data} is missing: running `rlskg build --out {build}`")
        subprocess.run([str(BIN / "rlskg"), "build", "--out", str(build)], cwd=ROOT, check=True)
    return data


def check_tools(servers: list[str]) -> None:
    missing = []
    if not shutil.which("wrk"):
        missing.append("wrk (apt-get install -y wrk)")
    needs = {"oxigraph-mem": "oxigraph", "oxigraph-disk": "oxigraph", "rdflib-endpoint": "rdflib-endpoint"}
    for server in servers:
        tool = needs.get(server)
        if tool and not (BIN / tool).exists():
            missing.append(
                f"{tool} ({BIN / 'pip'} install {'rdflib-endpoint[cli]' if tool != 'oxigraph' else tool})"
            )
    if missing:
        raise SystemExit("missing: " + ", ".join(missing))


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


def on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def stopping(servers: list[Server]) -> Iterator[None]:
    """Stop every server on the way out, whatever the way (Ctrl-C, SIGTERM, an error)."""
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for server in servers:
            try:
                server.stop()
            except Exception as error:  # keep stopping the others
                progress(f"stopping {server.name}: {error}")
        for s, handler in previous.items():
            signal.signal(s, handler)


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
