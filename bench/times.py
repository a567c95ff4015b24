"""Accuracy and speed of the ``times`` stage.

    python -m bench.times [--json] [--docs N] [--model NAME] [--no-tbaq] [--tbaq-misses tune]
                           [--compare]

Accuracy: Microsoft Recognizers-Text English specs (``../shared/data/time``). Each case gives
an input, its reference date and the expected expressions with resolved values. A case counts
as right when an expression we find overlaps the expected text and its value agrees:

* date: our day is one of the listed values (ambiguous dates list a past and a future one);
* date range: same first day, and the same last day once Recognizers' exclusive end is made
  inclusive. For explicit "X to Y" ranges Recognizers ends at the *start* of Y ("from 2014 to
  2018" ends 2018-01-01) where we end at the end of Y (2018-12-31); the *tolerant* figure
  accepts that convention difference, the *strict* one does not;
* duration: the same ISO 8601 duration.

Out of scope, counted apart with the reason (rules fixed before measuring, not per case):
times of day, date-times, time ranges, sets ("every Monday"), time zones (not date types);
values the specs themselves leave unresolved (invalid dates, seasons, fiscal and school years);
open-ended ranges ("before 2018", "since August": the contract's value is a closed interval);
named days (holidays: "Christmas", "Easter"); business days and work weeks; narrative-relative
and anaphoric expressions ("three weeks later", "the next day", "the week", "same month"), which
count from the story's own time and are left unresolved by design; vague counts ("several
weeks": we never invent a number).

TBAQ (``../shared/data/time/tbaq``: TimeBank and AQUAINT, TimeML news with TIMEX3 gold and each
document's creation time, DCT, used as the publication date): the whole ``times`` stage runs on
each text parsed by the language pipeline (tense needs the parse). *Detection*: precision is the
share of our times that overlap a TIMEX3 (any type); recall the share of DATE, TIME and DURATION
TIMEX3s that one of ours overlaps. *Value accuracy*: among those detected, the share whose value
(from the best-overlapping time of ours) agrees with the TIMEX3 value at the granularity the
TIMEX3 gives (:func:`value_agrees`: "1998-01", "1998-W27", "PXD", "1998-01-08TMO"). Split
(:func:`tbaq_splits`): rules are tuned on AQUAINT and the even-numbered TimeBank files (sorted by
name); the odd-numbered TimeBank files are *held out*, never read while writing rules. Measure
and tune rules only: nothing is trained on TBAQ and nothing from it ships.

Libraries (``--compare``, optional: ``pip install 'claimtrace[bench]'``): ``dateparser`` and
``ctparse`` get each TIMEX3 text of a split alone with its document's date, and so does ours
(:func:`find_times` + :func:`resolve`, no sentence, so no tense); value accuracy per part of the
calendar (:func:`timex_part`) at the TIMEX3's granularity, plus ms per expression.

Speed: words/s of the language pipeline alone vs pipeline + times stage, over a sample of
PolNeAR train texts.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

from bench import SHARED
from claimtrace.stages.timeparse import Match, Resolved, find_times, resolve

TIME_DATA = SHARED / "data" / "time"
DEFAULT_CORPUS = SHARED / "data" / "attribution" / "polnear" / "train" / "text"
MODEL_FILE = "recognizers-DateTimeModel.json"
PARSER_FILES = (
    "recognizers-DateParser.json",
    "recognizers-DatePeriodParser.json",
    "recognizers-DurationParser.json",
)
KINDS = ("date", "daterange", "duration")
FLOOR = 0.85

_HOLIDAYS = re.compile(
    r"christmas|easter|halloween|thanksgiving|independence day|labor day|new year|juneteenth|"
    r"freedom day|jubilee day|workers' day|earth day|black friday|saint patrick|eid |eid$|"
    r"\botd\b|valentine|mother's day|father's day|memorial day|columbus|martin luther|"
    r"boxing day|all saints|yuandan|inauguration day",
)
_NARRATIVE = re.compile(
    r"\b(later|earlier)$|^(the |that )?(day|week|month|year|fortnight|hour)$|"
    r"\bday (before|after)$|^(the|that) (next|following|previous) (day|week|month|year)$|"
    r"\bsame\b|"
    r"^that weekend$|^remaining of"
)
_VAGUE = re.compile(r"\b(few|several|some|many|couple)\b|weekends?$")
_WORK = re.compile(r"\bwork ?week|working week|business day")


@dataclass(frozen=True)
class Expected:
    """One expected expression of a spec case, normalised across the spec formats."""

    text: str
    start: int  # character offsets into the input, end exclusive
    end: int
    kind: str
    timex: str
    mod: str
    dates: tuple[str, ...] = ()  # acceptable days (date)
    ranges: tuple[tuple[str, str], ...] = ()  # acceptable (first day, exclusive end) pairs
    unresolved: bool = False


@dataclass(frozen=True)
class Case:
    input: str
    reference: date | None
    expected: tuple[Expected, ...]


@dataclass
class Score:
    """Counts per kind: in scope, right (strict), right (tolerant), and out of scope by reason."""

    total: Counter[str] = field(default_factory=Counter)
    strict: Counter[str] = field(default_factory=Counter)
    tolerant: Counter[str] = field(default_factory=Counter)
    out_of_scope: Counter[str] = field(default_factory=Counter)
    misses: list[dict[str, str]] = field(default_factory=list)

    def accuracy(self, kinds: Iterable[str] = KINDS, *, tolerant: bool = True) -> float:
        kinds = tuple(kinds)
        right = self.tolerant if tolerant else self.strict
        total = sum(self.total[k] for k in kinds)
        return sum(right[k] for k in kinds) / total if total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "in_scope": dict(self.total),
            "right_strict": dict(self.strict),
            "right_tolerant": dict(self.tolerant),
            "accuracy_strict": round(self.accuracy(tolerant=False), 4),
            "accuracy_tolerant": round(self.accuracy(), 4),
            "per_kind": {
                kind: round(self.accuracy([kind]), 4) for kind in KINDS if self.total[kind]
            },
            "out_of_scope": dict(self.out_of_scope.most_common()),
        }


def _reference(context: dict[str, Any] | None) -> date | None:
    if not context or "ReferenceDateTime" not in context:
        return None
    return date.fromisoformat(str(context["ReferenceDateTime"])[:10])


def load_cases(path: Path) -> list[Case]:
    """Cases of a Recognizers spec file (model or parser format), normalised."""
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    cases: list[Case] = []
    for item in data:
        expected = tuple(_expected(item["Input"], result) for result in item.get("Results", []))
        cases.append(Case(item["Input"], _reference(item.get("Context")), expected))
    return cases


def _expected(text: str, result: dict[str, Any]) -> Expected:
    start = int(result.get("Start", 0))
    if "Length" in result:  # parser format
        end = start + int(result["Length"])
        value = result.get("Value") or {}
        kind = str(result.get("Type", ""))
        timex = str(value.get("Timex", ""))
        mod = str(value.get("Mod", ""))
        dates: list[str] = []
        ranges: list[tuple[str, str]] = []
        for side in ("PastResolution", "FutureResolution"):
            resolution = value.get(side) or {}
            if "date" in resolution:
                dates.append(str(resolution["date"]))
            if "startDate" in resolution and "endDate" in resolution:
                ranges.append((str(resolution["startDate"]), str(resolution["endDate"])))
        unresolved = any("0001-01-01" in d for d in dates) or not (dates or ranges or timex)
        return Expected(
            result["Text"], start, end, kind, timex, mod, tuple(dates), tuple(ranges), unresolved
        )
    end = int(result.get("End", start)) + 1
    kind = str(result.get("TypeName", "")).removeprefix("datetimeV2.")
    values = (result.get("Resolution") or {}).get("values") or []
    timex = str(values[0].get("timex", "")) if values else ""
    mod = str(values[0].get("Mod", "")) if values else ""
    dates = [str(v["value"]) for v in values if "value" in v and kind == "date"]
    ranges = [(str(v["start"]), str(v["end"])) for v in values if "start" in v and "end" in v]
    unresolved = any(v.get("value") == "not resolved" for v in values)
    return Expected(
        result["Text"], start, end, kind, timex, mod, tuple(dates), tuple(ranges), unresolved
    )


def scope(expected: Expected) -> str | None:
    """Why an expected expression is out of scope, or None when it is scored."""
    text = expected.text.lower().strip()
    if expected.kind not in KINDS:
        return f"not a date type ({expected.kind or 'untyped'})"
    if expected.unresolved:
        return "left unresolved by the spec (invalid date, season, fiscal/school year)"
    if _HOLIDAYS.search(text):
        return "named days (holidays)"
    open_ended = ("before", "after", "since", "until", "more", "less")
    if expected.kind != "duration" and any(word in expected.mod for word in open_ended):
        return "open-ended range (one bound only)"
    if expected.mod == "ref_undef" or _NARRATIVE.search(text):
        return "narrative-relative or anaphoric (counts from story time)"
    if _WORK.search(text) or "BD" in expected.timex:
        return "business days and work weeks"
    if expected.kind == "duration" and _VAGUE.search(text):
        return "vague counts and weekend counts (no number invented)"
    if expected.kind == "daterange" and not expected.ranges:
        return "open-ended range (one bound only)"
    return None


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _tolerant_ends(exclusive_end: date) -> set[date]:
    """Our inclusive end for an explicit range whose Recognizers end is Y's first day."""
    ends = {exclusive_end}
    if exclusive_end.day == 1:
        month_end = (exclusive_end.replace(day=28) + timedelta(days=4)).replace(day=1)
        ends.add(month_end - timedelta(days=1))
        if exclusive_end.month == 1:
            ends.add(date(exclusive_end.year, 12, 31))
        if exclusive_end.month in (1, 4, 7, 10):
            quarter_end = exclusive_end.replace(day=1)
            for _ in range(3):
                quarter_end = (quarter_end.replace(day=28) + timedelta(days=4)).replace(day=1)
            ends.add(quarter_end - timedelta(days=1))
    return ends


