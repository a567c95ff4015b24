"""Attribution: who claims what. Cues, their sources and contents, and the author's assertions.

Cues come from the lexicon in ``data/cues.tsv`` (reporting verbs, nouns, adverbs, "according to"),
colon frames ("It added: ‘…’"), colon headlines ("Pence: …") and dash bylines ("“…” ― Name").
With a parser, syntax decides: a cue verb's subject is the source and its clausal complement the
content; without one (the ``rules`` pipeline) only quote, colon, "according to", "that" and
adjacency patterns apply, with lower confidence. Quotes (``quotes.py``) make content direct or
mixed and carry content across sentences and paragraphs; a follow-on quote (or a sentence of
the author's around a quoted fragment) joins its speaker's claim as one more content span.
Pronoun, descriptive and surname sources ("It", "he", "the group", "Prigozhin") are resolved to
the last speaker or the nearest compatible earlier mention; the antecedent's offsets are
recorded in the claim's evidence as ``antecedent:RULE:START-END`` until an ``entities`` stage
gives ``source_entity`` ids (``source_entity`` stays null here).

Every sentence that carries no attribution and is not a headline, byline, question or
boilerplate becomes an author assertion (``source_kind: author``, ``cue: null``). Certainty and
negation are refined by the ``certainty`` stage that runs next.

>>> from claimtrace import Extractor, Settings
>>> result = Extractor(Settings(model="rules")).extract_text("The army said that it advanced.")
>>> claim = result.claims[0]
>>> claim.source.text, claim.cue.text, claim.content[0].text, claim.certainty
('The army', 'said', 'that it advanced', 'reported')
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field, replace
from typing import Final

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimtrace.records import Claim, QuoteKind, SourceKind, Span, stable_id
from claimtrace.stages.attribution_lexicon import CERTAINTY, Lexicon, load_lexicon, word_set
from claimtrace.stages.context import Findings, StageContext
from claimtrace.stages.entities import load_entity_words
from claimtrace.stages.quotes import Quote, find_quotes

__all__ = ["run"]


#: verbs that are cues on adjacency alone; the others need a clause or a quote as complement
_STRONG: Final = word_set(
    "say tell add claim allege believe report deny warn insist argue state note explain write "
    "announce think ask reply respond acknowledge admit confirm predict suggest testify"
)
_AUX: Final = word_set(
    "has have had is was were are be been being will would did does do 's 've 'd can could "
    "may might must should shall"
)
_NEG: Final = word_set("not n't never")
_CUE_ADVERBS: Final = word_set("also now then often even later previously repeatedly")
_CUE_TIMES: Final = word_set(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday then later"
)
_LEADING_JUNK: Final = word_set("but and however yet so also even then shortly")
#: punctuation that sets off an inserted "he said"
_SET_OFF: Final = frozenset([",", "–", "—"])
#: verbs that are cues only before or after a quotation ("She continued: “…”"), never with a
#: clause or an object ("continued to fight")
_QUOTE_ONLY: Final = word_set("continue")
#: mental-state verbs: cues only with a clause ("knows that …"), not an object ("knows him")
_CLAUSAL_ONLY: Final = word_set("know think understand feel realize realise hope fear")
#: forms that are reporting verbs whatever the tagger says
_VERB_ONLY_FORMS: Final = word_set(
    "said says told tells claimed added warned argued stated noted explained wrote announced "
    "denied insisted alleged believes"
)
_TITLES: Final = word_set(
    "mr. mrs. ms. dr. rep. sen. gov. gen. lt. col. sgt. capt. prof. rev. st. jr. sr. pres. "
    "reps. sens. u.s. u.n."
)
_NOT_SPEECH: Final = word_set("be have do get make let see mean ensure require")
_REPORTING_PREPOSITIONS: Final = word_set("about of against for on over")
_ADDED_CLAUSE: Final = word_set("but which who while whereas although though according")
#: "claimed last month that …": a time misparsed as the object is not what was claimed
_TEMPORAL_NOUNS: Final = word_set(
    "month week year day night morning evening afternoon weekend time today yesterday "
    "monday tuesday wednesday thursday friday saturday sunday"
)
#: verbs whose object alone is not what was said ("told him", "called a meeting"): they need a
#: predicate after it ("told him to go", "called it a disgrace")
_NEEDS_PREDICATE: Final = word_set("tell")
#: how something was said: "said in a statement", "wrote in an email" make one cue; a place or
#: an audience ("said in Ohio", "told CNBC in August") does not
_MEDIA: Final = word_set(
    "statement interview email e-mail letter tweet post speech op-ed column memo release "
    "conference call briefing broadcast hearing testimony message video radio television tv"
)
_PARTICLES: Final = {
    "call": ("for", "on"),
    "point": ("out", "to"),
    "respond": ("to",),
    "refer": ("to",),
    "speak": ("of", "about"),
    "talk": ("about",),
    "complain": ("about",),
    "comment": ("on",),
    "warn": ("against",),
    "push": ("for",),
    "press": ("for",),
    "argue": ("for", "against"),
    "advocate": ("for",),
    "rail": ("against",),
    "agree": ("with",),
}
_SUBJECTS: Final = ("nsubj", "nsubj:pass", "nsubj:outer", "csubj")
_PERSON_PRONOUNS: Final = word_set("he she him his her i me we us you")
_GROUP_PRONOUNS: Final = word_set("it its they them their")
_UNNAMED_HEADS: Final = word_set(
    "source sources official officials expert experts analyst analysts critic critics people "
    "observer observers report reports witness witnesses insider insiders aide aides resident "
    "residents someone spokesman spokeswoman spokesperson"
)
_DETERMINERS: Final = word_set("the a an this that these those some many several")
_EDGE_PUNCT: Final = " \t\n\r\xa0.,;:–—-―"
_BOILERPLATE: Final = re.compile(
    r"^(read (the rest|more)|click here|follow (us|\w+ \w+ on)|sign up|subscribe|"
    r"\(?reporting by|copyright|all rights reserved|share this|related:|photo:|image:|"
    r"watch:|listen:|advertisement|corrections?:|clarification:|editor'?s note)",
    re.IGNORECASE,
)
_QUOTE_CHARS: Final = "“”‘’\"'„"


@dataclass(slots=True)
class _Found:
    """An attribution under construction: character spans, evidence and confidence."""

    cue: tuple[int, int] | None
    cue_class: str
    source: tuple[int, int] | None
    content: list[tuple[int, int]]
    evidence: list[str] = field(default_factory=list)
    confidence: float = 0.8
    kind: SourceKind = "unnamed"
    quote: QuoteKind = "indirect"


class _Document:
    """The parsed document with what every rule needs: text, quotes, capabilities, mentions."""

    def __init__(self, doc: Doc, text: str, lexicon: Lexicon) -> None:
        self.doc = doc
        self.text = text
        self.lexicon = lexicon
        self.syntax = doc.has_annotation("DEP")
        self.lemmas = doc.has_annotation("LEMMA")
        self.tags = doc.has_annotation("POS")
        self.quotes = find_quotes(text)
        self._quote_starts = [q.start for q in self.quotes]
        self.open_at = {q.start - 1: q for q in self.quotes}
        self.close_at = {q.end: q for q in self.quotes if q.closed}
        self.groups: dict[int, list[Quote]] = {}
        for quote in self.quotes:
            self.groups.setdefault(quote.group, []).append(quote)
        ents = doc.ents if doc.has_annotation("ENT_IOB") else ()
        self.ents = [(e.start_char, e.end_char, e.label_) for e in ents]
        self.ent_of_token: dict[int, str] = {}
        for ent in ents:
            for i in range(ent.start, ent.end):
                self.ent_of_token[i] = ent.label_

    def lemma(self, token: Token) -> str:
        if self.lemmas:
            return token.lemma_.lower()
        entry = self.lexicon.forms.get(token.lower_)
        return entry[0] if entry else token.lower_

    def is_verb(self, token: Token) -> bool:
        return token.pos_ in ("VERB", "AUX") if self.tags else False

    def quoted_chars(self, start: int, end: int) -> int:
        """How many characters of ``[start, end)`` lie inside quotes."""
        total = 0
        k = bisect_right(self._quote_starts, end) - 1
        while k >= 0:
            quote = self.quotes[k]
            if quote.end <= start:
                break
            total += max(0, min(end, quote.end) - max(start, quote.start))
            k -= 1
        return total

    def group_spans(self, quote: Quote) -> list[tuple[int, int]]:
        return [(q.start, q.end) for q in self.groups[quote.group]]


def _trim(text: str, start: int, end: int, strip: str = _EDGE_PUNCT) -> tuple[int, int]:
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


def _chars(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Characters of tokens ``first..last`` inclusive."""
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _cue_tokens(d: _Document, verb: Token, lemma: str, sent: SpacySpan) -> tuple[int, int]:
    """The cue's tokens: the verb with the auxiliaries and negation just before it, a particle,
    and the verb that governs it when they form one predicate ("refused to disclose", "went on
    to explain", "avoids condemning").

    A time right after the verb ("said Friday") is not part of the cue: it dates the saying.
    """
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
            and previous.pos_ == "ADV"
            and previous.lower_ not in _CUE_TIMES
            and previous.lower_ not in d.lexicon.adverbs  # "reportedly" is a cue of its own
        )
        if (previous.lower_ in _AUX or previous.lower_ in _NEG or between) and previous.text[
            :1
        ].islower():
            first -= 1  # "has called", "did not immediately respond"
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
            and (previous.lower_ in _AUX or previous.lower_ in _NEG or previous.pos_ == "ADV")
        ):
            first -= 1
        else:
            break
    while first < head.i and d.doc[first].lower_ not in _AUX and d.doc[first].pos_ != "ADV":
        first += 1
    return first


