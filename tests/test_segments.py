"""Long documents: cut into segments, parsed and merged with offsets into the whole text, and a
failure inside one document kept to that document."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claimtrace import Extractor, Settings
from claimtrace.cli import main
from claimtrace.errors import InputError, StageError
from claimtrace.ingest import RawInput
from claimtrace.records import Extraction, iter_json, to_json
from claimtrace.segments import SegmentPlan, weight_of
from claimtrace.stages import STAGES
from claimtrace.stages.context import Findings, StageContext

from .conftest import SAMPLES

ARTICLE = (SAMPLES / "river-flood-relief.txt").read_text(encoding="utf-8")


def _covers(text: str, plan: SegmentPlan) -> None:
    segments = plan.cut(text)
    assert segments[0].core == 0
    assert segments[-1].end == len(text)
    for before, after in itertools.pairwise(segments):
        assert before.end == after.core  # the own parts tile the text
        assert before.start <= after.start <= after.core
        assert after.core - after.start <= plan.context
    for segment in segments:
        assert weight_of(text[segment.core : segment.end]) <= plan.size * 2


def test_a_short_text_is_one_segment() -> None:
    plan = SegmentPlan()
    assert [(s.start, s.core, s.end) for s in plan.cut(ARTICLE)] == [(0, 0, len(ARTICLE))]


def test_segments_tile_the_text_and_cut_at_paragraphs() -> None:
    text = "\n\n".join([ARTICLE] * 12)
    plan = SegmentPlan(whole_below=6_000, size=3_000, context=600)
    segments = plan.cut(text)
    assert len(segments) > 4
    _covers(text, plan)
    for segment in segments[1:]:
        assert text[segment.core - 2 : segment.core] == "\n\n"  # a paragraph break


def test_no_cut_inside_a_quote_running_over_paragraphs() -> None:
    quote = "“" + "\n\n“".join(f"We will hold on, part {k} of the story." for k in range(40)) + "”"
    text = "Intro line.\n\n" * 30 + quote + "\n\nAfter it.\n\n" * 30
    start, end = text.index("“"), text.rindex("”")
    plan = SegmentPlan(whole_below=800, size=700, context=100)
    _covers(text, plan)
    cuts = [s.core for s in plan.cut(text)[1:]]
    inside = [c for c in cuts if start < c <= end]
    # the quote is longer than a segment: it is cut only where nothing outside it is in reach
    assert len(inside) <= (end - start) // 350 + 1
    # a window of cuts wider than the quote always has a cut outside it
    text = "Intro line.\n\n" * 400 + quote + "\n\nAfter it.\n\n" * 400
    start, end = text.index("“"), text.rindex("”")
    plan_wide = SegmentPlan(whole_below=4_000, size=4_000, context=100)
    _covers(text, plan_wide)
    assert not [s.core for s in plan_wide.cut(text)[1:] if start < s.core <= end]


def test_dense_text_weighs_more_than_its_length() -> None:
    dense = '"a" b ' * 1_000
    assert weight_of(dense) > 2 * len(dense)
    assert weight_of(ARTICLE) < 1.2 * len(ARTICLE)


def test_text_without_any_break_is_cut_hard_and_still_tiles() -> None:
    text = "x" * 50_000
    plan = SegmentPlan(whole_below=10_000, size=5_000, context=500)
    _covers(text, plan)


def _check(extraction: Extraction) -> None:
    assert extraction.check_spans() == []
    ids = [c.id for c in extraction.claims]
    assert len(ids) == len(set(ids))
    known = {e.id for e in extraction.entities} | {p.id for p in extraction.places}
    known |= {q.id for q in extraction.quantities} | {t.id for t in extraction.times}
    for claim in extraction.claims:
        assert set(claim.entities) | set(claim.places) | set(claim.times) <= known
        assert claim.parent is None or claim.parent in ids
    starts = [s.start for s in extraction.sentences]
    assert starts == sorted(set(starts))


def test_a_text_over_spacys_max_length_is_processed_not_refused() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000
    single = Extractor(Settings(), nlp=nlp).extract_text(ARTICLE)
    clean = single.document.text
    text = "\n\n".join([clean] * 40)
    assert len(text) > 3 * nlp.max_length
    extraction = Extractor(Settings(), nlp=nlp).extract_text(text)
    assert extraction.document.text == text
    _check(extraction)
    assert len(extraction.sentences) == 40 * len(single.sentences)
    # every sentence of every copy, at its own offsets in the whole text
    step = len(clean) + 2
    for k in (0, 17, 39):
        shifted = [(s.start + k * step, s.text) for s in single.sentences]
        assert [(s.start, s.text) for s in extraction.sentences if s.start in dict(shifted)] == (
            shifted
        )


@pytest.mark.slow
def test_segments_find_what_the_whole_text_finds(extractor: Extractor) -> None:
    text = "\n\n".join([ARTICLE] * 3)
    whole = Extractor(Settings(batch_chars=400_000), nlp=extractor.nlp).extract_text(text)
    parts = Extractor(Settings(batch_chars=1_000), nlp=extractor.nlp)
    assert len(parts.segment_plan.cut(text)) > 3
    cut = parts.extract_text(text)
    _check(cut)
    assert [s.model_dump() for s in cut.sentences] == [s.model_dump() for s in whole.sentences]

    def key(extraction: Extraction) -> set[tuple[object, ...]]:
        return {(c.id, c.source, c.cue, c.content, c.certainty, c.quote) for c in extraction.claims}

    same = key(whole) & key(cut)
    assert len(same) >= 0.9 * len(whole.claims)
    assert {q.id for q in cut.quantities} == {q.id for q in whole.quantities}
    assert {t.model_dump_json() for t in cut.times} == {t.model_dump_json() for t in whole.times}
    # one person named in several segments is one entity, with every mention
    names = [e.name for e in cut.entities]
    assert len(names) == len(set(names))


def test_the_cli_extracts_a_folder_with_a_million_character_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    filler = "The council met again today and said it would meet again tomorrow.\n\n"
    (folder / "a-long.txt").write_text((filler * (1_048_576 // len(filler) + 1))[:1_048_576])
    (folder / "b-short.txt").write_text(ARTICLE)
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(folder), "--model", "rules", "-f", "jsonl", "-o", str(out), "-q"])
    assert code == 0, capsys.readouterr().err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [Path(r["document"]["input"]).name for r in rows] == ["a-long.txt", "b-short.txt"]
    assert len(rows[0]["document"]["text"]) == 1_048_576
    assert rows[0]["sentences"][-1]["end"] <= 1_048_576
    assert len(rows[0]["sentences"]) == 1_048_576 // len(filler) + 1


@Language.component("claimtrace_test_explodes")
def _explodes(doc: Doc) -> Doc:
    if "BOOM" in doc.text:
        raise RuntimeError("the parser fell over")
    return doc


def test_a_pipeline_failure_in_one_document_fails_only_that_document() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("claimtrace_test_explodes")
    extractor = Extractor(Settings(), nlp=nlp)
    inputs = [
        RawInput("one.txt", "Officials said it rained.", "text"),
        RawInput("two.txt", "This one goes BOOM.", "text"),
        RawInput("three.txt", "Nobody said a word.", "text"),
    ]
    results = list(extractor.extract_inputs(inputs))
    assert [type(r).__name__ for r in results] == ["Extraction", "StageError", "Extraction"]
    failed = results[1]
    assert isinstance(failed, StageError)
    assert failed.message.startswith("two.txt: language pipeline failed: RuntimeError")
    assert "\n" not in failed.message


def test_a_stage_failure_in_a_segment_fails_only_that_document(
    rules_extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = STAGES["times"]

    def broken(doc: Doc, ctx: StageContext) -> Findings:
        if "BOOM" in doc.text:
            raise ValueError("bad date")
        return original(doc, ctx)

    monkeypatch.setitem(STAGES, "times", broken)
    extractor = Extractor(Settings(model="rules", batch_chars=2_000))
    long_bad = "\n\n".join([ARTICLE] * 3) + "\n\nBOOM at the end."
    results = list(
        extractor.extract_inputs(
            [RawInput("bad.txt", long_bad, "text"), RawInput("good.txt", ARTICLE, "text")]
        )
    )
    assert isinstance(results[0], InputError)
    assert "stage 'times' failed: ValueError: bad date" in results[0].message
    assert isinstance(results[1], Extraction)


def test_streamed_json_is_the_json(rules_extractor: Extractor) -> None:
    extraction = rules_extractor.extract_text(ARTICLE, published="2024-05-01")
    data = extraction.model_dump(mode="json")
    for indent in (None, 2):
        expected = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=indent)
        assert "".join(iter_json(extraction, indent=indent)) == expected
        assert to_json(extraction, indent=indent) == expected


def test_unclosed_apostrophes_are_scanned_once_not_once_each() -> None:
    """A paragraph of straight apostrophes that never close ('a b 'a b …) was quadratic: 40,000
    characters took 38 s. Once one finds no closing mark, none after it can."""
    import time

    from claimtrace.stages.quotes import find_quotes

    started = time.perf_counter()
    assert find_quotes("'a b " * 20_000) == []
    assert time.perf_counter() - started < 5  # quadratic: minutes
    assert [(q.start, q.end) for q in find_quotes("It's 'x' and 'y' and o'clock 'z")] == [
        (6, 7),
        (14, 15),
    ]


def test_a_text_over_the_character_limit_is_refused_with_how_to_raise_it() -> None:
    extractor = Extractor(Settings(model="rules", max_document_chars=2_000))
    results = list(
        extractor.extract_inputs(
            [RawInput("big.txt", ARTICLE * 3, "text"), RawInput("ok.txt", ARTICLE, "text")]
        )
    )
    assert isinstance(results[0], InputError)
    assert "text too long (3,2" in results[0].message
    assert "CLAIMTRACE_MAX_DOCUMENT_CHARS" in results[0].message
    assert isinstance(results[1], Extraction)


@pytest.mark.slow
def test_peak_memory_of_a_long_document_stays_bounded(tmp_path: Path) -> None:
    """A floor for ``python -m bench.size``: 300,000 characters of news (the parser alone took
    1 GB for that before segments) extract in a fresh process within 800 MiB, model included."""
    from bench.size import news_text, run_one

    path = tmp_path / "long.txt"
    text = news_text(300_000, tmp_path / "no-corpus")  # the packaged samples, repeated
    path.write_text(text, encoding="utf-8")
    seconds, peak_mib, code = run_one(path, None)
    assert code == 0
    assert peak_mib < 800, f"peak {peak_mib:.0f} MiB in {seconds:.0f} s"
    out = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert out["sentences"][-1]["end"] <= len(out["document"]["text"])
    assert len(out["claims"]) > 100


def test_paragraph_boundaries_are_linear_in_marks_that_forbid_a_break() -> None:
    """Setting ``token.is_sent_start`` scans the whole document each time: 100,000 commas and
    opening quotes took minutes; the boundaries are set through one array now."""
    import time

    from claimtrace.nlp import load_pipeline

    nlp = load_pipeline("rules")
    started = time.perf_counter()
    doc = nlp("“a, " * 25_000)
    assert time.perf_counter() - started < 10  # quadratic: minutes
    assert not any(t.is_sent_start for t in doc[1:] if doc[t.i - 1].text in ("“", ","))
    sentences = [s.text for s in nlp("Hello “there, friend.\nNext line\nand on it goes.").sents]
    assert sentences == ["Hello “there, friend.", "\n", "Next line\nand on it goes."]
