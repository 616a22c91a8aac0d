"""The only Chroma code: open the store (embedded or server), reconcile it with a set of chunks, query it.

The store is the source of truth for what is indexed. A sync compares the chunk ids wanted with the ids
stored and only adds the missing ones and deletes the extra ones: ids are content hashes, so a sync
killed at any point leaves a store that opens and answers, and the next sync converges with no
duplicate and no orphan chunk. Scores are cosine similarities (1 - cosine distance): higher is better.

Every failure of the store comes out as an `IndexError_` that says what to do: a damaged embedded
store names `derci-assistant ingest --rebuild` (which deletes it and builds it again, whatever state
it is in); an unreachable Chroma server names its URL. A client is made per `VectorIndex`, never
cached across failures, so opening again after the server comes up works in the same process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
    from chromadb.api.types import GetResult, Include

log = logging.getLogger(__name__)
MODEL_KEY = "embedding_model"
# Collection metadata: the fingerprint of what the store holds, cleared before a sync writes and set
# when it is done, so that checking the BM25 twin against the store costs one read, not a full scan.
CONTENT_KEY = "content_fingerprint"
# Collection metadata: how the stored chunks were cut (`ingest.chunking_signature`), recorded with the
# content fingerprint. While it holds, a file whose digest is stored keeps its chunks without re-cutting.
CHUNKING_KEY = "chunking"
REBUILD = "derci-assistant ingest --rebuild"
_BATCH = 256
_PAGE = 2000  # rows per read of the whole store
_START_SERVER = "Start it (chroma run --path DIR --host 127.0.0.1 --port 8000) or unset DERCI_CHROMA_URL."
# What an embedded Chroma folder holds: its database and one folder per vector segment.
_CHROMA_ENTRY = re.compile(
    r"chroma\.sqlite3(-journal|-wal|-shm)?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


def fingerprint(keys: Iterable[str]) -> str:
    """A digest of a set of chunk keys (`chunk_key`): equal sets, equal fingerprints."""
    h = hashlib.sha256()
    for key in sorted(keys):
        h.update(key.encode())
        h.update(b"\n")
    return h.hexdigest()


def chunk_key(chunk_id: str, digest: str) -> str:
    """What a fingerprint covers for one chunk: its id and its file's digest (a file edited without
    changing a chunk's text changes that chunk's metadata)."""
    return f"{chunk_id} {digest}"


def sources_fingerprint(sources: Mapping[str, tuple[str, str]]) -> str:
    """The fingerprint of a store's chunks, from `VectorIndex.stored_sources()`."""
    return fingerprint(chunk_key(cid, digest) for cid, (_, digest) in sources.items())


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
        """Open the collection; `reset` empties the store first (the embedded folder is deleted whatever
        its state, a server's collection dropped), so that a rebuild recovers from damage and can
        switch embedding models."""
        self.settings = settings
        self.embedder = embedder
        self.model_id = model_id
        if reset:
            # Under the writer lock: dropping the store under a running ingest would crash it.
            with sync_lock(settings.index_dir):
                self._client = self._empty_client()
        else:
            self._client = _client(settings)
        self._collection = self._open_collection()
        self._known_count: int | None = None  # chunks stored, cached for queries; reset by writes
        self._empty = reset  # just emptied: a reset has nothing to do

    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.index_dir / "chroma")

    def _open_collection(self) -> Collection:
        with self._failures("opening the collection"):
            collection = self._client.get_or_create_collection(
                self.settings.collection,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={MODEL_KEY: self.model_id},
                embedding_function=None,
            )
        stored = (collection.metadata or {}).get(MODEL_KEY)
        if stored and stored != self.model_id:
            raise ModelMismatchError(
                f"The index at {self.location} was built with the embedding model {stored!r}, "
                f"not {self.model_id!r}. Rebuild it with: {REBUILD}"
            )
        return collection

    def reset(self) -> None:
        """Drop every chunk and re-create the collection for the current model (the caller holds the
        writer lock)."""
        if self._empty:
            return
        self._client = self._empty_client()
        self._collection = self._open_collection()
        self._known_count = None
        self._empty = True

    def _empty_client(self) -> ClientAPI:
        """A client on a store without our collection. The embedded store's folder is deleted rather
        than asked to drop the collection: a rebuild must work whatever state the files are in."""
        if self.settings.chroma_url:
            client = _client(self.settings)
            try:
                client.delete_collection(self.settings.collection)
            except Exception:  # noqa: BLE001 - absent already (an unreachable server fails just after)
                log.debug("no collection to delete")
            return client
        self.release()
        _delete_store(self.settings.index_dir / "chroma")
        return _client(self.settings)

    @contextmanager
    def _failures(self, doing: str) -> Iterator[None]:
        """Turn whatever the store raises into an `IndexError_` that names the store and the fix."""
        try:
            yield
        except IndexError_:
            raise
        except Exception as exc:  # chromadb, sqlite, httpx and numpy each raise their own types
            log.warning("Chroma failed while %s: %s", doing, _detail(exc))
            log.debug("Chroma failure", exc_info=True)
            raise _failure(self.settings, exc, doing) from exc

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
        with self._failures("counting the chunks"):
            return int(self._collection.count())

    def content_fingerprint(self) -> str:
        """The fingerprint of what the store holds (`sources_fingerprint`): one metadata read when
        the last sync completed, a full scan of the chunks' metadata otherwise."""
        stored = (self._collection.metadata or {}).get(CONTENT_KEY)
        return str(stored) if stored else sources_fingerprint(self.stored_sources())

    def chunking(self) -> str:
        """How the stored chunks were cut, when the last sync completed ("" otherwise or unknown)."""
        meta = self._collection.metadata or {}
        return str(meta.get(CHUNKING_KEY) or "") if meta.get(CONTENT_KEY) else ""

    def _mark_content(self, value: str, chunking: str = "") -> None:
        """Record the store's fingerprint and chunking in the collection ("" while a sync is writing)."""
        with self._failures("recording the index fingerprint"):
            self._collection.modify(
                metadata={MODEL_KEY: self.model_id, CONTENT_KEY: value, CHUNKING_KEY: chunking}
            )

    def _pages(self, include: Include) -> Iterator[GetResult]:
        """Every stored chunk, `_PAGE` at a time, with the fields of `include`."""
        offset = 0
        while True:
            with self._failures("reading the stored chunks"):
                got = self._collection.get(include=include, limit=_PAGE, offset=offset)
            yield got
            if len(got["ids"]) < _PAGE:
                return
            offset += _PAGE

    def stored_ids(self) -> set[str]:
        return {cid for got in self._pages([]) for cid in got["ids"]}

    def stored_sources(self) -> dict[str, tuple[str, str]]:
        """Chunk id -> (file path, file digest) for every stored chunk; metadata only, no text."""
        out: dict[str, tuple[str, str]] = {}
        for got in self._pages(["metadatas"]):
            for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                meta = meta or {}
                out[cid] = (str(meta.get("path", "")), str(meta.get("digest", "")))
        return out

    def all_chunks(self) -> Iterator[StoredChunk]:
        for got in self._pages(["documents", "metadatas"]):
            for cid, text, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
            ):
                yield StoredChunk(cid, text or "", dict(meta or {}))

    def export(self) -> tuple[list[StoredChunk], np.ndarray]:
        """Every chunk with its text and metadata, and their vectors as one float32 matrix (same order)."""
        chunks: list[StoredChunk] = []
        blocks: list[np.ndarray] = []
        for got in self._pages(["documents", "metadatas", "embeddings"]):
            for cid, text, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
            ):
                chunks.append(StoredChunk(cid, text or "", dict(meta or {})))
            embeddings = got["embeddings"]
            if embeddings is not None and len(embeddings):
                blocks.append(np.asarray(embeddings, dtype=np.float32))
        matrix = np.vstack(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)
        return chunks, matrix

    def sync(
        self,
        chunks: Sequence[Chunk],
        progress: Callable[[int, int], None] | None = None,
        *,
        known: Mapping[str, tuple[str, str]] | None = None,
        kept: Iterable[str] = (),
        chunking: str = "",
    ) -> SyncCounts:
        """Make the store hold exactly `chunks` and `kept`: embed and add the new chunks, delete the others.

        `known`: what `stored_sources()` gave just before, under the same writer lock (saves a scan).
        `kept`: ids of stored chunks that stay as they are (files unchanged since a sync that cut them
        with the same `chunking`, recorded with the content fingerprint).
        """
        self._known_count = None
        wanted = {c.id: c for c in chunks}
        sources = self.stored_sources() if known is None else known
        stored_digests = {cid: digest for cid, (_, digest) in sources.items()}
        stored = set(stored_digests)
        keep = {cid: stored_digests[cid] for cid in kept if cid in stored_digests and cid not in wanted}
        new = [c for cid, c in wanted.items() if cid not in stored]
        gone = sorted(stored - wanted.keys() - keep.keys())
        # Unchanged chunks of an edited file keep their vectors but take the file's new digest, so that
        # the next sync does not count that file as updated again.
        stale = [
            c for cid, c in wanted.items() if cid in stored and stored_digests[cid] != c.meta.get("digest")
        ]
        self._empty = False
        content = fingerprint(
            [chunk_key(c.id, str(c.meta.get("digest", ""))) for c in wanted.values()]
            + [chunk_key(cid, digest) for cid, digest in keep.items()]
        )
        recorded = self._collection.metadata or {}
        if stale or gone or new or recorded.get(CONTENT_KEY) != content:
            self._mark_content("")  # a sync killed from here on leaves no fingerprint to trust
        for start in range(0, len(stale), _BATCH):
            batch = stale[start : start + _BATCH]
            with self._failures("updating chunk metadata"):
                self._collection.update(ids=[c.id for c in batch], metadatas=[_flat_meta(c) for c in batch])
        # Delete first: a crash after this point leaves fewer chunks, never two versions of one.
        for start in range(0, len(gone), _BATCH):
            with self._failures("deleting chunks"):
                self._collection.delete(ids=gone[start : start + _BATCH])
        for start in range(0, len(new), _BATCH):
            batch = new[start : start + _BATCH]
            vectors = self.embedder.embed_documents([c.embed_text for c in batch])
            with self._failures("adding chunks"):
                self._collection.upsert(
                    ids=[c.id for c in batch],
                    embeddings=vectors,  # type: ignore[arg-type]
                    documents=[c.text for c in batch],
                    metadatas=[_flat_meta(c) for c in batch],
                )
            if progress:
                progress(min(start + _BATCH, len(new)), len(new))
        recorded = self._collection.metadata or {}
        if recorded.get(CONTENT_KEY) != content or recorded.get(CHUNKING_KEY, "") != chunking:
            self._mark_content(content, chunking)
        self._known_count = None
        return SyncCounts(added=len(new), removed=len(gone), unchanged=len(wanted) + len(keep) - len(new))

    def query(
        self, vector: Sequence[float], k: int, where: Mapping[str, Any] | None = None
    ) -> list[StoredChunk]:
        """The `k` nearest chunks, most similar first."""
        if self._known_count is None:
            self._known_count = self.count()
        n = min(k, self._known_count)
        if n <= 0:
            return []
        with self._failures("searching"):
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
                f"The Chroma server at {settings.chroma_url} is unreachable ({_detail(exc)}). {_START_SERVER}"
            ) from None
    path = settings.index_dir / "chroma"
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:  # noqa: BLE001 - a damaged database raises chromadb's InternalError, sqlite's, OSError
        raise _failure(settings, exc, "opening the index") from None


