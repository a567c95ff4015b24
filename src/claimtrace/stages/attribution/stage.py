"""The attribution stage's entry point, :func:`run`, and the strategies it runs, in order.

:data:`WORD_FRAMES` picks the frame a token is tried by from the word it is; :data:`FRAMES`
are tried in turn on every other token, the first attribution found winning; :data:`PASSES`
run over the attributions found, in order, and end with the author's assertions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Final

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimtrace.stages.attribution.according import _according_to
from claimtrace.stages.attribution.adjectives import _adjective_attribution, _adverb_attribution
from claimtrace.stages.attribution.author import _author_claims
from claimtrace.stages.attribution.claims import _to_claims
from claimtrace.stages.attribution.colon import _headline_attribution, _line_frames
from claimtrace.stages.attribution.content import _cut_at_following_cues
from claimtrace.stages.attribution.document import (
    _Document,
    _Found,
    _sentence_bounds,
    _sentences,
    _trim,
)
from claimtrace.stages.attribution.followon import _drop_borrowed_quotes, _follow_ons
from claimtrace.stages.attribution.impersonal import _impersonal_adjective, _naming_attribution
from claimtrace.stages.attribution.lexicon import (
    _DETERMINERS,
    _EVIDENT,
    _LIGHT_VERBS,
    _NAMING,
    _QUOTE_CHARS,
    _RECEIVING,
    _STANCE_ADJECTIVES,
    _SUBJECTS,
    _VERB_ONLY_FORMS,
)
from claimtrace.stages.attribution.nouns import (
    _light_verb_attribution,
    _noun_attribution,
    _received_criticism,
)
from claimtrace.stages.attribution.polls import _poll_attribution
from claimtrace.stages.attribution.sources import _quote_speakers, _resolve_sources
from claimtrace.stages.attribution.trace import (
    INNER_CUES,
    LINE_FRAMES,
    PASS,
    SENTENCE_FINAL,
    Trace,
    active_trace,
)
from claimtrace.stages.attribution.verbs import (
    _final_frame,
    _speaker_with_clause,
    _verb_attribution,
    _verb_in_disguise,
)
from claimtrace.stages.attribution_lexicon import Lexicon, load_lexicon
from claimtrace.stages.context import Findings, StageContext


def _asks_the_reader(d: _Document, token: Token, sent: SpacySpan) -> bool:
    """ "Do you think …?", "Would you think …?": a question put to the reader reports no view."""
    if not d.syntax:
        return False
    subject = next((c for c in token.children if c.dep_ in _SUBJECTS), None)
    if subject is None or subject.lower_ != "you":
        return False
    last = sent.end - 1
    while last > sent.start and (d.doc[last].is_space or d.doc[last].text in _QUOTE_CHARS):
        last -= 1
    return d.doc[last].text == "?"


def _not_a_report(d: _Document, token: Token, sent: SpacySpan) -> str | None:
    """Why a reporting word reports nothing here, or None: idioms of the author's ("it goes
    without saying", "it is worth noting"), credit lines ("Reporting by …; Editing by …") and
    orders to the reader ("Ask yourself …", "Please note …")."""
    doc = d.doc
    previous = doc[token.i - 1].lower_ if token.i > sent.start else ""
    following = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
    if token.lower_.endswith("ing") and (
        previous == "worth" or (previous == "without" and token.lower_ == "saying")
    ):
        return "an idiom of the author's (worth noting, without saying)"
    if token.lower_ in ("reporting", "writing", "editing") and following == "by":
        return "a credit line (Reporting by …)"
    if previous == "having" and token.lower_ == "said" and following == "that":
        return "'Having said that': the author turning, not a report"
    if _asks_the_reader(d, token, sent):
        return "a question put to the reader"
    if not d.syntax:
        return None
    first = sent.start  # the sentence's first word
    while first < token.i and (doc[first].is_punct or doc[first].is_space):
        first += 1
    if (
        token.lower_ in ("speaking", "talking", "appearing")
        and token.dep_ == "advcl"
        and first == token.i
        and token.head.i > token.i
    ):
        # "Speaking to reporters, Smith said …": where, not a saying of its own
        return "'Speaking to …' sets the scene of the main clause's saying"
    if token.tag_ != "VB" or token.dep_ != "ROOT":
        return None
    if first < token.i and doc[first].lower_ == "please":
        first += 1
    if any(c.dep_ in (*_SUBJECTS, "aux", "aux:pass") for c in token.children):
        return None
    # an imperative opens its sentence, or follows only its own adverbials ("If you want to
    # know more, read …"), and has no subject: the reader is told to do it
    left = [c for c in token.children if c.i < token.i]
    imperative = first == token.i or (
        bool(left)
        and all(c.dep_ in ("advcl", "advmod", "obl", "punct", "discourse") for c in left)
        and min(c.left_edge.i for c in left) <= first
    )
    return "an order to the reader (an imperative)" if imperative else None


def _adverb_frame(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    return _adverb_attribution(d, token, d.lexicon.adverbs[token.lower_], sent)


def _naming_frame(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    if d.tags and token.lower_ in _NAMING and token.tag_ == "VBN":
        return _naming_attribution(d, token, sent)
    if d.trace is not None:
        d.trace.note("skipped", "not a past participle of a naming verb")
    return None


def _headline_frame(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    if d.tags and token.pos_ in ("PROPN", "NOUN"):
        return _headline_attribution(d, token, sent)
    if d.trace is not None:
        d.trace.note("skipped", "not a noun or name")
    return None


def _light_verb_frame(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    if d.tags and token.pos_ in ("VERB", "AUX") and d.lemma(token) in _LIGHT_VERBS:
        return _light_verb_attribution(d, token, sent)
    if d.trace is not None:
        d.trace.note("skipped", "not a light verb")
    return None


def _received_frame(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    if d.tags and token.pos_ == "VERB" and d.lemma(token) in _RECEIVING:
        return _received_criticism(d, token, sent)
    if d.trace is not None:
        d.trace.note("skipped", "not a verb of receiving")
    return None


def _evident_frame(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    if d.tags and token.pos_ == "ADJ" and token.lower_ in _EVIDENT:
        return _impersonal_adjective(d, token, sent)
    if d.trace is not None:
        d.trace.note("skipped", "not an adjective of evidence")
    return None


def _stance_frame(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    if d.tags and token.pos_ == "ADJ" and token.lower_ in _STANCE_ADJECTIVES:
        return _adjective_attribution(d, token, sent)
    if d.trace is not None:
        d.trace.note("skipped", "not a stance adjective")
    return None


def _lexicon_frame(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    """A reporting verb or noun of the lexicon: by the tagger's part of speech where there is
    one (with forms it mistagged), else by the lexicon's forms and the word before."""
    lexicon = d.lexicon
    if d.tags:
        pos = token.pos_
        lemma = d.lemma(token)
        if pos == "VERB" and lemma in lexicon.verbs:
            return _verb_attribution(d, token, lemma, lexicon.verbs[lemma], sent)
        entry = lexicon.forms.get(token.lower_)
        mistagged = (
            entry is not None
            and entry[1] == "verb"
            and pos in ("NOUN", "PROPN", "ADJ")
            and token.lower_ != entry[0]
            and token.i not in d.ent_of_token
            and token.i > sent.start
            and (
                d.doc[token.i - 1].pos_ not in ("DET", "ADJ", "NUM", "ADP", "PRON")
                or d.doc[token.i - 1].tag_ == "PRP"  # "he mocks", not "his plans"
            )
            and token.lower_.endswith(("s", "ed"))
            and token.lower_ not in lexicon.nouns
            and token.lower_[:-1] not in lexicon.nouns
            and _verb_in_disguise(d, token)
        )
        if pos == "VERB" and d.syntax and _speaker_with_clause(d, token, lemma):
            return _verb_attribution(d, token, lemma, "say", sent, rule="cue:verb-with-clause")
        if token.lower_ in _VERB_ONLY_FORMS or mistagged:  # "Calls" in a headline, tagged NOUN
            lemma = lexicon.forms[token.lower_][0]
            return _verb_attribution(d, token, lemma, lexicon.verbs[lemma], sent)
        if pos in ("NOUN", "PROPN") and lemma in lexicon.nouns:
            return _noun_attribution(d, token, lexicon.nouns[lemma], sent)
        if d.trace is not None:
            if pos == "VERB":
                d.trace.note("vetoed", f"verb {lemma!r}: not in the lexicon, no that-clause")
            else:
                d.trace.note("skipped", "not a reporting word of the lexicon")
        return None
    entry = lexicon.forms.get(token.lower_)
    if entry is None:
        if d.trace is not None:
            d.trace.note("skipped", "not a form of the lexicon")
        return None
    lemma, pos = entry
    previous = d.doc[token.i - 1].lower_ if token.i > sent.start else ""
    if lemma in lexicon.nouns and (pos == "noun" or previous in _DETERMINERS | {"were", "are"}):
        return _noun_attribution(d, token, lexicon.nouns[lemma], sent)
    if pos == "verb":
        return _verb_attribution(d, token, lemma, lexicon.verbs[lemma], sent)
    if d.trace is not None:
        d.trace.note("vetoed", f"the noun {lemma!r} without a determiner before it")
    return None


