"""The language pipeline: the embedded default, or any installed spaCy pipeline by name or path.

The embedded default is the pipeline trained by ``training/`` and shipped in ``nlp/model``. When a
build carries no trained model, the default is :data:`RULES`: spaCy's English tokenizer with
rule-based sentence boundaries, and the output's metadata names it, so nothing pretends to parse.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from claimtrace.errors import ModelError

if TYPE_CHECKING:
    from thinc.types import Ints2d

__all__ = ["EMBEDDED_MODEL_DIR", "RULES", "describe", "load_pipeline"]

EMBEDDED_MODEL_DIR = Path(__file__).parent / "model"
#: Name of the rule-only pipeline: tokens and sentences, no tagger, parser or NER.
RULES = "rules"
_PARAGRAPHS = "claimtrace_paragraphs"


#: A sentence never starts right after these (an opening quote or bracket, a comma).
_NO_BREAK_AFTER = frozenset({",", "‘", "“", "(", "[", "{"})


@Language.component(_PARAGRAPHS)
def paragraph_boundaries(doc: Doc) -> Doc:
    """Preset sentence boundaries that the parser or sentencizer then respects.

    A line break starts a sentence unless the next line continues in lower case (headlines and
    datelines rarely end in a full stop; hard-wrapped prose continues in lower case). Within a
    line, no sentence starts right after an opening quote or bracket or a comma: a parser trained
    on web text would otherwise cut "‘It is known …’" after its quote mark, or "Prigozhin, head
    of Wagner, said" after the name.
    """
    if len(doc) < 2:
        return doc
    # Set through the array: the token setter checks the whole document for a parse each time,
    # which is quadratic in a text full of quotation marks or commas.
    starts = doc.to_array([SENT_START]).astype("int64")
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if token.is_space:
            continue
        if previous.is_space and "\n" in previous.text:
            if not token.text[:1].islower():
                starts[token.i] = 1
        elif previous.text in _NO_BREAK_AFTER:
            starts[token.i] = -1
    doc.from_array([SENT_START], cast("Ints2d", starts.astype("uint64").reshape(-1, 1)))
    return doc


def load_pipeline(name: str | None = None) -> Language:
    """The pipeline ``name`` (installed package, path, or ``"rules"``); None = embedded default.

    Cached: loading twice in one process returns the same object.
    """
    return _load(name or _default_name())


def _default_name() -> str:
    return str(EMBEDDED_MODEL_DIR) if (EMBEDDED_MODEL_DIR / "meta.json").is_file() else RULES


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    if name == RULES:
        return _rules_pipeline()
    try:
        nlp = spacy.load(name)
    except OSError:
        installed = sorted(spacy.util.get_installed_models())
        listed = ", ".join(installed) if installed else "none"
        raise ModelError(
            f"language pipeline {name!r} is not installed or not a pipeline folder "
            f"(installed spaCy pipelines: {listed}); omit --model to use the embedded default"
        ) from None
    if _PARAGRAPHS not in nlp.pipe_names:
        setters = [n for n in nlp.pipe_names if n in ("senter", "parser", "sentencizer")]
        if not setters:
            # A pipeline without sentence boundaries (NER only, say): every stage needs them.
            nlp.add_pipe("sentencizer")
            nlp.add_pipe(_PARAGRAPHS)
        elif setters[0] == "sentencizer":
            nlp.add_pipe(_PARAGRAPHS, after="sentencizer")
        else:
            # Before the parser or senter: they keep boundaries that are already set.
            nlp.add_pipe(_PARAGRAPHS, before=setters[0])
    return nlp


def _rules_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(_PARAGRAPHS)
    nlp.meta["name"] = "claimtrace_rules_en"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = "spaCy English tokenizer and rule-based sentence boundaries only"
    return nlp


def describe(nlp: Language) -> str:
    """``name version`` of a pipeline, as recorded in every extraction's metadata.

    >>> describe(load_pipeline("rules"))
    'claimtrace_rules_en 0.1.0'
    """
    meta = nlp.meta
    lang = meta.get("lang", "en")
    name = meta.get("name", "pipeline")
    full = name if name.startswith((f"{lang}_", "claimtrace")) else f"{lang}_{name}"
    return f"{full} {meta.get('version', '0.0.0')}"
