"""The staff's document library: uploads, listing, deletion and re-sync of the corpus folder.

`DocumentManager` saves uploads into the corpus folder under a safe name (atomically, never
silently overwriting), lists the supported files with their title and chunk count, deletes one,
and resyncs the index. Every path it is given is checked to stay inside the corpus folder.
No authentication here (`assistant.staff` checks sessions) and no Gradio (`ui.py` calls these
and shows the errors).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from assistant.config import Settings
from assistant.documents import SUPPORTED_SUFFIXES, read_document, scan
from assistant.errors import DocumentError, InputError
from assistant.ingest import SyncReport
from assistant.knowledge import KnowledgeBase

__all__ = ["DocumentInfo", "DocumentManager", "safe_filename"]

log = logging.getLogger(__name__)

# --- User-facing messages (French / English) ------------------------------------------------------

EMPTY_UPLOAD = "Le fichier {name!r} est vide / The file {name!r} is empty."
UPLOAD_TOO_LARGE = (
    "Le fichier {name!r} dépasse la limite de {limit} Mo / "
    "The file {name!r} is larger than the {limit} MB limit."
)
UNSUPPORTED_TYPE = (
    "Type de fichier non accepté : {name!r} / File type not accepted: {name!r}. Allowed types: {allowed}."
)
ALREADY_EXISTS = (
    "Le document {path} existe déjà : cochez « remplacer » pour l'écraser / "
    "The document {path} already exists: confirm the replacement to overwrite it."
)
BAD_FOLDER = "Dossier invalide / Invalid folder: {folder!r}."
BAD_PATH = "Chemin invalide / Invalid path: {path!r} is not a document inside the corpus folder."
NO_SUCH_DOCUMENT = "Document introuvable / No such document: {path}."

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


class DocumentManager:
    """Uploads, listing and deletion of corpus files, and the resync that follows them."""

    def __init__(self, settings: Settings, knowledge: KnowledgeBase) -> None:
        self.settings = settings
        self.knowledge = knowledge

    @property
    def corpus_dir(self) -> Path:
        return self.settings.corpus_dir

    def save_upload(
        self, filename: str, data: bytes, *, overwrite: bool = False, folder: str = "uploads"
    ) -> str:
        """Save an uploaded file under `corpus_dir/<folder>/` and return its path relative to the corpus.

        The name is reduced to a safe basename; the index is not touched until `resync`.

        Raises:
            InputError: empty, too large, unsupported type, bad folder, or the file exists and
                `overwrite` is False.
        """
        name = safe_filename(filename)
        if not data:
            raise InputError(EMPTY_UPLOAD.format(name=name))
        if len(data) > self.settings.max_upload_bytes:
            limit = f"{self.settings.max_upload_bytes / 1024 / 1024:g}"
            raise InputError(UPLOAD_TOO_LARGE.format(name=name, limit=limit))
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise InputError(UNSUPPORTED_TYPE.format(name=name, allowed=", ".join(SUPPORTED_SUFFIXES)))
        parts = PurePosixPath(folder.replace("\\", "/")).parts
        if not parts or not all(_SAFE_PART.fullmatch(part) for part in parts):
            raise InputError(BAD_FOLDER.format(folder=folder))
        rel = PurePosixPath(*parts, name)
        target = self.corpus_dir / rel
        if not target.resolve().is_relative_to(self.corpus_dir.resolve()):
            raise InputError(BAD_PATH.format(path=rel.as_posix()))
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(target, data, overwrite=overwrite, rel=rel.as_posix())
        log.info("saved upload %s (%d bytes)", rel, len(data))
        return rel.as_posix()

    def list_documents(self) -> list[DocumentInfo]:
        """Every supported file of the corpus folder, sorted by path, with its chunk count in the index."""
        chunks = Counter(path for path, _ in self.knowledge.vectors.stored_sources().values())
        max_bytes = self.settings.max_file_bytes
        found, skipped = scan(self.corpus_dir, max_bytes=max_bytes)
        infos = [self._info(path, chunks) for path in found]
        # Too large or unreadable files with a supported suffix are listed too, with the reason.
        for item in skipped:
            path = self.corpus_dir / item.path
            if path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file():
                infos.append(self._info(path, chunks, problem=item.reason))
        return sorted(infos, key=lambda info: info.path)

    def _info(self, path: Path, chunks: Counter[str], problem: str | None = None) -> DocumentInfo:
        rel = path.relative_to(self.corpus_dir).as_posix()
        stat = path.stat()
        title, lang, updated = f"(unreadable: {problem})", "", None
        if problem is None:
            try:
                doc = read_document(path, self.corpus_dir, max_bytes=self.settings.max_file_bytes)
                title, lang, updated = doc.title, doc.lang, doc.updated
            except DocumentError as error:
                title = f"(unreadable: {error.reason})"
        return DocumentInfo(
            path=rel,
            title=title,
            lang=lang,
            chunks=chunks.get(rel, 0),
            updated=updated,
            size=stat.st_size,
            modified=datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="seconds"),
        )

    def delete(self, rel_path: str) -> None:
        """Delete one document file of the corpus; the caller resyncs afterwards.

        Raises:
            InputError: the path leaves the corpus folder, has an unsupported suffix, or is missing.
        """
        raw = rel_path.strip().replace("\\", "/")
        rel = PurePosixPath(raw)
        if not raw or rel.is_absolute() or _DRIVE.match(raw) or ".." in rel.parts:
            raise InputError(BAD_PATH.format(path=rel_path))
        if rel.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise InputError(BAD_PATH.format(path=rel_path))
        target = self.corpus_dir / rel
        if not target.resolve().is_relative_to(self.corpus_dir.resolve()):
            raise InputError(BAD_PATH.format(path=rel_path))
        if not target.is_file():
            raise InputError(NO_SUCH_DOCUMENT.format(path=rel.as_posix()))
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


def _write_atomically(target: Path, data: bytes, *, overwrite: bool, rel: str) -> None:
    # The temporary name starts with a dot, so a crash leaves a file the corpus scan ignores.
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(tmp, 0o644)
        if overwrite:
            os.replace(tmp, target)
            return
        try:
            # A hard link fails if the target exists: no window in which a concurrent upload is lost.
            os.link(tmp, target)
        except FileExistsError:
            raise InputError(ALREADY_EXISTS.format(path=rel)) from None
        except OSError:  # a file system without hard links: check, then replace
            if target.exists():
                raise InputError(ALREADY_EXISTS.format(path=rel)) from None
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
