"""Certainty and polarity: how firmly each claim is held, and whether its content is negated.

An attribution's certainty follows its cue's class in the lexicon (``claimed`` for "claimed",
``believed`` for "believes", ``denied`` for "denied" …). An author assertion is ``asserted``
unless hedged: a modal ("may", "could", "might") or a condition ("if") makes it
``hypothetical``; "evidence suggests", "appears to", "apparently" make it ``evidential``.
Content is ``negated`` when its main clause carries "not", "n't", "never", "no longer", or when
the cue is a denial ("denied that …").

>>> from claimtrace import Extractor, Settings
>>> extractor = Extractor(Settings(model="rules"))
>>> claim = extractor.extract_text("The group will no longer recruit prisoners.").claims[0]
>>> claim.certainty, claim.negated
('asserted', True)
>>> extractor.extract_text("The army may have crossed the river.").claims[0].certainty
'hypothetical'
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Final

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from claimtrace.records import Certainty, Claim
from claimtrace.stages.attribution_lexicon import CERTAINTY, word_set
from claimtrace.stages.context import Findings, StageContext

__all__ = ["run"]


_NEGATIONS: Final = word_set("not n't never nor neither")
_NEGATED_PAIRS: Final = frozenset([("no", "longer"), ("no", "more"), ("not", "yet")])
_MODALS: Final = word_set("may might could perhaps possibly maybe")
_CONDITIONS: Final = word_set("if unless whether")
_EVIDENTIAL: Final = word_set(
    "apparently evidently seemingly seems seem seemed appears appear appeared suggests "
    "suggest suggested indicates indicate indicated likely"
)
#: words that end a claim's main clause: what follows is embedded or added
_CLAUSE_ENDS: Final = word_set(
    "that which who whom whose because although though while whereas since after before when "
    "where , ; – — ―"
)


def _main_clause(tokens: SpacySpan) -> list[str]:
    """Lower-cased words of the content's main clause (a leading "that" skipped)."""
    words: list[str] = []
    for k, token in enumerate(tokens):
        lower = token.lower_
        if k == 0 and lower in ("that", "‘", "“", '"', "'"):
            continue
        if words and lower in _CLAUSE_ENDS:
            break
        if not token.is_space:
            words.append(lower)
    return words


def _negated(words: list[str]) -> bool:
    if any(word in _NEGATIONS for word in words):
        return True
    return any(pair in _NEGATED_PAIRS for pair in pairwise(words))


def _cue_class(claim: Claim) -> str | None:
    """The lexicon class recorded in the claim's evidence (``cue:verb:claim`` gives ``claim``)."""
    for item in claim.evidence:
        parts = item.split(":")
        if len(parts) == 3 and parts[0] == "cue" and parts[2] in CERTAINTY:
            return parts[2]
    return None


def _author_certainty(words: list[str]) -> Certainty:
    if words and words[0] in _CONDITIONS:
        return "hypothetical"
    if any(word in _MODALS for word in words):
        return "hypothetical"
    if any(word in _EVIDENTIAL for word in words) or ("evidence" in words and "no" not in words):
        return "evidential"
    return "asserted"


def run(doc: Doc, ctx: StageContext) -> Findings:
    """Set ``certainty`` and ``negated`` on every claim found by the attribution stage."""
    claims: list[Claim] = []
    for claim in ctx.found.claims:
        first = claim.content[0]
        tokens = doc.char_span(first.start, first.end, alignment_mode="expand")
        words = _main_clause(tokens) if tokens is not None else first.text.lower().split()
        cue_class = _cue_class(claim)
        negated = _negated(words) or cue_class == "deny"
        if claim.source_kind == "author" and claim.cue is None:
            certainty = _author_certainty(words)
        elif cue_class is not None:
            certainty = CERTAINTY[cue_class]
        else:
            certainty = claim.certainty
        evidence = claim.evidence
        if negated and "polarity:negated" not in evidence:
            evidence = (*evidence, "polarity:negated")
        if certainty != claim.certainty and f"certainty:{certainty}" not in evidence:
            evidence = (*evidence, f"certainty:{certainty}")
        claims.append(
            claim.model_copy(
                update={"certainty": certainty, "negated": negated, "evidence": evidence}
            )
        )
    return replace(ctx.found, claims=tuple(claims))
