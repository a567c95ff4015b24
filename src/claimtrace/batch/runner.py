"""Run a batch: plan shards, skip the completed ones, extract the rest on Dask, deduplicate.

Exactly-once, in three parts: a shard's outputs are renamed into place and its manifest last
(:mod:`claimtrace.batch.output`), so a shard is either complete or redone; Dask reschedules the
shard of a worker that dies, and the redo writes the same bytes; and after the shards, one pass
over the manifests keeps each document id in the first shard that holds it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import uuid4

from claimtrace._version import __version__
from claimtrace.batch.output import (
    ERRORS,
    Format,
    Manifest,
    atomic_path,
    completed_manifest,
    drop_duplicates,
    write_errors,
)
from claimtrace.batch.shards import (
    MAX_SHARD_SIZE,
    SHARDS_PER_WORKER,
    Shard,
    auto_shard_size,
    count_items,
    plan_shards,
)
from claimtrace.config import Settings
from claimtrace.errors import ConfigError
from claimtrace.stages import check_stage_names

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

__all__ = ["BatchOptions", "BatchSummary", "local_cluster", "run_batch"]

logger = logging.getLogger(__name__)

RUN_FILE = "run.json"
#: Dask settings for parsing workers. The worker's sampling profiler walks the parser's deep
#: stacks every 10 ms under the GIL, and the nanny's MALLOC_TRIM_THRESHOLD_ makes glibc hand
#: memory back after every parse; together they cost ~20% of CPU per word (bench.batch) and
#: much more wall time on a busy machine. Use the same settings on a remote cluster.
WORKER_CONFIG: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    # Dask's default minus MALLOC_TRIM_THRESHOLD_: one math-library thread per worker.
    "distributed.nanny.pre-spawn-environ": {
        "OMP_NUM_THREADS": 1,
        "MKL_NUM_THREADS": 1,
        "OPENBLAS_NUM_THREADS": 1,
    },
}


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """How to run a batch. ``scheduler`` (an address) and ``workers`` exclude each other.

    ``shard_size`` None: sized to the corpus and the workers (:func:`shard_size_for`).
    """

    out: Path
    settings: Settings = field(default_factory=Settings)
    formats: tuple[Format, ...] = ("parquet",)
    workers: int | None = None
    scheduler: str | None = None
    shard_size: int | None = None


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a run did. ``processed*`` count this run's work; the others, the whole output."""

    documents: int
    claims: int
    words: int
    failures: int
    duplicates: int
    shards: int
    skipped: int
    processed: int
    processed_words: int
    seconds: float
    failed_shards: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    dashboard: str | None = None
    manifests: tuple[Manifest, ...] = ()

    @property
    def docs_per_second(self) -> float:
        """Documents extracted by this run per second of wall time."""
        return self.processed / self.seconds if self.seconds > 0 else 0.0

    @property
    def words_per_second(self) -> float:
        return self.processed_words / self.seconds if self.seconds > 0 else 0.0


#: Called once the cluster is up: its dashboard address (or None) and the number of workers.
StartHook = Callable[[str | None, int], None]
#: Called as each shard ends: the shard, and its manifest (None when the shard failed).
ShardHook = Callable[[Shard, Manifest | None], None]


