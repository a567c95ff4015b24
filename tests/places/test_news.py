"""What news means by a place name: capitals, the national seat, namesakes, thin evidence,
coordinated names, newspapers and demonyms (issue 18)."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Span as SpacySpan

from claimtrace.nlp import load_pipeline
from claimtrace.places.find import find_mentions
from claimtrace.places.gazetteer import Gazetteer
from claimtrace.places.names import demonym_bases
from claimtrace.places.resolve import resolve_mentions, seat_countries
from claimtrace.records import DocumentRecord, Place
from claimtrace.stages import places
from claimtrace.stages.context import StageContext

DC = 4140963  # Washington, D.C.
WASHINGTON_STATE = 5815135


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(None)


def _places(nlp: Language, text: str) -> dict[str, Place]:
    document = DocumentRecord(id="0" * 64, text=text, input="t", encoding="utf-8", raw_sha256="0")
    found = places.run(nlp(text), StageContext(document=document)).places
    return {p.mention.text: p for p in found}


@pytest.mark.parametrize(
    "text",
    [
        "The senator from Vermont spoke in Washington on Tuesday about Congress.",
        "Republicans in Washington said the White House would veto the bill.",
        "Washington and Kyiv disagree over strikes inside Russia, an official said.",
        "Voters in Iowa and New Hampshire are tired of Washington.",
    ],
)
def test_washington_in_political_news_is_the_capital(nlp: Language, text: str) -> None:
    place = _places(nlp, text)["Washington"]
    assert place.geonames_id == DC
    assert place.lat is not None
    assert abs(place.lat - 38.9) < 0.1


def test_the_text_can_still_mean_washington_state(nlp: Language) -> None:
    text = "Wildfires spread near Seattle and Spokane, and Washington declared an emergency."
    assert _places(nlp, text)["Washington"].geonames_id == WASHINGTON_STATE


def test_seat_words_name_the_country(nlp: Language) -> None:
    doc = nlp("The Kremlin and the White House traded accusations.")
    assert seat_countries(doc) == {"RU", "US"}


@pytest.mark.parametrize(
    ("text", "mention", "country"),
    [
        ("Mr Regalado was born in Havana and left as a teenager.", "Havana", "CU"),
        ("She flew to Paris for the climate talks.", "Paris", "FR"),
    ],
)
def test_a_bare_capital_is_the_capital(
    nlp: Language, text: str, mention: str, country: str
) -> None:
    assert _places(nlp, text)[mention].country_code == country


def test_a_state_beats_its_small_namesake_towns(nlp: Language) -> None:
    # Vermont, Wisconsin (a village of 800) must not take the state's name in Wisconsin news
    text = "Dairy farmers from Madison, Wisconsin, met growers from Vermont."
    place = _places(nlp, text)["Vermont"]
    assert (place.feature, place.admin1) == ("admin1", "Vermont")


def test_coordinates_come_from_the_chosen_sense(nlp: Language, gazetteer: Gazetteer) -> None:
    # never a mixture of senses: the place's point is its candidate's own
    text = "The senator from Vermont met farmers in Vermont and in Wisconsin."
    for place in _places(nlp, text).values():
        if place.geonames_id is None:
            continue
        own = [c for c in gazetteer.lookup(place.mention.text) if c.id == place.geonames_id]
        assert own
        assert (place.lat, place.lon) == (own[0].lat, own[0].lon)


def test_an_idless_region_is_not_confident(nlp: Language) -> None:
    text = "Women in prisons in the Sverdlovsk region in the Ural District asked to go."
    found = _places(nlp, text)
    assert found["Ural District"].geonames_id is None
    assert found["Ural District"].confidence <= 0.6
    assert found["Sverdlovsk region"].confidence > 0.8


def test_a_partial_name_is_not_taken_for_another_place(nlp: Language) -> None:
    text = "Estonia and Finland agreed to close the Gulf of Finland to Russian tankers."
    found = _places(nlp, text)
    assert "Gulf" not in found
    gulf = found.get("Gulf of Finland")
    if gulf is not None:  # kept only as an unresolved name
        assert gulf.name != "Persian Gulf"
        assert gulf.geonames_id is None or gulf.country_code in ("FI", "EE", "RU")


def test_confidence_falls_when_evidence_is_thin(nlp: Language) -> None:
    lone = _places(nlp, "He was born in Union and moved away.")
    backed = _places(nlp, "Kyiv said Russian troops were near Kharkiv and Sumy.")
    assert backed["Kharkiv"].confidence >= 0.8
    if "Union" in lone:
        assert lone["Union"].confidence < 0.6


def test_coordinated_places_tagged_as_one_name_are_split(
    nlp: Language, gazetteer: Gazetteer
) -> None:
    doc = nlp("Tallinn and Helsinki have agreed to close the route.")
    doc.ents = [SpacySpan(doc, 0, 3, label="ORG")]
    resolved = resolve_mentions(doc, find_mentions(doc, gazetteer), gazetteer)
    found = {r.mention.text: r.place for r in resolved}
    assert sorted(found) == ["Helsinki", "Tallinn"]
    assert found["Tallinn"] is not None
    assert found["Tallinn"].country_code == "EE"
    assert found["Helsinki"] is not None
    assert found["Helsinki"].country_code == "FI"


def test_a_country_named_with_and_stays_whole(nlp: Language, gazetteer: Gazetteer) -> None:
    doc = nlp("Floods hit Bosnia and Herzegovina in May.")
    start = next(t.i for t in doc if t.text == "Bosnia")
    doc.ents = [SpacySpan(doc, start, start + 3, label="GPE")]
    mentions = find_mentions(doc, gazetteer)
    assert [m.text for m in mentions] == ["Bosnia and Herzegovina"]


@pytest.mark.parametrize(
    "text",
    [
        "The Washington Post reported the poll on Monday.",
        "According to the New York Times, the talks failed.",
    ],
)
def test_a_newspaper_is_not_a_place(nlp: Language, text: str) -> None:
    assert not {"Washington", "New York", "Washington Post"} & set(_places(nlp, text))


@pytest.mark.parametrize(
    ("text", "demonym"),
    [
        ("Puerto Rican voters in Florida were angry.", "Puerto Rican"),
        ("He speaks Spanish and English at home in Miami.", "English"),
    ],
)
def test_demonyms_are_not_places(nlp: Language, text: str, demonym: str) -> None:
    assert demonym not in _places(nlp, text)


def test_demonym_bases() -> None:
    assert "Russia" in demonym_bases("Russian")
    assert "Turkey" in demonym_bases("Turkish")
    assert demonym_bases("Oslo") == []


@pytest.mark.parametrize(
    ("text", "name", "label", "found"),
    [
        ("The nuclear plant in Enerhodar lost power.", "Enerhodar", "PERSON", True),
        ("Shells hit Nikolaev overnight.", "Nikolaev", "PERSON", True),  # Mykolayiv
        ("Horlivka was shelled again.", "Horlivka", "NORP", True),
        ("The attack was condemned by the White House.", "White House", "ORG", False),
        ("Russian troops advanced.", "Russian", "NORP", False),
    ],
)
def test_a_place_the_model_mislabels(
    nlp: Language, gazetteer: Gazetteer, text: str, name: str, label: str, found: bool
) -> None:
    doc = nlp(text)
    start = text.index(name)
    span = doc.char_span(start, start + len(name))
    assert span is not None
    doc.ents = [SpacySpan(doc, span.start, span.end, label=label)]
    mentions = [m.text for m in find_mentions(doc, gazetteer)]
    assert (name in mentions) is found


@pytest.mark.parametrize(
    ("text", "mention", "lat", "lon"),
    [
        ("Estonia and Finland agreed to close the Gulf of Finland.", "Gulf of Finland", 59.8, 26),
        ("Ships in the Sea of Azov were hit, Kyiv said.", "Sea of Azov", 46.1, 36.7),
    ],
)
def test_natural_features(nlp: Language, text: str, mention: str, lat: float, lon: float) -> None:
    place = _places(nlp, text)[mention]
    assert (place.geonames_id, place.feature) == (None, "other")
    assert (place.lat, place.lon) == (lat, lon)
    assert place.confidence <= 0.6  # no GeoNames id: never confident


def test_a_city_named_like_a_river_is_the_city_without_the_article(nlp: Language) -> None:
    place = _places(nlp, "Drones struck Dnipro and Kharkiv overnight.")["Dnipro"]
    assert (place.feature, place.country_code) == ("populated_place", "UA")
