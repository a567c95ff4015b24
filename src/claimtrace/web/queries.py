"""Read-only queries the web page needs beyond :class:`~claimtrace.ledger.store.Store`'s methods.

They read the ledger's tables through the store's public ``metadata`` and engine, and never
write: the store stays the only writer. Listings are paged with ``offset``/``limit`` and fetch
one row more than asked, so a page knows whether a next one exists without counting the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, Table, and_, func, or_, select

from claimtrace.ledger.store import ClaimFilter, ClaimRow, Store, metadata
from claimtrace.records import Claim

__all__ = [
    "ClusterDetail",
    "ClusterMember",
    "ClusterSummary",
    "DocumentSummary",
    "EntitySummary",
    "Page",
    "PlaceSummary",
    "TimelineBucket",
    "claim_page",
    "cluster_detail",
    "cluster_page",
    "document_page",
    "drawn_window",
    "entity_page",
    "place_page",
    "timeline",
]


T = TypeVar("T")


def _table(name: str) -> Table:
    return metadata.tables[name]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a listing: its items, where it starts, and whether more follow."""

    items: list[T]
    offset: int
    limit: int
    more: bool


def _paged(rows: Sequence[T], offset: int, limit: int) -> Page[T]:
    return Page(items=list(rows[:limit]), offset=offset, limit=limit, more=len(rows) > limit)


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A stored document as a listing shows it."""

    id: str
    published: str | None
    title: str | None
    publisher: str | None
    url: str | None
    input: str
    claims: int
    ingested: str | None = None
    """When it was stored (UTC, ISO 8601); ``None`` for documents stored before 0005."""


def document_page(
    store: Store,
    *,
    search: str | None = None,
    publisher: str | None = None,
    since: str | None = None,
    until: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[DocumentSummary]:
    """Documents, newest publication first, then the undated ones by ingest time, newest
    first; ``search`` matches title, input name or id prefix."""
    documents = _table("documents")
    query: Select[Any] = select(
        documents.c.id,
        documents.c.published,
        documents.c.title,
        documents.c.publisher,
        documents.c.url,
        documents.c.input,
        documents.c.claim_count,
        documents.c.ingested,
    )
    if search:
        needle = search.lower()
        query = query.where(
            or_(
                func.lower(documents.c.title).contains(needle, autoescape=True),
                func.lower(documents.c.input).contains(needle, autoescape=True),
                documents.c.id.startswith(needle, autoescape=True),
            )
        )
    if publisher:
        query = query.where(
            func.lower(documents.c.publisher).contains(publisher.lower(), autoescape=True)
        )
    if since:
        query = query.where(documents.c.published >= since)
    if until:
        query = query.where(documents.c.published <= until)
    query = (
        query.order_by(
            documents.c.published.is_(None),
            documents.c.published.desc(),
            documents.c.ingested.is_(None),  # NULL sorts apart from times on every database
            documents.c.ingested.desc(),
            documents.c.id,
        )
        .offset(offset)
        .limit(limit + 1)
    )
    with store.engine.connect() as conn:
        rows = [
            DocumentSummary(
                id=row.id,
                published=row.published,
                title=row.title,
                publisher=row.publisher,
                url=row.url,
                input=row.input,
                claims=int(row.claim_count),
                ingested=row.ingested,
            )
            for row in conn.execute(query)
        ]
    return _paged(rows, offset, limit)


def claim_page(
    store: Store, where: ClaimFilter, *, offset: int = 0, limit: int = 50
) -> Page[ClaimRow]:
    """Claims matching the CLI's filters, one page of them.

    The store's listing has a limit but no offset, so a page reads the rows before it too;
    the web layer caps ``offset`` so a deep page stays bounded.
    """
    rows = store.claims(
        ClaimFilter(
            source=where.source,
            about=where.about,
            place=where.place,
            since=where.since,
            until=where.until,
            certainty=where.certainty,
            search=where.search,
            document_id=where.document_id,
            limit=offset + limit + 1,
        )
    )
    return _paged(rows[offset:], offset, limit)


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    """A cluster of two or more claims stating the same thing."""

    id: str
    size: int
    documents: int
    origins: int | None
    conflicts: int
    example: str
    """The content of the cluster's first claim (its id is the cluster's id)."""


def cluster_page(
    store: Store, *, conflicted: bool = False, offset: int = 0, limit: int = 50
) -> Page[ClusterSummary]:
    """Clusters, largest first; with ``conflicted`` only those with at least one conflict."""
    clusters, conflicts, claims = _table("clusters"), _table("conflicts"), _table("claims")
    conflict_count = (
        select(conflicts.c.cluster_id, func.count().label("n"))
        .group_by(conflicts.c.cluster_id)
        .subquery()
    )
    query: Select[Any] = (
        select(
            clusters.c.id,
            clusters.c.size,
            clusters.c.documents,
            clusters.c.origin_count,
            func.coalesce(conflict_count.c.n, 0).label("conflicts"),
            claims.c.content_text,
        )
        .outerjoin(conflict_count, conflict_count.c.cluster_id == clusters.c.id)
        .outerjoin(claims, claims.c.id == clusters.c.id)
    )
    if conflicted:
        query = query.where(conflict_count.c.n > 0)
    query = query.order_by(clusters.c.size.desc(), clusters.c.id).offset(offset).limit(limit + 1)
    with store.engine.connect() as conn:
        rows = [
            ClusterSummary(
                id=row.id,
                size=int(row.size),
                documents=int(row.documents),
                origins=None if row.origin_count is None else int(row.origin_count),
                conflicts=int(row.conflicts),
                example=row.content_text or "",
            )
            for row in conn.execute(query)
        ]
    return _paged(rows, offset, limit)


@dataclass(frozen=True, slots=True)
class ClusterMember:
    """One claim of a cluster, with its document and which origin it belongs to."""

    claim: Claim
    document_id: str
    published: str | None
    title: str | None
    publisher: str | None
    source_name: str | None
    origin: int | None
    """Index into :attr:`ClusterDetail.origins` (``None`` when origins were not computed)."""


@dataclass(frozen=True, slots=True)
class ClusterDetail:
    """A cluster with its claims, independent origins and conflicts."""

    id: str
    size: int
    documents: int
    members: list[ClusterMember]
    origins: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    truncated: bool


def cluster_detail(
    store: Store, cluster_id: str, *, max_members: int = 500
) -> ClusterDetail | None:
    """One cluster, or ``None``; a claim alone (no cluster row) is a cluster of one."""
    members_t, clusters, conflicts = (
        _table("claim_clusters"),
        _table("clusters"),
        _table("conflicts"),
    )
    with store.engine.connect() as conn:
        head = conn.execute(select(clusters).where(clusters.c.id == cluster_id)).first()
        member_ids = list(
            conn.scalars(
                select(members_t.c.claim_id)
                .where(members_t.c.cluster_id == cluster_id)
                .order_by(members_t.c.claim_id)
                .limit(max_members + 1)
            )
        )
        if head is None and not member_ids:
            return None
        truncated = len(member_ids) > max_members
        member_ids = member_ids[:max_members]
        origin_list: list[dict[str, Any]] = list(head.origins or []) if head is not None else []
        origin_of = {
            claim_id: index
            for index, origin in enumerate(origin_list)
            for claim_id in origin.get("claims", [])
        }
        members = [
            ClusterMember(
                claim=row.claim,
                document_id=row.document_id,
                published=row.published,
                title=row.title,
                publisher=row.publisher,
                source_name=row.source_name,
                origin=origin_of.get(row.claim.id),
            )
            for row in store.claims(ClaimFilter(claim_ids=tuple(member_ids)))
        ]
        conflict_rows = [
            {"a": row.a, "b": row.b, "kind": row.kind, "evidence": list(row.evidence or [])}
            for row in conn.execute(
                select(conflicts)
                .where(conflicts.c.cluster_id == cluster_id)
                .order_by(conflicts.c.a, conflicts.c.b, conflicts.c.kind)
            )
        ]
    return ClusterDetail(
        id=cluster_id,
        size=int(head.size) if head is not None else len(member_ids),
        documents=int(head.documents)
        if head is not None
        else len({m.document_id for m in members}),
        members=members,
        origins=origin_list,
        conflicts=conflict_rows,
        truncated=truncated,
    )


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """An entity name across the ledger: how often and in how many documents it appears."""

    name: str
    type: str
    records: int
    documents: int


def entity_page(
    store: Store, *, search: str | None = None, offset: int = 0, limit: int = 50
) -> Page[EntitySummary]:
    """Entities by the number of documents naming them."""
    entities = _table("entities")
    query: Select[Any] = select(
        entities.c.name,
        entities.c.type,
        func.count().label("records"),
        func.count(func.distinct(entities.c.document_id)).label("documents"),
    ).group_by(entities.c.name, entities.c.type)
    if search:
        query = query.where(func.lower(entities.c.name).contains(search.lower(), autoescape=True))
    query = (
        query.order_by(func.count(func.distinct(entities.c.document_id)).desc(), entities.c.name)
        .offset(offset)
        .limit(limit + 1)
    )
    with store.engine.connect() as conn:
        rows = [
            EntitySummary(
                name=row.name, type=row.type, records=int(row.records), documents=int(row.documents)
            )
            for row in conn.execute(query)
        ]
    return _paged(rows, offset, limit)


@dataclass(frozen=True, slots=True)
class PlaceSummary:
    """A place across the ledger, with where it is (when geocoded) and how often it is named."""

    name: str
    country_code: str | None
    admin1: str | None
    feature: str
    lat: float | None
    lon: float | None
    mentions: int
    documents: int
    geonames_id: int | None = None


def place_page(
    store: Store,
    *,
    search: str | None = None,
    located: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> Page[PlaceSummary]:
    """Places by the number of documents naming them; ``located``: only those with lat/lon."""
    places = _table("places")
    # One row per place, never an average: two places of one name in one country (Vermont, the
    # state, and a town of that name) keep their own points. A geocoded place is its GeoNames id,
    # or its hand-entered point; an unresolved one is its name and country.
    query: Select[Any] = select(
        places.c.name,
        places.c.country_code,
        places.c.geonames_id,
        func.max(places.c.admin1).label("admin1"),
        func.max(places.c.feature).label("feature"),
        places.c.lat,
        places.c.lon,
        func.count().label("mentions"),
        func.count(func.distinct(places.c.document_id)).label("documents"),
    ).group_by(
        places.c.name, places.c.country_code, places.c.geonames_id, places.c.lat, places.c.lon
    )
    if search:
        query = query.where(
            or_(
                func.lower(places.c.name).contains(search.lower(), autoescape=True),
                func.lower(places.c.mention_text).contains(search.lower(), autoescape=True),
            )
        )
    if located:
        query = query.where(places.c.lat.is_not(None), places.c.lon.is_not(None))
    query = (
        query.order_by(func.count(func.distinct(places.c.document_id)).desc(), places.c.name)
        .offset(offset)
        .limit(limit + 1)
    )
    with store.engine.connect() as conn:
        rows = [
            PlaceSummary(
                name=row.name,
                country_code=row.country_code,
                admin1=row.admin1,
                feature=row.feature,
                lat=None if row.lat is None else float(row.lat),
                lon=None if row.lon is None else float(row.lon),
                mentions=int(row.mentions),
                documents=int(row.documents),
                geonames_id=row.geonames_id,
            )
            for row in conn.execute(query)
        ]
    return _paged(rows, offset, limit)


@dataclass(frozen=True, slots=True)
class TimelineBucket:
    """Claims in one month: by the publication date of their documents, and by the dates
    the claims themselves are about (their resolved times)."""

    month: str
    published: int
    about: int


#: how far before the first publication month a drawn timeline reaches (claims citing older
#: times are counted in the full listing, ``GET /api/timeline``)
TIMELINE_LEAD_MONTHS = 24


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def drawn_window(buckets: Sequence[TimelineBucket]) -> tuple[list[TimelineBucket], int]:
    """The months a page draws, and how many months it leaves out: from two years before the
    first publication month to the last one — never a month after the latest publication
    ("by 2100" is a claim about 2100, not a month of the corpus). Without publication dates
    every month is drawn."""
    published = [b.month for b in buckets if b.published]
    if not published:
        return list(buckets), 0
    first, last = _month_index(min(published)) - TIMELINE_LEAD_MONTHS, _month_index(max(published))
    kept = [b for b in buckets if first <= _month_index(b.month) <= last]
    return kept, len(buckets) - len(kept)


def timeline(
    store: Store, *, source: str | None = None, actor: str | None = None
) -> list[TimelineBucket]:
    """Claims per month (``YYYY-MM``), oldest first; ``source`` narrows to the claims whose
    source as written holds it, ``actor`` to one actor's claims. Every month is listed
    (:func:`drawn_window` picks those a page draws)."""
    claims, documents, times, refs = (
        _table("claims"),
        _table("documents"),
        _table("times"),
        _table("claim_refs"),
    )
    month = func.substr(documents.c.published, 1, 7)
    by_published: Select[Any] = (
        select(month.label("month"), func.count().label("n"))
        .select_from(claims.join(documents, documents.c.id == claims.c.document_id))
        .where(documents.c.published.is_not(None))
        .group_by(month)
    )
    time_month = func.substr(times.c.start_date, 1, 7)
    by_about: Select[Any] = (
        select(time_month.label("month"), func.count(func.distinct(claims.c.pk)).label("n"))
        .select_from(
            claims.join(
                refs,
                and_(refs.c.document_id == claims.c.document_id, refs.c.claim_id == claims.c.id),
            ).join(
                times,
                and_(times.c.document_id == refs.c.document_id, times.c.id == refs.c.ref_id),
            )
        )
        .where(refs.c.kind == "time", times.c.start_date.is_not(None))
        .group_by(time_month)
    )
    if source:
        needle = source.lower()
        condition = func.lower(claims.c.source_text).contains(needle, autoescape=True)
        by_published = by_published.where(condition)
        by_about = by_about.where(condition)
    if actor:
        claim_actors = _table("claim_actors")
        of_actor = claims.c.id.in_(
            select(claim_actors.c.claim_id).where(claim_actors.c.actor_id == actor)
        )
        by_published = by_published.where(of_actor)
        by_about = by_about.where(of_actor)
    counts: dict[str, list[int]] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(by_published):
            counts.setdefault(row.month, [0, 0])[0] = int(row.n)
        for row in conn.execute(by_about):
            counts.setdefault(row.month, [0, 0])[1] = int(row.n)
    return [
        TimelineBucket(month, *pair)
        for month, pair in sorted(counts.items())
        if month and re.fullmatch(r"\d{4}-\d{2}", month)
    ]