def judge(expected: Expected, resolved: Resolved) -> tuple[bool, bool]:
    """(strict, tolerant) agreement of one resolved value with one expected expression."""
    if expected.kind == "duration":
        same = resolved.value == expected.timex and resolved.precision == "duration"
        return same, same
    if resolved.start is None or resolved.end is None:
        return False, False
    if expected.kind == "date":
        same = resolved.start == resolved.end and resolved.start.isoformat() in expected.dates
        return same, same
    strict = tolerant = False
    for first, exclusive in expected.ranges:
        if resolved.start != _day(first):
            continue
        end = _day(exclusive)
        if resolved.end == end - timedelta(days=1):
            strict = tolerant = True
        elif expected.timex.startswith("(") and resolved.end in _tolerant_ends(end):
            tolerant = True
    return strict, tolerant


def _best(found: list[Match], expected: Expected) -> Match | None:
    best, overlap = None, 0
    for match in found:
        shared = min(match.end, expected.end) - max(match.start, expected.start)
        if shared > overlap:
            best, overlap = match, shared
    return best


def evaluate(cases: Iterable[Case], *, keep_misses: bool = False) -> Score:
    """Score :func:`find_times` + :func:`resolve` on spec cases."""
    score = Score()
    for case in cases:
        if case.reference is None:
            score.out_of_scope["no reference date in the spec"] += len(case.expected)
            continue
        found = find_times(case.input)
        for expected in case.expected:
            reason = scope(expected)
            if reason is not None:
                score.out_of_scope[reason] += 1
                continue
            score.total[expected.kind] += 1
            match = _best(found, expected)
            strict = tolerant = False
            got = "nothing found"
            if match is not None:
                resolved = resolve(match.expr, case.reference)
                strict, tolerant = judge(expected, resolved)
                got = f"{match.text!r} -> {resolved.value}"
            score.strict[expected.kind] += strict
            score.tolerant[expected.kind] += tolerant
            if keep_misses and not tolerant:
                score.misses.append(
                    {
                        "kind": expected.kind,
                        "input": case.input,
                        "reference": str(case.reference),
                        "expected": (
                            f"{expected.text!r} {expected.timex} "
                            f"{expected.ranges or expected.dates}"
                        ),
                        "got": got,
                    }
                )
    return score


