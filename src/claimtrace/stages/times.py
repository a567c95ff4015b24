"""Times: dates, periods and durations, resolved against the publication date, tied to claims.

The grammar and the calendar arithmetic live in :mod:`claimtrace.stages.timeparse` (pure text →
value). This stage adds what the parsed document knows:

* **Not times**: "May" the modal or a name ("Theresa May"), "March" the verb, tagged by the
  parser (``MD``/``VERB``, or inside a PERSON entity), are dropped.
* **Tense**: a weekday or a month without a year is placed before publication when its clause
  is past tense ("met on Thursday"), after it when future ("will meet on Thursday").
* **Anchor**: ``absolute`` when the text states the time in full ("3 March 2023", "2022") or
  it is a duration; ``published`` when resolved against ``document.published``; ``speech`` when
  it lies inside the content of an attribution (a claim with a cue): still resolved against
  publication, but flagged, since the speaker's "last week" may be older than the article;
  ``none`` when there is no publication date (value null, precision still typed) or the time
  counts from the story's own time ("three weeks later").
* **Claims**: each claim lists the times inside its content spans, and the time of the claim
  itself: a time outside the content attached to the cue ("Prigozhin claimed last month that
  …", "Last month the general staff said …").

>>> from claimtrace.nlp import load_pipeline
>>> from claimtrace.records import DocumentRecord
>>> text = "Officials met on Thursday, last week, for six months."
>>> record = DocumentRecord(id="0" * 64, text=text, published="2023-03-10", input="doc",
...                         encoding="utf-8", raw_sha256="0" * 64)
>>> found = run(load_pipeline("rules")(text), StageContext(document=record))
>>> [(t.mention.text, t.value, t.anchor) for t in found.times]
[('Thursday', '2023-03-09', 'published'), ('last week', '2023-W09', 'published'), \
('six months', 'P6M', 'absolute')]
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from datetime import date
from typing import Final

from spacy.tokens import Doc, Token

from claimtrace.records import Anchor, Claim, Span, TimeExpression
from claimtrace.stages.context import Findings, StageContext
from claimtrace.stages.timeparse import (
    Cal,
    Holiday,
    Match,
    Narrative,
    Open,
    Part,
    Range,
    Rel,
    Shift,
    TimeOfDay,
    Weekday,
    WeekdayDay,
    find_times,
    resolve,
)
from claimtrace.stages.timetense import clause_tense

__all__ = ["run"]

_TENSED: Final = (Cal, Part, Weekday, WeekdayDay, Rel, Range, Holiday, TimeOfDay, Open)

_AMBIGUOUS: Final = frozenset({"may", "march", "mar"})


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _not_a_time(doc: Doc, match: Match, tagged: bool) -> bool:
    """True for "May" the modal or a name and "March" the verb (needs tags)."""
    if not tagged or match.text.strip(".").lower() not in _AMBIGUOUS:
        return False
    token = _token_at(doc, match.start)
    if token is None:
        return False
    return token.tag_ == "MD" or token.pos_ in ("AUX", "VERB") or token.ent_type_ == "PERSON"


def _inside(spans: tuple[Span, ...], start: int, end: int) -> bool:
    return any(span.start <= start and end <= span.end for span in spans)


def _claim_time_ids(
    doc: Doc, claim: Claim, times: list[tuple[TimeExpression, Match]], parsed: bool
) -> list[str]:
    """Times inside the claim's content, then the time attached to its cue outside it."""
    ids = [t.id for t, m in times if _inside(claim.content, m.start, m.end)]
    cue = claim.cue
    if cue is None:
        return ids
    cue_token = _token_at(doc, cue.start)
    if cue_token is None:
        return ids
    sentence = cue_token.sent
    for record, match in times:
        if record.id in ids or not (sentence.start_char <= match.start < sentence.end_char):
            continue
        if _inside(claim.content, match.start, match.end):
            continue
        if claim.source is not None and _inside((claim.source,), match.start, match.end):
            continue
        if parsed:
            token = _token_at(doc, match.start)
            tokens = doc.char_span(match.start, match.end, alignment_mode="expand")
            if token is None or tokens is None:
                continue
            heads = {t.head.i for t in tokens if t.head.i < tokens.start or t.head.i >= tokens.end}
            attached = {cue_token.i, cue_token.head.i}
            if heads & attached:
                ids.append(record.id)
        elif match.end <= cue.start or match.start - cue.end <= 20:
            ids.append(record.id)  # no parse: before the cue in its sentence, or right after it
    return ids


