"""HTTP guards around the whole app (plain ASGI middleware, so Gradio's streams pass untouched).

- Security headers on every response: `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`,
  `Referrer-Policy: no-referrer`, and a Content-Security-Policy. HTML pages get a fresh nonce on each
  of their `<script>` tags and `script-src 'nonce-…' 'strict-dynamic'`: a script injected into the
  page (an inline `onerror=`, a `<script>` without the nonce) does not run. Only the page at `/`
  gets nonces; any other HTML response is sandboxed like the rest. ('unsafe-eval' stays:
  Gradio's HTML component compiles its template with `new Function`; only the page's own, trusted
  scripts can reach it.) Other responses (files, JSON) get `default-src 'none'; sandbox`, so an
  uploaded HTML or SVG file opened directly runs nothing.
- The browser cookie: a random secret set once per browser (HttpOnly, SameSite=Strict, Secure
  over https), never in a URL, to which staff sessions are bound (`auth.py`).
- Request bodies over `max_body` bytes are refused with 413 before the app reads them, except
  Gradio's file upload, which has its own limit (the staff upload size).
- Gradio's file upload route is for staff only: refused with 403 unless the request comes from a
  browser holding a live staff session (`allow_upload`). The public page has no upload.
Does not know about Gradio events or answers.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BROWSER_COOKIE = "derci_browser"
MAX_BODY_BYTES = 1024 * 1024
UPLOAD_PATHS = ("/gradio_api/upload", "/gradio_api/upload_progress")
PAGE_PATHS = ("/", "")  # the app's own page; every other response is sandboxed
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
_COOKIE_MAX_AGE = 365 * 24 * 3600

PAGE_CSP = (
    "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
OTHER_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; sandbox"
)
HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


def browser_secret(cookie_header: str | None) -> str | None:
    """The browser cookie's value in a Cookie header, if it has the right shape."""
    if not cookie_header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:  # noqa: BLE001 - a malformed Cookie header is just no cookie
        return None
    morsel = jar.get(BROWSER_COOKIE)
    value = morsel.value if morsel is not None else None
    return value if value and _COOKIE_VALUE.fullmatch(value) else None


class Guards:
    """The ASGI middleware: headers and CSP, browser cookie, body size, upload gate."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        allow_upload: Callable[[str | None], bool],
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.app = app
        self.allow_upload = allow_upload
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        browser = browser_secret(headers.get("cookie"))
        new_cookie = None if browser else secrets.token_urlsafe(32)
        path: str = scope.get("path", "")
        # Only the app's page gets script nonces: any other HTML (a file served from Gradio's cache)
        # gets the sandbox policy, so its scripts never run in the app's origin.
        reply = _Reply(send, new_cookie, https=scope.get("scheme") == "https", page=path in PAGE_PATHS)
        if path in UPLOAD_PATHS:
            if not self.allow_upload(browser):
                await reply.error(403, "Uploads are for logged-in staff only.")
                return
            await self.app(scope, receive, reply)
            return
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await reply.error(413, f"Request body larger than {self.max_body} bytes.")
            return
        await self.app(scope, _limited(receive, self.max_body, reply), reply)


class _Reply:
    """`send` with the security headers, the browser cookie and, on HTML, script nonces added."""

    def __init__(self, send: Send, new_cookie: str | None, *, https: bool, page: bool) -> None:
        self._send = send
        self._cookie = new_cookie
        self._https = https
        self._page = page
        self._html: Message | None = None  # a held-back response start, while the HTML body is read
        self._body: list[bytes] = []
        self.started = False
        self.finished = False  # an error was sent: whatever the app sends next is dropped

    async def __call__(self, message: Message) -> None:
        if self.finished:
            return
        if message["type"] == "http.response.start":
            self.started = True
            content_type = _header(message, b"content-type")
            if self._page and content_type.startswith("text/html"):
                self._html = message
                return
            message["headers"] = self._headers(message, OTHER_CSP)
            await self._send(message)
        elif message["type"] == "http.response.body" and self._html is not None:
            self._body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._send_html(b"".join(self._body))
        else:
            await self._send(message)

    async def _send_html(self, body: bytes) -> None:
        assert self._html is not None  # set by the response start just before
        nonce = secrets.token_urlsafe(16)
        body = re.sub(rb"<script(?=[\s>])", b'<script nonce="' + nonce.encode() + b'"', body)
        start = self._html
        start["headers"] = [
            (k, v)
            for k, v in self._headers(start, PAGE_CSP.format(nonce=nonce))
            if k.lower() != b"content-length"
        ] + [(b"content-length", str(len(body)).encode())]
        self._html = None
        await self._send(start)
        await self._send({"type": "http.response.body", "body": body, "more_body": False})

    def _headers(self, message: Message, csp: str) -> list[tuple[bytes, bytes]]:
        ours = {name for name, _ in HEADERS} | {b"content-security-policy"}
        headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in ours]
        headers += [*HEADERS, (b"content-security-policy", csp.encode())]
        if self._cookie:
            secure = "; Secure" if self._https else ""
            cookie = (
                f"{BROWSER_COOKIE}={self._cookie}; Path=/; Max-Age={_COOKIE_MAX_AGE}; HttpOnly; "
                f"SameSite=Strict{secure}"
            )
            headers.append((b"set-cookie", cookie.encode()))
        return headers

    async def error(self, status: int, detail: str) -> None:
        body = json.dumps({"detail": detail}).encode()
        await self(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await self({"type": "http.response.body", "body": body, "more_body": False})
        self.finished = True


def _limited(receive: Receive, limit: int, reply: _Reply) -> Receive:
    """`receive` that stops a body without Content-Length once it passes `limit` bytes."""
    seen = 0

    async def guarded() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                if not reply.started:
                    await reply.error(413, f"Request body larger than {limit} bytes.")
                return {"type": "http.disconnect"}
        return message

    return guarded


def _header(message: Message, name: bytes) -> str:
    for key, value in message.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1").lower()
    return ""