def run_batch(
    sources: Sequence[str],
    options: BatchOptions,
    *,
    on_start: StartHook | None = None,
    on_shard: ShardHook | None = None,
) -> BatchSummary:
    """Extract every document in ``sources`` into ``options.out``; resumes a previous run there."""
    started = time.perf_counter()
    _check(sources, options)
    out = options.out
    failed: list[str] = []
    dashboard: str | None = None
    with ExitStack() as stack:
        client: Client | None = None
        shard_size = options.shard_size or _recorded_shard_size(out)
        if shard_size is None:
            if options.scheduler:  # its workers are known only once connected
                client = stack.enter_context(_client(options))
                workers = _worker_count(client)
            else:
                workers = options.workers or _cores()
            shard_size = shard_size_for(sources, workers)
        shards, problems = plan_shards(sources, shard_size)
        _claim_folder(out, options, shards, shard_size)
        planning_errors = out / ERRORS / "planning.jsonl"
        if problems:
            write_errors(planning_errors, problems)
        else:
            planning_errors.unlink(missing_ok=True)
        done: dict[int, Manifest] = {}
        for shard in shards:
            manifest = completed_manifest(out, shard.name, shard.key)
            if manifest is not None:
                done[shard.index] = manifest
        skipped = len(done)
        todo = [shard for shard in shards if shard.index not in done]
        if todo:
            if client is None:
                client = stack.enter_context(_client(options))
            dashboard = client.dashboard_link
            if on_start is not None:
                on_start(dashboard, _worker_count(client))
            failed = _run_shards(client, todo, options, done, on_shard)
    manifests = drop_duplicates(out, [done[i] for i in sorted(done)])
    processed = [m for m in manifests if m.shard in {s.name for s in todo}]
    return BatchSummary(
        documents=sum(m.documents for m in manifests),
        claims=sum(m.claims for m in manifests),
        words=sum(m.words for m in manifests),
        failures=sum(m.failures for m in manifests) + len(problems),
        duplicates=sum(len(m.dropped) for m in manifests),
        shards=len(shards),
        skipped=skipped,
        processed=sum(m.documents + len(m.dropped) for m in processed),
        processed_words=sum(m.words for m in processed),
        seconds=time.perf_counter() - started,
        failed_shards=tuple(failed),
        problems=tuple(problem.message for problem in problems),
        dashboard=dashboard,
        manifests=tuple(manifests),
    )


def shard_size_for(sources: Sequence[str], workers: int) -> int:
    """The automatic shard size: about four shards per worker, at most 200 documents each.

    ``workers`` 0 (a scheduler whose workers have not joined yet, as an adaptive cluster starts)
    gives the largest size. Counting stops where the size no longer changes, so a large corpus
    costs no more to count than a small one.
    """
    if workers < 1:
        return MAX_SHARD_SIZE
    items = count_items(sources, stop_at=workers * SHARDS_PER_WORKER * MAX_SHARD_SIZE)
    size = auto_shard_size(items, workers)
    logger.info("shard size %d for %d items on %d workers", size, items, workers)
    return size


def dashboard_note() -> str:
    """How to see the dashboard whose address Dask gives (it needs bokeh to be served)."""
    if importlib.util.find_spec("bokeh") is None:
        return " (install bokeh to serve it)"
    return ""


def _check(sources: Sequence[str], options: BatchOptions) -> None:
    if not sources:
        raise ConfigError("give at least one input file or directory")
    if "-" in sources:
        raise ConfigError("batch reads files, not stdin: save the input to a file first")
    if options.scheduler and options.workers is not None:
        raise ConfigError("give --scheduler or --workers, not both")
    if options.workers is not None and options.workers < 1:
        raise ConfigError("--workers must be at least 1")
    if options.shard_size is not None and options.shard_size < 1:
        raise ConfigError("--shard-size must be at least 1")
    if not options.formats:
        raise ConfigError("give at least one --format")
    check_stage_names(options.settings.skip_stages)
    needed = ["distributed"] + (["pyarrow"] if "parquet" in options.formats else [])
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(f"batch needs {' and '.join(missing)}: pip install 'claimtrace[batch]'")


def _recorded_shard_size(out: Path) -> int | None:
    """The shard size of the run already in ``out``, so a re-run plans the same shards.

    The automatic size depends on the number of workers; a re-run with other workers (or on
    another cluster) still resumes, with the shards of the first run.
    """
    try:
        size = json.loads((out / RUN_FILE).read_text("utf-8")).get("shard_size")
    except (OSError, ValueError, AttributeError):
        return None
    return size if isinstance(size, int) and not isinstance(size, bool) and size >= 1 else None


