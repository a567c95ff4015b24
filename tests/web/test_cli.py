"""``claimtrace serve``: flags reach the app and uvicorn (uvicorn itself is not started)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from claimtrace.web.app import LOOPBACK_HOSTS, Services
from claimtrace.web.cli import register


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """A stand-in for the claimtrace app."""

    register(app)
    return app


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def fake_run(app: Any, **kwargs: Any) -> None:
        seen["services"] = app.state.services
        seen.update(kwargs)

    monkeypatch.setattr("uvicorn.run", fake_run)
    return seen


def test_serve_defaults_to_loopback(tmp_path: Path, started: dict[str, Any]) -> None:
    result = CliRunner().invoke(_app(), ["serve", "--db", str(tmp_path / "l.db")])
    assert result.exit_code == 0, result.output
    assert (started["host"], started["port"]) == ("127.0.0.1", 8000)
    services: Services = started["services"]
    assert services.settings.allowed_hosts == LOOPBACK_HOSTS
    assert not services.settings.read_only
    assert services.settings.token is None


def test_serve_flags(
    tmp_path: Path, started: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "l.db").touch()
    monkeypatch.setenv("CLAIMTRACE_WEB_TOKEN", "from-env")
    args = ["serve", "--db", str(tmp_path / "l.db"), "--read-only", "--port", "9001"]
    result = CliRunner().invoke(_app(), [*args, "--host", "0.0.0.0", "--max-body-bytes", "10"])
    assert result.exit_code == 0, result.output
    services: Services = started["services"]
    assert started["port"] == 9001
    assert services.settings.read_only
    assert services.settings.token == "from-env"
    assert services.settings.allowed_hosts is None
    assert services.settings.max_body_bytes == 10


def test_read_only_serve_does_not_create_a_ledger(tmp_path: Path, started: dict[str, Any]) -> None:
    result = CliRunner().invoke(_app(), ["serve", "--db", str(tmp_path / "none.db"), "--read-only"])
    assert result.exit_code != 0
    assert "no ledger there yet" in str(result.exception)
    assert not (tmp_path / "none.db").exists()
    assert "services" not in started
