"""Bring the index in line with a document folder: read, chunk, embed what changed, rebuild BM25.

Counts are per file: added (new file), updated (content changed), removed (file gone), unchanged,
skipped (unreadable, refused by a limit or a symlink rule, with the reason); warnings name what a file
that was read had ignored. Only chunks whose id is not stored yet are embedded, and a file whose digest
is stored is not cut again while the chunking signature (parameters, tokenizer, the code that reads and
cuts) is the one the store recorded: a sync with nothing to do reads the files and stops there.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from assistant.chunking import MAX_CHUNKS_PER_DOCUMENT, Chunk, TokenCounter, chunk_document, word_count_tokens
from assistant.documents import DEFAULT_LIMITS, Limits, Skipped, load_documents
from assistant.errors import DocumentError
from assistant.index import VectorIndex, sync_lock
from assistant.lexical import LexicalIndex

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: tuple[Skipped, ...] = ()
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped "
            f"({self.chunks} chunks, {self.embedded} embedded) in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class Collected:
    """What a corpus folder holds, ready to index."""

    chunks: list[Chunk]
    digests: dict[str, str]  # file path -> digest, for every file indexed
    skipped: list[Skipped]
    warnings: list[str]  # "path: what was ignored"
    uncut: set[str] = field(default_factory=set)  # paths read but not cut again (`collect`'s `cut`)


def collect(
    corpus_dir: Path,
    count_tokens: TokenCounter = word_count_tokens,
    max_tokens: int = 256,
    max_bytes: int = 50 * 1024 * 1024,
    *,
    limits: Limits = DEFAULT_LIMITS,
    max_chunks: int = MAX_CHUNKS_PER_DOCUMENT,
    cut: Mapping[str, str] | None = None,
) -> Collected:
    """Every chunk of the folder, each file's digest, the files skipped and the readers' warnings.

    `cut`: file path -> digest of files whose chunks are stored already; such a file is read (its
    digest and warnings) but not cut again, and gives no chunk here.
    """
    documents, skipped = load_documents(corpus_dir, max_bytes=max_bytes, limits=limits)
    chunks: list[Chunk] = []
    digests: dict[str, str] = {}
    warnings: list[str] = []
    uncut: set[str] = set()
    for doc in documents:
        if cut and cut.get(doc.path) == doc.digest:
            digests[doc.path] = doc.digest
            uncut.add(doc.path)
            warnings.extend(f"{doc.path}: {warning}" for warning in doc.warnings)
            continue
        try:
            chunks.extend(chunk_document(doc, count_tokens, max_tokens, max_chunks=max_chunks))
        except DocumentError as error:
            skipped.append(Skipped(error.path, error.reason))
            continue
        digests[doc.path] = doc.digest
        warnings.extend(f"{doc.path}: {warning}" for warning in doc.warnings)
    for warning in warnings:
        log.warning("%s", warning)
    return Collected(chunks, digests, sorted(skipped, key=lambda s: s.path), warnings, uncut)


def collect_chunks(
    corpus_dir: Path,
    count_tokens: TokenCounter = word_count_tokens,
    max_tokens: int = 256,
    max_bytes: int = 50 * 1024 * 1024,
) -> tuple[list[Chunk], dict[str, str], list[Skipped]]:
    """Every chunk of the folder, each file's digest by path, and the files skipped."""
    found = collect(corpus_dir, count_tokens, max_tokens, max_bytes)
    return found.chunks, found.digests, found.skipped


