"""The candidate sentences for one part of a question, scored for it, and which of them answer it.

`candidates` retrieves passages for the part (its words, its subject's labels and the words of the
property asked, then its subject's own pages) and scores every sentence with `selection.score`;
`serving` keeps those that answer the part, the closest to its subject first; `key_word` is the rare
word a part asks about when it names no property. A long section is cut into several passages: the
section tables say which passages share one, and whether the section names a subject.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.analysis import content_words, fold
from assistant.answering import Unit, question_units, split_sentences
from assistant.directory import OfficeDirectory
from assistant.entities import Entity, mentions
from assistant.index import StoredChunk
from assistant.knowledge import KnowledgeBase
from assistant.lexical import LexicalIndex
from assistant.parts import SubQuestion
from assistant.plans import Context
from assistant.retrieval import Hit
from assistant.selection import Candidate, score, sentences_of
from assistant.spelling import commonness

__all__ = ["candidates", "fresh", "in_place", "key_word", "section_chunks", "serving", "units_for"]


_PAGE_K = 4


def candidates(
    sub: SubQuestion,
    primary: Sequence[Entity],
    secondary: Sequence[Entity],
    ctx: Context,
    extra: str = "",
    heading: re.Pattern[str] | None = None,
) -> list[Candidate]:
    """Every sentence of the passages retrieved for this part, scored for it, best first (`heading`: the
    sections of the subject's pages whose folded heading it matches are read too, "Pourquoi un bureau...")."""
    query = _query(sub, primary, ctx.lang, extra)
    hits = {h.id: h for h in ctx.search(query)}
    words = _attribute_words(sub)
    for entity in primary:
        # Its pages in the question's language: the other language's passages are read only when the
        # question's language has none, and the general search above already brings those.
        pages = [p for p in entity.pages if p.startswith(f"{ctx.lang}/")] or list(entity.pages)
        for page in pages:
            for hit in ctx.lookup(f"{query} {words}", _PAGE_K, filters={"doc_id": page}, mode="lexical"):
                hits.setdefault(hit.id, hit)
            if heading is not None:
                for (doc, title), chunks in _sections(ctx.kb.lexical).items():
                    if doc == page and heading.search(fold(title)):
                        hits.update((c.id, Hit(c, 0.0)) for c in chunks if c.id not in hits)
            if words.strip() and sub.attributes:
                # The passage that gives the property, though the question's other words ("responsible
                # for Brazil") fill the page's other passages: the property's own words, alone.
                for hit in ctx.lookup(words, 2, filters={"doc_id": page}, mode="lexical"):
                    hits.setdefault(hit.id, hit)
        if entity.kind in ("name", "person"):
            for hit in ctx.lookup(" ".join(entity.aliases[:2]), _PAGE_K, mode="lexical"):
                hits.setdefault(hit.id, hit)
            if words.strip():  # "quel laboratoire avait-elle dirigé ?": the passage on that property of hers
                for hit in ctx.lookup(f"{entity.aliases[0]} {words}", 2, mode="lexical"):
                    hits.setdefault(hit.id, hit)
        elif entity.kind == "org" and not entity.pages:
            # An organisation has no page of its own: the passages that name it in the part's own words
            # ("les missions de la DERCI"), which the added property words could push out.
            for hit in ctx.lookup(sub.text, _PAGE_K, lang=ctx.lang, mode="lexical"):
                hits.setdefault(hit.id, hit)
    for entity in secondary:
        if entity.kind == "country" and sub.intent in ("list", "how_many"):
            # "Which IRLs are based in Singapore?": the page of the office that covers the place lists them
            pages = [p for p in entity.pages if p.startswith(f"{ctx.lang}/")] or list(entity.pages)
            for page in pages:
                for hit in ctx.lookup(query, 2, filters={"doc_id": page}, mode="lexical"):
                    hits.setdefault(hit.id, hit)
    for hit in hits.values():
        ctx.pool.setdefault(hit.id, hit)
    same = [h for h in hits.values() if h.meta.get("lang") == ctx.lang]
    chosen = same or list(hits.values())
    words = _own_words(sub)
    if len([w for w in content_words(words) if w not in _GENERIC]) < 2:
        # "quelle différence entre les deux ?": the background says between what.
        # Its words count half (a trailing bracket): "quelle université canadienne" is still about a
        # university, not about every word of the message around it.
        around = re.sub(
            r"[()]", " ", _own_words(replace(sub, text=_sentence_of(sub, ctx.analysis.situation)))
        )
        words = f"{words} ({around})"
    units = question_units(words, ctx.idf, ctx.kb.glossary.alternatives)
    top = max((h.score for h in chosen), default=1.0) or 1.0
    rivals = _office_names(ctx.kb.offices) if any(e.kind in ("office", "country") for e in primary) else ()
    out = []
    for h in chosen:
        # A long section is cut into several passages: the subject may be named in another one.
        in_section = bool(primary) and _section_names(h, primary, ctx.kb.lexical)
        for s in sentences_of(h.chunk.text):
            c = score(
                s, h, sub, units, primary=primary, secondary=secondary, retrieval=h.score / top, rivals=rivals
            )
            if in_section and c.subject < 0.6:
                c = replace(c, subject=0.6, score=c.score + 1.2 * (0.6 - c.subject))
            out.append(c)
    if sub.intent == "where":
        # "With which office does DERCI work?": a sentence that names an office answers it.
        out = [replace(c, score=c.score + 0.4) if _names_office(c.text, ctx) else c for c in out]
    out.sort(key=lambda c: -c.score)
    return out


def _names_office(text: str, ctx: Context) -> bool:
    return _office_named(ctx.kb.offices, text)


@functools.lru_cache(maxsize=20_000)  # corpus sentences: bounded by the corpus
def _office_named(offices: OfficeDirectory, text: str) -> bool:
    return any(p.office.kind == "office" and p.country is None for p in offices.find(text))


_EXAMPLE = re.compile(r"\b(par exemple|for example|for instance|e\.g\.|notamment|such as)\b")
_GENERIC = frozenset(
    "difference differences deux two both rapport lien link relation meme same chose thing exemple example "
    "quoi what quel quelle which entre between "
    # words about the documents, not about what they say ("quelles visites sont documentées ?")
    "documente documentee documentes documentees documented mentionne mentionnee mentionnes mentionnees "
    "mentioned recorded listed repertorie repertories cite cites cited connu connus connues known".split()
)


@functools.lru_cache(maxsize=4)
def _office_names(offices: OfficeDirectory) -> tuple[str, ...]:
    """Every office's city, folded: a sentence that names another office first is about that one."""
    return tuple(
        sorted(
            {
                fold(a)
                for o in offices.offices
                if o.kind == "office"
                for a in (*o.city.values(), *o.city_aliases)
            }
        )
    )


def _query(sub: SubQuestion, primary: Sequence[Entity], lang: str, extra: str = "") -> str:
    named = fold(sub.text)
    labels = [e.label(lang) for e in primary if not mentions(named, e)]
    # "FP9" is no word of the passages: its name is ("Horizon Europe")
    labels += [
        min((a for a in e.aliases if " " in a), key=len)
        for e in primary
        if not mentions(named, e)
        and any(ch.isdigit() for ch in e.label(lang))
        and any(" " in a for a in e.aliases)
    ]
    # "Quels sont les IRC ?": the passage that lists them says "liste", "cite", "the five IRCs".
    listing = "liste list cite" if sub.intent == "list" and not sub.attributes else ""
    # "Is there one in the UK?": the passages name the partner's city ("Imperial College London")
    places = [
        a
        for e in sub.entities
        if e.kind == "country" and sub.intent in ("yes_no", "when")
        for a in e.aliases
        if " " not in a
    ]
    return " ".join([sub.text, *labels, extra, _attribute_words(sub), listing, *places[:12]]).strip()


_ATTRIBUTE_WORDS = {
    "director": "directeur directrice dirige director headed",
    "opening": "ouvert créé inauguré opened created inaugurated",
    "location": "hébergé installé situé located hosted",
    "duration": "durée ans dure years lasts",
    "renewal": "renouvelable renewable",
    "funding": "financement financé funded funding",
    "costs": "dépenses missions costs travel",
    "eligibility": "porteurs peut can",
    "selection": "sélection évaluation selected committee",
    "calendar": "appel calendrier call",
    "platform": "plateforme platform",
    "predecessor": "avant remplace before replaced",
    "mission": "missions rôle role objectifs objectives aims",
    "discipline": "discipline chercheur researcher",
    "career": "devenu conseiller became",
    "themes": "thèmes themes",
}


_LONG = 40  # content words: a message longer than that tells a story around its question


def _sentence_of(sub: SubQuestion, message: str) -> str:
    """The sentences of a long message that hold the part or name its subject ("... ce conseil s'est réuni
    quand, et qui le préside ?"), not the story around them (a post-doc in Dakar, the DSCA, the Nairobi
    office); a short message whole."""
    if len(content_words(message)) <= _LONG:
        return message
    own = fold(sub.text)
    kept = [
        s
        for s in split_sentences(message)
        if (own and own in fold(s)) or any(mentions(fold(s), e) for e in sub.entities)
    ]
    return " ".join(kept) or message


def _attribute_words(sub: SubQuestion) -> str:
    return " ".join(_ATTRIBUTE_WORDS.get(a, "") for a in sub.attributes[:2]).strip()


def _own_words(sub: SubQuestion) -> str:
    """The part's words without its subject's names (they are scored as the subject)."""
    text = fold(sub.text)
    for entity in sub.entities:
        for alias in entity.aliases:
            text = text.replace(alias, " ")
    if sub.intent == "procedure":  # "comment monter un IRN": the verb is the question, not its topic
        text = _HOW_VERBS.sub(" ", text)
    return _WHEN_FRAMING.sub(" ", text)


# "à quelle période de l'année", "what time of year": how a when-question is put, not what it is about
_WHEN_FRAMING = re.compile(
    r"\b(a |at |in |during )?(quel(le)?s? (periode|moment|epoque|mois)|what (time|period|months?)|which (period"
    r"|months?))( of (the )?year| de l'annee)?\b"
)
_HOW_VERBS = re.compile(
    r"\b(monter|creer|create|set up|setting up|obtenir|get|faire|lancer|launch|start|starting|mettre en place"
    r"|do i|dois-je|puis-je|peut-on|on fait)\b"
)


def fresh(candidates: Sequence[Candidate], ctx: Context) -> list[Candidate]:
    return [c for c in candidates if c.text not in ctx.used]


def serving(sub: SubQuestion, candidates: Sequence[Candidate], situation: str = "") -> list[Candidate]:
    """The candidates that answer the part, the closest to its subject first.

    A sentence that names the subject beats one that sits on its page; with no subject named, a
    sentence must also cover the part's own words (a word like "Python" the documents never use
    leaves nothing to answer).
    """
    serving = [c for c in candidates if c.serves]
    if re.search(r"\b(exemple|example|instance)\b", fold(sub.text)):
        # "Tu as un exemple ?": an example of what the previous part said, even in other words.
        serving = [
            c
            for c in candidates
            if c.subject >= 0.6 and not c.sentence.gap and (c.attribute or _EXAMPLE.search(c.sentence.folded))
        ]
        serving.sort(key=lambda c: (not _EXAMPLE.search(c.sentence.folded), -c.score))
        return serving
    if not serving and sub.intent == "definition" and sub.value not in ("amount", "number"):
        # ("c'est quoi son budget ?" asks a sum, "what is the success rate of the IRP call?" a figure: a
        # sentence on its subject without one does not answer)
        serving = [c for c in candidates if c.subject >= 0.7 and not c.sentence.gap]
    if not sub.entities:
        # "Qui dois-je contacter en premier ?": a sentence that says whom to contact needs fewer words
        contact = "contact" in sub.attributes
        serving = [c for c in serving if c.words >= 0.45 or (contact and c.attribute and c.words >= 0.3)]
    elif not sub.attributes and sub.intent not in ("definition", "compare", "list") and _asks_words(sub):
        # Nothing but a subject to go on ("un visa pour le Japon"): the sentence must also hold what
        # the part asks about it, or it only mentions the subject. Naming two of its subjects is holding
        # it ("when did the DRI become the DREI?": "the DRI became the DREI in 2005").
        both = len(sub.entities) >= 2
        # "l'accord institutionnel, il date de quand ?": a sentence on its subject that holds the date
        # asked needs fewer of the question's other words
        floor = {"when": 0.2, "how_many": 0.2, "yes_no": 0.2}.get(sub.intent, 0.35)
        serving = [
            c
            for c in serving
            if c.words >= (floor if c.value else 0.35)
            # "...and who coordinated it?": "Christelle Roy coordinated the roadmap" names the person asked
            or (sub.intent == "who" and c.sentence.persons and not c.sentence.gap and c.words >= 0.2)
            or (both and sum(mentions(c.sentence.folded, e) for e in sub.entities) >= 2)
        ]
    named = [c for c in serving if c.subject >= 0.7] or serving
    if len(content_words(situation)) > _LONG and any(c.words >= 0.1 for c in named):
        # "Sinon qui peut le porter ?" at the end of a long message, whose many words rank passages
        # loosely: "partners may top up the budget" names the IRP and holds a "may", but none of the part's
        # own words; the sentences on who carries it come first
        named = sorted(named, key=lambda c: c.words == 0)
    return named


def in_place(c: Candidate, place: Entity, ctx: Context) -> bool:
    """Whether a sentence puts something in a country or region: by its name, or by the city of a CNRS
    office in it ("with the University of Tokyo" is in Japan)."""
    if mentions(c.sentence.folded, place):
        return True
    return place.kind == "country" and any(
        m.country is None and m.office.country == place.key for m in ctx.kb.offices.find(c.text)
    )


def key_word(sub: SubQuestion, ctx: Context, ceiling: float = 3.6) -> Unit | None:
    """The rarest word a closed, open or "how" part asks about beyond its subject, when it names no property.

    With no property to go on ("un doctorant peut-il porter une IEA ?"), that word is what the part is
    about: an answer must contain it. Common verbs ("porter", "work") are not rare enough to count.
    `ceiling` is on wordfreq's zipf scale ("doctorant" 2.9, "touristique" 4.2, "partner" 4.8, "porter" 5.0).
    """
    if sub.intent not in ("yes_no", "general", "procedure") or not sub.entities:
        return None
    if sub.attributes and not (sub.intent == "procedure" and sub.attributes == ("calendar",)):
        return None
    units = [
        u
        for u in units_for(_own_words(sub), ctx.kb)
        if u.word not in _GENERIC and len(u.word) > 3 and 0 < commonness(u.word) <= ceiling
    ]
    return min(units, key=lambda u: commonness(u.word)) if units else None


def _asks_words(sub: SubQuestion) -> bool:
    """Whether the part has words of its own beyond its subject and question words."""
    return len([w for w in content_words(_own_words(sub)) if w not in _GENERIC and len(w) > 2]) >= 1


def units_for(text: str, kb: KnowledgeBase) -> list[Unit]:
    return question_units(text, kb.lexical.idf, kb.glossary.alternatives)


# -- sections ----------------------------------------------------------------------------------------------


def section_chunks(hit: Hit, lexical: LexicalIndex) -> list[Hit]:
    """The other chunks of the same section of the same document (a long section is cut in several)."""
    key = (str(hit.meta.get("doc_id")), str(hit.meta.get("section")))
    return [Hit(c, 0.0) for c in _sections(lexical).get(key, ()) if c.id != hit.id]


def _section_names(hit: Hit, entities: Sequence[Entity], lexical: LexicalIndex) -> bool:
    """Whether the section `hit` belongs to names one of `entities` (in any of its passages)."""
    key = (str(hit.meta.get("doc_id")), str(hit.meta.get("section")))
    text = _section_texts(lexical).get(key, "")
    return any(mentions(text, e) for e in entities)


@functools.lru_cache(maxsize=4)
def _section_texts(lexical: LexicalIndex) -> dict[tuple[str, str], str]:
    return {key: fold(" ".join(c.text for c in chunks)) for key, chunks in _sections(lexical).items()}


@functools.lru_cache(maxsize=4)
def _sections(lexical: LexicalIndex) -> dict[tuple[str, str], tuple[StoredChunk, ...]]:
    """Chunks by (document, section), once per index."""
    table: dict[tuple[str, str], list[StoredChunk]] = {}
    for chunk in lexical.chunks:
        table.setdefault((str(chunk.meta.get("doc_id")), str(chunk.meta.get("section"))), []).append(chunk)
    return {key: tuple(chunks) for key, chunks in table.items()}
