"""Lists and procedures: every item a list question asks for, and the steps of a procedure in the order
the document gives them.

A list is a sentence that enumerates the items, a sentence that announces them followed by the items,
one sentence per named structure, or an office's countries (`offices.office_countries`); "what are
the cooperation tools?" is each current tool in the one sentence that says what it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.analysis import fold, text_stems
from assistant.best import announced as _announced
from assistant.best import announced_count as _announced_count
from assistant.best import best as _best
from assistant.best import dedupe as _dedupe
from assistant.best import defining as _defining
from assistant.best import placed_in
from assistant.candidates import candidates as _candidates
from assistant.candidates import fresh as _fresh
from assistant.candidates import in_place
from assistant.candidates import key_word as _key_word
from assistant.candidates import section_chunks as _section_chunks
from assistant.candidates import serving as _serving
from assistant.entities import TOOL_LADDER, Entity, entities_of_tools, mentions
from assistant.entities import next_tool as _next_tool
from assistant.gaps import gap as _gap
from assistant.offices import best_backing as _best_backing
from assistant.offices import office_countries as _office_countries
from assistant.offices import route as _route
from assistant.parts import SubQuestion, listed_noun
from assistant.plans import Context, Part, Statement
from assistant.prompts import LAST_TOOL, NEXT_TOOL, STEPS_OF_TOOLS, STEPS_QUERY, TOOLS_CHOICE_LEAD, TOOLS_LEAD
from assistant.selection import Candidate, Sentence, enumerates, headed_missions, jaccard, sentences_of

__all__ = ["items", "next_step", "procedure", "tool_definition", "tool_overview", "wants_items"]


_RANKS = {
    "premier": 1,
    "premiere": 1,
    "first": 1,
    "deuxieme": 2,
    "second": 2,
    "seconde": 2,
    "troisieme": 3,
    "third": 3,
    "quatrieme": 4,
    "fourth": 4,
    "cinquieme": 5,
    "fifth": 5,
    "sixieme": 6,
    "sixth": 6,
}
_RANK = re.compile(r"\b(" + "|".join(_RANKS) + r")\b")


def _ranked(candidates: Sequence[Candidate], primary: Sequence[Entity]) -> list[Candidate]:
    """Sentences that each give one rank of the subject ("le deuxième IRC du CNRS a été créé ..."), one
    per rank, in order; empty unless the ranks start at the first and follow each other."""
    if len(primary) != 1:
        return []
    by_rank: dict[int, Candidate] = {}
    for c in candidates:
        if c.subject < 1.0 or c.sentence.gap or c.sentence.dangling:
            continue
        for m in _RANK.finditer(c.sentence.folded):
            after = c.sentence.folded[m.end() : m.end() + 30]
            if any(re.match(rf"\W+(cnrs\W+)?({re.escape(a)})\b", after) for a in primary[0].aliases):
                rank = _RANKS[m.group(1)]
                if rank not in by_rank or c.score > by_rank[rank].score:
                    by_rank[rank] = c
                break
    ranks = sorted(by_rank)
    if not ranks or ranks[0] != 1 or ranks != list(range(1, len(ranks) + 1)):
        return []
    return [by_rank[r] for r in ranks]


def wants_items(sub: SubQuestion) -> bool:
    return bool(set(sub.attributes) & {"themes", "structures"}) and sub.intent == "list"


def items(sub: SubQuestion, candidates: Sequence[Candidate], primary: Sequence[Entity], ctx: Context) -> Part:
    """Every item of a list: an enumerating sentence, the items a sentence announces, or one per sentence."""
    office = next((e for e in primary if e.kind == "office"), None)
    if office is not None and sub.attribute == "zone":
        listed = _office_countries(sub, office, ctx)
        if listed is not None:
            return listed
    ranked = _ranked(candidates, primary)
    if len(ranked) >= 3 and sum(c.words >= 0.2 for c in ranked) * 2 >= len(ranked):
        # "le premier IRC ..., le deuxième IRC ...": the documents' own order, when it is an order of what
        # is asked (DERCI's "first mission ..., second mission ..." is no list of its former offices)
        return Part(sub, "answered", tuple(Statement(c.text, c, "item") for c in ranked))
    serving = [c for c in _serving(sub, candidates) if c.subject >= 0.7]
    places = [e for e in sub.entities if e.kind in ("country", "region")]
    if places and any(e.kind == "tool" for e in primary):
        # "Which IRLs are based in Singapore?": not the IRLs of the United States (a scheme's list, "which
        # JSPS schemes for Japan?", need not name the country again)
        serving = [c for c in serving if any(in_place(c, p, ctx) for p in places)]
        # "Four IRLs are located in Singapore" before "the Singapore office states 75 IRLs", where the
        # place only names who counts
        serving = [c for c in serving if any(placed_in(c, p) for p in places)] or serving
        candidates = [c for c in candidates if any(placed_in(c, p) for p in places)] or candidates
    if not serving:
        return _gap(sub, candidates, primary, ctx)
    if sub.attribute == "structures":  # named structures, one sentence each, before any count of them
        named = _structure_items([c for c in candidates if c.subject >= 0.5 and c.attribute], ctx)
        if len(named) >= 2:
            return Part(sub, "answered", tuple(Statement(c.text, c, "item") for c in named))
    # The best list-shaped answer: a sentence that enumerates the items, or one that announces them
    # with the items in the sentences after it; the better scored wins.
    top = [c for c in serving[:30] if c.score >= serving[0].score * 0.8 and not c.sentence.dangling]
    shaped: list[tuple[float, Part]] = []
    most_words = max(c.words for c in top) if top else 0.0
    for c in top:
        if c.words < most_words * (0.5 if primary else 0.75):
            # a list, but of something else; with no subject named, the part's words are all there is to
            # go on ("the Tokyo office covers three countries: ..." under "which three countries co-publish
            # most with the CNRS?")
            continue
        if enumerates(c.sentence):
            shaped.append(
                (
                    # a list in one sentence is surer than the sentences that follow an announcement
                    c.score + 0.5 + 0.2 * _list_quality(c.sentence),
                    Part(sub, "answered", (Statement(c.text, c, "answer"),)),
                )
            )
        elif c.sentence.announces and (
            c.text.rstrip().endswith(":")
            or _announced_count(c.sentence)
            or _LEADS_A_LIST.match(c.sentence.folded)
        ):
            # announced with a colon, a count ("cinq étapes"), or as what the sentence is about ("Plusieurs
            # outils sont actifs..."), not in passing ("un IRC implique plusieurs instituts")
            follow = _announced(c, serving, ctx)
            if follow and (len(follow) >= 2 or enumerates(follow[0].sentence)):
                led = (Statement(c.text, c, "lead"), *(Statement(f.text, f, "item") for f in follow))
                # "six grandes missions" followed by six sentences is as sure as a list in one sentence.
                whole = 0.5 if _announced_count(c.sentence) == len(follow) >= 2 else 0.0
                shaped.append((c.score + whole + 0.2 * _list_quality(c.sentence), Part(sub, "answered", led)))
        elif c.sentence.position == 0:
            # "Before 2011-2014, the DERCI had a network of regional offices that differed from today's.": a
            # section's opening sentence, whose next sentences list the offices and what each covered
            # ... the ones that go on about what it names ("the former network"), not about its subject only
            own = (text_stems(c.text) & text_stems(sub.text)) - {
                stem for e in sub.entities for a in e.aliases for stem in text_stems(a)
            }
            follow = [f for f in _announced(c, serving, ctx) if own & f.sentence.stems - _GENERIC_STEMS]
            if len(follow) >= 3:
                led = (Statement(c.text, c, "lead"), *(Statement(f.text, f, "item") for f in follow))
                shaped.append((c.score, Part(sub, "answered", led)))
    headed = _headed_items(sub, candidates)
    if len(headed) >= 3:
        # "What are the Washington office's main tasks?": the sentences under its "Missions" heading
        return Part(sub, "answered", tuple(Statement(c.text, c, "item") for c in headed))
    together = _one_passage_items(sub, serving, candidates)
    if len(together) >= 3:
        # "Horizon Europe : ses grands volets et le budget de chacun ?": the passage that gives each one,
        # led by its own first sentence (the whole budget), not by a count of sentences
        lead, *rest = together
        return Part(
            sub,
            "answered",
            (Statement(lead.text, lead, "lead"), *(Statement(c.text, c, "item") for c in rest)),
        )
    dated = _dated_items(sub, serving)
    if len(dated) >= 3 or (dated and not shaped):
        # "... avec leurs dates": one dated sentence per item beats a sentence that lists places
        return Part(sub, "answered", tuple(Statement(c.text, c, "item") for c in dated))
    if shaped:
        return max(shaped, key=lambda pair: pair[0])[1]
    if not wants_items(sub):  # "which bodies subsidised it?": the sentences that say it
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


def _headed_items(sub: SubQuestion, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The missions asked, from the one passage under a "Missions" heading that holds most of them, in
    the passage's order."""
    if "mission" not in sub.attributes:
        return []
    by_chunk: dict[str, list[Candidate]] = {}
    for c in candidates[:40]:
        if c.subject >= 1.0 and not c.sentence.gap and headed_missions(c.hit):
            by_chunk.setdefault(c.hit.id, []).append(c)
    if not by_chunk:
        return []
    chosen = max(by_chunk.values(), key=len)
    return sorted(chosen, key=lambda c: c.sentence.position)[:8]


