"""The offline grounded answerer: picks the most relevant sentences of the retrieved chunks, cites each,
and refuses when the evidence is weak.

Sentence score = weighted share of the question's words the sentence contains (IDF weights; words of
the chunk's title and headings count half) + a share of the chunk's retrieval score + a bonus when the
sentence holds what the question asks for (a number, a year, a person's name). The answer takes the
best sentences, best first, without near-duplicates, within a length budget.

Evidence = the same weighted word coverage measured on whole top chunks; under the refusal threshold
the answer is a refusal. Unknown words weigh the most, so "visa", "hotel" or "quantum" in a question
pull the evidence down even when the question also names a country the documents cover.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass

from assistant.analysis import QUESTION_WORDS, content_words, fold, stems, text_stems
from assistant.citations import Answer, Citation, citation_from_meta
from assistant.prompts import DEFAULT_TOPICS, DEI_CONTACT, REFUSAL
from assistant.retrieval import Hit

Idf = Callable[[str], float]
Alternatives = Callable[[str], Sequence[str]]

_NUMBER_Q = re.compile(
    r"\b(combien|how (many|much|long)|montant|amount|budget|quelle part|what share|pourcentage|percent"
    r"|nombre|number of|durée|duration|how old)\b",
    re.IGNORECASE,
)
_DATE_Q = re.compile(
    r"\b(quand|when|quelle date|what date|quelle année|what year|en quelle année|depuis quand|since when"
    r"|date limite|deadline|which year)\b",
    re.IGNORECASE,
)
_PERSON_Q = re.compile(
    r"\b(qui|who|whom|dirige|directeur|directrice|director|head(s|ed)?|led|leads|responsable)\b",
    re.IGNORECASE,
)
# "Who can apply / qui peut porter": a question about conditions, not about a person's name.
_ELIGIBILITY_Q = re.compile(
    r"\b(who (can|may|is allowed to|is eligible)|qui (peut|peuvent|a le droit)|eligib\w*|éligib\w*"
    r"|peut-on|puis-je|can (i|we)\b|conditions?|requirements?|critères|criteria|prerequisites?)",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(must|cannot|can ?not|may not|only|eligible|required|permanent|(need|needs|has|have) to"
    r"|doit|doivent|faut|ne peu(t|vent)"
    r"|éligibles?|obligatoire|réservée?s?|seule?s?|seulement|titulaire|open to|ouverte?s? aux?)\b",
    re.IGNORECASE,
)
_LIST_Q = re.compile(
    r"\b(quels sont|quelles sont|which countries|quels pays|list|liste|lesquels|lesquelles|what are the"
    r"|énumér|enumerat|all the|tous les|toutes les)\b",
    re.IGNORECASE,
)
_DEFINITION_Q = re.compile(
    r"\b(qu'est-ce qu|what is an?\b|what are\b|c'est quoi|à quoi sert|a quoi sert|what does .* mean|"
    r"que signifie|que désigne|define|définition|definition)",
    re.IGNORECASE,
)
_DEFINING = re.compile(
    r"\b(défini\w*|defin\w*|désign\w*|signifi\w*|means|se présente comme|is described as)\b", re.IGNORECASE
)
_FOCUS = re.compile(r"\(([^()]*)\)\s*$")
# Acronyms anywhere, capitalised words after the first: what the question is about.
_ENTITY = re.compile(r"\b[A-Z][A-Z0-9@]+s?\b|(?<=\s)[A-ZÀ-Ý][a-zà-ÿ]+(?:[- ][A-ZÀ-Ý][a-zà-ÿ]+)*")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DIGIT = re.compile(r"\d")
_NAME = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:[- ][A-ZÀ-Ý][a-zà-ÿ]+)+\b")
_POINTER = re.compile(  # sentences that say where to read, not what is true
    r"^\s*(détails|details|voir|see|more on|plus de détails|pour en savoir plus)\b"
    r"|\b(la page|the page|cette page|this page)\b.{0,80}\b(détaill|présent|décri|details|describes|covers)",
    re.IGNORECASE,
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"«(\[A-ZÀ-Ý0-9])")


@dataclass(frozen=True)
class Unit:
    """One content word of the question: its weight and every stem that counts as a match."""

    word: str
    weight: float
    stems: frozenset[str]
    entity: bool = False  # an acronym or a name the question is about (IRP, Nairobi)


@dataclass(frozen=True)
class Piece:
    """A sentence of the answer and the hit that supports it."""

    text: str
    hit: Hit
    score: float = 0.0
    quote: str = ""  # the passage's own words that back `text`, when `text` is not a quote itself
    keys: tuple[str, ...] = ()  # for a directory statement: names that sentences after it must mention


def question_units(question: str, idf: Idf, alternatives: Alternatives | None = None) -> list[Unit]:
    """The question's content words with their weights; names and acronyms it asks about are marked.

    A trailing "(...)" is the subject a follow-up inherited from the conversation (conversation.py):
    its words count half, so they point to the right page without outweighing the question.
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


