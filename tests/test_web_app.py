"""The app factory (assistant.web.app) and the package's shape: wiring checked without a browser."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from assistant.chain import Assistant
from assistant.web.app import QUEUE_SIZE, SESSIONS, build_app, build_demo, private_paths
from tests.conftest import PROJECT

STAFF_EVENTS = {"on_login", "on_logout", "on_refresh", "on_upload", "on_resync", "on_ask_delete",
                "on_confirm", "on_cancel", "export_feedback", "export_backlog"}  # fmt: skip


def test_app_only_the_chat_handler_is_public(assistant: Assistant) -> None:
    demo = build_demo(assistant)
    public = [(fn.name, fn.api_name) for fn in demo.fns.values() if fn.api_visibility != "private"]
    assert public == [("on_message", "chat")]
    assert {fn.name for fn in demo.fns.values()} >= STAFF_EVENTS


def test_app_chat_events_share_a_concurrency_budget(assistant: Assistant) -> None:
    demo = build_demo(assistant)
    asking = [fn for fn in demo.fns.values() if fn.name == "on_message"]
    assert len(asking) == 2 + 6  # enter, send, six example questions
    assert {(fn.concurrency_id, fn.concurrency_limit) for fn in asking} == {
        ("chat", assistant.settings.chat_concurrency)
    }


def test_app_bounds_gradios_queue_and_sessions(assistant: Assistant) -> None:
    import gradio as gr

    app = build_app(assistant)
    blocks = next(
        r.app.get_blocks() for r in app.routes if hasattr(r, "app") and hasattr(r.app, "get_blocks")
    )
    assert isinstance(blocks, gr.Blocks)
    assert blocks.max_file_size == assistant.settings.max_upload_bytes
    assert blocks._queue.max_size == QUEUE_SIZE and blocks.state_session_capacity == SESSIONS
    assert blocks.has_launched  # Gradio's check of client-named files is on (tests/test_file_access.py)
    assert not blocks.run_history
    for path in private_paths(assistant.settings):
        assert str(path) in blocks.blocked_paths


def test_app_api_ask_returns_the_answer_as_json(assistant: Assistant) -> None:
    from fastapi.testclient import TestClient

    with TestClient(build_app(assistant)) as client:
        response = client.post("/api/ask", json={"question": "Which office covers Japan?", "history": []})
        assert response.status_code == 200
        data = response.json()
        assert set(data) == {"answer", "status", "citations", "refused", "notice", "lang"}
        assert data["lang"] == "en"
        assert data["citations"][0]["url"] == "https://example.org/tokyo"
        assert client.post("/api/ask", json={"question": ""}).status_code == 422
        follow_up = {"role": "user", "content": "Which office covers Japan?"}
        bad = client.post(
            "/api/ask", json={"question": "and Vietnam?", "history": [{**follow_up, "role": "x"}]}
        )
        assert bad.status_code == 422
        long_history = {"question": "and Vietnam?", "history": [follow_up] * 21}
        assert client.post("/api/ask", json=long_history).status_code == 422


def test_ui_is_a_short_entry_point() -> None:
    source = (PROJECT / "ui.py").read_text(encoding="utf-8")
    assert len(source.splitlines()) < 30
    tree = ast.parse(source)
    assert "build_demo" in source and 'if __name__ == "__main__":' in source
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]  # no logic of its own


def test_core_never_imports_the_web_package() -> None:
    """Only the CLI (an edge) may import assistant.web; the ingest -> answer core does not."""
    offenders = []
    for path in sorted((PROJECT / "assistant").glob("*.py")):
        if path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n == "assistant.web" or n.startswith("assistant.web.")
            ]
    assert offenders == []


def test_web_modules_left_the_core() -> None:
    for name in ("webapp", "mapview", "staff", "library", "feedback"):
        assert not (PROJECT / "assistant" / f"{name}.py").exists()
        assert (PROJECT / "assistant" / "web").is_dir()


def test_web_package_imports_without_gradio_for_the_cli() -> None:
    """`derci-assistant hash-password` and `ask --json` import from the web package: no Gradio there."""
    code = (
        "import sys, assistant.cli, assistant.web.auth, assistant.web.payload, assistant.web.server; "
        "sys.exit('gradio' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(PROJECT), check=False).returncode == 0
