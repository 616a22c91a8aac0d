"""Pure: what a "how many" question counts, and whether a sentence gives a number of it.

"How many people work at the DEI?" counts people: "DEI lists four missions" gives a number, but of
missions; "70 CNRS staff near the Tokyo office" counts people, but not at the DEI (the caller checks the
subject). `counted_of` reads the counted noun from the question (with the synonyms people use: "labos",
"staff"); `counts` says whether a sentence puts a number on it ("environ 5 à 8 laboratoires", "des quatre
IRL", "more than 200 researchers"), not a duration, an amount, a share or a date ("dure 2 ans", "5 000 €",
"28 septembre"), nor "the two countries" just named.
"""

from __future__ import annotations

import functools
import re

from assistant.analysis import fold, text_stems
from assistant.parts import SubQuestion
from assistant.selection import Sentence

__all__ = ["A_NUMBER", "counted_of", "counts"]


_HOW_MANY = re.compile(
    r"\b(?:how many|combien (?:(?:y a-t-il|il y a|existe-t-il|compte-t-on) )?(?:de |d')|(?:le |the )?nombre"
    r" (?:de |d'|of )|number of )(?P<what>[^?.,;]+)"
)
_TIME_COUNTED = frozenset(
    "times fois years ans annees temps temp tps time".split()
)  # a duration or a frequency
_MONEY = frozenset(
    "budget budgets argent money euros financement funding credits fonds dotation sous".split()
)
_PEOPLE = "people person persons personnes personne staff personnel agents employees salaries effectifs"
_GRANTS = "bourses bourse grants grant laureats laureat laureates laureate winners grantees projets projects"
_COUNT_STOP = re.compile(
    r"\s(?:does|do|did|are|is|were|was|has|have|can|could|work\w*|travaill\w*|sont|est|ont|a|le|la|les|l'|il|elle"
    r"|y|en|dans|in|at)\b"
)


_NUMBER_WORD = (
    r"((?!(19|20)\d\d\b)\d[\d\s.,]*|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|two|three|four|five|seven|eight|nine|ten"
    r"|dozen|douzaine|dizaine|vingtaine|trentaine|centaine|hundreds?)"
)
_THE_TWO = re.compile(r"\b(des|les|the|ces|these) (deux|two)\b")  # "des deux pays": the two just named


def counts(sentence: Sentence, counted: frozenset[str]) -> bool:
    """Whether the sentence gives a number of the thing counted ("environ 5 à 8 laboratoires", "des
    quatre IRL"), not only names it ("une page du laboratoire LEMAR", "des deux pays")."""
    # "structures" and "structurées" stem apart ("structur", "structure"): a shared start of five
    # letters or more is the same word
    near = {
        t
        for t in sentence.stems
        for c in counted
        if len(c) >= 5 and len(t) >= 5 and (t.startswith(c) or c.startswith(t))
    }
    if counted.isdisjoint(sentence.stems) and not near:
        return False
    stems = "|".join(re.escape(s) for s in sorted(counted | near, key=len, reverse=True))
    folded = _THE_TWO.sub(" ", sentence.folded)
    return any(
        not _UNIT.match(folded, m.end("n"))
        for pattern in _count_patterns(stems)
        for m in pattern.finditer(folded)
    )


@functools.lru_cache(maxsize=1024)  # one pair per set of counted stems; `re`'s own cache holds 512 patterns
def _count_patterns(stems: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    # A figure, not a duration, a share or an amount: "5 à 8 laboratoires", not "dure 2 ans, selon
    # l'appel IEA"; "researchers posted abroad ...: more than 200", not "une IEA apportait 5 000 €".
    before = rf"\b(?P<n>{_NUMBER_WORD})\b(\W+\w+){{0,3}}?\W+({stems})"
    after = rf"\b({stems})\w*(\W+\w+){{0,10}}?\W+(plus de |more than |about |environ )?(?P<n>(?!(19|20)\d\d\b)\d+)\b"
    return re.compile(before), re.compile(after)


A_NUMBER = re.compile(r"\b(nombre|number|combien|how many|count\w*|compte\w*|chiffre\w*|figure)\b")
_UNIT = re.compile(
    r"[\d\s.,]*((a|to|-)\s*[\d\s.,]*)?(ans?|years?|mois|months|%|€|euros?|k€|m€|(er )?(janvier|fevrier|mars"
    r"|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february|march|april|may|june"
    r"|july|august|september|october|november|december))"
)  # a duration, a share, an amount or a date, not a count


def counted_of(sub: SubQuestion) -> frozenset[str]:
    """The stems of what a "how many" part counts ("how many people work..." -> people and its synonyms);
    empty when it counts time or asks no count."""
    if sub.intent != "how_many":  # "combien d'IEA le CNRS finance-t-il ?" counts IEAs, whatever the verb
        return frozenset()
    m = _HOW_MANY.search(fold(sub.text))
    if m is None:
        return frozenset()
    what = m.group("what")
    stop = _COUNT_STOP.search(" " + what)
    if what.split()[0] in _TIME_COUNTED or what.split()[0] in _MONEY:
        return frozenset()  # "combien de budget ?": an amount, not things to count
    words = [w for w in (what[: stop.start() - 1] if stop else what).split()[:3] if w != "cnrs"]
    # "projets IRN", "ERC grants": the tool names which projects; the projects are what is counted
    acronyms = {fold(a) for a in re.findall(r"\b[A-Z][A-Z0-9]{1,5}s?\b", sub.text)}
    words = words[:1] + [w for w in words[1:] if w not in acronyms and w.rstrip("s") not in acronyms]
    if not words:
        return frozenset()
    text = " ".join(words)
    for entity in sub.entities:
        if entity.kind == "tool" and any(what.strip().startswith(a) for a in entity.aliases if " " in a):
            # "How many International Research Laboratories?": "75 IRLs" counts them too
            text += f" {fold(entity.key)}"
    if any(w in _PEOPLE.split() for w in words):
        text += " " + _PEOPLE
    if any(w in ("labo", "labos", "lab", "labs") for w in words):  # how people write "laboratoires"
        text += " laboratoires laboratories"
    if any(w in _GRANTS.split()[:9] for w in words):  # an ERC grant is a laureate's project
        text += " " + _GRANTS
    return text_stems(text)
