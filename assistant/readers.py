"""Format readers, pure-ish: the bytes of one file -> title, front matter and sections.

One reader per format (Markdown with YAML front matter, plain text, HTML, PDF, DOCX), all with the
same shape `(data, rel) -> Parsed`, looked up by suffix in `PARSERS`. Every reader normalises text
(NFC, `\\n` line ends, no control or zero-width characters, single spaces) and raises `DocumentError`
with a short reason when the bytes cannot be read. Touches no file system: finding, size-checking
and reading files, language detection and building `SourceDocument`s stay in `assistant.documents`.
bs4, pypdf and python-docx are imported inside the reader that needs them.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from assistant.errors import DocumentError
from assistant.sources import http_url, parse_definition, split_references

if TYPE_CHECKING:
    from bs4 import Tag

__all__ = ["PARSERS", "Parsed", "Section"]

log = logging.getLogger(__name__)


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


class _Block(NamedTuple):
    """A heading (level 1-9) or a paragraph of body text (level 0), in document order."""

    level: int
    text: str


class Parsed(NamedTuple):
    """What a reader makes of one file; `title` is None when the file names none."""

    title: str | None
    sections: tuple[Section, ...]
    meta: dict[str, Any]


# --- Text normalisation ---------------------------------------------------------------------------

# C0/C1 controls except \t and \n, soft hyphen, zero-width and bidi marks, word joiners, BOM.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r" {2,}")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _clean(text: str) -> str:
    """NFC, `\\n` line ends, no invisible characters; spacing is left for `_tidy`."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", text)


