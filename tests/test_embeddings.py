"""Tests of assistant.embeddings: the real bundled all-MiniLM-L6-v2 (slow: loads the model) and the
plain-stack reader (fast: JSON files on tmp_path)."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.config import BUNDLED_MODEL
from assistant.embeddings import SentenceTransformerEmbeddings, model_path
from assistant.ingest import collect_chunks
from assistant.knowledge import token_counter
from assistant.model_folder import PlainStack, plain_stack
from tests.conftest import PROJECT

REPO_CORPUS = PROJECT / "corpus"


@pytest.mark.slow
def test_embeddings_window_is_256_tokens(real_embedder: SentenceTransformerEmbeddings) -> None:
    assert real_embedder.max_tokens == 256


@pytest.mark.slow
def test_embeddings_count_tokens_includes_special_tokens(
    real_embedder: SentenceTransformerEmbeddings,
) -> None:
    assert real_embedder.count_tokens("") == 2  # [CLS] and [SEP]
    assert real_embedder.count_tokens("hello world") == 4
    long = real_embedder.count_tokens("coopération internationale " * 50)
    assert long > 100


@pytest.mark.slow
def test_embeddings_vectors_are_normalised(real_embedder: SentenceTransformerEmbeddings) -> None:
    vectors = real_embedder.embed_documents(["Le bureau de Tokyo.", "The Tokyo office."])
    assert [len(v) for v in vectors] == [384, 384]
    assert all(math.isclose(math.fsum(x * x for x in v), 1.0, rel_tol=1e-4) for v in vectors)
    assert real_embedder.embed_documents([]) == []


@pytest.mark.slow
def test_embeddings_knowledge_uses_the_model_tokenizer(real_embedder: SentenceTransformerEmbeddings) -> None:
    count, window = token_counter(real_embedder)
    assert window == 256
    assert count("hello world") == 4


@pytest.mark.slow
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


@pytest.mark.slow
def test_embeddings_bundled_model_takes_the_direct_path(real_embedder: SentenceTransformerEmbeddings) -> None:
    real_embedder.embed_query("warm-up")
    assert real_embedder._direct_model() is not None, "the bundled MiniLM is a plain stack"


@pytest.mark.slow
@pytest.mark.parametrize("text", QUERIES)
def test_query_fast_path_gives_encode_vector(real_embedder: SentenceTransformerEmbeddings, text: str) -> None:
    fast = real_embedder._query_vector.__wrapped__(real_embedder, text)  # the uncached computation
    (reference,) = real_embedder.model.encode([text], normalize_embeddings=True, show_progress_bar=False)
    assert len(fast) == len(reference) == 384
    assert max(abs(a - b) for a, b in zip(fast, reference, strict=True)) < 1e-5


@pytest.mark.slow  # imports torch
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


@pytest.mark.slow
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


# -- the direct path against sentence-transformers, the reference -----------------------------------

LONG_TEXT = "coopération internationale scientifique " * 120  # far past the 256-token window: truncated
CONTRACT_TEXTS = [
    "Quel bureau du CNRS couvre le Japon ?",
    "Which office covers Japan and South Korea?",
    "Élève, été, façade, naïve, cœur, Ångström, Øresund",
    "L'International Research Project (IRP) dure cinq ans, renouvelable une fois.",
    "Les laboratoires internationaux associés (LIA) sont devenus des IRP en 2019.",
    "Dual appointment for researchers abroad: what is the procedure?",
    "   espaces autour   ",
    " \t\n ",
    "IRL",
    "a",
    "日本 東京 — fusée 🚀, symboles © ® ™ et e-mail dri@cnrs.fr",
    "MIXED case TEXT With Numbers 2024-2025",
    "Le CNRS a des bureaux à Bruxelles, Washington, Tokyo, Pékin, New Delhi, Pretoria, Rio et Ottawa.",
    LONG_TEXT,
    "Tokyo",
]


def _max_diff(vectors: Any, reference: Any) -> float:
    return max(
        abs(float(a) - float(b))
        for v, r in zip(vectors, reference, strict=True)
        for a, b in zip(v, r, strict=True)
    )


@pytest.mark.slow
def test_embeddings_direct_documents_equal_sentence_transformers(
    real_embedder: SentenceTransformerEmbeddings,
) -> None:
    assert real_embedder.count_tokens(LONG_TEXT) > 256
    small_batches = SentenceTransformerEmbeddings(batch_size=4)  # 15 texts of mixed lengths: 4 batches
    vectors = small_batches.embed_documents(CONTRACT_TEXTS)
    reference = real_embedder.model.encode(CONTRACT_TEXTS, normalize_embeddings=True, show_progress_bar=False)
    assert small_batches._direct_model() is not None
    assert [len(v) for v in vectors] == [384] * len(CONTRACT_TEXTS)
    assert _max_diff(vectors, reference) < 1e-5


@pytest.mark.slow
def test_embeddings_direct_queries_equal_sentence_transformers(
    real_embedder: SentenceTransformerEmbeddings,
) -> None:
    vectors = [real_embedder.embed_query(text) for text in CONTRACT_TEXTS]
    reference = real_embedder.model.encode(CONTRACT_TEXTS, normalize_embeddings=True, show_progress_bar=False)
    assert _max_diff(vectors, reference) < 1e-5


@pytest.mark.slow
def test_embeddings_direct_tokens_equal_sentence_transformers(
    real_embedder: SentenceTransformerEmbeddings,
) -> None:
    tokenizer = real_embedder.model.tokenizer
    expected = [
        len(tokenizer(t, add_special_tokens=True, verbose=False)["input_ids"]) for t in CONTRACT_TEXTS
    ]
    assert [real_embedder.count_tokens(t) for t in CONTRACT_TEXTS] == expected
    assert real_embedder.max_tokens == real_embedder.model.max_seq_length == 256


@pytest.mark.slow
def test_embeddings_default_model_never_imports_sentence_transformers() -> None:
    """Opening (window, token counts), a query and an ingest batch, in a fresh interpreter."""
    code = (
        "import sys\n"
        "from assistant.embeddings import SentenceTransformerEmbeddings\n"
        "e = SentenceTransformerEmbeddings()\n"
        "assert e.max_tokens == 256 and e.count_tokens('hello world') == 4\n"
        "assert len(e.embed_query('Quel bureau couvre le Japon ?')) == 384\n"
        "assert len(e.embed_documents(['Le bureau de Tokyo.', 'The Tokyo office.'])) == 2\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sentence_transformers'))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


# -- the plain-stack reader: pure, on copies of the bundled folder's JSON files ---------------------


@pytest.fixture
def plain_folder(tmp_path: Path) -> Path:
    """The bundled model folder's JSON files (no weights): a plain stack as far as the reader can tell."""
    source = Path(model_path(BUNDLED_MODEL))
    target = tmp_path / "model"
    for file in source.rglob("*.json"):
        (target / file.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target / file.relative_to(source))
    return target


