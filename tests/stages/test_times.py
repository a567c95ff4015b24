"""The times stage: dates, periods and durations, resolved against publication, tied to claims."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from claimtrace import Extraction, Extractor
from claimtrace.stages import pipeline, times
from claimtrace.stages.timeparse import find_times, resolve
from tests.conftest import EXAMPLE, shared_path

PUBLISHED = date(2023, 3, 10)  # a Friday


def _one(text: str, ref: date | None = PUBLISHED) -> tuple[str, str | None, str]:
    found = find_times(text)
    assert len(found) == 1, [m.text for m in found]
    resolved = resolve(found[0].expr, ref)
    return found[0].text, resolved.value, resolved.precision


@pytest.mark.parametrize(
    ("text", "mention", "value", "precision"),
    [
        # absolute and partial dates
        ("It happened on March 3, 2023.", "March 3, 2023", "2023-03-03", "day"),
        ("It happened on 3 March 2023.", "3 March 2023", "2023-03-03", "day"),
        ("It happened on 2023-03-03.", "2023-03-03", "2023-03-03", "day"),
        ("It happened on Friday, Jan. 6, 2023.", "Friday, Jan. 6, 2023", "2023-01-06", "day"),
        ("It happened on 12/25/2022.", "12/25/2022", "2022-12-25", "day"),
        ("It happened in March 2023.", "March 2023", "2023-03", "month"),
        ("It happened in March of 2021.", "March of 2021", "2021-03", "month"),
        ("It happened in March.", "March", "2023-03", "month"),
        ("It happened in 2022.", "2022", "2022", "year"),
        ("It happened on March 3.", "March 3", "2023-03-03", "day"),
        ("It happened in the 1990s.", "the 1990s", "199", "year"),
        ("Sales fell in Q1 2022.", "Q1 2022", "2022-Q1", "quarter"),
        (
            "Sales fell in the first quarter of 2022.",
            "the first quarter of 2022",
            "2022-Q1",
            "quarter",
        ),
        # relative expressions
        ("It happened last month.", "last month", "2023-02", "month"),
        ("It happened last week.", "last week", "2023-W09", "week"),
        ("It will happen next month.", "next month", "2023-04", "month"),
        ("It happened this year.", "this year", "2023", "year"),
        ("It happened last year.", "last year", "2022", "year"),
        ("It happened yesterday.", "yesterday", "2023-03-09", "day"),
        ("It happened today.", "today", "2023-03-10", "day"),
        ("It happened on Thursday.", "Thursday", "2023-03-09", "day"),
        ("It happened on Friday.", "Friday", "2023-03-10", "day"),
        ("It happened on Monday.", "Monday", "2023-03-06", "day"),
        ("It happened two days ago.", "two days ago", "2023-03-08", "day"),
        ("It happened 3 weeks ago.", "3 weeks ago", "2023-02-17", "day"),
        ("It happened six months ago.", "six months ago", "2022-09", "month"),
        ("Earlier this week, it rained.", "Earlier this week", "2023-03-06/2023-03-10", "week"),
        ("Earlier this month, it rained.", "Earlier this month", "2023-03-01/2023-03-10", "month"),
        ("Prices rose over the past year.", "over the past year", "2022-03-10/2023-03-09", "year"),
        (
            "Prices rose in the past six months.",
            "in the past six months",
            "2022-09-10/2023-03-09",
            "month",
        ),
        ("It rained late last year.", "late last year", "2022-09-01/2022-12-31", "vague"),
        ("It rained in mid-2022.", "mid-2022", "2022-05-01/2022-08-31", "vague"),
        ("It rained in early March.", "early March", "2023-03-01/2023-03-10", "vague"),
        ("It rained the week after next.", "the week after next", "2023-W12", "week"),
        # ranges
        (
            "Talks ran from March 3 to March 5.",
            "from March 3 to March 5",
            "2023-03-03/2023-03-05",
            "day",
        ),
        ("Talks ran March 3-5, 2022.", "March 3-5, 2022", "2022-03-03/2022-03-05", "day"),
        # a count before "next week" counts something else
        ("About 200 next week will be freed.", "next week", "2023-W11", "week"),
        # a bare first day later than the last one is in the month before
        (
            "Leave runs from the 27th to the 3rd of April 2022.",
            "from the 27th to the 3rd of April 2022",
            "2022-03-27/2022-04-03",
            "day",
        ),
        # digits on both ends: the second end is a month/day too, not a bare day of the first
        ("Leave runs from 5/1-5/7, 2022.", "from 5/1-5/7, 2022", "2022-05-01/2022-05-07", "day"),
        ("Leave runs between 1/10-2/7.", "between 1/10-2/7", "2023-01-10/2023-02-07", "day"),
        (
            "He ruled between 2014 and 2018.",
            "between 2014 and 2018",
            "2014-01-01/2018-12-31",
            "year",
        ),
        # durations
        ("They serve for six months.", "six months", "P6M", "duration"),
        ("They serve for three weeks.", "three weeks", "P3W", "duration"),
        ("The talks lasted 2 hours.", "2 hours", "PT2H", "duration"),
        ("They waited a couple of weeks.", "a couple of weeks", "P2W", "duration"),
        ("It took one and a half years.", "one and a half years", "P1.5Y", "duration"),
    ],
)
def test_phrasings(text: str, mention: str, value: str, precision: str) -> None:
    assert _one(text) == (mention, value, precision)


@pytest.mark.parametrize(
    "text",
    [
        "Theresa May said she may resign.",
        "A 45-year-old man was arrested.",
        "The man, 45 years old, was arrested.",
        "Some 2022 people signed the letter.",
        "Officials counted 1,500 votes.",
        "Protesters march through the city.",
        "He scored 2000 points.",
    ],
)
def test_not_times(text: str) -> None:
    assert [m.text for m in find_times(text)] == []


def test_without_publication_date_relative_times_stay_unresolved_but_typed() -> None:
    assert _one("It happened last month.", None) == ("last month", None, "month")
    assert _one("It happened on Thursday.", None) == ("Thursday", None, "day")
    assert _one("It happened on March 3, 2023.", None) == ("March 3, 2023", "2023-03-03", "day")


def test_narrative_times_are_found_but_not_resolved() -> None:
    assert _one("Three weeks later, troops left.") == ("Three weeks later", None, "day")


def test_a_range_never_ends_before_it_starts() -> None:
    for text in (
        "Work runs from the end of March to the middle of September.",
        "Work ran from late November to early February.",
        "Between the middle of March and the end of September, prices rose.",
    ):
        for reference in (date(2016, 11, 7), date(2016, 2, 1), date(2016, 6, 15)):
            for match in find_times(text):
                resolved = resolve(match.expr, reference)
                if resolved.start is not None and resolved.end is not None:
                    assert resolved.start <= resolved.end, (text, reference, resolved)


def test_odd_text_does_not_crash() -> None:
    for text in ["", "\n\n", "9999-12-31 and 0000-00-00", "February 30, 2023", "week 99",
                 "in 99999999999999999999 years", "last 10000 centuries", "ß ∂ 𝔘 May"]:  # fmt: skip
        for match in find_times(text):
            resolve(match.expr, PUBLISHED)


@pytest.fixture
def with_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the times stage inside the extractor until the lead registers it."""
    monkeypatch.setitem(pipeline.STAGES, "times", times.run)


