"""Tests of assistant.routing (pure): the stage of a described collaboration, and names as a sentence uses
them (a tool with its article, a country with its French article or English "the", a list of names).
Tools come from the real corpus/tools.yaml and invented ones; country names from corpus/offices.yaml."""

from __future__ import annotations

import pytest

from assistant.directory import Tool, ToolDirectory, load_offices, load_tools
from assistant.routing import collaboration_stage, country_in_sentence, join_names, plural_country, tool_label
from tests.conftest import PROJECT

REAL = PROJECT / "corpus"


@pytest.fixture(scope="module")
def tools() -> ToolDirectory:
    return load_tools(REAL / "tools.yaml")


def _tool(acronym: str, names: dict[str, str]) -> Tool:
    return Tool(id=acronym.lower() or "t", acronym=acronym, names=names, stage="emerging", fields={})


def _real(tools: ToolDirectory, acronym: str) -> Tool:
    tool = tools.by_acronym(acronym)
    assert tool is not None, f"{acronym} is not in corpus/tools.yaml"
    return tool


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
        ("we'd like to try out a first joint project, with no joint papers yet", "emerging"),
        ("nous n'avons encore rien publié ensemble", "emerging"),
        ("we have never published together", "emerging"),
        ("we have co-authored papers for years", "consolidating"),
        ("financer des missions courtes avec un collègue", "emerging"),  # what an IEA pays for
        ("short-term visits between our two labs", "emerging"),
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


def test_collaboration_stage_most_cues_wins() -> None:
    # Three emerging cues (nouvelle, démarre, première) against one network cue (réseau), which
    # would win a tie.
    description = "Une nouvelle collaboration qui démarre, la première de notre réseau."
    assert collaboration_stage(description) == "emerging"


def test_collaboration_stage_tie_goes_to_the_earlier_stage_of_the_list() -> None:
    # One training cue (thesis) and one emerging cue (new): training comes first in the list.
    assert collaboration_stage("a new thesis") == "training"


def test_collaboration_stage_ignores_case_and_accents() -> None:
    assert collaboration_stage("UNE COLLABORATION DÉJÀ ÉTABLIE") == "consolidating"


def test_collaboration_stage_none_without_cues() -> None:
    assert collaboration_stage("La météo à Paris") is None


# --- tool_label -----------------------------------------------------------------------------------


def test_tool_label_french_vowel_acronym_takes_l_apostrophe() -> None:
    tool = _tool("IEA", {"fr": "Action internationale émergente"})
    assert tool_label(tool, "fr") == "l'IEA (Action internationale émergente)"


def test_tool_label_french_consonant_acronym_takes_le() -> None:
    tool = _tool("PRC", {"fr": "Projet de recherche conjoint"})
    assert tool_label(tool, "fr") == "le PRC (Projet de recherche conjoint)"


def test_tool_label_name_holding_the_acronym_is_not_repeated(tools: ToolDirectory) -> None:
    tool = _real(tools, "IRC")
    assert tool_label(tool, "fr") == "l'" + tool.names["fr"]


def test_tool_label_falls_back_to_the_english_name() -> None:
    tool = _tool("IRN", {"en": "International Research Network"})
    assert tool_label(tool, "fr") == "l'IRN (International Research Network)"


def test_tool_label_tool_without_acronym_in_french_is_quoted() -> None:
    tool = _tool("", {"fr": "Échanges de chercheurs", "en": "Researcher exchanges"})
    assert tool_label(tool, "fr") == "« Échanges de chercheurs »"


def test_tool_label_tool_without_acronym_in_english_takes_the() -> None:
    tool = _tool("", {"fr": "Échanges de chercheurs", "en": "researcher exchanges"})
    assert tool_label(tool, "en") == "the researcher exchanges"


def test_tool_label_english_tool_with_an_acronym_takes_the() -> None:
    tool = _tool("IRN", {"en": "International Research Network"})
    assert tool_label(tool, "en") == "the IRN (International Research Network)"


