"""Hybrid retrieval: dense (Chroma) and BM25 candidates fused by weighted reciprocal rank, with glossary
expansion and filters; also a LangChain `BaseRetriever` over it.

Fusion: each list contributes w / (rrf_k + rank); a chunk in the question's language gets a small bonus
so that answers come from the question's language when the corpus has it, without hiding documents
that exist in one language only. The weights were chosen on the development questions
(docs/benchmarks.md has the recall of each method).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.directory import Glossary, OfficeDirectory
from assistant.index import StoredChunk, VectorIndex
from assistant.lexical import LexicalIndex

FILTER_KEYS = ("lang", "topic", "office", "doc_id")


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk: fused score (higher is better), its dense similarity and BM25 score."""

    chunk: StoredChunk
    score: float
    similarity: float | None = None
    bm25: float | None = None

    @property
    def id(self) -> str:
        return self.chunk.id

    @property
    def meta(self) -> Mapping[str, Any]:
        return self.chunk.meta

    def __repr__(self) -> str:
        return f"Hit({self.meta.get('path')}#{self.meta.get('section')}, score={self.score:.4f})"


@dataclass(frozen=True)
class FusionWeights:
    dense: float = 1.0
    lexical: float = 1.0
    expanded: float = 0.5
    same_language: float = 0.006
    rrf_k: int = 60


def fuse(
    dense: Sequence[StoredChunk],
    lexical: Sequence[tuple[StoredChunk, float]],
    lang: str | None,
    weights: FusionWeights = FusionWeights(),
    expanded: Sequence[tuple[StoredChunk, float]] = (),
    k: int | None = None,
) -> list[Hit]:
    """Weighted reciprocal-rank fusion of the ranked lists, best first (the `k` best when given)."""
    scores: dict[str, float] = {}
    chunks: dict[str, StoredChunk] = {}
    sims: dict[str, float] = {}
    bm25: dict[str, float] = {}
    for rank, c in enumerate(dense):
        scores[c.id] = scores.get(c.id, 0.0) + weights.dense / (weights.rrf_k + rank + 1)
        chunks[c.id] = c
        sims[c.id] = c.similarity
    for rank, (c, s) in enumerate(lexical):
        scores[c.id] = scores.get(c.id, 0.0) + weights.lexical / (weights.rrf_k + rank + 1)
        chunks.setdefault(c.id, c)
        bm25[c.id] = s
    for rank, (c, s) in enumerate(expanded):
        scores[c.id] = scores.get(c.id, 0.0) + weights.expanded / (weights.rrf_k + rank + 1)
        chunks.setdefault(c.id, c)
        bm25.setdefault(c.id, s)
    if lang in ("fr", "en"):
        for cid, c in chunks.items():
            if c.meta.get("lang") == lang:
                scores[cid] += weights.same_language
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:k]
    return [Hit(chunks[cid], scores[cid], sims.get(cid), bm25.get(cid)) for cid in ranked]


class HybridSearch:
    """Dense + BM25 search over one vector index and its lexical twin."""

    def __init__(
        self,
        vectors: VectorIndex,
        lexical: LexicalIndex,
        embedder: Embeddings,
        glossary: Glossary | None = None,
        candidates: int = 40,
        weights: FusionWeights = FusionWeights(),
        offices: OfficeDirectory | None = None,
    ) -> None:
        self.vectors = vectors
        self.lexical = lexical
        self.embedder = embedder
        self.glossary = glossary or Glossary(())
        self.offices = offices
        self.candidates = candidates
        self.weights = weights

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        lang: str | None = None,
        filters: Mapping[str, str] | None = None,
        mode: str = "hybrid",
        embedding: Sequence[float] | None = None,
        dense_memo: dict[tuple[object, ...], list[StoredChunk]] | None = None,
    ) -> list[Hit]:
        """The `k` best chunks for `query`; filters on lang/topic/office/doc_id.

        `mode`: hybrid (dense + BM25 + expansions, fused), dense, lexical (BM25 + expansions), or bm25
        (plain BM25 over the chunks, the baseline). `embedding`: the query's vector when the caller has
        it already (the parts of one question share the embedding of the whole question); `dense_memo`: where
        the dense lists of that embedding are kept between the searches of one question (the caller keeps
        it for one embedding only).

        The query is embedded on the calling thread. Embedding it on a worker thread while the lexical
        work runs was measured slower (warm p50 +0.3 to +1 ms): the model's Python layers and the BM25
        code contend for the GIL, and the hand-off itself costs more than the overlap saves.
        """
        where = {k_: v for k_, v in (filters or {}).items() if v}
        unknown = set(where) - set(FILTER_KEYS)
        if unknown:
            raise ValueError(f"Unknown filter(s) {sorted(unknown)}; use {', '.join(FILTER_KEYS)}.")
        n = max(k, self.candidates)
        dense: list[StoredChunk] = []
        if mode in ("hybrid", "dense"):
            if embedding is None:
                embedding = self.embedder.embed_query(query)
            key = (n, tuple(sorted(where.items())))
            if dense_memo is not None and key in dense_memo:
                dense = dense_memo[key]
            elif self.lexical.vectors is not None:  # the in-memory mirror: exact and without a round trip
                dense = self.lexical.dense(embedding, n, where)
            else:
                dense = self.vectors.query(embedding, n, _chroma_where(where))
            if dense_memo is not None:
                dense_memo[key] = dense
        lexical: list[tuple[StoredChunk, float]] = []
        expanded: list[tuple[StoredChunk, float]] = []
        if mode == "bm25":
            lexical = self.lexical.search(query, n, where)
        elif mode in ("hybrid", "lexical"):
            # The other language's terms, as a weaker third list so that they cannot drown the query.
            extra = [*self.glossary.expansions(query), *self._place_expansions(query)]
            lexical, expanded = self.lexical.search_expanded(query, extra, n, where)
        return fuse(dense, lexical, lang, self.weights, expanded, k)

    def _place_expansions(self, query: str) -> list[str]:
        """A country named in any form ("argentin", "Korea") brings its names and its office's city."""
        if self.offices is None:
            return []
        out: list[str] = []
        for place in self.offices.find(query):
            if place.country is not None:
                out.extend(place.country.names.values())
            out.extend(place.office.city.values())
        return list(dict.fromkeys(out))


def _chroma_where(where: Mapping[str, str]) -> dict[str, Any] | None:
    if not where:
        return None
    clauses = [{key: value} for key, value in where.items()]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class DerciRetriever(BaseRetriever):
    """LangChain retriever over `HybridSearch`: documents carry their metadata and scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    search: HybridSearch
    k: int = 5
    filters: dict[str, str] = Field(default_factory=dict)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [hit_to_document(h) for h in self.search.search(query, self.k, filters=self.filters)]


def hit_to_document(hit: Hit) -> Document:
    meta = dict(hit.meta)
    meta.update(id=hit.id, score=hit.score, similarity=hit.similarity, bm25=hit.bm25)
    return Document(page_content=hit.chunk.text, metadata=meta, id=hit.id)
