"""Deterministic stand-ins for the heavy seams: an embedder and helpers. No network, no model files."""

from __future__ import annotations

import hashlib
import math

from langchain_core.embeddings import Embeddings

from assistant.analysis import terms


class HashEmbedder(Embeddings):
    """Hashed bag of stems: texts sharing words get nearby vectors. Counts its calls."""

    def __init__(self, dim: int = 256, model_name: str = "fake-hash-256") -> None:
        self.dim = dim
        self.model_name = model_name
        self.embedded = 0  # texts embedded through embed_documents

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for term in terms(text) or ["<empty>"]:
            digest = hashlib.sha256(term.encode()).digest()
            slot = int.from_bytes(digest[:4], "little") % self.dim
            vec[slot] += 1.0 if digest[4] % 2 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)
