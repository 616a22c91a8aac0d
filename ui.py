"""The DERCI assistant's web chat: `python ui.py` serves it on http://127.0.0.1:7860 (never shared).

The app lives in the package `assistant.web`; this file is its entry point. `build_demo()` returns
the Gradio page, `build_app()` the whole app (page, JSON API, guards), `main()` serves it.
"""

from __future__ import annotations

from assistant.web.app import build_app, build_demo
from assistant.web.server import main

__all__ = ["build_app", "build_demo", "main"]

if __name__ == "__main__":
    main()
