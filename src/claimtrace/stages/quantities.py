"""Quantities: how many, how much, how long — as ranges, with what is counted, tied to claims.

Rule-based over the parsed ``Doc`` (the embedded model has no CARDINAL entities). Three layers,
each usable on its own:

1. :func:`find_numbers` — every number phrase: digits ("1,200", "$5m", "3½"), number words
   ("a hundred and twenty", "two dozen", "twenty-one"), scales ("1.5 million"), in
   :mod:`claimtrace.stages.quantity_numbers`.
2. :func:`read_quantities` — numbers made into quantities: approximators and comparators
   ("around", "more than", "up to", "or more": an open side stays None), ranges ("between 100
   and 200", "100-200", "from 5 to 10", "two or three"), vague quantities from
   ``data/quantities.tsv`` ("several hundred", "tens of thousands", "dozens"), shares ("more
   than half of", "a third of": percents), the unit (``data/quantity_units.tsv``, read by
   :mod:`claimtrace.stages.quantity_units`) and ``kind`` (count, duration, money,
   percent, measure) and the counted head noun from the dependency parse. Numbers that are not
   quantities are dropped: years, dates ("March 3"), times of day ("3pm", "10:30"), names and
   model numbers ("G7", "F-16", "Voyager 2"), ordinals ("3rd"), list markers, page or section
   numbers, ages ("12-year-old") and offsets inside time expressions ("two days ago", which the
   ``times`` stage reads; "for six months" stays a duration quantity).
3. :func:`run` — the stage: :class:`~claimtrace.records.Quantity` records, and each claim's
   ``quantities`` lists those inside its content.

Conventions: ``counted`` is the head noun as written, lower-cased unless a proper noun
("women", "prisoners", "Ukrainians"); ``approximate`` is true whenever the figure is not one
exact number (approximators, comparators, ranges, vague words). Money units are ISO 4217 codes,
durations the singular time unit ("month"), percent ``%``, measures a short symbol ("km").

>>> from claimtrace.nlp import load_pipeline
>>> doc = load_pipeline(None)("Around 100 women were sent for six months.")
>>> [(q.text, q.low, q.high, q.best, q.kind, q.counted, q.unit) for q in read_quantities(doc)]
[('Around 100', 80.0, 120.0, 100.0, 'count', 'women', None), ('six months', 6.0, 6.0, 6.0, 'duration', None, 'month')]
"""  # noqa: E501

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from typing import Final, Literal

from spacy.tokens import Doc, Token

from claimtrace.records import Claim, Quantity, QuantityKind, Span
from claimtrace.stages.attribution_lexicon import word_set
from claimtrace.stages.context import Findings, StageContext
from claimtrace.stages.numbers import SCALES, digits_value
from claimtrace.stages.quantity_numbers import (
    GLUED,
    NUMBER_STARTS,
    NumberMention,
    find_numbers,
    may_start,
    next_word,
    previous_word,
    scan_number,
)
from claimtrace.stages.quantity_units import (
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    MEASURE_UNITS,
    TIME_UNITS,
    glued_currency,
    money_before,
    next_lower,
    unit_after,
)

__all__ = [
    "NumberMention",
    "QuantityReading",
    "VagueTable",
    "find_numbers",
    "load_table",
    "read_quantities",
    "run",
]

Bound = Literal[
    "exact", "about", "above", "at_least", "below", "at_most", "equal", "range", "vague"
]


@dataclass(frozen=True, slots=True)
class QuantityReading:
    """One quantity before it becomes a record; ``lower``/``upper`` are the bounds as written.

    ``lower``/``upper`` are None where the text leaves that side open ("more than 30" has no
    upper bound), and so are ``low``/``high``; they differ only for approximators, where
    ``low``/``high`` widen "about 100" to the range of ``data/quantities.tsv`` (80-120).
    """

    start_char: int
    end_char: int
    text: str
    low: float | None
    high: float | None
    best: float | None
    approximate: bool
    kind: QuantityKind
    counted: str | None
    unit: str | None
    lower: float | None
    upper: float | None
    bound: Bound
    rule: str


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]
    role: str
    low: float | None  # None: the side the text leaves open ("more than" has no high)
    high: float | None
    bound: Bound


