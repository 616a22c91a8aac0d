"""Answer and retrieval quality on the development questions, with `assistant.evaluate`'s definitions.

Every method is scored by `evaluate.run`/`summarise` (the code behind `derci-assistant eval`): answer
accuracy (`matches` on the answer text; out-of-scope questions must be refused), recall@k and MRR
(`found_at` on the texts of the method's own top-10 chunks), refusal accuracy, median answer length.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from assistant.analysis import detect_language
from assistant.chain import Assistant
from assistant.citations import Answer
from assistant.evaluate import RECALL_DEPTH, Question, found_at, run, summarise
from benchmarks.baselines import TutorialPipeline, mode_assistant

# "bm25" is plain BM25 over the chunks (HybridSearch's baseline mode); "lexical" adds our glossary and
# place expansions, so it is part of our pipeline, not a baseline.
BM25_MODE = "bm25"
SEARCH_MODES = ("hybrid", "lexical", "bm25", "dense")
METRICS = (
    "accuracy",
    "recall_at_5",
    "recall_at_10",
    "mrr",
    "refusal_accuracy",
    "false_refusal_rate",
    "median_answer_chars",
)


def score(
    questions: Sequence[Question], ask: Callable[[str], Answer], retrieve: Callable[[str], Sequence[str]]
) -> dict[str, Any]:
    """The summary of one method: overall metrics and accuracy per category."""
    summary = summarise(run(questions, ask, retrieve), by=("category",))
    out = {m: getattr(summary, m) for m in METRICS}
    out["n"] = summary.n
    out["by_category"] = {key.split("=", 1)[1]: value["accuracy"] for key, value in summary.groups.items()}
    return out


def compare_methods(
    questions: Sequence[Question], bot: Assistant, tutorial: TutorialPipeline
) -> dict[str, dict[str, Any]]:
    """Ours, the tutorial pipeline, and our answerer over plain-BM25 and dense-only hits."""

    def texts(search_bot: Assistant, mode: str) -> Callable[[str], list[str]]:
        def retrieve(question: str) -> list[str]:
            hits = search_bot.knowledge.search.search(
                question, RECALL_DEPTH, lang=detect_language(question), mode=mode
            )
            return [h.chunk.text for h in hits]

        return retrieve

    bm25 = mode_assistant(bot, BM25_MODE)
    dense = mode_assistant(bot, "dense")
    return {
        "ours": score(questions, bot.ask, texts(bot, "hybrid")),
        "tutorial": score(questions, tutorial.ask, lambda q: tutorial.retrieve(q, RECALL_DEPTH)),
        "bm25": score(questions, bm25.ask, texts(bot, BM25_MODE)),
        "dense": score(questions, dense.ask, texts(bot, "dense")),
    }


def retrieval_by_mode(questions: Sequence[Question], bot: Assistant) -> dict[str, dict[str, float]]:
    """Recall@5, recall@10 and MRR (in-scope questions) of our search in each of its modes."""
    in_scope = [q for q in questions if q.in_scope]
    out = {}
    for mode in SEARCH_MODES:
        ranks = []
        for q in in_scope:
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
