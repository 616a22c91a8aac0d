"""Gaps: what a part says when no passage gives what it asks.

The documents' own statement that they do not know, when they have one, else ours (`prompts.GAP`);
then the closest thing the documents do say about the subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.analysis import fold
from assistant.answering import Unit
from assistant.candidates import fresh as _fresh
from assistant.candidates import in_place
from assistant.entities import Entity, mentions
from assistant.lexicon import ATTRIBUTE_BY_NAME
from assistant.parts import SubQuestion
from assistant.plans import Context, Part, Statement
from assistant.prompts import GAP, GAP_ABOUT, GAP_FIRST, GAP_FUTURE, GAP_PLAIN, GAP_YEAR
from assistant.selection import Candidate, says_first, time_match

__all__ = ["first_gap", "gap", "gap_statement", "gap_text", "year_gap"]


_A_DATE = re.compile(r"\b(date|dates|year|annee)\b")


def gap_statement(
    sub: SubQuestion, candidates: Sequence[Candidate], key: Unit | None = None
) -> Candidate | None:
    """The documents' own statement that they do not know what this part asks, if they have one."""
    offices = [e for e in sub.entities if e.kind == "office"]
    for c in candidates:
        if (
            c.sentence.gap
            and c.subject >= 0.7
            # "who headed the Hanoi office?": not the closing dates of Moscow and Malta on the same page
            and (not offices or any(mentions(c.sentence.folded, e) for e in offices))
            and c.attribute
            and (key is None or not key.stems.isdisjoint(c.sentence.stems))
            # about what is asked, in its words; or, asked "when", a sentence saying the date is not known
            and (
                key is not None
                or sub.attributes
                or c.words >= 0.5
                or (sub.intent == "when" and _A_DATE.search(c.sentence.folded))
            )
            and (not sub.years or c.sentence.years & set(sub.years) or not c.sentence.years)
        ):
            return c
    return None


def gap(
    sub: SubQuestion,
    candidates: Sequence[Candidate],
    primary: Sequence[Entity],
    ctx: Context,
    key: Unit | None = None,
) -> Part:
    """Nothing gives what this part asks: the documents' own "not documented" sentence, or ours.

    Then the closest thing the documents do say: a sentence on the subject that gives the asked
    property, or, for a part asked in its own words, one that holds its key word (the rule for IRP
    coordinators when asked about doctoral students leading an IEA).
    """
    said = gap_statement(sub, candidates, key)
    statements: list[Statement] = []
    if said is not None and said.text not in ctx.used:
        statements.append(Statement(said.text, said, "gap"))
    elif said is None:
        statements.append(Statement(gap_text(sub, primary, ctx.lang), None, "gap"))
    about = [
        c
        for c in _fresh(candidates, ctx)
        if c.subject >= (0.6 if key is not None else 1.0)
        and not c.sentence.gap
        and not c.sentence.dangling
        and (c.attribute or not sub.attributes)
        and (key is None or not key.stems.isdisjoint(c.sentence.stems))
        and c.text not in {s.text for s in statements}
    ]
    places = [e for e in sub.entities if e.kind in ("country", "region")]
    if places and any(e.kind == "tool" for e in primary):
        # what is known nearby is known of that place ("the IRLs in Singapore": not those of the US)
        about = [c for c in about if any(in_place(c, p, ctx) for p in places)]
    if about and primary and (key is not None or sub.attributes):
        # With neither a property nor a word of its own to go on ("Can a PhD student lead an IEA?" when
        # no sentence speaks of PhD students), any sentence on the subject would be filler.
        statements.append(Statement(about[0].text, about[0], "context"))
    return Part(sub, "gap", tuple(statements))


def gap_text(sub: SubQuestion, primary: Sequence[Entity], lang: str) -> str:
    attribute = ATTRIBUTE_BY_NAME.get(sub.attribute or "")
    what = attribute.label.get(lang, "") if attribute is not None and attribute.label else ""
    if sub.attribute == "count":
        what = _number_of(sub.text, lang) or what
        if what and len(sub.years) == 1:  # "combien d'IRP en 2023 ?": the count of that year
            what = f"{what} {'en' if lang == 'fr' else 'in'} {sub.years[0]}"
    elif sub.value == "person" and (attribute is None or attribute.value != "person"):
        # "who sat on the selection committee?": the people, not how the selection works
        what = _PEOPLE[lang]
    if primary and what and sub.time == "future":
        return GAP_FUTURE[lang].format(subject=_short_label(primary[0], lang))
    places = [e for e in sub.entities if e.kind in ("country", "region")]
    if sub.attribute == "count" and what and places:
        # "How many IRLs in India?": India is what the count is missing for, not the IRLs
        primary = places[:1]
    if primary and what:
        subject = _short_label(primary[0], lang)
        if fold(subject) in fold(what):  # "IEA : ... le nombre d'IEA": the subject once
            return GAP_PLAIN[lang].format(what=what)
        return GAP_ABOUT[lang].format(what=what, subject=subject)
    return GAP[lang].format(question=sub.text.rstrip(" ?"))


