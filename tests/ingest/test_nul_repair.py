"""Stray NULs in a text: removed, each recorded as a replayable repair."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimtrace.errors import BinaryInputError
from claimtrace.ingest import RawInput, build_document, decode_bytes, repair_text, repaired_offset
from tests.ingest.test_repair import replay

ARTICLE = "Officials in Kyiv said on Monday that 40 people were hurt. “It was chaos,” one said.\n"


def test_stray_nuls_in_a_utf8_file_are_removed_and_recorded() -> None:
    data = (ARTICLE * 3).encode()
    data = data[:10] + b"\x00" + data[10:130] + b"\x00\x00" + data[130:]  # 130: "people"
    document = build_document(RawInput("a.txt", data, "auto"))
    assert document.text == ARTICLE * 3
    assert document.encoding == "utf-8"
    decoded = decode_bytes(data, "a.txt").text  # the input the offsets index
    assert [
        (r.kind, r.fixer, r.input_start, r.input_end, r.start, r.end, r.before, r.after)
        for r in document.repairs
    ] == [
        ("debris", "nul_removed", 10, 11, 10, 10, "\x00", ""),
        ("debris", "nul_removed", 127, 129, 126, 126, "\x00\x00", ""),
    ]
    assert decoded[127:129] == "\x00\x00"
    assert replay(decoded, document.repairs) == document.text


def test_nuls_next_to_other_debris_are_recorded_apart() -> None:
    raw = "It added:Â\x00\nThe agency\x00â€™s figures\x00\r\nend"
    fixed = repair_text(raw)
    assert fixed.text == "It added:\nThe agency’s figures\nend"
    # ftfy's fixer names all it did on the line; the NULs and the lone Â are named alone.
    assert [(r.fixer.split(":")[0], r.before, r.after) for r in fixed.repairs] == [
        ("lone_a_circumflex", "Â", ""),
        ("nul_removed", "\x00", ""),
        ("nul_removed", "\x00", ""),
        ("ftfy", "â€™", "’"),
        ("nul_removed", "\x00", ""),
        ("ftfy", "\r", ""),
    ]
    assert replay(raw, fixed.repairs) == fixed.text


def test_a_nul_inside_mojibake_is_one_repair_that_names_both() -> None:
    raw = "The agencyâ€\x00™s figures"
    fixed = repair_text(raw)
    assert fixed.text == "The agency’s figures"
    (repair,) = fixed.repairs
    assert (repair.before, repair.after, repair.kind) == ("â€\x00™", "’", "encoding")
    assert repair.fixer.startswith("nul_removed,ftfy:")
    assert replay(raw, fixed.repairs) == fixed.text


def test_a_feed_text_with_nuls_is_repaired_the_same_way() -> None:
    document = build_document(RawInput("feed.jsonl:1", "War\x00 news.", "text"))
    assert document.text == "War news."
    assert [(r.fixer, r.input_start) for r in document.repairs] == [("nul_removed", 3)]


def test_a_file_of_many_nuls_is_still_a_binary() -> None:
    data = ARTICLE.encode().replace(b" ", b"\x00")
    with pytest.raises(BinaryInputError, match=r"^a\.bin: binary file \(NUL bytes\)"):
        build_document(RawInput("a.bin", data, "auto"))


_PIECES = st.sampled_from(["\x00", "\x00\x00", "Â", "Â\n", "â€™", "â€", "\r\n", " ", "x", "ab"])
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_TEXT)
@example("â€\x00™Â\x00")
def test_any_text_with_nuls_repairs_to_a_replayable_fixed_point(raw: str) -> None:
    fixed = repair_text(raw)
    assert "\x00" not in fixed.text
    assert replay(raw, fixed.repairs) == fixed.text
    for repair in fixed.repairs:
        assert fixed.text[repair.start : repair.end] == repair.after
        if repair.fixer == "nul_removed":
            assert (repair.kind, repair.after) == ("debris", "")
            assert set(repair.before) == {"\x00"}
    inside = {i for r in fixed.repairs for i in range(r.input_start, r.input_end)}
    for i, char in enumerate(raw):
        if i not in inside:
            assert fixed.text[repaired_offset(fixed.repairs, i)] == char
    assert repair_text(fixed.text).text == fixed.text
