"""The ledger's actors in SQL: file a document's named sources, decide their actors, keep the
actors' records (``claim_actors`` and ``actors``; the rules are in :mod:`claimtrace.ledger.actors`).

Called inside :meth:`~claimtrace.ledger.store.Store.put`'s transaction, so a document's claims and
their actors are stored together or not at all. Each change decides again only the groups it
touches (the people of one surname, the forms of one organisation name), and every decision is a
function of the group's names alone: the actors do not depend on the order documents came in.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update

from claimtrace.ledger.actors import (
    ActorName,
    actor_id,
    actor_name,
    assign,
    document_actor_names,
    summarise,
)
from claimtrace.ledger.review_store import actor_merges, actor_overrides, follow
from claimtrace.ledger.schema import actors, claim_actors, claims, documents, entities
from claimtrace.records import Claim, Entity, Extraction

__all__ = ["backfill_actors", "decide", "file_actors", "forget_actors", "rebuild_actors"]

log = logging.getLogger(__name__)

Group = tuple[str, str]  # (actor type, name group)


def file_actors(conn: Connection, extraction: Extraction) -> None:
    """File the document's named sources and decide the actors of the groups they fall in.

    A claim a person attributed to an actor (a source correction naming one) is filed under that
    actor even where its source names no one the rules recognise ("he", an unnamed source)."""
    names = dict(document_actor_names(extraction))
    chosen = actor_overrides(conn, [claim.id for claim in extraction.claims])
    for claim_id, actor in chosen.items():
        if claim_id not in names:
            row = conn.execute(select(actors.c.type, actors.c.name).where(actors.c.id == actor))
            found = row.first()
            if found is None:
                continue  # an actor since merged away or emptied: the review names no one now
            names[claim_id] = ActorName(
                found.type,
                f"review:{claim_id}",
                found.name,
                "",
                found.name,
                (),
                (),
                "review",
                extraction.document.id,
            )
    if names:
        _insert_names(conn, extraction.document.id, names)
        decide(conn, {(name.type, name.group) for name in names.values()})


def backfill_actors(conn: Connection, *, reviewed: bool = True) -> int:
    """File the named sources of every stored document that has none filed yet, from the
    stored claims and entities, then decide every group; returns the ledger's actor count.
    ``reviewed=False`` ignores reviews (for a migration older than the reviews tables)."""
    filed = set(conn.scalars(select(claim_actors.c.document_id).distinct()))
    doc_ids = [
        i for i in conn.scalars(select(documents.c.id).order_by(documents.c.id)) if i not in filed
    ]
    for start in range(0, len(doc_ids), 200):
        chunk = doc_ids[start : start + 200]
        found: dict[str, list[Claim]] = {i: [] for i in chunk}
        people: dict[tuple[str, str], Entity] = {}
        for row in conn.execute(
            select(claims.c.document_id, claims.c.record).where(claims.c.document_id.in_(chunk))
        ):
            found[row.document_id].append(Claim.model_validate(row.record))
        for row in conn.execute(
            select(entities.c.document_id, entities.c.record).where(
                entities.c.document_id.in_(chunk)
            )
        ):
            one = Entity.model_validate(row.record)
            people[(row.document_id, one.id)] = one
        for doc_id in chunk:
            names: dict[str, ActorName] = {}
            for claim in found[doc_id]:
                name = actor_name(claim, people.get((doc_id, claim.source_entity or "")))
                if name is not None:
                    names[claim.id] = replace(name, document=doc_id)
            if names:
                _insert_names(conn, doc_id, names)
    log.info("actors: filed the named sources of %d stored documents", len(doc_ids))
    return rebuild_actors(conn, reviewed=reviewed)


def _insert_names(conn: Connection, doc_id: str, names: Mapping[str, ActorName]) -> None:
    conn.execute(
        insert(claim_actors),
        [
            {
                "claim_id": claim_id,
                "document_id": doc_id,
                "actor_type": name.type,
                "name_group": name.group,
                "base": name.base,
                "middle": name.middle,
                "surface": name.surface,
                "roles": list(name.roles),
                "affiliations": list(name.affiliations),
                "rule": name.rule,
                "actor_id": "",
                "actor_key": "",
            }
            for claim_id, name in sorted(names.items())
        ],
    )


def forget_actors(conn: Connection, doc_id: str) -> None:
    """Take a document's named sources out of the ledger and decide their groups again."""
    groups: set[Group] = {
        (row.actor_type, row.name_group)
        for row in conn.execute(
            select(claim_actors.c.actor_type, claim_actors.c.name_group)
            .where(claim_actors.c.document_id == doc_id)
            .distinct()
        )
    }
    if not groups:
        return
    before = set(
        conn.scalars(
            select(claim_actors.c.actor_id).where(claim_actors.c.document_id == doc_id).distinct()
        )
    )
    conn.execute(delete(claim_actors).where(claim_actors.c.document_id == doc_id))
    decide(conn, groups, also=before)


