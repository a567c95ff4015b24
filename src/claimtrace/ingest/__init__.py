"""Ingest: raw inputs (text, HTML, JSON-lines feeds) to repaired, identified documents."""

from claimtrace.ingest.decode import Decoded, decode_bytes
from claimtrace.ingest.document import build_document, normalise_published
from claimtrace.ingest.readers import NO_METADATA, Metadata, RawInput, count_inputs, iter_inputs
from claimtrace.ingest.repair import RepairedText, repair_text, repaired_offset

__all__ = [
    "NO_METADATA",
    "Decoded",
    "Metadata",
    "RawInput",
    "RepairedText",
    "build_document",
    "count_inputs",
    "decode_bytes",
    "iter_inputs",
    "normalise_published",
    "repair_text",
    "repaired_offset",
]
