"""The review pages, rendered on the server from ``templates/``.

Every value from a document reaches the page through Jinja's autoescaping; no template marks
anything ``safe``. The pages work without JavaScript; ``static/review.js`` only adds selecting
a claim in the article and submitting filters as they change.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from claimtrace.errors import InputError
from claimtrace.ledger.query import CERTAINTIES, conflict_views
from claimtrace.ledger.store import ClaimFilter
from claimtrace.web import geo, queries
from claimtrace.web.api import (
    CLAIM_ID,
    DOCUMENT_ID,
    Paging,
    check_can_write,
    claim_filter,
    find_document,
    paging,
)
from claimtrace.web.app import Services, services
from claimtrace.web.highlight import marks_of, segments
from claimtrace.web.security import CSRF_COOKIE, CSRF_FIELD, new_csrf_token, same_secret
from claimtrace.web.views import claim_facts

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Svc = Annotated[Services, Depends(services)]
Page = Annotated[Paging, Depends(paging)]
Filter = Annotated[ClaimFilter, Depends(claim_filter)]


@router.get("/")
def overview(request: Request, svc: Svc) -> Response:
    store = svc.store
    return svc.render(
        request,
        "overview.html",
        counts=store.counts(),
        documents=queries.document_page(store, limit=10).items,
        sources=store.sources(limit=10),
        clusters=queries.cluster_page(store, limit=10).items,
    )


@router.get("/documents")
def documents(
    request: Request,
    svc: Svc,
    page: Page,
    q: Annotated[str | None, Query(max_length=200)] = None,
    publisher: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    found = queries.document_page(
        svc.store, search=q, publisher=publisher, offset=page.offset, limit=page.limit
    )
    params = {"q": q, "publisher": publisher, "limit": request.query_params.get("limit")}
    return svc.render(request, "documents.html", page=found, params=params)


@router.get("/documents/{document_id}")
def article(
    request: Request,
    svc: Svc,
    document_id: Annotated[str, Path(pattern=DOCUMENT_ID)],
    claim: Annotated[str | None, Query(pattern=CLAIM_ID)] = None,
) -> Response:
    full = find_document(svc, document_id)
    extraction = svc.store.extraction(full)
    if extraction is None:
        raise HTTPException(404, f"no document {document_id} in the ledger")
    clusters = svc.store.clusters_of([c.id for c in extraction.claims])
    return svc.render(
        request,
        "article.html",
        extraction=extraction,
        document=extraction.document,
        runs=segments(extraction.document.text, marks_of(extraction)),
        facts=claim_facts(extraction),
        clusters={k: v for k, v in clusters.items() if v[1] >= 2},
        selected=claim,
        missing=[s.name for s in extraction.pipeline.stages if s.status != "ran"],
    )


@router.get("/claims")
def claims(request: Request, svc: Svc, page: Page, where: Filter) -> Response:
    found = queries.claim_page(svc.store, where, offset=page.offset, limit=page.limit)
    params = {
        key: request.query_params.get(key)
        for key in ("source", "about", "place", "since", "until", "certainty", "q", "limit")
    }
    return svc.render(
        request,
        "claims.html",
        page=found,
        params=params,
        certainties=CERTAINTIES,
        clusters=svc.store.clusters_of([row.claim.id for row in found.items]),
    )


@router.get("/claims/{claim_id}")
def claim(svc: Svc, claim_id: Annotated[str, Path(pattern=CLAIM_ID)]) -> Response:
    row = svc.store.find_claim(claim_id)
    if row is None:
        raise HTTPException(404, f"no claim {claim_id} in the ledger")
    return RedirectResponse(
        f"/documents/{row.document_id}?claim={claim_id}#claim-{claim_id}", status_code=303
    )


@router.get("/clusters")
def clusters(
    request: Request, svc: Svc, page: Page, conflicted: Annotated[bool, Query()] = False
) -> Response:
    found = queries.cluster_page(
        svc.store, conflicted=conflicted, offset=page.offset, limit=page.limit
    )
    params = {"conflicted": conflicted, "limit": request.query_params.get("limit")}
    return svc.render(request, "clusters.html", page=found, params=params)


@router.get("/clusters/{cluster_id}")
def cluster(
    request: Request, svc: Svc, cluster_id: Annotated[str, Path(pattern=CLAIM_ID)]
) -> Response:
    found = queries.cluster_detail(svc.store, cluster_id)
    if found is None:
        raise HTTPException(404, f"no cluster {cluster_id} in the ledger")
    by_id = {member.claim.id: member for member in found.members}
    pairs = [
        (conflict, by_id.get(conflict["a"]), by_id.get(conflict["b"]))
        for conflict in found.conflicts
    ]
    return svc.render(request, "cluster.html", cluster=found, conflicts=pairs)


@router.get("/conflicts")
def conflicts(request: Request, svc: Svc, page: Page) -> Response:
    views = conflict_views(svc.store, limit=page.limit + 1, offset=page.offset)
    found = queries.Page(views[: page.limit], page.offset, page.limit, len(views) > page.limit)
    params = {"limit": request.query_params.get("limit")}
    return svc.render(request, "conflicts.html", page=found, params=params)


@router.get("/sources")
def sources(request: Request, svc: Svc, page: Page) -> Response:
    rows = svc.store.sources(limit=page.offset + page.limit + 1)[page.offset :]
    found = queries.Page(rows[: page.limit], page.offset, page.limit, len(rows) > page.limit)
    params = {"limit": request.query_params.get("limit")}
    return svc.render(request, "sources.html", page=found, params=params)


@router.get("/entities")
def entities(
    request: Request, svc: Svc, page: Page, q: Annotated[str | None, Query(max_length=200)] = None
) -> Response:
    """Who and what the articles name, by the number of documents naming them; each links to
    the claims about it."""
    found = queries.entity_page(svc.store, search=q, offset=page.offset, limit=page.limit)
    params = {"q": q, "limit": request.query_params.get("limit")}
    return svc.render(request, "entities.html", page=found, params=params)


#: A source's record page lists at most this many of its claims (newest last).
SOURCE_CLAIMS = 500


@router.get("/source")
def source(
    request: Request,
    svc: Svc,
    name: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    actor: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
) -> Response:
    """One source's record: an actor's claims (``actor``), or those of a source as written."""
    record = svc.store.actor(actor) if actor else None
    if actor and record is None:
        raise HTTPException(status_code=404, detail=f"no actor {actor!r} in the ledger")
    if record is None and not name:
        raise HTTPException(status_code=422, detail="give a source name or an actor id")
    where = (
        ClaimFilter(actor=actor, limit=SOURCE_CLAIMS + 1)
        if record is not None
        else ClaimFilter(source=name, limit=SOURCE_CLAIMS + 1)
    )
    rows = svc.store.claims(where)
    shown = rows[:SOURCE_CLAIMS]
    by_month: dict[str, list[Any]] = {}
    for row in shown:
        by_month.setdefault((row.published or "undated")[:7], []).append(row)
    return svc.render(
        request,
        "source.html",
        name=record.name if record is not None else name,
        record=record,
        months=by_month,
        total=len(shown),
        truncated=len(rows) > SOURCE_CLAIMS,
        certainty_counts=Counter(row.claim.certainty for row in shown).most_common(),
        buckets=queries.drawn_window(
            queries.timeline(svc.store, actor=actor)
            if record is not None
            else queries.timeline(svc.store, source=name)
        )[0],
    )


@router.get("/timeline")
def timeline(request: Request, svc: Svc) -> Response:
    buckets, left_out = queries.drawn_window(queries.timeline(svc.store))
    peak = max((max(b.published, b.about) for b in buckets), default=0)
    return svc.render(request, "timeline.html", buckets=buckets, peak=peak, left_out=left_out)


#: Places drawn on the map at most (the best-attested first).
MAP_PLACES = 500
#: How many of them (the busiest) carry a name label.
MAP_LABELS = 30


@router.get("/map")
def map_page(
    request: Request, svc: Svc, q: Annotated[str | None, Query(max_length=200)] = None
) -> Response:
    located = queries.place_page(svc.store, located=True, limit=MAP_PLACES).items
    listed = queries.place_page(svc.store, search=q, limit=200)
    # largest first, so the labelled ones are the busiest places
    located = sorted(located, key=lambda p: (-p.documents, p.name))
    peak = max((p.documents for p in located), default=1)
    points = [
        (place, *geo.project(place.lat, place.lon), 1.2 + 3.0 * (place.documents / peak) ** 0.5)
        for place in located
        if place.lat is not None and place.lon is not None
    ]
    return svc.render(
        request,
        "map.html",
        countries=geo.country_points(),
        outlines=geo.world_outlines(),
        labelled=MAP_LABELS,
        points=points,
        places=listed,
        q=q,
        width=geo.WIDTH,
        height=geo.HEIGHT,
    )


@router.get("/upload")
def upload_form(request: Request, svc: Svc) -> Response:
    return _upload_page(request, svc)


def _upload_page(
    request: Request, svc: Svc, *, status: int = 200, error: str | None = None, **form: Any
) -> Response:
    token = request.cookies.get(CSRF_COOKIE) or new_csrf_token()
    response = svc.render(request, "upload.html", status=status, csrf=token, error=error, form=form)
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="strict", path="/upload", max_age=12 * 3600
    )
    return response


@router.post("/upload")
async def upload(request: Request, svc: Svc) -> Response:
    async with request.form(max_files=1, max_fields=20) as form:
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
        upload_file = form.get("file")
        raw: bytes | None = None
        file_name = ""
        if isinstance(upload_file, UploadFile) and upload_file.filename:
            raw = await upload_file.read()
            file_name = upload_file.filename.lower()
    if not same_secret(fields.get(CSRF_FIELD), request.cookies.get(CSRF_COOKIE)):
        return _upload_page(
            request,
            svc,
            status=403,
            error="the form expired or came from another page; please send it again",
        )
    kept = {k: fields.get(k, "") for k in ("text", "title", "url", "publisher", "published")}
    try:
        check_can_write(svc, fields.get("token"))
    except HTTPException as err:
        return _upload_page(request, svc, status=err.status_code, error=str(err.detail), **kept)
    text = fields.get("text", "")
    is_html = fields.get("html") == "on"
    if raw is not None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _upload_page(
                request, svc, status=422, error="the file is not UTF-8 text", **kept
            )
        is_html = is_html or file_name.endswith((".html", ".htm"))
    published = fields.get("published") or None
    if not text.strip():
        return _upload_page(
            request, svc, status=422, error="paste the article or choose a file", **kept
        )
    if published is not None and not _is_date(published):
        return _upload_page(
            request, svc, status=422, error="publication date: use YYYY-MM-DD", **kept
        )
    from fastapi.concurrency import run_in_threadpool

    try:
        extraction, _ = await run_in_threadpool(
            svc.ingest,
            text,
            html=is_html,
            title=fields.get("title") or None,
            url=fields.get("url") or None,
            publisher=fields.get("publisher") or None,
            published=published,
        )
    except InputError as err:
        return _upload_page(request, svc, status=422, error=err.message, **kept)
    return RedirectResponse(f"/documents/{extraction.document.id}", status_code=303)


def _is_date(value: str) -> bool:
    """Whether ``value`` is a real ``YYYY-MM-DD`` date.

    >>> _is_date("2023-03-10"), _is_date("2023-02-30"), _is_date("yesterday")
    (True, False, False)
    """
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


@router.get("/docs")
def api_docs(request: Request, svc: Svc) -> Response:
    schema = request.app.openapi()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "parameters": operation.get("parameters", []),
            "body": sorted(operation.get("requestBody", {}).get("content", {})),
            "responses": sorted(operation.get("responses", {}).items()),
        }
        for path, methods in schema.get("paths", {}).items()
        for method, operation in methods.items()
    ]
    return svc.render(request, "docs.html", operations=operations, info=schema.get("info", {}))