_GRAIN: Final = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}


def _story_anchor(
    record: TimeExpression, text: str, found: list[tuple[TimeExpression, Match]]
) -> TimeExpression | None:
    """The last time before ``record`` in its paragraph that names one period (not a duration,
    an open interval or a vague time); None when there is none."""
    for earlier, match in reversed(found):
        if "\n\n" in text[match.end : record.mention.start]:
            return None  # another paragraph: the story may have moved on
        if earlier.precision in _GRAIN and earlier.start and earlier.end and not earlier.open:
            return earlier
    return None


def _from_story_time(
    record: TimeExpression, expr: Narrative, text: str, found: list[tuple[TimeExpression, Match]]
) -> TimeExpression:
    """A narrative time ("three weeks later", "the next day", "that year") counted from the last
    anchored time of its paragraph (:func:`_story_anchor`); unresolved when the text gives none,
    or one too coarse for it ("the next day" after "in March"): never invented."""
    if expr.amount is None:
        return record
    last = _story_anchor(record, text, found)
    if last is None or last.start is None:
        return record
    grain = _GRAIN[last.precision]
    unit = expr.amount[-1][0]
    wanted = expr.precision if expr.period or unit == "day" else last.precision
    if _GRAIN.get(unit, 0) < grain or _GRAIN.get(wanted, 0) < grain:
        return record  # finer than what it counts from
    day = date.fromisoformat(last.start)
    base = Cal(day.year, day.month, day.day)
    shifted = resolve(Shift(expr.amount, expr.sign, base), day) if expr.sign else resolve(base, day)
    if shifted.start is None:
        return record
    if wanted != "day":
        shifted = resolve(Rel(wanted, 0), shifted.start)
    return record.model_copy(
        update={
            "value": shifted.value,
            "start": shifted.start.isoformat() if shifted.start else None,
            "end": shifted.end.isoformat() if shifted.end else None,
            "precision": shifted.precision,
            "anchor": last.anchor,
            "anchor_time": last.id,
        }
    )


def _anchor(match: Match, relative: bool, reference: date | None, in_speech: bool) -> Anchor:
    if isinstance(match.expr, Narrative):
        return "none"
    if not relative:
        return "absolute"
    if reference is None:
        return "none"
    return "speech" if in_speech else "published"


def run(doc: Doc, ctx: StageContext) -> Findings:
    """Add every time expression of ``doc`` and link times to claims."""
    text = doc.text
    published = ctx.document.published
    reference = date.fromisoformat(published) if published else None
    tagged = doc.has_annotation("TAG")
    parsed = doc.has_annotation("DEP")
    speech_spans = tuple(
        span for claim in ctx.found.claims if claim.cue is not None for span in claim.content
    )
    speech_starts = sorted(span.start for span in speech_spans)
    found: list[tuple[TimeExpression, Match]] = []
    for match in find_times(text):
        if _not_a_time(doc, match, tagged):
            continue
        needs_tense = isinstance(match.expr, _TENSED)
        tense = clause_tense(doc, match.start, match.end) if needs_tense and parsed else None
        resolved = resolve(match.expr, reference, tense)
        in_speech = (
            bool(speech_starts)
            and bisect_right(speech_starts, match.start) > 0
            and (_inside(speech_spans, match.start, match.end))
        )
        anchor = _anchor(match, resolved.relative, reference, in_speech)
        record = TimeExpression(
            id=ctx.mention_id("t", match.start, match.end),
            mention=Span.of(text, match.start, match.end),
            value=resolved.value if anchor != "none" or not resolved.relative else None,
            start=resolved.start.isoformat() if resolved.start and anchor != "none" else None,
            end=resolved.end.isoformat() if resolved.end and anchor != "none" else None,
            precision=resolved.precision,
            anchor=anchor,
            open=resolved.open,
        )
        if isinstance(match.expr, Narrative):
            record = _from_story_time(record, match.expr, text, found)
        found.append((record, match))
    claims = tuple(
        claim.model_copy(update={"times": tuple(_claim_time_ids(doc, claim, found, parsed))})
        for claim in ctx.found.claims
    )
    return replace(ctx.found, times=tuple(r for r, _ in found), claims=claims)
