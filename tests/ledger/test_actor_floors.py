"""Actor merges on the held-out PolNeAR dev pairs, from a ledger the embedded model builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.actors import FLOORS, figures, load_pairs, score

from claimtrace import Extractor, Settings
from claimtrace.ledger import ingest
from claimtrace.ledger.store import Store
from tests.conftest import shared_path


@pytest.mark.slow
@pytest.mark.shared_data("data/attribution/polnear/dev/text")
def test_dev_actor_merges_hold_their_floors(tmp_path: Path) -> None:
    folder = shared_path("data", "attribution", "polnear", "dev", "text")
    with Store(str(tmp_path / "dev.db")) as store:
        report = ingest(store, Extractor(Settings()), [str(folder)])
        assert len(report.stored) == 84
        found = score(store, load_pairs(split="dev"))
        shown = figures(store)
    assert found["precision"] >= FLOORS["precision"], found
    assert found["recall"] >= FLOORS["recall"], found
    assert shown["actors listed as a pronoun"] == 0
    assert shown["share with an actor"] >= 0.9, shown