# ---------------------------------------------------------------------------------------------
# TBAQ: TimeBank + AQUAINT (TimeML news, TIMEX3 gold, document creation time)

TBAQ = TIME_DATA / "tbaq"
#: the TIMEX3 types a date resolver is scored on (SET, "every week", is not: but a time of ours
#: over a SET is no false alarm either)
TBAQ_TYPES = ("DATE", "TIME", "DURATION")
_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>")
_ATTR = re.compile(r'([A-Za-z]+)="([^"]*)"')


@dataclass(frozen=True)
class Timex:
    """One TIMEX3 of a TimeML text: offsets into the plain text, type, value."""

    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class TimeMLDoc:
    name: str
    corpus: str  # TimeBank or AQUAINT
    text: str
    dct: date
    timexes: tuple[Timex, ...]


def load_timeml(path: Path) -> TimeMLDoc:
    """The ``<TEXT>`` of a TimeML file as plain text, its TIMEX3s and its creation date."""
    raw = path.read_text(encoding="utf-8")
    dct_match = re.search(r"<DCT>.*?value=\"(\d{4}-\d{2}-\d{2})", raw, re.DOTALL)
    if dct_match is None:
        raise ValueError(f"{path}: no DCT")
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
    out: list[str] = []
    size = 0
    opened: list[tuple[int, dict[str, str]]] = []
    timexes: list[Timex] = []
    position = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[position : tag.start()])
        out.append(chunk)
        size += len(chunk)
        position = tag.end()
        if tag.group(2) != "TIMEX3":
            continue
        if tag.group(1):
            start, attrs = opened.pop()
            text = "".join(out)[start:size]
            timexes.append(Timex(start, size, text, attrs.get("type", ""), attrs.get("value", "")))
        else:
            opened.append((size, dict(_ATTR.findall(tag.group(3)))))
    out.append(html.unescape(body[position:]))
    return TimeMLDoc(
        path.stem, path.parent.name, "".join(out), date.fromisoformat(dct_match.group(1)),
        tuple(timexes),
    )  # fmt: skip


