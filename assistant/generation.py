"""LLM answers: prompt from the retrieved passages, streamed reply, then a check of every sentence.

The passages go to the model fenced as data (`<passage n=...>`, with anything in a document that could
close or open a fence escaped). The reply is streamed to the user as it comes, then checked: a sentence
survives only if it cites [n] an existing passage that supports its words (`citations.support`); the
markers of the survivors are renumbered from 1 in order of first use. Whenever the model is down, slow,
broken or says nothing usable, the offline answer is returned instead, with a notice saying why.
Never raises. Does not build or configure the model (`assistant.llm`) nor choose when to call it.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.analysis import content_words, stems
from assistant.answering import split_sentences
from assistant.citations import MARKER, Answer, Citation, citation_from_meta, markers, renumber, support
from assistant.config import Settings
from assistant.conversation import History, last_turns
from assistant.llm import complete_text, stream_text
from assistant.prompts import (
    CONTEXT_TEMPLATE,
    LANGUAGE_NAMES,
    OFFLINE_FALLBACK,
    REWRITE_PROMPT,
    SYSTEM_PROMPT,
    USER_PROMPT,
)
from assistant.retrieval import Hit

if TYPE_CHECKING:
    from assistant.chain import Turn

log = logging.getLogger(__name__)
OfflineAnswer = Callable[..., Answer]  # (turn, notice=None) -> Answer: Assistant._offline_answer
MIN_SUPPORT = 0.3  # share of a sentence's content words that its cited passage must contain

# Why the offline answer is shown, in the notice's language (OFFLINE_FALLBACK's {reason}).
FALLBACK_REASONS: Mapping[str, Mapping[str, str]] = {
    "timeout": {"fr": "pas de réponse en {timeout:g} s", "en": "no reply within {timeout:g} s"},
    "unreachable": {"fr": "serveur injoignable", "en": "server unreachable"},
    "http": {"fr": "erreur {status} du serveur", "en": "server error {status}"},
    "invalid": {"fr": "réponse illisible", "en": "unreadable reply"},
    "empty": {"fr": "réponse vide", "en": "empty reply"},
    "uncited": {"fr": "réponse sans source vérifiable", "en": "reply without a checkable source"},
    "error": {"fr": "erreur inattendue", "en": "unexpected error"},
}

_FENCE_TAG = re.compile(r"<(\s*/?\s*passage)", re.IGNORECASE)
_LIST_MARKER = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})+)\]")  # [1, 2] -> [1] [2]
_MARKERS_BEFORE_STOP = re.compile(r"([.!?])((?:\s*\[\d{1,3}\])+)")  # "Japan. [1]" -> "Japan [1]."
_TRAILING_MARKERS = re.compile(r"((?:\s*\[\d{1,3}\])+)\s*([.!?])$")
_REPEATED_MARKER = re.compile(r"(\[\d{1,3}\])(?:\s*\1)+")
_NO_ANSWER = re.compile(
    r"(does not|doesn't|do not|don't|cannot|can't|can ?not) (answer|cover|contain|mention|say|provide|specify)"
    r"|no information|not (mentioned|covered|specified|provided)"
    r"|ne (répond|couvre|contient|mentionne|précise|donne|fournit|permet) pas"
    r"|aucune information|pas d'information|pas (mentionné|précisé|indiqué)",
    re.IGNORECASE,
)


def stream_llm_answer(
    chat_model: BaseChatModel,
    turn: Turn,
    settings: Settings,
    offline_answer: OfflineAnswer,
    *,
    timeout: float | None = None,
) -> Iterator[str | Answer]:
    """Text deltas of the model's reply as they arrive, then the checked `Answer` (or the offline one).

    `timeout` is what is left of the turn's budget (default `settings.llm_timeout`); notices always
    name the configured timeout, which is what the user was promised.
    """
    lang = turn.lang if turn.lang in OFFLINE_FALLBACK else "en"
    passages = context_passages(turn, settings.top_k)
    parts: list[str] = []
    budget = settings.llm_timeout if timeout is None else timeout
    try:
        for delta in stream_text(chat_model, build_messages(turn, passages), budget):
            parts.append(delta)
            yield delta
    except Exception as exc:  # noqa: BLE001 - whatever went wrong with the model, the user gets the offline answer
        kind, status = _failure(exc)
        log.warning("LLM backend %s failed (%s): %s: %s", settings.llm_backend, kind, type(exc).__name__, exc)
        yield offline_answer(turn, notice=_notice(lang, kind, settings.llm_timeout, status))
        return
    try:
        yield _checked_answer("".join(parts), turn, passages, settings, offline_answer, lang)
    except Exception:  # a bug in the checks must not cost the user an answer
        log.exception("checking the LLM reply failed")
        yield offline_answer(turn, notice=_notice(lang, "error", settings.llm_timeout, None))


def context_passages(turn: Turn, k: int) -> list[Hit]:
    """The passages the model sees, numbered from 1: the top `k` hits, then those behind routing facts."""
    chosen = list(turn.hits[:k])
    seen = {h.id for h in chosen}
    for piece in turn.statements:
        if piece.hit.id not in seen:
            chosen.append(piece.hit)
            seen.add(piece.hit.id)
    return chosen


def fence(text: str) -> str:
    """Document text made safe inside a <passage> fence: it can neither close it nor open another."""
    return _FENCE_TAG.sub(r"&lt;\1", text)


def build_messages(turn: Turn, passages: Sequence[Hit]) -> list[BaseMessage]:
    """System rules in the user's language, then the fenced passages and the question."""
    context = "\n\n".join(
        CONTEXT_TEMPLATE.format(
            n=n,
            title=html.escape(str(hit.meta.get("title") or hit.meta.get("path") or "")),
            section=html.escape(str(hit.meta.get("section") or "")),
            text=fence(hit.chunk.text),
        )
        for n, hit in enumerate(passages, start=1)
    )
    language = LANGUAGE_NAMES.get(turn.lang, LANGUAGE_NAMES["en"])
    return [
        SystemMessage(SYSTEM_PROMPT.format(language=language)),
        HumanMessage(USER_PROMPT.format(context=context, question=turn.standalone or turn.question)),
    ]


