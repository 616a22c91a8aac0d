"""The staff's document library: uploads, listing, deletion and re-sync of the corpus folder.

`DocumentManager` saves uploads into the corpus folder under a safe name (atomically, never silently
overwriting, and only once the file has been read as a document: what cannot be read is refused
with the reader's reason), lists the supported files with their title and chunk count, deletes
one, and re-syncs the index. The listing reads a file only when its size or modification time
changed since the last listing: a refresh costs one `stat` per file. Every path it is given is
checked to stay inside the corpus folder. No authentication here (`auth.py`) and no Gradio.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from assistant.config import Settings
from assistant.documents import SUPPORTED_SUFFIXES, read_document, scan
from assistant.errors import DocumentError
from assistant.ingest import SyncReport
from assistant.knowledge import KnowledgeBase
from assistant.web.messages import Refusal

__all__ = ["DocumentInfo", "DocumentManager", "safe_filename"]

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_DRIVE = re.compile(r"^[A-Za-z]:")
_SAFE_PART = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
_MAX_NAME = 100


@dataclass(frozen=True)
class DocumentInfo:
    """One file of the corpus folder as the staff page lists it."""

    path: str  # relative to the corpus folder, with /
    title: str
    lang: str
    chunks: int  # chunks of this file in the index; 0 until the next resync
    updated: str | None  # the front matter `updated`, when there is one
    size: int  # bytes
    modified: str  # file modification time, ISO 8601 UTC
    problem: str | None = None  # why the file cannot be read (then it has no chunks)


@dataclass(frozen=True)
class _Read:
    """What reading a file once told us, valid while its (mtime_ns, size) stays the same."""

    stamp: tuple[int, int]
    title: str
    lang: str
    updated: str | None
    problem: str | None


class DocumentManager:
    """Uploads, listing and deletion of corpus files, and the resync that follows them; thread-safe."""

    def __init__(self, settings: Settings, knowledge: KnowledgeBase) -> None:
        self.settings = settings
        self.knowledge = knowledge
        self._reads: dict[str, _Read] = {}
        self._lock = threading.Lock()
        self.reads = 0  # files parsed by list_documents since the start (a refresh should add none)

    def __repr__(self) -> str:
        return f"DocumentManager({str(self.corpus_dir)!r}, {len(self._reads)} files known)"

    @property
    def corpus_dir(self) -> Path:
        return self.settings.corpus_dir

    def save_upload(
        self, filename: str, data: bytes, *, overwrite: bool = False, folder: str = "uploads"
    ) -> str:
        """Save an uploaded file under `corpus_dir/<folder>/` and return its path relative to the corpus.

        The name is reduced to a safe basename; the file is read as a document first and refused if
        it cannot be; the index is not touched until `resync`.

        Raises:
            Refusal: empty, too large, unsupported type, unreadable (naming the reader's reason), bad
                folder, or the file exists and `overwrite` is False.
        """
        name = safe_filename(filename)
        if not data:
            raise Refusal("empty_upload", name=name)
        if len(data) > self.settings.max_upload_bytes:
            limit = f"{self.settings.max_upload_bytes / 1024 / 1024:g}"
            raise Refusal("upload_too_large", name=name, limit=limit)
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise Refusal("unsupported_type", name=name, allowed=", ".join(SUPPORTED_SUFFIXES))
        parts = PurePosixPath(folder.replace("\\", "/")).parts
        if not parts or not all(_SAFE_PART.fullmatch(part) for part in parts):
            raise Refusal("bad_folder", folder=folder)
        rel = PurePosixPath(*parts, name)
        target = self.corpus_dir / rel
        if not target.resolve().is_relative_to(self.corpus_dir.resolve()):
            raise Refusal("bad_path", path=rel.as_posix())
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_checked(target, data, overwrite=overwrite, rel=rel.as_posix(), settings=self.settings)
        log.info("saved upload %s (%d bytes)", rel, len(data))
        return rel.as_posix()

    def list_documents(self) -> list[DocumentInfo]:
        """Every supported file of the corpus folder, sorted by path, with its chunk count in the index.

        Unreadable files (too large, broken) are listed too, with the reason as their `problem`.
        """
        chunks = Counter(path for path, _ in self.knowledge.vectors.stored_sources().values())
        found, skipped = scan(self.corpus_dir, max_bytes=self.settings.max_file_bytes)
        problems = {item.path: item.reason for item in skipped}
        paths = list(found) + [
            self.corpus_dir / item.path
            for item in skipped
            if Path(item.path).suffix.lower() in SUPPORTED_SUFFIXES
            and (self.corpus_dir / item.path).is_file()
        ]
        infos: list[DocumentInfo] = []
        seen: set[str] = set()
        for path in paths:
            rel = path.relative_to(self.corpus_dir).as_posix()
            try:
                stat = path.stat()
            except OSError:
                continue  # deleted between the scan and now
            seen.add(rel)
            read = self._read(path, rel, (stat.st_mtime_ns, stat.st_size), problems.get(rel))
            infos.append(
                DocumentInfo(
                    path=rel,
                    title=read.title,
                    lang=read.lang,
                    chunks=chunks.get(rel, 0),
                    updated=read.updated,
                    size=stat.st_size,
                    modified=datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="seconds"),
                    problem=read.problem,
                )
            )
        with self._lock:
            for rel in set(self._reads) - seen:
                del self._reads[rel]
        return sorted(infos, key=lambda info: info.path)

    def _read(self, path: Path, rel: str, stamp: tuple[int, int], problem: str | None) -> _Read:
        with self._lock:
            known = self._reads.get(rel)
        if known is not None and known.stamp == stamp and (problem is None or known.problem == problem):
            return known
        title, lang, updated = "", "", None
        if problem is None:
            try:
                doc = read_document(path, self.corpus_dir, max_bytes=self.settings.max_file_bytes)
                title, lang, updated = doc.title, doc.lang, doc.updated
            except DocumentError as error:
                problem = error.reason
        read = _Read(stamp, title, lang, updated, problem)
        with self._lock:
            self._reads[rel] = read
            self.reads += 1
        return read

    def delete(self, rel_path: str) -> None:
        """Delete one document file of the corpus; the caller resyncs afterwards.

        Raises:
            Refusal: the path leaves the corpus folder, has an unsupported suffix, or is missing.
        """
        raw = rel_path.strip().replace("\\", "/")
        rel = PurePosixPath(raw)
        if not raw or rel.is_absolute() or _DRIVE.match(raw) or ".." in rel.parts:
            raise Refusal("bad_path", path=rel_path)
        if rel.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise Refusal("bad_path", path=rel_path)
        target = self.corpus_dir / rel
        if not target.resolve().is_relative_to(self.corpus_dir.resolve()):
            raise Refusal("bad_path", path=rel_path)
        if not target.is_file():
            raise Refusal("no_such_document", path=rel.as_posix())
        target.unlink()
        log.info("deleted document %s", rel)

    def resync(self, progress: Callable[[str, int, int], None] | None = None) -> SyncReport:
        """Bring the index in line with the corpus folder (after uploads and deletions)."""
        return self.knowledge.resync(progress=progress)


def safe_filename(filename: str) -> str:
    """A basename made only of `[A-Za-z0-9._-]`, without a leading dot, at most 100 characters.

    Accents are dropped ("Présentation.pdf" -> "Presentation.pdf"), other characters become "-",
    directory parts and drive letters are removed; an empty result becomes "upload".
    """
    name = unicodedata.normalize("NFKC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = _DRIVE.sub("", name)
    name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    name = _UNSAFE.sub("-", name).lstrip(".-")
    if len(name) > _MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        keep = f".{suffix}" if dot and stem and len(suffix) < 10 else ""
        name = name[: _MAX_NAME - len(keep)].rstrip(".-") + keep
    return name or "upload"


def _write_checked(target: Path, data: bytes, *, overwrite: bool, rel: str, settings: Settings) -> None:
    """Write `data` to a hidden temporary file beside `target`, read it as a document, then move it in."""
    # The temporary name starts with a dot, so a crash leaves a file the corpus scan ignores; it keeps
    # the suffix, so the document reader for that type reads it.
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=target.suffix)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(tmp, 0o644)
        try:
            read_document(tmp, settings.corpus_dir, max_bytes=settings.max_file_bytes)
        except DocumentError as error:
            raise Refusal("unreadable_upload", name=target.name, reason=error.reason) from None
        if overwrite:
            os.replace(tmp, target)
            return
        try:
            # A hard link fails if the target exists: no window in which a concurrent upload is lost.
            os.link(tmp, target)
        except FileExistsError:
            raise Refusal("already_exists", path=rel) from None
        except OSError:  # a file system without hard links: check, then replace
            if target.exists():
                raise Refusal("already_exists", path=rel) from None
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
