"""Speed and memory of ingest alone and of the whole ``extract`` over a corpus directory.

    python -m bench.speed [CORPUS_DIR] [--limit N] [--model NAME] [--batch-size N]

Default corpus: the PolNeAR train texts in ../shared/data. Words are whitespace-separated tokens
of the repaired text. Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from bench import SHARED
from claimtrace import Extraction, Extractor, Settings
from claimtrace.ingest import RawInput, build_document, iter_inputs

DEFAULT_CORPUS = SHARED / "data/attribution/polnear/train/text"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(corpus: Path, limit: int | None) -> list[RawInput]:
    inputs = [i for i in iter_inputs([str(corpus)], max_bytes=10**8) if isinstance(i, RawInput)]
    return inputs[:limit] if limit else inputs


def bench_ingest(inputs: list[RawInput]) -> tuple[int, int, float]:
    """Documents, words and seconds for decode + repair + identify of every input."""
    start = time.perf_counter()
    words = sum(len(build_document(raw).text.split()) for raw in inputs)
    return len(inputs), words, time.perf_counter() - start


def bench_extract(inputs: list[RawInput], extractor: Extractor) -> tuple[int, int, float]:
    """Documents, words and seconds for the whole extract (ingest, language pipeline, stages)."""
    start = time.perf_counter()
    docs = words = 0
    for result in extractor.extract_inputs(inputs):
        if isinstance(result, Extraction):
            docs += 1
            words += len(result.document.text.split())
    return docs, words, time.perf_counter() - start


def _rates(docs: int, words: int, seconds: float) -> str:
    return f"{docs / seconds:9.1f} docs/s {words / seconds:11.0f} words/s  ({seconds:.2f} s)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: embedded)")
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"bench.speed: corpus {args.corpus} is not a directory", file=sys.stderr)
        return 2
    inputs = _load(args.corpus, args.limit)
    base_mib = _peak_mib()
    extractor = Extractor(Settings(model=args.model, batch_size=args.batch_size))
    print(f"corpus: {args.corpus} ({len(inputs)} documents)")
    print(f"model:  {extractor.model}")
    docs, words, seconds = bench_ingest(inputs)
    print(f"ingest alone  : {_rates(docs, words, seconds)}")
    bench_extract(inputs[:8], extractor)  # warm up caches and lazy loads
    docs, words, seconds = bench_extract(inputs, extractor)
    print(f"whole extract : {_rates(docs, words, seconds)}")
    print(f"peak memory   : {_peak_mib():.0f} MiB (inputs loaded: {base_mib:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
