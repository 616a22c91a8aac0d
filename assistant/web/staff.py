"""The staff page's handlers: log in, list / upload / delete documents, re-index, export the feedback.

Plain functions returning named views (`Tables`, `LoginView`, `DeleteView`) or status text: tests
call them without building the page; `staff_page.py` lays the page out, and runs every staff event
through `authorize` first (a live session token from the page's server-side state, bound to the
browser cookie of the request, `auth.py`). Uploads are taken only from Gradio's upload folder
(files the browser sent) and removed from it once saved. Deleting a document takes two clicks, and
the second (confirm) is for the document chosen at the first only. No Gradio here.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.citations import escape_markdown
from assistant.errors import AssistantError
from assistant.web import shaping
from assistant.web.api import Downloads
from assistant.web.auth import Client
from assistant.web.backend import Backend
from assistant.web.feedback import UnavailableStore
from assistant.web.messages import (
    BACKLOG_HEADERS,
    DOCUMENT_HEADERS,
    FEEDBACK_HEADERS,
    Refusal,
    error_text,
    text,
)

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Tables:
    """The staff tables in one language: documents (with the delete choices), counts, feedback, backlog."""

    documents: dict[str, Any]
    choices: list[str]
    counts: str
    feedback: dict[str, Any]
    backlog: dict[str, Any]
    problem: str = ""  # why the document table could not be loaded, if it could not


@dataclass(frozen=True)
class LoginView:
    """After a login attempt: the new session token (None if refused) and the message to show."""

    token: str | None
    message: str
    tables: Tables | None = None


@dataclass(frozen=True)
class DeleteView:
    """The delete controls: the document awaiting confirmation (None: nothing pending) and the status."""

    pending: str | None
    status: str
    deleted: bool = False


# -- handlers -----------------------------------------------------------------------------------------


def authorize(backend: Backend, token: str | None, browser: str | None) -> None:
    """Raise Refusal("login_required") unless `token` is a live session of this browser."""
    backend.auth.require(token, browser)


def login(backend: Backend, user: str, password: str, client: Client, lang: str) -> LoginView:
    """Check the credentials (throttled) and open a session bound to the client's browser."""
    try:
        token = backend.auth.login(user or "", password or "", client)
    except AssistantError as exc:
        return LoginView(None, f"⚠ {escape_markdown(error_text(exc, lang))}")
    return LoginView(token, "", tables(backend, lang))


def logout(backend: Backend, token: str | None, lang: str) -> str:
    backend.auth.logout(token)
    return text(lang, "logged_out")


def tables(backend: Backend, lang: str) -> Tables:
    """The staff tables in `lang`; a document table that cannot be loaded says why instead."""
    problem = ""
    documents: list[Any] = []
    try:
        documents = backend.library().list_documents()
    except AssistantError as exc:
        problem = text(lang, "tables_failed", error=escape_markdown(error_text(exc, lang)))
    except Exception as exc:
        log.exception("listing the documents failed")
        problem = text(lang, "tables_failed", error=escape_markdown(unexpected(backend, exc, lang)))
    store = backend.feedback
    counts = text(lang, "counts", **store.counts())
    if isinstance(store, UnavailableStore):
        counts = f"{counts}  \n{text(lang, 'feedback_store_down', reason=store.reason(lang))}"
    return Tables(
        documents={"headers": DOCUMENT_HEADERS[lang], "data": shaping.document_rows(documents, lang)},
        choices=[d.path for d in documents],
        counts=counts,
        feedback={"headers": FEEDBACK_HEADERS[lang], "data": shaping.feedback_rows(store.feedback(), lang)},
        backlog={"headers": BACKLOG_HEADERS[lang], "data": shaping.backlog_rows(store.backlog())},
        problem=problem,
    )


def upload(backend: Backend, paths: list[str] | None, overwrite: bool, lang: str, *, inbox: Path) -> str:
    """Save the uploaded files into the corpus; the status names each saved and each refused file.

    Only files inside `inbox` (Gradio's upload folder: what browsers sent) are taken; each is
    removed from it once handled.
    """
    if not paths:
        return text(lang, "no_file")
    library = backend.library()
    saved: list[str] = []
    refused: list[str] = []
    root = inbox.resolve()
    for raw in paths:
        path = Path(raw)
        name = path.name
        try:
            if not path.resolve().is_relative_to(root) or not path.resolve().is_file():
                raise Refusal("not_an_upload", name=name)
            saved.append(library.save_upload(name, path.read_bytes(), overwrite=overwrite))
            path.unlink(missing_ok=True)
        except AssistantError as exc:
            refused.append(error_text(exc, lang))
    parts = []
    if saved:
        parts.append(text(lang, "uploaded", paths=", ".join(f"`{s}`" for s in saved)))
    if refused:
        parts.append(text(lang, "upload_refused", items="; ".join(escape_markdown(r) for r in refused)))
    return "  \n".join(parts)


def resync(backend: Backend, lang: str, progress: Progress | None = None) -> str:
    """Re-index the corpus folder; the status names every file skipped and why."""
    with backend.resync_lock:
        report = backend.library().resync(progress)
    return text(lang, "resynced", summary=shaping.sync_markdown(report, lang))


def ask_delete(path: str | None, lang: str) -> DeleteView:
    """First click: remember which document the confirmation will be for."""
    if not path:
        return DeleteView(None, text(lang, "no_file"))
    return DeleteView(path, text(lang, "delete_asked", path=f"`{escape_markdown(path)}`"))


def confirm_delete(backend: Backend, pending: str | None, path: str | None, lang: str) -> DeleteView:
    """Second click: delete `pending`, only if it is still the chosen document."""
    if not pending:
        return DeleteView(None, text(lang, "no_file"))
    if pending != path:
        return DeleteView(None, text(lang, "delete_stale", confirmed=f"`{pending}`", path=f"`{path or '-'}`"))
    backend.library().delete(pending)
    return DeleteView(None, text(lang, "deleted", path=f"`{escape_markdown(pending)}`"), deleted=True)


def export_link(downloads: Downloads, kind: str, browser: str, lang: str) -> str:
    """HTML for a one-use link that downloads the `kind` CSV (streamed, never written to disk)."""
    ticket = downloads.issue(kind, browser)
    label = html.escape(text(lang, f"export_{kind}"))
    # Relative link: it stays under the app's path behind a proxy that mounts it at a prefix.
    return (
        f'<a href="staff/export/{ticket}" download data-testid="download-link" '
        f'class="derci-download">⬇ {label}</a>'
    )


def unexpected(backend: Backend, exc: Exception, lang: str) -> str:
    """The message for an error the package did not raise on purpose: a Chroma server that went away
    is named; anything else is the internal-error text."""
    url = backend.settings.chroma_url
    if url and not _chroma_alive(url):
        return (
            f"The Chroma server at {url} is unreachable ({type(exc).__name__}). Start it again "
            "(`chroma run`), or unset DERCI_CHROMA_URL to use the embedded index."
        )
    return text(lang, "internal_error")


def _chroma_alive(url: str) -> bool:
    import httpx

    try:
        return httpx.get(f"{url.rstrip('/')}/api/v2/heartbeat", timeout=3).status_code == 200
    except httpx.HTTPError:
        return False
