"""Shared fixtures: settings on tmp_path, a tiny corpus, a fake embedder, a built knowledge base."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from tests.fakes import HashEmbedder

DATA = Path(__file__).parent / "data"
TINY_CORPUS = DATA / "tiny_corpus"
PROJECT = Path(__file__).resolve().parents[1]

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may talk to loopback only: any other connection fails loudly."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0") and not (
            host.startswith("127.") or self.family == socket.AF_UNIX
        ):
            raise OSError(f"network access to {host!r} is blocked in tests")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the tiny test corpus (3 topics, French and English)."""
    target = tmp_path / "corpus"
    shutil.copytree(TINY_CORPUS, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, corpus: Path) -> Settings:
    return Settings.load(
        environ={},
        corpus_dir=corpus,
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        refusal_threshold=0.5,
    )


@pytest.fixture
def embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture
def knowledge(settings: Settings, embedder: HashEmbedder):  # type: ignore[no-untyped-def]
    from assistant.knowledge import KnowledgeBase

    return KnowledgeBase.open(settings, embedder)


@pytest.fixture
def assistant(settings: Settings, knowledge):  # type: ignore[no-untyped-def]
    from assistant.chain import Assistant

    return Assistant(settings, knowledge=knowledge)


@pytest.fixture(scope="session")
def real_embedder() -> Iterator[object]:
    """The bundled all-MiniLM-L6-v2, loaded once per test session."""
    from assistant.embeddings import SentenceTransformerEmbeddings

    yield SentenceTransformerEmbeddings()