def rebuild_actors(conn: Connection, *, reviewed: bool = True) -> int:
    """Decide every group again from the stored names (after a migration or a rule change);
    returns how many actors the ledger then holds."""
    groups: set[Group] = {
        (row.actor_type, row.name_group)
        for row in conn.execute(
            select(claim_actors.c.actor_type, claim_actors.c.name_group).distinct()
        )
    }
    conn.execute(delete(actors))
    decide(conn, groups, reviewed=reviewed)
    return int(conn.scalar(select(func.count()).select_from(actors)) or 0)


def decide(
    conn: Connection, groups: Collection[Group], also: Iterable[str] = (), *, reviewed: bool = True
) -> None:
    """Decide the actors of ``groups`` again and refresh the records of every actor that gained
    or lost a claim (and of the actors in ``also``: those a deletion may have emptied); with
    ``reviewed``, people's choices (merges, claims attributed to an actor) win."""
    touched: set[str] = {a for a in also if a}
    merges = actor_merges(conn) if reviewed else {}
    for actor_type, group in sorted(groups):
        rows = list(
            conn.execute(
                select(claim_actors).where(
                    and_(
                        claim_actors.c.actor_type == actor_type, claim_actors.c.name_group == group
                    )
                )
            )
        )
        if not rows:
            continue
        names = {row.claim_id: _name(row) for row in rows}
        keys = assign(names)
        # a person's decision wins over the rules: a claim attributed to an actor by review,
        # and an actor merged into another
        chosen = actor_overrides(conn, names) if reviewed else {}
        changes = []
        for row in rows:
            key = keys[row.claim_id]
            new = follow(merges, chosen.get(row.claim_id) or actor_id(key))
            touched.add(new)
            if new != row.actor_id:
                touched.add(row.actor_id)
                changes.append({"c": row.claim_id, "a": new, "k": key})
        if changes:
            for start in range(0, len(changes), 500):
                _set_actor(conn, changes[start : start + 500])
    touched.discard("")
    for one in sorted(touched):
        _refresh(conn, one)


_SET_ACTOR = (
    update(claim_actors)
    .where(claim_actors.c.claim_id == bindparam("c"))
    .values(actor_id=bindparam("a"), actor_key=bindparam("k"))
)


def _set_actor(conn: Connection, changes: list[dict[str, str]]) -> None:
    conn.execute(_SET_ACTOR, changes)


def _name(row: Any) -> ActorName:
    return ActorName(
        row.actor_type,
        row.name_group,
        row.base,
        row.middle,
        row.surface,
        tuple(row.roles or ()),
        tuple(row.affiliations or ()),
        row.rule,
        row.document_id,
    )


def _refresh(conn: Connection, one: str) -> None:
    """Rewrite one actor's record from its claims (or remove it when it has none)."""
    rows = list(conn.execute(select(claim_actors).where(claim_actors.c.actor_id == one)))
    conn.execute(delete(actors).where(actors.c.id == one))
    if not rows:
        return
    names = [_name(row) for row in rows]
    key = rows[0].actor_key
    summary = summarise(key, names)
    doc_ids = sorted({row.document_id for row in rows})
    first, last = conn.execute(
        select(func.min(documents.c.published), func.max(documents.c.published)).where(
            documents.c.id.in_(doc_ids)
        )
    ).one()
    conn.execute(
        insert(actors).values(
            id=one,
            key=key,
            type=summary.type,
            name=summary.name,
            aliases=[list(alias) for alias in summary.aliases],
            roles=list(summary.roles),
            affiliations=list(summary.affiliations),
            claims=len(rows),
            documents=len(doc_ids),
            first_seen=first,
            last_seen=last,
        )
    )
