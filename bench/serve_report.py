"""The report of serve_bench.py: markdown tables, the serve targets (serve_targets.py), and a chart.

The targets are judged (bench/serve_targets.py) for each `rlskg serve` subject in the run: "rlskg"
as shipped, answering the repeated query from its response cache, and "rlskg-fresh", evaluating
every query (`Cache-Control: no-cache`). Also re-renders a report from the JSON file a run wrote,
without measuring again:

    python bench/serve_report.py bench/results/serve-DATE.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/serve_report.py`
    sys.path.insert(0, str(ROOT))

from bench.serve_targets import SUBJECTS, Asked, Judge, ms_text, ratio_text, subject_section  # noqa: E402

Column = tuple[str, Callable[[str], str]]  # a table column: its heading, and question name -> text


@dataclass
class Cell:
    server: str
    question: str
    concurrency: int
    requests: int = 0
    errors: int = 0  # non-2xx/3xx, timeouts, connect/read/write errors
    seconds: float = 0.0
    rps: float = 0.0  # successful answers per second
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    mean_ms: float = 0.0
    max_ms: float = 0.0
    cpu_ms: float = 0.0  # the server's CPU time per successful answer (its whole process tree)
    peak_rss_kib: int = 0
    peak_pss_kib: int = 0
    skipped: str = ""  # why no figure: the server failed the question before timing

    @property
    def ok(self) -> bool:
        return not self.skipped and self.errors == 0 and self.rps > 0


@dataclass
class Run:
    date: str
    args: dict[str, Any]
    versions: dict[str, str]
    cpus: int
    load_before: str
    load_after: str = ""
    workers: int = 1
    threads: int = 4
    servers: list[str] = field(default_factory=list)
    commands: dict[str, str] = field(default_factory=dict)
    ready_seconds: dict[str, float] = field(default_factory=dict)
    idle_memory_kib: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    cold_starts: list[float] = field(default_factory=list)
    questions: dict[str, str] = field(default_factory=dict)  # name -> kind
    rows: dict[str, dict[str, int | None]] = field(default_factory=dict)  # question -> server -> rows
    failures: dict[str, dict[str, str]] = field(default_factory=dict)  # question -> server -> why
    check_ms: dict[str, dict[str, float]] = field(default_factory=dict)  # the checking request's time
    request_headers: dict[str, dict[str, str]] = field(default_factory=dict)  # server -> headers it got
    response_cache: bool = False  # rlskg serve had its response cache (False in older JSON files)
    cells: list[Cell] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> Run:
        known = {f.name for f in fields(cls)}
        run = cls(**{k: v for k, v in payload.items() if k in known})
        run.cells = [Cell(**cell) for cell in payload.get("cells", [])]
        run.idle_memory_kib = {k: tuple(v) for k, v in run.idle_memory_kib.items()}  # type: ignore[misc]
        return run


# ---------------------------------------------------------------------------------------------
# Report


def rps_text(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.1f}"
    return f"{value:.2f}"


def rps_cell(cell: Cell) -> str:
    if cell.requests == 0:
        return f"none in {cell.seconds:.0f} s"
    text = rps_text(cell.rps)
    return f"{text} ({cell.errors} err)" if cell.errors else text


class Table:
    def __init__(self, cells: list[Cell]) -> None:
        self.by_key = {(c.question, c.server, c.concurrency): c for c in cells}

    def get(self, question: str, server: str, concurrency: int) -> Cell | None:
        return self.by_key.get((question, server, concurrency))

    def ratio(self, question: str, subject: str, peer: str, concurrency: int) -> float | None:
        """subject's answers per second over peer's."""
        mine, theirs = self.get(question, subject, concurrency), self.get(question, peer, concurrency)
        if mine is None or theirs is None or theirs.skipped or theirs.rps <= 0:
            return None
        return mine.rps / theirs.rps

    def ratio_cell(self, question: str, subject: str, peer: str, concurrency: int) -> str:
        """The ratio as text; "they failed" where the peer failed the question."""
        theirs = self.get(question, peer, concurrency)
        if theirs is not None and theirs.skipped:
            return "they failed"
        if theirs is not None and theirs.rps <= 0:
            return "they: none" if not theirs.errors else "they: errors"
        return ratio_text(self.ratio(question, subject, peer, concurrency))

    @property
    def levels(self) -> list[int]:
        return sorted({c.concurrency for c in self.by_key.values()})

    def column(self, server: str, level: int, text: Callable[[Cell], str]) -> Column:
        """server's cells at level, as `text` makes them ("" where none, ERR where it failed)."""

        def value(question: str) -> str:
            cell = self.get(question, server, level)
            return "" if cell is None else "ERR" if cell.skipped else text(cell)

        return f"{server} c={level}", value

    def columns(self, servers: list[str], text: Callable[[Cell], str]) -> list[Column]:
        """A column per server and concurrency."""
        return [self.column(s, lv, text) for s in servers for lv in self.levels]


