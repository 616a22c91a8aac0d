"""The answer plan: for each part of a question, the statements that answer it and the passage behind each.

`plan(analysis, knowledge, ...)` looks each part of the question up the way its kind needs:

- where / which office: the directory (country -> office or headquarters pole), each statement backed
  by the passage of the office's page that says it; a named structure (an IRL, a LIA) is first placed
  in its country or office from the sentences about it (the hop), and that office becomes the subject
  of the parts after it ("who headed that office around 2017?");
- recommendation: the tool that fits the collaboration the message describes (tools.yaml stages);
- compare: the sentences that relate the subjects, then the same property of each side by side;
- list: every item: an enumerating sentence, the items announced by a sentence ("trois grands défis"),
  or the directory's list (labelled when it is a reconstruction, not a list the sources give);
- definition, procedure, who, when, how many, yes/no: the best sentences for the part's subject and
  property (`selection.score`), in document order for a procedure.

A part whose property no passage gives is a gap: the plan keeps the documents' own statement that they
do not know when there is one, else says it, with what the documents do give. Several values of one
property (two durations, two dates) are a conflict: each is kept, with its source. The plan never
invents: every statement is a sentence of a passage, or a directory fact with the passage that backs it,
or a framing sentence (a gap, a list's lead) that asserts nothing the passages do not show.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from assistant.analysis import content_words, fold
from assistant.answering import Unit, evidence, question_units
from assistant.citations import support
from assistant.directory import Office, OfficeDirectory
from assistant.index import StoredChunk
from assistant.knowledge import KnowledgeBase
from assistant.lexical import LexicalIndex
from assistant.lexicon import ATTRIBUTE_BY_NAME, PERSON_ATTRIBUTES
from assistant.question import Analysis, Entity, SubQuestion, entities_of_tools, mentions, office_entity
from assistant.retrieval import Hit
from assistant.routing import collaboration_stage, country_in_sentence, join_names, plural_country, tool_label
from assistant.selection import Candidate, Sentence, enumerates, gives_attribute, jaccard, score, sentences_of
from assistant.spelling import commonness
from assistant.yes_no import answers_yes_no, verdict

log = logging.getLogger(__name__)

# Properties of an office: asked about a country, they are about the office that covers it.
_OFFICE_ATTRIBUTES = frozenset(
    {"director", "opening", "location", "mission", "closing", "announcement", "event"}
)
_POOL_K = 10
_PAGE_K = 4


@dataclass(frozen=True)
class Statement:
    """A sentence of the answer: a passage's own sentence, a directory fact, or a framing sentence.

    `source` is the passage sentence that backs it (cited); None for a framing sentence (a gap, a list's
    lead, whom to contact), which asserts nothing the cited sentences do not show.
    """

    text: str
    source: Candidate | None
    role: str = "answer"  # answer | item | conflict | gap | context | route | lead | contact

    def __repr__(self) -> str:
        return f"Statement({self.role}: {self.text[:60]!r})"


@dataclass(frozen=True)
class Part:
    """What answers one part of the question."""

    sub: SubQuestion
    status: str  # answered | conflict | gap
    statements: tuple[Statement, ...]
    found: tuple[Entity, ...] = ()  # what this part established that later parts refer to
    verdict: str = ""  # "yes" | "no": how the answer to a closed question opens (`assistant.yes_no`)

    @property
    def answered(self) -> bool:
        return self.status in ("answered", "conflict")


@dataclass(frozen=True)
class Plan:
    analysis: Analysis
    parts: tuple[Part, ...]
    hits: tuple[Hit, ...]
    evidence: float
    refusal: str | None = None  # "out_of_scope" | "no_such_office": the answer is a refusal
    place: str = ""  # for "no_such_office": the place the question named
    contact: str | None = None  # who to ask when a part is a gap

    @property
    def status(self) -> str:
        if self.refusal:
            return "refused"
        answered = [p.answered for p in self.parts]
        if all(answered):
            return "answered"
        return "partial" if any(answered) else "gap"


@dataclass
class _Context:
    """What planning one question needs: the knowledge base, the language, the shared embedding."""

    kb: KnowledgeBase
    analysis: Analysis
    lang: str
    embedding: Sequence[float] | None
    idf: Callable[[str], float]
    used: set[str] = field(default_factory=set)  # sentences already stated by an earlier part
    pool: dict[str, Hit] = field(default_factory=dict)

    def search(self, query: str, k: int = _POOL_K, **filters: str) -> list[Hit]:
        mode = "hybrid" if self.embedding is not None and not filters else "lexical"
        hits = self.kb.search.search(
            query, k, lang=self.lang, filters=filters or None, mode=mode, embedding=self.embedding
        )
        for hit in hits:
            self.pool.setdefault(hit.id, hit)
        return hits


def plan(
    analysis: Analysis, kb: KnowledgeBase, *, embedding: Sequence[float] | None, threshold: float
) -> Plan:
    """The plan that answers `analysis`, from the knowledge base."""
    ctx = _Context(kb, analysis, analysis.lang, embedding, kb.lexical.idf)
    base = ctx.search(analysis.search, 12)
    units = question_units(analysis.text, ctx.idf, kb.glossary.alternatives)
    strength = evidence(units, base)
    unknown = _unknown_office(analysis, kb)
    if unknown:
        return Plan(analysis, (), tuple(base), strength, refusal="no_such_office", place=unknown)
    parts: list[Part] = []
    for sub in analysis.subs:
        sub = _carry(sub, parts, kb, analysis.situation)
        part = _plan_part(sub, ctx)
        parts.append(part)
        ctx.used.update(s.text for s in part.statements)
    documented = any(
        e.kind in ("office", "country", "tool", "pole", "org", "name") for e in analysis.entities
    )
    # A route to a pole at headquarters is a gap (no office abroad) that still tells whom to ask.
    answered = any(p.answered or any(s.role == "route" for s in p.statements) for p in parts)
    # Nothing answered and little of the question in the documents: a refusal (naming the office of
    # the place asked about, if any), not a list of "the documentation does not give...".
    if not answered and (strength < threshold or not documented):
        return Plan(
            analysis,
            tuple(parts),
            tuple(base),
            strength,
            refusal="out_of_scope",
            contact=_contact(analysis, kb),
        )
    if not documented and strength < threshold:
        return Plan(analysis, tuple(parts), tuple(base), strength, refusal="out_of_scope")
    if not any(p.statements for p in parts):
        return Plan(analysis, tuple(parts), tuple(base), strength, refusal="out_of_scope")
    return Plan(analysis, tuple(parts), tuple(ctx.pool.values()), strength, contact=_contact(analysis, kb))


# -- what a part is about ------------------------------------------------------------------------------


_SUCH = re.compile(
    r"\b(une? tel(le)?|such an?|ce type de|this kind of|that kind of|cette structure|this structure)\b"
)


def _recommended_tool(situation: str, kb: KnowledgeBase) -> Entity | None:
    stage = collaboration_stage(situation)
    tool = kb.tools.by_stage(stage) if stage else None
    if tool is None:
        return None
    key = (tool.acronym or tool.id).upper()
    names = tuple(
        sorted(
            {fold(tool.acronym), *(fold(n.split("(")[0].split(",")[0].strip()) for n in tool.names.values())}
            - {""},
            key=len,
            reverse=True,
        )
    )
    return Entity(
        "tool",
        key,
        {"fr": tool.acronym or key, "en": tool.acronym or key},
        names,
        pages=tuple(tool.pages.values()),
    )


def _carry(sub: SubQuestion, done: Sequence[Part], kb: KnowledgeBase, situation: str = "") -> SubQuestion:
    """A part about "that office" or "her" takes what the parts before it found (an office, a person)."""
    entities = list(sub.entities)
    found = [e for p in reversed(done) for e in p.found]
    person_asked = sub.about_person or bool(sub.attributes and sub.attributes[0] in PERSON_ATTRIBUTES)
    people = [e for e in found if e.kind == "person"]
    if person_asked and people and (sub.about_person or sub.inherited):
        entities = [people[0]]
    elif sub.inherited and found:
        offices = [e for e in found if e.kind in ("office", "pole")]
        tools = [e for e in found if e.kind == "tool"]
        if offices and (
            set(sub.attributes) & _OFFICE_ATTRIBUTES or sub.intent in ("who", "where", "how_many")
        ):
            entities = [
                offices[0],
                *[e for e in entities if e.kind == "name" and e not in done[-1].sub.entities],
            ]
        elif tools and sub.intent in ("procedure", "general", "when", "how_many"):
            entities = [tools[0]]  # "comment lancer une telle structure ?" after "the IRL fits"
    if _SUCH.search(fold(sub.text)):
        # "comment lancer une telle structure ?": the tool that fits the collaboration described.
        tool = _recommended_tool(situation, kb)
        if tool is not None:
            entities = [tool]
    # A country asked about with an office's property is about the office that covers it.
    if set(sub.attributes) & _OFFICE_ATTRIBUTES and sub.intent != "where":
        swapped = []
        for e in entities:
            office = kb.offices.by_id(e.office) if e.kind == "country" and e.office else None
            swapped.append(office_entity(office) if office is not None and office.kind == "office" else e)
        entities = swapped
    return replace(sub, entities=tuple(entities))


def _primary(sub: SubQuestion) -> tuple[list[Entity], list[Entity]]:
    """The entities a sentence must name (what the part is about) and those that only help."""
    if not sub.entities:
        return [], []
    if sub.intent == "compare" or (sub.inherited and len(sub.entities) > 1 and _each(sub)):
        return list(sub.entities), []
    kinds = {e.kind for e in sub.entities}
    if sub.inherited and len(sub.entities) > 1 and len(kinds) == 1 and kinds <= {"tool", "org", "name"}:
        return list(sub.entities), []  # "how long does it last?" after comparing two tools: both
    rank = {"person": 0, "office": 1, "pole": 1, "name": 2, "org": 3, "tool": 4}
    main = sorted((e for e in sub.entities if e.kind in rank), key=lambda e: rank[e.kind])
    if not main:
        return list(sub.entities), []
    first = main[0]
    return [first], [e for e in sub.entities if e is not first]


def _each(sub: SubQuestion) -> bool:
    return bool(
        re.search(
            r"\b(each|chacun\w*|both|les deux|the two|respectivement|respectively|they|them|their)\b",
            fold(sub.text),
        )
    )


# -- planning one part ---------------------------------------------------------------------------------


def _plan_part(sub: SubQuestion, ctx: _Context) -> Part:
    if _routes(sub):
        routed = _route(sub, ctx)
        if routed is not None:
            return _closed(routed)
    if sub.intent == "recommend":
        recommended = _recommend(sub, ctx)
        if recommended is not None:
            return recommended
    primary, secondary = _primary(sub)
    if sub.intent == "compare" and len(primary) >= 2:
        return _compare(sub, primary, ctx)
    if len(primary) >= 2:
        together = _together(sub, primary, ctx) if _TOGETHER.search(fold(sub.text)) else None
        return together or _side_by_side(sub, primary, ctx)
    found: tuple[Entity, ...] = ()
    if (
        sub.attributes
        and sub.attributes[0] in PERSON_ATTRIBUTES
        and not any(e.kind == "person" for e in primary)
    ):
        person = _person_for(sub, primary, ctx)
        if person is not None:
            sub = replace(sub, entities=(person,))
            primary, secondary = [person], []
            found = (person,)
    if not sub.entities and sub.intent in ("list", "definition", "general") and _TOOLS.search(fold(sub.text)):
        overview = _tool_overview(sub, ctx)
        if overview is not None:
            return overview
    candidates = _candidates(sub, primary, secondary, ctx)
    if sub.intent == "list" or _wants_items(sub):
        part = _items(sub, candidates, primary, ctx)
    elif sub.intent == "procedure":
        part = _procedure(sub, candidates, primary, ctx)
    else:
        part = _best(sub, candidates, primary, ctx)
    if part.status == "gap" and sub.attribute == "closing":
        part = _still_active(sub, primary, ctx) or part
    return _closed(replace(part, found=part.found + found) if found else part)


def _still_active(sub: SubQuestion, primary: Sequence[Entity], ctx: _Context) -> Part | None:
    """ "Le bureau de Tokyo est-il toujours ouvert ?": an active office of the directory, with no closing."""
    from assistant.prompts import OFFICE_ACTIVE

    office = (
        ctx.kb.offices.by_id(primary[0].office or "") if primary and primary[0].kind == "office" else None
    )
    if office is None or office.kind != "office" or office.status != "active":
        return None
    text = OFFICE_ACTIVE[ctx.lang].format(office=_cap(primary[0].label(ctx.lang)))
    backing = _backing(text, office, ctx)
    part = Part(sub, "answered", (Statement(text, backing, "route"),))
    return replace(part, verdict="yes") if _STILL.search(fold(sub.text)) else part


_STILL = re.compile(r"\b(still|toujours|encore)\b")


def _closed(part: Part) -> Part:
    """A closed question's part with its yes or no, when its first sentence plainly settles it."""
    if part.sub.intent != "yes_no" or part.status != "answered" or part.verdict:
        return part
    if any(s.role == "route" for s in part.statements):
        # "Le CNRS a-t-il un bureau pour le Kenya ?": yes, this one. Not when the question names an
        # office of its own ("Is Japan covered by the Beijing office?"): the route answers for itself.
        named = {e.key for e in part.sub.entities if e.kind in ("office", "pole")}
        if not _routes(part.sub) or not part.found:
            return part
        found = {e.key for e in part.found}
        # "Is Japan covered by the Beijing office?": no, by Tokyo's.
        return replace(part, verdict="yes" if not named or named & found else "no")
    said = [s for s in part.statements if s.source is not None and answers_yes_no(s.text)]
    if said:  # the documents' own "Non : aucun appel..." answers first, in their words
        return replace(part, statements=(said[0], *(s for s in part.statements if s is not said[0])))
    first = next((s.source for s in part.statements if s.source is not None), None)
    return (
        replace(part, verdict=verdict(part.sub.text, first, part.sub.attribute))
        if first is not None
        else part
    )