def _subject(d: _Document, verb: Token) -> Token | None:
    """The verb's subject, or the subject it shares with the verb it depends on."""
    if not d.syntax:
        return None
    # a no-break space can come out as a subject token of its own
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS and not c.is_space]
    if subjects:  # a misparse can give two: the nearest is the speaker
        return min(subjects, key=lambda c: abs(c.i - verb.i))
    # "… and said", "tried to claim", ", adding …": the subject of the verb it hangs from
    token = verb
    for _ in range(3):
        participle = token.text.endswith("ing")
        if token.dep_ == "ROOT" or not (
            token.dep_ in ("conj", "xcomp", "advcl") or (participle and token.dep_ != "ROOT")
        ):
            break
        token = token.head
        for child in token.children:
            if (
                child.dep_ in _SUBJECTS
                and child.i < verb.i
                and child.lower_ != "it"
                and not child.is_space
            ):
                return child
    return None


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "obl:agent":
            return child
    return None


def _is_passive(d: _Document, verb: Token) -> bool:
    if d.syntax and any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.children):
        return True
    previous = d.doc[verb.i - 1] if verb.i > 0 else None
    return (
        previous is not None
        and previous.lower_ in ("is", "was", "were", "are", "been", "be")
        and verb.text.endswith(("ed", "wn", "ld", "id"))
    )


def _source_span(d: _Document, subject: Token, cue: tuple[int, int]) -> tuple[int, int]:
    """Tokens of the subject phrase, kept clear of the cue."""
    first, last = subject.left_edge.i, subject.right_edge.i
    if subject.i < cue[0]:
        last = min(last, cue[0] - 1)
    else:
        first = max(first, cue[1] + 1)
    while first < last and (d.doc[first].is_punct or d.doc[first].is_space):
        first += 1
    while last > first and (d.doc[last].is_punct or d.doc[last].is_space):
        last -= 1
    return _whole_name(d, first, last, floor=0)


def _clean_source(d: _Document, source: tuple[int, int]) -> tuple[int, int] | None:
    """A source without the connectives or adverbials a parse or position swept in."""
    doc = d.doc
    first, last = source
    while first < last and (
        doc[first].lower_ in _LEADING_JUNK
        or doc[first].is_punct
        or doc[first].is_space
        or (d.tags and doc[first].pos_ in ("ADV", "CCONJ") and doc[first].lower_ != "both")
    ):
        first += 1
    if d.tags and doc[first].pos_ in ("ADP", "SCONJ"):
        commas = [i for i in range(first, last) if doc[i].text == ","]
        if not commas:
            return None if doc[first].lower_ != "by" else (_clean_source(d, (first + 1, last)))
        first = commas[-1] + 1
    # "WASHINGTON -- President Obama", "Frustration with police: Civil rights activists"
    for i in range(last - 1, first, -1):
        if doc[i].text in (":", "--", "—", "―"):
            first = i + 1
            break
    if d.syntax:  # "Trump, appearing after Clinton at the forum,": what he did, not who he is
        for i in range(first + 1, last + 1):
            token = doc[i]
            clause = (
                token.dep_ in ("acl", "advcl")
                and token.tag_ == "VBG"
                and "," in (doc[token.left_edge.i].text, doc[token.left_edge.i - 1].text)
            )
            if clause and first < token.left_edge.i <= last:
                last = token.left_edge.i - 1
                while last > first and (doc[last].is_punct or doc[last].is_space):
                    last -= 1
                break
    while last > first and doc[last].lower_ in _CUE_TIMES:  # "The Council on Friday"
        last -= 1
        if last > first and doc[last].lower_ in ("on", "last", "this", "earlier"):
            last -= 1
    if d.tags and not any(
        doc[i].pos_ in ("NOUN", "PROPN", "PRON", "NUM") or doc[i].text[:1].isupper()
        for i in range(first, last + 1)
    ):
        return None
    return (first, last) if first <= last else None


def _whole_name(d: _Document, first: int, last: int, floor: int) -> tuple[int, int]:
    """Widen a source to the whole name a misparse cut: "[Wagner chief Yevgeny] Prigozhin",
    "[Prigozhin,] head of Wagner"."""
    doc = d.doc
    if not d.tags:
        return first, last
    if doc[first].pos_ == "PROPN":
        while (
            first - 1 >= floor
            and doc[first - 1].pos_ in ("PROPN", "NOUN")
            and not (doc[first - 1].is_punct or doc[first - 1].is_space)
            and doc[first - 1].lower_ not in _CUE_TIMES  # "[On Monday] Mike Pence said"
        ):
            if doc[first - 1].pos_ == "NOUN" and doc[first - 2].pos_ != "PROPN":
                break
            first -= 1
        first = _title_before(d, first, floor)
    elif first - 2 >= 0 and doc[first - 1].text == ",":
        name = first - 2
        while name - 1 >= 0 and _is_name(doc[name - 1]) and first - name < 4:
            name -= 1
        before = doc[name - 1] if name > 0 else None
        if _is_name(doc[first - 2]) and (before is None or before.is_punct or before.is_space):
            first = name
    return first, last


