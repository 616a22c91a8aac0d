"""The answer plan: for each part of a question, the statements that answer it and the passage behind each.

`plan(analysis, knowledge, ...)` looks each part of the question up the way its kind needs:

- where / which office: the directory (country -> office or headquarters pole), each statement backed
  by the passage of the office's page that says it; a named structure (an IRL, a LIA) is first placed
  in its country or office from the sentences about it (the hop), and that office becomes the subject
  of the parts after it ("who headed that office around 2017?");
- recommendation: the tool that fits the collaboration the message describes (tools.yaml stages);
- compare: the sentences that relate the subjects, then the same property of each side by side;
- list: every item: an enumerating sentence, the items announced by a sentence ("trois grands défis"),
  or the directory's list (labelled when it is a reconstruction, not a list the sources give);
- definition, procedure, who, when, how many, yes/no: the best sentences for the part's subject and
  property (`selection.score`), in document order for a procedure.

A part whose property no passage gives is a gap: the plan keeps the documents' own statement that they
do not know when there is one, else says it, with what the documents do give. Several values of one
property (two durations, two dates) are a conflict: each is kept, with its source. The plan never
invents: every statement is a sentence of a passage, or a directory fact with the passage that backs it,
or a framing sentence (a gap, a list's lead) that asserts nothing the passages do not show.

This module dispatches each part to the strategy its kind needs and carries what a part found to the
parts after it. The strategies: `offices` (directory answers) and `recommendation`, `comparison`,
`lists` (lists and procedures), and the general case `best` with its `conflicts` and `gaps`; all of
them read the scored sentences of `candidates` and build the data types of `plans`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from assistant.analysis import content_words, fold, text_stems
from assistant.anchors import anchored as _anchored
from assistant.answering import Unit, coverage, evidence, question_units
from assistant.best import best as _best
from assistant.best import person_for as _person_for
from assistant.breakdown import member_noun, with_members
from assistant.candidates import candidates as _candidates
from assistant.candidates import units_for
from assistant.comparison import became as _became
from assistant.comparison import compare as _compare
from assistant.comparison import compared as _compared
from assistant.comparison import offices as _compare_offices
from assistant.comparison import side_by_side as _side_by_side
from assistant.comparison import together as _together
from assistant.counting import counted_of, counts
from assistant.entities import (
    UNIT_TYPES,
    Entity,
    entities_of_tools,
    kind_of,
    mentions,
    office_entity,
    place_entity,
    unique,
)
from assistant.gaps import gap_text as _gap_text
from assistant.knowledge import KnowledgeBase
from assistant.lexicon import ATTRIBUTE_BY_NAME, PERSON_ATTRIBUTES, STRUCTURE_TYPES, YEAR
from assistant.lists import items as _items
from assistant.lists import next_step as _next_step
from assistant.lists import partner_steps as _partner_steps
from assistant.lists import procedure as _procedure
from assistant.lists import tool_overview as _tool_overview
from assistant.lists import wants_items as _wants_items
from assistant.numerals import in_digits
from assistant.offices import addressee as _addressee
from assistant.offices import contact as _contact
from assistant.offices import directory_opening as _directory_opening
from assistant.offices import former_offices as _former_offices
from assistant.offices import host_kind
from assistant.offices import office_count as _office_count
from assistant.offices import office_countries as _office_countries
from assistant.offices import office_location as _office_location
from assistant.offices import offices_table as _offices_table
from assistant.offices import route as _route
from assistant.offices import still_active as _still_active
from assistant.offices import undated_opening as _undated_opening
from assistant.offices import unknown_office as _unknown_office
from assistant.parts import SubQuestion, listed_noun
from assistant.plans import Context, Part, Plan, Statement
from assistant.prompts import (
    CANNOT_ACT,
    CONTACT,
    NOT_NAMED,
    OF_ITS_KIND,
    UNKNOWN_NAME,
    VALUE_NOT_FOUND,
    VALUES_NOT_FOUND,
)
from assistant.question import Analysis, quoted_people
from assistant.reasons import WHY_HEADING, asks_why
from assistant.reasons import reasons as _reasons
from assistant.recognition import name_entity
from assistant.recommendation import recommend as _recommend
from assistant.rescue import rescued as _rescued
from assistant.routing import collaboration_stage, contract, join_names
from assistant.selection import Candidate, Sentence, gives_attribute, holds_value, score, sentences_of
from assistant.topics import on_topic as _on_topic
from assistant.yes_no import answers_yes_no, excludes, offers_options, verdict

__all__ = ["Part", "Plan", "Statement", "plan"]


# Properties of an office: asked about a country, they are about the office that covers it.
_OFFICE_ATTRIBUTES = frozenset(
    {"director", "opening", "location", "mission", "closing", "announcement", "event"}
)


def plan(
    analysis: Analysis, kb: KnowledgeBase, *, embedding: Sequence[float] | None, threshold: float
) -> Plan:
    """The plan that answers `analysis`, from the knowledge base."""
    ctx = Context(kb, analysis, analysis.lang, embedding, kb.lexical.idf)
    base = ctx.search(analysis.search, 12)
    units = question_units(analysis.text, ctx.idf, kb.glossary.alternatives)
    strength = evidence(units, base)
    unknown = _unknown_office(analysis, kb)
    if unknown:
        # "the CNRS office in Taipei": there is none, and Taiwan's office is whom to ask
        covering = next(
            (m.office for m in kb.offices.find(unknown) if m.by_city and m.office.kind == "office"), None
        )
        contact = _addressee(covering, analysis.lang) if covering is not None else None
        return Plan(
            analysis, (), tuple(base), strength, refusal="no_such_office", place=unknown, contact=contact
        )
    if _about_the_unknown(analysis, kb):
        # "When is the next ANR PRCI call with Germany?": a scheme no passage names, and nothing the
        # documents know beside a country: outside what they cover, not a figure from another scheme
        return Plan(
            analysis, (), tuple(base), strength, refusal="out_of_scope", contact=_contact(analysis, kb)
        )
    parts: list[Part] = []
    countries = tuple(e for e in analysis.entities if e.kind == "country")[:2]
    quoted = set(_claimed_values(analysis.text)) if analysis.expects_conflict else set()
    for at, sub in enumerate(analysis.subs):
        if len(quoted) >= 2 and sub.years and {str(y) for y in sub.years} <= quoted:
            # "The Tokyo office opened in 1992 or 1994?": the years are the values in doubt, not when
            sub = replace(sub, years=())
        sub = _carry(sub, parts, kb, analysis.situation)
        sub = _those_countries(sub, countries)
        sub = _that_office(sub, parts)
        sub = _at_that_time(sub, parts)
        again = (
            _other_offices(sub, parts, ctx)
            or _whom(sub, parts, ctx)
            or _routed(sub, parts)
            or _since(sub, parts[-1])
            or _follow_on(sub, parts[-1], ctx)
            if parts
            else None
        )
        part = _named_scheme(again or _plan_part(sub, ctx), ctx)
        if _ACTS.search(fold(sub.text)):
            part = _cannot_act(part, ctx.lang)
        if part.status == "gap" and "contact" in sub.attributes and not sub.entities and countries:
            # "On veut collaborer avec un labo israélien : vers qui se tourner ?": when nothing says whom
            # to contact in general, whoever covers that country
            routed = _plan_part(replace(sub, entities=countries, inherited=True), ctx)
            part = routed if routed.answered or any(s.role == "route" for s in routed.statements) else part
        if part.status == "gap":
            part = _of_its_kind(part, ctx) or part
        if part.status == "gap":
            part = _rescued(part, partial(_part_candidates, part.sub, ctx), ctx)
        part = _anchored(part, partial(_part_candidates, part.sub, ctx), ctx)
        part = _each_named(part, ctx)
        part = _unnamed(part, ctx.lang)
        part = _not_said_again(part, parts)
        part = _leaves_what_is_asked_next(part, analysis.subs[at + 1 :])
        parts.append(part)
        ctx.used.update(s.text for s in part.statements)
    parts = _each_claimed_value(parts, ctx)
    parts = _settled_by_others(parts, ctx)
    if (
        len(parts) > 1
        and parts[0].sub.intent == "compare"
        and not parts[0].sub.attributes
        and _names_only(parts[0].sub)
        and all(p.sub.inherited and p.sub.attributes for p in parts[1:])
    ):
        # "IEA vs IRP: which one lasts longer and which has more funding?": the parts after the colon say
        # what to compare; a general portrait of each side first would be filler.
        parts[0] = replace(parts[0], statements=())
    if analysis.unknown:
        return _unknown(analysis, parts, ctx, strength)
    documented = any(
        e.kind in ("office", "country", "tool", "pole", "org") or (e.kind == "name" and _named_thing(e))
        for e in analysis.entities
    ) or bool(
        _OFFICES.search(fold(analysis.text)) and _CNRS.search(fold(analysis.text))
    )  # "les bureaux du CNRS"
    # A route to a pole at headquarters is a gap (no office abroad) that still tells whom to ask.
    answered = any(p.answered or any(s.role == "route" for s in p.statements) for p in parts)
    if _PERSONAL.search(fold(analysis.text)) and not any(
        e.kind in ("office", "tool", "pole", "org", "name") for e in analysis.entities
    ):
        # "combien me reste-t-il de jours de congés ?", "reset my VPN password": the asker's own administration
        return Plan(analysis, tuple(parts), tuple(base), strength, refusal="personal")
    tasks = bool(parts) and all(_TASK.search(fold(p.sub.text)) for p in parts)
    tasks = tasks or bool(_NOT_THE_CNRS.search(fold(analysis.text)))
    if tasks or (_off_topic(analysis) and (strength < threshold or not answered)):
        # "Peux-tu me réserver un hôtel près de l'université ?": a task, not a question the documents
        # answer, however many words of the domain the message holds.
        # Nothing of the domain in the question: say what the assistant is for, nothing more.
        return Plan(analysis, tuple(parts), tuple(base), strength, refusal="off_topic")
    # Nothing answered and little of the question in the documents: a refusal (naming the office of
    # the place asked about, if any), not a list of "the documentation does not give...".
    # The documents' own "not documented" sentence on what is asked ("the sources do not name the current
    # director of the Washington office") answers a question however noisy its wording ("hi, quick one").
    # ... and what has not happened yet is a gap of every document, not a question out of scope.
    stated_gap = documented and any(
        s.role == "gap" and (s.source is not None or p.sub.time == "future")
        for p in parts
        for s in p.statements
    )
    if not answered and not stated_gap and (strength < threshold or not documented):
        return Plan(
            analysis,
            tuple(parts),
            tuple(base),
            strength,
            refusal="out_of_scope",
            contact=_contact(analysis, kb),
        )
    if not any(p.statements for p in parts):
        return Plan(analysis, tuple(parts), tuple(base), strength, refusal="out_of_scope")
    return Plan(
        analysis, tuple(parts), tuple(ctx.pool.values()), strength, contact=_contact(analysis, kb, parts)
    )


def _that_office(sub: SubQuestion, before: Sequence[Part]) -> SubQuestion:
    """ "Which office is it attached to, and does that office still cover Canada?": "that office" is the
    office the part before found (Washington), so that the route to Ottawa says no."""
    if not before or not _THAT_OFFICE.search(fold(sub.text)) or any(e.kind == "office" for e in sub.entities):
        return sub
    found = [e for e in before[-1].found if e.kind == "office"]
    if len(found) != 1:
        return sub
    # The places the part names itself ("Canada"), not those it inherited with "that office" (Mexico)
    own = [e for e in sub.entities if e.kind != "name" and mentions(fold(sub.text), e)]
    return replace(sub, entities=(found[0], *own), inherited=True)


def _at_that_time(sub: SubQuestion, before: Sequence[Part]) -> SubQuestion:
    """ "L'accord a été signé quand ? Le PDG était-il au Japon à ce moment-là ?": "à ce moment-là" is the
    year the part before gave."""
    if sub.years or not before or not _AT_THAT_TIME.search(fold(sub.text)):
        return sub
    given = [y for s in before[-1].statements if s.role != "gap" for y in YEAR.findall(fold(s.text))]
    return replace(sub, years=(int(given[0]),)) if given else sub


_AT_THAT_TIME = re.compile(
    r"\b(a ce moment-?la|a cette (date|epoque|periode)|a l'epoque|cette annee-?la|at (that|the) time|back then"
    r"|that year|in that year|that same year|la meme annee)\b"
)


_THAT_OFFICE = re.compile(
    r"\b(ce bureau|cet office|that office|this office|the same office|ce meme bureau)\b"
)


def _not_said_again(part: Part, before: Sequence[Part]) -> Part:
    """A part's answer that another part already gave in other words ("déposée conjointement par deux
    directeurs" after "deux directeurs présentent une demande commune") is not given twice."""
    said = [text_stems(s.text) for p in before for s in p.statements if s.role in _PLAIN]
    texts = {s.text for p in before for s in p.statements if s.role not in ("gap", "route")}
    if not said and not texts:
        return part
    kept = tuple(
        s
        for s in part.statements
        if s.role in ("gap", "route")
        or (
            s.text not in texts  # the same list again for "... et dans quelles disciplines ?"
            and (
                s.role not in _PLAIN
                # ("Jan Matas is a CNRS geophysicist" after "the director was Jan Matas": a person's field
                # or career repeats the name, and says what was asked)
                or bool(set(part.sub.attributes) & PERSON_ATTRIBUTES)
                or all(len(text_stems(s.text) & t) < 0.7 * len(text_stems(s.text)) for t in said)
            )
        )
    )
    if kept and all(s.role == "lead" for s in kept):
        kept = ()  # "La documentation en cite 6 :" with none of the 6 left to follow it
    if len(kept) == len(part.statements):
        return part
    return replace(part, statements=kept)


