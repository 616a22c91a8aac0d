"""No client can make the web app read a server file: the attack of issue 11, replayed over HTTP.

The public chat event used to accept a Gradio `FileData` naming any server path inside its
chat-history input: Gradio copied the file into its cache and served it back under a
`/gradio_api/file=` URL. These tests send such references, in every input slot of every event the
app serves (public and staff, logged in), through the raw queue API of the real app on loopback,
then check that no reply carries the secret, that no URL serves it, and that it was neither copied
into Gradio's cache nor saved into the corpus.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.chain import Assistant
from assistant.web.auth import hash_password
from tests.fakes import HashEmbedder
from tests.webclient import Browser, file_data, logged_in, serve, tiny_settings

STAFF, PASSWORD = "staff", "file-access-test-password"


@dataclass
class Server:
    url: str
    root: Path
    corpus: Path
    secret: Path
    token: str  # a string that only the secret file contains
    dependencies: list[dict[str, Any]]


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    import ui

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio-cache"))
    token = f"SECRET-{uuid.uuid4().hex}"
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"{token}\n", encoding="utf-8")
    settings = tiny_settings(tmp_path / "app", staff_user=STAFF, staff_password_hash=hash_password(PASSWORD))
    with serve(ui.build_app(Assistant(settings, embedder=HashEmbedder()))) as url:
        config = httpx.get(f"{url}/config", timeout=30).json()
        yield Server(url, tmp_path, settings.corpus_dir, secret, token, config["dependencies"])


def _file(path: Path | str) -> dict[str, Any]:
    return file_data(path)


def _payloads(path: Path | str) -> list[Any]:
    """The shapes a file reference can take in an input: bare, in a list, inside chat messages."""
    ref = _file(path)
    return [
        ref,
        [ref],
        [{"role": "user", "content": [{"type": "file", "file": ref}]}],
        [{"role": "user", "content": {"path": str(path), "meta": {"_type": "gradio.FileData"}}}],
    ]


def _leaks(server: Server, messages: list[dict[str, Any]]) -> list[str]:
    """What in these messages gives the secret away: its text, or a URL that serves it."""
    text = json.dumps(messages)
    found = [f"reply holds the secret: {text[:300]}"] if server.token in text else []
    for url in _file_urls(messages):
        body = httpx.get(url if url.startswith("http") else f"{server.url}{url}", timeout=30).text
        if server.token in body:
            found.append(f"{url} serves the secret")
    return found


def _file_urls(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("url", "path") and isinstance(item, str) and "/gradio_api/file=" in item:
                yield item
            else:
                yield from _file_urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _file_urls(item)


def _cached_copies(server: Server) -> list[Path]:
    cache = server.root / "gradio-cache"
    files = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    return [p for p in files if server.token.encode() in p.read_bytes()]


def test_file_access_issue_attack_on_the_public_chat_reads_nothing(server: Server) -> None:
    """The reproduction of issue 11 item 1, verbatim in shape: fn 0 with a file in the chat history."""
    for path in (server.secret, "/etc/passwd"):
        history = [{"role": "user", "content": [{"type": "file", "file": _file(path)}]}]
        with Browser(server.url) as attacker:
            messages = attacker.run(0, ["hi", history, None, "fr"])
        assert not _leaks(server, messages)
        assert "root:x:0:0" not in json.dumps(messages)
    assert not _cached_copies(server)


def test_file_access_no_event_copies_or_serves_a_server_file(server: Server) -> None:
    """Every event, every input slot, every shape, anonymous and logged in as staff."""
    staff = Browser(server.url).open()
    assert logged_in(staff.login(STAFF, PASSWORD))
    tried = 0
    leaks: list[str] = []
    for fn_index, dep in enumerate(server.dependencies):
        width = len(dep["inputs"])
        for slot in range(width):
            for payload in _payloads(server.secret):
                for client in (Browser(server.url).open(), staff):
                    data: list[Any] = ["en"] * width
                    data[slot] = payload
                    leaks += _leaks(server, client.run(fn_index, data))
                    tried += 1
                    if client is not staff:
                        client.http.close()
    staff.http.close()
    assert tried > 50, "the app should expose a few dozen (event, slot) pairs"
    assert not leaks, "\n".join(leaks)
    assert not _cached_copies(server), "a server file was copied into Gradio's cache"
    saved = [p for p in server.corpus.rglob("*") if p.is_file() and server.token.encode() in p.read_bytes()]
    assert not saved, f"a server file was saved into the corpus: {saved}"


@pytest.mark.parametrize("target", ["secret", "/etc/passwd", "/proc/self/environ", "data"])
def test_file_access_file_route_refuses_server_paths(server: Server, target: str) -> None:
    data_db = server.root / "app" / "data" / "feedback.sqlite3"
    path = {"secret": str(server.secret), "data": str(data_db)}.get(target, target)
    response = httpx.get(f"{server.url}/gradio_api/file={path}", timeout=30)
    assert response.status_code in (403, 404), response.status_code
    assert server.token not in response.text and "root:x:0:0" not in response.text
