"""Pure: the issue's targets, each checked against a run's results (PASS, FAIL, or not measured)."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.markdown import SHORT, get, pct

SCALE_TARGET_SIZE = 100_000
QUERY_P50_MS = 150.0
RSS_LIMIT_MB = 2.5 * 1024


@dataclass(frozen=True)
class Target:
    name: str
    goal: str
    measured: str
    passed: bool | None  # None: not measured in this run

    @property
    def status(self) -> str:
        return "not measured" if self.passed is None else "PASS" if self.passed else "FAIL"


def median(values: Sequence[float] | None) -> float | None:
    return statistics.median(values) if values else None


def targets(results: Mapping[str, Any]) -> list[Target]:
    """The issue's targets, each checked against this run's figures."""
    out = []
    methods = get(results, "quality", "methods") or {}
    ours, tutorial = methods.get("ours"), methods.get("tutorial")
    if ours and tutorial:
        gap = (ours["accuracy"] - tutorial["accuracy"]) * 100
        out.append(
            Target(
                "Answer accuracy",
                ">= tutorial + 15 points",
                f"{pct(ours['accuracy'])} vs {pct(tutorial['accuracy'])} ({gap:+.1f} points)",
                gap >= 15,
            )
        )
        others = {k: v["recall_at_5"] for k, v in methods.items() if k != "ours"}
        best = max(others, key=lambda k: others[k])
        out.append(
            Target(
                "Recall@5",
                "above all three baselines",
                f"{pct(ours['recall_at_5'])} vs best baseline {SHORT[best]} {pct(others[best])}",
                ours["recall_at_5"] > others[best],
            )
        )
    else:
        out += [
            Target("Answer accuracy", ">= tutorial + 15 points", "-", None),
            Target("Recall@5", "above all three baselines", "-", None),
        ]

    latency = get(results, "speed", "latency")
    if latency:
        a, b = latency["ours"]["p50"], latency["tutorial"]["p50"]
        measured = f"{a:.1f} ms vs {b:.1f} ms"
        if latency.get("paired"):
            measured += f" (paired median difference {latency['paired']['median_diff_ms']:+.1f} ms)"
        out.append(Target("Warm answer latency p50", "<= tutorial's", measured, a <= b))
    else:
        out.append(Target("Warm answer latency p50", "<= tutorial's", "-", None))

    ingest = get(results, "speed", "ingest")
    if ingest:
        noop, changed = median(ingest["noop_s"]), median(ingest["changed_s"])
        out += [
            Target(
                "Full ingest",
                "<= 1.3x pure embedding time",
                f"{ingest['ratio']:.2f}x",
                ingest["ratio"] <= 1.3,
            ),
            Target(
                "No-op sync",
                "<= 2 s",
                f"{noop:.2f} s (median of {len(ingest['noop_s'])})",
                noop is not None and noop <= 2,
            ),
            Target(
                "Sync after one changed document",
                "<= 3 s",
                f"{changed:.2f} s (median of {len(ingest['changed_s'])})",
                changed is not None and changed <= 3,
            ),
        ]
    else:
        out += [
            Target("Full ingest", "<= 1.3x pure embedding time", "-", None),
            Target("No-op sync", "<= 2 s", "-", None),
            Target("Sync after one changed document", "<= 3 s", "-", None),
        ]

    runs = get(results, "speed", "first_answer", "runs")
    first = median([r["seconds"] for r in runs]) if runs else None
    out.append(
        Target(
            "Process start to first answer",
            "<= 12 s",
            "-" if first is None else f"{first:.1f} s (median of {len(runs)})",
            None if first is None else first <= 12,
        )
    )

    for store in ("embedded", "server"):
        run = _scale_run(results, SCALE_TARGET_SIZE, store)
        label = f"100k chunks, {store}"
        if run is None or "error" in run:
            measured = "-" if run is None else f"not measured: {run['error'][:80]}"
            out += [
                Target(f"Query p50 ({label})", f"<= {QUERY_P50_MS:.0f} ms", measured, None),
                Target(f"RSS ({label})", "<= 2.5 GB", measured, None),
            ]
            continue
        p50 = run["query_ms"]["p50"]
        out.append(
            Target(
                f"Query p50 ({label})",
                f"<= {QUERY_P50_MS:.0f} ms",
                f"{p50:.0f} ms (answer p50 {run['answer_ms']['p50']:.0f} ms)",
                p50 <= QUERY_P50_MS,
            )
        )
        rss = scale_rss(run)
        detail = " (client + Chroma server)" if store == "server" else ""
        out.append(Target(f"RSS ({label})", "<= 2.5 GB", f"{rss / 1024:.2f} GB{detail}", rss <= RSS_LIMIT_MB))
    return out


def scale_rss(run: Mapping[str, Any]) -> float:
    """Peak RSS in MB of a scale run: the worker's (sampled or ru_maxrss), plus the server's in server mode."""
    client = max(run.get("peak_rss_mb") or 0.0, run.get("maxrss_mb") or 0.0)
    server = max(run.get("server_peak_rss_mb") or 0.0, run.get("server_maxrss_mb") or 0.0)
    return float(client + server)


def _scale_run(results: Mapping[str, Any], size: int, store: str) -> Mapping[str, Any] | None:
    for run in get(results, "scale", "runs") or ():
        if run.get("size") == size and run.get("store") == store:
            return run  # type: ignore[no-any-return]
    return None