def _title_before(d: _Document, first: int, floor: int) -> int:
    """Widen a name's start over the title written before it, which a misparse may leave out:
    "[Republican vice-presidential nominee] Mike Pence", "[British Prime] Minister Theresa May".

    The title is a run of role or title words ("nominee", "minister", "prime") with the
    capitalised or hyphenated modifiers before them; it must contain a role or title word."""
    doc = d.doc
    words = load_entity_words()
    start = first
    titled = bool(words.get(doc[first].lower_, frozenset()) & {"title", "role"})
    k = first - 1
    while k >= floor and first - k <= 6:
        token = doc[k]
        classes = words.get(token.lower_, frozenset())
        if classes & {"title", "role", "role-modifier"}:
            titled = titled or bool(classes & {"title", "role"})
        elif token.text == "-" and k > floor and not doc[k - 1].is_space:
            pass  # "vice-presidential"
        else:
            capitalised = token.text[:1].isupper() and token.pos_ in ("ADJ", "PROPN", "NOUN")
            hyphened = (k + 1 < len(doc) and doc[k + 1].text == "-") or (
                k > 0 and doc[k - 1].text == "-"
            )
            if token.lower_ in _CUE_TIMES or not (capitalised or hyphened):
                break
        if titled:
            start = k
        k -= 1
    return start


def _is_name(token: Token) -> bool:
    """A proper name, or a capitalised noun the tagger took for a common one."""
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.text[:1].isupper())


def _complement(d: _Document, verb: Token, cue_last: int) -> tuple[int, int, str] | None:
    """Tokens (first, last) of a cue verb's complement, with the rule that found them.

    A clause (ccomp) wins; otherwise the objects and open complements to the right ("condemned
    the test as …", "urged Congress to act"); otherwise a clause to the left ("X, he said").
    """
    if not d.syntax:
        return None
    children = list(verb.children)
    right = [c for c in children if c.i > cue_last]
    for child in right:
        if child.dep_ == "ccomp" or (
            child.dep_ == "parataxis" and any(g.dep_ in _SUBJECTS for g in child.children)
        ):
            return child.left_edge.i, child.right_edge.i, f"content:{child.dep_}"
    objects = [
        c
        for c in right
        if c.dep_ in ("obj", "xcomp", "iobj") and c.lemma_.lower() not in _TEMPORAL_NOUNS
    ]
    if verb.lemma_.lower() in _CLAUSAL_ONLY:
        objects = []
    if verb.lemma_.lower() in _NEEDS_PREDICATE:
        objects = [c for c in objects if c.dep_ == "xcomp"]
    if objects:
        first = min(c.left_edge.i for c in objects)
        last = max(c.right_edge.i for c in objects)
        # an open complement or an "as" phrase completes the object ("urged Congress to act",
        # "described him as …"); a place, time or medium ("on Twitter", "in his remarks") does not
        trailing = [
            c
            for c in right
            if c.i > last
            and (
                c.dep_ == "xcomp"
                or (c.dep_ in ("obl", "advcl") and c.left_edge.lower_ in ("as", "to", "for"))
            )
        ]
        if (trailing and trailing[0].left_edge.i == last + 1) or (
            trailing and d.doc[last + 1].text in ('"', "”", "’")
        ):
            last = max(c.right_edge.i for c in trailing)
        rule = "content:" + "+".join(sorted({c.dep_ for c in objects}))
        return first, last, rule
    for child in right:  # "called for taxing …", "proposes doing …", "plans to cut …"
        if (
            child.dep_ in ("advcl", "acl", "xcomp")
            and child.left_edge.i <= cue_last + 1
            and (child.tag_ == "VBG" or child.left_edge.lower_ in ("for", "to"))
            and d.doc[cue_last + 1].lower_ not in ("after", "before", "while", "when", "by")
        ):
            first = max(child.left_edge.i, cue_last + 1)
            return first, child.right_edge.i, f"content:{child.dep_}-verbal"
    after = cue_last + 1  # "…, Mike Pence, plans to release …" hung off another word by the parser
    if after + 1 < len(d.doc) and d.doc[after].lower_ == "to" and d.doc[after + 1].pos_ == "VERB":
        infinitive = d.doc[after + 1]
        return after, max(infinitive.right_edge.i, after + 1), "content:to-infinitive"
    for child in right:  # "warned against …", "spoke of …", "complained about …"
        case = next((g for g in child.children if g.dep_ == "case"), None)
        if (
            child.dep_ == "obl"
            and case is not None
            and case.i == child.left_edge.i
            and case.i <= cue_last + 2
            and (case.lower_ in _REPORTING_PREPOSITIONS or case.i <= cue_last)
        ):  # a preposition taken into the cue as its particle ("pointed to") leads too
            return case.i + 1, child.right_edge.i, "content:obl"
    left = [c for c in children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i]
    if left:
        return left[-1].left_edge.i, left[-1].right_edge.i, "content:left-" + left[-1].dep_
    return None


def _sentence_bounds(d: _Document, sent: SpacySpan) -> tuple[int, int]:
    start, end = sent.start, sent.end
    while start < end and (d.doc[start].is_space or d.doc[start].is_punct):
        start += 1
    while end > start and (d.doc[end - 1].is_space or d.doc[end - 1].is_punct):
        end -= 1
    return start, end


def _before_quote(d: _Document, token_i: int, floor: int) -> Quote | None:
    """The quote that closes just before token ``token_i`` (skipping a comma)."""
    i = token_i - 1
    while i >= floor and (
        d.doc[i].text in (",", "—", "–", "-", "―")
        or (d.doc[i].is_space and "\n" not in d.doc[i].text)
    ):
        i -= 1
    if i < floor:
        return None
    tok = d.doc[i]
    if tok.text and tok.text[-1] in _QUOTE_CHARS:
        end = tok.idx + len(tok.text) - 1
        quote = d.close_at.get(end)
        if quote is None and i > floor and d.doc[i - 1].text in (",", ".", "!", "?"):
            quote = d.close_at.get(d.doc[i - 1].idx + len(d.doc[i - 1].text))
        return quote
    return None


