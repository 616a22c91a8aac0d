"""BM25 over the indexed chunks (bm25s), persisted beside the vector index and reloaded, never rebuilt per query.

The lexical store also keeps the chunk table (text and metadata by id) so that a BM25 hit and a dense
hit resolve to the same record. It carries the fingerprint of the chunks it was built from (ids and
file digests: a file edited without changing a chunk's text changes the chunk's metadata); when that
differs from the vector store's (a sync was interrupted, or another machine synced a shared Chroma
server), the caller rebuilds it from the vector store at open time. A saved copy that cannot be read
back whole and well-formed (truncated, overwritten, vectors of another width) counts as absent, and
is rebuilt the same way: the vector store is the source of truth.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.analysis import ANALYZER_VERSION, terms
from assistant.errors import IndexError_
from assistant.index import REBUILD, StoredChunk, chunk_key, fingerprint

log = logging.getLogger(__name__)

STATE_FILE = "state.json"
_CHUNKS = "chunks.jsonl"
_VECTORS = "vectors.npy"
_NO_ROWS = np.zeros(0, dtype=np.intp)


def stored_fingerprint(folder: Path) -> str | None:
    """The fingerprint a saved lexical index was built from, or None when there is none."""
    try:
        value = json.loads((folder / STATE_FILE).read_text()).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        return None
    return str(value) if value else None


class LexicalIndex:
    """BM25 (bm25s) over chunk texts prefixed with their titles and headings, plus the chunk table."""

    def __init__(
        self,
        chunks: Sequence[StoredChunk],
        retriever: Any = None,
        vectors: np.ndarray | None = None,
        model: str = "",
    ) -> None:
        self.chunks = list(chunks)
        self.model = model  # the embedding model of `vectors`: ids alone do not change with the model
        # The chunks' normalised embeddings, same order: exact dense search without a store round trip.
        self.vectors = vectors if vectors is not None and len(vectors) == len(self.chunks) else None
        self.ids = [c.id for c in self.chunks]
        self.by_id = {c.id: c for c in self.chunks}
        self.fingerprint = fingerprint(chunk_key(c.id, str(c.meta.get("digest", ""))) for c in self.chunks)
        self._retriever = retriever if retriever is not None else _build(self.chunks)
        self._vocab: Mapping[str, int] = getattr(self._retriever, "vocab_dict", {}) or {}
        self._columns: dict[str, dict[str, np.ndarray]] = {}
        self._df = _document_frequencies(self._retriever, self._vocab)
        # bm25s's precomputed score matrix, one column per term: queries are scored straight from it.
        matrix = getattr(self._retriever, "scores", None) or {}
        self._matrix = tuple(
            np.asarray(matrix.get(key, np.zeros(1 if key == "indptr" else 0)))
            for key in ("data", "indices", "indptr")
        )
        self._nonoccurrence = getattr(self._retriever, "nonoccurrence_array", None)

    def idf(self, term: str) -> float:
        """Inverse document frequency of an index term; unseen terms get the highest value."""
        n = len(self.chunks) or 1
        df = self._df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def knows(self, word: str) -> bool:
        """Whether any indexed passage uses `word` ("ANR" is in none: a scheme the documents never name)."""
        return all(self._df.get(term, 0) > 0 for term in terms(word)) if self._df else True

    def search(
        self, query: str, k: int, where: Mapping[str, Any] | None = None
    ) -> list[tuple[StoredChunk, float]]:
        """The `k` best chunks by BM25 score (higher is better), zero-score chunks left out."""
        return self.search_expanded(query, (), k, where)[0]

    def search_expanded(
        self, query: str, extra: Sequence[str], k: int, where: Mapping[str, Any] | None = None
    ) -> tuple[list[tuple[StoredChunk, float]], list[tuple[StoredChunk, float]]]:
        """BM25 lists for `query` and for `query` with the `extra` terms ([] when there are none).

        A BM25 score is a sum over the query's distinct terms, so the expanded scores are the plain
        ones plus those of the terms only `extra` brings: one scoring pass gives both lists.
        """
        if not self.chunks:
            return [], []
        base = [t for t in dict.fromkeys(terms(query)) if t in self._vocab]
        added = [t for t in dict.fromkeys(terms(" ".join(extra))) if t in self._vocab and t not in base]
        if not base and not added:
            return [], []
        mask = self._mask(where) if where else None
        if mask is not None and not mask.any():
            return [], []
        n = min(k, len(self.chunks))
        plain = self._scores(base)
        listed = self._top(plain, n, mask) if base else []
        if not extra:
            return listed, []
        return listed, (self._top(plain + self._scores(added), n, mask) if added else listed)

    def _scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every chunk for these (distinct, indexed) terms, read off the score matrix."""
        data, indices, indptr = self._matrix
        ids = [self._vocab[t] for t in tokens]
        rows = np.concatenate([indices[indptr[i] : indptr[i + 1]] for i in ids]) if ids else indices[:0]
        weights = np.concatenate([data[indptr[i] : indptr[i + 1]] for i in ids]) if ids else data[:0]
        scores: np.ndarray = np.bincount(rows, weights=weights, minlength=len(self.chunks))
        if self._nonoccurrence is not None and ids:  # BM25L/BM25+ variants score absent terms too
            scores += float(self._nonoccurrence[ids].sum())
        return scores

    def _top(self, scores: np.ndarray, n: int, mask: np.ndarray | None) -> list[tuple[StoredChunk, float]]:
        """The `n` best-scoring chunks, best first, ties in index order; zero scores left out."""
        if mask is not None:
            scores = scores * mask
        found = np.flatnonzero(scores > 0)  # usually a few dozen: partitioning all chunks is slower
        if len(found) > n:
            found = found[np.argpartition(-scores[found], n - 1)[:n]]
        order = found[np.lexsort((found, -scores[found]))]
        return [(self.chunks[i], s) for i, s in zip(order.tolist(), scores[order].tolist(), strict=True)]

    def dense(
        self, vector: Sequence[float], k: int, where: Mapping[str, Any] | None = None
    ) -> list[StoredChunk]:
        """The `k` chunks most similar (cosine) to `vector`, best first; exact, in memory."""
        if self.vectors is None or not self.chunks:
            return []
        if len(vector) != self.vectors.shape[1]:  # a rebuild with another model went half way
            raise IndexError_(
                f"The index holds vectors of width {self.vectors.shape[1]}, the embedding model gives "
                f"{len(vector)}. Rebuild it with: {REBUILD}"
            )
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        if where:
            sims = np.where(self._mask(where) > 0, sims, -np.inf)
        n = min(k, len(self.chunks))
        top = np.argpartition(-sims, n - 1)[:n]
        top = top[np.argsort(-sims[top])]
        return [
            StoredChunk(c.id, c.text, c.meta, s)
            for c, s in zip(map(self.chunks.__getitem__, top.tolist()), sims[top].tolist(), strict=True)
            if math.isfinite(s)
        ]

    def _mask(self, where: Mapping[str, Any]) -> np.ndarray:
        mask = np.ones(len(self.chunks), dtype=np.float32)
        for key, value in where.items():
            rows = self._rows_by_value(key)
            allowed = set(value["$in"]) if isinstance(value, dict) and "$in" in value else {value}
            keep = np.zeros(len(self.chunks), dtype=np.float32)
            for v in allowed:
                keep[rows.get(str(v), _NO_ROWS)] = 1.0
            mask *= keep
        return mask

    def _rows_by_value(self, key: str) -> Mapping[str, np.ndarray]:
        """For one metadata key, the rows holding each of its values: built once per key, one row
        number per chunk in all (a mask per value would grow with values x chunks: doc_id at 100k)."""
        if key not in self._columns:
            groups: dict[str, list[int]] = {}
            for i, c in enumerate(self.chunks):
                groups.setdefault(str(c.meta.get(key, "")), []).append(i)
            self._columns[key] = {v: np.asarray(rows, dtype=np.intp) for v, rows in groups.items()}
        return self._columns[key]

    def save(self, folder: Path) -> None:
        """Write atomically: a crash mid-save leaves the previous version or none, never half of one."""
        tmp = folder.with_name(folder.name + ".tmp")
        _remove(tmp)
        tmp.mkdir(parents=True)
        if self.chunks:  # bm25s cannot save an index of nothing (every document refused): no files
            self._retriever.save(str(tmp / "bm25"), show_progress=False)
        if self.vectors is not None:
            np.save(tmp / _VECTORS, self.vectors)
        with (tmp / _CHUNKS).open("w", encoding="utf-8") as out:
            for c in self.chunks:
                out.write(json.dumps({"id": c.id, "text": c.text, "meta": dict(c.meta)}, ensure_ascii=False))
                out.write("\n")
        (tmp / STATE_FILE).write_text(
            json.dumps(
                {
                    "fingerprint": self.fingerprint,
                    "count": len(self.ids),
                    "analyzer": ANALYZER_VERSION,
                    "vectors": self.vectors is not None,
                    "width": None if self.vectors is None else int(self.vectors.shape[1]),
                    "model": self.model,
                }
            )
        )
        old = folder.with_name(folder.name + ".old")
        _remove(old)
        if folder.exists() or folder.is_symlink():
            folder.rename(old)
        tmp.rename(folder)
        _remove(old)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        """The saved index, or None when there is none or it is not whole and well-formed (the caller
        rebuilds it from the vector store)."""
        try:
            return cls._load(folder)
        except Exception as exc:  # noqa: BLE001 - json, numpy and bm25s raise many types on damaged files
            log.warning("the BM25 index at %s is unreadable (%s): rebuilding it", folder, exc)
            return None

    @classmethod
    def _load(cls, folder: Path) -> LexicalIndex | None:
        import bm25s

        _quiet(bm25s)
        if not (folder / STATE_FILE).is_file():
            return None
        state = json.loads((folder / STATE_FILE).read_text())
        if not isinstance(state, dict) or state.get("analyzer") != ANALYZER_VERSION:
            return None  # damaged, or built with other tokenising rules: the caller rebuilds
        chunks = []
        with (folder / _CHUNKS).open(encoding="utf-8") as lines:
            for line in lines:
                chunks.append(_row(json.loads(line)))
        vectors = None
        if state.get("vectors"):
            vectors = np.load(folder / _VECTORS, allow_pickle=False)
            width = state.get("width", vectors.shape[-1])  # older state files give no width
            if (
                vectors.ndim != 2
                or len(vectors) != len(chunks)
                or vectors.shape[1] != width
                or not np.issubdtype(vectors.dtype, np.floating)
            ):
                raise ValueError(
                    f"vectors of shape {vectors.shape} and type {vectors.dtype} for {len(chunks)} chunks"
                )
        if not chunks:
            empty = cls([], vectors=vectors, model=str(state.get("model", "")))
            return empty if empty.fingerprint == state.get("fingerprint") else None
        retriever = bm25s.BM25.load(str(folder / "bm25"))
        index = cls(chunks, retriever=retriever, vectors=vectors, model=str(state.get("model", "")))
        index._check_matrix()
        return index if index.fingerprint == state.get("fingerprint") else None

    def _check_matrix(self) -> None:
        """Raise ValueError when the BM25 score matrix does not fit the chunk table (damaged files)."""
        data, indices, indptr = self._matrix
        if len(data) != len(indices) or (len(indices) and int(indices.max()) >= len(self.chunks)):
            raise ValueError("the BM25 matrix points past the chunk table")
        if len(indptr) and (int(indptr[-1]) != len(indices) or np.any(np.diff(indptr) < 0)):
            raise ValueError("the BM25 matrix's column pointers are out of order")
        # bm25s gives the empty token the id just past the last column; no query term is empty
        if any(not 0 <= i < len(indptr) for i in self._vocab.values()):
            raise ValueError("the BM25 vocabulary points past the matrix")
        docs = (getattr(self._retriever, "scores", None) or {}).get("num_docs")
        if docs is not None and int(docs) != len(self.chunks):
            raise ValueError(f"the BM25 matrix counts {docs} chunks, the chunk table {len(self.chunks)}")


