"""The only Chroma code: open the store (embedded or server), reconcile it with a set of chunks, query it.

The store is the source of truth for what is indexed. A sync compares the chunk ids wanted with the ids
stored and only adds the missing ones and deletes the extra ones: ids are content hashes, so a sync
killed at any point leaves a store that opens and answers, and the next sync converges with no
duplicate and no orphan chunk. Scores are cosine similarities (1 - cosine distance): higher is better.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.chunking import Chunk
from assistant.config import Settings
from assistant.errors import IndexError_, IndexLockedError, ModelMismatchError

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)
MODEL_KEY = "embedding_model"
_BATCH = 256


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as the store returns it, with its similarity to the query when there is one."""

    id: str
    text: str
    meta: Mapping[str, Any]
    similarity: float = 0.0


@dataclass(frozen=True)
class SyncCounts:
    added: int
    removed: int
    unchanged: int


class VectorIndex:
    """A Chroma collection holding chunk vectors, bound to one embedding model."""

    def __init__(
        self, settings: Settings, embedder: Embeddings, model_id: str, *, reset: bool = False
    ) -> None:
        """Open the collection; `reset` drops it first, so a rebuild can switch embedding models."""
        self.settings = settings
        self.embedder = embedder
        self.model_id = model_id
        self._client = _client(settings)
        if reset:
            # Under the writer lock: dropping the collection under a running ingest would crash it.
            with sync_lock(settings.index_dir):
                self._drop_collection()
        self._collection = self._open_collection()
        self._known_count: int | None = None  # chunks stored, cached for queries; reset by writes

    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.index_dir / "chroma")

    def _open_collection(self) -> Collection:
        try:
            collection = self._client.get_or_create_collection(
                self.settings.collection,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={MODEL_KEY: self.model_id},
                embedding_function=None,
            )
        except Exception as exc:  # noqa: BLE001 - chromadb raises many types; all mean cannot open
            raise IndexError_(f"Cannot open the index at {self.location}: {exc}") from None
        stored = (collection.metadata or {}).get(MODEL_KEY)
        if stored and stored != self.model_id:
            raise ModelMismatchError(
                f"The index at {self.location} was built with the embedding model {stored!r}, "
                f"not {self.model_id!r}. Rebuild it with: derci-assistant ingest --rebuild"
            )
        return collection

    def reset(self) -> None:
        """Drop every chunk and re-create the collection for the current model."""
        self._drop_collection()
        self._collection = self._open_collection()
        self._known_count = None

    def _drop_collection(self) -> None:
        try:
            self._client.delete_collection(self.settings.collection)
        except Exception:  # noqa: BLE001 - absent already
            log.debug("no collection to delete")

    def release(self) -> None:
        """Drop this process's cached Chroma system for the embedded store, so that the next
        `VectorIndex` on the same folder reads the files again and sees another process's sync.

        Chroma keeps one system per folder for the life of the process; without this a long-running
        app would miss chunks an ingest CLI added and return deleted ones with empty text.
        """
        if self.settings.chroma_url:
            return
        from chromadb.api.shared_system_client import SharedSystemClient

        identifier = str(self.settings.index_dir / "chroma")
        system = SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        if system is not None:
            try:
                system.stop()
            except Exception:  # noqa: BLE001 - stopping a stale system must never break a refresh
                log.debug("stale Chroma system did not stop cleanly")

    def count(self) -> int:
        return int(self._collection.count())

    def stored_ids(self) -> set[str]:
        ids: set[str] = set()
        offset = 0
        while True:
            got = self._collection.get(include=[], limit=5000, offset=offset)
            ids.update(got["ids"])
            if len(got["ids"]) < 5000:
                return ids
            offset += 5000

    def stored_sources(self) -> dict[str, tuple[str, str]]:
        """Chunk id -> (file path, file digest) for every stored chunk; metadata only, no text."""
        out: dict[str, tuple[str, str]] = {}
        offset = 0
        while True:
            got = self._collection.get(include=["metadatas"], limit=5000, offset=offset)
            for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                meta = meta or {}
                out[cid] = (str(meta.get("path", "")), str(meta.get("digest", "")))
            if len(got["ids"]) < 5000:
                return out
            offset += 5000

    def all_chunks(self) -> Iterator[StoredChunk]:
        offset = 0
        while True:
            got = self._collection.get(include=["documents", "metadatas"], limit=2000, offset=offset)
            docs = got["documents"] or []
            metas = got["metadatas"] or []
            for cid, text, meta in zip(got["ids"], docs, metas, strict=True):
                yield StoredChunk(cid, text or "", dict(meta or {}))
            if len(got["ids"]) < 2000:
                return
            offset += 2000

    def export(self) -> tuple[list[StoredChunk], np.ndarray]:
        """Every chunk with its text and metadata, and their vectors as one float32 matrix (same order)."""
        chunks: list[StoredChunk] = []
        blocks: list[np.ndarray] = []
        offset = 0
        while True:
            got = self._collection.get(
                include=["documents", "metadatas", "embeddings"], limit=2000, offset=offset
            )
            docs = got["documents"] or []
            metas = got["metadatas"] or []
            for cid, text, meta in zip(got["ids"], docs, metas, strict=True):
                chunks.append(StoredChunk(cid, text or "", dict(meta or {})))
            embeddings = got["embeddings"]
            if embeddings is not None and len(embeddings):
                blocks.append(np.asarray(embeddings, dtype=np.float32))
            if len(got["ids"]) < 2000:
                break
            offset += 2000
        matrix = np.vstack(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)
        return chunks, matrix

    def sync(self, chunks: Sequence[Chunk], progress: Callable[[int, int], None] | None = None) -> SyncCounts:
        """Make the store hold exactly `chunks`: embed and add the new ones, delete the others."""
        self._known_count = None
        wanted = {c.id: c for c in chunks}
        stored_digests = {cid: digest for cid, (_, digest) in self.stored_sources().items()}
        stored = set(stored_digests)
        new = [c for cid, c in wanted.items() if cid not in stored]
        gone = sorted(stored - wanted.keys())
        # Unchanged chunks of an edited file keep their vectors but take the file's new digest, so that
        # the next sync does not count that file as updated again.
        stale = [
            c for cid, c in wanted.items() if cid in stored and stored_digests[cid] != c.meta.get("digest")
        ]
        for start in range(0, len(stale), _BATCH):
            batch = stale[start : start + _BATCH]
            self._collection.update(ids=[c.id for c in batch], metadatas=[_flat_meta(c) for c in batch])
        # Delete first: a crash after this point leaves fewer chunks, never two versions of one.
        for start in range(0, len(gone), _BATCH):
            self._collection.delete(ids=gone[start : start + _BATCH])
        for start in range(0, len(new), _BATCH):
            batch = new[start : start + _BATCH]
            vectors = self.embedder.embed_documents([c.embed_text for c in batch])
            self._collection.upsert(
                ids=[c.id for c in batch],
                embeddings=vectors,  # type: ignore[arg-type]
                documents=[c.text for c in batch],
                metadatas=[_flat_meta(c) for c in batch],
            )
            if progress:
                progress(min(start + _BATCH, len(new)), len(new))
        self._known_count = None
        return SyncCounts(added=len(new), removed=len(gone), unchanged=len(wanted) - len(new))

    def query(
        self, vector: Sequence[float], k: int, where: Mapping[str, Any] | None = None
    ) -> list[StoredChunk]:
        """The `k` nearest chunks, most similar first."""
        if self._known_count is None:
            self._known_count = self.count()
        n = min(k, self._known_count)
        if n <= 0:
            return []
        got = self._collection.query(
            query_embeddings=[list(vector)],  # type: ignore[arg-type]
            n_results=n,
            where=dict(where) if where else None,
            include=["documents", "metadatas", "distances"],
        )
        ids = got["ids"][0]
        docs = (got["documents"] or [[]])[0]
        metas = (got["metadatas"] or [[]])[0]
        dists = (got["distances"] or [[]])[0]
        return [
            StoredChunk(cid, text or "", dict(meta or {}), 1.0 - float(dist))
            for cid, text, meta, dist in zip(ids, docs, metas, dists, strict=True)
        ]


