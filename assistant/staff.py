"""The staff back end: password hashes, and login sessions with throttling.

`StaffAuth` keeps sessions and failure counters in memory (a restart logs everyone out) and never
logs a password or a hash. The document library the staff manage once logged in (uploads, listing,
deletion, resync) lives in `assistant.library`; `DocumentInfo`, `DocumentManager` and
`safe_filename` are re-exported here. No Gradio here: `ui.py` calls these and shows the errors.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.config import Settings
from assistant.errors import InputError
from assistant.library import DocumentInfo, DocumentManager, safe_filename

__all__ = [
    "DocumentInfo",
    "DocumentManager",
    "StaffAuth",
    "hash_password",
    "safe_filename",
    "verify_password",
]

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