def grid(chosen: list[Asked], columns: list[Column]) -> list[str]:
    """A markdown table: a row per question, and the columns."""
    head = ["question", *[heading for heading, _ in columns]]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] + ["---:"] * len(columns)) + " |"]
    for q in chosen:
        lines.append("| " + " | ".join([q.name, *[value(q.name) for _, value in columns]]) + " |")
    return lines


def subjects(run: Run) -> list[str]:
    """The `rlskg serve` subjects in the run, rlskg first."""
    return [s for s in SUBJECTS if s in run.servers]


def report(run: Run, chart: Path | None) -> str:
    chosen = [Asked(name, kind) for name, kind in run.questions.items()]
    table = Table(run.cells)
    lines = header(run, chosen)
    for number, subject in enumerate(subjects(run)):
        lines += subject_section(Judge(run, table, subject), chosen, cold_start=number == 0)
    lines += rps_section(run, table, chosen)
    lines += cpu_section(run, table, chosen)
    lines += latency_section(run, table, chosen)
    lines += memory_section(run)
    lines += failures_section(run, chosen)
    lines += servers_section(run, chart)
    return "\n".join(lines) + "\n"


def header(run: Run, chosen: list[Asked]) -> list[str]:
    levels = sorted({c.concurrency for c in run.cells})
    loads = [float(run.load_before.split()[0]), float(run.load_after.split()[0] or 0)]
    extra = run.args.get("rlskg_args")
    options = f"`{extra}`" if extra else "its defaults"
    fresh = (
        " rlskg-fresh is a second `rlskg serve`, the same command, every request of it with "
        "`Cache-Control: no-cache`: wrk repeats one query per cell, so rlskg answers it from its response "
        "cache and rlskg-fresh evaluates it each time. The targets are judged for each."
        if "rlskg-fresh" in run.servers
        else ""
    )
    return [
        f"# rlskg serve against its peers: {run.date}",
        "",
        f"{len(chosen)} competency questions, {len(run.servers)} servers, "
        f"concurrency {', '.join(map(str, levels))}, "
        f"{run.args['duration']} s per cell, wrk on loopback (`{run.versions.get('wrk', 'wrk')}`, "
        f"{run.args['wrk_threads']} thread). Machine: {run.cpus} CPUs; load average (1, 5, 15 min) "
        f"{run.load_before} before, {run.load_after} after"
        + (
            " — **the machine was shared: absolute figures are noisy, compare ratios**."
            if max(loads) > 1.0
            else "."
        ),
        "",
        f"`rlskg serve` ran with {options}: {run.workers} worker(s) x {run.threads} thread(s); "
        f"the bare handler under the same granian settings.{fresh} Versions: "
        + ", ".join(f"{k} {v}" for k, v in run.versions.items() if k != "wrk")
        + ".",
        "",
    ]


def rps_section(run: Run, table: Table, chosen: list[Asked]) -> list[str]:
    return [
        "## Requests per second",
        "",
        "Successful answers per second; ERR: the server failed the question (see Failures).",
        "",
        *grid(chosen, table.columns(run.servers, rps_cell)),
        "",
    ]


