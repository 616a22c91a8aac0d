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

No retrieval here and no I/O: the directories and the corpus vocabulary come in through `World`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from assistant.analysis import content_words, detect_language, fold
from assistant.conversation import History, last_turns
from assistant.directory import Country, Glossary, Office, OfficeDirectory, ToolDirectory
from assistant.lexicon import (
    AROUND,
    ATTRIBUTE_BY_NAME,
    ATTRIBUTES,
    BEFORE,
    CONFLICT_HINT,
    FIRST,
    INTENTS,
    PERSON_ATTRIBUTES,
    PLEASANTRY,
    SMS,
    TODAY,
    VALUE_FREE,
    YEAR,
    YEAR_RANGE,
)
from assistant.spelling import Speller

# The ladder of CNRS tools, from a first contact to a joint laboratory: "what comes after an IEA?".
TOOL_LADDER = ("IEA", "IRP", "IRL")
# Organisations too general to be what a question is about: every document is about the CNRS.
_TOO_GENERAL = frozenset({"CNRS"})


@dataclass(frozen=True)
class Entity:
    """Something a question is about: an office, a country, a tool, an organisation, a named structure.

    `aliases` are folded forms a sentence may use for it; `office` is the office (or headquarters pole)
    in charge of it, for countries and offices; `pages` the documents that describe it.
    """

    kind: str  # office | pole | country | tool | org | name | person
    key: str
    labels: Mapping[str, str]
    aliases: tuple[str, ...]
    office: str | None = None
    pages: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.labels.get("fr") or self.key

    def __repr__(self) -> str:
        return f"Entity({self.kind}:{self.key})"


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

    @property
    def value(self) -> str:
        """The kind of value a sentence must hold to answer it: person, date, number or ""."""
        if self.attribute in VALUE_FREE:
            return ""
        if self.intent == "who":
            return "person"
        if self.intent in ("when", "how_many"):
            return "date" if self.intent == "when" else "number"
        attribute = ATTRIBUTE_BY_NAME.get(self.attribute or "")
        return attribute.value if attribute is not None else ""


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


@dataclass
class World:
    """What analysis needs from the knowledge base: directories and the corpus vocabulary."""

    offices: OfficeDirectory
    tools: ToolDirectory
    glossary: Glossary
    speller: Speller
    corpus_text: str = ""  # every indexed text, folded: a name the corpus never uses is no subject
    tool_entities: list[Entity] = field(default_factory=list, repr=False)
    org_entities: list[Entity] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.tool_entities = list(entities_of_tools(self.tools))
        taken = {a for e in self.tool_entities for a in e.aliases}
        self.org_entities = list(_org_entities(self.glossary, taken))

    @classmethod
    def of(
        cls, offices: OfficeDirectory, tools: ToolDirectory, glossary: Glossary, texts: Sequence[str]
    ) -> World:
        """The world of a corpus: its directories, and a speller and vocabulary from its `texts`."""
        things: list[str] = []
        for office in offices.offices:
            things += [*office.city.values(), *office.city_aliases]
            for country in office.countries:
                things += [*country.names.values(), *country.aliases]
        for tool in tools.tools:
            things += [tool.acronym, *tool.names.values()]
        speller = Speller(texts, [t for t in things if t])
        return cls(offices, tools, glossary, speller, corpus_text=fold("\n".join(texts)))

    def known(self, folded_name: str) -> bool:
        return not self.corpus_text or folded_name in self.corpus_text


# -- entry point -------------------------------------------------------------------------------------


def analyse(question: str, history: History, world: World, lang: str | None = None) -> Analysis:
    """The `Analysis` of `question`, given the conversation so far."""
    lang = lang or _language(question, history)
    cleaned = world.speller.correct(_expand_sms(" ".join(question.split())))
    background: list[str] = []
    parts: list[tuple[str, str]] = []
    for sentence in _sentences(cleaned):
        if _is_question(sentence):
            parts += _split(sentence)
        elif not (PLEASANTRY.match(fold(sentence)) and len(sentence) < 80):
            background.append(sentence)
    if not parts:  # a bare topic ("ifcam?", "IRL") or a statement: the whole message is the question
        parts = _split(cleaned) or [("", cleaned)]
        background = []
    in_background = _context_entities(background, world)
    turn = _turn_context(history, world)
    subs = _resolve(
        [_sub_question(text, prefix, world) for prefix, text in parts],
        _topic(background, world),
        in_background,
        turn,
    )
    subs = _merge_restatements(subs)
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
        expects_conflict=bool(CONFLICT_HINT.search(fold(cleaned))),
    )


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


