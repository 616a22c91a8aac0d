"""Tests of assistant.conversation (pure): the last question/answer turns of a history, whatever its shape
(messages with roles, Gradio's older (user, assistant) pairs, structured content)."""

from __future__ import annotations

from typing import Any

from assistant.conversation import Turn, last_turns


def _history(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for question, answer in pairs:
        out += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return out


def test_last_turns_messages_format() -> None:
    history = _history(("q1", "a1"), ("q2", "a2"))
    assert last_turns(history) == [Turn("q1", "a1"), Turn("q2", "a2")]


def test_last_turns_pair_format() -> None:
    pairs: list[Any] = [("q1", "a1"), ["q2", "a2"]]
    assert last_turns(pairs) == [Turn("q1", "a1"), Turn("q2", "a2")]


def test_last_turns_pair_without_answer() -> None:
    pairs: list[Any] = [("q1",)]
    assert last_turns(pairs) == [Turn("q1", "")]


def test_last_turns_keeps_the_last_three_by_default() -> None:
    history = _history(*((f"q{i}", f"a{i}") for i in range(5)))
    assert [t.question for t in last_turns(history)] == ["q2", "q3", "q4"]


def test_last_turns_keeps_the_last_n() -> None:
    history = _history(*((f"q{i}", f"a{i}") for i in range(5)))
    assert [t.question for t in last_turns(history, n=2)] == ["q3", "q4"]


def test_last_turns_unanswered_question_has_empty_answer() -> None:
    history = [*_history(("q1", "a1")), {"role": "user", "content": "q2"}]
    assert last_turns(history)[-1] == Turn("q2", "")


def test_last_turns_question_followed_by_another_question_is_a_turn_of_its_own() -> None:
    history = [{"role": "user", "content": "q1"}, *_history(("q2", "a2"))]
    assert last_turns(history) == [Turn("q1", ""), Turn("q2", "a2")]


def test_last_turns_ignores_an_answer_without_a_question_and_other_roles() -> None:
    history = [
        {"role": "assistant", "content": "Welcome!"},
        {"role": "system", "content": "be brief"},
        *_history(("q1", "a1")),
    ]
    assert last_turns(history) == [Turn("q1", "a1")]


def test_last_turns_reads_structured_content() -> None:
    history: list[dict[str, Any]] = [
        {"role": "user", "content": [{"type": "text", "text": "q1"}, "and more"]},
        {"role": "assistant", "content": {"text": "a1"}},
    ]
    assert last_turns(history) == [Turn("q1 and more", "a1")]


def test_last_turns_missing_content_is_empty_text() -> None:
    history: list[dict[str, Any]] = [
        {"role": "user", "content": "q1"},
        {"role": "assistant", "content": None},
    ]
    assert last_turns(history) == [Turn("q1", "")]


def test_last_turns_empty_history() -> None:
    assert last_turns([]) == []