_TOOLS = re.compile(
    r"\b(outils|dispositifs|instruments|tools|schemes|mechanisms)\b.{0,40}\b(cooperation|collaboration|international\w*)"
    r"|\b(cooperation|collaboration|international\w*)\b.{0,20}\b(tools|schemes|instruments)\b"
)


def _tool_overview(sub: SubQuestion, ctx: _Context) -> Part | None:
    """ "Quels sont les outils de coopération ?": each current tool, in one sentence that says what it is.

    The current tools are those with a page of their own that no later tool replaced (not the PICS,
    LIA, GDRI or UMI, which share the page of former schemes).
    """
    tools = ctx.kb.tools.tools
    former = {t.replaced for t in tools if t.replaced}
    pages = [t.page(ctx.lang) for t in tools]
    current = [t for t in tools if t.acronym not in former and pages.count(t.page(ctx.lang)) == 1]
    entities = {e.key: e for e in entities_of_tools(ctx.kb.tools)}
    statements: list[Statement] = []
    for tool in current:
        entity = entities.get((tool.acronym or tool.id).upper())
        if entity is None:
            continue
        label = entity.label(ctx.lang)
        asked = f"Qu'est-ce que {label} ?" if ctx.lang == "fr" else f"What is {label}?"
        one = replace(sub, text=asked, entities=(entity,), intent="definition", attributes=())
        page = tool.page(ctx.lang)
        candidates = [
            c
            for c in _candidates(one, [entity], [], ctx)
            if c.subject >= 1.0
            and not c.sentence.gap
            and not c.sentence.dangling
            and c.text.rstrip().endswith(".")  # a sentence, not a heading
            and c.text not in ctx.used
        ]
        own = [c for c in candidates if str(c.hit.meta.get("path", "")).startswith(page)] or candidates
        defining = [
            c for c in _defining(own, entity, expanded=True) if mentions(c.sentence.folded[:60], entity)
        ]
        if defining:
            statements.append(Statement(defining[0].text, defining[0], "item"))
    if len(statements) < 2:
        return None
    from assistant.prompts import TOOLS_LEAD

    lead = Statement(TOOLS_LEAD[ctx.lang].format(n=len(statements)), None, "lead")
    return Part(sub, "answered", (lead, *statements))


