"""The review commands: ``review`` (accept, reject or correct a claim), ``reviews`` (list them),
``actor merge`` and ``actor split``.

A review is recorded under ``--reviewer`` (default: ``$CLAIMTRACE_REVIEWER``, else the login
name), with the time and ``--reason``; it never changes the extraction (see
:mod:`claimtrace.ledger.reviews`). A bad review is one line on stderr and exit 2.
"""

from __future__ import annotations

import getpass
import re
from typing import Annotated, Any

import typer
from rich.table import Table

from claimtrace.cli_common import DbOption, stderr
from claimtrace.errors import ConfigError
from claimtrace.ledger.cli import (
    ViewFormat,
    ViewFormatOption,
    _add_row,
    _echo_json,
    _ledger,
    _print,
)
from claimtrace.ledger.query import CERTAINTIES

__all__ = ["parse_spans", "register"]

REVIEWER_ENV = "CLAIMTRACE_REVIEWER"

ReviewerOption = Annotated[
    str | None,
    typer.Option(
        envvar=REVIEWER_ENV,
        show_envvar=True,
        help="Who the review is recorded as (default: your login name).",
    ),
]
ReasonOption = Annotated[str | None, typer.Option(help="Why: kept with the review.")]

_SPAN = re.compile(r"\s*(\d+)\s*-\s*(\d+)\s*")


def parse_spans(value: str, option: str) -> list[list[int]]:
    """``START-END[, START-END…]`` as spans; ``none`` (or nothing) as no span.

    >>> parse_spans("12-40, 45-60", "--content"), parse_spans("none", "--cue")
    ([[12, 40], [45, 60]], [])
    >>> parse_spans("12:40", "--content")
    Traceback (most recent call last):
    ...
    claimtrace.errors.ConfigError: --content: give spans as START-END[,START-END…] in characters \
(not '12:40')
    """
    if value.strip().lower() in ("", "none"):
        return []
    spans = []
    for part in value.split(","):
        found = _SPAN.fullmatch(part)
        if found is None:
            raise ConfigError(
                f"{option}: give spans as START-END[,START-END…] in characters (not {value!r})"
            )
        spans.append([int(found.group(1)), int(found.group(2))])
    return spans


def _reviewer(given: str | None) -> str:
    if given and given.strip():
        return given.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "local"


def review_command(
    claim_id: Annotated[str, typer.Argument(metavar="CLAIM_ID", help="The claim to review.")],
    accept: Annotated[bool, typer.Option("--accept", help="The claim is right.")] = False,
    reject: Annotated[
        bool, typer.Option("--reject", help="The claim is wrong: out of clusters and exports.")
    ] = False,
    certainty: Annotated[
        str | None, typer.Option(help=f"Correct the certainty: {', '.join(CERTAINTIES)}.")
    ] = None,
    negated: Annotated[
        bool | None, typer.Option("--negated/--not-negated", help="Correct the negation.")
    ] = None,
    content: Annotated[
        str | None, typer.Option(help="Correct the content: START-END[,START-END…].")
    ] = None,
    cue: Annotated[str | None, typer.Option(help="Correct the cue: START-END, or none.")] = None,
    source: Annotated[
        str | None,
        typer.Option(help="Correct the source: START-END, or none (the outlet's own claim)."),
    ] = None,
    source_actor: Annotated[
        str | None, typer.Option(help="Attribute the claim to this actor (an id from sources).")
    ] = None,
    reason: ReasonOption = None,
    reviewer: ReviewerOption = None,
    db: DbOption = None,
) -> None:
    """Accept, reject or correct one claim; what it changes shows in claims, clusters,
    conflicts, sources and exports. Several corrections may be given at once."""
    if accept and reject:
        raise ConfigError("--accept and --reject: give one of them")
    steps: list[tuple[str, str | None, dict[str, Any] | None]] = []
    if accept or reject:
        steps.append(("accept" if accept else "reject", None, None))
    if certainty is not None:
        steps.append(("correct", "certainty", {"certainty": certainty}))
    if negated is not None:
        steps.append(("correct", "negated", {"negated": negated}))
    for part, given in (("content", content), ("cue", cue), ("source", source)):
        if given is not None:
            steps.append(("correct", part, {"spans": parse_spans(given, f"--{part}")}))
    if source_actor is not None:
        if source is not None:
            raise ConfigError("--source and --source-actor: give one of them")
        steps.append(("correct", "source", {"actor_id": source_actor}))
    if not steps:
        raise ConfigError("say what to do: --accept, --reject or a correction (see --help)")
    name = _reviewer(reviewer)
    with _ledger(db, create=False) as ledger:
        row = None
        for action, field, value in steps:
            review_id, row = ledger.store.review(
                claim_id, action, reviewer=name, field=field, value=value, reason=reason
            )
            stderr.print(
                f"claimtrace: review {review_id}: {action} {field or 'claim'} of {claim_id}",
                markup=False,
            )
    assert row is not None
    shown = row.review or "machine"
    content_text = " … ".join(part.text for part in row.claim.content)
    typer.echo(f"{claim_id}: {shown}; {row.claim.certainty}; {content_text}")


