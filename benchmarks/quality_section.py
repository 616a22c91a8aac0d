"""Pure: the report's quality section (dev2 and dev, every method) from the quality part's results."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from benchmarks.markdown import METHODS, MODES, SHORT, measured, pct, table


def quality(q: Mapping[str, Any] | None) -> str:
    if not q:
        return "## Quality\n\nNot run.\n"
    if "sets" not in q:
        return "## Quality\n\nResults of an older run: measure again with `python -m benchmarks --only quality`.\n"
    sets = q["sets"]
    parts = ["## Quality", "", measured(q), _how(q)]
    if "dev2" in sets:
        parts.append(_dev2(sets["dev2"]))
    if "dev" in sets:
        parts.append(_dev(sets["dev"], q))
    if q.get("focus_calibration"):
        parts.append(_calibration(q["focus_calibration"], q.get("focus_threshold", 0.5)))
    return "\n".join(parts)


def _how(q: Mapping[str, Any]) -> str:
    return "\n".join(
        [
            "Every method is scored by the same code, the code behind `derci-assistant eval` (`assistant/evaluate.py`, "
            "`verdicts.py`, `focus.py`), from the text of its replies only (the baselines have no status flag):",
            "",
            "- **right**: an answerable question is right when every expected keyword group has an alternative in the "
            "reply (accents and case ignored), no `must_not` string occurs, and the reply does not open with a refusal "
            'or a "not documented" statement; a *gap* question when the reply says in its first two sentences that '
            "the documentation does not give it (phrase lists in `assistant/verdicts.py`), a *refusal* question when "
            "it refuses or says no such office exists; neither with a `must_not` string.",
            '- **false refusals**: answerable questions whose reply opens with a refusal or a "not documented" '
            "statement.",
            f"- **focus**: the share of a reply's sentences (citation markers and Markdown left out) whose cosine "
            f"similarity to the reference answer or to the question is at least {q.get('focus_threshold', 0.5)}, "
            "with the bundled all-MiniLM-L6-v2 for every method; the mean over replies (dev2 only: dev has no "
            "reference answers). A dump of passages or padding lowers it.",
            "- **follow-ups** (dev2): ours and our answerer over BM25 or dense hits get the earlier turns as "
            "conversation history; the tutorial pipeline has no conversation, so it is asked the earlier user "
            "questions and the question as one query.",
            "- **recall@k, MRR**: every expected group in the text of the method's own top k chunks, retrieved for "
            "the question alone.",
            "",
            f"Same corpus, same embedding model. Our index: {q['our_chunks']} chunks; the tutorial's: "
            f"{q['tutorial_chunks']} chunks of up to 1000 characters.",
            "",
        ]
    )


def _methods(data: Mapping[str, Any]) -> list[tuple[str, str, Mapping[str, Any]]]:
    return [(key, label, data["methods"][key]) for key, label in METHODS if key in data["methods"]]


def _count(right: int, total: int) -> str:
    return f"{right}/{total}" if total else "-"


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _dev2(data: Mapping[str, Any]) -> str:
    methods = _methods(data)
    rows = [
        [
            label,
            f"{_count(m['correct'], m['n'])} ({m['accuracy']:.2f})",
            _num(m["group_share"]),
            str(m["must_not_hits"]),
            _count(m["gaps_right"], m["gaps"]),
            _count(m["refusals_right"], m["refusals"]),
            f"{_count(m['false_refusals'], m['answerable'])} ({pct(m['false_refusal_rate'])})",
            _num(m["focus"]),
            "-" if m["median_answer_chars"] is None else f"{m['median_answer_chars']:.0f}",
            pct(m["recall_at_5"]),
        ]
        for _, label, m in methods
    ]
    kinds = data.get("kinds") or sorted(
        {k.split("=", 1)[1] for _, _, m in methods for k in m["groups"] if k.startswith("kind=")}
    )
    by_kind = [[k, *(_group(m, f"kind={k}", "right") for _, _, m in methods)] for k in kinds]
    focus_by_kind = [[k, *(_group(m, f"kind={k}", "focus") for _, _, m in methods)] for k in kinds]
    langs = sorted({k.split("=", 1)[1] for _, _, m in methods for k in m["groups"] if k.startswith("lang=")})
    by_lang = [[lang, *(_group(m, f"lang={lang}", "both") for _, _, m in methods)] for lang in langs]
    heads = [SHORT[key] for key, _, _ in methods]
    ours = data["methods"].get("ours", {})
    wrong = [
        [o["id"], o["kind"], o["lang"], o["verdict"] or "-"]
        for o in ours.get("questions", [])
        if not o["correct"]
    ]
    lines = [
        f"### dev2: {data['questions']} questions of {len(kinds)} kinds (`{data['file']}`)",
        "",
        f"{data['answerable']} answerable questions, "
        f"{data['methods'].get('ours', {}).get('gaps', 0)} gaps (the documents do not say), "
        f"{data['methods'].get('ours', {}).get('refusals', 0)} refusals (outside the documentation).",
        "",
        table(
            [
                "Method",
                "Right",
                "Keyword groups present",
                "must_not hits",
                "Gaps right",
                "Refusals right",
                "False refusals",
                "Focus",
                "Median answer (chars)",
                "Recall@5",
            ],
            rows,
        ),
        "",
        "![Quality by method](img/quality.png)",
        "",
        "#### dev2 by kind: right answers",
        "",
        table(["Kind", *heads], by_kind),
        "",
        "#### dev2 by kind: focus",
        "",
        table(["Kind", *heads], focus_by_kind),
        "",
        "#### dev2 by language: right answers, focus",
        "",
        table(["Language", *heads], by_lang),
        "",
    ]
    if wrong:
        lines += [
            f"#### dev2: the {len(wrong)} questions ours gets wrong",
            "",
            "Read them in full with `derci-assistant eval tests/data/dev2.jsonl --show` (or `--kind KIND --show`).",
            "",
            table(["Question", "Kind", "Language", "What went wrong"], wrong),
            "",
        ]
    return "\n".join(lines)


def _group(m: Mapping[str, Any], key: str, what: str) -> str:
    g = m["groups"].get(key)
    if not g:
        return "-"
    right, focus = _count(g["correct"], g["n"]), _num(g["focus"])
    return right if what == "right" else focus if what == "focus" else f"{right} · {focus}"


def _dev(data: Mapping[str, Any], q: Mapping[str, Any]) -> str:
    methods = _methods(data)
    rows = [
        [
            label,
            f"{pct(m['accuracy'])} ({_count(m['correct'], m['n'])})",
            pct(m["recall_at_5"]),
            pct(m["recall_at_10"]),
            "-" if m["mrr"] is None else f"{m['mrr']:.3f}",
            pct(m["refusal_accuracy"]),
            f"{_count(m['false_refusals'], m['answerable'])} ({pct(m['false_refusal_rate'])})",
            "-" if m["median_answer_chars"] is None else f"{m['median_answer_chars']:.0f}",
        ]
        for _, label, m in methods
    ]
    categories = sorted(
        {k.split("=", 1)[1] for _, _, m in methods for k in m["groups"] if k.startswith("category=")}
    )
    by_cat = [[c, *(_group(m, f"category={c}", "right") for _, _, m in methods)] for c in categories]
    metrics = (("recall_at_5", pct), ("recall_at_10", pct), ("mrr", lambda x: f"{x:.3f}"))
    rows_by = [(label, q["modes"][mode]) for mode, label in MODES if mode in q.get("modes", {})]
    if "tutorial" in data["methods"]:
        rows_by.append(("tutorial (Chroma top-k over 1000-character splits)", data["methods"]["tutorial"]))
    recall = [[label, *(fmt(d[m]) for m, fmt in metrics)] for label, d in rows_by]
    refusals = data["methods"].get("ours", {}).get("refusals", 0)
    return "\n".join(
        [
            f"### dev: {data['questions']} questions (`{data['file']}`)",
            "",
            f"{data['answerable']} answerable questions and {refusals} out of scope (right when refused).",
            "",
            table(
                [
                    "Method",
                    "Answer accuracy",
                    "Recall@5",
                    "Recall@10",
                    "MRR",
                    "Refusal accuracy",
                    "False refusals",
                    "Median answer (chars)",
                ],
                rows,
            ),
            "",
            "#### dev: retrieval alone",
            "",
            "Our search in each of its modes (top 10, answerable questions), and the tutorial's retrieval.",
            "",
            table(["Retrieval", "Recall@5", "Recall@10", "MRR"], recall),
            "",
            "#### dev by category: right answers",
            "",
            table(["Category", *(SHORT[key] for key, _, _ in methods)], by_cat),
            "",
        ]
    )


def _calibration(cal: Mapping[str, Mapping[str, Any]], threshold: float) -> str:
    rows = [
        [
            lang,
            str(c["questions"]),
            f"{pct(c['own_question_share'])} (median {_num(c['own_question_median'])})",
            f"{pct(c['other_question_share'])} (median {_num(c['other_question_median'])}, {c['pairs']} pairs)",
        ]
        for lang, c in cal.items()
    ]
    return "\n".join(
        [
            "### What the focus threshold separates",
            "",
            f"The dev2 reference answers scored as replies, sentence by sentence (threshold {threshold}): against "
            "their own question alone (right sentences seen through the question only), and against every other "
            "question of the same language with its reference (right facts under the wrong question: off-topic "
            "content). See docs/calibration.md.",
            "",
            table(
                [
                    "Language",
                    "Questions",
                    "Own question: at or above threshold",
                    "Other questions: at or above",
                ],
                rows,
            ),
            "",
        ]
    )