#: A frame: the attribution a token opens in its sentence, or None.
Frame = Callable[[_Document, Token, SpacySpan], _Found | None]

#: The frames a token that is no word of :data:`WORD_FRAMES` is tried by, in order: the first
#: that finds an attribution wins. Each says itself where it applies (the tagger's part of
#: speech, the word); the lexicon's verbs and nouns come last.
FRAMES: Final[tuple[tuple[str, Frame], ...]] = (
    ("naming", _naming_frame),
    ("headline-verb", _headline_frame),
    ("light-verb", _light_verb_frame),
    ("received-criticism", _received_frame),
    ("impersonal-adjective", _evident_frame),
    ("stance-adjective", _stance_frame),
    ("lexicon", _lexicon_frame),
)


def _lexical(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    """The first attribution of :data:`FRAMES` for ``token``, unless it reports nothing here."""
    if d.trace is not None:
        return _lexical_traced(d, d.trace, token, sent)
    if _not_a_report(d, token, sent):
        return None
    for _name, frame in FRAMES:
        item = frame(d, token, sent)
        if item is not None:
            return item
    return None


def _lexical_traced(d: _Document, trace: Trace, token: Token, sent: SpacySpan) -> _Found | None:
    """:func:`_lexical`, telling ``trace`` what each frame made of ``token``."""
    reason = _not_a_report(d, token, sent)
    if reason:
        trace.record(token, "not-a-report", "vetoed", reason)
        return None
    for name, frame in FRAMES:
        item = frame(d, token, sent)
        trace.attempt(token, name, item)
        if item is not None:
            return item
    return None


#: The frames chosen by the word a token is, in order of precedence: a token whose lower-case
#: form is one of an entry's words is tried by that frame only ("according" only opens
#: "according to"); every other token is tried by :data:`FRAMES`.
WORD_FRAMES: Final[tuple[tuple[str, Callable[[Lexicon], Iterable[str]], Frame], ...]] = (
    ("according-to", lambda lexicon: ("according",), _according_to),
    ("poll", lambda lexicon: ("in",), _poll_attribution),
    ("adverb", lambda lexicon: lexicon.adverbs, _adverb_frame),
)


def _frames_by_word(lexicon: Lexicon) -> dict[str, Frame]:
    """The frame of :data:`WORD_FRAMES` for each word it is chosen by (the first entry wins)."""
    frames: dict[str, Frame] = {}
    for _name, words, frame in WORD_FRAMES:
        for word in words(lexicon):
            frames.setdefault(word, frame)
    return frames


def _find_cues(d: _Document) -> list[_Found]:
    """Every attribution with a cue, in document order."""
    trace = d.trace
    found = _line_frames(d)
    if trace is not None:
        trace.found_whole(LINE_FRAMES, found)
    frames = _frames_by_word(d.lexicon)
    names = _word_frame_names(d.lexicon) if trace is not None else {}
    taken: set[int] = set()  # token starts already used as cues
    for a in found:
        if a.cue:
            taken.add(a.cue[0])
    for sent in _sentences(d.doc):
        for token in sent:
            if token.is_space or token.is_punct:
                continue
            if token.idx in taken:
                if trace is not None:
                    trace.record(token, "cue", "skipped", "already the cue of an attribution")
                continue
            item = frames.get(token.lower_, _lexical)(d, token, sent)
            if trace is not None and token.lower_ in names:
                trace.attempt(token, names[token.lower_], item)
            if item is not None:
                found.append(item)
                if item.cue:
                    taken.add(item.cue[0])
        if d.tags:
            item = _final_frame(d, sent, taken)
            if trace is not None:
                _trace_final(d, trace, sent, item)
            if item is not None and item.cue:
                found.append(item)
                taken.add(item.cue[0])
    found.sort(key=lambda a: a.cue or (0, 0))
    if trace is None:
        return _without_inner_cues(found)
    before = trace.snapshot(found)
    kept = _without_inner_cues(found)
    trace.compare(INNER_CUES, before, kept)
    return kept


def _word_frame_names(lexicon: Lexicon) -> dict[str, str]:
    """The name of the :data:`WORD_FRAMES` entry each word is tried by (for the trace)."""
    names: dict[str, str] = {}
    for name, words, _frame in WORD_FRAMES:
        for word in words(lexicon):
            names.setdefault(word, name)
    return names


def _trace_final(d: _Document, trace: Trace, sent: SpacySpan, item: _Found | None) -> None:
    """The sentence-final frame's event, on its cue or on the sentence's last word."""
    s_start, s_end = _sentence_bounds(d, sent)
    if s_end <= s_start:
        trace.attempt(d.doc[sent.start], SENTENCE_FINAL, None)
        return
    token = d.doc[s_end - 1]
    if item is not None and item.cue is not None:
        span = d.doc.char_span(*item.cue, alignment_mode="expand")
        token = span[0] if span is not None and len(span) else token
    trace.attempt(token, SENTENCE_FINAL, item)


def _without_inner_cues(found: list[_Found]) -> list[_Found]:
    """Drop an attribution whose cue lies inside a longer one's ("refused" inside "refused to
    disclose"): the predicate is one cue, reported once."""
    order = sorted(found, key=lambda a: (a.cue[0], -a.cue[1]) if a.cue else (-1, 0))
    kept: list[_Found] = []
    widest: tuple[int, int] | None = None  # the cue reaching furthest right so far
    for a in order:
        if a.cue is not None:
            inner = widest is not None and a.cue[1] <= widest[1] and a.cue != widest
            if inner and not a.evidence[0].startswith("cue:adverb"):
                continue  # "reportedly" in "reportedly expect" still reports on its own
            if widest is None or a.cue[1] > widest[1]:
                widest = a.cue
        kept.append(a)
    kept.sort(key=lambda a: a.cue or (0, 0))
    return kept


def _in_cue_order(d: _Document, found: list[_Found], sentences: list[tuple[int, int]]) -> None:
    found.sort(key=lambda a: (a.cue or (0, 0), a.content[0]))


def _resolved_sources(d: _Document, found: list[_Found], sentences: list[tuple[int, int]]) -> None:
    _resolve_sources(d, found)


def _quoted_speakers(d: _Document, found: list[_Found], sentences: list[tuple[int, int]]) -> None:
    _quote_speakers(d, found)


def _cut_contents(d: _Document, found: list[_Found], sentences: list[tuple[int, int]]) -> None:
    _cut_at_following_cues(d, found)


def _borrowed_quotes(d: _Document, found: list[_Found], sentences: list[tuple[int, int]]) -> None:
    _drop_borrowed_quotes(found)


def _author(d: _Document, found: list[_Found], sentences: list[tuple[int, int]]) -> None:
    found.extend(_author_claims(d, found, sentences))


#: A pass over the attributions of a document: it changes them (or adds to them) in place.
Pass = Callable[[_Document, list[_Found], list[tuple[int, int]]], None]

#: What runs after the cues are found, in order: follow-on quotes join their speaker, sources
#: are resolved in document order, "I" in a quote becomes its speaker, contents end before a
#: following cue, a quote reported by its own frame leaves the follow-on, and the sentences no
#: attribution covers become the author's.
PASSES: Final[tuple[tuple[str, Pass], ...]] = (
    ("follow-ons", _follow_ons),
    ("cue-order", _in_cue_order),
    ("sources", _resolved_sources),
    ("quote-speakers", _quoted_speakers),
    ("cut-at-following-cues", _cut_contents),
    ("borrowed-quotes", _borrowed_quotes),
    ("author", _author),
)


def run(doc: Doc, ctx: StageContext) -> Findings:
    """The claims of ``doc``: attributions with their cue, source and content, then the author's."""
    text = ctx.document.text
    d = _Document(doc, text, load_lexicon())
    sentences = [(s.start, s.end) for s in ctx.found.sentences] or [
        _trim(text, s.start_char, s.end_char, " \n\t\r") for s in doc.sents
    ]
    trace = active_trace()
    if trace is not None:
        trace.enter(text, ctx.offset)
        d.trace = trace
    found = _find_cues(d)
    for name, step in PASSES:
        if trace is None:
            step(d, found, sentences)
        else:
            before = trace.snapshot(found)
            step(d, found, sentences)
            trace.compare(PASS + name, before, found)
    claims = tuple(_to_claims(d, ctx, found))
    if trace is not None:
        trace.link(found, lambda a: ctx.claim_id((a.content[0][0], a.content[-1][1]), a.cue))
    return replace(ctx.found, claims=claims)