# -- cleaning and sentences --------------------------------------------------------------------------


def _expand_sms(text: str) -> str:
    """SMS spellings replaced by the words they stand for ("dsca c koi" -> "dsca c'est quoi")."""
    out = []
    for token in re.split(r"(\s+)", text):
        core = token.strip("?!.,;:")
        replacement = SMS.get(fold(core)) if core else None
        out.append(token.replace(core, replacement, 1) if replacement and core.islower() else token)
    return re.sub(r"\?{2,}", "?", "".join(out))


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=\S)")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


_ASKS = re.compile(
    r"\b(i'd (really )?like to know|i would like to know|what i'd (really )?like|i want to know|i need to know"
    r"|je voudrais savoir|j'aimerais savoir|ma question|my question|could you tell|pourriez-vous|pouvez-vous"
    r"|peux-tu|can you|tell me|dites-moi|dis-moi|please list|list them)\b"
)


def _is_question(sentence: str) -> bool:
    folded = fold(sentence)
    return (
        sentence.rstrip().endswith("?") or bool(_ASKS.search(folded)) or bool(re.match(_ASKING_WORD, folded))
    )


# -- splitting ---------------------------------------------------------------------------------------

_ASKING_WORD = (
    r"(?:qui|que|quoi|quel\w*|quand|comment|combien|ou|pourquoi|est-ce|dans quel\w*|a quel\w*|a qui"
    r"|depuis quand|since when|en quelle|y a-t-il|existe-t-il|peut-on|faut-il|what|what's|which|who|whom|whose"
    r"|when|where|why|how|is|are|does|do|did|can|could|was|were|has|have|should|will|would|c'est)\b"
)
# ", and who paid for it", ", et quel jour", "; how long", " and when was it inaugurated": a new part.
_PART = re.compile(
    rf"\s*[,;:]\s*(?:(?:et|and|ou|or|puis|then|sinon|otherwise)\s+)?(?={_ASKING_WORD})"
    r"|\s+(?:et|and)\s+(?:(?:for|pour|in|en|at|from|de|of|a)\s+)?"
    r"(?=(?:qui|quand|comment|combien|quel\w*|when|where|who|how|which|what)\b)"
    r"|\s*\?\s*"
    r"|\s+-\s+(?=" + _ASKING_WORD + ")"
)


def _split(sentence: str) -> list[tuple[str, str]]:
    """The parts of one question sentence, each asking one thing, with the words that lead into it.

    "Pour la campagne CNRS-Afrique 2023, qui devait porter un projet" is one part asking "qui devait
    porter un projet", led by "Pour la campagne CNRS-Afrique 2023" (which names its subject and year).
    The sentence is cut on an accent-free copy of the same length.
    """
    plain = _strip_accents(sentence)
    pieces: list[str] = []
    start = 0
    for m in _PART.finditer(plain.lower()):
        pieces.append(sentence[start : m.start()])
        start = m.end()
    pieces.append(sentence[start:])
    pieces = [_LEAD.sub("", p.strip(" ,;:-")) for p in pieces if p.strip(" ,;:-?")]
    parts: list[tuple[str, str]] = []
    pending = ""
    for piece in (p for p in pieces if p):
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