_PLAIN = frozenset({"answer", "context"})


def _leaves_what_is_asked_next(part: Part, later_subs: Sequence[SubQuestion]) -> Part:
    """ "c'est quoi ce programme ?? cb de budget ?": what the thing is, without the budget sentence that the
    next part asks for (it would then find the sentence taken, and call the budget unanswered)."""
    if part.sub.intent not in ("definition", "general") or part.sub.attributes or len(part.statements) < 2:
        return part
    # ... not for a part that points back ("which club, and since when had it been active?"): its "it" may be
    # what this part's sentence names
    later = {a for s in later_subs if not _SINGULAR_BACK.search(s.folded) for a in s.attributes}
    if not later:
        return part

    def answers_later(sentence: Sentence) -> bool:
        return any(
            gives_attribute(sentence, (name,)) and holds_value(sentence, ATTRIBUTE_BY_NAME[name].value)
            for name in later
            if name in ATTRIBUTE_BY_NAME
        )

    kept = tuple(
        s
        for s in part.statements
        if s.role not in _PLAIN or s.source is None or not answers_later(s.source.sentence)
    )
    if not any(s.role in _PLAIN for s in kept):
        return part
    return replace(part, statements=kept)


def _settled_by_others(parts: list[Part], ctx: Context) -> list[Part]:
    """ "cb de lauréats au CNRS ?? et c bien le 1er en France ?": when what the other parts answered
    already holds the words of a part left unanswered, that part is answered there; our own "found no
    passage for this part" would contradict the sentence above it. A gap the documents state stays.
    A part answered only by a sentence that holds none of its words ("... and who set it up?" answered
    by a sentence on the Brussels office) is answered there too, and its stray sentence goes."""
    if len(parts) < 2:
        return parts
    out = []
    for part in parts:
        said = frozenset(
            stem
            for p in parts
            if p is not part and p.answered
            for s in p.statements
            if s.role != "gap" and s.source is not None
            for stem in text_stems(s.text)
        )
        ours = [s for s in part.statements if s.role == "gap" and s.source is None]
        sourced = [s for s in part.statements if s.source is not None]
        if not said or not ((part.status == "gap" and ours) or (part.answered and sourced)):
            out.append(part)
            continue
        text = fold(part.sub.text)
        for entity in part.sub.entities:
            for alias in entity.aliases:
                text = text.replace(alias, " ")
        units = _with_phrases(
            [
                u
                for u in question_units(text, ctx.idf, ctx.kb.glossary.alternatives)
                if u.word not in _GENERIC_ASKED and len(u.word) > 2
            ],
            text,
            ctx,
        )
        if part.answered:
            own = frozenset(stem for s in sourced for stem in text_stems(s.text))
            if (
                units
                and not counted_of(part.sub)
                and part.sub.inherited
                and part.sub.intent in ("who", "when", "where")  # a value the sentence above already holds
                and coverage(units, own) < 0.25
                and coverage(units, said) >= 0.5
            ):
                part = replace(part, statements=())
            out.append(part)
            continue
        counted = counted_of(part.sub)
        if counted and not any(
            counts(s.source.sentence, counted) for p in parts for s in p.statements if s.source is not None
        ):
            pass  # "combien de projets ?" is not settled by a sentence on the same scheme that counts nothing
        elif (units and coverage(units, said) >= 0.5) or _named_there(part.sub, parts):
            part = replace(part, status="answered", statements=())
        out.append(part)
    return out


def _with_phrases(units: list[Unit], text: str, ctx: Context) -> list[Unit]:
    """A word of a glossary phrase is found by the phrase's other forms: "set up" by "founded"."""
    phrases = ctx.kb.glossary.phrases(text)  # once for the part, not once per word
    if not phrases:
        return units
    out = []
    for unit in units:
        extra = {
            stem
            for phrase, forms in phrases.items()
            if unit.word in phrase.split()
            for form in forms
            for word in content_words(form)
            if len(word) > 2  # "set up" is found by "founded", not by the "up" of "drawn up"
            for stem in text_stems(word)
        }
        out.append(replace(unit, stems=unit.stems | extra) if extra else unit)
    return out


# "De quelle université s'agit-il ?", "from which lab did it come?": the kind of thing the part asks to name
_WHICH_KIND = re.compile(
    r"\b(quel|quelle|quels|quelles|which|what)\s+(?P<kind>universite|university|laboratoire|labo|lab|laboratory"
    r"|unite|unit)s?\b"
)
# ... and how a cited sentence names one ("l'Université de Tokyo", "Tohoku University", "l'UMI IPAL")
_NAMED_KIND = {
    "university": re.compile(
        r"\b(Universit[éey]|University)\s+(de |d'|d’|of |du )?[A-ZÀ-Ý]|[A-Z]\w+ University\b"
    ),
    "lab": re.compile(r"\b(UMI|IRL|UMR|LIA|USR|UPR|laboratoire|laboratory|lab)\s+[A-Z][A-Za-z0-9@-]*[A-Z]"),
}


def _named_there(sub: SubQuestion, parts: Sequence[Part]) -> bool:
    """ "Le LIMMS est dans une université japonaise... De quelle université s'agit-il, et combien d'IRL
    cet IRC regroupe-t-il ?" answered "l'IRC créé avec l'Université de Tokyo rassemble 4 IRL": the
    sentence another part cites already names the university asked for."""
    m = _WHICH_KIND.search(fold(sub.text))
    if m is None:
        return False
    kind = "university" if m.group("kind") in ("universite", "university") else "lab"
    cited = [
        s.text for p in parts if p.answered for s in p.statements if s.source is not None and s.role != "gap"
    ]
    return any(_NAMED_KIND[kind].search(text) for text in cited)


# Words of the way a part is asked, not of what it asks about.
_GENERIC_ASKED = frozenset(
    "est-ce bien vraiment exactement really exactly actually also aussi cnrs many much combien how what".split()
)


def _unknown(analysis: Analysis, parts: Sequence[Part], ctx: Context, strength: float) -> Plan:
    """ "I work with the IRL ILANCE: which office covers its country?" when no document mentions ILANCE:
    say so, and answer only the parts about something else the question names (a country, an office),
    not those about IRLs in general or about "its" country."""
    names = join_names([f"« {n} »" if ctx.lang == "fr" else f"“{n}”" for n in analysis.unknown], ctx.lang)
    said = Part(
        analysis.subs[0], "gap", (Statement(UNKNOWN_NAME[ctx.lang].format(names=names), None, "gap"),)
    )
    kept = [
        # the office of the country named, not what an IRL or a LIA in general is
        replace(p, statements=tuple(s for s in p.statements if s.role == "route") or p.statements)
        for p in parts
        if p.statements
        and not p.sub.inherited
        and any(e.kind in ("country", "office", "pole", "org") for e in p.sub.entities)
    ]
    return Plan(
        analysis,
        (*kept, said),
        tuple(ctx.pool.values()),
        strength,
        contact=_contact(analysis, ctx.kb, (*kept, said)),
    )


_DOMAIN = re.compile(
    r"\b(cnrs|derci|dei|drei|dri|bureaux?|offices?|cooperations?|collaborat\w*|partenai\w*|partners?"
    r"|internationa\w*|recherches?|research\w*|chercheu\w*|scientifi\w*|laboratoir\w*|labs?|labos?|projets?"
    r"|reseaux?|networks?|etrangers?|abroad|foreign|co-?publications?|equipes?|teams?|cooper\w*|echanges?"
    r"|exchanges?|scientists?|campus|collabs?|contact\w*"
    r"|projects?|outils?|tools?|dispositifs?|appels?|calls?|financ\w*|fund\w*|subvention\w*|grants?"
    r"|europe\w*|pole|secteur|directeur|directrice|director|collegues?|colleagues?|theses?|thesis|phd"
    r"|doctora\w*|universit\w*|institut\w*|mobilite|mobility|missions?|accords?|agreements?)\b"
)


_TASK = re.compile(
    r"\b(calcul\w*|compute|calculate|reserv\w*|book(ing)?|achete\w*|buy|pa(y|yer)|command\w*|order"
    r"|remplir|remplis|fill in|fill out)\b( (me|moi|for me|pour moi))?[^?]{0,60}\b(montant|amount|hotel|billet"
    r"|ticket|vol|flight|indemnit\w*|per diem|allowance|formulaire|form|taxi|chambre|room)"
)


