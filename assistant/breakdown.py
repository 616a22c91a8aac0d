"""Pure: a question asked of each member of a set ("How is the budget split between its pillars?",
"the budget of each pillar", "réparti entre ses piliers"), when the documents state one member per
sentence. The best sentence gives one member; its passage's other sentences on the same kind of member
that give the same property are the rest of the answer, in the passage's order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.analysis import fold, text_stems
from assistant.plans import Part, Statement
from assistant.selection import Candidate, gives_attribute

__all__ = ["member_noun", "with_members"]


# The members asked about: "between its pillars", "among the offices", "per pillar", "for each
# institute", "entre ses piliers", "chacun de ses volets", "pour chaque institut"
_MEMBERS = re.compile(
    r"\b(?:split|divided|shared|distributed|allocated|broken down|breakdown|break-down)\b[^?]{0,40}?"
    r"\b(?:between|among|amongst|across|by|per)\s+(?:its|the|their|his|her|all\s+the\s+)?\s*([a-z]{4,})"
    r"|\b(?:repartie?s?|reparti|repartition|ventil\w*|partage\w*|divise\w*)\b[^?]{0,40}?"
    r"\b(?:entre|par)\s+(?:ses|les|leurs|ces|chaque|chacun\w* de?s?)\s*([a-z]{4,})"
    r"|\b(?:per|each|every)\s+([a-z]{4,})"
    r"|\b(?:chaque|chacune? de?s? (?:ses|les|leurs|ces))\s+([a-z]{4,})"
)
# A rate, not members: "per year", "par an", "each time"
_NOT_MEMBERS = frozenset(
    "year years month months week time times person people researcher researchers annee annees mois fois"
    " semaine personne personnes chercheur chercheurs".split()
)


def member_noun(text: str) -> frozenset[str]:
    """The stems of the members a part asks about one by one ("pillars" -> {"pillar"}), else empty."""
    m = _MEMBERS.search(fold(text))
    noun = next((g for g in m.groups() if g), "") if m else ""
    if not noun or noun in _NOT_MEMBERS:
        return frozenset()
    return text_stems(noun)


def with_members(part: Part, candidates: Sequence[Candidate], noun: frozenset[str]) -> Part:
    """`part` with the sentences of its first answer's passage that give the same property of the other
    members ("Pillar 2 ... has €53.5 billion" after "Pillar 1 ... has €25 billion"), in order; unchanged
    when the passage states no other member."""
    answers = [s for s in part.statements if s.role == "answer" and s.source is not None]
    if not noun or part.status != "answered" or not answers:
        return part
    attributes = part.sub.attributes
    # the answer's own sentence on one member, else the best passage sentence on one that gives the property
    on_member = [
        c
        for c in (*(s.source for s in answers), *sorted(candidates, key=lambda c: -c.score))
        if isinstance(c, Candidate)
        and not noun.isdisjoint(c.sentence.stems)
        and c.subject >= 0.7
        and (not attributes or gives_attribute(c.sentence, attributes))
    ]
    if not on_member:
        return part
    first = on_member[0]
    members = [
        c
        for c in candidates
        if c.hit.id == first.hit.id
        and not noun.isdisjoint(c.sentence.stems)
        and not c.sentence.gap
        and not c.sentence.dangling
        and (not attributes or gives_attribute(c.sentence, attributes))
    ]
    members = sorted({c.text: c for c in members}.values(), key=lambda c: c.sentence.position)
    if len(members) < 2:
        return part
    kept = {c.text for c in members}
    others = [s for s in part.statements if s.text not in kept and s.role != "answer"]
    return replace(part, statements=(*(Statement(c.text, c, "answer") for c in members), *others))
