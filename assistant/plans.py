"""The answer plan's data: `Statement`, `Part` and `Plan`, and the `Context` that planning one question
shares.

A plan holds, for each part of the question, the statements that answer it, each backed by the passage
sentence it comes from; `assistant.composer` renders it. `Context` is what every planning step needs:
the knowledge base, the language, the shared embedding, the sentences already stated, and the pool of
passages retrieved so far.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.entities import Entity
from assistant.index import StoredChunk
from assistant.knowledge import KnowledgeBase
from assistant.parts import SubQuestion
from assistant.question import Analysis
from assistant.retrieval import Hit
from assistant.selection import Candidate

__all__ = ["Context", "Part", "Plan", "Statement"]


_POOL_K = 10
_WORDS = re.compile(r"[\w@²'’-]+")


@dataclass(frozen=True)
class Statement:
    """A sentence of the answer: a passage's own sentence, a directory fact, or a framing sentence.

    `source` is the passage sentence that backs it (cited); None for a framing sentence (a gap, a list's
    lead, whom to contact), which asserts nothing the cited sentences do not show.
    """

    text: str
    source: Candidate | None
    role: str = (
        "answer"  # answer | item | conflict | gap | context | route | lead | contact | then (after a list)
    )

    def __repr__(self) -> str:
        return f"Statement({self.role}: {self.text[:60]!r})"


@dataclass(frozen=True)
class Part:
    """What answers one part of the question."""

    sub: SubQuestion
    status: str  # answered | conflict | gap
    statements: tuple[Statement, ...]
    found: tuple[Entity, ...] = ()  # what this part established that later parts refer to
    verdict: str = ""  # "yes" | "no": how the answer to a closed question opens (`assistant.yes_no`)

    @property
    def answered(self) -> bool:
        return self.status in ("answered", "conflict")


@dataclass(frozen=True)
class Plan:
    analysis: Analysis
    parts: tuple[Part, ...]
    hits: tuple[Hit, ...]
    evidence: float
    # The answer is a refusal: "off_topic" (nothing of the domain in the question), "personal" (the asker's
    # own leave, pay, password or computer), "out_of_scope"
    # (about the domain, not answered by the documents) or "no_such_office".
    refusal: str | None = None
    place: str = ""  # for "no_such_office": the place the question named
    contact: str | None = None  # who to ask when a part is a gap

    @property
    def status(self) -> str:
        if self.refusal:
            return "refused"
        answered = [p.answered for p in self.parts]
        if all(answered):
            return "answered"
        return "partial" if any(answered) else "gap"


@dataclass
class Context:
    """What planning one question needs: the knowledge base, the language, the shared embedding."""

    kb: KnowledgeBase
    analysis: Analysis
    lang: str
    embedding: Sequence[float] | None
    idf: Callable[[str], float]
    used: set[str] = field(default_factory=set)  # sentences already stated by an earlier part
    pool: dict[str, Hit] = field(default_factory=dict)
    searched: dict[tuple[object, ...], tuple[int, list[Hit]]] = field(default_factory=dict)
    dense: dict[tuple[object, ...], list[StoredChunk]] = field(default_factory=dict)  # of `embedding`

    def search(self, query: str, k: int = _POOL_K, **filters: str) -> list[Hit]:
        mode = "hybrid" if self.embedding is not None and not filters else "lexical"
        hits = self.lookup(query, k, lang=self.lang, filters=filters or None, mode=mode)
        for hit in hits:
            self.pool.setdefault(hit.id, hit)
        return hits

    def lookup(
        self,
        query: str,
        k: int,
        *,
        lang: str | None = None,
        filters: Mapping[str, str] | None = None,
        mode: str = "lexical",
    ) -> list[Hit]:
        """`HybridSearch.search` for this question, each distinct search run once: parts repeat them, and
        the whole question ("For the CNRS, how many...?") and its one part ("For the CNRS how many...") differ
        only by punctuation, which no list of the search reads (the dense one reads the shared embedding).
        A search for fewer hits is the first hits of the same search for more (fusion ranks the same lists
        as long as both ask no more than the search's own candidate lists hold)."""
        key = (" ".join(_WORDS.findall(query)), lang, tuple(sorted((filters or {}).items())), mode)
        done = self.searched.get(key)
        lists = self.kb.search.candidates  # how many hits each list (dense, BM25) brings to the fusion
        if done is not None and k <= done[0] and max(k, lists) == max(done[0], lists):
            return done[1][:k]
        hits = self.kb.search.search(
            query, k, lang=lang, filters=filters, mode=mode, embedding=self.embedding, dense_memo=self.dense
        )
        if done is None or k > done[0]:
            self.searched[key] = (k, hits)
        return hits
