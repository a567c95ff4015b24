"""Attribution: who claims what. Cues, their sources and contents, and the author's assertions.

Cues come from the lexicon in ``data/cues.tsv`` (reporting verbs, nouns, adverbs, "according to"),
colon frames ("It added: ‘…’"), colon headlines ("Pence: …") and dash bylines ("“…” ― Name"),
and from frames news writes everywhere: stance adjectives ("were worried about"), light verbs
with a reporting noun ("made the case for", "raised questions about"), polls ("In the latest
poll, …"), "as X put it", reporting nouns with a possessor ("the senator's criticism of"),
passives with an agent ("was endorsed by the union") and title-case headline verbs ("Christie
Calls …"). With a parser, syntax decides: a cue verb's subject is the source and its clausal
complement the content, and where the parse fails position repairs it (a name and its
appositive before the cue, a participle's main-clause subject, a noun phrase the sentence
splitter cut, the rest of a sentence the parser ended early); without one (the ``rules``
pipeline) only quote, colon, "according to", "that" and adjacency patterns apply, with lower
confidence. Quotes (``quotes.py``) make content direct or mixed and carry content across
sentences and paragraphs; a follow-on quote (or a sentence of the author's around a quoted
fragment) joins its speaker's claim as one more content span, unless another frame reports it
("“…,” said X").
Pronoun, descriptive and surname sources ("It", "he", "the group", "Prigozhin") are resolved to
the last speaker or the nearest compatible earlier mention (person or group; for "he" and "she"
not a person of the other gender where a title, a first name or a titled surname shows it); "I"
and "we" inside a quote are its speaker. The antecedent's offsets are recorded in the claim's
evidence as ``antecedent:RULE:START-END``, how sure it is as ``antecedent-confidence:X``, until
an ``entities`` stage gives ``source_entity`` ids (``source_entity`` stays null here). A bare
pronoun with no antecedent is ``source_kind: unresolved``, never a named source.

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
from functools import lru_cache
from typing import Final

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimtrace.records import Claim, QuoteKind, SourceKind, Span
from claimtrace.stages.attribution_lexicon import CERTAINTY, Lexicon, load_lexicon, word_set
from claimtrace.stages.context import Findings, StageContext
from claimtrace.stages.entities import (
    FEMALE_WORDS,
    MALE_WORDS,
    load_entity_words,
    load_name_genders,
)
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
#: prepositions that tie a cue to the content after it ("accused him of", "spoke about")
_LINKING_PREPOSITIONS: Final = word_set("of about on for against to as into over with at from")
#: punctuation that sets off an inserted "he said"
_SET_OFF: Final = frozenset([",", "–", "—"])
#: verbs that are cues only before or after a quotation ("She continued: “…”"), never with a
#: clause or an object ("continued to fight")
_QUOTE_ONLY: Final = word_set("continue")
#: verbs that are cues only with their particle: "pushed for a vote", "laid out a plan"
_PARTICLE_ONLY: Final = word_set(
    "push lay seize bristle balk weigh chime double lash sound pounce side single shrug spar "
    "shoot fire hit light focus"
)
#: verbs that report only when what they put out is a text: "released a statement", "issued a
#: report", "presented a plan"; not "released the prisoners", "issued visas"
_TEXT_OBJECT_ONLY: Final = word_set("release issue present")
_TEXTS: Final = word_set(
    "ad ads advertisement report reports study analysis poll survey plan proposal proposals "
    "list paper document documents memo letter findings guidance warning warnings ultimatum "
    "rebuttal response denial apology appeal order orders ruling opinion decision veto threat "
    "call demand demands estimate forecast figures data transcript recording footage policy"
)
#: verbs whose passive subject is the one addressed ("he was told by aides …"), not the topic
_ADDRESSED: Final = word_set("tell ask inform advise warn remind assure urge brief")
#: verbs whose passive subject receives something ("were offered a deal", "was promised a
#: job"): without an agent or a clause, nobody is reported
_GIVEN: Final = word_set("offer promise grant award give")
#: verbs whose passive subject holds the view: "are concerned that", "was convinced that"
_EXPERIENCED: Final = word_set(
    "concern worry convince persuade alarm disappoint frustrate trouble encourage satisfy "
    "surprise shock dismay outrage anger disturb reassure"
)
#: perception verbs that report a view only with an "as" phrase ("critics see the deal as a
#: giveaway"), never alone ("saw the house", "will see what happens")
_AS_ONLY: Final = word_set("see cast bill")
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
#: what opens a clause of a bare participle ("when asked whether …", "if told to …")
_WHEN_ASKED: Final = word_set("when if once after before while as unless until")
#: verbs whose subject is raised from the clause they hedge ("X seems to …"): not a holder
_RAISING: Final = word_set("seem appear")
#: prepositions that give what a saying is about wherever they stand after the verb
#: ("is speaking out ahead of the election about the problems …")
_TOPIC_PREPOSITIONS: Final = word_set("about against")
#: verbs whose object is the one charged and whose "of" phrase is the charge
_CHARGING: Final = word_set("accuse suspect")
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
    "put": ("it",),
    "lay": ("out",),
    "seize": ("on", "upon"),
    "bristle": ("at",),
    "balk": ("at",),
    "weigh": ("in",),
    "chime": ("in",),
    "double": ("down",),
    "call": ("for", "on"),
    "point": ("out", "to"),
    "respond": ("to",),
    "refer": ("to",),
    "speak": ("out", "of", "about"),
    "talk": ("about",),
    "complain": ("about",),
    "comment": ("on",),
    "warn": ("against",),
    "push": ("for", "back"),
    "press": ("for",),
    "argue": ("for", "against"),
    "advocate": ("for",),
    "rail": ("against",),
    "agree": ("with",),
    "lash": ("out",),
    "sound": ("off",),
    "pounce": ("on", "upon"),
    "side": ("with", "against"),
    "single": ("out",),
    "shrug": ("off",),
    "spar": ("over", "with"),
    "shoot": ("back",),
    "fire": ("back",),
    "hit": ("back", "out"),
    "light": ("into",),
    "scoff": ("at",),
    "focus": ("on",),
}
_SUBJECTS: Final = ("nsubj", "nsubj:pass", "nsubj:outer", "csubj")
_PERSON_PRONOUNS: Final = word_set("he she him his her i me we us you")
_GROUP_PRONOUNS: Final = word_set("it its they them their")
#: a source that is only one of these words says who speaks only through what it refers to
_BARE_PRONOUNS: Final = word_set(
    "i me my mine myself we us our ours ourselves you your yours he him his himself she her "
    "hers herself it its itself they them their theirs themselves who"
)
#: "I", "we" in a quote are its speaker
_FIRST_PERSON: Final = word_set("i me my mine myself we us our ours ourselves")
_MALE_PRONOUNS: Final = word_set("he him his himself")
_FEMALE_PRONOUNS: Final = word_set("she her hers herself")
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
        # a mark two characters wide (''…'') is found from either of its characters
        self.open_at = {q.start - k: q for q in self.quotes for k in range(q.width, 0, -1)}
        self.close_at = {q.end + k: q for q in self.quotes if q.closed for k in range(q.width)}
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
        """The token's lemma; where the model's lemmatizer mangles a form of a lexicon word
        ("insisted" → "insiste", "blamed" → "blam", "THINKS"), the lexicon's own forms decide."""
        entry = self.lexicon.forms.get(token.lower_)
        if self.lemmas:
            lemma = token.lemma_.lower()
            if entry is None or lemma in self.lexicon.verbs or lemma in self.lexicon.nouns:
                return lemma
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


