"""Quotation marks: where direct quotes open and close in a text, across sentences and paragraphs.

Straight double quotes, curly double quotes, single quotes (straight or curly) and the doubled
apostrophes of news archives (''…'') are paired per paragraph; curly double quotes nest (a
quoted word inside a quotation). A curly ``’`` doubles as the apostrophe, so it closes a quote
only when no letter follows it ("women’s" is a word, not a closing quote). A quote left open at
the end of a paragraph continues when the next paragraph opens with the same mark (the
newspaper convention for quotes running over paragraphs); otherwise it ends with its paragraph.

>>> [(q.start, q.end, q.group) for q in find_quotes("He said: “Go now.” Then ‘stop’.")]
[(10, 17, 0), (25, 29, 1)]
>>> find_quotes("The women’s penal colony.")
[]
>>> [(q.start, q.end) for q in find_quotes("“He calls it “hell” here,” she said.")]
[(1, 25)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quote", "find_quotes"]

_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*[“‘\"'])")
_DOUBLE_OPEN = "“„"
_DOUBLE_CLOSE = "”"
_SINGLE_OPEN = "‘"
_SINGLE_CLOSE = "’"


@dataclass(frozen=True, slots=True)
class Quote:
    """The text inside one pair of quotation marks: ``text[start:end]``, marks excluded.

    ``group`` numbers quotes that belong together: one quote running over several paragraphs is
    several :class:`Quote` parts with the same group. ``closed`` says whether a mark ended it.
    """

    start: int
    end: int
    group: int
    closed: bool
    #: characters of each mark: 2 for the doubled apostrophes of news archives (''…'')
    width: int = 1


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _PARAGRAPH.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _is_letter(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isalnum()


def _opens(text: str, i: int, mark: str) -> bool:
    """Whether a quote mark at ``i`` can open a quote (straight marks are ambiguous)."""
    if mark in _DOUBLE_OPEN or mark == _SINGLE_OPEN:
        return True
    after_ok = i + 1 < len(text) and not text[i + 1].isspace()
    before_ok = i == 0 or not _is_letter(text, i - 1)
    return after_ok and before_ok


def _closes(text: str, i: int, mark: str) -> bool:
    """Whether a mark at ``i`` can close a quote; apostrophes inside words never do."""
    if mark in (_SINGLE_CLOSE, "'"):
        return not _is_letter(text, i + 1) and i > 0 and not text[i - 1].isspace()
    if mark == '"':
        return i > 0 and not text[i - 1].isspace()
    return True


def _closing_for(opening: str) -> str:
    if opening in _DOUBLE_OPEN:
        return _DOUBLE_CLOSE
    if opening == _SINGLE_OPEN:
        return _SINGLE_CLOSE
    return opening


def _doubled(text: str, i: int, end: int) -> int:
    """Where the doubled-apostrophe quote opening at ``i`` (''…'') closes, or -1."""
    if not (i + 2 < end and not text[i + 2].isspace() and not _is_letter(text, i - 1)):
        return -1
    j = text.find("''", i + 2, end)
    while j >= 0:
        if not text[j - 1].isspace() and not _is_letter(text, j + 2):
            return j
        j = text.find("''", j + 2, end)
    return -1


def _scan(text: str, start: int, end: int) -> list[tuple[int, int, str, bool]]:
    """Quotes in one paragraph: (inner start, inner end, opening mark, closed)."""
    found: list[tuple[int, int, str, bool]] = []
    # A straight ' that finds no closing mark before the paragraph's end does not open a quote,
    # and no ' after it will find one either: remember where, so the scan stays linear.
    unclosed_apostrophe = end
    i = start
    while i < end:
        mark = text[i]
        if text.startswith("''", i):  # news archives write ''…'' for “…”
            j = _doubled(text, i, end)
            if j >= 0:
                if j > i + 2:
                    found.append((i + 2, j, "''", True))
                i = j + 2
                continue
            if i + 2 < end and not text[i + 2].isspace() and not _is_letter(text, i - 1):
                found.append((i + 2, end, "''", False))  # left open: runs on
                break
            i += 2
            continue
        if mark == "'" and i > unclosed_apostrophe:
            i += 1
            continue
        if mark in "“„‘\"'" and _opens(text, i, mark):
            closing = _closing_for(mark)
            alternatives = (closing, "“") if mark == '"' else (closing,)
            j = i + 1
            depth = 0  # curly quotes nest: “I’d rather live in what he calls “hell” than …”
            while j < end:
                if mark in _DOUBLE_OPEN and text[j] in _DOUBLE_OPEN:
                    depth += 1
                elif text[j] in alternatives and _closes(text, j, text[j]):
                    if depth == 0:
                        break
                    depth -= 1
                j += 1
            if j < end:
                if j > i + 1:
                    found.append((i + 1, j, mark, True))
                i = j + 1
                continue
            if mark in '“„‘"':  # left open: runs to the paragraph's end
                found.append((i + 1, end, mark, False))
                break
            unclosed_apostrophe = min(unclosed_apostrophe, i)
        i += 1
    return found


def find_quotes(text: str) -> list[Quote]:
    """Every quote of ``text``, in order, with multi-paragraph quotes sharing a group."""
    quotes: list[Quote] = []
    group = -1
    pending: str | None = None  # opening mark of a quote left open by the previous paragraph
    for start, end in _paragraphs(text):
        scanned = _scan(text, start, end)
        opening = text[start:end].lstrip()
        for k, (a, b, mark, closed) in enumerate(scanned):
            continues = (
                k == 0 and pending is not None and mark == pending and opening.startswith(mark)
            )
            if not continues:
                group += 1
            b_trim = b
            while b_trim > a and text[b_trim - 1].isspace():
                b_trim -= 1
            quotes.append(Quote(a, b_trim, group, closed, len(mark)))
        pending = scanned[-1][2] if scanned and not scanned[-1][3] else None
    return quotes
