"""The ledger's commands: ``ingest``, ``claims``, ``sources``, ``show``, ``conflicts``, ``export``
(the review commands are in :mod:`claimtrace.ledger.review_cli`).

Thin commands over :class:`~claimtrace.ledger.Ledger`, registered on the main app by
:func:`register`. Exit codes are those of ``claimtrace extract``: 0 done, 1 nothing (no
documents, nothing found), 2 bad usage or settings (a bad ``--db`` included), 3 some inputs
failed. Errors are one line on stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import DBAPIError

from claimtrace.cli_common import (
    EXIT_NOTHING,
    EXIT_PARTIAL,
    DbOption,
    ModelOption,
    QuietOption,
    atomic_output,
    progress,
    stderr,
)
from claimtrace.config import load_settings
from claimtrace.errors import ConfigError
from claimtrace.extractor import Extractor
from claimtrace.ingest import count_inputs
from claimtrace.ingest.sidecar import load_metadata_table
from claimtrace.ledger.export import claim_row, write_claim_rows, write_csv, write_jsonl
from claimtrace.ledger.ingest import IngestReport, ingest
from claimtrace.ledger.query import ClaimView, Ledger
from claimtrace.ledger.store import ClaimFilter, ClaimRow, SourceRow
from claimtrace.records import Extraction, to_json

__all__ = ["plain", "register"]


Limit = Annotated[int | None, typer.Option("--limit", "-n", help="Show at most this many.")]


class ClaimsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ViewFormat(StrEnum):
    table = "table"
    json = "json"


ViewFormatOption = Annotated[ViewFormat, typer.Option("--format", "-f", help="table or json.")]


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


def ingest_command(
    sources: Annotated[list[str], typer.Argument(help="Files, directories or JSON-lines feeds.")],
    db: DbOption = None,
    reprocess: Annotated[
        bool, typer.Option("--reprocess", help="Extract again and replace stored documents.")
    ] = False,
    model: ModelOption = None,
    quiet: QuietOption = False,
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            help="A CSV/TSV of published, title, url, publisher per file name (a file column).",
        ),
    ] = None,
) -> None:
    """Extract articles and store them in the ledger (idempotent; safe to re-run)."""
    if "-" in sources:
        raise typer.BadParameter("the ledger ingests files, folders and feeds, not stdin")
    table = load_metadata_table(metadata) if metadata is not None else None
    extractor = Extractor(load_settings(model=model))
    with _ledger(db) as ledger, progress("ingesting", quiet, count_inputs(sources)) as advance:
        report = ingest(
            ledger.store,
            extractor,
            sources,
            reprocess=reprocess,
            on_document=advance,
            metadata=table,
        )
    _finish_ingest(report, quiet=quiet)


def claims_command(
    db: DbOption = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Source as written, or its entity's or actor's name."),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="An actor's id (a-…, from `claimtrace sources`)."),
    ] = None,
    about: Annotated[
        str | None, typer.Option("--about", help="An entity the claim names, or content words.")
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="A place name or country code.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this date (YYYY-MM-DD, YYYY-MM, YYYY).")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this date.")] = None,
    certainty: Annotated[
        str | None, typer.Option("--certainty", help="asserted, reported, claimed, denied, …")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Full-text search of content and source.")
    ] = None,
    output_format: Annotated[
        ClaimsFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = ClaimsFormat.table,
    limit: Limit = None,
) -> None:
    """List stored claims that match every condition given."""
    with _ledger(db, create=False) as ledger:
        rows = ledger.claims(
            source=source,
            actor=actor,
            about=about,
            place=place,
            since=since,
            until=until,
            certainty=certainty,
            search=search,
            limit=limit,
        )
        if output_format is ClaimsFormat.json:
            _echo_json([row.as_json() for row in rows])
        elif output_format is ClaimsFormat.csv:
            _claims_csv(ledger, rows)
        else:
            _print(_claims_table(rows, "Claims"))


def sources_command(
    db: DbOption = None,
    output_format: ViewFormatOption = ViewFormat.table,
    limit: Limit = None,
) -> None:
    """List sources by number of claims: one row per actor (a person or organisation under all
    the names the documents give it), then the sources that are no actor, as written."""
    with _ledger(db, create=False) as ledger:
        rows = ledger.sources(limit=limit)
    if output_format is ViewFormat.json:
        _echo_json([_source_json(row) for row in rows])
        return
    table = Table(title="Sources", title_justify="left")
    for column in (
        "source",
        "kind",
        "claims",
        "documents",
        "first",
        "last",
        "also written",
        "actor",
    ):
        table.add_column(column, overflow="fold")
    for row in rows:
        _add_row(
            table,
            row.name,
            row.actor_type or row.kind,
            str(row.claims),
            str(row.documents),
            row.first_published or "—",
            row.last_published or "—",
            "; ".join(alias for alias in row.aliases if alias != row.name)[:120],
            row.actor_id or "",
        )
    _print(table)


def show_command(
    item_id: Annotated[str, typer.Argument(metavar="DOC_ID|CLAIM_ID", help="An id to show.")],
    db: DbOption = None,
    output_format: ViewFormatOption = ViewFormat.table,
) -> None:
    """Show one document (full id or a prefix) or one claim with its cluster and conflicts."""
    with _ledger(db, create=False) as ledger:
        view = ledger.claim(item_id)
        if view is not None:
            _show_claim(view, output_format)
            return
        extraction = ledger.document(item_id)
        if extraction is None:
            stderr.print(
                f"claimtrace: error: no document or claim {item_id!r} in the ledger",
                markup=False,
            )
            raise typer.Exit(EXIT_NOTHING)
        if output_format is ViewFormat.json:
            typer.echo(to_json(extraction))
            return
        _show_document(ledger, extraction)


def conflicts_command(
    db: DbOption = None,
    output_format: ViewFormatOption = ViewFormat.table,
    limit: Limit = None,
) -> None:
    """List claims that disagree: counts that cannot both hold, or "X" against "not X"."""
    with _ledger(db, create=False) as ledger:
        found = ledger.conflicts(limit=limit)
    if output_format is ViewFormat.json:
        _echo_json([view.as_json() for view in found])
        return
    table = Table(title="Conflicts", title_justify="left")
    for column in ("kind", "claim", "source", "content", "against", "source", "content", "why"):
        table.add_column(column, overflow="fold")
    for view in found:
        _add_row(
            table,
            view.conflict.kind,
            view.a.claim.id,
            _source_label(view.a),
            _content(view.a),
            view.b.claim.id,
            _source_label(view.b),
            _content(view.b),
            "; ".join(view.conflict.evidence),
        )
    _print(table)


def export_command(
    output_format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="jsonl: contract records; csv: one row per claim."),
    ] = ExportFormat.jsonl,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write here (atomically); default stdout.")
    ] = None,
    machine: Annotated[
        bool,
        typer.Option("--machine", help="JSONL as the pipeline extracted it, reviews not applied."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Export the ledger: contract records as JSON lines, or claims as CSV; both as reviewed
    (corrections applied, rejected claims left out; the CSV's review column says which)."""
    if machine and output_format is not ExportFormat.jsonl:
        raise ConfigError("--machine: only for --format jsonl (the CSV has a review column)")
    with _ledger(db, create=False) as ledger, atomic_output(out) as handle:
        if output_format is ExportFormat.jsonl:
            count = write_jsonl(ledger.store, handle, machine=machine)
        else:
            count = write_csv(ledger.store, handle)
    if out is not None and str(out) != "-":
        noun = "documents" if output_format is ExportFormat.jsonl else "claims"
        stderr.print(f"claimtrace: wrote {count} {noun} to {out}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ledger's commands to the ``claimtrace`` app."""
    for name, command in (
        ("ingest", ingest_command),
        ("claims", claims_command),
        ("sources", sources_command),
        ("show", show_command),
        ("conflicts", conflicts_command),
        ("export", export_command),
    ):
        app.command(name)(command)


# Helpers ----------------------------------------------------------------------------------------


@contextmanager
def _ledger(db: str | None, *, create: bool = True) -> Iterator[Ledger]:
    """The ledger, open; a database failure becomes one line and exit 1."""
    ledger = Ledger(db, create=create)
    try:
        yield ledger
    except DBAPIError as err:
        reason = " ".join(str(err.orig).split())
        stderr.print(f"claimtrace: error: {ledger.store.shown}: {reason}", markup=False)
        raise typer.Exit(EXIT_NOTHING) from None
    finally:
        ledger.close()


def _finish_ingest(report: IngestReport, *, quiet: bool) -> None:
    if report.total == 0:
        stderr.print("claimtrace: error: no documents found in the inputs")
        raise typer.Exit(EXIT_NOTHING)
    for failure in report.failed:
        stderr.print(f"claimtrace: error: {failure.message}", markup=False)
    if not quiet:
        stderr.print(f"claimtrace: {report.summary()}", markup=False)
    if report.failed:
        nothing = report.total == len(report.failed)
        raise typer.Exit(EXIT_NOTHING if nothing else EXIT_PARTIAL)


#: Control characters (escape sequences among them) shown as ``\\xNN``; line breaks, tabs kept.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\n\t"}


def plain(value: str) -> Text:
    r"""``value`` for a Rich table or console, shown exactly as written: text from documents may
    look like Rich markup (``[bold]``, ``[link=…]``) or emoji codes, which are not read as such,
    and control characters are shown as ``\xNN`` rather than sent to the terminal.

    >>> plain("[link=http://evil.example]click[/link] :smile: \x1b]8;;x").plain
    '[link=http://evil.example]click[/link] :smile: \\x1b]8;;x'
    """
    return Text(value.translate(_CONTROLS))


def _add_row(table: Table, *cells: str) -> None:
    table.add_row(*(plain(cell) for cell in cells))


def _console() -> Console:
    width = max(Console().width, 120) if sys.stdout.isatty() else 120
    return Console(highlight=False, width=width)


def _print(renderable: Any) -> None:
    _console().print(renderable)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2))


