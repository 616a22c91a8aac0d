"""A deterministic synthetic corpus for the scale runs, and a cheap deterministic embedder.

The corpus is seeded random sentences over a Zipf-distributed vocabulary of made-up words, written as
Markdown files with front matter and `##` sections; each section is sized to be exactly one chunk
(under the word-count tokenizer the index uses with an embedder that has none), so `n` chunks means
`n // 10` files of 10 sections. Does not resemble the real corpus semantically: it exercises the
reader, the chunker, the store, BM25 and fusion at volume.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

SECTIONS_PER_FILE = 10
FILES_PER_FOLDER = 1000
DIMENSION = 384  # all-MiniLM-L6-v2's
_SYLLABLES = ("ba", "ce", "di", "fo", "gu", "ka", "le", "mi", "no", "pu", "ra", "se", "ti", "vo", "zu",
              "an", "el", "ir", "on", "ur", "tra", "ple", "cri", "dro", "sta")  # fmt: skip


class RandomEmbedder(Embeddings):
    """Seeded random unit vectors of dimension 384: the same text always gets the same vector.

    Costs microseconds per text, so the scale runs measure the store, BM25 and fusion, not the model.
    """

    model_name = "bench-random-384"

    def __init__(self, dim: int = DIMENSION) -> None:
        self.dim = dim

    def _vector(self, text: str) -> list[float]:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        vec = np.random.default_rng(seed).standard_normal(self.dim, dtype=np.float32)
        return (vec / np.linalg.norm(vec)).tolist()  # type: ignore[no-any-return]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


class Vocabulary:
    """Made-up words drawn with Zipf frequencies (a few very common words, a long tail of rare ones)."""

    def __init__(self, size: int = 20_000, seed: int = 7) -> None:
        rng = random.Random(seed)
        words: dict[str, None] = {}
        while len(words) < size:
            words["".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4)))] = None
        self.words = list(words)
        self._cumulative = list(itertools.accumulate(1.0 / rank for rank in range(1, size + 1)))

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self._cumulative, k=k)

    def sentence(self, rng: random.Random) -> str:
        words = self.sample(rng, rng.randint(6, 16))
        return " ".join(words).capitalize() + "."


def document(vocab: Vocabulary, rng: random.Random, number: int) -> str:
    """One Markdown file: front matter, then `SECTIONS_PER_FILE` sections of 45-100 words each."""
    title = " ".join(vocab.sample(rng, 4)).capitalize()
    lines = [
        "---",
        f"title: Synthetic {number} {title}",
        f"lang: {'en' if number % 2 else 'fr'}",
        f"topic: topic-{number % 17}",
        "---",
        "",
    ]
    for section in range(SECTIONS_PER_FILE):
        lines += [f"## {section + 1}. {' '.join(vocab.sample(rng, 3)).capitalize()}", ""]
        body: list[str] = []
        while sum(len(s.split()) for s in body) < 45:
            body.append(vocab.sentence(rng))
        # 45-100 words: with the title and heading, under 256 word-count tokens, so one chunk per section
        lines += [" ".join(body)[:700].rsplit(" ", 1)[0] + ".", ""]
    return "\n".join(lines)


def generate(folder: Path, chunks: int, seed: int = 2024) -> int:
    """Write a corpus of `chunks` chunks (rounded up to whole files) into `folder`; returns the file count."""
    vocab = Vocabulary()
    rng = random.Random(seed)
    files = -(-chunks // SECTIONS_PER_FILE)
    for number in range(files):
        sub = folder / f"part-{number // FILES_PER_FOLDER:03d}"
        if number % FILES_PER_FOLDER == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"doc-{number:06d}.md").write_text(document(vocab, rng, number), encoding="utf-8")
    return files


def queries(count: int, seed: int = 99) -> list[str]:
    """Questions of 5-9 words over the same vocabulary (so BM25 finds candidates, as with real questions)."""
    vocab = Vocabulary()
    rng = random.Random(seed)
    return [" ".join(vocab.sample(rng, rng.randint(5, 9))) + "?" for _ in range(count)]