_LEAD = re.compile(
    r"^(sinon|otherwise|else|if not|and|et|also|aussi|so|alors|donc|then|puis)\b[\s,]*", re.IGNORECASE
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


def _sub_question(text: str, prefix: str, world: World) -> SubQuestion:
    whole = f"{prefix} {text}".strip()
    folded = fold(whole)
    intent = _intent(text)
    attributes = _attributes(fold(text)) or _attributes(folded)
    entities = tuple(find_entities(whole, world))
    if entities:  # "Is CNRS@CREATE a company?" asks nothing about creation: names are not cues
        attributes = _attributes(_unnamed(fold(text), entities)) or _attributes(_unnamed(folded, entities))
    if intent == "list" and entities and not _unnamed_words(text, entities):
        intent = "definition"  # "What are the PhD Joint Programs?" names one thing: what is it
    if intent == "procedure":
        # "Comment créer un IRL ?": how to get one created is a matter of calls and institutes, not a date.
        attributes = tuple(dict.fromkeys("calendar" if a == "opening" else a for a in attributes))
        # "Comment monter un IRN ?": how to get one is a matter of calls, campaigns and submissions.
        attributes = attributes or ("calendar",)
    return SubQuestion(
        text=whole,
        intent=intent,
        attributes=attributes,
        entities=entities,
        years=tuple(_years(folded)),
        time=_time(folded),
    )


def _unnamed(folded: str, entities: Sequence[Entity]) -> str:
    """`folded` without the names of `entities`."""
    for entity in entities:
        for alias in entity.aliases:
            folded = _alias_pattern(alias).sub(" ", folded)
    return folded


def _unnamed_words(text: str, entities: Sequence[Entity]) -> list[str]:
    """The words of `text` that neither name one of `entities` nor only frame the question."""
    return [w for w in content_words(_unnamed(fold(text), entities)) if w not in _BARE]


def _intent(text: str) -> str:
    folded = fold(text)
    found = [name for name, pattern in INTENTS if pattern.search(folded)]
    counting = re.search(r"\bhow (long|many|much|often)\b|\bcombien\b|\bnombre de\b|\bnumber of\b", folded)
    if not found:
        return "how_many" if counting else "general"
    if "compare" in found:
        return "compare"
    if "recommend" in found:
        return "recommend"
    if (
        "list" in found
        and not counting
        and not (
            "definition" in found
            and not re.search(r"\b(what|which) are the\b|quels sont|quelles sont", folded)
        )
    ):
        return "list"
    if "procedure" in found and not counting and not re.search(r"comment s'appell", folded):
        return "procedure"
    if counting:
        return "how_many"
    if "where" in found and "who" in found and re.search(r"\ba qui\b|\bwho (should|do|can)\b", folded):
        return "where"
    return next((i for i in found if i not in ("list", "procedure")), "general")


def _attributes(folded: str) -> tuple[str, ...]:
    """The attributes a part asks about, the first named first."""
    # "an open call", "un appel ouvert": a call, not an opening.
    folded = re.sub(r"\bopen (calls?|campaign)|\b(appels?|campagne) ouverte?s?\b", " call ", folded)
    # "still open", "toujours ouvert": whether it has closed since, not when it opened.
    folded = re.sub(r"\b(still|toujours|encore) (open|ouverte?s?)\b", " still running ", folded)
    found: list[tuple[int, str]] = []
    for attribute in ATTRIBUTES:
        m = attribute.question.search(folded)
        if m is None:
            continue
        if attribute.name == "count" and re.search(
            r"combien de temps|how long|how many times|combien de fois", folded
        ):
            continue
        found.append((m.start(), attribute.name))
    found.sort()
    return tuple(name for _, name in found)


def _years(folded: str) -> list[int]:
    years = [int(y) for y in YEAR.findall(folded)]
    m = YEAR_RANGE.search(folded)
    if m:
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        if b - a <= 15:
            years = sorted(set(years) | set(range(a, b + 1)))
    return years


def _time(folded: str) -> str | None:
    if TODAY.search(folded):
        return "today"
    if FIRST.search(folded):
        return "first"
    if AROUND.search(folded) or YEAR_RANGE.search(folded):
        return "around"
    if re.search(
        r"\b(depuis|since|a partir de|from) (le |la |l'|the )?(\d|debut|fin|mi-|janvier|fevrier|mars|avril|mai"
        r"|juin|juillet|aout|septembre|octobre|novembre|decembre|early|late|end|mid)",
        folded,
    ):
        return "since"
    if BEFORE.search(folded):
        return "before"
    if re.search(
        r"\b(et apres|and then|what comes (next|after)|next step|etape suivante|et ensuite)\b", folded
    ):
        return "after"
    return None


# -- entities ---------------------------------------------------------------------------------------------


def find_entities(text: str, world: World) -> list[Entity]:
    """Offices, countries, tools, organisations and named structures named in `text`, in order."""
    found: list[tuple[int, int, Entity]] = []
    folded = fold(text)
    for place in world.offices.find(text):
        at = folded.find(fold(place.surface))
        at = max(at, 0)
        found.append((at, at + len(place.surface), _place_entity(place.office, place.country)))
    for entity in (*world.tool_entities, *world.org_entities):
        span = _first_alias(folded, entity)
        if span is None or entity.key in _TOO_GENERAL:
            continue
        if len(entity.key) <= 3 and folded[span[0] : span[1]] == fold(entity.key) and entity.key not in text:
            continue  # "eu" in "il y a eu" is not the EU: short acronyms only count in capitals
        found.append((*span, entity))
    for at, name in _names(text, world):
        end = at + len(name)
        key = fold(name)
        if any(a <= at and end <= b for a, b, _ in found) or any(key in e.aliases for _, _, e in found):
            continue  # inside a place or a tool already found ("Pretoria", "IRL")
        found.append((at, end, _name_entity(name)))
    found.sort(key=lambda item: item[0])
    named = [e for _, _, e in found if e.kind == "name"]
    typed = {fold(a.split()[0]) for e in named for a in e.aliases if " " in a}
    return _unique([e for _, _, e in found if not (e.kind == "tool" and fold(e.key) in typed)])


def _first_alias(folded: str, entity: Entity) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for alias in entity.aliases:
        if alias not in folded:
            continue
        m = _alias_pattern(alias).search(folded)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end())
    return best


