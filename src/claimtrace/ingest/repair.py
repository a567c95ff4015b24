"""Repair encoding debris, recording every change so that it can be replayed.

Passes over each chunk of text (a line, or a slice of a very long line):

0. **NULs**: a few stray NUL characters in a text (decoding lets through as many as a text may
   carry as debris; more make it a binary) are removed, each recorded as ``nul_removed``.
1. **Lone ``Â``**: when UTF-8 ``C2 A0`` (a no-break space) is read as Latin-1 and the no-break space
   is then lost — trimmed at a line end, as scrapers do — a bare ``Â`` is left that ftfy cannot
   place. We remove an ``Â`` that stands before a line end unless it ends an upper-case word.
2. **ftfy**, with curly quotes left as written (they carry meaning: ‘…’ marks quotations, and
   ``women’s`` is not a closing quote).

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

import ftfy

from claimtrace.records import Repair, RepairKind

__all__ = ["RepairedText", "repair_text", "repaired_offset"]

_FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, explain=True)
#: ftfy repairs lines; we cut lines longer than this at whitespace so diffs stay cheap.
_MAX_CHUNK = 4000
#: Look this far ahead for the end of a repair, and need this many agreeing characters after it.
_RESYNC_WINDOW = 64
_RESYNC_AGREE = 8
_MAX_PASSES = 4
_LONE_A = re.compile(r"(?<![A-ZÀ-Þ])Â(?=[ \t\xa0]*(?:\r|\n|$))")
#: A line with its break: ftfy normalises every one of these to "\n", so each ends a chunk here too
#: (a repaired text must be cut into the same chunks as its input for repairs to be a fixed point).
_LINES = re.compile(r"[^\r\n\u2028\u2029]*(?:\r\n|[\r\n\u2028\u2029])|[^\r\n\u2028\u2029]+")
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


def repaired_offset(repairs: Iterable[Repair], input_offset: int) -> int:
    """Where an offset into the input text lands in the repaired text.

    An offset inside a repaired stretch lands at the start of its replacement, so spans given on
    the raw input (gold annotations, say) can be carried onto ``document.text``.

    >>> fixed = repair_text("Âx caféâ€™s")
    >>> fixed.text, repaired_offset(fixed.repairs, 11)
    ('Âx café’s', 9)
    """
    shift = 0
    for repair in repairs:
        if repair.input_end <= input_offset:
            shift += len(repair.after) - (repair.input_end - repair.input_start)
        elif repair.input_start < input_offset:
            return repair.start
        else:
            break
    return input_offset + shift


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
    """The chunk with lone Â removed and ftfy applied, repeated until nothing changes.

    Lone Â go first, so that ftfy judges the text without the debris; each pass can uncover
    more (ftfy turning "Â\xa0" into a no-break space leaves an Â before the line end), so the
    passes repeat — a few at most — and repairing the result again changes nothing.
    """
    steps: list[str] = []
    chunk = chunk.replace("\x00", "")
    for _ in range(_MAX_PASSES):
        before = chunk
        while (without_lone_a := _LONE_A.sub("", chunk)) != chunk:
            chunk = without_lone_a
        chunk, explanation = ftfy.fix_and_explain(chunk, config=_FTFY_CONFIG)
        steps.extend(f"{action}:{detail}" for action, detail in explanation or ())
        if chunk == before:
            break
    return chunk, "ftfy:" + ",".join(steps)


def _diff(before: str, after: str, fixer: str, input_pos: int, output_pos: int) -> Iterator[Repair]:
    for change in _changes(before, after):
        for i1, i2, j1, j2 in _apart_from_nuls(before, *change):
            old = before[i1:i2]
            new = after[j1:j2]
            kind, name = _kind(fixer), fixer
            if not new and old == "\x00" * len(old):
                kind, name = "debris", "nul_removed"
            elif not new and old == "Â":
                kind, name = "debris", "lone_a_circumflex"
            elif "\x00" in old:  # a NUL inside what ftfy replaced: one change, both named
                name = f"nul_removed,{fixer}"
            yield Repair(
                kind=kind,
                fixer=name,
                input_start=input_pos + i1,
                input_end=input_pos + i2,
                start=output_pos + j1,
                end=output_pos + j2,
                before=old,
                after=new,
            )


def _apart_from_nuls(
    text: str, i1: int, i2: int, j1: int, j2: int
) -> Iterator[tuple[int, int, int, int]]:
    """One change ``text[i1:i2]`` → ``[j1:j2]`` cut so that removed NULs stand apart.

    NULs at either end of a change were removed on their own; a change that only removes
    characters is cut into its runs of NULs and of the rest. Each piece still replays in order.

    >>> list(_apart_from_nuls("a\\x00Â\\x00\\x00b", 1, 5, 1, 1))
    [(1, 2, 1, 1), (2, 3, 1, 1), (3, 5, 1, 1)]
    >>> list(_apart_from_nuls("\\x00ab", 0, 3, 0, 1))
    [(0, 1, 0, 0), (1, 3, 0, 1)]
    """
    start, end = i1, i2
    while start < end and text[start] == "\x00":
        start += 1
    while end > start and text[end - 1] == "\x00":
        end -= 1
    if start > i1:
        yield i1, start, j1, j1
    if j1 == j2:  # a pure removal: each run on its own
        run = start
        for k in range(start + 1, end + 1):
            if k == end or (text[k] == "\x00") != (text[run] == "\x00"):
                yield run, k, j1, j1
                run = k
    elif start < end or j1 < j2:
        yield start, end, j1, j2
    if end < i2:
        yield end, i2, j2, j2


def _changes(a: str, b: str) -> Iterator[tuple[int, int, int, int]]:
    """``(i1, i2, j1, j2)`` for each place where ``a[i1:i2]`` became ``b[j1:j2]``.

    Repairs are short and local, so walk both texts and, at each difference, look a short way
    ahead for the nearest point where they agree again: linear in practice, where a general diff
    (difflib) is quadratic on a line with many repairs.
    """
    i = j = 0
    n, m = len(a), len(b)
    while i < n and j < m:
        if a[i] == b[j]:
            i += 1
            j += 1
            continue
        step = _resync(a, b, i, j)
        if step is None:
            yield from _difflib_changes(a, b, i, j)
            return
        yield i, i + step[0], j, j + step[1]
        i += step[0]
        j += step[1]
    if i < n or j < m:
        yield i, n, j, m


def _resync(a: str, b: str, i: int, j: int) -> tuple[int, int] | None:
    """The smallest skip ``(di, dj)`` after which ``a`` and ``b`` agree for a while."""
    for total in range(1, 2 * _RESYNC_WINDOW + 1):
        for di in range(max(0, total - _RESYNC_WINDOW), min(total, _RESYNC_WINDOW) + 1):
            dj = total - di
            x, y = i + di, j + dj
            if x > len(a) or y > len(b):
                continue
            if a[x : x + _RESYNC_AGREE] == b[y : y + _RESYNC_AGREE] and (
                len(a) - x >= _RESYNC_AGREE or len(a) - x == len(b) - y
            ):
                return di, dj
    return None


def _difflib_changes(a: str, b: str, i: int, j: int) -> Iterator[tuple[int, int, int, int]]:
    matcher = SequenceMatcher(None, a[i:], b[j:], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            yield i + i1, i + i2, j + j1, j + j2


def _kind(fixer: str) -> RepairKind:
    if "encode:" in fixer or "decode_inconsistent_utf8" in fixer or "restore_byte_a0" in fixer:
        return "encoding"
    return "normalization"
