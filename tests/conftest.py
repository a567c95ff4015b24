"""Shared fixtures. Data from ../shared is read in place; tests that need it skip when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimtrace import Extractor, Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLAIMTRACE_SHARED", ROOT.parent / "shared"))
EXAMPLE = SHARED / "examples" / "women-prisoners-front-line.txt"
SAMPLES = ROOT / "src" / "claimtrace" / "samples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip with a clear message when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the shared data folder beside the repository)")
    return path


#: Variables a test run may set from outside: where the shared data is, and test services.
_KEPT = ("CLAIMTRACE_SHARED", "CLAIMTRACE_TEST_")


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache directory for the whole run, so built caches (the gazetteer) are built once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache_dir: Path) -> None:
    """No user config file or CLAIMTRACE_* variable leaks into a test; caches are shared."""
    for key in list(os.environ):
        if key.startswith("CLAIMTRACE_") and not key.startswith(_KEPT):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CLAIMTRACE_CACHE_DIR", str(cache_dir))


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The default extractor (embedded model), loaded once."""
    return Extractor(Settings())


@pytest.fixture(scope="session")
def rules_extractor() -> Extractor:
    """The rule-only pipeline: fast, for tests about ingest and plumbing."""
    return Extractor(Settings(model="rules"))