# --- country_in_sentence --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lang", "expected"),
    [
        ("Japon", "fr", "le Japon"),
        ("Thaïlande", "fr", "la Thaïlande"),
        ("Argentine", "fr", "l'Argentine"),
        ("Équateur", "fr", "l'Équateur"),
        ("États-Unis", "fr", "les États-Unis"),
        ("Pays-Bas", "fr", "les Pays-Bas"),
        ("Émirats arabes unis", "fr", "les Émirats arabes unis"),
        ("États-Unis d'Amérique", "fr", "les États-Unis d'Amérique"),
        ("Singapour", "fr", "Singapour"),
        ("Madagascar", "fr", "Madagascar"),
        ("Mexique", "fr", "le Mexique"),
        ("Hongrie", "fr", "la Hongrie"),
        ("Nouvelle-Zélande", "fr", "la Nouvelle-Zélande"),
        ("Côte d'Ivoire", "fr", "la Côte d'Ivoire"),
        ("Costa Rica", "fr", "le Costa Rica"),
        ("Burkina Faso", "fr", "le Burkina Faso"),
        ("Sri Lanka", "fr", "Sri Lanka"),
        ("Philippines", "en", "the Philippines"),
        ("United States", "en", "the United States"),
        ("Netherlands", "en", "the Netherlands"),
        ("Democratic Republic of the Congo", "en", "the Democratic Republic of the Congo"),
        ("Japan", "en", "Japan"),
        ("Argentina", "en", "Argentina"),
    ],
)
def test_country_in_sentence_article(name: str, lang: str, expected: str) -> None:
    assert country_in_sentence(name, lang) == expected


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_country_in_sentence_keeps_every_directory_name_as_written(lang: str) -> None:
    offices = load_offices(REAL / "offices.yaml")
    names = [c.names[lang] for o in offices.offices for c in o.countries if lang in c.names]
    assert names
    assert [n for n in names if not country_in_sentence(n, lang).endswith(n)] == []


@pytest.mark.parametrize(
    "name",
    [
        "Corée du Sud",
        "Corée du Nord",
        "Guinée-Bissau",
        "Macédoine du Nord",
        "République démocratique du Congo",
    ],
)
def test_country_in_sentence_feminine_name_with_a_complement_takes_la(name: str) -> None:
    assert country_in_sentence(name, "fr") == f"la {name}"


@pytest.mark.parametrize("name", ["Honduras", "Yémen"])
def test_country_in_sentence_aspirated_h_and_y_take_le(name: str) -> None:
    assert country_in_sentence(name, "fr") == f"le {name}"


def test_country_in_sentence_royaume_uni_takes_le() -> None:
    assert country_in_sentence("Royaume-Uni", "fr") == "le Royaume-Uni"


def test_country_in_sentence_sierra_leone_takes_la() -> None:
    assert country_in_sentence("Sierra Leone", "fr") == "la Sierra Leone"


@pytest.mark.parametrize(
    "name", ["Central African Republic", "Dominican Republic", "Solomon Islands", "Marshall Islands"]
)
def test_country_in_sentence_english_republic_or_islands_takes_the(name: str) -> None:
    assert country_in_sentence(name, "en") == f"the {name}"


# --- plural_country, join_names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lang", "plural"),
    [
        ("États-Unis", "fr", True),
        ("Philippines", "fr", True),
        ("Comores", "fr", True),
        ("Japon", "fr", False),
        ("Philippines", "en", True),
        ("Seychelles", "en", True),
        ("United States", "en", False),
        ("États-Unis", "en", False),
    ],
)
def test_plural_country_takes_a_plural_verb(name: str, lang: str, plural: bool) -> None:
    assert plural_country(name, lang) is plural


@pytest.mark.parametrize(
    ("names", "lang", "expected"),
    [
        ([], "fr", ""),
        (["le Japon"], "fr", "le Japon"),
        (["le Japon", "Taïwan"], "fr", "le Japon et Taïwan"),
        (["le Japon", "la Corée", "Taïwan"], "fr", "le Japon, la Corée et Taïwan"),
        (["Japan", "Korea", "Taiwan"], "en", "Japan, Korea and Taiwan"),
    ],
)
def test_join_names_commas_then_the_conjunction(names: list[str], lang: str, expected: str) -> None:
    assert join_names(names, lang) == expected


def test_tool_label_plural_french_name_takes_les() -> None:
    tool = _tool("OHM", {"fr": "Observatoires Hommes-Milieux", "en": "Human-Environment Observatories"})
    assert tool_label(tool, "fr") == "les OHM (Observatoires Hommes-Milieux)"
