"""The public Python API: what ``claimtrace`` exports, and that it works."""

from __future__ import annotations

import claimtrace
from claimtrace import Extraction


def test_everything_in_all_is_exported() -> None:
    for name in claimtrace.__all__:
        assert hasattr(claimtrace, name), name
    assert {"extract", "Extractor", "Extraction", "json_schema", "__version__"} <= set(
        claimtrace.__all__
    )


def test_extract_text_with_metadata() -> None:
    result = claimtrace.extract(
        "Officials said 12 ships were delayed.", published="2024-05-14", title="Port", model="rules"
    )
    assert isinstance(result, Extraction)
    assert (result.document.published, result.document.title) == ("2024-05-14", "Port")
    assert result.pipeline.version == claimtrace.__version__


def test_extract_html() -> None:
    html = (
        "<html><body><article><p>"
        + "The union said the strike was over. " * 4
        + "</p></article></body></html>"
    )
    result = claimtrace.extract(html, html=True, model="rules")
    assert result.document.format == "html"
    assert result.document.text.startswith("The union said the strike was over.")


def test_bad_input_raises_an_input_error() -> None:
    import pytest

    with pytest.raises(claimtrace.InputError, match="only whitespace"):
        claimtrace.extract("   ", model="rules")


def test_built_documents_extract_like_raw_inputs(rules_extractor: claimtrace.Extractor) -> None:
    from claimtrace.ingest import RawInput, build_document

    raw = [RawInput("a.txt", "Police said two people died.", "text"), RawInput("b.txt", "", "text")]
    from_raw = list(rules_extractor.extract_inputs(raw))
    built: list[claimtrace.records.DocumentRecord | claimtrace.InputError] = []
    for item in raw:
        try:
            built.append(build_document(item))
        except claimtrace.InputError as err:
            built.append(err)
    from_built = list(rules_extractor.extract_documents(built))
    assert isinstance(from_built[1], claimtrace.InputError)
    assert from_built[0] == from_raw[0]
    assert str(from_built[1]) == str(from_raw[1])
