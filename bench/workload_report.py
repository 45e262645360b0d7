"""The report of workload_bench.py: markdown tables, the targets, and a chart. Also re-renders the
report and the chart from the JSON file a run wrote, without measuring again:

    python bench/workload_report.py bench/results/workload-DATE.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/workload_report.py`
    sys.path.insert(0, str(ROOT))

SUBJECTS = ("rlskg", "rlskg-fresh")
ORACLES = ("oxigraph-disk", "oxigraph-mem")
BASELINE = "rlskg-fresh-baseline"  # --baseline: an earlier commit's rlskg serve, evaluating every query
TARGET = 0.90  # issue 15: the evaluation path within 10 % of the bare handler's throughput


@dataclass
class Cell:
    server: str
    shape: str
    concurrency: int
    requests: int = 0  # answered, whatever the status
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
    cache_hits: int | None = None  # rlskg serve's response cache over the cell (/metrics)
    cache_misses: int | None = None
    repeats: float = 0.0  # share of the requests sent that repeat an earlier one of the cell
    wraps: int = 0  # times wrk went round the whole order (its requests then repeat it)
    skipped: str = ""

    @property
    def hit_rate(self) -> float | None:
        if self.cache_hits is None or self.cache_misses is None or not self.cache_hits + self.cache_misses:
            return None
        return self.cache_hits / (self.cache_hits + self.cache_misses)


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
    shapes: list[str] = field(default_factory=list)
    commands: dict[str, str] = field(default_factory=dict)
    ready_seconds: dict[str, float] = field(default_factory=dict)
    idle_memory_kib: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)  # distinct requests of each part
    mix: dict[str, float] = field(default_factory=dict)
    order_length: int = 0  # requests in each shape's order before it wraps
    asked: dict[str, dict[str, str]] = field(default_factory=dict)  # shape -> server -> an example
    # The check before timing: shape -> sample name -> server -> rows (triples for pages) or None
    counts: dict[str, dict[str, dict[str, int | None]]] = field(default_factory=dict)
    failures: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # shape -> server -> why
    restarts: list[str] = field(default_factory=list)  # servers that exited or hung, and when
    cells: list[Cell] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> Run:
        known = {f.name for f in fields(cls)}
        run = cls(**{k: v for k, v in payload.items() if k in known})
        run.cells = [Cell(**cell) for cell in payload.get("cells", [])]
        run.idle_memory_kib = {k: tuple(v) for k, v in run.idle_memory_kib.items()}  # type: ignore[misc]
        return run

    @property
    def levels(self) -> list[int]:
        return sorted({c.concurrency for c in self.cells})

    def cell(self, shape: str, server: str, level: int) -> Cell | None:
        return next(
            (c for c in self.cells if (c.shape, c.server, c.concurrency) == (shape, server, level)), None
        )

    def ratio(self, shape: str, mine: str, theirs: str, level: int, cpu: bool = False) -> float | None:
        """mine's answers per second over theirs' (or CPU per answer, with ``cpu``)."""
        a, b = self.cell(shape, mine, level), self.cell(shape, theirs, level)
        if a is None or b is None or a.skipped or b.skipped:
            return None
        top, bottom = (a.cpu_ms, b.cpu_ms) if cpu else (a.rps, b.rps)
        return top / bottom if top > 0 and bottom > 0 else None


# ---------------------------------------------------------------------------------------------
# Report


def rps_text(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def ratio_text(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}" if value < 0.995 or value == 1 else f"{value:.1%}"


def rps_cell(cell: Cell) -> str:
    text = rps_text(cell.rps)
    return f"{text} ({cell.errors:,} err)" if cell.errors else text


def latency_cell(cell: Cell) -> str:
    return f"{cell.p50_ms:.2f} / {cell.p90_ms:.2f} / {cell.p99_ms:.2f}"


def cpu_cell(cell: Cell) -> str:
    return "" if not cell.cpu_ms else f"{cell.cpu_ms:.3f}" if cell.cpu_ms < 10 else f"{cell.cpu_ms:.1f}"


def memory_cell(cell: Cell) -> str:
    return f"{cell.peak_rss_kib / 1024:,.0f} / {cell.peak_pss_kib / 1024:,.0f}"


def grid(run: Run, text: Callable[[Cell], str]) -> list[str]:
    """A row per (shape, concurrency), a column per server."""
    lines = [
        "| shape | c | " + " | ".join(run.servers) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in run.servers) + " |",
    ]
    for shape in run.shapes:
        for level in run.levels:
            values = []
            for server in run.servers:
                cell = run.cell(shape, server, level)
                values.append("" if cell is None else "skipped" if cell.skipped else text(cell))
            lines.append(f"| {shape} | {level} | " + " | ".join(values) + " |")
    return lines


def ratio_grid(run: Run, columns: list[tuple[str, str, str, bool]]) -> list[str]:
    """A row per (shape, concurrency); columns: (heading, mine, theirs, cpu)."""
    chosen = [c for c in columns if c[1] in run.servers and c[2] in run.servers]
    if not chosen:
        return []
    lines = [
        "| shape | c | " + " | ".join(c[0] for c in chosen) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in chosen) + " |",
    ]
    for shape in run.shapes:
        for level in run.levels:
            values = [
                ratio_text(run.ratio(shape, mine, theirs, level, cpu)) for _, mine, theirs, cpu in chosen
            ]
            lines.append(f"| {shape} | {level} | " + " | ".join(values) + " |")
    return lines


def report(run: Run, chart: Path | None) -> str:
    lines = header(run)
    lines += targets_section(run)
    lines += ["## Answers per second", "", "Successful answers per second (errors in brackets).", ""]
    lines += [*grid(run, rps_cell), ""]
    lines += ratios_section(run)
    lines += before_after_section(run)
    lines += cache_section(run)
    lines += ["## Latency (ms): p50 / p90 / p99", "", *grid(run, latency_cell), ""]
    lines += [
        "## CPU time per answer (ms)",
        "",
        "The server's whole process tree (user + system, from /proc) over the cell, divided by its "
        "successful answers: the steadier figure on a shared machine.",
        "",
        *grid(run, cpu_cell),
        "",
    ]
    lines += [
        "## Peak memory (MiB): RSS / PSS",
        "",
        "Of the server's process tree, sampled every 0.5 s during the cell. RSS counts pages that "
        "forked processes share once per process; PSS shares them out."
        + (
            " rlskg is restarted before each of its cells (its cache starts empty), so its figure is "
            "that of one cell."
            if not run.args.get("keep_cache")
            else ""
        ),
        "",
        *grid(run, memory_cell),
        "",
    ]
    lines += checks_section(run)
    lines += servers_section(run, chart)
    return "\n".join(lines) + "\n"


def header(run: Run) -> list[str]:
    loads = [float(run.load_before.split()[0]), float((run.load_after or "0").split()[0])]
    mix = ", ".join(f"{share:.0%} {part}" for part, share in run.mix.items())
    sizes = run.sizes
    return [
        f"# Workload benchmark: {run.date}",
        "",
        f"Shapes {', '.join(run.shapes)}; concurrency {', '.join(map(str, run.levels))}; "
        f"{run.args['duration']} s per cell; {len(run.servers)} servers in a rotating order; wrk on "
        f"loopback (`{run.versions.get('wrk', 'wrk')}`, {run.args['wrk_threads']} thread). Machine: "
        f"{run.cpus} CPUs; load average (1, 5, 15 min) {run.load_before} before, {run.load_after} after"
        + (
            " — **the machine was shared: compare ratios, not absolute figures**."
            if max(loads) > 1.0
            else "."
        ),
        "",
        f"Requests (bench/workload.py, seed {run.args['seed']}): `lookup`, a label lookup of one of "
        f"{sizes.get('lookup', 0)} labelled IRIs, Zipf s={run.args['zipf']}; `page`, the document of one of "
        f"{sizes.get('page', 0)} of them (those with one), the same law and ranks; `cq`, the "
        f"{sizes.get('cq', 0)} competency questions in a new random order each round; `mix`, {mix}, per "
        f"request. Each shape's order is {run.order_length:,} requests long; every server is sent the "
        "same ones in the same order from the start of it in every cell.",
        "",
        f"`rlskg serve` ran with {run.args.get('rlskg_args') or 'its defaults'}: {run.workers} worker(s) x "
        f"{run.threads} thread(s); bare-flask under the same granian settings. rlskg-fresh sends "
        "`Cache-Control: no-cache` with every request: it evaluates every one. "
        + (
            "rlskg was restarted before each of its cells, so its response cache starts empty and "
            "answers only repeats within the cell."
            if not run.args.get("keep_cache")
            else "rlskg kept its response cache from cell to cell (--keep-cache)."
        )
        + " Versions: "
        + ", ".join(f"{k} {v}" for k, v in run.versions.items() if k != "wrk")
        + ".",
        "",
    ]


def targets_section(run: Run) -> list[str]:
    if "rlskg-fresh" not in run.servers or "bare-flask" not in run.servers:
        return []
    lines = [
        "## Targets",
        "",
        f"Issue 15: the evaluation path (rlskg-fresh) within 10 % of the bare handler's throughput "
        f"(rlskg-fresh ÷ bare-flask answers/s ≥ {TARGET:.2f}) on every shape and concurrency. Beside "
        "it, the same ratio of CPU per answer (what the protocol layer costs, as a multiple of the bare "
        "handler's), and rlskg as shipped.",
        "",
        "| shape | c | rlskg-fresh ÷ bare answers/s | held | rlskg-fresh ÷ bare CPU/answer "
        "| rlskg ÷ bare answers/s |",
        "| --- | ---: | ---: | --- | ---: | ---: |",
    ]
    held = judged = 0
    for shape in run.shapes:
        for level in run.levels:
            ratio = run.ratio(shape, "rlskg-fresh", "bare-flask", level)
            if ratio is not None:
                judged += 1
                held += ratio >= TARGET
            mark = "" if ratio is None else "yes" if ratio >= TARGET else "**no**"
            cost = run.ratio(shape, "rlskg-fresh", "bare-flask", level, cpu=True)
            shipped = run.ratio(shape, "rlskg", "bare-flask", level)
            figures = [ratio_text(ratio), mark, ratio_text(cost), ratio_text(shipped)]
            lines.append(f"| {shape} | {level} | " + " | ".join(figures) + " |")
    return [*lines[:4], f"Held in {held} of {judged} cells.", "", *lines[4:], ""]


def ratios_section(run: Run) -> list[str]:
    columns: list[tuple[str, str, str, bool]] = [
        ("fresh ÷ bare", "rlskg-fresh", "bare-flask", False),
        ("rlskg ÷ bare", "rlskg", "bare-flask", False),
    ]
    for oracle in ORACLES:
        columns += [
            (f"fresh ÷ {oracle}", "rlskg-fresh", oracle, False),
            (f"rlskg ÷ {oracle}", "rlskg", oracle, False),
        ]
    cpu: list[tuple[str, str, str, bool]] = [
        ("fresh ÷ bare", "rlskg-fresh", "bare-flask", True),
        ("rlskg ÷ bare", "rlskg", "bare-flask", True),
    ]
    cpu += [(f"fresh ÷ {oracle}", "rlskg-fresh", oracle, True) for oracle in ORACLES]
    through, cost = ratio_grid(run, columns), ratio_grid(run, cpu)
    lines = []
    if through:
        lines += [
            "## Ratios of answers per second",
            "",
            "Measured in the same run, interleaved.",
            "",
            *through,
            "",
        ]
    if cost:
        lines += [
            "## Ratios of CPU time per answer",
            "",
            "Below 1: cheaper than the other server.",
            "",
            *cost,
            "",
        ]
    return lines


def before_after_section(run: Run) -> list[str]:
    """With --baseline: the evaluation path now against the same path at the earlier commit."""
    columns: list[tuple[str, str, str, bool]] = [
        ("after ÷ before, answers/s", "rlskg-fresh", BASELINE, False),
        ("after ÷ before, CPU/answer", "rlskg-fresh", BASELINE, True),
        ("before ÷ bare, answers/s", BASELINE, "bare-flask", False),
        ("after ÷ bare, answers/s", "rlskg-fresh", "bare-flask", False),
    ]
    table = ratio_grid(run, columns)
    if not table:
        return []
    return [
        "## Before and after",
        "",
        f"rlskg-fresh against `{BASELINE}` (`--baseline`: an earlier commit's `rlskg serve`, run from "
        "its own checkout, every request with no-cache), in the same run.",
        "",
        *table,
        "",
    ]


def cache_section(run: Run) -> list[str]:
    subjects = [s for s in SUBJECTS if s in run.servers]
    if not subjects:
        return []
    headings = {
        "rlskg": ["rlskg hits / misses", "hit rate", "repeats"],
        "rlskg-fresh": ["rlskg-fresh hits / misses"],
    }
    chosen = [heading for s in subjects for heading in headings[s]]
    lines = [
        "## Response cache",
        "",
        "rlskg serve's `rlskg_response_cache_lookups_total` over each cell (read from /metrics before and "
        "after it): hits, misses and the hit rate; *repeats*: the share of the requests wrk sent rlskg that "
        "repeat an earlier request of the cell, the most an empty cache could answer (each worker has its "
        "own cache, so with several workers it answers fewer). rlskg-fresh never looks its cache up: it "
        "should show no hits.",
        "",
        "| shape | c | " + " | ".join(chosen) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in chosen) + " |",
    ]
    wrapped = []
    for shape in run.shapes:
        for level in run.levels:
            values = []
            for subject in subjects:
                cell = run.cell(shape, subject, level)
                counts = (
                    ""
                    if cell is None or cell.cache_hits is None
                    else f"{cell.cache_hits:,} / {cell.cache_misses:,}"
                )
                values.append(counts)
                if subject == "rlskg":
                    values += ["", ""] if cell is None else [pct(cell.hit_rate), pct(cell.repeats)]
            lines.append(f"| {shape} | {level} | " + " | ".join(values) + " |")
    for cell in run.cells:
        if cell.wraps:
            wrapped.append(f"{cell.server} {cell.shape} c={cell.concurrency} ({cell.wraps}x)")
    lines.append("")
    if wrapped:
        lines += [
            "wrk went round the whole order (its later requests repeat it, so the cache could answer "
            "them all; raise --max-rate): " + ", ".join(wrapped) + ".",
            "",
        ]
    return lines


def checks_section(run: Run) -> list[str]:
    lines = ["## Checks and failures", ""]
    failed = [
        f"- {shape}, {server}: "
        + "; ".join(whys[:5])
        + (f" (and {len(whys) - 5} more)" if len(whys) > 5 else "")
        for shape, by_server in run.failures.items()
        for server, whys in by_server.items()
        if whys
    ]
    sampled = {shape: len(names) for shape, names in run.counts.items()}
    lines.append(
        "Each server was sent a sample of each shape ("
        + ", ".join(f"{n} {shape}" for shape, n in sampled.items())
        + "), expecting 200; then the rows (lookups, questions) or the triples (pages: rlskg's document "
        "less the 2 it adds about itself) compared across servers."
    )
    lines.append("")
    lines += failed or ["Every server answered every request of the sample with 200."]
    lines.append("")
    differences = []
    for shape, names in run.counts.items():
        for name, by_server in names.items():
            found = {server: n for server, n in by_server.items() if n is not None}
            if len(set(found.values())) > 1:
                differences.append(
                    f"- {shape} {name}: " + ", ".join(f"{server} {n}" for server, n in found.items())
                )
    lines += differences or ["The servers that answered gave the same counts on every request of the sample."]
    lines.append("")
    skipped = [f"- {c.shape} c={c.concurrency} {c.server}: {c.skipped}" for c in run.cells if c.skipped]
    if skipped:
        lines += ["Cells skipped:", "", *skipped, ""]
    if run.restarts:
        lines += ["Servers restarted during the run (a cell it failed is marked skipped):", ""]
        lines += [f"- {line}" for line in run.restarts]
        lines.append("")
    return lines


def servers_section(run: Run, chart: Path | None) -> list[str]:
    lines = ["## Servers and what each is asked", ""]
    for server in run.servers:
        idle = run.idle_memory_kib.get(server)
        memory = (
            f"; idle {idle[0] / 1024:,.0f} MiB RSS, {idle[1] / 1024:,.0f} MiB PSS, {idle[2]} processes"
            if idle
            else ""
        )
        lines.append(
            f"- **{server}** (ready in {run.ready_seconds.get(server, 0):.2f} s{memory}): "
            f"`{run.commands.get(server, '')}`"
        )
        for shape, example in run.asked.items():
            if server in example:
                lines.append(f"  - {shape}: `{example[server]}`")
    lines.append("")
    if chart:
        lines += [f"![answers per second]({chart.name})", ""]
    lines.append(f"Run time {run.seconds / 60:.1f} min.")
    return lines


# ---------------------------------------------------------------------------------------------
# Chart


def draw(run: Run, path: Path) -> Path | None:
    """Answers per second per shape per server, a panel per concurrency; None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    levels = run.levels
    if not levels:
        return None
    figure, axes = plt.subplots(1, len(levels), figsize=(5.5 * len(levels), 4.5), squeeze=False, sharey=True)
    width = 0.8 / max(len(run.servers), 1)
    values = [c.rps for c in run.cells if c.rps > 0]
    log = bool(values) and max(values) / min(values) > 20
    for axis, level in zip(axes[0], levels, strict=True):
        for number, server in enumerate(run.servers):
            heights = []
            for shape in run.shapes:
                cell = run.cell(shape, server, level)
                heights.append(cell.rps if cell is not None and not cell.skipped else 0.0)
            axis.bar(
                [i + (number - (len(run.servers) - 1) / 2) * width for i in range(len(run.shapes))],
                heights,
                width,
                label=server,
            )
        axis.set_xticks(range(len(run.shapes)), run.shapes)
        axis.set_title(f"c = {level}")
        if log:
            axis.set_yscale("log")
        axis.grid(axis="y", alpha=0.3)
    axes[0][0].set_ylabel("answers per second" + (" (log)" if log else ""))
    axes[0][-1].legend(fontsize="small")
    figure.suptitle(f"rlskg workload benchmark, {run.date} ({run.args['duration']} s per cell)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("json", type=Path, help="a workload-DATE.json that workload_bench.py wrote")
    args = parser.parse_args(argv)
    run = Run.from_json(json.loads(args.json.read_text(encoding="utf-8")))
    chart = draw(run, args.json.with_suffix(".png"))
    text = report(run, chart)
    args.json.with_suffix(".md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
