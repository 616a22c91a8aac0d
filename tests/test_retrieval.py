"""Tests of assistant.retrieval: RRF fusion, filters, glossary expansion, the LangChain retriever, and the
retrieval contract that the fake and the real embedder must both meet on the tiny corpus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.directory import Glossary
from assistant.index import StoredChunk
from assistant.knowledge import KnowledgeBase
from assistant.plans import Context
from assistant.retrieval import DerciRetriever, FusionWeights, Hit, HybridSearch, fuse
from tests.conftest import TINY_CORPUS
from tests.fakes import HashEmbedder


def _chunk(cid: str, lang: str = "en", similarity: float = 0.0) -> StoredChunk:
    return StoredChunk(cid, f"text of {cid}", {"lang": lang, "path": f"{lang}/{cid}.md"}, similarity)


# --- fuse (pure) ----------------------------------------------------------------------------------


def test_fuse_scores_are_reciprocal_ranks() -> None:
    a, b = _chunk("a"), _chunk("b")
    hits = fuse([a, b], [(b, 3.0)], lang=None, weights=FusionWeights(same_language=0.0))
    by_id = {h.id: h.score for h in hits}
    assert by_id["a"] == pytest.approx(1 / 61)
    assert by_id["b"] == pytest.approx(1 / 62 + 1 / 61)


def test_fuse_chunk_in_both_lists_ranks_first() -> None:
    a, b, c = _chunk("a"), _chunk("b"), _chunk("c")
    hits = fuse([a, b], [(c, 9.0), (b, 5.0)], lang=None)
    assert [h.id for h in hits] == ["b", "a", "c"]


def test_fuse_ties_keep_first_seen_order() -> None:
    a, b = _chunk("a"), _chunk("b")
    assert [h.id for h in fuse([a], [(b, 1.0)], lang=None)] == ["a", "b"]


def test_fuse_weights_scale_each_list() -> None:
    a, b = _chunk("a"), _chunk("b")
    weights = FusionWeights(dense=1.0, lexical=2.0, same_language=0.0)
    assert [h.id for h in fuse([a], [(b, 1.0)], lang=None, weights=weights)] == ["b", "a"]


def test_fuse_same_language_bonus_lifts_question_language() -> None:
    en, fr = _chunk("en-chunk", "en"), _chunk("fr-chunk", "fr")
    assert [h.id for h in fuse([en, fr], [], lang=None)] == ["en-chunk", "fr-chunk"]
    assert [h.id for h in fuse([en, fr], [], lang="fr")] == ["fr-chunk", "en-chunk"]
    bonus = {h.id: h.score for h in fuse([en, fr], [], lang="fr")}
    assert bonus["fr-chunk"] == pytest.approx(1 / 62 + FusionWeights().same_language)


def test_fuse_bonus_does_not_override_a_clear_lead() -> None:
    en, fr = _chunk("en-chunk", "en"), _chunk("fr-chunk", "fr")
    filler = [_chunk(f"x{i}", "de") for i in range(10)]
    hits = fuse([en, *filler, fr], [(en, 2.0)], lang="fr")
    assert hits[0].id == "en-chunk"


def test_fuse_unknown_language_gives_no_bonus() -> None:
    en, fr = _chunk("en-chunk", "en"), _chunk("fr-chunk", "fr")
    assert [h.id for h in fuse([en, fr], [], lang="unknown")] == ["en-chunk", "fr-chunk"]


def test_fuse_hit_keeps_similarity_and_bm25() -> None:
    a, b = _chunk("a", similarity=0.8), _chunk("b", similarity=0.3)
    hits = {h.id: h for h in fuse([a], [(a, 4.5), (b, 1.5)], lang=None)}
    assert (hits["a"].similarity, hits["a"].bm25) == (0.8, 4.5)
    assert (hits["b"].similarity, hits["b"].bm25) == (None, 1.5)


def test_fuse_empty_lists_give_no_hits() -> None:
    assert fuse([], [], lang="en") == []


# --- HybridSearch ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [("lang", "fr"), ("topic", "tools"), ("office", "singapore"), ("doc_id", "en/bureau-tokyo")],
)
def test_hybrid_search_filters_on_metadata(knowledge: KnowledgeBase, key: str, value: str) -> None:
    hits = knowledge.search.search("office Tokyo Singapore IEA bureau outil", 10, filters={key: value})
    assert hits
    assert all(h.meta[key] == value for h in hits)


def test_hybrid_search_two_filters_combine(knowledge: KnowledgeBase) -> None:
    hits = knowledge.search.search("bureau office", 10, filters={"lang": "fr", "office": "tokyo"})
    assert {h.meta["path"] for h in hits} == {"fr/bureau-tokyo.md"}


def test_hybrid_search_empty_filter_value_ignored(knowledge: KnowledgeBase) -> None:
    assert len(knowledge.search.search("office", 10, filters={"lang": ""})) == 10


def test_hybrid_search_unknown_filter_rejected(knowledge: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="country"):
        knowledge.search.search("office", 5, filters={"country": "JP"})


def test_hybrid_search_returns_at_most_k(knowledge: KnowledgeBase) -> None:
    assert len(knowledge.search.search("office", 3)) == 3


@pytest.mark.parametrize("mode", ["dense", "lexical"])
def test_hybrid_search_single_mode_fills_one_score(knowledge: KnowledgeBase, mode: str) -> None:
    hits = knowledge.search.search("Who heads the Tokyo office?", 3, mode=mode)
    assert hits[0].meta["path"] == "en/bureau-tokyo.md"
    assert all((h.similarity is None) == (mode == "lexical") for h in hits)
    assert all((h.bm25 is None) == (mode == "dense") for h in hits)


def _beijing_page(corpus: Path) -> None:
    (corpus / "fr" / "bureau-pekin.md").write_text(
        "---\ntitle: Bureau du CNRS en Chine\nlang: fr\ntopic: office\noffice: beijing\n---\n\n"
        "## Implantation\n\nLe bureau du CNRS en Chine est installé à Pékin depuis 1995.\n",
        encoding="utf-8",
    )


def test_hybrid_search_glossary_expansion_finds_other_language(
    settings: Settings, corpus: Path, embedder: HashEmbedder
) -> None:
    _beijing_page(corpus)
    knowledge = KnowledgeBase.open(settings, embedder)
    hits = knowledge.search.search("Beijing", 3, mode="lexical")
    assert hits[0].meta["path"] == "fr/bureau-pekin.md"


def test_hybrid_search_without_glossary_misses_other_language(
    settings: Settings, corpus: Path, embedder: HashEmbedder
) -> None:
    _beijing_page(corpus)
    knowledge = KnowledgeBase.open(settings, embedder)
    bare = HybridSearch(knowledge.vectors, knowledge.lexical, embedder, Glossary(()))
    assert bare.search("Beijing", 3, mode="lexical") == []


# --- DerciRetriever -------------------------------------------------------------------------------


def test_derci_retriever_invoke_returns_documents_with_scores(knowledge: KnowledgeBase) -> None:
    retriever = DerciRetriever(search=knowledge.search, k=3)
    docs = retriever.invoke("Who heads the CNRS office in Tokyo?")
    assert len(docs) == 3
    assert all(isinstance(d, Document) for d in docs)
    top = docs[0]
    assert top.metadata["path"] == "en/bureau-tokyo.md"
    assert "Maleval" in top.page_content
    assert top.id == top.metadata["id"]
    assert {"score", "similarity", "bm25", "lang", "url", "title", "section"} <= set(top.metadata)
    assert isinstance(top.metadata["score"], float)
    assert -1.0 <= top.metadata["similarity"] <= 1.0
    assert [d.metadata["score"] for d in docs] == sorted((d.metadata["score"] for d in docs), reverse=True)


def test_derci_retriever_applies_filters(knowledge: KnowledgeBase) -> None:
    retriever = DerciRetriever(search=knowledge.search, k=5, filters={"lang": "fr"})
    docs = retriever.invoke("Tokyo office director")
    assert docs
    assert {d.metadata["lang"] for d in docs} == {"fr"}


# --- The contract: the same checks with the fake and with the real embedder -----------------------


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    lang: str
    path: str
    section: str | None = None  # None: any chunk of `path`
    within: int = 1  # rank (1-based) the chunk must reach
    same_language_only: bool = False  # rank among the chunks in the question's language


CASES = [
    Case("vietnam-office", "Which office covers Vietnam?", "en", "en/bureau-singapour.md", within=3),
    Case(
        "tokyo-director-fr",
        "Qui dirige le bureau de Tokyo ?",
        "fr",
        "fr/bureau-tokyo.md",
        "Direction",
        same_language_only=True,
    ),
    Case("tokyo-director-en", "Who heads the CNRS office in Tokyo?", "en", "en/bureau-tokyo.md", "Director"),
    Case(
        "tokyo-countries",
        "Which countries does the Tokyo office cover?",
        "en",
        "en/bureau-tokyo.md",
        "Countries covered",
    ),
    Case("iea-duration", "How long does an IEA last?", "en", "en/outil-iea.md", "Duration and funding"),
    Case("iea-replaced", "Quel outil a remplacé le PICS ?", "fr", "fr/outil-iea.md", "Ancien outil"),
    Case(
        "hanoi-move",
        "Quand le bureau de Hanoï a-t-il déménagé à Singapour ?",
        "fr",
        "fr/bureau-singapour.md",
        "Histoire",
    ),
    Case(
        "iea-funding",
        "Combien d'argent apporte une IEA ?",
        "fr",
        "fr/outil-iea.md",
        "Durée et financement",
        within=2,
    ),
]


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("fake", id="fake"),
        pytest.param("real", id="real", marks=pytest.mark.slow),
    ],
)
def contract_knowledge(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> KnowledgeBase:
    """The tiny corpus indexed once per embedder (the queries below only read it)."""
    embedder: Embeddings = (
        HashEmbedder() if request.param == "fake" else request.getfixturevalue("real_embedder")
    )
    root = tmp_path_factory.mktemp(f"contract-{request.param}")
    settings = Settings.load(
        environ={}, corpus_dir=TINY_CORPUS, index_dir=root / "index", data_dir=root / "data"
    )
    return KnowledgeBase.open(settings, embedder)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hybrid_search_contract(contract_knowledge: KnowledgeBase, case: Case) -> None:
    hits = contract_knowledge.search.search(case.question, 8, lang=case.lang)
    if case.same_language_only:
        hits = [h for h in hits if h.meta["lang"] == case.lang]
    found = [(h.meta["path"], h.meta["section"]) for h in hits[: case.within]]
    assert any(
        path == case.path and (case.section is None or section == case.section) for path, section in found
    ), f"{case.path}#{case.section} not in the top {case.within}: {found}"


def test_one_question_runs_each_distinct_search_once() -> None:
    calls: list[tuple[str, int, dict[str, object]]] = []
    hit = Hit(StoredChunk("c1", "text", {"lang": "en"}), 1.0)

    def search(query: str, k: int, **kw: object) -> list[Hit]:
        calls.append((query, k, kw))
        return [hit]

    kb: Any = SimpleNamespace(search=SimpleNamespace(search=search, candidates=40))
    ctx = Context(kb, analysis=None, lang="en", embedding=None, idf=lambda s: 1.0)  # type: ignore[arg-type]
    for _ in range(2):
        assert ctx.lookup("irp", 4, filters={"doc_id": "en/irp.md"}) == [hit]
        ctx.search("irp")
    ctx.lookup("irp", 2, filters={"doc_id": "en/irp.md"})  # fewer hits: the first of the same search
    ctx.lookup("irp ?", 4, filters={"doc_id": "en/irp.md"})  # only punctuation differs: the same search
    ctx.lookup("irp", 4, filters={"doc_id": "en/irn.md"})  # another page: another search
    ctx.lookup("irp", 50, filters={"doc_id": "en/irp.md"})  # more than the fused lists hold: another search
    assert [(q, k, kw.get("filters")) for q, k, kw in calls] == [
        ("irp", 4, {"doc_id": "en/irp.md"}),
        ("irp", 10, None),
        ("irp", 4, {"doc_id": "en/irn.md"}),
        ("irp", 50, {"doc_id": "en/irp.md"}),
    ]
    assert ctx.pool == {"c1": hit}


def test_hybrid_search_dense_memo_gives_the_same_hits_and_is_read_again(
    knowledge: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    vector = knowledge.embedder.embed_query("Who heads the Tokyo office?")
    plain = knowledge.search.search("Who heads the Tokyo office?", 5, embedding=vector)
    memo: dict[tuple[object, ...], list[StoredChunk]] = {}
    first = knowledge.search.search("Who heads the Tokyo office?", 5, embedding=vector, dense_memo=memo)
    calls: list[int] = []
    real_dense = knowledge.lexical.dense
    monkeypatch.setattr(knowledge.lexical, "dense", lambda *a, **k: calls.append(1) or real_dense(*a, **k))
    again = knowledge.search.search("Tokyo office director", 5, embedding=vector, dense_memo=memo)
    assert [h.id for h in first] == [h.id for h in plain]
    assert calls == [] and again  # the dense list of that embedding was read from the memo
    filtered = knowledge.search.search("Tokyo", 5, embedding=vector, dense_memo=memo, filters={"lang": "fr"})
    assert calls == [1] and all(h.meta["lang"] == "fr" for h in filtered)  # another filter: its own list
