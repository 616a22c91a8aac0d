"""Pure: how much of a question a text covers, and the sentences of a passage.

A question's *units* are its content words, each weighted by how rare it is in the corpus (IDF) and
expanded to every stem that counts as a match (French and English stems, glossary forms): "bureau"
meets "bureaux" and "office". `coverage` is the weighted share of the units a text holds; `evidence`
is the best coverage among the top passages, under which the answer is a refusal. Unknown words weigh
the most, so "visa", "hotel" or "quantum" in a question pull the evidence down even when the question
also names a country the documents cover.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass

from assistant.analysis import QUESTION_WORDS, content_words, fold, stems, text_stems
from assistant.retrieval import Hit

Idf = Callable[[str], float]
Alternatives = Callable[[str], Sequence[str]]

_FOCUS = re.compile(r"\(([^()]*)\)\s*$")
# Acronyms anywhere, capitalised words after the first: what the question is about.
_ENTITY = re.compile(r"\b[A-Z][A-Z0-9@]+s?\b|(?<=\s)[A-ZÀ-Ý][a-zà-ÿ]+(?:[- ][A-ZÀ-Ý][a-zà-ÿ]+)*")
# A sentence ends at . ! ? before a capital, a digit or an opening mark; not after "no." or "p.".
_SENTENCE_SPLIT = re.compile(
    r"(?<!\bNo\.)(?<!\bno\.)(?<!\bp\.)(?<!\bpp\.)(?<!\bM\.)(?<!\bDr\.)(?<!\bSt\.)(?<=[.!?])\s+(?=[\"«(\[A-ZÀ-Ý0-9])"
)


@dataclass(frozen=True)
class Unit:
    """One content word of the question: its weight and every stem that counts as a match."""

    word: str
    weight: float
    stems: frozenset[str]
    entity: bool = False  # an acronym or a name the question is about (IRP, Nairobi)


def question_units(question: str, idf: Idf, alternatives: Alternatives | None = None) -> list[Unit]:
    """The question's content words with their weights; names and acronyms it asks about are marked.

    A trailing "(...)" holds subjects inherited from the conversation (`question.Analysis.search`):
    their words count half, so they point to the right page without outweighing the question.
    """
    own_part, focus = question, ""
    m = _FOCUS.search(question)
    if m:
        own_part, focus = question[: m.start()], m.group(1)
    entities = {fold(t) for t in _ENTITY.findall(own_part)}
    units: dict[str, Unit] = {}
    for part, factor in ((own_part, 1.0), (focus, 0.5)):
        for word in content_words(part):
            if word in units or word in QUESTION_WORDS:
                continue
            own = set(stems(word))
            for alt in alternatives(word) if alternatives else ():
                for w in content_words(alt):
                    own.update(stems(w))
            weight = factor * max(idf(s) for s in stems(word))
            units[word] = Unit(word, weight, frozenset(own), entity=factor == 1.0 and word in entities)
    return list(units.values())


def coverage(units: Sequence[Unit], found: Set[str], context: Set[str] = frozenset()) -> float:
    """Weighted share of the question's words found in a text (context words count half)."""
    total = sum(u.weight for u in units)
    if total <= 0:
        return 0.0
    got = 0.0
    for u in units:
        if not u.stems.isdisjoint(found):
            got += u.weight
        elif not u.stems.isdisjoint(context):
            got += 0.5 * u.weight
    return got / total


def evidence(units: Sequence[Unit], hits: Sequence[Hit], top: int = 3) -> float:
    """How well the best of the top chunks covers the question: 0 (nothing) to 1 (every word)."""
    best = 0.0
    for hit in hits[:top]:
        text = text_stems(hit.chunk.text)
        context = text_stems(f"{hit.meta.get('title', '')} {hit.meta.get('section', '')}")
        best = max(best, coverage(units, text | context))
    return best


def split_sentences(text: str) -> list[str]:
    """Sentences of a chunk; list items and table rows count as sentences."""
    return list(_sentences_of(text))


@functools.lru_cache(maxsize=20_000)  # the same chunks are split question after question
def _sentences_of(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line or set(line) <= set("|-: "):
            continue
        line = re.sub(r"^([-*+]|\d+[.)])\s+", "", line)
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|") if c.strip()]
            line = " — ".join(cells)
        out.extend(s.strip() for s in _SENTENCE_SPLIT.split(line) if len(s.strip()) > 2)
    return tuple(out)
