"""LLM answers: the model words the answer plan, then every sentence is checked against the fact it cites.

The model sees the plan, not raw passages: the numbered facts the planner chose for each part of the
question (each a passage's sentence, or a directory statement with the passage that backs it), fenced
as data (`<passage n=...>`, with anything in a document that could close or open a fence escaped), the
parts it must answer in order, and what the documentation does not give. The reply is streamed to the
user as it comes, then checked: a sentence survives only if it cites [n] a fact that supports its words
(`citations.support`); the survivors' markers are renumbered from 1 in order of first use, and each
citation links to the source URL of the fact's own sentence. Whenever the model is down, slow, broken or
says nothing usable, the offline answer is returned instead, with a notice saying why. Never raises.
Does not build or configure the model (`assistant.llm`) nor choose when to call it.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.analysis import content_words, stems
from assistant.answering import split_sentences
from assistant.citations import MARKER, Answer, Citation, citation_from_meta, markers, renumber, support
from assistant.config import Settings
from assistant.llm import stream_text
from assistant.planner import Plan
from assistant.prompts import (
    CONTEXT_TEMPLATE,
    FALLBACK_REASONS,
    LANGUAGE_NAMES,
    OFFLINE_FALLBACK,
    PARTS_TEMPLATE,
    SYSTEM_PROMPT,
    USER_PROMPT,
)
from assistant.retrieval import Hit

log = logging.getLogger(__name__)
OfflineAnswer = Callable[..., Answer]  # (notice=None) -> Answer: the offline answer to the same plan
MIN_SUPPORT = 0.3  # share of a sentence's content words that its cited fact must contain

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


@dataclass(frozen=True)
class Fact:
    """One statement of the plan, as the model sees it: its text and the passage sentence behind it."""

    text: str
    hit: Hit
    quote: str

    def support_text(self) -> str:
        return f"{self.hit.meta.get('title', '')} {self.hit.meta.get('section', '')} {self.text} {self.quote}"


def facts_of(plan: Plan) -> list[Fact]:
    """The plan's sourced statements, in the order of the parts, each once: the model's numbered facts."""
    facts: list[Fact] = []
    seen: set[str] = set()
    for part in plan.parts:
        for statement in part.statements:
            if statement.source is None or statement.text in seen:
                continue
            seen.add(statement.text)
            facts.append(Fact(statement.text, statement.source.hit, statement.source.text))
    return facts


def stream_llm_answer(
    chat_model: BaseChatModel,
    plan: Plan,
    settings: Settings,
    offline_answer: OfflineAnswer,
    timeout: float | None = None,
) -> Iterator[str | Answer]:
    """Text deltas of the model's reply as they arrive, then the checked `Answer` (or the offline one).

    `timeout` is what is left of the turn's budget (default `settings.llm_timeout`); notices always
    name the configured timeout, which is what the user was promised.
    """
    lang = plan.analysis.lang if plan.analysis.lang in OFFLINE_FALLBACK else "en"
    facts = facts_of(plan)
    if not facts:
        yield offline_answer()
        return
    parts: list[str] = []
    budget = settings.llm_timeout if timeout is None else timeout
    try:
        for delta in stream_text(chat_model, build_messages(plan, facts), budget):
            parts.append(delta)
            yield delta
    except Exception as exc:  # noqa: BLE001 - whatever went wrong with the model, the user gets the offline answer
        kind, status = _failure(exc)
        log.warning("LLM backend %s failed (%s): %s: %s", settings.llm_backend, kind, type(exc).__name__, exc)
        yield offline_answer(notice=_notice(lang, kind, settings.llm_timeout, status))
        return
    try:
        yield _checked_answer("".join(parts), plan, facts, settings, offline_answer, lang)
    except Exception:  # a bug in the checks must not cost the user an answer
        log.exception("checking the LLM reply failed")
        yield offline_answer(notice=_notice(lang, "error", settings.llm_timeout, None))


def fence(text: str) -> str:
    """Document text made safe inside a <passage> fence: it can neither close it nor open another."""
    return _FENCE_TAG.sub(r"&lt;\1", text)


def build_messages(plan: Plan, facts: Sequence[Fact]) -> list[BaseMessage]:
    """System rules in the user's language, then the fenced facts, the parts to answer and the question."""
    context = "\n\n".join(
        CONTEXT_TEMPLATE.format(
            n=n,
            title=html.escape(str(fact.hit.meta.get("title") or fact.hit.meta.get("path") or "")),
            section=html.escape(str(fact.hit.meta.get("section") or "")),
            text=fence(fact.text if fact.text == fact.quote else f"{fact.text}\n{fact.quote}"),
        )
        for n, fact in enumerate(facts, start=1)
    )
    analysis = plan.analysis
    lang = analysis.lang if analysis.lang in LANGUAGE_NAMES else "en"
    asked = "\n".join(f"{i}. {p.sub.text}" for i, p in enumerate(plan.parts, start=1))
    missing = [s.text for p in plan.parts for s in p.statements if s.role == "gap" and s.source is None]
    outline = PARTS_TEMPLATE.format(parts=asked, missing="\n".join(missing) or "-")
    return [
        SystemMessage(SYSTEM_PROMPT.format(language=LANGUAGE_NAMES[lang])),
        HumanMessage(USER_PROMPT.format(context=context, outline=outline, question=analysis.original)),
    ]


