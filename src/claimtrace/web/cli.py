"""The ``claimtrace serve`` command: the review page and HTTP API over one ledger.

Registered on the main app by :func:`register`. FastAPI and uvicorn are imported only when the
command runs, so other commands do not pay for them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrace.cli_common import DbOption, stderr
from claimtrace.errors import ConfigError

__all__ = ["register", "serve"]


#: Variable that may hold the token instead of ``--token`` (a flag shows in the process list).
TOKEN_ENV = "CLAIMTRACE_WEB_TOKEN"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; loopback unless you mean to share it.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Refuse to add documents (no upload, no POST).")
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(
            envvar=TOKEN_ENV,
            show_envvar=True,
            help="Adding documents needs this token (HTTP: Authorization: Bearer TOKEN).",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(help="spaCy pipeline for uploads, or 'rules'; default: the embedded one."),
    ] = None,
    max_body_bytes: Annotated[
        int, typer.Option(min=1, help="Refuse request bodies larger than this many bytes.")
    ] = 5 * 1024 * 1024,
) -> None:
    """Serve the review web page and the HTTP API (JSON under /api, reference at /docs)."""
    try:
        import uvicorn

        from claimtrace.ledger.store import Store
        from claimtrace.web.app import LOOPBACK_HOSTS, WebSettings, create_app
    except ImportError as err:
        raise ConfigError(
            f"serve needs the web extras ({err.name} is missing): pip install 'claimtrace[web]'"
        ) from None
    loopback = host in _LOOPBACK
    settings = WebSettings(
        db=db,
        read_only=read_only,
        token=token or None,
        max_body_bytes=max_body_bytes,
        allowed_hosts=LOOPBACK_HOSTS if loopback else None,
        model=model,
    )
    store = Store(db, create=not read_only)
    app = create_app(settings, store=store)
    shown_host = f"[{host}]" if ":" in host else host
    mode = "read-only" if read_only else ("token required to add" if token else "open to add")
    stderr.print(
        f"claimtrace: serving {store.shown} at http://{shown_host}:{port}/ ({mode})", markup=False
    )
    if not loopback and not token and not read_only:
        stderr.print(
            "claimtrace: warning: listening beyond this machine with no --token: anyone who "
            "can reach it can add documents",
            markup=False,
        )
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``claimtrace`` app."""
    app.command("serve")(serve)
