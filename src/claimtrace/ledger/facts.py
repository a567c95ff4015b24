"""What corroboration and conflicts know about one claim (:class:`ClaimFacts`, plain values a
store can rebuild), and the text rules both read it with: content terms, names, negation,
numbers, and whether a content states anything (:func:`is_bare_phrase`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from spacy.lang.en.stop_words import STOP_WORDS

from claimtrace.records import Extraction
from claimtrace.stages.attribution_lexicon import word_set
from claimtrace.stages.numbers import TENS, UNITS

__all__ = [
    "ClaimFacts",
    "QuantityFact",
    "TimeFact",
    "content_terms",
    "facts_from_extraction",
    "is_bare_phrase",
    "is_topic_phrase",
]


# --- the facts of one claim ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuantityFact:
    """A quantity a claim states: ``low``–``high`` of ``counted`` (head noun) in ``unit``;
    ``None`` for a side the text leaves open ("more than 100" has no ``high``)."""

    low: float | None
    high: float | None
    counted: str | None = None
    kind: str = "count"
    unit: str | None = None
    approximate: bool = False
    text: str | None = None


@dataclass(frozen=True, slots=True)
class TimeFact:
    """A time a claim is about, as ISO dates (``None`` where open or unresolved)."""

    start: str | None
    end: str | None


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """What corroboration needs to know about one claim, in plain values a store can rebuild.

    ``content`` is the claim's content as plain text (its spans joined by a space);
    ``source`` the source as written, ``source_entity`` the canonical name it resolves to;
    ``entities`` and ``places`` hold names (or gazetteer ids as strings), not record ids, so
    that claims from different documents can share them; ``parent`` is the id of the claim
    this one is nested in ("X said that Y claimed …").
    """

    claim_id: str
    document_id: str
    content: str
    publisher: str | None = None
    url: str | None = None
    source_kind: str = "author"
    source: str | None = None
    source_entity: str | None = None
    cue: str | None = None
    entities: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    times: tuple[TimeFact, ...] = ()
    quantities: tuple[QuantityFact, ...] = ()
    negated: bool = False
    certainty: str = "asserted"
    parent: str | None = None
    published: str | None = None

    @property
    def speaker(self) -> str | None:
        """Who makes the statement, normalised: the source entity, the source text, or the
        publisher for the outlet's own assertions; ``None`` for unnamed sources and for pronouns
        that no antecedent resolved ("he" in two articles is nobody in particular).

        >>> def said(source: str, kind: str) -> str | None:
        ...     facts = ClaimFacts("c", "d", "it rained", source=source, source_kind=kind)
        ...     return facts.speaker
        >>> said("he", "unresolved") is None, said("he", "unnamed") is None
        (True, True)
        >>> said("Vladimir Putin", "named")
        'vladimir putin'
        """
        if self.source_kind == "author":
            return _norm_name(self.publisher) if self.publisher else None
        if self.source_kind in ("unnamed", "unresolved"):
            return None
        name = self.source_entity or self.source
        return _norm_name(name) if name else None


def facts_from_extraction(extraction: Extraction) -> list[ClaimFacts]:
    """The :class:`ClaimFacts` of every claim of one document, in the extraction's order."""
    document = extraction.document
    entities = {entity.id: entity.name for entity in extraction.entities}
    places = {
        place.id: str(place.geonames_id) if place.geonames_id is not None else place.name
        for place in extraction.places
    }
    times = {time.id: TimeFact(time.start, time.end) for time in extraction.times}
    quantities = {
        q.id: QuantityFact(q.low, q.high, q.counted, q.kind, q.unit, q.approximate, q.mention.text)
        for q in extraction.quantities
    }
    facts: list[ClaimFacts] = []
    for claim in extraction.claims:
        source_entity = entities.get(claim.source_entity or "", claim.source_entity)
        facts.append(
            ClaimFacts(
                claim_id=claim.id,
                document_id=document.id,
                content=" ".join(part.text for part in claim.content),
                publisher=document.publisher,
                url=document.url,
                source_kind=claim.source_kind,
                source=claim.source.text if claim.source is not None else None,
                source_entity=source_entity,
                cue=claim.cue.text.lower() if claim.cue is not None else None,
                entities=tuple(entities[e] for e in claim.entities if e in entities),
                places=tuple(places[p] for p in claim.places if p in places),
                times=tuple(times[t] for t in claim.times if t in times),
                quantities=tuple(quantities[q] for q in claim.quantities if q in quantities),
                negated=claim.negated,
                certainty=claim.certainty,
                parent=claim.parent,
                published=document.published,
            )
        )
    return facts


