"""Corroboration: which claims across the ledger state the same thing, from how many origins.

Three questions, answered with evidence an analyst can check:

* **Links** — two claims state the same thing. Each new claim is compared only with the claims
  that share a *key* with it: a MinHash LSH band of its content words, or a blocking key built
  from its entities, places and quantities. Keys are plain strings, so a database can index them;
  every key's bucket is capped, so one claim costs at most a fixed number of comparisons and the
  whole ledger grows near-linearly (``python -m bench.clusters`` measures it).
* **Clusters** — the connected components of the links (union–find). A cluster's id is the
  smallest claim id in it, so the same claims give the same cluster ids whatever the order they
  were added in; :func:`plan_merges` says which stored cluster ids to rename after new links.
* **Origins and conflicts** — claims repeating one source's statement, or wire copy reprinted by
  several outlets, are one origin (:func:`origins`); non-overlapping quantity ranges and affirmed
  versus negated content are conflicts, within a cluster (:func:`conflicts`) and between any two
  claims compared when one is added (:func:`pair_conflicts`: counts need a shared entity or
  place there, which the subject keys bring together).

The store keeps :class:`ClaimFacts` as rows and implements :class:`ClaimIndex` over them; the
in-memory :class:`MemoryIndex` is the reference implementation.

>>> index = MemoryIndex()
>>> corroborator = Corroborator(index)
>>> a = ClaimFacts("c-1", "doc-a", "Clinton leads Trump by four points in the Quinnipiac poll")
>>> b = ClaimFacts("c-2", "doc-b", "the Quinnipiac poll shows Clinton leading Trump by four points")
>>> corroborator.add(a)
[]
>>> [(link.a, link.b) for link in corroborator.add(b)]
[('c-1', 'c-2')]
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import combinations
from typing import Final, Literal, Protocol

import numpy as np
import numpy.typing as npt
from spacy.lang.en.stop_words import STOP_WORDS

from claimtrace.records import Extraction
from claimtrace.stages.attribution_lexicon import word_set

__all__ = [
    "Added",
    "ClaimFacts",
    "ClaimIndex",
    "Clusters",
    "Conflict",
    "Corroborator",
    "Link",
    "LinkRule",
    "MemoryIndex",
    "Origin",
    "QuantityFact",
    "TimeFact",
    "conflicts",
    "content_terms",
    "facts_from_extraction",
    "is_bare_phrase",
    "leader_clusters",
    "link_score",
    "origins",
    "pair_conflicts",
    "plan_merges",
    "quantity_range",
]


# --- the facts of one claim ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuantityFact:
    """A quantity a claim states: ``low``–``high`` of ``counted`` (head noun) in ``unit``."""

    low: float
    high: float
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
    """Content words of ``text`` split into *names* (capitalised inside the text, or numbers)
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
        if not word or word in _STOP:
            continue
        term = _stem(word)
        sequence.append(term)
        if written[:1].isdigit() or (k > 0 and written[:1].isupper()):
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
        is_bare_phrase(facts.content),
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


# --- MinHash LSH -------------------------------------------------------------------------------

_MASK64: Final = (1 << 64) - 1
_MAX_BUCKET: Final = 16
#: content this alike links whatever else differs (reprints, repeated quotes)
_NEAR_IDENTICAL: Final = 0.8


