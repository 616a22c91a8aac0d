"""Staff authentication: scrypt password hashes, and login sessions bound to the browser that logged in.

A session token lives only in the server-side state of the page that logged in (never sent to the
browser), and is bound to that browser's secret cookie (`assistant.web.guards`: HttpOnly, SameSite,
never in a URL). A request must carry both: whoever learns a page's `session_hash` (it travels in
`queue/data?session_hash=` URLs, hence in proxy logs) cannot replay the session from another
client. Sessions expire after 8 hours, or 1 hour without use. Login attempts go through
`LoginThrottle`. Nothing here logs a password, a hash, a token or a cookie. No Gradio here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.config import Settings
from assistant.web.messages import Refusal
from assistant.web.throttle import LoginThrottle

log = logging.getLogger(__name__)

# --- Passwords --------------------------------------------------------------------------------------

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_SALT_BYTES, _KEY_BYTES = 16, 32


def hash_password(password: str) -> str:
    """An scrypt hash of `password` with a random salt: `scrypt$16384$8$1$<salt b64>$<hash b64>`."""
    if not password:
        raise Refusal("empty_password")
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
        password.encode("utf-8", "surrogatepass"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        dklen=size,
        maxmem=256 * r * n + 2**20,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- Sessions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Client:
    """Who is asking: the real client address and the browser's secret cookie (None if it sent none)."""

    address: str
    browser: str | None

    def __repr__(self) -> str:  # the cookie is a secret: never in a log line
        return f"Client({self.address!r}, browser={'yes' if self.browser else 'no'})"


@dataclass
class _Session:
    browser: bytes  # SHA-256 of the browser cookie it is bound to
    expires: float
    idle_until: float


class StaffAuth:
    """One staff account from the settings, in-memory sessions bound to a browser, throttled logins."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.monotonic,
        throttle: LoginThrottle | None = None,
        max_sessions: int = 100,
        session_ttl: float = 8 * 3600,
        idle_ttl: float = 3600,
    ) -> None:
        if max_sessions < 1 or session_ttl <= 0 or idle_ttl <= 0:
            raise ValueError(
                f"max_sessions, session_ttl and idle_ttl must be positive, got "
                f"{max_sessions}, {session_ttl}, {idle_ttl}."
            )
        self._user = settings.staff_user or ""
        self._hash = settings.staff_password_hash or ""
        self._clock = clock
        self._throttle = throttle or LoginThrottle(clock=clock)
        self._max_sessions = max_sessions
        self._ttl = session_ttl
        self._idle = idle_ttl
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()
        self.disabled: str | None  # the message name saying why the staff area is off, else None
        if not (self._user and self._hash):
            self.disabled = "staff_disabled"
        elif _parse_hash(self._hash) is None:
            self.disabled = "staff_bad_hash"
        else:
            self.disabled = None

    @property
    def enabled(self) -> bool:
        return self.disabled is None

    def __repr__(self) -> str:
        return f"StaffAuth(enabled={self.enabled}, {len(self._sessions)} sessions)"

    def login(self, user: str, password: str, client: Client) -> str:
        """A new session token bound to `client.browser`, for the right user and password.

        Raises:
            Refusal: staff access is disabled, the browser sent no cookie, the attempt is throttled
                (the message says how long to wait) or the credentials are wrong.
        """
        if self.disabled is not None:
            raise Refusal(self.disabled)
        if not client.browser:
            raise Refusal("no_cookie")
        self._throttle.attempt(user, client.address, client.browser)
        # Both checks always run, so the time taken does not tell whether the user name exists.
        right_user = hmac.compare_digest(
            user.encode("utf-8", "surrogatepass"), self._user.encode("utf-8", "surrogatepass")
        )
        right_password = verify_password(password, self._hash)
        if not (right_user and right_password):
            # Not the typed user name: people sometimes type their password into that field.
            log.warning("staff login failed (%s)", "wrong password" if right_user else "unknown user")
            raise Refusal("wrong_credentials")
        self._throttle.succeeded(user, client.address, client.browser)
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = self._clock()
            self._drop_expired(now)
            while len(self._sessions) >= self._max_sessions:
                oldest = min(self._sessions, key=lambda t: self._sessions[t].expires)
                del self._sessions[oldest]
            self._sessions[token] = _Session(_digest(client.browser), now + self._ttl, now + self._idle)
        log.info("staff login succeeded")
        return token

    def check(self, token: str | None, browser: str | None) -> bool:
        """Whether `token` is a live session bound to the browser whose cookie is `browser`."""
        if not token or not browser:
            return False
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return False
            now = self._clock()
            if now >= min(session.expires, session.idle_until):
                del self._sessions[token]
                return False
            if not hmac.compare_digest(session.browser, _digest(browser)):
                return False
            session.idle_until = now + self._idle
            return True

    def require(self, token: str | None, browser: str | None) -> None:
        """Raise Refusal("login_required") unless `token` is a live session of this browser."""
        if not self.check(token, browser):
            raise Refusal("login_required")

    def browser_has_session(self, browser: str | None) -> bool:
        """Whether this browser holds a live session: the gate of Gradio's upload route."""
        if not browser:
            return False
        digest = _digest(browser)
        with self._lock:
            self._drop_expired(self._clock())
            return any(hmac.compare_digest(s.browser, digest) for s in self._sessions.values())

    def logout(self, token: str | None) -> None:
        """End a session; unknown or empty tokens are ignored."""
        if token:
            with self._lock:
                self._sessions.pop(token, None)

    def _drop_expired(self, now: float) -> None:
        for token in [t for t, s in self._sessions.items() if now >= min(s.expires, s.idle_until)]:
            del self._sessions[token]


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).digest()
