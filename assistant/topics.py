"""The structures that work on a subject: "Quels labos du CNRS à l'étranger travaillent sur le climat ?".

The documents describe each joint structure in a sentence of its own ("Le LIA ARSAIO porte sur les
sciences de l'atmosphère", "L'UMI IFAECI, en Argentine, travaille sur les sciences du climat"), spread
over the pages of the offices that cover their countries. No page lists them by subject, so a question by
subject found no passage that answers it whole and was refused. Here every sentence that opens on a
structure and speaks of one of the subject's words is an item, one per structure.
"""

from __future__ import annotations

import re

from assistant.analysis import content_words, fold, stems
from assistant.candidates import in_place
from assistant.parts import SubQuestion
from assistant.plans import Context, Part, Statement
from assistant.selection import Candidate, sentences_of

__all__ = ["on_topic"]

_POOL = 40  # passages searched for the subject's words: the structures of a subject sit on many pages
_MOST = 10

# "Quels labos / structures / LIA ...", "which labs / units ...": structures asked for
_STRUCTURES = re.compile(
    r"\b(structures?|labos?|laboratoires?|labs?|laboratories|unites?|units?|lias?|irls?|umis?|irps?|irns?"
    r"|lmis?|gdris?|centres?|centers?|projets?|projects?|reseaux|networks?)\b"
)
_ANY_KIND = re.compile(
    r"\b(structures?|labos?|laboratoires?|labs?|laboratories|unites?|units?|centres?|centers?)\b"
)
# ... by what they work on
_WORK_ON = re.compile(
    r"\b(travaill\w* (sur|en|dans)|work\w* (on|in)|port\w* sur|consacre\w*|devoted|dedicated|focus\w*"
    r"|speciali[sz]\w*|etudi\w*|stud(y|ies)|dans le domaine|in the field|research on|recherches? sur)\b"
)
_KINDS = frozenset({"IRL", "LIA", "UMI", "IRP", "IRN", "LMI", "GDRI", "UMIFRE", "IRC"})
# A sentence that opens on a structure by its kind and name: "L'IRL iGlobes ...", "The LIA FCPPL ..."
_OPENS_ON_ONE = re.compile(
    r"^(?:\w+(?: \w+)?, )?(?i:(?:the|an?|l'|le|la|les|un|une) ?)?"
    rf"(?P<name>(?:{'|'.join(sorted(_KINDS))}) (?=[\w@²-]*[A-Z])[A-Za-z0-9][\w@²-]*(?: [A-Z][\w@²-]*){{0,3}})"
)
# Words of the question that say what is asked, not the subject
_NOT_SUBJECT = frozenset(
    fold(w)
    for w in (
        "structures structure labos labo laboratoires laboratoire labs lab laboratories laboratory unités unité"
        " units unit lia lias irl irls umi umis irp irps irn irns lmi lmis gdri gdris centres centre centers"
        " center projets projet projects project réseaux réseau networks network cnrs étranger abroad"
        " international internationale internationaux internationales foreign travaillent travaille"
        " travaillant work works working porte portent consacrés consacré devoted dedicated focus focused"
        " spécialisés specialised specialized étudient study studies domaine domaines field fields area areas"
        " sciences science recherche research quels quelles quel quelle which what ones lesquels existe"
        " exist existent sont are there ont has have joint conjoints conjoint mixtes mixte français french"
        " partenaires partners avec with monde world pays countries hors outside overseas france"
    ).split()
)


def asks_by_topic(sub: SubQuestion) -> bool:
    folded = fold(sub.text)
    return bool(_STRUCTURES.search(folded) and _WORK_ON.search(folded))


