"""The web app: cited chat, office map and staff area (Gradio), plus a JSON endpoint, on one FastAPI app.

`build_demo()` returns the Gradio `Blocks`; `build_app()` mounts it at `/` beside `POST /api/ask`;
`main()` serves that app on settings.host:settings.port (127.0.0.1:7860 by default), never shared.
On first start the index is built in a background thread: the terminal prints its progress and the
page shows a "preparing the index" banner; questions asked meanwhile wait for it.

No answer logic here: answers come from `Assistant.stream`, messages are shaped by `assistant.webapp`,
the map is drawn by `assistant.mapview`, votes and staff actions go to `assistant.feedback` and
`assistant.staff`. Staff handlers are hidden from the API and check the server-side session token.
"""

from __future__ import annotations

import functools
import logging
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, ParamSpec, TypeVar

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, Field

from assistant import webapp
from assistant.citations import escape_markdown
from assistant.config import Settings
from assistant.directory import OfficeDirectory, load_offices
from assistant.documents import SUPPORTED_SUFFIXES
from assistant.errors import AssistantError, ConfigError, InputError
from assistant.feedback import FeedbackStore
from assistant.mapview import MAP_CSS, office_map_html
from assistant.staff import DocumentManager, StaffAuth
from assistant.webapp import ChatSession, label

if TYPE_CHECKING:
    from assistant.chain import Assistant

log = logging.getLogger("assistant.ui")
P = ParamSpec("P")
R = TypeVar("R")
Message = dict[str, Any]
_PRIVATE: Literal["private"] = "private"  # hidden from the API page and refused to Gradio clients

CSS = (
    MAP_CSS
    + """
#derci-chat blockquote { border-left: 4px solid #d97706; background: #fff7ed; color: #3b2a12;
  padding: .35rem .8rem; margin: .4rem 0; border-radius: 4px; }
#derci-chat details { margin-top: .7rem; border-top: 1px solid #d0d7de; padding-top: .4rem; }
#derci-chat details summary { cursor: pointer; font-weight: 600; }
#derci-chat details blockquote { border-left-color: #8c959f; background: transparent; color: inherit;
  font-size: .92em; }
.derci-examples button { text-align: left; justify-content: flex-start; white-space: normal;
  font-weight: normal; }
.derci-persona p { margin: .6rem 0 .1rem; font-weight: 600; }
.gradio-container h2, .gradio-container h3, .gradio-container h4 { font-weight: 600; }
#derci-banner { border: 1px solid #d97706; background: #fff7ed; border-radius: 8px; padding: .3rem .8rem; }
"""
)


def theme() -> gr.themes.Base:
    """Gradio's default theme on system fonts: its bundled Source Sans Pro SemiBold lacks "A" and "B"."""
    return gr.themes.Default(
        font=("ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"),
        font_mono=("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"),
    )


