"""Pure: what the directories say about a collaboration or a country, worded for a sentence.

`collaboration_stage` reads the stage a described collaboration is at (a first contact, an established
collaboration, a network, a joint laboratory, a joint PhD) from its cues; the planner recommends the
tool of that stage (tools.yaml). `tool_label` and `country_in_sentence` give names as a sentence uses
them: "l'IEA (International Emerging Action)", "les États-Unis", "the Philippines".
"""

from __future__ import annotations

import re

from assistant.analysis import fold
from assistant.directory import Tool

_NEGATED_PUBLICATIONS = re.compile(
    r"(sans|aucune|pas de|pas encore de) (publications?|co-?publications?|articles?)( communs?| communes?)?"
    r"( prealables?)?|"
    r"(no|without|not yet any|not any) (joint |co-?)?(publications?|papers?|articles?)( together| yet)?|"
    r"(never|not yet|haven't|have not|n'avons (encore )?(rien|jamais)|(rien|jamais)) (co-?)?(published|publie)"
    r"( (together|ensemble|with them|en commun))?"
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
            r"\b(laboratoire commun|joint lab\w*|shared lab\w*|common lab\w*|labo commun|laboratoire partage"
            r"|laboratoire international|"
            r"international research lab\w*|implante|site commun|shared site|long terme|"
            r"long-term|durable\w*|lasting|permanent|on site|locaux communs|shared premises|common premises"
            r"|same premises|reunir nos equipes|bring (our|the) teams together|site unique|single site"
            r"|share (the same |our |common |a |an )?(premises|site|building|lab)|partager (des|les memes|nos|un) (locaux|site|batiment)"
            r"|same place|meme lieu)\b"
        ),
    ),
    (
        "consolidating",
        re.compile(
            r"\b(deja|already|publications communes|joint publications|co-?publications|"
            r"consolider|consolidate|renforcer|strengthen|etablie|established|5 ans|"
            r"cinq ans|five years|5 years|5-year|five-year|mature|co-?authored|co-?signed|cosigne\w*"
            # "notre collaboration qui dure depuis 3 ans", "we've worked together for four years"
            r"|(dure|existe|travaill\w+ ensemble) depuis (\d+|deux|trois|quatre|plusieurs) ans"
            r"|(for|over) (the (last|past) )?(\d+|two|three|four|several) years"
            r"|co-?ecrit\w*|papers|articles communs|published together|publie ensemble|footing)\b"
        ),
    ),
    (
        "emerging",
        re.compile(
            r"\b(premiere|first|1ere|1re|1st|nouvelle|new|demarr\w*|start\w*|commenc\w*|begin\w*|emergent\w*|emerging|"
            r"initier|2 ans|deux ans|two years|2 years|2-year|two-year|debut|beginning|explor\w*|try out|trying out"
            r"|tester|essayer|pilot|couple of years"
            # short missions are what an IEA pays for
            r"|mobilites? courtes?|courtes? mobilites?|missions? courtes?|courtes? missions?|courts? sejours?"
            r"|short (visits?|stays?|missions?|trips?|mobility)|short-term (visits?|mobility|missions?))\b"
        ),
    ),
)


def collaboration_stage(question: str) -> str | None:
    """The stage a described collaboration is at, from its cues; None when nothing says."""
    folded = _NEGATED_PUBLICATIONS.sub(" premiere ", fold(question))
    counts = {stage: len(p.findall(folded)) for stage, p in _STAGE_CUES}
    best = max(counts.values())
    if best == 0:
        return None
    return next(stage for stage, _ in _STAGE_CUES if counts[stage] == best)


def tool_label(tool: Tool, lang: str) -> str:
    """The tool's name for a sentence: \"l'IEA (International Emerging Action)\", \"the IRN ...\"."""
    name = tool.names.get(lang) or tool.names.get("en") or tool.id
    if not tool.acronym:
        return f"« {name} »" if lang == "fr" else f"the {name}"
    article = "the "
    if lang == "fr":
        article = "l'" if tool.acronym[:1] in "AEIOUY" else "le "
        if re.match(r"^[\w-]+[sx]\b", name) and not name.startswith(tool.acronym):
            article = "les "  # "les Observatoires Hommes-Milieux (OHM)"
    if name and tool.acronym not in name:
        return f"{article}{tool.acronym} ({name})"
    return f"{article}{name or tool.acronym}"


# -- country names in a sentence ------------------------------------------------------------------------

_FR_NO_ARTICLE = frozenset(
    fold(n)
    for n in """Singapour Madagascar Cuba Malte Chypre Maurice Taïwan Taiwan Israël Oman Bahreïn Brunei Monaco Haïti
    Sri-Lanka Hong-Kong Macao Djibouti Tonga Samoa Nauru Tuvalu Kiribati Palaos Timor-Leste Saint-Marin
    Antigua-et-Barbuda Saint-Christophe-et-Niévès Saint-Vincent-et-les-Grenadines Sainte-Lucie""".split()
) | {"sri lanka", "hong kong", "sao tome-et-principe", "trinite-et-tobago", "timor oriental"}
_FR_PLURAL = frozenset(
    fold(n)
    for n in """États-Unis Philippines Comores Maldives Seychelles Pays-Bas Fidji Bahamas Émirats""".split()
) | {"emirats arabes unis", "iles salomon", "iles marshall"}
_FR_MASCULINE_E = frozenset(
    fold(n) for n in "Mexique Cambodge Mozambique Zimbabwe Belize Suriname Zaïre Bélize Royaume".split()
)
_FR_FEMININE = frozenset({"sierra leone"})  # head nouns that do not end in e
_FR_ASPIRATED_H = frozenset({"honduras", "hongrie"})  # "le Honduras", "la Hongrie"
_EN_THE = re.compile(
    r"^(united |republic |democratic |philippines|netherlands|comoros|maldives|seychelles|bahamas|gambia)"
    r"|\b(republic|islands|emirates|kingdom|states)\b",
    re.I,
)


def country_in_sentence(name: str, lang: str) -> str:
    """A country's name as a sentence uses it: "le Japon", "les États-Unis", "Singapour", "the Philippines"."""
    folded = fold(name)
    if lang == "en":
        return f"the {name}" if _EN_THE.search(name) else name
    if folded in _FR_NO_ARTICLE:
        return name
    if folded in _FR_PLURAL or folded.split()[0] in _FR_PLURAL:
        return f"les {name}"
    if folded[:1] in "aeiou" or (folded[:1] == "h" and folded.split()[0] not in _FR_ASPIRATED_H):
        return f"l'{name}"
    head = re.split(r"[\s-]", folded)[0]  # "Corée du Sud", "Guinée-Bissau": the gender is the head noun's
    if (head.endswith("e") and head not in _FR_MASCULINE_E) or folded in _FR_FEMININE:
        return f"la {name}"
    return f"le {name}"


def plural_country(name: str, lang: str) -> bool:
    folded = fold(name)
    return (lang == "fr" and (folded in _FR_PLURAL or folded.split()[0] in _FR_PLURAL)) or (
        lang == "en" and folded in ("philippines", "comoros", "maldives", "seychelles", "bahamas")
    )


def contract(text: str) -> str:
    """French contractions after a filled-in template: "à le bureau" -> "au bureau", "à les" -> "aux"."""
    return re.sub(r"\bà les\b", "aux", re.sub(r"\bà le\b", "au", text))


def join_names(names: list[str], lang: str) -> str:
    """ "a, b et c" / "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    last = " et " if lang == "fr" else " and "
    return ", ".join(names[:-1]) + last + names[-1]