@dataclass(frozen=True, slots=True)
class VagueTable:
    """``data/quantities.tsv``: vague words, approximators before numbers, postfixes after."""

    vague: dict[tuple[str, ...], _Entry]
    approx: dict[tuple[str, ...], _Entry]
    postfix: dict[tuple[str, ...], _Entry]
    longest: int
    first_words: frozenset[str]


_BOUNDS: Final = frozenset(["about", "above", "at_least", "below", "at_most", "equal", "vague"])
_OPEN_LOWER: Final = frozenset(["above", "at_least"])  # a lower bound: the high side is open
_OPEN_UPPER: Final = frozenset(["below", "at_most"])  # an upper bound: the low side is open


@lru_cache(maxsize=1)
def load_table() -> VagueTable:
    """Read ``data/quantities.tsv`` (packaged) once."""
    text = files("claimtrace.stages").joinpath("data/quantities.tsv").read_text(encoding="utf-8")
    tables: dict[str, dict[tuple[str, ...], _Entry]] = {"vague": {}, "approx": {}, "postfix": {}}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or fields[1] not in tables or fields[4] not in _BOUNDS:
            raise ValueError(f"quantities.tsv line {number}: expected 5 valid columns: {line!r}")
        words = tuple(fields[0].split())
        bound: Bound = fields[4]  # type: ignore[assignment]  # checked against _BOUNDS above
        open_side = 3 if bound in _OPEN_LOWER else 2 if bound in _OPEN_UPPER else None
        if (fields[2] == "open" or fields[3] == "open") and (
            open_side is None or fields[open_side] != "open"
        ):
            raise ValueError(f"quantities.tsv line {number}: 'open' on a closed side: {line!r}")
        low, high = (None if f == "open" else float(f) for f in fields[2:4])
        tables[fields[1]][words] = _Entry(words, fields[1], low, high, bound)
    every = [w for table in tables.values() for w in table]
    return VagueTable(
        vague=tables["vague"],
        approx=tables["approx"],
        postfix=tables["postfix"],
        longest=max(len(w) for w in every),
        first_words=frozenset(w[0] for w in tables["vague"]),
    )


# --- what is not a quantity ----------------------------------------------------------------

_MONTHS: Final = word_set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_DAY_TIME: Final = word_set("am a.m. pm p.m. o'clock oclock gmt utc bst cet est edt pst h hrs.")
_REFERENCE_NOUNS: Final = word_set(
    "page pages p. pp. section sections chapter chapters article articles paragraph clause "
    "no. no number # item figure fig. table resolution route flight platform room line "
    "verse part volume vol. episode season level grade phase stage act rule amendment "
    "channel district precinct row seat gate exit highway interstate"
)
_OFFSET_WORDS: Final = frozenset(["ago", "earlier", "later", "before", "after", "since", "hence"])
_VAGUE_TIME_NOUNS: Final = frozenset(
    ["day", "night", "morning", "evening", "afternoon", "time", "point"]
)
_RANGE_DASHES: Final = frozenset(["-", "–", "—", "‒", "~"])
# --- quantities ----------------------------------------------------------------------------

_DETERMINERS: Final = frozenset(
    ["the", "these", "those", "his", "her", "its", "their", "our", "my", "your", "this", "that"]
)
_OF_SKIP: Final = frozenset(["of", "the", "their", "its", "his", "her", "our", "those", "these"])


@dataclass(slots=True)
class _Draft:
    """A quantity being assembled: token bounds, numbers and what surrounds them."""

    start: int
    end: int
    value: float
    high_value: float | None = None
    low: float | None = None
    high: float | None = None
    bound: Bound = "exact"
    kind: QuantityKind = "count"
    unit: str | None = None
    rule: str = "number"


def _words_before(doc: Doc, i: int, count: int) -> tuple[str, ...]:
    start = max(0, i - count)
    return tuple(t.lower_ for t in doc[start:i] if not t.is_space)


def _match_before(
    doc: Doc, i: int, table: dict[tuple[str, ...], _Entry], longest: int
) -> tuple[_Entry, int] | None:
    """The longest table phrase ending just before token ``i``, with its first token."""
    for size in range(min(longest, i), 0, -1):
        words = tuple(t.lower_ for t in doc[i - size : i])
        entry = table.get(words)
        if entry is not None:
            return entry, i - size
    return None