def _routes(sub: SubQuestion) -> bool:
    """Whether the part asks which office covers something ("quel bureau pour le Liban ?")."""
    folded = fold(sub.text)
    office_word = re.search(r"\b(bureau|bureaux|office|offices|antenne|branch|representation)\b", folded)
    if sub.intent == "where" and "location" not in sub.attributes:
        return True
    if "zone" in sub.attributes and sub.intent not in ("list", "compare"):
        return True
    return sub.intent == "yes_no" and bool(office_word) and any(e.kind == "country" for e in sub.entities)


def _candidates(
    sub: SubQuestion, primary: Sequence[Entity], secondary: Sequence[Entity], ctx: _Context, extra: str = ""
) -> list[Candidate]:
    """Every sentence of the passages retrieved for this part, scored for it, best first."""
    query = _query(sub, primary, ctx.lang, extra)
    hits = {h.id: h for h in ctx.search(query)}
    words = _attribute_words(sub)
    for entity in primary:
        for page in entity.pages:
            for hit in ctx.kb.search.search(
                f"{query} {words}", _PAGE_K, filters={"doc_id": page}, mode="lexical"
            ):
                hits.setdefault(hit.id, hit)
        if entity.kind in ("name", "person"):
            for hit in ctx.kb.search.search(" ".join(entity.aliases[:2]), _PAGE_K, mode="lexical"):
                hits.setdefault(hit.id, hit)
    for hit in hits.values():
        ctx.pool.setdefault(hit.id, hit)
    same = [h for h in hits.values() if h.meta.get("lang") == ctx.lang]
    chosen = same or list(hits.values())
    words = _own_words(sub)
    if len([w for w in content_words(words) if w not in _GENERIC]) < 2:
        # "quelle différence entre les deux ?": the background says between what.
        words = f"{words} {_own_words(replace(sub, text=ctx.analysis.situation))}"
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


def _names_office(text: str, ctx: _Context) -> bool:
    return any(p.office.kind == "office" and p.country is None for p in ctx.kb.offices.find(text))


_EXAMPLE = re.compile(r"\b(par exemple|for example|for instance|e\.g\.|notamment|such as)\b")
_GENERIC = frozenset(
    "difference differences deux two both rapport lien link relation meme same chose thing exemple example "
    "quoi what quel quelle which entre between".split()
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
    return " ".join([sub.text, *labels, extra, _attribute_words(sub)]).strip()


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
    "mission": "missions rôle role",
    "discipline": "discipline chercheur researcher",
    "career": "devenu conseiller became",
    "themes": "thèmes themes",
}


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
    return text


_HOW_VERBS = re.compile(
    r"\b(monter|creer|create|set up|setting up|obtenir|get|faire|lancer|launch|start|starting|mettre en place"
    r"|do i|dois-je|puis-je|peut-on|on fait)\b"
)


def _fresh(candidates: Sequence[Candidate], ctx: _Context) -> list[Candidate]:
    return [c for c in candidates if c.text not in ctx.used]


# -- the general case: the best sentences, conflicts, gaps -------------------------------------------------


def _best(
    sub: SubQuestion, candidates: Sequence[Candidate], primary: Sequence[Entity], ctx: _Context
) -> Part:
    serving = _serving(sub, candidates)
    if sub.intent == "definition" and primary:
        serving = _defining(serving, primary[0])  # "what is X?": the sentence that says what X is first
    key = _key_word(sub, ctx)
    if key is not None:
        # "Un doctorant peut-il porter une IEA ?": a sentence about IEAs that never speaks of doctoral
        # students does not answer, however well it scores on "porter".
        serving = [c for c in serving if not key.stems.isdisjoint(c.sentence.stems)]
    gap = _gap_statement(sub, candidates, key)
    if not serving or (gap is not None and _gap_wins(gap, serving[0], sub)):
        return _gap(sub, candidates, primary, ctx, key)
    fresh = _fresh(serving, ctx)
    example = bool(re.search(r"\b(exemple|example|instance)\b", fold(sub.text)))
    if fresh and example:
        serving = fresh  # an example is something not said yet
    if not fresh or serving[0].text in ctx.used:  # an earlier part's sentence already answers this one
        return Part(sub, "answered", (), _found(sub, serving[:1]))
    best = fresh[0]
    chosen = [best]
    conflict = _conflicting(best, fresh[1:], sub, ctx, _fresh(candidates, ctx))
    if conflict:
        chosen += conflict
        status = "conflict"
    else:
        status = "answered"
        chosen += _complements(best, fresh[1:], sub)
    if best.sentence.announces and best.text.rstrip().endswith(":"):
        items = _announced(best, fresh, ctx)
        statements = [Statement(best.text, best, "lead"), *(Statement(c.text, c, "item") for c in items)]
        return Part(sub, "answered", tuple(statements), _found(sub, chosen))
    if status == "conflict":
        # The sentence that says the sources disagree leads; each value follows with its source.
        kind = _value_kind(sub)
        lead = [c for c in chosen if c.sentence.disagreement and not _values(c.sentence, kind)]
        # Each value with its source; a sentence with no value of the asked kind is no side of it.
        valued = sub.value in ("date", "number") or sub.attribute in ("duration", "opening", "count", "share")
        values = [c for c in chosen if c not in lead and (not valued or _values(c.sentence, kind))]
        statements = [Statement(c.text, c, "lead") for c in lead[:1]] + [
            Statement(c.text, c, "conflict") for c in _dedupe(values)
        ]
        return Part(sub, status, tuple(statements), _found(sub, chosen))
    return Part(
        sub, status, tuple(Statement(c.text, c, "answer") for c in _dedupe(chosen)), _found(sub, chosen)
    )


_NOW = re.compile(r"\b(actuel\w*|current\w*|aujourd'hui|today|present|nowadays)\b")


def _gap_wins(gap: Candidate, best: Candidate, sub: SubQuestion) -> bool:
    """Whether the documents' "not documented" sentence answers better than the best other sentence."""
    if gap.subject >= 1.0 and best.subject < 1.0:
        return True  # "The documentation does not say whether an IRP can be renewed" beats a LIA sentence
    if sub.time == "today" and _NOW.search(gap.sentence.folded):
        recent = bool(best.sentence.years) and max(best.sentence.years) >= 2022
        return not recent and not _NOW.search(best.sentence.folded)  # the first director is not today's
    return False


