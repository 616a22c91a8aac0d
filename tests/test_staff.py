"""The staff page's handlers (assistant.web.staff), called directly: no page, no browser, no HTTP.

The same area is attacked over HTTP in tests/test_staff_http.py and driven in Chromium in
tests/browser/test_browser.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chain import Assistant
from assistant.errors import InputError
from assistant.web import staff
from assistant.web.api import Downloads
from assistant.web.auth import Client, hash_password
from assistant.web.backend import Backend
from assistant.web.messages import DOCUMENT_HEADERS

PASSWORD = "correct horse battery staple"
BROWSER = "b" * 43
OKAPI = b"# Okapi programme\n\n## Funding\n\nThe okapi programme funds okapi research in rainforest labs.\n"


@pytest.fixture
def backend(assistant: Assistant) -> Backend:
    settings = assistant.settings.replace(staff_user="dei", staff_password_hash=hash_password(PASSWORD))
    return Backend(settings, assistant)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """Gradio's upload folder: what browsers sent."""
    folder = tmp_path / "gradio-uploads"
    folder.mkdir()
    return folder


def _sent(inbox: Path, name: str, data: bytes) -> str:
    path = inbox / "9f2c" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return str(path)


# -- login and tables ---------------------------------------------------------------------------------


def test_login_opens_a_session_and_loads_the_tables(backend: Backend) -> None:
    view = staff.login(backend, "dei", PASSWORD, Client("10.0.0.1", BROWSER), "fr")
    assert view.token and view.message == "" and view.tables is not None
    assert view.tables.documents["headers"] == DOCUMENT_HEADERS["fr"]
    assert "en/bureau-tokyo.md" in view.tables.choices
    staff.authorize(backend, view.token, BROWSER)
    with pytest.raises(InputError, match="Login required"):
        staff.authorize(backend, view.token, "x" * 43)


def test_login_refusal_in_the_interface_language(backend: Backend) -> None:
    view = staff.login(backend, "dei", "wrong", Client("10.0.0.1", BROWSER), "fr")
    assert view.token is None and view.message == "⚠ Identifiant ou mot de passe incorrect."


def test_tables_follow_the_language(backend: Backend) -> None:
    fr, en = staff.tables(backend, "fr"), staff.tables(backend, "en")
    assert fr.documents["headers"][1] == "Titre" and en.documents["headers"][1] == "Title"
    assert fr.counts.startswith("0 réponses enregistrées") and en.counts.startswith("0 answers recorded")
    assert fr.documents["data"] == en.documents["data"]


