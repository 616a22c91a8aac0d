"""Tests of assistant.answering (pure): the sentences of a chunk, a question's weighted units, how much of
them a text covers, and the evidence that the top passages answer the question."""

from __future__ import annotations

import pytest

from assistant.analysis import text_stems
from assistant.answering import Unit, coverage, evidence, question_units, split_sentences
from assistant.index import StoredChunk
from assistant.retrieval import Hit


def _hit(text: str, title: str = "IEA", section: str = "", cid: str | None = None) -> Hit:
    meta = {"lang": "en", "title": title, "section": section, "path": "en/iea.md", "doc_id": "en/iea"}
    return Hit(StoredChunk(cid or text, text, meta, 0.5), 1.0)


def _idf(stem: str) -> float:
    return 1.0


def _units(question: str) -> list[Unit]:
    return question_units(question, _idf)


def _unit(word: str, weight: float = 1.0) -> Unit:
    return Unit(word, weight, frozenset(text_stems(word)))


# --- split_sentences ------------------------------------------------------------------------------


def test_split_sentences_on_sentence_ends() -> None:
    assert split_sentences("The IEA lasts two years. It is not renewable! Is it? Yes.") == [
        "The IEA lasts two years.",
        "It is not renewable!",
        "Is it?",
        "Yes.",
    ]


def test_split_sentences_before_a_digit_a_quote_or_a_parenthesis() -> None:
    text = "It opened in 1994. 2004 saw a move. « Le bureau » grew. (It moved again.)"
    assert split_sentences(text) == [
        "It opened in 1994.",
        "2004 saw a move.",
        "« Le bureau » grew.",
        "(It moved again.)",
    ]


def test_split_sentences_keeps_abbreviation_followed_by_lowercase() -> None:
    assert split_sentences("It covers 10 countries, e.g. the ASEAN ones.") == [
        "It covers 10 countries, e.g. the ASEAN ones."
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The agreement no. 2021-07 founded it.",
        "The call, No. 12, closed in May.",
        "See the report, p. 34 for the figures.",
        "Le bureau est dirigé par M. Dupont depuis 2020.",
        "The office was opened by Dr. Tanaka in 1994.",
        "The lab works with St. Petersburg University.",
    ],
)
def test_split_sentences_no_split_after_abbreviations(sentence: str) -> None:
    assert split_sentences(f"{sentence} It lasts four years.") == [sentence, "It lasts four years."]


def test_split_sentences_after_a_word_ending_in_no() -> None:
    assert split_sentences("The office was opened by Carlos Moreno. It lasts four years.") == [
        "The office was opened by Carlos Moreno.",
        "It lasts four years.",
    ]


def test_split_sentences_no_split_after_pp() -> None:
    assert split_sentences("See pp. 12-14 of the report. It lasts four years.") == [
        "See pp. 12-14 of the report.",
        "It lasts four years.",
    ]


def test_split_sentences_bullets_are_sentences() -> None:
    assert split_sentences(
        "Tools:\n- IEA for a start\n* IRP to consolidate\n1. IRN for networks\n2) IRL"
    ) == [
        "Tools:",
        "IEA for a start",
        "IRP to consolidate",
        "IRN for networks",
        "IRL",
    ]


def test_split_sentences_table_rows_are_sentences() -> None:
    table = "| Tool | Years |\n|---|:---:|\n| IEA | 2 |\n| IRP | 5 |"
    assert split_sentences(table) == ["Tool — Years", "IEA — 2", "IRP — 5"]


def test_split_sentences_drops_blank_lines_and_fragments() -> None:
    assert split_sentences("\n\n  \nok\nA real line.\n") == ["A real line."]


def test_split_sentences_returns_a_fresh_list_each_time() -> None:
    text = "The IEA lasts two years. It is not renewable."
    first = split_sentences(text)
    first.append("changed by the caller")
    assert split_sentences(text) == ["The IEA lasts two years.", "It is not renewable."]


