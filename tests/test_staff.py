"""The staff back end: password hashes, sessions and throttling, uploads, listing and deletion."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.errors import InputError
from assistant.knowledge import KnowledgeBase
from assistant.staff import (
    DocumentManager,
    StaffAuth,
    hash_password,
    safe_filename,
    verify_password,
)

PASSWORD = "correct horse battery staple"
NAIROBI = """---
title: "CNRS Office in Nairobi"
lang: en
updated: 2025
---

# CNRS Office in Nairobi

## Countries covered

The CNRS office in Nairobi covers Kenya, Tanzania and Uganda for the zebra research network.
"""


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def auth(settings: Settings, password_hash: str, clock: FakeClock) -> StaffAuth:
    staff = settings.replace(staff_user="dei", staff_password_hash=password_hash)
    return StaffAuth(staff, clock=clock, session_ttl=60)


@pytest.fixture
def manager(settings: Settings, knowledge: KnowledgeBase) -> DocumentManager:
    return DocumentManager(settings, knowledge)


# --- Passwords ---------------------------------------------------------------------------------------


def test_hash_password_round_trip(password_hash: str) -> None:
    assert verify_password(PASSWORD, password_hash)


def test_verify_password_rejects_wrong_password(password_hash: str) -> None:
    assert not verify_password(PASSWORD + "!", password_hash)


def test_hash_password_format_hides_the_password(password_hash: str) -> None:
    parts = password_hash.split("$")
    assert parts[:4] == ["scrypt", "16384", "8", "1"]
    assert len(parts) == 6
    assert PASSWORD not in password_hash and "horse" not in password_hash


def test_hash_password_salts_each_hash() -> None:
    assert hash_password("same") != hash_password("same")


def test_hash_password_rejects_empty_password() -> None:
    with pytest.raises(InputError, match="empty"):
        hash_password("")


@pytest.mark.parametrize(
    "stored",
    ["", "plain-text", "scrypt$16384$8$1$bad!salt$bad!hash", "bcrypt$x$y$z$a$b", "scrypt$3$8$1$AAAA$AAAA"],
)
def test_verify_password_rejects_malformed_hash(stored: str) -> None:
    assert verify_password(PASSWORD, stored) is False


# --- Sessions ----------------------------------------------------------------------------------------


def test_staff_auth_disabled_when_not_configured(settings: Settings) -> None:
    auth = StaffAuth(settings)
    assert not auth.enabled
    for needed in ("DERCI_STAFF_USER", "DERCI_STAFF_PASSWORD_HASH", "derci-assistant hash-password"):
        assert needed in auth.disabled_reason
    with pytest.raises(InputError, match="DERCI_STAFF_USER"):
        auth.login("dei", PASSWORD)


def test_staff_auth_disabled_with_only_the_user(settings: Settings) -> None:
    assert not StaffAuth(settings.replace(staff_user="dei")).enabled


def test_staff_auth_disabled_with_a_malformed_hash(settings: Settings) -> None:
    auth = StaffAuth(settings.replace(staff_user="dei", staff_password_hash="hunter2"))
    assert not auth.enabled
    assert "derci-assistant hash-password" in auth.disabled_reason


def test_staff_auth_enabled_when_configured(auth: StaffAuth) -> None:
    assert auth.enabled
    assert auth.disabled_reason == ""


def test_staff_auth_login_gives_a_token_check_accepts(auth: StaffAuth) -> None:
    token = auth.login("dei", PASSWORD, client="10.0.0.1")
    assert len(token) >= 40
    assert auth.check(token)
    auth.require(token)


def test_staff_auth_check_rejects_unknown_tokens(auth: StaffAuth) -> None:
    assert not auth.check(None)
    assert not auth.check("")
    assert not auth.check("forged")
    with pytest.raises(InputError, match="Connexion requise / Login required"):
        auth.require("forged")


def test_staff_auth_refuses_wrong_password(auth: StaffAuth) -> None:
    with pytest.raises(InputError, match="Identifiant ou mot de passe incorrect / Wrong user or password"):
        auth.login("dei", "wrong")


def test_staff_auth_refuses_wrong_user(auth: StaffAuth) -> None:
    with pytest.raises(InputError, match="Wrong user or password"):
        auth.login("admin", PASSWORD)


def _fail(auth: StaffAuth, times: int, client: str = "c1") -> None:
    for _ in range(times):
        with pytest.raises(InputError, match="Wrong user or password"):
            auth.login("dei", "wrong", client=client)


def test_staff_auth_throttles_after_three_failures(auth: StaffAuth, clock: FakeClock) -> None:
    _fail(auth, 3)
    with pytest.raises(InputError, match="try again in 1 s"):
        auth.login("dei", PASSWORD, client="c1")  # refused before the password is checked
    clock.now += 1
    assert auth.check(auth.login("dei", PASSWORD, client="c1"))


def test_staff_auth_throttle_delay_doubles(auth: StaffAuth, clock: FakeClock) -> None:
    _fail(auth, 3)
    for wait in (1, 2, 4):
        clock.now += wait
        _fail(auth, 1)
        with pytest.raises(InputError, match=f"try again in {2 * wait} s"):
            auth.login("dei", "wrong", client="c1")


def test_staff_auth_throttle_delay_is_capped(auth: StaffAuth, clock: FakeClock) -> None:
    _fail(auth, 3)
    for _ in range(12):
        clock.now += 300
        _fail(auth, 1)
    with pytest.raises(InputError, match="try again in 300 s"):
        auth.login("dei", PASSWORD, client="c1")


def test_staff_auth_throttle_is_per_client(auth: StaffAuth) -> None:
    _fail(auth, 3, client="c1")
    assert auth.check(auth.login("dei", PASSWORD, client="c2"))


def test_staff_auth_success_resets_throttle(auth: StaffAuth, clock: FakeClock) -> None:
    _fail(auth, 2)
    auth.login("dei", PASSWORD, client="c1")
    _fail(auth, 2)  # would be blocked after the 3rd failure if the counter had not been reset
    assert auth.check(auth.login("dei", PASSWORD, client="c1"))


def test_staff_auth_session_expires(auth: StaffAuth, clock: FakeClock) -> None:
    token = auth.login("dei", PASSWORD)
    clock.now += 59
    assert auth.check(token)
    clock.now += 1
    assert not auth.check(token)


def test_staff_auth_logout(auth: StaffAuth) -> None:
    token = auth.login("dei", PASSWORD)
    other = auth.login("dei", PASSWORD)
    auth.logout(token)
    auth.logout(None)
    assert not auth.check(token)
    assert auth.check(other)


def test_staff_auth_drops_oldest_session_beyond_max(
    settings: Settings, password_hash: str, clock: FakeClock
) -> None:
    staff = settings.replace(staff_user="dei", staff_password_hash=password_hash)
    auth = StaffAuth(staff, clock=clock, max_sessions=2)
    first = auth.login("dei", PASSWORD)
    clock.now += 1
    second, third = auth.login("dei", PASSWORD), auth.login("dei", PASSWORD)
    assert (auth.check(first), auth.check(second), auth.check(third)) == (False, True, True)


# --- Uploads -----------------------------------------------------------------------------------------


def test_document_manager_upload_is_indexed_after_resync(
    manager: DocumentManager, settings: Settings, knowledge: KnowledgeBase
) -> None:
    rel = manager.save_upload("nairobi.md", NAIROBI.encode())
    assert rel == "uploads/nairobi.md"
    assert (settings.corpus_dir / rel).read_text() == NAIROBI

    report = manager.resync()

    assert report.added == 1
    hits = knowledge.search.search("Nairobi office Kenya zebra", k=3)
    assert hits[0].meta["path"] == "uploads/nairobi.md"


def test_document_manager_upload_refuses_unsupported_type(manager: DocumentManager) -> None:
    with pytest.raises(InputError, match=r"Allowed types: \.md, .*\.pdf, \.docx"):
        manager.save_upload("tool.exe", b"MZ...")


def test_document_manager_upload_refuses_too_large(settings: Settings, knowledge: KnowledgeBase) -> None:
    manager = DocumentManager(settings.replace(max_upload_bytes=2 * 1024 * 1024), knowledge)
    with pytest.raises(InputError, match="2 MB limit"):
        manager.save_upload("big.md", b"x" * (2 * 1024 * 1024 + 1))
    assert not (settings.corpus_dir / "uploads" / "big.md").exists()


def test_document_manager_upload_refuses_empty(manager: DocumentManager) -> None:
    with pytest.raises(InputError, match="empty"):
        manager.save_upload("empty.md", b"")


@pytest.mark.parametrize(
    ("filename", "saved"),
    [
        ("../../etc/passwd.md", "passwd.md"),
        ("..\\x.md", "x.md"),
        ("/abs/path.md", "path.md"),
        ("C:\\x.md", "x.md"),
    ],
)
def test_document_manager_upload_neutralises_traversal(
    manager: DocumentManager, settings: Settings, filename: str, saved: str
) -> None:
    rel = manager.save_upload(filename, b"# Title\n\nSome text.\n")
    assert rel == f"uploads/{saved}"
    assert [p.name for p in (settings.corpus_dir / "uploads").iterdir()] == [saved]
    assert not (settings.corpus_dir.parent / "etc").exists()


def test_document_manager_upload_refuses_folder_outside_corpus(manager: DocumentManager) -> None:
    with pytest.raises(InputError, match="Invalid folder"):
        manager.save_upload("x.md", b"text", folder="../outside")


def test_document_manager_upload_does_not_overwrite_without_confirmation(
    manager: DocumentManager, settings: Settings
) -> None:
    manager.save_upload("note.md", b"first")
    with pytest.raises(InputError, match="already exists: confirm the replacement"):
        manager.save_upload("note.md", b"second")
    assert (settings.corpus_dir / "uploads" / "note.md").read_bytes() == b"first"


def test_document_manager_upload_overwrites_with_confirmation(
    manager: DocumentManager, settings: Settings
) -> None:
    manager.save_upload("note.md", b"first")
    manager.save_upload("note.md", b"second", overwrite=True)
    assert (settings.corpus_dir / "uploads" / "note.md").read_bytes() == b"second"


def test_document_manager_upload_leaves_no_temporary_file(
    manager: DocumentManager, settings: Settings
) -> None:
    manager.save_upload("note.md", b"first")
    with pytest.raises(InputError):
        manager.save_upload("note.md", b"second")
    assert [p.name for p in (settings.corpus_dir / "uploads").iterdir()] == ["note.md"]


@pytest.mark.parametrize(
    ("filename", "safe"),
    [
        ("Présentation DERCI 2024.pdf", "Presentation-DERCI-2024.pdf"),
        (".hidden.md", "hidden.md"),
        ("ﬁche＿bureau.md", "fiche_bureau.md"),  # NFKC: ligature and full-width underscore
        ("", "upload"),
        ("a" * 150 + ".docx", "a" * 95 + ".docx"),
    ],
)
def test_safe_filename(filename: str, safe: str) -> None:
    assert safe_filename(filename) == safe


# --- Listing and deletion ----------------------------------------------------------------------------


def test_document_manager_lists_documents_with_chunk_counts(manager: DocumentManager) -> None:
    manager.save_upload("nairobi.md", NAIROBI.encode())
    before = {d.path: d for d in manager.list_documents()}
    manager.resync()
    after = {d.path: d for d in manager.list_documents()}

    assert before["uploads/nairobi.md"].chunks == 0
    nairobi = after["uploads/nairobi.md"]
    assert nairobi.chunks > 0
    assert (nairobi.title, nairobi.lang, nairobi.updated) == ("CNRS Office in Nairobi", "en", "2025")
    assert nairobi.size == len(NAIROBI.encode())
    assert nairobi.modified.endswith("+00:00")
    assert after["en/bureau-tokyo.md"].chunks > 0


def test_document_manager_lists_unreadable_documents(manager: DocumentManager, settings: Settings) -> None:
    (settings.corpus_dir / "broken.pdf").write_bytes(b"not a pdf")
    [broken] = [d for d in manager.list_documents() if d.path == "broken.pdf"]
    assert broken.title.startswith("(unreadable: ")
    assert broken.chunks == 0


def test_document_manager_delete_removes_file_and_chunks_after_resync(
    manager: DocumentManager, settings: Settings, knowledge: KnowledgeBase
) -> None:
    paths = {str(c.meta["path"]) for c in knowledge.vectors.all_chunks()}
    assert "en/bureau-tokyo.md" in paths

    manager.delete("en/bureau-tokyo.md")
    assert not (settings.corpus_dir / "en" / "bureau-tokyo.md").exists()
    report = manager.resync()

    assert report.removed == 1
    assert "en/bureau-tokyo.md" not in {str(c.meta["path"]) for c in knowledge.vectors.all_chunks()}


@pytest.mark.parametrize(
    "rel_path", ["../outside.md", "en/../../outside.md", "..\\outside.md", "/tmp/outside.md", "C:\\x.md"]
)
def test_document_manager_delete_refuses_paths_outside_corpus(
    manager: DocumentManager, settings: Settings, rel_path: str
) -> None:
    outside = settings.corpus_dir.parent / "outside.md"
    outside.write_text("keep me")
    with pytest.raises(InputError, match="Invalid path"):
        manager.delete(rel_path)
    assert outside.read_text() == "keep me"


def test_document_manager_delete_refuses_symlink_leaving_corpus(
    manager: DocumentManager, settings: Settings
) -> None:
    outside = settings.corpus_dir.parent / "outside.md"
    outside.write_text("keep me")
    (settings.corpus_dir / "link.md").symlink_to(outside)
    with pytest.raises(InputError, match="Invalid path"):
        manager.delete("link.md")
    assert outside.read_text() == "keep me"


def test_document_manager_delete_refuses_unsupported_suffix(
    manager: DocumentManager, settings: Settings
) -> None:
    with pytest.raises(InputError, match="Invalid path"):
        manager.delete("glossary.yaml")
    assert (settings.corpus_dir / "glossary.yaml").exists()


def test_document_manager_delete_refuses_missing_file(manager: DocumentManager) -> None:
    with pytest.raises(InputError, match=r"No such document: en/nowhere\.md"):
        manager.delete("en/nowhere.md")


def test_document_manager_resync_reports_progress(manager: DocumentManager) -> None:
    manager.save_upload("nairobi.md", NAIROBI.encode())
    seen: list[str] = []
    manager.resync(progress=lambda stage, done, total: seen.append(stage))
    assert "reading" in seen and "embedding" in seen
