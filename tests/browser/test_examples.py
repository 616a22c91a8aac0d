"""Every example button of the web chat, clicked in a real Chromium, in French and in English, on the
real corpus with the real embedding model: each answer must be right and focused. The buttons are
clicked one after the other in one conversation, as a user does, so each answer must also stand
after the previous ones.

Right and focused, as a demanding reader judges it: the opening answers the question (it says the
expected key of `EXPECTED`), every sentence carries a citation, nothing is a refusal or a "the
documentation does not..." gap, the answer is a few sentences and its sources panel links a public
source. Does not judge the wording beyond that, nor whether each citation supports its sentence.

The app runs in a subprocess (`app_under_test --real`) on the repository's corpus/, its index built
into a temporary folder once for the module while the page shows its progress; nothing is
downloaded. As in test_browser.py, every page blocks requests that leave loopback, the test asserts
none was attempted and that the page's Content-Security-Policy refused nothing. Screenshots land in
test-output/browser/. Needs Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pytest

from assistant.web.messages import EXAMPLES, LANG_CHOICES
from tests.browser.serving import LOOPBACK, SHOTS, chromium, needs_chromium, served

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
LANG_LABEL = {code: label for label, code in LANG_CHOICES}  # the page's language control
OTHER = {"fr": "en", "en": "fr"}

INDEX_TIMEOUT_MS = 10 * 60_000  # the first index of the corpus: 1-3 min on a loaded 2-core machine
ANSWER_TIMEOUT_MS = 60_000
SOURCE_LINKS = "details.derci-sources a[href^='https://'], details.derci-sources a[href^='http://']"
MAX_SENTENCES = 4  # an answer and its few details, not a pile of quotes


@dataclass(frozen=True)
class Expected:
    """What a right answer opens with: every key (a whole word or phrase, case as written) within its
    first `sentences` sentences, one sentence per part of the question."""

    keys: tuple[str, ...]
    sentences: int = 1


# Keyed by the question as `EXAMPLES` writes it, in both languages.
EXPECTED: dict[str, Expected] = {
    "Je cherche un partenaire au Japon : quel bureau du CNRS contacter ?": Expected(("Tokyo",)),
    "I am looking for a partner in Japan: which CNRS office should I contact?": Expected(("Tokyo",)),
    "Quel outil pour démarrer une collaboration avec un laboratoire étranger ?": Expected(("IEA",)),
    "Which tool should I use to start a collaboration with a foreign lab?": Expected(("IEA",)),
    # Two parts: what DERCI is (its mission) and its name today, in either order.
    "Qu'est-ce que la DERCI et comment s'appelle-t-elle aujourd'hui ?": Expected(
        ("européenne et internationale", "DEI"), sentences=2
    ),
    "What is DERCI and what is it called today?": Expected(
        ("European and international", "DEI"), sentences=2
    ),
    "Combien de bureaux le CNRS a-t-il à l'étranger ?": Expected(("11",)),
    "How many offices does the CNRS have abroad?": Expected(("11",)),
    # Both tools defined: each acronym with what it stands for.
    "Quelle est la différence entre un IRP et un IRL ?": Expected(
        ("IRP", "International Research Project", "IRL", "International Research Laboratory"), sentences=2
    ),
    "What is the difference between an IRP and an IRL?": Expected(
        ("IRP", "International Research Project", "IRL", "International Research Laboratory"), sentences=2
    ),
    "Quel bureau couvre le Kenya ?": Expected(("Nairobi",)),
    "Which office covers Kenya?": Expected(("Nairobi",)),
}

# A sentence ends at . ! ? or … and the [n] markers after it, before a capital, a digit or the end.
_SENTENCE = re.compile(r"\S.*?[.!?…](?:\s*\[\d+\])*(?=\s+[A-ZÀ-ÖØ-Þ0-9«\"]|\s*$)|\S.*$")
_CITED = re.compile(r"\[\d+\]\s*$")
# Refusals, gaps and errors, in both languages (prompts.REFUSAL, GAP, GAP_ABOUT; the page's titles).
_NOT_AN_ANSWER = re.compile(
    r"la documentation (?:DERCI/DEI )?ne |the (?:DERCI/DEI )?documentation does not|aucune source consultée"
    r"|no source consulted|pas de réponse dans la documentation|no answer in the documentation"
    r"|un problème est survenu|something went wrong",
    re.IGNORECASE,
)


# The guarded page and the network check repeat test_browser.py's rather than import
# them: importing that module would put it in this one's mypy run (its gradio_client is untyped).
@dataclass
class Network:
    """Requests a page made outside loopback (blocked), and what its Content-Security-Policy refused."""

    outside: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the real corpus; it serves at once and builds its index in the background."""
    needs_chromium()
    with served(tmp_path_factory.mktemp("webapp-real"), ["--real"], OFFLINE) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def network() -> Iterator[Network]:
    net = Network()
    yield net
    assert net.outside == [], f"requests left loopback: {net.outside}"
    assert net.refused == [], f"the page's CSP refused: {net.refused}"


