"""Pure: Markdown tables and cells (percentages, milliseconds, megabytes, load averages), method labels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

METHODS = (
    ("ours", "Ours (hybrid retrieval + offline answerer)"),
    ("tutorial", "LangChain tutorial (1000/200 splits, Chroma top-4, retrieved text as answer)"),
    ("bm25", "BM25 only (our offline answerer over plain BM25 hits)"),
    ("dense", "Dense only (our offline answerer over dense hits)"),
)
MODES = (
    ("hybrid", "hybrid (ours: dense + BM25 + expansions, fused)"),
    ("lexical", "lexical (BM25 + glossary and place expansions)"),
    ("bm25", "plain BM25 (the BM25-only baseline)"),
    ("dense", "dense only"),
)
SHORT = {"ours": "ours", "tutorial": "tutorial", "bm25": "BM25 only", "dense": "dense only"}


def get(data: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping) or key not in data:
            return None
        data = data[key]
    return data


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += [
        "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in row) + " |" for row in rows
    ]
    return "\n".join(lines)


def pct(x: float | None) -> str:
    return "-" if x is None else f"{x * 100:.1f}%"


def ms(x: float) -> str:
    return f"{x:.0f} ms"


def mb(x: float | None) -> str:
    return "-" if not x else f"{x:.0f} MB"


def p50_p95(stats: Mapping[str, float]) -> str:
    return f"{stats['p50']:.0f} / {stats['p95']:.0f}"


def load_range(loads: Sequence[Sequence[float]] | None) -> str:
    """The 1-minute load average before and after a measure: "0.4 -> 1.2"."""
    return " -> ".join(f"{load[0]:.1f}" for load in loads) if loads else "-"


def loads(loads: Sequence[Sequence[float] | None] | None) -> str:
    shown = [" / ".join(f"{x:.2f}" for x in load) for load in loads or () if load]
    return " then ".join(shown) if shown else "-"


def measured(part: Mapping[str, Any]) -> str:
    """When a part was measured and the load then (parts of one report may come from different runs)."""
    stamp = part.get("measured")
    if not stamp:
        return ""
    return f"*Measured {stamp['date']}; load average then {loads([stamp['load']])} (2 cores).*\n"
