"""The map's drawing: an equirectangular plot with Natural Earth's outlines and no tiles.

The backdrop is a graticule and the 1:110m country outlines and coastlines of Natural Earth
(public domain), shipped as SVG path data in ``claimtrace/web/data/world-110m.json`` (built by
``python -m training.world_map``); the ledger's places are drawn over it by their own coordinates.
Country centres (from the places gazetteer's ``countries.tsv``) label the countries.

>>> project(0.0, 0.0)
(180.0, 90.0)
>>> project(90.0, -180.0)
(0.0, 0.0)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "HEIGHT",
    "WIDTH",
    "CountryOutline",
    "CountryPoint",
    "country_points",
    "project",
    "world_outlines",
]

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


@dataclass(frozen=True, slots=True)
class CountryOutline:
    """One country's outline on the plot (SVG path data), with its ISO code and name."""

    iso: str
    name: str
    d: str


@lru_cache(maxsize=1)
def world_outlines() -> tuple[CountryOutline, ...]:
    """Natural Earth's country outlines on the plot; empty if the data file is absent.

    >>> outlines = world_outlines()
    >>> len(outlines) > 150, any(o.name == "France" and o.d.startswith("M") for o in outlines)
    (True, True)
    """
    try:
        data = resources.files("claimtrace.web").joinpath("data", "world-110m.json")
        loaded = json.loads(data.read_text(encoding="utf-8"))
    except (FileNotFoundError, ModuleNotFoundError, ValueError):
        return ()
    return tuple(
        CountryOutline(str(c.get("iso", "")), str(c.get("name", "")), str(c["d"]))
        for c in loaded.get("countries", ())
        if c.get("d")
    )
