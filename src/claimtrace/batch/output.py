"""A batch's output folder: shard files written atomically, a manifest per completed shard.

Layout of ``OUT``::

    run.json                     the settings and plan the folder belongs to
    extractions/parquet/part-00000.parquet  a row per document: id, counts, the Extraction JSON
    extractions/jsonl/part-00000.jsonl      an Extraction JSON per line (`extract --format jsonl`)
    errors/part-00000.jsonl      the documents of that shard that failed (only when some did)
    errors/planning.jsonl        inputs that failed before any shard (missing files, empty feeds)
    manifests/part-00000.json    written last: the shard is complete; lists its files and ids

One folder per format, so ``extractions/parquet`` reads as one Parquet dataset (pyarrow, DuckDB,
Spark, ``dask.dataframe.read_parquet``).

Every file is written to a temporary name and renamed into place, so a reader (or a re-run) never
sees half a file; the manifest is renamed last, so a shard without one is redone. A redone shard
writes the same bytes again (extraction is deterministic), which is what makes a retry after a
killed worker safe.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from uuid import uuid4

from claimtrace.errors import InputError
from claimtrace.records import Extraction, to_json

__all__ = [
    "ERRORS",
    "EXTRACTIONS",
    "MANIFESTS",
    "Format",
    "Manifest",
    "atomic_path",
    "completed_manifest",
    "drop_duplicates",
    "error_row",
    "read_extractions",
    "write_errors",
    "write_shard",
]

EXTRACTIONS, ERRORS, MANIFESTS = "extractions", "errors", "manifests"
Format = Literal["parquet", "jsonl"]
_SUFFIX: dict[Format, str] = {"parquet": ".parquet", "jsonl": ".jsonl"}
_COUNTS = ("words", "sentences", "claims", "entities", "places", "quantities", "times")


@dataclass(frozen=True, slots=True)
class Manifest:
    """The marker of a completed shard: what it wrote, and its tallies."""

    shard: str
    key: str
    files: dict[str, int]
    ids: list[str]
    claims: int
    words: int
    failures: int
    seconds: float
    dropped: list[str] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return len(self.ids)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        return cls(**json.loads(text))


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed over it only when the block ends without error.

    The temporary name is unique per attempt: a worker that the scheduler gave up on but that is
    still writing cannot clobber the retry's file.
    """
    partial = path.with_name(f".{path.name}.{uuid4().hex[:12]}.partial")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def extraction_row(extraction: Extraction) -> dict[str, Any]:
    """One document as a Parquet row: its id and metadata, counts, and the contract JSON."""
    document = extraction.document
    return {
        "id": document.id,
        "input": document.input,
        "published": document.published,
        "title": document.title,
        "url": document.url,
        "publisher": document.publisher,
        "words": len(document.text.split()),
        "sentences": len(extraction.sentences),
        "claims": len(extraction.claims),
        "entities": len(extraction.entities),
        "places": len(extraction.places),
        "quantities": len(extraction.quantities),
        "times": len(extraction.times),
        "extraction": to_json(extraction, indent=None),
    }


def error_row(error: InputError) -> dict[str, str]:
    """One failed document, as a line of an errors shard."""
    return {"input": error.input, "code": error.code, "message": error.message}


def write_shard(
    out: Path,
    name: str,
    key: str,
    extractions: Sequence[Extraction],
    errors: Sequence[InputError],
    formats: Sequence[Format],
    seconds: float,
) -> Manifest:
    """Write one shard's files, then its manifest; repeated document ids are kept once."""
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    dropped: list[str] = []
    for extraction in extractions:
        if extraction.document.id in seen:
            dropped.append(extraction.document.id)
            continue
        seen.add(extraction.document.id)
        rows.append(extraction_row(extraction))
    files: dict[str, int] = {}
    for output_format in formats:
        relative = f"{EXTRACTIONS}/{output_format}/{name}{_SUFFIX[output_format]}"
        files[relative] = _write_rows(out / relative, rows, output_format)
    errors_file = out / ERRORS / f"{name}.jsonl"
    if errors:
        relative = f"{ERRORS}/{name}.jsonl"
        files[relative] = write_errors(errors_file, errors)
    else:
        errors_file.unlink(missing_ok=True)  # left by an earlier attempt over other inputs
    manifest = Manifest(
        shard=name,
        key=key,
        files=files,
        ids=[row["id"] for row in rows],
        claims=sum(row["claims"] for row in rows),
        words=sum(row["words"] for row in rows),
        failures=len(errors),
        seconds=round(seconds, 3),
        dropped=dropped,
    )
    _write_manifest(out, manifest)
    return manifest


