"""Test helpers for the running web app: serve it on loopback, and talk to it as a browser or a script would.

`serve` runs the real app under uvicorn with the options `assistant.web.server` gives production
(so forwarded headers are handled as in production). `Browser` is one HTTP client with its own
cookie jar and Gradio session: it loads the page (which sets the browser cookie), then runs
events through Gradio's raw queue API (`queue/join`, then the `queue/data` event stream), by
function name or index, as the page's JavaScript does, or as an attacker's script would.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from assistant.config import Settings
from tests.conftest import TINY_CORPUS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: Any, settings: Settings | None = None) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    from assistant.web.server import uvicorn_config

    config = uvicorn_config(app, settings or Settings.load(environ={}), host="127.0.0.1", port=free_port())
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(10)


def tiny_settings(root: Path, **overrides: Any) -> Settings:
    """Settings on a fresh copy of the tiny corpus under `root`."""
    shutil.copytree(TINY_CORPUS, root / "corpus")
    return Settings.load(
        environ={},
        corpus_dir=root / "corpus",
        index_dir=root / "index",
        data_dir=root / "data",
        refusal_threshold=0.5,
        **overrides,
    )


class Browser:
    """One client of the app: its own cookies (once `open` loaded the page) and its own Gradio session."""

    def __init__(self, url: str, *, session: str | None = None, local_address: str | None = None) -> None:
        self.url = url
        self.session = session or uuid.uuid4().hex[:11]
        transport = httpx.HTTPTransport(local_address=local_address) if local_address else None
        self.http = httpx.Client(base_url=url, timeout=60, transport=transport)
        self._config: dict[str, Any] | None = None

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def open(self) -> Browser:
        """Load the page, as a browser does first (the app sets its cookie then)."""
        self.http.get("/").raise_for_status()
        return self

    @property
    def config(self) -> dict[str, Any]:
        if self._config is None:
            self._config = self.http.get("/config").json()
        return self._config

    def fn_index(self, name: str) -> int:
        """The index of the event whose handler is named `name` (the only one with that name)."""
        found = [i for i, d in enumerate(self.config["dependencies"]) if d.get("api_name") == name]
        assert len(found) == 1, f"{len(found)} events named {name!r}"
        return found[0]

    def run(
        self, fn: int | str, data: list[Any], *, headers: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """Every message of one event run, as the page would receive them (or one "rejected" message)."""
        index = self.fn_index(fn) if isinstance(fn, str) else fn
        joined = self.http.post(
            "/gradio_api/queue/join",
            json={"data": data, "fn_index": index, "session_hash": self.session},
            headers=headers,
        )
        if joined.status_code != 200:
            return [{"msg": "rejected", "status": joined.status_code, "body": joined.text}]
        messages: list[dict[str, Any]] = []
        with self.http.stream(
            "GET", "/gradio_api/queue/data", params={"session_hash": self.session}
        ) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    messages.append(json.loads(line[5:]))
                    if messages[-1].get("msg") in ("process_completed", "close_stream"):
                        break
        return messages

    def call(
        self, fn: int | str, data: list[Any], *, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """The completion message of one event run."""
        messages = self.run(fn, data, headers=headers)
        done = [m for m in messages if m.get("msg") in ("process_completed", "rejected")]
        assert done, f"{fn} never completed: {messages[-3:]}"
        return done[-1]

    def upload(self, name: str, data: bytes) -> httpx.Response:
        return self.http.post("/gradio_api/upload", files={"files": (name, data)})

    def login(self, user: str, password: str, lang: str = "en") -> dict[str, Any]:
        return self.call("on_login", [user, password, lang])


def file_data(path: str | Path, name: str = "notes.md") -> dict[str, Any]:
    """A Gradio FileData reference, as a client names a file in an event's input."""
    return {"path": str(path), "orig_name": name, "meta": {"_type": "gradio.FileData"}}


def output_text(message: dict[str, Any]) -> str:
    """Everything a completion message says, as one string (data and error)."""
    return json.dumps(message.get("output", message), ensure_ascii=False)


def logged_in(message: dict[str, Any]) -> bool:
    """Whether a login event opened the staff area (Gradio's "success" only says the handler ran)."""
    data = message.get("output", {}).get("data") or [None] * 3
    return bool(message.get("success")) and data[2] == {"__type__": "update", "visible": True}


def refused(message: dict[str, Any], words: str = "Login required") -> bool:
    """Whether an event run failed with an error containing `words`."""
    return message.get("success") is False and words in str(message.get("output", {}).get("error"))