def _subject(d: _Document, verb: Token) -> Token | None:
    """The verb's subject, or the subject it shares with the verb it depends on."""
    if not d.syntax:
        return None
    # a no-break space can come out as a subject token of its own
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS and not c.is_space]
    if subjects:  # a misparse can give two: the nearest is the speaker
        return min(subjects, key=lambda c: abs(c.i - verb.i))
    if verb.tag_ == "VBG" and verb.i > 0 and verb.doc[verb.i - 1].text in _SET_OFF | {"-", "--"}:
        # "Cruz said that X is Y, adding that …": the parse may hang the participle inside what
        # was said; it still tells what the reporting verb's subject did
        for ancestor in verb.ancestors:
            if ancestor.dep_ in ("ccomp", "parataxis") and d.lemma(ancestor.head) in (
                d.lexicon.verbs
            ):
                reporter = ancestor.head
                said_by = [
                    c
                    for c in reporter.children
                    if c.dep_ in ("nsubj", "nsubj:outer") and c.i < verb.i and c.lower_ != "it"
                ]
                if said_by:
                    return said_by[0]
    for child in verb.children:
        # "Voters going to the polls on Tuesday said …": the parse made the subject the
        # subject of the participle that describes it
        if (
            child.i < verb.i
            and child.dep_ in ("ccomp", "advcl", "csubj")
            and child.tag_ in ("VBG", "VBN")
            and not any(g.dep_ in ("aux", "aux:pass", "mark") for g in child.children)
        ):
            inner = [
                g for g in child.children if g.dep_ in ("nsubj", "nsubj:pass") and g.i < child.i
            ]
            if inner and inner[0].left_edge.i == child.left_edge.i:
                return inner[0]
    # "… and said", "tried to claim", ", adding …", ", then says …": the subject of the verb
    # it hangs from
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
    if verb.tag_ in ("VBG", "VBN") and verb.dep_ == "advcl" and verb.i < verb.head.i:
        # "After blasting the report, Beck urged …", "In rejecting the challenge, the
        # commission …": a participle clause before its verb shares that verb's subject
        for child in verb.head.children:
            if child.dep_ in ("nsubj", "nsubj:outer") and child.i > verb.right_edge.i:
                return child if child.lower_ != "it" else None
    if verb.tag_ == "VBG" and verb.i > 0 and verb.doc[verb.i - 1].text == ",":
        # "The judge rejected the request, saying …": a participle set off by a comma says
        # what the main clause's subject did, however deep the parser hung it
        for ancestor in verb.ancestors:
            for child in ancestor.children:
                if (
                    child.dep_ in ("nsubj", "nsubj:outer")
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
    if (
        d.syntax
        and verb.dep_ == "conj"
        and d.lemma(verb) in _GIVEN  # "… and said" after a passive stays active
        and verb.tag_ in ("VBN", "VBD")  # the tagger often reads the participle as a past
        and verb.head.i < verb.i
        and not any(c.dep_ in (*_SUBJECTS, "aux", "aux:pass") for c in verb.children)
        and any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.head.children)
    ):
        return True  # "were recruited … and offered a deal": the auxiliaries are shared
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
    if d.syntax:  # "A federal appeals court": a misparse can make "appeals" a second subject
        siblings = {c.i: c for c in subject.head.children if c.dep_ in _SUBJECTS and c != subject}
        while first - 1 in siblings and siblings[first - 1].right_edge.i == first - 1:
            first = siblings[first - 1].left_edge.i
    while first < last and (
        d.doc[first].is_punct
        or d.doc[first].is_space
        or (d.syntax and d.doc[first].dep_ == "case" and d.doc[first].head == subject)
    ):
        first += 1  # "…, with O'Malley calling Trump a fascist": the subject, not "with"
    while last > first and (d.doc[last].is_punct or d.doc[last].is_space):
        last -= 1
    return _whole_name(d, _split_noun_phrase(d, first), last, floor=0)


def _split_noun_phrase(d: _Document, first: int) -> int:
    """The start of a subject the parser's sentence splitter cut in two ("White House
    spokesman | Josh Earnest said …"): a short verbless fragment with no end punctuation just
    before the subject belongs to it."""
    doc = d.doc
    if not d.syntax or first == 0 or not doc[first].is_sent_start:
        return first
    fragment = doc[first - 1].sent
    tokens = [t for t in fragment if not t.is_space]
    if (
        not tokens
        or len(tokens) > 6
        or tokens[-1].is_punct
        or any(t.pos_ in ("VERB", "AUX") or t.is_punct for t in tokens)
        or not any(t.pos_ in ("NOUN", "PROPN") for t in tokens)
        or "\n" in doc[fragment.start : first].text
    ):
        return first
    return tokens[0].i


def _clean_source(d: _Document, source: tuple[int, int]) -> tuple[int, int] | None:
    """A source without the connectives or adverbials a parse or position swept in."""
    doc = d.doc
    first, last = source
    while first < last and (
        doc[first].lower_ in _LEADING_JUNK
        or _CLOCK.match(doc[first].text)  # "8:39PM Trump said" in a live blog
        or doc[first].is_punct
        or doc[first].is_space
        or (d.tags and doc[first].pos_ in ("ADV", "CCONJ") and doc[first].lower_ != "both")
    ):
        first += 1
    if d.tags and doc[first].pos_ in ("ADP", "SCONJ") and not _quantifier_start(d, first, last):
        commas = [i for i in range(first, last) if doc[i].text == ","]
        if not commas:
            if doc[first].lower_ == "by":
                return _clean_source(d, (first + 1, last))
            named = _name_in_span(d, first, last)
            return None if named is None else _clean_source(d, named)
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
    first, last = _source_without_asides(d, first, last)
    if d.tags and not any(
        doc[i].pos_ in ("NOUN", "PROPN", "PRON", "NUM") or doc[i].text[:1].isupper()
        for i in range(first, last + 1)
    ):
        return None
    return (first, last) if first <= last else None


def _quantifier_start(d: _Document, first: int, last: int) -> bool:
    """A preposition that only bounds a number: "At least half of voters", "About 40
    percent of Republicans", "Up to 30 lawmakers"."""
    doc = d.doc
    if first + 1 > last:
        return False
    word, following = doc[first].lower_, doc[first + 1]
    if word == "at":
        return following.lower_ in ("least", "most")
    if word == "up" and following.lower_ == "to":
        return True
    return word in ("about", "around", "over", "under", "nearly", "almost", "roughly") and (
        following.like_num or following.lower_ in ("half", "a", "one", "two-thirds")
    )


#: a clock time, a year or an a.m./p.m. mark that stamps a live blog's entry
_CLOCK: Final = re.compile(
    r"^(\d{1,2}:\d{2}([ap]\.?m\.?)?|(19|20)\d\d|[ap]\.?m\.?|[ap]m|ET|EST|EDT)$", re.IGNORECASE
)


def _name_in_span(d: _Document, first: int, last: int) -> tuple[int, int] | None:
    """The name a phrase the parse swept into a subject ends in: "At the state party convention
    Sen. Elizabeth Warren (D-MA)" → "Sen. Elizabeth Warren (D-MA)"; None without one."""
    if not d.syntax:
        return None
    doc = d.doc
    roots = [t for t in doc[first : last + 1] if not first <= t.head.i <= last or t.head == t]
    if len(roots) != 1 or roots[0].pos_ != "PROPN":
        return None
    start = roots[0].i
    while start - 1 > first and doc[start - 1].pos_ == "PROPN":
        start -= 1
    return start, last


#: what a date at the end of a source may start with: "prosecutors [in April]"
_DATE_LEAD: Final = word_set("in on at last this earlier just during since")
_MONTHS: Final = word_set(
    "january february march april may june july august september october november december"
)


