"""The scale benchmark's outputs: a Markdown table and a plot of cost against size."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.scale_bench import Measure


def table(measures: list[Measure]) -> str:
    """Markdown: one row per size and store, latencies relative to Oxigraph's server."""
    lines = [
        "| triples | store | load (s) | RSS serving (MiB) | PSS (MiB) | CQ median of medians (ms) "
        "| slowest CQ (ms) | CQs answered | within 1.2x of Oxigraph server | answers differing |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    reference = {m.size: m for m in measures if m.store == "oxigraph-server"}
    for m in measures:
        done = {k: v for k, v in m.latency_ms.items() if v is not None}
        base = reference.get(m.size)
        within = "-"
        if base is not None and done:
            reference_ms = {k: v for k, v in base.latency_ms.items() if v is not None}
            ok = sum(1 for k, v in done.items() if k in reference_ms and v <= 1.2 * reference_ms[k])
            within = f"{ok}/{len(m.latency_ms)}"
        median = f"{statistics.median(done.values()):.1f}" if done else "-"
        slowest = f"{max(done.values()):.0f}" if done else "-"
        answered = f"{len(done)}/{len(m.latency_ms)}" if m.latency_ms else m.note or "-"
        differing = str(sum(1 for line in m.mismatches if line.endswith("rows differ")))
        lines.append(
            f"| {m.size:,} | {m.store} | {m.load_s or '-'} | {m.rss_mib or '-'} | {m.pss_mib or '-'} "
            f"| {median} | {slowest} | {answered} | {within} | {differing} |"
        )
    return "\n".join(lines)


def plot(measures: list[Measure], target: Path) -> None:
    import matplotlib  # type: ignore[import-not-found, unused-ignore]  # the bench extra, not in .[test]

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]

    figure, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for store in dict.fromkeys(m.store for m in measures):
        points = sorted((m for m in measures if m.store == store and m.load_s), key=lambda m: m.size)
        sizes = [m.size for m in points]
        axes[0].plot(sizes, [m.load_s for m in points], marker="o", label=store)
        axes[1].plot(sizes, [m.rss_mib for m in points], marker="o", label=store)
        medians = [
            statistics.median([v for v in m.latency_ms.values() if v] or [float("nan")]) for m in points
        ]
        axes[2].plot(sizes, medians, marker="o", label=store)
    for axis, title in zip(
        axes, ("load until serving (s)", "RSS while serving (MiB)", "CQ latency, median (ms)"), strict=True
    ):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("triples")
        axis.set_title(title)
        axis.grid(True, which="both", alpha=0.3)
    axes[0].legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(target, dpi=110)
