"""Frames that name no source: "it is clear that …" and naming participles ("the bill, known as
…", "an ad titled …", "were charged with …")."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from claimtrace.stages.attribution.content import _trailing_cut
from claimtrace.stages.attribution.document import (
    _chars,
    _Document,
    _Found,
    _sentence_bounds,
    _trim,
)
from claimtrace.stages.attribution.lexicon import _AUX, _EVIDENT, _NAMING, _NEG, _QUOTE_CHARS
from claimtrace.stages.attribution.source_phrase import _is_passive, _source_span


def _impersonal_adjective(d: _Document, adjective: Token, sent: SpacySpan) -> _Found | None:
    """ "It was clear that the plan had failed": an impersonal frame that presents the clause
    as evident without a source (cue "It was clear", no source, the clause as content)."""
    if not d.syntax or adjective.lower_ not in _EVIDENT:
        return None
    doc = d.doc
    expletive = next(
        (c for c in adjective.children if c.lower_ == "it" and c.dep_ in ("expl", "nsubj")), None
    )
    clause = next(
        (
            c
            for c in adjective.children
            if c.dep_ in ("csubj", "ccomp")
            and c.i > adjective.i
            and c.left_edge.lower_ in ("that", "whether", "how", "why", "what", "if")
        ),
        None,
    )
    if expletive is None or clause is None:
        return None
    s_end = _sentence_bounds(d, sent)[1]
    first = min(expletive.i, *(c.i for c in adjective.children if c.dep_ in ("cop", "aux")))
    content = (clause.left_edge.i, min(clause.right_edge.i, s_end - 1))
    return _Found(
        cue=_chars(doc, first, adjective.i),
        cue_class="know",
        source=None,
        content=[_trim(d.text, *_chars(doc, *content))],
        evidence=["cue:impersonal-adjective", "source:impersonal", "content:clause"],
        confidence=0.6,
    )


def _naming_attribution(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    """ "The bill, known as the Justice Act, …", "an ad titled “Scam”", "Three officials were
    charged with fraud": nobody is named as the source; what is named (or charged) and the
    name (or charge) are the content."""
    if not d.syntax:
        return None
    lead, cue_class = _NAMING[token.lower_]
    doc = d.doc
    s_start, s_end = _sentence_bounds(d, sent)
    last = token.i
    if lead:
        if last + 1 >= s_end or doc[last + 1].lower_ != lead:
            return None
        last += 1
    if last + 1 >= s_end or (doc[last + 1].is_punct and doc[last + 1].text not in _QUOTE_CHARS):
        return None
    # the name or charge is the phrase right after the cue, not the rest of the clause
    # ("titled “Scam” in 1987"): climb from its first word to the child of the participle
    child = doc[last + 1]
    while child.head.i != token.i and child.head.i > token.i and child.head != child:
        child = child.head
    end = child.right_edge.i if child.head.i == token.i else max(token.right_edge.i, last + 1)
    end = min(_trailing_cut(d, last + 1, end), s_end - 1)
    named: tuple[int, int] | None = None
    first = token.i
    if token.dep_ == "acl" and token.head.i < token.i:
        head = token.head  # "the bill, known as …": the noun it describes
        start = head.left_edge.i
        stop = token.i - 1
        while stop > start and (doc[stop].is_punct or doc[stop].is_space):
            stop -= 1
        if lead and start >= s_start:
            named = (start, stop)
    elif any(c.dep_ in ("aux:pass", "nsubj:pass") for c in token.children) or _is_passive(d, token):
        subject = next((c for c in token.children if c.dep_ == "nsubj:pass"), None)
        while first - 1 >= s_start and (
            doc[first - 1].lower_ in _AUX or doc[first - 1].lower_ in _NEG
        ):
            first -= 1  # "were charged with", "is not known as"
        if subject is not None and subject.i < first:
            named = _source_span(d, subject, (first, last))
    else:
        return None
    content = [_chars(doc, *named)] if named is not None else []
    content.append(_chars(doc, last + 1, end))
    content = [_trim(d.text, a, b) for a, b in content]
    if any(b <= a for a, b in content):
        return None
    return _Found(
        cue=_chars(doc, first, last),
        cue_class=cue_class,
        source=None,
        content=content,
        evidence=[f"cue:naming:{cue_class}", "source:passive", "content:named-and-name"],
        confidence=0.6,
    )
