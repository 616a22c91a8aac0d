"""Pure: what a question can be about — `Entity`, the `World` it is read against, and the entities of
the directories.

An entity is an office (named by its city), a headquarters pole, a country (with the office that covers
it), a tool (IEA, IRP, IRL...), an organisation of the glossary (DERCI, DEI, IRD...), or a named
structure or person; `mentions` tells whether a folded text names one. `World` holds the directories,
the speller and the corpus vocabulary. Finding the entities a text names is `assistant.recognition`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.analysis import fold
from assistant.directory import Country, Glossary, Office, OfficeDirectory, ToolDirectory
from assistant.spelling import Speller

__all__ = [
    "REGIONS",
    "TOOL_LADDER",
    "TOO_GENERAL",
    "UNIT_TYPES",
    "Entity",
    "World",
    "alias_pattern",
    "entities_of_tools",
    "kind_of",
    "mentions",
    "next_tool",
    "office_entity",
    "place_entity",
    "unique",
]


# The ladder of CNRS tools, from a first contact to a joint laboratory: "what comes after an IEA?".
TOOL_LADDER = ("IEA", "IRP", "IRL")
# Organisations too general to be what a question is about: every document is about the CNRS.
TOO_GENERAL = frozenset({"CNRS"})
# The kinds of lab an asker works in ("je gère une UMR"): rarely what a question is about
UNIT_TYPES = frozenset({"UMR", "USR", "UAR"})


@dataclass(frozen=True)
class Entity:
    """Something a question is about: an office, a country, a tool, an organisation, a named structure.

    `aliases` are folded forms a sentence may use for it; `office` is the office (or headquarters pole)
    in charge of it, for countries and offices; `pages` the documents that describe it.
    """

    kind: str  # office | pole | country | region | tool | org | name | person
    key: str
    labels: Mapping[str, str]
    aliases: tuple[str, ...]
    office: str | None = None
    pages: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.labels.get("fr") or self.key

    def __repr__(self) -> str:
        return f"Entity({self.kind}:{self.key})"


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
    # "erc" -> [("starting", ERC Starting), ...]: the kinds of a thing, by the word that follows its name
    kinds: dict[str, list[tuple[str, Entity]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.tool_entities = list(entities_of_tools(self.tools)) + list(region_entities())
        taken = {a for e in self.tool_entities for a in e.aliases}
        self.org_entities = list(_org_entities(self.glossary, taken))
        for entity in self.org_entities:
            for alias in entity.aliases:
                head, _, word = alias.partition(" ")
                if len(word) >= 5 and " " not in word:
                    self.kinds.setdefault(head, []).append((word, entity))

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

    def known_word(self, folded_name: str) -> bool:
        """Whether the corpus uses the name as a word of its own ("ilance" is in "vigilance", not a name)."""
        return not self.corpus_text or (
            folded_name in self.corpus_text
            and alias_pattern(folded_name).search(self.corpus_text) is not None
        )


def kind_of(entity: Entity, other: Entity) -> bool:
    """Whether `entity` is a kind of `other` by its name: "erc starting" of "erc" (`World.kinds` indexes the
    one-word kinds for recognition)."""
    return other is not entity and any(a.startswith(h + " ") for a in entity.aliases for h in other.aliases)


@functools.lru_cache(maxsize=8192)
def alias_pattern(alias: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@-]){re.escape(alias)}(?![\w@²-])")


def mentions(folded_text: str, entity: Entity) -> bool:
    """Whether a folded text names the entity by one of its aliases."""
    return _names(folded_text, entity.aliases)


@functools.lru_cache(maxsize=131_072)  # corpus sentences x the few entities asked: reused across questions
def _names(folded_text: str, aliases: tuple[str, ...]) -> bool:
    return any(alias in folded_text and alias_pattern(alias).search(folded_text) for alias in aliases)


def place_entity(office: Office, country: Country | None) -> Entity:
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


# Parts of the world a question may be about ("des appels pour l'Afrique"), with the adjectives that
# name them in a sentence ("une institution africaine"). Not Europe: "européen" names EU programmes.
_REGIONS = (
    (
        "africa",
        "Afrique",
        "Africa",
        "afrique, africain, africaine, africains, africaines, africa, african, africans",
    ),
    ("asia", "Asie", "Asia", "asie, asiatique, asiatiques, asia, asian"),
    ("latin-america", "Amérique latine", "Latin America", "amerique latine, latino-americain, latin america"),
    ("oceania", "Océanie", "Oceania", "oceanie, oceanien, oceanienne, oceania, oceanian"),
    ("middle-east", "Moyen-Orient", "Middle East", "moyen-orient, middle east"),
    # "les bureaux en Amérique": both Americas (the longer names above win where they are written)
    ("americas", "Amériques", "the Americas", "amerique, ameriques, americas, continent americain"),
    (
        "north-america",
        "Amérique du Nord",
        "North America",
        "amerique du nord, nord-americain, nord-americaine, nord-americains, north america, north american",
    ),
)
REGIONS = frozenset(key for key, *_ in _REGIONS)


def region_entities() -> Iterable[Entity]:
    """One entity per region of `_REGIONS`, named by its nouns and adjectives in both languages."""
    for key, fr, en, forms in _REGIONS:
        aliases = {a.strip() for a in forms.split(",")}
        yield Entity(
            kind="region",
            key=key,
            labels={"fr": fr, "en": en},
            aliases=tuple(sorted(aliases, key=len, reverse=True)),
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
        # "International Research Laboratories": the plural of a name in several words
        aliases |= {
            a[:-1] + "ies" if a.endswith("y") else a + "s"
            for a in aliases
            if " " in a and not a.endswith("s")
        }
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


# A glossary form that is a phrase, not a name: it opens on a bracket or a function word.
_PHRASE = re.compile(r"\(|(de|d'|du|of|for)\b", re.IGNORECASE)


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
            if re.fullmatch(r"[A-Z][A-Za-z0-9@&-]{1,9}", f)
            and sum(c.isupper() or c.isdigit() for c in f) >= 2
        ]
        long_forms = [f for f in group if len(f) > 5 and " " in f]
        if not acronyms and long_forms:
            # A named thing without an acronym ("secteur Europe bilatérale"): its multi-word forms that
            # carry a proper name, never a common phrase ("durée", "how long") or a lone common word.
            bare = [re.sub(r"\s*\(.*\)\s*$", "", f) for f in long_forms]
            aliases = {fold(f) for f in bare if _proper(f)}
            if aliases:
                # a group that names something: its forms led by a capitalised name too ("Europe roadmap"
                # beside "feuille de route Europe"), never a capitalised common word ("PhD student")
                aliases |= {fold(f) for f in bare if _led_by_a_name(f)}
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
                # a name, not a common phrase of the group ("de dépôt", "(submission) platform" beside NOA)
                # nor a lone common word glossed in brackets ("plateforme (de dépôt)")
                named = [
                    f
                    for f in long_forms
                    if not _PHRASE.match(f)
                    and not re.fullmatch(r"[a-zà-ÿ-]+", re.sub(r"\s*\(.*\)\s*$", "", f))
                ]
                aliases |= {fold(re.sub(r"\s*\(.*\)\s*$", "", f)) for f in named}
                aliases |= {
                    fold(m)
                    for f in named
                    for m in re.findall(r"\(([^()]{6,})\)", f)
                    if not (m.isalpha() and m.islower()) and not _PHRASE.match(m)
                }
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
    return any(w[:1].isupper() and w not in TOO_GENERAL for w in words[1:])


def _led_by_a_name(form: str) -> bool:
    first = form.split()[0]
    return (
        first[:1].isupper()
        and first[1:].islower()
        and first not in TOO_GENERAL
        and fold(first) not in ("universite", "university")  # a host university is another thing
    )


def unique(entities: Iterable[Entity]) -> list[Entity]:
    seen: set[tuple[str, str]] = set()
    out: list[Entity] = []
    for e in entities:
        if (e.kind, e.key) not in seen:
            seen.add((e.kind, e.key))
            out.append(e)
    return out


def next_tool(entity: Entity) -> str | None:
    """The next step on the tool ladder after `entity` (IEA -> IRP -> IRL), or None. A network (IRN) is
    the gradation's third step, beside the ladder: what follows it is the laboratory (IRL)."""
    if entity.kind == "tool" and entity.key == "IRN":
        return "IRL"
    if entity.kind != "tool" or entity.key not in TOOL_LADDER:
        return None
    at = TOOL_LADDER.index(entity.key)
    return TOOL_LADDER[at + 1] if at + 1 < len(TOOL_LADDER) else None
