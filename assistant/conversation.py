"""Pure: turn a follow-up question into a standalone one using the last turns (offline, rule-based).

"and Japan?" after "Which office covers Vietnam?" becomes "Which office covers Japan?": the places of
the last question are replaced by the new one. "quand a-t-il ouvert ?" after an answer about the
Tokyo office becomes "quand a-t-il ouvert ? (bureau du CNRS à Tokyo)": the subject of the last turn
is appended. A question that already names its subject is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.analysis import content_words, fold
from assistant.directory import OfficeDirectory, PlaceMatch

History = Sequence[Mapping[str, Any]]  # [{"role": "user"|"assistant", "content": str}, ...]

_FOLLOW_UP_START = re.compile(
    r"^\s*(et|and|what about|how about|same (question )?for|et pour|et en|et au|et aux|et la|et le|et les"
    r"|and for|and in|also|aussi|idem)\b",
    re.IGNORECASE,
)
_PRONOUNS = re.compile(
    r"\b(il|elle|ils|elles|celui-ci|celle-ci|ce bureau|cet outil|ce dispositif|ce programme|son|sa|ses|"
    r"leur|it|its|they|their|this office|that office|this tool|that tool|this programme)\b"
    r"|-t-(il|elle)\b|-(il|elle)\b",
    re.IGNORECASE,
)


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9@]{1,}s?\b")
_TOOL = re.compile(r"\b(IEA|IRP|IRN|IRL|IRC|UMI|LIA|GDRI|PICS|ERC)s?\b")


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str


def last_turns(history: History, n: int = 3) -> list[Turn]:
    """The last `n` user/assistant pairs of a messages-style history (or of (user, bot) pairs)."""
    turns: list[Turn] = []
    pending: str | None = None
    for item in history:
        if isinstance(item, Mapping):
            role, content = item.get("role"), _text(item.get("content"))
        else:  # (user, assistant) pairs, the older Gradio format
            pair = list(item)
            turns.append(Turn(_text(pair[0]), _text(pair[1]) if len(pair) > 1 else ""))
            continue
        if role == "user":
            if pending is not None:
                turns.append(Turn(pending, ""))
            pending = content
        elif role == "assistant" and pending is not None:
            turns.append(Turn(pending, content))
            pending = None
    if pending is not None:
        turns.append(Turn(pending, ""))
    return turns[-n:]


def is_follow_up(question: str) -> bool:
    """Short questions that lean on the previous turn ("et le Japon ?", "when did it open?")."""
    n_words = len(content_words(question))
    if _FOLLOW_UP_START.search(question) and n_words <= 6:
        return True
    if _PRONOUNS.search(question) and n_words <= 6:
        return True
    # "qui le dirige ?", "the budget?": too short to name a subject of its own.
    return n_words <= 2 and not _names_something(question)


def condense(question: str, history: History, offices: OfficeDirectory) -> str:
    """A standalone version of `question`, or `question` itself when it needs no context."""
    turns = last_turns(history)
    if not turns or not is_follow_up(question):
        return question
    last = turns[-1]
    places = offices.find(question)
    if (places or _names_something(question)) and not _FOLLOW_UP_START.search(question):
        return question  # "Quand le bureau de Singapour a-t-il ouvert ?" names its subject already
    previous_places = offices.find(last.question)
    if places and previous_places:
        return _replace_places(last.question, previous_places, places)
    if places:
        # "and Japan?" after a question with no place: ask the previous question about this place.
        return f"{_strip_follow_up(last.question)} {' '.join(p.surface for p in places)}"
    subject = _subject(last, offices)
    if subject:
        return f"{question} ({subject})"
    return f"{question} ({last.question})"


def _names_something(question: str) -> bool:
    """An acronym (IRP, DERCI, ERC) or a capitalised name after the first word: the question has a subject."""
    words = question.split()
    return bool(_ACRONYM.search(question)) or any(w[:1].isupper() for w in words[1:])


def _replace_places(text: str, old: Sequence[PlaceMatch], new: Sequence[PlaceMatch]) -> str:
    replacement = " ".join(p.surface for p in new)
    out = text
    for i, place in enumerate(old):
        pattern = re.compile(re.escape(place.surface), re.IGNORECASE)
        if pattern.search(out):
            out = pattern.sub(replacement if i == 0 else "", out, count=1)
        else:  # the surface was accent-folded: replace on the folded text
            folded = fold(out)
            at = folded.find(fold(place.surface))
            if at >= 0:
                out = out[:at] + (replacement if i == 0 else "") + out[at + len(place.surface) :]
    return " ".join(out.split())


def _subject(turn: Turn, offices: OfficeDirectory) -> str:
    """The office (by its names), or tool, the last turn was about: words to append to the question."""
    for text in (turn.answer.split("\n")[0], turn.question):
        for place in offices.find(text):
            if place.office.kind == "office":
                city = place.office.city.get("fr") or place.office.city.get("en") or place.office.id
                return f"bureau du CNRS à {city} / CNRS office in {place.office.city.get('en') or city}"
    tools = _TOOL.findall(turn.question + " " + turn.answer)
    return str(tools[0]) if tools else ""


def _strip_follow_up(text: str) -> str:
    return text.rstrip(" ?!.")


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, Mapping):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, Sequence):
        return " ".join(_text(c) for c in content)
    return "" if content is None else str(content)
