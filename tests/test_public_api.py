"""The public surface of the package: `assistant.__all__` is pinned, every name imports, and importing the
package stays light (no torch, chromadb, gradio or sentence-transformers)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import pytest

import assistant
from tests.conftest import PROJECT

PUBLIC = ["Answer", "Assistant", "AssistantError", "Citation", "Settings", "__version__"]
HEAVY = ("torch", "chromadb", "gradio", "sentence_transformers")


def _modules_after(code: str) -> list[str]:
    """Top-level modules loaded by a fresh interpreter after running `code`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DERCI_")}
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return list(json.loads(proc.stdout.splitlines()[-1]))


def test_public_api_all_is_pinned() -> None:
    assert assistant.__all__ == PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_public_api_every_name_imports(name: str) -> None:
    module = importlib.import_module("assistant")
    assert getattr(module, name) is not None
    namespace: dict[str, object] = {}
    exec(f"from assistant import {name}", namespace)
    assert name in namespace


def test_public_api_version_is_a_string() -> None:
    assert isinstance(assistant.__version__, str) and assistant.__version__.count(".") == 2


def test_public_api_unknown_name_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        assistant.Nope  # noqa: B018


def test_public_api_error_is_the_base_of_the_tree() -> None:
    from assistant.errors import ConfigError, InputError

    assert issubclass(ConfigError, assistant.AssistantError)
    assert issubclass(InputError, assistant.AssistantError)


def test_public_api_import_is_light() -> None:
    loaded = _modules_after("import assistant")
    assert not [m for m in HEAVY if m in loaded]


def test_public_api_importing_the_assistant_class_is_light() -> None:
    loaded = _modules_after("from assistant import Answer, Assistant, Citation, Settings")
    assert not [m for m in HEAVY if m in loaded]
