"""Actors: named sources across documents become one person or organisation, and only then."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from claimtrace.ledger.actors import (
    ActorName,
    actor_name,
    assign,
    organisation_key,
    person_key,
)
from claimtrace.ledger.migrations import alembic_config, current_revision
from claimtrace.ledger.store import ClaimFilter, Store
from claimtrace.records import (
    Claim,
    DocumentRecord,
    Entity,
    EntityType,
    Extraction,
    PipelineInfo,
    Span,
    stable_id,
)

# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Donald Trump", ("trump", "donald trump", "")),
        ("Donald J. Trump", ("trump", "donald trump", "j")),
        ("Mr. Trump", ("trump", "trump", "")),
        ("Republican Donald Trump", ("trump", "donald trump", "")),
        ("former Maryland Gov. Martin O’Malley", ("omalley", "martin omalley", "")),
        ("Sen. Bernie Sanders", ("sanders", "bernard sanders", "")),  # a short form: its full one
        ("George H. W. Bush", ("bush", "george bush", "hw")),
        ("Donald Trump Jr.", ("trump", "donald trump jr", "")),
        ("Chairman Reince Priebus", ("priebus", "reince priebus", "")),
    ],
)
def test_a_person_name_is_read_without_titles_and_with_its_middle_initials(
    written: str, expected: tuple[str, str, str]
) -> None:
    assert person_key(written) == expected


def test_a_name_that_is_only_titles_is_no_person() -> None:
    assert person_key("Republican Sen.") is None
    assert person_key("Mr.") is None


def test_organisation_forms_read_alike() -> None:
    forms = {"The Trump campaign", "the Trump campaign", "Trump's campaign", "Trump’s campaign"}
    assert {organisation_key(form) for form in forms} == {"trump campaign"}
    assert organisation_key("the U.S. State Department") == "us state department"


TEXT = "A said this. " * 4


def _claim(source: str, kind: str = "named", entity: str | None = "e-1") -> Claim:
    span = Span(start=0, end=len(source), text=source)
    return Claim(
        id="c-1",
        source=span,
        source_kind=kind,  # type: ignore[arg-type]
        source_entity=entity,
        cue=None,
        content=(Span(start=0, end=1, text="x"),),
        quote="none",
        certainty="reported",
        confidence=0.5,
    )


def _entity(name: str, type_: EntityType = "PERSON") -> Entity:
    return Entity(id="e-1", name=name, type=type_, mentions=())


def test_a_group_named_after_a_person_is_never_that_person() -> None:
    trump = _entity("Donald Trump")
    campaign = actor_name(_claim("The Trump campaign"), trump)
    assert campaign is not None
    assert (campaign.type, campaign.base, campaign.rule) == (
        "organisation",
        "trump campaign",
        "named-group",
    )
    supporters = actor_name(_claim("Sanders’s supporters"), _entity("Bernie Sanders"))
    assert supporters is not None
    assert supporters.type == "other"
    assert supporters.base == "sanders supporters"
    # the person, whatever is written around the name
    for written in ("Mr. Trump", "Trump himself", "Donald J. Trump, the nominee", "he"):
        found = actor_name(_claim(written), trump)
        assert found is not None
        assert (found.type, found.base) == ("person", "donald trump"), written


def test_pronouns_and_empty_words_without_an_entity_are_no_actor() -> None:
    for written in ("he", "She", "they", "Tuesday", "Most", "Many", "Early results"):
        assert actor_name(_claim(written, entity=None), None) is None, written
    assert actor_name(_claim("officials", kind="unnamed", entity=None), None) is None
    assert actor_name(_claim("he", kind="unresolved", entity=None), None) is None


def test_descriptors_initials_and_one_of_several_name_no_new_record() -> None:
    # a descriptor capitalised before the name is dropped, as a party word is
    found = actor_name(_claim("Billionaire Donald Trump"), _entity("Billionaire Donald Trump"))
    assert found is not None
    assert (found.type, found.base) == ("person", "donald trump")
    # an interview's "Q:" is no one, with or without an entity
    assert actor_name(_claim("Q", entity=None), None) is None
    assert actor_name(_claim("Q"), _entity("Q")) is None
    assert actor_name(_claim("Q"), _entity("Q", "ORG")) is None
    # "another Clinton (aide)" is one of several: no record, neither Clinton's nor its own
    assert actor_name(_claim("Another Clinton"), _entity("Clinton")) is None
    assert actor_name(_claim("another Clinton", entity=None), None) is None
    # an entity named so is the surname alone: ambiguous, never a record of its own
    found = actor_name(_claim("Clinton"), _entity("Another Clinton"))
    assert found is not None
    assert found.base == "clinton"


def test_a_title_in_an_unresolved_source_makes_it_a_person() -> None:
    found = actor_name(_claim("Texas Sen. Ted Cruz", entity=None), None)
    assert found is not None
    assert (found.type, found.base, found.rule) == ("person", "ted cruz", "source-title")
    # an entity whose name is only a title falls back to the source as written
    found = actor_name(_claim("Republican Sen. John McCain"), _entity("Republican Sen."))
    assert found is not None
    assert found.base == "john mccain"


# --- deciding actors ------------------------------------------------------------------------------


def _person(written: str, document: str = "d") -> ActorName:
    key = person_key(written)
    assert key is not None
    return ActorName("person", key[0], key[1], key[2], written, document=document)


def test_middle_initials_merge_unless_two_different_ones_are_seen() -> None:
    one = assign({"a": _person("Donald J. Trump"), "b": _person("Donald Trump")})
    assert len(set(one.values())) == 1
    bushes = assign(
        {
            "w": _person("George W. Bush"),
            "hw": _person("George H. W. Bush"),
            "bare": _person("George Bush"),
            "jeb": _person("Jeb Bush"),
        }
    )
    assert len({bushes["w"], bushes["hw"], bushes["bare"], bushes["jeb"]}) == 4


def test_a_surname_alone_joins_only_a_unique_full_name() -> None:
    names = {"a": _person("Marco Rubio", "d1"), "b": _person("Rubio", "d3")}
    alone = assign(names)
    assert alone["a"] != alone["b"]  # a full name seen in one document is no evidence
    alone = assign({**names, "c": _person("Marco Rubio", "d2")})
    assert alone["a"] == alone["b"] == alone["c"]
    clintons = assign(
        {"h": _person("Hillary Clinton"), "b": _person("Bill Clinton"), "c": _person("Clinton")}
    )
    assert len({clintons["h"], clintons["b"], clintons["c"]}) == 3
    assert assign({"c": _person("Clinton")})["c"] == "person:clinton"


def test_an_organisation_and_a_person_never_share_an_actor() -> None:
    person = assign({"p": _person("Donald Trump")})["p"]
    org = ActorName("organisation", "trump", "trump", "", "Trump")
    assert assign({"o": org})["o"] != person


def test_the_decision_does_not_depend_on_order() -> None:
    written = [
        "Donald J. Trump",
        "Donald Trump",
        "Trump",
        "Ivanka Trump",
        "Mr. Trump",
        "Donald Trump Jr.",
        "Donald John Trump",
    ]
    names = {f"c{i}": _person(w) for i, w in enumerate(written)}
    expected = assign(names)
    rng = random.Random(7)
    for _ in range(20):
        items = list(names.items())
        rng.shuffle(items)
        assert assign(dict(items)) == expected


# --- in the ledger --------------------------------------------------------------------------------


def _document(text: str, sources: list[tuple[str, str, EntityType]]) -> Extraction:
    """An extraction whose claims have the given (source as written, entity, type) sources."""
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    claims: list[Claim] = []
    entities: list[Entity] = []
    for i, (written, name, type_) in enumerate(sources):
        at = text.index(written)
        span = Span(start=at, end=at + len(written), text=written)
        content = Span(start=at, end=at + len(written), text=written)
        entity_id = f"e-{i}"
        entities.append(Entity(id=entity_id, name=name, type=type_, mentions=(span,)))
        claims.append(
            Claim(
                id=stable_id("c", doc_id, i),
                source=span,
                source_kind="named",
                source_entity=entity_id,
                cue=None,
                content=(content,),
                quote="none",
                certainty="reported",
                confidence=0.5,
            )
        )
    return Extraction(
        document=DocumentRecord(
            id=doc_id,
            text=text,
            input="test",
            encoding="utf-8",
            raw_sha256="0" * 64,
            published="2016-03-0" + str(len(text) % 9 + 1),
        ),
        claims=tuple(claims),
        entities=tuple(entities),
        pipeline=PipelineInfo(version="test", model="hand", stages=()),
    )


CORPUS = [
    _document("Donald J. Trump spoke first.", [("Donald J. Trump", "Donald J. Trump", "PERSON")]),
    _document("Donald Trump spoke again.", [("Donald Trump", "Donald Trump", "PERSON")]),
    _document("The Trump campaign answered.", [("The Trump campaign", "Donald Trump", "PERSON")]),
    _document("Hillary Clinton answered him.", [("Hillary Clinton", "Hillary Clinton", "PERSON")]),
    _document("Bill Clinton answered too.", [("Bill Clinton", "Bill Clinton", "PERSON")]),
    _document("Clinton had the last word.", [("Clinton", "Clinton", "PERSON")]),
]


def actor_rows(store: Store) -> list[tuple[str | None, str, str | None, int, tuple[str, ...]]]:
    return sorted(
        (row.actor_id, row.name, row.actor_type, row.claims, row.aliases)
        for row in store.sources()
        if row.actor_id
    )


def test_the_ledger_lists_one_record_per_actor(tmp_path: Path) -> None:
    with Store(str(tmp_path / "l.db")) as store:
        for doc in CORPUS:
            store.put(doc)
        found = {
            name: (type_, claims, aliases) for _, name, type_, claims, aliases in actor_rows(store)
        }
        # the most frequent form names the actor; on a tie, the fuller one
        assert found["Donald J. Trump"] == ("person", 2, ("Donald J. Trump", "Donald Trump"))
        assert found["The Trump campaign"][0] == "organisation"
        assert {"Hillary Clinton", "Bill Clinton", "Clinton"} <= found.keys()
        trump = next(row for row in store.sources() if row.name == "Donald J. Trump")
        assert trump.actor_id is not None
        rows = store.claims(ClaimFilter(actor=trump.actor_id))
        assert sorted(row.claim.source.text for row in rows if row.claim.source) == [
            "Donald J. Trump",
            "Donald Trump",
        ]
        assert {row.source_name for row in rows} == {"Donald J. Trump"}
        assert store.actor(trump.actor_id) == trump
        assert store.actor("a-none") is None


def test_actors_do_not_depend_on_ingest_order_and_survive_a_reprocess(tmp_path: Path) -> None:
    with Store(str(tmp_path / "a.db")) as store:
        for doc in CORPUS:
            store.put(doc)
        forward = actor_rows(store)
        # a reprocess replaces a document's claims: nothing is counted twice
        store.put(CORPUS[0], replace=True)
        assert actor_rows(store) == forward
    with Store(str(tmp_path / "b.db")) as store:
        for doc in reversed(CORPUS):
            store.put(doc)
        assert actor_rows(store) == forward


def test_a_later_full_name_takes_an_earlier_surname_into_its_actor(tmp_path: Path) -> None:
    rubio_alone = _document("Rubio spoke.", [("Rubio", "Rubio", "PERSON")])
    rubio_full = _document("Marco Rubio spoke.", [("Marco Rubio", "Marco Rubio", "PERSON")])
    rubio_again = _document("Marco Rubio spoke again.", [("Marco Rubio", "Marco Rubio", "PERSON")])
    with Store(str(tmp_path / "l.db")) as store:
        store.put(rubio_alone)
        assert [row[1] for row in actor_rows(store)] == ["Rubio"]
        store.put(rubio_full)
        assert sorted((row[1], row[3]) for row in actor_rows(store)) == [
            ("Marco Rubio", 1),
            ("Rubio", 1),
        ]
        store.put(rubio_again)
        assert [(row[1], row[3]) for row in actor_rows(store)] == [("Marco Rubio", 3)]


def test_a_ledger_made_before_actors_gets_them_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    with Store(str(path)) as store:
        for doc in CORPUS:
            store.put(doc)
        expected = actor_rows(store)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "actors" not in tables
    with Store(str(path)) as store:
        assert current_revision(store.engine) == "0006"
        assert actor_rows(store) == expected
