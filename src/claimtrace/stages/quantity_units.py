"""Units of quantities: what the words beside a number make it — money, a duration, a measure
or a percent — read from ``data/quantity_units.tsv``.

>>> from claimtrace.nlp import load_pipeline
>>> doc = load_pipeline(None)("It cost 5 million euros over six months.")
>>> unit_after(doc, 4, False), unit_after(doc, 7, False)
(('money', 'EUR', 5), ('duration', 'month', 8))
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Final

from spacy.tokens import Doc

from claimtrace.records import QuantityKind

__all__ = ["Units", "glued_currency", "load_units", "money_before", "next_lower", "unit_after"]

_ROLES: Final = ("symbol", "money", "duration", "measure", "area", "percent")


@dataclass(frozen=True, slots=True)
class Units:
    """``data/quantity_units.tsv`` by role: each maps a lower-case form to the record's unit."""

    symbol: dict[str, str]
    money: dict[str, str]
    duration: dict[str, str]
    measure: dict[str, str]
    area: dict[str, str]
    percent: dict[str, str]


@lru_cache(maxsize=1)
def load_units() -> Units:
    """Read ``data/quantity_units.tsv`` (packaged) once."""
    path = files("claimtrace.stages").joinpath("data/quantity_units.tsv")
    tables: dict[str, dict[str, str]] = {role: {} for role in _ROLES}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or fields[1] not in tables:
            raise ValueError(f"quantity_units.tsv line {number}: want form, role, unit: {line!r}")
        tables[fields[1]][fields[0]] = fields[2]
    return Units(**tables)


_UNITS: Final = load_units()
CURRENCY_SYMBOLS: Final = _UNITS.symbol
CURRENCY_WORDS: Final = _UNITS.money
TIME_UNITS: Final = _UNITS.duration
MEASURE_UNITS: Final = _UNITS.measure
_AREA: Final = _UNITS.area
_PERCENT: Final = frozenset(_UNITS.percent)
#: currency codes written before a number ("USD 5m")
_CODES: Final = frozenset(unit for form, unit in CURRENCY_WORDS.items() if form.upper() == unit)


def unit_after(doc: Doc, i: int, money: bool) -> tuple[QuantityKind, str, int] | None:
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
    if lower in CURRENCY_WORDS and (
        lower not in ("pound", "pounds") or next_lower(doc, i + 1) != "of"
    ):
        return "money", CURRENCY_WORDS[lower], i + 1
    if lower in TIME_UNITS and not money:
        return "duration", TIME_UNITS[lower], i + 1
    if lower in ("square", "sq", "cubic") and i + 1 < len(doc):
        k = i + 2 if doc[i + 1].text == "-" and i + 2 < len(doc) else i + 1  # "square-foot"
        unit = _AREA.get(doc[k].lower_)
        if unit is not None:
            return "measure", unit if lower != "cubic" else unit.replace("2", "3"), k + 1
    if two in MEASURE_UNITS:
        return "measure", MEASURE_UNITS[two], i + 2
    if lower in MEASURE_UNITS and not money:
        if lower in ("m", "l", "t", "g", "in", "ft") and token.pos_ not in (
            "NOUN",
            "PROPN",
            "X",
            "SYM",
        ):
            return None  # "in", "m" and friends are units only when tagged as nouns
        return "measure", MEASURE_UNITS[lower], i + 1
    return None


def next_lower(doc: Doc, i: int) -> str:
    """The lower-case text of token ``i``, or "" past the end."""
    return doc[i].lower_ if i < len(doc) else ""


def money_before(doc: Doc, i: int) -> str | None:
    """The currency code written just before token ``i`` ("$", "US$", "USD"), if any."""
    if i <= 0:
        return None
    previous = doc[i - 1].lower_
    if previous in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[previous]
    if previous.upper() in _CODES:
        return previous.upper()
    return None


def glued_currency(text: str) -> str | None:
    """The currency of a sign glued to a number ("$5", "US$5", "€3.5bn"), if any."""
    for symbol in ("us$", "c$", "a$", "hk$"):
        if text.lower().startswith(symbol):
            return CURRENCY_SYMBOLS[symbol]
    return CURRENCY_SYMBOLS.get(text[:1]) if len(text) > 1 and not text[:1].isalnum() else None