def _failure(settings: Settings, exc: BaseException, doing: str) -> IndexError_:
    """The error to show when the store failed: what failed, where, and what to run."""
    if settings.chroma_url:
        import httpx

        if isinstance(exc, (httpx.TransportError, ConnectionError)):
            return IndexError_(
                f"The Chroma server at {settings.chroma_url} is unreachable ({_detail(exc)}). {_START_SERVER}"
            )
        return IndexError_(
            f"The Chroma server at {settings.chroma_url} failed while {doing} ({_detail(exc)}). "
            f"If its data is damaged, rebuild the index with: {REBUILD}"
        )
    location = settings.index_dir / "chroma"
    return IndexError_(
        f"The index at {location} is damaged or unreadable ({_detail(exc)}). Rebuild it with: {REBUILD}"
    )


def _detail(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 160 else message[:159] + "…"


def _delete_store(folder: Path) -> None:
    """Delete an embedded Chroma folder, whatever state it is in, if it holds nothing but Chroma's files."""
    if not folder.exists() and not folder.is_symlink():
        return
    if folder.is_symlink() or not folder.is_dir():
        folder.unlink()  # a file where the folder should be: damage too
        return
    strangers = sorted(entry.name for entry in folder.iterdir() if not _CHROMA_ENTRY.fullmatch(entry.name))
    if strangers:
        raise IndexError_(
            f"Cannot rebuild the index at {folder}: it holds files that are not Chroma's "
            f"({', '.join(strangers[:3])}). Move them out of the folder, or set DERCI_INDEX_DIR to another one."
        )
    shutil.rmtree(folder)


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
