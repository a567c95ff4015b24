"""A raw input becomes a :class:`~claimtrace.records.DocumentRecord`: decoded, extracted (HTML),
repaired and identified.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from claimtrace.errors import EmptyInputError, InvalidMetadataError
from claimtrace.ingest.decode import decode_bytes
from claimtrace.ingest.html import declared_charset, extract_html, looks_like_html
from claimtrace.ingest.readers import NO_METADATA, Metadata, RawInput
from claimtrace.ingest.repair import repair_text
from claimtrace.records import DocumentRecord

__all__ = ["build_document", "normalise_published"]

_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$")


def build_document(
    raw: RawInput, overrides: Metadata = NO_METADATA, encoding: str | None = None
) -> DocumentRecord:
    """Decode, extract (HTML) and repair one input; ``overrides`` win over found metadata."""
    if isinstance(raw.data, str):
        text, used_encoding, replaced = raw.data, "utf-8", 0
        raw_bytes = raw.data.encode("utf-8", errors="surrogatepass")
        is_html = raw.kind == "html"
    else:
        raw_bytes = raw.data
        is_html = raw.kind == "html" or (raw.kind == "auto" and looks_like_html(raw_bytes))
        declared = declared_charset(raw_bytes) if is_html and encoding is None else None
        decoded = decode_bytes(raw_bytes, raw.name, encoding or _usable(declared, raw_bytes))
        text, used_encoding, replaced = decoded.text, decoded.encoding, decoded.replaced_bytes
    found = raw.metadata
    if is_html:
        page = extract_html(text, raw.name, url=overrides.url or found.url)
        text = page.text
        found = Metadata(
            title=found.title or page.title,
            url=found.url or page.url,
            publisher=found.publisher or page.publisher,
            published=found.published or page.published,
        )
    metadata = overrides.over(found)
    repaired = repair_text(text)
    if not repaired.text.strip():
        raise EmptyInputError(raw.name, "no text (only whitespace)")
    encoding_note = used_encoding if not replaced else f"{used_encoding} ({replaced} bad bytes)"
    return DocumentRecord(
        id=hashlib.sha256(repaired.text.encode("utf-8", errors="surrogatepass")).hexdigest(),
        text=repaired.text,
        published=normalise_published(metadata.published, raw.name),
        title=metadata.title,
        url=metadata.url,
        publisher=metadata.publisher,
        repairs=repaired.repairs,
        input=raw.name,
        format="html" if is_html else "text",
        encoding=encoding_note,
        raw_sha256=hashlib.sha256(raw_bytes).hexdigest(),
    )


def normalise_published(value: str | None, name: str) -> str | None:
    """``YYYY-MM-DD`` from a date or an ISO date-time; an error for anything else.

    >>> normalise_published("2023-03-10T08:15:00+00:00", "x")
    '2023-03-10'
    """
    if value is None or not value.strip():
        return None
    found = _ISO_DATE.match(value.strip())
    if found:
        try:
            return date.fromisoformat(found.group(1)).isoformat()
        except ValueError:
            pass
    raise InvalidMetadataError(name, f"published {value!r} is not a date (expected YYYY-MM-DD)")


def _usable(declared: str | None, data: bytes) -> str | None:
    """A page's declared charset, when the bytes really are in it (pages often lie)."""
    if declared is None:
        return None
    try:
        data.decode(declared)
    except (LookupError, UnicodeDecodeError):
        return None
    return declared
