"""The places stage over parsed text: detection, resolution, roles, claims' links."""

from __future__ import annotations

import pytest
from spacy.language import Language

from claimtrace.nlp import load_pipeline
from claimtrace.records import Claim, DocumentRecord, Place, Span
from claimtrace.stages import places
from claimtrace.stages.context import Findings, StageContext
from tests.conftest import EXAMPLE, shared_path


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(None)


def _document(text: str) -> DocumentRecord:
    return DocumentRecord(id="0" * 64, text=text, input="t", encoding="utf-8", raw_sha256="0")


def _places(nlp: Language, text: str) -> tuple[Place, ...]:
    return places.run(nlp(text), StageContext(document=_document(text))).places


def _by_mention(found: tuple[Place, ...]) -> dict[str, Place]:
    return {p.mention.text: p for p in found}


@pytest.mark.parametrize(
    ("text", "mention", "name", "country"),
    [
        (
            "Convicts were moved to Kuschevka in Krasnodar region.",
            "Kuschevka",
            "Kushchyovskaya",
            "RU",
        ),
        (
            "A penal colony in Snezhnoye, a city in the occupied Donetsk region.",
            "Snezhnoye",
            "Snizhne",
            "UA",
        ),
        ("Shelling hit Kiev on Monday.", "Kiev", "Kyiv", "UA"),
        ("Fighting went on around Kharkov overnight.", "Kharkov", "Kharkiv", "UA"),
        (
            "Police in Edmonton said the man was from Calgary, Alberta.",
            "Edmonton",
            "Edmonton",
            "CA",
        ),
        ("The trial opened in Paris, France, on Monday.", "Paris", "Paris", "FR"),
    ],
)
def test_resolution(nlp: Language, text: str, mention: str, name: str, country: str) -> None:
    place = _by_mention(_places(nlp, text))[mention]
    assert (place.name, place.country_code) == (name, country)
    assert place.geonames_id is not None
    assert place.lat is not None
    assert place.lon is not None


def test_context_picks_the_smaller_namesake(nlp: Language) -> None:
    text = "The fire in Edmonton, Kentucky, spread to Metcalfe County farms."
    place = _by_mention(_places(nlp, text))["Edmonton"]
    assert (place.country_code, place.admin1) == ("US", "Kentucky")


@pytest.mark.parametrize(
    ("text", "mention", "role"),
    [
        ("Women were sent to Ukraine last month.", "Ukraine", "destination"),
        ("Refugees fled from Aleppo at night.", "Aleppo", "origin"),
        ("Talks were held in Ankara yesterday.", "Ankara", "site"),
        ("The convoy passed through Poland quickly.", "Poland", "transit"),
        ("Ukraine said nothing more.", "Ukraine", None),
    ],
)
def test_role_from_the_preposition(
    nlp: Language, text: str, mention: str, role: str | None
) -> None:
    assert _by_mention(_places(nlp, text))[mention].role == role


def test_demonyms_are_not_places(nlp: Language) -> None:
    found = _by_mention(_places(nlp, "The Russian army and Ukrainian officials met in Geneva."))
    assert "Russian" not in found
    assert "Ukrainian" not in found
    assert found["Geneva"].country_code == "CH"


@pytest.mark.parametrize("model", ["embedded", "rules"])
def test_titled_names_and_function_words_are_not_places(nlp: Language, model: str) -> None:
    # "Vladimir" and "But" are also towns; with no tagger (the rules pipeline) only the words
    # around them can tell.
    pipeline = nlp if model == "embedded" else load_pipeline("rules")
    text = "President Vladimir Putin spoke in Moscow. But the talks in Geneva went on."
    found = _by_mention(_places(pipeline, text))
    assert sorted(found) == ["Geneva", "Moscow"]


def test_divisions_keep_their_generic_word(nlp: Language) -> None:
    found = _by_mention(_places(nlp, "Women in prisons in the Sverdlovsk region asked to go."))
    place = found["Sverdlovsk region"]
    assert (place.feature, place.country_code) == ("admin1", "RU")


def test_unresolvable_name_stays_without_an_id(nlp: Language) -> None:
    found = _by_mention(_places(nlp, "The refugees reached Qwxzvilleborg in the north."))
    if "Qwxzvilleborg" in found:  # only when the model tags it as a place
        place = found["Qwxzvilleborg"]
        assert place.geonames_id is None
        assert place.confidence < 0.3


@pytest.mark.parametrize("text", ["", "   \n", "ÂÂÂ 1e308 ￿ 🙂 —", "In " * 500])
def test_odd_text_does_not_crash(nlp: Language, text: str) -> None:
    assert isinstance(_places(nlp, text), tuple)


