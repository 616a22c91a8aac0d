"""Conflicts: sentences that give another value of the property asked, for the same subject.

Each value is kept with its source; a sentence that says outright that the sources disagree comes
first. Values are read by kind: years, durations, percentages, other figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.analysis import fold
from assistant.entities import Entity, mentions
from assistant.parts import SubQuestion
from assistant.plans import Context
from assistant.selection import Candidate, Sentence, gives_attribute, jaccard

__all__ = ["conflicting", "mentions_any", "value_kind", "values"]


INSTITUTE = re.compile(
    r"\b(ins2i|inshs|insmi|insu|inp|insb|inee|insis|in2p3|cnrs (computer science|sciences informatiques"
    r"|mathematiques|mathematics|sciences humaines|human and social|chimie|chemistry|physique|physics|biologie"
    r"|biology|ecologie|ecology|ingenierie|engineering|terre|earth|nucleaire|nuclear)|rattache\w* a l'institut"
    r"|attached to the institute)"
)


def conflicting(
    best: Candidate,
    others: Sequence[Candidate],
    sub: SubQuestion,
    ctx: Context,
    everything: Sequence[Candidate] = (),
) -> list[Candidate]:
    """Sentences giving another value of the same property of the same subject: the sources disagree.

    When a sentence says outright that the sources disagree on it, that sentence comes first, then one
    sentence per value. Otherwise two sentences conflict when both name the subject, give the asked
    property, say much the same thing (their other words overlap) and hold different values of the
    kind asked (another year, another duration).
    """
    expects = ctx.analysis.expects_conflict
    valued = sub.value in ("date", "number") or sub.attribute in ("duration", "opening", "count", "share")
    if not (valued or expects):
        return []
    asked = sub.attributes[:1]
    kind = value_kind(sub)
    if expects and not valued and len(_values_in(fold(ctx.analysis.situation), "year")) >= 2:
        kind, valued = "year", True  # "il date de 2021 ou de 2022 ?": the sides are years
    # "2020 or 2021?": the asker has met both values; a side may name the subject less fully.
    full = min(best.subject, 1.0)
    met = _values_in(fold(ctx.analysis.situation), kind) if expects else frozenset()
    about = [
        c
        for c in others
        if gives_attribute(c.sentence, asked)
        and (c.subject >= full or (c.subject >= full - 0.3 and met & values(c.sentence, kind)))
    ]
    if sub.years:  # "How many UMIs in 2011?": a count of 2015 is no side of it
        about = [c for c in about if not c.sentence.years or c.sentence.years & set(sub.years)]
    office = next((e for e in sub.entities if e.kind == "office"), None)
    if office is not None:
        # "Melbourne opened after the Ottawa office, itself created in 2022": Ottawa's year, not Melbourne's
        about = [c for c in about if not _names_other_office(c, office, ctx)]
    places = [e for e in sub.entities if e.kind in ("country", "region")]
    if places:  # "How many IRLs in Japan?": the world totals are no side of it
        about = [c for c in about if mentions_any(c.sentence.folded, places)]
    if "count" in asked and not INSTITUTE.search(fold(sub.text)):
        # "How many IRLs does the CNRS have?": one institute's own count (12 at INS2I) is no side of it
        about = [c for c in about if not INSTITUTE.search(c.sentence.folded)]
    said = [
        c
        for c in [best, *everything]
        if c.sentence.disagreement
        and _BETWEEN_SOURCES.search(c.sentence.folded)  # not "an IRL ..., whereas an IRC ..."
        and not c.sentence.dangling  # "Les deux sources divergent donc...": it concludes a passage
        and c.subject >= 0.7
        and gives_attribute(c.sentence, asked)
        # "when the Rio office began to represent all of South America" is no side of when it opened
        and ("opening" not in asked or bool(_OPENED.search(c.sentence.folded)))
        # "Les sources divergent sur la durée d'un IRN" is no side of how many laboratories it has
        and not (asked == ("count",) and gives_attribute(c.sentence, ("duration",)))
        and mentions_any(c.sentence.folded, sub.entities)
        and (not places or mentions_any(c.sentence.folded, places))
        # "how many UMIs in 2011?": "5 UMIs in 2015, 4 around 2018" disagree on other years
        and (not sub.years or not c.sentence.years or bool(c.sentence.years & set(sub.years)))
        and c.score >= best.score * 0.5
        # "quand tombent les résultats ?" names no property: "the name varies between sources" is about
        # something else unless it shares the part's own words
        and (bool(asked) or expects or c.words >= min(0.3, best.words))
        # with no subject named, a disagreement on another subject's date is no side of this one
        and (bool(sub.entities) or c.words >= best.words * 0.8)
    ]
    mine = values(best.sentence, kind)
    if (
        said
        and said[0] is not best
        and mine
        and mine <= values(said[0].sentence, kind)
        # "The number of IRLs varies between sources: 75, 80 ...": figures that differ are the sides
        and (kind != "number" or len(values(said[0].sentence, kind)) < 2)
    ):
        # "A 2005 source says X, whereas a 2010 source says Y" agrees on 2005: the sources disagree on
        # something else than the value asked.
        said = []
    if said and said[0] is not best and valued and len(values(said[0].sentence, kind)) >= 2:
        # "The number of IRLs varies between sources: 75, 80, or 80 in 37 countries.": every value said
        # in one sentence; a sentence per value after it would say it again.
        return [said[0]]
    if said:
        # "Sources disagree on when the Melbourne office opened.": then a sentence for each value.
        out = [said[0]] if said[0] is not best else []
        # A best sentence that spans the values ("places this opening in 2021-2022") is no side: each
        # value still needs the sentence that states it alone.
        spans = kind == "year" and len(values(best.sentence, kind)) >= 2
        seen = set() if spans else set(values(best.sentence, kind))
        # The sentence whose claim the others must repeat: the best one when it gives a value; when the
        # best only says the sources disagree, the first sentence that gives a value.
        anchor = best if seen else None
        # Sentences that say where their value comes from ("according to...", "selon...") first.
        sourced = sorted(about, key=lambda c: (not _ATTRIBUTED.search(c.sentence.folded), -c.score))
        if not valued:
            # "Which pole follows Oceania?": no figures to tell the sides apart; the sentences that say
            # where each side comes from ("according to the South America office, ...") are the sides.
            sides = [
                c
                for c in sourced
                if c is not said[0] and _ATTRIBUTED.search(c.sentence.folded) and not c.sentence.dangling
            ]
            return out + sides[:2]
        for c in sourced:
            theirs = values(c.sentence, kind)
            if c is said[0] or not theirs or theirs <= seen or c.score < best.score * 0.5:
                continue
            if (
                anchor is not None
                and not _same_claim(anchor.sentence, c.sentence, 0.15)
                # the passage that says the sources differ goes on with the sides, in its own words
                and c.hit.id != said[0].hit.id
            ):
                continue  # a year, but of something else (a joint PhD programme launched in 2019)
            anchor = anchor or c
            out.append(c)
            seen |= theirs
            if len(seen) >= 2 and len(out) >= (2 if said[0] is not best else 1):
                break
        return out
    out = []
    mine = values(best.sentence, kind)
    for c in about:
        if c.score < best.score * (0.55 if expects else 0.72):
            continue
        if valued:
            theirs = values(c.sentence, kind)
            if "opening" in asked and not _OPENED.search(c.sentence.folded):
                continue  # "Since 2011, the office has been in the new embassy": a move, not an opening
            dated_apart = bool(
                best.sentence.years and c.sentence.years and best.sentence.years != c.sentence.years
            )
            if c.hit.id == best.hit.id and not (
                expects and (_ANOTHER.search(c.sentence.folded) or dated_apart)
            ):
                # one passage does not disagree with itself ("15 grantees, ahead of Max Planck's 11"),
                # unless it reports another source's value to an asker who met several
                continue
            years = best.sentence.years, c.sentence.years
            if years[0] and years[1] and not years[0] & years[1] and "opening" not in asked and not expects:
                continue  # "15 grantees in the 2023 call", "26 in the 2021 call": two times, not two claims
            if met and not theirs & met:
                continue  # "2021 ou 2022 ?": not the office opened in 2024 on the same page
            # "2020 or 2021?": a sentence that gives both still brings the value the best one lacks
            differs = bool(theirs - mine) if expects else not (mine & theirs)
            if (
                mine
                and theirs
                and differs
                and _same_claim(best.sentence, c.sentence, 0.12 if expects else 0.3)
            ):
                out.append(c)
        elif (
            _same_claim(best.sentence, c.sentence, 0.2)
            and jaccard(best.sentence.stems, c.sentence.stems) < 0.7
        ):
            out.append(c)
        if len(out) >= 2:
            break
    return out


# A disagreement between sources, not a contrast between two things ("whereas", "tandis que").
_BETWEEN_SOURCES = re.compile(
    r"\b(divergen\w*|concordent|disagree\w*|differ\w*|varie\w*|vary|contradict\w*|sources?|selon|according"
    r"|d'apres|site|page|indique|states?|says?)\b"
)
_OPENED = re.compile(
    r"\b(ouv(ert|re|rir|erture)\w*|cre(e|ee|es|ees|ation)\b|fonde\w*|inaugur\w*|lance\w*|open(ed|ing|s)?"
    r"|creat\w+|found(ed|ing)|set up|establish\w*|launch\w*|signed|signe\w*|dat(es?|ed|ing) (from|to|back)"
    r"|dat(e|ent) d[eu]|remont\w*|installation)\b"
)
_ANOTHER = re.compile(r"\b(autre|another|other|selon|according|d'apres|elle|by contrast|en revanche)\b")
_ATTRIBUTED = re.compile(r"\b(selon|according to|d'apres|reported|indique|annonce\w*|states?|says?)\b")


def mentions_any(folded: str, entities: Sequence[Entity]) -> bool:
    return not entities or any(mentions(folded, e) for e in entities)


def value_kind(sub: SubQuestion) -> str:
    if "duration" in sub.attributes:
        return "duration"
    if "share" in sub.attributes:
        return "share"
    if sub.value == "date" or "opening" in sub.attributes:
        return "year"
    return "number"


_DURATION = re.compile(
    r"\b(\d+|un|une|deux|trois|quatre|cinq|six|one|two|three|four|five|six)(?:\s*(?:a|to|-|or|ou|et|and)\s*\w+)?\s*"
    r"(ans?|annees?|years?|mois|months)\b"
)
_SHARE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(%|pour cent|percent)")
_NUMBER_WORDS = {
    "un": "1",
    "une": "1",
    "one": "1",
    "deux": "2",
    "two": "2",
    "trois": "3",
    "three": "3",
    "quatre": "4",
    "four": "4",
    "cinq": "5",
    "five": "5",
    "six": "6",
}


def values(sentence: Sentence, kind: str) -> frozenset[str]:
    """The values of the asked kind a sentence gives (years, durations, percentages, figures)."""
    if kind == "year":
        return frozenset(str(y) for y in sentence.years)
    if kind == "duration":
        return frozenset(
            _NUMBER_WORDS.get(m.group(1), m.group(1)) + m.group(2)[:1]
            for m in _DURATION.finditer(sentence.folded)
        )
    if kind == "share":
        return frozenset(m.group(1) for m in _SHARE.finditer(sentence.folded))
    # Figures, not durations ("créé pour 5 ans" gives no count of IRLs), nor a unit's number ("IRL 3157").
    figures = _UNIT_NUMBER.sub(" ", _DURATION.sub(" ", sentence.folded))
    return frozenset(re.findall(r"\b(?!(?:19|20)\d\d\b)\d[\d\s.,]*\d|\b\d\b", figures))


_UNIT_NUMBER = re.compile(r"\b(irl|umi|umr|usr|upr|uar|lia|gdri|irp|irn|ird) ?\d{3,5}\b")


def _values_in(folded: str, kind: str) -> frozenset[str]:
    """The values of the asked kind a question quotes ("2020 or 2021?", "j'ai vu 4 ans, 5 ans")."""
    if kind == "year":
        return frozenset(re.findall(r"\b(?:19|20)\d\d\b", folded))
    if kind == "duration":
        return frozenset(
            _NUMBER_WORDS.get(m.group(1), m.group(1)) + m.group(2)[:1] for m in _DURATION.finditer(folded)
        )
    return frozenset()


def _names_other_office(c: Candidate, office: Entity, ctx: Context) -> bool:
    mine = office.office or office.key
    return any(m.country is None and m.office.id != mine for m in ctx.kb.offices.find(c.text))


def _same_claim(a: Sentence, b: Sentence, floor: float = 0.3) -> bool:
    """Whether two sentences say much the same thing, figures aside."""
    return jaccard(_words(a), _words(b)) >= floor


def _words(sentence: Sentence) -> frozenset[str]:
    return frozenset(w for w in sentence.stems if not w[:1].isdigit())
