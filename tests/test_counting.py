"""assistant.counting (pure): what a "how many" question counts, and which sentences put a number on it."""

from __future__ import annotations

import pytest

from assistant.counting import counted_of, counts
from assistant.parts import SubQuestion
from assistant.selection import sentences_of


def _counted(question: str) -> frozenset[str]:
    return counted_of(SubQuestion(question, "how_many", ("count",), ()))


def _gives(sentence: str, question: str) -> bool:
    return counts(sentences_of(sentence)[0], _counted(question))


def test_people_are_counted_with_the_words_sentences_use_for_them() -> None:
    assert {"staff", "personnel", "peopl"} <= _counted("How many people work at the DEI")


@pytest.mark.parametrize(
    "question", ["Combien de temps dure une IEA", "combien de temp dure une iea", "how many times"]
)
def test_a_duration_or_a_frequency_counts_nothing(question: str) -> None:
    assert _counted(question) == frozenset()


def test_the_tool_that_names_the_projects_is_not_what_is_counted() -> None:
    assert _counted("Combien de projets IRN sont financés chaque année") == _counted("Combien de projets")


@pytest.mark.parametrize(
    ("sentence", "question", "expected"),
    [
        ("Un IRN rassemble environ 5 à 8 laboratoires au total.", "Combien de labos faut-il", True),
        ("Le bureau tient la comptabilité des quatre IRL du CNRS situés à Singapour.", "Combien d'IRL", True),
        ("About a dozen countries produce 90% of African science.", "how many countries produce most", True),
        (
            "The number of CNRS researchers posted abroad differs: more than 200 in one version.",
            "How many CNRS researchers",
            True,
        ),
        ("Le bureau de Pékin informe les communautés scientifiques des deux pays.", "Combien de pays", False),
        ("L'IEA dure 2 ans, selon l'appel IEA 2021.", "Combien d'IEA", False),
        ("Une IEA apportait chaque année 5 000 à 7 000 € de crédits.", "Combien d'IEA", False),
        ("L'appel IEA 2023 est resté ouvert jusqu'au 28 septembre 2023.", "Combien d'IEA", False),
        ("Selon une page du laboratoire LEMAR, les IRN durent 4 ans.", "Combien de labos faut-il", False),
    ],
)
def test_a_sentence_counts_what_is_asked_only_with_a_number_of_it(
    sentence: str, question: str, expected: bool
) -> None:
    assert _gives(sentence, question) is expected


def test_a_word_stemmed_apart_is_still_the_thing_counted() -> None:
    # "structures" and "structurées" stem differently; "3 des 9 actions structurées" counts them
    assert _gives(
        "L'IISc porte 3 des 9 actions structurées du CNRS avec l'Inde.", "Combien de structures communes"
    )


def test_grants_are_counted_as_laureates_and_projects() -> None:
    assert _gives("Au printemps 2019, le CNRS a dépassé 500 lauréats ERC.", "Combien de bourses ERC")
    assert _gives("Dans Horizon 2020, le CNRS a obtenu 507 projets ERC.", "Combien de bourses ERC")
    assert not _gives("Le CNRS soutient trois programmes d'échanges.", "Combien de bourses ERC")


def test_a_french_verb_after_the_counted_noun_is_not_counted() -> None:
    # "Combien de personnes travaillent à la DEI": people, not "dix instituts, qui travaillent avec la DEI"
    assert not _gives(
        "Le CNRS compte dix instituts, qui travaillent avec la DEI sur la coopération internationale.",
        "Combien de personnes travaillent à la DEI",
    )
