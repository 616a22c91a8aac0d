"""The feedback store as the web layer sees it: an interface, its rows, validation and the CSV export.

`FeedbackStore` is a Protocol: the pages depend on it, not on SQLite (`feedback_sqlite.py` is the
implementation a single app process uses; a deployment with several processes would plug in a
shared database behind the same methods). `UnavailableStore` stands in when the store cannot be
opened (a read-only data folder): the app still answers and says why feedback is not saved.
Privacy: the interface has no place for an IP address, a user agent, a cookie or a user name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from assistant.citations import Answer
from assistant.errors import InputError
from assistant.web.messages import Refusal, text

REASONS = ("wrong_source", "incomplete", "outdated", "other")
VOTES = ("up", "down")
EXPORT_KINDS = ("feedback", "backlog")
MAX_COMMENT_CHARS = 2000
# OWASP's list: a spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class FeedbackRow:
    """One vote on one answer, with the question and answer it was about."""

    id: int
    answer_id: str
    vote: str
    reason: str | None
    comment: str | None
    question: str
    answer: str
    citations: str  # JSON: [[n, title, url, path, section, page], ...]
    created: str  # ISO 8601, UTC

    def __repr__(self) -> str:
        return f"FeedbackRow({self.id}, {self.vote}, {self.reason}, {self.question[:40]!r})"


@dataclass(frozen=True)
class BacklogRow:
    """A question the documentation failed on: how often, refused or down-voted, and the last answer."""

    question: str
    count: int
    refused: int
    gaps: int  # answers that said the documents lack (part of) what was asked
    down_votes: int
    last_seen: str
    last_answer: str

    def __repr__(self) -> str:
        return f"BacklogRow({self.question[:40]!r}, count={self.count})"


@runtime_checkable
class FeedbackStore(Protocol):
    """Where the answers shown and the votes on them go; every method is safe to call from threads."""

    def record_answer(self, answer: Answer) -> str:
        """Store an answer as shown to the user and return its new id."""
        ...

    def add_feedback(
        self, answer_id: str, vote: str, reason: str | None = None, comment: str | None = None
    ) -> int:
        """Store a vote on a recorded answer (checked by `check_feedback`) and return its row id."""
        ...

    def feedback(self, limit: int = 500) -> list[FeedbackRow]:
        """The latest votes, newest first; a negative limit means all."""
        ...

    def backlog(self, limit: int = 500) -> list[BacklogRow]:
        """Refused, gap or down-voted questions grouped ignoring case and spaces, most frequent first."""
        ...

    def counts(self) -> dict[str, int]:
        """Answers recorded, up votes, down votes and refused answers: keys answers, up, down, refused."""
        ...


class UnavailableStore:
    """A store that stores nothing and says why: reads are empty, writes raise a `Refusal`.

    `folder` is the data folder that could not be written and `error` the system's reason.
    """

    def __init__(self, folder: Path, error: str) -> None:
        self.folder = folder
        self.error = error

    def __repr__(self) -> str:
        return f"UnavailableStore({str(self.folder)!r}, {self.error!r})"

    def reason(self, lang: str | None) -> str:
        """Why nothing is saved, in `lang`."""
        return text(lang, "feedback_store_unwritable", path=self.folder, error=self.error)

    def record_answer(self, answer: Answer) -> str:
        raise Refusal("feedback_store_unwritable", path=self.folder, error=self.error)

    def add_feedback(
        self, answer_id: str, vote: str, reason: str | None = None, comment: str | None = None
    ) -> int:
        raise Refusal("feedback_store_unwritable", path=self.folder, error=self.error)

    def feedback(self, limit: int = 500) -> list[FeedbackRow]:
        return []

    def backlog(self, limit: int = 500) -> list[BacklogRow]:
        return []

    def counts(self) -> dict[str, int]:
        return {"answers": 0, "up": 0, "down": 0, "refused": 0}


def check_feedback(vote: str, reason: str | None, comment: str | None) -> str | None:
    """The comment to store (stripped, None when blank) once the vote, reason and comment are valid.

    Raises:
        InputError: unknown vote or reason, or a comment over MAX_COMMENT_CHARS.
    """
    if vote not in VOTES:
        raise InputError(f"Unknown vote {vote!r}: use 'up' or 'down'.")
    if reason is not None and reason not in REASONS:
        raise InputError(f"Unknown reason {reason!r}: use one of {', '.join(REASONS)}, or none.")
    text = (comment or "").strip() or None
    if text is not None and len(text) > MAX_COMMENT_CHARS:
        raise InputError(
            f"Commentaire trop long ({len(text)} caractères, maximum {MAX_COMMENT_CHARS}) / "
            f"Comment too long ({len(text)} characters, at most {MAX_COMMENT_CHARS}): shorten it."
        )
    return text


def export_csv(store: FeedbackStore, kind: str) -> str:
    """The feedback or the backlog as CSV text with a header row, safe to open in a spreadsheet."""
    if kind == "feedback":
        header = ["id", "created", "answer_id", "vote", "reason", "comment", "question", "answer",
                  "citations"]  # fmt: skip
        rows: list[Sequence[object]] = [
            [r.id, r.created, r.answer_id, r.vote, r.reason, r.comment, r.question, r.answer, r.citations]
            for r in store.feedback(limit=-1)
        ]
    elif kind == "backlog":
        header = ["question", "count", "refused", "gaps", "down_votes", "last_seen", "last_answer"]
        rows = [
            [r.question, r.count, r.refused, r.gaps, r.down_votes, r.last_seen, r.last_answer]
            for r in store.backlog(limit=-1)
        ]
    else:
        raise InputError(f"Unknown export {kind!r}: use one of {', '.join(EXPORT_KINDS)}.")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value