_PERSONAL = re.compile(
    r"\b(jours? de conges|mes conges|de conges (payes|annuels)|conges restants|leave (balance|days|request)"
    r"|annual leave|days off|vacation days|holiday (balance|request)|vpn|mot de passe|password"
    r"|mon (ordinateur|portable|pc|poste)|my (laptop|computer|pc|workstation)|wi-?fi|fiche de paie"
    r"|bulletin de (paie|salaire)|payslip|pay slip|mon salaire|my salary|ma mutuelle|mon badge|my badge"
    # a mission's expenses: the unit's administration and the regional office pay them, no document here
    r"|indemnit\w* (journalier\w*|de mission)|per diem|daily allowance|frais de mission|mission expenses"
    r"|ordre de mission|remboursement\w* de (mes )?frais)\b"
)
# What no CNRS document answers whatever the rest of the message says ("before my posting at an IRL in
# Tokyo, can you recommend a Japanese course in Paris?"): outside the assistant's scope
_NOT_THE_CNRS = re.compile(
    r"\b(cours de (langue|japonais|chinois|anglais|portugais|coreen|espagnol|allemand)|language (course|class"
    r"|school|lessons?)|(japanese|chinese|english|portuguese|korean|spanish|german) (course|class|lessons?))\b"
)


def _about_the_unknown(analysis: Analysis, kb: KnowledgeBase) -> bool:
    """The question names an acronym no passage uses ("ANR", "PRCI") and nothing the documents describe."""
    if any(e.kind not in ("country", "region") for e in analysis.entities):
        return False
    if _PERSONAL.search(fold(analysis.text)) or _off_topic(analysis):
        return False  # "reset my VPN password", "a poem about NASA": refused as what they are
    unknown = [
        a
        for a in _ACRONYM.findall(analysis.original)
        if a not in _COMMON_ACRONYMS and not kb.lexical.knows(a)
    ]
    # the acronym names a scheme ("the ANR PRCI call"), not a partner ("un projet avec l'UNAM à Mexico")
    return any(
        re.search(
            rf"\b{a}\b(?:\s+\S+){{0,2}}\s+{_SCHEME_WORD}|{_SCHEME_WORD}\s+(?:\S+\s+){{0,2}}{a}\b",
            analysis.original,
        )
        for a in unknown
    )


# An acronym as users write it: "ANR", "PRCI", "JAXA" (not "IEA" in "IEAs": that one the documents use)
_ACRONYM = re.compile(r"(?<![\w@-])[A-Z]{3,6}(?![\w@-])")
_SCHEME_WORD = (
    r"(?:calls?|appels?|programmes?|programs?|grants?|funding|financements?|schemes?|bourses?|fellowships?"
    r"|dispositifs?)\b"
)
_COMMON_ACRONYMS = frozenset(
    "CNRS DEI DERCI PDF URL USA FAQ PHD CEO CFO HTML ASAP FYI LOL MDR SVP STP".split()
)


def _off_topic(analysis: Analysis) -> bool:
    """Nothing of the domain in the question: no office, tool, organisation or structure, no word of
    research cooperation ("traduire ce paragraphe en allemand", "a poem about autumn"). A country alone
    (here from "allemand") does not make a question about the CNRS's cooperation."""
    if any(
        e.kind not in ("country", "region", "name") or (e.kind == "name" and _named_thing(e))
        for e in analysis.entities
    ):
        return False
    return not _DOMAIN.search(fold(analysis.situation or analysis.text))  # the whole message, background too


def _named_thing(entity: Entity) -> bool:
    """A name the documents describe ("IRL CROSSING", "CNRS@CREATE"), not a lone capitalised word that
    they mention in passing ("What's the weather in Paris?")."""
    label = entity.label("en")
    return " " in label or bool(re.search(r"[A-Z].*[A-Z]|\d|@", label))


# -- what a part is about ------------------------------------------------------------------------------


_SUCH = re.compile(
    r"\b(une? tel(le)?|such an?|ce type de|this kind of|that kind of|cette structure|this structure)\b"
)


def _recommended_tool(situation: str, kb: KnowledgeBase) -> Entity | None:
    stage = collaboration_stage(situation)
    tool = kb.tools.by_stage(stage) if stage else None
    if tool is None:
        return None
    key = (tool.acronym or tool.id).upper()
    names = tuple(
        sorted(
            {fold(tool.acronym), *(fold(n.split("(")[0].split(",")[0].strip()) for n in tool.names.values())}
            - {""},
            key=len,
            reverse=True,
        )
    )
    return Entity(
        "tool",
        key,
        {"fr": tool.acronym or key, "en": tool.acronym or key},
        names,
        pages=tuple(tool.pages.values()),
    )


_BODY = r"(funder|funding body|agency|agencies|organisation|organization|body|bailleur|financeur|agence|organisme|foundation|fondation)"
_THE_OLDER = re.compile(
    r"\b(that|the|this) (older|old|former|earlier|previous) (one|tool|scheme)\b|\b(l'ancien|l'ancienne"
    r"|cet ancien|cette ancienne|le precedent|la precedente)( outil| dispositif)?\b"
)
_WHICH_BODY = re.compile(rf"\b(which|what|quel\w*) (\w+ ){{0,2}}{_BODY}\b")
_THAT_BODY = re.compile(rf"\b(that|this|the|ce|cet|cette|l') ?(\w+ )?{_BODY}\b")
_SHE_HE = re.compile(r"-t-(il|elle)\b|-(il|elle)\b|\b(he|she|his|her|him)\b")
_SCHEME = re.compile(r"\b(scheme|tool|programme|program|dispositif|outil|instrument|mechanism)s?\b")


# "... : conditions pour déposer, durée, calendrier", "who could apply, duration, funding": a list of properties
_ENUMERATES = re.compile(
    r":\s*[^,:]+,|^[^,]{0,40},[^,]{0,40},|,[^,]{0,40},[^,]*\bet\b|,[^,]{0,40},[^,]*\band\b"
)


def _each_attribute(sub: SubQuestion, ctx: Context) -> Part:
    """Each property a part lists, planned in turn; one the documents do not give for the subject is
    said to be missing."""
    statements: list[Statement] = []
    found: list[Entity] = []
    answered = False
    for attribute in sub.attributes:
        one = replace(
            sub, attributes=(attribute,), intent="procedure" if attribute == "calendar" else "general"
        )
        part = _plan_part(one, ctx)
        said = {t.text for t in statements}
        fresh = [
            s
            for s in part.statements
            if s.text not in said
            # each property of the subject named, not of a tool on the same page
            and (s.source is None or not sub.entities or s.source.subject >= 1.0)
        ]
        if not fresh and sub.entities and not any(s.text in said for s in part.statements):
            # "conditions pour déposer" that no sentence on the PICS gives: said so, not left out
            fresh = [Statement(_gap_text(one, list(sub.entities[:1]), ctx.lang), None, "gap")]
        statements += fresh
        ctx.used.update(s.text for s in fresh)
        found += part.found
        answered = answered or part.answered
    return Part(sub, "answered" if answered else "gap", tuple(statements), tuple(found))


_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w.,]*\d)")
_A_YEAR = re.compile(r"(19|20)\d\d")


def _claimed_values(text: str, people: Sequence[str] = ()) -> list[str]:
    """The values a message quotes: its figures (in digits or in words: "about ten or eighteen"), else its
    years when it quotes several."""
    numbers = list(dict.fromkeys(_NUMBER.findall(text)))
    if len(numbers) < 2:  # in words only when the figures do not say it ("I have two figures: 500 and 68")
        # ("je trouve les deux", "I've seen both of the two": no value)
        spelled = in_digits(_THE_TWO.sub(" ", fold(text)))
        numbers = list(dict.fromkeys(_NUMBER.findall(spelled)))
    figures = [n for n in numbers if not _A_YEAR.fullmatch(n)]
    if len(figures) >= 2:
        return figures
    # two dates in one year ("le 1er janvier 2022 ou en avril 2022 ?"), then two years, then two people
    # ("une lettre parle d'Olga Anokhina, le site de Liviu Nicu")
    dates = list(dict.fromkeys(f"{m.group(1)} {m.group(2)}" for m in _MONTH_YEAR.finditer(fold(text))))
    if len(dates) >= 2:
        return dates
    years = [n for n in numbers if _A_YEAR.fullmatch(n)]
    if len(years) >= 2:
        return years
    return list(people) if len(people) >= 2 else years


_MONTH_YEAR = re.compile(
    r"\b(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february"
    r"|march|april|may|june|july|august|september|october|november|december) ((?:19|20)\d\d)\b"
)


_THE_TWO = re.compile(r"\b(les|the|ces|these|those|mes|my|tous|all) (deux|two)\b")


def _each_claimed_value(parts: list[Part], ctx: Context) -> list[Part]:
    """ "Plus de 700 M€ depuis 1983, mais 720 M€ en ERC ? Lequel croire ?": each value the asker met,
    with the sentence that states it, so that the reader sees where each comes from."""
    if not ctx.analysis.expects_conflict or not parts:
        return parts
    # the values the background quotes ("one page says 200, another 50"), else those the question does
    # ("did it fund about ten PhDs or eighteen?")
    entities = ctx.analysis.entities
    claims = next(
        (
            t
            for t in (ctx.analysis.situation, ctx.analysis.text)
            if t and len(_claimed_values(t, quoted_people(t, entities))) >= 2
        ),
        "",
    )
    values = _claimed_values(claims, quoted_people(claims, entities))
    if len(values) < 2:
        return parts
    said = [s for p in parts for s in p.statements if s.role != "gap"]
    missing = [v for v in values if not any(_value_in(v, fold(s.text)) for s in said)]
    if not missing:
        return parts
    last = parts[-1]
    asked = text_stems(f"{claims} {ctx.analysis.text}")  # what the values are values of
    units = units_for(ctx.analysis.text, ctx.kb)
    extra: list[Statement] = []
    unstated: list[Statement] = []
    # "le bureau d'Ottawa a ouvert en janvier ou en avril 2022 ?": the value of that office, not of another
    # (a country is only where one of the values stands: "the CMM in Chile turned 20 in 2020")
    subjects = [e for e in entities if e.kind == "office" and mentions(fold(claims), e)]
    for value in missing:
        texts = {s.text for s in (*said, *extra)}
        stating = _stating(value, claims, texts, asked, units, subjects, last, ctx)
        dated = _MONTH_YEAR.fullmatch(value)
        if not stating and dated:
            # the month alone, in no other year ("annoncée un 21 avril", the year said in the next sentence)
            month, year = dated.group(1), int(dated.group(2))
            stating = [
                c
                for c in _stating(month, claims, texts, asked, units, subjects, last, ctx)
                if c.sentence.years <= {year}
            ]
        if stating:
            found = max(stating, key=lambda c: c.score)
            extra.append(Statement(found.text, found, "answer"))
        elif not dated and not _A_YEAR.fullmatch(value):
            # "I read 30 somewhere and 36 elsewhere": 30 is stated, no passage gives 36; say so
            unstated.append(Statement(VALUE_NOT_FOUND[ctx.lang].format(value=value), None, "gap"))
    if len(unstated) >= 2 and len(unstated) == len(values):  # none of the figures is stated anywhere
        joined = join_names([v for v in values], ctx.lang)
        unstated = [Statement(VALUES_NOT_FOUND[ctx.lang].format(values=joined), None, "gap")]
    if not extra and unstated:
        last = parts[-1]
        statements = tuple(s for s in last.statements if s.role != "lead")
        if last.status == "conflict" and len([s for s in statements if s.role == "conflict"]) < 2:
            # one side left: no disagreement to announce, the asker's other figure is simply not stated
            statements = tuple(replace(s, role="answer") for s in statements)
            last = replace(last, status="answered")
        return [*parts[:-1], replace(last, statements=statements + tuple(unstated))]
    if not extra:
        return parts
    kept = tuple(s for s in last.statements if s.role != "gap")
    if len(extra) >= 2 and not any(_value_in(v, fold(s.text)) for v in values for s in kept):
        # the part found none of the values the asker quoted, the search for each value found them all:
        # what the part found is about something else ("the bilateral agreements set long-term frameworks")
        kept = ()
    if any(s.role == "conflict" for s in kept):  # one more side of the values already set side by side
        extra = [replace(s, role="conflict") for s in extra]
    status = "conflict" if last.status == "conflict" else "answered"
    return [*parts[:-1], replace(last, status=status, statements=kept + tuple(extra))]


