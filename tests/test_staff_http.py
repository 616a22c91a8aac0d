"""The staff area attacked over HTTP, against the real app on loopback (issue 11, items 3, 6, 7, 12).

Every test talks to the app as a script would, through Gradio's raw queue API: staff events are
hidden from the API page but reachable by index, so what protects them is the session check.
A "browser" here is one HTTP client with its own cookie jar (tests/webclient.py). Addresses other
than 127.0.0.1 are real: Linux routes all of 127.0.0.0/8 to loopback, and the client binds to them.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.chain import Assistant
from assistant.config import Settings
from assistant.web.auth import StaffAuth, hash_password
from tests.fakes import HashEmbedder
from tests.webclient import Browser, file_data, logged_in, output_text, refused, serve, tiny_settings

STAFF = "staff"
PASSWORD = "Tr0ub4dor&3-horse-battery"
UPLOAD_LIMIT = 4000
NOTES = b"# Notes\n\nThe Tokyo office notes.\n"


@dataclass
class App:
    url: str
    settings: Settings

    def browser(self, *, address: str | None = None) -> Browser:
        """A new browser that loaded the page (so it holds its cookie)."""
        return Browser(self.url, local_address=address).open()

    def staff(self) -> Browser:
        browser = self.browser()
        assert logged_in(browser.login(STAFF, PASSWORD))
        return browser


def _app(tmp_path: Path, **overrides: Any) -> Iterator[App]:
    import ui

    settings = tiny_settings(
        tmp_path,
        staff_user=STAFF,
        staff_password_hash=hash_password(PASSWORD),
        max_upload_bytes=UPLOAD_LIMIT,
        **overrides,
    )
    with serve(ui.build_app(Assistant(settings, embedder=HashEmbedder())), settings) as url:
        yield App(url, settings)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    """The web app with a staff account, on the tiny corpus, served on loopback like production."""
    yield from _app(tmp_path)


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[App]:
    """The same app behind a reverse proxy on 127.0.0.1 (DERCI_TRUSTED_PROXIES=127.0.0.1)."""
    yield from _app(tmp_path, trusted_proxies="127.0.0.1")


def _logged_in(app: App) -> Browser:
    return app.staff()


def _login_message(browser: Browser, password: str = PASSWORD) -> str:
    return output_text(browser.login(STAFF, password))


# -- what an anonymous client can do with staff events ---------------------------------------------------

STAFF_CALLS = {
    "on_logout": [None, "en"],
    "on_refresh": [None, "en"],
    "on_resync": [None, "en"],
    # (Gradio itself refuses a dropdown value that is not among the choices it sent this session.)
    "on_ask_delete": [None, "en", None],
    "on_confirm": [None, "en", None, None],
    "on_cancel": [None, "en"],
    "on_upload": [None, "en", None, True],
    "export_feedback": [None, "en"],
    "export_backlog": [None, "en"],
}


@pytest.mark.parametrize("name", sorted(STAFF_CALLS))
def test_staff_event_without_a_session_is_refused(app: App, name: str) -> None:
    with app.browser() as browser:
        assert refused(browser.call(name, STAFF_CALLS[name]))


@pytest.mark.parametrize("name", sorted(STAFF_CALLS))
def test_staff_event_with_a_forged_token_is_refused(app: App, name: str) -> None:
    forged = ["forged-session-token", *STAFF_CALLS[name][1:]]  # state comes from the server, not the client
    with app.browser() as browser:
        assert refused(browser.call(name, forged))


def test_staff_delete_without_a_session_deletes_nothing(app: App) -> None:
    with app.browser() as browser:
        browser.call("on_ask_delete", STAFF_CALLS["on_ask_delete"])
        assert browser.call("on_confirm", STAFF_CALLS["on_confirm"])["success"] is False
    assert (app.settings.corpus_dir / "en" / "bureau-tokyo.md").is_file()


def test_staff_login_never_sends_the_session_token(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    tokens: list[str] = []
    real_login = StaffAuth.login

    def recording(self: StaffAuth, *args: Any) -> str:
        tokens.append(real_login(self, *args))
        return tokens[-1]

    monkeypatch.setattr(StaffAuth, "login", recording)
    with app.browser() as browser:
        messages = browser.run("on_login", [STAFF, PASSWORD, "en"])
    assert logged_in(messages[-1]) and len(tokens) == 1
    assert tokens[0] not in json.dumps(messages)


# -- item 7: a session cannot be replayed by another client ---------------------------------------------


def test_staff_session_hash_replayed_by_another_client_is_refused(app: App) -> None:
    """The session_hash travels in URLs (queue/data?session_hash=...), hence in proxy logs."""
    with app.staff() as owner, Browser(app.url, session=owner.session) as thief:
        assert owner.call("on_refresh", [None, "en"])["success"]
        thief.open()  # a browser of its own, replaying the owner's session_hash
        for name in ("on_refresh", "export_feedback", "on_resync"):
            assert refused(thief.call(name, [None, "en"])), name
        no_cookie = Browser(app.url, session=owner.session)  # a script that never loaded the page
        assert refused(no_cookie.call("on_refresh", [None, "en"]))
        no_cookie.http.close()
        assert owner.call("on_refresh", [None, "en"])["success"]  # the owner is unaffected


def test_staff_session_of_another_browser_is_not_shared(app: App) -> None:
    with app.staff() as owner, app.browser() as other:
        assert owner.call("on_refresh", [None, "en"])["success"]
        assert refused(other.call("on_refresh", [None, "en"]))


def test_staff_cookie_is_httponly_samesite_and_never_in_a_url(app: App) -> None:
    page = httpx.get(f"{app.url}/", timeout=30)
    cookie = page.headers["set-cookie"]
    assert re.match(r"derci_browser=[\w-]{43}; ", cookie)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    value = cookie.split(";")[0].split("=")[1]
    with Browser(app.url) as browser:
        browser.http.cookies.set("derci_browser", value)
        messages = browser.run("on_login", [STAFF, PASSWORD, "en"])
    assert value not in json.dumps(messages)


def test_staff_logout_ends_the_session(app: App) -> None:
    with app.staff() as owner:
        assert owner.call("on_logout", [None, "en"])["success"]
        assert refused(owner.call("on_refresh", [None, "en"]))


# -- item 6: login throttling ------------------------------------------------------------------------


def test_login_throttle_ignores_forged_forwarded_headers(app: App) -> None:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 by default: rotating it dodged the throttle."""
    with app.browser() as attacker:
        for n in range(5):
            spoof = {"X-Forwarded-For": f"203.0.113.{n}"}
            assert "Wrong user or password" in output_text(
                attacker.call("on_login", [STAFF, "guess", "en"], headers=spoof)
            )
        sixth = attacker.call(
            "on_login", [STAFF, PASSWORD, "en"], headers={"X-Forwarded-For": "203.0.113.99"}
        )
    assert "Too many attempts: try again in 1 s" in output_text(sixth)  # the real address was counted


