"""0001: the whole ledger — documents, their records, full-text search and corroboration.

A revision is frozen once released: it spells out its tables rather than reading
``store.metadata``, which will move on. ``tests/ledger/test_store.py`` checks that the migrated
schema and ``store.metadata`` agree.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_DOC = "documents.id"


def _record(table: str, *columns: sa.Column[Any], surrogate: bool = False) -> None:
    """A per-document record table: document, id, order, version, its columns, its JSON."""
    head: list[sa.Column[Any]] = []
    if surrogate:
        head.append(sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True))
    op.create_table(
        table,
        *head,
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey(_DOC, ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("pipeline_version", sa.String(40), nullable=False),
        *columns,
        sa.Column("record", sa.JSON, nullable=False),
        sa.UniqueConstraint("document_id", "id", name=f"uq_{table}_document_id"),
    )


def _mention() -> list[sa.Column[Any]]:
    return [
        sa.Column("start_offset", sa.Integer, nullable=False),
        sa.Column("end_offset", sa.Integer, nullable=False),
        sa.Column("mention_text", sa.Text, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("pipeline_version", sa.String(40), nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("published", sa.String(10)),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("claim_count", sa.Integer, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_index("ix_documents_publisher", "documents", ["publisher"])

    _record(
        "claims",
        sa.Column("start_offset", sa.Integer, nullable=False),
        sa.Column("end_offset", sa.Integer, nullable=False),
        sa.Column("source_text", sa.Text),
        sa.Column("source_start", sa.Integer),
        sa.Column("source_end", sa.Integer),
        sa.Column("source_kind", sa.String(16), nullable=False),
        sa.Column("source_entity", sa.String(80)),
        sa.Column("cue_text", sa.Text),
        sa.Column("cue_start", sa.Integer),
        sa.Column("cue_end", sa.Integer),
        sa.Column("content_text", sa.Text, nullable=False),
        sa.Column("quote", sa.String(16), nullable=False),
        sa.Column("certainty", sa.String(16), nullable=False),
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("parent", sa.String(80)),
        sa.Column("confidence", sa.Float, nullable=False),
        surrogate=True,
    )
    op.create_index("ix_claims_certainty", "claims", ["certainty"])
    op.create_index("ix_claims_document_id", "claims", ["document_id"])
    op.create_index("ix_claims_id", "claims", ["id"])

    op.create_table(
        "claim_refs",
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey(_DOC, ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("claim_id", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("ordinal", sa.Integer, primary_key=True),
        sa.Column("ref_id", sa.String(80), nullable=False),
    )
    op.create_index("ix_claim_refs_ref", "claim_refs", ["document_id", "kind", "ref_id"])

    _record(
        "entities",
        *_mention(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
    )
    op.create_index("ix_entities_name", "entities", ["name"])
    _record(
        "places",
        *_mention(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("geonames_id", sa.Integer),
        sa.Column("feature", sa.String(16), nullable=False),
        sa.Column("country_code", sa.String(3)),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("role", sa.String(12)),
        sa.Column("confidence", sa.Float, nullable=False),
    )
    op.create_index("ix_places_name", "places", ["name"])
    _record(
        "quantities",
        *_mention(),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("low", sa.Float, nullable=False),
        sa.Column("high", sa.Float, nullable=False),
        sa.Column("best", sa.Float),
        sa.Column("approximate", sa.Boolean, nullable=False),
        sa.Column("counted", sa.Text),
        sa.Column("unit", sa.Text),
    )
    _record(
        "times",
        *_mention(),
        sa.Column("value", sa.Text),
        sa.Column("start_date", sa.String(10)),
        sa.Column("end_date", sa.String(10)),
        sa.Column("precision", sa.String(10), nullable=False),
        sa.Column("anchor", sa.String(10), nullable=False),
    )

    _corroboration()
    _full_text_search()


def _corroboration() -> None:
    def document_id() -> sa.Column[Any]:
        return sa.Column("document_id", sa.String(64), sa.ForeignKey(_DOC, ondelete="CASCADE"))

    op.create_table(
        "claim_facts",
        sa.Column("claim_id", sa.String(80), primary_key=True),
        document_id(),
        sa.Column("facts", sa.JSON, nullable=False),
    )
    op.create_index("ix_claim_facts_document_id", "claim_facts", ["document_id"])
    op.create_table(
        "claim_keys",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("claim_id", sa.String(80), primary_key=True),
        document_id(),
    )
    op.create_index("ix_claim_keys_document_id", "claim_keys", ["document_id"])
    op.create_table(
        "claim_links",
        sa.Column("a", sa.String(80), primary_key=True),
        sa.Column("b", sa.String(80), primary_key=True),
        sa.Column("a_document_id", sa.String(64), nullable=False),
        sa.Column("b_document_id", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
    )
    op.create_index("ix_claim_links_b", "claim_links", ["b"])
    op.create_index("ix_claim_links_a_document_id", "claim_links", ["a_document_id"])
    op.create_index("ix_claim_links_b_document_id", "claim_links", ["b_document_id"])
    op.create_table(
        "claim_clusters",
        sa.Column("claim_id", sa.String(80), primary_key=True),
        document_id(),
        sa.Column("cluster_id", sa.String(80), nullable=False),
    )
    op.create_index("ix_claim_clusters_document_id", "claim_clusters", ["document_id"])
    op.create_index("ix_claim_clusters_cluster_id", "claim_clusters", ["cluster_id"])
    op.create_table(
        "clusters",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("origin_count", sa.Integer),
        sa.Column("origins", sa.JSON),
    )
    op.create_table(
        "conflicts",
        sa.Column("a", sa.String(80), primary_key=True),
        sa.Column("b", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("cluster_id", sa.String(80), nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
    )
    op.create_index("ix_conflicts_cluster_id", "conflicts", ["cluster_id"])


def _full_text_search() -> None:
    """FTS5 kept in step by triggers on SQLite; a generated tsvector with GIN on PostgreSQL."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE claims ADD COLUMN content_tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english', coalesce(content_text, '') || ' ' || "
            "coalesce(source_text, ''))) STORED"
        )
        op.execute("CREATE INDEX ix_claims_content_tsv ON claims USING gin (content_tsv)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE claims_fts USING fts5(content_text, source_text, "
        "content='claims', content_rowid='pk', tokenize='porter unicode61 remove_diacritics 2')"
    )
    new = "new.pk, new.content_text, new.source_text"
    old = "'delete', old.pk, old.content_text, old.source_text"
    columns = "rowid, content_text, source_text"
    op.execute(
        f"CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN "
        f"INSERT INTO claims_fts({columns}) VALUES ({new}); END"
    )
    op.execute(
        f"CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN "
        f"INSERT INTO claims_fts(claims_fts, {columns}) VALUES ({old}); END"
    )
    op.execute(
        f"CREATE TRIGGER claims_fts_update AFTER UPDATE ON claims BEGIN "
        f"INSERT INTO claims_fts(claims_fts, {columns}) VALUES ({old}); "
        f"INSERT INTO claims_fts({columns}) VALUES ({new}); END"
    )


def downgrade() -> None:
    for table in (
        "conflicts",
        "clusters",
        "claim_clusters",
        "claim_links",
        "claim_keys",
        "claim_facts",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS claims_fts")
    for table in ("times", "quantities", "places", "entities", "claim_refs", "claims", "documents"):
        op.drop_table(table)
