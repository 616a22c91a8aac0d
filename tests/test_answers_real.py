"""Answers a user reads, on the real corpus with the real bundled model: one new question per kind.

Each test reads the answer as the person who asked would: the first sentence answers, every part of
the question is covered, a list lists, a gap says what is missing, a refusal refuses. The questions are
not those of the evaluation sets; they are of the same kinds. Slow: loads the model, builds the index.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from assistant.analysis import fold
from assistant.citations import Answer
from tests.conftest import PROJECT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (PROJECT / "corpus").is_dir(), reason="no corpus/ folder in this checkout"),
]


def _ask(assistant: Any, question: str, *history: tuple[str, str]) -> Answer:
    turns = [
        m for q, a in history for m in ({"role": "user", "content": q}, {"role": "assistant", "content": a})
    ]
    answer: Answer = assistant.ask(question, turns)
    # Every answer a user reads cites web sources they can open.
    assert all(c.url is None or c.url.startswith(("http://", "https://")) for c in answer.citations)
    return answer


def _first_sentence(answer: Answer) -> str:
    """The first sentence, after its yes or no ("No. Japan is covered by..." -> "Japan is covered by...")."""
    text = re.sub(r"^(Oui|Non|Yes|No)(\.| :|:)\s+", "", answer.text.strip())
    return re.split(r"(?<=[.!?])\s|\n", text, maxsplit=1)[0]


def _bullets(answer: Answer) -> list[str]:
    return [line[2:] for line in answer.text.splitlines() if line.startswith("- ")]


# -- routing ------------------------------------------------------------------------------------------------


def test_a_typed_question_with_typos_finds_the_office(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "quel burau pour le kenia ?")
    assert answer.status == "answered"
    assert "Nairobi" in _first_sentence(answer) and "Kenya" in _first_sentence(answer)
    assert answer.citations


def test_a_country_no_office_covers_is_a_gap_naming_the_pole_at_headquarters(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Which CNRS office covers Norway?")
    assert answer.status == "gap"
    assert (
        answer.text.startswith("Norway is handled by the DEI")
        and "No source consulted assigns it to a CNRS office abroad" in answer.text
    )


def test_finding_a_partner_gives_the_office_then_the_guide_s_steps(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Je cherche un partenaire au Vietnam en chimie, par où commencer ?")
    assert "Singapour" in _first_sentence(answer)
    assert len(_bullets(answer)) == 5 and "étape" in answer.text


def test_a_city_without_an_office_is_refused_with_the_list_of_offices(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Y a-t-il un bureau du CNRS à Lima ?")
    assert answer.refused
    assert answer.text.startswith("La documentation ne mentionne aucun bureau du CNRS à Lima.")
    assert "Tokyo" in answer.text and "Nairobi" in answer.text


def test_a_named_structure_leads_to_the_office_of_its_country(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Which office covers the country where the IRL CROSSING is based?")
    assert "Australia" in answer.text and "Melbourne" in answer.text


def test_a_follow_up_naming_another_country_is_routed_and_its_director_is_today_s(
    real_assistant: Any,
) -> None:
    japan = ("Quel bureau couvre le Japon ?", "Le Japon relève du bureau du CNRS à Tokyo. [1]")
    vietnam = _ask(real_assistant, "Et le Viêt Nam ?", japan)
    assert "Singapour" in _first_sentence(vietnam) and "Tokyo" not in vietnam.text
    director = _ask(real_assistant, "Et qui le dirige ?", japan, ("Et le Viêt Nam ?", vietnam.text))
    assert "Baillargeat" in _first_sentence(director)


def test_the_number_of_offices_is_today_s_with_the_other_counts_dated(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Combien de bureaux le CNRS a-t-il à l'étranger ?")
    assert _first_sentence(answer).startswith("Le CNRS compte 11 bureaux à l'étranger")
    assert "Nairobi" in _first_sentence(answer) and "2010" in answer.text


def test_the_offices_of_a_region_are_counted_and_each_says_what_it_covers(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Quels sont les bureaux du CNRS en Asie ?")
    assert _first_sentence(answer).startswith("Le CNRS a 4 bureaux en Asie")
    bullets = _bullets(answer)
    assert [b.split(" — ")[0] for b in bullets] == ["New Delhi", "Pékin", "Tokyo", "Singapour"]
    assert "Washington" not in answer.text and "Nairobi" not in answer.text
    africa = _ask(real_assistant, "How many offices does the CNRS have in Africa?")
    assert _first_sentence(africa).startswith("The CNRS has 2 offices in Africa: Pretoria and Nairobi")
    assert re.search(r"Nairobi\.\s*\[\d+\]", africa.text), "the count itself is cited"


def test_a_bare_office_and_country_with_typos_or_courtesy_is_routed(real_assistant: Any) -> None:
    korea = _ask(real_assistant, "wich ofice for south korea")
    assert korea.status == "answered" and "Tokyo" in _first_sentence(korea)
    vietnam = _ask(real_assistant, "bureau cnrs pour le vietnam svp")
    assert vietnam.status == "answered" and "Singapour" in _first_sentence(vietnam)
    assert "ne répond pas" not in vietnam.text and "plaît" not in vietnam.text


def test_a_long_message_gets_the_office_of_the_country_it_names_elsewhere(real_assistant: Any) -> None:
    message = (
        "Bonjour, je suis doctorante en sociologie à Lille et mon directeur m'a dit de regarder les dispositifs "
        "du CNRS pour partir travailler quelques mois avec une équipe au Brésil. Je ne sais pas du tout par où "
        "commencer ni quel bureau contacter. Merci d'avance !"
    )
    answer = _ask(real_assistant, message)
    assert "Brésil" in _first_sentence(answer) and "São Paulo" in _first_sentence(answer)
    assert len(_bullets(answer)) == 5


def test_working_with_colleagues_abroad_gets_the_office_and_the_steps(real_assistant: Any) -> None:
    question = (
        "I'm a geologist in Lyon, I'd like to work with colleagues in Peru on volcanoes, what should I do?"
    )
    answer = _ask(real_assistant, question)
    assert not answer.refused
    assert "Peru" in _first_sentence(answer) and "São Paulo" in _first_sentence(answer)
    assert len(_bullets(answer)) == 5 and "step" in answer.text


def test_who_directs_an_office_the_sources_do_not_name_today_says_so_first(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Who directs the CNRS office in Washington?")
    assert answer.status == "gap"
    assert "do not name the current director" in _first_sentence(answer)
    assert "Xavier Morise" in answer.text and "2017" in answer.text


def test_a_closed_routing_question_opens_on_yes_or_no(real_assistant: Any) -> None:
    assert _ask(real_assistant, "Le CNRS a-t-il un bureau en Inde ?").text.startswith("Oui : ")
    wrong_office = _ask(real_assistant, "Is Japan covered by the Beijing office?")
    assert wrong_office.text.startswith("No. ") and "Tokyo" in _first_sentence(wrong_office)


# -- tools: definitions, durations, lists, comparisons --------------------------------------------------


def test_a_definition_opens_on_what_the_thing_is(real_assistant: Any) -> None:
    first = _first_sentence(_ask(real_assistant, "c'est quoi un IRN ?"))
    assert first.startswith(("L'IRN", "Un IRN")) and "International Research Network" in first


def test_a_closed_question_the_documents_settle_opens_on_their_answer(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Can an IEA be renewed?")
    assert answer.text.startswith("No: ")
    assert "two years" in _first_sentence(answer) or "2 years" in _first_sentence(answer)


def test_the_tools_overview_lists_each_current_tool_once(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Quels sont les outils de coopération internationale du CNRS ?")
    bullets = _bullets(answer)
    for tool in ("IEA", "IRP", "IRN", "IRL", "PhD Joint Programs", "IRC"):
        assert sum(tool in b for b in bullets) >= 1, tool
    assert not any(old in answer.text for old in ("PICS (", "LIA (", "GDRI (")), (
        "former tools are not current"
    )
    for tool in ("IEA", "IRP", "IRN", "IRL", "IRC"):
        assert sum(f"{tool} (" in b[:40] for b in bullets) == 1, f"one bullet opens on {tool}"


def test_the_missions_of_derci_are_listed_after_the_sentence_that_counts_them(real_assistant: Any) -> None:
    for question, count, opening in (
        (
            "Quelles sont les missions de la DERCI ?",
            "six grandes missions",
            "La première mission de la DERCI",
        ),
        ("Quelle est la mission de la DERCI ?", "six grandes missions", "La première mission de la DERCI"),
        ("What are DERCI's missions?", "six main missions", "The first mission of DERCI"),
    ):
        answer = _ask(real_assistant, question)
        assert count in _first_sentence(answer), question
        bullets = _bullets(answer)
        assert len(bullets) == 6 and bullets[0].startswith(opening), question
        assert "55" not in answer.text, "missions abroad (trips) are another sense of the word"


def test_the_international_research_centres_are_named(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Quels sont les centres de recherche internationaux du CNRS ?")
    for irc in ("Arizona", "Imperial", "Tokyo", "Chicago", "São Paulo"):
        assert irc in _first_sentence(answer), irc


def test_choosing_a_tool_without_the_collaboration_s_stage_shows_every_tool(real_assistant: Any) -> None:
    question = "Je suis biologiste, je voudrais collaborer avec une équipe en Inde : quel outil choisir ?"
    answer = _ask(real_assistant, question)
    assert _first_sentence(answer).startswith("Le choix de l'outil dépend du stade de la collaboration")
    assert [b[:7] for b in _bullets(answer)[:4]] == ["L'IEA (", "L'IRP (", "L'IRN (", "L'IRL ("]
    assert "New Delhi" in answer.text
    assert "sélectionnés" not in answer.text, "choosing a tool is not how projects are selected"


def test_a_follow_up_naming_another_tool_asks_the_same_thing_about_it(real_assistant: Any) -> None:
    first = ("Combien de temps dure une IEA ?", "L'IEA dure 2 ans et n'est pas renouvelable. [1]")
    answer = _ask(real_assistant, "Et un IRP ?", first)
    assert "IRP" in _first_sentence(answer) and "5 ans" in _first_sentence(answer)


def test_what_comes_after_a_tool_is_the_next_step_of_the_ladder(real_assistant: Any) -> None:
    after = _ask(real_assistant, "and what comes after it?", ("What is an IRP?", "The IRP is ... [1]"))
    assert _first_sentence(after) == "After the IRP, the next step of the cooperation is the IRL."
    assert "IRL" in after.text.split(". ", 1)[1] and all(s.url for s in after.citations)
    first = _ask(real_assistant, "Et après une IEA, on fait quoi ?")
    assert _first_sentence(first) == "Après l'IEA, l'étape suivante de la coopération est l'IRP."
    top = _ask(real_assistant, "What comes after an IRL?")
    assert _first_sentence(top).startswith("The IRL is the last step") and "four steps" in top.text


def test_how_much_funding_is_answered_with_an_amount(real_assistant: Any) -> None:
    irp = _ask(real_assistant, "how much funding does it get?", ("What is an IRP?", "The IRP is ... [1]"))
    assert "€" in _first_sentence(irp)
    iea = _ask(real_assistant, "Combien finance une IEA ?")
    assert "5 000 €" in _first_sentence(iea) and "7 000 €" in _first_sentence(iea)


def test_a_comparison_of_two_properties_gives_each_property_of_each_side(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Comparez l'IEA et l'IRP : durée et financement")
    sentences = re.split(r"(?<=\])\s+", answer.text)
    assert "IEA" in sentences[0] and "2 ans" in sentences[0]
    assert "IRP" in sentences[1] and "5 ans" in sentences[1]
    assert "5 000 €" in sentences[2] and "14 000 €" in sentences[3]
    irl = _ask(real_assistant, "Compare IRL and IRN: duration and funding")
    assert "IRL: the documentation does not give its funding." in irl.text, (
        "a side the documents do not give is named"
    )
    assert "laboratories in total" not in irl.text, "a number of laboratories is no duration"


def test_what_a_former_tool_became_is_the_sentence_that_relates_it_to_its_successor(
    real_assistant: Any,
) -> None:
    answer = _ask(real_assistant, "Par quoi l'UMI a-t-elle été remplacée ?")
    assert "UMI" in _first_sentence(answer) and "IRL" in _first_sentence(answer)
    pics = _ask(real_assistant, "What did the PICS become?")
    assert "PICS" in _first_sentence(pics) and "IEA" in _first_sentence(pics)


def test_who_is_a_named_person_says_what_they_are(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Who is Antoine Petit?")
    assert _first_sentence(answer).startswith("Antoine Petit") and "CEO" in _first_sentence(answer)


def test_one_passage_giving_several_figures_is_no_disagreement(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "How many ERC grants does the CNRS have?")
    # one call's figures side by side are no disagreement between sources
    assert "disagree" not in answer.text and re.search(
        r"ERC .*\b\d+ (grants|grantees)|\b\d+ ERC (grants|grantees)", _first_sentence(answer)
    )


def test_a_comparison_gives_each_side(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "What is the difference between an IRN and an IRP?")
    assert "IRN" in answer.text and "IRP" in answer.text
    assert "network" in answer.text.lower() and "consolidat" in answer.text.lower()


def test_sources_that_disagree_are_shown_side_by_side_with_their_sources(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "How long does an IRN last?")
    assert "disagree" in _first_sentence(answer).lower()
    assert "five years" in answer.text and "four years" in answer.text
    assert len(answer.citations) >= 2  # each duration with its own source


def test_creating_a_laboratory_is_answered_with_how_not_with_a_call(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Comment créer un IRL ?")
    assert "aucun appel" in answer.text.lower() or "pas d'appel" in answer.text.lower()
    assert "institut" in answer.text


def test_setting_up_a_tool_with_a_foreign_partner_says_how_then_which_office(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Comment monter un IRL avec une université japonaise ?")
    assert "aucun appel" in _first_sentence(answer).lower() and "institut" in _first_sentence(answer)
    assert "Tokyo" in answer.text and "PhD Joint Programs" not in answer.text
    irp = _ask(real_assistant, "How do I set up an IRP with a Brazilian lab?")
    assert "NOA" in _first_sentence(irp) and "São Paulo" in irp.text
    assert "lasts five years" not in irp.text, "a duration is not how to set it up"


# -- gaps and refusals ------------------------------------------------------------------------------------


def test_a_question_the_documents_do_not_answer_says_so_plainly(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Un doctorant peut-il porter une IEA ?")
    # no rule on doctoral students: no yes or no, but that plainly, then who carries an IEA
    assert _first_sentence(answer).startswith(
        "La documentation ne traite pas explicitement le cas « doctorant »"
    )
    assert "porteur" in answer.text and not answer.text.startswith(("Oui", "Non"))


def test_today_is_not_answered_with_a_first_director(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Who heads the New Delhi office today?")
    assert answer.status == "gap"
    assert "current director" in _first_sentence(answer)


def test_a_follow_up_after_asking_who_heads_an_office_is_still_about_the_office(real_assistant: Any) -> None:
    route = ("Quel bureau couvre la Thaïlande ?", "La Thaïlande relève du bureau du CNRS à Singapour. [1]")
    head = (
        "Qui le dirige ?",
        "Depuis la scission de fin 2021, Dominique Baillargeat dirige le bureau de Singapour, qui gère "
        "l'ASEAN et la filiale CNRS@CREATE. [1]",
    )
    answer = _ask(real_assistant, "Et depuis quand existe-t-il ?", route, head)
    assert "2014" in _first_sentence(answer) and "Singapour" in _first_sentence(answer)
    assert "CNRS@CREATE" not in answer.text and "Baillargeat" not in answer.text


def test_a_year_no_passage_speaks_of_gets_the_nearest_years_not_an_undated_sentence(
    real_assistant: Any,
) -> None:
    answer = _ask(real_assistant, "Qui dirigeait la DERCI en 2015 ?")
    assert answer.status == "gap"
    assert "la documentation ne donne pas" in _first_sentence(answer) and "2015" in _first_sentence(answer)
    assert "Minh-Hà Pham-Delègue" in answer.text and "Christelle Roy" in answer.text
    assert "neurobiologie" not in answer.text, "her career is not who headed DERCI in 2015"


def test_the_head_of_the_directorate_is_not_the_head_of_one_of_its_poles(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Qui dirige la DEI en 2024 ?")
    assert "Christelle Roy" in _first_sentence(answer)
    assert "Snoeck" not in answer.text


def test_an_opening_year_no_source_gives_is_said_plainly(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Quand le bureau de Tokyo a-t-il ouvert ?")
    assert answer.status == "gap"
    assert "aucune des sources" in _first_sentence(answer) and "1997" in answer.text
    assert "JRL" not in answer.text and "IRC" not in answer.text, "another structure's opening is no answer"


def test_a_move_is_not_a_disagreement_on_the_opening_year(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "When did the Beijing office open?")
    assert "1995" in _first_sentence(answer)
    assert "disagree" not in answer.text


def test_a_count_in_one_country_and_the_total_are_not_mixed(real_assistant: Any) -> None:
    japan = _ask(real_assistant, "How many IRLs are there in Japan?")
    assert "11" in _first_sentence(japan) and "Japan" in _first_sentence(japan)
    assert "75" not in japan.text and "80" not in japan.text, "world totals are no side of Japan's count"
    total = _ask(real_assistant, "How many IRLs does the CNRS have?")
    assert "75" in total.text and "80" in total.text and "Japan" not in total.text
    french = _ask(real_assistant, "Combien d'IRL compte le CNRS ?")
    assert "80" in _first_sentence(french) and "5 ans" not in french.text, "a duration is not a count"


def test_a_place_named_in_passing_does_not_make_a_question_in_scope(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "What's the weather in Paris?")
    assert answer.refused and "offices week" not in answer.text


def test_a_tool_property_asked_of_no_tool_is_not_answered_with_a_tool_s(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Quel est le budget du CNRS ?")
    assert "IRP" not in _first_sentence(answer) and "14 000" not in answer.text
    assert answer.refused or answer.status == "gap"


def test_a_question_out_of_scope_is_refused(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Quelle est la meilleure recette de crêpes ?")
    assert answer.refused and not answer.citations


def test_an_office_that_moved_is_not_said_to_be_open(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Le bureau de Rio existe-t-il encore ?")
    assert answer.text.startswith("Non : ") and "São Paulo" in answer.text
    open_office = _ask(real_assistant, "Le bureau de Tokyo est-il toujours ouvert ?")
    assert open_office.text.startswith("Oui : ")
    closed = _ask(real_assistant, "Is the Malta office still open?")
    assert closed.text.startswith("No. ") and "closed" in closed.text
    assert not _ask(real_assistant, "Le bureau de Hanoï existe-t-il encore ?").refused


# -- saying what was asked and no more ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["Peux-tu traduire ce paragraphe en allemand ?", "Write me a poem about autumn."]
)
def test_a_request_with_nothing_of_the_domain_gets_one_scope_sentence(
    real_assistant: Any, question: str
) -> None:
    answer = _ask(real_assistant, question)
    assert answer.refused and not answer.citations
    # what the assistant is for, not "related topics" and a DEI contact that cannot help with it
    assert answer.text.count(".") == 1 and "DEI" in answer.text
    assert not re.search(r"Sujets proches|Related topics|adressez-vous|contact", answer.text)


def test_whom_to_contact_is_answered_by_the_pole_the_route_names(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Existe-t-il un bureau du CNRS pour l'Égypte ? Sinon, à qui m'adresser ?")
    assert "Adressez-vous au pôle Afrique-Moyen-Orient-Inde" in answer.text
    assert "ne répond pas" not in answer.text and answer.citations


def test_a_structure_no_document_mentions_is_said_to_be_unknown(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "I work with the IRL ILANCE. Which office covers its country?")
    assert answer.status == "gap"
    assert _first_sentence(answer).startswith("The documentation consulted never mentions “IRL ILANCE”")
    assert "office in" not in answer.text  # no office guessed for a country nobody named


def test_an_unknown_structure_does_not_hide_the_country_the_question_names(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Je rejoins le LIA ZORGLUB au Japon, quel bureau ?")
    assert _first_sentence(answer).startswith("Le Japon relève du bureau du CNRS à Tokyo")
    assert "« LIA ZORGLUB »" in answer.text and "Chine" not in answer.text


def test_former_offices_are_listed_with_what_became_of_them(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Which CNRS offices have closed?")
    assert _first_sentence(answer) == "The documentation names 6 former CNRS offices abroad, closed or moved:"
    cities = [b.split(" ")[0] for b in _bullets(answer)]
    assert cities == ["New", "Santiago", "Hanoi", "Johannesburg", "Moscow", "Malta"]
    assert "Hanoi (opened in 2007) — moved to Singapore in mid-2014" in answer.text


def test_a_past_tense_routing_question_names_the_former_office_first(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Which office covered Russia?")
    assert answer.status == "answered"
    assert _first_sentence(answer).startswith("A former CNRS office was in Moscow")
    assert "bilateral Europe sector" in answer.text  # and whom to ask today


def test_for_which_countries_a_scheme_is_answered_by_the_region_it_names(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Les DSCA, c'est quoi, et c'est pour quels pays ?")
    assert answer.status == "answered" and "Afrique subsaharienne" in _first_sentence(answer)
    assert "ne répond pas" not in answer.text
    assert answer.text.count("DSCA") == 1  # two pages saying it is one sentence, said once


def test_a_structure_placed_in_an_office_city_is_routed_through_its_country(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Je travaille au LIA HOMEN : quel bureau du CNRS couvre son pays ?")
    assert "L'Afrique du Sud relève du bureau du CNRS à Pretoria" in answer.text
    assert "HOMEN se trouve" not in answer.text


def test_which_office_asked_after_the_route_gave_it_adds_nothing_else(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "L'UMI COMPASS est dans quel pays, et quel bureau du CNRS le suit ?")
    assert "Les États-Unis relèvent du bureau du CNRS à Washington" in answer.text  # plural agreement
    assert "Canada" not in answer.text


def test_a_rule_for_one_country_is_found_though_the_question_words_lose_their_accents(
    real_assistant: Any,
) -> None:
    answer = _ask(
        real_assistant,
        "Je prépare une IEA avec une collègue de Saint-Pétersbourg. Y a-t-il une règle particulière pour la Russie ?",
    )
    assert not answer.refused
    assert "partenaires russes suit la même procédure" in _first_sentence(answer)


def test_a_follow_up_about_the_structure_the_last_answer_named(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Qu'est-ce qui a précédé sa signature ?",
        ("C'est quoi un IRC ?", "Un IRC est un dispositif institutionnel du CNRS. [1]"),
        (
            "Et le tout premier, il a été signé avec qui ?",
            "Le premier IRC a été signé avec l'Université d'Arizona le 14 avril 2021. [1]",
        ),
    )
    assert "dialogue stratégique" in _first_sentence(answer) and "17 novembre 2020" in _first_sentence(answer)


def test_no_gap_is_claimed_for_what_an_earlier_part_already_said(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "LEAs and GDREs: how were they related to LIAs and GDRIs, and what became of them?"
    )
    assert "LEAs became LIAs" in answer.text and "replaced by the IRP" in answer.text
    assert "does not give" not in answer.text


# -- held-out kinds of the last round ------------------------------------------------------------------------


def test_an_established_collaboration_asking_what_to_do_gets_the_tool_of_its_stage(
    real_assistant: Any,
) -> None:
    answer = _ask(
        real_assistant,
        "We have worked with a Korean university for years with many joint papers and want a shared lab. "
        "What should we do?",
    )
    assert "International Research Laboratory (IRL)" in _first_sentence(answer)
    assert "South Korea is covered by the CNRS office in Tokyo" in answer.text


def test_a_network_of_labs_in_a_region_is_not_out_of_scope(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Je veux monter un réseau de plusieurs labos en Europe sur l'écologie : quel outil ?"
    )
    assert not answer.refused and "International Research Network (IRN)" in _first_sentence(answer)


@pytest.mark.parametrize(
    "question", ["Quel est le budget annuel de la DEI ?", "How many people work at the DEI?"]
)
def test_a_figure_about_the_dei_is_not_another_thing_s_figure(real_assistant: Any, question: str) -> None:
    answer = _ask(real_assistant, question)
    assert answer.status == "gap"
    assert not re.search(r"IEA|Tokyo|missions", answer.text)


def test_which_of_two_tools_lasts_longer_gives_both_durations(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "IRN ou IRP : lequel dure le plus longtemps ?")
    assert (
        "Un IRN dure 5 ans" in answer.text
        and "Un IRP (International Research Project) dure 5 ans" in answer.text
    )


def test_a_list_of_tools_with_their_durations_gives_each_duration(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "List the CNRS cooperation tools with their durations.")
    bullets = _bullets(answer)
    assert len(bullets) >= 4 and all(re.search(r"\b(two|five|four) years\b", b) for b in bullets)


def test_and_the_one_in_another_city_asks_the_same_of_it(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Et celui de New Delhi ?",
        (
            "Qui dirige le bureau de Tokyo ?",
            "Jacques Maleval est encore cité comme directeur du bureau de Tokyo en février 2024. [1]",
        ),
    )
    assert "directeur du bureau du CNRS à New Delhi" in _first_sentence(answer)


def test_who_leads_an_office_and_since_when_is_the_latest_dated_director(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Who leads the office responsible for Brazil, and since when?")
    assert _first_sentence(answer).startswith("Olga Anokhina became director") and "2019" in answer.text
    assert "disagree" not in answer.text  # the office's own creation date answers another question


def test_an_opening_no_source_dates_is_a_gap_in_english_too(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "When was the Tokyo office opened?")
    assert answer.status == "gap" and _first_sentence(answer).startswith(
        "None of the sources consulted gives"
    )


def test_what_has_not_happened_yet_is_a_gap_with_what_is_known_now(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Qui sera le prochain directeur de la DEI ?")
    assert answer.status == "gap"
    assert "la documentation ne dit rien de ce qui n'a pas encore eu lieu" in _first_sentence(answer)
    assert "Christelle Roy" in answer.text  # today's, given as such


def test_how_many_countries_an_office_covers_comes_from_the_directory(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Combien de pays couvre le bureau de Pékin ?")
    assert _first_sentence(answer).startswith("Le bureau du CNRS à Pékin couvre 4 pays ou territoires")


def test_how_many_labs_after_what_is_an_irn(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Combien de labos faut-il ?",
        ("C'est quoi un IRN ?", "L'IRN est l'outil du CNRS qui fédère des partenaires. [1]"),
    )
    assert "5 à 8 laboratoires" in _first_sentence(answer) and "dure" not in answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "c'est koi la différence entre iea et irp",
            ("IEA (International Emerging Actions)", "IRP (International"),
        ),
        ("slt, je cherche qui contacter pr une collab en egypte merci", ("pôle Afrique-Moyen-Orient-Inde",)),
        ("hi, quick one, the washingtn office, who runs it rn?", ("do not name the current director",)),
    ],
)
def test_hurried_messages_are_answered(real_assistant: Any, question: str, expected: tuple[str, ...]) -> None:
    answer = _ask(real_assistant, question)
    assert not answer.refused and all(e in answer.text for e in expected)


def test_how_to_create_a_tool_with_partners_in_a_region_gives_the_steps(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Comment créer un IRN avec des partenaires en Amérique latine ?")
    assert "pré-campagne" in _first_sentence(answer) and "NOA" in _first_sentence(answer)


def test_a_relative_who_is_not_a_question_about_a_person(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Le bureau qui couvre le Maroc, c'est lequel ?")
    assert _first_sentence(answer).startswith("Le Maroc relève du pôle Afrique-Moyen-Orient-Inde")


def test_offices_in_the_americas_are_those_of_both_americas(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Quels sont les bureaux du CNRS en Amérique ?")
    assert (
        _first_sentence(answer)
        == "Le CNRS a 3 bureaux sur le continent américain : Washington, Ottawa et São Paulo."
    )


def test_the_former_offices_are_not_today_s(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "List the former CNRS offices abroad.")
    assert _first_sentence(answer).startswith("The documentation names 6 former CNRS offices abroad")


def test_two_countries_handled_at_headquarters_agree_in_number(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Quel bureau pour l'Espagne et l'Italie ?")
    assert "L'Espagne et l'Italie relèvent du secteur Europe bilatérale" in answer.text
    assert "ces pays" in answer.text


def test_a_count_the_documents_do_not_give_is_not_an_amount(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Combien d'IEA le CNRS finance-t-il par an ?")
    assert answer.status == "gap" and "€" not in answer.text and "dure" not in answer.text


def test_ranked_structures_are_listed_in_the_documents_order(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Which IRCs has the CNRS created?")
    bullets = _bullets(answer)
    assert [b.split()[1] for b in bullets] == ["first", "second", "third", "fourth", "fifth"]
    assert "Arizona" in bullets[0] and "Chicago" in bullets[3]


def test_diff_between_two_tools_typed_in_a_hurry(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "diff irp irn ?")
    assert (
        not answer.refused and "IRP (International Research Project)" in answer.text and "IRN" in answer.text
    )


def test_a_count_asked_with_y_a_t_il_is_a_count(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Combien y a-t-il d'IRL dans le monde ?")
    assert "renouvel" not in answer.text and "80" in answer.text and "75" in answer.text


def test_a_count_of_projects_is_not_the_number_of_steps_of_their_call(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Combien de projets IRN sont financés chaque année ?")
    assert answer.status == "gap" and "étapes" not in answer.text


def test_a_typo_in_combien_de_temps_still_asks_a_duration(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "combien de temp dure une iea")
    assert "2 ans" in _first_sentence(answer)


def test_a_closed_office_s_director_is_not_another_office_s(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Who was the director of the Moscow office?")
    assert answer.status == "gap" and "Rapkine" not in answer.text
    assert "Office in Moscow" not in answer.text  # a closed office is nobody to contact


def test_where_an_office_is_comes_with_its_move(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Where is it located?",
        (
            "Which office covers Brazil?",
            "Brazil is covered by the CNRS office in São Paulo (zone: South America). [1]",
        ),
    )
    assert _first_sentence(answer).startswith("The CNRS office in São Paulo is housed here: Maison du CNRS")
    assert "Rio de Janeiro" in answer.text and "consulate" not in answer.text


# -- kinds read on held-out set F (2026-12-06, second session) ------------------------------------------------


def test_two_offices_compared_by_the_countries_each_covers(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "What's the difference between the Tokyo and Singapore offices?")
    assert "Japan" in _first_sentence(answer) and "Tokyo" in _first_sentence(answer)
    assert "ASEAN" in answer.text and "Vietnam" in answer.text
    french = _ask(real_assistant, "Quelle différence entre le bureau de Tokyo et celui de Singapour ?")
    assert "ASEAN" in french.text and "Japon" in _first_sentence(french)


def test_how_to_set_up_a_joint_phd_gives_the_steps_not_the_figures(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Comment monter un programme de doctorat conjoint avec une université étrangère ?"
    )
    assert "directeur de thèse" in _first_sentence(answer) and "60 contrats" not in answer.text
    english = _ask(real_assistant, "How do I set up a joint PhD with a foreign university?")
    assert "supervisor" in _first_sentence(english) and "60 doctoral" not in english.text


def test_values_the_asker_quotes_are_given_side_by_side(real_assistant: Any) -> None:
    umi = _ask(
        real_assistant,
        "Une UMI, c'était créé pour combien de temps ? J'ai vu 4 ans, 5 ans, et même « 4 à 12 ans ».",
    )
    assert "4 ans" in umi.text and "5 ans" in umi.text
    irc = _ask(
        real_assistant,
        "When was the CNRS's first International Research Center, the one with the University of Arizona, "
        "created: 2020 or 2021?",
    )
    assert "2020" in irc.text and "2021" in irc.text
    share = _ask(
        real_assistant,
        "What share of the researchers recruited by the CNRS are foreigners? I've seen two different percentages "
        "on DERCI pages.",
    )
    assert "31.6%" in share.text and "30%" in share.text


def test_he_after_a_who_answer_is_the_person_named(real_assistant: Any) -> None:
    first = _ask(real_assistant, "Qui a été le premier directeur du bureau de Melbourne ?")
    assert "Toutain" in _first_sentence(first)
    before = _ask(
        real_assistant,
        "Et avant ça, il dirigeait quoi ?",
        ("Qui a été le premier directeur du bureau de Melbourne ?", first.text),
    )
    assert "Toutain" in _first_sentence(before) and "Singapour" in _first_sentence(before)


def test_one_of_them_in_a_country_is_looked_for_in_that_country(real_assistant: Any) -> None:
    irc = _ask(real_assistant, "What exactly is a CNRS International Research Center?")
    assert irc.status == "answered" and "IRC" in _first_sentence(irc)
    uk = _ask(
        real_assistant,
        "Is there one in the UK, and since when?",
        ("What exactly is a CNRS International Research Center?", irc.text),
    )
    assert "Imperial College" in _first_sentence(uk) and "2021" in _first_sentence(uk)


def test_a_task_the_assistant_cannot_do_is_out_of_scope(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Je pars dix jours en mission à Tokyo pour mon IRP : tu peux me calculer le montant de mes indemnités "
        "journalières et me réserver un hôtel près de l'université ?",
    )
    assert answer.status == "refused" and "hors du périmètre" in answer.text and not answer.citations


def test_a_when_clause_sets_the_time_of_the_question(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "When the CNRS opened its first office in India, what was it supposed to do?"
    )
    assert "planned" in _first_sentence(answer) and "agreements" not in _first_sentence(answer)
    # "when could it be submitted, how long did it run": two questions, not a clause
    gdri = _ask(
        real_assistant, "Under the old GDRI scheme, when could a GDRI be submitted, how long did it run?"
    )
    assert "any time" in gdri.text and "four years" in gdri.text


def test_what_a_named_scheme_resembles_is_not_tool_advice(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Le programme Core-to-Core de la JSPS, il ressemble à quel outil du CNRS, et dans combien de projets "
        "retenus la France était-elle impliquée en 2020 ?",
    )
    assert "IRN" in _first_sentence(answer) and "5 projets" in answer.text and not _bullets(answer)


def test_a_count_without_a_year_gives_a_total_before_one_call(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Combien de bourses ERC le CNRS a-t-il obtenues ?")
    assert not re.search(r"\bappel\b", _first_sentence(answer)) and re.search(
        r"\b50\d\b", _first_sentence(answer)
    )


def test_who_leads_it_now_prefers_the_present_listing_to_a_past_mention(real_assistant: Any) -> None:
    chile = _ask(real_assistant, "Quel bureau couvre le Chili ?")
    director = _ask(real_assistant, "Et qui le dirige ?", ("Quel bureau couvre le Chili ?", chile.text))
    assert "Liviu Nicu" in _first_sentence(director) and "Fudym" not in _first_sentence(director)


def test_both_sides_after_a_country_question_is_that_country(real_assistant: Any) -> None:
    first = (
        "How much do CNRS researchers co-publish with Canada?",
        "The CNRS and Canadian researchers co-author more than 2,400 articles a year. [1]",
    )
    answer = _ask(
        real_assistant, "And for how long have researchers from both sides been working together?", first
    )
    assert "60 years" in _first_sentence(answer)


def test_a_scheme_an_answer_names_is_what_the_next_parts_ask_about(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "I'm a professor at the University of Toronto and a CNRS colleague and I would like to co-supervise PhD "
        "students. Is there a CNRS scheme for this with Toronto, how and when do we apply, and which CNRS office "
        "covers Canada?",
    )
    assert _first_sentence(answer).startswith("Yes") or "PhD Joint Programs" in _first_sentence(answer)
    assert "September to October" in answer.text and "supervisor" in answer.text and "Ottawa" in answer.text
    assert "does not give" not in answer.text


def test_a_list_asked_with_its_dates_gives_one_dated_line_each_in_order(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Je prépare une chronologie pour la lettre interne : quelles visites à l'étranger du PDG Antoine Petit "
        "sont documentées, avec leurs dates ?",
    )
    lines = _bullets(answer)
    places = ["Inde", "Singapour", "Brésil", "Japon", "Australie"]
    assert all(any(p in line for line in lines) for p in places)
    firsts = [next(i for i, line in enumerate(lines) if p in line) for p in places]
    assert firsts == sorted(firsts) and not any("plan" in line for line in lines)


def test_two_offices_each_hosted_their_own_way(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "How is the work split between the CNRS office in Washington and the one in Ottawa, and how is each of "
        "them hosted?",
    )
    assert "Embassy" in answer.text and "University of Ottawa" in answer.text and "Mexico" in answer.text


def test_properties_listed_after_a_colon_are_each_answered(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Un collègue retraité me raconte qu'il avait obtenu un PICS en 2014. Comment fonctionnait ce dispositif : "
        "conditions pour déposer, durée, calendrier de la campagne 2014, et qui finançait ?",
    )
    for said in ("publié ensemble", "3 ans", "15 avril au 31 mai 2014", "finançait"):
        assert said in answer.text
    english = _ask(real_assistant, "How did a PICS work: who could apply, duration, funding?")
    assert (
        "IEA" not in english.text and "three years" in english.text and "joint publications" in english.text
    )


def test_joint_papers_are_joint_publications(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "We're drafting an International Emerging Action with a group in Vancouver that we've never published "
        "with. How will the proposal be evaluated, and will the lack of joint papers count against us?",
    )
    assert "peer-reviewed" in _first_sentence(answer) and "No:" in answer.text
    assert "does not answer" not in answer.text


def test_a_city_with_no_office_is_named_whole(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Who heads the CNRS office in Buenos Aires?")
    assert answer.status == "refused" and "no CNRS office in Buenos Aires" in answer.text


def test_it_after_an_office_part_is_that_office(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "My department head says the CNRS and the IRD share an office in Santiago, but a colleague says the "
        "office for our region is in Brazil. Who's right? When did the Santiago office open, and was it really "
        "shared with the IRD?",
    )
    assert "2002" in _first_sentence(answer) and "Santiago" in answer.text and "IRD" in answer.text
    assert "Pretoria" not in answer.text and "Who's right" not in answer.text


def test_the_body_an_answer_names_is_that_body_next(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Our maths network IRN GANDA includes South African partners. Which CNRS office covers that region, which "
        "South African funder can co-fund projects already funded on the French side, and when was that funder's "
        "agreement with the French organisations last renewed?",
    )
    assert "Pretoria" in answer.text and "NRF" in answer.text and "December 2020" in answer.text
    assert "does not answer" not in answer.text


def test_she_in_a_later_part_is_the_person_the_first_part_named(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "La personne qui a coordonné la feuille de route Europe du CNRS en 2021 : qui est-ce, quel laboratoire "
        "avait-elle dirigé auparavant, et quel poste a-t-elle occupé à l'université avant de rejoindre la "
        "direction du CNRS ?",
    )
    assert "Christelle Roy" in _first_sentence(answer)
    assert "IPHC" in answer.text and "vice-présidente" in answer.text


def test_a_first_project_with_no_joint_papers_yet_is_an_iea(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "My CNRS lab has just met a team at Makerere University in Uganda at a conference; we'd like to try out a "
        "first joint project over a couple of years, with no joint papers yet. Which CNRS tool should we go for, "
        "and which CNRS office covers Uganda?",
    )
    assert (
        "IEA" in _first_sentence(answer) and "IRP" not in _first_sentence(answer) and "Nairobi" in answer.text
    )


def test_the_head_of_a_pole_no_source_names_is_a_gap_not_another_poles(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Qui est le ou la responsable du pôle Asie à la DEI en ce moment ?")
    assert answer.status == "gap" and "Snoeck" not in answer.text


def test_where_an_office_is_when_no_source_says_is_a_gap(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "le bureau de Tokyo c'est où ?")
    assert answer.status == "gap" and "Tokyo" in _first_sentence(answer) and "Journées" not in answer.text
    rio = _ask(real_assistant, "bureau cnrs rio c ou exactement ??")
    assert "São Paulo" in _first_sentence(rio) and "Casa Europa" in rio.text


def test_from_the_start_is_not_answered_yes_by_a_later_change(real_assistant: Any) -> None:
    history = [
        ("When did the CNRS open an office in Beijing?", "The CNRS opened its Beijing office in 1995. [1]")
    ]
    answer = _ask(real_assistant, "Was that office independent from the start?", *history)
    assert "2004" in _first_sentence(answer) and not answer.text.startswith("Yes")


def test_the_scheme_is_the_subject_not_the_partner_university(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "My co-supervisor is at the University of Toronto and we want to apply to the PhD Joint Programs. "
        "Who submits the application, and when are the results announced?",
    )
    assert "supervisor" in answer.text.lower() and "January" in answer.text
    assert "not answer" not in answer.text


def test_results_in_a_month_answer_a_when_question(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "PhD Joint Programs : quand tombent les résultats ?")
    assert "janvier" in _first_sentence(answer) and "varie selon les sources" not in answer.text


def test_the_director_of_the_office_that_covers_a_labs_country(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "L'IRL LN2 est au Canada : qui dirige le bureau du CNRS qui couvre ce pays ?"
    )
    assert "Ottawa" in answer.text and "Jan Matas" in answer.text


def test_an_office_in_a_city_with_none_is_a_no_with_the_office_that_covers_it(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Does the CNRS have an office in Seoul?")
    assert answer.text.startswith("No") and "Tokyo" in _first_sentence(answer)
    covered = _ask(real_assistant, "Is there a CNRS office in Japan?")
    assert covered.text.startswith("Yes") and "Tokyo" in _first_sentence(covered)


def test_is_that_right_asks_about_the_claim_before_it(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "A colleague told me the CNRS has an office in Seoul. Is that true?")
    assert answer.text.startswith("No") and "Tokyo" in answer.text


def test_a_question_asked_at_the_end_without_a_question_mark_is_answered(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "le bureau cnrs de hanoi a fermé quand ? et il partageait ses locaux avec qui"
    )
    assert "2014" in answer.text and "Maison de la Science Française" in answer.text


def test_whom_to_turn_to_is_the_pole_for_a_country_with_no_office(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "On veut collaborer avec un labo israélien : vers qui se tourner au CNRS ?")
    assert "Afrique-Moyen-Orient-Inde" in _first_sentence(answer)
    assert "aucun passage" not in answer.text and "ne répond pas" not in answer.text


def test_which_pole_a_country_falls_under_names_that_country(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "À quel pôle de la DEI l'Inde est-elle rattachée ?")
    assert "Inde" in _first_sentence(answer) and "Afrique-Moyen-Orient-Inde" in _first_sentence(answer)


def test_a_franco_country_adjective_names_the_country(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Quels sont les mécanismes de recherche franco-indiens ?")
    assert "CEFIPRA" in answer.text or "Inde" in answer.text


def test_g6_typed_in_lower_case_is_the_g6(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "g6 c'est qui ??")
    assert "Max Planck" in answer.text


def test_a_part_the_other_parts_answer_gets_no_not_found_line(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "ERC Consolidator 2021 : combien de lauréats au CNRS, et est-il premier en France ?"
    )
    assert "10" in _first_sentence(answer) and "aucun passage" not in answer.text


def test_is_there_still_an_office_in_a_former_office_city(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Is there still a CNRS office in Rio de Janeiro?")
    assert answer.text.startswith("No") and "São Paulo" in _first_sentence(answer)


def test_who_has_run_an_office_asks_its_director(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Who has run the CNRS office in Rio?")
    assert re.search(r"Anokhina|Fudym|Nicu", _first_sentence(answer))


def test_money_in_symbols_asks_an_amount_and_an_unrelated_disagreement_is_no_side(
    real_assistant: Any,
) -> None:
    answer = _ask(
        real_assistant, "since when is the cnrs in eu framework programs and how much $$ did it get?"
    )
    assert "1983" in _first_sentence(answer) and "700" in answer.text and "Melbourne" not in answer.text


def test_a_fiftieth_anniversary_is_the_cinquantenaire(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Quand a-t-on fêté les 50 ans de l'accord scientifique franco-japonais ?")
    assert "2024" in _first_sentence(answer) and ("50 ans" in answer.text or "cinquantenaire" in answer.text)


def test_the_different_x_asks_for_the_list(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "What are the different ERC calls?")
    assert all(name in answer.text for name in ("Starting", "Consolidator", "Advanced", "Synergy"))


def test_an_offices_budget_is_not_another_tools_budget(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Le bureau de Pékin a combien d'agents, et c'est quoi son budget annuel ?")
    assert "IRP" not in answer.text and "ne donne pas son financement" in answer.text


def test_before_a_dated_event_asks_what_came_earlier(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Was the CNRS already in contact with the Chinese Academy of Sciences before 1978?"
    )
    assert "1972" in _first_sentence(answer)
    earlier = _ask(real_assistant, "Qui dirigeait la DERCI avant 2015 ?")
    assert "Pham-Delègue" in _first_sentence(earlier) and earlier.status != "gap"


def test_a_common_phrase_in_quotes_names_nothing(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        'I work in one of the CNRS IRLs in Singapore; our accounts are kept by "the office". Which office?',
    )
    assert "Singapore" in _first_sentence(answer) and "Brussels" not in answer.text


def test_a_count_over_the_years_gives_one_dated_figure_each_in_order(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "How did the number of UMIs evolve over the years? Figures with their dates please."
    )
    lines = [line for line in answer.text.splitlines() if line.startswith("- ")]
    years = [int(re.search(r"\b(19|20)\d\d\b", line).group(0)) for line in lines]  # type: ignore[union-attr]
    assert len(years) >= 3 and years == sorted(years) and "22 UMIs" in answer.text
    assert "5 UMIs" not in answer.text  # ASEAN's own count is no point of the worldwide series


def test_what_changed_from_a_replaced_tool_compares_both_sides(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "The IEA replaced the PICS: what changes in duration and prerequisites?")
    assert re.search(r"\b(3|three) years", answer.text) and re.search(r"\b(2|two) years", answer.text)
    assert re.search(r"published together|joint publications", answer.text)


def test_a_property_asked_after_and_is_of_the_same_subjects(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "IRP: how long does it run, and roughly how much money is involved?")
    assert re.search(r"\b(5|five) years", answer.text) and "€" in answer.text
    assert "no passage" not in answer.text


def test_a_list_is_not_printed_twice_for_a_second_part(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Which joint structures does the CNRS have in China, and in which disciplines?"
    )
    items = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert items and len(items) == len(set(items))


def test_which_ones_after_a_background_points_to_its_subject(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Je fais la liste des voyages à l'étranger d'Antoine Petit comme PDG. Lesquels sont documentés, avec leurs dates ?",
    )
    items = [line for line in answer.text.splitlines() if line.startswith("- ")]
    years = [int(re.search(r"\b20\d\d\b", line).group(0)) for line in items if re.search(r"\b20\d\d\b", line)]
    assert len(items) >= 4 and years == sorted(years) and answer.status != "refused"
    assert len({line.split(",")[0] for line in items}) == len(items)  # no trip twice


def test_that_office_is_the_office_the_part_before_found(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Which CNRS office covers Mexico, and does that office also cover Canada nowadays?"
    )
    assert "Washington" in _first_sentence(answer)
    assert re.search(r"^No\b.*Ottawa", answer.text, re.M)


# -- where a value was read, a structure named with its partner, a part said in other words ------------


def test_two_values_read_in_two_places_give_each_value_with_its_source(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "D'après mon directeur, une UMI durait 4 ans ; pourtant la page du bureau Amérique du Sud parle de 5 ans. "
        "C'était combien au juste ?",
    )
    bullets = _bullets(answer)
    assert len(bullets) == 2  # each value once (two DERCI sentences both say 4 years)
    assert any("4 ans" in b and "DERCI" in b for b in bullets)
    assert any("5 ans" in b and "Amérique du Sud" in b for b in bullets)


def test_a_structure_named_with_its_partner_is_answered_about_the_structure(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "When was the IRC with Imperial College set up, and who leads it on the CNRS side?"
    )
    assert "2021" in _first_sentence(answer) and "IRC" in _first_sentence(answer)
    assert "PhD Joint Programs" not in answer.text  # Imperial College in another role
    # the part nothing answered is named once, with whom to ask (not once more for the college)
    assert answer.text.count("who leads it on the CNRS side") == 1
    assert answer.text.split("\n\n")[-1].startswith("For the rest of your question")


def test_a_part_said_in_other_words_is_answered_by_the_sentence_that_means_it(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Which gathering in 2004 signalled that the CNRS was turning towards Europe?"
    )
    assert answer.status == "answered" and "Objectif 2010" in _first_sentence(answer)


def test_a_list_of_something_else_does_not_answer_a_list_question(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Which three countries co-publish most with the CNRS?")
    first = _first_sentence(answer)
    assert all(country in first for country in ("United States", "Germany", "United Kingdom"))
    assert "Tokyo" not in answer.text  # "the Tokyo office covers three countries: ..."


def test_the_pole_the_asker_works_in_is_not_what_the_question_is_about(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Je suis nouvelle au pôle Amériques de la DEI. Quels sont les trois pays qui co-publient le plus avec le CNRS ?",
    )
    first = _first_sentence(answer)
    assert all(country in first for country in ("États-Unis", "Allemagne", "Royaume-Uni"))
    assert "pôle" not in answer.text


# -- comparisons from the background, asked without "?"; rates and totals the documents do not give -------


def test_the_differences_after_a_background_define_both_sides(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Nous hésitons entre un IRP et un IRN pour notre réseau avec des collègues suédois. Quelles sont les différences ?",
    )
    first = _first_sentence(answer)
    assert first.startswith("L'IRP") and "L'IRN" in answer.text.split("\n")[0]
    assert "date limite" not in answer.text  # not the shared campaign's deadline


def test_compare_them_after_a_colon_gives_each_asked_property_of_both(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "We ran a LIA for years and now it is called an IRP. Compare them: how long each lasts and how each is funded.",
    )
    assert re.search(r"\bfour[- ]year|\b4 years|lasted four years", answer.text)
    assert re.search(r"\b(five|5) years", answer.text) and "€" in answer.text


def test_a_success_rate_the_documents_do_not_give_is_a_gap(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "What is the acceptance rate of the IRP call?")
    assert answer.status == "gap" and "does not give the success rate" in answer.text
    assert "20%" not in answer.text and "consolidating" not in answer.text


def test_one_institute_s_count_is_not_the_cnrs_total(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "How many IEAs does the CNRS fund in total each year?")
    assert answer.status == "gap" and _first_sentence(answer).startswith(
        "The documentation does not give the number of IEAs"
    )


def test_my_relay_on_site_is_the_office_that_covers_the_country(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Je pars six mois dans un IRL en Corée du Sud. En cas de problème grave sur place, qui est mon relais CNRS ?",
    )
    assert not answer.refused and "Tokyo" in _first_sentence(answer)


def test_a_former_office_named_by_its_region_is_said_closed(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "I read that the CNRS once had an office for the Mediterranean. Is it still open?"
    )
    assert answer.text.startswith("No.") and "closed" in _first_sentence(answer)


def test_a_part_another_part_s_sentence_answers_gets_no_not_found_line(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "What was the first project proposed to CNRS@CREATE, and which lab did it come from?"
    )
    assert "SILVER" in _first_sentence(answer) and "IPAL" in _first_sentence(answer)
    assert "no passage" not in answer.text  # the sentence above already names the lab


def test_either_country_is_the_countries_the_message_names(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "We work with a team in Almaty, Kazakhstan. Is there a CNRS office covering either country?",
    )
    assert _first_sentence(answer).startswith("Kazakhstan is handled by the DEI")
    assert "No source consulted assigns it to a CNRS office abroad" in answer.text
    assert "Pretoria" not in answer.text and not answer.text.startswith("Yes")


def test_these_countries_are_routed_to_the_office_covering_them(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Notre labo collabore avec l'Université du Chili et une équipe argentine. Quel bureau du CNRS couvre ces pays ?",
    )
    first = _first_sentence(answer)
    assert "Chili" in first and "Argentine" in first and "São Paulo" in first


def test_a_closed_question_worded_otherwise_says_the_gap_then_what_is_said(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Is Eastern Europe a stated priority for the CNRS?")
    assert answer.text.startswith("I found no passage")  # no "Yes": no sentence says "priority"
    assert "develop partnerships in Eastern Europe" in answer.text


def test_a_closed_question_names_its_french_region(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Le CNRS veut-il développer des partenariats en Europe de l'Est ?")
    assert answer.text.startswith("Oui") and "Europe de l'Est" in _first_sentence(answer)
    answer = _ask(real_assistant, "L'Europe de l'Est est-elle une priorité du CNRS ?")
    assert not answer.text.startswith("Oui")  # not the institutes' own priorities
    assert "instituts" not in answer.text


def test_a_scheme_s_gap_is_for_the_dei_not_the_office_of_a_partner_s_city(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "On monte un IRN avec une équipe à Séoul. Quel est le taux de succès de la campagne IRN ?",
    )
    assert answer.status == "gap" and answer.text.startswith(
        "IRN : la documentation ne donne pas le taux de succès"
    )
    assert "étapes" not in answer.text  # a campaign's two stages are no rate
    assert "Direction Europe et International" in answer.text and "Asie du Nord-Est" not in answer.text


def test_the_antenna_s_opening_is_not_the_office_s_and_an_undated_day_gets_its_year(
    real_assistant: Any,
) -> None:
    answer = _ask(real_assistant, "Quand l'antenne du CNRS à Ottawa a-t-elle ouvert ?")
    assert "29 janvier 2019" in _first_sentence(answer) and "ne concordent pas" not in answer.text
    answer = _ask(real_assistant, "Quand le bureau du CNRS à Ottawa a-t-il ouvert ?")
    assert "2022" in _first_sentence(answer)  # the day it was announced ("un 21 avril") may follow


def test_when_it_opened_and_what_it_became_are_two_events_not_two_sources(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Quand l'antenne du CNRS à Ottawa a-t-elle été lancée, qu'est-elle devenue, et qui dirige la structure qui lui a succédé ?",
    )
    assert "ne concordent pas" not in answer.text
    assert "29 janvier 2019" in _first_sentence(answer) and "Jan Matas" in answer.text


def test_in_the_area_of_an_office_says_where_the_list_asked_is_of_tools(real_assistant: Any) -> None:
    for question in (
        "Quels outils structurants la DERCI citait-elle dans la zone du bureau de Pretoria ?",
        "Which CNRS research structures operate in the area covered by the Pretoria office?",
    ):
        answer = _ask(real_assistant, question)
        items = " ".join(_bullets(answer))
        assert all(name in items for name in ("ICEMASA", "GANDA", "DROUGHT", "VOCOM", "ARSAIO", "HOMEN"))
        assert "13" not in _first_sentence(answer)  # not the office's 13 countries
    assert _first_sentence(answer) == "The documentation names 7 CNRS research structures:"


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("Can you submit my IRP proposal for me?", "I cannot do that for you"),
        (
            "Tu peux te connecter à NOA et vérifier si mon dossier IRP est complet ?",
            "Je ne peux pas le faire",
        ),
    ],
)
def test_a_request_to_act_is_said_impossible_then_what_the_asker_can_do(
    real_assistant: Any, question: str, opening: str
) -> None:
    answer = _ask(real_assistant, question)
    assert answer.text.startswith(opening) and not answer.text.startswith(("Yes", "Oui"))
    assert "NOA" in answer.text and answer.citations  # where the asker submits, cited


def test_a_polite_can_you_is_still_a_question(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Can you tell me which office covers Kenya?")
    assert "Nairobi" in _first_sentence(answer) and "cannot" not in answer.text


def test_france_is_not_the_subject_of_a_question_on_its_partners(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Quelle est la place du CNRS dans les co-publications de l'Australie et de la Nouvelle-Zélande avec la France ?",
    )
    assert "Australie" in _first_sentence(answer) and "Nouvelle-Zélande" in answer.text
    assert (
        "Inde" not in answer.text
    )  # "la France ... 5e partenaire de l'Inde" named France, not the asked countries


def test_every_country_of_the_background_is_routed(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Un chercheur de mon unité part en Namibie et au Botswana pour du terrain. Quel bureau du CNRS peut l'accueillir ?",
    )
    first = _first_sentence(answer)
    assert "Namibie" in first and "Botswana" in first and "Pretoria" in first


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "Tu peux regarder combien il me reste de jours de congés avant ma mission au Japon ?",
            "Je n'ai accès",
        ),
        ("My laptop won't connect to the CNRS VPN. Can you reset my password?", "I have no access"),
    ],
)
def test_the_asker_s_own_leave_or_computer_is_refused_with_where_to_go(
    real_assistant: Any, question: str, opening: str
) -> None:
    answer = _ask(real_assistant, question)
    assert answer.status == "refused" and answer.text.startswith(opening) and not answer.citations
    assert "support informatique" in answer.text or "IT support" in answer.text
    assert "Tokyo" not in answer.text and "IRL" not in answer.text  # no fact about the trip's country


def test_a_platform_question_is_not_a_personal_request(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "How do I create an account on the NOA platform?")
    assert answer.status != "refused" and "NOA" in _first_sentence(answer)


def test_which_of_two_opened_first_gives_each_side_s_opening(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Lequel a ouvert en premier, le bureau de Nairobi ou celui de Pretoria ?")
    assert "Nairobi" in _first_sentence(answer) and "Pretoria" in _first_sentence(answer)
    assert "2024" in answer.text and "2011" in answer.text
    answer = _ask(real_assistant, "Which opened first, the CNRS office in Ottawa or the one in Melbourne?")
    assert "Melbourne" in answer.text and "2021" in answer.text and "2022" in answer.text


def test_two_claims_to_reconcile_are_not_refused(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Nairobi is called the CNRS's 11th office, but the 2012 activity report already counted 11 offices. "
        "How can both be right?",
    )
    assert answer.status != "refused" and "11th office" in _first_sentence(answer)
    answer = _ask(
        real_assistant,
        "Mon collègue dit que l'IEA se dépose sur CoopIntEer de juin à septembre, mais l'appel parle de NOA. "
        "Qui a raison ?",
    )
    assert answer.status != "refused" and "CoopIntEer" in answer.text


# -- each part of the question, each side, each value (third session of 2026-12-07) ------------------------


def test_teams_named_by_their_cities_get_each_country_s_office(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "We are starting an IRN with labs in Toronto and Guadalajara. Which CNRS office abroad for each country?",
    )
    assert "Canada is covered by the CNRS office in Ottawa" in answer.text
    assert "Mexico is covered by the CNRS office in Washington" in answer.text
    # the IRN is the asker's situation, not what is asked: no sentence on its format
    assert "IRN" not in answer.text


def test_a_city_beside_a_named_structure_does_not_route_to_its_country(real_assistant: Any) -> None:
    # a guard for the city gazetteer: "Berkeley" places the centre, it does not ask for the US office
    answer = _ask(real_assistant, "When was the Centre Pierre Binétruy at Berkeley created?")
    assert (
        "Centre Pierre Binétruy" in _first_sentence(answer) or "Centre Pierre Binétruy" in _bullets(answer)[0]
    )
    assert "2019" in answer.text
    assert "Washington office" not in answer.text


def test_an_office_in_a_city_of_a_country_without_one_is_refused(real_assistant: Any) -> None:
    # a guard for the city gazetteer: "Munich" is Germany's, but "the office in Munich" does not exist
    answer = _ask(real_assistant, "Is there a CNRS office in Munich?")
    assert answer.status == "refused"
    assert answer.text.startswith("The documentation mentions no CNRS office in Munich.")


def test_a_comparison_gives_each_property_listed_for_both_offices(real_assistant: Any) -> None:
    # a guard: this wording was already answered in full before "différences de date" and "partage avec"
    # were read as properties
    answer = _ask(
        real_assistant,
        "Compare the New Delhi and Pretoria offices: opening dates, where each is hosted, and whether it is "
        "shared with other organisations.",
    )
    for said in ("1 February 2011", "10 January 2011", "French Embassy in India", "IRD"):
        assert said in answer.text, said


def test_two_tools_with_properties_after_a_colon_are_compared_side_by_side(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "PICS ou LIA : durée, modalités de dépôt ?")
    assert "Un PICS durait 3 ans" in answer.text
    assert "LIA" in answer.text and "4 ans" in answer.text


def test_each_organisation_a_part_names_gets_its_own_sentence(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "In the shared Pretoria office, which area does each organisation cover, the IRD and the CIRAD?",
    )
    sentences = re.split(r"(?<=[.!?])\s", answer.text)
    assert any("IRD covers" in s and "Zimbabwe" in s for s in sentences)
    assert any("CIRAD" in s and "South Africa" in s for s in sentences)


def test_an_office_s_missions_are_listed_from_its_missions_section(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "What are the main missions of the Beijing office?")
    bullets = _bullets(answer)
    assert len(bullets) >= 6
    assert all("Beijing" in b for b in bullets)
    assert any("monitors" in b for b in bullets) and any("mobility" in b for b in bullets)


def test_two_quoted_figures_each_get_the_sentence_that_states_it(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Une page dit que le CNRS a reçu plus de 700 M€ des programmes-cadres, une autre 720 M€ rien qu'avec "
        "l'ERC. Quel chiffre croire ?",
    )
    sentences = re.split(r"(?<=\]) |\n", answer.text)  # each sentence with its citation
    assert any("700 M€" in s and "[" in s for s in sentences)
    assert any("720 M€" in s and "ERC" in s and "[" in s for s in sentences)


def test_who_co_directs_a_named_centre_is_answered_from_co_directed_by(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Who co-directs the Centre Pierre Binétruy at Berkeley today?")
    assert "Perlmutter" in _first_sentence(answer) and "Stompor" in _first_sentence(answer)


def test_a_list_with_each_item_s_figure_gives_every_item_from_the_passage(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "What are the pillars of Horizon Europe and how much funding does each one get?"
    )
    for figure in ("€25 billion", "€53.5 billion", "€13.6 billion", "€3.4 billion"):
        assert figure in answer.text, figure
    assert "mirror group" not in answer.text


def test_a_later_part_s_own_words_beat_the_subject_it_inherits(real_assistant: Any) -> None:
    # set N's question 21 (a development question since it was graded)
    answer = _ask(
        real_assistant,
        "In how many African countries does the CNRS have social-science UMIFREs, and where in Africa are its "
        "institutional partnerships concentrated?",
    )
    assert "8 countries" in answer.text
    assert "Maghreb" in answer.text and "West Africa" in answer.text


def test_a_comparison_says_no_property_is_missing_that_it_gave(real_assistant: Any) -> None:
    # set N's question 5 (a development question since it was graded)
    answer = _ask(
        real_assistant, "Quelle différence entre un LIA et un GDRI : format, durée, modalités de dépôt ?"
    )
    assert "sans murs" in answer.text and "réseau" in answer.text  # each one's format
    assert "n'importe quel moment" in answer.text  # how a GDRI was filed
    assert "ne donne pas" not in answer.text


def test_a_recommendation_then_each_country_s_office(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "We want to build a thematic network of several labs with teams in Peru and in New Zealand. Which tool "
        "should we aim for, and which CNRS office should we contact for each country?",
    )
    assert "IRN" in _first_sentence(answer)
    assert "Peru is covered by the CNRS office in São Paulo" in answer.text
    assert "New Zealand is covered by the CNRS office in Melbourne" in answer.text


@pytest.mark.parametrize(
    "question",
    ["What criteria are IEA proposals judged on?", "Sur quels critères une IEA est-elle jugée ?"],
)
def test_criteria_spread_over_a_section_are_all_given(real_assistant: Any, question: str) -> None:
    # the corpus states the IEA's evaluation criteria over three consecutive sentences
    text = fold(_ask(real_assistant, question).text)
    assert re.search(r"scientific quality|qualite scientifique", text)
    assert re.search(r"complementar", text)
    assert re.search(r"early-career|jeunes chercheurs", text)
    assert "priorit" not in text  # an institute's priorities are no criterion


def test_several_sources_announced_are_named_in_the_documents_order(real_assistant: Any) -> None:
    text = _ask(
        real_assistant,
        "Où trouver de l'information pour préparer un projet ERC, et qui peut me conseiller au CNRS ?",
    ).text
    first, also = "cite le site officiel de l'ERC", "cite aussi le site international du CNRS"
    assert first in text and also in text
    assert text.index("plusieurs sources") < text.index(first) < text.index(also)


def test_a_run_of_sentences_stays_on_the_call_and_the_office_asked(real_assistant: Any) -> None:
    # a guard (passes without runs too): the sentences after the best one continue it only on the same call
    # year and the same office
    erc = _ask(real_assistant, "Combien de lauréats ERC Advanced le CNRS a-t-il accueillis en 2023 ?").text
    assert "15 lauréats" in erc and "Synergy" not in erc
    melbourne = _ask(real_assistant, "Who paid for the opening of the Melbourne office?").text
    assert "Nairobi" not in melbourne


def test_two_quoted_values_and_which_one_each_get_their_source(real_assistant: Any) -> None:
    text = _ask(
        real_assistant,
        "J'ai deux chiffres pour les lauréats ERC du CNRS en 2019 : 68 et plus de 500. Lequel est le bon ?",
    ).text
    assert "68 lauréats" in text and "500 lauréats" in text


def test_a_quoted_value_gets_the_sentence_on_what_the_asker_said_it_measures(real_assistant: Any) -> None:
    text = _ask(
        real_assistant,
        "Quel a été le premier laboratoire commun du CNRS à l'étranger ? On m'a dit que les UMI n'existent "
        "que depuis 2002, mais le CMM au Chili a fêté ses 20 ans en 2020.",
    ).text
    assert "CMM" in text
    assert re.search(r"UMI[^.]*2002|2002[^.]*UMI", text)  # the UMI's 2002, not any event of 2002
    assert "Santiago" not in text


def test_at_that_time_is_the_year_the_part_before_gave(real_assistant: Any) -> None:
    text = _ask(
        real_assistant, "Quand a ouvert le bureau de Melbourne ? Et qui dirigeait la DERCI cette année-là ?"
    ).text
    assert "2021" in text
    assert "Christelle Roy" in text and "Pham-Delègue" not in text  # the 2021 director, not the first


def test_whether_something_comparable_exists_is_a_yes_or_no_on_what_was_discussed(
    real_assistant: Any,
) -> None:
    first = "C'est quoi la Maison Irène et Frédéric Joliot-Curie ?"
    answer = _ask(
        real_assistant,
        "Un autre pays de l'UE a-t-il une structure comparable à Bruxelles ?",
        (first, _ask(real_assistant, first).text),
    )
    assert answer.text.startswith("Non")
    assert "aucun autre État membre" in answer.text


def test_any_other_network_of_that_office_leaves_out_the_one_just_named(real_assistant: Any) -> None:
    turns = ["Qu'est-ce que le réseau des IPE ?", "Qui coordonne ce réseau ?"]
    history: list[tuple[str, str]] = []
    for turn in turns:
        history.append((turn, _ask(real_assistant, turn, *history).text))
    assert "Bruxelles" in history[1][1]  # an office coordinates it: no person named for another role
    answer = _ask(real_assistant, "Ce bureau anime-t-il aussi d'autres réseaux ?", *history)
    assert answer.text.startswith("Oui")
    assert re.search(r"G6|coordinateurs", answer.text)
    assert "ingénieurs projets" not in answer.text  # the IPE network is the one already named


def test_a_second_closed_question_after_and_is_answered(real_assistant: Any) -> None:
    text = _ask(real_assistant, "How much money does an IEA get and can it be renewed?").text
    assert "€5,000" in text or "5,000" in text
    assert re.search(r"cannot be renewed|not renewable|non-renewable", text)


@pytest.mark.parametrize(
    ("question", "office"),
    [
        ("Quels sont les outils pour financer des missions courtes avec le Chili ?", "São Paulo"),
        ("Which tools are there to fund short stays with a lab in Kenya?", "Nairobi"),
    ],
)
def test_tools_for_short_missions_recommend_the_exploratory_tool(
    real_assistant: Any, question: str, office: str
) -> None:
    answer = _ask(real_assistant, question)
    assert "IEA" in _first_sentence(answer)
    assert office in answer.text


def test_a_country_the_sources_do_not_name_is_placed_in_the_zone_not_said_covered(
    real_assistant: Any,
) -> None:
    # the sources speak of "East Africa" and name Kenya, never Ethiopia; they do name Chile for South America
    ethiopia = _ask(real_assistant, "Quel bureau du CNRS couvre l'Éthiopie ?").text
    assert "Nairobi" in ethiopia and "sans en énumérer les pays" in ethiopia
    assert "relève du bureau" not in ethiopia
    kenya = _ask(real_assistant, "Which CNRS office covers Kenya?").text
    assert "Kenya is covered by the CNRS office in Nairobi" in kenya
    chile = _ask(real_assistant, "Which CNRS office covers Chile?").text
    assert "Chile is covered by the CNRS office in São Paulo" in chile


# -- opening dates ------------------------------------------------------------------------------------------


def test_created_and_inaugurated_gives_both_dates_of_the_office_asked(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Le bureau de Rio a été créé et inauguré quand exactement ?")
    assert "1er janvier 2010" in _first_sentence(answer)  # "exactement": the day, not only the year
    assert "16 juin 2010" in answer.text
    # São Paulo, where the same office moved, was inaugurated too: not the Rio office's inauguration
    assert "São Paulo" not in answer.text and "Santiago" not in answer.text
    # the sources disagree on when Rio began to cover all of South America, not on when it opened
    assert "ne concordent pas" not in answer.text and "2015" not in answer.text


def test_the_inverted_pronoun_repeats_the_office_named_not_the_previous_one(real_assistant: Any) -> None:
    rio = "Le bureau de Rio a été créé et inauguré quand ?"
    answer = _ask(
        real_assistant, "Quand le bureau de Nairobi a-t-il ouvert ?", (rio, _ask(real_assistant, rio).text)
    )
    assert "Nairobi" in _first_sentence(answer) and "2024" in _first_sentence(answer)
    assert "Rio" not in answer.text


def test_s_y_points_at_the_place_of_the_previous_turn(real_assistant: Any) -> None:
    # guard: "-il" after the subject named no longer points back; "s'y" still does
    first = "Quel bureau du CNRS couvre la Nouvelle-Zélande ?"
    answer = _ask(
        real_assistant, "Le PDG du CNRS s'y est-il déjà rendu ?", (first, _ask(real_assistant, first).text)
    )
    assert "Melbourne" in answer.text or "Australie" in _first_sentence(answer)


# -- a named structure, a property only its kind documents ---------------------------------------------------


def test_a_property_of_every_structure_of_its_kind_answers_for_a_named_one(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Who steers IRC Discovery?")
    assert answer.status == "answered"
    first, rest = answer.text.split(". ", 1)
    assert "IRC Discovery in particular" in first  # said plainly: the rule is every IRC's
    assert "bilateral bodies" in rest


def test_who_steers_a_kind_of_structure_is_answered_by_a_body(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Qui pilote un IRC ?")
    assert "instances bilatérales" in _first_sentence(answer)


def test_it_after_a_part_on_an_office_named_like_its_country_is_the_office(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "When did the CNRS office for the Mediterranean in Malta open, where was it, and is it still open?",
    )
    last = answer.text.split("\n\n")[-1]
    assert last.startswith("No.") and "closing date" in last  # the office's status, not the 2011 agreement's


# -- values in words, each subject in turn, spoken openings ---------------------------------------------------


def test_two_values_quoted_in_words_are_each_given_with_their_source(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Le CNRS et l'Université de Chicago ont-ils financé une dizaine de thèses ou dix-huit ? Je trouve les deux.",
    )
    assert "une dizaine de bourses" in _first_sentence(answer) and "18 doctorants" in answer.text
    assert len(answer.citations) == 2  # each value with its source, nothing on another subject


def test_a_question_asked_of_each_request_routes_each_one(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "J'ai deux demandes : une doctorante part en mission au Mozambique ; notre directeur vise un accord avec "
        "une université norvégienne. Vers qui dois-je orienter chacun ?",
    )
    first, second = answer.text.split("\n\n")[:2]
    assert "Mozambique" in first and "Pretoria" in first
    assert "Norvège" in second and "Europe bilatérale" in second
    assert "aucun passage" not in answer.text


def test_a_spoken_opening_does_not_hide_the_question(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Du coup : notre reseau d'IPE il est coordonne par qui exactement ?")
    assert answer.status == "answered" and "Bruxelles" in _first_sentence(answer)


# -- every office at once, from the directory -------------------------------------------------------------------


def test_which_offices_a_university_hosts_lists_them_then_names_the_undocumented(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Which CNRS offices abroad are hosted by a university?")
    assert _first_sentence(answer) == "3 of the CNRS's 11 offices abroad are hosted by a university:"
    cities = [item.split(":")[0] for item in _bullets(answer)]
    assert cities == ["Ottawa", "São Paulo", "Melbourne"]
    last = answer.text.split("\n\n")[-1]
    assert last.startswith("The documentation does not say where") and "Tokyo" in last


def test_offices_opened_since_a_year_are_listed_with_their_dates_and_disagreements(
    real_assistant: Any,
) -> None:
    answer = _ask(real_assistant, "Quels bureaux du CNRS ont ouvert depuis 2011 ?")
    assert _first_sentence(answer).startswith(
        "6 des 11 bureaux actuels du CNRS à l'étranger ont ouvert depuis 2011"
    )
    items = _bullets(answer)
    assert [i.split(" :")[0] for i in items] == [
        "Pretoria",
        "New Delhi",
        "Singapour",
        "Melbourne",
        "Ottawa",
        "Nairobi",
    ]
    melbourne = next(i for i in items if i.startswith("Melbourne"))
    assert "ne concordent pas" in melbourne  # the sources' two dates, flagged


def test_which_ones_after_a_list_of_offices_asks_the_same_of_every_office(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "which cnrs offices are housed at a uni? i know ottawa is, any others? and which ones sit inside the "
        "french embassy instead?",
    )
    assert "hosted in a French embassy:" in answer.text
    embassy = answer.text.split("hosted in a French embassy:")[1]
    assert [line[2:].split(":")[0] for line in embassy.strip().splitlines()] == [
        "Washington",
        "New Delhi",
        "Beijing",
    ]


def test_offices_shared_with_other_organisations_is_not_a_question_on_every_host(real_assistant: Any) -> None:
    # guard: the partners who shared offices are asked, not where every office is housed
    answer = _ask(
        real_assistant, "Avec quels organismes français le CNRS a-t-il partagé des bureaux à l'étranger ?"
    )
    assert "Où sont installés" not in answer.text


def test_a_count_of_a_named_scheme_is_not_answered_by_another_campaigns_count(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "How many projects did the DSCA schemes fund, and when were they launched?")
    assert "155" not in answer.text  # the proposals of the 2023 CNRS-Africa campaign, another call
    # the count is left unanswered, plainly, not settled by the launch sentence
    assert (
        "For the rest of your question (\u201cHow many projects did the DSCA schemes fund\u201d)"
        in answer.text
    )
    assert "2021 and again in 2022" in _first_sentence(answer)


def test_structures_the_documents_count_without_naming_are_said_unnamed(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Quels sont les deux nouveaux IRL inaugurés par Antoine Petit en Australie ?"
    )
    assert "deux nouveaux IRL" in _first_sentence(
        answer
    )  # the IRLs asked, not the Melbourne office's opening
    assert answer.text.split(" [1] ")[-1].startswith("La documentation ne les nomme pas.")


def test_a_closing_alors_is_so_not_at_that_time(real_assistant: Any) -> None:
    first = "Un IRP, ça réunit qui exactement ?"
    answer = _ask(
        real_assistant,
        "Et avec quatre pays, on fait quoi alors ?",
        (first, _ask(real_assistant, first).text),
    )
    assert "IRN" in answer.text and "aucun passage" not in answer.text


def test_a_noisy_message_on_two_kinds_of_grant_gets_each_part_answered(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "jai fini ma these en 2018 donc ca fait 7 ans, je veux tenter l'erc mais starting ou consolidator ?? "
        "c cb le max pr chacune et jdois voir qui en 1er au cnrs pr le montage",
    )
    assert not answer.refused
    assert "7 à 12 ans" in answer.text  # who may apply to which
    assert "1,5 M€" in answer.text and "2 M€" in answer.text  # the ceiling of each, not of the Advanced
    assert "2,5 M€" not in answer.text
    assert "d'abord informer le directeur" in answer.text  # whom to see first, then the SPV
    assert "SPV" in answer.text
    assert "(StG)" not in answer.text and "(CoG)" not in answer.text  # no line per grant on whom to ask


def test_a_kind_of_grant_compared_with_an_average_is_not_compared_with_its_family(
    real_assistant: Any,
) -> None:
    answer = _ask(real_assistant, "ERC Starting 2021 cnrs how many grants n succes rate vs avrage??")
    assert "19.3%" in answer.text
    assert "Consolidator" not in answer.text


def test_a_question_framed_by_its_purpose_is_answered_not_refused(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "For an internal audit, which parts of the CNRS international set-up carry out monitoring (veille)?",
    )
    assert not answer.refused
    assert "monitoring" in _first_sentence(answer)


def test_each_numbered_request_is_routed_on_its_own(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Two requests landed today: 1) a team in Peru wants to start a collaboration with one of our labs; "
        "2) a university in Kenya asks about a framework agreement. Who should each request go to?",
    )
    assert not answer.refused
    first, second = answer.text.split("\n\n")[:2]
    assert first.startswith("Peru is covered by the CNRS office in São Paulo")
    assert second.startswith("Kenya is covered by the CNRS office in Nairobi")


def test_a_date_in_a_list_of_steps_is_no_count_of_unnamed_things(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "We have an IEA in Auckland and want an IRP next. What are the steps and the deadline for the 2026 campaign?",
    )
    assert "15 May 2026" in answer.text
    assert "does not name them" not in answer.text  # "15 May 2026" counts no "2026 campaign"


# -- set T (dev2-style held-out questions): kinds of failure, in other wordings ------------------------------


def test_a_country_placed_in_an_office_zone_by_geography_is_a_yes_that_says_so(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Is there a CNRS office that covers Paraguay and Venezuela?")
    assert answer.text.startswith("Yes") and "São Paulo" in _first_sentence(answer)
    assert "follows from geography" in answer.text


def test_what_a_scheme_s_money_excludes_is_a_plain_no_first(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Est-ce que les crédits CNRS d'un IRP de l'INSHS peuvent payer un salaire de post-doc ?",
    )
    assert answer.text.startswith("Non") and "sans salaires" in _first_sentence(answer)


def test_when_results_come_is_the_results_date_not_the_submission_window(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "It's November. Is it too late to apply to the PhD Joint Programs with my colleague in Toronto, "
        "and when would we hear back?",
    )
    assert "September" in _first_sentence(answer) and "January" in answer.text
    assert "who can apply" not in answer.text  # "too late to apply" asks the calendar, not eligibility
    iea = _ask(real_assistant, "Quand tombent les résultats de l'appel IEA ?")
    assert "juin à septembre" not in iea.text and "jusqu'au" not in _first_sentence(iea)


def test_a_country_asked_against_an_office_that_does_not_cover_it_goes_to_its_pole(
    real_assistant: Any,
) -> None:
    answer = _ask(
        real_assistant,
        "Nos collègues sont à l'Université d'Alger : l'Algérie dépend-elle du bureau de Pretoria, ou de qui au CNRS ?",
    )
    assert _first_sentence(answer).startswith("L'Algérie relève du pôle Afrique-Moyen-Orient-Inde")


def test_who_follows_a_european_country_is_the_bilateral_europe_sector(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Le bureau de Bruxelles peut-il m'aider pour une IEA avec l'Autriche, ou qui suit l'Autriche ?",
    )
    assert not answer.text.startswith("Oui")
    assert "Europe bilatérale" in answer.text
    assert "Je n'ai trouvé" not in answer.text  # "qui suit l'Autriche" is answered, not called unanswered


def test_a_bare_which_one_is_not_sent_to_anyone_once_answered(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Radek Stompor co-directs a CNRS international lab. Which one, in what field, and which office covers it?",
    )
    assert "Centre Pierre Binétruy" in answer.text
    assert "For the rest of your question" not in answer.text


def test_a_list_of_the_embassy_services_an_office_works_with_lists_them(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Quels services de l'ambassade de France à Pékin travaillent avec le bureau du CNRS ?"
    )
    assert "nucléaire" in _first_sentence(answer) and "affaires sociales" in _first_sentence(answer)


def test_which_ones_lists_the_labs_the_sentence_before_names_one_bullet_per_lab(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "I'm listing the CNRS's joint labs in Canada. Which ones can you name?")
    bullets = _bullets(answer)
    assert any("CRM" in b for b in bullets) and any("LN2" in b for b in bullets)
    assert f"names {len(bullets)}:" in answer.text  # the count is of labs, one bullet each
    assert "names 2 ones" not in answer.text and "ones:" not in answer.text


def test_the_kinds_of_partners_an_office_works_with_are_not_its_zone(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Avec quels types d'interlocuteurs le bureau de Melbourne travaille-t-il dans la région ?",
    )
    assert "universités" in answer.text and "agences de financement" in answer.text
    assert "couvre l'Australie" not in answer.text


def test_a_structure_named_after_a_university_is_not_the_office_of_its_city(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Quand l'IRC CNRS–Université de Tokyo a-t-il été créé ?")
    assert "4 octobre 2022" in _first_sentence(answer)
    assert "L'année d'ouverture du bureau" not in answer.text


def test_who_sat_on_a_committee_the_documents_do_not_name_is_a_gap(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Who sat on the selection committee of the 2023 CNRS-Africa campaign?")
    assert answer.status == "gap"
    assert "the names of the people concerned" in _first_sentence(answer)


def test_a_gap_on_a_count_names_what_is_counted(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "How many staff does the Brussels office have?")
    assert "the number of staff" in _first_sentence(answer)


# -- set U (blind, dev2-style): kinds of failure, in other wordings -------------------------------------------


def test_an_office_in_a_city_without_one_names_the_office_that_covers_that_country(
    real_assistant: Any,
) -> None:
    answer = _ask(real_assistant, "What's the address of the CNRS office in Bangkok?")
    assert answer.text.startswith("The documentation mentions no CNRS office in Bangkok")
    assert "contact the CNRS Office for ASEAN" in answer.text


def test_partners_in_two_capitals_are_each_routed(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Nouveaux partenaires à Oulan-Bator et à Caracas : quel bureau du CNRS pour chacun ?"
    )
    assert "Pékin" in answer.text and "São Paulo" in answer.text


def test_a_place_in_several_words_is_no_director_s_name(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Who was the director of the CNRS office in Hanoi before it was transferred to Singapore?",
    )
    assert answer.status == "gap"  # "Santiago de Chile" in a list of cities names no director
    assert "does not give the name of its director" in _first_sentence(answer)
    assert "Moscow" not in answer.text  # another office's gap is no answer about Hanoi


def test_what_happened_to_a_former_office_is_where_it_went(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "The CNRS used to have an office in New York. What happened to it?")
    assert "Washington" in answer.text and "1984" in answer.text
    assert "For the rest of your question" not in answer.text


def test_a_scheme_no_passage_names_is_out_of_scope_not_another_scheme_s_figures(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "What is the deadline of the next ANR PRCI call with Austria, and its budget?"
    )
    assert answer.refused
    assert "€" not in answer.text  # no other scheme's amount


def test_a_question_with_no_words_of_its_own_is_about_the_sentence_before(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Je prépare une mission au Japon. Que peux-tu me dire ?")
    assert not answer.refused
    assert "Japon" in _first_sentence(answer)


def test_a_person_the_question_names_is_in_the_answer_and_in_its_follow_up(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Qui est Yvonne Mburu dans le conseil Afrique ? Qu'a-t-elle fondé ?")
    assert "Mburu" in _first_sentence(answer)  # not a sentence on the board's first meeting and its date
    assert "Nexakili" in answer.text  # "elle" is Yvonne Mburu, not a person the wrong sentence named
    assert "Feredj" not in answer.text  # the plan's launch date is about another subject


def test_two_centres_compared_are_each_said_what_they_are(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "CEFIRSE or IFCAM: how do these two joint structures at IISc differ?")
    text = answer.text
    assert "water" in text and "2000" in text  # what CEFIRSE is, not only what it became
    assert "Applied Mathematics" in text and "2012" in text
    assert "Kaveri" not in text and "Chennai" not in text  # the place they share is not what is compared


def test_structures_asked_by_subject_are_each_listed(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Quels labos du CNRS hors de France travaillent sur le climat ou l'atmosphère ?"
    )
    items = _bullets(answer)
    assert any("ARSAIO" in i for i in items) and any("IFAECI" in i for i in items)
    assert any("iGlobes" in i for i in items)
    assert all(re.search(r"atmosph|climat", i) for i in items)  # each item works on the subject asked


def test_a_kind_of_structure_asked_by_subject_keeps_to_that_kind(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Which IRLs work on mathematics?")
    assert "IFCAM" in answer.text and "CRM" in answer.text
    assert "GANDA" not in answer.text  # a network, not a laboratory


def test_who_takes_care_of_something_is_the_office_that_does_it(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "In Singapore, who takes care of the accounts of the CNRS IRLs?")
    assert "Singapore office" in _first_sentence(answer) and "accounting" in _first_sentence(answer)
    answer = _ask(real_assistant, "À Singapour, qui prend en charge la comptabilité des IRL du CNRS ?")
    assert "bureau de Singapour" in _first_sentence(answer) and "comptabilité" in _first_sentence(answer)


def test_two_people_quoted_for_one_post_are_each_shown_with_their_source(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Who is the director of the South America office? An old newsletter names Olga Anokhina, "
        "the office's site Liviu Nicu.",
    )
    assert "Anokhina" in answer.text and "Nicu" in answer.text
    assert "2019" in answer.text  # when Olga Anokhina took the post


def test_two_percentages_met_in_two_places_are_each_given_with_their_year(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Part des chercheurs étrangers recrutés par le CNRS : j'ai lu 31,6 % à un endroit et 30 % ailleurs.",
    )
    assert "31,6" in answer.text and "2011" in answer.text
    assert "30 %" in answer.text and "2012" in answer.text


def test_two_dates_in_one_year_for_an_office_are_both_that_office_s(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Ottawa office: opened in January 2022 or in April 2022? The pages don't agree."
    )
    assert "1 January 2022" in answer.text and "21 April" in answer.text
    assert "Melbourne" not in answer.text  # another office's April 2022


def test_mission_expenses_are_the_unit_s_administration_not_an_office_s_zone(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Combien touche-t-on en indemnités de mission pour deux semaines au Brésil ?"
    )
    assert answer.refused and "frais de mission" in answer.text
    assert "Amérique du Sud" not in answer.text  # no office's zone in place of the amount


def test_a_language_course_is_outside_the_scope_whatever_lab_the_message_names(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "I'm joining an IRL in Seoul next year: which Korean course in Lyon would you advise?"
    )
    assert answer.refused and "outside the assistant's scope" in answer.text


def test_a_follow_up_naming_a_rare_partner_gets_the_sentence_on_it(real_assistant: Any) -> None:
    first = "Does the CNRS have joint structures with the University of São Paulo?"
    answer = _ask(
        real_assistant, "And with UERJ, is there anything?", (first, _ask(real_assistant, first).text)
    )
    assert not answer.refused and "UERJ" in _first_sentence(answer) and "IRN" in _first_sentence(answer)


def test_the_office_of_a_country_asked_in_french_carries_to_the_next_questions(real_assistant: Any) -> None:
    first, second = "Quel bureau du CNRS couvre Hong Kong ?", "Et la Mongolie, c'est le même ?"
    one = _ask(real_assistant, first).text
    two = _ask(real_assistant, second, (first, one)).text
    assert (
        "Pékin" in two and "Tokyo" not in two
    )  # the route asked again, not a sentence naming another office
    three = _ask(real_assistant, "Il est hébergé où ?", (first, one), (second, two))
    assert "ambassade" in three.text and "Tokyo" not in three.text


def test_where_a_grant_s_money_goes_is_its_funding_rule(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Our IRP got selected. Is the money paid to our own unit or split with the partner lab?",
    )
    assert "14,000" in answer.text and "lead CNRS unit" in answer.text
    assert "single site" not in answer.text  # not the IRL's row of the tools table


# -- counts in a place, first holders, office portraits, repeated facts -----------------------------------


def test_a_count_asked_in_a_country_is_that_country_s_or_a_gap_naming_it(real_assistant: Any) -> None:
    singapore = _ask(real_assistant, "Combien d'IRL le CNRS a-t-il à Singapour ?")
    assert "quatre" in fold(_first_sentence(singapore)) and "Singapour" in _first_sentence(singapore)
    assert "75" not in singapore.text  # the worldwide counts a Singapore page quotes are not Singapore's
    brazil = _ask(real_assistant, "How many IRLs are there in Brazil?")
    assert brazil.status == "gap" and _first_sentence(brazil).startswith("Brazil:")
    assert "Japan" not in brazil.text  # not Japan's 11


def test_the_first_holder_of_a_post_is_not_today_s_when_the_documents_do_not_say(real_assistant: Any) -> None:
    tokyo = _ask(real_assistant, "Qui a été le premier directeur du bureau de Tokyo ?")
    assert tokyo.status == "gap" and "avant 2020" in _first_sentence(tokyo)
    washington = _ask(real_assistant, "Who was the first head of the Washington office?")
    assert "does not say who was the first" in _first_sentence(washington)
    assert "Xavier Morise" in washington.text  # the earliest person named, as such


def test_an_office_asked_about_as_a_whole_gets_its_zone_opening_head_and_aim(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Parle-moi du bureau de Nairobi")
    first = _first_sentence(answer)
    assert "Afrique de l'Est" in first and "2024" in first
    assert "Benoît Hazard" in answer.text and "partenariats" in answer.text
    assert "Amel Feredj" not in answer.text  # the head of a plan at headquarters is not the office's


def test_what_an_office_is_for_is_what_it_sets_out_to_do(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "À quoi sert le bureau de Nairobi ?")
    assert "partenariats" in _first_sentence(answer) and "Amel Feredj" not in answer.text


def test_one_fact_from_two_pages_is_said_once(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Je voudrais monter un labo commun avec des collègues coréens : quel dispositif, pour combien de temps ?",
    )
    assert "IRL" in _first_sentence(answer) and fold(answer.text).count("5 ans") == 1


def test_two_years_set_against_each_other_get_each_source(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "On m'a dit que le bureau de Melbourne date de 2021, mais j'ai vu 2022 ailleurs : laquelle est juste ?",
    )
    sides = _bullets(answer)
    assert any("décembre 2021" in s for s in sides) and any("avril 2022" in s for s in sides)
    assert not any(s.startswith("Le bureau de Melbourne a ouvert après") for s in sides)  # Ottawa's 2022


def test_since_when_after_who_asks_since_when_that_person_holds_the_post(real_assistant: Any) -> None:
    first = "Qui est à la tête du bureau de Singapour ?"
    answer = _ask(real_assistant, "Et depuis quand ?", (first, _ask(real_assistant, first).text))
    assert "fin 2021" in _first_sentence(answer) and "Baillargeat" in _first_sentence(answer)
    assert "Le Calvez" not in answer.text  # not an earlier director


def test_the_property_a_question_word_points_at_is_asked_first(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Une IEA, ça se dépose sur quelle plateforme, et quand ?")
    assert "CoopIntEer" in answer.text or "NOA" in answer.text
    assert "septembre" in answer.text  # the period too, not only the platform


def test_an_sms_how_long_is_a_duration_not_a_count(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "cb de tps dure une IEA ?")
    assert "ans" in _first_sentence(answer) and "IEA" in _first_sentence(answer)
    assert "varie selon les sources : 75" not in answer.text


def test_the_steps_to_create_a_structure_are_a_procedure_not_a_list_of_structures(
    real_assistant: Any,
) -> None:
    answer = _ask(real_assistant, "Quelles sont les étapes à suivre pour monter un IRL ?")
    first = fold(_first_sentence(answer))
    assert "appel" in first and "institut" in first
    assert "CMM" not in answer.text  # not the first lab the CNRS set up abroad


def test_which_of_two_compared_tools_fits_what_the_message_describes(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "IRP or IRL: which one would fit two teams that want to share a building abroad?"
    )
    assert "International Research Laboratory (IRL)" in _first_sentence(answer)
    assert "coordinator of an IRP" not in answer.text


def test_a_name_quoted_in_french_does_not_make_an_english_question_french(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        'What is the "Direction Europe de la recherche et coopération internationale" in English?',
    )
    assert answer.lang == "en" and "European Research and International Cooperation" in answer.text


def test_tools_for_a_short_mobility_are_the_tool_for_it(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Which scheme could pay for a short mobility to Brazil?")
    assert "IEA" in _first_sentence(answer)


def test_making_a_collaboration_of_some_years_official_is_a_recommendation(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Mon collègue est à l'université de Séoul : comment formaliser notre collaboration, qui existe depuis quatre ans ?",
    )
    assert "IRP" in _first_sentence(answer)


def test_who_funds_a_co_funded_scheme_is_both_partners(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Who pays for the PhD Joint Programs?")
    first = _first_sentence(answer)
    assert "both the CNRS and the partner university" in first
    assert "107 projects" not in answer.text  # what they have funded is not who funds them


def test_a_figure_the_asker_quotes_that_no_passage_states_is_said_to_be_unstated(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Combien d'UMI actives fin 2011 ? J'ai lu 30 et ailleurs 33.")
    assert "30 UMI" in _first_sentence(answer)
    assert "ne donne le chiffre 33" in answer.text
    assert "ans" not in fold(answer.text).replace("dans", "")  # a duration of 4 to 12 years is no count


def test_two_years_the_asker_doubts_are_not_the_year_asked_about(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "When did the Tokyo office open: 1991 or 1993? I've read both.")
    assert answer.status == "gap" and "year" in _first_sentence(answer)
    assert "opened" in _first_sentence(answer)


def test_who_submits_is_not_answered_by_who_co_funds(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "My partner is at Kyoto University and we want a PhD Joint Program: who submits the application, and when?",
    )
    assert "submit a joint application" in _first_sentence(answer)
    assert "may fit" not in answer.text  # who pays is not who applies


def test_a_count_asked_by_the_tool_s_long_name_shows_the_sources_figures(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "How many International Research Laboratories (IRLs) does the CNRS have across the world?",
    )
    assert "75" in answer.text and "80" in answer.text  # the figures the sources give, not one of them
    assert "ASEAN" not in answer.text  # a region's count is no side of the total


# -- documented parts that were deflected: whom to inform, names in the other language, headquarters -------


def test_whom_to_inform_is_the_role_the_documents_name(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Who do I have to inform before I submit an ERC proposal, and which department helps with the "
        "financial set-up?",
    )
    assert "director of their research unit" in _first_sentence(answer)
    assert "SPV" in answer.text
    assert "rest of your question" not in answer.text
    answer = _ask(real_assistant, "Je monte un dossier ERC, je dois prévenir qui ?")
    assert "directeur" in _first_sentence(answer) and "pas le nom" not in answer.text


def test_a_glossary_name_asked_in_the_other_language_finds_its_sentence(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Which watchwords does the feuille de route Europe of the CNRS rest on?")
    assert "influence, support, encourage" in _first_sentence(answer)


def test_a_part_asked_at_headquarters_is_the_directorate_s(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Which service hosts foreign delegations at CNRS headquarters?")
    assert "DERCI" in _first_sentence(answer) and "delegations" in _first_sentence(answer)
    answer = _ask(
        real_assistant,
        "Qui accueille les délégations étrangères au siège, et quel bureau suit l'Inde ?",
    )
    assert "DERCI" in _first_sentence(answer) and "délégations" in _first_sentence(answer)
    assert "New Delhi" in answer.text and "reste de votre question" not in answer.text


def test_who_founded_it_is_settled_by_the_sentence_that_names_the_founders(real_assistant: Any) -> None:
    for question in (
        "Is there a one-stop shop for EU projects in Marseille, and who set it up?",
        "Y a-t-il un guichet unique pour les projets européens à Marseille, et qui l'a créé ?",
    ):
        answer = _ask(real_assistant, question)
        assert "Mission Europe pour la Recherche" in _first_sentence(answer)
        assert "Inserm" in _first_sentence(answer)
        assert "rest of your question" not in answer.text and "pas le nom" not in answer.text


def test_a_programme_typed_in_lower_case_gets_what_it_is_its_budget_and_its_launch(
    real_assistant: Any,
) -> None:
    answer = _ask(real_assistant, "le programme descartes c'est quoi, combien de budget et lancé quand ?")
    assert "intelligence artificielle" in _first_sentence(answer)  # what it is, before the budget
    assert "35 M€" in answer.text and "26 janvier 2022" in answer.text
    assert "Hanoï" not in answer.text  # the programme's launch, not the office's move
    assert "reste de votre question" not in answer.text


def test_a_comparison_in_number_of_partners_gives_each_tool_s_count(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "IRP or IRN: how many partner labs, and what activities does each fund?")
    assert "one or two foreign countries" in answer.text  # the IRP's partners, counted
    assert "several foreign teams" in answer.text or "5 to 8" in answer.text  # the IRN's
    assert "workshops, seminars and thematic schools" in answer.text  # what an IRN's activities are
    assert "rest of your question" not in answer.text
    answer = _ask(
        real_assistant,
        "On hésite entre un IRP et un IRN : qu'est-ce qui les distingue en nombre de partenaires ?",
    )
    assert "un ou deux pays" in _first_sentence(answer)
    assert "5 à 8" in answer.text or "plusieurs équipes étrangères" in answer.text


def test_why_is_answered_by_the_reasons_the_page_gives(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "Pourquoi le CNRS a-t-il ouvert un bureau en Océanie ?")
    assert "60 %" in _first_sentence(answer)  # the share of the zone's activity, not the opening date
    assert "CNRS@CREATE" in answer.text  # the confusing double presence in Singapore
    answer = _ask(real_assistant, "What were the reasons for choosing Kenya for the new CNRS office?")
    assert "vitality" in _first_sentence(answer) and "is covered by" not in answer.text


def test_the_older_tool_a_follow_up_compares_is_the_one_it_replaced(real_assistant: Any) -> None:
    first = "What is an IRN?"
    said = _ask(real_assistant, first).text
    answer = _ask(
        real_assistant,
        "Which scheme did it replace, and how did that older one differ in duration?",
        (first, said),
    )
    assert "GDRI" in _first_sentence(answer)  # what it replaced, not a list of today's tools
    assert "former GDRI, which lasted four years" in answer.text and "five years" in answer.text


def test_a_section_that_opens_on_the_list_asked_gives_its_items(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Quels bureaux avait l'ancien réseau de la DERCI avant 2011-2014, et quelle zone couvrait chacun ?",
    )
    assert len(_bullets(answer)) >= 5
    assert "Johannesburg" in answer.text and "l'Afrique" in answer.text and "Russie" in answer.text
    # ... when the section's opening sentence is not the best-scored one ("the undated list of eight offices")
    answer = _ask(
        real_assistant,
        "Pour un article sur l'histoire du CNRS : quels étaient les bureaux régionaux de l'ancien réseau de la "
        "DERCI, et la zone de chacun ?",
    )
    assert len(_bullets(answer)) >= 5 and "Hanoï" in answer.text


def test_a_closed_office_named_by_its_long_name_is_said_closed_with_its_undocumented_date(
    real_assistant: Any,
) -> None:
    answer = _ask(
        real_assistant, "Le bureau du CNRS pour la Méditerranée existe-t-il encore ? Il a fermé quand ?"
    )
    assert answer.text.startswith("Non.") and "aucune source consultée ne précise la date" in answer.text
    assert "Pretoria" not in answer.text


def test_whom_one_turns_to_for_a_country_without_an_office_is_its_sector(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Nous voulons signer un accord avec une université de Moldavie. À qui s'adresse-t-on au CNRS ?",
    )
    assert "Moldavie" in _first_sentence(answer) and "Europe bilatérale" in _first_sentence(answer)


def test_who_has_been_heading_the_directorate_recently_is_a_person(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Who has been heading the CNRS European and International Directorate recently?"
    )
    assert "Christelle Roy" in _first_sentence(answer)


def test_the_exact_date_of_a_renaming_the_documents_lack_is_said_to_be_undocumented(
    real_assistant: Any,
) -> None:
    answer = _ask(real_assistant, "Quand exactement la DERCI est-elle devenue la DEI ?")
    assert "date exacte" in _first_sentence(answer) and "ne donne pas" in _first_sentence(answer)
    assert "2005" not in answer.text  # the DRI became the DREI: another renaming


def test_two_former_tools_named_before_the_question_are_compared_on_each_property(
    real_assistant: Any,
) -> None:
    answer = _ask(
        real_assistant,
        "Un vieux rapport mentionne un LIA et une UMI avec le même partenaire. Quelle différence entre ces deux "
        "formules, en organisation, en durée et en renouvellement ?",
    )
    assert "sans murs" in answer.text and "site unique" in answer.text
    assert "renouvelable une fois" in answer.text and "renouvelable deux fois" in answer.text
    # the LIA's four years, renewable once, are said once, not again in other words from another page
    assert len(re.findall(r"\bLIA\b[^.]*\b4 ans\b", answer.text)) == 1


def test_a_budget_split_between_parts_gives_every_part(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "For a workshop: how is Horizon Europe's money divided among its pillars?")
    assert all(figure in answer.text for figure in ("€25 billion", "€53.5 billion", "€13.6 billion"))
    assert _first_sentence(answer).startswith("Pillar 1")


def test_a_question_joined_by_an_ampersand_with_typos_answers_both_parts(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "erc starting 2021: nb of grnats hosted by cnrs & whats the sucess rate??")
    assert "26 grants" in answer.text and "19.3%" in answer.text


def test_the_question_at_the_end_of_a_long_story_is_answered_in_full(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Bonsoir, pardon pour la longueur du message. Je suis ingénieure d'études dans une UMR d'écologie à "
        "Montpellier, j'ai fait ma thèse à Abidjan puis un post-doc à Nairobi, et je lance des projets avec des "
        "collègues au Ghana et en Ouganda. Mon directeur m'a fait suivre un courriel qui évoquait un « conseil "
        "consultatif » rattaché à la stratégie africaine du CNRS, mais le lien ne marchait plus, et entre les "
        "DSCA, la campagne 2023 et le bureau de Nairobi je ne m'y retrouve plus. Donc ma question : ce conseil "
        "consultatif Afrique-CNRS, il a tenu sa première réunion quand, et qui le préside ?",
    )
    assert "Yvonne Mburu" in answer.text and "27 juin 2022" in answer.text
    assert "adressez-vous" not in answer.text


def test_there_in_a_second_part_is_the_country_the_first_part_routed_to(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "I'm visiting the FJLMI maths lab next spring. Which CNRS office covers that country, and how many "
        "IRLs did the CNRS have there in 2023?",
    )
    assert "Tokyo" in answer.text.split("\n")[0] and "11 IRLs" in answer.text
    assert "80" not in answer.text  # the worldwide count is not Japan's


def test_a_postdoc_asking_if_they_may_coordinate_gets_no_then_who_may(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "I'm a postdoc in a CNRS joint unit and would like to coordinate an IRP with a team in Chile. Am I "
        "allowed to? If not, who can lead it?",
    )
    assert answer.text.startswith("No") and "postdoc" in _first_sentence(answer)
    assert "permanent" in answer.text


def test_a_status_the_rules_do_not_mention_gets_no_verdict_but_the_rules(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Je suis doctorante : est-ce que je peux porter une IEA avec une collègue chilienne ?"
    )
    assert not answer.text.startswith(("Oui", "Non"))
    assert "doctorante" in _first_sentence(answer) and "ne traite pas" in _first_sentence(answer)
    assert "porteurs" in answer.text


def test_where_a_partnership_comes_from_is_what_it_stems_from(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Notre projet passe par la NRF sud-africaine : son accord avec les organismes français a été reconduit "
        "pour combien d'années, et d'où vient ce partenariat ?",
    )
    assert "cinq ans" in answer.text and "2008" in answer.text


def test_a_persons_field_asked_in_brackets_after_who_heads_the_office_is_given(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Which CNRS office covers Canada, and who was its director when it opened (and what is his field)?",
    )
    assert "Jan Matas" in answer.text and "geophysicist" in answer.text


def test_two_closed_offices_asked_together_each_get_their_closing(real_assistant: Any) -> None:
    answer = _ask(real_assistant, "When did the CNRS close its Malta office, and its Moscow office?")
    assert "Moscow" in answer.text and "Malta" in answer.text and answer.text.count("closed") >= 2


def test_there_is_the_country_the_message_named_before(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "On s'installe au Japon en septembre. Combien d'IRL le CNRS y compte-t-il ?"
    )
    assert "11 IRL" in _first_sentence(answer) and "Japon" in _first_sentence(answer)


def test_the_askers_own_plans_next_year_do_not_make_a_question_about_the_future(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Comme je change de poste l'an prochain, est-ce qu'un doctorant de l'équipe pourrait être coordinateur "
        "de notre IRP ?",
    )
    assert answer.text.startswith("Non") and "doctorant" in _first_sentence(answer)
    assert "pas encore eu lieu" not in answer.text


def test_a_trailing_who_part_gets_the_sentence_naming_the_person(real_assistant: Any) -> None:
    # "who coordinated it?" after two other parts is answered by the sentence that names who coordinated
    # the roadmap, not by one on a network "coordinated by" an office, nor sent to the DEI.
    answer = _ask(
        real_assistant,
        "What were the watchwords of the CNRS Europe roadmap, which body approved it, and who coordinated it?",
    )
    assert "influence, support, encourage" in _first_sentence(answer)
    assert "Christelle Roy" in answer.text
    assert "contact the" not in answer.text


def test_the_campaign_named_again_is_the_years_campaign_and_its_dates(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Pour la campagne PICS 2014, avec quels pays y avait-il des appels conjoints, et quand la campagne était-elle ouverte ?",
    )
    assert "Biélorussie" in _first_sentence(answer)
    assert "15 avril au 31 mai 2014" in answer.text
    assert "IEA" not in answer.text  # not the calls of the tool that replaced it


def test_offices_contrasted_on_listed_properties_get_each_property_of_each(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "To brief our new director I must contrast the Tokyo and Singapore offices: when each one opened, "
        "which area it covers, and who runs it. Can you lay out the differences?",
    )
    text = answer.text
    assert "Jacques Maleval" in text and "Dominique Baillargeat" in text  # who runs each
    assert "Japan, South Korea and Taiwan" in text and "Cambodia" in text  # the area of each
    assert "2014" in text  # Singapore's start; Tokyo's opening year is said to be missing
    assert "None of the sources consulted gives the year in which the CNRS office in Tokyo opened" in text
    assert "52%" not in text  # not every sentence that names one of them


def test_the_directorate_named_in_what_the_answer_is_for_is_not_its_subject(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant, "Pour une note interne à la DEI, quel est le budget total d'Horizon Europe ?"
    )
    assert "95,5 Md€" in _first_sentence(answer)
    assert "financement" not in answer.text  # not "the DEI: the documentation does not give its funding"


def test_the_askers_institute_is_not_the_subject_of_the_tool_they_want(real_assistant: Any) -> None:
    answer = _ask(
        real_assistant,
        "Mon laboratoire est rattaché à CNRS Ingénierie. Nous voulons monter un IRP avec une équipe japonaise. "
        "Quelle unité peut le porter, et comment se passe le dépôt ?",
    )
    assert "UMR, une UAR ou un IRL" in _first_sentence(answer)
    assert "NOA" in answer.text
    assert "INSIS" not in answer.text  # not "INSIS: the documentation does not give the calendar"
