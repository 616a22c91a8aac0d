"""Tests of assistant.spelling (pure): typo correction against a vocabulary, the real words and the names
it leaves alone, and the map of acronyms. Realistic cases use the vocabulary of the real corpus bodies and
the real directories (as the assistant builds it); the rules themselves use small invented vocabularies
whose words are in no dictionary, so that nothing but the rule under test decides."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.directory import load_offices, load_tools
from assistant.spelling import Speller
from tests.conftest import PROJECT

REAL = PROJECT / "corpus"


def _body(path: Path) -> str:
    """A corpus page without its front matter: the text the index holds."""
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


@pytest.fixture(scope="module")
def speller() -> Speller:
    """The speller the assistant builds: corpus words, and place and tool names from the directories."""
    offices = load_offices(REAL / "offices.yaml")
    tools = load_tools(REAL / "tools.yaml")
    things: list[str] = []
    for office in offices.offices:
        things += [*office.city.values(), *office.city_aliases]
        for country in office.countries:
            things += [*country.names.values(), *country.aliases]
    for tool in tools.tools:
        things += [tool.acronym, *tool.names.values()]
    return Speller([_body(p) for p in sorted(REAL.glob("*/*.md"))], [t for t in things if t])


# --- correct, on the real corpus vocabulary -----------------------------------------------------------


def test_speller_correct_fixes_a_misspelt_word_and_city(speller: Speller) -> None:
    assert speller.correct("qui dirige le burau de nairobbi ?") == "qui dirige le bureau de nairobi ?"


def test_speller_correct_capitalised_place_keeps_its_capital(speller: Speller) -> None:
    assert speller.correct("Which office covers the Philipines?") == "Which office covers the Philippines?"


def test_speller_correct_two_swapped_letters_are_one_slip(speller: Speller) -> None:
    assert speller.correct("how many grnats did it host") == "how many grants did it host"


def test_speller_correct_two_edits_in_a_long_word(speller: Speller) -> None:
    assert speller.correct("the dirrecter of the office") == "the director of the office"


@pytest.mark.parametrize(
    "question",
    [
        "Quelle est la durée d'un IRP, et qui peut le porter ?",
        "Which CNRS office covers Mongolia, and since when?",
        "Depuis quand le bureau de Pékin existe-t-il ?  (merci)",
    ],
)
def test_speller_correct_leaves_a_correct_question_exactly_as_typed(speller: Speller, question: str) -> None:
    assert speller.correct(question) == question


@pytest.mark.parametrize("word", ["collègue", "hotel", "chimiste", "salaire"])
def test_speller_correct_keeps_real_words_the_corpus_does_not_use(speller: Speller, word: str) -> None:
    # Each is one edit from a corpus word ("college", "hote", "chimie", "salaires"): only the
    # dictionary check stands between it and a wrong correction.
    assert word not in speller
    assert speller.correct(f"mon {word} à Tokyo") == f"mon {word} à Tokyo"


def test_speller_correct_capitalised_word_only_into_a_place_or_tool(speller: Speller) -> None:
    assert speller.correct_word("ofice") == "office"  # lower case, it is corrected
    assert speller.correct("Ofice du CNRS") == "Ofice du CNRS"


def test_speller_correct_leaves_an_all_capitals_word(speller: Speller) -> None:
    assert speller.correct_word("kenia") == "kenya"
    assert speller.correct("bureau KENIA") == "bureau KENIA"


@pytest.mark.parametrize("text", ["l'ofice de Tokyo", "ofice-tokyo", "kenya2"])
def test_speller_correct_leaves_elisions_compounds_and_words_with_digits(speller: Speller, text: str) -> None:
    assert speller.correct(text) == text


def test_speller_correct_word_none_for_a_corpus_word(speller: Speller) -> None:
    assert speller.correct_word("bureaux") is None


def test_speller_contains_ignores_case_and_accents(speller: Speller) -> None:
    assert "Coopération" in speller
    assert "COOPERATION" in speller
    assert "zzzzq" not in speller


def test_speller_is_common_ignores_accents_and_case(speller: Speller) -> None:
    assert speller.is_common("Collègue") and speller.is_common("collegue")
    assert not speller.is_common("burau")


def test_speller_names_maps_acronyms_and_mixed_case_names_of_the_corpus(speller: Speller) -> None:
    assert speller.names["ifcam"] == "IFCAM"
    assert speller.names["elyt-max"] == "ElyT-MaX"
    assert speller.names["cnrs@create"] == "CNRS@CREATE"


# --- the rules, on invented vocabularies --------------------------------------------------------------


def test_speller_names_leaves_out_capitalised_words() -> None:
    speller = Speller(["IFCAM and MajuLab met in Paris at a Franco-American workshop."])
    assert dict(speller.names) == {"ifcam": "IFCAM", "majulab": "MajuLab"}


def test_speller_correct_word_prefers_the_more_frequent_word() -> None:
    speller = Speller(["zorvane " * 3 + "zorvine " * 4])
    assert speller.correct_word("zorvune") == "zorvine"


def test_speller_correct_word_needs_three_occurrences_of_a_common_word() -> None:
    assert Speller(["glimbarde glimbarde"]).correct_word("glimbarda") is None
    assert Speller(["glimbarde glimbarde glimbarde"]).correct_word("glimbarda") == "glimbarde"


def test_speller_correct_word_prefers_a_place_to_a_closer_word() -> None:
    speller = Speller(["morvalie " + "morvaloe " * 5], ["Morvalie"])
    assert speller.correct_word("morvaloa") == "morvalie"  # two edits from the place, one from the word


def test_speller_correct_word_things_only_ignores_common_words() -> None:
    speller = Speller(["zorvane " * 3])
    assert speller.correct_word("zorvan") == "zorvane"
    assert speller.correct_word("zorvan", things_only=True) is None


def test_speller_correct_word_corrects_a_four_letter_place_only() -> None:
    assert Speller(["zemb"], ["Zemb"]).correct_word("zemp") == "zemb"
    assert Speller(["zorv " * 5]).correct_word("zorw") is None


def test_speller_correct_word_never_for_words_under_four_letters() -> None:
    assert Speller(["zemb"], ["Zemb"]).correct_word("zem") is None


def test_speller_correct_word_one_edit_up_to_six_letters() -> None:
    speller = Speller(["trevik " * 5])
    assert speller.correct_word("travik") == "trevik"
    assert speller.correct_word("travok") is None


def test_speller_correct_word_two_edits_from_seven_letters() -> None:
    assert Speller(["korbalen " * 5]).correct_word("kurbolen") == "korbalen"


def test_speller_correct_word_changed_first_letter_needs_a_single_edit() -> None:
    speller = Speller(["krontavel " * 5])
    assert speller.correct_word("grontavel") == "krontavel"
    assert speller.correct_word("grontavil") is None


def test_speller_correct_keeps_the_capital_of_a_corrected_place() -> None:
    speller = Speller(["morvalie"], ["Morvalie"])
    assert speller.correct("vers Morvalee, puis morvalee") == "vers Morvalie, puis morvalie"
