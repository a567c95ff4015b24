"""0006: reviews. What people decided about claims (accept, reject, correct a field) and actors
(merge, split), kept append-only in ``reviews`` and ``actor_reviews``; ``claims.review`` says
which claims a review changed (NULL: as extracted) and ``claims.reviewed`` holds the claim after its
reviews (the extraction's own record is never changed).

A ledger from before has no reviews: every claim stays as the machine extracted it.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("claims", sa.Column("review", sa.String(10), nullable=True))
    op.add_column("claims", sa.Column("reviewed", sa.LargeBinary, nullable=True))
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("claim_id", sa.String(80), nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("field", sa.String(12)),
        sa.Column("value", sa.JSON),
        sa.Column("machine", sa.JSON, nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("reviewed_at", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("pipeline_version", sa.String(40), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sqlite_autoincrement=True,
    )
    for column in ("claim_id", "document_id", "state"):
        op.create_index(f"ix_reviews_{column}", "reviews", [column])
    op.create_table(
        "actor_reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("actor_id", sa.String(20), nullable=False),
        sa.Column("into_id", sa.String(20)),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("reviewed_at", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("state", sa.String(12), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_actor_reviews_actor_id", "actor_reviews", ["actor_id"])


def downgrade() -> None:
    op.drop_index("ix_actor_reviews_actor_id", "actor_reviews")
    op.drop_table("actor_reviews")
    for column in ("claim_id", "document_id", "state"):
        op.drop_index(f"ix_reviews_{column}", "reviews")
    op.drop_table("reviews")
    op.drop_column("claims", "reviewed")
    op.drop_column("claims", "review")