def _unicode(text: str) -> str:
    """Refuse strings that are not valid Unicode (JSON can carry lone surrogates such as "\\ud800")."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the text is not valid Unicode (lone surrogate); send UTF-8 text") from None
    return text


class AskMessage(BaseModel):
    role: Literal["user", "assistant"]
    content: Annotated[str, Field(max_length=20_000), AfterValidator(_unicode)]


class AskRequest(BaseModel):
    """Body of POST /api/ask."""

    question: Annotated[str, Field(min_length=1, max_length=20_000), AfterValidator(_unicode)]
    history: list[AskMessage] = Field(default_factory=list, max_length=40)


# -- the assistant, built in the background -----------------------------------------------------


class _Backend:
    """The assistant and its stores; on first start the assistant is built in a thread, with progress."""

    def __init__(self, settings: Settings, assistant: Assistant | None) -> None:
        self.settings = settings
        self.assistant = assistant
        self.error: str | None = None
        self.stage: tuple[str, int, int] = ("", 0, 0)
        self.ready = threading.Event()
        self.feedback = FeedbackStore(settings.feedback_db)
        self.auth = StaffAuth(settings)
        self.offices: OfficeDirectory = (
            assistant.knowledge.offices if assistant else load_offices(settings.offices_path)
        )
        self.resync_lock = threading.Lock()
        self._printed = 0.0
        if assistant is not None:
            self.ready.set()

    def start(self) -> None:
        if not self.ready.is_set():
            threading.Thread(target=self._build, name="derci-index", daemon=True).start()

    def wait(self, timeout: float) -> Assistant | None:
        self.ready.wait(timeout)
        return self.assistant

    def documents(self) -> DocumentManager | None:
        """The document manager, once the index is ready."""
        assistant = self.wait(0)
        return None if assistant is None else DocumentManager(self.settings, assistant.knowledge)

    def manager(self) -> DocumentManager:
        manager = self.documents()
        if manager is None:
            raise InputError(
                self.error or "L'index est en préparation / The index is being prepared: retry shortly."
            )
        return manager

    def _build(self) -> None:
        from assistant.chain import Assistant
        from assistant.knowledge import KnowledgeBase

        start = time.monotonic()
        _say(
            f"Syncing the index {self.settings.index_dir} with {self.settings.corpus_dir} "
            "(the first start builds it: 30 s or more; the page shows the progress)..."
        )
        try:
            knowledge = KnowledgeBase.open(self.settings, progress=self._progress)
            self.assistant = Assistant(self.settings, knowledge=knowledge)
            summary = knowledge.last_sync.summary() if knowledge.last_sync else ""
            _say(f"Index ready in {time.monotonic() - start:.0f} s. {summary}")
        except AssistantError as exc:
            self.error = str(exc)
            _say(f"The index could not be prepared: {exc}")
        except Exception as exc:  # shown as a banner, the trace goes to the log
            log.exception("index preparation failed")
            self.error = f"{type(exc).__name__}; see the terminal for details."
        finally:
            self.ready.set()

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.stage = (stage, done, total)
        now = time.monotonic()
        if now - self._printed >= 2.0 or done == total:
            self._printed = now
            _say(f"  index: {stage} {done}/{total}")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _backend(assistant: Assistant | None, settings: Settings | None) -> _Backend:
    settings = settings or (assistant.settings if assistant else Settings.load())
    backend = _Backend(settings, assistant)
    backend.start()
    return backend


# -- public factories ---------------------------------------------------------------------------


def build_demo(assistant: Assistant | None = None, settings: Settings | None = None) -> gr.Blocks:
    """The Gradio app. Without an assistant, one is built from `settings` in the background."""
    return _blocks(_backend(assistant, settings))


def build_app(assistant: Assistant | None = None, settings: Settings | None = None) -> FastAPI:
    """A FastAPI app serving `POST /api/ask` and the Gradio app at `/` (what `main` runs)."""
    backend = _backend(assistant, settings)
    app = FastAPI(title="DERCI assistant", docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/api/ask")
    def ask(body: AskRequest) -> JSONResponse:
        result = _ask(backend, body.question, [m.model_dump() for m in body.history])
        return JSONResponse(result, status_code=503 if "detail" in result else 200)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes the input back: a lone surrogate in it ({"question": "\ud800"})
        # cannot be encoded, which turned a bad request into a 500 with a traceback.
        errors = [{k: e[k] for k in ("type", "loc", "msg") if k in e} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    blocks = _blocks(backend)
    mounted: FastAPI = gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        blocked_paths=[str(p) for p in _private_paths(backend.settings)],
        css=CSS,
        theme=theme(),
        show_error=False,  # unexpected errors stay in the terminal; the UI shows friendly messages
        max_file_size=backend.settings.max_upload_bytes,
        footer_links=["api"],
    )
    # subtle: Gradio checks that a file named in a request was uploaded through it (and is not in
    # blocked_paths) only once the Blocks "has launched", which mount_gradio_app never marks. Left
    # unmarked, any event with a chatbot, file or upload input copied a server path chosen by the
    # client ("/etc/passwd") into the cache and served it back.
    blocks.has_launched = True
    return mounted


def _private_paths(settings: Settings) -> list[Path]:
    """What no file URL may ever serve, whatever Gradio's other rules say."""
    return [settings.data_dir, settings.index_dir, Path("/proc"), Path("/etc"), Path.home() / ".ssh"]


def _ask(backend: _Backend, question: str, history: list[Message]) -> dict[str, Any]:
    assistant = backend.wait(0)
    if assistant is None:
        stage, done, total = backend.stage
        return {"detail": backend.error or f"Preparing the index ({stage} {done}/{total}); retry shortly."}
    answer = assistant.ask(question, history)
    return {
        "answer": answer.text,
        "citations": answer.to_dict()["citations"],
        "refused": answer.refused,
        "notice": answer.notice,
        "lang": answer.lang,
    }


# -- the page -------------------------------------------------------------------------------------


