"""Sentences: the spans of the language pipeline's sentences, trimmed of surrounding whitespace."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from claimtrace.records import Span
from claimtrace.stages.context import Findings, StageContext

__all__ = ["run"]


def run(doc: Doc, ctx: StageContext) -> Findings:
    """One span per sentence that holds more than whitespace."""
    text = ctx.document.text
    spans: list[Span] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append(Span.of(text, start, end))
    return replace(ctx.found, sentences=tuple(spans))
