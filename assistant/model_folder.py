"""What a sentence-transformers model folder holds, read from its own JSON files and nothing imported:
whether it is a plain stack (Transformer -> Pooling [-> Normalize]) that `transformers` alone reproduces.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

_LEGACY_POOLING = {
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens": "weightedmean",
    "pooling_mode_lasttoken": "lasttoken",
}
# sentence_bert_config.json keys other than max_seq_length, at the values that change nothing.
_NEUTRAL_TRANSFORMER = {
    "do_lower_case": False,
    "transformer_task": "feature-extraction",
    "modality_config": {"text": {"method": "forward", "method_output_name": "last_hidden_state"}},
    "module_output_name": "token_embeddings",
    **{key: {} for key in ("model_args", "tokenizer_args", "config_args", "processing_kwargs")},
}


@dataclass(frozen=True)
class PlainStack:
    """A local folder whose sentence-transformers stack is Transformer -> Pooling [-> Normalize]."""

    path: str
    pooling: Literal["mean", "cls"]
    max_seq_length: int | None  # None: the tokenizer's limit, capped by the model's positions


def plain_stack(path: str) -> PlainStack | None:
    """The plain stack in the folder `path`, or None when only sentence-transformers reproduces it.

    Plain: modules.json is exactly [Transformer at "", Pooling, optional Normalize], pooling mean or
    CLS with prompt tokens included, no prompt nor truncate_dim, no lower-casing, tokenizer or model
    arguments, no PEFT adapter. Anything unreadable or unknown gives None.
    """
    folder = Path(path)
    if not folder.is_dir() or (folder / "adapter_config.json").exists():
        return None
    if not (folder / "config.json").is_file():  # AutoModel's own config
        return None
    try:
        return _read_stack(folder)
    except (OSError, ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None


def _read_stack(folder: Path) -> PlainStack | None:
    modules = _read_json(folder / "modules.json")
    kinds = [_module_kind(m) for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return None
    pooling_dir = modules[1].get("path")
    if modules[0].get("path") != "" or not pooling_dir or any(m.get("kwargs") for m in modules):
        return None
    pooling = _pooling_mode(_read_json(folder / pooling_dir / "config.json"))
    model_config = _read_json(folder / "config_sentence_transformers.json", missing={})
    if pooling is None or not _plain_model_config(model_config):
        return None
    transformer = _read_json(folder / "sentence_bert_config.json")
    length = transformer.get("max_seq_length")
    if set(transformer) - {"max_seq_length", *_NEUTRAL_TRANSFORMER}:
        return None
    if any(transformer.get(key, value) != value for key, value in _NEUTRAL_TRANSFORMER.items()):
        return None
    if length is not None and (type(length) is not int or length < 1):
        return None
    return PlainStack(str(folder), pooling, length)


def _read_json(file: Path, missing: Any = None) -> Any:
    if missing is not None and not file.exists():  # optional file: its defaults
        return missing
    return json.loads(file.read_text(encoding="utf-8"))


def _module_kind(module: dict[str, Any]) -> str | None:
    ref = module.get("type")
    if not isinstance(ref, str) or not ref.startswith("sentence_transformers."):
        return None  # a custom module, possibly remote code
    return ref.rsplit(".", 1)[-1]


def _pooling_mode(config: dict[str, Any]) -> Literal["mean", "cls"] | None:
    known = {"word_embedding_dimension", "embedding_dimension", "pooling_mode", "include_prompt"}
    if set(config) - known - set(_LEGACY_POOLING) or config.get("include_prompt", True) is not True:
        return None
    mode = config.get("pooling_mode")
    if mode is None:  # the legacy booleans; none set means mean, as sentence-transformers reads them
        active = [name for key, name in _LEGACY_POOLING.items() if config.get(key)]
        mode = active[0] if len(active) == 1 else None if active else "mean"
    if isinstance(mode, list) and len(mode) == 1:
        mode = mode[0]
    return "mean" if mode == "mean" else "cls" if mode == "cls" else None


def _plain_model_config(config: dict[str, Any]) -> bool:
    known = {"__version__", "prompts", "default_prompt_name", "similarity_fn_name", "model_type"}
    prompts = config.get("prompts") or {}
    return (
        not set(config) - known
        and isinstance(prompts, dict)
        and not any(prompts.values())
        and config.get("default_prompt_name") is None
        and config.get("model_type", "SentenceTransformer") == "SentenceTransformer"
    )
