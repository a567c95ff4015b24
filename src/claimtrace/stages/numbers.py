"""Reading numbers written in digits or words: shared by the ``quantities`` and ``times`` stages.

News writes numbers in many ways — "12", "1,200", "1.5 million", "$5m", "six", "twenty-one",
"a hundred and twenty", "two dozen", "two and a half" — and both stages need one reading of them,
so it lives here. Everything is pure string work on already-tokenised words: no spaCy, no
regular expression over a whole document.

:func:`number_value` reads a whole phrase; :func:`is_number_word` and :func:`token_value` let a
stage test single tokens cheaply (the prefilter that keeps the stages fast); :func:`ordinal_value`
reads "3rd" or "twenty-first" for dates.

>>> number_value("a hundred and twenty")
120.0
>>> number_value("1.5 million")
1500000.0
>>> number_value("women") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = [
    "DOZENS",
    "FRACTION_WORDS",
    "NUMBER_WORDS",
    "ORDINALS",
    "SCALES",
    "SCALE_SUFFIXES",
    "TENS",
    "UNITS",
    "digits_value",
    "is_number_word",
    "number_value",
    "ordinal_value",
    "split_words",
    "token_value",
]

#: zero to nineteen
UNITS: Final[dict[str, int]] = {
    word: value
    for value, words in enumerate(
        [
            "zero nought naught oh",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
    for word in words.split()
    if word != "oh"  # "oh" is an interjection far more often than a zero
}
TENS: Final[dict[str, int]] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
#: multipliers written as words; "lakh" and "crore" because South Asian outlets write them
SCALES: Final[dict[str, float]] = {
    "hundred": 1e2,
    "hundreds": 1e2,
    "thousand": 1e3,
    "thousands": 1e3,
    "lakh": 1e5,
    "lakhs": 1e5,
    "million": 1e6,
    "millions": 1e6,
    "crore": 1e7,
    "crores": 1e7,
    "billion": 1e9,
    "billions": 1e9,
    "trillion": 1e12,
    "trillions": 1e12,
}
#: abbreviated scales glued to digits or following them ("$5m", "10k", "2.5bn", "10 bln")
SCALE_SUFFIXES: Final[dict[str, float]] = {
    "k": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "mil": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "g": 1e9,
    "tn": 1e12,
    "tln": 1e12,
    "trn": 1e12,
}
#: "two dozen", "3 dzs"
DOZENS: Final[dict[str, int]] = {
    "dozen": 12,
    "dozens": 12,
    "doz": 12,
    "dozs": 12,
    "dz": 12,
    "dzs": 12,
    "score": 20,
}
_ORDINAL_UNITS: Final[dict[str, int]] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
    "thousandth": 1000,
    "millionth": 1_000_000,
    "billionth": 1_000_000_000,
    "trillionth": 1_000_000_000_000,
}
#: ordinal words, singular and plural ("fifth", "fifths")
ORDINALS: Final[dict[str, int]] = {
    **_ORDINAL_UNITS,
    **{word + "s": value for word, value in _ORDINAL_UNITS.items() if word != "second"},
}
#: denominators of spoken fractions; "half" and "quarter" are not ordinals but act as ones
FRACTION_WORDS: Final[dict[str, int]] = {
    **{word: value for word, value in ORDINALS.items() if value > 2},
    "half": 2,
    "halves": 2,
    "quarter": 4,
    "quarters": 4,
}
#: every word that can be part of a number written in words
NUMBER_WORDS: Final[frozenset[str]] = frozenset(
    [*UNITS, *TENS, *SCALES, *DOZENS, "half", "quarter"]
)
_SIGNS: Final = frozenset(["minus", "negative", "-", "−"])
_SPLIT: Final = re.compile(
    r"[\s\u00a0\u202f\u2009]*[-‐‑–—][\s\u00a0\u202f\u2009]*|[\s\u00a0\u202f\u2009]+"
)
_DIGITS: Final = re.compile(
    r"""(?x)
    (?P<sign>[-−+])?
    (?P<number>
        \d{1,3}(?:,\d{3})+(?:\.\d+)?            # 1,234,567.89
      | \d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?      # 12,34,567.89 (South Asian grouping)
      | \d+(?:\.\d+)?(?:e[-+]?\d+)?             # 1234, 4.800, 1e10
      | \.\d+                                   # .08
    )
    (?P<suffix>[a-z]{0,3})
    """
)
_GROUPED_BY_SPACES: Final = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:\.\d+)?$")
_FRACTION: Final = re.compile(r"^(?:(\d+)\s+)?(\d+)/(\d+)$")
_ORDINAL_DIGITS: Final = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def is_number_word(word: str) -> bool:
    """Whether a lower-cased word can be part of a number written in words.

    >>> is_number_word("dozen"), is_number_word("twenty-one"), is_number_word("women")
    (True, True, False)
    """
    if word in NUMBER_WORDS:
        return True
    parts = word.split("-")
    return len(parts) > 1 and all(part in NUMBER_WORDS for part in parts if part)


def digits_value(text: str) -> float | None:
    """The value of a number written in digits, with an optional glued scale ("5m", "2.5bn").

    Commas group thousands (a comma followed by other than three digits is not read, so "1,3"
    is None rather than a guess); a suffix is read only from :data:`SCALE_SUFFIXES`.

    >>> digits_value("1,200"), digits_value("$5m"), digits_value(".08"), digits_value("10K")
    (1200.0, 5000000.0, 0.08, 10000.0)
    >>> digits_value("3/4"), digits_value("2 1/4"), digits_value("½")
    (0.75, 2.25, 0.5)
    >>> digits_value("1,3") is None, digits_value("F-16") is None
    (True, True)
    """
    text = text.strip().lower().lstrip("$£€¥₽₴")
    if not text:
        return None
    if len(text) == 1 and not text.isascii():
        try:
            return float(unicodedata.numeric(text))
        except (TypeError, ValueError):
            return None
    if _GROUPED_BY_SPACES.match(text):
        text = re.sub(r"[ \u00a0\u202f\u2009]", "", text)
    fraction = _FRACTION.match(text.lstrip("-−"))
    if fraction is not None:
        whole, numerator, denominator = fraction.groups()
        if int(denominator) == 0:
            return None
        value = float(whole or 0) + int(numerator) / int(denominator)
        return -value if text[:1] in ("-", "−") else value
    match = _DIGITS.fullmatch(text)
    if match is None:
        return None
    suffix = match["suffix"]
    if suffix and suffix not in SCALE_SUFFIXES:
        return None
    try:
        value = float(match["number"].replace(",", ""))
    except (ValueError, OverflowError):
        return None
    if suffix:
        value *= SCALE_SUFFIXES[suffix]
    return -value if match["sign"] in ("-", "−") else value


def split_words(text: str) -> list[str]:
    """Lower-cased words of a number phrase; hyphens and dashes between words split too.

    >>> split_words("Twenty-one  trillion")
    ['twenty', 'one', 'trillion']
    """
    return [word for word in _SPLIT.split(text.strip().lower()) if word]


def token_value(word: str) -> float | None:
    """The value of one word on its own: digits ("1,200", "5m") or a number word ("six").

    Scales and dozens count as their value ("hundred" is 100); "a" is not a number here.

    >>> token_value("six"), token_value("1,200"), token_value("thousand"), token_value("a")
    (6.0, 1200.0, 1000.0, None)
    """
    word = word.lower()
    if word in UNITS:
        return float(UNITS[word])
    if word in TENS:
        return float(TENS[word])
    if word in SCALES:
        return SCALES[word]
    if word in DOZENS:
        return float(DOZENS[word])
    if "-" in word and is_number_word(word):
        return number_value(word)
    if word[:1].isdecimal() or word[:1] in ".-−$£€" or not word.isascii():
        return digits_value(word)
    return None


class _Reader:
    """A left-to-right reader of number words: ``total`` above the last big scale, ``group`` below.

    ``last`` is the most recent summand, so "three hundred and two dozens" multiplies only the
    "two" by twelve (324), as the Recognizers-Text specification reads it.
    """

    __slots__ = ("any", "group", "last", "last_scale", "last_was_scale", "total")

    def __init__(self) -> None:
        self.total = 0.0
        self.group = 0.0
        self.last = 0.0
        self.any = False
        self.last_was_scale = False
        self.last_scale = 1.0

    def add(self, value: float) -> None:
        self.group += value
        self.last = value
        self.any = True
        self.last_was_scale = False

    def hundred(self, scale: float) -> None:
        self.group = (self.group or 1.0) * scale
        self.last = self.group
        self.any = True
        self.last_was_scale = False

    def big(self, scale: float) -> None:
        if self.group == 0 and self.last_was_scale and self.total:
            self.total *= scale  # "three lakh crore"
        else:
            self.total += (self.group or 1.0) * scale
        self.group = 0.0
        self.last = 0.0
        self.any = True
        self.last_was_scale = True
        self.last_scale = scale

    def times(self, factor: float) -> None:
        last = self.last or 1.0
        self.group += last * factor - self.last
        self.last = last * factor
        self.any = True
        self.last_was_scale = False

    @property
    def value(self) -> float:
        return self.total + self.group


def _words_value(words: list[str]) -> float | None:
    """Read number words; an "and" after a complete number starts a fraction or an addend.

    "one hundred and thirty fifths" divides 130 (the "and" follows a scale, so the number goes
    on), while "one hundred and three and two thirds" adds two thirds to 103, and "two and a
    half million" scales the whole mixed number.
    """
    reader = _Reader()
    whole = 0.0  # the complete number before an "and" that starts a new term
    i = 0
    n = len(words)
    while i < n:
        word = words[i]
        following = words[i + 1] if i + 1 < n else ""
        if word == "and":
            if not reader.any or i + 1 == n:
                return None
            if reader.last_was_scale and words[-1] in FRACTION_WORDS:
                rest = _words_value(words[i + 1 :])  # "one million and a half"
                if rest is not None and rest < 1:
                    return whole + reader.value + rest * reader.last_scale
            if not reader.last_was_scale and words[i - 1] not in ("hundred", "hundreds"):
                whole += reader.value
                reader = _Reader()
        elif word in ("a", "an"):
            if reader.any and not reader.last_was_scale:
                return None
            if following in FRACTION_WORDS:
                reader.add(1.0 / FRACTION_WORDS[following])
                i += 1
            elif not following or following in SCALES or following in DOZENS:
                reader.add(1.0)
            else:
                return None
        elif word in ("half", "quarter") and not reader.any:
            # "half a dozen", "quarter million", "half"
            if following in ("a", "an") and i + 2 < n:
                i += 1
            reader.add(0.5 if word == "half" else 0.25)
        elif word in UNITS:
            reader.add(float(UNITS[word]))
        elif word in TENS:
            reader.add(float(TENS[word]))
        elif word in ("hundred", "hundreds"):
            reader.hundred(100.0)
        elif word in SCALES:
            if whole and reader.value < 1:  # "two and a half million"
                reader.group += whole
                whole = 0.0
            reader.big(SCALES[word])
        elif word in DOZENS:
            reader.times(float(DOZENS[word]))
        elif word in FRACTION_WORDS and reader.any and not reader.last_was_scale:
            value = reader.value / FRACTION_WORDS[word]  # "two thirds", "twenty-three fifths"
            reader = _Reader()
            reader.add(value)
        elif word == "point" and reader.any and i + 1 < n:
            decimals = _decimals(words[i + 1 :])
            if decimals is None:
                return None
            return whole + reader.value + decimals
        elif word in SCALE_SUFFIXES and reader.any and not reader.last_was_scale:
            reader.big(SCALE_SUFFIXES[word])  # "2.33 k", "10 bln"
        else:
            digits = digits_value(word)
            if digits is None:
                return None
            reader.add(digits)
        i += 1
    return whole + reader.value if reader.any else None


def _decimals(words: list[str]) -> float | None:
    """Digits after "point": "zero three" is .03, "seventy-one" is .71, "eleven" is .11."""
    if all(word in UNITS and UNITS[word] < 10 for word in words):
        digits = "".join(str(UNITS[word]) for word in words)
    else:
        value = _words_value(words)
        if value is None or value != int(value):
            return None
        digits = str(int(value))
    return float("0." + digits)


def number_value(text: str) -> float | None:
    """The value of a number written in digits or words; None when ``text`` is not a number.

    Reads digits with thousands separators and glued scales, number words with "and" and
    hyphens, scales ("1.5 million", "322 hundred"), dozens, spoken fractions ("two thirds",
    "one and a half"), decimals spoken with "point", and a leading "minus"/"negative".
    "a"/"an" alone is one (as in "a year"); the stage decides whether that is a quantity.

    >>> [number_value(t) for t in ["12", "1,200", "six", "two dozen", "twenty-one", "an"]]
    [12.0, 1200.0, 6.0, 24.0, 21.0, 1.0]
    >>> number_value("two and a half million"), number_value("half a dozen")
    (2500000.0, 6.0)
    >>> number_value("two hundred point zero three")
    200.03
    >>> number_value("the") is None, number_value("") is None, number_value("third") is None
    (True, True, True)
    """
    if not text or len(text) > 200:
        return None
    whole = digits_value(text)
    if whole is not None:
        return whole
    sign = 1.0
    stripped = text.strip()
    if stripped[:1] in ("-", "−"):
        sign = -1.0
        stripped = stripped[1:]
    words = split_words(stripped)
    if words and words[0] in _SIGNS:
        sign = -sign
        words = words[1:]
    if not words:
        return None
    value = _words_value(words)
    return None if value is None else sign * value


def ordinal_value(text: str) -> int | None:
    """The value of an ordinal: "3rd", "twenty-first", "first"; None otherwise.

    >>> ordinal_value("3rd"), ordinal_value("Twenty-First"), ordinal_value("hundredth")
    (3, 21, 100)
    >>> ordinal_value("three") is None
    True
    """
    text = text.strip().lower()
    digits = _ORDINAL_DIGITS.match(text)
    if digits is not None:
        return int(digits[1])
    words = split_words(text)
    if not words or words[-1] not in _ORDINAL_UNITS:
        return None
    last = _ORDINAL_UNITS[words[-1]]
    if len(words) == 1:
        return last
    head = _words_value(words[:-1])
    if head is None or head != int(head):
        return None
    return int(head) + last