def _edit(folder: Path, name: str, change: Callable[[Any], Any]) -> None:
    file = folder / name
    file.write_text(json.dumps(change(json.loads(file.read_text(encoding="utf-8")))), encoding="utf-8")


def _with_dense(folder: Path) -> None:
    dense = {"idx": 3, "name": "3", "path": "3_Dense", "type": "sentence_transformers.models.Dense"}
    _edit(folder, "modules.json", lambda modules: [*modules, dense])


NOT_PLAIN: dict[str, Callable[[Path], None]] = {
    "dense-layer": _with_dense,
    "prompts": lambda f: _edit(
        f, "config_sentence_transformers.json", lambda c: {**c, "prompts": {"query": "q: "}}
    ),
    "default-prompt": lambda f: _edit(
        f, "config_sentence_transformers.json", lambda c: {**c, "default_prompt_name": "query"}
    ),
    "max-pooling": lambda f: _edit(
        f,
        "1_Pooling/config.json",
        lambda c: {**c, "pooling_mode_mean_tokens": False, "pooling_mode_max_tokens": True},
    ),
    "mean-sqrt-pooling": lambda f: _edit(
        f, "1_Pooling/config.json", lambda c: {"pooling_mode": "mean_sqrt_len_tokens"}
    ),
    "prompt-excluded": lambda f: _edit(f, "1_Pooling/config.json", lambda c: {**c, "include_prompt": False}),
    "lower-case": lambda f: _edit(f, "sentence_bert_config.json", lambda c: {**c, "do_lower_case": True}),
    "no-modules-json": lambda f: (f / "modules.json").unlink(),
}