def tbaq_splits(root: Path = TBAQ) -> dict[str, list[Path]]:
    """``tune``: AQUAINT + the even-numbered TimeBank files (sorted by name); ``held-out``: the
    odd-numbered TimeBank files, never looked at while writing rules."""
    timebank = sorted((root / "TimeBank").glob("*.tml"))
    return {
        "tune": sorted((root / "AQUAINT").glob("*.tml")) + timebank[0::2],
        "held-out": timebank[1::2],
    }


_UNKNOWN_TAIL = re.compile(r"(-XX)+$")
_SHORT_WEEK = re.compile(r"-W(\d)$")
_ISO_DURATION = re.compile(r"^P(\d+)([DWMY])$")


def normalise_timex(value: str) -> str:
    """A TIMEX3 value in the form our values take: unknown tails dropped, weeks two-digit.

    >>> [normalise_timex(v) for v in ("1968-XX", "1998-12-XX", "199X", "19XX", "2000-W7")]
    ['1968', '1998-12', '199', '19', '2000-W07']
    """
    value = _UNKNOWN_TAIL.sub("", value)
    if re.fullmatch(r"\d{1,3}X+", value):
        value = value.rstrip("X")
    return _SHORT_WEEK.sub(r"-W0\1", value)


def value_agrees(ours: str | None, gold: str) -> bool:
    """Our value against a TIMEX3 value, at the granularity the TIMEX3 gives.

    Right when equal (after :func:`normalise_timex`), or when ours is finer and cut to the
    TIMEX3's granularity equals it (ours "1998-01-08" for gold "1998-01"); a coarser value of
    ours ("1998-01-08" for "1998-01-08TMO") is wrong.

    >>> value_agrees("1998-01-08", "1998-01"), value_agrees("1998-01", "1998-01-08")
    (True, False)
    """
    gold = normalise_timex(gold)
    if ours is None or not gold:
        return False
    if ours == gold:
        return True
    return ours.startswith(gold) and ours[len(gold) : len(gold) + 1] in ("-", "T")


