"""The attribution trace: which rules were tried, vetoed and accepted on each candidate token,
what each pass changed, and that tracing changes nothing in the extraction."""

from __future__ import annotations

import pytest

from claimtrace import Extraction, Extractor, Settings
from claimtrace.explain import as_json, select
from claimtrace.records import to_json
from claimtrace.stages.attribution import Trace, TraceEvent, explain, tracing
from claimtrace.stages.attribution.stage import FRAMES, PASSES, WORD_FRAMES
from claimtrace.stages.attribution.trace import (
    INNER_CUES,
    LINE_FRAMES,
    PASS,
    SENTENCE_FINAL,
    active_trace,
)
from tests.conftest import EXAMPLE

#: every rule name the trace may give: the registries' names and the steps around them
KNOWN_RULES = (
    {name for name, _ in FRAMES}
    | {name for name, _, _ in WORD_FRAMES}
    | {PASS + name for name, _ in PASSES}
    | {LINE_FRAMES, SENTENCE_FINAL, INNER_CUES, "not-a-report", "cue"}
)


def _shown(trace: Trace, token: str) -> list[TraceEvent]:
    """The events on ``token`` other than rules that do not apply to it."""
    return [e for e in trace.events if e.token == token and e.outcome != "skipped"]


def _cued(extraction: Extraction) -> list[str]:
    return [c.cue.text for c in extraction.claims if c.cue is not None]


def test_the_reporting_verb_frame_accepts_said(extractor: Extractor) -> None:
    extraction, trace = explain(extractor, "The minister said the bridge was closed.")
    (claim,) = extraction.claims
    assert claim.cue is not None
    assert claim.cue.text == "said"
    accepted = [e for e in _shown(trace, "said") if e.outcome == "accepted"]
    assert [(e.rule, e.start, e.sentence, e.claim) for e in accepted] == [
        ("lexicon", 13, 1, claim.id)
    ]
    assert "cue:verb:say" in accepted[0].detail
    assert trace.accepting(claim.id) == accepted[0]
    # the frames before the lexicon's were tried on it first and did not apply
    tried = [e.rule for e in trace.events if e.token == "said"]
    assert tried[-1] == "lexicon"
    assert set(tried[:-1]) <= {name for name, _ in FRAMES}


def test_a_verb_that_reports_nothing_is_tried_and_vetoed_with_no_claim(
    extractor: Extractor,
) -> None:
    extraction, trace = explain(extractor, "The minister closed the bridge on Monday.")
    assert _cued(extraction) == []
    events = _shown(trace, "closed")
    assert events
    assert all(e.outcome in ("tried", "vetoed") for e in events)
    assert any(e.outcome == "vetoed" and "not in the lexicon" in e.detail for e in events)
    assert not any(
        e.outcome == "accepted" and e.rule in KNOWN_RULES - {PASS + "author"} for e in trace.events
    )
    # the sentence is the author's: the author pass says it added it
    (author,) = extraction.claims
    assert trace.accepting(author.id) is not None
    assert trace.accepting(author.id).rule == PASS + "author"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "token", "rule", "reason"),
    [
        ("He pushed the door of the hall.", "pushed", "lexicon", "particle"),
        ("Having said that, the plan failed badly in the end.", "said", "not-a-report", "turning"),
        ("Speaking to reporters, Smith walked to the car.", "Speaking", "not-a-report", "scene"),
    ],
)
def test_an_early_reject_is_a_veto_with_its_reason(
    extractor: Extractor, text: str, token: str, rule: str, reason: str
) -> None:
    extraction, trace = explain(extractor, text)
    assert token not in " ".join(_cued(extraction))
    vetoes = [e for e in _shown(trace, token) if e.outcome == "vetoed"]
    assert [e.rule for e in vetoes] == [rule]
    assert reason in vetoes[0].detail


def test_passes_record_what_they_changed(extractor: Extractor) -> None:
    extraction, trace = explain(
        extractor, "“We will win,” she said. “The enemy is weak and tired.”"
    )
    (claim,) = [c for c in extraction.claims if c.cue is not None]
    changes = {e.rule: e for e in trace.for_claim(claim.id) if e.outcome == "edited"}
    assert "content:follow-on-quote" in changes[PASS + "follow-ons"].detail
    assert "quote indirect → direct" in changes[PASS + "sources"].detail
    # a pass that changed nothing says so once, for the whole document
    unchanged = [e for e in trace.events if e.start < 0]
    assert all(e.detail == "no change" and e.sentence == 0 for e in unchanged)


def test_a_cue_inside_a_longer_one_is_vetoed_by_the_inner_cue_rule(
    extractor: Extractor,
) -> None:
    extraction, trace = explain(extractor, "The company refused to disclose the price of the deal.")
    assert _cued(extraction) == ["refused to disclose"]
    dropped = [e for e in trace.events if e.rule == INNER_CUES]
    assert [(e.token, e.outcome, e.claim) for e in dropped] == [("refused", "vetoed", None)]
    made = trace.accepting(extraction.claims[0].id)
    assert made is not None
    assert (made.rule, made.token) == ("lexicon", "disclose")


def test_tracing_is_off_unless_asked(extractor: Extractor) -> None:
    assert active_trace() is None
    with tracing() as trace:
        assert active_trace() is trace
        extractor.extract_text("Officials said it rained.")
    assert active_trace() is None
    assert trace.events
    count = len(trace.events)
    extractor.extract_text("Officials said it rained.")
    assert len(trace.events) == count


@pytest.mark.shared_data("examples/women-prisoners-front-line.txt")
@pytest.mark.parametrize("model", [None, "rules"])
def test_tracing_leaves_the_extraction_unchanged(extractor: Extractor, model: str | None) -> None:
    chosen = extractor if model is None else Extractor(Settings(model=model))
    text = EXAMPLE.read_text("utf-8")
    plain = chosen.extract_text(text, published="2023-03-10")
    traced, trace = explain(chosen, text, published="2023-03-10")
    assert to_json(traced) == to_json(plain)
    assert {e.rule for e in trace.events} <= KNOWN_RULES
    # every claim but the author's has the frame that made it, in its own sentence
    for claim in traced.claims:
        made = trace.accepting(claim.id)
        assert made is not None, claim
        if claim.cue is not None:
            assert made.rule in KNOWN_RULES - {PASS + name for name, _ in PASSES}
            assert traced.sentences[made.sentence - 1].start <= claim.cue.start


def test_select_narrows_to_a_claim_and_its_sentence(extractor: Extractor) -> None:
    text = "The weather was fine all day. The minister said the bridge was closed."
    extraction, trace = explain(extractor, text)
    (claim,) = [c for c in extraction.claims if c.cue is not None]
    data = as_json(select(extraction, trace, claim=claim.id[:16]))
    assert data["claim"] == claim.id
    assert [s["sentence"] for s in data["sentences"]] == [2]
    assert [(c["id"], c["rule"], c["token"]) for c in data["claims"]] == [
        (claim.id, "lexicon", "said")
    ]
    assert data["passes"] == []