def test_plain_stack_reads_the_bundled_folder(plain_folder: Path) -> None:
    assert plain_stack(str(plain_folder)) == PlainStack(str(plain_folder), "mean", 256)


@pytest.mark.parametrize("mutate", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_plain_stack_refuses_what_it_cannot_reproduce(
    plain_folder: Path, mutate: Callable[[Path], None]
) -> None:
    mutate(plain_folder)
    assert plain_stack(str(plain_folder)) is None


def test_plain_stack_refuses_what_is_not_a_folder(plain_folder: Path) -> None:
    assert plain_stack("sentence-transformers/all-MiniLM-L6-v2") is None
    assert plain_stack(str(plain_folder / "modules.json")) is None


class _FakeSentenceTransformer:
    max_seq_length = 128

    def tokenizer(self, text: str, **kwargs: Any) -> dict[str, list[int]]:
        return {"input_ids": [0, *range(len(text.split())), 0]}


@pytest.mark.parametrize("kind", ["dense-folder", "hub-name"])
def test_embeddings_other_models_keep_sentence_transformers(
    plain_folder: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    import assistant.embeddings

    _with_dense(plain_folder)
    name = str(plain_folder) if kind == "dense-folder" else "sentence-transformers/all-mpnet-base-v2"
    loaded: list[str] = []

    def load(model: str) -> _FakeSentenceTransformer:  # stands in for SentenceTransformer(model)
        loaded.append(model)
        return _FakeSentenceTransformer()

    monkeypatch.setattr(assistant.embeddings, "_load", load)
    embedder = SentenceTransformerEmbeddings(name)
    assert (embedder.max_tokens, embedder.count_tokens("one two three")) == (128, 5)
    assert embedder._direct_model() is None
    assert loaded == [name]


# -- the written-out BERT forward of the query path ----------------------------------------------------


@pytest.mark.slow
def test_query_path_runs_the_written_out_forward(real_embedder: SentenceTransformerEmbeddings) -> None:
    """The bundled MiniLM takes it (else the query path silently loses its speed) and gives encode()'s
    vectors through it: the contract tests above go through `encode_one`."""
    direct = real_embedder._direct_model()
    assert direct is not None and direct._forward is not None
    for text in CONTRACT_TEXTS:
        assert _max_diff([direct.encode_one(text)], [direct.encode([text], batch_size=1)[0]]) < 1e-5


def _tiny_bert(**config: Any) -> Any:
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    settings = {"vocab_size": 50, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4}
    return BertModel(BertConfig(**settings, intermediate_size=64, **config)).eval()


@pytest.mark.slow  # imports torch
@pytest.mark.parametrize("attention", ["sdpa", "eager"])
def test_written_out_forward_equals_bert_model(attention: str) -> None:
    import torch

    from assistant.bert_forward import bert_forward

    net = _tiny_bert(attn_implementation=attention)
    forward = bert_forward(net)
    assert forward is not None
    ids = torch.tensor([2, 17, 5, 33, 8, 3])
    types = torch.tensor([0, 0, 0, 1, 1, 1])
    with torch.inference_mode():
        expected = net(input_ids=ids[None], token_type_ids=types[None]).last_hidden_state[0]
        got = forward(ids, types)
    assert got.shape == expected.shape == (6, 32)
    assert float((got - expected).abs().max()) < 1e-5


@pytest.mark.slow  # imports torch
@pytest.mark.parametrize(
    "config",
    [{"hidden_act": "relu"}, {"position_embedding_type": "relative_key"}, {"is_decoder": True}],
    ids=["relu", "relative-positions", "decoder"],
)
def test_written_out_forward_refuses_other_berts(config: dict[str, Any]) -> None:
    from assistant.bert_forward import bert_forward

    assert bert_forward(_tiny_bert(**config)) is None
    assert bert_forward(object()) is None


@pytest.mark.slow
def test_a_forward_that_disagrees_on_the_probe_is_not_used(
    real_embedder: SentenceTransformerEmbeddings,
) -> None:
    direct = real_embedder._direct_model()
    assert direct is not None and direct._forward is not None
    assert direct._checked(direct._forward) is direct._forward
    assert direct._checked(lambda ids, types: direct._forward(ids, types) * 1.01 + 0.01) is None
    assert direct._checked(lambda ids, types: 1 / 0) is None
