"""Quantities: how many, how much, how long — as ranges, with what is counted, tied to claims.

Rule-based over the parsed ``Doc`` (the embedded model has no CARDINAL entities). Three layers,
each usable on its own:

1. :func:`find_numbers` — every number phrase: digits ("1,200", "$5m", "3½"), number words
   ("a hundred and twenty", "two dozen", "twenty-one"), scales ("1.5 million"), via
   :mod:`claimtrace.stages.numbers`.
2. :func:`read_quantities` — numbers made into quantities: approximators and comparators
   ("around", "more than", "up to", "or more"), ranges ("between 100 and 200", "100-200",
   "from 5 to 10", "two or three"), vague quantities from ``data/quantities.tsv`` ("several
   hundred", "tens of thousands", "dozens"), the unit and ``kind`` (count, duration, money,
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

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from typing import Final, Literal

from spacy.tokens import Doc, Token

from claimtrace.records import Claim, Quantity, QuantityKind, Span
from claimtrace.stages.attribution_lexicon import word_set
from claimtrace.stages.context import Findings, StageContext
from claimtrace.stages.numbers import (
    DOZENS,
    FRACTION_WORDS,
    NUMBER_WORDS,
    SCALE_SUFFIXES,
    SCALES,
    digits_value,
    is_number_word,
    number_value,
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
class NumberMention:
    """A number phrase: tokens ``[start, end)`` of the doc, its characters and value."""

    start: int
    end: int
    start_char: int
    end_char: int
    value: float
    words: bool  # written (at least partly) in words


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


# --- units ---------------------------------------------------------------------------------

_CURRENCY_SYMBOLS: Final[dict[str, str]] = {
    "$": "USD",
    "us$": "USD",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₽": "RUB",
    "₴": "UAH",
    "₹": "INR",
    "₪": "ILS",
    "c$": "CAD",
    "a$": "AUD",
    "hk$": "HKD",
}
_ISO_CODES: Final = word_set("USD EUR GBP RUB UAH JPY CNY INR CHF CAD AUD ILS TRY PLN SEK NOK HKD")
_CURRENCY_WORDS: Final[dict[str, str]] = {
    **{code.lower(): code for code in _ISO_CODES},
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "ruble": "RUB",
    "rubles": "RUB",
    "rouble": "RUB",
    "roubles": "RUB",
    "hryvnia": "UAH",
    "hryvnias": "UAH",
    "hryvnas": "UAH",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rupee": "INR",
    "rupees": "INR",
    "shekel": "ILS",
    "shekels": "ILS",
    "lira": "TRY",
    "zloty": "PLN",
    "zlotys": "PLN",
    "franc": "CHF",
    "francs": "CHF",
}
_TIME_UNITS: Final[dict[str, str]] = {
    **{
        f: u
        for u in ["second", "minute", "hour", "day", "week", "month", "year", "decade", "century"]
        for f in (u, u + "s")
    },
    "centuries": "century",
    "hrs": "hour",
    "hr": "hour",
    "mins": "minute",
    "min": "minute",
    "secs": "second",
    "sec": "second",
    "yrs": "year",
    "fortnight": "fortnight",
    "fortnights": "fortnight",
}
_MEASURE_UNITS: Final[dict[str, str]] = {
    **dict.fromkeys(("km", "kms", "kilometre", "kilometres", "kilometer", "kilometers"), "km"),
    **dict.fromkeys(("mi", "mile", "miles"), "mi"),
    **dict.fromkeys(("metre", "metres", "meter", "meters"), "m"),
    **dict.fromkeys(("cm", "centimetre", "centimetres", "centimeter", "centimeters"), "cm"),
    **dict.fromkeys(("mm", "millimetre", "millimetres", "millimeter", "millimeters"), "mm"),
    **dict.fromkeys(("nm", "nanometre", "nanometres", "nanometer", "nanometers"), "nm"),
    **dict.fromkeys(("kg", "kgs", "kilogram", "kilograms", "kilo", "kilos"), "kg"),
    **dict.fromkeys(("gram", "grams", "gramme", "grammes"), "g"),
    **dict.fromkeys(("mg", "milligram", "milligrams"), "mg"),
    **dict.fromkeys(("tonne", "tonnes", "ton", "tons"), "t"),
    **dict.fromkeys(("lb", "lbs"), "lb"),
    **dict.fromkeys(("litre", "litres", "liter", "liters"), "l"),
    **dict.fromkeys(("ml", "millilitre", "millilitres", "milliliter", "milliliters"), "ml"),
    **dict.fromkeys(("cl", "centilitre", "centilitres"), "cl"),
    **dict.fromkeys(("gallon", "gallons"), "gal"),
    **dict.fromkeys(("barrel", "barrels"), "bbl"),
    **dict.fromkeys(("acre", "acres"), "acre"),
    **dict.fromkeys(("ha", "hectare", "hectares"), "ha"),
    **dict.fromkeys(("ft", "foot", "feet"), "ft"),
    **dict.fromkeys(("inch", "inches"), "in"),
    **dict.fromkeys(("yd", "yard", "yards"), "yd"),
    **dict.fromkeys(("km2", "km²", "sq km"), "km2"),
    **dict.fromkeys(("mph",), "mph"),
    **dict.fromkeys(("km/h", "kph", "kmh"), "km/h"),
    **dict.fromkeys(("°c", "celsius", "centigrade"), "°C"),
    **dict.fromkeys(("°f", "fahrenheit"), "°F"),
    **{
        f: u
        for u in (
            "kW",
            "MW",
            "GW",
            "kWh",
            "MWh",
            "GWh",
            "TWh",
            "GHz",
            "MHz",
            "MB",
            "GB",
            "TB",
            "eV",
            "TeV",
            "GeV",
        )
        for f in (u.lower(),)
    },
    "l": "l",
    "cup": "cup",
    "cups": "cup",
    "tbsp": "tbsp",
    "tsp": "tsp",
    "degree": "°",
    "point": "point",  # "a 22-point lead"
    "points": "point",
    "degrees": "°",
}
#: units after "square"/"cubic"
_AREA: Final = {
    **dict.fromkeys(("kilometre", "kilometres", "kilometer", "kilometers", "km"), "km2"),
    **dict.fromkeys(("mile", "miles"), "mi2"),
    **dict.fromkeys(("metre", "metres", "meter", "meters", "m"), "m2"),
    **dict.fromkeys(("foot", "feet", "ft"), "ft2"),
}
_PERCENT: Final = frozenset(
    ["%", "percent", "pct", "per cent", "percentage points", "percentage point"]
)
_GLUED: Final = re.compile(r"^([-−]?[\d.,]*\d(?:[½⅓⅔¼¾⅛])?)([a-zA-Z°][a-zA-Z°²/]*\d?)$")
_E_NOTATION: Final = re.compile(r"^[-−]?\d+(?:\.\d+)?e[-+]?\d+$")
_VULGAR: Final = re.compile(r"^(\d*)([½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])$")

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
_NON_COUNT_ONE_BEFORE: Final = word_set(
    "the this that which every any no each some someone one another such what"
)
_VAGUE_TIME_NOUNS: Final = frozenset(
    ["day", "night", "morning", "evening", "afternoon", "time", "point"]
)
_SLASH_IDIOMS: Final = frozenset(["9/11", "24/7", "7/7", "50/50", "20/20"])
_RANGE_DASHES: Final = frozenset(["-", "–", "—", "‒", "~"])
_GREEK_SCALE_CONTEXT: Final = frozenset(["m", "g", "t"])  # scales only after a currency


def _lower(token: Token) -> str:
    return token.lower_


def _token_number(token: Token, money: bool) -> float | None:
    """The value of one token read alone (digits, glued scale, vulgar fraction, word)."""
    text = token.text
    if len(text) > 2 and text[-1] == "." and text[-2].isalnum() and text[0].isdecimal():
        text = text[:-1]  # "10M." at the end of a sentence
    lower = text.lower()
    first = text[:1]
    if first.isdecimal() or (first in ".-−" and len(text) > 1 and text[1:2].isdecimal()):
        if text in _SLASH_IDIOMS:
            return None
        if _E_NOTATION.match(lower):
            return digits_value(lower)
        vulgar = _VULGAR.match(text)
        if vulgar is not None:
            fraction = digits_value(vulgar[2]) or 0.0
            return float(vulgar[1] or 0) + fraction
        glued = _GLUED.match(lower)
        if glued is not None and glued[2] not in SCALE_SUFFIXES:
            return None  # "10km", "3rd", "1990s": a number with a unit or not a number
        if (
            glued is not None
            and glued[2] in _GREEK_SCALE_CONTEXT
            and not money
            and (not text[-1].isupper() or glued[2] == "g")
        ):
            return None  # "1m" is a metre, "5G" a network; "$5m" and "10M" are millions
        if "/" in text:
            parts = text.lstrip("-−").split("/")
            if len(parts) != 2 or not parts[0].isdecimal() or not parts[1].isdecimal():
                return None
            if int(parts[0]) >= int(parts[1]):
                return None  # "24/7", "12/5": a date or an idiom, not a fraction
        return digits_value(text)
    if not text.isascii():
        if len(text) == 1:
            return digits_value(text)
        return None
    if lower in NUMBER_WORDS or "-" in lower:
        if lower in ("half", "quarter", "hundreds", "thousands", "millions", "billions", "dozens"):
            return None  # alone these are not a number; phrases handle them
        return number_value(lower) if is_number_word(lower) else None
    return None


_JOINERS: Final = frozenset(["and", "-", "–", "point", "&"])


def _money_before(doc: Doc, i: int) -> str | None:
    """The currency code written just before token ``i`` ("$", "US$", "USD"), if any."""
    if i <= 0:
        return None
    previous = doc[i - 1].lower_
    if previous in _CURRENCY_SYMBOLS:
        return _CURRENCY_SYMBOLS[previous]
    if previous.upper() in ("USD", "EUR", "GBP", "RUB", "UAH", "CNY", "JPY", "INR", "CHF"):
        return previous.upper()
    return None


def _glued_currency(text: str) -> str | None:
    for symbol in ("us$", "c$", "a$", "hk$"):
        if text.lower().startswith(symbol):
            return _CURRENCY_SYMBOLS[symbol]
    return _CURRENCY_SYMBOLS.get(text[:1]) if len(text) > 1 and not text[:1].isalnum() else None


def _scan_number(doc: Doc, i: int, limit: int) -> NumberMention | None:
    """The longest number phrase starting at token ``i`` (before ``limit``), or None."""
    token = doc[i]
    lower = token.lower_
    money = _money_before(doc, i) is not None or _glued_currency(token.text) is not None
    value_alone = _token_number(token, money)
    words_started = False
    if value_alone is not None and lower == "one" and i > 0:
        before = _previous_word(doc, i).lower_
        if before in _NON_COUNT_ONE_BEFORE and _next_word(doc, i + 1).lower_ not in SCALES:
            return None  # "the one you mentioned", "which one": a pronoun, not a number
    if value_alone is None:
        following = _next_word(doc, i + 1) if i + 1 < limit else None
        nxt_word = following.lower_ if following is not None else ""
        after = (
            _next_word(doc, following.i + 1).lower_ if following and following.i + 1 < limit else ""
        )
        if (
            lower in ("a", "an")
            and (nxt_word in SCALES or nxt_word in DOZENS)
            and not nxt_word.endswith("s")
        ):
            words_started = True
        elif (
            lower in ("a", "an")
            and nxt_word in FRACTION_WORDS
            and nxt_word not in ("second", "seconds")
        ):
            words_started = nxt_word != "quarter" or after not in ("of", "past", "to")
            if nxt_word == "quarter" and after == "of" and following is not None:
                # "a quarter of the cost" is a share; "a quarter of an hour" is not read
                words_started = _next_lower(doc, following.i + 2) not in ("a", "an")
        elif lower in ("half", "quarter") and (nxt_word in SCALES or nxt_word in ("a", "an")):
            words_started = nxt_word in SCALES or after in DOZENS
        elif lower == "half" and nxt_word == "of" and _previous_word(doc, i).lower_ not in ("a",):
            value_alone = 0.5  # "half of the delegates": a share, read as a percent below
        elif lower in ("minus", "negative", "-", "−") and following is not None:
            words_started = _token_number(following, money) is not None and (
                lower != "-" or not (i > 0 and doc[i - 1].like_num)
            )
        elif _glued_currency(token.text) is not None:
            value_alone = digits_value(token.text[1:]) if token.text[1:2].isdecimal() else None
            if value_alone is None:
                return None
        if not words_started and value_alone is None:
            return None
    parts = [token.text[:-1] if token.text.endswith(".") and value_alone else token.text]
    end = i + 1
    best_end = i + 1 if value_alone is not None else i
    is_words = value_alone is None or token.is_alpha
    previous_is_scale = lower in SCALES
    j = i + 1
    while j < limit:
        tok = doc[j]
        low = tok.lower_
        if tok.is_space:
            if "\n" in tok.text:
                break
            j += 1  # "fifty   two": spaCy keeps runs of spaces as tokens
            continue
        if (low in SCALES and not low.endswith("s")) or (low in DOZENS and low != "score"):
            parts.append(tok.text)
        elif low in SCALE_SUFFIXES and low not in _GREEK_SCALE_CONTEXT and not tok.is_upper:
            if not parts[-1][:1].isdecimal():
                break
            parts.append(tok.text)  # "10 bln", "2.33 k"
        elif low in _GREEK_SCALE_CONTEXT and money and parts[-1][:1].isdecimal():
            parts.append(tok.text)  # "$5 m"
        elif low in FRACTION_WORDS and j > i and (low not in ("second", "quarter") or is_words):
            if low in ("quarter", "quarters", "half") and not is_words:
                break
            parts.append(tok.text)  # "two thirds", "3 quarters"
        elif low in ("a", "an") and parts[-1].lower() in ("half", "quarter") and j + 1 < limit:
            if _next_word(doc, j + 1).lower_ not in DOZENS:
                break
            parts.append(tok.text)  # "half a dozen"
        elif low in _JOINERS and j + 1 < limit:
            nxt = _next_word(doc, j + 1)
            nxt_low = nxt.lower_
            if low == "and":
                # "a hundred and twenty", "3 hundred and 21", "one and a half"
                if not (is_words or previous_is_scale):
                    break
                if (
                    nxt_low in ("a", "an")
                    and nxt.i + 1 < limit
                    and doc[nxt.i + 1].lower_ in FRACTION_WORDS
                ):
                    parts.extend([tok.text, nxt.text, doc[nxt.i + 1].text])
                    j = nxt.i + 2
                    end = j
                    best_end = j
                    continue
                if _token_number(nxt, money) is None or (nxt.is_digit and not previous_is_scale):
                    break
                after_next = _next_word(doc, nxt.i + 1).lower_ if nxt.i + 1 < limit else ""
                last_scale = max((SCALES.get(p.lower(), 0.0) for p in parts), default=0.0)
                if SCALES.get(after_next, 0.0) >= last_scale > 0:
                    break  # "3 hundred and 2 hundred": two numbers
                if not previous_is_scale and after_next not in FRACTION_WORDS:
                    break  # "ten and fifteen": two numbers; "twenty and three fifths": one
                parts.append("and")
            elif low == "point":
                if not is_words or nxt_low not in NUMBER_WORDS:
                    break
                parts.append("point")
            else:  # a dash between number words: "fifty - two", "one-eighth"
                dashed = [t.lower_ for t in doc[j : min(limit, j + 6)]]
                if is_words and dashed == ["-", "and", "-", "a", "-", "half"]:
                    parts.extend(["and", "a", "half"])  # "seven-and-a-half"
                    j += 6
                    end = best_end = j
                    continue
                if nxt.is_space and j + 2 < limit:
                    nxt = doc[j + 2]
                    nxt_low = nxt.lower_
                if nxt_low in FRACTION_WORDS and is_words and nxt_low not in ("second", "seconds"):
                    parts.extend(["-", nxt.text])
                    j = nxt.i + 1
                    end = best_end = j
                    continue
                if not (is_words and tok.text == "-" and nxt.is_alpha and nxt_low in NUMBER_WORDS):
                    break
                if doc[j - 1].lower_ not in NUMBER_WORDS or nxt_low in SCALES:
                    break
                parts.append("-")
        else:
            value = _token_number(tok, money)
            if value is None:
                break
            if tok.like_num and not tok.is_alpha:
                # digits after digits are another number, except "2 1/2" and "1 234 567"
                previous = _previous_word(doc, j)
                if "/" in tok.text and previous.is_digit:
                    pass
                elif (
                    _thousands_group(doc, previous, tok)
                    and len(parts) == 1
                    and parts[0].isdecimal()
                ):
                    parts[-1] = parts[-1] + tok.text  # "1 234 567"
                    j += 1
                    end = best_end = j
                    while j + 1 < limit and _thousands_group(doc, doc[j - 1], _next_word(doc, j)):
                        following = _next_word(doc, j)
                        parts[-1] += following.text
                        j = following.i + 1
                        end = best_end = j
                    continue
                elif not (
                    previous_is_scale or previous.lower_ in ("and", "minus", "negative", "-")
                ):
                    break
            else:
                if not is_words and not previous_is_scale and doc[j - 1].lower_ != "and":
                    break
                if (
                    tok.lower_ in NUMBER_WORDS
                    and doc[j - 1].like_num
                    and not doc[j - 1].is_alpha
                    and not previous_is_scale
                    and doc[j - 1].lower_ != "and"
                ):
                    break
            parts.append(tok.text)
            is_words = is_words or tok.is_alpha
        previous_is_scale = low in SCALES or low in DOZENS
        j += 1
        end = j
        if parts[-1].lower() not in ("and", "point", "-"):
            best_end = j
    # read the longest prefix that parses
    for stop in range(best_end, i, -1):
        count = stop - i
        text = " ".join(_clean(p) for p in parts[:count] if p)
        value = number_value(text)
        if value is not None:
            last = doc[stop - 1]
            return NumberMention(
                start=i,
                end=stop,
                start_char=token.idx,
                end_char=last.idx + len(last.text),
                value=value,
                words=is_words,
            )
    del end
    return None


def _previous_word(doc: Doc, j: int) -> Token:
    k = j - 1
    while k > 0 and doc[k].is_space:
        k -= 1
    return doc[k]


def _next_word(doc: Doc, j: int) -> Token:
    k = j
    while k < len(doc) - 1 and doc[k].is_space:
        k += 1
    return doc[k]


_GROUP_SPACES: Final = frozenset([" ", "\u00a0", "\u202f", "\u2009"])


def _thousands_group(doc: Doc, previous: Token, token: Token) -> bool:
    """Whether ``token`` continues ``previous`` as a group of thousands ("1 234 567")."""
    if not (previous.is_digit and token.is_digit and len(token.text) == 3):
        return False
    if len(previous.text) > 3 or token.i - previous.i > 2:
        return False
    if token.i - previous.i == 2:
        return doc[previous.i + 1].text in _GROUP_SPACES and not previous.whitespace_
    return previous.whitespace_ in _GROUP_SPACES


def _clean(part: str) -> str:
    if part[:1] in "$£€¥₽₴₹₪":
        return part[1:]
    if part.lower().startswith(("us$", "c$", "a$", "hk$")):
        return part.split("$", 1)[1]
    return part


def find_numbers(doc: Doc, start: int = 0, end: int | None = None) -> list[NumberMention]:
    """Every number phrase in tokens ``[start, end)``, left to right, not overlapping.

    This is the number layer only: years, dates and names are numbers here; :func:`read_quantities`
    decides which numbers are quantities.
    """
    limit = len(doc) if end is None else end
    found: list[NumberMention] = []
    i = start
    while i < limit:
        token = doc[i]
        if token.like_num or token.lower_ in _STARTS or _may_start(token):
            mention = _scan_number(doc, i, limit)
            if mention is not None:
                found.append(mention)
                i = mention.end
                continue
        i += 1
    return found


def _may_start(token: Token) -> bool:
    """The cheap prefilter for tokens that are neither numbers nor number words."""
    first = token.text[:1]
    if first.isalpha() and first.isascii():
        return False
    if first == ".":
        return token.text[1:2].isdecimal()  # ".08", not a full stop
    return first.isdecimal() or first in _SIGN_OR_MONEY or (not first.isascii() and first.isalnum())


_SIGN_OR_MONEY: Final = frozenset("-−.$£€¥₽₴₹₪")
_STARTS: Final = frozenset([*NUMBER_WORDS, "a", "an", "minus", "negative", "half", "quarter"])


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


def _unit_after(doc: Doc, i: int, money: bool) -> tuple[QuantityKind, str, int] | None:
    """The unit starting at token ``i`` ("%", "per cent", "months", "km", "dollars")."""
    if i >= len(doc):
        return None
    token = doc[i]
    if token.text == "-" and i + 1 < len(doc) and not token.whitespace_:
        token = doc[i + 1]  # "six-month", "27-kilometer"
        i += 1
    lower = token.lower_
    two = f"{lower} {doc[i + 1].lower_}" if i + 1 < len(doc) else ""
    if lower in _PERCENT:
        return "percent", "%", i + 1
    if two in _PERCENT:
        return "percent", "%", i + 2
    if lower in _CURRENCY_WORDS and (
        lower not in ("pound", "pounds") or _next_lower(doc, i + 1) != "of"
    ):
        return "money", _CURRENCY_WORDS[lower], i + 1
    if lower in _TIME_UNITS and not money:
        return "duration", _TIME_UNITS[lower], i + 1
    if lower in ("square", "sq", "cubic") and i + 1 < len(doc):
        k = i + 2 if doc[i + 1].text == "-" and i + 2 < len(doc) else i + 1  # "square-foot"
        unit = _AREA.get(doc[k].lower_)
        if unit is not None:
            return "measure", unit if lower != "cubic" else unit.replace("2", "3"), k + 1
    if two in _MEASURE_UNITS:
        return "measure", _MEASURE_UNITS[two], i + 2
    if lower in _MEASURE_UNITS and not money:
        if lower in ("m", "l", "t", "g", "in", "ft") and token.pos_ not in (
            "NOUN",
            "PROPN",
            "X",
            "SYM",
        ):
            return None  # "in", "m" and friends are units only when tagged as nouns
        return "measure", _MEASURE_UNITS[lower], i + 1
    return None


def _next_lower(doc: Doc, i: int) -> str:
    return doc[i].lower_ if i < len(doc) else ""


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
        if noun.lower_ in _TIME_UNITS or noun.lower_ in _MEASURE_UNITS:
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
    before = _previous_word(doc, mention.start) if mention.start > 0 else None
    after = _next_word(doc, mention.end) if mention.end < len(doc) else None
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
        and not (after is not None and after.tag_ == "NNS" and after.lower_ not in _TIME_UNITS)
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
        and before_lower not in _CURRENCY_WORDS
        and first.text[:1].isdecimal()
        and before.text[:1].isupper()
        and _unit_after(doc, mention.end, False) is None  # "Cruz 59 percent" is a figure
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
    if (
        after_lower in _TIME_UNITS
        and _next_lower(doc, after.i + 1 if after else 0) in _OFFSET_WORDS
    ):
        return "time offset"
    if (
        last.lower_ in ("one", "a", "an")
        and mention.value == 1
        and after_lower in _VAGUE_TIME_NOUNS
    ):
        return "vague time"
    return None


def _draft_number(doc: Doc, mention: NumberMention, table: VagueTable) -> _Draft | None:
    money_code = _money_before(doc, mention.start) or _glued_currency(doc[mention.start].text)
    reason = _not_a_quantity(doc, mention, money_code is not None)
    if reason is not None:
        return None
    draft = _Draft(start=mention.start, end=mention.end, value=mention.value, rule="number")
    if money_code is not None:
        draft.kind, draft.unit = "money", money_code
        if _money_before(doc, mention.start) is not None:
            draft.start -= 1
    # a range: "100-200", "100 to 200", "between 100 and 200", "two or three"
    j = draft.end
    before = _words_before(doc, draft.start, 1)
    unit = _unit_after(doc, j, money_code is not None)
    joiners = ("to", "-", "–", "and") if before == ("between",) else ("to", "-", "–")
    if (
        unit is not None
        and unit[0] in ("measure", "money")
        and _next_lower(doc, unit[2]) in joiners
    ):
        j = unit[2]  # "44 mg to 50 mg", "between 44 mg and 50 mg"
    if _next_lower(doc, j) == "-" and _next_lower(doc, j + 1) == "to":
        j += 1  # "8- to 16-meter"
    joiner = _next_lower(doc, j)
    ranged = False
    if joiner in _RANGE_DASHES or joiner in ("to", "and", "or", "through"):
        k = j + 1
        if (
            k < len(doc)
            and _money_before(doc, k + 1) is not None
            and doc[k].lower_ in _CURRENCY_SYMBOLS
        ):
            k += 1
        second = _scan_number(doc, k, len(doc)) if k < len(doc) else None
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
        if after is not None and _next_lower(doc, after[1]) in ("than", "to", "equal"):
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
    if 0 < mention.value < 1 and draft.kind == "count" and _next_lower(doc, draft.end) == "of":
        draft.value *= 100
        if draft.high_value is not None:
            draft.high_value *= 100
        draft.kind, draft.unit = "percent", "%"
        return draft
    # the unit after the (last) number
    if draft.kind != "money":
        unit = _unit_after(doc, draft.end, False)
        if unit is not None:
            draft.kind, draft.unit, draft.end = unit
    else:
        unit = _unit_after(doc, draft.end, True)
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
    unit = _unit_after(doc, end, False)
    return unit is not None and unit[0] == "duration" and token.head.i == unit[2] - 1


def _units_differ(
    doc: Doc, first: NumberMention, second: NumberMention | None, money: bool
) -> bool:
    """Whether two numbers joined by "to" carry different units of their own."""
    if second is None:
        return False
    one = _unit_after(doc, first.end, money)
    if one is None:
        return False  # "5 to 10 km": the unit is written once
    other = _unit_after(doc, second.end, money)
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
    unit = _unit_after(doc, i + size, False)
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
    if i > 0 and doc[i - 1].dep_ == "compound" and doc[i - 1].pos_ in ("NOUN", "PROPN"):
        return None  # "credit scores": the head of a noun compound
    low, high = entry.low, entry.high
    if low is None or high is None:
        return None  # never: the loader allows "open" only on comparators
    scale_at = end + 1 if _next_lower(doc, end) == "of" else end
    scale_word = _next_lower(doc, scale_at)
    if scale_word in SCALES and (scale_at == end or scale_word.endswith("s")):
        # "tens of thousands": 20,000-99,999, not 99,000
        low, high = low * SCALES[scale_word], (high + 1) * SCALES[scale_word] - 1
        end = scale_at + 1
    elif (
        entry.words[-1].endswith("s")
        and _next_lower(doc, end) not in ("of",)
        and doc[i].pos_ == "NOUN"
    ):
        following = doc[end] if end < len(doc) else None
        if following is not None and following.pos_ in ("NOUN", "PROPN"):
            return None  # "scores points", a noun compound
    following = doc[end] if end < len(doc) else None
    if following is None or (following.is_punct and entry.words[0] in ("a", "few")):
        return None
    unit = _unit_after(doc, end, False)
    if unit is not None and _next_lower(doc, unit[2]) in _OFFSET_WORDS:
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
    match = _GLUED.match(doc[i].lower_)
    if match is None:
        return None
    unit = match[2]
    value = digits_value(match[1])
    if value is None:
        return None
    if unit in _MEASURE_UNITS:
        return _Draft(
            start=i, end=i + 1, value=value, kind="measure", unit=_MEASURE_UNITS[unit], rule="glued"
        )
    if unit in _TIME_UNITS and unit not in ("min", "h", "s"):
        return _Draft(
            start=i, end=i + 1, value=value, kind="duration", unit=_TIME_UNITS[unit], rule="glued"
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
        if not (
            token.like_num or lower in _STARTS or lower in table.first_words or _may_start(token)
        ):
            i += 1
            continue
        draft = _draft_vague(doc, i, table) if lower in table.first_words else None
        if draft is None and token.text[:1].isdecimal():
            draft = _glued_unit(doc, i)
        if draft is None:
            mention = _scan_number(doc, i, n) or _article_unit(doc, i, table)
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
