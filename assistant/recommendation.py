"""Recommendation: the cooperation tool that fits the collaboration a message describes (the stages of
tools.yaml), with the passage of its page that says why and the sentence that gives its duration.
"""

from __future__ import annotations

from assistant.analysis import fold
from assistant.answering import question_units
from assistant.entities import Entity
from assistant.offices import best_backing as _best_backing
from assistant.parts import SubQuestion
from assistant.plans import Context, Part, Statement
from assistant.prompts import TOOL_RECOMMENDATION, TOOL_SITUATIONS
from assistant.routing import collaboration_stage, tool_label
from assistant.selection import Candidate, score, sentences_of

__all__ = ["recommend"]


def recommend(sub: SubQuestion, ctx: Context) -> Part | None:
    """The tool that fits the collaboration the message describes, with the passage that says why."""
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


def _tool_detail(acronym: str, page: str, ctx: Context) -> Candidate | None:
    """The sentence of the tool's page that gives its duration (what a researcher weighs first)."""
    sub = SubQuestion(
        text=f"{acronym} durée duration ans years", intent="general", attributes=("duration",), entities=()
    )
    hits = ctx.lookup(sub.text, 4, filters={"doc_id": page}, mode="lexical")
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
