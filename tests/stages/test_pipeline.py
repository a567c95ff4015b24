from __future__ import annotations

import pytest

from claimtrace import ConfigError, Extractor, Settings
from claimtrace.errors import StageError
from claimtrace.ingest import RawInput, build_document
from claimtrace.stages import STAGE_ORDER, STAGES, check_stage_names, run_stages
from claimtrace.stages.context import Findings, StageContext


def test_order_lists_every_implemented_stage_once() -> None:
    assert len(set(STAGE_ORDER)) == len(STAGE_ORDER)
    assert set(STAGES) <= set(STAGE_ORDER)
    assert STAGE_ORDER[0] == "sentences"


def test_metadata_reports_every_stage_in_order_and_never_pretends(
    rules_extractor: Extractor,
) -> None:
    result = rules_extractor.extract_text("The army said so. Nobody else did.")
    assert [s.name for s in result.pipeline.stages] == list(STAGE_ORDER)
    for report in result.pipeline.stages:
        expected = "ran" if report.name in STAGES else "not_implemented"
        assert report.status == expected
    if "attribution" not in STAGES:  # a stage that does not exist yet leaves its list empty
        assert result.claims == ()


def test_a_stage_can_be_switched_off_by_name() -> None:
    extractor = Extractor(Settings(model="rules", skip_stages=("sentences",)))
    result = extractor.extract_text("One. Two.")
    assert result.sentences == ()
    assert result.pipeline.stages[0].status == "skipped"


def test_unknown_stage_name_is_a_config_error_listing_the_stages() -> None:
    with pytest.raises(
        ConfigError, match=r"unknown stage 'atribution'; the stages are: sentences, "
    ):
        check_stage_names(["atribution"])


def test_a_failing_stage_becomes_a_stage_error_for_that_document(
    rules_extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(doc: object, ctx: StageContext) -> Findings:
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(STAGES, "sentences", broken)
    record = build_document(RawInput("x.txt", "Text.", "text"))
    with pytest.raises(
        StageError, match=r"^x\.txt: stage 'sentences' failed: ZeroDivisionError: boom"
    ):
        run_stages(rules_extractor.nlp(record.text), record)