def _extract(extractor: Extractor, text: str, published: str | None) -> Extraction:
    return extractor.extract_text(text, published=published)


@pytest.mark.usefixtures("with_times")
def test_anchor_speech_published_absolute_none(rules_extractor: Extractor) -> None:
    text = (
        "Officials said: ‘Last week troops arrived.’ Yesterday, it rained. "
        "On March 3, 2023, it snowed."
    )
    result = _extract(rules_extractor, text, "2023-03-10")
    anchors = {t.mention.text: (t.anchor, t.value) for t in result.times}
    assert anchors == {
        "Last week": ("speech", "2023-W09"),
        "Yesterday": ("published", "2023-03-09"),
        "March 3, 2023": ("absolute", "2023-03-03"),
    }
    assert result.check_spans() == []
    undated = _extract(rules_extractor, text, None)
    assert {t.mention.text: (t.anchor, t.value) for t in undated.times}["Yesterday"] == (
        "none",
        None,
    )


@pytest.mark.usefixtures("with_times")
def test_claims_list_times_in_content_and_of_the_claim_itself(extractor: Extractor) -> None:
    text = "Prigozhin claimed last month that his group left Bakhmut on Thursday."
    result = _extract(extractor, text, "2023-03-10")
    by_text = {t.mention.text: t for t in result.times}
    claim = next(c for c in result.claims if c.cue is not None)
    assert set(claim.times) == {by_text["last month"].id, by_text["Thursday"].id}
    assert by_text["Thursday"].anchor == "speech"
    assert by_text["last month"].anchor == "published"


