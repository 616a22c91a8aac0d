"""One ingest over a folder full of broken files completes, names each bad file, and indexes the rest.

The corpus is the tiny test corpus plus, under `inbox/`, one file of each kind of trouble: corrupt,
encrypted and scanned PDFs, a corrupt DOCX, a zero-byte file, bytes that are not text, a file over the
size limit (a 4 KB `max_file_bytes`), a symlink loop, a symlink to itself, symlinks to a file and to a
folder outside the corpus, a copy of a corpus page, and a file deleted between the scan and the read. One more test puts a real sparse 200 MB file in the
folder with the default 50 MB limit and checks it is skipped by size without a byte of it being read.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import assistant.documents as documents_module
from assistant.chain import Assistant
from assistant.config import Settings
from assistant.documents import Skipped
from assistant.knowledge import KnowledgeBase
from tests.fakes import HashEmbedder
from tests.test_documents import _pdf

TINY_FILES, TINY_CHUNKS = 6, 14
LIMIT = 4096
LEGACY = "Le bureau du CNRS à Séoul coordonne les échanges avec la Corée depuis 1992.\n"

# path under the corpus -> the reason its warning gives (a prefix, for messages that quote a library)
EXPECTED = {
    "inbox/corrupt.pdf": "corrupt PDF: ",
    "inbox/encrypted.pdf": "encrypted PDF",
    "inbox/scanned.pdf": "no text layer (scanned PDF?)",
    "inbox/corrupt.docx": "corrupt DOCX: ",
    "inbox/empty.md": "empty file (0 bytes)",
    "inbox/binary.txt": "not UTF-8 text",
    "inbox/utf16.txt": "not UTF-8 text",
    "inbox/too-big.md": "larger than the 4 KB limit",
    "inbox/loop": "symlink loop",
    "inbox/self.md": "broken symlink",
    "inbox/outside.md": "symlink to a file outside the corpus",
    "inbox/outside-folder": "symlink to a folder outside the corpus",
    "inbox/copy-of-tokyo.md": "duplicate of en/bureau-tokyo.md",
    "inbox/vanishing.md": "vanished during ingest",
}


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _break(corpus: Path) -> Path:
    """Add one file of each kind of trouble under corpus/inbox; return the file to delete mid-ingest."""
    inbox = corpus / "inbox"
    inbox.mkdir()
    (inbox / "corrupt.pdf").write_bytes(_pdf(["The CNRS office in Tokyo"])[:60])
    (inbox / "encrypted.pdf").write_bytes(_encrypted_pdf())
    (inbox / "scanned.pdf").write_bytes(_pdf([""]))
    (inbox / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not a zip archive")
    (inbox / "empty.md").write_bytes(b"")
    (inbox / "binary.txt").write_bytes(b"Office \x81\x8d\x8f\x90\x9d " * 20)  # undefined even in cp1252
    (inbox / "utf16.txt").write_bytes("The CNRS office in Tokyo".encode("utf-16-le"))  # no BOM
    (inbox / "too-big.md").write_text("The CNRS office in Tokyo. " * (LIMIT // 20), encoding="utf-8")
    (inbox / "legacy.txt").write_bytes(LEGACY.encode("cp1252"))  # legacy Windows text: read, not skipped
    os.symlink(inbox, inbox / "loop")
    os.symlink(inbox / "self.md", inbox / "self.md")
    outside = corpus.parent / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n\nThe staff password is hunter2.\n", encoding="utf-8")
    os.symlink(outside / "secret.md", inbox / "outside.md")
    os.symlink(outside, inbox / "outside-folder")
    (inbox / "copy-of-tokyo.md").write_bytes((corpus / "en" / "bureau-tokyo.md").read_bytes())
    vanishing = inbox / "vanishing.md"
    vanishing.write_text("# Soon gone\n\nThis page is deleted while the ingest runs.\n", encoding="utf-8")
    return vanishing


def _delete_after_scan(monkeypatch: pytest.MonkeyPatch, doomed: Path) -> None:
    """Make the next scan delete `doomed` once it has listed it, before anything reads it."""
    real_scan = documents_module.scan

    def scan_then_delete(root: Path, *, max_bytes: int) -> tuple[list[Path], list[Skipped]]:
        found = real_scan(root, max_bytes=max_bytes)
        if doomed.exists():  # the first scan only
            assert doomed in found[0]
            doomed.unlink()
        return found

    monkeypatch.setattr(documents_module, "scan", scan_then_delete)


@pytest.fixture
def broken(settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> KnowledgeBase:
    """The knowledge base after one ingest of the broken corpus with a 4 KB file limit."""
    _delete_after_scan(monkeypatch, _break(corpus))
    return KnowledgeBase.open(settings.replace(max_file_bytes=LIMIT), HashEmbedder())


def _reasons(knowledge: KnowledgeBase) -> dict[str, str]:
    assert knowledge.last_sync is not None
    return {s.path: s.reason for s in knowledge.last_sync.skipped}


def test_ingest_broken_corpus_completes_and_indexes_the_good_files(broken: KnowledgeBase) -> None:
    report = broken.last_sync
    assert report is not None
    assert report.added == TINY_FILES + 1  # the tiny corpus and the legacy cp1252 text
    assert broken.vectors.count() == report.chunks > TINY_CHUNKS
    indexed = {str(c.meta["path"]) for c in broken.vectors.all_chunks()}
    assert not indexed & set(EXPECTED)


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_ingest_broken_file_is_skipped_with_a_named_reason(broken: KnowledgeBase, path: str) -> None:
    reasons = _reasons(broken)
    assert path in reasons, f"{path} was not reported; skipped: {reasons}"
    assert reasons[path].startswith(EXPECTED[path])


def test_ingest_broken_corpus_reports_nothing_else(broken: KnowledgeBase) -> None:
    assert set(_reasons(broken)) == set(EXPECTED)


def test_ingest_broken_corpus_rest_is_searchable(broken: KnowledgeBase) -> None:
    hits = broken.search.search("Which countries does the CNRS office in Tokyo cover?", 3, lang="en")
    assert hits[0].meta["path"] == "en/bureau-tokyo.md"
    legacy = broken.search.search("bureau Séoul Corée", 1)
    assert legacy[0].meta["path"] == "inbox/legacy.txt"
    assert "Séoul" in legacy[0].chunk.text  # decoded as cp1252, not mojibake


def test_ingest_broken_corpus_assistant_answers_with_citations(
    broken: KnowledgeBase, settings: Settings
) -> None:
    answer = Assistant(settings, knowledge=broken).ask("Which countries does the CNRS office in Tokyo cover?")
    assert not answer.refused
    assert {c.path for c in answer.citations} == {"en/bureau-tokyo.md"}  # not its duplicate


def test_ingest_broken_corpus_next_sync_converges(broken: KnowledgeBase) -> None:
    report = broken.resync()  # the skipped files are still there (but for the vanished one)
    assert report.embedded == 0 and report.added == report.removed == 0
    assert "inbox/too-big.md" in {s.path for s in report.skipped}


def test_cli_ingest_prints_a_warning_per_broken_file(
    run_cli: Callable[..., tuple[int, str, str]], corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _delete_after_scan(monkeypatch, _break(corpus))
    monkeypatch.setenv("DERCI_MAX_FILE_BYTES", str(LIMIT))
    code, _out, err = run_cli("ingest")
    assert code == 0, err
    assert "Traceback" not in err
    warnings = [line for line in err.splitlines() if line.startswith("warning: skipped ")]
    for path, reason in EXPECTED.items():
        assert any(line.startswith(f"warning: skipped {path}: {reason}") for line in warnings), (path, err)
    assert len(warnings) == len(EXPECTED)
    assert f"{TINY_FILES + 1} added" in err


# -- a real 200 MB file -----------------------------------------------------------------------------


def test_ingest_sparse_200mb_file_is_skipped_by_size_without_being_read(
    settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = corpus / "en" / "huge-report.pdf"
    with huge.open("wb") as file:
        file.truncate(200 * 1024 * 1024)
    assert huge.stat().st_size == 200 * 1024 * 1024

    read: list[str] = []

    def spy(real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(path: Path, *args: Any, **kwargs: Any) -> Any:
            read.append(Path(path).name)
            return real(path, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(documents_module, "read_document", spy(documents_module.read_document))
    monkeypatch.setattr(documents_module, "_read_bytes", spy(documents_module._read_bytes))

    knowledge = KnowledgeBase.open(settings, HashEmbedder())  # the default 50 MB limit
    assert settings.max_file_bytes == 50 * 1024 * 1024
    assert _reasons(knowledge) == {"en/huge-report.pdf": "larger than the 50 MB limit"}
    assert "huge-report.pdf" not in read
    assert len(read) >= 2 * TINY_FILES  # the spies did see the other files being read
    assert knowledge.vectors.count() == TINY_CHUNKS
