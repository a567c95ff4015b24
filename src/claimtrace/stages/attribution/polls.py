"""Polls as sources: "In the latest poll, Clinton led by 5 points"."""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimtrace.stages.attribution.document import (
    _chars,
    _Document,
    _Found,
    _sentence_bounds,
    _skip,
    _trim,
    _veto,
)
from claimtrace.stages.attribution.lexicon import _POLL_NOUNS, _QUANTIFIERS


def _poll_attribution(d: _Document, prep: Token, sent: SpacySpan) -> _Found | None:
    """ "In the latest poll, Clinton led by 5 points" / "she gained in one of the polls": a
    poll or survey in an "in" phrase is the source of what the rest of the sentence reports."""
    if not d.syntax or prep.dep_ != "case" or prep.head.i <= prep.i:
        _skip(d, "not the preposition of a phrase")
        return None
    doc = d.doc
    noun = prep.head
    lemma = noun.lemma_.lower()
    if lemma not in _POLL_NOUNS and not (
        noun.lower_ in _QUANTIFIERS
        and any(c.lemma_.lower() in _POLL_NOUNS for c in noun.children if c.dep_ == "nmod")
    ):
        _skip(d, "not 'in' a poll or survey")
        return None
    if noun.dep_ not in ("obl", "nmod") or noun.head.i == noun.i:
        return None
    if d.lemma(noun.head) in d.lexicon.verbs:
        return None  # "said in a survey": the medium of a cue of its own
    s_start, s_end = _sentence_bounds(d, sent)
    last = min(noun.right_edge.i, s_end - 1)
    source = _trim(d.text, *_chars(doc, prep.i + 1, last))
    spans = []
    if prep.i - 1 >= s_start:
        spans.append(_chars(doc, s_start, prep.i - 1))
    if last + 1 <= s_end - 1:
        spans.append(_chars(doc, last + 1, s_end - 1))
    spans = [(a, b) for a, b in (_trim(d.text, a, b) for a, b in spans) if b - a >= 3]
    if not spans or source[1] <= source[0]:
        return None
    if not (_a_particular_poll(noun) and _reports_figures(doc, s_start, s_end)):
        _veto(d, "polls in general, or no figures: standing, not a poll's finding")
        return None  # "slid in the polls", "leads in national polls": standing, no poll's finding
    return _Found(
        cue=_chars(doc, prep.i, prep.i),
        cue_class="report",
        source=source,
        content=spans,
        evidence=["cue:in-poll:report", "source:poll", "content:rest-of-sentence"],
        confidence=0.7,
    )


def _a_particular_poll(noun: Token) -> bool:
    """A poll one could look up: "the latest CNN poll", "a survey released Wednesday", "the same
    poll", not "the polls" or "national polls" in general."""
    words = list(noun.subtree)
    return any(
        t.lower_ in ("latest", "recent", "new", "same", "this", "that", "average")
        or (t.pos_ == "PROPN" and t.i != noun.i)
        or t.dep_ in ("acl", "acl:relcl")
        for t in words
    ) or (noun.lower_ in _QUANTIFIERS)


def _reports_figures(doc: Doc, start: int, end: int) -> bool:
    """Whether the sentence gives numbers (a lead in points, a share in percent)."""
    return any(t.like_num or t.text == "%" for t in doc[start:end])
