"""Cut a document's text into runs that carry the same marks, for the highlighted article.

Claims nest and overlap (A says that B said …), so spans cannot become nested HTML elements
one by one. Instead the text is cut at every span boundary, and each run lists every mark that
covers it; the template styles a run by its roles and the script finds its claims. Offsets are
the document's own, so a run's text is exactly ``text[start:end]``.

>>> runs = segments("Ann said it rained.", [Mark(0, 3, "source", 0), Mark(4, 8, "cue", 0),
...                                        Mark(9, 18, "content", 0)])
>>> [(run.text, "+".join(sorted(run.roles))) for run in runs]
[('Ann', 'source'), (' ', ''), ('said', 'cue'), (' ', ''), ('it rained', 'content'), ('.', '')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from claimtrace.records import Extraction

__all__ = ["Mark", "Segment", "marks_of", "segments"]


@dataclass(frozen=True, slots=True)
class Mark:
    """Characters ``[start, end)`` play ``role`` (source, cue, content, place, quantity, time)
    for claim number ``claim`` (``-1`` for a mention that belongs to no one claim)."""

    start: int
    end: int
    role: str
    claim: int = -1


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text covered by the same marks."""

    start: int
    end: int
    text: str
    roles: frozenset[str]
    claims: tuple[int, ...]


def segments(text: str, marks: Iterable[Mark]) -> list[Segment]:
    """The text cut at every mark boundary; each run with the roles and claims covering it.

    Marks outside the text are clipped; empty marks are ignored. Linear in the text's runs
    after one sort of the boundaries.

    >>> [run.claims for run in segments("abc", [Mark(0, 2, "content", 1), Mark(1, 3, "cue", 2)])]
    [(1,), (1, 2), (2,)]
    """
    size = len(text)
    events: dict[int, list[tuple[int, Mark]]] = {}
    for mark in marks:
        start, end = max(0, mark.start), min(size, mark.end)
        if start >= end:
            continue
        events.setdefault(start, []).append((1, mark))
        events.setdefault(end, []).append((-1, mark))
    cuts = sorted({0, size, *events})
    active: dict[Mark, int] = {}
    result: list[Segment] = []
    for left, right in pairwise(cuts):
        for change, mark in events.get(left, ()):
            count = active.get(mark, 0) + change
            if count > 0:
                active[mark] = count
            else:
                active.pop(mark, None)
        if left >= right:
            continue
        result.append(
            Segment(
                start=left,
                end=right,
                text=text[left:right],
                roles=frozenset(mark.role for mark in active),
                claims=tuple(sorted({mark.claim for mark in active if mark.claim >= 0})),
            )
        )
    return result


def marks_of(extraction: Extraction) -> list[Mark]:
    """The marks of every claim's source, cue and content, and of every place, number and time."""
    found: list[Mark] = []
    for index, claim in enumerate(extraction.claims):
        if claim.source is not None:
            found.append(Mark(claim.source.start, claim.source.end, "source", index))
        if claim.cue is not None:
            found.append(Mark(claim.cue.start, claim.cue.end, "cue", index))
        found.extend(Mark(part.start, part.end, "content", index) for part in claim.content)
    found.extend(Mark(p.mention.start, p.mention.end, "place") for p in extraction.places)
    found.extend(Mark(q.mention.start, q.mention.end, "quantity") for q in extraction.quantities)
    found.extend(Mark(t.mention.start, t.mention.end, "time") for t in extraction.times)
    return found
