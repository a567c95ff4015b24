"""The ledger's corroboration in SQL: file a document's claims in the index, link them, keep the
clusters, their origins and conflicts (``claim_facts``, ``claim_keys``, ``claim_links``,
``claim_clusters``, ``clusters``, ``conflicts``, ``claim_conflicts``; the rules are in
:mod:`claimtrace.ledger.corroborate`).

Called inside :meth:`~claimtrace.ledger.store.Store.put`'s transaction (and a review's), so a
document's claims and their links are stored together or not at all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, or_, select

from claimtrace.ledger.corroborate import (
    ClaimFacts,
    Conflict,
    Corroborator,
    Link,
    LinkRule,
    MemoryIndex,
    QuantityFact,
    TimeFact,
    facts_from_extraction,
    leader_clusters,
    origins,
)
from claimtrace.ledger.corroborate import conflicts as find_conflicts
from claimtrace.ledger.packing import key_hash
from claimtrace.ledger.schema import (
    claim_clusters,
    claim_conflicts,
    claim_facts,
    claim_keys,
    claim_links,
    clusters,
    conflicts,
)
from claimtrace.records import Extraction

__all__ = [
    "MAX_REPORTED_CLUSTER",
    "SqlIndex",
    "column_map",
    "corroborate",
    "forget_claims",
    "forget_keys",
]

#: Above this many claims a cluster's origins and conflicts are not recomputed on each change:
#: both compare every pair, and one runaway cluster must not make ingest quadratic.
MAX_REPORTED_CLUSTER = 100


_KEYED = (
    select(claim_keys.c.key, claim_facts.c.claim_id)
    .join(claim_facts, claim_facts.c.n == claim_keys.c.claim)
    .where(claim_keys.c.key.in_(bindparam("keys", expanding=True)))
)
_FACTS = select(claim_facts.c.facts).where(
    claim_facts.c.claim_id.in_(bindparam("ids", expanding=True))
)


class SqlIndex:
    """:class:`~claimtrace.ledger.corroborate.ClaimIndex` over the ``claim_keys`` and
    ``claim_facts`` tables, inside the caller's transaction.

    One document's claims are held in memory and written by :meth:`flush` in two bulk inserts:
    the claims of the document being added still see each other, and a document costs two
    queries per claim (its candidates, their facts) instead of five.
    """

    def __init__(self, conn: Connection, max_bucket: int) -> None:
        self.conn = conn
        self.max_bucket = max_bucket
        self._buckets: dict[str, list[str]] = {}  # stored + pending, for the keys seen
        self._pending_facts: dict[str, ClaimFacts] = {}
        self._pending_keys: list[tuple[str, str]] = []  # (key, claim id)
        self._stored_facts: dict[str, ClaimFacts] = {}  # loaded by prefetch

    def prefetch(self, keys: Collection[str], filing: Collection[str] = ()) -> None:
        """Load the buckets of ``keys`` and the facts of the claims filed there, and the
        buckets of ``filing`` (the keys the claims will be filed under: their fill decides
        whether a claim is added), in a few queries for a whole document rather than several
        per claim (each a round trip to the server)."""
        self._load_buckets(filing)
        ids = self.candidates(keys)
        missing = sorted(i for i in ids if i not in self._stored_facts)
        for facts in _load_facts(self.conn, missing):
            self._stored_facts[facts.claim_id] = facts

    def _load_buckets(self, keys: Collection[str]) -> None:
        """Read the buckets of the keys not seen yet."""
        # not ``set(keys) - self._buckets.keys()``: that copies every bucket's key on each call,
        # quadratic in a long document's claims (a 1 MB text took 8 minutes to store)
        unseen = sorted({key for key in keys if key not in self._buckets})
        for key in unseen:
            self._buckets[key] = []
        for start in range(0, len(unseen), 500):
            hashed = {key_hash(key): key for key in unseen[start : start + 500]}
            rows = self.conn.execute(_KEYED, {"keys": sorted(hashed)})
            for hash_, claim_id in rows:
                self._buckets[hashed[hash_]].append(claim_id)

    def candidates(self, keys: Collection[str]) -> set[str]:
        """Ids of claims stored under any of ``keys``."""
        self._load_buckets(keys)
        found: set[str] = set()
        for key in keys:
            found.update(self._buckets[key])
        return found

    def add(self, keys: Collection[str], facts: ClaimFacts) -> None:
        """Remember ``facts`` and file the claim under each key whose bucket has room."""
        self._load_buckets(keys)
        self._pending_facts[facts.claim_id] = facts
        for key in sorted(set(keys)):
            bucket = self._buckets[key]
            if len(bucket) < self.max_bucket:
                bucket.append(facts.claim_id)
                self._pending_keys.append((key, facts.claim_id))

    def facts(self, claim_ids: Collection[str]) -> list[ClaimFacts]:
        """The facts of the given claims, stored or pending."""
        pending = [self._pending_facts[i] for i in claim_ids if i in self._pending_facts]
        known = [self._stored_facts[i] for i in claim_ids if i in self._stored_facts]
        stored = [
            i for i in claim_ids if i not in self._pending_facts and i not in self._stored_facts
        ]
        return pending + known + _load_facts(self.conn, stored)

    def flush(self) -> None:
        """Write the pending claims' facts and keys."""
        if self._pending_facts:
            self.conn.execute(
                insert(claim_facts),
                [
                    {"claim_id": f.claim_id, "document_id": f.document_id, "facts": _facts_json(f)}
                    for f in self._pending_facts.values()
                ],
            )
        if self._pending_keys:
            numbers = column_map(
                self.conn,
                claim_facts.c.claim_id,
                claim_facts.c.n,
                {claim_id for _, claim_id in self._pending_keys},
            )
            rows = [
                {"key": hash_, "claim": number}
                for hash_, number in sorted(
                    {(key_hash(key), numbers[claim_id]) for key, claim_id in self._pending_keys}
                )
            ]
            if self.conn.dialect.name == "postgresql":
                _copy_rows(self.conn, claim_keys, ("key", "claim"), rows)
            else:
                self.conn.execute(insert(claim_keys), rows)
        self._pending_facts.clear()
        self._pending_keys.clear()


