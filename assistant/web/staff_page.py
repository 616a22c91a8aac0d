"""The staff page's layout: login box, document table, upload, delete, re-index, feedback and backlog.

Every staff event is hidden from the API page but reachable by `fn_index` all the same, so each runs
through `guarded`: `staff.authorize` first (session token from the page's server-side state + the
request's browser cookie), errors as toasts. The handlers are in `staff.py`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.documents import SUPPORTED_SUFFIXES
from assistant.errors import AssistantError
from assistant.web.api import Downloads
from assistant.web.auth import Client
from assistant.web.backend import Backend
from assistant.web.guards import browser_secret
from assistant.web.i18n import Labels, heading
from assistant.web.messages import (
    BACKLOG_HEADERS,
    DEFAULT_LANG,
    DOCUMENT_HEADERS,
    FEEDBACK_HEADERS,
    error_text,
    text,
)
from assistant.web.staff import (
    DeleteView,
    Tables,
    ask_delete,
    authorize,
    confirm_delete,
    export_link,
    login,
    logout,
    resync,
    tables,
    unexpected,
    upload,
)

log = logging.getLogger(__name__)
PRIVATE = "private"


def _client(request: gr.Request | None) -> Client:
    raw = getattr(request, "request", None) if request is not None else None
    address = raw.client.host if raw is not None and raw.client else ""
    cookie = raw.headers.get("cookie") if raw is not None else None
    return Client(address, browser_secret(cookie))


def _fail(backend: Backend, exc: Exception, lang: str) -> gr.Error:
    """A Gradio error toast: the package's message as it is, else a generic one (trace in the log)."""
    if isinstance(exc, AssistantError):
        return gr.Error(error_text(exc, lang), print_exception=False)
    log.error("staff action failed", exc_info=exc)
    return gr.Error(unexpected(backend, exc, lang), print_exception=False)