def _serving(sub: SubQuestion, candidates: Sequence[Candidate]) -> list[Candidate]:
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
    if not serving and sub.intent == "definition":
        serving = [c for c in candidates if c.subject >= 0.7 and not c.sentence.gap]
    if not sub.entities:
        serving = [c for c in serving if c.words >= 0.45]
    elif not sub.attributes and sub.intent not in ("definition", "compare", "list") and _asks_words(sub):
        # Nothing but a subject to go on ("un visa pour le Japon"): the sentence must also hold what
        # the part asks about it, or it only mentions the subject. Naming all of two or more subjects
        # is holding it ("when did the DRI become the DREI?": "the DRI became the DREI in 2005").
        both = len(sub.entities) >= 2
        serving = [
            c
            for c in serving
            if c.words >= 0.35 or (both and all(mentions(c.sentence.folded, e) for e in sub.entities))
        ]
    named = [c for c in serving if c.subject >= 0.7]
    return named or serving


def _key_word(sub: SubQuestion, ctx: _Context, ceiling: float = 3.6) -> Unit | None:
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


def _gap_statement(
    sub: SubQuestion, candidates: Sequence[Candidate], key: Unit | None = None
) -> Candidate | None:
    """The documents' own statement that they do not know what this part asks, if they have one."""
    for c in candidates:
        if (
            c.sentence.gap
            and c.subject >= 0.7
            and c.attribute
            and (key is None or not key.stems.isdisjoint(c.sentence.stems))
            and (key is not None or sub.attributes or c.words >= 0.5)  # about what is asked, in its words
            and (not sub.years or c.sentence.years & set(sub.years) or not c.sentence.years)
        ):
            return c
    return None


def _conflicting(
    best: Candidate,
    others: Sequence[Candidate],
    sub: SubQuestion,
    ctx: _Context,
    everything: Sequence[Candidate] = (),
) -> list[Candidate]:
    """Sentences giving another value of the same property of the same subject: the sources disagree.

    When a sentence says outright that the sources disagree on it, that sentence comes first, then one
    sentence per value. Otherwise two sentences conflict when both name the subject, give the asked
    property, say much the same thing (their other words overlap) and hold different values of the
    kind asked (another year, another duration).
    """
    expects = ctx.analysis.expects_conflict
    valued = sub.value in ("date", "number") or sub.attribute in ("duration", "opening", "count", "share")
    if not (valued or expects):
        return []
    asked = sub.attributes[:1]
    kind = _value_kind(sub)
    about = [c for c in others if c.subject >= min(best.subject, 1.0) and gives_attribute(c.sentence, asked)]
    said = [
        c
        for c in [best, *everything]
        if c.sentence.disagreement
        and c.subject >= 0.7
        and gives_attribute(c.sentence, asked)
        and mentions_any(c.sentence.folded, sub.entities)
        and c.score >= best.score * 0.5
    ]
    mine = _values(best.sentence, kind)
    if said and said[0] is not best and mine and mine <= _values(said[0].sentence, kind):
        # "A 2005 source says X, whereas a 2010 source says Y" agrees on 2005: the sources disagree on
        # something else than the value asked.
        said = []
    if said:
        # "Sources disagree on when the Melbourne office opened.": then a sentence for each value.
        out = [said[0]] if said[0] is not best else []
        seen = set(_values(best.sentence, kind))
        # The sentence whose claim the others must repeat: the best one when it gives a value; when the
        # best only says the sources disagree, the first sentence that gives a value.
        anchor = best if seen else None
        # Sentences that say where their value comes from ("according to...", "selon...") first.
        sourced = sorted(about, key=lambda c: (not _ATTRIBUTED.search(c.sentence.folded), -c.score))
        for c in sourced:
            theirs = _values(c.sentence, kind)
            if c is said[0] or not theirs or theirs <= seen or c.score < best.score * 0.5:
                continue
            if anchor is not None and not _same_claim(anchor.sentence, c.sentence, 0.15):
                continue  # a year, but of something else (a joint PhD programme launched in 2019)
            anchor = anchor or c
            out.append(c)
            seen |= theirs
            if len(seen) >= 2 and len(out) >= (2 if said[0] is not best else 1):
                break
        return out
    out = []
    mine = _values(best.sentence, kind)
    for c in about:
        if c.score < best.score * (0.55 if expects else 0.72):
            continue
        if valued:
            theirs = _values(c.sentence, kind)
            if mine and theirs and not (mine & theirs) and _same_claim(best.sentence, c.sentence):
                out.append(c)
        elif (
            _same_claim(best.sentence, c.sentence, 0.2)
            and jaccard(best.sentence.stems, c.sentence.stems) < 0.7
        ):
            out.append(c)
        if len(out) >= 2:
            break
    return out


_ATTRIBUTED = re.compile(r"\b(selon|according to|d'apres|reported|indique|annonce\w*|states?|says?)\b")


def mentions_any(folded: str, entities: Sequence[Entity]) -> bool:
    return not entities or any(mentions(folded, e) for e in entities)


def _value_kind(sub: SubQuestion) -> str:
    if "duration" in sub.attributes:
        return "duration"
    if "share" in sub.attributes:
        return "share"
    if sub.value == "date" or "opening" in sub.attributes:
        return "year"
    return "number"


_DURATION = re.compile(
    r"\b(\d+|un|une|deux|trois|quatre|cinq|six|one|two|three|four|five|six)(?:\s*(?:a|to|-|or|ou)\s*\w+)?\s*"
    r"(ans?|annees?|years?|mois|months)\b"
)
_SHARE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(%|pour cent|percent)")
_NUMBER_WORDS = {
    "un": "1",
    "une": "1",
    "one": "1",
    "deux": "2",
    "two": "2",
    "trois": "3",
    "three": "3",
    "quatre": "4",
    "four": "4",
    "cinq": "5",
    "five": "5",
    "six": "6",
}


def _values(sentence: Sentence, kind: str) -> frozenset[str]:
    """The values of the asked kind a sentence gives (years, durations, percentages, figures)."""
    if kind == "year":
        return frozenset(str(y) for y in sentence.years)
    if kind == "duration":
        return frozenset(
            _NUMBER_WORDS.get(m.group(1), m.group(1)) + m.group(2)[:1]
            for m in _DURATION.finditer(sentence.folded)
        )
    if kind == "share":
        return frozenset(m.group(1) for m in _SHARE.finditer(sentence.folded))
    return frozenset(re.findall(r"\b(?!(?:19|20)\d\d\b)\d[\d\s.,]*\d|\b\d\b", sentence.folded))


def _same_claim(a: Sentence, b: Sentence, floor: float = 0.3) -> bool:
    """Whether two sentences say much the same thing, figures aside."""
    return jaccard(_words(a), _words(b)) >= floor


def _words(sentence: Sentence) -> frozenset[str]:
    return frozenset(w for w in sentence.stems if not w[:1].isdigit())


def _complements(best: Candidate, others: Sequence[Candidate], sub: SubQuestion) -> list[Candidate]:
    """At most one more sentence, when it adds to the same answer rather than repeating it."""
    if sub.intent not in ("definition", "yes_no", "general", "list"):
        return []
    for c in others:
        if c.score < best.score * 0.9:
            break
        if c.subject < best.subject or c.sentence.dangling or c.words < best.words * 0.6 or not c.attribute:
            continue
        new = c.sentence.stems - best.sentence.stems
        if len(new) < 0.4 * len(c.sentence.stems):
            continue  # mostly says what the first sentence said
        kind = _value_kind(sub)
        if (
            sub.value
            and _values(c.sentence, kind)
            and _values(c.sentence, kind) <= _values(best.sentence, kind)
        ):
            continue  # the same value again
        return [c]
    return []