def _after_quote(d: _Document, token_i: int, ceiling: int, colon_only: bool) -> Quote | None:
    """The quote that opens just after token ``token_i`` (past ``:`` or ``,``)."""
    i = token_i + 1
    while i < ceiling and (d.doc[i].text in (":", ",") or d.doc[i].is_space):
        i += 1
    if colon_only and i == token_i + 1:
        return None  # "has sought ‘…’": a quoted object, not a quotation frame
    if i >= len(d.doc) or i > ceiling + 2:
        return None
    tok = d.doc[i]
    return d.open_at.get(tok.idx) if tok.text[:1] in _QUOTE_CHARS else None


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
    content: list[tuple[int, int]] = []
    strong = lemma in _STRONG or lemma in _QUOTE_ONLY

    # the source: the subject, the agent of a passive, or nothing for "it was reported"
    source: tuple[int, int] | None = None
    subject = _subject(d, verb)
    impersonal = False
    expletive = d.syntax and any(
        c.lower_ == "it" and c.dep_ in (*_SUBJECTS, "expl") for c in verb.children
    )
    if (expletive or (subject is not None and subject.lower_ == "it")) and _is_passive(d, verb):
        impersonal = True
        evidence.append("source:impersonal")
    elif subject is not None and subject.i != verb.i:
        if _is_passive(d, verb):
            agent = _agent(verb)
            if agent is not None:
                source = _clean_source(d, _source_span(d, agent, cue))
                evidence.append("source:agent")
            else:
                impersonal = True  # "X is expected to …": nobody named
                evidence.append("source:passive")
        else:
            source = _clean_source(d, _source_span(d, subject, cue))
            evidence.append("source:nsubj")

    # the content: a quote right after the cue, a clausal complement, a quote just before
    floor = source[0] if source and source[0] < cue[0] else cue[0]
    quote = _before_quote(d, floor, max(0, sent.start - 3))
    if quote is None:  # look past a short phrase: "…,” IMF chief economist Maury Obstfeld said
        while floor - 1 >= sent.start and cue[0] - floor < 8 and not _is_stop(d, doc[floor - 1]):
            floor -= 1
        quote = _before_quote(d, floor, max(0, sent.start - 3))
    if quote is not None and not _fragment_before_clause(d, verb, quote, s_start, cue[1]):
        content = d.group_spans(quote)
        evidence.append("content:quote-before-source")
        confidence += 0.05
    quote = _after_quote(d, cue[1], min(sent.end, cue[1] + 4), colon_only=not strong)
    if quote is not None and (not content or d.text[content[-1][1] : quote.start].count(",")):
        content = [*content, *d.group_spans(quote)]
        evidence.append("content:quote-after-cue")
        confidence += 0.05
    if not content:
        content = _block_after_colon(d, cue[1])
        if content:
            evidence.append("content:block-after-colon")
    if not content and lemma in _QUOTE_ONLY:
        return None
    if not content:
        found = _complement(d, verb, cue[1])
        if found is not None:
            first, last, rule = found
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
            if last >= first:
                content = [_chars(doc, first, last)]
                evidence.append(rule)
    if not content:
        content = _as_clause_content(d, verb, s_start, s_end)
        if content:
            evidence.append("content:around-as-clause")
    if not content:
        content = _parenthetical_content(d, verb, s_start, s_end)
        if content:
            evidence.append("content:around-parenthetical")
    if not content:
        content = _linear_content(d, verb, cue, source, s_start, s_end, strong)
        if content:
            evidence.append("content:adjacent")
            confidence -= 0.15
    if not content:
        return None

    # a source by position when syntax gave none
    if source is None and not impersonal and doc[cue[0] - 1].lower_ == "it":
        impersonal = _is_passive(d, verb)
        if impersonal:
            evidence.append("source:impersonal")
    if source is None and not impersonal:
        source = _linear_source(d, cue, content, sent, s_start, s_end)
        source = _clean_source(d, source) if source is not None else None
        if source is not None:
            evidence.append("source:adjacent")
            confidence -= 0.05
    if source is not None and _overlaps(_chars(doc, *source), content):
        source = None
    cue = _widen_cue(d, cue, source, content, lemma, s_end)
    cue_chars = _chars(doc, *cue)
    content = [_trim(text, a, b) for a, b in content]
    content = [(a, b) for a, b in content if b > a and (b <= cue_chars[0] or a >= cue_chars[1])]
    if not content:
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
        confidence=confidence,
    )


def _as_clause_content(
    d: _Document, verb: Token, s_start: int, s_end: int
) -> list[tuple[int, int]]:
    """ "As experts have pointed out, X is free to …" / "…, as police have said.": the cue's
    clause is an aside marked by "as"; the rest of the sentence is what was said."""
    if not d.syntax or verb.dep_ != "advcl":
        return []
    mark = verb.left_edge
    if mark.lower_ != "as" or not any(c.i == mark.i for c in verb.children):
        return []
    if d.doc[mark.i + 1].pos_ in ("ADJ", "ADV"):
        return []  # "As improbable as it may seem": a comparison, not a source's aside
    if any(c.dep_ in ("ccomp", "obj", "xcomp") for c in verb.children if c.i > verb.i):
        return []  # "as she told him to": the clause has its own complement
    doc = d.doc
    first, last = mark.i, verb.right_edge.i
    pieces = [(s_start, first - 1), (last + 1, s_end - 1)]
    spans = [_chars(doc, a, b) for a, b in pieces if b >= a]
    return [(a, b) for a, b in (_trim(d.text, a, b) for a, b in spans) if b - a >= 3]


def _block_after_colon(d: _Document, cue_last: int) -> list[tuple[int, int]]:
    """ "The governor added:" ending its line: the paragraph after it is what was said (a block
    quotation set off by layout instead of quotation marks)."""
    doc, text = d.doc, d.text
    colon = cue_last + 1
    if colon >= len(doc) or doc[colon].text != ":":
        return []
    end = doc[colon].idx + 1
    start = end
    while start < len(text) and text[start].isspace():
        start += 1
    if "\n" not in text[end:start] or start >= len(text):
        return []
    stop = text.find("\n", start)
    stop = len(text) if stop < 0 else stop
    first, last = _trim(text, start, stop, " \t\r")
    return [(first, last)] if last - first >= 10 else []


def _fragment_before_clause(
    d: _Document, verb: Token, quote: Quote, s_start: int, cue_last: int
) -> bool:
    """Whether a quote before the cue is a quoted fragment of the sentence ("… an ‘outlaw
    nation,’ said that Pyongyang must …") while the verb has its own clause after it: then the
    clause is what was said, not the fragment."""
    if not d.syntax or quote.start <= d.doc[s_start].idx + 1:
        return False  # the quote opens the sentence: "‘…,’ he said"
    return any(c.dep_ in ("ccomp", "obj", "xcomp") and c.i > cue_last for c in verb.children)


def _parenthetical_content(
    d: _Document, verb: Token, s_start: int, s_end: int
) -> list[tuple[int, int]]:
    """The sentence around a parenthetical cue: "All of this, he acknowledges, could be undone".

    The parser hangs the inserted "he acknowledges" on the clause (or the noun) it interrupts
    (parataxis); the sentence, less the insertion set off by commas or dashes, is what was said —
    in two pieces around it.
    """
    if not d.syntax or verb.dep_ not in ("parataxis", "advcl"):
        return []
    doc = d.doc
    first = verb.i
    while first - 1 > s_start and doc[first - 1].text not in _SET_OFF and verb.i - first < 8:
        first -= 1
    last = verb.i
    while last + 1 < s_end - 1 and doc[last + 1].text not in _SET_OFF and last - verb.i < 8:
        last += 1
    if first < 1 or last + 1 >= len(doc):
        return []  # at an edge of the text: nothing sets it off
    if doc[first - 1].text not in _SET_OFF or doc[last + 1].text not in _SET_OFF:
        return []
    if any(t.i != verb.i and verb not in t.ancestors for t in doc[first : last + 1]):
        return []  # the stretch is not the insertion alone
    pieces = [(s_start, first - 2), (last + 2, s_end - 1)]
    return [_chars(doc, a, b) for a, b in pieces if b >= a]


