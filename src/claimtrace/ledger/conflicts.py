"""Conflicts: two claims about the same proposition or the same quantity in the same scope
that cannot both be true — non-overlapping quantity ranges, or affirmed versus negated content —
within a cluster (:func:`conflicts`) and between any two claims compared when one is added
(:func:`pair_conflicts`: counts need a shared entity or place there, which the subject keys
bring together). Each comes with evidence that shows why the scopes match.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Final, Literal

from claimtrace.ledger.facts import (
    _NEGATION_WORDS,
    _NEGATORS,
    _POSSESSIVE,
    _STOP,
    _WORD,
    ClaimFacts,
    QuantityFact,
    _name_keys,
    _negative,
    _norm_name,
    _split_terms,
    _stem,
    _times_overlap,
    content_terms,
    is_bare_phrase,
)
from claimtrace.stages.attribution_lexicon import word_set

__all__ = ["Conflict", "ConflictKind", "conflicts", "pair_conflicts", "quantity_range"]


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
    """The values a quantity allows: ``low``–``high``, open on a side that is ``None`` or whose
    mention leaves it open (above for "more than", "at least", "or more", below for "up to",
    "less than": records stored before open sides were ``None``), and 10 % wider either side
    when approximate ("about 40" allows 36–44).

    >>> quantity_range(QuantityFact(100, None, "people", approximate=True, text="more than 100"))
    (90.0, inf)
    >>> quantity_range(QuantityFact(None, 40, "people", approximate=True, text="up to 40"))
    (-inf, 44.0)
    >>> quantity_range(QuantityFact(100, 1000, "people", approximate=True, text="more than 100"))
    (90.0, inf)
    """
    low = float("-inf") if quantity.low is None else quantity.low
    high = float("inf") if quantity.high is None else quantity.high
    low, high = min(low, high), max(low, high)
    written = (quantity.text or "").lower()
    if _OPEN_ABOVE.search(written):
        high = float("inf")
    if _OPEN_BELOW.search(written):
        low = min(low, 0.0)
    if quantity.approximate:
        low = low * 0.9 if low > 0 else low * 1.1
        high = high * 1.1 if high > 0 else high * 0.9
    return float(low), float(high)


def _bounds(quantity: QuantityFact) -> str:
    """``low-high`` for evidence, "open" for a side the text leaves open: ``723-open``."""
    return "-".join("open" if v is None else f"{v:g}" for v in (quantity.low, quantity.high))


def _normalised(text: str) -> str:
    """A content as lower-case words only: one quote written twice reads the same."""
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


def _is_headline(text: str) -> bool:
    """Whether ``text`` is written in title case ("‘Of Course’ Hillary Clinton Is Qualified To
    Be President"): three or more words of four letters or more, all capitalised.

    >>> _is_headline("‘Of Course’ Hillary Clinton Is Qualified To Be President")
    True
    >>> _is_headline("Hillary Clinton is qualified to be President")
    False
    """
    words = [w for w in _WORD.findall(text) if len(w) > 3 and w[:1].isalpha()]
    if len(words) < 3:
        return False
    return all(w[:1].isupper() for w in words)


def _first_term(text: str) -> str | None:
    """The first word of ``text`` as a term when it is capitalised and no stop word (a name,
    or only the sentence's first word: capitals cannot tell), else ``None``."""
    first = _WORD.search(text)
    if first is None or not first.group()[:1].isupper():
        return None
    word = _POSSESSIVE.sub("", first.group().lower().replace("’", "'"))
    if word in _STOP or word[:1].isdigit():
        return None
    return _stem(word)


def _terms(facts: ClaimFacts) -> tuple[frozenset[str], frozenset[str]]:
    """A claim's content words as *names* and *predicate* words (:func:`_split_terms`); in a
    headline, where capitals mark no names, only the words of the claim's own entity and
    place names are names."""
    names, predicate, _ = _split_terms(facts.content)
    if not _is_headline(facts.content):
        return names, predicate
    known = {_stem(word) for name in _name_keys(facts) for word in name.split()}
    every = names | predicate
    real = frozenset(term for term in every if term in known or term[:1].isdigit())
    return real, every - real


def _qualifiers(facts: ClaimFacts) -> frozenset[str]:
    """The names that qualify what a claim is about ("Democratic", "Ohio", "Senate"): the
    capitalised words of its content that are not numbers or times (the first word too, when
    capitalised and not a stop word: "Clinton is qualified" is about Clinton, and a first
    word that is no name only narrows the scope), and its places."""
    names, _ = _terms(facts)
    found = {name for name in names if not name[:1].isdigit() and name not in _TIME_NAMES}
    first = _first_term(facts.content)
    if first is not None and not _is_headline(facts.content):
        found.add(first)
    found.update(_norm_name(place) for place in facts.places)
    return frozenset(found)


def _compatible_qualifiers(qx: frozenset[str], qy: frozenset[str]) -> bool:
    """Whether two claims' qualifying names allow one scope: the same names, or the names of
    one among the other's with at least one shared ("Hillary" within "Hillary Clinton"). A
    claim may name less of its scope than another, never another one; and no names at all
    meet only no names ("he is not qualified" is not about "Clinton")."""
    if qx == qy:
        return True
    return bool(qx & qy) and (qx <= qy or qy <= qx)


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
    _, px = _terms(x)
    _, py = _terms(y)
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
                _, px = _terms(x)
                _, py = _terms(y)
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
                f"quantity:{qx.counted}:{_bounds(qx)}≠{_bounds(qy)}",
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
    negative = _NOT_NEGATING.sub(" ", negative.lower())
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


#: negations that negate nothing ("not only in the Northeast", "no doubt", "whether or not")
_NOT_NEGATING: Final = re.compile(
    r"(?:\bor\s+not\b|\b(?:not|no)\s+(?:only|just|merely|simply|doubt)\b)"
)
#: how alike two contents must be when only the claim's flag negates ("the mayor *rejected*
#: Trump's offer to make an exception to his call for a ban" is no denial of "his call for a
#: ban"): nothing in the words says what is negated, so they must be nearly the same words
_FLAG_JACCARD: Final = 0.8


def _polarity_conflict(x: ClaimFacts, y: ClaimFacts) -> tuple[str, ...] | None:
    """Evidence that one claim states what the other negates, or ``None``: one side negated
    (its cue, "denied", or a negating word in its content) and the other not; compatible
    qualifying names (:func:`_compatible_qualifiers`); alike content (Jaccard ≥ 0.6 with
    negations left out, three content words or more on each side, two shared that are not
    names); and a negation in the content or the cue must govern a word the other states
    (:func:`_negates_shared_predicate`) — where only the claim's flag negates (a cue such as
    "rejected"), the words must be nearly the same (Jaccard ≥ 0.8)."""
    neg_x = x.negated or _negative(x.content) or _negative(x.cue or "")
    neg_y = y.negated or _negative(y.content) or _negative(y.cue or "")
    if neg_x == neg_y:
        return None
    if _QUESTION.match(x.content) or _QUESTION.match(y.content):
        return None  # "who's going to be president" asks; it states nothing to negate
    qx, qy = _qualifiers(x), _qualifiers(y)
    if not _compatible_qualifiers(qx, qy):
        return None
    tx, ty = (
        {term for term in content_terms(c) - _NEGATORS if not term.endswith("n't")}
        for c in (x.content, y.content)
    )
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
    if not in_content and not in_cue and jaccard < _FLAG_JACCARD:
        return None
    scope = f"scope:{'+'.join(sorted(qx | qy)) or 'no-names'}"
    return (f"content-jaccard:{jaccard:.2f}", f"negated:{negative.claim_id}", scope)


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

    >>> from claimtrace.ledger.facts import TimeFact
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
