from __future__ import annotations

import pytest

from claimtrace import Extractor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Headline without a full stop\n\nThe army said it advanced. Officials denied it.",
            ["Headline without a full stop", "The army said it advanced.", "Officials denied it."],
        ),
        (
            "It added: ‘Last week a train left. One carriage was for women.’\nEarlier, reports.",
            [
                "It added: ‘Last week a train left.",
                "One carriage was for women.’",
                "Earlier, reports.",
            ],
        ),
        (
            "The minister said the plan\nwould be delayed by a month.",
            ["The minister said the plan\nwould be delayed by a month."],
        ),
        ("  \n  Padded sentence.  \n ", ["Padded sentence."]),
    ],
)
def test_sentences_follow_punctuation_and_paragraphs(
    rules_extractor: Extractor, text: str, expected: list[str]
) -> None:
    result = rules_extractor.extract_text(text)
    assert [s.text for s in result.sentences] == expected
    for span in result.sentences:
        assert result.document.text[span.start : span.end] == span.text


def test_default_pipeline_segments_the_example_shape(extractor: Extractor) -> None:
    text = (
        "Prigozhin claimed last month that his group will stop.Â\nHowever, there is now evidence."
    )
    result = extractor.extract_text(text)
    assert [s.text for s in result.sentences] == [
        "Prigozhin claimed last month that his group will stop.",
        "However, there is now evidence.",
    ]
