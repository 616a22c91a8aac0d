"""Pure: answers that come straight from the directories — which office covers a country, which
countries an office covers, which tool fits a collaboration. Each statement names the page that must
back it; the chain cites that page's best passage and drops the statement if none supports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.analysis import fold
from assistant.directory import Office, OfficeDirectory, Tool, ToolDirectory
from assistant.prompts import (
    COVERAGE,
    ROUTE_COUNTRY,
    ROUTE_COUNTRY_POLE,
    TOOL_RECOMMENDATION,
    TOOL_SITUATIONS,
)


@dataclass(frozen=True)
class Statement:
    """A sentence built from a directory, and the document (id) whose passage must support it."""

    text: str
    doc_id: str
    query: str  # what to search within that document to find the supporting passage
    keys: tuple[str, ...] = ()  # names a follow-up sentence must mention to be shown after this one


# "Which office covers X?", "à quel bureau m'adresser ?", "qui contacter ?" — but not "le bureau de X":
# a question about an office itself is answered from its page, not from the directory.
_OFFICE_INTENT = re.compile(
    r"\b((quel|quels|which|what)( \w+){0,2} (bureau|bureaux|office|offices|antenne|branch)|"
    r"couvr\w*|cover\w*|suit|suivent|follows?|releve\w*|responsible|handles?|contacter|contact|adresser|"
    r"interlocuteur|in charge|en charge|charge de|s'occupe|deals? with|turn to)\b"
)
_COVERAGE_INTENT = re.compile(r"\b(pays|countries|country|zone|region|couvre|cover|covers|perimetre)\b")
_TOOL_INTENT = re.compile(
    r"\b(quel outil|quels outils|which tool|what tool|quel dispositif|quel instrument|which instrument|"
    r"which scheme|which cnrs tool|outil choisir|tool fits|outil adapte|which mechanism|quel cadre|"
    r"what kind of (project|structure)|quel type de (projet|structure)|tool should|outil faut-il|"
    r"outil du cnrs|cnrs tool)\b"
)
_NEGATED_PUBLICATIONS = re.compile(
    r"(sans|aucune|pas de) (publications?|co-?publications?)( communes?)?( prealables?)?|"
    r"(no|without|not yet any) (joint |co-?)?publications?"
)
_STAGE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "training",
        re.compile(r"\b(doctorat|doctoral|phd|these|thesis|cotutelle|doctorant|doctoral students?)\b"),
    ),
    (
        "network",
        re.compile(
            r"\b(reseau|network|plusieurs (laboratoires|labos|equipes|pays)|several (labs|laboratories|teams"
            r"|countries)|thematique|thematic|communaute|community|six|many labs|workshops?|ateliers?"
            r"|ecoles? thematiques?|thematic schools?|(three|four|five|trois|quatre|cinq) (cnrs )?(teams|equipes"
            r"|labs|laboratoires))\b"
        ),
    ),
    (
        "structure",
        re.compile(
            r"\b(laboratoire commun|joint lab\w*|laboratoire international|"
            r"international research lab\w*|implante|site commun|shared site|long terme|"
            r"long-term|durable\w*|lasting|permanent|on site|locaux communs|shared premises|common premises"
            r"|same premises|reunir nos equipes|bring (our|the) teams together|site unique|single site"
            r"|same place|meme lieu)\b"
        ),
    ),
    (
        "consolidating",
        re.compile(
            r"\b(deja|already|publications communes|joint publications|co-?publications|"
            r"consolider|consolidate|renforcer|strengthen|etablie|established|5 ans|"
            r"cinq ans|five years|5 years|5-year|five-year|mature|co-?authored|co-?signed|cosigne\w*"
            r"|co-?ecrit\w*|papers|articles communs|published together|publie ensemble|footing)\b"
        ),
    ),
    (
        "emerging",
        re.compile(
            r"\b(premiere|first|nouvelle|new|demarr\w*|start\w*|emergent\w*|emerging|"
            r"initier|2 ans|deux ans|two years|2 years|2-year|two-year|debut|beginning|explor\w*)\b"
        ),
    ),
)


def office_statements(question: str, lang: str, offices: OfficeDirectory) -> list[Statement]:
    """Directory answers for a question that asks which office covers a place, or what an office covers."""
    folded = fold(question)
    places = offices.find(question)
    if not places:
        return []
    cities = [p for p in places if _is_city(p.surface, p.office) and p.office.kind == "office"]
    if cities and _COVERAGE_INTENT.search(folded) and len(places) == len(cities):
        return [_coverage_statement(cities[0].office, lang)] if cities[0].office.countries else []
    countries = [p for p in places if p.country is not None]
    if countries and _OFFICE_INTENT.search(folded):
        return [_country_statement(p.country.name(lang), p.office, lang) for p in countries[:3] if p.country]
    return []


def _is_city(surface: str, office: Office) -> bool:
    return fold(surface) in {fold(c) for c in (*office.city.values(), *office.city_aliases)}


def _coverage_statement(office: Office, lang: str) -> Statement:
    names = ", ".join(c.name(lang) for c in office.countries)
    city = office.text("city", lang)
    text = COVERAGE[lang].format(city=city, countries=names, zone=office.text("zone", lang))
    return Statement(text, office.page(lang), f"{names} {office.text('zone', lang)}")


def _country_statement(country: str, office: Office, lang: str) -> Statement:
    name = office.text("names", lang)
    if office.kind == "pole":
        text = ROUTE_COUNTRY_POLE[lang].format(country=country, pole=name)
        return Statement(
            text, office.page(lang), f"{country} {name} {office.text('note', lang)}", keys=(country,)
        )
    else:
        text = ROUTE_COUNTRY[lang].format(
            country=country[:1].upper() + country[1:],
            city=office.text("city", lang),
            zone=office.text("zone", lang),
        )
    city = office.text("city", lang)
    return Statement(
        text,
        office.page(lang),
        f"{country} {city} {office.text('zone', lang)}",
        keys=(country, city, *office.city_aliases),
    )


def collaboration_stage(question: str) -> str | None:
    """The stage a described collaboration is at, from its cues; None when nothing says."""
    folded = _NEGATED_PUBLICATIONS.sub(" premiere ", fold(question))
    counts = {stage: len(p.findall(folded)) for stage, p in _STAGE_CUES}
    best = max(counts.values())
    if best == 0:
        return None
    return next(stage for stage, _ in _STAGE_CUES if counts[stage] == best)


def tool_statements(question: str, lang: str, tools: ToolDirectory) -> list[Statement]:
    """A recommendation when the question asks which tool fits the collaboration it describes."""
    folded = fold(question)
    if not _TOOL_INTENT.search(folded):
        return []
    stage = collaboration_stage(question)
    tool = tools.by_stage(stage) if stage else None
    if tool is None or stage is None:
        return []
    return [
        Statement(
            TOOL_RECOMMENDATION[lang].format(
                situation=TOOL_SITUATIONS[stage][lang], tool=tool_label(tool, lang)
            ),
            tool.page(lang),
            f"{tool.acronym or tool.names.get(lang, '')} {tool.text('stage_note', lang)} {tool.text('purpose', lang)}",
        )
    ]


def tool_label(tool: Tool, lang: str) -> str:
    """The tool's name for a sentence: \"l'IEA (International Emerging Action)\", \"the IRN ...\"."""
    name = tool.names.get(lang) or tool.names.get("en") or tool.id
    if not tool.acronym:
        return f"« {name} »" if lang == "fr" else f"the {name}"
    article = ""
    if lang == "fr":
        article = "l'" if tool.acronym[:1] in "AEIOUY" else "le "
    if name and tool.acronym not in name:
        return f"{article}{tool.acronym} ({name})"
    return f"{article}{name or tool.acronym}"


