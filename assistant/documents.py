"""Corpus files -> documents: finds them, reads their bytes, and builds `SourceDocument`s.

`scan` lists the files of a corpus folder, `read_document` reads one, `load_documents` does both
and turns every unreadable or duplicate file into a `Skipped` with a short reason. The per-format
parsing (Markdown, text, HTML, PDF, DOCX) lives in `assistant.readers`; this module is the public
face and re-exports `Section`. All text comes out normalised (NFC, `\\n` line ends, no control or
zero-width characters, single spaces).
Does not chunk, embed or index, and reads no YAML directory (offices, tools, glossary).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from assistant.errors import ConfigError, DocumentError
from assistant.readers import DEFAULT_LIMITS, PARSERS, Limits, Section

__all__ = [
    "DEFAULT_LIMITS",
    "SUPPORTED_SUFFIXES",
    "Limits",
    "Section",
    "Skipped",
    "SourceDocument",
    "detect_language",
    "load_documents",
    "read_document",
    "scan",
]

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
OUTSIDE_FILE = "symlink to a file outside the corpus"
OUTSIDE_FOLDER = "symlink to a folder outside the corpus"
_SILENT_SUFFIXES = (".yaml", ".yml")  # directories, read by other modules


@dataclass(frozen=True, repr=False)
class SourceDocument:
    """One corpus file, read: where it lives, its title, front matter and sections."""

    path: str
    doc_id: str
    title: str
    lang: str
    meta: Mapping[str, Any] = field(hash=False)  # a mappingproxy is unhashable
    sections: tuple[Section, ...]
    digest: str
    warnings: tuple[str, ...] = field(default=(), compare=False)  # what the reader ignored, and why

    def __post_init__(self) -> None:
        if not isinstance(self.meta, MappingProxyType):
            object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    @property
    def url(self) -> str | None:
        """The first public source of the document, if the front matter gives one."""
        sources = self.meta.get("sources")
        if isinstance(sources, list) and sources and isinstance(sources[0], str):
            return sources[0]
        for key in ("url", "source"):
            value = self.meta.get(key)
            if isinstance(value, str) and value:
                return value
        return None

    @property
    def updated(self) -> str | None:
        """The front matter `updated` value as text (a year, usually)."""
        value = self.meta.get("updated")
        return None if value is None else str(value)

    def __repr__(self) -> str:
        return f"SourceDocument({self.path!r}, {self.title!r}, {len(self.sections)} sections)"


@dataclass(frozen=True)
class Skipped:
    """A file left out of the corpus, with a short human reason."""

    path: str
    reason: str


# --- Language -------------------------------------------------------------------------------------

_FRENCH_WORDS = frozenset(
    {
        "le", "la", "les", "un", "une", "des", "du", "de", "et", "est", "sont", "pour", "dans",
        "par", "sur", "au", "aux", "avec", "ce", "cette", "ces", "qui", "que", "qu", "il", "elle",
        "ils", "elles", "nous", "vous", "leur", "leurs", "son", "sa", "ses", "pas", "ne", "plus",
        "été", "être", "ont", "où", "l", "d", "n", "mais", "ou", "donc", "aussi", "très", "entre",
        "depuis", "selon", "à"
    }
)  # fmt: skip
_ENGLISH_WORDS = frozenset(
    {
        "the", "of", "and", "to", "in", "is", "are", "was", "were", "for", "with", "that", "this",
        "by", "from", "an", "be", "it", "at", "or", "has", "have", "had", "which", "not", "its",
        "their", "they", "we", "you", "he", "she", "been", "also", "into", "than", "these",
        "those", "there", "would", "can", "will", "but"
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """Guess "fr", "en" or "unknown" by counting French and English stop words."""
    french = english = 0
    for word in _WORD.findall(text[:20_000].lower()):
        french += word in _FRENCH_WORDS
        english += word in _ENGLISH_WORDS
    if french + english < 3:
        return "unknown"
    share = french / (french + english)
    return "fr" if share >= 0.65 else "en" if share <= 0.35 else "unknown"


# --- Reading one file -----------------------------------------------------------------------------


def read_document(
    path: Path, root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, limits: Limits = DEFAULT_LIMITS
) -> SourceDocument:
    """Read one supported file under `root` into a document.

    Raises:
        DocumentError: the file cannot be turned into a document; `reason` says why in a few words.
    """
    rel = _relative(path, root)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(rel, _unsupported(suffix))
    if not path.resolve().is_relative_to(root.resolve()):  # checked again here: links change
        raise DocumentError(rel, OUTSIDE_FILE)
    data = _read_bytes(path, rel, max_bytes)
    parsed = PARSERS[suffix](data, rel, limits)
    if not parsed.sections:
        raise DocumentError(rel, "empty file")
    lang = str(parsed.meta.get("lang") or "").strip().lower()
    return SourceDocument(
        path=rel,
        doc_id=PurePosixPath(rel).with_suffix("").as_posix(),
        title=parsed.title or _readable_stem(path),
        lang=lang or detect_language("\n".join(s.text for s in parsed.sections)),
        meta=MappingProxyType(parsed.meta),
        sections=parsed.sections,
        digest=hashlib.sha256(data).hexdigest(),
        warnings=parsed.warnings,
    )


def _relative(path: Path, root: Path) -> str:
    for candidate, base in ((path, root), (path.resolve(), root.resolve())):
        if candidate.is_relative_to(base):
            return candidate.relative_to(base).as_posix()
    raise DocumentError(str(path), f"not under the corpus folder {root}")


def _read_bytes(path: Path, rel: str, max_bytes: int) -> bytes:
    try:
        if path.stat().st_size > max_bytes:
            raise DocumentError(rel, _too_large(max_bytes))
        with path.open("rb") as file:
            # In pieces: read(n) sets n bytes aside at once (50 MB per file), and the file may have
            # grown since stat.
            pieces: list[bytes] = []
            left = max_bytes + 1
            while left > 0 and (piece := file.read(min(left, 1 << 20))):
                pieces.append(piece)
                left -= len(piece)
            data = b"".join(pieces)
    except FileNotFoundError:
        raise DocumentError(rel, "vanished during ingest") from None
    except OSError as error:
        raise DocumentError(rel, f"unreadable: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise DocumentError(rel, _too_large(max_bytes))
    if not data:
        raise DocumentError(rel, "empty file (0 bytes)")
    return data


def _too_large(max_bytes: int) -> str:
    if max_bytes >= 1 << 20:
        size = f"{max_bytes / (1 << 20):g} MB"
    elif max_bytes >= 1 << 10:
        size = f"{max_bytes / (1 << 10):g} KB"
    else:
        size = f"{max_bytes} bytes"
    return f"larger than the {size} limit"


def _unsupported(suffix: str) -> str:
    return f"unsupported type {suffix or '(no extension)'}"


def _readable_stem(path: Path) -> str:
    words = re.sub(r"[-_\s]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


# --- The corpus folder ----------------------------------------------------------------------------


def scan(root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[Path], list[Skipped]]:
    """The readable files under `root`, sorted, and the files left out with their reason.

    Hidden files, Office lock files (`~$*`), `.yaml` directories and the top-level README.md
    are left out silently.
    """
    if not root.is_dir():
        raise ConfigError(
            f"The corpus folder {root} does not exist or is not a folder. "
            "Set DERCI_CORPUS_DIR to the folder that holds the documents."
        )
    scanner = _Scanner(root, max_bytes)
    scanner.walk(root, (root.resolve(),))
    return (
        sorted(scanner.found, key=lambda p: _relative(p, root)),
        sorted(scanner.skipped, key=lambda s: s.path),
    )


class _Scanner:
    """Depth-first walk that follows symlinks inside the corpus but never into a loop, and refuses
    symlinks (to files or folders) that lead outside it."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.max_bytes = max_bytes
        self.found: list[Path] = []
        self.skipped: list[Skipped] = []
        self.visited: set[Path] = {self.real_root}

    def walk(self, folder: Path, ancestors: tuple[Path, ...]) -> None:
        try:
            with os.scandir(folder) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError as error:
            self._skip(folder, f"unreadable folder: {error.strerror or error}")
            return
        for name in names:
            if name.startswith((".", "~$")):
                continue
            try:
                self._visit(folder / name, ancestors)
            except OSError as error:
                self._skip(folder / name, f"unreadable: {error.strerror or error}")

    def _visit(self, path: Path, ancestors: tuple[Path, ...]) -> None:
        real = Path(os.path.realpath(path))
        if path.is_symlink():
            if not real.exists():
                self._skip(path, "broken symlink")
                return
            if real.is_dir() and any(a.is_relative_to(real) for a in ancestors):
                self._skip(path, "symlink loop")
                return
            if not real.is_relative_to(self.real_root):
                self._skip(path, OUTSIDE_FOLDER if real.is_dir() else OUTSIDE_FILE)
                return
            if real.is_dir() and real in self.visited:
                self._skip(path, "symlink to a folder already read")
                return
        if path.is_dir():
            self.visited.add(real)
            self.walk(path, (*ancestors, real))
        elif path.is_file():
            self._file(path, at_top=len(ancestors) == 1)
        else:
            self._skip(path, "not a regular file")

    def _file(self, path: Path, *, at_top: bool) -> None:
        suffix = path.suffix.lower()
        if suffix in _SILENT_SUFFIXES or (at_top and path.name.lower() == "readme.md"):
            return
        if suffix not in SUPPORTED_SUFFIXES:
            self._skip(path, _unsupported(suffix))
        elif path.stat().st_size > self.max_bytes:
            self._skip(path, _too_large(self.max_bytes))
        else:
            self.found.append(path)

    def _skip(self, path: Path, reason: str) -> None:
        self.skipped.append(Skipped(path.relative_to(self.root).as_posix(), reason))


def load_documents(
    root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[SourceDocument], list[Skipped]]:
    """Every readable document under `root`, and every file left out with its reason."""
    paths, skipped = scan(root, max_bytes=max_bytes)
    documents: list[SourceDocument] = []
    first_by_digest: dict[str, str] = {}
    for path in paths:
        try:
            document = read_document(path, root, max_bytes=max_bytes, limits=limits)
        except DocumentError as error:
            skipped.append(Skipped(error.path, error.reason))
            continue
        original = first_by_digest.setdefault(document.digest, document.path)
        if original != document.path:
            skipped.append(Skipped(document.path, f"duplicate of {original}"))
        else:
            documents.append(document)
    return documents, sorted(skipped, key=lambda s: s.path)
