"""Pure: the entities a text names — offices, countries, tools, organisations, and the named structures
and people the corpus knows.

Places come from the office directory, tools and organisations from their aliases; other names are
acronyms ("IRASEC", "CNRS@CREATE"), runs of capitalised words ("Bolt's Farm") or quoted names, kept only
when the corpus uses them. No retrieval: the corpus vocabulary comes in through `World`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.analysis import fold
from assistant.entities import TOO_GENERAL as _TOO_GENERAL
from assistant.entities import Entity, World, office_entity
from assistant.entities import alias_pattern as _alias_pattern
from assistant.entities import place_entity as _place_entity
from assistant.entities import unique as _unique
from assistant.lexicon import STRUCTURE_TYPES

__all__ = ["find_entities", "name_entity"]


def find_entities(text: str, world: World) -> list[Entity]:
    """Offices, countries, tools, organisations and named structures named in `text`, in order."""
    found: list[tuple[int, int, Entity]] = []
    folded = fold(text)
    by_city: list[Entity] = []  # countries named by one of their cities ("une équipe à Montréal")
    for place in world.offices.find(text):
        at = folded.find(fold(place.surface))
        at = max(at, 0)
        country = place.country
        city = fold(place.surface) in {fold(c) for c in place.office.city.values()}
        if country is not None and city and _names_an_office(folded, fold(place.surface)):
            country = None  # "le bureau du CNRS à Singapour", "the Singapore office": the office
        entity = _place_entity(place.office, country)
        if place.by_city:
            if _names_an_office(folded, fold(place.surface)):
                continue  # "the CNRS office in Berlin": an office the documents do not know, not Germany
            by_city.append(entity)
        found.append((at, at + len(place.surface), entity))
    if _OFFICE_WORD.search(folded):
        # "Is the Malta office still open?": the office that was there, not the country it is in. Only
        # where the city names the office ("the Malta office", "le bureau de Hanoï"), not in "which
        # office covers Malta?".
        for surface, office in world.offices.former(text):
            if not _names_an_office(folded, surface):
                continue
            at = folded.find(surface)
            found = [f for f in found if not (f[0] <= at < f[1])]
            found.append((at, at + len(surface), office_entity(office)))
    places = [(a, b) for a, b, _ in found]
    for entity in (*world.tool_entities, *world.org_entities):
        span = _first_alias(folded, entity)
        if span is None or entity.key in _TOO_GENERAL:
            continue
        if any(a <= span[0] and span[1] <= b for a, b in places):
            continue  # "Viêt Nam" is the country, not the glossary's term for it
        if (
            (len(entity.key) <= 2 or fold(entity.key) in _LOWER_WORDS)
            and folded[span[0] : span[1]] == fold(entity.key)
            and entity.key not in text
            and entity.kind != "tool"
            and not any(ch.isdigit() for ch in entity.key)  # "g6" typed fast is still the G6
        ):
            # "eu" in "il y a eu" is not the EU, "mon ami" not an AMI; "iea et irp", "tenter l'erc",
            # "le spv", typed fast, are the tools and bodies
            continue
        found.append((*span, entity))
    found += _bare_kinds(folded, found, world)
    partners = []
    for at, name, linked in _tool_partners(text, found, world):
        if not linked:
            found.append((at, at + len(name), name_entity(name)))
            continue
        found.append((at, at + len(name), _tool_partner_entity(name)))
        partners.append(fold(name).split(" ", 1)[1])

    def is_city(e: Entity) -> bool:
        return any(e is c for c in by_city)

    for at, name in _names(text, world):
        end = at + len(name)
        key = fold(name)
        if any(a <= at and end <= b and not is_city(e) for a, b, e in found) or any(
            key in e.aliases for _, _, e in found
        ):
            continue  # inside a place or a tool already found ("Pretoria", "IRL")
        if _OFFICE_WORD.match(key) and any(at <= a and b <= end and e.kind == "office" for a, b, e in found):
            continue  # "Bureau de Pékin" at the start of a question: the office already found
        found.append((at, end, name_entity(name)))
    # "l'IRC CNRS–Université de Tokyo": the city is part of the university's name, not the Tokyo office
    found = [
        (a, b, e)
        for a, b, e in found
        if e.kind != "office"
        or _names_an_office(folded, folded[a:b])
        or not any(n.kind == "name" and x <= a and b <= y and (y - x) > (b - a) for x, y, n in found)
    ]
    # A region inside a longer name ("Asie du Nord-Est", the office zone) is that name's, not the region.
    found = [
        (a, b, e)
        for a, b, e in found
        if e.kind != "region" or not any(x <= a and b <= y and (y - x) > (b - a) for x, y, _ in found)
    ]
    # "l'IRC avec Imperial College London": the IRC is what is named; its partner is part of its name
    found = [
        (a, b, e)
        for a, b, e in found
        if not (e.kind == "name" and any(re.search(rf"\b{re.escape(p)}\b", e.key) for p in partners))
        or e.key.split(" ", 1)[-1] in partners
    ]
    cities = [(a, b) for a, b, e in found if is_city(e)]

    def in_city(f: tuple[int, int, Entity]) -> bool:
        return any(a <= f[0] and f[1] <= b for a, b in cities)

    if any(e.kind == "name" and not in_city((a, b, e)) for a, b, e in found):
        # "the Centre Pierre Binétruy at Berkeley", "l'IRC avec l'Université de Chicago": the city places a
        # named structure; the question is about the structure, not about the country's office.
        found = [f for f in found if not is_city(f[2])]
    else:  # "des équipes à Montréal", "labs in Toronto": the city is its country, not a name
        found = [f for f in found if not (f[2].kind == "name" and in_city(f))]
    found.sort(key=lambda item: item[0])
    named = [e for _, _, e in found if e.kind == "name"]
    typed = {fold(a.split()[0]) for e in named for a in e.aliases if " " in a}
    return _unique([e for _, _, e in found if not (e.kind == "tool" and fold(e.key) in typed)])


def _bare_kinds(
    folded: str, found: Sequence[tuple[int, int, Entity]], world: World
) -> list[tuple[int, int, Entity]]:
    """Kinds of a thing already named, named by their own word alone: "l'ERC, starting ou consolidator ?" names
    the ERC Starting and ERC Consolidator grants (whose names are "erc starting", "erc consolidator")."""
    taken = {e.key for _, _, e in found}
    out: list[tuple[int, int, Entity]] = []
    for head in dict.fromkeys(a for _, _, e in found for a in e.aliases if a in world.kinds):
        for word, entity in world.kinds[head]:
            if entity.key in taken:
                continue
            m = _alias_pattern(word).search(folded)
            if m and not any(a <= m.start() < b for a, b, _ in found):
                out.append((m.start(), m.end(), entity))
                taken.add(entity.key)
    # One kind named by an everyday word is that word ("I'm starting to think about an ERC application");
    # two ("starting ou consolidator ?") are the kinds.
    if len(out) < 2:
        out = [f for f in out if not world.speller.is_common(folded[f[0] : f[1]])]
    return out


def _names_an_office(folded: str, city: str) -> bool:
    """Whether `city` names an office here: "bureau (du CNRS) de/à CITY", "the CITY office", or an office's
    own name ("the office for the Mediterranean")."""
    if _OFFICE_WORD.search(city):
        return True
    city = re.escape(city)
    before = (
        rf"{_OFFICE_WORD.pattern}\s+(du cnrs\s+|of the cnrs\s+|cnrs\s+)?(de |d'|a |à |in |at |en |of )?{city}"
    )
    return bool(re.search(rf"{before}|{city}\s+(cnrs\s+)?(office|bureau)", folded))


def _first_alias(folded: str, entity: Entity) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for alias in entity.aliases:
        if alias not in folded:
            continue
        m = _alias_pattern(alias).search(folded)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end())
    return best


# An acronym or mixed-case token (IRASEC, ElyT-MaX, CNRS@CREATE, BMC²), or a run of capitalised words
# joined by the usual particles (Bolt's Farm, Jean-Christophe Yoccoz, Maison Irène et Frédéric Joliot-Curie).
_ACRONYM = re.compile(r"(?<![\w@-])(?=[\w@²-]*[A-Z][\w@²-]*[A-Z])[A-Za-z][\w@²-]*(?![\w@²-])")
_TITLE_RUN = re.compile(
    r"(?<![\w@'’-])[A-ZÀ-Ý][\wà-ÿ'’-]*(?:(?:\s+(?:(?:de|du|des|d'|of|la)\s+)?|\s+(?:de\s+l|d)['’])[A-ZÀ-Ý][\wà-ÿ'’-]*)*"
)
_QUOTED = re.compile(
    r"[«\"“]\s*([^«»\"“”]{3,60}?)\s*[»\"”]|(?:(?<=\s)|^)['‘]([^'‘’]{3,60}?)['’](?=[\s,.;:?!]|$)"
)
# Acronyms of three letters that are also words: typed in lower case, they are the word ("mon ami", "a new
# era"), not the acronym (AMI, ERA); other lower-case acronyms ("l'erc", "le spv", "pdg") are the acronym.
_LOWER_WORDS = frozenset({"ami", "era", "cis", "nis", "noa", "mae", "ceo", "cog", "usp"})
_OFFICE_WORD = re.compile(r"\b(bureau|bureaux|office|offices|antenne|branch|representation)\b")
# "our accounts are handled by “the office”": a common phrase in quotes names nothing
_COMMON_QUOTED = re.compile(
    r"^((the|le|la|l'|les|un|une|a|an|our|notre|my|mon|ma)\s*)?(office|bureau|lab|labo|laboratoire|unit|unite"
    r"|institute|institut|direction|directorate|service|pole|team|equipe|siege|headquarters|hq)s?$"
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
    January February March April May June July August September October November December
    Janvier Février Mars Avril Mai Juin Juillet Août Septembre Octobre Novembre Décembre
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche
    Paris
    """.split()
)
_GENERIC_HEADS = frozenset(
    fold(w)
    for w in """
    Université University Universidad Universidade Institut Institute Centre Center Office Bureau
    Laboratoire Laboratory Lab Programme Program Project Projet Direction Directorate Ministère Ministry
    Europe Afrique Africa Asie Asia Amérique America Americas Amériques Océanie Oceania France French Français
    Française Union Commission CNRS Directorate Division Department Relations International Internationales
    Européennes European Research Recherche
    """.split()
)


