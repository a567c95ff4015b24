from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from claimtrace import Extractor, ModelError, Settings
from claimtrace.nlp import RULES, describe, load_pipeline


def test_rules_pipeline_names_itself() -> None:
    assert describe(load_pipeline(RULES)) == "claimtrace_rules_en 0.1.0"


def test_any_pipeline_folder_can_be_used_and_gets_sentence_boundaries(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.meta["name"] = "tiny"
    nlp.meta["version"] = "1.2.3"
    nlp.to_disk(tmp_path / "tiny")
    extractor = Extractor(Settings(model=str(tmp_path / "tiny")))
    assert extractor.model == "en_tiny 1.2.3"
    result = extractor.extract_text("No newline here. Two sentences.")
    assert [s.text for s in result.sentences] == ["No newline here.", "Two sentences."]
    assert result.pipeline.model == "en_tiny 1.2.3"


def test_a_model_that_is_not_installed_is_one_helpful_error() -> None:
    with pytest.raises(ModelError) as caught:
        load_pipeline("xx_not_a_model")
    message = str(caught.value)
    assert "\n" not in message
    assert "'xx_not_a_model' is not installed" in message
    assert "omit --model to use the embedded default" in message