def _source_without_asides(d: _Document, first: int, last: int) -> tuple[int, int]:
    """A source without what the sentence says about it on the side: a phrase after a comma
    that opens with a preposition ("Ms. Roe[, at a later briefing]", "[, like Obama]"), a
    trailing date ("prosecutors [in April]"), an introductory phrase before a pronoun
    ("[Wednesday,] he"), or the name before "who" when the cue comes right after ("[Laura,]
    who spoke of …": the relative pronoun is the reporting clause's subject).

    "X, 59, of Ashton" and "X, including Y" keep what follows the comma: that says who X is. A
    relative clause ("X, who heads …") stays too: news style uses it to describe the source."""
    doc = d.doc
    for i in range(first + 1, last + 1):
        if doc[i - 1].text != ",":
            continue
        token = doc[i]
        if token.lower_ in _RELATIVES and token.lower_ != "that" and i == last:
            return i, i  # "Laura, who spoke of …": the relative pronoun is the subject
        if (
            d.tags
            and token.pos_ == "ADP"
            and token.lower_ not in ("of", "including")
            and doc[i + 1].lower_ != "particular"
            and i > first + 1
        ):
            return first, _before_punct(doc, first, i - 2)
    if d.tags and last > first and doc[last].pos_ == "PRON" and doc[last - 1].text == ",":
        return last, last  # "Wednesday, he"
    if last - first >= 2 and _is_date_word(doc[last]):
        end = last - 1
        while end > first and doc[end].lower_ in _DATE_LEAD:
            end -= 1  # "in", "just this", "last"
        named = doc[end].pos_ in ("NOUN", "PROPN", "PRON") or doc[end].text[:1].isupper()
        if end < last - 1 and (not d.tags or named):
            return first, end
    return first, last


def _is_date_word(token: Token) -> bool:
    """A month, a year or a time noun: what ends "in April", "in 2001", "this month"."""
    lower = token.lower_
    return (
        lower in _MONTHS
        or lower in _TEMPORAL_NOUNS
        or (len(lower) == 4 and lower.isdigit() and lower[:2] in ("19", "20"))
    )


def _before_punct(doc: Doc, first: int, last: int) -> int:
    while last > first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    return last


def _whole_name(d: _Document, first: int, last: int, floor: int) -> tuple[int, int]:
    """Widen a source to the whole name a misparse cut: "[Wagner chief Yevgeny] Prigozhin",
    "[Prigozhin,] head of Wagner"."""
    doc = d.doc
    if not d.tags:
        return first, last
    if doc[first].pos_ == "PROPN":
        while first - 1 >= floor and doc[first - 1].lower_ not in _CUE_TIMES:  # "[On Monday]"
            previous = doc[first - 1]
            if _joining_hyphen(doc, first - 1, floor):
                first -= 2  # "Ban Ki-moon"
                continue
            capitalised_adjective = previous.pos_ == "ADJ" and previous.text[:1].isupper()
            if previous.pos_ not in ("PROPN", "NOUN") and not capitalised_adjective:
                break  # "[White] House", "[New] Jersey" are tagged adjectives
            if previous.is_punct or previous.is_space:
                break
            if previous.pos_ == "NOUN" and doc[first - 2].pos_ != "PROPN":
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


def _joining_hyphen(doc: Doc, i: int, floor: int) -> bool:
    """Whether token ``i`` is a hyphen inside one word ("Ki-moon", "34-year-old")."""
    return (
        doc[i].text == "-"
        and i - 1 >= floor
        and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
        and doc[i - 1].is_alpha | doc[i - 1].like_num
    )


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
            # "[presidential] candidate": a modifier of the title word after it
            modifier = d.syntax and token.dep_ in ("amod", "compound") and k < token.head.i <= first
            if token.lower_ in _CUE_TIMES or not (capitalised or hyphened or modifier):
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
            last = child.right_edge.i
            for conj in right:
                # "said he would run and that he could win": the parse may hang the second
                # "that" clause on the verb, but it is said too
                between = d.doc[last + 1 : conj.left_edge.i]
                if (
                    conj.dep_ == "conj"
                    and conj.i > last
                    and any(m.dep_ == "mark" and m.lower_ == "that" for m in conj.children)
                    and all(t.is_punct or t.dep_ == "cc" for t in between)
                ):
                    last = conj.right_edge.i
            return child.left_edge.i, last, f"content:{child.dep_}"
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
        if verb.lemma_.lower() in _CHARGING:
            # "accused the regulator of ignoring …": the charge is what is claimed, the one
            # charged is who it is addressed to, whichever way the parse hung the "of" phrase
            charge = [c for c in right if c.i > last and c.left_edge.lower_ == "of"]
            end = charge[0].right_edge.i if charge else last
            of = next((t for t in d.doc[first : end + 1] if t.lower_ == "of"), None)
            if of is not None and of.i > first and of.i < end:
                return of.i + 1, end, "content:charge"
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
            and not _is_date_word(child)  # "unveiled on Monday": a date, not a topic
            and case.i == child.left_edge.i
            and (case.i <= cue_last + 2 or case.lower_ in _TOPIC_PREPOSITIONS)
            and (
                case.lower_ in _REPORTING_PREPOSITIONS
                or case.i <= cue_last
                or (
                    case.i == cue_last + 1
                    and cue_last > verb.i
                    and case.lower_ in _LINKING_PREPOSITIONS
                )
            )
        ):  # a preposition taken into the cue as its particle ("pointed to") leads too, and
            # so does one right after a particle ("lashed out at")
            return case.i + 1, child.right_edge.i, "content:obl"
    for token in d.doc[cue_last + 1 : min(verb.right_edge.i, cue_last + 10) + 1]:
        # "speaking out ahead of the election about the problems": the parser hung the topic
        # on the noun before it; a topic preposition with no verb in between still leads
        if token.is_punct or (token.pos_ in ("VERB", "AUX") and token.i != verb.i):
            break
        if token.lower_ in _TOPIC_PREPOSITIONS and token.dep_ == "case" and token.head.i > token.i:
            return token.i + 1, token.head.right_edge.i, "content:topic"
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


#: objects that point back at a quote just given ("She said it twice", "He repeated this")
_BACK_REFERENCES: Final = word_set("it this that so")


