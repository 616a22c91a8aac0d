"""Pure: the parts of a question — `SubQuestion`, and how a message is cut into parts and each part read.

A message is cleaned (SMS spellings expanded), cut into sentences, the asking ones told apart from the
background, and each asking sentence split into parts ("Which office covers it, and who headed it around
2017?" is two). Each part becomes a `SubQuestion`: its intent, attributes, entities, years and time.
Which subject a part that names none is about is `assistant.subjects`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.analysis import content_words, fold
from assistant.entities import Entity, World
from assistant.entities import alias_pattern as _alias_pattern
from assistant.intents import attributes as _attributes
from assistant.intents import intent as _intent
from assistant.intents import time as _time
from assistant.intents import years as _years
from assistant.lexicon import ATTRIBUTE_BY_NAME, SMS, VALUE_FREE
from assistant.recognition import find_entities

__all__ = [
    "BARE",
    "SubQuestion",
    "expand_sms",
    "is_question",
    "sentences",
    "split",
    "sub_question",
]


@dataclass(frozen=True)
class SubQuestion:
    """One part of a question: what kind of answer, about what property of which subjects, and when."""

    text: str
    intent: str  # list compare recommend procedure definition how_many when where who yes_no general
    attributes: tuple[str, ...]
    entities: tuple[Entity, ...]
    years: tuple[int, ...] = ()
    time: str | None = None  # today | first | around | before | after
    inherited: bool = False  # its entities come from an earlier part or turn, not from its own words
    about_person: bool = False  # asks about the person an earlier part names ("sa discipline")

    @property
    def attribute(self) -> str | None:
        return self.attributes[0] if self.attributes else None

    @functools.cached_property
    def folded(self) -> str:
        """Its text folded (lower case, no accents), once: every candidate sentence is scored against it."""
        return fold(self.text)

    @functools.cached_property  # (a frozen part: read for each of the hundred sentences it scores)
    def value(self) -> str:
        """The kind of value a sentence must hold to answer it: person, date, number, amount or ""."""
        if self.attribute in ("funding", "costs") and (
            self.intent == "how_many" or _AMOUNT.search(fold(self.text))
        ):
            return "amount"  # "how much funding does it get?": a sum of money, not what it pays for
        if self.intent == "who" and _SEATS.search(fold(self.text)):
            return "person"  # "qui siégeait au comité de sélection ?": people, not the selection's figures
        if self.attribute in VALUE_FREE or "partners" in self.attributes:
            return ""  # "il partageait ses locaux avec qui ?": organisations, not a person's name
        if self.about_person and self.intent != "who":
            return ""  # "il dirigeait quoi ?" about a person: what they led, not another person
        if self.intent == "who" and _BODY_VERB.search(fold(self.text)):
            return (
                ""  # "qui le coordonne ?", "who funds it?": an office or a body answers as well as a person
            )
        if self.intent == "who":
            return "person"
        if self.intent in ("when", "how_many"):
            return "date" if self.intent == "when" else "number"
        attribute = ATTRIBUTE_BY_NAME.get(self.attribute or "")
        return attribute.value if attribute is not None else ""


# Who sits on or chairs a body: people ("qui siégeait au comité ?", "who chaired the jury?")
_SEATS = re.compile(
    r"\b(siegeai\w*|siegent|siegeaient|siegera\w*|sat on|sits on|sit on|membres? d[ue]s? (comite|jury|conseil)"
    r"|members? of the (committee|jury|board|panel)|presid(ait|e|ent|aient|ed|es)|chair(s|ed|ing)?)\b"
)


# What bodies do as much as people: whoever coordinates, funds or hosts a network may be an office or an agency
_BODY_VERB = re.compile(
    r"\b(coordonn\w*|coordinat\w*|financ\w*|fund(s|ed|ing)?|soutien\w*|soutient|soutenu\w*|support(s|ed)?"
    r"|heberg\w*|host(s|ed)?|accueill\w*|welcom\w*|receiv\w*|recoi\w*|cree\w*|creat\w*|fond\w*|found(ed|s)?|set (it )?up|steer(s|ed)?|pilot(e|ent|ait|aient|er)|gouvern\w*|govern(s|ed)?|manage(s|d)?"
    # whom to inform, who evaluates, approves or submits: a role or a body answers ("the unit director")
    r"|inform(s|ed|er)?|prevenir|previen\w*|handl(e|es|ed)|s'occupe\w*|evalu\w*|examin\w*|approv\w*|approuv\w*"
    r"|valid(e|ent|ait|er|ated|ates)|ratifi\w*|submit\w*|soumet\w*)\b"
)


# -- cleaning and sentences ---------------------------------------------------------------------------


def expand_sms(text: str) -> str:
    """SMS spellings replaced by the words they stand for ("dsca c koi" -> "dsca c'est quoi"), and French
    elisions typed without their apostrophe ("combien d IRP", "j ai vu") restored."""
    text = _ELISION.sub(r"\1'", text)
    text = _NB.sub(lambda m: "number " if m.group(1).lower() == "of" else "nombre ", text)
    out = []
    for token in re.split(r"(\s+)", text):
        core = token.strip("?!.,;:")
        replacement = SMS.get(fold(core)) if core else None
        out.append(token.replace(core, replacement, 1) if replacement and core.islower() else token)
    # "bureau pour le Vietnam svp ?": the courtesy at the end of a sentence is no part of the question.
    return _POLITE_END.sub("", re.sub(r"\?{2,}", "?", "".join(out)))


_NB = re.compile(r"\bnb (?=(of|de|d')\b)", re.I)  # "nb of grants", "nb de projets"; "nb d'IRL"
_ELISION = re.compile(r"\b([dDlLjJ]|[qQ]u) (?=[aeiouyhéèêàâîôûAEIOUYHÉÈÊÀ])")
_POLITE_END = re.compile(
    r"[,\s]+(s'il vous pla[iî]t|s'il te pla[iî]t|please|merci|thanks)(?=\s*(?:[?!.]|$))", re.I
)


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=\S)")


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for sentence in (s.strip() for s in _SENTENCE_END.split(text) if s.strip()):
        # "Je prépare une chronologie : quelles visites... ?": what the asker is doing, then the question
        m = _STATEMENT_THEN_QUESTION.match(sentence)
        if m and not is_question(m.group(1)) and not _POINTS_TO_STATEMENT.search(fold(m.group(2))):
            out += [m.group(1).strip(), m.group(2).strip()]
        else:
            out.append(sentence)
    return out


# "... : comment s'appelle cette personne ?": the question needs the statement before it
_POINTS_TO_STATEMENT = re.compile(
    r"\b(cette|cet|ce|ces|celle|celui|this|that|these|those|it|il|elle|them|they)\b"
)
_STATEMENT_THEN_QUESTION = re.compile(
    # "Je prépare ... :", "Before I start writing anything:", "Avant de me lancer :"
    r"^((?:je|j'|i|i'm|we|we're|nous|on)\b[^:?]{10,}?|(?:before|avant (?:de|d'|que)|now that|maintenant que)"
    r"\b[^:?]{5,}?)\s*:\s*(" + "(?:quel|quelle|quels|quelles|qui|quand|comment|combien|"
    r"what|which|who|when|how"
    # "Je suis post-doctorant dans une UMR : puis-je coordonner un IRP ?": a closed question too
    r"|puis-je|peut-on|dois-je|faut-il|est-ce qu\w*|ai-je|suis-je|can i|could i|may i|should i|do i|am i)\b.*\?)\s*$",
    re.IGNORECASE,
)


_ASKS = re.compile(
    r"\b(i'd (really )?like to know|i would like to know|what i'd (really )?like|i want to know|i need to know"
    r"|je voudrais savoir|j'aimerais savoir|ma question|my question|could you tell|pourriez-vous|pouvez-vous"
    r"|peux-tu|can you|tell me|dites-moi|dis-moi|please list|list them"
    r"|(je voudrais|j'aimerais|je veux|je dois|je cherche a|i'd like to|i would like to|i want to|i need to)"
    r" (comparer|compare|lister|list))\b"
)


# "Compare them: what each one is, how long it lasts.", "Explique-moi la différence.": asked without "?"
_IMPERATIVE = re.compile(
    r"^(please |merci de |stp |svp )?(compare[rz]?|compare them|explain|explique[rz]?|describe|decri[st]|decrivez"
    r"|summari[sz]e|resume[rz]?|detaille[rz]?|precise[rz]?|indique[rz]?-moi)\b"
)


def is_question(sentence: str) -> bool:
    folded = fold(sentence)
    return (
        sentence.rstrip().endswith("?")
        or bool(_IMPERATIVE.match(folded))
        or bool(_ASKS.search(folded))
        or bool(_OPENS_ASKING.match(folded))
        or bool(_ASKS_AT_END.search(folded))
    )


# "et il partageait ses locaux avec qui", "il a ouvert quand": spoken French asks at the end, "?" or not
_ASKS_AT_END = re.compile(
    r"\b(avec qui|a qui|par qui|pour qui|c'est qui|quand|combien|comment|ou ca|c'est ou|lequel|laquelle"
    r"|pourquoi|de quand|depuis quand|en quelle annee|quoi)\W*$"
)


# -- splitting ---------------------------------------------------------------------------------------


_ASKING_WORD = (
    r"(?:qui|que|qu'est|qu'a|quoi|quel\w*|quand|comment|combien|ou|pourquoi|est-ce|dans quel\w*|a quel\w*|a qui"
    r"|depuis quand|since when|en quelle|en quoi|d'ou|y a-t-il|existe-t-il|peut-on|faut-il|what|what's|which|who|whom|whose"
    r"|when|where|why|how|is|are|does|do|did|can|could|was|were|has|have|should|will|would|c'est)\b"
)


_AUXILIARY = r"(?:does|do|is|are|can|could|must|should|has|have|will|would|did)\b"
# (", ou peut-on ...?" likewise: "doit-il porter sur une seule région, ou peut-on couvrir plusieurs continents ?"
# is one question with two options; ", où avait-il travaillé ?" and ", ou qui suit la Suisse ?" ask another thing)
_OFFERS_OPTION = re.compile(r"\s*,\s*ou\s+")
_CLOSED_FR_AT = re.compile(r"(?:est-ce|y a-t-il|[\w']+-(?:t-)?(?:il|elle|on|ils|elles))\b")


# "so who does what between the dei n the institutes": a connective may come before the asking word
_OPENS_ASKING = re.compile(
    r"(?:(?:so|then|and|but|alors|donc|et|mais|bref|du cous?p|anyway)\W+)?" + _ASKING_WORD
)
# ", and who paid for it", ", et quel jour", "; how long", " and when was it inaugurated": a new part.
_PART = re.compile(
    # (", or does it ...?" is the second half of an alternative: "can I apply myself, or does the French side?")
    # (", ou peut-on ...?" likewise: see `_OFFERS_OPTION` in `split`)
    rf"\s*(?:[,;:]|\s&)\s*(?:(?:et|and|ou|puis|then|sinon|otherwise)\s+|or\s+(?!{_AUXILIARY}))?"
    # ", roughly how many actions": an adverb before the asking word
    r"(?:(?:roughly|approximately|exactly|environ|a peu pres|exactement|precisement)\s+)?"
    rf"(?={_ASKING_WORD})"
    r"|\s+(?:et|and|&)\s+(?:(?:for|pour|in|en|at|from|de|of|a)\s+)?"
    r"(?:(?:roughly|approximately|about|exactly|also|environ|a peu pres|exactement|aussi)\s+)?"
    r"(?=(?:qui|quand|comment|combien|quel\w*|qu'est|when|where|who|how|which|what)\b)"
    r"|\s*\?\s*"
    # "... who heads that office (and what is his field)?": a question in brackets is a part of its own
    r"|\s*\(\s*(?:(?:and|et|ou|or|also|aussi)\s+)?(?=" + _ASKING_WORD + r"[^()]*\)\W*$)"
    r"|\s+-\s+(?=" + _ASKING_WORD + ")"
    # ", et le bureau de Pékin peut-il s'en occuper ?": an inverted French question after "et"
    r"|\s*,\s*(?:et|mais|ou)\s+(?=(?:le|la|les|l'|un|une|ce|cette|ces|son|sa|ses|notre|mon|ma)\s*"
    r"(?:[\w'@-]+\s+){0,4}?\w+-(?:t-)?(?:il|elle|ils|elles|on)\b)"
    # "What is its budget and can it be renewed?", "c'est quoi un IRC et il y a combien ?": a closed
    # question (an auxiliary and its pronoun, "il y a", "peut-on") after "and"
    r"|\s+(?:and|et|&)\s+(?=(?:can|could|does|do|is|are|was|were|has|have|did|will|should|must|may)\s+"
    r"(?:it|they|one|i|we|you|he|she|this|that|there)\b"
    r"|(?:il y a|y a-t-il|y en a-t-il|peut-on|est-ce qu|faut-il|doit-on)\b)"
    # "c'est combien le max et je dois voir qui en premier ?", "what's the budget and I need to know who
    # to call": the asker's own need after "and" starts another request
    r"|\s+(?:et|and)\s+(?=(?:je dois|je devrais|je voudrais|j'aimerais|on doit|nous devons|il faut"
    r"|i need|i have to|i must|i should|i'd like|we need|we have to|we must|we should)\s+"
    r"(?:to\s+)?(?:savoir|voir|trouver|contacter|know|find|see|contact|ask)\b)"
    # "cb de budget et lancé qd ?", "its budget and launched when?": a short question that ends on its asking word
    r"|\s+(?:et|and)\s+(?=(?:[\w'-]+\s+){1,3}(?:quand|when|where|combien|qui|who)\s*[?!.]*\s*$)"
    # ", et dans combien de projets", ", and in which year": a preposition before the asking word
    r"|\s*[,;]\s*(?:(?:et|and|ou|or)\s+)?(?:dans|in|for|pour|en|sur|on|with|avec|from|de|since|depuis|a|at)\s+"
    r"(?=(?:combien|quel\w*|which|what|how many|how much|when|quand)\b)"
)


def split(sentence: str) -> list[tuple[str, str]]:
    """The parts of one question sentence, each asking one thing, with the words that lead into it.

    "Pour la campagne CNRS-Afrique 2023, qui devait porter un projet" is one part asking "qui devait
    porter un projet", led by "Pour la campagne CNRS-Afrique 2023" (which names its subject and year).
    The sentence is cut on an accent-free copy of the same length.
    """
    plain = _strip_accents(sentence)
    pieces: list[str] = []
    start = 0
    for m in _PART.finditer(plain.lower()):
        if _OFFERS_OPTION.fullmatch(sentence[m.start() : m.end()].lower()) and _CLOSED_FR_AT.match(
            plain.lower(), m.end()
        ):
            continue  # "…, ou peut-on couvrir plusieurs continents ?" ("ou", not "où"): one question
        pieces.append(sentence[start : m.start()])
        start = m.end()
    pieces.append(sentence[start:])
    pieces = [_LEAD.sub("", _unbracketed(p).strip(" ,;:-")) for p in pieces if p.strip(" ,;:-?()")]
    parts: list[tuple[str, str]] = []
    pending = ""
    kept = [p for p in pieces if p]
    for i, piece in enumerate(kept):
        if (
            i + 1 < len(kept)
            and _WHEN_CLAUSE.match(piece)
            and not _INVERTED.search(piece)
            and _ASKS_NEXT.match(kept[i + 1])
        ):
            # "When the CNRS opened its office in India, what was it supposed to do?": the clause sets
            # the time of the question that follows; it asks nothing itself.
            pending = f"{pending} {piece}".strip()
            continue
        if parts and _HOW_LONG_CLAUSE.match(fold(piece)):
            # "comment formaliser notre collaboration, qui existe depuis quatre ans ?": a relative clause
            # that says how old the collaboration is; it asks nothing
            prefix, text = parts[-1]
            parts[-1] = (prefix, f"{text}, {piece}")
            continue
        if _WHICH_ONE.fullmatch(fold(piece).strip()) and i + 1 < len(kept):
            # "Saul Perlmutter co-directs a lab. Which one, in what field?": the parts that follow name it
            continue
        if fold(piece).strip() in _BARE_ASKING and i + 1 < len(kept) and _ASKS_NEXT.match(kept[i + 1]):
            # "how and when do we apply": "how" asks the next part's question too ("how do we apply")
            predicate = kept[i + 1].split(maxsplit=1)
            if len(predicate) == 2:
                parts.append((pending, f"{piece} {predicate[1]}"))
                pending = ""
                continue
        if not _asks_something(piece):
            if parts and not pending and len(content_words(piece)) <= 2:
                prefix, text = parts[-1]
                parts[-1] = (prefix, f"{text} {piece}")
            else:
                pending = f"{pending} {piece}".strip()
            continue
        parts.append((pending, piece))
        pending = ""
    if pending:
        if parts:
            prefix, text = parts[-1]
            parts[-1] = (prefix, f"{text} {pending}")
        else:
            parts.append(("", pending))
    return _share_predicates(parts)


def _unbracketed(piece: str) -> str:
    """A part that was in brackets, without its closing one: "what is his field)" -> "what is his field"."""
    piece = piece.strip()
    if piece.endswith(")") and piece.count(")") > piece.count("("):
        return piece[:-1]
    return piece


_HOW_LONG_CLAUSE = re.compile(
    r"^(qui|which|that) (existe|dure|date|remonte|exists|lasts|has (existed|lasted|been going|been running)"
    r"|goes back|started|began)\b.*\b(depuis|since|for|ans|years)\b"
)
_WHEN_CLAUSE = re.compile(
    # "Et si plus tard on voulait associer une autre université, est-ce qu'on peut ...": a condition
    r"^(when|once|quand|lorsque|lorsqu'|lors de|au moment o[uù]|if|si|s'il|s'ils)\b",
    re.IGNORECASE,
)
_INVERTED = re.compile(
    r"^\w+\s+(did|does|do|was|were|is|are|has|have|had|will|can|could|would|should|may|might|must|shall|est-ce)\b"
    r"|-t-(il|elle)\b|-(il|elle|ils|elles|on)\b",
    re.IGNORECASE,
)
_WHICH_NOUN = re.compile(r"^(quels|quelles|which|what) (?!(sont|are|is|est)\b)[a-z]{4,}")
_WHICH_ONE = re.compile(r"(which ones?|lequel|laquelle|lesquel(le)?s|c'est lequel|c'est laquelle)")
_BARE_ASKING = frozenset("how when where why comment quand ou pourquoi".split())
_ASKS_NEXT = re.compile(
    r"^(what|which|who|whom|how|when|where|why|did|does|was|were|is|are|quel\w*|qui|que|qu'|quoi|comment|quand|o[uù]"
    r"|pourquoi|combien|est-ce)\b",
    re.IGNORECASE,
)
_ASKING_PHRASE = re.compile(
    r"^((?:en|dans|a|à|au|in|at|on|de|du|for|pour|from|since|depuis)\s+)?"
    r"(quel\w*\s+\w+|quand|où|ou|when|where|which\s+\w+|what\s+\w+|combien(\s+de\s+\w+)?|how\s+\w+)\s+",
    re.IGNORECASE,
)


def _share_predicates(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """ "Dans quelle ville et en quelle année le CNRS a-t-il ouvert son bureau ?": the first part, only a
    question phrase, asks the second part's question too ("Dans quelle ville le CNRS a-t-il ouvert...")."""
    out = list(parts)
    for i in range(len(out) - 1):
        prefix, text = out[i]
        if not _ASKING_PHRASE.match(text + " ") or len(content_words(_ASKING_PHRASE.sub("", text + " "))) > 0:
            continue
        m = _ASKING_PHRASE.match(out[i + 1][1])
        if m is not None:
            out[i] = (prefix, f"{text} {out[i + 1][1][m.end() :]}")
    return out


