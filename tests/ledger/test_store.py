"""The store: round-trips, idempotence, replacement, queries, schema and bad databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, create_engine, insert

from claimtrace import Extractor
from claimtrace.errors import ConfigError
from claimtrace.ledger import Ledger, Store, ingest
from claimtrace.ledger.migrations import (
    VERSION_TABLE,
    alembic_config,
    current_revision,
    head_revision,
)
from claimtrace.ledger.packing import PackedJSON
from claimtrace.ledger.store import UNRESOLVED_SOURCES, claim_conflicts, metadata, resolve_url
from claimtrace.ledger.store import conflicts as conflicts_table
from claimtrace.records import Extraction, Span, to_json
from tests.ledger.conftest import corpus_text, full_extraction, write_corpus


def test_every_record_type_round_trips_exactly(tmp_path: Path) -> None:
    extraction = full_extraction()
    with Store(str(tmp_path / "l.db")) as store:
        assert store.put(extraction) == "stored"
        assert to_json(store.extraction(extraction.document.id)) == to_json(extraction)  # type: ignore[arg-type]
        assert store.counts() == {
            "documents": 1,
            "claims": 2,
            "entities": 1,
            "places": 1,
            "quantities": 1,
            "times": 1,
        }


def test_extracted_documents_round_trip(tmp_path: Path, rules: Extractor) -> None:
    texts = [corpus_text(seed) for seed in range(3)]
    originals = [
        rules.extract_text(t, published="2024-01-0" + str(i + 1)) for i, t in enumerate(texts)
    ]
    with Store(str(tmp_path / "l.db")) as store:
        for extraction in originals:
            store.put(extraction)
        back = {e.document.id: to_json(e) for e in store.extractions()}
    assert back == {e.document.id: to_json(e) for e in originals}


def test_an_open_quantity_side_round_trips_as_none(tmp_path: Path, rules: Extractor) -> None:
    extraction = rules.extract_text("At least 723 people died and up to 40 were hurt.")
    assert [(q.low, q.high) for q in extraction.quantities] == [(723.0, None), (None, 40.0)]
    with Store(str(tmp_path / "l.db")) as store:
        store.put(extraction)
        assert to_json(store.extraction(extraction.document.id)) == to_json(extraction)  # type: ignore[arg-type]


def test_same_pipeline_is_skipped_and_replace_replaces(tmp_path: Path) -> None:
    extraction = full_extraction()
    with Store(str(tmp_path / "l.db")) as store:
        assert store.put(extraction) == "stored"
        assert store.put(extraction) == "skipped"
        assert store.put(extraction, replace=True) == "replaced"
        newer = extraction.model_copy(
            update={"pipeline": extraction.pipeline.model_copy(update={"version": "test2"})}
        )
        assert store.put(newer) == "replaced"
        assert store.counts()["claims"] == 2
        assert store.stored_pipeline(extraction.document.id) == ("test2", "hand")


def test_ingest_is_idempotent_and_reprocess_replaces(tmp_path: Path, rules: Extractor) -> None:
    corpus = write_corpus(tmp_path / "in", 4)
    (corpus / "copy.txt").write_text(corpus_text(0), "utf-8")  # same text twice
    (corpus / "empty.txt").write_text("  \n", "utf-8")
    with Store(str(tmp_path / "l.db")) as store:
        first = ingest(store, rules, [str(corpus)])
        assert (len(first.stored), len(first.skipped), len(first.failed)) == (4, 1, 1)
        counts = store.counts()
        second = ingest(store, rules, [str(corpus)])
        assert (len(second.stored), len(second.skipped), len(second.failed)) == (0, 5, 1)
        third = ingest(store, rules, [str(corpus)], reprocess=True)
        assert (len(third.stored), len(third.replaced), len(third.skipped)) == (0, 4, 1)
        assert store.counts() == counts


def test_replacing_a_document_splits_the_cluster_it_held_together(tmp_path: Path) -> None:
    a = full_extraction(publisher="A")
    b = full_extraction(publisher="B")
    with Store(str(tmp_path / "l.db")) as store:
        store.put(a)
        store.put(b)
        claim = a.claims[0].id
        cluster = store.cluster(claim)
        assert cluster is not None
        assert len(cluster.claim_ids) == 2
        assert cluster.documents == 2
        emptied = b.model_copy(update={"claims": ()})
        emptied = emptied.model_copy(
            update={"pipeline": b.pipeline.model_copy(update={"version": "v2"})}
        )
        assert store.put(emptied) == "replaced"
        assert store.cluster(claim) == type(cluster)(claim, (claim,), 1, ((claim,),))


def test_queries_filter_as_documented(tmp_path: Path) -> None:
    with Ledger(str(tmp_path / "l.db")) as ledger:
        ledger.store.put(full_extraction(published="2023-03-10", publisher="A"))
        ledger.store.put(full_extraction(published="2024-06-01", publisher="B"))

        def contents(**where: str) -> list[str]:
            return [row.claim.content[0].text for row in ledger.claims(**where)]  # type: ignore[arg-type]

        sent = "40 women were sent to the front in March 2023"
        assert contents(search="women front") == [sent, sent]
        assert contents(search="nothing-like-this") == []
        assert contents(certainty="denied") == ["it", "it"]
        assert contents(source="wagner group") == ["it", "it"]  # by the source entity's name
        assert contents(about="Wagner Group") == ["it", "it"]
        assert contents(place="ua") == [sent, sent]
        # The dated claim is about March 2023 in both documents; the other falls back to
        # its document's publication date.
        assert contents(since="2023-03", until="2023-03") == [sent, "it", sent]
        assert contents(since="2024") == ["it"]
        assert [r.publisher for r in ledger.claims(limit=1)] == ["A"]
        with pytest.raises(ConfigError, match="--certainty"):
            ledger.claims(certainty="sure")
        with pytest.raises(ConfigError, match="--since"):
            ledger.claims(since="10 March")


def test_sources_show_and_conflicts(tmp_path: Path) -> None:
    with Ledger(str(tmp_path / "l.db")) as ledger:
        a = full_extraction(publisher="A")
        ledger.store.put(a)
        ledger.store.put(full_extraction(publisher="B"))
        by_name = {(s.name, s.kind): (s.claims, s.documents) for s in ledger.sources()}
        assert by_name == {("Kyiv officials", "unnamed"): (2, 2), ("Wagner Group", "named"): (2, 2)}
        view = ledger.claim(a.claims[0].id)
        assert view is not None
        assert view.cluster is not None
        assert [row.publisher for row in view.corroborating] == ["B"]
        document = ledger.document(a.document.id[:12])
        assert document is not None
        assert document.document.id == a.document.id
        assert ledger.claim("c-none") is None


def test_an_unresolved_pronoun_is_never_listed_as_a_named_source(tmp_path: Path) -> None:
    extraction = full_extraction()
    first = extraction.claims[0]
    text = extraction.document.text
    at = text.index(first.source.text) if first.source else 0
    pronoun = first.model_copy(
        update={
            "id": "c-he",
            "source": Span.of(text, at, at + 2),
            "source_kind": "unresolved",
            "source_entity": None,
        }
    )
    extraction = extraction.model_copy(update={"claims": (*extraction.claims, pronoun)})
    with Ledger(str(tmp_path / "l.db")) as ledger:
        ledger.store.put(extraction)
        rows = {(s.name, s.kind): s.claims for s in ledger.sources()}
    assert rows[(UNRESOLVED_SOURCES, "unresolved")] == 1
    assert not [name for name, kind in rows if kind == "unresolved" and name != UNRESOLVED_SOURCES]


def test_an_unnamed_claim_without_a_source_is_not_the_outlet(tmp_path: Path) -> None:
    extraction = full_extraction()
    sourceless = extraction.claims[0].model_copy(
        update={"id": "c-nobody", "source": None, "source_kind": "unnamed", "source_entity": None}
    )
    extraction = extraction.model_copy(update={"claims": (*extraction.claims, sourceless)})
    with Ledger(str(tmp_path / "l.db")) as ledger:
        ledger.store.put(extraction)
        rows = {(s.name, s.kind) for s in ledger.sources()}
    assert ("(no source named)", "unnamed") in rows
    assert ("(the outlet)", "unnamed") not in rows


def test_conflicts_across_clusters_about_one_place(tmp_path: Path, extractor: Extractor) -> None:
    check_conflicts_across_clusters(str(tmp_path / "l.db"), extractor)


def check_conflicts_across_clusters(db: str, extractor: Extractor) -> None:
    """Two counts of the dead in one city conflict though no cluster holds both; a count for
    another city does not; replacing a document replaces its conflicts (also run on
    PostgreSQL by ``test_postgres``)."""

    def extract(text: str, publisher: str) -> Extraction:
        return extractor.extract_text(text, published="2024-03-06", publisher=publisher)

    kyiv = extract("The governor said the shelling of Kharkiv killed 40 people on Monday.", "A")
    other = extract("Officials said 12 people died when missiles hit Kharkiv on Monday.", "B")
    elsewhere = extract("Officials said 12 people died when missiles hit Odesa on Monday.", "C")
    with Ledger(db) as ledger:
        for extraction in (kyiv, other, elsewhere):
            ledger.store.put(extraction)
        # the two Kharkiv counts say different things, so no cluster holds them; they conflict
        assert (
            ledger.store.cluster(kyiv.claims[0].id) is None
            or len(
                ledger.store.cluster(kyiv.claims[0].id).claim_ids  # type: ignore[union-attr]
            )
            == 1
        )
        (conflict,) = ledger.conflicts()
        assert {conflict.a.claim.id, conflict.b.claim.id} == {
            kyiv.claims[0].id,
            other.claims[0].id,
        }
        assert conflict.conflict.kind == "quantity"
        assert conflict.conflict.cluster_id is None
        assert "about:kharkiv" in conflict.conflict.evidence
        assert [c.kind for c in ledger.store.conflicts(claim_id=other.claims[0].id)] == ["quantity"]
        # replacing a document takes its conflicts with it, and finds them again
        ledger.store.put(other, replace=True)
        assert len(ledger.store.conflicts()) == 1
        ledger.store.put(other.model_copy(update={"claims": []}), replace=True)
        assert ledger.store.conflicts() == []


def test_conflicts_are_listed_within_clusters_first_once_each_and_paged(tmp_path: Path) -> None:
    with Store(str(tmp_path / "l.db")) as store, store.engine.begin() as conn:
        conn.execute(
            insert(conflicts_table),
            [
                {"a": "c-1", "b": "c-2", "kind": "polarity", "cluster_id": "c-1", "evidence": []},
                {"a": "c-3", "b": "c-4", "kind": "quantity", "cluster_id": "c-3", "evidence": []},
            ],
        )
        conn.execute(
            insert(claim_conflicts),
            [
                {"a": a, "b": b, "kind": kind, "a_document_id": "d", "b_document_id": "e",
                 "evidence": ["about:x"]}
                for a, b, kind in (
                    ("c-1", "c-2", "polarity"),  # also found within its cluster: listed once
                    ("c-5", "c-6", "quantity"),
                    ("c-7", "c-8", "polarity"),
                )
            ],
        )  # fmt: skip
    with Store(str(tmp_path / "l.db")) as store:
        every = [(c.a, c.cluster_id) for c in store.conflicts()]
        assert every == [("c-1", "c-1"), ("c-3", "c-3"), ("c-5", None), ("c-7", None)]
        pages = [[c.a for c in store.conflicts(limit=2, offset=o)] for o in (0, 1, 2, 3, 4)]
        assert pages == [["c-1", "c-3"], ["c-3", "c-5"], ["c-5", "c-7"], ["c-7"], []]
        assert [c.a for c in store.conflicts(claim_id="c-2")] == ["c-1"]


def _same_type(
    context: Any, inspected: Any, metadata_column: Any, inspected_type: Any, metadata_type: Any
) -> bool | None:
    """Types as Alembic compares them, but a packed record column that SQLite declares JSON
    matches: 0004 packs the values and leaves the declared type (see that revision)."""
    if isinstance(metadata_type, PackedJSON) and isinstance(inspected_type, JSON):
        return False
    return None


def test_migrated_schema_matches_the_tables_store_uses(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "l.db"))
    assert current_revision(store.engine) == head_revision() == "0006"
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"version_table": VERSION_TABLE, "compare_type": _same_type}
        )
        diff = [
            change
            for change in compare_metadata(context, metadata)
            if not (change[0] == "remove_table" and change[1].name.startswith("claims_fts"))
        ]
    store.close()
    assert diff == []


def test_a_ledger_made_at_0001_is_upgraded_and_keeps_its_documents(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    extraction = full_extraction()
    with Store(str(path)) as store:
        store.put(extraction)
    # take it back to 0001, as a ledger written by the previous release would be
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "claim_conflicts" not in tables
    with Store(str(path)) as store:
        assert current_revision(store.engine) == "0006"
        assert store.counts()["claims"] == 2
        assert to_json(store.extraction(extraction.document.id)) == to_json(extraction)  # type: ignore[arg-type]
        assert store.put(extraction, replace=True) == "replaced"


def test_a_path_or_url_names_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_url(None).database == "claimtrace.db"
    monkeypatch.setenv("CLAIMTRACE_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).database == str(tmp_path / "env.db")
    assert resolve_url("postgres://u@h/d").drivername == "postgresql+psycopg"
    for bad, message in (
        ("mysql://u@h/d", "only SQLite files and postgresql"),
        ("sqlite://:::bad", "not a database URL"),
        (str(tmp_path), "is a directory"),
    ):
        with pytest.raises(ConfigError, match=message):
            Store(bad)


def test_unreadable_and_missing_databases_are_config_errors(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(ConfigError, match="cannot open the ledger"):
        Store(str(junk))
    with pytest.raises(ConfigError, match="no ledger there yet"):
        Store(str(tmp_path / "absent.db"), create=False)
    with pytest.raises(ConfigError, match="does not exist"):
        Store(str(tmp_path / "no" / "such" / "l.db"))


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    Store(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"UPDATE {VERSION_TABLE} SET version_num = '9999'")
    with pytest.raises(ConfigError, match="newer version"):
        Store(str(path))


def check_packing_migration(db: str, extractor: Extractor) -> None:
    """A ledger at 0003 (plain JSON records, key strings) comes to 0004 with its extractions,
    clusters and actors unchanged, and a document added after still corroborates the ones
    stored before (also run on PostgreSQL by ``test_postgres``)."""
    said = "Officials said the bridge over the river at Zatoka was closed by the army on Monday."
    first, second, third = (
        extractor.extract_text(f"{said} ({day})", published=f"2024-05-0{day}", publisher=name)
        for day, name in ((6, "A"), (7, "B"), (8, "C"))
    )
    with Store(db) as store:
        store.put(first)
        store.put(second)
        claim = first.claims[0].id
        before = store.cluster(claim)
        assert before is not None
        assert before.documents == 2
        config = alembic_config()
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
    with Store(db) as store:
        assert current_revision(store.engine) == "0006"
        assert to_json(store.extraction(first.document.id)) == to_json(first)  # type: ignore[arg-type]
        assert store.cluster(claim) == before
        store.put(third)  # found through the migrated keys
        after = store.cluster(claim)
        assert after is not None
        assert after.documents == 3
        assert store.put(first, replace=True) == "replaced"
        assert store.cluster(claim) is not None


def test_a_ledger_at_0003_is_packed_on_upgrade(tmp_path: Path, extractor: Extractor) -> None:
    check_packing_migration(str(tmp_path / "l.db"), extractor)
