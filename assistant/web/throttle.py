"""Login throttling: slow down password guessing per client and per user name, without locking the owner out.

Two counters meet at every login attempt, each with a few free failures, then an exponential back-off
(1 s, 2 s, 4 s ... capped) during which attempts are refused before any password is checked:

- per client: the real client address (forwarded headers count only from configured proxies, see
  `assistant.web.server`), or, for a browser that already logged in successfully as this user, that
  browser (its cookie): other people's failures from the same address never block it;
- per user name: every failure from browsers that never logged in as this user, whatever their
  address, so rotating addresses does not reset the count. Browsers that did log in before skip it:
  an attacker hammering the user name slows himself, not the owner.

Counters are forgotten an hour after their last failure; everything lives in memory (a restart
clears it). Thread-safe. Does not check passwords (`assistant.web.auth` does).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from assistant.web.messages import Refusal

Key = tuple[str, str]


@dataclass
class _Record:
    failures: int = 0
    blocked_until: float = 0.0
    last: float = 0.0


class LoginThrottle:
    """Failure counters per client and per user name, and the browsers known to have logged in."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        free_per_client: int = 5,
        free_per_user: int = 10,
        max_delay: float = 900.0,
        forget_after: float = 3600.0,
        max_keys: int = 10_000,
    ) -> None:
        if min(free_per_client, free_per_user, max_keys) < 1 or max_delay <= 0 or forget_after <= 0:
            raise ValueError("throttle limits must be positive")
        self._clock = clock
        self._free = {"client": free_per_client, "browser": free_per_client, "user": free_per_user}
        self._max_delay = max_delay
        self._forget_after = forget_after
        self._max_keys = max_keys
        self._records: OrderedDict[Key, _Record] = OrderedDict()  # oldest failure first
        self._known: OrderedDict[tuple[str, str], None] = OrderedDict()  # (user, browser) that logged in
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LoginThrottle({len(self._records)} counters, {len(self._known)} known browsers)"

    def attempt(self, user: str, address: str, browser: str | None) -> None:
        """Count one attempt as a failure up front, unless a counter blocks it.

        Counting before the (slow) password check means parallel guesses cannot all slip through;
        `succeeded` takes the count back.

        Raises:
            Refusal: too_many_attempts, naming the seconds to wait.
        """
        with self._lock:
            now = self._clock()
            keys = self._keys(user, address, browser)
            records = [self._record(key, now) for key in keys]
            blocked_until = max(r.blocked_until for r in records)
            if now < blocked_until:
                raise Refusal("too_many_attempts", seconds=math.ceil(blocked_until - now))
            for key, record in zip(keys, records, strict=True):
                record.failures += 1
                record.last = now
                free = self._free[key[0]]
                if record.failures >= free:
                    record.blocked_until = now + min(2.0 ** (record.failures - free), self._max_delay)
                self._records[key] = record
                self._records.move_to_end(key)
            while len(self._records) > self._max_keys:
                self._records.popitem(last=False)

    def succeeded(self, user: str, address: str, browser: str | None) -> None:
        """The password was right: clear this client's counter and remember the browser for `user`."""
        with self._lock:
            for key in self._keys(user, address, browser):
                if key[0] == "user":
                    record = self._records.get(key)
                    if record is not None and record.failures > 0:
                        record.failures -= 1  # the attempt counted up front was not a failure
                else:
                    self._records.pop(key, None)
            if browser:
                self._known[(_name(user), browser)] = None
                self._known.move_to_end((_name(user), browser))
                while len(self._known) > self._max_keys:
                    self._known.popitem(last=False)

    def _keys(self, user: str, address: str, browser: str | None) -> list[Key]:
        if browser and (_name(user), browser) in self._known:
            return [("browser", browser)]
        return [("client", address), ("user", _name(user))]

    def _record(self, key: Key, now: float) -> _Record:
        record = self._records.get(key)
        if record is None or now - record.last >= self._forget_after:
            return _Record()
        return record


def _name(user: str) -> str:
    return " ".join(user.casefold().split())
