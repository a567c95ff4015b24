"""The ``claimtrace`` command: thin commands over the library.

Exit codes: 0 all inputs extracted; 1 nothing could be extracted; 2 bad usage, settings or model;
3 some inputs failed (the others were extracted; failures are listed at the end); 130 interrupted.
Errors are one line on stderr, never a traceback (``CLAIMTRACE_DEBUG=1`` shows it).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.table import Table
from typer.exceptions import TyperException

from claimtrace._version import __version__
from claimtrace.batch.cli import batch
from claimtrace.cli_common import (
    EXIT_INTERNAL,
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    MaxBytesOption,
    ModelOption,
    QuietOption,
    SkipOption,
    atomic_output,
    progress,
    stderr,
)
from claimtrace.config import load_settings
from claimtrace.demo import sample_inputs
from claimtrace.errors import ClaimtraceError, ConfigError, InputError
from claimtrace.extractor import Extractor, Result
from claimtrace.ingest import Metadata, count_inputs, normalise_published
from claimtrace.ledger.cli import plain
from claimtrace.ledger.cli import register as register_ledger_commands
from claimtrace.ledger.review_cli import register as register_review_commands
from claimtrace.records import Extraction, iter_json, json_schema, to_json
from claimtrace.web.cli import register as register_web_commands

__all__ = ["app", "main"]

#: Below this many inputs a progress bar is noise.

app = typer.Typer(
    name="claimtrace",
    help="Turn news text into attributed, structured, traceable claims — offline.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


class ExplainFormat(StrEnum):
    table = "table"
    json = "json"


class _Failed(Exception):
    """Raised inside a command to exit with a code after the message was printed."""

    def __init__(self, code: int) -> None:
        self.code = code


@app.command()
def extract(
    sources: Annotated[
        list[str], typer.Argument(help="Files, directories, JSON-lines feeds, or - for stdin.")
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="json: one object (several: an array); jsonl: one object per line; table.",
        ),
    ] = OutputFormat.json,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write here (atomically) instead of stdout."),
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD (overrides what is found).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title (overrides what is found).")] = None,
    url: Annotated[str | None, typer.Option(help="URL (overrides what is found).")] = None,
    publisher: Annotated[
        str | None, typer.Option(help="Publisher (overrides what is found).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Decode inputs with this encoding instead of detecting it.")
    ] = None,
    model: ModelOption = None,
    skip: SkipOption = None,
    max_bytes: MaxBytesOption = None,
    quiet: QuietOption = False,
) -> None:
    """Extract claims and their facts from articles."""
    overrides = Metadata(
        title=title,
        url=url,
        publisher=publisher,
        published=_checked_date(published),
    )
    settings = load_settings(
        model=model, skip_stages=tuple(skip) if skip else None, max_document_bytes=max_bytes
    )
    extractor = Extractor(settings)
    results = extractor.extract_paths(sources, overrides=overrides, encoding=encoding)
    _emit(results, output_format, out, quiet=quiet, total=count_inputs(sources))


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the extracted records (JSONL).")
    ] = Path("claimtrace-demo.jsonl"),
    db: Annotated[
        str,
        typer.Option(
            "--db", help="The ledger to store them in (SQLite path or postgresql:// URL)."
        ),
    ] = "claimtrace-demo.db",
    quiet: QuietOption = False,
) -> None:
    """Run the whole pipeline on the sample articles shipped with claimtrace and store them."""
    from claimtrace.ledger.store import Store

    extractor = Extractor(load_settings())
    store = Store(db)  # opened first: a bad --db fails before any work
    try:
        results = list(
            extractor.extract_inputs(sample_inputs(extractor.settings.max_document_bytes))
        )
        extractions = [r for r in results if isinstance(r, Extraction)]
        with atomic_output(out) as handle:
            for extraction in extractions:
                handle.write(to_json(extraction, indent=None) + "\n")
        outcomes = [store.put(extraction) for extraction in extractions]
    finally:
        store.close()
    _print_table(extractions, Console(highlight=False, width=_table_width()))
    if not quiet:
        stored = sum(1 for outcome in outcomes if outcome != "skipped")
        stderr.print(
            f"claimtrace: wrote {len(extractions)} extractions to {out}; ledger {db}: "
            f"{stored} stored, {len(outcomes) - stored} already there "
            f"(try: claimtrace claims --db {db})",
            markup=False,
        )
    _finish(results, quiet=quiet)


@app.command()
def explain(
    source: Annotated[
        str, typer.Argument(help="One article: a text or HTML file, or - for stdin.")
    ],
    sentence: Annotated[
        int | None, typer.Option("--sentence", "-s", help="Only this sentence (1 is the first).")
    ] = None,
    claim: Annotated[
        str | None,
        typer.Option(
            "--claim", "-c", help="Only this claim's sentence, its rule marked (id or prefix)."
        ),
    ] = None,
    output_format: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="table (Rich) or json.")
    ] = ExplainFormat.table,
    model: ModelOption = None,
) -> None:
    """Show why the claims of one article came out as they did: per sentence, the attribution
    rules tried on each candidate token (tried, vetoed, accepted), then the claims."""
    from claimtrace.explain import print_json, print_tables, select
    from claimtrace.stages.attribution.trace import tracing

    extractor = Extractor(load_settings(model=model))
    with tracing() as trace:
        results = list(extractor.extract_paths([source]))
    failures = [r for r in results if isinstance(r, InputError)]
    for failure in failures:
        stderr.print(f"claimtrace: error: {failure.message}", markup=False)
    if failures:
        raise _Failed(EXIT_NOTHING)
    extractions = [r for r in results if isinstance(r, Extraction)]
    if len(extractions) != 1:
        raise ConfigError(
            f"explain takes one article; {source} holds {len(extractions) or 'no'} documents"
        )
    trace.number(extractions[0])
    selection = select(extractions[0], trace, sentence=sentence, claim=claim)
    if output_format is ExplainFormat.json:
        print_json(selection, sys.stdout)
    else:
        print_tables(selection, Console(highlight=False, width=_table_width()))


@app.command()
def schema() -> None:
    """Print the JSON Schema of one extraction (the output contract)."""
    typer.echo(json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False))


@app.command()
def version() -> None:
    """Print the versions of claimtrace, its language pipeline and spaCy."""
    from spacy import about

    extractor = Extractor(load_settings())
    typer.echo(f"claimtrace {__version__} (model {extractor.model}; spaCy {about.__version__})")


register_ledger_commands(app)
register_review_commands(app)
app.command()(batch)
register_web_commands(app)


def _checked_date(value: str | None) -> str | None:
    try:
        return normalise_published(value, "--published")
    except InputError as err:
        raise ConfigError(err.message) from None


def _emit(
    results: Iterator[Result],
    output_format: OutputFormat,
    out: Path | None,
    *,
    quiet: bool,
    total: int | None,
) -> None:
    seen: list[InputError | _Done] = []
    extractions: list[Extraction] = []
    with atomic_output(out) as handle, progress("extracting", quiet, total) as advance:
        writer = _JsonWriter(handle, lines=output_format is OutputFormat.jsonl)
        for result in results:
            advance()
            seen.append(result if isinstance(result, InputError) else _Done())
            if isinstance(result, InputError):
                stderr.print(f"claimtrace: error: {result.message}", markup=False)
            elif output_format is OutputFormat.table:
                extractions.append(result)
            else:
                writer.write(result)
        if all(isinstance(item, InputError) for item in seen):
            # Nothing extracted: leave an existing --out file as it was.
            _finish(seen, quiet=quiet)
        writer.close()
        if output_format is OutputFormat.table:
            _print_table(extractions, Console(file=handle, highlight=False, width=_table_width()))
    _finish(seen, quiet=quiet)


class _Done:
    """Stands for a successful result in the run's tally (the records themselves are gone)."""


