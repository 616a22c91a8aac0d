"""Pure: the public URL(s) behind each sentence, from Markdown footnote references to citations.

The convention (docs/corpus-guide.md): a body line ends with references `[^n]`; a heading's references
apply to the lines of its section that carry none; definitions `[^n]: https://...` close the file.

Reading: the Markdown reader (`assistant.readers`) marks each line and heading with its references
(`mark_references`), `resolve_footnotes` gives every line its URLs and `with_sources` attaches them to
the sections. Storing: `assistant.chunking` keeps, per chunk, every line with its URLs as JSON under
the metadata key `LINE_SOURCES` (Chroma metadata values are scalars). Citing: `urls_for` finds the
URLs of one sentence of a chunk, split the way the answerer splits chunks into sentences or close to it.

Does not fetch, check or rewrite URLs (rendering makes them safe: `citations.safe_url`).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.sections import Block, Section

__all__ = [
    "LINE_SOURCES",
    "MARK",
    "encode_line_sources",
    "http_url",
    "is_annotated",
    "mark_references",
    "parse_definition",
    "resolve_footnotes",
    "split_references",
    "urls_for",
    "with_sources",
]

LINE_SOURCES = "line_sources"
"""Chunk metadata key: JSON `{"urls": [url, ...], "lines": [[line, [url index, ...]], ...]}`."""

# GitHub-flavoured footnote labels; the corpus numbers them, uploads may name them.
_REFERENCE = re.compile(r"[ \t]*\[\^([A-Za-z0-9_-]{1,40})\](?!:)")
_DEFINITION = re.compile(r" {0,3}\[\^([A-Za-z0-9_-]{1,40})\]:[ \t]*(.*?)[ \t]*")
_HTTP_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_MIN_OVERLAP = 0.75  # share of a sentence's words a line must hold when no line holds the sentence as is
_MIN_FUZZY_WORDS = 5


def split_references(line: str) -> tuple[str, tuple[str, ...]]:
    """A line without its footnote references, and their labels in order of first appearance."""
    labels = tuple(dict.fromkeys(_REFERENCE.findall(line)))
    return (_REFERENCE.sub("", line).rstrip(), labels) if labels else (line, ())


def parse_definition(line: str) -> tuple[str, str] | None:
    """`(label, target)` when the line is a footnote definition `[^label]: target`, else None."""
    match = _DEFINITION.fullmatch(line)
    return (match.group(1), match.group(2)) if match else None


def http_url(target: str) -> str | None:
    """The target of a definition when it is one http(s) URL, else None."""
    return target if _HTTP_URL.fullmatch(target) else None


# A private-use character, removed from the input: it carries each line's footnote labels, then its
# URL indexes, through the grouping of lines into sections (which tidies them) to `with_sources`.
MARK = "\ue000"


def mark_references(text: str) -> str:
    text, labels = split_references(text)
    return f"{text}{MARK}{' '.join(labels)}" if labels else text


def _unmark(text: str) -> tuple[str, list[str]]:
    text, _, marks = text.partition(MARK)
    return text.rstrip(), marks.replace(",", " ").split()


def resolve_footnotes(
    blocks: Sequence[Block], definitions: Mapping[str, str]
) -> tuple[list[Block], list[str], list[str]]:
    """Give every body line the URLs of its own references, else of the nearest heading above it that
    has some; return the blocks, each line marked with its URL indexes, the URLs, and the problems
    (a reference with no definition, a definition that is not an http(s) URL: both are ignored).

    A document where no reference resolves to an http(s) URL gets clean blocks and no URLs.
    """
    problems: list[str] = []
    urls: dict[str, int] = {}
    by_label: dict[str, int] = {}
    for label, target in definitions.items():
        url = http_url(target)
        if url is None:
            problems.append(f"footnote [^{label}] is not an http(s) URL ({target[:80]!r}): ignored")
        else:
            by_label[label] = urls.setdefault(url, len(urls))
    undefined: set[str] = set()

    def indexes(labels: Sequence[str]) -> list[int]:
        for label in labels:
            if label not in definitions and label not in undefined:
                undefined.add(label)
                problems.append(f"footnote reference [^{label}] has no definition: ignored")
        return list(dict.fromkeys(by_label[label] for label in labels if label in by_label))

    out: list[Block] = []
    headings: list[tuple[int, list[int]]] = []  # the headings above, with their URL indexes
    for block in blocks:
        if block.level > 0:
            text, labels = _unmark(block.text)
            headings = [h for h in headings if h[0] < block.level]
            headings.append((block.level, indexes(labels)))
            out.append(Block(block.level, text))
            continue
        inherited = next((found for _, found in reversed(headings) if found), [])
        lines = []
        for line in block.text.split("\n"):
            text, labels = _unmark(line)
            if text.strip():  # a line of references only says nothing
                own = indexes(labels)
                lines.append(f"{text}{MARK}{','.join(map(str, own or inherited))}")
        out.append(Block(0, "\n".join(lines)))
    if not urls:
        return (
            [Block(b.level, "\n".join(_unmark(line)[0] for line in b.text.split("\n"))) for b in out],
            [],
            problems,
        )
    return out, list(urls), problems


def with_sources(section: Section, urls: Sequence[str]) -> Section:
    """The section without marks, each of its lines with its URLs."""
    lines: list[str] = []
    sources: list[tuple[str, tuple[str, ...]]] = []
    for line in section.text.split("\n"):
        text, marks = _unmark(line)
        lines.append(text)
        if text:
            sources.append((text, tuple(urls[int(i)] for i in marks)))
    return Section(section.heading_path, "\n".join(lines), section.page, tuple(sources))


def encode_line_sources(lines: Sequence[tuple[str, tuple[str, ...]]]) -> str:
    """The `LINE_SOURCES` value of a chunk: each of its lines with the URLs that back it (maybe none)."""
    urls = list(dict.fromkeys(url for _, line_urls in lines for url in line_urls))
    index = {url: i for i, url in enumerate(urls)}
    rows = [[line, [index[url] for url in line_urls]] for line, line_urls in lines]
    return json.dumps({"urls": urls, "lines": rows}, ensure_ascii=False, separators=(",", ":"))


def is_annotated(meta: Mapping[str, Any]) -> bool:
    """Whether the chunk comes from a document with per-sentence sources."""
    return bool(meta.get(LINE_SOURCES))


def urls_for(meta: Mapping[str, Any], sentence: str) -> tuple[str, ...]:
    """The URL(s) backing `sentence` of the chunk whose metadata is `meta`, most specific first.

    For a document with per-sentence sources: the URLs of the line that holds the sentence (its own
    references, else its heading's), or () when that line has none: a sentence is never linked to a
    URL that does not back it. A text of several lines gets the URLs of each, in order. For a document
    without them (staff uploads, PDFs): the document's URL, as before per-sentence sources existed.
    """
    raw = meta.get(LINE_SOURCES)
    if not raw:
        url = meta.get("url")
        return (str(url),) if url else ()
    table = _table(str(raw))
    found: list[str] = []
    for piece in sentence.split("\n"):
        key = _key(piece)
        if key.strip():
            found.extend(_lookup(table, key))
    return tuple(dict.fromkeys(found))


# A line table: each line of the chunk as " word word ... " with its URLs.
_Table = tuple[tuple[str, frozenset[str], tuple[str, ...]], ...]


@functools.lru_cache(maxsize=8192)  # one parse per chunk, however many of its sentences are cited
def _table(raw: str) -> _Table:
    try:
        data = json.loads(raw)
        urls = [str(url) for url in data["urls"]]
        return tuple(
            (_key(str(line)), frozenset(_key(str(line)).split()), tuple(urls[i] for i in indexes))
            for line, indexes in data["lines"]
        )
    except (ValueError, KeyError, TypeError, IndexError):
        return ()  # unreadable: no URL rather than a wrong one


def _key(text: str) -> str:
    """The words of a text, case-folded, between single spaces: punctuation and list or table
    syntax do not matter, so "- a | b." and "a — b" have the same key."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).casefold())
    return f" {' '.join(words)} "


def _lookup(table: _Table, key: str) -> tuple[str, ...]:
    """The URLs of the first line holding the sentence; failing that, of the line sharing most of its
    words (when it shares enough: the answerer may split or trim a line a little differently)."""
    for line, _, urls in table:
        if key in line:
            return urls
    words = set(key.split())
    if len(words) < _MIN_FUZZY_WORDS:  # a few words in another order prove nothing
        return ()
    scored = ((len(words & line_words) / len(words), urls) for _, line_words, urls in table)
    share, urls = max(scored, key=lambda pair: pair[0], default=(0.0, ()))
    return urls if share >= _MIN_OVERLAP else ()
