"""Arbitrary and hostile input, through ingest, the extractor and the command line.

Whatever comes in — random bytes, random Unicode, tag soup, thousands of nested elements, a
300 KB line — the only exception that may come out is claimtrace's own
:class:`~claimtrace.errors.InputError` (as a result, or raised by ``build_document``); the command
exits 0, 1 or 3 with no traceback and no internal error; and extracting the same input twice
gives the same JSON.

The examples are derandomized, so a run is reproducible and bounded in time (on the ``rules``
pipeline); set ``CLAIMTRACE_FUZZ=N`` to search N fresh random examples per test instead.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimtrace import Extractor
from claimtrace.cli import main
from claimtrace.errors import InputError, StageError
from claimtrace.ingest import RawInput, build_document
from claimtrace.ingest.readers import Kind, feed_line
from claimtrace.records import Extraction, to_json

_FUZZ = int(os.environ.get("CLAIMTRACE_FUZZ", "0"))
#: A stage that fails on a document becomes that document's one-line StageError, so nothing
#: escapes; still a bug in the stage. A search (CLAIMTRACE_FUZZ=N) fails on one, to find them.
_STAGE_ERRORS_FAIL = bool(_FUZZ)


def fuzz(examples: int) -> settings:
    """``examples`` fixed examples, or ``CLAIMTRACE_FUZZ`` random ones."""
    return settings(
        max_examples=_FUZZ or examples,
        deadline=None,
        derandomize=not _FUZZ,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def outcome(extractor: Extractor, raw: RawInput) -> str:
    """The extraction's JSON, or the error's one line; nothing else may be raised."""
    with contextlib.suppress(InputError):
        build_document(raw)
    (result,) = list(extractor.extract_inputs([raw]))
    if isinstance(result, StageError) and _STAGE_ERRORS_FAIL:
        pytest.fail(f"a stage failed on {raw.data!r:.300}: {result}")
    if isinstance(result, InputError):
        assert "\n" not in str(result)
        return f"error: {result}"
    assert isinstance(result, Extraction)
    return to_json(result)


def check(extractor: Extractor, raw: RawInput) -> None:
    assert outcome(extractor, raw) == outcome(extractor, raw)


# --- strategies ----------------------------------------------------------------------------

_BOMS = st.sampled_from(
    [b"", b"", b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]
)
#: Pieces of news text and of debris.
_WORDS = st.sampled_from(
    [
        "said",
        "Officials",
        "“",
        "”",
        "‘",
        "’",
        '"',
        "'",
        ",",
        ".",
        ":",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "40",
        "per cent",
        "on Monday",
        "in Kyiv",
        "according to",
        "Â",
        "â€™",
        "\x00",
        "\t",
    ]
)
_NEWSY = st.lists(st.one_of(_WORDS, st.text(max_size=10)), max_size=60).map("".join)
_ENCODINGS = st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "cp1252", "cp1251"])
#: Pieces of HTML, whole and broken.
_TAGS = st.sampled_from(
    [
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<b>",
        "</i>",
        "<article>",
        "<table><tr><td>",
        "<br/>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<",
        ">",
        "&",
        "&amp;",
        "&#0;",
        "&#xD800;",
        "&#x110000;",
        "&nbsp;",
        "<a href='",
        "'>",
        '<meta charset="',
        "<html>",
        "<body>",
        "<head>",
        "<title>",
        "</title>",
        "<!DOCTYPE html>",
        "<svg><g>",
        "\x00",
    ]
)
_SOUP = st.lists(st.one_of(_TAGS, _WORDS, st.text(max_size=12)), max_size=80).map("".join)


def _sprinkled(data: bytes, nuls: list[int]) -> bytes:
    out = bytearray(data)
    for place in nuls:
        if out:
            out[place % len(out)] = 0
    return bytes(out)


_BYTES = st.one_of(
    st.binary(max_size=3000),
    st.tuples(_BOMS, st.binary(max_size=600)).map(b"".join),
    st.tuples(_NEWSY, _ENCODINGS).map(lambda pair: pair[0].encode(pair[1], "replace")),
    st.tuples(_NEWSY.map(str.encode), st.lists(st.integers(0, 10**6), max_size=6)).map(
        lambda pair: _sprinkled(*pair)
    ),
)


# --- the extractor ---------------------------------------------------------------------------


@fuzz(300)
@given(_BYTES)
@example(b"bad\x00\xff\xfe")
@example(b"\xff\xfe")
@example(b"\x00" * 64)
@example(b"<html><body>\x00</body></html>")
def test_any_bytes(rules_extractor: Extractor, data: bytes) -> None:
    check(rules_extractor, RawInput("fuzz.txt", data, "auto"))


@fuzz(200)
@given(st.one_of(st.text(max_size=2000), _NEWSY), st.sampled_from(["text", "html"]))
@example("\ud800 said the minister.", "text")
@example("<p>The minister said \udfff it was so.</p>", "html")
def test_any_unicode_text(rules_extractor: Extractor, text: str, kind: Kind) -> None:
    check(rules_extractor, RawInput("feed.jsonl:1", text, kind))


@fuzz(200)
@given(_SOUP, st.booleans())
def test_tag_soup(rules_extractor: Extractor, soup: str, as_bytes: bool) -> None:
    html = "<html><body>" + soup
    data: str | bytes = html.encode("utf-8", "surrogatepass") if as_bytes else html
    check(rules_extractor, RawInput("page.html", data, "html"))
    check(rules_extractor, RawInput("page", data, "auto"))


_ARTICLE = "<p>Officials said on Monday that the bridge would stay closed until June.</p>"


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("<div>" * 5000 + _ARTICLE + "</div>" * 5000, id="5000-nested-div"),
        pytest.param("<div>" * 5000 + _ARTICLE, id="5000-unclosed-div"),
        pytest.param("<b><i><span>" * 3000 + _ARTICLE, id="unclosed-inline"),
        pytest.param(
            "<table>" + "<tr><td><table>" * 1500 + _ARTICLE + "</table></td></tr>" * 1500,
            id="nested-tables",
        ),
        pytest.param(_ARTICLE + "<p>" + "x" * 300_000, id="300KB-paragraph"),
        pytest.param("<!--" + _ARTICLE * 2000, id="unclosed-comment"),
        pytest.param("<script>" + _ARTICLE * 2000, id="unclosed-script"),
    ],
)
def test_deep_and_broken_html(rules_extractor: Extractor, html: str) -> None:
    page = "<!DOCTYPE html><html><head><title>T</title></head><body>" + html
    check(rules_extractor, RawInput("page.html", page.encode(), "html"))


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("The ministryâ€™s statementÂ was read. " * 7000, id="300KB-with-debris"),
        pytest.param("officials " * 30_000, id="300KB-of-one-word"),
        pytest.param("x" * 300_000, id="300KB-without-a-space"),
        # Kept to a thousand each: spaCy's tokenizer takes time quadratic in the length of a run
        # of marks it splits off one by one (100,000 "’" after 100,000 "Â" take over a minute).
        pytest.param("Â\x00" * 20 + "“" * 1000 + "[" * 1000 + "’" * 1000, id="runs-of-marks"),
    ],
)
def test_huge_single_lines(rules_extractor: Extractor, line: str) -> None:
    assert "\n" not in line
    check(rules_extractor, RawInput("long.txt", line.encode(), "auto"))


@fuzz(150)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.dictionaries(
            st.sampled_from(["text", "html", "title", "url", "published", "publisher", "x"]),
            st.one_of(st.none(), st.integers(), st.text(max_size=200), _NEWSY, _SOUP),
            max_size=5,
        ).map(lambda record: json.dumps(record).encode()),
    )
)
@example(b'{"text": ' + b"[" * 5000)
@example(b'{"text": "a\\u0000b\\ud800"}')
def test_feed_lines(rules_extractor: Extractor, line: bytes) -> None:
    item = feed_line(line, "feed.jsonl:1")
    if isinstance(item, RawInput):
        check(rules_extractor, item)
    else:
        assert item is None or "\n" not in str(item)


# --- the command line ----------------------------------------------------------------------


@contextmanager
def _input_file(name: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def run_cli(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["extract", "--model", "rules", "--quiet", "--format", "jsonl", str(path)])
    out, err = capsys.readouterr()
    assert code in (0, 1, 3), err
    assert "Traceback" not in err
    assert "internal error" not in err
    assert all(line.startswith("claimtrace: error: ") for line in err.splitlines()), err
    return code, out


@fuzz(60)
@given(
    st.sampled_from(["a.txt", "a.html", "a.json", "a.jsonl", "a"]),
    st.one_of(_BYTES, _SOUP.map(str.encode), _NEWSY.map(str.encode)),
)
@example("a.jsonl", b'{"text": "a\x01b"}\n{"text": "Officials said it rained."}\n')
@example("a.json", b"[" * 100_000)
def test_cli_on_any_file(capsys: pytest.CaptureFixture[str], name: str, data: bytes) -> None:
    with _input_file(name, data) as path:
        assert run_cli(capsys, path) == run_cli(capsys, path)


def test_cli_on_a_300kb_line(capsys: pytest.CaptureFixture[str]) -> None:
    line = "Officials said the bridge would stay closed. " * 6700
    with _input_file("long.txt", line.encode()) as path:
        code, out = run_cli(capsys, path)
    assert code == 0
    assert json.loads(out)["document"]["text"] == line


def test_a_superscript_digit_is_not_a_number(rules_extractor: Extractor) -> None:
    """'²'.isdigit() is true but int('²') fails: the time stage crashed on it."""
    text = "² ¹ on the 3²rd of ² May, ²² people said."
    (result,) = rules_extractor.extract_inputs([RawInput("sup.txt", text.encode(), "auto")])
    assert not isinstance(result, StageError), str(result)
