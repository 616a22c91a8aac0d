"""Pure: what a question asks — its parts, the kind of answer each wants, what it is about, and when.

`analyse(question, history, world)` turns a message into an `Analysis`:

1. Clean: SMS spellings expanded ("c koi" -> "c'est quoi") and typos corrected against the corpus
   vocabulary ("burau" -> "bureau", "kenia" -> "kenya"). The sentences that ask something are told
   apart from the background ("I'm an archaeologist in a UMR..."), which still names subjects and
   describes the collaboration a recommendation is for.
2. Split: "Which office covers it, and who headed it around 2017?" is two parts; so is a series
   "how long did it run, could it be renewed, and who paid for it?".
3. Each part gets an intent (list, compare, definition, procedure, who, when, where, how many,
   yes/no, recommendation), the attributes it asks about (director, duration, funding... see
   `lexicon.ATTRIBUTES`; the first named comes first), the entities it names (offices, countries,
   tools, organisations, and the acronyms and names the corpus knows), and time qualifiers.
4. Subjects: a part that names nothing and points back ("who headed it?", "ce pays", "those
   countries") is about the subject before it: the previous part's, the background's, or the previous
   turn's (a routing answer makes the office the subject, not the country asked about). A part that
   names a subject and asks nothing new ("and an IRN?") asks the previous part's question about it.

Steps 1 and 2 are `assistant.parts`, step 3 `assistant.intents` and `assistant.recognition` (the
entities themselves are `assistant.entities`), step 4 `assistant.subjects`; `analyse` runs them in order.
No retrieval here and no I/O: the directories and the corpus vocabulary come in through `World`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.analysis import content_words, detect_language, fold
from assistant.conversation import History, last_turns
from assistant.entities import (
    UNIT_TYPES,
    Entity,
    World,
    entities_of_tools,
    mentions,
    next_tool,
    office_entity,
)
from assistant.entities import unique as _unique
from assistant.intents import attributes as _attributes_of
from assistant.lexicon import (
    CONFLICT_CHOICE,
    CONFLICT_HINT,
    FULL_NAME,
    PLEASANTRY,
    QUOTES_A_SOURCE,
    QUOTES_VALUES,
    STRUCTURE_TYPES,
)
from assistant.numerals import in_digits
from assistant.parts import SubQuestion
from assistant.parts import expand_sms as _expand_sms
from assistant.parts import is_question as _is_question
from assistant.parts import sentences as _sentences
from assistant.parts import split as _split
from assistant.parts import sub_question as _sub_question
from assistant.recognition import find_entities
from assistant.subjects import ask_again as _ask_again
from assistant.subjects import context_entities as _context_entities
from assistant.subjects import merge_restatements as _merge_restatements
from assistant.subjects import resolve as _resolve
from assistant.subjects import topic as _topic
from assistant.subjects import turn_context as _turn_context


@dataclass(frozen=True)
class Analysis:
    """What a message asks, ready for planning."""

    original: str
    text: str  # the asking sentences, cleaned (SMS spellings expanded, typos corrected)
    lang: str
    subs: tuple[SubQuestion, ...]
    entities: tuple[Entity, ...]  # every entity of the message and of its context, in order
    situation: str = ""  # the whole cleaned message: what a recommendation reads its cues from
    follow_up: bool = False
    search: str = ""  # one query for the whole turn (the cleaned text plus inherited subjects)
    expects_conflict: bool = False  # "I read two different durations"
    unknown: tuple[str, ...] = ()  # structures named by their type that no document mentions ("IRL ILANCE")
    said: str = ""  # the last answer given in the conversation: what "any other?" asks beyond


# "ifaeci?? its a cnrs lab in argentina right, what field and which office covers argentina now": the last
# sentence of a typed message asks, though it has no "?", when an asking word follows a comma or "and"
_ASKS_UNPUNCTUATED = re.compile(
    r"(,|\b(and|et|mais|but|ou|or))\s+(?:(?:en|in|dans|pour|for)\s+\w+\s+)?[^.!]{0,40}?\b(what|which|who|when|where"
    r"|how many|how much|how long|combien|quel\w*|quand|qui)\b[^.!]*$"
)
_WHO_IS_RIGHT = re.compile(
    r"^(who'?s right|who is right|who is correct|which (one )?is (right|correct)|qui a raison|lequel a raison"
    r"|laquelle a raison|qui dit vrai)\W*$"
)
_IS_THAT_RIGHT = re.compile(
    r"^(is (that|this|it|he|she) (right|true|correct|so)|is that the case|c'est (vrai|juste|exact|bien ca)"
    r"|est-ce (vrai|exact|juste)|est-ce que c'est (vrai|exact|juste)|vrai ou faux|true or false|c'est le cas)\W*$"
)
# "Our Korean partner says (that)", "Mon collègue affirme que", "J'ai lu que": who reported the claim.
_REPORTED = re.compile(
    r"^.{0,80}?\b(says?|said|told (me|us)|claims?|claimed|tells (me|us)|affirme|dit|m'a dit|nous a dit|pretend"
    r"|soutient|j'ai (lu|entendu( dire)?)|i (read|heard))\b( que| qu'| that)?\s*",
    re.IGNORECASE,
)
_FORMAT = re.compile(
    r"^(list|liste[rz]?|enumere[rz]?|give (me )?(the|a) list|donne[rz]?(-moi)? la liste|with their dates"
    r"|avec (leurs|les) dates)\b"
)


# -- entry point -------------------------------------------------------------------------------------


# "qui l'accueille au siège ?", "who handles it at headquarters?": the directorate at the CNRS's head office
_AT_HQ = re.compile(r"\b(au siege|at (the )?(cnrs'?s? )?(headquarters|hq|head office))\b")


def _at_headquarters(sub: SubQuestion, world: World) -> SubQuestion:
    """A part asked of the CNRS's head office is about the DERCI (DEI) when it names no other body."""
    others = [e for e in sub.entities if e.key != "HQ"]  # the head office itself ("CNRS headquarters")
    if not _AT_HQ.search(sub.folded) or any(e.kind in ("org", "office", "pole", "person") for e in others):
        return sub
    directorate = next((e for e in world.org_entities if e.key == "DERCI"), None)
    if directorate is None:
        return sub
    return replace(sub, entities=(directorate, *others))


