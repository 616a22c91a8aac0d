"""Pure: numbers written in words, in French and English ("dix-huit", "eighteen", "about ten").

Users and documents write small numbers in words: "did it fund about ten PhDs or eighteen?" quotes two
values as much as "10 or 18" does. `in_digits` rewrites them as figures so that one pattern finds the
values of both; `WORDS` is the one table of number words the other modules read.
Folded text only (lower case, no accents): "dix-huit", not "Dix-Huit".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["WORDS", "in_digits"]

_UNITS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,  # "six" is both
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "soixante-dix": 70,
    "quatre-vingt": 80, "quatre-vingts": 80, "quatre-vingt-dix": 90,
}  # fmt: skip
# "une dizaine", "a dozen": a round figure, said as such
_ROUND = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
    "cinquantaine": 50, "centaine": 100, "dozen": 12,
}  # fmt: skip

# Every number word with its value: 2 to 19, the tens, and the round figures. "one", "un" and "une" are
# left out (they are articles far more often than numbers), so is "cent" ("pour cent" is a share).
WORDS: dict[str, int] = {**_UNITS, **_TEENS, **_TENS, **_ROUND}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_SMALL = {**_UNITS, **_TEENS}
_NUMBER = re.compile(
    rf"(?<![\w-])(?:(?P<tens>{_alternation(_TENS)})(?:[- ](?:et[- ]|and[- ])?(?P<unit>{_alternation(_SMALL)}))?"
    rf"|(?P<small>{_alternation(_SMALL)})|(?P<round>{_alternation(_ROUND)}))(?![\w-])"
)


def in_digits(folded: str) -> str:
    """`folded` with its number words written as figures: "environ dix-huit" -> "environ 18",
    "soixante-douze" -> "72", "twenty-five" -> "25", "une dizaine" -> "une 10"."""

    def figure(m: re.Match[str]) -> str:
        if m.group("tens"):
            return str(_TENS[m.group("tens")] + (_SMALL[m.group("unit")] if m.group("unit") else 0))
        if m.group("small"):
            return str(_SMALL[m.group("small")])
        return str(_ROUND[m.group("round")])

    return _NUMBER.sub(figure, folded)
