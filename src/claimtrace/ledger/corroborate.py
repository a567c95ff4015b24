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
* **Origins** — claims repeating one source's statement, or wire copy reprinted by several
  outlets, are one origin (:func:`origins`). Conflicts between claims are in
  :mod:`claimtrace.ledger.conflicts`.

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
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from claimtrace.ledger.conflicts import (
    Conflict,
    _subject_keys,
    conflicts,
    pair_conflicts,
    quantity_range,
)
from claimtrace.ledger.facts import (
    _PHRASE_MAX_TERMS,
    _PHRASE_TERMS,
    ClaimFacts,
    QuantityFact,
    TimeFact,
    _near_numbers,
    _number_key,
    _phrase_keys,
    _phrase_within,
    _Profile,
    _profile,
    _stem,
    _times_overlap,
    content_terms,
    facts_from_extraction,
    is_bare_phrase,
)

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
            value = quantity.high if quantity.low is None else quantity.low
            if quantity.counted and value is not None:
                keys.append(f"q:{_stem(quantity.counted.lower())}:{value:g}")
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