def test_login_throttle_behind_a_trusted_proxy_keys_on_the_forwarded_client(proxied: App) -> None:
    """Behind a proxy every client arrives from the proxy's address: only the forwarded one tells them apart."""
    with proxied.browser() as attacker, proxied.browser() as colleague:
        for _ in range(5):
            attacker.call("on_login", [STAFF, "guess", "en"], headers={"X-Forwarded-For": "203.0.113.7"})
        blocked = attacker.call(
            "on_login", [STAFF, PASSWORD, "en"], headers={"X-Forwarded-For": "203.0.113.7"}
        )
        assert "Too many attempts" in output_text(blocked)
        # Another client behind the same proxy logs in; a spoofed left-most entry changes nothing.
        forwarded = {"X-Forwarded-For": "203.0.113.7, 198.51.100.20"}
        assert logged_in(colleague.call("on_login", [STAFF, PASSWORD, "en"], headers=forwarded))


def _hammer(attackers: list[Browser], until: int) -> int:
    """Guess passwords from these browsers in turn, waiting out each block as a patient attacker would,
    until the app blocks them for `until` seconds or more; returns the failed guesses it took."""
    guesses = 0
    while True:
        for attacker in attackers:
            said = output_text(attacker.call("on_login", [STAFF, f"guess-{guesses}", "en"]))
            wait = re.search(r"try again in (\d+) s", said)
            if wait is None:
                assert "Wrong user or password" in said, said
                guesses += 1
            elif int(wait.group(1)) >= until:
                return guesses
            else:
                time.sleep(int(wait.group(1)))  # the block must expire on the server's clock


