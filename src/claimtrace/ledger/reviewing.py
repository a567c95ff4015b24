"""Reviewing a stored ledger: the :class:`Store` methods that record a person's review of a claim
or an actor and file what it changes (the rules are in :mod:`claimtrace.ledger.reviews`, their SQL
in :mod:`claimtrace.ledger.review_store`). :class:`~claimtrace.ledger.store.Store` inherits them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, select

from claimtrace._version import __version__
from claimtrace.errors import ReviewError
from claimtrace.ledger.actor_store import decide, file_actors, forget_actors
from claimtrace.ledger.cluster_store import corroborate, forget_claims
from claimtrace.ledger.reading import read_extractions
from claimtrace.ledger.review_store import (
    ReviewRow,
    actor_merges,
    apply_reviews,
    follow,
    record_actor_review,
    record_review,
    review_rows,
)
from claimtrace.ledger.reviews import ACTIONS, MAX_REASON, check_value
from claimtrace.ledger.schema import actors, claim_actors, claims, documents
from claimtrace.records import Claim

if TYPE_CHECKING:
    from claimtrace.ledger.store import ClaimRow

__all__ = ["Reviewing"]


class Reviewing:
    """Review methods of the store (a mixin: it needs the store's ``engine`` and
    ``find_claim``)."""

    engine: Engine

    def find_claim(self, claim_id: str) -> ClaimRow | None:  # pragma: no cover - the store's
        raise NotImplementedError

    def review_states(self, document_ids: Collection[str]) -> dict[str, str]:
        """Claim id → accepted, corrected or rejected, for the reviewed claims of these
        documents (a claim absent is as the machine extracted it)."""
        wanted = sorted(set(document_ids))
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                query = select(claims.c.id, claims.c.review).where(
                    claims.c.document_id.in_(wanted[start : start + 500]),
                    claims.c.review.is_not(None),
                )
                found.update((row.id, row.review) for row in conn.execute(query))
        return found

    def merged_into(self, actor_id: str) -> str | None:
        """The actor ``actor_id`` was merged into by a review (followed to the end), if any."""
        with self.engine.connect() as conn:
            merges = actor_merges(conn)
        return follow(merges, actor_id) if actor_id in merges else None

    # Reviewing ----------------------------------------------------------------------------

    def _writing(self) -> Connection:
        return self.engine.connect().execution_options(claimtrace_write=True)

    def review(
        self,
        claim_id: str,
        action: str,
        *,
        reviewer: str,
        field: str | None = None,
        value: Mapping[str, Any] | None = None,
        reason: str | None = None,
    ) -> tuple[int, ClaimRow]:
        """Record a person's review of a claim (see :mod:`claimtrace.ledger.reviews`) and file
        the document again as reviewed: its clusters, conflicts and actors follow, in the same
        transaction. Returns the review's id and the claim as it now stands."""
        if action not in ACTIONS:
            raise ReviewError(f"a review is one of {', '.join(ACTIONS)} (not {action!r})")
        if (action == "correct") != (field is not None):
            raise ReviewError("a correction names the field it corrects; a verdict names none")
        if not reviewer.strip():
            raise ReviewError("a review needs the reviewer's name")
        if reason is not None and len(reason) > MAX_REASON:
            raise ReviewError(f"a review's reason is at most {MAX_REASON} characters")
        with self._writing() as conn, conn.begin():
            row = conn.execute(
                select(claims.c.document_id, claims.c.record, documents.c.text)
                .join(documents, documents.c.id == claims.c.document_id)
                .where(claims.c.id == claim_id)
            ).first()
            if row is None:
                raise ReviewError(f"no claim {claim_id} in the ledger")
            checked = None if field is None else check_value(field, value or {}, row.text)
            if checked is not None and "actor_id" in checked:
                wanted = checked["actor_id"]
                if conn.scalar(select(actors.c.id).where(actors.c.id == wanted)) is None:
                    raise ReviewError(f"no actor {wanted} in the ledger")
            head = conn.execute(
                select(documents.c.pipeline_version).where(documents.c.id == row.document_id)
            ).scalar_one()
            review_id = record_review(
                conn,
                claim=Claim.model_validate(row.record),
                document_id=row.document_id,
                action=action,
                field=field,
                value=checked,
                reviewer=reviewer.strip()[:100],
                reason=reason or None,
                pipeline_version=head,
            )
            self._refile(conn, row.document_id)
        found = self.find_claim(claim_id)
        assert found is not None
        return review_id, found

    @staticmethod
    def _refile(conn: Connection, doc_id: str) -> None:
        """File a stored document's claims again, as reviewed: out of the clusters and actors,
        then back in."""
        extraction = next(iter(read_extractions(conn, [doc_id])))
        # keys filed by this release's link rule can be found again without reading the table
        forget_claims(conn, doc_id, exact_keys=extraction.pipeline.version == __version__)
        forget_actors(conn, doc_id)
        filed = apply_reviews(conn, extraction)
        file_actors(conn, filed)
        corroborate(conn, filed)

    def reviews(
        self,
        *,
        claim_id: str | None = None,
        document_id: str | None = None,
        state: str | None = None,
        limit: int | None = None,
    ) -> list[ReviewRow]:
        """Stored reviews, oldest first (all of them, or of one claim or document, or in one
        state: ``stale`` lists those a new extraction no longer matches)."""
        with self.engine.connect() as conn:
            return review_rows(
                conn,
                claim_ids=None if claim_id is None else [claim_id],
                document_id=document_id,
                state=state,
                limit=limit,
            )

    def merge_actors(
        self, actor_id: str, into_id: str, *, reviewer: str, reason: str | None = None
    ) -> str:
        """Fold one actor into another (one person under two records); returns the actor the
        claims now belong to. A person never merges with an organisation."""
        with self._writing() as conn, conn.begin():
            target = follow(actor_merges(conn), into_id)
            found = {
                row.id: row.type
                for row in conn.execute(
                    select(actors.c.id, actors.c.type).where(actors.c.id.in_((actor_id, target)))
                )
            }
            for one in (actor_id, target):
                if one not in found:
                    raise ReviewError(f"no actor {one} in the ledger")
            if actor_id == target:
                raise ReviewError("an actor cannot be merged into itself")
            if found[actor_id] != found[target]:
                raise ReviewError(
                    f"a {found[actor_id]} cannot be merged into a {found[target]} ({target})"
                )
            record_actor_review(
                conn,
                action="merge",
                actor_id=actor_id,
                into_id=target,
                reviewer=reviewer.strip()[:100] or "reviewer",
                reason=reason,
            )
            decide(conn, _groups_of(conn, actor_id), also=(actor_id, target))
        return target

    def split_actor(self, actor_id: str, *, reviewer: str, reason: str | None = None) -> str:
        """Undo the merge of ``actor_id``: its claims go back to it. Returns the actor they
        had been merged into."""
        with self._writing() as conn, conn.begin():
            merges = actor_merges(conn)
            if actor_id not in merges:
                raise ReviewError(f"actor {actor_id} is not merged into another")
            target = follow(merges, actor_id)
            record_actor_review(
                conn,
                action="split",
                actor_id=actor_id,
                into_id=None,
                reviewer=reviewer.strip()[:100] or "reviewer",
                reason=reason,
            )
            decide(conn, _groups_of(conn, target), also=(target,))
        return target


def _groups_of(conn: Connection, actor_id: str) -> set[tuple[str, str]]:
    """The name groups whose claims are filed under ``actor_id``."""
    query = (
        select(claim_actors.c.actor_type, claim_actors.c.name_group)
        .where(claim_actors.c.actor_id == actor_id)
        .distinct()
    )
    return {(row.actor_type, row.name_group) for row in conn.execute(query)}
