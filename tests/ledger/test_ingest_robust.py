"""Ingest goes on past a document that fails anywhere — too long for spaCy, a bug while storing —
and stores the others, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrace import Extractor, Settings
from claimtrace.cli import main
from claimtrace.ledger.ingest import ingest
from claimtrace.ledger.store import PutOutcome, Store
from claimtrace.records import Extraction

from ..conftest import SAMPLES

ARTICLE = (SAMPLES / "river-flood-relief.txt").read_text(encoding="utf-8")


def test_ingest_stores_a_long_document_and_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("\n\n".join([ARTICLE] * 6))
    (folder / "b.txt").write_text("Officials said the bridge would reopen on Friday.")
    store = Store(str(tmp_path / "ledger.db"))
    try:
        extractor = Extractor(Settings(model="rules", batch_chars=2_000))
        assert len(extractor.segment_plan.cut((folder / "a.txt").read_text())) > 2
        report = ingest(store, extractor, [str(folder)])
        assert report.failed == []
        assert len(report.stored) == 2
        again = ingest(store, extractor, [str(folder)])
        assert again.stored == []  # nothing stored twice
        assert len(again.skipped) == 2
    finally:
        store.close()


def test_a_bug_while_storing_one_document_fails_only_that_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "bad", "c"):
        (folder / f"{name}.txt").write_text(f"Officials in {name} said it rained on Monday.")
    real_put = Store.put

    def put(self: Store, extraction: Extraction, **kwargs: bool) -> PutOutcome:
        if extraction.document.input.endswith("bad.txt"):
            raise KeyError("a cluster that is not there")
        return real_put(self, extraction, **kwargs)

    monkeypatch.setattr(Store, "put", put)
    db = tmp_path / "ledger.db"
    code = main(["ingest", str(folder), "--db", str(db), "--model", "rules", "-q"])
    err = capsys.readouterr().err
    assert code == 3, err
    assert "bad.txt: not stored: KeyError" in err
    assert "Traceback" not in err
    monkeypatch.setattr(Store, "put", real_put)
    store = Store(str(db))
    try:
        documents = {Path(e.document.input).name for e in store.extractions()}
    finally:
        store.close()
    assert documents == {"a.txt", "c.txt"}
