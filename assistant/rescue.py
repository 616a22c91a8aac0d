"""A part that no sentence answered by its words, answered by the sentence closest in meaning.

The planner matches a part's words, subjects and property against the passages' sentences. Users
often say it otherwise: "what event marked the CNRS's turn towards Europe?" against "the conference
... marked a European turn in CNRS strategy" (no "event"), "depuis quand le CNRS lance-t-il ce genre
d'appels ?" against "le CNRS a lancé en décembre 2020 un premier appel". When a part ends in our own
"I found no passage" line, the candidate sentences are compared with the part by the embedding model
(the one the index uses), and one that is close enough in meaning, and still of the kind the part
asks (a date for "when", a person for "who"), answers it instead.

A documents' own "not documented" sentence is never replaced, nor a count, a sum or the future: a
sentence close in meaning to "how many people work at the DEI?" or "what is its budget?" is almost
always another count or another budget, which is how gaps went unsaid.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace

from langchain_core.embeddings import Embeddings

from assistant.analysis import fold
from assistant.counting import counted_of
from assistant.entities import mentions
from assistant.plans import Context, Part, Statement
from assistant.selection import Candidate

log = logging.getLogger(__name__)

# Cosine similarity (all-MiniLM-L6-v2) from which a sentence says the same as the part: read on the
# parts of sets J and L that ended in a gap, the sentences above it answered them and those just below
# did not ("which lab did it come from?" 0.65 against an unrelated page on former acronyms).
CLOSE = 0.68  # 0.70 in French: "Au début des années 2000, X dirigeait le bureau de Bruxelles" scores 0.68
CLOSED_MARGIN = 0.05  # "is Eastern Europe a stated priority?" 0.78 against partnerships in Eastern Europe
_POOL = 40  # the best-scored candidates compared (one embedding batch)


def rescued(part: Part, find: Callable[[], Sequence[Candidate]], ctx: Context) -> Part:
    """`part` answered by its closest candidate sentence when it ended in our own not-found line.

    `find` gives the part's candidates; it is called only when the part can be rescued at all (scoring
    them again for every gap would slow every answer that says a gap).
    """
    sub = part.sub
    if part.status != "gap" or not _ours(part) or sub.time == "future" or counted_of(sub):
        return part
    if sub.value == "amount" or _THEN.search(fold(sub.text)):
        # a sum, or a time only the conversation knows ("who was the director at that time?")
        return part
    closed = sub.intent == "yes_no"
    if closed and (sub.inherited or not sub.entities):
        # "is that realistic?", "has it changed?": the nearest sentence on a subject only the conversation
        # names is what is known of it, not of what is asked (read on sets I and L)
        return part
    share = bool(_SHARE_ASKED.search(fold(sub.text)))
    pool = [
        c
        for c in find()
        if (c.subject >= 1.0 or not closed)
        and not c.sentence.gap
        and not c.sentence.dangling
        and c.text not in ctx.used
        and (c.value or not sub.value)
        and (c.words >= 0.2 or c.subject >= 1.0)
        and (not sub.years or bool(c.sentence.years & set(sub.years)))  # "in 2024": a sentence of 2024
        # a share or a rate is answered by one ("le taux de succès de la campagne IRN ?" is close to "la
        # campagne comporte 2 étapes", which gives no rate)
        and (not share or bool(_A_SHARE.search(c.sentence.folded)))
    ][:_POOL]
    if not pool:
        return part
    best, similarity = _closest(_asked(part), pool, ctx)
    log.debug("closest to %r at %.2f: %r", sub.text, similarity, best.text)
    # The model reads French less well; a closed question's words ("is it a priority?") are fewer
    if similarity < CLOSE + (0.02 if ctx.lang == "fr" else 0.0) + (CLOSED_MARGIN if closed else 0.0):
        return part
    if closed:
        # A sentence close to "is Eastern Europe a stated priority?" says neither yes nor no: the gap
        # stays said, and what the documents do say of the subject follows it.
        return replace(part, statements=(*part.statements, Statement(best.text, best, "context")))
    return replace(part, status="answered", statements=(Statement(best.text, best, "answer"),))


_SHARE_ASKED = re.compile(
    r"\b(taux|share|rate|proportion|pourcentage|percentage|part des|part de|quelle part|what part|fraction)\b|%"
)
_A_SHARE = re.compile(r"%|\b(pour ?cent|percent|moitie|half|tiers|third|quart|quarter)\b")


def _ours(part: Part) -> bool:
    """The part holds nothing but the planner's own not-found line: no sentence of the documents says it
    is not documented, and no nearest-year or context sentence already follows it."""
    return bool(part.statements) and all(s.role == "gap" and s.source is None for s in part.statements)


_THEN = re.compile(  # (a closing "alors" is "so": "on fait quoi alors ?")
    r"\b(at that time|at the time|back then|then|a l'epoque|a ce moment-la|alors(?!\W*$)|en ce temps-la)\b"
)


def _asked(part: Part) -> str:
    """The part's text, with the subject it inherited ("how far back does it go" + "NRF")."""
    sub = part.sub
    missing = [e.label("en") for e in sub.entities if not mentions(fold(sub.text), e)]
    return f"{sub.text} ({'; '.join(missing[:2])})" if sub.inherited and missing else sub.text


def _closest(text: str, pool: Sequence[Candidate], ctx: Context) -> tuple[Candidate, float]:
    embedder = ctx.kb.embedder
    asked = embedder.embed_query(text)
    vectors = _vectors(embedder, [c.text for c in pool])
    similarities = _cosines(asked, vectors)
    best = max(range(len(pool)), key=lambda i: similarities[i])
    return pool[best], similarities[best]


# Corpus sentences come back from one question to the next: each is embedded once per process (a few
# thousand vectors of 384 floats at most), in one batch for those not seen yet. The vectors belong to the
# embedder that made them: another embedder (another model, a test's fake) starts an empty table.
class _Seen:
    def __init__(self) -> None:
        self.embedder: Embeddings | None = None
        self.vectors: OrderedDict[str, list[float]] = OrderedDict()


_SEEN = _Seen()
_SEEN_MAX = 4096


def _vectors(embedder: Embeddings, texts: Sequence[str]) -> list[list[float]]:
    if _SEEN.embedder is not embedder:
        _SEEN.embedder, _SEEN.vectors = embedder, OrderedDict()
    table = _SEEN.vectors
    missing = list(dict.fromkeys(t for t in texts if t not in table))
    if missing:
        for text, vector in zip(missing, embedder.embed_documents(missing), strict=True):
            table[text] = list(vector)
    out = []
    for text in texts:
        table.move_to_end(text)
        out.append(table[text])
    while len(table) > _SEEN_MAX:
        table.popitem(last=False)
    return out


def _cosines(a: Sequence[float], vectors: Sequence[Sequence[float]]) -> list[float]:
    """The cosine similarity of `a` to each vector, in one matrix product (a pure-Python loop over 40
    vectors of 384 floats took half a millisecond of every answer that ends in a gap)."""
    import numpy as np  # already loaded with the embedding model

    matrix = np.asarray(vectors, dtype=np.float64)
    asked = np.asarray(a, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(asked)
    dots = matrix @ asked
    return [float(d / n) if n else 0.0 for d, n in zip(dots, norms, strict=True)]
