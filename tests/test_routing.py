"""Tests of assistant.routing on the real corpus/ directories: which office covers a country, which
countries an office covers, the stage of a described collaboration, and the tool that fits it."""

from __future__ import annotations

import pytest

from assistant.analysis import fold
from assistant.directory import OfficeDirectory, ToolDirectory, load_offices, load_tools
from assistant.routing import collaboration_stage, office_statements, tool_statements
from tests.conftest import PROJECT

REAL = PROJECT / "corpus"
pytestmark = pytest.mark.skipif(not (REAL / "offices.yaml").is_file(), reason="no corpus/offices.yaml")


@pytest.fixture(scope="module")
def offices() -> OfficeDirectory:
    return load_offices(REAL / "offices.yaml")


@pytest.fixture(scope="module")
def tools() -> ToolDirectory:
    return load_tools(REAL / "tools.yaml")


# --- office_statements ----------------------------------------------------------------------------


def test_office_statements_country_question_in_french(offices: OfficeDirectory) -> None:
    [statement] = office_statements("Quel bureau couvre le Japon ?", "fr", offices)
    assert "Japon" in statement.text and "Tokyo" in statement.text
    assert statement.doc_id == "fr/office-tokyo"


def test_office_statements_country_question_in_english(offices: OfficeDirectory) -> None:
    [statement] = office_statements("Which office covers Vietnam?", "en", offices)
    assert "Vietnam" in statement.text and "Singapore" in statement.text
    assert statement.doc_id == "en/office-singapore"


def test_office_statements_accented_country(offices: OfficeDirectory) -> None:
    [statement] = office_statements("Quel bureau couvre le Viêt Nam ?", "fr", offices)
    assert "Singapour" in statement.text
    assert statement.doc_id == "fr/office-singapore"


def test_office_statements_demonym(offices: OfficeDirectory) -> None:
    [statement] = office_statements("Quel bureau contacter pour un laboratoire argentin ?", "fr", offices)
    assert "Argentine" in statement.text
    assert statement.doc_id == "fr/office-south-america"


def test_office_statements_country_handled_at_headquarters(offices: OfficeDirectory) -> None:
    [statement] = office_statements("Who do I contact for Germany?", "en", offices)
    assert "Germany" in statement.text and "headquarters" in statement.text
    assert statement.doc_id == offices.by_id("europe-bilateral").page("en")  # type: ignore[union-attr]


def test_office_statements_one_per_country(offices: OfficeDirectory) -> None:
    statements = office_statements("Quel bureau couvre la Corée du Sud et la Thaïlande ?", "fr", offices)
    assert [s.doc_id for s in statements] == ["fr/office-tokyo", "fr/office-singapore"]


def test_office_statements_coverage_question_in_english(offices: OfficeDirectory) -> None:
    [statement] = office_statements("Which countries does the Tokyo office cover?", "en", offices)
    for country in ("Japan", "South Korea", "Taiwan"):
        assert country in statement.text
    assert statement.doc_id == "en/office-tokyo"


def test_office_statements_coverage_question_in_french(offices: OfficeDirectory) -> None:
    [statement] = office_statements("Quels pays couvre le bureau de Tokyo ?", "fr", offices)
    for country in ("Japon", "Corée du Sud", "Taïwan"):
        assert country in statement.text


def test_office_statements_coverage_of_an_office_named_like_its_country(offices: OfficeDirectory) -> None:
    [statement] = office_statements("Which countries does the Singapore office cover?", "en", offices)
    assert "Vietnam" in statement.text and "Thailand" in statement.text


def test_office_statements_query_names_the_country(offices: OfficeDirectory) -> None:
    [statement] = office_statements("Which office covers Japan?", "en", offices)
    assert "Japan" in statement.query


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("visa pour le Japon", "fr"),
        ("Japan visa requirements", "en"),
        ("Quelle est la population du Japon ?", "fr"),
        ("Le bureau de recrutement", "fr"),
    ],
)
def test_office_statements_none_without_office_intent_or_place(
    offices: OfficeDirectory, question: str, lang: str
) -> None:
    assert office_statements(question, lang, offices) == []


def test_office_statements_none_for_the_word_us(offices: OfficeDirectory) -> None:
    assert office_statements("Which office can help us?", "en", offices) == []


# --- collaboration_stage --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "stage"),
    [
        ("une première collaboration qui démarre", "emerging"),
        ("a new collaboration that is just starting", "emerging"),
        ("une collaboration déjà établie, avec des publications communes", "consolidating"),
        ("an established collaboration with joint publications to strengthen", "consolidating"),
        ("un réseau thématique de plusieurs laboratoires", "network"),
        ("a thematic network of several labs", "network"),
        ("un laboratoire commun implanté sur un site commun", "structure"),
        ("a long-term joint laboratory on site", "structure"),
        ("une thèse en cotutelle", "training"),
        ("a joint PhD thesis", "training"),
    ],
)
def test_collaboration_stage_from_description(description: str, stage: str) -> None:
    assert collaboration_stage(description) == stage


@pytest.mark.parametrize(
    "description",
    [
        "une collaboration de deux ans, sans publication commune",
        "deux équipes sans publications communes préalables",
        "two teams with no joint publications yet",
        "a collaboration without joint publications",
    ],
)
def test_collaboration_stage_negated_publications_is_emerging(description: str) -> None:
    assert collaboration_stage(description) == "emerging"


def test_collaboration_stage_none_without_cues() -> None:
    assert collaboration_stage("La météo à Paris") is None


# --- tool_statements ------------------------------------------------------------------------------


def test_tool_statements_recommend_iea_for_a_first_collaboration(tools: ToolDirectory) -> None:
    question = "Quel outil pour une première collaboration de 2 ans, sans publication commune ?"
    [statement] = tool_statements(question, "fr", tools)
    assert "IEA" in statement.text
    assert statement.doc_id == "fr/tool-iea"


def test_tool_statements_in_english(tools: ToolDirectory) -> None:
    [statement] = tool_statements("Which tool fits a network of several labs?", "en", tools)
    assert "IRN" in statement.text
    assert statement.doc_id == "en/tool-irn"
    assert fold(statement.text).startswith("for ")


def test_tool_statements_recommend_irp_for_an_established_collaboration(tools: ToolDirectory) -> None:
    question = "Quel outil pour une collaboration déjà établie avec des publications communes ?"
    [statement] = tool_statements(question, "fr", tools)
    assert "IRP" in statement.text


def test_tool_statements_need_tool_intent(tools: ToolDirectory) -> None:
    assert tool_statements("Une première collaboration sans publication commune", "fr", tools) == []


def test_tool_statements_need_a_stage(tools: ToolDirectory) -> None:
    assert tool_statements("Quel outil choisir ?", "fr", tools) == []


def test_office_statements_country_named_like_a_closed_office(offices: OfficeDirectory) -> None:
    [statement] = office_statements("Which office covers Malta?", "en", offices)
    assert "Malta" in statement.text and "headquarters" in statement.text
