"""The staff's document library (assistant.web.library): uploads, listing, deletion, re-sync."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.errors import InputError
from assistant.knowledge import KnowledgeBase
from assistant.web.library import DocumentManager, safe_filename

NAIROBI = """---
title: "CNRS Office in Nairobi"
lang: en
updated: 2025
---

# CNRS Office in Nairobi

## Countries covered

The CNRS office in Nairobi covers Kenya, Tanzania and Uganda for the zebra research network.
"""


@pytest.fixture
def manager(settings: Settings, knowledge: KnowledgeBase) -> DocumentManager:
    return DocumentManager(settings, knowledge)


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
    with pytest.raises(InputError, match=r"allowed types: \.md, .*\.pdf, \.docx"):
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
    with pytest.raises(InputError, match="invalid folder"):
        manager.save_upload("x.md", b"text", folder="../outside")


def test_document_manager_upload_does_not_overwrite_without_confirmation(
    manager: DocumentManager, settings: Settings
) -> None:
    manager.save_upload("note.md", b"first")
    with pytest.raises(InputError, match="already exists: tick “replace”"):
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
    assert broken.problem and broken.title == ""
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
    with pytest.raises(InputError, match="invalid path"):
        manager.delete(rel_path)
    assert outside.read_text() == "keep me"


def test_document_manager_delete_refuses_symlink_leaving_corpus(
    manager: DocumentManager, settings: Settings
) -> None:
    outside = settings.corpus_dir.parent / "outside.md"
    outside.write_text("keep me")
    (settings.corpus_dir / "link.md").symlink_to(outside)
    with pytest.raises(InputError, match="invalid path"):
        manager.delete("link.md")
    assert outside.read_text() == "keep me"


def test_document_manager_delete_refuses_unsupported_suffix(
    manager: DocumentManager, settings: Settings
) -> None:
    with pytest.raises(InputError, match="invalid path"):
        manager.delete("glossary.yaml")
    assert (settings.corpus_dir / "glossary.yaml").exists()


def test_document_manager_delete_refuses_missing_file(manager: DocumentManager) -> None:
    with pytest.raises(InputError, match=r"no such document: en/nowhere\.md"):
        manager.delete("en/nowhere.md")


def test_document_manager_resync_reports_progress(manager: DocumentManager) -> None:
    manager.save_upload("nairobi.md", NAIROBI.encode())
    seen: list[str] = []
    manager.resync(progress=lambda stage, done, total: seen.append(stage))
    assert "reading" in seen and "embedding" in seen


def test_document_manager_upload_refuses_an_unreadable_document_naming_why(
    manager: DocumentManager, settings: Settings
) -> None:
    with pytest.raises(InputError, match=r"broken\.pdf cannot be read: .+") as caught:
        manager.save_upload("broken.pdf", b"%PDF-1.4 this is not really a PDF")
    assert "broken.pdf" in str(caught.value)
    uploads = settings.corpus_dir / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []  # not saved, no temporary file left


def test_document_manager_refresh_reads_no_file_again(manager: DocumentManager, settings: Settings) -> None:
    first = manager.list_documents()
    reads = manager.reads
    assert reads == len(first)
    assert manager.list_documents() == first
    assert manager.reads == reads  # a refresh only stats the files

    tokyo = settings.corpus_dir / "en" / "bureau-tokyo.md"
    tokyo.write_text(tokyo.read_text(encoding="utf-8").replace("CNRS Office in Tokyo", "Tokyo, renamed", 1))
    listed = {d.path: d for d in manager.list_documents()}
    assert manager.reads == reads + 1  # only the changed file is read again
    assert listed["en/bureau-tokyo.md"].title == "Tokyo, renamed"
