"""Bytes to text: detect the encoding, refuse binaries, and say which encoding was used.

NUL bytes mean one of three things. Text in UTF-16 or UTF-32 without a byte-order mark, when the
evidence is strong: the NULs fall where the wide encoding puts them, the bytes decode strictly,
and what they decode to reads like text in a few scripts — a short binary does not pass for
UTF-16 by decoding to a few CJK characters. A few stray NULs in otherwise good text (a bad copy,
a C string's terminator): the text is decoded with them, and the repair pass removes each one
and records it. Anything else is a binary file.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections import Counter
from dataclasses import dataclass

import charset_normalizer

from claimtrace.errors import (
    BinaryInputError,
    ConfigError,
    EmptyInputError,
    UndecodableInputError,
)

__all__ = ["Decoded", "decode_bytes"]

_BOMS = (
    # Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF = 64 * 1024
#: A UTF-8 text may carry a few broken bytes (a truncated copy, a bad paste); beyond this share
#: of the input it is some other encoding and the detector decides.
_MAX_BROKEN_UTF8_SHARE = 0.005
_MAX_CONTROL_SHARE = 0.02
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
#: Text stays text with this many NUL bytes at most, and this share of its bytes: each is removed
#: (and recorded) by the repair pass.
_MAX_STRAY_NULS = 64
_MAX_STRAY_NUL_SHARE = 0.02
#: Wide encodings tried without a byte-order mark, and their code unit sizes.
_WIDE = (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2))
#: Evidence needed to read bytes as UTF-16/32 without a BOM: this many characters at least; NULs
#: in the high byte of this many code units and this share of them at least (the ASCII of any
#: text: spaces, digits, punctuation); at most this many NULs elsewhere for each in the high
#: byte; at most this share of characters that text does not hold (unassigned, private,
#: controls); this share of letters at least, nine in ten of them in the three commonest scripts.
#: (UTF-16 Chinese without a BOM and with hardly any ASCII can fail this: --encoding reads it.)
_MIN_WIDE_CHARS = 32
_MIN_WIDE_NULS = 3
_MIN_WIDE_NUL_SHARE = 0.02
_MAX_MISPLACED_NULS = 1.0
_MAX_ODD_SHARE = 0.01
_MIN_LETTER_SHARE = 0.3
_MIN_SCRIPT_SHARE = 0.9
#: Letters of a text come in runs of one script; a binary read as UTF-16 hops between them.
_MAX_SCRIPT_SWITCHES = 0.2
_HAN_AND_KANA = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "IDEOGRAPHIC"})
#: Format characters that real text carries (joiners, direction marks, soft hyphens).
_TEXT_FORMATS = frozenset("\u00ad\u200c\u200d\u200e\u200f\u2060")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes; ``replaced_bytes`` counts undecodable bytes turned into U+FFFD."""

    text: str
    encoding: str
    replaced_bytes: int = 0


