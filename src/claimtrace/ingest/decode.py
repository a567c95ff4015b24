"""Bytes to text: detect the encoding, refuse binaries, and say which encoding was used."""

from __future__ import annotations

import codecs
import unicodedata
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
    head = data[:_SNIFF]
    if b"\x00" in head:
        return _decode_wide_or_refuse(data, name)
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"), name)
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _decode_mostly_utf8(data)
    if mostly_utf8 is not None:
        return _checked(mostly_utf8, name)
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UndecodableInputError(
            name,
            "the bytes are not text in any encoding claimtrace knows; give --encoding if you do",
        )
    return _checked(Decoded(str(best), best.encoding.replace("_", "-")), name)


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


def _decode_wide_or_refuse(data: bytes, name: str) -> Decoded:
    """NUL bytes mean UTF-16/32 without a BOM, or a binary file."""
    best = charset_normalizer.from_bytes(data[:_SNIFF]).best()
    if best is not None and best.encoding.startswith(("utf_16", "utf_32")):
        return _decode_as(data, name, best.encoding)
    raise BinaryInputError(name, "binary file (NUL bytes); expected plain text, HTML or JSON lines")


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
