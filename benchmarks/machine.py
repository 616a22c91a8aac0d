"""What the figures were measured on: the code's commit, CPU, cores, memory, load, Python and packages, date."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

PACKAGES = (
    "derci-assistant", "torch", "sentence-transformers", "chromadb", "bm25s", "langchain-core",
    "langchain-chroma", "langchain-text-splitters", "gradio", "numpy",
)  # fmt: skip


def describe() -> dict[str, Any]:
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": code_commit(Path(__file__).resolve().parents[1]),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
        "load": load_average(),
    }


# What the measured code is made of: changes elsewhere (docs, tests) do not change a figure.
CODE_PATHS = ("assistant", "benchmarks", "corpus", "ui.py", "pyproject.toml")


def code_commit(project: Path) -> str:
    """The checkout's commit, and whether the measured code differs from it ("abc1234 + uncommitted
    changes in assistant, corpus"); "unknown" outside a git checkout."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(project), *args], capture_output=True, text=True, timeout=30, check=True
        ).stdout.rstrip("\n")  # not strip(): porcelain lines start with a status column that may be a space

    try:
        commit = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--", *CODE_PATHS)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    dirty = sorted({line[3:].split("/", 1)[0] for line in changed.splitlines() if len(line) > 3})
    return commit + (f" + uncommitted changes in {', '.join(dirty)}" if dirty else "")


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages (on this 2-core machine, above 2 means others are running)."""
    return [round(x, 2) for x in os.getloadavg()]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"
