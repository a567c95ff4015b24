"""The JSON API under ``/api``: documents, claims, clusters, conflicts, sources, entities, places.

Listings take ``offset`` and ``limit`` (at most the server's page size limit) and answer
``{"items": [...], "offset": …, "limit": …, "next": offset-or-null}``. Claims take the same
filters as ``claimtrace claims``. ``POST /api/documents`` extracts and stores one article; the
review routes (:mod:`claimtrace.web.review_api`) accept, reject and correct claims.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from claimtrace.errors import ConfigError
from claimtrace.ledger.query import CERTAINTIES, conflict_views, date_bound
from claimtrace.ledger.store import ClaimFilter
from claimtrace.web import queries
from claimtrace.web.app import Services, services
from claimtrace.web.security import same_secret
from claimtrace.web.views import claim_json

__all__ = [
    "CLAIM_ID",
    "DOCUMENT_ID",
    "NewDocument",
    "Paging",
    "Svc",
    "bearer",
    "check_can_write",
    "claim_filter",
    "find_document",
    "paging",
    "router",
]

router = APIRouter(prefix="/api", tags=["api"])

#: A document id or an unambiguous prefix of one (hex): nothing else reaches a query.
DOCUMENT_ID = r"^[0-9a-f]{4,64}$"
#: Claim and cluster ids (``c-<doc>-<hash>``); a tight pattern keeps odd paths out.
CLAIM_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$"

Svc = Annotated[Services, Depends(services)]


class Paging(BaseModel):
    """Where a listing starts and how many rows it returns."""

    offset: int
    limit: int


def paging(
    svc: Svc,
    offset: Annotated[int, Query(ge=0, description="rows to skip")] = 0,
    limit: Annotated[int | None, Query(ge=1, description="rows per page")] = None,
) -> Paging:
    """The page asked for, within the server's limits (422 beyond them)."""
    settings = svc.settings
    size = settings.page_size if limit is None else limit
    if size > settings.max_page_size:
        raise HTTPException(422, f"limit: at most {settings.max_page_size} rows per page")
    if offset > settings.max_offset:
        raise HTTPException(
            422, f"offset: at most {settings.max_offset}; narrow the filters to go further"
        )
    return Paging(offset=offset, limit=size)


Page = Annotated[Paging, Depends(paging)]


def claim_filter(
    source: Annotated[str | None, Query(max_length=200, description="source name")] = None,
    about: Annotated[
        str | None, Query(max_length=200, description="an entity named or words of the content")
    ] = None,
    place: Annotated[
        str | None, Query(max_length=200, description="place name or country code")
    ] = None,
    since: Annotated[str | None, Query(max_length=10, description="YYYY[-MM[-DD]]")] = None,
    until: Annotated[str | None, Query(max_length=10, description="YYYY[-MM[-DD]]")] = None,
    certainty: Annotated[str | None, Query(description=", ".join(CERTAINTIES))] = None,
    q: Annotated[str | None, Query(max_length=200, description="full-text search")] = None,
    document: Annotated[
        str | None, Query(pattern=r"^[0-9a-f]{64}$", description="one document's claims")
    ] = None,
) -> ClaimFilter:
    """The claim filters of ``claimtrace claims``, checked (422 with the reason when bad)."""
    try:
        if certainty and certainty not in CERTAINTIES:
            raise ConfigError(f"certainty {certainty!r}: one of {', '.join(CERTAINTIES)}")
        return ClaimFilter(
            source=source or None,
            about=about or None,
            place=place or None,
            since=date_bound(since or None, end=False, name="since"),
            until=date_bound(until or None, end=True, name="until"),
            certainty=certainty or None,
            search=q or None,
            document_id=document,
        )
    except ConfigError as err:
        raise HTTPException(422, err.message) from None


Filter = Annotated[ClaimFilter, Depends(claim_filter)]


def _listing(items: list[Any], page: queries.Page[Any]) -> dict[str, Any]:
    return {
        "items": items,
        "offset": page.offset,
        "limit": page.limit,
        "next": page.offset + page.limit if page.more else None,
    }


def find_document(svc: Services, document_id: str) -> str:
    """The full id of a stored document from an id or prefix; 404 or 409 otherwise."""
    found = svc.store.find_document_ids(document_id)
    if not found:
        raise HTTPException(404, f"no document {document_id} in the ledger")
    if len(found) > 1 and document_id not in found:
        raise HTTPException(409, f"{document_id} starts {len(found)} document ids; give more")
    return document_id if document_id in found else found[0]


