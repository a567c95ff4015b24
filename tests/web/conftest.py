"""A small ledger for the web tests, filled by claimtrace's own extraction of short texts.

The example article (``tests.conftest.EXAMPLE``, or a packaged sample without ../shared) is
extracted with the rule pipeline and stored; where the pipeline's places, numbers or times stages
found nothing for a few known phrases, the fixture adds those records by finding their words in
the text (spans stay exact), so the claim details and the map always have something to show.
Four short reports of one bridge closure make a cluster with one origin and polarity conflicts;
one document carries markup and a ``javascript:`` URL, to test escaping.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from claimtrace import Extractor
from claimtrace.ledger.store import Store
from claimtrace.records import Claim, Extraction, Place, Quantity, Span, TimeExpression, stable_id
from claimtrace.web.app import WebSettings, create_app
from tests.conftest import EXAMPLE, SAMPLES


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives a real headless Chromium (CLAIMTRACE_TEST_BROWSER=1 in CI)"
    )


BRIDGE = "the bridge over the river Avon was closed on Monday after the flood damaged it."
BRIDGE_REPORTS = (
    (f"Police said {BRIDGE}", "Avon Daily"),
    (f"Police said {BRIDGE} More to follow.", "Wessex Wire"),
    (f"Police denied {BRIDGE}", "Bristol Post"),
    (f"The mayor said {BRIDGE.replace('was closed', 'was not closed')}", "Bath Herald"),
)
HOSTILE_TEXT = (
    'Officials said <script>alert("pwned")</script> was found near the school.\n\n'
    "Witnesses said the <img src=x onerror=alert(1)> tag was printed on a leaflet."
)


@dataclass(frozen=True)
class Ledger:
    """The filled ledger and what the tests need to find in it."""

    store: Store
    example: Extraction
    bridge: list[Extraction]
    hostile: Extraction


def example_text() -> tuple[str, str]:
    """The example article and its name; a packaged sample when ../shared is absent."""
    if EXAMPLE.exists():
        return EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name
    sample = SAMPLES / "river-flood-relief.txt"
    return sample.read_text(encoding="utf-8"), sample.name


def _enrich(extraction: Extraction) -> Extraction:
    """Add a place, a number and a time (found by their words) to the claims covering them,
    where the pipeline did not find them (its places, quantities and times stages may be
    switched off or missing)."""
    text = extraction.document.text
    doc_id = extraction.document.id
    places: list[Place] = list(extraction.places)
    quantities: list[Quantity] = list(extraction.quantities)
    times: list[TimeExpression] = list(extraction.times)
    wanted = (
        ("Donetsk", "place"),
        ("Kuschevka", "place"),
        ("Ukraine", "place"),
        ("around 100", "quantity"),
        ("last month", "time"),
    )
    coordinates = {
        "Donetsk": ("Donetsk Oblast", "UA", "admin1", 48.0, 37.8),
        "Kuschevka": ("Kushchyovskaya", "RU", "populated_place", 46.56, 39.63),
        "Ukraine": ("Ukraine", "UA", "country", 49.0, 32.0),
    }
    found = {
        "place": {p.mention.start for p in places},
        "quantity": {q.mention.start for q in quantities},
        "time": {t.mention.start for t in times},
    }
    for words, kind in wanted:
        start = text.find(words)
        if start < 0 or start in found[kind]:
            continue  # the pipeline found it already
        mention = Span.of(text, start, start + len(words))
        if kind == "place":
            name, country, feature, lat, lon = coordinates[words]
            places.append(
                Place(
                    id=stable_id("p", doc_id, start),
                    mention=mention,
                    name=name,
                    geonames_id=None,
                    feature=feature,
                    country_code=country,
                    lat=lat,
                    lon=lon,
                    confidence=0.9,
                )
            )
        elif kind == "quantity":
            quantities.append(
                Quantity(
                    id=stable_id("q", doc_id, start),
                    mention=mention,
                    kind="count",
                    low=100,
                    high=100,
                    best=100,
                    approximate=True,
                    counted="women",
                )
            )
        else:
            times.append(
                TimeExpression(
                    id=stable_id("t", doc_id, start),
                    mention=mention,
                    value="2023-02",
                    start="2023-02-01",
                    end="2023-02-28",
                    precision="month",
                    anchor="published",
                )
            )

    def covering(claim: Claim, start: int) -> bool:
        """Whether ``start`` lies in the claim's extent, from its source to its content's end."""
        spans = [*claim.content, *(s for s in (claim.source, claim.cue) if s is not None)]
        return min(s.start for s in spans) <= start < max(s.end for s in spans)

    claims = [
        claim.model_copy(
            update={
                "places": tuple(p.id for p in places if covering(claim, p.mention.start)),
                "quantities": tuple(q.id for q in quantities if covering(claim, q.mention.start)),
                "times": tuple(t.id for t in times if covering(claim, t.mention.start)),
            }
        )
        for claim in extraction.claims
    ]
    return extraction.model_copy(
        update={
            "claims": tuple(claims),
            "places": tuple(places),
            "quantities": tuple(quantities),
            "times": tuple(times),
        }
    )


def fill(store: Store, extractor: Extractor) -> Ledger:
    """Extract and store the test documents."""
    text, name = example_text()
    example = _enrich(
        extractor.extract_text(
            text,
            published="2023-03-10",
            title="Women prisoners sent to the front line",
            publisher="Example News",
            url="https://example.org/women-prisoners",
            name=name,
        )
    )
    store.put(example)
    bridge = []
    for day, (report, publisher) in enumerate(BRIDGE_REPORTS, start=1):
        extraction = extractor.extract_text(
            report, published=f"2024-05-0{day}", publisher=publisher, title=f"Bridge ({publisher})"
        )
        store.put(extraction)
        bridge.append(extraction)
    hostile = extractor.extract_text(
        HOSTILE_TEXT,
        published="2024-06-01",
        title="<b>Leaflet</b> <script>alert(2)</script>",
        url="javascript:alert(3)",
        publisher="<i>Sneaky</i>",
    )
    store.put(hostile)
    return Ledger(store, example, bridge, hostile)


@pytest.fixture(scope="session")
def ledger(
    tmp_path_factory: pytest.TempPathFactory, rules_extractor: Extractor
) -> Iterator[Ledger]:
    """A filled ledger shared by the read-only tests."""
    store = Store(str(tmp_path_factory.mktemp("web") / "ledger.db"))
    try:
        yield fill(store, rules_extractor)
    finally:
        store.close()


@pytest.fixture(scope="session")
def app(ledger: Ledger, rules_extractor: Extractor) -> FastAPI:
    """The app over the shared ledger, read-only so no test changes what others read."""
    return create_app(WebSettings(read_only=True), store=ledger.store, extractor=rules_extractor)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process HTTP client (no sockets) for the shared app."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        yield http


@pytest.fixture
def writable(tmp_path: Path, rules_extractor: Extractor) -> Iterator[Callable[..., FastAPI]]:
    """Makes apps over fresh empty ledgers that accept documents (for tests that write)."""
    stores: list[Store] = []

    def make(**settings: Any) -> FastAPI:
        store = Store(str(tmp_path / f"ledger-{len(stores)}.db"))
        stores.append(store)
        return create_app(WebSettings(**settings), store=store, extractor=rules_extractor)

    yield make
    for store in stores:
        store.close()
