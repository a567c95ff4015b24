"""Time and peak memory of ``claimtrace extract`` on one long document, by size.

    python -m bench.size [--sizes 100k,1m,5m] [--quotes 150k] [--model NAME] [--corpus DIR]
                         [--ingest]

Each document is made by joining news articles (the PolNeAR train texts in ../shared/data, else
the samples shipped in the package) up to the size, in characters; the quote-heavy one is a
text of that size with a quotation mark every three characters (``"a" b "a" b …``: 50,000
marks in 150,000 characters). Each run is a fresh ``claimtrace extract FILE`` process, so the
peak resident set size (its ``VmHWM``) is that of one document's extraction, model included;
the output JSON is written to a temporary file. ``--ingest`` runs ``claimtrace ingest FILE`` into
a fresh SQLite ledger instead (extraction, then storing and corroboration). Words are
whitespace-separated.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import SHARED

DEFAULT_CORPUS = SHARED / "data/attribution/polnear/train/text"
SAMPLES = Path(__file__).resolve().parents[1] / "src/claimtrace/samples"
#: The issue's bound: peak resident memory for any single document up to the size limit.
BOUND_MIB = 800


def _size(text: str) -> int:
    """``100k`` → 100,000; ``1m`` → 1,000,000 (characters)."""
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1].lower(), 1)
    return int(float(text.rstrip("kKmM")) * scale)


def news_text(size: int, corpus: Path) -> str:
    """Articles joined by blank lines, cut at ``size`` characters."""
    files = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    if not files:
        files = sorted(p for p in SAMPLES.iterdir() if p.suffix == ".txt")
    pieces: list[str] = []
    total = 0
    while total < size:
        for path in files:
            piece = path.read_text(encoding="utf-8", errors="replace").strip() + "\n\n"
            pieces.append(piece)
            total += len(piece)
            if total >= size:
                break
    return "".join(pieces)[:size]


def quote_text(size: int) -> str:
    return ('"a" b ' * (size // 6 + 1))[:size]


#: Runs the CLI and then reports the process's own peak (VmHWM): ``wait4``'s ``ru_maxrss`` of a
#: child also counts the parent's memory copied at fork (a test runner's, say).
_MEASURED = """
import sys
from claimtrace.cli import main
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    print("claimtrace-peak-kib", peak, file=sys.stderr)
except (OSError, StopIteration):
    pass
sys.exit(code)
"""


def run_one(path: Path, model: str | None, ingest: bool = False) -> tuple[float, float, int]:
    """Seconds, peak RSS (MiB) and exit code of ``claimtrace extract path`` (or ``ingest``)."""
    args = ["extract", str(path), "-q", "-o", str(path.with_suffix(".json"))]
    if ingest:
        args = ["ingest", str(path), "-q", "--db", str(path.with_suffix(".db"))]
    if model:
        args += ["--model", model]
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _MEASURED, *args], stderr=subprocess.PIPE, text=True
    )
    _, err = process.communicate()
    seconds = time.perf_counter() - start
    peaks = [line.split()[1] for line in err.splitlines() if line.startswith("claimtrace-peak")]
    if not peaks:
        sys.stderr.write(err)
        raise RuntimeError("the process did not report its peak memory (no /proc?)")
    return seconds, int(peaks[-1]) / 1024, process.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1m,5m", help="news documents, in characters")
    parser.add_argument("--quotes", default="150k", help="the quote-heavy document ('' = none)")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: embedded)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--ingest", action="store_true", help="claimtrace ingest, not extract")
    args = parser.parse_args(argv)
    cases = [(f"news {s}", news_text(_size(s), args.corpus)) for s in args.sizes.split(",") if s]
    if args.quotes:
        cases.append((f"quotes {args.quotes}", quote_text(_size(args.quotes))))
    print(f"{'document':<14}{'chars':>11}{'words':>10}{'seconds':>9}{'words/s':>9}{'peak MiB':>10}")
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="claimtrace-size-") as folder:
        for k, (name, text) in enumerate(cases):
            path = Path(folder) / f"doc{k}.txt"
            path.write_text(text, encoding="utf-8")
            seconds, peak, code = run_one(path, args.model, args.ingest)
            words = len(text.split())
            status = "" if code == 0 else f"  (exit {code})"
            print(
                f"{name:<14}{len(text):>11,}{words:>10,}{seconds:>9.1f}{words / seconds:>9.0f}"
                f"{peak:>10.0f}{status}",
                flush=True,
            )
            worst = max(worst, peak)
    verdict = "within" if worst <= BOUND_MIB else "OVER"
    print(f"peak {worst:.0f} MiB: {verdict} the {BOUND_MIB} MiB bound")
    return 0


if __name__ == "__main__":
    sys.exit(main())
