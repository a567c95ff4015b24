"""PostgreSQL: the same round-trip, idempotence, full-text search and clusters as SQLite.

Needs ``$CLAIMTRACE_TEST_PG_URL``; CI sets it (and ``$CLAIMTRACE_REQUIRE_PG``, so these tests
cannot quietly skip there).
"""

from __future__ import annotations

from pathlib import Path

from claimtrace import Extractor
from claimtrace.ledger import Ledger, ingest
from claimtrace.ledger.migrations import current_revision, head_revision
from claimtrace.ledger.store import Store
from claimtrace.records import to_json
from tests.ledger.conftest import full_extraction, write_corpus
from tests.ledger.test_actors import CORPUS, actor_rows
from tests.ledger.test_reviews import check_reject_and_restore
from tests.ledger.test_store import check_conflicts_across_clusters, check_packing_migration


def test_round_trip_search_and_clusters(pg_url: str) -> None:
    a, b = full_extraction(publisher="A"), full_extraction(publisher="B")
    with Ledger(pg_url) as ledger:
        assert ledger.store.dialect == "postgresql"
        assert current_revision(ledger.store.engine) == head_revision()
        assert ledger.store.put(a) == "stored"
        assert ledger.store.put(a) == "skipped"
        assert ledger.store.put(b) == "stored"
        assert to_json(ledger.store.extraction(a.document.id)) == to_json(a)  # type: ignore[arg-type]
        # tsvector with English stemming: "fronts" finds "front".
        assert len(ledger.claims(search="fronts women")) == 2
        assert ledger.claims(search="bridges") == []
        assert len(ledger.claims(place="Kyiv", since="2023-03-15", until="2023-04")) == 2
        view = ledger.claim(a.claims[0].id)
        assert view is not None
        assert view.cluster is not None
        assert view.cluster.documents == 2
        assert ledger.store.put(a, replace=True) == "replaced"
        assert ledger.store.counts()["claims"] == 4


def test_conflicts_across_clusters(pg_url: str, extractor: Extractor) -> None:
    check_conflicts_across_clusters(pg_url, extractor)


def test_ingest_into_postgresql(pg_url: str, tmp_path: Path, rules: Extractor) -> None:
    corpus = write_corpus(tmp_path / "in", 3)
    with Ledger(pg_url) as ledger:
        first = ingest(ledger.store, rules, [str(corpus)])
        again = ingest(ledger.store, rules, [str(corpus)])
        assert (len(first.stored), len(again.skipped)) == (3, 3)
        exported = sorted(to_json(e) for e in ledger.store.extractions())
    assert exported == sorted(
        to_json(e)
        for e in rules.extract_paths([str(corpus)])  # type: ignore[arg-type]
    )


def test_actors_in_postgresql_as_in_sqlite(pg_url: str, tmp_path: Path) -> None:
    with Store(str(tmp_path / "l.db")) as lite:
        for doc in CORPUS:
            lite.put(doc)
        expected = actor_rows(lite)
    with Store(pg_url) as store:
        for doc in reversed(CORPUS):
            store.put(doc)
        assert actor_rows(store) == expected
        store.put(CORPUS[0], replace=True)
        assert actor_rows(store) == expected


def test_packing_migration_in_postgresql(pg_url: str, extractor: Extractor) -> None:
    check_packing_migration(pg_url, extractor)


def test_reviews_in_postgresql(pg_url: str, extractor: Extractor) -> None:
    check_reject_and_restore(pg_url, extractor)
