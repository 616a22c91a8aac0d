"""Pure message shaping for the web app: answers as chat Markdown, the interface language, staff tables.

The pages (`chat.py`, `staff.py`) wire these to Gradio components; nothing here imports Gradio,
answers a question or touches a file. Every piece of document or user text goes through
`escape_markdown` before it is shown; the texts themselves live in `messages.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.citations import Answer, escape_markdown, sources_markdown, to_markdown
from assistant.web.messages import DEFAULT_LANG, LANGS, REASON_LABELS, lang_of, text

if TYPE_CHECKING:
    from assistant.ingest import SyncReport
    from assistant.web.feedback import BacklogRow, FeedbackRow
    from assistant.web.library import DocumentInfo

_CURSOR = " ▍"
_Q = re.compile(r"q\s*=\s*([^;\s]*)")


def preferred_language(accept_language: str | None) -> str:
    """The interface language from an Accept-Language header: the best-weighted of FR/EN, else FR."""
    best, best_q = DEFAULT_LANG, 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        m = _Q.search(params)
        try:
            q = float(m.group(1)) if m else 1.0
        except ValueError:
            continue
        if primary in LANGS and q > best_q:
            best, best_q = primary, q
    return best


def reason_choices(lang: str | None) -> list[tuple[str, str]]:
    return [(name, key) for key, name in REASON_LABELS[lang_of(lang)].items()]


def vote_of(liked: object) -> str | None:
    """'up' or 'down' from a Chatbot like event; None when the user took the vote back."""
    if liked is True:
        return "up"
    if liked is False:
        return "down"
    return None


# -- chat messages ------------------------------------------------------------------------------


def user_markdown(question: str) -> str:
    """The user's own message, shown as typed: never interpreted as Markdown or HTML."""
    return escape_markdown(question)


def partial_markdown(written: str) -> str:
    """An answer while it is being written: escaped text and a cursor ([n] links come at the end)."""
    return escape_markdown(written) + _CURSOR


def answer_markdown(answer: Answer) -> str:
    """The chat message of a finished answer: notice, text with [n] linked, and a collapsible sources panel.

    Refusals and errors get a distinct heading and are quoted, so they do not read like an answer.
    Labels follow the answer's language, which is the question's.
    """
    lang = lang_of(answer.lang)
    parts: list[str] = []
    if answer.meta.get("error"):
        parts.append(text(lang, "error_title"))
        parts.append(_quote(escape_markdown(answer.text)))
        return "\n\n".join(parts)
    if answer.notice:
        parts.append(f"*ℹ {escape_markdown(answer.notice)}*")
    body = to_markdown(answer)
    if answer.refused:
        parts.append(text(lang, "refusal_title"))
        body = _quote(body)
    parts.append(body)
    if answer.citations:
        parts.append(sources_panel(answer))
    return "\n\n".join(parts)


def sources_panel(answer: Answer) -> str:
    """The numbered sources of an answer in a <details> block (its Markdown body needs the blank lines)."""
    lang = lang_of(answer.lang)
    listing = sources_markdown(answer.citations, lang)
    listing = re.sub(r"\A\*\*[^*\n]+\*\*\n\n", "", listing)  # the <summary> already says "Sources"
    summary = text(lang, "sources", n=len(answer.citations))
    return f'<details class="derci-sources"><summary>{summary}</summary>\n\n{listing}\n\n</details>'


def error_markdown(lang: str | None) -> str:
    """The message shown when the app itself fails: friendly, never a trace."""
    return f"{text(lang, 'error_title')}\n\n{_quote(text(lang, 'internal_error'))}"


def _quote(markdown: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in markdown.split("\n"))


# -- staff tables -------------------------------------------------------------------------------


def document_rows(documents: Sequence[DocumentInfo], lang: str | None) -> list[list[object]]:
    """Rows of the staff document table; an unreadable file's title says why it cannot be read."""
    return [
        [
            d.path,
            d.title if d.problem is None else text(lang, "unreadable_title", reason=d.problem),
            d.lang,
            d.chunks,
            d.updated or "",
            d.modified,
            d.size,
        ]
        for d in documents
    ]


def feedback_rows(rows: Sequence[FeedbackRow], lang: str | None) -> list[list[object]]:
    """Rows of the staff feedback table, newest first."""
    reasons = REASON_LABELS[lang_of(lang)]
    return [
        [
            r.created,
            "▲" if r.vote == "up" else "▼",
            reasons.get(r.reason or "", ""),
            r.comment or "",
            r.question,
            _short(r.answer),
        ]
        for r in rows
    ]


def backlog_rows(rows: Sequence[BacklogRow]) -> list[list[object]]:
    """Rows of the staff backlog table, most frequent first."""
    return [
        [r.question, r.count, r.refused, r.gaps, r.down_votes, r.last_seen, _short(r.last_answer)]
        for r in rows
    ]


def sync_markdown(report: SyncReport, lang: str | None) -> str:
    """What a re-sync did, in the interface language, naming every file it skipped and why."""
    summary = text(
        lang,
        "sync_summary",
        added=report.added,
        updated=report.updated,
        removed=report.removed,
        unchanged=report.unchanged,
        skipped=len(report.skipped),
        chunks=report.chunks,
        embedded=report.embedded,
        seconds=f"{report.seconds:.1f}",
    )
    if not report.skipped:
        return summary
    items = "; ".join(f"{escape_markdown(s.path)} ({escape_markdown(s.reason)})" for s in report.skipped)
    return f"{summary} {text(lang, 'sync_skipped', items=items)}"


def _short(value: str, limit: int = 200) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
