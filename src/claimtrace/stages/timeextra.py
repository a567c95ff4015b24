"""Time expressions around the grammar's matches: named days, times of day, open intervals.

:func:`claimtrace.stages.timeparse.find_times` runs the grammar, then :func:`extend` here, which
works on the text around each match, from two tables:

* ``data/time_holidays.tsv``: named days ("Christmas", "last Thanksgiving", "Easter 2023") as
  :class:`~claimtrace.stages.timeparse.Holiday`, placed like a month and day without a year;
* ``data/time_words.tsv``: parts of the day ("Friday morning" → ``2023-03-10TMO``, TimeML's
  parts) and clock times ("10 p.m. Wednesday" → ``2023-03-08T22:00``), on a day the text names;
  prepositions of open intervals ("since August" → ``2023-08/..``, "before 2018" →
  ``../2017-12-31``, ISO 8601-2's open ends), with ``open`` naming the unbounded side;
* the writer's now, past and future ("now", "recently", "in the future") as TimeML's
  ``PRESENT_REF`` (the publication day), ``PAST_REF`` (open before it) and ``FUTURE_REF``;
* seasons ("last fall" → ``2022-FA``, TimeML's codes; northern meteorological months);
* adjectival and bare durations ("a two-year contract" → ``P2Y``, "for weeks" → ``PXW``) and
  quarters written as one word ("third-quarter profit").

A clock time with no day named ("at 10:35 a.m.") is left out: which day it is, the text does not
say. :func:`resolve_extra` gives the values.

>>> from claimtrace.stages.timeparse import find_times, resolve
>>> [(m.text, resolve(m.expr, date(2023, 3, 10)).value) for m in find_times("since August")]
[('since August', '2022-08/..')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from typing import Final, Literal

from claimtrace.stages.numbers import number_value
from claimtrace.stages.timeparse import (
    Cal,
    Deictic,
    Duration,
    Expr,
    Holiday,
    Match,
    MonthRel,
    Narrative,
    Nth,
    Open,
    Rel,
    Resolved,
    Season,
    Tense,
    TimeOfDay,
    Weekday,
    WeekdayDay,
    choose_year,
    resolve,
)

__all__ = ["extend", "holiday_day", "resolve_extra"]

_UNITS: Final = {
    "second": "second", "minute": "minute", "hour": "hour", "day": "day", "week": "week",
    "month": "month", "year": "year", "decade": "decade", "century": "century",
}  # fmt: skip
_ORDINALS: Final = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_HYPHEN_DURATION: Final = re.compile(
    r"\b(\d+(?:\.\d+)?|[a-z]+(?:-[a-z]+)?)-(second|minute|hour|day|week|month|year|decade|century)"
    r"s?\b(?!-(?:ago|old\b))",
    re.IGNORECASE,
)
_BARE_PLURAL: Final = re.compile(
    r"\b(?:for|in|over|within|after|took|take|takes|lasted|last|lasts|than)\s+"
    r"(seconds|minutes|hours|days|weeks|months|years|decades|centuries)\b",
    re.IGNORECASE,
)
_ONE_WORD_QUARTER: Final = re.compile(r"\b(first|second|third|fourth)-(quarter|half)\b", re.I)
_YEAR_QUARTER: Final = re.compile(
    r"\b((?:18|19|20)\d\d) (?:(first|second|third|fourth) )?quarter\b"
)
_SEASON: Final = re.compile(
    r"\b(?:(last|this|next|past|coming|early|late|the|the early|the late)\s+)?"
    r"(spring|summer|fall|autumn|winter)\b(?:(?:\s+of)?\s+((?:18|19|20)\d\d)\b)?",
    re.IGNORECASE,
)
#: TimeML's season codes and the months they run over (northern meteorological seasons)
_SEASONS: Final = {
    "spring": ("SP", 3), "summer": ("SU", 6), "fall": ("FA", 9), "autumn": ("FA", 9),
    "winter": ("WI", 12),
}  # fmt: skip
_CLOCK: Final = re.compile(
    r"\b(\d{1,2})(?::(\d\d))?\s*([ap])\.?m\b\.?(?:\s+(?:[ECMP][SD]T|GMT|UTC)\b)?", re.IGNORECASE
)
#: expressions that name one day, to which a part of the day or a clock time can attach
_DAY_EXPRS: Final = (Weekday, WeekdayDay, Cal, Holiday)
#: expressions that an open-interval preposition can open
_OPENABLE: Final = (Cal, Rel, MonthRel, Weekday, WeekdayDay, Nth, Holiday)


@dataclass(frozen=True)
class _Words:
    parts: dict[str, str]
    open: dict[str, tuple[str, bool]]
    holidays: dict[str, str]  # name as written → rule
    holiday_re: re.Pattern[str]
    refs: dict[str, str]  # phrase → "ref PAST_REF", "same year", "rel quarter -1"
    ref_re: re.Pattern[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    data = files("claimtrace.stages").joinpath("data")
    parts: dict[str, str] = {}
    opens: dict[str, tuple[str, bool]] = {}
    refs: dict[str, str] = {}
    for number, line in enumerate(
        data.joinpath("time_words.tsv").read_text(encoding="utf-8").splitlines(), 1
    ):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or fields[1] not in ("part", "open", "ref", "same", "rel"):
            raise ValueError(f"time_words.tsv line {number}: expected word, role, value: {line!r}")
        if fields[1] == "part":
            parts[fields[0]] = fields[2]
        elif fields[1] in ("ref", "same", "rel"):
            refs[fields[0]] = f"{fields[1]} {fields[2]}"
        else:
            side, kind = fields[2].split()
            opens[fields[0]] = (side, kind == "inclusive")
    holidays: dict[str, str] = {}
    for number, line in enumerate(
        data.joinpath("time_holidays.tsv").read_text(encoding="utf-8").splitlines(), 1
    ):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or fields[1].split()[0] not in ("fixed", "nth", "easter"):
            raise ValueError(f"time_holidays.tsv line {number}: expected names, rule: {line!r}")
        for name in fields[0].split("|"):
            holidays[name] = fields[1]
    names = "|".join(re.escape(n) for n in sorted(holidays, key=len, reverse=True))
    holiday_re = re.compile(
        rf"\b(?:(?i:(last|this|next|past|coming)) )?({names})(?:(?:,| of)? ((?:18|19|20)\d\d))?\b"
    )
    phrases = "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(refs, key=len, reverse=True)
    )
    ref_re = re.compile(rf"\b(?:{phrases})\b(?![-\d]| \d)", re.IGNORECASE)
    return _Words(parts, opens, holidays, holiday_re, refs, ref_re)


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def holiday_day(name: str, year: int) -> date:
    """The day of a named day of ``data/time_holidays.tsv`` in ``year``.

    >>> holiday_day("Thanksgiving", 2023), holiday_day("Easter", 2024)
    (datetime.date(2023, 11, 23), datetime.date(2024, 3, 31))
    """
    rule = _words().holidays[name].split()
    if rule[0] == "fixed":
        month, day = (int(x) for x in rule[1].split("-"))
        return date(year, month, day)
    if rule[0] == "easter":
        return _easter(year) + timedelta(days=int(rule[1]))
    month, weekday, n = int(rule[1]), int(rule[2]), int(rule[3])
    moved = int(rule[4]) if len(rule) > 4 else 0
    if n > 0:
        first = date(year, month, 1)
        nth = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    else:
        last = (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        nth = last - timedelta(days=(last.weekday() - weekday) % 7)
    return nth + timedelta(days=moved)


def _free(found: list[Match], start: int, end: int) -> bool:
    return not any(m.start < end and start < m.end for m in found)


def _holidays(text: str, found: list[Match]) -> list[Match]:
    added = []
    offsets = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}
    for hit in _words().holiday_re.finditer(text):
        start = hit.start() if hit.group(1) else hit.start(2)
        if not _free(found, hit.start(2), hit.end(2)):
            continue
        year = int(hit.group(3)) if hit.group(3) else None
        offset = offsets[hit.group(1).lower()] if hit.group(1) else None
        end = hit.end()
        added.append(Match(start, end, text[start:end], Holiday(hit.group(2), year, offset)))
    return added


def _seasons(text: str, found: list[Match]) -> list[Match]:
    """``found`` with the seasons added; a year a season names ("the summer of 2022") joins it."""
    out = list(found)
    offsets = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}
    for hit in _SEASON.finditer(text):
        word = (hit.group(1) or "").lower()
        year = int(hit.group(3)) if hit.group(3) else None
        if not word and year is None:
            continue  # "prices fall", "spring" the verb: a season needs a word before or a year
        follows = text[hit.end() :].lstrip()
        if year is None and (
            (hit.group(2)[0].isupper() and follows[:1].isupper())  # "the Spring Festival"
            or (hit.group(2).lower() == "fall" and word in ("the", "early", "late", "the early")
                and not follows.startswith(("of", ",", ".")))  # "the fall in prices"
        ):  # fmt: skip
            continue
        start = hit.start(2) if word == "the" else hit.start() + 4 * word.startswith("the ")
        inside = [m for m in out if m.start < hit.end() and start < m.end]
        if any(m.start < start or m.end > hit.end() or not isinstance(m.expr, Cal) for m in inside):
            continue
        out = [m for m in out if m not in inside]
        expr = Season(hit.group(2).lower(), year, offsets.get(word))
        out.append(Match(start, hit.end(), text[start : hit.end()], expr))
    return out


def _deictic(text: str, found: list[Match]) -> list[Match]:
    added: list[Match] = []
    words = _words()
    for hit in words.ref_re.finditer(text):
        phrase = " ".join(hit.group(0).lower().split())
        start = hit.start()
        first = phrase.split()[0]
        if first in ("in", "at") and phrase not in ("at present",):
            start += len(hit.group(0)) - len(hit.group(0)[len(first) :].lstrip())
        role, *value = words.refs[phrase].split()
        expr: Expr
        if role == "ref":
            expr = Deictic(value[0])
        elif role == "same":
            expr = Narrative(value[0], ((value[0], 0),), 0, period=True)
        else:
            expr = Rel(value[0], int(value[1]))
        if _free(found + added, start, hit.end()):
            added.append(Match(start, hit.end(), text[start : hit.end()], expr))
    return added


def _durations(text: str, found: list[Match]) -> list[Match]:
    added = []
    for hit in _HYPHEN_DURATION.finditer(text):
        word = hit.group(1).lower()
        ordinal = _ONE_WORD_QUARTER.fullmatch(hit.group(0))
        if ordinal is not None:
            n = _ORDINALS[ordinal.group(1).lower()]
            unit = ordinal.group(2).lower()
            expr: Expr = Nth(unit, n, None)
        else:
            value = float(word) if word[:1].isdigit() else number_value(word.replace("-", " "))
            if value is None or value <= 0:
                continue
            unit = _UNITS[hit.group(2).lower()]
            expr = Duration(((unit, value),), unit)
        if _free(found, hit.start(), hit.end()):
            added.append(Match(hit.start(), hit.end(), hit.group(0), expr))
    for hit in _ONE_WORD_QUARTER.finditer(text):
        if _free(found + added, hit.start(), hit.end()):
            n = _ORDINALS[hit.group(1).lower()]
            added.append(
                Match(hit.start(), hit.end(), hit.group(0), Nth(hit.group(2).lower(), n, None))
            )
    for hit in _BARE_PLURAL.finditer(text):
        start, end = hit.start(1), hit.end(1)
        unit = _UNITS[
            "century" if hit.group(1).lower() == "centuries" else hit.group(1).lower()[:-1]
        ]
        if _free(found + added, start, end):
            added.append(Match(start, end, hit.group(1), Duration(None, unit)))
    return added


def _year_quarters(text: str, found: list[Match]) -> list[Match]:
    """ "the 1988 second quarter" is a quarter of 1988, "the 1988 quarter" a year, not durations."""
    kept = []
    for match in found:
        hit = _YEAR_QUARTER.match(text, match.start)
        if isinstance(match.expr, Duration) and hit is not None and hit.start() == match.start:
            year = int(hit.group(1))
            if hit.group(2):
                n = _ORDINALS[hit.group(2)]
                kept.append(
                    Match(hit.start(), hit.end(), hit.group(0), Nth("quarter", n, Cal(year)))
                )
            else:
                kept.append(Match(match.start, match.start + 4, hit.group(1), Cal(year)))
            continue
        kept.append(match)
    return kept


def _day_part(text: str, match: Match) -> Match:
    """A part of the day or a clock time after or before a match that names one day."""
    words = _words()
    expr = match.expr
    if isinstance(expr, Rel) and expr.unit == "day":
        last = match.text.split()[-1].lower()
        if last in words.parts:
            return Match(match.start, match.end, match.text, TimeOfDay(expr, words.parts[last]))
        return match
    if not isinstance(expr, _DAY_EXPRS) or (isinstance(expr, Cal) and expr.day is None):
        return match
    after = re.match(r"\s+([A-Za-z]+)\b", text[match.end :])
    if after is not None and after.group(1).lower() in words.parts:
        end = match.end + after.end()
        part = words.parts[after.group(1).lower()]
        return Match(match.start, end, text[match.start : end], TimeOfDay(expr, part))
    at = re.match(r",?\s+at\s+", text[match.end :])
    if at is not None:
        clock = _CLOCK.match(text, match.end + at.end())
        if clock is not None:
            end = clock.end()
            return Match(match.start, end, text[match.start : end], TimeOfDay(expr, _hhmm(clock)))
    before = text[max(0, match.start - 40) : match.start]
    for clock in _CLOCK.finditer(before):
        gap = before[clock.end() :]
        if re.fullmatch(r",?\s+(?:on\s+)?", gap):
            start = match.start - len(before) + clock.start()
            part = _hhmm(clock)
            return Match(start, match.end, text[start : match.end], TimeOfDay(expr, part))
    word = re.search(r"\b([A-Za-z]+)\s+$", before)
    if word is not None and ":" in words.parts.get(word.group(1).lower(), ""):
        start = match.start - len(before) + word.start(1)
        part = words.parts[word.group(1).lower()]
        return Match(start, match.end, text[start : match.end], TimeOfDay(expr, part))
    return match


def _hhmm(clock: re.Match[str]) -> str:
    hour = int(clock.group(1)) % 12 + (12 if clock.group(3).lower() == "p" else 0)
    return f"{hour:02d}:{clock.group(2) or '00'}"


def _opened(text: str, match: Match, found: list[Match]) -> Match:
    if not isinstance(match.expr, _OPENABLE):
        return match
    word = re.search(r"\b([A-Za-z]+)\s+$", text[max(0, match.start - 12) : match.start])
    if word is None:
        return match
    side = _words().open.get(word.group(1).lower())
    start = match.start - (len(text[max(0, match.start - 12) : match.start]) - word.start(1))
    if side is None or not _free([m for m in found if m is not match], start, match.start):
        return match
    expr = Open(match.expr, side[0], side[1])
    return Match(start, match.end, text[start : match.end], expr)


def extend(text: str, found: list[Match]) -> list[Match]:
    """The grammar's matches with named days, times of day, durations and open intervals added."""
    if not text:
        return found
    matches = _year_quarters(text, found)
    matches = matches + _holidays(text, matches)
    matches = matches + _durations(text, matches)
    matches = matches + _deictic(text, matches)
    matches = _seasons(text, matches)
    matches = [_day_part(text, m) for m in matches]
    matches.sort(key=lambda m: (m.start, -m.end))
    kept: list[Match] = []
    for match in matches:  # a part of the day may now reach into the next match: keep the first
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return [_opened(text, m, kept) for m in kept]