def _match_after(
    doc: Doc, i: int, table: dict[tuple[str, ...], _Entry], longest: int
) -> tuple[_Entry, int] | None:
    """The longest table phrase starting at token ``i``, with the token after it."""
    for size in range(min(longest, len(doc) - i), 0, -1):
        words = tuple(t.lower_ for t in doc[i : i + size])
        entry = table.get(words)
        if entry is not None:
            return entry, i + size
    return None


def _counted(doc: Doc, start: int, end: int) -> str | None:
    """The head noun a count counts: "100 women", "tens of thousands of people", "in their N"."""
    j = end
    skipped_of = False
    while j < len(doc) and j < end + 3 and doc[j].lower_ in _OF_SKIP:
        skipped_of = skipped_of or doc[j].lower_ == "of"
        j += 1
    noun: Token | None = None
    for k in range(j, min(len(doc), j + 4)):
        token = doc[k]
        if token.pos_ in ("NOUN", "PROPN") and token.lower_ not in _REFERENCE_NOUNS:
            noun = token
            break
        if token.pos_ == "VERB" and token.tag_ in ("VBN", "VBD", "VBG") and k + 1 < len(doc):
            continue  # "475 pledged delegates", "two used-car lots", "the remaining two"
        if token.pos_ not in ("ADJ", "NUM", "ADV", "PUNCT") or token.text in (",", ".", ";", ":"):
            break
    if noun is not None:
        while noun.dep_ == "compound" and noun.head.i > noun.i and noun.head.i < noun.i + 3:
            noun = noun.head
        if noun.lower_ in TIME_UNITS or noun.lower_ in MEASURE_UNITS:
            return None
        return noun.text if noun.pos_ == "PROPN" else noun.lower_
    before = _words_before(doc, start, 2)
    if not doc.has_annotation("DEP"):
        return None  # no parse (the rules pipeline): no clause to climb
    if before in (("in", "their"), ("in", "its"), ("by", "the")) or before[-1:] == ("their",):
        head = doc[start].head
        for _ in range(4):  # climb to the clause, then take its subject
            if head.pos_ in ("VERB", "AUX") or head.head.i == head.i:
                break
            head = head.head
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubj:pass") and child.pos_ in ("NOUN", "PROPN"):
                return child.text if child.pos_ == "PROPN" else child.lower_
    return None


def _not_a_quantity(doc: Doc, mention: NumberMention, money: bool) -> str | None:
    """Why a number is not a quantity (year, date, time, name …), or None when it is one."""
    first = doc[mention.start]
    last = doc[mention.end - 1]
    text = first.text if mention.end - mention.start == 1 else ""
    before = previous_word(doc, mention.start) if mention.start > 0 else None
    after = next_word(doc, mention.end) if mention.end < len(doc) else None
    before_lower = before.lower_ if before is not None else ""
    after_lower = after.lower_ if after is not None else ""
    if money:
        return None
    if before_lower in _MONTHS or after_lower in _MONTHS:
        return "date"
    if after_lower in _DAY_TIME or after_lower.startswith(("a.m", "p.m")):
        return "time of day"
    if (
        mention.end - mention.start == 1
        and text.isdecimal()
        and len(text) == 4
        and 1800 <= mention.value <= 2100
        and not (after is not None and after.tag_ == "NNS" and after.lower_ not in TIME_UNITS)
    ):
        return "year"
    if (
        before is not None
        and before_lower in _REFERENCE_NOUNS
        and first.like_num
        and not first.is_alpha
    ):
        return "reference"
    if (
        before is not None
        and before.pos_ == "PROPN"
        and before.i == mention.start - 1
        and before_lower not in CURRENCY_WORDS
        and first.text[:1].isdecimal()
        and before.text[:1].isupper()
        and unit_after(doc, mention.end, False) is None  # "Cruz 59 percent" is a figure
    ):
        return "name"
    if (
        (first.is_sent_start or mention.start == 0 or "\n" in doc[mention.start - 1].text)
        and after is not None
        and after.text in (".", ")")
        and mention.value < 100
    ):
        return "list marker"
    if (
        after_lower == "-"
        and mention.end + 2 < len(doc)
        and doc[mention.end + 1].lower_ == "year"
        and doc[mention.end + 2].lower_ == "-"
    ):
        return "age"
    if before_lower == "aged":
        return "age"
    if after_lower in TIME_UNITS and next_lower(doc, after.i + 1 if after else 0) in _OFFSET_WORDS:
        return "time offset"
    if (
        last.lower_ in ("one", "a", "an")
        and mention.value == 1
        and after_lower in _VAGUE_TIME_NOUNS
    ):
        return "vague time"
    return None


