"""Yes or no: the word that opens the answer to a closed question, read from the sentence that answers it.

"Une IEA peut-elle être renouvelée ?" is answered by "L'IEA dure 2 ans et n'est pas renouvelable": the
answer should open on "Non". The verdict is only given when the sentence plainly settles the question:
it names the subject, gives the asked property and holds most of the question's own words (for a "yes"),
or negates what is asked (for a "no"). A question that is itself negative ("n'y a-t-il pas...") or a
sentence that hedges gets no verdict: the sentence speaks for itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.analysis import fold
from assistant.prompts import YES_NO
from assistant.selection import Candidate

# Negations that say something is not so, not the fixed phrases that only look negative.
_FIXED = re.compile(
    r"\b(not[- ]for[- ]profit|non[- ]profit|sans but lucratif|a but non lucratif|not to be confused"
    r"|a ne pas confondre|ne pas confondre|non seulement|not only|sans murs|without walls|no later than)\b"
)
_NEGATION = re.compile(
    r"\b(n'|ne)\s*([\w'-]+\s+){0,3}?(pas|plus|jamais|aucun\w*|nullement)\b"
    r"|\b(not|never|cannot|no longer|none|no other|no one|nobody|nothing)\b|n't\b|\bnon[- ]\w+|\baucun\w*\b"
    r"|\bno (\w+ )?(call|office|longer)\b"
)
_HEDGE = re.compile(r"\b(peut-etre|possibly|perhaps|probablement|probably|parfois|sometimes|en general)\b")
_ALREADY = re.compile(r"^(oui|non|yes|no)\b", re.IGNORECASE)
_REPORTED = re.compile(r"\b(whether|asking|wonder\w*|se demand\w*|demandant si|savoir si)\b")
# "Un IRN doit-il porter sur une seule région, ou peut-on couvrir plusieurs continents ?", "Is it an IEA or
# an IRP?": a choice between options, which "yes" or "no" does not answer ("or not" still asks yes or no)
_ALTERNATIVE = re.compile(r"\b(ou|or)\s+(?!pas\b|non\b|not\b)(?=\S)")


def answers_yes_no(text: str) -> bool:
    """Whether a sentence opens on its own yes or no ("Non : aucun appel ne sert à créer un IRL.")."""
    return bool(_ALREADY.match(text))


# "Peut-on payer un salaire avec les crédits ?" answered by "... versés à l'unité, sans salaires": the sentence
# leaves out the very thing asked about. Not when the question says it too ("an IEA without joint papers?").
_EXCLUDING = re.compile(
    r"\b(?:sans|hors|without|excluding|except|excepte|pas de|no)\s+(?:les?\s+|la\s+|des\s+|d'|the\s+)?([a-z]{4,})"
)
# "Can an IRL have partners from two foreign countries?" answered by "partners from a single foreign country"
_SEVERAL = re.compile(r"\b(two|three|several|multiple|more than one|deux|trois|plusieurs|plus d'une?)\b")
_SINGLE = re.compile(r"\b(a single|one single|only one|un seul|une seule|single)\b")


# "Can the office help me?": only a sentence that says it helps, advises or supports settles it
_HELP_ASKED = re.compile(
    r"\b(m'aider|nous aider|aider|help|helps|appuyer|soutenir|support|assist|accompagner)\b"
)
_HELPS = re.compile(
    r"\b(aid\w*|help\w*|appui\w*|soutien\w*|support\w*|assist\w*|accompagn\w*|conseil\w*|advis\w*|guid\w*"
    r"|accueil\w*|welcom\w*|facilit\w*|orient\w*|relais|relay)\b"
)


def excludes(question: str, sentence_folded: str) -> bool:
    """Whether the sentence says "without" the thing the closed question asks about, or "a single" one
    where the question asks for several: a plain no."""
    folded = fold(question)
    if _SEVERAL.search(folded) and _SINGLE.search(sentence_folded) and not _SINGLE.search(folded):
        return True
    asked = {w[:5] for w in re.findall(r"[a-z]{4,}", folded)}
    said = {m.group(1)[:5] for m in _EXCLUDING.finditer(folded)}
    return any(m.group(1)[:5] in asked - said for m in _EXCLUDING.finditer(sentence_folded))


def offers_options(question: str) -> bool:
    """Whether a closed question offers a choice ("…, ou peut-on…", "an IEA or an IRP?")."""
    return bool(_ALTERNATIVE.search(fold(question)))


def negated(folded: str) -> bool:
    """Whether a folded sentence says that something is not so."""
    return bool(_NEGATION.search(_FIXED.sub(" ", folded)))


_FROM_THE_START = re.compile(
    r"\b(from the (start|beginning|outset)|at first|initially|des le (debut|depart)|des l'origine|au (debut|depart)"
    r"|depuis le debut|d'emblee)\b"
)
_AT_THE_START = re.compile(
    r"\b(premier|premiere|first|initial\w*|ouverture|opened|opening|creation|since its|des sa|from its)\b"
)
_STILL = re.compile(r"\b(still|toujours|encore)\b")


def verdict(question: str, answer: Candidate, attribute: str | None = None, years: Sequence[int] = ()) -> str:
    """ "yes", "no", or "" when the sentence answering the closed `question` does not plainly settle it.

    "Le bureau de Rio existe-t-il encore ?" answered by when it closed or moved: no.
    """
    sentence = answer.sentence
    if attribute == "closing" and _STILL.search(fold(question)):
        # "the Rio office did not close: it moved" speaks for itself
        settled = answer.attribute and answer.subject >= 1.0 and not negated(sentence.folded)
        return "no" if settled else ""
    if sentence.gap or _ALREADY.match(sentence.text) or _HEDGE.search(sentence.folded):
        return ""
    if _HELP_ASKED.search(fold(question)) and not _HELPS.search(sentence.folded):
        return (
            ""  # "Le bureau de Bruxelles peut-il m'aider ?" answered by what the office is for: no plain yes
        )
    if _REPORTED.search(sentence.folded):  # "a researcher asking whether..." restates, it does not settle
        return ""
    if _FROM_THE_START.search(fold(question)) and not _AT_THE_START.search(sentence.folded):
        # "Was it independent from the start?" answered by what happened in 2004: no plain yes
        return ""
    if negated(fold(question)) or offers_options(question):
        return ""  # "N'y a-t-il pas de bureau...?": "oui" and "non" are ambiguous; the sentence answers
    if answer.subject < 1.0:
        return ""
    if excludes(question, sentence.folded):
        return "no"
    if negated(sentence.folded):
        return "no" if answer.attribute or answer.words >= 0.5 else ""
    if answer.attribute and years and answer.sentence.years & set(years):
        return "yes"  # "did they hold a joint event in 2024?": an event of theirs in 2024
    return "yes" if answer.attribute and answer.words >= 0.5 else ""


# What opens the answer: "Non : l'IEA dure..." when the sentence starts on a word that can be lowered.
_LOWERABLE = re.compile(
    r"^(Le|La|Les|L'|L’|Un|Une|Des|Il|Elle|Ils|Elles|Ce|Cet|Cette|Ces|Son|Sa|Ses|Leur|Leurs|Depuis|En|Au|Aux"
    r"|Selon|D'après|The|A|An|It|They|Its|Their|This|These|Since|In|On|According)\b"
)


def with_verdict(text: str, word: str, lang: str) -> str:
    """`text` opened by the verdict: "Non : l'IEA dure 2 ans..." / "No. CNRS@CREATE is..."."""
    said = YES_NO["fr" if lang == "fr" else "en"][word]
    if _LOWERABLE.match(text):
        joiner = " : " if lang == "fr" else ": "
        return f"{said}{joiner}{text[:1].lower()}{text[1:]}"
    return f"{said}. {text}"


__all__ = ["answers_yes_no", "excludes", "negated", "offers_options", "verdict", "with_verdict"]