# --- question_units -------------------------------------------------------------------------------


def test_question_units_are_the_content_words_without_question_words() -> None:
    units = _units("Combien de bureaux le CNRS a-t-il en Afrique ?")
    assert [u.word for u in units] == ["bureaux", "cnrs", "afrique"]


def test_question_units_each_word_once() -> None:
    assert [u.word for u in _units("office office offices")] == ["office", "offices"]


def test_question_units_weight_is_the_rarest_stem_idf() -> None:
    idf = {"bureau": 0.5, "bureaux": 2.0}
    [unit] = question_units("bureaux", lambda stem: idf.get(stem, 0.0))
    assert unit.weight == 2.0


def test_question_units_stems_in_both_languages() -> None:
    [unit] = _units("bureaux")
    assert unit.stems == frozenset({"bureau", "bureaux"})  # French stem, English stem


def test_question_units_alternatives_add_stems() -> None:
    [unit] = question_units(
        "LIA ?", _idf, lambda word: ["International Research Project"] if word == "lia" else []
    )
    assert {"lia", "internat", "research", "project"} <= unit.stems


def test_question_units_marks_acronyms_and_names_after_the_first_word() -> None:
    units = {u.word: u.entity for u in _units("Tokyo office: who heads the IRL in Nairobi?")}
    assert units == {"tokyo": False, "office": False, "heads": False, "irl": True, "nairobi": True}


def test_question_units_inherited_subject_counts_half_and_is_no_entity() -> None:
    units = {u.word: u for u in _units("Who heads it? (IRL CROSSING)")}
    assert (units["heads"].weight, units["crossing"].weight) == (1.0, 0.5)
    assert not units["irl"].entity


# --- coverage -------------------------------------------------------------------------------------


def test_coverage_is_the_weighted_share_of_units_found() -> None:
    units = [_unit("tokyo", 3.0), _unit("director", 1.0)]
    assert coverage(units, text_stems("Tokyo")) == pytest.approx(0.75)


def test_coverage_context_words_count_half() -> None:
    units = [_unit("tokyo", 1.0), _unit("director", 1.0)]
    assert coverage(units, text_stems("director"), text_stems("Tokyo")) == pytest.approx(0.75)


def test_coverage_a_word_in_the_text_is_not_counted_again_from_the_context() -> None:
    units = [_unit("tokyo"), _unit("director")]
    assert coverage(units, text_stems("Tokyo"), text_stems("Tokyo")) == pytest.approx(0.5)


@pytest.mark.parametrize("units", [[], [_unit("tokyo", 0.0)]])
def test_coverage_zero_without_weighted_units(units: list[Unit]) -> None:
    assert coverage(units, text_stems("Tokyo")) == 0.0


# --- evidence -------------------------------------------------------------------------------------


def test_evidence_high_when_the_question_is_covered() -> None:
    hits = [_hit("The IEA lasts two years and is not renewable.")]
    assert evidence(_units("How many years does the IEA last?"), hits) >= 0.6


def test_evidence_low_for_an_unrelated_question() -> None:
    hits = [_hit("The IEA lasts two years and is not renewable.")]
    assert evidence(_units("What is the best pizza in Naples?"), hits) <= 0.1


def test_evidence_counts_words_of_the_chunk_title_and_section() -> None:
    hits = [_hit("Jacques Martin heads it.", title="Tokyo", section="director")]
    assert evidence(_units("Tokyo director"), hits) == pytest.approx(1.0)


def test_evidence_uses_the_best_of_the_top_chunks() -> None:
    hits = [_hit("Unrelated words here.", title="Misc"), _hit("The IEA lasts two years.")]
    assert evidence(_units("How many years does the IEA last?"), hits) >= 0.6
    assert evidence(_units("How many years does the IEA last?"), hits, top=1) <= 0.1


def test_evidence_zero_without_hits() -> None:
    assert evidence(_units("How many years does the IEA last?"), []) == 0.0