_PARTNER_WORD = re.compile(r"\b[A-Z][\w-]{2,}")


def _tool_partners(
    text: str, found: Sequence[tuple[int, int, Entity]], world: World
) -> list[tuple[int, str, bool]]:
    """A structure named by its type and its partner a few words apart: "l'IRC avec l'Université
    d'Arizona" is the "IRC Arizona" the corpus speaks of (a name only when the corpus uses it)."""
    out: list[tuple[int, str, bool]] = []
    for start, end, entity in found:
        if entity.kind != "tool" or not entity.key.isupper() or len(entity.key) > 6:
            continue
        window = text[end : end + 60]
        window = re.split(r"[.?!;]", window, maxsplit=1)[0]
        for m in _PARTNER_WORD.finditer(window):
            at = end + m.start()
            if any(a <= at < b for a, b, _ in found):
                continue  # a country or an office ("IRL ... au Japon"): a place, not a partner's name
            name = f"{entity.key} {m.group(0)}"
            if (
                world.known(fold(name))
                and fold(m.group(0)) not in _NOT_NAMES
                and m.group(0) not in _TOO_GENERAL
            ):
                # "l'IRC avec l'Université d'Arizona" links a partner; "l'UMI MSE" is the unit's own name
                linked = bool(window[: m.start()].strip(" ,'’"))
                out.append((start, name, linked))
                break
    return out