def write_errors(path: Path, errors: Iterable[InputError]) -> int:
    """Write failed documents as JSON lines, atomically; returns the file's size."""
    text = "".join(json.dumps(error_row(e), ensure_ascii=False) + "\n" for e in errors)
    return _write_text(path, text)


def completed_manifest(out: Path, name: str, key: str) -> Manifest | None:
    """The shard's manifest when the shard is complete: same plan, every file there and whole."""
    try:
        manifest = Manifest.from_json((out / MANIFESTS / f"{name}.json").read_text("utf-8"))
    except (OSError, ValueError, TypeError):
        return None
    if manifest.key != key:
        return None
    for relative, size in manifest.files.items():
        try:
            if (out / relative).stat().st_size != size:
                return None
        except OSError:
            return None
    return manifest


def drop_duplicates(out: Path, manifests: Sequence[Manifest]) -> list[Manifest]:
    """Keep each document id once across shards: in the first shard (in input order) holding it.

    Idempotent: a re-run finds nothing left to drop. Shards holding a repeat are rewritten
    (atomically, manifest last), which is rare: repeats are the same text fed twice.
    """
    seen: set[str] = set()
    result: list[Manifest] = []
    for manifest in manifests:
        repeated = {i for i in manifest.ids if i in seen}
        if repeated:
            manifest = _rewrite_without(out, manifest, repeated)
        seen.update(manifest.ids)
        result.append(manifest)
    return result


def read_extractions(out: Path, manifests: Sequence[Manifest]) -> Iterator[str]:
    """The Extraction JSON of every document, in shard order (Parquet preferred when both)."""
    for manifest in manifests:
        files = [f for f in manifest.files if f.startswith(f"{EXTRACTIONS}/")]
        files.sort(key=lambda f: not f.endswith(".parquet"))
        if files:
            yield from _read_rows_json(out / files[0])


def _rewrite_without(out: Path, manifest: Manifest, drop: set[str]) -> Manifest:
    files = dict(manifest.files)
    claims = words = 0
    counted = False
    for relative in manifest.files:
        if not relative.startswith(f"{EXTRACTIONS}/"):
            continue
        path = out / relative
        kept, removed = _split_rows(path, drop)
        if not counted:
            claims, words, counted = sum(r[0] for r in removed), sum(r[1] for r in removed), True
        output_format: Format = "parquet" if relative.endswith(".parquet") else "jsonl"
        files[relative] = _write_rows(path, kept, output_format)
    updated = replace(
        manifest,
        files=files,
        ids=[i for i in manifest.ids if i not in drop],
        claims=manifest.claims - claims,
        words=manifest.words - words,
        dropped=[*manifest.dropped, *sorted(drop)],
    )
    _write_manifest(out, updated)
    return updated


def _split_rows(path: Path, drop: set[str]) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
    """Rows to keep, and (claims, words) of each row dropped."""
    kept: list[dict[str, Any]] = []
    removed: list[tuple[int, int]] = []
    for text in _read_rows_json(path):
        extraction = Extraction.model_validate_json(text)
        row = extraction_row(extraction)
        if row["id"] in drop:
            removed.append((row["claims"], row["words"]))
        else:
            kept.append(row)
    return kept, removed


def _read_rows_json(path: Path) -> Iterator[str]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        table = pq.read_table(path, columns=["extraction"])
        yield from table.column("extraction").to_pylist()
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip("\n")


def _write_rows(path: Path, rows: Sequence[dict[str, Any]], output_format: Format) -> int:
    """Write rows as Parquet or JSON lines, atomically; returns the file's size."""
    if output_format == "jsonl":
        return _write_text(path, "".join(row["extraction"] + "\n" for row in rows))
    import pyarrow as pa  # lazy: `extract` never pays for it
    import pyarrow.parquet as pq

    strings = ("id", "input", "published", "title", "url", "publisher")
    schema = pa.schema(
        [(name, pa.string()) for name in strings]
        + [(name, pa.int64()) for name in _COUNTS]
        + [("extraction", pa.string())]
    )
    table = pa.Table.from_pylist(list(rows), schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as partial:
        pq.write_table(table, partial, compression="zstd")
    return path.stat().st_size


def _write_text(path: Path, text: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8", errors="surrogatepass")
    with atomic_path(path) as partial:
        partial.write_bytes(data)
    return len(data)


def _write_manifest(out: Path, manifest: Manifest) -> None:
    _write_text(out / MANIFESTS / f"{manifest.shard}.json", manifest.to_json() + "\n")
