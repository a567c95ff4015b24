"""``claimtrace serve``: flags reach the app and uvicorn (uvicorn is started only by the last
test, in a child process, to show what a real server beyond loopback refuses)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer
from typer.testing import CliRunner

from claimtrace.ledger.store import Store
from claimtrace.web.app import LOOPBACK_HOSTS, Services
from claimtrace.web.cli import TOKEN_ENV, register, serve_mode


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
        seen["app"] = app
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


@pytest.mark.parametrize(
    ("host", "read_only", "token", "writable", "label"),
    [
        ("127.0.0.1", False, None, True, "open to add"),
        ("localhost", False, None, True, "open to add"),
        ("::1", False, None, True, "open to add"),
        ("127.0.0.1", True, None, False, "read-only"),
        ("0.0.0.0", False, "s3cret", True, "token required to add"),
        ("0.0.0.0", True, "s3cret", False, "read-only"),
        ("0.0.0.0", False, None, False, "read-only: listening beyond this machine without"),
        ("::", False, None, False, "read-only: listening beyond this machine without"),
        ("192.168.1.5", False, None, False, "read-only: listening beyond this machine without"),
        ("example.org", False, None, False, "read-only: listening beyond this machine without"),
    ],
)
def test_serve_mode(
    host: str, read_only: bool, token: str | None, writable: bool, label: str
) -> None:
    mode = serve_mode(host, read_only=read_only, token=token)
    assert mode.read_only is not writable
    assert mode.label.startswith(label)
    # only the read-only mode nobody asked for refuses in the guard, with its reason
    assert (mode.refusal is not None) == (label != "read-only" and not writable)


def _post(app: Any, host: str, text: str = "Police said the road was shut.") -> httpx.Response:
    import anyio

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{host}") as http:
            return await http.post(
                "/api/documents",
                content=text,
                headers={"content-type": "text/plain"},
            )

    return anyio.run(post)


def test_serve_beyond_loopback_without_token_is_read_only(
    tmp_path: Path, started: dict[str, Any]
) -> None:
    db = tmp_path / "l.db"
    Store(str(db)).close()
    result = CliRunner().invoke(_app(), ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    services: Services = started["services"]
    assert services.settings.read_only
    assert services.settings.allowed_hosts is None
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("claimtrace: serving ")
    assert (
        "http://0.0.0.0:8000/ (read-only: listening beyond this machine without --token;"
        in (lines[0])
    )
    assert f"give --token or {TOKEN_ENV} to allow adding documents)" in lines[0]
    for host in ("192.0.2.7:8000", "attacker.example", "127.0.0.1:8000"):
        refused = _post(started["app"], host)
        assert refused.status_code == 403
        assert "listens beyond this machine" in refused.json()["detail"]
    assert services.store.count_documents() == 0


def test_serve_on_another_loopback_address_answers_for_it(
    tmp_path: Path, started: dict[str, Any]
) -> None:
    result = CliRunner().invoke(
        _app(), ["serve", "--db", str(tmp_path / "l.db"), "--host", "127.0.0.2"]
    )
    assert result.exit_code == 0, result.output
    services: Services = started["services"]
    assert services.settings.allowed_hosts == (*LOOPBACK_HOSTS, "127.0.0.2")
    assert not services.settings.read_only


def test_serve_on_loopback_without_token_still_adds(
    tmp_path: Path, started: dict[str, Any]
) -> None:
    db = str(tmp_path / "l.db")
    result = CliRunner().invoke(_app(), ["serve", "--db", db])
    assert result.exit_code == 0, result.output
    assert "(open to add)" in result.stderr
    # past the write check: an empty article is refused for being empty (no pipeline to load)
    accepted = _post(started["app"], "127.0.0.1:8000", text=" ")
    assert (accepted.status_code, accepted.json()["detail"]) == (422, "the body is empty")
    assert _post(started["app"], "attacker.example").status_code == 400


def test_real_server_beyond_loopback_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    Store(str(db)).close()
    with socket.socket() as probe:
        probe.bind(("0.0.0.0", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    command = [sys.executable, "-m", "claimtrace", "serve", "--db", str(db), "--host", "0.0.0.0"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--model", "rules"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                assert httpx.get(f"{base}/api/documents", timeout=2).status_code == 200
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the server did not start")
                time.sleep(0.2)
        posted = httpx.post(
            f"{base}/api/documents",
            content="Police said the road was shut.",
            headers={"content-type": "text/plain"},
        )
        assert posted.status_code == 403
        assert "read-only" in posted.json()["detail"]
        form = httpx.post(f"{base}/upload", data={"text": "Police said the road was shut."})
        assert form.status_code == 403
        assert httpx.get(f"{base}/api/documents").json()["items"] == []
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert "read-only: listening beyond this machine without --token" in err.splitlines()[0]
