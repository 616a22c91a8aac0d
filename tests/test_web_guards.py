"""The HTTP guards (assistant.web.guards) around a tiny ASGI app: which response gets which policy,
the browser cookie, the body limit and the upload gate. The same guards are attacked around the real
app in tests/test_security.py, tests/test_chat_http.py and tests/test_staff_http.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.testclient import TestClient

from assistant.web.guards import BROWSER_COOKIE, Guards, browser_secret

PAGE = "<html><head><script>window.config = 1</script><script type=module src=app.js></script></head></html>"


async def page(request: Request) -> Response:
    return HTMLResponse(PAGE)


async def echo(request: Request) -> Response:
    return JSONResponse({"bytes": len(await request.body())})


def _client(allow: bool = False, max_body: int = 1000) -> TestClient:
    app = FastAPI()
    app.add_api_route("/", page)
    app.add_api_route("/gradio_api/file=x.html", page)
    app.add_api_route("/echo", echo, methods=["POST"])
    app.add_api_route("/gradio_api/upload", echo, methods=["POST"])
    # The app sees a disconnect once the body passes the limit (its error, if any, is not the client's).
    guarded = Guards(app, allow_upload=lambda browser: allow, max_body=max_body)
    return TestClient(guarded, raise_server_exceptions=False)


def test_guards_give_only_the_page_script_nonces() -> None:
    with _client() as client:
        response = client.get("/")
        [nonce] = re.findall(r"'nonce-([\w-]+)'", response.headers["content-security-policy"])
        assert response.text.count(f'<script nonce="{nonce}"') == 2
        assert int(response.headers["content-length"]) == len(response.content)
        other = client.get("/gradio_api/file=x.html")  # HTML too, but not the page: sandboxed
        assert "nonce" not in other.text and "nonce" not in other.headers["content-security-policy"]
        assert other.headers["content-security-policy"].endswith("sandbox")


def test_guards_set_a_browser_cookie_once() -> None:
    with _client() as client:
        cookie = client.get("/").headers["set-cookie"]
        assert re.fullmatch(
            rf"{BROWSER_COOKIE}=[\w-]{{43}}; Path=/; Max-Age=\d+; HttpOnly; SameSite=Strict", cookie
        )
        assert "set-cookie" not in client.get("/").headers  # the client sent it back
    with TestClient(_client().app, base_url="https://testserver", raise_server_exceptions=False) as secure:
        assert secure.get("/").headers["set-cookie"].endswith("; Secure")


@pytest.mark.parametrize(
    ("header", "found"),
    [(None, False), ("", False), (f"{BROWSER_COOKIE}=short", False), ("a=b; c", False),
     (f"x=1; {BROWSER_COOKIE}={'k' * 43}", True), (f'{BROWSER_COOKIE}="{"k" * 43}"', True)],
)  # fmt: skip
def test_browser_secret_reads_only_a_well_formed_cookie(header: str | None, found: bool) -> None:
    assert (browser_secret(header) is not None) is found


def test_guards_refuse_a_body_over_the_limit_with_or_without_its_length() -> None:
    with _client(max_body=1000) as client:
        assert client.post("/echo", content=b"x" * 1000).json() == {"bytes": 1000}
        assert client.post("/echo", content=b"x" * 1001).status_code == 413
        chunked: Any = iter([b"x" * 600, b"x" * 600])
        assert client.post("/echo", content=chunked).status_code == 413


def test_guards_open_the_upload_route_to_staff_browsers_only() -> None:
    with _client(allow=False) as anonymous:
        assert anonymous.post("/gradio_api/upload", content=b"x").status_code == 403
    with _client(allow=True, max_body=10) as staff:
        assert staff.post("/gradio_api/upload", content=b"x" * 100).status_code == 200  # its own limit
