"""Upload bombs: files that are small but expand past what one document may be are refused, by name.

Each bomb is built here: a 0.2 MB DOCX that unpacks to 60 MB of XML (the one of issue 11), the same
with a zip header that lies about the size, a DOCX of bzip2 entries or of many entries, a 424-byte
Markdown file whose front matter nests YAML aliases, a 24 KB file of one-line sections, files past the
character limit in every format, and the bombs that already held (billion laughs and external
entities in a DOCX, deeply nested HTML, a PDF stream that inflates past pypdf's limit).
"""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml

from assistant.chunking import MAX_CHUNKS_PER_DOCUMENT, chunk_document
from assistant.config import Settings
from assistant.documents import DEFAULT_LIMITS, Limits, read_document
from assistant.errors import DocumentError
from assistant.knowledge import KnowledgeBase
from tests.fakes import HashEmbedder
from tests.test_documents import _pdf

TINY_CHUNKS = 14
PARAGRAPH = b"<w:p><w:r><w:t>Le bureau du CNRS</w:t></w:r></w:p>"


def _reason(path: Path, root: Path, limits: Limits | None = None) -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(path, root, limits=limits or DEFAULT_LIMITS)
    return caught.value.reason


# --- DOCX -------------------------------------------------------------------------------------------


def _docx(text: str = "Le bureau du CNRS à Tokyo.") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rezip(data: bytes, entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The zip `data` with some entries replaced or added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", compression, compresslevel=9) as dst,
    ):
        names = [info.filename for info in src.infolist()]
        for name in [*names, *(n for n in entries if n not in names)]:
            dst.writestr(name, entries[name] if name in entries else src.read(name))
    return out.getvalue()


