"""The web app: cited chat, office map and staff area (Gradio), plus a JSON endpoint, on one FastAPI app.

Modules, one job each (the app is `assistant.web.app.build_app`; `ui.py` and `derci-assistant serve`
start it through `assistant.web.server.main`):

    app.py             build_demo() / build_app(): the page, the JSON API and the guards on one app
    server.py          uvicorn settings (proxy headers only from trusted proxies) and main()
    backend.py         the assistant built in the background (retried while the index is unreachable)
    chat.py            the chat page: its handlers, then its layout
    staff.py           the staff page: its handlers, then its layout
    api.py             POST /api/ask and the staff CSV export route
    payload.py         the JSON shape of an answer (shared with `derci-assistant ask --json`)
    guards.py          HTTP middleware: security headers and CSP, body size, upload gate, client cookie
    auth.py            staff passwords, sessions bound to the browser, login throttling
    library.py         the staff's document library: uploads, cached listing, deletion, re-sync
    feedback.py        the feedback store interface (Protocol), its rows and the CSV export
    feedback_sqlite.py the SQLite feedback store
    progress.py        the first index build's progress: files, chunks, time left
    shaping.py         pure message shaping: answers as chat Markdown, staff tables
    messages.py        every user-facing text of the web app, French and English
    mapview.py         the offline SVG office map
    style.py           CSS and theme

Only app.py, chat.py, staff.py and server.py import Gradio or uvicorn; nothing in the core
(`assistant.*` outside this package, except the CLI) imports this package.
"""
