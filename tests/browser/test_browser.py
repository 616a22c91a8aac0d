"""The web app in a real Chromium: chat FR/EN with sources, feedback, map offline, staff area, escaping,
and the page on a phone (390 px) and a desktop (1280 px).

The app runs in a subprocess (tests/browser/app_under_test.py) on a free loopback port, on a copy of
the tiny corpus plus a document full of HTML, with the fake embedder. Every page blocks requests that
leave loopback and the test asserts none was attempted (except the stubbed public source it opens),
and that the page's Content-Security-Policy refused nothing of the app's own.
Screenshots land in test-output/browser/. Needs Debian's /usr/bin/chromium (no `playwright install`).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.browser.app_under_test import PASSWORD, STAFF_USER
from tests.browser.serving import LOOPBACK, PROJECT, SHOTS, chromium, needs_chromium, served

pytestmark = pytest.mark.browser

TINY_CORPUS = PROJECT / "tests" / "data" / "tiny_corpus"
STUB_HOSTS = {"example.org"}  # public sources of the tiny corpus: served by a stub when a test opens one

HOSTILE_DOC = """---
title: "Zebra programme <img src=x onerror=\\"window.__pwned=3\\">"
lang: en
topic: tools
counterpart: fr/outil-iea
sources: ["https://example.org/zebra"]
updated: 2025
summary: "The zebra programme funds zebra stripe research."
---

# Zebra programme

## Funding

The zebra programme funds zebra stripe research <script>window.__pwned=1</script> in savanna laboratories.
The zebra programme also funds zebra stripe workshops <img src=x onerror="window.__pwned=2"> every year.
"""

UPLOAD_DOC = """---
title: "Okapi programme"
lang: en
updated: 2025
---

# Okapi programme

## Funding