def _holiday(expr: Holiday, ref: date | None, tense: Tense) -> Resolved:
    if expr.year is not None:
        day = holiday_day(expr.name, expr.year)
        return Resolved(day.isoformat(), day, day, "day", False)
    if ref is None:
        return Resolved(None, None, None, "day", True)
    days = [holiday_day(expr.name, year) for year in (ref.year - 1, ref.year, ref.year + 1)]
    if expr.offset == -1:
        day = max(d for d in days if d < ref)
    elif expr.offset == 1:
        day = min(d for d in days if d > ref)
    elif expr.offset == 0:
        day = days[1]
    else:
        # placed like a month and day without a year ("on March 3")
        this_year = days[1]
        year = choose_year(ref, this_year.month, this_year.day, tense)
        day = holiday_day(expr.name, year)
    return Resolved(day.isoformat(), day, day, "day", True)


def _season(expr: Season, ref: date | None, tense: Tense) -> Resolved:
    code, first = _SEASONS[expr.season]

    def bounds(year: int) -> tuple[date, date]:
        start = date(year, first, 1)
        after = date(year + (first + 3 > 12), (first + 2) % 12 + 1, 1)
        return start, after - timedelta(days=1)

    if expr.year is not None:
        start, end = bounds(expr.year)
        return Resolved(f"{expr.year:04d}-{code}", start, end, "vague", False)
    if ref is None:
        return Resolved(None, None, None, "vague", True)
    years = [ref.year - 2, ref.year - 1, ref.year, ref.year + 1]
    spans = [(y, *bounds(y)) for y in years]
    if expr.offset == -1:
        chosen = max(s for s in spans if s[2] < ref)
    elif expr.offset == 1:
        chosen = min(s for s in spans if s[1] > ref)
    elif expr.offset == 0 or tense is None:
        current = [s for s in spans if s[1] <= ref <= s[2]]
        chosen = current[0] if current else min(spans, key=lambda s: abs((s[1] - ref).days))
    elif tense == "past":
        chosen = max(s for s in spans if s[1] <= ref)
    else:
        chosen = min(s for s in spans if s[2] >= ref)
    year, start, end = chosen
    return Resolved(f"{year:04d}-{code}", start, end, "vague", True)


