"""The sample articles shipped with claimtrace (written for this project; events are fictional)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from importlib import resources
from pathlib import Path

from claimtrace.errors import InputError
from claimtrace.ingest import RawInput, iter_inputs

__all__ = ["sample_inputs"]


def sample_inputs(max_bytes: int = 10**7) -> Iterator[RawInput | InputError]:
    """The bundled samples, named ``samples/<file>`` wherever the package is installed."""
    with resources.as_file(resources.files("claimtrace") / "samples") as folder:
        for item in iter_inputs([str(folder)], max_bytes=max_bytes):
            if isinstance(item, RawInput):
                yield replace(item, name=_relative(item.name, folder))
            else:
                yield item


def _relative(name: str, folder: Path) -> str:
    """``/site-packages/claimtrace/samples/feed.jsonl:2`` → ``samples/feed.jsonl:2``."""
    path, colon, line = name.partition(":") if name.count(":") == 1 else (name, "", "")
    return f"samples/{Path(path).relative_to(folder).as_posix()}{colon}{line}"
