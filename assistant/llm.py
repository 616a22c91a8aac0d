"""The chat-model seam: build a LangChain `BaseChatModel` from the settings, and stream it under a deadline.

Backends: `ollama` (langchain-ollama), `openai` (langchain-openai, any OpenAI-compatible server such as
vLLM, llama.cpp's server or LM Studio) and `llamacpp` (a local GGUF file run in-process by
llama-cpp-python, through the small adapter below). Each package is imported only when its backend is
built. Does not decide what to ask or how to check the reply: that is `assistant.generation`.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from assistant.config import Settings
from assistant.errors import ConfigError, MissingDependencyError

OLLAMA_URL = "http://127.0.0.1:11434"
_GGUF_CONTEXT = 4096  # tokens: five passages, the rules and a 512-token answer fit with room to spare
_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def chat_model_from_settings(settings: Settings) -> BaseChatModel:
    """The chat model that `settings.llm_backend` names; builds a client, opens no connection."""
    backend = settings.llm_backend
    if backend == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise MissingDependencyError("langchain-ollama", "llm") from None
        return ChatOllama(
            model=settings.llm_model,
            base_url=settings.llm_base_url or OLLAMA_URL,
            temperature=settings.llm_temperature,
            num_predict=settings.llm_max_tokens,
            client_kwargs={"timeout": settings.llm_timeout},
        )
    if backend == "openai":
        if not settings.llm_base_url:
            raise ConfigError(
                "DERCI_LLM_BACKEND=openai needs DERCI_LLM_BASE_URL, e.g. http://127.0.0.1:8080/v1 "
                "(the assistant never calls a hosted API by default)."
            )
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            raise MissingDependencyError("langchain-openai", "llm") from None
        return ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key or "not-needed",  # type: ignore[arg-type]  # str -> SecretStr
            timeout=settings.llm_timeout,
            max_retries=0,  # a retry would blow the deadline; the offline answer is the retry
            streaming=True,
            temperature=settings.llm_temperature,
            # ChatOpenAI would send max_completion_tokens, which llama.cpp's server ignores (it then
            # writes until its context is full); every OpenAI-compatible server reads max_tokens.
            extra_body={"max_tokens": settings.llm_max_tokens},
        )
    if backend == "llamacpp":
        path = Path(settings.llm_model).expanduser()
        if not path.is_file():
            raise ConfigError(
                f"DERCI_LLM_MODEL={settings.llm_model!r} is not a file: the llamacpp backend needs "
                "the path of a .gguf model."
            )
        return LlamaCppChat(
            model_path=str(path), temperature=settings.llm_temperature, max_tokens=settings.llm_max_tokens
        )
    raise ConfigError(f"DERCI_LLM_BACKEND={backend!r} has no chat model (use ollama, openai or llamacpp).")


def stream_text(chat_model: BaseChatModel, messages: Sequence[BaseMessage], timeout: float) -> Iterator[str]:
    """Text deltas of the model's reply; raises `TimeoutError` once `timeout` seconds have passed in all.

    The model runs in a worker thread that hands deltas over a queue, so a server that hangs or
    trickles tokens cannot hold the caller past the deadline. The worker stops at its next delta
    after the deadline (or when the caller stops reading); the client's own timeout ends a blocked read.
    Any error of the model is re-raised here, unchanged.
    """
    deltas: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        try:
            for chunk in chat_model.stream(list(messages)):
                if stop.is_set():
                    return
                if chunk.text:
                    deltas.put(("text", chunk.text))
            deltas.put(("end", None))
        except BaseException as exc:  # noqa: BLE001 - handed over to the caller's thread
            deltas.put(("error", exc))

    deadline = time.monotonic() + timeout
    threading.Thread(target=work, name="llm-stream", daemon=True).start()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no complete reply within {timeout:g} s")
            try:
                kind, value = deltas.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError(f"no complete reply within {timeout:g} s") from None
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()


def complete_text(chat_model: BaseChatModel, messages: Sequence[BaseMessage], timeout: float) -> str:
    """The model's whole reply, under the same total deadline as `stream_text`."""
    return "".join(stream_text(chat_model, messages, timeout))


class LlamaCppChat(BaseChatModel):
    """A local GGUF model run by llama-cpp-python, as a LangChain chat model (loaded on first use).

    One model instance serves one generation at a time: llama.cpp contexts are not thread-safe.
    """

    model_path: str
    temperature: float = 0.1
    max_tokens: int = 512
    n_ctx: int = _GGUF_CONTEXT
    chat_format: str | None = None  # None: the template stored in the GGUF file
    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            reply = self._load().create_chat_completion(
                messages=_to_dicts(messages),
                stop=stop,
                temperature=self.temperature,
                max_tokens=self.max_tokens,
            )
        text = reply["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            parts = self._load().create_chat_completion(
                messages=_to_dicts(messages),
                stop=stop,
                temperature=self.temperature,
                max_tokens=self.max_tokens,
                stream=True,
            )
            for part in parts:
                delta = part["choices"][0]["delta"].get("content") or ""
                if not delta:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                if run_manager is not None:
                    run_manager.on_llm_new_token(delta, chunk=chunk)
                yield chunk

    def _load(self) -> Any:
        if self._llama is None:
            try:
                from llama_cpp import Llama  # type: ignore[import-not-found,unused-ignore]  # the gguf extra
            except ImportError:
                raise MissingDependencyError("llama-cpp-python", "gguf") from None
            self._llama = Llama(
                model_path=self.model_path, n_ctx=self.n_ctx, chat_format=self.chat_format, verbose=False
            )
        return self._llama


def _to_dicts(messages: Sequence[BaseMessage]) -> list[dict[str, str]]:
    return [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]
