"""What an anonymous client can do to the chat over HTTP, against the real app (issue 11, items 4, 5, 9).

One slow request no longer holds the others (chat answers run concurrently), a huge message is cut
and little of it is kept, request bodies are bounded, and a data folder the app cannot write does
not stop it: it answers and says that feedback cannot be saved. Gradio's raw queue API throughout
(tests/webclient.py), as a script would use it.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.chain import Assistant, Event
from assistant.conversation import History
from assistant.web.guards import MAX_BODY_BYTES
from tests.fakes import HashEmbedder
from tests.webclient import Browser, output_text, serve, tiny_settings

TOKYO = "Which office covers Japan?"
SLOW = "slow question about the Tokyo office"


class GatedAssistant(Assistant):
    """The real assistant, except that a question containing SLOW waits until the test opens the gate."""

    entered = threading.Event()
    gate = threading.Event()

    def stream(self, question: str, history: History = ()) -> Iterator[Event]:
        if SLOW in question:
            self.entered.set()
            self.gate.wait(60)
        yield from super().stream(question, history)


@pytest.fixture
def gated(tmp_path: Path) -> Iterator[str]:
    import ui

    GatedAssistant.entered.clear()
    GatedAssistant.gate.clear()
    settings = tiny_settings(tmp_path)
    try:
        with serve(ui.build_app(GatedAssistant(settings, embedder=HashEmbedder()))) as url:
            yield url
    finally:
        GatedAssistant.gate.set()


@pytest.fixture
def web(tmp_path: Path) -> Iterator[str]:
    import ui

    settings = tiny_settings(tmp_path)
    with serve(ui.build_app(Assistant(settings, embedder=HashEmbedder()))) as url:
        yield url


def _reply(message: dict[str, Any]) -> list[dict[str, Any]]:
    return list(message["output"]["data"][0])


def _text(chat_message: dict[str, Any]) -> str:
    content = chat_message["content"]
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content)


# -- item 4: one slow request does not hold the others ------------------------------------------------


def test_chat_answers_others_while_one_request_is_stuck(gated: str) -> None:
    slow_done: list[dict[str, Any]] = []
    slow = threading.Thread(
        target=lambda: slow_done.append(Browser(gated).open().call("on_message", [SLOW, None, "en"])),
        daemon=True,
    )
    slow.start()
    assert GatedAssistant.entered.wait(30), "the slow request never started"
    answers: list[dict[str, Any]] = []

    def ask() -> None:
        with Browser(gated) as other:
            answers.append(other.open().call("on_message", [TOKYO, None, "en"]))

    others = [threading.Thread(target=ask, daemon=True) for _ in range(3)]
    for thread in others:
        thread.start()
    for thread in others:
        thread.join(30)  # a deadlock guard, not a speed limit: they wait on nothing but the CPU
    try:
        assert len(answers) == 3, "chat answers waited behind the stuck request"
        assert all("Tokyo" in _text(_reply(m)[-1]) for m in answers)
        assert not slow_done  # still stuck: the others did not wait for it
    finally:
        GatedAssistant.gate.set()
    slow.join(30)
    assert slow_done and slow_done[0]["success"]


# -- item 5: bounded messages, bounded bodies ----------------------------------------------------------


def test_chat_cuts_a_huge_message_and_answers(web: str) -> None:
    huge = TOKYO + " " + "x" * 900_000
    with Browser(web) as browser:
        message = browser.open().call("on_message", [huge, None, "en"])
    user, answer = _reply(message)
    assert len(_text(user)) < 2_200 and f"a {len(huge)}-character message" in _text(user)
    assert "only its first 2000 characters were used" in _text(answer)


@pytest.mark.parametrize("path", ["/gradio_api/queue/join", "/api/ask"])
def test_web_refuses_a_body_over_the_limit(web: str, path: str) -> None:
    body = json.dumps({"question": "x" * MAX_BODY_BYTES, "data": ["x" * MAX_BODY_BYTES]}).encode()
    response = httpx.post(
        f"{web}{path}", content=body, headers={"content-type": "application/json"}, timeout=30
    )
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
    chunked = httpx.post(
        f"{web}{path}", content=iter([body]), headers={"content-type": "application/json"}, timeout=30
    )
    assert chunked.status_code == 413  # no Content-Length: counted as it arrives
    assert httpx.post(f"{web}/api/ask", json={"question": TOKYO}, timeout=30).status_code == 200


def test_chat_history_sent_by_a_client_is_ignored(web: str) -> None:
    """The conversation comes from the server's session: a client cannot send a history of its own."""
    forged = [{"role": "user", "content": "x" * 1000}] * 500
    with Browser(web) as browser:
        message = browser.open().call("on_message", [TOKYO, forged, "en"])
    assert [m["role"] for m in _reply(message)] == ["user", "assistant"]


# -- item 9: a data folder the app cannot write ---------------------------------------------------------


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` made impossible to write to, for this process too (root ignores permission bits)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    immutable = False
    try:
        (folder / ".probe").touch()
    except OSError:
        pass
    else:
        (folder / ".probe").unlink()
        immutable = (
            subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode == 0
        )
        if not immutable:
            folder.chmod(0o755)
            pytest.skip("cannot make a folder read-only here (root without chattr)")
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_web_with_a_read_only_data_folder_starts_answers_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import assistant.knowledge
    import ui

    monkeypatch.setattr(assistant.knowledge, "default_embedder", lambda settings: HashEmbedder())
    settings = tiny_settings(tmp_path)
    with read_only(settings.data_dir), serve(ui.build_app(settings=settings)) as url, Browser(url) as browser:
        page = browser.open().http.get("/config").json()
        [notice] = [
            c["props"] for c in page["components"] if c["props"].get("elem_id") == "derci-store-notice"
        ]
        assert notice["visible"] and "n'est pas accessible en écriture" in notice["value"]  # French first
        assert str(settings.data_dir) in notice["value"]
        deadline = time.monotonic() + 60
        while httpx.post(f"{url}/api/ask", json={"question": TOKYO}, timeout=30).status_code == 503:
            assert time.monotonic() < deadline, "the index was never ready"
            time.sleep(0.2)
        chat = browser.call("on_message", [TOKYO, None, "en"])
        assert chat["success"] and "Tokyo" in _text(_reply(chat)[-1])
        assert "Feedback cannot be saved" in output_text(browser.call("relabel", ["en"]))
    assert "Traceback" not in caplog.text
