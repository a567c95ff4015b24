"""Find the inputs: files, directories, stdin (``-``) and JSON-lines feeds, as raw documents.

Readers never raise for a bad input: they yield an :class:`~claimtrace.errors.InputError` in its
place, so a batch goes on past it. Sizes are checked before anything is read into memory, and
only regular files are opened: a FIFO, socket or device named on the command line or met in a
folder is refused from its ``stat`` (opening a FIFO to read blocks until someone writes to it).
A folder that cannot be listed is an error in its own right, not a silent gap in the walk.
"""

from __future__ import annotations

import io
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import BinaryIO, Literal, cast

from claimtrace.errors import (
    EmptyInputError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    MalformedFeedLineError,
    NotRegularFileError,
)

__all__ = [
    "FEED_SUFFIXES",
    "HTML_SUFFIXES",
    "NO_METADATA",
    "Metadata",
    "RawInput",
    "count_inputs",
    "feed_line",
    "feed_record",
    "iter_inputs",
    "regular_file_error",
    "walk_files",
    "walk_inputs",
]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
FEED_SUFFIXES = frozenset({".jsonl", ".ndjson"})
#: A ``.json`` file holds one article object, or an array of them.
JSON_SUFFIXES = frozenset({".json"})
_FEED_KEYS = ("title", "url", "publisher", "published")

Kind = Literal["text", "html", "auto"]


@dataclass(frozen=True, slots=True)
class Metadata:
    """What is known about a document besides its text; ``None`` means unknown."""

    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: str | None = None

    def over(self, found: Metadata) -> Metadata:
        """These values where set, ``found`` elsewhere (flags override what a page says)."""
        return replace(
            found,
            **{f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)},
        )


NO_METADATA = Metadata()


@dataclass(frozen=True, slots=True)
class RawInput:
    """One document's raw content, before decoding and repair."""

    name: str
    data: bytes | str
    kind: Kind = "auto"
    metadata: Metadata = NO_METADATA


def iter_inputs(
    sources: Iterable[str], *, max_bytes: int, stdin: BinaryIO | None = None
) -> Iterator[RawInput | InputError]:
    """Every document in ``sources`` (paths, directories, ``-``), in a stable order."""
    for source in sources:
        if source == "-":
            yield from _read_stream(stdin if stdin is not None else _stdin(), "stdin", max_bytes)
            continue
        path = Path(source)
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except OSError as err:
            yield _unreadable(source, err)
            continue
        if is_dir:
            for entry in walk_inputs(path):
                if isinstance(entry, InputError):
                    yield entry
                else:
                    yield from _read_file(entry, max_bytes)
        else:
            yield from _read_file(path, max_bytes)


def count_inputs(sources: Iterable[str]) -> int | None:
    """How many documents ``sources`` hold, when that is cheap to know (for a progress bar).

    None for stdin and feeds, whose documents are only known by reading them.
    """
    total = 0
    for source in sources:
        path = Path(source)
        if source == "-" or (path.is_file() and path.suffix.lower() in FEED_SUFFIXES):
            return None
        total += sum(1 for _ in walk_inputs(path)) if path.is_dir() else 1
    return total


def _stdin() -> BinaryIO:
    import sys

    return sys.stdin.buffer


def walk_files(root: Path) -> Iterator[Path]:
    """The files :func:`walk_inputs` finds under ``root``, without its errors."""
    for entry in walk_inputs(root):
        if isinstance(entry, Path):
            yield entry


def walk_inputs(root: Path) -> Iterator[Path | InputError]:
    """Files under ``root``, sorted, skipping hidden files and folders; a folder that cannot be
    listed comes as an :class:`~claimtrace.errors.InputError` in its place.

    Every entry that is not a folder is yielded, whatever it is: :func:`iter_inputs` refuses
    the ones that are not regular files (FIFOs, sockets, devices), so they are reported too.
    """
    failed: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=failed.append):
        # os.walk reports a folder it cannot list just before it goes on to the next one, so
        # each error comes out where that folder's files would have been.
        yield from _folder_errors(failed, root)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder) / name
    yield from _folder_errors(failed, root)


