"""Readers of the text formats, and the table of every reader: bytes of one file -> title, meta, sections.

One reader per format, all with the shape `(data, rel, limits) -> Parsed`, looked up by suffix in
`PARSERS`: plain text, Markdown with YAML front matter and footnote sources (`assistant.sources`), and
HTML here; PDF and DOCX in `assistant.office_readers`. Every reader normalises text (NFC, `\\n` line
ends, no control or zero-width characters, single spaces) and raises `DocumentError` with a short
reason when the bytes cannot be read or would expand past `Limits`. Touches no file system: finding,
size-checking and reading files, language detection and building `SourceDocument`s stay in
`assistant.documents`. bs4 is imported inside the HTML reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import yaml

from assistant.errors import DocumentError
from assistant.office_readers import read_docx, read_pdf
from assistant.sections import (
    BLANK_LINE,
    DEFAULT_LIMITS,
    Block,
    Limits,
    Parsed,
    Section,
    TextBudget,
    clean,
    decode,
    first_h1,
    group_sections,
    heading,
    one_line,
)
from assistant.sources import MARK, mark_references, parse_definition, resolve_footnotes, with_sources

if TYPE_CHECKING:
    from bs4 import Tag

__all__ = ["DEFAULT_LIMITS", "PARSERS", "Limits", "Parsed", "Reader", "Section"]

Reader = Callable[[bytes, str, Limits], Parsed]


# --- Plain text and Markdown ----------------------------------------------------------------------


def _read_text(data: bytes, rel: str, limits: Limits) -> Parsed:
    text = decode(data, rel, limits)
    blocks = [Block(0, paragraph) for paragraph in BLANK_LINE.split(text)]
    return Parsed(None, group_sections(blocks, ""), {})


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*")
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+$")
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_CODE_SPAN = re.compile(r"(`+[^`]*`+)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*\*|__")


def _read_markdown(data: bytes, rel: str, limits: Limits) -> Parsed:
    meta, body = _front_matter(decode(data, rel, limits), rel)
    blocks, definitions = _markdown_blocks(body.replace(MARK, ""))
    blocks, urls, problems = resolve_footnotes(blocks, definitions)
    raw_title = meta.get("title")
    title = heading(str(raw_title)) if raw_title not in (None, "") else first_h1(blocks)
    sections = group_sections(blocks, title or "")
    if urls:
        sections = tuple(with_sources(section, urls) for section in sections)
    return Parsed(title or None, sections, meta, tuple(problems))


def _front_matter(text: str, rel: str) -> tuple[dict[str, Any], str]:
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return {}, text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise DocumentError(rel, "invalid front matter: no closing '---' line")
    try:
        data = _load_front_matter("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        raise DocumentError(rel, f"invalid front matter: {_yaml_problem(error)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError(rel, f"invalid front matter: expected a mapping, got {type(data).__name__}")
    return {str(key): value for key, value in data.items()}, "\n".join(lines[end + 1 :])


def _load_front_matter(text: str) -> Any:
    """YAML without aliases, parsed by libyaml when PyYAML has it (six times faster: every sync reads
    every file's front matter), else by `_FrontMatterLoader`."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return yaml.load(text, Loader=_FrontMatterLoader)  # a SafeLoader
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise _no_alias(event)
    return yaml.load(text, Loader=loader)


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: nested aliases expand exponentially (a 424-byte file
    became a 72 MB title), and front matter has no use for them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _no_alias(self.peek_event())  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)


def _no_alias(event: Any) -> yaml.YAMLError:
    return yaml.composer.ComposerError(
        None, None, "YAML aliases (*name) are not allowed in front matter", event.start_mark
    )


def _yaml_problem(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem:
        mark = error.problem_mark
        # +2: marks count from 0, and the opening '---' is line 1 of the file
        return error.problem + (f" (line {mark.line + 2})" if mark is not None else "")
    return str(error).split("\n")[0][:100]


def _markdown_blocks(body: str) -> tuple[list[Block], dict[str, str]]:
    """Headings and paragraphs of a Markdown body, and its footnote definitions (label -> target).

    Fenced code is text, never headings, references or definitions. Footnote references leave each
    heading and line they end, as `MARK` and their labels (see `_resolve_footnotes`).
    """
    blocks: list[Block] = []
    definitions: dict[str, str] = {}
    lines: list[str] = []
    fence: re.Pattern[str] | None = None
    for line in body.split("\n"):
        if fence is not None:
            if fence.fullmatch(line):
                fence = None
                blocks.append(Block(0, "\n".join(lines)))
                lines = []
            else:
                lines.append(line)
            continue
        opening = _FENCE.match(line)
        heading = _ATX.fullmatch(line)
        if opening or heading or not line.strip() or _THEMATIC_BREAK.fullmatch(line):
            blocks.append(Block(0, "\n".join(lines)))
            lines = []
        if opening:
            marker = opening.group(1)
            fence = re.compile(rf" {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*")
        elif heading:
            text = _ATX_CLOSING.sub("", heading.group(2) or "")
            blocks.append(Block(len(heading.group(1)), mark_references(_inline(text))))
        elif (definition := parse_definition(line)) is not None:
            definitions.setdefault(*definition)
        elif line.strip() and not _THEMATIC_BREAK.fullmatch(line):
            lines.append(mark_references(_inline(line)))
    blocks.append(Block(0, "\n".join(lines)))
    return blocks, definitions


def _inline(line: str) -> str:
    """Drop `**`/`__` and keep the text of links, outside code spans."""
    parts = _CODE_SPAN.split(line)
    return "".join(
        part if index % 2 else _EMPHASIS.sub("", _LINK.sub(r"\1", part)) for index, part in enumerate(parts)
    )


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


def _read_html(data: bytes, rel: str, limits: Limits) -> Parsed:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")  # bytes: bs4 honours the page's declared charset
    head = soup.head
    title_tag = head.find("title") if head is not None else None
    title = heading(title_tag.get_text()) if title_tag is not None else ""
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
    budget = TextBudget(rel, limits)
    for block in blocks:
        budget.take(block.text)
    title = title or first_h1(blocks) or ""
    return Parsed(title or None, group_sections(blocks, title), {})


def _html_containers(soup: Tag) -> list[Tag]:
    main = soup.find("main")
    if main is not None:
        return [main]
    articles = [a for a in soup.find_all("article") if a.find_parent("article") is None]
    return articles or [soup.body or soup]


class _HtmlText:
    """Walks the kept part of an HTML tree into heading and paragraph blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
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
            self.blocks.append(Block(_HTML_HEADINGS[name], one_line(tag.get_text(" "))))
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
            self.blocks.append(Block(0, "\n".join(self.lines)))
        self.lines = []

    def finish(self) -> list[Block]:
        self.end_paragraph()
        return [Block(b.level, clean(b.text)) for b in self.blocks]


PARSERS: Mapping[str, Reader] = {
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".txt": _read_text,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
}
