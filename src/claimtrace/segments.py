"""Long documents in segments: cut where nothing runs over, parse and run the stages on each
segment, and merge what they found into one document's findings with offsets into the whole text.

A language pipeline's memory grows faster than the text it parses (spaCy refuses texts over
``max_length``, and the parser's peak memory is several hundred MB for 100,000 characters), so a
document that weighs :attr:`SegmentPlan.whole_below` or more (:func:`weight_of`: its length in
characters, more when it is denser in tokens than news prose) is cut into segments of about
:attr:`SegmentPlan.size`:

* a cut falls at a paragraph break, else a line break, else a sentence end, else whitespace —
  and never inside a quotation when a cut outside one is in reach, so a quote that runs over
  paragraphs stays in one segment with its speaker;
* each segment is parsed with up to :attr:`SegmentPlan.context` characters of the text before it
  (its *context*), so a follow-on quote or a pronoun at the start of a segment still finds the
  speaker named just before. Records found in the context belong to the previous segment and are
  dropped; a record belongs to the segment where it starts (a claim: its cue or content);
* offsets are shifted back into the whole text; the stages make the ids that derive from offsets
  (claims, places, quantities, times) from offsets into the whole text
  (:attr:`~claimtrace.stages.context.StageContext.offset`), so an id does not depend on where the
  cuts fell. Entities found in several
  segments under one canonical key are one entity (their mentions, roles and affiliations joined);
  a bare surname joins the one person of an earlier segment whose full name ends with it.

Only :data:`~claimtrace.stages.context.Findings` cross segments: each segment's parse is dropped
before the next is made, so memory is bounded by the segment, not the document.

>>> plan = SegmentPlan(whole_below=40, size=30, context=20)
>>> text = "One para here.\\n\\nSecond para is here.\\n\\nThird one.\\n\\nFourth para."
>>> [(s.start, s.core, s.end) for s in plan.cut(text)]
[(0, 0, 16), (0, 16, 38), (38, 38, 62)]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from claimtrace.records import (
    Claim,
    Entity,
    Place,
    Quantity,
    Span,
    TimeExpression,
)
from claimtrace.stages.context import Findings
from claimtrace.stages.quotes import find_quotes

__all__ = ["Merger", "Segment", "SegmentPlan", "weight_of"]

_Record = TypeVar("_Record", Place, Quantity, TimeExpression)

#: Where a cut may fall, best first: after a blank line, a line break, a sentence end, a space.
_BREAKS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\n[ \t\r\f\v]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])"),
    re.compile(r"\s+"),
)


@dataclass(frozen=True, slots=True)
class Segment:
    """``text[start:end]`` is parsed; records that start in ``text[core:end]`` are kept."""

    start: int
    core: int
    end: int


@dataclass(frozen=True, slots=True)
class SegmentPlan:
    """How long documents are cut (characters)."""

    #: a document shorter than this is one segment: its output is exactly the unsegmented one
    whole_below: int = 40_000
    #: the length a segment aims at (its own part, context excluded)
    size: int = 20_000
    #: at most this much text before a segment is parsed with it
    context: int = 2_000

    def __post_init__(self) -> None:
        if not 0 < self.size <= self.whole_below or self.context < 0:
            raise ValueError(f"bad segment plan {self}")

    def cut(self, text: str) -> list[Segment]:
        """The segments of ``text``: their own parts cover it, in order, without overlap.

        Sizes count :func:`weight`, not characters: text dense in tokens is cut shorter.
        """
        n = len(text)
        # a text weighs at most 1 / _NEWS_TOKENS_PER_CHAR times its length: short ones need no count
        weight = n if n < self.whole_below * _NEWS_TOKENS_PER_CHAR else weight_of(text)
        if weight < self.whole_below:
            return [Segment(0, 0, n)]
        size = max(1, self.size * n // weight)
        quoted = _Quoted(text)
        segments: list[Segment] = []
        core = 0
        while core < n:
            end = n if n - core <= size * 3 // 2 else self._end(text, core, size, quoted)
            start = self._context_start(text, core, quoted) if core else 0
            segments.append(Segment(start, core, end))
            core = end
        return segments

    def _end(self, text: str, core: int, size: int, quoted: _Quoted) -> int:
        """The best cut between half a segment and a whole one after ``core``."""
        low, high = core + size // 2, core + size
        for pattern in _BREAKS:
            for outside in (True, False):
                cut = _last_break(pattern, text, low, high, quoted if outside else None)
                if cut is not None:
                    return cut
        return high  # no whitespace in reach: a hard cut

    def _context_start(self, text: str, core: int, quoted: _Quoted) -> int:
        """The earliest break within :attr:`context` before ``core`` (``core`` if none)."""
        low = max(0, core - self.context)
        if low == 0:
            return 0
        for pattern in _BREAKS[:3]:
            cut = _first_break(pattern, text, low, core, quoted)
            if cut is not None:
                return cut
        return core


#: Tokens per character of news prose (about 20,000 tokens in 100,000 characters).
_NEWS_TOKENS_PER_CHAR = 0.2
_TOKENS = re.compile(r"\w+|[^\w\s]")


def weight_of(text: str) -> int:
    """What ``text`` costs to parse, in characters of news prose: its length, or more when it
    is denser in tokens than prose is (a parser's memory follows tokens, not characters).

    >>> weight_of("Officials said it rained."), weight_of('"a" b ' * 20)
    (25, 400)
    """
    floor = len(text)
    if floor * _NEWS_TOKENS_PER_CHAR < 1 or floor < 64:
        return floor
    tokens = sum(1 for _ in _TOKENS.finditer(text))
    return max(floor, int(tokens / _NEWS_TOKENS_PER_CHAR))


class _Quoted:
    """Which offsets lie inside a quotation (quotes running over paragraphs count as one)."""

    def __init__(self, text: str) -> None:
        groups: dict[int, tuple[int, int]] = {}
        for quote in find_quotes(text):
            start, end = groups.get(quote.group, (quote.start, quote.end))
            groups[quote.group] = (min(start, quote.start), max(end, quote.end))
        spans = sorted(groups.values())
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def inside(self, offset: int) -> bool:
        k = bisect_right(self.starts, offset) - 1
        # a quote's marks sit just outside its span: a cut right after the closing mark is out
        return k >= 0 and offset <= self.ends[k]


def _last_break(
    pattern: re.Pattern[str], text: str, low: int, high: int, quoted: _Quoted | None
) -> int | None:
    best = None
    for match in pattern.finditer(text, low, high):
        if quoted is None or not quoted.inside(match.end()):
            best = match.end()
    return best


def _first_break(
    pattern: re.Pattern[str], text: str, low: int, high: int, quoted: _Quoted
) -> int | None:
    for match in pattern.finditer(text, low, high):
        if match.end() < high and not quoted.inside(match.end()):
            return match.end()
    return None


class Merger:
    """One document's findings, assembled from its segments' as each is done (each with offsets
    into its own text), so that only one segment's records are ever held twice."""

    def __init__(self, document_id: str, text: str) -> None:
        self.document_id = document_id
        self.text = text
        self.whole: Findings | None = None  # a document that was one segment: kept as it is
        self.sentences: list[Span] = []
        self.claims: list[Claim] = []
        self.entities: dict[str, Entity] = {}
        self.mentions: dict[str, dict[tuple[int, int], Span]] = {}  # by entity id
        self.surnames: dict[str, set[str]] = {}  # a person's last name -> their entity ids
        self.places: list[Place] = []
        self.quantities: list[Quantity] = []
        self.times: list[TimeExpression] = []

    def add(self, segment: Segment, found: Findings) -> None:
        """Take in one segment's findings (segments come in order)."""
        if segment.start == 0 and segment.end == len(self.text):
            self.whole = found
            return
        shift, core = segment.start, segment.core

        def own(span: Span) -> bool:
            return span.start + shift >= core

        def move(span: Span) -> Span:
            return Span(start=span.start + shift, end=span.end + shift, text=span.text)

        ids: dict[str, str] = {}  # an entity's id in the segment -> in the document
        self.sentences.extend(move(s) for s in found.sentences if own(s))
        for entity in found.entities:
            ids[entity.id] = self._add_entity(
                entity.model_copy(update={"mentions": tuple(move(m) for m in entity.mentions)})
            )
        self.places.extend(self._mentioned(found.places, shift, core))
        self.quantities.extend(self._mentioned(found.quantities, shift, core))
        self.times.extend(self._mentioned(found.times, shift, core))
        for claim in found.claims:
            if not own(_anchor(claim)):
                continue
            self.claims.append(
                claim.model_copy(
                    update={
                        "source": move(claim.source) if claim.source else None,
                        "cue": move(claim.cue) if claim.cue else None,
                        "content": tuple(move(part) for part in claim.content),
                        "source_entity": ids.get(claim.source_entity, claim.source_entity)
                        if claim.source_entity
                        else None,
                        "entities": _mapped(claim.entities, ids),
                        "evidence": tuple(_moved_evidence(e, shift, ids) for e in claim.evidence),
                    }
                )
            )

    @staticmethod
    def _mentioned(records: Iterable[_Record], shift: int, core: int) -> Iterator[_Record]:
        """The records found at a mention in this segment's own part, moved into the whole text
        (their ids, made by the stages from offsets into the whole text, stay)."""
        for record in records:
            start, end = record.mention.start + shift, record.mention.end + shift
            if start >= core:
                mention = Span(start=start, end=end, text=record.mention.text)
                yield record.model_copy(update={"mention": mention})

    def _add_entity(self, entity: Entity) -> str:
        """Add ``entity`` or join it to the one it names; the id it ends up with."""
        same = self.entities.get(entity.id)
        if same is not None and same.type != entity.type:
            entity = entity.model_copy(update={"id": entity.id + "-" + entity.type.lower()})
            same = self.entities.get(entity.id)
        if same is None and entity.type == "PERSON" and " " not in entity.name:
            full = self.surnames.get(entity.name, ())
            if len(full) == 1:
                same = self.entities[next(iter(full))]
        if same is None:
            self.entities[entity.id] = entity
            self.mentions[entity.id] = {(m.start, m.end): m for m in entity.mentions}
            if entity.type == "PERSON" and " " in entity.name:
                self.surnames.setdefault(entity.name.rsplit(" ", 1)[-1], set()).add(entity.id)
            return entity.id
        for mention in entity.mentions:
            self.mentions[same.id].setdefault((mention.start, mention.end), mention)
        if entity.roles or entity.affiliations:
            self.entities[same.id] = same.model_copy(
                update={
                    "roles": _joined(same.roles, entity.roles),
                    "affiliations": _joined(same.affiliations, entity.affiliations),
                }
            )
        return same.id

    def findings(self) -> Findings:
        """The document's findings, with offsets into its whole text."""
        if self.whole is not None:
            return self.whole
        known = {*self.entities, *(p.id for p in self.places), *(q.id for q in self.quantities)}
        known.update(t.id for t in self.times)
        claim_ids = {c.id for c in self.claims}
        claims = []
        seen: set[str] = set()
        for claim in sorted(self.claims, key=_order):
            if claim.id in seen:
                continue
            seen.add(claim.id)
            update = _dangling(claim, claim_ids, known)
            claims.append(claim.model_copy(update=update) if update else claim)
        entities = sorted(
            (
                e.model_copy(update={"mentions": _sorted_mentions(self.mentions[e.id])})
                for e in self.entities.values()
            ),
            key=lambda e: (e.mentions[0].start, e.id),
        )
        return Findings(
            sentences=tuple(self.sentences),
            claims=tuple(claims),
            entities=tuple(entities),
            places=tuple(_unique(self.places)),
            quantities=tuple(_unique(self.quantities)),
            times=tuple(_unique(self.times)),
        )


def _dangling(claim: Claim, claims: set[str], known: set[str]) -> dict[str, object]:
    """What to drop from ``claim``: references to records that no segment kept."""
    update: dict[str, object] = {}
    if claim.parent is not None and claim.parent not in claims:
        update["parent"] = None
    if claim.source_entity is not None and claim.source_entity not in known:
        update["source_entity"] = None
    for name in ("entities", "places", "quantities", "times"):
        refs: tuple[str, ...] = getattr(claim, name)
        if any(ref not in known for ref in refs):
            update[name] = tuple(ref for ref in refs if ref in known)
    return update


def _anchor(claim: Claim) -> Span:
    """Where a claim starts, for ownership and order: its cue or content, whichever is first."""
    spans = [*claim.content, *((claim.cue,) if claim.cue else ())]
    return min(spans, key=lambda s: s.start) if spans else Span(start=0, end=0, text="")


def _sorted_mentions(mentions: dict[tuple[int, int], Span]) -> tuple[Span, ...]:
    return tuple(mentions[key] for key in sorted(mentions))


def _order(claim: Claim) -> tuple[int, ...]:
    """The stages' order of claims: by content, then cue."""
    first = claim.content[0] if claim.content else _anchor(claim)
    cue = (claim.cue.start, claim.cue.end) if claim.cue else (0, 0)
    return (first.start, first.end, *cue)


#: Evidence that names offsets ("antecedent:pronoun:120-128") or an entity ("source-entity:e-…").
_OFFSETS_EVIDENCE = re.compile(r"^(antecedent:[^:]+:)(\d+)-(\d+)$")
_ENTITY_EVIDENCE = "source-entity:"


def _moved_evidence(item: str, shift: int, ids: dict[str, str]) -> str:
    """An evidence tag with its offsets moved into the whole text and its entity id mapped.

    >>> _moved_evidence("antecedent:pronoun:12-15", 100, {})
    'antecedent:pronoun:112-115'
    >>> _moved_evidence("source-entity:e-1", 0, {"e-1": "e-2"})
    'source-entity:e-2'
    >>> _moved_evidence("cue:verb:say", 9, {})
    'cue:verb:say'
    """
    if item.startswith(_ENTITY_EVIDENCE):
        ident = item.removeprefix(_ENTITY_EVIDENCE)
        return _ENTITY_EVIDENCE + ids.get(ident, ident)
    found = _OFFSETS_EVIDENCE.match(item)
    if found is None:
        return item
    return f"{found.group(1)}{int(found.group(2)) + shift}-{int(found.group(3)) + shift}"


def _mapped(refs: Iterable[str], ids: dict[str, str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids.get(ref, ref) for ref in refs))


def _joined(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    seen = {x.lower() for x in a}
    return (*a, *(x for x in b if x.lower() not in seen))


def _unique(records: list[_Record]) -> list[_Record]:
    kept: dict[str, _Record] = {}
    for record in records:
        kept.setdefault(record.id, record)
    return sorted(kept.values(), key=lambda r: (r.mention.start, r.mention.end))