def analyse(question: str, history: History, world: World, lang: str | None = None) -> Analysis:
    """The `Analysis` of `question`, given the conversation so far."""
    lang = lang or _language(question, history)
    cleaned = world.speller.correct(_expand_sms(" ".join(question.split())))
    background: list[str] = []
    parts: list[tuple[str, str]] = []
    sentences = _sentences(cleaned)
    for i, sentence in enumerate(sentences):
        if _is_question(sentence) or (i == len(sentences) - 1 and _ASKS_UNPUNCTUATED.search(fold(sentence))):
            parts += _split(sentence)
        elif parts and _FORMAT.match(fold(sentence)):
            # "... what was it supposed to do? List the planned actions.": how to answer the question
            # before, not a question of its own.
            prefix, text = parts[-1]
            appended = sentence.rstrip(".!")
            parts[-1] = (prefix, f"{text} {appended[:1].lower()}{appended[1:]}")
        elif not (PLEASANTRY.match(fold(sentence)) and len(sentence) < 80):
            background.append(sentence)
    if background:
        # "Our partner says the CNRS has an office in Seoul. Is that right?": the claim is the question.
        claim = _REPORTED.sub("", background[-1].rstrip(" .!")).strip()
        lead = "Is it true that" if lang == "en" else "Est-il vrai que"
        parts = [
            (prefix, f"{lead} {claim}")
            if _IS_THAT_RIGHT.match(fold(text).strip()) and claim
            else (prefix, text)
            for prefix, text in parts
        ]
    if not parts:  # a bare topic ("ifcam?", "IRL") or a statement: the whole message is the question
        parts = _split(cleaned) or [("", cleaned)]
        background = []
    elif background and all(
        _bare(prefix, text, world) or _empty(prefix, text, world) for prefix, text in parts
    ):
        # "Je veux mettre en parallèle Melbourne et Nairobi : dates, zones... Tu peux me faire le comparatif
        # ?": the request says how to answer, the sentence before it what about.
        said = background.pop().rstrip(" .!:;")
        parts = [(prefix, f"{text.rstrip(' ?')} : {said}") for prefix, text in parts]
    if background:
        # "I'm mapping the CNRS's joint labs in Canada. Which ones can you name?": "which ones" are what
        # the sentence before names
        said = background[-1].rstrip(" .!:;")
        parts = [
            (prefix, f"{text.rstrip(' ?')} : {said}") if _WHICH_ONES.match(fold(text)) else (prefix, text)
            for prefix, text in parts
        ]
    in_background = _context_entities(background, world)
    turn = _turn_context(history, world, cleaned)
    subs = _resolve(
        [_sub_question(text, prefix, world) for prefix, text in parts],
        _topic(background, world),
        in_background,
        turn,
        lang,
    )
    subs = [_at_headquarters(sub, world) for sub in subs]
    subs = _merge_restatements(subs)
    subs = _with_each_property(subs)
    subs = [piece for sub in subs for piece in _each_milestone(sub)]
    # numbered requests asked of each ("1) ... 2) ... Vers qui orienter chacun ?"), else each subject named
    subs = _each_request(subs, background, world)
    subs = [piece for sub in subs for piece in _each_subject(sub, lang)]
    if (
        not background
        and len(subs) == 2
        and _RECONCILE.match(fold(subs[1].text).strip())
        and not subs[0].attributes
    ):
        # "Le CNRS aurait reçu plus de 700 M€ depuis 1983, mais 720 M€ en ERC ? Lequel croire ?": the first
        # part states the two claims, the second asks which holds; one part, on what the claims give.
        claims = fold(subs[0].text)
        given = _attributes_of(claims) or _claimed(claims)
        if given:
            subs = [
                replace(
                    subs[1], attributes=given, entities=subs[0].entities, years=subs[0].years, inherited=False
                )
            ]
    subs = [_property_of_reported_values(s, background) for s in subs]
    if len(subs) > 1:
        # "Who's right? When did the Santiago office open...": the other parts' answers settle it
        subs = [s for s in subs if not _WHO_IS_RIGHT.match(fold(s.text).strip())] or subs
    # "How did a PICS work: who could apply, duration, funding?": the properties listed say how it worked
    subs = [
        s
        for i, s in enumerate(subs)
        if not (
            i + 1 < len(subs)
            and s.intent in ("general", "procedure")
            and not s.attributes
            and s.entities
            and subs[i + 1].inherited
            and len(subs[i + 1].attributes) >= 2
            and "," in subs[i + 1].text  # "who could apply, duration, funding": a list of properties
            and subs[i + 1].entities[:1] == s.entities[:1]
        )
    ]
    subs = _ask_again(subs, history, world)
    entities = _unique([e for s in subs for e in s.entities] + in_background + turn)
    asked = " ".join(f"{prefix} {text}".strip() for prefix, text in parts)
    search = cleaned
    inherited = [e for s in subs if s.inherited for e in s.entities if not _named_in(cleaned, e)]
    if inherited:
        search = f"{cleaned} ({'; '.join(e.label(lang) for e in _unique(inherited))})"
    return Analysis(
        original=question,
        text=asked,
        lang=lang,
        subs=tuple(subs),
        entities=tuple(entities),
        situation=cleaned,
        follow_up=any(s.inherited for s in subs) and bool(last_turns(history, 1)),
        search=search,
        expects_conflict=_expects_conflict(fold(cleaned)) or len(quoted_people(cleaned, entities)) >= 2,
        unknown=tuple(unknown_structures(cleaned, world)),
        said=next((t.answer for t in reversed(last_turns(history, 1))), ""),
    )


