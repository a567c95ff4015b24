"""Time expressions in plain text: where they are and what they mean, as ISO 8601 values.

Pure text → value logic, used by the ``times`` stage and by ``bench.times``. The text is cut into
*pieces* (digit runs, letter runs, single punctuation marks; "2023-03-03" is five pieces) by one
regular expression; a hand-written grammar runs only where a piece could start a time (a month,
a weekday, a unit, a digit, "last", "earlier" …), so a document without times costs one regex
pass. Each match is a symbolic expression (:class:`Expr`) that :func:`resolve` turns into a
:class:`Resolved` value given a reference day (the publication date) or ``None``.

Conventions (news is mostly past tense; each is a choice, documented here and in the README):

* Weeks are ISO weeks (Monday–Sunday). "last week" is the ISO week before the reference day's.
* A bare weekday ("on Thursday") is the most recent such day on or before the reference day;
  with ``tense="future"`` the next one on or after it. "last Thursday" is the Thursday of the
  previous week, "next Thursday" of the next week, "this Thursday" of the current week.
* A month or day without a year ("in March", "March 3") takes the year that puts it on or before
  the reference day for past tense, on or after it for future tense, and the nearest otherwise.
* "earlier this week" runs from Monday of the reference week to the reference day; "later this
  month" from the reference day to the month's end. "early/mid/late" cut a year into Jan–Apr,
  May–Aug, Sep–Dec and a month into days 1–10, 11–20, 21–end.
* "the past six months" is ``[ref − 6 months, ref − 1 day]``; "the next three days"
  ``[ref + 1 day, ref + 3 days]``; "within nine months" ``[ref, ref + 9 months − 1 day]``.
* "two days ago" is a day; "six months ago" the month, "two years ago" the year it falls in.
* Narrative-relative expressions ("three weeks later", "the next day") are found but left
  unresolved: they count from the story's own time, not from publication.
* Ends are inclusive days. Values: "2023-03-03", "2023-03", "2023-W09", "2023-Q1", "2023",
  "199" (the 1990s), ranges "2023-03-06/2023-03-10", durations "P6M", "PT2H", "PXW" (vague count).

>>> [(m.text, resolve(m.expr, date(2023, 3, 10)).value) for m in find_times("It fell last month.")]
[('last month', '2023-02')]
>>> resolve(find_times("over the past year")[0].expr, date(2023, 3, 10)).value
'2022-03-10/2023-03-09'
>>> resolve(find_times("for six months")[0].expr, None).value
'P6M'
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

from spacy.lang.en.stop_words import STOP_WORDS

from claimtrace.stages.numbers import NUMBER_WORDS, number_value, ordinal_value

__all__ = [
    "Deictic",
    "Expr",
    "Holiday",
    "Match",
    "Narrative",
    "Open",
    "Resolved",
    "Season",
    "Tense",
    "TimeOfDay",
    "find_times",
    "resolve",
]

Tense = Literal["past", "future"] | None
Precision = Literal["day", "week", "month", "quarter", "year", "duration", "vague"]

# ---------------------------------------------------------------------------------------------
# Vocabulary

_MONTHS: Final = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
#: month words that are also common words ("may" the modal, "march" the verb, "mar" the verb)
_MONTH_ABBR: Final = frozenset(
    ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
_AMBIGUOUS_MONTHS: Final = frozenset({"may", "march", "mar", "jan", "jun", "dec"})
_WEEKDAYS: Final = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_WEEKDAY_ABBR: Final = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5,
    "sun": 6,
}  # fmt: skip
#: ordinal words that can name a day of the month (their values come from ``ordinal_value``)
_ORDINAL_DAYS: Final = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "thirtieth",
    ]
)
_TENS: Final = {"twenty": 20, "thirty": 30}
#: calendar units a period or a duration can be counted in
_UNITS: Final = {
    "day": "day", "days": "day", "night": "night", "nights": "night", "week": "week",
    "weeks": "week", "wk": "week", "wks": "week", "fortnight": "fortnight",
    "fortnights": "fortnight", "month": "month", "months": "month", "year": "year",
    "years": "year", "yr": "year", "yrs": "year", "decade": "decade", "decades": "decade",
    "century": "century", "centuries": "century", "quarter": "quarter", "quarters": "quarter",
    "weekend": "weekend", "weekends": "weekend", "hour": "hour", "hours": "hour", "hr": "hour",
    "hrs": "hour", "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "second": "second", "seconds": "second", "sec": "second", "secs": "second",
}  # fmt: skip
#: one-letter units, only glued to a number ("10d", "3y", "2w", "3h")
_GLUED_UNITS: Final = {"d": "day", "w": "week", "y": "year", "h": "hour"}
_ISO_UNIT: Final = {
    "year": ("Y", 1.0), "month": ("M", 1.0), "week": ("W", 1.0), "day": ("D", 1.0),
    "night": ("D", 1.0), "fortnight": ("W", 2.0), "decade": ("Y", 10.0),
    "century": ("Y", 100.0), "quarter": ("M", 3.0), "hour": ("H", 1.0), "minute": ("M", 1.0),
    "second": ("S", 1.0),
}  # fmt: skip
_TIME_UNITS: Final = frozenset({"hour", "minute", "second"})
_PERIOD_UNITS: Final = frozenset(
    {"day", "week", "month", "year", "quarter", "weekend", "decade", "century", "fortnight"}
)
_LAST: Final = frozenset({"last", "previous", "past", "preceding", "prior"})
_NEXT: Final = frozenset({"next", "following", "coming", "upcoming"})
_THIS: Final = frozenset({"this", "current"})
_VAGUE_COUNTS: Final = frozenset({"several", "few", "some", "many", "recent", "dozens"})
#: words a count in words is made of ("two", "a hundred and twenty", "a couple of")
_NUMBER_WORDS: Final = NUMBER_WORDS | {"a", "an", "and", "couple"}
#: words before a bare year that make it a time ("in 2022"), not a count ("2022 people")
_YEAR_PREPOSITIONS: Final = frozenset(
    [
        "in",
        "of",
        "since",
        "by",
        "from",
        "to",
        "until",
        "till",
        "through",
        "thru",
        "during",
        "before",
        "after",
        "between",
        "and",
        "early",
        "late",
        "mid",
        "year",
        "the",
        "since",
        "end",
        "beginning",
        "start",
        "middle",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
        "-",
        "–",
        "~",
        "around",
        "circa",
        "c",
    ]
)
#: words before a number that make it a count or an amount, never a year
_NOT_YEAR_BEFORE: Final = frozenset(
    [
        "about",
        "around",
        "nearly",
        "almost",
        "over",
        "than",
        "least",
        "most",
        "some",
        "only",
        "just",
        "$",
        "£",
        "€",
        "¥",
        "#",
        "no",
        "no.",
        "page",
        "pages",
        "number",
        "route",
        "flight",
        "minus",
        "plus",
    ]
)
_STRONG_YEAR_PREPOSITIONS: Final = frozenset(
    [
        "in",
        "of",
        "since",
        "by",
        "from",
        "to",
        "until",
        "till",
        "through",
        "during",
        "before",
        "after",
        "between",
    ]
)
_NOT_YEAR_AFTER: Final = frozenset(["%", "percent", "per"])
_TO_WORDS: Final = frozenset({"to", "till", "until", "through", "thru", "-", "–", "—", "~"})
_PART_WORDS: Final = {
    "early": "early", "mid": "mid", "late": "late", "beginning": "early", "start": "early",
    "middle": "mid", "end": "late",
}  # fmt: skip
_RELATIVE_DAYS: Final = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "tmrw": 1}
_DAY_PARTS: Final = frozenset({"morning", "afternoon", "evening", "night"})
#: words that can open a time expression; with digits, the only places the grammar is tried
_STARTS: Final = (
    frozenset(_MONTHS)
    | frozenset(_WEEKDAYS)
    | frozenset(_WEEKDAY_ABBR)
    | frozenset(_UNITS)
    | _ORDINAL_DAYS
    | frozenset(_RELATIVE_DAYS)
    | _LAST
    | _NEXT
    | _THIS
    | _VAGUE_COUNTS
    | _NUMBER_WORDS
    | frozenset(_PART_WORDS)
    | frozenset(
        [
            "the",
            "earlier",
            "later",
            "over",
            "within",
            "from",
            "between",
            "in",
            "on",
            "q1",
            "q2",
            "q3",
            "q4",
            "h1",
            "h2",
            "all",
            "nineties",
            "eighties",
            "seventies",
            "sixties",
            "week",
            "½",
            "this",
            "w",
        ]
    )
)

# ---------------------------------------------------------------------------------------------
# Expressions


@dataclass(frozen=True, slots=True)
class Cal:
    """A calendar date, maybe partial: "March 3, 2023", "March 2023", "2022", "March 3"."""

    year: int | None
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True, slots=True)
class Rel:
    """A calendar period counted from the reference day's: "last month" is (month, -1)."""

    unit: str
    offset: int


@dataclass(frozen=True, slots=True)
class Weekday:
    """A weekday: ``mode`` is bare, last, next, this, coming or past; ``week`` shifts weeks."""

    weekday: int
    mode: str
    week: int = 0


@dataclass(frozen=True, slots=True)
class Shift:
    """``amount`` ((unit, n) pairs) before (``sign`` -1) or after the reference day."""

    amount: tuple[tuple[str, float], ...]
    sign: int
    base: Expr | None = None


@dataclass(frozen=True, slots=True)
class Rolling:
    """A window reaching back or forward from the reference day: "the past six months"."""

    unit: str
    n: float
    direction: str  # past, next, within


@dataclass(frozen=True, slots=True)
class Part:
    """A part of a period: early/mid/late (thirds) or earlier/later (up to/from the ref day)."""

    base: Expr
    part: str


@dataclass(frozen=True, slots=True)
class Range:
    """From one time to another, both inclusive: "from March 3 to March 5"."""

    first: Expr
    last: Expr


@dataclass(frozen=True, slots=True)
class Duration:
    """A length of time; ``amount`` is None for a vague count ("several weeks")."""

    amount: tuple[tuple[str, float], ...] | None
    unit: str


@dataclass(frozen=True, slots=True)
class Nth:
    """The n-th (``n`` = -1: last) unit of a period: "Q1 2023", "the first week of 2015"."""

    unit: str  # quarter, half, week, month
    n: int
    within: Expr | None  # None: the reference day's year (or week number of its year)