def _one_passage_items(
    sub: SubQuestion, serving: Sequence[Candidate], candidates: Sequence[Candidate]
) -> list[Candidate]:
    """Every sentence of the best passage that gives the property asked of the subject, in its order:
    a passage that gives each item its own sentence ("Le pilier 1 ... dispose de 25 Md€. Le pilier 2 ...")."""
    if not serving or not set(sub.attributes) & {"funding", "duration", "share"}:
        return []  # figures each item gives (budgets, durations, shares), not loose mentions
    chunk = serving[0].hit.id
    same = [
        c
        for c in candidates
        if c.hit.id == chunk
        and c.subject >= 1.0
        and c.attribute
        and c.sentence.number  # each gives its figure
        and not c.sentence.gap
        and not c.sentence.dangling
    ]
    unique = list({c.text: c for c in same}.values())
    return sorted(unique, key=lambda c: c.sentence.position)[:8]


_WITH_DATES = re.compile(r"\b(dates?|chronolog\w*|timeline|quand|when|dated)\b")


def _dated_items(sub: SubQuestion, serving: Sequence[Candidate]) -> list[Candidate]:
    """ "Quelles visites du PDG, avec leurs dates ?": one dated sentence per item on the subject, in
    time order, when no sentence lists them."""
    if not _WITH_DATES.search(fold(sub.text)):
        return []
    best = serving[0]
    pool = [
        c
        for c in serving[:20]
        if c.score >= best.score * 0.85
        and c.subject >= 1.0
        and c.sentence.years
        and not c.sentence.gap
        and not c.sentence.disagreement  # "the date of the Africa plan varies": no item of the list
    ]
    # "quelles visites": the sentences that name a visit, when several do
    noun = [w[:5] for w in fold(listed_noun(sub.text)).split()[:1] if len(w) >= 5]
    naming = [c for c in pool if noun and any(t.startswith(noun[0]) for t in c.sentence.stems)]
    items: list[Candidate] = []
    for c in naming if len(naming) >= 2 else pool:
        if all(
            len(c.sentence.stems - i.sentence.stems) >= 2
            and jaccard(c.sentence.stems, i.sentence.stems) < 0.8
            and not _same_dates(c.sentence, i.sentence)
            for i in items
        ):
            items.append(c)
    if len(items) < 2:
        return []
    return sorted(items[:8], key=lambda c: min(c.sentence.years))