#: personal pronouns: as a cue's only object they name the one addressed ("called him")
_PERSONAL: Final = word_set("him her them us me you")
#: words that join a next clause, not open what was said ("…, and she left")
_COORDINATORS: Final = word_set("and but or nor yet")
#: verbs that make a set-off insertion (", officials said,") on their own
_SAY_LIKE: Final = word_set("say tell add note argue claim insist write explain acknowledge")
#: words that open a clause, not a source, right after the comma ("which, he said, …")
_NOT_INSERTED_SOURCE: Final = word_set(
    "which who whom whose that and but or as if when while because although though so"
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


def _closed_sentence_then_own_complement(
    d: _Document, quote: Quote, cue_last: int, s_end: int
) -> bool:
    """Whether a quote that ends its own sentence (".”") is followed by a new sentence whose cue
    goes on to say something else: in "…reject “bad deals.” She also argued in favor of …" the
    quote is not what she argued. "“We will win.” She said." still frames the quote."""
    if d.text[max(0, quote.end - 1) : quote.end] != ".":
        return False
    after = cue_last + 1
    while after < s_end and d.doc[after].is_space:
        after += 1
    if after < s_end and d.doc[after].lower_ in _BACK_REFERENCES:
        return False  # "“We will win.” She said it twice.": "it" is the quote
    return after < s_end and not d.doc[after].is_punct


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


def _children(d: _Document, token: Token) -> list[Token]:
    """``token.children``, or none when the document has no parse: spaCy's child links of an
    unparsed document are not set, and reading them can crash the process."""
    return list(token.children) if d.syntax else []


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
    if lemma in _PARTICLE_ONLY and cue[1] == verb.i:
        return None  # "pushed the door", "laid the table": no particle, no saying
    if lemma in _TEXT_OBJECT_ONLY and not any(
        c.dep_ in ("obj", "nsubj:pass") and (c.lemma_.lower() in _TEXTS | _MEDIA)
        for c in _children(d, verb)
    ):
        return None
    if lemma == "put" and not _as_put_it(d, verb, cue[1], s_end):
        return None  # only "as X put it": "put the money aside" reports nothing
    if _describes_a_group(d, verb):
        return None  # "voters who say the economy matters most split evenly": a poll's group
    if cue_class not in ("say", "report") and _supposed(d, verb):
        return None  # "if you want to understand …": a condition, nobody's view
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
        return None

    # the source: the subject, the agent of a passive, or nothing for "it was reported"
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

    # the content: a quote right after the cue, a clausal complement, a quote just before
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
        confidence += 0.05
    frame_end = cue[1]
    if source is not None and source[0] == cue[1] + 1 and source[1] - cue[1] <= 12:
        frame_end = source[1]  # "…,” said the Florida senator, “because …”"
    quote = _after_quote(d, frame_end, min(sent.end, frame_end + 4), colon_only=not strong)
    between = d.text[d.doc[cue[1]].idx + len(d.doc[cue[1]]) : quote.start] if quote else ""
    if quote is not None and (
        not content or ("," in between and not any(mark in between for mark in ".!?"))
    ):  # "“…,” he said, “…”" goes on; "“…,” he said Friday. “…”" is a quote of its own
        content = [*content, *d.group_spans(quote)]
        evidence.append("content:quote-after-cue")
        confidence += 0.05
    if not content:
        content = _block_after_colon(d, cue[1])
        if content:
            evidence.append("content:block-after-colon")
    if not content and lemma in _QUOTE_ONLY:
        return None
    if (
        lemma in _GIVEN
        and "source:passive" in evidence
        and not any(c.dep_ == "ccomp" for c in verb.children)
    ):
        return None  # "prisoners were offered a deal": what they got, not what anyone said
    if not content:
        found = _complement(d, verb, cue[1])
        if found is not None:
            first, last, rule = found
            if first < verb.i and source is None and not impersonal:
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
        content = _linear_content(d, verb, cue, source, s_start, s_end, strong)
        opening = d.text[content[0][0] : content[0][1]].lstrip(_EDGE_PUNCT) if content else ""
        if opening.split(" ", 1)[0].lower() in _COORDINATORS:
            content = []  # "He told her, and she left": the next clause is not what was told
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


#: verbs of viewing whose passive subject is what is viewed: "X is seen as a threat"
_VIEWING: Final = word_set("see view regard perceive")


def _viewed_as(
    d: _Document, verb: Token, subject: Token, cue: tuple[int, int], s_end: int
) -> tuple[list[tuple[int, int]], tuple[int, int]] | None:
    """The content of "X is seen as Y" (X, and Y), with the cue taking "as" when it follows
    the verb directly; None without an "as" phrase of the verb's own."""
    doc = d.doc
    marker = next(
        (
            t
            for t in doc[cue[1] + 1 : min(s_end, cue[1] + 6)]
            if t.lower_ == "as" and (t.head.head.i == verb.i or t.head.i == verb.i)
        ),
        None,
    )
    if marker is None or subject.i >= cue[0] or marker.i + 1 >= s_end:
        return None
    first, last = _source_span(d, subject, cue)
    if last < first:
        return None
    end = marker.head.right_edge.i if marker.head.i != verb.i else s_end - 1
    end = _trailing_cut(d, marker.i + 1, min(end, s_end - 1))
    if end <= marker.i:
        return None
    content = [_chars(doc, first, last), _chars(doc, marker.i + 1, end)]
    return content, (cue[0], marker.i if marker.i == cue[1] + 1 else cue[1])


#: heads of a group a poll sorts people into ("voters who say …", "the share saying …")
_POLLED_GROUPS: Final = word_set(
    "those voter voters respondent respondents people percent majority minority share proportion "
    "number half third quarter fifth"
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


def _name_before(d: _Document, cue_first: int, s_start: int) -> tuple[int, int] | None:
    """A name set off by a comma right before the cue ("…, Senate Leader Jo Reyes Says"),
    which a parse may have swallowed into the clause before it."""
    if not d.tags:
        return None
    doc = d.doc
    k = cue_first - 1
    while k > s_start and cue_first - k <= 5 and _is_name(doc[k]):
        k -= 1
    if k == cue_first - 1 or k <= s_start or doc[k].text != ",":
        return None
    return k + 1, cue_first - 1


def _split_after(d: _Document, last: int, s_end: int) -> bool:
    """Whether the parser starts a new sentence right after token ``last`` although the
    sentence runs on (no punctuation there) for at least three more words."""
    doc = d.doc
    nxt = last + 1
    return bool(
        d.syntax
        and nxt + 2 < s_end
        and doc[nxt].is_sent_start
        and not (doc[nxt].is_punct or doc[nxt].is_space)
        and not any(c.i > last for c in doc[last].children if not c.is_punct)
    )


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


def _as_clause_content(
    d: _Document, verb: Token, cue_last: int, s_start: int, s_end: int
) -> list[tuple[int, int]]:
    """ "As experts have pointed out, X is free to …" / "…, as police have said." / "as one
    analyst put it": the cue's clause is an aside marked by "as"; the rest of the sentence is
    what was said."""
    if not d.syntax or verb.dep_ not in ("advcl", "acl", "parataxis"):
        return []
    mark = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ == "as"), None)
    if mark is None or any(t.i < mark.i for t in verb.subtree if not t.is_punct):
        return []
    if d.doc[mark.i + 1].pos_ in ("ADJ", "ADV") or (
        mark.i >= 2 and d.doc[mark.i - 2].lower_ == "as"
    ):
        return []  # "As improbable as it may seem": a comparison, not a source's aside
    if any(c.dep_ in ("ccomp", "obj", "xcomp") for c in verb.children if c.i > cue_last):
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
    if verb.tag_ not in ("VBZ", "VBD", "VBP") or not any(
        c.dep_ in _SUBJECTS for c in verb.children
    ):
        return []  # ", telling reporters …," / ", adding …,": a participle clause, no insertion
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
            or (
                d.tags
                and following.pos_ == "VERB"
                and following.text.endswith("ing")
                and following.lower_ != "including"
            )
        ):
            return i - 1
        if (
            token.lower_ in ("and", "but")
            and d.lemma(following) in d.lexicon.verbs
            and d.is_verb(following)
        ):
            return i - 1  # "… and said …", "… but pledged …": a new attribution
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
        if doc[i].lower_ in _CLAUSE_OPENERS and i + 2 < s_end:
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


#: words that open a reported clause: "claimed last month that …", "shows in detail how …"
_CLAUSE_OPENERS: Final = word_set("that how why whether")


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
    while (
        first >= s_start
        and doc[first].idx >= limit
        and (not _is_stop(d, doc[first]) or _joining_hyphen(doc, first, s_start))
    ):
        first -= 1  # "Ban Ki-moon", "the 34-year-old mother" are one phrase
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
            and not any(d.is_verb(t) and not _modifies_a_noun(t) for t in phrase)
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