@dataclass(frozen=True, slots=True)
class WeekOf:
    """The ISO week containing a day: "the week of April 10"."""

    day: Expr


@dataclass(frozen=True, slots=True)
class Decade:
    """A decade ("the 1990s") or a century (``length`` 100, "the 21st century")."""

    start: int | None  # None: two-digit decade ("the '90s") to place near the reference day
    length: int
    short: int = 0


@dataclass(frozen=True, slots=True)
class MonthRel:
    """A month named relative to the reference month: "last March", "this May", "next June"."""

    month: int
    offset: int  # -1 the latest before the current month, 0 this year's, 1 the next after


@dataclass(frozen=True, slots=True)
class WeekdayDay:
    """A weekday with a day of the month: "Monday 13th", "Tuesday the eleventh"."""

    weekday: int
    day: int


@dataclass(frozen=True, slots=True)
class Stretch:
    """A length of time from a start: "three days starting from next Monday"."""

    amount: tuple[tuple[str, float], ...]
    base: Expr


@dataclass(frozen=True, slots=True)
class Slice:
    """The first or last ``n`` units of a period: "the first six months of 2022"."""

    unit: str
    n: int
    from_end: bool
    within: Expr


@dataclass(frozen=True, slots=True)
class Narrative:
    """A time counted from the story's own time ("three weeks later"): not resolved here.

    ``amount`` and ``sign`` say how far from the story's time, when the text says it ("three
    weeks later": ((week, 3),), +1); the times stage counts them from the last anchored time.
    """

    precision: str
    amount: tuple[tuple[str, float], ...] | None = None
    sign: int = 0
    period: bool = False  # "the next week", "that year": the whole period, not a day in it


@dataclass(frozen=True, slots=True)
class Holiday:
    """A named day of ``data/time_holidays.tsv``: "Christmas", "last Thanksgiving"."""

    name: str
    year: int | None
    offset: int | None  # -1 last, 0 this, 1 next, None bare


@dataclass(frozen=True, slots=True)
class Season:
    """A season, TimeML's SP, SU, FA, WI: "last fall", "the summer of 2022", "this winter"."""

    season: str
    year: int | None
    offset: int | None  # -1 last, 0 this, 1 next, None bare


@dataclass(frozen=True, slots=True)
class Deictic:
    """Now, the past or the future as the writer speaks: "now", "recently", "in the future"."""

    ref: str  # TimeML's PRESENT_REF, PAST_REF or FUTURE_REF


@dataclass(frozen=True, slots=True)
class TimeOfDay:
    """A day with a part of it or a clock time: "Friday morning", "10 p.m. Wednesday"."""

    base: Expr
    part: str  # a TimeML part (MO, AF, EV, NI) or a clock time "22:00"


@dataclass(frozen=True, slots=True)
class Open:
    """An interval with one bound: "since August" (open end), "before 2018" (open start)."""

    base: Expr
    open: str  # the unbounded side: start or end
    inclusive: bool  # "since August" includes August; "after 2018" starts in 2019


Expr = (Cal | Rel | Weekday | Shift | Rolling | Part | Range | Duration | Nth | WeekOf | Decade) | (
    MonthRel
    | WeekdayDay
    | Stretch
    | Slice
    | Narrative
    | Holiday
    | TimeOfDay
    | Open
    | Deictic
    | Season
)


@dataclass(frozen=True, slots=True)
class Match:
    """One time expression found in a text: characters ``[start, end)`` and what it says."""

    start: int
    end: int
    text: str
    expr: Expr


@dataclass(frozen=True, slots=True)
class Resolved:
    """The meaning of a time expression: ISO value, inclusive day bounds, precision.

    ``relative`` is True when the value depends on the reference day (so with no reference day
    it stays unresolved: ``value`` None, precision still typed).
    """

    value: str | None
    start: date | None
    end: date | None
    precision: Precision
    relative: bool
    open: Literal["start", "end"] | None = None


# ---------------------------------------------------------------------------------------------
# Pieces

