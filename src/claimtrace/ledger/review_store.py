"""The ledger's reviews in SQL (``reviews``, ``actor_reviews``, ``claims.review``/``reviewed``;
the rules are in :mod:`claimtrace.ledger.reviews`).

Everything here runs inside a transaction :mod:`claimtrace.ledger.store` opened: the review, the
claim it changes, and the clusters, conflicts and actors that follow from it change together or
not at all. :func:`apply_reviews` turns a document's machine extraction into the one the ledger
files (reviewed claims, rejected ones left out); the store files that one wherever it filed the
machine's before.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update

from claimtrace.ledger.reviews import (
    Correction,
    ReviewedClaim,
    reviewed_claim,
    snapshot,
    still_matches,
)
from claimtrace.ledger.schema import actor_reviews, claim_columns, claims, reviews
from claimtrace.records import Claim, Extraction

__all__ = [
    "ReviewRow",
    "actor_merges",
    "actor_overrides",
    "apply_reviews",
    "follow",
    "record_actor_review",
    "record_review",
    "review_rows",
]

log = logging.getLogger(__name__)


def now() -> str:
    """The time of a review: UTC, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One review as stored."""

    id: int
    claim_id: str
    document_id: str
    action: str
    field: str | None
    value: Mapping[str, Any] | None
    reviewer: str
    reviewed_at: str
    reason: str | None
    pipeline_version: str
    state: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "claim_id": self.claim_id,
            "document_id": self.document_id,
            "action": self.action,
            "field": self.field,
            "value": None if self.value is None else dict(self.value),
            "reviewer": self.reviewer,
            "reviewed_at": self.reviewed_at,
            "reason": self.reason,
            "pipeline_version": self.pipeline_version,
            "state": self.state,
        }


def _row(row: Any) -> ReviewRow:
    return ReviewRow(
        id=int(row.id),
        claim_id=row.claim_id,
        document_id=row.document_id,
        action=row.action,
        field=row.field,
        value=row.value,
        reviewer=row.reviewer,
        reviewed_at=row.reviewed_at,
        reason=row.reason,
        pipeline_version=row.pipeline_version,
        state=row.state,
    )


def record_review(
    conn: Connection,
    *,
    claim: Claim,
    document_id: str,
    action: str,
    field: str | None,
    value: Mapping[str, Any] | None,
    reviewer: str,
    reason: str | None,
    pipeline_version: str,
) -> int:
    """Append one review of ``claim`` (the machine's claim) and supersede the one it replaces:
    the claim's earlier verdict, or its earlier correction of the same field."""
    same = (
        reviews.c.action.in_(("accept", "reject"))
        if action != "correct"
        else and_(reviews.c.action == "correct", reviews.c.field == field)
    )
    conn.execute(
        update(reviews)
        .where(reviews.c.claim_id == claim.id, reviews.c.state == "active", same)
        .values(state="superseded")
    )
    result = conn.execute(
        insert(reviews).values(
            claim_id=claim.id,
            document_id=document_id,
            action=action,
            field=field,
            value=None if value is None else dict(value),
            machine=snapshot(claim),
            reviewer=reviewer,
            reviewed_at=now(),
            reason=reason,
            pipeline_version=pipeline_version,
            state="active",
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def review_rows(
    conn: Connection,
    *,
    claim_ids: Collection[str] | None = None,
    document_id: str | None = None,
    state: str | None = None,
    limit: int | None = None,
) -> list[ReviewRow]:
    """Stored reviews, oldest first, of the given claims or document and in the given state."""
    query = select(reviews).order_by(reviews.c.id)
    if claim_ids is not None:
        query = query.where(reviews.c.claim_id.in_(sorted(claim_ids)))
    if document_id is not None:
        query = query.where(reviews.c.document_id == document_id)
    if state is not None:
        query = query.where(reviews.c.state == state)
    if limit is not None:
        query = query.limit(limit)
    return [_row(row) for row in conn.execute(query)]


def apply_reviews(conn: Connection, extraction: Extraction) -> Extraction:
    """The extraction the ledger files for this document: each claim with the reviews in force,
    the rejected ones left out. Reviews whose claim is gone or changed turn stale (and are
    listed by ``claimtrace reviews --stale``); the ``claims`` rows get the reviewed columns."""
    doc_id = extraction.document.id
    text = extraction.document.text
    rows = [r for r in review_rows(conn, document_id=doc_id) if r.state == "active"]
    machine = {claim.id: claim for claim in extraction.claims}
    stored_machine = _machine_snapshots(conn, [r.id for r in rows])
    verdicts: dict[str, str] = {}
    corrections: dict[str, dict[str, Correction]] = {}
    stale: list[int] = []
    for row in rows:
        claim = machine.get(row.claim_id)
        if claim is None or not still_matches(row.action, row.field, stored_machine[row.id], claim):
            stale.append(row.id)
            continue
        if row.action == "correct" and row.field is not None and row.value is not None:
            corrections.setdefault(row.claim_id, {})[row.field] = Correction(
                row.field, row.value, row.id
            )
        else:
            verdicts[row.claim_id] = row.action
    if stale:
        log.info("reviews: %d no longer match document %s and are stale", len(stale), doc_id)
        conn.execute(update(reviews).where(reviews.c.id.in_(stale)).values(state="stale"))
    reviewed: dict[str, ReviewedClaim] = {
        claim_id: reviewed_claim(
            machine[claim_id],
            text,
            verdicts.get(claim_id),
            sorted(corrections.get(claim_id, {}).values(), key=lambda c: c.review_id or 0),
        )
        for claim_id in sorted(set(verdicts) | set(corrections))
    }
    _write_claim_rows(conn, doc_id, machine, reviewed)
    kept = tuple(
        reviewed[claim.id].claim if claim.id in reviewed else claim
        for claim in extraction.claims
        if claim.id not in reviewed or reviewed[claim.id].status != "rejected"
    )
    if len(kept) == len(extraction.claims) and not reviewed:
        return extraction
    return extraction.model_copy(update={"claims": kept})


def _machine_snapshots(conn: Connection, ids: Collection[str | int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    query = select(reviews.c.id, reviews.c.machine).where(reviews.c.id.in_(sorted(ids)))
    return {int(row.id): dict(row.machine) for row in conn.execute(query)}


def _write_claim_rows(
    conn: Connection,
    doc_id: str,
    machine: Mapping[str, Claim],
    reviewed: Mapping[str, ReviewedClaim],
) -> None:
    """Put the reviewed values in the ``claims`` columns of the reviewed claims, and the
    machine's back in those of claims whose reviews were all superseded or went stale."""
    marked = set(
        conn.scalars(
            select(claims.c.id).where(claims.c.document_id == doc_id, claims.c.review.is_not(None))
        )
    )
    for claim_id in sorted(marked | set(reviewed)):
        if claim_id not in machine:
            continue
        one = reviewed.get(claim_id)
        claim = machine[claim_id] if one is None else one.claim
        conn.execute(
            update(claims)
            .where(claims.c.document_id == doc_id, claims.c.id == claim_id)
            .values(
                **claim_columns(claim),
                review=None if one is None else one.status,
                reviewed=None if one is None else claim.model_dump(mode="json"),
            )
        )


def actor_overrides(conn: Connection, claim_ids: Collection[str]) -> dict[str, str]:
    """The actors people attributed these claims to (source corrections that name an actor)."""
    wanted = sorted(set(claim_ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        query = select(reviews.c.claim_id, reviews.c.value).where(
            reviews.c.claim_id.in_(wanted[start : start + 500]),
            reviews.c.state == "active",
            reviews.c.action == "correct",
            reviews.c.field == "source",
        )
        for row in conn.execute(query):
            actor = (row.value or {}).get("actor_id")
            if actor:
                found[row.claim_id] = str(actor)
    return found


def actor_merges(conn: Connection) -> dict[str, str]:
    """Actor id → the actor it was merged into, for the merges in force (a merge into an actor
    that was merged in turn is followed by :func:`follow`)."""
    query = select(actor_reviews.c.actor_id, actor_reviews.c.into_id).where(
        actor_reviews.c.state == "active", actor_reviews.c.action == "merge"
    )
    return {row.actor_id: row.into_id for row in conn.execute(query) if row.into_id}


def follow(merges: Mapping[str, str], actor: str) -> str:
    """Where ``actor`` ends up after the merges (a cycle stops where it would repeat).

    >>> follow({"a": "b", "b": "c"}, "a"), follow({"a": "b", "b": "a"}, "a"), follow({}, "x")
    ('c', 'b', 'x')
    """
    seen = {actor}
    while actor in merges and merges[actor] not in seen:
        actor = merges[actor]
        seen.add(actor)
    return actor


def record_actor_review(
    conn: Connection,
    *,
    action: str,
    actor_id: str,
    into_id: str | None,
    reviewer: str,
    reason: str | None,
) -> int:
    """Append a merge (``actor_id`` into ``into_id``) or a split (undoing ``actor_id``'s
    merge), superseding the actor's earlier merge."""
    conn.execute(
        update(actor_reviews)
        .where(
            actor_reviews.c.actor_id == actor_id,
            actor_reviews.c.state == "active",
            or_(actor_reviews.c.action == "merge", actor_reviews.c.action == "split"),
        )
        .values(state="superseded")
    )
    result = conn.execute(
        insert(actor_reviews).values(
            action=action,
            actor_id=actor_id,
            into_id=into_id,
            reviewer=reviewer,
            reviewed_at=now(),
            reason=reason,
            state="active",
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