def _copy_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    """Bulk-write rows with PostgreSQL's ``COPY … FROM STDIN`` inside the caller's transaction:
    a document files tens of thousands of index keys, and one COPY stream costs a fraction of
    as many ``INSERT`` round trips."""
    raw = conn.connection.driver_connection
    assert raw is not None
    names = ", ".join(columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(row[name] for name in columns))


def _facts_json(facts: ClaimFacts) -> dict[str, Any]:
    return asdict(facts)


def _facts_from_json(data: Mapping[str, Any]) -> ClaimFacts:
    values = dict(data)
    for name in ("entities", "places"):
        values[name] = tuple(values.get(name, ()))
    values["times"] = tuple(TimeFact(**t) for t in values.get("times", ()))
    values["quantities"] = tuple(QuantityFact(**q) for q in values.get("quantities", ()))
    return ClaimFacts(**values)


def _load_facts(conn: Connection, claim_ids: Collection[str]) -> list[ClaimFacts]:
    ids = sorted(set(claim_ids))
    found: list[ClaimFacts] = []
    for start in range(0, len(ids), 500):
        rows = conn.execute(_FACTS, {"ids": ids[start : start + 500]})
        found.extend(_facts_from_json(row[0]) for row in rows)
    return found


def corroborate(conn: Connection, extraction: Extraction) -> None:
    """Link the new document's claims to the ledger and update the clusters they touch."""
    facts = facts_from_extraction(extraction)
    if not facts:
        return
    doc_id = extraction.document.id
    rule = LinkRule()
    index = SqlIndex(conn, rule.max_bucket)
    corroborator = Corroborator(index, rule)
    index.prefetch(
        {key for one in facts for key in corroborator.query_keys(one)},
        {key for one in facts for key in corroborator.keys(one)},
    )
    added = [corroborator.add_claim(one) for one in facts]
    links = [link for one in added for link in one.links]
    index.flush()
    new_ids = [one.claim_id for one in facts]
    conn.execute(
        insert(claim_clusters),
        [{"claim_id": i, "document_id": doc_id, "cluster_id": i} for i in new_ids],
    )
    if links:
        linked = sorted({link.a for link in links} | {link.b for link in links})
        documents_of = column_map(conn, claim_facts.c.claim_id, claim_facts.c.document_id, linked)
        conn.execute(
            insert(claim_links),
            [
                {
                    "a": link.a,
                    "b": link.b,
                    "a_document_id": documents_of[link.a],
                    "b_document_id": documents_of[link.b],
                    "score": link.score,
                    "evidence": list(link.evidence),
                }
                for link in sorted(set(links))
            ],
        )
    _store_conflicts(conn, [conflict for one in added for conflict in one.conflicts])
    # A new claim with no link is a new singleton: it has no cluster row to report.
    if links:
        _recluster(conn, {link.a for link in links} | {link.b for link in links})