@router.get("/documents", summary="List documents, newest first")
def list_documents(
    svc: Svc,
    page: Page,
    q: Annotated[str | None, Query(max_length=200, description="title, input or id")] = None,
    publisher: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    until: Annotated[str | None, Query(max_length=10)] = None,
) -> dict[str, Any]:
    try:
        low = date_bound(since or None, end=False, name="since")
        high = date_bound(until or None, end=True, name="until")
    except ConfigError as err:
        raise HTTPException(422, err.message) from None
    found = queries.document_page(
        svc.store,
        search=q,
        publisher=publisher,
        since=low,
        until=high,
        offset=page.offset,
        limit=page.limit,
    )
    return _listing([vars_of(item) for item in found.items], found)


@router.get("/documents/{document_id}", summary="One document with all its records")
def get_document(
    svc: Svc, document_id: Annotated[str, Path(pattern=DOCUMENT_ID)]
) -> dict[str, Any]:
    """The stored extraction (the output contract's object) plus ``ledger.clusters``: for each
    claim in a cluster of two or more, the cluster's id, size and number of origins."""
    full = find_document(svc, document_id)
    extraction = svc.store.extraction(full)
    if extraction is None:
        raise HTTPException(404, f"no document {document_id} in the ledger")
    data: dict[str, Any] = extraction.model_dump(mode="json")
    clusters = svc.store.clusters_of([claim.id for claim in extraction.claims])
    data["ledger"] = {
        "clusters": {
            claim: {"id": cluster, "size": size, "origins": origins}
            for claim, (cluster, size, origins) in sorted(clusters.items())
            if size >= 2
        }
    }
    return data


@router.get("/claims", summary="List and search claims (the CLI's filters)")
def list_claims(svc: Svc, page: Page, where: Filter) -> dict[str, Any]:
    found = queries.claim_page(svc.store, where, offset=page.offset, limit=page.limit)
    clusters = svc.store.clusters_of([row.claim.id for row in found.items])
    return _listing([claim_json(row, clusters.get(row.claim.id)) for row in found.items], found)


@router.get("/claims/{claim_id}", summary="One claim with its cluster and conflicts")
def get_claim(svc: Svc, claim_id: Annotated[str, Path(pattern=CLAIM_ID)]) -> dict[str, Any]:
    row = svc.store.find_claim(claim_id)
    if row is None:
        raise HTTPException(404, f"no claim {claim_id} in the ledger")
    cluster = svc.store.clusters_of([claim_id]).get(claim_id)
    data = claim_json(row, cluster)
    data["conflicts"] = [vars_of(c) for c in svc.store.conflicts(claim_id=claim_id)]
    data["reviews"] = [r.as_json() for r in svc.store.reviews(claim_id=claim_id)]
    return data


@router.get("/clusters", summary="Clusters of claims stating the same thing, largest first")
def list_clusters(
    svc: Svc,
    page: Page,
    conflicted: Annotated[bool, Query(description="only clusters with conflicts")] = False,
) -> dict[str, Any]:
    found = queries.cluster_page(
        svc.store, conflicted=conflicted, offset=page.offset, limit=page.limit
    )
    return _listing([vars_of(item) for item in found.items], found)


@router.get("/clusters/{cluster_id}", summary="A cluster: its claims, origins and conflicts")
def get_cluster(svc: Svc, cluster_id: Annotated[str, Path(pattern=CLAIM_ID)]) -> dict[str, Any]:
    found = queries.cluster_detail(svc.store, cluster_id)
    if found is None:
        raise HTTPException(404, f"no cluster {cluster_id} in the ledger")
    return {
        "id": found.id,
        "size": found.size,
        "documents": found.documents,
        "origins": found.origins,
        "conflicts": found.conflicts,
        "truncated": found.truncated,
        "claims": [
            {
                "claim": member.claim.model_dump(mode="json"),
                "document": {
                    "id": member.document_id,
                    "published": member.published,
                    "title": member.title,
                    "publisher": member.publisher,
                },
                "source_name": member.source_name,
                "origin": member.origin,
            }
            for member in found.members
        ],
    }


@router.get("/conflicts", summary="Claims that disagree, within clusters and across them")
def list_conflicts(svc: Svc, page: Page) -> dict[str, Any]:
    found = conflict_views(svc.store, limit=page.limit + 1, offset=page.offset)
    listing = queries.Page(found[: page.limit], page.offset, page.limit, len(found) > page.limit)
    return _listing([view.as_json() for view in listing.items], listing)


@router.get("/sources", summary="Sources by number of claims")
def list_sources(svc: Svc, page: Page) -> dict[str, Any]:
    rows = svc.store.sources(limit=page.offset + page.limit + 1)[page.offset :]
    found = queries.Page(rows[: page.limit], page.offset, page.limit, len(rows) > page.limit)
    return _listing([vars_of(row) for row in found.items], found)


#: The claims ``GET /api/sources/{actor_id}`` returns with an actor, oldest first.
ACTOR_CLAIMS = 500


