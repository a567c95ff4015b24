"""What every ``claimtrace`` command shares: exit codes and the options several commands take.

A leaf module (it imports no command), so the main CLI and the ledger, batch and web commands
use the same codes and the same option texts without importing one another.
"""

from __future__ import annotations

from typing import Annotated

import typer

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