def _gap(
    sub: SubQuestion,
    candidates: Sequence[Candidate],
    primary: Sequence[Entity],
    ctx: _Context,
    key: Unit | None = None,
) -> Part:
    """Nothing gives what this part asks: the documents' own "not documented" sentence, or ours.

    Then the closest thing the documents do say: a sentence on the subject that gives the asked
    property, or, for a part asked in its own words, one that holds its key word (the rule for IRP
    coordinators when asked about doctoral students leading an IEA).
    """
    said = _gap_statement(sub, candidates, key)
    statements: list[Statement] = []
    if said is not None and said.text not in ctx.used:
        statements.append(Statement(said.text, said, "gap"))
    elif said is None:
        statements.append(Statement(_gap_text(sub, primary, ctx.lang), None, "gap"))
    about = [
        c
        for c in _fresh(candidates, ctx)
        if c.subject >= (0.6 if key is not None else 1.0)
        and not c.sentence.gap
        and not c.sentence.dangling
        and (c.attribute or not sub.attributes)
        and (key is None or not key.stems.isdisjoint(c.sentence.stems))
        and c.text not in {s.text for s in statements}
    ]
    if about and primary:
        statements.append(Statement(about[0].text, about[0], "context"))
    return Part(sub, "gap", tuple(statements))


def _gap_text(sub: SubQuestion, primary: Sequence[Entity], lang: str) -> str:
    from assistant.prompts import GAP, GAP_ABOUT

    attribute = ATTRIBUTE_BY_NAME.get(sub.attribute or "")
    what = attribute.label.get(lang, "") if attribute is not None and attribute.label else ""
    if primary and what:
        return GAP_ABOUT[lang].format(what=what, subject=primary[0].label(lang))
    return GAP[lang].format(question=sub.text.rstrip(" ?"))


def _found(sub: SubQuestion, chosen: Sequence[Candidate]) -> tuple[Entity, ...]:
    """A person named by a "who" answer: what "his / her / sa" in the next part points to."""
    if sub.value != "person" and "director" not in sub.attributes:
        return ()
    names = [p for c in chosen for p in c.sentence.persons]
    if not names:
        return ()
    return (person_entity(names[0]),)


def person_entity(name: str) -> Entity:
    """A person named in a sentence, with the short forms texts use ("Minh-Hà Pham" for Minh-Hà Pham-Delègue)."""
    words = fold(name).split()
    aliases = {" ".join(words), words[-1]}
    if "-" in words[-1]:
        aliases.add(" ".join([*words[:-1], words[-1].split("-")[0]]))
    return Entity(
        "person", " ".join(words), {"fr": name, "en": name}, tuple(sorted(aliases, key=len, reverse=True))
    )


def _person_for(sub: SubQuestion, primary: Sequence[Entity], ctx: _Context) -> Entity | None:
    """ "DERCI's first director's background": first the director, then what is asked about them."""
    lookup = replace(sub, attributes=("director",), intent="who")
    candidates = _candidates(lookup, primary, [], ctx)
    serving = [c for c in candidates if c.serves]
    if not serving:
        return None
    found = _found(lookup, serving[:1])
    return found[0] if found else None


def _dedupe(chosen: Sequence[Candidate]) -> list[Candidate]:
    """Sentences that each add something: one whose words are mostly in an earlier one is left out."""
    out: list[Candidate] = []
    for c in chosen:
        stems = c.sentence.stems
        if all(c.text != o.text and len(stems - o.sentence.stems) >= 0.4 * len(stems) for o in out):
            out.append(c)
    return out


# -- lists and procedures ------------------------------------------------------------------------------------


def _wants_items(sub: SubQuestion) -> bool:
    return bool(set(sub.attributes) & {"themes", "structures"}) and sub.intent == "list"


def _items(
    sub: SubQuestion, candidates: Sequence[Candidate], primary: Sequence[Entity], ctx: _Context
) -> Part:
    """Every item of a list: an enumerating sentence, the items a sentence announces, or one per sentence."""
    office = next((e for e in primary if e.kind == "office"), None)
    if office is not None and sub.attribute == "zone":
        listed = _office_countries(sub, office, ctx)
        if listed is not None:
            return listed
    serving = [c for c in _serving(sub, candidates) if c.subject >= 0.7]
    if not serving:
        return _gap(sub, candidates, primary, ctx)
    if sub.attribute == "structures":  # named structures, one sentence each, before any count of them
        named = _structure_items([c for c in candidates if c.subject >= 0.5 and c.attribute], ctx)
        if len(named) >= 2:
            return Part(sub, "answered", tuple(Statement(c.text, c, "item") for c in named))
    # The best list-shaped answer: a sentence that enumerates the items, or one that announces them
    # with the items in the sentences after it; the better scored wins.
    top = [c for c in serving[:15] if c.score >= serving[0].score * 0.8 and not c.sentence.dangling]
    shaped: list[tuple[float, Part]] = []
    for c in top:
        if c.words < serving[0].words * 0.5:
            continue  # a list, but of something else
        if enumerates(c.sentence):
            shaped.append(
                (
                    c.score + 0.2 * _list_quality(c.sentence),
                    Part(sub, "answered", (Statement(c.text, c, "answer"),)),
                )
            )
        elif c.sentence.announces:
            follow = _announced(c, serving, ctx)
            if follow and (len(follow) >= 2 or enumerates(follow[0].sentence)):
                led = (Statement(c.text, c, "lead"), *(Statement(f.text, f, "item") for f in follow))
                shaped.append((c.score + 0.2 * _list_quality(c.sentence), Part(sub, "answered", led)))
    if shaped:
        return max(shaped, key=lambda pair: pair[0])[1]
    if not _wants_items(sub):  # "which bodies subsidised it?": the sentences that say it
        return _best(sub, candidates, primary, ctx)
    best = serving[0]
    items = [best]
    for c in serving[1:]:
        if len(items) >= 8 or c.score < best.score * 0.8:
            break
        if c.subject >= 1.0 and all(jaccard(c.sentence.stems, i.sentence.stems) < 0.5 for i in items):
            items.append(c)
    if len(items) == 1:
        return Part(sub, "answered", (Statement(best.text, best, "answer"),))
    return Part(sub, "answered", tuple(Statement(c.text, c, "item") for c in items))


def _announced(lead: Candidate, serving: Sequence[Candidate], ctx: _Context) -> list[Candidate]:
    """The sentences after `lead` in its section that list what it announces ("trois grands défis")."""
    by_text = {c.text: c for c in serving}
    count = _announced_count(lead.sentence)
    items: list[Candidate] = []
    for hit, s in _following(lead, ctx.kb.lexical):
        if s.gap or s.pointer or len(items) >= 10:
            break
        items.append(by_text.get(s.text) or Candidate(s, hit, lead.score * 0.9, 1.0, True, True))
        if enumerates(s) or (count and len(items) >= count):
            break  # "... are IRD, IFRA and CIRAD.": the announced items, all in one sentence
    return items


_COUNTS = {
    "deux": 2,
    "two": 2,
    "trois": 3,
    "three": 3,
    "quatre": 4,
    "four": 4,
    "cinq": 5,
    "five": 5,
    "six": 6,
    "sept": 7,
    "seven": 7,
    "huit": 8,
    "eight": 8,
    "neuf": 9,
    "nine": 9,
    "dix": 10,
    "ten": 10,
}


def _announced_count(sentence: Sentence) -> int:
    """How many items a sentence announces ("trois grands défis" -> 3), 0 when it does not say."""
    m = re.search(r"\b(\d{1,2}|" + "|".join(_COUNTS) + r")\b(?= (\w+ )?\w+s\b)", sentence.folded)
    if not m:
        return 0
    return int(m.group(1)) if m.group(1).isdigit() else _COUNTS[m.group(1)]


def _following(lead: Candidate, lexical: LexicalIndex) -> list[tuple[Hit, Sentence]]:
    """The sentences after `lead` in its section: in its chunk, then in the section's other chunks."""
    out = [(lead.hit, s) for s in sentences_of(lead.hit.chunk.text) if s.position > lead.sentence.position]
    for other in _section_chunks(lead.hit, lexical):
        out += [(other, s) for s in sentences_of(other.chunk.text)]
    return out


