"""Several subjects in one part: the sentences that relate them, then the same property of each, side by
side; or, for what they did together, the sentences that name them all.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from assistant.analysis import fold
from assistant.best import best as _best
from assistant.best import defining as _defining
from assistant.candidates import candidates as _candidates
from assistant.candidates import serving as _serving
from assistant.entities import Entity, entities_of_tools, mentions
from assistant.entities import alias_pattern as _alias_pattern
from assistant.gaps import gap_text as _gap_text
from assistant.lists import tool_definition as _tool_definition
from assistant.offices import office_countries as _office_countries
from assistant.parts import SubQuestion
from assistant.plans import Context, Part, Statement
from assistant.prompts import GAP, GAP_EACH
from assistant.selection import Candidate, gives_attribute, jaccard, sentences_of

__all__ = ["became", "compare", "compared", "offices", "side_by_side", "together"]


def compare(sub: SubQuestion, primary: Sequence[Entity], ctx: Context) -> Part:
    """What relates the subjects, then the same property of each, side by side."""
    candidates = _candidates(sub, primary, [], ctx)
    both = [
        c
        for c in candidates
        if sum(mentions(c.sentence.folded, e) for e in primary) >= 2
        and _relates(c.sentence.folded, primary)  # "aux côtés de l'IEA" names both, compares nothing
        and not c.sentence.gap
        and not c.sentence.dangling
    ]
    statements: list[Statement] = []
    covered: set[str] = set()
    for c in both[:2]:
        named = {e.key for e in primary if mentions(c.sentence.folded, e)}
        if named - covered:
            statements.append(Statement(c.text, c, "answer"))
            covered |= named
    # Then what each one is (or the property asked of each), one sentence each; "duration and funding":
    # each property in turn, saying which one the documents do not give.
    attributes = sub.attributes
    counting = len(attributes) >= 2 and "count" in attributes
    if counting:
        # "en nombre de partenaires": the count qualifies the partners, it is no property of its own
        attributes = tuple(a for a in attributes if a != "count")
        sub = replace(sub, attributes=attributes)
    asked = [replace(sub, attributes=(a,)) for a in attributes] if len(attributes) >= 2 else [sub]
    for one in asked:
        side = side_by_side(
            replace(one, intent="general"),
            primary,
            ctx,
            skip={s.text for s in statements},
            quiet=bool(statements) and len(asked) == 1,
            counted=counting and one.attributes == ("partners",),
        )
        statements += side.statements
    return Part(sub, "answered" if statements else "gap", tuple(statements))


def offices(sub: SubQuestion, primary: Sequence[Entity], ctx: Context) -> Part | None:
    """ "Tokyo vs Singapore": offices differ by the countries they cover, so each one's zone, side by side,
    after a sentence that relates them when the documents have one."""
    if len(primary) < 2 or sub.attributes or any(e.kind != "office" for e in primary):
        return None
    related = compare(replace(sub, attributes=()), primary, ctx)
    statements = [s for s in related.statements if sum(mentions(fold(s.text), e) for e in primary) >= 2]
    for entity in primary:
        zone = _office_countries(replace(sub, entities=(entity,), intent="where"), entity, ctx)
        if zone is None:  # a former office: what the documents say it covered
            zone = side_by_side(
                replace(sub, attributes=("zone",), intent="general"), [entity], ctx, quiet=True
            )
            if not zone.statements:
                return None
        statements += [s for s in zone.statements if s.text not in {t.text for t in statements}]
    return Part(sub, "answered", tuple(statements), tuple(primary))


_RELATION = re.compile(
    r"\b(contrairement|unlike|whereas|alors que|tandis que|than|que l[ae']?|par rapport|compared|compare\w*"
    r"|differ\w*|distinct\w*|remplac\w*|replac\w*|succed\w*|succeed\w*|success\w*|devenu\w*|became|become"
    r"|same|meme|ancien\w*|former|avant|before|apres|after|suite|next step|etape|prolong\w*|extend\w*"
    r"|plus (long|court|large|petit|grand)\w*|longer|shorter|larger|smaller|au lieu|instead|oppos\w*|versus|vs"
    r"|et non|and not|not the|rather|plutot|mais|but|while|pendant que"
    r"|appele\w*|called|renamed|rebaptis\w*|devien\w*|desormais|nouveau nom|new name|ex|formerly|anciennement)\b"
)


def _relates(folded: str, entities: Sequence[Entity]) -> bool:
    """Whether a sentence relates two of the subjects: a comparing word between their names ("the IRN
    differs from the IRP") or opening the sentence ("Unlike the IEA, the IRP ...")."""
    spans = sorted(span for e in entities if (span := _first_mention(folded, e)) is not None)
    if len(spans) < 2:
        return False
    if _RELATION.match(folded[: spans[0][0]].strip()):
        return True
    for (_, end), (start, _) in itertools.combinations(spans, 2):
        between = folded[end:start]
        # two names far apart in a long sentence are listed, not related
        if len(between) <= 90 and _RELATION.search(between):
            return True
    return False


def compared(folded: str, primary: Sequence[Entity]) -> list[Entity]:
    """The subjects a comparison sets side by side, without the place they share ("IFCAM et CEFIRSE,
    toutes deux à l'IISc de Bangalore : quelle différence ?" compares two centres, not the institute and
    the city they are in)."""
    if len(primary) <= 2:
        return list(primary)
    placed = {
        e.key
        for e in primary
        if e.kind == "name"  # an office, a country, a tool is compared wherever it stands
        and (span := _first_mention(folded, e)) is not None
        and _AT.search(folded[max(0, span[0] - 12) : span[0]])
    }
    kept = [e for e in primary if e.key not in placed]
    return kept if len(kept) >= 2 else list(primary)


_AT = re.compile(r"\b(a l'|a|au|aux|at|in|en|de|du|dans|within|based at|hosted by)\s*(the\s+|l')?$")


def _first_mention(folded: str, entity: Entity) -> tuple[int, int] | None:
    found = [m.span() for a in entity.aliases if (m := _alias_pattern(a).search(folded))]
    return min(found) if found else None


def together(sub: SubQuestion, primary: Sequence[Entity], ctx: Context) -> Part | None:
    """What the subjects did together ("a joint event of the JSPS, the JST and the CNRS"): one sentence
    that names them all (all but one of three or more: "those two agencies" may bring a third name
    along), rather than one sentence about each."""
    candidates = _candidates(sub, primary, [], ctx)
    enough = max(2, len(primary) - 1)
    joint = [
        c
        for c in _serving(sub, candidates)
        if c.attribute and sum(mentions(c.sentence.folded, e) for e in primary) >= enough
    ]
    if not joint:
        return None
    return _best(sub, joint, primary, ctx)


def side_by_side(
    sub: SubQuestion,
    primary: Sequence[Entity],
    ctx: Context,
    skip: set[str] | None = None,
    quiet: bool = False,
    counted: bool = False,
) -> Part:
    """The asked property of each subject, one sentence each (`quiet`: say nothing of a missing one;
    `counted`: how many partners, so a sentence that counts them)."""
    skip = set(skip or ())
    others = [t for t in entities_of_tools(ctx.kb.tools) if t.key not in {e.key for e in primary}]
    statements: list[Statement] = []
    details: list[Statement] = []
    missing: list[Entity] = []
    for entity in primary:
        one = replace(sub, entities=(entity,), intent="general" if sub.intent == "compare" else sub.intent)
        found = _candidates(one, [entity], [], ctx)
        candidates = [c for c in found if c.text not in skip and c.text not in ctx.used]
        own = [c for c in candidates if c.serves and c.subject >= 1.0]
        alone = [
            c for c in own if not any(mentions(c.sentence.folded, o) for o in primary if o is not entity)
        ]
        ok = alone or own
        if not sub.attributes:
            ok = _defining(ok or [c for c in candidates if c.subject >= 1.0 and not c.sentence.gap], entity)
        ok = [c for c in ok if not c.sentence.dangling]
        if counted:
            # a sentence on this one alone that counts its partners, whether or not it says "partners"
            counting = [
                c
                for c in candidates
                if c.subject >= 1.0 and not c.sentence.dangling and _COUNTS_PARTNERS.search(c.sentence.folded)
            ]
            ok = [
                c
                for c in counting
                if not any(mentions(c.sentence.folded, o) for o in primary if o is not entity)
            ] or [c for c in ok if _COUNTS_PARTNERS.search(c.sentence.folded)]
        if sub.attributes and entity.kind == "tool":
            # "durée et financement": the passage that states what the directory records for the tool.
            stated = _directory_fact(one, entity, ctx)
            if stated is not None and stated.text not in skip:
                ok = [stated, *(c for c in ok if c.text != stated.text)]
        if not sub.attributes and entity.kind == "tool":
            # A tool is said by what it is for ("the tool for consolidating an established collaboration"),
            # as in the list of tools, not by a thin "is a collaborative research project".
            said = _tool_definition(one, entity, ctx)
            if said is not None and said.text not in skip:
                ok = [said, *(c for c in ok if c.text != said.text)]
        # "... represents the CNRS to the EU institutions:" announces items a one-line answer leaves out.
        ok = sorted(ok, key=lambda c: c.text.rstrip().endswith(":"))
        if ok:
            statements.append(Statement(ok[0].text, ok[0], "answer"))
            skip.add(ok[0].text)
            dated = [
                c
                for c in ok[1:4]
                if (c.sentence.date or c.sentence.number)
                and not (ok[0].sentence.date or ok[0].sentence.number)
                and mentions(c.sentence.folded[:50], entity)  # still about it, not a meeting it attended
                and not any(
                    mentions(c.sentence.folded, t) for t in others
                )  # "differs from the IRP": not asked
            ]
            if not sub.attributes and dated and jaccard(dated[0].sentence.stems, ok[0].sentence.stems) < 0.5:
                # What it is, then a dated fact, after every subject's first sentence: each side is
                # named up front.
                details.append(Statement(dated[0].text, dated[0], "answer"))
                skip.add(dated[0].text)
        elif not any(c.text in ctx.used and c.serves and c.subject >= 1.0 for c in found) and not any(
            mentions(fold(text), entity) and gives_attribute(sentences_of(text)[0], sub.attributes)
            for text in skip
            if sentences_of(text)
        ):
            # ... nor when this answer already gave it under another property ("déposé à tout moment")
            missing.append(entity)  # not when an earlier part said it ("in 2002, LEAs became LIAs")
    statements += details
    if not quiet:
        for entity in missing:
            text = _gap_text(replace(sub, entities=(entity,)), [entity], ctx.lang)
            if len(missing) > 1 and text == GAP[ctx.lang].format(question=sub.text.rstrip(" ?")):
                text = GAP_EACH[ctx.lang].format(subject=entity.label(ctx.lang))  # not the same line twice
            statements.append(Statement(text, None, "gap"))
    status = "answered" if len(missing) < len(primary) else "gap"
    return Part(sub, status, tuple(statements))


# "un ou deux pays étrangers", "environ 5 à 8 laboratoires", "plusieurs équipes": partners counted
_COUNTS_PARTNERS = re.compile(
    r"\b(\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|plusieurs|one|two|three|four|five|six|several)\s+"
    r"(\w+\s+)?(laboratoires?|labs?|laboratories|pays|countries|partenaires|partners|equipes|teams"
    r"|institutions|universites|universities)\b"
)

# The properties tools.yaml records for every tool, by the attribute a question asks.
_FIELDS = {"duration": "duration", "funding": "funding", "renewal": "renewable"}


def _directory_fact(sub: SubQuestion, entity: Entity, ctx: Context) -> Candidate | None:
    """The sentence of the tool's page that gives the property asked with the figure tools.yaml records
    for it ("Une IEA dure 2 ans"), the tool its subject first, so that each side of a comparison
    answers the same property."""
    field = _FIELDS.get(sub.attributes[0]) if sub.attributes else None
    tool = ctx.kb.tools.by_acronym(entity.key) if field else None
    recorded = tool.fields.get(field or "") if tool is not None else None
    if tool is None or not isinstance(recorded, Mapping):
        return None
    figures = [
        f
        for f in re.findall(r"\d+(?:[\s.,]\d{3})*", str(recorded.get(ctx.lang) or ""))
        if not re.fullmatch(r"(19|20)\d\d", f)  # the call's year is no figure of the property
    ]
    number = _NUMBER_WORDS.get(figures[0], figures[0]) if figures else ""
    stated = [
        c
        for c in _candidates(sub, [entity], [], ctx)
        if str(c.hit.meta.get("doc_id", "")) in entity.pages
        and c.attribute
        and c.subject >= 1.0
        and not c.sentence.gap
        and not c.sentence.dangling
        and (
            not figures or figures[0] in c.text or (number and re.search(rf"\b{number}\b", c.sentence.folded))
        )
        and (field != "duration" or _LENGTH.search(c.sentence.folded))  # "5 to 8 laboratories" lasts nothing
    ]
    # "Une IEA dure 2 ans" (the tool is what the sentence is about) before "the office lists the IEA, a
    # two-year tool".
    stated.sort(key=lambda c: (not _opens_on_name(c.sentence.folded, entity), -c.score))
    return stated[0] if stated else None


_LENGTH = re.compile(
    r"\b(\d+|one|two|three|four|five|six|deux|trois|quatre|cinq|six)\s*(ans?|years?|mois|months)\b"
)
_NUMBER_WORDS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six"}


def _opens_on_name(folded: str, entity: Entity) -> bool:
    head = re.sub(r"^(l'|le |la |les |un |une |the |an |a )", "", folded[:60])
    return any(head.startswith(alias) for alias in entity.aliases)


_BECAME = re.compile(
    r"\b(become|became|devenu\w*|devient|remplac\w*|replaced|replacement|successor|successeur|what happened to"
    r"|qu'est devenu\w*|renamed|rebaptis\w*)\b"
)


def became(sub: SubQuestion, primary: Sequence[Entity], ctx: Context) -> Part | None:
    """ "What did the PICS become?": the sentence that relates a former tool to the tool that replaced it."""
    if not _BECAME.search(fold(sub.text)):
        return None
    former = next((e for e in primary if e.kind == "tool"), None)
    later = next((t for t in ctx.kb.tools.tools if former is not None and t.replaced == former.key), None)
    successor = next((e for e in entities_of_tools(ctx.kb.tools) if later and e.key == later.acronym), None)
    if former is None or successor is None:
        return None
    pair = [former, successor]
    relating = [
        c
        for c in _candidates(replace(sub, entities=tuple(pair)), pair, [], ctx)
        if all(mentions(c.sentence.folded, e) for e in pair)
        and _RELATION.search(c.sentence.folded)
        and not c.sentence.gap
        and not c.sentence.dangling
    ]
    if not relating:
        return None
    return Part(sub, "answered", (Statement(relating[0].text, relating[0], "answer"),), (successor,))
