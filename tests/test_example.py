"""The shared example article, through the command the foundation issue names."""

from __future__ import annotations

import json

import jsonschema
import pytest

from claimtrace import json_schema
from claimtrace.cli import EXIT_OK, main
from tests.conftest import shared_path


def test_example_extracts_to_contract_valid_json(capsys: pytest.CaptureFixture[str]) -> None:
    example = shared_path("examples", "women-prisoners-front-line.txt")
    code = main(["extract", str(example), "--published", "2023-03-10", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == EXIT_OK, err
    data = json.loads(out)
    jsonschema.validate(data, json_schema())
    document = data["document"]
    raw = example.read_text("utf-8")
    assert document["published"] == "2023-03-10"
    assert document["encoding"] == "utf-8"
    assert len(document["repairs"]) == 16
    assert all((r["before"], r["after"]) == ("Â", "") for r in document["repairs"])
    assert document["text"] == raw.replace("Â", "")
    assert "‘heavy losses’" in document["text"]
    for span in data["sentences"]:
        assert document["text"][span["start"] : span["end"]] == span["text"]
    texts = [s["text"] for s in data["sentences"]]
    # The quote that runs over two sentences, and the sentence ending in "why." before a bare
    # line break, are split where a reader would split them.
    assert "One of the carriages [was for] convicted women.’" in texts
    assert any(t.startswith("However, there is now evidence") for t in texts)
    assert len(texts) == 16
