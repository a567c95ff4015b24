"""The ledger: extractions stored in SQLite or PostgreSQL, corroborated, queried, exported.

``store.py`` is the only module that talks SQL; ``corroborate.py`` links claims across
documents; ``ingest.py`` fills the ledger; ``query.py`` holds :class:`Ledger`, the Python API
that the ``claimtrace ingest|claims|sources|show|conflicts|export`` commands sit on.
"""

from claimtrace.ledger.ingest import IngestReport, ingest
from claimtrace.ledger.query import ClaimView, ConflictView, Ledger
from claimtrace.ledger.store import (
    DEFAULT_DB,
    ClaimFilter,
    ClaimRow,
    ClusterRow,
    ConflictRow,
    SourceRow,
    Store,
    resolve_url,
)

__all__ = [
    "DEFAULT_DB",
    "ClaimFilter",
    "ClaimRow",
    "ClaimView",
    "ClusterRow",
    "ConflictRow",
    "ConflictView",
    "IngestReport",
    "Ledger",
    "SourceRow",
    "Store",
    "ingest",
    "resolve_url",
]
