"""Scale: ingest throughput, query latency and memory on synthetic corpora of 1k to 100k chunks.

Each (size, store) pair runs in its own worker process (`python -m benchmarks.scale ...`) so that its
memory is its own; the store is the embedded PersistentClient or a `chroma run` server on loopback,
started and stopped here. Documents are embedded with `RandomEmbedder` (embedding 100k chunks with the
real model would take hours on 2 cores), so ingest and the "store path" latency measure the reader,
chunker, Chroma, BM25 and fusion, not the model. The real model's query embedding is measured
separately, and again inside an end-to-end query and answer: the worker's RSS includes the model.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import resource
import shutil
import sys
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from benchmarks import PROJECT
from benchmarks.machine import load_average
from benchmarks.processes import MB, Watched, clean_env, free_port
from benchmarks.synthetic import RandomEmbedder, generate, queries

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000,)
STORES = ("embedded", "server")
RETRIEVE_K = 8  # what the Assistant retrieves per question (chain._RETRIEVE_K)
WARM_UP = 5


def run_scale(
    sizes: Sequence[int],
    workdir: Path,
    n_queries: int = 60,
    timeout: float = 2400,
    say: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Every size with every store, each in a worker process; a timed-out run is reported as such."""
    runs = []
    for size in sizes:
        corpus = workdir / f"corpus-{size}"
        start = time.perf_counter()
        files = generate(corpus, size)
        generate_s = time.perf_counter() - start
        for store in STORES:
            say(f"scale: {size} chunks, {store} store...")
            run = _run_worker(size, store, corpus, workdir / f"{store}-{size}", n_queries, timeout)
            run.update(size=size, store=store, files=files, generate_s=generate_s)
            say(
                f"scale: {size} chunks, {store}: "
                + (
                    run.get("error")
                    or f"ingest {run['ingest_s']:.1f} s, query p50 {run['query_ms']['p50']:.0f} ms"
                )
            )
            runs.append(run)
            shutil.rmtree(workdir / f"{store}-{size}", ignore_errors=True)
        shutil.rmtree(corpus, ignore_errors=True)
    return {"runs": runs, "queries": n_queries, "load": load_average()}