_PIECE: Final = re.compile(
    r"\n\s*"  # a line break: no expression runs across it
    r"|\d{1,3}(?:,\d{3})+(?!\d)"  # 12,000: one number, never a year
    r"|\d+(?:st|nd|rd|th)(?![^\W\d_])"  # ordinals: 3rd, 04th
    r"|\b[QqHh][1-4]\b"  # quarters and halves: Q1, H2
    r"|\d+\.\d+"  # 3.5 (or 7.6, month.day)
    r"|\d+"
    r"|[^\W\d_]+"
    r"|[^\s\w]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Piece:
    low: str
    start: int
    end: int
    glued: bool  # no space before it
    upper: bool  # starts with a capital letter


class _Parser:
    """Recursive-descent grammar over the pieces of one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        pieces: list[_Piece] = []
        previous_end = -1
        for found in _PIECE.finditer(text):
            raw = found.group()
            low = "\n" if raw[0] == "\n" else raw.lower()
            pieces.append(
                _Piece(
                    low, found.start(), found.end(), found.start() == previous_end, raw[0].isupper()
                )
            )
            previous_end = found.end()
        self.pieces = pieces
        self.words = [piece.low for piece in pieces]
        self.n = len(pieces)

    def w(self, i: int) -> str:
        return self.words[i] if 0 <= i < self.n else ""

    # -- top level ----------------------------------------------------------------------------

    def find(self) -> list[Match]:
        found: list[Match] = []
        i = 0
        words = self.words
        while i < self.n:
            word = words[i]
            if word in _STARTS or word[0].isdecimal():
                parsed = self.expression(i)
                if parsed is not None:
                    j, expr = parsed
                    start, end = self.pieces[i].start, self.pieces[j - 1].end
                    found.append(Match(start, end, self.text[start:end], expr))
                    i = j
                    continue
            i += 1
        return found

    def expression(self, i: int) -> tuple[int, Expr] | None:
        """The longest expression starting at piece ``i``, without leading prepositions."""
        best: tuple[int, Expr] | None = None
        for rule in self.rules:
            parsed = rule(self, i)
            if parsed is not None and (best is None or parsed[0] > best[0]):
                best = parsed
        if best is None:
            return None
        # "from"/"between"/"in"/"on"/"the" open a range or a date but are not part of a bare one
        word = self.w(i)
        if word in ("from", "in", "on", "over", "within") and not isinstance(
            best[1], Range | Rolling | Shift
        ):
            return None
        return best

    # -- numbers -------------------------------------------------------------------------------

    def day_number(self, i: int) -> tuple[int, int] | None:
        """A day of the month: 3, 03, 3rd, "third", "twenty-third", "thirty first"."""
        word = self.w(i)
        if word[:1].isdecimal():
            digits = word[:-2] if word[-2:] in ("st", "nd", "rd", "th") else word
            if digits.isdecimal() and len(digits) <= 2 and 1 <= int(digits) <= 31:
                return i + 1, int(digits)
            return None
        if word in _TENS:
            k = i + 1
            if self.w(k) == "-":
                k += 1
            if self.w(k) in _ORDINAL_DAYS:
                value = ordinal_value(f"{word}-{self.w(k)}")
                if value is not None and value <= 31:
                    return k + 1, value
            return None
        if word in _ORDINAL_DAYS:
            value = ordinal_value(word)
            if value is not None and value <= 31:
                return i + 1, value
        return None

    def year_number(self, i: int, *, loose: bool = False) -> tuple[int, int] | None:
        """A four-digit year (1000–2199); with ``loose``, also "'23" or "23" after a month."""
        word = self.w(i)
        if word.isdecimal():
            if len(word) == 4 and 1000 <= int(word) <= 2199:
                return i + 1, int(word)
            if loose and len(word) == 2:
                return i + 1, _century(int(word))
            return None
        if word in ("'", "’") and self.w(i + 1).isdecimal() and len(self.w(i + 1)) == 2:
            return i + 2, _century(int(self.w(i + 1)))
        return None

    def count(self, i: int) -> tuple[int, float | None] | None:
        """A count before a unit: "6", "six", "two and a half", "a", "several" (value None)."""
        word = self.w(i)
        if word in _VAGUE_COUNTS or (word == "a" and self.w(i + 1) == "few"):
            k = i + 2 if word == "a" else i + 1
            if self.w(k) == "of":
                k += 1
            return k, None
        if word == "½":
            return i + 1, 0.5
        if word == "couple" or (word == "a" and self.w(i + 1) == "couple"):
            k = i + 2 if word == "a" else i + 1
            return (k + 1 if self.w(k) == "of" else k), 2.0  # "a couple of weeks": two
        if word[:1].isdecimal():
            number = number_value(word)
            if number is None:
                return None
            k = i + 1
            if self.w(k) == "½":
                return k + 1, number + 0.5
            return k, number
        if word not in _NUMBER_WORDS or word in ("and", "half", "quarter"):
            return None
        k = i
        while self.w(k) in _NUMBER_WORDS or (self.w(k) == "-" and self.w(k + 1) in _NUMBER_WORDS):
            k += 1
        while k > i + 1 and self.w(k - 1) in ("and", "-", "a", "an"):
            k -= 1
        # "a couple of", "dozens of"
        stop = k + 1 if self.w(k) == "of" else k
        # try the longest run of words that reads as a number
        for end in range(k, i, -1):
            phrase = " ".join(self.words[i:end])
            number = number_value(phrase)
            if number is not None:
                return (stop if end == k else end), number
        return None

    # -- rules ---------------------------------------------------------------------------------

    def rule_relative_day(self, i: int) -> tuple[int, Expr] | None:
        word = self.w(i)
        if word == "the" and self.w(i + 1) == "day" and self.w(i + 2) in ("before", "after"):
            k = i + 3
            other = self.w(k)
            if other in ("yesterday", "tomorrow"):
                return k + 1, Rel("day", -2 if other == "yesterday" else 2)
            return k, Narrative("day", (("day", 1),), 1 if self.w(i + 2) == "after" else -1)
        if word in _RELATIVE_DAYS:
            k = i + 1
            if self.w(k) in _DAY_PARTS:
                k += 1
            return k, Rel("day", _RELATIVE_DAYS[word])
        if word in ("this", "last") and self.w(i + 1) in _DAY_PARTS:
            if word == "last" and self.w(i + 1) != "night":
                return None
            return i + 2, Rel("day", -1 if word == "last" else 0)
        if word == "the" and self.w(i + 1) == "weekend":
            return i + 2, Rel("weekend", 0)
        if (
            word in ("the", "that")
            and self.w(i + 1) in ("next", "following", "previous")
            and self.w(i + 2) in ("day", "morning", "week", "month", "year")
        ):
            unit = "day" if self.w(i + 2) == "morning" else self.w(i + 2)
            sign = -1 if self.w(i + 1) == "previous" else 1
            return i + 3, Narrative(unit, ((unit, 1),), sign, period=unit != "day")
        return None

    def rule_weekday(self, i: int) -> tuple[int, Expr] | None:
        k = i
        mode = "bare"
        word = self.w(k)
        if word == "this" and self.w(k + 1) in ("past", "coming", "upcoming"):
            mode = "past" if self.w(k + 1) == "past" else "coming"
            k += 2
        elif word in ("last", "previous"):
            mode, k = "last", k + 1
        elif word in ("next", "following"):
            mode, k = "next", k + 1
        elif word in ("coming", "upcoming"):
            mode, k = "coming", k + 1
        elif word == "past":
            mode, k = "past", k + 1
        elif word == "this":
            mode, k = "this", k + 1
        day = self.weekday(k)
        if day is None:
            if mode == "bare" and self.w(k) in _WEEKDAY_ABBR:
                day = _WEEKDAY_ABBR[self.w(k)]
                number = self.day_number(k + 1)
                if number is not None and self.month(number[0]) is None:
                    return number[0], WeekdayDay(day, number[1])
            return None
        k += 1
        if mode == "bare":
            j = k + 1 if self.w(k) == "the" else k
            number = self.day_number(j)
            if (
                number is not None
                and self.month(number[0]) is None
                and self.w(number[0]) != "of"
                and (
                    j > k
                    or self.w(j)[-2:] in ("st", "nd", "rd", "th")
                    or not self.w(number[0]).isalpha()
                )
            ):
                return number[0], WeekdayDay(day, number[1])
        if self.w(k) == "of" and self.w(k + 1) in ("next", "last", "this", "the"):
            j = k + 1
            if self.w(j) == "the":
                j += 1
            rel = {"next": 1, "following": 1, "last": -1, "previous": -1, "this": 0}.get(self.w(j))
            if rel is not None and self.w(j + 1) == "week":
                return j + 2, Weekday(day, "this", rel)
        return k, Weekday(day, mode)

    def weekday(self, i: int) -> int | None:
        word = self.w(i)
        if word in _WEEKDAYS:
            return _WEEKDAYS[word]
        if word in _WEEKDAY_ABBR and self.w(i - 1) in ("on", "next", "last", "this", "by"):
            return _WEEKDAY_ABBR[word]
        return None

    def rule_date(self, i: int) -> tuple[int, Expr] | None:
        """Calendar dates, optionally after a weekday: "Tuesday, March 7", "Fri 7/6"."""
        k = i
        word = self.w(k)
        if word in ("this", "next") and (
            self.w(k + 1) in _WEEKDAYS or self.w(k + 1)[:1].isdecimal()
        ):
            k += 1
        if self.w(k) in _WEEKDAYS or (self.w(k) in _WEEKDAY_ABBR and self._month_ahead(k + 1)):
            k += 1
            if self.w(k) in (",", "-", "("):
                k += 1
        parsed = self.calendar_date(k)
        if parsed is None:
            return None
        j, cal = parsed
        if self.w(j) == ")" and self.w(i) != "(" and "(" in self.words[i:j]:
            j += 1
        return j, cal

    def rule_month_relative(self, i: int) -> tuple[int, Expr] | None:
        """ "last March", "this May", "next June"."""
        offsets = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}
        offset = offsets.get(self.w(i))
        if offset is None:
            return None
        month = self.month(i + 1)
        if month is None or self.day_number(i + 2) is not None:
            return None
        return i + 2, MonthRel(month, offset)

    def rule_day_only(self, i: int) -> tuple[int, Expr] | None:
        """ "on the 18th": a day of the current (or last) month."""
        if self.w(i) != "the" or self.w(i - 1) not in ("on", "by", "until", "since"):
            return None
        word = self.w(i + 1)
        if not (word[-2:] in ("st", "nd", "rd", "th") or word in _ORDINAL_DAYS):
            return None
        day = self.day_number(i + 1)
        if day is None or self.month(day[0]) is not None or self.w(day[0]) == "of":
            return None
        after = self.w(day[0])
        if after.isalpha() and after not in STOP_WORDS:
            return None  # "on the 4th floor"
        return day[0], Cal(None, None, day[1])

    def _month_ahead(self, i: int) -> bool:
        word = self.w(i)
        if word in (",", "-"):
            word = self.w(i + 1)
        return word in _MONTHS or word[:1].isdecimal()

    def month(self, i: int) -> int | None:
        word = self.w(i)
        number = _MONTHS.get(word)
        if number is None:
            return None
        if word in _AMBIGUOUS_MONTHS and not self.pieces[i].upper:
            # lower-case "may", "march": a month only with a day or year, or after a preposition
            before, after = self.w(i - 1), self.w(i + 1)
            if not (
                after[:1].isdecimal()
                or after in _ORDINAL_DAYS
                or after in (",", "/", "-", ".")
                or before in _YEAR_PREPOSITIONS
                or before in _LAST | _NEXT | _THIS
                or (before[:1].isdecimal() and len(before) <= 4)
                or before in _ORDINAL_DAYS
            ):
                return None
        elif word in _AMBIGUOUS_MONTHS and i > 0:
            # "Theresa May": a capitalised name word before, no number after
            previous = self.pieces[i - 1]
            after = self.w(i + 1)
            if (
                previous.upper
                and previous.low.isalpha()
                and previous.low not in _YEAR_PREPOSITIONS
                and previous.low not in _LAST | _NEXT | _THIS
                and not after[:1].isdecimal()
                and after not in ("-", "/", "–")
            ):
                return None
        return number

    def calendar_date(self, i: int) -> tuple[int, Cal] | None:
        """Month-day-year orders in words and digits; the longest wins."""
        best: tuple[int, Cal] | None = None
        for rule in (self.numeric_date, self.month_first, self.day_first, self.year_month):
            parsed = rule(i)
            if parsed is not None and (best is None or parsed[0] > best[0]):
                best = parsed
        return best

    def optional_year(self, k: int) -> tuple[int, int | None]:
        """A year after a date: ", 2023", " 2023", " of 2023", " in 2020"."""
        j = k
        if self.w(j) == "." and self.pieces[j].glued:
            j += 1
        if self.w(j) == ",":
            j += 1
        if self.w(j) in ("of", "in"):
            j += 1
        parsed = self.year_number(j, loose=self.w(j - 1) in (",", "of"))
        if parsed is None:
            return k, None
        end, year = parsed
        if self.w(end) == ":":  # "March 3, 20:00" is a time, not a year
            return k, None
        return end, year

    def month_first(self, i: int) -> tuple[int, Cal] | None:
        month = self.month(i)
        if month is None:
            return None
        k = i + 1
        if self.w(k) == "." and self.pieces[k].glued:
            k += 1
        if self.w(k) in ("-", "/") and self.pieces[k].glued:  # sep-23-2020, oct/2, dec/2018
            parsed = self.year_number(k + 1)
            if parsed is not None:
                if self.w(parsed[0]) in ("-", "/") and self.pieces[parsed[0]].glued:
                    day = self.day_number(parsed[0] + 1)  # september-2020-23
                    if day is not None:
                        return day[0], Cal(parsed[1], month, day[1])
                return parsed[0], Cal(parsed[1], month)
            day = self.day_number(k + 1)
            if day is not None:
                j = day[0]
                if self.w(j) in ("-", "/") and self.pieces[j].glued:
                    year = self.year_number(j + 1)
                    if year is not None:
                        return year[0], Cal(year[1], month, day[1])
                return j, Cal(None, month, day[1])
        if self.w(k) == "the":
            k += 1
        elif self.w(k) == "," and self.w(k + 1)[-2:] in ("st", "nd", "rd", "th"):
            k += 1  # "October, 1st"
        day = self.day_number(k)
        if day is not None and not (
            self.w(day[0]) in (":", ".") and self.w(day[0] + 1).isdecimal()
        ):
            j, stated = self.optional_year(day[0])
            abbreviated = k > i + 1  # "Aug. 7 bombings": the dot makes it a month
            if stated is None and self.w(k).isdecimal() and len(self.w(k)) <= 2 and not abbreviated:
                # "May 25 people": a bare number after a month only with a year or no noun after
                nxt = self.w(j)
                if nxt.isalpha() and nxt not in _STOP_AFTER_DAY:
                    return None
            return j, Cal(stated, month, day[1])
        # "March 2023", "March of 2023", "dec, 2018", "June in 2017"
        j, year_only = self.optional_year(i + 1)
        if year_only is not None:
            return j, Cal(year_only, month)
        if self.w(i + 1) == "." and self.pieces[i + 1].glued and self.w(i) in _MONTH_ABBR:
            return i + 2, Cal(None, month)
        return i + 1, Cal(None, month)

    def day_first(self, i: int) -> tuple[int, Cal] | None:
        k = i
        if self.w(k) == "the":
            k += 1
        day = self.day_number(k)
        if day is None or self.w(k - 1) in _NOT_YEAR_BEFORE:
            return None
        k = day[0]
        if self.w(k) in ("day",) and self.w(k + 1) == "of":
            k += 1
        if self.w(k) == "of":
            k += 1
        elif self.w(k) in ("-", "/") and self.pieces[k].glued:  # 05-aug-2016, 23/sep/2020
            month = self.month(k + 1)
            if month is None:
                return None
            j = k + 2
            if self.w(j) in ("-", "/") and self.pieces[j].glued:
                year = self.year_number(j + 1, loose=True)
                if year is not None:
                    return year[0], Cal(year[1], month, day[1])
            return j, Cal(None, month, day[1])
        month = self.month(k)
        if month is None:
            return None
        j = k + 1
        if self.w(j) == "." and self.pieces[j].glued:
            j += 1
        if self.w(j) in ("-", "/") and self.pieces[j].glued:  # 23-2020-september is too odd
            return None
        j, stated = self.optional_year(j)
        if stated is None:
            j = k + 1
        return j, Cal(stated, month, day[1])

    def year_month(self, i: int) -> tuple[int, Cal] | None:
        """Year first: "2017 april", "2019/aug/01", "2020/23/sep", "2015-12", "2015-3"."""
        year = self.year_number(i)
        if year is None:
            return None
        k = year[0]
        sep = self.w(k)
        if sep in ("/", "-") and self.pieces[k].glued:
            month = self.month(k + 1)
            if month is not None:
                j = k + 2
                if self.w(j) == sep:
                    day = self.day_number(j + 1)
                    if day is not None:
                        return day[0], Cal(year[1], month, day[1])
                return j, Cal(year[1], month)
            day = self.day_number(k + 1)
            if day is not None and self.w(day[0]) == sep:
                month = self.month(day[0] + 1)
                if month is not None:
                    return day[0] + 2, Cal(year[1], month, day[1])
            return None
        month = self.month(k)
        if month is not None and month != 5 and self.pieces[k].upper is False:
            return k + 1, Cal(year[1], month)
        if month is not None and self.w(k + 1) not in ("-", "/") and self.day_number(k + 1) is None:
            return k + 1, Cal(year[1], month)
        return None

    def numeric_date(self, i: int) -> tuple[int, Cal] | None:
        """Digit dates: 2023-03-03, 2023/3/3, 3/3/2023, 03/18/40, 11/20, 20230303, 7.6."""
        word = self.w(i)
        if not word[:1].isdecimal():
            return None
        if len(word) == 8 and word.isdecimal() and word[:2] in ("19", "20"):
            cal = _valid(int(word[:4]), int(word[4:6]), int(word[6:]))
            return (i + 1, cal) if cal is not None else None
        if "." in word:  # "7.6" after a weekday: month.day
            if self.w(i - 1) in _WEEKDAYS or self.w(i - 1) in _WEEKDAY_ABBR:
                left, _, right = word.partition(".")
                cal = _valid(None, int(left), int(right))
                return (i + 1, cal) if cal is not None else None
            return None
        if not word.isdecimal():
            return None
        sep = self.w(i + 1)
        if sep not in ("-", "/", " ") or not (i + 2 < self.n and self.pieces[i + 1].glued):
            if not (
                len(word) == 4
                and self.w(i + 1).isdecimal()
                and self.w(i + 2).isdecimal()
                and len(self.w(i + 1)) <= 2
                and len(self.w(i + 2)) <= 2
            ):
                return None
            cal = _valid(int(word), int(self.w(i + 1)), int(self.w(i + 2)))  # 2016 10 16
            return (i + 3, cal) if cal is not None else None
        second = self.w(i + 2)
        if not second.isdecimal() or not self.pieces[i + 2].glued:
            return None
        has_third = (
            self.w(i + 3) == sep
            and self.pieces[i + 3].glued
            and self.w(i + 4).isdecimal()
            and self.pieces[i + 4].glued
        )
        if len(word) == 4:  # year first
            if not has_third:
                if sep == "-" and len(second) <= 2 and 1 <= int(second) <= 12:
                    cal = _valid(int(word), int(second), None)  # 2015-12
                    return (i + 3, cal) if cal is not None else None
                return None
            cal = _valid(int(word), int(second), int(self.w(i + 4)))
            return (i + 5, cal) if cal is not None else None
        if len(word) > 2 or len(second) > 4:
            return None
        if not has_third:
            if len(second) == 4:  # 12-2015: month-year
                cal = _valid(int(second), int(word), None)
                return (i + 3, cal) if cal is not None else None
            if sep == "-" and self.w(i - 1) not in _WEEKDAYS:  # 4-23 is a range or a score
                return None
            after_range = self.w(i - 1) in ("-", "–") and self.w(i - 3) == "/"  # 10/1-11/7
            if self.w(i - 1).isdecimal() and not self.pieces[i].glued:
                return None  # "$15 1/2", "up 1 5/8": a fraction after a whole number
            if (
                self.w(i - 1) not in _BEFORE_MONTH_DAY
                and self.w(i + 3) not in _TO_WORDS
                and not after_range
            ):
                return None  # "9/11", "3/4 of voters": a bare month/day needs "on", "by" …
            first, other = int(word), int(second)
            cal = _valid(None, first, other) or _valid(None, other, first)
            return (i + 3, cal) if cal is not None else None
        third = self.w(i + 4)
        if len(third) == 4:
            year = int(third)
        elif len(third) == 2:
            year = _century(int(third))
        else:
            return None
        first, other = int(word), int(second)
        cal = _valid(year, first, other) or _valid(year, other, first)  # US order first
        return (i + 5, cal) if cal is not None else None

    def rule_year(self, i: int) -> tuple[int, Expr] | None:
        """A bare year, when it reads as a year: "in 2022", "2022's budget", not "2022 people"."""
        k = i
        if self.w(k) == "the" and self.w(k + 1) in ("year", "calendar"):
            k += 1
        if self.w(k) in ("year", "calendar", "cy"):
            k += 1
            if self.w(k) == "year":
                k += 1
        parsed = self.year_number(k)
        if parsed is None:
            return None
        j, year = parsed
        if k == i:
            before = self.w(i - 1)
            after = self.w(j)
            if before in _NOT_YEAR_BEFORE or after in _NOT_YEAR_AFTER:
                return None
            if after in ("s", "'s", "’s") and self.pieces[j].glued and after == "s":
                return None  # "1990s" is a decade (its own rule)
            if after.isalpha() and after.islower() and after not in STOP_WORDS:
                # "2022 people", "1500 soldiers" count; "in 2022 people", "the 2022 election" date
                if _counted_noun(after) and before not in _STRONG_YEAR_PREPOSITIONS:
                    return None
                if before not in _YEAR_PREPOSITIONS:
                    return None
            if after == ":" or (
                after in (".", ",") and self.w(j + 1).isdecimal() and self.pieces[j + 1].glued
            ):
                return None
        return j, Cal(year)

    def rule_decade(self, i: int) -> tuple[int, Expr] | None:
        k = i
        if self.w(k) == "the":
            k += 1
        word = self.w(k)
        if word in ("'", "’") and self.w(k + 1).isdecimal():
            k += 1
            word = self.w(k)
        if (
            word.isdecimal()
            and self.w(k + 1) == "s"
            and (self.pieces[k + 1].glued or not self.w(k + 2).isalpha())
        ):
            if len(word) == 4 and word.endswith("0"):
                return k + 2, Decade(int(word), 10)
            if len(word) == 2 and word.endswith("0"):
                return k + 2, Decade(None, 10, int(word))
            return None
        decades = {"nineties": 90, "eighties": 80, "seventies": 70, "sixties": 60}
        if word in decades and (self.w(i) == "the" or self.w(i - 1) in _YEAR_PREPOSITIONS):
            return k + 1, Decade(None, 10, decades[word])
        century = self.day_number(k)
        if century is not None and self.w(century[0]) == "century" and not self.w(k).isdecimal():
            return century[0] + 1, Decade((century[1] - 1) * 100, 100)
        if century is not None and self.w(century[0]) == "century" and self.w(k)[-2:] in (
            "st", "nd", "rd", "th",
        ):  # fmt: skip
            return century[0] + 1, Decade((century[1] - 1) * 100, 100)
        return None

    def rule_relative_period(self, i: int) -> tuple[int, Expr] | None:
        """ "last month", "this year", "next week", "the week after next", "this past weekend"."""
        k = i
        word = self.w(k)
        if word == "the" and self.w(k + 1) == "week" and self.w(k + 2) == "after":
            if self.w(k + 3) == "next":
                return k + 4, Rel("week", 2)
            return None
        offset: int | None = None
        if word == "this" and self.w(k + 1) in ("past", "coming"):
            offset, k = (-1 if self.w(k + 1) == "past" else 1), k + 2
        elif word in ("the", "this") and self.w(k + 1) in ("current", "calendar"):
            offset, k = 0, k + 2
        elif word in _THIS:
            offset, k = 0, k + 1
            if self.w(k) == "calendar":
                k += 1
        elif word in ("last", "previous", "past"):
            offset, k = -1, k + 1
        elif word in _NEXT:
            offset, k = 1, k + 1
        elif word == "the" and self.w(k + 1) in ("last", "previous", "next", "following", "past"):
            return None  # "the last year" is a rolling window (its own rule)
        if offset is None:
            return None
        unit = _UNITS.get(self.w(k))
        if unit not in _PERIOD_UNITS or self.w(k) != unit or unit == "fortnight":
            if self.w(k) == "fortnight" and offset != 0:
                return k + 1, Rolling("fortnight", 1, "past" if offset < 0 else "next")
            return None
        if word == "past" and unit in ("week", "month", "year", "decade"):
            return k + 1, Rolling(unit, 1, "past")  # "over past year": rolling
        if unit == "decade" and offset != 0:
            return k + 1, Rel("decade", offset)
        if unit == "week":  # "next week Monday", "this week on Tuesday", "previous week - Monday"
            j = k + 1
            if self.w(j) in ("on", "-", ","):
                j += 1
            day = _WEEKDAYS.get(self.w(j), _WEEKDAY_ABBR.get(self.w(j)))
            if day is not None:
                return j + 1, Weekday(day, "this", offset)
        if unit == "weekend" and offset == 0 and word == "this":
            return k + 1, Rel("weekend", 0)
        return k + 1, Rel(unit, offset)

    def rule_rolling(self, i: int) -> tuple[int, Expr] | None:
        """ "the past six months", "over the last year", "next 3 days", "within 9 months"."""
        k = i
        direction: str | None = None
        if self.w(k) in ("over", "in", "during", "for"):
            k += 1
        if self.w(k) == "within":
            direction, k = "within", k + 1
            if self.w(k) in ("the", "a"):
                k += 1
            if self.w(k) in _NEXT:
                k += 1
        else:
            if self.w(k) == "the":
                k += 1
            if self.w(k) in _LAST:
                direction = "past"
            elif self.w(k) in _NEXT:
                direction = "next"
            elif self.w(k) == "first":
                direction = "first"  # only as a slice: "the first six months of 2022"
            else:
                # "5 past years", "3 next weeks"
                counted = self.count(k)
                if counted is None or counted[1] is None:
                    return None
                j = counted[0]
                which = self.w(j)
                unit = _UNITS.get(self.w(j + 1))
                if unit is not None and self.w(j + 1) == unit and counted[1] != 1:
                    return None  # "only 3 next week": a count, then "next week" on its own
                if which in _LAST | _NEXT and unit in _PERIOD_UNITS:
                    direction = "past" if which in _LAST else "next"
                    return j + 2, _window(unit, counted[1], direction)
                return None
            k += 1
            if self.w(k) in ("couple", "few") and self.w(k - 1) != "a":
                pass
        counted = self.count(k)
        n: float | None = 1.0
        if counted is not None:
            k, n = counted
        unit = _UNITS.get(self.w(k))
        if unit not in _PERIOD_UNITS:
            return None
        if counted is None and self.w(k) != unit:  # "the past weeks" (plural, no count)
            n = None
        if n is None:
            return k + 1, Narrative("vague") if direction == "within" else _vague(direction)
        if counted is not None and direction in ("past", "first") and self.w(k + 1) == "of":
            within = self.of_period(k + 1)
            if within is not None and unit in ("day", "week", "month", "quarter") and n == int(n):
                return within[0], Slice(unit, int(n), direction == "past", within[1])
        if direction == "first":
            return None
        if counted is None and direction != "within" and self.w(i) not in (
            "over", "in", "during", "for", "the",
        ):  # fmt: skip
            return None  # "last year" is a calendar year (its own rule)
        return k + 1, _window(unit, n, direction or "within")

    def rule_shift(self, i: int) -> tuple[int, Expr] | None:
        """ "two days ago", "in two weeks", "three weeks from tomorrow", "3 weeks later"."""
        k = i
        future = False
        if self.w(k) == "in":
            future, k = True, k + 1
        amount = self.amount(k)
        if amount is None:
            return None
        k, parts = amount
        if parts is None:
            if self.w(k) == "ago":
                return k + 1, _vague("past")
            return None
        if not future:
            word = self.w(k)
            if word == "ago":
                return k + 1, Shift(parts, -1)
            if word in ("later", "earlier", "before", "after") and self.w(k + 1) not in (
                "today", "tomorrow", "yesterday", "now",
            ):  # fmt: skip
                base = self.expression(k + 1) if word in ("before", "after") else None
                if base is not None and not isinstance(base[1], Duration | Narrative):
                    sign = -1 if word == "before" else 1
                    return base[0], Shift(parts, sign, base[1])
                if word in ("later", "earlier"):
                    sign = 1 if word == "later" else -1
                    return k + 1, Narrative(_shift_precision(parts), parts, sign)
                return None
            if word in ("from", "after", "before") and self.w(k + 1) in (
                "now", "today", "tomorrow", "tmrw", "yesterday",
            ):  # fmt: skip
                base_day = {"now": 0, "today": 0, "tomorrow": 1, "tmrw": 1, "yesterday": -1}
                sign = -1 if word == "before" else 1
                if word == "from" and self.w(i - 1) == "for":  # "for 3 days from today"
                    return k + 2, Stretch(parts, Rel("day", base_day[self.w(k + 1)]))
                return k + 2, Shift(parts, sign, Rel("day", base_day[self.w(k + 1)]))
            j = k + 1 if word == "," else k
            if self.w(j) in ("starting", "beginning", "from"):
                j += 1
                if self.w(j) in ("from", "on"):
                    j += 1
                base = self.expression(j)
                if base is not None and isinstance(base[1], Cal | Rel | Weekday | MonthRel):
                    if self.w(k) == "from" and self.w(i - 1) != "for" and k == j - 1:
                        return base[0], Shift(parts, 1, base[1])  # "2 weeks from January 15"
                    return base[0], Stretch(parts, base[1])
            return None
        if self.w(k) in ("'s", "’s", "time"):
            return None
        return k, Shift(parts, 1)

    def amount(self, i: int) -> tuple[int, tuple[tuple[str, float], ...] | None] | None:
        """ "six months", "2 weeks and 2 days", "one and a half hours", "several weeks"."""
        parts: list[tuple[str, float]] = []
        k = i
        vague = False
        end = k  # after the last unit read: a trailing "and" or "," is not part of it
        while True:
            counted = self.count(k)
            if counted is None:
                if (
                    self.w(k) in _UNITS
                    and self.w(k) in ("fortnight", "decade", "century")
                    and not parts
                ):
                    counted = (k, 1.0)  # "a fortnight" is caught by "a"; this is "fortnight later"
                else:
                    break
            j, n = counted
            word = self.w(j)
            unit = _UNITS.get(word)
            if unit is None and word in _GLUED_UNITS and self.pieces[j].glued and n is not None:
                unit = _GLUED_UNITS[word]
            if unit is None and word[:1].isalpha() and self.pieces[j].glued and n is not None:
                unit = _UNITS.get(word)
            if unit is None or unit == "weekend":
                break
            if unit == "quarter" and self.w(i) != "a" and n is not None and n < 1:
                break
            if n is None:
                vague = True
                n = 0.0
            j += 1
            # "one hour and a half", "one year and a quarter"
            if (
                self.w(j) == "and"
                and self.w(j + 1) in ("a", "half")
                and self.w(j + 1 + (self.w(j + 1) == "a")) in ("half", "quarter")
            ):
                tail = self.w(j + 1 + (self.w(j + 1) == "a"))
                n += 0.5 if tail == "half" else 0.25
                j += 2 + (self.w(j + 1) == "a")
            parts.append((unit, n))
            k = j
            end = k
            if self.w(k) in ("and", ",") and self.count(k + 1) is not None:
                k += 1
                continue
            if self.count(k) is not None and self.w(k)[:1].isdecimal():
                continue
            break
        if not parts:
            return None
        k = end
        if self.w(k) in ("old", "-") and (self.w(k) == "old" or self.w(k + 1) == "old"):
            return None  # ages: "45 years old", "a 45-year-old"
        if self.w(i - 1) in ("aged", "age", "ages"):
            return None
        return k, (None if vague else tuple(parts))

    def rule_duration(self, i: int) -> tuple[int, Expr] | None:
        if self.w(i) == "all" and self.w(i + 1) in ("day", "week", "month", "year", "night"):
            return i + 2, Duration(((_UNITS[self.w(i + 1)], 1.0),), _UNITS[self.w(i + 1)])
        if self.w(i) in ("half", "½") and self.w(i + 1) in ("an", "a") and self.w(i + 2) in _UNITS:
            unit = _UNITS[self.w(i + 2)]
            return i + 3, Duration(((unit, 0.5),), unit)
        amount = self.amount(i)
        if amount is None:
            return None
        k, parts = amount
        unit = parts[0][0] if parts else _UNITS.get(self.w(k - 1), "day")
        if parts is not None and unit in ("second", "quarter") and self.w(i) in ("a", "an", "one"):
            after = self.w(k)
            if (
                unit == "quarter"
                or self.w(i) != "one"
                or (after.isalpha() and after not in STOP_WORDS)
            ):
                return None  # "a second time", "a second debate", "a quarter of the vote"
        return k, Duration(parts, unit)

    def rule_part(self, i: int) -> tuple[int, Expr] | None:
        """ "early March", "mid-2022", "late last year", "the end of 2000", "earlier this week"."""
        k = i
        word = self.w(k)
        if word == "year" and self.w(k + 1) == "to" and self.w(k + 2) == "date":
            return k + 3, Part(Rel("year", 0), "earlier")
        if word in ("earlier", "later"):
            k += 1
            if self.w(k) == "in" and self.w(k + 1) == "the":
                k += 2
                unit = _UNITS.get(self.w(k))
                if unit in ("week", "month", "year"):
                    return k + 1, Part(Rel(unit, 0), word)
                return None
            parsed = self.rule_relative_period(k)
            if parsed is not None and isinstance(parsed[1], Rel) and parsed[1].offset == 0:
                return parsed[0], Part(parsed[1], word)
            return None
        if word == "the" and self.w(k + 1) in _PART_WORDS:
            k += 1
            word = self.w(k)
        if word not in _PART_WORDS:
            return None
        part = _PART_WORDS[word]
        k += 1
        if word in ("beginning", "start", "middle", "end"):
            if self.w(k) != "of":
                return None
            k += 1
            if self.w(k) == "the" and self.w(k + 1) in ("year", "month", "week"):
                return k + 2, Part(Rel(_UNITS[self.w(k + 1)], 0), part)
            if self.w(k) in ("year", "month", "week"):
                return k + 1, Part(Rel(_UNITS[self.w(k)], 0), part)
        elif (self.w(k) == "-" and self.pieces[k].glued) or self.w(k) == "in":
            k += 1
        for rule in (_Parser.rule_relative_period, _Parser.rule_year):
            parsed = rule(self, k)
            if parsed is not None and isinstance(parsed[1], Rel | Cal):
                return parsed[0], Part(parsed[1], part)
        parsed_cal = self.calendar_date(k)
        if parsed_cal is not None and parsed_cal[1].day is None:
            return parsed_cal[0], Part(parsed_cal[1], part)
        parsed_decade = self.rule_decade(k)
        if parsed_decade is not None:
            return parsed_decade[0], Part(parsed_decade[1], part)
        return None

    def rule_nth(self, i: int) -> tuple[int, Expr] | None:
        """Quarters, halves and numbered weeks or months of a period."""
        k = i
        word = self.w(k)
        if re.fullmatch(r"[qh][1-4]", word):  # q1 2019, q1-2019, h2
            unit = "quarter" if word[0] == "q" else "half"
            n = int(word[1])
            j = k + 1
            if self.w(j) in ("-", "of", ","):
                j += 1
            year = self.year_number(j)
            if year is not None:
                return year[0], Nth(unit, n, Cal(year[1]))
            return k + 1, Nth(unit, n, None)
        year = self.year_number(k)
        if year is not None:  # 2019 q1, 2017-q1
            j = year[0]
            if self.w(j) == "-":
                j += 1
            if re.fullmatch(r"[qh][1-4]", self.w(j)):
                unit = "quarter" if self.w(j)[0] == "q" else "half"
                return j + 1, Nth(unit, int(self.w(j)[1]), Cal(year[1]))
            return None
        if word == "week" and self.w(k + 1).isdecimal():  # week 31, week 3 of 2027
            n = int(self.w(k + 1))
            if not 1 <= n <= 53:
                return None
            within = self.of_period(k + 2)
            if within is not None:
                return within[0], Nth("isoweek", n, within[1])
            return k + 2, Nth("isoweek", n, None)
        if word == "the":
            k += 1
        ordinal = self.ordinal(k)
        if ordinal is None:
            return None
        k, n = ordinal
        unit = self.w(k)
        if unit not in ("quarter", "half", "week", "month"):
            return None
        within = self.of_period(k + 1)
        if within is None:
            if unit in ("quarter", "half") and self.w(i) == "the":
                return k + 1, Nth(unit, n, None)
            return None
        return within[0], Nth(unit, n, within[1])

    def ordinal(self, i: int) -> tuple[int, int] | None:
        word = self.w(i)
        if word in ("last", "final"):
            return i + 1, -1
        day = self.day_number(i)
        if day is None or (word.isdecimal()):
            return None
        return day

    def of_period(self, i: int) -> tuple[int, Expr] | None:
        """ "of 2015", "of jan 2015", "of next year", "of this month"."""
        if self.w(i) != "of":
            return None
        k = i + 1
        if self.w(k) == "the" and self.w(k + 1) == "year":
            return k + 2, Rel("year", 0)
        parsed_rel = self.rule_relative_period(k)
        if parsed_rel is not None:
            return parsed_rel
        parsed = self.calendar_date(k)
        if parsed is not None and parsed[1].day is None:
            return parsed
        year = self.year_number(k)
        if year is not None:
            return year[0], Cal(year[1])
        return None

    def rule_week_of(self, i: int) -> tuple[int, Expr] | None:
        """ "the week of April 10", "the week beginning February 4", "w/c feb 4"."""
        k = i
        if self.w(k) == "w" and self.w(k + 1) == "/" and self.w(k + 2) == "c":
            k += 3
        else:
            if self.w(k) == "the":
                k += 1
            if self.w(k) != "week":
                return None
            k += 1
            if self.w(k) in ("beginning", "starting", "commencing", "of"):
                k += 1
                if self.w(k) == "on":
                    k += 1
            else:
                return None
        if self.w(k) == "the":
            day_only = self.day_number(k + 1)
            if (
                day_only is not None
                and self.month(day_only[0]) is None
                and self.w(day_only[0]) != "of"
            ):
                return day_only[0], WeekOf(Cal(None, None, day_only[1]))
        parsed = self.calendar_date(k)
        if parsed is None or parsed[1].day is None:
            return None
        return parsed[0], WeekOf(parsed[1])

    def rule_range(self, i: int) -> tuple[int, Expr] | None:
        """ "from X to Y", "between X and Y", "X-Y", "March 3-5", "April 9th through 17th"."""
        k = i
        between = False
        if self.w(k) == "from":
            k += 1
        elif self.w(k) == "between":
            between, k = True, k + 1
        first = self.range_end(k, first=True)
        if first is None:
            return None
        j, a = first
        connector = self.w(j)
        if not (connector in _TO_WORDS or (between and connector == "and")):
            return None
        second = self.range_end(j + 1, first=False)
        if second is None:
            return None
        end, b = second
        if isinstance(b, Cal) and b.year is None:  # "March 3-5, 2022"
            end, year = self.optional_year(end)
            if year is not None:
                b = Cal(year, b.month, b.day)
        completed = _complete_range(a, b)
        if completed is None:
            return None
        a, b = completed
        if isinstance(a, Cal) and isinstance(b, Cal) and a.month is None and b.month is None:
            if a.year is None or b.year is None:
                return None  # two bare days
            if connector == "-" and not a.year < b.year:
                return None  # "2014-2012" is no range of years
        return end, Range(a, b)

    def range_end(self, i: int, *, first: bool) -> tuple[int, Expr] | None:
        k = i
        if self.w(k) == "the" and self.day_number(k + 1) is not None:
            k += 1
        candidates: list[tuple[int, Expr]] = []
        for rule in (
            _Parser.rule_date, _Parser.rule_year, _Parser.rule_relative_day,
            _Parser.rule_month_relative,
            _Parser.rule_weekday, _Parser.rule_part, _Parser.rule_nth,
            _Parser.rule_relative_period,
        ):  # fmt: skip
            parsed = rule(self, k)
            if parsed is not None:
                candidates.append(parsed)
        if self.w(k) == "now" or (self.w(k) in ("date",) and not first):
            candidates.append((k + 1, Rel("day", 0)))
        if self.w(k) == "current" and self.w(k + 1) == "date" and not first:
            candidates.append((k + 2, Rel("day", 0)))
        day = self.day_number(k)
        if day is not None:  # a bare day: completed by the other end's month
            candidates.append((day[0], Cal(None, None, day[1])))
        if not candidates:
            return None
        j, expr = max(candidates, key=lambda c: c[0])
        if first and isinstance(expr, Cal) and expr.year is not None and expr.month is None:
            # "2014 through may 2018": keep, a year is a fine start
            pass
        return j, expr

    rules: tuple[Callable[[_Parser, int], tuple[int, Expr] | None], ...] = ()


_Parser.rules = (
    _Parser.rule_range,
    _Parser.rule_date,
    _Parser.rule_day_only,
    _Parser.rule_month_relative,
    _Parser.rule_weekday,
    _Parser.rule_relative_day,
    _Parser.rule_relative_period,
    _Parser.rule_rolling,
    _Parser.rule_shift,
    _Parser.rule_part,
    _Parser.rule_nth,
    _Parser.rule_week_of,
    _Parser.rule_decade,
    _Parser.rule_year,
    _Parser.rule_duration,
)

#: words before a bare digit month/day ("on 11/20") that make it a date
_BEFORE_MONTH_DAY: Final = frozenset(
    ("on", "by", "until", "till", "since", "from", "to", "between", "and", "or", ",", "this")
) | frozenset(("next", *_WEEKDAYS, *_WEEKDAY_ABBR))

#: words that may follow "May 25" when 25 is a day, not a count of something
_STOP_AFTER_DAY: Final = frozenset(
    [
        "and",
        "or",
        "but",
        "to",
        "in",
        "on",
        "at",
        "when",
        "as",
        "the",
        "a",
        "an",
        "that",
        "this",
        "was",
        "were",
        "is",
        "are",
        "will",
        "would",
        "had",
        "has",
        "have",
        "after",
        "before",
        "while",
        "where",
        "until",
        "since",
        "by",
        "for",
        "of",
        "with",
        "from",
    ]
)


def _counted_noun(word: str) -> bool:
    """True when ``word`` after a number reads as the thing counted ("2022 people")."""
    return (
        word.isalpha()
        and len(word) > 2
        and word.endswith("s")
        and not word.endswith("ss")
        and word not in ("elections", "olympics", "midterms", "games", "was", "has", "is", "as")
    )


def _century(two_digits: int) -> int:
    """A two-digit year: 00–29 → 2000s, 30–99 → 1900s."""
    return 2000 + two_digits if two_digits < 30 else 1900 + two_digits


def _valid(year: int | None, month: int, day: int | None) -> Cal | None:
    if not 1 <= month <= 12:
        return None
    if day is not None:
        last = calendar.monthrange(year if year is not None else 2000, month)[1]
        if not 1 <= day <= last:
            return None
    return Cal(year, month, day)


def _window(unit: str, n: float, direction: str) -> Expr:
    if unit == "fortnight":
        unit, n = "week", n * 2
    return Rolling(unit, n, direction)


def _vague(direction: str | None) -> Expr:
    return Narrative("vague-past" if direction == "past" else "vague-future")


def _shift_precision(parts: tuple[tuple[str, float], ...]) -> str:
    unit = parts[-1][0]
    return unit if unit in ("month", "year") else "day"


def _complete_range(a: Expr, b: Expr) -> tuple[Expr, Expr] | None:
    """Share a month or a year between the two ends: "March 3-5", "jan-feb 2017"."""
    if isinstance(a, Cal) and isinstance(b, Cal):
        if a.month is None and a.day is not None:
            if b.month is None:
                return None
            if b.day is None or a.day <= b.day:
                a = Cal(a.year if a.year is not None else b.year, b.month, a.day)
            else:  # "from the 27th to the 3rd of April": March 27
                month = (b.month - 2) % 12 + 1
                year = b.year - 1 if b.year is not None and month == 12 else b.year
                a = Cal(a.year if a.year is not None else year, month, a.day)
        if b.month is None and b.day is not None:
            if a.month is None or a.day is None:
                return None
            month = a.month if b.day >= a.day else a.month % 12 + 1  # "April 27 to the 3rd"
            b = Cal(b.year if b.year is not None else a.year, month, b.day)
        if a.year is None and b.year is not None and a.month is not None:
            year = b.year
            if (a.month, a.day or 1) > (b.month or 12, b.day or 31):
                year -= 1
            a = Cal(year, a.month, a.day)
    elif (isinstance(a, Cal) and a.month is None and a.day is not None) or (
        isinstance(b, Cal) and b.month is None and b.day is not None
    ):
        return None
    return a, b


# ---------------------------------------------------------------------------------------------
# Resolution


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9998:
        raise OverflowError("date out of range")
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shift(day: date, unit: str, n: float, sign: int) -> date:
    whole = int(n)
    if unit in ("day", "night"):
        return day + timedelta(days=sign * n)
    if unit == "week":
        return day + timedelta(days=sign * 7 * n)
    if unit == "fortnight":
        return day + timedelta(days=sign * 14 * n)
    if unit == "month":
        return _add_months(day, sign * whole) + timedelta(days=sign * round((n - whole) * 30))
    if unit == "quarter":
        return _add_months(day, sign * round(3 * n))
    if unit == "year":
        return _add_months(day, sign * round(12 * n))
    if unit == "decade":
        return _add_months(day, sign * round(120 * n))
    if unit == "century":
        return _add_months(day, sign * round(1200 * n))
    return day  # hours, minutes, seconds: the same day


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _iso_week_value(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _period(unit: str, ref: date, offset: int) -> Resolved:
    """The calendar period ``offset`` periods from the one holding ``ref``."""
    if unit == "day":
        day = ref + timedelta(days=offset)
        return Resolved(day.isoformat(), day, day, "day", True)
    if unit == "week":
        monday = _week_monday(ref) + timedelta(weeks=offset)
        return Resolved(_iso_week_value(monday), monday, monday + timedelta(days=6), "week", True)
    if unit == "weekend":
        saturday = _week_monday(ref) + timedelta(weeks=offset, days=5)
        year, week, _ = saturday.isocalendar()
        value = f"{year}-W{week:02d}-WE"
        return Resolved(value, saturday, saturday + timedelta(days=1), "week", True)
    if unit == "month":
        first = _add_months(ref.replace(day=1), offset)
        start, end = _month_bounds(first.year, first.month)
        return Resolved(f"{first.year:04d}-{first.month:02d}", start, end, "month", True)
    if unit == "quarter":
        index = ref.year * 4 + (ref.month - 1) // 3 + offset
        year, quarter = divmod(index, 4)
        return _quarter(year, quarter + 1, relative=True)
    if unit == "year":
        year = ref.year + offset
        return Resolved(f"{year:04d}", date(year, 1, 1), date(year, 12, 31), "year", True)
    if unit == "decade":
        start_year = ref.year // 10 * 10 + 10 * offset
        return _decade(start_year, 10, relative=True)
    if unit == "century":
        start_year = ref.year // 100 * 100 + 100 * offset
        return _decade(start_year, 100, relative=True)
    raise ValueError(f"no calendar period {unit!r}")


def _quarter(year: int, quarter: int, *, relative: bool) -> Resolved:
    start = date(year, 3 * quarter - 2, 1)
    end = _month_bounds(year, 3 * quarter)[1]
    return Resolved(f"{year:04d}-Q{quarter}", start, end, "quarter", relative)


def _decade(start_year: int, length: int, *, relative: bool) -> Resolved:
    value = f"{start_year // length * (length // 10):0{5 - len(str(length))}d}"
    if length == 10:
        value = f"{start_year // 10:03d}"
    elif length == 100:
        value = f"{start_year // 100:02d}"
    start, end = date(start_year, 1, 1), date(start_year + length - 1, 12, 31)
    return Resolved(value, start, end, "year", relative)


def _span(first: Resolved, last: Resolved, precision: Precision) -> Resolved:
    if first.start is None or last.end is None:
        return Resolved(None, None, None, precision, first.relative or last.relative)
    start, end = first.start, last.end
    return Resolved(
        f"{start.isoformat()}/{end.isoformat()}",
        start,
        end,
        precision,
        first.relative or last.relative,
    )


#: how far ahead a month and day of a past-tense clause may lie (a deadline, a date set)
_SOON_DAYS: Final = 45


def choose_year(ref: date, month: int, day: int | None, tense: Tense) -> int:
    """The year that places a month (or month-day) before, after or nearest to ``ref``."""
    candidates = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        if day is not None:
            if day > calendar.monthrange(year, month)[1]:
                continue
            start = end = date(year, month, day)
        else:
            start, end = _month_bounds(year, month)
        candidates.append((year, start, end))
    if tense == "past":
        past = [c for c in candidates if c[1] <= ref]
        soon = [c for c in candidates if 0 < (c[1] - ref).days <= _SOON_DAYS]
        if past and day is not None and soon and (ref - past[-1][1]).days > 365 - _SOON_DAYS:
            # "set Nov. 10 as the deadline" on Oct. 26: a day weeks ahead, not eleven months back
            return soon[0][0]
        if past:
            return past[-1][0]
    if tense == "future":
        future = [c for c in candidates if c[2] >= ref]
        if future:
            return future[0][0]

    def distance(c: tuple[int, date, date]) -> int:
        if c[1] <= ref <= c[2]:
            return 0
        return min(abs((c[1] - ref).days), abs((c[2] - ref).days))

    return min(candidates, key=distance)[0]


_FINER: Final[dict[str, int]] = {
    "day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, "vague": 5, "duration": 6,
}  # fmt: skip


def resolve(expr: Expr, ref: date | None, tense: Tense = None) -> Resolved:
    """The value of ``expr`` against the reference day ``ref`` (None: relative stays unresolved).

    >>> resolve(Rel("week", -1), date(2023, 3, 10)).value
    '2023-W09'
    >>> resolve(Weekday(3, "bare"), date(2023, 3, 10)).start.isoformat()
    '2023-03-09'
    >>> resolve(Rel("month", -1), None)
    Resolved(value=None, start=None, end=None, precision='month', relative=True, open=None)
    """
    if isinstance(expr, Holiday | TimeOfDay | Open | Deictic | Season):
        from claimtrace.stages import timeextra  # it builds on this module

        return timeextra.resolve_extra(expr, ref, tense)
    try:
        return _resolve(expr, ref, tense)
    except (OverflowError, ValueError):  # a year 9999 + 1, a day 31 of a 30-day month …
        return Resolved(None, None, None, _precision_of(expr), True)


def _precision_of(expr: Expr) -> Precision:
    """The precision an expression has even when it cannot be resolved."""
    if isinstance(expr, Cal):
        return "day" if expr.day is not None else "month" if expr.month is not None else "year"
    if isinstance(expr, Rel):
        unit = expr.unit
        return (
            "day" if unit == "day" else "week" if unit in ("week", "weekend")
            else "month" if unit == "month" else "quarter" if unit == "quarter" else "year"
        )  # fmt: skip
    if isinstance(expr, Weekday | WeekOf):
        return "day" if isinstance(expr, Weekday) else "week"
    if isinstance(expr, Rolling):
        return _unit_precision(expr.unit)
    if isinstance(expr, Shift):
        return _shift_result_unit(expr)
    if isinstance(expr, Part):
        return "vague" if expr.part in ("early", "mid", "late") else _precision_of(expr.base)
    if isinstance(expr, Range):
        first, last = _precision_of(expr.first), _precision_of(expr.last)
        return first if _FINER[first] <= _FINER[last] else last
    if isinstance(expr, Duration):
        return "duration" if expr.amount is not None else "vague"
    if isinstance(expr, Nth):
        return (
            "quarter"
            if expr.unit == "quarter"
            else "month"
            if expr.unit in ("half", "month")
            else "week"
        )
    if isinstance(expr, Decade):
        return "year"
    if isinstance(expr, MonthRel):
        return "month"
    if isinstance(expr, WeekdayDay):
        return "day"
    if isinstance(expr, Stretch):
        return "day"
    if isinstance(expr, Slice):
        return _unit_precision(expr.unit)
    if isinstance(expr, Holiday | TimeOfDay):
        return "day"
    if isinstance(expr, Open):
        return _precision_of(expr.base)
    if isinstance(expr, Deictic | Season):
        return "vague"
    if expr.precision in _FINER:
        return expr.precision  # type: ignore[return-value]
    return "vague"


def _unit_precision(unit: str) -> Precision:
    if unit in ("day", "night", "hour", "minute", "second"):
        return "day"
    if unit in ("week", "fortnight", "weekend"):
        return "week"
    if unit in ("month", "quarter"):
        return "month" if unit == "month" else "quarter"
    return "year"


def _shift_result_unit(expr: Shift) -> Precision:
    if expr.base is not None:
        return "day"
    unit = expr.amount[-1][0]
    return "month" if unit == "month" else "year" if unit in ("year", "decade") else "day"


def _resolve(expr: Expr, ref: date | None, tense: Tense) -> Resolved:
    precision = _precision_of(expr)
    if isinstance(expr, Duration):
        return Resolved(_duration_value(expr), None, None, precision, False)
    if isinstance(expr, Narrative):
        return Resolved(None, None, None, precision, True)
    if isinstance(expr, Cal):
        return _resolve_cal(expr, ref, tense)
    if isinstance(expr, Decade):
        if expr.start is not None:
            return _decade(expr.start, expr.length, relative=False)
        if ref is None:
            return Resolved(None, None, None, "year", True)
        start_year = ref.year // 100 * 100 + expr.short
        if start_year > ref.year:
            start_year -= 100
        return _decade(start_year, expr.length, relative=True)
    if isinstance(expr, Nth):
        return _resolve_nth(expr, ref, tense)
    if isinstance(expr, Slice):
        return _resolve_slice(expr, ref, tense)
    if isinstance(expr, Range):
        first = _resolve(expr.first, ref, tense)
        last = _resolve(expr.last, ref, tense)
        if first.start is None or last.end is None or last.end >= first.start:
            return _span(first, last, precision)
        if isinstance(expr.last, Cal) and expr.last.year is None and expr.last.month:
            # "from november to march", "between now and November 15th": the next one after
            last = _resolve(expr.last, first.start, "future")
        elif isinstance(expr.first, Cal) and expr.first.year is None and expr.first.month:
            # "from March to date": the first end lies before the second
            first = _resolve(expr.first, last.end, "past")
        elif isinstance(expr.last, Weekday) and expr.last.mode == "bare":
            last = _resolve(expr.last, first.start, "future")  # "from next monday to friday"
        else:
            # "from the end of March to the middle of September": the next one after the start
            last = _resolve(expr.last, first.start, "future")
        if first.start is not None and last.end is not None and last.end < first.start:
            return Resolved(None, None, None, precision, True)  # never a range that ends first
        return _span(first, last, precision)
    if ref is None:
        return Resolved(None, None, None, precision, True)
    if isinstance(expr, Rel):
        if expr.unit == "weekend" and expr.offset == 0 and tense == "past" and ref.weekday() < 5:
            return _period("weekend", ref, -1)  # "over the weekend", told on a weekday
        return _period(expr.unit, ref, expr.offset)
    if isinstance(expr, Weekday):
        return _resolve_weekday(expr, ref, tense)
    if isinstance(expr, Shift):
        base = ref
        if expr.base is not None:
            # "3 days from Tuesday" counts from the coming Tuesday, "before" from the last one
            base_tense: Tense = tense or ("future" if expr.sign > 0 else "past")
            resolved_base = _resolve(expr.base, ref, base_tense)
            if resolved_base.start is None:
                return Resolved(None, None, None, precision, True)
            base = resolved_base.start
        day = base
        for unit, n in expr.amount:
            day = _shift(day, unit, n, expr.sign)
        if precision == "month":
            return _period("month", day, 0)
        if precision == "year":
            return _period("year", day, 0)
        return Resolved(day.isoformat(), day, day, "day", True)
    if isinstance(expr, Rolling):
        if expr.direction == "past":
            start, end = _shift(ref, expr.unit, expr.n, -1), ref - timedelta(days=1)
            if expr.unit == "quarter":
                current = _period("quarter", ref, 0).start
                assert current is not None
                start, end = _add_months(current, -3 * int(expr.n)), current - timedelta(days=1)
        elif expr.direction == "next":
            start, end = ref + timedelta(days=1), _shift(ref, expr.unit, expr.n, 1)
            if expr.unit in ("quarter", "decade"):
                months = 3 if expr.unit == "quarter" else 120
                current = _period(expr.unit, ref, 0).end
                assert current is not None
                start = current + timedelta(days=1)
                end = _add_months(start, months * int(expr.n)) - timedelta(days=1)
        else:
            start, end = ref, _shift(ref, expr.unit, expr.n, 1) - timedelta(days=1)
        return Resolved(f"{start.isoformat()}/{end.isoformat()}", start, end, precision, True)
    if isinstance(expr, Part):
        return _resolve_part(expr, ref, tense)
    if isinstance(expr, WeekdayDay):
        options = []
        for k in range(-12, 13):
            month_start = _add_months(ref.replace(day=1), k)
            if expr.day <= calendar.monthrange(month_start.year, month_start.month)[1]:
                day = month_start.replace(day=expr.day)
                if day.weekday() == expr.weekday:
                    options.append(day)
        if tense == "past":
            options = [o for o in options if o <= ref] or options
        elif tense == "future":
            options = [o for o in options if o >= ref] or options
        if not options:
            return Resolved(None, None, None, "day", True)
        chosen = min(options, key=lambda o: abs((o - ref).days))
        return Resolved(chosen.isoformat(), chosen, chosen, "day", True)
    if isinstance(expr, MonthRel):
        year = ref.year
        if expr.offset < 0 and expr.month >= ref.month:
            year -= 1
        elif expr.offset > 0 and expr.month <= ref.month:
            year += 1
        start, end = _month_bounds(year, expr.month)
        return Resolved(f"{year:04d}-{expr.month:02d}", start, end, "month", True)
    if isinstance(expr, Stretch):
        stretch_base = _resolve(expr.base, ref, tense)
        if stretch_base.start is None:
            return Resolved(None, None, None, "day", True)
        end = stretch_base.start
        for unit, n in expr.amount:
            end = _shift(end, unit, n, 1)
        end -= timedelta(days=1)
        return Resolved(
            f"{stretch_base.start.isoformat()}/{end.isoformat()}",
            stretch_base.start,
            end,
            "day",
            True,
        )
    if isinstance(expr, WeekOf):
        inside = _resolve(expr.day, ref, tense)
        if inside.start is None:
            return Resolved(None, None, None, "week", True)
        monday = _week_monday(inside.start)
        return Resolved(_iso_week_value(monday), monday, monday + timedelta(days=6), "week", True)
    raise ValueError(f"cannot resolve {expr!r}")


def _duration_value(expr: Duration) -> str:
    if expr.amount is None:
        letter, _ = _ISO_UNIT[expr.unit]
        return f"PT{'X'}{letter}" if expr.unit in _TIME_UNITS else f"PX{letter}"
    date_part, time_part = "", ""
    for unit, n in expr.amount:
        letter, factor = _ISO_UNIT[unit]
        amount = n * factor
        text = f"{amount:g}" if amount != int(amount) else str(int(amount))
        if unit in _TIME_UNITS:
            time_part += f"{text}{letter}"
        else:
            date_part += f"{text}{letter}"
    return "P" + date_part + (f"T{time_part}" if time_part else "")


def _resolve_cal(expr: Cal, ref: date | None, tense: Tense) -> Resolved:
    year, month, day = expr.year, expr.month, expr.day
    relative = year is None
    if year is None:
        if ref is None or month is None:
            if ref is not None and month is None and day is not None:  # "on the 18th"
                candidates = [_add_months(ref.replace(day=1), k) for k in (-1, 0, 1)]
                options = [
                    date(c.year, c.month, day)
                    for c in candidates
                    if day <= calendar.monthrange(c.year, c.month)[1]
                ]
                past = [o for o in options if o <= ref]
                chosen = (
                    past[-1]
                    if past and tense != "future"
                    else min(options, key=lambda o: abs((o - ref).days))
                )
                return Resolved(chosen.isoformat(), chosen, chosen, "day", True)
            return Resolved(None, None, None, _precision_of(expr), True)
        year = choose_year(ref, month, day, tense)
    if month is None:
        return Resolved(f"{year:04d}", date(year, 1, 1), date(year, 12, 31), "year", relative)
    if day is None:
        start, end = _month_bounds(year, month)
        return Resolved(f"{year:04d}-{month:02d}", start, end, "month", relative)
    the_day = date(year, month, day)
    return Resolved(the_day.isoformat(), the_day, the_day, "day", relative)


def _resolve_weekday(expr: Weekday, ref: date, tense: Tense) -> Resolved:
    monday = _week_monday(ref)
    if expr.mode == "this":
        day = monday + timedelta(weeks=expr.week, days=expr.weekday)
    elif expr.mode == "last":
        day = monday + timedelta(weeks=-1, days=expr.weekday)
    elif expr.mode == "next":
        day = monday + timedelta(weeks=1, days=expr.weekday)
    elif expr.mode == "coming":
        ahead = (expr.weekday - ref.weekday()) % 7 or 7
        day = ref + timedelta(days=ahead)
    elif expr.mode == "past":
        back = (ref.weekday() - expr.weekday) % 7 or 7
        day = ref - timedelta(days=back)
    elif tense == "future":
        day = ref + timedelta(days=(expr.weekday - ref.weekday()) % 7)
    else:
        day = ref - timedelta(days=(ref.weekday() - expr.weekday) % 7)
    return Resolved(day.isoformat(), day, day, "day", True)


def _resolve_nth(expr: Nth, ref: date | None, tense: Tense) -> Resolved:
    precision = _precision_of(expr)
    within: Resolved | None = None
    if expr.within is not None:
        within = _resolve(expr.within, ref, tense)
    elif ref is not None:
        within = _period("year", ref, 0)
        if expr.unit in ("quarter", "half") and expr.n > 0:
            # "the fourth quarter" in January is last year's unless the clause looks ahead; in
            # November, "the first quarter" of a future clause is next year's
            first_month = (expr.n - 1) * (3 if expr.unit == "quarter" else 6) + 1
            last_month = first_month + (2 if expr.unit == "quarter" else 5)
            if date(ref.year, first_month, 1) > ref and tense != "future":
                within = _period("year", ref, -1)
            elif _month_bounds(ref.year, last_month)[1] < ref and tense == "future":
                within = _period("year", ref, 1)
    if within is None or within.start is None or within.end is None:
        return Resolved(None, None, None, precision, True)
    relative = within.relative
    year = within.start.year
    if expr.unit == "quarter":
        quarter = expr.n if expr.n > 0 else 4
        if not 1 <= quarter <= 4:
            raise ValueError("no such quarter")
        return _quarter(year, quarter, relative=relative)
    if expr.unit == "half":
        half = expr.n if expr.n > 0 else 2
        if half not in (1, 2):
            raise ValueError("no such half")
        start = date(year, 1 if half == 1 else 7, 1)
        end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        return Resolved(f"{year:04d}-H{half}", start, end, "month", relative)
    if expr.unit == "month":
        month = expr.n if expr.n > 0 else 12
        if not 1 <= month <= 12:
            raise ValueError("no such month")
        start, end = _month_bounds(year, month)
        return Resolved(f"{year:04d}-{month:02d}", start, end, "month", relative)
    if expr.unit == "isoweek":
        monday = date.fromisocalendar(year, expr.n, 1)
        return Resolved(
            _iso_week_value(monday), monday, monday + timedelta(days=6), "week", relative
        )
    # the n-th week of a month or year: the week holding its n-th (or last) Thursday
    thursdays = [
        within.start + timedelta(days=k)
        for k in range((within.end - within.start).days + 1)
        if (within.start + timedelta(days=k)).weekday() == 3
    ]
    index = expr.n - 1 if expr.n > 0 else len(thursdays) - 1
    if not 0 <= index < len(thursdays):
        raise ValueError("no such week")
    monday = _week_monday(thursdays[index])
    return Resolved(_iso_week_value(monday), monday, monday + timedelta(days=6), "week", relative)


def _resolve_slice(expr: Slice, ref: date | None, tense: Tense) -> Resolved:
    within = _resolve(expr.within, ref, tense)
    precision = _unit_precision(expr.unit)
    if within.start is None or within.end is None:
        return Resolved(None, None, None, precision, True)
    if expr.unit == "week":  # whole ISO weeks (those whose Thursday falls inside)
        first_thursday = within.start + timedelta(days=(3 - within.start.weekday()) % 7)
        last_thursday = within.end - timedelta(days=(within.end.weekday() - 3) % 7)
        if expr.from_end:
            end = last_thursday + timedelta(days=3)
            start = end - timedelta(days=7 * expr.n - 1)
        else:
            start = first_thursday - timedelta(days=3)
            end = start + timedelta(days=7 * expr.n - 1)
    elif expr.unit == "day":
        if expr.from_end:
            end, start = within.end, within.end - timedelta(days=expr.n - 1)
        else:
            start, end = within.start, within.start + timedelta(days=expr.n - 1)
    else:
        months = expr.n * (3 if expr.unit == "quarter" else 1)
        if expr.from_end:
            end = within.end
            start = _add_months(end.replace(day=1), 1 - months)
        else:
            start = within.start
            end = _add_months(start, months) - timedelta(days=1)
    value = f"{start.isoformat()}/{end.isoformat()}"
    return Resolved(value, start, end, precision, within.relative)


def _resolve_part(expr: Part, ref: date, tense: Tense) -> Resolved:
    base = _resolve(expr.base, ref, tense)
    if base.start is None or base.end is None:
        return Resolved(None, None, None, _precision_of(expr), True)
    start, end = base.start, base.end
    if expr.part == "earlier":
        end = min(end, ref)
        precision = base.precision
    elif expr.part == "later":
        start = max(start, ref)
        precision = base.precision
    else:
        precision = "vague"
        days = (end - start).days + 1
        if base.precision == "year" and days >= 365 and days <= 366:
            bounds = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[expr.part]
            start = date(start.year, bounds[0], 1)
            end = _month_bounds(start.year, bounds[1])[1]
        elif base.precision == "month":
            bounds_day = {"early": (1, 10), "mid": (11, 20), "late": (21, end.day)}[expr.part]
            start, end = start.replace(day=bounds_day[0]), start.replace(day=bounds_day[1])
        else:
            third = days // 3
            if expr.part == "early":
                end = start + timedelta(days=third - 1)
            elif expr.part == "mid":
                start, end = start + timedelta(days=third), end - timedelta(days=third)
            else:
                start = end - timedelta(days=third - 1)
    return Resolved(
        f"{start.isoformat()}/{end.isoformat()}",
        start,
        end,
        precision,
        base.relative or expr.part in ("earlier", "later"),
    )


def find_times(text: str) -> list[Match]:
    """Every time expression in ``text``, left to right, longest first, not overlapping.

    >>> [m.text for m in find_times("On 3 March 2023, two days ago, troops left for six months.")]
    ['3 March 2023', 'two days ago', 'six months']
    """
    from claimtrace.stages import timeextra  # it builds on this module

    return timeextra.extend(text, _Parser(text).find())
