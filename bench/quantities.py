"""Quantity accuracy on the Recognizers-Text and quantulum3 specs, and the stage's speed.

    python -m bench.quantities [--limit N] [--json]

- ``recognizers-NumberModel.json``: each input's numbers (:func:`find_numbers`) must equal the
  spec's values, in order (to 6 decimals). A case is in scope unless :func:`number_scope` names a
  category it belongs to (printed with counts); accuracy is over in-scope cases.
- ``recognizers-NumberRangeModel.json``: each input's comparator/range quantities, as (lower,
  upper) bounds with None for an open side, must equal the spec's intervals. Whether a bound is
  inclusive or exclusive ("more than" vs "at least") is not scored: the record has no field
  for it.
- ``quantulum3-quantities.json``: the share of expected quantities found — a quantity of ours
  overlaps the expected surface and has its value (``best``, or the midpoint of a range, as
  quantulum3 writes ranges), within 0.1 %. Years and names are out of scope by design.
- ``bench/data/quantities_news.jsonl`` (hand-labelled news sentences, split ``tune`` /
  ``held-out``; see ``bench/data/README.md``): P/R/F1 per split of quantities whose span
  overlaps a gold one and whose kind, unit, bounds as written (``lower``/``upper``, None for an
  open side) and best value all agree ("value"); the same with the counted noun too ("full").
  ``quantulum3`` and ``text2num`` (the optional ``bench`` extra) are scored on the same
  sentences at the level they can express: the number ("number": the figure as written, the
  lower end of a range, the stated side of an open bound) and number with kind and unit.
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
NEWS = ROOT / "bench" / "data" / "quantities_news.jsonl"
DATA = SHARED / "data"
POLNEAR = DATA / "attribution" / "polnear"
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


# --- the labelled news set ----------------------------------------------------------------


@dataclass
class Gold:
    """One labelled quantity: characters of its sentence and what it states."""

    start: int
    end: int
    mention: str
    kind: str
    low: float | None
    high: float | None
    best: float | None
    unit: str | None
    counted: str | None

    @property
    def number(self) -> float:
        """The figure as written: best, else the stated side (the lower end of a range)."""
        for value in (self.best, self.low, self.high):
            if value is not None:
                return value
        raise ValueError(f"{self.mention!r}: no figure")


@dataclass
class NewsItem:
    id: str
    split: str
    text: str
    gold: list[Gold]


def load_news(path: Path = NEWS) -> list[NewsItem]:
    """The labelled sentences, with PolNeAR references read from ``../shared``."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["origin"] == "polnear":
            file = POLNEAR / record["corpus_split"] / "text" / record["file"]
            text = file.read_text(encoding="utf-8")[record["start"] : record["end"]]
        else:
            text = record["text"]
        gold = [Gold(**q) for q in record["quantities"]]
        for g in gold:
            if text[g.start : g.end] != g.mention:
                raise ValueError(f"{record['id']}: {g.mention!r} is not at {g.start}")
        items.append(NewsItem(record["id"], record["split"], text, gold))
    return items


@dataclass(frozen=True)
class Found:
    """What a system says about one quantity, in our terms (None where it cannot say)."""

    start: int
    end: int
    kind: str | None
    unit: str | None
    number: float | None
    lower: float | None = None
    upper: float | None = None
    best: float | None = None
    counted: str | None = None
    text: str = ""
    placed: bool = True  # False: no offsets, matched by value alone (text2num)


@dataclass
class PRF:
    """Precision, recall and F1 of one system at one level on one split."""

    name: str
    tp: int = 0
    found: int = 0
    gold: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (
            f"{self.name}: P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f} "
            f"({self.tp} right of {self.found} found, {self.gold} gold)"
        )


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-3 * max(1.0, abs(b))


def _agrees(found: Found, gold: Gold, level: str) -> bool:
    """Whether ``found`` states ``gold`` at ``level`` (number, unit, value, full)."""
    if not _same(found.number, gold.number):
        return False
    if level == "number":
        return True
    if (found.kind, found.unit) != (gold.kind, gold.unit):
        return False
    if level == "unit":
        return True
    bounds = all(
        _same(a, b)
        for a, b in ((found.lower, gold.low), (found.upper, gold.high), (found.best, gold.best))
    )
    if level == "value" or not bounds:
        return bounds
    return gold.kind != "count" or found.counted == gold.counted