def _widen_cue(
    d: _Document,
    cue: tuple[int, int],
    source: tuple[int, int] | None,
    content: list[tuple[int, int]],
    lemma: str,
    s_end: int,
) -> tuple[int, int]:
    """The whole predicate between source and content is the cue ("said in an interview")."""
    doc = d.doc
    first, last = cue
    if source is not None and source[1] < first and 0 < first - source[1] - 1 <= 8:
        gap = doc[source[1] + 1 : first]
        if all(t.pos_ in ("ADV", "AUX", "PART") for t in gap) and d.tags:
            first = source[1] + 1
    content_start = content[0][0]
    if content_start > doc[last].idx:
        stop = last + 1
        while stop < s_end and doc[stop].idx + len(doc[stop].text) <= content_start:
            stop += 1
        gap = doc[last + 1 : stop]
        if (
            0 < len(gap) <= 8
            and lemma != "tell"
            and gap[0].pos_ == "ADP"
            and any(t.lemma_.lower() in _MEDIA for t in gap)
            and not any(t.is_punct or t.is_space or t.lower_ == "that" for t in gap)
            and not (source is not None and source[0] > last)
        ):
            last = stop - 1
    elif content[-1][1] <= doc[first].idx and (source is None or source[1] < first):
        stop = last + 1
        while stop < s_end and not (doc[stop].is_punct or doc[stop].is_space):
            stop += 1
        gap = doc[last + 1 : stop]
        if 0 < len(gap) <= 6 and any(t.lemma_.lower() in _MEDIA for t in gap):
            last = stop - 1
    return first, last


def _trailing_cut(d: _Document, first: int, last: int) -> int:
    """The last token of a content before an added clause: ", but …", ", which …",
    ", encouraging …", "and said …" belong to the author or to a new attribution."""
    doc = d.doc
    for i in range(first + 3, last):
        token, following = doc[i], doc[i + 1]
        if d.quoted_chars(token.idx, token.idx + 1):
            continue
        if token.text == "," and (
            following.lower_ in _ADDED_CLAUSE
            or (d.tags and following.pos_ == "VERB" and following.text.endswith("ing"))
        ):
            return i - 1
        if token.lower_ == "and" and d.lemma(following) in d.lexicon.verbs and d.is_verb(following):
            return i - 1
    return last


def _mid_clause(d: _Document, token: Token) -> bool:
    """Whether a complement that stops before ``token`` was cut short by a bad parse."""
    if token.text in (",", ";", "—", "–", "-", "(") or token.lower_ in ("and", "but", "as"):
        return False
    return not (token.lemma_.lower() in d.lexicon.verbs and d.is_verb(token))


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


def _linear_content(
    d: _Document,
    verb: Token,
    cue: tuple[int, int],
    source: tuple[int, int] | None,
    s_start: int,
    s_end: int,
    strong: bool,
) -> list[tuple[int, int]]:
    """Content by position: the rest of the sentence after the cue, or before ", X said"."""
    doc = d.doc
    after = cue[1] + 1
    if source is not None and source[0] > cue[1]:
        after = source[1] + 1
    # "claimed last month that ...": the clause starts at a nearby "that"
    for i in range(after, min(after + 5, s_end)):
        if doc[i].lower_ == "that" and i + 2 < s_end:
            return [_chars(doc, i, _trailing_cut(d, i, s_end - 1))]
        if doc[i].text in (",", ";", ":"):
            break
    if not strong:
        return []
    words_after = sum(1 for i in range(after, s_end) if not doc[i].is_punct)
    left = source[0] if source is not None and source[0] < cue[0] else cue[0]
    if left - 1 >= s_start and doc[left - 1].lower_ == "it":
        left -= 1  # "…, it was reported."
    before_comma = left - 1 >= s_start and doc[left - 1].text in (",", "—", "–")
    if before_comma and words_after <= 4:
        last = left - 2
        if last >= s_start:
            return [_chars(doc, s_start, last)]
    if words_after >= 3 and not (after < len(doc) and doc[after].text in (",", ".")):
        first = after
        while first < s_end and doc[first].text in (":", ","):
            first += 1
        if doc[first].lower_ in ("reporters", "me", "us", "him", "her", "them"):
            first += 1
        if first < s_end:
            return [_chars(doc, first, _trailing_cut(d, first, s_end - 1))]
    return []


def _linear_source(
    d: _Document,
    cue: tuple[int, int],
    content: list[tuple[int, int]],
    sent: SpacySpan,
    s_start: int,
    s_end: int,
) -> tuple[int, int] | None:
    """A source by position: the phrase before the cue, or after it ("…, said Smith.")."""
    doc = d.doc
    content_start = content[0][0]
    content_end = content[-1][1]
    # before the cue: back to a comma/quote/content, with no verb in between
    first = cue[0] - 1
    limit = content_end if content_end <= doc[cue[0]].idx else 0
    while first >= s_start and doc[first].idx >= limit and not _is_stop(d, doc[first]):
        first -= 1
    first += 1
    if first < cue[0]:
        phrase = doc[first : cue[0]]
        if len(phrase) <= 15 and not any(d.is_verb(t) for t in phrase):
            while first < cue[0] and doc[first].lower_ in ("but", "and", "however", "yet", "so"):
                first += 1
            if first < cue[0]:
                return first, cue[0] - 1
    # whole sentence start up to the cue, over appositive commas ("X, of Y, believes")
    if content_start >= doc[cue[1]].idx:
        first = s_start
        while first < cue[0] and doc[first].lower_ in ("but", "and", "however", "yet", "so", ","):
            first += 1
        phrase = doc[first : cue[0]]
        if (
            0 < len(phrase) <= 15
            and d.tags
            and not any(d.is_verb(t) and t.dep_ not in ("amod", "compound") for t in phrase)
        ):  # "running mate" is a noun phrase even where "running" is tagged a verb
            return first, cue[0] - 1
    # after the cue: "…, said the spokesman."
    if content_end <= doc[cue[0]].idx:
        last = cue[1] + 1
        while last < s_end and not doc[last].is_punct:
            last += 1
        if cue[1] + 1 < last and last - cue[1] <= 10:
            return cue[1] + 1, _with_appositive(d, cue[1] + 1, last - 1, s_end)
    return None


def _with_appositive(d: _Document, first: int, last: int, s_end: int) -> int:
    """The end of a source after its cue, over the appositive that says who it is ("said
    Michael McFaul, a senior fellow at the Hoover Institution"): it is part of the source."""
    if not d.syntax:
        return last
    doc = d.doc
    for token in doc[first : last + 1]:
        for child in token.children:
            if child.dep_ == "appos" and child.i > last and child.right_edge.i < s_end:
                return child.right_edge.i
    return last


def _is_stop(d: _Document, token: Token) -> bool:
    return token.is_punct or token.is_space or d.is_verb(token)


def _noun_attribution(d: _Document, noun: Token, cue_class: str, sent: SpacySpan) -> _Found | None:
    """ "reports that …", "evidence that …", "X's statement that …"."""
    doc = d.doc
    s_end = _sentence_bounds(d, sent)[1]
    nxt = noun.i + 1
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
    start, end = _chars(doc, nxt, _trailing_cut(d, nxt, last))
    return _Found(
        cue=_chars(doc, noun.i, noun.i),
        cue_class=cue_class,
        source=source,
        content=[_trim(d.text, start, end)],
        evidence=evidence,
        confidence=0.7 if d.syntax else 0.5,
    )


