"""Reporting-verb frames: a cue verb's source and content ("X said that …", "“…,” said X",
", he said, …", "was endorsed by the union"), and the sentence-final frame ("…, a new analysis
shows"); with the tests that make a verb outside the lexicon, or a form the tagger mistook, a
cue."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from claimtrace.stages.attribution.content import (
    _after_quote,
    _as_clause_content,
    _before_quote,
    _block_after_colon,
    _closed_sentence_then_own_complement,
    _complement,
    _fragment_before_clause,
    _linear_content,
    _mid_clause,
    _parenthetical_content,
    _split_after,
    _trailing_cut,
    _viewed_as,
)
from claimtrace.stages.attribution.cue_span import _cue_tokens, _widen_cue
from claimtrace.stages.attribution.document import (
    _chars,
    _children,
    _Document,
    _Found,
    _is_stop,
    _overlaps,
    _sentence_bounds,
    _skip,
    _trim,
    _veto,
)
from claimtrace.stages.attribution.lexicon import (
    _ADDRESSED,
    _AS_ONLY,
    _CLAUSE_OPENERS,
    _COORDINATORS,
    _CUE_TIMES,
    _EDGE_PUNCT,
    _EXPERIENCED,
    _GIVEN,
    _MEDIA,
    _NOT_INSERTED_SOURCE,
    _NOT_SPEECH,
    _PARTICLE_ONLY,
    _PARTICLES,
    _PERSON_PRONOUNS,
    _PERSONAL,
    _POLLED_GROUPS,
    _QUOTE_ONLY,
    _RAISING,
    _SAY_LIKE,
    _SET_OFF,
    _STRONG,
    _SUBJECTS,
    _TEMPORAL_NOUNS,
    _TEXT_OBJECT_ONLY,
    _TEXTS,
    _VIEWING,
    _WHEN_ASKED,
)
from claimtrace.stages.attribution.source_phrase import (
    _agent,
    _appositive_source,
    _clean_source,
    _is_passive,
    _linear_source,
    _name_before,
    _source_span,
    _subject,
)


def _set_off_insertion(
    d: _Document, cue: tuple[int, int], s_start: int, s_end: int, *, addressed: bool = False
) -> tuple[tuple[int, int], list[tuple[int, int]]] | None:
    """A source and cue set off by commas or dashes inside a sentence that goes on around them
    ("The stadium, which, Tompkins said, is usually full"; "Prices, he told reporters on Friday,
    will rise"): the source tokens, and the sentence around the insertion as the content —
    from a relative pronoun right before it when there is one ("which … is usually full"),
    else from the sentence start. A time, a medium or (for "tell") the one addressed may
    stand between the verb and the closing comma; it is in neither (PolNeAR's cues leave it
    out too). Returns the source's tokens and the content's pieces."""
    if not d.syntax:
        return None
    doc = d.doc
    first, last = cue
    # what may stand between the cue and the closing comma: "on Friday", "in a statement"
    end = last + 1
    while (
        end < s_end
        and end - last <= 4
        and doc[end].text not in _SET_OFF
        and not doc[end].is_punct
        and doc[end].pos_ not in ("VERB", "AUX", "SCONJ")
        and (
            end > last + 1
            or doc[end].pos_ == "ADP"
            or doc[end].lower_ in _TEMPORAL_NOUNS
            or (addressed and doc[end].pos_ in ("NOUN", "PROPN", "PRON", "DET"))
        )
    ):
        end += 1
    if end + 1 >= s_end or doc[end].text not in _SET_OFF:
        return None
    last = end - 1
    k = first - 1
    while k > s_start and doc[k].text not in _SET_OFF and first - k <= 6:
        k -= 1
    if k <= s_start or doc[k].text not in _SET_OFF or k + 1 > first - 1:
        return None
    source = doc[k + 1 : first]
    if source[0].lower_ in _NOT_INSERTED_SOURCE or any(
        t.is_punct or t.pos_ in ("AUX", "SCONJ", "CCONJ") for t in source
    ):
        return None
    if not any(t.pos_ in ("PROPN", "PRON", "NOUN") for t in source):
        return None
    before = k - 1
    while before > s_start and doc[before].is_punct:
        before -= 1
    opener = s_start
    if doc[before].lower_ in ("which", "who", "whom"):
        opener = before
    after_end = s_end - 1
    while after_end > last + 1 and doc[after_end].is_punct:
        after_end -= 1
    if after_end <= last + 1 or before < opener:
        return None
    return (k + 1, first - 1), [(opener, before), (last + 2, after_end)]


@dataclass(slots=True)
class _VerbFrame:
    """One cue verb's attribution while :func:`_verb_attribution` builds it, in tokens."""

    verb: Token
    lemma: str
    s_start: int
    s_end: int
    cue: tuple[int, int]
    evidence: list[str]
    confidence: float
    strong: bool
    content: list[tuple[int, int]] = field(default_factory=list)
    source: tuple[int, int] | None = None
    subject: Token | None = None
    impersonal: bool = False


def _verb_attribution(
    d: _Document,
    verb: Token,
    lemma: str,
    cue_class: str,
    sent: SpacySpan,
    rule: str = "cue:verb",
) -> _Found | None:
    """Source and content for one cue verb, or None when it reports nothing here."""
    doc, text = d.doc, d.text
    s_start, s_end = _sentence_bounds(d, sent)
    cue = _cue_tokens(d, verb, lemma, sent)
    evidence = [f"{rule}:{cue_class}"]
    confidence = 0.85 if d.syntax else 0.6
    strong = lemma in _STRONG or lemma in _QUOTE_ONLY
    reason = _reports_nothing(d, verb, lemma, cue, cue_class, s_end)
    if reason:
        _veto(d, reason)
        return None
    inserted = (
        _set_off_insertion(d, cue, s_start, s_end, addressed=lemma == "tell")
        if lemma in _SAY_LIKE
        else None
    )
    if inserted is not None:
        # ", Tompkins said," / ", aides to the mayor say,": the position decides, whatever the
        # parse made of the insertion (a relative clause, a verb "aides")
        source_tokens, pieces = inserted
        cue_chars = _chars(doc, *cue)
        return _Found(
            cue=cue_chars,
            cue_class=cue_class,
            source=_trim(text, *_chars(doc, *source_tokens)),
            content=[_trim(text, *_chars(doc, a, b)) for a, b in pieces],
            evidence=[*evidence, "source:set-off", "content:around-set-off-insertion"],
            confidence=confidence,
        )
    if lemma in _AS_ONLY and not any(
        t.lower_ == "as" and t.dep_ != "mark" for t in doc[cue[1] + 1 : min(s_end, cue[1] + 12)]
    ):
        _veto(d, f"{lemma!r} reports only with 'as' after it")
        return None
    frame = _VerbFrame(verb, lemma, s_start, s_end, cue, evidence, confidence, strong)
    _verb_source(d, frame)
    if not _verb_content(d, frame, sent):
        return None
    return _verb_found(d, frame, cue_class, sent)


def _reports_nothing(
    d: _Document, verb: Token, lemma: str, cue: tuple[int, int], cue_class: str, s_end: int
) -> str | None:
    """Why a cue verb reports nothing here whatever its source and content would be, or None."""
    if lemma in _PARTICLE_ONLY and cue[1] == verb.i:
        # "pushed the door", "laid the table": no particle, no saying
        return f"{lemma!r} reports only with its particle"
    if lemma in _TEXT_OBJECT_ONLY and not any(
        c.dep_ in ("obj", "nsubj:pass") and (c.lemma_.lower() in _TEXTS | _MEDIA)
        for c in _children(d, verb)
    ):
        return f"{lemma!r} reports only with a text or medium as its object"
    if lemma == "put" and not _as_put_it(d, verb, cue[1], s_end):
        # only "as X put it": "put the money aside" reports nothing
        return "'put' reports only in 'as X put it'"
    if _describes_a_group(d, verb):
        # "voters who say the economy matters most split evenly": a poll's group
        return "it sorts a poll's respondents (voters who say …)"
    # "if you want to understand …": a condition, nobody's view
    if cue_class not in ("say", "report") and _supposed(d, verb):
        return "a condition or free relative: a view supposed, held by nobody"
    return None


def _verb_source(d: _Document, frame: _VerbFrame) -> None:
    """The source: the subject, the agent of a passive, or nothing for "it was reported"."""
    verb, lemma, cue, s_start, evidence = (
        frame.verb,
        frame.lemma,
        frame.cue,
        frame.s_start,
        frame.evidence,
    )
    source: tuple[int, int] | None = None
    subject = _subject(d, verb)
    impersonal = False
    expletive = d.syntax and any(
        c.lower_ == "it" and c.dep_ in (*_SUBJECTS, "expl") for c in verb.children
    )
    addressed_participle = (
        d.syntax
        and lemma in _ADDRESSED
        and (
            verb.tag_ == "VBN"
            or any(c.i < verb.i and c.lower_ in _WHEN_ASKED for c in verb.children)
        )
        and verb.dep_ in ("advcl", "acl")
        and not any(c.dep_ in (*_SUBJECTS, "aux", "aux:pass", "obl:agent") for c in verb.children)
    )
    if addressed_participle:
        # "Asked about the bombing, Clinton said …", "…, when asked whether …": the one who
        # answers was asked; who asked is not said
        subject = None
        impersonal = True
        evidence.append("source:passive")
    elif (expletive or (subject is not None and subject.lower_ == "it")) and (
        _is_passive(d, verb) or lemma in _RAISING  # "it was reported", "it seems that"
    ):
        impersonal = True
        evidence.append("source:impersonal")
    elif subject is not None and subject.i != verb.i:
        if _is_passive(d, verb):
            agent = _agent(verb)
            if agent is not None:
                source = _clean_source(d, _source_span(d, agent, cue))
                evidence.append("source:agent")
            elif lemma in _EXPERIENCED:  # "Farmers are concerned that …": they hold the view
                source = _clean_source(d, _source_span(d, subject, cue))
                evidence.append("source:experiencer")
            else:
                impersonal = True  # "X is expected to …": nobody named
                evidence.append("source:passive")
        else:
            source = _clean_source(d, _source_span(d, subject, cue))
            evidence.append("source:nsubj")

    if not impersonal and not _is_passive(d, verb):
        named = _appositive_source(d, cue, s_start)
        if named is not None and (
            source is None or (named[0] <= source[0] and source[1] <= named[1] and source != named)
        ):
            source = named
            evidence = [e for e in evidence if not e.startswith("source:")]
            evidence.append("source:name-with-appositive")
    frame.source, frame.subject, frame.impersonal, frame.evidence = (
        source,
        subject,
        impersonal,
        evidence,
    )


def _verb_content(d: _Document, frame: _VerbFrame, sent: SpacySpan) -> bool:
    """The content: a quote right after the cue, a clausal complement, a quote just before, and
    what position gives where those fail; False when the verb reports nothing."""
    verb, lemma = frame.verb, frame.lemma
    _quoted_content(d, frame, sent)
    if not frame.content and lemma in _QUOTE_ONLY:
        _veto(d, f"{lemma!r} reports only a quotation, and none is next to it")
        return False
    if (
        lemma in _GIVEN
        and "source:passive" in frame.evidence
        and not any(c.dep_ == "ccomp" for c in verb.children)
    ):
        # "prisoners were offered a deal": what they got, not what anyone said
        _veto(d, "a passive of giving: what was given, not said")
        return False
    if not frame.content:
        _complement_content(d, frame)
    if not frame.content:
        _other_content(d, frame)
    if not frame.content:
        _veto(d, "no content: no quotation, complement or clause next to it")
    return bool(frame.content)


def _quoted_content(d: _Document, frame: _VerbFrame, sent: SpacySpan) -> None:
    """Content from a quote just before the cue or right after it, or a block after a colon."""
    doc, verb, cue, source = d.doc, frame.verb, frame.cue, frame.source
    s_start, s_end, evidence, content = frame.s_start, frame.s_end, frame.evidence, frame.content
    floor = source[0] if source and source[0] < cue[0] else cue[0]
    quote = _before_quote(d, floor, max(0, sent.start - 3))
    if quote is None:  # look past a short phrase: "…,” IMF chief economist Maury Obstfeld said
        while floor - 1 >= sent.start and cue[0] - floor < 8 and not _is_stop(d, doc[floor - 1]):
            floor -= 1
        quote = _before_quote(d, floor, max(0, sent.start - 3))
    if (
        quote is not None
        and not _fragment_before_clause(d, verb, quote, s_start, cue[1])
        and not _closed_sentence_then_own_complement(d, quote, cue[1], s_end)
    ):
        content = d.group_spans(quote)
        evidence.append("content:quote-before-source")
        frame.confidence += 0.05
    frame_end = cue[1]
    if source is not None and source[0] == cue[1] + 1 and source[1] - cue[1] <= 12:
        frame_end = source[1]  # "…,” said the Florida senator, “because …”"
    quote = _after_quote(d, frame_end, min(sent.end, frame_end + 4), colon_only=not frame.strong)
    between = d.text[d.doc[cue[1]].idx + len(d.doc[cue[1]]) : quote.start] if quote else ""
    if quote is not None and (
        not content or ("," in between and not any(mark in between for mark in ".!?"))
    ):  # "“…,” he said, “…”" goes on; "“…,” he said Friday. “…”" is a quote of its own
        content = [*content, *d.group_spans(quote)]
        evidence.append("content:quote-after-cue")
        frame.confidence += 0.05
    if not content:
        content = _block_after_colon(d, cue[1])
        if content:
            evidence.append("content:block-after-colon")
    frame.content = content


def _complement_content(d: _Document, frame: _VerbFrame) -> None:
    """Content from the parse: the cue verb's complement, with the source before it where the
    clause ran into it and the cue taking a preposition that leads the content."""
    doc, verb, cue, source = d.doc, frame.verb, frame.cue, frame.source
    s_start, s_end, evidence, content = frame.s_start, frame.s_end, frame.evidence, frame.content
    found = _complement(d, verb, cue[1])
    if found is not None:
        first, last, rule = found
        if first < verb.i and source is None and not frame.impersonal:
            source = _name_before(d, cue[0], s_start)
            if source is not None:  # "…, Lindsey Graham Says": the clause ran into the name
                evidence.append("source:name-before-cue")
        if first < verb.i:
            last = min(last, (source[0] if source and source[0] < cue[0] else cue[0]) - 1)
            first = max(first, s_start)
        else:
            first = max(first, cue[1] + 1)
            while first < last and (  # "said Friday that …": the time dates the saying
                (doc[first].lower_ in _CUE_TIMES and doc[first + 1].lower_ not in ("'s", "’s"))
                or (doc[first].lower_ in ("on", "last") and doc[first + 1].lower_ in _CUE_TIMES)
            ):
                first += 1
            # a clause the parse cut short runs on; an infinitive or a phrase ends itself
            if (
                last + 1 < s_end
                and _mid_clause(d, doc[last + 1])
                and rule in ("content:ccomp", "content:parataxis", "content:obj")
            ):
                last = s_end - 1
                rule += "+to-sentence-end"
            last = _trailing_cut(d, first, min(last, s_end - 1))
        if rule == "content:obj" and last == first and doc[first].lower_ in _PERSONAL:
            last = first - 1  # "called him", "warned them": the one addressed, not a saying
        if last >= first:
            content = [_chars(doc, first, last)]
            evidence.append(rule)
            if rule == "content:obl" and first == cue[1] + 2 and doc[cue[1] + 1].pos_ == "ADP":
                cue = (cue[0], cue[1] + 1)  # "warned against", "asked about": one predicate
    frame.content, frame.source, frame.cue = content, source, cue


def _other_content(d: _Document, frame: _VerbFrame) -> None:
    """Content where the complement gave none: a passive's subject, "seen as", an "as" aside,
    a parenthetical, the rest of a sentence the parser split, or the words next to the cue."""
    doc, verb, lemma, cue, source = d.doc, frame.verb, frame.lemma, frame.cue, frame.source
    s_start, s_end, evidence, content = frame.s_start, frame.s_end, frame.evidence, frame.content
    subject = frame.subject
    if (
        not content
        and "source:agent" in evidence
        and subject is not None
        and subject.i < cue[0]
        and lemma not in _ADDRESSED
        and source is not None
        and not any(t.lower_ in _CLAUSE_OPENERS for t in doc[source[0] : source[1] + 1])
    ):
        # "The plan has been endorsed by the union": what was endorsed is the passive subject
        first, last = _source_span(d, subject, cue)
        if last >= first:
            content = [_chars(doc, first, last)]
            evidence.append("content:passive-subject")
            if cue[1] + 1 < s_end and doc[cue[1] + 1].lower_ == "by":
                cue = (cue[0], cue[1] + 1)
    if not content and lemma in _VIEWING and subject is not None and _is_passive(d, verb):
        viewed = _viewed_as(d, verb, subject, cue, s_end)
        if viewed is not None:  # "Kyle has been widely seen as a conservative icon"
            content, cue = viewed
            evidence.append("content:passive-subject-as")
    if not content:
        content = _as_clause_content(d, verb, cue[1], s_start, s_end)
        if content:
            evidence.append("content:around-as-clause")
    if not content:
        content = _parenthetical_content(d, verb, s_start, s_end)
        if content:
            evidence.append("content:around-parenthetical")
    if not content and _split_after(d, cue[1], s_end):
        # "Bill Clinton calls Obamacare ‘crazy’": the parser ended its sentence at the verb (a
        # headline, a quote), so the rest of the sentence is what its tree could not hold
        content = [_chars(doc, cue[1] + 1, s_end - 1)]
        evidence.append("content:after-split-parse")
    if not content:
        content = _linear_content(d, verb, cue, source, s_start, s_end, frame.strong)
        opening = d.text[content[0][0] : content[0][1]].lstrip(_EDGE_PUNCT) if content else ""
        if opening.split(" ", 1)[0].lower() in _COORDINATORS:
            content = []  # "He told her, and she left": the next clause is not what was told
        if content:
            evidence.append("content:adjacent")
            frame.confidence -= 0.15
    frame.content, frame.cue = content, cue


def _verb_found(d: _Document, frame: _VerbFrame, cue_class: str, sent: SpacySpan) -> _Found | None:
    """The attribution in characters: a source by position when syntax gave none, a raised
    subject moved into the content, the cue widened to the whole predicate."""
    doc, text, verb, lemma = d.doc, d.text, frame.verb, frame.lemma
    cue, source, content, evidence = frame.cue, frame.source, frame.content, frame.evidence
    s_start, s_end, impersonal = frame.s_start, frame.s_end, frame.impersonal
    if source is None and not impersonal and doc[cue[0] - 1].lower_ == "it":
        impersonal = _is_passive(d, verb)
        if impersonal:
            evidence.append("source:impersonal")
    if source is None and not impersonal:
        source = _linear_source(d, cue, content, sent, s_start, s_end)
        source = _clean_source(d, source) if source is not None else None
        if source is not None:
            evidence.append("source:adjacent")
            frame.confidence -= 0.05
    if source is not None and _overlaps(_chars(doc, *source), content):
        source = None
    if (
        lemma in _RAISING
        and source is not None
        and source[1] < cue[0]
        and "source:nsubj" in evidence
    ):
        # "The statistics appear to be fabricated": the subject is what the author hedges about,
        # not someone holding a view, so it opens the content and nobody is named ("It seems
        # that …": an empty "it" opens nothing)
        if not (source[0] == source[1] and doc[source[0]].lower_ == "it"):
            content = [_chars(doc, *source), *content]
        source = None
        evidence = [e for e in evidence if e != "source:nsubj"] + ["content:raised-subject"]
    cue = _widen_cue(d, cue, source, content, lemma, s_end)
    cue_chars = _chars(doc, *cue)
    content = [_trim(text, a, b) for a, b in content]
    content = [(a, b) for a, b in content if b > a and (b <= cue_chars[0] or a >= cue_chars[1])]
    if not content:
        _veto(d, "its content lies inside the cue")
        return None
    source_chars = _trim(text, *_chars(doc, *source)) if source else None
    if source_chars is not None and source_chars[1] <= source_chars[0]:
        source_chars = None  # only punctuation or spaces: no source
    return _Found(
        cue=cue_chars,
        cue_class=cue_class,
        source=source_chars,
        content=content,
        evidence=evidence,
        confidence=frame.confidence,
    )


def _supposed(d: _Document, verb: Token) -> bool:
    """Whether ``verb`` opens a condition ("if you want …", "unless they believe …") or a free
    relative ("whoever he wants"): a view supposed, held by nobody in particular."""
    if not d.syntax:
        return False
    return any(
        c.dep_ == "mark" and c.lower_ in ("if", "unless") and c.i < verb.i for c in verb.children
    ) or any(
        c.lower_ in ("whoever", "whatever", "whichever") and c.i < verb.i for c in verb.children
    )


def _describes_a_group(d: _Document, verb: Token) -> bool:
    """Whether ``verb`` ("say") only sorts a poll's respondents: "voters who say the economy is
    most important", "those who said …", "the proportion of voters saying …"."""
    if not d.syntax or verb.dep_ not in ("acl:relcl", "acl") or d.lemma(verb) != "say":
        return False
    head = verb.head
    if head.lower_ in _POLLED_GROUPS or head.lemma_.lower() in _POLLED_GROUPS:
        return True
    # "the proportion of GOP primary voters saying": the group named inside the phrase
    return head.dep_ == "nmod" and head.head.lower_ in _POLLED_GROUPS


def _as_put_it(d: _Document, verb: Token, cue_last: int, s_end: int) -> bool:
    """Whether "put" is the saying of "as one analyst put it[,]" / "as she put it in an
    interview": an "as" clause whose "put it" ends it or is followed only by the medium."""
    doc = d.doc
    if cue_last == verb.i or not any(
        c.dep_ == "mark" and c.lower_ == "as" for c in _children(d, verb)
    ):
        return False
    after = cue_last + 1
    if after >= s_end or doc[after].is_punct:
        return True
    return doc[after].pos_ == "ADP" and any(
        t.lemma_.lower() in _MEDIA for t in doc[after : min(after + 4, s_end)]
    )


def _final_frame(d: _Document, sent: SpacySpan, taken: set[int]) -> _Found | None:
    """ "…, a USA TODAY analysis shows." / "…, data from the board show.": a sentence that ends
    in ", <noun phrase> <cue verb>". The parser often reads the cue as a noun or hangs it off the
    clause before, so position decides: the clause before the comma is the content."""
    doc = d.doc
    s_start, s_end = _sentence_bounds(d, sent)
    last = s_end - 1
    while last > s_start and doc[last].lower_ in _CUE_TIMES:
        last -= 1
    if last - s_start < 6 or doc[last].idx in taken:
        _skip(d, "a short sentence, or its last word is a cue already")
        return None
    entry = d.lexicon.forms.get(doc[last].lower_)
    cue = doc[last]
    if entry is None or entry[1] != "verb" or not cue.text[:1].islower():
        _skip(d, "the sentence does not end in a reporting verb")
        return None
    if not (cue.pos_ == "VERB" or (cue.pos_ == "NOUN" and not cue.lower_.endswith("s"))):
        _veto(d, "its last word is not tagged a verb")
        return None
    comma = last - 1
    while comma > s_start and doc[comma].text not in (",", "—", "–"):
        token = doc[comma]
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("amod", "compound"):
            _veto(d, "another verb between the comma and the cue")
            return None
        comma -= 1
    if (
        not (2 <= last - comma <= 12)
        or comma - s_start < 4
        or d.quoted_chars(doc[comma].idx, doc[last].idx)
    ):
        _veto(d, "no short unquoted phrase between a comma and the cue")
        return None
    opener = doc[comma + 1]
    if opener.pos_ not in ("DET", "PROPN", "NOUN", "PRON", "NUM") or opener.lower_ in (
        "which",
        "that",
        "who",
    ):
        _veto(d, "the phrase before the cue is not a noun phrase")
        return None
    lemma = entry[0]
    content = _trim(d.text, *_chars(doc, s_start, comma - 1))
    return _Found(
        cue=_chars(doc, last, last),
        cue_class=d.lexicon.verbs[lemma],
        source=_chars(doc, comma + 1, last - 1),
        content=[content],
        evidence=[
            f"cue:sentence-final:{d.lexicon.verbs[lemma]}",
            "source:before-cue",
            "content:before-comma",
        ],
        confidence=0.65,
    )


def _speaker_with_clause(d: _Document, verb: Token, lemma: str) -> bool:
    """A verb outside the lexicon whose subject is a speaker and whose object a that-clause
    ("Pence conceded that …"): syntax makes it a cue."""
    if lemma in _NOT_SPEECH:
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.i > verb.i:
        return False
    speaker = (
        subject.pos_ == "PROPN"
        or subject.lower_ in _PERSON_PRONOUNS
        or subject.lower_ in ("they", "who")
        or d.ent_of_token.get(subject.i) in ("PERSON", "ORG", "GPE", "NORP")
    )
    return speaker and any(
        c.dep_ == "ccomp" and c.i > verb.i and c.left_edge.lower_ == "that" for c in verb.children
    )


def _verb_in_disguise(d: _Document, token: Token) -> bool:
    """Whether a reporting form the tagger took for a noun reads as a verb here: in a
    title-case headline ("Christie Calls …"), after a name or pronoun ("Trump plans …"), or
    before "that"/"to" + verb ("the campaign plans to …") or its particle ("calls for"); not
    "swing states", "giving states"."""
    doc = d.doc
    if token.text[:1].isupper():  # "Christie Calls …" in a headline; not "Battleground States"
        return _in_title_case_line(d, token)
    previous = doc[token.i - 1]
    if previous.pos_ in ("PROPN", "PRON"):
        return True
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    after = doc[token.i + 2] if token.i + 2 < len(doc) else None
    entry = d.lexicon.forms.get(token.lower_)
    if following is not None and entry and following.lower_ in _PARTICLES.get(entry[0], ()):
        return True  # "chairman calls for …"
    if following is not None and following.pos_ == "ADV" and after is not None:
        following, after = after, doc[token.i + 3] if token.i + 3 < len(doc) else None
    if following is not None and following.lower_ in _CLAUSE_OPENERS - {"that"}:
        return True  # "the analysis reveals just how …"
    return (
        following is not None
        and after is not None
        and following.lower_ in ("that", "to")
        and (following.lower_ == "that" or after.pos_ in ("VERB", "AUX"))
    )


def _in_title_case_line(d: _Document, token: Token) -> bool:
    """Whether ``token`` stands in a title-case line (a headline): most words capitalised."""
    text = d.text
    start = text.rfind("\n", 0, token.idx) + 1
    end = text.find("\n", token.idx)
    words = text[start : end if end >= 0 else len(text)].split()
    return len(words) >= 3 and sum(1 for w in words if not w[:1].islower()) >= 0.8 * len(words)