def _same_dates(a: Sentence, b: Sentence) -> bool:
    """ "Du 16 au 19 décembre 2019, ... en Inde" twice in other words: the same dated item."""
    da, db = set(re.findall(r"\d+", a.text)), set(re.findall(r"\d+", b.text))
    return bool(a.years & b.years) and len(da & db) >= 2 and (da <= db or db <= da)


_GENERIC_STEMS = text_stems("cnrs the le la les des of en in de du year annee")
_LEADS_A_LIST = re.compile(
    r"^([\w'’-]+\s+){0,3}(plusieurs|several|various|divers|differents|multiple|many|de nombreux)\b"
)
_STRUCTURE = re.compile(
    r"^(?i:the |l'|le |la |les )?(?i:(irl|irp|irn|iea|lia|umi|gdri|umifre|lmi|usr|umr|ifre)s? )?"
    r"[A-Z0-9][\w@²-]*[A-Z][\w@²-]*\b"
)


def _structure_items(serving: Sequence[Candidate], ctx: Context) -> list[Candidate]:
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


def procedure(
    sub: SubQuestion, candidates: Sequence[Candidate], primary: Sequence[Entity], ctx: Context
) -> Part:
    """The steps, in the order the document gives them."""
    serving = _fresh(_serving(sub, candidates, ctx.analysis.situation), ctx)
    # "comment obtenir un visa touristique ?": nothing on tourist visas is no answer. A "how" question's
    # own words are few, so a less rare one already says what it is about.
    key = _key_word(sub, ctx, ceiling=4.2)
    about = [c for c in serving if c.subject >= 1.0] if primary else []
    if key is not None:
        keyed = [c for c in serving if not key.stems.isdisjoint(c.sentence.stems)]
        named_tool = any(e.kind == "tool" for e in primary)
        # "Comment monter un IRL avec une université japonaise ?": when no sentence on the IRL says
        # "université", the word is a detail of the question, not what it is about.
        detail = named_tool and about and not any(c.subject >= 1.0 for c in keyed)
        serving = about if detail else keyed
    # How the named thing is set up, not a sentence on another tool that shares a word with the question.
    serving = [c for c in serving if c.subject >= 1.0] or serving
    if not serving:
        return _gap(sub, candidates, primary, ctx, key)
    # A sentence that says how (submitted on NOA, discussed with the institute, the steps) before one
    # that only names the call ("An IRP lasts five years, according to the INSHS 2025 call").
    serving = sorted(serving, key=lambda c: not _HOW.search(c.sentence.folded))
    # "une procédure particulière pour les partenaires russes ?": the sentence on that country first.
    countries = [e for e in sub.entities if e.kind == "country"]
    serving = sorted(serving, key=lambda c: not any(mentions(c.sentence.folded, e) for e in countries))
    best = serving[0]
    how = bool(_HOW.search(best.sentence.folded))
    same = [
        c
        for c in serving
        if c.hit.id == best.hit.id
        and c.score >= best.score * 0.8
        and (not how or _HOW.search(c.sentence.folded))
    ]
    if len(same) >= 2:
        steps = sorted(same[:3], key=lambda c: c.sentence.position)
    else:
        # The best sentence, then those close behind that add something ("... : the creation of an
        # IRL is discussed with the institute"), not those that only repeat it.
        # When the best says how, so must the next: not a figure that shares the call's words.
        pool = [
            c
            for c in serving[:6]
            if c.score >= best.score * (0.8 if how else 0.9)
            and c.subject >= best.subject
            and (not how or _HOW.search(c.sentence.folded))
        ]
        steps = _dedupe([best, *pool])[:2]
    statements = [Statement(c.text, c, "answer") for c in _dedupe(steps)]
    found: tuple[Entity, ...] = ()
    if any(e.kind == "tool" for e in primary) and any(e.kind == "country" for e in sub.entities):
        # "... avec une université japonaise": then the office that covers the partner's country.
        routed = _route(replace(sub, intent="where", attributes=()), ctx)
        if routed is not None:
            # Whom to ask; that no office abroad covers the country is for a question about offices.
            statements += [
                replace(s, text=s.text.split(". ")[0].rstrip(".") + ".")
                for s in routed.statements
                if s.role == "route"
            ][:1]
            found = routed.found
    return Part(sub, "answered", tuple(statements), found)


