"""A metadata table beside a corpus: publication date, title, URL and publisher per file.

Corpora often come as plain-text files with a CSV or TSV of what is known about each one (the
PolNeAR ``metadata.tsv``, a scraper's index). ``claimtrace ingest --metadata TABLE`` reads it:
its header names the columns, one of them names the file, and a row's values stand for the
document's own (a flag such as ``--published`` still wins over the table). Dates matter most:
relative times ("on Monday") are resolved against the publication date, and two undated counts
are compared as conflicting only when both publication dates are known and close.

Recognised columns (case-insensitive; others are ignored):

- the file: ``file``, ``filename``, ``file_name``, ``name``, ``path`` — matched against an
  input's file name, with or without its extension;
- ``published`` (or ``publication_date``, ``date``), ``title``, ``url``, ``publisher`` (or
  ``outlet``, ``source``).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "meta.tsv").write_text("filename\\tpublication_date\\tpublisher\\n"
...                                      "a-story\\t2016-03-11\\tbreitbart\\n")
>>> table = load_metadata_table(folder / "meta.tsv")
>>> table.lookup("/corpus/a-story.txt")
Metadata(title=None, url=None, publisher='breitbart', published='2016-03-11')
>>> table.lookup("other.txt") is None
True
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Final

from claimtrace.errors import ConfigError, InputError
from claimtrace.ingest.document import normalise_published
from claimtrace.ingest.readers import Metadata

__all__ = ["MetadataTable", "load_metadata_table"]

_KEYS: Final = ("file", "filename", "file_name", "name", "path")
_FIELDS: Final = {
    "published": ("published", "publication_date", "date"),
    "title": ("title",),
    "url": ("url",),
    "publisher": ("publisher", "outlet", "source"),
}
#: a metadata table is a small file: refuse what cannot be one
_MAX_BYTES: Final = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class MetadataTable:
    """Rows of a metadata table by file name (with and without its extension)."""

    path: str
    rows: dict[str, Metadata] = field(default_factory=dict)

    def lookup(self, input_name: str) -> Metadata | None:
        """The row of an input (a path or a name), or ``None`` when the table has none."""
        pure = PurePath(input_name)
        return self.rows.get(pure.name) or self.rows.get(pure.stem)

    def __len__(self) -> int:
        return len({id(row) for row in self.rows.values()})


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [name.strip().lower() for name in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def load_metadata_table(path: str | Path) -> MetadataTable:
    """Read a CSV or TSV metadata table; a :class:`ConfigError` (one line) when it cannot be."""
    where = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ConfigError(f"--metadata {where}: {err.strerror or err}") from err
    if len(data) > _MAX_BYTES:
        raise ConfigError(f"--metadata {where}: larger than {_MAX_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError(f"--metadata {where}: not UTF-8 text (byte {err.start})") from err
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first or where.lower().endswith(".tsv") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise ConfigError(f"--metadata {where}: empty (a header row is needed)")
    key = _column(header, _KEYS)
    if key is None:
        raise ConfigError(
            f"--metadata {where}: no column naming the file (one of {', '.join(_KEYS)})"
        )
    columns = {name: _column(header, names) for name, names in _FIELDS.items()}
    if all(index is None for index in columns.values()):
        raise ConfigError(
            f"--metadata {where}: no metadata column (published, title, url or publisher)"
        )
    rows: dict[str, Metadata] = {}
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        name = row[key].strip() if key < len(row) else ""
        if not name:
            continue
        values = {field_name: _cell(row, index) for field_name, index in columns.items()}
        try:
            values["published"] = normalise_published(values["published"], name)
        except InputError as err:
            raise ConfigError(f"--metadata {where}, line {number}: {err.problem}") from err
        found = Metadata(**values)
        pure = PurePath(name)
        rows[pure.name] = found
        rows.setdefault(pure.stem, found)
    return MetadataTable(where, rows)


def _cell(row: list[str], index: int | None) -> str | None:
    if index is None or index >= len(row):
        return None
    value = row[index].strip()
    return value if value and value.lower() not in ("none", "null", "n/a") else None
