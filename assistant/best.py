"""The general case: the best sentences for a part, with one complement or the values that conflict,
else a gap.

Also what the other strategies share with it: `defining` (the sentences that say what a thing is,
first), `announced` (the items a sentence announces, in the sentences after it), `dedupe`, and
`person_for` (the person a part about "her discipline" is about, found first).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.analysis import fold, text_stems
from assistant.candidates import candidates as _candidates
from assistant.candidates import fresh as _fresh
from assistant.candidates import in_place
from assistant.candidates import key_word as _key_word
from assistant.candidates import section_chunks as _section_chunks
from assistant.candidates import serving as _serving
from assistant.conflicts import INSTITUTE
from assistant.conflicts import conflicting as _conflicting
from assistant.conflicts import value_kind as _value_kind
from assistant.conflicts import values as _values
from assistant.counting import A_NUMBER, counted_of, counts
from assistant.eligibility import for_the_asker, who_may_first
from assistant.entities import Entity, mentions, region_entities
from assistant.gaps import first_gap as _first_gap
from assistant.gaps import gap as _gap
from assistant.gaps import gap_statement as _gap_statement
from assistant.gaps import year_gap as _year_gap
from assistant.lexical import LexicalIndex
from assistant.lexicon import NOT_A_RANGE, PERSON_ATTRIBUTES, STRUCTURE_TYPES
from assistant.parts import SubQuestion
from assistant.plans import Context, Part, Statement
from assistant.retrieval import Hit
from assistant.selection import (
    DAY,
    Candidate,
    Sentence,
    asks_results,
    enumerates,
    gives_attribute,
    jaccard,
    sentences_of,
    subject_match,
    tells_results,
)

__all__ = [
    "announced",
    "announced_count",
    "best",
    "dedupe",
    "defining",
    "found_in",
    "person_entity",
    "person_for",
    "placed_in",
]


def best(sub: SubQuestion, candidates: Sequence[Candidate], primary: Sequence[Entity], ctx: Context) -> Part:
    serving = _serving(sub, candidates, ctx.analysis.situation)
    if not serving and sub.intent == "where" and not sub.attributes and primary:
        # "Les DSCA, c'est pour quel pays ?": a sentence on the subject that names a country or a
        # region answers, though it never says "pays".
        serving = [c for c in candidates if c.serves and c.subject >= 0.7 and _names_place(c, ctx)]
    if sub.intent == "definition" and primary:
        serving = defining(serving, primary[0])  # "what is X?": the sentence that says what X is first
    if not primary and set(sub.attributes) & _TOOL_PROPERTIES:
        # "Quel est le budget du CNRS ?": a sentence on an IRP's budget answers for the IRP, not for what
        # the question asks about; when the question names no tool, one about a tool is no answer.
        serving = [c for c in serving if not _about_a_tool(c)]
    if primary and all(e.kind == "org" for e in primary) and sub.value in ("number", "amount", "person"):
        # "Quel est le budget annuel de la DEI ?": a figure counts for the organisation only in a sentence
        # that names it, not in one on a page about it (an IEA's funding, the staff near the Tokyo office);
        # so does a statement that the figure is not documented.
        serving = [c for c in serving if c.subject >= 1.0]
        candidates = [c for c in candidates if c.subject >= 1.0]
    office = primary[0] if primary and primary[0].kind == "office" else None
    if office is not None:
        # "Who was the director of the Moscow office?": a sentence on the page of former offices that
        # names the New York office is about New York.
        serving = [c for c in serving if c.subject >= 1.0 or not _names_other_office(c, office, ctx)]
    if asks_results(sub):
        # "Quand a-t-on les résultats de l'appel IEA ?": a submission date is no date of results
        serving = [c for c in serving if tells_results(c.sentence)]
    key = _key_word(sub, ctx)
    if key is not None:
        # "Un doctorant peut-il porter une IEA ?": a sentence about IEAs that never speaks of doctoral
        # students does not answer, however well it scores on "porter".
        serving = [c for c in serving if not key.stems.isdisjoint(c.sentence.stems)]
    if "eligibility" in sub.attributes:
        serving = who_may_first(serving, candidates)
        for_them = for_the_asker(sub, serving, candidates, ctx)
        if for_them is not None:
            if isinstance(for_them, Part):
                return for_them
            serving = for_them
    places = [e for e in sub.entities if e.kind in ("country", "region")]
    counted = counted_of(sub)
    if counted:
        # "How many people work at the DEI?": a count of people, not "four missions" or "70 staff near Tokyo"
        # on another subject; with none, the documents do not give it. A sentence that counts what is
        # asked serves even when the rest of the question's words are not in it.
        serving = [c for c in serving if counts(c.sentence, counted)] or [
            c
            for c in candidates
            if c.serves and c.subject >= (0.7 if primary else 0.0) and counts(c.sentence, counted)
        ]
    named = [e for e in primary if e.kind == "name" and mentions(fold(sub.text), e)]
    if counted and named:
        # "Les DSCA : combien de projets ont été financés ?": a count of the scheme named, not the 155
        # proposals of another Africa campaign on the same page
        serving = [c for c in serving if any(mentions(c.sentence.folded, e) for e in named)]
    if (
        sub.intent in ("yes_no", "how_many")
        and places
        and any(e.kind in ("tool", "org", "name") for e in primary)
        and not _SCHEME_RULES & set(sub.attributes)
        and sub.value != "amount"  # "DesCartes à Singapour, combien de budget ?": the place is where it is
    ):
        # "Is there an IRC in the UK?": a sentence on IRCs that names no British partner does not say so;
        # "How many IRLs in India?" is not answered by Japan's 11. Not a scheme's rules asked with the
        # partner's city in passing ("is it too late to apply with my Toronto colleague?"): the call's
        # dates hold wherever the partner is.
        serving = [c for c in serving if any(in_place(c, p, ctx) for p in places)]
        if sub.intent == "how_many":
            # "How many IRLs in Singapore?": "four IRLs are located in Singapore", before "the Singapore
            # office states 75 IRLs", where the place only names who counts
            serving = sorted(serving, key=lambda c: not any(placed_in(c, p) for p in places))
    if sub.intent == "how_many" and not any(e.kind in ("country", "office", "region") for e in sub.entities):
        # "How many IRLs does the CNRS have?": the total, not "in 2023, Japan hosted 11 IRLs".
        # ... nor ASEAN's 6 (a region's count), when a count of the whole is there
        serving = (
            [c for c in serving if not _scoped_to_a_country(c, ctx) and not (counted and _in_a_region(c))]
            or [c for c in serving if not _scoped_to_a_country(c, ctx)]
            or serving
        )
        if counted and not INSTITUTE.search(fold(sub.text)):
            # "How many IEAs does the CNRS fund overall?": neither one institute's count (23 at the INSHS)
            # nor one region's (2 in ASEAN) is the total
            serving = [
                c
                for c in serving
                if not INSTITUTE.search(c.sentence.folded)
                and not (_OVERALL.search(fold(sub.text)) and _in_a_region(c))
            ]
        series = _series(sub, candidates, ctx) if counted else []
        if len(series) >= 2:
            return Part(sub, "answered", tuple(Statement(c.text, c, "item") for c in series))
        if counted and not sub.years and not _ONE_CALL.search(fold(sub.text)):
            # "How many ERC grants has the CNRS won?": a total, before the figure of one call.
            serving = sorted(serving, key=lambda c: bool(_ONE_CALL.search(c.sentence.folded)))
    if (
        not serving
        and sub.intent in ("general", "who")
        and not counted
        and primary
        and not any(mentions(fold(sub.text), e) for e in primary)  # its subject came from the background
    ):
        # "which South African funder can co-fund projects already funded on the French side?" asked
        # beside a network named in the background: the sentence that holds nearly all the question's own
        # words answers it, whatever subject it names.
        serving = [
            c
            for c in candidates
            if c.words >= 0.8
            and c.attribute
            and c.value  # "son budget annuel": a sum, not "helps researchers look for funding"
            and not c.sentence.gap
            and not c.sentence.dangling
            # "le bureau de Pékin ... son budget annuel": not the budget of an IRP
            and not (primary[0].kind in ("office", "org", "pole") and _A_TOOL.search(c.sentence.folded))
        ][:1]
    if (
        serving
        and primary
        and serving[0].words < 0.3
        and not any(mentions(fold(sub.text), e) for e in primary)  # its subject came from another part
    ):
        # "... and where in Africa are its institutional partnerships concentrated?" after a part on
        # UMIFREs: the sentence that holds the part's own words beats one on the subject it inherited
        own = [
            c
            for c in candidates
            if c.words >= 0.7
            and c.serves
            and c.score >= serving[0].score
            and not c.sentence.gap
            and not c.sentence.dangling
        ]
        if own:
            serving = [own[0], *(c for c in serving if c is not own[0])]
    if ctx.analysis.said and _OTHER.search(fold(sub.text)):
        # "Et ce bureau anime-t-il d'autres réseaux ?": the network the last answer named is not another one
        serving = [c for c in serving if c.text not in ctx.analysis.said]
    gap = _gap_statement(sub, candidates, key)
    if sub.time == "future" and primary:
        # "Qui sera le prochain directeur ?": no sentence tells what has not happened; what is known now
        # follows the gap as its context.
        return _gap(sub, [c for c in candidates if not c.sentence.gap], primary, ctx, key)
    if not serving or (gap is not None and _gap_wins(gap, serving[0], sub)):
        if counted:  # what the documents say near it must still count the same thing
            # ... and a "not documented" sentence must be about that same thing
            candidates = [c for c in candidates if not counted.isdisjoint(c.sentence.stems)]
            candidates = [
                c
                for c in candidates
                if (c.sentence.gap and A_NUMBER.search(c.sentence.folded)) or counts(c.sentence, counted)
            ]
        return _gap(sub, candidates, primary, ctx, key)
    other_years = _year_gap(sub, serving, primary, ctx) or _first_gap(sub, serving, gap, primary, ctx)
    if other_years is not None:
        return other_years
    fresh = _fresh(serving, ctx)
    example = bool(re.search(r"\b(exemple|example|instance)\b", fold(sub.text)))
    if fresh and example:
        serving = fresh  # an example is something not said yet
    if serving[0].text in ctx.used and set(sub.attributes) & PERSON_ATTRIBUTES:
        # "c'était qui, et quel était son parcours ?": the sentence that named him answered the first part;
        # what he did and his field are the next ones
        serving = [c for c in serving if c.text not in ctx.used]
    if not fresh or not serving or serving[0].text in ctx.used:  # an earlier part's sentence answers this one
        return Part(sub, "answered", (), found_in(sub, serving[:1]))
    best = fresh[0]
    chosen = [best]
    everything = _fresh(candidates, ctx)
    if counted and not any(e.kind in ("country", "office", "region") for e in sub.entities):
        # a region's disagreement ("5 UMIs in ASEAN in 2015, 4 around 2018") is no side of the total
        everything = [c for c in everything if not _in_a_region(c)]
    if counted:  # "the number of offices varies" is no side of a count of researchers
        everything = [
            c
            for c in everything
            if counts(c.sentence, counted)
            or (c.sentence.disagreement and not counted.isdisjoint(c.sentence.stems))
        ]
    conflict = _conflicting(best, fresh[1:], sub, ctx, everything)
    if conflict:
        chosen += conflict
        status = "conflict"
    else:
        status = "answered"
        run = _run(best, sub, primary, ctx)
        if len(run) > 1:
            chosen = run
        else:
            chosen += _complements(best, fresh[1:], sub)
            if len(chosen) == 2 and _ADDS.search(best.sentence.folded) and _earlier(chosen[1], best):
                # "The guide also mentions X" after "The guide mentions Y": in the documents' order
                chosen.reverse()
    several = _several(best, ctx) if best.sentence.announces and status == "answered" else []
    if several:
        chosen = [best, *several]
    if best.sentence.announces and best.text.rstrip().endswith(":"):
        items = announced(best, fresh, ctx)
        statements = [Statement(best.text, best, "lead"), *(Statement(c.text, c, "item") for c in items)]
        return Part(sub, "answered", tuple(statements), found_in(sub, chosen))
    if status == "conflict":
        # The sentence that says the sources disagree leads; each value follows with its source.
        kind = _value_kind(sub)
        lead = [c for c in chosen if c.sentence.disagreement and not _values(c.sentence, kind)]
        # Each value with its source; a sentence with no value of the asked kind is no side of it.
        valued = sub.value in ("date", "number") or sub.attribute in ("duration", "opening", "count", "share")
        values = [c for c in chosen if c not in lead and (not valued or _values(c.sentence, kind))]
        # The sides of a disagreement look alike by nature ("four poles: ..." against "four poles: ..."):
        # only a near copy of a side already given is dropped.
        sides: list[Candidate] = []
        # A second sentence with exactly the values of a side already given adds nothing to it either.
        for c in values:
            mine = _values(c.sentence, kind)
            if all(
                (
                    jaccard(c.sentence.stems, s.sentence.stems) < 0.6
                    # (unless it dates the value more precisely: "27 September 2019" beside "2019")
                    and not (
                        mine and mine == _values(s.sentence, kind) and _day(c.sentence) <= _day(s.sentence)
                    )
                )
                or mine - _values(s.sentence, kind)
                for s in sides
            ):
                sides.append(c)
        statements = [Statement(c.text, c, "lead") for c in lead[:1]] + [
            Statement(c.text, c, "conflict") for c in sides
        ]
        return Part(sub, status, tuple(statements), found_in(sub, chosen))
    return Part(
        sub, status, tuple(Statement(c.text, c, "answer") for c in dedupe(chosen)), found_in(sub, chosen)
    )


def _day(sentence: Sentence) -> bool:
    """Whether the sentence dates something to the day ("27 September 2019"), not only to the year."""
    return bool(DAY.search(sentence.folded))


_OVERALL = re.compile(
    r"\b(overall|in total|altogether|au total|en tout|worldwide|dans le monde|in the world|around the world"
    r"|across the world|a travers le monde|dans le monde entier)\b"
)
_ONE_CALL = re.compile(r"\b(appel|call)\b[^.;:]{0,40}\b(19|20)\d\d\b|\b(19|20)\d\d( \w+){0,2} (call|appel)\b")


def _names_other_office(c: Candidate, office: Entity, ctx: Context) -> bool:
    """Whether the sentence names another office by its city ("the New York office")."""
    mine = office.office or office.key
    return any(m.country is None and m.office.id != mine for m in ctx.kb.offices.find(c.text)) or any(
        other.id != mine for _, other in ctx.kb.offices.former(c.text)
    )


def _names_place(c: Candidate, ctx: Context) -> bool:
    """Whether a sentence names a country or a part of the world."""
    return any(mentions(c.sentence.folded, e) for e in _REGION_ENTITIES) or any(
        m.country for m in ctx.kb.offices.find(c.text)
    )


_REGION_ENTITIES = tuple(region_entities())


# "the Singapore office", "the CNRS office in Singapore", "le bureau de Pékin", "the office's website":
# a place named as whoever speaks or counts, not as where the things counted are
_AN_OFFICE_OF = re.compile(
    r"\b[\w-]+ office\b|\boffices? (in|at|of|for) (the )?[\w-]+|\bbureaux? (du cnrs )?(de |d'|a |en |au |aux |pour )"
    r"(l'|la |le )?[\w-]+"
)


def placed_in(c: Candidate, place: Entity) -> bool:
    """Whether a sentence names `place` other than in the name of an office."""
    return mentions(_AN_OFFICE_OF.sub(" ", c.sentence.folded), place)


def _scoped_to_a_country(c: Candidate, ctx: Context) -> bool:
    """Whether a sentence counts within a country ("Japan hosted 11 IRLs"), not only names an office
    by its city ("the Singapore office states 75 IRLs")."""
    for match in ctx.kb.offices.find(c.text):
        if match.country is None:
            continue
        place = re.escape(match.surface)
        office = rf"\b(office|bureau)( du cnrs| of the cnrs)? (in|de|a|à|en|au) {place}\b|\b{place} (office|bureau)\b"
        source = rf"\b(ambassade|embassy|selon|according to)\b[^.,;]{{0,30}}\b{place}\b"  # who says it
        if not re.search(office, c.sentence.folded) and not re.search(source, c.sentence.folded):
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _before_bracket(alias: str) -> re.Pattern[str]:
    return re.compile(re.escape(alias) + r"\s*\(")


_TOOL_PROPERTIES = frozenset(
    {"funding", "costs", "duration", "renewal", "eligibility", "calendar", "platform"}
)
_TOOL_NAME = re.compile(r"\b(iea|irp|irn|irl|irc|pics|lia|gdri|umi|international (emerging|research))s?\b")


# A scheme's rules: the same for every partner country
_SCHEME_RULES = frozenset(
    {"calendar", "platform", "duration", "funding", "eligibility", "selection", "renewal"}
)


def _about_a_tool(c: Candidate) -> bool:
    """A tool named in the sentence's first words: what it is about ("Selon l'appel 2025, un IRP reçoit...")."""
    return bool(_TOOL_NAME.search(c.sentence.folded[:60]))


