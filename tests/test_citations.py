"""Tests of assistant.citations: [n] parsing, renumbering, support, Markdown rendering and escaping, JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assistant.citations import Answer, Citation, markers, renumber, sources_markdown, support, to_markdown

PASSAGE = "The CNRS office in Tokyo covers Japan, South Korea and Taiwan."


def _citation(n: int, **fields: Any) -> Citation:
    values: dict[str, Any] = {"title": f"Page {n}", "url": f"https://example.org/{n}", "path": f"en/p{n}.md"}
    values.update(fields)
    return Citation(n=n, **values)


def _from_dict(data: dict[str, Any]) -> Answer:
    """Rebuild an Answer from its to_dict() form after a trip through JSON (lists back to tuples)."""
    citations = tuple(Citation(**{**c, "sources": tuple(c["sources"])}) for c in data["citations"])
    return Answer(**{**data, "citations": citations})


# --- markers --------------------------------------------------------------------------------------


def test_markers_in_order_with_repeats() -> None:
    assert markers("Tokyo [2]. Japan [1], Korea [2] and [10].") == [2, 1, 2, 10]


def test_markers_ignore_non_numeric_brackets() -> None:
    assert markers("A [note] and [a1] and [] but [3].") == [3]


# --- renumber -------------------------------------------------------------------------------------


def test_renumber_applies_mapping() -> None:
    assert (
        renumber("Tokyo [3]. Japan [7] and Korea [3].", {3: 1, 7: 2}) == "Tokyo [1]. Japan [2] and Korea [1]."
    )


def test_renumber_swaps_numbers_in_one_pass() -> None:
    assert renumber("A [1]. B [2].", {1: 2, 2: 1}) == "A [2]. B [1]."


def test_renumber_drops_unknown_numbers_with_their_space() -> None:
    assert renumber("Tokyo [3]. Invented [9].", {3: 1}) == "Tokyo [1]. Invented."


# --- support --------------------------------------------------------------------------------------


def test_support_verbatim_sentence_is_fully_supported() -> None:
    assert support(PASSAGE, PASSAGE) == pytest.approx(1.0)


def test_support_ignores_markers() -> None:
    assert support("The CNRS office in Tokyo covers Japan [1].", PASSAGE) == pytest.approx(1.0)


def test_support_matches_accents_and_case() -> None:
    assert (
        support("le bureau du cnrs a tokyo couvre le japon", "Le bureau du CNRS à Tokyo couvre le Japon.")
        == 1.0
    )


def test_support_matches_english_inflections() -> None:
    assert support("The Tokyo office covered Japan [1].", PASSAGE) == pytest.approx(1.0)


def test_support_unrelated_sentence_is_low() -> None:
    assert support("The best pizza is baked in Naples with fresh basil.", PASSAGE) < 0.2


# --- to_markdown ----------------------------------------------------------------------------------


def test_to_markdown_links_each_marker_to_its_citation_url() -> None:
    answer = Answer("Japan [2]. Vietnam [1].", (_citation(1), _citation(2)))
    md = to_markdown(answer)
    assert md.index("(https://example.org/2") < md.index("(https://example.org/1")
    assert "[\\[2\\]](https://example.org/2" in md
    assert "[\\[1\\]](https://example.org/1" in md


def test_to_markdown_marker_without_url_stays_plain_text() -> None:
    answer = Answer("Japan [1]. Unknown [4].", (_citation(1, url=None),))
    md = to_markdown(answer)
    assert "\\[1\\]" in md and "\\[4\\]" in md
    assert "](" not in md


def test_to_markdown_without_links_option() -> None:
    md = to_markdown(Answer("Japan [1].", (_citation(1),)), link_markers=False)
    assert "https://" not in md
    assert "\\[1\\]" in md


def test_to_markdown_escapes_script_tag() -> None:
    md = to_markdown(Answer("Hello <script>alert(1)</script> [1].", (_citation(1),)))
    assert "<script" not in md
    assert "&lt;script&gt;" in md


def test_to_markdown_escapes_img_onerror() -> None:
    md = to_markdown(Answer('See <img src=x onerror="alert(2)"> here.'))
    assert "<img" not in md
    assert "&lt;img" in md


def test_to_markdown_escapes_markdown_syntax() -> None:
    md = to_markdown(Answer("*bold* _it_ `code` # title [link](javascript:alert(1)) | cell ~x~"))
    for raw in (
        "\\*bold\\*",
        "\\_it\\_",
        "\\`code\\`",
        "\\# title",
        "\\[link\\](javascript",
        "\\|",
        "\\~x\\~",
    ):
        assert raw in md
    assert "[link](" not in md


def test_to_markdown_url_cannot_inject_html() -> None:
    bad = _citation(1, url='https://example.org/a) <img src=x onerror="alert(1)"> (')
    md = to_markdown(Answer("Japan [1].", (bad,)))
    assert "<img" not in md


# --- sources_markdown -----------------------------------------------------------------------------


def test_sources_markdown_shows_every_field() -> None:
    citation = _citation(
        1,
        title="CNRS Office in Tokyo",
        section="Countries covered",
        page=4,
        updated="2024",
        snippet="The CNRS office in Tokyo covers Japan.",
        path="en/bureau-tokyo.md",
        url="https://example.org/tokyo",
    )
    md = sources_markdown([citation], "en")
    for part in (
        "CNRS Office in Tokyo",
        "Countries covered",
        "page 4",
        "2024",
        "The CNRS office in Tokyo covers Japan.",
        "(https://example.org/tokyo)",
        "document en/bureau-tokyo.md",
    ):
        assert part in md


def test_sources_markdown_numbers_sources() -> None:
    md = sources_markdown([_citation(1), _citation(2)])
    assert "1. **Page 1**" in md
    assert "2. **Page 2**" in md


def test_sources_markdown_labels_in_french() -> None:
    md = sources_markdown([_citation(1, updated="2021")], "fr")
    assert "mis à jour 2021" in md


def test_sources_markdown_empty_without_citations() -> None:
    assert sources_markdown([]) == ""


def test_sources_markdown_escapes_text_fields() -> None:
    citation = _citation(
        1,
        title="<script>alert(1)</script> *t*",
        section="<img src=x onerror=alert(2)> _s_",
        snippet='<img src=x onerror="alert(3)"> [x](javascript:alert(4))',
        updated="<b>2024</b>",
    )
    md = sources_markdown([citation])
    assert "<script" not in md
    assert "<img" not in md
    assert "<b>" not in md
    assert "\\*t\\*" in md and "\\_s\\_" in md
    assert "[x](" not in md


def test_sources_markdown_path_cannot_inject_html() -> None:
    md = sources_markdown([_citation(1, path="fr/a`<img src=x onerror=alert(1)>`.md")])
    assert "<img" not in md


def test_sources_markdown_links_only_http_urls() -> None:
    md = sources_markdown([_citation(1, url="javascript:alert(1)")])
    assert "](javascript:" not in md


# --- Answer.to_dict -------------------------------------------------------------------------------


def test_answer_to_dict_round_trips_through_json() -> None:
    answer = Answer(
        text="Japan is covered by the Tokyo office [1].",
        citations=(
            _citation(
                1,
                section="Pays",
                page=3,
                snippet="x",
                similarity=0.5,
                updated="2024",
                chunk_id="c1",
                sources=("https://example.org/a", "https://example.org/b"),
            ),
        ),
        refused=False,
        lang="en",
        question="Which office covers Japan?",
        notice="note",
        evidence=0.75,
        meta={"standalone": "Which office covers Japan?", "hits": ["c1", "c2"]},
    )
    data = json.loads(json.dumps(answer.to_dict()))
    assert _from_dict(data) == answer


def test_answer_to_dict_lists_citations_as_dicts() -> None:
    data = Answer("x [1]", (_citation(1),)).to_dict()
    assert isinstance(data["citations"], list)
    assert data["citations"][0]["url"] == "https://example.org/1"
