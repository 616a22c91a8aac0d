"""Why something happened: the sentences the documents file under a "why" heading on its subject.

"Pourquoi le CNRS a-t-il ouvert un bureau à Melbourne ?" is answered by the page's own "Pourquoi un bureau
en Océanie" section (60 % of the zone's activity, the confusing double presence in Singapore), not by the
one sentence that says when the office opened.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.analysis import fold
from assistant.parts import SubQuestion
from assistant.plans import Context, Part, Statement
from assistant.selection import Candidate

__all__ = ["WHY_HEADING", "asks_why", "reasons"]

_WHY = re.compile(
    r"^\W*(pourquoi|why)\b|\b(pour quelles? raisons?|for what reasons?|what (was|were) the reasons?"
    r"|quelles? (etaient|sont|ont ete) les raisons|what led|qu'est-ce qui a (pousse|conduit|motive))\b"
)
WHY_HEADING = re.compile(r"\b(pourquoi|why|raisons?|reasons?|motivations?|contexte de (la )?creation)\b")
_MOST = 5


def asks_why(sub: SubQuestion) -> bool:
    return bool(_WHY.search(sub.folded))


def reasons(sub: SubQuestion, candidates: Sequence[Candidate], ctx: Context) -> Part | None:
    """The sentences under a "why" heading that the part's best candidates come from, in the page's order."""
    by_section: dict[tuple[str, str], list[Candidate]] = {}
    for c in candidates:
        key = _section_of(c)
        if c.subject >= 0.7 and not c.sentence.gap and WHY_HEADING.search(key[1]):
            by_section.setdefault(key, []).append(c)
    if not by_section:
        return None
    key, chosen = max(by_section.items(), key=lambda kv: (len(kv[1]), max(c.score for c in kv[1])))
    if len(chosen) < 2 and chosen[0].words < 0.3:
        return None  # one stray sentence of a "why" section is no reason given
    # ... with the rest of that section, though it does not name the subject again ("Oceania was 60 %...")
    texts = {c.text for c in chosen}
    for c in candidates:
        if c.text not in texts and not c.sentence.gap and _section_of(c) == key:
            chosen.append(c)
            texts.add(c.text)
    ordered = sorted(chosen, key=lambda c: (c.hit.id, c.sentence.position))[:_MOST]
    return Part(sub, "answered", tuple(Statement(c.text, c, "answer") for c in ordered))


def _section_of(c: Candidate) -> tuple[str, str]:
    return str(c.hit.meta.get("doc_id") or c.hit.id), fold(str(c.hit.meta.get("section") or ""))