def _modifies_a_noun(token: Token) -> bool:
    """A verb form inside a noun phrase ("running mate", "elected officials"), not a verb the
    parse hung on a noun after a comma ("X, founder of Y, endorsed Cruz, saying …")."""
    return (
        token.dep_ in ("amod", "compound")
        and token.tag_ != "VBD"
        and token.i > 0
        and token.doc[token.i - 1].text != ","
    )


#: words that open a relative clause inside an appositive ("a historian who attended …")
_RELATIVES: Final = word_set("who whose whom which that")


def _appositive_source(d: _Document, cue: tuple[int, int], s_start: int) -> tuple[int, int] | None:
    """ "…, Jane Roe, a senior adviser to the campaign, said": a name and the appositive that
    says who it is, set off by commas just before the cue, are the source together, however the
    parser hung them (it often takes the appositive's noun for the subject, or the name for
    the root)."""
    if not d.tags:
        return None
    doc = d.doc
    i = cue[0] - 1
    while i > s_start and doc[i].pos_ == "ADV" and doc[i].text[:1].islower():
        i -= 1  # "…, forcefully told"
    if i <= s_start or doc[i].text != ",":
        return None
    closing = i
    j = closing - 1
    relative = False
    while j > s_start and doc[j].text not in (",", ";", ":") and closing - j <= 25:
        token = doc[j]
        if token.text[:1] in _QUOTE_CHARS or token.is_space:
            return None
        relative = relative or token.lower_ in _RELATIVES
        j -= 1
    if doc[j].text != "," or closing - j < 2 or closing - j > 25:
        return None
    apposition = doc[j + 1 : closing]
    if apposition[0].pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "NUM") or (
        any(d.is_verb(t) and t.dep_ not in ("amod", "compound") for t in apposition)
        and not any(t.lower_ in _RELATIVES for t in apposition)
    ):
        return None  # a clause ("…, he said, …"), not a description of the speaker
    if not any(t.pos_ in ("NOUN", "PROPN") for t in apposition):
        return None
    k = j - 1
    if doc[k].text == ")":  # "Rep. Jim Jordan (R-Ohio), an oversight panel member"
        while k > s_start and doc[k].text != "(" and j - k <= 8:
            k -= 1
        k -= 1
    name_end = k
    while k >= s_start and name_end - k < 6:
        hyphen = doc[k].text == "-" and not doc[k].whitespace_ and k > s_start
        if not (_is_name(doc[k]) or (hyphen and _is_name(doc[k - 1]))):
            break  # "Jo-Renee Formicola" is one name
        k -= 1
    first = k + 1
    if first > name_end or not any(doc[t].pos_ == "PROPN" for t in range(first, name_end + 1)):
        return None
    before = doc[first - 1] if first - 1 >= s_start else None
    if before is not None and not (
        before.is_punct or before.is_space or before.text[:1] in _QUOTE_CHARS
    ):
        titled = _title_before(d, first, s_start)
        if titled == first:
            return None  # the name is part of a longer phrase: "a bill sponsored by Jane Roe"
        first = titled
    return _whole_name(d, first, closing - 1, floor=s_start)


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


#: reporting nouns that carry a charge or a doubt with no owner named ("allegations of fraud",
#: "questions about his health"): the topic after "of"/"about" is what is alleged
_UNOWNED_CHARGES: Final = word_set(
    "allegation accusation claim rumor rumour charge criticism question concern fear doubt "
    "suspicion speculation"
)


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


#: what reports its findings in an "in" phrase: "In the latest poll, …"
_POLL_NOUNS: Final = word_set("poll polls survey surveys")
#: a quantifier that heads "one of the polls", "some of the surveys"
_QUANTIFIERS: Final = word_set("one some most many several each all both none few")


def _poll_attribution(d: _Document, prep: Token, sent: SpacySpan) -> _Found | None:
    """ "In the latest poll, Clinton led by 5 points" / "she gained in one of the polls": a
    poll or survey in an "in" phrase is the source of what the rest of the sentence reports."""
    if not d.syntax or prep.dep_ != "case" or prep.head.i <= prep.i:
        return None
    doc = d.doc
    noun = prep.head
    lemma = noun.lemma_.lower()
    if lemma not in _POLL_NOUNS and not (
        noun.lower_ in _QUANTIFIERS
        and any(c.lemma_.lower() in _POLL_NOUNS for c in noun.children if c.dep_ == "nmod")
    ):
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


#: adjectives that hold a stance towards a clause or a topic, with the cue class each gives:
#: "was sure that …", "are worried about …", "has been critical of …"
_STANCE_ADJECTIVES: Final = {
    **dict.fromkeys(
        word_set(
            "sure certain confident convinced positive optimistic pessimistic hopeful doubtful "
            "skeptical sceptical unsure uncertain worried concerned afraid fearful anxious nervous"
        ),
        "believe",
    ),
    **dict.fromkeys(
        word_set("critical adamant vocal outspoken coy vague emphatic supportive hostile"), "claim"
    ),
    **dict.fromkeys(word_set("eager reluctant wary enamored enamoured glad"), "believe"),
    **dict.fromkeys(word_set("aware unaware"), "know"),
}
_STANCE_PREPOSITIONS: Final = word_set("about of over on that")


#: adjectives of an impersonal frame: "it is clear that …", "it was unclear whether …"
_EVIDENT: Final = word_set("clear obvious apparent evident unclear plain")


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


def _adjective_attribution(d: _Document, adjective: Token, sent: SpacySpan) -> _Found | None:
    """ "Republicans were worried about the shift", "She was sure that the vote would pass":
    a copular stance adjective with a subject and a clause or a topic after it."""
    if not d.syntax or not any(c.dep_ in ("cop", "aux:pass") for c in adjective.children):
        return None
    doc = d.doc
    subject = next((c for c in adjective.children if c.dep_ in ("nsubj", "nsubj:outer")), None)
    if subject is None or subject.i > adjective.i or subject.lower_ == "it":
        return None  # "it is certain that …" has no holder
    s_end = _sentence_bounds(d, sent)[1]
    cue_last = adjective.i
    content: tuple[int, int] | None = None
    for child in adjective.children:
        if child.i <= adjective.i:
            continue
        if child.dep_ == "ccomp":
            content = (child.left_edge.i, min(child.right_edge.i, s_end - 1))
            break
        case = next((g for g in child.children if g.dep_ == "case"), None)
        if (
            child.dep_ in ("obl", "nmod")
            and case is not None
            and case.i == adjective.i + 1
            and case.lower_ in _STANCE_PREPOSITIONS
        ):
            cue_last = case.i
            content = (case.i + 1, min(child.right_edge.i, s_end - 1))
            break
    if content is None or content[1] < content[0]:
        return None
    first = adjective.i
    while first - 1 > subject.right_edge.i and (
        doc[first - 1].pos_ in ("AUX", "ADV", "PART") and doc[first - 1].text[:1].islower()
    ):
        first -= 1  # "has been so", "weren't too"
    source = _clean_source(d, _source_span(d, subject, (first, cue_last)))
    return _Found(
        cue=_chars(doc, first, cue_last),
        cue_class=_STANCE_ADJECTIVES[adjective.lower_],
        source=_trim(d.text, *_chars(doc, *source)) if source else None,
        content=[_trim(d.text, *_chars(doc, *content))],
        evidence=["cue:stance-adjective", "source:nsubj", "content:complement"],
        confidence=0.7,
    )