def _content(row: ClaimRow) -> str:
    return " … ".join(part.text for part in row.claim.content)


def _source_label(row: ClaimRow) -> str:
    return row.source_name or f"({row.claim.source_kind})"


def _claims_table(rows: Sequence[ClaimRow], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("claim", "published", "publisher", "source", "cue", "certainty", "content"):
        table.add_column(column, overflow="fold")
    for row in rows:
        _add_row(
            table,
            row.claim.id,
            row.published or "—",
            row.publisher or "—",
            _source_label(row),
            row.claim.cue.text if row.claim.cue else "—",
            row.claim.certainty + (" (negated)" if row.claim.negated else ""),
            _content(row),
        )
    return table


def _claims_csv(ledger: Ledger, rows: Sequence[ClaimRow]) -> None:
    """The export's CSV columns, for the claims selected (spreadsheet-safe, as the export)."""
    documents = {
        e.document.id: e for e in ledger.store.extractions(sorted({r.document_id for r in rows}))
    }
    clusters = ledger.store.clusters_of([row.claim.id for row in rows])

    def values() -> Iterator[dict[str, str]]:
        for row in rows:
            found = claim_row(documents[row.document_id], row.claim)
            found["review"] = row.review or "machine"
            if row.claim.id in clusters:
                cluster_id, size, origin_count = clusters[row.claim.id]
                found.update(
                    cluster_id=cluster_id,
                    cluster_size=str(size),
                    origins="" if origin_count is None else str(origin_count),
                )
            yield found

    write_claim_rows(sys.stdout, values())


def _source_json(row: SourceRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "kind": row.kind,
        "claims": row.claims,
        "documents": row.documents,
        "first_published": row.first_published,
        "last_published": row.last_published,
        "actor_id": row.actor_id,
        "actor_type": row.actor_type,
        "aliases": list(row.aliases),
        "roles": list(row.roles),
    }


def _show_claim(view: ClaimView, output_format: ViewFormat) -> None:
    cluster = view.cluster
    origins = None if cluster is None or cluster.origins is None else len(cluster.origins)
    if output_format is ViewFormat.json:
        _echo_json(
            {
                **view.row.as_json(),
                "cluster": None
                if cluster is None
                else {
                    "id": cluster.id,
                    "claims": list(cluster.claim_ids),
                    "documents": cluster.documents,
                    "origins": None
                    if cluster.origins is None
                    else [list(origin) for origin in cluster.origins],
                },
                "conflicts": [
                    {"a": c.a, "b": c.b, "kind": c.kind, "evidence": list(c.evidence)}
                    for c in view.conflicts
                ],
            }
        )
        return
    console = _console()
    row = view.row
    console.print(plain(f"claim {row.claim.id}"))
    console.print(
        plain(
            f"  document {row.document_id[:12]} · {row.published or 'undated'} · "
            f"{row.publisher or 'no publisher'} · {row.title or row.input}"
        )
    )
    console.print(
        plain(
            f"  {_source_label(row)} — {row.claim.cue.text if row.claim.cue else '(assertion)'} — "
            f"{row.claim.certainty}{' (negated)' if row.claim.negated else ''}"
        )
    )
    console.print(plain(f"  “{_content(row)}”"))
    if cluster is not None and len(cluster.claim_ids) > 1:
        console.print(
            plain(
                f"  cluster {cluster.id}: {len(cluster.claim_ids)} claims in {cluster.documents} "
                f"documents, {'?' if origins is None else origins} independent origins"
            )
        )
        console.print(_claims_table(view.corroborating, "Corroborating claims"))
    for conflict in view.conflicts:
        other = conflict.b if conflict.a == row.claim.id else conflict.a
        console.print(
            plain(f"  conflicts with {other} ({conflict.kind}): {'; '.join(conflict.evidence)}")
        )


def _show_document(ledger: Ledger, extraction: Extraction) -> None:
    console = _console()
    document = extraction.document
    console.print(plain(f"document {document.id}"))
    for label, value in (
        ("title", document.title),
        ("published", document.published),
        ("publisher", document.publisher),
        ("url", document.url),
        ("input", document.input),
        ("pipeline", f"claimtrace {extraction.pipeline.version}, {extraction.pipeline.model}"),
    ):
        if value:
            console.print(plain(f"  {label}: {value}"))
    rows = ledger.store.claims(ClaimFilter(document_id=document.id))
    console.print(_claims_table(rows, f"Claims ({len(rows)})"))