def test_tables_say_why_the_documents_cannot_be_listed(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend.error = "The Chroma server at http://127.0.0.1:9 is unreachable."
    monkeypatch.setattr(backend, "_assistant", None)
    view = staff.tables(backend, "en")
    assert view.problem.startswith("⚠ The tables could not be loaded: The Chroma server at")
    assert view.documents["data"] == [] and view.counts.startswith("0 answers")


# -- uploads ------------------------------------------------------------------------------------------


def test_upload_saves_what_the_browser_sent_and_clears_it(backend: Backend, inbox: Path) -> None:
    sent = _sent(inbox, "okapi.md", OKAPI)
    status = staff.upload(backend, [sent], False, "en", inbox=inbox)
    assert status == "Added: `uploads/okapi.md`. Click “Re-index” to make it searchable."
    assert (backend.settings.corpus_dir / "uploads" / "okapi.md").read_bytes() == OKAPI
    assert not Path(sent).exists()  # not left in Gradio's cache for an hour


def test_upload_refuses_a_server_file_named_by_the_client(
    backend: Backend, inbox: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_bytes(b"# Secret\n\nThe server's own file.\n")
    status = staff.upload(backend, [str(secret), str(inbox / ".." / "secret.md")], False, "en", inbox=inbox)
    assert status.count("was not sent by your browser") == 2
    assert not (backend.settings.corpus_dir / "uploads").exists()
    assert secret.exists()


def test_upload_names_each_refused_file_and_keeps_the_others(backend: Backend, inbox: Path) -> None:
    paths = [
        _sent(inbox, "okapi.md", OKAPI),
        _sent(inbox, "broken.pdf", b"%PDF-1.4 not really a pdf"),
        _sent(inbox, "tool.exe", b"MZ"),
    ]
    status = staff.upload(backend, paths, False, "fr", inbox=inbox)
    assert "Ajouté : `uploads/okapi.md`" in status
    assert "broken.pdf ne peut pas être lu" in status
    assert "type de fichier non accepté pour tool.exe" in status
    assert sorted(p.name for p in (backend.settings.corpus_dir / "uploads").iterdir()) == ["okapi.md"]


def test_upload_without_a_file(backend: Backend, inbox: Path) -> None:
    assert staff.upload(backend, [], False, "en", inbox=inbox) == "Choose a file first."


def test_resync_in_french_names_the_skipped_files(backend: Backend) -> None:
    (backend.settings.corpus_dir / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    status = staff.resync(backend, "fr")
    assert status.startswith("Index à jour : 0 ajouté(s)")
    assert "Ignorés : broken.pdf (" in status


# -- deletion -----------------------------------------------------------------------------------------


def test_delete_takes_a_confirmation_for_the_chosen_document(backend: Backend) -> None:
    target = backend.settings.corpus_dir / "en" / "bureau-tokyo.md"
    asked = staff.ask_delete("en/bureau-tokyo.md", "en")
    assert asked.pending == "en/bureau-tokyo.md" and target.exists()
    done = staff.confirm_delete(backend, asked.pending, "en/bureau-tokyo.md", "en")
    assert done.deleted and done.pending is None and not target.exists()


def test_delete_confirmation_does_not_carry_over_to_another_document(backend: Backend) -> None:
    corpus = backend.settings.corpus_dir
    asked = staff.ask_delete("en/bureau-tokyo.md", "en")
    # The user then picks another document and clicks the (stale) confirmation.
    view = staff.confirm_delete(backend, asked.pending, "fr/bureau-tokyo.md", "en")
    assert not view.deleted and view.pending is None
    assert "The confirmation was for `en/bureau-tokyo.md`, not `fr/bureau-tokyo.md`" in view.status
    assert (corpus / "en" / "bureau-tokyo.md").exists() and (corpus / "fr" / "bureau-tokyo.md").exists()
    assert not staff.confirm_delete(backend, None, "fr/bureau-tokyo.md", "en").deleted  # nothing pending


def test_delete_without_a_choice(backend: Backend) -> None:
    assert staff.ask_delete(None, "fr") == staff.DeleteView(None, "Choisissez d'abord un fichier.")


# -- exports ------------------------------------------------------------------------------------------


def test_export_link_is_good_once_for_the_same_browser() -> None:
    downloads = Downloads()
    link = staff.export_link(downloads, "feedback", BROWSER, "en")
    ticket = link.split('href="staff/export/')[1].split('"')[0]
    assert downloads.redeem(ticket, "x" * 43) is None  # another browser
    assert downloads.redeem(ticket, BROWSER) == "feedback"
    assert downloads.redeem(ticket, BROWSER) is None  # used


def test_export_link_expires() -> None:
    now = [0.0]
    downloads = Downloads(clock=lambda: now[0])
    ticket = downloads.issue("backlog", BROWSER)
    now[0] = 61.0
    assert downloads.redeem(ticket, BROWSER) is None


def test_an_unexpected_index_failure_names_a_chroma_server_that_is_down(backend: Backend) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    down = Backend(backend.settings.replace(chroma_url=dead), backend.assistant)
    said = staff.unexpected(down, ConnectionError("boom"), "en")
    assert said.startswith(f"The Chroma server at {dead} is unreachable (ConnectionError)")
    assert staff.unexpected(backend, ConnectionError("boom"), "en").startswith("An internal error")
