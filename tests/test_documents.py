"""Tests of assistant.documents: every fixture is built in tmp_path by the test itself."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from assistant.documents import (
    DEFAULT_MAX_BYTES,
    Section,
    Skipped,
    SourceDocument,
    detect_language,
    load_documents,
    read_document,
    scan,
)
from assistant.errors import ConfigError, DocumentError


def _pdf(pages: list[str], title: str | None = None) -> bytes:
    """A minimal valid PDF, one line of Helvetica text per page ("" for a blank page)."""
    count = len(pages)
    font = 3 + 2 * count
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(count)), count),
    ]
    for i, text in enumerate(pages):
        stream = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode("latin-1") if text else b""
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    if title is not None:
        objects.append(b"<< /Title (%s) >>" % title.encode("latin-1"))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    info = b" /Info %d 0 R" % len(objects) if title is not None else b""
    out.write(b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, info))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _write(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _reason(path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(path, root, max_bytes=max_bytes)
    return caught.value.reason


MARKDOWN = """\
---
title: "Bureau du CNRS à Tokyo"
lang: fr
topic: office
sources:
  - https://example.org/tokyo
  - https://example.org/other
updated: 2024
---

# Bureau du CNRS à Tokyo

Le bureau de Tokyo couvre le **Japon** et la [Corée du Sud](https://example.org/kr).

## Direction

La directrice est nommée en 2023.

### Histoire

- Ouverture en 1990.
- Déménagement en 2010.

## Vide

## Code

```
# pas un titre
```
"""


# --- Markdown -------------------------------------------------------------------------------------


def test_read_document_markdown_front_matter(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "fr/office-tokyo.md", MARKDOWN), tmp_path)
    assert (doc.path, doc.doc_id, doc.title, doc.lang) == (
        "fr/office-tokyo.md",
        "fr/office-tokyo",
        "Bureau du CNRS à Tokyo",
        "fr",
    )
    assert doc.meta["topic"] == "office"
    assert (doc.url, doc.updated) == ("https://example.org/tokyo", "2024")


def test_read_document_markdown_meta_is_read_only(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "a.md", MARKDOWN), tmp_path)
    with pytest.raises(TypeError):
        doc.meta["topic"] = "other"  # type: ignore[index]


def test_read_document_markdown_heading_paths(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "a.md", MARKDOWN), tmp_path)
    assert [s.heading_path for s in doc.sections] == [
        (),
        ("Direction",),
        ("Direction", "Histoire"),
        ("Code",),
    ]


def test_read_document_markdown_strips_emphasis_and_links(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "a.md", MARKDOWN), tmp_path)
    assert doc.sections[0].text == "Le bureau de Tokyo couvre le Japon et la Corée du Sud."


def test_read_document_markdown_keeps_list_lines(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "a.md", MARKDOWN), tmp_path)
    assert doc.sections[2].text == "- Ouverture en 1990.\n- Déménagement en 2010."


def test_read_document_markdown_ignores_headings_in_code_fences(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "a.md", MARKDOWN), tmp_path)
    assert doc.sections[-1] == Section(("Code",), "# pas un titre")


def test_read_document_markdown_separates_paragraphs(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.md", "First line\nsecond line\n\n\nNext paragraph.\n")
    assert read_document(path, tmp_path).sections[0].text == "First line\nsecond line\n\nNext paragraph."


def test_read_document_markdown_title_from_first_h1(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.md", "# The Title\n\nThe text of the page is here.\n")
    doc = read_document(path, tmp_path)
    assert (doc.title, doc.sections[0].heading_path, doc.meta) == ("The Title", (), {})


def test_read_document_markdown_keeps_h1s_of_a_multi_part_page(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.md", "---\ntitle: T\n---\n# Part one\n\nOne.\n\n# Part two\n\nTwo.\n")
    doc = read_document(path, tmp_path)
    assert [s.heading_path for s in doc.sections] == [("Part one",), ("Part two",)]


def test_read_document_markdown_invalid_front_matter(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.md", "---\ntitle: [unclosed\n---\nText.\n")
    assert _reason(path, tmp_path).startswith("invalid front matter: ")


def test_read_document_markdown_front_matter_not_a_mapping(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.md", "---\n- a\n- b\n---\nText.\n")
    assert _reason(path, tmp_path) == "invalid front matter: expected a mapping, got list"


def test_read_document_markdown_front_matter_only_is_empty(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.md", "---\ntitle: T\n---\n\n## Heading\n")
    assert _reason(path, tmp_path) == "empty file"


def test_read_document_normalises_text(tmp_path: Path) -> None:
    raw = "\ufeffCafe\u0301  au\u200b lait\r\nsecond\x07 line\r\n"
    doc = read_document(_write(tmp_path, "a.txt", raw.encode("utf-8")), tmp_path)
    assert doc.sections[0].text == "Café au lait\nsecond line"


# --- Plain text -----------------------------------------------------------------------------------


def test_read_document_text_single_section(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "notes/office_notes.txt", "One.\n\nTwo.\n"), tmp_path)
    assert doc.sections == (Section((), "One.\n\nTwo."),)
    assert doc.title == "Office notes"


def test_read_document_text_cp1252_fallback(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", "Le bureau était à Pékin.".encode("cp1252"))
    assert read_document(path, tmp_path).sections[0].text == "Le bureau était à Pékin."


def test_read_document_text_binary_is_not_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", b"\x81\x00\x01\x02\xff\xfe binary")
    assert _reason(path, tmp_path) == "not UTF-8 text"


def test_read_document_zero_bytes(tmp_path: Path) -> None:
    assert _reason(_write(tmp_path, "a.txt", b""), tmp_path) == "empty file (0 bytes)"


def test_read_document_whitespace_only(tmp_path: Path) -> None:
    assert _reason(_write(tmp_path, "a.md", " \n\t\n"), tmp_path) == "empty file"


def test_read_document_size_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", "x" * 200)
    assert _reason(path, tmp_path, max_bytes=100) == "larger than the 100 bytes limit"


def test_read_document_unsupported_suffix(tmp_path: Path) -> None:
    assert _reason(_write(tmp_path, "a.xyz", "text"), tmp_path) == "unsupported type .xyz"


def test_read_document_missing_file_vanished(tmp_path: Path) -> None:
    assert _reason(tmp_path / "gone.md", tmp_path) == "vanished during ingest"


# --- HTML -----------------------------------------------------------------------------------------

HTML = """<!doctype html>
<html><head><title>Office &amp; network</title><style>p { color: red }</style></head>
<body>
<header>Site header</header>
<nav><a href="/">Home</a></nav>
<div role="navigation">Breadcrumbs</div>
<main>
  <h1>Office &amp; network</h1>
  <p>The   office
     covers &lt;script&gt; nothing.</p>
  <script>alert("x")</script>
  <h2>Countries</h2>
  <ul><li>Japan</li><li>Korea</li></ul>
  <table><tr><th>Code</th><th>Name</th></tr><tr><td>JP</td><td>Japan</td></tr></table>
</main>
<aside>Related links</aside>
<footer>Footer text</footer>
</body></html>
"""


def test_read_document_html_title_from_title_tag(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "page.html", HTML), tmp_path)
    assert doc.title == "Office & network"


def test_read_document_html_keeps_main_text_only(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "page.html", HTML), tmp_path)
    text = "\n".join(s.text for s in doc.sections)
    for dropped in ("Site header", "Home", "Breadcrumbs", "alert", "Related", "Footer", "color"):
        assert dropped not in text


def test_read_document_html_sections_and_entities(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "page.htm", HTML), tmp_path)
    assert doc.sections == (
        Section((), "The office covers <script> nothing."),
        Section(("Countries",), "Japan\nKorea\n\nCode | Name\nJP | Japan"),
    )


# --- PDF ------------------------------------------------------------------------------------------


def test_read_document_pdf_one_section_per_page(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.pdf", _pdf(["Hello world", "", "Second page"], title="Report"))
    doc = read_document(path, tmp_path)
    assert [(s.page, s.text) for s in doc.sections] == [(1, "Hello world"), (3, "Second page")]
    assert doc.title == "Report"


def test_read_document_pdf_encrypted(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    data = io.BytesIO()
    writer.write(data)
    assert _reason(_write(tmp_path, "a.pdf", data.getvalue()), tmp_path) == "encrypted PDF"


def test_read_document_pdf_without_text_layer(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.pdf", _pdf([""]))
    assert _reason(path, tmp_path) == "no text layer (scanned PDF?)"


def test_read_document_pdf_corrupt(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.pdf", _pdf(["Hello"])[:40])
    assert _reason(path, tmp_path).startswith("corrupt PDF: ")


# --- DOCX -----------------------------------------------------------------------------------------


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Guide du partenaire", level=0)
    document.add_paragraph("Introduction au guide.")
    document.add_heading("Outils", level=1)
    document.add_paragraph("Les outils du CNRS.")
    document.add_heading("IRP", level=2)
    document.add_paragraph("Un projet de recherche.")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("Outil", "Durée"), ("IRP", "5 ans")), strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def test_read_document_docx_title_style(tmp_path: Path) -> None:
    doc = read_document(_docx(tmp_path / "guide.docx"), tmp_path)
    assert doc.title == "Guide du partenaire"


def test_read_document_docx_headings_and_table(tmp_path: Path) -> None:
    doc = read_document(_docx(tmp_path / "guide.docx"), tmp_path)
    assert doc.sections == (
        Section((), "Introduction au guide."),
        Section(("Outils",), "Les outils du CNRS."),
        Section(("Outils", "IRP"), "Un projet de recherche.\n\nOutil | Durée\nIRP | 5 ans"),
    )


def test_read_document_docx_corrupt(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.docx", b"PK\x03\x04 not really a zip")
    assert _reason(path, tmp_path).startswith("corrupt DOCX: ")


# --- Documents and sections -----------------------------------------------------------------------


def test_section_refuses_empty_text() -> None:
    with pytest.raises(ValueError):
        Section((), "  \n")


def test_source_document_repr_is_short() -> None:
    doc = SourceDocument("a.md", "a", "Title", "en", {}, (Section((), "x" * 500),), "0" * 64)
    assert repr(doc) == "SourceDocument('a.md', 'Title', 1 sections)"


def test_source_document_url_falls_back_to_url_key() -> None:
    doc = SourceDocument("a.md", "a", "T", "en", {"url": "https://x.org"}, (), "0" * 64)
    assert (doc.url, doc.updated) == ("https://x.org", None)


# --- Language -------------------------------------------------------------------------------------


def test_detect_language_french() -> None:
    text = "Le bureau du CNRS à Tokyo couvre le Japon et la Corée du Sud depuis des années."
    assert detect_language(text) == "fr"


def test_detect_language_english() -> None:
    text = "The CNRS office in Tokyo covers Japan and South Korea, and it has been open for years."
    assert detect_language(text) == "en"


def test_detect_language_unknown_without_stop_words() -> None:
    assert detect_language("IRL IRP IEA 2024") == "unknown"


def test_read_document_detects_language_without_front_matter(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.md", "The office is in Tokyo and it covers the region of Japan.\n")
    assert read_document(path, tmp_path).lang == "en"


# --- Scanning the corpus folder -------------------------------------------------------------------


def test_scan_lists_supported_files_sorted(tmp_path: Path) -> None:
    for rel in ("fr/b.md", "en/a.md", "fr/a.txt", "en/sub/c.pdf"):
        _write(tmp_path, rel, "x")
    paths, skipped = scan(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "en/a.md",
        "en/sub/c.pdf",
        "fr/a.txt",
        "fr/b.md",
    ]
    assert skipped == []


def test_scan_ignores_hidden_yaml_and_top_readme(tmp_path: Path) -> None:
    for rel in (
        ".git/x.md",
        "fr/.draft.md",
        "offices.yaml",
        "x.yml",
        "README.md",
        "fr/~$lock.docx",
    ):
        _write(tmp_path, rel, "x")
    assert scan(tmp_path) == ([], [])


def test_scan_reports_unsupported_suffix(tmp_path: Path) -> None:
    _write(tmp_path, "fr/data.xyz", "x")
    assert scan(tmp_path)[1] == [Skipped("fr/data.xyz", "unsupported type .xyz")]


def test_scan_reports_files_over_the_size_limit(tmp_path: Path) -> None:
    _write(tmp_path, "big.md", "x" * 2048)
    assert scan(tmp_path, max_bytes=1024)[1] == [Skipped("big.md", "larger than the 1 KB limit")]


def test_scan_detects_symlink_loop(tmp_path: Path) -> None:
    _write(tmp_path, "fr/a.md", "x")
    os.symlink(tmp_path / "fr", tmp_path / "fr" / "loop")
    paths, skipped = scan(tmp_path)
    assert [p.name for p in paths] == ["a.md"]
    assert skipped == [Skipped("fr/loop", "symlink loop")]


def test_scan_skips_symlink_to_folder_outside_root(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    _write(tmp_path, "outside/a.md", "x")
    root.mkdir()
    os.symlink(tmp_path / "outside", root / "elsewhere")
    assert scan(root) == ([], [Skipped("elsewhere", "symlink to a folder outside the corpus")])


def test_scan_skips_symlink_to_file_outside_root(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    _write(tmp_path, "outside/secret.md", "# Secret\n\nhunter2")
    _write(root, "fr/a.md", "x")
    os.symlink(tmp_path / "outside" / "secret.md", root / "fr" / "secret.md")
    paths, skipped = scan(root)
    assert [p.name for p in paths] == ["a.md"]
    assert skipped == [Skipped("fr/secret.md", "symlink to a file outside the corpus")]


def test_scan_keeps_symlink_to_file_inside_root(tmp_path: Path) -> None:
    _write(tmp_path, "fr/a.md", "x")
    os.symlink(tmp_path / "fr" / "a.md", tmp_path / "b.md")
    assert scan(tmp_path) == ([tmp_path / "b.md", tmp_path / "fr" / "a.md"], [])


def test_read_document_refuses_symlink_to_file_outside_root(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    _write(tmp_path, "outside/secret.md", "# Secret\n\nhunter2")
    root.mkdir()
    os.symlink(tmp_path / "outside" / "secret.md", root / "secret.md")
    with pytest.raises(DocumentError) as caught:
        read_document(root / "secret.md", root)
    assert (caught.value.path, caught.value.reason) == ("secret.md", "symlink to a file outside the corpus")


def test_load_documents_never_reads_a_symlink_leading_outside(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    _write(tmp_path, "outside/secret.md", "# Secret\n\nhunter2")
    _write(root, "a.md", "# A\n\nLe bureau de Tokyo.")
    os.symlink(tmp_path / "outside" / "secret.md", root / "secret.md")
    os.symlink(tmp_path / "outside", root / "elsewhere")
    documents, skipped = load_documents(root)
    assert [d.path for d in documents] == ["a.md"]
    assert [s.path for s in skipped] == ["elsewhere", "secret.md"]


def test_scan_missing_root(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        scan(tmp_path / "nowhere")


# --- Loading the corpus ---------------------------------------------------------------------------


def test_load_documents_skips_duplicates(tmp_path: Path) -> None:
    _write(tmp_path, "fr/a.md", "Le texte.\n")
    _write(tmp_path, "fr/b.md", "Le texte.\n")
    documents, skipped = load_documents(tmp_path)
    assert [d.path for d in documents] == ["fr/a.md"]
    assert skipped == [Skipped("fr/b.md", "duplicate of fr/a.md")]


def test_load_documents_turns_errors_into_skipped(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "Fine text.\n")
    _write(tmp_path, "b.txt", b"")
    documents, skipped = load_documents(tmp_path)
    assert [d.path for d in documents] == ["a.md"]
    assert skipped == [Skipped("b.txt", "empty file (0 bytes)")]


def test_load_documents_reports_vanished_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.documents as documents_module

    gone = _write(tmp_path, "gone.md", "Soon gone.\n")

    def scan_then_delete(root: Path, *, max_bytes: int) -> tuple[list[Path], list[Skipped]]:
        found = scan(root, max_bytes=max_bytes)
        gone.unlink()
        return found

    monkeypatch.setattr(documents_module, "scan", scan_then_delete)
    assert load_documents(tmp_path) == ([], [Skipped("gone.md", "vanished during ingest")])
