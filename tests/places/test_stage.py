"""The places stage over parsed text: detection, resolution, roles, claims' links."""

from __future__ import annotations

import pytest
from spacy.language import Language

from claimtrace.nlp import load_pipeline
from claimtrace.records import Claim, DocumentRecord, Place, Span
from claimtrace.stages import places
from claimtrace.stages.context import Findings, StageContext
from tests.conftest import EXAMPLE


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

    if not EXAMPLE.exists():
        pytest.skip(f"needs {EXAMPLE}")
    assert check_example(nlp) == []
