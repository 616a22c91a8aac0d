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
# Issue 12 (answers that answer the question asked): dev2 and dev quality, latency against the tutorial.
DEV2_ACCURACY = 0.90
DEV2_KIND_RIGHT = 5  # of the 6 questions of each kind
DEV2_FOCUS = 0.90
DEV_ACCURACY = 0.95
FALSE_REFUSALS = 0.02  # of the answerable questions of dev and dev2 together
LATENCY_VS_TUTORIAL = 1.2
# "Start-up unchanged": the CPU seconds of process start to first answer (median of 3), before issue
# 12's answerer: `python -m benchmarks --only speed` on commit STARTUP_BEFORE_COMMIT (with this harness,
# which adds the CPU seconds). CPU seconds, not
# wall time: on this shared 2-core machine the wall time follows the load (8.7 s at load 1.6, 11.4 s
# at load 4, 26.7 s at load 6.9), the CPU seconds hardly (9.10 to 9.23 s over three runs at load 6.9).
# Allowed to move within the tolerance.
STARTUP_BEFORE_CPU_S = 9.2
STARTUP_BEFORE_COMMIT = "506a78b"
STARTUP_TOLERANCE = 1.10


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
    out = [*_dev_targets(results), *_dev2_targets(results)]

    latency = get(results, "speed", "latency")
    goal = f"<= {LATENCY_VS_TUTORIAL:g}x the tutorial's"
    if latency:
        a, b = latency["ours"]["p50"], latency["tutorial"]["p50"]
        measured = f"{a:.1f} ms vs {b:.1f} ms ({a / b:.2f}x)"
        if latency.get("paired"):
            measured += f"; paired median difference {latency['paired']['median_diff_ms']:+.1f} ms"
        out.append(Target("Warm answer latency p50", goal, measured, a <= LATENCY_VS_TUTORIAL * b))
    else:
        out.append(Target("Warm answer latency p50", goal, "-", None))

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
    measured = "-" if first is None else f"{first:.1f} s (median of {len(runs)})"
    out.append(
        Target("Process start to first answer", "<= 12 s", measured, None if first is None else first <= 12)
    )
    out.append(_startup_unchanged(runs))

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


def _startup_unchanged(runs: Sequence[Mapping[str, Any]] | None) -> Target:
    limit = STARTUP_BEFORE_CPU_S * STARTUP_TOLERANCE
    goal = (
        f"<= {limit:.1f} CPU s ({STARTUP_BEFORE_CPU_S:.1f} before, on {STARTUP_BEFORE_COMMIT}, "
        f"+{(STARTUP_TOLERANCE - 1) * 100:.0f}%)"
    )
    cpu = median([r["cpu_s"] for r in runs if "cpu_s" in r]) if runs else None
    if cpu is None:
        return Target("Start-up unchanged", goal, "-", None)
    wall = median([r["seconds"] for r in runs])
    return Target(
        "Start-up unchanged",
        goal,
        f"{cpu:.1f} CPU s (median of {len(runs)}; wall {wall:.1f} s)",
        cpu <= limit,
    )


def _dev_targets(results: Mapping[str, Any]) -> list[Target]:
    """The first set's targets: accuracy against the tutorial and on its own, recall against baselines."""
    methods = get(results, "quality", "sets", "dev", "methods") or {}
    ours, tutorial = methods.get("ours"), methods.get("tutorial")
    if not (ours and tutorial):
        return [
            Target("Answer accuracy vs tutorial (dev)", ">= tutorial + 15 points", "-", None),
            Target("Answer accuracy (dev)", f">= {DEV_ACCURACY:.2f}", "-", None),
            Target("Recall@5 (dev)", "above all three baselines", "-", None),
        ]
    gap = (ours["accuracy"] - tutorial["accuracy"]) * 100
    others = {k: v["recall_at_5"] for k, v in methods.items() if k != "ours"}
    best = max(others, key=lambda k: others[k])
    return [
        Target(
            "Answer accuracy vs tutorial (dev)",
            ">= tutorial + 15 points",
            f"{pct(ours['accuracy'])} vs {pct(tutorial['accuracy'])} ({gap:+.1f} points)",
            gap >= 15,
        ),
        Target(
            "Answer accuracy (dev)",
            f">= {DEV_ACCURACY:.2f}",
            f"{ours['accuracy']:.3f} ({ours['correct']}/{ours['n']})",
            ours["accuracy"] >= DEV_ACCURACY,
        ),
        Target(
            "Recall@5 (dev)",
            "above all three baselines",
            f"{pct(ours['recall_at_5'])} vs best baseline {SHORT[best]} {pct(others[best])}",
            ours["recall_at_5"] > others[best],
        ),
    ]


def _dev2_targets(results: Mapping[str, Any]) -> list[Target]:
    """The second set's targets for ours, and false refusals over both sets."""
    ours = get(results, "quality", "sets", "dev2", "methods", "ours")
    names = [
        ("Keyword accuracy (dev2)", f">= {DEV2_ACCURACY:.2f}"),
        ("Every kind (dev2)", f">= {DEV2_KIND_RIGHT}/6 right"),
        ("must_not hits (dev2)", "0"),
        ("Gaps and refusals (dev2)", "6/6 right"),
        ("Focus (dev2)", f">= {DEV2_FOCUS:.2f}"),
        ("False refusals (dev + dev2)", f"<= {FALSE_REFUSALS:.0%} of answerable questions"),
    ]
    if not ours:
        return [Target(name, goal, "-", None) for name, goal in names]
    kinds = {k.split("=", 1)[1]: g for k, g in ours["groups"].items() if k.startswith("kind=")}
    worst = min(kinds, key=lambda k: (kinds[k]["correct"], k)) if kinds else None
    every_kind = all(g["correct"] >= DEV2_KIND_RIGHT * g["n"] / 6 for g in kinds.values())
    special = ours["gaps"] + ours["refusals"]
    right = ours["gaps_right"] + ours["refusals_right"]
    both = [get(results, "quality", "sets", s, "methods", "ours") or {} for s in ("dev", "dev2")]
    refused = sum(m.get("false_refusals", 0) for m in both)
    answerable = sum(m.get("answerable", 0) for m in both)
    rate = refused / answerable if answerable else None
    detail = ", ".join(
        f"{s} {m.get('false_refusals', 0)}/{m.get('answerable', 0)}"
        for s, m in zip(("dev", "dev2"), both, strict=True)
    )
    focus = ours["focus"]
    measured = [
        (f"{ours['accuracy']:.3f} ({ours['correct']}/{ours['n']})", ours["accuracy"] >= DEV2_ACCURACY),
        (
            "-" if worst is None else f"worst: {worst} {kinds[worst]['correct']}/{kinds[worst]['n']}",
            every_kind if kinds else None,
        ),
        (f"{ours['must_not_hits']}", ours["must_not_hits"] == 0),
        (
            f"{right}/{special} (gaps {ours['gaps_right']}/{ours['gaps']}, "
            f"refusals {ours['refusals_right']}/{ours['refusals']})",
            special > 0 and right == special,
        ),
        ("-" if focus is None else f"{focus:.3f}", None if focus is None else focus >= DEV2_FOCUS),
        (
            "-" if rate is None else f"{rate:.1%} ({refused}/{answerable}: {detail})",
            None if rate is None else rate <= FALSE_REFUSALS,
        ),
    ]
    return [Target(name, goal, m, ok) for (name, goal), (m, ok) in zip(names, measured, strict=True)]


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
