"""Faults: ingests killed mid-way, two ingests at once, an LLM that is down or hangs, no Chroma server.

(a) SIGKILL at 20 seeded random points of an ingest (the rounds of tests/test_interrupted_sync.py,
    another seed): each time the index opens and the assistant answers from it, the next ingest
    completes, and the store holds exactly the corpus's chunks (no duplicate, no orphan, BM25 in step).
(b) A second ingest while one runs stops at once with IndexLockedError (the CLI: one line, exit 1),
    and the running ingest still ends with a consistent index, also when the second one asked --rebuild.
(c) LLM faults beyond tests/test_generation.py (which covers 500, broken and invalid streams, garbage,
    empty and hanging replies, and a closed port through the OpenAI client): the Ollama client, the
    CLI, the JSON endpoint, and the total wait of a follow-up question.
(d) A Chroma server that is not there: a clear IndexError_ naming the URL and the fix, one CLI line,
    and a web app that starts and says so (console, banner, JSON endpoint), then starts answering
    by itself once the server is up; and a server that dies while the app runs: the staff area
    names its URL instead of "Internal error".
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.chain import Assistant
from assistant.config import Settings
from assistant.errors import IndexError_, IndexLockedError
from assistant.ingest import collect_chunks
from assistant.knowledge import KnowledgeBase
from tests.conftest import PROJECT
from tests.fakes import HashEmbedder
from tests.llm_server import Script, ScriptedLLMServer
from tests.test_chroma_server import ChromaServer, _drop_http_clients
from tests.test_interrupted_sync import (
    FILES,
    _check_recovery,
    _forget_open_stores,
    _kill_mid_sync,
    _kill_point,
    _next_versions,
    _write_corpus,
)
from tests.webclient import Browser, logged_in, output_text, serve

KILLS = 20
SEED = 20251125
TOKYO = "Which countries does the CNRS office in Tokyo cover?"
CLI = Callable[..., tuple[int, str, str]]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- (a) SIGKILL at random points, 20 times ------------------------------------------------------------


def _answers_from(settings: Settings, corpus: Path) -> None:
    """The interrupted index opens without a sync and the assistant answers, citing corpus files."""
    knowledge = KnowledgeBase.open(settings, HashEmbedder(), sync=False)
    if knowledge.vectors.count() == 0:
        return  # killed before the first chunk was stored: nothing to answer from yet
    answer = Assistant(settings, knowledge=knowledge).ask("Which partner laboratory works with Tokyo?")
    assert not answer.meta.get("error"), answer.text
    assert answer.refused or answer.citations
    assert all((corpus / c.path).is_file() for c in answer.citations), "cites a deleted file"


def _count_chunks(settings: Settings, corpus: Path) -> None:
    """Stored ids == wanted ids, each stored once, and the BM25 chunk table == the vector ids."""
    knowledge = KnowledgeBase.open(settings, HashEmbedder(), sync=False)
    stored = [c.id for c in knowledge.vectors.all_chunks()]
    wanted, _, _ = collect_chunks(corpus)
    assert len(stored) == len(set(stored))
    assert set(stored) == {c.id for c in wanted}
    assert len(knowledge.lexical.ids) == len(set(knowledge.lexical.ids)) == len(stored)
    assert set(knowledge.lexical.ids) == set(stored)


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_ingest_killed_20_times_recovers_each_time(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    settings = Settings.load(
        environ={}, corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data"
    )
    versions = dict.fromkeys(range(FILES), 0)
    phases: list[str] = []
    for round_ in range(KILLS):
        if round_:
            versions = _next_versions(versions, rng, round_)
        _write_corpus(corpus, versions)
        point = _kill_point(rng)
        phases.append(point[0])
        _forget_open_stores()
        _kill_mid_sync(corpus, settings.index_dir, point, tmp_path / "child.log")
        _forget_open_stores()
        _answers_from(settings, corpus)
        _check_recovery(settings, corpus)  # opens, answers, resyncs, and counts the chunks
        _count_chunks(settings, corpus)
    assert {"start", "reading", "embedding"} <= set(phases)  # every phase was hit


# -- (b) two ingests at once ------------------------------------------------------------------------------

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path

    from assistant.config import Settings
    from assistant.knowledge import KnowledgeBase
    from tests.fakes import HashEmbedder

    corpus, index, go = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])

    class WaitingEmbedder(HashEmbedder):
        # Called inside the writer lock: says so, then waits for the test's go-ahead.
        def embed_documents(self, texts):
            print("holding", flush=True)
            deadline = time.monotonic() + 120
            while not go.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            return super().embed_documents(texts)

    settings = Settings.load(environ={}, corpus_dir=corpus, index_dir=index, data_dir=index / "data")
    report = KnowledgeBase.open(settings, WaitingEmbedder()).last_sync
    print("done", report.embedded, flush=True)
    """
)


