"""Reviews in the ledger: a person's verdicts and corrections win in claims, clusters, conflicts,
actors and exports; the extraction is never overwritten; re-extraction keeps what still matches."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from claimtrace import Extractor
from claimtrace.errors import ReviewError
from claimtrace.ledger import Ledger
from claimtrace.ledger.export import write_csv
from claimtrace.ledger.store import ClaimFilter, Store
from claimtrace.records import Extraction, to_json

SAID = "Officials said the bridge over the river at Zatoka was closed by the army on Monday."


def _bridge(extractor: Extractor) -> list[Extraction]:
    return [
        extractor.extract_text(f"{SAID} ({day})", published=f"2024-05-0{day}", publisher=name)
        for day, name in ((6, "A"), (7, "B"), (8, "C"))
    ]


def test_a_rejected_claim_leaves_its_cluster_and_the_listings(
    tmp_path: Path, extractor: Extractor
) -> None:
    check_reject_and_restore(str(tmp_path / "l.db"), extractor)


def check_reject_and_restore(db: str, extractor: Extractor) -> None:
    """Reject a cluster's member, then accept it again (also run on PostgreSQL by
    ``test_postgres``)."""
    first, second, third = _bridge(extractor)
    with Store(db) as store:
        for one in (first, second, third):
            store.put(one)
        claim = first.claims[0].id
        before = store.cluster(claim)
        assert before is not None
        assert before.documents == 3
        rejected = third.claims[0].id
        review_id, row = store.review(rejected, "reject", reviewer="ana", reason="not the bridge")
        assert row.review == "rejected"
        after = store.cluster(claim)
        assert after is not None
        assert after.documents == 2
        assert rejected not in after.claim_ids
        listed = {r.claim.id for r in store.claims(ClaimFilter())}
        assert rejected not in listed
        assert claim in listed
        assert rejected in {r.claim.id for r in store.claims(ClaimFilter(include_rejected=True))}
        # the extraction is never overwritten
        assert to_json(store.extraction(third.document.id)) == to_json(third)  # type: ignore[arg-type]
        # accepting it again restores it: the latest verdict wins
        store.review(rejected, "accept", reviewer="ana", reason="it is")
        again = store.cluster(claim)
        assert again is not None
        assert again.documents == 3
        (log_first, log_second) = store.reviews(claim_id=rejected)
        assert (log_first.id, log_first.state, log_second.state) == (
            review_id,
            "superseded",
            "active",
        )
        assert log_first.reviewer == "ana"
        assert log_first.reason == "not the bridge"
        assert log_first.reviewed_at.endswith("+00:00")


def test_corrections_win_in_claims_search_and_export(tmp_path: Path, extractor: Extractor) -> None:
    (first, *_) = _bridge(extractor)
    text = first.document.text
    with Store(str(tmp_path / "l.db")) as store:
        store.put(first)
        claim = first.claims[0]
        assert claim.certainty != "denied"
        start = text.index("the bridge")
        end = text.index(" by the army")
        store.review(
            claim.id, "correct", field="content", value={"spans": [[start, end]]}, reviewer="li"
        )
        _, row = store.review(
            claim.id, "correct", field="certainty", value={"certainty": "denied"}, reviewer="li"
        )
        assert row.review == "corrected"
        assert row.claim.content[0].text == "the bridge over the river at Zatoka was closed"
        assert row.claim.certainty == "denied"
        assert any(e.startswith("review:") for e in row.claim.evidence)
        assert [r.claim.id for r in store.claims(ClaimFilter(certainty="denied"))] == [claim.id]
        assert store.claims(ClaimFilter(search="army")) == []  # no longer in its content
        assert store.extraction(first.document.id).claims[0] == claim  # type: ignore[union-attr]
        out = io.StringIO()
        write_csv(store, out)
        (exported,) = csv.DictReader(io.StringIO(out.getvalue()))
        assert exported["review"] == "corrected"
        assert exported["certainty"] == "denied"
        assert exported["content"] == "the bridge over the river at Zatoka was closed"


def test_a_rejected_claim_conflicts_with_nothing(tmp_path: Path, extractor: Extractor) -> None:
    def extract(text: str, publisher: str) -> Extraction:
        return extractor.extract_text(text, published="2024-03-06", publisher=publisher)

    a = extract("The governor said the shelling of Kharkiv killed 40 people on Monday.", "A")
    b = extract("Officials said 12 people died when missiles hit Kharkiv on Monday.", "B")
    with Ledger(str(tmp_path / "l.db")) as ledger:
        ledger.store.put(a)
        ledger.store.put(b)
        assert len(ledger.conflicts()) == 1
        ledger.store.review(b.claims[0].id, "reject", reviewer="ana")
        assert ledger.conflicts() == []
        ledger.store.review(b.claims[0].id, "accept", reviewer="ana")
        assert len(ledger.conflicts()) == 1


def test_reviews_survive_a_reextraction_that_matches_and_go_stale_when_it_does_not(
    tmp_path: Path, extractor: Extractor
) -> None:
    first, second, _ = _bridge(extractor)
    with Store(str(tmp_path / "l.db")) as store:
        store.put(first)
        store.put(second)
        claim = second.claims[0]
        store.review(claim.id, "reject", reviewer="ana")
        # the same extraction again (a new pipeline run): the review still applies
        assert store.put(second, replace=True) == "replaced"
        assert store.find_claim(claim.id).review == "rejected"  # type: ignore[union-attr]
        assert store.reviews(state="stale") == []
        # a pipeline that now reads the claim differently: the review no longer matches
        shorter = claim.content[0].model_copy(
            update={"end": claim.content[0].end - 4, "text": claim.content[0].text[:-4]}
        )
        changed = second.model_copy(
            update={
                "claims": (claim.model_copy(update={"content": (shorter,)}), *second.claims[1:])
            }
        )
        store.put(changed, replace=True)
        (stale,) = store.reviews(state="stale")
        assert stale.claim_id == claim.id
        found = store.find_claim(claim.id)
        assert found is not None
        assert found.review is None
        cluster = store.cluster(first.claims[0].id)
        assert cluster is not None
        assert claim.id in cluster.claim_ids


def test_bad_reviews_are_refused_with_one_line(tmp_path: Path, extractor: Extractor) -> None:
    (first, *_) = _bridge(extractor)
    with Store(str(tmp_path / "l.db")) as store:
        store.put(first)
        claim = first.claims[0].id
        cases = [
            (("c-nope", "reject"), {}, "no claim"),
            ((claim, "approve"), {}, "one of accept"),
            ((claim, "correct"), {"field": None}, "names the field"),
            ((claim, "correct"), {"field": "content", "value": {"spans": [[0, 10**6]]}}, "inside"),
            ((claim, "correct"), {"field": "content", "value": {"spans": []}}, "at least one"),
            ((claim, "correct"), {"field": "certainty", "value": {"certainty": "x"}}, "one of"),
            ((claim, "correct"), {"field": "source", "value": {"actor_id": "a-0"}}, "no actor"),
        ]
        for args, extra, message in cases:
            with pytest.raises(ReviewError, match=message) as err:
                store.review(*args, reviewer="ana", **extra)  # type: ignore[arg-type]
            assert "\n" not in str(err.value)
        assert store.reviews() == []


def test_a_claim_attributed_to_an_actor_stays_there(tmp_path: Path, rules: Extractor) -> None:
    """A source corrected to an actor wins over the rules, also when a later document brings
    more claims of the same name group, and also for a claim whose source named no one."""

    def put(store: Store, text: str, day: int) -> Extraction:
        extraction = rules.extract_text(text, published=f"2024-05-0{day}", publisher=f"P{day}")
        store.put(extraction)
        return extraction

    with Store(str(tmp_path / "l.db")) as store:
        put(store, "John Smith said the bridge was closed on Monday.", 1)
        jane = put(store, "Jane Smith said the port was closed on Tuesday.", 2)
        unnamed = put(store, "Officials said the road was closed on Friday.", 3)
        actors = {row.name: row.actor_id for row in store.sources() if row.actor_id}
        john = actors["John Smith"]
        claim = jane.claims[0].id
        _, row = store.review(
            claim, "correct", field="source", value={"actor_id": john}, reviewer="ana"
        )
        assert row.actor_id == john
        record = store.actor(john)
        assert record is not None
        assert record.claims == 2
        put(store, "Jane Smith said the airport was closed on Sunday.", 4)  # same name group
        found = store.find_claim(claim)
        assert found is not None
        assert found.actor_id == john
        other = unnamed.claims[0].id
        _, row = store.review(
            other, "correct", field="source", value={"actor_id": john}, reviewer="ana"
        )
        assert row.actor_id == john
        record = store.actor(john)
        assert record is not None
        assert record.claims == 3


def test_exact_key_forgetting_removes_what_the_scan_removes(
    tmp_path: Path, extractor: Extractor
) -> None:
    """A review files its document again; it finds the document's index keys from their facts
    instead of reading the whole key table, and must remove exactly the same rows."""
    from sqlalchemy import select

    from claimtrace.ledger.cluster_store import forget_keys
    from claimtrace.ledger.schema import claim_keys

    first, second, third = _bridge(extractor)
    with Store(str(tmp_path / "l.db")) as store:
        for one in (first, second, third):
            store.put(one)
        left = {}
        for exact in (False, True):
            with store.engine.connect() as conn:
                transaction = conn.begin()
                before = set(conn.execute(select(claim_keys)).all())
                forget_keys(conn, second.document.id, exact=exact)
                left[exact] = set(conn.execute(select(claim_keys)).all())
                transaction.rollback()
        assert left[True] == left[False]
        assert len(left[True]) < len(before)
