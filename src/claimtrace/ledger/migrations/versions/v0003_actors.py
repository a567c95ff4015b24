"""0003: actors (``claim_actors``, ``actors``): the person or organisation each named source is.

A ledger written before this revision gets its actors from the claims and entities it already
holds: every named source is filed and every group decided, as an ingest from this revision on
does for each new document.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "claim_actors",
        sa.Column("claim_id", sa.String(80), primary_key=True),
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("actor_type", sa.String(16), nullable=False),
        sa.Column("name_group", sa.String(200), nullable=False),
        sa.Column("base", sa.Text, nullable=False),
        sa.Column("middle", sa.String(40), nullable=False),
        sa.Column("surface", sa.Text, nullable=False),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("affiliations", sa.JSON, nullable=False),
        sa.Column("rule", sa.String(20), nullable=False),
        sa.Column("actor_key", sa.Text, nullable=False),
        sa.Column("actor_id", sa.String(20), nullable=False),
    )
    op.create_index("ix_claim_actors_document_id", "claim_actors", ["document_id"])
    op.create_index("ix_claim_actors_actor_id", "claim_actors", ["actor_id"])
    op.create_index("ix_claim_actors_group", "claim_actors", ["actor_type", "name_group"])
    op.create_table(
        "actors",
        sa.Column("id", sa.String(20), primary_key=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("affiliations", sa.JSON, nullable=False),
        sa.Column("claims", sa.Integer, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.String(10)),
        sa.Column("last_seen", sa.String(10)),
    )
    op.create_index("ix_actors_name", "actors", ["name"])
    op.create_index("ix_actors_claims", "actors", ["claims"])
    # the package's own code files the stored documents' named sources (imported here, not at
    # the top: Alembic imports every revision to read the chain)
    from claimtrace.ledger.actor_store import backfill_actors

    backfill_actors(op.get_bind(), reviewed=False)  # no reviews before 0006


def downgrade() -> None:
    op.drop_table("actors")
    op.drop_table("claim_actors")
