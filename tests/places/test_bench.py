"""Floors on the geoparsing gold (measure-only data in ../shared), on fixed subsets for speed.

The full sets are measured by ``python -m bench.places``; these subsets (the first articles of
each file) keep the test under about 30 seconds. Both issue-6 floors (recall ≥ 0.80,
acc@161 ≥ 0.85) hold on the subsets and on the full sets; precision is held at its reached level.
"""

from __future__ import annotations

import pytest
from bench.places import Scores, evaluate, load_geovirus, load_trnews

from claimtrace.nlp import load_pipeline
from tests.conftest import shared_path

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def geovirus() -> Scores:
    articles = load_geovirus(shared_path("data", "geo", "GeoVirus.xml"))[:80]
    return evaluate(articles, load_pipeline(None))[0]


@pytest.fixture(scope="module")
def trnews() -> Scores:
    articles = load_trnews(shared_path("data", "geo", "TR-News.xml"))[:40]
    return evaluate(articles, load_pipeline(None))[0]


def test_geovirus_floors(geovirus: Scores) -> None:
    assert geovirus.recall >= 0.80
    assert geovirus.accuracy >= 0.85
    assert geovirus.precision >= 0.80


def test_trnews_floors(trnews: Scores) -> None:
    # TR-News also counts demonyms ("Russian") as toponyms; we keep them as NORP
    assert trnews.recall >= 0.80
    assert trnews.recall_plain >= 0.90
    assert trnews.accuracy >= 0.85
    assert trnews.precision >= 0.78
