"""Partition the inputs of a batch into shards, and read one shard's documents back.

A shard is the unit of work, of output and of resumption: a run of consecutive text/HTML files,
a range of lines of a JSON-lines feed, or a slice of one row group of a Parquet file. Planning
reads only what it must (file names, line breaks, Parquet footers), on the client; a worker reads
its shard's documents itself, so no document travels through the scheduler. Shards are numbered
in input order, so concatenating their outputs gives the order of a single-process run.

>>> shard = Shard(index=3, kind="feed", source="news.jsonl", byte_start=0, byte_end=10, count=2)
>>> shard.name
'part-00003'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from claimtrace.errors import (
    EmptyInputError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    MalformedFeedLineError,
)
from claimtrace.ingest import RawInput, iter_inputs

# The readers' own record and walk rules, so a batch names and validates documents exactly as
# `claimtrace extract` does (ids, `path:line` names, file order).
from claimtrace.ingest.readers import FEED_SUFFIXES, feed_line, feed_record, walk_files

__all__ = ["PARQUET_SUFFIXES", "Shard", "plan_shards", "read_shard"]

PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
#: Parquet columns a document may come from; the others are ignored.
_PARQUET_COLUMNS = ("text", "html", "title", "url", "publisher", "published")

ShardKind = Literal["files", "feed", "parquet"]


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of work: which documents, and where they are.

    ``count`` is the number of planned items (files, feed lines or rows), blank lines included:
    the progress bar's unit, not necessarily the number of documents extracted.
    """

    index: int
    kind: ShardKind
    source: str = ""
    files: tuple[str, ...] = ()
    byte_start: int = 0
    byte_end: int = 0
    row_group: int = 0
    row_offset: int = 0
    first_number: int = 1
    count: int = 0

    @property
    def name(self) -> str:
        """The file stem of every output of this shard."""
        return f"part-{self.index:05d}"

    @property
    def key(self) -> str:
        """A digest of what the shard covers: a manifest from another plan does not match it."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


def plan_shards(sources: Sequence[str], shard_size: int) -> tuple[list[Shard], list[InputError]]:
    """Shards over ``sources`` (files and directories), in input order, and the inputs that failed.

    Consecutive text/HTML/JSON files are grouped ``shard_size`` at a time; each feed is cut every
    ``shard_size`` lines and each Parquet row group every ``shard_size`` rows.
    """
    if shard_size < 1:
        raise ValueError("shard_size must be at least 1")
    planner = _Planner(shard_size)
    for source in sources:
        path = Path(source)
        if path.is_dir():
            for file in walk_files(path):
                planner.add(file)
        elif path.is_file():
            planner.add(path)
        else:
            planner.problems.append(InputNotFoundError(source, "no such file or directory"))
    planner.flush_files()
    return planner.shards, planner.problems


class _Planner:
    def __init__(self, shard_size: int) -> None:
        self.shard_size = shard_size
        self.shards: list[Shard] = []
        self.problems: list[InputError] = []
        self.pending: list[str] = []

    def add(self, path: Path) -> None:
        suffix = path.suffix.lower()
        if suffix in FEED_SUFFIXES:
            self.flush_files()
            self._feed(path)
        elif suffix in PARQUET_SUFFIXES:
            self.flush_files()
            self._parquet(path)
        else:
            self.pending.append(str(path))
            if len(self.pending) == self.shard_size:
                self.flush_files()

    def flush_files(self) -> None:
        if self.pending:
            self._emit(kind="files", files=tuple(self.pending), count=len(self.pending))
            self.pending = []

    def _emit(self, **fields: Any) -> None:
        self.shards.append(Shard(index=len(self.shards), **fields))

    def _feed(self, path: Path) -> None:
        """Cut a feed at line breaks every ``shard_size`` lines, reading it once."""
        source = str(path)
        offset = start = number = count = 0
        try:
            with path.open("rb") as handle:
                for line in handle:
                    number += 1
                    count += 1
                    offset += len(line)
                    if count == self.shard_size:
                        self._emit(
                            kind="feed",
                            source=source,
                            byte_start=start,
                            byte_end=offset,
                            first_number=number - count + 1,
                            count=count,
                        )
                        start, count = offset, 0
        except OSError as err:
            self.problems.append(InputNotFoundError(source, f"cannot read: {err.strerror or err}"))
            return
        if count:
            self._emit(
                kind="feed",
                source=source,
                byte_start=start,
                byte_end=offset,
                first_number=number - count + 1,
                count=count,
            )
        if number == 0:
            self.problems.append(EmptyInputError(source, "empty feed (no lines)"))

    def _parquet(self, path: Path) -> None:
        """One shard per ``shard_size`` rows of each row group, from the file's footer alone."""
        source = str(path)
        try:
            import pyarrow.parquet as pq  # type: ignore[import-untyped]  # lazy: only for Parquet
        except ImportError:
            self.problems.append(
                MalformedFeedLineError(source, "reading Parquet needs pyarrow (claimtrace[batch])")
            )
            return
        try:
            metadata = pq.ParquetFile(source).metadata
        except (OSError, ValueError) as err:  # pyarrow's ArrowInvalid is a ValueError
            self.problems.append(MalformedFeedLineError(source, f"not a Parquet file ({err})"))
            return
        columns = set(metadata.schema.names)
        if not columns & {"text", "html"}:
            self.problems.append(
                MalformedFeedLineError(source, "needs a 'text' or 'html' column holding strings")
            )
            return
        number = 1
        for group in range(metadata.num_row_groups):
            rows = metadata.row_group(group).num_rows
            for offset in range(0, rows, self.shard_size):
                count = min(self.shard_size, rows - offset)
                self._emit(
                    kind="parquet",
                    source=source,
                    row_group=group,
                    row_offset=offset,
                    first_number=number,
                    count=count,
                )
                number += count
        if number == 1:
            self.problems.append(EmptyInputError(source, "empty Parquet file (no rows)"))


