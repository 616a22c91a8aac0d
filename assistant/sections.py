"""Shared by the format readers: what a reader returns, text normalisation, sections from headings, and
the limits on how far one file may expand when it is read.

Pure: no file system, no parser library. The readers themselves are in `assistant.readers` (text,
Markdown, HTML) and `assistant.office_readers` (PDF, DOCX).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from assistant.errors import DocumentError

__all__ = ["DEFAULT_LIMITS", "Block", "Limits", "Parsed", "Section", "TextBudget"]

MAX_HEADING_CHARS = 300


@dataclass(frozen=True)
class Section:
    """A run of body text under one heading path (one page for PDFs).

    `sources`: in a document with per-sentence sources (Markdown footnotes, `assistant.sources`), every
    non-blank line of `text` in order, with the URLs that back it (none for some); else empty.
    """

    heading_path: tuple[str, ...]
    text: str
    page: int | None = None
    sources: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError(f"Section {self.heading_path!r} has no text; drop empty sections instead.")

    def __repr__(self) -> str:
        text = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        return f"Section({self.heading_path!r}, {text!r}, page={self.page})"


@dataclass(frozen=True)
class Limits:
    """How far one file may expand when it is read; past any limit the file is refused, with the reason.

    Measured on upload bombs: a 227 KB DOCX inflated to 60 MB of XML (109 s and 500 MB to parse), so a
    DOCX's entries are checked by their declared sizes before anything is unpacked; a 424-byte Markdown
    file with nested YAML aliases became a 72 MB title, so front matter may not use aliases.
    """

    chars: int = 1_000_000  # characters of text in one document (about 400 pages)
    unpacked_bytes: int = 100 * 1024 * 1024  # DOCX: all its zip entries, uncompressed (images included)
    unpacked_xml_bytes: int = 16 * 1024 * 1024  # DOCX: its XML parts, uncompressed

    def __post_init__(self) -> None:
        for name in ("chars", "unpacked_bytes", "unpacked_xml_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"Limits.{name} must be positive, got {getattr(self, name)}.")


DEFAULT_LIMITS = Limits()


def too_much_text(limits: Limits) -> str:
    return f"too much text: over {limits.chars:,} characters (the limit per document)"


class TextBudget:
    """Counts the characters a reader extracts, and refuses the file as soon as they pass the limit."""

    def __init__(self, rel: str, limits: Limits) -> None:
        self.rel = rel
        self.limits = limits
        self.used = 0

    def take(self, text: str) -> str:
        self.used += len(text)
        if self.used > self.limits.chars:
            raise DocumentError(self.rel, too_much_text(self.limits))
        return text


class Block(NamedTuple):
    """A heading (level 1-9) or a paragraph of body text (level 0), in document order."""

    level: int
    text: str


class Parsed(NamedTuple):
    """What a reader makes of one file; `title` is None when the file names none; `warnings` name
    what was ignored in a file that is still read (a footnote reference with no definition, ...)."""

    title: str | None
    sections: tuple[Section, ...]
    meta: dict[str, Any]
    warnings: tuple[str, ...] = ()


def short(error: Exception) -> str:
    """An exception's message on one line, cut at 80 characters: for a skip reason."""
    message = " ".join(str(error).split()) or type(error).__name__
    return message if len(message) <= 80 else message[:79] + "…"


def paragraphs(text: str) -> str:
    """Tidy paragraphs separated by one blank line."""
    return "\n\n".join(p for p in (tidy(part) for part in BLANK_LINE.split(text)) if p)


# --- Text normalisation ---------------------------------------------------------------------------

# C0/C1 controls except \t and \n, soft hyphen, zero-width and bidi marks, word joiners, BOM.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r" {2,}")
BLANK_LINE = re.compile(r"\n[ \t]*\n")


def clean(text: str) -> str:
    """NFC, `\\n` line ends, no invisible characters; spacing is left for `tidy`."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", text)


def tidy(text: str) -> str:
    """Collapse runs of spaces, strip every line and drop blank lines."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    return " ".join(clean(text).split())


def heading(text: str) -> str:
    """A title or heading on one line, cut at `MAX_HEADING_CHARS`: it prefixes every chunk it heads."""
    text = one_line(text)
    return text if len(text) <= MAX_HEADING_CHARS else text[: MAX_HEADING_CHARS - 1] + "…"


def decode(data: bytes, rel: str, limits: Limits) -> str:
    """The text of a text file (UTF-8, or legacy cp1252 that reads as text), cleaned."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Legacy Windows text is accepted only if it reads as text: cp1252 decodes almost anything.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise DocumentError(rel, "not UTF-8 text") from None
        if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text):
            raise DocumentError(rel, "not UTF-8 text") from None
    if "\x00" in text:  # valid UTF-8 but binary (or UTF-16 without BOM)
        raise DocumentError(rel, "not UTF-8 text")
    text = clean(text)
    if not text.strip():
        raise DocumentError(rel, "empty file")
    if len(text) > limits.chars:
        raise DocumentError(rel, too_much_text(limits))
    return text


# --- Sections from headings -----------------------------------------------------------------------


def group_sections(
    blocks: Sequence[Block], title: str, *, lone_h1_names_page: bool = True
) -> tuple[Section, ...]:
    """Group body blocks under the path of headings above them; empty sections are dropped."""
    page_headings = _page_headings(blocks, title, lone_h1_names_page)
    sections: list[Section] = []
    stack: list[Block] = []
    paragraphs: list[str] = []
    for index, block in enumerate(blocks):
        text = tidy(block.text)
        if not text:
            continue
        if block.level == 0:
            paragraphs.append(text)
            continue
        path = tuple(b.text for b in stack)
        stack = [b for b in stack if b.level < block.level]
        if index not in page_headings:
            stack.append(Block(block.level, heading(text)))
        if tuple(b.text for b in stack) != path:
            _add_section(sections, path, paragraphs)
            paragraphs = []
    _add_section(sections, tuple(b.text for b in stack), paragraphs)
    return tuple(sections)


def _page_headings(blocks: Sequence[Block], title: str, lone_h1_names_page: bool) -> set[int]:
    """Indexes of the H1s that name the page itself, kept out of heading paths."""
    h1s = [i for i, b in enumerate(blocks) if b.level == 1]
    skipped = {i for i in h1s if _same(blocks[i].text, title)}
    first_heading = next((i for i, b in enumerate(blocks) if b.level > 0), None)
    # subtle: in Markdown and HTML a lone leading H1 names the page even when it words the title
    # differently; in DOCX the Title style does that job and Heading 1 is a real section.
    if lone_h1_names_page and len(h1s) == 1 and h1s[0] == first_heading:
        skipped.add(h1s[0])
    return skipped


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _add_section(sections: list[Section], path: tuple[str, ...], paragraphs: list[str]) -> None:
    if paragraphs:
        sections.append(Section(heading_path=path, text="\n\n".join(paragraphs)))


def first_h1(blocks: Sequence[Block]) -> str | None:
    return next((heading(b.text) for b in blocks if b.level == 1 and b.text.strip()), None)
