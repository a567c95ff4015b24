"""Build the review site's world outlines from Natural Earth (public domain).

The map page (``claimtrace serve``, ``/map``) draws country outlines and coastlines with no tile
server and nothing fetched at run time: this recipe turns Natural Earth's 1:110m admin-0 countries
into SVG path data on the map's plot (equirectangular, one unit per degree; see
:func:`claimtrace.web.geo.project`) and writes it to ``src/claimtrace/web/data/world-110m.json``,
which ships in the package.

Source: the copy of Natural Earth 1:110m countries that the ``geopandas`` 0.14.4 wheel ships
(``geopandas/datasets/naturalearth_lowres``; geopandas is BSD-3-Clause, Natural Earth data is in
the public domain). The recipe fetches that wheel by exact name and version with ``pip download``
(or takes ``--wheel PATH``), reads the shapefile with ``pyshp`` and simplifies it with ``shapely``
(``pip install 'claimtrace[maps]'``)::

    python -m training.world_map            # writes src/claimtrace/web/data/world-110m.json
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

log = logging.getLogger("training.world_map")

WHEEL = "geopandas==0.14.4"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT = (
    Path(__file__).resolve().parents[1] / "src" / "claimtrace" / "web" / "data" / "world-110m.json"
)
#: Simplification tolerance, in degrees: finer than a pixel of the map at its default size.
TOLERANCE = 0.12


def fetch_wheel(folder: Path) -> Path:
    """Download the geopandas wheel (no dependencies) into ``folder``."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", WHEEL, "--no-deps", "-q", "-d", str(folder)],
        check=True,
    )
    (wheel,) = folder.glob("geopandas-*.whl")
    return wheel


def _ring_path(coords: list[tuple[float, float]]) -> str:
    points = []
    last = None
    for lon, lat in coords:
        x, y = round(lon + 180.0, 1), round(90.0 - lat, 1)
        if (x, y) != last:
            points.append(f"{x:g} {y:g}")
            last = (x, y)
    if len(points) < 4:
        return ""
    return "M" + "L".join(points) + "Z"


def country_paths(wheel: Path) -> list[dict[str, Any]]:
    """One record per country: ISO code, name, continent and its outline as SVG path data."""
    import shapefile  # pyshp
    from shapely.geometry import shape

    with zipfile.ZipFile(wheel) as archive:
        parts = {ext: io.BytesIO(archive.read(f"{MEMBER}.{ext}")) for ext in ("shp", "shx", "dbf")}
        # the .cpg names the attribute table's code page
        encoding = archive.read(f"{MEMBER}.cpg").decode("ascii").strip() or "utf-8"
    if encoding.isdigit():
        encoding = f"cp{encoding}"
    reader = shapefile.Reader(
        shp=parts["shp"], shx=parts["shx"], dbf=parts["dbf"], encoding=encoding
    )
    names = [field[0] for field in reader.fields[1:]]
    countries = []
    for record, geometry in zip(reader.records(), reader.shapes(), strict=True):
        fields = dict(zip(names, record, strict=True))
        simple = shape(geometry.__geo_interface__).simplify(TOLERANCE, preserve_topology=True)
        polygons = list(getattr(simple, "geoms", [simple]))
        rings = [
            _ring_path(list(ring.coords))
            for polygon in polygons
            for ring in (polygon.exterior, *polygon.interiors)
        ]
        path = "".join(ring for ring in rings if ring)
        if not path:
            continue
        countries.append(
            {
                "iso": str(fields.get("iso_a3", "")),
                "name": str(fields.get("name", "")),
                "continent": str(fields.get("continent", "")),
                "d": path,
            }
        )
    countries.sort(key=lambda c: (c["iso"], c["name"]))
    return countries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help=f"a downloaded {WHEEL} wheel")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        countries = country_paths(wheel)
    data = {
        "source": "Natural Earth 1:110m admin-0 countries, as shipped in the geopandas 0.14.4 "
        "wheel (geopandas/datasets/naturalearth_lowres)",
        "licence": "Natural Earth: public domain (https://www.naturalearthdata.com/about/terms-of-use/)",
        "projection": "equirectangular: x = lon + 180, y = 90 - lat (degrees)",
        "simplified": f"shapely simplify, tolerance {TOLERANCE} degrees; 0.1 degree precision",
        "countries": countries,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    log.info(
        "wrote %d countries to %s (%d bytes)", len(countries), args.out, args.out.stat().st_size
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
