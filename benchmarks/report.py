"""Pure: the results of a run (plain JSON-able values) -> the targets with PASS/FAIL and docs/benchmarks.md."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

METHODS = (
    ("ours", "Ours (hybrid retrieval + offline answerer)"),
    ("tutorial", "LangChain tutorial (1000/200 splits, Chroma top-4, retrieved text as answer)"),
    ("bm25", "BM25 only (our offline answerer over plain BM25 hits)"),
    ("dense", "Dense only (our offline answerer over dense hits)"),
)
MODES = (
    ("hybrid", "hybrid (ours: dense + BM25 + expansions, fused)"),
    ("lexical", "lexical (BM25 + glossary and place expansions)"),
    ("bm25", "plain BM25 (the BM25-only baseline)"),
    ("dense", "dense only"),
)
SHORT = {"ours": "ours", "tutorial": "tutorial", "bm25": "BM25 only", "dense": "dense only"}
SCALE_TARGET_SIZE = 100_000
QUERY_P50_MS = 150.0
RSS_LIMIT_MB = 2.5 * 1024


@dataclass(frozen=True)
class Target:
    name: str
    goal: str
    measured: str
    passed: bool | None  # None: not measured in this run

    @property
    def status(self) -> str:
        return "not measured" if self.passed is None else "PASS" if self.passed else "FAIL"


def _get(data: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping) or key not in data:
            return None
        data = data[key]
    return data


def median(values: Sequence[float] | None) -> float | None:
    return statistics.median(values) if values else None


def targets(results: Mapping[str, Any]) -> list[Target]:
    """The issue's targets, each checked against this run's figures."""
    out = []
    methods = _get(results, "quality", "methods") or {}
    ours, tutorial = methods.get("ours"), methods.get("tutorial")
    if ours and tutorial:
        gap = (ours["accuracy"] - tutorial["accuracy"]) * 100
        out.append(
            Target(
                "Answer accuracy",
                ">= tutorial + 15 points",
                f"{_pct(ours['accuracy'])} vs {_pct(tutorial['accuracy'])} ({gap:+.1f} points)",
                gap >= 15,
            )
        )
        others = {k: v["recall_at_5"] for k, v in methods.items() if k != "ours"}
        best = max(others, key=lambda k: others[k])
        out.append(
            Target(
                "Recall@5",
                "above all three baselines",
                f"{_pct(ours['recall_at_5'])} vs best baseline {SHORT[best]} {_pct(others[best])}",
                ours["recall_at_5"] > others[best],
            )
        )
    else:
        out += [
            Target("Answer accuracy", ">= tutorial + 15 points", "-", None),
            Target("Recall@5", "above all three baselines", "-", None),
        ]

    latency = _get(results, "speed", "latency")
    if latency:
        a, b = latency["ours"]["p50"], latency["tutorial"]["p50"]
        out.append(Target("Warm answer latency p50", "<= tutorial's", f"{a:.0f} ms vs {b:.0f} ms", a <= b))
    else:
        out.append(Target("Warm answer latency p50", "<= tutorial's", "-", None))

    ingest = _get(results, "speed", "ingest")
    if ingest:
        noop, changed = median(ingest["noop_s"]), median(ingest["changed_s"])
        out += [
            Target(
                "Full ingest",
                "<= 1.3x pure embedding time",
                f"{ingest['ratio']:.2f}x",
                ingest["ratio"] <= 1.3,
            ),
            Target(
                "No-op sync",
                "<= 2 s",
                f"{noop:.2f} s (median of {len(ingest['noop_s'])})",
                noop is not None and noop <= 2,
            ),
            Target(
                "Sync after one changed document",
                "<= 3 s",
                f"{changed:.2f} s (median of {len(ingest['changed_s'])})",
                changed is not None and changed <= 3,
            ),
        ]
    else:
        out += [
            Target("Full ingest", "<= 1.3x pure embedding time", "-", None),
            Target("No-op sync", "<= 2 s", "-", None),
            Target("Sync after one changed document", "<= 3 s", "-", None),
        ]

    runs = _get(results, "speed", "first_answer", "runs")
    first = median([r["seconds"] for r in runs]) if runs else None
    out.append(
        Target(
            "Process start to first answer",
            "<= 12 s",
            "-" if first is None else f"{first:.1f} s (median of {len(runs)})",
            None if first is None else first <= 12,
        )
    )

    for store in ("embedded", "server"):
        run = _scale_run(results, SCALE_TARGET_SIZE, store)
        label = f"100k chunks, {store}"
        if run is None or "error" in run:
            measured = "-" if run is None else f"not measured: {run['error'][:80]}"
            out += [
                Target(f"Query p50 ({label})", f"<= {QUERY_P50_MS:.0f} ms", measured, None),
                Target(f"RSS ({label})", "<= 2.5 GB", measured, None),
            ]
            continue
        p50 = run["query_ms"]["p50"]
        out.append(
            Target(
                f"Query p50 ({label})",
                f"<= {QUERY_P50_MS:.0f} ms",
                f"{p50:.0f} ms (answer p50 {run['answer_ms']['p50']:.0f} ms)",
                p50 <= QUERY_P50_MS,
            )
        )
        rss = scale_rss(run)
        detail = " (client + Chroma server)" if store == "server" else ""
        out.append(Target(f"RSS ({label})", "<= 2.5 GB", f"{rss / 1024:.2f} GB{detail}", rss <= RSS_LIMIT_MB))
    return out


def scale_rss(run: Mapping[str, Any]) -> float:
    """Peak RSS in MB of a scale run: the worker's (sampled or ru_maxrss), plus the server's in server mode."""
    client = max(run.get("peak_rss_mb") or 0.0, run.get("maxrss_mb") or 0.0)
    server = max(run.get("server_peak_rss_mb") or 0.0, run.get("server_maxrss_mb") or 0.0)
    return float(client + server)


def _scale_run(results: Mapping[str, Any], size: int, store: str) -> Mapping[str, Any] | None:
    for run in _get(results, "scale", "runs") or ():
        if run.get("size") == size and run.get("store") == store:
            return run  # type: ignore[no-any-return]
    return None


# -- Markdown --------------------------------------------------------------------------------------


def render(results: Mapping[str, Any]) -> str:
    """docs/benchmarks.md."""
    parts = [
        "# Benchmarks",
        "",
        f"Generated by `{results.get('command', 'python -m benchmarks')}` on {_get(results, 'machine', 'date')}"
        + (" (**quick run**: smaller scale part)" if results.get("quick") else "")
        + ". Do not edit by hand: run `make bench` again.",
        "",
        _machine(results.get("machine") or {}),
        "## Targets",
        "",
        _table(
            ["Target", "Goal", "Measured", "Status"],
            [[t.name, t.goal, t.measured, f"**{t.status}**"] for t in targets(results)],
        ),
        "",
        _quality(results.get("quality")),
        _speed(results.get("speed")),
        _scale(results.get("scale")),
        _notes(),
    ]
    return "\n".join(parts).rstrip() + "\n"


def _machine(m: Mapping[str, Any]) -> str:
    packages = ", ".join(f"{k} {v}" for k, v in (m.get("packages") or {}).items())
    load = m.get("load") or []
    rows = [
        ["Date", m.get("date", "-")],
        ["CPU", f"{m.get('cpu', '-')}, {m.get('cores', '-')} cores"],
        ["RAM", f"{m.get('ram_gb', '-')} GB"],
        ["OS", m.get("os", "-")],
        ["Python", m.get("python", "-")],
        ["Packages", packages],
        ["Load average when this run started (1/5/15 min)", " / ".join(f"{x:.2f}" for x in load)],
    ]
    return "## Machine\n\n" + _table(["", ""], rows) + "\n"


def _quality(q: Mapping[str, Any] | None) -> str:
    if not q:
        return "## Quality\n\nNot run.\n"
    methods = q["methods"]
    rows = []
    for key, label in METHODS:
        m = methods.get(key)
        if m is None:
            continue
        rows.append(
            [
                label,
                _pct(m["accuracy"]),
                _pct(m["recall_at_5"]),
                _pct(m["recall_at_10"]),
                f"{m['mrr']:.3f}",
                _pct(m["refusal_accuracy"]),
                _pct(m["false_refusal_rate"]),
                f"{m['median_answer_chars']:.0f}",
            ]
        )
    categories = sorted({c for m in methods.values() for c in m.get("by_category", {})})
    by_cat = [
        [c, *(_pct(methods[k]["by_category"].get(c)) for k, _ in METHODS if k in methods)] for c in categories
    ]
    metrics = (("recall_at_5", _pct), ("recall_at_10", _pct), ("mrr", lambda x: f"{x:.3f}"))
    if q.get("modes"):
        rows_by = [(label, q["modes"][mode]) for mode, label in MODES if mode in q["modes"]]
    else:  # results of an older run: the methods' own retrieval
        rows_by = [(SHORT[k], methods[k]) for k, _ in METHODS if k in methods and k != "tutorial"]
    if "tutorial" in methods:
        rows_by.append(("tutorial (Chroma top-k over 1000-character splits)", methods["tutorial"]))
    recall = [[label, *(fmt(data[m]) for m, fmt in metrics)] for label, data in rows_by]
    return "\n".join(
        [
            "## Quality",
            "",
            _measured(q),
            f"{q['questions']} development questions (`tests/data/dev.jsonl`, {q['in_scope']} in scope, "
            f"{q['questions'] - q['in_scope']} out of scope), scored by `assistant.evaluate` (the code behind "
            "`derci-assistant eval`): an answer is correct when every expected group has an alternative in its "
            "text (an out-of-scope question is correct when refused); recall@k and MRR use each method's own "
            f"top-10 chunks. Same corpus, same embedding model (all-MiniLM-L6-v2). Our index: {q['our_chunks']} "
            f"chunks; the tutorial's: {q['tutorial_chunks']} chunks of up to 1000 characters (larger chunks "
            "make its recall@k easier, not harder).",
            "",
            _table(
                [
                    "Method",
                    "Answer accuracy",
                    "Recall@5",
                    "Recall@10",
                    "MRR",
                    "Refusal accuracy",
                    "False refusals",
                    "Median answer (chars)",
                ],
                rows,
            ),
            "",
            "![Quality by method](img/quality.png)",
            "",
            "### Retrieval alone",
            "",
            "Our search in each of its modes (top 10, in-scope questions), and the tutorial's retrieval.",
            "",
            _table(["Retrieval", "Recall@5", "Recall@10", "MRR"], recall),
            "",
            "### Answer accuracy by category",
            "",
            _table(["Category", *(SHORT[k] for k, _ in METHODS if k in methods)], by_cat),
            "",
        ]
    )


def _speed(s: Mapping[str, Any] | None) -> str:
    if not s:
        return "## Speed\n\nNot run.\n"
    lat, ing, first, web = s.get("latency"), s.get("ingest"), s.get("first_answer"), s.get("web")
    lines = ["## Speed", "", _measured(s)]
    if lat:
        lines += [
            "### Warm answer latency",
            "",
            f"Each method answers each of the {lat['questions']} questions {lat['rounds']} time(s), "
            "interleaved question by question in one process (alternating which goes first), after a warm-up. "
            "The query-embedding LRU cache is cleared before every timed answer, so every latency includes "
            f"embedding the question. Load average during the run: {_load(lat.get('load'))}.",
            "",
            _table(
                ["Method", "p50", "p95", "Answers timed"],
                [
                    [SHORT[k], _ms(lat[k]["p50"]), _ms(lat[k]["p95"]), str(lat[k]["n"])]
                    for k in ("ours", "tutorial")
                ],
            ),
            "",
        ]
    if ing:
        lines += [
            "### Ingest and sync",
            "",
            f"On a copy of the corpus in a temporary folder ({ing['chunks']} chunks), model loaded beforehand. "
            "Pure embedding = `embed_documents` of the same chunks' `embed_text`, in the same batches of 256, "
            "timed before and after the ingest; the ratio uses their mean. "
            f"Load average: {_load(ing.get('load'))}.",
            "",
            _table(
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
                    f"import {r['import_s']:.1f} s, open {r['open_s']:.1f} s, answer {r['ask_s']:.2f} s",
                    _mb(r["peak_rss_mb"]),
                    _mb(r["maxrss_mb"]),
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
                _mb(web["peak_rss_mb"]),
                _mb(web["maxrss_mb"]),
            ]
        )
    lines += [
        "Wall time measured from outside, from spawning the process to the answer. Peak RSS: psutil samples "
        "every 50 ms of the process and its children; ru_maxrss: the kernel's high-water mark (`os.wait4`). "
        "Both on the index built by the quality part (sync=True, so each start checks the corpus).",
        "",
        _table(["Process", "Wall time", "Detail", "Peak RSS", "ru_maxrss"], rows),
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


def _scale(sc: Mapping[str, Any] | None) -> str:
    if not sc:
        return "## Scale\n\nNot run (`--skip-scale`).\n"
    rows = []
    for run in sc["runs"]:
        if "error" in run:
            rows.append([f"{run['size']:,}", run["store"], f"**{run['error'][:100]}**", *["-"] * 10])
            continue
        server = f" + {_mb(run.get('server_peak_rss_mb'))} server" if run["store"] == "server" else ""
        rows.append(
            [
                f"{run['chunks']:,}",
                run["store"],
                f"{run['ingest_s']:.1f}",
                f"{run['chunks_per_s']:.0f}",
                f"{run['reopen_s']:.2f}",
                f"{run['noop_sync_s']:.2f}",
                _p(run["store_ms"]),
                _p(run["embed_ms"]),
                _p(run["query_ms"]),
                _p(run["answer_ms"]),
                f"{_mb(max(run['peak_rss_mb'], run['maxrss_mb']))}{server}",
                _mb(run["rss_without_model_mb"]),
                _load_range(run.get("query_load")),
            ]
        )
    return "\n".join(
        [
            "## Scale",
            "",
            _measured(sc),
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
            f"{_load([sc.get('load')])}.",
            "",
            _table(
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


def _notes() -> str:
    return "\n".join(
        [
            "## How to reproduce",
            "",
            "```",
            "make bench                      # python -m benchmarks: everything, writes this file and docs/img/",
            "python -m benchmarks --quick    # smoke run: scale part at 1k chunks only",
            "python -m benchmarks --only speed   # re-measure one part, keep the others from the last run",
            "```",
            "",
            "Caches (our index of the real corpus, the tutorial's Chroma store, the last results as JSON) live in "
            "`benchmarks/.cache/`, which git ignores; temporary corpora and indexes are deleted at the end.",
            "",
        ]
    )


def _measured(part: Mapping[str, Any]) -> str:
    stamp = part.get("measured")
    if not stamp:
        return ""
    return f"*Measured {stamp['date']}; load average then {_load([stamp['load']])} (2 cores).*\n"


# -- cells -----------------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += [
        "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in row) + " |" for row in rows
    ]
    return "\n".join(lines)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x * 100:.1f}%"


def _ms(x: float) -> str:
    return f"{x:.0f} ms"


def _mb(x: float | None) -> str:
    return "-" if not x else f"{x:.0f} MB"


def _p(stats: Mapping[str, float]) -> str:
    return f"{stats['p50']:.0f} / {stats['p95']:.0f}"


def _load_range(loads: Sequence[Sequence[float]] | None) -> str:
    """The 1-minute load average before and after a measure: "0.4 -> 1.2"."""
    return " -> ".join(f"{load[0]:.1f}" for load in loads) if loads else "-"


def _load(loads: Sequence[Sequence[float] | None] | None) -> str:
    shown = [" / ".join(f"{x:.2f}" for x in load) for load in loads or () if load]
    return " then ".join(shown) if shown else "-"
