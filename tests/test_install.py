"""A real install: the wheel built from this checkout, `pip install`ed (not editable) into a fresh venv.

Then, from a folder that is not the checkout, as a user would: every module imports; `derci-assistant
ingest` and `ask --json` work on a corpus given with --corpus; `derci-assistant serve --corpus`
answers through POST /api/ask; a missing corpus gets a clear message; and nothing was written
inside site-packages. The venv has no access to this checkout or to the test venv's packages: its
dependencies come from PyPI (pip's cache helps), except torch, taken from the machine's CPU wheel
folder (/opt/wheels) when there is one, as `make install` pins it. Slow: minutes, the first time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import PROJECT, TINY_CORPUS
from tests.webclient import free_port

pytestmark = pytest.mark.slow

TORCH = "torch==2.13.0"
WHEELS = Path("/opt/wheels")


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel of this checkout installed."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"  # a copy, so the build leaves nothing in the checkout (build/, egg-info)
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT / name, source / name)
    shutil.copytree(PROJECT / "assistant", source / "assistant", ignore=shutil.ignore_patterns("__pycache__"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"), str(source)])
    [wheel] = (root / "dist").glob("derci_assistant-*.whl")
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    links = ["--find-links", str(WHEELS)] if WHEELS.is_dir() else []
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
          *links, TORCH, str(wheel)], timeout=3600)  # fmt: skip
    return venv


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder that is not the checkout, with a corpus folder of its own."""
    folder = tmp_path_factory.mktemp("user")
    shutil.copytree(TINY_CORPUS, folder / "docs")
    return folder


def _run(argv: list[str], *, cwd: Path | None = None, timeout: float = 900, **env: str) -> str:
    done = subprocess.run(
        argv, cwd=cwd, env=_env(**env), capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{argv[:4]} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


def _env(**extra: str) -> dict[str, str]:
    """The user's environment, minus anything that would let the venv see this checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DERCI_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    env.update(GRADIO_ANALYTICS_ENABLED="False", **extra)
    return env


def _site_packages(venv: Path) -> Path:
    [found] = (venv / "lib").glob("python3.*/site-packages")
    return found


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def site_before(venv: Path) -> dict[str, int]:
    return _files(_site_packages(venv))


def test_install_every_module_imports_from_the_wheel(
    venv: Path, elsewhere: Path, site_before: dict[str, int]
) -> None:
    code = (
        "import importlib, pkgutil, assistant\n"
        "names = [m.name for m in pkgutil.walk_packages(assistant.__path__, 'assistant.')\n"
        "         if m.name != 'assistant.__main__']  # that one runs the CLI\n"
        "for name in names: importlib.import_module(name)\n"
        "print(assistant.__file__); print(len(names))"
    )
    where, count = _run([str(venv / "bin" / "python"), "-c", code], cwd=elsewhere).split()
    assert Path(where).is_relative_to(_site_packages(venv))  # the installed copy, not the checkout
    assert int(count) >= 30


def test_install_cli_ingests_and_answers_from_another_folder(venv: Path, elsewhere: Path) -> None:
    cli = str(venv / "bin" / "derci-assistant")
    _run([cli, "ingest", "--corpus", "docs"], cwd=elsewhere)
    assert (elsewhere / "index").is_dir()  # beside the user, not inside the package
    answer = json.loads(
        _run([cli, "ask", "Which office covers Japan?", "--json", "--corpus", "docs"], cwd=elsewhere)
    )
    assert "Tokyo" in answer["answer"] and answer["citations"]


def test_install_cli_without_a_corpus_says_how_to_give_one(venv: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(venv / "bin" / "derci-assistant"), "ask", "Which office covers Japan?"],
        cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: No corpus folder at {tmp_path.resolve() / 'corpus'}")
    assert "--corpus DIR" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def served(venv: Path, elsewhere: Path) -> Iterator[str]:
    port = free_port()
    log = (elsewhere / "serve.log").open("w")
    server = subprocess.Popen(
        [str(venv / "bin" / "derci-assistant"), "serve", "--corpus", "docs"],
        cwd=elsewhere, env=_env(DERCI_PORT=str(port), DERCI_DATA_DIR="data"), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, (elsewhere / "serve.log").read_text()
            assert time.monotonic() < deadline, (elsewhere / "serve.log").read_text()
            try:
                if httpx.post(f"{url}/api/ask", json={"question": "ping"}, timeout=10).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        yield url
    finally:
        server.terminate()
        server.wait(30)
        log.close()


def test_install_serve_answers_through_the_json_api(served: str) -> None:
    response = httpx.post(f"{served}/api/ask", json={"question": "Which office covers Japan?"}, timeout=60)
    assert response.status_code == 200
    data = response.json()
    assert "Tokyo" in data["answer"] and data["citations"][0]["path"] == "en/bureau-tokyo.md"
    assert httpx.get(f"{served}/", timeout=30).status_code == 200


def test_install_wrote_nothing_inside_site_packages(
    venv: Path, site_before: dict[str, int], served: str, elsewhere: Path
) -> None:
    httpx.post(f"{served}/api/ask", json={"question": "Quel bureau couvre le Japon ?"}, timeout=60)
    after = _files(_site_packages(venv))
    changed = sorted(name for name, stamp in after.items() if site_before.get(name) != stamp)
    # Gradio itself (not this app) saves the seed of its file-cache hashes beside its code on first use
    # (gradio/utils.py get_hash_seed; a random seed per process when that folder is read-only).
    assert [name for name in changed if name != "gradio/hash_seed.txt"] == [], changed[:20]
    assert not [name for name in changed if name.startswith("assistant/")]
    assert (elsewhere / "data" / "feedback.sqlite3").is_file()  # the app's files went beside the user
