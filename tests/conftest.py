"""Shared fixtures. Data from ../shared is read in place; tests that need it skip when absent.

The shared data folder is ``$CLAIMTRACE_SHARED``, else ``shared`` beside the repository (as the
benchmarks find it: :data:`bench.SHARED`). A test needs it by calling :func:`shared_path` or by
the ``shared_data`` marker (``@pytest.mark.shared_data("examples/x.txt")``: those paths, or
the folder itself). Missing data skips the test with a message saying how to provide it, unless
``CLAIMTRACE_REQUIRE_SHARED=1``: then it fails, so a run that has the data cannot skip for lack
of it (``.ci/run`` sets it when the folder is there).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bench import SHARED

from claimtrace import Extractor, Settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = SHARED / "examples" / "women-prisoners-front-line.txt"
SAMPLES = ROOT / "src" / "claimtrace" / "samples"
#: Set (to anything but "" or "0") in CI: missing shared data fails instead of skipping.
REQUIRE_SHARED_ENV = "CLAIMTRACE_REQUIRE_SHARED"
REQUIRE_SHARED = os.environ.get(REQUIRE_SHARED_ENV, "") not in ("", "0")
HOW_TO_PROVIDE = (
    "put the shared data folder beside the repository or set CLAIMTRACE_SHARED=/path/to/shared"
)


def missing_shared(path: Path) -> None:
    """Skip the running test for want of ``path``, or fail it when the data is required."""
    message = f"needs {path}: {HOW_TO_PROVIDE}"
    if REQUIRE_SHARED:
        pytest.fail(f"{message} ({REQUIRE_SHARED_ENV} is set)", pytrace=False)
    pytest.skip(message)


def shared_path(*parts: str) -> Path:
    """A path under the shared data folder, or a skip with a clear message when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        missing_shared(path)
    return path


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked ``shared_data`` skip (or fail) before their fixtures when data is missing."""
    for marker in item.iter_markers("shared_data"):
        for relative in marker.args or ("",):
            shared_path(*Path(relative).parts)


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