def _run_worker(
    size: int, store: str, corpus: Path, workdir: Path, n_queries: int, timeout: float
) -> dict[str, Any]:
    workdir.mkdir(parents=True)
    out = workdir / "result.json"
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.scale",
        "--corpus",
        str(corpus),
        "--workdir",
        str(workdir),
        "--out",
        str(out),
        "--queries",
        str(n_queries),
    ]
    server = None
    if store == "server":
        port = free_port()
        server = Watched(
            [
                _chroma_cli(),
                "run",
                "--path",
                str(workdir / "server"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=clean_env(),
            log=workdir.parent / f"chroma-{size}.log",
        )
        url = f"http://127.0.0.1:{port}"
        if not _heartbeat(url, server):
            server.stop()
            return {"error": f"chroma run did not start:\n{server.output(1000)}"}
        cmd += ["--chroma-url", url]
    worker = Watched(cmd, env=clean_env(), cwd=PROJECT, log=workdir.parent / f"worker-{store}-{size}.log")
    done = worker.wait(timeout)
    result: dict[str, Any] = {
        "worker_s": done.seconds,
        "peak_rss_mb": done.peak_rss_mb,
        "maxrss_mb": done.maxrss_mb,
    }
    if server is not None:
        stopped = server.stop()
        result.update(server_peak_rss_mb=stopped.peak_rss_mb, server_maxrss_mb=stopped.maxrss_mb)
    if done.timed_out:
        result["error"] = f"timed out after {timeout:.0f} s"
    elif done.returncode != 0 or not out.is_file():
        result["error"] = f"worker failed ({done.returncode}): {worker.output(1500)}"
    else:
        result.update(json.loads(out.read_text()))
    return result


def _chroma_cli() -> str:
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.is_file() else shutil.which("chroma") or "chroma"


def _heartbeat(url: str, server: Watched, timeout: float = 60) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and server.alive():
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


# -- the worker -----------------------------------------------------------------------------------


class _ModelQueries(Embeddings):
    """Random vectors for documents (as at ingest), the real model for queries."""

    def __init__(self, documents: Embeddings, model: Embeddings) -> None:
        self.documents = documents
        self.model = model
        self.model_name = getattr(documents, "model_name", "")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.documents.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


def measure(corpus: Path, workdir: Path, chroma_url: str | None, n_queries: int) -> dict[str, Any]:
    """Ingest `corpus` into a new index, then time reopen, no-op sync, queries and answers (in this process)."""
    import psutil

    from assistant.analysis import detect_language
    from assistant.chain import Assistant
    from assistant.config import Settings
    from assistant.embeddings import SentenceTransformerEmbeddings
    from assistant.knowledge import KnowledgeBase
    from benchmarks.speed import clear_query_cache, percentiles

    me = psutil.Process()
    settings = Settings.load(
        environ={},
        corpus_dir=corpus,
        index_dir=workdir / "index",
        data_dir=workdir / "data",
        chroma_url=chroma_url,
    )
    random_vectors = RandomEmbedder()
    start = time.perf_counter()
    kb = KnowledgeBase.open(settings, random_vectors, sync=True)
    ingest_s = time.perf_counter() - start
    chunks = kb.vectors.count()
    rss_ingest = me.memory_info().rss / MB
    _log(f"ingested {chunks} chunks in {ingest_s:.1f} s")

    start = time.perf_counter()
    KnowledgeBase.open(settings, random_vectors, sync=False)
    reopen_s = time.perf_counter() - start
    start = time.perf_counter()
    kb.resync()
    noop_s = time.perf_counter() - start
    _log(f"reopen {reopen_s:.1f} s, no-op sync {noop_s:.1f} s")

    qs = queries(n_queries + WARM_UP)
    for q in qs[:WARM_UP]:
        kb.search.search(q, RETRIEVE_K, lang=detect_language(q))
    rss_store = me.memory_info().rss / MB

    model = SentenceTransformerEmbeddings(settings.embedding_model, settings.embedding_batch_size)
    real = _ModelQueries(random_vectors, model)
    search = copy.copy(kb.search)  # the same search (stores, fusion, expansions), the real model for queries
    search.embedder = real
    bot = Assistant(settings, knowledge=dataclasses.replace(kb, embedder=real, search=search))
    measures: dict[str, Callable[[str], object]] = {
        "store_ms": lambda q: kb.search.search(q, RETRIEVE_K, lang=detect_language(q)),
        "embed_ms": model.embed_query,
        "query_ms": lambda q: search.search(q, RETRIEVE_K, lang=detect_language(q)),
        "answer_ms": bot.ask,
    }
    for q in qs[:WARM_UP]:
        for call in measures.values():
            call(q)
    # Interleaved query by query (rotating the order), so that a burst of load from other processes
    # lands on all four figures alike instead of on whichever was being measured at the time.
    times: dict[str, list[float]] = {name: [] for name in measures}
    names = list(measures)
    load_before = load_average()
    for i, q in enumerate(qs[WARM_UP:]):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            clear_query_cache(model)  # every figure pays for embedding its query
            start = time.perf_counter()
            measures[name](q)
            times[name].append((time.perf_counter() - start) * 1000)
    stats = {name: percentiles(values) for name, values in times.items()}
    _log(f"store p50 {stats['store_ms']['p50']:.0f} ms, query p50 {stats['query_ms']['p50']:.0f} ms")
    return {
        "chunks": chunks,
        "ingest_s": ingest_s,
        "chunks_per_s": chunks / ingest_s,
        "reopen_s": reopen_s,
        "noop_sync_s": noop_s,
        **stats,
        "query_load": [load_before, load_average()],
        "rss_after_ingest_mb": rss_ingest,
        "rss_without_model_mb": rss_store,
        "rss_end_mb": me.memory_info().rss / MB,
        "self_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description="one scale worker")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--chroma-url")
    args = parser.parse_args(argv)
    result = measure(args.corpus, args.workdir, args.chroma_url, args.queries)
    args.out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