def on_topic(sub: SubQuestion, ctx: Context) -> Part | None:
    """One sentence per structure that works on the part's subject, or None when the part does not ask
    for structures by subject or fewer than two are found (the usual list answers then)."""
    if not asks_by_topic(sub) or any(
        e.kind not in ("country", "region") and e.key.upper() not in _KINDS for e in sub.entities
    ):
        return None  # "which labs of the Tokyo office work on robotics?": that office's page answers
    subject = _subject_stems(sub, ctx)
    if not subject:
        return None
    places = [e for e in sub.entities if e.kind in ("country", "region")]
    # "Quels IRL ...": IRLs and the UMIs they were called before, not a network or a project ("des labos ou
    # des LIA": any structure)
    kinds: set[str] = set()
    if not _ANY_KIND.search(fold(sub.text)):
        kinds = {k for e in sub.entities if e.kind == "tool" for k in _SAME_KIND.get(e.key.upper(), {e.key})}
    query = " ".join(w for w in content_words(sub.text) if fold(w) not in _NOT_SUBJECT)
    found: dict[str, tuple[int, Candidate]] = {}
    hits = ctx.lookup(query, _POOL, lang=ctx.lang, mode="lexical")
    for rank, hit in enumerate(h for h in hits if h.meta.get("lang") == ctx.lang):  # one language
        for sentence in sentences_of(hit.chunk.text):
            kind_name = _structure(sentence.text)
            shared = len(subject & sentence.stems)
            if kind_name is None or not shared or sentence.gap or sentence.dangling:
                continue
            kind, name = kind_name
            if kinds and kind not in kinds:
                continue
            candidate = Candidate(sentence, hit, hit.score, 1.0, True, True)
            if places and not any(in_place(candidate, p, ctx) for p in places):
                continue
            weight = shared * 100 - rank  # the more of the subject's words, then the better passage
            if name not in found or found[name][0] < weight:
                found[name] = (weight, candidate)
    chosen = [c for _, c in sorted(found.values(), key=lambda pair: -pair[0])][:_MOST]
    if not chosen:
        return None
    if len(chosen) == 1:  # the one structure on that subject, not a list of others
        return Part(sub, "answered", (Statement(chosen[0].text, chosen[0], "answer"),))
    return Part(sub, "answered", tuple(Statement(c.text, c, "item") for c in chosen))


def _structure(text: str) -> tuple[str, str] | None:
    """The kind and name of the structure a sentence is about: "L'IRL iGlobes ..." (its kind before its
    name), or "The MSE international joint unit (UMI) at MIT ...", "LIAMA is a laboratory ..." (a name
    near the start of a sentence that says what kind of structure it is)."""
    m = _OPENS_ON_ONE.match(text)
    if m is not None:
        kind, name = m.group("name").split(" ", 1)
        return kind, fold(name)
    named = _ACRONYM.search(text[:50])
    said = _KIND_WORD.search(text)
    if named is None or said is None or named.group(0) in _KINDS or named.group(0) in _NOT_NAMES:
        return None
    kind = said.group(0).upper() if said.group(0).upper() in _KINDS else ""
    return kind, fold(named.group(0))


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9²-]{2,}\b")
_KIND_WORD = re.compile(  # (an IRC, beside a name, is a partnership with it, not what the name is)
    rf"\b({'|'.join(sorted(_KINDS - {'IRC'}))})\b"
    r"|\b(?i:joint unit|joint laborator\w+|laborator\w+|laboratoire\w*"
    r"|unite mixte|unité mixte)\b"
)
_NOT_NAMES = frozenset({"CNRS", "IRD", "CIRAD", "INSERM", "DERCI", "DEI", "MIT", "NUS", "USP", "UMR", "UAR"})


_SAME_KIND = {
    "IRL": {"IRL", "UMI"},
    "UMI": {"IRL", "UMI"},
    "IRP": {"IRP", "LIA"},
    "LIA": {"IRP", "LIA"},
    "IRN": {"IRN", "GDRI"},
    "GDRI": {"IRN", "GDRI"},
}


def _subject_stems(sub: SubQuestion, ctx: Context) -> frozenset[str]:
    """Stems of the words that name the subject ("climat", "atmosphère"): not the structures asked for,
    not a place the question names, nor words every page uses."""
    places = {a for e in sub.entities for a in e.aliases}
    out: set[str] = set()
    for word in content_words(sub.text):
        if word in _NOT_SUBJECT or word in places or len(word) <= 2:
            continue
        word_stems = stems(word)
        if min(ctx.idf(s) for s in word_stems) >= _COMMON:
            out.update(word_stems)
    return frozenset(out)


_COMMON = 1.5  # inverse document frequency under which a word is on most pages ("cnrs", "bureau")