def _recluster(conn: Connection, seeds: Collection[str], touched: Collection[str] = ()) -> None:
    """Recompute the clusters of the claims linked, directly or not, to ``seeds`` by leader
    clustering over their stored links (:func:`~claimtrace.ledger.corroborate.leader_clusters`),
    move the claims whose cluster changed, and report every cluster that changed (and those in
    ``touched``)."""
    component, frontier = set(seeds), set(seeds)
    found: dict[tuple[str, str], float] = {}
    while frontier:
        batch, frontier = sorted(frontier), set()
        for start in range(0, len(batch), 500):
            part = batch[start : start + 500]
            rows = conn.execute(
                select(claim_links.c.a, claim_links.c.b, claim_links.c.score).where(
                    or_(claim_links.c.a.in_(part), claim_links.c.b.in_(part))
                )
            )
            for a, b, score in rows:
                found[(a, b)] = score
                for claim in (a, b):
                    if claim not in component:
                        component.add(claim)
                        frontier.add(claim)
    assigned = leader_clusters(component, [Link(a, b, s) for (a, b), s in found.items()])
    current = column_map(conn, claim_clusters.c.claim_id, claim_clusters.c.cluster_id, component)
    changed = set(touched)
    moves: dict[str, list[str]] = {}
    for claim, cluster_id in sorted(assigned.items()):
        if claim in current and current[claim] != cluster_id:
            moves.setdefault(cluster_id, []).append(claim)
            changed.update((current[claim], cluster_id))
    for cluster_id, group in sorted(moves.items()):
        for start in range(0, len(group), 500):
            conn.execute(
                claim_clusters.update()
                .where(claim_clusters.c.claim_id.in_(group[start : start + 500]))
                .values(cluster_id=cluster_id)
            )
    for cluster_id in sorted(changed):
        _report_cluster(conn, cluster_id)


def _store_conflicts(conn: Connection, found: Sequence[Conflict]) -> None:
    """Write the conflicts found while adding a document's claims (one row per pair and kind)."""
    unique = {(c.a, c.b, c.kind): c for c in found}
    if not unique:
        return
    claim_ids = {c.a for c in unique.values()} | {c.b for c in unique.values()}
    documents_of = column_map(conn, claim_facts.c.claim_id, claim_facts.c.document_id, claim_ids)
    conn.execute(
        insert(claim_conflicts),
        [
            {
                "a": c.a,
                "b": c.b,
                "kind": c.kind,
                "a_document_id": documents_of[c.a],
                "b_document_id": documents_of[c.b],
                "evidence": list(c.evidence),
            }
            for _, c in sorted(unique.items())
        ],
    )


def column_map(conn: Connection, key: Any, value: Any, keys: Collection[str]) -> dict[str, str]:
    wanted = sorted(set(keys))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        query = select(key, value).where(key.in_(wanted[start : start + 500]))
        found.update((row[0], row[1]) for row in conn.execute(query))
    return found


