"""The index against a real Chroma server (`chroma run` on loopback), and a clear error when there is none."""

from __future__ import annotations

import gc
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import IndexError_
from assistant.index import VectorIndex
from assistant.knowledge import KnowledgeBase
from tests.fakes import HashEmbedder

STARTUP_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _chroma_cli() -> str:
    found = Path(sys.executable).parent / "chroma"
    if found.is_file():  # the CLI of the interpreter running the tests, not a shim to another one
        return str(found)
    which = shutil.which("chroma")
    if which is None:
        pytest.skip("the `chroma` CLI (from the chromadb package) is not on PATH")
    return which


def _wait_for_heartbeat(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"chroma run exited with {server.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as response:
                if "nanosecond heartbeat" in json.loads(response.read()):
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(
        f"chroma run did not answer within {STARTUP_TIMEOUT:.0f} s:\n{log.read_text()[-2000:]}"
    )


def _drop_http_clients() -> None:
    """Free this test's Chroma HTTP clients now, not in a later test's garbage collection.

    chromadb 1.5's HttpClient never closes its httpx session, so its sockets are only released by the
    garbage collector, with a ResourceWarning (an error under `-W error`) wherever that happens to run.
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        SharedSystemClient.clear_system_cache()
        gc.collect()


class ChromaServer:
    """`chroma run` on one loopback port, over one data folder; can be stopped and started again."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = folder.with_suffix(".log")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    _chroma_cli(),
                    "run",
                    "--path",
                    str(self.folder),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        _wait_for_heartbeat(self.url, self.process, self.log)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    """A Chroma server on a free loopback port, not started yet; stopped when the test ends."""
    server = ChromaServer(tmp_path / "server", _free_port())
    try:
        yield server
    finally:
        _drop_http_clients()
        server.stop()


@pytest.fixture
def chroma_url(chroma_server: ChromaServer) -> str:
    """The URL of a running Chroma server on a free loopback port, stopped when the test ends."""
    chroma_server.start()
    return chroma_server.url


@pytest.mark.slow
def test_chroma_server_sync_and_search(settings: Settings, chroma_url: str) -> None:
    server_settings = settings.replace(chroma_url=chroma_url)
    embedder = HashEmbedder()
    knowledge = KnowledgeBase.open(server_settings, embedder)
    assert knowledge.last_sync is not None
    assert knowledge.last_sync.embedded == knowledge.vectors.count() == 14
    assert knowledge.vectors.location == chroma_url
    assert not (settings.index_dir / "chroma").exists()  # nothing stored locally but the BM25 twin

    hits = knowledge.search.search("Who heads the CNRS office in Tokyo?", 3, lang="en")
    assert (hits[0].meta["path"], hits[0].meta["section"]) == ("en/bureau-tokyo.md", "Director")
    assert hits[0].similarity is not None and -1.0 <= hits[0].similarity <= 1.0
    french = knowledge.search.search("Qui dirige le bureau de Tokyo ?", 3, filters={"lang": "fr"})
    assert french[0].meta["path"] == "fr/bureau-tokyo.md"

    again = KnowledgeBase.open(server_settings, embedder)  # a second client: nothing to embed
    assert again.last_sync is not None and again.last_sync.embedded == 0


def test_chroma_unreachable_url_raises_index_error(settings: Settings) -> None:
    port = _free_port()  # bound then released: nothing listens there
    broken = settings.replace(chroma_url=f"http://127.0.0.1:{port}")
    with pytest.raises(IndexError_, match="unreachable") as caught:
        VectorIndex(broken, HashEmbedder(), "fake-hash-256")
    message = str(caught.value)
    assert f"http://127.0.0.1:{port}" in message
    assert "chroma run" in message and "DERCI_CHROMA_URL" in message


def test_chroma_url_without_host_raises_index_error(settings: Settings) -> None:
    with pytest.raises(IndexError_, match="DERCI_CHROMA_URL"):
        VectorIndex(settings.replace(chroma_url="localhost"), HashEmbedder(), "fake-hash-256")


@pytest.mark.slow
def test_chroma_server_started_after_a_failed_open_opens_without_a_restart(
    settings: Settings, chroma_server: ChromaServer
) -> None:
    server_settings = settings.replace(chroma_url=chroma_server.url)
    with pytest.raises(IndexError_) as caught:
        KnowledgeBase.open(server_settings, HashEmbedder())
    message = str(caught.value)
    assert f"The Chroma server at {chroma_server.url} is unreachable" in message
    assert "chroma run" in message and "DERCI_CHROMA_URL" in message

    chroma_server.start()  # the web app retries KnowledgeBase.open in the same process
    knowledge = KnowledgeBase.open(server_settings, HashEmbedder())
    assert knowledge.vectors.count() == 14


@pytest.mark.slow
def test_chroma_server_killed_mid_session_operations_name_the_unreachable_url(
    settings: Settings, chroma_server: ChromaServer
) -> None:
    chroma_server.start()
    server_settings = settings.replace(chroma_url=chroma_server.url)
    knowledge = KnowledgeBase.open(server_settings, HashEmbedder())
    assert chroma_server.process is not None
    chroma_server.process.kill()
    chroma_server.process.wait()

    unreachable = f"The Chroma server at {chroma_server.url} is unreachable"
    vector = HashEmbedder().embed_query("Tokyo")
    for operation in (
        knowledge.vectors.count,
        knowledge.vectors.stored_sources,  # the staff document list
        knowledge.resync,  # the staff re-sync
        lambda: knowledge.vectors.query(vector, 3),
        lambda: KnowledgeBase.open(server_settings, HashEmbedder()),  # the staff log-in reopens
    ):
        with pytest.raises(IndexError_) as caught:
            operation()
        assert str(caught.value).startswith(unreachable), caught.value
        assert "chroma run" in str(caught.value)
    # Answers keep coming from the copy in memory.
    assert knowledge.search.search("Who heads the CNRS office in Tokyo?", 1, lang="en")

    chroma_server.start()  # back up: the same objects work again
    assert knowledge.vectors.count() == 14
    assert knowledge.resync().embedded == 0
