"""Attribution accuracy and speed of ``extract`` on PolNeAR (brat standoff: Source/Cue/Content).

    python -m bench.attribution [--split dev] [--model PATH] [--limit N] [--json]

A predicted attribution is a claim with a cue. Each is matched one-to-one (greedily, largest
overlap first) to the gold attribution whose cue overlaps it most. For cue, source and content:

- exact P/R/F1: a matched role counts when its character set equals the gold one's (each
  fragment's edges trimmed of spaces and punctuation); P over predicted roles, R over gold roles;
- overlap P/R/F1: characters shared by matched roles, over all predicted (P) or gold (R)
  characters of that role; unmatched attributions count as zero.

Also: the share of gold attributions without a source that come out ``unnamed``, words/s of the
whole ``extract``, and parse-only vs parse+attribution speed. Gold offsets are carried over the
ingest's repairs onto the repaired text; files that fail to ingest are skipped and listed.
"""

from __future__ import annotations

import argparse
import json
import string
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from bench import SHARED
from claimtrace import Extraction, Extractor, Settings
from claimtrace.ingest import RawInput, build_document, repaired_offset
from claimtrace.stages import attribution, certainty, sentences
from claimtrace.stages.context import StageContext

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = SHARED / "data" / "attribution" / "polnear"
ROLES = ("cue", "source", "content")
_STRIP = string.punctuation + string.whitespace + "“”‘’–—―…\xa0"


@dataclass
class Attribution:
    """One attribution: a character set per role (empty when the role is absent)."""

    roles: dict[str, frozenset[int]]
    unnamed: bool = False
    matched: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _chars(fragments: list[tuple[int, int]], text: str) -> frozenset[int]:
    """Characters of the fragments, edges trimmed; a cue that is only punctuation (":", "―")
    keeps its characters, or no attribution with such a cue could ever be matched."""
    chars: set[int] = set()
    for start, end in fragments:
        first, last = start, end
        while first < last and text[first] in _STRIP:
            first += 1
        while last > first and text[last - 1] in _STRIP:
            last -= 1
        chars.update(range(first, last) if last > first else range(start, end))
    return frozenset(chars)


def read_gold(
    ann: Path, text: str, carry: Callable[[int], int] = lambda offset: offset
) -> list[Attribution]:
    """The attributions of one ``.ann`` file; ``carry`` maps file offsets onto ``text``."""
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        if line.startswith("T") and line.count("\t") >= 2:  # not a span text's later lines
            tid, info, _ = line.split("\t", 2)
            offsets = info.split(" ", 1)[1]
            spans[tid] = [
                (carry(int(a)), carry(int(b)))
                for a, b in (part.split() for part in offsets.split(";"))
            ]
        elif line.startswith("E") and "\t" in line:
            args = line.split("\t")[1].split()
            events.append([tuple(arg.split(":", 1)) for arg in args])  # type: ignore[misc]
    gold = []
    for args in events:
        roles: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLES}
        for name, tid in args:
            role = name.lower()
            if role in roles and tid in spans:
                roles[role].extend(spans[tid])
        gold.append(
            Attribution(
                roles={role: _chars(frags, text) for role, frags in roles.items()},
                unnamed=not roles["source"],
            )
        )
    return gold


def predicted(extraction: Extraction, nested: bool = False) -> list[Attribution]:
    """The claims with a cue, as character sets; without ``nested``, top-level ones only.

    PolNeAR is univocal (a token belongs to at most one attribution), so an attribution reported
    inside another's content is never in its gold standard.
    """
    text = extraction.document.text
    out = []
    for claim in extraction.claims:
        if claim.cue is None or (claim.parent is not None and not nested):
            continue
        roles = {
            "cue": [(claim.cue.start, claim.cue.end)],
            "source": [(claim.source.start, claim.source.end)] if claim.source else [],
            "content": [(s.start, s.end) for s in claim.content],
        }
        out.append(
            Attribution(
                roles={role: _chars(frags, text) for role, frags in roles.items()},
                extra={"kind": claim.source_kind},
            )
        )
    return out