def _section_chunks(hit: Hit, lexical: LexicalIndex) -> list[Hit]:
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


_STRUCTURE = re.compile(
    r"^(?i:the |l'|le |la |les )?(?i:(irl|irp|irn|iea|lia|umi|gdri|umifre|lmi|usr|umr|ifre)s? )?"
    r"[A-Z0-9][\w@²-]*[A-Z][\w@²-]*\b"
)


def _structure_items(serving: Sequence[Candidate], ctx: _Context) -> list[Candidate]:
    """Sentences that each name one structure ("The LIA FCPPL works on..."), from the best passage's section."""
    first = next((c for c in serving[:20] if _STRUCTURE.match(c.text[:60])), None)
    if first is None:
        return []
    best = first  # the section that names one structure names the others
    pool = [(best.hit, s) for s in sentences_of(best.hit.chunk.text)] + [
        (h, s) for h in _section_chunks(best.hit, ctx.kb.lexical) for s in sentences_of(h.chunk.text)
    ]
    out: list[Candidate] = []
    for hit, sentence in pool:
        head = sentence.text[:60]
        if _STRUCTURE.match(head) and not sentence.gap and not any(c.text == sentence.text for c in out):
            # One item per structure: a second sentence on the same name adds detail, not an item.
            name = _STRUCTURE.match(head).group(0).split()[-1]  # type: ignore[union-attr]
            if any(name in c.text[:60] for c in out):
                continue
            out.append(Candidate(sentence, hit, best.score, 1.0, True, True))
    return out[:10]


def _list_quality(sentence: Sentence) -> int:
    """How clearly a sentence introduces a list: a count of items and a colon before them."""
    return int(":" in sentence.text) + int(sentence.announces)


def _office_countries(sub: SubQuestion, office: Entity, ctx: _Context) -> Part | None:
    """The countries an office covers: the sentence that lists them, else the directory's list, labelled."""
    from assistant.prompts import COVERAGE, RECONSTRUCTED_LIST

    directory = ctx.kb.offices.by_id(office.key)
    if directory is None or not directory.countries:
        return None
    names = [c.name(ctx.lang) for c in directory.countries]
    candidates = _candidates(replace(sub, attributes=("zone",)), [office], [], ctx, extra=" ".join(names[:6]))
    counted = [(sum(fold(n) in c.sentence.folded for n in names), c) for c in candidates if c.subject > 0]
    listing = [(n, c) for n, c in counted if n >= max(3, len(names) - 1)]
    if listing:  # the sources' own list, when one sentence names (almost) every country
        best = max(listing, key=lambda pair: (pair[0], pair[1].score))[1]
        return Part(sub, "answered", (Statement(best.text, best, "answer"),), (office,))
    text = COVERAGE[ctx.lang].format(
        city=directory.text("city", ctx.lang),
        countries=", ".join(names),
        zone=directory.text("zone", ctx.lang),
    )
    statements = [Statement(text, _backing(text, directory, ctx), "route")]
    if directory.countries_reconstructed:
        # The sources name the region, not every country: say that the list is a reconstruction.
        statements.append(Statement(RECONSTRUCTED_LIST[ctx.lang], None, "lead"))
    return Part(sub, "answered", tuple(statements), (office,))


def _procedure(
    sub: SubQuestion, candidates: Sequence[Candidate], primary: Sequence[Entity], ctx: _Context
) -> Part:
    """The steps, in the order the document gives them."""
    serving = _fresh(_serving(sub, candidates), ctx)
    # "comment obtenir un visa touristique ?": nothing on tourist visas is no answer. A "how" question's
    # own words are few, so a less rare one already says what it is about.
    key = _key_word(sub, ctx, ceiling=4.2)
    if key is not None:
        serving = [c for c in serving if not key.stems.isdisjoint(c.sentence.stems)]
    if not serving:
        return _gap(sub, candidates, primary, ctx, key)
    best = serving[0]
    same = [c for c in serving if c.hit.id == best.hit.id and c.score >= best.score * 0.8]
    if len(same) >= 2:
        steps = sorted(same[:3], key=lambda c: c.sentence.position)
    else:
        # The best sentence, then those close behind that add something ("... : the creation of an
        # IRL is discussed with the institute"), not those that only repeat it.
        pool = [c for c in serving[:6] if c.score >= best.score * 0.9 and c.subject >= best.subject]
        steps = _dedupe([best, *pool])[:2]
    return Part(sub, "answered", tuple(Statement(c.text, c, "answer") for c in _dedupe(steps)))


# -- comparisons ------------------------------------------------------------------------------------------------


def _compare(sub: SubQuestion, primary: Sequence[Entity], ctx: _Context) -> Part:
    """What relates the subjects, then the same property of each, side by side."""
    candidates = _candidates(sub, primary, [], ctx)
    both = [
        c
        for c in candidates
        if sum(mentions(c.sentence.folded, e) for e in primary) >= 2
        and _relates(c.sentence.folded, primary)  # "aux côtés de l'IEA" names both, compares nothing
        and not c.sentence.gap
        and not c.sentence.dangling
    ]
    statements: list[Statement] = []
    covered: set[str] = set()
    for c in both[:2]:
        named = {e.key for e in primary if mentions(c.sentence.folded, e)}
        if named - covered:
            statements.append(Statement(c.text, c, "answer"))
            covered |= named
    # Then what each one is (or the property asked of each), one sentence each.
    side = _side_by_side(
        replace(sub, intent="general"),
        primary,
        ctx,
        skip={s.text for s in statements},
        quiet=bool(statements),
    )
    statements += side.statements
    return Part(sub, "answered" if statements else "gap", tuple(statements))


_RELATION = re.compile(
    r"\b(contrairement|unlike|whereas|alors que|tandis que|than|que l[ae']?|par rapport|compared|compare\w*"
    r"|differ\w*|distinct\w*|remplac\w*|replac\w*|succed\w*|succeed\w*|success\w*|devenu\w*|became|become"
    r"|same|meme|ancien\w*|former|avant|before|apres|after|suite|next|etape|step|prolong\w*|extend\w*"
    r"|plus (long|court|large|petit|grand)\w*|longer|shorter|larger|smaller|au lieu|instead|oppos\w*|versus|vs"
    r"|et non|and not|not the|rather|plutot|mais|but|while|pendant que"
    r"|appele\w*|called|renamed|rebaptis\w*|devien\w*|desormais|nouveau nom|new name|ex|formerly|anciennement)\b"
)


def _relates(folded: str, entities: Sequence[Entity]) -> bool:
    """Whether a sentence relates two of the subjects: a comparing word between their names ("the IRN
    differs from the IRP") or opening the sentence ("Unlike the IEA, the IRP ...")."""
    spans = sorted(span for e in entities if (span := _first_mention(folded, e)) is not None)
    if len(spans) < 2:
        return False
    if _RELATION.match(folded[: spans[0][0]].strip()):
        return True
    for (_, end), (start, _) in itertools.combinations(spans, 2):
        between = folded[end:start]
        # two names far apart in a long sentence are listed, not related
        if len(between) <= 90 and _RELATION.search(between):
            return True
    return False


def _first_mention(folded: str, entity: Entity) -> tuple[int, int] | None:
    found = [m.span() for a in entity.aliases if (m := _mention_pattern(a).search(folded))]
    return min(found) if found else None


@functools.lru_cache(maxsize=2048)
def _mention_pattern(alias: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@-]){re.escape(alias)}(?![\w@-])")


_TOGETHER = re.compile(
    r"\b(joint\w*|together|ensemble|conjoint\w*|commun\w*|between them|entre eux|co-?organi\w*|with each other)\b"
)


