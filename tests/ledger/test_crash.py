"""Kill an ingest midway (SIGKILL), run it again: the ledger must equal an uninterrupted run's."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from claimtrace.ledger import Store
from claimtrace.ledger.store import metadata
from tests.conftest import ROOT
from tests.ledger.conftest import write_corpus

DOCUMENTS = 30


def ingest_command(corpus: Path, db: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "claimtrace",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--model",
        "rules",
        "-q",
    ]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMTRACE_")}
    # One document per batch, so documents are stored one by one while the test watches.
    env["CLAIMTRACE_BATCH_SIZE"] = "1"
    env["PYTHONPATH"] = str(ROOT)
    return env


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is not made yet
        return 0


# Columns that differ between two runs by nature: the surrogate key and the time of ingest.
VOLATILE = frozenset({"pk", "ingested"})


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, volatile columns left out, in a canonical order."""
    with Store(str(db), create=False) as store, store.engine.connect() as conn:
        tables = {
            table.name: sorted(
                (
                    tuple(repr(v) for v in row)
                    for row in conn.execute(
                        select(*[c for c in table.columns if c.name not in VOLATILE])
                    )
                ),
            )
            for table in metadata.sorted_tables
        }
        tables["claims_fts"] = sorted(
            conn.exec_driver_sql(
                "SELECT c.id FROM claims_fts JOIN claims c ON c.pk = claims_fts.rowid "
                "WHERE claims_fts MATCH 'sector'"
            ).fetchall()
        )
    return tables


@pytest.mark.slow
def test_killed_ingest_resumes_to_the_same_ledger(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", DOCUMENTS, sentences=10)
    reference, crashed = tmp_path / "reference.db", tmp_path / "crashed.db"
    done = subprocess.run(ingest_command(corpus, reference), env=environment(), timeout=300)
    assert done.returncode == 0

    process = subprocess.Popen(ingest_command(corpus, crashed), env=environment())
    try:
        deadline = time.monotonic() + 120
        while stored(crashed) < 3 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert process.returncode == -signal.SIGKILL
    at_kill = stored(crashed)
    assert 0 < at_kill < DOCUMENTS, "the kill must land midway for the test to mean anything"

    resumed = subprocess.run(ingest_command(corpus, crashed), env=environment(), timeout=300)
    assert resumed.returncode == 0
    expected, got = dump(reference), dump(crashed)
    with sqlite3.connect(crashed) as conn:  # left out of the comparison, but always recorded
        assert conn.execute("SELECT count(*) FROM documents WHERE ingested IS NULL").fetchone() == (
            0,
        )
    assert len(expected["documents"]) == DOCUMENTS
    assert len(expected["claims_fts"]) > 0
    assert got == expected
