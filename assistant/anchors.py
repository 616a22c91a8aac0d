"""A part answered without the rare names it asks about, answered by a sentence that names them.

Users name what they ask about by words the documents use in a handful of sentences: a person ("Yvonne
Mburu, c'est qui ?"), a network ("nexakili"), a centre ("CEFIRSE"). Those words are the surest sign of
the passage that answers. When the planner's choice names none of them, it answered from the words
around them ("conseil", "Afrique") with a sentence on something else, while a sentence that names them
is among the part's own candidates: that sentence answers instead.

Only plain passage answers and our own "I found no passage" line are replaced ("Et avec l'UERJ, il y a
quelque chose ?" is answered by the sentence on the network shared with the UERJ): a directory fact, a
route to an office, a list, a conflict or a gap the documents state is what the planner knows the question
asks, whatever words it uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.analysis import fold, stems, text_stems
from assistant.answering import Unit, question_units
from assistant.best import found_in
from assistant.counting import counted_of
from assistant.entities import mentions
from assistant.plans import Context, Part, Statement
from assistant.selection import Candidate, jaccard

# Inverse document frequency from which a word is rare enough to single out its passages: read on the
# corpus, a person's or a centre's name is used in one or two passages (5.8); "conseil" (3.3),
# "Tokyo" (2.1) and "fonde" (4.9) are in many.
RARE = 5.0
# ... and from which a word two sentences share makes them about the same thing ("Binétruy", not "CNRS")
SHARED = 4.0


def anchors(text: str, ctx: Context, names: bool = False) -> list[Unit]:
    """The names in `text` (capitalised words and acronyms; every word when `names`: it is one) that the
    documents use in very few passages. A rare common word ("watchwords", "spent") singles out no passage
    that answers; a word the documents never use (a typo) singles out nothing."""
    return [
        u
        for u in question_units(text, ctx.idf)
        if (u.entity or names) and u.weight >= RARE and ctx.kb.lexical.knows(u.word)
    ]


def anchored(part: Part, find: Callable[[], Sequence[Candidate]], ctx: Context) -> Part:
    """`part`, or the best of its candidates that names a rare word of the part when its answer names
    none of them."""
    # ... not a count, a sum or a date, which a sentence that only names the subject does not give
    ours = (
        part.status == "gap"
        and all(s.role == "gap" and s.source is None for s in part.statements)
        and not counted_of(part.sub)
        and part.sub.value not in ("amount", "number", "date")
        and part.sub.intent not in ("when", "how_many")
    )
    if not part.statements or not (
        ours or (part.status == "answered" and all(s.role == "answer" for s in part.statements))
    ):
        return part
    sub = part.sub
    # a country or an office is no rare name: whom to ask about Lebanon is a route, not a sentence on it
    places = {
        w
        for e in sub.entities
        if e.kind in ("country", "region", "office")
        for a in e.aliases
        for w in a.split()
    }
    rare = [u for u in anchors(sub.text, ctx) if u.word not in places]
    # ... and the person it asks about ("elle a fondé quoi ?"); a name it only carries over from the
    # conversation ("elle fait combien de m² ?" after the CLORA) is not what this part asks about
    rare += [
        u
        for e in sub.entities
        if e.kind == "person" or (e.kind == "name" and mentions(fold(sub.text), e))
        for u in anchors(e.aliases[0], ctx, names=True)
    ]
    if not rare:
        return part
    if any(s.source is not None and s.source.subject >= 1.0 for s in part.statements):
        # it names what the part asks about: the rare name may be the way there ("L'IRL LN2 est au Canada :
        # qui dirige le bureau qui couvre ce pays ?" is answered by the Ottawa office's director)
        return part
    said = frozenset().union(*(s.source.sentence.stems for s in part.statements if s.source is not None))
    if any(not u.stems.isdisjoint(said) for u in rare):
        return part
    naming = [
        c
        for c in find()
        if not c.sentence.gap
        and not c.sentence.dangling
        and c.text not in ctx.used
        and any(not u.stems.isdisjoint(c.sentence.stems) for u in rare)
        # nor what another part said in other words ("lancé en 2021 et en 2022 des DSCA" on another page)
        and not any(jaccard(c.sentence.stems, text_stems(t)) >= 0.6 for t in ctx.used)
    ]
    if not naming:
        return part
    best = max(naming, key=lambda c: (_named(rare, c), c.score))
    # What the first choice said of the thing the name leads to stays: "Saul Perlmutter co-directs a lab:
    # which one, in what field?" is answered by "the IRL Centre Pierre Binétruy is co-directed by Saul
    # Perlmutter", then by the choice that gave that lab's field.
    kept = [s for s in part.statements if s.source is not None and _same_rare_name(best, s.source, ctx)]
    chosen = [best, *(s.source for s in kept if s.source is not None)]
    statements = (Statement(best.text, best, "answer"), *kept)
    return replace(part, status="answered", statements=statements, found=found_in(sub, chosen))


def _same_rare_name(a: Candidate, b: Candidate, ctx: Context) -> bool:
    """Whether two sentences name the same rare thing: a capitalised word few passages use ("Binétruy";
    not "consultatif", which only says both are about a board)."""
    common = set(_names(a.text)) & set(_names(b.text))
    return any(min(ctx.idf(s) for s in stems(w)) >= SHARED and ctx.kb.lexical.knows(w) for w in common)


def _names(text: str) -> list[str]:
    return [fold(w) for w in _NAME.findall(text)]


_NAME = re.compile(r"(?<=\w[\s'’-])[A-ZÀ-Ý]\w+|\b[A-Z][A-Z0-9@]+\b")


def _named(rare: Sequence[Unit], c: Candidate) -> float:
    return sum(u.weight for u in rare if not u.stems.isdisjoint(c.sentence.stems))


__all__ = ["RARE", "anchored", "anchors"]
