"""Extract documents into the ledger: idempotent, one transaction per document.

A document already stored by this pipeline (same document id, claimtrace version and model) is
skipped *before* the language pipeline runs, so re-running an interrupted ingest costs only the
reading of what is already in. Each document and its clusters are written in one transaction
(:meth:`~claimtrace.ledger.store.Store.put`): a run killed at any moment leaves whole documents
only, and the next run finishes the job with no duplicates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.exc import IntegrityError, OperationalError

from claimtrace._version import __version__
from claimtrace.errors import InputError
from claimtrace.extractor import Extractor
from claimtrace.ingest import NO_METADATA, Metadata, RawInput, build_document, iter_inputs
from claimtrace.ingest.sidecar import MetadataTable
from claimtrace.ledger.store import Store
from claimtrace.records import DocumentRecord

__all__ = ["IngestReport", "Outcome", "ingest"]

logger = logging.getLogger(__name__)

Outcome = Literal["stored", "replaced", "skipped", "failed"]


@dataclass
class IngestReport:
    """What an ingest did: document ids stored or replaced, inputs skipped, failures."""

    stored: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[InputError] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Every input seen."""
        return len(self.stored) + len(self.replaced) + len(self.skipped) + len(self.failed)

    def summary(self) -> str:
        """One line: the counts, e.g. ``3 stored, 1 skipped (already in the ledger), 0 failed``.

        >>> IngestReport(stored=["a", "b"], skipped=["c"]).summary()
        '2 stored, 1 skipped (already in the ledger), 0 failed'
        """
        parts = [f"{len(self.stored)} stored"]
        if self.replaced:
            parts.append(f"{len(self.replaced)} replaced")
        parts.append(f"{len(self.skipped)} skipped (already in the ledger)")
        parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts)


def ingest(
    store: Store,
    extractor: Extractor,
    sources: Iterable[str],
    *,
    reprocess: bool = False,
    overrides: Metadata = NO_METADATA,
    encoding: str | None = None,
    on_document: Callable[[Outcome], None] | None = None,
    metadata: MetadataTable | None = None,
) -> IngestReport:
    """Extract every document in ``sources`` (files, folders, feeds) and store it.

    ``reprocess`` extracts and replaces documents already stored by this pipeline.
    ``metadata`` gives documents their rows of a metadata table (``overrides`` win over it).
    ``on_document`` is told the outcome of each input as it is settled (for a progress bar).
    """
    report = IngestReport()
    seen: set[str] = set()

    def settled(outcome: Outcome) -> None:
        if on_document is not None:
            on_document(outcome)

    raw = iter_inputs(sources, max_bytes=extractor.settings.max_document_bytes)
    pending = _pending(
        store, extractor, raw, report, settled, reprocess, overrides, encoding, metadata
    )
    for result in extractor.extract_documents(pending):
        if isinstance(result, InputError):
            report.failed.append(result)
            settled("failed")
            continue
        document_id = result.document.id
        try:
            outcome = store.put(result, replace=reprocess and document_id not in seen)
        except IntegrityError as err:
            reason = " ".join(str(err.orig).split())
            report.failed.append(InputError(result.document.input, f"not stored: {reason}"))
            settled("failed")
            continue
        except OperationalError:
            raise  # the database itself (locked, full, gone): no document can be stored
        except Exception as err:  # a bug on this document: its transaction was rolled back
            logger.debug("storing %s failed", result.document.input, exc_info=err)
            report.failed.append(
                InputError(
                    result.document.input,
                    f"not stored: {type(err).__name__}: {err} (a bug: please report it)",
                )
            )
            settled("failed")
            continue
        seen.add(document_id)
        if outcome == "skipped":
            # The same text twice in one run: the second copy is the first document.
            report.skipped.append(result.document.input)
        elif outcome == "replaced":
            report.replaced.append(document_id)
        else:
            report.stored.append(document_id)
        settled(outcome)
    return report


def _pending(
    store: Store,
    extractor: Extractor,
    inputs: Iterable[RawInput | InputError],
    report: IngestReport,
    settled: Callable[[Outcome], None],
    reprocess: bool,
    overrides: Metadata,
    encoding: str | None,
    metadata: MetadataTable | None = None,
) -> Iterator[DocumentRecord | InputError]:
    """The documents still to extract: built once (decoded, repaired, hashed), and skipped
    before parsing when this pipeline has stored them already."""
    pipeline = (__version__, extractor.model)
    for item in inputs:
        if isinstance(item, InputError):
            yield item
            continue
        row = metadata.lookup(item.name) if metadata is not None else None
        try:
            document = build_document(
                item, overrides if row is None else overrides.over(row), encoding
            )
        except InputError as err:
            yield err
            continue
        if not reprocess and store.stored_pipeline(document.id) == pipeline:
            report.skipped.append(item.name)
            settled("skipped")
            continue
        yield document
