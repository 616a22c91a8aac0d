"""Pure: which subjects each part of a question is about, when it does not name them itself.

A part that names nothing and points back ("who headed it?", "ce pays", "those countries") is about the
subject before it: the previous part's, the background's ("Le LIA HOMEN travaille sur..."), or the
previous turn's (a routing answer makes the office the subject, not the country asked about). A part
that names a subject and asks nothing new ("and an IRN?") asks the previous part's, or the previous
turn's, question about it; a part that only repeats the one before it is dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.analysis import content_words, fold
from assistant.conversation import History, Turn, last_turns
from assistant.entities import Entity, World
from assistant.entities import unique as _unique
from assistant.intents import intent as _intent
from assistant.lexicon import ATTRIBUTE_BY_NAME, PERSON_ATTRIBUTES
from assistant.parts import BARE as _BARE
from assistant.parts import SubQuestion
from assistant.parts import expand_sms as _expand_sms
from assistant.parts import split as _split
from assistant.parts import sub_question as _sub_question
from assistant.recognition import find_entities

__all__ = [
    "ask_again",
    "context_entities",
    "merge_restatements",
    "resolve",
    "topic",
    "turn_context",
]


# The CNRS as the subject of the part's own verb: the part is about the whole CNRS, not the message's topic
_CNRS_SUBJECT = re.compile(
    r"\b(le|the) cnrs (\w+ )?(a|avait|est|etait|compte|comptait|possede|has|had|is|was|counts?|holds?)\b"
    r"|\b(le cnrs \w+)-(t-)?il\b"
    r"|\b(does|did|has|had|is|was) the cnrs\b"
)
# "Et l'accord a été signé quand ?", "when was the agreement signed?": the agreement of the structure discussed
_THE_STRUCTURE = re.compile(
    r"\b(l'|the |cet |this )(accord|agreement|laboratoire|labo|lab|laboratory|unite|unit|centre"
    r"|center|reseau|network|antenne|branch)\b"
)
_THERE = re.compile(r"\b(y|there|la-bas|sur place|on site)\b")
_POINTS_BACK = re.compile(
    r"\b(il|elle|ils|elles|leur|son|sa|ses|celui-ci|celle-ci|ce bureau|cet outil|ce pays"
    r"|cette structure|ce dispositif|ce programme|ce laboratoire|cette personne|telle structure|it|its|they"
    r"|ce partenariat|cet accord|ce reseau|ce projet|cette collaboration|this partnership|that partnership"
    r"|this agreement|that agreement"
    r"|them|their|this|that|those|these|he|she|his|her|such|the two|les deux|each one|chacun|ca|cela|ceci"
    r"|both|both sides|des deux cotes|de part et d'autre|each|each of them|chacun d'eux|chacune"
    r"|lesquels|lesquelles|lequel|laquelle|which ones|which of them"
    # "Does any other country have something comparable?": comparable to what was just discussed
    r"|comparable|similar|equivalent|equivalente?s?|semblable|similaire|pareil\w*)\b"
    r"|-t-(il|elle)\b|-(il|elle|ils|elles)\b"
    # "Le PDG s'y est-il rendu ?": "y", there, is the place just discussed
    r"|\b[sjmt]'y\b"
    # "le", "la", "les", "en", "y" are pronouns only before the verb of a subject ("qui le dirige ?",
    # "peut-on le renouveler ?"); elsewhere they are articles ("la différence") or prepositions ("en Inde").
    r"|\b(qui|que|qu'|je|j'|tu|nous|vous|on|ne|n'|comment|pour|-on|-je|-il|-elle)\s*(le|la|les|l'|en|y|lui)\b"
    # "quelles institutions le devancent ?", "quels pays la composent ?": a pronoun before a plural verb
    r"|\b\w+s (le|la|les|l') ?\w+ent\b"
    # "Is there one in the UK?", "y en a-t-il un au Japon ?": one of what the previous turn was about
    r"|\b(is there|was there|are there|there is|there's|there are) (also |still )?(one|any)\b|\bones?\b (in|with|for|at)\b"
    r"|\by en a\b|\ben existe\b|\ben (a|ont|compte)[- ]t?-?(il|elle|ils|on)?\b"
)


def resolve(
    subs: Sequence[SubQuestion],
    topic: Entity | None,
    background: Sequence[Entity],
    turn: Sequence[Entity],
    lang: str = "en",
) -> list[SubQuestion]:
    """Give every part the subjects it is about, and the attribute it asks when it only names a subject."""
    out: list[SubQuestion] = []
    previous: SubQuestion | None = None
    scheme = next((e for e in background if e.kind == "tool"), None)
    for sub in subs:
        own = list(sub.entities)
        about = topic  # what the background sets, for this part
        if (
            topic is not None
            and scheme is not None
            and topic.kind != "tool"
            and not own
            and any(
                ATTRIBUTE_BY_NAME[a].question.search(sub.folded)
                for a in _SCHEME_PROPERTIES & set(sub.attributes)
            )
        ):
            # "on a publié avec l'UFRJ à Rio, on voudrait passer à un IRP : quelles étapes, quelle
            # plateforme, quelle date ?": the scheme's steps and calendar, not the partner's or the office's
            about = scheme
        folded = fold(sub.text)
        for alias in (a for entity in own for a in entity.aliases if a in folded):
            # "Quand le bureau de Nairobi a-t-il ouvert ?": the inverted "il" repeats the subject just named
            folded = _inverted_after(alias).sub(r"\1", folded)
        for entity in own:  # "Et le Viêt Nam ?": "le" is the country's article, not a pronoun
            for alias in entity.aliases:
                if alias in folded:
                    folded = _with_article(alias).sub(" ", folded)
        folded = re.sub(r"\by a-t-(il|elle)\b|\by-a-t-il\b|\bil y a\b", " ", folded)  # "there is", not "it"
        # "combien d'accords le CNRS avait-il ?": "il" repeats the CNRS the part names, not an earlier subject
        # ("le CNRS y était-il actif ?": "y" still points at the place named before)
        whole_cnrs = not _THERE.search(folded)
        if whole_cnrs:
            folded = re.sub(r"\b(le cnrs\b[^?.;]*?\b\w+)-(t-)?il\b", r"\1", folded)
        structure_back = not own and bool(_THE_STRUCTURE.search(folded))
        points_back = bool(_POINTS_BACK.search(folded)) or structure_back
        # "On hésite entre un PRC et une IEA. Quelles sont les différences ?": both sides, like "they"
        plural = bool(_PLURAL_BACK.search(folded)) or (sub.intent == "compare" and not own)
        bare = _is_bare(sub)
        # "How did a PICS work: who could apply, duration, funding?": a short list of properties is about
        # the part before it
        properties = previous is not None and len(sub.attributes) >= 2 and len(content_words(sub.text)) <= 6
        # "how long do they run and roughly how much money is involved?": a property of the same subjects
        properties = properties or (
            previous is not None
            and bool(previous.entities)
            and bool(sub.attributes)
            and set(sub.attributes) <= _PROPERTIES
            and len(content_words(sub.text)) <= 5
        )
        # "Quelle différence entre ces deux formules ?": the two the message named before, like "they"
        if not own and (points_back or plural or bare or sub.intent == "where" or properties):
            source: Sequence[Entity] = ()
            if plural:
                source = (
                    (previous.entities if previous and previous.entities else ())
                    # "avec un collègue britannique, on hésite entre un PRC et une IEA": the sides, not the place
                    or _sides(background, sub.intent)
                    or tuple(e for e in turn if e.kind != "country")
                    or tuple(turn)
                )
            elif previous is not None and previous.entities:
                # "Is there one in the UK, and since when?": a bare part asks about all the part before it
                source = previous.entities if bare else _subjects_of(previous)
            elif about is not None:
                source = (about,)
            elif turn:
                source = (turn[0],)
            elif background:
                # "Our labs in Spain and Italy want a network. Which tool?": every country named, not the first
                countries = tuple(e for e in background if e.kind == "country")
                source = countries if background[0].kind == "country" else (background[0],)
            offices = [e for e in (*(previous.entities if previous else ()), *turn) if e.kind == "office"]
            if offices and _refers_to_office(sub.text) and not any(e.kind == "office" for e in source):
                # "Et ce bureau anime-t-il d'autres réseaux ?" after "coordinated by the Brussels office"
                source = (offices[0],)
            if structure_back and source and _looks_like_person(source[0]):
                # "the agreement" after "who leads it? -> Michael Pevzner": the lab's, not the person's
                named = (e for e in (*turn, *background) if e.kind == "name" and not _looks_like_person(e))
                source = next(((e,) for e in named), source)
            if source:
                sub = replace(sub, entities=tuple(source), inherited=True)
                if _looks_like_person(source[0]) and _HE_SHE.search(folded):
                    sub = replace(sub, about_person=True)
            if previous is not None and previous.years and not sub.years and _named_again(folded, previous):
                # "For the 2014 PICS campaign, ..., and when was the campaign open?": the 2014 one
                sub = replace(sub, years=previous.years)
        elif (
            own
            and points_back
            and previous is not None
            and _IT.search(folded)
            and any(e.kind in ("office", "tool") and e not in own for e in previous.entities)
        ):
            # "When did the Santiago office open, and was it really shared with the IRD?": "it" is the office
            sub = replace(sub, entities=tuple(_unique([*_subjects_of(previous), *own])), inherited=True)
        elif own and points_back and previous is None and turn and turn[0] not in own:
            # "Et qui le dirigeait lors de la tournée du PDG du CIRAD ?": "le" is the previous turn's subject.
            sub = replace(sub, entities=(turn[0], *own), inherited=True)
        elif (
            own
            and previous is not None
            and not any(_subject_worthy(e) for e in own)
            and any(_subject_worthy(e) for e in previous.entities)
            and (points_back or _CONTINUES.match(fold(sub.text)) or len(content_words(sub.text)) <= 6)
        ):
            # "... an ERC Starting Grant, and for how many years after the PhD?": still the grant.
            sub = replace(sub, entities=(*_subjects_of(previous), *own), inherited=True)
        elif own and points_back and previous is not None and _refers_to_office(sub.text):
            # "how many staff did that office count": the office found for the previous part, and COVID-19.
            sub = replace(sub, entities=tuple(_unique([*_subjects_of(previous), *own])), inherited=True)
        elif (
            about is not None
            and about not in own
            and not any(_subject_worthy(e) for e in own)
            and not (whole_cnrs and _CNRS_SUBJECT.search(folded))  # "combien d'accords le CNRS avait-il ?"
        ):
            # "les partenaires russes" with an IEA in the background: the IEA stays the subject.
            sub = replace(sub, entities=(about, *own))
        if not any(e.kind in ("country", "region", "office") for e in sub.entities) and _THERE.search(folded):
            # "We're moving to Singapore. Which IRLs are based there?": the place the message named
            places = [e for e in (*background, *turn) if e.kind in ("country", "region")]
            if places:  # (named in the part's words too: they are what passages are searched with)
                label = places[0].label(lang)
                sub = replace(sub, text=f"{sub.text} ({label})", entities=(*sub.entities, places[0]))
        if sub.attributes and sub.attributes[0] in PERSON_ATTRIBUTES and points_back:
            sub = replace(sub, about_person=True)
        if not sub.attributes and previous is not None and previous.attributes and (bare or _only_names(sub)):
            # "Et pour un IRN ?" / "et quel jour ?" -> the previous part's question, about this subject.
            intent = sub.intent if sub.intent not in ("general", "list") else previous.intent
            sub = replace(sub, attributes=previous.attributes, intent=intent)
        out.append(sub)
        previous = sub
    return out


@functools.lru_cache(maxsize=4096)
def _inverted_after(alias: str) -> re.Pattern[str]:
    return re.compile(rf"(\b{re.escape(alias)}\b[^?.;,]*?\b\w+)-(t-)?(il|elle|ils|elles)\b")


@functools.lru_cache(maxsize=4096)
def _with_article(alias: str) -> re.Pattern[str]:
    return re.compile(rf"\b(le|la|les|l')\s*{re.escape(alias)}\b")


_IT = re.compile(r"\b(it|its|il|elle|-t-il|-t-elle|-il|-elle)\b")
_CONTINUES = re.compile(
    r"^(and|et|also|aussi|then|puis|or|ou)\b|^(for|pour|in|en|from|de) (how|combien|quel)"
)
_PLURAL_BACK = re.compile(
    r"\b(those|these|they|them|their|both|each|ces|ceux-ci|celles-ci|les deux|the two|chacun\w*|leurs?)\b"
)


def _sides(background: Sequence[Entity], intent: str) -> tuple[Entity, ...]:
    """What "they" or "the differences" point to in the background: for a comparison with two sides
    besides a place, the sides ("à Singapour, un bureau et une filiale" keeps Singapore's office)."""
    sides = tuple(e for e in background if e.kind not in ("country", "region"))
    return sides if intent == "compare" and len(sides) >= 2 else tuple(background)


def _subject_worthy(entity: Entity) -> bool:
    """Can this be what a question is about, rather than a place or a word it mentions in passing?"""
    if entity.kind in ("tool", "org", "office", "pole"):
        return True
    if entity.kind == "name":
        label = entity.label("en")
        return " " in label or bool(re.search(r"[A-Z].*[A-Z]|\d|@", label))
    return False


def _subjects_of(sub: SubQuestion) -> tuple[Entity, ...]:
    """What a following part's "it" points to: the part's named structures before its places."""
    main = [e for e in sub.entities if e.kind in ("office", "pole", "tool", "name", "org", "person")]
    return tuple(main or sub.entities)


def _refers_to_office(text: str) -> bool:
    return bool(
        re.search(
            r"\b(ce bureau|cet office|that office|this office|the office|son bureau|its office)\b", fold(text)
        )
    )


def _is_bare(sub: SubQuestion) -> bool:
    words = [w for w in content_words(sub.text) if w not in _BARE and not w.isdigit()]
    return len(words) <= 1


def _own_words(sub: SubQuestion) -> list[str]:
    return [w for w in content_words(sub.text) if w not in _BARE and not w.isdigit()]


def _only_names(sub: SubQuestion) -> bool:
    """A part that names a subject and asks nothing of its own ("et un IRN ?", "what about Japan?")."""
    named = {w for e in sub.entities for a in e.aliases for w in a.split()}
    words = [w for w in content_words(sub.text) if w not in _BARE]
    return bool(sub.entities) and all(w in named for w in words)


def ask_again(subs: list[SubQuestion], history: History, world: World) -> list[SubQuestion]:
    """ "Et un IRP ?" after "Combien de temps dure une IEA ?": the previous question, about the new subject."""
    if len(subs) == 1 and subs[0].inherited and _SINCE_WHEN.match(fold(subs[0].text).strip()):
        # "Since when?" after "Who leads the DEI?": since when she leads it, not when the DEI was founded
        for turn in reversed(last_turns(history, 1)):
            previous = world.speller.correct(_expand_sms(" ".join(turn.question.split())))
            asked = [_sub_question(text, prefix, world) for prefix, text in _split(previous)]
            before = next((a for a in asked if a.attributes), None)
            if before is not None and "opening" not in before.attributes:
                # ... about the person that answer named, when it asked who
                people = [
                    e
                    for e in find_entities(turn.answer, world)
                    if e.kind in ("person", "name") and _A_PERSON.fullmatch(e.label("en"))
                ][:1]
                entities = (*people, *(e for e in subs[0].entities if e not in people))
                text = f"{before.text.rstrip(' ?')}, {subs[0].text}"  # its words are the question's before
                return [
                    replace(
                        subs[0],
                        text=text,
                        attributes=before.attributes,
                        intent="when",
                        time="since",
                        entities=entities,
                    )
                ]
    if len(subs) != 1 or subs[0].attributes or not subs[0].entities or subs[0].inherited:
        return subs
    sub = subs[0]
    if sub.intent not in ("general", "list") or not (_is_bare(sub) or _only_names(sub)):
        return subs
    before = None
    for turn in reversed(last_turns(history, 3)):  # "Et un IRP ?", then "and for an IRN?": still durations
        previous = world.speller.correct(_expand_sms(" ".join(turn.question.split())))
        asked = [_sub_question(text, prefix, world) for prefix, text in _split(previous)]
        before = next((a for a in asked if a.attributes), None)
        if before is not None or not all(_is_bare(a) or _only_names(a) for a in asked):
            break
    if before is None:
        return subs
    intent = before.intent if sub.intent == "general" else sub.intent
    return [replace(sub, attributes=before.attributes, intent=intent, years=sub.years or before.years)]


_A_PERSON = re.compile(r"[A-ZÀ-Ý][\w'-]+(?: (?:de |da |le |van |von |du )?[A-ZÀ-Ý][\w'-]+)+")
_SINCE_WHEN = re.compile(
    r"^(and |et |ok |d'accord )?(since when|depuis quand|from when|as of when|a partir de quand"
    r"|depuis combien de temps|for how long|how long (has|have) (she|he|it|they) been( there| in post)?)\s*\??$"
)


def merge_restatements(subs: list[SubQuestion]) -> list[SubQuestion]:
    """ "Which countries? Please list them all.": a part that only repeats the one before it is dropped."""
    out: list[SubQuestion] = []
    for sub in subs:
        repeats = (
            out
            and sub.inherited
            and not re.search(r"\b(exemple|example|instance)\b", fold(sub.text))
            and not sub.years
            and _is_bare(sub)
            and set(_own_words(sub)) <= set(_own_words(out[-1]))  # "and when was it inaugurated?" asks more
            and sub.intent in ("general", "list", out[-1].intent)
            and set(sub.attributes) <= set(out[-1].attributes)
        )
        if repeats:
            if sub.intent == "list":
                out[-1] = replace(out[-1], intent="list")
            continue
        out.append(sub)
    return out


# Mentioned in passing: "before PICS", "like the IEA", "in a UMR" (where the user works).
_BEFORE_MENTION = re.compile(
    r"\b((avant|before|apres|after|like|comme|instead of|au lieu de|plutot que)\s+(le |la |les |l'|the |a |an )?"
    r"|(dans|in|within|at|au sein d')\s+(une?|a|an)\s+(\w+\s+)?)$"
)


# "je suis nouvelle au pôle Amériques", "I work in a UMR", "notre unité": where the asker works, not what
# the question is about
_ASKER_AT = re.compile(
    r"(\b(je suis|je travaille|j'arrive|je viens d'arriver|nous sommes|je viens d'etre \w+|j'ai ete \w+)"
    r"( \w+){0,4} (au|a la|a l'|aux|dans|chez|a)"
    r"|\b(je sors|j'arrive|je viens) d'une?"  # "je sors d'une ONG": where the asker comes from
    r"|\b(i am|i'm|i work|we are|we're)( \w+){0,2} (in|at|for)) [^.,;:?!]{0,30}$"
)
# "le site du bureau de Rio dit 5 ans", "according to the Brussels office": where a value was read,
# not what it is a value of
_SOURCE_OF = re.compile(
    r"\b((site|sites|page|pages|website|rapport|report|annuaire|newsletter)( web| internet)?"
    r" (du|de la|de l'|des|d'|of the|of)|selon|d'apres|according to)\s+(le |la |les |l'|the )?"
    r"((bureau|office)( du cnrs)? (de |du |d'|a |in |at )?)?$"
)


# "I read that the CNRS once had an office for the Mediterranean": what was read is the subject
_READ_THAT = re.compile(r"\b(read|heard|seen|lu|entendu( dire)?|vu) (that|que|qu')")
_WHERE_READ = re.compile(
    r"\b(on|in|sur|dans) (the |les |la |le |des |deux |two |different |differentes )*(pages?|sites?|websites?)"
    r"\b|\b(j'ai (vu|lu|trouve)|i('ve| have)? (seen|read|found))\b"
)


def topic(background: Sequence[str], world: World) -> Entity | None:
    """The subject the background sets ("Le LIA HOMEN travaille sur..."): its first named structure,
    skipping what it only mentions in passing ("Before PICS...") and, when a later sentence names more, the
    asker's own unit or institute ("Je suis dans une UMR de CNRS Sciences humaines & sociales. Nous voulons
    monter un IRP.")."""
    affiliation: Entity | None = None
    for sentence in background:
        if _WHERE_READ.search(fold(sentence)) and not _READ_THAT.search(fold(sentence)):
            continue  # "I've seen two percentages on DERCI pages": where it was read, not what is asked
        folded = fold(sentence)
        for entity in sorted(find_entities(sentence, world), key=_topic_rank):
            at = min((folded.find(a) for a in entity.aliases if a in folded), default=-1)
            if at > 0 and (
                _BEFORE_MENTION.search(folded[:at])
                or _SOURCE_OF.search(folded[:at])
                or _ASKER_AT.search(folded[:at])
            ):
                continue
            if _subject_worthy(entity):
                if _topic_rank(entity) < _AFFILIATION:
                    return entity
                affiliation = affiliation or entity
    return affiliation


# What a part asks of a scheme (a tool), whatever else the message's background names
_SCHEME_PROPERTIES = frozenset({"calendar", "platform", "eligibility", "renewal", "selection", "duration"})
# What a part can ask of the subject of the part before it without naming it again
_PROPERTIES = frozenset(
    {
        "duration",
        "funding",
        "costs",
        "eligibility",
        "calendar",
        "renewal",
        "platform",
        "selection",
        "director",
        "opening",
        "location",
    }
)


_AFFILIATION = 2.5  # where the asker works: a subject only when the message names nothing else


def _topic_rank(entity: Entity) -> float:
    """Which of the background's subjects a question is about first: a named structure, then an
    organisation or office, then a tool. A university is who the asker works with ("a colleague at
    Imperial College London ... the PhD Joint Programs"): the scheme comes before it."""
    if entity.kind == "name" and _INSTITUTION.search(fold(entity.label("en"))):
        return _AFFILIATION
    if entity.kind == "org" and entity.key in ("UMR", "UAR", "UPR", "USR"):
        return _AFFILIATION  # "je suis dans une UMR": the asker's own unit
    if entity.kind == "org" and re.fullmatch(r"IN[S2P]\w*", entity.key):
        # "une UMR rattachée à CNRS Sciences humaines & sociales ... monter un IRP": the asker's institute
        return _AFFILIATION
    return {"name": 0, "org": 1, "office": 1, "pole": 1, "tool": 2}.get(entity.kind, 3)


_INSTITUTION = re.compile(
    r"\b(universit\w*|college|institut\w*|school|ecole|academ\w*|hospital|hopital|campus)\b"
)


def context_entities(background: Sequence[str], world: World) -> list[Entity]:
    return _unique(e for sentence in background for e in find_entities(sentence, world))


def turn_context(history: History, world: World, question: str = "") -> list[Entity]:
    """The subjects of the previous turn: what "it", "ce bureau" or "those two agencies" point to.

    The previous answer's first sentence says what the conversation is about now (a routing answer
    names the office, not just the country the user named); then the previous question's subjects.
    A previous question that itself pointed back ("Qui le dirige ?") kept the subject before it: "et
    depuis quand existe-t-il ?" is still about the office, not about its director.
    """
    turns = last_turns(history, 2)
    if not turns:
        return []
    ordered: list[Entity] = []
    last = turns[-1]
    own = [e for e in find_entities(last.question, world) if _subject_worthy(e)]
    if len(turns) > 1 and not own and _POINTS_BACK.search(fold(last.question)):
        ordered += [e for e in _turn_subjects(turns[-2], world) if _subject_worthy(e)]
    ordered += _turn_subjects(last, world)
    if not ordered and len(turns) > 1:
        ordered = find_entities(turns[-2].question, world)
    if not ordered:
        # "the two countries", "both sides" after a question about Canada: the country is the subject
        ordered = [
            e for t in reversed(turns) for e in find_entities(t.question, world) if e.kind == "country"
        ]
    person = _person_answered(last, world)
    folded = fold(question)
    if person is not None and _HE_SHE.search(folded) and not _OF_A_PLACE.search(folded):
        # "Qui en a été le premier directeur ?" -> "Et avant ça, il dirigeait quoi ?": "il" is the person
        # the answer named, not the office.
        ordered = [person, *ordered]
    return _unique(ordered)


_WHO_ASKED = re.compile(r"\b(qui|who|whom)\b")
_HE_SHE = re.compile(r"\b(il|elle|he|she|him|her|his|lui|son parcours|sa carriere)\b")
_OF_A_PLACE = re.compile(
    r"\b(ouv\w*|open\w*|couvr\w*|cover\w*|exist\w*|situe\w*|located|heberg\w*|host\w*|ferm\w*|clos\w*)\b"
)


# "the campaign", "la campagne", "cette campagne": a noun that points back to the one the message just named
_DEFINITE_NOUN = re.compile(r"\b(?:the|this|that|la|le|l'|cette|ce|cet)\s*([a-z]{5,})\b")


def _named_again(folded: str, previous: SubQuestion) -> bool:
    """Whether the part names again, with a definite article, a thing the part before it named."""
    before = set(content_words(previous.text))
    return any(noun in before for noun in _DEFINITE_NOUN.findall(folded))


def _looks_like_person(entity: Entity) -> bool:
    """A name of two to four capitalised words ("Jean-Paul Toutain"), not a structure ("IRL CROSSING")."""
    label = entity.label("fr")
    return entity.kind == "person" or (
        entity.kind == "name"
        and bool(re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ][\w'’-]*( [A-ZÀ-Ý][a-zà-ÿ][\w'’-]*){1,3}", label))
    )


