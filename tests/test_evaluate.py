"""Tests of assistant.evaluate: matching, recall depth, summaries on synthetic results, question files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.citations import Answer
from assistant.errors import InputError
from assistant.evaluate import (
    Question,
    Result,
    format_table,
    found_at,
    load_questions,
    matches,
    run,
    summarise,
)


def _question(qid: str, category: str = "offices", lang: str = "en", expected: tuple = (("x",),)) -> Question:
    return Question(qid, lang, category, f"question {qid}?", expected)


def _result(
    qid: str,
    *,
    correct: bool = True,
    refused: bool = False,
    text: str = "answer",
    found: int | None = 1,
    category: str = "offices",
    lang: str = "en",
    seconds: float = 0.01,
) -> Result:
    question = _question(qid, category, lang)
    return Result(question, Answer(text, refused=refused), correct, found, seconds)


@pytest.fixture
def results() -> list[Result]:
    return [
        _result("a", text="x" * 100, found=1, lang="en"),
        _result("b", text="x" * 300, found=4, lang="fr"),
        _result("c", correct=False, text="x" * 200, found=None, lang="fr"),
        _result("d", correct=False, refused=True, text="sorry", found=7, category="tools", lang="fr"),
        _result("e", refused=True, text="no", found=None, category="out_of_scope", lang="en"),
        _result("f", correct=False, refused=False, text="guess", found=None, category="out_of_scope"),
    ]


# --- matches / found_at ---------------------------------------------------------------------------


def test_matches_ignores_case_and_accents() -> None:
    assert matches("Le bureau est à SAO PAULO depuis 2024.", [["São Paulo"], ["2024"]])


def test_matches_needs_every_group() -> None:
    assert not matches("Le bureau est à São Paulo.", [["São Paulo"], ["2024"]])


def test_matches_any_alternative_of_a_group() -> None:
    assert matches("The office is in Japan.", [["Japon", "Japan"]])


def test_matches_without_groups_is_true() -> None:
    assert matches("anything", [])


def test_found_at_smallest_k_covering_every_group() -> None:
    chunks = ["nothing", "Tokyo office", "covers Japan", "Japan again"]
    assert found_at(chunks, [["Tokyo"], ["Japan"]]) == 3


def test_found_at_groups_may_be_spread_over_chunks() -> None:
    assert found_at(["Tokyo", "Japan"], [["Tokyo"], ["Japan"]]) == 2


def test_found_at_none_beyond_depth() -> None:
    chunks = ["nothing"] * 10 + ["Japan"]
    assert found_at(chunks, [["Japan"]]) is None
    assert found_at(chunks, [["Japan"]], depth=11) == 11


def test_found_at_none_without_expected() -> None:
    assert found_at(["Japan"], []) is None


# --- run ------------------------------------------------------------------------------------------


def test_run_scores_in_scope_and_out_of_scope_questions() -> None:
    questions = [
        _question("in", expected=(("Tokyo",),)),
        _question("oos", category="out_of_scope", expected=()),
    ]
    answers = {"question in?": Answer("Tokyo [1]"), "question oos?": Answer("no", refused=True)}
    results = run(questions, answers.__getitem__, lambda q: ["a", "Tokyo office"])
    assert [(r.correct, r.found_at) for r in results] == [(True, 2), (True, None)]


def test_run_refused_in_scope_answer_is_wrong() -> None:
    questions = [_question("in", expected=(("Tokyo",),))]
    results = run(questions, lambda q: Answer("Tokyo", refused=True), lambda q: [])
    assert not results[0].correct


# --- summarise ------------------------------------------------------------------------------------


def test_summarise_accuracy(results: list[Result]) -> None:
    assert summarise(results).accuracy == pytest.approx(3 / 6)


def test_summarise_recall(results: list[Result]) -> None:
    summary = summarise(results)
    assert summary.recall_at_5 == pytest.approx(2 / 4)
    assert summary.recall_at_10 == pytest.approx(3 / 4)
    assert summary.mrr == pytest.approx((1 + 1 / 4 + 0 + 1 / 7) / 4)


def test_summarise_refusal_accuracy(results: list[Result]) -> None:
    assert summarise(results).refusal_accuracy == pytest.approx(1 / 2)


def test_summarise_false_refusal_rate(results: list[Result]) -> None:
    assert summarise(results).false_refusal_rate == pytest.approx(1 / 4)


def test_summarise_median_length_of_in_scope_answers(results: list[Result]) -> None:
    assert summarise(results).median_answer_chars == pytest.approx((100 + 200) / 2)


def test_summarise_per_group(results: list[Result]) -> None:
    groups = summarise(results).groups
    assert set(groups) == {
        "category=offices",
        "category=out_of_scope",
        "category=tools",
        "lang=en",
        "lang=fr",
    }
    assert groups["category=offices"]["n"] == 3
    assert groups["category=offices"]["accuracy"] == pytest.approx(2 / 3)
    assert groups["category=offices"]["refusal_accuracy"] is None
    assert groups["lang=fr"]["false_refusal_rate"] == pytest.approx(1 / 3)


def test_summarise_without_out_of_scope_has_no_refusal_accuracy(results: list[Result]) -> None:
    summary = summarise([r for r in results if r.question.in_scope])
    assert summary.refusal_accuracy is None


def test_summarise_empty() -> None:
    summary = summarise([])
    assert summary.n == 0 and summary.groups == {}


def test_summarise_latency_percentiles() -> None:
    results = [_result(str(i), seconds=i / 1000) for i in range(1, 102)]
    summary = summarise(results, by=())
    assert summary.latency_p50_ms == pytest.approx(51)
    assert summary.latency_p95_ms == pytest.approx(96)


def test_summarise_group_without_in_scope_questions_has_no_recall(results: list[Result]) -> None:
    oos = summarise(results).groups["category=out_of_scope"]
    assert oos["recall_at_5"] is None and oos["mrr"] is None


def test_summary_to_dict_is_json(results: list[Result]) -> None:
    data = json.loads(json.dumps(summarise(results).to_dict()))
    assert data["n"] == 6 and "category=tools" in data["groups"]


def test_format_table_rows(results: list[Result]) -> None:
    lines = format_table(summarise(results)).splitlines()
    assert "accuracy" in lines[0]
    assert [line.split()[0] for line in lines[1:]] == [
        "overall",
        "category=offices",
        "category=out_of_scope",
        "category=tools",
        "lang=en",
        "lang=fr",
    ]


def test_format_table_dash_for_missing_values(results: list[Result]) -> None:
    row = next(
        line for line in format_table(summarise(results)).splitlines() if line.startswith("category=tools")
    )
    assert " - " in f"{row} "


# --- load_questions -------------------------------------------------------------------------------


def test_load_questions_reads_the_shared_format(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    row = {
        "id": "q1",
        "lang": "fr",
        "category": "offices",
        "question": "Qui ?",
        "expected": [["A", "B"], ["C"]],
    }
    path.write_text(json.dumps(row) + "\n\n", encoding="utf-8")
    [question] = load_questions(path)
    assert question == Question("q1", "fr", "offices", "Qui ?", (("A", "B"), ("C",)))
    assert question.in_scope


def test_load_questions_out_of_scope_category(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": 7, "category": "out_of_scope", "question": "Pizza?"}\n', encoding="utf-8")
    [question] = load_questions(path)
    assert question.id == "7" and not question.in_scope and question.expected == ()


@pytest.mark.parametrize(
    "bad",
    ["not json", '{"question": "no id"}', '{"id": "x"}', '{"id": "x", "question": "q", "expected": 3}'],
)
def test_load_questions_rejects_a_malformed_line_with_its_number(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "q.jsonl"
    good = '{"id": "ok", "question": "fine?"}'
    path.write_text(f"{good}\n{good}\n{bad}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"q\.jsonl:3:"):
        load_questions(path)


def test_load_questions_dev_file_is_valid() -> None:
    from tests.conftest import DATA

    questions = load_questions(DATA / "dev.jsonl")
    assert len(questions) >= 40
    assert len({q.id for q in questions}) == len(questions)
    assert all(q.expected for q in questions if q.in_scope)