def ground(text: str, facts: Sequence[Fact], question: str = "") -> tuple[str, list[Citation], list[str]]:
    """Keep the sentences whose [n] cite a fact that supports them; renumber from 1.

    Support is measured on what a sentence adds to the question: "The Tokyo office runs a ski resort"
    must not pass on "Tokyo" and "office" alone. Returns the checked text, its citations, and the
    sentences that were dropped.
    """
    asked = {s for w in content_words(question) for s in stems(w)}
    kept: list[tuple[str, list[int]]] = []
    dropped: list[str] = []
    for sentence in _sentences(text):
        claim = _claim(sentence, asked)
        cited = [n for n in dict.fromkeys(markers(sentence)) if 1 <= n <= len(facts)]
        supported = [n for n in cited if support(claim, facts[n - 1].support_text()) >= MIN_SUPPORT]
        if not supported and cited:  # a sentence may join several facts
            joined = " ".join(facts[n - 1].support_text() for n in cited)
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
                fact = facts[old - 1]
                hit = fact.hit
                citations.append(
                    citation_from_meta(
                        numbers[old], hit.id, hit.chunk.text, hit.meta, fact.quote, hit.similarity
                    )
                )
        rewritten = renumber(sentence, {old: numbers[old] for old in cited}).strip()
        rewritten = _REPEATED_MARKER.sub(r"\1", rewritten)
        out.append(_TRAILING_MARKERS.sub(r"\2\1", rewritten))
    return " ".join(out), citations, dropped


def says_no_answer(text: str) -> bool:
    """Whether the model's reply says that the documentation does not answer the question."""
    return bool(_NO_ANSWER.search(text))


def _checked_answer(
    text: str,
    plan: Plan,
    facts: Sequence[Fact],
    settings: Settings,
    offline_answer: OfflineAnswer,
    lang: str,
) -> Answer:
    if not text.strip():
        return offline_answer(notice=_notice(lang, "empty", settings.llm_timeout, None))
    checked, citations, dropped = ground(text, facts, plan.analysis.text)
    if checked:
        if dropped:
            log.info("dropped %d unsupported or uncited sentence(s) of the LLM reply", len(dropped))
        return Answer(
            text=checked,
            citations=tuple(citations),
            status=plan.status,
            lang=lang,
            question=plan.analysis.original,
            backend=f"llm:{settings.llm_backend}",
            evidence=plan.evidence,
            meta={"standalone": plan.analysis.search, "facts": len(facts), "dropped": dropped},
        )
    if says_no_answer(text):
        return offline_answer()
    if not any(1 <= n <= len(facts) for n in markers(text)):
        log.warning("LLM reply has no valid citation: %r", text[:200])
        return offline_answer(notice=_notice(lang, "uncited", settings.llm_timeout, None))
    log.info("no sentence of the LLM reply is supported by the fact it cites")
    return offline_answer()


def _sentences(text: str) -> list[str]:
    text = _LIST_MARKER.sub(lambda m: " ".join(f"[{n.strip()}]" for n in m.group(1).split(",")), text)
    return split_sentences(_MARKERS_BEFORE_STOP.sub(r"\2\1", text))


def _claim(sentence: str, asked: set[str]) -> str:
    """The words of a sentence that the question did not already contain (all of them if none is new)."""
    new = [w for w in content_words(MARKER.sub("", sentence)) if not asked.intersection(stems(w))]
    return " ".join(new) if new else sentence


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
