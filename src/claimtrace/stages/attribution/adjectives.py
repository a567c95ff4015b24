"""Stance adjectives ("were worried about", "was sure that") and reporting adverbs ("has
reportedly sent")."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from claimtrace.stages.attribution.document import (
    _chars,
    _Document,
    _Found,
    _sentence_bounds,
    _trim,
)
from claimtrace.stages.attribution.lexicon import _STANCE_ADJECTIVES, _STANCE_PREPOSITIONS
from claimtrace.stages.attribution.source_phrase import _clean_source, _source_span


def _adjective_attribution(d: _Document, adjective: Token, sent: SpacySpan) -> _Found | None:
    """ "Republicans were worried about the shift", "She was sure that the vote would pass":
    a copular stance adjective with a subject and a clause or a topic after it."""
    if not d.syntax or not any(c.dep_ in ("cop", "aux:pass") for c in adjective.children):
        return None
    doc = d.doc
    subject = next((c for c in adjective.children if c.dep_ in ("nsubj", "nsubj:outer")), None)
    if subject is None or subject.i > adjective.i or subject.lower_ == "it":
        return None  # "it is certain that …" has no holder
    s_end = _sentence_bounds(d, sent)[1]
    cue_last = adjective.i
    content: tuple[int, int] | None = None
    for child in adjective.children:
        if child.i <= adjective.i:
            continue
        if child.dep_ == "ccomp":
            content = (child.left_edge.i, min(child.right_edge.i, s_end - 1))
            break
        case = next((g for g in child.children if g.dep_ == "case"), None)
        if (
            child.dep_ in ("obl", "nmod")
            and case is not None
            and case.i == adjective.i + 1
            and case.lower_ in _STANCE_PREPOSITIONS
        ):
            cue_last = case.i
            content = (case.i + 1, min(child.right_edge.i, s_end - 1))
            break
    if content is None or content[1] < content[0]:
        return None
    first = adjective.i
    while first - 1 > subject.right_edge.i and (
        doc[first - 1].pos_ in ("AUX", "ADV", "PART") and doc[first - 1].text[:1].islower()
    ):
        first -= 1  # "has been so", "weren't too"
    source = _clean_source(d, _source_span(d, subject, (first, cue_last)))
    return _Found(
        cue=_chars(doc, first, cue_last),
        cue_class=_STANCE_ADJECTIVES[adjective.lower_],
        source=_trim(d.text, *_chars(doc, *source)) if source else None,
        content=[_trim(d.text, *_chars(doc, *content))],
        evidence=["cue:stance-adjective", "source:nsubj", "content:complement"],
        confidence=0.7,
    )


def _adverb_attribution(
    d: _Document, adverb: Token, cue_class: str, sent: SpacySpan
) -> _Found | None:
    """ "has reportedly sent …": the clause without the adverb, no source."""
    doc = d.doc
    s_start, s_end = _sentence_bounds(d, sent)
    first, last = s_start, s_end - 1
    if d.syntax and adverb.head.i != adverb.i and not adverb.head.is_space:
        head = adverb.head
        first, last = max(first, head.left_edge.i), min(last, head.right_edge.i)
    spans = []
    if adverb.i - 1 >= first:
        spans.append(_chars(doc, first, adverb.i - 1))
    if adverb.i + 1 <= last:
        spans.append(_chars(doc, adverb.i + 1, last))
    spans = [_trim(d.text, a, b) for a, b in spans]
    spans = [(a, b) for a, b in spans if b > a]
    if not spans:
        return None
    return _Found(
        cue=_chars(doc, adverb.i, adverb.i),
        cue_class=cue_class,
        source=None,
        content=spans,
        evidence=[f"cue:adverb:{cue_class}", "content:clause"],
        confidence=0.8 if d.syntax else 0.65,
    )
