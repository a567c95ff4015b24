"""Precision of clusters and conflicts (issue 15): only statements cluster, no chaining, conflicts
only within one scope, and the same ledger whatever the order documents come in."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrace import Extractor
from claimtrace.ledger.corroborate import (
    ClaimFacts,
    Corroborator,
    Link,
    MemoryIndex,
    QuantityFact,
    conflicts,
    is_bare_phrase,
    leader_clusters,
    pair_conflicts,
)
from claimtrace.ledger.store import Store


def _facts(claim_id: str, document: str, content: str, **kw: object) -> ClaimFacts:
    return ClaimFacts(claim_id, document, content, **kw)  # type: ignore[arg-type]


def _links(*claims: ClaimFacts) -> list[Link]:
    corroborator = Corroborator(MemoryIndex())
    return [link for one in claims for link in corroborator.add(one)]


# --- 1. only statements cluster ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Trump",
        "his comments",
        "the same thing",
        "Hillary Clinton",
        "the Iran nuclear deal",
        "Trump’s comments",
        "Texas Sen. Ted Cruz’s GOP campaign",
    ],
)
def test_bare_phrases(text: str) -> None:
    assert is_bare_phrase(text)


@pytest.mark.parametrize(
    "text",
    [
        "Clinton leads Trump",
        "he lost",
        "to build a wall",
        "40 people died in Kharkiv",
        "the election is rigged",
        "a rigged system that favours the rich over everyone else",
        "the poll shows Clinton ahead",
        "a loss of $916 million in 1995",
    ],
)
def test_statements_are_not_bare(text: str) -> None:
    assert not is_bare_phrase(text)


def test_a_bare_phrase_never_founds_or_joins_a_cluster() -> None:
    # "Trump" in 118 articles made one cluster of 118 claims
    trumps = [_facts(f"c-{i}", f"d-{i}", "Trump") for i in range(5)]
    assert _links(*trumps) == []
    comments = [_facts("c-a", "d-a", "his comments"), _facts("c-b", "d-b", "his comments")]
    assert _links(*comments) == []
    # nor does it conflict with anything
    assert conflicts([_facts("c-x", "d-x", "Trump"), _facts("c-y", "d-y", "not Trump")]) == []


# --- 2. no chaining; one document is not corroboration -----------------------------------------

_A = "harbour bridge school hospital market station tower museum library stadium"
_B = "school hospital market station tower museum library stadium factory mill"
_C = "market station tower museum library stadium factory mill orchard tunnel"


def test_links_chain_but_clusters_do_not() -> None:
    a, b, c = (_facts(f"c-{k}", f"d-{k}", text) for k, text in enumerate((_A, _B, _C)))
    links = _links(a, b, c)
    assert {(link.a, link.b) for link in links} == {("c-0", "c-1"), ("c-1", "c-2")}
    assert leader_clusters(["c-0", "c-1", "c-2"], links) == {
        "c-0": "c-0",
        "c-1": "c-0",
        "c-2": "c-2",
    }


def test_leader_clusters_join_the_best_linked_leader() -> None:
    links = [Link("c-1", "c-3", 0.5), Link("c-2", "c-3", 0.9)]
    assert leader_clusters(["c-1", "c-2", "c-3"], links)["c-3"] == "c-2"


def test_claims_of_one_document_do_not_corroborate_each_other() -> None:
    quote = "the army recruited women prisoners for the front line in the east"
    assert _links(_facts("c-1", "d-1", quote), _facts("c-2", "d-1", quote)) == []
    assert _links(_facts("c-1", "d-1", quote), _facts("c-2", "d-2", quote)) != []


# --- 3. conflicts within one scope ------------------------------------------------------------


def _count(
    claim_id: str, content: str, low: float | None, high: float | None, thing: str, **kw: object
) -> ClaimFacts:
    text = kw.pop("text", None)
    quantity = QuantityFact(low, high, thing, text=text)  # type: ignore[arg-type]
    kw.setdefault("published", "2016-03-01")
    return _facts(claim_id, f"d-{claim_id}", content, quantities=(quantity,), **kw)


def test_counts_of_different_things_do_not_conflict() -> None:
    democrats = _count(
        "c-1", "2,383 delegates to win the Democratic nomination", 2383, 2383, "delegates"
    )
    republicans = _count(
        "c-2", "1,237 delegates to win the Republican nomination", 1237, 1237, "delegates"
    )
    assert conflicts([democrats, republicans]) == []
    # the same thing in the same scope does
    other = _count(
        "c-3", "2,026 delegates to win the Democratic nomination", 2026, 2026, "delegates"
    )
    (found,) = conflicts([democrats, other])
    assert found.kind == "quantity"
    assert "scope:democratic+nomination" in found.evidence or any(
        item.startswith("scope:") and "democratic" in item for item in found.evidence
    )
    # a count in another place, or in one dated claim and one undated, is another scope
    kyiv = _count("c-4", "40 people were hurt", 40, 40, "people", places=("Kyiv",))
    lviv = _count("c-5", "12 people were hurt", 12, 12, "people", places=("Lviv",))
    assert conflicts([kyiv, lviv]) == []


def test_open_ranges_compare_as_ranges() -> None:
    more = _count(
        "c-1", "more than 100 people were killed", 100, 1000, "people", text="more than 100"
    )
    many = _count("c-2", "5,000 people were killed", 5000, 5000, "people", text="5,000")
    assert conflicts([more, many]) == []
    up_to = _count("c-3", "up to 50 people were killed", 0, 50, "people", text="up to 50")
    (found,) = conflicts([up_to, many])
    assert found.kind == "quantity"
    # killed and hurt are two counts, not one
    hurt = _count("c-4", "12 people were hurt", 12, 12, "people")
    assert conflicts([many, hurt]) == []


def test_open_sides_are_none_and_compare_as_open() -> None:
    # the quantities stage writes an open side as None ("at least 723" has no high); the
    # comparison must not need the mention's words to know it
    at_least = _count("c-1", "at least 723 people were killed", 723, None, "people")
    many = _count("c-2", "5,000 people were killed", 5000, 5000, "people")
    few = _count("c-3", "300 people were killed", 300, 300, "people")
    assert conflicts([at_least, many]) == []
    (found,) = conflicts([at_least, few])
    assert "quantity:people:723-open≠300-300" in found.evidence
    up_to = _count("c-4", "up to 50 people were killed", None, 50, "people")
    assert conflicts([up_to, _count("c-5", "40 people were killed", 40, 40, "people")]) == []
    assert [c.kind for c in conflicts([up_to, many])] == ["quantity"]


def test_a_quote_never_conflicts_with_itself() -> None:
    said = _facts("c-1", "d-1", "I love Oreos, I will never eat them again", source="Trump")
    again = _facts(
        "c-2", "d-2", "I love Oreos. I will never eat them again", source="he", negated=True
    )
    assert conflicts([said, again]) == []
    assert pair_conflicts(said, again) == []
    # the same words denied by one known speaker's cue and stated by another do conflict
    reported = _facts(
        "c-3", "d-3", "that he was working on a book", source="BuzzFeed", source_kind="named"
    )
    denied = _facts(
        "c-4",
        "d-3",
        reported.content,
        source="Lewandowski",
        source_kind="named",
        certainty="denied",
        negated=True,
    )
    (found,) = conflicts([reported, denied])
    assert found.kind == "polarity"
    assert "denied:c-4" in found.evidence
    # not when the denier is only "he" (perhaps the very speaker)
    assert (
        conflicts(
            [
                reported,
                _facts(
                    "c-5", "d-5", reported.content, source="he", certainty="denied", negated=True
                ),
            ]
        )
        == []
    )


def test_a_negation_must_negate_the_same_predicate() -> None:
    absent = _facts(
        "c-1", "d-1", "the senator did not attend the hearing on the budget", negated=True
    )
    voted = _facts("c-2", "d-2", "the senator voted for the budget at the hearing")
    assert conflicts([absent, voted]) == []
    attended = _facts("c-3", "d-3", "the senator attended the hearing on the budget")
    (found,) = conflicts([absent, attended])
    assert found.kind == "polarity"
    assert "negated:c-1" in found.evidence


def test_undated_counts_need_close_publication_dates() -> None:
    # a running count: 600 emails in November, 2,200 in January are no conflict
    november = _count(
        "c-1", "600 emails held classified data", 600, 600, "emails", published="2015-11-12"
    )
    january = _count(
        "c-2", "2,200 emails held classified data", 2200, 2200, "emails", published="2016-01-20"
    )
    assert conflicts([november, january]) == []
    same_week = _count(
        "c-3", "2,200 emails held classified data", 2200, 2200, "emails", published="2015-11-14"
    )
    (found,) = conflicts([november, same_week])
    assert "published:2015-11-12/2015-11-14" in found.evidence
    unknown = _count(
        "c-4", "2,200 emails held classified data", 2200, 2200, "emails", published=None
    )
    assert conflicts([november, unknown]) == []


def test_first_person_claims_of_two_speakers_are_about_two_people() -> None:
    kirk = _facts(
        "c-1",
        "d-1",
        "I cannot and will not support my party's nominee for president",
        source="Mark Kirk",
        negated=True,
    )
    ryan = _facts(
        "c-2", "d-2", "that he will support the party's nominee for president", source="Paul Ryan"
    )
    assert conflicts([kirk, ryan]) == []


def test_a_question_states_nothing_to_negate() -> None:
    asked = _facts("c-1", "d-1", "who's going to be president of the United States these days")
    denied = _facts("c-2", "d-2", "he's not going to be president of the United States")
    assert conflicts([asked, denied]) == []


def test_a_negation_in_the_cue_counts() -> None:
    # "I did not email any classified material": the cue holds the negation
    cue = _facts(
        "c-1",
        "d-1",
        "any classified material to anyone on my email account",
        source="Clinton",
        cue="did not email",
    )
    said = _facts(
        "c-2", "d-2", "that there was no classified material on her email account", source="Clinton"
    )
    assert conflicts([cue, said]) == []


def test_a_negated_cue_must_negate_what_the_other_states() -> None:
    claimed = _facts(
        "c-1",
        "d-1",
        "that President Obama wanted to take in 250,000 Syrian refugees",
        source="Trump",
        cue="claiming",
    )
    uncited = _facts(
        "c-2",
        "d-2",
        "a source for his claim that President Obama wanted to take in 250,000 Syrian refugees",
        source="Trump",
        cue="never cited",
    )
    assert conflicts([claimed, uncited]) == []
    refuted = _facts(
        "c-3",
        "d-3",
        "that President Obama wanted to take in 250,000 Syrian refugees",
        source="Obama",
        cue="did not say",
    )
    assert conflicts([claimed, refuted]) == []  # "did not say" negates the saying, not "want"


def test_one_passage_read_twice_does_not_conflict() -> None:
    whole = _facts(
        "c-1",
        "d-1",
        "when asked to leave, he refused, which prompted organizers to "
        "allow the other candidates time to confer with their staff",
    )
    part = _facts(
        "c-2",
        "d-1",
        "which prompted organizers to allow the other candidates time to confer with their staff",
        cue="reportedly refused",
    )
    assert conflicts([whole, part]) == []


def test_each_pair_conflicts_once() -> None:
    x = _count("c-1", "40 people were hurt in the blast", 40, 40, "people")
    y = _count("c-2", "12 people were not hurt in the blast", 12, 12, "people", negated=True)
    assert len(conflicts([x, y])) <= 1


# --- 4. order independence --------------------------------------------------------------------

_TEXTS = [
    f'The mayor said: "{_A}."',
    f'The council said: "{_B}."',
    f'Witnesses said: "{_C}."',
    f'Police said: "{_A}."',
    "The governor said the shelling of Kharkiv killed 40 people on Monday.",
    "Officials said 12 people died when missiles hit Kharkiv on Monday.",
    'The union said "the Leeds factory will close in May and the workers will lose their jobs".',
    'The company said "the Leeds factory will not close in May and the workers will keep jobs".',
]


def _ledger(path: Path, extractor: Extractor, order: list[int]) -> tuple[object, object]:
    extractions = [
        extractor.extract_text(text, published="2024-03-06", publisher=f"P{k}")
        for k, text in enumerate(_TEXTS)
    ]
    with Store(str(path)) as store:
        for k in order:
            store.put(extractions[k])
        claim_ids = [claim.id for extraction in extractions for claim in extraction.claims]
        by_cluster: dict[str, set[str]] = {}
        for claim_id, (cluster_id, _, _) in store.clusters_of(claim_ids).items():
            by_cluster.setdefault(cluster_id, set()).add(claim_id)
        groups = sorted(sorted(group) for group in by_cluster.values() if len(group) > 1)
        found = sorted((c.a, c.b, c.kind) for c in store.conflicts())
    return groups, found


def test_ingest_order_does_not_change_clusters_or_conflicts(
    tmp_path: Path, extractor: Extractor
) -> None:
    forward = _ledger(tmp_path / "a.db", extractor, list(range(len(_TEXTS))))
    backward = _ledger(tmp_path / "b.db", extractor, list(reversed(range(len(_TEXTS)))))
    shuffled = _ledger(tmp_path / "c.db", extractor, [3, 6, 0, 5, 2, 7, 1, 4])
    groups, found = forward
    assert groups  # the mayor's and the police's quotes are one statement
    assert all(len(group) < 4 for group in groups)  # no chain of A ~ B ~ C
    assert found  # the Kharkiv counts conflict
    assert backward == forward
    assert shuffled == forward


def _compare(x: str, y: str) -> Link | None:
    return Corroborator(MemoryIndex()).compare(_facts("c-1", "d-1", x), _facts("c-2", "d-2", y))


def test_one_word_statements_and_stock_phrases_do_not_cluster() -> None:
    # nine sources "declined to comment": nine refusals, not one corroborated statement
    assert _links(*(_facts(f"c-{i}", f"d-{i}", "to comment") for i in range(3))) == []
    # a short statement is not "contained" in every text that names its names
    assert (
        _compare(
            "unlikely Donald Trump would become the Republican presidential candidate",
            "Almost a week after Republican presidential candidate Donald Trump brought "
            "inspiration and supplies to the hard-pressed residents of flood-ravaged Louisiana",
        )
        is None
    )


def test_names_alone_do_not_cluster() -> None:
    assert _compare("That would be Hillary Clinton", "Hillary Clinton would be") is None


def test_claims_with_different_numbers_do_not_corroborate() -> None:
    democrats = "It takes 2,383 delegates to win the Democratic nomination for president"
    republicans = "It takes 1,237 delegates to win the Republican nomination for president"
    assert _compare(democrats, republicans) is None
    assert _compare(democrats, democrats) is not None


def test_short_statements_of_opposite_polarity_never_cluster() -> None:
    assert _compare("he will vote for Clinton", "they will not vote for Clinton") is None


def test_short_statements_need_three_content_words_to_cluster() -> None:
    assert _compare("we are going to win", "she is going to win") is None


def test_numbers_written_in_words_keep_different_counts_apart() -> None:
    # "plus or minus four points" and "plus or minus 3.4 points" are two polls' margins
    four = _facts(
        "c-1", "d-1", "The margin of sampling error is plus or minus four percentage points"
    )
    other = _facts(
        "c-2", "d-2", "The margin of sampling error is plus or minus 3.4 percentage points"
    )
    assert _links(four, other) == []
    same = _facts("c-3", "d-3", "The margin of sampling error is plus or minus 4 percentage points")
    assert [(link.a, link.b) for link in _links(four, same)] == [("c-1", "c-3")]


def test_a_topic_named_in_two_articles_is_no_corroboration() -> None:
    topics = [
        _facts(f"c-{k}", f"d-{k}", "his call to raise the federal minimum wage to $15 an hour")
        for k in range(3)
    ]
    assert _links(*topics) == []
    stated = [
        _facts(f"c-{k}", f"d-{k}", "he will raise the federal minimum wage to $15 an hour")
        for k in range(2)
    ]
    assert len(_links(*stated)) == 1