@functools.lru_cache(maxsize=8192)
def _alias_pattern(alias: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@-]){re.escape(alias)}(?![\w@²-])")


def mentions(folded_text: str, entity: Entity) -> bool:
    """Whether a folded text names the entity by one of its aliases."""
    return any(alias in folded_text and _alias_pattern(alias).search(folded_text) for alias in entity.aliases)


def _named_in(text: str, entity: Entity) -> bool:
    return mentions(fold(text), entity)


# An acronym or mixed-case token (IRASEC, ElyT-MaX, CNRS@CREATE, BMC²), or a run of capitalised words
# joined by the usual particles (Bolt's Farm, Jean-Christophe Yoccoz, Maison Irène et Frédéric Joliot-Curie).
_ACRONYM = re.compile(r"(?<![\w@-])(?=[\w@²-]*[A-Z][\w@²-]*[A-Z])[A-Za-z][\w@²-]*(?![\w@²-])")
_TITLE_RUN = re.compile(
    r"(?<![\w@'’-])[A-ZÀ-Ý][\wà-ÿ'’-]*(?:\s+(?:(?:de|du|des|d'|of|la)\s+)?[A-ZÀ-Ý][\wà-ÿ'’-]*)*"
)
_QUOTED = re.compile(
    r"[«\"“]\s*([^«»\"“”]{3,60}?)\s*[»\"”]|(?:(?<=\s)|^)['‘]([^'‘’]{3,60}?)['’](?=[\s,.;:?!]|$)"
)
_NOT_NAMES = frozenset(
    fold(w)
    for w in """
    Je J'ai Nous Notre Mon Ma Mes Le La Les L Un Une Des Du De Et Ou Est Sont Quel Quelle Quels Quelles Qui Que
    Quand Comment Combien Pourquoi Où Y Il Elle Ils Elles On Ce Cet Cette Ces Si Sinon Avant Après Depuis Pour
    Dans Sur Avec Selon Entre Bonjour Merci Salut Peux-tu Pouvez-vous Tu Vous Hi Hello Sorry I I'm I've I'd
    We My Our The A An And Or Is Are Was Were Which What Who When Where Why How Does Do Did Can Could Would
    Should Please Thanks In On At By For From With Before After Since Under Old Today Yes No Oui Non Dear
    If Once Under Three Two One Archéologue
    """.split()
)
_GENERIC_HEADS = frozenset(
    fold(w)
    for w in """
    Université University Universidad Universidade Institut Institute Centre Center Office Bureau
    Laboratoire Laboratory Lab Programme Program Project Projet Direction Directorate Ministère Ministry
    Europe Afrique Africa Asie Asia Amérique America Americas Amériques Océanie Oceania French Français
    Française Union Commission CNRS Directorate Division Department Relations International Internationales
    Européennes European Research Recherche
    """.split()
)