class _Labels:
    """Components whose properties follow the interface language."""

    def __init__(self) -> None:
        self.items: list[tuple[Any, Callable[[str], dict[str, Any]]]] = []

    def add(self, component: Any, **keys: str) -> Any:
        """Register `component`, whose property `prop` shows label `key` (`value="send"`...)."""
        self.items.append((component, lambda lang: {p: label(lang, k) for p, k in keys.items()}))
        return component

    def add_fn(self, component: Any, props: Callable[[str], dict[str, Any]]) -> Any:
        self.items.append((component, props))
        return component

    def updates(self, lang: str) -> list[Any]:
        return [gr.update(**props(lang)) for _, props in self.items]


def _blocks(backend: _Backend) -> gr.Blocks:
    lang0 = webapp.DEFAULT_LANG
    labels = _Labels()
    # delete_cache: uploads and CSV exports leave Gradio's file cache after an hour.
    demo = gr.Blocks(title=label(lang0, "title"), analytics_enabled=False, delete_cache=(3600, 3600))
    with demo:
        with gr.Row(equal_height=True):
            title = gr.Markdown(f"## {label(lang0, 'title')}", scale=1)
            labels.add_fn(title, lambda lg: {"value": f"## {label(lg, 'title')}"})
            lang = gr.Radio(
                list(webapp.LANG_CHOICES), value=lang0, label="Langue / Language", scale=0, min_width=300
            )
        labels.add(gr.Markdown(label(lang0, "intro")), value="intro")
        banner = gr.Markdown(
            _banner(backend, lang0), visible=not backend.ready.is_set(), elem_id="derci-banner"
        )
        timer = gr.Timer(1.0, active=not backend.ready.is_set())
        with gr.Tabs():
            with labels.add(gr.Tab(label(lang0, "tab_chat")), label="tab_chat"):
                _chat_tab(backend, lang, labels)
            with labels.add(gr.Tab(label(lang0, "tab_map")), label="tab_map"):
                labels.add(gr.Markdown(label(lang0, "map_intro")), value="map_intro")
                office_map = gr.HTML(office_map_html(backend.offices, lang0), js_on_load=None)
                labels.add_fn(office_map, lambda lg: {"value": office_map_html(backend.offices, lg)})
            with labels.add(gr.Tab(label(lang0, "tab_staff")), label="tab_staff"):
                _staff_tab(backend, lang, labels)

        def relabel(lg: str) -> list[Any]:
            return labels.updates(lg)

        def detect(request: gr.Request) -> str:
            return webapp.preferred_language(request.headers.get("accept-language"))

        def tick(lg: str) -> tuple[Any, Any]:
            done = backend.ready.is_set() and backend.error is None
            return gr.update(value=_banner(backend, lg), visible=not done), gr.Timer(
                active=not backend.ready.is_set()
            )

        lang.change(
            relabel, lang, [c for c, _ in labels.items], api_visibility=_PRIVATE, show_progress="hidden"
        )
        demo.load(detect, None, lang, api_visibility=_PRIVATE)
        timer.tick(tick, lang, [banner, timer], api_visibility=_PRIVATE, show_progress="hidden")
    return demo


def _banner(backend: _Backend, lang: str) -> str:
    if backend.error:
        return label(lang, "index_failed", error=escape_markdown(backend.error))
    return webapp.preparing_markdown(lang, *backend.stage)


# -- chat -------------------------------------------------------------------------------------------


