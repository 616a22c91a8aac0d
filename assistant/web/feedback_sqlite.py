"""The SQLite feedback store: every answer shown, the votes and comments on it, and the backlog they make.

One SQLite file in WAL mode, one connection per call, so Gradio worker threads can share a store.
Implements `assistant.web.feedback.FeedbackStore`; `open_store` falls back to an `UnavailableStore`
that says why when the file cannot be opened or written (a read-only data folder), so the app
still starts. Privacy: no IP address, user agent, cookie or user name is ever stored, only what
the user typed, what the assistant answered and the vote. Does not render and does not talk to people.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from assistant.citations import Answer
from assistant.errors import InputError
from assistant.web.feedback import (
    BacklogRow,
    FeedbackRow,
    FeedbackStore,
    UnavailableStore,
    check_feedback,
)

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    question_key TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    refused INTEGER NOT NULL CHECK (refused IN (0, 1)),
    lang TEXT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS answers_question_key ON answers (question_key);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    reason TEXT CHECK (reason IS NULL OR reason IN ('wrong_source', 'incomplete', 'outdated', 'other')),
    comment TEXT,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_answer_id ON feedback (answer_id);
"""

# Answers that were refused, said the documents lack what was asked (status gap or partial) or got
# at least one down vote, one row per normalised question, the latest answer of the group carrying
# the group's totals.
_BACKLOG = """
WITH flagged AS (
    SELECT a.rowid AS seq, a.question, a.question_key, a.answer, a.refused, a.created,
           CASE WHEN a.status IN ('gap', 'partial') THEN 1 ELSE 0 END AS gap,
           (SELECT COUNT(*) FROM feedback f WHERE f.answer_id = a.id AND f.vote = 'down') AS downs
    FROM answers a
),
grouped AS (
    SELECT question, answer, created,
           ROW_NUMBER() OVER (PARTITION BY question_key ORDER BY created DESC, seq DESC) AS latest,
           COUNT(*) OVER (PARTITION BY question_key) AS n,
           SUM(refused) OVER (PARTITION BY question_key) AS refused,
           SUM(gap) OVER (PARTITION BY question_key) AS gaps,
           SUM(downs) OVER (PARTITION BY question_key) AS downs
    FROM flagged
    WHERE refused = 1 OR gap = 1 OR downs > 0
)
SELECT question, n, refused, gaps, downs, created, answer
FROM grouped WHERE latest = 1
ORDER BY n DESC, created DESC
LIMIT ?
"""

_FEEDBACK = """
SELECT f.id, f.answer_id, f.vote, f.reason, f.comment, a.question, a.answer, a.citations, f.created
FROM feedback f JOIN answers a ON a.id = f.answer_id
ORDER BY f.id DESC
LIMIT ?
"""


class SqliteFeedbackStore:
    """Answers and votes in one SQLite file; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode = WAL")  # persistent: set once for the file
            db.executescript(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(answers)")}
            if "status" not in columns:  # a database made before answers had a status
                db.execute("ALTER TABLE answers ADD COLUMN status TEXT NOT NULL DEFAULT ''")

    def __repr__(self) -> str:
        return f"SqliteFeedbackStore({str(self.path)!r})"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # Autocommit mode: writes open their transaction explicitly (see `_write`).
        with closing(sqlite3.connect(self.path, timeout=30.0, isolation_level=None)) as db:
            db.execute("PRAGMA foreign_keys = ON")
            yield db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # subtle: IMMEDIATE takes the write lock up front, so a busy writer waits for `timeout`
        # instead of failing at once when a read transaction would have to be upgraded.
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def record_answer(self, answer: Answer) -> str:
        """Store an answer as shown to the user and return its new id."""
        answer_id = uuid.uuid4().hex
        citations = json.dumps(
            [[c.n, c.title, c.url, c.path, c.section, c.page] for c in answer.citations],
            ensure_ascii=False,
        )
        with self._write() as db:
            db.execute(
                "INSERT INTO answers (id, question, question_key, answer, citations, refused, lang, created,"
                " status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    answer.question,
                    normalise_question(answer.question),
                    answer.text,
                    citations,
                    int(answer.refused),
                    answer.lang,
                    _now(),
                    answer.status,
                ),
            )
        return answer_id

    def add_feedback(
        self, answer_id: str, vote: str, reason: str | None = None, comment: str | None = None
    ) -> int:
        """Store a vote on a recorded answer and return the feedback row id.

        Raises:
            InputError: the vote, reason or comment is invalid, or the answer id is unknown.
        """
        comment = check_feedback(vote, reason, comment)
        with self._write() as db:
            known = db.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone()
            if known is None:
                raise InputError(
                    f"Unknown answer id {answer_id!r}: the answer was not recorded, ask the question again."
                )
            [(row_id,)] = db.execute(
                "INSERT INTO feedback (answer_id, vote, reason, comment, created) VALUES (?, ?, ?, ?, ?)"
                " RETURNING id",
                (answer_id, vote, reason, comment, _now()),
            ).fetchall()  # fetch all: a statement still in progress would block the COMMIT
        return int(row_id)

    def feedback(self, limit: int = 500) -> list[FeedbackRow]:
        """The latest votes, newest first, each with its question and answer."""
        with self._connect() as db:
            rows = db.execute(_FEEDBACK, (limit,)).fetchall()
        return [FeedbackRow(*row) for row in rows]  # columns in field order

    def backlog(self, limit: int = 500) -> list[BacklogRow]:
        """Refused, gap or down-voted questions, grouped ignoring case and spaces, most frequent first."""
        with self._connect() as db:
            rows = db.execute(_BACKLOG, (limit,)).fetchall()
        return [BacklogRow(*row) for row in rows]  # columns in field order

    def counts(self) -> dict[str, int]:
        """How many answers were recorded, up and down votes given, and answers refused."""
        with self._connect() as db:
            answers, refused = db.execute(
                "SELECT COUNT(*), COALESCE(SUM(refused), 0) FROM answers"
            ).fetchone()
            votes = dict(db.execute("SELECT vote, COUNT(*) FROM feedback GROUP BY vote").fetchall())
        return {
            "answers": answers,
            "up": votes.get("up", 0),
            "down": votes.get("down", 0),
            "refused": refused,
        }


def open_store(path: Path) -> FeedbackStore:
    """The SQLite store at `path`, or an `UnavailableStore` naming the folder when it cannot be written."""
    try:
        return SqliteFeedbackStore(path)
    except (OSError, sqlite3.Error) as exc:
        log.warning("feedback cannot be saved: %s is not writable (%s)", path.parent, exc)
        return UnavailableStore(path.parent, str(exc))


def normalise_question(question: str) -> str:
    """The grouping key of a question: NFKC, case-folded, runs of white space made one space."""
    return " ".join(unicodedata.normalize("NFKC", question).casefold().split())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
