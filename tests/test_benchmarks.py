"""The benchmark package's logic on tiny inputs: report and targets, baselines, synthetic corpus. No timings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.citations import Answer
from assistant.evaluate import Question
from assistant.focus import FocusScorer
from assistant.ingest import collect_chunks
from tests.conftest import TINY_CORPUS
from tests.fakes import HashEmbedder


def _method(accuracy: float, recall: float, **figures: Any) -> dict[str, Any]:
    """A method's score on one set, as `benchmarks.quality.score` gives it (4 questions by default)."""
    n = figures.pop("n", 4)
    summary = {
        "n": n,
        "answerable": n,
        "correct": round(accuracy * n),
        "accuracy": accuracy,
        "group_share": accuracy,
        "must_not_hits": 0,
        "gaps": 0,
        "gaps_right": 0,
        "gap_accuracy": None,
        "refusals": 0,
        "refusals_right": 0,
        "refusal_accuracy": None,
        "false_refusals": 0,
        "false_refusal_rate": 0.0,
        "focus": None,
        "median_answer_chars": 300.0,
        "recall_at_5": recall,
        "recall_at_10": recall,
        "mrr": recall / 2,
        "latency_p50_ms": 20.0,
        "latency_p95_ms": 30.0,
    }
    summary.update(figures)
    summary.setdefault("groups", {"category=offices": dict(summary, groups=None)})
    summary.setdefault("questions", [])
    return summary


def _dev2(ours: dict[str, Any] | None = None) -> dict[str, Any]:
    """dev2 figures: 60 questions of 10 kinds; ours passes everything unless `ours` says otherwise."""
    kinds = [f"kind{i}" for i in range(10)]
    figures = {
        "n": 60,
        "answerable": 54,
        "correct": 60,
        "accuracy": 1.0,
        "gaps": 3,
        "gaps_right": 3,
        "refusals": 3,
        "refusals_right": 3,
        "focus": 0.95,
        "groups": {f"kind={k}": {"n": 6, "correct": 6, "focus": 0.95} for k in kinds}
        | {"lang=en": {"n": 30, "correct": 30, "focus": 0.9}},
    }
    figures.update(ours or {})
    return {
        "file": "tests/data/dev2.jsonl",
        "questions": 60,
        "answerable": 54,
        "kinds": kinds,
        "methods": {
            "ours": _method(figures.pop("accuracy"), 0.9, **figures),
            "tutorial": _method(0.5, 0.7, n=60, answerable=54, groups={}),
        },
    }


