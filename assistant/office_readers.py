"""Readers of the binary formats, PDF (pypdf) and DOCX (python-docx): bytes -> title and sections.

Same shape as the text readers of `assistant.readers`: `(data, rel, limits) -> Parsed`, `DocumentError`
with a short reason for a file that cannot be read or expands past `Limits`. A DOCX is a zip: its
entries' declared sizes are checked against the limits, then every entry is read once in 64 KB pieces
(zipfile stops an entry at its declared size and checks its CRC there, so a header that lies gives a
corrupt file, not a bigger one), all before python-docx unpacks anything. pypdf
bounds each decompressed stream itself (75 MB); the text taken out of pages is counted as it comes.
pypdf and python-docx are imported inside the reader that needs them.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from assistant.errors import DocumentError
from assistant.sections import (
    Block,
    Limits,
    Parsed,
    Section,
    TextBudget,
    clean,
    first_h1,
    group_sections,
    heading,
    paragraphs,
    short,
)

__all__ = ["read_docx", "read_pdf"]

_MAX_ZIP_ENTRIES = 10_000  # a Word file has a few dozen, a few hundred with many images
_WORD_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def read_pdf(data: bytes, rel: str, limits: Limits) -> Parsed:
    from pypdf import PdfReader

    budget = TextBudget(rel, limits)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypts(reader):
            raise DocumentError(rel, "encrypted PDF")
        pages = [budget.take(page.extract_text() or "") for page in reader.pages]
        title = reader.metadata.title if reader.metadata is not None else None
    except DocumentError:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises many types on malformed files
        raise DocumentError(rel, f"corrupt PDF: {short(error)}") from None
    sections = tuple(
        Section(heading_path=(), text=text, page=number)
        for number, raw in enumerate(pages, start=1)
        if (text := paragraphs(clean(raw)))
    )
    if not sections:
        raise DocumentError(rel, "no text layer (scanned PDF?)")
    return Parsed(heading(title) if isinstance(title, str) else None, sections, {})


def _decrypts(reader: Any) -> bool:
    """Open PDFs that only have an owner password (copy protection); refuse real encryption."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - e.g. AES without the `cryptography` package
        return False


def read_docx(data: bytes, rel: str, limits: Limits) -> Parsed:
    import docx
    from docx.table import Table

    _check_unpacked_size(data, rel, limits)
    budget = TextBudget(rel, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        title: str | None = None
        blocks: list[Block] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.append(Block(0, budget.take("\n".join(_docx_rows(item)))))
                continue
            style = item.style.name if item.style is not None else ""
            level = _docx_level(style or "")
            if level < 0 and title is None:
                title = heading(budget.take(item.text))
            else:
                blocks.append(Block(max(level, 0), clean(budget.take(item.text))))
        title = title or heading(document.core_properties.title or "") or first_h1(blocks)
    except DocumentError:
        raise
    except Exception as error:  # noqa: BLE001 - python-docx raises many types on bad zips, XML
        raise DocumentError(rel, f"corrupt DOCX: {short(error)}") from None
    sections = group_sections(blocks, title or "", lone_h1_names_page=False)
    return Parsed(title or None, sections, {})


def _check_unpacked_size(data: bytes, rel: str, limits: Limits) -> None:
    """Refuse a DOCX whose zip would unpack past the limits; its entries are read in small pieces, so
    memory stays bounded even when an entry's header lies about its size."""
    # Each entry of the central directory starts with this signature; counting it is cheaper than
    # letting zipfile build an object per entry of a file made of millions of empty ones.
    if data.count(b"PK\x01\x02") > _MAX_ZIP_ENTRIES:
        raise DocumentError(rel, f"DOCX has over {_MAX_ZIP_ENTRIES:,} zip entries")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            odd = [e.filename for e in entries if e.compress_type not in _WORD_COMPRESSION]
            if odd:  # bzip2 or lzma entries would inflate a whole read at once
                raise DocumentError(rel, f"DOCX entry {odd[0][:80]!r} uses a compression Word never writes")
            xml = sum(e.file_size for e in entries if e.filename.lower().endswith((".xml", ".rels")))
            if xml > limits.unpacked_xml_bytes:
                raise DocumentError(
                    rel, f"DOCX unpacks to {_mb(xml)} of XML, over the {_mb(limits.unpacked_xml_bytes)} limit"
                )
            total = sum(e.file_size for e in entries)
            if total > limits.unpacked_bytes:
                raise DocumentError(
                    rel, f"DOCX unpacks to {_mb(total)}, over the {_mb(limits.unpacked_bytes)} limit"
                )
            for entry in entries:
                # zipfile stops at the declared size and checks the CRC there: a lying header fails
                with archive.open(entry) as stream:
                    while stream.read(1 << 16):
                        pass
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError) as error:
        raise DocumentError(rel, f"corrupt DOCX: {short(error)}") from None


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB"


_DOCX_HEADING = re.compile(r"(?:heading|titre)\s*([1-9])", re.IGNORECASE)


def _docx_level(style: str) -> int:
    """Heading level of a paragraph style: 1-9, 0 for body text, -1 for the Title style."""
    if style.strip().casefold() in ("title", "titre"):
        return -1
    match = _DOCX_HEADING.fullmatch(style.strip())
    return int(match.group(1)) if match else 0


def _docx_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[Any] = []
        for cell in row.cells:  # a merged cell is listed once per grid column it spans
            if not cells or cell._tc is not cells[-1]._tc:
                cells.append(cell)
        rows.append(" | ".join(" ".join(clean(c.text).split()) for c in cells))
    return rows
