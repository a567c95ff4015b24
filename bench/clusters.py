"""Corroboration: link quality on labelled PolNeAR pairs, and clustering time as the ledger grows.

    python -m bench.clusters [--sizes 1000 10000 100000]
    python -m bench.clusters --figures LEDGER.db [--rebuild-from OLD.db]

``--figures`` prints what an editor sees in a ledger: clusters, the largest, the share whose
representative content is a bare phrase, conflicts. With ``--rebuild-from`` the ledger is first
built afresh from the extractions stored in ``OLD.db`` (no re-extraction: every
``Store(OLD).extractions()`` is ``put`` into a new ``LEDGER.db``), so a change to corroboration
can be measured on a real corpus in minutes.

Quality: ``bench/data/claim_pairs.jsonl`` holds claim pairs from PolNeAR dev articles, each a
reference (file name + character offsets of content and source in the repaired text) with a
label by meaning (see ``bench/data/README.md``). The claims are rebuilt from the offsets, added
to one :class:`~claimtrace.ledger.corroborate.Corroborator` (so candidate retrieval counts too)
and each pair is scored as linked (same cluster link) or not. Floors: P ≥ 0.85, R ≥ 0.70.
The pairs are split deterministically into a *tuning* and a *held-out* half (:func:`split`):
pairs about one statement (joined through "same" labels) always fall in the same half, so a
rule tuned on one half is measured on statements it has not seen. All three are reported.

Scale: synthetic claims, each a variant of one of ``n / 5`` base statements (words dropped,
swapped or added from a Zipf-like vocabulary), added one by one; time per claim should stay
flat as the ledger grows from 1k to 100k claims. Time is CPU time of this process
(``time.process_time``), so other work on the machine does not inflate it; comparisons per
claim (candidates scored) are reported too — they are what the bucket caps and LSH shape bound.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path

from bench import SHARED
from claimtrace.ingest import NO_METADATA, RawInput, build_document
from claimtrace.ledger.corroborate import (
    ClaimFacts,
    Clusters,
    Corroborator,
    MemoryIndex,
    is_bare_phrase,
)

log = logging.getLogger("bench.clusters")

PAIRS = Path(__file__).resolve().parent / "data" / "claim_pairs.jsonl"
POLNEAR_DEV = ("data", "attribution", "polnear", "dev", "text")
FLOORS = {"precision": 0.85, "recall": 0.70}


@dataclass(frozen=True, slots=True)
class Pair:
    """One labelled pair: the two claims' facts, the label and the annotator's note."""

    a: ClaimFacts
    b: ClaimFacts
    same: bool
    note: str


def _facts(ref: dict[str, object], texts: dict[str, tuple[str, str]]) -> ClaimFacts:
    """Rebuild a claim's facts from a reference: file name and offsets into the repaired text."""
    name = str(ref["file"])
    document_id, text = texts[name]
    content = ref["content"]
    source = ref["source"]
    assert isinstance(content, list)
    parts = [text[start:end] for start, end in content]
    source_text = text[source[0] : source[1]] if isinstance(source, list) else None
    locator = ",".join(f"{start}-{end}" for start, end in content)
    return ClaimFacts(
        claim_id=f"{name}:{locator}",
        document_id=document_id,
        content=" ".join(parts),
        publisher=name.split("_", 1)[0],
        source_kind="named" if source_text else "author",
        source=source_text,
    )