def _names(text: str, world: World) -> list[tuple[int, str]]:
    """Named structures and people of `text` that the corpus uses, with their offsets."""
    out: list[tuple[int, str]] = []
    for m in _QUOTED.finditer(text):
        group = 1 if m.group(1) else 2
        name = m.group(group).strip()
        if world.known(fold(name)) and fold(name) not in _NOT_NAMES:
            out.append((m.start(group), name))
    for m in _ACRONYM.finditer(text):
        name = re.sub(r"['’]s$", "", m.group(0))
        if len(name) <= 4 and world.speller.is_common(name):
            continue  # "PhD", "CEO": words, not names of things the CNRS runs
        if world.known(fold(name)) and name not in _TOO_GENERAL:
            out.append((m.start(), name))
    for m in _TITLE_RUN.finditer(text):
        words = [re.sub(r"['’]s$", "", w) for w in m.group(0).split()]  # "DERCI's" -> "DERCI"
        start = m.start()
        if words and re.match(r"^[dlDL]['’]", words[0]):  # "l'Afrique du Sud" -> "Afrique du Sud"
            start += 2
            words[0] = words[0][2:]
        # Two acronyms side by side are two names ("PDG du CIRAD"), not one.
        for i in range(1, len(words)):
            if (
                words[i].isupper()
                and len(words[i]) > 1
                and any(w.isupper() and len(w) > 1 for w in words[:i])
            ):
                words = words[:i]
                break
        while words and (fold(words[0]) in _NOT_NAMES or fold(words[0]) in ("d'", "l'")):
            start += len(words[0]) + 1
            words = words[1:]
        for i, word in enumerate(words[1:], 1):  # "Marseille and I'm" ends before "and I'm"
            if fold(word) in _NOT_NAMES and word[:1].isupper():
                words = words[:i]
                break
        while words and (
            fold(words[-1]) in ("and", "et", "of", "de", "du", "des", "la", "le", "the")
            or words[-1] in _TOO_GENERAL
        ):
            words = words[:-1]  # "PhD Joint Programs du CNRS" is "PhD Joint Programs"
        if not words:
            continue
        first_at_sentence_start = start == 0 or bool(re.search(r"[.?!:]\s*$", text[:start]))
        while words and words[0] in _TOO_GENERAL:  # "CNRS Directorate" is not a name
            start += len(words[0]) + 1
            words = words[1:]
        if not words or all(
            fold(w) in _GENERIC_HEADS or fold(w) in _NOT_NAMES or w in _TOO_GENERAL for w in words
        ):
            continue
        name = re.sub(r"^(d'|l'|d’|l’)", "", " ".join(words)).strip(" .,'’")
        if len(words) == 1 and (
            first_at_sentence_start
            or fold(name) in _GENERIC_HEADS
            # "PhD", "eMail": a word in mixed case, not the name of something the CNRS runs
            or (not name.istitle() and not name.isupper() and world.speller.is_common(name))
        ):
            continue
        if fold(name) in _NOT_NAMES or name in _TOO_GENERAL or len(name) < 3 or not world.known(fold(name)):
            continue
        out.append((start, name))
    # Lower-case acronyms the corpus spells in capitals: "ifcam?", "dsca c'est quoi".
    for m in re.finditer(r"(?<![\w@-])[a-z0-9@²-]{3,}(?![\w@-])", text):
        canonical = world.speller.names.get(m.group(0))
        if canonical and not world.speller.is_common(m.group(0)):
            out.append((m.start(), canonical))
    out.sort()
    kept: list[tuple[int, str]] = []
    for at, name in out:  # the longest of overlapping names
        if kept and at < kept[-1][0] + len(kept[-1][1]):
            if len(name) > len(kept[-1][1]) and at == kept[-1][0]:
                kept[-1] = (at, name)
            continue
        kept.append((at, name))
    return kept


