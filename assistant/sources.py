"""Pure: the public URL(s) behind each sentence, from Markdown footnote references to citations.

The convention (docs/corpus-guide.md): a body line ends with references `[^n]`; a heading's references
apply to the lines of its section that carry none; definitions `[^n]: https://...` close the file.
`assistant.readers` strips the references and gives each line its URLs; `assistant.chunking` stores,
per chunk, every line with its URLs as JSON under the metadata key `LINE_SOURCES` (Chroma metadata
values are scalars); `urls_for` finds the URLs of one sentence of a chunk, the way the answerer splits
chunks into sentences or close to it.

Does not fetch, check or rewrite URLs (rendering makes them safe: `citations.safe_url`).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "LINE_SOURCES",
    "encode_line_sources",
    "http_url",
    "is_annotated",
    "parse_definition",
    "split_references",
    "urls_for",
]

LINE_SOURCES = "line_sources"
"""Chunk metadata key: JSON `{"urls": [url, ...], "lines": [[line, [url index, ...]], ...]}`."""

# GitHub-flavoured footnote labels; the corpus numbers them, uploads may name them.
_REFERENCE = re.compile(r"[ \t]*\[\^([A-Za-z0-9_-]{1,40})\](?!:)")
_DEFINITION = re.compile(r" {0,3}\[\^([A-Za-z0-9_-]{1,40})\]:[ \t]*(.*?)[ \t]*")
_HTTP_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_MIN_OVERLAP = 0.75  # share of a sentence's words a line must hold when no line holds the sentence as is


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
    scored = ((len(words & line_words) / len(words), urls) for _, line_words, urls in table)
    share, urls = max(scored, key=lambda pair: pair[0], default=(0.0, ()))
    return urls if share >= _MIN_OVERLAP else ()
