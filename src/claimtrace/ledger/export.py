"""Exports: the contract records as JSON lines, and one CSV row per claim.

JSONL is exactly what ``claimtrace extract --format jsonl`` printed for each document, rebuilt
from the ledger. CSV follows ACLED's column names where they fit (``event_date``, ``actor1``,
``location``, ``latitude``…), so the claims open in the tools analysts already use.

**Spreadsheet formulas.** Document text and metadata come from anywhere, and a spreadsheet runs a
cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab, carriage return or line feed before
one) as a formula: a title such as ``=HYPERLINK("http://evil.example","x")`` would become a live
link. Every CSV cell therefore goes through :func:`spreadsheet_safe`, which puts an apostrophe
before such a cell (OWASP's advice on CSV injection), unless the whole cell is a plain number such
as ``-3`` or ``-0.5``, which a spreadsheet reads as that number and nothing else. The apostrophe
is kept by tools that read the CSV as text (pandas, ``csv``): strip a leading ``'`` there if
needed. Every cell is also quoted, so that a carriage return inside one (which Python's ``csv``
leaves bare when lines end in ``\n``) cannot split a row. JSONL is left as it is (no spreadsheet
reads it).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import TextIO

from claimtrace.ledger.store import Store
from claimtrace.records import Claim, Extraction, to_json

__all__ = [
    "CSV_COLUMNS",
    "claim_row",
    "spreadsheet_safe",
    "write_claim_rows",
    "write_csv",
    "write_jsonl",
]

CSV_COLUMNS: tuple[str, ...] = (
    "claim_id",
    "document_id",
    "review",
    "event_date",
    "time_precision",
    "time_value",
    "source",
    "source_kind",
    "source_entity",
    "cue",
    "certainty",
    "quote",
    "negated",
    "confidence",
    "content",
    "actor1",
    "actors",
    "location",
    "geonames_id",
    "country_code",
    "admin1",
    "latitude",
    "longitude",
    "counts",
    "count_low",
    "count_high",
    "counted",
    "cluster_id",
    "cluster_size",
    "origins",
    "parent",
    "published",
    "publisher",
    "title",
    "url",
)


#: First characters that make a spreadsheet read a cell as a formula (or run a DDE command); the
#: full-width forms are included, as some spreadsheets take them for the ASCII ones.
_FORMULA_STARTS = tuple("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def spreadsheet_safe(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet runs as a formula (see the module docstring).

    >>> print(spreadsheet_safe('=HYPERLINK("http://evil.example","x")'))
    '=HYPERLINK("http://evil.example","x")
    >>> print(spreadsheet_safe("@SUM(A1)"), spreadsheet_safe("-1+2"), spreadsheet_safe("+ 3"))
    '@SUM(A1) '-1+2 '+ 3
    >>> spreadsheet_safe("-3"), spreadsheet_safe("-0.5"), spreadsheet_safe("+1e3")
    ('-3', '-0.5', '+1e3')
    >>> spreadsheet_safe("Police said 40 were hurt"), spreadsheet_safe("")
    ('Police said 40 were hurt', '')
    """
    if value.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_claim_rows(handle: TextIO, rows: Iterable[Mapping[str, str]]) -> int:
    """The CSV header and ``rows`` (:data:`CSV_COLUMNS`), every cell made spreadsheet-safe;
    the number of rows. Every CSV of claims is written here."""
    writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_safe(row.get(column, "")) for column in CSV_COLUMNS])
        count += 1
    return count


def write_jsonl(store: Store, handle: TextIO, *, machine: bool = False) -> int:
    """Every stored extraction, one JSON object per line (sorted by document id); the count.
    Claims are as reviewed (corrections applied, rejected claims left out; a corrected claim's
    ``evidence`` names its reviews), or with ``machine`` exactly as extracted."""
    count = 0
    for extraction in store.extractions(reviewed=not machine):
        handle.write(to_json(extraction, indent=None) + "\n")
        count += 1
    return count


def write_csv(store: Store, handle: TextIO) -> int:
    """One row per stored claim as reviewed (rejected claims left out), in document then claim
    order, ``review`` saying machine, accepted or corrected; the number of claims."""
    return write_claim_rows(handle, _stored_rows(store))


def _stored_rows(store: Store) -> Iterable[dict[str, str]]:
    for extraction in store.extractions(reviewed=True):
        clusters = store.clusters_of([claim.id for claim in extraction.claims])
        states = store.review_states([extraction.document.id])
        for claim in extraction.claims:
            row = claim_row(extraction, claim)
            row["review"] = states.get(claim.id, "machine")
            cluster = clusters.get(claim.id)
            if cluster is not None:
                row["cluster_id"], size, origin_count = cluster
                row["cluster_size"] = str(size)
                row["origins"] = "" if origin_count is None else str(origin_count)
            yield row


def _bound(value: float | None) -> str:
    """A count's bound for CSV: empty when there is no count or the side is open."""
    return "" if value is None else f"{value:g}"


def claim_row(extraction: Extraction, claim: Claim) -> dict[str, str]:
    """The CSV columns of one claim (cluster columns left empty), as stored: not yet
    spreadsheet-safe (:func:`write_claim_rows` makes them so)."""
    document = extraction.document
    entities = {entity.id: entity for entity in extraction.entities}
    places = [p for p in extraction.places if p.id in set(claim.places)]
    times = [t for t in extraction.times if t.id in set(claim.times)]
    counts = [q for q in extraction.quantities if q.id in set(claim.quantities)]
    dated = next((t for t in times if t.start), None)
    place = places[0] if places else None
    first_count = next((q for q in counts if q.kind == "count"), None)
    source_entity = entities.get(claim.source_entity or "")
    return {
        "claim_id": claim.id,
        "document_id": document.id,
        "review": "machine",
        "event_date": dated.start or "" if dated else document.published or "",
        "time_precision": dated.precision if dated else ("published" if document.published else ""),
        "time_value": dated.value or "" if dated else "",
        "source": claim.source.text if claim.source else "",
        "source_kind": claim.source_kind,
        "source_entity": source_entity.name if source_entity else "",
        "cue": claim.cue.text if claim.cue else "",
        "certainty": claim.certainty,
        "quote": claim.quote,
        "negated": "true" if claim.negated else "false",
        "confidence": f"{claim.confidence:g}",
        "content": " … ".join(part.text for part in claim.content),
        "actor1": source_entity.name
        if source_entity
        else (claim.source.text if claim.source else ""),
        "actors": "; ".join(entities[e].name for e in claim.entities if e in entities),
        "location": place.name if place else "",
        "geonames_id": str(place.geonames_id) if place and place.geonames_id is not None else "",
        "country_code": place.country_code or "" if place else "",
        "admin1": place.admin1 or "" if place else "",
        "latitude": "" if place is None or place.lat is None else f"{place.lat:g}",
        "longitude": "" if place is None or place.lon is None else f"{place.lon:g}",
        "counts": "; ".join(q.mention.text for q in counts),
        "count_low": _bound(first_count.low if first_count else None),
        "count_high": _bound(first_count.high if first_count else None),
        "counted": first_count.counted or "" if first_count else "",
        "cluster_id": "",
        "cluster_size": "",
        "origins": "",
        "parent": claim.parent or "",
        "published": document.published or "",
        "publisher": document.publisher or "",
        "title": document.title or "",
        "url": document.url or "",
    }
