from __future__ import annotations

from pathlib import Path

import pytest

from claimtrace import ConfigError, load_settings
from claimtrace.config import DEFAULT_MAX_DOCUMENT_BYTES


def test_defaults() -> None:
    settings = load_settings()
    assert settings.model is None
    assert settings.max_document_bytes == DEFAULT_MAX_DOCUMENT_BYTES
    assert settings.skip_stages == ()


def test_layers_file_then_env_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('model = "rules"\nmax_document_bytes = 1000\nbatch_size = 8\n')
    monkeypatch.setenv("CLAIMTRACE_CONFIG", str(config))
    assert (load_settings().model, load_settings().max_document_bytes) == ("rules", 1000)
    monkeypatch.setenv("CLAIMTRACE_MAX_DOCUMENT_BYTES", "2000")
    monkeypatch.setenv("CLAIMTRACE_SKIP_STAGES", "sentences, times")
    settings = load_settings()
    assert (settings.max_document_bytes, settings.skip_stages, settings.batch_size) == (
        2000,
        ("sentences", "times"),
        8,
    )
    assert load_settings(max_document_bytes=3000, model=None).max_document_bytes == 3000
    assert load_settings(model=None).model == "rules"  # a flag left unset does not erase a layer


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("max_document_bytes = -1", "setting max_document_bytes"),
        ("colour = 'red'", "setting colour"),
        ("not toml at all [", "config file"),
    ],
)
def test_bad_config_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content)
    monkeypatch.setenv("CLAIMTRACE_CONFIG", str(config))
    with pytest.raises(ConfigError, match=message):
        load_settings()


def test_missing_config_file_named_by_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLAIMTRACE_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings()
