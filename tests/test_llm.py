"""The chat-model factory, and `stream_text` driving the real ChatOpenAI client over real HTTP."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.llm import LlamaCppChat, chat_model_from_settings, complete_text, stream_text
from tests.llm_server import Script, ScriptedLLMServer

TIMEOUT = 2.0
QUESTION = [HumanMessage("Which office covers Japan?")]


@pytest.fixture
def server() -> Iterator[ScriptedLLMServer]:
    with ScriptedLLMServer() as srv:
        yield srv


def _openai(settings: Settings, url: str, **changes: object) -> object:
    return chat_model_from_settings(
        settings.replace(
            llm_backend="openai", llm_model="scripted", llm_base_url=url, llm_timeout=TIMEOUT, **changes
        )
    )


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- factory ---------------------------------------------------------------------------------------


def test_settings_unknown_backend_is_a_config_error(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="DERCI_LLM_BACKEND='gpt' is not one of"):
        settings.replace(llm_backend="gpt", llm_model="x")


def test_factory_openai_builds_chat_openai_without_network(settings: Settings) -> None:
    from langchain_openai import ChatOpenAI

    model = _openai(settings, "http://127.0.0.1:9/v1", llm_api_key="sk-secret-123")
    assert isinstance(model, ChatOpenAI)
    assert model.openai_api_base == "http://127.0.0.1:9/v1"
    assert model.max_retries == 0
    assert model.streaming
    assert model.request_timeout == TIMEOUT
    assert model.model_name == "scripted"


def test_factory_openai_never_shows_the_api_key(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    model = _openai(settings, "http://127.0.0.1:9/v1", llm_api_key="sk-secret-123")
    assert "sk-secret-123" not in repr(model)
    assert "sk-secret-123" not in repr(settings.replace(llm_api_key="sk-secret-123"))
    assert "sk-secret-123" not in caplog.text


def test_factory_openai_without_key_sends_placeholder(settings: Settings) -> None:
    model = _openai(settings, "http://127.0.0.1:9/v1")
    assert model.openai_api_key.get_secret_value() == "not-needed"  # type: ignore[attr-defined]


def test_factory_openai_requires_a_base_url(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="DERCI_LLM_BASE_URL"):
        chat_model_from_settings(settings.replace(llm_backend="openai", llm_model="m"))


def test_factory_ollama_builds_chat_ollama_without_network(settings: Settings) -> None:
    from langchain_ollama import ChatOllama

    model = chat_model_from_settings(settings.replace(llm_backend="ollama", llm_model="qwen2.5:0.5b"))
    assert isinstance(model, ChatOllama)
    assert model.base_url == "http://127.0.0.1:11434"
    assert model.model == "qwen2.5:0.5b"
    assert model.num_predict == settings.llm_max_tokens


def test_factory_llamacpp_needs_an_existing_file(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not a file.*\.gguf"):
        chat_model_from_settings(
            settings.replace(llm_backend="llamacpp", llm_model=str(tmp_path / "no.gguf"))
        )


def test_factory_llamacpp_loads_nothing_until_used(settings: Settings, tmp_path: Path) -> None:
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    model = chat_model_from_settings(settings.replace(llm_backend="llamacpp", llm_model=str(gguf)))
    assert isinstance(model, LlamaCppChat)
    assert model.model_path == str(gguf)
    assert model._llama is None


def test_factory_none_backend_is_a_config_error(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="has no chat model"):
        chat_model_from_settings(settings)


# -- stream_text against the scripted server ---------------------------------------------------------


def test_stream_text_yields_deltas_as_they_arrive(settings: Settings, server: ScriptedLLMServer) -> None:
    server.script = Script(text="The Tokyo office covers Japan [1].", piece=5)
    deltas = list(stream_text(_openai(settings, server.url), QUESTION, TIMEOUT))  # type: ignore[arg-type]
    assert len(deltas) >= 5
    assert "".join(deltas) == "The Tokyo office covers Japan [1]."
    assert server.requests[-1]["stream"] is True
    assert server.requests[-1]["model"] == "scripted"
    assert server.requests[-1]["max_tokens"] == settings.llm_max_tokens
    assert "max_completion_tokens" not in server.requests[-1]


def test_complete_text_joins_the_reply(settings: Settings, server: ScriptedLLMServer) -> None:
    server.script = Script(text="Japan is covered by Tokyo [1].")
    assert complete_text(_openai(settings, server.url), QUESTION, TIMEOUT) == "Japan is covered by Tokyo [1]."  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["hang", "trickle"])
def test_stream_text_deadline_is_total(settings: Settings, server: ScriptedLLMServer, mode: str) -> None:
    server.script = Script(mode=mode, text="slow words ", delay=0.3 if mode == "trickle" else 30)
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        list(stream_text(_openai(settings, server.url), QUESTION, TIMEOUT))  # type: ignore[arg-type]
    assert time.monotonic() - start < TIMEOUT * 3


def test_stream_text_raises_the_client_error_on_http_500(
    settings: Settings, server: ScriptedLLMServer
) -> None:
    server.script = Script(mode="error")
    import openai

    with pytest.raises(openai.InternalServerError, match="scripted failure"):
        list(stream_text(_openai(settings, server.url), QUESTION, TIMEOUT))  # type: ignore[arg-type]


def test_stream_text_raises_on_a_closed_port(settings: Settings) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    start = time.monotonic()
    import openai

    with pytest.raises(openai.APIConnectionError):
        list(stream_text(_openai(settings, url), QUESTION, TIMEOUT))  # type: ignore[arg-type]
    assert time.monotonic() - start < TIMEOUT * 3
