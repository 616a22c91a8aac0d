"""What a part asks of each member of a set ("split between its pillars"), and the passage sentences that
answer it member by member."""

from __future__ import annotations

import pytest

from assistant.breakdown import member_noun, with_members
from assistant.index import StoredChunk
from assistant.parts import SubQuestion
from assistant.plans import Part, Statement
from assistant.retrieval import Hit
from assistant.selection import Candidate, sentences_of

PILLARS = (
    "Horizon Europe has a budget of about €95.5 billion. "
    "Pillar 1 of Horizon Europe has €25 billion. "
    "Pillar 2 of Horizon Europe has €53.5 billion. "
    "Pillar 2 gathers clusters of collaborative projects. "
    "Pillar 3 of Horizon Europe has €13.6 billion."
)
HIT = Hit(StoredChunk("europe#3", PILLARS, {"lang": "en", "doc_id": "en/europe"}), 1.0)


def _candidates() -> list[Candidate]:
    return [Candidate(s, HIT, 2.0 - s.position / 10, 1.0, True, True) for s in sentences_of(PILLARS)]


@pytest.mark.parametrize(
    ("text", "noun"),
    [
        ("How is the Horizon Europe budget split between its pillars?", "pillar"),
        ("What is the budget of each pillar?", "pillar"),
        ("Comment le budget est-il réparti entre ses piliers ?", "pilier"),
        ("Quel budget pour chaque pilier ?", "pilier"),
    ],
)
def test_member_noun_is_what_the_part_asks_one_by_one(text: str, noun: str) -> None:
    assert any(stem.startswith(noun[:5]) for stem in member_noun(text))


@pytest.mark.parametrize(
    "text", ["How much does an IEA get per year?", "Quel est le budget d'Horizon Europe ?"]
)
def test_member_noun_is_empty_for_a_rate_or_a_whole(text: str) -> None:
    assert member_noun(text) == frozenset()


def test_with_members_gives_each_member_sentence_of_the_passage_in_order() -> None:
    sub = SubQuestion("How is the budget split between its pillars?", "general", ("funding",), ())
    candidates = _candidates()
    part = Part(sub, "answered", (Statement(candidates[1].text, candidates[1], "answer"),))
    texts = [s.text for s in with_members(part, candidates, member_noun(sub.text)).statements]
    assert texts == [
        "Pillar 1 of Horizon Europe has €25 billion.",
        "Pillar 2 of Horizon Europe has €53.5 billion.",
        "Pillar 3 of Horizon Europe has €13.6 billion.",
    ]  # not "gathers clusters": it gives no budget


def test_with_members_leaves_a_part_asked_of_no_set_unchanged() -> None:
    sub = SubQuestion("What is the Horizon Europe budget?", "general", ("funding",), ())
    candidates = _candidates()
    part = Part(sub, "answered", (Statement(candidates[0].text, candidates[0], "answer"),))
    assert with_members(part, candidates, member_noun(sub.text)) == part
