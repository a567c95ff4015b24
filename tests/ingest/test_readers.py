from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from claimtrace.errors import (
    EmptyInputError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    InvalidMetadataError,
    MalformedFeedLineError,
)
from claimtrace.ingest import Metadata, RawInput, build_document, iter_inputs

LIMIT = 10_000


def collect(
    *sources: str, stdin: bytes | None = None, limit: int = LIMIT
) -> list[RawInput | InputError]:
    stream = io.BytesIO(stdin) if stdin is not None else None
    return list(iter_inputs(sources, max_bytes=limit, stdin=stream))


def names(items: list[RawInput | InputError]) -> list[str]:
    return [item.name if isinstance(item, RawInput) else f"ERR {item.input}" for item in items]


def test_directory_is_walked_in_order_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Second.")
    (tmp_path / "a.txt").write_text("First.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("<html><body><p>x</p></body></html>")
    (tmp_path / ".hidden.txt").write_text("no")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("no")
    items = collect(str(tmp_path))
    assert names(items) == [str(tmp_path / n) for n in ("a.txt", "b.txt", "sub/c.html")]
    assert [i.kind for i in items if isinstance(i, RawInput)] == ["auto", "auto", "html"]


def test_missing_path_is_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.")
    items = collect(str(tmp_path / "nope.txt"), str(tmp_path / "a.txt"))
    assert isinstance(items[0], InputNotFoundError)
    assert str(items[0]).endswith("nope.txt: no such file or directory")
    assert isinstance(items[1], RawInput)


def test_feed_lines_become_documents_with_metadata_and_bad_lines_errors(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(
            {"text": "One.", "title": "T1", "url": "https://a.example/1", "published": "2024-01-02"}
        ),
        "",
        "{not json",
        json.dumps({"html": "<html><body><p>Two.</p></body></html>", "publisher": "P"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "no body"}),
        json.dumps({"text": "Three.", "title": 5}),
    ]
    feed.write_text("\n".join(lines) + "\n")
    items = collect(str(feed))
    assert names(items) == [
        f"{feed}:1",
        f"ERR {feed}:3",
        f"{feed}:4",
        f"ERR {feed}:5",
        f"ERR {feed}:6",
        f"ERR {feed}:7",
    ]
    first, bad_json, second = items[0], items[1], items[2]
    assert isinstance(first, RawInput)
    assert first.metadata == Metadata(title="T1", url="https://a.example/1", published="2024-01-02")
    assert isinstance(bad_json, MalformedFeedLineError)
    assert "not valid JSON" in str(bad_json)
    assert isinstance(second, RawInput)
    assert second.kind == "html"
    assert "needs a 'text' or 'html' field" in str(items[4])
    assert "field 'title' must be a string" in str(items[5])


def test_oversized_feed_line_is_skipped_alone(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": "x" * (LIMIT * 3)}) + "\n" + json.dumps({"text": "After."}) + "\n"
    )
    items = collect(str(feed))
    assert isinstance(items[0], InputTooLargeError)
    assert isinstance(items[1], RawInput)
    assert items[1].data == "After."


def test_json_file_with_one_article_or_an_array(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"text": "One.", "title": "T"}))
    (tmp_path / "many.json").write_text(json.dumps([{"text": "A."}, {"text": "B."}]))
    (tmp_path / "broken.json").write_text("{")
    items = collect(
        str(tmp_path / "one.json"), str(tmp_path / "many.json"), str(tmp_path / "broken.json")
    )
    assert names(items)[:3] == [
        str(tmp_path / "one.json"),
        f"{tmp_path / 'many.json'}[0]",
        f"{tmp_path / 'many.json'}[1]",
    ]
    assert isinstance(items[3], MalformedFeedLineError)


def test_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    (item,) = collect(str(big))
    assert isinstance(item, InputTooLargeError)
    assert "200.0 MiB" in str(item)
    assert "--max-bytes" in str(item)


