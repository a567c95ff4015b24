"""What a stage receives besides the parsed document, and what stages produce together."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimtrace.records import (
    Claim,
    DocumentRecord,
    Entity,
    Place,
    Quantity,
    Span,
    TimeExpression,
    claim_id,
    mention_id,
)

__all__ = ["Findings", "StageContext"]


@dataclass(frozen=True, slots=True)
class Findings:
    """The records produced so far; a stage returns a new one (``dataclasses.replace``)."""

    sentences: tuple[Span, ...] = ()
    claims: tuple[Claim, ...] = ()
    entities: tuple[Entity, ...] = ()
    places: tuple[Place, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeExpression, ...] = ()


@dataclass(frozen=True, slots=True)
class StageContext:
    """The document's metadata and the findings of the stages that ran before."""

    document: DocumentRecord
    found: Findings = field(default_factory=Findings)
    #: where ``document.text`` begins in the whole document's text: a long document is parsed in
    #: segments (:mod:`claimtrace.segments`), and ids are made from offsets into the whole text
    offset: int = 0

    def claim_id(self, content: tuple[int, int], cue: tuple[int, int] | None) -> str:
        """The id of a claim whose content runs over ``content`` (offsets into this text)."""
        shift = self.offset
        moved_cue = (cue[0] + shift, cue[1] + shift) if cue else None
        return claim_id(self.document.id, (content[0] + shift, content[1] + shift), moved_cue)

    def mention_id(self, prefix: str, start: int, end: int) -> str:
        """The id of a record found at ``text[start:end]`` (a place, quantity or time)."""
        return mention_id(prefix, self.document.id, start + self.offset, end + self.offset)
