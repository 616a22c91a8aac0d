"""The app factory: the Gradio page (chat, map, staff), the JSON API and the HTTP guards, on one FastAPI app.

`build_demo()` returns the Gradio `Blocks`; `build_app()` mounts it at `/` beside `POST /api/ask`
and the staff CSV downloads, behind `guards.Guards`, and is what `server.main` serves. Without an
assistant, one is built from the settings in the background (`backend.py`) while the page shows
the progress. Never `share=True`.

Gradio settings that are security settings here: `blocks.has_launched = True` after mounting (see
the comment there), `blocked_paths`, the upload size limit, no run history, a bounded queue and a
bounded number of sessions kept in memory.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr
from fastapi import FastAPI

from assistant.config import Settings
from assistant.web import chat, chat_page, staff_page
from assistant.web.api import Downloads, install_error_handler, routes
from assistant.web.backend import Backend
from assistant.web.guards import Guards
from assistant.web.i18n import Labels
from assistant.web.mapview import office_map_html
from assistant.web.messages import DEFAULT_LANG, LANG_CHOICES, text
from assistant.web.shaping import preferred_language
from assistant.web.style import CSS, theme

if TYPE_CHECKING:
    from assistant.chain import Assistant

PRIVATE = "private"
QUEUE_SIZE = 256  # events waiting in Gradio's queue; beyond, a request is refused at once (503)
SESSIONS = 2000  # browser sessions whose state Gradio keeps in memory (the oldest go first)


def make_backend(assistant: Assistant | None = None, settings: Settings | None = None) -> Backend:
    """The shared backend, its assistant building in the background if none was given."""
    settings = settings or (assistant.settings if assistant else Settings.load())
    backend = Backend(settings, assistant)
    backend.start()
    return backend


def build_demo(assistant: Assistant | None = None, settings: Settings | None = None) -> gr.Blocks:
    """The Gradio app. Without an assistant, one is built from `settings` in the background."""
    return page(make_backend(assistant, settings), Downloads())


def build_app(
    assistant: Assistant | None = None, settings: Settings | None = None, *, backend: Backend | None = None
) -> FastAPI:
    """A FastAPI app serving the page at `/`, `POST /api/ask` and the staff CSV downloads, guarded."""
    backend = backend or make_backend(assistant, settings)
    downloads = Downloads()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        backend.close()  # no index retry after shutdown

    app = FastAPI(title="DERCI assistant", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.include_router(routes(backend, downloads))
    install_error_handler(app)
    blocks = page(backend, downloads)
    blocks.queue(max_size=QUEUE_SIZE, default_concurrency_limit=1)
    blocks.state_session_capacity = SESSIONS
    mounted: FastAPI = gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        blocked_paths=[str(p) for p in private_paths(backend.settings)],
        css=CSS,
        theme=theme(),
        show_error=False,  # unexpected errors stay in the terminal; the page shows friendly messages
        max_file_size=backend.settings.max_upload_bytes,
        footer_links=["api"],
        run_history=False,
    )
    # subtle: Gradio checks that a file named in a request was uploaded through it (and is not in
    # blocked_paths) only once the Blocks "has launched", which mount_gradio_app never marks. Left
    # unmarked, any event with a chatbot, file or upload input copied a server path chosen by the
    # client ("/etc/passwd") into the cache and served it back.
    blocks.has_launched = True
    mounted.add_middleware(Guards, allow_upload=backend.auth.browser_has_session)
    return mounted


def private_paths(settings: Settings) -> list[Path]:
    """What no file URL may ever serve, whatever Gradio's other rules say."""
    return [
        settings.data_dir,
        settings.index_dir,
        settings.corpus_dir,
        Path("/proc"),
        Path("/etc"),
        Path.home() / ".ssh",
    ]


def page(backend: Backend, downloads: Downloads) -> gr.Blocks:
    """The page: header, index banner, and the chat, map and staff tabs."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    lang0 = DEFAULT_LANG
    labels = Labels()
    # delete_cache: uploads leave Gradio's file cache after an hour (staff uploads are removed at once).
    demo = gr.Blocks(title=text(lang0, "title"), analytics_enabled=False, delete_cache=(3600, 3600))
    with demo:
        with gr.Row(equal_height=True, elem_id="derci-header"):
            labels.add_fn(
                gr.Markdown(f"## {text(lang0, 'title')}", elem_id="derci-title"),
                lambda lg: {"value": f"## {text(lg, 'title')}"},
            )
            lang = gr.Radio(
                list(LANG_CHOICES),
                value=lang0,
                label="Langue / Language",
                elem_id="derci-lang",
                scale=0,
                min_width=240,
            )
        labels.add(gr.Markdown(text(lang0, "intro")), value="intro")
        ready = backend.assistant is not None
        banner = gr.Markdown(chat.banner(backend, lang0), visible=not ready, elem_id="derci-banner")
        timer = gr.Timer(1.0, active=not ready)
        with gr.Tabs(overflow_behavior="wrap", elem_id="derci-tabs"):
            with labels.add(gr.Tab(text(lang0, "tab_chat"), id="chat"), label="tab_chat"):
                chat_page.build(backend, lang, labels)
            with labels.add(gr.Tab(text(lang0, "tab_map"), id="map"), label="tab_map"):
                labels.add(gr.Markdown(text(lang0, "map_intro")), value="map_intro")
                office_map = gr.HTML(office_map_html(backend.offices, lang0), js_on_load=None)
                labels.add_fn(office_map, lambda lg: {"value": office_map_html(backend.offices, lg)})
            with labels.add(gr.Tab(text(lang0, "tab_staff"), id="staff"), label="tab_staff"):
                staff_page.build(backend, downloads, lang, labels)

        def relabel(ui_lang: str) -> list[Any]:
            return labels.updates(ui_lang)

        def detect(request: gr.Request) -> str:
            return preferred_language(request.headers.get("accept-language"))

        def tick(ui_lang: str) -> list[Any]:
            done = backend.assistant is not None
            return [
                gr.update(value=chat.banner(backend, ui_lang), visible=not done),
                gr.Timer(active=not done),
            ]

        lang.change(relabel, lang, labels.components, api_visibility=PRIVATE, show_progress="hidden")
        demo.load(detect, None, lang, api_visibility=PRIVATE, show_progress="hidden")
        timer.tick(tick, lang, [banner, timer], api_visibility=PRIVATE, show_progress="hidden")
    return demo
