"""The evaluation harness for question sets in the shared/eval format (one JSON object per line).

One scoring code for every system: a system is a callable (question, history) -> reply, where the reply
is an `Answer` (ours) or plain text (a baseline); only the text the user reads is judged, never a
status flag. Per question type (`answer_type`, or "refusal" for the category `out_of_scope`):
- answer: right when every expected group has an alternative in the text, no `must_not` string occurs,
  and the reply does not open with a refusal or a "not documented" statement;
- gap: right when the reply says up front that the documentation does not give it (`verdicts`), with
  no `must_not` string;
- refusal: right when the reply refuses or says no such office exists (`verdicts`), with no `must_not`.
Keywords and `must_not` compare `normalise`d text as plain substrings (NFKD, combining marks dropped,
lower case: shared/eval/README.md). Recall@k: every group occurs in the text of the top k chunks; MRR:
1/k for the smallest such k (<= 10). Focus: `assistant.focus`, for questions with a reference answer.
"""

from __future__ import annotations

import json
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.citations import Answer
from assistant.errors import InputError
from assistant.focus import FocusScore, FocusScorer
from assistant.verdicts import opens_with_non_answer, states_gap, states_refusal

RECALL_DEPTH = 10
ANSWER_TYPES = ("answer", "gap", "refusal")
ROLES = ("user", "assistant")

History = Sequence[Mapping[str, str]]
Reply = Answer | str
Ask = Callable[[str, History], Reply]


@dataclass(frozen=True)
class Question:
    """One question of a set, as its file gives it (older sets: no kind, history, must_not, reference)."""

    id: str
    lang: str
    category: str
    question: str
    expected: tuple[tuple[str, ...], ...]
    persona: str = ""
    kind: str = ""
    history: tuple[tuple[str, str], ...] = ()  # (role, content) turns before the question
    must_not: tuple[str, ...] = ()
    answer_type: str = ""  # "answer", "gap" or "refusal"; empty: from the category
    reference: str = ""

    def __post_init__(self) -> None:
        if not self.answer_type:
            derived = "refusal" if self.category == "out_of_scope" else "answer"
            object.__setattr__(self, "answer_type", derived)

    @property
    def answerable(self) -> bool:
        return self.answer_type == "answer"

    @property
    def turns(self) -> list[dict[str, str]]:
        """The history as the assistant takes it: [{"role": ..., "content": ...}, ...]."""
        return [{"role": role, "content": content} for role, content in self.history]

    @property
    def group_key(self) -> str:
        """What the question is grouped by in a report: its kind, or its category for older sets."""
        return self.kind or self.category


@dataclass(frozen=True)
class Result:
    """One question, the reply's text (and our `Answer`, when the system is ours) and its scores."""

    question: Question
    text: str
    answer: Answer | None
    correct: bool
    failed_groups: tuple[tuple[str, ...], ...] = ()
    must_not_hits: tuple[str, ...] = ()
    gap_statement: bool = False
    refusal_statement: bool = False
    non_answer: bool = False  # opens with a refusal or "not documented"
    focus: FocusScore | None = None
    found_at: int | None = None  # smallest k whose top-k chunks hold every group (None: not within depth)
    retrieved: bool = False  # found_at was measured
    seconds: float = 0.0

    @property
    def groups_passed(self) -> int:
        return len(self.question.expected) - len(self.failed_groups)

    @property
    def false_refusal(self) -> bool:
        return self.question.answerable and self.non_answer


@dataclass
class Summary:
    n: int = 0
    answerable: int = 0
    correct: int = 0
    accuracy: float = 0.0
    group_share: float | None = None  # mean share of expected groups present, answerable questions
    must_not_hits: int = 0  # replies containing a must_not string
    gaps: int = 0
    gaps_right: int = 0
    gap_accuracy: float | None = None
    refusals: int = 0
    refusals_right: int = 0
    refusal_accuracy: float | None = None
    false_refusals: int = 0
    false_refusal_rate: float | None = None
    focus: float | None = None  # mean per-reply focus share, questions with a reference answer
    median_answer_chars: float | None = None  # replies to answerable questions
    recall_at_5: float | None = None
    recall_at_10: float | None = None
    mrr: float | None = None
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# --- question files ---------------------------------------------------------------------------------