def build(backend: Backend, downloads: Downloads, lang: gr.Radio, labels: Labels) -> None:
    """Lay out the staff tab inside the current Blocks context and wire its events."""
    lang0 = DEFAULT_LANG
    auth = backend.auth
    token = gr.State(None)  # server-side: the browser never holds the session token
    pending = gr.State(None)  # the document the delete confirmation is for
    if auth.disabled is not None:
        reason = auth.disabled
        labels.add_fn(gr.Markdown(text(lang0, reason)), lambda lg: {"value": text(lg, reason)})
    with gr.Row(visible=auth.enabled) as login_box:
        with gr.Column(scale=1, min_width=280):
            labels.add(gr.Markdown(text(lang0, "staff_login_intro")), value="staff_login_intro")
            user = labels.add(
                gr.Textbox(label=text(lang0, "user"), max_lines=1, max_length=200), label="user"
            )
            password = labels.add(
                gr.Textbox(label=text(lang0, "password"), type="password", max_lines=1, max_length=1000),
                label="password",
            )
            login_button = labels.add(gr.Button(text(lang0, "login"), variant="primary"), value="login")
            login_status = gr.Markdown(elem_id="derci-login-status")
        gr.Column(scale=1, min_width=0)
    with gr.Column(visible=False) as staff_box:
        with gr.Row():
            labels.add(gr.Markdown(text(lang0, "logged_in")), value="logged_in")
            logout_button = labels.add(gr.Button(text(lang0, "logout"), size="sm", scale=0), value="logout")
        labels.add_fn(gr.Markdown(f"### {text(lang0, 'documents')}"), heading("documents"))
        docs = gr.Dataframe(
            headers=DOCUMENT_HEADERS[lang0],
            elem_id="derci-docs",
            show_search="search",
            interactive=False,
            wrap=True,
            max_height=360,
            column_widths=["20%", "32%", "7%", "9%", "9%", "15%", "8%"],
        )
        with gr.Row():
            refresh_button = labels.add(gr.Button(text(lang0, "refresh"), size="sm"), value="refresh")
            resync_button = labels.add(
                gr.Button(text(lang0, "resync"), variant="primary", size="sm"), value="resync"
            )
        op_status = gr.Markdown(elem_id="derci-staff-status")
        with gr.Row():
            files = labels.add(
                gr.File(
                    label=text(lang0, "upload"),
                    elem_id="derci-upload",
                    file_count="multiple",
                    type="filepath",
                    file_types=list(SUPPORTED_SUFFIXES),
                    height=150,
                ),
                label="upload",
            )
            with gr.Column(min_width=200):
                overwrite = labels.add(gr.Checkbox(label=text(lang0, "overwrite")), label="overwrite")
                upload_button = labels.add(
                    gr.Button(text(lang0, "upload_button"), size="sm"), value="upload_button"
                )
        with gr.Row():
            doomed = labels.add(
                gr.Dropdown([], label=text(lang0, "delete_choice"), scale=3, elem_id="derci-doomed"),
                label="delete_choice",
            )
            with gr.Column(scale=2, min_width=200):
                delete_button = labels.add(
                    gr.Button(text(lang0, "delete"), variant="stop", size="sm", elem_id="derci-delete"),
                    value="delete",
                )
                confirm_button = gr.Button(
                    "", variant="stop", size="sm", visible=False, elem_id="derci-delete-confirm"
                )
                cancel_button = labels.add(
                    gr.Button(text(lang0, "delete_cancel"), size="sm", visible=False), value="delete_cancel"
                )
        labels.add_fn(gr.Markdown(f"### {text(lang0, 'feedback')}"), heading("feedback"))
        counts = gr.Markdown()
        feedback = gr.Dataframe(
            headers=FEEDBACK_HEADERS[lang0],
            interactive=False,
            wrap=True,
            max_height=360,
            show_search="search",
            column_widths=["15%", "7%", "11%", "19%", "20%", "28%"],
        )
        labels.add_fn(gr.Markdown(f"### {text(lang0, 'backlog')}"), heading("backlog"))
        backlog = gr.Dataframe(
            headers=BACKLOG_HEADERS[lang0],
            interactive=False,
            wrap=True,
            max_height=360,
            column_widths=["28%", "8%", "8%", "8%", "8%", "14%", "26%"],
        )
        with gr.Row():
            export_fb = labels.add(
                gr.Button(text(lang0, "export_feedback"), size="sm"), value="export_feedback"
            )
            export_bl = labels.add(
                gr.Button(text(lang0, "export_backlog"), size="sm"), value="export_backlog"
            )
        export_link_box = gr.HTML(elem_id="derci-export")

    table_outputs = [docs, doomed, counts, feedback, backlog]
    delete_outputs = [pending, confirm_button, cancel_button]

    def table_values(view: Tables) -> list[Any]:
        return [
            view.documents,
            gr.update(choices=view.choices, value=None),
            view.counts,
            view.feedback,
            view.backlog,
        ]

    def delete_values(view: DeleteView, lang_: str) -> list[Any]:
        shown = view.pending is not None
        label = text(lang_, "delete_confirm", path=view.pending) if shown else ""
        return [view.pending, gr.update(visible=shown, value=label), gr.update(visible=shown)]

    def guarded(fn: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
        """`fn(session, ui_lang, request, ...)`, run only for a live session of this browser.

        Errors become toasts. `wraps` keeps `fn`'s signature, from which Gradio learns where to
        pass the request and the progress tracker.
        """

        @functools.wraps(fn)
        def run(*args: Any) -> list[Any]:
            session, ui_lang, request = args[0], args[1], args[2]
            try:
                authorize(backend, session if isinstance(session, str) else None, _client(request).browser)
                return fn(*args)
            except Exception as exc:  # noqa: BLE001 - shown as a toast, traced in the log by _fail
                raise _fail(backend, exc, ui_lang) from None

        return run

    def on_login(name: str, secret: str, ui_lang: str, request: gr.Request) -> list[Any]:
        view = login(backend, name, secret, _client(request), ui_lang)
        if view.token is None or view.tables is None:
            return [None, gr.update(), gr.update(), "", view.message, gr.update(), *[gr.update()] * 5]
        return [
            view.token,
            gr.update(visible=False),
            gr.update(visible=True),
            "",
            "",
            view.tables.problem,
            *table_values(view.tables),
        ]

    def on_logout(session: str | None, ui_lang: str, request: gr.Request) -> list[Any]:
        return [None, gr.update(visible=True), gr.update(visible=False), logout(backend, session, ui_lang)]

    def on_refresh(session: str | None, ui_lang: str, request: gr.Request) -> list[Any]:
        view = tables(backend, ui_lang)
        return [view.problem, *table_values(view)]

    def on_upload(
        session: str | None, ui_lang: str, request: gr.Request, paths: list[str] | None, replace: bool
    ) -> list[Any]:
        from gradio.utils import get_upload_folder

        status = upload(backend, paths, replace, ui_lang, inbox=Path(get_upload_folder()))
        view = tables(backend, ui_lang)
        return [status if not view.problem else f"{status}  \n{view.problem}", None, *table_values(view)]

    def on_resync(
        session: str | None,
        ui_lang: str,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio's idiom
    ) -> list[Any]:
        def report(stage: str, done: int, total: int) -> None:
            progress((done, total) if total else None, desc=stage)

        status = resync(backend, ui_lang, report)
        view = tables(backend, ui_lang)
        return [status if not view.problem else f"{status}  \n{view.problem}", *table_values(view)]

    def on_ask_delete(session: str | None, ui_lang: str, request: gr.Request, path: str | None) -> list[Any]:
        view = ask_delete(path, ui_lang)
        return [view.status, *delete_values(view, ui_lang)]

    def on_confirm(
        session: str | None, ui_lang: str, request: gr.Request, chosen: str | None, path: str | None
    ) -> list[Any]:
        view = confirm_delete(backend, chosen, path, ui_lang)
        if not view.deleted:
            return [view.status, *delete_values(view, ui_lang), *[gr.update()] * 5]
        return [view.status, *delete_values(view, ui_lang), *table_values(tables(backend, ui_lang))]

    def on_cancel(session: str | None, ui_lang: str, request: gr.Request) -> list[Any]:
        return [text(ui_lang, "delete_cancelled"), *delete_values(DeleteView(None, ""), ui_lang)]

    def on_choose(path: str | None) -> list[Any]:
        # Choosing a document (or none) cancels a confirmation that was for another one.
        return [None, gr.update(visible=False), gr.update(visible=False)]

    def exporter(kind: str) -> Callable[..., list[Any]]:
        def on_export(session: str | None, ui_lang: str, request: gr.Request) -> list[Any]:
            browser = _client(request).browser
            assert browser is not None  # authorize checked it
            return [export_link(downloads, kind, browser, ui_lang)]

        on_export.__name__ = f"export_{kind}"
        return on_export

    def on_language(session: str | None, ui_lang: str, request: gr.Request) -> list[Any]:
        # The tables' headers follow the language; only a live session gets (and sees) them.
        if not backend.auth.check(session, _client(request).browser):
            return [gr.update()] * 6
        view = tables(backend, ui_lang)
        return [view.problem, *table_values(view)]

    private: dict[str, Any] = {"api_visibility": PRIVATE, "show_progress_on": op_status}
    login_outputs = [token, login_box, staff_box, password, login_status, op_status, *table_outputs]
    for trigger in (login_button.click, password.submit):
        trigger(
            on_login, [user, password, lang], login_outputs, api_visibility=PRIVATE, show_progress="hidden"
        )
    logout_button.click(
        guarded(on_logout), [token, lang], [token, login_box, staff_box, login_status], **private
    )
    refresh_button.click(guarded(on_refresh), [token, lang], [op_status, *table_outputs], **private)
    upload_button.click(
        guarded(on_upload), [token, lang, files, overwrite], [op_status, files, *table_outputs], **private
    )
    resync_button.click(guarded(on_resync), [token, lang], [op_status, *table_outputs], **private)
    delete_button.click(
        guarded(on_ask_delete), [token, lang, doomed], [op_status, *delete_outputs], **private
    )
    confirm_button.click(
        guarded(on_confirm),
        [token, lang, pending, doomed],
        [op_status, *delete_outputs, *table_outputs],
        **private,
    )
    cancel_button.click(guarded(on_cancel), [token, lang], [op_status, *delete_outputs], **private)
    doomed.change(on_choose, doomed, delete_outputs, api_visibility=PRIVATE, show_progress="hidden")
    export_fb.click(guarded(exporter("feedback")), [token, lang], [export_link_box], **private)
    export_bl.click(guarded(exporter("backlog")), [token, lang], [export_link_box], **private)
    lang.change(
        guarded_quiet(on_language),
        [token, lang],
        [op_status, *table_outputs],
        api_visibility=PRIVATE,
        show_progress="hidden",
    )


def guarded_quiet(fn: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    """`fn(session, ui_lang, request)` with every error logged, never shown (a language switch)."""

    def run(session: str | None, ui_lang: str, request: gr.Request) -> list[Any]:
        try:
            return fn(session, ui_lang, request)
        except Exception:
            log.exception("relabelling the staff tables failed")
            return [gr.update()] * 6

    return run
