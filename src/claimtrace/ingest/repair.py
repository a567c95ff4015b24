"""Repair encoding debris, recording every change so that it can be replayed.

Two passes over each chunk of text (a line, or a slice of a very long line):

1. **ftfy**, with curly quotes left as written (they carry meaning: ‘…’ marks quotations, and
   ``women’s`` is not a closing quote).
2. **Lone ``Â``**: when UTF-8 ``C2 A0`` (a no-break space) is read as Latin-1 and the no-break space
   is then lost — trimmed at a line end, as scrapers do — a bare ``Â`` is left that ftfy cannot
   place. We remove an ``Â`` that stands before a line end unless it ends an upper-case word.

Each change becomes a :class:`~claimtrace.records.Repair` with offsets both into the input and
into the repaired text.

>>> fixed = repair_text("It added:Â\\nyes")
>>> fixed.text
'It added:\\nyes'
>>> [(r.fixer, r.input_start, r.before) for r in fixed.repairs]
[('lone_a_circumflex', 9, 'Â')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

import ftfy

from claimtrace.records import Repair

__all__ = ["RepairedText", "repair_text"]

_FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, explain=True)
#: ftfy repairs lines; we cut lines longer than this at whitespace so diffs stay cheap.
_MAX_CHUNK = 4000
_LONE_A = re.compile(r"(?<![A-ZÀ-Þ])Â(?=[ \t]*(?:\r|\n|$))")
_LINES = re.compile(r"[^\n]*\n|[^\n]+")
_WORDS = re.compile(r"\S*\s*")


@dataclass(frozen=True, slots=True)
class RepairedText:
    text: str
    repairs: tuple[Repair, ...]


def repair_text(text: str) -> RepairedText:
    """The repaired text and the list of repairs that turn ``text`` into it."""
    pieces: list[str] = []
    repairs: list[Repair] = []
    input_pos = 0
    output_pos = 0
    for chunk in _chunks(text):
        fixed, fixer = _fix_chunk(chunk)
        if fixed != chunk:
            repairs.extend(_diff(chunk, fixed, fixer, input_pos, output_pos))
        pieces.append(fixed)
        input_pos += len(chunk)
        output_pos += len(fixed)
    return RepairedText("".join(pieces), tuple(repairs))


def _chunks(text: str) -> Iterator[str]:
    for line in _LINES.findall(text):
        if len(line) <= _MAX_CHUNK:
            yield line
            continue
        # A very long line: split after whitespace, keeping each word with the space after it
        # (ftfy turns a "Â " pair into a no-break space, so the two must stay together).
        buffer: list[str] = []
        size = 0
        for word in _WORDS.findall(line):
            if size + len(word) > _MAX_CHUNK and buffer:
                yield "".join(buffer)
                buffer, size = [], 0
            buffer.append(word)
            size += len(word)
        if buffer:
            yield "".join(buffer)


def _fix_chunk(chunk: str) -> tuple[str, str]:
    fixed, explanation = ftfy.fix_and_explain(chunk, config=_FTFY_CONFIG)
    steps = "ftfy:" + ",".join(f"{action}:{detail}" for action, detail in explanation or ())
    without_lone_a = _LONE_A.sub("", fixed)
    return without_lone_a, steps


def _diff(before: str, after: str, fixer: str, input_pos: int, output_pos: int) -> Iterator[Repair]:
    # Trim the common ends first: most chunks differ in one small place.
    head = 0
    limit = min(len(before), len(after))
    while head < limit and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < limit - head and before[len(before) - 1 - tail] == after[len(after) - 1 - tail]:
        tail += 1
    middle_before = before[head : len(before) - tail]
    middle_after = after[head : len(after) - tail]
    matcher = SequenceMatcher(None, middle_before, middle_after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        old = middle_before[i1:i2]
        new = middle_after[j1:j2]
        yield Repair(
            kind=_kind(old, new, fixer),
            fixer="lone_a_circumflex" if (old == "Â" and not new) else fixer,
            input_start=input_pos + head + i1,
            input_end=input_pos + head + i2,
            start=output_pos + head + j1,
            end=output_pos + head + j2,
            before=old,
            after=new,
        )


def _kind(old: str, new: str, fixer: str) -> str:
    if old == "Â" and not new:
        return "debris"
    if "encode:" in fixer or "decode_inconsistent_utf8" in fixer or "restore_byte_a0" in fixer:
        return "encoding"
    return "normalization"
