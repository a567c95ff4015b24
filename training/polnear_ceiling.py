"""How far a cue tagger *trained on PolNeAR* gets on PolNeAR dev — a measurement, never shipped.

    python training/polnear_ceiling.py [--max-steps 4000] [--out training/output/polnear_ceiling]

PolNeAR has no licence for training a model we ship (``../shared/data/README.md``), so the
weights written here stay under ``training/output/`` (git-ignored) and nothing in the package
reads them.  The point is a reference figure for issue 4's cue floor: what a supervised span
tagger learns from PolNeAR's 840 train articles, using only what this project may use (no
pretrained vectors or encoders), against what the shipped rules reach.

Steps:

1. PolNeAR train/dev -> spaCy DocBins whose entities are the cue fragments (label ``CUE``),
   tokenised by the shipped pipeline's tokenizer;
2. ``spacy train`` a pipeline that sources the shipped tok2vec, tagger and parser (frozen,
   annotating) and trains an ``ner`` with its own tok2vec over NORM/PREFIX/SUFFIX/SHAPE plus
   the tagger's TAG and the parser's DEP;
3. print character-level cue P/R/F1 on dev for the tagger and, the same way, for the shipped
   rules (top-level claims with a cue), and for the union of the two — the measure behind
   ``bench.attribution``'s overlap F1 without its one-to-one matching.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin, Span
from spacy.util import filter_spans

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.attribution import POLNEAR, _chars, read_gold  # noqa: E402

MODEL = ROOT / "src" / "claimtrace" / "nlp" / "model"

CONFIG = """
[paths]
train = null
dev = null
model = null

[system]
gpu_allocator = null
seed = 0

[nlp]
lang = "en"
pipeline = ["tok2vec","tagger","parser","ner"]
batch_size = 64

[components]

[components.tok2vec]
source = ${paths.model}

[components.tagger]
source = ${paths.model}

[components.parser]
source = ${paths.model}

[components.ner]
factory = "ner"
moves = null
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.ner.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 96
attrs = ["NORM","PREFIX","SUFFIX","SHAPE","TAG","DEP"]
rows = [5000,1000,2500,1000,200,200]
include_static_vectors = false

[components.ner.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${system.seed}
dropout = 0.2
patience = 3000
max_epochs = 0
max_steps = 4000
eval_frequency = 500
frozen_components = ["tok2vec","tagger","parser"]
annotating_components = ["tok2vec","tagger","parser"]

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 300
stop = 3000
compound = 1.001

[training.optimizer]
@optimizers = "Adam.v1"
learn_rate = 0.001

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0

[initialize]
"""


def _sentences_with_cues(split: str, nlp: spacy.Language) -> DocBin:
    """Sentence-sized docs (the shipped parser's sentences) with cue fragments as entities."""
    folder = POLNEAR / split
    anns = {p.stem.rsplit("_", 1)[0]: p for p in (folder / "attributions").glob("*.ann")}
    out = DocBin(store_user_data=False)
    for path in sorted((folder / "text").glob("*.txt")):
        if path.stem not in anns:
            continue
        text = path.read_text(encoding="utf-8")
        # parsed, so cue fragments can be cut where the (frozen, annotating) parser will put
        # a sentence start: spaCy's NER cannot continue an entity over one
        doc = nlp(text)
        spans = []
        for gold in read_gold(anns[path.stem], text):
            chars = sorted(gold.roles["cue"])
            # split the character set back into contiguous fragments
            start = prev = None
            for c in [*chars, -2]:
                if start is None:
                    start = prev = c
                elif c != prev + 1:
                    span = doc.char_span(start, prev + 1, label="CUE", alignment_mode="expand")
                    while span is not None and len(span) and span[0].is_space:
                        span = span[1:]
                    while span is not None and len(span) and span[-1].is_space:
                        span = span[:-1]
                    if span is not None and len(span) and not any(t.is_space for t in span):
                        cut = [i for i in range(span.start + 1, span.end) if doc[i].is_sent_start]
                        for a, b in zip([span.start, *cut], [*cut, span.end], strict=True):
                            spans.append(Span(doc, a, b, label="CUE"))
                    start = prev = c
                else:
                    prev = c
        doc.ents = filter_spans(spans)
        out.add(doc)
    return out


def _char_prf(pred: list[frozenset[int]], gold: list[frozenset[int]]) -> tuple[float, float, float]:
    p_chars = frozenset().union(*pred) if pred else frozenset()
    g_chars = frozenset().union(*gold) if gold else frozenset()
    tp = len(p_chars & g_chars)
    p = tp / len(p_chars) if p_chars else 0.0
    r = tp / len(g_chars) if g_chars else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(model_dir: Path) -> None:
    """Character-level cue P/R/F1 on dev: the trained tagger and the shipped rules."""
    from claimtrace import Extraction, Extractor, Settings
    from claimtrace.ingest import RawInput

    tagger = spacy.load(model_dir)
    rules = Extractor(Settings())
    folder = POLNEAR / "dev"
    anns = {p.stem.rsplit("_", 1)[0]: p for p in (folder / "attributions").glob("*.ann")}
    totals = {"tagger": [0, 0, 0], "rules": [0, 0, 0], "both": [0, 0, 0]}
    for path in sorted((folder / "text").glob("*.txt")):
        if path.stem not in anns:
            continue
        text = path.read_text(encoding="utf-8")
        gold = frozenset().union(*(g.roles["cue"] for g in read_gold(anns[path.stem], text)))
        tagged = frozenset().union(
            *(_chars([(e.start_char, e.end_char)], text) for e in tagger(text).ents)
        )
        result = next(iter(rules.extract_inputs([RawInput(path.stem, text, "text")])))
        ruled: frozenset[int] = frozenset()
        if isinstance(result, Extraction) and result.document.text == text:
            ruled = frozenset().union(
                *(
                    _chars([(c.cue.start, c.cue.end)], text)
                    for c in result.claims
                    if c.cue is not None and c.parent is None
                )
            )
        for name, pred in (("tagger", tagged), ("rules", ruled), ("both", tagged | ruled)):
            totals[name][0] += len(pred & gold)
            totals[name][1] += len(pred)
            totals[name][2] += len(gold)
    for name, (tp, n_pred, n_gold) in totals.items():
        p, r = tp / n_pred, tp / n_gold
        print(f"cue chars, dev, {name:6}: P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "output" / "polnear_ceiling")
    parser.add_argument("--max-steps", type=int, default=4000)
    parser.add_argument("--eval-only", action="store_true")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    if not args.eval_only:
        nlp = spacy.load(MODEL, disable=["ner", "trainable_lemmatizer", "morphologizer"])
        for split in ("train", "dev"):
            if not (out / f"{split}.spacy").exists():
                _sentences_with_cues(split, nlp).to_disk(out / f"{split}.spacy")
        (out / "base.cfg").write_text(CONFIG.replace("model = null", f'model = "{MODEL}"'))
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "spacy",
                "init",
                "fill-config",
                str(out / "base.cfg"),
                str(out / "config.cfg"),
            ],
            check=True,
            env=env,
            cwd=ROOT,
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "spacy",
                "train",
                str(out / "config.cfg"),
                "--output",
                str(out / "train"),
                "--paths.train",
                str(out / "train.spacy"),
                "--paths.dev",
                str(out / "dev.spacy"),
                "--training.max_steps",
                str(args.max_steps),
            ],
            check=True,
            env=env,
            cwd=ROOT,
        )
    evaluate(out / "train" / "model-best")


if __name__ == "__main__":
    main()
