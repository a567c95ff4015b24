"""Propose candidate claim pairs from PolNeAR dev for a person to label (bench/data).

The labelled file is ``bench/data/claim_pairs.jsonl``.

Extracts every dev article with the embedded model, then draws pairs of claims from different
articles that share content words, spread evenly over bins of content-word Jaccard so that the
candidates include sure matches, paraphrases and hard negatives (same names, other statement).
Prints them with their text for reading; the label is the reader's, by meaning — this script
never writes a label.

    python -m bench.label_pairs [--per-bin 40] [--seed 7] > /tmp/candidates.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from itertools import combinations
from pathlib import Path

from bench import SHARED
from claimtrace import Extractor, Settings
from claimtrace.ledger.corroborate import content_terms
from claimtrace.records import Extraction

POLNEAR_DEV = SHARED / "data/attribution/polnear/dev/text"
BINS = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.01)


def claim_rows(path: Path, extraction: Extraction) -> list[dict[str, object]]:
    """One row per claim: where its content and source are, and their text (for reading)."""
    rows: list[dict[str, object]] = []
    for claim in extraction.claims:
        rows.append(
            {
                "file": path.name,
                "content": [[part.start, part.end] for part in claim.content],
                "source": [claim.source.start, claim.source.end] if claim.source else None,
                "source_kind": claim.source_kind,
                "text": " ".join(part.text for part in claim.content),
                "source_text": claim.source.text if claim.source else None,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-bin", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    extractor = Extractor(Settings())
    rows: list[dict[str, object]] = []
    for path in sorted(POLNEAR_DEV.iterdir()):
        rows.extend(claim_rows(path, extractor.extract_text(path.read_text(encoding="utf-8"))))
    terms = [content_terms(str(row["text"])) for row in rows]
    binned: dict[int, list[tuple[int, int, float]]] = {}
    for i, j in combinations(range(len(rows)), 2):
        if rows[i]["file"] == rows[j]["file"] or min(len(terms[i]), len(terms[j])) < 3:
            continue
        shared = len(terms[i] & terms[j])
        if shared < 2:
            continue
        jaccard = shared / len(terms[i] | terms[j])
        b = next(k for k, edge in enumerate(BINS) if jaccard < edge)
        binned.setdefault(b, []).append((i, j, jaccard))
    rng = random.Random(args.seed)
    for b in sorted(binned):
        pairs = binned[b]
        for i, j, jaccard in rng.sample(pairs, min(args.per_bin, len(pairs))):
            print(json.dumps({"a": rows[i], "b": rows[j], "jaccard": round(jaccard, 3)}))


if __name__ == "__main__":
    main()