def cpu_text(cell: Cell) -> str:
    if not cell.cpu_ms:
        return "ERR"
    return f"{cell.cpu_ms:.3f}" if cell.cpu_ms < 10 else f"{cell.cpu_ms:.1f}"


def cpu_section(run: Run, table: Table, chosen: list[Asked]) -> list[str]:
    over_bare = subjects(run) if "bare-flask" in run.servers else []
    columns = table.columns(run.servers, cpu_text)
    columns += [cost_column(table, s, lv) for s in over_bare for lv in table.levels]
    lines = [
        "## CPU time per answer (ms)",
        "",
        "The server's whole process tree (user + system, from /proc) over a cell, divided by its successful "
        "answers: it does not depend on how much CPU other work on the machine left to the server, so on a "
        "shared machine it is the steadier measure of cost. " + cost_note(run),
        "",
        *grid(chosen, columns),
        "",
    ]
    top = max(table.levels)
    for subject in over_bare:
        ratios = [r for q in chosen if (r := cost_over_bare(table, q.name, subject, top)) is not None]
        if ratios:
            lines += [
                f"Median over the questions of {subject}'s CPU per answer over the bare handler's at "
                f"c={top}: {statistics.median(ratios):.2f}x (range {min(ratios):.2f}x-{max(ratios):.2f}x).",
                "",
            ]
    return lines


def cost_note(run: Run) -> str:
    if not run.response_cache:  # a run from before the response cache: rlskg evaluated every query
        return "\"rlskg ÷ bare\" is the protocol layer's cost as a multiple of the bare handler's."
    return (
        "\"rlskg-fresh ÷ bare\" is the protocol layer's cost as a multiple of the bare handler's (both "
        'evaluate every query); "rlskg ÷ bare" sets a response-cache hit against an evaluation.'
    )


def cost_over_bare(table: Table, question: str, subject: str, level: int) -> float | None:
    """subject's CPU time per answer over bare-flask's."""
    mine, bare = table.get(question, subject, level), table.get(question, "bare-flask", level)
    return mine.cpu_ms / bare.cpu_ms if mine and bare and mine.cpu_ms and bare.cpu_ms else None


def cost_column(table: Table, subject: str, level: int) -> Column:
    def value(question: str) -> str:
        ratio = cost_over_bare(table, question, subject, level)
        return "n/a" if ratio is None else f"{ratio:.2f}x"

    return f"{subject} ÷ bare c={level}", value


def latency_section(run: Run, table: Table, chosen: list[Asked]) -> list[str]:
    return [
        "## Latency, p50 / p99 (ms)",
        "",
        *grid(chosen, table.columns(run.servers, lambda c: f"{ms_text(c.p50_ms)} / {ms_text(c.p99_ms)}")),
        "",
    ]