_STEPS = re.compile(r"\b(etapes?|steps?)\b")
_HOW = re.compile(
    r"\b(submit\w*|soumi\w*|depot|depos\w*|demarch\w*|pre-?campa\w*|se discute|discussed|contact\w*|steps?|etapes?"
    r"|apply|applications?|approach\w*|candidater|candidature|platform\w*|plateforme|noa|proposals?)\b"
)


def partner_steps(sub: SubQuestion, ctx: Context) -> Part | None:
    """ "Je cherche un partenaire au Vietnam, par où commencer ?": the guide's steps for finding a partner
    and setting up a collaboration, each in its own words, then the office that covers the country."""
    # The steps are the same whatever the country or the discipline: ask for them in general words.
    asked = STEPS_QUERY["fr" if ctx.lang == "fr" else "en"]
    general = replace(sub, text=asked, entities=(), attributes=(), intent="procedure")
    pool = [c for c in _candidates(general, [], [], ctx) if not c.sentence.gap]
    leads = [c for c in pool if c.sentence.announces and _STEPS.search(c.sentence.folded)]
    if not leads:
        return None
    lead = max(leads, key=lambda c: c.score)
    steps = _announced(lead, pool, ctx)
    if len(steps) < 2:
        return None
    statements = [Statement(lead.text, lead, "lead"), *(Statement(c.text, c, "item") for c in steps)]
    found: tuple[Entity, ...] = ()
    # The country may be in another sentence of the message than the question ("... une équipe au
    # Brésil. Je ne sais pas par où commencer ni quel bureau contacter.").
    countries = [e for e in sub.entities if e.kind == "country"] or [
        e for e in ctx.analysis.entities if e.kind == "country"
    ]
    if countries:
        routed = _route(replace(sub, intent="where", attributes=(), entities=tuple(countries)), ctx)
        if routed is not None:
            statements += [s for s in routed.statements if s.role == "route"][:2]
            found = routed.found
    return Part(sub, "answered", tuple(statements), found)