def _report_cluster(conn: Connection, cluster_id: str) -> None:
    """Recompute one cluster's size, origins and conflicts (none are kept for singletons)."""
    members = list(
        conn.scalars(
            select(claim_clusters.c.claim_id).where(claim_clusters.c.cluster_id == cluster_id)
        )
    )
    conn.execute(delete(clusters).where(clusters.c.id == cluster_id))
    conn.execute(delete(conflicts).where(conflicts.c.cluster_id == cluster_id))
    if len(members) < 2:
        return
    facts = _load_facts(conn, members)
    document_count = len({one.document_id for one in facts})
    if len(members) > MAX_REPORTED_CLUSTER:
        conn.execute(
            insert(clusters).values(id=cluster_id, size=len(members), documents=document_count)
        )
        return
    found = origins(facts)
    conn.execute(
        insert(clusters).values(
            id=cluster_id,
            size=len(members),
            documents=document_count,
            origin_count=len(found),
            origins=[
                {"claims": list(origin.claim_ids), "evidence": list(origin.evidence)}
                for origin in found
            ],
        )
    )
    rows = [
        {
            "a": conflict.a,
            "b": conflict.b,
            "kind": conflict.kind,
            "cluster_id": cluster_id,
            "evidence": list(conflict.evidence),
        }
        for conflict in find_conflicts(facts)
    ]
    if rows:
        conn.execute(insert(conflicts), rows)


def forget_keys(conn: Connection, doc_id: str, *, exact: bool = False) -> None:
    """Delete the index keys of a document's claims. ``claim_keys`` has no index by claim (it
    would double the table), so this reads the table once: a replace, not an add, pays it.

    With ``exact`` the keys are computed again from the claims' stored facts and deleted by
    their primary key instead, without reading the table: right only where the keys were filed
    by the same link rule as this process's (a review filing a document again, when the document
    was stored by this release). A key left behind would name a claim number never reused, so
    it could mislead no lookup; it would only take room."""
    if exact:
        rows = list(
            conn.execute(
                select(claim_facts.c.n, claim_facts.c.facts).where(
                    claim_facts.c.document_id == doc_id
                )
            )
        )
        keyer = Corroborator(MemoryIndex(), LinkRule())
        pairs = sorted(
            {
                (key_hash(key), int(row.n))
                for row in rows
                for key in keyer.keys(_facts_from_json(row.facts))
            }
        )
        if pairs:
            conn.execute(_FORGET_KEY, [{"k": key, "c": number} for key, number in pairs])
        return
    numbers = select(claim_facts.c.n).where(claim_facts.c.document_id == doc_id)
    if conn.execute(numbers.limit(1)).first() is not None:
        conn.execute(delete(claim_keys).where(claim_keys.c.claim.in_(numbers.scalar_subquery())))


_FORGET_KEY = delete(claim_keys).where(
    claim_keys.c.key == bindparam("k"), claim_keys.c.claim == bindparam("c")
)


def forget_claims(conn: Connection, doc_id: str, *, exact_keys: bool = False) -> None:
    """Take a document's claims out of the clusters, splitting what they alone held together
    (``exact_keys``: see :func:`forget_keys`)."""
    ids = list(
        conn.scalars(
            select(claim_clusters.c.claim_id).where(claim_clusters.c.document_id == doc_id)
        )
    )
    if not ids:
        return
    affected = set(
        column_map(conn, claim_clusters.c.claim_id, claim_clusters.c.cluster_id, ids).values()
    )
    for pairs in (claim_links, claim_conflicts):
        conn.execute(
            delete(pairs).where(
                or_(pairs.c.a_document_id == doc_id, pairs.c.b_document_id == doc_id)
            )
        )
    forget_keys(conn, doc_id, exact=exact_keys)
    for table in (claim_facts, claim_clusters):
        conn.execute(delete(table).where(table.c.document_id == doc_id))
    for cluster_id in sorted(affected):
        conn.execute(delete(clusters).where(clusters.c.id == cluster_id))
        conn.execute(delete(conflicts).where(conflicts.c.cluster_id == cluster_id))
        members = list(
            conn.scalars(
                select(claim_clusters.c.claim_id).where(claim_clusters.c.cluster_id == cluster_id)
            )
        )
        if members:
            _recluster(conn, members, {cluster_id})