class _JsonWriter:
    """Streams extractions: JSON lines, or JSON (one object, or an array when there are several).

    Each extraction is written record by record (:func:`~claimtrace.records.iter_json`), so a
    long document's JSON is never held whole in memory.
    """

    def __init__(self, handle: TextIO, *, lines: bool) -> None:
        self.handle = handle
        self.lines = lines
        self.pending: Extraction | None = None  # the first one: an object, or an array's first
        self.count = 0

    def write(self, extraction: Extraction) -> None:
        self.count += 1
        if self.lines:
            self.handle.writelines(iter_json(extraction, indent=None))
            self.handle.write("\n")
            return
        if self.count == 1:
            self.pending = extraction
            return
        if self.pending is not None:
            self.handle.write("[\n")
            self.handle.writelines(iter_json(self.pending))
            self.pending = None
        self.handle.write(",\n")
        self.handle.writelines(iter_json(extraction))

    def close(self) -> None:
        if self.lines or self.count == 0:
            return
        if self.pending is not None:
            self.handle.writelines(iter_json(self.pending))
            self.handle.write("\n")
        else:
            self.handle.write("\n]\n")


def _finish(results: Sequence[object], *, quiet: bool) -> None:
    failures = [r for r in results if isinstance(r, InputError)]
    done = len(results) - len(failures)
    if not results:
        stderr.print("claimtrace: error: no documents found in the inputs")
        raise _Failed(EXIT_NOTHING)
    if failures and not quiet:
        stderr.print(f"claimtrace: {done} extracted, {len(failures)} failed:", markup=False)
        for failure in failures:
            stderr.print(f"  {failure.message}", markup=False)
    elif not quiet and done > 1:
        stderr.print(f"claimtrace: {done} extracted", markup=False)
    if failures:
        raise _Failed(EXIT_NOTHING if done == 0 else EXIT_PARTIAL)


