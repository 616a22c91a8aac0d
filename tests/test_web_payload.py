"""The JSON shape of an answer (assistant.web.payload): only http(s) URLs, plain-text titles."""

from __future__ import annotations

import pytest

from assistant.citations import Answer, Citation
from assistant.web.payload import answer_payload, plain_text, safe_url


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://www.cnrs.fr/fr/bureau", "https://www.cnrs.fr/fr/bureau"),
        (" http://example.org/x ", "http://example.org/x"),
        ("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("//evil.example/x", None),
        ("https://", None),
        ("https://example.org/\nx", None),
        ("http://[::1", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, safe: str | None) -> None:
    assert safe_url(url) == safe


@pytest.mark.parametrize(
    ("title", "plain"),
    [
        ("CNRS Office in Tokyo", "CNRS Office in Tokyo"),
        ("<script>alert('x')</script> IEA guide", "alert('x') IEA guide"),
        ("<img src=x onerror=alert(1)>Okapi", "Okapi"),
        ("<<b>script>alert(1)<</b>/script>", "alert(1)"),
        ("&lt;b&gt;bold&lt;/b&gt; &amp; co", "bold & co"),
        ("IRP &lt; 5 years", "IRP < 5 years"),
        ("Line\x00break\x1b[31m", "Line break [31m"),
    ],
)
def test_plain_text(title: str, plain: str) -> None:
    assert plain_text(title) == plain


def test_answer_payload_keys_and_cleaned_citations() -> None:
    citation = Citation(
        n=1, title="<b>Tokyo</b>", url="javascript:x", path="en/t.md", section="<i>S</i>", page=None
    )
    data = answer_payload(Answer("Japan: Tokyo [1].", (citation,), lang="en", question="Japan?"))
    assert set(data) == {"answer", "status", "refused", "notice", "lang", "citations"}
    assert data["answer"] == "Japan: Tokyo [1]." and data["status"] == "answered"
    assert data["citations"][0] | {"snippet": None} == {
        "n": 1, "title": "Tokyo", "url": None, "path": "en/t.md", "section": "S", "page": None,
        "snippet": None, "updated": None,
    }  # fmt: skip