#: light verbs whose object noun makes a reporting predicate: "made the case for", "took
#: offense at", "raised questions about", "has reservations about", "made it clear that"
_LIGHT_VERBS: Final = word_set("make take raise have voice draw level give")
_LIGHT_NOUNS: Final = {
    **dict.fromkeys(
        word_set(
            "question questions reservation reservations doubt doubts concern concerns "
            "illusion illusions qualm qualms misgiving misgivings view views opinion "
            "opinions feelings impression impressions"
        ),
        "believe",
    ),
    **dict.fromkeys(
        word_set(
            "case point argument condemnation criticism objection objections offense "
            "offence issue exception aim heat fire secret accusation accusations charge "
            "charges complaint complaints swipe swipes shot shots swing jab jabs dig digs "
            "stance position credit critique allegation allegations assertion prediction "
            "predictions"
        ),
        "claim",
    ),
    **dict.fromkeys(
        word_set(
            "clear comment comments remark remarks pledge promise vow mention statement "
            "statements reference references observation answer account speech plea pitch "
            "apology apologies assurance assurances"
        ),
        "say",
    ),
}
_LIGHT_PREPOSITIONS: Final = word_set("about of for at on over against with")
#: nouns that report only with these prepositions: "took a shot at the senator", not "took a
#: shot at the goal"; "has views on", not "has a view of the river"
_LIGHT_NOUN_PREPOSITIONS: Final = {
    **dict.fromkeys(word_set("swipe swipes shot shots swing jab jabs dig digs"), word_set("at")),
    **dict.fromkeys(word_set("view views"), word_set("on about")),
    **dict.fromkeys(word_set("opinion opinions"), word_set("of on about")),
    **dict.fromkeys(word_set("feelings"), word_set("about toward towards")),
    **dict.fromkeys(word_set("impression impressions"), word_set("of")),
    **dict.fromkeys(word_set("stance position"), word_set("on against")),
    **dict.fromkeys(word_set("credit"), word_set("for")),
    **dict.fromkeys(word_set("speech answer account"), word_set("on about of")),
    **dict.fromkeys(word_set("mention"), word_set("of")),
    **dict.fromkeys(word_set("reference references"), word_set("to")),
    **dict.fromkeys(word_set("apology apologies"), word_set("for")),
    **dict.fromkeys(word_set("plea pitch"), word_set("for")),
}


#: verbs whose subject receives criticism: "X is drawing criticism", "has faced scrutiny from"
_RECEIVING: Final = word_set("draw face receive attract")
#: what a subject can receive that reports someone's view of it
_RECEIVED: Final = word_set(
    "criticism scrutiny ridicule backlash pushback condemnation praise flak heat fire outrage "
    "complaints questions"
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


#: light nouns that report only when aimed at someone: "took a shot at Obama"
_AIMED_AT_SOMEONE: Final = word_set("shot shots swing")


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
_NOTICE_LABELS: Final = word_set(
    "correction clarification update note editor's video videos watch photos photo listen "
    "breaking exclusive analysis opinion editorial podcast transcript live daily"
)
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
            or match.group(1).lower().replace("’", "'").split()[-1] in _NOTICE_LABELS
        ):
            # "The Latest: …", "Correction: …", "Editor’s Note: …" label a section, not a speaker
            match = None
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
            elif lower == "in":
                item = _poll_attribution(d, token, sent)
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


def _abbreviation(token: Token) -> bool:
    """Whether a token ends a title or initial rather than a sentence ("Rep.", "J.")."""
    text = token.text
    return text.lower() in _TITLES or (len(text) == 2 and text[0].isupper() and text[1] == ".")