def time_agrees(ours: Any, gold: Timex) -> bool:
    """:func:`value_agrees`, with three conventions of TimeML that our records write otherwise.

    * TimeML marks each end of an explicit range ("between 1994 and *1997*") where we make one
      range: a TIMEX3 strictly inside our mention is right when it agrees with our first or
      last day.
    * TimeML writes a window counted back or ahead from the document's date ("the past two
      months") as a DURATION, P2M, where we give its days: right when our days span exactly
      that length.
    * TimeML leaves the preposition of an open interval out of the TIMEX3 ("after *Thursday*")
      where our mention and value hold it ("after Thursday", "2000-06-02/.."): right when the
      TIMEX3 agrees with our bound, or with the day next to an exclusive one.
    """
    if value_agrees(ours.value, gold.value):
        return True
    value = ours.value or ""
    inside = ours.mention.start <= gold.start and gold.end <= ours.mention.end
    if "/" in value and inside and (ours.mention.end - ours.mention.start) > len(gold.text):
        first, last = value.split("/", 1)
        if value_agrees(first, gold.value) or value_agrees(last, gold.value):
            return True
        if (
            ours.start
            and ours.end
            and (value_agrees(ours.start, gold.value) or value_agrees(ours.end, gold.value))
        ):
            return True
    if ours.open and inside and not gold.value.endswith("_REF"):
        bound = value.replace("../", "").replace("/..", "")
        day = ours.start or ours.end
        shifted = [
            (date.fromisoformat(day) + timedelta(days=d)).isoformat() for d in (-1, 1) if day
        ]
        return any(value_agrees(v, gold.value) for v in (bound, *shifted))
    duration = _ISO_DURATION.match(gold.value)
    if duration and ours.start and ours.end and ours.precision != "duration":
        n, unit = int(duration.group(1)), duration.group(2)
        first, after = date.fromisoformat(ours.start), date.fromisoformat(ours.end) + timedelta(1)
        if unit in "DW":
            return (after - first).days == n * (7 if unit == "W" else 1)
        months = n * (12 if unit == "Y" else 1)
        return (after.year - first.year) * 12 + after.month - first.month == months and (
            after.day == first.day
        )
    return False


@dataclass
class TbaqScore:
    """Detection and value counts of one split."""

    gold: Counter[str] = field(default_factory=Counter)  # per TIMEX3 type
    detected: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    ours: int = 0
    ours_on_gold: int = 0  # ours overlapping any TIMEX3 (SET included)
    documents: int = 0
    misses: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        gold, detected, right = (sum(c.values()) for c in (self.gold, self.detected, self.right))
        precision = self.ours_on_gold / self.ours if self.ours else 0.0
        recall = detected / gold if gold else 0.0
        return {
            "documents": self.documents,
            "gold": gold,
            "ours": self.ours,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(2 * precision * recall / (precision + recall), 4) if detected else 0.0,
            "value_accuracy": round(right / detected, 4) if detected else 0.0,
            "end_to_end": round(right / gold, 4) if gold else 0.0,
            "per_type": {
                kind: {
                    "gold": self.gold[kind],
                    "recall": round(self.detected[kind] / self.gold[kind], 4),
                    "value_accuracy": round(self.right[kind] / max(self.detected[kind], 1), 4),
                }
                for kind in TBAQ_TYPES
                if self.gold[kind]
            },
        }


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def evaluate_tbaq(
    paths: Iterable[Path], model: str | None = None, *, keep_misses: bool = False
) -> TbaqScore:
    """Run the times stage (with the language pipeline, for tense) over TimeML files."""
    from claimtrace.nlp import load_pipeline
    from claimtrace.records import DocumentRecord
    from claimtrace.stages import times
    from claimtrace.stages.context import StageContext

    nlp = load_pipeline(model)
    docs = [load_timeml(path) for path in paths]
    score = TbaqScore(documents=len(docs))
    for item, parsed in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
        record = DocumentRecord(
            id="0" * 64, text=item.text, published=item.dct.isoformat(), input=item.name,
            encoding="utf-8", raw_sha256="0" * 64,
        )  # fmt: skip
        found = times.run(parsed, StageContext(document=record)).times
        spans = [(t.mention.start, t.mention.end) for t in found]
        score.ours += len(found)
        score.ours_on_gold += sum(
            any(_overlap(span, (g.start, g.end)) > 0 for g in item.timexes) for span in spans
        )
        for gold in item.timexes:
            if gold.type not in TBAQ_TYPES:
                continue
            score.gold[gold.type] += 1
            best = max(
                (
                    (_overlap(s, (gold.start, gold.end)), t)
                    for s, t in zip(spans, found, strict=True)
                ),
                default=(0, None),
                key=lambda pair: pair[0],
            )
            got = best[1] if best[0] > 0 else None
            right = got is not None and time_agrees(got, gold)
            score.detected[gold.type] += got is not None
            score.right[gold.type] += right
            if keep_misses and not right:
                left = item.text.rfind("\n", 0, gold.start) + 1
                line_end = item.text.find("\n", gold.end)
                score.misses.append(
                    {
                        "doc": item.name,
                        "dct": item.dct.isoformat(),
                        "type": gold.type,
                        "gold": f"{gold.text!r} {gold.value}",
                        "got": f"{got.mention.text!r} {got.value} {got.precision} {got.anchor}"
                        if got
                        else "nothing found",
                        "context": " ".join(
                            item.text[left : line_end if line_end > 0 else None].split()
                        ),
                    }
                )
    return score


