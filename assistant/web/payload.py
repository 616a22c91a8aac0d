"""The JSON shape of an answer, for `POST /api/ask` and `derci-assistant ask --json` alike.

    {"answer": "...", "status": "answered", "refused": false, "notice": null, "lang": "en",
     "citations": [{"n": 1, "title": "...", "url": "https://...", "path": "en/x.md", ...}]}

What a client may put straight into a web page: `url` is an http(s) URL or null (never
`javascript:` or `data:`), `title` and `section` are plain text (tags removed). Pure.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

from assistant.citations import Answer, Citation

_TAG = re.compile(r"<[^<>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def answer_payload(answer: Answer) -> dict[str, Any]:
    """The answer as JSON-ready data (the answer text is always under "answer")."""
    return {
        "answer": answer.text,
        "status": answer.status,
        "refused": answer.refused,
        "notice": answer.notice,
        "lang": answer.lang,
        "citations": [citation_payload(c) for c in answer.citations],
    }


def citation_payload(citation: Citation) -> dict[str, Any]:
    """One citation with a safe URL and plain-text title and section."""
    return {
        "n": citation.n,
        "title": plain_text(citation.title),
        "url": safe_url(citation.url),
        "path": citation.path,
        "section": plain_text(citation.section),
        "page": citation.page,
        "snippet": citation.snippet,
        "updated": citation.updated,
    }


def safe_url(url: str | None) -> str | None:
    """`url` if it is an absolute http or https URL with a host, else None."""
    if not url:
        return None
    candidate = url.strip()
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in candidate):
        return None
    return candidate


def plain_text(value: str) -> str:
    """`value` without HTML tags or control characters, entities decoded, white space collapsed."""
    previous = None
    text = value
    while previous != text:  # "<<b>script>" leaves "<script>" after one pass
        previous, text = text, _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _TAG.sub(" ", text)  # tags written as entities ("&lt;b&gt;") are tags once decoded
    return " ".join(_CONTROL.sub(" ", text).split())
