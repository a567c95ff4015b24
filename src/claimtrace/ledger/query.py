"""The ledger as a Python object: ingest, query, show, conflicts, export.

>>> from claimtrace import Settings, Extractor
>>> ledger = Ledger("sqlite://")
>>> extractor = Extractor(Settings(model="rules"))
>>> doc = extractor.extract_text("Police said the bridge was closed.", published="2024-05-01")
>>> ledger.store.put(doc)
'stored'
>>> [row.source_name for row in ledger.claims(search="bridge")]
['Police']
>>> ledger.close()
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO, get_args

from claimtrace.config import Settings
from claimtrace.errors import ConfigError
from claimtrace.extractor import Extractor
from claimtrace.ingest import NO_METADATA, Metadata
from claimtrace.ledger.export import write_csv, write_jsonl
from claimtrace.ledger.ingest import IngestReport, ingest
from claimtrace.ledger.store import (
    ClaimFilter,
    ClaimRow,
    ClusterRow,
    ConflictRow,
    SourceRow,
    Store,
)
from claimtrace.records import Certainty, Extraction

__all__ = ["CERTAINTIES", "ClaimView", "ConflictView", "Ledger", "conflict_views", "date_bound"]

CERTAINTIES: tuple[str, ...] = get_args(Certainty)

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def date_bound(value: str | None, *, end: bool, name: str) -> str | None:
    """A ``--since``/``--until`` value as a ``YYYY-MM-DD`` bound; a year or month widens.

    >>> date_bound("2016-09", end=True, name="--until")
    '2016-09-30'
    >>> date_bound("2016", end=False, name="--since")
    '2016-01-01'
    """
    if value is None:
        return None
    match = _DATE.match(value.strip())
    if match is None:
        raise ConfigError(f"{name} {value!r}: give a date as YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(match[1]), match[2], match[3]
    if month is not None and not 1 <= int(month) <= 12:
        raise ConfigError(f"{name} {value!r}: no month {month}")
    if month is None:
        return f"{year:04d}-12-31" if end else f"{year:04d}-01-01"
    last = calendar.monthrange(year, int(month))[1]
    if day is None:
        return f"{year:04d}-{month}-{last:02d}" if end else f"{year:04d}-{month}-01"
    if not 1 <= int(day) <= last:
        raise ConfigError(f"{name} {value!r}: no day {day} in that month")
    return f"{year:04d}-{month}-{day}"


@dataclass(frozen=True, slots=True)
class ClaimView:
    """What ``show CLAIM_ID`` shows: the claim, its cluster, origins and conflicts."""

    row: ClaimRow
    cluster: ClusterRow | None
    corroborating: tuple[ClaimRow, ...]
    conflicts: tuple[ConflictRow, ...]


@dataclass(frozen=True, slots=True)
class ConflictView:
    """A conflict with both claims in full."""

    conflict: ConflictRow
    a: ClaimRow
    b: ClaimRow

    def as_json(self) -> dict[str, Any]:
        """The conflict as the CLI's and the API's JSON: kind, cluster (``None`` across
        clusters), evidence, and both claims."""
        return {
            "kind": self.conflict.kind,
            "cluster": self.conflict.cluster_id,
            "evidence": list(self.conflict.evidence),
            "a": self.a.as_json(),
            "b": self.b.as_json(),
        }


def conflict_views(
    store: Store, *, limit: int | None = None, offset: int = 0
) -> list[ConflictView]:
    """Stored conflicts with both claims in full (see :meth:`Store.conflicts` for the order)."""
    found = store.conflicts(limit=limit, offset=offset)
    ids = tuple(sorted({c.a for c in found} | {c.b for c in found}))
    rows = {row.claim.id: row for row in store.claims(ClaimFilter(claim_ids=ids))}
    return [ConflictView(c, rows[c.a], rows[c.b]) for c in found if c.a in rows and c.b in rows]


class Ledger:
    """A claim ledger in SQLite (a path) or PostgreSQL (a URL); see :mod:`claimtrace.ledger`.

    ``create=False`` refuses to make a new SQLite file (for read-only commands).
    """

    def __init__(self, db: str | None = None, *, create: bool = True) -> None:
        self.store = Store(db, create=create)

    def close(self) -> None:
        """Release the database connections."""
        self.store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def ingest(
        self,
        sources: Iterable[str],
        *,
        reprocess: bool = False,
        settings: Settings | None = None,
        extractor: Extractor | None = None,
        overrides: Metadata = NO_METADATA,
    ) -> IngestReport:
        """Extract and store every document in ``sources``; see :func:`ingest`."""
        extractor = extractor if extractor is not None else Extractor(settings)
        return ingest(self.store, extractor, sources, reprocess=reprocess, overrides=overrides)

    def claims(
        self,
        *,
        source: str | None = None,
        actor: str | None = None,
        about: str | None = None,
        place: str | None = None,
        since: str | None = None,
        until: str | None = None,
        certainty: str | None = None,
        search: str | None = None,
        limit: int | None = None,
    ) -> list[ClaimRow]:
        """Stored claims matching every condition given (case-insensitive substrings).

        ``source``: the source as written or its entity's name; ``about``: an entity the claim
        names, or words of its content; ``place``: a place name or country code; ``since`` /
        ``until``: the claim's dated times overlap the window, or, with none, the document was
        published in it; ``search``: full-text search of content and source (every word).
        """
        if certainty is not None and certainty not in CERTAINTIES:
            raise ConfigError(f"--certainty {certainty!r}: one of {', '.join(CERTAINTIES)}")
        if limit is not None and limit < 0:
            raise ConfigError(f"--limit {limit}: give a number of claims, 0 or more")
        where = ClaimFilter(
            source=source,
            actor=actor,
            about=about,
            place=place,
            since=date_bound(since, end=False, name="--since"),
            until=date_bound(until, end=True, name="--until"),
            certainty=certainty,
            search=search,
            limit=limit,
        )
        return self.store.claims(where)

    def sources(self, *, limit: int | None = None) -> list[SourceRow]:
        """Sources with their numbers of claims and documents, most claims first."""
        return self.store.sources(limit=limit)

    def actor(self, actor_id: str) -> SourceRow | None:
        """One actor's record by id (``a-…``), or ``None``."""
        return self.store.actor(actor_id)

    def document(self, document_id: str) -> Extraction | None:
        """A stored document's extraction, by full id or unambiguous prefix."""
        ids = self.store.find_document_ids(document_id)
        if len(ids) > 1:
            raise ConfigError(
                f"{document_id!r} is the start of {len(ids)} document ids; give more of it"
            )
        return self.store.extraction(ids[0]) if ids else None

    def claim(self, claim_id: str) -> ClaimView | None:
        """One claim with its cluster, the claims corroborating it, and its conflicts."""
        row = self.store.find_claim(claim_id)
        if row is None:
            return None
        cluster = self.store.cluster(claim_id)
        others = tuple(c for c in (cluster.claim_ids if cluster else ()) if c != claim_id)
        corroborating = tuple(self.store.claims(ClaimFilter(claim_ids=others))) if others else ()
        return ClaimView(
            row, cluster, corroborating, tuple(self.store.conflicts(claim_id=claim_id))
        )

    def conflicts(self, *, limit: int | None = None, offset: int = 0) -> list[ConflictView]:
        """Pairs of claims that disagree (numbers that cannot both hold; "X" against "not X"),
        within clusters first, then across them."""
        return conflict_views(self.store, limit=limit, offset=offset)

    def export_jsonl(self, handle: TextIO) -> int:
        """Write every stored extraction as one contract JSON object per line; the count."""
        return write_jsonl(self.store, handle)

    def export_csv(self, handle: TextIO) -> int:
        """Write one CSV row per stored claim (ACLED-like columns); the count of claims."""
        return write_csv(self.store, handle)
