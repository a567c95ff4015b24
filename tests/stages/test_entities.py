"""The entities stage: canonical entities, coreference, roles, affiliations, claim sources."""

from __future__ import annotations

import pytest

from claimtrace import Extractor
from claimtrace.records import Entity
from claimtrace.stages import entities
from claimtrace.stages.context import Findings, StageContext
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def parsed(extractor: Extractor) -> Extractor:
    """The default extractor, when it carries a parser and NER (the embedded model)."""
    if "ner" not in extractor.nlp.pipe_names or "parser" not in extractor.nlp.pipe_names:
        pytest.skip("the default pipeline has no parser and NER (no embedded model)")
    return extractor


def _run(extractor: Extractor, text: str) -> Findings:
    result = extractor.extract_text(text)
    ctx = StageContext(
        document=result.document, found=Findings(sentences=result.sentences, claims=result.claims)
    )
    return entities.run(extractor.nlp(result.document.text), ctx)


def _named(found: Findings, name: str) -> Entity:
    matches = [e for e in found.entities if e.name.lower() == name.lower()]
    assert matches, f"{name!r} not among {[e.name for e in found.entities]}"
    return matches[0]


def _names(found: Findings, ids: tuple[str, ...]) -> list[str]:
    by_id = {e.id: e.name for e in found.entities}
    return [by_id[i] for i in ids]


@pytest.mark.parametrize(
    ("text", "name", "type_", "mentions", "roles"),
    [
        (
            "President Vladimir Putin has sought new recruits. Putin said the war goes well.",
            "Vladimir Putin",
            "PERSON",
            ["President Vladimir Putin", "Putin"],
            ["President"],
        ),
        (
            "But Wagner chief Yevgeny Prigozhin claimed last month that his group will no "
            "longer recruit prisoners. Prigozhin, head of Wagner, said there was resistance.",
            "Yevgeny Prigozhin",
            "PERSON",
            ["Yevgeny Prigozhin", "his", "Prigozhin"],
            ["Wagner chief", "head of Wagner"],
        ),
        (
            "Several hundred women asked local MP Vyacheslav Wegner to send them to Ukraine.",
            "Vyacheslav Wegner",
            "PERSON",
            ["Vyacheslav Wegner"],
            ["local MP"],
        ),
        (
            "Kremlin spokesman Dmitry Peskov said the talks had failed.",
            "Dmitry Peskov",
            "PERSON",
            ["Dmitry Peskov"],
            ["Kremlin spokesman"],
        ),
        (
            "Last month the Ukrainian general staff said that Russia was recruiting. "
            "Later the Ukrainian General Staff said the women were sent away.",
            "Ukrainian General Staff",
            "ORG",
            ["Ukrainian general staff", "Ukrainian General Staff"],
            [],
        ),
        (
            "Most convicts serve with the Wagner private army in the east.",
            "Wagner",
            "ORG",
            ["Wagner"],
            [],
        ),
    ],
)
def test_entities_group_mentions_with_roles(
    parsed: Extractor,
    text: str,
    name: str,
    type_: str,
    mentions: list[str],
    roles: list[str],
) -> None:
    found = _run(parsed, text)
    entity = _named(found, name)
    assert entity.type == type_
    assert [m.text for m in entity.mentions] == mentions
    assert list(entity.roles) == roles
    for mention in entity.mentions:
        assert text[mention.start : mention.end] == mention.text


@pytest.mark.parametrize(
    ("text", "person", "organisation"),
    [
        (
            "Olga Romanova, of Russia Behind Bars foundation, believes around 100 women were sent.",
            "Olga Romanova",
            "Russia Behind Bars",
        ),
        (
            "Wagner chief Yevgeny Prigozhin claimed that the prisoners were freed.",
            "Yevgeny Prigozhin",
            "Wagner",
        ),
        (
            "Prigozhin, head of Wagner, said there had been resistance among officials.",
            "Prigozhin",
            "Wagner",
        ),
    ],
)
def test_affiliations_name_the_organisation(
    parsed: Extractor, text: str, person: str, organisation: str
) -> None:
    found = _run(parsed, text)
    entity = _named(found, person)
    assert entity.type == "PERSON"
    assert _names(found, entity.affiliations) == [organisation]
    assert _named(found, organisation).type == "ORG"


def test_pronoun_source_resolves_to_the_organisation(parsed: Extractor) -> None:
    text = (
        "The Ukrainian army has claimed that the enemy has sought new recruits.\n\n"
        "It added: ‘Last week a train moved towards the front.’"
    )
    found = _run(parsed, text)
    army = _named(found, "Ukrainian Army")
    assert army.type == "ORG"
    assert [m.text for m in army.mentions] == ["Ukrainian army", "It"]
    sourced = {c.source.text: c.source_entity for c in found.claims if c.source}
    # "the enemy" (a description the attribution stage took for the army) is not the army
    assert sourced == {"The Ukrainian army": army.id, "It": army.id, "the enemy": None}


def test_first_person_in_a_quote_links_to_the_speaker(parsed: Extractor) -> None:
    text = "“I think the deal is bad,” Hillary Clinton said. “We believe it will fail.”"
    found = _run(parsed, text)
    sourced = {c.source.text: (c.source_entity, c.source_kind) for c in found.claims if c.source}
    clinton = sourced["Hillary Clinton"][0]
    assert clinton is not None
    assert sourced == {
        "Hillary Clinton": (clinton, "named"),
        "I": (clinton, "named"),
        "We": (clinton, "named"),
    }