# ---------------------------------------------------------------------------------------------
# dateparser and ctparse on the same TBAQ expressions (optional: pip install claimtrace[bench])

_PARTS = (
    ("day", re.compile(r"^\d{4}-\d\d-\d\d$")),
    ("time of day", re.compile(r"^\d{4}-\d\d-\d\dT")),
    ("week", re.compile(r"^\d{4}-W")),
    ("month", re.compile(r"^\d{4}-\d\d$")),
    ("quarter/half/season", re.compile(r"^\d{4}-(Q|H|SU|SP|FA|WI)")),
    ("year", re.compile(r"^\d{4}$")),
    ("decade/century", re.compile(r"^\d{2,3}$")),
    ("past/present/future", re.compile(r"_REF$")),
    ("duration", re.compile(r"^P")),
)
_POD: Final = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_CT_UNITS: Final = {"minutes": "TM", "hours": "TH", "days": "D", "weeks": "W", "months": "M"}


def timex_part(value: str) -> str:
    """Which part of the calendar a TIMEX3 value names ("day", "week", "duration" …)."""
    value = normalise_timex(value)
    return next((name for name, pattern in _PARTS if pattern.search(value)), "other")


def _dateparser_value(parser: Any, text: str, ref: date) -> str | None:
    data = parser.get_date_data(text)
    when, period = data.date_obj, data.period
    if when is None:
        return None
    if period == "year":
        return f"{when.year:04d}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if period == "time" or (when.hour or when.minute):
        return f"{when.date().isoformat()}T{when.hour:02d}:{when.minute:02d}"
    return str(when.date().isoformat())


def _ctparse_value(ctparse: Any, text: str, ref: date) -> str | None:
    from datetime import datetime

    result = ctparse.ctparse(text, ts=datetime(ref.year, ref.month, ref.day, 12), timeout=0.5)
    found = getattr(result, "resolution", None)
    if found is None:
        return None
    if hasattr(found, "unit"):  # a Duration
        unit = _CT_UNITS.get(str(found.unit.value), str(found.unit.value)[:1].upper())
        return f"PT{found.value}{unit[1]}" if unit.startswith("T") else f"P{found.value}{unit}"
    if hasattr(found, "t_from"):  # an Interval: its first end
        found = found.t_from
        if found is None:
            return None
    year, month, day = found.year, found.month, found.day
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    value = f"{year:04d}-{month:02d}-{day:02d}"
    if found.hour is not None:
        return f"{value}T{found.hour:02d}:{found.minute or 0:02d}"
    if found.POD in _POD:
        return f"{value}T{_POD[found.POD]}"
    return value


def _ours_alone(text: str, ref: date) -> str | None:
    """Our value for the TIMEX3 text alone (no sentence, so no tense), as the libraries get it."""
    found = find_times(text)
    if not found:
        return None
    return resolve(max(found, key=lambda m: m.end - m.start).expr, ref).value