def test_login_throttle_slows_an_attacker_without_locking_the_owner_out(app: App) -> None:
    with app.staff() as owner:  # the owner's browser logged in once, then out
        owner.call("on_logout", [None, "en"])
        attackers = [app.browser(address=f"127.0.0.{n}") for n in range(2, 14)]  # twelve addresses
        guesses = _hammer(attackers, until=8)
        assert guesses <= 14  # ten free guesses for the user name, whatever the addresses, then 1, 2, 4 s
        with app.browser(address="127.0.0.99") as newcomer:  # a thirteenth address is blocked too
            assert "Too many attempts" in output_text(newcomer.call("on_login", [STAFF, PASSWORD, "en"]))
        assert logged_in(owner.call("on_login", [STAFF, PASSWORD, "en"]))  # the owner walks in
        for attacker in attackers:
            attacker.http.close()


def test_login_from_one_address_keeps_working_for_its_logged_in_browser(app: App) -> None:
    """Others failing from the owner's address (a shared office NAT) do not block the owner's browser."""
    with app.staff() as owner, app.browser() as neighbour:
        owner.call("on_logout", [None, "en"])
        assert _hammer([neighbour], until=4) <= 7  # five free guesses per address, then 1, 2 s
        assert logged_in(owner.call("on_login", [STAFF, PASSWORD, "en"]))


# -- item 12: Gradio's upload route ------------------------------------------------------------------