def _according_to(d: _Document, according: Token, sent: SpacySpan) -> _Found | None:
    """ "According to X, Y." / "Y, according to X." / "Y, according to X, Z."."""
    doc = d.doc
    s_start, s_end = _sentence_bounds(d, sent)
    to = according.i + 1
    if to >= s_end or doc[to].lower_ != "to":
        return None
    last = to + 1
    while last < s_end and doc[last].text not in (",", ";", "—", "–"):
        last += 1
    if last == to + 1:
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
        return None
    return _Found(
        cue=_chars(doc, according.i, to),
        cue_class=d.lexicon.preps["according"],
        source=_chars(doc, *source),
        content=spans,
        evidence=["cue:according-to", "source:object", "content:rest-of-sentence"],
        confidence=0.85 if d.syntax else 0.7,
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


_COLON_HEAD: Final = re.compile(r"([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}):[ \t]+(?=\S)")
#: labels of editors' notices, not speakers
_NOTICE_LABELS: Final = word_set("correction clarification update note editor's")
#: a headline's speaker and a quotation after a colon: "A lesson from Loretta Lynch: ‘Be …’"
_COLON_QUOTE: Final = re.compile(r"([A-Z][^\s:]*(?: [^\s:]+){0,7}):[ \t]+(?=[‘“'\"])")
_DASH_BYLINE: Final = re.compile(r"[”\"]\s*[―—]\s*([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,4})")


def _line_frames(d: _Document) -> list[_Found]:
    """Colon headlines and transcript labels ("Pence: …") and dash bylines ("“…” ― Name")."""
    found: list[_Found] = []
    text = d.text
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip()
        lead = len(line) - len(line.lstrip(" \t\"“'‘"))
        match = _COLON_HEAD.match(body, lead)
        if match and (
            match.group(1).split()[0] in ("The", "A", "An", "This")
            or match.group(1).lower() in _NOTICE_LABELS
        ):
            match = None  # "The Latest: …", "Correction: …" label a section, not a speaker
        quoted = _COLON_QUOTE.match(body, lead)
        label = quoted.group(1).split() if quoted else []
        if quoted and 2 * sum(1 for w in label if w[:1].isupper()) < len(label):
            quoted = None  # "He told reporters: “…”" is a verb's frame, not a headline's
        if quoted and any(
            d.lexicon.forms.get(w.lower(), ("", ""))[1] == "verb" and w[:1].islower() for w in label
        ):
            quoted = None  # "Scott added: “…”": the verb is the cue
        if quoted and (match is None or quoted.end() > match.end()):
            match = quoted  # "Warren Hammers Wells Fargo CEO: ‘You Should Be …’"
        if match and len(body) - match.end() >= 10:
            colon = offset + match.end(1)
            start, end = _trim(text, offset + match.end(), offset + len(body))
            found.append(
                _Found(
                    cue=(colon, colon + 1),
                    cue_class="say",
                    source=(offset + match.start(1), colon),
                    content=[(start, end)],
                    evidence=["cue:colon-label", "source:label", "content:rest-of-line"],
                    confidence=0.6,
                )
            )
        for dash in _DASH_BYLINE.finditer(body):
            quote = d.close_at.get(offset + dash.start())
            if quote is not None:
                content = d.group_spans(quote)
            elif body.lstrip()[:1] in _QUOTE_CHARS:
                # the line is the quotation, whatever marks the pairing missed ("”Mr. …” ― X")
                opening = offset + len(body) - len(body.lstrip()) + 1
                start, end = _trim(text, opening, max(opening, offset + dash.start()))
                if end <= start:
                    continue
                content = [(start, end)]
            else:
                continue
            mark = (
                offset + dash.start() + next(k for k, ch in enumerate(dash.group(0)) if ch in "―—")
            )
            found.append(
                _Found(
                    cue=(mark, mark + 1),
                    cue_class="say",
                    source=(offset + dash.start(1), offset + dash.end(1)),
                    content=content,
                    evidence=["cue:dash-byline", "source:byline", "content:quote"],
                    confidence=0.6,
                )
            )
        offset += len(line)
    return found


def _find_cues(d: _Document) -> list[_Found]:
    """Every attribution with a cue, in document order."""
    found = _line_frames(d)
    lexicon = d.lexicon
    taken: set[int] = set()  # token starts already used as cues
    for a in found:
        if a.cue:
            taken.add(a.cue[0])
    for sent in _sentences(d.doc):
        for token in sent:
            lower = token.lower_
            if token.is_space or token.is_punct or token.idx in taken:
                continue
            if lower == "according":
                item = _according_to(d, token, sent)
            elif lower in lexicon.adverbs:
                item = _adverb_attribution(d, token, lexicon.adverbs[lower], sent)
            else:
                item = _lexical(d, token, sent)
            if item is not None:
                found.append(item)
                if item.cue:
                    taken.add(item.cue[0])
        if d.tags:
            item = _final_frame(d, sent, taken)
            if item is not None and item.cue:
                found.append(item)
                taken.add(item.cue[0])
    found.sort(key=lambda a: a.cue or (0, 0))
    return _without_inner_cues(found)


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
        return None
    entry = d.lexicon.forms.get(doc[last].lower_)
    cue = doc[last]
    if entry is None or entry[1] != "verb" or not cue.text[:1].islower():
        return None
    if not (cue.pos_ == "VERB" or (cue.pos_ == "NOUN" and not cue.lower_.endswith("s"))):
        return None
    comma = last - 1
    while comma > s_start and doc[comma].text not in (",", "—", "–"):
        token = doc[comma]
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("amod", "compound"):
            return None
        comma -= 1
    if (
        not (2 <= last - comma <= 12)
        or comma - s_start < 4
        or d.quoted_chars(doc[comma].idx, doc[last].idx)
    ):
        return None
    opener = doc[comma + 1]
    if opener.pos_ not in ("DET", "PROPN", "NOUN", "PRON", "NUM") or opener.lower_ in (
        "which",
        "that",
        "who",
    ):
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


def _sentences(doc: Doc) -> list[SpacySpan]:
    """The parser's sentences, with one that does not end in punctuation joined to the next."""
    merged: list[SpacySpan] = []
    for sent in doc.sents:
        if merged:
            previous = merged[-1]
            last = previous.end - 1
            while last > previous.start and doc[last].is_space:
                last -= 1
            ended = doc[last].text[-1:] in ".!?:;”’\"'…)" and not _abbreviation(doc[last])
            if not ended and "\n" not in doc[last : sent.start + 1].text:
                merged[-1] = doc[previous.start : sent.end]
                continue
        merged.append(sent)
    return merged


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
    if token.text[:1].isupper():
        return True
    previous = doc[token.i - 1]
    if previous.pos_ in ("PROPN", "PRON"):
        return True
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    after = doc[token.i + 2] if token.i + 2 < len(doc) else None
    entry = d.lexicon.forms.get(token.lower_)
    if following is not None and entry and following.lower_ in _PARTICLES.get(entry[0], ()):
        return True  # "chairman calls for …"
    return (
        following is not None
        and after is not None
        and following.lower_ in ("that", "to")
        and (following.lower_ == "that" or after.pos_ in ("VERB", "AUX"))
    )


def _abbreviation(token: Token) -> bool:
    """Whether a token ends a title or initial rather than a sentence ("Rep.", "J.")."""
    text = token.text
    return text.lower() in _TITLES or (len(text) == 2 and text[0].isupper() and text[1] == ".")


def _lexical(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
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
            and d.doc[token.i - 1].pos_ not in ("DET", "ADJ", "NUM", "ADP", "PRON")
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
        return None
    entry = lexicon.forms.get(token.lower_)
    if entry is None:
        return None
    lemma, pos = entry
    previous = d.doc[token.i - 1].lower_ if token.i > sent.start else ""
    if lemma in lexicon.nouns and (pos == "noun" or previous in _DETERMINERS | {"were", "are"}):
        return _noun_attribution(d, token, lexicon.nouns[lemma], sent)
    if pos == "verb":
        return _verb_attribution(d, token, lemma, lexicon.verbs[lemma], sent)
    return None


def _follow_ons(d: _Document, found: list[_Found], sentences: list[tuple[int, int]]) -> None:
    """Quotes no cue claimed, right after an attributed quote, inherit its speaker."""
    # attributions reported inside a quote ("I think …") do not make it attributed
    outside = [a for a in found if a.cue is None or d.quoted_chars(*a.cue) == 0]
    covered = sorted(span for a in outside for span in a.content)
    starts = [a for a, _ in covered]
    last_group = -1
    previous = sorted((a for a in outside if a.cue), key=lambda a: a.content[-1][1])
    ends = [a.content[-1][1] for a in previous]
    sentence_starts = [start for start, _ in sentences]
    cue_starts = sorted(a.cue[0] for a in found if a.cue is not None)
    # a quoted transcript line ("PENCE: Well, …") has its own speaker
    labelled = sorted(a.cue[0] for a in found if a.cue and "cue:colon-label" in a.evidence)
    for quote in d.quotes:
        if quote.group == last_group:
            continue
        k = bisect_left(labelled, quote.start)
        if k < len(labelled) and labelled[k] < quote.end:
            continue
        k = bisect_right(starts, quote.end) - 1
        if k >= 0 and covered[k][1] > quote.start:
            continue
        j = bisect_right(ends, quote.start) - 1
        if j < 0:
            continue
        speaker = previous[j]
        gap = d.text[speaker.content[-1][1] : quote.start]
        if len(gap) > 200 or speaker.cue is None:
            continue
        last_group = quote.group
        k = bisect_right(sentence_starts, quote.start) - 1
        sentence = sentences[max(k, 0)] if sentences else (quote.start, quote.end)
        whole = d.quoted_chars(*sentence) >= 0.8 * (sentence[1] - sentence[0]) - 4
        if whole:  # the speaker's quote runs on: one more part of the same claim
            speaker.content.extend(d.group_spans(quote))
            if "content:follow-on-quote" not in speaker.evidence:
                speaker.evidence.append("content:follow-on-quote")
            continue
        k = bisect_left(cue_starts, sentence[0])
        if k < len(cue_starts) and cue_starts[k] < sentence[1]:
            continue  # the sentence has its own cue
        # "This was to ‘compensate for losses’": the author's frame around the speaker's words
        speaker.content.append(_trim(d.text, *sentence))
        speaker.evidence.append("content:follow-on-mixed")


def _quote_kind(d: _Document, content: list[tuple[int, int]]) -> QuoteKind:
    size = sum(b - a for a, b in content)
    quoted = sum(d.quoted_chars(a, b) for a, b in content)
    if quoted == 0:
        return "indirect"
    outside = "".join(d.text[a:b] for a, b in _outside_quotes(d, content)).strip(
        _EDGE_PUNCT + _QUOTE_CHARS
    )
    if quoted >= size - 2 or not outside:
        return "direct"
    return "mixed"


def _outside_quotes(d: _Document, content: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    for a, b in content:
        cursor = a
        k = max(bisect_right(d._quote_starts, a) - 1, 0)
        while k < len(d.quotes) and d.quotes[k].start < b:
            quote = d.quotes[k]
            if quote.end > cursor:
                if quote.start > cursor:
                    pieces.append((cursor, quote.start))
                cursor = max(cursor, quote.end)
            k += 1
        if cursor < b:
            pieces.append((cursor, b))
    return pieces


_MENTION_PERSON: Final = "person"
_MENTION_GROUP: Final = "group"


def _resolve(
    d: _Document,
    source: tuple[int, int],
    mentions: list[tuple[int, int, str]],
    speaker: tuple[int, int, str] | None = None,
) -> tuple[tuple[int, int] | None, str]:
    """The antecedent of a pronoun/description/surname source, with the rule that found it.

    A pronoun that opens a sentence after a reported one ("It added: …") continues the last
    compatible speaker when that speaker is near; otherwise the nearest compatible mention.
    """
    text = d.text
    words = text[source[0] : source[1]].split()
    if not words:
        return None, ""
    first = words[0].lower().strip(",")
    wanted: str | None = None
    if len(words) == 1 and first in _PERSON_PRONOUNS - {"i", "me", "we", "us", "you"}:
        wanted = _MENTION_PERSON
    elif len(words) == 1 and first in _GROUP_PRONOUNS | {"which"}:
        wanted = _MENTION_GROUP
    elif len(words) == 1 and first == "who":
        wanted = _MENTION_PERSON
    elif (
        first in ("the", "this") and len(words) <= 3 and not any(w[:1].isupper() for w in words[1:])
    ):
        wanted = "description"
    if (
        wanted in (_MENTION_PERSON, _MENTION_GROUP)
        and first != "who"
        and speaker is not None
        and speaker[2] == wanted
        and 0 < source[0] - speaker[1] < 400
    ):
        return (speaker[0], speaker[1]), "antecedent:speaker"
    k = bisect_left(mentions, (source[0],))
    candidates = mentions[max(0, k - 40) : k]
    if wanted == "description":
        noun = words[-1].lower()
        for start, end, _kind in reversed(candidates):
            if noun in text[start:end].lower() and (start, end) != source:
                return (start, end), "antecedent:description"
        if "org" in load_entity_words().get(noun, ()):  # "the ministry", not "the enemy"
            for start, end, kind in reversed(candidates):
                if kind == _MENTION_GROUP:
                    return (start, end), "antecedent:description"
        return None, ""
    if wanted is not None:
        for n in range(len(candidates) - 1, -1, -1):
            start, end, kind = candidates[n]
            if kind == wanted or (wanted == _MENTION_GROUP and first in ("they", "them", "their")):
                while n > 0 and candidates[n - 1][0] <= start and candidates[n - 1][1] >= end:
                    n -= 1
                    start, end = candidates[n][0], candidates[n][1]
                return (start, end), "antecedent:pronoun"
        return None, ""
    # a surname: the earlier, fuller mention of the same person
    tokens = d.doc.char_span(source[0], source[1], alignment_mode="expand")
    if tokens is not None and len(tokens) > 0:
        run: list[Token] = []  # the first name in the source: "Prigozhin" of "Prigozhin, head of …"
        for token in tokens:
            if token.text[:1].isupper() and (not d.tags or _is_name(token)):
                run.append(token)
            elif run:
                break
        if 0 < len(run) <= 2 and run[0].i == tokens.start:
            name = run[-1].text.lower()
            for start, end, _kind in reversed(candidates):
                mention_words = text[start:end].lower().split()
                # the fuller mention ends with the same name: "Wagner chief Yevgeny Prigozhin"
                if len(mention_words) > 1 and mention_words[-1] == name and end <= source[0]:
                    return (start, end), "antecedent:surname"
    return None, ""


def _source_kind(d: _Document, source: tuple[int, int] | None, resolved: bool) -> SourceKind:
    if source is None:
        return "unnamed"
    tokens = d.doc.char_span(source[0], source[1], alignment_mode="expand")
    if tokens is None or len(tokens) == 0:
        return "unnamed"
    head = tokens.root if d.syntax else tokens[-1]
    if resolved or head.lower_ in _PERSON_PRONOUNS or head.lower_ in ("they", "who"):
        return "named"
    if head.lower_ in _UNNAMED_HEADS or head.lemma_.lower() in _UNNAMED_HEADS:
        # "A spokesman, Marko Ilić": a person's name in apposition names the source
        appositive_name = any(
            (t.dep_ == "appos" and t.head.i == head.i and t.pos_ == "PROPN")
            or d.ent_of_token.get(t.i) == "PERSON"
            for t in tokens
        )
        return "named" if appositive_name else "unnamed"
    if d.tags:
        named = any(t.pos_ == "PROPN" or t.i in d.ent_of_token for t in tokens)
    else:
        named = any(t.text[:1].isupper() for t in tokens[1:]) or (
            tokens[0].text[:1].isupper() and tokens[0].lower_ not in _DETERMINERS
        )
    return "named" if named else "unnamed"


def _mention_kind(d: _Document, span: tuple[int, int]) -> str:
    """Person or group: by NER where it says, else by the head ("the army" is a group)."""
    tokens = d.doc.char_span(span[0], span[1], alignment_mode="expand")
    if tokens is None or len(tokens) == 0:
        return _MENTION_GROUP
    head = tokens.root if d.syntax else tokens[-1]
    label = d.ent_of_token.get(head.i)
    if label is not None:
        return _MENTION_PERSON if label == "PERSON" else _MENTION_GROUP
    if head.lower_ in _PERSON_PRONOUNS or any(d.ent_of_token.get(t.i) == "PERSON" for t in tokens):
        return _MENTION_PERSON
    return _MENTION_PERSON if d.tags and head.pos_ == "PROPN" else _MENTION_GROUP


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


def run(doc: Doc, ctx: StageContext) -> Findings:
    """The claims of ``doc``: attributions with their cue, source and content, then the author's."""
    text = ctx.document.text
    d = _Document(doc, text, load_lexicon())
    sentences = [(s.start, s.end) for s in ctx.found.sentences] or [
        _trim(text, s.start_char, s.end_char, " \n\t\r") for s in doc.sents
    ]
    found = _find_cues(d)
    _follow_ons(d, found, sentences)
    found.sort(key=lambda a: (a.cue or (0, 0), a.content[0]))

    # sources: resolve pronouns and descriptions against earlier mentions, in document order
    mentions = sorted((s, e, "person" if lab == "PERSON" else "group") for s, e, lab in d.ents)
    speaker: tuple[int, int, str] | None = None  # the last named (not pronoun) source
    for a in found:
        resolved = False
        if a.source is not None:
            antecedent, rule = _resolve(d, a.source, mentions, speaker)
            if antecedent is not None:
                a.evidence.append(f"{rule}:{antecedent[0]}-{antecedent[1]}")
                resolved = True
            else:
                mention = (a.source[0], a.source[1], _mention_kind(d, a.source))
                insort(mentions, mention)
                if not _reported_inside(a.source, found):  # "It added" goes on from the
                    speaker = mention  # reporting speaker, not from one it reported
        a.kind = _source_kind(d, a.source, resolved)
        a.quote = _quote_kind(d, a.content)
        if a.quote != "indirect":
            a.evidence.append(f"quote:{a.quote}")
    _cut_at_following_cues(d, found)
    found.extend(_author_claims(d, found, sentences))
    return replace(ctx.found, claims=tuple(_to_claims(d, ctx.document.id, found)))


def _reported_inside(span: tuple[int, int], found: list[_Found]) -> bool:
    """Whether ``span`` lies inside the content of another attribution (a nested source)."""
    return any(
        start <= span[0] and span[1] <= end
        for other in found
        if other.source != span
        for start, end in other.content
    )


def _cut_at_following_cues(d: _Document, found: list[_Found]) -> None:
    """End a content before ", adding …", ", but she noted …", "and said …": a second cue
    of the sentence after a comma or "and" starts a new attribution instead of nesting."""
    text = d.text
    owners = sorted(
        ((a.source[0] if a.source and a.source[0] < a.cue[0] else a.cue[0]), k)
        for k, a in enumerate(found)
        if a.cue is not None and d.quoted_chars(*a.cue) == 0
    )
    # "He proposes …, and plans to …": a cue whose source stands before the content (a shared
    # subject) starts a new attribution at the cue itself
    owners = sorted(
        owners
        + [
            (a.cue[0], k)
            for k, a in enumerate(found)
            if a.cue is not None
            and a.source is not None
            and a.source[1] <= a.cue[0]
            and d.quoted_chars(*a.cue) == 0
            and a.source[0] != a.cue[0]
        ]
    )
    starts = [start for start, _ in owners]
    for k, a in enumerate(found):
        if a.cue is None or len(a.content) != 1:
            continue
        start, end = a.content[0]
        j = bisect_right(starts, start)
        while j < len(owners) and starts[j] < end:
            other = found[owners[j][1]]
            shared = (
                other.cue is not None
                and starts[j] == other.cue[0]
                and other.source is not None
                and other.source[0] < other.cue[0]
            )
            if owners[j][1] == k or (
                shared and other.source is not None and other.source[0] >= start
            ):
                j += 1  # its own cue, or one whose source lies in this content (nesting)
                continue
            boundary = starts[j]
            window = text[max(start, boundary - 30) : boundary]
            cut_at = max(window.rfind(","), window.rfind(";"), window.rfind(" and "))
            if cut_at >= 0:
                cut = _trim(text, start, boundary - len(window) + cut_at)
                if cut[1] > cut[0]:
                    a.content = [cut]
                    a.evidence.append("content:cut-before-cue")
                break
            j += 1


def _to_claims(d: _Document, document_id: str, found: list[_Found]) -> list[Claim]:
    text = d.text
    found.sort(key=lambda a: (a.content[0], a.cue or (0, 0)))
    ids = [
        stable_id("c", document_id, a.content[0][0], a.content[-1][1], *(a.cue or ()))
        for a in found
    ]
    contents = sorted(
        ((span[0], span[1], k) for k, a in enumerate(found) if a.cue for span in a.content),
    )
    starts = [c[0] for c in contents]
    claims = []
    seen: set[str] = set()
    for k, a in enumerate(found):
        if ids[k] in seen:
            continue
        seen.add(ids[k])
        parent = None
        if a.cue is not None:
            j = bisect_right(starts, a.cue[0]) - 1
            steps = 0
            while j >= 0 and steps < 20:
                end, owner = contents[j][1], contents[j][2]
                other = found[owner].cue
                if (
                    owner != k
                    and end >= a.cue[1]
                    and other is not None
                    and not any(s <= other[0] and other[1] <= e for s, e in a.content)
                ):
                    parent = ids[owner]
                    break
                j -= 1
                steps += 1
        claims.append(
            Claim(
                id=ids[k],
                source=Span.of(text, *a.source) if a.source else None,
                source_kind=a.kind,
                cue=Span.of(text, *a.cue) if a.cue else None,
                content=tuple(Span.of(text, s, e) for s, e in a.content),
                quote=a.quote,
                certainty=CERTAINTY[a.cue_class] if a.cue_class else "asserted",
                parent=parent,
                confidence=round(max(0.05, min(1.0, a.confidence)), 2),
                evidence=tuple(a.evidence),
            )
        )
    return claims
