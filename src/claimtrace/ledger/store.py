"""The ledger's storage: opening, writing and reading a ledger (SQLAlchemy 2 Core). The SQL of
corroboration is in :mod:`~claimtrace.ledger.cluster_store`, that of actors in
:mod:`~claimtrace.ledger.actor_store`, that of reviews in :mod:`~claimtrace.ledger.review_store`;
all run inside the transactions this module opens.

SQLite (one file, WAL) by default; PostgreSQL through a ``postgresql://`` URL (driver psycopg 3).
The schema is created and upgraded by the Alembic migrations in
:mod:`claimtrace.ledger.migrations`, run from code when a ledger is opened, so nobody runs
``alembic`` by hand.

Each record keeps its full contract JSON in a ``record`` column, beside the columns that queries
filter on: an extraction read back is then exactly the one stored, whatever fields the records
grow, while the columns stay few. Every row carries the document id, its offsets and the
pipeline version that produced it.

Full-text search over claim content: FTS5 (``claims_fts``, kept in step by triggers) on SQLite;
a generated ``tsvector`` column with a GIN index on PostgreSQL.

>>> store = Store("sqlite://")
>>> store.count_documents()
0
>>> store.close()
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Select,
    Table,
    and_,
    case,
    create_engine,
    delete,
    event,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from claimtrace.config import load_settings
from claimtrace.errors import ConfigError
from claimtrace.ledger.actor_store import file_actors, forget_actors
from claimtrace.ledger.cluster_store import column_map, corroborate, forget_claims, forget_keys
from claimtrace.ledger.reading import read_extractions
from claimtrace.ledger.review_store import (
    apply_reviews,
)
from claimtrace.ledger.reviewing import Reviewing
from claimtrace.ledger.schema import (
    RECORD_TABLES,
    actors,
    claim_actors,
    claim_clusters,
    claim_columns,
    claim_conflicts,
    claim_facts,
    claim_refs,
    claims,
    clusters,
    conflicts,
    documents,
    entities,
    metadata,
    places,
    quantities,
    times,
)
from claimtrace.records import Claim, Extraction, Span

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "ClaimFilter",
    "ClaimRow",
    "ClusterRow",
    "ConflictRow",
    "PutOutcome",
    "SourceRow",
    "Store",
    "metadata",
    "resolve_url",
]

#: Where the ledger lives when neither ``--db`` nor ``$CLAIMTRACE_DB`` says: the current folder.
DEFAULT_DB = "claimtrace.db"
DB_ENV = "CLAIMTRACE_DB"

PutOutcome = Literal["stored", "replaced", "skipped"]

#: The name under which :meth:`Store.sources` lists claims whose source is a bare pronoun that
#: no antecedent resolved.
UNRESOLVED_SOURCES = "(unresolved pronoun)"


def resolve_url(db: str | None = None) -> URL:
    """The database URL for ``--db`` (a path or a URL), ``$CLAIMTRACE_DB``, or ``claimtrace.db``.

    A path means a SQLite file; ``postgresql://`` URLs get the psycopg 3 driver.

    >>> resolve_url("ledger.db").drivername
    'sqlite'
    >>> resolve_url("postgresql://u@localhost/claims").drivername
    'postgresql+psycopg'
    """
    given = db or load_settings().db or DEFAULT_DB  # flag, then config file and $CLAIMTRACE_DB
    if "://" not in given:
        path = Path(given).expanduser()
        if path.is_dir():
            raise ConfigError(f"--db {given} is a directory; give a database file path or a URL")
        return URL.create("sqlite", database=str(path))
    try:
        url = make_url(given)
    except (ArgumentError, ValueError):
        raise ConfigError(f"--db {given!r} is not a database URL or a file path") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"--db {url.render_as_string(hide_password=True)}: only SQLite files and "
            "postgresql:// URLs are supported"
        )
    return url


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """What ``claims`` selects; ``None`` means no condition. Matching is case-insensitive."""

    source: str | None = None
    actor: str | None = None
    about: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None
    certainty: str | None = None
    search: str | None = None
    document_id: str | None = None
    claim_ids: tuple[str, ...] | None = None
    limit: int | None = None
    include_rejected: bool = False
    """Also list the claims a person rejected (left out by default)."""


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One stored claim with the document facts a listing shows beside it."""

    claim: Claim
    document_id: str
    published: str | None
    title: str | None
    url: str | None
    publisher: str | None
    input: str
    source_name: str | None
    """The source's actor name when it has one, else the source entity's canonical name when
    resolved, else the source as written."""
    actor_id: str | None = None
    """The ledger actor the source is (see :mod:`claimtrace.ledger.actors`), if any."""
    review: str | None = None
    """``None`` for the machine's claim as extracted; else accepted, corrected or rejected
    (``claim`` is then the claim as reviewed)."""

    def as_json(self) -> dict[str, Any]:
        """The claim as the contract writes it, with its document and resolved source name."""
        return {
            "claim": self.claim.model_dump(mode="json"),
            "review": self.review or "machine",
            "source_name": self.source_name,
            "actor_id": self.actor_id,
            "document": {
                "id": self.document_id,
                "published": self.published,
                "title": self.title,
                "url": self.url,
                "publisher": self.publisher,
                "input": self.input,
            },
        }