_BEFORE_YEAR = re.compile(r"\b(?:before|avant|until|jusqu'en|prior to) (\d{4})\b")
_NOW = re.compile(r"\b(actuel\w*|current\w*|aujourd'hui|today|present|nowadays)\b")


def _gap_wins(gap: Candidate, best: Candidate, sub: SubQuestion) -> bool:
    """Whether the documents' "not documented" sentence answers better than the best other sentence."""
    if gap.subject >= 1.0 and best.subject < 1.0:
        return True  # "The documentation does not say whether an IRP can be renewed" beats a LIA sentence
    if (
        sub.intent == "when"
        and _EXACT_ASKED.search(sub.folded)
        and _EXACT_DATE_GAP.search(gap.sentence.folded)
    ):
        return True  # "À quelle date précise ?": "no source gives the exact date of the change" first
    if sub.time == "today" and _NOW.search(gap.sentence.folded):
        # "Before 2022, ... around 2017" is about the past: a year after "before" bounds it, not dates it.
        dated = set(best.sentence.years) - {int(y) for y in _BEFORE_YEAR.findall(best.sentence.folded)}
        recent = bool(dated) and max(dated) >= 2022
        return not recent and not _NOW.search(best.sentence.folded)  # the first director is not today's
    return False


_EXACT_ASKED = re.compile(r"\b(date (precise|exacte)|exact(e|ly|ement)?|precise(ment)?|precisely)\b")
_EXACT_DATE_GAP = re.compile(r"\b(date (precise|exacte)|exact date|precise date)\b")