def decode_bytes(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """Decode ``data`` (named ``name`` in errors), detecting the encoding unless one is given.

    >>> decode_bytes("café".encode("utf-8"), "x").encoding
    'utf-8'
    >>> decode_bytes("Grüße aus Köln, schöne Straße".encode("cp1252"), "x").text
    'Grüße aus Köln, schöne Straße'
    """
    if not data:
        raise EmptyInputError(name, "empty input (0 bytes); nothing to extract")
    if encoding is not None:
        return _decode_as(data, name, encoding)
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            decoded = _decode_as(data[len(bom) :], name, bom_encoding)
            return Decoded(decoded.text, f"{bom_encoding} (BOM)")
    if b"\x00" in data[:_SNIFF] and not _stray_nuls(data):
        wide = _decode_wide(data, name)
        if wide is None:
            raise _binary(name)
        return wide
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"), name)
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _decode_mostly_utf8(data)
    if mostly_utf8 is not None:
        return _checked(mostly_utf8, name)
    return _checked(_detect(data, name), name)


def _detect(data: bytes, name: str) -> Decoded:
    """The encoding charset-normalizer finds; stray NULs are left out of its sample, and kept in
    the text (each decodes to U+0000 in the ASCII-compatible encodings allowed here)."""
    without_nuls = data.replace(b"\x00", b"")
    has_nuls = len(without_nuls) < len(data)
    best = charset_normalizer.from_bytes(without_nuls).best() if without_nuls else None
    if best is None or (has_nuls and "\x00a".encode(best.encoding, "replace") != b"\x00a"):
        if has_nuls:  # NULs, and the rest is no text either
            raise _binary(name)
        raise UndecodableInputError(
            name,
            "the bytes are not text in any encoding claimtrace knows; give --encoding if you do",
        )
    if not has_nuls:
        return Decoded(str(best), best.encoding.replace("_", "-"))
    return _decode_as(data, name, best.encoding)


def _binary(name: str) -> BinaryInputError:
    return BinaryInputError(
        name, "binary file (NUL bytes); expected plain text, HTML or JSON lines"
    )


def _stray_nuls(data: bytes) -> bool:
    """Whether the NULs in ``data`` are few enough to be debris in a text.

    >>> _stray_nuls(b"One stray NUL\\x00 in a long enough article." + b" More words." * 10)
    True
    >>> _stray_nuls(b"bad\\x00\\xff\\xfe")
    False
    """
    nuls = data.count(0)
    return nuls <= _MAX_STRAY_NULS and nuls <= len(data) * _MAX_STRAY_NUL_SHARE


def _decode_as(data: bytes, name: str, encoding: str) -> Decoded:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ConfigError(f"unknown encoding {encoding!r}; use a Python codec name") from None
    try:
        return _checked(Decoded(data.decode(codec), codec), name)
    except UnicodeDecodeError as err:
        raise UndecodableInputError(
            name, f"not valid {codec}: byte {err.start} ({data[err.start]:#04x}) cannot be decoded"
        ) from None


def _decode_wide(data: bytes, name: str) -> Decoded | None:
    """``data`` as UTF-32 or UTF-16 without a BOM, if the evidence is strong; else None."""
    for codec, width in _WIDE:
        if len(data) % width or len(data) < _MIN_WIDE_CHARS * width:
            continue
        head = data[:_SNIFF]  # a multiple of 4 bytes
        if not _nuls_fit(head, codec, width):
            continue
        try:
            sample = codecs.getincrementaldecoder(codec)("strict").decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if _reads_like_text(sample):
            return _decode_as(data, name, codec)
    return None


def _nuls_fit(head: bytes, codec: str, width: int) -> bool:
    """Whether the NUL bytes fall where ``codec`` puts them in text.

    UTF-32 has a NUL in the top byte of every code unit; UTF-16 has one in the high byte of
    every ASCII character, and rarely one in the low byte.
    """
    big = codec.endswith("-be")
    if width == 4:
        return head[0 if big else 3 :: 4].count(0) == len(head) // 4
    high = head[0 if big else 1 :: 2].count(0)
    low = head[1 if big else 0 :: 2].count(0)
    return (
        high >= max(_MIN_WIDE_NULS, _MIN_WIDE_NUL_SHARE * (len(head) // 2))
        and low <= _MAX_MISPLACED_NULS * high
    )


def _reads_like_text(sample: str) -> bool:
    """Whether decoded characters read like text: few that text does not hold, enough letters,
    and those from a few scripts (a binary read as UTF-16 gives characters from all over).

    >>> _reads_like_text("Officials in Kyiv said on Monday that 40 people were hurt.")
    True
    >>> _reads_like_text("慢d\\ufeff" * 6)
    False
    """
    if len(sample) < _MIN_WIDE_CHARS:
        return False
    odd = switches = 0
    scripts: Counter[str] = Counter()
    previous = None
    for char in sample:
        category = unicodedata.category(char)
        if category[0] == "L":
            script = _script(char)
            scripts[script] += 1
            switches += previous is not None and script != previous
            previous = script
        elif (
            category in ("Cn", "Co", "Cs")
            or (category == "Cc" and char not in _ALLOWED_CONTROLS)
            or (category == "Cf" and char not in _TEXT_FORMATS)
            or char == "\ufffd"
        ):
            odd += 1
    letters = sum(scripts.values())
    return (
        odd <= _MAX_ODD_SHARE * len(sample)
        and letters >= _MIN_LETTER_SHARE * len(sample)
        and sum(count for _, count in scripts.most_common(3)) >= _MIN_SCRIPT_SHARE * letters
        and switches <= _MAX_SCRIPT_SWITCHES * letters
    )


def _script(char: str) -> str:
    """A letter's script, near enough: the first word of its name, with kana and Han together
    (Japanese writes them in one run).

    >>> _script("é"), _script("ж"), _script("の"), _script("語")
    ('LATIN', 'CYRILLIC', 'CJK', 'CJK')
    """
    script = unicodedata.name(char, "?").split(" ", 1)[0]
    return "CJK" if script in _HAN_AND_KANA else script


def _decode_mostly_utf8(data: bytes) -> Decoded | None:
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    valid_wide = sum(1 for char in text if ord(char) > 0x7F and char != "\ufffd")
    if valid_wide >= replaced and replaced <= max(1.0, len(data) * _MAX_BROKEN_UTF8_SHARE):
        return Decoded(text, "utf-8", replaced_bytes=replaced)
    return None


def _checked(decoded: Decoded, name: str) -> Decoded:
    """Refuse text that is mostly control characters: a binary that happened to decode."""
    sample = decoded.text[:_SNIFF]
    controls = sum(
        1 for char in sample if char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc"
    )
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise BinaryInputError(
            name, f"binary data ({controls} control characters in the first {len(sample)})"
        )
    return decoded