def _stating(
    value: str,
    claims: str,
    texts: set[str],
    asked: frozenset[str],
    units: Sequence[Unit],
    subjects: Sequence[Entity],
    last: Part,
    ctx: Context,
) -> list[Candidate]:
    """The sentences that state a value the asker quoted, about what they quoted it for."""
    return [
        score(sentence, hit, last.sub, units, primary=last.sub.entities)
        # the value's own clause leads the search to the page that states it ("eighteen" PhD students)
        for hit in ctx.search(f"{ctx.analysis.search} {value}", 12)
        for sentence in sentences_of(hit.chunk.text)
        if not sentence.gap
        and sentence.text not in texts
        and _value_in(value, sentence.folded)
        and len(sentence.stems & asked) >= 3  # the value, and what it is a value of
        and (not subjects or any(mentions(sentence.folded, e) for e in subjects))
        # ... and what the asker said it is a value of: "the UMI structure dates from 2002" is not
        # answered by "in 2002 the CNRS opened an office in Santiago" (the office named says it for a date:
        # "opened in January 2022?" is answered by "the hosting agreement came into force on 1 January 2022")
        and (bool(subjects) or _of_the_same(sentence, _clause_stems(value, claims)))
    ]


def _clause_stems(value: str, text: str) -> frozenset[str]:
    """The words of the clause of `text` that quotes `value`, but the value ("la page sur le FJLMI dit que
    c'est le 5e" -> fjlmi, page, ...)."""
    clauses = re.split(
        r"[;:?!]|[,.](?!\d)|\b(?:but|mais|and|et|or|ou|whereas|alors que)\b", in_digits(fold(text))
    )
    for clause in clauses:
        if clause and _value_in(value, clause):
            words = text_stems(_REPORTING.sub(" ", clause))
            return frozenset(w for w in words if not any(ch.isdigit() for ch in w))
    return frozenset()


# how the asker met a value, not what it is a value of: "I've seen 4 quoted in different documents"
_REPORTING = re.compile(
    r"\b(i'?ve|i have|i|j'ai|on|seen|read|found|quoted|heard|noted|notes|vu|lu|trouve|cite\w*|entendu|note"
    r"|in (different|other|some|my) \w+|dans (differents|d'autres|certains|mes) \w+|documents?|sources?|pages?"
    r"|in (one|a) place|in another|somewhere|elsewhere|a un endroit|ailleurs|quelque part)\b"
)


def _of_the_same(sentence: Sentence, clause: frozenset[str]) -> bool:
    # "I've seen 55,000 and 61,000": a clause that names nothing but the value asks nothing more
    return not clause or not sentence.stems.isdisjoint(clause)


def _value_in(value: str, folded: str) -> bool:
    """Whether a folded text gives `value`, in figures or in words ("about ten doctoral grants" gives 10)."""
    return bool(re.search(rf"(?<![\d.,]){re.escape(value)}(?![\d])", in_digits(folded)))


_EACH_ONE = re.compile(r"\b(each|chacun\w*|chaque|both|les deux|respectivement|respectively)\b")


def _without_kinds(entities: Sequence[Entity]) -> list[Entity]:
    """The entities less those that are a kind of another."""
    return [e for e in entities if not any(kind_of(e, o) for o in entities)] or list(entities)


def _kinds_only(entities: Sequence[Entity], least: int = 2) -> list[Entity]:
    """The entities less those of which `least` or more others are kinds (the ERC beside its Starting and
    Consolidator grants)."""
    return [e for e in entities if sum(kind_of(o, e) for o in entities) < least]


def _each_named(part: Part, ctx: Context) -> Part:
    """ "Comment les zones sont-elles réparties entre l'IRD et le CIRAD ?": each organisation or scheme
    the part names gets its own sentence on what is asked, when the answer spoke only of some of them."""
    sub = part.sub
    named = [e for e in sub.entities if e.kind in ("org", "tool") and mentions(fold(sub.text), e)]
    if (
        part.status != "answered"
        or sub.inherited
        or sub.intent in ("compare", "list", "recommend", "yes_no")
        or not sub.attributes
        or len(named) < 2
    ):
        return part
    # "UMIs, now IRLs": a scheme and the one it replaced are one subject
    renamed = {key.upper() for t in ctx.kb.tools.tools if t.replaced for key in (t.acronym, t.replaced)}
    if sum(e.key.upper() in renamed for e in named if e.kind == "tool") >= 2:
        return part
    said = [fold(s.text) for s in part.statements]
    # a sentence that names them all ("shared with IRD and CIRAD") says nothing of each one
    missing = [
        e for e in named if not any(mentions(t, e) and not all(mentions(t, o) for o in named) for t in said)
    ]
    if not missing or len(missing) == len(named):
        return part
    others = tuple(e for e in sub.entities if e.kind not in ("org", "tool"))
    extra: list[Statement] = []
    for entity in missing[:2]:
        one = replace(sub, entities=(*others, entity))
        said_texts = {t.text for t in (*part.statements, *extra)}
        giving = [
            c
            for c in _candidates(one, [entity, *others], [], ctx)[:20]
            if not c.sentence.gap
            and c.text not in said_texts
            and mentions(c.sentence.folded, entity)
            and gives_attribute(c.sentence, sub.attributes)
        ]
        # its own sentence first ("le CIRAD suit l'Afrique du Sud"), not one that names them all again
        alone = [
            c for c in giving if not any(mentions(c.sentence.folded, e) for e in named if e is not entity)
        ]
        if alone or giving:
            best = (alone or giving)[0]
            extra.append(Statement(best.text, best, "answer"))
    return replace(part, statements=part.statements + tuple(extra)) if extra else part


def _named_scheme(part: Part, ctx: Context) -> Part:
    """ "Is there a CNRS scheme for this with Toronto?" answered "Toronto is a partner of the PhD Joint
    Programs": the scheme is what "how and when do we apply" is about next; "which funder...?" answered
    "the NRF": the funder is what "that funder's agreement" is about."""
    if part.answered and _WHICH_BODY.search(fold(part.sub.text)):
        said = " ".join(s.text for s in part.statements if s.source is not None)
        acronyms = re.findall(r"\(([A-Z][A-Z0-9&]{1,7})\)", said)  # "National Research Foundation (NRF)"
        if acronyms:
            return replace(part, found=(*part.found, name_entity(acronyms[0])))
    if not part.answered or any(e.kind == "tool" for e in (*part.sub.entities, *part.found)):
        return part
    if not _SCHEME.search(fold(part.sub.text)):
        return part
    said = " ".join(fold(s.text) for s in part.statements if s.source is not None)
    tools = [e for e in entities_of_tools(ctx.kb.tools) if mentions(said, e)]
    return replace(part, found=(*part.found, *tools[:1])) if tools else part


# A request that the assistant act for the asker: "peux-tu te connecter à NOA", "can you submit my proposal"
_ACTS = re.compile(
    r"\b(peux-tu|pouvez-vous|tu peux|vous pouvez|tu pourrais|vous pourriez|pourrais-tu|pourriez-vous|can you"
    r"|could you|would you|will you)\s+(me\s+|nous\s+|please\s+|stp\s+|svp\s+)?("
    r"te connecter|vous connecter|connect\w*|log ?(me )?in|sign (me )?in|acceder|access"
    r"|verifier (si |que )?(mon|ma|mes|notre|nos)|check (if |whether |on )?(my|our|the status)|look up (my|our)"
    r"|deposer (mon|ma|mes|notre|nos)|submit (my|our|it|this)|soumettre (mon|ma|mes|notre|nos)|envoyer|send"
    r"|transmettre|forward|reserver|book|inscrire|register|enrol\w*|reinitialiser|reset|modifier (mon|ma|mes"
    r"|notre|nos)|update (my|our)|remplir|fill (in|out)|signer|payer|pay|valider|approve)"
)


def _cannot_act(part: Part, lang: str) -> Part:
    """A request to act (log in, check a file, submit): said impossible, then what the documents tell the
    asker to do themselves, without a "yes" that would claim the assistant can."""
    said = tuple(replace(s, role="context") for s in part.statements if s.source is not None)
    line = Statement(CANNOT_ACT[lang if lang in ("fr", "en") else "en"], None, "gap")
    return Part(part.sub, "gap", (line, *said), part.found)


# "Is there a CNRS office covering either country?", "qui suit ce pays ?": the countries the message named
_THOSE_COUNTRIES = re.compile(
    r"\b(ce pays|ces (deux |trois )?pays|(le|les deux|l'un ou l'autre des|chacun des|chaque) pays"
    r"|(either|each|both|that|this|those|these|the) (two |three )?(country|countries)"
    r"|(either|each|both|one) of (them|these countries|those countries))\b"
)

_COVERS = re.compile(
    r"\b(bureau|bureaux|office|offices|couvr\w*|cover\w*|suit|suivent|handles?|deals? with|relev\w*"
    r"|contact\w*|s'adresser)\b"
)


def _those_countries(sub: SubQuestion, countries: Sequence[Entity]) -> SubQuestion:
    """A part that names no place but points at the countries named elsewhere in the message."""
    if not countries or any(e.kind in ("country", "region", "office", "pole") for e in sub.entities):
        return sub
    text = fold(sub.text)
    if not (_THOSE_COUNTRIES.search(text) and _COVERS.search(text)):
        return sub  # "quels organismes sont implantés dans le pays ?": the message's subject already says
    return replace(sub, entities=(*sub.entities, *countries), inherited=True)


# "le CNRS y comptait-il", "how many are there", "là-bas", "in that country": the place said before
_THERE_AT = re.compile(
    r"\b(y|there|la-bas|over there|in that country|in this country|dans ce pays|dans le pays)\b(?! (is|are|was|were)\b)"
)


