"""Speed on the real corpus and model: answer latency, ingest against pure embedding, syncs, start-up.

Answer latencies are warm (model loaded, stores open) and uncached: the query-embedding LRU cache is
cleared before every timed question, for ours and for the tutorial pipeline alike, and the two are
interleaved question by question (alternating which goes first) so that load from other processes
hits both equally.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.evaluate import Question
from assistant.index import _BATCH as INDEX_BATCH  # the batch VectorIndex.sync embeds with
from assistant.ingest import collect_chunks
from assistant.knowledge import KnowledgeBase, token_counter
from benchmarks import PROJECT
from benchmarks.machine import load_average
from benchmarks.processes import Watched, clean_env, free_port

FIRST_QUESTION = "Which countries does the CNRS Tokyo office cover?"
EDITED_FILES = ("en/office-tokyo.md", "fr/faq.md", "en/tool-iea.md")

# Run by `python -c`: the whole cold path of a CLI user, from interpreter start to a printed answer.
# cpu_s: CPU seconds of the process (all threads) by then: what the start-up costs, whatever the load.
FIRST_ANSWER_SCRIPT = """
import json, sys, time
t0 = time.perf_counter()
import assistant
from assistant import Assistant, Settings
t1 = time.perf_counter()
bot = Assistant(Settings.load(), sync=True)
t2 = time.perf_counter()
answer = bot.ask(sys.argv[1])
t3 = time.perf_counter()
sync = bot.knowledge.last_sync
print("RESULT " + json.dumps({"import_s": t1 - t0, "open_s": t2 - t1, "ask_s": t3 - t2, "cpu_s": time.process_time(),
      "refused": answer.refused, "answer_chars": len(answer.text), "sync": sync.summary() if sync else None}))
"""


def percentiles(values_ms: Sequence[float]) -> dict[str, float]:
    ordered = sorted(values_ms)
    if not ordered:
        return {"p50": 0.0, "p95": 0.0, "n": 0}

    def at(p: float) -> float:
        k = (len(ordered) - 1) * p / 100
        lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
        return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)

    return {"p50": at(50), "p95": at(95), "n": len(ordered)}


def clear_query_cache(embedder: Embeddings) -> None:
    """Forget cached query vectors, so that a timed query pays for its embedding."""
    cached = getattr(embedder, "_query_vector", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


def answer_latency(
    methods: Mapping[str, Callable[[str], object]],
    embedders: Sequence[Embeddings],
    questions: Sequence[Question],
    rounds: int = 2,
) -> dict[str, Any]:
    """Warm, uncached latency of each method, interleaved question by question.

    `methods` maps a name to a callable taking the question ("ours", "tutorial", ...); the order in
    which they run rotates with every question and round, so that drifting load hits all alike. Every
    embedder's query cache is cleared before each timed call. "paired" compares "ours" with
    "tutorial" question by question; "paired_same_embedder" with "tutorial_our_embedder" if present.
    """
    names = list(methods)
    for q in questions[:3]:  # warm-up: first-call costs (thread pools, lazy columns) are not "warm"
        for name in names:
            methods[name](q.question)
    times: dict[str, list[float]] = {name: [] for name in names}
    load_before = load_average()
    for r in range(rounds):
        for i, q in enumerate(questions):
            shift = (i + r) % len(names)
            for name in names[shift:] + names[:shift]:
                for embedder in embedders:
                    clear_query_cache(embedder)
                start = time.perf_counter()
                methods[name](q.question)
                times[name].append((time.perf_counter() - start) * 1000)
    out: dict[str, Any] = {name: percentiles(values) for name, values in times.items()}
    for key, other in (("paired", "tutorial"), ("paired_same_embedder", "tutorial_our_embedder")):
        if "ours" in times and other in times:
            out[key] = _paired(times["ours"], times[other])
    out.update(load=[load_before, load_average()], rounds=rounds, questions=len(questions))
    return out


def _paired(ours: Sequence[float], other: Sequence[float]) -> dict[str, float]:
    """Same question, same round: robust to load drifting over the run, which hits both alike."""
    diffs = [a - b for a, b in zip(ours, other, strict=True)]
    return {
        "median_diff_ms": statistics.median(diffs),
        "ours_faster_share": sum(d <= 0 for d in diffs) / len(diffs),
    }


def ingest_and_sync(corpus_src: Path, workdir: Path, embedder: Embeddings) -> dict[str, Any]:
    """Full ingest of a copy of the corpus against pure embedding of its chunks; no-op and one-file syncs."""
    corpus = workdir / "corpus"
    shutil.copytree(corpus_src, corpus)
    settings = Settings.load(
        environ={}, corpus_dir=corpus, index_dir=workdir / "index", data_dir=workdir / "data"
    )
    embedder.embed_documents(["warm-up: the model is loaded before anything is timed"])
    count, window = token_counter(embedder)
    chunks, _, _ = collect_chunks(corpus, count, window)
    texts = [c.embed_text for c in chunks]
    load_before = load_average()

    def embed_all() -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), INDEX_BATCH):
            embedder.embed_documents(texts[i : i + INDEX_BATCH])
        return time.perf_counter() - wall, time.process_time() - cpu

    embed_before = embed_all()
    timed = _TimedEmbeddings(embedder)
    wall, cpu = time.perf_counter(), time.process_time()
    kb = KnowledgeBase.open(settings, timed, sync=True)
    ingest = time.perf_counter() - wall, time.process_time() - cpu
    ingest_report = kb.last_sync.summary() if kb.last_sync else ""
    embed_after = embed_all()

    noop = [_timed(kb.resync) for _ in range(3)]
    changed = []
    for i, rel in enumerate(EDITED_FILES):
        path = corpus / rel
        path.write_text(
            path.read_text(encoding="utf-8") + f"\n\nBenchmark edit {i}: a paragraph added to "
            "measure an incremental sync.\n",
            encoding="utf-8",
        )
        changed.append(_timed(kb.resync))
    after = _timed(kb.resync)
    return {
        "chunks": len(chunks),
        "ingest_s": ingest[0],
        "ingest_report": ingest_report,
        "embed_s": [embed_before[0], embed_after[0]],
        "ratio": ingest[0] / statistics.mean([embed_before[0], embed_after[0]]),
        # Seconds spent in embed_documents during the ingest itself: the same window, so the same load
        "embed_inside_ingest_s": timed.seconds,
        "inside_ratio": ingest[0] / timed.seconds if timed.seconds else None,
        # CPU seconds of this process (all threads): much less sensitive to other processes' load
        "ingest_cpu_s": ingest[1],
        "embed_cpu_s": [embed_before[1], embed_after[1]],
        "cpu_ratio": ingest[1] / statistics.mean([embed_before[1], embed_after[1]]),
        "noop_s": [s for s, _ in noop],
        "noop_report": noop[-1][1],
        "changed_s": [s for s, _ in changed],
        "changed_reports": [r for _, r in changed],
        "after_change_noop": {"seconds": after[0], "report": after[1]},
        "load": [load_before, load_average()],
    }


class _TimedEmbeddings(Embeddings):
    """The same embedder, adding up the wall time spent in `embed_documents` (tokenizer and name pass through)."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.seconds = 0.0

    def __getattr__(self, name: str) -> Any:  # model_name, count_tokens, max_tokens: the index uses them
        return getattr(self.inner, name)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        start = time.perf_counter()
        try:
            return self.inner.embed_documents(texts)
        finally:
            self.seconds += time.perf_counter() - start

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def _timed(sync: Callable[[], Any]) -> tuple[float, str]:
    start = time.perf_counter()
    report = sync()
    return time.perf_counter() - start, report.summary()


