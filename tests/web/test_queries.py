"""The web layer's queries on the ledger, below the routes."""

from __future__ import annotations

from pathlib import Path

from claimtrace import Extractor
from claimtrace.ledger.store import Store
from claimtrace.records import Extraction, Place, Span, stable_id
from claimtrace.web import queries

TEXT = "Officials in Vermont said the bridge at the river was closed on {day}."


def _with_vermont(
    extractor: Extractor, day: str, geonames_id: int, lat: float, lon: float
) -> Extraction:
    extraction = extractor.extract_text(TEXT.format(day=day), published="2024-05-06")
    text = extraction.document.text
    start = text.index("Vermont")
    place = Place(
        id=stable_id("p", extraction.document.id, start),
        mention=Span.of(text, start, start + len("Vermont")),
        name="Vermont",
        geonames_id=geonames_id,
        feature="populated_place",
        country_code="US",
        lat=lat,
        lon=lon,
        confidence=0.9,
    )
    return extraction.model_copy(update={"places": (place,)})


def test_places_of_one_name_keep_their_own_points(
    tmp_path: Path, rules_extractor: Extractor
) -> None:
    """Two places called Vermont in one country (the state; a town in Illinois) are two rows,
    each at its own point; the same place named in two documents is one row, counted twice."""
    with Store(str(tmp_path / "l.db")) as store:
        store.put(_with_vermont(rules_extractor, "Monday", 5242283, 44.0, -72.7))
        store.put(_with_vermont(rules_extractor, "Tuesday", 5242283, 44.0, -72.7))
        store.put(_with_vermont(rules_extractor, "Friday", 4915397, 40.3, -90.4))
        found = queries.place_page(store, search="vermont").items
    points = sorted((p.geonames_id, p.lat, p.lon, p.documents) for p in found)
    assert points == [(4915397, 40.3, -90.4, 1), (5242283, 44.0, -72.7, 2)]