def load_questions(path: Path) -> list[Question]:
    """Questions of a JSONL file; a malformed line raises InputError naming the file and line."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(_question(json.loads(line)))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}:{number}: not a question line ({exc}).") from None
    return out


def load_sets(paths: Sequence[Path], *, kind: str | None = None) -> dict[Path, list[Question]]:
    """The questions of each file (only those of `kind`, when given); every file is checked first."""
    for path in paths:
        if not path.is_file():
            raise InputError(
                f"No question file at {path}. Give JSONL files in the shared/eval format, "
                "e.g. tests/data/dev.jsonl tests/data/dev2.jsonl."
            )
    sets = {path: load_questions(path) for path in paths}
    if kind is None:
        return sets
    chosen = {path: [q for q in questions if q.group_key == kind] for path, questions in sets.items()}
    if not any(chosen.values()):
        kinds = sorted({q.group_key for questions in sets.values() for q in questions})
        raise InputError(f"No question of kind {kind!r} in these files. Kinds there: {', '.join(kinds)}.")
    return chosen


def _question(row: Mapping[str, Any]) -> Question:
    answer_type = str(row.get("answer_type") or "")
    if answer_type and answer_type not in ANSWER_TYPES:
        raise ValueError(f"answer_type {answer_type!r} is not one of {', '.join(ANSWER_TYPES)}")
    history = tuple((str(turn["role"]), str(turn["content"])) for turn in row.get("history") or ())
    for role, _ in history:
        if role not in ROLES:
            raise ValueError(f"history role {role!r} is not one of {', '.join(ROLES)}")
    return Question(
        id=str(row["id"]),
        lang=str(row.get("lang", "")),
        category=str(row.get("category", "")),
        question=str(row["question"]),
        expected=tuple(tuple(str(a) for a in group) for group in row.get("expected") or ()),
        persona=str(row.get("persona", "")),
        kind=str(row.get("kind") or ""),
        history=history,
        must_not=tuple(str(s) for s in row.get("must_not") or ()),
        answer_type=answer_type,
        reference=str(row.get("reference") or ""),
    )


# --- scoring ----------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """How keywords are compared (shared/eval/README.md): NFKD, combining marks dropped, lower case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def failed_groups(text: str, expected: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """The expected groups none of whose alternatives occurs in the text."""
    folded = normalise(text)
    return tuple(tuple(group) for group in expected if not any(normalise(a) in folded for a in group))


def matches(text: str, expected: Sequence[Sequence[str]]) -> bool:
    """Every group has one alternative in the text, compared without case and accents."""
    return not failed_groups(text, expected)


def must_not_hits(text: str, must_not: Iterable[str]) -> tuple[str, ...]:
    """The forbidden strings that occur in the text (same comparison as keywords)."""
    folded = normalise(text)
    return tuple(s for s in must_not if normalise(s) in folded)


def found_at(
    chunks: Sequence[str], expected: Sequence[Sequence[str]], depth: int = RECALL_DEPTH
) -> int | None:
    if not expected:
        return None
    for k in range(1, min(depth, len(chunks)) + 1):
        if matches("\n".join(chunks[:k]), expected):
            return k
    return None


def judge(
    question: Question,
    reply: Reply,
    *,
    focus: FocusScore | None = None,
    found: int | None = None,
    retrieved: bool = False,
    seconds: float = 0.0,
) -> Result:
    """Score one reply to one question, from its text alone."""
    answer = reply if isinstance(reply, Answer) else None
    text = reply.text if isinstance(reply, Answer) else reply
    failed = failed_groups(text, question.expected) if question.answerable else ()
    hits = must_not_hits(text, question.must_not)
    gap, refusal, non_answer = states_gap(text), states_refusal(text), opens_with_non_answer(text)
    if question.answer_type == "gap":
        correct = gap and not hits
    elif question.answer_type == "refusal":
        correct = refusal and not hits
    else:
        correct = not failed and not hits and not non_answer
    return Result(
        question,
        text,
        answer,
        correct,
        failed_groups=failed,
        must_not_hits=hits,
        gap_statement=gap,
        refusal_statement=refusal,
        non_answer=non_answer,
        focus=focus,
        found_at=found,
        retrieved=retrieved,
        seconds=seconds,
    )


def run(
    questions: Iterable[Question],
    ask: Ask,
    retrieve: Callable[[str], Sequence[str]] | None = None,
    *,
    focus: FocusScorer | None = None,
) -> list[Result]:
    """Ask every question (with its history) and judge the replies.

    `retrieve` gives the ranked chunk texts behind an answer (for recall@k; None: not measured);
    `focus` scores the replies of questions that have a reference answer (None: not measured).
    """
    asked = []
    for q in questions:
        start = time.perf_counter()
        reply = ask(q.question, q.turns)
        seconds = time.perf_counter() - start
        ranked = retrieve is not None and q.answerable and bool(q.expected)
        rank = found_at(retrieve(q.question), q.expected) if retrieve is not None and ranked else None
        asked.append((q, reply, rank, ranked, seconds))
    scores: dict[int, FocusScore] = {}
    if focus is not None:
        anchored = [i for i, (q, *_) in enumerate(asked) if q.reference]
        items = [(_text(asked[i][1]), asked[i][0].question, asked[i][0].reference) for i in anchored]
        scores = dict(zip(anchored, focus.score_many(items), strict=True))
    return [
        judge(q, reply, focus=scores.get(i), found=rank, retrieved=ranked, seconds=seconds)
        for i, (q, reply, rank, ranked, seconds) in enumerate(asked)
    ]


def _text(reply: Reply) -> str:
    return reply.text if isinstance(reply, Answer) else reply


# --- summaries --------------------------------------------------------------------------------------


def summarise(results: Sequence[Result], by: Sequence[str] | None = None) -> Summary:
    """Overall figures, then the same per group: by kind (or category) and language unless `by` says."""
    if by is None:
        by = ("kind" if any(r.question.kind for r in results) else "category", "lang")
    summary = _summary(results)
    for key in by:
        for value in sorted({getattr(r.question, key) for r in results}):
            subset = [r for r in results if getattr(r.question, key) == value]
            summary.groups[f"{key}={value}"] = _summary(subset).to_dict() | {"groups": None}
    return summary


def _summary(results: Sequence[Result]) -> Summary:
    if not results:
        return Summary()
    answerable = [r for r in results if r.question.answerable]
    with_groups = [r for r in answerable if r.question.expected]
    gaps = [r for r in results if r.question.answer_type == "gap"]
    refusals = [r for r in results if r.question.answer_type == "refusal"]
    ranked = [r for r in results if r.retrieved]
    focus = [r.focus.share for r in results if r.focus is not None]
    latencies = sorted(r.seconds * 1000 for r in results)
    return Summary(
        n=len(results),
        answerable=len(answerable),
        correct=sum(r.correct for r in results),
        accuracy=_mean(r.correct for r in results),
        group_share=_mean(r.groups_passed / len(r.question.expected) for r in with_groups)
        if with_groups
        else None,
        must_not_hits=sum(bool(r.must_not_hits) for r in results),
        gaps=len(gaps),
        gaps_right=sum(r.correct for r in gaps),
        gap_accuracy=_mean(r.correct for r in gaps) if gaps else None,
        refusals=len(refusals),
        refusals_right=sum(r.correct for r in refusals),
        refusal_accuracy=_mean(r.correct for r in refusals) if refusals else None,
        false_refusals=sum(r.false_refusal for r in answerable),
        false_refusal_rate=_mean(r.false_refusal for r in answerable) if answerable else None,
        focus=statistics.fmean(focus) if focus else None,
        median_answer_chars=statistics.median(len(r.text) for r in answerable) if answerable else None,
        recall_at_5=_mean(r.found_at is not None and r.found_at <= 5 for r in ranked) if ranked else None,
        recall_at_10=_mean(r.found_at is not None for r in ranked) if ranked else None,
        mrr=_mean(1 / r.found_at if r.found_at else 0.0 for r in ranked) if ranked else None,
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


def format_table(summary: Summary, title: str = "") -> str:
    """`assistant.scorecard.format_table`, still importable from here for older callers."""
    from assistant.scorecard import format_table as table

    return table(summary, title)