def _folder_errors(failed: list[OSError], root: Path) -> Iterator[InputError]:
    for err in failed:
        folder = os.fsdecode(err.filename) if err.filename is not None else str(root)
        yield InputNotFoundError(
            folder, f"cannot read folder: {err.strerror or err}; its files were skipped"
        )
    failed.clear()


def _read_file(path: Path, max_bytes: int) -> Iterator[RawInput | InputError]:
    name = str(path)
    suffix = path.suffix.lower()
    opened = _open_regular(path, name)
    if isinstance(opened, InputError):
        yield opened
        return
    handle, size = opened
    try:
        with handle:
            if suffix in FEED_SUFFIXES:
                yield from _read_feed(handle, name, max_bytes)
                return
            if size > max_bytes:
                yield _too_large(name, size, max_bytes)
                return
            data = handle.read(max_bytes + 1)
    except OSError as err:
        yield _unreadable(name, err)
        return
    if len(data) > max_bytes:  # it grew since it was measured
        yield _too_large(name, None, max_bytes)
    elif suffix in JSON_SUFFIXES:
        yield from _read_json_document(data, name)
    elif suffix in HTML_SUFFIXES:
        yield RawInput(name, data, "html")
    else:
        yield RawInput(name, data, "auto")


#: Opening never waits (for a FIFO's writer, a device's carrier), nor takes a terminal.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _open_regular(path: Path, name: str) -> tuple[BinaryIO, int] | InputError:
    """The open file and its size, or why it is not read.

    What ``path`` is comes from ``stat`` first, so a FIFO or device is never opened; the open
    file is checked again (it could have been swapped since), and opening does not block.
    """
    try:
        if not stat.S_ISREG(mode := os.stat(path).st_mode):
            return _not_regular(name, mode)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        return _unreadable(name, err)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            return _not_regular(name, info.st_mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), info.st_size
    except OSError as err:
        os.close(fd)
        return _unreadable(name, err)


