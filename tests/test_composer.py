"""Tests of assistant.composer (pure): the answer written from a plan built by hand — paragraphs, bullets
after a lead or a count, conflicts, gaps and whom to ask, refusals that name the DEI by its current name,
the checks that drop a sentence that cannot stand alone, and citations numbered per passage and source
URL, each linking to the URL of the sentence it backs."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.citations import markers
from assistant.composer import Line, compose, render, unglossed
from assistant.index import StoredChunk
from assistant.planner import Part, Plan, Statement
from assistant.prompts import ASK, ASK_REST, CONFLICT_LEAD, DEI_CONTACT, ITEMS_LEAD, OFF_TOPIC
from assistant.question import Analysis, SubQuestion
from assistant.retrieval import Hit
from assistant.selection import Candidate, sentences_of
from assistant.sources import LINE_SOURCES, encode_line_sources
from assistant.verdicts import states_refusal

URL_DURATION = "https://example.org/iea-duration"
URL_FUNDING = "https://example.org/iea-funding"
URL_PAGE = "https://example.org/iea"

IEA = (
    ("The IEA lasts two years.", (URL_DURATION,)),
    ("It is not renewable.", (URL_DURATION,)),
    ("It funds travel and short stays.", (URL_FUNDING,)),
    ("See the IEA page for details.", (URL_PAGE,)),
    ("Three costs are covered: travel, stays and workshops.", (URL_FUNDING,)),
)


def _hit(
    lines: Sequence[tuple[str, tuple[str, ...]]] = IEA,
    *,
    cid: str = "iea#1",
    lang: str = "en",
    title: str = "IEA",
) -> Hit:
    meta = {
        "lang": lang,
        "title": title,
        "section": "Duration",
        "path": f"{lang}/tool-iea.md",
        "doc_id": f"{lang}/tool-iea",
        LINE_SOURCES: encode_line_sources(lines),
    }
    return Hit(StoredChunk(cid, "\n".join(line for line, _ in lines), meta), 1.0, similarity=0.7)


HIT = _hit()
OTHER = _hit((("The IRP lasts five years.", (URL_PAGE,)),), cid="irp#1", title="IRP")


def _said(hit: Hit, position: int, role: str = "answer", text: str | None = None) -> Statement:
    """The statement of the `position`-th sentence of `hit` (or `text`, backed by that sentence)."""
    sentence = sentences_of(hit.chunk.text)[position]
    return Statement(text or sentence.text, Candidate(sentence, hit, 1.0, 1.0, True, True), role)


def _framing(text: str, role: str) -> Statement:
    return Statement(text, None, role)


def _part(
    *statements: Statement, status: str = "answered", intent: str = "general", verdict: str = ""
) -> Part:
    return Part(SubQuestion("q", intent, (), ()), status, statements, verdict=verdict)


def _plan(
    *parts: Part,
    lang: str = "en",
    refusal: str | None = None,
    hits: Sequence[Hit] = (HIT,),
    contact: str | None = None,
    place: str = "",
) -> Plan:
    analysis = Analysis("How long does an IEA last?", "How long does an IEA last?", lang, (), ())
    return Plan(analysis, parts, tuple(hits), 0.8, refusal=refusal, place=place, contact=contact)


# --- composition ----------------------------------------------------------------------------------


def test_compose_part_is_one_paragraph_with_every_sentence_cited() -> None:
    answer = compose(_plan(_part(_said(HIT, 0), _said(HIT, 1))))
    assert answer.text == "The IEA lasts two years. [1] It is not renewable. [1]"


def test_compose_parts_in_order_as_paragraphs() -> None:
    answer = compose(_plan(_part(_said(OTHER, 0)), _part(_said(HIT, 0))))
    assert answer.text == "The IRP lasts five years. [1]\n\nThe IEA lasts two years. [2]"


def test_compose_items_follow_their_lead_as_bullets() -> None:
    part = _part(
        _said(HIT, 4, "lead", "Three costs are covered:"), _said(HIT, 2, "item"), _said(OTHER, 0, "item")
    )
    assert compose(_plan(part)).text == (
        "Three costs are covered: [1]\n- It funds travel and short stays. [1]\n- The IRP lasts five years. [2]"
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compose_items_without_a_lead_get_a_count(lang: str) -> None:
    part = _part(_said(HIT, 0, "item"), _said(HIT, 2, "item"), _said(OTHER, 0, "item"))
    lines = compose(_plan(part, lang=lang)).text.split("\n")
    assert lines[0] == ITEMS_LEAD[lang].format(n=3)
    assert [line[:2] for line in lines[1:]] == ["- ", "- ", "- "]


@pytest.mark.parametrize(
    ("lang", "question", "lead"),
    [
        (
            "en",
            "Which CNRS joint structures in China does the documentation name?",
            "The documentation names 3 CNRS joint structures in China:",
        ),
        ("fr", "Quels grands défis le comité a-t-il retenus ?", "La documentation cite 3 grands défis :"),
    ],
)
def test_compose_count_lead_names_what_the_question_lists(lang: str, question: str, lead: str) -> None:
    listing = Part(
        SubQuestion(question, "list", (), ()),
        "answered",
        (_said(HIT, 0, "item"), _said(HIT, 2, "item"), _said(OTHER, 0, "item")),
    )
    assert compose(_plan(listing, lang=lang)).text.split("\n")[0] == lead


def test_compose_drops_a_passage_sentence_an_earlier_part_said_in_nearly_the_same_words() -> None:
    twin = _hit((("The IEA lasts two years, too.", (URL_PAGE,)),), cid="twin#1")
    answer = compose(_plan(_part(_said(HIT, 0)), _part(_said(twin, 0), _said(OTHER, 0))))
    assert answer.text == "The IEA lasts two years. [1]\n\nThe IRP lasts five years. [2]"


def test_compose_drops_a_sentence_giving_the_same_figures_of_the_same_thing_in_other_words() -> None:
    lia = _hit(
        (
            ("The LIA was a four-year laboratory without walls, renewable once.", (URL_PAGE,)),
            ("The GDRI was a four-year network, renewable once.", (URL_PAGE,)),
            (
                "The former LIA, which the IRP replaced, lasted four years and could be renewed once.",
                (URL_PAGE,),
            ),
            ("Another source gave the LIA five years, renewable once.", (URL_PAGE,)),
        ),
        cid="lia#1",
    )
    text = compose(_plan(_part(*(_said(lia, i) for i in range(4))))).text
    assert "The former LIA" not in text  # the LIA's four years, renewable once, again
    assert "The GDRI" in text and "five years" in text  # another thing; another figure


def test_compose_keeps_a_sentence_written_for_its_part_though_it_repeats_words() -> None:
    route = _said(HIT, 0, "answer", text="Contact the IEA desk: the IEA lasts two years.")
    answer = compose(_plan(_part(_said(HIT, 0)), _part(route)))
    assert "Contact the IEA desk" in answer.text


def test_compose_other_statements_of_a_list_come_before_its_lead() -> None:
    part = _part(_said(HIT, 2, "item"), _said(HIT, 0), _said(OTHER, 0, "item"))
    assert compose(_plan(part)).text == (
        "The IEA lasts two years. [1]\n\n"
        "The documentation names 2:\n- It funds travel and short stays. [2]\n- The IRP lasts five years. [3]"
    )


def test_compose_paragraph_after_a_list_is_a_paragraph_of_its_own() -> None:
    answer = compose(_plan(_part(_said(HIT, 0, "item"), _said(HIT, 2, "item")), _part(_said(OTHER, 0))))
    assert answer.text.endswith("- It funds travel and short stays. [2]\n\nThe IRP lasts five years. [3]")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compose_conflict_gives_each_value_after_the_conflict_lead(lang: str) -> None:
    part = _part(_said(HIT, 0, "conflict"), _said(OTHER, 0, "conflict"), status="conflict")
    assert compose(_plan(part, lang=lang)).text == (
        f"{CONFLICT_LEAD[lang]}\n- The IEA lasts two years. [1]\n- The IRP lasts five years. [2]"
    )


def test_compose_conflict_led_by_the_documents_own_disagreement_sentence() -> None:
    hit = _hit((("Les sources divergent sur la durée de l'IEA.", (URL_PAGE,)),), cid="divergent")
    part = _part(
        _said(HIT, 0, "conflict"), _said(hit, 0, "lead"), _said(OTHER, 0, "conflict"), status="conflict"
    )
    assert compose(_plan(part, lang="fr")).text == (
        "Les sources divergent sur la durée de l'IEA. [1]\n"
        "- The IEA lasts two years. [2]\n- The IRP lasts five years. [3]"
    )


def test_compose_conflict_of_one_statement_is_a_plain_paragraph() -> None:
    part = _part(_said(HIT, 0, "conflict"), status="conflict")
    assert compose(_plan(part)).text == "The IEA lasts two years. [1]"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compose_a_part_left_unanswered_beside_answered_ones_says_whom_to_ask(lang: str) -> None:
    # Our own not-found line is no claim we can vouch for (the documents often say it in other words):
    # beside answered parts, the unanswered one is named, with whom to ask.
    gap = _part(_framing("The IEA: the documentation does not give the budget.", "gap"), status="gap")
    answer = compose(_plan(_part(_said(HIT, 0)), gap, lang=lang))
    quoted = "« q »" if lang == "fr" else "\u201cq\u201d"
    assert answer.text.split("\n\n") == [
        "The IEA lasts two years. [1]",
        ASK_REST[lang].format(parts=quoted, contact=DEI_CONTACT[lang]),
    ]


def test_compose_a_gap_the_documents_state_is_said_beside_answered_parts() -> None:
    stated = _said(OTHER, 0, "gap", text="No source consulted gives the IEA budget.")
    answer = compose(_plan(_part(_said(HIT, 0)), _part(stated, status="gap")))
    assert answer.text.split("\n\n") == [
        "The IEA lasts two years. [1]",
        "No source consulted gives the IEA budget. [2]",
        ASK["en"].format(contact=DEI_CONTACT["en"]),
    ]


def test_compose_gap_names_the_contact_of_the_plan() -> None:
    gap = _part(_framing("The documentation does not give the budget.", "gap"), status="gap")
    answer = compose(_plan(gap, contact="the CNRS office in Tokyo"))
    assert answer.text.endswith("\n\nFor this point, contact the CNRS office in Tokyo.")


def test_compose_gap_whose_route_names_whom_to_ask_gets_no_contact_line() -> None:
    route = _said(HIT, 0, "route", text="At headquarters, Malta is handled by the Europe pole.")
    gap = _part(route, _framing("The documentation assigns Malta to no office abroad.", "gap"), status="gap")
    answer = compose(_plan(gap))
    assert answer.text == (
        "At headquarters, Malta is handled by the Europe pole. [1] "
        "The documentation assigns Malta to no office abroad."
    )


def test_compose_no_contact_line_without_a_gap() -> None:
    answer = compose(_plan(_part(_said(HIT, 0))))
    assert answer.text == "The IEA lasts two years. [1]"


def test_compose_drops_a_pointer_sentence() -> None:
    answer = compose(_plan(_part(_said(HIT, 0), _said(HIT, 3))))
    assert answer.text == "The IEA lasts two years. [1]"


def test_compose_drops_a_dangling_sentence_away_from_its_antecedent() -> None:
    answer = compose(_plan(_part(_said(HIT, 0), _said(HIT, 2))))  # "It funds..." follows "It is not..."
    assert answer.text == "The IEA lasts two years. [1]"


def test_compose_keeps_a_dangling_sentence_right_after_its_antecedent() -> None:
    answer = compose(_plan(_part(_said(HIT, 0), _said(HIT, 1))))
    assert "It is not renewable. [1]" in answer.text


def test_compose_keeps_a_dangling_sentence_that_is_the_whole_part() -> None:
    answer = compose(_plan(_part(_said(HIT, 1))))
    assert answer.text == "It is not renewable. [1]"


def test_compose_items_are_not_dropped_for_dangling() -> None:
    answer = compose(_plan(_part(_said(HIT, 0, "item"), _said(HIT, 2, "item"))))
    assert "- It funds travel and short stays. [2]" in answer.text


def test_compose_drops_a_sentence_an_earlier_part_stated() -> None:
    answer = compose(_plan(_part(_said(HIT, 0)), _part(_said(HIT, 0), _said(OTHER, 0))))
    assert answer.text == "The IEA lasts two years. [1]\n\nThe IRP lasts five years. [2]"


def test_compose_list_stays_whole_when_an_earlier_part_stated_an_item() -> None:
    listing = _part(_said(HIT, 0, "item"), _said(HIT, 2, "item"), _said(OTHER, 0, "item"))
    answer = compose(_plan(_part(_said(HIT, 0)), listing))
    assert answer.text.split("\n\n")[1].split("\n")[1:] == [
        "- The IEA lasts two years. [1]",
        "- It funds travel and short stays. [2]",
        "- The IRP lasts five years. [3]",
    ]


def test_compose_count_lead_counts_the_items_an_earlier_part_stated() -> None:
    listing = _part(_said(HIT, 0, "item"), _said(HIT, 2, "item"), _said(OTHER, 0, "item"))
    answer = compose(_plan(_part(_said(HIT, 0)), listing))
    assert ITEMS_LEAD["en"].format(n=3) in answer.text


NO_RENEWAL = _hit((("Non, l'IEA n'est pas renouvelable.", (URL_DURATION,)),), cid="faq#3")


def test_compose_drops_a_yes_or_no_opener_outside_a_closed_question() -> None:
    answer = compose(_plan(_part(_said(NO_RENEWAL, 0), intent="procedure")))
    assert answer.text == "L'IEA n'est pas renouvelable. [1]"


def test_compose_keeps_a_yes_or_no_opener_for_a_closed_question() -> None:
    answer = compose(_plan(_part(_said(NO_RENEWAL, 0), intent="yes_no")))
    assert answer.text == "Non, l'IEA n'est pas renouvelable. [1]"


def test_compose_closed_question_opens_on_its_verdict() -> None:
    hit = _hit((("L'IEA n'est pas renouvelable.", (URL_DURATION,)), ("Elle dure deux ans.", (URL_DURATION,))))
    part = _part(_said(hit, 0), _said(hit, 1), intent="yes_no", verdict="no")
    answer = compose(_plan(part, lang="fr"))
    assert answer.text == "Non : l'IEA n'est pas renouvelable. [1] Elle dure deux ans. [1]"


def test_compose_answer_carries_the_plan_status_question_and_evidence() -> None:
    gap = _part(_framing("The documentation does not give the budget.", "gap"), status="gap")
    answer = compose(_plan(_part(_said(HIT, 0)), gap, lang="fr"))
    assert (answer.status, answer.lang, answer.question, answer.evidence) == (
        "partial",
        "fr",
        "How long does an IEA last?",
        0.8,
    )


def test_compose_nothing_left_after_checks_is_a_refusal() -> None:
    answer = compose(_plan(_part(_said(HIT, 3))))
    assert answer.status == "refused" and answer.citations == ()


# --- refusals -------------------------------------------------------------------------------------


def test_compose_refusal_in_french_names_the_dei_by_its_current_name() -> None:
    answer = compose(_plan(refusal="out_of_scope", lang="fr"))
    assert answer.status == "refused" and answer.lang == "fr"
    assert "Direction Europe et International (DEI)" in answer.text
    assert "Recherche" not in answer.text  # DERCI's old name is not the DEI's


def test_compose_refusal_in_english_names_the_dei() -> None:
    answer = compose(_plan(refusal="out_of_scope"))
    assert "Europe and International Directorate (DEI)" in answer.text


def test_compose_refusal_names_up_to_three_topics_in_the_question_language() -> None:
    hits = [_hit(cid="fr", lang="fr", title="Bureau de Pékin")]
    hits += [_hit(cid=str(i), title=t) for i, t in enumerate(["Tokyo", "Tokyo", "IRP", "IEA", "IRN"])]
    answer = compose(_plan(refusal="out_of_scope", hits=hits))
    assert "Related topics the documentation does cover: “Tokyo”, “IRP”, “IEA”." in answer.text


def test_compose_refusal_in_french_quotes_topics_with_guillemets() -> None:
    answer = compose(
        _plan(refusal="out_of_scope", lang="fr", hits=[_hit(lang="fr", title="Bureau de Pékin")])
    )
    assert "« Bureau de Pékin »" in answer.text


def test_compose_refusal_without_hits_names_the_default_topics() -> None:
    answer = compose(_plan(refusal="out_of_scope", hits=[]))
    assert "the CNRS offices abroad, the cooperation tools (IEA, IRP, IRN, IRL), Europe" in answer.text


def test_compose_refusal_names_the_contact_of_the_plan() -> None:
    answer = compose(_plan(refusal="out_of_scope", contact="the CNRS office in Tokyo"))
    assert "contact the CNRS office in Tokyo." in answer.text
    assert DEI_CONTACT["en"] not in answer.text


def test_compose_refusal_in_an_unknown_language_is_in_english() -> None:
    answer = compose(_plan(refusal="out_of_scope", lang="unknown"))
    assert answer.lang == "en" and DEI_CONTACT["en"] in answer.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compose_off_topic_refusal_says_what_the_assistant_is_for_in_one_sentence(lang: str) -> None:
    answer = compose(_plan(refusal="off_topic", lang=lang, contact="the CNRS office in Tokyo"))
    assert answer.status == "refused" and answer.citations == ()
    assert answer.text == OFF_TOPIC[lang]  # no related topics, no contact: neither helps with a poem
    assert states_refusal(answer.text) and "DEI" in answer.text


def test_compose_no_such_office_names_the_place_the_offices_and_the_dei() -> None:
    answer = compose(_plan(refusal="no_such_office", place="Lima", lang="fr"), ["Tokyo", "Pékin"])
    assert answer.status == "refused"
    assert answer.text.startswith("La documentation ne mentionne aucun bureau du CNRS à Lima.")
    assert "Tokyo" in answer.text and "Pékin" in answer.text
    assert answer.text.endswith(f"adressez-vous à {DEI_CONTACT['fr']}.")


@pytest.mark.parametrize(
    ("lang", "joined"), [("fr", "Tokyo, Pékin et Nairobi"), ("en", "Tokyo, Beijing and Nairobi")]
)
def test_compose_no_such_office_lists_the_cities_as_a_sentence(lang: str, joined: str) -> None:
    cities = ["Tokyo", "Pékin", "Nairobi"] if lang == "fr" else ["Tokyo", "Beijing", "Nairobi"]
    answer = compose(_plan(refusal="no_such_office", place="Lima", lang=lang), cities)
    assert joined in answer.text


# --- render ---------------------------------------------------------------------------------------


def test_render_one_number_per_passage_and_source_url() -> None:
    text, citations = render([Line((_said(HIT, 0), _said(HIT, 1), _said(HIT, 4)))])
    assert markers(text) == [1, 1, 2]
    assert [(c.n, c.chunk_id, c.url) for c in citations] == [
        (1, "iea#1", URL_DURATION),
        (2, "iea#1", URL_FUNDING),
    ]


def test_render_sentence_backed_by_two_sources_cites_both() -> None:
    hit = _hit(
        (("The IEA lasts two years, or three by another account.", (URL_DURATION, URL_PAGE)),), cid="two"
    )
    text, citations = render([Line((_said(hit, 0),))])
    assert text == "The IEA lasts two years, or three by another account. [1][2]"
    assert [(c.n, c.url) for c in citations] == [(1, URL_DURATION), (2, URL_PAGE)]


def test_render_cites_at_most_three_sources_of_a_sentence() -> None:
    urls = tuple(f"https://example.org/source-{i}" for i in range(5))
    hit = _hit((("Five pages say the IEA lasts two years.", urls),), cid="five")
    text, citations = render([Line((_said(hit, 0),))])
    assert markers(text) == [1, 2, 3]
    assert [c.url for c in citations] == list(urls[:3])


def test_render_numbers_passages_in_order_of_first_use() -> None:
    text, citations = render([Line((_said(OTHER, 0),)), Line((_said(HIT, 0),)), Line((_said(OTHER, 0),))])
    assert markers(text) == [1, 2, 1]
    assert [c.chunk_id for c in citations] == ["irp#1", "iea#1"]


def test_render_same_url_in_two_passages_gets_two_numbers() -> None:
    twin = _hit(cid="iea#2")
    _, citations = render([Line((_said(HIT, 0), _said(twin, 0)))])
    assert [(c.n, c.chunk_id) for c in citations] == [(1, "iea#1"), (2, "iea#2")]


def test_render_directory_statement_cites_the_url_of_its_backing_sentence() -> None:
    statement = _said(HIT, 4, "route", text="The IEA pays for travel, stays and workshops.")
    text, [citation] = render([Line((statement,))])
    assert text == "The IEA pays for travel, stays and workshops. [1]"
    assert citation.url == URL_FUNDING
    assert citation.snippet == "Three costs are covered: travel, stays and workshops."


def test_render_sentence_of_an_unannotated_document_cites_its_url() -> None:
    meta = {"lang": "en", "title": "Upload", "path": "uploads/note.md", "url": "https://example.org/note"}
    hit = Hit(StoredChunk("note#1", "The note is short.", meta), 1.0)
    _, [citation] = render([Line((_said(hit, 0),))])
    assert citation.url == "https://example.org/note"


def test_render_sentence_whose_line_has_no_source_gets_no_url() -> None:
    hit = _hit((("Sourced line.", (URL_PAGE,)), ("Unsourced line.", ())), cid="mixed")
    _, [citation] = render([Line((_said(hit, 1),))])
    assert citation.url is None


def test_render_framing_sentence_has_no_marker() -> None:
    text, citations = render([Line((_framing("For this point, contact the DEI", "contact"),))])
    assert (text, citations) == ("For this point, contact the DEI.", ())


def test_render_ends_sentences_and_collapses_spaces() -> None:
    text, _ = render([Line((_framing("The  documentation\nnames 2:", "lead"), _framing("Then  one", "gap")))])
    assert text == "The documentation names 2: Then one."


def test_render_bullet_follows_the_line_before_without_a_blank_line() -> None:
    text, _ = render([Line((_framing("Two:", "lead"),)), Line((_said(HIT, 0, "item"),), bullet=True)])
    assert text == "Two:\n- The IEA lasts two years. [1]"


@pytest.mark.parametrize(
    ("line", "sentence"),
    [
        (
            "ERC (European Research Council ; Conseil européen de la recherche) : l'ERC finance des projets.",
            "L'ERC (European Research Council ; Conseil européen de la recherche) finance des projets.",
        ),
        (
            "IRN (International Research Network): the IRN is a network.",
            "The IRN (International Research Network) is a network.",
        ),
        (
            "Selon le CNRS, le bureau est ouvert : il accueille des visiteurs.",
            "Selon le CNRS, le bureau est ouvert : il accueille des visiteurs.",
        ),
        ("Quatre IRL : IPAL, CINTRA, MajuLab et BMC2.", "Quatre IRL : IPAL, CINTRA, MajuLab et BMC2."),
    ],
)
def test_unglossed_reads_a_glossary_line_as_a_sentence_and_leaves_others(line: str, sentence: str) -> None:
    assert unglossed(line) == sentence