def _chat_tab(backend: _Backend, lang: Any, labels: _Labels) -> None:
    lang0 = webapp.DEFAULT_LANG
    store = backend.feedback

    def flush(session: ChatSession) -> None:
        """Store a thumb down whose reason never came, so that no vote is lost."""
        if session.pending_down:
            answer_id, session.pending_down = session.pending_down, None
            _safe_feedback(store, answer_id, "down")

    session = gr.State(ChatSession(), delete_callback=flush)
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = labels.add(
                gr.Chatbot(
                    label=label(lang0, "chatbot"),
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
                labels.add(gr.Markdown(label(lang0, "feedback_title")), value="feedback_title")
                reason = gr.Radio(webapp.reason_choices(lang0), label=label(lang0, "reason"))
                labels.add_fn(
                    reason, lambda lg: {"choices": webapp.reason_choices(lg), "label": label(lg, "reason")}
                )
                comment = labels.add(gr.Textbox(label=label(lang0, "comment"), max_lines=4), label="comment")
                with gr.Row():
                    fb_send = labels.add(
                        gr.Button(label(lang0, "feedback_send"), variant="primary"), value="feedback_send"
                    )
                    fb_skip = labels.add(gr.Button(label(lang0, "feedback_skip")), value="feedback_skip")
            fb_status = gr.Markdown(elem_id="derci-feedback-status")
            with gr.Row():
                question = labels.add(
                    gr.Textbox(
                        label=label(lang0, "question"),
                        placeholder=label(lang0, "placeholder"),
                        scale=8,
                        max_lines=6,
                        autofocus=True,
                    ),
                    label="question",
                    placeholder="placeholder",
                )
                send = labels.add(gr.Button(label(lang0, "send"), variant="primary", scale=1), value="send")
            new = labels.add(gr.Button(label(lang0, "new_conversation"), size="sm"), value="new_conversation")
        with gr.Column(scale=1, elem_classes="derci-examples"):
            labels.add_fn(gr.Markdown(f"### {label(lang0, 'examples')}"), _heading("examples"))
            example_buttons = []
            for p, (persona, questions) in enumerate(webapp.EXAMPLES[lang0]):
                labels.add_fn(gr.Markdown(persona, elem_classes="derci-persona"), _example(p, None))
                for q, text in enumerate(questions):
                    button = labels.add_fn(gr.Button(text, size="sm"), _example(p, q))
                    example_buttons.append(button)

    def respond(
        message: str, state: ChatSession, ui_lang: str
    ) -> Iterator[tuple[list[Message], str, ChatSession, Any, str]]:
        """Stream the answer to `message` into the chat, then record it for feedback."""
        text = (message or "").strip()
        chat = state.messages
        if not text:
            yield list(chat), "", state, gr.update(), ""
            return
        flush(state)
        chat += [
            {"role": "user", "content": webapp.user_markdown(text)},
            {"role": "assistant", "content": "…"},
        ]
        yield list(chat), "", state, gr.update(visible=False), ""
        try:
            assistant = backend.wait(0)
            while assistant is None and not backend.ready.is_set():
                chat[-1] = {
                    "role": "assistant",
                    "content": webapp.preparing_markdown(ui_lang, *backend.stage),
                }
                yield list(chat), "", state, gr.update(), ""
                assistant = backend.wait(1.0)
            if assistant is None:
                chat[-1] = {"role": "assistant", "content": _banner(backend, ui_lang)}
                yield list(chat), "", state, gr.update(), ""
                return
            partial, answer = "", None
            for event in assistant.stream(text, state.turns):
                if isinstance(event, str):
                    partial += event
                    chat[-1] = {"role": "assistant", "content": webapp.partial_markdown(partial)}
                    yield list(chat), "", state, gr.update(), ""
                else:
                    answer = event
            if answer is None:
                raise RuntimeError("the assistant ended without an answer")
            chat[-1] = {"role": "assistant", "content": webapp.answer_markdown(answer)}
            state.turns += [{"role": "user", "content": text}, {"role": "assistant", "content": answer.text}]
            try:
                state.answer_ids[len(chat) - 1] = store.record_answer(answer)
            except Exception:  # the answer is shown even if it cannot be stored
                log.exception("could not record the answer for feedback")
        except Exception:  # the user gets a friendly message, the log gets the trace
            log.exception("chat handler failed")
            chat[-1] = {"role": "assistant", "content": webapp.error_markdown(ui_lang)}
        yield list(chat), "", state, gr.update(), ""

    def clear(state: ChatSession) -> tuple[list[Message], str, ChatSession, Any, str]:
        flush(state)
        return [], "", ChatSession(), gr.update(visible=False), ""

    def like(state: ChatSession, ui_lang: str, data: gr.LikeData) -> tuple[ChatSession, Any, Any, Any, str]:
        index = data.index if isinstance(data.index, int) else data.index[0]
        answer_id = state.answer_ids.get(index)
        vote = webapp.vote_of(data.liked)
        hidden = gr.update(visible=False)
        if answer_id is None:
            return state, hidden, gr.update(), gr.update(), label(ui_lang, "feedback_unavailable")
        if vote is None:  # the vote was taken back
            if state.pending_down == answer_id:
                state.pending_down = None
            return state, hidden, gr.update(), gr.update(), ""
        flush(state)
        if vote == "up":
            ok = _safe_feedback(store, answer_id, "up")
            return (
                state,
                hidden,
                gr.update(),
                gr.update(),
                label(ui_lang, "thanks_up" if ok else "feedback_unavailable"),
            )
        state.pending_down = answer_id
        return state, gr.update(visible=True), gr.update(value=None), gr.update(value=""), ""

    def send_reason(
        state: ChatSession, why: str | None, note: str, ui_lang: str, detailed: bool = True
    ) -> tuple[ChatSession, Any, str]:
        answer_id, state.pending_down = state.pending_down, None
        if answer_id is None:
            return state, gr.update(visible=False), ""
        ok = _safe_feedback(store, answer_id, "down", why if detailed else None, note if detailed else None)
        return (
            state,
            gr.update(visible=False),
            label(ui_lang, "thanks_down" if ok else "feedback_unavailable"),
        )

    outputs = [chatbot, question, session, panel, fb_status]
    # The chatbot is an output only: the conversation comes from server-side state (see ChatSession).
    question.submit(respond, [question, session, lang], outputs, api_name="chat")
    send.click(respond, [question, session, lang], outputs, api_visibility=_PRIVATE)
    for button in example_buttons:
        button.click(respond, [button, session, lang], outputs, api_visibility=_PRIVATE)
    new.click(clear, session, outputs, api_visibility=_PRIVATE)
    chatbot.clear(clear, session, outputs, api_visibility=_PRIVATE)  # the chatbot's own trash button
    chatbot.like(like, [session, lang], [session, panel, reason, comment, fb_status], api_visibility=_PRIVATE)
    fb_send.click(
        send_reason, [session, reason, comment, lang], [session, panel, fb_status], api_visibility=_PRIVATE
    )
    fb_skip.click(
        functools.partial(send_reason, detailed=False),
        [session, reason, comment, lang],
        [session, panel, fb_status],
        api_visibility=_PRIVATE,
    )


def _heading(key: str) -> Callable[[str], dict[str, Any]]:
    return lambda lang: {"value": f"### {label(lang, key)}"}


def _example(persona: int, question: int | None) -> Callable[[str], dict[str, Any]]:
    """The label of an example persona (question None) or of one of its questions, by language."""

    def props(lang: str) -> dict[str, Any]:
        name, questions = webapp.EXAMPLES[webapp.lang_of(lang)][persona]
        return {"value": name if question is None else questions[question]}

    return props


def _safe_feedback(
    store: FeedbackStore, answer_id: str, vote: str, reason: str | None = None, comment: str | None = None
) -> bool:
    try:
        store.add_feedback(answer_id, vote, reason or None, comment or None)
    except Exception:  # a lost vote must not break the chat
        log.exception("could not store feedback on %s", answer_id)
        return False
    return True


# -- staff --------------------------------------------------------------------------------------------


def _staff_tab(backend: _Backend, lang: Any, labels: _Labels) -> None:
    lang0 = webapp.DEFAULT_LANG
    auth = backend.auth
    token = gr.State(None)  # server-side: the browser never holds the session token
    if not auth.enabled:
        labels.add_fn(
            gr.Markdown(label(lang0, "staff_disabled", reason=auth.disabled_reason)),
            lambda lg: {"value": label(lg, "staff_disabled", reason=auth.disabled_reason)},
        )
    with gr.Row(visible=auth.enabled) as login_box:
        with gr.Column(scale=1, min_width=320):
            labels.add(gr.Markdown(label(lang0, "staff_login_intro")), value="staff_login_intro")
            user = labels.add(gr.Textbox(label=label(lang0, "user"), max_lines=1), label="user")
            password = labels.add(
                gr.Textbox(label=label(lang0, "password"), type="password", max_lines=1), label="password"
            )
            login = labels.add(gr.Button(label(lang0, "login"), variant="primary"), value="login")
            login_status = gr.Markdown()
        gr.Column(scale=1)
    with gr.Column(visible=False) as staff_box:
        with gr.Row():
            labels.add(gr.Markdown(label(lang0, "logged_in")), value="logged_in")
            logout = labels.add(gr.Button(label(lang0, "logout"), size="sm", scale=0), value="logout")
        labels.add_fn(gr.Markdown(f"### {label(lang0, 'documents')}"), _heading("documents"))
        docs = gr.Dataframe(
            headers=webapp.DOCUMENT_HEADERS[lang0],
            elem_id="derci-docs",
            show_search="search",
            interactive=False,
            wrap=True,
            max_height=360,
            column_widths=["20%", "32%", "7%", "9%", "9%", "15%", "8%"],
        )
        with gr.Row():
            refresh = labels.add(gr.Button(label(lang0, "refresh"), size="sm"), value="refresh")
            resync = labels.add(
                gr.Button(label(lang0, "resync"), variant="primary", size="sm"), value="resync"
            )
        op_status = gr.Markdown(elem_id="derci-staff-status")
        with gr.Row():
            files = labels.add(
                gr.File(
                    label=label(lang0, "upload"),
                    elem_id="derci-upload",
                    file_count="multiple",
                    type="filepath",
                    file_types=list(SUPPORTED_SUFFIXES),
                    height=150,
                ),
                label="upload",
            )
            with gr.Column():
                overwrite = labels.add(gr.Checkbox(label=label(lang0, "overwrite")), label="overwrite")
                upload = labels.add(
                    gr.Button(label(lang0, "upload_button"), size="sm"), value="upload_button"
                )
        with gr.Row():
            doomed = labels.add(
                gr.Dropdown([], label=label(lang0, "delete_choice"), scale=3), label="delete_choice"
            )
            with gr.Column(scale=2):
                confirm = labels.add(
                    gr.Checkbox(label=label(lang0, "delete_confirm")), label="delete_confirm"
                )
                delete = labels.add(
                    gr.Button(label(lang0, "delete"), variant="stop", size="sm"), value="delete"
                )
        labels.add_fn(gr.Markdown(f"### {label(lang0, 'feedback')}"), _heading("feedback"))
        counts = gr.Markdown()
        feedback = gr.Dataframe(
            headers=webapp.FEEDBACK_HEADERS[lang0],
            interactive=False,
            wrap=True,
            max_height=360,
            show_search="search",
            column_widths=["15%", "7%", "11%", "19%", "20%", "28%"],
        )
        labels.add_fn(gr.Markdown(f"### {label(lang0, 'backlog')}"), _heading("backlog"))
        backlog = gr.Dataframe(
            headers=webapp.BACKLOG_HEADERS[lang0],
            interactive=False,
            wrap=True,
            max_height=360,
            column_widths=["30%", "8%", "8%", "8%", "15%", "31%"],
        )
        with gr.Row():
            export_fb = labels.add(
                gr.Button(label(lang0, "export_feedback"), size="sm"), value="export_feedback"
            )
            export_bl = labels.add(
                gr.Button(label(lang0, "export_backlog"), size="sm"), value="export_backlog"
            )
        export_file = gr.File(label="CSV", interactive=False, visible=False, elem_id="derci-export")

    def tables(ui_lang: str) -> tuple[Any, Any, str, Any, Any]:
        manager = backend.documents()
        listed = manager.list_documents() if manager else []
        store = backend.feedback
        return (
            {"headers": webapp.DOCUMENT_HEADERS[ui_lang], "data": webapp.document_rows(listed)},
            gr.update(choices=[d.path for d in listed], value=None),
            label(ui_lang, "counts", **store.counts()),
            {
                "headers": webapp.FEEDBACK_HEADERS[ui_lang],
                "data": webapp.feedback_rows(store.feedback(), ui_lang),
            },
            {"headers": webapp.BACKLOG_HEADERS[ui_lang], "data": webapp.backlog_rows(store.backlog())},
        )

    table_outputs = [docs, doomed, counts, feedback, backlog]

    def do_login(name: str, secret: str, ui_lang: str, request: gr.Request) -> tuple[Any, ...]:
        client = request.client.host if request and request.client else ""
        try:
            session = auth.login(name or "", secret or "", client)
        except InputError as exc:
            unchanged = [gr.update()] * len(table_outputs)
            return (None, gr.update(), gr.update(), "", f"⚠ {escape_markdown(str(exc))}", *unchanged)
        return (
            session,
            gr.update(visible=False),
            gr.update(visible=True),
            "",
            "",
            *_friendly(tables)(ui_lang),
        )

    @_staff_only(auth)
    def do_logout(session: str | None, ui_lang: str) -> tuple[Any, ...]:
        auth.logout(session)
        return None, gr.update(visible=True), gr.update(visible=False), label(ui_lang, "logged_out")

    @_staff_only(auth)
    def do_refresh(session: str | None, ui_lang: str) -> tuple[Any, ...]:
        return tables(ui_lang)

    @_staff_only(auth)
    def do_upload(
        session: str | None, paths: list[str] | None, replace: bool, ui_lang: str
    ) -> tuple[Any, ...]:
        if not paths:
            return (label(ui_lang, "no_file"), gr.update(), *tables(ui_lang))
        manager = backend.manager()
        saved = [manager.save_upload(Path(p).name, Path(p).read_bytes(), overwrite=replace) for p in paths]
        return (label(ui_lang, "uploaded", paths=", ".join(f"`{s}`" for s in saved)), None, *tables(ui_lang))

    @_staff_only(auth)
    def do_resync(
        session: str | None,
        ui_lang: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio's idiom
    ) -> tuple[Any, ...]:
        def report(stage: str, done: int, total: int) -> None:
            progress((done, total) if total else None, desc=stage)

        with backend.resync_lock:
            result = backend.manager().resync(report)
        return (
            label(ui_lang, "resynced", summary=escape_markdown(result.summary())),
            *tables(ui_lang),
        )

    @_staff_only(auth)
    def do_delete(session: str | None, path: str | None, sure: bool, ui_lang: str) -> tuple[Any, ...]:
        if not path:
            return (label(ui_lang, "no_file"), gr.update(), *tables(ui_lang))
        if not sure:
            return (label(ui_lang, "delete_needs_confirm", path=f"`{path}`"), gr.update(), *tables(ui_lang))
        backend.manager().delete(path)
        return (label(ui_lang, "deleted", path=f"`{path}`"), False, *tables(ui_lang))

    def exporter(kind: str) -> Callable[[str | None], Any]:
        @_staff_only(auth)
        def export(session: str | None) -> Any:
            folder = Path(tempfile.mkdtemp(prefix="derci-export-"))
            target = folder / f"{kind}-{datetime.now(UTC):%Y%m%d-%H%M%S}.csv"
            target.write_text(
                backend.feedback.export_csv(kind), encoding="utf-8-sig"
            )  # BOM: Excel reads UTF-8
            return gr.update(value=str(target), visible=True)

        return export

    # Errors show as a toast; their badge goes on the status line, not over the tables.
    private: dict[str, Any] = {"api_visibility": _PRIVATE, "show_progress_on": op_status}
    login_outputs = [token, login_box, staff_box, password, login_status, *table_outputs]
    login.click(
        do_login, [user, password, lang], login_outputs, api_visibility=_PRIVATE, show_progress="hidden"
    )
    password.submit(
        do_login, [user, password, lang], login_outputs, api_visibility=_PRIVATE, show_progress="hidden"
    )
    logout.click(do_logout, [token, lang], [token, login_box, staff_box, login_status], **private)
    refresh.click(do_refresh, [token, lang], table_outputs, **private)
    upload.click(do_upload, [token, files, overwrite, lang], [op_status, files, *table_outputs], **private)
    resync.click(do_resync, [token, lang], [op_status, *table_outputs], **private)
    delete.click(do_delete, [token, doomed, confirm, lang], [op_status, confirm, *table_outputs], **private)
    export_fb.click(exporter("feedback"), token, export_file, **private)
    export_bl.click(exporter("backlog"), token, export_file, **private)


def _staff_only(auth: StaffAuth) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Refuse the call unless its first argument is a live session token (held in server-side state)."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            token = args[0] if args else None
            try:
                auth.require(token if isinstance(token, str) else None)
            except InputError as exc:
                raise gr.Error(str(exc), print_exception=False) from None
            return _friendly(fn)(*args, **kwargs)

        return guarded

    return decorate


def _friendly(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn the package's errors into their message, and anything else into a short generic one."""

    @functools.wraps(fn)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except AssistantError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception:
            log.exception("staff action failed")
            raise gr.Error(
                "Erreur interne, voir le terminal / Internal error, see the terminal", print_exception=False
            ) from None

    return wrapped


# -- entry point ------------------------------------------------------------------------------------


def main() -> None:
    """Serve the app on settings.host:settings.port; build the index first if there is none."""
    import os

    import uvicorn

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
    try:
        settings = Settings.load()
        app = build_app(settings=settings)
    except ConfigError as exc:
        _say(f"Configuration error: {exc}")
        raise SystemExit(2) from None
    _say(f"DERCI assistant: open http://{settings.host}:{settings.port}/ (Ctrl+C to stop)")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


if __name__ == "__main__":
    main()