@pytest.fixture
def page(browser: Any, server: str, network: Network, lang: str) -> Iterator[Any]:
    """The app in a browser that prefers the other language than `lang`, once its index is ready."""
    page = _open(browser, server, OTHER[lang], network)
    _wait_for_index(page)
    yield page
    page.context.close()  # its open connections would hold up the server's shutdown


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_examples_each_get_a_right_focused_answer(page: Any, lang: str) -> None:
    from playwright.sync_api import expect

    page.get_by_label(LANG_LABEL[lang]).check()  # as a user switches the interface
    buttons = page.locator(".derci-examples button")
    expect(buttons).to_have_text([q for _, questions in EXAMPLES[lang] for q in questions])
    questions = buttons.all_inner_texts()
    unknown = [q for q in questions if q not in EXPECTED]
    assert not unknown, f"examples without an expected answer in EXPECTED: {unknown}"

    wrong: list[str] = []
    for i, question in enumerate(questions):
        before = page.locator('#derci-chat [data-testid="bot"]').count()
        buttons.nth(i).click()
        answer = _finished_answer(page, before)
        body = answer.evaluate(
            "e => Array.from(e.querySelectorAll('.message-content .md > :not(details)'))"
            ".map(n => n.innerText).join('\\n')"
        )
        links = answer.locator(SOURCE_LINKS)
        print(f"[{lang}] {question} -> {body}")
        problems = _problems(body, EXPECTED[question], links.count())
        if problems:
            wrong.append(f"asked: {question}\nanswered: {body}\nwrong: {'; '.join(problems)}")
    _shot(page, f"examples-{lang}")
    assert not wrong, f"{len(wrong)} of {len(questions)} example answers are wrong:\n\n" + "\n\n".join(wrong)


def _problems(body: str, expected: Expected, source_links: int) -> list[str]:
    """What keeps an answer from being right and focused; empty when it is."""
    sentences = _sentences(body)
    opening = " ".join(sentences[: expected.sentences])
    problems = [
        f"its first {expected.sentences} sentence(s) do not say {key!r}"
        for key in expected.keys
        if not re.search(rf"(?<!\w){re.escape(key)}(?!\w)", opening)
    ]
    problems += [f"uncited sentence {s!r}" for s in sentences if not _CITED.search(s)]
    if refusal := _NOT_AN_ANSWER.search(body):
        problems.append(f"a refusal or a gap ({refusal.group(0)!r})")
    if len(sentences) > MAX_SENTENCES:
        problems.append(f"{len(sentences)} sentences, more than {MAX_SENTENCES}")
    if source_links < 1:
        problems.append("no http(s) link in its sources panel")
    return problems


def _sentences(body: str) -> list[str]:
    """The answer's sentences, each with the [n] markers that follow it; every line starts a sentence."""
    return [m.group(0).strip() for line in body.splitlines() for m in _SENTENCE.finditer(line)]


def _open(browser: Any, base: str, lang: str, network: Network) -> Any:
    """A fresh page on the app, in a browser that prefers `lang`, with the network limited to loopback."""
    accept = "fr-FR,fr;q=0.9,en;q=0.5" if lang == "fr" else "en-US,en;q=0.9,fr;q=0.5"
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000},
        locale="fr-FR" if lang == "fr" else "en-US",
        extra_http_headers={"Accept-Language": accept},
    )

    def guard(route: Any) -> None:
        url = route.request.url
        if (urlparse(url).hostname or "") in LOOPBACK or url.startswith(("data:", "blob:")):
            route.continue_()
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


def _wait_for_index(page: Any) -> None:
    """Wait, as a user does, until the index banner goes away; fail if it says the build failed."""
    page.wait_for_function(
        "() => { const b = document.querySelector('#derci-banner');"
        " return !b || b.innerText.includes('⚠'); }",
        timeout=INDEX_TIMEOUT_MS,
        polling=1000,
    )
    banner = page.locator("#derci-banner")
    if banner.count():
        pytest.fail(f"the index could not be prepared: {banner.inner_text()}")


def _finished_answer(page: Any, before: int) -> Any:
    """The locator of the answer after the first `before` ones, once it has finished streaming."""
    page.wait_for_function(
        "n => { const b = document.querySelectorAll('#derci-chat [data-testid=\"bot\"]');"
        " return b.length > n && !b[n].innerText.includes('▍') && b[n].innerText.trim() !== '…'; }",
        arg=before,
        timeout=ANSWER_TIMEOUT_MS,
    )
    return page.locator('#derci-chat [data-testid="bot"]').nth(before)


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"))
