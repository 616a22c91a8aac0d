"""Tests of the evaluation: question files, keyword scoring, gap and refusal verdicts, focus, summaries,
the printed reports (assistant.evaluate, verdicts, focus, scorecard) and `derci-assistant eval`."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant.citations import STATUSES, Answer, Citation
from assistant.errors import InputError
from assistant.evaluate import (
    Question,
    Result,
    found_at,
    judge,
    load_questions,
    load_sets,
    matches,
    must_not_hits,
    normalise,
    run,
    summarise,
)
from assistant.focus import FocusScore, FocusScorer
from assistant.prompts import OFF_TOPIC, REFUSAL
from assistant.scorecard import format_details, format_show, format_table, result_record, verdict
from assistant.verdicts import opens_with_non_answer, sentences, states_gap, states_refusal
from tests.conftest import DATA
from tests.fakes import HashEmbedder

RunCli = Callable[..., tuple[int, str, str]]


def _question(
    qid: str = "q",
    *,
    expected: tuple[tuple[str, ...], ...] = (("Tokyo",),),
    answer_type: str = "answer",
    kind: str = "routing",
    lang: str = "en",
    must_not: tuple[str, ...] = (),
    history: tuple[tuple[str, str], ...] = (),
    reference: str = "",
    question: str = "",
) -> Question:
    return Question(
        qid,
        lang,
        "offices",
        question or f"question {qid}?",
        expected if answer_type == "answer" else (),
        kind=kind,
        must_not=must_not,
        answer_type=answer_type,
        history=history,
        reference=reference,
    )


# --- question files ---------------------------------------------------------------------------------


def test_load_questions_reads_the_first_set_format(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    row = {
        "id": "q1",
        "lang": "fr",
        "category": "offices",
        "question": "Qui ?",
        "expected": [["A", "B"], ["C"]],
    }
    path.write_text(json.dumps(row) + "\n\n", encoding="utf-8")
    [question] = load_questions(path)
    assert question == Question("q1", "fr", "offices", "Qui ?", (("A", "B"), ("C",)))
    assert question.answer_type == "answer" and question.answerable


def test_load_questions_out_of_scope_category_is_a_refusal(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": 7, "category": "out_of_scope", "question": "Pizza?"}\n', encoding="utf-8")
    [question] = load_questions(path)
    assert question.id == "7" and question.answer_type == "refusal" and not question.answerable


def test_load_questions_reads_the_second_set_fields(tmp_path: Path) -> None:
    row = {
        "id": "d2",
        "lang": "en",
        "kind": "followup",
        "category": "offices",
        "question": "And who leads it?",
        "history": [
            {"role": "user", "content": "Which office covers Japan?"},
            {"role": "assistant", "content": "Tokyo. [1]"},
        ],
        "expected": [["Maleval"]],
        "must_not": ["Petit"],
        "answer_type": "answer",
        "reference": "Jacques Maleval leads the Tokyo office.",
    }
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    [question] = load_questions(path)
    assert question.kind == "followup" and question.group_key == "followup"
    assert question.turns == row["history"]
    assert question.must_not == ("Petit",)
    assert question.reference.startswith("Jacques Maleval")


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        '{"question": "no id"}',
        '{"id": "x"}',
        '{"id": "x", "question": "q", "expected": 3}',
        '{"id": "x", "question": "q", "answer_type": "maybe"}',
        '{"id": "x", "question": "q", "history": [{"role": "system", "content": "hi"}]}',
        '{"id": "x", "question": "q", "history": [{"role": "user"}]}',
    ],
)
def test_load_questions_rejects_a_malformed_line_with_its_number(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "q.jsonl"
    good = '{"id": "ok", "question": "fine?"}'
    path.write_text(f"{good}\n{good}\n{bad}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"q\.jsonl:3:"):
        load_questions(path)


def test_load_questions_dev_file_is_valid() -> None:
    questions = load_questions(DATA / "dev.jsonl")
    assert len(questions) >= 40
    assert len({q.id for q in questions}) == len(questions)
    assert all(q.expected for q in questions if q.answerable)


def test_load_questions_dev2_file_has_six_questions_of_each_of_ten_kinds() -> None:
    questions = load_questions(DATA / "dev2.jsonl")
    kinds = {q.kind for q in questions}
    assert len(questions) == 60 and len(kinds) == 10
    assert all(sum(q.kind == k for q in questions) == 6 for k in kinds)
    assert sorted(q.answer_type for q in questions if not q.answerable) == ["gap"] * 3 + ["refusal"] * 3
    assert all(q.history for q in questions if q.kind == "followup")
    assert all(q.reference for q in questions)


def test_load_sets_keeps_one_kind(tmp_path: Path) -> None:
    sets = load_sets([DATA / "dev2.jsonl"], kind="list")
    assert [q.kind for q in sets[DATA / "dev2.jsonl"]] == ["list"] * 6


def test_load_sets_unknown_kind_names_the_kinds_there() -> None:
    with pytest.raises(InputError, match=r"'lists'.*followup.*routing"):
        load_sets([DATA / "dev2.jsonl"], kind="lists")


def test_load_sets_missing_file_is_named_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.jsonl"):
        load_sets([DATA / "dev.jsonl", tmp_path / "missing.jsonl"])


# --- keywords ---------------------------------------------------------------------------------------


def test_normalise_strips_accents_and_case() -> None:
    assert normalise("São Paulo, Ÿ ÉTÉ") == "sao paulo, y ete"


def test_matches_ignores_case_and_accents() -> None:
    assert matches("Le bureau est à SAO PAULO depuis 2024.", [["São Paulo"], ["2024"]])


def test_matches_needs_every_group() -> None:
    assert not matches("Le bureau est à São Paulo.", [["São Paulo"], ["2024"]])


def test_matches_any_alternative_of_a_group() -> None:
    assert matches("The office is in Japan.", [["Japon", "Japan"]])


def test_must_not_hits_lists_the_forbidden_strings_found() -> None:
    assert must_not_hits("Jacques Maleval dirige le bureau de Tokyo.", ["Maleval", "Pékin", "MALEVAL"]) == (
        "Maleval",
        "MALEVAL",
    )


def test_found_at_smallest_k_covering_every_group() -> None:
    chunks = ["nothing", "Tokyo office", "covers Japan", "Japan again"]
    assert found_at(chunks, [["Tokyo"], ["Japan"]]) == 3


def test_found_at_none_beyond_depth() -> None:
    chunks = ["nothing"] * 10 + ["Japan"]
    assert found_at(chunks, [["Japan"]]) is None
    assert found_at(chunks, [["Japan"]], depth=11) == 11


def test_found_at_none_without_expected() -> None:
    assert found_at(["Japan"], []) is None


# --- judging hand-made replies ----------------------------------------------------------------------

TOKYO = _question(expected=(("Tokyo",), ("Maleval",)), must_not=("Pékin",))
REFUSAL_EN = REFUSAL["en"].format(topics="the CNRS offices abroad, Tokyo, Maleval", contact="the DEI")
GAP = _question("gap", answer_type="gap", kind="gap_or_out_of_scope", must_not=("Maleval",))
OUT = _question("out", answer_type="refusal", kind="gap_or_out_of_scope")


def test_judge_right_reply() -> None:
    result = judge(TOKYO, Answer("Japan is covered by the Tokyo office, led by Jacques Maleval. [1]"))
    assert result.correct and result.groups_passed == 2 and not result.false_refusal


def test_judge_dump_with_the_keywords_passes_the_keywords() -> None:
    dump = (
        "## Bureau de Tokyo\n\nOuvert en 1994.\n\nLe bureau de Tokyo ... Jacques Maleval, directeur ... " * 5
    )
    result = judge(TOKYO, dump)
    assert result.correct and result.answer is None  # keywords alone cannot tell: focus does (below)


def test_judge_missing_group_is_wrong_and_named() -> None:
    result = judge(TOKYO, "The Tokyo office covers Japan. [1]")
    assert not result.correct and result.failed_groups == (("Maleval",),)


def test_judge_must_not_hit_makes_a_reply_wrong_whatever_the_keywords() -> None:
    result = judge(TOKYO, "Jacques Maleval led the Tokyo office, then the Pekin office. [1]")
    assert not result.correct and result.must_not_hits == ("Pékin",)


def test_judge_refusal_listing_the_keywords_is_a_false_refusal() -> None:
    result = judge(TOKYO, Answer(REFUSAL_EN, refused=True))
    assert not result.correct and result.false_refusal


def test_judge_answer_then_missing_detail_is_not_a_false_refusal() -> None:
    text = "Jacques Maleval leads the Tokyo office. [1] The documentation does not give his phone number."
    result = judge(TOKYO, text)
    assert result.correct and not result.false_refusal and result.gap_statement


def test_judge_gap_reply_is_right_for_a_gap_question() -> None:
    text = (
        "La documentation ne donne pas le nom du directeur du bureau de Pékin. "
        "On sait seulement qu'à l'ouverture, en 1995, il était aussi attaché de coopération. [1]"
    )
    result = judge(GAP, text)
    assert result.correct and result.gap_statement


def test_judge_gap_reply_inventing_a_forbidden_name_is_wrong() -> None:
    text = "Aucune source ne donne le nom du directeur actuel ; Jacques Maleval dirigeait le bureau. [1]"
    assert not judge(GAP, text).correct


def test_judge_unrelated_facts_for_a_gap_question_are_wrong() -> None:
    result = judge(GAP, "Le bureau de Pékin a ouvert en 1995. [1] Il est autonome depuis 2004. [1]")
    assert not result.correct and not result.gap_statement


def test_judge_bare_refusal_is_not_a_gap_statement() -> None:
    result = judge(GAP, Answer(REFUSAL["fr"].format(topics="x", contact="y"), refused=True))
    assert not result.correct and result.refusal_statement and not result.gap_statement


def test_judge_refusal_is_right_for_an_out_of_scope_question() -> None:
    result = judge(OUT, "Out of scope: the documentation covers the DEI, not software installation.")
    assert result.correct and result.refusal_statement


def test_judge_reply_to_an_out_of_scope_question_is_wrong() -> None:
    assert not judge(OUT, "Install Python from python.org, then run pip install jupyter.").correct


def test_judge_reads_the_text_never_the_status_flag() -> None:
    flagged = Answer("Here is how to install Python: download it from python.org.", refused=True)
    assert not judge(OUT, flagged).correct


# --- verdicts: the phrase lists on positive and negative examples -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "La documentation ne précise pas le nom du directeur du bureau de Pékin.",
        "Aucune source consultée ne donne le nom d'un directeur du bureau de Pékin.",
        "Les documents ne le disent pas : ils ne nomment aucun directeur.",
        "Ce point n'est pas documenté : adressez-vous à l'institut.",
        "The documents do not say whether an IRP can be renewed after its five years.",
        "Whether an IRP can be renewed is not documented; ask the CNRS institute.",
        "The documentation does not give the director's name.",
        "None of the sources names the director.",
        "Un IRN dure cinq ans. [1] La documentation ne précise pas s'il est renouvelable.",
        "La documentation ne répond pas à cette partie de la question : « qui dirige le bureau ? ».",
        "The documentation does not answer this part of the question: “who leads the office?”.",
        "Je n'ai trouvé dans la documentation aucun passage qui réponde directement à cette partie de la"
        " question : « qui dirige le bureau ? ».",
        "I found no passage in the documentation that directly answers this part of the question: “who leads it?”.",
        "La documentation ne mentionne aucun bureau du CNRS en Amérique centrale.",
    ],
)
def test_states_gap_recognises_gap_statements(text: str) -> None:
    assert states_gap(text)


@pytest.mark.parametrize(
    "text",
    [
        "Le bureau de Pékin a ouvert en 1995 ; il est autonome depuis 2004. [1]",
        "Le décret ne précise pas la durée ; le bureau ouvre en 2022.",  # a decree, not the documentation
        "Le rapport « aucune source ne le dit » a fait date. Le bureau ouvre en 2022.",  # quoted
        # a dump whose third sentence comes from a page that states a gap: not the reply's statement
        "## Directeurs\n\nLe bureau a été dirigé par X de 2010 à 2014. Son successeur est Y.\n\n"
        "Aucune source consultée ne donne la date du départ de Z.",
        REFUSAL["en"].format(topics="x", contact="y"),  # a bare refusal does not say what is missing
        "Les sources ne concordent pas : 4 ans selon l'une, 5 ans selon l'autre.",
        "The sources disagree: 2019 in one, 2020 in the other.",
        "Les sources nomment la zone sans énumérer chaque pays : cette liste en est une reconstruction.",
    ],
)
def test_states_gap_ignores_other_text(text: str) -> None:
    assert not states_gap(text)


@pytest.mark.parametrize(
    "text",
    [
        REFUSAL["fr"].format(topics="x", contact="y"),
        REFUSAL["en"].format(topics="x", contact="y"),
        OFF_TOPIC["fr"],
        OFF_TOPIC["en"],
        "That is outside the chatbot's remit.",
        "Hors du périmètre : l'assistant répond sur la DERCI/DEI, pas sur la relecture de textes.",
        "Out of scope: the documentation covers the CNRS directorate, not software installation.",
        "The documentation mentions no CNRS office in Berlin, so there is no director to give.",
        "Il n'y a pas de bureau du CNRS à Berlin : l'Allemagne relève du siège.",
        "Je ne peux pas relire votre article : ce n'est pas l'objet de cet assistant.",
        "This assistant only answers questions about the DEI, its offices and its tools.",
    ],
)
def test_states_refusal_recognises_refusals(text: str) -> None:
    assert states_refusal(text)


@pytest.mark.parametrize(
    "text",
    [
        # directory answers about a country handled at headquarters are answers, not refusals
        "Germany: no CNRS office abroad covers this country; it is handled at headquarters.",
        "Allemagne : aucun bureau du CNRS à l'étranger ne couvre ce pays ; il relève du siège.",
        "Non : il n'existe pas de procédure particulière pour la Russie depuis 2021.",
        "Le bureau de Washington ne couvre plus le Canada depuis 2022. [1]",
        "The IRP does not cover salaries; it funds missions and meetings. [1]",
        "Les sources ne concordent pas : 4 ans selon l'une, 5 ans selon l'autre.",
        "La documentation en cite 7 : IFAS, ICEMASA, GANDA, HOMEN, DROUGHT, VOCOM, ARSAIO.",
    ],
)
def test_states_refusal_ignores_answers(text: str) -> None:
    assert not states_refusal(text) and not opens_with_non_answer(text)


def test_opens_with_non_answer_on_an_empty_reply() -> None:
    assert opens_with_non_answer("") and opens_with_non_answer("[1]")


def test_sentences_drop_markers_and_markup_and_keep_abbreviations() -> None:
    text = "## Le bureau\n\nM. Petit et J. Maleval l'ont ouvert le 1er janv. 2020. [1] Il est à **Tokyo** [1][2]."
    assert sentences(text) == [
        "Le bureau M. Petit et J. Maleval l'ont ouvert le 1er janv. 2020.",
        "Il est à Tokyo.",
    ]


def test_sentences_keep_a_list_with_its_lead_in() -> None:
    text = "Le bureau couvre trois pays : [1]\n- Brunei\n- Cambodge\n- Laos\n\nIl a ouvert en 2012. [1]"
    assert sentences(text) == ["Le bureau couvre trois pays : Brunei Cambodge Laos", "Il a ouvert en 2012."]


def test_sentences_drop_footnote_references_and_definitions() -> None:
    text = "Tokyo couvre le Japon, la Corée du Sud et Taïwan. [^1]\n\n[^1]: https://www.cnrs.fr/tokyo"
    assert sentences(text) == ["Tokyo couvre le Japon, la Corée du Sud et Taïwan."]


def test_focus_of_a_reply_of_source_urls_only_is_zero() -> None:
    score = FocusScorer(HashEmbedder()).score("[^1]: https://a.example\n[^2]: https://b.example", "Tokyo?")
    assert score.sentences == () and score.share == 0.0


def test_sentences_stop_at_a_sources_panel() -> None:
    text = "Tokyo couvre le Japon. [1]\n\n**Sources**\n\n1. **Bureau de Tokyo** — une page sur le Japon"
    assert sentences(text) == ["Tokyo couvre le Japon."]


# --- focus ------------------------------------------------------------------------------------------


def test_focus_score_share_and_empty_reply() -> None:
    score = FocusScore((("a", 0.9), ("b", 0.2), ("c", 0.5)))
    assert score.focused == 2 and score.share == pytest.approx(2 / 3)
    assert FocusScore(()).share == 0.0  # nothing to read (a list of URLs): nothing focused


def test_focus_scorer_embeds_each_text_once() -> None:
    embedder = HashEmbedder()
    scorer = FocusScorer(embedder)
    reply = "The Tokyo office covers Japan. The Tokyo office covers Korea."
    items = [(reply, "Which office covers Japan?", "Japan is covered by the Tokyo office.")] * 3
    scores = scorer.score_many(items)
    assert [len(s.sentences) for s in scores] == [2, 2, 2]
    assert embedder.embedded == 4  # two sentences, the question and the reference, once each
    scorer.score(*items[0])
    assert embedder.embedded == 4


def test_focus_scorer_without_reference_uses_the_question() -> None:
    score = FocusScorer(HashEmbedder()).score("Tokyo office covers Japan.", "Tokyo office covers Japan.")
    assert score.share == 1.0 and score.sentences[0][1] == pytest.approx(1.0)


JAPAN_EN = _question(
    question="Which CNRS office covers Japan?",
    reference="Japan is covered by the CNRS office in Tokyo, which also covers South Korea and Taiwan.",
)
JAPAN_FR = _question(
    lang="fr",
    question="Quel bureau du CNRS couvre le Japon ?",
    reference="Le Japon relève du bureau du CNRS à Tokyo, qui couvre aussi la Corée du Sud et Taïwan.",
)
FOCUSED = {
    "en": "Japan is covered by the CNRS office in Tokyo. [1] The Tokyo office also covers South Korea and Taiwan. [1]",
    "fr": "Le Japon relève du bureau du CNRS à Tokyo. [1] Ce bureau couvre aussi la Corée du Sud et Taïwan. [1]",
}
PADDING = {
    "en": " The ERC Starting Grant funds up to 1.5 million euros over five years. [2]"
    " A PhD Joint Program pairs two thesis supervisors. [3] The Horizon Europe budget is 95.5 billion euros. [4]",
    "fr": " L'ERC Starting Grant finance jusqu'à 1,5 million d'euros sur cinq ans. [2]"
    " Un programme de doctorat conjoint associe deux directeurs de thèse. [3]"
    " Le budget d'Horizon Europe est de 95,5 milliards d'euros. [4]",
}


@pytest.mark.slow
@pytest.mark.parametrize("question", [JAPAN_EN, JAPAN_FR], ids=["en", "fr"])
def test_focus_with_the_real_model_tells_a_focused_reply_from_a_padded_one(
    real_embedder: Any, question: Question
) -> None:
    scorer = FocusScorer(real_embedder)
    focused = scorer.score(FOCUSED[question.lang], question.question, question.reference)
    padded = scorer.score(
        FOCUSED[question.lang] + PADDING[question.lang], question.question, question.reference
    )
    assert focused.share == 1.0
    assert padded.share == pytest.approx(2 / 5)  # the three padding sentences fall under the threshold


@pytest.mark.slow
def test_focus_with_the_real_model_scores_a_dump_low(real_embedder: Any) -> None:
    dump = (
        "## Horizon Europe\n\nLe budget d'Horizon Europe est de 95,5 milliards d'euros.\n\n"
        "## ERC\n\nL'ERC finance des chercheurs de toutes nationalités. Les Starting Grants vont jusqu'à "
        "1,5 million d'euros.\n\n## Tokyo\n\nLe bureau de Tokyo couvre le Japon, la Corée du Sud et Taïwan."
    )
    score = FocusScorer(real_embedder).score(dump, JAPAN_FR.question, JAPAN_FR.reference)
    assert score.share is not None and score.share <= 0.5


# --- run: history, systems and focus ---------------------------------------------------------------


class ScriptedSystem:
    """A system that answers from a script and records what it was asked."""

    def __init__(self, replies: Mapping[str, Answer | str]) -> None:
        self.replies = replies
        self.calls: list[tuple[str, list[dict[str, str]]]] = []

    def __call__(self, question: str, history: Sequence[Mapping[str, str]]) -> Answer | str:
        self.calls.append((question, [dict(turn) for turn in history]))
        return self.replies[question]


def test_run_passes_the_history_of_a_follow_up() -> None:
    follow_up = _question(
        "f",
        question="And who leads it?",
        expected=(("Maleval",),),
        kind="followup",
        history=(("user", "Which office covers Japan?"), ("assistant", "Tokyo. [1]")),
    )
    system = ScriptedSystem({"And who leads it?": Answer("Jacques Maleval leads the Tokyo office. [1]")})
    [result] = run([follow_up], system)
    assert system.calls == [
        (
            "And who leads it?",
            [
                {"role": "user", "content": "Which office covers Japan?"},
                {"role": "assistant", "content": "Tokyo. [1]"},
            ],
        )
    ]
    assert result.correct and result.answer is not None


def test_run_scores_plain_text_and_answers_alike() -> None:
    questions = [_question("a", question="qa"), _question("b", question="qb")]
    system = ScriptedSystem({"qa": "Tokyo, Japan.", "qb": Answer("Tokyo, Japan. [1]")})
    results = run(questions, system, lambda q: ["x", "Tokyo"])
    assert [(r.correct, r.found_at, r.retrieved) for r in results] == [(True, 2, True), (True, 2, True)]
    assert results[0].answer is None and results[1].answer is not None


def test_run_without_retrieve_measures_no_recall() -> None:
    [result] = run([_question(question="qa")], ScriptedSystem({"qa": "Tokyo"}))
    assert not result.retrieved and summarise([result]).recall_at_5 is None


def test_run_scores_focus_only_where_there_is_a_reference() -> None:
    questions = [
        _question("a", question="qa", reference="Tokyo covers Japan."),
        _question("b", question="qb"),
    ]
    system = ScriptedSystem({"qa": "Tokyo covers Japan. [1]", "qb": "Tokyo covers Japan. [1]"})
    results = run(questions, system, focus=FocusScorer(HashEmbedder()))
    assert results[0].focus is not None and results[0].focus.share == 1.0
    assert results[1].focus is None


# --- summaries --------------------------------------------------------------------------------------


def _result(question: Question, text: str, *, focus: float | None = None, seconds: float = 0.01) -> Result:
    score = None if focus is None else FocusScore((("s", focus),))
    return judge(question, text, focus=score, seconds=seconds)


@pytest.fixture
def results() -> list[Result]:
    return [
        _result(_question("a", kind="routing"), "Tokyo " * 20, focus=0.9),
        _result(_question("b", kind="routing", lang="fr"), "Osaka " * 40, focus=0.2),
        _result(_question("c", kind="routing", lang="fr"), REFUSAL["fr"].format(topics="Tokyo", contact="x")),
        _result(
            _question("d", kind="list", expected=(("Brunei",), ("Laos",), ("Cambodge",), ("Myanmar",))),
            "Brunei, Laos et Cambodge.",
        ),
        _result(GAP, "La documentation ne donne pas son nom."),
        _result(OUT, "Python is installed from python.org."),
    ]


def test_summarise_counts(results: list[Result]) -> None:
    summary = summarise(results)
    assert (summary.n, summary.answerable, summary.correct) == (6, 4, 2)
    assert summary.accuracy == pytest.approx(2 / 6)


def test_summarise_group_share_of_answerable_questions(results: list[Result]) -> None:
    # c's refusal names Tokyo among related topics: its group passes, the reply is still wrong
    assert summarise(results).group_share == pytest.approx((1 + 0 + 1 + 3 / 4) / 4)


def test_summarise_gaps_refusals_and_false_refusals(results: list[Result]) -> None:
    summary = summarise(results)
    assert (summary.gaps, summary.gaps_right, summary.gap_accuracy) == (1, 1, 1.0)
    assert (summary.refusals, summary.refusals_right, summary.refusal_accuracy) == (1, 0, 0.0)
    assert (summary.false_refusals, summary.false_refusal_rate) == (1, pytest.approx(1 / 4))


def test_summarise_focus_mean_of_scored_replies(results: list[Result]) -> None:
    assert summarise(results).focus == pytest.approx((1.0 + 0.0) / 2)  # a: 1/1 focused, b: 0/1


def test_summarise_median_length_of_answerable_replies(results: list[Result]) -> None:
    lengths = sorted(len(r.text) for r in results if r.question.answerable)
    assert summarise(results).median_answer_chars == pytest.approx((lengths[1] + lengths[2]) / 2)


def test_summarise_must_not_counts_replies(results: list[Result]) -> None:
    hit = _result(_question("e", must_not=("Osaka", "Kyoto")), "Tokyo, not Osaka nor Kyoto.")
    assert summarise([*results, hit]).must_not_hits == 1


def test_summarise_groups_by_kind_and_language(results: list[Result]) -> None:
    groups = summarise(results).groups
    assert set(groups) == {"kind=gap_or_out_of_scope", "kind=list", "kind=routing", "lang=en", "lang=fr"}
    assert groups["kind=routing"]["n"] == 3 and groups["kind=routing"]["correct"] == 1
    assert groups["lang=fr"]["false_refusals"] == 1 and groups["kind=list"]["gaps"] == 0
    assert groups["kind=gap_or_out_of_scope"]["gaps_right"] == 1
    assert groups["kind=gap_or_out_of_scope"]["median_answer_chars"] is None


def test_summarise_groups_by_category_for_sets_without_kinds() -> None:
    question = Question("a", "en", "offices", "q?", (("Tokyo",),))
    assert set(summarise([judge(question, "Tokyo")]).groups) == {"category=offices", "lang=en"}


def test_summarise_latency_percentiles() -> None:
    results = [_result(_question(str(i)), "Tokyo", seconds=i / 1000) for i in range(1, 102)]
    summary = summarise(results, by=())
    assert summary.latency_p50_ms == pytest.approx(51)
    assert summary.latency_p95_ms == pytest.approx(96)


def test_summarise_empty() -> None:
    summary = summarise([])
    assert summary.n == 0 and summary.groups == {}


def test_summary_and_records_are_json(results: list[Result]) -> None:
    data = json.loads(json.dumps(summarise(results).to_dict()))
    assert data["n"] == 6 and "kind=routing" in data["groups"]
    record = json.loads(json.dumps(result_record(results[3])))
    assert record["failed_groups"] == [["Myanmar"]] and record["status"] is None


# --- printed reports --------------------------------------------------------------------------------


def test_format_table_rows_and_counts(results: list[Result]) -> None:
    lines = format_table(summarise(results), title="dev2.jsonl").splitlines()
    assert lines[0].startswith("dev2.jsonl") and "accuracy" in lines[0] and "recall_at_5" in lines[0]
    assert [line.split()[0] for line in lines[1:]] == [
        "overall",
        "kind=gap_or_out_of_scope",
        "kind=list",
        "kind=routing",
        "lang=en",
        "lang=fr",
    ]
    overall = lines[1].split()
    assert overall[1:3] == ["6", "2/6"]
    assert "1/4 25.0%" in lines[1] and "1/1" in lines[1] and "0/1" in lines[1]


def test_verdict_names_each_missing_group_by_its_first_alternative() -> None:
    question = _question(expected=(("Tokyo",), ("Maleval", "M. Maleval"), ("2024",)))
    assert verdict(judge(question, "Tokyo")) == "groups 1/3, missing [Maleval|…] [2024]"


def test_format_details_names_what_failed(results: list[Result]) -> None:
    text = format_details(results)
    assert "FAIL d        list" in text and "groups 3/4, missing [Myanmar]" in text
    assert "false refusal" in text
    assert "ok   gap" in text


def test_format_show_gives_the_whole_sheet() -> None:
    follow_up = _question(
        "f",
        question="And who leads it?",
        expected=(("Maleval",),),
        history=(("user", "Which office covers Japan?"), ("assistant", "Tokyo. [1]")),
        reference="Jacques Maleval leads the Tokyo office.",
    )
    citation = Citation(1, "Bureau de Tokyo", None, "fr/office-tokyo.md", section="Direction")
    reply = Answer("Jacques Maleval leads it. [1]\nThe ERC funds grants. [2]", citations=(citation,))
    focus = FocusScore((("Jacques Maleval leads it.", 0.8), ("The ERC funds grants.", 0.1)))
    sheet = format_show([judge(follow_up, reply, focus=focus)])
    for part in (
        "f · routing · en · answer · RIGHT · focus 1/2",
        "user (before):\n    Which office covers Japan?",
        "QUESTION:\n    And who leads it?",
        "REPLY:\n    Jacques Maleval leads it. [1]\n    The ERC funds grants. [2]",
        "[1] Bureau de Tokyo — fr/office-tokyo.md > Direction",
        "Off focus (< 0.5):\n    0.10  The ERC funds grants.",
        "Reference:\n    Jacques Maleval leads the Tokyo office.",
    ):
        assert part in sheet


# --- derci-assistant eval on the tiny corpus --------------------------------------------------------

TINY_QUESTIONS = [
    {
        "id": "a",
        "lang": "en",
        "kind": "routing",
        "question": "Which office covers Vietnam?",
        "expected": [["Singapore"]],
    },
    {
        "id": "b",
        "lang": "fr",
        "kind": "routing",
        "question": "Qui dirige le bureau de Tokyo ?",
        "expected": [["Maleval"]],
    },
    {
        "id": "c",
        "lang": "en",
        "kind": "followup",
        "question": "And who leads it?",
        "history": [
            {"role": "user", "content": "Which office covers Japan?"},
            {"role": "assistant", "content": "The CNRS office in Tokyo covers Japan. [1]"},
        ],
        "expected": [["Maleval"]],
    },
    {
        "id": "d",
        "lang": "en",
        "kind": "gap_or_out_of_scope",
        "category": "out_of_scope",
        "answer_type": "refusal",
        "question": "What is the best pizza in Naples?",
    },
]


def _write(path: Path, rows: Sequence[Mapping[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_cli_eval_prints_a_table_per_file_and_the_legend(run_cli: RunCli, tmp_path: Path) -> None:
    first = _write(tmp_path / "one.jsonl", TINY_QUESTIONS)
    second = _write(tmp_path / "two.jsonl", TINY_QUESTIONS[:1])
    code, out, _ = run_cli("eval", str(first), str(second))
    assert code == 0
    blocks = out.split("\n\n")
    assert blocks[0].startswith("one.jsonl") and blocks[1].startswith("two.jsonl")
    one = {line.split()[0]: line.split() for line in blocks[0].splitlines()[1:]}
    assert one["overall"][1] == "4" and one["kind=routing"][1:3] == ["2", "2/2"]
    assert one["kind=gap_or_out_of_scope"][7] in ("0/1", "1/1")  # refusals: right / asked
    assert one["overall"][-4] == "-"  # focus: not measured without reference answers
    assert "false_refusals:" in blocks[-1]


def test_cli_eval_passes_the_history_of_follow_ups(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.chain import Assistant

    asked: list[tuple[str, list[dict[str, str]]]] = []
    real_ask = Assistant.ask

    def recording_ask(self: Assistant, question: str, history: Any = ()) -> Answer:
        asked.append((question, [dict(turn) for turn in history]))
        return real_ask(self, question, history)

    monkeypatch.setattr(Assistant, "ask", recording_ask)
    path = _write(tmp_path / "q.jsonl", TINY_QUESTIONS)
    code, _, _ = run_cli("eval", str(path), "--kind", "followup")
    assert code == 0
    assert asked == [("And who leads it?", TINY_QUESTIONS[2]["history"])]


def test_cli_eval_show_gives_the_sheets_of_one_kind(run_cli: RunCli, tmp_path: Path) -> None:
    path = _write(tmp_path / "q.jsonl", TINY_QUESTIONS)
    code, out, _ = run_cli("eval", str(path), "--kind", "followup", "--show")
    assert code == 0
    assert "user (before):\n    Which office covers Japan?" in out and "REPLY:" in out
    assert "c · followup · en · answer · " in out and "a · routing" not in out


def test_cli_eval_details_one_line_per_question(run_cli: RunCli, tmp_path: Path) -> None:
    path = _write(tmp_path / "q.jsonl", TINY_QUESTIONS)
    code, out, _ = run_cli("eval", str(path), "--details")
    assert code == 0
    assert [line.split()[1] for line in out.splitlines() if line.startswith(("ok ", "FAIL"))] == [
        "a",
        "b",
        "c",
        "d",
    ]


def test_cli_eval_json_one_object_per_file(run_cli: RunCli, tmp_path: Path) -> None:
    first = _write(tmp_path / "one.jsonl", TINY_QUESTIONS)
    second = _write(tmp_path / "two.jsonl", TINY_QUESTIONS[:2])
    code, out, _ = run_cli("eval", str(first), str(second), "--json")
    assert code == 0
    objects = [json.loads(line) for line in out.splitlines()]
    assert [(o["file"], o["n"]) for o in objects] == [(str(first), 4), (str(second), 2)]
    record = objects[0]["questions"][3]
    assert record["id"] == "d" and record["answer_type"] == "refusal" and record["status"] in STATUSES
    assert record["refusal_statement"] == states_refusal(record["answer"]) == record["correct"]


def test_cli_eval_unknown_kind_is_a_clean_error(run_cli: RunCli, tmp_path: Path) -> None:
    path = _write(tmp_path / "q.jsonl", TINY_QUESTIONS)
    code, out, err = run_cli("eval", str(path), "--kind", "lists")
    assert code == 2 and out == ""
    assert "'lists'" in err and "followup" in err and "Traceback" not in err


def test_cli_eval_missing_second_file_runs_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    path = _write(tmp_path / "q.jsonl", TINY_QUESTIONS)
    code, out, err = run_cli("eval", str(path), str(tmp_path / "missing.jsonl"))
    assert code == 2 and out == ""
    assert "missing.jsonl" in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_cli_eval_measures_focus_with_the_bundled_model(run_cli: RunCli, tmp_path: Path) -> None:
    rows = [dict(TINY_QUESTIONS[1], reference="Jacques Maleval dirige le bureau du CNRS à Tokyo.")]
    code, out, _ = run_cli("eval", str(_write(tmp_path / "q.jsonl", rows)), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["focus"] is not None and data["questions"][0]["focus_sentences"]
