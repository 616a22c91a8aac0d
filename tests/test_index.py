"""Tests of assistant.index and assistant.ingest: incremental sync, per-file counts, model binding, lock."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from assistant import ingest
from assistant.chunking import Chunk
from assistant.config import Settings
from assistant.documents import SourceDocument
from assistant.errors import IndexLockedError, ModelMismatchError
from assistant.index import CONTENT_KEY, VectorIndex, sources_fingerprint, sync_lock
from assistant.ingest import collect_chunks, rebuild_lexical
from assistant.knowledge import KnowledgeBase
from assistant.lexical import LexicalIndex
from tests.conftest import PROJECT
from tests.fakes import HashEmbedder

TINY_FILES = 6
TINY_CHUNKS = 14


def _write(corpus: Path, rel: str, body: str, *, lang: str = "en", title: str = "A page") -> None:
    path = corpus / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title!r}\nlang: {lang}\ntopic: guide\n---\n\n{body}\n", encoding="utf-8")


def _stored_paths(knowledge: KnowledgeBase) -> set[str]:
    return {str(c.meta["path"]) for c in knowledge.vectors.all_chunks()}


def _edit(corpus: Path, rel: str, old: str, new: str) -> None:
    path = corpus / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_sync_first_run_embeds_every_chunk(knowledge: KnowledgeBase, embedder: HashEmbedder) -> None:
    report = knowledge.last_sync
    assert report is not None
    assert report.chunks == report.embedded == embedder.embedded == TINY_CHUNKS
    assert knowledge.vectors.count() == TINY_CHUNKS
    assert (report.added, report.updated, report.removed, report.unchanged) == (TINY_FILES, 0, 0, 0)


def test_sync_unchanged_corpus_embeds_nothing(knowledge: KnowledgeBase, embedder: HashEmbedder) -> None:
    before = embedder.embedded
    report = knowledge.resync()
    assert embedder.embedded == before
    assert report.embedded == 0
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, TINY_FILES)


def test_sync_reopening_embeds_nothing(settings: Settings, knowledge: KnowledgeBase) -> None:
    fresh = HashEmbedder()
    reopened = KnowledgeBase.open(settings, fresh)
    assert fresh.embedded == 0
    assert reopened.vectors.count() == TINY_CHUNKS


def test_sync_edited_file_reembeds_only_changed_chunks(
    knowledge: KnowledgeBase, embedder: HashEmbedder, corpus: Path
) -> None:
    ids_before = knowledge.vectors.stored_ids()
    before = embedder.embedded
    _edit(corpus, "en/bureau-tokyo.md", "Jacques Maleval", "Jacques Maleval (acting)")
    report = knowledge.resync()
    assert embedder.embedded - before == report.embedded == 1
    ids_after = knowledge.vectors.stored_ids()
    assert len(ids_after - ids_before) == 1
    assert len(ids_before - ids_after) == 1  # the old version is gone, not kept beside the new one
    assert knowledge.vectors.count() == TINY_CHUNKS


def test_sync_after_an_edit_counts_the_file_updated_once(knowledge: KnowledgeBase, corpus: Path) -> None:
    _edit(corpus, "en/bureau-tokyo.md", "Jacques Maleval", "Jacques Maleval (acting)")
    assert knowledge.resync().updated == 1
    again = knowledge.resync()  # the file's unchanged chunks carry its new digest now
    assert (again.updated, again.embedded, again.unchanged) == (0, 0, 6)


def test_sync_deleted_file_removes_its_chunks(knowledge: KnowledgeBase, corpus: Path) -> None:
    (corpus / "fr" / "outil-iea.md").unlink()
    report = knowledge.resync()
    assert report.removed == 1
    assert "fr/outil-iea.md" not in _stored_paths(knowledge)
    assert knowledge.vectors.count() == TINY_CHUNKS - 3
    assert not knowledge.search.search("PICS remplacé", 10, mode="lexical", filters={"lang": "fr"})


def test_sync_added_file_is_indexed(knowledge: KnowledgeBase, embedder: HashEmbedder, corpus: Path) -> None:
    before = embedder.embedded
    _write(corpus, "en/new-page.md", "## Zanzibar\n\nThe zanzibar partnership is new.")
    report = knowledge.resync()
    assert report.added == 1
    assert embedder.embedded - before == 1
    hits = knowledge.search.search("zanzibar partnership", 1)
    assert hits[0].meta["path"] == "en/new-page.md"


def test_sync_report_counts_files(knowledge: KnowledgeBase, corpus: Path) -> None:
    _write(corpus, "en/new-page.md", "A new page about zanzibar.")
    _edit(corpus, "fr/bureau-tokyo.md", "Jacques Maleval", "J. Maleval")
    (corpus / "en" / "outil-iea.md").unlink()
    (corpus / "en" / "notes.xyz").write_text("not a document")
    report = knowledge.resync()
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 4)
    assert [s.path for s in report.skipped] == ["en/notes.xyz"]
    assert report.chunks == TINY_CHUNKS + 1 - 3
    assert "1 added, 1 updated, 1 removed, 4 unchanged, 1 skipped" in report.summary()


def test_sync_bad_files_skipped_and_rest_indexed(settings: Settings, corpus: Path) -> None:
    (corpus / "en" / "broken.pdf").write_bytes(b"%PDF-1.7\nthis is not a PDF body\n%%EOF")
    (corpus / "en" / "slides.pptx").write_bytes(b"PK\x03\x04")
    knowledge = KnowledgeBase.open(settings, HashEmbedder())
    report = knowledge.last_sync
    assert report is not None
    reasons = {s.path: s.reason for s in report.skipped}
    assert set(reasons) == {"en/broken.pdf", "en/slides.pptx"}
    assert "PDF" in reasons["en/broken.pdf"]
    assert "unsupported" in reasons["en/slides.pptx"]
    assert report.added == TINY_FILES
    assert knowledge.vectors.count() == TINY_CHUNKS


def test_sync_stored_ids_match_collected_chunks(knowledge: KnowledgeBase, corpus: Path) -> None:
    chunks, _, _ = collect_chunks(corpus)
    assert knowledge.vectors.stored_ids() == {c.id for c in chunks}


def test_vector_index_other_model_raises_model_mismatch(settings: Settings, knowledge: KnowledgeBase) -> None:
    with pytest.raises(ModelMismatchError, match="--rebuild") as caught:
        VectorIndex(settings, HashEmbedder(model_name="other-model"), "other-model")
    assert "fake-hash-256" in str(caught.value)
    assert "other-model" in str(caught.value)


def test_knowledge_open_other_model_raises_model_mismatch(
    settings: Settings, knowledge: KnowledgeBase
) -> None:
    with pytest.raises(ModelMismatchError, match="--rebuild"):
        KnowledgeBase.open(settings, HashEmbedder(model_name="other-model"))


def test_knowledge_rebuild_switches_model(settings: Settings, knowledge: KnowledgeBase) -> None:
    other = HashEmbedder(dim=128, model_name="other-model")
    rebuilt = KnowledgeBase.open(settings, other, rebuild=True)
    assert other.embedded == TINY_CHUNKS
    assert rebuilt.vectors.count() == TINY_CHUNKS
    assert rebuilt.search.search("Who heads the Tokyo office?", 1)[0].meta["path"] == "en/bureau-tokyo.md"
    KnowledgeBase.open(settings, HashEmbedder(dim=128, model_name="other-model"))  # now bound to it


def test_knowledge_rebuild_reembeds_everything(knowledge: KnowledgeBase, embedder: HashEmbedder) -> None:
    before = embedder.embedded
    report = knowledge.resync(rebuild=True)
    assert embedder.embedded - before == TINY_CHUNKS
    assert report.added == TINY_FILES
    assert knowledge.vectors.count() == TINY_CHUNKS


def test_vector_index_scores_are_cosine_similarities(
    knowledge: KnowledgeBase, embedder: HashEmbedder
) -> None:
    vector = embedder.embed_query("countries covered by the Singapore office: Vietnam, Thailand, ASEAN")
    hits = knowledge.vectors.query(vector, k=TINY_CHUNKS)
    assert len(hits) == TINY_CHUNKS
    assert all(-1.0 - 1e-6 <= h.similarity <= 1.0 + 1e-6 for h in hits)
    assert [h.similarity for h in hits] == sorted((h.similarity for h in hits), reverse=True)
    assert (hits[0].meta["path"], hits[0].meta["section"]) == ("en/bureau-singapour.md", "Countries covered")
    iea = next(h for h in hits if h.meta["path"] == "en/outil-iea.md")
    assert hits[0].similarity > iea.similarity


def test_vector_index_identical_text_has_similarity_one(
    knowledge: KnowledgeBase, embedder: HashEmbedder
) -> None:
    stored = next(c for c in knowledge.vectors.all_chunks() if c.meta["section"] == "Director")
    embedded = f"{stored.meta['title']} > {stored.meta['section']}\n{stored.text}"
    hit = knowledge.vectors.query(embedder.embed_query(embedded), k=1)[0]
    assert hit.id == stored.id
    assert hit.similarity == pytest.approx(1.0, abs=1e-5)


def test_vector_index_query_on_empty_index_returns_nothing(
    settings: Settings, embedder: HashEmbedder
) -> None:
    index = VectorIndex(settings, embedder, embedder.model_name)
    assert index.query(embedder.embed_query("anything"), k=5) == []


def test_vector_index_stores_flat_chunk_metadata(knowledge: KnowledgeBase) -> None:
    stored = next(c for c in knowledge.vectors.all_chunks() if c.meta["path"] == "fr/bureau-tokyo.md")
    assert stored.meta["lang"] == "fr"
    assert stored.meta["doc_id"] == "fr/bureau-tokyo"
    assert stored.meta["office"] == "tokyo"
    assert stored.meta["url"] == "https://example.org/tokyo"
    assert stored.meta["updated"] == "2024"
    assert stored.meta["title"] == "Bureau du CNRS à Tokyo"


def test_sync_lock_second_holder_raises_index_locked(tmp_path: Path) -> None:
    with (
        sync_lock(tmp_path / "index"),
        pytest.raises(IndexLockedError, match="Another ingest"),
        sync_lock(tmp_path / "index"),
    ):
        pass


def test_sync_lock_released_after_use(tmp_path: Path) -> None:
    with sync_lock(tmp_path / "index"):
        pass
    with sync_lock(tmp_path / "index"):
        assert (tmp_path / "index" / ".sync.lock").exists()


def test_sync_while_locked_raises_index_locked(knowledge: KnowledgeBase, settings: Settings) -> None:
    with sync_lock(settings.index_dir), pytest.raises(IndexLockedError):
        knowledge.resync()


def test_rebuild_lexical_reuses_index_in_step(knowledge: KnowledgeBase, settings: Settings) -> None:
    again = rebuild_lexical(knowledge.vectors, settings.index_dir)
    assert again.fingerprint == knowledge.lexical.fingerprint
    assert again.ids == knowledge.lexical.ids  # loaded from disk, same order


def test_rebuild_lexical_rebuilds_stale_index(knowledge: KnowledgeBase, settings: Settings) -> None:
    LexicalIndex(list(knowledge.vectors.all_chunks())[:3]).save(settings.index_dir / "lexical")
    rebuilt = rebuild_lexical(knowledge.vectors, settings.index_dir)
    assert rebuilt.fingerprint == sources_fingerprint(knowledge.vectors.stored_sources())
    assert len(rebuilt.ids) == TINY_CHUNKS
    saved = LexicalIndex.load(settings.index_dir / "lexical")
    assert saved is not None and saved.fingerprint == rebuilt.fingerprint


def test_resync_keeps_one_search_over_the_new_indexes(knowledge: KnowledgeBase, corpus: Path) -> None:
    search = knowledge.search
    _write(corpus, "en/new-page.md", "## Zanzibar\n\nThe zanzibar partnership is new.")
    knowledge.resync()
    assert knowledge.search is search  # what callers hold keeps working
    assert search.lexical is knowledge.lexical and search.vectors is knowledge.vectors
    assert search.search("zanzibar partnership", 1)[0].meta["path"] == "en/new-page.md"


def test_sync_records_the_store_fingerprint_in_the_collection(knowledge: KnowledgeBase, corpus: Path) -> None:
    _edit(corpus, "en/bureau-tokyo.md", "Jacques Maleval", "J. Maleval")
    knowledge.resync()
    recorded = (knowledge.vectors._collection.metadata or {}).get(CONTENT_KEY)
    assert (
        recorded == sources_fingerprint(knowledge.vectors.stored_sources()) == knowledge.lexical.fingerprint
    )


def _cut_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the files a sync cuts into chunks, in order, from now on."""
    cut: list[str] = []
    real = ingest.chunk_document

    def counting(doc: SourceDocument, *args: Any, **kwargs: Any) -> list[Chunk]:
        cut.append(doc.path)
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(ingest, "chunk_document", counting)
    return cut


