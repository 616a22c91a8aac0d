"""Pure: typo correction against the corpus's own vocabulary, and the names the corpus spells in capitals.

"quel burau pour le kenia" becomes "quel bureau pour le kenya": a word of the question that no document
contains is replaced by the closest word that the documents do contain, when one is close enough (one
edit for words of 4-6 letters, two for longer ones), preferring a country, city or tool name, then the
more frequent word. Never touched: short words, numbers, words the documents know, and real French or
English words they do not use ("collègue", "chimie": wordfreq's word lists, accents ignored), so a
correct question is left exactly as it is. A capitalised word is only ever corrected into a place or
tool name ("Philipines" -> "Philippines"), never into a common word.

`names` maps the folded form of every acronym and mixed-case name of the corpus (IFCAM, MISTRALS,
ElyT-MaX, CNRS@CREATE) to its spelling, so that "ifcam?" is recognised as the name it is.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from assistant.analysis import STOP_WORDS, fold

_TOKEN = re.compile(r"[^\W\d_][\w@'’-]*", re.UNICODE)
_WORD = re.compile(r"[a-z]+")
_MIN_COUNT = 3
_COMMON_WORDS = 60_000  # per language; about zipf 2.3 and up
_NAME = re.compile(r"(?<![\w@-])[A-Za-z][\w@²-]*(?![\w@-])")
# An acronym or a mixed-case name: a capital that does not start the word or one of its hyphenated
# parts (IFCAM, ElyT-MaX, MajuLab, CNRS@CREATE), not a capitalised word (Franco-American, Paris).
_INNER_CAPITAL = re.compile(r"(?<=[A-Za-z0-9@²])[A-Z]")
_LOWER_TOKEN = re.compile(r"(?<![\w@²-])[a-zà-ÿ][\w@²-]*")


class Speller:
    """Corrects words unknown to the corpus; knows every folded word of the indexed texts."""

    def __init__(self, texts: Iterable[str], names_of_things: Iterable[str] = ()) -> None:
        counts: Counter[str] = Counter()
        names: dict[str, str] = {}
        lower: set[str] = set()
        for text in texts:
            counts.update(_WORD.findall(fold(text)))
            lower.update(fold(w) for w in _LOWER_TOKEN.findall(text))
            for m in _NAME.finditer(text):
                if _INNER_CAPITAL.search(m.group(0)):
                    names.setdefault(fold(m.group(0)), m.group(0))
        self.counts: Mapping[str, int] = counts
        # Country, city and tool names ("kenia" -> "kenya") are corrected more eagerly than other words:
        # a misspelt place is what most often breaks a question, and they are distinctive.
        self._things = frozenset(f for n in names_of_things if _WORD.fullmatch(f := fold(n)) and len(f) >= 4)
        self.names: Mapping[str, str] = names
        # words the documents also write in lower case: "descartes" never is, so typed so it is DesCartes
        self.in_lower_case: frozenset[str] = frozenset(lower)
        self._by_length: dict[int, list[str]] = {}
        for word in counts:
            if len(word) >= 3:
                self._by_length.setdefault(len(word), []).append(word)

    def __contains__(self, word: str) -> bool:
        return fold(word) in self.counts

    def is_common(self, word: str) -> bool:
        """Whether `word` is an everyday French or English word (accents ignored)."""
        return fold(word) in _common_words()

    def correct_word(self, word: str, *, things_only: bool = False) -> str | None:
        """The corpus word closest to an unknown `word` (folded), or None when none is close enough."""
        folded = fold(word)
        if len(folded) < 4 or folded in self.counts or folded in STOP_WORDS or not folded.isalpha():
            return None
        if folded in _common_words():
            return None
        from rapidfuzz import process

        # (OSA: a swap of two letters, "grnats" for "grants", is one slip, not two)
        from rapidfuzz.distance import OSA

        budget = 1 if len(folded) <= 6 else 2
        choices = [
            w
            for size in range(len(folded) - budget, len(folded) + budget + 1)
            for w in self._by_length.get(size, ())
        ]
        best: tuple[int, int, int, str] | None = None  # (not a thing, distance, -frequency, word)
        for candidate, distance, _ in process.extract(
            folded, choices, scorer=OSA.distance, score_cutoff=budget, limit=None
        ):
            # The first letter is rarely the typo: a candidate that changes it must be much closer.
            if candidate[0] != folded[0] and distance > 1:
                continue
            thing = candidate in self._things
            if things_only and not thing:
                continue
            # Other words need length and frequency: "visa" must not become "vise", turning a question
            # the documents cannot answer into one they seem to.
            if not thing and (len(folded) < 5 or self.counts[candidate] < _MIN_COUNT):
                continue
            key = (0 if thing else 1, int(distance), -self.counts[candidate], candidate)
            if best is None or key < best:
                best = key
        return best[3] if best else None

    def correct(self, text: str) -> str:
        """`text` with its unknown words replaced by their corrections; everything else kept as typed."""

        def fix(m: re.Match[str]) -> str:
            token = m.group(0)
            if any(ch in token for ch in "'’-@") or token.isupper():
                return token  # elisions, compounds and acronyms are not guessed at
            fixed = self.correct_word(token, things_only=token[:1].isupper())
            if fixed is None:
                return token
            return fixed.capitalize() if token[:1].isupper() else fixed

        return _TOKEN.sub(fix, text)


@functools.lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """The most frequent French and English words, accents folded: real words, not typos."""
    from wordfreq import top_n_list

    return frozenset(fold(w) for lang in ("fr", "en") for w in top_n_list(lang, _COMMON_WORDS))


@functools.lru_cache(maxsize=20_000)
def commonness(word: str) -> float:
    """How common a word is in everyday French or English (wordfreq's zipf scale, 0 when unknown).

    "porter" (about 5) is a word any sentence may use; "doctorant" (about 3) says what a question is about.
    """
    from wordfreq import zipf_frequency

    best = max(zipf_frequency(word, lang) for lang in ("fr", "en"))
    if best >= 4.0 or not word.isascii():
        return best
    # Questions and the folded text lose accents: "particuliere" is "particulière" (4.6), not a rare word.
    return max([best, *(zipf_frequency(v, "fr") for v in _accented(word))])


_ACCENTS = {"e": "éèê", "a": "àâ", "i": "îï", "o": "ô", "u": "ùû", "c": "ç"}


def _accented(word: str, most: int = 2) -> list[str]:
    """Spellings of an unaccented French word with one or two accents put back (a bounded set)."""
    spots = [i for i, ch in enumerate(word) if ch in _ACCENTS][:8]
    out: list[str] = []
    for n, i in enumerate(spots):
        for a in _ACCENTS[word[i]]:
            one = word[:i] + a + word[i + 1 :]
            out.append(one)
            if most > 1:
                for j in spots[n + 1 :]:
                    out += [one[:j] + b + one[j + 1 :] for b in _ACCENTS[word[j]]]
    return out
