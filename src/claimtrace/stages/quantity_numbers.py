"""Number phrases in a parsed ``Doc``: digits ("1,200", "$5m", "3½"), number words ("a hundred
and twenty", "two dozen", "twenty-one", "seven-and-a-half") and scales ("1.5 million"), each
with its tokens, characters and value. The words and their values are
:mod:`claimtrace.stages.numbers`; which numbers are quantities is :mod:`quantities`' call.

>>> from claimtrace.nlp import load_pipeline
>>> [m.value for m in find_numbers(load_pipeline(None)("A hundred and twenty, then 1.5 million."))]
[120.0, 1500000.0]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from spacy.tokens import Doc, Token

from claimtrace.stages.attribution_lexicon import word_set
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
from claimtrace.stages.quantity_units import glued_currency, money_before, next_lower

__all__ = [
    "GLUED",
    "NUMBER_STARTS",
    "NumberMention",
    "find_numbers",
    "may_start",
    "next_word",
    "previous_word",
    "scan_number",
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


GLUED: Final = re.compile(r"^([-−]?[\d.,]*\d(?:[½⅓⅔¼¾⅛])?)([a-zA-Z°][a-zA-Z°²/]*\d?)$")
_E_NOTATION: Final = re.compile(r"^[-−]?\d+(?:\.\d+)?e[-+]?\d+$")
_VULGAR: Final = re.compile(r"^(\d*)([½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])$")
_SLASH_IDIOMS: Final = frozenset(["9/11", "24/7", "7/7", "50/50", "20/20"])
_GREEK_SCALE_CONTEXT: Final = frozenset(["m", "g", "t"])  # scales only after a currency
_NON_COUNT_ONE_BEFORE: Final = word_set(
    "the this that which every any no each some someone one another such what"
)


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
        glued = GLUED.match(lower)
        if glued is not None and glued[2] not in SCALE_SUFFIXES:
            return None  # "10km", "3rd", "1990s": a number with a unit or not a number
        if (
            glued is not None
            and glued[2] in _GREEK_SCALE_CONTEXT
            and not money
            and (not text[-1].isupper() or glued[2] == "g")
            and not (glued[2] == "m" and _before_plural(token))
        ):
            return None  # "1m" is a metre, "5G" a network; "$5m", "10M", "1.2m refugees" millions
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


def scan_number(doc: Doc, i: int, limit: int) -> NumberMention | None:
    """The longest number phrase starting at token ``i`` (before ``limit``), or None."""
    token = doc[i]
    lower = token.lower_
    money = money_before(doc, i) is not None or glued_currency(token.text) is not None
    value_alone = _token_number(token, money)
    words_started = False
    if value_alone is not None and lower == "one" and i > 0:
        before = previous_word(doc, i).lower_
        if before in _NON_COUNT_ONE_BEFORE and next_word(doc, i + 1).lower_ not in SCALES:
            return None  # "the one you mentioned", "which one": a pronoun, not a number
    if value_alone is None:
        following = next_word(doc, i + 1) if i + 1 < limit else None
        nxt_word = following.lower_ if following is not None else ""
        after = (
            next_word(doc, following.i + 1).lower_ if following and following.i + 1 < limit else ""
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
                words_started = next_lower(doc, following.i + 2) not in ("a", "an")
            by = i > 0 and previous_word(doc, i).lower_ == "by"  # "fell by a quarter last year"
            if following is not None and following.i + 1 < limit and after != "of" and not by:
                # "a third party", "a fifth consecutive month": ordinals, not fractions
                modified = next_word(doc, following.i + 1)
                words_started = words_started and modified.pos_ not in ("NOUN", "PROPN", "ADJ")
        elif lower in ("half", "quarter") and (nxt_word in SCALES or nxt_word in ("a", "an")):
            words_started = nxt_word in SCALES or after in DOZENS
        elif lower == "half" and i > 0 and previous_word(doc, i).lower_ == "by":
            value_alone = 0.5  # "cut by half": a share, read as a percent
        elif lower == "half" and nxt_word == "of" and previous_word(doc, i).lower_ not in ("a",):
            value_alone = 0.5  # "half of the delegates": a share, read as a percent
        elif lower in ("minus", "negative", "-", "−") and following is not None:
            words_started = _token_number(following, money) is not None and (
                lower != "-" or not (i > 0 and doc[i - 1].like_num)
            )
        elif glued_currency(token.text) is not None:
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
        elif (
            low in _GREEK_SCALE_CONTEXT
            and (money or (low == "m" and _before_plural(tok)))
            and parts[-1][:1].isdecimal()
        ):
            parts.append(tok.text)  # "$5 m", "1.2 m refugees"
        elif low in FRACTION_WORDS and j > i and (low not in ("second", "quarter") or is_words):
            if low in ("quarter", "quarters", "half") and not is_words:
                break
            parts.append(tok.text)  # "two thirds", "3 quarters"
        elif low in ("a", "an") and parts[-1].lower() in ("half", "quarter") and j + 1 < limit:
            if next_word(doc, j + 1).lower_ not in DOZENS:
                break
            parts.append(tok.text)  # "half a dozen"
        elif low in _JOINERS and j + 1 < limit:
            nxt = next_word(doc, j + 1)
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
                after_next = next_word(doc, nxt.i + 1).lower_ if nxt.i + 1 < limit else ""
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
                previous = previous_word(doc, j)
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
                    while j + 1 < limit and _thousands_group(doc, doc[j - 1], next_word(doc, j)):
                        following = next_word(doc, j)
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


def previous_word(doc: Doc, j: int) -> Token:
    k = j - 1
    while k > 0 and doc[k].is_space:
        k -= 1
    return doc[k]


def next_word(doc: Doc, j: int) -> Token:
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


def _before_plural(token: Token) -> bool:
    """Whether a plural noun follows ``token``: "1.2m refugees" counts millions, not metres."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return following is not None and following.tag_ == "NNS"


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
        if token.like_num or token.lower_ in NUMBER_STARTS or may_start(token):
            mention = scan_number(doc, i, limit)
            if mention is not None:
                found.append(mention)
                i = mention.end
                continue
        i += 1
    return found


def may_start(token: Token) -> bool:
    """The cheap prefilter for tokens that are neither numbers nor number words."""
    first = token.text[:1]
    if first.isalpha() and first.isascii():
        return False
    if first == ".":
        return token.text[1:2].isdecimal()  # ".08", not a full stop
    return first.isdecimal() or first in _SIGN_OR_MONEY or (not first.isascii() and first.isalnum())


_SIGN_OR_MONEY: Final = frozenset("-−.$£€¥₽₴₹₪")
NUMBER_STARTS: Final = frozenset([*NUMBER_WORDS, "a", "an", "minus", "negative", "half", "quarter"])
