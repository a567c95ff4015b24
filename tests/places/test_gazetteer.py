"""The gazetteer file: built once, checked by fingerprint, queried by folded name."""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import pytest

from claimtrace.places import gazetteer as gazetteer_module
from claimtrace.places.gazetteer import Gazetteer, cache_dir, fingerprint


def _best(gazetteer: Gazetteer, name: str, feature: str) -> tuple[str, str | None]:
    found = [c for c in gazetteer.lookup(name) if c.feature == feature]
    assert found, f"no {feature} named {name!r}"
    best = max(found, key=lambda c: c.population)
    return best.name, best.country_code


@pytest.mark.parametrize(
    ("name", "feature", "expected"),
    [
        ("Kiev", "populated_place", ("Kyiv", "UA")),
        ("Snezhnoye", "populated_place", ("Snizhne", "UA")),
        ("Donetsk region", "admin1", ("Donetsk", "UA")),
        ("Krasnodar region", "admin1", ("Krasnodar Krai", "RU")),
        ("Sverdlovsk oblast", "admin1", ("Sverdlovsk Oblast", "RU")),
        ("Ukraine", "country", ("Ukraine", "UA")),
        ("U.S.", "country", ("United States", "US")),
        ("Britain", "country", ("United Kingdom", "GB")),
        ("the Urals", "other", ("Urals", "RU")),
        ("B.C.", "admin1", ("British Columbia", "CA")),
    ],
)
def test_lookup(gazetteer: Gazetteer, name: str, feature: str, expected: tuple[str, str]) -> None:
    assert _best(gazetteer, name, feature) == expected


def test_divisions_carry_a_centre_and_their_first_level_name(gazetteer: Gazetteer) -> None:
    (kyiv,) = [c for c in gazetteer.lookup("Kyiv") if c.feature == "populated_place"][:1]
    assert kyiv.admin1 is not None
    assert kyiv.lat is not None
    assert 50 < kyiv.lat < 51
    (oblast,) = [c for c in gazetteer.lookup("Donetsk region") if c.feature == "admin1"]
    assert oblast.lat is not None
    assert oblast.lon is not None
    assert 47 < oblast.lat < 49.5
    assert 36 < oblast.lon < 39


def test_machine_made_alternate_names_are_left_out(gazetteer: Gazetteer) -> None:
    # GeoNames lists "admwntwn" (a romanisation of the Arabic) and the airport code "YEA"
    assert gazetteer.lookup("admwntwn") == []
    assert all(c.name != "Edmonton" for c in gazetteer.lookup("YEA"))


def test_sound_and_prefix_lookups(gazetteer: Gazetteer) -> None:
    assert "Snizhne" in {c.name for c in gazetteer.sounds_like("Snezhnoe")}
    names = {c.name for c in gazetteer.sounds_like_prefix("Kuschevka", "RU.38", 5)}
    assert "Kushchyovskaya" in names
    assert gazetteer.sounds_like("ab") == []


def test_open_is_fast_and_records_its_fingerprint(gazetteer_dir: Path) -> None:
    start = time.perf_counter()
    opened = Gazetteer(gazetteer_dir / "gazetteer.sqlite3")
    opened.lookup("London")
    assert time.perf_counter() - start < 1.0
    assert opened.meta("fingerprint") == fingerprint()
    opened.close()


def test_a_stale_or_broken_file_is_not_current(tmp_path: Path, gazetteer_dir: Path) -> None:
    stale = tmp_path / "gazetteer.sqlite3"
    stale.write_bytes((gazetteer_dir / "gazetteer.sqlite3").read_bytes())
    with sqlite3.connect(stale) as connection:
        connection.execute("UPDATE meta SET value = 'old' WHERE key = 'fingerprint'")
    assert not gazetteer_module._current(stale, fingerprint())
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database")
    assert not gazetteer_module._current(broken, fingerprint())
    assert gazetteer_module._current(gazetteer_dir / "gazetteer.sqlite3", fingerprint())


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLAIMTRACE_CACHE_DIR", str(tmp_path / "cache"))
    assert cache_dir() == tmp_path / "cache"
    if not sys.platform.startswith("linux"):
        return
    monkeypatch.delenv("CLAIMTRACE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "claimtrace"