def _draft_number(doc: Doc, mention: NumberMention, table: VagueTable) -> _Draft | None:
    money_code = money_before(doc, mention.start) or glued_currency(doc[mention.start].text)
    reason = _not_a_quantity(doc, mention, money_code is not None)
    if reason is not None:
        return None
    draft = _Draft(start=mention.start, end=mention.end, value=mention.value, rule="number")
    if money_code is not None:
        draft.kind, draft.unit = "money", money_code
        if money_before(doc, mention.start) is not None:
            draft.start -= 1
    # a range: "100-200", "100 to 200", "between 100 and 200", "two or three"
    j = draft.end
    before = _words_before(doc, draft.start, 1)
    unit = unit_after(doc, j, money_code is not None)
    joiners = ("to", "-", "–", "and") if before == ("between",) else ("to", "-", "–")
    if unit is not None and unit[0] in ("measure", "money") and next_lower(doc, unit[2]) in joiners:
        j = unit[2]  # "44 mg to 50 mg", "between 44 mg and 50 mg"
    if next_lower(doc, j) == "-" and next_lower(doc, j + 1) == "to":
        j += 1  # "8- to 16-meter"
    joiner = next_lower(doc, j)
    ranged = False
    if joiner in _RANGE_DASHES or joiner in ("to", "and", "or", "through"):
        k = j + 1
        if (
            k < len(doc)
            and money_before(doc, k + 1) is not None
            and doc[k].lower_ in CURRENCY_SYMBOLS
        ):
            k += 1
        second = scan_number(doc, k, len(doc)) if k < len(doc) else None
        allowed = (
            (joiner in _RANGE_DASHES and "\n" not in doc[j - 1].whitespace_)
            or joiner in ("to", "through")
            or (joiner == "and" and before == ("between",))
            or (joiner == "or" and mention.words)
        )
        if second is not None and joiner in _RANGE_DASHES and _chained(doc, mention, second):
            allowed = False  # "+1-222-2222-2222": a phone number, not a range
        if joiner == "to" and (
            before == ("by",) or _units_differ(doc, mention, second, money_code is not None)
        ):
            allowed = False  # "rose by 3 points to 14%": a change and a level
        ordered = second is not None and (
            second.value > mention.value or (before == ("from",) and joiner == "to")
        )
        if second is not None and allowed and ordered:
            if joiner == "or" and second.value > 10 * mention.value:
                allowed = False
            if (
                joiner in _RANGE_DASHES
                and len(doc[mention.start].text) == 4
                and mention.value > 1000
            ):
                allowed = second.value > 2100 or "," in doc[second.start].text
            if allowed:
                draft.value, draft.high_value = sorted((mention.value, second.value))
                draft.end = second.end
                draft.bound = "range"
                draft.rule = f"range:{joiner}"
                ranged = True
                if before in (("between",), ("from",)):
                    draft.start -= 1
    if not ranged and draft.kind == "count":
        _read_ratio(doc, mention, draft)  # "nine in 10 voters": a percent
    # approximators before ("around", "more than"), postfixes after ("or more")
    if not ranged:
        found = _match_before(doc, draft.start, table.approx, table.longest)
        if found is not None and _spans_a_period(doc, found[1], draft.end):
            found = None  # "$84 billion over 10 years": a period, not "more than"
        if found is not None:
            entry, first = found
            draft.start = first
            draft.bound = entry.bound
            draft.low, draft.high = entry.low, entry.high
            draft.rule = "approx:" + " ".join(entry.words)
        after = _match_after(doc, draft.end, table.postfix, table.longest)
        if after is not None and next_lower(doc, after[1]) in ("than", "to", "equal"):
            after = None  # "5000 or less than 6000": the comparator belongs to the next number
        if after is not None and draft.bound in ("exact", "about", "equal"):
            entry, end = after
            draft.end = end
            draft.bound = entry.bound
            draft.low, draft.high = entry.low, entry.high
            draft.rule = "postfix:" + " ".join(entry.words)
    else:
        found = _match_before(doc, draft.start, table.approx, table.longest)
        if found is not None and found[0].bound == "about":
            draft.start = found[1]  # "about 100-200"
    # "two-thirds of the population": a share, recorded as a percent
    share = next_lower(doc, draft.end) == "of" or (  # "a third of", "fell by a third"
        mention.words and _words_before(doc, draft.start, 1) == ("by",)
    )
    if 0 < mention.value < 1 and draft.kind == "count" and share:
        draft.value *= 100
        if draft.high_value is not None:
            draft.high_value *= 100
        draft.kind, draft.unit = "percent", "%"
        return draft
    # the unit after the (last) number
    if draft.kind != "money":
        unit = unit_after(doc, draft.end, False)
        if unit is not None:
            draft.kind, draft.unit, draft.end = unit
    else:
        unit = unit_after(doc, draft.end, True)
        if unit is not None and unit[0] == "money":
            draft.end = unit[2]
    return draft


