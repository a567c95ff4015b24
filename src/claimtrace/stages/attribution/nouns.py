"""Reporting-noun frames: "reports that …", "the IMF's estimate of …", a light verb with a
reporting noun ("made the case for", "raised questions about") and received criticism ("has
drawn criticism from farmers")."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from claimtrace.stages.attribution.content import _block_after_colon, _trailing_cut
from claimtrace.stages.attribution.cue_span import _cue_tokens
from claimtrace.stages.attribution.document import (
    _chars,
    _Document,
    _Found,
    _sentence_bounds,
    _trim,
)
from claimtrace.stages.attribution.lexicon import (
    _AIMED_AT_SOMEONE,
    _LIGHT_NOUN_PREPOSITIONS,
    _LIGHT_NOUNS,
    _LIGHT_PREPOSITIONS,
    _RECEIVED,
    _RECEIVING,
    _REPORTING_PREPOSITIONS,
    _UNOWNED_CHARGES,
)
from claimtrace.stages.attribution.source_phrase import _clean_source, _source_span, _subject


def _name_as_subject(d: _Document, noun: Token) -> tuple[int, int] | None:
    """The name right before a reporting form that reads as a verb though tagged a noun
    ("The New York Post reports that …"): a bare "-s" form with no determiner of its own,
    after a proper name that opens the sentence or follows a comma."""
    if not d.tags or not noun.lower_.endswith("s") or noun.i == 0:
        return None
    doc = d.doc
    if d.syntax and any(c.dep_ == "det" for c in noun.children):
        return None  # "the reports that …" is a noun
    last = noun.i - 1
    if doc[last].pos_ != "PROPN":
        return None
    first = last
    while (
        first - 1 >= 0
        and first > last - 6
        and (
            doc[first - 1].pos_ == "PROPN"
            or (doc[first - 1].text[:1].isupper() and doc[first - 1].pos_ in ("ADJ", "NOUN"))
        )
    ):
        first -= 1
    if first - 1 >= 0 and doc[first - 1].lower_ == "the":
        first -= 1
    before = doc[first - 1] if first > 0 else None
    if before is not None and not (before.is_punct or before.is_space or before.is_sent_end):
        return None
    return first, last


def _possessed_noun_attribution(
    d: _Document, noun: Token, cue_class: str, s_end: int
) -> _Found | None:
    """ "the IMF's estimate of global growth", "Trump's criticism of the deal": a reporting
    noun with a possessor (the source) and a topic after a preposition (the content)."""
    if not d.syntax:
        return None
    doc = d.doc
    possessor = next((c for c in noun.children if c.dep_ == "nmod:poss"), None)
    owner: tuple[int, int] | None = None
    if possessor is not None and possessor.i < noun.i and possessor.lower_ not in ("its", "their"):
        owner_end = possessor.right_edge.i
        while owner_end > possessor.left_edge.i and (
            doc[owner_end].dep_ == "case" or doc[owner_end].is_punct
        ):
            owner_end -= 1  # "Donald Trump['s]"
        owner = _trim(d.text, *_chars(doc, possessor.left_edge.i, owner_end))
    elif possessor is not None or noun.lemma_.lower() not in _UNOWNED_CHARGES:
        return None  # "its estimate": whose is left to a resolver this rule does not have
    nxt = noun.i + 1
    if owner is not None and (
        nxt + 1 < s_end
        and doc[nxt].lower_ == "to"
        and doc[nxt + 1].pos_ == "VERB"
        and any(c.i == nxt + 1 for c in noun.children)
    ):  # "the council's decision to close the plant"
        return _Found(
            cue=_chars(doc, noun.i, noun.i),
            cue_class=cue_class,
            source=owner,
            content=[_trim(d.text, *_chars(doc, nxt, min(doc[nxt + 1].right_edge.i, s_end - 1)))],
            evidence=[f"cue:noun:{cue_class}", "source:possessor", "content:infinitive"],
            confidence=0.6,
        )
    for child in noun.children:
        case = next((g for g in child.children if g.dep_ == "case"), None)
        if (
            child.dep_ == "nmod"
            and case is not None
            and case.i == noun.i + 1
            and case.lower_ in _REPORTING_PREPOSITIONS
            and child.right_edge.i < s_end
        ):
            return _Found(
                cue=_chars(doc, noun.i, case.i),
                cue_class=cue_class,
                source=owner,
                content=[_trim(d.text, *_chars(doc, case.i + 1, child.right_edge.i))],
                evidence=[
                    f"cue:noun:{cue_class}",
                    "source:possessor" if owner else "source:none",
                    "content:nmod",
                ],
                confidence=0.6,
            )
    return None


def _noun_attribution(d: _Document, noun: Token, cue_class: str, sent: SpacySpan) -> _Found | None:
    """ "reports that …", "evidence that …", "X's statement that …"."""
    doc = d.doc
    s_end = _sentence_bounds(d, sent)[1]
    nxt = noun.i + 1
    if nxt < s_end and doc[nxt].lower_ != "that":
        return _possessed_noun_attribution(d, noun, cue_class, s_end)
    if nxt >= s_end or doc[nxt].lower_ != "that" or nxt + 2 >= s_end:
        return None
    if d.tags and doc[nxt + 1].pos_ in ("VERB", "AUX"):  # "the report that found …"
        return None
    last = s_end - 1
    if d.syntax:
        for child in noun.children:
            if child.dep_ in ("acl", "acl:relcl", "ccomp") and child.i > nxt:
                last = max(child.right_edge.i, nxt + 1)
                break
    source = None
    evidence = [f"cue:noun:{cue_class}", "content:that-clause"]
    for child in noun.children if d.syntax else ():
        if child.dep_ == "nmod:poss":
            source = _chars(doc, child.left_edge.i, child.right_edge.i)
            evidence.append("source:possessor")
    named = _name_as_subject(d, noun)
    if source is None and named is not None:  # "The New York Post reports that …"
        source = _chars(doc, *named)
        evidence.append("source:name-before-verb-form")
    start, end = _chars(doc, nxt, _trailing_cut(d, nxt, last))
    return _Found(
        cue=_chars(doc, noun.i, noun.i),
        cue_class=cue_class,
        source=source,
        content=[_trim(d.text, start, end)],
        evidence=evidence,
        confidence=0.7 if d.syntax else 0.5,
    )


def _received_criticism(d: _Document, verb: Token, sent: SpacySpan) -> _Found | None:
    """ "The plan has drawn criticism from farmers": the subject is what is criticised (the
    content), the "from" phrase, if any, the source."""
    if not d.syntax or d.lemma(verb) not in _RECEIVING:
        return None
    doc = d.doc
    s_end = _sentence_bounds(d, sent)[1]
    noun = next(
        (
            c
            for c in verb.children
            if c.dep_ == "obj" and verb.i < c.i <= verb.i + 4 and c.lower_ in _RECEIVED
        ),
        None,
    )
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
    if noun is None or subject is None or subject.i > verb.i:
        return None
    first = _cue_tokens(d, verb, d.lemma(verb), sent)[0]
    cue_last = noun.i
    source = None
    nxt = noun.i + 1
    if nxt + 1 < s_end and doc[nxt].lower_ == "from":
        phrase = next(
            (t for t in doc[nxt + 1 : s_end] if any(c.i == nxt for c in t.children)), None
        )
        if phrase is not None:
            cue_last = nxt
            source = _trim(d.text, *_chars(doc, nxt + 1, min(phrase.right_edge.i, s_end - 1)))
    content = _source_span(d, subject, (first, cue_last))
    return _Found(
        cue=_chars(doc, first, cue_last),
        cue_class="claim",
        source=source,
        content=[_trim(d.text, *_chars(doc, *content))],
        evidence=["cue:received-criticism", "source:from" if source else "source:none"],
        confidence=0.6,
    )


def _names_someone(token: Token) -> bool:
    """A name or pronoun, or a noun a name possesses ("at Obama's record")."""
    return token.pos_ in ("PROPN", "PRON") or any(
        c.dep_ == "nmod:poss" and c.pos_ in ("PROPN", "PRON") for c in token.children
    )


def _light_verb_attribution(d: _Document, verb: Token, sent: SpacySpan) -> _Found | None:
    """A light verb and a reporting noun as one cue: "Obama made the case for Clinton",
    "Trump took offense at suggestions that …", "She made it clear that she would run"."""
    if not d.syntax:
        return None
    doc = d.doc
    s_end = _sentence_bounds(d, sent)[1]
    noun = next(
        (
            c
            for c in verb.children
            if c.dep_ in ("obj", "xcomp")
            and verb.i < c.i <= verb.i + 4
            and c.lower_ in _LIGHT_NOUNS
            and not (c.lower_ == "clear" and d.lemma(verb) != "make")
        ),
        None,
    )
    if noun is None:
        return None
    nxt = noun.i + 1
    if nxt + 1 >= s_end and not (nxt < len(doc) and doc[nxt].text == ":"):
        return None
    cue_last = noun.i
    content: list[tuple[int, int]] = []  # characters
    that_clause = doc[nxt].lower_ == "that" and not (
        d.tags and doc[nxt + 1].pos_ in ("VERB", "AUX")
    )
    bare_clause = any(  # "made it clear he would run"
        c.dep_ == "ccomp" and c.left_edge.i == nxt and c.i > nxt
        for c in (*verb.children, *noun.children)
    )
    if that_clause or bare_clause:
        content = [_chars(doc, nxt, _trailing_cut(d, nxt, s_end - 1))]
    elif doc[nxt].text == ":":  # "made the following comment:", then the words or a block
        content = [_chars(doc, nxt + 1, s_end - 1)] if nxt + 2 < s_end else []
        content = content or _block_after_colon(d, noun.i)
    elif (
        doc[nxt].lower_ in _LIGHT_NOUN_PREPOSITIONS.get(noun.lower_, _LIGHT_PREPOSITIONS)
        and doc[nxt].pos_ == "ADP"
    ):
        phrase = next(
            (t for t in doc[nxt + 1 : s_end] if any(c.i == nxt for c in t.children)), None
        )
        if phrase is None:
            return None
        while nxt < phrase.head.i < s_end and phrase.head.left_edge.i >= nxt:
            phrase = phrase.head  # "for [Mrs.] Clinton": the case hung on the title
        if noun.lower_ in _AIMED_AT_SOMEONE and not _names_someone(phrase):
            return None  # "took a shot at the goal"
        cue_last = nxt
        content = [_chars(doc, nxt + 1, min(phrase.right_edge.i, s_end - 1))]
    if not content:
        return None
    first = _cue_tokens(d, verb, d.lemma(verb), sent)[0]
    subject = _subject(d, verb)
    source = _clean_source(d, _source_span(d, subject, (first, cue_last))) if subject else None
    return _Found(
        cue=_chars(doc, first, cue_last),
        cue_class=_LIGHT_NOUNS[noun.lower_],
        source=_trim(d.text, *_chars(doc, *source)) if source else None,
        content=[_trim(d.text, *span) for span in content],
        evidence=["cue:light-verb", "source:nsubj" if source else "source:none", "content:after"],
        confidence=0.65,
    )
