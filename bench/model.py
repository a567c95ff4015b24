"""Benchmark the embedded English spaCy pipeline on the local dev splits.

Run from the repository root::

    python -m bench.model [--model PATH] [--data PATH] [--json]

Reports, on UD English EWT dev and UD English GUM dev (gold tokenisation):
UPOS / XPOS / morph accuracy, UAS, LAS, lemma accuracy and sentence-boundary
P/R/F1 (paragraph breaks known, other boundaries predicted; UAS/LAS/sentence F1 also
with no paragraph breaks and with gold sentences, see :func:`score_treebank`);
NER precision/recall/F1 per type on Universal NER EWT dev (UNER
``PER``/``ORG``/``LOC``; the model's ``PERSON``/``ORG``/``GPE``+``LOC`` are
mapped onto them) and on GUM dev (entities derived exactly as for training);
``nlp.pipe`` speed (words/s, one process) and peak memory; and whether the
news names in ``../shared/examples/women-prisoners-front-line.txt`` are found.

Import :func:`evaluate` for tests: it returns a plain ``dict``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from bench import SHARED

ROOT = Path(__file__).resolve().parents[1]
#: default pipeline: the copy shipped in the package (training/output/model-best is the fresh build)
MODEL_PATH = ROOT / "src" / "claimtrace" / "nlp" / "model"
#: shared data folder (read in place)
DATA_DIR = SHARED / "data"
EXAMPLE_TEXT = SHARED / "examples" / "women-prisoners-front-line.txt"

#: names the pipeline must find as (parts of) entities in the example article
EXAMPLE_NAMES = (
    "Vladimir Putin",
    "Yevgeny Prigozhin",
    "Wagner",
    "Ukrainian",
    "Snezhnoye",
    "Donetsk",
    "Kuschevka",
    "Krasnodar",
    "Sverdlovsk",
    "Olga Romanova",
    "Vyacheslav Wegner",
)

#: treebank scores in report order (UPOS, XPOS, morph, lemma, UAS, LAS, sentence F1)
REPORTED_SCORES = ("pos_acc", "tag_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "sents_f")

#: model label -> UNER label used when scoring on UNER EWT dev
UNER_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}


def _convert_module() -> ModuleType:
    """Load training/convert.py (the single source of the corpus mapping)."""
    path = ROOT / "training" / "convert.py"
    spec = importlib.util.spec_from_file_location("claimtrace_training_convert", path)
    assert spec
    assert spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def load_gold(nlp: Any, data_dir: Path = DATA_DIR) -> dict[str, list[Any]]:
    """Gold dev documents (one spaCy ``Doc`` per source document)."""
    conv = _convert_module()
    place_names: set[str] = set()
    gum = conv.read_conllu(data_dir / "treebanks" / "en_gum-ud-dev.conllu")
    for s in gum:
        conv.add_gum_entities(s)
        place_names.update(
            " ".join(s.words[a:b]) for a, b, label in s.ents if label in ("GPE", "LOC")
        )
    conv.gum_country_fix(gum, place_names)
    ewt = conv.read_conllu(data_dir / "treebanks" / "en_ewt-ud-dev.conllu")
    conv.add_uner(ewt, conv.read_iob2(data_dir / "ner" / "uner-en_ewt-dev.iob2"))
    return {
        "ewt": conv.sents_to_docs(nlp, ewt, 10**6),
        "gum": conv.sents_to_docs(nlp, gum, 10**6),
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 (as percentages) plus support from raw counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "p": round(100 * p, 2),
        "r": round(100 * r, 2),
        "f": round(100 * f, 2),
        "support": tp + fn,
    }


def ner_scores(
    pairs: Iterable[tuple[Any, Any]], label_map: dict[str, str] | None, labels: Iterable[str]
) -> dict[str, dict[str, float]]:
    """Exact-span NER P/R/F1 per type and micro-averaged ("ALL").

    ``pairs`` are (predicted doc, gold doc) on the same tokens.  ``label_map``
    maps both predicted and gold labels before comparison (labels mapped to
    nothing are ignored); gold tokens with missing NER annotation are skipped.
    """
    labels = list(labels)
    counts = {label: [0, 0, 0] for label in labels}

    def spans(doc: Any, known: list[bool]) -> set[tuple[int, int, str]]:
        out = set()
        for e in doc.ents:
            lab = label_map.get(e.label_) if label_map is not None else e.label_
            if lab in counts and all(known[i] for i in range(e.start, e.end)):
                out.add((e.start, e.end, lab))
        return out

    for pred, gold in pairs:
        known = [t.ent_iob != 0 for t in gold]
        g = spans(gold, known)
        p = spans(pred, known)
        for s in p & g:
            counts[s[2]][0] += 1
        for s in p - g:
            counts[s[2]][1] += 1
        for s in g - p:
            counts[s[2]][2] += 1
    res = {label: _prf(*c) for label, c in counts.items()}
    res["ALL"] = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return res


def _round(d: dict[str, Any]) -> dict[str, Any]:
    """Turn float fractions into percentages rounded to 2 decimals."""
    return {k: (round(100 * v, 2) if isinstance(v, float) else v) for k, v in d.items()}


def score_treebank(nlp: Any, gold_docs: list[Any]) -> tuple[dict[str, Any], list[Any]]:
    """Tag/parse/lemma/sentence scores on gold tokenisation; returns (scores, predicted docs).

    Whole documents go through the pipeline, in three settings:

    * main figures: the treebank's paragraph breaks (``# newpar``) are known — a paragraph
      starts a sentence, as claimtrace's paragraph component presets it for news text and as
      UD's raw text gives it — and every other sentence boundary is predicted with the parse;
    * ``*_no_paragraphs``: no paragraph breaks either (one run of text per document);
    * ``dep_uas_gold_sents`` / ``dep_las_gold_sents``: the gold sentence boundaries are given
      to the parser (the usual setting for UD parsing scores).
    """
    from spacy.scorer import Scorer
    from spacy.tokens import Doc
    from spacy.training import Example

    def make(g: Any, setting: str) -> Doc:
        words = [t.text for t in g]
        spaces = [bool(t.whitespace_) for t in g]
        starts: list[bool | None] | None = None
        if setting == "gold":
            starts = [bool(t.is_sent_start) for t in g]
        elif setting == "paragraphs":
            paragraphs = set(g.user_data.get("paragraph_starts", ()))
            starts = [True if t.i in paragraphs else None for t in g]
        return Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=starts)

    def score(setting: str) -> tuple[dict[str, Any], list[Any]]:
        docs = list(nlp.pipe((make(g, setting) for g in gold_docs), batch_size=64))
        examples = [Example(d, g) for d, g in zip(docs, gold_docs, strict=True)]
        return Scorer(nlp).score(examples), docs

    scores, docs = score("paragraphs")
    keep = (*REPORTED_SCORES, "sents_p", "sents_r")
    out = _round({k: scores.get(k) for k in keep if scores.get(k) is not None})
    plain, _ = score("none")
    for key in ("dep_uas", "dep_las", "sents_f"):
        out[f"{key}_no_paragraphs"] = round(100 * plain[key], 2)
    gold, _ = score("gold")
    out["dep_uas_gold_sents"] = round(100 * gold["dep_uas"], 2)
    out["dep_las_gold_sents"] = round(100 * gold["dep_las"], 2)
    return out, docs


def speed(nlp: Any, texts: list[str], batch_size: int = 256) -> dict[str, float]:
    """Words/s of ``nlp.pipe`` in one process (second of two passes)."""
    result: dict[str, float] = {}
    for _ in range(2):
        start = time.perf_counter()
        n = sum(len(d) for d in nlp.pipe(texts, batch_size=batch_size))
        secs = time.perf_counter() - start
        result = {"words": n, "seconds": round(secs, 2), "words_per_s": round(n / secs)}
    return result


def check_example(nlp: Any, path: Path = EXAMPLE_TEXT) -> dict[str, Any]:
    """Entities found in the example article (``Â`` debris stripped first)."""
    text = path.read_text(encoding="utf8").replace("\u00c2", "")
    doc = nlp(text)
    ents = [(e.text, e.label_) for e in doc.ents]
    found: dict[str, list[str]] = {}
    for name in EXAMPLE_NAMES:
        labs = sorted({label for t, label in ents if name in t})
        found[name] = labs
    missing = [n for n, labs in found.items() if not labs]
    return {"entities": ents, "names": found, "missing": missing}


def evaluate(
    model_path: Path | str = MODEL_PATH,
    data_dir: Path | str = DATA_DIR,
    with_speed: bool = True,
    with_example: bool = True,
) -> dict[str, Any]:
    """Score the pipeline at ``model_path`` on the dev splits; returns a dict."""
    import spacy

    data_dir = Path(data_dir)
    t0 = time.perf_counter()
    nlp = spacy.load(model_path)
    res: dict[str, Any] = {
        "model": str(model_path),
        "pipeline": nlp.pipe_names,
        "meta": {k: nlp.meta.get(k) for k in ("name", "version")},
    }
    gold = load_gold(nlp, data_dir)
    pred: dict[str, list] = {}
    for name, docs in gold.items():
        res[name], pred[name] = score_treebank(nlp, docs)
    res["ner_uner_ewt"] = ner_scores(
        zip(pred["ewt"], gold["ewt"], strict=True), UNER_MAP, ["PER", "ORG", "LOC"]
    )
    gum_labels = ["PERSON", "ORG", "GPE", "LOC", "NORP"]
    res["ner_gum"] = ner_scores(zip(pred["gum"], gold["gum"], strict=True), None, gum_labels)
    res["ner_gum_collapsed"] = ner_scores(
        zip(pred["gum"], gold["gum"], strict=True), UNER_MAP, ["PER", "ORG", "LOC"]
    )
    if with_speed:
        texts = [d.text for docs in gold.values() for d in docs]
        # split long documents into paragraphs of ~10 sentences
        texts = [
            " ".join(s.text for s in list(d.sents)[i : i + 10])
            for docs in gold.values()
            for d in docs
            for i in range(0, len(list(d.sents)), 10)
        ]
        res["speed"] = speed(nlp, texts)
    if with_example and EXAMPLE_TEXT.exists():
        res["example"] = check_example(nlp)
    res["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    res["eval_seconds"] = round(time.perf_counter() - t0, 1)
    return res


def format_report(res: dict[str, Any]) -> str:
    """Render an :func:`evaluate` result as a plain-text report."""
    lines = [f"model: {res['model']}  {res['meta']}", f"pipeline: {res['pipeline']}", ""]
    lines.append(
        f"{'split':6} {'UPOS':>6} {'XPOS':>6} {'morph':>6} {'lemma':>6}"
        f" {'UAS':>6} {'LAS':>6} {'sentF':>6}"
        f" | {'UAS°':>6} {'LAS°':>6} {'sentF°':>6} | {'UAS*':>6} {'LAS*':>6}"
    )
    for name in ("ewt", "gum"):
        s = res[name]
        lines.append(
            f"{name:6} "
            + " ".join(f"{s.get(k, float('nan')):6.2f}" for k in REPORTED_SCORES)
            + " | "
            + " ".join(
                f"{s.get(k, float('nan')):6.2f}"
                for k in ("dep_uas_no_paragraphs", "dep_las_no_paragraphs", "sents_f_no_paragraphs")
            )
            + " | "
            + " ".join(
                f"{s.get(k, float('nan')):6.2f}"
                for k in ("dep_uas_gold_sents", "dep_las_gold_sents")
            )
        )
    lines.append(
        "sentence boundaries: main = paragraph breaks known, the rest predicted;"
        " ° = none known; * = gold"
    )
    for key, title in (
        ("ner_uner_ewt", "NER UNER-EWT dev"),
        ("ner_gum", "NER GUM dev"),
        ("ner_gum_collapsed", "NER GUM dev (UNER types)"),
    ):
        lines += ["", f"{title}: {'type':7} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}"]
        for lab, s in res[key].items():
            lines.append(
                f"{'':{len(title) + 2}}{lab:7}"
                f" {s['p']:6.2f} {s['r']:6.2f} {s['f']:6.2f} {s['support']:5d}"
            )
    if "speed" in res:
        sp = res["speed"]
        lines += [
            "",
            f"speed: {sp['words_per_s']} words/s"
            f" ({sp['words']} words in {sp['seconds']} s, nlp.pipe, 1 process)",
        ]
    lines.append(f"peak memory (maxrss): {res['peak_rss_mb']} MB")
    if "example" in res:
        ex = res["example"]
        lines += [
            "",
            "example article entities: " + "; ".join(f"{t}/{label}" for t, label in ex["entities"]),
        ]
        lines.append("required names missing: " + (", ".join(ex["missing"]) or "none"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: print the benchmark report (or JSON)."""
    ap = argparse.ArgumentParser(description="Benchmark the claimtrace spaCy pipeline on dev data.")
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--data", type=Path, default=DATA_DIR)
    ap.add_argument("--json", action="store_true", help="print the result dict as JSON")
    ap.add_argument("--no-speed", action="store_true")
    a = ap.parse_args(argv)
    if not (a.data / "treebanks").is_dir():
        print(f"data folder not found: {a.data}", file=sys.stderr)
        return 2
    res = evaluate(a.model, a.data, with_speed=not a.no_speed)
    print(json.dumps(res, indent=1, ensure_ascii=False) if a.json else format_report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