def _place_entity(office: Office, country: Country | None) -> Entity:
    if country is not None:
        aliases = {
            fold(a) for a in (*country.names.values(), *country.aliases, *country.demonyms) if len(a) > 1
        }
        return Entity(
            kind="country",
            key=country.code,
            labels=dict(country.names),
            aliases=tuple(sorted(aliases, key=len, reverse=True)),
            office=office.id,
            pages=tuple(office.pages.values()),
        )
    return office_entity(office)


def office_entity(office: Office) -> Entity:
    """The entity of an office (named by its city in both languages) or of a headquarters pole."""
    if office.kind == "pole":
        return Entity(
            kind="pole",
            key=office.id,
            labels=dict(office.names),
            aliases=tuple(sorted({fold(v) for v in office.names.values()}, key=len, reverse=True)),
            office=office.id,
            pages=tuple(office.pages.values()),
        )
    aliases = {fold(a) for a in (*office.city.values(), *office.city_aliases, *office.aliases) if a}
    city_fr = office.city.get("fr") or office.city.get("en") or office.id
    city_en = office.city.get("en") or city_fr
    return Entity(
        kind="office",
        key=office.id,
        labels={"fr": f"le bureau du CNRS à {city_fr}", "en": f"the CNRS office in {city_en}"},
        aliases=tuple(sorted(aliases, key=len, reverse=True)),
        office=office.id,
        pages=tuple(office.pages.values()),
    )


def entities_of_tools(tools: ToolDirectory) -> Iterable[Entity]:
    """One entity per tool of the directory, named by its acronym and its names in both languages."""
    for tool in tools.tools:
        names = {lang: n.split("(")[0].split(",")[0].strip() for lang, n in tool.names.items()}
        aliases = {fold(n) for n in names.values() if len(n) > 3}
        # "Programmes doctoraux conjoints (PhD Joint Programs)": the name in brackets is a name too.
        aliases |= {
            fold(name.strip())
            for n in tool.names.values()
            for m in re.findall(r"\(([^()]+)\)", n)
            for name in m.split(",")
            if " " in name.strip()
        }
        aliases |= {a + "s" for a in aliases if " " in a and not a.endswith("s")}
        if tool.acronym:
            aliases |= {fold(tool.acronym), fold(tool.acronym) + "s"}
        extra = tool.fields.get("aliases")
        if isinstance(extra, Sequence) and not isinstance(extra, str):
            aliases |= {fold(str(a)) for a in extra}
        labels = {
            lang: (
                f"{tool.acronym} ({n})" if tool.acronym and n and tool.acronym not in n else n or tool.acronym
            )
            for lang, n in names.items()
        }
        yield Entity(
            kind="tool",
            key=(tool.acronym or tool.id).upper(),
            labels=labels,
            aliases=tuple(sorted((a for a in aliases if a), key=len, reverse=True)),
            pages=tuple(tool.pages.values()),
        )


def _org_entities(glossary: Glossary, taken: set[str]) -> Iterable[Entity]:
    """Organisations of the glossary with an acronym (DERCI, DEI, DREI, IRD...): one entity per acronym.

    An acronym's aliases are its own spellings and the group's long forms when it is the group's first
    acronym; a second acronym of the group (DEI beside DERCI) is another name, kept apart because
    questions compare them.
    """
    for group in glossary.groups:
        acronyms = [
            f
            for f in group
            if re.fullmatch(r"[A-Z][A-Za-z0-9@&-]{1,9}", f) and sum(c.isupper() for c in f) >= 2
        ]
        long_forms = [f for f in group if len(f) > 5 and " " in f]
        if not acronyms and long_forms:
            # A named thing without an acronym ("secteur Europe bilatérale"): its multi-word forms that
            # carry a proper name, never a common phrase ("durée", "how long") or a lone common word.
            bare = [re.sub(r"\s*\(.*\)\s*$", "", f) for f in long_forms]
            aliases = {fold(f) for f in bare if _proper(f)}
            aliases = {a for a in aliases if " " in a and a not in taken}
            if aliases:
                yield Entity(
                    kind="org",
                    key=fold(group[0]),
                    labels={"fr": group[0], "en": group[1] if len(group) > 1 else group[0]},
                    aliases=tuple(sorted(aliases, key=len, reverse=True)),
                )
            continue
        for i, acronym in enumerate(dict.fromkeys(acronyms)):
            if fold(acronym) in taken:
                continue
            aliases = {fold(acronym)}
            if i == 0:
                aliases |= {fold(re.sub(r"\s*\(.*\)\s*$", "", f)) for f in long_forms}
                aliases |= {fold(m) for f in long_forms for m in re.findall(r"\(([^()]{6,})\)", f)}
            label = acronym  # "DERCI": the glossary's long forms mix in other names (DEI, the old name)
            yield Entity(
                kind="org",
                key=acronym,
                labels={"fr": label, "en": label},
                aliases=tuple(sorted((a for a in aliases if len(a) > 1), key=len, reverse=True)),
            )


