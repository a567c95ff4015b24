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
