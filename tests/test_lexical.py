"""Tests of assistant.lexical: folded, stemmed BM25 across French and English; persistence; filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import lexical
from assistant.analysis import terms
from assistant.index import StoredChunk
from assistant.lexical import LexicalIndex, chunk_key, fingerprint


def _chunk(cid: str, text: str, lang: str = "en", **meta: str) -> StoredChunk:
    return StoredChunk(cid, text, {"lang": lang, "title": "", "section": "", **meta})


@pytest.fixture
def chunks() -> list[StoredChunk]:
    return [
        _chunk("fr-coop", "La coopération scientifique internationale du CNRS.", "fr"),
        _chunk("en-office", "The office in Tokyo covers Japan and Taiwan.", "en"),
        _chunk("fr-bureau", "Le bureau de Tokyo couvre le Japon.", "fr"),
        _chunk("en-iea", "The IEA funds an emerging collaboration for two years.", "en"),
        _chunk("en-tools", "Tools for partners abroad: IEA, IRP and IRN.", "en"),
    ]


def _ids(hits: list[tuple[StoredChunk, float]]) -> list[str]:
    return [c.id for c, _ in hits]


def test_lexical_search_matches_across_accents_and_inflections(chunks: list[StoredChunk]) -> None:
    hits = LexicalIndex(chunks).search("international cooperations", 3)
    assert _ids(hits)[0] == "fr-coop"


def test_lexical_search_matches_unaccented_query(chunks: list[StoredChunk]) -> None:
    index = LexicalIndex([*chunks, _chunk("fr-viet", "Le Viêt Nam et la Thaïlande.", "fr")])
    assert _ids(index.search("viet nam thailande", 1)) == ["fr-viet"]


def test_lexical_search_scores_are_positive_and_descending(chunks: list[StoredChunk]) -> None:
    hits = LexicalIndex(chunks).search("Tokyo office Japan", 5)
    scores = [s for _, s in hits]
    assert scores and all(s > 0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert "en-iea" not in _ids(hits)  # chunks sharing no term are left out


def test_lexical_search_title_and_section_are_searchable() -> None:
    index = LexicalIndex(
        [
            _chunk("a", "Body without the word.", title="Singapore office", section="History"),
            _chunk("b", "Another body.", title="Tokyo office", section="Director"),
        ]
    )
    assert _ids(index.search("singapore history", 2)) == ["a"]


def test_lexical_search_stop_words_only_returns_nothing(chunks: list[StoredChunk]) -> None:
    assert LexicalIndex(chunks).search("the and of le la", 5) == []


def test_lexical_search_unknown_words_return_nothing(chunks: list[StoredChunk]) -> None:
    assert LexicalIndex(chunks).search("zanzibar", 5) == []


def test_lexical_search_empty_index_returns_nothing() -> None:
    assert LexicalIndex([]).search("tokyo", 5) == []


def test_lexical_search_filters_on_language(chunks: list[StoredChunk]) -> None:
    index = LexicalIndex(chunks)
    assert set(_ids(index.search("Tokyo Japan", 5))) == {"en-office", "fr-bureau"}
    assert _ids(index.search("Tokyo Japan", 5, where={"lang": "fr"})) == ["fr-bureau"]


def test_lexical_search_filters_with_in_clause(chunks: list[StoredChunk]) -> None:
    hits = LexicalIndex(chunks).search("Tokyo IEA", 5, where={"lang": {"$in": ["en"]}})
    assert set(_ids(hits)) == {"en-office", "en-iea", "en-tools"}


def test_lexical_search_filter_matching_nothing_returns_nothing(chunks: list[StoredChunk]) -> None:
    assert LexicalIndex(chunks).search("Tokyo", 5, where={"lang": "de"}) == []


QUERIES = [
    ("Tokyo office", ["bureau", "Japon"]),
    ("coopération internationale", ["international cooperation"]),
    ("IEA", ["PICS", "IEA"]),  # an extra already in the query adds nothing new
    ("stop the", ["Tokyo"]),  # nothing of the query is indexed: the extras alone score
    ("Tokyo", []),
]


@pytest.mark.parametrize(("query", "extra"), QUERIES)
def test_lexical_search_scores_are_bm25s_scores(
    chunks: list[StoredChunk], query: str, extra: list[str]
) -> None:
    index = LexicalIndex(chunks)
    tokens = [t for t in dict.fromkeys(terms(query)) if t in index._vocab]
    library = index._retriever.get_scores(tokens) if tokens else [0.0] * len(chunks)
    ours = {c.id: s for c, s in index.search(query, len(chunks))}
    for chunk, expected in zip(chunks, library, strict=True):
        assert ours.get(chunk.id, 0.0) == pytest.approx(float(expected), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize(("query", "extra"), QUERIES)
def test_lexical_search_expanded_equals_searching_the_joined_text(
    chunks: list[StoredChunk], query: str, extra: list[str]
) -> None:
    index = LexicalIndex(chunks)
    plain, expanded = index.search_expanded(query, extra, 4)
    assert plain == index.search(query, 4)
    if extra:
        joined = index.search(" ".join([query, *extra]), 4)
        assert _ids(expanded) == _ids(joined)
        assert [s for _, s in expanded] == pytest.approx([s for _, s in joined])
    else:
        assert expanded == []


def test_lexical_search_filters_on_a_value_many_chunks_share() -> None:
    many = [_chunk(f"c{i}", f"Tokyo note {i}", "en", doc_id=f"d{i % 3}") for i in range(30)]
    hits = LexicalIndex(many).search("Tokyo", 30, where={"doc_id": "d1"})
    assert sorted(_ids(hits)) == sorted(f"c{i}" for i in range(30) if i % 3 == 1)
    assert not LexicalIndex(many).search("Tokyo", 30, where={"doc_id": {"$in": ["d9"]}})


def test_lexical_idf_higher_for_rarer_terms(chunks: list[StoredChunk]) -> None:
    index = LexicalIndex(chunks)
    (rare,) = terms("taiwan")[:1]  # one chunk
    common = terms("tokyo")[0]  # two chunks
    assert index.idf(rare) > index.idf(common)
    assert index.idf("never-seen-term") > index.idf(rare)


def test_lexical_fingerprint_depends_on_ids_not_order() -> None:
    assert fingerprint(["b", "a"]) == fingerprint(["a", "b"])
    assert fingerprint(["a"]) != fingerprint(["a", "b"])


def test_lexical_fingerprint_covers_each_chunk_file_digest(chunks: list[StoredChunk]) -> None:
    edited = [
        StoredChunk(c.id, c.text, {**c.meta, "digest": "new"}) if i == 0 else c for i, c in enumerate(chunks)
    ]
    assert LexicalIndex(edited).fingerprint != LexicalIndex(chunks).fingerprint


def test_lexical_save_then_load_does_not_rebuild(
    chunks: list[StoredChunk], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = LexicalIndex(chunks)
    index.save(tmp_path / "lexical")

    def no_rebuild(_: object) -> None:
        raise AssertionError("BM25 was rebuilt instead of loaded")

    monkeypatch.setattr(lexical, "_build", no_rebuild)
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert loaded is not None
    assert loaded.fingerprint == index.fingerprint == fingerprint(chunk_key(c.id, "") for c in chunks)
    query = "coopération Tokyo IEA"
    assert [(c.id, round(s, 5)) for c, s in loaded.search(query, 5)] == [
        (c.id, round(s, 5)) for c, s in index.search(query, 5)
    ]
    assert loaded.by_id["fr-coop"].meta["lang"] == "fr"


def test_lexical_save_replaces_previous_version(chunks: list[StoredChunk], tmp_path: Path) -> None:
    LexicalIndex(chunks).save(tmp_path / "lexical")
    LexicalIndex(chunks[:2]).save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert loaded is not None
    assert loaded.ids == ["fr-coop", "en-office"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lexical"]  # no .tmp or .old left behind


def test_lexical_load_stale_fingerprint_returns_none(chunks: list[StoredChunk], tmp_path: Path) -> None:
    folder = tmp_path / "lexical"
    LexicalIndex(chunks).save(folder)
    state = json.loads((folder / "state.json").read_text())
    state["fingerprint"] = fingerprint(["some", "other", "ids"])
    (folder / "state.json").write_text(json.dumps(state))
    assert LexicalIndex.load(folder) is None


def test_lexical_load_missing_folder_returns_none(tmp_path: Path) -> None:
    assert LexicalIndex.load(tmp_path / "absent") is None


def test_lexical_load_truncated_table_returns_none(chunks: list[StoredChunk], tmp_path: Path) -> None:
    folder = tmp_path / "lexical"
    LexicalIndex(chunks).save(folder)
    (folder / "chunks.jsonl").write_text('{"id": "fr-coop", "text": "La coop', encoding="utf-8")
    assert LexicalIndex.load(folder) is None
