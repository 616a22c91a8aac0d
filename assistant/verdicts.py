"""Pure: a reply read as its user reads it: its sentences, and whether it states a gap or a refusal.

Used by the evaluation to judge every system with the same code, from the text alone (the baselines
have no status flag). Not a classifier of arbitrary text: the phrase lists below cover how replies say
"the documentation does not give this" and "this is outside what I answer", in French and English.

How a statement is recognised (on text folded like the evaluation's keywords, apostrophes unified):
- only in the first `STATEMENT_WINDOW` sentences of the reply: a reply states a gap or a refusal up
  front; a dump of passages that happens to contain "aucune source ..." further down does not;
- never inside quotation marks (« », “ ”, " "): a quoted sentence is not the reply's own statement;
- a gap is one of `GAP_PHRASES` (self-contained: "not documented", "aucune source", ...), or one of
  `GAP_VERBS` (a negated "telling" verb: "ne précise pas", "does not give") in a sentence whose subject
  is the documentation (`SOURCE_WORDS`: "la documentation", "the documents", "les sources", ...);
- a refusal is one of `REFUSAL_PHRASES` ("hors du périmètre", "outside the scope", "no CNRS office in",
  "ne répond pas à cette question", ...), or one of `SCOPE_VERBS` ("ne couvre pas", "does not cover")
  in a sentence about the documentation or the assistant itself (`SCOPE_SUBJECTS`).
A bare "the documentation does not answer this question" is a refusal, not a gap statement: a gap
reply names what is missing ("the documents do not give the director's name").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

STATEMENT_WINDOW = 2  # a gap or refusal counts only in the reply's first sentences
_SHORT_UNIT_WORDS = 4  # a list item or heading shorter than this joins the sentence before it

# --- what a gap statement looks like ----------------------------------------------------------------

GAP_PHRASES = (
    # French
    r"\baucune? (?:des )?(?:sources?|documents?|pages?|textes?)\b",
    r"\b(?:non|pas|jamais) documentee?s?\b",
    r"\bje n'ai (?:pas|rien) trouve\b",
    r"\bje ne (?:le |la |les )?sais pas\b",
    r"\b(?:pas|aucune) d?'?informations?\b",
    r"\bnulle part\b",
    # English
    r"\bnot documented\b",
    r"\bundocumented\b",
    r"\bno (?:source|document|page)s?\b",
    r"\bnone of the (?:sources|documents|pages|texts)\b",
    r"\bi (?:could not|couldn't|did not|didn't|cannot|can't) find\b",
    r"\bi found no(?:thing)?\b",
    r"\bno information\b",
    r"\bi (?:do not|don't) know\b",
    r"\bnowhere\b",
)
SOURCE_WORDS = (
    r"\b(?:documentation|documents?|docs|sources?|pages?|corpus|textes?|texts?|fiches?|records?"
    r"|materials?|base documentaire)\b"
)
GAP_VERBS = (
    # French: "ne précise pas", "ne le disent pas", "n'en dit rien", "ne donnent aucun nom"
    r"\bn(?:e |')(?:le |la |les |l'|en |y |lui )?(?:(?:precis|donn|indiqu|mentionn|nomm|cit|fourni"
    r"|renseign|document|evoqu|detaill|parl|communiqu|attribu|chiffr|couvr|contien|comport)\w*"
    r"|dit|disent|dis|datent|date) (?:pas|rien|aucun\w*|nulle part|jamais)\b",
    # French passive: "n'est pas précisé", "ne sont pas indiquées"
    r"\bn(?:e |')(?:est|sont|a|ont|etait|etaient) (?:pas|jamais|nulle part) (?:ete )?(?:precise|donne"
    r"|indique|mentionne|nomme|cite|documente|renseigne|communique|publie|date|chiffre)",
    r"\bn(?:e |')(?:figur|apparai|apparaiss)\w* (?:pas|nulle part|jamais)\b",
    # English: "does not give", "do not say", "is not stated", "says nothing", "mentions no"
    r"\b(?:do|does|did)(?: not|n't) (?:say|give|state|specify|mention|name|provide|indicate|document"
    r"|tell|list|report|record|cover|contain|include|detail|identify)\b",
    r"\b(?:is|are|was|were)(?: not|n't) (?:given|stated|specified|mentioned|named|documented|provided"
    r"|indicated|reported|listed|recorded|published|disclosed|detailed|identified)\b",
    r"\b(?:says?|gives?|states?|mentions?|names?|provides?) (?:nothing|no)\b",
    # a reply that names the part it cannot answer: "ne répond pas à cette partie de la question : « ... »"
    r"\bne repond pas (?:a|sur) (?:cette|la|votre|une) partie\b",
    r"\b(?:does not|doesn't|do not|don't) answer (?:this|that|the|your|one) part\b",
    # "Je n'ai trouvé ... aucun passage qui réponde ...", "I found no passage ... that answers ..."
    r"\baucun passage qui reponde\b",
    r"\bfound no passage\b[^.]{0,40}\banswers\b",
)

# --- what a refusal looks like ----------------------------------------------------------------------

REFUSAL_PHRASES = (
    # French
    r"\bhors (?:du |de mon |de son |de notre |de leur )?(?:perimetre|champ|sujet)\b",
    r"\bhors-sujet\b",
    r"\bne repond pas a (?:cette|votre|la|ce type de) question",
    r"\bje ne (?:peux|pourrai|pourrais|suis) pas\b",
    r"\bil n'(?:y a|existe) (?:pas|aucun) (?:de )?bureau\b",
    r"\bn'a (?:pas de|aucun) bureau\b",
    r"\bpas de bureau du cnrs (?:a|en|au|aux|pour)\b",
    r"\baucun bureau du cnrs (?:a|en|au|aux|pour) (?!l'etranger)",
    r"\bbureau\b[^.]* n'existe pas\b",
    # English
    r"\b(?:outside|beyond) (?:the |my |its |their |our )?(?:(?:assistant|chatbot|bot|tool)'s )?(?:scope|remit)\b",
    r"\bout of (?:the )?scope\b",
    r"\bnot within (?:the |my )?scope\b",
    r"\b(?:does not|doesn't|do not|don't|cannot|can't|can not) answer (?:this|your|that|the|such) question",
    r"\bi (?:cannot|can't|can not|am unable to|am not able to|won't|will not) "
    r"(?:help|answer|assist|proofread|correct|install|do|provide)\b",
    r"\bno (?:such )?(?:cnrs )?office (?:in|at|for|exists)\b",
    r"\bno such office\b",
    r"\bthere is no (?:cnrs )?office\b",
    r"\b(?:has|have) no (?:office|bureau) (?:in|at|for)\b",
    r"\b(?:does not|doesn't) have an? (?:office|bureau)\b",
)
SCOPE_VERBS = (
    r"\bne (?:couvre|couvrent|traite|traitent|porte|portent|concerne|concernent|aborde|abordent) (?:pas|que)\b",
    r"\b(?:does not|doesn't|do not|don't) (?:cover|deal with|concern|address)\b",
    r"\bonly (?:covers?|answers?|deals? with|concerns?)\b",
)
# who "does not cover" it, for a scope verb to be a refusal: the documentation or the assistant itself
SCOPE_SUBJECTS = r"\b(?:documentation|documents?|docs|sources?|corpus|assistant|je|i)\b"


def _compile(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_GAP_PHRASE = _compile(GAP_PHRASES)
_GAP_VERB = _compile(GAP_VERBS)
_REFUSAL_PHRASE = _compile(REFUSAL_PHRASES)
_SCOPE_VERB = _compile(SCOPE_VERBS)
_SOURCE = re.compile(SOURCE_WORDS)
_SCOPE_SUBJECT = re.compile(SCOPE_SUBJECTS)
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"\n]*\"")

# --- sentences --------------------------------------------------------------------------------------

# [3], [1][2], [1, 2], and Markdown footnote references [^3] (the corpus's per-sentence sources)
_CITATION = re.compile(r"\s*\[(?:\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*|\^[\w-]{1,40})\]")
_FOOTNOTE = re.compile(r"^\s*\[\^[\w-]{1,40}\]:")  # a footnote's definition: a source URL, not text
_SOURCES_HEADING = re.compile(
    r"^\s*(?:\*\*|__)?(?:sources?|références|references)(?:\*\*|__)?\s*:?\s*$", re.I
)
_LINE_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+•]\s+|\d{1,2}[.)]\s+)+")
_INLINE_MARKUP = re.compile(r"\*\*|__|`|<[^>\n]{1,40}>")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’)]*\s+")
_ABBREVIATIONS = frozenset(
    "m mm mme mmes mlle dr pr prof st ste mr mrs ms no nos n° p pp cf vs etc env ca fig vol ed eds "
    "inc ltd co dept univ jan janv feb fev fevr mar apr avr jun jul juil aug aou sep sept oct nov dec "
    "e.g i.e av apr. j.-c".split()
)


def sentences(text: str) -> list[str]:
    """The sentences a reader sees, in order: citation markers, Markdown markup, footnote definitions
    and any sources panel left out; a list item or heading of fewer than four words joins the sentence before it (so a list
    counts with its lead-in, not item by item)."""
    units: list[str] = []
    for raw_line in text.splitlines():
        if _SOURCES_HEADING.match(raw_line) or raw_line.lstrip().startswith("<details"):
            break  # the sources panel of a rendered answer: not the reply's text
        if _FOOTNOTE.match(raw_line):
            continue
        line = _LINE_MARKUP.sub("", raw_line)
        line = _INLINE_MARKUP.sub("", _CITATION.sub("", line)).replace("|", " ")
        line = " ".join(line.split())
        if any(ch.isalnum() for ch in line):
            units += _split_line(line)
    return _join_short(units)


def _split_line(line: str) -> list[str]:
    out, start = [], 0
    for match in _SENTENCE_END.finditer(line):
        before = line[start : match.start()]
        last_word = before.rsplit(None, 1)[-1] if before.strip() else ""
        token = last_word.rstrip(".").lower()
        following = line[match.end() : match.end() + 1]
        # subtle: "J. Maleval", "M. Petit", "cf. p. 3", "etc. and": not sentence ends
        if (len(token) == 1 and token.isalpha()) or token in _ABBREVIATIONS or following.islower():
            continue
        out.append(line[start : match.end()].strip())
        start = match.end()
    out.append(line[start:].strip())
    return [s for s in out if any(ch.isalnum() for ch in s)]


def _join_short(units: list[str]) -> list[str]:
    out: list[str] = []
    carry = ""
    for unit in units:
        if len(unit.split()) < _SHORT_UNIT_WORDS:
            if out:
                out[-1] = f"{out[-1]} {unit}"
            else:
                carry = f"{carry} {unit}".strip()
            continue
        out.append(f"{carry} {unit}".strip() if carry else unit)
        carry = ""
    if carry:
        out.append(carry)
    return out


# --- verdicts ---------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, accents and quotation marks inside words unified: how statements are matched."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("’", "'").replace("‘", "'").replace("œ", "oe")


def _opening(text: str, window: int) -> list[str]:
    return [fold(_QUOTED.sub(" ", s)) for s in sentences(text)[:window]]


def is_gap_sentence(folded: str) -> bool:
    """A folded sentence that says the documentation does not give something."""
    if _GAP_PHRASE.search(folded):
        return True
    return bool(_GAP_VERB.search(folded) and _SOURCE.search(folded))


def is_refusal_sentence(folded: str) -> bool:
    """A folded sentence that refuses, says the question is out of scope, or that no such office exists."""
    if _REFUSAL_PHRASE.search(folded):
        return True
    return bool(_SCOPE_VERB.search(folded) and _SCOPE_SUBJECT.search(folded))


def states_gap(text: str, window: int = STATEMENT_WINDOW) -> bool:
    """The reply says, in its first `window` sentences, that the documentation does not give it."""
    return any(is_gap_sentence(s) for s in _opening(text, window))


def states_refusal(text: str, window: int = STATEMENT_WINDOW) -> bool:
    """The reply refuses, or says no such office exists, in its first `window` sentences."""
    return any(is_refusal_sentence(s) for s in _opening(text, window))


def opens_with_non_answer(text: str) -> bool:
    """The reply's first sentence is a refusal or a "not documented" statement (or there is no text):
    for an answerable question, a false refusal. A reply that answers first and then names a missing
    detail is a partial answer, not a refusal."""
    first = _opening(text, 1)
    return not first or is_refusal_sentence(first[0]) or is_gap_sentence(first[0])
