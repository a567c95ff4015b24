"""One gazetteer build for the whole session, in a session-wide cache folder.

The root conftest gives every test its own HOME (and clears ``CLAIMTRACE_*``), so a cache under
HOME would be rebuilt per test; here ``CLAIMTRACE_CACHE_DIR`` points every test at one folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrace.places.gazetteer import Gazetteer, open_gazetteer


@pytest.fixture(scope="session")
def gazetteer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding a freshly built gazetteer, shared by the session."""
    folder = tmp_path_factory.mktemp("claimtrace-cache")
    open_gazetteer(folder / "gazetteer.sqlite3")
    return folder


@pytest.fixture(autouse=True)
def _gazetteer_cache(
    _isolated_config: None, gazetteer_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMTRACE_CACHE_DIR", str(gazetteer_dir))


@pytest.fixture
def gazetteer(gazetteer_dir: Path) -> Gazetteer:
    """The session's gazetteer."""
    return open_gazetteer(gazetteer_dir / "gazetteer.sqlite3")
