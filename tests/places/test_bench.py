"""Floors on the geoparsing gold (measure-only data in ../shared), on fixed subsets for speed.

The full sets are measured by ``python -m bench.places``; these subsets (the first articles of
each file) keep the test under about 30 seconds. The hand-labelled news set
(``bench/data/places_news.jsonl``) is measured whole, per split. Both issue-6 floors (recall ≥ 0.80,
acc@161 ≥ 0.85) hold on the subsets and on the full sets; precision is held at its reached level.
"""

from __future__ import annotations

import pytest
from bench.places import Scores, evaluate, load_geovirus, load_news, load_trnews

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
    assert geovirus.accuracy >= 0.86
    assert geovirus.precision >= 0.81


def test_trnews_floors(trnews: Scores) -> None:
    # TR-News also counts demonyms ("Russian") as toponyms; we keep them as NORP
    assert trnews.recall >= 0.80
    assert trnews.recall_plain >= 0.90
    assert trnews.accuracy >= 0.91
    assert trnews.precision >= 0.80


@pytest.fixture(scope="module")
def news() -> dict[str, Scores]:
    articles = load_news()
    nlp = load_pipeline(None)
    return {
        split: evaluate([a for a in articles if a.split == split], nlp)[0]
        for split in ("tune", "held-out")
    }


@pytest.mark.parametrize("split", ["tune", "held-out"])
def test_news_floors(news: dict[str, Scores], split: str) -> None:
    # issue 18's targets (recall >= 0.85, acc@161 >= 0.90) with a margin below the reached level
    scores = news[split]
    assert scores.gold >= 50
    assert scores.recall >= 0.90
    assert scores.accuracy >= 0.95
    assert scores.precision >= 0.93


def test_news_set_is_split_before_tuning() -> None:
    articles = load_news()
    held_out = sum(len(a.gold) for a in articles if a.split == "held-out")
    total = sum(len(a.gold) for a in articles)
    assert {a.split for a in articles} == {"tune", "held-out"}
    assert 0.25 <= held_out / total <= 0.4
