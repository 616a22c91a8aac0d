"""Pure: what one part of a question asks — its intent (list, compare, definition, procedure, who,
when, where, how many, yes/no, recommendation), the attributes it asks about (`lexicon.ATTRIBUTES`, the
first named first), its years and its time qualifier (today, first, around, since, before, after).

Reads folded text only; what the part is about (its entities) is `assistant.recognition`.
"""

from __future__ import annotations

import re

from assistant.analysis import fold
from assistant.lexicon import AROUND, ATTRIBUTES, BEFORE, FIRST, FUTURE, INTENTS, TODAY, YEAR, YEAR_RANGE

__all__ = ["attributes", "intent", "time", "years"]


_RELATIVE = re.compile(
    r"\b(bureau|bureaux|office|offices|outil|outils|tool|tools|dispositif|pays|country|structure|laboratoire"
    r"|lab|programme|appel|call) (qui|that|which) "
)


_ASKS_WHICH = re.compile(
    r"^\W*(quels?|quelles?|which|what|qui|who|quand|when|ou|where|combien|how|comment|pourquoi|why)\b"
)
_ASKS_WHICH_PLURAL = re.compile(r"^\W*(quels|quelles|which (?!cnrs\b)\w+s)\b")


# "quels services ... travaille-t-il avec ?", "which ones?": plural for sure ("which cities had an office" may
# ask one city each)
_WHICH_PLURAL_OF_THEM = re.compile(r"^\W*(quels|quelles|which ones)\b")
_RESEMBLES = re.compile(r"\b(ressembl\w*|similar\w*|comparable|equivalent|close to|proche de|like which)\b")


_SOMETHING_LIKE = re.compile(
    r"\b(something|anything|quelque chose|rien|one|any|un|une|aucune?|structures?) (de |d')?(vraiment )?"
    r"(comparable|similar|equivalent|equivalente|semblable|similaire|pareil|pareille)\b"
)


# A second closed question joined by "or": the asker offers two alternatives (a bare French "ou" is also a
# folded "où")
_ALTERNATIVE = re.compile(
    r"\b(or|ou bien)\s+(does|do|is|are|can|could|must|should|has|have|will|would|did|est-ce qu\w*|faut-il"
    r"|doit-\w+|doivent-\w+|peut-\w+|peuvent-\w+|c'est)\b"
)


_CONTRAST = re.compile(r"\b(rather than|instead of|plutot que|au lieu de|et non (pas )?)\b")
_OPENS_ON_ONE_THING = re.compile(
    r"^\W*(since when|depuis quand|when|quand|who|qui|where|ou|how many|how much|combien|in which year"
    r"|en quelle annee|which year)\b"
)


def _compares_besides_contrast(folded: str) -> bool:
    return any(name == "compare" and pattern.search(folded) for name, pattern in INTENTS)


_STEPS = re.compile(r"\b(steps?|etapes?|demarches?|procedures?) (to|for|pour|a suivre)\b")