def _bare(prefix: str, text: str, world: World) -> bool:
    """A request to compare, list or sum up that names nothing, asks no property and has no asking word
    ("Tu peux me faire le comparatif ?"); "Peux-tu m'aider à remplir ma déclaration ?" is no such request."""
    sub = _sub_question(text, prefix, world)
    return (
        not sub.entities
        and not sub.attributes
        and not _ASKING.search(fold(text))
        and (sub.intent in ("compare", "list") or bool(_SUMMARY.search(fold(text))))
    )


def _empty(prefix: str, text: str, world: World) -> bool:
    """A question that names nothing, asks no property and has almost no words of its own ("Qu'est-ce que je
    dois y mettre ?", "What can you tell me?"): what it is about is in the sentence before it."""
    if not _TELL_ME.match(fold(text).strip()):
        return False
    sub = _sub_question(text, prefix, world)
    return not sub.entities and not sub.attributes and len(content_words(text)) <= 2


# "Que peux-tu me dire ?", "Qu'est-ce que je dois y mettre ?", "What should I know?": a request for what the
# documents say about the sentence before
_TELL_ME = re.compile(
    r"^(que|qu'est-ce que|what|quoi)\b.{0,30}\b(dire|tell|mettre|include|put|savoir|know)\b"
)


_WHICH_ONES = re.compile(r"(which ones|which of them|lesquels|lesquelles|lesquels d'entre eux)\b")
_SUMMARY = re.compile(
    r"\b(tableau|synthese|resume|recapitulatif|recap|summary|overview|table|summari[sz]e)\b"
)
_ASKING = re.compile(
    r"\b(quel\w*|qui|quand|ou|combien|comment|pourquoi|lequel|laquelle|what|which|who|when|where|how|why)\b"
)