def _together(sub: SubQuestion, primary: Sequence[Entity], ctx: _Context) -> Part | None:
    """What the subjects did together ("a joint event of the JSPS, the JST and the CNRS"): one sentence
    that names them all, rather than one sentence about each."""
    candidates = _candidates(sub, primary, [], ctx)
    joint = [
        c
        for c in _serving(sub, candidates)
        if c.attribute and all(mentions(c.sentence.folded, e) for e in primary)
    ]
    if not joint:
        return None
    return _best(sub, joint, primary, ctx)


def _side_by_side(
    sub: SubQuestion,
    primary: Sequence[Entity],
    ctx: _Context,
    skip: set[str] | None = None,
    quiet: bool = False,
) -> Part:
    """The asked property of each subject, one sentence each (`quiet`: say nothing of a missing one)."""
    skip = set(skip or ())
    statements: list[Statement] = []
    missing: list[Entity] = []
    for entity in primary:
        one = replace(sub, entities=(entity,), intent="general" if sub.intent == "compare" else sub.intent)
        candidates = [
            c for c in _candidates(one, [entity], [], ctx) if c.text not in skip and c.text not in ctx.used
        ]
        own = [c for c in candidates if c.serves and c.subject >= 1.0]
        alone = [
            c for c in own if not any(mentions(c.sentence.folded, o) for o in primary if o is not entity)
        ]
        ok = alone or own
        if not sub.attributes:
            ok = _defining(ok or [c for c in candidates if c.subject >= 1.0 and not c.sentence.gap], entity)
        ok = [c for c in ok if not c.sentence.dangling]
        # "... represents the CNRS to the EU institutions:" announces items a one-line answer leaves out.
        ok = sorted(ok, key=lambda c: c.text.rstrip().endswith(":"))
        if ok:
            statements.append(Statement(ok[0].text, ok[0], "answer"))
            skip.add(ok[0].text)
            dated = [
                c
                for c in ok[1:4]
                if (c.sentence.date or c.sentence.number)
                and not (ok[0].sentence.date or ok[0].sentence.number)
                and mentions(c.sentence.folded[:50], entity)  # still about it, not a meeting it attended
            ]
            if not sub.attributes and dated and jaccard(dated[0].sentence.stems, ok[0].sentence.stems) < 0.5:
                statements.append(
                    Statement(dated[0].text, dated[0], "answer")
                )  # what it is, then a dated fact
                skip.add(dated[0].text)
        else:
            missing.append(entity)
    if not quiet:
        for entity in missing:
            statements.append(
                Statement(_gap_text(replace(sub, entities=(entity,)), [entity], ctx.lang), None, "gap")
            )
    status = "answered" if len(missing) < len(primary) else "gap"
    return Part(sub, status, tuple(statements))


_IS = re.compile(r"(est|sont|is|are|designe|means|refers to|signifie|l'|le |la |les |the |un |une |an? )")
_DEFINING = re.compile(
    r"((\w+ ){0,2}(est|sont|is|are|designe|means|refers to|signifie|a ete cree|was created|remplace|replaced"
    r"|permet|permettent|allows?|lets|sert|servent|serves?|fédère|federe|connects?|relie|associe|links?))\b"
)


_ARTICLE = re.compile(r"^(l'|l’|le |la |les |un |une |des |the |an |a |en \d{4}, |in \d{4}, )")


def _defining(candidates: Sequence[Candidate], entity: Entity, expanded: bool = False) -> list[Candidate]:
    """Candidates that say what the entity is first: "X is ...", "Un X (...) est ...".

    `expanded`: among those, the ones that spell the name out ("L'IRL (International Research
    Laboratory) est ...") first: what a list of tools, one line each, needs.
    """

    def opens_on(c: Candidate) -> int:
        """0: "X is ..." / "X (...) est ..."; 1: "X allows ..."; 2: X is not the sentence's subject.

        The name must be the subject: first, or after an article ("L'IEA", "Un IRN (...)"), and followed
        by its expansion, a colon or the verb ("IRP proposals are submitted..." is about proposals).
        """
        head = _ARTICLE.sub("", c.sentence.folded[:120], count=1)
        for alias in entity.aliases:
            if not head.startswith(alias):
                continue
            rest = re.sub(r"^s?\s*(\([^()]*\)\s*)?[:,]?\s*", "", head[len(alias) :])
            if _IS.match(rest):
                return 0
            if _DEFINING.match(rest):
                return 1
        return 2

    def expands(c: Candidate) -> bool:  # "L'IRL (International Research Laboratory) est ...": a definition
        head = c.sentence.folded[:80]
        return any(re.search(re.escape(a) + r"\s*\(", head) for a in entity.aliases)

    return sorted(candidates, key=lambda c: (opens_on(c), expanded and not expands(c), -c.score))


# -- routing and recommendation -----------------------------------------------------------------------------


def _route(sub: SubQuestion, ctx: _Context) -> Part | None:
    """Which office covers the places (or the structures) this part names."""
    from assistant.prompts import ROUTE_COUNTRIES, ROUTE_COUNTRY, ROUTE_COUNTRY_POLE

    lang = ctx.lang
    statements: list[Statement] = []
    found: list[Entity] = []
    by_office: dict[str, list[Entity]] = {}
    for entity in sub.entities:
        if entity.kind == "country" and entity.office:
            by_office.setdefault(entity.office, []).append(entity)
        elif entity.kind in ("office", "pole") and "zone" in sub.attributes and sub.intent != "where":
            return None  # "which countries does it cover": a list
    for office_id, countries in by_office.items():
        office = ctx.kb.offices.by_id(office_id)
        if office is None:
            continue
        names = [country_in_sentence(c.label(lang), lang) for c in countries]
        if office.kind == "pole":
            pole = office.text("names", lang)
            if pole[1:2].islower():  # "Secteur Europe..." -> "secteur Europe...", but "DEI ..." stays
                pole = pole[:1].lower() + pole[1:]
            text = ROUTE_COUNTRY_POLE[lang].format(country=join_names(names, lang), pole=pole)
        else:
            plural = len(countries) > 1 or plural_country(countries[0].label(lang), lang)
            template = ROUTE_COUNTRIES if plural else ROUTE_COUNTRY
            text = template[lang].format(
                countries=_cap(join_names(names, lang)),
                country=_cap(names[0]),
                city=office.text("city", lang),
                zone=office.text("zone", lang),
            )
        statements.append(Statement(text, _backing(text, office, ctx, countries[0].label(lang)), "route"))
        found.append(office_entity(office))
    if not statements:
        for entity in sub.entities:
            if entity.kind == "name":
                hop = _hop(entity, sub, ctx)
                if hop is not None:
                    return hop
        return None
    # "À qui s'adresser pour chacun des deux volets ?": the other subjects (Horizon Europe) get theirs too.
    for entity in sub.entities:
        if entity.kind in ("org", "tool") and not by_office.get(entity.office or ""):
            one = replace(sub, entities=(entity,), intent="where", attributes=())
            part = _best(one, _candidates(one, [entity], [], ctx), [entity], ctx)
            if part.answered:
                statements += [s for s in part.statements if s.role != "gap"][:1]
    # A country no office abroad covers is a gap the documents state (only a pole at headquarters).
    poles_only = all(
        (office := ctx.kb.offices.by_id(office_id)) is None or office.kind == "pole"
        for office_id in by_office
    )
    status = "gap" if by_office and poles_only else "answered"
    return Part(sub, status, tuple(_unique_statements(statements)), tuple(found))


