"""Load a batch's output into the ledger (``batch --db``), after the shards are written.

Workers only write shard files; the client then stores each document through the ledger's one
writer (:meth:`claimtrace.ledger.Store.put`, one transaction per document). One writer keeps
corroboration (which reads and updates clusters across documents) free of write races; the
ledger skips documents it already holds from the same pipeline, so a re-run loads only what
is new. The ledger (SQLAlchemy) is imported only when ``--db`` is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from claimtrace.batch.output import Manifest, read_extractions
from claimtrace.errors import InputError
from claimtrace.records import Extraction

if TYPE_CHECKING:
    from claimtrace.ledger import Store

__all__ = ["LoadReport", "load_into_ledger", "open_ledger"]


@dataclass
class LoadReport:
    """How many documents the ledger took, already held, or refused."""

    stored: int = 0
    replaced: int = 0
    skipped: int = 0
    failed: list[InputError] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the run's summary.

        >>> LoadReport(stored=2, skipped=1).summary()
        'ledger: 2 stored, 0 replaced, 1 already there, 0 failed'
        """
        return (
            f"ledger: {self.stored} stored, {self.replaced} replaced, "
            f"{self.skipped} already there, {len(self.failed)} failed"
        )


def open_ledger(db: str) -> Store:
    """Open (create, migrate) the ledger at ``db`` before any work: a bad URL fails fast."""
    from claimtrace.ledger import Store

    return Store(db)


def load_into_ledger(
    store: Store,
    out: Path,
    manifests: Sequence[Manifest],
    on_document: Callable[[], None] | None = None,
) -> LoadReport:
    """Store every extraction of the output (in shard order); failures are reported, not raised."""
    from sqlalchemy.exc import SQLAlchemyError

    report = LoadReport()
    for text in read_extractions(out, manifests):
        extraction = Extraction.model_validate_json(text)
        try:
            outcome = store.put(extraction)
        except SQLAlchemyError as err:
            reason = " ".join(str(getattr(err, "orig", err) or err).split())
            report.failed.append(InputError(extraction.document.input, f"not stored: {reason}"))
        else:
            if outcome == "stored":
                report.stored += 1
            elif outcome == "replaced":
                report.replaced += 1
            else:
                report.skipped += 1
        if on_document is not None:
            on_document()
    return report