def _table_width() -> int:
    """The terminal's width, or a roomy 120 columns when writing to a pipe or file."""
    return max(Console().width, 120) if sys.stdout.isatty() else 120


def _print_table(extractions: Sequence[Extraction], console: Console) -> None:
    """The documents and their claims as tables; every cell is shown exactly as written
    (:func:`~claimtrace.ledger.cli.plain`: no Rich markup, no terminal escapes from the text)."""
    table = Table(title="Documents", title_justify="left")
    for column in ("input", "id", "published", "words", "sentences", "claims", "repairs"):
        table.add_column(column, overflow="fold")
    for extraction in extractions:
        document = extraction.document
        cells = (
            document.input,
            document.id[:12],
            document.published or "—",
            str(len(document.text.split())),
            str(len(extraction.sentences)),
            str(len(extraction.claims)),
            str(len(document.repairs)),
        )
        table.add_row(*map(plain, cells))
    console.print(table)
    missing = sorted(
        {s.name for e in extractions for s in e.pipeline.stages if s.status == "not_implemented"}
    )
    if missing:
        console.print(
            plain(f"stages not implemented yet (empty in the output): {', '.join(missing)}")
        )
    claims = [(e, c) for e in extractions for c in e.claims]
    if claims:
        claim_table = Table(title="Claims", title_justify="left")
        for column in ("source", "cue", "content", "certainty", "quote"):
            claim_table.add_column(column, overflow="fold")
        for _, claim in claims:
            claim_cells = (
                claim.source.text if claim.source else f"({claim.source_kind})",
                claim.cue.text if claim.cue else "—",
                " … ".join(part.text for part in claim.content),
                claim.certainty,
                claim.quote,
            )
            claim_table.add_row(*map(plain, claim_cells))
        console.print(claim_table)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the CLI, turning every error into one line and an exit code."""
    try:
        code = app(args=list(argv) if argv is not None else None, standalone_mode=False)
    except _Failed as failed:
        return failed.code
    except TyperException as err:  # bad usage: Click-style message with the usage line
        show = getattr(err, "show", None)
        if callable(show):
            show()
        else:
            stderr.print(f"claimtrace: error: {err}", markup=False)
        return EXIT_USAGE
    except typer.Abort:
        stderr.print("claimtrace: aborted")
        return 130
    except ClaimtraceError as err:
        stderr.print(f"claimtrace: error: {err.message}", markup=False)
        return EXIT_USAGE
    except KeyboardInterrupt:
        stderr.print("claimtrace: interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (| head); stop quietly.
        sys.stderr.close()
        return EXIT_OK
    except Exception as err:
        if os.environ.get("CLAIMTRACE_DEBUG"):
            raise
        stderr.print(
            f"claimtrace: internal error: {type(err).__name__}: {err} "
            "(set CLAIMTRACE_DEBUG=1 for the traceback, and please report it)",
            markup=False,
        )
        return EXIT_INTERNAL
    return code if isinstance(code, int) else EXIT_OK
