"""The evaluation harness for question sets in the shared/eval format (one JSON object per line).

Answer accuracy: an in-scope answer is correct when, for every expected group, one alternative occurs
in the answer text (case and accents ignored); an out-of-scope question is correct when refused.
Recall@k: every group occurs in the text of the top k chunks. MRR: 1/k for the smallest such k (<= 10).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.analysis import fold
from assistant.citations import Answer
from assistant.errors import InputError

RECALL_DEPTH = 10


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    category: str
    question: str
    expected: tuple[tuple[str, ...], ...]
    persona: str = ""

    @property
    def in_scope(self) -> bool:
        return self.category != "out_of_scope"


@dataclass(frozen=True)
class Result:
    question: Question
    answer: Answer
    correct: bool
    found_at: int | None  # smallest k whose top-k chunks hold every group (None: not within depth)
    seconds: float


@dataclass
class Summary:
    n: int = 0
    accuracy: float = 0.0
    recall_at_5: float | None = 0.0
    recall_at_10: float | None = 0.0
    mrr: float | None = 0.0
    refusal_accuracy: float | None = None
    false_refusal_rate: float | None = None
    median_answer_chars: float = 0.0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def load_questions(path: Path) -> list[Question]:
    """Questions of a JSONL file; a malformed line raises InputError naming the line."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(
                Question(
                    id=str(row["id"]),
                    lang=str(row.get("lang", "")),
                    category=str(row.get("category", "")),
                    question=str(row["question"]),
                    expected=tuple(tuple(str(a) for a in group) for group in row.get("expected") or ()),
                    persona=str(row.get("persona", "")),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{number}: not a question line ({exc}).") from None
    return out


def matches(text: str, expected: Sequence[Sequence[str]]) -> bool:
    """Every group has one alternative in the text, compared without case and accents."""
    folded = fold(text)
    return all(any(fold(alt) in folded for alt in group) for group in expected)


def found_at(
    chunks: Sequence[str], expected: Sequence[Sequence[str]], depth: int = RECALL_DEPTH
) -> int | None:
    if not expected:
        return None
    for k in range(1, min(depth, len(chunks)) + 1):
        if matches("\n".join(chunks[:k]), expected):
            return k
    return None


def run(
    questions: Iterable[Question],
    ask: Callable[[str], Answer],
    retrieve: Callable[[str], Sequence[str]],
) -> list[Result]:
    """Ask every question; `retrieve` gives the ranked chunk texts behind an answer."""
    results = []
    for q in questions:
        start = time.perf_counter()
        answer = ask(q.question)
        seconds = time.perf_counter() - start
        if q.in_scope:
            correct = not answer.refused and matches(answer.text, q.expected)
            rank = found_at(retrieve(q.question), q.expected)
        else:
            correct, rank = answer.refused, None
        results.append(Result(q, answer, correct, rank, seconds))
    return results


def summarise(results: Sequence[Result], by: Sequence[str] = ("category", "lang")) -> Summary:
    summary = _summary(results)
    for key in by:
        for value in sorted({getattr(r.question, key) for r in results}):
            subset = [r for r in results if getattr(r.question, key) == value]
            summary.groups[f"{key}={value}"] = _summary(subset).to_dict() | {"groups": None}
    return summary


def _summary(results: Sequence[Result]) -> Summary:
    if not results:
        return Summary()
    in_scope = [r for r in results if r.question.in_scope]
    oos = [r for r in results if not r.question.in_scope]
    latencies = sorted(r.seconds * 1000 for r in results)
    return Summary(
        n=len(results),
        accuracy=_mean(r.correct for r in results),
        recall_at_5=_mean(r.found_at is not None and r.found_at <= 5 for r in in_scope) if in_scope else None,
        recall_at_10=_mean(r.found_at is not None for r in in_scope) if in_scope else None,
        mrr=_mean(1 / r.found_at if r.found_at else 0.0 for r in in_scope) if in_scope else None,
        refusal_accuracy=_mean(r.answer.refused for r in oos) if oos else None,
        false_refusal_rate=_mean(r.answer.refused for r in in_scope) if in_scope else None,
        median_answer_chars=statistics.median(len(r.answer.text) for r in in_scope) if in_scope else 0.0,
        latency_p50_ms=_percentile(latencies, 50),
        latency_p95_ms=_percentile(latencies, 95),
    )


def _mean(values: Iterable[float | bool]) -> float:
    vals = [float(v) for v in values]
    return sum(vals) / len(vals) if vals else 0.0


def _percentile(sorted_values: Sequence[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def format_table(summary: Summary) -> str:
    """A plain-text table: overall, then per category and language."""
    cols = (
        "n",
        "accuracy",
        "recall_at_5",
        "recall_at_10",
        "mrr",
        "refusal_accuracy",
        "false_refusal_rate",
        "median_answer_chars",
        "latency_p50_ms",
        "latency_p95_ms",
    )
    rows: list[tuple[str, Mapping[str, Any]]] = [("overall", summary.to_dict()), *summary.groups.items()]
    header = f"{'':22}" + "".join(f"{c[:12]:>13}" for c in cols)
    lines = [header]
    for name, data in rows:
        cells = []
        for c in cols:
            v = data.get(c)
            cells.append(f"{'-':>13}" if v is None else f"{v:>13.3f}" if isinstance(v, float) else f"{v:>13}")
        lines.append(f"{name:22}" + "".join(cells))
    return "\n".join(lines)
