"""Compact storage for the ledger's JSON records and index keys.

Records (a claim's, an entity's, a document's head) are read back whole and never queried
inside, so they are stored as zlib-compressed JSON (:class:`PackedJSON`), with a preset
dictionary of the field names and values every record repeats: a claim record of 600 bytes
takes about a third of that. The first byte says how a value is packed, so the dictionary can
change in a later release without breaking older ledgers; a value written as plain JSON (by a
release before packing) is still read.

Index keys (``claim_keys``) are stored as 64-bit hashes of the key strings (:func:`key_hash`):
8 bytes in place of a string of 10 to 60.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any, Final

from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["PackedJSON", "key_hash", "pack", "unpack"]

#: Format byte of values packed with :data:`_DICTIONARY_1`. Never change that dictionary: add a
#: new one under a new format byte instead.
_FORMAT_1: Final = 1
_DICTIONARY_1: Final = (
    (
        b'{"schema_version": "1", "document": {"id": "", "published": null, "title": null, "url": '
        b'null, "publisher": null, "repairs": [], "input": "", "format": "text", "encoding": '
        b'"utf-8", "raw_sha256": ""}, "sentences": [{"start": , "end": , "text": ""}], "pipeline": '
        b'{"version": "", "model": "", "stages": [{"name": "", "version": ""}]}}'
        b'{"id": "e-", "name": "", "type": "PERSON", "ORG", "GPE", "NORP", "LOC", "OTHER", '
        b'"mentions": [{"start": , "end": , "text": ""}], "roles": [], "affiliations": []}'
        b'{"id": "p-", "mention": {"start": , "end": , "text": ""}, "name": "", "geonames_id": , '
        b'"feature": "populated_place", "admin1", "country", "country_code": "US", "admin1": "", '
        b'"lat": , "lon": , "role": null, "site", "confidence": 0.'
        b'{"id": "q-", "mention": {"start": , "end": , "text": ""}, "kind": "count", "percent", '
        b'"money", "low": .0, "high": .0, "best": .0, "approximate": false, "counted": null, '
        b'"unit": null}'
        b'{"id": "t-", "mention": {"start": , "end": , "text": ""}, "value": "", "start": "", '
        b'"end": "", "precision": "year", "month", "day", "anchor": "absolute", "relative"}'
        b'{"claim_id": "c-", "document_id": "", "content": "", "publisher": null, "url": null, '
        b'"source_kind": "named", "unnamed", "author", "source": "", "source_entity": null, '
        b'"cue": "said", "entities": [], "places": [], "times": [{"start": null, "end": null}], '
        b'"quantities": [{"low": , "high": , "counted": null, "unit": null, "kind": "count"}], '
        b'"negated": false, "certainty": "reported", "parent": null, "published": null}'
        b'{"id": "c-", "source": {"start": , "end": , "text": ""}, "source_kind": "named", '
        b'"source_entity": "e-", "cue": {"start": , "end": , "text": "said"}, "content": '
        b'[{"start": , "end": , "text": ""}], "quote": "direct", "indirect", "mixed", "none", '
        b'"certainty": "reported", "asserted", "claimed", "denied", "negated": false, "parent": '
        b'null, "confidence": 0., "entities": ["e-"], "places": ["p-"], "quantities": ["q-"], '
        b'"times": ["t-"], "evidence": ["cue:verb:say", "source:nsubj", "content:ccomp", '
        b'"content:quote-before-source", "content:follow-on-quote", "antecedent:surname:", '
        b'"antecedent:pronoun:", "antecedent-confidence:0.", "quote:direct", "quote:indirect", '
        b'"source-entity:e-", "author:assertion", "unnamed:"]}'
    )
    .replace(b", ", b",")
    .replace(b": ", b":")
)  # written as pack() writes JSON


def pack(value: Any) -> bytes:
    """``value`` as compact JSON, zlib-compressed with the preset dictionary, format byte first.

    >>> record = {"id": "c-1", "source_kind": "named", "certainty": "reported"}
    >>> unpack(pack(record)) == record
    True
    """
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    compressor = zlib.compressobj(9, zdict=_DICTIONARY_1)
    return bytes([_FORMAT_1]) + compressor.compress(raw) + compressor.flush()


def unpack(data: Any) -> Any:
    """The value :func:`pack` packed; plain JSON (text or bytes) as older ledgers stored it.

    >>> unpack('{"a": 1}'), unpack(b'[1, 2]')
    ({'a': 1}, [1, 2])
    """
    if isinstance(data, str):
        return json.loads(data)
    if not isinstance(data, bytes | bytearray | memoryview):
        return data  # a JSON column the driver already decoded (PostgreSQL before 0004)
    blob = bytes(data)
    if blob[:1] == bytes([_FORMAT_1]):
        decompressor = zlib.decompressobj(zdict=_DICTIONARY_1)
        return json.loads(decompressor.decompress(blob[1:]) + decompressor.flush())
    if blob[:1] in (b"{", b"[", b'"'):
        return json.loads(blob.decode("utf-8"))
    raise ValueError(f"a stored record in an unknown format (first byte {blob[:1]!r})")


class PackedJSON(TypeDecorator[Any]):
    """A JSON value stored packed (see :func:`pack`); reads plain JSON too."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        return None if value is None else pack(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else unpack(value)


def key_hash(key: str) -> int:
    """A signed 64-bit hash of an index key, the same in every process and release.

    >>> key_hash("e2:kyiv|lviv") == key_hash("e2:kyiv|lviv"), -(2**63) <= key_hash("x") < 2**63
    (True, True)
    """
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)