def _row(row: Any) -> StoredChunk:
    """One line of the chunk table, checked: valid JSON is not enough."""
    if not isinstance(row, dict):
        raise ValueError(f"a chunk table line holds {type(row).__name__}, not an object")
    cid, text, meta = row.get("id"), row.get("text"), row.get("meta")
    if not isinstance(cid, str) or not isinstance(text, str) or not isinstance(meta, dict):
        raise ValueError("a chunk table line lacks a text id, text or metadata object")
    return StoredChunk(cid, text, meta)


def _remove(path: Path) -> None:
    """Delete a folder or a file (damage may have put one where the other belongs)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _build(chunks: Sequence[StoredChunk]) -> Any:
    import bm25s

    _quiet(bm25s)
    retriever = bm25s.BM25()
    corpus = [terms(f"{c.meta.get('title', '')} {c.meta.get('section', '')} {c.text}") for c in chunks]
    if corpus:
        retriever.index(corpus, show_progress=False)
    return retriever


def _document_frequencies(retriever: Any, vocab: Mapping[str, int]) -> dict[str, int]:
    """Chunks containing each term, read off the BM25 matrix (one column per term)."""
    scores = getattr(retriever, "scores", None)
    if not scores or "indptr" not in scores:
        return {}
    indptr = np.asarray(scores["indptr"])
    counts = np.diff(indptr)
    return {term: int(counts[i]) for term, i in vocab.items() if i < len(counts)}


def _quiet(module: Any) -> None:
    """bm25s sets its logger to DEBUG when imported and logs every build: keep it to warnings."""
    logging.getLogger(module.__name__).setLevel(logging.WARNING)
