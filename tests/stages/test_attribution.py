"""The attribution stage: cues, sources, contents, quotes, nesting and author assertions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from claimtrace import Extraction, Extractor, Settings
from claimtrace.records import Claim
from claimtrace.stages.attribution_lexicon import CERTAINTY, load_lexicon
from claimtrace.stages.quotes import find_quotes
from tests.conftest import EXAMPLE, ROOT, shared_path

# --- the parsed pipeline: embedded model, else the newest trained one, else skip -------------


def _trained_models() -> list[Path]:
    embedded = ROOT / "src" / "claimtrace" / "nlp" / "model"
    if (embedded / "meta.json").is_file():
        return [embedded]
    found = [
        path
        for pattern in ("training/output/*/model-best", "training/output/*/model-last")
        for path in ROOT.glob(pattern)
        if (path / "meta.json").is_file() and (path / "config.cfg").is_file()
    ]
    return sorted(found, key=_recorded_quality, reverse=True)


def _recorded_quality(path: Path) -> tuple[float, float]:
    """Parse + NER scores recorded by training, then recency: training runs come and go."""
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    performance = meta.get("performance", {})
    score = sum(float(performance.get(key) or 0.0) for key in ("dep_las", "ents_f"))
    return score, (path / "meta.json").stat().st_mtime


#: a checkpoint below this labelled attachment score has not learned to parse yet
MIN_LAS = 0.6


def resolve_model() -> str | None:
    """The embedded model, or else the trained pipeline (parser and NER) with the best recorded
    parse + NER scores that loads: a run still training may hold a weak newest checkpoint."""
    for path in _trained_models():
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        if not {"parser", "ner"} <= set(meta.get("pipeline", [])):
            continue
        las = meta.get("performance", {}).get("dep_las")
        if isinstance(las, float) and las < MIN_LAS:
            continue
        try:
            Extractor(Settings(model=str(path)))
        except Exception:  # a model half-written by a running training job
            continue
        return str(path)
    return None


@pytest.fixture(scope="session")
def parsed_extractor() -> Extractor:
    """An extractor over a trained pipeline (tagger, parser, NER); skips when none exists."""
    model = resolve_model()
    if model is None:
        pytest.skip(
            "no trained spaCy pipeline: neither src/claimtrace/nlp/model nor "
            "training/output/*/model-best holds one with a parser and NER"
        )
    return Extractor(Settings(model=model))


def _cued(result: Extraction) -> list[Claim]:
    return [c for c in result.claims if c.cue is not None]


def _row(claim: Claim) -> tuple[str | None, str | None, list[str], str, str, bool]:
    return (
        claim.source.text if claim.source else None,
        claim.cue.text if claim.cue else None,
        [span.text for span in claim.content],
        claim.quote,
        claim.certainty,
        claim.negated,
    )


# --- the lexicon and quotes --------------------------------------------------------------


def test_every_cue_class_maps_to_a_certainty() -> None:
    lexicon = load_lexicon()
    for table in (lexicon.verbs, lexicon.nouns, lexicon.adverbs, lexicon.preps):
        assert set(table.values()) <= set(CERTAINTY)
    assert lexicon.verbs["deny"] == "deny"
    assert CERTAINTY["deny"] == "denied"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said: “Go now.”", ["Go now."]),
        (
            "It added: ‘Last week a train left. One was for women.’",
            ["Last week a train left. One was for women."],
        ),
        ("Some came from a women’s penal colony.", []),
        ("The ‘resistance’ was real, he said of the prisoners’ fate.", ["resistance"]),
        ('"Straight quotes," she said, "work too."', ["Straight quotes,", "work too."]),
        # curly quotes nest: the inner pair does not close the outer quotation
        ("“He calls it “hell” here,” she said.", ["He calls it “hell” here,"]),
    ],
)
def test_quotes_pair_marks_and_skip_apostrophes(text: str, expected: list[str]) -> None:
    assert [text[q.start : q.end] for q in find_quotes(text)] == expected


def test_a_quote_over_paragraphs_is_one_group() -> None:
    text = "“First paragraph of the quote.\n\n“Second paragraph,” she said."
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == [
        "First paragraph of the quote.",
        "Second paragraph,",
    ]
    assert quotes[0].group == quotes[1].group


# --- the rules pipeline: no parser, lower confidence, never a crash -------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The army said that it advanced.",
            [("The army", "said", ["that it advanced"], "indirect", "reported", False)],
        ),
        (
            "“We will win,” the minister said.",
            [("the minister", "said", ["We will win"], "direct", "reported", False)],
        ),
        (
            "It added: ‘Last week a train left. One carriage was for women.’",
            [
                (
                    "It",
                    "added",
                    ["Last week a train left. One carriage was for women"],
                    "direct",
                    "reported",
                    False,
                )
            ],
        ),
        (
            "According to the ministry, 40 soldiers died.",
            [("the ministry", "According to", ["40 soldiers died"], "indirect", "reported", False)],
        ),
        (
            "Officials denied that troops had crossed the border.",
            [
                (
                    "Officials",
                    "denied",
                    ["that troops had crossed the border"],
                    "indirect",
                    "denied",
                    True,
                )
            ],
        ),
    ],
)
def test_rules_pipeline_finds_frames_by_position(
    rules_extractor: Extractor, text: str, expected: list[tuple[Any, ...]]
) -> None:
    result = rules_extractor.extract_text(text)
    assert [_row(c) for c in _cued(result)] == expected
    assert all(c.confidence < 0.8 for c in _cued(result))
    assert result.check_spans() == []


def test_rules_pipeline_copes_with_text_without_claims(rules_extractor: Extractor) -> None:
    for text in ["Hello", "“", "’’ ‘‘ ” “", "said said said", "according to", "He said: “"]:
        result = rules_extractor.extract_text(text)
        assert result.check_spans() == []


def test_author_assertions_skip_headlines_questions_and_boilerplate(
    rules_extractor: Extractor,
) -> None:
    text = (
        "Russia Sends Women Prisoners To The Front\n\n"
        "Male prisoners have been recruited in their tens of thousands. "
        "Why would anyone sign up? Read the rest here.\n\n"
        "Correction: An earlier version of this article misstated the date."
    )
    result = rules_extractor.extract_text(text)
    assert [(c.source_kind, c.certainty, c.content[0].text) for c in result.claims] == [
        ("author", "asserted", "Male prisoners have been recruited in their tens of thousands")
    ]


# --- the parsed pipeline: syntax decides ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Ukrainian army has claimed that Putin sought new recruits.",
            [
                (
                    "The Ukrainian army",
                    "has claimed",
                    ["that Putin sought new recruits"],
                    "indirect",
                    "claimed",
                    False,
                )
            ],
        ),
        (
            "Secret Service protocol called for a hospital visit, sources said.",
            [
                (
                    "sources",
                    "said",
                    ["Secret Service protocol called for a hospital visit"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        (
            "The Russian government has reportedly sent women prisoners to the front line.",
            [
                (
                    None,
                    "reportedly",
                    ["The Russian government has", "sent women prisoners to the front line"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        (
            "Earlier this week, there were reports that Russia had moved convicts to Kuschevka.",
            [
                (
                    None,
                    "reports",
                    ["that Russia had moved convicts to Kuschevka"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        (
            "The new plan, officials say, will cost $3 billion.",
            [
                (
                    "officials",
                    "say",
                    ["The new plan", "will cost $3 billion"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        (
            "Back in Virginia, Mr. Clarke said, he decided to act.",
            [
                (
                    "Mr. Clarke",
                    "said",
                    ["Back in Virginia", "he decided to act"],
                    "indirect",
                    "reported",
                    False,
                ),
            ],
        ),
        (
            "She continued, “All we are asking for is an opportunity.”",
            [
                (
                    "She",
                    "continued",
                    ["All we are asking for is an opportunity"],
                    "direct",
                    "reported",
                    False,
                )
            ],
        ),
        ("The rebels continued to fight.", []),
        (
            "British Prime Minister Theresa May said the deal was done.",
            [
                (
                    "British Prime Minister Theresa May",
                    "said",
                    ["the deal was done"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        (
            "On Monday Mike Pence said the plan would work.",
            [("Mike Pence", "said", ["the plan would work"], "indirect", "reported", False)],
        ),
        (
            "The Security Council on Friday pledged that it would act.",
            [
                (
                    "The Security Council",
                    "pledged",
                    ["that it would act"],
                    "indirect",
                    "claimed",
                    False,
                )
            ],
        ),
        (
            "He also wants to extend paid leave to new mothers.",
            [
                (
                    "He",
                    "also wants",
                    ["to extend paid leave to new mothers"],
                    "indirect",
                    "believed",
                    False,
                )
            ],
        ),
        # a sentence-final frame the parser misreads: ", <noun phrase> <cue verb>."
        (
            "Turnout fell sharply in the city, data from the election board show.",
            [
                (
                    "data from the election board",
                    "show",
                    ["Turnout fell sharply in the city"],
                    "indirect",
                    "evidential",
                    False,
                )
            ],
        ),
        # a verbal complement right after the cue and its particle
        (
            "The senator has called for cutting the payroll tax.",
            [
                (
                    "The senator",
                    "has called for",
                    ["cutting the payroll tax"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        # a colon that ends the line: the next paragraph is the block quotation
        (
            "The mayor added:\n\nThe bridge will reopen in May after repairs.",
            [
                (
                    "The mayor",
                    "added",
                    ["The bridge will reopen in May after repairs"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        # "states" as a plural noun after a verb is no cue
        ("Prices rose in most towns, giving states more revenue.", []),
        # an aside marked by "as": the rest of the sentence is what was said
        (
            "As economists have pointed out, Mr. Jones is free to sell his shares.",
            [
                (
                    "economists",
                    "have pointed out",
                    ["Mr. Jones is free to sell his shares"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        # a source after its cue keeps the appositive that says who it is
        (
            "“The bridge is unsafe,” said Tom Reed, a civil engineer at the state university.",
            [
                (
                    "Tom Reed, a civil engineer at the state university",
                    "said",
                    ["The bridge is unsafe"],
                    "direct",
                    "reported",
                    False,
                )
            ],
        ),
        # a participle set off by commas says what the source did, not who it is
        (
            "The mayor, speaking at a rally in Dayton, said the plant would stay open.",
            [
                (
                    "The mayor",
                    "said",
                    ["the plant would stay open"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        # auxiliaries, negation, adverbs and the verb's particle make the cue; a time does not
        (
            "The company did not immediately respond to a request for comment.",
            [
                (
                    "The company",
                    "did not immediately respond to",
                    ["a request for comment"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        (
            "The minister said Friday that talks would resume.",
            [
                (
                    "The minister",
                    "said",
                    ["that talks would resume"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        # a governing verb and its open complement make one cue, reported once
        (
            "The senator has steadfastly refused to disclose his tax returns.",
            [
                (
                    "The senator",
                    "has steadfastly refused to disclose",
                    ["his tax returns"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        # ... but a reporting adverb inside a verb's cue still reports on its own
        (
            "Officials reportedly expect the strike to end soon.",
            [
                (
                    None,
                    "reportedly",
                    ["Officials", "expect the strike to end soon"],
                    "indirect",
                    "reported",
                    False,
                ),
                (
                    "Officials",
                    "reportedly expect",
                    ["the strike to end soon"],
                    "indirect",
                    "believed",
                    False,
                ),
            ],
        ),
        # a second cue sharing the subject ends the first content ("…, and plans to …")
        (
            "He proposes getting rid of the federal rule, and plans to lower the price of fuel.",
            [
                (
                    "He",
                    "proposes",
                    ["getting rid of the federal rule"],
                    "indirect",
                    "claimed",
                    False,
                ),
                (
                    "He",
                    "plans",
                    ["to lower the price of fuel"],
                    "indirect",
                    "believed",
                    False,
                ),
            ],
        ),
        # a cue the tagger read as a noun ("plans"), its infinitive hung elsewhere by the parser
        (
            "The governor's running mate, Senator Tom Hale, plans to release his own returns soon.",
            [
                (
                    "The governor's running mate, Senator Tom Hale",
                    "plans",
                    ["to release his own returns soon"],
                    "indirect",
                    "believed",
                    False,
                )
            ],
        ),
        # a preposition taken into the cue as its particle leads to the content
        (
            "The minister pointed to rising fuel costs.",
            [
                (
                    "The minister",
                    "pointed to",
                    ["rising fuel costs"],
                    "indirect",
                    "reported",
                    False,
                )
            ],
        ),
        # "spoke to reporters": an audience, not a content
        ("The governor spoke to reporters after the meeting.", []),
    ],
)
def test_parsed_pipeline_attributions(
    parsed_extractor: Extractor, text: str, expected: list[tuple[Any, ...]]
) -> None:
    result = parsed_extractor.extract_text(text)
    assert [_row(c) for c in _cued(result) if c.parent is None] == expected
    assert result.check_spans() == []


def test_line_frames_dash_bylines_and_headline_colons(parsed_extractor: Extractor) -> None:
    text = (
        "Mayor Blasts Utility Chief: ‘You Should Resign.’\n\n"
        "”The roads here are a disgrace and nobody fixes them.” ― Maria Lopez\n\n"
        "Scott added: “I will raise what is necessary.”"
    )
    rows = [
        (c.source.text if c.source else None, c.cue.text, c.content[0].text.strip("‘’“”"))
        for c in parsed_extractor.extract_text(text).claims
        if c.cue and c.parent is None
    ]
    assert rows == [
        ("Mayor Blasts Utility Chief", ":", "You Should Resign."),
        ("Maria Lopez", "―", "The roads here are a disgrace and nobody fixes them"),
        ("Scott", "added", "I will raise what is necessary"),  # the verb, not the colon
    ]


def test_nested_attribution_links_to_its_parent(parsed_extractor: Extractor) -> None:
    text = "‘It is also known that they are sent to Russia for training,’ the general staff said."
    result = parsed_extractor.extract_text(text)
    outer = next(c for c in result.claims if c.cue and c.cue.text == "said")
    inner = [c for c in result.claims if c.parent == outer.id]
    assert outer.quote == "direct"
    assert outer.source is not None
    assert outer.source.text == "the general staff"
    assert [c.cue.text for c in inner if c.cue] == ["is also known"]
    assert inner[0].certainty == "evidential"


def test_pronoun_source_resolves_to_the_earlier_source(parsed_extractor: Extractor) -> None:
    text = (
        "The Ukrainian army has claimed that Putin sought new recruits.\n\n"
        "It added: ‘Last week a train left for the front.’"
    )
    result = parsed_extractor.extract_text(text)
    added = next(c for c in result.claims if c.cue and c.cue.text == "added")
    antecedents = [e for e in added.evidence if e.startswith("antecedent:")]
    assert len(antecedents) == 1
    start, end = map(int, antecedents[0].rsplit(":", 1)[1].split("-"))
    assert text[start:end] == "The Ukrainian army"


# --- the example article: the analyst's expectations, without rules written for it ----------


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _entity_text(claim: Claim, text: str) -> str:
    """What the source resolves to: the antecedent recorded in evidence, else the source."""
    for item in claim.evidence:
        if item.startswith("antecedent:"):
            start, end = map(int, item.rsplit(":", 1)[1].split("-"))
            return text[start:end]
    return claim.source.text if claim.source else ""


def _claim_is_right(claim: Claim, expected: dict[str, Any], text: str) -> bool:
    content = _norm(" ".join(span.text for span in claim.content))
    if _norm(expected["content"]) not in content:
        return False
    if "also_contains" in expected and _norm(expected["also_contains"]) not in content:
        return False
    checks = {
        "source": lambda v: claim.source is not None and _norm(v) in _norm(claim.source.text),
        "source_kind": lambda v: claim.source_kind == v,
        "source_entity": lambda v: _norm(v) in _norm(_entity_text(claim, text)),
        "cue": lambda v: claim.cue is not None and _norm(v) in _norm(claim.cue.text),
        "certainty": lambda v: claim.certainty == v,
        "quote": lambda v: claim.quote == v,
        "negated": lambda v: claim.negated == v,
    }
    return all(
        any(check(value) for value in _listed(expected[key]))
        for key, check in checks.items()
        if key in expected
    )


def score_example(result: Extraction, expected: list[dict[str, Any]]) -> list[str]:
    """The expected claims that no extracted claim gets right (content, then every field)."""
    text = result.document.text
    return [
        item["content"]
        for item in expected
        if not any(_claim_is_right(claim, item, text) for claim in result.claims)
    ]


def test_example_article_claims_come_out_right(parsed_extractor: Extractor) -> None:
    example = shared_path("examples", EXAMPLE.name)
    expected = yaml.safe_load(example.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
    result = parsed_extractor.extract_text(example.read_text(encoding="utf-8"))
    missed = score_example(result, expected["claims"])
    assert len(expected["claims"]) - len(missed) >= 13, f"missed: {missed}"
    assert result.check_spans() == []


# --- PolNeAR dev: the issue's floors, and the baseline reached so far ------------------------

#: floors required by the issue (overlap F1 per role; exact F1 for content)
ISSUE_FLOORS = {("overlap", "cue"): 0.75, ("overlap", "source"): 0.70}
ISSUE_FLOORS |= {("overlap", "content"): 0.70, ("exact", "content"): 0.50}
#: what the rules reach today on dev with the embedded pipeline (2026-11-25: overlap F1 0.613
#: cue, 0.686 source, 0.741 content; exact F1 0.691 cue, 0.689 source, 0.505 content), less a
#: margin: a change that falls below these lowers accuracy; raise them when accuracy rises
BASELINE = {("overlap", "cue"): 0.60, ("overlap", "source"): 0.67}
BASELINE |= {("overlap", "content"): 0.72, ("exact", "content"): 0.49}
BASELINE |= {("exact", "cue"): 0.67, ("exact", "source"): 0.67}


@pytest.fixture(scope="module")
def polnear_scores(parsed_extractor: Extractor) -> dict[str, Any]:
    shared_path("data", "attribution", "polnear", "dev", "attributions")
    from bench.attribution import evaluate

    return evaluate("dev", model=resolve_model(), timing=False)


def _f1(scores: dict[str, Any], kind: str, role: str) -> float:
    value = scores[kind][role]["f1"]
    assert isinstance(value, float)
    return value


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.parametrize(("kind", "role"), sorted(BASELINE))
def test_polnear_dev_holds_the_baseline(
    polnear_scores: dict[str, Any], kind: str, role: str
) -> None:
    assert _f1(polnear_scores, kind, role) >= BASELINE[kind, role]


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.xfail(
    strict=True,
    reason="known miss: rules + the embedded model reach about 0.61 cue / 0.69 source "
    "overlap F1 (content 0.74 and exact content 0.505 pass); remove this mark when they pass",
)
def test_polnear_dev_reaches_the_issue_floors(polnear_scores: dict[str, Any]) -> None:
    missed = {
        f"{kind} {role}": _f1(polnear_scores, kind, role)
        for (kind, role), floor in ISSUE_FLOORS.items()
        if _f1(polnear_scores, kind, role) < floor
    }
    assert not missed, missed


@pytest.mark.parametrize(
    "text",
    [
        ";\" Friday '’to disclose that SMr. Smith —that refused ",  # a cue at the very end
        "” ― X",  # a dash byline with nothing quoted
        "Mayor Blasts Chief: ‘",
        "He added:\n\n",
        "“a “b “c",
    ],
)
def test_odd_text_gives_valid_spans(parsed_extractor: Extractor, text: str) -> None:
    assert parsed_extractor.extract_text(text).check_spans() == []


def test_a_quoted_fragment_before_the_cue_yields_to_the_verbs_clause(
    parsed_extractor: Extractor,
) -> None:
    text = "Branding the regime an “outlaw nation,” the minister said that sanctions would follow."
    said = [c for c in parsed_extractor.extract_text(text).claims if c.cue and c.cue.text == "said"]
    assert [(c.source.text if c.source else None, [s.text for s in c.content]) for c in said] == [
        ("the minister", ["that sanctions would follow"])
    ]