@dataclass
class Holder:
    """An ingest running in a child process, paused inside the writer lock until `release`."""

    child: subprocess.Popen[bytes]
    go: Path

    def release(self) -> str:
        self.go.touch()
        out, err = self.child.communicate(timeout=120)
        assert self.child.returncode == 0, err.decode()
        return out.decode()


@pytest.fixture
def holder(settings: Settings, corpus: Path, tmp_path: Path) -> Iterator[Holder]:
    go = tmp_path / "go"
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(corpus), str(settings.index_dir), str(go)],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().decode()
        assert line.strip() == "holding", f"the first ingest did not start: {line!r}"
        yield Holder(child, go)
    finally:
        go.touch()
        if child.poll() is None:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()


def _consistent(settings: Settings, corpus: Path) -> None:
    _forget_open_stores()
    knowledge = KnowledgeBase.open(settings, HashEmbedder(), sync=False)
    stored = [c.id for c in knowledge.vectors.all_chunks()]
    wanted, _, _ = collect_chunks(corpus)
    assert len(stored) == len(set(stored)) == len(wanted)
    assert set(stored) == {c.id for c in wanted}
    assert set(knowledge.lexical.ids) == set(stored)
    assert Assistant(settings, knowledge=knowledge).ask(TOKYO).citations


@pytest.mark.slow
def test_ingest_while_another_runs_raises_index_locked(holder: Holder, settings: Settings) -> None:
    with pytest.raises(IndexLockedError, match="Another ingest is updating the index") as caught:
        KnowledgeBase.open(settings, HashEmbedder())
    assert str(settings.index_dir) in str(caught.value) and "Wait for it to finish" in str(caught.value)


@pytest.mark.slow
def test_cli_ingest_while_another_runs_exits_with_one_line(holder: Holder, run_cli: CLI) -> None:
    code, out, err = run_cli("ingest")
    assert code == 1
    assert "Traceback" not in out + err
    assert err.strip().count("\n") == 0
    assert err.startswith("error: Another ingest is updating the index at ")


@pytest.mark.slow
def test_ingest_while_another_runs_leaves_the_index_consistent(
    holder: Holder, settings: Settings, corpus: Path
) -> None:
    with pytest.raises(IndexLockedError):
        KnowledgeBase.open(settings, HashEmbedder())
    assert holder.release().startswith("done 14")
    _consistent(settings, corpus)


@pytest.mark.slow
def test_cli_ingest_rebuild_while_another_runs_leaves_the_index_consistent(
    holder: Holder, run_cli: CLI, settings: Settings, corpus: Path
) -> None:
    code, _, err = run_cli("ingest", "--rebuild")
    assert code == 1 and err.startswith("error: Another ingest"), err
    assert holder.release().startswith("done 14")
    _consistent(settings, corpus)


# -- (c) LLM backend down or hanging ------------------------------------------------------------------


def test_assistant_ollama_backend_down_gives_the_offline_answer_with_a_notice(
    settings: Settings, assistant: Assistant
) -> None:
    down = settings.replace(
        llm_backend="ollama",
        llm_model="m",
        llm_base_url=f"http://127.0.0.1:{_closed_port()}",
        llm_timeout=2.0,
    )
    start = time.monotonic()
    answer = Assistant(down, knowledge=assistant.knowledge).ask(TOKYO)
    assert time.monotonic() - start < down.llm_timeout
    assert answer.backend == "offline" and answer.citations
    assert answer.notice is not None and "server unreachable" in answer.notice
    assert answer.text == assistant.ask(TOKYO).text


def test_assistant_follow_up_with_hanging_llm_answers_within_the_timeout(
    settings: Settings, assistant: Assistant
) -> None:
    history = [
        {"role": "user", "content": "Which office covers Japan?"},
        {"role": "assistant", "content": assistant.ask("Which office covers Japan?").text},
    ]
    with ScriptedLLMServer(Script(mode="hang", delay=30)) as server:
        llm = settings.replace(llm_backend="openai", llm_model="m", llm_base_url=server.url, llm_timeout=1.5)
        follow_up = Assistant(llm, knowledge=assistant.knowledge)  # built outside the timed part
        start = time.monotonic()
        answer = follow_up.ask("and who heads it?", history)
        elapsed = time.monotonic() - start
    assert answer.backend == "offline"
    assert answer.notice is not None and "no reply within 1.5 s" in answer.notice
    assert elapsed < llm.llm_timeout + 0.4  # one timeout in all, not one for the rewrite and one more