def _person_answered(turn: Turn, world: World) -> Entity | None:
    """The person a "who" answer named first ("Jean-Paul Toutain est le premier directeur..."), if any."""
    if not _WHO_ASKED.search(fold(turn.question)) or not turn.answer:
        return None
    return next((e for e in find_entities(_first_sentence(turn), world) if _looks_like_person(e)), None)


def _first_sentence(turn: Turn) -> str:
    """The previous answer's first sentence, without its citation markers."""
    answer = re.sub(r"\s*\[\d+\]", "", turn.answer or "").strip()
    return re.split(r"(?<=[.!?])\s", answer, maxsplit=1)[0] if answer else ""


def _turn_subjects(turn: Turn, world: World) -> list[Entity]:
    """One turn's subjects, in the order a following "it" looks for them."""
    first_sentence = _first_sentence(turn)
    # Expansions in brackets ("the JSPS (Japan Society for the Promotion of Science)") name nothing new.
    from_answer = find_entities(re.sub(r"\([^()]*\)", " ", first_sentence), world)
    from_question = find_entities(turn.question, world)
    offices = [e for e in from_answer if e.kind in ("office", "pole")]
    ordered: list[Entity] = []
    routing = any(e.kind == "country" for e in from_question) or _intent(turn.question) == "where"
    if offices and routing:
        ordered += offices  # a routing answer: the office is the subject from now on
    elif not any(_subject_worthy(e) for e in from_question):
        # "Does the CNRS work with Japanese agencies?" -> "the JSPS and the JST": the answer's names.
        ordered += [e for e in from_answer if _subject_worthy(e)]
    ordered += [e for e in from_question if _subject_worthy(e)]
    ordered += [e for e in from_answer if _subject_worthy(e)]
    ordered += [e for e in from_question if e.kind == "country" and not offices]
    return ordered
