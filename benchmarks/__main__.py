"""`python -m benchmarks [--quick] [--skip-scale] [--only PART] [--report-only] [--out docs/benchmarks.md]`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks import CACHE, PROJECT, machine
from benchmarks.markdown import get
from benchmarks.report import render

PARTS = ("quality", "speed", "scale")
SETS = {"dev": "tests/data/dev.jsonl", "dev2": "tests/data/dev2.jsonl"}  # the development question sets
RESULTS = CACHE / "results.json"
QUICK_RESULTS = CACHE / "results-quick.json"  # so that a smoke run never replaces a full run's results


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    saved = QUICK_RESULTS if args.quick else RESULTS
    if args.report_only:  # re-render the Markdown and the plots from the last run's results
        _write(json.loads(saved.read_text()), args.out)
        return 0
    parts = set(args.only or PARTS) - ({"scale"} if args.skip_scale else set())
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    CACHE.mkdir(parents=True, exist_ok=True)
    # --only re-measures some parts and keeps the others from the last run.
    results: dict[str, Any] = json.loads(saved.read_text()) if args.only and saved.is_file() else {}
    results.update(
        command=" ".join(["python -m benchmarks", *argv]), quick=args.quick, machine=machine.describe()
    )
    with tempfile.TemporaryDirectory(prefix="derci-bench-") as tmp:
        _measure(parts, Path(tmp), args.quick, results)
    saved.write_text(json.dumps(results, indent=1))
    _write(results, args.out)
    _say(f"wrote {args.out} and its plots; raw results in {saved}")
    return 0


def _measure(parts: set[str], workdir: Path, quick: bool, results: dict[str, Any]) -> None:
    if parts & {"quality", "speed"}:
        from assistant.chain import Assistant
        from assistant.config import Settings
        from assistant.embeddings import SentenceTransformerEmbeddings, model_path
        from assistant.evaluate import load_questions
        from benchmarks.baselines import TutorialPipeline, tutorial_embeddings

        embedder = SentenceTransformerEmbeddings()
        settings = Settings.load(environ={}, index_dir=CACHE / "index", data_dir=workdir / "data")
        _say(f"opening our index in {settings.index_dir} (built on first use)...")
        bot = Assistant(settings, embedder=embedder, sync=True)
        _say("opening the tutorial pipeline's store (built on first use)...")
        # The tutorial embeds with LangChain's stock HuggingFaceEmbeddings over the same model folder.
        tutorial = TutorialPipeline.open(
            settings.corpus_dir, tutorial_embeddings(model_path(settings.embedding_model)), CACHE / "tutorial"
        )
        sets = {name: load_questions(PROJECT / path) for name, path in SETS.items()}
        questions = [q for qs in sets.values() for q in qs]

    if "quality" in parts:
        from assistant.focus import FocusScorer, bundled_embedder
        from benchmarks.quality import compare_methods, focus_calibration, retrieval_by_mode

        stamp = _stamp()
        focus = FocusScorer(bundled_embedder(embedder))
        _say(f"quality: 4 methods x {' + '.join(str(len(qs)) for qs in sets.values())} questions...")
        scores = compare_methods(sets, bot, tutorial, focus)
        results["quality"] = {
            "sets": {
                name: {
                    "file": SETS[name],
                    "questions": len(qs),
                    "answerable": sum(q.answerable for q in qs),
                    "kinds": sorted({q.kind for q in qs if q.kind}),
                    "methods": scores[name],
                }
                for name, qs in sets.items()
            },
            "our_chunks": bot.knowledge.vectors.count(),
            "tutorial_chunks": tutorial.chunks,
            "modes": retrieval_by_mode(sets["dev"], bot),
            "focus_threshold": focus.threshold,
            "focus_calibration": focus_calibration(sets["dev2"], focus),
            "load": machine.load_average(),
            "measured": stamp,
        }

    if "speed" in parts:
        from benchmarks import speed

        stamp = _stamp()
        _say(f"speed: interleaved answer latency on {len(questions)} questions (dev and dev2)...")
        import torch

        # Ours embeds a query on one thread; the tutorial's encode() uses the process setting: the same.
        torch.set_num_threads(1)
        latency = speed.answer_latency(
            {
                "ours": bot.ask,
                "tutorial": tutorial.ask,
                # where the difference comes from: the tutorial's pipeline with our query embedder,
                # and each query embedder alone
                "tutorial_our_embedder": tutorial.with_embedder(embedder).ask,
                "embed_ours": embedder.embed_query,
                "embed_tutorial": tutorial.embedder.embed_query,
            },
            [embedder, tutorial.embedder],
            questions,
            rounds=1 if quick else 3,
        )
        _say("speed: full ingest, pure embedding, syncs...")
        ingest = speed.ingest_and_sync(settings.corpus_dir, workdir / "speed", embedder)
        _say("speed: process start to first answer...")
        first = _attempt(
            lambda: speed.start_to_first_answer(
                settings.index_dir, settings.corpus_dir, workdir, runs=1 if quick else 3
            )
        )
        _say("speed: python ui.py to the page answering...")
        web = _attempt(lambda: speed.start_to_web_answer(settings.index_dir, settings.corpus_dir, workdir))
        results["speed"] = {
            "latency": latency,
            "ingest": ingest,
            "first_answer": first,
            "web": web,
            "measured": stamp,
        }

    if "scale" in parts:
        from benchmarks.scale import QUICK_SIZES, SIZES, run_scale

        stamp = _stamp()
        results["scale"] = run_scale(
            QUICK_SIZES if quick else SIZES, workdir / "scale", n_queries=20 if quick else 60, say=_say
        )
        results["scale"]["measured"] = stamp


def _stamp() -> dict[str, Any]:
    """When a part started, and the load then: parts of one report may come from different runs (--only)."""
    return {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "load": machine.load_average()}


def _attempt(measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A start-up measure that fails is reported as failed, without losing the rest of the run."""
    try:
        return measure()
    except Exception as exc:  # noqa: BLE001 - reported in the Markdown
        _say(f"  failed: {exc}")
        return {"error": f"{type(exc).__name__}: {exc}"[:2000]}


def _write(results: dict[str, Any], out: Path) -> None:
    from benchmarks.plots import quality_chart, scale_chart

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(results), encoding="utf-8")
    img = out.parent / "img"
    if get(results, "quality", "sets"):
        quality_chart(results["quality"]["sets"], img / "quality.png")
    if results.get("scale"):
        scale_chart(results["scale"]["runs"], img / "scale.png")


def _say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--quick", action="store_true", help="smoke run: scale part at 1k chunks, fewer repeats")
    p.add_argument("--skip-scale", action="store_true", help="leave out the scale part")
    p.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="measure only this part (repeatable); the other parts come from the last run",
    )
    p.add_argument("--report-only", action="store_true", help="only rewrite the report from the last results")
    p.add_argument("--out", type=Path, default=PROJECT / "docs" / "benchmarks.md")
    return p


if __name__ == "__main__":
    sys.exit(main())
