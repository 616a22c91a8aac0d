"""The chat page's handlers: streamed, cited answers, thumbs up/down with a reason.

Plain functions on a `ChatSession` (the server-side state of one browser tab) returning `ChatView` /
`FeedbackView`: tests call them without building the page; `chat_page.py` lays the page out and
wires each Gradio event to one of them. No Gradio here.

What an anonymous client can send is bounded: a message is cut at MAX_MESSAGE_CHARS (the answerer
reads the first `max_question_chars` and says so), a session keeps its last MAX_SHOWN messages on
screen and MAX_TURNS for follow-up questions, and chat answers run `chat_concurrency` at a time
(one slow request does not hold the others). The chatbot is an output only: the conversation
shown comes from the session, so a client cannot slip a file reference into it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.citations import Answer, escape_markdown
from assistant.config import MAX_MESSAGE_CHARS
from assistant.errors import AssistantError
from assistant.web import shaping
from assistant.web.backend import Backend
from assistant.web.feedback import UnavailableStore
from assistant.web.messages import text
from assistant.web.progress import preparing_markdown

log = logging.getLogger(__name__)
Message = dict[str, Any]

MAX_SHOWN = 60  # messages kept on screen (and in memory) per session: 30 exchanges
MAX_TURNS = 20  # plain-text messages kept for follow-up questions (the answerer reads the last few)
_WAIT_STEP = 1.0  # seconds between two progress updates while the index is being prepared


@dataclass
class ChatSession:
    """What the server keeps for one browser tab: the chat as shown, the turns, the recorded answers."""

    # The chat as shown: only what the app itself wrote (the chatbot is never an input).
    messages: list[Message] = field(default_factory=list)
    turns: list[dict[str, str]] = field(default_factory=list)  # plain text, for follow-up questions
    answer_ids: dict[int, str] = field(default_factory=dict)  # index in `messages` -> feedback id
    pending_down: str | None = None  # answer id of a thumb down still waiting for its reason

    def reset(self) -> None:
        self.messages, self.turns, self.answer_ids, self.pending_down = [], [], {}, None

    def trim(self) -> None:
        """Keep the last MAX_SHOWN messages and MAX_TURNS turns; answer ids follow their message."""
        extra = len(self.messages) - MAX_SHOWN
        if extra > 0:
            extra += extra % 2  # drop whole exchanges
            self.messages = self.messages[extra:]
            self.answer_ids = {i - extra: a for i, a in self.answer_ids.items() if i >= extra}
        if len(self.turns) > MAX_TURNS:
            self.turns = self.turns[-MAX_TURNS:]


@dataclass(frozen=True)
class ChatView:
    """The chat outputs after a handler step: the messages, the question box, the feedback panel."""

    messages: list[Message]
    question: str = ""
    panel: bool | None = None  # show / hide the thumb-down reason panel; None: unchanged
    status: str = ""  # the feedback status line


@dataclass(frozen=True)
class FeedbackView:
    """The feedback outputs after a vote: panel visibility, whether to clear its fields, status line."""

    panel: bool
    clear_fields: bool = False
    status: str = ""


# -- handlers -----------------------------------------------------------------------------------------


def respond(backend: Backend, session: ChatSession, message: str, lang: str) -> Iterator[ChatView]:
    """Stream the answer to `message` into the chat, then record it for feedback."""
    raw = message or ""
    question = raw[:MAX_MESSAGE_CHARS].strip()
    if not question:
        yield ChatView(list(session.messages))
        return
    flush(backend, session)
    chat = session.messages
    chat += [
        {
            "role": "user",
            "content": _user_message(question, len(raw), backend.settings.max_question_chars, lang),
        },
        {"role": "assistant", "content": "…"},
    ]
    yield ChatView(list(chat), panel=False)
    try:
        assistant = backend.assistant
        while assistant is None and backend.error is None:
            chat[-1] = {"role": "assistant", "content": preparing_markdown(lang, backend.progress.snapshot())}
            yield ChatView(list(chat))
            assistant = backend.wait(_WAIT_STEP)
        if assistant is None:
            chat[-1] = {"role": "assistant", "content": banner(backend, lang)}
            yield ChatView(list(chat))
            return
        written, answer = "", None
        for event in assistant.stream(question, list(session.turns)):
            if isinstance(event, Answer):
                answer = event
            else:
                written += event
                chat[-1] = {"role": "assistant", "content": shaping.partial_markdown(written)}
                yield ChatView(list(chat))
        if answer is None:
            raise RuntimeError("the assistant ended without an answer")
        chat[-1] = {"role": "assistant", "content": shaping.answer_markdown(answer)}
        session.turns += [
            {"role": "user", "content": question[: backend.settings.max_question_chars]},
            {"role": "assistant", "content": answer.text},
        ]
        _record(backend, session, len(chat) - 1, answer)
    except Exception:  # the user gets a friendly message, the log gets the trace
        log.exception("chat handler failed")
        chat[-1] = {"role": "assistant", "content": shaping.error_markdown(lang)}
    session.trim()
    yield ChatView(list(session.messages))


def clear(backend: Backend, session: ChatSession) -> ChatView:
    """A new conversation: a pending thumb down is stored first."""
    flush(backend, session)
    session.reset()
    return ChatView([], panel=False)


def vote(backend: Backend, session: ChatSession, index: int, liked: object, lang: str) -> FeedbackView:
    """A thumb on the message at `index`: up is stored now, down opens the reason panel."""
    answer_id = session.answer_ids.get(index)
    choice = shaping.vote_of(liked)
    if answer_id is None:
        return FeedbackView(panel=False, status=_unavailable(backend, lang))
    if choice is None:  # the vote was taken back
        if session.pending_down == answer_id:
            session.pending_down = None
        return FeedbackView(panel=False)
    flush(backend, session)
    if choice == "up":
        stored = _store_vote(backend, answer_id, "up")
        return FeedbackView(
            panel=False, status=text(lang, "thanks_up") if stored else _unavailable(backend, lang)
        )
    session.pending_down = answer_id
    return FeedbackView(panel=True, clear_fields=True)


def send_reason(
    backend: Backend, session: ChatSession, reason: str | None, comment: str, lang: str, *, detailed: bool
) -> FeedbackView:
    """Store the pending thumb down, with its reason and comment when `detailed`."""
    answer_id, session.pending_down = session.pending_down, None
    if answer_id is None:
        return FeedbackView(panel=False)
    if detailed:
        stored = _store_vote(backend, answer_id, "down", reason, comment)
    else:
        stored = _store_vote(backend, answer_id, "down")
    return FeedbackView(
        panel=False, status=text(lang, "thanks_down") if stored else _unavailable(backend, lang)
    )


def flush(backend: Backend, session: ChatSession) -> None:
    """Store a thumb down whose reason never came, so that no vote is lost."""
    if session.pending_down:
        answer_id, session.pending_down = session.pending_down, None
        _store_vote(backend, answer_id, "down")


def banner(backend: Backend, lang: str) -> str:
    """The index banner: its progress, or why it failed (and that it retries)."""
    if backend.error:
        failed = text(lang, "index_failed", error=escape_markdown(backend.error))
        if backend.retry_in is not None:
            failed += " " + text(lang, "index_retrying", seconds=f"{backend.retry_in:.0f}")
        return failed
    return preparing_markdown(lang, backend.progress.snapshot())


def _user_message(question: str, length: int, shown: int, lang: str) -> str:
    if length <= shown:
        return shaping.user_markdown(question)
    cut = text(lang, "message_cut", n=length, kept=shown)
    return f"{shaping.user_markdown(question[:shown])}…\n\n*{cut}*"


def _record(backend: Backend, session: ChatSession, index: int, answer: Answer) -> None:
    try:
        session.answer_ids[index] = backend.feedback.record_answer(answer)
    except AssistantError as exc:  # the answer is shown even if it cannot be stored
        log.debug("answer not recorded: %s", exc)
    except Exception:
        log.exception("could not record the answer for feedback")


def _store_vote(
    backend: Backend, answer_id: str, vote: str, reason: str | None = None, comment: str | None = None
) -> bool:
    try:
        backend.feedback.add_feedback(answer_id, vote, reason or None, comment or None)
    except AssistantError as exc:
        log.info("feedback on %s not stored: %s", answer_id, exc)
        return False
    except Exception:  # a lost vote must not break the chat
        log.exception("could not store feedback on %s", answer_id)
        return False
    return True


def _unavailable(backend: Backend, lang: str) -> str:
    store = backend.feedback
    if isinstance(store, UnavailableStore):
        return text(lang, "feedback_store_down", reason=store.reason(lang))
    return text(lang, "feedback_unavailable")


def store_notice(backend: Backend, lang: str) -> str:
    """A line saying that feedback cannot be saved, or "" when it can."""
    return _unavailable(backend, lang) if isinstance(backend.feedback, UnavailableStore) else ""