# The words that lead into a part and ask nothing: connectives, and the discourse markers of a spoken
# message ("Du coup : notre réseau d'IPE, il est coordonné par qui ?", "Concrètement, comment s'y prend-on ?")
_LEAD = re.compile(
    r"^(?:(?:sinon|otherwise|else|if not|and|et|also|aussi|so|alors|donc|then|puis(?!-)|du coup|bref|en fait|au fait"
    r"|concr[eè]tement|en gros|en pratique|in practice|anyway|basically|by the way|btw|bon|ok|okay|well"
    # what the answer is for, not what it is about: "For an internal audit,", "Pour une note interne :"
    r"|(?:for|pour) (?:an?|une?|my|our|ma|mon|notre) (?:internal |short |quick |petite? |courte? )?"
    r"(?:audit|note|report|rapport|memo|briefing|presentation|pr[eé]sentation|article|press note|note de presse"
    r"|newsletter|slide|diapo)s?(?: (?:interne|internal|de presse))?"
    r"(?=\s*[,:]|\s*$|\s+(?:which|what|who|how|when|where|quel\w*|qui|quand|comment|combien|est-ce|can|could|peux|pouvez)\b))"
    r"\b[\s,:]*)+",
    re.IGNORECASE,
)


_QUESTION_WORD = re.compile(
    r"\b(qui|quoi|quel\w*|quand|comment|combien|pourquoi|lequel|laquelle|what|which|who|whom|when|where|why|how)\b"
)


