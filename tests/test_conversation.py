"""Tests of assistant.conversation: history formats, follow-up detection, condensing a follow-up."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.analysis import fold
from assistant.conversation import Turn, condense, is_follow_up, last_turns
from assistant.directory import OfficeDirectory, load_offices
from tests.conftest import TINY_CORPUS


@pytest.fixture(scope="module")
def offices() -> OfficeDirectory:
    return load_offices(TINY_CORPUS / "offices.yaml")


def _history(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for question, answer in pairs:
        out += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return out


# --- last_turns -----------------------------------------------------------------------------------


def test_last_turns_messages_format() -> None:
    history = _history(("q1", "a1"), ("q2", "a2"))
    assert last_turns(history) == [Turn("q1", "a1"), Turn("q2", "a2")]


def test_last_turns_pair_format() -> None:
    assert last_turns([("q1", "a1"), ["q2", "a2"]]) == [Turn("q1", "a1"), Turn("q2", "a2")]


def test_last_turns_keeps_the_last_n() -> None:
    history = _history(*((f"q{i}", f"a{i}") for i in range(5)))
    assert [t.question for t in last_turns(history, n=2)] == ["q3", "q4"]


def test_last_turns_unanswered_question_has_empty_answer() -> None:
    history = [*_history(("q1", "a1")), {"role": "user", "content": "q2"}]
    assert last_turns(history)[-1] == Turn("q2", "")


def test_last_turns_reads_structured_content() -> None:
    history = [
        {"role": "user", "content": [{"type": "text", "text": "q1"}]},
        {"role": "assistant", "content": {"text": "a1"}},
    ]
    assert last_turns(history) == [Turn("q1", "a1")]


def test_last_turns_empty_history() -> None:
    assert last_turns([]) == []


# --- is_follow_up ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["et le Japon ?", "and Japan?", "quand a-t-il ouvert ?", "when did it open?", "what about Korea?"],
)
def test_is_follow_up_short_elliptic_questions(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.parametrize(
    "question",
    [
        "Which office covers Vietnam?",
        "Quel bureau couvre le Japon ?",
        "Qui dirige le bureau du CNRS à Tokyo ?",
        "How long does an IEA last?",
        "Quel outil pour une première collaboration de 2 ans, sans publication commune ?",
    ],
)
def test_is_follow_up_standalone_questions(question: str) -> None:
    assert not is_follow_up(question)


# --- condense -------------------------------------------------------------------------------------


def test_condense_without_history_returns_question(offices: OfficeDirectory) -> None:
    assert condense("and Japan?", [], offices) == "and Japan?"


def test_condense_standalone_question_unchanged(offices: OfficeDirectory) -> None:
    history = _history(("Which office covers Vietnam?", "Singapore."))
    assert condense("Who heads the CNRS office in Tokyo?", history, offices) == (
        "Who heads the CNRS office in Tokyo?"
    )


def test_condense_replaces_the_place_of_the_last_question(offices: OfficeDirectory) -> None:
    history = _history(("Which office covers Vietnam?", "Vietnam is covered by the office in Singapore. [1]"))
    standalone = fold(condense("and Japan?", history, offices))
    assert "japan" in standalone
    assert "vietnam" not in standalone
    assert "office" in standalone and "cover" in standalone


def test_condense_replaces_an_accented_place_in_french(offices: OfficeDirectory) -> None:
    history = _history(("Quel bureau couvre le Viêt Nam ?", "Singapour. [1]"))
    standalone = fold(condense("et le Japon ?", history, offices))
    assert "japon" in standalone
    assert "viet" not in standalone
    assert "bureau" in standalone


def test_condense_appends_the_office_of_the_last_answer_in_french(offices: OfficeDirectory) -> None:
    history = _history(
        (
            "Quel bureau couvre le Viêt Nam ?",
            "Viêt Nam : pays couvert par le bureau du CNRS à Singapour (zone : Asie du Sud-Est). [1]",
        )
    )
    standalone = condense("quand a-t-il ouvert ?", history, offices)
    assert "ouvert" in standalone
    assert "Singapour" in standalone or "Singapore" in standalone


def test_condense_appends_the_office_of_the_last_answer_in_english(offices: OfficeDirectory) -> None:
    history = _history(
        ("Which office covers Vietnam?", "Vietnam is covered by the CNRS office in Singapore. [1]")
    )
    standalone = condense("when did it open?", history, offices)
    assert "open" in standalone
    assert "Singapore" in standalone or "Singapour" in standalone


def test_condense_follow_up_place_after_question_without_place(offices: OfficeDirectory) -> None:
    history = _history(("Qui dirige le bureau ?", "..."))
    standalone = fold(condense("et le Japon ?", history, offices))
    assert "dirige" in standalone and "japon" in standalone


def test_condense_keeps_a_question_that_names_its_subject(offices: OfficeDirectory) -> None:
    history = _history(
        ("Quel bureau couvre le Japon ?", "Japon : pays couvert par le bureau du CNRS à Tokyo.")
    )
    question = "Quand le bureau de Singapour a-t-il ouvert ?"
    assert condense(question, history, offices) == question
