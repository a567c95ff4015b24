"""Conflicts: precision and recall on hand-labelled claim pairs, and what a corpus ledger shows.

    python -m bench.conflicts [--json] [--misses]
    python -m bench.conflicts --ledger LEDGER.db [--show N]

Quality: ``bench/data/conflict_pairs.jsonl`` holds pairs of claims from PolNeAR train and dev
articles, each side a reference (the article's file name, its split, the character offsets of
the claim's content and source spans) with a label read by hand: ``conflict`` when the two
contents cannot both be true (one negates what the other states, or they give counts of one
thing in one scope that cannot both hold) and ``no-conflict`` otherwise (see
``bench/data/README.md``). The articles are extracted with the pipeline (publication dates from
PolNeAR's ``metadata.tsv``), each side is found among the claims by its content offsets, and a
pair is predicted a conflict as the ledger would find it: :func:`pair_conflicts` between any
two claims compared, or :func:`conflicts` inside a cluster when the pair links. A side the
extraction no longer produces is counted apart (``missing``), never as a miss or a hit.

The pairs are split by *topic* (the proposition in dispute) into a tuning and a held-out part
(:func:`split`): a rule tuned on one part is measured on propositions it has not seen.

``--ledger`` reads the conflicts a corpus ledger holds: how many, how many of them the
labelled set knows and the precision among those, and the first ``--show`` unlabelled ones
(to be read and labelled).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import SHARED
from bench.clusters import Scores as LinkScores
from claimtrace.ingest import RawInput
from claimtrace.ingest.sidecar import load_metadata_table
from claimtrace.ledger.conflicts import conflicts, pair_conflicts
from claimtrace.ledger.corroborate import ClaimFacts, Corroborator, MemoryIndex
from claimtrace.ledger.facts import facts_from_extraction
from claimtrace.records import Extraction

log = logging.getLogger("bench.conflicts")

PAIRS = Path(__file__).resolve().parent / "data" / "conflict_pairs.jsonl"
POLNEAR = SHARED / "data" / "attribution" / "polnear"
#: floors held by ``tests/ledger/test_conflict_floors.py`` on the whole labelled set
FLOORS = {"precision": 0.85, "recall": 0.15}

Side = tuple[str, tuple[tuple[int, int], ...]]


@dataclass(frozen=True, slots=True)
class Labelled:
    """One labelled pair as references: (file, content spans) of each side, label and topic."""

    a: Side
    b: Side
    conflict: bool
    topic: str | None
    drawn: str
    splits: tuple[str, str]


def _side(ref: dict[str, Any]) -> Side:
    return str(ref["file"]), tuple((int(s), int(e)) for s, e in ref["content"])


def load_pairs(path: Path = PAIRS) -> list[Labelled]:
    """The labelled pairs, as references into the PolNeAR articles."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        Labelled(
            _side(row["a"]),
            _side(row["b"]),
            row["label"] == "conflict",
            row.get("topic"),
            str(row.get("drawn", "")),
            (str(row["a"]["split"]), str(row["b"]["split"])),
        )
        for row in rows
    ]


def extract_facts(pairs: Iterable[Labelled]) -> dict[Side, ClaimFacts]:
    """Extract every article the pairs name; the facts of each claim by (file, content spans)."""
    from claimtrace import Extractor, Settings

    wanted: dict[str, str] = {}
    for pair in pairs:
        for (name, _), split in zip((pair.a, pair.b), pair.splits, strict=True):
            wanted[name] = split
    table = load_metadata_table(POLNEAR / "metadata.tsv")
    raws: list[RawInput] = []
    for name in sorted(wanted):
        path = POLNEAR / wanted[name] / "text" / name
        meta = table.lookup(name)
        data = path.read_bytes()
        if meta is None:
            raws.append(RawInput(str(path), data))
        else:
            raws.append(RawInput(str(path), data, "auto", meta))
    found: dict[Side, ClaimFacts] = {}
    for result in Extractor(Settings()).extract_inputs(raws):
        if not isinstance(result, Extraction):
            log.warning("extraction failed: %s", result)
            continue
        name = Path(result.document.input).name
        by_id = {claim.id: claim for claim in result.claims}
        for facts in facts_from_extraction(result):
            claim = by_id[facts.claim_id]
            spans = tuple((span.start, span.end) for span in claim.content)
            found[(name, spans)] = facts
    return found


@dataclass(frozen=True, slots=True)
class Scores(LinkScores):
    """Pair precision and recall of the conflict decision (as :class:`bench.clusters.Scores`);
    ``missing`` pairs, whose claims the extraction no longer produces, are left out."""

    missing: int = 0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "missing": self.missing,
        }


