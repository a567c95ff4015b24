"""Reviews: what a person decided about a claim, and the claim that decision makes.

A review never overwrites the extraction. It is kept beside it (``reviews``, append-only), and the
**reviewed claim** is computed from the machine's claim and the reviews that are in force:

* a **verdict**: ``accept`` or ``reject`` the claim as a whole; the latest verdict wins, so a
  rejected claim is restored by accepting it;
* a **correction** of one field, the latest per field winning: ``source`` (a span of the text, no
  span for the outlet's own assertion, or a ledger actor to attribute it to), ``cue`` (a span or
  none), ``content`` (one or more spans), ``certainty``, ``negated``.

Each review keeps a snapshot of the claim as the machine had it (:func:`snapshot`). When a new
pipeline extracts the document again, a review stays in force only where the new claim still has
what was reviewed (:func:`still_matches`); the others turn *stale* and are listed for a person to
look at again, never applied to a claim that changed under them.

>>> from claimtrace.records import Claim, Span
>>> text = "Police said 40 people were hurt."
>>> claim = Claim(id="c-1", source=Span.of(text, 0, 6), source_kind="named",
...     cue=Span.of(text, 7, 11), content=(Span.of(text, 12, 31),), quote="indirect",
...     certainty="asserted", confidence=0.9)
>>> fixed = Correction("content", {"spans": [[12, 26]]}).apply(claim, text)
>>> fixed.content[0].text
'40 people were'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal, get_args

from claimtrace.errors import ReviewError
from claimtrace.records import Certainty, Claim, Span

__all__ = [
    "ACTIONS",
    "FIELDS",
    "MAX_REASON",
    "Correction",
    "ReviewState",
    "ReviewedClaim",
    "check_value",
    "review_status",
    "reviewed_claim",
    "snapshot",
    "still_matches",
]

Action = Literal["accept", "reject", "correct"]
Field = Literal["source", "cue", "content", "certainty", "negated"]
ReviewState = Literal["active", "superseded", "stale"]
#: What a claim's ``review`` column says: None (as extracted) or one of these.
Status = Literal["accepted", "corrected", "rejected"]

ACTIONS: tuple[str, ...] = get_args(Action)
FIELDS: tuple[str, ...] = get_args(Field)
CERTAINTIES: tuple[str, ...] = get_args(Certainty)

#: Longest reason kept with a review.
MAX_REASON = 2000


def _span(text: str, pair: Sequence[Any]) -> Span:
    """A span of ``text`` from a ``[start, end]`` pair, checked to lie inside it and to hold
    more than white space."""
    if len(pair) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in pair):
        raise ReviewError(f"a span is [start, end] in characters, not {list(pair)!r}")
    start, end = int(pair[0]), int(pair[1])
    if not 0 <= start < end <= len(text):
        raise ReviewError(f"span [{start}, {end}] is not inside the text (0 to {len(text)})")
    if not text[start:end].strip():
        raise ReviewError(f"span [{start}, {end}] holds only white space")
    return Span.of(text, start, end)


def check_value(field: str, value: Mapping[str, Any], text: str) -> dict[str, Any]:
    """The correction's value, checked against the document's text, in the form stored.

    >>> check_value("certainty", {"certainty": "denied"}, "")
    {'certainty': 'denied'}
    >>> check_value("cue", {"spans": [[0, 4]]}, "Said so.")
    {'spans': [[0, 4]]}
    >>> check_value("certainty", {"certainty": "sure"}, "")
    Traceback (most recent call last):
    ...
    claimtrace.errors.ReviewError: certainty must be one of asserted, reported, claimed, believed, \
