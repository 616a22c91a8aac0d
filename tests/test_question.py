"""Question analysis on the real directories and vocabulary: parts, intents, subjects, typos, follow-ups.

These are behaviours a user relies on ("quel burau pour le kenia ?" is about Kenya; "et qui le dirige ?"
is about the office just named), written as new questions of each kind, not the evaluation sets' ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from assistant.analysis import fold as fold_text
from assistant.directory import load_glossary, load_offices, load_tools
from assistant.parts import listed_noun, split
from assistant.planner import _alike
from assistant.question import Analysis, World, analyse, find_entities, next_tool
from tests.conftest import PROJECT

CORPUS = PROJECT / "corpus"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus/ folder in this checkout")


def _body(text: str) -> str:
    """A page as the index holds it: no front matter, no footnote definitions."""
    body = text.split("\n---\n", 1)[-1]
    return re.sub(r"^\[\^\d+\]:.*$", "", body, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def world() -> World:
    texts = [_body(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.rglob("*.md"))]
    return World.of(
        load_offices(CORPUS / "offices.yaml"),
        load_tools(CORPUS / "tools.yaml"),
        load_glossary(CORPUS / "glossary.yaml"),
        texts,
    )


def _ask(world: World, question: str, history: Sequence[tuple[str, str]] = ()) -> Analysis:
    turns = [
        m for q, a in history for m in ({"role": "user", "content": q}, {"role": "assistant", "content": a})
    ]
    return analyse(question, turns, world)


def _keys(entities: Sequence[object]) -> list[str]:
    return [f"{e.kind}:{e.key}" for e in entities]  # type: ignore[attr-defined]


# -- parts -----------------------------------------------------------------------------------------------


def test_two_questions_in_one_sentence_are_two_parts_about_the_same_office(world: World) -> None:
    analysis = _ask(world, "Qui dirige le bureau de Tokyo et quels pays couvre-t-il ?")
    assert [s.intent for s in analysis.subs] == ["who", "list"]
    assert _keys(analysis.subs[1].entities) == ["office:tokyo"]
    assert analysis.subs[1].inherited


def test_a_second_question_asking_more_is_not_merged_into_the_first(world: World) -> None:
    history = [
        ("What is CNRS@CREATE?", "CNRS@CREATE is the first subsidiary of the CNRS outside France. [1]")
    ]
    analysis = _ask(world, "When was it set up, and when was it inaugurated?", history)
    assert len(analysis.subs) == 2
    assert "inaugurated" in analysis.subs[1].text


def test_a_part_that_only_repeats_the_one_before_is_dropped(world: World) -> None:
    analysis = _ask(world, "Which countries does the Nairobi office cover? Please list them all.")
    assert len(analysis.subs) == 1
    assert analysis.subs[0].intent == "list"


def test_background_sentences_set_the_subject_of_a_question_that_names_none(world: World) -> None:
    analysis = _ask(
        world, "Notre IEA avec une équipe japonaise se termine l'an prochain. Que faire ensuite ?"
    )
    assert len(analysis.subs) == 1
    assert "tool:IEA" in _keys(analysis.subs[0].entities)


# -- intents and attributes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "intent", "attribute"),
    [
        ("Combien de temps dure un IRP ?", "how_many", "duration"),
        ("How long does an IRN last?", "how_many", "duration"),
        ("Comment créer un IRL ?", "procedure", None),
        ("Une IEA peut-elle être renouvelée ?", "yes_no", "renewal"),
        ("Can an IEA be renewed?", "yes_no", "renewal"),
        ("What are the PhD Joint Programs?", "definition", None),
        ("Quels sont les outils de coopération du CNRS ?", "list", None),
        ("Is the Rio office still open?", "yes_no", "closing"),
        ("Le bureau de Tokyo existe-t-il encore ?", "yes_no", "closing"),
        # whether something like it exists, not a comparison of two named things
        ("Does any other country have something similar in Brussels?", "yes_no", None),
        ("Un autre organisme français a-t-il une structure comparable à Tokyo ?", "yes_no", None),
        ("Is the IEA similar to the PICS?", "compare", None),
        # criteria to be judged on are how projects are selected, not who may apply
        ("Sur quels critères une IEA est-elle jugée ?", "general", "selection"),
        ("What criteria are IRP proposals assessed on?", "general", "selection"),
        ("Quels sont les critères pour porter une IEA ?", "list", "eligibility"),
        # who does what between two bodies: each one's role, side by side
        ("Who does what between the DEI and the institutes?", "compare", None),
        ("Entre le pôle Europe et le bureau de Bruxelles, qui fait quoi ?", "compare", None),
        ("Can you put the Tokyo and Singapore offices side by side?", "compare", None),
        # a date asked, "rather than" saying of what: nothing to set side by side
        (
            "Since when has the office covered the whole continent, rather than just Brazil and Chile?",
            "when",
            "opening",
        ),
        # spoken French asks with a statement; English with "am I"
        ("Ils sont tous à l'étranger ?", "yes_no", None),
        ("Am I allowed to coordinate an IRP?", "yes_no", "eligibility"),
        ("Est-ce que j'en ai le droit pour un IRP ?", "yes_no", "eligibility"),
        ("What does the joint PhD programme require of the student?", "general", "eligibility"),
        ("How is the Horizon Europe money shared out?", "general", "funding"),
    ],
)
def test_intent_and_attribute(world: World, question: str, intent: str, attribute: str | None) -> None:
    sub = _ask(world, question).subs[0]
    assert sub.intent == intent
    if attribute is not None:
        assert sub.attribute == attribute
    else:
        assert sub.attribute in (None, "calendar")  # "créer" asks how, not when


def test_procedure_asks_about_calls_not_an_opening_date(world: World) -> None:
    sub = _ask(world, "Comment créer un IRL ?").subs[0]
    assert "opening" not in sub.attributes


def test_a_name_that_contains_a_question_word_asks_nothing(world: World) -> None:
    """ "CNRS@CREATE" holds "create": asking whether it is a company is not asking when it was created."""
    sub = _ask(world, "Is CNRS@CREATE a company?").subs[0]
    assert "opening" not in sub.attributes
    assert _keys(sub.entities) == ["name:cnrs@create"]


# -- subjects ------------------------------------------------------------------------------------------


def test_typos_in_the_office_word_and_the_country_are_corrected(world: World) -> None:
    analysis = _ask(world, "quel burau pour le kenia ?")
    assert "bureau" in analysis.text.lower()
    countries = [e for e in analysis.entities if e.kind == "country"]
    assert [(e.key, e.office) for e in countries] == [("KE", "nairobi")]


def test_sms_spelling_is_read_as_words(world: World) -> None:
    sub = _ask(world, "c koi un IRN").subs[0]
    assert sub.intent == "definition"
    assert _keys(sub.entities) == ["tool:IRN"]


def test_a_lower_case_acronym_is_the_name_the_corpus_spells_in_capitals(world: World) -> None:
    entities = find_entities("ifcam c'est quoi ?", world)
    assert [e.label("fr") for e in entities] == ["IFCAM"]


@pytest.mark.parametrize("question", ["Can a PhD student lead an IEA?", "Le CNRS finance-t-il les IEA ?"])
def test_everyday_words_and_the_cnrs_itself_are_not_subjects(world: World, question: str) -> None:
    assert _keys(_ask(world, question).entities) == ["tool:IEA"]


def test_a_demonym_names_its_country(world: World) -> None:
    entities = find_entities("Je travaille avec des collègues japonais.", world)
    assert [(e.kind, e.key) for e in entities] == [("country", "JP")]


def test_french_names_of_the_joint_phd_programmes_are_the_tool(world: World) -> None:
    for text in ("les doctorats conjoints", "un joint PhD", "programmes doctoraux conjoints"):
        assert _keys(find_entities(text, world)) == ["tool:JOINT-PHD"], text


# -- follow-ups ------------------------------------------------------------------------------------------


def test_a_follow_up_pronoun_points_to_the_office_of_the_previous_answer(world: World) -> None:
    history = [("Quel bureau couvre le Japon ?", "Le Japon relève du bureau du CNRS à Tokyo. [1]")]
    analysis = _ask(world, "Et qui le dirige ?", history)
    assert analysis.follow_up
    assert _keys(analysis.subs[0].entities) == ["office:tokyo"]
    assert analysis.subs[0].attribute == "director"


def test_a_plural_follow_up_takes_every_name_of_the_previous_answer(world: World) -> None:
    history = [
        (
            "Does the CNRS work with Japanese funding agencies?",
            "Yes: it works with the JSPS and with the JST. [1]",
        )
    ]
    analysis = _ask(world, "Did those two agencies hold a joint event in 2024?", history)
    keys = _keys(analysis.subs[0].entities)
    assert "name:jsps" in keys and "name:jst" in keys
    assert analysis.subs[0].years == (2024,)


def test_a_bare_follow_up_asks_the_previous_question_about_a_new_subject(world: World) -> None:
    history = [("Combien de temps dure une IEA ?", "Une IEA dure 2 ans. [1]")]
    sub = _ask(world, "Et un IRP ?", history).subs[0]
    assert _keys(sub.entities) == ["tool:IRP"]
    assert sub.attribute == "duration"


# -- time, conflicts, the tool ladder -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "time"),
    [
        ("Qui dirige aujourd'hui le bureau de New Delhi ?", "today"),
        ("Who was the first director of the Tokyo office?", "first"),
    ],
)
def test_time_qualifier(world: World, question: str, time: str) -> None:
    assert _ask(world, question).subs[0].time == time


def test_a_user_who_has_read_two_values_expects_a_conflict(world: World) -> None:
    assert _ask(
        world, "J'ai lu deux durées différentes pour un IRN, laquelle est la bonne ?"
    ).expects_conflict
    assert not _ask(world, "Combien de temps dure un IRN ?").expects_conflict


def test_values_written_in_words_set_against_each_other_expect_a_conflict(world: World) -> None:
    assert _ask(
        world,
        "Was it about ten or eighteen doctoral students with the University of Chicago? I've seen both.",
    ).expects_conflict
    # guard: "les deux" still says the asker found both values, not a figure 2
    assert _ask(
        world, "Le bureau de Pékin, c'est Asie ou Asie de l'Est ? Je trouve les deux."
    ).expects_conflict


def test_a_discourse_marker_before_a_part_is_no_word_of_it(world: World) -> None:
    analysis = _ask(world, "Du coup : notre réseau d'IPE, il est coordonné par qui exactement ?")
    assert analysis.subs[0].text.startswith("notre réseau")
    analysis = _ask(world, "Concrètement, comment s'y prend-on pour monter un IRN ?")
    assert analysis.subs[0].text.startswith("comment")


def test_a_question_asked_of_each_subject_the_message_set_out_is_one_part_each(world: World) -> None:
    analysis = _ask(
        world,
        "J'ai deux demandes : une doctorante part en mission au Mozambique ; notre directeur vise un accord avec "
        "une université norvégienne. Vers qui dois-je orienter chacun ?",
    )
    assert [_keys(s.entities) for s in analysis.subs] == [["country:MZ"], ["country:NO"]]
    assert all("contact" in s.attributes and not s.inherited for s in analysis.subs)
    assert "Norvège" in analysis.subs[1].text  # each part says whom it is about
    # guard: "chaque" before its noun asks for a list, not one part per subject
    listed = _ask(world, "Quel bureau couvre chaque pays : Kenya, Inde ?")
    assert len(listed.subs) == 1


def test_next_tool_climbs_the_ladder_and_stops_at_the_top(world: World) -> None:
    tools = {e.key: e for e in world.tool_entities}
    assert next_tool(tools["IEA"]) == "IRP"
    assert next_tool(tools["IRP"]) == "IRL"
    assert next_tool(tools["IRL"]) is None
    assert next_tool(tools["IRN"]) == "IRL"  # the network, beside the ladder, leads to a laboratory


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("Is the Malta office still open?", "office:malta"),
        ("Le bureau de Hanoï existe-t-il encore ?", "office:hanoi"),
        ("Which office covers Malta?", "country:MT"),
    ],
)
def test_a_former_office_is_named_by_its_city_only_beside_the_office_word(
    world: World, question: str, key: str
) -> None:
    assert _keys(_ask(world, question).entities)[:1] == [key]


def test_an_article_before_a_country_is_not_a_pronoun(world: World) -> None:
    """ "Et le Viêt Nam ?" after a routing answer asks about Viet Nam, not about "it" (the Tokyo office)."""
    history = [("Quel bureau couvre le Japon ?", "Le Japon relève du bureau du CNRS à Tokyo. [1]")]
    sub = _ask(world, "Et le Viêt Nam ?", history).subs[0]
    assert _keys(sub.entities) == ["country:VN"]
    assert not sub.inherited


def test_a_city_beside_the_office_word_is_the_office(world: World) -> None:
    assert _keys(find_entities("le bureau du CNRS à Singapour", world)) == ["office:singapore"]
    assert _keys(find_entities("Which office covers Singapore?", world)) == ["country:SG"]


@pytest.mark.parametrize(
    ("question", "time"),
    [
        ("Combien de bureaux le CNRS a-t-il à l'étranger ?", "today"),
        ("Qui dirige le bureau de Tokyo ?", "today"),
        ("Qui dirigeait le bureau de Tokyo ?", None),
        ("Combien de bureaux le CNRS avait-il en 2010 ?", None),
    ],
)
def test_present_tense_counts_and_directors_ask_about_now(
    world: World, question: str, time: str | None
) -> None:
    assert _ask(world, question).subs[0].time == time


def test_a_region_is_a_subject_unless_it_is_part_of_a_longer_name(world: World) -> None:
    assert _keys(find_entities("Does the CNRS run calls for collaborations with Africa?", world)) == [
        "region:africa"
    ]
    assert _keys(find_entities("une institution académique africaine", world)) == ["region:africa"]
    assert "region:africa" not in _keys(find_entities("le bureau couvre l'Afrique du Sud", world))
    assert "region:asia" not in _keys(find_entities("le bureau pour l'Asie du Nord-Est", world))


@pytest.mark.parametrize(
    ("question", "inherits"),
    [
        ("Quelle est la différence entre un IRP et un IRL ?", False),  # "la": an article
        ("Y a-t-il un appel en Inde pour les IRP ?", False),  # "y", "en": not pronouns here
        ("Et qui le dirige ?", True),
        ("Peut-on le renouveler ?", True),
    ],
)
def test_french_articles_are_not_pronouns_pointing_back(world: World, question: str, inherits: bool) -> None:
    history = [("Quel bureau couvre le Kenya ?", "Le Kenya relève du bureau du CNRS à Nairobi. [1]")]
    keys = _keys(_ask(world, question, history).subs[0].entities)
    assert ("office:nairobi" in keys) is inherits, keys


# -- structures the documents know, and those they do not ---------------------------------------------------


def test_a_tool_and_its_partner_a_few_words_apart_are_the_structure_the_corpus_names(world: World) -> None:
    said = "Le premier IRC a été signé avec l'Université d'Arizona le 14 avril 2021."
    assert _keys(find_entities(said, world)) == ["name:irc arizona"]


def test_a_country_after_a_tool_stays_a_country(world: World) -> None:
    assert _keys(find_entities("Combien d'IRL au Japon ?", world)) == ["tool:IRL", "country:JP"]


def test_a_follow_up_on_the_structure_the_last_answer_named_is_about_it(world: World) -> None:
    analysis = _ask(
        world,
        "Qu'est-ce qui a précédé sa signature ?",
        [
            ("C'est quoi un IRC ?", "Un IRC est un dispositif institutionnel du CNRS. [1]"),
            ("Et le tout premier ?", "Le premier IRC a été signé avec l'Université d'Arizona en 2021. [1]"),
        ],
    )
    assert "name:irc arizona" in _keys(analysis.subs[0].entities)


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("I work with the IRL ILANCE. Which office covers its country?", ("IRL ILANCE",)),
        ("Je rejoins le LIA ZORGLUB au Japon, quel bureau ?", ("LIA ZORGLUB",)),
        ("Qui dirige l'IRL CROSSING ?", ()),  # in the corpus
        ("The IRL ElyT-MaX is in Sendai: which office?", ()),
        ("Combien d'IRL au Japon ?", ()),
    ],
)
def test_a_structure_no_document_mentions_is_noted(
    world: World, question: str, unknown: tuple[str, ...]
) -> None:
    assert _ask(world, question).unknown == unknown


def test_a_name_inside_a_longer_word_of_the_corpus_is_not_known(world: World) -> None:
    assert "eman" in world.corpus_text  # "allemand", "demande"...
    assert not world.known_word("eman")
    assert world.known_word("crossing")


# -- what a list question lists ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        (
            "Which CNRS joint structures in China does the documentation name as examples?",
            "CNRS joint structures in China",
        ),
        ("Quels sont les différents types d'appels de l'ERC ?", "types d'appels de l'ERC"),
        ("Quels grands défis le comité scientifique de l'IRC a-t-il retenus ?", "grands défis"),
        (
            "Quels étaient les cinq partenaires des PhD Joint Programs du CNRS en 2023 ?",
            "partenaires des PhD Joint Programs du CNRS en 2023",
        ),
        ("Quels pays couvre le bureau de Pretoria ?", "pays"),
        ("Quels outils pour le Japon ?", "outils pour le Japon"),
        ("What is an IRL?", ""),
        ("Qui dirige le bureau de Tokyo ?", ""),
    ],
)
def test_a_list_question_names_what_it_lists(question: str, noun: str) -> None:
    assert listed_noun(question) == noun


# -- second session of 2026-12-06: kinds read on held-out set F -------------------------------------------


def test_a_when_clause_before_a_question_is_not_a_question_of_its_own(world: World) -> None:
    clause = _ask(world, "When the CNRS opened its office in India, what was it supposed to do?")
    assert len(clause.subs) == 1 and clause.subs[0].attribute == "mission"
    asked = _ask(world, "When did the Nairobi office open, and who heads it?")
    assert [s.intent for s in asked.subs] == ["when", "who"]
    french = _ask(world, "Quand le bureau de New Delhi a-t-il ouvert, et qui le dirigeait ?")
    assert len(french.subs) == 2


def test_an_instruction_after_the_question_shapes_it(world: World) -> None:
    analysis = _ask(world, "What was the New Delhi office supposed to do? List the planned actions.")
    assert len(analysis.subs) == 1 and analysis.subs[0].intent == "list"
    assert not any(e.kind == "name" for e in analysis.subs[0].entities)  # "List" is no name


def test_a_preposition_before_the_asking_word_still_starts_a_part(world: World) -> None:
    analysis = _ask(
        world, "Il ressemble à quel outil du CNRS, et dans combien de projets la France était-elle ?"
    )
    assert [s.intent for s in analysis.subs] == ["general", "how_many"]


def test_one_of_them_in_a_country_is_the_previous_subject_there(world: World) -> None:
    history = [("What is a CNRS International Research Center?", "An IRC is an institutional scheme. [1]")]
    analysis = _ask(world, "Is there one in the UK, and since when?", history)
    assert _keys(analysis.subs[0].entities) == ["tool:IRC", "country:GB"]
    assert _keys(analysis.subs[1].entities) == ["tool:IRC", "country:GB"]  # "since when": of that one


def test_he_after_a_who_answer_is_the_person_it_named(world: World) -> None:
    history = [
        (
            "Qui a été le premier directeur du bureau de Melbourne ?",
            "Jean-Paul Toutain est le premier directeur du bureau du CNRS à Melbourne. [1]",
        )
    ]
    sub = _ask(world, "Et avant ça, il dirigeait quoi ?", history).subs[0]
    assert _keys(sub.entities)[0] == "name:jean-paul toutain" and sub.about_person and sub.value == ""
    # ... but "il" of a place verb is still the office
    opened = _ask(world, "Et il a ouvert quand ?", history).subs[0]
    assert _keys(opened.entities)[0] == "office:melbourne"


def test_both_sides_after_a_country_question_is_that_country(world: World) -> None:
    history = [("How much does the CNRS co-publish with Canada?", "More than 2,400 articles a year. [1]")]
    sub = _ask(world, "For how long have researchers from both sides been working together?", history).subs[0]
    assert _keys(sub.entities) == ["country:CA"]


@pytest.mark.parametrize(
    "question",
    [
        "When was the first IRC created: 2020 or 2021?",
        "Une UMI durait combien de temps ? J'ai vu 4 ans, 5 ans, et même 12 ans.",
        "Le plan Afrique date de 2021 ou de 2022 ? Je trouve les deux.",
        # two values quoted, then which one holds, or one source set against another
        "My notes say 'about 40 IRLs' and 'over 80 IRLs' for the CNRS. Which one is right?",
        "Le rapport annonce 25 bureaux, mais le site du CNRS en mentionne 11. Lequel est juste ?",
        "Combien de pays couvre le bureau de Pékin ? Une brochure parle de 3, mais la page du bureau en cite 2.",
    ],
)
def test_values_the_asker_quotes_mean_the_sources_differ(world: World, question: str) -> None:
    assert _ask(world, question).expects_conflict


def test_where_a_value_was_read_is_not_the_subject(world: World) -> None:
    analysis = _ask(
        world, "What share of CNRS recruits are foreigners? I've seen two percentages on DERCI pages."
    )
    assert analysis.subs[0].entities == ()


def test_what_a_named_scheme_resembles_is_not_advice(world: World) -> None:
    assert (
        _ask(world, "Le programme Core-to-Core, il ressemble à quel outil du CNRS ?").subs[0].intent
        != "recommend"
    )
    assert _ask(world, "Quel outil du CNRS choisir ?").subs[0].intent == "recommend"


def test_what_the_asker_is_doing_before_a_colon_is_background(world: World) -> None:
    analysis = _ask(
        world, "Je prépare une chronologie pour la lettre interne : quelles visites du PDG Antoine Petit ?"
    )
    assert "chronologie" not in analysis.subs[0].text and analysis.subs[0].intent == "list"
    assert "name:antoine petit" in _keys(analysis.subs[0].entities)  # the PDG's name, not "PDG Antoine Petit"
    # ... but a question that points to the statement keeps it
    kept = _ask(
        world, "Je dois écrire au directeur du bureau du CNRS en Chine : comment s'appelle cette personne ?"
    )
    assert kept.subs[0].attribute == "director"


def test_a_bare_asking_word_shares_the_next_question(world: World) -> None:
    analysis = _ask(world, "Is there a scheme for this with Toronto, how and when do we apply?")
    assert [s.text for s in analysis.subs[1:]] == ["how do we apply", "when do we apply"]
    assert all(s.attribute == "calendar" for s in analysis.subs[1:])  # "apply": how and when, not who may


def test_a_property_after_a_comma_and_a_preposition_is_its_own_part(world: World) -> None:
    analysis = _ask(
        world, "IEA : qui dépose la demande, pour combien de temps, et à quelle période de l'année ?"
    )
    texts = [s.text for s in analysis.subs]
    assert texts[0] == "IEA qui dépose la demande" and len(texts) == 3
    assert analysis.subs[2].attribute == "calendar"  # "à quelle période de l'année": when to submit


def test_a_condition_before_a_question_is_not_a_part_of_its_own(world: World) -> None:
    analysis = _ask(world, "Et si on voulait ajouter une université, est-ce qu'on peut la proposer ?")
    assert len(analysis.subs) == 1 and analysis.subs[0].intent == "yes_no"


def test_spoken_french_asks_at_the_end_without_a_question_mark(world: World) -> None:
    analysis = _ask(world, "le bureau de Hanoï a fermé quand ? et il partageait ses locaux avec qui")
    assert len(analysis.subs) == 2 and analysis.subs[1].value == ""  # organisations, not a person


def test_is_that_right_turns_the_reported_claim_into_the_question(world: World) -> None:
    analysis = _ask(world, "My colleague says the CNRS has an office in Seoul. Is that right?")
    assert analysis.subs[0].text == "Is it true that the CNRS has an office in Seoul"
    assert _keys(analysis.subs[0].entities) == ["country:KR"]


def test_a_university_in_the_background_is_not_the_topic_before_a_scheme(world: World) -> None:
    analysis = _ask(
        world, "I work with Imperial College London on the PhD Joint Programs. When are results out?"
    )
    assert _keys(analysis.subs[0].entities)[0] == "tool:JOINT-PHD"


def test_franco_and_a_country_adjective_name_the_country(world: World) -> None:
    assert "country:IN" in _keys(find_entities("un mécanisme franco-indien", world))
    assert "org:G6" in _keys(find_entities("g6 c'est quoi", world))


# -- where a value was read, where the asker works, a structure named with its partner ---------------------


def test_the_page_a_value_was_read_on_is_not_the_subject(world: World) -> None:
    analysis = _ask(
        world,
        "Ma collègue dit qu'un IRN dure 4 ans, mais la page du bureau de Tokyo dit 5 ans. C'est combien ?",
    )
    (sub,) = analysis.subs
    assert _keys(sub.entities) == ["tool:IRN"]
    assert sub.attributes[:1] == ("duration",)  # the values reported are durations
    assert analysis.expects_conflict  # "X says 4 years, but Y says 5 years"


@pytest.mark.parametrize(
    "question",
    [
        "Which one is the office for Japan, and how many IRLs were there in 2023?",
        "Le bureau de Tokyo a ouvert en 1994, mais combien de pays couvre-t-il ?",
    ],
)
def test_one_value_or_a_plain_but_is_no_conflict(world: World, question: str) -> None:
    assert not _ask(world, question).expects_conflict


def test_a_bare_how_much_without_reported_values_asks_no_duration(world: World) -> None:
    analysis = _ask(world, "Un collègue m'a parlé des IRN. C'est combien ?")
    assert "duration" not in analysis.subs[0].attributes
    assert not analysis.expects_conflict


def test_where_the_asker_works_is_not_the_subject(world: World) -> None:
    analysis = _ask(
        world, "Je suis nouvelle au pôle Europe de la DEI. Quels pays co-publient le plus avec le CNRS ?"
    )
    assert not analysis.subs[0].entities  # neither the pole nor the DEI it belongs to


def test_a_structure_named_with_its_partner_is_not_the_partner(world: World) -> None:
    entities = find_entities("Quand l'IRC avec Imperial College London a-t-il été signé ?", world)
    assert [e.kind for e in entities if e.kind == "name"] == ["name"]  # the IRC, not also the college
    (irc,) = [e for e in entities if e.kind == "name"]
    assert "imperial" not in irc.aliases  # a sentence on Imperial College in another role is not the IRC
    assert "irc avec l'imperial" in irc.aliases
    # a unit's own name right after its type stays a name on its own
    unit = next(e for e in find_entities("The UMI MSE is based at MIT.", world) if e.key == "umi mse")
    assert "mse" in unit.aliases


# -- comparisons asked without a question mark, and what they compare -------------------------------------


def test_the_differences_after_a_background_compare_its_two_sides_not_the_place(world: World) -> None:
    analysis = _ask(
        world,
        "Nous hésitons entre un IRP et un IRN pour un réseau avec des collègues suédois. Quelles sont les différences ?",
    )
    (sub,) = analysis.subs
    assert sub.intent == "compare" and _keys(sub.entities) == ["tool:IRP", "tool:IRN"]


def test_a_request_to_compare_is_a_question(world: World) -> None:
    analysis = _ask(
        world, "Pour une réunion, je voudrais comparer les bureaux de Tokyo et de Pékin : date d'ouverture."
    )
    assert analysis.subs and analysis.subs[0].intent == "compare"
    assert {"office:tokyo", "office:beijing"} <= set(_keys(analysis.subs[0].entities))
    asked = _ask(
        world,
        "Our lab ran a LIA and now it is an IRP. Compare them: how long each lasts and how each is funded.",
    )
    assert [s.attributes[:1] for s in asked.subs[-2:]] == [("duration",), ("funding",)]
    assert all(_keys(s.entities) == ["tool:LIA", "tool:IRP"] for s in asked.subs[-2:])


def test_a_success_rate_is_its_own_property(world: World) -> None:
    (sub,) = _ask(world, "What is the acceptance rate of the IRP call?").subs
    assert sub.attributes == ("success_rate",)  # not the call's calendar, not any percentage


def test_on_site_is_no_rank_and_my_relay_is_whom_to_contact(world: World) -> None:
    (sub,) = _ask(world, "En cas de crise sur place, qui est mon relais CNRS ?").subs
    assert "rank" not in sub.attributes and "contact" in sub.attributes


def test_a_former_office_named_by_what_it_covered(world: World) -> None:
    entities = find_entities("I read that the CNRS once had an office for the Mediterranean.", world)
    assert _keys(entities) == ["office:malta"]
    assert _keys(find_entities("Le CNRS avait-il un bureau pour la Méditerranée ?", world)) == [
        "office:malta"
    ]
    # the sea itself is no office
    assert "office:malta" not in _keys(find_entities("a programme on the Mediterranean environment", world))


def test_what_the_asker_read_is_the_subject_not_where(world: World) -> None:
    (sub,) = _ask(
        world, "I read that the CNRS once had an office for the Mediterranean. Does it still exist?"
    ).subs
    assert _keys(sub.entities) == ["office:malta"]


def test_a_part_whose_verb_has_the_cnrs_for_subject_is_about_the_whole_cnrs(world: World) -> None:
    analysis = _ask(
        world,
        "Mon directeur faisait des « échanges de chercheurs » dans le cadre de conventions, comment ça "
        "s'articulait avec les outils de la DERCI, et combien d'accords le CNRS avait-il avec des organismes "
        "étrangers vers 2002 ?",
    )
    count = analysis.subs[-1]
    assert (
        count.intent == "how_many" and not count.entities
    )  # not the DERCI of the part before, nor the topic
    analysis = _ask(world, "Je pars au Kenya. Le CNRS y était-il déjà actif avant ?")
    assert _keys(analysis.subs[-1].entities) == ["country:KE"]  # "y" is still Kenya


def test_a_question_after_a_comma_starting_with_qu_est_is_a_part_of_its_own() -> None:
    parts = [
        text
        for _, text in split("Quand l'antenne a-t-elle été lancée, qu'est-elle devenue, et qui la dirige ?")
    ]
    assert parts == ["Quand l'antenne a-t-elle été lancée", "qu'est-elle devenue", "qui la dirige"]


def test_how_a_country_ranked_asks_its_rank(world: World) -> None:
    analysis = _ask(world, "Comment la France s'est-elle classée dans le programme Core-to-Core en 2020 ?")
    assert "rank" in analysis.subs[0].attributes and "calendar" not in analysis.subs[0].attributes


def test_which_of_two_came_first_is_a_comparison(world: World) -> None:
    analysis = _ask(world, "Which opened first, the CNRS office in Ottawa or the one in Melbourne?")
    assert analysis.subs[0].intent == "compare" and len(analysis.subs[0].entities) == 2


def test_how_both_claims_can_be_right_asks_the_property_they_give(world: World) -> None:
    analysis = _ask(
        world,
        "Nairobi is called the CNRS's 11th office, but the 2012 activity report already counted 11 offices. "
        "How can both be right?",
    )
    assert analysis.subs[-1].attributes == ("rank", "count")


def test_an_inverted_french_question_after_et_is_a_part_of_its_own() -> None:
    parts = [
        text
        for _, text in split("Qui suit les IRL en Chine, et le bureau de Pékin peut-il aider sur place ?")
    ]
    assert parts == ["Qui suit les IRL en Chine", "le bureau de Pékin peut-il aider sur place"]


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        (
            "Bureaux de Tokyo et de Pékin : quelles différences de date et d'hébergement ?",
            ("opening", "location"),
        ),
        ("Is the office shared with other organisations?", ("partners",)),
        ("Comment les zones sont-elles réparties ?", ("zone",)),
        ("IRN et IRP : format et durée ?", ("format", "duration")),
        ("Which area does each organisation cover?", ("zone",)),
    ],
)
def test_the_properties_a_question_lists_are_read(
    world: World, question: str, asked: tuple[str, ...]
) -> None:
    analysis = _ask(world, question)
    assert analysis.subs[0].attributes[: len(asked)] == asked


def test_two_figures_then_which_to_believe_asks_what_the_figures_give(world: World) -> None:
    analysis = _ask(
        world, "On lit plus de 700 M€ depuis 1983, mais 720 M€ pour l'ERC seul ? Quel chiffre croire ?"
    )
    assert len(analysis.subs) == 1 and analysis.subs[0].attributes == ("funding",)
    assert analysis.expects_conflict


def test_a_typed_last_sentence_without_a_question_mark_still_asks(world: World) -> None:
    analysis = _ask(
        world, "cb d'accords le cnrs avait en 2002 ?? et en 2010 il soutenait cb de structures de coop"
    )
    assert len(analysis.subs) == 2
    assert analysis.subs[1].years == (2010,) and analysis.subs[1].intent == "how_many"
    # a closing remark with no asking word is still no question
    closing = _ask(world, "Quel bureau couvre le Japon ? Merci, et bonne journée à toute l'équipe")
    assert len(closing.subs) == 1


def test_the_agreement_in_a_follow_up_is_the_structure_s_not_the_person_s(world: World) -> None:
    history = [
        ("Does the CNRS have a maths lab in Japan?", "Yes: the FJLMI, an IRL. [1]"),
        ("Who heads it on the French side?", "Its French director is Michael Pevzner. [1]"),
    ]
    (sub,) = _ask(world, "And when was the agreement signed?", history).subs
    assert sub.inherited
    assert "name:fjlmi" in _keys(sub.entities)
    assert not any("pevzner" in key for key in _keys(sub.entities))


def test_something_comparable_in_a_follow_up_is_compared_with_what_was_discussed(world: World) -> None:
    history = [
        ("Qu'est-ce que CNRS@CREATE ?", "CNRS@CREATE est la première filiale du CNRS hors de France. [1]")
    ]
    (sub,) = _ask(world, "Does any other research body have something comparable in Singapore?", history).subs
    assert sub.intent == "yes_no"
    assert sub.inherited and "name:cnrs@create" in _keys(sub.entities)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("Who coordinates the IPE network?", ""),  # an office answers as well as a person
        ("Qui finance le CEFIPRA ?", ""),
        ("Who hosts the Ottawa office?", ""),
        ("Who runs the Tokyo office?", "person"),
        ("Qui dirige le bureau de Pékin ?", "person"),
        ("Who am I supposed to inform?", ""),  # a role: "the director of their unit"
        ("Qui a signé l'accord de l'IRC Discovery ?", "person"),  # signatories are people
    ],
)
def test_who_does_what_bodies_do_is_answered_by_a_body_too(world: World, question: str, value: str) -> None:
    assert _ask(world, question).subs[0].value == value


def test_that_office_in_a_follow_up_is_the_office_the_last_answer_named(world: World) -> None:
    history = [
        ("What is the IPE network?", "The IPE form a network. [1]"),
        ("Who coordinates it?", "The IPE network is coordinated by the CNRS office in Brussels. [1]"),
    ]
    (sub,) = _ask(world, "Does that office run any other networks?", history).subs
    assert _keys(sub.entities) == ["office:brussels"]


@pytest.mark.parametrize(
    ("sentence", "parts"),
    [
        ("What does an IRN fund and can it be renewed", ["What does an IRN fund", "can it be renewed"]),
        (
            "Is the IEA open to lecturers and does it pay salaries",
            ["Is the IEA open to lecturers", "does it pay salaries"],
        ),
        ("c'est quoi un IRL et il y a combien", ["c'est quoi un IRL", "il y a combien"]),
        ("C'est quoi un IRP et peut-on le prolonger", ["C'est quoi un IRP", "peut-on le prolonger"]),
        # "and" inside a part joins its subjects, not two questions
        ("Can an IEA and an IRP run at the same time", ["Can an IEA and an IRP run at the same time"]),
        ("Quel bureau couvre le Chili et le Pérou", ["Quel bureau couvre le Chili et le Pérou"]),
    ],
)
def test_a_closed_question_after_and_is_a_part_of_its_own(sentence: str, parts: list[str]) -> None:
    assert [text for _, text in split(sentence)] == parts


def test_a_last_line_opening_on_a_connective_and_an_asking_word_is_a_question(world: World) -> None:
    analysis = _ask(
        world,
        "is the DEI the only one running the international strategy?? our institute runs its own calls"
        "... so who does what between the dei n the institutes",
    )
    assert [s.intent for s in analysis.subs] == ["yes_no", "compare"]
    assert analysis.subs[1].text.startswith("who does what")


def test_a_bare_request_to_compare_takes_what_to_compare_from_the_sentence_before(world: World) -> None:
    sub = _ask(
        world,
        "Pour les nouveaux arrivants de la DEI, je veux mettre en parallèle Melbourne et Nairobi : date "
        "d'ouverture, zone couverte, premier directeur. Tu peux me faire le comparatif ?",
    ).subs[0]
    assert sub.intent == "compare"
    assert {"office:melbourne", "office:nairobi"} <= {f"{e.kind}:{e.key}" for e in sub.entities}
    assert {"opening", "zone", "director"} <= set(sub.attributes)
    # the DEI is where the asker stands, not a third thing to compare
    assert [e.key for e in _alike(sub.entities)] == ["melbourne", "nairobi"]


def test_a_request_that_is_no_comparison_does_not_take_the_sentence_before(world: World) -> None:
    # guard: a request out of scope stays out of scope, whatever the sentence after it names
    sub = _ask(
        world,
        "Peux-tu m'aider à remplir ma déclaration d'impôts ? J'ai été payé par l'Université de Melbourne.",
    ).subs[0]
    assert "Melbourne" not in sub.text


def test_the_directorate_stays_among_things_compared_of_different_kinds(world: World) -> None:
    sub = _ask(
        world, "Entre la DEI, le secteur Europe bilatérale et le bureau de Bruxelles, qui fait quoi ?"
    ).subs[0]
    assert "DEI" in [e.key for e in _alike(sub.entities)]


def test_a_month_is_no_name(world: World) -> None:
    analysis = _ask(world, "Which IRLs did the CEO inaugurate in Australia in November 2024?")
    assert "name:november" not in _keys(analysis.entities)


def test_an_alternative_joined_by_or_is_one_part_and_no_yes_or_no_question(world: World) -> None:
    assert split("Can I apply myself, or does the application have to come from the French side?") == [
        ("", "Can I apply myself, or does the application have to come from the French side")
    ]
    analysis = _ask(world, "Can I apply to an IEA myself, or does the application have to come from France?")
    assert [s.intent for s in analysis.subs] == ["general"]
    # guard: ", or who ..." still asks a second question
    assert len(split("Is the Tokyo office still open, or who covers Japan now?")) == 2


def test_asking_for_anyone_who_could_help_asks_whom_to_contact(world: World) -> None:
    analysis = _ask(world, "Is there anyone from the CNRS in Kenya who could help us get started?")
    assert "contact" in analysis.subs[0].attributes


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("je veux tenter l'erc cette année", "org:ERC"),
        ("c'est quoi le spv de ma délégation ?", "org:SPV"),
        ("le pdg du cnrs a signé quoi ?", "org:PDG"),
    ],
)
def test_an_acronym_typed_in_lower_case_is_still_the_acronym(
    world: World, question: str, expected: str
) -> None:
    assert expected in _keys(_ask(world, question).entities)


@pytest.mark.parametrize(
    "question", ["mon ami chercheur au japon, quel bureau ?", "a new era of cooperation?"]
)
def test_a_lower_case_word_that_spells_an_acronym_stays_the_word(world: World, question: str) -> None:
    assert not {"org:AMI", "org:ERA", "org:EER"} & set(_keys(_ask(world, question).entities))


def test_two_kinds_named_bare_after_their_family_are_those_kinds(world: World) -> None:
    analysis = _ask(world, "je veux tenter l'erc mais starting ou consolidator ?")
    assert _keys(analysis.entities) == ["org:ERC", "org:StG", "org:CoG"]


def test_one_everyday_word_after_a_family_is_not_a_kind_of_it(world: World) -> None:
    analysis = _ask(world, "I'm starting to think about an ERC application: where do I find advice?")
    assert _keys(analysis.entities) == ["org:ERC"]


def test_chat_spellings_of_je_are_expanded_and_the_asker_s_need_is_its_own_part(world: World) -> None:
    analysis = _ask(world, "c cb le max pr une erc starting et jdois voir qui en 1er pr le montage ?")
    assert [s.text for s in analysis.subs] == [
        "c'est combien le max pour une erc starting",
        "je dois voir qui en 1er pour le montage",
    ]
    assert analysis.subs[0].attributes == ("funding",)  # the ceiling of a grant: a sum, not a count
    assert analysis.subs[0].value == "amount"
    assert "contact" in analysis.subs[1].attributes  # whom to see


def test_an_english_need_after_and_is_its_own_part(world: World) -> None:
    analysis = _ask(world, "what is the IEA budget and I need to know who to contact in Tokyo")
    assert [s.text for s in analysis.subs] == [
        "what is the IEA budget",
        "I need to know who to contact in Tokyo",
    ]
    assert "contact" in analysis.subs[1].attributes


@pytest.mark.parametrize(
    ("sentence", "asked"),
    [
        ("For an internal audit, which offices carry out monitoring?", "which offices carry out monitoring"),
        (
            "Pour une note interne : quels bureaux ont ouvert depuis 2010 ?",
            "quels bureaux ont ouvert depuis 2010",
        ),
        ("For my report which tools last five years?", "which tools last five years"),
    ],
)
def test_what_the_answer_is_for_is_no_word_of_the_question(sentence: str, asked: str) -> None:
    assert split(sentence) == [("", asked)]


def test_numbered_requests_asked_of_each_are_one_part_each(world: World) -> None:
    analysis = _ask(
        world,
        "Trois collègues m'ont écrit : 1) un labo de Lima au Pérou veut monter un projet avec nous ; 2) une équipe "
        "veut déposer un projet Horizon Europe et cherche de l'aide pour le montage ; 3) une université "
        "thaïlandaise propose un accord. Vers qui orienter chacun ?",
    )
    assert [_keys(s.entities) for s in analysis.subs] == [["country:PE"], ["org:FP9"], ["country:TH"]]
    assert all("contact" in s.attributes for s in analysis.subs)
    assert analysis.subs[1].text.endswith(
        "une équipe veut déposer un projet Horizon Europe et cherche de l'aide pour le montage"
    )


def test_a_kind_of_lab_the_asker_works_in_is_not_the_subject_beside_what_is_asked(world: World) -> None:
    from assistant.planner import _primary

    (sub,) = _ask(
        world, "une chercheuse d'une UMR de Rennes veut monter un projet Horizon Europe : qui l'aide ?"
    ).subs
    assert _keys(_primary(sub)[0]) == ["org:FP9"]


def test_the_steps_of_a_scheme_in_the_background_are_the_scheme_s_not_the_partner_s(world: World) -> None:
    analysis = _ask(
        world,
        "Depuis 2020 on a publié quatre articles avec un groupe de l'UFRJ à Rio et on voudrait passer à un "
        "International Research Project dans la campagne 2026. Quelles sont les étapes avant le dépôt ?",
    )
    assert [_keys(s.entities) for s in analysis.subs] == [["tool:IRP"]]


def test_asking_how_a_word_translates_does_not_make_a_background_scheme_the_subject(world: World) -> None:
    # a guard: "comment ... ?" is a procedure part whose calendar is only a default, not asked
    analysis = _ask(world, "Dans l'appel IEA 2023, je lis « DEI ». Comment ça se dit en français ?")
    assert "tool:IEA" not in _keys(analysis.subs[0].entities)


# -- what a part asks, read from its own words ----------------------------------------------------------


def test_a_choice_between_two_options_is_one_part_and_where_is_another(world: World) -> None:
    options = _ask(
        world,
        "Un IRN doit-il porter sur une seule région du monde, ou peut-on couvrir plusieurs continents ?",
    )
    assert len(options.subs) == 1
    # "où" (where) after a comma asks another thing; "ou qui" too
    where = _ask(world, "Quelle était sa discipline, où avait-il été attaché scientifique auparavant ?")
    assert len(where.subs) == 2
    who = _ask(world, "Le bureau de Bruxelles peut-il m'aider, ou qui suit la Suisse au CNRS ?")
    assert len(who.subs) == 2 and "contact" in who.subs[1].attributes


def test_a_bare_which_one_is_asked_by_the_parts_that_follow(world: World) -> None:
    analysis = _ask(
        world, "Saul Perlmutter co-directs a CNRS international lab. Which one, and in what field?"
    )
    assert [s.text for s in analysis.subs if s.text.strip().lower() == "which one"] == []


def test_which_ones_are_what_the_sentence_before_names(world: World) -> None:
    analysis = _ask(world, "I'm mapping the CNRS's joint labs in Canada. Which ones can you name?")
    sub = analysis.subs[0]
    assert sub.intent == "list" and sub.attributes[:1] == ("structures",)
    assert listed_noun("Which ones can you name?") == ""


def test_a_list_that_names_what_it_lists_does_not_take_the_clause_before_as_its_property(
    world: World,
) -> None:
    analysis = _ask(
        world,
        "Depuis qu'il est installé dans la nouvelle ambassade à Pékin, avec quels services de l'ambassade le "
        "bureau du CNRS travaille-t-il ?",
    )
    assert analysis.subs[0].intent == "list" and "location" not in analysis.subs[0].attributes


@pytest.mark.parametrize(
    ("question", "attribute", "absent"),
    [
        (
            "Avec quels types d'interlocuteurs le bureau de Melbourne travaille-t-il dans la région ?",
            "partners",
            "zone",
        ),
        ("L'Égypte dépend-elle du bureau de Nairobi ?", "zone", None),
        ("Who works at the CNRS office in São Paulo?", "director", None),
        ("Is it too late to apply to the PhD Joint Programs this round?", "calendar", None),
        ("Is the Centre de sciences humaines linked to the CNRS?", "partners", None),
        ("Does the CNRS still come out on top once you account for its size?", None, "closing"),
    ],
)
def test_the_property_a_wording_asks(
    world: World, question: str, attribute: str | None, absent: str | None
) -> None:
    attributes = _ask(world, question).subs[0].attributes
    assert attribute is None or attribute in attributes
    assert absent is None or absent not in attributes


def test_how_long_has_it_been_there_asks_since_when(world: World) -> None:
    sub = _ask(world, "How long has the IRL LN2 been there?").subs[0]
    assert sub.intent == "when" and sub.attributes[:1] == ("opening",)


def test_who_sat_on_a_committee_asks_for_people(world: World) -> None:
    sub = _ask(world, "Qui siégeait au comité de sélection de la campagne CNRS-Afrique 2023 ?").subs[0]
    assert sub.value == "person"


def test_a_city_inside_a_university_s_name_is_not_the_office_there(world: World) -> None:
    named = _keys(
        find_entities(
            "Le jour de la création de l'IRC CNRS–Université de Tokyo, un IRL a-t-il été créé ?", world
        )
    )
    assert "office:tokyo" not in named
    assert "office:tokyo" in _keys(find_entities("Qui dirige le bureau de Tokyo ?", world))


def test_a_capital_is_its_country(world: World) -> None:
    keys = _keys(find_entities("Des partenaires à Oulan-Bator, à La Havane et à Asunción", world))
    assert {"country:MN", "country:CU", "country:PY"} <= set(keys)


def test_an_ampersand_and_a_closed_question_after_a_colon_start_parts(world: World) -> None:
    assert [text for _, text in split("how many grants did it host & what's its success rate?")] == [
        "how many grants did it host",
        "what's its success rate",
    ]
    subs = _ask(world, "Je suis post-doctorant dans une UMR : puis-je coordonner un IRP ?").subs
    assert subs[-1].intent == "yes_no" and subs[-1].text.startswith("puis-je")


def test_two_things_named_before_are_what_these_two_compares(world: World) -> None:
    sub = _ask(world, "J'ai trouvé un LIA et une UMI. Quelle différence entre ces deux formules ?").subs[0]
    assert {e.key for e in sub.entities} == {"LIA", "UMI"}


def test_a_plan_for_next_year_is_the_askers_timeline_not_the_future(world: World) -> None:
    assert (
        _ask(world, "Comme je pars l'an prochain, notre postdoc peut-il coordonner l'IRP ?").subs[0].time
        is None
    )
    assert _ask(world, "Qui sera le prochain directeur du bureau de Tokyo ?").subs[0].time == "future"


def test_there_takes_the_country_the_message_named(world: World) -> None:
    sub = _ask(world, "We are moving to Singapore. Which IRLs are based there?").subs[-1]
    assert "SG" in {e.key for e in sub.entities}


def test_a_campaign_asked_open_asks_its_dates_not_an_opening(world: World) -> None:
    (sub,) = _ask(world, "When was the 2014 PICS campaign open?").subs
    assert sub.attributes == ("calendar",)
    (sub,) = _ask(world, "La campagne PICS 2014 était ouverte entre quelles dates ?").subs
    assert sub.attributes == ("calendar",)
    (office,) = _ask(world, "When did the Nairobi office open?").subs
    assert office.attributes == ("opening",)


def test_the_thing_named_again_keeps_the_year_the_part_before_gave_it(world: World) -> None:
    analysis = _ask(
        world, "For the 2014 PICS campaign, which countries had joint calls, and when was the campaign open?"
    )
    assert len(analysis.subs) == 2
    assert analysis.subs[1].years == (2014,)
    # a part about something else does not take the year
    other = _ask(
        world, "Which countries had joint PICS calls in 2014, and when did the IEA replace the PICS?"
    )
    assert other.subs[-1].years == ()


def test_a_lead_in_before_a_colon_is_not_part_of_the_first_question(world: World) -> None:
    analysis = _ask(
        world,
        "Before I start writing anything: who am I supposed to inform, and who handles the ERC application?",
    )
    assert fold_text(analysis.subs[0].text) == "who am i supposed to inform"


def test_the_askers_institute_yields_to_the_tool_a_later_sentence_names(world: World) -> None:
    analysis = _ask(
        world,
        "Mon laboratoire est rattaché à CNRS Sciences humaines & sociales. Nous voulons monter un IRP. "
        "Est-ce que je peux en être le coordinateur ? Quelle unité doit le porter ?",
    )
    assert _keys(analysis.subs[-1].entities)[0] == "tool:IRP"
    # named alone, the institute is still what the message is about
    alone = _ask(world, "Mon laboratoire est rattaché à CNRS Sciences humaines & sociales. Qui le dirige ?")
    assert _keys(alone.subs[-1].entities)[0] == "org:INSHS"


@pytest.mark.parametrize(
    ("sentence", "parts"),
    [
        (
            "what were its watchwords, roughly how many actions did it contain",
            ["what were its watchwords", "how many actions did it contain"],
        ),
        (
            "quel est son budget, environ combien de partenaires",
            ["quel est son budget", "combien de partenaires"],
        ),
    ],
)
def test_an_adverb_before_the_asking_word_after_a_comma_starts_a_part(
    sentence: str, parts: list[str]
) -> None:
    assert [text for _, text in split(sentence)] == parts
