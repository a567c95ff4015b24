"""What runs on a Dask worker: the language model loaded once, and one shard's extraction.

:class:`ExtractorPlugin` is registered with the cluster; every worker (including one the nanny
restarts after a crash) runs its ``setup`` once, which loads the language pipeline into that
worker process. :func:`process_shard` then takes the loaded extractor for each shard it runs,
so a model is never shipped through the scheduler nor loaded per task.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from distributed import Worker, WorkerPlugin, get_worker

from claimtrace.batch.output import Format, Manifest, write_shard
from claimtrace.batch.shards import Shard, read_shard
from claimtrace.config import Settings
from claimtrace.errors import InputError
from claimtrace.extractor import Extractor
from claimtrace.records import Extraction

__all__ = ["PLUGIN_NAME", "ExtractorPlugin", "ShardTask", "process_shard"]

PLUGIN_NAME = "claimtrace-extractor"


class ExtractorPlugin(WorkerPlugin):
    """Loads one :class:`~claimtrace.extractor.Extractor` per worker process, at worker start."""

    name = PLUGIN_NAME

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.extractor: Extractor | None = None

    def setup(self, worker: Worker) -> None:
        self.extractor = Extractor(self.settings)


@dataclass(frozen=True, slots=True)
class ShardTask:
    """Everything a worker needs for one shard (small: paths and numbers, never documents)."""

    shard: Shard
    out: str
    formats: tuple[Format, ...]
    settings: Settings


def process_shard(task: ShardTask) -> Manifest:
    """Extract one shard and write its outputs; per-document failures go to its errors file."""
    start = time.perf_counter()
    extractor = _extractor(task.settings)
    inputs = list(read_shard(task.shard, task.settings.max_document_bytes))
    extractions: list[Extraction] = []
    errors: list[InputError] = []
    # the extractor keeps a failure inside one document to that document (a StageError)
    for result in extractor.extract_inputs(inputs):
        if isinstance(result, InputError):
            errors.append(result)
        else:
            extractions.append(result)
    return write_shard(
        Path(task.out),
        task.shard.name,
        task.shard.key,
        extractions,
        errors,
        task.formats,
        time.perf_counter() - start,
    )


def _extractor(settings: Settings) -> Extractor:
    """The worker's extractor; loaded here only when the plugin is missing (a bare worker)."""
    try:
        plugin = get_worker().plugins.get(PLUGIN_NAME)
    except ValueError:  # not on a worker: called directly (tests, a single process)
        plugin = None
    if isinstance(plugin, ExtractorPlugin) and plugin.settings == settings:
        if plugin.extractor is None:
            plugin.extractor = Extractor(settings)
        return plugin.extractor
    return Extractor(settings)  # the pipeline itself is cached per process by load_pipeline
