"""The rescue of a part nothing matched by its words: when it answers, when it must not, what it costs.

A fake embedder stands in for the model: sentences on conferences point one way, everything else the
other, so that "closest in meaning" is decided by the test, not by MiniLM's judgement.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from assistant.entities import Entity
from assistant.index import StoredChunk
from assistant.parts import SubQuestion
from assistant.plans import Part, Statement
from assistant.rescue import rescued
from assistant.retrieval import Hit
from assistant.selection import Candidate, sentences_of

ANSWER = 'The conference "Europe de la recherche" in July 2004 marked a European turn in CNRS strategy.'
OTHER = "The Brussels office organises information events in Brussels."


class Meaning:
    """Embeds a text as [1, 0] when it speaks of a conference or an event, else [0, 1]; counts batches."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def _vector(self, text: str) -> list[float]:
        return [1.0, 0.0] if ("conference" in text or "event" in text) else [0.0, 1.0]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.batches.append(list(texts))
        return [self._vector(t) for t in texts]


def _candidate(text: str, words: float = 0.4) -> Candidate:
    [sentence] = sentences_of(text)
    hit = Hit(StoredChunk("c1", text, {"lang": "en", "doc_id": "en/page"}), 1.0)
    return Candidate(sentence, hit, 2.0, 1.0, True, True, words)


def _gap(sub: SubQuestion) -> Part:
    return Part(sub, "gap", (Statement("I found no passage that directly answers this part.", None, "gap"),))


def _ctx(embedder: Meaning, lang: str = "en") -> Any:
    return SimpleNamespace(kb=SimpleNamespace(embedder=embedder), used=set(), lang=lang)


EUROPE = Entity("name", "europe", {"en": "Europe", "fr": "Europe"}, ("europe",))


def _event(text: str = "What event marked the CNRS's turn towards Europe", **kw: Any) -> SubQuestion:
    return SubQuestion(
        text, kw.pop("intent", "general"), kw.pop("attributes", ("event",)), kw.pop("entities", ()), **kw
    )


def test_the_sentence_closest_in_meaning_answers_the_part() -> None:
    embedder = Meaning()
    part = rescued(
        _gap(_event()),
        lambda: [_candidate(OTHER.replace("events", "desks")), _candidate(ANSWER)],
        _ctx(embedder),
    )
    assert part.status == "answered"
    assert [s.text for s in part.statements] == [ANSWER] and part.statements[0].source is not None


def test_nothing_close_enough_leaves_the_gap() -> None:
    part = _gap(_event())
    assert (
        rescued(part, lambda: [_candidate("The office moved to the embassy in 2011.")], _ctx(Meaning()))
        is part
    )


@pytest.mark.parametrize(
    "sub",
    [
        _event(
            intent="yes_no", attributes=()
        ),  # a sentence close to "is it realistic?" says neither yes nor no, of nothing named
        _event(
            "Was it an event", intent="yes_no", attributes=(), entities=(EUROPE,), inherited=True
        ),  # ... nor of a subject only the conversation names
        _event(
            "How many events did the CNRS hold", intent="how_many", attributes=("count",)
        ),  # another count
        _event("What is its budget for the event", attributes=("funding",), intent="how_many"),
        _event("What event will come next", time="future"),
        _event("What event marked the turn at that time"),
    ],
)
def test_counts_sums_unnamed_yes_no_the_future_and_then_are_never_rescued(sub: SubQuestion) -> None:
    embedder = Meaning()
    part = _gap(sub)

    def find() -> list[Candidate]:
        raise AssertionError("the candidates are not even scored again")

    assert rescued(part, find, _ctx(embedder)) is part and embedder.batches == []


def test_a_closed_question_on_a_named_subject_keeps_its_gap_then_says_the_closest_sentence() -> None:
    sub = _event("Was Europe's turn an event", intent="yes_no", attributes=(), entities=(EUROPE,))
    other = _candidate(OTHER.replace("events", "desks"))
    part = rescued(_gap(sub), lambda: [other, _candidate(ANSWER)], _ctx(Meaning()))
    assert part.status == "gap"  # the sentence says neither yes nor no
    assert [(s.role, s.source is None) for s in part.statements] == [("gap", True), ("context", False)]
    assert part.statements[1].text == ANSWER


def test_a_share_asked_is_rescued_only_by_a_sentence_giving_a_share() -> None:
    sub = _event("What share of the events took place abroad", attributes=("success_rate",))
    two = _candidate("The conference programme had 2 stages.")
    assert rescued(_gap(sub), lambda: [two], _ctx(Meaning())).status == "gap"
    share = _candidate("About 40% of the conferences took place abroad.")
    assert [s.text for s in rescued(_gap(sub), lambda: [two, share], _ctx(Meaning())).statements] == [
        share.text
    ]


def test_the_documents_own_not_documented_sentence_is_kept() -> None:
    said = _candidate("No source consulted gives the date of the event.")
    part = Part(_event(), "gap", (Statement(said.text, said, "gap"),))
    assert rescued(part, lambda: [_candidate(ANSWER)], _ctx(Meaning())) is part


def test_a_year_asked_needs_a_sentence_of_that_year() -> None:
    part = _gap(_event("What event did the office attend in 2024", years=(2024,)))
    assert rescued(part, lambda: [_candidate(ANSWER)], _ctx(Meaning())) is part  # ANSWER is of 2004


def test_each_sentence_is_embedded_once_per_embedder() -> None:
    embedder = Meaning()
    for _ in range(3):
        rescued(_gap(_event()), lambda: [_candidate(ANSWER), _candidate(OTHER)], _ctx(embedder))
    assert embedder.batches == [[ANSWER, OTHER]]
    other = Meaning()  # another model: its own vectors, not the first one's
    rescued(_gap(_event()), lambda: [_candidate(ANSWER)], _ctx(other))
    assert other.batches == [[ANSWER]]