def tool_overview(sub: SubQuestion, ctx: Context, choosing: bool = False) -> Part | None:
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
    found: list[Entity] = []
    for tool in current:
        entity = entities.get((tool.acronym or tool.id).upper())
        said = tool_definition(sub, entity, ctx) if entity is not None else None
        if entity is not None and said is not None:
            statements.append(Statement(said.text, said, "item"))
            found.append(entity)
    if len(statements) < 2:
        return None
    lead_text = (TOOLS_CHOICE_LEAD if choosing else TOOLS_LEAD)[ctx.lang].format(n=len(statements))
    lead = Statement(lead_text, None, "lead")
    return Part(sub, "answered", (lead, *statements), tuple(found))


def tool_definition(sub: SubQuestion, entity: Entity, ctx: Context) -> Candidate | None:
    """The sentence that says what a tool is, on its own page when it can, whatever the message around
    the question: read as a question on the cooperation tools ("... une équipe en Inde" would favour a
    sentence on universities)."""
    framing = TOOLS_LEAD[ctx.lang].format(n="").rstrip(" :")
    ctx = replace(ctx, analysis=replace(ctx.analysis, situation=framing), embedding=None, pool={})
    label = entity.label(ctx.lang)
    asked = f"Qu'est-ce que {label} ?" if ctx.lang == "fr" else f"What is {label}?"
    one = replace(sub, text=asked, entities=(entity,), intent="definition", attributes=())
    pages = entity.pages
    candidates = [
        c
        for c in _candidates(one, [entity], [], ctx)
        if c.subject >= 1.0
        and not c.sentence.gap
        and not c.sentence.dangling
        and c.text.rstrip().endswith(".")  # a sentence, not a heading
        and c.text not in ctx.used
    ]
    own = [c for c in candidates if str(c.hit.meta.get("doc_id", "")) in pages] or candidates
    defining = [c for c in _defining(own, entity, expanded=True) if mentions(c.sentence.folded[:60], entity)]
    return defining[0] if defining else None


def next_step(sub: SubQuestion, primary: Sequence[Entity], ctx: Context) -> Part | None:
    """ "Et après un IRP ?": the next tool of the ladder (IEA, then IRP, then IRL), and what it is."""
    tool = next((e for e in primary if e.kind == "tool" and (e.key in TOOL_LADDER or _next_tool(e))), None)
    if tool is None:
        return None
    following = _next_tool(tool)
    steps = STEPS_OF_TOOLS[ctx.lang]
    ladder = _best_backing(steps, None, steps, ctx)  # the documents' sentence on the steps, which backs ours
    if following is None:  # the top of the ladder
        if ladder is None:
            return None
        lead = LAST_TOOL[ctx.lang].format(tool=tool.key)
        return Part(
            sub, "answered", (Statement(lead, ladder, "lead"), Statement(ladder.text, ladder, "answer"))
        )
    entity = next((e for e in entities_of_tools(ctx.kb.tools) if e.key == following), None)
    said = tool_definition(sub, entity, ctx) if entity is not None else None
    if entity is None or said is None:
        return None
    lead = NEXT_TOOL[ctx.lang].format(tool=tool.key, next=following)
    statements = (Statement(lead, ladder, "lead"), Statement(said.text, said, "answer"))
    return Part(sub, "answered", statements, (entity,))
