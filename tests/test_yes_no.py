"""Yes or no for closed questions: only when the answering sentence plainly settles the question."""

from __future__ import annotations

import pytest

from assistant.index import StoredChunk
from assistant.retrieval import Hit
from assistant.selection import Candidate, sentences_of
from assistant.yes_no import answers_yes_no, excludes, negated, verdict, with_verdict


def _candidate(text: str, *, subject: float = 1.0, attribute: bool = True, words: float = 0.8) -> Candidate:
    hit = Hit(StoredChunk(id="c1", text=text, meta={"lang": "fr"}), score=1.0)
    return Candidate(sentences_of(text)[0], hit, 2.0, subject, attribute, True, words)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("l'iea n'est pas renouvelable.", True),
        ("aucun appel a projets ne sert a creer un irl.", True),
        ("an iea cannot be renewed.", True),
        ("the iea is non-renewable.", True),
        ("no other member state has a comparable structure.", True),
        ("nobody else runs such a house in brussels.", True),
        ("cnrs@create is a not-for-profit company under singapore law.", False),
        ("the jst, not to be confused with the science and technology days.", False),
        ("un irc est une structure ombrelle, sans murs.", False),
        ("l'iea dure deux ans.", False),
    ],
)
def test_negated(sentence: str, expected: bool) -> None:
    assert negated(sentence) is expected


def test_a_sentence_that_negates_what_is_asked_is_a_no() -> None:
    answer = _candidate("L'IEA dure 2 ans et n'est pas renouvelable.")
    assert verdict("Une IEA peut-elle être renouvelée ?", answer) == "no"


def test_a_sentence_that_names_the_subject_and_holds_the_question_is_a_yes() -> None:
    answer = _candidate("L'appel IEA est ouvert à toutes les disciplines scientifiques.", words=0.7)
    assert verdict("L'appel IEA est-il ouvert à toutes les disciplines ?", answer) == "yes"


@pytest.mark.parametrize(
    ("question", "candidate"),
    [
        # a sentence that only mentions part of what is asked settles nothing
        (
            "Un doctorant peut-il porter une IEA ?",
            _candidate("L'évaluation d'une IEA porte sur le projet.", words=0.3),
        ),
        # a sentence about a neighbour of the subject
        ("Une IEA peut-elle être renouvelée ?", _candidate("Le PICS n'était pas renouvelable.", subject=0.7)),
        # a hedge
        ("Un IRN est-il renouvelable ?", _candidate("Un IRN est parfois renouvelable.")),
        # a sentence that restates the question
        (
            "Is there an open call to create an IRL?",
            _candidate(
                "A researcher asking whether there is an open call to create an IRL should talk to their institute."
            ),
        ),
        # a negative question: "oui" and "non" would be ambiguous
        ("N'y a-t-il pas d'appel pour créer un IRL ?", _candidate("Aucun appel ne sert à créer un IRL.")),
        # the documents' own "not documented" sentence
        (
            "Un IRP est-il renouvelable ?",
            _candidate("La documentation consultée ne précise pas si un IRP est renouvelable."),
        ),
    ],
)
def test_no_verdict_when_the_sentence_does_not_plainly_settle_it(question: str, candidate: Candidate) -> None:
    assert verdict(question, candidate) == ""


def test_a_sentence_with_its_own_yes_or_no_gets_no_second_one() -> None:
    answer = _candidate("Non : aucun appel à projets ne sert à créer un IRL.")
    assert answers_yes_no(answer.text)
    assert verdict("Y a-t-il un appel pour créer un IRL ?", answer) == ""


def test_still_open_answered_by_a_move_is_a_no_but_not_by_a_denied_closure() -> None:
    moved = _candidate("Le bureau Amérique du Sud a été transféré à São Paulo en septembre 2024.")
    assert verdict("Le bureau de Rio existe-t-il encore ?", moved, "closing") == "no"
    denied = _candidate("The Rio office did not close: it was moved to São Paulo in 2024.")
    assert verdict("Is the Rio office still open?", denied, "closing") == ""


@pytest.mark.parametrize(
    ("text", "word", "lang", "expected"),
    [
        ("L'IEA dure 2 ans.", "no", "fr", "Non : l'IEA dure 2 ans."),
        ("Le Japon relève du bureau de Tokyo.", "yes", "fr", "Oui : le Japon relève du bureau de Tokyo."),
        ("The IEA lasts two years.", "no", "en", "No: the IEA lasts two years."),
        ("Japan is covered by the Tokyo office.", "no", "en", "No. Japan is covered by the Tokyo office."),
        ("CNRS@CREATE est une filiale.", "yes", "fr", "Oui. CNRS@CREATE est une filiale."),
    ],
)
def test_with_verdict_lowers_only_a_common_first_word(text: str, word: str, lang: str, expected: str) -> None:
    assert with_verdict(text, word, lang) == expected


# -- closed questions that "yes" or "no" does not settle, and plain noes ----------------------------------


def test_a_question_offering_two_options_gets_no_verdict() -> None:
    # "Oui" to "one region, or several continents?" says nothing
    answer = _candidate("Un IRN peut traiter un seul thème dans plusieurs régions du monde.")
    question = (
        "Un IRN doit-il porter sur une seule région du monde, ou peut-on couvrir plusieurs continents ?"
    )
    assert verdict(question, answer) == ""
    # "ou pas" still asks yes or no
    assert (
        verdict("L'IEA est-elle renouvelable ou pas ?", _candidate("L'IEA n'est pas renouvelable.")) == "no"
    )


def test_a_sentence_that_leaves_out_what_is_asked_is_a_plain_no() -> None:
    answer = _candidate("Selon l'appel INSHS 2025, un IRP reçoit jusqu'à 14 000 € par an, sans salaires.")
    assert verdict("Peut-on payer un salaire de post-doc avec les crédits de l'IRP ?", answer) == "no"
    assert excludes(
        "Peut-on payer un salaire de post-doc avec les crédits de l'IRP ?", answer.sentence.folded
    )
    # the question says "without" too: the sentence agrees with it
    first = _candidate("A first collaboration, without joint publications, fits the IEA.")
    assert verdict("Can we apply for an IEA without joint publications?", first) == "yes"


def test_a_single_one_where_several_are_asked_is_a_no() -> None:
    answer = _candidate("An IRL involves partners from a single foreign country.")
    assert verdict("Can an IRL have partners from two foreign countries?", answer) == "no"
    assert verdict("Is an IRL run with a single foreign country?", answer) != "no"


def test_can_it_help_is_settled_only_by_a_sentence_that_says_it_helps() -> None:
    what_it_is = _candidate(
        "Le bureau de Bruxelles représente le CNRS auprès des institutions de l'Union européenne."
    )
    assert verdict("Le bureau de Bruxelles peut-il m'aider ?", what_it_is) == ""
    helps = _candidate("The South America office welcomes and guides researchers and identifies partners.")
    assert verdict("Can the South America office help me?", helps) == "yes"


def test_a_verdict_before_selon_is_joined_with_a_colon() -> None:
    assert with_verdict("Selon l'appel 2025, sans salaires.", "no", "fr").startswith("Non : selon")
