"""Golden outputs for the sample articles shipped in the package.

Regenerate after an intended change with ``CLAIMTRACE_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff: it is the change in behaviour.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from claimtrace import Extraction, Extractor, to_json
from claimtrace.demo import sample_inputs

GOLDEN = Path(__file__).parent / "golden"
#: Read at import: the autouse fixture clears CLAIMTRACE_* variables before each test runs.
UPDATE = bool(os.environ.get("CLAIMTRACE_UPDATE_GOLDEN"))


def _sample_extractions(extractor: Extractor) -> dict[str, Extraction]:
    results = list(extractor.extract_inputs(sample_inputs()))
    extractions = [r for r in results if isinstance(r, Extraction)]
    assert len(extractions) == len(results), results
    return {_stem(r.document.input): r for r in extractions}


def _stem(name: str) -> str:
    return name.removeprefix("samples/").replace("/", "_").replace(":", "_")


@pytest.fixture(scope="module")
def sample_outputs(extractor: Extractor) -> dict[str, Extraction]:
    return _sample_extractions(extractor)


def test_every_sample_has_a_golden_file(sample_outputs: dict[str, Extraction]) -> None:
    if UPDATE:
        for name, extraction in sample_outputs.items():
            (GOLDEN / f"{name}.json").write_text(to_json(extraction) + "\n", encoding="utf-8")
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(sample_outputs)


@pytest.mark.parametrize("name", sorted(p.stem for p in GOLDEN.glob("*.json")))
def test_sample_output_matches_golden(sample_outputs: dict[str, Extraction], name: str) -> None:
    expected = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
    actual = json.loads(to_json(sample_outputs[name]))
    assert actual == expected
    assert sample_outputs[name].check_spans() == []
