"""Alembic migrations of the ledger's schema, run from code whenever a ledger is opened.

No ``alembic.ini``: :func:`alembic_config` builds the configuration in code, so users never run
``alembic`` themselves. Revisions live in ``versions/``; ``0001`` creates the whole schema.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from claimtrace.errors import ConfigError

__all__ = ["VERSION_TABLE", "alembic_config", "current_revision", "head_revision", "upgrade"]

#: A name of our own, so a PostgreSQL database shared with other tools keeps theirs apart.
VERSION_TABLE = "claimtrace_schema_version"


def alembic_config() -> Config:
    """Alembic's configuration, pointing at this package's ``env.py`` and ``versions/``."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    config.set_main_option("version_table", VERSION_TABLE)
    return config


def head_revision() -> str:
    """The newest revision this claimtrace knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at; ``None`` for an empty one."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision (a no-op when it is there already)."""
    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    current = current_revision(engine)
    if current == script.get_current_head():
        return
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise ConfigError(
            f"the ledger's schema is at revision {current}, which this claimtrace does not "
            "know: it was written by a newer version; upgrade claimtrace"
        )
    # One write transaction: concurrent openers of a new ledger queue here, and the second
    # finds the schema already made.
    with engine.connect().execution_options(claimtrace_write=True) as conn, conn.begin():
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
