"""The report of serve_bench.py: markdown tables, the targets of issue 4 item 9, and a chart.

Also re-renders a report from the JSON file a run wrote, without measuring again:

    python bench/serve_report.py bench/results/serve-DATE.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

OXIGRAPHS = ("oxigraph-disk", "oxigraph-mem")
# The targets.
OXIGRAPHS = ("oxigraph-disk", "oxigraph-mem")
# The targets.
OX_SLOW_MS = 1.0  # "where Oxigraph needs more than 1 ms per query"
OX_NEED_SLOW, OX_NEED_FAST = 1.5, 0.25
RDFLIB_NEED, RDFLIB_NEED_HEAVY = 4.0, 30.0
PROTOCOL_NEED = 0.90  # within 10 % of the bare handler
P99_MS = 10.0
COLD_START_S = 3.0


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
    cells: list[Cell] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> Run:
        known = {f.name for f in fields(cls)}
        run = cls(**{k: v for k, v in payload.items() if k in known})
        run.cells = [Cell(**cell) for cell in payload.get("cells", [])]
        run.idle_memory_kib = {k: tuple(v) for k, v in run.idle_memory_kib.items()}  # type: ignore[misc]
        return run


@dataclass(frozen=True)
class Asked:
    """A question as the report sees it: its name and the kind serve_bench found in its algebra."""

    name: str
    kind: str

    @property
    def heavy(self) -> bool:
        """A join, path or aggregate: where the issue asks ≥30x rdflib-endpoint."""
        return self.kind != "lookup"


# ---------------------------------------------------------------------------------------------
# Report


def rps_text(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.1f}"
    return f"{value:.2f}"


def ms_text(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def ratio_text(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}x" if value >= 100 else f"{value:.1f}x" if value >= 10 else f"{value:.2f}x"


def verdict(held: bool | None) -> str:
    return "-" if held is None else "✓" if held else "✗"


class Table:
    def __init__(self, cells: list[Cell]) -> None:
        self.by_key = {(c.question, c.server, c.concurrency): c for c in cells}

    def get(self, question: str, server: str, concurrency: int) -> Cell | None:
        return self.by_key.get((question, server, concurrency))

    def rps(self, question: str, server: str, concurrency: int) -> str:
        cell = self.get(question, server, concurrency)
        if cell is None:
            return ""
        if cell.skipped:
            return "ERR"
        if cell.requests == 0:
            return f"none in {cell.seconds:.0f} s"
        text = rps_text(cell.rps)
        return f"{text} ({cell.errors} err)" if cell.errors else text

    def ratio(self, question: str, server: str, concurrency: int) -> float | None:
        mine, theirs = self.get(question, "rlskg", concurrency), self.get(question, server, concurrency)
        if mine is None or theirs is None or theirs.skipped or theirs.rps <= 0:
            return None
        return mine.rps / theirs.rps

    def ratio_cell(self, question: str, server: str, concurrency: int) -> str:
        """The ratio as text; "they failed" where the other server failed the question."""
        theirs = self.get(question, server, concurrency)
        if theirs is not None and theirs.skipped:
            return "they failed"
        if theirs is not None and theirs.rps <= 0:
            return "they: none" if not theirs.errors else "they: errors"
        return ratio_text(self.ratio(question, server, concurrency))


@dataclass
class Verdicts:
    """Per target: (held, judged) counts, and the misses with their ratio and need."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)

    def add(self, target: str, held: bool | None, miss: str) -> bool | None:
        if held is None:
            return None
        count = self.counts.setdefault(target, [0, 0])
        count[0] += int(held)
        count[1] += 1
        if not held:
            self.misses.setdefault(target, []).append(miss)
        return held


