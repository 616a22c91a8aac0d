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


# -- the query fast path -----------------------------------------------------------------------------

QUERIES = [
    "Quel bureau du CNRS couvre l'Argentine ?",
    "Which tool fits a five-year joint laboratory abroad?",
    "   IRP   ",  # surrounding spaces are stripped by encode() as well
    "coopération " * 300,  # past the 256-token window: truncated the same way
]


def test_query_fast_path_is_built_for_the_bundled_model(real_embedder: SentenceTransformerEmbeddings) -> None:
    real_embedder.embed_query("warm-up")
    assert callable(real_embedder._lean), "the bundled MiniLM stack should use the lean query path"


@pytest.mark.parametrize("text", QUERIES)
def test_query_fast_path_gives_encode_vector(real_embedder: SentenceTransformerEmbeddings, text: str) -> None:
    fast = real_embedder._query_vector.__wrapped__(real_embedder, text)  # the uncached computation
    (reference,) = real_embedder._encode([text])
    assert len(fast) == len(reference) == 384
    assert max(abs(a - b) for a, b in zip(fast, reference, strict=True)) < 1e-5


def test_query_fast_path_refuses_other_module_stacks() -> None:
    from assistant.embeddings import _lean_encoder

    class Transformer:  # a stack with an extra Dense layer: encode() must stay in charge
        pass

    class Pooling:
        pooling_mode = "mean"

    class Dense:
        pass

    assert _lean_encoder([Transformer(), Pooling(), Dense()]) is None  # type: ignore[arg-type]
    assert _lean_encoder([Transformer()]) is None  # type: ignore[arg-type]


def test_query_fast_path_is_safe_across_threads(real_embedder: SentenceTransformerEmbeddings) -> None:
    """Web requests embed questions concurrently while a sync counts tokens: same vectors, no error."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"{q} ({i})" for i in range(6) for q in QUERIES[:3]]
    expected = {t: real_embedder._query_vector.__wrapped__(real_embedder, t) for t in texts}

    def work(text: str) -> tuple[str, tuple[float, ...], int]:
        tokens = real_embedder.count_tokens(text * 3)  # untruncated tokenizer calls in between
        return text, real_embedder._query_vector.__wrapped__(real_embedder, text), tokens

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(work, texts * 3))
    assert all(vector == expected[text] for text, vector, _ in results)
    assert all(tokens > 2 for _, _, tokens in results)