def compare_libraries(paths: Iterable[Path]) -> dict[str, Any]:
    """Value accuracy per calendar part of ours, dateparser's and ctparse's on each TIMEX3 text.

    Every library gets the expression alone with the document's date (so ours loses its tense
    and its context too); a library that is not installed is reported as such.
    """
    resolvers: dict[str, Any] = {"claimtrace": _ours_alone}
    missing: dict[str, str] = {}
    try:
        from dateparser.date import DateDataParser  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        missing["dateparser"] = "not installed (pip install 'claimtrace[bench]')"
    else:
        parsers: dict[date, Any] = {}

        def with_dateparser(text: str, ref: date) -> str | None:
            from datetime import datetime

            if ref not in parsers:
                base = datetime(ref.year, ref.month, ref.day, 12)
                settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
                parsers[ref] = DateDataParser(languages=["en"], settings=settings)
            return _dateparser_value(parsers[ref], text, ref)

        resolvers["dateparser"] = with_dateparser
    try:
        import ctparse  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        missing["ctparse"] = "not installed (pip install 'claimtrace[bench]')"
    else:
        logging.getLogger("ctparse").setLevel(logging.ERROR)
        resolvers["ctparse"] = lambda text, ref: _ctparse_value(ctparse, text, ref)
    total: Counter[str] = Counter()
    right: dict[str, Counter[str]] = {name: Counter() for name in resolvers}
    seconds: dict[str, float] = dict.fromkeys(resolvers, 0.0)
    for path in paths:
        item = load_timeml(path)
        for gold in item.timexes:
            if gold.type not in TBAQ_TYPES:
                continue
            part = timex_part(gold.value)
            total[part] += 1
            for name, resolver in resolvers.items():
                started = time.perf_counter()
                try:
                    value = resolver(gold.text, item.dct)
                except Exception:  # a library's own failure on one expression is a miss
                    value = None
                seconds[name] += time.perf_counter() - started
                right[name][part] += value_agrees(value, gold.value)
    return {
        "expressions": sum(total.values()),
        "per_part": {
            part: {"gold": count, **{n: round(right[n][part] / count, 4) for n in resolvers}}
            for part, count in total.most_common()
        },
        "overall": {
            n: round(sum(right[n].values()) / max(sum(total.values()), 1), 4) for n in resolvers
        },
        "ms_per_expression": {
            n: round(1000 * seconds[n] / max(sum(total.values()), 1), 2) for n in resolvers
        },
        "missing": missing,
    }


