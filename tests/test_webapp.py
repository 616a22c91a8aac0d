"""Message shaping for the web chat (assistant.webapp) and the wiring of ui.py that needs no browser."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest

from assistant import webapp
from assistant.citations import Answer, Citation
from assistant.webapp import (
    answer_markdown,
    error_markdown,
    label,
    partial_markdown,
    preferred_language,
    user_markdown,
)

XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned=2">'


def _citation(**changes: object) -> Citation:
    values: dict[str, object] = {
        "n": 1,
        "title": "CNRS Office in Tokyo",
        "url": "https://example.org/tokyo",
        "path": "en/bureau-tokyo.md",
        "section": "Countries covered",
        "page": 3,
        "snippet": "The CNRS office in Tokyo covers Japan, South Korea and Taiwan.",
        "updated": "2024",
    }
    values.update(changes)
    return Citation(**values)  # type: ignore[arg-type]


def _answer(**changes: object) -> Answer:
    values: dict[str, object] = {
        "text": "Japan is covered by the Tokyo office. [1]",
        "citations": (_citation(),),
        "lang": "en",
        "question": "Which office covers Japan?",
    }
    values.update(changes)
    return Answer(**values)  # type: ignore[arg-type]


def test_answer_markdown_links_markers_to_public_urls() -> None:
    md = answer_markdown(_answer())
    assert '[\\[1\\]](https://example.org/tokyo "source 1")' in md


def test_answer_markdown_sources_panel_lists_every_field() -> None:
    md = answer_markdown(_answer())
    panel = md[md.index("<details") :]
    assert panel.startswith('<details class="derci-sources"><summary>Sources (1)</summary>\n\n')
    assert panel.endswith("\n\n</details>")
    for part in ("CNRS Office in Tokyo", "Countries covered", "page 3", "updated 2024",
                 "covers Japan, South Korea", "(https://example.org/tokyo)", "en/bureau-tokyo.md"):  # fmt: skip
        assert part in panel


def test_answer_markdown_sources_panel_follows_answer_language() -> None:
    md = answer_markdown(_answer(lang="fr"))
    assert "mis à jour 2024" in md
    assert "source publique" in md


def test_answer_markdown_without_citations_has_no_panel() -> None:
    assert "<details" not in answer_markdown(_answer(text="Nothing to cite.", citations=()))


@pytest.mark.parametrize("payload", [XSS_SCRIPT, XSS_IMG])
def test_answer_markdown_escapes_document_html(payload: str) -> None:
    citation = _citation(title=f"Title {payload}", section=payload, snippet=f"Snippet {payload}")
    md = answer_markdown(_answer(text=f"Answer {payload} [1]", citations=(citation,)))
    assert "<script" not in md
    assert "<img" not in md
    assert "&lt;script&gt;" in md or "&lt;img" in md


def test_answer_markdown_escapes_markdown_syntax_of_documents() -> None:
    md = answer_markdown(_answer(text="See [click](javascript:alert(1)) **now** [1]"))
    assert "](javascript:" not in md.replace("\\]", "")
    assert "\\*\\*now\\*\\*" in md


def test_user_markdown_shows_html_as_text() -> None:
    assert user_markdown(XSS_IMG) == '&lt;img src=x onerror="window.\\_\\_pwned=2"&gt;'


def test_partial_markdown_escapes_and_shows_a_cursor() -> None:
    md = partial_markdown(f"Partial {XSS_SCRIPT} [1")
    assert "<script" not in md
    assert md.endswith("▍")


def test_refusal_has_its_own_heading_and_is_quoted() -> None:
    text = "The documentation does not answer this.\n\nRelated topics: offices.\n\nContact the DEI."
    md = answer_markdown(_answer(text=text, citations=(), refused=True))
    assert md.startswith(label("en", "refusal_title"))
    body = md.split("\n\n", 1)[1]
    assert all(line.startswith(">") for line in body.splitlines())
    assert "Related topics: offices." in md
    assert "Contact the DEI." in md


def test_refusal_heading_follows_question_language() -> None:
    md = answer_markdown(
        _answer(text="La documentation ne répond pas.", citations=(), refused=True, lang="fr")
    )
    assert md.startswith(label("fr", "refusal_title"))


def test_error_answer_is_friendly_and_has_no_trace() -> None:
    md = answer_markdown(_answer(text="Index locked.", citations=(), refused=True, meta={"error": True}))
    assert md.startswith(label("en", "error_title"))
    assert "Traceback" not in md
    assert "Traceback" not in error_markdown("fr")
    assert label("fr", "internal_error") in error_markdown("fr")


def test_notice_is_shown_before_the_answer() -> None:
    md = answer_markdown(_answer(notice="Your question was very long."))
    assert md.startswith("*ℹ Your question was very long.*")


def test_preparing_markdown_names_the_stage_in_the_interface_language() -> None:
    assert "(calcul des vecteurs des passages 256/841)" in webapp.preparing_markdown(
        "fr", "embedding", 256, 841
    )
    assert "(embedding the passages 256/841)" in webapp.preparing_markdown("en", "embedding", 256, 841)
    assert "()" not in webapp.preparing_markdown("en")


def test_labels_exist_in_both_languages() -> None:
    assert set(webapp.LABELS["fr"]) == set(webapp.LABELS["en"])
    assert label("fr", "send") == "Envoyer"
    assert label("en", "send") == "Send"
    assert label("de", "send") == "Envoyer"  # unknown languages fall back to French


def test_examples_cover_three_personas_in_both_languages() -> None:
    for lang in webapp.LANGS:
        personas = webapp.EXAMPLES[lang]
        assert len(personas) == 3
        assert all(len(questions) == 2 and all(q.strip() for q in questions) for _, questions in personas)


def test_reason_choices_cover_the_feedback_reasons() -> None:
    from assistant.feedback import REASONS

    for lang in webapp.LANGS:
        assert [value for _, value in webapp.reason_choices(lang)] == list(REASONS)


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "fr"),
        ("", "fr"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("de-DE,en;q=0.5,fr;q=0.8", "fr"),
        ("de-DE,de;q=0.9", "fr"),
        ("en;q=abc,fr;q=0.1", "fr"),
        ("EN-gb", "en"),
    ],
)
def test_preferred_language_reads_accept_language(header: str | None, lang: str) -> None:
    assert preferred_language(header) == lang


@pytest.mark.parametrize(("liked", "vote"), [(True, "up"), (False, "down"), ("", None), (None, None)])
def test_vote_of_like_event(liked: object, vote: str | None) -> None:
    assert webapp.vote_of(liked) == vote


def test_feedback_rows_show_votes_and_reason_labels() -> None:
    @dataclass
    class Row:
        created: str = "2025-01-01T00:00:00+00:00"
        vote: str = "down"
        reason: str | None = "outdated"
        comment: str | None = None
        question: str = "Q?"
        answer: str = "A " * 200

    [row] = webapp.feedback_rows([Row()], "fr")  # type: ignore[list-item]
    assert row[1:4] == ["▼", "Obsolète", ""]
    assert len(str(row[5])) <= 200


def test_answer_markdown_of_a_real_answer(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("Which office covers Japan?")
    md = answer_markdown(answer)
    assert "(https://example.org/tokyo" in md
    assert "<details" in md


def test_webapp_does_not_import_gradio() -> None:
    code = "import sys, assistant.webapp; sys.exit('gradio' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# -- ui.py wiring (Gradio objects, no browser) ---------------------------------------------------


def test_ui_only_the_chat_handler_is_public(assistant) -> None:  # type: ignore[no-untyped-def]
    import ui

    demo = ui.build_demo(assistant)
    public = [(fn.name, fn.api_name) for fn in demo.fns.values() if fn.api_visibility != "private"]
    assert public == [("respond", "chat")]
    staff = {"do_login", "do_logout", "do_refresh", "do_upload", "do_resync", "do_delete", "export"}
    assert staff <= {fn.name for fn in demo.fns.values()}


def test_ui_api_ask_returns_the_answer_as_json(assistant) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    import ui

    with TestClient(ui.build_app(assistant)) as client:
        response = client.post("/api/ask", json={"question": "Which office covers Japan?", "history": []})
        assert response.status_code == 200
        data = response.json()
        assert set(data) == {"answer", "citations", "refused", "notice", "lang"}
        assert data["lang"] == "en"
        assert data["citations"][0]["url"] == "https://example.org/tokyo"
        assert client.post("/api/ask", json={"question": ""}).status_code == 422
        follow_up = {"role": "user", "content": "Which office covers Japan?"}
        bad = client.post(
            "/api/ask", json={"question": "and Vietnam?", "history": [{**follow_up, "role": "x"}]}
        )
        assert bad.status_code == 422