def year_gap(
    sub: SubQuestion, serving: Sequence[Candidate], primary: Sequence[Entity], ctx: Context
) -> Part | None:
    """ "Qui dirigeait la DERCI en 2015 ?" when no sentence speaks of 2015: say so, then what the documents
    say of the nearest year before and the nearest year after (not a sentence with no date at all)."""
    attribute = ATTRIBUTE_BY_NAME.get(sub.attribute or "")
    if len(sub.years) != 1 or attribute is None or not attribute.label or not primary or sub.time == "before":
        return None  # "avant 2015": what came earlier is the answer, not a gap for 2015 itself
    year = sub.years[0]
    # The year itself, a span that holds it, or "since" an earlier year: what time_match scores 0.8 or more.
    asked = replace(sub, years=(year,), time=None)
    if any(time_match(c.sentence, asked) >= 0.8 for c in serving):
        return None
    dated = [c for c in serving if c.sentence.years and c.subject >= 1.0 and not c.sentence.gap]
    before = [c for c in dated if max(c.sentence.years) < year]
    after = [c for c in dated if min(c.sentence.years) > year]
    near: list[Candidate] = []
    if before:
        near.append(max(before, key=lambda c: (max(c.sentence.years), c.score)))
    if after:
        near.append(min(after, key=lambda c: (min(c.sentence.years), -c.score)))
    if not near:
        return None
    text = GAP_YEAR[ctx.lang].format(
        what=attribute.label.get(ctx.lang, ""), year=year, subject=_short_label(primary[0], ctx.lang)
    )
    statements = [Statement(text, None, "gap"), *(Statement(c.text, c, "context") for c in near)]
    return Part(sub, "gap", tuple(statements))


def first_gap(
    sub: SubQuestion,
    serving: Sequence[Candidate],
    said: Candidate | None,
    primary: Sequence[Entity],
    ctx: Context,
) -> Part | None:
    """ "Who was the first director of the Tokyo office?" when no sentence says who was first: say so (in
    the documents' own words when they have them: "no director is named before 2020"), then the earliest
    person they do name, not today's director given as the first."""
    if sub.time != "first" or sub.value != "person" or not primary or not serving:
        return None
    if any(says_first(c.sentence) for c in serving):
        return None
    named = [c for c in serving if c.subject >= 1.0 and not c.sentence.gap] or list(serving)
    dated = [c for c in named if c.sentence.years]
    earliest = min(dated, key=lambda c: (min(c.sentence.years), -c.score)) if dated else named[0]
    if said is not None and not _NOW.search(said.sentence.folded):  # not "do not name the current director"
        lead = Statement(said.text, said, "gap")
    else:
        lead = Statement(GAP_FIRST[ctx.lang].format(subject=_short_label(primary[0], ctx.lang)), None, "gap")
    return Part(sub, "gap", (lead, Statement(earliest.text, earliest, "context")))


_NOW = re.compile(r"\b(current\w*|actuel\w*|today|aujourd'hui|now|nowadays|desormais)\b")


# "How many staff does it have?", "combien d'IEA par an ?": the counted noun, for "the number of staff"
_COUNTED = re.compile(
    r"\b(?:how many|number of|combien (?:de |d'|d’)|nombre (?:de |d'|d’))\s*([\w’'-]+)",
    re.IGNORECASE,
)
_NOT_NOUNS = frozenset(
    "does do did is are was were has have had can will the le la les a an de du des en y il elle ils on".split()
)


_PEOPLE = {"fr": "le nom des personnes concernées", "en": "the names of the people concerned"}


def _number_of(text: str, lang: str) -> str:
    m = _COUNTED.search(text)
    noun = m.group(1) if m is not None else ""
    if not noun or noun.lower() in _NOT_NOUNS:
        return ""
    if lang == "fr":
        return f"le nombre d'{noun}" if noun[:1].lower() in "aeiouyhéèê" else f"le nombre de {noun}"
    return f"the number of {noun}"


def _short_label(entity: Entity, lang: str) -> str:
    """A name to head a gap line: "IRL", not "IRL (International Research Laboratory)"; capitalised."""
    label = entity.label(lang)
    label = entity.key if entity.kind == "tool" and "(" in label else label
    return label[:1].upper() + label[1:]
