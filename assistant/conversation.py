"""Pure: the conversation so far, as question/answer turns, whatever shape the history comes in.

What a follow-up refers to is worked out by question analysis (`question.analyse`), from these turns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

History = Sequence[Mapping[str, Any]]  # [{"role": "user"|"assistant", "content": str}, ...]


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


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, Mapping):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, Sequence):
        return " ".join(_text(c) for c in content)
    return "" if content is None else str(content)
