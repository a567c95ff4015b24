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
        "--out", type=Path, default=OUT_DEFAULT, help="output folder (default training/output)"
    )
    a = ap.parse_args(argv)
    OUT = a.out.resolve()

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
            [py, str(HERE / "convert.py"), "--data", str(a.data), "--out", str(OUT / "corpus")], env
        )
    t1 = time.time()
    jobs = [("config.cfg", "train", "train.log")]
    if a.separate_ner:
        jobs.append(("config_ner.cfg", "train_ner", "train_ner.log"))
    for cfg, out, log in jobs:
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
            str(OUT / "corpus" / "train"),
            "--paths.dev",
            str(OUT / "corpus" / "dev"),
        ]
        if a.max_steps:
            cmd += ["--training.max_steps", str(a.max_steps)]
        run(cmd, env, log=OUT / log)
    t2 = time.time()
    fin = [
        py,
        str(HERE / "finalize.py"),
        "--src",
        str(OUT / "train" / "model-best"),
        "--dst",
        str(OUT / "model-best"),
    ]
    if a.separate_ner:
        fin += ["--ner", str(OUT / "train_ner" / "model-best")]
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
                    str(OUT / "model-best"),
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