def _in_a_region(c: Candidate) -> bool:
    """ "5 UMIs with ASEAN in 2015": a count within a region is no point of the worldwide series (but
    "37 UMIs worldwide, 4 of them in ASEAN" is)."""
    if _WORLDWIDE.search(c.sentence.folded):
        return False
    return bool(_REGION_WORD.search(c.sentence.folded)) or any(
        mentions(c.sentence.folded, r) for r in _REGION_ENTITIES
    )


_WORLDWIDE = re.compile(r"\b(worldwide|in the world|dans le monde|au total|in total)\b")
_REGION_WORD = re.compile(r"\b(asean|region|zone|continent)\b")


def _series(sub: SubQuestion, candidates: Sequence[Candidate], ctx: Context) -> list[Candidate]:
    """ "How has the number of UMIs changed over the years? Give the figures with their dates.": one
    dated worldwide count per year, the best sentence for each, in time order."""
    if not _OVER_TIME.search(fold(sub.text)):
        return []
    serving = [c for c in candidates if c.serves and not _scoped_to_a_country(c, ctx) and not _in_a_region(c)]
    by_year: dict[int, Candidate] = {}
    for c in serving[:30]:
        if c.sentence.gap or not c.sentence.years or c.subject < 0.7 or not c.sentence.number:
            continue
        year = max(c.sentence.years)
        if year not in by_year:  # serving is best first
            by_year[year] = c
    return [by_year[y] for y in sorted(by_year)][:8]


