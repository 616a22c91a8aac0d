"""The report's charts (matplotlib, Agg backend): quality by method, latency and memory against corpus size."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmarks.markdown import METHODS, SHORT
from benchmarks.targets import QUERY_P50_MS, RSS_LIMIT_MB, scale_rss

# (set, metric, label): what the chart compares, each a share from 0 to 1
QUALITY_METRICS = (
    ("dev", "accuracy", "dev: right"),
    ("dev", "recall_at_5", "dev: recall@5"),
    ("dev2", "accuracy", "dev2: right"),
    ("dev2", "group_share", "dev2: keyword groups"),
    ("dev2", "focus", "dev2: focus"),
    ("dev2", "special", "dev2: gaps and\nrefusals right"),
)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def quality_chart(sets: Mapping[str, Mapping[str, Any]], path: Path) -> None:
    """Grouped bars: one group per metric (of dev or dev2), one bar per method."""
    plt = _pyplot()
    keys = [k for k, _ in METHODS if any(k in s.get("methods", {}) for s in sets.values())]
    fig, ax = plt.subplots(figsize=(9, 4.4), dpi=110)
    width = 0.8 / max(len(keys), 1)
    for i, key in enumerate(keys):
        values = [_metric(sets, name, metric, key) * 100 for name, metric, _ in QUALITY_METRICS]
        xs = [m + (i - (len(keys) - 1) / 2) * width for m in range(len(QUALITY_METRICS))]
        bars = ax.bar(xs, values, width, label=SHORT[key])
        ax.bar_label(bars, fmt="%.0f", fontsize=7, padding=1)
    ax.set_xticks(range(len(QUALITY_METRICS)), [label for _, _, label in QUALITY_METRICS], fontsize=8)
    ax.set_ylabel("%")
    ax.set_ylim(0, 118)
    ax.set_title("Quality on the development sets, by method (same scoring code for all)")
    ax.legend(loc="upper center", fontsize=8, ncols=len(keys), frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def _metric(sets: Mapping[str, Mapping[str, Any]], name: str, metric: str, method: str) -> float:
    m = sets.get(name, {}).get("methods", {}).get(method)
    if not m:
        return 0.0
    if metric == "special":  # gaps and refusals together
        total = m["gaps"] + m["refusals"]
        return (m["gaps_right"] + m["refusals_right"]) / total if total else 0.0
    return float(m.get(metric) or 0.0)


def scale_chart(runs: list[Mapping[str, Any]], path: Path) -> None:
    """Left: query latency (p50 solid, p95 dashed) against chunks; right: peak RSS against chunks."""
    plt = _pyplot()
    ok = [r for r in runs if "error" not in r]
    fig, (lat, mem) = plt.subplots(1, 2, figsize=(10, 4.2), dpi=110)
    for store, colour in (("embedded", "tab:blue"), ("server", "tab:orange")):
        mine = sorted((r for r in ok if r["store"] == store), key=lambda r: r["chunks"])
        if not mine:
            continue
        xs = [r["chunks"] for r in mine]
        lat.plot(xs, [r["query_ms"]["p50"] for r in mine], "o-", color=colour, label=f"query p50, {store}")
        lat.plot(
            xs,
            [r["query_ms"]["p95"] for r in mine],
            "o--",
            color=colour,
            alpha=0.6,
            label=f"query p95, {store}",
        )
        lat.plot(
            xs,
            [r["store_ms"]["p50"] for r in mine],
            "s:",
            color=colour,
            alpha=0.8,
            label=f"store path p50, {store}",
        )
        mem.plot(xs, [scale_rss(r) / 1024 for r in mine], "o-", color=colour, label=store)
    lat.axhline(QUERY_P50_MS, color="grey", linewidth=0.8)
    lat.annotate(
        "target p50",
        (0.02, QUERY_P50_MS),
        xycoords=("axes fraction", "data"),
        fontsize=7,
        va="bottom",
        color="grey",
    )
    mem.axhline(RSS_LIMIT_MB / 1024, color="grey", linewidth=0.8)
    for ax, title, ylabel in (
        (lat, "Query latency", "ms"),
        (mem, "Peak RSS (+ server in server mode)", "GB"),
    ):
        ax.set_xscale("log")
        ax.set_xlabel("chunks in the index")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