def test_he_links_to_the_man_not_the_nearer_woman(parsed: Extractor) -> None:
    text = "Mr. Jones met Ann Smith on Monday. He said the plan would fail."
    found = _run(parsed, text)
    claim = next(c for c in found.claims if c.source and c.source.text == "He")
    assert claim.source_entity == _named(found, "Jones").id


def test_person_pronouns_join_a_person_of_their_gender(parsed: Extractor) -> None:
    found = _run(parsed, "Mr. Jones met Ann Smith on Monday. Her car was red, and his was blue.")
    assert "his" in [m.text for m in _named(found, "Jones").mentions]
    assert "his" not in [m.text for m in _named(found, "Ann Smith").mentions]


def test_an_unresolved_pronoun_has_no_entity_and_is_not_named(parsed: Extractor) -> None:
    text = "He said the plan would fail. “I will not stop,” the crowd heard."
    found = _run(parsed, text)
    pronouns = [c for c in found.claims if c.source and c.source.text in ("He", "I")]
    assert pronouns
    for claim in pronouns:
        assert claim.source_entity is None
        assert claim.source_kind == "unresolved"


def test_his_group_is_the_persons_organisation(parsed: Extractor) -> None:
    text = (
        "Wagner chief Yevgeny Prigozhin claimed last month that his group will no longer "
        "recruit prisoners."
    )
    found = _run(parsed, text)
    wagner = _named(found, "Wagner")
    prigozhin = _named(found, "Yevgeny Prigozhin")
    assert "his group" in [m.text for m in wagner.mentions]
    claim = next(c for c in found.claims if c.cue is not None)
    assert claim.source_entity == prigozhin.id
    assert set(claim.entities) == {prigozhin.id, wagner.id}


@pytest.mark.parametrize(
    ("text", "name", "type_"),
    [
        ("A train moved towards the Donetsk region on Monday night.", "Donetsk", "GPE"),
        ("The convicts were sent to the territory of the Russian Federation.", "", "GPE"),
        ("Officials met Mr Peskov in the capital on Friday.", "Peskov", "PERSON"),
    ],
)
def test_words_around_a_name_fix_its_type(
    parsed: Extractor, text: str, name: str, type_: str
) -> None:
    found = _run(parsed, text)
    wanted = name or "Russian Federation"
    assert _named(found, wanted).type == type_


def test_ids_are_stable_and_distinct(parsed: Extractor) -> None:
    text = "Putin met Erdogan in Ankara. Putin said the talks went well."
    first = _run(parsed, text)
    second = _run(parsed, text)
    assert [e.id for e in first.entities] == [e.id for e in second.entities]
    assert len({e.id for e in first.entities}) == len(first.entities)
    assert all(e.id.startswith("e-") for e in first.entities)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n ",
        "‘’“”",
        "Ça va? 日本語のテキスト。",
        "The the the said said, it added: he.",
        "9" * 500,
    ],
)
def test_odd_text_does_not_crash(parsed: Extractor, rules_extractor: Extractor, text: str) -> None:
    for extractor in (parsed, rules_extractor):
        found = _run(extractor, text) if text.strip() else None
        if found is not None:
            for entity in found.entities:
                assert entity.mentions


@pytest.mark.parametrize(
    ("name", "key", "canonical"),
    [
        ("the Ukrainian general staff", "ukrainian general staff", "Ukrainian General Staff"),
        ("The Ministry of Defence", "ministry of defence", "Ministry of Defence"),
        ("Wagner’s", "wagner", "Wagner’s"),
        ("Russia Behind Bars", "russia behind bars", "Russia Behind Bars"),
    ],
)
def test_name_normalisation(name: str, key: str, canonical: str) -> None:
    assert entities.normalise_name(name) == key
    assert entities.organisation_name(name) == canonical


def test_the_word_classes_load() -> None:
    words = entities.load_entity_words()
    assert "title" in words["president"]
    assert "org" in words["ministry"]
    assert "place" in words["region"]
    assert "honorific" in words["mr"]


@pytest.mark.shared_data
def test_example_article_entities_and_sources_come_out_right(parsed: Extractor) -> None:
    shared_path("examples", "women-prisoners-front-line.txt")
    from bench.entities import score_example

    report = score_example(parsed)
    missed = [name for name, ok in report["checks"].items() if not ok]
    assert report["right"] == report["total"], missed


@pytest.mark.shared_data
def test_gum_dev_holds_the_floors(parsed: Extractor) -> None:
    shared_path("data", "treebanks", "en_gum-ud-dev.conllu")
    from bench.entities import score_gum

    report = score_gum(parsed)
    mentions, b3 = report["mentions"], report["b3"]
    assert mentions["all"]["p"] >= 0.92
    assert mentions["all"]["r"] >= 0.63
    assert mentions["PERSON"]["f1"] >= 0.79
    assert b3["all"]["f1"] >= 0.69
    assert b3["PERSON"]["p"] >= 0.84


@pytest.mark.parametrize(
    ("text", "name", "type_"),
    [
        (
            "“It is fair,” said Grace Mbeki, the union’s regional secretary.",
            "Grace Mbeki",
            "PERSON",
        ),
        (
            "The port operator, Harbourside Terminals, claimed the strike cost £4m.",
            "Harbourside Terminals",
            "ORG",
        ),
    ],
)
def test_apposition_heads_and_plural_names_decide_the_type(
    parsed: Extractor, text: str, name: str, type_: str
) -> None:
    found = _run(parsed, text)
    assert _named(found, name).type == type_