def test_claims_link_places_inside_their_content(nlp: Language) -> None:
    text = "Officials said convicts were moved to Kuschevka. Paris was calm."
    document = _document(text)
    start = text.index("convicts")
    end = text.index(".") + 1
    claim = Claim(
        id="c1",
        source=Span.of(text, 0, 9),
        source_kind="named",
        cue=Span.of(text, 10, 14),
        content=(Span.of(text, start, end),),
        quote="indirect",
        certainty="reported",
        confidence=0.9,
    )
    found = places.run(nlp(text), StageContext(document=document, found=Findings(claims=(claim,))))
    linked = {p.id for p in found.places if p.mention.text == "Kuschevka"}
    assert linked
    assert set(found.claims[0].places) == linked


def test_ids_are_stable(nlp: Language) -> None:
    text = "Troops left Kyiv for Kharkiv."
    assert [p.id for p in _places(nlp, text)] == [p.id for p in _places(nlp, text)]


def test_example_article_places(nlp: Language) -> None:
    from bench.places import check_example

    shared_path("examples", EXAMPLE.name)
    assert check_example(nlp) == []


def test_a_bare_state_name_is_the_state_not_a_namesake_town(nlp: Language) -> None:
    # Bozeman, Montana answers to "Missouri" and there is a town called California, Maryland
    text = "Farmers in Missouri and California sold cattle to buyers in Kansas."
    found = _by_mention(_places(nlp, text))
    assert (found["Missouri"].feature, found["Missouri"].name) == ("admin1", "Missouri")
    assert (found["California"].feature, found["California"].name) == ("admin1", "California")


def test_one_name_keeps_one_sense_in_an_article(nlp: Language) -> None:
    text = (
        "London police said the rally drew 200 people. St. Thomas officers helped. "
        "The London organisers thanked Canada."
    )
    londons = [p for p in _places(nlp, text) if p.mention.text == "London"]
    assert len(londons) == 2
    assert {p.geonames_id for p in londons} == {londons[0].geonames_id}
    assert londons[0].country_code == "CA"


def test_neighbouring_ambiguous_names_resolve_together(nlp: Language) -> None:
    # both are also towns in Canada and the United States; together they are north London
    found = _by_mention(_places(nlp, "Shelter is offered in Edmonton and in Enfield by churches."))
    assert found["Edmonton"].country_code == "GB"
    assert found["Enfield"].country_code == "GB"


def test_a_place_named_after_another_is_near_it(nlp: Language) -> None:
    text = "He was stabbed at a house in Edmonton, south of Cairns, in November."
    assert _by_mention(_places(nlp, text))["Edmonton"].country_code == "AU"


def test_a_natural_feature_stays_unresolved(nlp: Language) -> None:
    text = "Floods hit towns in the Sava valley, Bosnian officials in Sarajevo said."
    found = _by_mention(_places(nlp, text))
    place = found["Sava valley"]
    assert place.geonames_id is None
    assert place.confidence < 0.3
    assert found["Sarajevo"].country_code == "BA"


@pytest.mark.parametrize(
    ("text", "mention", "country"),
    [
        ("Samples went to the U.S. Centers for Disease Control and Prevention.", "U.S.", "US"),
        ("Police asked the Queensland Government for more officers.", "Queensland", "AU"),
        ("The U.S.-led coalition struck again.", "U.S.", "US"),
    ],
)
def test_places_at_the_front_of_longer_names(
    nlp: Language, text: str, mention: str, country: str
) -> None:
    assert _by_mention(_places(nlp, text))[mention].country_code == country


def test_a_state_abbreviation_after_a_place_and_a_comma(nlp: Language) -> None:
    found = _by_mention(_places(nlp, "PARIS, Mo. — The farm moved here from Indiana."))
    assert (found["Mo."].name, found["Mo."].feature) == ("Missouri", "admin1")
    assert found["PARIS"].admin1 == "Missouri"


@pytest.mark.parametrize(
    "text",
    [
        "Health minister Francisco Duque met doctors. Duque said in Manila that cases fell.",
        "Mr Bentley was arrested in Leeds. Police said Bentley was known to them.",
    ],
)
def test_a_surname_the_article_gives_a_person_is_not_a_place(nlp: Language, text: str) -> None:
    # Duque and Bentley are also small towns; the article makes them people
    found = _by_mention(_places(nlp, text))
    assert not {"Duque", "Bentley", "Mr Bentley"} & set(found)


def test_direction_words_keep_the_place_after_them(nlp: Language) -> None:
    found = _by_mention(_places(nlp, "Wildfires spread across Southern California on Monday."))
    place = found["Southern California"]
    assert (place.name, place.feature) == ("California", "admin1")


def test_continents_carry_geonames_ids(nlp: Language) -> None:
    found = _by_mention(_places(nlp, "The virus spread from Asia to Europe within weeks."))
    assert found["Europe"].geonames_id is not None
    assert found["Asia"].geonames_id is not None
