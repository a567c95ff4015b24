"""Assemble the shippable ``en_claimtrace_core`` pipeline from the trained parts.

Usage::

    python training/finalize.py [--src training/output/train/model-best]
        [--ner training/output/train_ner/model-best] [--dst training/output/model-best]

* loads the main pipeline (``--src``: news tokenizer, tok2vec, tagger,
  morphologizer, lemmatizer, parser, ner); with ``--ner`` its ``ner`` is
  replaced by a stand-alone NER pipeline (own tok2vec, see config_ner.cfg);
* writes ``meta.json``: name, version, licence and the data credits;
* removes the training-only ``[initialize.before_init]`` callback from the
  shipped ``config.cfg`` (its effect -- tokenizer special cases and infix
  rules -- is already serialised in the ``tokenizer`` file), and blanks the
  corpus paths, so loading never needs ``training/functions.py``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from thinc.api import Config

HERE = Path(__file__).resolve().parent

NAME = "claimtrace_core"  # packaged as en_claimtrace_core
VERSION = "0.1.0"
LICENSE = "CC BY-SA 4.0"

SOURCES = [
    {
        "name": "Universal Dependencies English EWT",
        "url": "https://github.com/UniversalDependencies/UD_English-EWT",
        "license": "CC BY-SA 4.0",
        "author": "Silveira et al. / Universal Dependencies contributors",
    },
    {
        "name": "Universal Dependencies English GUM (CC-BY / BY-SA genres only)",
        "url": "https://github.com/UniversalDependencies/UD_English-GUM",
        "license": "CC BY 4.0 (annotations); texts CC BY / CC BY-SA",
        "author": "Amir Zeldes et al. (Georgetown University)",
    },
    {
        "name": "Universal NER English EWT",
        "url": "https://www.universalner.org/",
        "license": "CC BY-SA 4.0",
        "author": "Mayhew et al. / Universal NER contributors",
    },
]

GEONAMES_SOURCE = {
    "name": "GeoNames admin1/admin2 division names (NER training augmentation only)",
    "url": "https://www.geonames.org/",
    "license": "CC BY 4.0",
    "author": "GeoNames (www.geonames.org)",
}

DESCRIPTION = (
    "English pipeline for claimtrace (news-claim extraction): news-tuned tokenizer, "
    "tagger (PTB XPOS), morphologizer (UPOS + UD features), trainable lemmatizer, "
    "dependency parser (UD labels; also sets sentence boundaries) and NER "
    "(PERSON, ORG, GPE, LOC, NORP). CNN tok2vec (width 96, hash embeddings), "
    "no static vectors. Trained on UD English EWT + GUM with Universal NER EWT "
    "and GUM-derived entities; see training/README.md for the label mapping."
)


def ner_summary(cfg: Config) -> str:
    """One sentence on how the shipped ``ner`` gets its token vectors (from its config)."""
    t2v = cfg["components"]["ner"]["model"]["tok2vec"]
    if t2v.get("@layers") == "concatenate.v1":
        return (
            " The NER reads the shared tok2vec (frozen while it was trained) concatenated"
            " with a small NER-only CNN tok2vec of its own."
        )
    if t2v.get("@architectures") == "spacy.Tok2VecListener.v1":
        return " The NER reads the shared tok2vec."
    enc = t2v.get("encode", {})
    return (
        f" The NER has its own CNN tok2vec (width {enc.get('width', '?')},"
        f" depth {enc.get('depth', '?')})."
    )


def finalize(src: Path, dst: Path, ner: Path | None = None, geonames: bool = False) -> Path:
    """Write the shippable pipeline to ``dst`` (optionally swapping in ``ner``).

    ``geonames``: the NER was trained with mention replacement drawing place
    names from GeoNames (CC BY 4.0), which must then be credited in the meta."""
    import spacy

    nlp = spacy.load(src)
    if ner is not None and ner.exists():
        ner_nlp = spacy.load(ner)
        ner_perf = {
            k: v for k, v in ner_nlp.meta.get("performance", {}).items() if k.startswith("ents")
        }
        nlp.remove_pipe("ner")
        nlp.add_pipe("ner", source=ner_nlp)
        nlp.meta.setdefault("performance", {}).update(ner_perf)
    if dst.exists():
        shutil.rmtree(dst)
    nlp.to_disk(dst)
    meta_path = dst / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf8"))
    cfg_path = dst / "config.cfg"
    cfg = Config().from_disk(cfg_path, interpolate=False)
    notes = (
        "NER labels: UNER PER->PERSON, ORG->ORG, LOC->GPE (LOC for geographic "
        "features/continents); UNER OTH demonyms->NORP, other OTH->O. GUM "
        "person/organization/place mentions headed by a proper noun -> "
        "PERSON/ORG/GPE|LOC; bare plural demonyms (NNPS person) -> NORP."
    )
    if geonames:
        notes += (
            " NER training added copies of the train documents with every mention replaced"
            " by another of the same label (training names, first-name x surname"
            " recombinations, GeoNames admin1/admin2 names for GPE)."
        )
    meta.update(
        {
            "lang": "en",
            "name": NAME,
            "version": VERSION,
            "license": LICENSE,
            "description": DESCRIPTION + ner_summary(cfg),
            "author": "claimtrace contributors",
            "url": "",
            "email": "",
            "sources": [*SOURCES, GEONAMES_SOURCE] if geonames else SOURCES,
            "notes": notes,
        }
    )
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf8")
    cfg["initialize"]["before_init"] = None
    cfg["paths"]["train"] = None
    cfg["paths"]["dev"] = None
    if "base" in cfg["paths"]:
        cfg["paths"]["base"] = None  # training-time source of the frozen components
    cfg.to_disk(cfg_path)
    return dst


def dir_size(path: Path) -> int:
    """Total size in bytes of the files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description="Finalize the trained pipeline (meta, config).")
    ap.add_argument("--src", type=Path, default=HERE / "output" / "train" / "model-best")
    ap.add_argument(
        "--ner",
        type=Path,
        default=None,
        help="stand-alone NER pipeline to use instead of the main one's ner",
    )
    ap.add_argument("--dst", type=Path, default=HERE / "output" / "model-best")
    ap.add_argument(
        "--geonames",
        action="store_true",
        help="credit GeoNames (the NER training augmentation used its place names)",
    )
    a = ap.parse_args(argv)
    dst = finalize(a.src, a.dst, a.ner, a.geonames)
    import spacy

    nlp = spacy.load(dst)  # must load without training/functions.py
    print(
        f"{dst}: {nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}, "
        f"{dir_size(dst) / 1e6:.1f} MB, pipeline {nlp.pipe_names}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
