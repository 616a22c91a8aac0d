"""Pure: the report's speed and scale sections, from their results (quality: `quality_section`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from benchmarks.markdown import load_range, loads, mb, measured, p50_p95, table

LATENCY_ROWS = {
    "ours": "ours (answer)",
    "tutorial": "tutorial (answer)",
    "tutorial_our_embedder": "tutorial with our query embedder (answer)",
    "embed_ours": "our query embedding alone",
    "embed_tutorial": "the tutorial's query embedding alone",
}


def speed(s: Mapping[str, Any] | None) -> str:
    if not s:
        return "## Speed\n\nNot run.\n"
    lat, ing, first, web = s.get("latency"), s.get("ingest"), s.get("first_answer"), s.get("web")
    lines = ["## Speed", "", measured(s)]
    if lat:
        lines += [
            "### Warm answer latency",
            "",
            f"Each method answers each of the {lat['questions']} questions {lat['rounds']} time(s), "
            "interleaved question by question in one process (rotating which goes first), after a warm-up. "
            "Every query-embedding cache is cleared before every timed call, so every latency includes "
            "embedding the question; all query embeddings run on one torch thread. The tutorial embeds "
            "as LangChain's `HuggingFaceEmbeddings` does (sentence-transformers `encode()`, "
            "`benchmarks/baselines.py:StockEmbeddings`) over the same model folder; "
            "the third row is the same tutorial pipeline with our query embedder, the last two rows the "
            "two query embedders alone: together they show where the difference comes from. "
            f"Load average during the run: {loads(lat.get('load'))}.",
            "",
            table(
                ["Method", "p50", "p95", "Calls timed"],
                [
                    [LATENCY_ROWS[k], f"{lat[k]['p50']:.1f} ms", f"{lat[k]['p95']:.1f} ms", str(lat[k]["n"])]
                    for k in LATENCY_ROWS
                    if k in lat
                ],
            ),
            "",
        ]
        for key, other in (
            ("paired", "the tutorial"),
            ("paired_same_embedder", "the tutorial with our embedder"),
        ):
            if lat.get(key):
                paired = lat[key]
                lines += [
                    f"Paired question by question against {other} (same question, same round): median of ours "
                    f"minus theirs {paired['median_diff_ms']:+.1f} ms; ours was as fast or faster on "
                    f"{paired['ours_faster_share'] * 100:.0f}% of the pairs.",
                    "",
                ]
    if ing:
        lines += [
            "### Ingest and sync",
            "",
            f"On a copy of the corpus in a temporary folder ({ing['chunks']} chunks), model loaded beforehand. "
            "Pure embedding = `embed_documents` of the same chunks' `embed_text`, in the same batches of 256, "
            "timed before and after the ingest; the ratio uses their mean. "
            f"Load average: {loads(ing.get('load'))}.",
            "",
            table(
                ["Measure", "Seconds", "Detail"],
                [
                    [
                        "Full ingest (`KnowledgeBase.open` on an empty index)",
                        f"{ing['ingest_s']:.1f}",
                        ing["ingest_report"],
                    ],
                    [
                        "Pure embedding of the same chunks (before / after the ingest)",
                        " / ".join(f"{x:.1f}" for x in ing["embed_s"]),
                        f"ratio ingest / embedding = {ing['ratio']:.2f}x (wall time)" + _cpu_ratio(ing),
                    ],
                    [
                        "No-op sync (`resync`, nothing changed)",
                        " / ".join(f"{x:.2f}" for x in ing["noop_s"]),
                        ing["noop_report"],
                    ],
                    [
                        "Sync after changing one document",
                        " / ".join(f"{x:.2f}" for x in ing["changed_s"]),
                        "; ".join(ing["changed_reports"]),
                    ],
                    [
                        "No-op sync right after those changes",
                        f"{ing['after_change_noop']['seconds']:.2f}",
                        ing["after_change_noop"]["report"],
                    ],
                ],
            ),
            "",
        ]
    lines += ["### Start-up and memory", ""]
    rows = []
    if first and first.get("error"):
        rows.append(
            ["`python -c`: import, open (sync=True), answer", "**failed**", first["error"][:300], "-", "-"]
        )
    elif first:
        for i, r in enumerate(first["runs"], 1):
            rows.append(
                [
                    f"`python -c`: import, open (sync=True), answer - run {i}",
                    f"{r['seconds']:.1f} s",
                    f"import {r['import_s']:.1f} s, open {r['open_s']:.1f} s, answer {r['ask_s']:.2f} s"
                    + (f"; {r['cpu_s']:.1f} CPU seconds" if "cpu_s" in r else ""),
                    mb(r["peak_rss_mb"]),
                    mb(r["maxrss_mb"]),
                ]
            )
    if web and web.get("error") and "page_s" not in web:
        rows.append(["`python ui.py` to the page answering", "**failed**", web["error"][:300], "-", "-"])
    elif web and web.get("todo"):
        rows.append(["`python ui.py` to the page answering", "**TODO**", web["todo"], "-", "-"])
    elif web:
        page = "-" if web["page_s"] is None else f"{web['page_s']:.1f} s"
        answer = "-" if web["answer_s"] is None else f"{web['answer_s']:.1f} s"
        detail = f"GET / 200 after {page}; POST /api/ask answered after {answer}"
        if web.get("error"):
            detail += f" ({web['error']})"
        rows.append(
            [
                "`python ui.py` to the page answering",
                answer,
                detail,
                mb(web["peak_rss_mb"]),
                mb(web["maxrss_mb"]),
            ]
        )
    lines += [
        "Wall time measured from outside, from spawning the process to the answer. Peak RSS: psutil samples "
        "every 50 ms of the process and its children; ru_maxrss: the kernel's high-water mark (`os.wait4`). "
        "Both on the index built by the quality part (sync=True, so each start checks the corpus).",
        "",
        table(["Process", "Wall time", "Detail", "Peak RSS", "ru_maxrss"], rows),
        "",
    ]
    return "\n".join(lines)


def _cpu_ratio(ing: Mapping[str, Any]) -> str:
    """The load-robust cross-checks of the ingest ratio, when the run has them."""
    out = ""
    if ing.get("inside_ratio"):
        out += (
            f"; {ing['inside_ratio']:.2f}x against the {ing['embed_inside_ingest_s']:.1f} s spent in "
            "`embed_documents` during the ingest itself (same time window)"
        )
    if "cpu_ratio" in ing:
        out += (
            f"; {ing['cpu_ratio']:.2f}x in CPU seconds of the process ({ing['ingest_cpu_s']:.0f} s against "
            + " / ".join(f"{x:.0f}" for x in ing["embed_cpu_s"])
            + " s), which other processes' load barely moves"
        )
    return out


def scale(sc: Mapping[str, Any] | None) -> str:
    if not sc:
        return "## Scale\n\nNot run (`--skip-scale`).\n"
    rows = []
    for run in sc["runs"]:
        if "error" in run:
            rows.append([f"{run['size']:,}", run["store"], f"**{run['error'][:100]}**", *["-"] * 10])
            continue
        server = f" + {mb(run.get('server_peak_rss_mb'))} server" if run["store"] == "server" else ""
        rows.append(
            [
                f"{run['chunks']:,}",
                run["store"],
                f"{run['ingest_s']:.1f}",
                f"{run['chunks_per_s']:.0f}",
                f"{run['reopen_s']:.2f}",
                f"{run['noop_sync_s']:.2f}",
                p50_p95(run["store_ms"]),
                p50_p95(run["embed_ms"]),
                p50_p95(run["query_ms"]),
                p50_p95(run["answer_ms"]),
                f"{mb(max(run['peak_rss_mb'], run['maxrss_mb']))}{server}",
                mb(run["rss_without_model_mb"]),
                load_range(run.get("query_load")),
            ]
        )
    return "\n".join(
        [
            "## Scale",
            "",
            measured(sc),
            "Synthetic corpora (seeded random sentences over a Zipf vocabulary of made-up words, Markdown files of "
            "10 `##` sections, one chunk per section), generated into a temporary folder. **Documents are embedded "
            "with seeded random unit vectors of dimension 384**, not the model (embedding 100k chunks with "
            "all-MiniLM-L6-v2 on 2 cores would take hours): ingest and the *store path* measure the reader, chunker, "
            "Chroma, BM25 and fusion, not the model. *Model embedding* is the real model embedding the query "
            "(uncached); *query* is the hybrid search (k=8, as the assistant retrieves) with the real query "
            "embedding; *answer* is `Assistant.ask` end to end. Each size and store runs in its own process; RSS is "
            "that process's peak (it holds the model), plus the `chroma run` server's in server mode. "
            f"{sc['queries']} queries after 5 warm-up queries; the four latencies are taken query by query in "
            "rotating order, so that load from other processes falls on all of them alike. "
            "Load average at the end: "
            f"{loads([sc.get('load')])}.",
            "",
            table(
                [
                    "Chunks",
                    "Store",
                    "Ingest (s)",
                    "Chunks/s",
                    "Reopen (s)",
                    "No-op sync (s)",
                    "Store path p50/p95 (ms)",
                    "Model embedding p50/p95 (ms)",
                    "Query p50/p95 (ms)",
                    "Answer p50/p95 (ms)",
                    "Peak RSS",
                    "RSS before model load",
                    "Load during queries",
                ],
                rows,
            ),
            "",
            "![Latency against corpus size](img/scale.png)",
            "",
        ]
    )