def _flat_meta(chunk: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = {k: v for k, v in chunk.meta.items() if isinstance(v, (str, int, float, bool))}
    meta.update(
        path=chunk.doc_path,
        title=chunk.title,
        section=chunk.section,
        heading_path="\x1f".join(chunk.heading_path),
        page=chunk.page or 0,
    )
    return meta


def _client(settings: Settings) -> ClientAPI:
    try:
        import chromadb
    except ImportError:  # pragma: no cover - a core dependency
        raise IndexError_("chromadb is not installed: pip install -e .") from None
    chroma_settings = chromadb.config.Settings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise IndexError_(
                f"DERCI_CHROMA_URL={settings.chroma_url!r} is not a URL like http://127.0.0.1:8000."
            )
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # noqa: BLE001 - any failure means unreachable
            raise IndexError_(
                f"The Chroma server at {settings.chroma_url} is unreachable ({exc}). "
                "Start it (chroma run --path DIR --host 127.0.0.1 --port 8000) or unset DERCI_CHROMA_URL."
            ) from None
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


@contextmanager
def sync_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's writer lock; a second writer stops at once with a clear message."""
    import fcntl

    index_dir.mkdir(parents=True, exist_ok=True)
    lock_path = index_dir / ".sync.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexLockedError(
                f"Another ingest is updating the index at {index_dir} (lock {lock_path}). "
                "Wait for it to finish, then run the command again."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