def memory_section(run: Run) -> list[str]:
    lines = [
        "## Memory",
        "",
        "Summed over each server's process tree from /proc: RSS counts pages that forked processes share "
        "once per process (rlskg's evaluator children, granian's workers), PSS shares them out.",
        "",
        "| server | processes | RSS idle MiB | PSS idle MiB | peak RSS under load MiB | peak PSS MiB "
        "| ready in s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in run.servers:
        rss, pss, count = run.idle_memory_kib.get(s, (0, 0, 0))
        peak_rss = max((c.peak_rss_kib for c in run.cells if c.server == s), default=0)
        peak_pss = max((c.peak_pss_kib for c in run.cells if c.server == s), default=0)
        lines.append(
            f"| {s} | {count} | {rss / 1024:.0f} | {pss / 1024:.0f} | {peak_rss / 1024:.0f} | "
            f"{peak_pss / 1024:.0f} | {run.ready_seconds.get(s, 0):.2f} |"
        )
    return [*lines, ""]


def failures_section(run: Run, chosen: list[Asked]) -> list[str]:
    failures = [(name, s, why) for name, by in run.failures.items() for s, why in by.items()]
    erred = [c for c in run.cells if c.errors and not c.skipped]
    idle = [c for c in run.cells if not c.skipped and c.requests == 0]
    mismatches = []
    for q in chosen:
        counts = {s: r for s, r in run.rows.get(q.name, {}).items() if r is not None}
        if len(set(counts.values())) > 1:
            mismatches.append(f"{q.name}: " + ", ".join(f"{s} {r}" for s, r in counts.items()))
    lines = ["## Failures and differences", ""]
    if not failures and not erred and not mismatches and not idle:
        lines.append(
            "Every server answered every question with 200 and SPARQL JSON, with the same number of rows."
        )
    lines += [f"- {s} failed {name} before timing: {why}" for name, s, why in failures]
    lines += [
        f"- {c.server}, {c.question}, c={c.concurrency}: {c.errors} errors in {c.requests} requests"
        for c in erred
    ]
    lines += [
        f"- {c.server}, {c.question}, c={c.concurrency}: no answer completed in the cell's {c.seconds:.0f} s"
        for c in idle
        if not c.errors
    ]
    return [*lines, *[f"- rows differ, {line}" for line in mismatches], ""]


def servers_section(run: Run, chart: Path | None) -> list[str]:
    lines = ["## Servers", ""]
    for s, command in run.commands.items():
        headers = ", ".join(f"`{k}: {v}`" for k, v in run.request_headers.get(s, {}).items())
        lines.append(f"- {s}: `{command}`" + (f", every request with {headers}" if headers else ""))
    lines.append("")
    if chart:
        top = max(c.concurrency for c in run.cells)
        lines += [f"Chart: `{chart.name}` (requests per second per question at c={top}, log scale).", ""]
    return [*lines, f"Whole run: {run.seconds / 60:.1f} min. Raw figures: the .json file beside this one."]


def draw(run: Run, path: Path) -> Path | None:
    """A bar chart of requests per second per question and server, at the highest concurrency."""
    chosen = list(run.questions)
    if not run.cells:
        return None
    try:
        import matplotlib  # type: ignore[import-not-found, unused-ignore]  # the bench extra, not in .[test]

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        print("matplotlib is not installed: no chart (pip install matplotlib)", file=sys.stderr)
        return None
    table = Table(run.cells)
    top = max(c.concurrency for c in run.cells)
    figure, axes = plt.subplots(figsize=(max(10, 0.55 * len(chosen) + 3), 6))
    width = 0.8 / len(run.servers)
    failed: list[float] = []
    for index, server in enumerate(run.servers):
        values = []
        for name in chosen:
            cell = table.get(name, server, top)
            values.append(cell.rps if cell is not None and not cell.skipped else 0)
        positions = [i + (index - (len(run.servers) - 1) / 2) * width for i in range(len(chosen))]
        axes.bar(positions, values, width, label=server)
        failed += [x for x, v in zip(positions, values, strict=True) if v <= 0]
    axes.set_yscale("log")
    if failed:  # no bar on a log scale: mark where a server failed the question
        low = min((c.rps for c in run.cells if c.rps > 0), default=1.0) / 2
        axes.scatter(failed, [low] * len(failed), marker="x", color="black", label="failed", zorder=3)
    axes.set_xticks(range(len(chosen)))
    axes.set_xticklabels([name.split("-", 1)[0] for name in chosen])
    axes.set_xlabel("competency question (graph/competency/NN-*.rq)")
    axes.set_ylabel(f"successful requests per second at c={top} (log)")
    axes.set_title(f"rlskg serve and its peers, {run.date} (load average before: {run.load_before})")
    axes.grid(axis="y", which="both", alpha=0.3)
    axes.legend(ncols=len(run.servers) + 1, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("json", type=Path, help="a serve-DATE.json that serve_bench.py wrote")
    args = parser.parse_args()
    run = Run.from_json(json.loads(args.json.read_text(encoding="utf-8")))
    chart = draw(run, args.json.with_suffix(".png"))
    text = report(run, chart)
    args.json.with_suffix(".md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