The okapi programme funds okapi conservation research in rainforest laboratories.
"""


@dataclass
class Network:
    """Requests a page made outside loopback (blocked) and to stubbed hosts (answered by a stub), and
    what the page's Content-Security-Policy refused."""

    outside: list[str] = field(default_factory=list)
    stubbed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def app_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("webapp")
    shutil.copytree(TINY_CORPUS, root / "corpus")
    (root / "corpus" / "en" / "zebra-programme.md").write_text(HOSTILE_DOC, encoding="utf-8")
    (root / "okapi-programme.md").write_text(UPLOAD_DOC, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def server(app_root: Path) -> Iterator[str]:
    needs_chromium()
    with served(app_root) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _open(
    browser: Any, base: str, lang: str, network: Network, viewport: tuple[int, int] = (1400, 1000)
) -> Any:
    """A fresh page on the app, in a browser that prefers `lang`, with the network limited to loopback."""
    accept = "fr-FR,fr;q=0.9,en;q=0.5" if lang == "fr" else "en-US,en;q=0.9,fr;q=0.5"
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]},
        locale="fr-FR" if lang == "fr" else "en-US",
        extra_http_headers={"Accept-Language": accept},
    )

    def guard(route: Any) -> None:
        url = route.request.url
        host = urlparse(url).hostname or ""
        if host in LOOPBACK or url.startswith(("data:", "blob:")):
            route.continue_()
        elif host in STUB_HOSTS:
            network.stubbed.append(url)
            route.fulfill(status=200, content_type="text/html", body="<h1>Stub of the public source</h1>")
        else:
            network.outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on(
        "console",
        lambda m: network.refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(base + "/")
    page.get_by_label("Votre question" if lang == "fr" else "Your question").wait_for()
    return page


@pytest.fixture
def network() -> Iterator[Network]:
    net = Network()
    yield net
    assert net.outside == [], f"requests left loopback: {net.outside}"
    assert net.refused == [], f"the page's CSP refused: {net.refused}"


def _shot(page: Any, name: str, *, full: bool = False) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def _ask(page: Any, lang: str, question: str) -> Any:
    """Type a question, send it, and return the locator of the answer once it is complete."""
    bots = page.locator('#derci-chat [data-testid="bot"]')
    before = bots.count()
    box = page.get_by_label("Votre question" if lang == "fr" else "Your question")
    box.fill(question)
    box.press("Enter")
    answer = bots.nth(before)
    answer.wait_for()
    page.wait_for_function(
        "n => { const b = document.querySelectorAll('#derci-chat [data-testid=\"bot\"]');"
        " return b.length > n && !b[n].innerText.includes('▍') && b[n].innerText.trim() !== '…'; }",
        arg=before,
        timeout=30_000,
    )
    return answer


def test_chat_in_french_streams_a_cited_answer(browser: Any, server: str, network: Network) -> None:
    page = _open(browser, server, "fr", network)
    assert page.get_by_role("tab", name="Carte des bureaux").is_visible()  # labels follow Accept-Language
    _shot(page, "01-home-fr")
    box = page.get_by_label("Votre question")
    box.fill("Quel bureau couvre le Japon ?")
    # The answer streams in: partial text with the cursor "▍" appears before the sources. A short answer
    # streams in under a second, faster than polling can be sure to catch: the page records it.
    page.evaluate(
        """() => {
            window.derciSawCursor = false;
            const chat = document.querySelector('#derci-chat');
            new MutationObserver(() => {
                if (chat.innerText.includes('▍')) window.derciSawCursor = true;
            }).observe(chat, {subtree: true, childList: true, characterData: true});
        }"""
    )
    box.press("Enter")
    page.locator("#derci-chat summary").first.wait_for(timeout=30_000)
    assert page.evaluate("() => window.derciSawCursor"), "the answer did not stream (no partial text seen)"
    answer = page.locator('#derci-chat [data-testid="bot"]').first
    assert "Tokyo" in answer.inner_text()
    link = answer.locator('a[title="source 1"]').first
    assert link.get_attribute("href") == "https://example.org/tokyo"
    answer.locator("summary").click()
    sources = answer.locator("details")
    assert "fr/bureau-tokyo.md" in sources.inner_text()
    assert "source publique" in sources.inner_text()
    _shot(page, "03-answer-fr-sources")

    follow_up = _ask(page, "fr", "Et le Viêt Nam ?")  # history: the office question, for Vietnam
    assert "Singapour" in follow_up.inner_text()
    refusal = _ask(page, "fr", "Quelle est la recette de la tarte tatin ?")
    assert "Pas de réponse dans la documentation" in refusal.inner_text()
    assert refusal.locator("blockquote").count() == 1
    _shot(page, "04-followup-and-refusal-fr")


def test_chat_in_english_opens_a_source(browser: Any, server: str, network: Network) -> None:
    page = _open(browser, server, "en", network)
    assert page.get_by_role("tab", name="Office map").is_visible()
    answer = _ask(page, "en", "Which office covers Japan?")
    assert "Tokyo" in answer.inner_text()
    assert "[1]" in answer.inner_text()
    answer.locator("summary").click()
    assert "en/bureau-tokyo.md" in answer.locator("details").inner_text()
    _shot(page, "05-answer-en-sources")
    with page.context.expect_page() as opened:
        answer.locator('a[title="source 1"]').first.click()
    source = opened.value
    source.wait_for_load_state()
    assert source.url == "https://example.org/tokyo"
    assert network.stubbed == ["https://example.org/tokyo"]
    _shot(source, "06-source-opened")
    # Switching the interface to French relabels it; the answer language follows the question.
    page.get_by_label("Français").check()
    page.get_by_label("Votre question").wait_for()
    _shot(page, "07-interface-switched-to-fr")


def test_feedback_is_stored_with_reason(browser: Any, server: str, network: Network, app_root: Path) -> None:
    page = _open(browser, server, "en", network)
    _ask(page, "en", "Which office covers Taiwan?")
    page.locator('#derci-chat button[aria-label="Dislike"]').last.click()
    page.get_by_label("Outdated").check()
    page.get_by_label("Comment (optional)").fill("The director changed in 2025.")
    _shot(page, "08-feedback-reason")
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("Thank you: your feedback helps").wait_for()
    _shot(page, "09-feedback-thanks")
    with sqlite3.connect(app_root / "data" / "feedback.sqlite3") as db:
        rows = db.execute(
            "SELECT f.vote, f.reason, f.comment, a.question, a.citations FROM feedback f "
            "JOIN answers a ON a.id = f.answer_id"
        ).fetchall()
        columns = {
            row[1] for table in ("answers", "feedback") for row in db.execute(f"PRAGMA table_info({table})")
        }
    assert ("down", "outdated", "The director changed in 2025.", "Which office covers Taiwan?") in [
        r[:4] for r in rows
    ]
    assert any("en/bureau-tokyo.md" in json.dumps(json.loads(r[4])) for r in rows)
    assert not {c for c in columns if "ip" in c.split("_") or "agent" in c}  # no IP address, no user agent


def test_map_renders_offline(browser: Any, server: str, network: Network) -> None:
    page = _open(browser, server, "en", network)
    page.get_by_role("tab", name="Office map").click()
    svg = page.locator("svg.derci-map")
    svg.wait_for()
    assert page.locator("svg.derci-map a.derci-country").count() >= 5
    assert page.locator("svg.derci-map circle").count() == 2  # Tokyo and Singapore
    _shot(page, "10-map")
    page.locator('svg.derci-map a.derci-country[href="#office-singapore"]').first.click()
    card = page.locator("#office-singapore")
    assert page.evaluate("location.hash") == "#office-singapore"
    assert "Vietnam" in card.inner_text()
    _shot(page, "11-map-card")


def test_staff_area_refuses_without_login(
    browser: Any, server: str, network: Network, app_root: Path
) -> None:
    page = _open(browser, server, "en", network)
    page.get_by_role("tab", name="Staff area").click()
    page.get_by_label("Password").wait_for()
    assert not page.get_by_text("Corpus documents").is_visible()
    page.get_by_label("User").fill(STAFF_USER)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Wrong user or password").wait_for()
    assert not page.get_by_text("Corpus documents").is_visible()
    _shot(page, "12-staff-refused")

    # A Gradio client cannot call a staff endpoint...
    from gradio_client import Client

    config = json.loads(urllib.request.urlopen(server + "/config", timeout=10).read())
    index = {d.get("api_name"): i for i, d in enumerate(config["dependencies"])}
    client = Client(server + "/", verbose=False)
    assert set(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {"/chat"}
    with pytest.raises(Exception, match="function index"):
        client.predict(None, "en", None, None, fn_index=index["on_confirm"])
    # ... and a raw HTTP call reaches the handler, which refuses it: no session for this client.
    for name in ("on_refresh", "on_resync", "export_feedback", "on_confirm"):
        data: list[Any] = [None, "en", None, None] if name == "on_confirm" else [None, "en"]
        result = _raw_call(server, index[name], data)
        assert result["success"] is False
        assert "Login required" in json.dumps(result["output"])
    assert (app_root / "corpus" / "en" / "bureau-tokyo.md").exists()


def _raw_call(base: str, fn_index: int, data: list[Any]) -> dict[str, Any]:
    """Call one event handler through Gradio's queue protocol, as a hand-written client would."""
    import httpx

    session = f"raw{fn_index}{time.monotonic_ns()}"
    body = {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None}
    httpx.post(f"{base}/gradio_api/queue/join", json=body, timeout=10).raise_for_status()
    with httpx.stream(
        "GET", f"{base}/gradio_api/queue/data", params={"session_hash": session}, timeout=30
    ) as s:
        for line in s.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return dict(message)
    raise AssertionError("no process_completed message")


def _log_in(page: Any, lang: str = "en") -> None:
    fr = lang == "fr"
    page.get_by_role("tab", name="Espace équipe" if fr else "Staff area").click()
    page.get_by_label("Identifiant" if fr else "User").fill(STAFF_USER)
    page.get_by_label("Mot de passe" if fr else "Password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter" if fr else "Log in").click()


def test_staff_area_works_after_login(browser: Any, server: str, network: Network, app_root: Path) -> None:
    page = _open(browser, server, "en", network)
    _log_in(page)
    page.get_by_text("Corpus documents").wait_for()
    page.get_by_text("en/zebra-programme.md").first.wait_for()
    _shot(page, "13-staff-logged-in", full=True)

    page.locator("#derci-upload input[type=file]").set_input_files(str(app_root / "okapi-programme.md"))
    page.get_by_text("okapi-programme.md").first.wait_for()
    page.get_by_role("button", name="Upload", exact=True).click()
    page.get_by_text("Added: uploads/okapi-programme.md").wait_for()
    assert (app_root / "corpus" / "uploads" / "okapi-programme.md").is_file()
    page.get_by_role("button", name="Re-index").click()
    page.get_by_text("Index up to date").wait_for(timeout=60_000)
    page.locator("#derci-docs input").first.fill("okapi")  # the table's search box
    docs = page.locator("#derci-docs")
    cell = docs.locator('[data-testid^="cell-"]', has_text="uploads/okapi-programme.md").first
    cell.wait_for()
    row = (cell.get_attribute("data-testid") or "").split("-")[1]
    assert docs.get_by_test_id(f"cell-{row}-1").inner_text().strip() == "Okapi programme"
    assert int(docs.get_by_test_id(f"cell-{row}-3").inner_text()) >= 1  # indexed chunks
    _shot(page, "14-staff-uploaded-and-resynced", full=True)

    page.get_by_role("button", name="Export feedback (CSV)").click()
    link = page.locator('#derci-export a[data-testid="download-link"]')
    link.wait_for()
    with page.expect_download() as downloading:
        link.click()
    download = downloading.value
    assert re.fullmatch(r"feedback-\d{8}-\d{6}\.csv", download.suggested_filename)
    csv_text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert csv_text.startswith("id,created,answer_id,vote,reason,comment,question,answer,citations")

    page.get_by_role("tab", name="Questions").click()
    answer = _ask(page, "en", "What does the okapi programme fund?")
    answer.locator("summary").click()
    assert "uploads/okapi-programme.md" in answer.inner_text()
    _shot(page, "15-answer-from-uploaded-doc")


def _choose(page: Any, path: str) -> None:
    box = page.locator("#derci-doomed input")
    box.fill(path)
    page.get_by_role("option", name=path, exact=True).click()


def test_staff_delete_confirms_the_chosen_document_only(
    browser: Any, server: str, network: Network, app_root: Path
) -> None:
    doomed = app_root / "corpus" / "uploads" / "doomed.md"
    doomed.parent.mkdir(exist_ok=True)
    doomed.write_text("# Doomed\n\nA page to delete.\n", encoding="utf-8")
    page = _open(browser, server, "en", network)
    _log_in(page)
    page.get_by_text("Corpus documents").wait_for()
    confirm = page.locator("#derci-delete-confirm")
    _choose(page, "uploads/doomed.md")
    page.locator("#derci-delete").click()
    confirm.wait_for()
    assert confirm.inner_text().strip() == "Confirm the deletion of uploads/doomed.md"
    _shot(page, "17-staff-delete-asked", full=True)
    _choose(page, "en/zebra-programme.md")  # another document: the confirmation goes away
    confirm.wait_for(state="hidden")
    assert doomed.exists() and (app_root / "corpus" / "en" / "zebra-programme.md").exists()
    _choose(page, "uploads/doomed.md")
    page.locator("#derci-delete").click()
    confirm.click()
    page.get_by_text("Deleted: uploads/doomed.md").wait_for()
    assert not doomed.exists() and (app_root / "corpus" / "en" / "zebra-programme.md").exists()


def test_staff_area_speaks_french_and_relabels_its_tables(
    browser: Any, server: str, network: Network, app_root: Path
) -> None:
    (app_root / "corpus" / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    page = _open(browser, server, "fr", network)
    _log_in(page, "fr")
    page.get_by_text("Documents du corpus").wait_for()
    headers = page.locator("#derci-docs thead")
    assert "Titre" in headers.inner_text()
    page.get_by_role("button", name="Réindexer").click()
    status = page.locator("#derci-staff-status")
    status.get_by_text("Index à jour").wait_for(timeout=60_000)
    assert "ajouté(s)" in status.inner_text() and "broken.pdf" in status.inner_text()  # named, in French
    _shot(page, "18-staff-french-status", full=True)
    page.get_by_label("English").check()
    page.get_by_text("Corpus documents").wait_for()
    page.wait_for_function("() => document.querySelector('#derci-docs thead').innerText.includes('Title')")
    assert "Titre" not in headers.inner_text()  # no Refresh needed
    (app_root / "corpus" / "broken.pdf").unlink()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_page_layout_keeps_the_title_readable_and_every_tab_reachable(
    browser: Any, server: str, network: Network, width: int, height: int
) -> None:
    page = _open(browser, server, "fr", network, viewport=(width, height))
    title = page.locator("#derci-title h2")
    box = title.bounding_box()
    header = page.locator("#derci-header").bounding_box()
    assert box is not None and header is not None
    line = float(page.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)", title.element_handle()))
    assert box["height"] <= 2.5 * line, f"the title wraps onto {box['height'] / line:.1f} lines"
    assert header["height"] <= 260, f"the header is {header['height']:.0f} px high"
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    _shot(page, f"19-layout-{width}px", full=True)
    for name, inside in (("Carte des bureaux", "svg.derci-map"), ("Espace équipe", "#derci-login-status"),
                         ("Questions", "#derci-chat")):  # fmt: skip
        tab = page.get_by_role("tab", name=name)
        assert tab.is_visible(), f"the {name} tab is hidden"
        tab.click()
        page.locator(inside).first.wait_for(state="attached")
    _shot(page, f"20-layout-{width}px-chat")


def test_document_html_is_shown_as_text(browser: Any, server: str, network: Network) -> None:
    page = _open(browser, server, "en", network)
    answer = _ask(page, "en", "What does the zebra programme fund?")
    answer.locator("summary").click()
    text = answer.inner_text()
    assert "<script>" in text  # shown, escaped
    assert "<img src=x onerror=" in text
    assert answer.locator("script, img[onerror], img[src='x']").count() == 0
    page.wait_for_timeout(500)  # give an injected handler time to run, if one slipped through
    assert page.evaluate("[typeof window.__pwned, typeof window.pwned]") == ["undefined", "undefined"]
    _shot(page, "16-hostile-document-escaped")