def load_pairs(text_dir: Path, path: Path = PAIRS) -> list[Pair]:
    """The labelled pairs, their claims rebuilt from the articles in ``text_dir``."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    texts: dict[str, tuple[str, str]] = {}
    for name in sorted({row[side]["file"] for row in rows for side in ("a", "b")}):
        raw = RawInput(name, (text_dir / name).read_text(encoding="utf-8"), "text", NO_METADATA)
        document = build_document(raw)
        texts[name] = (document.id, document.text)
    return [
        Pair(_facts(row["a"], texts), _facts(row["b"], texts), row["label"] == "same", row["note"])
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class Scores:
    """Pair precision, recall and F1 of the link decision, with the counts behind them."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def split(pairs: list[Pair]) -> tuple[list[Pair], list[Pair]]:
    """The tuning and held-out halves of ``pairs``, deterministic and grouped by statement.

    Claims joined by "same" labels form one statement; all pairs of a statement go to one
    half, so a rule tuned on one half is measured on statements it has not seen. Statements
    are taken in the order of a hash of their smallest claim id and each goes to the half with
    fewer "same" pairs so far (positives are few, so the halves must share them evenly); the
    remaining pairs (no "same" label touches them) go by the parity of the same hash."""
    statements = Clusters()
    for pair in pairs:
        if pair.same:
            statements.union(pair.a.claim_id, pair.b.claim_id)

    def digest(text: str) -> bytes:
        return hashlib.blake2b(text.encode(), digest_size=8).digest()

    roots = [statements.find(pair.a.claim_id) for pair in pairs]
    positives: dict[str, int] = {}
    for root, pair in zip(roots, pairs, strict=True):
        positives[root] = positives.get(root, 0) + pair.same
    side: dict[str, int] = {}
    filled = [0, 0]
    for root in sorted(positives, key=digest):
        if positives[root]:
            side[root] = 0 if filled[0] < filled[1] else 1 if filled[1] < filled[0] else 0
            filled[side[root]] += positives[root]
        else:
            side[root] = digest(root)[0] % 2
    halves: tuple[list[Pair], list[Pair]] = ([], [])
    for root, pair in zip(roots, pairs, strict=True):
        halves[side[root]].append(pair)
    return halves


def score_pairs(pairs: list[Pair], corroborator: Corroborator | None = None) -> Scores:
    """Add every claim of ``pairs`` to one corroborator; a pair is predicted "same" when a
    direct link joins its two claims (candidate retrieval included, so misses by LSH count)."""
    corroborator = corroborator if corroborator is not None else Corroborator(MemoryIndex())
    claims = {facts.claim_id: facts for pair in pairs for facts in (pair.a, pair.b)}
    linked = {(link.a, link.b) for link in corroborator.add_all(claims[i] for i in sorted(claims))}
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for pair in pairs:
        key = tuple(sorted((pair.a.claim_id, pair.b.claim_id)))
        predicted = key in linked
        counts[("t" if predicted == pair.same else "f") + ("p" if predicted else "n")] += 1
    return Scores(**counts)


_VOCABULARY = [f"w{i}" for i in range(20000)]
_WEIGHTS = [1.0 / (rank + 10) for rank in range(len(_VOCABULARY))]


def synthetic_claims(count: int, seed: int = 11) -> list[ClaimFacts]:
    """``count`` claims in families of about five near-duplicates of one base statement."""
    rng = random.Random(seed)
    bases: list[list[str]] = []
    claims: list[ClaimFacts] = []
    for i in range(count):
        if i % 5 == 0 or not bases:
            bases.append(rng.choices(_VOCABULARY, _WEIGHTS, k=rng.randint(8, 16)))
            words = list(bases[-1])
        else:
            words = list(rng.choice(bases[-50:]))
            for _ in range(rng.randint(0, 3)):
                words[rng.randrange(len(words))] = rng.choices(_VOCABULARY, _WEIGHTS)[0]
        claims.append(ClaimFacts(f"c-{i:07d}", f"d-{i // 20:06d}", " ".join(words)))
    return claims


def time_clustering(count: int) -> tuple[float, int, int, float]:
    """CPU seconds to add ``count`` synthetic claims and cluster them; links and clusters made,
    and candidates compared per claim."""
    claims = synthetic_claims(count)
    corroborator, clusters = Corroborator(MemoryIndex()), Clusters()
    started = time.process_time()
    links = 0
    for facts in claims:
        found = corroborator.add(facts)
        links += len(found)
        clusters.add_links(found)
    seconds = time.process_time() - started
    return seconds, links, len(clusters.clusters()), corroborator.comparisons / count


