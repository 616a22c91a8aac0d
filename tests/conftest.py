"""Shared fixtures: settings on tmp_path, a tiny corpus, a fake embedder, a built knowledge base."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from assistant.config import Settings
from tests.fakes import HashEmbedder

if TYPE_CHECKING:
    from assistant.chain import Assistant
    from assistant.embeddings import SentenceTransformerEmbeddings
    from assistant.knowledge import KnowledgeBase

RunCli = Callable[..., tuple[int, str, str]]  # run_cli(*argv) -> (exit code, stdout, stderr)

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
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0")
            and not (host.startswith("127.") or self.family == socket.AF_UNIX)
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
def knowledge(settings: Settings, embedder: HashEmbedder) -> KnowledgeBase:
    from assistant.knowledge import KnowledgeBase

    return KnowledgeBase.open(settings, embedder)


@pytest.fixture
def assistant(settings: Settings, knowledge: KnowledgeBase) -> Assistant:
    from assistant.chain import Assistant

    return Assistant(settings, knowledge=knowledge)


@pytest.fixture(scope="session")
def real_embedder() -> Iterator[SentenceTransformerEmbeddings]:
    """The bundled all-MiniLM-L6-v2, loaded once per test session."""
    from assistant.embeddings import SentenceTransformerEmbeddings

    yield SentenceTransformerEmbeddings()


@pytest.fixture
def run_cli(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> RunCli:
    """Run `assistant.cli.main(argv)` in-process on the tiny corpus with the fake embedder.

    Returns a function argv -> (exit code, stdout, stderr). DERCI_* variables point at tmp_path; any
    other DERCI_* variable of the caller's environment is removed so the CLI sees in-code defaults.
    """
    import assistant.knowledge
    from assistant.cli import main

    for name in list(os.environ):
        if name.startswith("DERCI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DERCI_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("DERCI_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("DERCI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(assistant.knowledge, "default_embedder", lambda settings: HashEmbedder())

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()  # drop anything printed before this call
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def real_assistant(
    real_embedder: SentenceTransformerEmbeddings, tmp_path_factory: pytest.TempPathFactory
) -> Assistant:
    """The offline assistant on the real corpus/ with the real bundled model; index built once per session."""
    from assistant.chain import Assistant
    from assistant.knowledge import KnowledgeBase

    index = tmp_path_factory.mktemp("real-index")
    settings = Settings.load(
        environ={}, corpus_dir=PROJECT / "corpus", index_dir=index / "index", data_dir=index / "data"
    )
    knowledge = KnowledgeBase.open(settings, real_embedder)
    return Assistant(settings, knowledge=knowledge)
