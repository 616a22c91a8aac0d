"""Tests of assistant.answering (pure): sentence splitting, sentence selection within budgets, evidence,
numbering of the assembled answer, and the refusal message."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.answering import (
    Piece,
    Unit,
    assemble,
    evidence,
    question_units,
    refusal,
    select_pieces,
    split_sentences,
)
from assistant.citations import markers
from assistant.index import StoredChunk
from assistant.prompts import DEI_CONTACT
from assistant.retrieval import Hit

# Ten distinct sentences that all answer "what does the emerging action fund?".
FUNDED = [
    "The emerging action funds travel between partner chemistry laboratories.",
    "The emerging action funds workshops gathering young physicists abroad.",
    "The emerging action funds short visits of doctoral students in biology.",
    "The emerging action funds fieldwork campaigns for ecology teams overseas.",
    "The emerging action funds joint seminars on volcanic geology topics.",
    "The emerging action funds archive trips for medieval historians.",
    "The emerging action funds summer schools on algebraic geometry.",
    "The emerging action funds robot prototypes built by engineering students.",
    "The emerging action funds clinical exchanges between hospital researchers.",
    "The emerging action funds comparative studies of maritime legislation.",
]


def _hit(text: str, lang: str = "en", title: str = "IEA", score: float = 1.0, cid: str | None = None) -> Hit:
    meta = {"lang": lang, "title": title, "section": "", "path": f"{lang}/iea.md", "doc_id": f"{lang}/iea"}
    return Hit(StoredChunk(cid or f"{lang}:{text}", text, meta, 0.5), score)


def _idf(stem: str) -> float:
    return 1.0


def _units(question: str) -> list[Unit]:
    return question_units(question, _idf)


def _select(question: str, hits: Sequence[Hit], lang: str = "en", **budget: int) -> list[Piece]:
    return select_pieces(question, hits, _units(question), lang, **budget)


# --- split_sentences ------------------------------------------------------------------------------


def test_split_sentences_on_sentence_ends() -> None:
    assert split_sentences("The IEA lasts two years. It is not renewable! Is it? Yes.") == [
        "The IEA lasts two years.",
        "It is not renewable!",
        "Is it?",
        "Yes.",
    ]


def test_split_sentences_keeps_abbreviation_followed_by_lowercase() -> None:
    assert split_sentences("It covers 10 countries, e.g. the ASEAN ones.") == [
        "It covers 10 countries, e.g. the ASEAN ones."
    ]


def test_split_sentences_bullets_are_sentences() -> None:
    assert split_sentences("Tools:\n- IEA for a start\n* IRP to consolidate\n1. IRN for networks") == [
        "Tools:",
        "IEA for a start",
        "IRP to consolidate",
        "IRN for networks",
    ]


def test_split_sentences_table_rows_are_sentences() -> None:
    table = "| Tool | Years |\n|---|:---:|\n| IEA | 2 |\n| IRP | 5 |"
    assert split_sentences(table) == ["Tool — Years", "IEA — 2", "IRP — 5"]


def test_split_sentences_drops_blank_lines_and_fragments() -> None:
    assert split_sentences("\n\n  \nok\nA real line.\n") == ["A real line."]


# --- select_pieces --------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_select_pieces_respects_max_sentences(limit: int) -> None:
    pieces = _select("What does the emerging action fund?", [_hit(" ".join(FUNDED))], max_sentences=limit)
    assert len(pieces) == limit


def test_select_pieces_respects_max_chars() -> None:
    pieces = _select(
        "What does the emerging action fund?", [_hit(" ".join(FUNDED))], max_sentences=10, max_chars=160
    )
    assert len(pieces) >= 1
    assert sum(len(p.text) for p in pieces) <= 160


def test_select_pieces_first_sentence_even_over_max_chars() -> None:
    pieces = _select("What does the emerging action fund?", [_hit(FUNDED[0])], max_chars=10)
    assert [p.text for p in pieces] == [FUNDED[0]]


def test_select_pieces_list_question_gets_more_sentences() -> None:
    hits = [_hit(" ".join(FUNDED))]
    plain = _select("What does the emerging action fund?", hits, max_sentences=2, max_chars=2000)
    listing = _select("List what the emerging action funds", hits, max_sentences=2, max_chars=2000)
    assert len(plain) == 2
    assert len(listing) == 2 + 3


def test_select_pieces_list_question_gets_more_characters() -> None:
    hits = [_hit(" ".join(FUNDED))]
    listing = _select("List what the emerging action funds", hits, max_sentences=10, max_chars=160)
    total = sum(len(p.text) for p in listing)
    assert 160 < total <= 240


def test_select_pieces_no_near_duplicates() -> None:
    same = "The IEA lasts two years and is not renewable."
    hits = [
        _hit(same, cid="a"),
        _hit("The IEA lasts two years and it is not renewable.", cid="b", title="IEA call"),
    ]
    pieces = _select("How many years does the IEA last?", hits)
    assert len(pieces) == 1


def test_select_pieces_prefers_the_question_language() -> None:
    hits = [
        _hit("The IEA lasts two years and is not renewable.", lang="en", score=1.0),
        _hit("L'IEA dure deux ans et n'est pas renouvelable.", lang="fr", score=0.5),
    ]
    pieces = _select("Combien d'années dure l'IEA ?", hits, lang="fr")
    assert pieces and all(p.hit.meta["lang"] == "fr" for p in pieces)


def test_select_pieces_other_language_when_question_language_missing() -> None:
    hits = [_hit("The IEA lasts two years and is not renewable.", lang="en")]
    pieces = _select("Combien d'années dure l'IEA ?", hits, lang="fr")
    assert [p.hit.meta["lang"] for p in pieces] == ["en"]


def test_select_pieces_best_sentence_first() -> None:
    text = "Teams meet in Paris every spring. The IEA lasts two years and is not renewable."
    pieces = _select("How many years does the IEA last?", [_hit(text)])
    assert pieces[0].text == "The IEA lasts two years and is not renewable."


@pytest.mark.parametrize(
    ("question", "lang"),
    [("Who can lead an IEA?", "en"), ("Qui peut porter un IEA ?", "fr")],
)
def test_select_pieces_who_can_question_prefers_conditions_over_names(question: str, lang: str) -> None:
    texts = {
        "en": "Marie Curie Dupont leads an IEA with Kyoto. An IEA lead must hold a permanent CNRS position.",
        "fr": "Marie Curie Dupont porte un IEA avec Kyoto. Pour porter un IEA, il faut un poste permanent au CNRS.",
    }
    pieces = _select(question, [_hit(texts[lang], lang)], lang, max_sentences=1)
    assert "permanent" in pieces[0].text


def test_select_pieces_who_question_still_prefers_names() -> None:
    text = "The office coordinates the IEA calls. Marie Dupont heads the Tokyo office."
    pieces = _select("Who heads the Tokyo office?", [_hit(text, title="Tokyo office")], max_sentences=1)
    assert pieces[0].text == "Marie Dupont heads the Tokyo office."


def test_select_pieces_nothing_without_hits() -> None:
    assert _select("How many years does the IEA last?", []) == []


# --- evidence -------------------------------------------------------------------------------------


def test_evidence_high_when_the_question_is_covered() -> None:
    hits = [_hit("The IEA lasts two years and is not renewable.")]
    assert evidence(_units("How many years does the IEA last?"), hits) >= 0.6


def test_evidence_low_for_an_unrelated_question() -> None:
    hits = [_hit("The IEA lasts two years and is not renewable.")]
    assert evidence(_units("What is the best pizza in Naples?"), hits) <= 0.1


def test_evidence_counts_words_of_the_chunk_title() -> None:
    hits = [_hit("Jacques Maleval heads it.", title="Tokyo director")]
    assert evidence(_units("Tokyo director"), hits) == pytest.approx(1.0)


def test_evidence_uses_the_best_of_the_top_chunks() -> None:
    hits = [_hit("Unrelated words here.", title="Misc"), _hit("The IEA lasts two years.")]
    assert evidence(_units("How many years does the IEA last?"), hits) >= 0.6
    assert evidence(_units("How many years does the IEA last?"), hits, top=1) <= 0.1


def test_evidence_zero_without_hits() -> None:
    assert evidence(_units("How many years does the IEA last?"), []) == 0.0


# --- assemble -------------------------------------------------------------------------------------


def test_assemble_numbers_sources_in_order_of_first_use() -> None:
    a, b = _hit("Alpha sentence.", cid="a"), _hit("Beta sentence.", cid="b")
    answer = assemble(
        "q", "en", [Piece("Beta sentence", b), Piece("Alpha sentence", a), Piece("Again", b)], 1.0
    )
    assert markers(answer.text) == [1, 2, 1]
    assert [c.chunk_id for c in answer.citations] == ["b", "a"]
    assert answer.text == "Beta sentence. [1] Alpha sentence. [2] Again. [1]"


# --- refusal --------------------------------------------------------------------------------------


def test_refusal_in_english_names_topics_and_contact() -> None:
    hits = [_hit("x", title="CNRS Office in Tokyo"), _hit("y", lang="fr", title="Bureau du CNRS à Tokyo")]
    answer = refusal("Best pizza in Naples?", "en", hits, 0.1)
    assert answer.refused and answer.lang == "en" and not answer.citations
    assert "CNRS Office in Tokyo" in answer.text
    assert "Bureau du CNRS" not in answer.text
    assert DEI_CONTACT["en"] in answer.text


def test_refusal_in_french_names_topics_and_contact() -> None:
    hits = [_hit("y", lang="fr", title="Bureau du CNRS à Tokyo")]
    answer = refusal("Meilleure pizza de Naples ?", "fr", hits, 0.1)
    assert answer.refused and answer.lang == "fr"
    assert "« Bureau du CNRS à Tokyo »" in answer.text
    assert DEI_CONTACT["fr"] in answer.text


def test_refusal_names_a_given_contact() -> None:
    answer = refusal("visa pour le Japon", "fr", [], 0.2, contact="le bureau du CNRS à Tokyo")
    assert "le bureau du CNRS à Tokyo" in answer.text
    assert DEI_CONTACT["fr"] not in answer.text


def test_refusal_without_hits_names_default_topics() -> None:
    answer = refusal("Best pizza?", "en", [], 0.0)
    assert "IEA" in answer.text and "offices" in answer.text


def test_refusal_unknown_language_falls_back_to_english() -> None:
    answer = refusal("???", "unknown", [], 0.0)
    assert answer.lang == "en" and DEI_CONTACT["en"] in answer.text