def bench_speed(corpus: Path, docs: int, model: str | None) -> dict[str, float]:
    """Words/s of the language pipeline alone and with the times stage (plus attribution)."""
    from claimtrace.nlp import load_pipeline
    from claimtrace.records import DocumentRecord
    from claimtrace.stages import attribution, times
    from claimtrace.stages.context import StageContext

    paths = sorted(corpus.glob("*.txt"))[:docs]
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    words = sum(len(text.split()) for text in texts)
    nlp = load_pipeline(model)
    list(nlp.pipe(texts[:4]))  # warm up
    start = time.perf_counter()
    parsed = list(nlp.pipe(texts))
    parse_s = time.perf_counter() - start
    contexts = []
    for text, doc in zip(texts, parsed, strict=True):
        record = DocumentRecord(
            id="0" * 64, text=text, published="2016-10-01", input="bench", encoding="utf-8",
            raw_sha256="0" * 64,
        )  # fmt: skip
        ctx = StageContext(document=record)
        contexts.append(StageContext(document=record, found=attribution.run(doc, ctx)))
    start = time.perf_counter()
    found = 0
    for doc, ctx in zip(parsed, contexts, strict=True):
        found += len(times.run(doc, ctx).times)
    times_s = time.perf_counter() - start
    return {
        "documents": len(texts),
        "words": words,
        "times_found": found,
        "parse_words_per_s": round(words / parse_s),
        "parse_and_times_words_per_s": round(words / (parse_s + times_s)),
        "times_added_percent": round(100 * times_s / parse_s, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--docs", type=int, default=100, help="PolNeAR texts for the speed test")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: embedded)")
    parser.add_argument("--misses", action="store_true", help="list the cases we get wrong")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measure")
    parser.add_argument("--no-tbaq", action="store_true", help="skip TimeBank + AQUAINT")
    parser.add_argument(
        "--compare", action="store_true", help="dateparser and ctparse on the TBAQ expressions"
    )
    parser.add_argument(
        "--tbaq-misses",
        metavar="SPLIT",
        choices=("tune",),
        help="list TBAQ misses of the tune split",
    )
    args = parser.parse_args(argv)
    model_path = TIME_DATA / MODEL_FILE
    if not model_path.is_file():
        print(f"bench.times: {model_path} not found", file=sys.stderr)
        return 2
    report: dict[str, Any] = {}
    score = evaluate(load_cases(model_path), keep_misses=args.misses)
    report["DateTimeModel"] = score.as_dict()
    for name in PARSER_FILES:
        if (TIME_DATA / name).is_file():
            report[name.removeprefix("recognizers-").removesuffix(".json")] = evaluate(
                load_cases(TIME_DATA / name)
            ).as_dict()
    tbaq_misses: list[dict[str, str]] = []
    if not args.no_tbaq and TBAQ.is_dir():
        for split, paths in tbaq_splits().items():
            keep = args.tbaq_misses == split
            tbaq = evaluate_tbaq(paths, args.model, keep_misses=keep)
            report[f"TBAQ {split}"] = tbaq.as_dict()
            tbaq_misses += tbaq.misses
            if args.compare:
                report[f"compare {split}"] = compare_libraries(paths)
    if not args.no_speed and DEFAULT_CORPUS.is_dir():
        report["speed"] = bench_speed(DEFAULT_CORPUS, args.docs, args.model)
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return 0
    for name, part in report.items():
        if name == "speed" or name.startswith(("TBAQ", "compare")):
            continue
        print(f"{name}: in scope {sum(part['in_scope'].values())}  "
              f"accuracy {part['accuracy_tolerant']:.1%} (strict {part['accuracy_strict']:.1%})  "
              f"per kind {part['per_kind']}")  # fmt: skip
    for name, part in report.items():
        if name.startswith("TBAQ"):
            print(f"{name}: {part['documents']} docs, {part['gold']} TIMEX3 (DATE/TIME/DURATION)  "
                  f"detection P {part['precision']:.1%} R {part['recall']:.1%}  "
                  f"value accuracy among detected {part['value_accuracy']:.1%}  "
                  f"end to end {part['end_to_end']:.1%}")  # fmt: skip
            for kind, counts in part["per_type"].items():
                print(f"    {kind:8s} {counts['gold']:5d}  recall {counts['recall']:.1%}  "
                      f"value {counts['value_accuracy']:.1%}")  # fmt: skip
    for name, part in report.items():
        if name.startswith("compare"):
            libraries = list(part["overall"])
            print(f"{name} ({part['expressions']} TIMEX3 texts alone, value at the TIMEX3's "
                  f"granularity): " + "  ".join(f"{n} {v:.1%}" for n, v in part["overall"].items())
                  + "  ms/expression " + str(part["ms_per_expression"]))  # fmt: skip
            for kind, row in part["per_part"].items():
                cells = "  ".join(f"{n} {row[n]:6.1%}" for n in libraries)
                print(f"    {kind:22s} {row['gold']:5d}  {cells}")
            for library, why in part["missing"].items():
                print(f"    {library}: {why}")
    print(f"floor on DateTimeModel date/daterange/duration: {FLOOR:.0%}")
    print("out of scope (DateTimeModel):")
    for reason, count in report["DateTimeModel"]["out_of_scope"].items():
        print(f"  {count:4d}  {reason}")
    if "speed" in report:
        speed = report["speed"]
        print(f"speed ({speed['documents']} PolNeAR docs, {speed['words']} words): parse "
              f"{speed['parse_words_per_s']} words/s; parse + times "
              f"{speed['parse_and_times_words_per_s']} words/s "
              f"(+{speed['times_added_percent']}%)")  # fmt: skip
    if args.misses:
        for miss in score.misses:
            print(f"MISS {miss['kind']:9s} {miss['reference']} {miss['input'][:70]!r}\n"
                  f"      expected {miss['expected'][:120]}\n      got {miss['got']}")  # fmt: skip
    for miss in tbaq_misses:
        print(f"TBAQ-MISS {miss['type']:8s} {miss['doc']} DCT {miss['dct']}\n"
              f"      gold {miss['gold']}\n      got  {miss['got']}\n"
              f"      in   {miss['context'][:200]}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