def reviews_command(
    claim: Annotated[str | None, typer.Option(help="Only this claim's reviews.")] = None,
    state: Annotated[
        str | None,
        typer.Option(help="active, superseded or stale (stale: no longer match the claim)."),
    ] = None,
    output_format: ViewFormatOption = ViewFormat.table,
    db: DbOption = None,
) -> None:
    """List reviews, oldest first; ``--state stale`` lists those a new extraction no longer
    matches, for a person to look at again."""
    if state is not None and state not in ("active", "superseded", "stale"):
        raise ConfigError(f"--state: one of active, superseded, stale (not {state!r})")
    with _ledger(db, create=False) as ledger:
        rows = ledger.store.reviews(claim_id=claim, state=state)
    if output_format is ViewFormat.json:
        _echo_json([row.as_json() for row in rows])
        return
    table = Table(title="Reviews", title_justify="left")
    for column in ("id", "claim", "action", "field", "value", "reviewer", "when", "state", "why"):
        table.add_column(column, overflow="fold")
    for row in rows:
        _add_row(
            table,
            str(row.id),
            row.claim_id,
            row.action,
            row.field or "",
            "" if row.value is None else str(dict(row.value)),
            row.reviewer,
            row.reviewed_at,
            row.state,
            row.reason or "",
        )
    _print(table)


actor_app = typer.Typer(
    name="actor", help="Merge one actor into another, or undo a merge.", no_args_is_help=True
)


@actor_app.command("merge")
def merge_command(
    actor_id: Annotated[str, typer.Argument(metavar="ACTOR_ID", help="The actor to fold in.")],
    into: Annotated[str, typer.Option(help="The actor it is the same as.")],
    reason: ReasonOption = None,
    reviewer: ReviewerOption = None,
    db: DbOption = None,
) -> None:
    """Merge an actor into another: one person or organisation under two records."""
    with _ledger(db, create=False) as ledger:
        target = ledger.store.merge_actors(
            actor_id, into, reviewer=_reviewer(reviewer), reason=reason
        )
        record = ledger.store.actor(target)
    claims = record.claims if record is not None else 0
    typer.echo(f"{actor_id} merged into {target} ({claims} claims)")


@actor_app.command("split")
def split_command(
    actor_id: Annotated[str, typer.Argument(metavar="ACTOR_ID", help="The merged actor.")],
    reason: ReasonOption = None,
    reviewer: ReviewerOption = None,
    db: DbOption = None,
) -> None:
    """Undo a merge: the actor's claims go back to it."""
    with _ledger(db, create=False) as ledger:
        target = ledger.store.split_actor(actor_id, reviewer=_reviewer(reviewer), reason=reason)
    typer.echo(f"{actor_id} split from {target}")


def register(app: typer.Typer) -> None:
    """Add the review commands to the ``claimtrace`` app."""
    app.command("review")(review_command)
    app.command("reviews")(reviews_command)
    app.add_typer(actor_app)