# -- country names in a sentence ------------------------------------------------------------------------

_FR_NO_ARTICLE = frozenset(
    fold(n)
    for n in """Singapour Madagascar Cuba Malte Chypre Maurice Taïwan Taiwan Israël Oman Bahreïn Brunei Monaco Haïti
    Sri-Lanka Hong-Kong Macao Djibouti Tonga Samoa Nauru Tuvalu Kiribati Palaos Timor-Leste""".split()
) | {"sri lanka", "hong kong", "sao tome-et-principe", "trinite-et-tobago", "timor oriental"}
_FR_PLURAL = frozenset(
    fold(n)
    for n in """États-Unis Philippines Comores Maldives Seychelles Pays-Bas Fidji Bahamas Émirats""".split()
) | {"emirats arabes unis", "iles salomon", "iles marshall"}
_FR_MASCULINE_E = frozenset(
    fold(n) for n in "Mexique Cambodge Mozambique Zimbabwe Belize Suriname Zaïre Bélize".split()
)
_EN_THE = re.compile(r"^(united |republic |democratic |philippines|netherlands|comoros|maldives|seychelles|bahamas|gambia)", re.I)


def country_in_sentence(name: str, lang: str) -> str:
    """A country's name as a sentence uses it: "le Japon", "les États-Unis", "Singapour", "the Philippines"."""
    folded = fold(name)
    if lang == "en":
        return f"the {name}" if _EN_THE.match(name) else name
    if folded in _FR_NO_ARTICLE:
        return name
    if folded in _FR_PLURAL or folded.split()[0] in _FR_PLURAL:
        return f"les {name}"
    if folded[:1] in "aeiouy" or folded.startswith(("h", "e")) and not folded.startswith("hongrie"):
        return f"l'{name}"
    if folded.endswith("e") and folded not in _FR_MASCULINE_E:
        return f"la {name}"
    return f"le {name}"


def plural_country(name: str, lang: str) -> bool:
    folded = fold(name)
    return lang == "fr" and (folded in _FR_PLURAL or folded.split()[0] in _FR_PLURAL) or (
        lang == "en" and folded in ("philippines", "comoros", "maldives", "seychelles", "bahamas")
    )


def join_names(names: list[str], lang: str) -> str:
    """"a, b et c" / "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    last = " et " if lang == "fr" else " and "
    return ", ".join(names[:-1]) + last + names[-1]
