"""The review page under load: requests/s and latency on a ledger of 10,000+ claims.

    python -m bench.web [--claims 10000] [--requests 300] [--concurrency 4] [--seconds 30]

Builds a synthetic ledger through the ledger's own API (short reports extracted by the rule
pipeline and stored with :meth:`Store.put`, so clusters and full-text search are real), plus
the example article when ../shared is present. A second process serves it with uvicorn on a
loopback port; this process sends a bounded number of requests (and stops at a time limit)
to each measured page from a few threads, and prints requests/s, p50 and p95 latency, and the
weight of an article page (HTML, and with its stylesheet and script; raw and gzipped).
Target: p95 < 200 ms for the claims list and the article page.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import SHARED

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = SHARED / "examples" / "women-prisoners-front-line.txt"
TARGET_P95_MS = 200.0

_SOURCES = [
    "Police",
    "The ministry",
    "Officials",
    "Witnesses",
    "The army",
    "Local residents",
    "The governor",
    "Aid workers",
    "The spokesman",
    "Analysts",
]
_CUES = ["said", "claimed", "reported", "believes", "alleged", "denied", "stated", "added"]
_SUBJECTS = (
    "troops",
    "convoys",
    "refugees",
    "engineers",
    "volunteers",
    "prisoners",
    "drones",
    "shells",
    "ships",
    "crews",
)
_VERBS = (
    "reached",
    "crossed",
    "left",
    "shelled",
    "repaired",
    "blocked",
    "seized",
    "evacuated",
    "supplied",
    "abandoned",
)
_OBJECTS = (
    "bridge",
    "port",
    "village",
    "depot",
    "airfield",
    "station",
    "border",
    "school",
    "hospital",
    "railway",
)
_PLACES = (
    "Avon",
    "Kherson",
    "Odesa",
    "Sumy",
    "Lviv",
    "Kyiv",
    "Bakhmut",
    "Mariupol",
    "Dnipro",
    "Kharkiv",
)


_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ne",
    "su",
    "ta",
    "vo",
    "ri",
    "de",
    "pa",
    "zu",
    "ga",
    "me",
    "lu",
    "ti",
    "so",
)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def synthetic_article(rng: random.Random, sentences: int, said: list[str]) -> str:
    """A report of ``sentences`` attributed statements; about one in twenty repeats an earlier
    statement (so the ledger has clusters), the rest use made-up words (so it has few)."""
    lines = []
    for _ in range(sentences):
        if said and rng.random() < 0.05:
            lines.append(rng.choice(said))
            continue
        line = (
            f"{rng.choice(_SOURCES)} {rng.choice(_CUES)} that {rng.randint(2, 900)} "
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} the {_word(rng)} {rng.choice(_OBJECTS)} "
            f"near {rng.choice(_PLACES)} after the {_word(rng)} {_word(rng)} of {_word(rng)}."
        )
        said.append(line)
        lines.append(line)
    return "\n\n".join(lines)


def build_ledger(path: Path, claims: int) -> tuple[str, int, float]:
    """Fill a SQLite ledger with at least ``claims`` claims; (article id, claims, seconds)."""
    from claimtrace import Extractor, Settings
    from claimtrace.ledger.store import Store

    started = time.perf_counter()
    extractor = Extractor(Settings(model="rules"))
    rng = random.Random(20240501)
    store = Store(str(path))
    article_id = ""
    try:
        if EXAMPLE.exists():
            example = extractor.extract_text(
                EXAMPLE.read_text(encoding="utf-8"), published="2023-03-10", title="Example"
            )
            store.put(example)
            article_id = example.document.id
        stored = store.counts()["claims"]
        day = 0
        said: list[str] = []
        while stored < claims:
            day += 1
            extraction = extractor.extract_text(
                synthetic_article(rng, 20, said),
                published=f"{2020 + day // 336}-{day // 28 % 12 + 1:02d}-{day % 28 + 1:02d}",
                publisher=f"Outlet {day % 37}",
                title=f"Report {day}",
            )
            store.put(extraction)
            stored += len(extraction.claims)
            if not article_id:
                article_id = extraction.document.id
        stored = store.counts()["claims"]
    finally:
        store.close()
    return article_id, stored, time.perf_counter() - started


def serve(db: str, port: int) -> None:
    """The server process: the app over ``db``, read-only, on a loopback port."""
    import uvicorn

    from claimtrace.web.app import WebSettings, create_app

    app = create_app(WebSettings(db=db, read_only=True))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def load(base: str, name: str, path: str, count: int, threads: int, limit: float) -> Result:
    """Send ``count`` GETs (or stop after ``limit`` seconds) from ``threads`` threads."""
    deadline = time.monotonic() + limit
    timings: list[float] = []
    errors = 0

    def worker(share: int) -> tuple[list[float], int]:
        mine: list[float] = []
        failed = 0
        with httpx.Client(base_url=base, timeout=30) as http:
            for _ in range(share):
                if time.monotonic() > deadline:
                    break
                started = time.perf_counter()
                response = http.get(path)
                mine.append((time.perf_counter() - started) * 1000)
                failed += response.status_code != 200
        return mine, failed

    with httpx.Client(base_url=base) as warm:
        warm.get(path)  # first request: caches and the page's templates
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        shares = [count // threads + (i < count % threads) for i in range(threads)]
        for mine, failed in pool.map(worker, shares):
            timings.extend(mine)
            errors += failed
    elapsed = time.perf_counter() - started
    return Result(
        name,
        len(timings),
        elapsed,
        _percentile(timings, 0.5),
        _percentile(timings, 0.95),
        errors,
    )


def page_weight(base: str, path: str) -> dict[str, int]:
    """Bytes a browser fetches for one page: HTML, and HTML + CSS + JS, raw and gzipped."""
    with httpx.Client(base_url=base) as http:
        html = http.get(path).content
        assets = http.get("/static/review.css").content + http.get("/static/review.js").content
    return {
        "html": len(html),
        "html_gzip": len(gzip.compress(html)),
        "total": len(html) + len(assets),
        "total_gzip": len(gzip.compress(html)) + len(gzip.compress(assets)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300, help="per page")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit per page")
    parser.add_argument(
        "--db", help="reuse (or create) this ledger file instead of a temporary one"
    )
    parser.add_argument("--serve", nargs=2, metavar=("DB", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0

    with tempfile.TemporaryDirectory(prefix="claimtrace-bench-web-") as folder:
        db = Path(args.db) if args.db else Path(folder) / "ledger.db"
        article_id, claims, build_seconds = build_ledger(db, args.claims)
        print(f"ledger: {claims} claims, built in {build_seconds:.1f} s ({db.name})")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.web", "--serve", str(db), str(port)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, server)
            pages = {
                "claims list (/claims)": "/claims",
                "claims search (/claims?q=bridge)": "/claims?q=bridge",
                "article page (/documents/ID)": f"/documents/{article_id}",
                "claims API (/api/claims)": "/api/claims",
            }
            print(
                f"load: {args.requests} requests per page, {args.concurrency} threads, "
                f"from a second process on loopback"
            )
            print(f"{'page':36} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
            failed = False
            for name, path in pages.items():
                result = load(base, name, path, args.requests, args.concurrency, args.seconds)
                print(
                    f"{name:36} {result.per_second:8.1f} {result.p50_ms:8.1f} "
                    f"{result.p95_ms:8.1f} {result.errors:7d}"
                )
                measured = name.startswith(("claims list", "article page"))
                failed |= result.errors > 0 or (measured and result.p95_ms >= TARGET_P95_MS)
            weight = page_weight(base, f"/documents/{article_id}")
            print(
                "article page weight: "
                f"HTML {weight['html'] / 1024:.1f} KiB ({weight['html_gzip'] / 1024:.1f} gzipped); "
                f"with CSS+JS {weight['total'] / 1024:.1f} KiB "
                f"({weight['total_gzip'] / 1024:.1f} gzipped); no other requests"
            )
            print(f"target p95 < {TARGET_P95_MS:.0f} ms: {'missed' if failed else 'met'}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 1 if failed else 0


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("bench.web: the server process exited")
        try:
            httpx.get(base + "/api/documents?limit=1", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("bench.web: the server did not start in 60 s")


if __name__ == "__main__":
    sys.exit(main())
