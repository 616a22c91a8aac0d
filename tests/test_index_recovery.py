"""A damaged index folder: opening says what to run, a rebuild works from any damage, the BM25 twin heals.

Each test builds a real index of the tiny corpus in tmp_path (embedded Chroma, fake embedder), damages
one file the way a disk, a crash or a careless operator would, then opens it as the app does
(`KnowledgeBase.open(sync=False)`), as `derci-assistant ingest` does (`sync=True`), and as
`derci-assistant ingest --rebuild` does (`rebuild=True`).
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from assistant.chain import Assistant
from assistant.config import Settings
from assistant.errors import IndexError_
from assistant.knowledge import KnowledgeBase
from tests.fakes import HashEmbedder

TINY_CHUNKS = 14
REBUILD = "derci-assistant ingest --rebuild"
QUESTION = "Which countries does the CNRS office in Tokyo cover?"


def _forget_open_stores() -> None:
    """Drop this process's cached Chroma clients, as a new process would start without them."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


@pytest.fixture
def built(settings: Settings) -> Settings:
    """Settings whose index folder holds a complete index of the tiny corpus, closed."""
    KnowledgeBase.open(settings, HashEmbedder())
    _forget_open_stores()
    return settings


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(path.name).randbytes(max(path.stat().st_size, 4096)))


def _chroma(index: Path) -> Path:
    return index / "chroma" / "chroma.sqlite3"


def _segment_files(index: Path) -> list[Path]:
    return [p for p in (index / "chroma").rglob("*.bin") if p.is_file()]


def _first_line_not_an_object(index: Path) -> None:
    table = index / "lexical" / "chunks.jsonl"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[0] = json.dumps([lines[0]])  # valid JSON, not an object
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _vectors(index: Path, make: Callable[[np.ndarray], np.ndarray]) -> None:
    path = index / "lexical" / "vectors.npy"
    np.save(path, make(np.load(path)))


def _sqlite_random(index: Path) -> None:
    _random_bytes(_chroma(index))


def _sqlite_truncated(index: Path) -> None:
    _chroma(index).write_bytes(_chroma(index).read_bytes()[:5000])


def _chroma_folder_is_a_file(index: Path) -> None:
    shutil.rmtree(index / "chroma")
    (index / "chroma").write_text("not a folder")


def _segments_random(index: Path) -> None:
    for path in _segment_files(index):
        _random_bytes(path)


def _table_random(index: Path) -> None:
    _random_bytes(index / "lexical" / "chunks.jsonl")


def _table_truncated(index: Path) -> None:
    (index / "lexical" / "chunks.jsonl").write_text('{"id": "x')


def _state_a_list(index: Path) -> None:
    (index / "lexical" / "state.json").write_text("[1, 2]")


def _vectors_wrong_width(index: Path) -> None:
    _vectors(index, lambda v: np.zeros((len(v), 7), np.float32))


def _vectors_wrong_count(index: Path) -> None:
    _vectors(index, lambda v: v[:3])


def _vectors_not_numbers(index: Path) -> None:
    _vectors(index, lambda v: np.full((len(v), v.shape[1]), "x"))


def _vectors_random(index: Path) -> None:
    _random_bytes(index / "lexical" / "vectors.npy")


def _bm25_random(index: Path) -> None:
    for path in (index / "lexical" / "bm25").iterdir():
        _random_bytes(path)


def _lexical_deleted(index: Path) -> None:
    shutil.rmtree(index / "lexical")


# Damage to the vector store: the app cannot answer and must say what to run.
STORE_DAMAGE: dict[str, Callable[[Path], None]] = {
    "chroma.sqlite3 random bytes": _sqlite_random,
    "chroma.sqlite3 truncated": _sqlite_truncated,
    "chroma folder is a file": _chroma_folder_is_a_file,
}
# Damage the store survives and damage to the BM25 twin, rebuilt from the store: the app answers.
HEALING_DAMAGE: dict[str, Callable[[Path], None]] = {
    "HNSW segment random bytes": _segments_random,
    "chunk table line not an object": _first_line_not_an_object,
    "chunk table random bytes": _table_random,
    "chunk table truncated": _table_truncated,
    "state file a list": _state_a_list,
    "vectors of the wrong width": _vectors_wrong_width,
    "vectors of the wrong count": _vectors_wrong_count,
    "vectors not numbers": _vectors_not_numbers,
    "vectors random bytes": _vectors_random,
    "BM25 files random bytes": _bm25_random,
    "lexical folder deleted": _lexical_deleted,
}
ALL_DAMAGE = {**STORE_DAMAGE, **HEALING_DAMAGE}


def _answers(knowledge: KnowledgeBase, settings: Settings) -> None:
    assert knowledge.vectors.count() == TINY_CHUNKS
    assert len(knowledge.lexical.ids) == TINY_CHUNKS
    assert knowledge.lexical.vectors is not None and knowledge.lexical.vectors.shape == (TINY_CHUNKS, 256)
    answer = Assistant(settings, knowledge=knowledge).ask(QUESTION)
    assert not answer.refused
    assert {c.path for c in answer.citations} == {"en/bureau-tokyo.md"}


