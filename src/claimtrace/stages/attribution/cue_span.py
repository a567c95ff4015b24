"""The extent of a verb cue: the verb with its auxiliaries, negation, particle and the verb it
completes ("has refused to disclose"), widened to the whole predicate between source and content
("said in an interview", "accused Holt of")."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from claimtrace.stages.attribution.document import _Document, _trim
from claimtrace.stages.attribution.lexicon import (
    _AUX,
    _CUE_ADVERBS,
    _CUE_TIMES,
    _LEADING_JUNK,
    _LINKING_PREPOSITIONS,
    _MEDIA,
    _NEG,
    _PARTICLES,
    _QUOTE_CHARS,
)


def _cue_tokens(d: _Document, verb: Token, lemma: str, sent: SpacySpan) -> tuple[int, int]:
    """The cue's tokens: the verb with the auxiliaries and negation just before it, a particle,
    and the verb that governs it when they form one predicate ("refused to disclose", "went on
    to explain", "avoids condemning").

    A time right after the verb ("said Friday") is not part of the cue: it dates the saying.
    """
    if verb.i - 2 >= sent.start and d.doc[verb.i - 1].lower_ == "as":
        quoted = d.doc[verb.i - 2]  # "was quoted as saying", "is on record as saying"
        if quoted.lower_ in ("quoted", "record"):
            first = verb.i - 2
            while first - 1 >= sent.start and (
                d.doc[first - 1].lower_ in _AUX
                or d.doc[first - 1].lower_ in _NEG
                or d.doc[first - 1].lower_ in ("on", "widely")
            ):
                first -= 1
            return first, verb.i
    first = _verb_group_start(d, verb, sent)
    if first < verb.i:
        last = verb.i
        particles = _PARTICLES.get(lemma)
        if particles and last + 1 < sent.end and d.doc[last + 1].lower_ in particles:
            last += 1
        return first, last
    while first - 1 >= sent.start:
        previous = d.doc[first - 1]
        between = (
            d.tags
            and _adverb(previous)
            and previous.lower_ not in _CUE_TIMES
            and previous.lower_ not in d.lexicon.adverbs  # "reportedly" is a cue of its own
        )
        if (previous.lower_ in _AUX or previous.lower_ in _NEG or between) and previous.text[
            :1
        ].islower():
            first -= 1  # "has called", "did not immediately respond"
        elif (
            previous.is_space
            and "\n" not in previous.text
            and first - 2 >= sent.start
            and d.doc[first - 2].lower_ in _AUX
        ):
            first -= 1  # "has\xa0acknowledged": a no-break space is still one predicate
        else:
            break
    last = verb.i
    particles = _PARTICLES.get(lemma)
    if particles and last + 1 < sent.end and d.doc[last + 1].lower_ in particles:
        last += 1
    while first < verb.i and d.doc[first].lower_ not in _AUX:
        first += 1  # never start a cue with a bare negation
    if first - 1 >= sent.start and d.doc[first - 1].lower_ in _CUE_ADVERBS:
        first -= 1
    if first - 1 >= sent.start and d.doc[first - 1].lower_ == "to" and first == verb.i:
        first -= 1  # "refused to comment", "plans to say": the infinitive is the cue
    return first, last


def _adverb(token: Token) -> bool:
    """An adverb the tagger saw, unless the parser made it a subject or object: a noun the
    tagger mistook ("The Republican nominee continues …")."""
    return token.pos_ == "ADV" and not token.dep_.startswith(("nsubj", "obj", "iobj"))


def _verb_group_start(d: _Document, verb: Token, sent: SpacySpan) -> int:
    """The first token of the governing verb (with its auxiliaries) when ``verb`` is its open
    complement right after it ("has refused to disclose", "avoids condemning"); else ``verb``."""
    if not d.syntax or verb.dep_ != "xcomp":
        return verb.i
    head = verb.head
    gap = d.doc[head.i + 1 : verb.i]
    if (
        head.pos_ != "VERB"
        or head.i >= verb.i
        or not all(t.lower_ in ("to", "on", "off", "about", "by") for t in gap)
        or len(gap) > 2
    ):
        return verb.i
    first = head.i
    while first - 1 >= sent.start:
        previous = d.doc[first - 1]
        if (
            previous.text[:1].islower()
            and previous.lower_ not in d.lexicon.adverbs
            and (previous.lower_ in _AUX or previous.lower_ in _NEG or _adverb(previous))
        ):
            first -= 1
        else:
            break
    while first < head.i and d.doc[first].lower_ not in _AUX and d.doc[first].pos_ != "ADV":
        first += 1
    return first


def _widen_cue(
    d: _Document,
    cue: tuple[int, int],
    source: tuple[int, int] | None,
    content: list[tuple[int, int]],
    lemma: str,
    s_end: int,
) -> tuple[int, int]:
    """The whole predicate between source and content is the cue ("said in an interview").

    PolNeAR's guidelines keep a verb's "entourage" in the cue, one contiguous span up to the
    content: adverbs of the verb and the preposition that links it to the content ("said
    sarcastically", "spoke emotionally of", "accused Holt of"). A time stays out ("said
    Friday"): it dates the saying.
    """
    doc = d.doc
    first, last = cue
    if source is not None and source[1] < first and 0 < first - source[1] - 1 <= 8:
        gap = doc[source[1] + 1 : first]
        if all(t.pos_ in ("ADV", "AUX", "PART") for t in gap) and d.tags:
            first = source[1] + 1
    content_start = _trim(d.text, *content[0])[0]
    if content_start > doc[last].idx:
        if source is not None and source[0] > last:
            return first, last  # "said Hester in an interview": the gap holds the source
        stop = last + 1
        while stop < s_end and doc[stop].idx + len(doc[stop].text) <= content_start:
            stop += 1
        gap = doc[last + 1 : stop]
        if _medium_between(gap, lemma) or _entourage(d, gap, first, last):
            last = stop - 1
    elif content[-1][1] <= doc[first].idx and (source is None or source[1] < first):
        stop = last + 1
        while stop < s_end and not (doc[stop].is_punct or doc[stop].is_space):
            stop += 1
        gap = doc[last + 1 : stop]
        if 0 < len(gap) <= 6 and any(t.lemma_.lower() in _MEDIA for t in gap):
            last = stop - 1
    return first, last


def _medium_between(gap: SpacySpan, lemma: str) -> bool:
    """ "said in an interview with CNN", "wrote in an email": the medium of the saying."""
    return (
        0 < len(gap) <= 8
        and lemma != "tell"
        and gap[0].pos_ == "ADP"
        and any(t.lemma_.lower() in _MEDIA for t in gap)
        and not any(t.is_punct or t.is_space or t.lower_ == "that" for t in gap)
    )


def _entourage(d: _Document, gap: SpacySpan, first: int, last: int) -> bool:
    """Whether the words between a cue (tokens ``first..last``) and its content are the verb's
    entourage: its adverbs, or the one addressed or charged with the linking preposition."""
    words = [t for t in gap if not t.is_space]
    if not words or len(words) > 5:
        return False
    if any(t.is_punct or t.lower_ in _QUOTE_CHARS or "\n" in t.text for t in gap):
        return False
    if all(
        t.pos_ == "ADV"
        and t.text[:1].islower()
        and t.lower_ not in _LEADING_JUNK
        and t.lower_ not in _CUE_TIMES
        and (not d.syntax or first <= t.head.i <= last)  # not "reveals just how much"
        for t in words
    ):
        return True  # "said sarcastically", "spoke emotionally" (a time dates it)
    return (
        words[-1].pos_ in ("ADP", "SCONJ")
        and words[-1].lower_ in _LINKING_PREPOSITIONS
        and len(words) <= 4
        and not any(t.pos_ in ("VERB", "AUX", "SCONJ") or t.lower_ == "that" for t in words[:-1])
    )  # "accused Holt of", "spoke emotionally of", "asks him about"
