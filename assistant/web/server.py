"""Serving the app: uvicorn's settings, and `main()` behind `python ui.py` and `derci-assistant serve`.

Forwarded headers (`X-Forwarded-For`, `X-Forwarded-Proto`) are believed only from the proxies in
`DERCI_TRUSTED_PROXIES`: uvicorn's default trusts them from 127.0.0.1, so any local client (or a
proxy on the same machine that does not overwrite them) could pick its own address and dodge the
login throttle. With no trusted proxy, the client address is the connection's.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.errors import ConfigError

if TYPE_CHECKING:
    import uvicorn


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn.Config keyword arguments for these settings (host, port, proxy headers, logs)."""
    proxies = settings.proxies
    return {
        "host": settings.host,
        "port": settings.port,
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies,  # an empty list: trust no forwarded header at all
        "log_level": "warning",
        "server_header": False,
    }


def uvicorn_config(app: Any, settings: Settings, **overrides: Any) -> uvicorn.Config:
    """A uvicorn.Config serving `app` with `uvicorn_options(settings)` (tests override the port)."""
    import uvicorn

    return uvicorn.Config(app, **{**uvicorn_options(settings), **overrides})


def main(settings: Settings | None = None) -> None:
    """Serve the app on settings.host:settings.port; build the index first if there is none."""
    import uvicorn

    from assistant.web.app import build_app

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
    try:
        settings = settings or Settings.load()
        check_corpus(settings)
        app = build_app(settings=settings)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    print(f"DERCI assistant: open http://{settings.host}:{settings.port}/ (Ctrl+C to stop)", file=sys.stderr)
    uvicorn.Server(uvicorn_config(app, settings)).run()


def check_corpus(settings: Settings) -> None:
    """Raise ConfigError naming the fixes when the corpus folder does not exist."""
    if not settings.corpus_dir.is_dir():
        raise ConfigError(
            f"No corpus folder at {settings.corpus_dir}. Give the folder of documents with --corpus DIR "
            "(or DERCI_CORPUS_DIR), or start from the folder that holds corpus/."
        )
