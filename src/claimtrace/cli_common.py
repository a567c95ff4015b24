"""What every ``claimtrace`` command shares: exit codes, the options several commands take, the
atomic ``--out`` file and the progress bar.

A leaf module (it imports no command), so the main CLI and the ledger, batch and web commands
use the same codes, option texts and output handling without importing one another.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Protocol, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from claimtrace.errors import ConfigError

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_NOTHING",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
    "DbOption",
    "MaxBytesOption",
    "ModelOption",
    "QuietOption",
    "SkipOption",
    "atomic_output",
    "progress",
    "stderr",
]

#: all inputs done; nothing could be done; bad usage, settings or model; some inputs failed;
#: a bug (an exception no handler expected)
EXIT_OK, EXIT_NOTHING, EXIT_USAGE, EXIT_PARTIAL, EXIT_INTERNAL = 0, 1, 2, 3, 70

ModelOption = Annotated[
    str | None,
    typer.Option(help="spaCy pipeline name or path, or 'rules'; default: the embedded one."),
]
SkipOption = Annotated[
    list[str] | None, typer.Option(help="Switch a stage off by name (repeatable).")
]
MaxBytesOption = Annotated[
    int | None, typer.Option(help="Refuse inputs larger than this many bytes.")
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar or summary; errors only.")
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Ledger: a SQLite file path or a postgresql:// URL "
        "(default $CLAIMTRACE_DB, else ./claimtrace.db).",
    ),
]

#: a progress bar is shown from this many inputs up
PROGRESS_FROM = 4
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


@contextmanager
def atomic_output(out: Path | None) -> Iterator[TextIO]:
    """stdout (for ``None`` or ``-``), or a temporary file renamed over ``out`` only once
    everything was written: a run that fails or is killed leaves no half-written file."""
    if out is None or str(out) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    out = out.expanduser()
    if out.is_dir():
        raise ConfigError(f"--out {out} is a directory; give a file path")
    if not out.parent.exists():
        raise ConfigError(f"--out {out}: folder {out.parent} does not exist")
    partial = out.with_name(f".{out.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            yield handle
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


class Advance(Protocol):
    """Move a progress bar on one input, counting its outcome when one is given."""

    def __call__(self, outcome: str | None = None) -> None: ...


def _stay(outcome: str | None = None) -> None:
    """The progress of a run that shows none."""


@contextmanager
def progress(label: str, quiet: bool, total: int | None) -> Iterator[Advance]:
    """A transient Rich progress bar on stderr; ``advance(outcome)`` moves it on one input and
    counts its outcome ("stored", "skipped" …) when one is given. Nothing for ``quiet`` or for
    fewer than :data:`PROGRESS_FROM` inputs."""
    if quiet or (total is not None and total < PROGRESS_FROM):
        yield _stay
        return
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[tally]}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )
    tally: dict[str, int] = {}
    task = bar.add_task(label, total=total, tally="")

    def advance(outcome: str | None = None) -> None:
        if outcome is not None:
            tally[outcome] = tally.get(outcome, 0) + 1
        shown = ", ".join(f"{count} {name}" for name, count in sorted(tally.items()))
        bar.update(task, advance=1, tally=shown)

    with bar:
        yield advance
