"""Name keys: spelling folds for exact lookup, romanisation folds for fuzzy candidates."""

from __future__ import annotations

import pytest

from claimtrace.places.names import name_key, region_base, sound_key


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Donets'k", "donetsk"),
        ("U.S.", "us"),
        ("St. John's", "st johns"),
        ("Rostov-on-Don", "rostov on don"),
        ("  KYIV ", "kyiv"),
        ("Kushchëvskaya", "kushchevskaya"),
        ("", ""),
    ],
)
def test_name_key(written: str, key: str) -> None:
    assert name_key(written) == key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Snezhnoye", "Snizhne"),
        ("Kiev", "Kyiv"),
        ("Kharkov", "Kharkiv"),
        ("Lvov", "Lviv"),
        ("Zaporozhye", "Zaporizhzhia"),
        ("Kushchevskaya", "Kushchyovskaya"),
        ("Kuschewskaja", "Kushchevskaya"),
        ("Odessa", "Odesa"),
    ],
)
def test_romanisation_variants_share_a_sound_key(one: str, other: str) -> None:
    assert sound_key(one) == sound_key(other)


@pytest.mark.parametrize(("one", "other"), [("Kyiv", "Kirov"), ("Donetsk", "Dnipro")])
def test_different_names_keep_different_sound_keys(one: str, other: str) -> None:
    assert sound_key(one) != sound_key(other)


@pytest.mark.parametrize(
    ("division", "base"),
    [
        ("Sverdlovskaya Oblast'", "Sverdlovsk"),
        ("Donets'ka Oblast'", "Donetsk"),
        ("Krasnodar Krai", "Krasnodar"),
        ("Province of Pangasinan", "Pangasinan"),
        ("Texas", None),
    ],
)
def test_region_base(division: str, base: str | None) -> None:
    assert region_base(division) == base