def _tool_partner_entity(name: str) -> Entity:
    """ "IRC Imperial": named by its type and its partner together, never by the partner alone (a
    sentence on Imperial College's part in the PhD Joint Programs is not about the IRC with it)."""
    kind, partner = fold(name).split(" ", 1)
    links = ("", "avec ", "avec l'", "avec la ", "avec le ", "with ", "with the ", "de l'", "de la ", "de ")
    aliases = {f"{kind} {link}{partner}".replace("' ", "'") for link in links} | {f"{partner} {kind}"}
    return replace(name_entity(name), aliases=tuple(sorted(aliases, key=len, reverse=True)))


def _names(text: str, world: World) -> list[tuple[int, str]]:
    """Named structures and people of `text` that the corpus uses, with their offsets."""
    out: list[tuple[int, str]] = []
    for m in _QUOTED.finditer(text):
        group = 1 if m.group(1) else 2
        name = m.group(group).strip()
        if world.known(fold(name)) and fold(name) not in _NOT_NAMES and not _COMMON_QUOTED.match(fold(name)):
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
        rest = " ".join(words[1:]).strip(" .,'’")
        if (
            len(words) >= 3
            and words[0].isupper()
            and (not world.known(fold(name)) or world.known(fold(rest)))
        ):
            # "du PDG Antoine Petit": a title's acronym before a person's name is not part of it
            start += len(words[0]) + 1
            words = words[1:]
            name = " ".join(words).strip(" .,'’")
        if len(words) == 1 and (
            first_at_sentence_start
            or fold(name) in _GENERIC_HEADS
            # "PhD", "eMail": a word in mixed case, not the name of something the CNRS runs
            or (not name.istitle() and not name.isupper() and world.speller.is_common(name))
        ):
            continue
        if fold(name) in _NOT_NAMES or name in _TOO_GENERAL or len(name) < 3 or not world.known(fold(name)):
            continue
        if (
            len(words) == 1
            and world.speller.is_common(name)
            and re.match(r"\s+(de|du|des|d'|of|pour|for)\b", text[start + len(name) :])
        ):
            continue  # "la présidence du Conseil de l'UE": the head of a longer name, not a name itself
        out.append((start, name))
    # Lower-case acronyms the corpus spells in capitals: "ifcam?", "dsca c'est quoi".
    for m in re.finditer(r"(?<![\w@-])[a-z0-9@²-]{3,}(?![\w@-])", text):
        canonical = world.speller.names.get(m.group(0))
        if canonical and (
            # "descartes a singapour": a common word is the name when the documents never write it in lower case
            not world.speller.is_common(m.group(0)) or m.group(0) not in world.speller.in_lower_case
        ):
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


def name_entity(name: str) -> Entity:
    """The entity of a structure, body or person named in a text ("NRF", "IRL CROSSING")."""
    folded = fold(name)
    aliases = {folded}
    parts = folded.split()
    # "IRL CROSSING" is also "CROSSING"; "LIA HOMEN" also "HOMEN": the type word is often left out.
    if len(parts) >= 2 and parts[0].upper() in STRUCTURE_TYPES:
        aliases.add(" ".join(parts[1:]))
    first = name.split()[0] if " " in name else ""
    if (
        len(first) >= 3
        and "-" not in first  # "Minh-Hà Pham" is a person's name, not an acronym and a place
        and sum(c.isupper() for c in first[:3]) >= 2
        and first.upper() not in STRUCTURE_TYPES
    ):
        aliases.add(fold(first))  # "IISc de Bangalore" is also "l'IISc"
    return Entity(
        kind="name",
        key=folded,
        labels={"fr": name, "en": name},
        aliases=tuple(sorted(aliases, key=len, reverse=True)),
    )
