"""derci-assistant: ingest | search | ask | chat | eval | serve | hash-password.

The only module besides the web app that talks to people: it turns errors into one clear line and
an exit code (2 for a usage or input problem, 1 for anything else), never a stack trace. Paths not
given by flags or DERCI_* variables are relative to the working directory (corpus/, index/, data/).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import AssistantError, ConfigError, InputError


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if not args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
    if args.command is None:
        parser.print_help()
        return 2
    try:
        settings = _with_paths(Settings.load(), args)
        result: int = args.handler(args, settings)
        return result
    except (InputError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="derci-assistant", description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("ingest", help="build or sync the index from a document folder")
    _path_options(p)
    p.add_argument("--rebuild", action="store_true", help="drop the index and embed everything again")
    p.set_defaults(handler=_ingest)

    p = sub.add_parser("search", help="print the ranked chunks for a query")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--mode", choices=("hybrid", "dense", "lexical", "bm25"), default="hybrid")
    p.add_argument("--lang", choices=("fr", "en"))
    p.add_argument("--topic")
    p.add_argument("--office")
    p.add_argument("--json", action="store_true")
    _path_options(p)
    p.set_defaults(handler=_search)

    p = sub.add_parser("ask", help="answer one question, with numbered sources")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="the same JSON as POST /api/ask")
    _path_options(p)
    p.set_defaults(handler=_ask)

    p = sub.add_parser("chat", help="a conversation in the terminal (empty line or Ctrl-D to quit)")
    _path_options(p)
    p.set_defaults(handler=_chat)

    p = sub.add_parser("eval", help="evaluate on question files in the shared/eval format")
    p.add_argument("file", type=Path, nargs="+", help="JSONL question files, e.g. tests/data/dev2.jsonl")
    p.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    p.add_argument("--details", action="store_true", help="one line per question")
    p.add_argument("--kind", help="only the questions of this kind (or category, for sets without kinds)")
    p.add_argument("--show", action="store_true", help="every reply in full, with the reference answer")
    p.set_defaults(handler=_eval)

    p = sub.add_parser("serve", help="start the web chat (same as python ui.py)")
    _path_options(p)
    p.add_argument("--data", type=Path, help="folder of the feedback database (default: data/)")
    p.set_defaults(handler=_serve)

    p = sub.add_parser(
        "hash-password",
        help="print a hash for DERCI_STAFF_PASSWORD_HASH (asks twice; or reads one line piped in)",
    )
    p.set_defaults(handler=_hash_password)
    return parser


def _path_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, help="the folder of documents (default: ./corpus)")
    p.add_argument("--index", type=Path, help="the index folder (default: ./index)")


def _with_paths(settings: Settings, args: argparse.Namespace) -> Settings:
    """The settings with the folders given by --corpus, --index and --data, if any."""
    given = {
        name: value
        for name, value in (
            ("corpus_dir", getattr(args, "corpus", None)),
            ("index_dir", getattr(args, "index", None)),
            ("data_dir", getattr(args, "data", None)),
        )
        if value is not None
    }
    return settings.replace(**given) if given else settings


def _progress_bar() -> Any:
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = tqdm(
                total=total,
                desc=stage,
                unit="chunk" if stage == "embedding" else "file",
                leave=False,
                disable=not sys.stderr.isatty(),
            )
        bar = bars[stage]
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def _open(settings: Settings, *, sync: bool = True) -> Any:
    from assistant.chain import Assistant
    from assistant.knowledge import KnowledgeBase
    from assistant.web.server import check_corpus

    check_corpus(settings)
    knowledge = KnowledgeBase.open(settings, sync=sync, progress=_progress_bar())
    if knowledge.last_sync:
        _print_sync(knowledge.last_sync, quiet=True)
    return Assistant(settings, knowledge=knowledge)


def _print_sync(report: Any, *, quiet: bool = False) -> None:
    for skipped in report.skipped:
        print(f"warning: skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
    for warning in report.warnings:  # e.g. a footnote source that is not a URL: indexed, but said
        print(f"warning: {warning}", file=sys.stderr)
    if not quiet or report.embedded:
        print(f"index: {report.summary()}", file=sys.stderr)


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.knowledge import KnowledgeBase
    from assistant.web.server import check_corpus

    check_corpus(settings)
    kb = KnowledgeBase.open(settings, rebuild=args.rebuild, progress=_progress_bar())
    assert kb.last_sync is not None
    _print_sync(kb.last_sync)
    return 0


def _search(args: argparse.Namespace, settings: Settings) -> int:
    bot = _open(settings)
    filters = {k: v for k, v in (("lang", args.lang), ("topic", args.topic), ("office", args.office)) if v}
    hits = bot.knowledge.search.search(args.query, args.k, filters=filters, mode=args.mode)
    if args.json:
        rows = [
            {
                "rank": i,
                "score": h.score,
                "similarity": h.similarity,
                "bm25": h.bm25,
                "text": h.chunk.text,
                **{k: h.meta.get(k) for k in ("title", "section", "path", "url", "lang", "page", "updated")},
            }
            for i, h in enumerate(hits, 1)
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("no result")
    for i, h in enumerate(hits, 1):
        sim = f" sim={h.similarity:.3f}" if h.similarity is not None else ""
        print(f"{i}. [{h.score:.4f}{sim}] {h.meta.get('title')} — {h.meta.get('section') or '-'}")
        print(f"   {h.meta.get('path')}  {h.meta.get('url') or ''}")
        print("   " + " ".join(h.chunk.text.split())[:240])
    return 0


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.citations import to_text
    from assistant.web.payload import answer_payload

    bot = _open(settings)
    answer = bot.ask(args.question)
    print(json.dumps(answer_payload(answer), ensure_ascii=False, indent=2) if args.json else to_text(answer))
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.citations import Answer, to_text

    bot = _open(settings)
    history: list[dict[str, str]] = []
    print("DERCI assistant — posez vos questions / ask your questions (empty line to quit)")
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            break
        if not question:
            break
        final: Answer | None = None
        for event in bot.stream(question, history):
            if isinstance(event, Answer):
                final = event
        assert final is not None
        print(to_text(final) + "\n")
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": final.text}]
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluate import load_sets, run, summarise
    from assistant.scorecard import LEGEND, format_details, format_show, format_table, result_record

    sets = load_sets(args.file, kind=args.kind)
    bot = _open(settings)
    focus = None
    if any(q.reference for questions in sets.values() for q in questions):
        from assistant.focus import FocusScorer, bundled_embedder

        focus = FocusScorer(bundled_embedder(bot.knowledge.embedder))
    for i, (path, questions) in enumerate(sets.items()):
        results = run(questions, bot.ask, lambda q: _chunk_texts(bot, q), focus=focus)
        summary = summarise(results)
        if args.json:
            data = {"file": str(path), **summary.to_dict(), "questions": [result_record(r) for r in results]}
            print(json.dumps(data, ensure_ascii=False))
            continue
        print(("\n" if i else "") + format_table(summary, title=path.name))
        if args.details:
            print("\n" + format_details(results))
        if args.show:
            print("\n" + format_show(results))
    if not args.json:
        print("\n" + LEGEND)
    return 0


def _chunk_texts(bot: Any, question: str) -> list[str]:
    """The texts of the top 10 chunks behind an answer (the evaluation's recall@k)."""
    return [h.chunk.text for h in bot.retrieve(question, k=10)]


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.web.server import check_corpus, main

    check_corpus(settings)
    main(settings)
    return 0


def _hash_password(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.web.auth import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Staff password: ")
        if password != getpass.getpass("Again: "):
            raise InputError("The two passwords differ.")
    else:  # piped in (echo "$PASSWORD" | derci-assistant hash-password): one line, no confirmation
        password = sys.stdin.readline().rstrip("\r\n")
    print(hash_password(password))
    return 0