@dataclass(frozen=True)
class _Sentence:
    """A sentence of a chunk with what the scoring asks of it, independent of the question."""

    text: str
    stems: frozenset[str]
    digit: bool
    year: bool
    name: bool
    defining: bool
    condition: bool
    long: bool
    pointer: bool


@functools.lru_cache(maxsize=20_000)  # the same chunks come back question after question
def _sentence_features(text: str) -> tuple[_Sentence, ...]:
    return tuple(
        _Sentence(
            s,
            text_stems(s),
            digit=bool(_DIGIT.search(s)),
            year=bool(_YEAR.search(s)),
            name=bool(_NAME.search(s)),
            defining=bool(_DEFINING.search(s)),
            condition=bool(_CONDITION.search(s)),
            long=len(s) > 320,
            pointer=bool(_POINTER.match(s)),  # "Détails : page ..."
        )
        for s in split_sentences(text)
    )


Candidate = tuple[float, str, Hit, frozenset[str]]


def select_pieces(
    question: str,
    hits: Sequence[Hit],
    units: Sequence[Unit],
    lang: str,
    *,
    max_sentences: int = 5,
    max_chars: int = 600,
) -> list[Piece]:
    """The best sentences of the hits for the question, best first, without near-duplicates."""
    if not hits or not units:
        return []
    wants_number = bool(_NUMBER_Q.search(question))
    wants_date = bool(_DATE_Q.search(question))
    wants_conditions = bool(_ELIGIBILITY_Q.search(question))
    wants_person = bool(_PERSON_Q.search(question)) and not wants_conditions
    wants_definition = bool(_DEFINITION_Q.search(question))
    if _LIST_Q.search(question):
        max_sentences, max_chars = max_sentences + 3, int(max_chars * 1.5)
    entities = [u for u in units if u.entity and u.weight >= 1.0]  # "CNRS" is in every document
    same_lang = [h for h in hits if h.meta.get("lang") == lang]
    pool = same_lang if same_lang else list(hits)
    top_score = max(h.score for h in pool) or 1.0
    candidates: list[Candidate] = []
    for rank, hit in enumerate(pool):
        context = text_stems(f"{hit.meta.get('title', '')} {hit.meta.get('section', '')}")
        for f in _sentence_features(hit.chunk.text):
            score = coverage(units, f.stems, context) + 0.3 * hit.score / top_score - 0.01 * rank
            if entities and all(
                u.stems.isdisjoint(f.stems) and u.stems.isdisjoint(context) for u in entities
            ):
                score *= 0.7  # neither the sentence nor its section names what the question is about
            bonus = (
                (wants_number and f.digit)
                + (wants_date and f.year)
                + (wants_person and f.name)
                + (wants_definition and f.defining)
                + (wants_conditions and f.condition)
            )
            score += 0.15 * bonus - 0.15 * f.long - 0.3 * f.pointer  # a pointer says where, not what
            candidates.append((score, f.text, hit, f.stems))
    if not candidates:
        return []
    return _greedy(candidates, max_sentences, max_chars)


