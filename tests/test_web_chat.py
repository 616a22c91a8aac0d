"""The chat page's handlers (assistant.web.chat), called directly: no page, no browser, no HTTP.

The same bounds are attacked over HTTP in tests/test_chat_http.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chain import Assistant
from assistant.config import MAX_MESSAGE_CHARS, Settings
from assistant.prompts import TRUNCATED
from assistant.web import chat
from assistant.web.backend import Backend
from assistant.web.chat import MAX_SHOWN, MAX_TURNS, ChatSession
from assistant.web.feedback import UnavailableStore
from assistant.web.feedback_sqlite import SqliteFeedbackStore

TOKYO = "Which office covers Japan?"


@pytest.fixture
def backend(assistant: Assistant) -> Backend:
    return Backend(assistant.settings, assistant)


def _ask(backend: Backend, session: ChatSession, question: str, lang: str = "en") -> list[chat.ChatView]:
    return list(chat.respond(backend, session, question, lang))


def _store(backend: Backend) -> SqliteFeedbackStore:
    assert isinstance(backend.feedback, SqliteFeedbackStore)
    return backend.feedback


def test_respond_streams_then_shows_the_cited_answer_and_records_it(backend: Backend) -> None:
    session = ChatSession()
    views = _ask(backend, session, TOKYO)
    assert views[0].messages[-1] == {"role": "assistant", "content": "…"} and views[0].panel is False
    assert any("▍" in v.messages[-1]["content"] for v in views[1:-1])  # partial text with a cursor
    final = views[-1].messages
    assert [m["role"] for m in final] == ["user", "assistant"]
    assert "Tokyo" in final[1]["content"] and "<details" in final[1]["content"]
    assert [t["role"] for t in session.turns] == ["user", "assistant"]
    assert set(session.answer_ids) == {1}
    assert _store(backend).counts()["answers"] == 1


def test_respond_ignores_a_blank_message(backend: Backend) -> None:
    session = ChatSession()
    assert [v.messages for v in _ask(backend, session, " \n\t ")] == [[]]
    assert session.turns == [] and _store(backend).counts()["answers"] == 0


def test_respond_follow_up_uses_the_sessions_turns(backend: Backend) -> None:
    session = ChatSession()
    _ask(backend, session, TOKYO)
    final = _ask(backend, session, "and Vietnam?")[-1].messages
    assert "Singapore" in final[-1]["content"]


def test_respond_cuts_a_huge_message_and_keeps_little_of_it(backend: Backend) -> None:
    session = ChatSession()
    limit = backend.settings.max_question_chars
    huge = "Which office covers Japan? " + "x" * 1_000_000
    final = _ask(backend, session, huge)[-1].messages
    shown = final[0]["content"]
    assert len(shown) < limit + 200 and f"a {len(huge)}-character message" in shown
    assert TRUNCATED["en"].format(n=limit) in final[1]["content"]  # the answerer says what it read
    assert len(session.turns[0]["content"]) <= limit
    assert sum(len(m["content"]) for m in session.messages) < 20_000  # not the megabyte


def test_respond_reads_at_most_the_message_limit(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = Assistant.stream

    def spy(self: Assistant, question: str, history: object = ()) -> object:
        seen.append(question)
        return real(self, question, history)  # type: ignore[arg-type]

    monkeypatch.setattr(Assistant, "stream", spy)
    _ask(backend, ChatSession(), "Tokyo " * 100_000)
    assert len(seen[0]) <= MAX_MESSAGE_CHARS


def test_respond_keeps_a_bounded_conversation_per_session(backend: Backend) -> None:
    session = ChatSession()
    for n in range(MAX_SHOWN):  # twice as many messages as are kept
        _ask(backend, session, f"Which office covers Japan? ({n})")
    assert len(session.messages) == MAX_SHOWN
    assert len(session.turns) == MAX_TURNS
    assert session.messages[0]["content"].endswith("(30)")  # the oldest exchanges went first
    # Each recorded answer id still points to an assistant message: votes land on the right answer.
    assert session.answer_ids and all(session.messages[i]["role"] == "assistant" for i in session.answer_ids)
    assert max(session.answer_ids) == MAX_SHOWN - 1


def test_vote_up_is_stored_and_thanked(backend: Backend) -> None:
    session = ChatSession()
    _ask(backend, session, TOKYO)
    view = chat.vote(backend, session, 1, True, "fr")
    assert view.status == "✔ Merci pour votre avis." and view.panel is False
    assert _store(backend).counts()["up"] == 1


def test_vote_down_asks_why_then_stores_the_reason(backend: Backend) -> None:
    session = ChatSession()
    _ask(backend, session, TOKYO)
    assert chat.vote(backend, session, 1, False, "en") == chat.FeedbackView(panel=True, clear_fields=True)
    view = chat.send_reason(backend, session, "outdated", "Moved in 2025.", "en", detailed=True)
    assert view.panel is False and view.status.startswith("✔ Thank you")
    [row] = _store(backend).feedback()
    assert (row.vote, row.reason, row.comment) == ("down", "outdated", "Moved in 2025.")


def test_vote_down_without_reason_is_stored_at_the_next_question(backend: Backend) -> None:
    session = ChatSession()
    _ask(backend, session, TOKYO)
    chat.vote(backend, session, 1, False, "en")
    _ask(backend, session, "and Vietnam?")  # the reason never came
    [row] = _store(backend).feedback()
    assert (row.vote, row.reason) == ("down", None)


def test_vote_taken_back_drops_the_pending_down(backend: Backend) -> None:
    session = ChatSession()
    _ask(backend, session, TOKYO)
    chat.vote(backend, session, 1, False, "en")
    chat.vote(backend, session, 1, None, "en")
    chat.clear(backend, session)
    assert _store(backend).feedback() == []


def test_vote_on_a_message_that_was_not_recorded(backend: Backend) -> None:
    view = chat.vote(backend, ChatSession(), 7, True, "en")
    assert view.status == "This feedback could not be saved (the answer was not recorded)."


def test_chat_without_a_writable_store_answers_and_says_why(assistant: Assistant, tmp_path: Path) -> None:
    backend = Backend(
        assistant.settings, assistant, feedback=UnavailableStore(tmp_path, "read-only file system")
    )
    session = ChatSession()
    final = _ask(backend, session, TOKYO)[-1].messages
    assert "Tokyo" in final[-1]["content"]
    view = chat.vote(backend, session, 1, True, "en")
    assert str(tmp_path) in view.status and "read-only file system" in view.status
    assert "Feedback cannot be saved" in chat.store_notice(backend, "en")
    assert chat.store_notice(Backend(assistant.settings, assistant), "en") == ""


def test_respond_says_why_the_index_failed(settings: Settings) -> None:
    backend = Backend(settings)
    backend.error, backend.retry_in = "The Chroma server at http://127.0.0.1:9 is unreachable.", 4.0
    final = _ask(backend, ChatSession(), TOKYO, "en")[-1].messages
    assert "The index could not be prepared" in final[-1]["content"]
    assert "http://127.0.0.1:9 is unreachable" in final[-1]["content"]
    assert "Retrying automatically every 4 s" in final[-1]["content"]


def test_clear_starts_a_new_conversation(backend: Backend) -> None:
    session = ChatSession()
    _ask(backend, session, TOKYO)
    assert chat.clear(backend, session).messages == []
    assert session == ChatSession()
