from __future__ import annotations

import codecs
import random

import pytest

from claimtrace.errors import (
    BinaryInputError,
    ConfigError,
    EmptyInputError,
    UndecodableInputError,
)
from claimtrace.ingest import decode_bytes

NEWS = "Officials in Kyiv said on Monday that 40 people were hurt. “It was chaos,” one said."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (NEWS, "utf-8"),
        ("Grüße aus Köln: die Straße ist gesperrt, sagte die Polizei am Montag.", "cp1252"),
        ("Привет! Министерство обороны заявило, что потери были тяжёлыми.", "cp1251"),
        ("Ελληνικά νέα: η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία σήμερα.", "iso8859_7"),
    ],
)
def test_detects_common_encodings(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    decoded = decode_bytes(data, "article.txt")
    assert decoded.text == text
    # The encoding reported is one that really maps these bytes to this text.
    assert decoded.text.encode(decoded.encoding) == data


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks_decide_and_are_dropped(encoding: str) -> None:
    decoded = decode_bytes(NEWS.encode(encoding), "a.txt")
    assert decoded.text == NEWS
    assert decoded.encoding.endswith("(BOM)")


def test_utf16_without_bom_is_text_not_binary() -> None:
    decoded = decode_bytes(
        ("Ceasefire talks resumed in Geneva today. " * 20).encode("utf-16-le"), "a"
    )
    assert decoded.text.startswith("Ceasefire talks resumed in Geneva today.")
    assert decoded.encoding.startswith("utf-16")


def test_a_few_broken_bytes_in_utf8_are_replaced_and_counted() -> None:
    data = ("Zürich police said 12 people — including 3 children — were hurt. " * 10).encode()
    data = data[:50] + b"\xff" + data[50:]
    decoded = decode_bytes(data, "a.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.replaced_bytes == 1
    assert "Zürich" in decoded.text


def test_empty_input_is_refused_with_its_name() -> None:
    with pytest.raises(EmptyInputError, match=r"^empty\.txt: empty input"):
        decode_bytes(b"", "empty.txt")


def test_binary_file_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(BinaryInputError, match=r"^picture\.png: binary file"):
        decode_bytes(png, "picture.png")


def test_random_bytes_are_undecodable_or_binary() -> None:
    rng = random.Random(7)
    noise = bytes(rng.randrange(128, 256) for _ in range(4000))
    with pytest.raises((UndecodableInputError, BinaryInputError), match=r"^noise\.bin: "):
        decode_bytes(noise, "noise.bin")


def test_control_characters_mean_binary() -> None:
    with pytest.raises(BinaryInputError, match="control characters"):
        decode_bytes(bytes(range(1, 9)) * 200, "data.bin")


def test_given_encoding_is_used_and_checked() -> None:
    assert decode_bytes("café".encode("latin-1"), "a", "latin-1").text == "café"
    with pytest.raises(UndecodableInputError, match=r"^a: not valid utf-8: byte 3"):
        decode_bytes("café".encode("latin-1"), "a", "utf-8")
    with pytest.raises(ConfigError, match="unknown encoding"):
        decode_bytes(b"abc", "a", "no-such-codec")


def test_bom_table_is_complete() -> None:
    # Guard against reordering: the UTF-32 LE BOM starts with the UTF-16 LE one.
    assert codecs.BOM_UTF32_LE.startswith(codecs.BOM_UTF16_LE)
    assert decode_bytes(codecs.BOM_UTF32_LE + NEWS.encode("utf-32-le"), "a").text == NEWS


ARTICLES = {
    "English": "Ceasefire talks resumed in Geneva today, officials said. ",
    "Russian": "Министерство обороны заявило, что потери были тяжёлыми, сообщили 12 марта. ",
    "Greek": "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία σήμερα. ",
    "Arabic": "قالت الحكومة إن المحادثات ستستأنف في جنيف اليوم. ",
    "Japanese": "東京で会談が再開されたと、政府関係者が語った。 2024年3月 ",
}


@pytest.mark.parametrize("language", sorted(ARTICLES))
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_text_without_bom_in_any_script_is_read(language: str, encoding: str) -> None:
    text = ARTICLES[language] * 8
    decoded = decode_bytes(text.encode(encoding), "a.txt")
    assert (decoded.text, decoded.encoding) == (text, encoding)


def test_a_short_binary_is_not_taken_for_utf16() -> None:
    # Decodes as UTF-16 LE to "慢d\ufeff": three characters, no evidence.
    with pytest.raises(BinaryInputError, match=r"^x\.bin: binary file \(NUL bytes\)"):
        decode_bytes(b"bad\x00\xff\xfe", "x.bin")


def test_binaries_with_nuls_are_not_taken_for_wide_text() -> None:
    rng = random.Random(17)
    for _ in range(3000):
        size = rng.choice([6, 16, 32, 64, 66, 100, 256, 1024])
        data = bytearray(rng.randrange(256) for _ in range(size))
        for _ in range(rng.randrange(1, 9)):
            data[rng.randrange(size)] = 0
        if data.count(0) <= 64 and data.count(0) <= size * 0.02:
            continue  # a few stray NULs: decoded as text with them, if the rest is text
        try:
            decoded = decode_bytes(bytes(data), "noise.bin")
        except (BinaryInputError, UndecodableInputError):
            continue
        pytest.fail(f"{bytes(data)!r} decoded as {decoded.encoding}: {decoded.text!r}")


def test_a_few_stray_nuls_keep_the_text_and_stay_in_it_for_the_repair_pass() -> None:
    data = NEWS.encode() * 4
    data = data[:20] + b"\x00" + data[20:100] + b"\x00\x00" + data[100:]
    decoded = decode_bytes(data, "a.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text == data.decode("utf-8")  # NULs kept: repair removes and records them
    legacy = ("Grüße aus Köln: die Straße ist gesperrt, sagte die Polizei. " * 4).encode("cp1252")
    decoded = decode_bytes(legacy[:30] + b"\x00" + legacy[30:], "b.txt")
    assert decoded.text.replace("\x00", "") == legacy.decode("cp1252")


def test_many_nuls_are_still_a_binary() -> None:
    data = bytearray((NEWS * 4).encode())
    data[::20] = b"\x00" * len(data[::20])
    with pytest.raises(BinaryInputError, match="binary file"):
        decode_bytes(bytes(data), "a.bin")
