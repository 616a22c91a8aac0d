"""Focus of a reply: the share of its sentences that are about the question asked.

A sentence is *focused* when its cosine similarity to the reference answer or to the question is at
least `FOCUS_THRESHOLD`, with the bundled all-MiniLM-L6-v2 for every system scored (the threshold is
fixed once; docs/calibration.md shows how it separates on-topic from off-topic sentences). Padding,
another tool's figures or a dump of passages lower the share. A proxy, not a judge of correctness:
a focused sentence can still be wrong.

Sentences are `verdicts.sentences` (citation markers, Markdown and sources panel left out).
Embeddings are cached for the scorer's life, so that a text seen twice (the same question asked of
four systems, a repeated passage) is embedded once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from assistant.verdicts import sentences

FOCUS_THRESHOLD = 0.5


@dataclass(frozen=True)
class FocusScore:
    """Each sentence of a reply with its best similarity (to the reference or the question)."""

    sentences: tuple[tuple[str, float], ...]
    threshold: float = FOCUS_THRESHOLD

    @property
    def focused(self) -> int:
        return sum(1 for _, similarity in self.sentences if similarity >= self.threshold)

    @property
    def share(self) -> float:
        """Focused sentences / sentences; 0 for a reply without any sentence (a list of URLs, nothing):
        nothing in it is about the question."""
        return self.focused / len(self.sentences) if self.sentences else 0.0

    def __repr__(self) -> str:
        return f"FocusScore({self.focused}/{len(self.sentences)})"


class FocusScorer:
    """Scores replies with one embedding model; every text is embedded at most once."""

    def __init__(self, embedder: Embeddings, threshold: float = FOCUS_THRESHOLD) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self._vectors: dict[str, tuple[float, ...]] = {}

    def score(self, reply: str, question: str, reference: str = "") -> FocusScore:
        """The focus of one reply; an empty reference leaves the question as the only anchor."""
        return self.score_many([(reply, question, reference)])[0]

    def score_many(self, items: Sequence[tuple[str, str, str]]) -> list[FocusScore]:
        """(reply, question, reference) -> focus, embedding every new text in one batch."""
        split = [sentences(reply) for reply, _, _ in items]
        anchors = [[t for t in (question, reference) if t.strip()] for _, question, reference in items]
        self._embed([*(s for parts in split for s in parts), *(a for both in anchors for a in both)])
        out = []
        for parts, both in zip(split, anchors, strict=True):
            scored = tuple((s, max((self._cosine(s, a) for a in both), default=0.0)) for s in parts)
            out.append(FocusScore(scored, self.threshold))
        return out

    def _embed(self, texts: Sequence[str]) -> None:
        new = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if not new:
            return
        for text, vector in zip(new, self.embedder.embed_documents(new), strict=True):
            norm = math.sqrt(sum(v * v for v in vector)) or 1.0
            self._vectors[text] = tuple(v / norm for v in vector)

    def _cosine(self, a: str, b: str) -> float:
        return sum(x * y for x, y in zip(self._vectors[a], self._vectors[b], strict=True))


def bundled_embedder(existing: Embeddings | None = None) -> Embeddings:
    """The bundled all-MiniLM-L6-v2: `existing` when it is that model already loaded, else a new one."""
    from assistant.config import BUNDLED_MODEL
    from assistant.embeddings import SentenceTransformerEmbeddings

    if isinstance(existing, SentenceTransformerEmbeddings) and existing.model_name == BUNDLED_MODEL:
        return existing
    return SentenceTransformerEmbeddings(BUNDLED_MODEL)
