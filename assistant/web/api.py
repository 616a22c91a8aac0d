"""The JSON endpoint `POST /api/ask` and the staff's CSV downloads, as FastAPI routes.

`/api/ask` takes {"question", "history"} (bounded: 20,000 characters per text, 20 history
messages) and returns `payload.answer_payload`, or 503 with a "detail" while the index is not
ready. A malformed body gets a 422 whose details never echo the input.

CSV exports are streamed from memory, never written to disk: the staff page's export button asks
`Downloads.issue` for a ticket, good for one download within a minute from the same browser, and
shows a link to `GET /staff/export/<ticket>`.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import AfterValidator, BaseModel, Field

from assistant.config import MAX_MESSAGE_CHARS
from assistant.web.backend import Backend
from assistant.web.feedback import export_csv
from assistant.web.guards import browser_secret
from assistant.web.messages import text
from assistant.web.payload import answer_payload

MAX_HISTORY = 20
TICKET_SECONDS = 60.0


def _unicode(value: str) -> str:
    """Refuse strings that are not valid Unicode (JSON can carry lone surrogates such as "\\ud800")."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the text is not valid Unicode (lone surrogate); send UTF-8 text") from None
    return value


class AskMessage(BaseModel):
    role: Literal["user", "assistant"]
    content: Annotated[str, Field(max_length=MAX_MESSAGE_CHARS), AfterValidator(_unicode)]


class AskRequest(BaseModel):
    """Body of POST /api/ask."""

    question: Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE_CHARS), AfterValidator(_unicode)]
    history: list[AskMessage] = Field(default_factory=list, max_length=MAX_HISTORY)


def ask(backend: Backend, question: str, history: list[dict[str, str]]) -> tuple[int, dict[str, Any]]:
    """The status code and JSON body of one /api/ask call."""
    assistant = backend.assistant
    if assistant is None:
        if backend.error:
            return 503, {"detail": backend.error}
        return 503, {"detail": text("en", "api_preparing", progress=backend.status_line("en"))}
    return 200, answer_payload(assistant.ask(question, history))


@dataclass(frozen=True)
class _Ticket:
    kind: str
    browser: str
    expires: float


class Downloads:
    """One-use download tickets for CSV exports, bound to the browser that asked for them."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tickets: dict[str, _Ticket] = {}
        self._lock = threading.Lock()

    def issue(self, kind: str, browser: str) -> str:
        """A new ticket for the `kind` export ("feedback" or "backlog")."""
        ticket = secrets.token_urlsafe(24)
        with self._lock:
            now = self._clock()
            self._tickets = {k: t for k, t in self._tickets.items() if t.expires > now}
            self._tickets[ticket] = _Ticket(kind, browser, now + TICKET_SECONDS)
        return ticket

    def redeem(self, ticket: str, browser: str | None) -> str | None:
        """The export kind of a live ticket of this browser (and the ticket is spent), else None."""
        with self._lock:
            found = self._tickets.get(ticket)
            if found is None or not browser or found.browser != browser:
                return None
            del self._tickets[ticket]
            return found.kind if found.expires > self._clock() else None


def routes(backend: Backend, downloads: Downloads) -> APIRouter:
    """The JSON and download routes of the app."""
    router = APIRouter()

    @router.post("/api/ask")
    def ask_route(body: AskRequest) -> JSONResponse:
        status, data = ask(backend, body.question, [m.model_dump() for m in body.history])
        return JSONResponse(data, status_code=status)

    @router.get("/staff/export/{ticket}")
    def export_route(ticket: str, request: Request) -> Response:
        kind = downloads.redeem(ticket, browser_secret(request.headers.get("cookie")))
        if kind is None:
            return JSONResponse(
                {"detail": "This download link is used or expired: click the export button again."},
                status_code=404,
            )
        name = f"{kind}-{datetime.now(UTC):%Y%m%d-%H%M%S}.csv"
        return Response(
            export_csv(backend.feedback, kind).encode("utf-8-sig"),  # BOM: Excel reads UTF-8
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )

    return router


def install_error_handler(app: FastAPI) -> None:
    """422 for a malformed body, with FastAPI's details minus the input it would echo."""

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes the input back: a lone surrogate in it ({"question": "\ud800"})
        # cannot be encoded, which turned a bad request into a 500 with a traceback.
        errors = [{k: e[k] for k in ("type", "loc", "msg") if k in e} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)
