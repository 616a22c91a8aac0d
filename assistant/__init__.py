"""DERCI documentation assistant: grounded, cited answers about the CNRS's European and international
cooperation directorate (DERCI, today DEI), its offices abroad and its cooperation tools.

Heavy dependencies (sentence-transformers, chromadb, gradio) load only when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "Citation",
    "Settings",
    "__version__",
]

if TYPE_CHECKING:
    from assistant.chain import Assistant
    from assistant.citations import Answer, Citation
    from assistant.config import Settings
    from assistant.errors import AssistantError

_LAZY = {
    "Assistant": "assistant.chain",
    "Answer": "assistant.citations",
    "Citation": "assistant.citations",
    "Settings": "assistant.config",
    "AssistantError": "assistant.errors",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