def match(gold: list[Attribution], pred: list[Attribution]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), largest cue overlap first."""
    candidates = []
    for g, gold_item in enumerate(gold):
        for p, pred_item in enumerate(pred):
            overlap = len(gold_item.roles["cue"] & pred_item.roles["cue"])
            if overlap:
                candidates.append((-overlap, g, p))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, g, p in candidates:
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            pairs.append((g, p))
    return pairs


def _prf(tp: float, n_pred: float, n_gold: float) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def _stage_cost(extractor: Extractor, texts: list[str]) -> tuple[float, float]:
    """Seconds to parse ``texts`` (``nlp.pipe``) and to run attribution + certainty on them."""
    documents = [build_document(RawInput("bench", text, "text")) for text in texts]
    start = time.perf_counter()
    docs = list(extractor.nlp.pipe(document.text for document in documents))
    parse_seconds = time.perf_counter() - start
    contexts = []
    for document, doc in zip(documents, docs, strict=True):
        ctx = StageContext(document=document)
        contexts.append(StageContext(document=document, found=sentences.run(doc, ctx)))
    start = time.perf_counter()
    for doc, ctx in zip(docs, contexts, strict=True):
        found = attribution.run(doc, ctx)
        certainty.run(doc, StageContext(document=ctx.document, found=found))
    return parse_seconds, time.perf_counter() - start


def evaluate(
    split: str = "dev",
    model: str | None = None,
    limit: int | None = None,
    nested: bool = False,
    timing: bool = True,
) -> dict[str, Any]:
    """Scores and speed on one PolNeAR split, as a plain dict."""
    folder = POLNEAR / split
    texts = sorted((folder / "text").glob("*.txt"))[:limit]
    anns = {p.stem.rsplit("_", 1)[0]: p for p in (folder / "attributions").glob("*.ann")}
    raw = {p.stem: p.read_text(encoding="utf-8") for p in texts if p.stem in anns}
    names = sorted(raw)
    inputs = [RawInput(name, raw[name], "text") for name in names]
    words = sum(len(raw[name].split()) for name in names)

    full = Extractor(Settings(model=model))
    if timing:
        list(full.extract_inputs(inputs[:4]))  # warm up
    start = time.perf_counter()
    results = list(full.extract_inputs(inputs))
    full_seconds = time.perf_counter() - start
    parse_seconds, stage_seconds = (
        _stage_cost(full, [raw[name] for name in names]) if timing else (1.0, 0.0)
    )

    counts = {role: {"tp": 0, "pred": 0, "gold": 0} for role in ROLES}
    chars = {role: {"overlap": 0, "pred": 0, "gold": 0} for role in ROLES}
    skipped: list[str] = []
    no_source = no_source_unnamed = nested_count = 0
    for name, result in zip(names, results, strict=True):
        if not isinstance(result, Extraction):
            skipped.append(name)
            continue
        # Gold offsets index the file; carry them over the ingest's repairs (ftfy, debris).
        repairs = result.document.repairs
        gold = read_gold(anns[name], result.document.text, partial(repaired_offset, repairs))
        pred = predicted(result, nested)
        nested_count += sum(1 for c in result.claims if c.cue and c.parent)
        pairs = match(gold, pred)
        for role in ROLES:
            counts[role]["pred"] += sum(1 for a in pred if a.roles[role])
            counts[role]["gold"] += sum(1 for a in gold if a.roles[role])
            chars[role]["pred"] += sum(len(a.roles[role]) for a in pred)
            chars[role]["gold"] += sum(len(a.roles[role]) for a in gold)
        for g, p in pairs:
            for role in ROLES:
                gold_role, pred_role = gold[g].roles[role], pred[p].roles[role]
                if gold_role and gold_role == pred_role:
                    counts[role]["tp"] += 1
                chars[role]["overlap"] += len(gold_role & pred_role)
        matched = dict(pairs)
        for g, item in enumerate(gold):
            if item.unnamed:
                no_source += 1
                if g in matched and pred[matched[g]].extra["kind"] == "unnamed":
                    no_source_unnamed += 1
    return {
        "split": split,
        "model": full.model,
        "documents": len(names) - len(skipped),
        "skipped": skipped,
        "attributions": {
            "gold": counts["cue"]["gold"],
            "predicted": counts["cue"]["pred"],
            "nested": nested_count,
        },
        "exact": {r: _prf(c["tp"], c["pred"], c["gold"]) for r, c in counts.items()},
        "overlap": {r: _prf(c["overlap"], c["pred"], c["gold"]) for r, c in chars.items()},
        "no_source_unnamed": round(no_source_unnamed / no_source, 4) if no_source else 0.0,
        "words": words,
        "words_per_s": round(words / full_seconds),
        "parse_only_words_per_s": round(words / parse_seconds),
        "parse_and_attribution_words_per_s": round(words / (parse_seconds + stage_seconds)),
        "attribution_overhead": round(stage_seconds / parse_seconds, 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: embedded)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--nested", action="store_true", help="score nested attributions too")
    args = parser.parse_args(argv)
    if not (POLNEAR / args.split / "text").is_dir():
        print(f"bench.attribution: no PolNeAR split at {POLNEAR / args.split}", file=sys.stderr)
        return 2
    scores = evaluate(args.split, args.model, args.limit, args.nested)
    if args.json:
        print(json.dumps(scores, indent=2))
        return 0
    print(f"PolNeAR {scores['split']}: {scores['documents']} documents, model {scores['model']}")
    print(
        f"attributions: {scores['attributions']['gold']} gold, "
        f"{scores['attributions']['predicted']} predicted "
        f"({scores['attributions']['nested']} nested ones "
        f"{'included' if args.nested else 'left out: PolNeAR is univocal'})"
    )
    if scores["skipped"]:
        print(f"skipped (failed to ingest): {', '.join(scores['skipped'])}")
    print(f"{'role':8} {'exact P':>8} {'R':>6} {'F1':>6}   {'overlap P':>9} {'R':>6} {'F1':>6}")
    for role in ROLES:
        e, o = scores["exact"][role], scores["overlap"][role]
        print(
            f"{role:8} {e['p']:8.3f} {e['r']:6.3f} {e['f1']:6.3f}   "
            f"{o['p']:9.3f} {o['r']:6.3f} {o['f1']:6.3f}"
        )
    print(
        f"gold attributions without a source that come out unnamed: "
        f"{scores['no_source_unnamed']:.3f}"
    )
    print(
        f"speed: {scores['words_per_s']} words/s whole extract; parse only "
        f"{scores['parse_only_words_per_s']} words/s, parse + attribution + certainty "
        f"{scores['parse_and_attribution_words_per_s']} words/s "
        f"(+{100 * scores['attribution_overhead']:.1f}% over parsing)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