def _hop(entity: Entity, sub: SubQuestion, ctx: _Context) -> Part | None:
    """A named structure's office: the country its sentences place it in, else the office page it is on."""
    from assistant.prompts import ROUTE_COUNTRY, ROUTE_NAME

    lang = ctx.lang
    about = replace(sub, intent="general", attributes=(), entities=(entity,))
    candidates = [c for c in _candidates(about, [entity], [], ctx) if c.subject >= 0.8 and not c.sentence.gap]
    for c in candidates[:8]:
        places = ctx.kb.offices.find(c.text) or ctx.kb.offices.find(str(c.hit.meta.get("section") or ""))
        for place in places:
            office = place.office
            if office.kind != "office" or office.status != "active":
                continue
            statements = [Statement(c.text, c, "context")]
            zone = office.text("zone", lang)
            if place.country is not None:
                country = country_in_sentence(place.country.name(lang), lang)
                text = ROUTE_COUNTRY[lang].format(
                    country=_cap(country), city=office.text("city", lang), zone=zone
                )
                statements.append(
                    Statement(text, _backing(text, office, ctx, place.country.name(lang)), "route")
                )
            else:  # the sentence places it in an office's city ("... museum in Pretoria")
                text = ROUTE_NAME[lang].format(
                    name=entity.label(lang), city=office.text("city", lang), zone=zone
                )
                statements.append(Statement(text, _backing(text, office, ctx), "route"))
            return Part(sub, "answered", tuple(statements), (office_entity(office),))
    for c in candidates[:5]:
        office_id = str(c.hit.meta.get("office") or "")
        on_page = ctx.kb.offices.by_id(office_id) if office_id else None
        if on_page is not None and on_page.kind == "office":
            office = on_page
            from assistant.prompts import ROUTE_BY_PAGE

            text = ROUTE_BY_PAGE[lang].format(name=entity.label(lang), city=office.text("city", lang))
            return Part(
                sub,
                "answered",
                (Statement(c.text, c, "context"), Statement(text, c, "route")),
                (office_entity(office),),
            )
    return None


def _recommend(sub: SubQuestion, ctx: _Context) -> Part | None:
    """The tool that fits the collaboration the message describes, with the passage that says why."""
    from assistant.prompts import TOOL_RECOMMENDATION, TOOL_SITUATIONS

    stage = collaboration_stage(ctx.analysis.situation)
    tool = ctx.kb.tools.by_stage(stage) if stage else None
    if tool is None or stage is None:
        return None
    text = TOOL_RECOMMENDATION[ctx.lang].format(
        situation=TOOL_SITUATIONS[stage][ctx.lang], tool=tool_label(tool, ctx.lang)
    )
    page = tool.page(ctx.lang)
    query = f"{tool.acronym} {tool.text('stage_note', ctx.lang)} {tool.text('purpose', ctx.lang)}"
    backing = _best_backing(text, page, query, ctx)
    statements = [Statement(text, backing, "route")]
    detail = _tool_detail(tool.acronym, page, ctx)
    if detail is not None and (backing is None or detail.text != backing.text):
        statements.append(Statement(detail.text, detail, "answer"))
    found = (
        Entity(
            "tool",
            (tool.acronym or tool.id).upper(),
            {"fr": tool.acronym, "en": tool.acronym},
            (fold(tool.acronym),),
            pages=tuple(tool.pages.values()),
        ),
    )
    return Part(sub, "answered", tuple(statements), found)


def _tool_detail(acronym: str, page: str, ctx: _Context) -> Candidate | None:
    """The sentence of the tool's page that gives its duration (what a researcher weighs first)."""
    sub = SubQuestion(
        text=f"{acronym} durée duration ans years", intent="general", attributes=("duration",), entities=()
    )
    hits = ctx.kb.search.search(sub.text, 4, filters={"doc_id": page}, mode="lexical")
    units = question_units(sub.text, ctx.idf)
    best = [
        score(s, h, sub, units, primary=[])
        for h in hits
        for s in sentences_of(h.chunk.text)
        if acronym.lower() in s.folded
    ]
    best = [c for c in best if c.attribute and c.value and not c.sentence.dangling]
    best.sort(key=lambda c: -c.score)
    return best[0] if best else None


def _backing(text: str, office: Office, ctx: _Context, country: str = "") -> Candidate | None:
    """The passage of the office's page that best supports a directory statement."""
    page = office.page(ctx.lang)
    query = f"{country} {office.text('city', ctx.lang)} {office.text('zone', ctx.lang)}"
    return _best_backing(text, page, query, ctx)


def _best_backing(text: str, page: str, query: str, ctx: _Context) -> Candidate | None:
    if not page:
        return None
    hits = ctx.kb.search.search(query, 4, filters={"doc_id": page}, mode="lexical")
    best: tuple[float, Sentence, Hit] | None = None
    for hit in hits:
        for s in sentences_of(hit.chunk.text):
            value = support(text, s.text)
            if best is None or value > best[0]:
                best = (value, s, hit)
    if best is None or best[0] < 0.3:
        return None
    value, sentence, hit = best
    return Candidate(sentence, hit, value, 1.0, True, True)


# -- helpers ------------------------------------------------------------------------------------------------------


def _unique_statements(statements: Sequence[Statement]) -> list[Statement]:
    seen: set[str] = set()
    out = []
    for s in statements:
        if s.text not in seen:
            seen.add(s.text)
            out.append(s)
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


_OFFICE_PLACE = re.compile(
    r"\b(?:bureau|office|antenne|branch|representation)\s+(?:du cnrs\s+|of the cnrs\s+|cnrs\s+)?(?:a|à|au|en|in|at|de|d')\s*"
    r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)",
)


def _unknown_office(analysis: Analysis, kb: KnowledgeBase) -> str:
    """A place named as an office's ("the CNRS office in Berlin") where the CNRS has no office, or ""."""
    if not any(o.kind == "office" for o in kb.offices.offices):
        return ""  # a corpus without an office directory cannot tell which offices do not exist
    text = analysis.text
    for m in _OFFICE_PLACE.finditer(_strip_case_keep(text)):
        place = m.group(1)
        if kb.offices.find(place) or fold(place.split()[0]) in _REGIONS:
            continue
        place = place.split()[0] if not kb.offices.find(place.split()[0]) else place
        if kb.offices.find(place):
            continue
        if any(
            mentions(fold(place), e) for e in analysis.entities if e.kind in ("office", "country", "pole")
        ):
            continue
        return place
    return ""


_REGIONS = frozenset(
    "cnrs dei derci europe afrique africa asie asia amerique america ameriques americas oceanie oceania the le la "
    "latine latin moyen-orient middle mediterranee mediterranean pacifique pacific nord sud est ouest north south "
    "east west".split()
)


def _strip_case_keep(text: str) -> str:
    """`text` with the words the office pattern looks for lower-cased, and names kept as written."""
    return re.sub(
        r"\b(Bureau|Office|Antenne|Branch|Representation|Du|Of|The|Cnrs|CNRS|In|At|De|Au|En|A|À)\b",
        lambda m: fold(m.group(0)),
        text,
    ).replace("à", "a")


def _contact(analysis: Analysis, kb: KnowledgeBase) -> str | None:
    """Whom to ask when the documents fall short: the office of the question's place, if any."""
    for entity in analysis.entities:
        office = kb.offices.by_id(entity.office) if entity.office else None
        if office is not None:
            name = office.text("names", analysis.lang)
            if name[1:2].islower():  # "Bureau du CNRS pour...", "Pôle Amériques": a common noun, lowered
                name = name[:1].lower() + name[1:]
            if analysis.lang == "fr":
                article = (
                    "l'"
                    if name[:1] in "aeiouéèAEIOUÉ"
                    else "les "
                    if name.split()[0].endswith("x")
                    else "le "
                )
            else:
                article = "the "
            return article + name  # "adressez-vous à le bureau..." becomes "au bureau..." when composed
    return None


def units_for(text: str, kb: KnowledgeBase) -> list[Unit]:
    return question_units(text, kb.lexical.idf, kb.glossary.alternatives)
