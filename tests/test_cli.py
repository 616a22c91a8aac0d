"""Tests of assistant.cli, run in-process on the tiny corpus with the fake embedder (the `run_cli` fixture),
and of `python -m assistant` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROJECT

RunCli = Callable[..., tuple[int, str, str]]

QUESTIONS = [
    {
        "id": "a",
        "lang": "en",
        "category": "offices",
        "question": "Which office covers Vietnam?",
        "expected": [["Singapore"]],
    },
    {
        "id": "b",
        "lang": "fr",
        "category": "offices",
        "question": "Qui dirige le bureau de Tokyo ?",
        "expected": [["Maleval"]],
    },
    {
        "id": "c",
        "lang": "en",
        "category": "out_of_scope",
        "question": "What is the best pizza in Naples?",
        "expected": [],
    },
]


def _question_file(tmp_path: Path) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS), encoding="utf-8")
    return path


def test_cli_ingest_prints_the_counts(run_cli: RunCli) -> None:
    code, _, err = run_cli("ingest")
    assert code == 0
    line = next(line for line in err.splitlines() if line.startswith("index:"))
    assert "6 added" in line and "0 removed" in line and "chunks" in line


def test_cli_ingest_again_changes_nothing(run_cli: RunCli) -> None:
    run_cli("ingest")
    code, _, err = run_cli("ingest")
    assert code == 0
    assert "0 added" in err and "6 unchanged" in err


@pytest.mark.parametrize("command", [["ingest"], ["ask", "Which office covers Vietnam?"], ["serve"]])
def test_cli_missing_corpus_folder_says_how_to_give_one(
    run_cli: RunCli, tmp_path: Path, command: list[str]
) -> None:
    code, _, err = run_cli(*command, "--corpus", str(tmp_path / "nowhere"))
    assert code == 2
    assert err.startswith(f"error: No corpus folder at {tmp_path / 'nowhere'}")
    assert "--corpus DIR" in err and "DERCI_CORPUS_DIR" in err
    assert len(err.strip().splitlines()) == 1


def test_cli_default_corpus_is_taken_from_the_working_directory(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DERCI_CORPUS_DIR")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, _, err = run_cli("ingest")
    assert code == 2 and f"No corpus folder at {elsewhere / 'corpus'}" in err
    monkeypatch.chdir(tmp_path)  # where the test corpus is, as corpus/
    assert run_cli("ingest")[0] == 0


def test_cli_serve_takes_the_folders_from_its_flags(
    run_cli: RunCli, tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.web.server

    served: list[object] = []
    monkeypatch.setattr(assistant.web.server, "main", lambda settings: served.append(settings))
    code, _, err = run_cli("serve", "--corpus", str(corpus), "--index", "idx", "--data", str(tmp_path / "d"))
    assert code == 0, err
    [settings] = served
    assert settings.corpus_dir == corpus.resolve()  # type: ignore[attr-defined]
    assert settings.index_dir == Path("idx").resolve()  # type: ignore[attr-defined]
    assert settings.data_dir == (tmp_path / "d").resolve()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("typed", "code"), [("s3cret $pass\n", 0), ("s3cret", 0), ("\n", 2), ("", 2)])
def test_cli_hash_password_reads_one_piped_line(typed: str, code: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DERCI_")}
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "hash-password"],
        cwd=PROJECT,
        env=env,
        input=typed,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    if code == 0:
        from assistant.web.auth import verify_password

        assert verify_password(typed.rstrip("\n"), proc.stdout.strip())
    else:
        assert proc.stderr.startswith("error: The password is empty") and proc.stdout == ""


def test_cli_search_json_is_ranked(run_cli: RunCli) -> None:
    code, out, _ = run_cli("search", "Which office covers Vietnam?", "--json", "-k", "3")
    assert code == 0
    rows = json.loads(out)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert rows[0]["path"] == "en/bureau-singapour.md"
    assert {"score", "text", "title", "section", "url", "lang"} <= set(rows[0])


def test_cli_search_text_output(run_cli: RunCli) -> None:
    code, out, _ = run_cli("search", "Maleval", "--lang", "fr", "-k", "1")
    assert code == 0
    assert out.startswith("1. [") and "fr/bureau-tokyo.md" in out


def test_cli_ask_json(run_cli: RunCli) -> None:
    code, out, _ = run_cli("ask", "Which office covers Vietnam?", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"answer", "status", "citations", "refused"} <= set(data)
    assert data["refused"] is False and data["status"] in ("answered", "partial")
    assert data["citations"][0]["n"] == 1 and "Singapore" in data["answer"]


def test_cli_ask_json_is_what_the_web_api_returns(run_cli: RunCli, assistant) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    import ui

    question = "Which office covers Vietnam?"
    _, out, _ = run_cli("ask", question, "--json")
    with TestClient(ui.build_app(assistant)) as client:
        api = client.post("/api/ask", json={"question": question}).json()
    assert json.loads(out) == api


def test_cli_ask_json_refusal(run_cli: RunCli) -> None:
    code, out, _ = run_cli("ask", "What is the best pizza in Naples?", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["refused"] is True and data["citations"] == []


def test_cli_ask_text_lists_sources(run_cli: RunCli) -> None:
    code, out, _ = run_cli("ask", "Qui dirige le bureau de Tokyo ?")
    assert code == 0
    assert "Maleval" in out
    assert "[1] Bureau du CNRS à Tokyo" in out and "https://example.org/tokyo" in out


def test_cli_eval_prints_the_table(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, _ = run_cli("eval", str(_question_file(tmp_path)))
    assert code == 0
    lines = out.splitlines()
    assert "accuracy" in lines[0] and "recall_at_5" in lines[0]
    overall = next(line for line in lines if line.startswith("overall")).split()
    assert overall[1] == "3"  # n
    assert any(line.startswith("category=out_of_scope") for line in lines)


def test_cli_eval_json(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, _ = run_cli("eval", str(_question_file(tmp_path)), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["n"] == 3
    assert [q["id"] for q in data["questions"]] == ["a", "b", "c"]


def test_cli_eval_missing_file(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, err = run_cli("eval", str(tmp_path / "missing.jsonl"))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "missing.jsonl" in err and "Traceback" not in err


def test_cli_eval_malformed_file_names_the_line(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "question": "ok?"}\nnot json\n', encoding="utf-8")
    code, _, err = run_cli("eval", str(path))
    assert code == 2
    assert "bad.jsonl:2:" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cli_config_error_exit_code(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DERCI_LLM_BACKEND", "telepathy")
    code, _, err = run_cli("ask", "Which office covers Vietnam?")
    assert code == 2
    assert "DERCI_LLM_BACKEND" in err and "Traceback" not in err


def test_cli_without_command_prints_help(run_cli: RunCli) -> None:
    code, out, _ = run_cli()
    assert code == 2
    assert "usage:" in out


def test_cli_unknown_option_exits_with_usage_error(run_cli: RunCli) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli("search", "x", "--mode", "psychic")
    assert exc.value.code == 2


def test_cli_module_help_in_a_subprocess() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DERCI_")}
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "--help"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0
    assert "usage: derci-assistant" in proc.stdout
    for command in ("ingest", "search", "ask", "eval"):
        assert command in proc.stdout
    assert proc.stderr == ""