#: comparators that are also prepositions of a period: "over 10 years" is a span of time
#: where the parse makes the word the case marker of the duration, "more than" elsewhere
_PERIOD_PREPOSITIONS: Final = frozenset(["over"])


def _spans_a_period(doc: Doc, first: int, end: int) -> bool:
    """Whether the comparator at token ``first`` is the preposition of a duration."""
    token = doc[first]
    if token.lower_ not in _PERIOD_PREPOSITIONS or token.dep_ != "case":
        return False
    unit = unit_after(doc, end, False)
    return unit is not None and unit[0] == "duration" and token.head.i == unit[2] - 1


#: the denominators of ratios news writes as "N in M" ("one in five", "4 in 10")
_RATIO_BASES: Final = frozenset([2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 100, 1000])


def _read_ratio(doc: Doc, mention: NumberMention, draft: _Draft) -> None:
    """ "4 in 10 voters", "one in five": a share, made a percent in ``draft``; not "2 in 10
    minutes" (a number and a duration)."""
    if next_lower(doc, mention.end) != "in" or mention.end + 1 >= len(doc):
        return
    second = scan_number(doc, mention.end + 1, len(doc))
    if second is None or second.value not in _RATIO_BASES or not 0 < mention.value < second.value:
        return
    if not float(mention.value).is_integer() or unit_after(doc, second.end, False) is not None:
        return
    draft.value = 100 * mention.value / second.value
    draft.end = second.end
    draft.kind, draft.unit, draft.rule = "percent", "%", "ratio"


def _units_differ(
    doc: Doc, first: NumberMention, second: NumberMention | None, money: bool
) -> bool:
    """Whether two numbers joined by "to" carry different units of their own."""
    if second is None:
        return False
    one = unit_after(doc, first.end, money)
    if one is None:
        return False  # "5 to 10 km": the unit is written once
    other = unit_after(doc, second.end, money)
    return other is not None and one[:2] != other[:2]


def _article_unit(doc: Doc, i: int, table: VagueTable) -> NumberMention | None:
    """ "a"/"an" as one unit after a comparator ("more than a year", "nearly a decade"), and
    "half a"/"half an" before a unit ("half an hour", "nearly half a century"). Alone, "a year"
    is not read: "once a year", "$21 an hour" are rates."""
    words = [t.lower_ for t in doc[i : i + 3]]
    if words[:1] in (["a"], ["an"]):
        value, size = 1.0, 1
        if _match_before(doc, i, table.approx, table.longest) is None:
            return None
    elif words[:2] in (["half", "a"], ["half", "an"]):
        value, size = 0.5, 2
    else:
        return None
    unit = unit_after(doc, i + size, False)
    if unit is None or unit[0] not in ("duration", "measure") or unit[2] != i + size + 1:
        return None
    if doc[i + size].lower_.endswith("s"):
        return None  # "a years-long war"
    last = doc[i + size - 1]
    return NumberMention(i, i + size, doc[i].idx, last.idx + len(last.text), value, words=True)


def _chained(doc: Doc, first: NumberMention, second: NumberMention) -> bool:
    """Whether dashes chain more than two numbers (phone numbers, codes, dates)."""
    if (
        first.start >= 2
        and doc[first.start - 1].text in _RANGE_DASHES
        and doc[first.start - 2].like_num
    ):
        return True
    return (
        second.end + 1 < len(doc)
        and doc[second.end].text in _RANGE_DASHES
        and doc[second.end + 1].text[:1].isdecimal()
    )