def _carry(sub: SubQuestion, done: Sequence[Part], kb: KnowledgeBase, situation: str = "") -> SubQuestion:
    """A part about "that office" or "her" takes what the parts before it found (an office, a person)."""
    entities = list(sub.entities)
    found = [e for p in reversed(done) for e in p.found]
    person_asked = sub.about_person or bool(sub.attributes and sub.attributes[0] in PERSON_ATTRIBUTES)
    people = [e for e in found if e.kind == "person"]
    bodies = [e for e in found if e.kind in ("org", "name")]
    if people and (
        (person_asked and (sub.about_person or sub.inherited))
        or (sub.inherited and _SHE_HE.search(fold(sub.text)))
    ):
        # "qui est-ce, quel laboratoire avait-elle dirigé ?": "elle" is the person the part before named
        entities = [people[0]]
        sub = replace(sub, about_person=True)
    elif sub.inherited and bodies and _THAT_BODY.search(fold(sub.text)):
        entities = [bodies[0]]  # "when was that funder's agreement renewed?" after "the NRF"
    elif sub.inherited and found:
        offices = [e for e in found if e.kind in ("office", "pole")]
        tools = [e for e in found if e.kind == "tool"]
        if offices and (
            set(sub.attributes) & _OFFICE_ATTRIBUTES or sub.intent in ("who", "where", "how_many")
        ):
            # "... and how is each of them hosted?": every office found, not the first
            many = len(offices) > 1 and _each(sub)
            entities = [
                *(offices if many else offices[:1]),
                *[e for e in entities if e.kind == "name" and e not in done[-1].sub.entities],
            ]
        elif tools and sub.intent in ("procedure", "general", "when", "how_many"):
            entities = [tools[0]]  # "comment lancer une telle structure ?" after "the IRL fits"
    if (
        done
        and not any(e.kind in ("country", "office", "region", "pole") for e in entities)
        and _THERE_AT.search(re.sub(r"\b(il y a|y a-t-il|y en a)\b", " ", fold(sub.text)))
    ):
        # "Quel bureau couvre ce pays, et combien d'IRL le CNRS y comptait-il ?": "y" is the country the
        # route before it named (found from a lab's name), not every IRL in the world
        routed = [
            m
            for p in reversed(done)
            for s in p.statements
            if s.role == "route"
            for m in kb.offices.find(s.text)
        ]
        country = next((m for m in routed if m.country is not None), None)
        if country is not None:
            entities = [*entities, place_entity(country.office, country.country)]
    if sub.inherited and done and _THE_OLDER.search(fold(sub.text)):
        # "What tool did it replace, and how did that older one differ?": the tool it replaced, beside it
        current = next((e for e in entities if e.kind == "tool"), None)
        scheme = kb.tools.by_acronym(current.key) if current is not None else None
        older = [e for e in entities_of_tools(kb.tools) if scheme is not None and e.key == scheme.replaced]
        if current is not None and older:
            return replace(sub, entities=(older[0], current), intent="compare")
    if _SUCH.search(fold(sub.text)):
        # "comment lancer une telle structure ?": the tool that fits the collaboration described.
        tool = _recommended_tool(situation, kb)
        if tool is not None:
            entities = [tool]
    # A country asked about with an office's property is about the office that covers it ("which IRLs
    # opened in Australia?" asks about IRLs: the country is where they are, not the Melbourne office).
    if (
        set(sub.attributes) & _OFFICE_ATTRIBUTES
        and sub.intent != "where"
        # "DesCartes à Singapour ... lancé quand ?": the named programme opened, not the office
        and not any(e.kind == "tool" or (e.kind == "name" and _named_thing(e)) for e in entities)
    ):
        swapped = []
        for e in entities:
            office = kb.offices.by_id(e.office) if e.kind == "country" and e.office else None
            swapped.append(office_entity(office) if office is not None and office.kind == "office" else e)
        entities = swapped
    return replace(sub, entities=tuple(entities))


def _primary(sub: SubQuestion) -> tuple[list[Entity], list[Entity]]:
    """The entities a sentence must name (what the part is about) and those that only help."""
    if not sub.entities:
        return [], []
    if sub.intent == "compare" or (sub.inherited and len(sub.entities) > 1 and _each(sub)):
        return list(sub.entities), []
    if (
        len(sub.entities) > 1
        and len({e.kind for e in sub.entities}) == 1
        and _WHICH_ONE.search(fold(sub.text))
    ):
        return list(sub.entities), []  # "IRN ou IRP : lequel dure le plus longtemps ?": each side
    kinds = {e.kind for e in sub.entities}
    if (
        sub.inherited
        and len(sub.entities) > 1
        and len(kinds) == 1
        and kinds <= {"tool", "org", "name"}
        and not any(mentions(fold(sub.text), e) for e in sub.entities)
    ):
        return list(sub.entities), []  # "how long does it last?" after comparing two tools: both
    rank = {"person": 0, "office": 1, "pole": 1, "name": 2, "org": 3, "tool": 4}
    framing = _FRAMING.match(fold(sub.text))
    rest = fold(sub.text)[framing.end() :] if framing else ""
    # "Pour une présentation interne à la DEI, détaillez le budget d'Horizon Europe": the DEI is where the
    # asker stands, Horizon Europe what is asked about
    aside = [e for e in sub.entities if framing and mentions(framing.group(0), e) and not mentions(rest, e)]
    # "ERC Starting 2021: how many grants?": the Starting grant, the kind named, before the ERC
    main = sorted(
        (e for e in sub.entities if e.kind in rank and (e not in aside or len(aside) == len(sub.entities))),
        # ... and a kind of lab ("une chercheuse d'une UMR ... projet Horizon Europe") after what is asked of it
        key=lambda e: (e.key in UNIT_TYPES, rank[e.kind], not any(kind_of(e, o) for o in sub.entities)),
    )
    if not main:
        return list(sub.entities), []
    first = main[0]
    return [first], [e for e in sub.entities if e is not first]


# A leading clause that says what the answer is for: "Pour une présentation interne à la DEI,", "For a
# briefing note for the DEI,"
_FRAMING = re.compile(
    r"^(pour|for|dans le cadre d'|as part of) (un|une|mon|ma|notre|nos|a|an|my|our) [^,:;?]{3,80}?([,:;]|\s(?="
    r"(quel\w*|qui|quand|comment|combien|pouvez|peux|pourriez|what|which|who|when|how|can|could|would)\b))"
)


_THESE_STRUCTURES = re.compile(r"\b(these|those|the|both|ces|les) (two |deux )?(\w+ )?structures?\b")
_WHICH_ONE = re.compile(
    r"\b(lequel|laquelle|lesquel\w*|which one|which of (them|the two)|le plus|la plus|the most|longer|shorter"
    r"|plus longtemps|moins longtemps)\b"
)


def _each(sub: SubQuestion) -> bool:
    return bool(
        re.search(
            r"\b(each|chacun\w*|both|les deux|the two|respectivement|respectively|they|them|their)\b",
            fold(sub.text),
        )
    )


# -- planning one part ---------------------------------------------------------------------------------


def _of_its_kind(part: Part, ctx: Context) -> Part | None:
    """A gap on a named structure ("who steers IRC Discovery?") answered by what the documents say of
    every structure of its kind ("an IRC is steered by bilateral bodies"), framed as such."""
    sub = part.sub
    named = [e for e in sub.entities if e.kind == "name"]
    if len(named) != 1 or len(sub.entities) != 1 or sub.intent not in _OF_A_KIND:
        return None
    acronym = named[0].key.split()[0].upper()
    if acronym not in STRUCTURE_TYPES or not (sub.attributes or sub.intent == "who"):
        return None
    if sub.value == "person" or set(sub.attributes) & PERSON_ATTRIBUTES:
        return None  # who heads one structure is its own fact: no rule of its kind gives it
    kind = next((e for e in entities_of_tools(ctx.kb.tools) if e.key == acronym), None)
    if kind is None:
        return None
    # "Who steers IRC Discovery?" -> "Who steers the IRC?": the name's own words would pick its sentences
    text = re.sub(rf"\b{re.escape(named[0].key)}\b", acronym, fold(sub.text))
    general = _plan_part(replace(sub, text=text, entities=(kind,), inherited=True), ctx)
    answers = [s for s in general.statements if s.role == "answer" and s.source is not None]
    if not general.answered or not answers:
        return None
    every = "toute" if acronym in _FEMININE else "tout"  # "une IEA", "une UMI": feminine in French
    lead = OF_ITS_KIND[ctx.lang].format(name=named[0].label(ctx.lang), kind=acronym, every=every)
    return replace(part, status="answered", statements=(Statement(lead, None, "lead"), *answers[:2]))


_FEMININE = frozenset({"IEA", "UMI", "UMIFRE", "UMR", "USR", "GDRI", "GDRE"})
_OF_A_KIND = frozenset({"who", "how_many", "general", "procedure", "yes_no", "when"})