def _proper(form: str) -> bool:
    """Whether a glossary form names something: a capitalised word after the first, other than CNRS."""
    words = form.split()
    return any(w[:1].isupper() and w not in _TOO_GENERAL for w in words[1:])


def _name_entity(name: str) -> Entity:
    folded = fold(name)
    aliases = {folded}
    parts = folded.split()
    # "IRL CROSSING" is also "CROSSING"; "LIA HOMEN" also "HOMEN": the type word is often left out.
    if len(parts) >= 2 and re.fullmatch(
        r"irl|irp|irn|iea|lia|umi|gdri|umifre|irc|lmi|usr|umr|ifre", parts[0]
    ):
        aliases.add(" ".join(parts[1:]))
    return Entity(
        kind="name",
        key=folded,
        labels={"fr": name, "en": name},
        aliases=tuple(sorted(aliases, key=len, reverse=True)),
    )


def _unique(entities: Iterable[Entity]) -> list[Entity]:
    seen: set[tuple[str, str]] = set()
    out: list[Entity] = []
    for e in entities:
        if (e.kind, e.key) not in seen:
            seen.add((e.kind, e.key))
            out.append(e)
    return out


# -- subjects -----------------------------------------------------------------------------------------------

_POINTS_BACK = re.compile(
    r"\b(il|elle|ils|elles|le|la|les|lui|leur|son|sa|ses|en|y|celui-ci|celle-ci|ce bureau|cet outil|ce pays"
    r"|cette structure|ce dispositif|ce programme|ce laboratoire|cette personne|telle structure|it|its|they"
    r"|them|their|this|that|those|these|he|she|his|her|such|the two|les deux|each one|chacun|ca|cela|ceci)\b"
    r"|-t-(il|elle)\b|-(il|elle|ils|elles)\b"
)
# Words that ask without naming anything: a part made only of these leans on what came before.
_BARE = frozenset(
    """
    et and what about how pour un une le la les l des du de en au aux also aussi then alors ok so donc quel
    quelle quels quelles qui quand jour day date year annee when who which combien how many much long time
    temps dure duree lasts last renew renouvelable renouveler times fois please list them all tous toutes
    exactement exactly c'est est are is was were been pays country countries bureau office directeur director
    cnrs
    """.split()
)


def _resolve(
    subs: Sequence[SubQuestion], topic: Entity | None, background: Sequence[Entity], turn: Sequence[Entity]
) -> list[SubQuestion]:
    """Give every part the subjects it is about, and the attribute it asks when it only names a subject."""
    out: list[SubQuestion] = []
    previous: SubQuestion | None = None
    for sub in subs:
        own = list(sub.entities)
        folded = fold(sub.text)
        points_back = bool(_POINTS_BACK.search(folded))
        plural = bool(_PLURAL_BACK.search(folded))
        bare = _is_bare(sub)
        if not own and (points_back or bare or sub.intent == "where"):
            source: Sequence[Entity] = ()
            if plural:
                source = (
                    (previous.entities if previous and previous.entities else ())
                    or tuple(background)
                    or tuple(e for e in turn if e.kind != "country")
                    or tuple(turn)
                )
            elif previous is not None and previous.entities:
                source = _subjects_of(previous)
            elif topic is not None:
                source = (topic,)
            elif turn:
                source = (turn[0],)
            elif background:
                source = (background[0],)
            if source:
                sub = replace(sub, entities=tuple(source), inherited=True)
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
        elif topic is not None and topic not in own and not any(_subject_worthy(e) for e in own):
            # "les partenaires russes" with an IEA in the background: the IEA stays the subject.
            sub = replace(sub, entities=(topic, *own))
        if sub.attributes and sub.attributes[0] in PERSON_ATTRIBUTES and points_back:
            sub = replace(sub, about_person=True)
        if not sub.attributes and previous is not None and previous.attributes and (bare or _only_names(sub)):
            # "Et pour un IRN ?" / "et quel jour ?" -> the previous part's question, about this subject.
            intent = sub.intent if sub.intent not in ("general", "list") else previous.intent
            sub = replace(sub, attributes=previous.attributes, intent=intent)
        out.append(sub)
        previous = sub
    return out


