"""The chat page's layout: the conversation, the question box, example questions, the feedback panel.

Each Gradio event goes through a small adapter to a handler of `chat.py`, which returns a named view;
the adapter turns it into the outputs. The chatbot is an output only. All the ways to ask share one
concurrency budget (`chat_concurrency`); every event but `chat` is hidden from the API page (and,
like it, only ever works on the caller's own session).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.config import MAX_MESSAGE_CHARS
from assistant.web import shaping
from assistant.web.backend import Backend
from assistant.web.chat import (
    ChatSession,
    ChatView,
    FeedbackView,
    clear,
    flush,
    respond,
    send_reason,
    store_notice,
    vote,
)
from assistant.web.i18n import Labels, heading
from assistant.web.messages import DEFAULT_LANG, EXAMPLES, lang_of, text

PRIVATE = "private"  # events hidden from the API page (still reachable by fn_index)


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