def _tidy(text: str) -> str:
    """Collapse runs of spaces, strip every line and drop blank lines."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


def _decode(data: bytes, rel: str) -> str:
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
    text = _clean(text)
    if not text.strip():
        raise DocumentError(rel, "empty file")
    return text


# --- Sections from headings -----------------------------------------------------------------------


def _sections(
    blocks: Sequence[_Block], title: str, *, lone_h1_names_page: bool = True
) -> tuple[Section, ...]:
    """Group body blocks under the path of headings above them; empty sections are dropped."""
    page_headings = _page_headings(blocks, title, lone_h1_names_page)
    sections: list[Section] = []
    stack: list[_Block] = []
    paragraphs: list[str] = []
    for index, block in enumerate(blocks):
        text = _tidy(block.text)
        if not text:
            continue
        if block.level == 0:
            paragraphs.append(text)
            continue
        path = tuple(b.text for b in stack)
        stack = [b for b in stack if b.level < block.level]
        if index not in page_headings:
            stack.append(_Block(block.level, " ".join(text.split())))
        if tuple(b.text for b in stack) != path:
            _add_section(sections, path, paragraphs)
            paragraphs = []
    _add_section(sections, tuple(b.text for b in stack), paragraphs)
    return tuple(sections)


def _page_headings(blocks: Sequence[_Block], title: str, lone_h1_names_page: bool) -> set[int]:
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


def _first_h1(blocks: Sequence[_Block]) -> str | None:
    return next((_one_line(b.text) for b in blocks if b.level == 1 and b.text.strip()), None)


# --- Plain text and Markdown ----------------------------------------------------------------------


def _read_text(data: bytes, rel: str) -> Parsed:
    text = _decode(data, rel)
    blocks = [_Block(0, paragraph) for paragraph in _BLANK_LINE.split(text)]
    return Parsed(None, _sections(blocks, ""), {})


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*")
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+$")
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_CODE_SPAN = re.compile(r"(`+[^`]*`+)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*\*|__")


def _read_markdown(data: bytes, rel: str) -> Parsed:
    meta, body = _front_matter(_decode(data, rel), rel)
    blocks, definitions = _markdown_blocks(body.replace(_MARK, ""))
    blocks, urls = _resolve_footnotes(blocks, definitions, rel)
    raw_title = meta.get("title")
    title = _one_line(str(raw_title)) if raw_title not in (None, "") else _first_h1(blocks)
    sections = _sections(blocks, title or "")
    if urls:
        sections = tuple(_with_sources(section, urls) for section in sections)
    return Parsed(title or None, sections, meta)


def _front_matter(text: str, rel: str) -> tuple[dict[str, Any], str]:
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return {}, text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise DocumentError(rel, "invalid front matter: no closing '---' line")
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        raise DocumentError(rel, f"invalid front matter: {_yaml_problem(error)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError(rel, f"invalid front matter: expected a mapping, got {type(data).__name__}")
    return {str(key): value for key, value in data.items()}, "\n".join(lines[end + 1 :])


def _yaml_problem(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem:
        mark = error.problem_mark
        # +2: marks count from 0, and the opening '---' is line 1 of the file
        return error.problem + (f" (line {mark.line + 2})" if mark is not None else "")
    return str(error).split("\n")[0][:100]


def _markdown_blocks(body: str) -> tuple[list[_Block], dict[str, str]]:
    """Headings and paragraphs of a Markdown body, and its footnote definitions (label -> target).

    Fenced code is text, never headings, references or definitions. Footnote references leave each
    heading and line they end, as `_MARK` and their labels (see `_resolve_footnotes`).
    """
    blocks: list[_Block] = []
    definitions: dict[str, str] = {}
    lines: list[str] = []
    fence: re.Pattern[str] | None = None
    for line in body.split("\n"):
        if fence is not None:
            if fence.fullmatch(line):
                fence = None
                blocks.append(_Block(0, "\n".join(lines)))
                lines = []
            else:
                lines.append(line)
            continue
        opening = _FENCE.match(line)
        heading = _ATX.fullmatch(line)
        if opening or heading or not line.strip() or _THEMATIC_BREAK.fullmatch(line):
            blocks.append(_Block(0, "\n".join(lines)))
            lines = []
        if opening:
            marker = opening.group(1)
            fence = re.compile(rf" {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*")
        elif heading:
            text = _ATX_CLOSING.sub("", heading.group(2) or "")
            blocks.append(_Block(len(heading.group(1)), _mark_references(_inline(text))))
        elif (definition := parse_definition(line)) is not None:
            definitions.setdefault(*definition)
        elif line.strip() and not _THEMATIC_BREAK.fullmatch(line):
            lines.append(_mark_references(_inline(line)))
    blocks.append(_Block(0, "\n".join(lines)))
    return blocks, definitions


def _inline(line: str) -> str:
    """Drop `**`/`__` and keep the text of links, outside code spans."""
    parts = _CODE_SPAN.split(line)
    return "".join(
        part if index % 2 else _EMPHASIS.sub("", _LINK.sub(r"\1", part)) for index, part in enumerate(parts)
    )


# --- Footnote sources (Markdown) -----------------------------------------------------------------

# A private-use character, removed from the input: it carries each line's footnote labels, then its
# URL indexes, through `_sections` (which tidies and regroups lines) to `_with_sources`.
_MARK = "\ue000"


def _mark_references(text: str) -> str:
    text, labels = split_references(text)
    return f"{text}{_MARK}{' '.join(labels)}" if labels else text


def _unmark(text: str) -> tuple[str, list[str]]:
    text, _, marks = text.partition(_MARK)
    return text.rstrip(), marks.replace(",", " ").split()


def _resolve_footnotes(
    blocks: Sequence[_Block], definitions: Mapping[str, str], rel: str
) -> tuple[list[_Block], list[str]]:
    """Give every body line the URLs of its own references, else of the nearest heading above it
    that has some; return the blocks, each line marked with its URL indexes, and the URLs.

    A document where no reference resolves to an http(s) URL gets clean blocks and no URLs.
    """
    urls: dict[str, int] = {}
    by_label: dict[str, int] = {}
    for label, target in definitions.items():
        url = http_url(target)
        if url is None:
            log.warning("%s: footnote [^%s] is not an http(s) URL (%r): ignored", rel, label, target[:80])
        else:
            by_label[label] = urls.setdefault(url, len(urls))
    undefined: set[str] = set()

    def indexes(labels: Sequence[str]) -> list[int]:
        for label in labels:
            if label not in definitions and label not in undefined:
                undefined.add(label)
                log.warning("%s: footnote reference [^%s] has no definition: ignored", rel, label)
        return list(dict.fromkeys(by_label[label] for label in labels if label in by_label))

    out: list[_Block] = []
    headings: list[tuple[int, list[int]]] = []  # the headings above, with their URL indexes
    for block in blocks:
        if block.level > 0:
            text, labels = _unmark(block.text)
            headings = [h for h in headings if h[0] < block.level]
            headings.append((block.level, indexes(labels)))
            out.append(_Block(block.level, text))
            continue
        inherited = next((found for _, found in reversed(headings) if found), [])
        lines = []
        for line in block.text.split("\n"):
            text, labels = _unmark(line)
            if text.strip():  # a line of references only says nothing
                own = indexes(labels)
                lines.append(f"{text}{_MARK}{','.join(map(str, own or inherited))}")
        out.append(_Block(0, "\n".join(lines)))
    if not urls:
        return [_Block(b.level, "\n".join(_unmark(line)[0] for line in b.text.split("\n"))) for b in out], []
    return out, list(urls)


def _with_sources(section: Section, urls: Sequence[str]) -> Section:
    """The section without marks, each of its lines with its URLs."""
    lines: list[str] = []
    sources: list[tuple[str, tuple[str, ...]]] = []
    for line in section.text.split("\n"):
        text, marks = _unmark(line)
        lines.append(text)
        if text:
            sources.append((text, tuple(urls[int(i)] for i in marks)))
    return Section(section.heading_path, "\n".join(lines), section.page, tuple(sources))


# --- HTML -----------------------------------------------------------------------------------------

_HTML_DROPPED = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "svg",
)
_HTML_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_HTML_LINES = frozenset({"li", "tr", "br", "dt", "dd", "figcaption", "caption"})
_HTML_PARAGRAPHS = frozenset(
    {"p", "div", "section", "article", "main", "ul", "ol", "dl", "table", "blockquote", "pre",
     "figure", "address", "details", "summary", "hr", "body", "fieldset"}
)  # fmt: skip


def _read_html(data: bytes, rel: str) -> Parsed:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")  # bytes: bs4 honours the page's declared charset
    head = soup.head
    title_tag = head.find("title") if head is not None else None
    title = _one_line(title_tag.get_text()) if title_tag is not None else ""
    for tag in soup.find_all(_HTML_DROPPED):
        tag.decompose()
    for tag in [*soup.find_all(role="navigation"), *soup.find_all(hidden=True)]:
        tag.decompose()
    text = _HtmlText()
    try:
        for container in _html_containers(soup):
            text.walk(container)
    except RecursionError:
        raise DocumentError(rel, "HTML nested too deeply") from None
    blocks = text.finish()
    title = title or _first_h1(blocks) or ""
    return Parsed(title or None, _sections(blocks, title), {})


def _html_containers(soup: Tag) -> list[Tag]:
    main = soup.find("main")
    if main is not None:
        return [main]
    articles = [a for a in soup.find_all("article") if a.find_parent("article") is None]
    return articles or [soup.body or soup]


class _HtmlText:
    """Walks the kept part of an HTML tree into heading and paragraph blocks."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.lines: list[str] = []
        self.words: list[str] = []
        self.in_cell = 0

    def walk(self, node: Tag) -> None:
        from bs4.element import NavigableString, PreformattedString, Tag

        for child in node.children:
            if isinstance(child, PreformattedString):  # comments, doctype, CDATA
                continue
            if isinstance(child, NavigableString):
                self.words.append(re.sub(r"\s+", " ", str(child)))
            elif isinstance(child, Tag):
                self._element(child)

    def _element(self, tag: Tag) -> None:
        name = tag.name
        if name in _HTML_HEADINGS and not self.in_cell:
            self.end_paragraph()
            self.blocks.append(_Block(_HTML_HEADINGS[name], _one_line(tag.get_text(" "))))
        elif name in ("td", "th"):
            if "".join(self.words).strip():
                self.words.append(" | ")
            self.in_cell += 1
            self.walk(tag)
            self.in_cell -= 1
        elif self.in_cell and (name in _HTML_LINES or name in _HTML_PARAGRAPHS):
            self.words.append(" ")
            self.walk(tag)
        elif name in _HTML_LINES:
            self.end_line()
            self.walk(tag)
            self.end_line()
        elif name in _HTML_PARAGRAPHS:
            self.end_paragraph()
            self.walk(tag)
            self.end_paragraph()
        else:
            self.walk(tag)

    def end_line(self) -> None:
        line = " ".join("".join(self.words).split())
        if line:
            self.lines.append(line)
        self.words = []

    def end_paragraph(self) -> None:
        self.end_line()
        if self.lines:
            self.blocks.append(_Block(0, "\n".join(self.lines)))
        self.lines = []

    def finish(self) -> list[_Block]:
        self.end_paragraph()
        return [_Block(b.level, _clean(b.text)) for b in self.blocks]


