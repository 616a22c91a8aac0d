"""The answer contract on the real corpus with the real bundled model: the development questions must
stay above floors set well below today's figures. These floors catch regressions; they are not targets
to tune against (docs/benchmarks.md has the current figures). Slow: loads the model, builds the index."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.evaluate import Summary, format_table, load_questions, run, summarise
from tests.conftest import DATA, PROJECT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (PROJECT / "corpus").is_dir(), reason="no corpus/ folder in this checkout"),
]

FLOORS = {
    "accuracy": 0.85,
    "recall_at_5": 0.9,
    "refusal_accuracy": 0.8,
}
CEILINGS = {
    "false_refusal_rate": 0.1,
    "median_answer_chars": 600,
}


@pytest.fixture(scope="module")
def dev_summary(real_assistant: Any) -> Summary:
    questions = load_questions(DATA / "dev.jsonl")
    results = run(
        questions,
        real_assistant.ask,
        lambda q: [h.chunk.text for h in real_assistant.retrieve(q, k=10)],
    )
    summary = summarise(results)
    print("\n" + format_table(summary))
    failed = [r for r in results if not r.correct]
    for r in failed:
        print(f"BAD {r.question.id} found@{r.found_at} {r.question.question!r} -> {r.answer.text[:160]!r}")
    return summary


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_answer_contract_metric_above_floor(dev_summary: Summary, metric: str) -> None:
    value = getattr(dev_summary, metric)
    assert value is not None and value >= FLOORS[metric], f"{metric} = {value}, floor {FLOORS[metric]}"


@pytest.mark.parametrize("metric", sorted(CEILINGS))
def test_answer_contract_metric_below_ceiling(dev_summary: Summary, metric: str) -> None:
    value = getattr(dev_summary, metric)
    assert value is not None and value <= CEILINGS[metric], f"{metric} = {value}, ceiling {CEILINGS[metric]}"