def _expects_conflict(folded: str) -> bool:
    """The asker met values that disagree: says so, or quotes two and asks which holds or sets them against
    each other ("l'annonce parle de 4, mais la page dit que c'est le 5e")."""
    if CONFLICT_HINT.search(folded):
        return True
    figures = in_digits(folded)  # "about ten PhDs or eighteen?" quotes two values as "10 or 18" does
    if figures != folded and CONFLICT_HINT.search(figures):
        return True
    return len(set(QUOTES_VALUES.findall(figures))) >= 2 and bool(CONFLICT_CHOICE.search(folded))


def quoted_people(text: str, entities: Sequence[Entity]) -> list[str]:
    """The people a message quotes from its sources ("Une lettre parle d'Olga Anokhina, le site de Liviu
    Nicu"), folded: a first name and a surname the documents know as a name ("Southern Africa" is none)."""
    if not QUOTES_A_SOURCE.search(fold(text)):
        return []
    known = [a for e in entities if e.kind in ("name", "person") for a in e.aliases]
    found = (fold(m) for m in FULL_NAME.findall(text))
    return list(dict.fromkeys(f for f in found if any(a in f for a in known)))


# "Mon directeur dit 4 ans, le site dit 5 ans. C'était combien ?": the values the background reports
# say which property a bare "combien" asks.
_BARE_HOW_MUCH = re.compile(
    r"^(et |and |so |alors |donc )?(c'etait|c'est|it was|was it|is it)? ?(combien|how much)\b(?! de)"
)
_RECONCILE = re.compile(
    r"^(so |alors |donc |mais |but )?(how can (both|they both|the two) be (right|true|correct)|which (one )?is (right"
    r"|correct|true)|which (one )?should i (believe|trust)|how do (they|these|the two) fit( together)?"
    r"|how is (that|this) possible|qui a raison|lequel (est (juste|vrai|correct)|croire)|laquelle croire"
    r"|(quel|quelle) (chiffre|date|valeur|version) (croire|retenir|est (le |la )?bon\w*)"
    r"|which (figure|date|value|version) (should i|do i|to) (believe|trust)"
    r"|comment (les deux peuvent|ca colle|c'est possible|est-ce possible|concilier))\b"
)
# What kind of value two claims give, when they ask nothing: "the 11th office" (a rank), "11 offices" (a count)
_CLAIMED = (
    ("funding", re.compile(r"\d ?(k|m|md|bn)?(€|euros?)|€ ?\d")),
    ("rank", re.compile(r"\b\d+(e|eme|er|st|nd|rd|th)\b")),
    ("duration", re.compile(r"\b\d+ (ans|annees|years?|mois|months?)\b")),
    ("count", re.compile(r"\b\d+ (\w+ )?\w+s\b")),
)


