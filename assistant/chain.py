"""The `Assistant`: question (+ history) -> analysis -> plan -> composed, verified, cited answer.

One LCEL pipeline (`Assistant.pipeline`) does everything, in one step: prepare (clean, language, length) ->
analyse (`question.analyse`) -> plan (`planner.plan`, one embedding per question) -> respond (the
offline composer by default, an LLM verbalising the plan when one is configured, with the offline
answer as its fallback). It streams `Delta`s: text as it is written, then the final `Answer`.
`stream`, `ask` and `runnable` are that pipeline; `retrieve` is the search behind it.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda

from assistant.analysis import detect_language
from assistant.citations import Answer
from assistant.composer import compose
from assistant.config import Settings
from assistant.conversation import History, last_turns
from assistant.errors import AssistantError
from assistant.knowledge import KnowledgeBase
from assistant.planner import Plan, plan
from assistant.prompts import EMPTY_QUESTION, INTERNAL_ERROR, TRUNCATED
from assistant.question import Analysis, World, analyse
from assistant.retrieval import Hit

log = logging.getLogger(__name__)
Event = str | Answer
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


@dataclass(frozen=True)
class Delta:
    """A piece of the pipeline's output: text as it is written, and at the end the `Answer`.

    Deltas add up (LCEL's `invoke` sums a stream): texts concatenate, the last answer wins.
    """

    text: str = ""
    answer: Answer | None = None

    def __add__(self, other: Delta) -> Delta:
        return Delta(self.text + other.text, other.answer or self.answer)


@dataclass(frozen=True)
class Turn:
    """One question on its way through the pipeline."""

    question: str
    history: Sequence[Mapping[str, Any]] = ()
    lang: str = "en"
    notice: str | None = None
    analysis: Analysis | None = None
    plan: Plan | None = None
    early: Answer | None = None  # an answer known before any search (an empty question)
    deadline: float = 0.0  # time.monotonic() by which an LLM must have answered


class Assistant:
    """Answers questions about DERCI/DEI from the indexed documents, with numbered citations."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embeddings | None = None,
        chat_model: BaseChatModel | None = None,
        knowledge: KnowledgeBase | None = None,
        sync: bool = True,
    ) -> None:
        self.settings = settings or Settings.load()
        self.knowledge = knowledge or KnowledgeBase.open(self.settings, embedder, sync=sync)
        if chat_model is None and self.settings.llm_backend != "none":
            from assistant.llm import chat_model_from_settings

            chat_model = chat_model_from_settings(self.settings)
        self.chat_model = chat_model
        self._world: tuple[str, World] | None = None
        self._world_lock = threading.Lock()
        # One LCEL step that runs prepare -> plan -> respond in turn: as three chained runnables, the
        # per-step run managers cost 1.7 ms of a warm answer (paired, in one process, on dev+dev2).
        self.pipeline: Runnable[Mapping[str, Any], Delta] = RunnableGenerator(self._steps).with_config(
            run_name="derci-assistant"
        )
        self.runnable: Runnable[Mapping[str, Any], Answer] = self.pipeline | RunnableLambda(_final_answer)

    # -- public API ------------------------------------------------------------------------------

    def ask(self, question: str, history: History = ()) -> Answer:
        """The complete answer to `question`, given the conversation so far."""
        answer: Answer | None = None
        for event in self.stream(question, history):
            if isinstance(event, Answer):
                answer = event
        if answer is None:  # the pipeline always ends on an answer; this guards a broken contract
            return _error_answer(question, INTERNAL_ERROR[_lang_of(question)])
        return answer

    def stream(self, question: str, history: History = ()) -> Iterator[Event]:
        """Text deltas as the answer is written, then the final `Answer` (whose text is authoritative)."""
        try:
            for delta in self.pipeline.stream({"question": question, "history": history}):
                if delta.text:
                    yield delta.text
                if delta.answer is not None:
                    yield delta.answer
        except AssistantError as exc:
            log.warning("answer failed: %s", exc)
            yield _error_answer(question, str(exc))
        except Exception:
            log.exception("internal error while answering %r", question[:200])
            yield _error_answer(question, INTERNAL_ERROR[_lang_of(question)])

    def retrieve(
        self, question: str, k: int | None = None, *, filters: Mapping[str, str] | None = None
    ) -> list[Hit]:
        """The ranked chunks behind an answer (`k`: settings.top_k by default)."""
        lang = detect_language(question)
        return self.knowledge.search.search(question, k or self.settings.top_k, lang=lang, filters=filters)

    def analyse(self, question: str, history: History = ()) -> Analysis:
        """What the assistant understands `question` to ask (for debugging and evaluation)."""
        return analyse(_clean(question), history, self.world())

    def world(self) -> World:
        """The directories and corpus vocabulary that question analysis reads, rebuilt after a re-index."""
        kb = self.knowledge
        key = kb.lexical.fingerprint
        with self._world_lock:
            if self._world is None or self._world[0] != key:
                texts = [c.text for c in kb.lexical.chunks]
                world = World.of(kb.offices, kb.tools, kb.glossary, texts)
                self._world = (key, world)
            return self._world[1]

    # -- pipeline steps ---------------------------------------------------------------------------

    def _steps(self, inputs: Iterator[Mapping[str, Any]]) -> Iterator[Delta]:
        for item in inputs:
            yield from self._respond(iter([self._plan(self._prepare(item))]))

    def _prepare(self, inputs: Mapping[str, Any]) -> Turn:
        raw = _encodable(str(inputs.get("question") or ""))
        history = list(inputs.get("history") or ())
        text = _clean(raw)
        lang = detect_language(text)
        if lang == "unknown":
            previous = [t.question for t in last_turns(history)]
            lang = next(
                (detect_language(q) for q in reversed(previous) if detect_language(q) != "unknown"), ""
            )
        if not re.search(r"\w", text):
            lang = lang or "en"
            return Turn(
                raw,
                history,
                lang=lang,
                early=Answer(EMPTY_QUESTION[lang], status="refused", lang=lang, question=raw),
            )
        notice = None
        limit = self.settings.max_question_chars
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0]
        if len(raw) > limit:
            notice = TRUNCATED[lang or "en"].format(n=limit)
        deadline = time.monotonic() + self.settings.llm_timeout
        return Turn(text, history, lang=lang, notice=notice, deadline=deadline)

    def _plan(self, turn: Turn) -> Turn:
        if turn.early is not None:
            return turn
        kb = self.knowledge
        kb.refresh_if_changed()
        analysis = analyse(turn.question, turn.history, self.world(), lang=turn.lang or None)
        embedding = kb.embedder.embed_query(analysis.search)
        planned = plan(analysis, kb, embedding=embedding, threshold=self.settings.refusal_threshold)
        return replace(turn, analysis=analysis, plan=planned, lang=analysis.lang)

    def _respond(self, turns: Iterator[Turn]) -> Iterator[Delta]:
        for turn in turns:
            if turn.early is not None:
                yield from _spoken(turn.early)
                continue
            assert turn.plan is not None
            if self.chat_model is None or turn.plan.refusal:
                yield from _spoken(self._offline(turn))
                continue
            from assistant.generation import llm_timeout_notice, stream_llm_answer

            remaining = turn.deadline - time.monotonic()
            if remaining < 0.1:
                yield from _spoken(self._offline(turn, llm_timeout_notice(turn.lang, self.settings)))
                continue
            offline = functools.partial(self._offline, turn)
            for event in stream_llm_answer(self.chat_model, turn.plan, self.settings, offline, remaining):
                yield (
                    Delta(event) if isinstance(event, str) else Delta(answer=_with_notice(event, turn.notice))
                )

    def _offline(self, turn: Turn, notice: str | None = None) -> Answer:
        assert turn.plan is not None
        cities = [
            o.text("city", turn.lang)
            for o in self.knowledge.offices.offices
            if o.kind == "office" and o.status == "active"
        ]
        answer = compose(turn.plan, cities)
        notices = " ".join(n for n in (turn.notice, notice) if n) or None
        return replace(
            answer,
            notice=notices,
            meta={
                "standalone": turn.plan.analysis.search,
                "parts": [
                    {
                        "text": p.sub.text,
                        "intent": p.sub.intent,
                        "attributes": list(p.sub.attributes),
                        "status": p.status,
                    }
                    for p in turn.plan.parts
                ],
                "hits": [h.id for h in turn.plan.hits[:8]],
            },
        )