def test_stdin_text_and_stdin_feed() -> None:
    (text,) = collect("-", stdin=b"Plain words from a pipe.")
    assert isinstance(text, RawInput)
    assert (text.name, text.kind) == ("stdin", "auto")
    feed = collect("-", stdin=b'{"text": "A."}\n{"text": "B."}\n')
    assert names(feed) == ["stdin:1", "stdin:2"]
    (too_big,) = collect("-", stdin=b"x" * (LIMIT + 1))
    assert isinstance(too_big, InputTooLargeError)


def test_empty_feed_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("")
    (item,) = collect(str(tmp_path / "empty.jsonl"))
    assert isinstance(item, EmptyInputError)


def test_flags_override_found_metadata() -> None:
    raw = RawInput("f:1", "Text here.", "text", Metadata(title="Found", published="2020-01-01"))
    document = build_document(raw, Metadata(published="2023-03-10"))
    assert (document.title, document.published) == ("Found", "2023-03-10")


@pytest.mark.parametrize("value", ["10 March 2023", "2023-13-01", "2023/03/10"])
def test_bad_published_is_a_clear_error(value: str) -> None:
    with pytest.raises(InvalidMetadataError, match="is not a date"):
        build_document(RawInput("f:1", "Text.", "text", Metadata(published=value)))


def test_document_id_is_sha256_of_repaired_text() -> None:
    import hashlib

    document = build_document(RawInput("a", "War news.Â\nMore.".encode(), "auto"))
    assert document.text == "War news.\nMore."
    assert document.id == hashlib.sha256(b"War news.\nMore.").hexdigest()
    assert document.raw_sha256 == hashlib.sha256("War news.Â\nMore.".encode()).hexdigest()


def test_whitespace_only_text_is_refused() -> None:
    with pytest.raises(EmptyInputError, match="only whitespace"):
        build_document(RawInput("blank.txt", b" \n\n\t ", "auto"))


def test_count_inputs_matches_what_is_read(tmp_path: Path) -> None:
    from claimtrace.ingest import count_inputs

    for name in ("a.txt", "b.html", ".hidden", "sub/c.txt", ".git/x"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Words.")
    assert count_inputs([str(tmp_path)]) == len(collect(str(tmp_path))) == 3
    assert count_inputs([str(tmp_path / "a.txt"), str(tmp_path)]) == 4
    (tmp_path / "feed.jsonl").write_text('{"text": "x"}\n')
    assert count_inputs([str(tmp_path / "feed.jsonl")]) is None
    assert count_inputs(["-"]) is None


def test_malformed_feed_line_keeps_its_number_and_the_whole_reason(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b'{"text": "One."}\n\n{"text": "a\x01b"}\n{"text": \n')
    items = collect(str(feed))
    assert [str(item) for item in items if isinstance(item, InputError)] == [
        f"{feed}:3: not valid JSON (Invalid control character at line 1 column 12 (char 11))",
        f"{feed}:4: not valid JSON (Expecting value at line 1 column 10 (char 9))",
    ]


def test_malformed_json_file_says_where(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('[{"text": "A."},\n {"text": "B."]')
    (item,) = collect(str(tmp_path / "broken.json"))
    assert str(item) == (
        f"{tmp_path / 'broken.json'}: not valid JSON "
        "(Expecting ',' delimiter at line 2 column 15 (char 31))"
    )


def test_json_nested_too_deeply_is_a_malformed_line_not_a_crash(tmp_path: Path) -> None:
    deep = b'{"text": ' + b"[" * 100_000
    (tmp_path / "deep.jsonl").write_bytes(deep + b"\n")
    (tmp_path / "deep.json").write_bytes(deep)
    items = collect(str(tmp_path / "deep.jsonl"), str(tmp_path / "deep.json"), limit=10**6)
    assert [type(item) for item in items] == [MalformedFeedLineError] * 2
    assert all("not valid JSON (nested too deeply)" in str(item) for item in items)
    # On stdin, the first line is parsed to tell a feed from a text: that must not crash either.
    (from_stdin,) = collect("-", stdin=b"{" + b'"a":[' * 3000, limit=10**6)
    assert isinstance(from_stdin, RawInput)