def _results() -> dict[str, Any]:
    scale_run = {
        "size": 100_000,
        "chunks": 100_000,
        "store": "embedded",
        "files": 10_000,
        "ingest_s": 400.0,
        "chunks_per_s": 250.0,
        "reopen_s": 3.0,
        "noop_sync_s": 20.0,
        "store_ms": {"p50": 60.0, "p95": 90.0, "n": 60},
        "embed_ms": {"p50": 20.0, "p95": 40.0, "n": 60},
        "query_ms": {"p50": 90.0, "p95": 130.0, "n": 60},
        "answer_ms": {"p50": 110.0, "p95": 150.0, "n": 60},
        "peak_rss_mb": 3000.0,
        "maxrss_mb": 2900.0,
        "rss_without_model_mb": 2400.0,
    }
    return {
        "command": "python -m benchmarks",
        "machine": {"date": "2025-01-01T00:00:00", "cpu": "Test CPU", "cores": 2, "load": [0.1, 0.2, 0.3]},
        "quality": {
            "sets": {
                "dev": {
                    "file": "tests/data/dev.jsonl",
                    "questions": 4,
                    "answerable": 4,
                    "kinds": [],
                    "methods": {
                        "ours": _method(0.8, 0.9),
                        "tutorial": _method(0.5, 0.7),
                        "bm25": _method(0.6, 0.95),
                        "dense": _method(0.6, 0.6),
                    },
                },
                "dev2": _dev2(),
            },
            "our_chunks": 10,
            "tutorial_chunks": 5,
            "modes": {"hybrid": {"recall_at_5": 0.9, "recall_at_10": 1.0, "mrr": 0.8}},
            "focus_threshold": 0.5,
            "focus_calibration": {
                "en": {
                    "questions": 30,
                    "own_question_share": 0.8,
                    "own_question_median": 0.6,
                    "other_question_share": 0.05,
                    "other_question_median": 0.2,
                    "pairs": 2000,
                }
            },
        },
        "speed": {
            "latency": {
                "ours": {"p50": 40.0, "p95": 80.0, "n": 5},
                "tutorial": {"p50": 30.0, "p95": 50.0, "n": 5},
                "paired": {"median_diff_ms": 10.0, "ours_faster_share": 0.2},
                "tutorial_our_embedder": {"p50": 35.0, "p95": 45.0, "n": 5},
                "paired_same_embedder": {"median_diff_ms": 5.0, "ours_faster_share": 0.4},
                "embed_ours": {"p50": 20.0, "p95": 25.0, "n": 5},
                "rounds": 1,
                "questions": 5,
                "load": [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]],
            },
            "ingest": {
                "chunks": 10,
                "ingest_s": 12.0,
                "ingest_report": "r",
                "embed_s": [10.0, 10.0],
                "ratio": 1.2,
                "noop_s": [0.5, 0.6, 0.7],
                "noop_report": "r",
                "changed_s": [1.0, 1.1, 4.0],
                "changed_reports": ["a", "b", "c"],
                "after_change_noop": {"seconds": 0.5, "report": "r"},
            },
            "first_answer": {
                "runs": [
                    {
                        "seconds": 9.0,
                        "import_s": 1.0,
                        "open_s": 5.0,
                        "ask_s": 0.2,
                        "cpu_s": 12.0,
                        "peak_rss_mb": 800.0,
                        "maxrss_mb": 790.0,
                    }
                ]
            },
            "web": {"todo": "ui.py is not there yet"},
            "measured": {"date": "2025-01-01 10:00:00 UTC", "load": [0.5, 0.5, 0.5]},
        },
        "scale": {
            "runs": [scale_run, {"size": 100_000, "store": "server", "error": "timed out after 2400 s"}],
            "queries": 60,
            "load": [1.0, 1.0, 1.0],
        },
    }


@pytest.fixture(autouse=True)
def startup_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """The start-up reference of these tests: 10 CPU seconds on commit abc1234."""
    monkeypatch.setattr("benchmarks.targets.STARTUP_BEFORE_CPU_S", 10.0)
    monkeypatch.setattr("benchmarks.targets.STARTUP_BEFORE_COMMIT", "abc1234")


def test_targets_pass_and_fail_from_the_figures() -> None:
    from benchmarks.targets import targets

    status = {t.name: t.status for t in targets(_results())}

    assert status["Answer accuracy vs tutorial (dev)"] == "PASS"  # 80% against 50%: 30 points
    assert status["Answer accuracy (dev)"] == "FAIL"  # 0.80 < 0.95
    assert status["Recall@5 (dev)"] == "FAIL"  # BM25 only has 95%
    assert status["Keyword accuracy (dev2)"] == "PASS"
    assert status["Every kind (dev2)"] == "PASS"
    assert status["Focus (dev2)"] == "PASS"
    assert status["Warm answer latency p50"] == "FAIL"  # 40 ms > 1.2 x 30 ms
    assert status["Full ingest"] == "PASS"
    assert status["No-op sync"] == "PASS"
    assert status["Sync after one changed document"] == "PASS"  # the median, 1.1 s
    assert status["Process start to first answer"] == "PASS"
    assert status["Start-up unchanged"] == "FAIL"  # 12.0 CPU seconds against 10.0 + 10% (patched below)
    assert status["Query p50 (100k chunks, embedded)"] == "PASS"
    assert status["RSS (100k chunks, embedded)"] == "FAIL"  # 3000 MB
    assert status["Query p50 (100k chunks, server)"] == "not measured"