_OVER_TIME = re.compile(
    r"\b(over the years|over time|changed|evolved?|evolution|trend|au fil des (ans|annees)|evolue\w*|a change"
    r"|augmente\w*|grown|grew|progress\w*|with (their|the) dates|avec (leurs|les) dates|year by year|annee par annee)\b"
)


_A_TOOL = re.compile(r"\b(iea|irp|irn|irl|umi|lia|pics|gdri|irc|prc)s?\b")


# "comptent également", "also", "too": a sentence that adds to the one before it
_ADDS = re.compile(
    r"\b(egalement|aussi|also|too|as well|en outre|de plus|moreover|furthermore|in addition|par ailleurs)\b"
)
_OTHER = re.compile(r"\b(d'autres|autres?|other|others|else|besides|a part (ca|cela|celui-ci|celle-ci))\b")
_ONE_VALUE = ("date", "number", "person", "amount")
# a property with one value (a date, a count, a name) is given by one sentence, not by a run
_ONE_VALUE_ATTRIBUTES = frozenset(
    {
        "count",
        "rank",
        "opening",
        "closing",
        "duration",
        "director",
        "location",
        "renewal",
        "share",
        "predecessor",
    }
)


def _run(best: Candidate, sub: SubQuestion, primary: Sequence[Entity], ctx: Context) -> list[Candidate]:
    """ "Sur quels critères une IEA est-elle évaluée ?": the documents give the criteria over consecutive
    sentences of one section, and the best one is only one of them. The sentences next to it that give the
    same property of the same subject continue the answer (up to the first that does not); those before it
    come first only when it leans on them ("comptent également", "also"). The run in the documents' order,
    `best` included."""
    if not primary or sub.value in _ONE_VALUE or sub.intent not in ("general", "who", "yes_no", "definition"):
        return [best]
    asked = [
        a for a in sub.attributes if a not in _ONE_VALUE_ATTRIBUTES and gives_attribute(best.sentence, [a])
    ]
    if not asked or best.subject < 0.7:
        return [best]
    office = primary[0] if primary[0].kind == "office" else None

    def continues(hit: Hit, s: Sentence) -> bool:
        return (
            not (s.gap or s.pointer or s.dangling or s.disagreement)
            and s.text not in ctx.used
            and gives_attribute(s, asked)
            and subject_match(s, hit, primary) >= min(best.subject, 1.0)
            # "the 2023 Advanced call" goes on with the 2023 call, not with the 2024 Synergy call
            and not (best.sentence.years and s.years - best.sentence.years)
            and not (office and _names_other_office(candidate(hit, s), office, ctx))
        )

    def candidate(hit: Hit, s: Sentence) -> Candidate:
        return Candidate(s, hit, best.score * 0.9, best.subject, True, True)

    after: list[Candidate] = []
    for hit, s in _following(best, ctx.kb.lexical):
        if len(after) >= _RUN - 1 or not continues(hit, s):
            break
        after.append(candidate(hit, s))
    before: list[Candidate] = []
    if _ADDS.search(best.sentence.folded):
        earlier = [s for s in sentences_of(best.hit.chunk.text) if s.position < best.sentence.position]
        for s in reversed(earlier):
            if len(before) + len(after) >= _RUN - 1 or not continues(best.hit, s):
                break
            before.insert(0, candidate(best.hit, s))
    return [*before, best, *after]