def _report(name: str, pairs: list[Pair]) -> None:
    """Print pair precision/recall of one set of labelled pairs (claims of that set only)."""
    scores = score_pairs(pairs)
    same = sum(pair.same for pair in pairs)
    print(
        f"{name:<9} {len(pairs):>4} pairs ({same:>2} same)  P {scores.precision:.3f}"
        f"  R {scores.recall:.3f}  F1 {scores.f1:.3f}"
        f"  (tp {scores.tp} fp {scores.fp} fn {scores.fn} tn {scores.tn})"
    )


def rebuild(old: Path, new: Path) -> int:
    """Build the ledger ``new`` afresh from the extractions stored in ``old``; documents put."""
    from claimtrace.ledger.store import Store

    if new.exists():
        new.unlink()
    count = 0
    with Store(str(old)) as source, Store(str(new)) as target:
        for extraction in source.extractions():
            target.put(extraction)
            count += 1
    return count


def ledger_figures(db: Path) -> dict[str, float]:
    """Clusters (two claims or more), the largest, the share whose representative (the claim
    whose id is the cluster id) is a bare phrase, cross-document ones, and distinct conflict
    pairs (within and across clusters) of a SQLite ledger."""
    import sqlite3

    from claimtrace.ledger.packing import unpack

    conn = sqlite3.connect(db)
    try:
        facts = {
            claim_id: unpack(data)
            for claim_id, data in conn.execute("SELECT claim_id, facts FROM claim_facts")
        }
        rows = conn.execute("SELECT id, size, documents FROM clusters WHERE size >= 2").fetchall()
        pairs = {
            (a, b)
            for table in ("conflicts", "claim_conflicts")
            for a, b in conn.execute(f"SELECT a, b FROM {table}")
        }
    finally:
        conn.close()
    bare = sum(is_bare_phrase(facts[i]["content"]) for i, _, _ in rows if i in facts)
    return {
        "clusters": len(rows),
        "largest": max((size for _, size, _ in rows), default=0),
        "largest_documents": max((docs for _, _, docs in rows), default=0),
        "cross_document": sum(1 for _, _, docs in rows if docs >= 2),
        "bare_share": bare / len(rows) if rows else 0.0,
        "conflicts": len(pairs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="corroboration quality and clustering time")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--figures", type=Path, help="print a SQLite ledger's cluster figures")
    parser.add_argument("--rebuild-from", type=Path, help="first rebuild --figures from this one")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.figures is not None:
        if args.rebuild_from is not None:
            started = time.perf_counter()
            count = rebuild(args.rebuild_from, args.figures)
            log.info(
                "rebuilt %s from %s: %d documents in %.0f s",
                args.figures,
                args.rebuild_from,
                count,
                time.perf_counter() - started,
            )
        for name, value in ledger_figures(args.figures).items():
            log.info("%-18s %s", name, f"{value:.3f}" if isinstance(value, float) else value)
        return
    text_dir = SHARED.joinpath(*POLNEAR_DEV)
    if text_dir.exists():
        pairs = load_pairs(text_dir)
        tuning, held_out = split(pairs)
        print(f"link decision (floors P >= {FLOORS['precision']}, R >= {FLOORS['recall']}):")
        _report("all", pairs)
        _report("tuning", tuning)
        _report("held-out", held_out)
    else:
        print(f"labelled pairs skipped: {text_dir} not found")
    print(
        f"{'claims':>8} {'cpu s':>8} {'µs/claim':>9} {'cmp/claim':>10} {'links':>8} {'clusters':>9}"
    )
    for size in args.sizes:
        seconds, links, clusters, compared = time_clustering(size)
        print(
            f"{size:>8} {seconds:>8.2f} {seconds / size * 1e6:>9.0f} {compared:>10.1f}"
            f" {links:>8} {clusters:>9}"
        )


if __name__ == "__main__":
    main()