@dataclass(frozen=True, slots=True)
class ClusterRow:
    """A claim's cluster: its id, members, and independent origins (``None``: not computed)."""

    id: str
    claim_ids: tuple[str, ...]
    documents: int
    origins: tuple[tuple[str, ...], ...] | None


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """Two stored claims that disagree, why, and the cluster they were found in (``None``
    when the two are in different clusters: found as claims about one entity or place, or as
    one statement with opposite polarity)."""

    a: str
    b: str
    kind: str
    cluster_id: str | None
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source as the ledger counts it: its claims, documents and dates; for an actor, its id,
    type (person, organisation, other), the names it was written under and its roles."""

    name: str
    kind: str
    claims: int
    documents: int
    first_published: str | None
    last_published: str | None
    actor_id: str | None = None
    actor_type: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


class Store(Reviewing):
    """One open ledger database. Writes go through :meth:`put`, one transaction per document."""

    def __init__(self, url: str | URL | None = None, *, create: bool = True) -> None:
        self.url = url if isinstance(url, URL) else resolve_url(url)
        self.shown = self.url.render_as_string(hide_password=True)
        self.engine = _engine(self.url, create=create)
        self.dialect = self.engine.dialect.name
        try:
            from claimtrace.ledger.migrations import upgrade

            upgrade(self.engine)
        except DBAPIError as err:
            self.engine.dispose()
            raise ConfigError(
                f"--db {self.shown}: cannot open the ledger: {_reason(err)}"
            ) from None

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # Writing ------------------------------------------------------------------------------

    def stored_pipeline(self, document_id: str) -> tuple[str, str] | None:
        """The (pipeline version, model) a document is stored under, or ``None``."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(documents.c.pipeline_version, documents.c.model).where(
                    documents.c.id == document_id
                )
            ).first()
        return None if row is None else (row[0], row[1])

    def put(self, extraction: Extraction, *, replace: bool = False) -> PutOutcome:
        """Store one extraction and update the clusters, in one transaction: all of it or none.

        A document already stored by the same pipeline version and model is skipped unless
        ``replace``; one stored by another pipeline is replaced (the newer run supersedes it).
        """
        pipeline = (extraction.pipeline.version, extraction.pipeline.model)
        doc_id = extraction.document.id
        with self._writing() as conn, conn.begin():
            existing = conn.execute(
                select(documents.c.pipeline_version, documents.c.model).where(
                    documents.c.id == doc_id
                )
            ).first()
            if existing is not None and tuple(existing) == pipeline and not replace:
                return "skipped"
            if existing is not None:
                forget_claims(conn, doc_id)
                forget_actors(conn, doc_id)
                self._delete_document(conn, doc_id)
            self._insert(conn, extraction)
            filed = apply_reviews(conn, extraction)  # what people decided wins
            file_actors(conn, filed)
            corroborate(conn, filed)
        return "stored" if existing is None else "replaced"

    @staticmethod
    def _delete_document(conn: Connection, doc_id: str) -> None:
        forget_keys(conn, doc_id)
        for table in (*RECORD_TABLES, claim_facts, claim_clusters, claim_actors):
            conn.execute(delete(table).where(table.c.document_id == doc_id))
        conn.execute(delete(documents).where(documents.c.id == doc_id))

    @staticmethod
    def _insert(conn: Connection, extraction: Extraction) -> None:
        doc = extraction.document
        version = extraction.pipeline.version
        head = extraction.model_dump(
            mode="json",
            include={"schema_version", "document", "sentences", "pipeline"},
        )
        del head["document"]["text"]
        conn.execute(
            insert(documents).values(
                id=doc.id,
                pipeline_version=version,
                model=extraction.pipeline.model,
                published=doc.published,
                title=doc.title,
                url=doc.url,
                publisher=doc.publisher,
                input=doc.input,
                text=doc.text,
                claim_count=len(extraction.claims),
                ingested=datetime.now(UTC).isoformat(timespec="seconds"),
                record=head,
            )
        )
        base = {"document_id": doc.id, "pipeline_version": version}
        claim_rows = [
            {
                **base,
                "ordinal": i,
                "id": claim.id,
                **claim_columns(claim),
                "record": claim.model_dump(mode="json"),
            }
            for i, claim in enumerate(extraction.claims)
        ]
        ref_rows = [
            {
                "document_id": doc.id,
                "claim_id": claim.id,
                "kind": kind,
                "ordinal": j,
                "ref_id": ref,
            }
            for claim in extraction.claims
            for kind, refs in (
                ("entity", claim.entities),
                ("place", claim.places),
                ("quantity", claim.quantities),
                ("time", claim.times),
            )
            for j, ref in enumerate(refs)
        ]
        entity_rows = [
            {
                **base,
                "ordinal": i,
                **_mention(entity.mentions[0] if entity.mentions else None),
                "id": entity.id,
                "name": entity.name,
                "type": entity.type,
                "record": entity.model_dump(mode="json"),
            }
            for i, entity in enumerate(extraction.entities)
        ]
        place_rows = [
            {
                **base,
                "ordinal": i,
                **_mention(place.mention),
                **place.model_dump(
                    mode="json",
                    include={
                        "id",
                        "name",
                        "geonames_id",
                        "feature",
                        "country_code",
                        "admin1",
                        "lat",
                        "lon",
                        "role",
                        "confidence",
                    },
                ),
                "record": place.model_dump(mode="json"),
            }
            for i, place in enumerate(extraction.places)
        ]
        quantity_rows = [
            {
                **base,
                "ordinal": i,
                **_mention(quantity.mention),
                **quantity.model_dump(
                    mode="json",
                    include={"id", "kind", "low", "high", "best", "approximate", "counted", "unit"},
                ),
                # an open side as an infinite bound in these query columns ("more than 100"
                # may be 5,000); the record keeps None
                "low": float("-inf") if quantity.low is None else quantity.low,
                "high": float("inf") if quantity.high is None else quantity.high,
                "record": quantity.model_dump(mode="json"),
            }
            for i, quantity in enumerate(extraction.quantities)
        ]
        time_rows = [
            {
                **base,
                "ordinal": i,
                **_mention(time.mention),
                "id": time.id,
                "value": time.value,
                "start_date": time.start,
                "end_date": time.end,
                "precision": time.precision,
                "anchor": time.anchor,
                "record": time.model_dump(mode="json"),
            }
            for i, time in enumerate(extraction.times)
        ]
        for table, rows in (
            (claims, claim_rows),
            (claim_refs, ref_rows),
            (entities, entity_rows),
            (places, place_rows),
            (quantities, quantity_rows),
            (times, time_rows),
        ):
            if rows:
                conn.execute(insert(table), rows)

    # Reading ------------------------------------------------------------------------------

    def count_documents(self) -> int:
        """How many documents the ledger holds."""
        return self.counts()["documents"]

    def counts(self) -> dict[str, int]:
        """Rows per table: documents, claims, entities, places, quantities, times."""
        with self.engine.connect() as conn:
            return {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for table in (documents, claims, entities, places, quantities, times)
            }

    def document_ids(self) -> list[str]:
        """Every stored document id, sorted."""
        with self.engine.connect() as conn:
            return list(conn.scalars(select(documents.c.id).order_by(documents.c.id)))

    def find_document_ids(self, prefix: str) -> list[str]:
        """Ids of stored documents that start with ``prefix`` (a full id or a short one)."""
        if not re.fullmatch(r"[0-9a-f]{1,64}", prefix):
            return []
        with self.engine.connect() as conn:
            return list(
                conn.scalars(
                    select(documents.c.id)
                    .where(documents.c.id.startswith(prefix, autoescape=True))
                    .order_by(documents.c.id)
                    .limit(10)
                )
            )

    def extraction(self, document_id: str) -> Extraction | None:
        """The stored extraction of one document, exactly as it was stored; ``None`` if absent."""
        found = list(self.extractions([document_id]))
        return found[0] if found else None

    def extractions(
        self, document_ids: Iterable[str] | None = None, *, reviewed: bool = False
    ) -> Iterator[Extraction]:
        """Stored extractions, by document id (all of them, sorted by id, when ``None``): as the
        machine made them, or with ``reviewed`` as people reviewed them (corrected claims as
        corrected, rejected ones left out)."""
        ids = self.document_ids() if document_ids is None else list(document_ids)
        with self.engine.connect() as conn:
            yield from read_extractions(conn, ids, reviewed=reviewed)

    def claims(self, where: ClaimFilter) -> list[ClaimRow]:
        """Claims matching ``where``, by publication date, document and order in the document."""
        source_entity = entities.alias("source_entity")
        query: Select[Any] = (
            select(
                claims.c.record,
                claims.c.review,
                claims.c.reviewed,
                claims.c.document_id,
                documents.c.published,
                documents.c.title,
                documents.c.url,
                documents.c.publisher,
                documents.c.input,
                func.coalesce(actors.c.name, source_entity.c.name, claims.c.source_text).label(
                    "source_name"
                ),
                claim_actors.c.actor_id,
            )
            .join(documents, documents.c.id == claims.c.document_id)
            .outerjoin(
                source_entity,
                and_(
                    source_entity.c.document_id == claims.c.document_id,
                    source_entity.c.id == claims.c.source_entity,
                ),
            )
            .outerjoin(claim_actors, claim_actors.c.claim_id == claims.c.id)
            .outerjoin(actors, actors.c.id == claim_actors.c.actor_id)
            .where(*self._conditions(where, source_entity))
            .order_by(
                documents.c.published.is_(None),
                documents.c.published,
                claims.c.document_id,
                claims.c.ordinal,
            )
        )
        if where.limit is not None:
            query = query.limit(where.limit)
        with self.engine.connect() as conn:
            return [
                ClaimRow(
                    claim=Claim.model_validate(row.reviewed or row.record),
                    document_id=row.document_id,
                    published=row.published,
                    title=row.title,
                    url=row.url,
                    publisher=row.publisher,
                    input=row.input,
                    source_name=row.source_name,
                    actor_id=row.actor_id,
                    review=row.review,
                )
                for row in conn.execute(query)
            ]

    def find_claim(self, claim_id: str) -> ClaimRow | None:
        """One claim by its id, or ``None``."""
        with self.engine.connect() as conn:
            doc_id = conn.scalar(select(claims.c.document_id).where(claims.c.id == claim_id))
        if doc_id is None:
            return None
        for row in self.claims(ClaimFilter(document_id=doc_id, include_rejected=True)):
            if row.claim.id == claim_id:
                return row
        return None

    def _conditions(self, where: ClaimFilter, source_entity: Any) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if not where.include_rejected:
            conditions.append(or_(claims.c.review.is_(None), claims.c.review != "rejected"))
        if where.document_id is not None:
            conditions.append(claims.c.document_id == where.document_id)
        if where.claim_ids is not None:
            conditions.append(claims.c.id.in_(where.claim_ids))
        if where.certainty is not None:
            conditions.append(claims.c.certainty == where.certainty)
        if where.source:
            conditions.append(
                or_(
                    _icontains(claims.c.source_text, where.source),
                    _icontains(source_entity.c.name, where.source),
                    _icontains(actors.c.name, where.source),
                )
            )
        if where.actor:
            conditions.append(claim_actors.c.actor_id == where.actor)
        if where.about:
            conditions.append(
                or_(
                    _icontains(claims.c.content_text, where.about),
                    _linked(entities, "entity", _icontains(entities.c.name, where.about)),
                )
            )
        if where.place:
            conditions.append(
                _linked(
                    places,
                    "place",
                    or_(
                        _icontains(places.c.name, where.place),
                        _icontains(places.c.mention_text, where.place),
                        func.lower(places.c.country_code) == where.place.lower(),
                    ),
                )
            )
        if where.since or where.until:
            conditions.append(_dated(where.since, where.until))
        if where.search:
            conditions.append(self._search(where.search))
        return conditions

    def _search(self, query: str) -> ColumnElement[bool]:
        words = re.findall(r"\w+", query)
        if not words:
            return literal_column("1") == literal_column("0")
        if self.dialect == "postgresql":
            return literal_column("claims.content_tsv").op("@@")(
                func.plainto_tsquery("english", " ".join(words))
            )
        # Each word quoted: user text is never FTS5 syntax (a hyphen or a colon would be).
        match = " ".join('"' + word + '"' for word in words)
        fts = text("SELECT rowid FROM claims_fts WHERE claims_fts MATCH :match").bindparams(
            match=match
        )
        return claims.c.pk.in_(fts.columns(rowid=Integer))

    def cluster(self, claim_id: str) -> ClusterRow | None:
        """The cluster a claim belongs to (a singleton when nothing corroborates it)."""
        with self.engine.connect() as conn:
            cluster_id = conn.scalar(
                select(claim_clusters.c.cluster_id).where(claim_clusters.c.claim_id == claim_id)
            )
            if cluster_id is None:
                return None
            members = tuple(
                conn.scalars(
                    select(claim_clusters.c.claim_id)
                    .where(claim_clusters.c.cluster_id == cluster_id)
                    .order_by(claim_clusters.c.claim_id)
                )
            )
            row = conn.execute(select(clusters).where(clusters.c.id == cluster_id)).first()
        if row is None:
            return ClusterRow(cluster_id, members, 1, ((claim_id,),))
        found = (
            None
            if row.origins is None
            else tuple(tuple(origin["claims"]) for origin in row.origins)
        )
        return ClusterRow(cluster_id, members, int(row.documents), found)

    def clusters_of(self, claim_ids: Collection[str]) -> dict[str, tuple[str, int, int | None]]:
        """For each claim: its cluster id, the cluster's size and its number of origins."""
        with self.engine.connect() as conn:
            cluster_ids = column_map(
                conn, claim_clusters.c.claim_id, claim_clusters.c.cluster_id, claim_ids
            )
            wanted = sorted(set(cluster_ids.values()))
            sizes: dict[str, tuple[int, int | None]] = {}
            for start in range(0, len(wanted), 500):
                query = select(clusters.c.id, clusters.c.size, clusters.c.origin_count).where(
                    clusters.c.id.in_(wanted[start : start + 500])
                )
                sizes.update((row.id, (row.size, row.origin_count)) for row in conn.execute(query))
        return {
            claim: (cluster, *sizes.get(cluster, (1, 1))) for claim, cluster in cluster_ids.items()
        }

    def conflicts(
        self, *, claim_id: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[ConflictRow]:
        """Stored conflicts (those involving ``claim_id`` when given): first those within a
        cluster, by cluster and claims, then those between claims of different clusters
        (``cluster_id`` ``None``), by claims. A pair found both ways is listed once, with its
        cluster. ``offset`` and ``limit`` page through that order."""
        return self._conflicts(claim_id, None if limit is None else offset + limit)[offset:]

    def _conflicts(self, claim_id: str | None, limit: int | None) -> list[ConflictRow]:
        """The first ``limit`` conflicts (all when ``None``) in :meth:`conflicts` order."""
        within = select(conflicts).order_by(conflicts.c.cluster_id, conflicts.c.a, conflicts.c.b)
        across = select(claim_conflicts).order_by(
            claim_conflicts.c.a, claim_conflicts.c.b, claim_conflicts.c.kind
        )
        if claim_id is not None:
            within = within.where(or_(conflicts.c.a == claim_id, conflicts.c.b == claim_id))
            across = across.where(
                or_(claim_conflicts.c.a == claim_id, claim_conflicts.c.b == claim_id)
            )
        found: list[ConflictRow] = []
        with self.engine.connect() as conn:
            for row in conn.execute(within if limit is None else within.limit(limit)):
                found.append(
                    ConflictRow(row.a, row.b, row.kind, row.cluster_id, tuple(row.evidence))
                )
            seen = {(c.a, c.b, c.kind) for c in found}
            if limit is not None:  # enough rows even when each pair found within is repeated
                across = across.limit(max(0, limit - len(found)) + len(seen))
            for row in conn.execute(across):
                if limit is not None and len(found) >= limit:
                    break
                if (row.a, row.b, row.kind) not in seen:
                    found.append(ConflictRow(row.a, row.b, row.kind, None, tuple(row.evidence)))
        return found

    def sources(self, *, limit: int | None = None) -> list[SourceRow]:
        """Sources by number of claims: one row per actor (a person or organisation across all
        its names), then the sources that are no actor, as written (unnamed sources such as
        "officials", the outlet's own assertions); the pronouns no antecedent resolved are one
        row, never a source named "he" or "I"."""
        with self.engine.connect() as conn:
            listed = [*self._actor_sources(conn, limit), *self._other_sources(conn, limit)]
        listed.sort(key=lambda row: (-row.claims, row.name, row.kind))
        return listed if limit is None else listed[:limit]

    @staticmethod
    def _actor_sources(conn: Connection, limit: int | None) -> list[SourceRow]:
        query = select(actors).order_by(actors.c.claims.desc(), actors.c.name, actors.c.id)
        if limit is not None:
            query = query.limit(limit)
        return [_actor_row(row) for row in conn.execute(query)]

    @staticmethod
    def _other_sources(conn: Connection, limit: int | None) -> list[SourceRow]:
        source_entity = entities.alias("source_entity")
        name = case(
            (claims.c.source_kind == "unresolved", literal(UNRESOLVED_SOURCES)),
            else_=func.coalesce(source_entity.c.name, claims.c.source_text, literal_column("''")),
        )
        query: Select[Any] = (
            select(
                name.label("name"),
                claims.c.source_kind,
                func.count().label("claims"),
                func.count(func.distinct(claims.c.document_id)).label("documents"),
                func.min(documents.c.published).label("first"),
                func.max(documents.c.published).label("last"),
            )
            .join(documents, documents.c.id == claims.c.document_id)
            .outerjoin(
                source_entity,
                and_(
                    source_entity.c.document_id == claims.c.document_id,
                    source_entity.c.id == claims.c.source_entity,
                ),
            )
            .outerjoin(claim_actors, claim_actors.c.claim_id == claims.c.id)
            .where(claim_actors.c.claim_id.is_(None))
            .group_by(name, claims.c.source_kind)
            .order_by(func.count().desc(), name, claims.c.source_kind)
        )
        if limit is not None:
            query = query.limit(limit)
        return [
            SourceRow(
                name=row.name
                or ("(the outlet)" if row.source_kind == "author" else "(no source named)"),
                kind=row.source_kind,
                claims=int(row.claims),
                documents=int(row.documents),
                first_published=row.first,
                last_published=row.last,
            )
            for row in conn.execute(query)
        ]

    def actor(self, actor_id: str) -> SourceRow | None:
        """One actor's record (``None`` when the ledger has no such actor)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(actors).where(actors.c.id == actor_id)).first()
        return None if row is None else _actor_row(row)


def _actor_row(row: Any) -> SourceRow:
    return SourceRow(
        name=row.name,
        kind="named",
        claims=int(row.claims),
        documents=int(row.documents),
        first_published=row.first_seen,
        last_published=row.last_seen,
        actor_id=row.id,
        actor_type=row.type,
        aliases=tuple(alias for alias, _ in row.aliases),
        roles=tuple(row.roles),
    )


def _connect_args(url: URL) -> dict[str, Any]:
    """psycopg prepares a statement on the server after a few runs and may then plan it
    generically; the key look-ups are run with a different number of keys and data every time,
    and a generic plan made while the ledger was small turns into a sequential scan of
    ``claim_keys`` as it grows (100 ms a query instead of 2). Plan every query afresh."""
    return {"prepare_threshold": None} if url.get_backend_name() == "postgresql" else {}


def _engine(url: URL, *, create: bool) -> Engine:
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, create=create)
    try:
        engine = create_engine(url, pool_pre_ping=True, connect_args=_connect_args(url))
        with engine.connect():
            pass
    except (NoSuchModuleError, ImportError):
        raise ConfigError(
            f"--db: no driver for {url.drivername} (PostgreSQL needs psycopg: "
            "pip install 'psycopg[binary]')"
        ) from None
    except DBAPIError as err:
        shown = url.render_as_string(hide_password=True)
        raise ConfigError(f"--db {shown}: cannot connect: {_reason(err)}") from None
    return engine


def _sqlite_engine(url: URL, *, create: bool) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:")
    if not in_memory:
        path = Path(database)
        if not path.exists() and not create:
            raise ConfigError(
                f"--db {database}: no ledger there yet (run `claimtrace ingest` first)"
            )
        if not path.parent.is_dir():
            raise ConfigError(f"--db {database}: folder {path.parent} does not exist")
    # One shared connection for an in-memory database, or every connection sees an empty one.
    extra: dict[str, Any] = {"poolclass": StaticPool} if in_memory else {}
    engine = create_engine(url, connect_args={"timeout": 30}, **extra)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin and end.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a killed process loses nothing committed (only power loss could).
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front: no deadlock upgrading a read lock later.
        write = conn.get_execution_options().get("claimtrace_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _reason(err: DBAPIError) -> str:
    """The driver's own words, on one line."""
    return " ".join(str(err.orig).split()) or type(err.orig).__name__


def _icontains(column: Any, needle: str) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = func.lower(column).contains(needle.lower(), autoescape=True)
    return condition


def _linked(table: Table, kind: str, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """The claim links to a record of ``table`` meeting ``condition``."""
    return exists(
        select(literal_column("1"))
        .select_from(claim_refs)
        .join(
            table,
            and_(
                table.c.document_id == claim_refs.c.document_id, table.c.id == claim_refs.c.ref_id
            ),
        )
        .where(
            claim_refs.c.document_id == claims.c.document_id,
            claim_refs.c.claim_id == claims.c.id,
            claim_refs.c.kind == kind,
            condition,
        )
    )


def _dated(since: str | None, until: str | None) -> ColumnElement[bool]:
    """The claim's dates meet the window: its dated times overlap it, else the publication date.

    Dates are ``YYYY-MM-DD`` strings, so string order is date order.
    """
    dated_time: ColumnElement[bool] = times.c.start_date.is_not(None)
    overlap: list[ColumnElement[bool]] = [dated_time]
    if until:
        overlap.append(times.c.start_date <= until)
    if since:
        overlap.append(func.coalesce(times.c.end_date, times.c.start_date) >= since)
    published: list[ColumnElement[bool]] = [documents.c.published.is_not(None)]
    if since:
        published.append(documents.c.published >= since)
    if until:
        published.append(documents.c.published <= until)
    return or_(
        _linked(times, "time", and_(*overlap)),
        and_(~_linked(times, "time", dated_time), *published),
    )


def _mention(span: Span | None) -> dict[str, Any]:
    if span is None:
        return {"start_offset": 0, "end_offset": 0, "mention_text": ""}
    return {"start_offset": span.start, "end_offset": span.end, "mention_text": span.text}
