"""The attribution stage: cues, sources, contents, quotes, nesting and author assertions."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from claimtrace import Extraction, Extractor, Settings
from claimtrace.records import Claim
from claimtrace.stages.attribution_lexicon import CERTAINTY, load_lexicon
from claimtrace.stages.context import Findings, StageContext
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
        # news archives double the apostrophe for a quotation mark
        ("''It is a mess,'' he said.", ["It is a mess,"]),
        ("The so-called ''Buffett rule'' won't pass.", ["Buffett rule"]),
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


@pytest.mark.shared_data
def test_rules_pipeline_never_crashes_on_a_corpus(tmp_path: Path) -> None:
    """Without a parse spaCy's child links are unset, and a stage that reads them can kill the
    process (a segfault, not an exception): run a whole corpus in a child process."""
    corpus = shared_path("data", "attribution", "polnear", "train", "text")
    done = subprocess.run(
        [sys.executable, "-m", "claimtrace", "extract", str(corpus), "--model", "rules",
         "--format", "jsonl", "--quiet", "--out", str(tmp_path / "out.jsonl")],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == len(
        list(corpus.glob("*.txt"))
    )


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


def _antecedent_text(claim: Claim, text: str) -> str | None:
    for item in claim.evidence:
        if item.startswith("antecedent:"):
            start, end = map(int, item.rsplit(":", 1)[1].split("-"))
            return text[start:end]
    return None


def _confidence(claim: Claim) -> float | None:
    found = [e for e in claim.evidence if e.startswith("antecedent-confidence:")]
    return float(found[0].split(":", 1)[1]) if found else None


def test_first_person_in_a_quote_is_the_quotes_speaker(parsed_extractor: Extractor) -> None:
    text = "“I think the deal is bad,” Hillary Clinton said. “We believe it will fail.”"
    result = parsed_extractor.extract_text(text)
    by_cue = {c.cue.text: c for c in result.claims if c.cue}
    for cue in ("think", "believe"):
        claim = by_cue[cue]
        assert claim.source is not None
        assert claim.source.text in ("I", "We")  # the pronoun stays the source as written
        assert _antecedent_text(claim, text) == "Hillary Clinton"
        assert claim.source_kind == "named"
        assert _confidence(claim) is not None


def test_first_person_in_a_transcript_line_is_its_speaker(parsed_extractor: Extractor) -> None:
    text = "PENCE: I believe we will win this race."
    result = parsed_extractor.extract_text(text)
    claim = next(c for c in result.claims if c.cue and c.cue.text == "believe")
    assert _antecedent_text(claim, text) == "PENCE"


def test_first_person_outside_quotes_is_unresolved(parsed_extractor: Extractor) -> None:
    text = "I think the plan will fail. Smith said I was wrong about it."
    result = parsed_extractor.extract_text(text)
    think = next(c for c in result.claims if c.cue and c.cue.text == "think")
    assert think.source is not None
    assert think.source.text == "I"
    assert think.source_kind == "unresolved"
    assert _antecedent_text(think, text) is None


def test_he_and_she_skip_persons_of_the_other_gender(parsed_extractor: Extractor) -> None:
    text = "Mr. Jones met Ann Smith on Monday. She said the plan would fail. He said it would not."
    result = parsed_extractor.extract_text(text)
    sources = {c.source.text: c for c in result.claims if c.cue and c.source}
    assert _antecedent_text(sources["She"], text) == "Ann Smith"
    assert _antecedent_text(sources["He"], text) == "Jones"
    assert all(sources[p].source_kind == "named" for p in ("He", "She"))
    confidence = _confidence(sources["He"])
    assert confidence is not None
    assert 0.0 < confidence <= 1.0


def test_a_pronoun_for_an_unnamed_source_is_unnamed(parsed_extractor: Extractor) -> None:
    text = "Officials said the bridge was closed. They added that it would reopen on Friday."
    result = parsed_extractor.extract_text(text)
    added = next(c for c in result.claims if c.cue and c.cue.text == "added")
    assert _antecedent_text(added, text) == "Officials"
    assert added.source_kind == "unnamed"


def test_a_pronoun_with_no_antecedent_is_no_named_source(parsed_extractor: Extractor) -> None:
    text = "He said the plan would fail, and they insisted it would."
    result = parsed_extractor.extract_text(text)
    pronouns = [c for c in result.claims if c.source and c.source.text in ("He", "they")]
    assert pronouns
    assert {c.source_kind for c in pronouns} == {"unresolved"}
    assert all(c.source_entity is None for c in pronouns)


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
#: what the rules reach today on dev with the embedded pipeline (2026-11-25, round 5: overlap
#: F1 0.653 cue, 0.747 source, 0.766 content; exact F1 0.708 cue, 0.738 source, 0.537
#: content), less a margin: a change that falls below these lowers accuracy; raise them when
#: accuracy rises
BASELINE = {("overlap", "cue"): 0.645, ("overlap", "source"): 0.74}
BASELINE |= {("overlap", "content"): 0.76, ("exact", "content"): 0.53}
BASELINE |= {("exact", "cue"): 0.70, ("exact", "source"): 0.73}
#: the same on the first 200 PolNeAR train texts, which the rules were not tuned on (round 5:
#: overlap F1 0.597 cue, 0.657 source, 0.679 content; exact content 0.471): a rule that only
#: fits dev shows here
TRAIN_BASELINE = {("overlap", "cue"): 0.59, ("overlap", "source"): 0.65}
TRAIN_BASELINE |= {("overlap", "content"): 0.67, ("exact", "content"): 0.465}


_SCORES: dict[str, dict[str, Any]] = {}


def _scores(split: str) -> dict[str, Any]:
    """``bench.attribution`` scores on dev, or on the first 200 train texts (computed once)."""
    if split not in _SCORES:
        shared_path("data", "attribution", "polnear", split, "attributions")
        from bench.attribution import evaluate

        limit = 200 if split == "train" else None
        _SCORES[split] = evaluate(split, model=resolve_model(), limit=limit, timing=False)
    return _SCORES[split]


@pytest.fixture(scope="module")
def polnear_scores(parsed_extractor: Extractor) -> dict[str, Any]:
    return _scores("dev")


def _f1(scores: dict[str, Any], kind: str, role: str) -> float:
    value = scores[kind][role]["f1"]
    assert isinstance(value, float)
    return value


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("split", "kind", "role"),
    [("dev", *key) for key in sorted(BASELINE)] + [("train", *k) for k in sorted(TRAIN_BASELINE)],
)
def test_polnear_holds_the_baseline(
    parsed_extractor: Extractor, split: str, kind: str, role: str
) -> None:
    floors = BASELINE if split == "dev" else TRAIN_BASELINE
    assert _f1(_scores(split), kind, role) >= floors[kind, role]


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.xfail(
    strict=True,
    reason="known miss: rules + the embedded model reach about 0.653 cue overlap F1, short of "
    "0.75 (source 0.747, content 0.766 and exact content 0.537 pass); about a third of gold cue "
    "characters are in attributions never found, and a cue tagger trained on PolNeAR itself "
    "reaches 0.587 (training/README.md); remove this mark when cue passes",
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


# --- round 3: sources and cues of news in general (sentences written for these tests) -------


@pytest.mark.parametrize(
    ("text", "cue", "source", "content"),
    [
        # a participle set off by a comma takes the main clause's subject
        (
            "The judge rejected a request to release the files, saying the courts had no "
            "business deciding what voters should know.",
            "saying",
            "The judge",
            "the courts had no business",
        ),
        # a name and its appositive before the cue are the source together
        (
            "With two weeks left, Ana Ruiz, a senior adviser to the mayor, called the plan a "
            "disaster.",
            "called",
            "Ana Ruiz, a senior adviser to the mayor",
            "the plan a disaster",
        ),
        # a misparse that makes "appeals" a second subject keeps the whole noun phrase
        (
            "A regional appeals court ruled that the fines were lawful.",
            "ruled",
            "A regional appeals court",
            "that the fines were lawful",
        ),
        # a hyphenated word does not stop a source found by position
        (
            'The 52-year-old mother of two replied, "We will not leave."',
            "replied",
            "The 52-year-old mother of two",
            "We will not leave",
        ),
        # an introductory phrase before a pronoun source is not the source
        ("Yesterday, Americans, he said, wanted change.", "said", "he", None),
        # a date after the source dates the saying
        (
            "Federal prosecutors in March charged the mayor with fraud.",
            "charged",
            "Federal prosecutors",
            "the mayor with fraud",
        ),
        ("Wells Fargo just this month announced new rules.", "announced", "Wells Fargo", None),
        # "how" opens a reported clause like "that"
        (
            "A new audit reveals just how much the agency overspent.",
            "reveals",
            "A new audit",
            "how much the agency overspent",
        ),
        # "in" a poll or survey: the poll reports the rest of the sentence
        (
            "In the latest Gallup survey, the governor trails his rival by six points.",
            "In",
            "the latest Gallup survey",
            "the governor trails his rival by six points",
        ),
        # "see X as Y" reports a view
        (
            "Many economists see the tax cut as a gamble.",
            "see",
            "Many economists",
            "the tax cut as a gamble",
        ),
        # "as X put it": the rest of the sentence is what was said
        (
            "The recovery, as one banker put it, is running on fumes.",
            "put it",
            "one banker",
            "is running on fumes",
        ),
        (
            "The bridge will close in May, as engineers have warned.",
            "have warned",
            "engineers",
            "The bridge will close in May",
        ),
        # "was quoted as saying" is one cue
        (
            "The mayor was quoted as saying the city was broke.",
            "was quoted as saying",
            "The mayor",
            "the city was broke",
        ),
        # "as improbable as it may seem" compares; it reports nothing to nest the claim in
        (
            "As improbable as it may seem, Mr. Jones said the deal had helped him.",
            "said",
            "Mr. Jones",
            "the deal had helped him",
        ),
        # stance adjectives: a holder and a clause or a topic
        (
            "Republicans were worried about the shift in strategy.",
            "were worried about",
            "Republicans",
            "the shift in strategy",
        ),
        ("She was sure that the vote would pass.", "was sure", "She", "that the vote would pass"),
        (
            "The senator has been critical of the plan.",
            "has been critical of",
            "The senator",
            "the plan",
        ),
        (
            "Farmers are concerned that prices will drop.",
            "are concerned",
            "Farmers",
            "that prices will drop",
        ),
        # the subject of a passive "convinced" holds the view
        (
            "Officials were convinced that the dam would hold.",
            "were convinced",
            "Officials",
            "that the dam would hold",
        ),
        # a reporting noun with a possessor and a topic
        (
            "The senator's criticism of the deal angered the White House.",
            "criticism of",
            "The senator",
            "the deal",
        ),
        # a light verb and a reporting noun make one cue
        (
            "The mayor made the case for a new stadium.",
            "made the case for",
            "The mayor",
            "a new stadium",
        ),
        (
            "The coach made it clear that he would stay.",
            "made it clear",
            "The coach",
            "that he would stay",
        ),
        # ... also with a bare clause, or a colon, after it
        (
            "The coach made it clear he would stay another season.",
            "made it clear",
            "The coach",
            "he would stay another season",
        ),
        (
            "The senator made the following comment: the bill is dead.",
            "made the following comment",
            "The senator",
            "the bill is dead",
        ),
        # a participle after what was said is still the speaker's
        (
            "Cruz said that there is only one strong conservative in a position to win this "
            "race, adding that it is why Trump attacks him.",
            "adding",
            "Cruz",
            "that it is why Trump attacks him",
        ),
        # a subject the parse gave to the participle that describes it
        (
            "Large majorities of Republican primary voters in six states going to the polls on "
            "Super Tuesday said they support a proposal to ban Muslims.",
            "said",
            "Large majorities of Republican primary voters in six states",
            "they support a proposal to ban Muslims",
        ),
        # a quote broken by an inverted frame runs on after the source
        (
            '"It is a hard issue," said the senator, "because it splits the party."',
            "said",
            "the senator",
            "because it splits the party",
        ),
        # a preposition that only bounds a number belongs to the source
        (
            "At least half of the voters say the economy is weak.",
            "say",
            "At least half of the voters",
            "the economy is weak",
        ),
        (
            "The governor took a swipe at the senator.",
            "took a swipe at",
            "The governor",
            "the senator",
        ),
        (
            "The mayor gave a long answer about the budget.",
            "gave a long answer about",
            "The mayor",
            "the budget",
        ),
        (
            "Voters have negative feelings toward the agency.",
            "have negative feelings toward",
            "Voters",
            "the agency",
        ),
        # a noun the tagger took for an adverb is the subject, not part of the cue
        (
            "The Republican nominee continues to insist that he will win.",
            "continues to insist",
            "The Republican nominee",
            "that he will win",
        ),
        ("Critics scoffed at the idea.", "scoffed at", "Critics", "the idea"),
        (
            "The senator raised questions about the merger.",
            "raised questions about",
            "The senator",
            "the merger",
        ),
        # a no-break space between auxiliary and verb keeps one cue
        (
            "The minister has\xa0acknowledged the risks of the plan.",
            "has\xa0acknowledged",
            "The minister",
            "the risks of the plan",
        ),
        # ", including …" goes on with what was said
        (
            "The agency said it had found serious problems, including missing records.",
            "said",
            "The agency",
            "it had found serious problems, including missing records",
        ),
        # a title-case headline's reporting verb the parser took for a name
        (
            "New Survey Shows Sharp Drop In Bus Ridership.\n\nRidership fell again in May.",
            "Shows",
            "New Survey",
            "Sharp Drop In Bus Ridership",
        ),
        # a passive with its agent: the agent is the source, the subject what was endorsed
        (
            "The plan has been endorsed by the union.",
            "has been endorsed by",
            "the union",
            "The plan",
        ),
        # a preposition opening the content belongs to the cue
        (
            "The coach joked about the referee's eyesight.",
            "joked about",
            "The coach",
            "the referee's eyesight",
        ),
        # verbs bound to a frame: a text released or issued, a particle
        (
            "The ministry issued a warning that the dam could burst.",
            "issued",
            "The ministry",
            None,
        ),
        ("The mayor laid out a plan to cut taxes.", "laid out", "The mayor", "a plan to cut taxes"),
        ("She pushed for a new vote on the bill.", "pushed for", "She", "a new vote on the bill"),
        ("Critics seized on the remark.", "seized on", "Critics", "the remark"),
        (
            "The governor weighed in on the dispute.",
            "weighed in on",
            "The governor",
            "the dispute",
        ),
        # the cue runs up to the content: the one addressed and the linking preposition
        (
            "The senator accused the regulator of ignoring the warnings.",
            "accused the regulator of",
            "The senator",
            "ignoring the warnings",
        ),
        # an adverb of the verb is part of the cue; one of the content is not
        (
            "The mayor said sarcastically that the budget was balanced.",
            "said sarcastically",
            "The mayor",
            "that the budget was balanced",
        ),
        # a participle clause before its verb shares that verb's subject
        (
            "After blasting the report, the senator urged voters to stay home.",
            "blasting",
            "the senator",
            "the report",
        ),
        # "with X doing": X is the one doing it, without the preposition
        (
            "Several candidates went further, with the former governor calling the plan a fraud.",
            "calling",
            "the former governor",
            "the plan a fraud",
        ),
        # a verb bound to its particle: "lashed out at" reports, "lashed the boat" does not
        (
            "The senator lashed out at the regulator over the delays.",
            "lashed out at",
            "The senator",
            "the regulator over the delays",
        ),
        # what a saying is about, however far "about" stands from the verb
        (
            "The general is speaking out ahead of the election about the problems he sees.",
            "is speaking out",
            "The general",
            "the problems he sees",
        ),
        # a phrase the parse swept into the subject is left out; the parenthesis is kept whole
        (
            "At the state convention Sen. Elizabeth Warren (D-MA) said the nominee was a loser.",
            "said",
            "Sen. Elizabeth Warren (D-MA)",
            "the nominee was a loser",
        ),
        # a live blog's time stamp is not part of the source
        ("8:39PM Trump said the polls were rigged.", "said", "Trump", "the polls were rigged"),
        # news idioms bound to their particle: "fired back at", "hit back at", "lit into"
        (
            "The senator fired back at the governor over the credit rating.",
            "fired back at",
            "The senator",
            None,
        ),
        # casting and billing are claims only with an "as" phrase
        (
            "The aides cast her victory in Nevada as a turning point.",
            "cast",
            "The aides",
            "her victory in Nevada as a turning point",
        ),
        # a stance adjective: "supportive of", "wary of"
        (
            "Most donors are wary of a third-party run.",
            "are wary of",
            "Most donors",
            "a third-party run",
        ),
        # attitudes beyond saying: deeming, preferring
        (
            "The court deemed the contract unenforceable.",
            "deemed",
            "The court",
            "the contract unenforceable",
        ),
        # a form the lemmatizer mangles ("blamed" → "blam") is still a cue
        (
            "The governor blamed the storm for the delays.",
            "blamed",
            "The governor",
            "the storm for the delays",
        ),
    ],
)
def test_sources_and_cues_of_news_in_general(
    parsed_extractor: Extractor, text: str, cue: str, source: str, content: str | None
) -> None:
    result = parsed_extractor.extract_text(text)
    found = [c for c in _cued(result) if c.cue is not None and c.cue.text == cue]
    assert found, [c.cue.text for c in _cued(result) if c.cue]
    claim = found[0]
    assert claim.parent is None
    assert claim.source is not None
    assert claim.source.text == source
    if content is not None:
        assert [span.text for span in claim.content][-1] == content
    assert result.check_spans() == []


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "The senator has long been seen as a moderate.",
            "has long been seen as",
            ["The senator", "a moderate"],
        ),
        (
            "The union is widely regarded as one of the most liberal.",
            "is widely regarded as",
            ["The union", "one of the most liberal"],
        ),
    ],
)
def test_a_passive_of_viewing_holds_what_is_viewed_and_as_what(
    parsed_extractor: Extractor, text: str, cue: str, content: list[str]
) -> None:
    claims = [c for c in _cued(parsed_extractor.extract_text(text)) if c.cue is not None]
    assert [c.cue.text for c in claims if c.cue] == [cue]
    assert claims[0].source is None
    assert [span.text for span in claims[0].content] == content


def test_seen_without_an_as_phrase_is_no_view(parsed_extractor: Extractor) -> None:
    result = parsed_extractor.extract_text("He was seen at the restaurant on Friday night.")
    assert [c for c in _cued(result) if c.cue is not None] == []


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The statistics appear to be fabricated.", ["The statistics", "to be fabricated"]),
        ("The two candidates seemed unperturbed.", ["The two candidates", "unperturbed"]),
        ("It seems that the plan failed.", ["that the plan failed"]),
    ],
)
def test_a_raised_subject_is_what_is_hedged_not_who_holds_it(
    parsed_extractor: Extractor, text: str, content: list[str]
) -> None:
    claims = [c for c in _cued(parsed_extractor.extract_text(text)) if c.parent is None]
    assert len(claims) == 1
    assert claims[0].source is None
    assert claims[0].source_kind == "unnamed"
    assert [span.text for span in claims[0].content] == content
    assert claims[0].certainty == "evidential"


def test_speaking_before_the_verb_is_where_not_a_saying(parsed_extractor: Extractor) -> None:
    text = "Speaking to reporters in Florida, Trump insisted that he had expanded the party."
    cues = [c.cue.text for c in _cued(parsed_extractor.extract_text(text)) if c.cue]
    assert cues == ["insisted"]


@pytest.mark.parametrize(
    "text",
    [
        "Asked about the bombing, Clinton said it was important to know the facts.",
        "Clinton said she would wait, when asked whether she would endorse him.",
    ],
)
def test_the_one_asked_is_not_who_asked(parsed_extractor: Extractor, text: str) -> None:
    claims = _cued(parsed_extractor.extract_text(text))
    asked = [c for c in claims if c.cue is not None and c.cue.text.lower().startswith("asked")]
    said = [c for c in claims if c.cue is not None and c.cue.text == "said"]
    assert asked
    assert asked[0].source is None
    assert said
    assert said[0].source is not None
    assert said[0].source.text == "Clinton"


def test_a_subject_who_seems_to_do_a_saying_still_holds_it(parsed_extractor: Extractor) -> None:
    claims = _cued(parsed_extractor.extract_text("Obama seemed to recognize the risk."))
    assert claims[0].source is not None
    assert claims[0].source.text == "Obama"


@pytest.mark.parametrize(
    "text",
    [
        "We saw the boat as it left the harbor.",  # "see" without an "as" phrase of its own
        "He put it on the shelf.",  # "put" outside "as X put it"
        "As he put it on the table, the phone rang.",
        "The army released the prisoners.",  # "release" without a text
        "The state issued visas to the workers.",
        "He pushed the door open.",  # "push" without "for"
        "He took the case to court.",  # a light verb whose noun is no reporting noun here
        "The striker took a shot at the goal.",  # a shot at no one
        "If voters want lower taxes, the plan will pass.",  # a condition, nobody's view
        "The coach can pick whoever he wants.",
        "If you want to know more, read the report.",  # an order to the reader
        "She is still ahead in national polls.",  # standing in polls in general, no finding
        "The senator has slid in the polls since the summer.",
        "The hotel has a good view of the river.",  # a view of, not on
        "He gave a speech at the rally.",  # where, not what about
        "She took the position of treasurer.",
        "She weighed the fish.",  # "weigh" without "in"
        "The sailors lashed the crates to the deck.",  # "lash" without "out"
        "The club fired its coach.",  # "fire" without "back"
        "The storm hit the coast.",  # "hit" without "back" or "out"
        "He cast his vote early.",  # "cast" without an "as" phrase
        "The company billed the city for the work.",
        "Prices doubled last year.",
    ],
)
def test_frame_bound_verbs_report_only_in_their_frames(
    parsed_extractor: Extractor, text: str
) -> None:
    cues = [c.cue.text for c in _cued(parsed_extractor.extract_text(text)) if c.cue]
    frame_bound = ("saw", "put", "released", "issued", "pushed", "took", "weighed", "doubled")
    assert not any(cue.startswith(frame_bound) for cue in cues), cues


def test_a_poll_in_a_reporting_verbs_phrase_is_its_medium(parsed_extractor: Extractor) -> None:
    text = "Voters were asked in a survey whether they trusted him."
    result = parsed_extractor.extract_text(text)
    assert [c.cue.text for c in _cued(result) if c.cue] == ["were asked"]


def test_a_mangled_lemma_keeps_its_cue_class(parsed_extractor: Extractor) -> None:
    result = parsed_extractor.extract_text("Early on, he insisted that the vote had been rigged.")
    assert [(c.cue.text, c.certainty) for c in _cued(result) if c.cue] == [("insisted", "claimed")]


# --- rules for a parser that cuts a sentence in two (a hand-built parse) --------------------


def _hand_parsed(rows: list[tuple[str, bool, str, str, int, str]]) -> Findings:
    """Run the attribution stage on a parse given token by token: (word, space after, POS,
    dependency, head index, lemma)."""
    import spacy
    from spacy.tokens import Doc

    from claimtrace.ingest import RawInput, build_document
    from claimtrace.stages import attribution

    doc = Doc(
        spacy.blank("en").vocab,  # English lexical attributes: lower case, punctuation
        words=[r[0] for r in rows],
        spaces=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        deps=[r[3] for r in rows],
        heads=[r[4] for r in rows],
        lemmas=[r[5] for r in rows],
    )
    document = build_document(RawInput("hand", doc.text, "text"))
    return attribution.run(doc, StageContext(document=document))


def test_a_subject_cut_off_by_the_sentence_splitter_is_made_whole() -> None:
    found = _hand_parsed(
        [
            ("Port", True, "PROPN", "compound", 3, "port"),
            ("of", True, "ADP", "case", 2, "of"),
            ("Tampa", True, "PROPN", "nmod", 0, "Tampa"),
            ("engineer", True, "NOUN", "ROOT", 3, "engineer"),  # a sentence of its own
            ("Tom", True, "PROPN", "nsubj", 6, "Tom"),
            ("Reyes", True, "PROPN", "flat", 4, "Reyes"),
            ("said", True, "VERB", "ROOT", 6, "say"),
            ("the", True, "DET", "det", 8, "the"),
            ("port", True, "NOUN", "nsubj", 10, "port"),
            ("would", True, "AUX", "aux", 10, "would"),
            ("reopen", False, "VERB", "ccomp", 6, "reopen"),
            (".", False, "PUNCT", "punct", 6, "."),
        ]
    )
    claim = next(c for c in found.claims if c.cue is not None)
    assert claim.source is not None
    assert claim.source.text == "Port of Tampa engineer Tom Reyes"


def test_a_verb_whose_parse_ends_its_sentence_reports_the_rest() -> None:
    found = _hand_parsed(
        [
            ("Mayor", True, "PROPN", "nsubj", 2, "Mayor"),
            ("Smith", True, "PROPN", "flat", 0, "Smith"),
            ("calls", True, "VERB", "ROOT", 2, "call"),
            ("Medicare", True, "PROPN", "ROOT", 3, "Medicare"),  # a new sentence to the parser
            ("a", True, "DET", "det", 6, "a"),
            ("broken", True, "ADJ", "amod", 6, "broken"),
            ("system", False, "NOUN", "appos", 3, "system"),
            (".", False, "PUNCT", "punct", 3, "."),
        ]
    )
    claim = next(c for c in found.claims if c.cue is not None)
    assert claim.cue is not None
    assert claim.cue.text == "calls"
    assert claim.source is not None
    assert claim.source.text == "Mayor Smith"
    assert [span.text for span in claim.content] == ["Medicare a broken system"]


def test_a_name_the_parse_swallowed_into_the_clause_before_the_cue_is_the_source() -> None:
    found = _hand_parsed(
        [
            ("Prices", True, "NOUN", "nsubj", 2, "price"),
            ("could", True, "AUX", "aux", 2, "could"),
            ("rise", False, "VERB", "ccomp", 7, "rise"),
            (",", True, "PUNCT", "punct", 4, ","),
            ("Jo", True, "PROPN", "conj", 2, "Jo"),  # the speaker hung on the clause
            ("Reyes", True, "PROPN", "flat", 4, "Reyes"),
            ("Hart", True, "PROPN", "flat", 4, "Hart"),
            ("says", False, "VERB", "ROOT", 7, "say"),
            (".", False, "PUNCT", "punct", 7, "."),
        ]
    )
    claim = next(c for c in found.claims if c.cue is not None)
    assert claim.source is not None
    assert claim.source.text == "Jo Reyes Hart"
    assert [span.text for span in claim.content] == ["Prices could rise"]


@pytest.mark.parametrize(
    "text",
    [
        "It goes without saying that taxes matter.",
        "It's worth noting that the vote was close.",
        "(Reporting by Jane Doe; Editing by John Roe)",
        "Ask yourself whether the plan works.",
        "Please note that the office is closed.",
        "Having said that, the plan is flawed.",
        "Do you think the plan will work?",  # a question put to the reader
    ],
)
def test_idioms_credit_lines_and_orders_to_the_reader_report_nothing(
    parsed_extractor: Extractor, text: str
) -> None:
    assert _cued(parsed_extractor.extract_text(text)) == []


def test_a_quote_with_its_own_frame_is_no_follow_on_of_the_speaker_before(
    parsed_extractor: Extractor,
) -> None:
    text = (
        "The report came out on Monday. Fellow economists seemed eager to discuss it. "
        '"The model is badly broken, with the whole bank behind it,” said Ana Ruiz, a planner.'
    )
    claims = _cued(parsed_extractor.extract_text(text))
    said = next(c for c in claims if c.cue is not None and c.cue.text == "said")
    assert said.parent is None
    assert said.source is not None
    assert said.source.text == "Ana Ruiz, a planner"
    quote = said.content[0]
    others = [c for c in claims if c is not said]
    assert all(quote not in c.content for c in others)


def test_but_and_a_second_cue_start_a_new_attribution(parsed_extractor: Extractor) -> None:
    text = (
        "The mayor said on Friday that she thinks the plan should be approved but said "
        '"the question is the timing."'
    )
    top = [c for c in _cued(parsed_extractor.extract_text(text)) if c.parent is None]
    assert [[span.text for span in c.content] for c in top] == [
        ["that she thinks the plan should be approved"],
        ["the question is the timing"],
    ]


def test_a_quote_ending_its_sentence_is_not_what_the_next_sentence_argues(
    parsed_extractor: Extractor,
) -> None:
    text = (
        "The union wants “a fair deal for all.” It also argued for shorter shifts at the port. "
        "“We will win.” She said it twice."
    )
    claims = {c.cue.text: c for c in _cued(parsed_extractor.extract_text(text)) if c.cue}
    argued = next(c for cue, c in claims.items() if "argued" in cue)
    assert [span.text for span in argued.content] == ["shorter shifts at the port"]
    assert [span.text for span in claims["said"].content] == ["We will win"]


def test_content_never_keeps_half_of_a_pair_of_quotation_marks(
    parsed_extractor: Extractor,
) -> None:
    result = parsed_extractor.extract_text(
        "The union wants “a fair deal for all.” The mayor rejected “any new taxes” on Friday."
    )
    for claim in _cued(result):
        for span in claim.content:
            opened, closed = span.text.count("“"), span.text.count("”")
            assert opened == closed, span.text


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        (
            "The park is near the stadium, which, Tompkins said, is usually full of children.",
            "Tompkins",
            ["which", "is usually full of children"],
        ),
        (
            "But in recent days, aides to the mayor say, the mayor has grown tired of the fight.",
            "aides to the mayor",
            ["But in recent days", "the mayor has grown tired of the fight"],
        ),
        # a time or the one told between the verb and the comma is in neither
        (
            "The plan, the minister said on Friday, will cost billions.",
            "the minister",
            ["The plan", "will cost billions"],
        ),
        ("Prices, he told reporters, will rise.", "he", ["Prices", "will rise"]),
    ],
)
def test_a_source_and_cue_set_off_by_commas_frame_the_sentence_around_them(
    parsed_extractor: Extractor, text: str, source: str, content: list[str]
) -> None:
    (claim,) = _cued(parsed_extractor.extract_text(text))
    assert claim.source is not None
    assert claim.source.text == source
    assert [span.text for span in claim.content] == content


@pytest.mark.parametrize("text", ["She called him, but he was out.", "He told her, and she left."])
def test_the_one_addressed_or_the_next_clause_is_not_what_was_said(
    parsed_extractor: Extractor, text: str
) -> None:
    said = [c for c in _cued(parsed_extractor.extract_text(text)) if c.cue is not None]
    assert all(c.cue.text not in ("called", "told") for c in said if c.cue is not None)


def test_the_one_told_is_not_what_was_said(parsed_extractor: Extractor) -> None:
    result = parsed_extractor.extract_text("He was told by aides that the vote was lost.")
    assert not any(c.content[0].text == "He" for c in _cued(result))


def test_a_name_before_a_reporting_form_tagged_a_noun_is_its_source() -> None:
    found = _hand_parsed(
        [
            ("The", True, "DET", "det", 2, "the"),
            ("Daily", True, "PROPN", "compound", 2, "Daily"),
            ("Herald", True, "PROPN", "compound", 3, "Herald"),
            ("reports", True, "NOUN", "ROOT", 3, "report"),  # the tagger's noun
            ("that", True, "SCONJ", "mark", 8, "that"),
            ("the", True, "DET", "det", 6, "the"),
            ("mayor", True, "NOUN", "nsubj", 8, "mayor"),
            ("will", True, "AUX", "aux", 8, "will"),
            ("resign", False, "VERB", "acl", 3, "resign"),
            (".", False, "PUNCT", "punct", 3, "."),
        ]
    )
    claim = next(c for c in found.claims if c.cue is not None)
    assert claim.source is not None
    assert claim.source.text == "The Daily Herald"
    assert [span.text for span in claim.content] == ["that the mayor will resign"]


@pytest.mark.parametrize(
    "text",
    [
        # the auxiliaries of "were recruited" are shared: the workers got the offer
        "Over the months, the workers were recruited in their thousands and offered a bonus "
        "that doubles their pay.",
        "He was promised a job at the port.",
    ],
)
def test_what_a_passive_subject_was_given_is_no_report(
    parsed_extractor: Extractor, text: str
) -> None:
    result = parsed_extractor.extract_text(text)
    assert _cued(result) == []
    assert [c.source_kind for c in result.claims] == ["author"]


def test_a_date_after_the_cue_is_not_what_was_said(parsed_extractor: Extractor) -> None:
    for text in ("The mayor commented on Friday.", "The new budget was unveiled on Monday."):
        contents = [c.content[0].text for c in _cued(parsed_extractor.extract_text(text))]
        assert not any(content in ("Friday", "Monday") for content in contents), contents


def test_a_possessed_reporting_noun_with_an_infinitive(parsed_extractor: Extractor) -> None:
    text = "The council's decision to close the plant was criticized."
    claims = _cued(parsed_extractor.extract_text(text))
    decision = next(c for c in claims if c.cue is not None and c.cue.text == "decision")
    assert decision.source is not None
    assert decision.source.text == "The council"
    assert decision.content[0].text.startswith("to close")


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("It was clear that the plan had failed.", "It was clear", "that the plan had failed"),
        ("It's obvious that the vote was rigged.", "It's obvious", "that the vote was rigged"),
    ],
)
def test_it_is_clear_that_is_an_impersonal_frame(
    parsed_extractor: Extractor, text: str, cue: str, content: str
) -> None:
    claims = _cued(parsed_extractor.extract_text(text))
    assert [(c.cue.text if c.cue else None, c.source, c.content[0].text) for c in claims] == [
        (cue, None, content)
    ]
    assert claims[0].certainty == "evidential"


def test_a_clear_thing_is_no_frame(parsed_extractor: Extractor) -> None:
    assert _cued(parsed_extractor.extract_text("The water in the bay was clear.")) == []


def test_an_unowned_charge_reports_its_topic(parsed_extractor: Extractor) -> None:
    claims = _cued(parsed_extractor.extract_text("The mayor resigned amid allegations of fraud."))
    assert [(c.cue.text if c.cue else None, c.source, c.content[0].text) for c in claims] == [
        ("allegations of", None, "fraud")
    ]
    assert claims[0].certainty == "alleged"


def test_criticism_received_reports_on_the_subject(parsed_extractor: Extractor) -> None:
    claims = _cued(parsed_extractor.extract_text("The plan has drawn criticism from farmers."))
    assert [
        (c.cue.text if c.cue else None, c.source.text if c.source else None, c.content[0].text)
        for c in claims
    ] == [("has drawn criticism from", "farmers", "The plan")]
    assert _cued(parsed_extractor.extract_text("The painting drew large crowds.")) == []


def test_a_doubled_apostrophe_quote_is_the_content(parsed_extractor: Extractor) -> None:
    text = "''The bridge is unsafe,'' Ana Ruiz, an engineer at the port, said of the design."
    said = next(c for c in _cued(parsed_extractor.extract_text(text)) if c.cue.text == "said")
    assert [span.text for span in said.content] == ["The bridge is unsafe"]
    assert said.quote == "direct"


def test_a_capitalised_verb_form_outside_a_headline_is_part_of_a_name(
    parsed_extractor: Extractor,
) -> None:
    text = "The Battleground States average shows the senator ahead by three points."
    claims = _cued(parsed_extractor.extract_text(text))
    assert [(c.cue.text if c.cue else None, c.parent) for c in claims] == [("shows", None)]


@pytest.mark.parametrize(
    ("text", "cue", "content", "certainty"),
    [
        (
            "Three city commissioners were charged with receiving bribes.",
            "were charged with",
            ["Three city commissioners", "receiving bribes"],
            "alleged",
        ),
        (
            "The bill, known as the Justice Act, passed the House.",
            "known as",
            ["The bill", "the Justice Act"],
            "reported",
        ),
    ],
)
def test_a_name_or_a_charge_given_by_nobody_named(
    parsed_extractor: Extractor, text: str, cue: str, content: list[str], certainty: str
) -> None:
    claims = [c for c in _cued(parsed_extractor.extract_text(text)) if c.cue.text == cue]
    assert len(claims) == 1
    assert claims[0].source is None
    assert [span.text for span in claims[0].content] == content
    assert claims[0].certainty == certainty


def test_well_known_names_nothing(parsed_extractor: Extractor) -> None:
    assert _cued(parsed_extractor.extract_text("He is well known in town.")) == []


def test_a_transcript_line_keeps_its_own_speaker(parsed_extractor: Extractor) -> None:
    # transcript paragraphs each open a quotation mark that only the last one closes
    text = (
        'Partial transcript as follows:\n\n"PENCE: Well, look, she apparently thinks this is an '
        "episode of “Shark Tank.” But this is America. And his tweet was really mocking the fact "
        "that she was trying to distract attention from the debate.\n\n"
        '"(CROSSTALK.)\n\n"WALLACE: If I may, sir, because we have got limited time.\n\n'
        '"PENCE: Gennifer Flowers will not be attending the debate tomorrow night."'
    )
    result = parsed_extractor.extract_text(text)
    labels = [c for c in result.claims if c.cue is not None and c.cue.text == ":"]
    assert [c.source.text for c in labels if c.source] == ["PENCE", "WALLACE", "PENCE"]
    assert all(c.parent is None for c in labels)
    assert not any("WALLACE" in span.text for c in result.claims for span in c.content)


def test_a_cue_the_tagger_took_for_a_noun_after_a_pronoun(parsed_extractor: Extractor) -> None:
    # "mocks" after "he" is a verb ("he mocks"), unlike "plans" after "his"
    text = "“The market has not failed them,” he mocks. “They have failed themselves.”"
    claims = _cued(parsed_extractor.extract_text(text))
    assert [(c.cue.text, c.source.text if c.source else None) for c in claims] == [("mocks", "he")]
    assert [span.text for span in claims[0].content] == [
        "The market has not failed them",
        "They have failed themselves.",
    ]


@pytest.mark.parametrize(
    "label", ["Editor’s Note", "VIDEO", "Breaking", "Breitbart News Daily", "WATCH"]
)
def test_a_section_label_is_no_speaker(parsed_extractor: Extractor, label: str) -> None:
    text = f"{label}: The following is an excerpt from the book.\n\nPence: We will win."
    claims = _cued(parsed_extractor.extract_text(text))
    assert [(c.cue.text, c.source.text if c.source else None) for c in claims] == [(":", "Pence")]


@pytest.mark.parametrize(
    "text",
    [
        "Voters who say the economy is most important were evenly divided.",
        "Those who said the economy was their top issue split evenly.",
    ],
)
def test_a_polls_group_is_not_a_speaker(parsed_extractor: Extractor, text: str) -> None:
    assert _cued(parsed_extractor.extract_text(text)) == []


def test_someone_who_said_something_still_said_it(parsed_extractor: Extractor) -> None:
    text = "He disavowed a surrogate who said voters should stay home."
    said = [c for c in _cued(parsed_extractor.extract_text(text)) if c.cue.text == "said"]
    assert [span.text for span in said[0].content] == ["voters should stay home"]