def test_targets_start_up_unchanged_compares_cpu_seconds_within_a_tenth() -> None:
    from benchmarks.targets import targets

    results = _results()
    results["speed"]["first_answer"]["runs"][0]["cpu_s"] = 10.9  # 10 before, +10% allowed
    [target] = [t for t in targets(results) if t.name == "Start-up unchanged"]
    assert target.status == "PASS"
    assert target.goal == "<= 11.0 CPU s (10.0 before, on abc1234, +10%)"
    assert target.measured == "10.9 CPU s (median of 1; wall 9.0 s)"


def test_targets_start_up_without_cpu_seconds_is_not_measured() -> None:
    from benchmarks.targets import targets

    results = _results()
    del results["speed"]["first_answer"]["runs"][0]["cpu_s"]  # a run of the older format
    [target] = [t for t in targets(results) if t.name == "Start-up unchanged"]
    assert target.status == "not measured"


def test_targets_latency_allows_a_fifth_more_than_the_tutorial() -> None:
    from benchmarks.targets import targets

    results = _results()
    results["speed"]["latency"]["ours"]["p50"] = 35.9  # 1.197 x 30 ms
    [latency] = [t for t in targets(results) if t.name == "Warm answer latency p50"]
    assert latency.status == "PASS" and "(1.20x)" in latency.measured


@pytest.mark.parametrize(
    ("figures", "name", "measured"),
    [
        ({"accuracy": 0.85, "correct": 51}, "Keyword accuracy (dev2)", "0.850 (51/60)"),
        (
            {"groups": {"kind=list": {"n": 6, "correct": 4}, "kind=noisy": {"n": 6, "correct": 6}}},
            "Every kind (dev2)",
            "worst: list 4/6",
        ),
        ({"must_not_hits": 1}, "must_not hits (dev2)", "1"),
        ({"gaps_right": 2}, "Gaps and refusals (dev2)", "5/6 (gaps 2/3, refusals 3/3)"),
        ({"focus": 0.75}, "Focus (dev2)", "0.750"),
        ({"false_refusals": 2}, "False refusals (dev + dev2)", "2.0% (2/98: dev 0/44, dev2 2/54)"),
    ],
)
def test_targets_dev2_fail_on_each_figure(figures: dict[str, Any], name: str, measured: str) -> None:
    from benchmarks.targets import targets

    results = _results()
    results["quality"]["sets"]["dev"]["methods"]["ours"].update(answerable=44)
    results["quality"]["sets"]["dev2"] = _dev2(figures)
    found = {t.name: t for t in targets(results)}
    assert found[name].measured == measured
    assert found[name].status == "FAIL"  # false refusals: 2/98 is 2.04%


def test_targets_false_refusals_pool_both_sets() -> None:
    from benchmarks.targets import targets

    results = _results()
    results["quality"]["sets"]["dev"]["methods"]["ours"].update(answerable=44, false_refusals=0)
    results["quality"]["sets"]["dev2"] = _dev2({"false_refusals": 1})
    [target] = [t for t in targets(results) if t.name == "False refusals (dev + dev2)"]
    assert target.status == "PASS" and target.measured.startswith("1.0% (1/98")


def test_targets_not_measured_when_a_part_was_skipped() -> None:
    from benchmarks.targets import targets

    assert {t.status for t in targets({"machine": {}})} == {"not measured"}


def test_render_has_every_section_and_the_todo_row() -> None:
    from benchmarks.report import render

    text = render(_results())

    for heading in (
        "## Machine",
        "## Targets",
        "## Quality",
        "### dev2: 60 questions of 10 kinds",
        "#### dev2 by kind: right answers",
        "### dev: 4 questions",
        "#### dev: retrieval alone",
        "### What the focus threshold separates",
        "## Speed",
        "## Scale",
    ):
        assert heading in text
    assert "**TODO**" in text and "ui.py is not there yet" in text
    assert "**timed out after 2400 s**" in text
    assert "| 40.0 ms vs 30.0 ms (1.33x); paired median difference +10.0 ms | **FAIL** |" in text
    assert "| hybrid (ours: dense + BM25 + expansions, fused) | 90.0% | 100.0% | 0.800 |" in text
    assert "| tutorial with our query embedder (answer) | 35.0 ms | 45.0 ms | 5 |" in text
    assert "| our query embedding alone | 20.0 ms | 25.0 ms | 5 |" in text
    assert "the tutorial's query embedding alone" not in text  # not measured: no row
    assert (
        "against the tutorial with our embedder (same question, same round): median of ours minus theirs +5.0 ms"
        in text
    )
    assert "*Measured 2025-01-01 10:00:00 UTC; load average then 0.50 / 0.50 / 0.50 (2 cores).*" in text
    assert (
        "| Answer accuracy vs tutorial (dev) | >= tutorial + 15 points | 80.0% vs 50.0% (+30.0 points) | **PASS** |"
        in text
    )
    assert "| kind0 | 6/6 | - |" in text  # the tutorial's figures have no kinds
    assert "| en | 30/30 · 0.90 | - |" in text
    assert "| en | 30 | 80.0% (median 0.60) | 5.0% (median 0.20, 2000 pairs) |" in text


