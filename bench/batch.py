"""Speed of the whole pipeline: bare parser, one process, and ``batch`` on 1 and 2 Dask workers.

    python -m bench.batch [CORPUS_DIR] [--limit N] [--model NAME] [--workers 1 2] [--shard-size N]

Default corpus: the PolNeAR train texts in ../shared/data, first ``--limit`` documents (0: all).
Words are whitespace-separated tokens of the repaired text. Figures:

- bare parser: ``nlp.pipe`` alone over the repaired texts (the ceiling of the whole pipeline);
- single process: :class:`claimtrace.Extractor` (what ``claimtrace extract`` runs);
- batch, N workers: :func:`claimtrace.batch.run_batch` on the local cluster ``batch --workers N``
  starts, writing Parquet to a temporary folder. The cluster is started and the model loaded
  on every worker before the clock (a one-off of seconds per worker, not throughput); the
  per-core figure divides the words by the time workers spent inside shards;
- scaling efficiency: docs/s with N workers over N x docs/s with one; peak memory: the maximum
  resident set size of each worker process, and of this process for the single-process run.

Each line also gives words per CPU-second (user + system time of the processes doing the work):
on a machine shared with other jobs, wall-clock rates measure the contention, while CPU-second
rates still compare the configurations. Wall-clock scaling is only meaningful on an idle machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import SHARED
from claimtrace import Extraction, Extractor, Settings
from claimtrace.ingest import RawInput, build_document, iter_inputs

DEFAULT_CORPUS = SHARED / "data/attribution/polnear/train/text"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rates(docs: int, words: int, seconds: float, cpu: float) -> str:
    return (
        f"{docs / seconds:7.2f} docs/s {words / seconds:7.0f} words/s ({seconds:6.1f} s); "
        f"{words / cpu:6.0f} words per CPU-second"
    )


def bench_parser(extractor: Extractor, texts: list[str]) -> tuple[int, int, float, float]:
    """Documents, words, seconds and CPU-seconds of ``nlp.pipe`` alone."""
    start, cpu = time.perf_counter(), _cpu_seconds()
    for _ in extractor.nlp.pipe(texts, batch_size=extractor.settings.batch_size):
        pass
    words = sum(len(t.split()) for t in texts)
    return len(texts), words, time.perf_counter() - start, _cpu_seconds() - cpu


def bench_single(extractor: Extractor, inputs: list[RawInput]) -> tuple[int, int, float, float]:
    """Documents, words, seconds and CPU-seconds of the whole pipeline in this process."""
    start, cpu = time.perf_counter(), _cpu_seconds()
    docs = words = 0
    for result in extractor.extract_inputs(inputs):
        if isinstance(result, Extraction):
            docs += 1
            words += len(result.document.text.split())
    return docs, words, time.perf_counter() - start, _cpu_seconds() - cpu


def bench_batch(
    corpus: Path, settings: Settings, workers: int, shard_size: int
) -> tuple[int, int, float, float, float, list[float]]:
    """Documents, words, seconds, worker CPU-seconds, seconds inside shards, peak MiB each."""
    from distributed import Client

    from claimtrace.batch import BatchOptions, run_batch
    from claimtrace.batch.runner import local_cluster
    from claimtrace.batch.worker import PLUGIN_NAME, ExtractorPlugin

    out = Path(tempfile.mkdtemp(prefix="claimtrace-bench-"))
    try:
        with local_cluster(workers) as cluster, Client(cluster) as client:
            client.register_plugin(ExtractorPlugin(settings), name=PLUGIN_NAME)
            options = BatchOptions(
                out=out / "out",
                settings=settings,
                scheduler=cluster.scheduler_address,
                shard_size=shard_size,
            )
            before = client.run(_cpu_seconds)
            summary = run_batch([str(corpus)], options)
            after = client.run(_cpu_seconds)
            peaks = client.run(_peak_mib)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if summary.failed_shards:
        print(f"  failed shards: {summary.failed_shards}", file=sys.stderr)
    busy = sum(manifest.seconds for manifest in summary.manifests)
    cpu = sum(after[w] - before.get(w, 0.0) for w in after)
    return (
        summary.processed,
        summary.processed_words,
        summary.seconds,
        cpu,
        busy,
        sorted(peaks.values()),
    )


def _sample(corpus: Path, limit: int) -> tuple[Path, list[RawInput], Path | None]:
    """The inputs, and a folder holding just them (a temporary copy when sampling)."""
    inputs = [i for i in iter_inputs([str(corpus)], max_bytes=10**8) if isinstance(i, RawInput)]
    if not limit or limit >= len(inputs):
        return corpus, inputs, None
    inputs = inputs[:limit]
    folder = Path(tempfile.mkdtemp(prefix="claimtrace-bench-sample-"))
    for index, item in enumerate(inputs):
        shutil.copyfile(item.name, folder / f"{index:06d}{Path(item.name).suffix}")
    return folder, inputs, folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=200, help="first N documents (0: all)")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: embedded)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--shard-size", type=int, default=20, help="documents per shard")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"bench.batch: corpus {args.corpus} is not a directory", file=sys.stderr)
        return 2
    folder, inputs, temporary = _sample(args.corpus, args.limit)
    try:
        settings = Settings(model=args.model)
        extractor = Extractor(settings)
        texts = [build_document(raw).text for raw in inputs]
        print(f"corpus : {args.corpus} ({len(inputs)} documents)")
        print(f"model  : {extractor.model}; cores: {len(os.sched_getaffinity(0))}")
        bench_single(extractor, inputs[:4])  # warm up caches and lazy loads
        docs, words, seconds, cpu = bench_parser(extractor, texts)
        parser_wps, parser_cpu = words / seconds, words / cpu
        print(f"bare parser (nlp.pipe): {_rates(docs, words, seconds, cpu)}")
        docs, words, seconds, cpu = bench_single(extractor, inputs)
        print(f"single process        : {_rates(docs, words, seconds, cpu)}")
        print(
            f"  whole pipeline keeps {words / seconds / parser_wps:.0%} of the parser's words/s "
            f"({words / cpu / parser_cpu:.0%} per CPU-second; target >= 60%); "
            f"peak memory {_peak_mib():.0f} MiB"
        )
        base: float | None = None
        for workers in args.workers:
            docs, words, seconds, cpu, busy, peaks = bench_batch(
                folder, settings, workers, args.shard_size
            )
            rate = docs / seconds
            base = rate if workers == 1 else base
            print(f"batch --workers {workers:<2}   : {_rates(docs, words, seconds, cpu)}")
            memory = ", ".join(f"{p:.0f}" for p in peaks)
            line = f"  {words / busy:.0f} words/s per worker inside shards; peak MiB: {memory}"
            if base is not None and workers > 1:
                line += (
                    f"; {rate / base:.2f}x one worker, scaling efficiency "
                    f"{rate / (workers * base):.0%} (target for 2: >= 1.7x)"
                )
            print(line)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
