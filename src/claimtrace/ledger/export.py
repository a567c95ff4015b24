"""Exports: the contract records as JSON lines, and one CSV row per claim.

JSONL is exactly what ``claimtrace extract --format jsonl`` printed for each document, rebuilt
from the ledger. CSV follows ACLED's column names where they fit (``event_date``, ``actor1``,
``location``, ``latitude``…), so the claims open in the tools analysts already use.
"""

from __future__ import annotations

import csv
from typing import TextIO

from claimtrace.ledger.store import Store
from claimtrace.records import Claim, Extraction, to_json

__all__ = ["CSV_COLUMNS", "claim_row", "write_csv", "write_jsonl"]

CSV_COLUMNS: tuple[str, ...] = (
    "claim_id",
    "document_id",
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


def write_jsonl(store: Store, handle: TextIO) -> int:
    """Every stored extraction, one JSON object per line (sorted by document id); the count."""
    count = 0
    for extraction in store.extractions():
        handle.write(to_json(extraction, indent=None) + "\n")
        count += 1
    return count


def write_csv(store: Store, handle: TextIO) -> int:
    """One row per stored claim, in document then claim order; the number of claims."""
    writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for extraction in store.extractions():
        clusters = store.clusters_of([claim.id for claim in extraction.claims])
        for claim in extraction.claims:
            row = claim_row(extraction, claim)
            cluster = clusters.get(claim.id)
            if cluster is not None:
                row["cluster_id"], size, origin_count = cluster
                row["cluster_size"] = str(size)
                row["origins"] = "" if origin_count is None else str(origin_count)
            writer.writerow(row)
            count += 1
    return count


def claim_row(extraction: Extraction, claim: Claim) -> dict[str, str]:
    """The CSV columns of one claim (cluster columns left empty)."""
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
        "count_low": f"{first_count.low:g}" if first_count else "",
        "count_high": f"{first_count.high:g}" if first_count else "",
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