# --- normalising content -----------------------------------------------------------------------

_NUMBER_WORDS: Final = word_set(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty forty fifty "
    "sixty hundred first third"
)
#: function words carry no claim; negations are dropped too (polarity is compared on its own)
_STOP: Final = frozenset(STOP_WORDS) - _NUMBER_WORDS | {"said", "says", "say", "mr", "ms", "mrs"}
_WORD: Final = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:[’'][^\W_]+)*")
#: cardinal words read as the number they write ("plus or minus four points" states 4, which
#: "3.4 points" does not); not "one", far more often a pronoun ("no one", "the one") than a count
_CARDINALS: Final = {
    word: str(value) for word, value in (*UNITS.items(), *TENS.items()) if word != "one"
}
_POSSESSIVE: Final = re.compile(r"[’']s$")


def _stem(word: str) -> str:
    """A light suffix strip so "polls"/"poll" and "leading"/"leads" meet; never below 3 letters."""
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) + len(repl) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: len(word) - len(suffix)] + repl
    return word


@lru_cache(maxsize=4096)
def _split_terms(text: str) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """Content words of ``text`` split into *names* (capitalised inside the text, or numbers,
    cardinal words written as digits: "four" is "4")
    and *predicate* words (the rest): two claims naming the same people but saying different
    things share names only. Third, every content word in text order (repeats kept): the
    phrase rule asks whether one claim's words occur, in order, inside another's.

    The cache only serves the pairwise helpers (:func:`origins`, :func:`conflicts`, one
    cluster at a time); :class:`Corroborator` keeps each claim's terms itself, so its cost
    does not depend on this cache being large enough for the ledger."""
    names: set[str] = set()
    predicate: set[str] = set()
    sequence: list[str] = []
    for k, match in enumerate(_WORD.finditer(text)):
        written = match.group()
        word = _POSSESSIVE.sub("", written.lower().replace("’", "'"))
        if word[:1].isdigit():
            word = word.replace(",", "")
        word = _CARDINALS.get(word, word)
        if not word or word in _STOP:
            continue
        term = _stem(word)
        sequence.append(term)
        if term[:1].isdigit() or (k > 0 and written[:1].isupper()):
            names.add(term)
        else:
            predicate.add(term)
    return frozenset(names), frozenset(predicate), tuple(sequence)


def content_terms(text: str) -> frozenset[str]:
    """The content words of ``text``: lower-cased, quotes and punctuation gone, stop words
    dropped, lightly stemmed; numbers keep their digits ("1,000" → "1000").

    >>> sorted(content_terms("“Clinton’s lead has grown,” the polls showed, to 1,000 voters."))
    ['1000', 'clinton', 'grown', 'lead', 'poll', 'show', 'voter']
    """
    names, predicate, _ = _split_terms(text)
    return names | predicate


def _norm_name(name: str) -> str:
    """A name as a key: lower-case words only ("Donald J. Trump" → "donald j trump")."""
    return " ".join(_WORD.findall(name.lower()))


def _name_keys(facts: ClaimFacts) -> frozenset[str]:
    """Names a claim is about: its entities' and places' names, and its source entity."""
    names = {_norm_name(name) for name in (*facts.entities, *facts.places)}
    return frozenset(name for name in names if name)


#: words that turn a short statement around ("failure to release" ≠ "pledge to release");
#: both sides of a short link must agree on having one (long contents may hold a negated aside)
_NEGATORS: Final = word_set(
    "not no never nothing none nobody neither nor without n't cannot failure fail fails failed "
    "refuse refuses refused refusing decline declines declined deny denies denied"
)
_NEGATION_WORDS: Final = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")