def _docx_bomb(xml_bytes: int = 60_000_000) -> bytes:
    """A DOCX whose document.xml holds `xml_bytes` of repeated paragraphs: 0.2 MB for 60 MB."""
    base = _docx()
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        xml = archive.read("word/document.xml")
    body = xml.index(b"<w:body>") + len(b"<w:body>")
    return _rezip(
        base, {"word/document.xml": xml[:body] + PARAGRAPH * (xml_bytes // len(PARAGRAPH)) + xml[body:]}
    )


def _lie_about_size(data: bytes, name: str, declared: int) -> bytes:
    """Rewrite the uncompressed size of entry `name` in its local header and its central directory entry."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        offset = archive.getinfo(name).header_offset
    struct.pack_into("<I", out, offset + 22, declared)
    at = out.index(b"PK\x01\x02")
    while bytes(out[at + 46 : at + 46 + struct.unpack_from("<H", out, at + 28)[0]]) != name.encode():
        at = out.index(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", out, at + 24, declared)
    return bytes(out)


def _refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    def parse(*_args: object) -> None:
        raise AssertionError("python-docx was asked to parse a file the size check should refuse")

    monkeypatch.setattr(docx, "Document", parse)


def test_docx_bomb_is_refused_by_size_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_docx_bomb())
    assert bomb.stat().st_size < 300_000
    _refuse_to_parse(monkeypatch)
    assert _reason(bomb, tmp_path) == "DOCX unpacks to 58.0 MB of XML, over the 16.0 MB limit"


def test_docx_with_a_lying_size_header_is_corrupt_and_never_inflated(tmp_path: Path) -> None:
    liar = tmp_path / "liar.docx"
    liar.write_bytes(_lie_about_size(_docx_bomb(), "word/document.xml", 4096))
    tracemalloc.start()
    try:
        reason = _reason(liar, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reason == "corrupt DOCX: Bad CRC-32 for file 'word/document.xml'"
    assert peak < 10_000_000  # the 60 MB of XML were never held (read in 64 KB pieces)


def test_docx_unpacking_past_the_total_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "images.docx"
    path.write_bytes(_rezip(_docx(), {"word/media/image1.png": bytes(3 * 1024 * 1024)}))
    _refuse_to_parse(monkeypatch)
    limits = Limits(unpacked_bytes=2 * 1024 * 1024)
    assert re.fullmatch(r"DOCX unpacks to 3\.\d MB, over the 2\.0 MB limit", _reason(path, tmp_path, limits))


def test_docx_with_bzip2_entries_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bzip.docx"
    path.write_bytes(_rezip(_docx(), {}, compression=zipfile.ZIP_BZIP2))
    _refuse_to_parse(monkeypatch)
    assert _reason(path, tmp_path) == "DOCX entry '[Content_Types].xml' uses a compression Word never writes"


def test_docx_with_too_many_entries_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "many.docx"
    path.write_bytes(_rezip(_docx(), {f"x/{i}": b"" for i in range(10_001)}))
    _refuse_to_parse(monkeypatch)
    assert _reason(path, tmp_path) == "DOCX has over 10,000 zip entries"


def test_docx_past_the_character_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.docx"
    path.write_bytes(_docx("Le bureau du CNRS à Tokyo. " * 100))
    assert (
        _reason(path, tmp_path, Limits(chars=1000))
        == "too much text: over 1,000 characters (the limit per document)"
    )


def test_docx_billion_laughs_is_refused(tmp_path: Path) -> None:
    base = _docx("LAUGH")
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        xml = archive.read("word/document.xml")
    entities = b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)) * 10) for i in range(1, 10))
    dtd = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">' + entities + b"]>"
    laughs = dtd + xml[xml.index(b"<w:document") :].replace(b"LAUGH", b"&lol9;")
    path = tmp_path / "laughs.docx"
    path.write_bytes(_rezip(base, {"word/document.xml": laughs}))
    assert _reason(path, tmp_path).startswith("corrupt DOCX: Maximum entity amplification factor exceeded")


def test_docx_external_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("hunter2", encoding="utf-8")
    base = _docx("SECRET")
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        xml = archive.read("word/document.xml")
    dtd = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file://%s">]>' % str(secret).encode()
    xxe = dtd + xml[xml.index(b"<w:document") :].replace(b"SECRET", b"Le bureau &xxe;")
    path = tmp_path / "xxe.docx"
    path.write_bytes(_rezip(base, {"word/document.xml": xxe}))
    doc = read_document(path, tmp_path)
    assert "hunter2" not in "".join(s.text for s in doc.sections)


# --- Markdown, text, HTML, PDF ------------------------------------------------------------------------

YAML_BOMB = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
title: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
---
# Bureau

Le bureau du CNRS à Tokyo.
"""


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
def test_markdown_front_matter_aliases_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, libyaml: bool
) -> None:
    if not libyaml:  # PyYAML built without libyaml: the pure-Python loader refuses them too
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    path = tmp_path / "bomb.md"
    path.write_text(YAML_BOMB, encoding="utf-8")
    assert path.stat().st_size < 500
    assert _reason(path, tmp_path) == (
        "invalid front matter: YAML aliases (*name) are not allowed in front matter (line 3)"
    )


def test_markdown_front_matter_anchor_without_alias_is_read(tmp_path: Path) -> None:
    path = tmp_path / "anchor.md"
    path.write_text("---\ntitle: &t Bureau de Tokyo\n---\nLe bureau du CNRS à Tokyo.\n", encoding="utf-8")
    assert read_document(path, tmp_path).title == "Bureau de Tokyo"


def test_markdown_past_the_default_character_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_text("# Long\n\n" + "Le bureau du CNRS à Tokyo.\n" * 40_000, encoding="utf-8")
    assert _reason(path, tmp_path) == "too much text: over 1,000,000 characters (the limit per document)"


def test_text_past_the_character_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Le bureau du CNRS à Tokyo. " * 100, encoding="utf-8")
    assert (
        _reason(path, tmp_path, Limits(chars=1000))
        == "too much text: over 1,000 characters (the limit per document)"
    )


def test_html_past_the_character_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.html"
    path.write_text(
        "<html><body><p>" + "Le bureau du CNRS à Tokyo. " * 100 + "</p></body></html>", encoding="utf-8"
    )
    assert (
        _reason(path, tmp_path, Limits(chars=1000))
        == "too much text: over 1,000 characters (the limit per document)"
    )


def test_html_nested_too_deeply_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + "Tokyo" + "</div>" * 100_000 + "</body></html>")
    assert _reason(path, tmp_path) == "HTML nested too deeply"


def test_pdf_past_the_character_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(_pdf(["The CNRS office in Tokyo covers Japan and Korea."] * 30))
    assert (
        _reason(path, tmp_path, Limits(chars=1000))
        == "too much text: over 1,000 characters (the limit per document)"
    )


def test_pdf_stream_inflating_past_pypdf_limit_is_refused(tmp_path: Path) -> None:
    # 95 MB of text operators, 0.3 MB compressed
    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Tokyo) Tj ET\n" * 2_500_000, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path = tmp_path / "bomb.pdf"
    path.write_bytes(out.getvalue())
    assert path.stat().st_size < 300_000
    assert _reason(path, tmp_path).startswith("corrupt PDF: Limit reached while decompressing")