def report(run: Run, chart: Path | None) -> str:
    chosen = [Asked(name, kind) for name, kind in run.questions.items()]
    table = Table(run.cells)
    servers = run.servers
    levels = sorted({c.concurrency for c in run.cells})
    top = max(levels)
    lines: list[str] = []
    out = lines.append
    out(f"# rlskg serve against its peers: {run.date}")
    out("")
    out(
        f"{len(chosen)} competency questions, {len(servers)} servers, "
        f"concurrency {', '.join(map(str, levels))}, "
        f"{run.args['duration']} s per cell, wrk on loopback (`{run.versions.get('wrk', 'wrk')}`, "
        f"{run.args['wrk_threads']} thread). Machine: {run.cpus} CPUs; load average (1, 5, 15 min) "
        f"{run.load_before} before, {run.load_after} after"
        + (
            " — **the machine was shared: absolute figures are noisy, compare ratios**."
            if max(float(run.load_before.split()[0]), float(run.load_after.split()[0] or 0)) > 1.0
            else "."
        )
    )
    out("")
    extra = run.args.get("rlskg_args")
    options = f"`{extra}`" if extra else "its defaults"
    out(
        f"`rlskg serve` ran with {options}: {run.workers} worker(s) x {run.threads} thread(s); "
        f"the bare handler under the same granian settings. Versions: "
        + ", ".join(f"{k} {v}" for k, v in run.versions.items() if k != "wrk")
        + "."
    )
    out("")
    cold = run.cold_starts
    verdicts = Verdicts()
    cold_held = verdicts.add(
        "cold start < 3 s",
        bool(cold) and statistics.median(cold) < COLD_START_S,
        f"median {statistics.median(cold) if cold else float('nan'):.2f} s",
    )

    # Targets, per question
    oxigraphs = [s for s in OXIGRAPHS if s in servers]
    target_rows: list[str] = []
    for q in chosen:
        name = q.name
        mine = table.get(name, "rlskg", top)
        mine_ok = mine is not None and mine.ok
        row = [name, q.kind]
        # vs Oxigraph server: the need depends on how long Oxigraph takes (its p50 at c=1)
        for ox in oxigraphs:
            ox_cell = table.get(name, ox, 1) or table.get(name, ox, top)
            ox_ms = ox_cell.p50_ms if ox_cell and ox_cell.ok else None
            ox_ratio = table.ratio(name, ox, top)
            ox_need = (OX_NEED_SLOW if ox_ms > OX_SLOW_MS else OX_NEED_FAST) if ox_ms is not None else None
            ox_held = None if ox_ratio is None or ox_need is None else mine_ok and ox_ratio >= ox_need
            verdicts.add(f"vs {ox} (c={top})", ox_held, f"{name}: {ratio_text(ox_ratio)} (need {ox_need}x)")
            row += [
                ms_text(ox_ms) if ox_ms is not None else "n/a",
                table.ratio_cell(name, ox, top),
                f"≥{ox_need:g}x {verdict(ox_held)}" if ox_need else "-",
            ]
        # vs rdflib-endpoint
        if "rdflib-endpoint" in servers:
            rd_ratio = table.ratio(name, "rdflib-endpoint", top)
            rd_need = RDFLIB_NEED_HEAVY if q.heavy else RDFLIB_NEED
            rd_cell = table.get(name, "rdflib-endpoint", top)
            if rd_ratio is None and rd_cell is not None and mine_ok:
                rd_held: bool | None = True  # rlskg answers where rdflib-endpoint does not
            else:
                rd_held = None if rd_ratio is None else mine_ok and rd_ratio >= rd_need
            verdicts.add(
                f"vs rdflib-endpoint (c={top})",
                rd_held,
                f"{name}: {ratio_text(rd_ratio)} (need {rd_need:g}x)",
            )
            row += [table.ratio_cell(name, "rdflib-endpoint", top), f"≥{rd_need:g}x {verdict(rd_held)}"]
        # protocol overhead
        if "bare-flask" in servers:
            bare_ratio = table.ratio(name, "bare-flask", top)
            bare_held = None if bare_ratio is None else mine_ok and bare_ratio >= PROTOCOL_NEED
            verdicts.add(
                f"protocol within 10% of bare (c={top})", bare_held, f"{name}: {ratio_text(bare_ratio)}"
            )
            row += [table.ratio_cell(name, "bare-flask", top), f"≥{PROTOCOL_NEED:.2f}x {verdict(bare_held)}"]
        # p99
        for level in levels:
            cell = table.get(name, "rlskg", level)
            held = None if cell is None else cell.ok and cell.p99_ms < P99_MS
            verdicts.add(
                f"p99 < 10 ms (c={level})", held, f"{name}: {ms_text(cell.p99_ms) if cell else '?'} ms"
            )
            row.append(f"{ms_text(cell.p99_ms) if cell and not cell.skipped else 'ERR'} {verdict(held)}")
        errors = sum(c.errors for c in run.cells if c.question == name and c.server == "rlskg")
        row.append(str(errors) if errors or not run.failures[name].get("rlskg") else "ERR")
        target_rows.append("| " + " | ".join(row) + " |")

    out("## Targets held")
    out("")
    out("| target | held |")
    out("| --- | --- |")
    for target, (count, judged) in verdicts.counts.items():
        out(f"| {target} | {count} of {judged} {'✓' if count == judged else '✗'} |")
    out("")
    if cold:
        out(
            f"Cold start of `rlskg serve` (process start to the first SPARQL JSON answer to "
            f"`{chosen[0].name}`), {len(cold)} start(s): median {statistics.median(cold):.2f} s, "
            f"min {min(cold):.2f} s, max {max(cold):.2f} s {verdict(cold_held)}."
        )
        out("")
    for target, misses in verdicts.misses.items():
        out(f"- missed, {target}: " + "; ".join(misses))
    out("")

    level_heads = [f"c={level}" for level in levels]
    out("## Ratios and targets, per question")
    out("")
    out(
        f"Ratios are rlskg's successful answers per second over the other server's at c={top}, in the "
        f'same run (the requests-per-second table below has c=1 too). "oxigraph ms" is that Oxigraph '
        f"server's median latency at c=1, which sets the Oxigraph target (≥{OX_NEED_SLOW}x above "
        f"{OX_SLOW_MS:g} ms, ≥{OX_NEED_FAST}x below). "
        f"rdflib-endpoint: ≥{RDFLIB_NEED:g}x on every query, ≥{RDFLIB_NEED_HEAVY:g}x on joins, paths and "
        f"aggregates (kind: joi = join, pat = property path, agg = aggregate). "
        f"p99 is rlskg's, < {P99_MS:g} ms."
    )
    out("")
    head = ["question", "kind"]
    for ox in oxigraphs:
        head += [f"{ox} ms", f"÷{ox}", "target"]
    if "rdflib-endpoint" in servers:
        head += ["÷rdflib", "target"]
    if "bare-flask" in servers:
        head += ["÷bare", "target"]
    head += [*[f"rlskg p99 ms {h}" for h in level_heads], "rlskg errors"]
    out("| " + " | ".join(head) + " |")
    out("| " + " | ".join(["---", "---"] + ["---:"] * (len(head) - 2)) + " |")
    lines.extend(target_rows)
    out("")

    out("## Requests per second")
    out("")
    out("Successful answers per second; ERR: the server failed the question (see Failures).")
    out("")
    head = ["question", *[f"{s} {h}" for s in servers for h in level_heads]]
    out("| " + " | ".join(head) + " |")
    out("| " + " | ".join(["---"] + ["---:"] * (len(head) - 1)) + " |")
    for q in chosen:
        out("| " + " | ".join([q.name, *[table.rps(q.name, s, lv) for s in servers for lv in levels]]) + " |")
    out("")

    out("## CPU time per answer (ms)")
    out("")
    out(
        "The server's whole process tree (user + system, from /proc) over a cell, divided by its successful "
        "answers: it does not depend on how much CPU other work on the machine left to the server, so on a "
        'shared machine it is the steadier measure of cost. "rlskg ÷ bare" is the protocol layer\'s cost as '
        "a multiple of the bare handler's."
    )
    out("")
    head = ["question", *[f"{s} {h}" for s in servers for h in level_heads]]
    if "bare-flask" in servers:
        head += [f"rlskg ÷ bare {h}" for h in level_heads]
    out("| " + " | ".join(head) + " |")
    out("| " + " | ".join(["---"] + ["---:"] * (len(head) - 1)) + " |")
    cost_ratios: list[float] = []
    for q in chosen:
        values = []
        for s in servers:
            for lv in levels:
                cell = table.get(q.name, s, lv)
                values.append(
                    ""
                    if cell is None
                    else "ERR"
                    if cell.skipped or not cell.cpu_ms
                    else f"{cell.cpu_ms:.3f}"
                    if cell.cpu_ms < 10
                    else f"{cell.cpu_ms:.1f}"
                )
        if "bare-flask" in servers:
            for lv in levels:
                mine, bare = table.get(q.name, "rlskg", lv), table.get(q.name, "bare-flask", lv)
                if mine and bare and mine.cpu_ms and bare.cpu_ms:
                    values.append(f"{mine.cpu_ms / bare.cpu_ms:.2f}x")
                    if lv == top:
                        cost_ratios.append(mine.cpu_ms / bare.cpu_ms)
                else:
                    values.append("n/a")
        out("| " + " | ".join([q.name, *values]) + " |")
    if cost_ratios:
        out("")
        out(
            f"Median over the questions of rlskg's CPU per answer over the bare handler's at c={top}: "
            f"{statistics.median(cost_ratios):.2f}x (range {min(cost_ratios):.2f}x-{max(cost_ratios):.2f}x)."
        )
    out("")

    out("## Latency, p50 / p99 (ms)")
    out("")
    head = ["question", *[f"{s} {h}" for s in servers for h in level_heads]]
    out("| " + " | ".join(head) + " |")
    out("| " + " | ".join(["---"] + ["---:"] * (len(head) - 1)) + " |")
    for q in chosen:
        values = []
        for s in servers:
            for lv in levels:
                cell = table.get(q.name, s, lv)
                values.append(
                    ""
                    if cell is None
                    else "ERR"
                    if cell.skipped
                    else f"{ms_text(cell.p50_ms)} / {ms_text(cell.p99_ms)}"
                )
        out("| " + " | ".join([q.name, *values]) + " |")
    out("")

    out("## Memory")
    out("")
    out(
        "Summed over each server's process tree from /proc: RSS counts pages that forked processes share "
        "once per process (rlskg's evaluator children, granian's workers), PSS shares them out."
    )
    out("")
    out(
        "| server | processes | RSS idle MiB | PSS idle MiB | peak RSS under load MiB | peak PSS MiB "
        "| ready in s |"
    )
    out("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in servers:
        rss, pss, count = run.idle_memory_kib.get(s, (0, 0, 0))
        peak_rss = max((c.peak_rss_kib for c in run.cells if c.server == s), default=0)
        peak_pss = max((c.peak_pss_kib for c in run.cells if c.server == s), default=0)
        out(
            f"| {s} | {count} | {rss / 1024:.0f} | {pss / 1024:.0f} | {peak_rss / 1024:.0f} | "
            f"{peak_pss / 1024:.0f} | {run.ready_seconds.get(s, 0):.2f} |"
        )
    out("")

    failures = [(name, s, why) for name, by in run.failures.items() for s, why in by.items()]
    erred = [c for c in run.cells if c.errors and not c.skipped]
    mismatches = []
    for q in chosen:
        counts = {s: r for s, r in run.rows.get(q.name, {}).items() if r is not None}
        if len(set(counts.values())) > 1:
            mismatches.append(f"{q.name}: " + ", ".join(f"{s} {r}" for s, r in counts.items()))
    out("## Failures and differences")
    out("")
    idle = [c for c in run.cells if not c.skipped and c.requests == 0]
    if not failures and not erred and not mismatches and not idle:
        out("Every server answered every question with 200 and SPARQL JSON, with the same number of rows.")
    for name, s, why in failures:
        out(f"- {s} failed {name} before timing: {why}")
    for c in erred:
        out(f"- {c.server}, {c.question}, c={c.concurrency}: {c.errors} errors in {c.requests} requests")
    for c in run.cells:
        if not c.skipped and c.requests == 0 and not c.errors:
            out(
                f"- {c.server}, {c.question}, c={c.concurrency}: "
                f"no answer completed in the cell's {c.seconds:.0f} s"
            )
    for line in mismatches:
        out(f"- rows differ, {line}")
    out("")
    out("## Servers")
    out("")
    for s, command in run.commands.items():
        out(f"- {s}: `{command}`")
    out("")
    if chart:
        out(f"Chart: `{chart.name}` (requests per second per question at c={top}, log scale).")
        out("")
    out(f"Whole run: {run.seconds / 60:.1f} min. Raw figures: the .json file beside this one.")
    return "\n".join(lines) + "\n"


def draw(run: Run, path: Path) -> Path | None:
    """A bar chart of requests per second per question and server, at the highest concurrency."""
    chosen = list(run.questions)
    if not run.cells:
        return None
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
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