_CONTINUES = re.compile(
    r"^(and|et|also|aussi|then|puis|or|ou)\b|^(for|pour|in|en|from|de) (how|combien|quel)"
)
_PLURAL_BACK = re.compile(
    r"\b(those|these|they|them|their|both|each|ces|ceux-ci|celles-ci|les deux|the two|chacun\w*|leurs?)\b"
)


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


def _ask_again(subs: list[SubQuestion], history: History, world: World) -> list[SubQuestion]:
    """ "Et un IRP ?" after "Combien de temps dure une IEA ?": the previous question, about the new subject."""
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


def _merge_restatements(subs: list[SubQuestion]) -> list[SubQuestion]:
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


def _topic(background: Sequence[str], world: World) -> Entity | None:
    """The subject the background sets ("Le LIA HOMEN travaille sur..."): its first named structure,
    skipping what it only mentions in passing ("Before PICS...")."""
    for sentence in background:
        folded = fold(sentence)
        order = {"name": 0, "org": 1, "office": 1, "pole": 1, "tool": 2}
        for entity in sorted(find_entities(sentence, world), key=lambda e: order.get(e.kind, 3)):
            at = min((folded.find(a) for a in entity.aliases if a in folded), default=-1)
            if at > 0 and _BEFORE_MENTION.search(folded[:at]):
                continue
            if _subject_worthy(entity):
                return entity
    return None


def _context_entities(background: Sequence[str], world: World) -> list[Entity]:
    return _unique(e for sentence in background for e in find_entities(sentence, world))


def _turn_context(history: History, world: World) -> list[Entity]:
    """The subjects of the previous turn: what "it", "ce bureau" or "those two agencies" point to.

    The previous answer's first sentence says what the conversation is about now (a routing answer
    names the office, not just the country the user named); then the previous question's subjects.
    """
    turns = last_turns(history, 2)
    if not turns:
        return []
    last = turns[-1]
    answer = re.sub(r"\s*\[\d+\]", "", last.answer or "")
    first_sentence = re.split(r"(?<=[.!?])\s", answer.strip(), maxsplit=1)[0] if answer else ""
    # Expansions in brackets ("the JSPS (Japan Society for the Promotion of Science)") name nothing new.
    from_answer = find_entities(re.sub(r"\([^()]*\)", " ", first_sentence), world)
    from_question = find_entities(last.question, world)
    offices = [e for e in from_answer if e.kind in ("office", "pole")]
    ordered: list[Entity] = []
    routing = any(e.kind == "country" for e in from_question) or _intent(last.question) == "where"
    if offices and routing:
        ordered += offices  # a routing answer: the office is the subject from now on
    elif not any(_subject_worthy(e) for e in from_question):
        # "Does the CNRS work with Japanese agencies?" -> "the JSPS and the JST": the answer's names.
        ordered += [e for e in from_answer if _subject_worthy(e)]
    ordered += [e for e in from_question if _subject_worthy(e)]
    ordered += [e for e in from_answer if _subject_worthy(e)]
    ordered += [e for e in from_question if e.kind == "country" and not offices]
    if not ordered and len(turns) > 1:
        ordered = find_entities(turns[-2].question, world)
    return _unique(ordered)


def next_tool(entity: Entity) -> str | None:
    """The next step on the tool ladder after `entity` (IEA -> IRP -> IRL), or None."""
    if entity.kind != "tool" or entity.key not in TOOL_LADDER:
        return None
    at = TOOL_LADDER.index(entity.key)
    return TOOL_LADDER[at + 1] if at + 1 < len(TOOL_LADDER) else None


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
]
