"""Alembic's environment: migrate over the connection :func:`upgrade` passes in.

Imported by Alembic while migrating; importing it anywhere else (doctest collection) does nothing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection


def _run(connection: Connection, version_table: str) -> None:
    context.configure(
        connection=connection,
        version_table=version_table,
        # SQLite alters tables by copying them; later revisions need batch mode there.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


_config = getattr(context, "config", None)
if _config is not None:
    _connection = _config.attributes.get("connection")
    if not isinstance(_connection, Connection):
        raise RuntimeError("claimtrace migrations run only through claimtrace.ledger.migrations")
    _run(_connection, _config.get_main_option("version_table") or "alembic_version")
