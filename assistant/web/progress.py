"""The first index build's progress as the page shows it: files read, passages embedded, time left.

`ProgressTracker` is the `progress(stage, done, total)` callback that `sync_index` calls (stages
"reading" and "embedding"); `Snapshot` is what it knew at one moment; `progress_text` turns a
snapshot into one line in the interface language, with the time left estimated from the embedding
rate measured so far (none before there is a rate to measure). Pure but for the tracker's clock.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from assistant.citations import escape_markdown
from assistant.web.messages import text


@dataclass(frozen=True)
class Snapshot:
    """What the build reported so far, and when (seconds on the tracker's clock)."""

    files: tuple[int, int] | None = None  # (read, total)
    chunks: tuple[int, int] | None = None  # (embedded, to embed)
    embedding_since: float | None = None  # when the first embedding report came
    embedded_then: int = 0  # passages already embedded at that first report
    now: float = 0.0

    def seconds_left(self) -> float | None:
        """Time left at the embedding rate measured so far; None until one second of it was seen."""
        if self.chunks is None or self.embedding_since is None:
            return None
        done, total = self.chunks
        elapsed = self.now - self.embedding_since
        if done >= total:
            return 0.0
        if elapsed < 1.0 or done <= self.embedded_then:
            return None
        rate = (done - self.embedded_then) / elapsed
        return (total - done) / rate


class ProgressTracker:
    """The progress callback of an index sync, readable from other threads."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._snapshot = Snapshot(now=clock())
        self._lock = threading.Lock()

    def __call__(self, stage: str, done: int, total: int) -> None:
        with self._lock:
            now = self._clock()
            current = self._snapshot
            if stage == "reading":
                self._snapshot = replace(current, files=(done, total), now=now)
            elif stage == "embedding":
                since, then = current.embedding_since, current.embedded_then
                if since is None:
                    since, then = now, done
                self._snapshot = replace(
                    current, chunks=(done, total), embedding_since=since, embedded_then=then, now=now
                )

    def snapshot(self) -> Snapshot:
        """What is known now (its `now` is the current time, so the time left keeps moving)."""
        with self._lock:
            return replace(self._snapshot, now=self._clock())


def progress_text(lang: str | None, snapshot: Snapshot) -> str:
    """ "Documents read: 40/40. Passages indexed: 300/1200. About 2 min left." (or "Starting.")."""
    parts: list[str] = []
    if snapshot.files is not None:
        parts.append(text(lang, "progress_files", done=snapshot.files[0], total=snapshot.files[1]))
    if snapshot.chunks is not None:
        parts.append(text(lang, "progress_chunks", done=snapshot.chunks[0], total=snapshot.chunks[1]))
    left = snapshot.seconds_left()
    if left is not None and left > 0:
        if left < 90:
            parts.append(text(lang, "progress_eta_s", n=max(5, 5 * math.ceil(left / 5))))
        else:
            parts.append(text(lang, "progress_eta_min", n=math.ceil(left / 60)))
    return " ".join(parts) if parts else text(lang, "progress_starting")


def preparing_markdown(lang: str | None, snapshot: Snapshot) -> str:
    """The banner shown while the index is being prepared."""
    return text(lang, "preparing", progress=escape_markdown(progress_text(lang, snapshot)))