def _claim_folder(out: Path, options: BatchOptions, shards: Sequence[Shard], size: int) -> None:
    """Make ``out`` this run's folder, or check that it already is (same settings and plan)."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out} is a file; give a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ConfigError(f"--out {out}: cannot create it ({err.strerror or err})") from None
    # batch_size tunes speed only; everything else here changes what is written.
    settings = options.settings.model_dump(mode="json", exclude={"batch_size"})
    plan = hashlib.sha256("".join(s.key for s in shards).encode()).hexdigest()
    identity = {
        "version": __version__,
        "settings": settings,
        "formats": sorted(options.formats),
        "shard_size": size,
        "plan": plan,
    }
    run_file = out / RUN_FILE
    if run_file.exists():
        try:
            previous = json.loads(run_file.read_text("utf-8"))
        except (OSError, ValueError):
            previous = None
        if previous != identity:
            changed = (
                ", ".join(k for k in identity if previous is None or previous.get(k) != identity[k])
                or "run.json"
            )
            raise ConfigError(
                f"--out {out} holds a run with other inputs or settings ({changed} differ); "
                "give a new --out folder, or delete this one to start over"
            )
        return
    with atomic_path(run_file) as partial:
        partial.write_text(json.dumps(identity, indent=2, sort_keys=True) + "\n", "utf-8")


@contextmanager
def _client(options: BatchOptions) -> Iterator[Client]:
    """A client on the given scheduler, or on a local cluster of single-threaded processes."""
    from distributed import Client  # lazy: `extract` never pays for Dask

    if options.scheduler:
        try:
            client = Client(options.scheduler, timeout="20s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as err:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {options.scheduler} ({err}); "
                "check the address (tcp://HOST:8786) and that the scheduler is running"
            ) from None
        with client:
            yield client
        return
    cluster = local_cluster(options.workers or _cores())
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client


def local_cluster(workers: int) -> LocalCluster:
    """The local cluster ``batch`` starts: ``workers`` processes of one thread each.

    One thread per process: spaCy holds the GIL, so only processes parse in parallel. Workers
    start with :data:`WORKER_CONFIG`, which the nannies keep for the workers they restart.
    """
    import dask
    from distributed import LocalCluster

    with dask.config.set(WORKER_CONFIG):
        return LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )


def _worker_count(client: Client) -> int:
    return len(client.scheduler_info(n_workers=-1)["workers"])


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_shards(
    client: Client,
    todo: Sequence[Shard],
    options: BatchOptions,
    done: dict[int, Manifest],
    on_shard: ShardHook | None,
) -> list[str]:
    """Run the shards; fill ``done``; return a one-line message per shard that failed."""
    from distributed import as_completed

    from claimtrace.batch.worker import PLUGIN_NAME, ExtractorPlugin, ShardTask, process_shard

    client.register_plugin(ExtractorPlugin(options.settings), name=PLUGIN_NAME)
    token = uuid4().hex[:8]
    shards: dict[str, Shard] = {}
    futures = []
    for shard in todo:
        task = ShardTask(shard, str(options.out), options.formats, options.settings)
        future = client.submit(
            process_shard, task, key=f"claimtrace-{shard.name}-{token}", retries=1, pure=False
        )
        shards[str(future.key)] = shard
        futures.append(future)
    failed: list[str] = []
    for future in as_completed(futures):  # type: ignore[no-untyped-call]
        shard = shards[str(future.key)]
        try:
            manifest: Manifest = future.result()
        except Exception as err:
            failed.append(f"{shard.name}: {type(err).__name__}: {err}")
            if on_shard is not None:
                on_shard(shard, None)
            continue
        done[shard.index] = manifest
        if on_shard is not None:
            on_shard(shard, manifest)
        future.release()
    return failed
