"""The `Assistant`: question (+ history) -> condensed question -> retrieval -> grounded, cited answer.

Built as an LCEL pipeline (`Assistant.runnable`) so it composes with the rest of LangChain; `ask`,
`stream` and `retrieve` are the API that the web app, the CLI and the evaluation use.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable, RunnableLambda

from assistant.analysis import detect_language, fold
from assistant.answering import (
    Piece,
    Unit,
    assemble,
    evidence,
    question_units,
    refusal,
    select_pieces,
    split_sentences,
)
from assistant.citations import Answer, support
from assistant.config import Settings
from assistant.conversation import History, condense, last_turns
from assistant.errors import AssistantError
from assistant.knowledge import KnowledgeBase
from assistant.prompts import EMPTY_QUESTION, INTERNAL_ERROR, OFFLINE_FALLBACK, TRUNCATED
from assistant.retrieval import Hit
from assistant.routing import Statement, office_statements, tool_statements

log = logging.getLogger(__name__)
Event = str | Answer
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_RETRIEVE_K = 8


@dataclass(frozen=True)
class Turn:
    """One question on its way through the pipeline."""

    question: str
    history: Sequence[Mapping[str, Any]] = ()
    standalone: str = ""
    lang: str = "en"
    notice: str | None = None
    hits: tuple[Hit, ...] = ()
    statements: tuple[Piece, ...] = ()
    evidence: float = 0.0
    early: Answer | None = None
    deadline: float = 0.0  # time.monotonic() by which an LLM must have answered
    units: tuple[Unit, ...] = ()  # the question's weighted words, computed once
    extra: Mapping[str, Any] = field(default_factory=dict)


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
        self.runnable: Runnable[Mapping[str, Any], Answer] = (
            RunnableLambda(self._prepare) | RunnableLambda(self._gather) | RunnableLambda(self._answer)
        ).with_config(run_name="derci-assistant")

    # -- public API ------------------------------------------------------------------------------

    def ask(self, question: str, history: History = ()) -> Answer:
        """The complete answer to `question`, given the conversation so far."""
        answer: Answer | None = None
        for event in self.stream(question, history):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None
        return answer

    def stream(self, question: str, history: History = ()) -> Iterator[Event]:
        """Text deltas as the answer is written, then the final `Answer` (whose text is authoritative)."""
        try:
            turn = self._gather(self._prepare({"question": question, "history": history}))
            refuses = not turn.statements and turn.evidence < self.settings.refusal_threshold
            if turn.early is not None or self.chat_model is None or not turn.hits or refuses:
                answer = self._answer(turn)
                yield from _chunks(answer.text)
                yield answer
                return
            from assistant.generation import llm_timeout_notice, stream_llm_answer

            remaining = turn.deadline - time.monotonic()
            if remaining < 0.1:  # the follow-up rewrite used the whole budget: the backend is too slow
                answer = self._offline_answer(turn, notice=llm_timeout_notice(turn.lang, self.settings))
                yield from _chunks(answer.text)
                yield answer
                return
            yield from stream_llm_answer(
                self.chat_model, turn, self.settings, self._offline_answer, timeout=remaining
            )
        except AssistantError as exc:
            log.warning("answer failed: %s", exc)
            yield _error_answer(question, str(exc))
        except Exception:
            log.exception("internal error while answering %r", question[:200])
            lang = detect_language(question)
            yield _error_answer(question, INTERNAL_ERROR["fr" if lang == "fr" else "en"])

    def retrieve(self, question: str, k: int = 5, *, filters: Mapping[str, str] | None = None) -> list[Hit]:
        """The ranked chunks behind an answer."""
        lang = detect_language(question)
        return self.knowledge.search.search(question, k, lang=lang, filters=filters)

    # -- pipeline steps ---------------------------------------------------------------------------

    def _prepare(self, inputs: Mapping[str, Any]) -> Turn:
        raw = _encodable(str(inputs.get("question") or ""))
        history = list(inputs.get("history") or ())
        text = _clean(raw)
        lang = detect_language(text)
        if lang == "unknown":
            previous = [t.question for t in last_turns(history)]
            lang = next(
                (detect_language(q) for q in reversed(previous) if detect_language(q) != "unknown"), "en"
            )
        if not re.search(r"\w", text):
            return Turn(
                raw,
                history,
                lang=lang,
                early=Answer(EMPTY_QUESTION[lang], refused=True, lang=lang, question=raw),
            )
        notice = None
        limit = self.settings.max_question_chars
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0]
            notice = TRUNCATED[lang].format(n=limit)
        standalone = condense(text, history, self.knowledge.offices)
        deadline = time.monotonic() + self.settings.llm_timeout
        if self.chat_model is not None and history and standalone != text:
            from assistant.generation import rewrite_follow_up

            # The rule-based condensation said this leans on the conversation: let the model rewrite
            # it, within a share of the turn's time budget (the answer itself needs the rest).
            budget = min(self.settings.llm_timeout / 3, 10.0)
            rewritten = rewrite_follow_up(self.chat_model, text, history, budget)
            standalone = rewritten if rewritten.strip() else standalone
        return Turn(text, history, standalone=standalone, lang=lang, notice=notice, deadline=deadline)

    def _gather(self, turn: Turn) -> Turn:
        if turn.early is not None:
            return turn
        kb = self.knowledge
        kb.refresh_if_changed()
        statements = [
            *office_statements(turn.standalone, turn.lang, kb.offices),
            *tool_statements(turn.standalone, turn.lang, kb.tools),
        ]
        units = question_units(turn.standalone, kb.lexical.idf, kb.glossary.alternatives)
        hits = tuple(kb.search.search(turn.standalone, _RETRIEVE_K, lang=turn.lang))
        return replace(
            turn,
            hits=hits,
            statements=tuple(p for s in statements if (p := self._cite(s)) is not None),
            evidence=evidence(units, hits),
            units=tuple(units),
        )

    def _answer(self, turn: Turn) -> Answer:
        if turn.early is not None:
            return turn.early
        return self._offline_answer(turn)

    def _offline_answer(self, turn: Turn, notice: str | None = None) -> Answer:
        if not turn.statements and turn.evidence < self.settings.refusal_threshold:
            answer = refusal(turn.question, turn.lang, turn.hits, turn.evidence, self._contact(turn))
        else:
            units = list(turn.units) or question_units(
                turn.standalone, self.knowledge.lexical.idf, self.knowledge.glossary.alternatives
            )
            budget = self.settings.max_answer_sentences - len(turn.statements)
            hits = turn.hits
            if turn.statements:
                # A directory answer is followed by what its own pages add, not by loosely related text.
                pages = {p.hit.meta.get("doc_id") for p in turn.statements}
                hits = tuple(h for h in hits if h.meta.get("doc_id") in pages)
                budget = min(budget, 2)
            pieces = select_pieces(
                turn.standalone,
                hits,
                units,
                turn.lang,
                max_sentences=max(1, budget),
                max_chars=self.settings.max_answer_chars - sum(len(p.text) for p in turn.statements),
            )
            stated = {p.text for p in turn.statements}
            keys = [fold(k) for p in turn.statements for k in p.keys]
            pieces = [
                *turn.statements,
                *(
                    p
                    for p in pieces
                    if p.text not in stated and (not keys or any(k in fold(p.text) for k in keys))
                ),
            ]
            answer = assemble(turn.question, turn.lang, pieces, turn.evidence)
        notices = [n for n in (turn.notice, notice) if n]
        return replace(
            answer,
            notice=" ".join(notices) or None,
            meta={"standalone": turn.standalone, "hits": [h.id for h in turn.hits]},
        )

    def _cite(self, statement: Statement) -> Piece | None:
        """The statement with the passage of its page that best supports it; None if none does."""
        if not statement.doc_id:
            return None
        hits = self.knowledge.search.search(
            statement.query, 4, filters={"doc_id": statement.doc_id}, mode="lexical"
        )
        scored = sorted(((support(statement.text, h.chunk.text), h) for h in hits), key=lambda x: -x[0])
        if not scored or scored[0][0] < 0.4:
            log.info("no passage of %s supports %r", statement.doc_id, statement.text)
            return None
        hit = scored[0][1]
        quote = max(split_sentences(hit.chunk.text), key=lambda q: support(statement.text, q), default="")
        return Piece(statement.text, hit, 1.0, quote=quote, keys=statement.keys)

    def _contact(self, turn: Turn) -> str | None:
        places = self.knowledge.offices.find(turn.standalone)
        office = next((p.office for p in places if p.office.kind == "office"), None)
        if office is None:
            return None
        return office.text("names", turn.lang)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


def _chunks(text: str, size: int = 24) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


def _encodable(text: str) -> str:
    """`text` with lone surrogates (undecodable argv bytes, a JSON "\\udcff") made "?", so it prints and stores."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _error_answer(question: str, message: str) -> Answer:
    lang = detect_language(question)
    return Answer(
        text=message,
        refused=True,
        lang="fr" if lang == "fr" else "en",
        question=_encodable(question),
        meta={"error": True},
    )


__all__ = ["OFFLINE_FALLBACK", "Assistant"]