def intent(text: str) -> str:
    # "Le bureau qui couvre le Maroc, c'est lequel ?": "qui" there relates a clause, it does not ask who
    folded = _RELATIVE.sub(r"\1 ", fold(text))
    found = [name for name, pattern in INTENTS if pattern.search(folded)]
    if "yes_no" in found and _ASKS_WHICH.match(folded):
        # "Quels IRC le CNRS a-t-il créés ?": the inverted verb does not make it a yes-or-no question
        found = [name for name in found if name != "yes_no"]
        if _ASKS_WHICH_PLURAL.match(folded) and "list" not in found:
            found.append("list")
    if "yes_no" in found and _ALTERNATIVE.search(folded):
        # "Can I apply myself, or does the application have to come from the French side?": which of the
        # two, not yes or no
        found = [name for name in found if name != "yes_no"]
    counting = re.search(r"\bhow (long|many|much|often)\b|\bcombien\b|\bnombre de\b|\bnumber of\b", folded)
    if not found and not counting and _WHICH_PLURAL_OF_THEM.match(folded):
        return "list"  # "quels services de l'ambassade le bureau travaille-t-il avec ?", "which ones?"
    if not found:
        return "how_many" if counting else "general"
    closed = "yes_no" in found or re.search(r"\w-(t-)?(il|elle|ils|elles)\b", folded)
    if (
        "compare" in found
        and _OPENS_ON_ONE_THING.match(folded)
        and not _compares_besides_contrast(_CONTRAST.sub(" ", folded))
    ):
        # "Since when has the office covered the whole continent, rather than just Brazil?": a date asked,
        # the contrast says of what; nothing is compared side by side
        found = [name for name in found if name != "compare"]
        if not found:
            return "how_many" if counting else "general"
    if "compare" in found and closed and _SOMETHING_LIKE.search(folded):
        return "yes_no"  # "Does any other country have something comparable?": whether one exists
    if "compare" in found:
        return "compare"
    if "recommend" in found and _RESEMBLES.search(folded):
        # "Core-to-Core ressemble à quel outil du CNRS ?" asks what a named scheme is like, not advice
        found = [name for name in found if name != "recommend"]
    if "recommend" in found:
        return "recommend"
    if "procedure" in found and not counting and _STEPS.search(folded):
        return "procedure"  # "What are the steps to set up an IRL?": steps, not a list of IRLs
    if (
        "list" in found
        and not counting
        and not (
            "definition" in found
            and not re.search(
                r"\b(what|which) are (the|its|their|[\w-]+'s)\b|quels sont|quelles sont", folded
            )
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


_ASKED_RIGHT_BEFORE = re.compile(r"\b(quel|quelle|quels|quelles|which|what)\s+$")


def attributes(folded: str) -> tuple[str, ...]:
    """The attributes a part asks about, the first named first."""
    # "an open call", "un appel ouvert": a call, not an opening.
    folded = re.sub(r"\bopen (calls?|campaign)|\b(appels?|campagne) ouverte?s?\b", " call ", folded)
    # "when was the campaign open?", "la campagne était ouverte quand ?": the call's dates
    folded = re.sub(
        r"\b(campaigns?|calls?|campagnes?|appels?)(\s+(19|20)\d\d)?(\s+(was|is|were|are|remained|etait|est|sont"
        r"|etaient|restait))?\s+(open|ouverte?s?)\b",
        " call ",
        folded,
    )
    # "still open", "toujours ouvert": whether it has closed since, not when it opened.
    folded = re.sub(r"\b(still|toujours|encore) (open|ouverte?s?)\b", " still running ", folded)
    found: list[tuple[int, str]] = []
    eligibility = ""
    for attribute in ATTRIBUTES:
        m = attribute.question.search(folded)
        if m is None:
            continue
        if attribute.name == "count" and re.search(
            r"combien de temps|how long|how many times|combien de fois|combien d'annees|how many years"
            r"|combien de mois|how many months",
            folded,
        ):
            continue
        found.append((m.start(), attribute.name))
        if attribute.name == "eligibility":
            eligibility = m.group(0)
    # "le dépôt se fait sur quelle plateforme ?": what the question word points at comes first
    found.sort(key=lambda pair: (not _ASKED_RIGHT_BEFORE.search(folded[: pair[0]]), pair[0]))
    names = [name for _, name in found]
    if "selection" in names and "eligibility" in names and eligibility in ("criteres", "criteria"):
        names.remove("eligibility")  # "Sur quels critères une IEA est-elle jugée ?": how it is selected
    if (
        "count" in names
        and {"funding", "costs"} & set(names)
        and not re.search(r"\bcombien d[e']|\bhow many\b|\bnombre\b|\bnumber\b", folded)
    ):
        names.remove("count")  # "Combien finance une IEA ?": how much money, not how many of something
    return tuple(names)


def years(folded: str) -> list[int]:
    years = [int(y) for y in YEAR.findall(folded)]
    m = YEAR_RANGE.search(folded)
    if m:
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        if b - a <= 15:
            years = sorted(set(years) | set(range(a, b + 1)))
    return years


_THAT_TIME = re.compile(
    r"\b(that|this|the same) (time|period)\b|\b(cette|la meme) (epoque|periode|date)\b|\bthen\b"
)


# When the asker plans something ("je pars l'an prochain", "as I leave next year, ..."): their timeline, not a
# question about what has not happened yet
_ASKERS_TIMELINE = re.compile(
    r"\b(l'an prochain|l'annee prochaine|le mois prochain|next year|next month|this coming year)\b"
    r"|^\W*(comme|puisque|parce que|as|since|because)\b[^,]*,"
)


def time(folded: str) -> str | None:
    planned = _ASKERS_TIMELINE.sub(" ", folded)
    if FUTURE.search(planned) and not re.search(r"\b(prochaine? etape|next step|etape suivante)\b", folded):
        return "future"
    if TODAY.search(folded):
        return "today"
    if FIRST.search(folded):
        return "first"
    if (AROUND.search(folded) and (YEAR.search(folded) or _THAT_TIME.search(folded))) or YEAR_RANGE.search(
        folded
    ):
        return "around"  # "around 2017", "vers cette époque"; not "tell me about the Brussels office"
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
