"""The map's drawing: a plain equirectangular plot, with no tiles and no outline data.

No open-licensed world outline ships with claimtrace or is reachable offline, so the backdrop
is a graticule plus a dot at each country's centre, read from the country table the places
gazetteer ships (``claimtrace/places/data/countries.tsv``); the ledger's places are drawn over it
by their own coordinates.

>>> project(0.0, 0.0)
(180.0, 90.0)
>>> project(90.0, -180.0)
(0.0, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["HEIGHT", "WIDTH", "CountryPoint", "country_points", "project"]

#: Plot units: one per degree, so the SVG's viewBox is the world's lon/lat extent.
WIDTH, HEIGHT = 360.0, 180.0


@dataclass(frozen=True, slots=True)
class CountryPoint:
    """A country's approximate centre, for the backdrop."""

    code: str
    name: str
    x: float
    y: float


def project(lat: float, lon: float) -> tuple[float, float]:
    """Plot coordinates (x right, y down) of a latitude/longitude, clamped to the world."""
    lat = max(-90.0, min(90.0, lat))
    lon = max(-180.0, min(180.0, lon))
    return (round(lon + 180.0, 3), round(90.0 - lat, 3))


@lru_cache(maxsize=1)
def country_points() -> tuple[CountryPoint, ...]:
    """Every country centre in the places package's table; empty if the table is absent."""
    try:
        table = resources.files("claimtrace.places").joinpath("data", "countries.tsv")
        text = table.read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return ()
    points: list[CountryPoint] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            continue
        try:
            lat, lon = float(fields[1]), float(fields[2])
        except ValueError:
            continue
        aliases = fields[3].split("|") if len(fields) > 3 and fields[3] else []
        x, y = project(lat, lon)
        points.append(CountryPoint(fields[0], aliases[0] if aliases else fields[0], x, y))
    return tuple(points)