def test_render_lists_the_dev2_questions_ours_gets_wrong() -> None:
    from benchmarks.report import render

    results = _results()
    wrong = {
        "id": "d2-020",
        "kind": "list",
        "lang": "en",
        "correct": False,
        "verdict": "groups 6/10, missing [Laos]",
    }
    right = dict(wrong, id="d2-021", correct=True, verdict="")
    results["quality"]["sets"]["dev2"]["methods"]["ours"]["questions"] = [wrong, right]

    text = render(results)

    assert "#### dev2: the 1 questions ours gets wrong" in text
    assert "| d2-020 | list | en | groups 6/10, missing [Laos] |" in text and "d2-021" not in text


def test_render_asks_for_a_new_run_on_results_of_the_older_format() -> None:
    from benchmarks.report import render

    text = render({"machine": {}, "quality": {"methods": {}, "questions": 49}})

    assert "Results of an older run: measure again with `python -m benchmarks --only quality`." in text


def test_render_says_when_parts_were_not_run() -> None:
    from benchmarks.report import render

    text = render({"machine": {}})

    assert "## Quality\n\nNot run." in text and "Not run (`--skip-scale`)" in text


def test_strip_front_matter_keeps_the_body() -> None:
    from benchmarks.baselines import strip_front_matter

    assert strip_front_matter("---\ntitle: T\n---\n\n# Title\nBody") == "# Title\nBody"
    assert strip_front_matter("# No front matter") == "# No front matter"


def test_tutorial_pipeline_answers_with_the_retrieved_text(tmp_path: Path) -> None:
    from benchmarks.baselines import TUTORIAL_K, TutorialPipeline

    pipeline = TutorialPipeline.open(TINY_CORPUS, HashEmbedder(), tmp_path)
    answer = pipeline.ask("Which countries does the Tokyo office cover?")

    assert isinstance(answer, Answer) and not answer.refused
    assert answer.text == "\n\n".join(pipeline.retrieve("Which countries does the Tokyo office cover?"))
    assert len(pipeline.retrieve("Tokyo", k=10)) > TUTORIAL_K
    assert "title:" not in answer.text  # front matter stripped
    assert TutorialPipeline.open(TINY_CORPUS, HashEmbedder(), tmp_path).chunks == pipeline.chunks  # reopened


def test_tutorial_pipeline_with_another_query_embedder_keeps_its_store(tmp_path: Path) -> None:
    from benchmarks.baselines import TutorialPipeline

    class CountingEmbedder(HashEmbedder):
        queries = 0

        def embed_query(self, text: str) -> list[float]:
            CountingEmbedder.queries += 1
            return super().embed_query(text)

    pipeline = TutorialPipeline.open(TINY_CORPUS, HashEmbedder(), tmp_path)
    variant = pipeline.with_embedder(CountingEmbedder())  # another object, same vectors
    question = "Which countries does the Tokyo office cover?"

    assert variant.retrieve(question) == pipeline.retrieve(question)
    assert variant.chunks == pipeline.chunks
    assert CountingEmbedder.queries == 1  # the variant's queries go through its own embedder