@pytest.mark.usefixtures("with_times")
def test_tense_places_weekdays_and_months(extractor: Extractor) -> None:
    result = _extract(extractor, "The minister will visit on Thursday.", "2023-03-07")
    assert [t.value for t in result.times] == ["2023-03-09"]
    result = _extract(extractor, "The minister visited on Thursday.", "2023-03-07")
    assert [t.value for t in result.times] == ["2023-03-02"]


@pytest.mark.usefixtures("with_times")
@pytest.mark.parametrize(
    ("text", "value"),
    [
        # published Tuesday 2024-07-02: modals, schedules, plans and infinitives look ahead
        ("Pensions would be cut by 5% from Thursday, the minister said.", "2024-07-04"),
        ("The report is due before Friday.", "../2024-07-04"),  # open: up to the day before
        ("The vote is on Thursday.", "2024-07-04"),
        ("Talks are set to resume Thursday.", "2024-07-04"),
        ("He said he would travel to Paris on Friday.", "2024-07-05"),
        ("Protesters planned a large demonstration on Saturday.", "2024-07-06"),
        ("They expect the deal to be completed by Dec. 15.", "../2024-12-15"),
        # past tense, perfects and "since" look back
        ("Police said the man was arrested Friday.", "2024-06-28"),
        ("The law would have taken effect on Friday.", "2024-06-28"),
        ("Officials have met since Monday.", "2024-07-01/.."),
        ("The company reported on Monday that profits fell.", "2024-07-01"),
        # a noun phrase has no tense of its own: the default, on or before publication
        ("The move follows Monday's declaration by Ford.", "2024-07-01"),
    ],
)
def test_tense_and_aspect_place_weekdays(extractor: Extractor, text: str, value: str) -> None:
    result = _extract(extractor, text, "2024-07-02")
    assert [t.value for t in result.times] == [value]


@pytest.mark.parametrize(
    "text", ["The incidents of Aug. 7 underscore that", "the Dec. 7 attack killed 2,400 people"]
)
def test_abbreviated_month_before_a_noun_is_a_date(text: str) -> None:
    assert len(find_times(text)) == 1


@pytest.mark.usefixtures("with_times")
def test_may_the_modal_and_may_the_name_are_not_times(extractor: Extractor) -> None:
    result = _extract(extractor, "Theresa May said talks may resume in May.", "2023-03-10")
    assert [t.mention.text for t in result.times] == ["May"]
    assert result.times[0].mention.start == result.document.text.rindex("May")