def ground(text: str, passages: Sequence[Hit], question: str = "") -> tuple[str, list[Citation], list[str]]:
    """Keep the sentences whose [n] cite a passage that supports them; renumber from 1.

    Support is measured on what a sentence adds to the question: "The Tokyo office runs a ski resort"
    must not pass on "Tokyo" and "office" alone. Returns the checked text, its citations, and the
    sentences that were dropped.
    """
    asked = {s for w in content_words(question) for s in stems(w)}
    kept: list[tuple[str, list[int]]] = []
    dropped: list[str] = []
    for sentence in _sentences(text):
        claim = _claim(sentence, asked)
        cited = [n for n in dict.fromkeys(markers(sentence)) if 1 <= n <= len(passages)]
        supported = [n for n in cited if support(claim, _support_text(passages[n - 1])) >= MIN_SUPPORT]
        if not supported and cited:  # a sentence may join facts from several passages
            joined = " ".join(_support_text(passages[n - 1]) for n in cited)
            supported = cited if support(claim, joined) >= MIN_SUPPORT else []
        if supported:
            kept.append((sentence, supported))
        else:
            dropped.append(sentence)
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    out: list[str] = []
    for sentence, cited in kept:
        for old in cited:
            if old not in numbers:
                numbers[old] = len(numbers) + 1
                hit = passages[old - 1]
                citations.append(
                    citation_from_meta(
                        numbers[old],
                        hit.id,
                        hit.chunk.text,
                        hit.meta,
                        _snippet(sentence, hit),
                        hit.similarity,
                    )
                )
        rewritten = renumber(sentence, {old: numbers[old] for old in cited}).strip()
        rewritten = _REPEATED_MARKER.sub(r"\1", rewritten)
        out.append(_TRAILING_MARKERS.sub(r"\2\1", rewritten))
    return " ".join(out), citations, dropped


def says_no_answer(text: str) -> bool:
    """Whether the model's reply says that the documentation does not answer the question."""
    return bool(_NO_ANSWER.search(text))


