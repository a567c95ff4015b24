"""Fixtures for the ledger: a small corpus, an extraction with every kind of record, PostgreSQL.

PostgreSQL tests use ``$CLAIMTRACE_TEST_PG_URL`` (its database is wiped by each test) and skip
when it is unset — unless ``$CLAIMTRACE_REQUIRE_PG`` is set, as CI does: then a missing URL fails.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from claimtrace import Extractor, Settings
from claimtrace.ledger.store import resolve_url
from claimtrace.records import (
    Claim,
    DocumentRecord,
    Entity,
    Extraction,
    PipelineInfo,
    Place,
    Quantity,
    Span,
    TimeExpression,
    stable_id,
)

PG_ENV = "CLAIMTRACE_TEST_PG_URL"
REQUIRE_PG_ENV = "CLAIMTRACE_REQUIRE_PG"
# Read before tests/conftest.py's autouse fixture clears CLAIMTRACE_* from the environment.
_PG_URL = os.environ.get(PG_ENV)
_REQUIRE_PG = bool(os.environ.get(REQUIRE_PG_ENV))

SPEAKERS = ("The ministry", "Police", "Officials", "The mayor", "Witnesses", "The army")
_WORDS = [
    "bridge",
    "school",
    "hospital",
    "market",
    "station",
    "harbour",
    "airport",
    "depot",
    "tower",
    "museum",
    "library",
    "stadium",
    "factory",
    "mill",
    "farm",
    "orchard",
    "tunnel",
    "canal",
    "dam",
    "quarry",
    "mine",
    "bakery",
    "chapel",
    "garage",
    "prison",
    "barracks",
    "closed",
    "damaged",
    "reopened",
    "evacuated",
    "flooded",
    "shelled",
    "repaired",
    "sold",
    "guarded",
    "painted",
    "rebuilt",
    "copper",
    "cattle",
    "grain",
    "diesel",
    "cement",
    "timber",
    "wool",
    "salt",
    "sugar",
    "coal",
    "glass",
    "paper",
    "rubber",
    "cotton",
]


def corpus_text(seed: int, sentences: int = 6) -> str:
    """A small article whose claims share few words with other seeds' (clusters stay small)."""
    rng = random.Random(seed)
    lines = [
        f"{rng.choice(SPEAKERS)} said the {' '.join(rng.sample(_WORDS, 5))} "
        f"{rng.randint(2, 900)} times in sector {seed * 100 + i}."
        for i in range(sentences)
    ]
    return " ".join(lines) + "\n"


def write_corpus(folder: Path, count: int, sentences: int = 6) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in range(count):
        (folder / f"article-{seed:03d}.txt").write_text(corpus_text(seed, sentences), "utf-8")
    return folder


@pytest.fixture(scope="session")
def rules() -> Extractor:
    return Extractor(Settings(model="rules"))


def full_extraction(published: str = "2023-03-10", publisher: str = "Outlet A") -> Extraction:
    """A hand-made extraction using every record type, so every table is written and read."""
    text = "Kyiv officials said 40 women were sent to the front in March 2023. Wagner denied it."

    def span(part: str, start: int = 0) -> Span:
        at = text.index(part, start)
        return Span.of(text, at, at + len(part))

    doc_id = hashlib.sha256(f"{text}|{published}|{publisher}".encode()).hexdigest()
    c1, c2 = stable_id("c", doc_id, 1), stable_id("c", doc_id, 2)
    document = DocumentRecord(
        id=doc_id,
        text=text,
        published=published,
        title="Front",
        url="https://example.invalid/a",
        publisher=publisher,
        input="hand-made",
        encoding="utf-8",
        raw_sha256="0" * 64,
    )
    entity = Entity(id="e-1", name="Wagner Group", type="ORG", mentions=(span("Wagner"),))
    place = Place(
        id="p-1",
        mention=span("Kyiv"),
        name="Kyiv",
        geonames_id=703448,
        feature="populated_place",
        country_code="UA",
        admin1="Kyiv City",
        lat=50.45466,
        lon=30.5238,
        role="site",
        confidence=0.9,
    )
    quantity = Quantity(
        id="q-1",
        mention=span("40 women"),
        kind="count",
        low=40,
        high=40,
        best=40,
        counted="women",
    )
    time = TimeExpression(
        id="t-1",
        mention=span("March 2023"),
        value="2023-03",
        start="2023-03-01",
        end="2023-03-31",
        precision="month",
        anchor="absolute",
    )
    claims = (
        Claim(
            id=c1,
            source=span("Kyiv officials"),
            source_kind="unnamed",
            cue=span("said"),
            content=(span("40 women were sent to the front in March 2023"),),
            quote="indirect",
            certainty="reported",
            confidence=0.8,
            places=("p-1",),
            quantities=("q-1",),
            times=("t-1",),
            evidence=("test",),
        ),
        Claim(
            id=c2,
            source=span("Wagner"),
            source_kind="named",
            source_entity="e-1",
            cue=span("denied"),
            content=(span("it", text.index("denied")),),
            quote="none",
            certainty="denied",
            negated=True,
            parent=None,
            confidence=0.6,
            entities=("e-1",),
        ),
    )
    return Extraction(
        document=document,
        sentences=(span(text.split(". ")[0] + "."), span("Wagner denied it.")),
        claims=claims,
        entities=(entity,),
        places=(place,),
        quantities=(quantity,),
        times=(time,),
        pipeline=PipelineInfo(version="test", model="hand", stages=()),
    )


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty PostgreSQL database (its public schema is dropped and made again)."""
    if not _PG_URL:
        if _REQUIRE_PG:
            pytest.fail(f"{REQUIRE_PG_ENV} is set but {PG_ENV} is not: PostgreSQL tests must run")
        pytest.skip(f"set {PG_ENV} to a PostgreSQL URL to run the PostgreSQL tests")
    engine = create_engine(resolve_url(_PG_URL))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return _PG_URL