@pytest.mark.usefixtures("with_times")
def test_example_article_times(extractor: Extractor) -> None:
    text = shared_path("examples", EXAMPLE.name).read_text(encoding="utf-8")
    expected = yaml.safe_load(EXAMPLE.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
    result = _extract(extractor, text, "2023-03-10")
    for item in expected["times"]:
        mention = item["mention"].lower()
        hits = [t for t in result.times if t.mention.text.lower() == mention]
        assert hits, f"{item['mention']!r} not found"
        for hit in hits:
            if "value_accept" in item:
                assert hit.value in item["value_accept"]
            if "precision" in item:
                assert hit.precision == item["precision"]
            if "start_between" in item:
                low, high = item["start_between"]
                assert hit.start is not None
                assert low <= hit.start <= high
            if "end_between" in item:
                low, high = item["end_between"]
                assert hit.end is not None
                assert low <= hit.end <= high
    occurrences = expected["times"][0]  # "last month": both occurrences
    assert sum(t.mention.text.lower() == occurrences["mention"] for t in result.times) == 2


def test_recognizers_floor() -> None:
    from bench.times import FLOOR, KINDS, MODEL_FILE, evaluate, load_cases

    path = shared_path("data", "time", MODEL_FILE)
    score = evaluate(load_cases(path))
    assert sum(score.total[kind] for kind in KINDS) > 400
    assert score.accuracy() >= FLOOR, score.as_dict()


@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        # named days (data/time_holidays.tsv), placed like a month and day without a year
        ("They met at Thanksgiving.", "Thanksgiving", "2022-11-24"),
        ("It fell on Easter 2024.", "Easter 2024", "2024-03-31"),
        ("They met last Christmas.", "last Christmas", "2022-12-25"),
        ("It opened on Memorial Day.", "Memorial Day", "2023-05-29"),
        ("Parades on the Fourth of July.", "the Fourth of July", "2023-07-04"),
        # times of day (TimeML parts, clock times) on a day the text names
        ("He left Friday morning.", "Friday morning", "2023-03-10TMO"),
        ("The vote closed at 10 p.m. Wednesday.", "10 p.m. Wednesday", "2023-03-08T22:00"),
        ("Talks ended at noon Thursday.", "noon Thursday", "2023-03-09T12:00"),
        ("It rained yesterday afternoon.", "yesterday afternoon", "2023-03-09TAF"),
        ("They met Wednesday at 10:30 a.m.", "Wednesday at 10:30 a.m.", "2023-03-08T10:30"),
        # open intervals: ISO 8601-2 open ends
        ("Prices have risen since August.", "since August", "2022-08/.."),
        ("The ban lasts until March.", "until March", "../2023-03"),
        ("Nothing was built before 2018.", "before 2018", "../2017-12-31"),
        ("Sales grew after 2018.", "after 2018", "2019-01-01/.."),
        # adjectival, bare and one-word durations and quarters
        ("They signed a two-year contract.", "two-year", "P2Y"),
        ("It was a 16-hour day.", "16-hour", "PT16H"),
        ("They waited for weeks.", "weeks", "PXW"),
        ("Third-quarter profit fell.", "Third-quarter", "2022-Q3"),  # not begun: last year's
        ("Profit in the 1988 second quarter fell.", "1988 second quarter", "1988-Q2"),
    ],
)
def test_holidays_times_of_day_open_intervals_durations(
    text: str, mention: str, value: str
) -> None:
    assert _one(text) == (mention, value, _one(text)[2])


def test_open_interval_has_one_bound() -> None:
    found = find_times("Prices have risen since August.")
    resolved = resolve(found[0].expr, PUBLISHED)
    assert (resolved.start, resolved.end, resolved.open) == (date(2022, 8, 1), None, "end")


@pytest.mark.usefixtures("with_times")
def test_narrative_times_count_from_the_last_anchored_day(extractor: Extractor) -> None:
    text = (
        "Troops entered the town on March 3. Three weeks later they left, and the next day "
        "the mayor returned.\n\nA year later nothing had changed."
    )
    result = _extract(extractor, text, "2023-03-10")
    by_text = {t.mention.text: t for t in result.times}
    later, next_day = by_text["Three weeks later"], by_text["the next day"]
    assert (later.value, later.anchor, later.anchor_time) == (
        "2023-03-24", "published", by_text["March 3"].id,
    )  # fmt: skip
    assert (next_day.value, next_day.anchor_time) == ("2023-03-25", later.id)
    # a new paragraph: no anchor the text allows, so nothing is invented
    assert (by_text["A year later"].value, by_text["A year later"].anchor) == (None, "none")


