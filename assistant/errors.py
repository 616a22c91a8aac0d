"""The exception tree of the assistant.

    AssistantError                 base: every error the package raises on purpose
    ├── ConfigError                a setting is invalid (names the variable and the fix)
    ├── DocumentError              one file cannot be read (the ingest skips it with a warning)
    ├── IndexError_                the index is missing, locked, built with another model, unreachable
    │   ├── IndexLockedError       another ingest holds the lock
    │   └── ModelMismatchError     the index was built with another embedding model
    ├── BackendError               an LLM backend failed (the chain falls back to the offline answer)
    ├── MissingDependencyError     an optional package is not installed (names the pip command)
    └── InputError                 a question or an upload was refused (the message is for the user)

Messages say what went wrong, the offending value, and what to do.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class of every error raised on purpose by the assistant."""


class ConfigError(AssistantError):
    """A setting has an invalid value."""


class DocumentError(AssistantError):
    """A document cannot be read; `reason` says why in a few words."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class IndexError_(AssistantError):  # noqa: N801 - avoid shadowing the builtin IndexError
    """The index cannot be opened or written."""


class IndexLockedError(IndexError_):
    """Another process is syncing the index."""


class ModelMismatchError(IndexError_):
    """The index was built with another embedding model."""


class BackendError(AssistantError):
    """An LLM backend is unreachable, too slow, or returned something unusable."""


class MissingDependencyError(AssistantError):
    """A dependency is missing: an optional one (`extra` names its extra) or a core one (`extra` "")."""

    def __init__(self, package: str, extra: str = "") -> None:
        if extra:
            message = f"The optional package {package!r} is not installed. Install it with: pip install -e '.[{extra}]'"
        else:  # a core dependency: the plain install brings it
            message = (
                f"The package {package!r} is not installed. Install the assistant with: pip install -e ."
            )
        super().__init__(message)
        self.package = package
        self.extra = extra


class InputError(AssistantError):
    """A user input was refused; the message can be shown to the user as is."""
