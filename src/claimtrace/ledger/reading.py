"""Reading whole extractions back from the ledger's tables, on a connection the caller holds
(the store's reads, and a review filing a document again inside its own transaction).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, select

from claimtrace.ledger.schema import claims, documents, entities, places, quantities, times
from claimtrace.records import Extraction

__all__ = ["read_extractions", "records_by_document"]


def read_extractions(
    conn: Connection, ids: Sequence[str], *, reviewed: bool = False
) -> Iterator[Extraction]:
    """The stored extractions of ``ids``, on ``conn`` (see
    :meth:`~claimtrace.ledger.store.Store.extractions`)."""
    for chunk_start in range(0, len(ids), 200):
        chunk = ids[chunk_start : chunk_start + 200]
        heads = {
            row.id: row
            for row in conn.execute(
                select(documents.c.id, documents.c.text, documents.c.record).where(
                    documents.c.id.in_(chunk)
                )
            )
        }
        lists = {
            name: records_by_document(conn, table, chunk, reviewed=reviewed)
            for name, table in (
                ("claims", claims),
                ("entities", entities),
                ("places", places),
                ("quantities", quantities),
                ("times", times),
            )
        }
        for doc_id in chunk:
            head = heads.get(doc_id)
            if head is None:
                continue
            record = dict(head.record)
            record["document"] = {**record["document"], "text": head.text}
            for name, by_document in lists.items():
                record[name] = by_document.get(doc_id, [])
            yield Extraction.model_validate(record)


def records_by_document(
    conn: Connection, table: Table, document_ids: Sequence[str], *, reviewed: bool = False
) -> dict[str, list[Mapping[str, Any]]]:
    """The records of ``table`` by document, in order; for claims with ``reviewed``, each as
    reviewed (the rejected left out)."""
    found: dict[str, list[Mapping[str, Any]]] = {}
    reviewed = reviewed and table is claims
    columns = [table.c.document_id, table.c.record]
    if reviewed:
        columns += [claims.c.review, claims.c.reviewed]
    query = (
        select(*columns)
        .where(table.c.document_id.in_(document_ids))
        .order_by(table.c.document_id, table.c.ordinal)
    )
    for row in conn.execute(query):
        record = row.record
        if reviewed and row.review == "rejected":
            continue
        if reviewed and row.reviewed is not None:
            record = row.reviewed
        found.setdefault(row.document_id, []).append(record)
    return found