def _negative(text: str) -> bool:
    """Whether ``text`` holds a negating word (a lexical cue; the stages' ``negated`` flag is
    only set for claims whose cue is negated, and the bench rebuilds claims from text)."""
    for match in _NEGATION_WORDS.finditer(text.lower()):
        word = match.group().replace("’", "'")
        if word in _NEGATORS or word.endswith("n't"):
            return True
    return False


def _number(term: str) -> float | None:
    """The value of a numeric term ("1000", "25.4"), else ``None``."""
    if not term[:1].isdigit():
        return None
    try:
        return float(term)
    except ValueError:
        return None


def _near_numbers(xs: Collection[float], ys: Collection[float]) -> int:
    """How many of ``xs`` agree with some ``y`` within 1 % ("$915 million" ~ "$916 million").

    Only values from 100 up, and never years (whole numbers 1800–2100), agree fuzzily: small
    counts and years must match exactly, and exact matches are counted elsewhere."""
    found = 0
    for x in xs:
        if abs(x) < 100 or (x.is_integer() and 1800 <= x <= 2100):
            continue
        if any(abs(x - y) <= 0.01 * max(abs(x), abs(y)) for y in ys):
            found += 1
    return found


def _number_key(value: float) -> str:
    """A blocking key for a number: two significant digits (years kept whole), so that
    "915" and "916" meet while "915" and "1,200" do not."""
    if value.is_integer() and 1800 <= value <= 2100:
        return format(value, "g")
    return format(float(f"{value:.2g}"), "g")


@dataclass(frozen=True, slots=True)
class _Profile:
    """What comparing one claim needs, computed once per claim (see ``Corroborator``)."""

    terms: frozenset[str]
    predicate: frozenset[str]
    numbers: tuple[tuple[str, float], ...]
    names: frozenset[str]
    speaker: str | None
    negative: bool
    sequence: tuple[str, ...] = ()
    statement: bool = False
    bare: bool = False


def _profile(facts: ClaimFacts) -> _Profile:
    """The comparison profile of one claim."""
    names, predicate, sequence = _split_terms(facts.content)
    terms = names | predicate
    numbers = tuple(sorted((t, v) for t in terms if (v := _number(t)) is not None))
    return _Profile(
        terms,
        predicate,
        numbers,
        _name_keys(facts),
        facts.speaker,
        _negative(facts.content),
        sequence,
        _is_statement(facts.content),
        is_bare_phrase(facts.content) or is_topic_phrase(facts.content),
    )


#: verbs of being, having and modality (with their contractions): a content holding one is a
#: statement ("climate change is real"), one without may be only a topic ("the 9/11 attacks")
_FINITE: Final = word_set(
    "is are was were be been being am has have had will would shall should can could may "
    "might must do does did 're 've 'll 'd n't"
)
_PRONOUN_S: Final = re.compile(
    r"\b(?:he|she|it|that|there|what|who|here|where|let)[’']s\b", re.IGNORECASE
)


def _is_statement(text: str) -> bool:
    """Whether ``text`` has a verb of being, having or modality, so it states something.

    >>> _is_statement("he’s paid nothing"), _is_statement("the Green Party’s Jill Stein")
    (True, False)
    """
    if _PRONOUN_S.search(text):
        return True
    for match in _NEGATION_WORDS.finditer(text.lower().replace("’", "'")):
        word = match.group()
        if word in _FINITE or word.endswith("n't"):
            return True
        if "'" in word and word[word.index("'") :] in _FINITE:
            return True
    return False


#: a content of this many words or more is taken to state something even when no word of it
#: looks like a verb (the link rules then decide on its words); shorter ones need a verb-like word
BARE_PHRASE_WORDS: Final = 9
#: a phrase of this many words with a number in it states a quantity, verb or not
_QUANTITY_PHRASE_WORDS: Final = 4
_SUBJECTS: Final = word_set("i we you he she they it who")
_DETERMINERS: Final = word_set(
    "a an the this that these those his her their its our my your some any no every each "
    "other another such same more most many much all both"
)
_PREPOSITIONS: Final = word_set("of in on at for with by from about against over into")


#: words that may follow a verb in -s ("the poll shows Clinton ahead", "he wants to")
_AFTER_VERB: Final = _DETERMINERS | word_set("to that him her them it us me you he she they we")