def _headline_attribution(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    """ "Christie Calls Clinton ‘A Disgrace’", "…, Lindsey Graham Says": in a title-case
    headline the parser often takes a reporting verb for part of a name. A third-person form
    of a lexicon verb after a capitalised name is the cue: the name before it is the source,
    the rest of the line (or, at the end, the clause before the comma) is the content."""
    doc, text = d.doc, d.text
    lower = token.lower_
    entry = d.lexicon.forms.get(lower)
    if (
        entry is None
        or entry[1] != "verb"
        or not lower.endswith("s")
        or lower == entry[0]
        or not token.text[:1].isupper()
        or token.i == sent.start
        or text.find("\n", 0, token.idx) >= 0  # the first line only
    ):
        return None
    line_end = text.find("\n")
    line = text[: line_end if line_end >= 0 else len(text)]
    words = line.split()
    if len(words) < 4 or sum(1 for w in words if not w[:1].islower()) < 0.8 * len(words):
        return None
    if ":" in line[token.idx :]:
        return None  # "Mayor Blasts Chief: ‘…’": the colon frame reports the quotation
    s_start, s_end = _sentence_bounds(d, sent)
    if token.i + 1 < s_end and doc[token.i + 1].pos_ in ("VERB", "AUX"):
        return None  # "Power Plant Rules Face …": the verb comes after; this is a noun
    first = token.i
    while (
        first - 1 >= s_start
        and token.i - first < 6
        and doc[first - 1].text[:1].isupper()
        and doc[first - 1].pos_ in ("PROPN", "NOUN", "ADJ")
    ):
        first -= 1  # "[New] Poll", "[Popular] Website": capitalised modifiers too
    if first == token.i:
        return None
    cue_last = token.i
    particles = _PARTICLES.get(entry[0], ())
    if cue_last + 1 < s_end and doc[cue_last + 1].lower_ in particles:
        cue_last += 1
    if s_end - cue_last - 1 >= 2:
        content = _chars(doc, cue_last + 1, s_end - 1)
    elif first - 1 > s_start and doc[first - 1].text == ",":
        content = _chars(doc, s_start, first - 2)
    else:
        return None
    return _Found(
        cue=_chars(doc, token.i, cue_last),
        cue_class=d.lexicon.verbs[entry[0]],
        source=_chars(doc, first, token.i - 1),
        content=[_trim(text, *content)],
        evidence=[f"cue:headline-verb:{d.lexicon.verbs[entry[0]]}", "source:name-before"],
        confidence=0.55,
    )


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


def _not_a_report(d: _Document, token: Token, sent: SpacySpan) -> bool:
    """Reporting words that report nothing here: idioms of the author's ("it goes without
    saying", "it is worth noting"), credit lines ("Reporting by …; Editing by …") and orders
    to the reader ("Ask yourself …", "Please note …")."""
    doc = d.doc
    previous = doc[token.i - 1].lower_ if token.i > sent.start else ""
    following = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
    if token.lower_.endswith("ing") and (
        previous == "worth" or (previous == "without" and token.lower_ == "saying")
    ):
        return True
    if token.lower_ in ("reporting", "writing", "editing") and following == "by":
        return True
    if previous == "having" and token.lower_ == "said" and following == "that":
        return True  # "Having said that, …": the author turning, not a report
    if _asks_the_reader(d, token, sent):
        return True
    if not d.syntax:
        return False
    first = sent.start  # the sentence's first word
    while first < token.i and (doc[first].is_punct or doc[first].is_space):
        first += 1
    if (
        token.lower_ in ("speaking", "talking", "appearing")
        and token.dep_ == "advcl"
        and first == token.i
        and token.head.i > token.i
    ):
        return True  # "Speaking to reporters, Smith said …": where, not a saying of its own
    if token.tag_ != "VB" or token.dep_ != "ROOT":
        return False
    if first < token.i and doc[first].lower_ == "please":
        first += 1
    if any(c.dep_ in (*_SUBJECTS, "aux", "aux:pass") for c in token.children):
        return False
    # an imperative opens its sentence, or follows only its own adverbials ("If you want to
    # know more, read …"), and has no subject: the reader is told to do it
    left = [c for c in token.children if c.i < token.i]
    return first == token.i or (
        bool(left)
        and all(c.dep_ in ("advcl", "advmod", "obl", "punct", "discourse") for c in left)
        and min(c.left_edge.i for c in left) <= first
    )


#: participles that name or charge what they describe, with the word that leads the name or
#: charge and the cue class: "the bill, known as …", "a book titled …", "was charged with …"
_NAMING: Final = {
    "known": ("as", "report"),
    "titled": ("", "say"),
    "entitled": ("", "say"),
    "dubbed": ("", "say"),
    "charged": ("with", "allege"),
}


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


def _lexical(d: _Document, token: Token, sent: SpacySpan) -> _Found | None:
    lexicon = d.lexicon
    if _not_a_report(d, token, sent):
        return None
    if d.tags and token.lower_ in _NAMING and token.tag_ == "VBN":
        naming = _naming_attribution(d, token, sent)
        if naming is not None:
            return naming
    if d.tags and token.pos_ in ("PROPN", "NOUN"):
        headline = _headline_attribution(d, token, sent)
        if headline is not None:
            return headline
    if d.tags and token.pos_ in ("VERB", "AUX") and d.lemma(token) in _LIGHT_VERBS:
        light = _light_verb_attribution(d, token, sent)
        if light is not None:
            return light
    if d.tags and token.pos_ == "VERB" and d.lemma(token) in _RECEIVING:
        received = _received_criticism(d, token, sent)
        if received is not None:
            return received
    if d.tags and token.pos_ == "ADJ" and token.lower_ in _EVIDENT:
        evident = _impersonal_adjective(d, token, sent)
        if evident is not None:
            return evident
    if d.tags and token.pos_ == "ADJ" and token.lower_ in _STANCE_ADJECTIVES:
        stance = _adjective_attribution(d, token, sent)
        if stance is not None:
            return stance
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
            for start, end in d.group_spans(quote):
                k = bisect_left(labelled, start)
                if k < len(labelled) and labelled[k] < end:
                    break  # the next paragraph is a transcript line of its own speaker
                speaker.content.append((start, end))
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


class _Genders:
    """The gender of person mentions where the text shows it: a title or gendered noun in or
    just before the name ("Mrs. Clinton", "spokeswoman Ann Lee"), a first name of
    ``data/name_genders.tsv``, or a surname that a gendered mention of the document ends with."""

    def __init__(self, d: _Document, mentions: list[tuple[int, int, str]]) -> None:
        self.d = d
        self.names = load_name_genders()
        self.titles = _title_words()
        self.surnames: dict[str, str | None] = {}
        self._seen: dict[tuple[int, int], str | None] = {}
        for start, end, kind in mentions:
            gender = self.own(start, end) if kind == _MENTION_PERSON else None
            words = d.text[start:end].split()
            if gender is not None and len(words) >= 1:
                surname = _surname(words[-1])
                known = self.surnames.get(surname, gender)
                self.surnames[surname] = gender if known == gender else None

    def own(self, start: int, end: int) -> str | None:
        text = self.d.text
        before = text[max(0, start - 12) : start].split()[-1:]
        words = [*before, *text[start:end].split()]
        for word in words:
            lower = word.lower()
            if lower in MALE_WORDS:
                return "m"
            if lower in FEMALE_WORDS:
                return "f"
        # the first name: the first word after any titles, of a name of two words or more
        words = [w for w in text[start:end].split() if w.lower() not in self.titles]
        if len(words) >= 2 and words[0] in self.names:
            return self.names[words[0]]
        return None

    def of(self, start: int, end: int) -> str | None:
        if (start, end) in self._seen:
            return self._seen[(start, end)]
        gender = self.own(start, end)
        if gender is None:
            words = self.d.text[start:end].split()
            if words:
                gender = self.surnames.get(_surname(words[-1]))
        self._seen[(start, end)] = gender
        return gender


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """Words that stand before a first name without being one ("Senator", "chief")."""
    return frozenset(
        word
        for word, kinds in load_entity_words().items()
        if kinds & {"title", "honorific", "role", "role-modifier"}
    )


def _surname(word: str) -> str:
    """A name's last word without punctuation or a possessive: "Clinton’s" → "Clinton".

    >>> _surname("Clinton’s,"), _surname("Jones")
    ('Clinton', 'Jones')
    """
    word = word.strip('.,;:"“”()')
    return word.removesuffix("’s").removesuffix("'s").strip("'’")


def _pronoun_gender(word: str) -> str | None:
    return "m" if word in _MALE_PRONOUNS else "f" if word in _FEMALE_PRONOUNS else None


def _resolve(
    d: _Document,
    source: tuple[int, int],
    mentions: list[tuple[int, int, str]],
    speaker: tuple[int, int, str] | None = None,
    genders: _Genders | None = None,
    unnamed: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(),
) -> tuple[tuple[int, int] | None, str, float]:
    """The antecedent of a pronoun/description/surname source, the rule that found it and how
    sure it is.

    A pronoun that opens a sentence after a reported one ("It added: …") continues the last
    compatible speaker when that speaker is near; otherwise the nearest compatible mention.
    "he" and "she" skip persons of the other gender where the text shows it (a title, a first
    name, a surname of a titled mention); an antecedent is less sure when it is far or another
    compatible person stands near it. "the ministry" is not an unnamed source ("officials")
    just because both are groups.
    """
    text = d.text
    words = text[source[0] : source[1]].split()
    if not words:
        return None, "", 0.0
    first = words[0].lower().strip(",")
    gender = _pronoun_gender(first) if len(words) == 1 else None

    def fits(start: int, end: int) -> bool:
        return gender is None or genders is None or genders.of(start, end) in (None, gender)

    def known(start: int, end: int) -> bool:
        return gender is not None and genders is not None and genders.of(start, end) == gender

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
        and fits(speaker[0], speaker[1])
    ):
        sure = 0.9 if known(speaker[0], speaker[1]) or gender is None else 0.85
        return (speaker[0], speaker[1]), "antecedent:speaker", sure
    k = bisect_left(mentions, (source[0],))
    candidates = mentions[max(0, k - 40) : k]
    if wanted == "description":
        noun = words[-1].lower()
        for start, end, _kind in reversed(candidates):
            if noun in text[start:end].lower() and (start, end) != source:
                return (start, end), "antecedent:description", 0.8
        # "the ministry", not "the enemy"; "the defence ministry" is one not met before
        if len(words) == 2 and "org" in load_entity_words().get(noun, ()):
            for start, end, kind in reversed(candidates):
                if kind == _MENTION_GROUP and (start, end) not in unnamed:
                    return (start, end), "antecedent:description", 0.65
        return None, "", 0.0
    if wanted is not None:
        for n in range(len(candidates) - 1, -1, -1):
            start, end, kind = candidates[n]
            if (
                kind == wanted or (wanted == _MENTION_GROUP and first in ("they", "them", "their"))
            ) and fits(start, end):
                while n > 0 and candidates[n - 1][0] <= start and candidates[n - 1][1] >= end:
                    n -= 1
                    start, end = candidates[n][0], candidates[n][1]
                sure = 0.85 if known(start, end) else 0.75
                if source[0] - end > 400:
                    sure -= 0.15
                rivals = {
                    text[a:b]
                    for a, b, other in candidates[max(0, n - 6) : n]
                    if other == kind and start - b < 300 and b <= start and fits(a, b)
                }
                if rivals - {text[start:end]} and not known(start, end):
                    sure -= 0.15  # another compatible person just before: "he" may be either
                return (start, end), "antecedent:pronoun", round(sure, 2)
        return None, "", 0.0
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
                    return (start, end), "antecedent:surname", 0.9
    return None, "", 0.0


