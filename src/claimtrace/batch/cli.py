"""The ``claimtrace batch`` command, registered on the main app by :mod:`claimtrace.cli`.

Nothing here imports Dask or pyarrow at module level: ``claimtrace extract`` loads this module
too (to list the command) and must not pay for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from claimtrace.batch.load import LoadReport, load_into_ledger, open_ledger
from claimtrace.batch.output import ERRORS, Format, Manifest
from claimtrace.batch.runner import BatchOptions, BatchSummary, dashboard_note, run_batch
from claimtrace.batch.shards import Shard
from claimtrace.cli_common import (
    EXIT_NOTHING,
    EXIT_PARTIAL,
    MaxBytesOption,
    ModelOption,
    QuietOption,
    SkipOption,
    stderr,
)
from claimtrace.config import load_settings

if TYPE_CHECKING:
    from claimtrace.ledger import Store

__all__ = ["batch"]


class BatchFormat(StrEnum):
    parquet = "parquet"
    jsonl = "jsonl"


def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files and directories: text, HTML, JSON-lines feeds, Parquet."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (a re-run resumes it).")],
    output_format: Annotated[
        list[BatchFormat] | None,
        typer.Option("--format", "-f", help="parquet (default) or jsonl; repeat for both."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Local worker processes (default: one per core)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://HOST:8786) instead of local workers."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            help="Then load the output into this ledger: a SQLite path or postgresql:// URL."
        ),
    ] = None,
    shard_size: Annotated[
        int | None,
        typer.Option(
            help="Documents (files, lines or rows) per shard (default: about 4 shards per "
            "worker, at most 200 documents; a re-run keeps the first run's size)."
        ),
    ] = None,
    model: ModelOption = None,
    skip: SkipOption = None,
    max_bytes: MaxBytesOption = None,
    quiet: QuietOption = False,
) -> None:
    """Extract a corpus on a Dask cluster into Parquet/JSONL shards (resumable)."""

    formats: list[Format] = []
    for chosen in output_format or [BatchFormat.parquet]:
        if chosen.value not in formats:
            formats.append(chosen.value)
    settings = load_settings(
        model=model, skip_stages=tuple(skip) if skip else None, max_document_bytes=max_bytes
    )
    options = BatchOptions(
        out=out.expanduser(),
        settings=settings,
        formats=tuple(formats),
        workers=workers,
        scheduler=scheduler,
        shard_size=shard_size,
    )
    store = open_ledger(db) if db is not None else None  # a bad --db fails before any work
    try:
        with _progress(quiet) as (on_start, on_shard):
            summary = run_batch(inputs, options, on_start=on_start, on_shard=on_shard)
        _report(summary, options.out, quiet=quiet)
        loaded = _load(store, summary, options.out, quiet=quiet) if store is not None else None
    finally:
        if store is not None:
            store.close()
    if summary.documents == 0:
        raise typer.Exit(EXIT_NOTHING)
    if summary.failures or summary.failed_shards or (loaded is not None and loaded.failed):
        raise typer.Exit(EXIT_PARTIAL)


def _load(store: Store, summary: BatchSummary, out: Path, *, quiet: bool) -> LoadReport:
    """Store the output in the ledger, with a bar over the documents."""
    progress = Progress(
        TextColumn("loading the ledger"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=quiet,
    )
    task = progress.add_task("load", total=summary.documents)
    with progress:
        report = load_into_ledger(
            store, out, summary.manifests, on_document=lambda: progress.advance(task)
        )
    for failure in report.failed:
        stderr.print(f"claimtrace: error: {failure.message}", markup=False)
    if not quiet:
        stderr.print(f"claimtrace: {report.summary()} ({store.shown})", markup=False)
    return report


Hooks = tuple[
    Callable[[str | None, int], None] | None, Callable[[Shard, Manifest | None], None] | None
]


@contextmanager
def _progress(quiet: bool) -> Iterator[Hooks]:
    """The dashboard address, then a Rich bar over the planned documents as shards finish."""
    if quiet:
        yield None, None
        return
    progress = Progress(
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )
    task = progress.add_task("batch", total=None)

    def on_start(dashboard: str | None, workers: int) -> None:
        where = f"; dashboard {dashboard}{dashboard_note()}" if dashboard else ""
        stderr.print(f"claimtrace: Dask with {workers} workers{where}", markup=False)
        progress.start()

    def on_shard(shard: Shard, manifest: Manifest | None) -> None:
        progress.advance(task, shard.count)

    try:
        yield on_start, on_shard
    finally:
        progress.stop()


def _report(summary: BatchSummary, out: Path, *, quiet: bool) -> None:
    for message in summary.problems:  # inputs not found or unreadable: few, and worth a line
        stderr.print(f"claimtrace: error: {message}", markup=False)
    for message in summary.failed_shards:
        stderr.print(f"claimtrace: error: shard {message}", markup=False)
    if summary.shards == 0 and summary.failures == 0:
        stderr.print("claimtrace: error: no documents found in the inputs")
        return
    if quiet:
        return
    done = f" ({summary.skipped} already done)" if summary.skipped else ""
    dropped = f", {summary.duplicates} repeated dropped" if summary.duplicates else ""
    stderr.print(
        f"claimtrace: {summary.documents} documents, {summary.claims} claims, "
        f"{summary.failures} failed{dropped}; {summary.shards} shards{done}; "
        f"{summary.seconds:.1f} s, {summary.docs_per_second:.1f} docs/s → {out}",
        markup=False,
    )
    if summary.failures:
        stderr.print(f"claimtrace: failed documents are listed in {out / ERRORS}", markup=False)
