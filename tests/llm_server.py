"""A scripted OpenAI-compatible chat server on loopback, for testing the real client against real HTTP.

`POST /v1/chat/completions` answers with the current `Script`: streamed (SSE over chunked transfer,
`data: {...}` chunks then `data: [DONE]`) when the request asks for `stream`, one JSON body otherwise.
Every request body is recorded in `requests`. Modes:

    answer   the script's text, cut into several deltas
    hang     nothing at all for `delay` seconds (past any client timeout), then the answer
    trickle  one small delta every `delay` seconds, for a long time (defeats per-read timeouts)
    error    HTTP 500 with an OpenAI-style error body
    broken   a few deltas, then the connection is cut in the middle of the body
    invalid  a few deltas, then a chunk that is not JSON

Not a model: it never looks at the prompt.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CITED_ANSWER = "The CNRS office in Tokyo covers Japan, South Korea and Taiwan [{n}]."
NO_ANSWER = "The documentation does not answer this question."
GARBAGE = "Sure! Happy to help with anything you like, just ask me again later."


@dataclass(frozen=True)
class Script:
    """What the server does with the next requests."""

    mode: str = "answer"
    text: str = "Hello [1]."
    delay: float = 30.0
    piece: int = 6  # characters per streamed delta


class ScriptedLLMServer:
    """Serves scripted chat completions on 127.0.0.1; use as a context manager."""

    def __init__(self, script: Script | None = None) -> None:
        self.script = script or Script()
        self.requests: list[dict[str, Any]] = []
        self.closing = threading.Event()
        self._httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="scripted-llm", daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL to give an OpenAI client (ends in /v1)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def last_prompt(self) -> str:
        """All message contents of the last request, joined."""
        return "\n".join(str(m.get("content")) for m in self.requests[-1]["messages"])

    def __enter__(self) -> ScriptedLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()  # wakes handlers sleeping in hang/trickle
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up mid-reply is part of the scripts


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet test output

    @property
    def owner(self) -> ScriptedLLMServer:
        return self.server.owner  # type: ignore[attr-defined,no-any-return]

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        owner = self.owner
        owner.requests.append(body)
        script = owner.script
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._json(404, {"error": {"message": f"no route {self.path}"}})
            return
        if script.mode == "hang" and owner.closing.wait(script.delay):
            return
        if script.mode == "error":
            self._json(500, {"error": {"message": "scripted failure", "type": "server_error"}})
            return
        model = str(body.get("model") or "scripted")
        if not body.get("stream"):
            self._json(200, _completion(model, script.text))
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for i, event in enumerate(_events(model, script)):
            if script.mode in ("broken", "invalid") and i == 3:
                if script.mode == "invalid":
                    self._chunk('data: {"choices": [{"delta": {"content": "oops\n\n')
                    self._chunk("data: [DONE]\n\n")
                    self._chunk("")
                    return
                self.wfile.write(b'40\r\ndata: {"cho')  # a chunk announced 64 bytes long, cut short
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if script.mode == "trickle" and i > 0 and owner.closing.wait(script.delay):
                return
            try:
                self._chunk(event)
            except OSError:  # the client went away (it gave up): fine
                return
        self._chunk("")

    def _chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _events(model: str, script: Script) -> Iterator[str]:
    text = script.text * (200 if script.mode == "trickle" else 1)
    pieces = [text[i : i + script.piece] for i in range(0, len(text), script.piece)]
    for i, piece in enumerate(pieces):
        delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
        yield "data: " + json.dumps(_chunk_body(model, delta, None)) + "\n\n"
    yield "data: " + json.dumps(_chunk_body(model, {}, "stop")) + "\n\n"
    yield "data: [DONE]\n\n"


def _chunk_body(model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _completion(model: str, text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