def test_cli_ask_llm_down_prints_the_offline_answer_with_the_notice(
    run_cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DERCI_LLM_BACKEND", "openai")
    monkeypatch.setenv("DERCI_LLM_MODEL", "m")
    monkeypatch.setenv("DERCI_LLM_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1")
    monkeypatch.setenv("DERCI_LLM_TIMEOUT", "2")
    code, out, err = run_cli("ask", TOKYO)
    assert code == 0 and "Traceback" not in out + err
    assert out.startswith("(The language model is unavailable (server unreachable)")
    assert "[1] CNRS Office in Tokyo" in out


def test_web_api_ask_llm_hanging_returns_the_offline_answer_with_the_notice(
    settings: Settings, assistant: Assistant
) -> None:
    from fastapi.testclient import TestClient

    import ui

    with ScriptedLLMServer(Script(mode="hang", delay=30)) as server:
        llm = settings.replace(llm_backend="openai", llm_model="m", llm_base_url=server.url, llm_timeout=1.0)
        with TestClient(ui.build_app(Assistant(llm, knowledge=assistant.knowledge))) as client:
            start = time.monotonic()
            response = client.post("/api/ask", json={"question": TOKYO})
            elapsed = time.monotonic() - start
    assert response.status_code == 200
    data = response.json()
    assert data["notice"].startswith("The language model is unavailable (no reply within 1 s)")
    assert data["citations"] and not data["refused"]
    assert elapsed < 3 * llm.llm_timeout


# -- (d) Chroma server unreachable -----------------------------------------------------------------------


@pytest.fixture
def no_chroma(settings: Settings) -> Settings:
    return settings.replace(chroma_url=f"http://127.0.0.1:{_closed_port()}")


def _says_how_to_fix(message: str, url: str) -> None:
    assert f"The Chroma server at {url} is unreachable" in message
    assert "chroma run" in message and "unset DERCI_CHROMA_URL" in message
    assert "Traceback" not in message


def test_knowledge_open_chroma_unreachable_raises_a_clear_index_error(no_chroma: Settings) -> None:
    with pytest.raises(IndexError_) as caught:
        KnowledgeBase.open(no_chroma, HashEmbedder())
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert no_chroma.chroma_url is not None
    _says_how_to_fix(str(caught.value), no_chroma.chroma_url)


def test_assistant_chroma_unreachable_raises_a_clear_index_error(no_chroma: Settings) -> None:
    assert no_chroma.chroma_url is not None
    with pytest.raises(IndexError_, match="unreachable") as caught:
        Assistant(no_chroma, embedder=HashEmbedder())
    _says_how_to_fix(str(caught.value), no_chroma.chroma_url)


@pytest.mark.parametrize("argv", [["ingest"], ["ask", TOKYO], ["search", "Tokyo"]], ids=lambda a: a[0])
def test_cli_chroma_unreachable_prints_one_line_and_exits_1(
    run_cli: CLI, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("DERCI_CHROMA_URL", url)
    code, out, err = run_cli(*argv)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    _says_how_to_fix(err, url)


@pytest.fixture
def web_without_chroma(no_chroma: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The web app built from settings whose Chroma server is missing, on loopback; waits for its verdict."""
    import assistant.knowledge
    import ui

    monkeypatch.setattr(assistant.knowledge, "default_embedder", lambda settings: HashEmbedder())
    with serve(ui.build_app(settings=no_chroma)) as url:
        deadline = time.monotonic() + 60
        while "Preparing the index" in _ask_detail(url):
            assert time.monotonic() < deadline, "the index preparation never ended"
            time.sleep(0.1)
        yield url


def _ask_detail(url: str) -> str:
    response = httpx.post(f"{url}/api/ask", json={"question": TOKYO}, timeout=30)
    return str(response.json().get("detail", ""))


def test_web_api_ask_chroma_unreachable_returns_503_naming_the_fix(
    web_without_chroma: str, no_chroma: Settings
) -> None:
    response = httpx.post(f"{web_without_chroma}/api/ask", json={"question": TOKYO}, timeout=30)
    assert response.status_code == 503
    assert no_chroma.chroma_url is not None
    _says_how_to_fix(response.json()["detail"], no_chroma.chroma_url)


def test_gradio_chat_chroma_unreachable_replies_with_the_reason(
    web_without_chroma: str, no_chroma: Settings
) -> None:
    from gradio_client import Client

    chat, _, _ = Client(f"{web_without_chroma}/", verbose=False).predict(TOKYO, "en", api_name="/chat")
    reply = chat[-1]["content"]
    text = "".join(p.get("text", "") for p in reply) if isinstance(reply, list) else str(reply)
    assert "The index could not be prepared" in text
    assert "unreachable" in text and "Traceback" not in text


@pytest.mark.slow
def test_ui_main_chroma_unreachable_starts_and_says_why_on_the_console(tmp_path: Path, corpus: Path) -> None:
    port, chroma = _closed_port(), f"http://127.0.0.1:{_closed_port()}"
    launcher = (
        "import assistant.knowledge, runpy\n"
        "from tests.fakes import HashEmbedder\n"
        "assistant.knowledge.default_embedder = lambda settings: HashEmbedder()\n"
        "runpy.run_path('ui.py', run_name='__main__')\n"
    )
    env = _clean_env(
        DERCI_CORPUS_DIR=str(corpus),
        DERCI_INDEX_DIR=str(tmp_path / "index"),
        DERCI_DATA_DIR=str(tmp_path / "data"),
        DERCI_CHROMA_URL=chroma,
        DERCI_PORT=str(port),
        GRADIO_ANALYTICS_ENABLED="False",
    )
    server = subprocess.Popen(
        [sys.executable, "-c", launcher], cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        detail = ""
        deadline = time.monotonic() + 90
        while "unreachable" not in detail:
            assert server.poll() is None, server.communicate()[1].decode()
            assert time.monotonic() < deadline, "the app never reported the missing server"
            time.sleep(0.2)
            try:
                detail = _ask_detail(f"http://127.0.0.1:{port}")
            except httpx.HTTPError:
                continue
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    console = err.decode()
    assert f"The index could not be prepared: The Chroma server at {chroma} is unreachable" in console
    assert "Traceback" not in console


def _clean_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DERCI_")}
    env.update(PYTHONPATH=str(PROJECT), **values)
    return env


# -- (d) a Chroma server that comes up late, or goes away, while the web app runs ----------------------


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    """A real `chroma run` on a free loopback port, not started yet; stopped when the test ends."""
    server = ChromaServer(tmp_path / "chroma", _closed_port())
    try:
        yield server
    finally:
        _drop_http_clients()
        server.stop()


@pytest.mark.slow
def test_web_starts_answering_once_a_late_chroma_server_is_up(
    chroma: ChromaServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.knowledge
    import ui

    monkeypatch.setattr(assistant.knowledge, "default_embedder", lambda settings: HashEmbedder())
    late = settings.replace(chroma_url=chroma.url)
    with serve(ui.build_app(settings=late)) as url:
        deadline = time.monotonic() + 60
        while "unreachable" not in _ask_detail(url):
            assert time.monotonic() < deadline, "the app never reported the missing server"
            time.sleep(0.2)
        _says_how_to_fix(_ask_detail(url), chroma.url)
        chroma.start()  # the server comes up; the app is not restarted
        deadline = time.monotonic() + 120
        while (
            response := httpx.post(f"{url}/api/ask", json={"question": TOKYO}, timeout=30)
        ).status_code != 200:
            assert time.monotonic() < deadline, f"the app never reached the server: {response.text}"
            time.sleep(0.5)
        assert response.json()["citations"], response.text


@pytest.mark.slow
def test_web_staff_area_names_a_chroma_server_that_went_away(
    chroma: ChromaServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui
    from assistant.web.auth import hash_password

    chroma.start()
    staff = settings.replace(
        chroma_url=chroma.url, staff_user="staff", staff_password_hash=hash_password("pw-for-chroma")
    )
    with serve(ui.build_app(Assistant(staff, embedder=HashEmbedder()))) as url, Browser(url) as browser:
        browser.open()
        chroma.stop()  # killed mid-session
        login = browser.login("staff", "pw-for-chroma")
        assert logged_in(login)  # logging in does not need the index...
        said = output_text(login)
        assert f"The Chroma server at {chroma.url} is unreachable" in said  # ...the document table does
        assert "Internal error" not in said and "Erreur interne" not in said
        resync = output_text(browser.call("on_resync", [None, "en"]))
        assert f"The Chroma server at {chroma.url} is unreachable" in resync, resync
        assert "Internal error" not in resync and "Traceback" not in resync