_EACH_ONE = re.compile(r"\b(each( one| of them)?|chacun\w*|chaque|de chacun\w*|for each)\b")


def _with_each_property(subs: list[SubQuestion]) -> list[SubQuestion]:
    """ "What are the pillars of Horizon Europe, and how much funding does each one get?": one list, each
    item with its property."""
    out: list[SubQuestion] = []
    for sub in subs:
        before = out[-1] if out else None
        if (
            before is not None
            and before.intent == "list"
            and sub.inherited
            and sub.attributes
            and _EACH_ONE.search(fold(sub.text))
        ):
            attributes = tuple(dict.fromkeys((*before.attributes, *sub.attributes)))
            out[-1] = replace(before, attributes=attributes)
            continue
        out.append(sub)
    return out


# "créé et inauguré", "opened and inaugurated": two dates, often months apart (Rio: 1 January and 16 June
# 2010); one sentence would give one of them.
_TWO_MILESTONES = re.compile(
    r"\b(cr[ée]{2}e?s?|fond[ée]e?s?|ouverte?s?|created|founded|opened|set up|established)\s+(et|and)\s+"
    r"(inaugur\w+)",
    re.IGNORECASE,
)


def _each_milestone(sub: SubQuestion) -> list[SubQuestion]:
    """A part asking when something was created and inaugurated: one part per date."""
    m = _TWO_MILESTONES.search(sub.text)
    if m is None or "opening" not in sub.attributes:
        return [sub]
    first = sub.text[: m.end(1)] + sub.text[m.end() :]
    second = sub.text[: m.start()] + m.group(3) + sub.text[m.end() :]
    return [replace(sub, text=first), replace(sub, text=second, inherited=True)]


def _each_request(subs: list[SubQuestion], background: Sequence[str], world: World) -> list[SubQuestion]:
    """ "J'ai trois demandes : 1) l'Universidad de Chile voudrait un accord-cadre ; 2) une chercheuse veut
    monter un projet Horizon Europe ; 3) une délégation vietnamienne veut venir. Vers qui orienter chaque
    demande ?": the same question of each numbered request, one part each, about what that request names."""
    if len(subs) != 1 or not _EACH_REQUEST.search(subs[0].folded):
        return subs
    items = [m.group(1).strip(" ;,.") for m in _NUMBERED.finditer(" ".join(background))]
    if len(items) < 2:
        return subs
    sub = subs[0]
    asked = re.sub(
        r",? *\b((chaque|chacune? de ces|each( of these)?) \w+|chacune?|each of them|each one)\b",
        "",
        sub.text,
    ).rstrip(" ,?")
    out = []
    for item in items:
        part = _sub_question(f"{asked} : {item}", "", world)
        out.append(
            replace(
                part, intent=sub.intent, attributes=tuple(dict.fromkeys((*sub.attributes, *part.attributes)))
            )
        )
    return out


# "chaque demande", "each request": the message's numbered requests, one by one
_EACH_REQUEST = re.compile(
    r"\b(chaque|each( of these| of the| of my)?|chacune? de ces) (demandes?|cas|requetes?|dossiers?|requests?|cases?"
    r"|queries|enquiries|questions?|situations?)\b|\b(chacune?|each of them|each one)\b"
)
# "1) ...", "2. ...", "(3) ...": the items of a numbered list written in one line
_NUMBERED = re.compile(r"(?:^|\s)\(?[1-9][).]\s+(.+?)(?=\s*;?\s+\(?[1-9][).]\s|$)")