def _bare_pronoun(d: _Document, source: tuple[int, int] | None) -> str | None:
    """The pronoun a source consists of ("I", "he", "They"), lower case, else ``None``."""
    if source is None:
        return None
    word = d.text[source[0] : source[1]].strip().lower()
    return word if word in _BARE_PRONOUNS else None


def _quote_speakers(d: _Document, found: list[_Found]) -> None:
    """ "I", "we" and their forms as the source of a claim inside a quote (or a transcript
    line, "PENCE: … I think …") are the quote's speaker: the source of the innermost claim
    whose content holds them, as that claim's own source resolved. Outer claims are settled
    first, so "I" inside a quote inside a quote finds the outer speaker through the inner."""
    order = sorted(
        (a for a in found if a.source is not None and _bare_pronoun(d, a.source) in _FIRST_PERSON),
        key=lambda a: -sum(end - start for start, end in a.content),
    )
    for a in order:
        assert a.source is not None
        start, end = a.source
        holders = [
            (hold_end - hold_start, other, (hold_start, hold_end))
            for other in found
            if other is not a and other.cue is not None and other.source is not None
            for hold_start, hold_end in other.content
            if hold_start <= start and end <= hold_end
        ]
        if not holders:
            continue
        _, holder, _span = min(holders, key=lambda h: h[0])
        transcript = "cue:colon-label" in holder.evidence
        if not transcript and d.quoted_chars(start, end) == 0:
            continue  # "Clinton said I was wrong": the author's "I", not the speaker's
        if holder.kind == "unresolved" or holder.source is None:
            continue
        speaker, sure = holder.source, 0.9
        for item in holder.evidence:
            if item.startswith("antecedent:"):
                a_start, a_end = item.rsplit(":", 1)[1].split("-")
                speaker = (int(a_start), int(a_end))
            elif item.startswith("antecedent-confidence:"):
                sure = min(sure, float(item.split(":", 1)[1]))
        a.evidence.append(f"antecedent:quoted:{speaker[0]}-{speaker[1]}")
        a.evidence.append(f"antecedent-confidence:{sure:.2f}")
        a.kind = holder.kind


def _source_kind(d: _Document, source: tuple[int, int] | None, resolved: bool) -> SourceKind:
    """``named``, ``unnamed`` ("officials", "reports"), or ``unresolved``: a bare pronoun
    ("he", "I") that no antecedent was found for names nobody the record can show."""
    if source is None:
        return "unnamed"
    tokens = d.doc.char_span(source[0], source[1], alignment_mode="expand")
    if tokens is None or len(tokens) == 0:
        return "unnamed"
    if _bare_pronoun(d, source) is not None:
        return "named" if resolved else "unresolved"
    head = tokens.root if d.syntax else tokens[-1]
    if resolved or head.lower_ in _PERSON_PRONOUNS or head.lower_ in ("they", "who"):
        return "named"
    if (
        tokens[0].lower_ == "the"
        and len(tokens) <= 3
        and head.i == tokens.end - 1
        and "org" in load_entity_words().get(head.lower_, ())
    ):
        return "named"  # "the defence ministry": one organisation the reader knows
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
    genders = _Genders(d, mentions)
    unnamed: set[tuple[int, int]] = set()  # unnamed sources: "they" of "officials" is unnamed
    for a in found:
        antecedent: tuple[int, int] | None = None
        if a.source is not None and _bare_pronoun(d, a.source) not in _FIRST_PERSON:
            antecedent, rule, sure = _resolve(d, a.source, mentions, speaker, genders, unnamed)
            if antecedent is not None:
                a.evidence.append(f"{rule}:{antecedent[0]}-{antecedent[1]}")
                a.evidence.append(f"antecedent-confidence:{sure:.2f}")
        a.kind = _source_kind(d, a.source, antecedent is not None)
        if antecedent is not None and antecedent in unnamed:
            a.kind = "unnamed"
        elif a.source is not None and antecedent is None and _bare_pronoun(d, a.source) is None:
            mention = (a.source[0], a.source[1], _mention_kind(d, a.source))
            insort(mentions, mention)  # an unresolved "he" is nobody's antecedent
            if a.kind == "unnamed":
                unnamed.add(a.source)
            if not _reported_inside(a.source, found):  # "It added" goes on from the
                speaker = mention  # reporting speaker, not from one it reported
        a.quote = _quote_kind(d, a.content)
        if a.quote != "indirect":
            a.evidence.append(f"quote:{a.quote}")
    _quote_speakers(d, found)
    _cut_at_following_cues(d, found)
    _drop_borrowed_quotes(found)
    found.extend(_author_claims(d, found, sentences))
    return replace(ctx.found, claims=tuple(_to_claims(d, ctx, found)))


def _drop_borrowed_quotes(found: list[_Found]) -> None:
    """A quote that another attribution reports as its own content ("“…,” said X") is not a
    follow-on of the speaker before: the follow-on rule took it before X's frame was seen."""
    primary = {a.content[0][0] for a in found if a.cue is not None and a.content}
    for a in found:
        if a.cue is None or len(a.content) < 2:
            continue
        kept = [a.content[0], *(span for span in a.content[1:] if span[0] not in primary)]
        if len(kept) < len(a.content):
            a.content = kept
            a.evidence.append("content:quote-left-to-its-speaker")


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


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """A content span without a quotation mark at its edge whose partner lies outside it: an
    object that begins at an opening mark ("reject “bad trade deals") or a clause cut at a
    closing one. Apostrophes that may be possessives ("the workers’") are left alone.

    >>> text = "reject “bad trade deals” and ‘go’"
    >>> text[slice(*_balanced(text, 7, 23))], text[slice(*_balanced(text, 7, 24))]
    ('bad trade deals', '“bad trade deals”')
    """
    given = start, end
    piece = text[start:end]
    odd_straight = piece.count('"') % 2 == 1
    if (piece[:1] in "“‘" and not any(mark in piece for mark in "”’")) or (
        piece[:1] == '"' and odd_straight
    ):
        start += 1
    piece = text[start:end]
    odd_straight = piece.count('"') % 2 == 1
    if (piece[-1:] == "”" and "“" not in piece) or (piece[-1:] == '"' and odd_straight):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else given


def _closed_parenthesis(text: str, start: int, end: int) -> tuple[int, int]:
    """A span that opens a parenthesis keeps the one that closes it right after its end: edge
    trimming took it ("Sen. Elizabeth Warren (D-MA)").

    >>> text = "Sen. Elizabeth Warren (D-MA) said"
    >>> text[slice(*_closed_parenthesis(text, 0, 27))]
    'Sen. Elizabeth Warren (D-MA)'
    """
    piece = text[start:end]
    if piece.count("(") > piece.count(")") and text[end : end + 1] == ")":
        return start, end + 1
    return start, end


def _to_claims(d: _Document, ctx: StageContext, found: list[_Found]) -> list[Claim]:
    text = d.text
    found.sort(key=lambda a: (a.content[0], a.cue or (0, 0)))
    ids = [ctx.claim_id((a.content[0][0], a.content[-1][1]), a.cue) for a in found]
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
                source=Span.of(text, *_closed_parenthesis(text, *a.source)) if a.source else None,
                source_kind=a.kind,
                cue=Span.of(text, *a.cue) if a.cue else None,
                content=tuple(Span.of(text, *_balanced(text, s, e)) for s, e in a.content),
                quote=a.quote,
                certainty=CERTAINTY[a.cue_class] if a.cue_class else "asserted",
                parent=parent,
                confidence=round(max(0.05, min(1.0, a.confidence)), 2),
                evidence=tuple(a.evidence),
            )
        )
    return claims
