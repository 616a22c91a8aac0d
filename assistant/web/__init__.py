"""The web app: cited chat, office map and staff area (Gradio), plus a JSON endpoint, on one FastAPI app.

Modules, one job each (the app is `assistant.web.app.build_app`; `ui.py` and `derci-assistant serve`
start it through `assistant.web.server.main`):

    app.py             build_demo() / build_app(): the page, the JSON API and the guards on one app
    server.py          uvicorn settings (proxy headers only from trusted proxies) and main()
    backend.py         the assistant built in the background (retried while the index is unreachable)
    chat.py            the chat page's handlers (plain functions returning named views)
    chat_page.py       the chat page's layout and event wiring
    staff.py           the staff page's handlers
    staff_page.py      the staff page's layout and event wiring; every event checks the session
    api.py             POST /api/ask and the staff CSV export route
    payload.py         the JSON shape of an answer (shared with `derci-assistant ask --json`)
    guards.py          HTTP middleware: security headers and CSP, body size, upload gate, client cookie
    auth.py            staff passwords, sessions bound to the browser
    throttle.py        login throttling per client and per user name
    library.py         the staff's document library: uploads, cached listing, deletion, re-sync
    feedback.py        the feedback store interface (Protocol), its rows and the CSV export
    feedback_sqlite.py the SQLite feedback store
    progress.py        the first index build's progress: files, chunks, time left
    shaping.py         pure message shaping: answers as chat Markdown, staff tables
    messages.py        every user-facing text of the web app, French and English
    mapview.py         the offline SVG office map
    i18n.py            the components whose labels follow the language picker
    style.py           CSS and theme

Only app.py, chat_page.py, staff_page.py, i18n.py and style.py import Gradio, and only server.py
uvicorn (lazily). Nothing in the core (`assistant.*` outside this package, except the CLI) imports
this package.
"""