def _draft_vague(doc: Doc, i: int, table: VagueTable) -> _Draft | None:
    """A vague quantity from token ``i``: "several hundred", "tens of thousands", "dozens"."""
    found = _match_after(doc, i, table.vague, table.longest)
    if found is None:
        return None
    entry, end = found
    if doc[i].pos_ in ("VERB", "AUX"):
        return None  # "he scores", "it tens"
    if i > 0 and doc[i - 1].lower_ in _DETERMINERS and _words_before(doc, i - 1, 1) != ("in",):
        return None  # "the scores", but "in their tens of thousands" is a quantity
    if (
        entry.words == ("scores",)
        and i > 0
        and doc[i - 1].dep_ == "compound"
        and doc[i - 1].pos_ in ("NOUN", "PROPN")
    ):
        return None  # "credit scores", "test scores": a noun, not forty-odd
    low, high = entry.low, entry.high
    if low is None or high is None:
        return None  # never: the loader allows "open" only on comparators
    scale_at = end + 1 if next_lower(doc, end) == "of" else end
    scale_word = next_lower(doc, scale_at)
    if scale_word in SCALES and (scale_at == end or scale_word.endswith("s")):
        # "tens of thousands": 20,000-99,999, not 99,000
        low, high = low * SCALES[scale_word], (high + 1) * SCALES[scale_word] - 1
        end = scale_at + 1
    elif (
        entry.words[-1].endswith("s")
        and next_lower(doc, end) not in ("of",)
        and doc[i].pos_ == "NOUN"
    ):
        following = doc[end] if end < len(doc) else None
        if following is not None and following.pos_ in ("NOUN", "PROPN"):
            return None  # "scores points", a noun compound
    following = doc[end] if end < len(doc) else None
    if following is None or (following.is_punct and entry.words[0] in ("a", "few")):
        return None
    unit = unit_after(doc, end, False)
    if unit is not None and next_lower(doc, unit[2]) in _OFFSET_WORDS:
        return None  # "a few days ago": the times stage reads it
    draft = _Draft(
        start=i,
        end=end,
        value=low,
        high_value=high,
        bound="vague",
        rule="vague:" + " ".join(entry.words),
    )
    if unit is not None:
        draft.kind, draft.unit, draft.end = unit[0], unit[1], unit[2]
    return draft


def _glued_unit(doc: Doc, i: int) -> _Draft | None:
    """ "10km", "5kg", "25lbs": a number with its unit in one token."""
    match = GLUED.match(doc[i].lower_)
    if match is None:
        return None
    unit = match[2]
    value = digits_value(match[1])
    if value is None:
        return None
    if unit in MEASURE_UNITS:
        return _Draft(
            start=i, end=i + 1, value=value, kind="measure", unit=MEASURE_UNITS[unit], rule="glued"
        )
    if unit in TIME_UNITS and unit not in ("min", "h", "s"):
        return _Draft(
            start=i, end=i + 1, value=value, kind="duration", unit=TIME_UNITS[unit], rule="glued"
        )
    return None


def _finish(doc: Doc, draft: _Draft) -> QuantityReading:
    value = draft.value
    lower: float | None = value
    upper: float | None = value
    best: float | None = value
    low: float | None
    high: float | None
    if draft.bound == "range" or draft.bound == "vague":
        upper = draft.high_value
        low, high, best = value, draft.high_value or value, None
    elif draft.bound in _OPEN_LOWER:
        low, high, upper, best = value, None, None, None  # open above: never a made-up high
    elif draft.bound in _OPEN_UPPER:
        low, high, lower, best = None, value, None, None
    else:
        f_low = 1.0 if draft.low is None else draft.low
        f_high = 1.0 if draft.high is None else draft.high
        low, high = sorted((value * f_low, value * f_high))
    start_char = doc[draft.start].idx
    last = doc[draft.end - 1]
    end_char = last.idx + len(last.text)
    if (
        last.text.endswith(".")
        and len(last.text) > 1
        and last.text[-2].isalnum()
        and draft.rule != "vague"
    ):
        end_char -= 1 if last.text[:1].isdecimal() else 0
    counted = _counted(doc, draft.start, draft.end) if draft.kind == "count" else None
    return QuantityReading(
        start_char=start_char,
        end_char=end_char,
        text=doc[draft.start : draft.end].text[: end_char - start_char],
        low=low,
        high=high,
        best=best,
        approximate=draft.bound not in ("exact", "equal"),
        kind=draft.kind,
        counted=counted,
        unit=draft.unit,
        lower=lower,
        upper=upper,
        bound=draft.bound,
        rule=draft.rule,
    )