def test_compare_methods_scores_all_four_methods_on_every_set(assistant: Any, tmp_path: Path) -> None:
    from benchmarks.baselines import TutorialPipeline
    from benchmarks.quality import compare_methods

    questions = [
        Question("q1", "en", "offices", "Which countries does the Tokyo office cover?", (("Japan",),)),
        Question("q2", "en", "out_of_scope", "What is the best pizza in Naples?", ()),
    ]
    follow_up = Question(
        "q3",
        "en",
        "offices",
        "And who leads it?",
        (("Maleval",),),
        kind="followup",
        history=(
            ("user", "Which office covers Japan?"),
            ("assistant", "The CNRS office in Tokyo covers Japan. [1]"),
        ),
        reference="Jacques Maleval leads the Tokyo office.",
    )
    tutorial = TutorialPipeline.open(assistant.settings.corpus_dir, HashEmbedder(), tmp_path)

    scores = compare_methods(
        {"dev": questions, "dev2": [follow_up]}, assistant, tutorial, FocusScorer(HashEmbedder())
    )

    assert set(scores) == {"dev", "dev2"}
    methods = scores["dev"]
    assert set(methods) == {"ours", "tutorial", "bm25", "dense"}
    assert methods["tutorial"]["refusal_accuracy"] == 0.0  # it never refuses
    assert all(m["n"] == 2 and len(m["questions"]) == 2 for m in methods.values())
    assert all(m["focus"] is not None for m in scores["dev2"].values())  # the follow-up has a reference


def test_systems_give_the_history_to_our_answerers_and_prefix_the_tutorial(
    assistant: Any, tmp_path: Path
) -> None:
    from benchmarks.baselines import TutorialPipeline
    from benchmarks.quality import systems

    tutorial = TutorialPipeline.open(assistant.settings.corpus_dir, HashEmbedder(), tmp_path)
    history = [
        {"role": "user", "content": "Which office covers Japan?"},
        {"role": "assistant", "content": "Tokyo."},
    ]

    found = systems(assistant, tutorial)

    assert found["ours"][0] == assistant.ask  # conversation turns, as in the chat
    assert all(getattr(found[m][0], "__name__", "") == "ask" for m in ("bm25", "dense"))  # Assistant.ask too
    reply = found["tutorial"][0]("And who leads it?", history)
    assert reply.text == tutorial.ask("Which office covers Japan? And who leads it?").text


def test_with_previous_questions_prepends_the_user_turns() -> None:
    from benchmarks.baselines import with_previous_questions

    asked: list[str] = []
    ask = with_previous_questions(lambda q: asked.append(q) or "reply")
    history = [
        {"role": "user", "content": "Which office covers Japan?"},
        {"role": "assistant", "content": "Tokyo. [1]"},
        {"role": "user", "content": "Who leads it?"},
    ]

    assert ask("And since when?", history) == "reply"
    assert asked == ["Which office covers Japan? Who leads it? And since when?"]


def test_focus_calibration_separates_own_and_other_questions() -> None:
    from benchmarks.quality import focus_calibration

    def q(qid: str, lang: str, question: str, reference: str) -> Question:
        return Question(qid, lang, "offices", question, (), answer_type="gap", reference=reference)

    questions = [
        q("a", "en", "Tokyo office director name", "The Tokyo office director name is Maleval."),
        q("b", "en", "Nairobi office opening date", "The Nairobi office opening date is October 2024."),
        q("c", "fr", "Directeur du bureau de Tokyo", "Le directeur du bureau de Tokyo est Maleval."),
    ]

    out = focus_calibration(questions, FocusScorer(HashEmbedder()))

    assert set(out) == {"en", "fr"}  # pairs within one language only
    assert out["en"]["pairs"] == 2 and out["fr"]["pairs"] == 0
    assert out["en"]["own_question_share"] == 1.0 and out["en"]["other_question_share"] == 0.0


def test_quality_chart_writes_a_png(tmp_path: Path) -> None:
    from benchmarks.plots import quality_chart

    path = tmp_path / "img" / "quality.png"
    quality_chart(_results()["quality"]["sets"], path)

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_mode_assistant_retrieves_in_one_mode_only(assistant: Any) -> None:
    from benchmarks.baselines import mode_assistant

    hits = mode_assistant(assistant, "bm25").knowledge.search.search("Tokyo office", 5)
    original = assistant.knowledge.search.search("Tokyo office", 5)

    assert hits and all(h.similarity is None and h.bm25 is not None for h in hits)
    assert original[0].similarity is not None  # the assistant it was made from still searches hybrid