def test_long_title_is_cut_to_300_characters(tmp_path: Path) -> None:
    path = tmp_path / "title.md"
    path.write_text(
        f"---\ntitle: {'Tokyo ' * 200}\n---\n## {'Kyoto ' * 200}\n\n### {'Osaka ' * 200}\n\nLe bureau.\n"
    )
    doc = read_document(path, tmp_path)
    assert len(doc.title) == 300 and doc.title.endswith("…")
    assert [len(h) for h in doc.sections[0].heading_path] == [300, 300]


# --- Chunks -----------------------------------------------------------------------------------------

ONE_LINE_SECTIONS = "".join(f"# h{i}\nx\n" for i in range(2_400))  # 24 KB


def test_one_line_sections_past_the_chunk_limit_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "sections.md"
    path.write_text(ONE_LINE_SECTIONS, encoding="utf-8")
    assert 20_000 < path.stat().st_size < 25_000
    with pytest.raises(DocumentError) as caught:
        chunk_document(read_document(path, tmp_path))
    assert (
        caught.value.reason == f"too many chunks: over {MAX_CHUNKS_PER_DOCUMENT:,} (the limit per document)"
    )


def test_chunk_limit_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "sections.md"
    path.write_text("".join(f"# h{i}\nx\n" for i in range(5)), encoding="utf-8")
    doc = read_document(path, tmp_path)
    assert len(chunk_document(doc, max_chunks=5)) == 5
    with pytest.raises(DocumentError, match="too many chunks: over 4 "):
        chunk_document(doc, max_chunks=4)


# --- One ingest: every bomb named in the sync report, the rest indexed ----------------------------------


def test_ingest_names_every_bomb_and_indexes_the_rest(
    settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uploads = corpus / "uploads"
    uploads.mkdir()
    (uploads / "bomb.docx").write_bytes(_docx_bomb())
    (uploads / "aliases.md").write_text(YAML_BOMB, encoding="utf-8")
    (uploads / "sections.md").write_text(ONE_LINE_SECTIONS, encoding="utf-8")
    (uploads / "long.md").write_text("# Long\n\n" + "Le bureau du CNRS à Tokyo.\n" * 40_000, encoding="utf-8")
    _refuse_to_parse(monkeypatch)
    report = KnowledgeBase.open(settings, HashEmbedder()).last_sync
    assert report is not None
    assert {s.path: s.reason for s in report.skipped} == {
        "uploads/bomb.docx": "DOCX unpacks to 58.0 MB of XML, over the 16.0 MB limit",
        "uploads/aliases.md": "invalid front matter: YAML aliases (*name) are not allowed in front matter (line 3)",
        "uploads/sections.md": "too many chunks: over 1,500 (the limit per document)",
        "uploads/long.md": "too much text: over 1,000,000 characters (the limit per document)",
    }
    assert report.chunks == report.embedded == TINY_CHUNKS


def test_document_limits_are_settings(settings: Settings) -> None:
    """DERCI_MAX_DOCUMENT_CHARS and DERCI_MAX_DOCUMENT_CHUNKS reach the sync: a deployment can tighten them."""
    tight = Settings.load(
        environ={"DERCI_MAX_DOCUMENT_CHARS": "2000", "DERCI_MAX_DOCUMENT_CHUNKS": "50"},
        corpus_dir=settings.corpus_dir,
        index_dir=settings.index_dir,
        data_dir=settings.data_dir,
    )
    (settings.corpus_dir / "en" / "notes.md").write_text(
        "# Notes\n\n" + "The CNRS office in Tokyo covers Japan.\n" * 60, encoding="utf-8"
    )
    report = KnowledgeBase.open(tight, HashEmbedder()).last_sync
    assert report is not None
    assert {s.path: s.reason for s in report.skipped} == {
        "en/notes.md": "too much text: over 2,000 characters (the limit per document)"
    }


def test_a_corpus_whose_every_document_is_refused_still_opens_and_reopens(settings: Settings) -> None:
    """Nothing indexed is a state, not a crash: bm25s cannot save an empty index, so none is written."""
    tight = Settings.load(
        environ={"DERCI_MAX_DOCUMENT_CHARS": "10"},
        corpus_dir=settings.corpus_dir,
        index_dir=settings.index_dir,
        data_dir=settings.data_dir,
    )
    report = KnowledgeBase.open(tight, HashEmbedder()).last_sync
    assert report is not None and report.chunks == 0 and report.skipped
    reopened = KnowledgeBase.open(tight, HashEmbedder(), sync=False)
    assert len(reopened.lexical.chunks) == 0