def _stable_hash(term: str) -> int:
    """A 64-bit hash of ``term`` that is the same in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")


def _permutation_parameters(count: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """Odd multipliers and offsets for multiply-shift hashing, derived from fixed seeds."""
    a = [(_stable_hash(f"minhash-a-{i}") | 1) & _MASK64 for i in range(count)]
    b = [_stable_hash(f"minhash-b-{i}") for i in range(count)]
    return np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class LinkRule:
    """The settings of linking: LSH shape, bucket cap, and the decision threshold.

    ``bands × rows`` MinHash values make the signature; two claims become candidates when all
    ``rows`` values of one band agree, which for content-word Jaccard ``J`` happens with
    probability ``1 - (1 - J**rows)**bands`` (0.78 at J = 0.42, 0.95 at J = 0.5, 0.998 at
    J = 0.6 with the defaults). Four rows per band keep unrelated claims that share a few
    common words from meeting: with two, such chance candidates grew with the ledger and so
    did the cost per claim. Lower-overlap links (containment, agreeing numbers) are found
    through the blocking keys and the bands of their shared words.
    ``max_bucket`` caps how many claims one key keeps: keys shared by more claims than that
    (a very common word pair, a ubiquitous entity) say too little to be worth comparing against.
    """

    bands: int = 48
    rows: int = 4
    max_bucket: int = _MAX_BUCKET
    threshold: float = 0.4
    min_terms: int = 3
    phrase_keys: int = 64


# --- the candidate index the store implements ---------------------------------------------------


class ClaimIndex(Protocol):
    """Where corroboration finds earlier claims: keys → claim ids, and claim ids → facts.

    The store implements this over its tables (a ``(key, claim_id)`` table indexed on key, and
    the claim rows); :class:`MemoryIndex` is the in-memory reference.
    """

    def candidates(self, keys: Collection[str]) -> set[str]:
        """Ids of claims stored under any of ``keys`` (each key's bucket is already capped)."""
        ...

    def add(self, keys: Collection[str], facts: ClaimFacts) -> None:
        """Remember ``facts`` under ``keys``; a key whose bucket is full keeps what it has."""
        ...

    def facts(self, claim_ids: Collection[str]) -> list[ClaimFacts]:
        """The facts of the given claims (any order; unknown ids are left out)."""
        ...


class MemoryIndex:
    """:class:`ClaimIndex` in memory: dicts of buckets and facts."""

    def __init__(self, max_bucket: int = _MAX_BUCKET) -> None:
        self.max_bucket = max_bucket
        # tuples, not lists: most buckets hold one or two ids, and tuples of strings drop out
        # of the garbage collector's tracking, which otherwise walks millions of buckets
        self._buckets: dict[str, tuple[str, ...]] = {}
        self._facts: dict[str, ClaimFacts] = {}

    def candidates(self, keys: Collection[str]) -> set[str]:
        """Ids of claims stored under any of ``keys``."""
        found: set[str] = set()
        for key in keys:
            found.update(self._buckets.get(key, ()))
        return found

    def add(self, keys: Collection[str], facts: ClaimFacts) -> None:
        """Remember ``facts`` under ``keys`` (full buckets keep what they have)."""
        self._facts[facts.claim_id] = facts
        buckets = self._buckets
        for key in keys:
            bucket = buckets.get(key, ())
            if len(bucket) < self.max_bucket:
                buckets[key] = (*bucket, facts.claim_id)

    def facts(self, claim_ids: Collection[str]) -> list[ClaimFacts]:
        """The facts of the given claims that are known."""
        return [self._facts[i] for i in claim_ids if i in self._facts]

    def __len__(self) -> int:
        return len(self._facts)


# --- links -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Link:
    """Claims ``a`` < ``b`` state the same thing; ``evidence`` says why, score in [0, 1]."""

    a: str
    b: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Added:
    """What adding one claim found: its links and its conflicts with earlier claims."""

    links: list[Link]
    conflicts: list[Conflict]


def link_score(x: ClaimFacts, y: ClaimFacts) -> tuple[float, tuple[str, ...]]:
    """How strongly ``x`` and ``y`` state the same thing, and the evidence for it.

    Content this alike (word Jaccard ≥ 0.8) links outright. Otherwise one of four kinds of
    agreement is needed — names alone never make a link:

    * the *predicate* words (not names, not numbers) overlap: at least three shared and
      Jaccard ≥ 0.5; the score is the mean of both Jaccards;
    * one content holds the other: the shorter has at least six content words and 80 % of
      them are in the longer (a quote and the same quote extended);
    * numbers agree: two or more shared numbers (915 ~ 916 within 1 %, years exactly) and
      75 % of the shorter content's words shared;
    * the shorter is a statement found as a phrase inside the longer: its content words in
      the same order, at most two other words between two of them ("that climate change is
      real" in "scientists tell us that climate change is real and a threat").

    Short contents (fewer than six words) that differ in polarity ("failure to release" and
    "pledge to release") never link. Sharing entities, places or a source adds a little;
    times or places that exclude each other take away.

    >>> x = ClaimFacts("c-1", "d-1", "Pence will debate Kaine on Tuesday", entities=("Pence",))
    >>> y = ClaimFacts("c-2", "d-2", "Kaine and Pence debate Tuesday night", entities=("Pence",))
    >>> score, evidence = link_score(x, y)
    >>> round(score, 2), evidence
    (0.9, ('content-jaccard:0.80', 'predicate-jaccard:0.25', 'shared-entity:pence'))
    """
    return _score(_profile(x), _profile(y), x, y)


#: the fewest content words a contained claim needs to link by containment alone
_CONTAINED_TERMS: Final = 6
_CONTAINED: Final = 0.8
_NUMBERS_CONTAINED: Final = 0.75


#: the most that shared names, places and source add to a pair no content rule linked
_MAX_BONUS: Final = 0.25


def _numbers_disagree(px: _Profile, py: _Profile) -> bool:
    """Whether both contents state numbers and share none, exactly or within 1 % ("It takes
    2,383 delegates to win" and "It takes 1,237 delegates to win" count different things,
    or conflict: either way they do not corroborate each other)."""
    if not px.numbers or not py.numbers:
        return False
    if {t for t, _ in px.numbers} & {t for t, _ in py.numbers}:
        return False
    return not _near_numbers([v for _, v in px.numbers], [v for _, v in py.numbers])


def _may_link(px: _Profile, py: _Profile) -> bool:
    """A cheap upper bound of :func:`_score`'s content rules: ``False`` when none can fire.

    Every content rule needs either three shared predicate words or 75 % of the smaller
    content shared (near numbers counted at most once each), so two set intersections decide
    most unrelated candidates without the full score."""
    tx, ty = px.terms, py.terms
    if not tx or not ty:
        return False
    if len(px.predicate & py.predicate) >= 3:
        return True
    near = min(len(px.numbers), len(py.numbers))
    return len(tx & ty) + near >= _NUMBERS_CONTAINED * min(len(tx), len(ty))


def _score(
    px: _Profile, py: _Profile, x: ClaimFacts, y: ClaimFacts
) -> tuple[float, tuple[str, ...]]:
    """:func:`link_score` over precomputed profiles."""
    tx, ty = px.terms, py.terms
    if not tx or not ty:
        return 0.0, ()
    exact = tx & ty
    near = _near_numbers(
        [v for t, v in px.numbers if t not in ty], [v for t, v in py.numbers if t not in tx]
    )
    shared = len(exact) + near
    jaccard = shared / (len(tx | ty) - near)
    smaller = min(len(tx), len(ty))
    contained = shared / smaller
    said = len(px.predicate & py.predicate)
    either = px.predicate | py.predicate
    predicate = said / len(either) if either else 0.0
    evidence = [f"content-jaccard:{jaccard:.2f}", f"predicate-jaccard:{predicate:.2f}"]
    numbers = sum(1 for term in exact if term[:1].isdigit()) + near
    if px.negative != py.negative and smaller < _CONTAINED_TERMS:
        score = 0.0  # "he will vote for Clinton" / "they will not vote for Clinton"
        evidence.append("polarity-differs")
    elif jaccard >= _NEAR_IDENTICAL:
        score = jaccard
    elif said >= 3 and predicate >= 0.5:
        score = min(jaccard, 0.5 * jaccard + 0.5 * predicate)
    elif smaller >= _CONTAINED_TERMS and contained >= _CONTAINED and _said_within(px, py):
        score = 0.5 * contained
        evidence.append(f"contained:{contained:.2f}")
    elif _phrase_link(px, py):
        score = _PHRASE_SCORE
        evidence.append("phrase-within")
    elif numbers >= 2 and contained >= _NUMBERS_CONTAINED and smaller >= 4:
        score = 0.5 * contained
        evidence.append(f"numbers-agree:{numbers};contained:{contained:.2f}")
    else:
        score = 0.0
    if near:
        evidence.append(f"numbers-near:{near}")
    names = sorted(px.names & py.names)
    if names:
        score += 0.1 * min(len(names), 2)
        evidence.extend(f"shared-entity:{name}" for name in names)
    if px.speaker is not None and px.speaker == py.speaker:
        score += 0.05
        evidence.append(f"same-source:{px.speaker}")
    if x.times and y.times and not _times_overlap(x.times, y.times):
        score -= 0.2
        evidence.append("times-disjoint")
    if x.places and y.places and not set(x.places) & set(y.places):
        score -= 0.1
        evidence.append("places-disjoint")
    return max(0.0, min(1.0, score)), tuple(evidence)


def _said_within(px: _Profile, py: _Profile) -> bool:
    """Whether what the shorter content says — its words that are not names — is in the
    longer one too (80 %): "unlikely Donald Trump would become the Republican presidential
    candidate" is not contained in every text naming "Republican presidential candidate Donald
    Trump"."""
    short, long = (px, py) if len(px.terms) <= len(py.terms) else (py, px)
    if not short.predicate:
        return False
    return len(short.predicate & long.predicate) >= _CONTAINED * len(short.predicate)


#: the score of a phrase-rule link: above the default threshold, below most content links
_PHRASE_SCORE: Final = 0.45


def _may_be_phrase(profile: _Profile) -> bool:
    """Whether the phrase rule may find a claim inside a longer one: a statement of three to
    eight content words, two of them not names."""
    return (
        profile.statement
        and _PHRASE_TERMS <= len(profile.terms) <= _PHRASE_MAX_TERMS
        and len(profile.predicate) >= _PHRASE_TERMS - 1
    )


def _phrase_link(px: _Profile, py: _Profile) -> bool:
    """The phrase rule: the claim with fewer content words is a statement — at least three
    content words, two of them not names, and a verb of being, having or modality ("climate
    change *is* real", "he*'s* paid nothing") — and a phrase of the other
    (:func:`_phrase_within`); both have the same polarity. Topics ("criminal justice reform",
    "the 9/11 attacks") are not statements: claims mentioning them say different things."""
    short, long = (px, py) if len(px.terms) <= len(py.terms) else (py, px)
    return (
        _may_be_phrase(short)
        and px.negative == py.negative
        and _phrase_within(short.sequence, long.sequence)
    )


def _times_overlap(xs: Sequence[TimeFact], ys: Sequence[TimeFact]) -> bool:
    """Whether any time of ``xs`` overlaps any of ``ys`` (open ends overlap everything)."""
    for x in xs:
        for y in ys:
            x_start, x_end = x.start or "0000", x.end or x.start or "9999"
            y_start, y_end = y.start or "0000", y.end or y.start or "9999"
            if x_start <= y_end and y_start <= x_end:
                return True
    return False


#: how many claims' keys a corroborator keeps (more than the claims of one long document)
_KEPT_KEYS: Final = 512


class Corroborator:
    """Links each new claim to the earlier claims that state the same thing, incrementally.

    ``add`` computes the new claim's keys, asks the index for the claims under them, scores
    each candidate with :func:`link_score` and stores the claim. Work per claim is bounded by
    ``(bands + blocking keys) × max_bucket`` comparisons, whatever the size of the ledger, and
    each comparison is cheap: every claim's terms are computed once and kept here (up to
    ``cache_size`` claims, oldest dropped first), so no comparison re-reads a content.
    ``comparisons`` counts the candidates scored so far (the bench and tests watch it).
    """

    def __init__(
        self, index: ClaimIndex, rule: LinkRule | None = None, cache_size: int = 1 << 17
    ) -> None:
        self.index = index
        self.rule = rule if rule is not None else LinkRule()
        self.cache_size = cache_size
        self.comparisons = 0
        self._profiles: dict[str, tuple[str, _Profile]] = {}
        self._keys_of: dict[str, tuple[ClaimFacts, tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        self._a, self._b = _permutation_parameters(self.rule.bands * self.rule.rows)
        self._mix = _permutation_parameters(self.rule.rows)[0]

    def _profile(self, facts: ClaimFacts) -> _Profile:
        """The claim's profile, from the cache when it was seen before."""
        cached = self._profiles.get(facts.claim_id)
        if cached is not None and cached[0] == facts.content:
            return cached[1]
        found = _profile(facts)
        self._profiles[facts.claim_id] = (facts.content, found)
        if len(self._profiles) > self.cache_size:
            del self._profiles[next(iter(self._profiles))]
        return found

    def keys(self, facts: ClaimFacts) -> tuple[str, ...]:
        """The keys one claim is filed under: LSH bands of its content words, then blocking
        keys (pairs of names, pairs of numbers, counted quantities, a counted thing with a
        name) and phrase keys (near pairs of words; see :meth:`query_keys`).

        >>> said = ClaimFacts("c", "d", "Officials in Lviv said the drought has ended")
        >>> keys = Corroborator(MemoryIndex()).keys(said)
        >>> len(keys), keys[0][:3], keys[-4:]
        (54, 'b0:', ('pl:drought|end', 'ps:official|drought', 'ps:official|end', 'ps:drought|end'))
        """
        return self._keys(facts)[0]

    def query_keys(self, facts: ClaimFacts) -> tuple[str, ...]:
        """The keys one claim's candidates are looked up under: its own keys, except for the
        phrase keys. Every claim is filed under its word pairs as a possible *container*
        (``pl:``) and looks among the possible *phrases* (``ps:``: short statements, the only
        claims the phrase rule can find inside another); a short statement is filed and looks
        the other way too. So the word-pair buckets a long claim searches hold only short
        statements, and comparisons per claim stay flat as the ledger grows.

        >>> topic = ClaimFacts("c", "d", "Lviv officials on the long drought in the west")
        >>> Corroborator(MemoryIndex()).query_keys(topic)[-3:]
        ('ps:long|drought', 'ps:long|west', 'ps:drought|west')
        """
        return self._keys(facts)[1]

    def _keys(self, facts: ClaimFacts) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The claim's filing keys and its query keys (they differ in the phrase keys only).
        The keys of the last few hundred claims are kept: a store asks for a whole document's
        keys (to read their buckets in one go) before it adds the claims one by one."""
        cached = self._keys_of.get(facts.claim_id)
        if cached is not None and cached[0] == facts:
            return cached[1]
        found = self._compute_keys(facts)
        self._keys_of[facts.claim_id] = (facts, found)
        if len(self._keys_of) > _KEPT_KEYS:
            del self._keys_of[next(iter(self._keys_of))]
        return found

    def _compute_keys(self, facts: ClaimFacts) -> tuple[tuple[str, ...], tuple[str, ...]]:
        profile = self._profile(facts)
        terms = profile.terms
        keys: list[str] = []
        if terms:
            hashes = np.array([_stable_hash(t) for t in sorted(terms)], dtype=np.uint64)
            # multiply-shift hashing: each row is one permutation; keep its minimum per term set
            mixed = (hashes[None, :] * self._a[:, None] + self._b[:, None]) >> np.uint64(32)
            signature = mixed.min(axis=1).reshape(self.rule.bands, self.rule.rows)
            # one 64-bit value per band: its rows' 32-bit minima mixed by fixed odd multipliers
            bands = (signature * self._mix[None, :]).sum(axis=1, dtype=np.uint64)
            keys.extend(f"b{band}:{value:x}" for band, value in enumerate(bands.tolist()))
        names = sorted(profile.names)
        keys.extend(f"e2:{one}|{two}" for one, two in combinations(names[:6], 2))
        numbers = sorted({_number_key(value) for _, value in profile.numbers})
        keys.extend(f"n2:{one}|{two}" for one, two in combinations(numbers[:4], 2))
        for quantity in facts.quantities:
            if quantity.counted:
                keys.append(f"q:{_stem(quantity.counted.lower())}:{quantity.low:g}")
        keys.extend(_subject_keys(facts, profile.names))
        pairs = _phrase_keys(profile.sequence, profile.predicate, self.rule.phrase_keys)
        container = [f"pl:{pair}" for pair in pairs]
        phrase = [f"ps:{pair}" for pair in pairs]
        if _may_be_phrase(profile):
            return (*keys, *container, *phrase), (*keys, *phrase, *container)
        return (*keys, *container), (*keys, *phrase)

    def add(self, facts: ClaimFacts) -> list[Link]:
        """Store one claim; return its links to earlier claims, sorted, each with evidence."""
        return self.add_claim(facts).links

    def add_claim(self, facts: ClaimFacts) -> Added:
        """Store one claim; its links to earlier claims and its conflicts with them.

        Conflicts are looked for among the same candidates as links, so they reach across
        clusters: "X" against "not X" meet through the bands (negations are not content words),
        and counts of one thing about one entity or place meet through their subject keys."""
        keys, query = self._keys(facts)
        if self._profile(facts).bare:
            # a bare phrase states nothing: it is kept (for the other claims' sake) but filed
            # under no key, so it is never a candidate, and it looks for nothing
            self.index.add((), facts)
            return Added([], [])
        candidates = self.index.candidates(query)
        candidates.discard(facts.claim_id)
        links: list[Link] = []
        found: list[Conflict] = []
        for other in self.index.facts(candidates):
            link = self.compare(facts, other)
            if link is not None:
                links.append(link)
            found.extend(pair_conflicts(facts, other))
        self.index.add(keys, facts)
        return Added(sorted(links), sorted(found))

    def add_all(self, facts: Iterable[ClaimFacts]) -> list[Link]:
        """Add many claims in order; every link found, sorted."""
        return sorted(link for one in facts for link in self.add(one))

    def compare(self, x: ClaimFacts, y: ClaimFacts) -> Link | None:
        """The link between two claims when they state the same thing, else ``None``."""
        self.comparisons += 1
        if x.document_id == y.document_id:
            return None  # claims of one document (a quote and its parts) corroborate nothing
        px, py = self._profile(x), self._profile(y)
        if px.bare or py.bare:
            return None
        tx, ty = px.terms, py.terms
        if min(len(tx), len(ty)) < self.rule.min_terms:
            return None  # "to comment", "going to win": nine articles, nine different things
        if not px.predicate or not py.predicate:
            return None  # names only ("That would be Hillary Clinton") say nothing to share
        if _numbers_disagree(px, py):
            return None
        if self.rule.threshold > _MAX_BONUS and not _may_link(px, py):
            return None  # no content rule can fire, and names or source alone never link
        score, evidence = _score(px, py, x, y)
        if score < self.rule.threshold:
            return None
        a, b = sorted((x.claim_id, y.claim_id))
        return Link(a, b, round(score, 4), evidence)


# --- clusters ----------------------------------------------------------------------------------


class Clusters:
    """Union–find over claim ids; a cluster's id is the smallest claim id in it.

    >>> clusters = Clusters()
    >>> clusters.union("c-3", "c-2")
    {'c-3': 'c-2'}
    >>> clusters.union("c-2", "c-1")
    {'c-2': 'c-1'}
    >>> clusters.find("c-3"), sorted(clusters.members("c-1"))
    ('c-1', ['c-1', 'c-2', 'c-3'])
    """

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._members: dict[str, set[str]] = {}

    def find(self, claim_id: str) -> str:
        """The cluster id of ``claim_id`` (itself when it was never linked)."""
        root = claim_id
        while (parent := self._parent.get(root, root)) != root:
            root = parent
        while claim_id != root:  # path compression
            claim_id, self._parent[claim_id] = self._parent[claim_id], root
        return root

    def union(self, a: str, b: str) -> dict[str, str]:
        """Join the clusters of ``a`` and ``b``; the rename done, ``{old id: new id}``."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return {}
        keep, absorb = min(ra, rb), max(ra, rb)
        self._parent[absorb] = keep
        members = self._members.pop(absorb, {absorb})
        self._members.setdefault(keep, {keep}).update(members)
        return {absorb: keep}

    def add_links(self, links: Iterable[Link]) -> dict[str, str]:
        """Apply links; every cluster id that changed, ``{old id: final id}``."""
        renamed: dict[str, str] = {}
        for link in links:
            renamed.update(self.union(link.a, link.b))
        return {old: self.find(new) for old, new in renamed.items()}

    def members(self, cluster_id: str) -> set[str]:
        """The claim ids in a cluster."""
        return set(self._members.get(self.find(cluster_id), {cluster_id}))

    def clusters(self) -> dict[str, set[str]]:
        """Every cluster with more than one claim, by id."""
        return {root: set(members) for root, members in self._members.items()}


def leader_clusters(claim_ids: Iterable[str], links: Iterable[Link]) -> dict[str, str]:
    """Each claim's cluster, ``{claim id: cluster id}``, by leader (star) clustering: claims
    are taken in id order; a claim linked to an earlier *leader* joins the one it links to
    best (highest score, then smallest id), else it leads a cluster of its own. A cluster's id
    is its leader, the smallest id in it, and every member is linked to the leader itself —
    never through a chain of neighbours ("A ~ B ~ C" with A and C unrelated does not put C
    with A). The result depends only on the claims and links, not on the order they came in.

    >>> chain = [Link("c-1", "c-2", 0.9), Link("c-2", "c-3", 0.9)]
    >>> leader_clusters(["c-1", "c-2", "c-3"], chain)
    {'c-1': 'c-1', 'c-2': 'c-1', 'c-3': 'c-3'}
    """
    best: dict[str, dict[str, float]] = {}
    for link in links:
        best.setdefault(link.a, {})[link.b] = link.score
        best.setdefault(link.b, {})[link.a] = link.score
    assigned: dict[str, str] = {}
    for claim in sorted(set(claim_ids) | best.keys()):
        leaders = [
            (-score, other)
            for other, score in best.get(claim, {}).items()
            if other < claim and assigned.get(other) == other
        ]
        assigned[claim] = min(leaders)[1] if leaders else claim
    return assigned


def plan_merges(links: Iterable[Link], current: Mapping[str, str]) -> dict[str, str]:
    """The cluster renames a store applies after new ``links``: ``{old id: new id}``.

    ``current`` gives the stored cluster id of each linked claim (a claim missing from it is
    its own cluster). The store runs ``UPDATE … SET cluster = new WHERE cluster = old`` for
    each entry; the new id is the smallest id of the merged clusters, as in :class:`Clusters`.

    >>> plan_merges([Link("c-1", "c-7", 0.9)], {"c-1": "c-1", "c-7": "c-5"})
    {'c-5': 'c-1'}
    """
    clusters = Clusters()
    for link in links:
        clusters.union(current.get(link.a, link.a), current.get(link.b, link.b))
    return {
        old: clusters.find(old)
        for root, members in sorted(clusters.clusters().items())
        for old in sorted(members)
        if old != root
    }


# --- origins -----------------------------------------------------------------------------------

#: content so alike that two outlets printing it copied it (wire copy)
_WIRE_JACCARD: Final = 0.85
#: content alike enough to be one source's statement, repeated
_REPEAT_JACCARD: Final = 0.5


def _same_origin(x: ClaimFacts, y: ClaimFacts) -> str | None:
    """Why ``x`` and ``y`` are one origin (evidence text), or ``None`` when independent."""
    if x.document_id == y.document_id:
        return "same-document"
    tx, ty = content_terms(x.content), content_terms(y.content)
    if not tx or not ty:
        return None
    jaccard = len(tx & ty) / len(tx | ty)
    repeated = x.speaker is not None and x.speaker == y.speaker and x.source_kind != "author"
    if repeated and jaccard >= _REPEAT_JACCARD:
        return f"same-source:{x.speaker};content-jaccard:{jaccard:.2f}"
    # Wire copy reprints the attribution with the words: two different named sources, or "X"
    # against "not X", are two statements however alike the rest of the words are.
    named = x.source_kind != "author" and y.source_kind != "author"
    other_source = named and x.speaker is not None and y.speaker is not None and not repeated
    if (
        jaccard >= _WIRE_JACCARD
        and min(len(tx), len(ty)) >= 5
        and x.negated == y.negated
        and not other_source
    ):
        return f"wire-copy;content-jaccard:{jaccard:.2f}"
    return None


@dataclass(frozen=True, slots=True)
class Origin:
    """One independent origin: the claims that repeat it, and why they were grouped."""

    claim_ids: tuple[str, ...]
    evidence: tuple[str, ...] = ()


def origins(claims: Sequence[ClaimFacts]) -> list[Origin]:
    """Group a cluster's claims into independent origins, sorted by their first claim id.

    Claims are one origin when they come from the same document, repeat the same named
    source with alike content, or are wire copy (near-identical content) in several outlets.

    >>> reuters = "the central bank will raise rates by half a point next month"
    >>> group = [
    ...     ClaimFacts("c-1", "d-1", reuters, publisher="A"),
    ...     ClaimFacts("c-2", "d-2", reuters, publisher="B"),
    ...     ClaimFacts("c-3", "d-3", "rates go up by half a point", publisher="C"),
    ... ]
    >>> [origin.claim_ids for origin in origins(group)]
    [('c-1', 'c-2'), ('c-3',)]
    """
    ordered = sorted(claims, key=lambda facts: facts.claim_id)
    groups = Clusters()
    why: dict[tuple[str, str], str] = {}
    for x, y in combinations(ordered, 2):
        reason = _same_origin(x, y)
        if reason is not None:
            groups.union(x.claim_id, y.claim_id)
            why[(x.claim_id, y.claim_id)] = reason
    by_root: dict[str, list[str]] = {}
    for facts in ordered:
        by_root.setdefault(groups.find(facts.claim_id), []).append(facts.claim_id)
    result: list[Origin] = []
    for members in by_root.values():
        inside = set(members)
        evidence = tuple(
            f"{a}~{b}:{reason}" for (a, b), reason in why.items() if a in inside and b in inside
        )
        result.append(Origin(tuple(members), evidence))
    return sorted(result, key=lambda origin: origin.claim_ids[0])


# --- conflicts ---------------------------------------------------------------------------------

ConflictKind = Literal["quantity", "polarity"]

#: how alike two contents must be (content-word Jaccard, negations left out) for "X" and
#: "not X" to be one statement
_POLARITY_JACCARD: Final = 0.6
#: the fewest content words each side of a polarity conflict needs ("to fight back" against
#: "I can't fight that" share a word, not a statement); one fewer must be shared words that
#: are not names ("Bundy … Santilli" twice is two mentions of two people, not one statement)
_POLARITY_TERMS: Final = 3
#: how alike the words that are not names or numbers must be for two counts to be of one thing
#: ("delegates to win the nomination" / "delegates needed to clinch the nomination")
_SCOPE_JACCARD: Final = 0.5
#: names that are times, not qualifiers of what is counted (times are compared on their own)
_TIME_NAMES: Final = word_set(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday"
)
#: bounds open above ("more than 100" does not exclude 5,000) and below ("up to 50")
_OPEN_ABOVE: Final = re.compile(
    r"\b(?:more than|over|at least|upwards of|in excess of|or more|plus|and up)\b|\+"
)
_OPEN_BELOW: Final = re.compile(
    r"\b(?:up to|less than|fewer than|under|at most|no more than|as many as|or less|or fewer)\b"
)


@dataclass(frozen=True, slots=True, order=True)
class Conflict:
    """Claims ``a`` < ``b`` disagree: different numbers for one thing, or "X" against "not X"."""

    a: str
    b: str
    kind: ConflictKind
    evidence: tuple[str, ...] = ()


def quantity_range(quantity: QuantityFact) -> tuple[float, float]:
    """The values a quantity allows: ``low``–``high``, open above for "more than", "at least",
    "or more" and below for "up to", "less than" (as written in its mention), and 10 % wider
    either side when approximate ("about 40" allows 36–44).

    >>> quantity_range(QuantityFact(100, 1000, "people", approximate=True, text="more than 100"))
    (90.0, inf)
    >>> quantity_range(QuantityFact(0, 40, "people", approximate=True, text="up to 40"))
    (0.0, 44.0)
    """
    low, high = min(quantity.low, quantity.high), max(quantity.low, quantity.high)
    written = (quantity.text or "").lower()
    if _OPEN_ABOVE.search(written):
        high = float("inf")
    if _OPEN_BELOW.search(written):
        low = min(low, 0.0)
    if quantity.approximate:
        low = low * 0.9 if low > 0 else low * 1.1
        high = high * 1.1 if high > 0 else high * 0.9
    return float(low), float(high)


def _normalised(text: str) -> str:
    """A content as lower-case words only: one quote written twice reads the same."""
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


def _qualifiers(facts: ClaimFacts) -> frozenset[str]:
    """The names that qualify what a claim is about ("Democratic", "Ohio", "Senate"): the
    capitalised words of its content that are not numbers or times, and its places."""
    names, _, _ = _split_terms(facts.content)
    found = {name for name in names if not name[:1].isdigit() and name not in _TIME_NAMES}
    found.update(_norm_name(place) for place in facts.places)
    return frozenset(found)


def _same_scope(x: ClaimFacts, y: ClaimFacts) -> tuple[str, ...] | None:
    """Evidence that two claims speak within one scope — the same qualifying names (party,
    place, office, group), the same places, and times that both give and overlap or that
    neither gives — or ``None``."""
    qx, qy = _qualifiers(x), _qualifiers(y)
    if qx != qy:
        return None
    if set(x.places) != set(y.places):
        return None
    if bool(x.times) != bool(y.times):
        return None  # one dated, one not: they may well be about different periods
    evidence = [f"scope:{'+'.join(sorted(qx)) or 'no-names'}"]
    if x.times and y.times:
        if not _times_overlap(x.times, y.times):
            return None
        first = x.times[0]
        evidence.append(f"time:{first.start or '…'}/{first.end or first.start or '…'}")
    elif x.document_id != y.document_id:
        # neither says when: then both speak of their publication day, which must be known and
        # close (a running count, "600 emails" in November and "2,200" in January, is no conflict)
        if x.published is None or y.published is None:
            return None
        if abs((date.fromisoformat(x.published) - date.fromisoformat(y.published)).days) > 7:
            return None
        evidence.append(
            f"published:{min(x.published, y.published)}/{max(x.published, y.published)}"
        )
    return tuple(evidence)


#: what happened to the counted: two counts of people are of one thing only when what
#: happened to them is the same ("40 killed" / "12 died", never "40 killed" / "12 hurt")
_OUTCOMES: Final = {
    stem: outcome
    for outcome, stems in (
        ("dead", "kill die died dead death slain fatal perish"),
        ("hurt", "injur injury wound hurt"),
        ("held", "arrest detain jail imprison"),
        ("displaced", "flee fled displac evacuat refugee"),
    )
    for stem in stems.split()
}


def _outcomes(predicate: Collection[str]) -> frozenset[str]:
    """The outcome classes (:data:`_OUTCOMES`) the words of a claim name."""
    return frozenset(_OUTCOMES[word] for word in predicate if word in _OUTCOMES)


def _predicate_jaccard(x: ClaimFacts, y: ClaimFacts) -> tuple[float, int]:
    """Jaccard of the words that are neither names nor numbers, and how many are shared."""
    _, px, _ = _split_terms(x.content)
    _, py, _ = _split_terms(y.content)
    px, py = px - _NEGATORS, py - _NEGATORS
    either = px | py
    shared = len(px & py)
    return (shared / len(either) if either else 0.0), shared


def _quantity_conflict(x: ClaimFacts, y: ClaimFacts) -> tuple[str, ...] | None:
    """Evidence that two claims count one thing in one scope with ranges that cannot both
    hold, or ``None``: the same counted noun, kind and unit; the same qualifiers, places and
    time window (:func:`_same_scope`); the same outcome where one is named ("killed" and
    "died" are one, "hurt" another: :data:`_OUTCOMES`), else the rest of the words alike
    (Jaccard ≥ 0.5, two shared, so "delegates to win the nomination" is not "delegates at the
    convention"); the same
    polarity; ranges (:func:`quantity_range`) that do not overlap."""
    if _negative(x.content) != _negative(y.content) or x.negated != y.negated:
        return None
    scope: tuple[str, ...] | None = None
    for qx in x.quantities:
        for qy in y.quantities:
            if qx.counted is None or qy.counted is None:
                continue
            thing = _stem(qx.counted.lower())
            if (thing, qx.kind, qx.unit) != (_stem(qy.counted.lower()), qy.kind, qy.unit):
                continue
            (lx, hx), (ly, hy) = quantity_range(qx), quantity_range(qy)
            if not (hx < ly or hy < lx):
                continue
            if scope is None:
                scope = _same_scope(x, y)
                if scope is None:
                    return None
                _, px, _ = _split_terms(x.content)
                _, py, _ = _split_terms(y.content)
                ox, oy = _outcomes(px), _outcomes(py)
                if ox or oy:
                    if ox != oy:
                        return None
                    scope = (*scope, f"outcome:{'+'.join(sorted(ox))}")
                else:
                    jaccard, shared = _predicate_jaccard(x, y)
                    if jaccard < _SCOPE_JACCARD or shared < 2:
                        return None
                    scope = (*scope, f"predicate-jaccard:{jaccard:.2f}")
            return (
                f"quantity:{qx.counted}:{qx.low:g}-{qx.high:g}≠{qy.low:g}-{qy.high:g}",
                f"counted:{thing}",
                *scope,
            )
    return None


def _negates_shared_predicate(negative: str, other: ClaimFacts) -> bool:
    """Whether a negating word of the text ``negative`` (a content, or a cue) governs a word
    the other claim states: the first content word after it (within three words) is one of
    the other's content words ("will *not close*" against "will close", the cue "did *not
    email*" against "no classified material on her email"; not "no one knows whether it will
    close", nor the cue "*never cited* a source for" against the claim itself)."""
    others = content_terms(other.content)
    words = [m.group().lower().replace("’", "'") for m in _NEGATION_WORDS.finditer(negative)]
    for k, word in enumerate(words):
        if word not in _NEGATORS and not word.endswith("n't"):
            continue
        for after in words[k + 1 : k + 4]:
            if after in _STOP or after in _NEGATORS:
                continue
            if _stem(after) in others:
                return True
            break
    return False


#: an embedded question ("whether he will run", "who's going to be president")
_QUESTION: Final = re.compile(
    r"\W*(?:that\s+)?(?:who|whom|whose|what|whether|if|how|why|when|where|which)\b", re.IGNORECASE
)
#: first-person words: the content is about its speaker ("I will not support …")
_FIRST_PERSON: Final = word_set("i me my mine myself we us our ours ourselves i'm i've i'll i'd")
#: sources that are only a pronoun or a relative word: they may be anyone the text means
_PRONOUN_SOURCES: Final = word_set("i he she it they we you that this who which there one")


def _known_speakers(x: ClaimFacts, y: ClaimFacts) -> bool:
    """Whether both claims have a known speaker (``False`` when either is unnamed or only a
    pronoun: "he" may be the very speaker the other claim names)."""
    sx, sy = x.speaker, y.speaker
    return not (sx is None or sy is None or sx in _PRONOUN_SOURCES or sy in _PRONOUN_SOURCES)


def _about_other_subjects(x: ClaimFacts, y: ClaimFacts) -> bool:
    """Whether a first-person content ("I will not support the nominee") meets a claim that
    may be about someone else: "I" is its speaker, and another speaker's "I" or "he" is
    another person — unless both are known to be the same speaker."""
    first = [
        any(m.group().lower().replace("’", "'") in _FIRST_PERSON for m in _WORD.finditer(c))
        for c in (x.content, y.content)
    ]
    if not any(first):
        return False
    sx, sy = x.speaker, y.speaker
    return not (sx is not None and sx == sy and sx not in _PRONOUN_SOURCES)


def _overlapping_reading(x: ClaimFacts, y: ClaimFacts) -> bool:
    """Whether two claims of one document are one passage read twice (one content holds the
    other: a quote and the clause a cue governs inside it, with the negation in one cue)."""
    if x.document_id != y.document_id:
        return False
    nx, ny = _normalised(x.content), _normalised(y.content)
    return nx in ny or ny in nx


def _polarity_conflict(x: ClaimFacts, y: ClaimFacts) -> tuple[str, ...] | None:
    """Evidence that one claim states what the other negates, or ``None``: one side negated
    (its cue, "denied", or a negating word in its content) and the other not; the same
    qualifying names; alike content (Jaccard ≥ 0.6 with negations left out, three content
    words or more on each side, two shared that are not names); and a negation in the content
    must govern a word the other states (:func:`_negates_shared_predicate`)."""
    neg_x = x.negated or _negative(x.content) or _negative(x.cue or "")
    neg_y = y.negated or _negative(y.content) or _negative(y.cue or "")
    if neg_x == neg_y:
        return None
    if _QUESTION.match(x.content) or _QUESTION.match(y.content):
        return None  # "who's going to be president" asks; it states nothing to negate
    if _qualifiers(x) != _qualifiers(y):
        return None
    tx, ty = content_terms(x.content) - _NEGATORS, content_terms(y.content) - _NEGATORS
    if min(len(tx), len(ty)) < _POLARITY_TERMS:
        return None
    _, shared = _predicate_jaccard(x, y)
    if shared < _POLARITY_TERMS - 1:
        return None
    jaccard = len(tx & ty) / len(tx | ty)
    if jaccard < _POLARITY_JACCARD:
        return None
    negative, affirmed = (x, y) if neg_x else (y, x)
    in_content = _negative(negative.content) and not _negative(affirmed.content)
    if in_content and not _negates_shared_predicate(negative.content, affirmed):
        return None
    in_cue = not in_content and _negative(negative.cue or "")
    if in_cue and not _negates_shared_predicate(negative.cue or "", affirmed):
        return None
    return (
        f"content-jaccard:{jaccard:.2f}",
        f"negated:{negative.claim_id}",
        f"scope:{'+'.join(sorted(_qualifiers(x))) or 'no-names'}",
    )


#: the most subject keys (counted thing × name) one claim files under
_MAX_SUBJECT_KEYS: Final = 8


def _subject_keys(facts: ClaimFacts, names: Collection[str]) -> list[str]:
    """Keys that bring together counts of one thing about one entity or place ("s:people|kyiv"),
    so that their conflicts are found whether or not the claims are linked."""
    counted = sorted({_stem(q.counted.lower()) for q in facts.quantities if q.counted})
    keys = [f"s:{thing}|{name}" for thing in counted for name in sorted(names)]
    return keys[:_MAX_SUBJECT_KEYS]


def pair_conflicts(x: ClaimFacts, y: ClaimFacts) -> list[Conflict]:
    """Conflicts between two claims that need not be in one cluster: counts of the same thing
    about a shared entity or place, at times both give and that overlap, that cannot both
    hold (on one day in one city, 40 dead and 12 dead cannot both be right), or "X" against
    "not X".

    >>> monday = (TimeFact("2024-03-04", "2024-03-04"),)
    >>> x = ClaimFacts("c-1", "d-1", "40 people died in Kharkiv", places=("Kharkiv",),
    ...                times=monday, quantities=(QuantityFact(40, 40, "people"),))
    >>> y = ClaimFacts("c-2", "d-2", "12 people died in Kharkiv",
    ...                places=("Kharkiv",), times=monday,
    ...                quantities=(QuantityFact(12, 12, "people"),))
    >>> [(c.kind, c.evidence[:3]) for c in pair_conflicts(x, y)]
    [('quantity', ('quantity:people:40-40≠12-12', 'counted:people', 'scope:kharkiv'))]
    """
    if x.claim_id == y.claim_id:
        return []
    shared = sorted(_name_keys(x) & _name_keys(y))
    about = tuple(f"about:{name}" for name in shared[:3])
    one_time = bool(x.times and y.times and _times_overlap(x.times, y.times))
    return _conflicts_between(x, y, about if shared and one_time else None)


def _conflicts_between(
    x: ClaimFacts, y: ClaimFacts, about: tuple[str, ...] | None
) -> list[Conflict]:
    """The conflict of one pair (at most one: a quantity conflict before a polarity one);
    quantity conflicts only when ``about`` is given (the pair is known to be about one thing:
    a cluster, or a shared entity or place). A claim never conflicts with the claim it is
    nested in ("the council denied that it had been asked to mediate" reports the asking
    inside the denial, nobody asserts it), nor with a bare phrase, nor with the same words —
    one quote read twice, or printed with two speakers ("Trump" and "he"), is one statement
    whatever negation flags the cues around it got — unless one cue denies those words."""
    if y.claim_id < x.claim_id:
        x, y = y, x
    if x.parent == y.claim_id or y.parent == x.claim_id:
        return []
    if is_bare_phrase(x.content) or is_bare_phrase(y.content):
        return []
    if _about_other_subjects(x, y):
        return []
    if _normalised(x.content) == _normalised(y.content):
        # the same words: a conflict only when one known speaker's cue denies what a known
        # speaker states ("Lewandowski denied that he was working on a book" against
        # "BuzzFeed reported that he was working on a book"); a negation flag that differs on
        # one quote, or a pronoun source ("he" is perhaps the same speaker), is no conflict
        denied = [c for c in (x, y) if c.certainty == "denied"]
        if len(denied) != 1 or not _known_speakers(x, y):
            return []
        if x.document_id == y.document_id and x.speaker == y.speaker:
            return []  # one sentence parsed twice ("denies any wrongdoing and points out …")
        other = y if denied[0] is x else x
        if other.negated or _negative(other.cue or ""):
            return []
        one = denied[0].claim_id
        evidence = ("content-jaccard:1.00", f"negated:{one}", f"denied:{one}")
        return [Conflict(x.claim_id, y.claim_id, "polarity", evidence)]
    if _overlapping_reading(x, y):
        return []
    if about is not None:
        quantity = _quantity_conflict(x, y)
        if quantity is not None:
            return [Conflict(x.claim_id, y.claim_id, "quantity", (*quantity, *about))]
    polarity = _polarity_conflict(x, y)
    if polarity is not None:
        return [Conflict(x.claim_id, y.claim_id, "polarity", polarity)]
    return []


def conflicts(claims: Sequence[ClaimFacts]) -> list[Conflict]:
    """Conflicts among the claims of one cluster, sorted, one per pair at most
    (:func:`pair_conflicts` finds them between claims of different clusters).

    * ``quantity``: both count the same thing (same head noun, kind and unit) in the same
      scope (qualifying names, places, time window) with alike words, and their ranges
      (:func:`quantity_range`) do not overlap;
    * ``polarity``: alike content, one affirmed and one negated, the negation governing a word
      the other states.

    >>> x = ClaimFacts("c-1", "d-1", "40 people were hurt", published="2024-03-04",
    ...                quantities=(QuantityFact(40, 40, "people"),))
    >>> y = ClaimFacts("c-2", "d-2", "about 12 people were hurt", published="2024-03-05",
    ...                quantities=(QuantityFact(12, 12, "people", approximate=True),))
    >>> [(c.kind, c.evidence[1:4]) for c in conflicts([x, y])]
    [('quantity', ('counted:people', 'scope:no-names', 'published:2024-03-04/2024-03-05'))]
    """
    ordered = sorted(claims, key=lambda facts: facts.claim_id)
    found: list[Conflict] = []
    for x, y in combinations(ordered, 2):
        found.extend(_conflicts_between(x, y, ()))
    return sorted(found)
