"""Test-only launcher: the web app on a small corpus with the fake embedder, for the browser tests.

    python -m tests.browser.app_under_test --root DIR --port PORT [--real]

DIR holds `corpus/` (copied by the test); the index, the feedback database and the uploads go under
DIR too. Staff login: user `staff`, password `PASSWORD` below. Answers stream slowly on purpose, so
the test can see partial text. With `--real`: the repository's `corpus/` (read only: no staff area)
and the bundled embedding model, the index built in the background as in production while the page
shows its progress; answers stream at full speed. Never use this for anything but tests.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterator
from pathlib import Path

from assistant.chain import Assistant, Event
from assistant.conversation import History

STAFF_USER = "staff"
PASSWORD = "correct horse battery staple"
DELAY = 0.15  # seconds between streamed deltas
REAL_CORPUS = Path(__file__).resolve().parents[2] / "corpus"


class SlowAssistant(Assistant):
    """The real assistant, streaming its deltas with a pause so a browser can watch them arrive."""

    def stream(self, question: str, history: History = ()) -> Iterator[Event]:
        for event in super().stream(question, history):
            if isinstance(event, str):
                time.sleep(DELAY)
            yield event


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--real", action="store_true", help="the real corpus and embedding model")
    args = parser.parse_args()
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import uvicorn

    from assistant.config import Settings
    from assistant.web.auth import hash_password
    from assistant.web.server import uvicorn_config
    from tests.fakes import HashEmbedder
    from ui import build_app

    root: Path = args.root.resolve()
    if args.real:
        settings = Settings.load(
            environ={}, corpus_dir=REAL_CORPUS, index_dir=root / "index", data_dir=root / "data"
        )
        app = build_app(settings=settings)  # the index builds in the background, as in production
    else:
        settings = Settings.load(
            environ={},
            corpus_dir=root / "corpus",
            index_dir=root / "index",
            data_dir=root / "data",
            refusal_threshold=0.5,
            staff_user=STAFF_USER,
            staff_password_hash=hash_password(PASSWORD),
        )
        app = build_app(SlowAssistant(settings, embedder=HashEmbedder()))
    uvicorn.Server(uvicorn_config(app, settings, host="127.0.0.1", port=args.port)).run()  # as production


if __name__ == "__main__":
    main()
