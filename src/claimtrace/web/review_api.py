"""The review API under ``/api``: accept, reject or correct a claim; merge or split actors.

Every write needs what adding a document needs (:func:`~claimtrace.web.api.check_can_write`): a
read-only server refuses it, and a server with a token wants ``Authorization: Bearer TOKEN``. The
review records the token's name (``claimtrace serve --token-name``) as its reviewer, the time,
and the reason given; it never changes the extraction (see :mod:`claimtrace.ledger.reviews`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from claimtrace.errors import ReviewError
from claimtrace.ledger.reviews import MAX_REASON
from claimtrace.web.api import CLAIM_ID, Svc, bearer, check_can_write
from claimtrace.web.app import Services
from claimtrace.web.views import claim_json

__all__ = ["ActorMerge", "ActorSplit", "ReviewIn", "review_value", "reviewer_of", "router"]

router = APIRouter(prefix="/api", tags=["reviews"])

ACTOR_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"


class ReviewIn(BaseModel):
    """One review of a claim. A verdict (``accept``, ``reject``) names no field; a correction
    names the field and its new value: ``spans`` (``[[start, end], …]`` in characters of the
    document's text) for ``source``, ``cue`` or ``content`` (no span: the outlet's own assertion,
    or no cue), ``actor_id`` for ``source`` (the ledger actor who said it), ``certainty``, or
    ``negated``."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["accept", "reject", "correct"]
    field: Literal["source", "cue", "content", "certainty", "negated"] | None = None
    spans: list[tuple[int, int]] | None = Field(default=None, max_length=20)
    actor_id: str | None = Field(default=None, pattern=ACTOR_ID)
    certainty: str | None = Field(default=None, max_length=20)
    negated: bool | None = None
    reason: str | None = Field(default=None, max_length=MAX_REASON)


class ActorMerge(BaseModel):
    """Fold this actor into another (one person filed under two records)."""

    model_config = ConfigDict(extra="forbid")

    into: str = Field(pattern=ACTOR_ID)
    reason: str | None = Field(default=None, max_length=MAX_REASON)


class ActorSplit(BaseModel):
    """Undo this actor's merge."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=MAX_REASON)


def review_value(review: ReviewIn) -> dict[str, Any] | None:
    """The value a correction sets, in the form the ledger checks (``None`` for a verdict)."""
    if review.field is None:
        return None
    if review.field == "certainty":
        return {"certainty": review.certainty}
    if review.field == "negated":
        return {"negated": review.negated}
    if review.field == "source" and review.actor_id:
        return {"actor_id": review.actor_id}
    return {"spans": [list(pair) for pair in review.spans or []]}


def reviewer_of(svc: Services) -> str:
    """Who a write through this server is recorded as: the token's name, or ``local`` on a
    loopback server that needs no token."""
    return svc.settings.token_name if svc.settings.token else "local"


def _refused(err: ReviewError) -> HTTPException:
    status = 404 if err.message.startswith(("no claim ", "no actor ")) else 422
    return HTTPException(status, err.message)


@router.post(
    "/claims/{claim_id}/reviews",
    summary="Accept, reject or correct a claim",
    status_code=201,
    responses={
        401: {"description": "a token is set and none was given"},
        403: {"description": "read-only server, wrong token, or a cross-site request"},
        404: {"description": "no such claim (or actor)"},
        422: {"description": "a value the field cannot take, a span outside the text"},
    },
)
async def add_review(
    request: Request,
    svc: Svc,
    review: ReviewIn,
    claim_id: Annotated[str, Path(pattern=CLAIM_ID)],
) -> dict[str, Any]:
    check_can_write(svc, bearer(request))
    try:
        review_id, row = await run_in_threadpool(
            svc.store.review,
            claim_id,
            review.action,
            reviewer=reviewer_of(svc),
            field=review.field,
            value=review_value(review),
            reason=review.reason,
        )
    except ReviewError as err:
        raise _refused(err) from None
    cluster = svc.store.clusters_of([claim_id]).get(claim_id)
    return {"review": review_id, "claim": claim_json(row, cluster)}


@router.get("/claims/{claim_id}/reviews", summary="A claim's reviews, oldest first")
def claim_reviews(svc: Svc, claim_id: Annotated[str, Path(pattern=CLAIM_ID)]) -> dict[str, Any]:
    if svc.store.find_claim(claim_id) is None and not svc.store.reviews(claim_id=claim_id):
        raise HTTPException(404, f"no claim {claim_id} in the ledger")
    return {"items": [r.as_json() for r in svc.store.reviews(claim_id=claim_id)]}


@router.get("/reviews", summary="Reviews, oldest first; state=stale lists those to look at again")
def list_reviews(
    svc: Svc,
    state: Annotated[Literal["active", "superseded", "stale"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    return {"items": [r.as_json() for r in svc.store.reviews(state=state, limit=limit)]}


@router.post("/sources/{actor_id}/merge", summary="Merge an actor into another", status_code=201)
async def merge_actor(
    request: Request,
    svc: Svc,
    body: ActorMerge,
    actor_id: Annotated[str, Path(pattern=ACTOR_ID)],
) -> dict[str, Any]:
    check_can_write(svc, bearer(request))
    try:
        target = await run_in_threadpool(
            svc.store.merge_actors,
            actor_id,
            body.into,
            reviewer=reviewer_of(svc),
            reason=body.reason,
        )
    except ReviewError as err:
        raise _refused(err) from None
    return {"merged": actor_id, "into": target, "api": f"/api/sources/{target}"}


@router.post("/sources/{actor_id}/split", summary="Undo an actor's merge", status_code=201)
async def split_actor(
    request: Request,
    svc: Svc,
    body: ActorSplit,
    actor_id: Annotated[str, Path(pattern=ACTOR_ID)],
) -> dict[str, Any]:
    check_can_write(svc, bearer(request))
    try:
        target = await run_in_threadpool(
            svc.store.split_actor, actor_id, reviewer=reviewer_of(svc), reason=body.reason
        )
    except ReviewError as err:
        raise _refused(err) from None
    return {"split": actor_id, "from": target, "api": f"/api/sources/{actor_id}"}