def _side(expr: Open) -> Literal["start", "end"]:
    return "start" if expr.open == "start" else "end"


def resolve_extra(
    expr: Holiday | TimeOfDay | Open | Deictic | Season, ref: date | None, tense: Tense
) -> Resolved:
    """The value of a named day, a time of day, an open interval or the writer's now."""
    if isinstance(expr, Holiday):
        return _holiday(expr, ref, tense)
    if isinstance(expr, Season):
        return _season(expr, ref, tense)
    if isinstance(expr, Deictic):
        if ref is None:
            return Resolved(None, None, None, "vague", True)
        if expr.ref == "PAST_REF":
            return Resolved(expr.ref, None, ref, "vague", True, "start")
        if expr.ref == "FUTURE_REF":
            return Resolved(expr.ref, ref, None, "vague", True, "end")
        return Resolved(expr.ref, ref, ref, "vague", True)
    if isinstance(expr, Open) and expr.open == "end" and expr.inclusive:
        tense = "past"  # "since August": the August before
    base = resolve(expr.base, ref, tense)
    if isinstance(expr, TimeOfDay):
        if base.value is None or base.start is None or base.start != base.end:
            return base
        value = f"{base.start.isoformat()}T{expr.part}"
        return Resolved(value, base.start, base.end, "day", base.relative)
    if base.value is None or base.start is None or base.end is None:
        return Resolved(None, None, None, base.precision, base.relative, _side(expr))
    if expr.open == "end":
        start = base.start if expr.inclusive else base.end + timedelta(days=1)
        bound = base.value if expr.inclusive else start.isoformat()
        return Resolved(f"{bound}/..", start, None, base.precision, base.relative, "end")
    end = base.end if expr.inclusive else base.start - timedelta(days=1)
    bound = base.value if expr.inclusive else end.isoformat()
    return Resolved(f"../{bound}", None, end, base.precision, base.relative, "start")
