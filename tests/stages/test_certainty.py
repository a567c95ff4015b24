"""The certainty stage: certainty from the cue's class or the author's hedges; negated content."""

from __future__ import annotations

import pytest

from claimtrace import Extractor, Settings


@pytest.mark.parametrize(
    ("text", "certainty", "negated"),
    [
        ("Male prisoners have been recruited in Russia.", "asserted", False),
        ("The army may have crossed the river overnight.", "hypothetical", False),
        ("If the army crosses the river, the town will fall.", "hypothetical", False),
        ("The army apparently crossed the river overnight.", "evidential", False),
        ("The group will no longer recruit prisoners.", "asserted", True),
        ("The army did not cross the river overnight.", "asserted", True),
        ("Officials claimed that the army crossed the river.", "claimed", False),
        ("Officials believe that the army crossed the river.", "believed", False),
        ("Officials denied that the army crossed the river.", "denied", True),
        ("Officials said that the army never crossed the river.", "reported", True),
        ("The minister alleged that the army crossed the river.", "alleged", False),
        ("According to officials, the army crossed the river.", "reported", False),
    ],
)
def test_certainty_and_polarity(
    rules_extractor: Extractor, text: str, certainty: str, negated: bool
) -> None:
    claim = rules_extractor.extract_text(text).claims[0]
    assert (claim.certainty, claim.negated) == (certainty, negated)


def test_skipping_certainty_keeps_the_cue_certainty_and_no_polarity() -> None:
    extractor = Extractor(Settings(model="rules", skip_stages=("certainty",)))
    claim = extractor.extract_text("Officials denied that the army crossed the river.").claims[0]
    assert (claim.certainty, claim.negated) == ("denied", False)
    assert "polarity:negated" not in claim.evidence


def test_negation_is_recorded_as_evidence(rules_extractor: Extractor) -> None:
    claim = rules_extractor.extract_text("The group will no longer recruit prisoners.").claims[0]
    assert "polarity:negated" in claim.evidence
