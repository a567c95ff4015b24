"""The outlet's own assertions: every sentence no attribution covers that is not a headline,
byline, question or boilerplate."""

from __future__ import annotations

import re
from typing import Final

from claimtrace.stages.attribution.document import _Document, _Found, _trim
from claimtrace.stages.attribution.lexicon import _QUOTE_CHARS

_BOILERPLATE: Final = re.compile(
    r"^(read (the rest|more)|click here|follow (us|\w+ \w+ on)|sign up|subscribe|"
    r"\(?reporting by|copyright|all rights reserved|share this|related:|photo:|image:|"
    r"watch:|listen:|advertisement|corrections?:|clarification:|editor'?s note)",
    re.IGNORECASE,
)


def _is_headline(d: _Document, start: int, end: int, first_paragraph: bool) -> bool:
    line_start = d.text.rfind("\n", 0, start) + 1
    line_end = d.text.find("\n", end)
    line = d.text[line_start : line_end if line_end >= 0 else len(d.text)].strip()
    words = line.split()
    if not words:
        return True
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    title_case = len(words) >= 3 and capitalised >= 0.8 * len(words)
    unterminated = line[-1] not in ".!?”’\"'"
    return title_case or (first_paragraph and unterminated) or (unterminated and len(words) < 12)


def _author_claims(
    d: _Document, found: list[_Found], sentences: list[tuple[int, int]]
) -> list[_Found]:
    """Author assertions: the factual sentences that no attribution covers."""
    covered = bytearray(len(d.text) + 1)
    for a in found:
        for start, end in [
            *a.content,
            *([a.source] if a.source else []),
            *([a.cue] if a.cue else []),
        ]:
            covered[start:end] = b"\x01" * (end - start)
    claims: list[_Found] = []
    first_line_end = d.text.find("\n", d.text.find(d.text.strip()[:1]) if d.text.strip() else 0)
    for start, end in sentences:
        body = d.text[start:end]
        if sum(covered[start:end]) > 0.3 * (end - start):
            continue
        words = body.split()
        if len(words) < 4 or body.rstrip(_QUOTE_CHARS + ")").endswith("?"):
            continue
        if _BOILERPLATE.match(body.lstrip(_QUOTE_CHARS + " ")) or "@" in body or "http" in body:
            continue
        if _is_headline(d, start, end, first_line_end < 0 or start < first_line_end):
            continue
        if d.tags:
            tokens = d.doc.char_span(start, end, alignment_mode="expand")
            if tokens is not None and not any(t.pos_ in ("VERB", "AUX") for t in tokens):
                continue
        trimmed = _trim(d.text, start, end)
        claims.append(
            _Found(
                cue=None,
                cue_class="",
                source=None,
                content=[trimmed],
                evidence=["author:sentence"],
                confidence=0.6 if d.syntax else 0.45,
                kind="author",
                quote="none",
            )
        )
    return claims
