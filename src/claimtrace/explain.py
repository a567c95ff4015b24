"""What ``claimtrace explain`` shows: the attribution stage's trace of one document — per
sentence, each candidate token and the rules tried on it with their outcome, then the claims
found — as Rich tables or as JSON.

Every text from the document is shown exactly as written (:func:`~claimtrace.ledger.cli.plain`).
"""

from __future__ import annotations

import json
import logging
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from claimtrace.errors import ConfigError
from claimtrace.ledger.cli import plain
from claimtrace.records import Claim, Extraction
from claimtrace.stages.attribution.trace import Trace, TraceEvent

__all__ = ["Selection", "as_json", "print_json", "print_tables", "select"]

logger = logging.getLogger(__name__)

_STYLES = {
    "accepted": "green",
    "vetoed": "red",
    "edited": "yellow",
    "tried": "",
    "skipped": "dim",
}


@dataclass(frozen=True, slots=True)
class Selection:
    """What to show: the sentences (1-based), their claims, and the claim asked for."""

    extraction: Extraction
    trace: Trace
    sentences: tuple[int, ...]
    claims: tuple[Claim, ...]
    claim: Claim | None = None
    whole: bool = True  # the whole document: the passes' document-level events too


def _sentence_of(extraction: Extraction, claim: Claim) -> int:
    """The 1-based sentence a claim's cue (or, for the author's, its content) starts in."""
    starts = [span.start for span in extraction.sentences]
    first = claim.cue.start if claim.cue else claim.content[0].start if claim.content else 0
    return max(1, bisect_right(starts, first))


def _find_claim(extraction: Extraction, wanted: str) -> Claim:
    """The claim with id ``wanted``, or the only one whose id starts with it."""
    exact = [c for c in extraction.claims if c.id == wanted]
    if exact:
        return exact[0]
    matches = [c for c in extraction.claims if wanted and c.id.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    name = extraction.document.input
    if matches:
        raise ConfigError(f"--claim {wanted}: {len(matches)} claims of {name} start with it")
    raise ConfigError(
        f"--claim {wanted}: no such claim in {name} ({len(extraction.claims)} claims; "
        f"claimtrace explain {name} lists them)"
    )


def select(
    extraction: Extraction, trace: Trace, *, sentence: int | None = None, claim: str | None = None
) -> Selection:
    """The part of the trace ``--sentence`` or ``--claim`` asks for (the whole document when
    neither is given); a :class:`~claimtrace.errors.ConfigError` for one that is not there."""
    count = len(extraction.sentences)
    if sentence is not None and claim is not None:
        raise ConfigError("give --sentence or --claim, not both")
    found = None
    if claim is not None:
        found = _find_claim(extraction, claim)
        shown: tuple[int, ...] = (_sentence_of(extraction, found),)
    elif sentence is not None:
        if not 1 <= sentence <= count:
            raise ConfigError(
                f"--sentence {sentence}: {extraction.document.input} has {count} sentences "
                f"(1 to {count})"
            )
        shown = (sentence,)
    else:
        shown = tuple(range(1, count + 1))
    wanted = set(shown)
    claims = tuple(c for c in extraction.claims if _sentence_of(extraction, c) in wanted)
    logger.debug(
        "explain: %d events, %d sentences shown, %d claims",
        len(trace.events),
        len(shown),
        len(claims),
    )
    return Selection(extraction, trace, shown, claims, found, whole=sentence is None and not found)


def _events(selection: Selection, sentence: int) -> list[TraceEvent]:
    return [e for e in selection.trace.events if e.sentence == sentence]


def _rule_of(selection: Selection, claim: Claim) -> str:
    event = selection.trace.accepting(claim.id)
    return f"{event.rule} on {event.label}" if event is not None else "—"


def _content(claim: Claim) -> str:
    return " … ".join(span.text for span in claim.content)


def print_tables(selection: Selection, console: Console) -> None:
    """The selection as Rich tables: one per sentence, the claims, and the passes."""
    extraction, marked = selection.extraction, selection.claim
    if marked is not None:
        console.print(
            plain(f"claim {marked.id}: made by {_rule_of(selection, marked)}"), style="bold"
        )
    for number in selection.sentences:
        text = extraction.sentences[number - 1].text
        events = _events(selection, number)
        shown = [e for e in events if e.outcome != "skipped"]
        table = Table(
            title=plain(f"Sentence {number}: {' '.join(text.split())}"),
            title_justify="left",
            caption=plain(
                f"{len(events) - len(shown)} skipped (rules that do not apply to the token; "
                "--format json lists them)"
            ),
            caption_justify="left",
        )
        for column in ("", "token", "rule", "outcome", "detail", "claim"):
            table.add_column(column, overflow="fold")
        for event in shown:
            mine = marked is not None and event.claim == marked.id
            table.add_row(
                Text("▶" if mine else ""),
                plain(event.label),
                plain(event.rule),
                Text(event.outcome, style=_STYLES[event.outcome]),
                plain(event.detail),
                plain(event.claim or ""),
                style="bold" if mine else None,
            )
        if not shown:
            table.add_row("", "—", "", "", plain("no rule applied to any token"), "")
        console.print(table)
    _print_claims(selection, console)
    if selection.whole:
        passes = Table(title="Passes over the whole document", title_justify="left")
        for column in ("rule", "outcome", "detail"):
            passes.add_column(column, overflow="fold")
        for event in _events(selection, 0):
            passes.add_row(
                plain(event.rule),
                Text(event.outcome, style=_STYLES[event.outcome]),
                plain(event.detail),
            )
        console.print(passes)


def _print_claims(selection: Selection, console: Console) -> None:
    if not selection.claims:
        console.print(plain("no claims in these sentences"))
        return
    table = Table(title="Claims", title_justify="left")
    for column in ("", "id", "rule", "cue", "source", "content"):
        table.add_column(column, overflow="fold")
    for claim in selection.claims:
        mine = selection.claim is not None and claim.id == selection.claim.id
        table.add_row(
            Text("▶" if mine else ""),
            plain(claim.id),
            plain(_rule_of(selection, claim)),
            plain(claim.cue.text if claim.cue else "—"),
            plain(claim.source.text if claim.source else f"({claim.source_kind})"),
            plain(_content(claim)),
            style="bold" if mine else None,
        )
    console.print(table)


def as_json(selection: Selection) -> dict[str, Any]:
    """The selection as one JSON object: every event of the sentences shown (the skipped ones
    too), the claims with the rule that made each, and the passes' document-level events."""
    extraction = selection.extraction
    claims = []
    for claim in selection.claims:
        event = selection.trace.accepting(claim.id)
        claims.append(
            {
                "id": claim.id,
                "sentence": _sentence_of(extraction, claim),
                "rule": event.rule if event else None,
                "token": event.token if event else None,
                "token_start": event.start if event else None,
                "cue": claim.cue.text if claim.cue else None,
                "source": claim.source.text if claim.source else None,
                "source_kind": claim.source_kind,
                "content": [span.text for span in claim.content],
            }
        )
    return {
        "input": extraction.document.input,
        "document": extraction.document.id,
        "claim": selection.claim.id if selection.claim else None,
        "sentences": [
            {
                "sentence": number,
                "text": extraction.sentences[number - 1].text,
                "events": [e.as_dict() for e in _events(selection, number)],
            }
            for number in selection.sentences
        ],
        "claims": claims,
        "passes": [e.as_dict() for e in _events(selection, 0)] if selection.whole else [],
    }


def print_json(selection: Selection, handle: TextIO) -> None:
    handle.write(json.dumps(as_json(selection), indent=2, ensure_ascii=False) + "\n")
