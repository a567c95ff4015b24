"""0004: storage in proportion — index keys as 64-bit hashes of claim numbers, records packed.

``claim_keys`` held each key's text, the claim id and the document id, with two indexes: three
quarters of a ledger's bytes. It now holds ``(key hash, claim number)`` as its whole primary key
(no row id on SQLite), and ``claim_facts`` numbers the claims. The JSON records (``record``,
``facts``) are stored zlib-packed (:mod:`claimtrace.ledger.packing`); on SQLite their columns keep
their declared type (SQLite stores any value in any column, and changing a declared type means
copying ``documents``, which other tables cascade from), on PostgreSQL they become ``bytea``.
Values written before are repacked here; the reader takes plain JSON too. On SQLite
``claim_refs`` loses its row id (its primary key is the table). SQLite files shrink
on ``VACUUM``; until then the freed pages are reused.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

log = logging.getLogger(__name__)

_RECORDS = {
    "documents": ("id",),
    "claims": ("pk",),
    "entities": ("document_id", "id"),
    "places": ("document_id", "id"),
    "quantities": ("document_id", "id"),
    "times": ("document_id", "id"),
}


def upgrade() -> None:
    from claimtrace.ledger.packing import key_hash, pack, unpack

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.create_table(
        "claim_facts_new",
        sa.Column("n", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("claim_id", sa.String(80), nullable=False, unique=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE")),
        sa.Column("facts", sa.LargeBinary, nullable=False),
        sqlite_autoincrement=True,
    )
    order = "rowid" if sqlite else "document_id, claim_id"
    numbers: dict[str, int] = {}
    rows = bind.execute(
        sa.text(f"SELECT claim_id, document_id, facts FROM claim_facts ORDER BY {order}")
    )
    batch = []
    for n, (claim_id, document_id, facts) in enumerate(rows, start=1):
        numbers[claim_id] = n
        batch.append(
            {"n": n, "claim_id": claim_id, "document_id": document_id, "facts": pack(unpack(facts))}
        )
    new_facts = sa.table(
        "claim_facts_new",
        sa.column("n"),
        sa.column("claim_id"),
        sa.column("document_id"),
        sa.column("facts", sa.LargeBinary),
    )
    for start in range(0, len(batch), 1000):
        bind.execute(sa.insert(new_facts), batch[start : start + 1000])
    op.create_table(
        "claim_keys_new",
        sa.Column("key", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("claim", sa.Integer, primary_key=True, autoincrement=False),
        sqlite_with_rowid=False,
    )
    keys = bind.execute(
        sa.text(f"SELECT key, claim_id FROM claim_keys ORDER BY {'rowid' if sqlite else 'key'}")
    )
    pairs = sorted(
        {(key_hash(key), numbers[claim_id]) for key, claim_id in keys if claim_id in numbers}
    )
    new_keys = sa.table("claim_keys_new", sa.column("key"), sa.column("claim"))
    for start in range(0, len(pairs), 5000):
        bind.execute(
            sa.insert(new_keys), [{"key": k, "claim": c} for k, c in pairs[start : start + 5000]]
        )
    op.drop_table("claim_keys")
    op.drop_table("claim_facts")
    op.rename_table("claim_facts_new", "claim_facts")
    op.rename_table("claim_keys_new", "claim_keys")
    op.create_index("ix_claim_facts_document_id", "claim_facts", ["document_id"])
    if not sqlite:
        # a sequence that goes on after the numbers given here
        bind.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('claim_facts', 'n'), "
                "COALESCE((SELECT MAX(n) FROM claim_facts), 0) + 1, false)"
            )
        )
    _repack(bind, sqlite)
    if sqlite:
        _refs_without_rowid()
    log.info("0004: %d claims numbered, %d index keys kept", len(numbers), len(pairs))


def _refs_without_rowid() -> None:
    """On SQLite, ``claim_refs`` as its primary key alone (no row id, no second copy of it)."""
    op.create_table(
        "claim_refs_new",
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("claim_id", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("ordinal", sa.Integer, primary_key=True),
        sa.Column("ref_id", sa.String(80), nullable=False),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO claim_refs_new (document_id, claim_id, kind, ordinal, ref_id) "
        "SELECT document_id, claim_id, kind, ordinal, ref_id FROM claim_refs"
    )
    op.drop_table("claim_refs")
    op.rename_table("claim_refs_new", "claim_refs")
    op.create_index("ix_claim_refs_ref", "claim_refs", ["document_id", "kind", "ref_id"])


def _repack(bind: sa.Connection, sqlite: bool) -> None:
    """Pack the stored records (a PostgreSQL JSON column becomes ``bytea`` first)."""
    from claimtrace.ledger.packing import pack, unpack

    for table, key in _RECORDS.items():
        if not sqlite:
            op.alter_column(
                table,
                "record",
                type_=sa.LargeBinary,
                postgresql_using="convert_to(record::text, 'UTF8')",
            )
        target = sa.table(table, *(sa.column(k) for k in key), sa.column("record", sa.LargeBinary))
        rows = list(bind.execute(sa.select(*(target.c[k] for k in key), target.c.record)))
        condition = sa.and_(*(target.c[k] == sa.bindparam(f"k_{k}") for k in key))
        update = sa.update(target).where(condition).values(record=sa.bindparam("packed"))
        batch = [
            {**{f"k_{k}": row[i] for i, k in enumerate(key)}, "packed": pack(unpack(row[-1]))}
            for row in rows
        ]
        for start in range(0, len(batch), 1000):
            bind.execute(update, batch[start : start + 1000])


def downgrade() -> None:
    """Back to 0003: plain JSON records, and the key strings computed again from the facts (a
    hash cannot be read back), filed in claim order with the same bucket cap."""
    from claimtrace.ledger.cluster_store import _facts_from_json
    from claimtrace.ledger.corroborate import Corroborator, LinkRule, MemoryIndex
    from claimtrace.ledger.packing import unpack

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    _unpack_records(bind, sqlite)
    op.create_table(
        "claim_facts_old",
        sa.Column("claim_id", sa.String(80), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE")),
        sa.Column("facts", sa.JSON, nullable=False),
    )
    op.create_table(
        "claim_keys_old",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("claim_id", sa.String(80), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE")),
    )
    rows = list(
        bind.execute(sa.text("SELECT claim_id, document_id, facts FROM claim_facts ORDER BY n"))
    )
    old_facts = sa.table(
        "claim_facts_old",
        sa.column("claim_id"),
        sa.column("document_id"),
        sa.column("facts", sa.JSON),
    )
    facts = [_facts_from_json(unpack(row[2])) for row in rows]
    for start in range(0, len(rows), 1000):
        bind.execute(
            sa.insert(old_facts),
            [
                {"claim_id": r[0], "document_id": r[1], "facts": unpack(r[2])}
                for r in rows[start : start + 1000]
            ],
        )
    rule = LinkRule()
    corroborator = Corroborator(MemoryIndex(rule.max_bucket), rule)
    filled: dict[str, int] = {}
    old_keys = []
    for one in facts:
        if one.content and not corroborator._profile(one).bare:
            for key in sorted(set(corroborator.keys(one))):
                if filled.get(key, 0) < rule.max_bucket:
                    filled[key] = filled.get(key, 0) + 1
                    old_keys.append(
                        {"key": key, "claim_id": one.claim_id, "document_id": one.document_id}
                    )
    keys_table = sa.table(
        "claim_keys_old", sa.column("key"), sa.column("claim_id"), sa.column("document_id")
    )
    for start in range(0, len(old_keys), 5000):
        bind.execute(sa.insert(keys_table), old_keys[start : start + 5000])
    op.drop_table("claim_keys")
    op.drop_table("claim_facts")
    op.rename_table("claim_facts_old", "claim_facts")
    op.rename_table("claim_keys_old", "claim_keys")
    op.create_index("ix_claim_facts_document_id", "claim_facts", ["document_id"])
    op.create_index("ix_claim_keys_document_id", "claim_keys", ["document_id"])


def _unpack_records(bind: sa.Connection, sqlite: bool) -> None:
    """Write the packed records back as JSON text (a PostgreSQL column becomes JSON again)."""
    import json

    from claimtrace.ledger.packing import unpack

    for table, key in _RECORDS.items():
        target = sa.table(table, *(sa.column(k) for k in key), sa.column("record"))
        rows = list(bind.execute(sa.select(*(target.c[k] for k in key), target.c.record)))
        condition = sa.and_(*(target.c[k] == sa.bindparam(f"k_{k}") for k in key))
        plain = sa.LargeBinary if not sqlite else sa.Text
        update = (
            sa.update(target).where(condition).values(record=sa.bindparam("plain", type_=plain))
        )
        batch = [
            {
                **{f"k_{k}": row[i] for i, k in enumerate(key)},
                "plain": (
                    json.dumps(unpack(row[-1]))
                    if sqlite
                    else json.dumps(unpack(row[-1])).encode("utf-8")
                ),
            }
            for row in rows
        ]
        for start in range(0, len(batch), 1000):
            bind.execute(update, batch[start : start + 1000])
        if not sqlite:
            op.alter_column(
                table,
                "record",
                type_=sa.JSON,
                postgresql_using="convert_from(record, 'UTF8')::json",
            )
