"""What the pages share: the assistant (built in the background), the feedback store, staff auth, the library.

On first start the index is built in a thread while the page shows its progress. When the index
cannot be reached (a Chroma server that is not up yet, another ingest holding the lock) the build
is retried with a growing delay (1 s up to 15 s), so the app starts answering once the server is
up, without a restart; meanwhile the banner and `/api/ask` say what failed and that it retries.
Errors that a retry cannot fix (an index built with another model, a bad setting) stop the build.
The embedding model is loaded once, not at every retry. Prints progress to the terminal only.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.directory import OfficeDirectory, load_offices
from assistant.errors import AssistantError, IndexError_, ModelMismatchError
from assistant.web.auth import StaffAuth
from assistant.web.feedback import FeedbackStore
from assistant.web.feedback_sqlite import open_store
from assistant.web.messages import Refusal
from assistant.web.progress import ProgressTracker, progress_text

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from assistant.chain import Assistant
    from assistant.web.library import DocumentManager

log = logging.getLogger(__name__)

RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0)  # then every 15 s


class Backend:
    """The assistant, its stores and the staff's library, shared by every page of one app."""

    def __init__(
        self,
        settings: Settings,
        assistant: Assistant | None = None,
        *,
        feedback: FeedbackStore | None = None,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
    ) -> None:
        self.settings = settings
        self.feedback = feedback if feedback is not None else open_store(settings.feedback_db)
        self.auth = StaffAuth(settings)
        self.progress = ProgressTracker()
        self.resync_lock = threading.Lock()
        self.error: str | None = None  # why the last build attempt failed
        self.retry_in: float | None = None  # seconds to the next attempt, when one is planned
        self._assistant = assistant
        self._library: DocumentManager | None = None
        self._retry_delays = retry_delays
        self._changed = threading.Condition()
        self._closed = threading.Event()
        self._printed = 0.0
        self.offices: OfficeDirectory = (
            assistant.knowledge.offices if assistant else load_offices(settings.offices_path)
        )

    def __repr__(self) -> str:
        state = "ready" if self._assistant else ("failed" if self.error else "preparing")
        return f"Backend({state}, {self.feedback!r})"

    @property
    def assistant(self) -> Assistant | None:
        """The assistant once the index is ready, else None."""
        return self._assistant

    def start(self) -> None:
        """Build the assistant in a background thread, unless one was given."""
        if self._assistant is None:
            threading.Thread(target=self._build, name="derci-index", daemon=True).start()

    def close(self) -> None:
        """Stop retrying (the app is shutting down)."""
        self._closed.set()
        with self._changed:
            self._changed.notify_all()

    def wait(self, timeout: float) -> Assistant | None:
        """The assistant, waiting up to `timeout` seconds for the build to end or to fail."""
        with self._changed:
            if self._assistant is None and self.error is None:
                self._changed.wait(timeout)
        return self._assistant

    def library(self) -> DocumentManager:
        """The staff's document library (one for the app, so its listing cache lasts).

        Raises:
            Refusal: the index is not ready yet; or the build error, as it is, if the build failed.
        """
        assistant = self._assistant
        if assistant is None:
            if self.error:
                raise AssistantError(self.error)
            raise Refusal("index_not_ready")
        if self._library is None or self._library.knowledge is not assistant.knowledge:
            from assistant.web.library import DocumentManager

            self._library = DocumentManager(self.settings, assistant.knowledge)
        return self._library

    def status_line(self, lang: str | None) -> str:
        """The build's progress in one line ("Documents read: 4/4. Passages indexed: 10/52.")."""
        return progress_text(lang, self.progress.snapshot())

    # -- the build ------------------------------------------------------------------------------

    def _build(self) -> None:
        from assistant import knowledge
        from assistant.chain import Assistant

        started = time.monotonic()
        _say(
            f"Syncing the index {self.settings.index_dir} with {self.settings.corpus_dir} "
            "(the first start embeds every document; the page shows the progress)..."
        )
        embedder: Embeddings | None = None
        attempt = 0
        while not self._closed.is_set():
            try:
                embedder = embedder or knowledge.default_embedder(self.settings)
                base = knowledge.KnowledgeBase.open(self.settings, embedder, progress=self._report)
                assistant = Assistant(self.settings, knowledge=base)
            except IndexError_ as exc:
                if isinstance(exc, ModelMismatchError):
                    self._fail(str(exc), retry=None)
                    return
                delay = self._retry_delays[min(attempt, len(self._retry_delays) - 1)]
                self._fail(str(exc), retry=delay)
                attempt += 1
                if self._closed.wait(delay):
                    return
                continue
            except AssistantError as exc:
                self._fail(str(exc), retry=None)
                return
            except Exception as exc:  # shown as a banner; the trace goes to the log
                log.exception("index preparation failed")
                self._fail(f"{type(exc).__name__}; see the terminal for details.", retry=None)
                return
            summary = base.last_sync.summary() if base.last_sync else ""
            _say(f"Index ready in {time.monotonic() - started:.0f} s. {summary}")
            with self._changed:
                self._assistant, self.offices = assistant, base.offices
                self.error, self.retry_in = None, None
                self._changed.notify_all()
            return

    def _fail(self, error: str, *, retry: float | None) -> None:
        if retry is None:
            _say(f"The index could not be prepared: {error}")
        elif error != self.error:  # say it once, not at every retry
            _say(f"The index could not be prepared: {error} (retrying every {retry:.0f} s at most)")
        with self._changed:
            self.error, self.retry_in = error, retry
            self._changed.notify_all()

    def _report(self, stage: str, done: int, total: int) -> None:
        self.progress(stage, done, total)
        now = time.monotonic()
        if now - self._printed >= 2.0 or done == total:
            self._printed = now
            _say(f"  index: {stage} {done}/{total}")


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