def _several(lead: Candidate, ctx: Context) -> list[Candidate]:
    """ "The ERC guide lists several sources of information.": the sentences after it that name them, in
    the documents' words about the same thing ("The guide mentions ...", "The guide also mentions ..."),
    alike in what they say of it; "several" gives no count, so they stop at the first that is unlike."""
    if lead.text.rstrip().endswith(":") or announced_count(lead.sentence) or lead.sentence.gap:
        return []
    items: list[Candidate] = []
    for hit, s in _following(lead, ctx.kb.lexical):
        if s.gap or s.pointer or s.dangling or s.text in ctx.used or len(items) >= _RUN - 1:
            break
        shared = s.stems & lead.sentence.stems
        if len(shared) < 2 or (items and not (s.stems & items[0].sentence.stems) - lead.sentence.stems):
            break
        items.append(Candidate(s, hit, lead.score * 0.9, lead.subject, True, True))
    return items


def _earlier(a: Candidate, b: Candidate) -> bool:
    """`a` comes before `b` in the same chunk."""
    return a.hit.chunk.text == b.hit.chunk.text and a.sentence.position < b.sentence.position


_RUN = 4  # sentences at most in one run: a section's criteria, not the whole section


def _complements(best: Candidate, others: Sequence[Candidate], sub: SubQuestion) -> list[Candidate]:
    """At most one more sentence, when it adds to the same answer rather than repeating it."""
    if sub.intent not in ("definition", "yes_no", "general", "list"):
        return []
    for c in others:
        if c.score < best.score * 0.9:
            break
        if c.subject < best.subject or c.sentence.dangling or c.words < best.words * 0.6 or not c.attribute:
            continue
        new = c.sentence.stems - best.sentence.stems
        if len(new) < 0.4 * len(c.sentence.stems):
            continue  # mostly says what the first sentence said
        kind = _value_kind(sub)
        if (
            sub.value
            and _values(c.sentence, kind)
            and _values(c.sentence, kind) <= _values(best.sentence, kind)
        ):
            continue  # the same value again
        return [c]
    return []


