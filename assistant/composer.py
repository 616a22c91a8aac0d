"""Pure: the answer written from its plan — composed by the kind of question, checked, then cited.

Composition, in the question's language:
- the parts come in the order the question asks them, each opening on what answers it;
- a list gives every item as a bullet (after the sentence that announces them, or a count);
- a conflict gives each value with the sentence that says where it comes from;
- a gap says that the documentation does not give what was asked, then what it does give, and the
  answer ends with whom to ask;
- a refusal says so plainly, in the question's language, and names the DEI by its current name.

Verification drops a sentence that cannot stand in the answer: one that opens on a word pointing back
to a sentence the reader does not see ("These structures...", "Donc..."), one that only says where to
read, and a repeat. Every sentence taken from a passage carries its [n]; a citation number stands for one
passage and one source URL, so two sentences of one passage backed by two sources get two numbers, each
linking to the page that says it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.analysis import content_words, fold, text_stems
from assistant.citations import Answer, Citation, citation_from_meta
from assistant.numerals import in_digits
from assistant.parts import listed_noun
from assistant.planner import Part, Plan, Statement
from assistant.prompts import (
    ASK,
    ASK_REST,
    CONFLICT_LEAD,
    DEFAULT_TOPICS,
    DEI_CONTACT,
    GAP,
    GAP_ABOUT,
    GAP_EACH,
    GAP_PLAIN,
    ITEMS_LEAD,
    ITEMS_LEAD_NAMED,
    NO_SUCH_OFFICE,
    OFF_TOPIC,
    PERSONAL,
    REFUSAL,
)
from assistant.routing import contract, join_names
from assistant.sources import urls_for
from assistant.yes_no import with_verdict


@dataclass(frozen=True)
class Line:
    """One line of the answer: a paragraph of sentences, or a bullet."""

    statements: tuple[Statement, ...]
    bullet: bool = False


def compose(plan: Plan, offices_cities: Sequence[str] = ()) -> Answer:
    """The cited answer that `plan` describes."""
    analysis = plan.analysis
    lang = analysis.lang if analysis.lang in ("fr", "en") else "en"
    if plan.refusal == "no_such_office":
        text = NO_SUCH_OFFICE[lang].format(
            place=plan.place,
            cities=join_names(list(offices_cities), lang),
            contact=plan.contact or DEI_CONTACT[lang],
        )
        return Answer(
            text=text, status="refused", lang=lang, question=analysis.original, evidence=plan.evidence
        )
    if plan.refusal:
        return refusal_answer(plan, lang)
    contact = plan.contact or DEI_CONTACT[lang]
    unvouched = [p for p in plan.parts if _unvouched(p)]
    if unvouched and any(p.answered and p.statements for p in plan.parts):
        # Parts nothing answered in their words, beside parts that were answered: whom to ask for them, not
        # a "not documented" we cannot vouch for.
        lines = _lines([p for p in plan.parts if p not in unvouched], lang)
        asked = " ; ".join(_quote(p.sub.text.rstrip(" ?"), lang) for p in unvouched)
        lines.append(
            Line((Statement(contract(ASK_REST[lang].format(parts=asked, contact=contact)), None, "contact"),))
        )
    else:
        lines = _lines(plan.parts, lang)
        if any(p.status == "gap" and not any(s.role == "route" for s in p.statements) for p in plan.parts):
            # A gap whose route already names the pole to ask needs no second "contact ..." line.
            lines.append(Line((Statement(contract(ASK[lang].format(contact=contact)), None, "contact"),)))
    text, citations = render(lines)
    if not text.strip():
        return refusal_answer(plan, lang)
    return Answer(
        text=text,
        citations=citations,
        status=plan.status,
        lang=lang,
        question=analysis.original,
        evidence=plan.evidence,
    )


def _unvouched(part: Part) -> bool:
    """A part that holds nothing but our own not-found line ("I found no passage...", "the documentation does
    not give its director (X)"): no passage says it is not documented. A name no document mentions at all, a
    request the assistant cannot carry out and what has not happened yet are said as they are."""
    return (
        part.status == "gap"
        and bool(part.statements)
        and all(s.role == "gap" and s.source is None and _OURS.fullmatch(s.text) for s in part.statements)
    )


# Our own not-found lines (prompts.GAP, GAP_ABOUT, GAP_EACH), whatever fills them
_OURS = re.compile(
    "|".join(
        re.sub(r"\\\{\w+\\\}", ".*", re.escape(template[lang]))
        for template in (GAP, GAP_ABOUT, GAP_PLAIN, GAP_EACH)
        for lang in ("fr", "en")
    ),
    re.DOTALL,
)


def _quote(text: str, lang: str) -> str:
    return f"« {text} »" if lang == "fr" else f"\u201c{text}\u201d"


def refusal_answer(plan: Plan, lang: str) -> Answer:
    """A plain refusal: what the assistant is for when the question has nothing of the domain, else the
    closest documented topics and whom to contact."""
    if plan.refusal in ("off_topic", "personal"):
        return Answer(
            text=(PERSONAL if plan.refusal == "personal" else OFF_TOPIC)[lang],
            status="refused",
            lang=lang,
            question=plan.analysis.original,
            evidence=plan.evidence,
        )
    titles = list(dict.fromkeys(str(h.meta.get("title")) for h in plan.hits if h.meta.get("lang") == lang))[
        :3
    ]
    topics = ", ".join(_quote(t, lang) for t in titles) or DEFAULT_TOPICS[lang]
    text = contract(REFUSAL[lang].format(topics=topics, contact=plan.contact or DEI_CONTACT[lang]))
    return Answer(
        text=text, status="refused", lang=lang, question=plan.analysis.original, evidence=plan.evidence
    )


# -- composition -------------------------------------------------------------------------------------------


def _repeats(statement: Statement, said: Sequence[frozenset[str]]) -> bool:
    """Whether a passage's sentence says again, nearly word for word, a passage's sentence said before
    (two pages telling one thing: "Un IRL dure 5 ans" and "Un IRL (International Research Laboratory)
    est créé pour 5 ans"; "comporte 2 étapes" after "se déroule en deux étapes : ..."). A sentence
    written for its part (a route, "adressez-vous à ...") answers that part and stays; one that shares
    its subject's words with another says something else."""
    if not _quoted(statement):
        return False
    stems = _gist(statement.text)
    # counted in words, not stems: "Jan Matas is a CNRS geophysicist" after "the director was Jan Matas"
    # states one new word of four ("Matas" alone has several stems)
    words = [text_stems(w) for w in content_words(_gist_text(statement.text))]
    words = [w for w in words if w] or [stems]
    return any(
        sum(w.isdisjoint(before) for w in words) <= 0.2 * len(words) or _same_figures(stems, before)
        for before in said
    )


def _same_figures(stems: frozenset[str], before: frozenset[str]) -> bool:
    """The same figures about the same thing, in other words: "L'ancien LIA durait 4 ans et pouvait être
    renouvelé une seule fois" after "le LIA était un laboratoire sans murs de 4 ans, renouvelable une
    fois". Another figure ("5 ans, renouvelable deux fois", what another source gives), or the same
    figures of another thing (the GDRI's four years, renewable once), are news; years alone
    ("selon le guide 2019-2020") are no figures of a fact."""
    figures = {w for w in stems if w[:1].isdigit()}
    subject = {w for w in stems if w.startswith(_SUBJECT)}
    return (
        any(not _YEAR.fullmatch(f) for f in figures)
        and figures == {w for w in before if w[:1].isdigit()}
        and bool(subject)
        and subject == {w for w in before if w.startswith(_SUBJECT)}
        and len(stems & before) >= 0.4 * len(stems)
    )


_SUBJECT = "^"  # marks, among a sentence's words, the first thing it names (its acronym)
_YEAR = re.compile(r"(19|20)\d\d")
_ACRONYM = re.compile(r"\b(?!CNRS\b)[A-Z][A-Z0-9]{1,}\b")


def _gist(text: str) -> frozenset[str]:
    """The words a sentence states, for comparing two: without the glosses in brackets, numbers as figures."""
    named = _ACRONYM.search(_GLOSSES.sub(" ", text))
    return text_stems(_gist_text(text)) | ({_SUBJECT + named.group(0)} if named else set())


def _gist_text(text: str) -> str:
    folded = _ONCE.sub(" 1 fois ", _TWICE.sub(" 2 fois ", fold(_GLOSSES.sub(" ", text))))
    folded = _UNIT_AFTER_HYPHEN.sub(r" \1", folded)  # "a four-year laboratory": four years
    return in_digits(folded)


_ONCE = re.compile(r"\b(une (seule )?fois|once)\b")
_TWICE = re.compile(r"\btwice\b")
_UNIT_AFTER_HYPHEN = re.compile(r"-(years?|months?|ans?|mois)\b")


_GLOSSES = re.compile(r"\([^()]*\)")


def _quoted(statement: Statement) -> bool:
    return statement.source is not None and statement.text == statement.source.text


def _lines(parts: Sequence[Part], lang: str) -> list[Line]:
    lines: list[Line] = []
    seen: set[str] = set()
    # What the documents answer comes first; what they do not say follows (the first sentence answers).
    parts = sorted(
        parts, key=lambda p: p.status == "gap" and not any(s.role == "route" for s in p.statements)
    )
    said: list[frozenset[str]] = []  # the words of the sourced sentences of earlier parts
    for part in parts:
        # A list stays whole even when an earlier part stated one of its items; another sentence that
        # an earlier part already said, in the same or other words (two pages saying one thing), is left out.
        statements = []
        own: list[frozenset[str]] = []  # and within the part, one of its own sentences said again
        for s in _checked(part.statements):
            if s.role in ("item", "conflict") or (s.text not in seen and not _repeats(s, [*said, *own])):
                statements.append(s)
                if s.source is not None and s.role not in ("item", "conflict"):
                    # a passage's sentence, quoted or put as the answer ("Le LIA était ..."): its figures
                    own.append(_gist(s.text))
        if part.sub.intent != "yes_no":
            # "Non : aucun appel ..." answers a yes/no question; to "comment créer un IRL ?" it is noise.
            statements = [_without_yes_no(s) for s in statements]
        if not statements:
            continue
        seen.update(s.text for s in statements)
        said += [_gist(s.text) for s in statements if _quoted(s)]
        if part.verdict:
            statements[0] = replace(statements[0], text=with_verdict(statements[0].text, part.verdict, lang))
        items = [s for s in statements if s.role == "item"]
        if items:
            lead = [s for s in statements if s.role == "lead"]
            others = [s for s in statements if s.role not in ("item", "lead", "then")]
            then = [s for s in statements if s.role == "then"]  # after the list it follows from
            if others:
                lines.append(Line(tuple(others)))
            if lead:
                lines.append(Line(tuple(lead)))
            groups = _by_name(items)
            if not lead and len(groups) > 1:
                what = listed_noun(part.sub.text)
                lead_text = (
                    ITEMS_LEAD_NAMED[lang].format(n=len(groups), what=what)
                    if what
                    else ITEMS_LEAD[lang].format(n=len(groups))
                )
                lines.append(Line((Statement(lead_text, None, "lead"),)))
            lines += [Line(group, bullet=True) for group in groups]
            if then:
                lines.append(Line(tuple(then)))
        elif part.status == "conflict" and len(statements) > 1:
            leads = [s for s in statements if s.role == "lead"]
            values = [s for s in statements if s.role not in ("lead", "gap")]
            # The documents' own "sources disagree" sentence leads when there is one; else ours does.
            lines.append(Line(tuple(leads[:1]) or (Statement(CONFLICT_LEAD[lang], None, "lead"),)))
            lines += [Line((s,), bullet=True) for s in values]
            gaps = [s for s in statements if s.role == "gap"]  # a figure the asker quotes that none states
            if gaps:
                lines.append(Line(tuple(gaps)))
        else:
            lines.append(Line(tuple(statements)))
    return lines


_YES_NO = re.compile(r"^(oui|non|yes|no)\s*[:,]\s*", re.IGNORECASE)


def _by_name(items: Sequence[Statement]) -> list[tuple[Statement, ...]]:
    """Items, one bullet per thing named: "The IRL CNRS-CRM is a joint lab with Montréal" and "The IRL
    CNRS-CRM was created in 2011" are one lab, so one bullet, and the count the lead gives is of labs."""
    groups: list[list[Statement]] = []
    names: list[set[str]] = []
    for s in items:
        # the names near the start, where an item names what it is about ("according to INS2I" at the end
        # of two items on two tools makes them no one thing)
        head = s.text[:60]
        own = {piece for name in _NAME.findall(head) for piece in (name, *name.split("-"))} - _NOT_A_NAME
        if groups and own & names[-1]:
            groups[-1].append(s)
            names[-1] |= own
        else:
            groups.append([s])
            names.append(own)
    return [tuple(g) for g in groups]


# A name in an item: an acronym or a capitalised word with a digit or a hyphen ("CRM", "LN2", "CNRS-CRM")
_NAME = re.compile(r"(?<![\w-])(?:[A-Z][A-Z0-9]{1,}(?:-[A-Z0-9]+)*|[A-Z][a-z]*\d+\w*)(?![\w-])")
# Words every item of a list of structures or tools names
_NOT_A_NAME = frozenset(
    "CNRS IRL IRP IRN IEA IRC UMI LIA GDRI PICS UMR UAR USR DEI DERCI UE EU ERC MSCA PhD".split()
)


def _without_yes_no(statement: Statement) -> Statement:
    m = _YES_NO.match(statement.text)
    if not m:
        return statement
    rest = statement.text[m.end() :]
    return replace(statement, text=rest[:1].upper() + rest[1:])


def _checked(statements: Sequence[Statement]) -> list[Statement]:
    """Statements that can stand in the answer: no dangling opener without its antecedent, no pointer."""
    out: list[Statement] = []
    for s in statements:
        source = s.source
        if source is not None and s.role not in ("route", "item", "lead"):
            sentence = source.sentence
            if sentence.pointer:
                continue
            if sentence.dangling and not _follows_its_antecedent(s, out) and len(statements) > 1:
                continue
        out.append(s)
    return out


def _follows_its_antecedent(statement: Statement, before: Sequence[Statement]) -> bool:
    """Whether the sentence right before this one in its passage is the one before it in the answer."""
    if not before or statement.source is None or before[-1].source is None:
        return False
    previous = before[-1].source
    return (
        previous.hit.id == statement.source.hit.id
        and previous.sentence.position + 1 == statement.source.sentence.position
    )


# -- rendering with citations ------------------------------------------------------------------------------


def render(lines: Sequence[Line]) -> tuple[str, tuple[Citation, ...]]:
    """The answer text, every sourced sentence followed by [n], and its numbered citations.

    One number per (passage, source URL), in order of first use.
    """
    numbers: dict[tuple[str, str], int] = {}
    citations: list[Citation] = []
    out: list[str] = []
    for line in lines:
        sentences = []
        for statement in line.statements:
            text = _sentence(statement.text, statement.role)
            source = statement.source
            if source is None:
                sentences.append(text)
                continue
            hit = source.hit
            marks = []
            # A sentence backed by two sources ("according to A...; according to B...") cites both.
            for url in urls_for(hit.meta, source.text)[:3] or [""]:
                key = (hit.id, url)
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    citation = citation_from_meta(
                        numbers[key], hit.id, hit.chunk.text, hit.meta, source.text, hit.similarity
                    )
                    citations.append(replace(citation, url=url) if url else citation)
                marks.append(f"[{numbers[key]}]")
            sentences.append(f"{text} {''.join(marks)}")
        joined = " ".join(sentences)
        out.append(f"- {joined}" if line.bullet else joined)
    text = ""
    for i, line in enumerate(lines):
        if i:
            # A bullet follows its lead on the next line; a paragraph after a list needs a blank line,
            # or Markdown would make it part of the last item.
            text += "\n" if line.bullet else "\n\n"
        text += out[i]
    return text, tuple(citations)


_GLOSS = re.compile(r"^(?P<term>[^():]{1,60}?)\s*(?P<exp>\([^()]*\))?\s*:\s*(?P<body>.+)$")


def unglossed(text: str) -> str:
    """A glossary line as a sentence: "ERC (European Research Council) : l'ERC finance ..." reads
    "L'ERC (European Research Council) finance ..."; any other sentence is left as it is."""
    m = _GLOSS.match(text)
    if m is None:
        return text
    term, expansion, body = m.group("term").strip(), m.group("exp") or "", m.group("body")
    said = _opening_on(term).match(body)
    if said is None:
        return text
    head = body[: said.end()]
    rest = body[said.end() :]
    sentence = f"{head} {expansion}{rest}" if expansion else body
    return sentence[:1].upper() + sentence[1:]


def _sentence(text: str, role: str) -> str:
    text = unglossed(" ".join(text.split()))
    if role == "lead" and text.endswith(":"):
        return text
    if text and text[-1] not in ".!?:":
        text += "."
    return text


@functools.lru_cache(maxsize=1024)
def _opening_on(term: str) -> re.Pattern[str]:
    """A sentence that opens on `term`, after an article."""
    return re.compile(rf"^((?:l'|l’|le |la |les |un |une |the |an? )?){re.escape(term)}s?\b", re.IGNORECASE)