def score_news(
    items: Iterable[NewsItem], system: Callable[[str], list[Found]], name: str, levels: list[str]
) -> dict[str, dict[str, PRF]]:
    """P/R/F1 per split and level: a found quantity is right when it overlaps a gold one (each
    used once) and agrees at that level; the rest of what was found counts against precision."""
    scores: dict[str, dict[str, PRF]] = {}
    for item in items:
        found = system(item.text)
        for split in (item.split, "all"):
            for level in levels:
                prf = scores.setdefault(split, {}).setdefault(level, PRF(f"{name} {level}"))
                prf.found += len(found)
                prf.gold += len(item.gold)
                used: set[int] = set()
                for gold in item.gold:
                    overlapping = [
                        k
                        for k, f in enumerate(found)
                        if k not in used and f.start < gold.end and gold.start < f.end
                    ]
                    right = [k for k in overlapping if _agrees(found[k], gold, level)]
                    if right:
                        used.add(right[0])
                        prf.tp += 1
                    else:
                        placed = [k for k in overlapping if found[k].placed]
                        if placed:
                            used.add(placed[0])  # a wrong reading of this quantity
                        got = [found[k] for k in overlapping]
                        prf.misses.append(f"{item.id} {gold.mention!r} {gold}: got {got}")
                extra = [f.text for k, f in enumerate(found) if k not in used and f.placed]
                if extra:
                    prf.misses.append(f"{item.id} found beyond the gold: {extra}")
    return scores


def ours(nlp: Language) -> Callable[[str], list[Found]]:
    """claimtrace's quantities of a sentence, as :class:`Found`: the record's ``low``/``high``
    (so a closed-off open side is wrong), except that an approximator's widening ("about 100"
    is 80-120) is left out: the gold writes the bounds the text states."""

    def read(text: str) -> list[Found]:
        found = []
        for r in read_quantities(nlp(text)):
            lower, upper = (r.lower, r.upper) if r.bound == "about" else (r.low, r.high)
            number = next((v for v in (r.best, r.lower, r.upper) if v is not None), None)
            found.append(
                Found(
                    r.start_char, r.end_char, r.kind, r.unit, number, lower, upper, r.best,
                    r.counted, r.text,
                )
            )  # fmt: skip
        return found

    return read


#: quantulum3 unit names in our units (anything else keeps its name, and will not match)
_QUANTULUM_UNITS: dict[str, tuple[str, str | None]] = {
    "percentage": ("percent", "%"),
    "dimensionless": ("count", None),
    "kilometre": ("measure", "km"),
    "mile": ("measure", "mi"),
    "foot": ("measure", "ft"),
    "square foot": ("measure", "ft2"),
    "square kilometre": ("measure", "km2"),
    "metre": ("measure", "m"),
    "point": ("measure", "point"),
    "percentage point": ("percent", "%"),
}


def quantulum() -> Callable[[str], list[Found]] | None:
    """quantulum3's quantities (None when it is not installed: ``pip install .[bench]``)."""
    try:
        from quantulum3 import parser
    except ImportError:
        return None

    def read(text: str) -> list[Found]:
        found = []
        for q in parser.parse(text):
            unit = q.unit
            if unit.entity.name == "currency":
                kind, code = "money", getattr(unit, "currency_code", None)
            elif unit.entity.name == "time":
                kind, code = "duration", unit.name.removesuffix("s")
            else:
                kind, code = _QUANTULUM_UNITS.get(unit.name, ("measure", unit.name))
            found.append(Found(q.span[0], q.span[1], kind, code, float(q.value), text=q.surface))
        return found

    return read


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def text2num() -> Callable[[str], list[Found]] | None:
    """text2num's numbers: ``alpha2digit`` writes number words as digits, and each number of
    its output is one found number (no kind, unit or bounds). Its offsets are of the rewritten
    text, so a number matches a gold quantity of the sentence by value alone."""
    try:
        from text_to_num import alpha2digit
    except ImportError:
        return None

    def read(text: str) -> list[Found]:
        written = alpha2digit(text, "en")
        return [
            Found(0, len(text), None, None, float(m[0].replace(",", "")), text=m[0], placed=False)
            for m in _DIGITS.finditer(written)
        ]

    return read


def news_report(nlp: Language, misses: bool) -> list[str]:
    """Lines of figures on the news set: ours at every level, the libraries at theirs."""
    items = load_news()
    lines = [f"news quantities: {len(items)} sentences, {sum(len(i.gold) for i in items)} gold"]
    systems: list[tuple[str, Callable[[str], list[Found]] | None, list[str]]] = [
        ("claimtrace", ours(nlp), ["number", "unit", "value", "full"]),
        ("quantulum3", quantulum(), ["number", "unit"]),
        ("text2num", text2num(), ["number"]),
    ]
    for name, system, levels in systems:
        if system is None:
            lines.append(f"  {name}: not installed (pip install -e '.[bench]')")
            continue
        scores = score_news(items, system, name, levels)
        for split in ("tune", "held-out", "all"):
            for level in levels:
                prf = scores[split][level]
                lines.append(f"  [{split}] {prf.line()}")
                if misses and name == "claimtrace" and split == "tune" and level == "full":
                    lines.extend(f"      miss: {m}" for m in prf.misses)
    return lines


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
    news = news_report(nlp, args.misses) if POLNEAR.is_dir() else []
    if args.json:
        result = {"scores": [s.as_dict() for s in scores], "speed": speed, "news": news}
        print(json.dumps(result, indent=2))
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
    for line in news:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
