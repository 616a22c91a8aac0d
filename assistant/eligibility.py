"""Pure: who may apply for or carry a scheme, and what the documents say of the asker's own status.

"Qui devait porter un projet ?": a sentence that says who carries or may apply comes before one that
only holds a "peut". "Je suis post-doc : puis-je coordonner un IRP ?": the rule on post-docs, and its
no; "Je suis doctorante, puis-je porter une IEA ?", when no rule names doctoral students: that said
plainly, then the rules the documents do give, never a yes or a no drawn from another rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.analysis import fold
from assistant.candidates import fresh as _fresh
from assistant.parts import SubQuestion
from assistant.plans import Context, Part, Statement
from assistant.prompts import GAP_STATUS
from assistant.selection import Candidate
from assistant.yes_no import negated

__all__ = ["asker_status", "for_the_asker", "who_may_first"]


# What the asker says they are ("je suis post-doc", "as a PhD student"), and how the documents write it
_STATUSES = (
    r"post-?docs?|post-?doctor\w*|postdoctoral",
    r"doctorant\w*|phd students?|doctoral (students?|candidates?)",
    r"ingenieur\w*|engineers?",
    r"emerit\w*|emeritus|retraite\w*|retired",
    r"enseignant-chercheur\w*|maitres? de conferences|lecturers?|(associate |assistant )?professors?",
)
_I_AM = re.compile(
    r"\b(je suis|j'etais|en tant que|comme|i am|i'm|as an?|we are|nous sommes)\s+(un |une |en |a |an )?"
)


def asker_status(message: str) -> tuple[str, re.Pattern[str]] | None:
    """What the asker says they are, as typed, and how the documents would name it ("Je suis post-doc
    dans une UMR": post-doc, post-doctorant, postdoctoral), for a question on who may do something."""
    folded = fold(message)
    # ... or whom the question asks about: "Un doctorant peut-il porter une IEA ?", "Can a PhD student lead"
    for forms in _STATUSES:
        said = re.search(
            rf"\b(un|une|a|an|les|des|notre|nos|mon|ma|mes|our|my|their|leur|leurs|ce|cette|this|that)\s+({forms})\b",
            folded,
        )
        if said:
            return said.group(2), re.compile(rf"\b({forms})\b")
    for m in _I_AM.finditer(folded):
        for forms in _STATUSES:
            said = re.match(rf"({forms})\b", folded[m.end() :])
            if said:
                return said.group(0), re.compile(rf"\b({forms})\b")
    return None


# A sentence that says who may apply or carry a project, in more than a "can"
_WHO_MAY = re.compile(
    r"\b(porteurs?|porte par|portee? par|eligib\w*|reserve\w*|open to|ouvert\w* a|titulaire|permanent|led by"
    r"|applicants?|candidat\w*|destine\w* a|meant for|intended for|s'adress\w* a|aimed at|coordinat\w*"
    r"|coordonn\w*|doctorant\w*|post-?doc\w*|phd students?|researchers?|chercheu\w*|enseignant\w*|submit\w*"
    r"|soumet\w*|depos\w*|supervisors?|encadrant\w*|directeurs? de these)\b"
)
# A sentence that says who carries, leads or submits a project
_CARRIER = re.compile(
    r"\b(porteurs?|porte par|portee? par|coordinat\w*|coordonn\w*|depose\w*|deposer|submit\w*"
    r"|led by|carried by|appartien\w*|belongs?)\b"
)


def who_may_first(serving: Sequence[Candidate], candidates: Sequence[Candidate]) -> list[Candidate]:
    """`serving` with the sentences that say who carries or may apply first; when none does, the two best
    such sentences of the part's candidates ("Chaque projet de la campagne 2023 a deux porteurs", in the
    campaign's section) lead."""
    strong = [c for c in serving if _WHO_MAY.search(c.sentence.folded)] or [
        c for c in candidates if c.serves and c.subject >= 0.6 and _WHO_MAY.search(c.sentence.folded)
    ][:2]
    return [*strong, *(c for c in serving if c not in strong)]


def for_the_asker(
    sub: SubQuestion, serving: Sequence[Candidate], candidates: Sequence[Candidate], ctx: Context
) -> list[Candidate] | Part | None:
    """For "may I / may a post-doc ...?": the sentences serving it, the rule on that status first (and of
    those one that says yes or no); or the part that says no rule names that status, with the rules the
    documents give; None when the part names no status."""
    asker = asker_status(ctx.analysis.situation) if sub.intent == "yes_no" else None
    if asker is None:
        return None
    said, forms = asker

    def on_status(c: Candidate) -> bool:  # the rule on post-docs for this tool, not for another
        return bool(forms.search(c.sentence.folded)) and c.subject >= 1.0

    ordered = sorted(serving, key=lambda c: (not on_status(c), not negated(c.sentence.folded)))
    if not ordered or on_status(ordered[0]):
        return ordered
    # the documents' own "not said" ("whether the IRP's rules on postdocs also apply to an IRN" names the
    # IRN second: 0.8), else ours
    own = [c for c in candidates if c.sentence.gap and forms.search(c.sentence.folded) and c.subject >= 0.8]
    rules = [c for c in _fresh(ordered, ctx) if c.subject >= 1.0 and _CARRIER.search(c.sentence.folded)]
    rules.sort(key=lambda c: -len(_CARRIER.findall(c.sentence.folded)))  # who, not "shared by both"
    unsaid = (
        Statement(own[0].text, own[0], "gap")
        if own
        else Statement(GAP_STATUS[ctx.lang].format(status=said), None, "gap")
    )
    # with the rules it gives, the part is answered as far as the documents go: no refusal
    return Part(
        sub, "answered" if rules else "gap", (unsaid, *(Statement(c.text, c, "answer") for c in rules[:2]))
    )