def found_in(sub: SubQuestion, chosen: Sequence[Candidate]) -> tuple[Entity, ...]:
    """A person named by a "who" answer: what "his / her / sa" in the next part points to."""
    if sub.value != "person" and sub.intent != "who" and "director" not in sub.attributes:
        return ()
    names = [p for c in chosen for p in c.sentence.persons]
    if not names:
        return ()
    return (person_entity(names[0]),)


def person_entity(name: str) -> Entity:
    """A person named in a sentence, with the short forms texts use ("Minh-Hà Pham" for Minh-Hà Pham-Delègue)."""
    words = fold(name).split()
    aliases = {" ".join(words), words[-1]}
    if "-" in words[-1]:
        aliases.add(" ".join([*words[:-1], words[-1].split("-")[0]]))
    return Entity(
        "person", " ".join(words), {"fr": name, "en": name}, tuple(sorted(aliases, key=len, reverse=True))
    )


def person_for(sub: SubQuestion, primary: Sequence[Entity], ctx: Context) -> Entity | None:
    """ "DERCI's first director's background": first the director, then what is asked about them."""
    lookup = replace(sub, attributes=("director",), intent="who")
    candidates = _candidates(lookup, primary, [], ctx)
    serving = [c for c in candidates if c.serves]
    if not serving:
        return None
    found = found_in(lookup, serving[:1])
    return found[0] if found else None