def _plan_part(sub: SubQuestion, ctx: Context) -> Part:
    if "career" in sub.attributes and len([e for e in sub.entities if e.kind in ("org", "tool")]) >= 2:
        # "Quand la DERCI est-elle devenue la DEI ?": a body renamed, not a person's career
        sub = replace(sub, attributes=tuple(a for a in sub.attributes if a != "career"))
    if (
        sub.intent == "list"
        and "location" in sub.attributes
        and any(e.kind in ("country", "region") for e in sub.entities)
    ):
        # "Which IRLs are based in Singapore?": the place is given; what is asked is the list
        sub = replace(sub, attributes=tuple(a for a in sub.attributes if a != "location"))
    if sub.intent == "compare" and len(sub.entities) < 2 and member_noun(sub.text):
        # "How is the Horizon Europe budget split between its pillars?": each pillar's share, no two sides
        sub = replace(sub, intent="general")
    if sub.intent == "recommend" and "predecessor" in sub.attributes:
        sub = replace(sub, intent="general")  # "What tool did it replace?": the one before it, not a choice
    if (
        sub.intent == "general"
        and len(sub.entities) >= 2
        and len(sub.attributes) >= 2
        and len({e.kind for e in sub.entities}) == 1
        and all(mentions(fold(sub.text), e) for e in sub.entities)
    ):
        # "IRN et IRP : format et durée ?": the same properties of each, side by side
        sub = replace(sub, intent="compare")
    if (
        len(sub.attributes) >= 2
        and sub.intent in ("procedure", "general", "who")
        and _ENUMERATES.search(sub.text)
    ):
        # "Comment fonctionnait ce dispositif : conditions pour déposer, durée, calendrier ?": each
        # property listed, in turn
        return _each_attribute(sub, ctx)
    if asks_why(sub) and sub.entities:
        # "Pourquoi un bureau à Melbourne ?", "why Kenya?": the page's own reasons, before any route or date
        primary, secondary = _primary(sub)
        why = _reasons(sub, _candidates(sub, primary, secondary, ctx, heading=WHY_HEADING), ctx)
        if why is not None:
            return _closed(why)
    if _routes(sub):
        routed = _route(sub, ctx)
        if routed is not None:
            routed = _then_the_office(routed, sub, ctx)
            if sub.intent == "yes_no" and not routed.verdict and _elsewhere(sub, routed, ctx):
                # "Does the CNRS have an office in Seoul?": no, South Korea is covered from Tokyo.
                return replace(routed, verdict="no")
            return _closed(routed)
    if (
        sub.intent in ("procedure", "general")
        and _WHAT_TO_DO.search(fold(sub.text))
        and collaboration_stage(ctx.analysis.situation)
        in ("consolidating", "network", "structure", "training")
    ):
        # "We have co-authored for years and want a shared lab. What should we do?": the tool for that
        # stage (a first contact gets the partner guide's steps instead).
        sub = replace(sub, intent="recommend")
    if (
        sub.intent == "list"
        and _TOOL_WORD.search(fold(sub.text))
        and _FOR_A_PURPOSE.search(fold(sub.text))
        and collaboration_stage(ctx.analysis.situation) is not None
    ):
        # "Quels sont les outils pour financer une mobilité courte avec le Japon ?": the tool for that need
        sub = replace(sub, intent="recommend")
    if (
        sub.intent in ("compare", "general")
        and len([e for e in sub.entities if e.kind == "tool"]) >= 2
        and _WHICH_FITS.search(fold(sub.text))
        and collaboration_stage(f"{ctx.analysis.situation} {sub.text}") is not None
    ):
        # "IRL vs IRP: which one for a team that wants to share premises abroad?": the one that fits
        sub = replace(sub, intent="recommend")
    if sub.intent == "recommend":
        recommended = _recommend(sub, ctx)
        if recommended is None and _TOOL_WORD.search(fold(sub.text)):
            # "quel outil choisir ?" with nothing on the collaboration's stage: every tool, for which stage
            recommended = _tool_overview(sub, ctx, choosing=True)
        if recommended is not None:
            return _with_office(recommended, sub, ctx)
    primary, secondary = _primary(sub)
    if len(primary) == 1 and primary[0].kind == "tool":
        successor = _became(sub, primary, ctx)  # "What did the PICS become?"
        if successor is not None:
            return successor
    if _NEXT.search(fold(sub.text)) and sub.intent not in ("when", "who", "how_many", "compare"):
        following = _next_step(sub, primary, ctx)
        if following is not None:
            return following
    if (
        sub.intent == "how_many"
        and "partners" in sub.attributes
        and len([e for e in sub.entities if e.kind == "tool"]) >= 2
    ):
        # "IRN ou IRP, combien de partenaires ?": how many partners each gathers, side by side
        sub = replace(sub, intent="compare", attributes=tuple(dict.fromkeys((*sub.attributes, "count"))))
        primary = [e for e in sub.entities if e.kind == "tool"]
    if sub.intent == "compare" and len(primary) >= 2:
        # "ERC Starting 2021 vs the average": the Starting grant is not compared with the ERC
        primary = _kinds_only(primary, least=1)
    if sub.intent == "compare" and len(primary) >= 2:
        primary = _alike(_as_offices(_compared(fold(sub.text), primary), ctx))
        if "structures" in sub.attributes and _THESE_STRUCTURES.search(fold(sub.text)):
            # "how do these two joint structures differ?": the structures are what is compared
            sub = replace(sub, attributes=tuple(a for a in sub.attributes if a != "structures"))
        return (
            _compare_offices(sub, primary, ctx)
            or _offices_property_by_property(sub, primary, ctx)
            or _compare(sub, primary, ctx)
        )
    if len(primary) >= 2:
        # "l'ERC, starting ou consolidator ? ... je dois voir qui pour le montage ?": carried over, the ERC's
        # kinds are the ERC, not one line each; "c'est combien pour chacune ?": each kind, not the ERC
        each = not sub.inherited or _EACH_ONE.search(sub.folded)
        primary = _kinds_only(primary) if each else _without_kinds(primary)
    if len(primary) >= 2:
        together = _together(sub, primary, ctx) if _TOGETHER.search(fold(sub.text)) else None
        return _closed(together or _side_by_side(sub, primary, ctx))
    found: tuple[Entity, ...] = ()
    if (
        sub.attributes
        and sub.attributes[0] in PERSON_ATTRIBUTES
        and not any(e.kind == "person" for e in primary)
        # "What did he do before that?": "he" is already the person the last answer named
        and not (sub.about_person and any(e.kind == "name" for e in primary))
    ):
        person = _person_for(sub, primary, ctx)
        if person is not None:
            sub = replace(sub, entities=(person,))
            primary, secondary = [person], []
            found = (person,)
    if (
        sub.intent in ("definition", "general")
        and not sub.attributes
        and not sub.years
        and len(primary) == 1
        and primary[0].kind == "office"
    ):
        portrait = _office_portrait(sub, primary[0], ctx)  # "Tell me about the Pretoria office"
        if portrait is not None:
            return portrait
    if not sub.entities and sub.intent in ("list", "definition", "general") and _TOOLS.search(fold(sub.text)):
        overview = _tool_overview(sub, ctx)
        if overview is not None and set(sub.attributes) & {"duration", "funding", "renewal"}:
            # "List the tools with their durations": each tool's sentence that gives it, one line each.
            tools = list(overview.found)
            facts = _side_by_side(
                replace(sub, entities=tuple(tools), intent="general"), tools, ctx, quiet=True
            )
            items = [
                replace(s, role="item")
                for s in facts.statements
                if s.role == "answer"
                and s.source is not None
                and gives_attribute(s.source.sentence, sub.attributes)
            ]
            if len(items) >= 2:  # the composer leads them with their count and what the question lists
                return replace(overview, statements=tuple(items), found=())
        if overview is not None:
            return replace(overview, found=())
    if _every_office(sub):
        # "Which offices are hosted by a university?", "Quels bureaux ont ouvert depuis 2010 ?": every office
        # at once, from the directory
        table = _offices_table(sub, ctx)
        if table is not None:
            return table
    counting = sub.intent == "how_many" and "count" in sub.attributes
    listing = sub.intent == "list" and not set(sub.attributes) - {"count", "location"}
    if (
        (counting or listing)
        and not sub.years
        and sub.time in (None, "today")
        and not any(e.kind in ("office", "country", "pole") for e in sub.entities)
        and _OFFICES.search(fold(sub.text))
        and not _OTHER_OFFICES.search(fold(sub.text))
        and not _FORMER.search(fold(sub.text))  # "the former offices" are not today's
    ):
        counted = _office_count(sub, ctx)
        if counted is not None:
            return counted
    if _PARTNER.search(fold(sub.text)) and sub.intent in ("procedure", "general", "recommend"):
        guided = _partner_steps(sub, ctx)
        if guided is not None:
            return guided
    if (
        (sub.attribute == "closing" or _FORMER.search(fold(sub.text)))
        and sub.intent in ("list", "how_many", "general", "which")
        and not any(e.kind in ("office", "country", "pole") for e in sub.entities)
        and _OFFICES.search(fold(sub.text))
    ):
        former = _former_offices(sub, ctx)  # "Quels bureaux ont fermé ?"
        if former is not None:
            return former
    if sub.attribute == "closing":
        # An office the directory lists as active has no closing to find: sentences about the offices
        # that did move or close would answer for another office.
        offices = [e for e in sub.entities if e.kind == "office"]
        if len(offices) >= 2:
            # "When did it close its Moscow office, and its Malta office?": what the directory says of each
            closings = [_still_active(sub, [office], ctx) for office in offices]
            shut = [p for p in closings if p is not None]
            if len(shut) == len(closings):
                statements = tuple(s for p in shut for s in p.statements)
                return _closed(replace(shut[0], statements=statements, verdict=""))
        active = _still_active(sub, primary, ctx)
        if active is not None:
            return _closed(active)
    if sub.attribute == "location" and sub.intent in ("where", "general"):
        located = _office_location(sub, primary, ctx)
        if located is not None:
            return located
    if sub.attribute == "opening" and not sub.years:
        undated = _undated_opening(sub, primary, ctx)
        if undated is not None:
            return undated
    if sub.intent == "procedure" and any(e.kind == "tool" for e in sub.entities):
        # "Comment créer un IRN avec des partenaires en Amérique latine ?": how an IRN is set up is the
        # same everywhere; where the partners are is a detail for the office, not for the steps.
        sub, primary, secondary = _steps_only(sub, primary, secondary)
    candidates = _candidates(sub, primary, secondary, ctx)
    # "Quelle est la mission de la DERCI ?": the documents list its missions; an office's single
    # mission stays one sentence (the list strategy falls back to the best sentences).
    missions = (
        sub.intent == "general" and "mission" in sub.attributes and any(e.kind == "org" for e in primary)
    )
    if sub.intent == "list" or _wants_items(sub) or missions:
        part = _on_topic(sub, ctx) or _items(sub, candidates, primary, ctx)
    elif sub.intent == "procedure":
        part = _procedure(sub, candidates, primary, ctx)
    else:
        part = _best(sub, candidates, primary, ctx)
        # "How is the budget split between its pillars?": each pillar's sentence, not the best one only
        part = with_members(part, candidates, member_noun(sub.text))
        if sub.attribute == "opening" and not sub.years and part.status == "answered":
            part = _directory_opening(part, primary, ctx)
        office = next((e for e in primary if e.kind == "office"), None)
        if part.status == "gap" and sub.intent == "how_many" and office and _COUNTRIES.search(fold(sub.text)):
            # "Combien de pays couvre le bureau de Pékin ?" when no passage counts them: the directory does
            counted = _office_countries(sub, office, ctx, counting=True)
            part = counted or part
    return _closed(replace(part, found=part.found + found) if found else part)


# "which one for ...", "lequel choisir ?": which of the compared tools fits what the message describes
_WHICH_FITS = re.compile(
    r"\b(which (one|of the two|should|would|fits|suits)|lequel (choisir|prendre|pour|convient|est le plus)"
    r"|laquelle (choisir|pour|convient)|(best|better) suited|le (plus|mieux) adapte|which is (best|better|right))\b"
)


# What a reader wants first of an office asked about as a whole, and how each is asked
_PORTRAIT = (("opening", "when"), ("director", "who"), ("mission", "general"))


# How one property of one office is asked on its own: "contrast Pretoria and Nairobi: when each opened,
# which area it covers, who runs it" is, for each property, that question about each office in turn.
_ONE_OFFICE_PROPERTY = {
    "opening": (
        "when",
        {
            "fr": "Quand le bureau du CNRS à {city} a-t-il ouvert ?",
            "en": "When did the CNRS office in {city} open?",
        },
    ),
    "closing": (
        "when",
        {
            "fr": "Quand le bureau du CNRS à {city} a-t-il fermé ?",
            "en": "When did the CNRS office in {city} close?",
        },
    ),
    "zone": (
        "where",
        {
            "fr": "Quels pays couvre le bureau du CNRS à {city} ?",
            "en": "Which countries does the CNRS office in {city} cover?",
        },
    ),
    "director": (
        "who",
        {"fr": "Qui dirige le bureau du CNRS à {city} ?", "en": "Who heads the CNRS office in {city}?"},
    ),
    "location": (
        "where",
        {
            "fr": "Où est installé le bureau du CNRS à {city} ?",
            "en": "Where is the CNRS office in {city} housed?",
        },
    ),
    "partners": (
        "general",
        {
            "fr": "Avec quels organismes le bureau du CNRS à {city} est-il partagé ?",
            "en": "Which organisations share the CNRS office in {city}?",
        },
    ),
    "mission": (
        "general",
        {
            "fr": "Quelles sont les missions du bureau du CNRS à {city} ?",
            "en": "What are the missions of the CNRS office in {city}?",
        },
    ),
}


