"""Pure: the evaluation as people read it: a table per file, one line per question, answer sheets.

- `format_table`: overall, then per kind (or category) and per language; counts where a target is a
  count ("5/6", "0 must_not"), fractions elsewhere.
- `format_details`: one line per question: verdict, id, kind, language, what failed, focus, length.
- `format_show`: every reply in full under its question (and the earlier turns), with the expected
  keywords, the verdict, the sentences judged off-focus, the sources and the reference answer: for
  judging replies by hand.
- `result_record`: one question's outcome as JSON values (`eval --json`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from assistant.evaluate import Result, Summary

WIDTH = 100
_COLUMNS: tuple[tuple[str, int], ...] = (
    ("n", 4),
    ("correct", 8),
    ("accuracy", 9),
    ("groups", 7),
    ("must_not", 9),
    ("gaps", 6),
    ("refusals", 9),
    ("false_refusals", 15),
    ("focus", 6),
    ("median_chars", 13),
    ("recall_at_5", 12),
    ("p50_ms", 7),
)
_LABEL = 26

LEGEND = """\
correct/accuracy: questions answered right (answerable: every expected group in the reply, no must_not string,
  not opening with a refusal; gap: says up front that the documentation does not give it; refusal: refuses or
  says no such office exists). groups: mean share of expected groups present (answerable questions).
must_not: replies containing a forbidden string. gaps, refusals: right / asked. false_refusals: answerable
  questions whose reply opens with a refusal or a "not documented" statement.
