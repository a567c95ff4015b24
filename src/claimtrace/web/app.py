"""The review web page and HTTP API: a FastAPI app built by :func:`create_app`.

The app reads one ledger (:class:`~claimtrace.ledger.store.Store`) and, unless read-only,
extracts and stores uploaded articles with one :class:`~claimtrace.extractor.Extractor`, loaded
on the first upload (the language pipeline takes a second to load; a reviewer who only reads
never pays for it). JSON lives under ``/api``, pages everywhere else; ``/docs`` is an API
reference rendered on the server from ``/openapi.json``, because FastAPI's own docs page loads
Swagger UI from a CDN, which an offline server cannot reach.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from claimtrace._version import __version__
from claimtrace.errors import InputError
from claimtrace.extractor import Extractor
from claimtrace.ledger.store import PutOutcome, Store
from claimtrace.records import Extraction
from claimtrace.web.security import Guard

__all__ = ["LOOPBACK_HOSTS", "Services", "WebSettings", "create_app", "services"]

HERE = Path(__file__).resolve().parent
#: Host names a loopback server answers to (anything else is refused: DNS rebinding).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How the server behaves; ``claimtrace serve`` fills it from its flags."""

    db: str | None = None
    """Ledger path or URL (``None``: ``$CLAIMTRACE_DB`` or ``claimtrace.db``)."""
    read_only: bool = False
    token: str | None = None
    """When set, adding documents and reviewing need it (``Authorization: Bearer …`` or the
    form field)."""
    token_name: str = "editor"
    """Whom the reviews made with the token are recorded as."""
    max_body_bytes: int = 5 * 1024 * 1024
    page_size: int = 50
    max_page_size: int = 200
    max_offset: int = 10_000
    """Deepest row a listing may start at: a deep page reads every row before it."""
    allowed_hosts: tuple[str, ...] | None = LOOPBACK_HOSTS
    """Host names to answer for; ``None`` answers any (use behind a proxy that checks them)."""
    model: str | None = None
    """The extractor's language pipeline (``None``: the embedded one; ``rules``: no model)."""


@dataclass
class Services:
    """What the routes share: settings, the ledger, templates and the (lazy) extractor."""

    settings: WebSettings
    store: Store
    templates: Environment
    make_extractor: Callable[[], Extractor]
    _extractor: Extractor | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def ingest(
        self,
        text: str,
        *,
        html: bool = False,
        title: str | None = None,
        url: str | None = None,
        publisher: str | None = None,
        published: str | None = None,
    ) -> tuple[Extraction, PutOutcome]:
        """Extract one text and store it; one at a time, as the pipeline is not shared safely.

        Raises :class:`~claimtrace.errors.InputError` for input the pipeline refuses.
        """
        with self._lock:
            if self._extractor is None:
                self._extractor = self.make_extractor()
            extraction = self._extractor.extract_text(
                text,
                html=html,
                title=title,
                url=url,
                publisher=publisher,
                published=published,
                name="upload",
            )
        return extraction, self.store.put(extraction)

    def render(
        self, request: Request, template_name: str, status: int = 200, **context: Any
    ) -> Response:
        """A page from ``templates/``, with what every page needs."""
        template = self.templates.get_template(template_name)
        page = template.render(
            request=request,
            settings=self.settings,
            version=__version__,
            url_for=request.url_for,
            **context,
        )
        return HTMLResponse(page, status_code=status)


def services(request: Request) -> Services:
    """The app's :class:`Services` (a FastAPI dependency)."""
    found: Services = request.app.state.services
    return found


def _templates() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "svg"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from claimtrace.web import views

    environment.filters.update(views.FILTERS)
    environment.globals.update(views.GLOBALS)
    return environment


def create_app(
    settings: WebSettings | None = None,
    *,
    store: Store | None = None,
    extractor: Extractor | Callable[[], Extractor] | None = None,
) -> FastAPI:
    """The web app over one ledger.

    ``store`` defaults to opening ``settings.db``; ``extractor`` (an instance, or a function
    making one) defaults to one loaded with ``settings.model`` on the first upload.
    """
    settings = settings if settings is not None else WebSettings()
    if store is None:
        store = Store(settings.db)
    if isinstance(extractor, Extractor):
        ready = extractor

        def make_extractor() -> Extractor:
            return ready

    elif extractor is not None:
        make_extractor = extractor
    else:

        def make_extractor() -> Extractor:
            from claimtrace.config import load_settings

            return Extractor(load_settings(model=settings.model))

    app = FastAPI(
        title="claimtrace",
        version=__version__,
        description="Attributed, structured, traceable claims from news text: the ledger's API.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.services = Services(settings, store, _templates(), make_extractor)
    app.add_middleware(
        Guard,
        max_body_bytes=settings.max_body_bytes,
        allowed_hosts=settings.allowed_hosts,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from claimtrace.web.api import router as api_router
    from claimtrace.web.pages import router as page_router
    from claimtrace.web.review_api import router as review_router

    app.include_router(api_router)
    app.include_router(review_router)
    app.include_router(page_router)
    _error_handlers(app)
    return app


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path.endswith(".json")


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return _error(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
            problems.append(f"{where}: {error.get('msg', 'invalid')}")
        return _error(request, 422, "; ".join(problems) or "invalid request")

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        return _error(request, 422, exc.message)


def _error(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if _wants_json(request):
        return JSONResponse(
            {"detail": message, "status": status}, status_code=status, headers=headers
        )
    found: Services = request.app.state.services
    response = found.render(
        request, "error.html", status=status, status_code=status, message=message
    )
    if headers:
        response.headers.update(headers)
    return response
