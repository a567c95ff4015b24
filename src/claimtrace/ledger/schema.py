"""The ledger's tables (SQLAlchemy Core metadata): the schema the migrations build.

:mod:`claimtrace.ledger.store` reads and writes them; the migrations in
:mod:`claimtrace.ledger.migrations` create and upgrade them, and a test checks that a migrated
ledger and this metadata agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from claimtrace.ledger.packing import PackedJSON
from claimtrace.records import Claim

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("pipeline_version", String(40), nullable=False),
    Column("model", Text, nullable=False),
    Column("published", String(10), index=True),
    Column("title", Text),
    Column("url", Text),
    Column("publisher", Text, index=True),
    Column("input", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("claim_count", Integer, nullable=False),
    # When the document was stored (UTC, ISO 8601 to the second); NULL for documents stored
    # before migration 0005. Undated documents are listed by it.
    Column("ingested", String(32)),
    # The extraction without its text and record lists: schema version, document metadata,
    # repairs, sentences and pipeline report.
    Column("record", PackedJSON, nullable=False),
)


def _record_columns(*extra: Column[Any]) -> list[Column[Any]]:
    """Columns every per-document record table shares: its document, id, order and version."""
    return [
        Column(
            "document_id",
            String(64),
            ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        Column("id", String(80), nullable=False),
        Column("ordinal", Integer, nullable=False),
        Column("pipeline_version", String(40), nullable=False),
        *extra,
        Column("record", PackedJSON, nullable=False),
    ]


claims = Table(
    "claims",
    metadata,
    # A surrogate integer key: FTS5 indexes rows by integer rowid.
    Column("pk", Integer, primary_key=True, autoincrement=True),
    *_record_columns(
        Column("start_offset", Integer, nullable=False),
        Column("end_offset", Integer, nullable=False),
        Column("source_text", Text),
        Column("source_start", Integer),
        Column("source_end", Integer),
        Column("source_kind", String(16), nullable=False),
        Column("source_entity", String(80)),
        Column("cue_text", Text),
        Column("cue_start", Integer),
        Column("cue_end", Integer),
        Column("content_text", Text, nullable=False),
        Column("quote", String(16), nullable=False),
        Column("certainty", String(16), nullable=False, index=True),
        Column("negated", Boolean, nullable=False),
        Column("parent", String(80)),
        Column("confidence", Float, nullable=False),
        # What a person decided (migration 0006): NULL for the machine's claim as extracted,
        # else accepted, corrected or rejected. The columns above then hold the reviewed values
        # (what queries filter on); ``record`` keeps the extraction as it came.
        Column("review", String(10)),
        # The claim record after its reviews (the contract's form, evidence naming the reviews);
        # NULL when no review changed it.
        Column("reviewed", PackedJSON),
    ),
    UniqueConstraint("document_id", "id", name="uq_claims_document_id"),
    Index("ix_claims_document_id", "document_id"),
    Index("ix_claims_id", "id"),
)


def claim_columns(claim: Claim) -> dict[str, Any]:
    """The ``claims`` columns that queries filter on, from a claim (its record aside)."""
    parts = claim.content
    return {
        "start_offset": min((p.start for p in parts), default=0),
        "end_offset": max((p.end for p in parts), default=0),
        "source_text": claim.source.text if claim.source else None,
        "source_start": claim.source.start if claim.source else None,
        "source_end": claim.source.end if claim.source else None,
        "source_kind": claim.source_kind,
        "source_entity": claim.source_entity,
        "cue_text": claim.cue.text if claim.cue else None,
        "cue_start": claim.cue.start if claim.cue else None,
        "cue_end": claim.cue.end if claim.cue else None,
        "content_text": " … ".join(part.text for part in parts),
        "quote": claim.quote,
        "certainty": claim.certainty,
        "negated": claim.negated,
        "parent": claim.parent,
        "confidence": claim.confidence,
    }


# Which entities, places, quantities and times each claim names, in order.
claim_refs = Table(
    "claim_refs",
    metadata,
    Column(
        "document_id",
        String(64),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("claim_id", String(80), primary_key=True),
    Column("kind", String(10), primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    Column("ref_id", String(80), nullable=False),
    Index("ix_claim_refs_ref", "document_id", "kind", "ref_id"),
    sqlite_with_rowid=False,
)


def _mention_columns() -> list[Column[Any]]:
    return [
        Column("start_offset", Integer, nullable=False),
        Column("end_offset", Integer, nullable=False),
        Column("mention_text", Text, nullable=False),
    ]


entities = Table(
    "entities",
    metadata,
    *_record_columns(
        *_mention_columns(),
        Column("name", Text, nullable=False, index=True),
        Column("type", String(8), nullable=False),
    ),
    UniqueConstraint("document_id", "id", name="uq_entities_document_id"),
)

places = Table(
    "places",
    metadata,
    *_record_columns(
        *_mention_columns(),
        Column("name", Text, nullable=False, index=True),
        Column("geonames_id", Integer),
        Column("feature", String(16), nullable=False),
        Column("country_code", String(3)),
        Column("admin1", Text),
        Column("lat", Float),
        Column("lon", Float),
        Column("role", String(12)),
        Column("confidence", Float, nullable=False),
    ),
    UniqueConstraint("document_id", "id", name="uq_places_document_id"),
)

quantities = Table(
    "quantities",
    metadata,
    *_record_columns(
        *_mention_columns(),
        Column("kind", String(10), nullable=False),
        Column("low", Float, nullable=False),
        Column("high", Float, nullable=False),
        Column("best", Float),
        Column("approximate", Boolean, nullable=False),
        Column("counted", Text),
        Column("unit", Text),
    ),
    UniqueConstraint("document_id", "id", name="uq_quantities_document_id"),
)

times = Table(
    "times",
    metadata,
    *_record_columns(
        *_mention_columns(),
        Column("value", Text),
        Column("start_date", String(10)),
        Column("end_date", String(10)),
        Column("precision", String(10), nullable=False),
        Column("anchor", String(10), nullable=False),
    ),
    UniqueConstraint("document_id", "id", name="uq_times_document_id"),
)

#: Per-document record tables, children first (the order deletes run in).
RECORD_TABLES: tuple[Table, ...] = (claim_refs, claims, entities, places, quantities, times)

# Corroboration (see corroborate.py): each claim's facts and index keys, the links found
# between claims, every claim's cluster, and what each cluster of two or more claims reports.
claim_facts = Table(
    "claim_facts",
    metadata,
    # a number per claim, in the order claims were filed: what ``claim_keys`` refers to
    Column("n", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", String(80), nullable=False, unique=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), index=True),
    Column("facts", PackedJSON, nullable=False),
    sqlite_autoincrement=True,  # numbers are never reused, so a stale key can name no new claim
)

# (key hash, claim number): the buckets candidates are looked up in. No row id and no other
# index on SQLite: the primary key is the table, so a key costs about 20 bytes.
claim_keys = Table(
    "claim_keys",
    metadata,
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    Column("claim", Integer, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

claim_links = Table(
    "claim_links",
    metadata,
    Column("a", String(80), primary_key=True),
    Column("b", String(80), primary_key=True, index=True),
    Column("a_document_id", String(64), nullable=False, index=True),
    Column("b_document_id", String(64), nullable=False, index=True),
    Column("score", Float, nullable=False),
    Column("evidence", JSON, nullable=False),
)

claim_clusters = Table(
    "claim_clusters",
    metadata,
    Column("claim_id", String(80), primary_key=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), index=True),
    Column("cluster_id", String(80), nullable=False, index=True),
)

clusters = Table(
    "clusters",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("origin_count", Integer),
    Column("origins", JSON),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("a", String(80), primary_key=True),
    Column("b", String(80), primary_key=True),
    Column("kind", String(10), primary_key=True),
    Column("cluster_id", String(80), nullable=False, index=True),
    Column("evidence", JSON, nullable=False),
)

# Conflicts found when a claim is added, between it and the earlier claims it was compared with
# (same statement with the other polarity; counts of one thing about a shared entity or place),
# whether or not the two end up in one cluster. Kept by document like ``claim_links``.
claim_conflicts = Table(
    "claim_conflicts",
    metadata,
    Column("a", String(80), primary_key=True),
    Column("b", String(80), primary_key=True, index=True),
    Column("kind", String(10), primary_key=True),
    Column("a_document_id", String(64), nullable=False, index=True),
    Column("b_document_id", String(64), nullable=False, index=True),
    Column("evidence", JSON, nullable=False),
)

# Actors (see actors.py and actor_store.py): each named claim source's normalised name and the
# actor it was decided to be, and each actor's record. A claim's actor is decided again whenever
# its group (the people of one surname, the forms of one organisation name) changes.
claim_actors = Table(
    "claim_actors",
    metadata,
    Column("claim_id", String(80), primary_key=True),
    Column(
        "document_id",
        String(64),
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("actor_type", String(16), nullable=False),
    Column("name_group", String(200), nullable=False),
    Column("base", Text, nullable=False),
    Column("middle", String(40), nullable=False),
    Column("surface", Text, nullable=False),
    Column("roles", JSON, nullable=False),
    Column("affiliations", JSON, nullable=False),
    Column("rule", String(20), nullable=False),
    Column("actor_key", Text, nullable=False),
    Column("actor_id", String(20), nullable=False, index=True),
    Index("ix_claim_actors_group", "actor_type", "name_group"),
)

actors = Table(
    "actors",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("key", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("name", Text, nullable=False, index=True),
    Column("aliases", JSON, nullable=False),
    Column("roles", JSON, nullable=False),
    Column("affiliations", JSON, nullable=False),
    Column("claims", Integer, nullable=False, index=True),
    Column("documents", Integer, nullable=False),
    Column("first_seen", String(10)),
    Column("last_seen", String(10)),
)

# Reviews (migration 0006; see reviews.py and review_store.py): what people decided about claims
# and actors, append-only. A review is never deleted: a later one on the same claim and field
# supersedes it, and one whose claim changed under a new extraction turns stale. No foreign key to
# ``documents``: a review outlives the extraction it was made on.
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", String(80), nullable=False, index=True),
    Column("document_id", String(64), nullable=False, index=True),
    Column("action", String(10), nullable=False),  # accept, reject, correct
    Column("field", String(12)),  # for a correction: source, cue, content, certainty, negated
    Column("value", JSON),  # the reviewed value (see reviews.py)
    Column("machine", JSON, nullable=False),  # the claim as the machine had it when reviewed
    Column("reviewer", String(100), nullable=False),
    Column("reviewed_at", String(32), nullable=False),
    Column("reason", Text),
    Column("pipeline_version", String(40), nullable=False),
    Column("state", String(12), nullable=False, index=True),  # active, superseded, stale
    sqlite_autoincrement=True,
)

# Actor merges and splits: merge folds one actor into another; split undoes a merge.
actor_reviews = Table(
    "actor_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(8), nullable=False),  # merge, split
    Column("actor_id", String(20), nullable=False, index=True),
    Column("into_id", String(20)),
    Column("reviewer", String(100), nullable=False),
    Column("reviewed_at", String(32), nullable=False),
    Column("reason", Text),
    Column("state", String(12), nullable=False),  # active, superseded
    sqlite_autoincrement=True,
)