def _verb_like(words: Sequence[str], written: Sequence[str], k: int) -> bool:
    """Whether ``words[k]`` (lower-cased; ``written`` as in the text) looks like a verb: a
    verb of being, having or modality, a contraction, a word after a subject pronoun ("they
    lost") or after "to" ("to build a wall"), an -ed word not after a determiner or preposition
    ("people died"; not "the alleged fraud"), or an -s word right after a name ("Clinton
    leads"; not "his comments")."""
    word = words[k]
    if (
        word in _FINITE
        or word.endswith("n't")
        or ("'" in word and word[word.index("'") :] in _FINITE)
    ):
        return True
    if k == 0 or not written[k][:1].islower() or word in _DETERMINERS or word in _STOP:
        return False
    before = words[k - 1]
    if before in _SUBJECTS or before == "to":
        return True
    if before in _DETERMINERS or before in _PREPOSITIONS:
        return False
    if word.endswith("ed") and len(word) >= 4:
        return True  # "people died", "shelling killed" (not "the alleged fraud")
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and k + 1 < len(words):
        following = written[k + 1]
        if words[k + 1] in _AFTER_VERB or following[:1].isupper() or following[:1].isdigit():
            return True  # "the poll shows Clinton ahead", "Ryan wants to" (not "his comments")
    name = written[k - 1]
    possessive = name.endswith(("'s", "s'"))
    return name[:1].isupper() and not possessive and word.endswith("s") and not word.endswith("ss")


def is_bare_phrase(text: str) -> bool:
    """Whether a claim's content is a bare noun phrase, not a statement: it never founds or
    joins a cluster, and never conflicts ("Trump", "his comments", "the same thing").

    The rule works on the stored text alone (no re-parsing): a content is bare when it has no
    content word, or fewer than :data:`BARE_PHRASE_WORDS` words (four with a number: "a loss
    of $916 million in 1995" states a quantity) none of which is verb-like
    (:func:`_verb_like`: "is", "has", "will", "n't", "he's", a word after a subject pronoun or
    after "to", an -ed word not after a determiner, an -s word after a name or before an
    object: "Clinton leads", "the poll shows Clinton"). Noun phrases of nine words or more
    ("Republican presidential candidate Donald Trump's call for a ban") are rare enough to be
    left to the link rules.

    >>> [is_bare_phrase(t) for t in ("Trump", "his comments", "the same thing", "the Iran deal")]
    [True, True, True, True]
    >>> [is_bare_phrase(t) for t in ("Clinton leads Trump", "he lost", "to build a wall")]
    [False, False, False]
    >>> is_bare_phrase("a rigged system that favours the rich over everyone else")
    False
    """
    if not content_terms(text):
        return True
    written = [m.group().replace("’", "'") for m in _NEGATION_WORDS.finditer(text)]
    if len(written) >= BARE_PHRASE_WORDS:
        return False
    if len(written) >= _QUANTITY_PHRASE_WORDS and any(w[:1].isdigit() for w in written):
        return False  # "a loss of $916 million in 1995" states a quantity
    if _PRONOUN_S.search(text):
        return False
    words = [w.lower() for w in written]
    return not any(_verb_like(words, written, k) for k in range(len(words)))


#: common irregular past forms: verbs the suffix rules of :func:`_verb_like` cannot see ("the
#: economy grew", "the senator won Ohio"), so a content holding one is never taken for a topic
_IRREGULAR_PAST: Final = word_set(
    "began bought brought built came caught chose did drew drove ate fell felt fought found fled "
    "forgot gave got grew hid held hit hurt kept knew laid led left lent let lost made meant met "
    "paid put quit ran rang read rose said saw sent set shot showed shown shut sold sought spent "
    "spoke stood stole struck swore took taught told thought threw understood went woke won wore "
    "wrote"
)


