"""The first index build's progress (assistant.web.progress): files, passages, time left, on a fake clock."""

from __future__ import annotations

from assistant.web.progress import ProgressTracker, Snapshot, preparing_markdown, progress_text


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_before_any_report_says_starting() -> None:
    assert progress_text("en", Snapshot()) == "Starting."
    assert progress_text("fr", Snapshot()) == "Démarrage."


def test_progress_counts_files_then_passages_and_estimates_the_time_left() -> None:
    clock = Clock()
    tracker = ProgressTracker(clock)
    tracker("reading", 40, 40)
    assert progress_text("en", tracker.snapshot()) == "Documents read: 40/40."
    tracker("embedding", 0, 1200)
    clock.now += 30
    tracker("embedding", 300, 1200)  # 10 passages a second: 900 left, 90 s
    assert progress_text("en", tracker.snapshot()) == (
        "Documents read: 40/40. Passages indexed: 300/1200. About 2 min left."
    )
    clock.now += 60
    tracker("embedding", 1100, 1200)  # 1100 in 90 s: 100 left, about 8 s
    assert progress_text("fr", tracker.snapshot()).endswith(
        "Passages indexés : 1100/1200. Environ 10 s restantes."
    )


def test_progress_gives_no_estimate_before_there_is_a_rate() -> None:
    clock = Clock()
    tracker = ProgressTracker(clock)
    tracker("embedding", 32, 1200)
    clock.now += 0.5
    tracker("embedding", 64, 1200)
    assert "left" not in progress_text("en", tracker.snapshot())
    assert tracker.snapshot().seconds_left() is None


def test_progress_time_left_keeps_moving_between_reports() -> None:
    clock = Clock()
    tracker = ProgressTracker(clock)
    tracker("embedding", 0, 100)
    clock.now += 10
    tracker("embedding", 50, 100)
    first = tracker.snapshot().seconds_left()
    clock.now += 5  # no report meanwhile: the rate drops, the estimate grows
    later = tracker.snapshot().seconds_left()
    assert first == 10.0 and later is not None and later > first


def test_preparing_banner_makes_no_fixed_promise() -> None:
    banner = preparing_markdown("fr", Snapshot(files=(3, 10)))
    assert banner.startswith("**Préparation de l'index des documents…** Documents lus : 3/10.")
    assert "30 secondes" not in banner and "30 seconds" not in preparing_markdown("en", Snapshot())
