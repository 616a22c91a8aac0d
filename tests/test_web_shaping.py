"""Message shaping for the web app (assistant.web.shaping), its messages, and the wiring that needs no browser."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest

from assistant.citations import Answer, Citation
from assistant.documents import Skipped
from assistant.ingest import SyncReport
from assistant.prompts import INTERNAL_ERROR
from assistant.web import messages, shaping
from assistant.web.library import DocumentInfo
from assistant.web.messages import UI, Refusal, error_text
from assistant.web.messages import text as message
from assistant.web.shaping import (
    answer_markdown,
    error_markdown,
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
    assert md.startswith(message("en", "refusal_title"))
    body = md.split("\n\n", 1)[1]
    assert all(line.startswith(">") for line in body.splitlines())
    assert "Related topics: offices." in md
    assert "Contact the DEI." in md


def test_refusal_heading_follows_question_language() -> None:
    md = answer_markdown(
        _answer(text="La documentation ne répond pas.", citations=(), refused=True, lang="fr")
    )
    assert md.startswith(message("fr", "refusal_title"))


def test_error_answer_is_friendly_and_has_no_trace() -> None:
    md = answer_markdown(_answer(text="Index locked.", citations=(), refused=True, meta={"error": True}))
    assert md.startswith(message("en", "error_title"))
    assert "Traceback" not in md
    assert "Traceback" not in error_markdown("fr")
    assert message("fr", "internal_error") in error_markdown("fr")


def test_notice_is_shown_before_the_answer() -> None:
    md = answer_markdown(_answer(notice="Your question was very long."))
    assert md.startswith("*ℹ Your question was very long.*")


def test_messages_exist_in_both_languages() -> None:
    assert all(set(message) == {"fr", "en"} for message in UI.values())
    assert message("fr", "send") == "Envoyer"
    assert message("en", "send") == "Send"
    assert message("de", "send") == "Envoyer"  # unknown languages fall back to French


def test_messages_internal_error_is_the_cores_text() -> None:
    assert UI["internal_error"] == INTERNAL_ERROR
    assert INTERNAL_ERROR["fr"] in error_markdown("fr") and INTERNAL_ERROR["en"] in error_markdown("en")


def test_refusal_speaks_the_readers_language() -> None:
    refusal = Refusal("too_many_attempts", seconds=4)
    assert str(refusal) == "Too many attempts: try again in 4 s."
    assert error_text(refusal, "fr") == "Trop de tentatives : réessayez dans 4 s."
    assert error_text(ValueError("as it is"), "fr") == "as it is"
    with pytest.raises(KeyError):
        Refusal("no-such-message")


def test_sync_markdown_in_french_names_the_skipped_files() -> None:
    report = SyncReport(added=2, unchanged=5, skipped=(Skipped("uploads/broken.pdf", "not a readable PDF"),))
    fr = shaping.sync_markdown(report, "fr")
    assert fr.startswith("2 ajouté(s), 0 modifié(s)") and "1 ignoré(s)" in fr
    assert "uploads/broken.pdf (not a readable PDF)" in fr
    assert shaping.sync_markdown(report, "en").startswith("2 added, 0 updated")


def test_document_rows_say_why_a_file_is_unreadable() -> None:
    doc = DocumentInfo("a.pdf", "", "", 0, None, 10, "2025-01-01T00:00:00+00:00", problem="encrypted PDF")
    assert shaping.document_rows([doc], "fr")[0][1] == "(illisible : encrypted PDF)"
    assert shaping.document_rows([doc], "en")[0][1] == "(unreadable: encrypted PDF)"


def test_examples_cover_three_personas_in_both_languages() -> None:
    for lang in messages.LANGS:
        personas = messages.EXAMPLES[lang]
        assert len(personas) == 3
        assert all(len(questions) == 2 and all(q.strip() for q in questions) for _, questions in personas)


def test_reason_choices_cover_the_feedback_reasons() -> None:
    from assistant.web.feedback import REASONS

    for lang in messages.LANGS:
        assert [value for _, value in shaping.reason_choices(lang)] == list(REASONS)


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
    assert shaping.vote_of(liked) == vote


def test_feedback_rows_show_votes_and_reason_labels() -> None:
    @dataclass
    class Row:
        created: str = "2025-01-01T00:00:00+00:00"
        vote: str = "down"
        reason: str | None = "outdated"
        comment: str | None = None
        question: str = "Q?"
        answer: str = "A " * 200

    [row] = shaping.feedback_rows([Row()], "fr")  # type: ignore[list-item]
    assert row[1:4] == ["▼", "Obsolète", ""]
    assert len(str(row[5])) <= 200


def test_answer_markdown_of_a_real_answer(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask("Which office covers Japan?")
    md = answer_markdown(answer)
    assert "(https://example.org/tokyo" in md
    assert "<details" in md


def test_shaping_messages_and_feedback_do_not_import_gradio() -> None:
    code = (
        "import sys, assistant.web.shaping, assistant.web.messages, assistant.web.feedback_sqlite, "
        "assistant.web.payload; sys.exit('gradio' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