@pytest.mark.parametrize("damage", sorted(STORE_DAMAGE))
def test_open_damaged_store_raises_index_error_naming_the_rebuild(built: Settings, damage: str) -> None:
    STORE_DAMAGE[damage](built.index_dir)
    for sync in (False, True):
        with pytest.raises(IndexError_) as caught:
            KnowledgeBase.open(built, HashEmbedder(), sync=sync)
        message = str(caught.value)
        assert str(built.index_dir / "chroma") in message
        assert message.endswith(f"Rebuild it with: {REBUILD}")
        _forget_open_stores()


@pytest.mark.parametrize("damage", sorted(HEALING_DAMAGE))
def test_open_heals_damage_the_store_can_rebuild(built: Settings, damage: str) -> None:
    HEALING_DAMAGE[damage](built.index_dir)
    _answers(KnowledgeBase.open(built, HashEmbedder(), sync=False), built)


@pytest.mark.parametrize("damage", sorted(ALL_DAMAGE))
def test_rebuild_works_from_any_damage(built: Settings, damage: str) -> None:
    ALL_DAMAGE[damage](built.index_dir)
    rebuilt = KnowledgeBase.open(built, HashEmbedder(), rebuild=True)
    assert rebuilt.last_sync is not None and rebuilt.last_sync.embedded == TINY_CHUNKS
    _answers(rebuilt, built)
    _forget_open_stores()
    _answers(KnowledgeBase.open(built, HashEmbedder(), sync=False), built)  # and it stays rebuilt


def test_rebuild_leaves_files_that_are_not_chromas_alone(built: Settings) -> None:
    _random_bytes(_chroma(built.index_dir))
    stranger = built.index_dir / "chroma" / "notes.txt"
    stranger.write_text("mine")
    with pytest.raises(IndexError_, match=r"holds files that are not Chroma's \(notes\.txt\)"):
        KnowledgeBase.open(built, HashEmbedder(), rebuild=True)
    assert stranger.read_text() == "mine"


@pytest.mark.parametrize("damage", ["chroma.sqlite3 random bytes", "chroma.sqlite3 truncated"])
def test_cli_ingest_rebuild_recovers_a_damaged_store(
    run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path, damage: str
) -> None:
    index = tmp_path / "index"
    assert run_cli("ingest")[0] == 0
    _forget_open_stores()
    STORE_DAMAGE[damage](index)
    code, _out, err = run_cli("ask", QUESTION)
    assert code == 1 and "Traceback" not in err
    assert REBUILD in err
    _forget_open_stores()
    code, _out, err = run_cli("ingest", "--rebuild")
    assert code == 0, err
    assert "Traceback" not in err
    _forget_open_stores()
    code, out, err = run_cli("ask", QUESTION)
    assert code == 0, err
    assert "en/bureau-tokyo.md" in out


def test_cli_ingest_rebuild_recovers_a_chunk_table_line_that_is_not_an_object(
    run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    assert run_cli("ingest")[0] == 0
    _forget_open_stores()
    _first_line_not_an_object(tmp_path / "index")
    code, _out, err = run_cli("ingest", "--rebuild")
    assert code == 0, err
    assert "Traceback" not in err


def test_running_app_damaged_store_raises_index_error_on_the_next_store_read(
    knowledge: KnowledgeBase, settings: Settings
) -> None:
    _random_bytes(_chroma(settings.index_dir))
    with pytest.raises(IndexError_) as caught:
        knowledge.vectors.stored_sources()  # what the staff document list reads
    assert str(caught.value).endswith(f"Rebuild it with: {REBUILD}")
    with pytest.raises(IndexError_, match="derci-assistant ingest --rebuild"):
        knowledge.resync()
    # The answers come from the copy in memory meanwhile, and a rebuild from the app itself heals.
    assert not Assistant(settings, knowledge=knowledge).ask(QUESTION).refused
    report = knowledge.resync(rebuild=True)
    assert report.embedded == TINY_CHUNKS
    _answers(knowledge, settings)


def test_dense_search_with_vectors_of_another_width_raises_index_error(knowledge: KnowledgeBase) -> None:
    with pytest.raises(IndexError_, match=r"width 256, the embedding model gives 7\. Rebuild it with"):
        knowledge.lexical.dense([0.1] * 7, 3)


def test_edited_front_matter_reaches_the_bm25_table(knowledge: KnowledgeBase, corpus: Path) -> None:
    page = corpus / "en" / "bureau-tokyo.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("updated: 2024", "updated: 2025"), encoding="utf-8"
    )
    report = knowledge.resync()
    assert report.updated == 1 and report.embedded == 0  # same text: same chunks, new metadata
    hit = knowledge.search.search(QUESTION, 1, lang="en", mode="lexical")[0]
    assert hit.meta["path"] == "en/bureau-tokyo.md"
    assert hit.meta["updated"] == "2025"


def test_open_never_lets_another_exception_out(built: Settings) -> None:
    """Random bytes over every file of the index, one at a time: open raises IndexError_ or answers."""
    files = sorted(p for p in built.index_dir.rglob("*") if p.is_file() and p.name != ".sync.lock")
    assert len(files) >= 8
    for path in files:
        saved = path.read_bytes()
        _random_bytes(path)
        try:
            _answers(KnowledgeBase.open(built, HashEmbedder(), sync=False), built)
        except IndexError_ as error:
            assert REBUILD in str(error), (path, error)
        finally:
            _forget_open_stores()
            os.makedirs(path.parent, exist_ok=True)
            path.write_bytes(saved)