@pytest.mark.usefixtures("with_times")
def test_open_interval_in_the_record(extractor: Extractor) -> None:
    result = _extract(extractor, "Prices have risen since August.", "2023-03-10")
    (record,) = result.times
    assert (record.value, record.start, record.end, record.open) == (
        "2022-08/..", "2022-08-01", None, "end",
    )  # fmt: skip


TBAQ_FLOORS = {"tune": (0.90, 0.82), "held-out": (0.87, 0.80)}  # (recall, value accuracy)


@pytest.mark.slow
@pytest.mark.parametrize("split", sorted(TBAQ_FLOORS))
def test_tbaq_floors(split: str) -> None:
    from bench.times import TBAQ, evaluate_tbaq, tbaq_splits

    if not TBAQ.is_dir():
        pytest.skip("TBAQ not in the shared data")
    score = evaluate_tbaq(tbaq_splits()[split]).as_dict()
    recall, value = TBAQ_FLOORS[split]
    assert score["precision"] >= 0.91, score
    assert score["recall"] >= recall, score
    assert score["value_accuracy"] >= value, score


@pytest.mark.usefixtures("with_times")
@pytest.mark.parametrize(
    ("text", "mention", "value"),
    [
        # the writer's now, past and future (TimeML's reference values)
        ("Prices are now rising.", "now", "PRESENT_REF"),
        ("He recently left.", "recently", "PAST_REF"),
        ("In the future, we will see.", "the future", "FUTURE_REF"),
        # periods counted from publication
        ("In the latest quarter, profit rose.", "the latest quarter", "1989-Q3"),
        # anaphoric periods: the period of the last time the story named
        ("It happened in 1988. That year, the company grew.", "That year", "1988"),
        ("Profit rose in the third quarter. In the quarter, sales fell.", "the quarter", "1989-Q3"),
        (
            "Profit rose in the third quarter of 1988. A year earlier it fell.",
            "A year earlier",
            "1987-Q3",
        ),
    ],
)
def test_deictic_and_anaphoric_times(
    extractor: Extractor, text: str, mention: str, value: str
) -> None:
    result = _extract(extractor, text, "1989-10-26")
    assert {t.mention.text: t.value for t in result.times}[mention] == value


@pytest.mark.usefixtures("with_times")
def test_narrative_time_finer_than_its_anchor_stays_unresolved(extractor: Extractor) -> None:
    result = _extract(extractor, "In March they met. The next day they left.", "2023-03-10")
    assert {t.mention.text: t.value for t in result.times}["The next day"] is None


@pytest.mark.parametrize(
    ("text", "ref", "mention", "value"),
    [
        # seasons (TimeML codes); "fall" the noun or verb is none
        ("They met last fall.", PUBLISHED, "last fall", "2022-FA"),
        ("It rained in the summer of 2022.", PUBLISHED, "summer of 2022", "2022-SU"),
        # a quarter not yet begun is last year's when the clause does not look ahead
        ("Profit fell in the fourth quarter.", date(1998, 1, 8), "the fourth quarter", "1997-Q4"),
    ],
)
def test_seasons_and_quarters(text: str, ref: date, mention: str, value: str) -> None:
    found = find_times(text)
    assert [(m.text, resolve(m.expr, ref).value) for m in found] == [(mention, value)]


@pytest.mark.parametrize("text", ["Prices fall in the spring rains.", "the fall in prices"])
def test_fall_the_word_is_no_season(text: str) -> None:
    assert [m.text for m in find_times(text)] in ([], ["spring"])


def test_month_day_weeks_ahead_in_a_past_clause() -> None:
    # "Dunkin' set Nov. 10 as the deadline" on 1989-10-26: the coming Nov. 10, not 1988's
    found = find_times("Dunkin' set Nov. 10 as the deadline.")
    assert resolve(found[0].expr, date(1989, 10, 26), "past").value == "1989-11-10"
    found = find_times("He was born on July 4.")
    assert resolve(found[0].expr, PUBLISHED, "past").value == "2022-07-04"