def _greedy(candidates: list[Candidate], max_sentences: int, max_chars: int) -> list[Piece]:
    """Pick sentences best first, discounting what earlier picks already said (novelty), within budget."""
    best = max(c[0] for c in candidates)
    chosen: list[Candidate] = []
    covered: set[str] = set()
    used = 0
    remaining = [c for c in candidates if c[0] >= 0.6 * best]
    while remaining and len(chosen) < max_sentences:
        remaining.sort(key=lambda c: _novel_value(c, covered), reverse=True)
        pick = remaining.pop(0)
        if _novel_value(pick, covered) < 0.6 * best:
            break
        if any(_jaccard(pick[3], other[3]) > 0.6 for other in chosen):
            continue
        if chosen and used + len(pick[1]) > max_chars:
            continue
        chosen.append(pick)
        covered |= pick[3]
        used += len(pick[1]) + 5
        follow = _follow_on(pick)
        fits = len(chosen) < max_sentences and used + len(follow or "") <= max_chars + 80
        if follow and fits and all(follow != c[1] for c in chosen):
            follow_stems = text_stems(follow)
            chosen.append((pick[0], follow, pick[2], follow_stems))
            covered |= follow_stems
            used += len(follow) + 5
            remaining = [c for c in remaining if c[1] != follow]
    return [Piece(sentence, hit, score) for score, sentence, hit, _ in chosen]


def _novel_value(c: Candidate, covered: Set[str]) -> float:
    """A candidate's score discounted by how much of it earlier picks already said."""
    novelty = len(c[3] - covered) / len(c[3]) if c[3] else 0.0
    return c[0] * (0.55 + 0.45 * novelty)


def _follow_on(pick: Candidate) -> str | None:
    """The next sentence of the same chunk when it goes on about the person the pick names
    ("X is the first director ... X is a volcanologist."): short, and starting with that name."""
    names = _NAME.findall(pick[1])
    if not names:
        return None
    sentences = split_sentences(pick[2].chunk.text)
    try:
        at = sentences.index(pick[1])
    except ValueError:
        return None
    if at + 1 >= len(sentences):
        return None
    nxt = sentences[at + 1]
    if len(nxt) <= 160 and any(nxt.startswith(name) for name in names):
        return nxt
    return None


def _jaccard(a: Set[str], b: Set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def assemble(question: str, lang: str, pieces: Sequence[Piece], evidence_score: float) -> Answer:
    """Number the sources in order of first use and write each sentence with its [n]."""
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for piece in pieces:
        cid = piece.hit.id
        if cid not in numbers:
            numbers[cid] = len(numbers) + 1
            citations.append(
                citation_from_meta(
                    numbers[cid],
                    cid,
                    piece.hit.chunk.text,
                    piece.hit.meta,
                    piece.quote or piece.text,
                    piece.hit.similarity,
                )
            )
        sentence = piece.text.rstrip()
        if sentence[-1:] not in ".!?":
            sentence += "."
        parts.append(f"{sentence} [{numbers[cid]}]")
    return Answer(
        text=" ".join(parts),
        citations=tuple(citations),
        refused=False,
        lang=lang,
        question=question,
        evidence=evidence_score,
    )


def refusal(
    question: str, lang: str, hits: Sequence[Hit], evidence_score: float, contact: str | None = None
) -> Answer:
    """A plain refusal naming the closest documented topics and whom to contact."""
    lang = lang if lang in REFUSAL else "en"
    titles = list(dict.fromkeys(str(h.meta.get("title")) for h in hits if h.meta.get("lang") == lang))[:3]
    topics = ", ".join(f"« {t} »" if lang == "fr" else f"“{t}”" for t in titles) or DEFAULT_TOPICS[lang]
    text = REFUSAL[lang].format(topics=topics, contact=contact or DEI_CONTACT[lang])
    return Answer(text=text, refused=True, lang=lang, question=question, evidence=evidence_score)
