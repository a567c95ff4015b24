"""Partition the inputs of a batch into shards, and read one shard's documents back.

A shard is the unit of work, of output and of resumption: a run of consecutive text/HTML files,
a range of lines of a JSON-lines feed, or a slice of one row group of a Parquet file. Planning
reads only what it must (file names, line breaks, Parquet footers), on the client; a worker reads
its shard's documents itself, so no document travels through the scheduler. Shards are numbered
in input order, so concatenating their outputs gives the order of a single-process run.

Unless told, the shard size follows the corpus: about four shards per worker, so every worker
has work and the last shards are short, and at most :data:`MAX_SHARD_SIZE` documents, so a redone
shard stays cheap (:func:`auto_shard_size`, over :func:`count_items`).

>>> shard = Shard(index=3, kind="feed", source="news.jsonl", byte_start=0, byte_end=10, count=2)
>>> shard.name
'part-00003'
"""

from __future__ import annotations

import hashlib
import json
import math
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
from claimtrace.ingest.readers import (
    FEED_SUFFIXES,
    feed_line,
    feed_record,
    regular_file_error,
    walk_inputs,
)

__all__ = [
    "MAX_SHARD_SIZE",
    "PARQUET_SUFFIXES",
    "SHARDS_PER_WORKER",
    "Shard",
    "auto_shard_size",
    "count_items",
    "plan_shards",
    "read_shard",
]

#: The largest automatic shard: big enough that per-task overhead (~ms) vanishes next to parsing
#: (~0.1 s per article), small enough that a redone shard costs seconds, not minutes.
MAX_SHARD_SIZE = 200
#: Automatic shards per worker: every worker has work, and a slow shard at the end of the run
#: holds up a quarter of a worker's share, not all of it.
SHARDS_PER_WORKER = 4
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
    for item in _input_files(sources):
        if isinstance(item, Path):
            planner.add(item)
        else:
            planner.problems.append(item)
    planner.flush_files()
    return planner.shards, planner.problems


def auto_shard_size(items: int, workers: int) -> int:
    """The shard size for ``items`` planned items on ``workers`` workers.

    About :data:`SHARDS_PER_WORKER` shards per worker, from 1 to :data:`MAX_SHARD_SIZE` items:

    >>> auto_shard_size(100, 2), auto_shard_size(3, 8), auto_shard_size(10**6, 16)
    (13, 1, 200)
    """
    return max(1, min(MAX_SHARD_SIZE, math.ceil(items / (max(1, workers) * SHARDS_PER_WORKER))))


def count_items(sources: Sequence[str], stop_at: int | None = None) -> int:
    """The items :func:`plan_shards` would plan: files, feed lines and Parquet rows.

    Cheap: file names, a count of line feeds and Parquet footers. Counting ends once it reaches
    ``stop_at`` (the count past which the shard size no longer changes), and gives ``stop_at``
    or a little more. Inputs that cannot be read count nothing; planning reports them.
    """
    total = 0
    for item in _input_files(sources):
        if stop_at is not None and total >= stop_at:
            break
        if not isinstance(item, Path):
            continue
        suffix = item.suffix.lower()
        if suffix in FEED_SUFFIXES:
            total += _count_lines(item, None if stop_at is None else stop_at - total)
        elif suffix in PARQUET_SUFFIXES:
            total += _count_rows(item)
        else:
            total += 1
    return total


def _input_files(sources: Sequence[str]) -> Iterator[Path | InputError]:
    """Every file of ``sources`` in input order (directories walked), or why a source is not."""
    for source in sources:
        path = Path(source)
        found = walk_inputs(path) if path.is_dir() else iter((path,))
        for item in found:
            problem = regular_file_error(item) if isinstance(item, Path) else item
            yield item if problem is None else problem


def _count_lines(path: Path, stop_at: int | None = None) -> int:
    """Lines as planning counts them (line feeds, and a last line without one), or ``stop_at``
    once there are that many."""
    lines, last = 0, b"\n"
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 16):
                lines += block.count(b"\n")
                last = block[-1:]
                if stop_at is not None and lines >= stop_at:
                    return stop_at
    except OSError:
        return 0
    return lines + (last != b"\n")


def _count_rows(path: Path) -> int:
    try:
        return int(_parquet_module().ParquetFile(str(path)).metadata.num_rows)
    except (ImportError, OSError, ValueError):
        return 0


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
            pq = _parquet_module()
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


def _parquet_module() -> Any:
    """``pyarrow.parquet``, imported only when a Parquet file is planned or read."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    return pq


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
    pq = _parquet_module()

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