focus: mean share of reply sentences whose MiniLM cosine to the reference answer or to the question is >= 0.5
  (questions with a reference). median_chars: replies to answerable questions. recall_at_5: every expected
  group in the top 5 chunks. p50_ms: time to answer, median."""


def format_table(summary: Summary, title: str = "") -> str:
    """A plain-text table: overall, then per kind (or category) and language; `title` heads the first column."""
    header = f"{title[: _LABEL - 1]:{_LABEL}}" + "".join(f"{name:>{width}}" for name, width in _COLUMNS)
    rows: list[tuple[str, Mapping[str, Any]]] = [("overall", summary.to_dict()), *summary.groups.items()]
    lines = [header]
    for name, data in rows:
        cells = _cells(data)
        lines.append(f"{name[: _LABEL - 1]:{_LABEL}}" + "".join(f"{cells[c]:>{w}}" for c, w in _COLUMNS))
    return "\n".join(lines)


def _cells(d: Mapping[str, Any]) -> dict[str, str]:
    def frac(x: float | None, digits: int = 3) -> str:
        return "-" if x is None else f"{x:.{digits}f}"

    def count(right: int, total: int) -> str:
        return f"{right}/{total}" if total else "-"

    rate = d.get("false_refusal_rate")
    return {
        "n": str(d["n"]),
        "correct": count(d["correct"], d["n"]),
        "accuracy": frac(d["accuracy"]),
        "groups": frac(d["group_share"], 2),
        "must_not": str(d["must_not_hits"]),
        "gaps": count(d["gaps_right"], d["gaps"]),
        "refusals": count(d["refusals_right"], d["refusals"]),
        "false_refusals": "-" if rate is None else f"{d['false_refusals']}/{d['answerable']} {rate:.1%}",
        "focus": frac(d["focus"], 2),
        "median_chars": "-" if d["median_answer_chars"] is None else f"{d['median_answer_chars']:.0f}",
        "recall_at_5": frac(d["recall_at_5"]),
        "p50_ms": f"{d['latency_p50_ms']:.0f}",
    }


def verdict(result: Result) -> str:
    """What was wrong with a reply, in a few words ("" when it is right)."""
    q, problems = result.question, []
    if q.answer_type == "gap" and not result.gap_statement:
        problems.append("no gap statement" + (" (refused instead)" if result.refusal_statement else ""))
    if q.answer_type == "refusal" and not result.refusal_statement:
        problems.append("no refusal")
    if result.false_refusal:
        problems.append("false refusal")
    if result.failed_groups:
        # each missing group by its first alternative: the answer sheet (--show) lists them all
        missing = " ".join(f"[{g[0]}{'|…' if len(g) > 1 else ''}]" for g in result.failed_groups)
        problems.append(f"groups {result.groups_passed}/{len(q.expected)}, missing {missing}")
    if result.must_not_hits:
        problems.append("must_not: " + ", ".join(result.must_not_hits))
    return "; ".join(problems)


def format_details(results: Sequence[Result]) -> str:
    """One line per question: verdict, id, kind, language, problems, focus, length, question."""
    lines = []
    for r in results:
        q = r.question
        focus = "-" if r.focus is None else f"{r.focus.focused}/{len(r.focus.sentences)}"
        status = f" status={r.answer.status}" if r.answer is not None else ""
        head = f"{'ok  ' if r.correct else 'FAIL'} {q.id:8} {q.group_key[:20]:20} {q.lang:2} focus {focus:5}"
        head += f" {len(r.text):5} chars{status}"
        lines.append(f"{head}  {_one_line(q.question, 70)}")
        problems = verdict(r)
        if problems:
            lines.append(f"{'':14}-> {problems}")
    return "\n".join(lines)


def format_show(results: Sequence[Result], width: int = WIDTH) -> str:
    """Every reply in full under its question, with the reference answer: an answer sheet per question."""
    return "\n\n".join(_sheet(r, width) for r in results)


def _sheet(r: Result, width: int) -> str:
    q = r.question
    rule = "═" * width
    mark = "RIGHT" if r.correct else "WRONG"
    facts = [q.id, q.group_key, q.lang, q.answer_type, mark]
    if r.focus is not None:
        facts.append(f"focus {r.focus.focused}/{len(r.focus.sentences)}")
    facts.append(f"{len(r.text)} chars")
    if r.answer is not None:
        facts.append(f"status {r.answer.status}")
    out = [rule, " · ".join(facts), rule]
    for role, content in q.history:
        out += _block("user (before)" if role == "user" else "assistant (before)", content, width)
    out += _block("QUESTION", q.question, width)
    if q.expected:
        out += _block("Expected", "  ".join(f"[{' | '.join(g)}]" for g in q.expected), width)
    if q.must_not:
        out += _block("Must not", ", ".join(q.must_not), width)
    out += _block("REPLY", r.text or "(empty)", width)
    if r.answer is not None and r.answer.citations:
        sources = [
            f"[{c.n}] {c.title} — {c.path}" + (f" > {c.section}" if c.section else "")
            for c in r.answer.citations
        ]
        out += _block("Sources", "\n".join(sources), width)
    problems = verdict(r)
    if problems:
        out += _block("Verdict", problems, width)
    if r.focus is not None:
        off = [
            f"{similarity:.2f}  {s}" for s, similarity in r.focus.sentences if similarity < r.focus.threshold
        ]
        if off:
            out += _block(f"Off focus (< {r.focus.threshold})", "\n".join(off), width)
    if q.reference:
        out += _block("Reference", q.reference, width)
    return "\n".join(out)


def _block(label: str, text: str, width: int) -> list[str]:
    """A labelled, indented block; paragraphs and list lines kept, long lines wrapped."""
    lines = [f"{label}:"]
    for paragraph in text.splitlines():
        if not paragraph.strip():
            lines.append("")
            continue
        lines += textwrap.wrap(
            paragraph, width=width, initial_indent="    ", subsequent_indent="    ", break_long_words=False
        )
    return lines


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def result_record(result: Result) -> dict[str, Any]:
    """One question's outcome as plain JSON values (for --json and the benchmark's results file)."""
    q, answer, focus = result.question, result.answer, result.focus
    return {
        "id": q.id,
        "kind": q.group_key,
        "lang": q.lang,
        "answer_type": q.answer_type,
        "correct": result.correct,
        "groups_passed": result.groups_passed,
        "groups": len(q.expected),
        "failed_groups": [list(g) for g in result.failed_groups],
        "must_not_hits": list(result.must_not_hits),
        "gap_statement": result.gap_statement,
        "refusal_statement": result.refusal_statement,
        "false_refusal": result.false_refusal,
        "focus": None if focus is None else focus.share,
        "focus_sentences": None if focus is None else [[s, round(v, 3)] for s, v in focus.sentences],
        "found_at": result.found_at,
        "chars": len(result.text),
        "ms": round(result.seconds * 1000, 1),
        "status": None if answer is None else answer.status,
        "refused": None if answer is None else answer.refused,
        "evidence": None if answer is None else answer.evidence,
        "answer": result.text,
        "citations": None if answer is None else [asdict(c) for c in answer.citations],
    }