# --- PDF and DOCX ---------------------------------------------------------------------------------


def _read_pdf(data: bytes, rel: str) -> Parsed:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypts(reader):
            raise DocumentError(rel, "encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata is not None else None
    except DocumentError:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises many types on malformed files
        raise DocumentError(rel, f"corrupt PDF: {_short(error)}") from None
    sections = tuple(
        Section(heading_path=(), text=text, page=number)
        for number, raw in enumerate(pages, start=1)
        if (text := _paragraphs(_clean(raw)))
    )
    if not sections:
        raise DocumentError(rel, "no text layer (scanned PDF?)")
    return Parsed(_one_line(title) if isinstance(title, str) else None, sections, {})


def _decrypts(reader: Any) -> bool:
    """Open PDFs that only have an owner password (copy protection); refuse real encryption."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - e.g. AES without the `cryptography` package
        return False


def _paragraphs(text: str) -> str:
    return "\n\n".join(p for p in (_tidy(part) for part in _BLANK_LINE.split(text)) if p)


def _read_docx(data: bytes, rel: str) -> Parsed:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        title: str | None = None
        blocks: list[_Block] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.append(_Block(0, "\n".join(_docx_rows(item))))
                continue
            style = item.style.name if item.style is not None else ""
            level = _docx_level(style or "")
            if level < 0 and title is None:
                title = _one_line(item.text)
            else:
                blocks.append(_Block(max(level, 0), _clean(item.text)))
        title = title or _one_line(document.core_properties.title or "") or _first_h1(blocks)
    except Exception as error:  # noqa: BLE001 - python-docx raises many types on bad zips, XML
        raise DocumentError(rel, f"corrupt DOCX: {_short(error)}") from None
    sections = _sections(blocks, title or "", lone_h1_names_page=False)
    return Parsed(title or None, sections, {})


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
        rows.append(" | ".join(" ".join(_clean(c.text).split()) for c in cells))
    return rows


def _short(error: Exception) -> str:
    message = " ".join(str(error).split()) or type(error).__name__
    return message if len(message) <= 80 else message[:79] + "…"


PARSERS: Mapping[str, Callable[[bytes, str], Parsed]] = {
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".txt": _read_text,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}
