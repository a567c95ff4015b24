"""Build the claimtrace English pipeline end to end (one command).

From the repository root::

    python training/train.py            # convert -> train -> finalize -> benchmark

Steps:

1. ``training/convert.py``: UD EWT / GUM CoNLL-U + UNER IOB2 -> ``training/output/corpus/*.spacy``
2. ``python -m spacy train training/config.cfg --code training/functions.py``
   -> ``training/output/train/model-{best,last}`` (tokenizer, tok2vec, tagger,
   morphologizer, lemmatizer, parser, ner)
3. only with ``--separate-ner``: ``python -m spacy train training/config_ner.cfg``
   -> ``training/output/train_ner/model-best`` (NER with its own, wider tok2vec)
4. ``training/finalize.py``: meta.json (name, licence, data credits), clean
   config (and the separate NER if trained) -> ``training/output/model-best``
5. ``python -m bench.model --model training/output/model-best --json``
   -> ``training/output/bench.json`` (skip with ``--no-bench``)

Training is single-threaded (OMP/BLAS threads set to 1); on one CPU core of a
2-core machine it takes about 40 minutes.  Options: ``--data`` (default
``../shared/data``), ``--max-steps`` (default from config.cfg), ``--no-bench``,
``--skip-convert``, ``--separate-ner``.

NER-only options (see training/README.md, "Improving the NER"):

* ``--augment N``: convert.py also writes ``corpus/train_ner`` (train docs plus N
  mention-replaced, NER-only copies); NER-only trainings read it.
* ``--ner-head {head,hybrid}``: after the main pipeline, train a new NER on its
  *frozen* tok2vec (``config_ner_head.cfg``: listener only; ``config_ner_hybrid.cfg``:
  listener + a small NER-only tok2vec) and finalize that pipeline instead.
* ``--small-ner``: like ``--separate-ner`` but with ``config_ner_small.cfg`` (own
  tok2vec of width 64, depth 3: about 7% slower pipeline instead of 2x).
* ``--base PATH``: skip training config.cfg and take tok2vec, tagger, morphologizer,
  lemmatizer and parser unchanged from the pipeline at PATH (e.g. the shipped
  ``src/claimtrace/nlp/model``), so parse scores cannot move.
* ``--dst PATH``: where the finished pipeline goes (default ``<out>/model-best``).

Best NER candidate so far (see the README's runs table)::

    python training/train.py --base src/claimtrace/nlp/model --small-ner --augment 1 \\
        --out training/output/ner_build --dst training/output/candidate
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT_DEFAULT = HERE / "output"


def run(cmd: list[str], env: dict[str, str], log: Path | None = None) -> None:
    """Run ``cmd`` from the repository root (tee'd to ``log`` if given); fail loudly."""
    print("+", " ".join(cmd), flush=True)
    if log is None:
        subprocess.run(cmd, check=True, cwd=ROOT, env=env)
        return
    with log.open("w", encoding="utf8") as fh:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            fh.write(line)
            fh.flush()
        if proc.wait() != 0:
            raise SystemExit(f"command failed: {' '.join(cmd)}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description="Build the claimtrace English spaCy pipeline.")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--max-steps", type=int, default=None)
    ap.add_argument("--skip-convert", action="store_true")
    ap.add_argument("--no-bench", action="store_true")
    ap.add_argument(
        "--separate-ner",
        action="store_true",
        help="also train config_ner.cfg and use that NER (more accurate, ~2x slower pipeline)",
    )
    ap.add_argument(
        "--small-ner",
        action="store_true",
        help="also train config_ner_small.cfg (own narrow tok2vec) and use that NER",
    )
    ap.add_argument(
        "--out", type=Path, default=OUT_DEFAULT, help="output folder (default training/output)"
    )
    ap.add_argument(
        "--augment",
        type=int,
        default=0,
        help="N mention-replaced NER-only copies of the train docs for NER-only trainings",
    )
    ap.add_argument(
        "--ner-head",
        choices=("head", "hybrid"),
        default=None,
        help="train a new NER on the frozen tok2vec of the main pipeline (config_ner_<kind>.cfg)",
    )
    ap.add_argument(
        "--base",
        type=Path,
        default=None,
        help="already trained main pipeline to build on (skips config.cfg training)",
    )
    ap.add_argument(
        "--dst", type=Path, default=None, help="finished pipeline (default <out>/model-best)"
    )
    a = ap.parse_args(argv)
    OUT = a.out.resolve()
    DST = (a.dst or OUT / "model-best").resolve()
    if sum((a.separate_ner, a.small_ner, a.ner_head is not None)) > 1:
        ap.error("choose one of --separate-ner, --small-ner, --ner-head")
    if a.base is not None and not (a.separate_ner or a.small_ner or a.ner_head):
        ap.error("--base needs an NER option (--small-ner, --separate-ner or --ner-head)")

    env = dict(
        os.environ,
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYTHONHASHSEED="0",
    )
    py = sys.executable
    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    if not a.skip_convert:
        run(
            [
                py,
                str(HERE / "convert.py"),
                "--data",
                str(a.data),
                "--out",
                str(OUT / "corpus"),
                "--augment",
                str(a.augment),
            ],
            env,
        )
    t1 = time.time()
    ner_train = OUT / "corpus" / ("train_ner" if a.augment > 0 else "train")
    base = a.base.resolve() if a.base is not None else OUT / "train" / "model-best"
    # (config, output folder, log, train corpus, extra overrides)
    jobs: list[tuple[str, str, str, Path, list[str]]] = []
    if a.base is None:
        jobs.append(("config.cfg", "train", "train.log", OUT / "corpus" / "train", []))
    if a.separate_ner or a.small_ner:
        cfg = "config_ner_small.cfg" if a.small_ner else "config_ner.cfg"
        jobs.append((cfg, "train_ner", "train_ner.log", ner_train, []))
    if a.ner_head:
        jobs.append(
            (
                f"config_ner_{a.ner_head}.cfg",
                f"train_ner_{a.ner_head}",
                f"train_ner_{a.ner_head}.log",
                ner_train,
                ["--paths.base", str(base)],
            )
        )
    for cfg, out, log, train_corpus, extra in jobs:
        cmd = [
            py,
            "-m",
            "spacy",
            "train",
            str(HERE / cfg),
            "--code",
            str(HERE / "functions.py"),
            "--output",
            str(OUT / out),
            "--paths.train",
            str(train_corpus),
            "--paths.dev",
            str(OUT / "corpus" / "dev"),
            *extra,
        ]
        if a.max_steps:
            cmd += ["--training.max_steps", str(a.max_steps)]
        run(cmd, env, log=OUT / log)
    t2 = time.time()
    src = OUT / f"train_ner_{a.ner_head}" / "model-best" if a.ner_head else base
    fin = [py, str(HERE / "finalize.py"), "--src", str(src), "--dst", str(DST)]
    if a.separate_ner or a.small_ner:
        fin += ["--ner", str(OUT / "train_ner" / "model-best")]
    if a.augment > 0:
        fin += ["--geonames"]  # the augmentation drew place names from GeoNames
    run(fin, env)
    print(
        f"training wall time: {(t2 - t1) / 60:.1f} min"
        f" (total so far {(time.time() - t0) / 60:.1f} min)"
    )
    if not a.no_bench:
        with (OUT / "bench.json").open("w", encoding="utf8") as fh:
            subprocess.run(
                [
                    py,
                    "-m",
                    "bench.model",
                    "--model",
                    str(DST),
                    "--data",
                    str(a.data),
                    "--json",
                ],
                check=True,
                cwd=ROOT,
                env=env,
                stdout=fh,
            )
        run(
            [
                py,
                "-c",
                "import json,bench.model as m;"
                f"print(m.format_report(json.load(open({str(OUT / 'bench.json')!r}))))",
            ],
            env,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