def read_quantities(doc: Doc) -> list[QuantityReading]:
    """Every quantity in ``doc``, left to right (see the module docstring for the rules)."""
    table = load_table()
    drafts: list[_Draft] = []
    i = 0
    n = len(doc)
    while i < n:
        token = doc[i]
        lower = token.lower_
        starts = lower in NUMBER_STARTS or lower in table.first_words
        if not (token.like_num or starts or may_start(token)):
            i += 1
            continue
        draft = _draft_vague(doc, i, table) if lower in table.first_words else None
        if draft is None and token.text[:1].isdecimal():
            draft = _glued_unit(doc, i)
        if draft is None:
            mention = scan_number(doc, i, n) or _article_unit(doc, i, table)
            if mention is None:
                i += 1
                continue
            draft = _draft_number(doc, mention, table)
            if draft is None:
                i = mention.end
                continue
            if (
                mention.value == 1
                and doc[mention.start].lower_ in ("one", "a", "an")
                and draft.kind == "count"
                and draft.bound == "exact"
            ):
                i = mention.end  # "one of them": a pronoun more often than a count
                continue
        if drafts and draft.start < drafts[-1].end:
            i = max(i + 1, draft.end)
            continue
        drafts.append(draft)
        i = max(i + 1, draft.end)
    return [_finish(doc, draft) for draft in _join_bounds(doc, drafts)]


_BOUND_JOINERS: Final = frozenset(["and", "but", ",", "or"])


def _join_bounds(doc: Doc, drafts: list[_Draft]) -> list[_Draft]:
    """ "more than 10 and less than 20" is one range, (10, 20), not two open bounds."""
    joined: list[_Draft] = []
    for draft in drafts:
        if joined:
            previous = joined[-1]
            between = {t.lower_ for t in doc[previous.end : draft.start]}
            bounds = {previous.bound, draft.bound}
            if (
                0 < draft.start - previous.end <= 2
                and between <= _BOUND_JOINERS
                and bounds & _OPEN_LOWER
                and bounds & _OPEN_UPPER
                and previous.kind == draft.kind
            ):
                low_draft = previous if previous.bound in _OPEN_LOWER else draft
                high_draft = draft if low_draft is previous else previous
                if low_draft.value < high_draft.value:
                    joined[-1] = _Draft(
                        start=previous.start,
                        end=draft.end,
                        value=low_draft.value,
                        high_value=high_draft.value,
                        bound="range",
                        kind=previous.kind,
                        unit=previous.unit,
                        rule="range:bounds",
                    )
                    continue
        joined.append(draft)
    return joined


def run(doc: Doc, ctx: StageContext) -> Findings:
    """Add the document's quantities and link each claim to those inside its content."""
    text = ctx.document.text
    quantities = []
    for reading in read_quantities(doc):
        if text[reading.start_char : reading.end_char] != reading.text:
            continue  # the parsed text must be the document's; never emit a wrong span
        quantities.append(
            Quantity(
                id=ctx.mention_id("q", reading.start_char, reading.end_char),
                mention=Span.of(text, reading.start_char, reading.end_char),
                kind=reading.kind,
                low=reading.low,
                high=reading.high,
                best=reading.best,
                approximate=reading.approximate,
                counted=reading.counted,
                unit=reading.unit,
            )
        )
    starts = [q.mention.start for q in quantities]
    claims: list[Claim] = []
    for claim in ctx.found.claims:
        inside: list[str] = []
        for part in claim.content:
            k = bisect_left(starts, part.start)
            while k < len(quantities) and quantities[k].mention.start < part.end:
                if quantities[k].mention.end <= part.end and quantities[k].id not in inside:
                    inside.append(quantities[k].id)
                k += 1
        claims.append(
            claim.model_copy(update={"quantities": tuple(inside)})
            if inside or claim.quantities
            else claim
        )
    return replace(ctx.found, quantities=tuple(quantities), claims=tuple(claims))
