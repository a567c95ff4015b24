"""0005: when each document was stored (``documents.ingested``), so that undated documents are
listed by ingest time, newest first, rather than in the arbitrary order of their ids.

Documents stored before this revision have no ingest time (``NULL``): they are listed after
those that have one, by id, until ``claimtrace ingest --reprocess`` stores them again.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("ingested", sa.String(32), nullable=True))


def downgrade() -> None:
    op.drop_column("documents", "ingested")