def _asks_something(piece: str) -> bool:
    folded = fold(piece)
    return (
        bool(re.match(_ASKING_WORD, folded))
        or bool(_QUESTION_WORD.search(folded))
        or _intent(piece) != "general"
        or bool(_ASKS.search(folded))
    )


def _strip_accents(text: str) -> str:
    """Accents removed character by character, so that offsets stay those of `text`."""
    return "".join(fold(ch)[:1] or ch for ch in text)


# -- parts ------------------------------------------------------------------------------------------------


def sub_question(text: str, prefix: str, world: World) -> SubQuestion:
    whole = f"{prefix} {text}".strip()
    folded = fold(whole)
    intent = _intent(text)
    # "Depuis qu'il est installé dans l'ambassade, avec quels services travaille-t-il ?": a list that
    # names what it lists asks for that, not for what the clause before it speaks of
    own_only = intent == "list" and bool(_WHICH_NOUN.match(fold(text)))
    attributes = _attributes(fold(text)) or (() if own_only else _attributes(folded))
    entities = tuple(find_entities(whole, world))
    if entities:  # "Is CNRS@CREATE a company?" asks nothing about creation: names are not cues
        attributes = _attributes(_unnamed(fold(text), entities)) or (
            () if own_only else _attributes(_unnamed(folded, entities))
        )
    if (
        intent == "list"
        and entities
        and not attributes  # "What are DERCI's missions?" asks for the missions
        and not _unnamed_words(text, entities)
        and _WHAT_ARE.match(folded)
    ):
        # "What are the PhD Joint Programs?" names one thing: what is it. "Quels sont les IRC ?" and
        # "which IRCs?" ask for the instances.
        intent = "definition"
    if (
        intent == "who"
        and not attributes
        and entities
        and all(e.kind in ("name", "person") for e in entities)
        and _WHO_IS.match(folded)
    ):
        intent = "definition"  # "Who is Antoine Petit?": what the person is, not a name
    if "zone" in attributes and len(attributes) > 1 and _WHICH_OFFICE_CLAUSE.search(folded):
        # "Who leads the office responsible for Brazil?": the clause says which office, the question asks
        # its director.
        attributes = tuple(a for a in attributes if a != "zone")
    if intent == "compare" and len(entities) >= 2 and "predecessor" in attributes:
        # "Singapore vs the old Hanoi office it replaced": the clause says how they relate, not what is asked
        attributes = tuple(a for a in attributes if a != "predecessor")
    if intent == "list" and "structures" in attributes:
        # "which joint labs, with their partner university?": the labs are the list, partners a detail
        attributes = ("structures", *(a for a in attributes if a != "structures"))
    if _BEEN_SINCE.search(fold(text)):
        # "How long has it been there?", "depuis combien de temps existe-t-il ?": since when, not how long
        # a scheme lasts
        intent = "when"
        attributes = ("opening", *(a for a in attributes if a not in ("duration", "opening")))
    if attributes[:1] == ("success_rate",):
        attributes = ("success_rate",)  # "the success rate of the IEA call": not the call's dates
    if "duration" in attributes and "opening" in attributes and _FOR_HOW_LONG.search(folded):
        attributes = tuple(a for a in attributes if a != "opening")  # "créée pour combien de temps"
    if intent in ("procedure", "when") and "eligibility" in attributes and not _WHO_MAY.search(folded):
        # "How do I apply for an IEA?", "when do we apply?": the verb asks how or when to submit, not who may
        attributes = tuple(dict.fromkeys("calendar" if a == "eligibility" else a for a in attributes))
    if intent == "procedure":
        # "Comment créer un IRL ?": how to get one created is a matter of calls and institutes, not a date.
        attributes = tuple(dict.fromkeys("calendar" if a == "opening" else a for a in attributes))
        # "Comment monter un IRN ?": how to get one is a matter of calls, campaigns and submissions.
        attributes = attributes or ("calendar",)
    years = tuple(_years(folded))
    when = _time(folded)
    counting = intent == "how_many" and "count" in attributes
    if (counting or "director" in attributes) and not years and when is None and not _PAST.search(folded):
        when = "today"  # "Combien de bureaux le CNRS a-t-il ?", "qui le dirige ?": now, not in 2010
    return SubQuestion(
        text=whole,
        intent=intent,
        attributes=attributes,
        entities=entities,
        years=years,
        time=when,
    )