def test_sync_cuts_only_the_files_that_changed(
    knowledge: KnowledgeBase, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cut = _cut_paths(monkeypatch)
    assert knowledge.resync().unchanged == TINY_FILES
    assert cut == []
    _edit(corpus, "en/bureau-tokyo.md", "Jacques Maleval", "J. Maleval")
    report = knowledge.resync()
    assert cut == ["en/bureau-tokyo.md"]
    assert (report.updated, report.unchanged, report.chunks) == (1, TINY_FILES - 1, TINY_CHUNKS)
    assert knowledge.vectors.stored_ids() == {c.id for c in collect_chunks(corpus)[0]}  # as if cut afresh


def test_sync_drops_the_chunks_of_a_file_that_now_gives_none(knowledge: KnowledgeBase, corpus: Path) -> None:
    # guard: a changed file without chunks must not keep its old ones
    knowledge.resync()
    (corpus / "en/bureau-tokyo.md").write_text("---\ntitle: 'Tokyo'\nlang: en\n---\n", encoding="utf-8")
    knowledge.resync()
    assert "en/bureau-tokyo.md" not in _stored_paths(knowledge)
    assert knowledge.vectors.stored_ids() == {c.id for c in collect_chunks(corpus)[0]}


def test_sync_cuts_every_file_again_when_the_cutting_code_changes(
    knowledge: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # guard: chunks cut by other code (or other parameters) are never reused by digest
    cut = _cut_paths(monkeypatch)
    monkeypatch.setattr(ingest, "_CHUNKING_CODE", (*ingest._CHUNKING_CODE, "lexicon"))
    report = knowledge.resync()
    assert len(cut) == TINY_FILES
    assert report.embedded == 0  # the same chunks came out: nothing embedded again
    cut.clear()
    knowledge.resync()
    assert cut == []  # the new signature was recorded


def test_sync_after_an_interrupted_one_cuts_every_file_again(
    knowledge: KnowledgeBase, settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # guard: a store left half-written holds files whose digest is stored but whose chunks are missing
    class Failing(HashEmbedder):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            raise RuntimeError("killed")

    _edit(corpus, "en/bureau-tokyo.md", "Jacques Maleval", "Someone Else entirely")
    vectors = VectorIndex(settings, Failing(), knowledge.vectors.model_id)
    with pytest.raises(RuntimeError, match="killed"):
        ingest.sync_index(vectors, corpus, settings.index_dir)
    cut = _cut_paths(monkeypatch)
    reopened = KnowledgeBase.open(settings, HashEmbedder())
    assert len(cut) == TINY_FILES
    assert reopened.vectors.stored_ids() == {c.id for c in collect_chunks(corpus)[0]}


def test_open_checks_the_bm25_twin_without_reading_every_chunk(
    knowledge: KnowledgeBase, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_scan(self: VectorIndex) -> None:
        raise AssertionError("the metadata of every chunk was read to check the BM25 twin")

    monkeypatch.setattr(VectorIndex, "stored_sources", no_scan)
    again = KnowledgeBase.open(settings, HashEmbedder(), sync=False)
    assert again.lexical.fingerprint == knowledge.lexical.fingerprint


def test_sync_failing_while_writing_leaves_no_fingerprint_to_trust(
    knowledge: KnowledgeBase, settings: Settings, corpus: Path
) -> None:
    class Failing(HashEmbedder):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            raise RuntimeError("killed")

    _write(corpus, "en/new-page.md", "## Zanzibar\n\nThe zanzibar partnership is new.")
    (corpus / "fr" / "outil-iea.md").unlink()
    vectors = VectorIndex(settings, Failing(), knowledge.vectors.model_id)
    with pytest.raises(RuntimeError, match="killed"):
        vectors.sync(collect_chunks(corpus)[0])  # deletes the IEA chunks, then fails to add
    assert (vectors._collection.metadata or {}).get(CONTENT_KEY) == ""
    reopened = KnowledgeBase.open(settings, HashEmbedder(), sync=False)
    assert reopened.lexical.fingerprint == sources_fingerprint(reopened.vectors.stored_sources())
    assert "fr/outil-iea.md" not in {str(c.meta["path"]) for c in reopened.lexical.chunks}


_SYNC_IN_CHILD = textwrap.dedent(
    """
    import sys
    from assistant.config import Settings
    from assistant.knowledge import KnowledgeBase
    from tests.fakes import HashEmbedder

    corpus, index = sys.argv[1], sys.argv[2]
    settings = Settings.load(environ={}, corpus_dir=corpus, index_dir=index, data_dir=index + "/data")
    KnowledgeBase.open(settings, HashEmbedder())
    """
)


@pytest.mark.slow
def test_vector_index_sees_sync_from_another_process(
    knowledge: KnowledgeBase, settings: Settings, corpus: Path
) -> None:
    _write(corpus, "en/new-page.md", "## Zanzibar\n\nThe zanzibar partnership is new.")
    (corpus / "fr" / "outil-iea.md").unlink()
    subprocess.run(
        [sys.executable, "-c", _SYNC_IN_CHILD, str(corpus), str(settings.index_dir)],
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )
    assert knowledge.refresh_if_changed(), "the sync of the other process went unnoticed"
    assert not knowledge.refresh_if_changed(), "a second check must not reopen again"
    hits = knowledge.vectors.query(HashEmbedder().embed_query("zanzibar partnership"), k=3)
    assert all(h.text and h.meta.get("path") for h in hits), "a deleted chunk came back empty"
    assert hits[0].meta["path"] == "en/new-page.md"
