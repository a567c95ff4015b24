"""Polarity conflicts (issue 15, item 3): headlines, the first word and the scope of names."""

from __future__ import annotations

import pytest

from claimtrace.ledger.conflicts import _compatible_qualifiers, _is_headline
from claimtrace.ledger.corroborate import ClaimFacts, pair_conflicts


def _facts(claim_id: str, document: str, content: str, **kw: object) -> ClaimFacts:
    return ClaimFacts(claim_id, document, content, **kw)  # type: ignore[arg-type]


_DENIED = _facts(
    "c-2",
    "d-2",
    "that Hillary Clinton is not qualified to be president",
    source="Bernie Sanders",
    entities=("Hillary Clinton",),
)


def test_a_headline_has_no_names_but_its_entities() -> None:
    headline = _facts(
        "c-1",
        "d-1",
        "‘Of Course’ Hillary Clinton Is Qualified To Be President",
        source="Bernie Sanders",
        entities=("Hillary Clinton",),
    )
    (conflict,) = pair_conflicts(headline, _DENIED)
    assert conflict.kind == "polarity"
    assert "scope:clinton+hillary" in conflict.evidence
    # without its entity names a headline names nobody, and meets no named claim
    bare = _facts("c-3", "d-3", "‘Of Course’ Hillary Clinton Is Qualified To Be President")
    assert pair_conflicts(bare, _DENIED) == []


def test_a_capitalised_first_word_is_a_name() -> None:
    quoted = _facts(
        "c-1", "d-1", "“Hillary’s overwhelmingly qualified to be president", source="Joe Biden"
    )
    assert [c.kind for c in pair_conflicts(quoted, _DENIED)] == ["polarity"]
    # so a subject the other does not name is another scope
    chosen = _facts("c-3", "d-3", "Hitler was chosen as Time's Person of the Year in 1938")
    not_chosen = _facts("c-4", "d-4", "Trump was not chosen as Time's Person of the Year in 1938")
    assert pair_conflicts(chosen, not_chosen) == []


def test_an_unnamed_subject_never_meets_a_named_one() -> None:
    he = _facts("c-1", "d-1", "he is not qualified to be president of the country")
    named = _facts("c-2", "d-2", "Clinton is qualified to be president of the country")
    assert pair_conflicts(he, named) == []
    she = _facts("c-3", "d-3", "she is qualified to be president of the country")
    assert [c.kind for c in pair_conflicts(he, she)] == ["polarity"]  # no names either side


def test_a_negating_flag_alone_needs_nearly_the_same_words() -> None:
    # "rejected" negates the offer, not the call for a ban the content also holds
    called = _facts(
        "c-1", "d-1", "Donald Trump's call for a ban on Muslims entering the United States"
    )
    rejected = _facts(
        "c-2",
        "d-2",
        "Donald Trump's offer to make an exception to his call for a ban on Muslims entering "
        "the United States",
        cue="rejected",
        negated=True,
        certainty="denied",
    )
    assert pair_conflicts(called, rejected) == []
    same = _facts(
        "c-3",
        "d-3",
        "Donald Trump's call for a ban on Muslims entering the United States now",
        cue="rejected",
        negated=True,
        certainty="denied",
    )
    assert [c.kind for c in pair_conflicts(called, same)] == ["polarity"]


@pytest.mark.parametrize(
    ("negative", "affirmed"),
    [
        # "not only" negates nothing
        (
            "Trump won not only Massachusetts but Alabama, Georgia and Tennessee",
            "Trump won Massachusetts, Alabama, Georgia and Tennessee",
        ),
        # "whether or not" asks
        (
            "Warren on whether or not she would be Clinton's running mate",
            "Warren would be Clinton's running mate",
        ),
        # "hasn't gone unnoticed" says too little to be one statement with the other
        ("And it hasn’t gone unnoticed", "the changes have gone largely unnoticed"),
    ],
)
def test_negations_that_negate_nothing_do_not_conflict(negative: str, affirmed: str) -> None:
    x = _facts("c-1", "d-1", negative)
    y = _facts("c-2", "d-2", affirmed)
    assert pair_conflicts(x, y) == []


def test_headlines_and_scopes() -> None:
    assert _is_headline("Trump Is a ‘Proven Failure’ in Business")
    assert not _is_headline("Hitler was chosen as Time's Person of the Year")
    hillary, clinton = frozenset({"hillary"}), frozenset({"hillary", "clinton"})
    assert _compatible_qualifiers(hillary, clinton)
    assert not _compatible_qualifiers(frozenset(), clinton)
    assert not _compatible_qualifiers(frozenset({"gates", "yanukovych"}), clinton)
    assert _compatible_qualifiers(frozenset(), frozenset())