_BEEN_SINCE = re.compile(
    r"\bhow long (has|have|had) (it|they|he|she|this|that|the [\w -]{1,40}) been\b"
    r"|\bdepuis combien de temps (existe|est|sont|fonctionne|travaille|y a)"
)
_FOR_HOW_LONG = re.compile(
    r"\b(cree\w* pour|created for|set up for|combien de temps|how long|pour combien)\b"
)
_WHO_MAY = re.compile(r"\b(qui|who|eligib\w*|conditions?|criteres|criteria|requirements?|porteurs?)\b")
_WHICH_OFFICE_CLAUSE = re.compile(
    r"\b(office|bureau) (responsible for|covering|that covers|which covers|in charge of|for|qui (couvre|suit"
    r"|s'occupe)|charge d\w*|responsable d\w*|pour)\b"
    # "quels outils ... dans la zone du bureau de Pretoria ?": the area says where, the question asks what
    r"|\b(dans|in|within|across|sur) (la|the|toute la|the whole) (zone|area|region|territory) (du|de|of|covered)\b"
)
_WHO_IS = re.compile(r"^(who is|who was|who's|qui est|qui etait|c'est qui)\b")
_AMOUNT = re.compile(r"\b(budget|montant|combien|how much|amount|somme|sum|euros?)\b")
_WHAT_ARE = re.compile(r"^(what are|what is|what's|c'est quoi|qu'est-ce que|que sont)\b")
_PAST = re.compile(
    r"\b(etai\w*|avai\w*|dirigeai\w*|eut|had|was|were|did|used to|autrefois|formerly|alors|at the time)\b"
)