alleged, denied, evidential, hypothetical (not 'sure')
    """
    if field not in FIELDS:
        raise ReviewError(f"a correction's field is one of {', '.join(FIELDS)} (not {field!r})")
    if field == "certainty":
        certainty = value.get("certainty")
        if certainty not in CERTAINTIES:
            raise ReviewError(
                f"certainty must be one of {', '.join(CERTAINTIES)} (not {certainty!r})"
            )
        return {"certainty": certainty}
    if field == "negated":
        negated = value.get("negated")
        if not isinstance(negated, bool):
            raise ReviewError("negated must be true or false")
        return {"negated": negated}
    if field == "source" and value.get("actor_id"):
        return {"actor_id": str(value["actor_id"])}
    spans = value.get("spans")
    if not isinstance(spans, list):
        raise ReviewError(f"a {field} correction gives spans: [[start, end], …] (or actor_id)")
    checked = sorted((one.start, one.end) for one in (_span(text, pair) for pair in spans))
    if field == "content" and not checked:
        raise ReviewError("a claim's content needs at least one span (reject the claim instead)")
    if field in ("source", "cue") and len(checked) > 1:
        raise ReviewError(f"a {field} is one span, or none")
    if any(a[1] > b[0] for a, b in pairwise(checked)):
        raise ReviewError("content spans must not overlap")
    return {"spans": [list(pair) for pair in checked]}


@dataclass(frozen=True, slots=True)
class Correction:
    """One field of a claim as a person set it (``value`` as :func:`check_value` returns it)."""

    field: str
    value: Mapping[str, Any]
    review_id: int | None = None

    def apply(self, claim: Claim, text: str) -> Claim:
        """``claim`` with this field set (an actor choice leaves the claim's spans alone: it
        changes whom the ledger files the claim under)."""
        value = self.value
        update: dict[str, Any]
        if self.field == "certainty":
            update = {"certainty": value["certainty"]}
        elif self.field == "negated":
            update = {"negated": value["negated"]}
        elif self.field == "source" and "actor_id" in value:
            update = {}
        else:
            spans = tuple(Span.of(text, int(s), int(e)) for s, e in value["spans"])
            if self.field == "content":
                update = {"content": spans}
            elif self.field == "cue":
                update = {"cue": spans[0] if spans else None}
            else:
                update = {
                    "source": spans[0] if spans else None,
                    "source_kind": "named" if spans else "author",
                    "source_entity": None,
                }
        tag = f"review:{self.review_id}" if self.review_id is not None else "review"
        return claim.model_copy(update={**update, "evidence": (*claim.evidence, tag)})


def _pair(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def snapshot(claim: Claim) -> dict[str, Any]:
    """What a review was made on: the claim's spans and judgements, as the machine had them.

    >>> from claimtrace.records import Claim, Span
    >>> c = Claim(id="c", source=None, source_kind="author", cue=None,
    ...     content=(Span.of("Rain.", 0, 4),), quote="none", certainty="asserted", confidence=1)
    >>> snapshot(c)
    {'source': None, 'cue': None, 'content': [[0, 4]], 'certainty': 'asserted', 'negated': False}
    """
    return {
        "source": _pair(claim.source),
        "cue": _pair(claim.cue),
        "content": [[span.start, span.end] for span in claim.content],
        "certainty": claim.certainty,
        "negated": claim.negated,
    }


def still_matches(action: str, field: str | None, machine: Mapping[str, Any], claim: Claim) -> bool:
    """Whether a review made on ``machine`` (a :func:`snapshot`) still applies to ``claim``, the
    new machine claim of the same id: a verdict needs the same spans and judgements; a
    correction, the same cue and the same machine value of the corrected field."""
    now = snapshot(claim)
    if action != "correct":
        return now == dict(machine)
    return bool(now["cue"] == machine.get("cue") and now[field or ""] == machine.get(field or ""))


@dataclass(frozen=True, slots=True)
class ReviewedClaim:
    """A claim after its reviews: the claim to show and file, and what decided it."""

    claim: Claim
    status: Status | None
    actor_id: str | None = None
    """The actor a person attributed the claim to, if one did."""


def review_status(verdict: str | None, corrected: bool) -> Status | None:
    """The claim's ``review`` state from its latest verdict and whether a field was corrected.

    >>> review_status("reject", True), review_status("accept", False), review_status(None, True)
    ('rejected', 'accepted', 'corrected')
    >>> review_status(None, False) is None
    True
    """
    if verdict == "reject":
        return "rejected"
    if corrected:
        return "corrected"
    return "accepted" if verdict == "accept" else None


def reviewed_claim(
    claim: Claim, text: str, verdict: str | None, corrections: Iterable[Correction]
) -> ReviewedClaim:
    """``claim`` with its ``corrections`` applied (one per field, the reviews in force) and its
    latest ``verdict``."""
    actor: str | None = None
    corrected = False
    for correction in corrections:
        claim = correction.apply(claim, text)
        corrected = True
        if correction.field == "source":
            actor = correction.value.get("actor_id")
    return ReviewedClaim(claim, review_status(verdict, corrected), actor)