def _spoken(answer: Answer) -> Iterator[Delta]:
    """An answer as the pipeline streams it: its text paragraph by paragraph, then the answer itself.

    The text is whole before it is spoken, so smaller pieces would only cost one pass through the
    pipeline and one page update each (24-character pieces: +1.4 ms of a 7.6 ms warm answer).
    """
    for paragraph in re.split(r"(?<=\n\n)", answer.text):
        if paragraph:
            yield Delta(paragraph)
    yield Delta(answer=answer)


def _final_answer(delta: Delta) -> Answer:
    if delta.answer is None:
        raise AssistantError("The pipeline ended without an answer.")
    return delta.answer


def _with_notice(answer: Answer, notice: str | None) -> Answer:
    if not notice:
        return answer
    return replace(answer, notice=" ".join(n for n in (notice, answer.notice) if n))


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


def _encodable(text: str) -> str:
    """`text` with lone surrogates (undecodable argv bytes, a JSON "\\udcff") made "?", so it prints and stores."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _lang_of(question: str) -> str:
    return "fr" if detect_language(question) == "fr" else "en"


def _error_answer(question: str, message: str) -> Answer:
    return Answer(
        text=message,
        status="refused",
        lang=_lang_of(question),
        question=_encodable(question),
        meta={"error": True},
    )


__all__ = ["Assistant", "Delta"]
