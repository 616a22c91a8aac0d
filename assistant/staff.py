"""The staff back end: password hashes, login sessions with throttling, and the corpus documents.

`StaffAuth` keeps sessions and failure counters in memory (a restart logs everyone out) and never
logs a password or a hash. `DocumentManager` saves uploads into the corpus folder, lists and
deletes documents, and resyncs the index. No Gradio here: `ui.py` calls these and shows the errors.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import math
import os
import re
import secrets
import tempfile
import threading
import time
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

log = logging.getLogger(__name__)

# --- User-facing messages (French / English) ------------------------------------------------------

WRONG_CREDENTIALS = "Identifiant ou mot de passe incorrect / Wrong user or password"
LOGIN_REQUIRED = "Connexion requise / Login required"
TOO_MANY_ATTEMPTS = (
    "Trop de tentatives : réessayez dans {seconds} s / Too many attempts: try again in {seconds} s"
)
STAFF_DISABLED = (
    "L'espace équipe est désactivé / The staff area is disabled: set DERCI_STAFF_USER and "
    "DERCI_STAFF_PASSWORD_HASH (make the hash with `derci-assistant hash-password`), then restart."
)
STAFF_BAD_HASH = (
    "L'espace équipe est désactivé / The staff area is disabled: DERCI_STAFF_PASSWORD_HASH is not a hash "
    "made by `derci-assistant hash-password`. Make a new one with that command, then restart."
)
EMPTY_PASSWORD = "Le mot de passe est vide / The password is empty: choose a non-empty password."
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

# --- Passwords --------------------------------------------------------------------------------------

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_SALT_BYTES, _KEY_BYTES = 16, 32


def hash_password(password: str) -> str:
    """An scrypt hash of `password` with a random salt: `scrypt$16384$8$1$<salt b64>$<hash b64>`."""
    if not password:
        raise InputError(EMPTY_PASSWORD)
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _scrypt(password, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P, _KEY_BYTES)
    return "$".join(["scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), _b64(salt), _b64(key)])


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches a hash made by `hash_password`; False for a malformed hash."""
    parsed = _parse_hash(stored)
    if parsed is None:
        return False
    n, r, p, salt, expected = parsed
    key = _scrypt(password, salt, n, r, p, len(expected))
    return hmac.compare_digest(key, expected)


_Hash = tuple[int, int, int, bytes, bytes]


def _parse_hash(stored: str) -> _Hash | None:
    parts = stored.strip().split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return None
    # Bounds keep a hand-edited hash from asking scrypt for gigabytes of memory.
    if not (n >= 2 and n & (n - 1) == 0 and r >= 1 and 1 <= p <= 16 and 128 * n * r <= 2**28):
        return None
    if len(salt) < 8 or not 16 <= len(key) <= 128:
        return None
    return n, r, p, salt, key


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, size: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=size, maxmem=256 * r * n + 2**20
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- Sessions ---------------------------------------------------------------------------------------

_FREE_FAILURES = 3
_MAX_DELAY = 300.0
_MAX_THROTTLE_KEYS = 10_000


@dataclass
class _Failures:
    count: int = 0
    blocked_until: float = 0.0


class StaffAuth:
    """One staff account from the settings, in-memory sessions, and login throttling; thread-safe."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_sessions: int = 100,
        session_ttl: float = 8 * 3600,
    ) -> None:
        if max_sessions < 1 or session_ttl <= 0:
            raise ValueError(
                f"max_sessions and session_ttl must be positive, got {max_sessions}, {session_ttl}."
            )
        self._user = settings.staff_user or ""
        self._hash = settings.staff_password_hash or ""
        self._clock = clock
        self._max_sessions = max_sessions
        self._ttl = session_ttl
        self._sessions: dict[str, float] = {}  # token -> expiry time on `clock`
        self._failures: dict[tuple[str, str], _Failures] = {}
        self._lock = threading.Lock()
        if not (self._user and self._hash):
            self.enabled, self.disabled_reason = False, STAFF_DISABLED
        elif _parse_hash(self._hash) is None:
            self.enabled, self.disabled_reason = False, STAFF_BAD_HASH
        else:
            self.enabled, self.disabled_reason = True, ""

    def __repr__(self) -> str:
        return f"StaffAuth(enabled={self.enabled}, {len(self._sessions)} sessions)"

    def login(self, user: str, password: str, client: str = "") -> str:
        """A new session token for the right user and password.

        Raises:
            InputError: staff access is disabled, the credentials are wrong, or this client and user
                failed too often lately (the message says how long to wait).
        """
        if not self.enabled:
            raise InputError(self.disabled_reason)
        key = (client, user)
        with self._lock:
            now = self._clock()
            failures = self._failures.get(key)
            if failures is not None and now < failures.blocked_until:
                wait = math.ceil(failures.blocked_until - now)
                raise InputError(TOO_MANY_ATTEMPTS.format(seconds=wait))
            # subtle: the attempt counts as a failure before the (slow) check, so parallel guesses
            # cannot all slip past the throttle; a success clears it below.
            failures = self._failures.pop(key, None) or _Failures()
            failures.count += 1
            if failures.count >= _FREE_FAILURES:
                failures.blocked_until = now + min(2.0 ** (failures.count - _FREE_FAILURES), _MAX_DELAY)
            self._failures[key] = failures  # re-inserted: the dict stays ordered oldest first
            while len(self._failures) > _MAX_THROTTLE_KEYS:
                del self._failures[next(iter(self._failures))]
        # Both checks always run, so the time taken does not tell whether the user name exists.
        right_user = hmac.compare_digest(user.encode("utf-8"), self._user.encode("utf-8"))
        right_password = verify_password(password, self._hash)
        if not (right_user and right_password):
            # Not the typed user name: people sometimes type their password into that field.
            log.warning("staff login failed (%s)", "wrong password" if right_user else "unknown user")
            raise InputError(WRONG_CREDENTIALS)
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._failures.pop(key, None)
            now = self._clock()
            self._drop_expired(now)
            while len(self._sessions) >= self._max_sessions:
                oldest = min(self._sessions, key=self._sessions.__getitem__)
                del self._sessions[oldest]
            self._sessions[token] = now + self._ttl
        log.info("staff login succeeded")
        return token

    def check(self, token: str | None) -> bool:
        """Whether `token` is a live session."""
        if not token:
            return False
        with self._lock:
            expiry = self._sessions.get(token)
            if expiry is None:
                return False
            if self._clock() >= expiry:
                del self._sessions[token]
                return False
            return True

    def require(self, token: str | None) -> None:
        """Raise InputError("Connexion requise / Login required") unless `token` is a live session."""
        if not self.check(token):
            raise InputError(LOGIN_REQUIRED)

    def logout(self, token: str | None) -> None:
        """End a session; unknown or empty tokens are ignored."""
        if token:
            with self._lock:
                self._sessions.pop(token, None)

    def _drop_expired(self, now: float) -> None:
        for token in [t for t, expiry in self._sessions.items() if now >= expiry]:
            del self._sessions[token]


# --- Documents ----------------------------------------------------------------------------------------

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
        chunks = Counter(str(c.meta.get("path", "")) for c in self.knowledge.vectors.all_chunks())
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
