"""Tests of assistant.selection (pure): the features of a passage's sentences, and how a sentence is scored
for one part of a question: its subject (1 / 0.8 / 0.7 / 0.6 / 0.5 / 0), the attribute and the kind of
value asked, the time asked, and what makes a sentence a poor reply. Hits, entities and sub-questions
are built by hand; the sentences are invented."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answering import question_units
from assistant.index import StoredChunk
from assistant.question import Entity, SubQuestion
from assistant.retrieval import Hit
from assistant.selection import (
    Candidate,
    Sentence,
    enumerates,
    gives_attribute,
    holds_value,
    jaccard,
    neighbours,
    score,
    sentences_of,
    subject_match,
    time_match,
)

TOKYO = Entity(
    "office",
    "tokyo",
    {"fr": "le bureau du CNRS à Tokyo", "en": "the CNRS office in Tokyo"},
    ("tokyo",),
    office="tokyo",
    pages=("en/office-tokyo", "fr/office-tokyo"),
)
IRP = Entity(
    "tool",
    "IRP",
    {"fr": "IRP", "en": "IRP"},
    ("international research project", "irp"),
    pages=("en/tool-irp",),
)
CROSSING = Entity("name", "CROSSING", {"fr": "CROSSING", "en": "CROSSING"}, ("crossing",))
KUJOYAMA = Entity("name", "Villa Kujoyama", {"en": "Villa Kujoyama"}, ("villa kujoyama",))


def _hit(
    text: str = "Filler.",
    *,
    title: str = "",
    section: str = "",
    doc_id: str = "en/page",
    office: str | None = None,
    topic: str | None = None,
    cid: str = "c1",
) -> Hit:
    meta: dict[str, str] = {"lang": "en", "title": title, "section": section, "doc_id": doc_id}
    if office:
        meta["office"] = office
    if topic:
        meta["topic"] = topic
    return Hit(StoredChunk(cid, text, meta), 1.0)


def _one(text: str) -> Sentence:
    [sentence] = sentences_of(text)
    return sentence


def _sub(
    text: str,
    intent: str = "general",
    attributes: tuple[str, ...] = (),
    entities: tuple[Entity, ...] = (TOKYO,),
    years: tuple[int, ...] = (),
    time: str | None = None,
) -> SubQuestion:
    return SubQuestion(text, intent, attributes, entities, years, time)


def _score(text: str, sub: SubQuestion, hit: Hit | None = None) -> Candidate:
    return score(_one(text), hit or _hit(text), sub, [], primary=sub.entities)


WHO_HEADS = _sub("Who heads the Tokyo office?", "who", ("director",))


# --- sentences_of ---------------------------------------------------------------------------------


def test_sentences_of_numbers_sentences_in_chunk_order() -> None:
    sentences = sentences_of("The office opened in 1994. It moved in 2004.\n- It covers Japan.")
    assert [(s.position, s.text) for s in sentences] == [
        (0, "The office opened in 1994."),
        (1, "It moved in 2004."),
        (2, "It covers Japan."),
    ]


def test_sentences_of_reads_years_and_dates() -> None:
    sentence = _one("Le bureau a ouvert ses portes le 1er octobre 2024.")
    assert sentence.years == frozenset({2024})
    assert sentence.date


def test_sentences_of_date_without_a_year() -> None:
    sentence = _one("The call closes on 12 March.")
    assert sentence.date and sentence.years == frozenset()


def test_sentences_of_a_year_alone_is_not_a_number() -> None:
    assert not _one("The office opened in 1994.").number
    assert _one("The action lasts four years.").number


def test_sentences_of_persons_are_runs_of_capitalised_words() -> None:
    sentence = _one("Anne-Laure Vidal succeeded Luc Le Calvez at the head of the office.")
    assert sentence.persons == ("Anne-Laure Vidal", "Luc Le Calvez")


@pytest.mark.parametrize(
    "text",
    [
        "The office is hosted by the University of Kyoto.",
        "Le bureau est installé à la Maison Franco-Japonaise.",
        "According to Science Po the office opened.",
    ],
)
def test_sentences_of_institutions_are_not_persons(text: str) -> None:
    assert _one(text).persons == ()


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("No source consulted gives the name of her successor.", "gap"),
        ("Aucune source consultée ne précise la date de fermeture.", "gap"),
        ("These structures last five years.", "dangling"),
        ("Donc le bureau a fermé.", "dangling"),
        ("See the page of the Tokyo office.", "pointer"),
        ("La page du bureau détaille ses missions.", "pointer"),
        ("Les sources divergent sur la date d'ouverture.", "disagreement"),
        ("The CNRS chose three main challenges.", "announces"),
        ("The office has the following goals:", "announces"),
    ],
)
def test_sentences_of_flags_what_makes_a_poor_reply(text: str, flag: str) -> None:
    assert getattr(_one(text), flag) is True


@pytest.mark.parametrize(
    "text",
    [
        "Collaboration établie, partenaires d'un ou deux pays — IRP (ex-LIA)",
        "Un réseau réunit de 5 à 8 laboratoires.",
        "A network gathers five to eight laboratories.",
    ],
)
def test_a_range_announces_no_list(text: str) -> None:
    # "un ou deux pays", "5 à 8 laboratoires": how many there may be, not the items that follow
    assert _one(text).announces is False


def test_sentences_of_plain_sentence_has_no_flag() -> None:
    sentence = _one("The CNRS office in Tokyo opened in 1994.")
    flags = ("gap", "dangling", "pointer", "disagreement", "announces")
    assert [f for f in flags if getattr(sentence, f)] == []


# --- subject_match --------------------------------------------------------------------------------


def test_subject_match_sentence_names_the_subject() -> None:
    assert subject_match(_one("The Tokyo office opened in 1994."), _hit(), [TOKYO]) == 1.0


def test_subject_match_names_it_after_another_structure() -> None:
    sentence = _one("The former LIA, which the IRP replaced, lasted four years.")
    assert subject_match(sentence, _hit(), [IRP]) == 0.8


def test_subject_match_names_it_after_a_rival() -> None:
    sentence = _one("Like the Beijing office, the Tokyo office opened in the 1990s.")
    assert subject_match(sentence, _hit(), [TOKYO], rivals=["beijing", "tokyo"]) == 0.8
    assert subject_match(sentence, _hit(), [TOKYO]) == 1.0


def test_subject_match_rival_named_after_the_subject_does_not_count() -> None:
    sentence = _one("The Tokyo office opened before the Beijing office.")
    assert subject_match(sentence, _hit(), [TOKYO], rivals=["beijing"]) == 1.0


def test_subject_match_type_word_right_before_the_name_does_not_count() -> None:
    sentence = _one("L'IRL CROSSING réunit des équipes françaises et australiennes.")
    assert subject_match(sentence, _hit(), [CROSSING]) == 1.0


def test_subject_match_section_heading_names_it() -> None:
    hit = _hit(section="The CNRS office in Tokyo")
    assert subject_match(_one("The office opened in 1994."), hit, [TOKYO]) == 0.7


def test_subject_match_another_sentence_of_the_passage_names_it() -> None:
    hit = _hit("The office opened in 1994. It stands in Tokyo.")
    assert subject_match(_one("The office opened in 1994."), hit, [TOKYO]) == 0.6


def test_subject_match_page_of_the_subject() -> None:
    assert subject_match(_one("The office opened in 1994."), _hit(doc_id="fr/office-tokyo"), [TOKYO]) == 0.5


def test_subject_match_passage_of_the_subject_office() -> None:
    assert subject_match(_one("The office opened in 1994."), _hit(office="tokyo"), [TOKYO]) == 0.5


def test_subject_match_zero_for_another_subject() -> None:
    hit = _hit("The Beijing office opened in 1995.", title="CNRS office in Beijing", office="beijing")
    assert subject_match(_one("The Beijing office opened in 1995."), hit, [TOKYO]) == 0.0


def test_subject_match_best_of_several_subjects() -> None:
    assert subject_match(_one("The IRP lasts five years."), _hit(), [TOKYO, IRP]) == 1.0


def test_subject_match_one_without_subjects() -> None:
    assert subject_match(_one("The office opened in 1994."), _hit(), []) == 1.0


def test_subject_match_alias_inside_a_longer_word_does_not_count() -> None:
    assert subject_match(_one("Tokyoites visit the office."), _hit(), [TOKYO]) == 0.0


# --- gives_attribute ------------------------------------------------------------------------------


def test_gives_attribute_true_when_nothing_is_asked() -> None:
    assert gives_attribute(_one("The office opened in 1994."), ())


@pytest.mark.parametrize(
    "text",
    [
        "Jean Dupont heads the Tokyo office.",
        "Le bureau de Tokyo est dirigé par Jean Dupont.",
        "Jean Dupont est le directeur du bureau de Tokyo.",
    ],
)
def test_gives_attribute_director_of_the_office(text: str) -> None:
    assert gives_attribute(_one(text), ("director",))


@pytest.mark.parametrize(
    "text",
    [
        "Le directeur général du CNRS, Jean Dupont, a inauguré le bureau.",
        "The CNRS director general John Smith opened the office.",
        "The research director Anne Roy leads the team in Tokyo.",
    ],
)
def test_gives_attribute_director_general_is_not_the_office_director(text: str) -> None:
    assert not gives_attribute(_one(text), ("director",))


def test_gives_attribute_office_director_next_to_the_director_general() -> None:
    text = "Jean Dupont, directeur du bureau, a accueilli le directeur général du CNRS."
    assert gives_attribute(_one(text), ("director",))


def test_gives_attribute_any_of_the_asked_attributes() -> None:
    sentence = _one("The action lasts four years.")
    assert gives_attribute(sentence, ("director", "duration"))
    assert not gives_attribute(sentence, ("director",))


# --- holds_value ----------------------------------------------------------------------------------


def test_holds_value_person_needs_a_name() -> None:
    assert holds_value(_one("Jean Dupont heads the office."), "person")
    assert not holds_value(_one("A physicist heads the office."), "person")


def test_holds_value_person_is_not_the_subject_own_name() -> None:
    sentence = _one("Villa Kujoyama hosts artists in residence.")
    assert holds_value(sentence, "person")
    assert not holds_value(sentence, "person", exclude=KUJOYAMA.aliases)


def test_holds_value_date() -> None:
    assert holds_value(_one("The office opened on 3 May."), "date")
    assert not holds_value(_one("The office opened in spring."), "date")


def test_holds_value_number_is_not_a_year() -> None:
    assert holds_value(_one("The action lasts four years."), "number")
    assert not holds_value(_one("The action started in 2019."), "number")


def test_holds_value_place_is_a_named_place_or_a_venue() -> None:
    assert holds_value(_one("The office sits in the Kasumigaseki Tower."), "place")
    assert holds_value(_one("Le bureau est hébergé à l'ambassade de France."), "place")
    assert not holds_value(_one("The office is in Tokyo."), "place", exclude=("tokyo",))


def test_holds_value_anything_when_no_kind_is_asked() -> None:
    assert holds_value(_one("The action funds travel."), "")


# --- time_match -----------------------------------------------------------------------------------


def test_time_match_year_asked() -> None:
    assert time_match(_one("In 2017 the office moved."), _sub("q", years=(2017,))) == 1.0


def test_time_match_around_a_year_accepts_the_next_one() -> None:
    assert time_match(_one("In 2018 the office moved."), _sub("q", years=(2017,), time="around")) == 0.6


def test_time_match_another_year_is_penalised() -> None:
    assert time_match(_one("In 2009 the office moved."), _sub("q", years=(2017,))) == -0.3


def test_time_match_first() -> None:
    assert time_match(_one("The first director was Jean Dupont."), _sub("q", time="first")) == 0.8


def test_time_match_today_prefers_a_recent_year() -> None:
    sub = _sub("q", time="today")
    assert time_match(_one("Since 2023 Anne Roy heads it."), sub) == 0.4
    assert time_match(_one("Since 2012 Anne Roy heads it."), sub) == 0.2  # still true when written
    older, newer = _one("In 2012 Anne Roy becomes its head."), _one("In 2019 Paul Roy becomes its head.")
    # of two older statements the later is nearer today: a tie-break far below a recent or "since" one
    assert 0.0 < time_match(older, sub) < time_match(newer, sub) <= 0.1


def test_time_match_today_puts_who_it_was_below_who_it_is() -> None:
    sub = _sub("q", time="today")
    undated = time_match(_one("The office website lists Anne Roy as its director."), sub)
    older, newer = _one("In 2012 Paul Roy headed it."), _one("Around 2017 Paul Roy was its director.")
    # "headed", "was": who led it then, below an undated present statement; the later of the two first
    assert time_match(older, sub) < time_match(newer, sub) < undated == 0.0
    # "has headed since": still true when written, not a past statement
    assert time_match(_one("Since 2021, Anne Roy has headed it."), sub) == 0.2


def test_time_match_since_a_year() -> None:
    sub = _sub("Qui dirige le bureau depuis 2021 ?", years=(2021,), time="since")
    assert time_match(_one("Depuis fin 2021, Anne Roy dirige le bureau."), sub) == 1.0


def test_time_match_since_a_year_rejects_a_period_ending_that_year() -> None:
    sub = _sub("Qui dirige le bureau depuis 2021 ?", years=(2021,), time="since")
    assert time_match(_one("De 2017 à 2021, Jean Dupont a dirigé le bureau."), sub) == -0.3


def test_time_match_zero_when_no_time_is_asked() -> None:
    assert time_match(_one("In 2017 the office moved."), _sub("q")) == 0.0


# --- score ----------------------------------------------------------------------------------------


def test_score_candidate_records_subject_attribute_and_value() -> None:
    candidate = _score("Jean Dupont heads the Tokyo office.", WHO_HEADS)
    assert (candidate.subject, candidate.attribute, candidate.value) == (1.0, True, True)
    assert candidate.serves


def test_score_answering_sentence_ranks_above_one_without_the_value() -> None:
    named = _score("Jean Dupont heads the Tokyo office.", WHO_HEADS)
    unnamed = _score("A physicist heads the Tokyo office.", WHO_HEADS)
    assert not unnamed.serves
    assert named.score > unnamed.score


def test_score_sentence_about_another_subject_does_not_serve() -> None:
    candidate = _score("Jean Dupont heads the Beijing office.", WHO_HEADS)
    assert candidate.subject == 0.0 and not candidate.serves


def test_score_gap_sentence_does_not_serve() -> None:
    candidate = _score(
        "No source gives the date when Jean Dupont left the head of the Tokyo office.", WHO_HEADS
    )
    assert candidate.subject and candidate.attribute and candidate.value
    assert not candidate.serves


def test_score_words_is_the_share_of_the_question_words() -> None:
    units = question_units("Who heads the Tokyo office?", lambda stem: 1.0)
    sentence = _one("Jean Dupont heads the office.")
    candidate = score(sentence, _hit(), WHO_HEADS, units, primary=[TOKYO])
    assert candidate.words == pytest.approx(2 / 3)  # heads, office; not Tokyo


def test_score_lowers_a_pointer_sentence() -> None:
    sentence = _one("Jean Dupont heads the Tokyo office.")
    plain = score(sentence, _hit(), WHO_HEADS, [], primary=[TOKYO])
    flagged = score(replace(sentence, pointer=True), _hit(), WHO_HEADS, [], primary=[TOKYO])
    assert flagged.score < plain.score


def test_score_lowers_a_dangling_sentence() -> None:
    sentence = _one("Jean Dupont heads the Tokyo office.")
    plain = score(sentence, _hit(), WHO_HEADS, [], primary=[TOKYO])
    flagged = score(replace(sentence, dangling=True), _hit(), WHO_HEADS, [], primary=[TOKYO])
    assert flagged.score < plain.score


def test_score_lowers_a_very_long_sentence() -> None:
    short = "Jean Dupont heads the Tokyo office."
    long = short[:-1] + ", " + ", ".join(["which works with Japanese universities"] * 9) + "."
    assert len(long) > 320
    assert _score(long, WHO_HEADS).score < _score(short, WHO_HEADS).score


def test_score_definition_prefers_the_glossary() -> None:
    sub = _sub("What is an IRP?", "definition", entities=(IRP,))
    text = "An IRP is a collaboration between a CNRS lab and a foreign lab."
    glossary = _score(text, sub, _hit(text, topic="glossary"))
    other = _score(text, sub, _hit(text, topic="tool"))
    assert glossary.score > other.score


def test_score_list_question_prefers_an_enumerating_sentence() -> None:
    text = "The Tokyo office covers three countries: Japan, South Korea and Taiwan."
    as_list = _score(text, _sub("Which countries does the Tokyo office cover?", "list", ("zone",)))
    as_general = _score(text, _sub("Which countries does the Tokyo office cover?", "general", ("zone",)))
    assert as_list.score > as_general.score


def test_score_example_asked_prefers_a_sentence_with_an_example() -> None:
    sub = _sub("Give an example of an IRP", "general", entities=(IRP,))
    example = _score("An IRP links labs, for example in Chile.", sub)
    plain = _score("An IRP links labs, mostly in Chile.", sub)
    assert example.score > plain.score


def test_score_who_pays_prefers_a_sentence_naming_the_payer() -> None:
    sub = _sub("Who funds an IRP?", "who", ("funding",), entities=(IRP,))
    payer = _score("An IRP is funded by all of its partners.", sub)
    plain = _score("An IRP is funded for five years.", sub)
    assert payer.score > plain.score


def test_score_secondary_subject_adds() -> None:
    sentence = _one("The Tokyo office supports the IRP.")
    sub = _sub("q", "general")
    alone = score(sentence, _hit(), sub, [], primary=[TOKYO])
    both = score(sentence, _hit(), sub, [], primary=[TOKYO], secondary=[IRP])
    assert both.score > alone.score


def test_score_retrieval_adds() -> None:
    sentence = _one("The Tokyo office opened in 1994.")
    sub = _sub("q")
    assert score(sentence, _hit(), sub, [], primary=[TOKYO], retrieval=1.0).score > (
        score(sentence, _hit(), sub, [], primary=[TOKYO]).score
    )


def test_score_subject_outweighs_attribute_and_value() -> None:
    # A part about Tokyo does not take Beijing's director, even over a Tokyo sentence without a name.
    other = _score("Jean Dupont heads the Beijing office.", WHO_HEADS)
    own = _score("A physicist heads the Tokyo office.", WHO_HEADS)
    assert own.score > other.score


# --- enumerates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Le CNRS a lancé quatre appels : Amorçage, Mobilité, Écoles d'été et Ateliers.",
        "The three partner organisations are IRD, INRAE and CIRAD.",
        "It covers Myanmar (Burma, also known as Birmanie in French), Laos and Cambodia.",
    ],
)
def test_enumerates_a_sentence_listing_three_short_items(text: str) -> None:
    assert enumerates(_one(text))


@pytest.mark.parametrize(
    "text",
    [
        "It covers Myanmar and Laos.",
        "It covers Myanmar, Laos, Cambodia.",
        "Three goals: a network of laboratories working together on the long term, training and mobility.",
    ],
)
def test_enumerates_not_two_items_nor_without_a_conjunction_nor_long_items(text: str) -> None:
    assert not enumerates(_one(text))


# --- neighbours, jaccard --------------------------------------------------------------------------


def test_neighbours_are_the_following_sentences_of_the_chunk() -> None:
    hit = _hit("The office has three goals. Training. Mobility. Networks.")
    first = sentences_of(hit.chunk.text)[1]
    assert [s.text for s in neighbours(hit, first)] == ["Mobility.", "Networks."]


def test_jaccard_shared_over_all_and_zero_when_empty() -> None:
    assert jaccard(frozenset({"a", "b"}), frozenset({"b", "c"})) == pytest.approx(1 / 3)
    assert jaccard(frozenset(), frozenset({"a"})) == 0.0


def test_enumerates_a_glossary_line_whose_items_follow_its_last_colon() -> None:
    line = (
        "ERC (European Research Council ; Conseil européen de la recherche) : l'ERC finance des projets "
        "par cinq appels : Starting, Consolidator, Advanced, Synergy et Proof of Concept."
    )
    assert enumerates(sentences_of(line)[0])


def test_time_match_a_span_of_years_holds_the_year_asked() -> None:
    sentence = sentences_of("Vers 2015-2018, CNRS@ASEAN était dirigé par Luc Le Calvez.")[0]
    asked = SubQuestion("Qui dirigeait le bureau en 2016 ?", "who", ("director",), (), years=(2016,))
    assert time_match(sentence, asked) == 1.0
    other = SubQuestion("Qui dirigeait le bureau en 2020 ?", "who", ("director",), (), years=(2020,))
    assert time_match(sentence, other) < 0


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        (
            "La liste de l'Université de Sherbrooke cite l'IRC Arizona, l'IRC Imperial, l'IRC de Tokyo et l'IRC de São Paulo.",
            True,
        ),
        (
            "Un IRC est piloté par des instances bilatérales, communes au CNRS et à l'institution partenaire.",
            False,
        ),
        ("Antoine Petit, PDG du CNRS, et Paul Alivisatos, président de Chicago, ont signé l'accord.", False),
    ],
)
def test_enumerates_names_after_a_listing_verb_but_not_a_clause(text: str, listed: bool) -> None:
    assert enumerates(sentences_of(text)[0]) is listed
