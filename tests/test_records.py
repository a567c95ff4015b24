from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from claimtrace import Extractor, json_schema, to_json
from claimtrace.records import Claim, Extraction, Span, stable_id


def test_span_checks_its_own_length() -> None:
    assert Span.of("abc def", 4, 7) == Span(start=4, end=7, text="def")
    with pytest.raises(ValidationError, match="covers"):
        Span(start=0, end=5, text="abc")
    with pytest.raises(ValidationError, match="before its start"):
        Span(start=5, end=2, text="")


def test_records_are_frozen_and_strict() -> None:
    span = Span(start=0, end=1, text="a")
    with pytest.raises(ValidationError):
        span.start = 3  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        Span(start=0, end=1, text="a", colour="red")  # type: ignore[call-arg]


def test_output_validates_against_the_published_schema(rules_extractor: Extractor) -> None:
    result = rules_extractor.extract_text(
        "The army said 100 soldiers left. “Fine,” he said.", published="2023-03-10"
    )
    jsonschema.Draft202012Validator.check_schema(json_schema())
    jsonschema.validate(json.loads(to_json(result)), json_schema())


def test_schema_names_the_contract_fields() -> None:
    schema = json_schema()
    assert set(schema["properties"]) >= {
        "schema_version",
        "document",
        "claims",
        "entities",
        "places",
        "quantities",
        "times",
    }
    claim = schema["$defs"]["Claim"]["properties"]
    assert set(claim) >= {
        "id",
        "source",
        "source_kind",
        "source_entity",
        "cue",
        "content",
        "quote",
        "certainty",
        "negated",
        "parent",
        "confidence",
        "entities",
        "places",
        "quantities",
        "times",
    }
    assert set(schema["$defs"]["Claim"]["properties"]["certainty"]["enum"]) == {
        "asserted",
        "reported",
        "claimed",
        "believed",
        "alleged",
        "denied",
        "evidential",
        "hypothetical",
    }


def test_serialisation_is_deterministic_with_sorted_keys(rules_extractor: Extractor) -> None:
    text = "Zebra said. Apple said."
    first = to_json(rules_extractor.extract_text(text))
    second = to_json(rules_extractor.extract_text(text))
    assert first == second
    data = json.loads(first)
    assert list(data) == sorted(data)
    assert list(data["document"]) == sorted(data["document"])


def test_check_spans_catches_a_span_that_does_not_match_the_text(
    rules_extractor: Extractor,
) -> None:
    result = rules_extractor.extract_text("The ministry said it. It denied it.")
    assert result.check_spans() == []
    claim = Claim(
        id="c-1",
        source=Span(start=0, end=3, text="Abc"),
        source_kind="named",
        cue=None,
        content=(Span(start=4, end=12, text="ministry"),),
        quote="none",
        certainty="asserted",
        confidence=0.5,
    )
    broken = Extraction.model_validate({**result.model_dump(), "claims": [claim.model_dump()]})
    assert broken.check_spans() == ["claims[0].source: 'Abc' != text[0:3]"]


def test_stable_id_depends_only_on_its_inputs() -> None:
    doc = "f" * 64
    assert stable_id("c", doc, 1, 2) == stable_id("c", doc, 1, 2)
    assert stable_id("c", doc, 1, 2) != stable_id("c", doc, 1, 3)
    assert stable_id("c", doc, 1, 2).startswith("c-ffffffffff-")