def _offices_property_by_property(sub: SubQuestion, offices: Sequence[Entity], ctx: Context) -> Part | None:
    """Offices compared on properties the part lists ("when each opened, which area it covers, who runs
    it"): each property of each office in turn, as if asked of that office alone, rather than every
    sentence that names one of them."""
    asked = [a for a in sub.attributes if a in _ONE_OFFICE_PROPERTY]
    # "Which opened first, Nairobi or Pretoria?" asks one property, and a sentence that relates the two
    # answers it (`_compare`); "the two offices in Africa, Pretoria and Nairobi": the region only says
    # where they are
    if len(asked) < 2 or any(e.kind not in ("office", "region", "country") for e in offices):
        return None
    offices = [e for e in offices if e.kind == "office"]
    if len(offices) < 2:
        return None
    statements: list[Statement] = []
    found: list[Entity] = []
    for attribute in asked:
        intent, texts = _ONE_OFFICE_PROPERTY[attribute]
        for office in offices:
            one = replace(
                sub,
                text=texts[ctx.lang if ctx.lang in texts else "en"].format(city=office.label(ctx.lang)),
                intent=intent,
                attributes=(attribute,),
                entities=(office,),
                years=(),
                time="today" if attribute == "director" else None,
                inherited=False,
            )
            zone = _office_countries(one, office, ctx) if attribute == "zone" else None
            part = zone or _plan_part(one, ctx)
            said = {t.text for t in statements}
            fresh = [s for s in part.statements if s.text not in said][:2]
            if not fresh:
                fresh = [Statement(_gap_text(one, [office], ctx.lang), None, "gap")]
            statements += fresh
            ctx.used.update(s.text for s in fresh)
            found += part.found
    if not any(s.role != "gap" for s in statements):
        return None
    named = [*offices, *(e for e in found if e not in offices)]
    return Part(sub, "answered", tuple(statements), tuple(named))


def _office_portrait(sub: SubQuestion, office: Entity, ctx: Context) -> Part | None:
    """ "Parle-moi du bureau de Pretoria": what it covers, when it opened, who heads it and what it does,
    a sentence each, as the documents give them (a property they do not give is left out, not a gap)."""
    statements: list[Statement] = []
    covered = _office_countries(replace(sub, attributes=("zone",)), office, ctx)
    if covered is not None:  # what it covers: the sources' own sentence, else the directory's, backed
        statements += [s for s in covered.statements if s.source is not None][:1]
    asks = _PORTRAIT if statements else (("", "definition"), *_PORTRAIT)  # else what it is, first
    for attribute, intent in asks:
        asked = replace(sub, intent=intent, attributes=(attribute,) if attribute else (), entities=(office,))
        if attribute:
            part = _plan_part(asked, ctx)
        else:  # what it is: the sentence that defines it (not this portrait again)
            part = _best(asked, _candidates(asked, [office], [], ctx), [office], ctx)
        if part.status == "gap":
            continue
        said = {s.text for s in statements}
        first = next(
            (s for s in part.statements if s.role in ("answer", "route", "conflict") and s.text not in said),
            None,
        )
        if first is not None:
            statements.append(replace(first, role="answer"))
    if len(statements) < 2:
        return None
    return Part(sub, "answered", tuple(statements), found=(office,))


def _unnamed(part: Part, lang: str) -> Part:
    """ "Which two new IRLs did he inaugurate?" answered by "he inaugurated two new IRLs": the documents
    count them without naming them, which the answer says plainly."""
    if (
        part.sub.intent != "list"
        or part.status != "answered"
        or any(s.role == "item" for s in part.statements)
    ):
        return part
    answers = [s for s in part.statements if s.role == "answer" and s.source is not None]
    # words, not years: "the steps of the 2026 campaign" are not counted by "15 May 2026"
    words = [w for w in content_words(listed_noun(part.sub.text)) if len(w) > 2 and w.isalpha()]
    if len(answers) != 1 or not words or answers[0].source is None:
        return part
    folded = in_digits(answers[0].source.sentence.folded)
    nouns = "|".join(re.escape(w) for w in words)
    counted = re.search(rf"\b([2-9]|1\d) (?:[\w'-]+ ){{0,2}}(?:{nouns})\b(?P<rest>.*)", folded)
    if counted is None or re.search(
        r"[:(]|\b(dont|including|namely|notamment|a savoir)\b", counted.group("rest")
    ):
        return part  # "two new IRLs: X and Y", "deux IRL (X, Y)": named after all
    return replace(part, statements=(*part.statements, Statement(NOT_NAMED[lang], None, "gap")))


def _every_office(sub: SubQuestion) -> bool:
    """Whether the part asks something of every current office at once ("quels bureaux ont ouvert depuis
    2010 ?"), not of one office, one country or the former offices."""
    folded = sub.folded
    return (
        sub.intent in ("list", "which", "general", "where", "when", "how_many")
        and not sub.inherited
        and not any(e.kind in ("office", "country", "pole", "region", "tool") for e in sub.entities)
        and bool(_OFFICES.search(folded))
        and not _OTHER_OFFICES.search(folded)
        and not _FORMER.search(folded)
    )


def _other_offices(sub: SubQuestion, done: Sequence[Part], ctx: Context) -> Part | None:
    """ "Which offices are housed at a university? ... and which ones sit inside the embassy?": the same
    question of every office, with this part's own condition; nothing when it adds none ("any others?")."""
    before = next((p for p in reversed(done) if _every_office(p.sub)), None)
    if before is None or not _WHICH_ONES.search(sub.folded):
        return None
    if not sub.attributes and host_kind(sub.folded) is None:
        return Part(sub, "answered", ())  # "i know Ottawa is at uOttawa, any others?": the list above says it
    asked = replace(
        sub, entities=(), inherited=False, attributes=sub.attributes or before.sub.attributes, intent="list"
    )
    return _offices_table(asked, ctx)


_WHICH_ONES = re.compile(
    r"\b(which ones|which others|any others|lesquels|lesquelles|d'autres|les autres|et ceux|and those)\b"
)


def _part_candidates(sub: SubQuestion, ctx: Context) -> list[Candidate]:
    primary, secondary = _primary(sub)
    return _candidates(sub, primary, secondary, ctx)


def _as_offices(primary: list[Entity], ctx: Context) -> list[Entity]:
    """ "le bureau de Tokyo et celui de Singapour": beside an office, a city-state is the office in it."""
    if not any(e.kind == "office" for e in primary):
        return primary
    cities = {fold(o.city.get("en", "")): o for o in ctx.kb.offices.offices if o.kind != "pole"}
    out = []
    for e in primary:
        office = cities.get(fold(e.labels.get("en", ""))) if e.kind == "country" else None
        out.append(office_entity(office) if office is not None else e)
    return unique(out)


def _alike(entities: Sequence[Entity]) -> list[Entity]:
    """The things compared, without the directorate itself when two others of one kind are: "for the DEI's
    newcomers, compare Melbourne and Nairobi" names the DEI as where the asker stands."""
    others = [e for e in entities if not (e.kind == "org" and e.key in _DIRECTORATE)]
    return others if len(others) >= 2 and len({e.kind for e in others}) == 1 else list(entities)


_DIRECTORATE = frozenset({"DEI", "DERCI"})


_COMPARING = frozenset("vs versus ou or et and compare comparer comparaison comparison entre between".split())


def _names_only(sub: SubQuestion) -> bool:
    """ "IEA vs IRP": a part that only names what the next parts compare (not "how were they related?")."""
    text = fold(sub.text)
    for alias in (a for e in sub.entities for a in e.aliases):
        text = re.sub(rf"(?<![\w@-]){re.escape(alias)}(?![\w@-])", " ", text)
    return all(w in _COMPARING for w in re.findall(r"[\w'-]+", text))


def _steps_only(
    sub: SubQuestion, primary: list[Entity], secondary: list[Entity]
) -> tuple[SubQuestion, list[Entity], list[Entity]]:
    """A "how to set up this tool" part without the place of the partners (the country stays, for the
    office the steps are followed by)."""
    places = [e for e in sub.entities if e.kind == "region"]
    if not places:
        return sub, primary, secondary
    text = fold(sub.text)
    for alias in (a for e in places for a in e.aliases):
        text = re.sub(rf"\b(en|in|au|aux|d'|de|with|avec)?\s*{re.escape(alias)}\b", " ", text)
    text = re.sub(r"\b(avec|with) (des |de |d')?(partenaires?|partners?|collegues?|colleagues?)\b", " ", text)
    kept = tuple(e for e in sub.entities if e not in places)
    attributes = tuple(a for a in sub.attributes if a != "partners") or ("calendar",)
    return (
        replace(sub, text=" ".join(text.split()), entities=kept, attributes=attributes),
        [e for e in primary if e not in places],
        [e for e in secondary if e not in places],
    )


_FORMER = re.compile(r"\b(former|old|anciens|anciennes|closed|fermes|disparus)\b")
_COUNTRIES = re.compile(r"\b(pays|countries|territoires|territories)\b")
_WHAT_TO_DO = re.compile(
    r"\b(what (should|do|can|must) (i|we) do|what (are|is) the (next )?steps?|que (dois-je|devons-nous|faut-il"
    r"|peut-on|pouvons-nous) faire|que faire|quelle demarche|quelles demarches|comment (faire|proceder|s'y prendre)"
    r"|how (do|should|can) (i|we) (proceed|go about it|start)"
    # "comment formaliser notre collaboration ?", "how can we make it official?"
    r"|formalis\w+|formaliz\w+|make (it|this|our collaboration) (official|formal))\b"
)
_WHICH_OFFICE = re.compile(r"\b(quel bureau|quels bureaux|which (cnrs )?offices?|what (cnrs )?offices?)\b")


_SINCE_WHEN = re.compile(
    r"^(and |et )?(since when|since what date|from when|depuis quand|depuis quelle date)\W*$"
)


def _since(sub: SubQuestion, before: Part) -> Part | None:
    """ "Who leads it, and since when?": the sentence that named the director dates it; the office's
    own opening date would answer another question."""
    if not _SINCE_WHEN.match(fold(sub.text).strip()) or "director" not in before.sub.attributes:
        return None
    if any(s.source is not None and s.source.sentence.years for s in before.statements):
        return Part(sub, "answered", ())
    return None


def _routed(sub: SubQuestion, done: Sequence[Part]) -> Part | None:
    """ "L'UMI COMPASS est dans quel pays, et quel bureau la suit ?": the office an earlier part's route
    named answers "which office"; asking it of that office again would add what else the office does."""
    if not sub.inherited or not _WHICH_OFFICE.search(fold(sub.text)):
        return None
    routes = [fold(s.text) for p in done for s in p.statements if s.role in ("route", "then")]
    countries = [e for e in sub.entities if e.kind == "country"]
    if countries and not all(any(mentions(t, c) for t in routes) for c in countries):
        return None  # "... quel bureau pour chaque pays ?": a country the earlier route did not name
    if any(s.role == "route" for p in done for s in p.statements):
        return Part(sub, "answered", ())
    return None


def _whom(sub: SubQuestion, done: Sequence[Part], ctx: Context) -> Part | None:
    """ "Y a-t-il un bureau pour le Liban ? Sinon, à qui m'adresser ?": the office or pole an earlier
    part routed to is whom to ask; said plainly, with the passage that backs the route."""
    if "contact" not in sub.attributes:
        return None
    for part in reversed(done):
        route = next((s for s in part.statements if s.role == "route" and s.source is not None), None)
        whom = next((e for e in part.found if e.kind in ("pole", "office")), None)
        if route is None or whom is None:
            continue
        if any(
            e.kind in ("country", "org", "tool") and not mentions(fold(route.text), e) for e in sub.entities
        ):
            return (
                None  # "... vers qui orienter chacun ?" of another country: not the office routed to before
            )
        office = ctx.kb.offices.by_id(whom.office or whom.key)
        if office is None:
            continue
        text = contract(CONTACT[ctx.lang].format(contact=_addressee(office, ctx.lang)))
        return Part(sub, "answered", (Statement(text, route.source, "answer"),))
    return None