def read_shard(shard: Shard, max_bytes: int) -> Iterator[RawInput | InputError]:
    """The raw documents of one shard, named as ``claimtrace extract`` names them."""
    if shard.kind == "files":
        yield from iter_inputs(shard.files, max_bytes=max_bytes)
    elif shard.kind == "feed":
        yield from _read_feed_range(shard, max_bytes)
    else:
        yield from _read_parquet_slice(shard)


def _read_feed_range(shard: Shard, max_bytes: int) -> Iterator[RawInput | InputError]:
    try:
        with open(shard.source, "rb") as handle:
            handle.seek(shard.byte_start)
            block = handle.read(shard.byte_end - shard.byte_start)
    except OSError as err:
        yield InputNotFoundError(shard.source, f"cannot read: {err.strerror or err}")
        return
    # Split on line feeds only, as planning (and the readers' `readline`) did.
    lines = block.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    for number, line in enumerate(lines, start=shard.first_number):
        where = f"{shard.source}:{number}"
        if len(line) > max_bytes:
            yield InputTooLargeError(
                where, f"too large (the limit is {max_bytes} bytes); raise it with --max-bytes"
            )
            continue
        item = feed_line(line, where)
        if item is not None:
            yield item


def _read_parquet_slice(shard: Shard) -> Iterator[RawInput | InputError]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(shard.source)
        present = [c for c in _PARQUET_COLUMNS if c in parquet.schema_arrow.names]
        table = parquet.read_row_group(shard.row_group, columns=present)
    except (OSError, ValueError) as err:
        yield MalformedFeedLineError(shard.source, f"cannot read Parquet ({err})")
        return
    rows = table.slice(shard.row_offset, shard.count).to_pylist()
    for number, row in enumerate(rows, start=shard.first_number):
        yield feed_record({k: _as_text(v) for k, v in row.items()}, f"{shard.source}:{number}")


def _as_text(value: object) -> object:
    """Parquet dates and timestamps as ISO text, the form a feed line carries.

    >>> _as_text(date(2023, 3, 10)), _as_text("x"), _as_text(None)
    ('2023-03-10', 'x', None)
    """
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
