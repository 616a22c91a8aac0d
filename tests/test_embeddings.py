"""Tests of assistant.embeddings with the real bundled all-MiniLM-L6-v2 (slow: loads the model)."""

from __future__ import annotations

import math

import pytest

from assistant.embeddings import SentenceTransformerEmbeddings
from assistant.ingest import collect_chunks
from assistant.knowledge import token_counter
from tests.conftest import PROJECT

REPO_CORPUS = PROJECT / "corpus"

pytestmark = pytest.mark.slow


def test_embeddings_window_is_256_tokens(real_embedder: SentenceTransformerEmbeddings) -> None:
    assert real_embedder.max_tokens == 256


def test_embeddings_count_tokens_includes_special_tokens(
    real_embedder: SentenceTransformerEmbeddings,
) -> None:
    assert real_embedder.count_tokens("") == 2  # [CLS] and [SEP]
    assert real_embedder.count_tokens("hello world") == 4
    long = real_embedder.count_tokens("coopération internationale " * 50)
    assert long > 100


def test_embeddings_vectors_are_normalised(real_embedder: SentenceTransformerEmbeddings) -> None:
    vectors = real_embedder.embed_documents(["Le bureau de Tokyo.", "The Tokyo office."])
    assert [len(v) for v in vectors] == [384, 384]
    assert all(math.isclose(math.fsum(x * x for x in v), 1.0, rel_tol=1e-4) for v in vectors)
    assert real_embedder.embed_documents([]) == []


def test_embeddings_knowledge_uses_the_model_tokenizer(real_embedder: SentenceTransformerEmbeddings) -> None:
    count, window = token_counter(real_embedder)
    assert window == 256
    assert count("hello world") == 4


@pytest.mark.skipif(not REPO_CORPUS.is_dir(), reason="no corpus/ folder in this checkout")
def test_embeddings_every_repo_chunk_fits_the_window(real_embedder: SentenceTransformerEmbeddings) -> None:
    chunks, _, _ = collect_chunks(REPO_CORPUS, real_embedder.count_tokens, real_embedder.max_tokens)
    assert chunks
    too_long = {
        f"{c.doc_path}#{c.section}": n
        for c in chunks
        if (n := real_embedder.count_tokens(c.embed_text)) > real_embedder.max_tokens
    }
    assert not too_long, f"chunks past the 256-token window (silently truncated): {too_long}"
