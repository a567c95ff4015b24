"""Ingest throughput of the ledger: documents per second into SQLite (and PostgreSQL).

    python -m bench.ledger [CORPUS_DIR] [--sample N] [--model NAME] [--pg URL]

Default corpus: the PolNeAR train texts in ../shared/data. Documents are extracted once; then
``store`` times storing the extractions (rows, full-text index, corroboration) into a fresh
ledger, and ``ingest`` times the whole ``claimtrace ingest`` path (extract + store) into another.
A second ``ingest`` over the same corpus times the idempotent re-run (everything skipped).
With ``--pg`` the store and re-run figures are repeated on PostgreSQL (its tables are dropped
first: give a scratch database).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import SHARED
from claimtrace import Extraction, Extractor, Settings
from claimtrace.ledger import Store, ingest
from claimtrace.ledger.store import resolve_url

DEFAULT_CORPUS = SHARED / "data/attribution/polnear/train/text"


def _sample(corpus: Path, size: int | None, seed: int) -> list[str]:
    paths = sorted(str(p) for p in corpus.glob("*.txt"))
    if size is not None and size < len(paths):
        paths = sorted(random.Random(seed).sample(paths, size))
    return paths


def _fresh_pg(url: str) -> str:
    engine = create_engine(resolve_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def _time_store(db: str, extractions: list[Extraction]) -> tuple[float, int]:
    with Store(db) as store:
        start = time.perf_counter()
        for extraction in extractions:
            store.put(extraction)
        seconds = time.perf_counter() - start
        return seconds, store.counts()["claims"]


def _time_ingest(db: str, extractor: Extractor, paths: list[str]) -> tuple[float, str]:
    with Store(db) as store:
        start = time.perf_counter()
        report = ingest(store, extractor, paths)
        return time.perf_counter() - start, report.summary()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=int, default=100, help="documents (0: all)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", default=None, help="spaCy pipeline or 'rules'")
    parser.add_argument("--pg", default=None, help="a scratch PostgreSQL URL")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    paths = _sample(args.corpus, args.sample or None, args.seed)
    extractor = Extractor(Settings(model=args.model))
    start = time.perf_counter()
    extractions = [r for r in extractor.extract_paths(paths) if isinstance(r, Extraction)]
    extract_s = time.perf_counter() - start
    n = len(extractions)
    print(f"corpus {args.corpus} · {n} documents · model {extractor.model}")
    print(f"extract only                 {n / extract_s:8.1f} docs/s")
    with tempfile.TemporaryDirectory() as folder:
        targets = [("sqlite", str(Path(folder) / "store.db"))]
        if args.pg:
            targets.append(("postgresql", _fresh_pg(args.pg)))
        for name, db in targets:
            seconds, claims = _time_store(db, extractions)
            print(
                f"{name:10} store             {n / seconds:8.1f} docs/s "
                f"({claims / seconds:.0f} claims/s, {claims} claims)"
            )
        sqlite_ingest = str(Path(folder) / "ingest.db")
        seconds, summary = _time_ingest(sqlite_ingest, extractor, paths)
        print(f"sqlite     ingest            {n / seconds:8.1f} docs/s  ({summary})")
        for name, db in [("sqlite", sqlite_ingest), *targets[1:]]:
            seconds, summary = _time_ingest(db, extractor, paths)
            print(f"{name:10} re-run (skips)    {n / seconds:8.1f} docs/s  ({summary})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
