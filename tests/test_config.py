"""Tests of assistant.config: defaults, DERCI_* parsing, overrides, validation, path resolution."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assistant.config import BUNDLED_MODEL, Settings
from assistant.errors import ConfigError


def test_settings_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.load(environ={})
    assert settings == Settings()
    assert settings.corpus_dir == tmp_path.resolve() / "corpus"  # from the working directory...
    assert settings.index_dir == tmp_path.resolve() / "index"
    assert settings.data_dir == tmp_path.resolve() / "data"
    assert settings.embedding_model == BUNDLED_MODEL
    assert settings.chroma_url is None
    assert settings.llm_backend == "none"
    assert (settings.top_k, settings.candidates, settings.rrf_k) == (5, 40, 60)
    assert settings.host == "127.0.0.1"


def test_settings_fixture_lives_on_tmp_path(settings: Settings, tmp_path: Path) -> None:
    assert settings.corpus_dir == (tmp_path / "corpus").resolve()
    assert settings.index_dir == (tmp_path / "index").resolve()
    assert settings.feedback_db.is_relative_to(tmp_path.resolve())
    assert settings.glossary_path == settings.corpus_dir / "glossary.yaml"


def test_settings_parses_int_from_environment() -> None:
    settings = Settings.load(environ={"DERCI_TOP_K": "7", "DERCI_PORT": " 8080 "})
    assert settings.top_k == 7
    assert settings.port == 8080


def test_settings_parses_float_from_environment() -> None:
    settings = Settings.load(environ={"DERCI_REFUSAL_THRESHOLD": "0.25", "DERCI_LLM_TIMEOUT": "3"})
    assert settings.refusal_threshold == 0.25
    assert settings.llm_timeout == 3.0
    assert isinstance(settings.llm_timeout, float)


def test_settings_parses_path_from_environment(tmp_path: Path) -> None:
    settings = Settings.load(environ={"DERCI_CORPUS_DIR": str(tmp_path / "docs")})
    assert settings.corpus_dir == tmp_path.resolve() / "docs"
    assert isinstance(settings.corpus_dir, Path)


def test_settings_parses_str_from_environment() -> None:
    settings = Settings.load(
        environ={"DERCI_COLLECTION": "test", "DERCI_CHROMA_URL": "http://127.0.0.1:9000"}
    )
    assert settings.collection == "test"
    assert settings.chroma_url == "http://127.0.0.1:9000"


def test_settings_ignores_empty_environment_values() -> None:
    assert Settings.load(environ={"DERCI_TOP_K": "", "DERCI_CHROMA_URL": ""}) == Settings()


def test_settings_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DERCI_TOP_K", "9")
    assert Settings.load().top_k == 9


def test_settings_override_wins_over_environment(tmp_path: Path) -> None:
    settings = Settings.load(
        environ={"DERCI_TOP_K": "7", "DERCI_INDEX_DIR": str(tmp_path / "env")},
        top_k=3,
        index_dir=tmp_path / "override",
    )
    assert settings.top_k == 3
    assert settings.index_dir == tmp_path.resolve() / "override"


@pytest.mark.parametrize(
    ("variable", "raw"),
    [("DERCI_TOP_K", "five"), ("DERCI_PORT", "80.5"), ("DERCI_LLM_TIMEOUT", "soon")],
)
def test_settings_invalid_number_names_the_variable(variable: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=variable) as caught:
        Settings.load(environ={variable: raw})
    assert repr(raw) in str(caught.value)


def test_settings_non_positive_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="DERCI_CANDIDATES"):
        Settings.load(environ={"DERCI_CANDIDATES": "0"})


def test_settings_unknown_llm_backend_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="DERCI_LLM_BACKEND='gpt'"):
        Settings.load(environ={"DERCI_LLM_BACKEND": "gpt"})


def test_settings_llm_backend_without_model_names_the_fix() -> None:
    with pytest.raises(ConfigError, match="DERCI_LLM_MODEL"):
        Settings.load(environ={"DERCI_LLM_BACKEND": "ollama"})


def test_settings_unknown_override_rejected() -> None:
    with pytest.raises(ConfigError, match="top_kk"):
        Settings.load(environ={}, top_kk=3)


def test_settings_relative_paths_resolved_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.load(environ={"DERCI_CORPUS_DIR": "docs"}, index_dir="idx/../index")
    assert settings.corpus_dir.is_absolute()
    assert settings.corpus_dir == tmp_path.resolve() / "docs"
    assert settings.index_dir == tmp_path.resolve() / "index"


def test_settings_home_in_paths_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = Settings.load(environ={"DERCI_DATA_DIR": "~/data"})
    assert settings.data_dir == tmp_path.resolve() / "data"


def test_settings_is_frozen() -> None:
    settings = Settings.load(environ={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.top_k = 1  # type: ignore[misc]


def test_settings_replace_returns_changed_copy() -> None:
    settings = Settings.load(environ={})
    changed = settings.replace(top_k=2)
    assert (changed.top_k, settings.top_k) == (2, 5)


def test_settings_repr_hides_secrets() -> None:
    settings = Settings.load(environ={"DERCI_LLM_API_KEY": "sk-secret", "DERCI_STAFF_PASSWORD_HASH": "h4sh"})
    assert settings.llm_api_key == "sk-secret"
    assert "sk-secret" not in repr(settings)
    assert "h4sh" not in repr(settings)


def test_settings_default_paths_never_point_into_the_installed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant

    monkeypatch.chdir(tmp_path)
    package = Path(assistant.__file__).resolve().parent.parent  # site-packages after `pip install .`
    settings = Settings()
    for path in (settings.corpus_dir, settings.index_dir, settings.data_dir, settings.feedback_db):
        assert path.is_relative_to(tmp_path.resolve()) and not path.is_relative_to(package / "assistant")


def test_settings_replace_keeps_paths_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.load(environ={}).replace(corpus_dir=Path("elsewhere"))
    assert settings.corpus_dir == tmp_path.resolve() / "elsewhere"


@pytest.mark.parametrize(("raw", "proxies"), [("", []), ("127.0.0.1", ["127.0.0.1"]),
                                              (" 10.0.0.2 , 192.168.0.0/16 ", ["10.0.0.2", "192.168.0.0/16"])])  # fmt: skip
def test_settings_trusted_proxies(raw: str, proxies: list[str]) -> None:
    assert Settings.load(environ={"DERCI_TRUSTED_PROXIES": raw}).proxies == proxies


def test_settings_trusted_proxies_names_a_bad_entry() -> None:
    with pytest.raises(ConfigError, match=r"DERCI_TRUSTED_PROXIES: 'proxy.example' is not an IP address"):
        Settings.load(environ={"DERCI_TRUSTED_PROXIES": "127.0.0.1,proxy.example"})
