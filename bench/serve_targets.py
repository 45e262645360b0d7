"""The serve benchmark targets, judged by serve_report.py for one subject at a time.

A subject is one of the two `rlskg serve` processes of serve_bench.py: "rlskg", the service as
shipped (wrk repeats one query, so it answers from its response cache), and "rlskg-fresh", the
same command with every request carrying `Cache-Control: no-cache` (it evaluates every query).
Each is judged against the peers of the same run, never against the other.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.serve_report import Run, Table

SUBJECTS = {
    "rlskg": "rlskg serve as shipped (repeated queries answered from its response cache)",
    "rlskg-fresh": "rlskg serve evaluating every query (Cache-Control: no-cache)",
}
BEFORE_CACHE = "rlskg serve (a run from before its response cache: it evaluated every query)"
OXIGRAPHS = ("oxigraph-disk", "oxigraph-mem")
# The targets.
OX_SLOW_MS = 1.0  # "where Oxigraph needs more than 1 ms per query"
OX_NEED_SLOW, OX_NEED_FAST = 1.5, 0.25
RDFLIB_NEED, RDFLIB_NEED_HEAVY = 4.0, 30.0
PROTOCOL_NEED = 0.90  # within 10 % of the bare handler
P99_MS = 10.0
COLD_START_S = 3.0


def ms_text(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def ratio_text(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}x" if value >= 100 else f"{value:.1f}x" if value >= 10 else f"{value:.2f}x"


def verdict(held: bool | None) -> str:
    return "-" if held is None else "✓" if held else "✗"


@dataclass(frozen=True)
class Asked:
    """A question as the report sees it: its name and the kind serve_bench found in its algebra."""

    name: str
    kind: str

    @property
    def heavy(self) -> bool:
        """A join, path or aggregate: where the issue asks ≥30x rdflib-endpoint."""
        return self.kind != "lookup"


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


@dataclass
class Judge:
    """The targets for one subject against the peers of a run: verdicts, and a table row per
    question. Throughput is judged at the highest concurrency, p99 at each."""

    run: Run
    table: Table
    subject: str
    verdicts: Verdicts = field(default_factory=Verdicts)

    @property
    def levels(self) -> list[int]:
        return sorted({c.concurrency for c in self.run.cells})

    @property
    def top(self) -> int:
        return max(self.levels)

    @property
    def oxigraphs(self) -> list[str]:
        return [s for s in OXIGRAPHS if s in self.run.servers]

    def cold_start(self) -> bool | None:
        cold = self.run.cold_starts
        median = statistics.median(cold) if cold else float("nan")
        return self.verdicts.add(
            "cold start < 3 s", median < COLD_START_S if cold else None, f"median {median:.2f} s"
        )

    def row(self, q: Asked) -> list[str]:
        mine = self.table.get(q.name, self.subject, self.top)
        ok = mine is not None and mine.ok
        row = [q.name, q.kind]
        for ox in self.oxigraphs:
            row += self.vs_oxigraph(q, ox, ok)
        if "rdflib-endpoint" in self.run.servers:
            row += self.vs_rdflib(q, ok)
        if "bare-flask" in self.run.servers:
            row += self.vs_bare(q, ok)
        return [*row, *self.p99s(q), self.errors(q)]

    def vs_oxigraph(self, q: Asked, ox: str, ok: bool) -> list[str]:
        """The need depends on how long Oxigraph takes: its p50 at c=1."""
        top = self.top
        ox_cell = self.table.get(q.name, ox, 1) or self.table.get(q.name, ox, top)
        ox_ms = ox_cell.p50_ms if ox_cell and ox_cell.ok else None
        ratio = self.table.ratio(q.name, self.subject, ox, top)
        need = (OX_NEED_SLOW if ox_ms > OX_SLOW_MS else OX_NEED_FAST) if ox_ms is not None else None
        held = None if ratio is None or need is None else ok and ratio >= need
        self.verdicts.add(f"vs {ox} (c={top})", held, f"{q.name}: {ratio_text(ratio)} (need {need}x)")
        return [
            ms_text(ox_ms) if ox_ms is not None else "n/a",
            self.table.ratio_cell(q.name, self.subject, ox, top),
            f"≥{need:g}x {verdict(held)}" if need else "-",
        ]

    def vs_rdflib(self, q: Asked, ok: bool) -> list[str]:
        top, peer = self.top, "rdflib-endpoint"
        ratio = self.table.ratio(q.name, self.subject, peer, top)
        need = RDFLIB_NEED_HEAVY if q.heavy else RDFLIB_NEED
        if ratio is None and self.table.get(q.name, peer, top) is not None and ok:
            held: bool | None = True  # the subject answers where rdflib-endpoint does not
        else:
            held = None if ratio is None else ok and ratio >= need
        self.verdicts.add(f"vs {peer} (c={top})", held, f"{q.name}: {ratio_text(ratio)} (need {need:g}x)")
        return [self.table.ratio_cell(q.name, self.subject, peer, top), f"≥{need:g}x {verdict(held)}"]

    def vs_bare(self, q: Asked, ok: bool) -> list[str]:
        top = self.top
        ratio = self.table.ratio(q.name, self.subject, "bare-flask", top)
        held = None if ratio is None else ok and ratio >= PROTOCOL_NEED
        self.verdicts.add(f"protocol within 10% of bare (c={top})", held, f"{q.name}: {ratio_text(ratio)}")
        return [
            self.table.ratio_cell(q.name, self.subject, "bare-flask", top),
            f"≥{PROTOCOL_NEED:.2f}x {verdict(held)}",
        ]

    def p99s(self, q: Asked) -> list[str]:
        texts = []
        for level in self.levels:
            cell = self.table.get(q.name, self.subject, level)
            held = None if cell is None else cell.ok and cell.p99_ms < P99_MS
            self.verdicts.add(
                f"p99 < 10 ms (c={level})", held, f"{q.name}: {ms_text(cell.p99_ms) if cell else '?'} ms"
            )
            texts.append(f"{ms_text(cell.p99_ms) if cell and not cell.skipped else 'ERR'} {verdict(held)}")
        return texts

    def errors(self, q: Asked) -> str:
        cells = [c for c in self.run.cells if c.question == q.name and c.server == self.subject]
        errors = sum(c.errors for c in cells)
        failed = self.run.failures.get(q.name, {}).get(self.subject)
        return str(errors) if errors or not failed else "ERR"

    def head(self) -> list[str]:
        head = ["question", "kind"]
        for ox in self.oxigraphs:
            head += [f"{ox} ms", f"÷{ox}", "target"]
        if "rdflib-endpoint" in self.run.servers:
            head += ["÷rdflib", "target"]
        if "bare-flask" in self.run.servers:
            head += ["÷bare", "target"]
        return [*head, *[f"{self.subject} p99 ms c={lv}" for lv in self.levels], f"{self.subject} errors"]


def title(run: Run, subject: str) -> str:
    """What the subject measured; "rlskg" of a run from before the response cache evaluated."""
    return BEFORE_CACHE if subject == "rlskg" and not run.response_cache else SUBJECTS[subject]


def subject_section(judge: Judge, chosen: list[Asked], cold_start: bool) -> list[str]:
    """One subject's targets held (with the cold start if `cold_start`), its misses, and its
    per-question table of ratios and targets."""
    held_cold = judge.cold_start() if cold_start else None
    rows = ["| " + " | ".join(judge.row(q)) + " |" for q in chosen]  # judges every question
    head = judge.head()
    return [
        *held(judge, chosen[0].name, held_cold),
        f"### Ratios and targets, per question: {judge.subject}",
        "",
        ratios_intro(judge),
        "",
        "| " + " | ".join(head) + " |",
        "| " + " | ".join(["---", "---"] + ["---:"] * (len(head) - 2)) + " |",
        *rows,
        "",
    ]


def held(judge: Judge, first: str, held_cold: bool | None) -> list[str]:
    """The table of targets held, the cold start (judged if `held_cold` is not None), the misses."""
    lines = [f"## Targets held: {title(judge.run, judge.subject)}", "", "| target | held |", "| --- | --- |"]
    for target, (count, judged) in judge.verdicts.counts.items():
        lines.append(f"| {target} | {count} of {judged} {'✓' if count == judged else '✗'} |")
    lines.append("")
    cold = judge.run.cold_starts
    if held_cold is not None:
        lines += [
            f"Cold start of `rlskg serve` (process start to the first SPARQL JSON answer to `{first}`), "
            f"{len(cold)} start(s): median {statistics.median(cold):.2f} s, min {min(cold):.2f} s, "
            f"max {max(cold):.2f} s {verdict(held_cold)}.",
            "",
        ]
    misses = [f"- missed, {target}: " + "; ".join(why) for target, why in judge.verdicts.misses.items()]
    return [*lines, *misses, ""] if misses else lines


def ratios_intro(judge: Judge) -> str:
    subject, top = judge.subject, judge.top
    cached = subject == "rlskg" and judge.run.response_cache
    return (
        f"Ratios are {subject}'s successful answers per second over the other server's at c={top}, in "
        f'the same run (the requests-per-second table below has c=1 too). "oxigraph ms" is that Oxigraph '
        f"server's median latency at c=1, which sets the Oxigraph target (≥{OX_NEED_SLOW}x above "
        f"{OX_SLOW_MS:g} ms, ≥{OX_NEED_FAST}x below). "
        f"rdflib-endpoint: ≥{RDFLIB_NEED:g}x on every query, ≥{RDFLIB_NEED_HEAVY:g}x on joins, paths and "
        f"aggregates (kind: joi = join, pat = property path, agg = aggregate). "
        f"p99 is {subject}'s, < {P99_MS:g} ms."
        + (
            " rlskg answers the repeated query from its response cache: these ratios set its cache hits "
            "against the other servers' evaluations."
            if cached
            else ""
        )
    )