def dedupe(chosen: Sequence[Candidate]) -> list[Candidate]:
    """Sentences that each add something: one whose words are mostly in an earlier one is left out."""
    out: list[Candidate] = []
    for c in chosen:
        stems = c.sentence.stems
        if all(c.text != o.text and len(stems - o.sentence.stems) >= 0.4 * len(stems) for o in out):
            # "An IRC is an institutional scheme." then "An IRC is an institutional scheme, designed in
            # 2021, that...": the longer one says all the first did, in its place.
            covered = [i for i, o in enumerate(out) if _within(o.sentence.text, stems)]
            if covered:
                out[covered[0]] = c
                continue
            out.append(c)
    return out


def _within(text: str, stems: frozenset[str]) -> bool:
    """Whether a sentence says nothing a longer one does not (its bracketed names aside)."""
    own = text_stems(re.sub(r"\([^()]*\)", " ", text))
    return bool(own) and len(own - stems) <= 0.15 * len(own)


_IS = re.compile(r"(est|sont|is|are|designe|means|refers to|signifie|l'|le |la |les |the |un |une |an? )")
_DEFINING = re.compile(
    r"((\w+ ){0,2}(est|sont|is|are|designe|means|refers to|signifie|a ete cree|was created|remplace|replaced"
    r"|permet|permettent|allows?|lets|sert|servent|serves?|fédère|federe|connects?|relie|associe|links?"
    r"|works? on|travaille sur|porte sur|focuses on|studies|etudie))\b"
)


_KIND = re.compile(r"^(umi|umr|irl|irp|irn|iea|lia|lea|gdri|gdre|umifre|lmi|pics|irc|ifre) (?=[a-z0-9])")
_BECAME = re.compile(r"(est|sont|is|are) (devenue?s?|now)\b|(has|have) become\b|became\b")
_NOT = re.compile(r"(ne |n')?(est|sont|is|are) (pas|not|never|jamais)\b|(ne|n')\s*(est|sont)\b")
_ARTICLE = re.compile(r"^(l'|l’|le |la |les |un |une |des |the |an |a |en \d{4}, |in \d{4}, )")


def defining(candidates: Sequence[Candidate], entity: Entity, expanded: bool = False) -> list[Candidate]:
    """Candidates that say what the entity is first: "X is ...", "Un X (...) est ...".

    `expanded`: among those, the ones that spell the name out ("L'IRL (International Research
    Laboratory) est ...") first: what a list of tools, one line each, needs.
    """

    def opens_on(c: Candidate) -> int:
        """0: "X is ..." / "X (...) est ..."; 1: "X allows ..."; 2: X is not the sentence's subject.

        The name must be the subject: first, or after an article ("L'IEA", "Un IRN (...)"), and followed
        by its expansion, a colon or the verb ("IRP proposals are submitted..." is about proposals).
        """
        head = _ARTICLE.sub("", c.sentence.folded[:120], count=1)
        for alias in entity.aliases:
            opening = _opening(head, alias)
            if opening is None:
                continue
            rest = re.sub(r"^s?\s*(\([^()]*\)\s*)?[:,]?\s*", "", opening[len(alias) :])
            if _NOT.match(rest):
                return 2  # "The PhD Joint Programs are not open to any university": what it is not
            if _IS.match(rest) and not _BECAME.match(rest):  # "La CEFIRSE est devenue un IRP": what it became
                return 0
            if _DEFINING.match(rest):
                return 1
        return 2

    def expands(c: Candidate) -> bool:  # "L'IRL (International Research Laboratory) est ...": a definition
        head = c.sentence.folded[:80]
        return any(a in head and _before_bracket(a).search(head) for a in entity.aliases)

    return sorted(candidates, key=lambda c: (opens_on(c), expanded and not expands(c), -c.score))