def sync_index(
    vectors: VectorIndex,
    corpus_dir: Path,
    index_dir: Path,
    *,
    count_tokens: TokenCounter = word_count_tokens,
    max_tokens: int = 256,
    max_bytes: int = 50 * 1024 * 1024,
    limits: Limits = DEFAULT_LIMITS,
    max_chunks: int = MAX_CHUNKS_PER_DOCUMENT,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> tuple[SyncReport, LexicalIndex]:
    """Sync the vector store and the BM25 index with `corpus_dir`, under the index's writer lock."""
    start = time.perf_counter()
    with sync_lock(index_dir):
        if rebuild:
            vectors.reset()
        stored = vectors.stored_sources()
        before = _digests_by_path(stored)
        signature = chunking_signature(count_tokens, max_tokens, limits, max_chunks)
        cut = before if signature == vectors.chunking() else None
        found = collect(
            corpus_dir, count_tokens, max_tokens, max_bytes, limits=limits, max_chunks=max_chunks, cut=cut
        )
        chunks, digests = found.chunks, found.digests
        kept = [cid for cid, (path, _) in stored.items() if path in found.uncut]
        if progress:
            progress("reading", len(digests), len(digests))

        def embedding_progress(done: int, total: int) -> None:
            if progress:
                progress("embedding", done, total)

        counts = vectors.sync(chunks, embedding_progress, known=stored, kept=kept, chunking=signature)
        lexical = rebuild_lexical(vectors, index_dir, reuse=not rebuild)
    added = sum(1 for p in digests if p not in before)
    updated = sum(1 for p, d in digests.items() if p in before and before[p] != d)
    removed = sum(1 for p in before if p not in digests)
    report = SyncReport(
        added=added,
        updated=updated,
        removed=removed,
        unchanged=len(digests) - added - updated,
        skipped=tuple(found.skipped),
        chunks=counts.added + counts.unchanged,
        embedded=counts.added,
        seconds=time.perf_counter() - start,
        warnings=tuple(found.warnings),
    )
    log.info("sync: %s", report.summary())
    return report, lexical


# What decides how a file is cut into chunks, besides its bytes and the parameters.
_CHUNKING_CODE = ("chunking", "documents", "readers", "office_readers", "sections", "sources")


def chunking_signature(count_tokens: TokenCounter, max_tokens: int, limits: Limits, max_chunks: int) -> str:
    """A digest of everything but a file's bytes that its chunks depend on: the token counter (the
    embedding model's tokenizer), the window, the limits and the source of the modules that read and
    cut. Chunks stored under another signature are cut again."""
    h = hashlib.sha256(f"{_counter_name(count_tokens)}\n{max_tokens}\n{limits!r}\n{max_chunks}\n".encode())
    for name in _CHUNKING_CODE:
        source = getattr(importlib.import_module(f"assistant.{name}"), "__file__", None)
        if source is None:
            return ""  # not importable as files (a zip, a frozen app): never reuse
        h.update(Path(source).read_bytes())
    return h.hexdigest()


def _counter_name(count_tokens: TokenCounter) -> str:
    owner = getattr(count_tokens, "__self__", None)  # a bound method: the embedder's own tokenizer
    name = (getattr(owner, "model_name", None) or type(owner).__name__) if owner is not None else ""
    return f"{getattr(count_tokens, '__qualname__', repr(count_tokens))} {name}"


def rebuild_lexical(vectors: VectorIndex, index_dir: Path, *, reuse: bool = True) -> LexicalIndex:
    """Reload the BM25 index if it matches the vector store (when `reuse`), else rebuild and save it."""
    folder = index_dir / "lexical"
    existing = LexicalIndex.load(folder) if reuse else None
    if existing is not None and _matches(existing, vectors):
        return existing
    chunks, matrix = vectors.export()
    lexical = LexicalIndex(chunks, vectors=matrix, model=vectors.model_id)
    try:
        lexical.save(folder)
    except OSError as exc:  # a read-only index folder still serves queries from memory
        log.warning("could not save the BM25 index to %s: %s", folder, exc)
    return lexical


def _matches(lexical: LexicalIndex, vectors: VectorIndex) -> bool:
    """Whether a saved BM25 index was built from what the vector store holds now, with its model."""
    return lexical.fingerprint == vectors.content_fingerprint() and lexical.model == vectors.model_id


def _digests_by_path(stored: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """File path -> digest, from the store's chunk id -> (path, digest)."""
    out: dict[str, str] = {}
    for path, digest in stored.values():
        out.setdefault(path, digest)
    return out