def rewrite_follow_up(chat_model: BaseChatModel, question: str, history: History, timeout: float) -> str:
    """The follow-up `question` rewritten by the model as a standalone question; `question` on any failure."""
    turns = last_turns(history)
    if not turns:
        return question
    lines = []
    for t in turns:
        lines.append(f"User: {t.question}")
        if t.answer:
            lines.append(f"Assistant: {' '.join(MARKER.sub('', t.answer).split())[:400]}")
    prompt = REWRITE_PROMPT.format(history="\n".join(lines), question=question)
    try:
        reply = complete_text(chat_model, [HumanMessage(prompt)], timeout)
    except Exception as exc:  # noqa: BLE001 - the rule-based rewrite is good enough
        log.warning("LLM rewrite failed (%s): %s", type(exc).__name__, exc)
        return question
    line = next((ln for ln in reply.splitlines() if ln.strip()), "")
    line = re.sub(
        r"^\s*(standalone question|question autonome|question)\s*:\s*", "", line, flags=re.IGNORECASE
    )
    line = line.strip().strip("\"'«»“” ").strip()
    if not re.search(r"\w", line) or len(line) > max(300, 3 * len(question)):
        return question
    return line


def _checked_answer(
    text: str,
    turn: Turn,
    passages: Sequence[Hit],
    settings: Settings,
    offline_answer: OfflineAnswer,
    lang: str,
) -> Answer:
    if not text.strip():
        return offline_answer(turn, notice=_notice(lang, "empty", settings.llm_timeout, None))
    checked, citations, dropped = ground(text, passages, turn.standalone or turn.question)
    if checked:
        if dropped:
            log.info("dropped %d unsupported or uncited sentence(s) of the LLM reply", len(dropped))
        return Answer(
            text=checked,
            citations=tuple(citations),
            lang=turn.lang,
            question=turn.question,
            notice=turn.notice,
            backend=f"llm:{settings.llm_backend}",
            evidence=turn.evidence,
            meta={"standalone": turn.standalone, "hits": [h.id for h in passages], "dropped": dropped},
        )
    if says_no_answer(text):
        return offline_answer(turn)
    if not any(1 <= n <= len(passages) for n in markers(text)):
        log.warning("LLM reply has no valid citation: %r", text[:200])
        return offline_answer(turn, notice=_notice(lang, "uncited", settings.llm_timeout, None))
    log.info("no sentence of the LLM reply is supported by the passage it cites")
    return offline_answer(turn)


def _sentences(text: str) -> list[str]:
    text = _LIST_MARKER.sub(lambda m: " ".join(f"[{n.strip()}]" for n in m.group(1).split(",")), text)
    return split_sentences(_MARKERS_BEFORE_STOP.sub(r"\2\1", text))


def _claim(sentence: str, asked: set[str]) -> str:
    """The words of a sentence that the question did not already contain (all of them if none is new)."""
    new = [w for w in content_words(MARKER.sub("", sentence)) if not asked.intersection(stems(w))]
    return " ".join(new) if new else sentence


def _support_text(hit: Hit) -> str:
    return f"{hit.meta.get('title', '')} {hit.meta.get('section', '')} {hit.chunk.text}"


def _snippet(sentence: str, hit: Hit) -> str:
    """The sentence of the passage closest to the claim, shown under the citation."""
    candidates = split_sentences(hit.chunk.text) or [hit.chunk.text]
    return max(candidates, key=lambda s: support(sentence, s))


def _failure(exc: BaseException) -> tuple[str, int | None]:
    """What kind of failure an exception of any client library is, and its HTTP status if it has one."""
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 8:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    # innermost first: a client's "connection error" may wrap a stream cut short by the server
    for seen in reversed(chain):
        name = type(seen).__name__
        status = getattr(seen, "status_code", None)
        if isinstance(seen, TimeoutError) or "Timeout" in name:
            return "timeout", None
        if isinstance(status, int):
            return "http", status
        if isinstance(seen, ConnectionError) or "Connect" in name:
            return "unreachable", None
        if isinstance(seen, ValueError) or any(k in name for k in ("Protocol", "Decode", "Read", "Network")):
            return "invalid", None
    return "error", None


def llm_timeout_notice(lang: str, settings: Settings) -> str:
    """The notice shown when the model did not answer within the configured time."""
    return _notice(lang if lang in ("fr", "en") else "en", "timeout", settings.llm_timeout, None)


def _notice(lang: str, kind: str, timeout: float, status: int | None) -> str:
    reason = FALLBACK_REASONS[kind][lang].format(timeout=timeout, status=status)
    return OFFLINE_FALLBACK[lang].format(reason=reason)
