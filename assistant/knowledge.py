"""Everything the answerer reads, opened once: embedder, vector and BM25 indexes, directories.

`KnowledgeBase.open` builds the index on first use and syncs it incrementally afterwards (when asked),
so a fresh clone answers its first question without a separate ingest step.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.directory import (
    Glossary,
    OfficeDirectory,
    ToolDirectory,
    load_glossary,
    load_offices,
    load_tools,
)
from assistant.index import VectorIndex
from assistant.ingest import Progress, SyncReport, rebuild_lexical, sync_index
from assistant.lexical import STATE_FILE, LexicalIndex, stored_fingerprint
from assistant.retrieval import HybridSearch
from assistant.sections import Limits

log = logging.getLogger(__name__)
_REFRESH_LOCK = threading.Lock()


def _stamp(folder: Path) -> tuple[int, int, int] | None:
    try:
        st = (folder / STATE_FILE).stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def default_embedder(settings: Settings) -> Embeddings:
    from assistant.embeddings import SentenceTransformerEmbeddings

    return SentenceTransformerEmbeddings(settings.embedding_model, settings.embedding_batch_size)


def model_id(embedder: Embeddings) -> str:
    return str(getattr(embedder, "model_name", type(embedder).__name__))


def token_counter(embedder: Embeddings) -> tuple[Callable[[str], int], int]:
    """The embedder's own tokenizer and window when it has them, else a word-based estimate."""
    count = getattr(embedder, "count_tokens", None)
    if callable(count):
        return count, int(getattr(embedder, "max_tokens", 256))
    from assistant.chunking import word_count_tokens

    return word_count_tokens, 256


@dataclass
class KnowledgeBase:
    settings: Settings
    embedder: Embeddings
    vectors: VectorIndex
    lexical: LexicalIndex
    offices: OfficeDirectory
    tools: ToolDirectory
    glossary: Glossary
    search: HybridSearch
    last_sync: SyncReport | None = None
    # (inode, mtime, size) of the lexical state file when it last matched our index: unchanged, not reread
    _state_stamp: tuple[int, int, int] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(
        cls,
        settings: Settings,
        embedder: Embeddings | None = None,
        *,
        sync: bool = True,
        rebuild: bool = False,
        corpus_dir: Path | None = None,
        progress: Progress | None = None,
    ) -> KnowledgeBase:
        embedder = embedder or default_embedder(settings)
        # A rebuild deletes the store before opening it: it may be damaged or hold another model's vectors.
        vectors = VectorIndex(settings, embedder, model_id(embedder), reset=rebuild)
        report = None
        if sync or rebuild or vectors.count() == 0:
            count, window = token_counter(embedder)
            report, lexical = sync_index(
                vectors,
                corpus_dir or settings.corpus_dir,
                settings.index_dir,
                count_tokens=count,
                max_tokens=window,
                max_bytes=settings.max_file_bytes,
                limits=Limits(chars=settings.max_document_chars),
                max_chunks=settings.max_document_chunks,
                rebuild=rebuild,
                progress=progress,
            )
        else:
            lexical = rebuild_lexical(vectors, settings.index_dir)
        corpus = corpus_dir or settings.corpus_dir
        glossary = load_glossary(corpus / "glossary.yaml")
        offices = load_offices(corpus / "offices.yaml")
        search = HybridSearch(
            vectors, lexical, embedder, glossary, candidates=settings.candidates, offices=offices
        )
        return cls(
            settings=settings,
            embedder=embedder,
            vectors=vectors,
            lexical=lexical,
            offices=offices,
            tools=load_tools(corpus / "tools.yaml"),
            glossary=glossary,
            search=search,
            last_sync=report,
        )

    def refresh_if_changed(self) -> bool:
        """Reopen the indexes when another process (the ingest CLI) has synced them since we loaded.

        The lexical state file is rewritten by every sync, so its fingerprint is a cheap change signal.
        """
        folder = self.settings.index_dir / "lexical"
        stamp = _stamp(folder)
        if stamp is not None and stamp == self._state_stamp:
            return False  # a stat instead of reading and parsing the state file at every question
        state = stored_fingerprint(folder)
        if state is None or state == self.lexical.fingerprint:
            self._state_stamp = stamp if state is not None else None
            return False
        with _REFRESH_LOCK:
            if stored_fingerprint(folder) == self.lexical.fingerprint:
                return False  # another thread refreshed meanwhile
            self._reopen()
        return True

    def _reopen(self) -> None:
        log.info("the index changed on disk: reopening it")
        self.vectors.release()
        vectors = VectorIndex(self.settings, self.embedder, model_id(self.embedder))
        self._swap(vectors, rebuild_lexical(vectors, self.settings.index_dir))

    def _swap(self, vectors: VectorIndex, lexical: LexicalIndex) -> None:
        """Point the knowledge base and its one search at new indexes (searches hold the search)."""
        self.vectors = self.search.vectors = vectors
        self.lexical = self.search.lexical = lexical

    def resync(self, *, rebuild: bool = False, progress: Progress | None = None) -> SyncReport:
        """Sync with the corpus folder again (after an upload or a deletion) and swap the BM25 index in."""
        count, window = token_counter(self.embedder)
        report, lexical = sync_index(
            self.vectors,
            self.settings.corpus_dir,
            self.settings.index_dir,
            count_tokens=count,
            max_tokens=window,
            max_bytes=self.settings.max_file_bytes,
            limits=Limits(chars=self.settings.max_document_chars),
            max_chunks=self.settings.max_document_chunks,
            rebuild=rebuild,
            progress=progress,
        )
        self._swap(self.vectors, lexical)
        self.last_sync = report
        return report