def _unnamed(folded: str, entities: Sequence[Entity]) -> str:
    """`folded` without the names of `entities`."""
    for entity in entities:
        for alias in entity.aliases:
            folded = _alias_pattern(alias).sub(" ", folded)
    return folded


def _unnamed_words(text: str, entities: Sequence[Entity]) -> list[str]:
    """The words of `text` that neither name one of `entities` nor only frame the question."""
    return [w for w in content_words(_unnamed(fold(text), entities)) if w not in BARE]


# Words that ask without naming anything: a part made only of these leans on what came before.
BARE = frozenset(
    """
    et and what about how pour un une le la les l des du de en au aux also aussi then alors ok so donc quel
    quelle quels quelles qui quand jour day date year annee when who which combien how many much long time
    temps dure duree lasts last renew renouvelable renouveler times fois please list them all tous toutes
    exactement exactly c'est est are is was were been pays country countries bureau office directeur director
    cnrs celui celle ceux celles one that of
    """.split()
)


# -- what a list question lists ---------------------------------------------------------------------------

_LIST_HEAD = re.compile(
    r"^\s*(?:which|what|quels|quelles|list|liste[sz]?|name|cite[sz]?|give me|donne[sz]?(?:-moi)?)"
    r"(?:\s+(?:are|were|sont|etaient))?(?:\s+(?:all\s+)?(?:the|les|des|tous les|toutes les))?\s+(?P<np>.+)$"
)
_LIST_END = re.compile(
    # the verb or the relative that follows the noun phrase ("... does the documentation name")
    r"\s(?:does|do|did|are|is|were|was|has|have|had|can|could|will|would|should|falls?|exist\w*|cover\w*"
    r"|work\w*|sont|est|etaient|etait|ont|a|avait|avaient|peut|peuvent|couvr\w*|relev\w*|travaill\w*"
    r"|compt\w*|propos\w*|financ\w*|particip\w*|operat\w*|run|runs|exist|opere\w*|that|which|who|qui|que|qu'|dont|ou|where|il|elle|ils"
    r"|elles|y|please|svp|stp)\b"
    # an inverted subject ("Quels défis le comité a-t-il retenus"), not an article after "de", "pour"...
    r"|(?<!\sde)(?<!\sdu)(?<!\spour)(?<!\savec)(?<!\ssur)(?<!\sdans)(?<!\spar)(?<!\sa)(?<!\sen)"
    r"\s(?:(?:le|la|les)(?=\s)|l'(?=\w))"
)
_LIST_COUNT = re.compile(
    r"^(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|two|three|four|five|seven|eight|nine|ten"
    r"|differents|differentes|various|divers|diverses)\s+"
)


def listed_noun(text: str) -> str:
    """What a list question asks for, in its own words: "CNRS joint structures in China" for "Which CNRS
    joint structures in China does the documentation name?"; "" when the question is not worded so."""
    text = text.strip().rstrip(" ?.!")
    folded = fold(text)
    head = _LIST_HEAD.match(folded)
    if head is None or len(folded) != len(text):  # positions in the folded text must be the text's
        return ""
    start = head.start("np")
    end = _LIST_END.search(folded, start)
    noun = text[start : end.start() if end else len(text)].strip(" ,;:")
    count = _LIST_COUNT.match(fold(noun))
    noun = noun[count.end() :] if count else noun
    if _LIST_END.match(" " + fold(noun)):  # "What is an IRL?": a verb, not a noun phrase
        return ""
    if re.match(r"(ones?|of them|d'entre eux|d'entre elles)\b", fold(noun)):
        return ""  # "which ones can you name": what they are is in the sentence before
    return noun if 1 <= len(noun.split()) <= 10 else ""