_SINGULAR_BACK = re.compile(r"\b(it|il|elle|cela|ca|this|that)\b|-(t-)?(il|elle)\b")


def _distinct_mentions(folded: str, entities: Sequence[Entity]) -> int:
    """How many of the entities a sentence names, one name counting once: "Malta" names the Malta office
    and the country alike, one subject."""
    named: list[Entity] = []
    for entity in entities:
        if mentions(folded, entity) and not any(set(entity.aliases) & set(e.aliases) for e in named):
            named.append(entity)
    return len(named)


def _follow_on(sub: SubQuestion, before: Part, ctx: Context) -> Part | None:
    """ "Did they hold a joint event? What was it for?": "it" is what the part before found, so the
    answer is in that sentence or beside it in its passage, not about each of the subjects again."""
    if not (sub.inherited and sub.attributes and before.answered and _SINGULAR_BACK.search(fold(sub.text))):
        return None
    if set(sub.attributes) & set(before.sub.attributes):
        return None  # "when was it set up, and when was it inaugurated?": the same subject, asked again
    said = [s.source for s in before.statements if s.source is not None]
    if len(said) != 1 or _distinct_mentions(said[0].sentence.folded, before.sub.entities) < 2:
        # "how long did it run?" after a part about the GDRI, "how long does it last?" after a part
        # on each of two tools: "it" is the subject itself. Only one sentence about several subjects
        # together (their joint event) is a thing of its own that "it" can point to.
        return None
    giving = [c for c in said if gives_attribute(c.sentence, sub.attributes[:1])]
    if giving:
        # "an event marking the 50th anniversary": said already; a sentence that says more of the same
        # thing (the anniversary of what, with its date) completes it.
        more = [
            c
            for c in _candidates(sub, [], [], ctx)
            if c.attribute
            and c.text not in ctx.used
            and c.sentence.years - giving[0].sentence.years
            and _shares_a_rare_word(c, giving[0], ctx)
        ]
        return Part(sub, "answered", (Statement(more[0].text, more[0], "answer"),) if more else ())
    units = units_for(sub.text, ctx.kb)
    nearby = [
        score(s, c.hit, sub, units, primary=[])
        for c in said
        for s in sentences_of(c.hit.chunk.text)
        if abs(s.position - c.sentence.position) <= 2 and s.text != c.text
    ]
    serving = sorted((c for c in nearby if c.attribute and c.value), key=lambda c: -c.score)
    return Part(sub, "answered", (Statement(serving[0].text, serving[0], "answer"),)) if serving else None


def _shares_a_rare_word(a: Candidate, b: Candidate, ctx: Context) -> bool:
    """Whether two sentences share a word few passages use ("anniversary", not "CNRS")."""
    common = {w for w in content_words(a.text)} & {w for w in content_words(b.text)}
    return any(ctx.idf(w) >= 3.5 and not w.isdigit() for w in common)


def _elsewhere(sub: SubQuestion, routed: Part, ctx: Context) -> bool:
    """Whether the part asks for an office *in* a country that the office found is not in."""
    if not _OFFICE_IN.search(fold(sub.text)) or routed.status != "answered":
        return False
    countries = {e.key for e in sub.entities if e.kind == "country"}
    hosts = set()
    for entity in routed.found:
        office = ctx.kb.offices.by_id(entity.key)
        if office is None or office.kind != "office":
            return False
        hosts.add(office.country)
    return bool(countries and hosts) and not countries & hosts


_OFFICE_IN = re.compile(
    r"\b(bureau|office|antenne|branch)s?\s+(du cnrs\s+|of the cnrs\s+|cnrs\s+)?(in|a|au|en|at)\s"
    # "a Seoul office" is an office in Seoul; "a CNRS office" is any office
    r"|\b(in|a|au|en|at)\s+(?!cnrs\b|du\b|de\b)\w+\s*(cnrs\s+)?(bureau|office)\b"
)


def _then_the_office(routed: Part, sub: SubQuestion, ctx: Context) -> Part:
    """ "Qui dirige le bureau qui couvre ce pays ?": the office that covers it, then what is asked of it."""
    rest = tuple(a for a in sub.attributes if a not in ("zone", "contact"))
    offices = [e for e in routed.found if e.kind == "office"]
    if not rest or len(offices) != 1 or routed.status != "answered":
        return routed
    hop = _plan_part(replace(sub, entities=(offices[0],), attributes=rest, inherited=True), ctx)
    if not hop.answered:
        return routed
    extra = tuple(
        s for s in hop.statements if s.role != "gap" and s.text not in {t.text for t in routed.statements}
    )
    return replace(routed, statements=routed.statements + extra)


def _closed(part: Part) -> Part:
    """A closed question's part with its yes or no, when its first sentence plainly settles it."""
    if part.sub.intent != "yes_no" or part.status != "answered" or part.verdict:
        return part
    if any(s.role == "route" for s in part.statements):
        # "Le CNRS a-t-il un bureau pour le Kenya ?": yes, this one. Not when the question names an
        # office of its own ("Is Japan covered by the Beijing office?"): the route answers for itself.
        named = {e.key for e in part.sub.entities if e.kind in ("office", "pole")}
        if not _routes(part.sub) or not part.found:
            return part
        found = {e.key for e in part.found}
        # "Is Japan covered by the Beijing office?": no, by Tokyo's.
        return replace(part, verdict="yes" if not named or named & found else "no")
    said = [s for s in part.statements if s.source is not None and answers_yes_no(s.text)]
    if said:  # the documents' own "Non : aucun appel..." answers first, in their words
        return replace(part, statements=(said[0], *(s for s in part.statements if s is not said[0])))
    sourced = [(s, s.source) for s in part.statements if s.source is not None]
    if not sourced:
        return part
    # "Peut-on payer un salaire avec les crédits de l'IRP ?": the sentence that says "sans salaires" settles
    # it, wherever the part had it
    plain_no = next(
        (s for s, c in sourced if c.subject >= 1.0 and excludes(part.sub.text, c.sentence.folded)), None
    )
    if plain_no is not None and not offers_options(part.sub.text):
        rest = tuple(s for s in part.statements if s is not plain_no)
        return replace(part, statements=(plain_no, *rest), verdict="no")
    first = sourced[0][1]
    return replace(part, verdict=verdict(part.sub.text, first, part.sub.attribute, part.sub.years))


# "and what comes after it?", "Et après une IEA ?": the next tool of the ladder.
_NEXT = re.compile(
    r"\bwhat (comes|is|goes) (after|next)|\bwhat'?s next\b|\bnext (step|stage|tool)\b|^(and )?(after|then)\b[^.?]{0,12}\??$"
    r"|^(et )?(apres|ensuite)\b[^.?]{0,14}\??$|\betape (suivante|d'apres)\b|\bqu'est-ce qui (vient|suit)\b"
    r"|\b(vient|suit|passe|faire) apres\b|\b(and|et) (apres|after)\b|^(et )?apres (un|une|l'|le|la)\s?\w+\W*(,|\?|$)"
    r"|^(and )?after (an?|the) \w+\W*(,|\?|$)"
)
_FOR_A_PURPOSE = re.compile(r"\b(pour|afin de|to|for|in order to)\b")
_TOOL_WORD = re.compile(r"\b(outils?|dispositifs?|instruments?|tools?|schemes?)\b")
_TOOLS = re.compile(
    r"\b(outils|dispositifs|instruments|tools|schemes|mechanisms)\b.{0,40}\b(cooperation|collaboration|international\w*)"
    r"|\b(chaque|tous les|each|every|all the) (outil|dispositif|instrument|tool|scheme)s?\b"
    r"|\b(cooperation|collaboration|international\w*)\b.{0,20}\b(tools|schemes|instruments)\b"
)


_TOGETHER = re.compile(
    r"\b(joint\w*|together|ensemble|conjoint\w*|commun\w*|between them|entre eux|co-?organi\w*|with each other)\b"
)


# "Je cherche un partenaire au Vietnam, par où commencer ?", "how do I find a partner abroad?"
_PARTNER = re.compile(
    r"\b(trouver|cherche\w*|find|finding|looking for|search\w*|nouer)\b.{0,40}\b(partenaires?|partners?)\b"
    r"|\b(par ou commencer|where (do|should|can) (i|we) start|first steps?|premiers pas)\b"
    # "I'd like to work with colleagues in Peru, what should I do?"
    r"|\b(work|collaborate|travailler|collaborer|cooperer|cooperate)\b.{0,30}\b(colleagues?|collegues?|team|equipe"
    r"|researchers?|chercheu\w+|labs?|laboratoires?)\b.{0,80}\b(what (should|can|do) (i|we) do|how (do|should|can)"
    r" (i|we)|que (dois|faire|puis)|comment (faire|proceder|m'y prendre)|quelles? (demarches?|etapes?))"
)
_OFFICES = re.compile(r"\b(bureaux|offices|representations|antennes)\b")
# "offices de tourisme", "offices of the UN": offices, but not the CNRS's
_OTHER_OFFICES = re.compile(
    r"\b(bureaux|offices) (de|d'|des|of) (?!(the )?cnrs\b|l'etranger|la dei\b|la derci\b|abroad\b)\w"
)
_CNRS = re.compile(r"\b(cnrs|derci|dei)\b")


def _with_office(part: Part, sub: SubQuestion, ctx: Context) -> Part:
    """A tool for a collaboration with a partner in a named country, then the office that covers it (the
    country may be in the message's background: "... avec une équipe argentine. Que faire ?")."""
    countries = [e for e in sub.entities if e.kind == "country"] or [
        e for e in ctx.analysis.entities if e.kind == "country"
    ][:2]
    if not countries:
        return part
    routed = _route(replace(sub, intent="where", attributes=(), entities=tuple(countries)), ctx)
    if routed is None:
        return part
    # The office comes after the answer on the tool (a list of tools stays first: it is what was asked).
    extra = tuple(replace(s, role="then") for s in routed.statements if s.role == "route")[:2]
    return replace(part, statements=part.statements + extra)


def _routes(sub: SubQuestion) -> bool:
    """Whether the part asks which office covers something ("quel bureau pour le Liban ?")."""
    folded = fold(sub.text)
    office_word = re.search(r"\b(bureau|bureaux|office|offices|antenne|branch|representation)\b", folded)
    if sub.intent == "where" and "location" not in sub.attributes:
        return True
    if "zone" in sub.attributes and sub.intent not in ("list", "compare"):
        return True
    # what the part names in its own words: an office carried over from the part before ("le bureau de
    # Bruxelles peut-il m'aider, ou qui suit la Suisse ?") is not what this part asks about
    kinds = {e.kind for e in sub.entities if e.kind != "office" or mentions(fold(sub.text), e)}
    if "contact" in sub.attributes and "country" in kinds and not kinds & {"tool", "org", "name", "office"}:
        return True  # "un labo israélien : vers qui se tourner ?": whoever covers that country
    if {"closing", "opening", "director"} & set(sub.attributes):
        return False  # "Is the Malta office still open?" asks about the office, not who covers Malta
    if not office_word or not any(e.kind == "country" for e in sub.entities):
        return False
    # "bureau cnrs pour le vietnam ?", "Kenya office?": a bare office and country ask which one covers it.
    return sub.intent == "yes_no" or (sub.intent == "general" and not sub.attributes)