def _opening(head: str, alias: str) -> str | None:
    """The sentence from the name on when it opens on it, after the kind of structure it is ("L'UMI IFCAM
    (...) a été créée") or after the name spelt out ("La cellule franco-indienne des sciences de l'eau, ou
    CEFIRSE, a été créée"); None when the name is not the sentence's subject."""
    if head.startswith(alias):
        return head
    kind_first = _KIND.sub("", head, count=1)
    if kind_first.startswith(alias):
        return kind_first
    spelt = re.match(rf"[^,.;:()]{{8,90}},? (ou|or|dite?|also called|known as) {re.escape(alias)}\b", head)
    return head[spelt.end() - len(alias) :] if spelt else None


def announced(lead: Candidate, serving: Sequence[Candidate], ctx: Context) -> list[Candidate]:
    """The sentences after `lead` in its section that list what it announces ("trois grands défis")."""
    by_text = {c.text: c for c in serving}
    count = announced_count(lead.sentence)
    items: list[Candidate] = []
    named: set[str] = set()
    for hit, s in _following(lead, ctx.kb.lexical):
        if s.gap or s.pointer or len(items) >= 10:
            break
        name = _item_name(s)
        if name and name in lead.text:
            name = ""  # "La première mission de la DERCI": the list's subject, not an item's name
        if name and name in named:
            continue  # "Le LIA HOMEN a été lancé en 2011...": more on an item already listed; one line each
        named.add(name)
        items.append(by_text.get(s.text) or Candidate(s, hit, lead.score * 0.9, 1.0, True, True))
        if enumerates(s) or (count and len(items) >= count):
            break  # "... are IRD, IFRA and CIRAD.": the announced items, all in one sentence
    return items


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9@]{2,}")
_KINDS = STRUCTURE_TYPES | {"CNRS", "IRD"}  # what an item is, or who runs it: not its name


def _item_name(sentence: Sentence) -> str:
    """The acronym a listed item is known by, from its first words ("Le LIA HOMEN porte sur..." ->
    HOMEN, "L'UMIFRE IFAS-Recherche" -> IFAS); "" when it has none."""
    head = " ".join(sentence.text.split()[:6])
    return next((a for a in _ACRONYM.findall(head) if a not in _KINDS), "")


_COUNTS = {
    "deux": 2,
    "two": 2,
    "trois": 3,
    "three": 3,
    "quatre": 4,
    "four": 4,
    "cinq": 5,
    "five": 5,
    "six": 6,
    "sept": 7,
    "seven": 7,
    "huit": 8,
    "eight": 8,
    "neuf": 9,
    "nine": 9,
    "dix": 10,
    "ten": 10,
}


def announced_count(sentence: Sentence) -> int:
    """How many items a sentence announces ("trois grands défis" -> 3), 0 when it does not say."""
    m = re.search(
        r"(?<!\d )" + NOT_A_RANGE + r"\b(\d{1,2}|" + "|".join(_COUNTS) + r")\b(?! \d)(?= (\w+ )?\w+s\b)",
        sentence.folded,
    )
    if not m:
        return 0
    return int(m.group(1)) if m.group(1).isdigit() else _COUNTS[m.group(1)]


def _following(lead: Candidate, lexical: LexicalIndex) -> list[tuple[Hit, Sentence]]:
    """The sentences after `lead` in its section: in its chunk, then in the section's other chunks."""
    out = [(lead.hit, s) for s in sentences_of(lead.hit.chunk.text) if s.position > lead.sentence.position]
    for other in _section_chunks(lead.hit, lexical):
        out += [(other, s) for s in sentences_of(other.chunk.text)]
    return out