def test_upload_route_refuses_anonymous_clients(
    app: App, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio-cache"))
    with app.browser() as anonymous:
        for _ in range(20):
            response = anonymous.upload("junk.md", b"x" * 1000)
            assert response.status_code == 403, response.text
    assert (
        httpx.post(f"{app.url}/gradio_api/upload", files={"files": ("a.md", b"x")}, timeout=30).status_code
        == 403
    )
    kept = (
        [p for p in (tmp_path / "gradio-cache").rglob("*") if p.is_file()]
        if (tmp_path / "gradio-cache").exists()
        else []
    )
    assert kept == []


def test_upload_route_accepts_logged_in_staff_within_the_size_limit(app: App) -> None:
    with _logged_in(app) as staff:
        assert staff.upload("notes.md", NOTES).status_code == 200
        too_big = staff.upload("big.md", b"x" * (UPLOAD_LIMIT + 1))
        assert too_big.status_code == 413 and f"{UPLOAD_LIMIT} bytes" in too_big.text


# -- item 3: uploads are files the browser sent ------------------------------------------------------


@pytest.mark.parametrize("target", ["secret", "/etc/hostname", "corpus"])
def test_staff_upload_of_a_server_path_saves_nothing(app: App, tmp_path: Path, target: str) -> None:
    secret = tmp_path / "outside.md"
    secret.write_text("# Outside\n\nA server file that no browser sent.\n")
    path = {"secret": str(secret), "corpus": str(app.settings.corpus_dir / "en" / "bureau-tokyo.md")}.get(
        target, target
    )
    with _logged_in(app) as staff:
        message = staff.call("on_upload", [None, "en", [file_data(path, "outside.md")], True])
    assert message["success"] is False or "was not sent by your browser" in output_text(message)
    assert not (app.settings.corpus_dir / "uploads").exists()


def test_staff_upload_name_is_sanitised(app: App) -> None:
    with _logged_in(app) as staff:
        [path] = staff.upload("../../../évil name;rm -rf.md", NOTES).json()
        message = staff.call("on_upload", [None, "en", [file_data(path, "x")], False])
    assert message["success"], message
    saved = [p.relative_to(app.settings.corpus_dir).as_posix() for p in app.settings.corpus_dir.rglob("*.md")]
    new = [p for p in saved if p.startswith("uploads/")]
    assert len(new) == 1 and re.fullmatch(r"uploads/[A-Za-z0-9._-]+\.md", new[0]), new
    assert not list(app.settings.corpus_dir.parent.glob("*.md"))  # nothing landed outside the corpus
    assert not Path(path).exists()  # the uploaded copy left Gradio's cache


def test_staff_upload_refuses_unsupported_types(app: App) -> None:
    with _logged_in(app) as staff:
        [path] = staff.upload("payload.exe", b"MZ\x90\x00 not a document").json()
        message = staff.call("on_upload", [None, "en", [file_data(path, "payload.exe")], True])
    assert message["success"] is False and ".docx" in output_text(message)  # Gradio checks the type first
    assert not list(app.settings.corpus_dir.rglob("payload*"))


def test_staff_upload_does_not_overwrite_without_confirmation(app: App) -> None:
    first, second = b"# Notes\n\nFirst version.\n", b"# Notes\n\nSecond version.\n"
    target = app.settings.corpus_dir / "uploads" / "notes.md"
    with _logged_in(app) as staff:
        [path] = staff.upload("notes.md", first).json()
        assert "Added: `uploads/notes.md`" in output_text(
            staff.call("on_upload", [None, "en", [file_data(path)], False])
        )
        [path] = staff.upload("notes.md", second).json()
        assert "already exists" in output_text(
            staff.call("on_upload", [None, "en", [file_data(path)], False])
        )
        assert target.read_bytes() == first
        [path] = staff.upload("notes.md", second).json()
        assert "Added" in output_text(staff.call("on_upload", [None, "en", [file_data(path)], True]))
    assert target.read_bytes() == second


# -- exports -----------------------------------------------------------------------------------------


def _export_href(message: dict[str, Any]) -> str:
    found = re.search(r'href=\\?"(staff/export/[\w-]+)\\?"', output_text(message))
    assert found, message
    return found.group(1)


def test_staff_export_streams_the_csv_once_and_leaves_no_file(app: App) -> None:
    before = set(Path(tempfile.gettempdir()).glob("derci-export-*"))
    with _logged_in(app) as staff:
        href = _export_href(staff.call("export_feedback", [None, "en"]))
        download = staff.http.get(f"/{href}")
        assert download.status_code == 200
        assert download.headers["content-disposition"].startswith('attachment; filename="feedback-')
        assert download.content.decode("utf-8-sig").startswith("id,created,answer_id,vote")
        assert staff.http.get(f"/{href}").status_code == 404  # one use
    assert set(Path(tempfile.gettempdir()).glob("derci-export-*")) == before


def test_staff_export_link_is_useless_to_another_browser(app: App) -> None:
    with _logged_in(app) as staff, app.browser() as other:
        href = _export_href(staff.call("export_backlog", [None, "en"]))
        assert other.http.get(f"/{href}").status_code == 404
        assert httpx.get(f"{app.url}/{href}", timeout=30).status_code == 404  # no cookie at all


def test_an_uploaded_html_file_is_served_back_as_a_sandboxed_download(app: App) -> None:
    """Gradio serves uploads from its cache as downloads; the guards sandbox them too (tests/test_web_guards.py)."""
    with _logged_in(app) as staff:
        [path] = staff.upload("page.html", b"<html><script>alert(document.cookie)</script></html>").json()
        served = staff.http.get(f"/gradio_api/file={path}")
    assert served.status_code == 200 and served.headers["content-disposition"].startswith("attachment")
    assert served.headers["content-security-policy"].startswith("default-src 'none'")
    assert "sandbox" in served.headers["content-security-policy"] and "nonce" not in served.text
