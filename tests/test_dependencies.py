"""Every third-party module the code uses is declared in pyproject.toml.

A fresh clone once crashed at `make run` on `pygal_maps_world`, which was installed by hand on the
CI machine and never declared. This test reads the code (imports, and `importlib.resources.files()`
look-ups, which import nothing but need the package installed) and checks each module against the
dependencies pyproject.toml declares: the package and ui.py against the core dependencies (or an
optional extra, for imports made lazily inside a function), tests and benchmarks against the core
dependencies plus the test and bench extras. `.ci/run` runs the suite in a new virtual environment,
so a module missing from pyproject.toml also fails there.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
_OWN = {"assistant", "tests", "benchmarks", "ui"}
_RESOURCE = re.compile(r"""\bfiles\(\s*["']([A-Za-z_][\w.]*)["']\s*\)""")
# Modules of optional extras that are not installed by `make install`: their distribution cannot be
# looked up in this environment.
_NOT_INSTALLED = {"llama_cpp": "llama-cpp-python"}


@dataclass(frozen=True)
class Use:
    module: str  # top-level module name
    file: str
    lazy: bool  # imported inside a function


def _requirement_name(spec: str) -> str:
    return _normalise(re.split(r"[\s\[<>=!~;]", spec.strip(), maxsplit=1)[0])


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> dict[str, set[str]]:
    """Distribution names by group: "core" and each optional extra."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = {"core": {_requirement_name(s) for s in project["dependencies"]}}
    for extra, specs in project.get("optional-dependencies", {}).items():
        groups[extra] = {_requirement_name(s) for s in specs if not s.startswith("derci-assistant")}
    return groups


def _uses(paths: list[Path]) -> Iterator[Use]:
    for path in paths:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        lazy_lines = {
            n.lineno
            for f in ast.walk(tree)
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            for n in ast.walk(f)
            if isinstance(n, (ast.Import, ast.ImportFrom))
        }
        rel = str(path.relative_to(PROJECT)) if path.is_relative_to(PROJECT) else str(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                yield Use(name.split(".")[0], rel, node.lineno in lazy_lines)
        for m in _RESOURCE.finditer(source):
            yield Use(m.group(1).split(".")[0], rel, lazy=False)


def _distributions(module: str) -> set[str]:
    if module in _NOT_INSTALLED:
        return {_normalise(_NOT_INSTALLED[module])}
    found = importlib.metadata.packages_distributions().get(module, [])
    return {_normalise(d) for d in found}


def _third_party(uses: Iterator[Use]) -> list[Use]:
    return [u for u in uses if u.module not in sys.stdlib_module_names and u.module not in _OWN]


def _python_files(*roots: str) -> list[Path]:
    out: list[Path] = []
    for root in roots:
        path = PROJECT / root
        out.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return out


def test_dependencies_package_imports_are_declared() -> None:
    declared = _declared()
    optional = set().union(*(v for k, v in declared.items() if k in ("llm", "gguf")))
    missing = []
    for use in _third_party(_uses(_python_files("assistant", "ui.py"))):
        allowed = declared["core"] | (optional if use.lazy else set())
        if not _distributions(use.module) & allowed:
            missing.append(f"{use.file}: {use.module} (distribution {_distributions(use.module) or '?'})")
    assert not missing, "undeclared in [project.dependencies]:\n" + "\n".join(sorted(set(missing)))


def test_dependencies_test_and_benchmark_imports_are_declared() -> None:
    declared = _declared()
    allowed = declared["core"] | declared["test"] | declared["bench"] | declared["llm"]
    missing = [
        f"{u.file}: {u.module}"
        for u in _third_party(_uses(_python_files("tests", "benchmarks")))
        if not _distributions(u.module) & allowed
    ]
    assert not missing, "undeclared in pyproject.toml:\n" + "\n".join(sorted(set(missing)))


def test_dependencies_scan_finds_resource_lookups(tmp_path: Path) -> None:
    """The scan sees `files(<package name>)`, the form that hid pygal_maps_world from a plain import scan."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        'from importlib.resources import files\n\n\ndef svg():\n    return files("pygal_maps_world")\n'
    )
    found = {u.module: u.lazy for u in _uses([sample])}
    assert found == {"importlib": False, "pygal_maps_world": False}


def test_dependencies_scan_flags_an_undeclared_module() -> None:
    """The check is not vacuous: a module that no core distribution provides is not accepted."""
    assert _distributions("matplotlib") == {"matplotlib"}
    assert not _distributions("matplotlib") & _declared()["core"]  # a bench-only dependency


def test_every_extra_an_install_hint_names_is_declared() -> None:
    """`MissingDependencyError("pkg", "extra")` tells the user to `pip install -e '.[extra]'`: the extra must
    exist (a core dependency, with no extra, is named by the plain install)."""
    extras = set(tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]["optional-dependencies"])
    named: set[str] = set()
    for path in (PROJECT / "assistant").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "MissingDependencyError"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                named.add(str(node.args[1].value))
    assert named and named <= extras, named - extras


def test_a_missing_core_dependency_names_the_plain_install() -> None:
    from assistant.errors import MissingDependencyError

    assert str(MissingDependencyError("transformers")).endswith("pip install -e .")
    assert "pip install -e '.[llm]'" in str(MissingDependencyError("langchain-openai", "llm"))