@router.get("/sources/{actor_id}", summary="One actor: its record and its claims over time")
def get_actor(
    svc: Svc, actor_id: Annotated[str, Path(min_length=1, max_length=40)]
) -> dict[str, Any]:
    record = svc.store.actor(actor_id)
    if record is None:
        merged = svc.store.merged_into(actor_id)
        if merged is not None:
            raise HTTPException(404, f"actor {actor_id} was merged into {merged}")
        raise HTTPException(404, f"no actor {actor_id} in the ledger")
    rows = svc.store.claims(ClaimFilter(actor=actor_id, limit=ACTOR_CLAIMS + 1))
    return {
        **vars_of(record),
        "claims_listed": [row.as_json() for row in rows[:ACTOR_CLAIMS]],
        "truncated": len(rows) > ACTOR_CLAIMS,
    }


@router.get("/entities", summary="Entities by number of documents naming them")
def list_entities(
    svc: Svc, page: Page, q: Annotated[str | None, Query(max_length=200)] = None
) -> dict[str, Any]:
    found = queries.entity_page(svc.store, search=q, offset=page.offset, limit=page.limit)
    return _listing([vars_of(item) for item in found.items], found)


@router.get("/places", summary="Places by number of documents naming them")
def list_places(
    svc: Svc, page: Page, q: Annotated[str | None, Query(max_length=200)] = None
) -> dict[str, Any]:
    found = queries.place_page(svc.store, search=q, offset=page.offset, limit=page.limit)
    return _listing([vars_of(item) for item in found.items], found)


@router.get("/timeline", summary="Claims per month, by publication and by the dates they cite")
def get_timeline(
    svc: Svc, source: Annotated[str | None, Query(max_length=200)] = None
) -> dict[str, Any]:
    return {"months": [vars_of(bucket) for bucket in queries.timeline(svc.store, source=source)]}


class NewDocument(BaseModel):
    """An article to add, as JSON."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="the article: plain text, or HTML with html=true")
    html: bool = False
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    publisher: str | None = Field(default=None, max_length=200)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")


def check_can_write(svc: Services, given_token: str | None) -> None:
    """Refuse a write on a read-only server (403) or without the right token (401/403)."""
    if svc.settings.read_only:
        raise HTTPException(403, "this server is read-only (started with --read-only)")
    expected = svc.settings.token
    if expected is None:
        return
    if not given_token:
        raise HTTPException(
            401, "writing to this ledger needs the server's token", {"WWW-Authenticate": "Bearer"}
        )
    if not same_secret(given_token, expected):
        raise HTTPException(403, "wrong token")


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": "text/plain or text/html (metadata in the query), or JSON (NewDocument)",
        "content": {
            "application/json": {"schema": NewDocument.model_json_schema()},
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/documents",
    summary="Extract one article and store it",
    status_code=201,
    openapi_extra=_BODY_DOC,
    responses={
        200: {"description": "already stored by this pipeline: skipped"},
        401: {"description": "a token is set and none was given"},
        403: {"description": "read-only server, wrong token, or a cross-site request"},
        413: {"description": "body over the size limit"},
        415: {"description": "not JSON, text/plain or text/html"},
    },
)
async def add_document(
    request: Request,
    svc: Svc,
    title: Annotated[str | None, Query(max_length=1000)] = None,
    url: Annotated[str | None, Query(max_length=2000)] = None,
    publisher: Annotated[str | None, Query(max_length=200)] = None,
    published: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
) -> JSONResponse:
    check_can_write(svc, bearer(request))
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if kind == "application/json":
        try:
            new = NewDocument.model_validate(json.loads(body))
        except json.JSONDecodeError as err:
            raise HTTPException(
                422, f"body is not JSON: {err.msg} at character {err.pos}"
            ) from None
        except ValidationError as err:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in err.errors()
            )
            raise HTTPException(422, problems) from None
    elif kind in ("text/plain", "text/html"):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(422, "the body is not UTF-8 text") from None
        if not text.strip():
            raise HTTPException(422, "the body is empty")
        new = NewDocument(
            text=text,
            html=kind == "text/html",
            title=title,
            url=url,
            publisher=publisher,
            published=published,
        )
    else:
        raise HTTPException(415, "send the article as application/json, text/plain or text/html")
    extraction, outcome = await run_in_threadpool(
        svc.ingest,
        new.text,
        html=new.html,
        title=new.title,
        url=new.url,
        publisher=new.publisher,
        published=new.published,
    )
    document_id = extraction.document.id
    return JSONResponse(
        {
            "id": document_id,
            "outcome": outcome,
            "claims": len(extraction.claims),
            "api": f"/api/documents/{document_id}",
            "page": f"/documents/{document_id}",
        },
        status_code=200 if outcome == "skipped" else 201,
        headers={"Location": f"/api/documents/{document_id}"},
    )


def vars_of(item: Any) -> dict[str, Any]:
    """A slotted dataclass as a plain dict (``vars`` does not work with slots)."""
    from dataclasses import asdict

    data: dict[str, Any] = asdict(item)
    return data
