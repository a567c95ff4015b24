"""Without the shared data folder, tests that need it skip and say how to provide it; with
CLAIMTRACE_REQUIRE_SHARED=1 (as CI sets when the folder is there) they fail instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import HOW_TO_PROVIDE, ROOT

#: One test that calls ``shared_path``, one that only carries the ``shared_data`` marker.
NEEDS_SHARED = """
import pytest

from tests.conftest import shared_path


def test_calls_shared_path():
    shared_path("examples", "article.txt")


@pytest.mark.shared_data("data/gold")
def test_is_marked():
    pass
"""


def _pytest(tmp_path: Path, *, require: bool) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run the tests above with these hooks and settings, and an empty shared data folder."""
    shared = tmp_path / "shared"
    shared.mkdir()
    module = tmp_path / "test_needs_shared.py"
    module.write_text(NEEDS_SHARED, "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMTRACE_")}
    env["CLAIMTRACE_SHARED"] = str(shared)
    if require:
        env["CLAIMTRACE_REQUIRE_SHARED"] = "1"
    command = [sys.executable, "-m", "pytest", "-q", "-rsE", "-p", "no:cacheprovider"]
    command += ["-c", str(ROOT / "pyproject.toml"), "-p", "tests.conftest", str(module)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return done, shared


def test_missing_shared_data_skips_with_how_to_provide_it(tmp_path: Path) -> None:
    done, shared = _pytest(tmp_path, require=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 skipped" in done.stdout, done.stdout
    for needed in ("examples/article.txt", "data/gold"):
        assert f"needs {shared / needed}: {HOW_TO_PROVIDE}" in done.stdout, done.stdout


def test_required_shared_data_fails_when_missing(tmp_path: Path) -> None:
    done, shared = _pytest(tmp_path, require=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "skipped" not in done.stdout, done.stdout
    assert "1 failed, 1 error" in done.stdout, done.stdout  # in the test, and in its setup
    for needed in ("examples/article.txt", "data/gold"):
        assert f"needs {shared / needed}: {HOW_TO_PROVIDE}" in done.stdout, done.stdout
    assert "CLAIMTRACE_REQUIRE_SHARED is set" in done.stdout
