"""Conflict precision and recall on the hand-labelled PolNeAR pairs (bench.conflicts)."""

from __future__ import annotations

import pytest
from bench.conflicts import FLOORS, extract_facts, load_pairs, score


@pytest.mark.slow
@pytest.mark.shared_data(
    "data/attribution/polnear/train/text",
    "data/attribution/polnear/dev/text",
    "data/attribution/polnear/metadata.tsv",
)
def test_labelled_conflicts_hold_their_floors() -> None:
    pairs = load_pairs()
    found = score(pairs, extract_facts(pairs))
    assert found.missing <= len(pairs) // 10, found  # the references still find their claims
    assert found.precision >= FLOORS["precision"], found
    assert found.recall >= FLOORS["recall"], found