def start_to_first_answer(index_dir: Path, corpus_dir: Path, workdir: Path, runs: int = 3) -> dict[str, Any]:
    """`python -c` that imports assistant, opens an Assistant (sync=True) on a built index and answers."""
    env = clean_env(
        DERCI_INDEX_DIR=str(index_dir), DERCI_CORPUS_DIR=str(corpus_dir), DERCI_DATA_DIR=str(workdir / "data")
    )
    out = []
    for n in range(runs):
        watched = Watched(
            [sys.executable, "-c", FIRST_ANSWER_SCRIPT, FIRST_QUESTION],
            env=env,
            cwd=PROJECT,
            log=workdir / f"first-answer-{n}.log",
        )
        done = watched.wait(timeout=300)
        text = watched.output()
        inner = next((json.loads(line[7:]) for line in text.splitlines() if line.startswith("RESULT ")), None)
        if done.returncode != 0 or inner is None:
            raise RuntimeError(f"the first-answer process failed ({done.returncode}):\n{text}")
        out.append(
            {"seconds": done.seconds, "peak_rss_mb": done.peak_rss_mb, "maxrss_mb": done.maxrss_mb, **inner}
        )
    return {"runs": out, "load": load_average()}


def start_to_web_answer(
    index_dir: Path, corpus_dir: Path, workdir: Path, timeout: float = 300
) -> dict[str, Any]:
    """`python ui.py` on a free port: seconds until GET / is 200, then until POST /api/ask answers."""
    ui = PROJECT / "ui.py"
    if not ui.is_file():
        return {"todo": "ui.py is not there yet"}
    port = free_port()
    env = clean_env(
        DERCI_INDEX_DIR=str(index_dir),
        DERCI_CORPUS_DIR=str(corpus_dir),
        DERCI_DATA_DIR=str(workdir / "web-data"),
        DERCI_PORT=str(port),
        DERCI_HOST="127.0.0.1",
    )
    base = f"http://127.0.0.1:{port}"
    watched = Watched([sys.executable, str(ui)], env=env, cwd=PROJECT, log=workdir / "ui.log")
    page_s = answer_s = None
    error = None
    try:
        deadline = time.perf_counter() + timeout
        while page_s is None and time.perf_counter() < deadline and watched.alive():
            if _status(f"{base}/") == 200:
                page_s = watched.elapsed()
            else:
                time.sleep(0.1)
        body = json.dumps({"question": FIRST_QUESTION}).encode()
        while page_s is not None and answer_s is None and time.perf_counter() < deadline and watched.alive():
            status, data = _post(f"{base}/api/ask", body)
            if status == 200 and data.get("answer"):
                answer_s = watched.elapsed()
            elif status == 404:
                error = "POST /api/ask is not served"
                break
            else:
                time.sleep(0.1)
        if error is None and (page_s is None or answer_s is None):
            error = f"no {'page' if page_s is None else 'answer'} within {timeout:.0f} s"
    finally:
        finished = watched.stop()
    return {
        "page_s": page_s,
        "answer_s": answer_s,
        "error": error,
        "peak_rss_mb": finished.peak_rss_mb,
        "maxrss_mb": finished.maxrss_mb,
        "log_tail": watched.output(1500) if error else "",
        "load": load_average(),
    }


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def _post(url: str, body: bytes) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {}
    except (OSError, ValueError):
        return 0, {}
