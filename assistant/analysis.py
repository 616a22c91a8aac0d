"""Pure text analysis shared by lexical retrieval and answer composition: folding, tokens, stems.

Every word is lower-cased, stripped of accents, and reduced to its French and its English Snowball
stems, so "coopération", "cooperation" and "cooperations" meet, whichever language a text is in.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

# Bump when tokenising, stop words or stemming change: persisted BM25 indexes built with another
# version are rebuilt at open time.
ANALYZER_VERSION = 5  # 5: the saved state also holds the chunk vectors

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")

STOP_WORDS = frozenset(
    """
    a au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma
    mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes
    toi ton tu un une vos votre vous y d l j m n s t c est sont ete etait etaient etre avoir a ont fait
    faire quel quelle quels quelles quoi dont comment lequel laquelle lesquels ou plus
    tres aussi peut peuvent doit ainsi donc alors si sans sous entre depuis vers chez selon apres avant
    the a an and or of to in on for with by at from as is are was were be been being it its this that
    these those which who whom whose what when where how why do does did can could should would will has
    have had not no nor but if then than so such into about over under there their they them he she his
    her we our you your i me my any all each other some more most also only own same very just
    """.split()
)


# Words that say what kind of answer is wanted, not what it is about: indexed (FAQ headings use them)
# but left out of the evidence that a question is covered by the documents.
QUESTION_WORDS = frozenset("combien quand pourquoi how many much when why".split())


@functools.lru_cache(maxsize=100_000)  # the same words, forms and sentences come back all the time
def fold(text: str) -> str:
    """Lower-case, accents removed (NFKD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("œ", "oe")


def words(text: str) -> list[str]:
    """Folded words and numbers, stop words kept."""
    return _WORD.findall(fold(text))


def content_words(text: str) -> list[str]:
    """Folded words without stop words."""
    return [w for w in words(text) if w not in STOP_WORDS]


@functools.lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, ...]:
    """The French stem and, when it differs, the English stem of one folded word."""
    if word.isdigit() or len(word) <= 2:
        return (word,)
    fr, en = _stemmers()
    a = fr.stemWord(word)
    b = en.stemWord(word)
    return (a,) if a == b else (a, b)


def terms(text: str) -> list[str]:
    """Index terms of a text: stems of its content words, in order, both languages."""
    out: list[str] = []
    for w in content_words(text):
        out.extend(stems(w))
    return out


@functools.lru_cache(maxsize=50_000)  # chunk texts and their sentences come back question after question
def text_stems(text: str) -> frozenset[str]:
    """Stems of a text's content words, both languages, as a set."""
    return frozenset(s for w in words(text) if w not in STOP_WORDS for s in stems(w))


@functools.lru_cache(maxsize=1)
def _stemmers() -> tuple[Any, Any]:
    import Stemmer

    return Stemmer.Stemmer("french"), Stemmer.Stemmer("english")


_FR_CUES = frozenset(
    """
    le la les des du de un une et est sont quel quelle quels quelles qui que quoi comment combien
    pourquoi quand ou dans pour avec sur au aux ce cette ces il elle ils je nous vous mon ma mes notre
    leur pas ne bureau depuis a-t-il a-t-elle existe-t-il peut-on dois-je faut-il en
    """.split()
)
_EN_CUES = frozenset(
    """
    the a an and is are was were what which who whom how why when where does do did can could should of
    to in for with on at by from this that these those it its i we you my our their office offices has
    have been be there any about what's who's where's how's it's i'm i've we're don't doesn't isn't can't
    there's
    """.split()
)


_QUOTED = re.compile(r"\"[^\"]{3,}\"|“[^”]{3,}”|«[^»]{3,}»")


def detect_language(text: str) -> str:
    """'fr', 'en' or 'unknown', from function words and French diacritics; made for short questions.

    A name quoted in the other language ("What is the 'Direction Europe de la recherche' in English?") is
    not the language the question is asked in: quoted spans count only when nothing else does."""
    unquoted = _QUOTED.sub(" ", text)
    if unquoted.strip() != text.strip() and re.search(r"\w", unquoted):
        found = detect_language(unquoted)
        if found != "unknown":
            return found
    tokens = re.findall(r"[\w'-]+", text.lower())
    fr = sum(1 for t in tokens if t in _FR_CUES or (t.split("'")[-1] in _FR_CUES and "'" in t))
    en = sum(1 for t in tokens if t in _EN_CUES)
    fr += 2 * len(re.findall(r"[éèêàùçôîœ]", text.lower()))
    fr += sum(1 for t in tokens if re.match(r"^(l|d|qu|j|n|s|c)'", t))
    if fr == en == 0:
        return "unknown"
    if fr == en:
        return "unknown"
    return "fr" if fr > en else "en"
