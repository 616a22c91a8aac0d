"""Pure: cut documents into chunks that fit the embedding model's window, along the document's headings.

all-MiniLM-L6-v2 reads 256 word pieces and silently ignores the rest (measured: appending text past
token 256 leaves the embedding unchanged, cosine 0.9999999). So a chunk is sized on the text that is
actually embedded — "title > heading path" prefix plus body — with the model's own tokenizer.

Algorithm:
1. Each section of a document is one chunk when its prefixed text fits `max_tokens`.
2. A longer section is split on paragraph boundaries, then on sentence boundaries, greedily packing
   units while they fit; a single sentence that alone exceeds the window is cut on word boundaries.
3. Ids hash the document path, heading path and text, so a chunk keeps its id while its content is
   unchanged, and an edited paragraph gets a new id (only that chunk is re-embedded).
4. In a document with per-sentence sources, each chunk's metadata lists its lines with their URLs
   (`assistant.sources.LINE_SOURCES`); a line cut into pieces gives each piece the line's URLs.

Does not read files or call the model: the token counter is passed in.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.documents import SourceDocument
from assistant.errors import DocumentError
from assistant.sources import LINE_SOURCES, encode_line_sources

TokenCounter = Callable[[str], int]
# Chunks one document may make: about 1-2 minutes of embedding on 2 cores (10-20 chunks/s measured),
# and more than a 400-page text needs. A 24 KB file of one-line sections made 5,715 (26 minutes).
MAX_CHUNKS_PER_DOCUMENT = 1500
HEADING_SEPARATOR = " > "
# A sentence ends at . ! ? before a capital, a digit or an opening mark. Not at ";" or ":": "ERC : le
# Conseil ... finance" and "cinq appels : Starting, ..." are one sentence each, and cutting them there
# left halves that answer nothing.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"«(\[A-ZÀ-ÖØ-Þ0-9])")


@dataclass(frozen=True)
class Chunk:
    """A piece of a document, the unit that is embedded, indexed and cited."""

    id: str
    text: str
    doc_path: str
    title: str
    heading_path: tuple[str, ...] = ()
    page: int | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def section(self) -> str:
        return HEADING_SEPARATOR.join(self.heading_path)

    @property
    def embed_text(self) -> str:
        """What the embedding model reads: title and heading path give the chunk its context."""
        return embed_text(self.title, self.heading_path, self.text)

    def __repr__(self) -> str:
        preview = self.text[:40].replace("\n", " ")
        return f"Chunk({self.doc_path}#{self.section or '-'}: {preview!r}...)"


def embed_text(title: str, heading_path: tuple[str, ...], text: str) -> str:
    context = (
        HEADING_SEPARATOR.join((title, *heading_path)) if title else HEADING_SEPARATOR.join(heading_path)
    )
    return f"{context}\n{text}" if context else text


def word_count_tokens(text: str) -> int:
    """A conservative stand-in for a tokenizer: word pieces run ~1.6 per French word, so count 2."""
    return 2 * len(text.split())


def chunk_document(
    doc: SourceDocument,
    count_tokens: TokenCounter = word_count_tokens,
    max_tokens: int = 256,
    *,
    max_chunks: int = MAX_CHUNKS_PER_DOCUMENT,
) -> list[Chunk]:
    """Cut one document into chunks whose embedded text fits `max_tokens`.

    Raises:
        DocumentError: the document would make more than `max_chunks` chunks (it stops there).
    """
    base_meta = chunk_metadata(doc)
    annotated = any(section.sources for section in doc.sections)
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for section in doc.sections:
        prefix = embed_text(doc.title, section.heading_path, "")
        budget = max(16, max_tokens - count_tokens(prefix) - 2)
        lines = _LineSources(section.sources)
        for body in _pack(section.text, count_tokens, budget):
            key = f"{doc.path}\n{section.page}\n{HEADING_SEPARATOR.join(section.heading_path)}\n{body}"
            if len(chunks) == max_chunks:
                raise DocumentError(
                    doc.path, f"too many chunks: over {max_chunks:,} (the limit per document)"
                )
            n = seen.get(key, 0)
            seen[key] = n + 1
            digest = hashlib.sha256(f"{key}\n{n}".encode()).hexdigest()[:32]
            chunks.append(
                Chunk(
                    id=digest,
                    text=body,
                    doc_path=doc.path,
                    title=doc.title,
                    heading_path=section.heading_path,
                    page=section.page,
                    meta={**base_meta, LINE_SOURCES: lines.encode(body)} if annotated else base_meta,
                )
            )
    return chunks


class _LineSources:
    """The URLs of a section's lines, looked up for the lines (or pieces of lines) of its chunks."""

    def __init__(self, sources: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        # whitespace collapsed: a line cut on words comes back with single spaces
        self.sources: list[tuple[str, tuple[str, ...]]] = [
            (" ".join(line.split()), urls) for line, urls in sources
        ]
        self.at = 0  # chunks come in order: look from the last line matched

    def encode(self, body: str) -> str:
        return encode_line_sources([(line, self._urls(line)) for line in body.split("\n") if line.strip()])

    def _urls(self, piece: str) -> tuple[str, ...]:
        piece = " ".join(piece.split())
        for i in itertools.chain(range(self.at, len(self.sources)), range(self.at)):
            if piece in self.sources[i][0]:
                self.at = i
                return self.sources[i][1]
        return ()


def chunk_metadata(doc: SourceDocument) -> dict[str, Any]:
    """Flat, Chroma-compatible metadata shared by every chunk of a document."""
    meta = doc.meta
    sources = meta.get("sources")
    return {
        "doc_id": doc.doc_id,
        "lang": doc.lang,
        "topic": str(meta.get("topic") or ""),
        "office": str(meta.get("office") or ""),
        "url": doc.url or "",
        "sources": "\n".join(str(s) for s in sources) if isinstance(sources, list) else "",
        "updated": doc.updated or "",
        "digest": doc.digest,
        "counterpart": str(meta.get("counterpart") or ""),
    }


def _pack(text: str, count: TokenCounter, budget: int) -> Iterable[str]:
    """Greedily pack paragraphs, then lines, then sentences, then words, into pieces of at most `budget`
    tokens. A paragraph of one sentence per line (the annotated corpus) is cut between its lines."""
    if count(text) <= budget:
        yield text.strip()
        return
    units: list[str] = []
    for para in (p.strip() for p in text.split("\n\n")):
        if not para:
            continue
        if count(para) <= budget:
            units.append(para)
            continue
        for line in (line.strip() for line in para.split("\n")):
            if not line:
                continue
            if count(line) <= budget:
                units.append(line)
                continue
            for sentence in _sentences(line):
                units.extend(
                    [sentence] if count(sentence) <= budget else _split_words(sentence, count, budget)
                )
    current: list[str] = []
    for unit in units:
        candidate = "\n\n".join([*current, unit]) if current else unit
        if current and count(candidate) > budget:
            yield "\n\n".join(current)
            current = [unit]
        else:
            current.append(unit)
    if current:
        yield "\n\n".join(current)


def _sentences(text: str) -> list[str]:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out: list[str] = []
    for line in lines:
        out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


def _split_words(sentence: str, count: TokenCounter, budget: int) -> list[str]:
    words = sentence.split()
    pieces: list[str] = []
    current: list[str] = []
    for word in words:
        if current and count(" ".join([*current, word])) > budget:
            pieces.append(" ".join(current))
            current = []
        current.append(word)
    if current:
        pieces.append(" ".join(current))
    return pieces
