"""The typed output records of the output contract (schema version 1.1), in one module.

Every span is ``(start, end)`` into ``document.text`` (the repaired text), end exclusive, with
``text == document.text[start:end]``; :meth:`Extraction.check_spans` verifies that. Records are
frozen; :func:`to_json` serialises them deterministically (sorted keys, no timestamps), so the
same input and version give byte-identical output.

>>> span = Span(start=4, end=9, text="Putin")
>>> span.end - span.start
5
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "SCHEMA_VERSION",
    "Claim",
    "DocumentRecord",
    "Entity",
    "Extraction",
    "PipelineInfo",
    "Place",
    "Quantity",
    "Repair",
    "RepairKind",
    "Span",
    "StageReport",
    "TimeExpression",
    "claim_id",
    "iter_json",
    "json_schema",
    "mention_id",
    "stable_id",
    "to_json",
]

#: "1.1" adds ``times[].open`` and ``times[].anchor_time`` (optional, null by default); a reader
#: of "1" can ignore them. Extractions of "1" still load. In "1.1" ``quantities[].low`` /
#: ``high`` may be null: a side the text leaves open ("more than 40" has no ``high``).
SCHEMA_VERSION = "1.1"

SourceKind = Literal["named", "unnamed", "author", "unresolved"]
QuoteKind = Literal["direct", "indirect", "mixed", "none"]
Certainty = Literal[
    "asserted", "reported", "claimed", "believed", "alleged", "denied", "evidential", "hypothetical"
]
EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "OTHER"]
Feature = Literal["country", "admin1", "admin2", "populated_place", "other"]
PlaceRole = Literal["site", "origin", "destination", "transit"]
QuantityKind = Literal["count", "duration", "money", "percent", "measure"]
Precision = Literal["day", "week", "month", "quarter", "year", "duration", "vague"]
Anchor = Literal["published", "speech", "absolute", "none"]
OpenSide = Literal["start", "end"]
RepairKind = Literal["encoding", "debris", "normalization"]
StageStatus = Literal["ran", "skipped", "not_implemented"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Record):
    """Characters ``[start, end)`` of ``document.text``, with the text they cover."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        if len(self.text) != self.end - self.start:
            raise ValueError(
                f"span text has {len(self.text)} characters but covers {self.end - self.start}"
            )
        return self

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span of ``text[start:end]``.

        >>> Span.of("It added: yes", 3, 8).text
        'added'
        """
        return cls(start=start, end=end, text=text[start:end])


class Repair(_Record):
    """One change made to the input text, replayable: put ``after`` over ``input_start:input_end``.

    ``input_start``/``input_end`` index the decoded input (before repair); ``start``/``end`` index
    ``document.text`` (after repair), where ``after`` now stands.
    """

    kind: RepairKind
    fixer: str = Field(description="what made the change: ftfy's steps, or claimtrace's rule name")
    input_start: int = Field(ge=0)
    input_end: int = Field(ge=0)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    before: str
    after: str


class DocumentRecord(_Record):
    id: str = Field(description="sha256 of the repaired text (hex)")
    text: str = Field(description="the repaired text; every offset indexes it")
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    repairs: tuple[Repair, ...] = ()
    input: str = Field(description="where the document came from: a path, 'stdin', or 'feed:line'")
    format: Literal["text", "html"] = "text"
    encoding: str = Field(description="the character encoding detected (or given) for the bytes")
    raw_sha256: str = Field(description="sha256 of the raw input bytes (hex)")


class Claim(_Record):
    id: str
    source: Span | None
    source_kind: SourceKind = Field(
        description="named, unnamed ('officials'), author (the outlet's own assertion), or"
        " unresolved: a bare pronoun ('he', 'I') with no antecedent, never a named source"
    )
    source_entity: str | None = None
    cue: Span | None
    content: tuple[Span, ...]
    quote: QuoteKind
    certainty: Certainty
    negated: bool = False
    parent: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    entities: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    quantities: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    evidence: tuple[str, ...] = Field(default=(), description="rules or models that produced it")


class Entity(_Record):
    id: str
    name: str
    type: EntityType
    mentions: tuple[Span, ...]
    roles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()


class Place(_Record):
    id: str
    mention: Span
    name: str
    geonames_id: int | None
    feature: Feature
    country_code: str | None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    role: PlaceRole | None = None
    confidence: float = Field(ge=0.0, le=1.0)


class Quantity(_Record):
    id: str
    mention: Span
    kind: QuantityKind
    #: None where the text leaves that side open: "more than 40" has no ``high``, "up to 40" no
    #: ``low``; a bound is never made up to close it.
    low: float | None
    high: float | None
    best: float | None = None
    approximate: bool = False
    counted: str | None = None
    unit: str | None = None


class TimeExpression(_Record):
    id: str
    mention: Span
    value: str | None
    start: str | None = None
    end: str | None = None
    precision: Precision
    anchor: Anchor
    open: OpenSide | None = Field(
        default=None,
        description=(
            "schema 1.1: the unbounded side of an open interval ('since August': end, value "
            "'2023-08/..'; 'before 2018': start, value '../2017-12-31'), whose start or end is "
            "then null; null for a closed one"
        ),
    )
    anchor_time: str | None = Field(
        default=None,
        description=(
            "schema 1.1: the id of the earlier time a narrative time counts from ('three weeks "
            "later'); its anchor is that time's"
        ),
    )


class StageReport(_Record):
    """What happened to one stage of the pipeline for this document."""

    name: str
    status: StageStatus


class PipelineInfo(_Record):
    """Which code and model produced an extraction, and which stages really ran."""

    version: str
    model: str = Field(description="the language pipeline: name and version")
    stages: tuple[StageReport, ...]


class Extraction(_Record):
    """Everything claimtrace extracts from one document: the contract's top-level object."""

    schema_version: Literal["1", "1.1"] = "1.1"
    document: DocumentRecord
    sentences: tuple[Span, ...] = ()
    claims: tuple[Claim, ...] = ()
    entities: tuple[Entity, ...] = ()
    places: tuple[Place, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    pipeline: PipelineInfo

    def spans(self) -> Iterator[tuple[str, Span]]:
        """Every span in the extraction, with a path saying where it sits."""
        for i, sentence in enumerate(self.sentences):
            yield f"sentences[{i}]", sentence
        for i, claim in enumerate(self.claims):
            if claim.source is not None:
                yield f"claims[{i}].source", claim.source
            if claim.cue is not None:
                yield f"claims[{i}].cue", claim.cue
            for j, part in enumerate(claim.content):
                yield f"claims[{i}].content[{j}]", part
        for i, entity in enumerate(self.entities):
            for j, mention in enumerate(entity.mentions):
                yield f"entities[{i}].mentions[{j}]", mention
        for i, place in enumerate(self.places):
            yield f"places[{i}].mention", place.mention
        for i, quantity in enumerate(self.quantities):
            yield f"quantities[{i}].mention", quantity.mention
        for i, time in enumerate(self.times):
            yield f"times[{i}].mention", time.mention

    def check_spans(self) -> list[str]:
        """Problems with spans or repairs against ``document.text``; empty when all is well."""
        text = self.document.text
        problems = [
            f"{where}: {span.text!r} != text[{span.start}:{span.end}]"
            for where, span in self.spans()
            if span.end > len(text) or text[span.start : span.end] != span.text
        ]
        problems.extend(
            f"repairs[{i}]: {repair.after!r} != text[{repair.start}:{repair.end}]"
            for i, repair in enumerate(self.document.repairs)
            if text[repair.start : repair.end] != repair.after
        )
        return problems


def stable_id(prefix: str, document_id: str, *parts: object) -> str:
    """A short id that depends only on the document and the parts that locate a record.

    >>> stable_id("c", "ab" * 32, 10, 42)
    'c-ababababab-037370113e6a'
    """
    digest = hashlib.sha256("\x1f".join([document_id, *map(str, parts)]).encode()).hexdigest()
    return f"{prefix}-{document_id[:10]}-{digest[:12]}"


def claim_id(document_id: str, content: tuple[int, int], cue: tuple[int, int] | None = None) -> str:
    """A claim's id: from the start and end of its content, and its cue's offsets.

    >>> claim_id("ab" * 32, (10, 42)) == stable_id("c", "ab" * 32, 10, 42)
    True
    """
    return stable_id("c", document_id, content[0], content[1], *(cue or ()))


def mention_id(prefix: str, document_id: str, start: int, end: int) -> str:
    """The id of a record found at one mention (a place ``p``, quantity ``q``, time ``t``)."""
    return stable_id(prefix, document_id, start, end)


def to_json(extraction: Extraction, *, indent: int | None = 2) -> str:
    """Serialise deterministically: sorted keys, non-ASCII kept as is, no trailing spaces."""
    return "".join(iter_json(extraction, indent=indent))


def iter_json(extraction: Extraction, *, indent: int | None = 2) -> Iterator[str]:
    """:func:`to_json` in pieces, one record at a time, for writing a large extraction without
    holding its whole JSON (or the dictionaries behind it) in memory.

    >>> from claimtrace.records import DocumentRecord, Extraction, PipelineInfo
    >>> document = DocumentRecord(id="x", text="Hi.", input="t", encoding="utf-8", raw_sha256="y")
    >>> one = Extraction(document=document, sentences=(Span.of("Hi.", 0, 3),),
    ...                  pipeline=PipelineInfo(version="0", model="m", stages=()))
    >>> data = one.model_dump(mode="json")
    >>> all(to_json(one, indent=i) == json.dumps(data, ensure_ascii=False, sort_keys=True,
    ...     indent=i) for i in (None, 2))
    True
    """
    newline = "" if indent is None else "\n"
    comma = ", " if indent is None else ","
    outer = "" if indent is None else " " * indent
    inner = outer * 2

    def dumped(value: Any, pad: str) -> str:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=indent)
        return text.replace("\n", "\n" + pad) if pad else text

    yield "{"
    for k, name in enumerate(sorted(Extraction.model_fields)):
        yield (comma if k else "") + newline + outer + json.dumps(name) + ": "
        value = getattr(extraction, name)
        if isinstance(value, tuple) and value:
            yield "["
            for j, record in enumerate(value):
                piece = dumped(record.model_dump(mode="json"), inner)
                yield (comma if j else "") + newline + inner + piece
            yield newline + outer + "]"
        else:
            yield dumped(extraction.model_dump(mode="json", include={name})[name], outer)
    yield newline + "}"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one :class:`Extraction` (what ``claimtrace schema`` prints)."""
    schema = Extraction.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://claimtrace.invalid/schema/v{SCHEMA_VERSION}/extraction.json"
    schema["title"] = "claimtrace extraction (one document)"
    return schema