def test_synthetic_corpus_has_one_chunk_per_section(tmp_path: Path) -> None:
    from benchmarks.synthetic import generate

    files = generate(tmp_path, 30)
    chunks, digests, skipped = collect_chunks(tmp_path)

    assert (files, len(chunks), len(digests), skipped) == (3, 30, 3, [])
    assert generate(tmp_path / "again", 30) == 3
    assert (tmp_path / "again" / "part-000" / "doc-000001.md").read_text() == (
        tmp_path / "part-000" / "doc-000001.md"
    ).read_text()


def test_random_embedder_is_deterministic_unit_length() -> None:
    from benchmarks.synthetic import RandomEmbedder

    a, b = RandomEmbedder().embed_documents(["same text", "other text"])

    assert RandomEmbedder().embed_query("same text") == a
    assert len(a) == 384 and a != b
    assert sum(x * x for x in a) == pytest.approx(1.0, abs=1e-5)


def test_answer_latency_times_every_method_in_rotating_order() -> None:
    from benchmarks.speed import answer_latency

    calls: list[str] = []
    methods = {name: (lambda q, name=name: calls.append(name)) for name in ("ours", "tutorial", "embed_ours")}
    questions = [Question(f"q{i}", "en", "tools", f"question {i}", ()) for i in range(4)]

    out = answer_latency(methods, [HashEmbedder()], questions, rounds=2)

    timed = calls[3 * 3 :]  # after the warm-up on three questions
    assert len(timed) == 3 * 4 * 2
    assert [timed[i * 3] for i in range(3)] == ["ours", "tutorial", "embed_ours"]  # each leads in turn
    assert {name: out[name]["n"] for name in methods} == {"ours": 8, "tutorial": 8, "embed_ours": 8}
    assert set(out["paired"]) == {"median_diff_ms", "ours_faster_share"}
    assert "paired_same_embedder" not in out  # no tutorial_our_embedder method was timed
    assert (out["rounds"], out["questions"]) == (2, 4)


def test_percentiles_interpolate() -> None:
    from benchmarks.speed import percentiles

    assert percentiles([10.0, 20.0, 30.0, 40.0, 50.0]) == {"p50": 30.0, "p95": 48.0, "n": 5}
    assert percentiles([]) == {"p50": 0.0, "p95": 0.0, "n": 0}


@pytest.mark.slow
def test_tutorial_stock_embeddings_are_our_model(real_embedder: Any) -> None:
    """The tutorial's embedding code path gives our model's vectors: same model, other code."""
    from assistant.embeddings import model_path
    from benchmarks.baselines import tutorial_embeddings

    stock = tutorial_embeddings(model_path(real_embedder.model_name))
    question = "Quel bureau du CNRS couvre le Japon ?"
    ours, theirs = real_embedder.embed_query(question), stock.embed_query(question)
    assert len(theirs) == len(ours) == 384
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-5
    assert stock.embed_documents(["a\nb"]) == stock.embed_documents(["a b"])  # newlines made spaces


def test_code_commit_names_the_commit_and_uncommitted_code(tmp_path: Path) -> None:
    import subprocess

    from benchmarks.machine import code_commit

    def git(*args: str) -> str:
        command = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()

    (tmp_path / "assistant").mkdir()
    (tmp_path / "assistant" / "chain.py").write_text("x = 1\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.md").write_text("notes\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "first")
    commit = git("rev-parse", "--short", "HEAD")

    assert code_commit(tmp_path) == commit
    (tmp_path / "docs" / "notes.md").write_text("other notes\n")  # not code: the figures do not depend on it
    assert code_commit(tmp_path) == commit
    (tmp_path / "assistant" / "chain.py").write_text("x = 2\n")
    assert code_commit(tmp_path) == f"{commit} + uncommitted changes in assistant"
    assert code_commit(tmp_path / "not-a-checkout") == "unknown"
