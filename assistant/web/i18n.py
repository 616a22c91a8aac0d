"""Interface language switching: the components whose labels follow the language picker.

Each page registers its components with `Labels` as it lays them out; changing the language then
sends one update per registered component. Texts come from `messages.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from assistant.web.messages import text

C = TypeVar("C")
Props = Callable[[str], dict[str, Any]]


class Labels:
    """Components whose properties follow the interface language."""

    def __init__(self) -> None:
        self.items: list[tuple[Any, Props]] = []

    def add(self, component: C, **keys: str) -> C:
        """Register `component`, whose property `prop` shows message `name` (`value="send"`...)."""
        self.items.append((component, lambda lang: {p: text(lang, name) for p, name in keys.items()}))
        return component

    def add_fn(self, component: C, props: Props) -> C:
        """Register `component` with a function giving its properties in a language."""
        self.items.append((component, props))
        return component

    @property
    def components(self) -> list[Any]:
        return [component for component, _ in self.items]

    def updates(self, lang: str) -> list[Any]:
        return [gr.update(**props(lang)) for _, props in self.items]


def heading(name: str, level: int = 3) -> Props:
    """Properties of a Markdown heading showing message `name`."""
    return lambda lang: {"value": f"{'#' * level} {text(lang, name)}"}