def regular_file_error(path: Path) -> InputError | None:
    """Why ``path`` is not read as a file (missing, unreadable, a FIFO, socket or device), or
    None for a regular file; nothing is opened (opening a FIFO blocks)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return InputNotFoundError(str(path), "no such file or directory")
    except OSError as err:
        return _unreadable(str(path), err)
    return None if stat.S_ISREG(mode) else _not_regular(str(path), mode)


def _not_regular(name: str, mode: int) -> InputError:
    return NotRegularFileError(
        name,
        f"not a regular file ({_file_kind(mode)}); claimtrace reads files, folders, "
        "and - for standard input",
    )


def _file_kind(mode: int) -> str:
    """What a non-regular file is, for people.

    >>> _file_kind(stat.S_IFIFO), _file_kind(stat.S_IFCHR)
    ('a FIFO/named pipe', 'a character device')
    """
    if stat.S_ISFIFO(mode):
        return "a FIFO/named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"


def _unreadable(name: str, err: OSError) -> InputError:
    if isinstance(err, FileNotFoundError | NotADirectoryError):
        return InputNotFoundError(name, "no such file or directory")
    return InputNotFoundError(name, f"cannot read: {err.strerror or err}")


def _read_stream(stream: BinaryIO, name: str, max_bytes: int) -> Iterator[RawInput | InputError]:
    buffered = (
        stream
        if isinstance(stream, io.BufferedReader)
        else io.BufferedReader(cast(io.RawIOBase, stream))
    )
    head = buffered.peek(4096)[:4096]
    if _looks_like_feed(head):
        yield from _read_feed(buffered, name, max_bytes)
        return
    data = buffered.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield _too_large(name, None, max_bytes)
        return
    yield RawInput(name, data, "auto")


def _looks_like_feed(head: bytes) -> bool:
    first_line = head.lstrip().split(b"\n", 1)[0].strip()
    if not first_line.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first_line), dict)
    except (ValueError, RecursionError):
        return False


def _read_feed(handle: BinaryIO, name: str, max_bytes: int) -> Iterator[RawInput | InputError]:
    number = 0
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            break
        number += 1
        where = f"{name}:{number}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            # Skip the rest of the oversized line without holding it.
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield _too_large(where, None, max_bytes)
            continue
        item = feed_line(line, where)
        if item is not None:
            yield item
    if number == 0:
        yield EmptyInputError(name, "empty feed (no lines)")


def _read_json_document(data: bytes, name: str) -> Iterator[RawInput | InputError]:
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError) as err:
        yield MalformedFeedLineError(name, f"not valid JSON ({_json_problem(err)})")
        return
    items = parsed if isinstance(parsed, list) else [parsed]
    if not items:
        yield EmptyInputError(name, "empty JSON array; nothing to extract")
    for index, item in enumerate(items):
        yield feed_record(item, f"{name}[{index}]" if isinstance(parsed, list) else name)


def feed_line(line: str | bytes, where: str) -> RawInput | InputError | None:
    """One line of a JSON-lines feed: its article, the error that names ``where`` it was, or
    ``None`` for a blank line."""
    if not line.strip():
        return None
    # Without its line break, so that a position in the error is on this one line.
    line = line.rstrip(b"\r\n") if isinstance(line, bytes) else line.rstrip("\r\n")
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as err:
        return MalformedFeedLineError(where, f"not valid JSON ({_json_problem(err)})")
    return feed_record(record, where)


def _json_problem(err: ValueError | RecursionError) -> str:
    """Why JSON did not parse, with where: all of the decoder's message, on one line.

    >>> try:
    ...     json.loads('{"text": "a\x01b"}')
    ... except ValueError as err:
    ...     _json_problem(err)
    'Invalid control character at line 1 column 12 (char 11)'
    >>> try:
    ...     json.loads('{"text": ')
    ... except ValueError as err:
    ...     _json_problem(err)
    'Expecting value at line 1 column 10 (char 9)'
    """
    if isinstance(err, RecursionError):
        return "nested too deeply"
    if isinstance(err, json.JSONDecodeError):
        where = f"line {err.lineno} column {err.colno} (char {err.pos})"
        # Some messages end in "at" and expect the place after them; the others get "at".
        return f"{err.msg} {where}" if err.msg.endswith(" at") else f"{err.msg} at {where}"
    return str(err)


def feed_record(record: object, where: str) -> RawInput | InputError:
    """One article of a feed (a parsed JSON object), or the error that names ``where`` it was."""
    if not isinstance(record, dict):
        return MalformedFeedLineError(where, "a feed line must be a JSON object")
    body = record.get("text")
    kind: Kind = "text"
    if body is None:
        body, kind = record.get("html"), "html"
    if not isinstance(body, str):
        return MalformedFeedLineError(where, "needs a 'text' or 'html' field holding a string")
    values: dict[str, str | None] = {}
    for key in _FEED_KEYS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return MalformedFeedLineError(where, f"field {key!r} must be a string")
        values[key] = value
    return RawInput(where, body, kind, Metadata(**values))


def _too_large(name: str, size: int | None, max_bytes: int) -> InputError:
    found = _size(size) if size is not None else "more than that"
    return InputTooLargeError(
        name,
        f"too large ({found}; the limit is {_size(max_bytes)}); "
        "raise it with --max-bytes if this really is one article",
    )


def _size(count: int) -> str:
    """A byte count for people.

    >>> _size(200 * 1024 * 1024), _size(2048), _size(100)
    ('200.0 MiB', '2.0 KiB', '100 bytes')
    """
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / 1024 / 1024:.1f} MiB"
