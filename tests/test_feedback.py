"""The feedback store: round trip, backlog, validation, CSV export, privacy, thread safety, and a data
folder that cannot be written (the app still starts and says why feedback is not saved)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
from pathlib import Path

import pytest

from assistant.citations import Answer, Citation
from assistant.config import Settings
from assistant.errors import InputError
from assistant.web.feedback import REASONS, FeedbackStore, UnavailableStore, export_csv
from assistant.web.feedback_sqlite import SqliteFeedbackStore, open_store
from assistant.web.messages import Refusal


@pytest.fixture
def store(settings: Settings) -> SqliteFeedbackStore:
    return SqliteFeedbackStore(settings.feedback_db)


def _answer(question: str = "Qui dirige le bureau de Tokyo ?", *, refused: bool = False) -> Answer:
    citation = Citation(
        n=1,
        title="CNRS Office in Tokyo",
        url="https://example.org/tokyo",
        path="en/bureau-tokyo.md",
        section="Director",
        page=None,
    )
    return Answer(
        text="Le bureau est dirigé par Jacques Maleval [1].",
        citations=() if refused else (citation,),
        refused=refused,
        lang="fr",
        question=question,
    )


def test_feedback_store_creates_parent_folders(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "feedback.sqlite3"
    SqliteFeedbackStore(path)
    assert path.is_file()


def test_feedback_store_uses_wal(store: SqliteFeedbackStore) -> None:
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_feedback_round_trip(store: SqliteFeedbackStore) -> None:
    answer_id = store.record_answer(_answer())
    row_id = store.add_feedback(answer_id, "down", "outdated", "  Le directeur a changé.  ")

    [row] = store.feedback()
    assert (row.id, row.answer_id, row.vote, row.reason) == (row_id, answer_id, "down", "outdated")
    assert row.comment == "Le directeur a changé."
    assert row.question == "Qui dirige le bureau de Tokyo ?"
    assert row.answer == "Le bureau est dirigé par Jacques Maleval [1]."
    assert json.loads(row.citations) == [
        [1, "CNRS Office in Tokyo", "https://example.org/tokyo", "en/bureau-tokyo.md", "Director", None]
    ]
    assert row.created.endswith("+00:00")


def test_feedback_answer_ids_are_uuid4_hex(store: SqliteFeedbackStore) -> None:
    first, second = store.record_answer(_answer()), store.record_answer(_answer())
    assert first != second
    assert len(first) == 32 and int(first, 16) >= 0


def test_feedback_is_newest_first(store: SqliteFeedbackStore) -> None:
    answer_id = store.record_answer(_answer())
    first = store.add_feedback(answer_id, "up")
    second = store.add_feedback(answer_id, "down")
    assert [r.id for r in store.feedback()] == [second, first]


def test_feedback_limit(store: SqliteFeedbackStore) -> None:
    answer_id = store.record_answer(_answer())
    for _ in range(5):
        store.add_feedback(answer_id, "up")
    assert len(store.feedback(limit=2)) == 2


def test_feedback_counts(store: SqliteFeedbackStore) -> None:
    first = store.record_answer(_answer())
    store.record_answer(_answer("Quel temps fait-il ?", refused=True))
    store.add_feedback(first, "up")
    store.add_feedback(first, "down")
    store.add_feedback(first, "down")
    assert store.counts() == {"answers": 2, "up": 1, "down": 2, "refused": 1}


def test_feedback_counts_empty_store(store: SqliteFeedbackStore) -> None:
    assert store.counts() == {"answers": 0, "up": 0, "down": 0, "refused": 0}


def test_feedback_backlog_groups_refused_and_down_voted(store: SqliteFeedbackStore) -> None:
    store.record_answer(_answer("Quel temps fait-il à Paris ?", refused=True))
    store.record_answer(_answer("  quel TEMPS fait-il   à paris ?", refused=True))
    down = store.record_answer(_answer("Qui dirige le bureau de Tokyo ?"))
    store.add_feedback(down, "down", "wrong_source")
    liked = store.record_answer(_answer("Combien dure une IEA ?"))
    store.add_feedback(liked, "up")
    store.record_answer(_answer("Où est le bureau de Singapour ?"))  # answered, no vote

    backlog = store.backlog()

    assert [(b.count, b.refused, b.gaps, b.down_votes) for b in backlog] == [(2, 2, 0, 0), (1, 0, 0, 1)]
    assert backlog[0].question == "  quel TEMPS fait-il   à paris ?"  # the latest wording
    assert backlog[1].question == "Qui dirige le bureau de Tokyo ?"
    assert backlog[1].last_answer == "Le bureau est dirigé par Jacques Maleval [1]."


def test_feedback_backlog_excludes_up_voted_answers(store: SqliteFeedbackStore) -> None:
    liked = store.record_answer(_answer("Combien dure une IEA ?"))
    store.add_feedback(liked, "up", comment="Merci")
    assert store.backlog() == []


def test_feedback_rejects_unknown_reason(store: SqliteFeedbackStore) -> None:
    answer_id = store.record_answer(_answer())
    with pytest.raises(InputError, match="wrong_source, incomplete, outdated, other"):
        store.add_feedback(answer_id, "down", "rude")


@pytest.mark.parametrize("reason", [*REASONS, None])
def test_feedback_accepts_every_reason(store: SqliteFeedbackStore, reason: str | None) -> None:
    answer_id = store.record_answer(_answer())
    store.add_feedback(answer_id, "down", reason)
    assert store.feedback()[0].reason == reason


def test_feedback_rejects_unknown_vote(store: SqliteFeedbackStore) -> None:
    answer_id = store.record_answer(_answer())
    with pytest.raises(InputError, match="'up' or 'down'"):
        store.add_feedback(answer_id, "meh")


def test_feedback_comment_limit(store: SqliteFeedbackStore) -> None:
    answer_id = store.record_answer(_answer())
    store.add_feedback(answer_id, "down", comment="x" * 2000)
    with pytest.raises(InputError, match="2001 characters, at most 2000"):
        store.add_feedback(answer_id, "down", comment="x" * 2001)
    assert len(store.feedback()) == 1


def test_feedback_blank_comment_is_stored_as_none(store: SqliteFeedbackStore) -> None:
    answer_id = store.record_answer(_answer())
    store.add_feedback(answer_id, "up", comment="   \n ")
    assert store.feedback()[0].comment is None


def test_feedback_rejects_unknown_answer_id(store: SqliteFeedbackStore) -> None:
    with pytest.raises(InputError, match="Unknown answer id 'nope'"):
        store.add_feedback("nope", "up")
    assert store.feedback() == []


def test_feedback_export_csv_header(store: SqliteFeedbackStore) -> None:
    answer_id = store.record_answer(_answer())
    store.add_feedback(answer_id, "down", "incomplete", "manque la date")
    rows = list(csv.reader(io.StringIO(export_csv(store, "feedback"))))
    assert rows[0] == [
        "id", "created", "answer_id", "vote", "reason", "comment", "question", "answer", "citations",
    ]  # fmt: skip
    assert rows[1][3:6] == ["down", "incomplete", "manque la date"]


def test_feedback_export_backlog_csv_header(store: SqliteFeedbackStore) -> None:
    store.record_answer(_answer("Quel temps fait-il ?", refused=True))
    rows = list(csv.reader(io.StringIO(export_csv(store, "backlog"))))
    assert rows[0] == ["question", "count", "refused", "gaps", "down_votes", "last_seen", "last_answer"]
    assert rows[1][:5] == ["Quel temps fait-il ?", "1", "1", "0", "0"]


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)"])
def test_feedback_export_csv_guards_formulas(store: SqliteFeedbackStore, payload: str) -> None:
    answer_id = store.record_answer(_answer(payload, refused=True))
    store.add_feedback(answer_id, "down", comment=payload)

    feedback = list(csv.reader(io.StringIO(export_csv(store, "feedback"))))[1]
    backlog = list(csv.reader(io.StringIO(export_csv(store, "backlog"))))[1]

    assert feedback[5] == feedback[6] == "'" + payload  # comment, question
    assert backlog[0] == "'" + payload


def test_feedback_export_rejects_unknown_kind(store: SqliteFeedbackStore) -> None:
    with pytest.raises(InputError, match="feedback, backlog"):
        export_csv(store, "answers")


def test_feedback_schema_has_no_ip_or_agent_column(store: SqliteFeedbackStore) -> None:
    with sqlite3.connect(store.path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        columns = [
            column[1].lower() for table in tables for column in db.execute(f"PRAGMA table_info({table})")
        ]
    assert {"answers", "feedback"} <= set(tables)
    assert "question" in columns
    assert not [c for c in columns if any(word in c for word in ("ip", "addr", "host", "agent"))]


def test_feedback_concurrent_writes_lose_nothing(store: SqliteFeedbackStore) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(worker: int) -> None:
        try:
            start.wait()
            for i in range(25):
                answer_id = store.record_answer(_answer(f"question {worker}-{i}", refused=i % 2 == 0))
                store.add_feedback(answer_id, "down" if i % 5 == 0 else "up", comment=f"{worker}-{i}")
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert store.counts() == {"answers": 200, "up": 160, "down": 40, "refused": 104}
    assert len({r.comment for r in store.feedback(limit=1000)}) == 200


def test_feedback_backlog_lists_gap_answers_with_their_status(store: SqliteFeedbackStore) -> None:
    gap = Answer(text="The documents do not give the date.", lang="en", question="When?", status="gap")
    store.record_answer(gap)
    store.record_answer(_answer("Où est le bureau de Singapour ?"))  # answered: not in the backlog
    [row] = store.backlog()
    assert (row.question, row.count, row.refused, row.gaps) == ("When?", 1, 0, 1)
    with sqlite3.connect(store.path) as db:
        assert {r[0] for r in db.execute("SELECT status FROM answers")} == {"gap", "answered"}


def test_feedback_store_adds_the_status_column_to_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE answers (id TEXT PRIMARY KEY, question TEXT NOT NULL, question_key TEXT NOT NULL,"
            " answer TEXT NOT NULL, citations TEXT NOT NULL, refused INTEGER NOT NULL, lang TEXT NOT NULL,"
            " created TEXT NOT NULL);"
        )
    store = SqliteFeedbackStore(path)
    store.record_answer(_answer())
    assert store.counts()["answers"] == 1


def test_feedback_sqlite_store_meets_the_interface(store: SqliteFeedbackStore) -> None:
    assert isinstance(store, FeedbackStore)
    assert isinstance(UnavailableStore(Path("/x"), "read-only"), FeedbackStore)


def test_feedback_open_store_on_an_unwritable_folder_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    store = open_store(blocker / "feedback.sqlite3")
    assert isinstance(store, UnavailableStore)
    assert store.feedback() == [] and store.counts()["answers"] == 0
    with pytest.raises(Refusal) as caught:
        store.record_answer(_answer())
    assert str(blocker) in caught.value.in_lang("en") and "not writable" in caught.value.in_lang("en")
    assert "n'est pas accessible en écriture" in store.reason("fr")
