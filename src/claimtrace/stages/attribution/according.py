""" "According to X, Y." / "Y, according to X." / "Y, according to X, Z."."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from claimtrace.stages.attribution.document import (
    _chars,
    _Document,
    _Found,
    _sentence_bounds,
    _trim,
    _veto,
)


def _according_to(d: _Document, according: Token, sent: SpacySpan) -> _Found | None:
    """ "According to X, Y." / "Y, according to X." / "Y, according to X, Z."."""
    doc = d.doc
    s_start, s_end = _sentence_bounds(d, sent)
    to = according.i + 1
    if to >= s_end or doc[to].lower_ != "to":
        _veto(d, "no 'to' after 'according'")
        return None
    last = to + 1
    while last < s_end and doc[last].text not in (",", ";", "—", "–"):
        last += 1
    if last == to + 1:
        _veto(d, "nothing between 'according to' and the comma")
        return None
    source = (to + 1, last - 1)
    spans: list[tuple[int, int]] = []
    if according.i - 1 > s_start:
        spans.append(_chars(doc, s_start, according.i - 1))
    if last + 1 < s_end:
        spans.append(_chars(doc, last + 1, s_end - 1))
    spans = [_trim(d.text, a, b) for a, b in spans]
    spans = [(a, b) for a, b in spans if b > a]
    if not spans:
        _veto(d, "no content around 'according to'")
        return None
    return _Found(
        cue=_chars(doc, according.i, to),
        cue_class=d.lexicon.preps["according"],
        source=_chars(doc, *source),
        content=spans,
        evidence=["cue:according-to", "source:object", "content:rest-of-sentence"],
        confidence=0.85 if d.syntax else 0.7,
    )
