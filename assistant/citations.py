"""Pure: citation numbering, [n] parsing, support checks, and rendering of answers (Markdown, text, JSON).

A citation number always points to one retrieved passage; numbers run from 1 in order of first use.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import quote

from assistant.analysis import content_words, stems, text_stems
from assistant.sources import urls_for

MARKER = re.compile(r"\[(\d{1,3})\]")
_SNIPPET_CHARS = 280


@dataclass(frozen=True)
class Citation:
    """One numbered source of an answer."""

    n: int
    title: str
    url: str | None
    path: str
    section: str = ""
    page: int | None = None
    snippet: str = ""
    similarity: float | None = None
    updated: str | None = None
    chunk_id: str = ""
    sources: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Citation([{self.n}] {self.path}#{self.section})"


STATUSES = ("answered", "partial", "gap", "refused")


@dataclass(frozen=True)
class Answer:
    """What the user reads: text with [n] markers, the citations they point to, and how it answered.

    `status`: "answered" (every part of the question answered), "partial" (some parts; the answer says
    which the documents do not give), "gap" (the documents do not give what was asked; the answer says
    so), "refused" (outside the documentation, or nothing relevant found). `refused` is True exactly
    for "refused".
    """

    text: str
    citations: tuple[Citation, ...] = ()
    refused: bool = False
    lang: str = "en"
    question: str = ""
    notice: str | None = None
    backend: str = "offline"
    evidence: float = 0.0
    meta: Mapping[str, Any] = field(default_factory=dict)
    status: str = ""

    def __post_init__(self) -> None:
        status = self.status or ("refused" if self.refused else "answered")
        if status not in STATUSES:
            raise ValueError(f"Answer status {status!r} is not one of {', '.join(STATUSES)}.")
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "refused", status == "refused")

    def __repr__(self) -> str:
        return f"Answer({self.status}, {len(self.citations)} citations, {self.text[:60]!r}...)"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["citations"] = [asdict(c) for c in self.citations]
        data["meta"] = dict(self.meta)
        return data


def citation_from_meta(
    n: int, chunk_id: str, text: str, meta: Mapping[str, Any], snippet: str, similarity: float | None
) -> Citation:
    """The citation of a chunk for the sentence `snippet` (the whole chunk `text` when empty).

    `url` is the first URL backing that sentence (`assistant.sources.urls_for`): None when the
    document gives sentences their own sources and this one has none; `sources` lists the document's.
    """
    sources = tuple(s for s in str(meta.get("sources") or "").split("\n") if s)
    page = meta.get("page")
    urls = urls_for(meta, snippet or text)
    return Citation(
        n=n,
        title=str(meta.get("title") or meta.get("path") or ""),
        url=urls[0] if urls else None,
        path=str(meta.get("path") or ""),
        section=str(meta.get("section") or ""),
        page=int(page) if isinstance(page, (int, float)) and page > 0 else None,
        snippet=shorten(snippet or text),
        similarity=similarity,
        updated=str(meta.get("updated")) if meta.get("updated") else None,
        chunk_id=chunk_id,
        sources=sources,
    )


def shorten(text: str, limit: int = _SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def markers(text: str) -> list[int]:
    """The citation numbers used in a text, in order, with repeats."""
    return [int(m) for m in MARKER.findall(text)]


def support(sentence: str, passage: str) -> float:
    """Share of the sentence's content words (by stem) that the passage contains: 0 to 1."""
    own = _claim_stems(sentence)
    if not own:
        return 1.0
    theirs = text_stems(passage)
    return sum(1 for word_stems in own if not word_stems.isdisjoint(theirs)) / len(own)


@functools.lru_cache(maxsize=4096)  # a claim is checked against several passages in a row
def _claim_stems(sentence: str) -> tuple[frozenset[str], ...]:
    """The stems of each distinct content word of a sentence (citation markers left out)."""
    return tuple(frozenset(stems(w)) for w in dict.fromkeys(content_words(MARKER.sub("", sentence))))


def renumber(text: str, mapping: Mapping[int, int]) -> str:
    """Rewrite [old] markers as [new]; markers with no mapping are removed."""

    def sub(m: re.Match[str]) -> str:
        new = mapping.get(int(m.group(1)))
        return f"[{new}]" if new else ""

    return re.sub(r"\s*\[(\d{1,3})\]", lambda m: (" " if mapping.get(int(m.group(1))) else "") + sub(m), text)


def to_markdown(answer: Answer, *, link_markers: bool = True) -> str:
    """The answer text as Markdown; [n] become links to the n-th source's public URL when it has one."""
    urls = {c.n: c.url for c in answer.citations}
    parts = MARKER.split(answer.text)  # text, number, text, number, ..., text
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(escape_markdown(part))
            continue
        n = int(part)
        url = safe_url(urls.get(n)) if link_markers else None
        out.append(f'[\\[{n}\\]]({url} "source {n}")' if url else f"\\[{n}\\]")
    return "".join(out)


def sources_markdown(citations: Sequence[Citation], lang: str = "en") -> str:
    """A numbered list of sources: title, section, page, date, snippet, public URL and local document."""
    if not citations:
        return ""
    labels = _LABELS[lang if lang in _LABELS else "en"]
    lines = [f"**{labels['sources']}**", ""]
    for c in citations:
        head = f"{c.n}. **{escape_markdown(c.title)}**"
        if c.section:
            head += f" — {escape_markdown(c.section)}"
        details = []
        if c.page:
            details.append(f"{labels['page']} {c.page}")
        if c.updated:
            details.append(f"{labels['updated']} {escape_markdown(c.updated)}")
        if details:
            head += f" ({', '.join(details)})"
        lines.append(head)
        if c.snippet:
            lines.append(f"   > {escape_markdown(c.snippet)}")
        links = []
        url = safe_url(c.url)
        if url:
            links.append(f"[{labels['public']}]({url})")
        links.append(f"{labels['local']} {escape_markdown(c.path)}")
        lines.append("   " + " · ".join(links))
    return "\n".join(lines)


def to_text(answer: Answer) -> str:
    """Plain text for terminals: the answer, then the numbered sources."""
    out = [answer.text]
    if answer.notice:
        out.insert(0, f"({answer.notice})")
    if answer.citations:
        out.append("")
        for c in answer.citations:
            where = (
                f"{c.path}" + (f" > {c.section}" if c.section else "") + (f" p.{c.page}" if c.page else "")
            )
            out.append(f"[{c.n}] {c.title} — {where}" + (f" ({c.updated})" if c.updated else ""))
            if c.url:
                out.append(f"    {c.url}")
    return "\n".join(out)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL made safe inside a Markdown link target; None for anything else (javascript:, ...)."""
    if not url or not re.match(r"^https?://", url.strip(), re.IGNORECASE):
        return None
    return quote(url.strip(), safe=":/?#[]@!$&'*+,;=%~-._").replace("(", "%28").replace(")", "%29")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def escape_markdown(text: str) -> str:
    """Escape HTML and Markdown syntax so document text shows as text and runs nothing."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def unique_in_order(values: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(values))


_LABELS = {
    "fr": {
        "sources": "Sources",
        "page": "page",
        "updated": "mis à jour",
        "public": "source publique",
        "local": "document",
    },
    "en": {
        "sources": "Sources",
        "page": "page",
        "updated": "updated",
        "public": "public source",
        "local": "document",
    },
}
