"""The ``claimtrace serve`` command: the review page and HTTP API over one ledger.

Registered on the main app by :func:`register`. FastAPI and uvicorn are imported only when the
command runs, so other commands do not pay for them.

Who may add documents is decided by :func:`serve_mode`: ``--read-only`` refuses every write; a
server listening beyond this machine (any address but loopback) with no token is read-only too,
since anyone who can reach it could otherwise fill the ledger; with a token, writes need it; on
loopback with no token, anyone on this machine may add documents (host names other than
loopback's are refused, so a web page cannot reach it through DNS rebinding).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Annotated

import typer

from claimtrace.cli_common import DbOption, stderr
from claimtrace.errors import ConfigError

__all__ = ["ServeMode", "is_loopback", "register", "serve", "serve_mode"]


#: Variable that may hold the token instead of ``--token`` (a flag shows in the process list).
TOKEN_ENV = "CLAIMTRACE_WEB_TOKEN"

#: Why a server that listens beyond this machine with no token refuses writes (the 403's detail).
NO_TOKEN_REASON = (
    "this server is read-only: it listens beyond this machine and was started without a token "
    f"(give --token or {TOKEN_ENV} to allow adding documents)"
)


@dataclass(frozen=True, slots=True)
class ServeMode:
    """What ``claimtrace serve`` allows, decided from its flags."""

    loopback: bool
    """Whether the address is this machine's only (then only loopback host names are answered)."""
    read_only: bool
    """Whether every write is refused."""
    refusal: str | None
    """When the server is read-only without ``--read-only``, the reason given for refusing."""
    label: str
    """The mode, as the start-up line says it."""


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` is reachable from this machine only.

    >>> [is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2")]
    [True, True, True, True, True]
    >>> [is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.5", "example.org", "")]
    [False, False, False, False, False]
    """
    name = host.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def serve_mode(host: str, *, read_only: bool, token: str | None) -> ServeMode:
    """Who may add documents to a server on ``host`` (see the module docstring).

    >>> serve_mode("0.0.0.0", read_only=False, token=None).read_only
    True
    >>> serve_mode("0.0.0.0", read_only=False, token="s3cret").label
    'token required to add'
    >>> serve_mode("127.0.0.1", read_only=False, token=None).label
    'open to add'
    """
    loopback = is_loopback(host)
    if read_only:
        return ServeMode(loopback, True, None, "read-only")
    if token:
        return ServeMode(loopback, False, None, "token required to add")
    if loopback:
        return ServeMode(loopback, False, None, "open to add")
    label = (
        "read-only: listening beyond this machine without --token; "
        f"give --token or {TOKEN_ENV} to allow adding documents"
    )
    return ServeMode(loopback, True, NO_TOKEN_REASON, label)


def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; loopback unless you mean to share it.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    read_only: Annotated[
        bool,
        typer.Option("--read-only", help="Refuse every write (no upload, no review, no POST)."),
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(
            envvar=TOKEN_ENV,
            show_envvar=True,
            help="Adding documents and reviewing need this token (HTTP: Authorization: "
            "Bearer TOKEN); without one, a server beyond loopback is read-only.",
        ),
    ] = None,
    token_name: Annotated[
        str,
        typer.Option(help="Who the reviews made with the token are recorded as (a person's name)."),
    ] = "editor",
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
        from claimtrace.web.security import RefuseWrites
    except ImportError as err:
        raise ConfigError(
            f"serve needs the web extras ({err.name} is missing): pip install 'claimtrace[web]'"
        ) from None
    token = token or None
    mode = serve_mode(host, read_only=read_only, token=token)
    shown_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    allowed_hosts = None  # beyond loopback: any host name (a proxy in front may check them)
    if mode.loopback:  # loopback's names, and the address given (127.0.0.2 …)
        allowed_hosts = tuple(dict.fromkeys((*LOOPBACK_HOSTS, shown_host.lower())))
    settings = WebSettings(
        db=db,
        read_only=mode.read_only,
        token=token,
        token_name=token_name.strip()[:100] or "editor",
        max_body_bytes=max_body_bytes,
        allowed_hosts=allowed_hosts,
        model=model,
    )
    store = Store(db, create=not mode.read_only)
    app = create_app(settings, store=store)
    if mode.refusal is not None:
        app.add_middleware(RefuseWrites, reason=mode.refusal)
    stderr.print(
        f"claimtrace: serving {store.shown} at http://{shown_host}:{port}/ ({mode.label})",
        markup=False,
    )
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``claimtrace`` app."""
    app.command("serve")(serve)
