"""What every attribution rule works on: the parsed document (``_Document``), an attribution
under construction (``_Found``), and the token and character helpers they share."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimtrace.records import QuoteKind, SourceKind
from claimtrace.stages.attribution.lexicon import _EDGE_PUNCT, _TITLES
from claimtrace.stages.attribution_lexicon import Lexicon
from claimtrace.stages.quotes import Quote, find_quotes

if TYPE_CHECKING:
    from claimtrace.stages.attribution.trace import Trace


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
        #: where the rules say what they tried and why they refused; None: tracing is off
        self.trace: Trace | None = None
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


def _veto(d: _Document, reason: str) -> None:
    """Tell the trace (when there is one) why the rule now running refuses its token."""
    if d.trace is not None:
        d.trace.note("vetoed", reason)


def _skip(d: _Document, reason: str) -> None:
    """Tell the trace (when there is one) that the rule now running does not apply here."""
    if d.trace is not None:
        d.trace.note("skipped", reason)


def _trim(text: str, start: int, end: int, strip: str = _EDGE_PUNCT) -> tuple[int, int]:
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


def _chars(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Characters of tokens ``first..last`` inclusive."""
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _is_name(token: Token) -> bool:
    """A proper name, or a capitalised noun the tagger took for a common one."""
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.text[:1].isupper())


def _sentence_bounds(d: _Document, sent: SpacySpan) -> tuple[int, int]:
    start, end = sent.start, sent.end
    while start < end and (d.doc[start].is_space or d.doc[start].is_punct):
        start += 1
    while end > start and (d.doc[end - 1].is_space or d.doc[end - 1].is_punct):
        end -= 1
    return start, end


def _children(d: _Document, token: Token) -> list[Token]:
    """``token.children``, or none when the document has no parse: spaCy's child links of an
    unparsed document are not set, and reading them can crash the process."""
    return list(token.children) if d.syntax else []


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


def _is_stop(d: _Document, token: Token) -> bool:
    return token.is_punct or token.is_space or d.is_verb(token)


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


def _abbreviation(token: Token) -> bool:
    """Whether a token ends a title or initial rather than a sentence ("Rep.", "J.")."""
    text = token.text
    return text.lower() in _TITLES or (len(text) == 2 and text[0].isupper() and text[1] == ".")
