"""0002: conflicts between claims of different clusters (``claim_conflicts``).

Claims added from this revision on are checked for conflicts with every earlier claim they are
compared with, not only within their cluster. Documents stored before it keep their
within-cluster conflicts; ``claimtrace ingest --reprocess`` finds theirs across clusters too.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "claim_conflicts",
        sa.Column("a", sa.String(80), primary_key=True),
        sa.Column("b", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("a_document_id", sa.String(64), nullable=False),
        sa.Column("b_document_id", sa.String(64), nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
    )
    op.create_index("ix_claim_conflicts_b", "claim_conflicts", ["b"])
    op.create_index("ix_claim_conflicts_a_document_id", "claim_conflicts", ["a_document_id"])
    op.create_index("ix_claim_conflicts_b_document_id", "claim_conflicts", ["b_document_id"])


def downgrade() -> None:
    op.drop_table("claim_conflicts")