def _each_subject(sub: SubQuestion, lang: str) -> list[SubQuestion]:
    """ "Un chercheur part au Mozambique ; notre directeur vise une université norvégienne. Vers qui orienter
    chacun ?": the same question for each subject the message set out, one part each (one part on them all
    answers for the first and says a gap for the others)."""
    subjects = [e for e in sub.entities if not (e.kind == "org" and e.key in UNIT_TYPES)]
    if (
        len(subjects) < 2
        # places and offices (the requests of a message go somewhere); several tools are set side by side
        or not any(e.kind in ("country", "region", "office") for e in subjects)
        or sub.intent in ("list", "compare")
        # "which IRLs are in Singapore ... what each one works on": each IRL of the place, not each subject
        or any(e.kind == "tool" for e in subjects)
        or not sub.inherited
        or not _EACH_OF.search(sub.folded)
    ):
        return [sub]
    # each part names its subject now: it no longer takes the office the part before found
    return [
        replace(sub, text=f"{sub.text} ({e.label(lang)})", entities=(e,), inherited=False) for e in subjects
    ]


# "chacun", "each of them": the question is asked of each subject in turn ("chaque" needs its noun: "quel
# budget pour chaque outil ?" is a list)
_EACH_OF = re.compile(
    r"\b(chacun|chacune|chacun d'eux|chacune d'elles|each of them|each one|respectively|respectivement)\b"
)


def _claimed(claims: str) -> tuple[str, ...]:
    return tuple(name for name, unit in _CLAIMED if unit.search(claims))


_REPORTED_UNITS = (
    ("duration", re.compile(r"\b\d+ (ans|annees|years?|mois|months?)\b")),
    ("funding", re.compile(r"\d ?(k?€|euros?|keur)|€ ?\d")),
)


def _property_of_reported_values(sub: SubQuestion, background: Sequence[str]) -> SubQuestion:
    if _RECONCILE.match(fold(sub.text).strip()) and background and not _attributes_of(fold(sub.text)):
        # "X is called the 11th office, but the 2012 report counted 11. How can both be right?": the
        # property the two claims give
        claims = fold(" ".join(background))
        return replace(sub, attributes=_attributes_of(claims) or _claimed(claims))
    if not _BARE_HOW_MUCH.match(fold(sub.text).strip()) or not background:
        return sub
    reported = fold(" ".join(background))
    for attribute, unit in _REPORTED_UNITS:
        if len(unit.findall(reported)) >= 2 and attribute not in sub.attributes:
            return replace(sub, attributes=(attribute, *(a for a in sub.attributes if a != "count")))
    return sub


_TYPED_NAME = re.compile(
    r"\b(?:"
    + "|".join(sorted(STRUCTURE_TYPES))
    + r")s?\s+(?P<name>[A-Z][A-Za-z0-9@&-]*[A-Z0-9][A-Za-z0-9@&-]*)"
)


def unknown_structures(text: str, world: World) -> list[str]:
    """Structures named by their type and a name in capitals ("IRL ILANCE", "LIA XYZ") that the
    documents never mention: what the answer must say it knows nothing about."""
    out = []
    for m in _TYPED_NAME.finditer(text):
        full, name = m.group(0), m.group("name")
        if not world.known_word(fold(full)) and not world.known_word(fold(name)):
            out.append(full)
    return list(dict.fromkeys(out))


def _language(question: str, history: History) -> str:
    lang = detect_language(question)
    if lang != "unknown":
        return lang
    for turn in reversed(last_turns(history)):
        found = detect_language(turn.question)
        if found != "unknown":
            return found
    folded = fold(question)
    return "fr" if re.search(r"\b(c'est|quoi|quel\w*|koi|kel|ki|bureau|pays)\b", folded) else "en"


def _named_in(text: str, entity: Entity) -> bool:
    return mentions(fold(text), entity)


__all__ = [
    "Analysis",
    "Entity",
    "SubQuestion",
    "World",
    "analyse",
    "entities_of_tools",
    "find_entities",
    "mentions",
    "next_tool",
    "office_entity",
]