def predict(x: ClaimFacts, y: ClaimFacts) -> bool:
    """Whether the ledger would record a conflict between two claims: compared as candidates
    (:func:`pair_conflicts`), or inside one cluster when they link (:func:`conflicts`)."""
    if pair_conflicts(x, y):
        return True
    if Corroborator(MemoryIndex()).compare(x, y) is not None:
        return bool(conflicts([x, y]))
    return False


def score(
    pairs: Iterable[Labelled], facts: dict[Side, ClaimFacts], misses: list[str] | None = None
) -> Scores:
    """Score each pair whose two sides the extraction still produces."""
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "missing": 0}
    for pair in pairs:
        x, y = facts.get(pair.a), facts.get(pair.b)
        if x is None or y is None:
            counts["missing"] += 1
            continue
        predicted = predict(x, y)
        outcome = ("t" if predicted == pair.conflict else "f") + ("p" if predicted else "n")
        counts[outcome] += 1
        if misses is not None and outcome in ("fp", "fn"):
            misses.append(f"{outcome} [{pair.topic or pair.drawn}]\n  {x.content}\n  {y.content}")
    return Scores(**counts)


def _digest(text: str) -> int:
    return hashlib.blake2b(text.encode(), digest_size=8).digest()[0]


def split(pairs: list[Labelled]) -> tuple[list[Labelled], list[Labelled]]:
    """Tuning and held-out parts: conflicts by the parity of a hash of their topic (all pairs
    about one proposition on one side), the other pairs by a hash of their two references."""
    halves: tuple[list[Labelled], list[Labelled]] = ([], [])
    for pair in pairs:
        key = pair.topic if pair.topic else f"{pair.a}|{pair.b}"
        halves[_digest(key) % 2].append(pair)
    return halves


def ledger_conflicts(db: str, pairs: list[Labelled], show: int) -> dict[str, Any]:
    """The conflicts a ledger holds, checked against the labels where the set has the pair."""
    from claimtrace.ledger.query import Ledger

    labels = {frozenset((p.a, p.b)): p.conflict for p in pairs}
    ledger = Ledger(db, create=False)
    try:
        found = ledger.conflicts()
    finally:
        ledger.close()
    known = right = 0
    unlabelled: list[str] = []
    for view in found:
        sides = []
        for side in (view.a, view.b):
            spans = tuple((span.start, span.end) for span in side.claim.content)
            sides.append((Path(side.input).name, spans))
        label = labels.get(frozenset(sides))
        if label is None:
            if len(unlabelled) < show:
                a, b = (" ".join(s.text for s in v.claim.content) for v in (view.a, view.b))
                unlabelled.append(
                    f"{sides[0][0]} {sides[0][1]} / {sides[1][0]} {sides[1][1]}\n  {a}\n  ≠ {b}"
                )
            continue
        known += 1
        right += label
    return {
        "conflicts": len(found),
        "labelled": known,
        "precision_labelled": round(right / known, 3) if known else None,
        "unlabelled": unlabelled,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.conflicts", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    parser.add_argument("--misses", action="store_true", help="print the wrong decisions")
    parser.add_argument("--ledger", help="a corpus ledger: count and check its conflicts")
    parser.add_argument("--show", type=int, default=20, help="unlabelled ledger conflicts shown")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    pairs = load_pairs()
    if args.ledger:
        figures = ledger_conflicts(args.ledger, pairs, args.show)
        if args.json:
            print(json.dumps(figures, indent=2))
        else:
            print(
                f"ledger conflicts: {figures['conflicts']}, labelled {figures['labelled']}, "
                f"precision among labelled {figures['precision_labelled']}"
            )
            for text in figures["unlabelled"]:
                print(f"- {text}")
        return 0
    facts = extract_facts(pairs)
    tuning, held_out = split(pairs)
    misses: list[str] = []
    results = {
        "all": score(pairs, facts, misses).as_dict(),
        "tuning": score(tuning, facts).as_dict(),
        "held-out": score(held_out, facts).as_dict(),
    }
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        positives = sum(p.conflict for p in pairs)
        print(
            f"{len(pairs)} labelled pairs ({positives} conflicts, "
            f"{len({p.topic for p in pairs if p.topic})} propositions)"
        )
        for name, values in results.items():
            print(
                f"{name:>9}: P {values['precision']:.3f} R {values['recall']:.3f} "
                f"F1 {values['f1']:.3f}  tp {values['tp']} fp {values['fp']} "
                f"fn {values['fn']} tn {values['tn']} missing {values['missing']}"
            )
        if args.misses:
            print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
