"""Numbers written in words read as the figures they are ("about ten or eighteen?" quotes 10 and 18)."""

from __future__ import annotations

import pytest

from assistant.numerals import WORDS, in_digits


@pytest.mark.parametrize(
    ("folded", "expected"),
    [
        ("did it fund about ten phds or eighteen?", "did it fund about 10 phds or 18?"),
        ("environ dix-huit doctorants", "environ 18 doctorants"),
        ("soixante-douze ou quatre-vingt-dix", "72 ou 90"),
        ("twenty-five years", "25 years"),
        ("une dizaine de bourses", "une 10 de bourses"),
        ("quatre-vingts labos", "80 labos"),
    ],
)
def test_number_words_become_figures(folded: str, expected: str) -> None:
    assert in_digits(folded) == expected


@pytest.mark.parametrize(
    "folded",
    [
        "un bureau et une antenne",  # articles, not the number one
        "20 pour cent",  # a share: "cent" stays a word
        "sixteenth century",  # a word that starts like a number is no number
        "dix-huitieme siecle",
    ],
)
def test_words_that_are_not_numbers_stay_as_they_are(folded: str) -> None:
    assert in_digits(folded) == folded


def test_the_table_holds_both_languages() -> None:
    assert WORDS["eighteen"] == WORDS["dix-huit"] == 18
    assert "un" not in WORDS and "one" not in WORDS
