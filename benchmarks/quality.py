"""Answer and retrieval quality on the development sets (dev, dev2), with `assistant.evaluate`'s definitions.

Every method is scored by the code behind `derci-assistant eval` (`evaluate.run`/`summarise`), from the
text of its replies alone: keyword groups and must_not, gap and refusal statements, false refusals,
focus (the same bundled MiniLM and threshold for all), median length; recall@k and MRR on the texts of
the method's own top-10 chunks for the question alone. Follow-up questions (dev2) carry their history:
ours and our answerer over BM25 or dense hits take it as conversation turns; the tutorial pipeline has no
conversation, so it gets the earlier user questions prepended to the question (`with_previous_questions`).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from assistant.analysis import detect_language
from assistant.chain import Assistant
from assistant.evaluate import RECALL_DEPTH, Ask, Question, Result, found_at, run, summarise
from assistant.focus import FocusScorer
from assistant.scorecard import verdict
from assistant.verdicts import sentences
from benchmarks.baselines import TutorialPipeline, mode_assistant, with_previous_questions

# "bm25" is plain BM25 over the chunks (HybridSearch's baseline mode); "lexical" adds our glossary and
# place expansions, so it is part of our pipeline, not a baseline.
BM25_MODE = "bm25"
SEARCH_MODES = ("hybrid", "lexical", "bm25", "dense")


def score(
    questions: Sequence[Question],
    ask: Ask,
    retrieve: Callable[[str], Sequence[str]],
    focus: FocusScorer | None = None,
) -> dict[str, Any]:
    """One method on one set: the summary (overall and per group) and a line per question."""
    results = run(questions, ask, retrieve, focus=focus)
    out = summarise(results).to_dict()
    out["questions"] = [_outcome(r) for r in results]
    return out


def _outcome(r: Result) -> dict[str, Any]:
    return {
        "id": r.question.id,
        "kind": r.question.group_key,
        "lang": r.question.lang,
        "correct": r.correct,
        "verdict": verdict(r),
        "focus": None if r.focus is None else r.focus.share,
        "chars": len(r.text),
    }


System = tuple[Ask, Callable[[str], Sequence[str]]]  # how a method answers, and what it retrieves


def systems(bot: Assistant, tutorial: TutorialPipeline) -> dict[str, System]:
    """Ours, the tutorial pipeline, and our answerer over plain-BM25 or dense-only hits."""

    def texts(mode: str) -> Callable[[str], list[str]]:
        def retrieve(question: str) -> list[str]:
            hits = bot.knowledge.search.search(
                question, RECALL_DEPTH, lang=detect_language(question), mode=mode
            )
            return [h.chunk.text for h in hits]

        return retrieve

    bm25, dense = mode_assistant(bot, BM25_MODE), mode_assistant(bot, "dense")
    return {
        "ours": (bot.ask, texts("hybrid")),
        "tutorial": (with_previous_questions(tutorial.ask), lambda q: tutorial.retrieve(q, RECALL_DEPTH)),
        "bm25": (bm25.ask, texts(BM25_MODE)),
        "dense": (dense.ask, texts("dense")),
    }


def compare_methods(
    sets: Mapping[str, Sequence[Question]],
    bot: Assistant,
    tutorial: TutorialPipeline,
    focus: FocusScorer | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """Set name -> method -> score, for every method of `systems`."""
    methods = systems(bot, tutorial)
    return {
        name: {method: score(questions, ask, retrieve, focus) for method, (ask, retrieve) in methods.items()}
        for name, questions in sets.items()
    }


def retrieval_by_mode(questions: Sequence[Question], bot: Assistant) -> dict[str, dict[str, float]]:
    """Recall@5, recall@10 and MRR (answerable questions) of our search in each of its modes."""
    ranked = [q for q in questions if q.answerable and q.expected]
    out = {}
    for mode in SEARCH_MODES:
        ranks = []
        for q in ranked:
            hits = bot.knowledge.search.search(
                q.question, RECALL_DEPTH, lang=detect_language(q.question), mode=mode
            )
            ranks.append(found_at([h.chunk.text for h in hits], q.expected))
        n = len(ranks) or 1
        out[mode] = {
            "recall_at_5": sum(1 for r in ranks if r is not None and r <= 5) / n,
            "recall_at_10": sum(1 for r in ranks if r is not None) / n,
            "mrr": sum(1 / r for r in ranks if r) / n,
        }
    return out


def focus_calibration(questions: Sequence[Question], focus: FocusScorer) -> dict[str, dict[str, Any]]:
    """What the focus threshold separates, per language, on the reference answers themselves.

    "own_question": each reference sentence against its own question alone (a right sentence, seen
    through the question anchor only); "other_question": each reference sentence against every other
    question of the same language and its reference (right facts, wrong question: off-topic content).
    Both give the share of sentences at or above the threshold and the median similarity.
    """
    out = {}
    for lang in sorted({q.lang for q in questions if q.reference}):
        mine = [q for q in questions if q.reference and q.lang == lang]
        own, other = [], []
        for q in mine:
            for sentence in sentences(q.reference):
                own += [v for _, v in focus.score(sentence, q.question).sentences]
                for p in mine:
                    if p is not q:
                        other += [v for _, v in focus.score(sentence, p.question, p.reference).sentences]
        out[lang] = {
            "questions": len(mine),
            "own_question_share": _share(own, focus.threshold),
            "own_question_median": statistics.median(own) if own else None,
            "other_question_share": _share(other, focus.threshold),
            "other_question_median": statistics.median(other) if other else None,
            "pairs": len(other),
        }
    return out


def _share(values: Sequence[float], threshold: float) -> float:
    return sum(v >= threshold for v in values) / len(values) if values else 0.0
