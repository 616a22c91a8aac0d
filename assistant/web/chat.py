"""The chat page: streamed, cited answers, example questions, thumbs up/down with a reason.

Handlers first, as plain functions on a `ChatSession` (the server-side state of one browser tab)
returning `ChatView` / `FeedbackView`: tests call them without building the page. `build` lays the
page out and wires each Gradio event to a handler through a small adapter.

What an anonymous client can send is bounded: a message is cut at MAX_MESSAGE_CHARS (the answerer
reads the first `max_question_chars` and says so), a session keeps its last MAX_SHOWN messages on
screen and MAX_TURNS for follow-up questions, and chat answers run `chat_concurrency` at a time
(one slow request does not hold the others). The chatbot is an output only: the conversation
shown comes from the session, so a client cannot slip a file reference into it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from assistant.citations import Answer, escape_markdown
from assistant.config import MAX_MESSAGE_CHARS
from assistant.errors import AssistantError
from assistant.web import shaping
from assistant.web.backend import Backend
from assistant.web.feedback import UnavailableStore
from assistant.web.i18n import Labels, heading
from assistant.web.messages import DEFAULT_LANG, EXAMPLES, lang_of, text
from assistant.web.progress import preparing_markdown

log = logging.getLogger(__name__)
Message = dict[str, Any]
PRIVATE = "private"  # events hidden from the API page (still reachable by fn_index: handlers check)

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


# -- layout and wiring ----------------------------------------------------------------------------------


def build(backend: Backend, lang: gr.Radio, labels: Labels) -> None:
    """Lay out the chat tab inside the current Blocks context and wire its events."""
    lang0 = DEFAULT_LANG
    session = gr.State(ChatSession(), delete_callback=functools.partial(flush, backend))
    with gr.Row(elem_id="derci-chat-row"):
        with gr.Column(scale=3, min_width=300):
            notice = store_notice(backend, lang0)
            labels.add_fn(
                gr.Markdown(notice, visible=bool(notice), elem_id="derci-store-notice"),
                lambda lg: {"value": store_notice(backend, lg)},
            )
            chatbot = labels.add(
                gr.Chatbot(
                    label=text(lang0, "chatbot"),
                    elem_id="derci-chat",
                    height="64vh",
                    min_height=420,
                    buttons=["copy", "copy_all"],
                    sanitize_html=True,
                    allow_tags=False,
                    latex_delimiters=[],
                    feedback_options=("Like", "Dislike"),
                ),
                label="chatbot",
            )
            with gr.Group(visible=False) as panel:
                labels.add(gr.Markdown(text(lang0, "feedback_title")), value="feedback_title")
                reason = gr.Radio(shaping.reason_choices(lang0), label=text(lang0, "reason"))
                labels.add_fn(
                    reason, lambda lg: {"choices": shaping.reason_choices(lg), "label": text(lg, "reason")}
                )
                comment = labels.add(gr.Textbox(label=text(lang0, "comment"), max_lines=4), label="comment")
                with gr.Row():
                    fb_send = labels.add(
                        gr.Button(text(lang0, "feedback_send"), variant="primary"), value="feedback_send"
                    )
                    fb_skip = labels.add(gr.Button(text(lang0, "feedback_skip")), value="feedback_skip")
            fb_status = gr.Markdown(elem_id="derci-feedback-status")
            with gr.Row():
                question = labels.add(
                    gr.Textbox(
                        label=text(lang0, "question"),
                        placeholder=text(lang0, "placeholder"),
                        scale=8,
                        max_lines=6,
                        max_length=MAX_MESSAGE_CHARS,
                        autofocus=True,
                    ),
                    label="question",
                    placeholder="placeholder",
                )
                send = labels.add(
                    gr.Button(text(lang0, "send"), variant="primary", scale=1, min_width=80), value="send"
                )
            new = labels.add(gr.Button(text(lang0, "new_conversation"), size="sm"), value="new_conversation")
        with gr.Column(scale=1, min_width=240, elem_classes="derci-examples"):
            labels.add_fn(gr.Markdown(f"### {text(lang0, 'examples')}"), heading("examples"))
            example_buttons = []
            for p, (persona, questions) in enumerate(EXAMPLES[lang0]):
                labels.add_fn(gr.Markdown(persona, elem_classes="derci-persona"), _example(p, None))
                for q, example in enumerate(questions):
                    example_buttons.append(labels.add_fn(gr.Button(example, size="sm"), _example(p, q)))

    def on_message(message: str, state: ChatSession, ui_lang: str) -> Iterator[list[Any]]:
        for view in respond(backend, state, message, ui_lang):
            yield _chat_outputs(view, state)

    def on_clear(state: ChatSession) -> list[Any]:
        return _chat_outputs(clear(backend, state), state)

    def on_like(state: ChatSession, ui_lang: str, data: gr.LikeData) -> list[Any]:
        index = data.index if isinstance(data.index, int) else data.index[0]
        return _feedback_outputs(vote(backend, state, int(index), data.liked, ui_lang), state)

    outputs = [chatbot, question, session, panel, fb_status]
    # All the ways to ask share one concurrency budget: `chat_concurrency` answers at a time.
    asking: dict[str, Any] = {
        "concurrency_limit": backend.settings.chat_concurrency,
        "concurrency_id": "chat",
    }
    question.submit(on_message, [question, session, lang], outputs, api_name="chat", **asking)
    send.click(on_message, [question, session, lang], outputs, api_visibility=PRIVATE, **asking)
    for button in example_buttons:
        button.click(on_message, [button, session, lang], outputs, api_visibility=PRIVATE, **asking)
    new.click(on_clear, session, outputs, api_visibility=PRIVATE)
    chatbot.clear(on_clear, session, outputs, api_visibility=PRIVATE)  # the chatbot's own trash button
    chatbot.like(
        on_like, [session, lang], [session, panel, reason, comment, fb_status], api_visibility=PRIVATE
    )
    for button, detailed in ((fb_send, True), (fb_skip, False)):
        button.click(
            functools.partial(_on_reason, backend, detailed=detailed),
            [session, reason, comment, lang],
            [session, panel, fb_status],
            api_visibility=PRIVATE,
        )


def _on_reason(
    backend: Backend, state: ChatSession, why: str | None, note: str, ui_lang: str, *, detailed: bool
) -> list[Any]:
    view = send_reason(backend, state, why, note, ui_lang, detailed=detailed)
    return [state, gr.update(visible=view.panel), view.status]


def _chat_outputs(view: ChatView, state: ChatSession) -> list[Any]:
    panel = gr.update() if view.panel is None else gr.update(visible=view.panel)
    return [view.messages, view.question, state, panel, view.status]


def _feedback_outputs(view: FeedbackView, state: ChatSession) -> list[Any]:
    reset = gr.update(value=None) if view.clear_fields else gr.update()
    comment = gr.update(value="") if view.clear_fields else gr.update()
    return [state, gr.update(visible=view.panel), reset, comment, view.status]


def _example(persona: int, question: int | None) -> Any:
    """The label of an example persona (question None) or of one of its questions, by language."""

    def props(lang: str) -> dict[str, Any]:
        name, questions = EXAMPLES[lang_of(lang)][persona]
        return {"value": name if question is None else questions[question]}

    return props