def is_topic_phrase(text: str) -> bool:
    """Whether a content names a topic rather than stating something: a noun phrase that opens
    with a determiner, a possessive or a preposition and holds no verb but infinitives after
    "to" and gerunds ("his call to raise the federal minimum wage to $15", "Trump's proposal
    to ban Muslims from entering the United States", "on building a wall on the border").
    Like a bare phrase, it never founds or joins a cluster: articles that mention one policy
    do not corroborate one statement.

    >>> is_topic_phrase("his call to raise the federal minimum wage to $15 an hour")
    True
    >>> is_topic_phrase("Trump's proposal to ban Muslims from entering the United States")
    True
    >>> [is_topic_phrase(t) for t in ("his opponents attacked him", "the economy grew 3 percent",
    ...  "the country is on the wrong track", "to build a wall", "Clinton leads Trump",
    ...  "a loss of $916 million in 1995")]
    [False, False, False, False, False, False]
    """
    written = [m.group().replace("’", "'") for m in _NEGATION_WORDS.finditer(text)]
    if not written:
        return False
    first = written[0].lower()
    possessive = written[0][:1].isupper() and first.endswith(("'s", "s'"))
    if not (possessive or first in _DETERMINERS or first in _PREPOSITIONS):
        return False
    if _PRONOUN_S.search(text):
        return False
    if any(w[:1].isdigit() for w in written) and not any(w.lower() == "to" for w in written):
        return False  # "a loss of $916 million in 1995" states a quantity (not "a call to …")
    words = [w.lower() for w in written]
    for k, word in enumerate(words):
        if word in _IRREGULAR_PAST:
            return False
        if _verb_like(words, written, k) and not (k > 0 and words[k - 1] == "to"):
            return False
    return True


#: the phrase rule lets this many other content words stand between two words of the phrase
#: ("paid nothing in federal taxes" inside "not paid a dime in federal income taxes")
_PHRASE_GAP: Final = 2
#: the fewest content words a phrase needs to link by the phrase rule
_PHRASE_TERMS: Final = 3


def _phrase_within(short: Sequence[str], long: Sequence[str], gap: int = _PHRASE_GAP) -> bool:
    """Whether the words of ``short`` occur in ``long`` in the same order, with at most ``gap``
    other words between two consecutive ones: the shorter claim is a phrase of the longer one
    ("climate change is real" inside "scientists tell us that climate change is real and a
    threat"), not the same words scattered over a different sentence.

    >>> _phrase_within(("paid", "federal", "tax"), ("paid", "dime", "federal", "income", "tax"))
    True
    >>> _phrase_within(("tax", "paid"), ("paid", "federal", "tax"))
    False
    """
    if not short or len(short) > len(long):
        return False
    # positions of ``long`` where the phrase so far can end (a set: an early match of one word
    # may leave the next out of reach where a later match of it would not)
    ends = [i for i, term in enumerate(long) if term == short[0]]
    for term in short[1:]:
        ends = [
            j
            for j in range(len(long))
            if long[j] == term and any(0 < j - i <= gap + 1 for i in ends)
        ]
        if not ends:
            return False
    return True


def _phrase_keys(sequence: Sequence[str], predicate: Collection[str], limit: int) -> list[str]:
    """Word pairs for the phrase rule's blocking keys: each content word that is not a name
    paired with the next such word and the one after (a phrase found inside a longer claim has
    two such words and shares at least one pair with it, even with a word between; names are
    left out, as the bands and the name keys already bring claims about them together). At
    most ``limit``, from the start of the content."""
    words = [term for term in sequence if term in predicate]
    keys: list[str] = []
    for i, term in enumerate(words):
        for other in words[i + 1 : i + 3]:
            if other != term:
                keys.append(f"{term}|{other}")
    return list(dict.fromkeys(keys))[:limit]


#: the most content words a claim the phrase rule looks for inside others has; longer ones are
#: found by containment and the bands
_PHRASE_MAX_TERMS: Final = 8


def _times_overlap(xs: Sequence[TimeFact], ys: Sequence[TimeFact]) -> bool:
    """Whether any time of ``xs`` overlaps any of ``ys`` (open ends overlap everything)."""
    for x in xs:
        for y in ys:
            x_start, x_end = x.start or "0000", x.end or x.start or "9999"
            y_start, y_end = y.start or "0000", y.end or y.start or "9999"
            if x_start <= y_end and y_start <= x_end:
                return True
    return False
