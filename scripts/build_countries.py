"""Build ``data/countries.geojson`` and ``data/countries.csv`` from Natural Earth.

The input is ``countries-50m.json``, the Natural Earth 1:50m admin-0 countries
as TopoJSON, from the npm package ``world-atlas`` version 2.0.2 (Natural Earth
vector data 4.1.0). The file is not kept in this repository; fetch it with::

    cd /tmp
    npm pack world-atlas@2.0.2
    tar -xzf world-atlas-2.0.2.tgz
    python scripts/build_countries.py /tmp/package/countries-50m.json

The script checks the SHA-256 of the input against the value recorded in
``EXPECTED_SHA256`` and refuses a different file unless ``--skip-checksum`` is
given. For the same input and the same library versions (geopandas, shapely
and its GEOS, pyproj, pycountry) the outputs are byte-identical on every run.

What the script does
--------------------
1. Reads the ``countries`` layer with geopandas. Its ``id`` is the ISO 3166-1
   numeric code as a string; the coordinates are WGS84 degrees.
2. Repairs rings that cross the antimeridian (Russia, Fiji): GDAL's TopoJSON
   reader returns them as rings that jump between -180 and +180, which are
   invalid. Such a ring is unwrapped to continuous longitudes and split at
   +/-180 into valid polygons. Other invalid shapes go through
   ``shapely.make_valid``.
3. Maps each numeric id to an ISO 3166-1 alpha-3 code with pycountry and
   handles the features that have no usable id:

   * ``Kosovo`` (no id) becomes ``XKX``.
   * ``Somaliland`` (no id) is merged into Somalia (``SOM``) and
     ``N. Cyprus`` (no id) into Cyprus (``CYP``): neither has an ISO 3166-1
     code, and merging keeps the map free of holes.
   * ``Ashmore and Cartier Is.`` carries Australia's id (036) and is merged
     into ``AUS`` like every feature that shares a code.
   * Dropped: ``Indian Ocean Ter.`` (no id; Christmas Island and the Cocos
     Islands, which have ISO codes of their own that one shape cannot carry),
     ``Siachen Glacier`` (no id; disputed area) and Antarctica (``ATA``: not a
     country, outside the Web Mercator map, and by far the largest shape).

   Any other feature without a known id stops the script with an error.
4. Redraws two boundaries that the source draws as they are held de facto,
   to follow the internationally recognised borders and the position of the
   European Union. This is done on the full-resolution shapes, before the
   node positions and the simplification are computed, so that each changed
   border is simplified once, as one border shared by both neighbours:

   * Crimea, with Sevastopol, is moved from Russia (``RUS``) to Ukraine
     (``UKR``), following UN General Assembly resolution 68/262 of
     27 March 2014, "Territorial integrity of Ukraine"
     (https://digitallibrary.un.org/record/767565). The source draws the
     peninsula as a polygon of its own inside Russia's shape; the polygons of
     ``RUS`` whose representative point lies in ``CRIMEA_WINDOW``
     (32.0-36.8 E, 44.2-46.3 N) are united with ``UKR``. Only the Crimean
     polygon is caught: the window must contain a caught polygon whole, and
     the Taman peninsula across the Kerch Strait is part of Russia's mainland
     polygon, which stays Russian.
   * The part of Western Sahara west of the Moroccan berm, which the source
     draws inside Morocco (``MAR``), is moved to Western Sahara (``ESH``):
     the part of ``MAR`` south of the northern edge of ``W. Sahara`` (the
     27°40' N boundary; checked against ``WESTERN_SAHARA_NORTH``) is united
     with ``ESH``. The EU does not recognise Morocco's sovereignty there; the
     Court of Justice of the EU holds that Western Sahara has a status
     separate and distinct from Morocco's territory (judgment of
     21 December 2016, Council v Front Polisario, C-104/16 P,
     https://eur-lex.europa.eu/legal-content/en/ALL/?uri=CELEX%3A62016CJ0104).

   Other lines are left as the source draws them. The one that stands out is
   the Golan Heights, drawn inside Israel's shape (``ISR``): the EU does not
   recognise Israel's sovereignty there either, but the source has no line
   along which to cut them off.
5. Computes one node position per country: the representative point
   (``shapely.point_on_surface``) of the country's largest polygon, measured
   by geodesic area on the WGS84 ellipsoid, from the full-resolution shape.
   This puts France in metropolitan France, Spain on the mainland, the United
   States in the contiguous states. ``POINT_OVERRIDES`` can replace a point
   that is clearly bad; it is empty at present. Positions are rounded to
   ``NODE_DECIMALS`` decimals.
6. Simplifies all shapes together with ``shapely.coverage_simplify``
   (Visvalingam-Whyatt on the polygon coverage, GEOS >= 3.12), which keeps
   shared borders shared: no gaps or overlaps appear between neighbours, and
   a polygon is never removed, at worst reduced to a triangle, so small
   island states such as Malta, Cabo Verde or Comoros stay on the map. The
   tolerance (``--tolerance``, default ``TOLERANCE``) is roughly the square
   root of the area, in square degrees, of the triangles removed.
7. Snaps coordinates to a grid of ``10**-COORD_DECIMALS`` degrees with
   ``shapely.set_precision`` (which keeps shapes valid), orients exterior
   rings counter-clockwise as RFC 7946 asks, and writes the files.

Names
-----
A country's ``name`` is pycountry's ``common_name`` where it has one (such as
"Bolivia", "Iran", "Syria", "Tanzania", "Vietnam"), else its ``name`` (such as
"Türkiye", "Côte d'Ivoire", "Cabo Verde", "Czechia"), except for the codes in
``NAME_OVERRIDES``, which replace ISO forms that read badly in a label (such
as "Russian Federation" or "Congo, The Democratic Republic of the") with the
usual short English form, and give Kosovo its name.

Outputs
-------
``countries.geojson``
    A FeatureCollection (EPSG:4326, no ``crs`` member) with properties
    ``code`` and ``name``, one feature per line, sorted by code.
``countries.csv``
    Columns ``code,name,lon,lat``, sorted by code.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pycountry
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, box

EXPECTED_SHA256 = "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394"
"""SHA-256 of ``countries-50m.json`` in ``world-atlas-2.0.2.tgz``."""

LAYER = "countries"

TOLERANCE = 0.15
"""Default coverage simplification tolerance, in degrees."""

COORD_DECIMALS = 3
"""Decimals kept in the shape coordinates (0.001 degree, about 110 m)."""

NODE_DECIMALS = 3
"""Decimals kept in the node positions."""

NO_ID_CODES = {
    "Kosovo": "XKX",
    "Somaliland": "SOM",
    "N. Cyprus": "CYP",
}
"""Features without an ``id`` that are kept: source ``name`` to code."""

NO_ID_DROPPED = frozenset({"Indian Ocean Ter.", "Siachen Glacier"})
"""Features without an ``id`` that are dropped, by their ``name``."""

DROPPED_CODES = frozenset({"ATA"})
"""Alpha-3 codes that are dropped."""

NAME_OVERRIDES = {
    "BRN": "Brunei",
    "COD": "DR Congo",
    "FLK": "Falkland Islands",
    "FSM": "Micronesia",
    "MAF": "Saint Martin",
    "PSE": "Palestine",
    "RUS": "Russia",
    "SXM": "Sint Maarten",
    "VAT": "Vatican City",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
    "XKX": "Kosovo",
}
"""Names used instead of pycountry's, by alpha-3 code."""

CRIMEA_WINDOW = (32.0, 44.2, 36.8, 46.3)
"""``(west, south, east, north)`` in degrees around the Crimean peninsula.

A polygon of Russia's shape whose representative point lies in this window is
moved to Ukraine. The window must contain each such polygon whole, so that the
Taman peninsula, on the Russian side of the Kerch Strait and part of Russia's
mainland polygon, cannot be caught."""

WESTERN_SAHARA_NORTH = 27 + 40 / 60
"""Latitude of the Morocco-Western Sahara boundary (27°40' N), in degrees.

The source draws the boundary at its own, quantised latitude: the northern
edge of the ``W. Sahara`` shape. The script cuts Morocco's shape there, after
checking that it is within ``WESTERN_SAHARA_TOLERANCE`` of this value."""

WESTERN_SAHARA_TOLERANCE = 0.02
"""Largest accepted distance, in degrees, between the source's boundary
latitude and ``WESTERN_SAHARA_NORTH``."""

POINT_OVERRIDES: dict[str, tuple[float, float]] = {}
"""Node positions ``(lon, lat)`` used instead of the computed ones, by code."""

GEOD = Geod(ellps="WGS84")


def sha256(path: Path) -> str:
    """Return the hex SHA-256 digest of a file.

    Parameters
    ----------
    path : Path
        The file to hash.

    Returns
    -------
    str
        The digest as 64 lower-case hex digits.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def unwrap_ring(coords: np.ndarray) -> tuple[np.ndarray, bool]:
    """Make a ring's longitudes continuous across the antimeridian.

    Parameters
    ----------
    coords : numpy.ndarray
        The ring's ``(n, 2)`` coordinates.

    Returns
    -------
    tuple of (numpy.ndarray, bool)
        The coordinates, with multiples of 360 added to longitudes after each
        jump of more than 180 degrees, and whether any jump was found.
    """
    out = np.array(coords, dtype=float)
    step = np.diff(out[:, 0])
    jumps = np.abs(step) > 180
    if not jumps.any():
        return out, False
    shift = np.concatenate([[0.0], np.cumsum(np.where(jumps, -np.sign(step) * 360, 0))])
    out[:, 0] += shift
    return out, True


def split_antimeridian(polygon: Polygon) -> list[Polygon]:
    """Split a polygon whose rings jump across the antimeridian.

    Parameters
    ----------
    polygon : shapely.Polygon
        A polygon in degrees.

    Returns
    -------
    list of shapely.Polygon
        The polygon itself if no ring jumps; otherwise its pieces, each within
        longitudes -180 to 180.
    """
    shell, jumped = unwrap_ring(np.asarray(polygon.exterior.coords))
    if not jumped:
        return [polygon]
    holes = [unwrap_ring(np.asarray(ring.coords))[0] for ring in polygon.interiors]
    whole = shapely.make_valid(Polygon(shell, holes))
    pieces: list[Polygon] = []
    for turn in (-1, 0, 1):
        window = box(-180 + 360 * turn, -90, 180 + 360 * turn, 90)
        piece = shapely.affinity.translate(whole.intersection(window), xoff=-360 * turn)
        pieces.extend(polygonal_parts(piece))
    return pieces


def polygonal_parts(geometry: shapely.Geometry) -> list[Polygon]:
    """Return the non-empty polygons in a geometry.

    Parameters
    ----------
    geometry : shapely.Geometry
        Any geometry.

    Returns
    -------
    list of shapely.Polygon
        Its polygons with a positive area, in their stored order.
    """
    return [
        part
        for part in shapely.get_parts(geometry)
        if isinstance(part, Polygon) and not part.is_empty and part.area > 0
    ]


def repair(geometry: shapely.Geometry) -> shapely.Geometry:
    """Split antimeridian-crossing rings and make a country shape valid.

    Parameters
    ----------
    geometry : shapely.Geometry
        A Polygon or MultiPolygon as read from the TopoJSON file.

    Returns
    -------
    shapely.Geometry
        A valid Polygon or MultiPolygon.
    """
    parts: list[Polygon] = []
    for polygon in polygonal_parts(geometry):
        parts.extend(split_antimeridian(polygon))
    result = parts[0] if len(parts) == 1 else MultiPolygon(parts)
    if not result.is_valid:
        result = shapely.union_all(polygonal_parts(shapely.make_valid(result)))
    return result


def alpha3(numeric: object, name: str) -> str | None:
    """Return the alpha-3 code for a feature, or None to drop it.

    Parameters
    ----------
    numeric : object
        The feature's ``id``: an ISO 3166-1 numeric code as a string, or a
        missing value.
    name : str
        The feature's ``name`` in the source.

    Returns
    -------
    str or None
        The ISO 3166-1 alpha-3 code (``XKX`` for Kosovo), or None for a
        feature that is dropped.

    Raises
    ------
    ValueError
        If the feature has no known code and is not listed as dropped.
    """
    if isinstance(numeric, str) and numeric:
        country = pycountry.countries.get(numeric=numeric)
        if country is None:
            raise ValueError(f"unknown ISO 3166-1 numeric code {numeric!r} ({name})")
        code = country.alpha_3
        return None if code in DROPPED_CODES else code
    if name in NO_ID_CODES:
        return NO_ID_CODES[name]
    if name in NO_ID_DROPPED:
        return None
    raise ValueError(f"feature {name!r} has no id and no rule in this script")


def country_name(code: str) -> str:
    """Return the display name of a country.

    Parameters
    ----------
    code : str
        An ISO 3166-1 alpha-3 code, or ``XKX``.

    Returns
    -------
    str
        ``NAME_OVERRIDES[code]`` if present, else pycountry's ``common_name``,
        else its ``name``.
    """
    if code in NAME_OVERRIDES:
        return NAME_OVERRIDES[code]
    country = pycountry.countries.get(alpha_3=code)
    return getattr(country, "common_name", None) or country.name


def geodesic_area(polygon: Polygon) -> float:
    """Return the area of a polygon on the WGS84 ellipsoid.

    Parameters
    ----------
    polygon : shapely.Polygon
        A polygon in degrees.

    Returns
    -------
    float
        Its area in square metres.
    """
    area, _ = GEOD.geometry_area_perimeter(polygon)
    return abs(area)


def node_position(geometry: shapely.Geometry) -> tuple[float, float]:
    """Return the node position of a country.

    Parameters
    ----------
    geometry : shapely.Geometry
        The country's full-resolution shape.

    Returns
    -------
    tuple of (float, float)
        ``(lon, lat)`` of the representative point of the largest polygon by
        geodesic area, rounded to ``NODE_DECIMALS`` decimals.
    """
    largest = max(polygonal_parts(geometry), key=geodesic_area)
    point = shapely.point_on_surface(largest)
    return clean(point.x, NODE_DECIMALS), clean(point.y, NODE_DECIMALS)


def clean(value: float, decimals: int) -> float:
    """Round a coordinate and turn negative zero into zero.

    Parameters
    ----------
    value : float
        The coordinate.
    decimals : int
        Decimals to keep.

    Returns
    -------
    float
        The rounded value.
    """
    rounded = round(float(value), decimals)
    return 0.0 if rounded == 0 else rounded


def load(path: Path) -> dict[str, shapely.Geometry]:
    """Read the source file and return one valid shape per country code.

    Parameters
    ----------
    path : Path
        ``countries-50m.json`` from world-atlas 2.0.2.

    Returns
    -------
    dict of str to shapely.Geometry
        Full-resolution shapes keyed by alpha-3 code, in code order.
    """
    frame = gpd.read_file(path, layer=LAYER)
    pieces: dict[str, list[shapely.Geometry]] = {}
    for numeric, name, geometry in zip(frame["id"], frame["name"], frame.geometry, strict=True):
        code = alpha3(numeric if isinstance(numeric, str) else None, name)
        if code is not None:
            pieces.setdefault(code, []).append(repair(geometry))
    shapes: dict[str, shapely.Geometry] = {}
    for code in sorted(pieces):
        merged = pieces[code][0] if len(pieces[code]) == 1 else shapely.union_all(pieces[code])
        shapes[code] = shapely.normalize(merged)
    return shapes


def move_crimea(shapes: dict[str, shapely.Geometry]) -> None:
    """Move the Crimean peninsula, with Sevastopol, from Russia to Ukraine.

    The source draws Crimea inside Russia's shape, as a polygon of its own.
    The polygons of ``RUS`` whose representative point lies in
    ``CRIMEA_WINDOW`` are removed from ``RUS`` and united with ``UKR``.

    Parameters
    ----------
    shapes : dict of str to shapely.Geometry
        Full-resolution shapes keyed by code; ``RUS`` and ``UKR`` are
        replaced in place.

    Raises
    ------
    RuntimeError
        If no polygon is found, or one found is not wholly in the window.
    """
    window = box(*CRIMEA_WINDOW)
    crimea: list[Polygon] = []
    rest: list[Polygon] = []
    for polygon in polygonal_parts(shapes["RUS"]):
        inside = window.contains(shapely.point_on_surface(polygon))
        (crimea if inside else rest).append(polygon)
    if not crimea:
        raise RuntimeError("RUS: no polygon found on the Crimean peninsula")
    if not all(window.contains(polygon) for polygon in crimea):
        raise RuntimeError("RUS: a polygon found on the Crimean peninsula extends beyond CRIMEA_WINDOW")
    shapes["RUS"] = shapely.normalize(MultiPolygon(rest))
    shapes["UKR"] = shapely.normalize(shapely.union_all([shapes["UKR"], *crimea]))


def move_western_sahara(shapes: dict[str, shapely.Geometry]) -> None:
    """Move the part of Western Sahara drawn inside Morocco to Western Sahara.

    The source draws the part of Western Sahara west of the Moroccan berm
    inside Morocco's shape and only the part east of it as ``W. Sahara``. The
    part of ``MAR`` south of the northern edge of ``ESH`` (the 27°40' N
    boundary) is cut off and united with ``ESH``.

    Parameters
    ----------
    shapes : dict of str to shapely.Geometry
        Full-resolution shapes keyed by code; ``MAR`` and ``ESH`` are
        replaced in place.

    Raises
    ------
    RuntimeError
        If the northern edge of ``ESH`` is not at 27°40' N, or nothing of
        ``MAR`` lies south of it.
    """
    north = shapes["ESH"].bounds[3]
    if abs(north - WESTERN_SAHARA_NORTH) > WESTERN_SAHARA_TOLERANCE:
        raise RuntimeError(f"ESH: northern edge at {north} degrees, not at 27°40' N")
    south = box(-180, -90, 180, north)
    taken = polygonal_parts(shapes["MAR"].intersection(south))
    if not taken:
        raise RuntimeError("MAR: nothing lies south of 27°40' N")
    shapes["MAR"] = shapely.normalize(shapely.union_all(polygonal_parts(shapes["MAR"].difference(south))))
    shapes["ESH"] = shapely.normalize(shapely.union_all([shapes["ESH"], *taken]))


def simplify(shapes: dict[str, shapely.Geometry], tolerance: float) -> list[shapely.Geometry]:
    """Simplify all shapes together and snap them to the output grid.

    Parameters
    ----------
    shapes : dict of str to shapely.Geometry
        Full-resolution shapes in code order.
    tolerance : float
        Coverage simplification tolerance in degrees.

    Returns
    -------
    list of shapely.Geometry
        The simplified shapes in the same order, valid, with exterior rings
        counter-clockwise.

    Raises
    ------
    RuntimeError
        If the shapes do not form a valid coverage or a shape vanishes.
    """
    geometries = np.array(list(shapes.values()), dtype=object)
    if not shapely.coverage_is_valid(geometries):
        raise RuntimeError("the country shapes overlap or do not match along borders")
    simplified = shapely.coverage_simplify(geometries, tolerance)
    snapped = shapely.set_precision(simplified, 10.0**-COORD_DECIMALS)
    oriented = shapely.orient_polygons(snapped, exterior_cw=False)
    for code, geometry in zip(shapes, oriented, strict=True):
        if geometry.is_empty or not geometry.is_valid:
            raise RuntimeError(f"{code}: the simplified shape is empty or invalid")
    return list(oriented)


def rings(polygon: Polygon) -> list[list[list[float]]]:
    """Return a polygon's rings as GeoJSON coordinate lists.

    Parameters
    ----------
    polygon : shapely.Polygon
        A polygon.

    Returns
    -------
    list
        The exterior ring, then the holes, each a list of ``[lon, lat]``.
    """
    return [
        [[clean(x, COORD_DECIMALS), clean(y, COORD_DECIMALS)] for x, y in ring.coords]
        for ring in (polygon.exterior, *polygon.interiors)
    ]


def geojson_geometry(geometry: shapely.Geometry) -> dict[str, object]:
    """Return a GeoJSON geometry object for a Polygon or MultiPolygon.

    Parameters
    ----------
    geometry : shapely.Geometry
        A Polygon or MultiPolygon.

    Returns
    -------
    dict
        The GeoJSON geometry.
    """
    if isinstance(geometry, Polygon):
        return {"type": "Polygon", "coordinates": rings(geometry)}
    return {
        "type": "MultiPolygon",
        "coordinates": [rings(part) for part in geometry.geoms],
    }


def write_geojson(path: Path, rows: list[tuple[str, str, shapely.Geometry]]) -> None:
    """Write the shapes as a FeatureCollection, one feature per line.

    Parameters
    ----------
    path : Path
        Output file.
    rows : list of tuple of (str, str, shapely.Geometry)
        ``(code, name, shape)`` in code order.
    """
    lines = []
    for code, name, geometry in rows:
        feature = {
            "type": "Feature",
            "properties": {"code": code, "name": name},
            "geometry": geojson_geometry(geometry),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def write_csv(path: Path, rows: list[tuple[str, str, float, float]]) -> None:
    """Write the node table.

    Parameters
    ----------
    path : Path
        Output file.
    rows : list of tuple of (str, str, float, float)
        ``(code, name, lon, lat)`` in code order.
    """
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "lon", "lat"])
        writer.writerows(rows)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Parameters
    ----------
    argv : list of str, optional
        Arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    argparse.Namespace
        The parsed arguments.
    """
    parser = argparse.ArgumentParser(
        description=(
            "Build countries.geojson and countries.csv from Natural Earth\n"
            "1:50m admin-0 countries (countries-50m.json of the npm package\n"
            "world-atlas@2.0.2)."
        ),
        epilog=(
            "get the input with:\n"
            "  cd /tmp\n"
            "  npm pack world-atlas@2.0.2\n"
            "  tar -xzf world-atlas-2.0.2.tgz\n"
            "the file is then /tmp/package/countries-50m.json"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", type=Path, help="path to countries-50m.json")
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "data",
        help=("folder for countries.geojson and countries.csv (default: the repository's data/)"),
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=TOLERANCE,
        help=f"coverage simplification tolerance in degrees (default: {TOLERANCE})",
    )
    parser.add_argument(
        "--skip-checksum",
        action="store_true",
        help="accept an input whose SHA-256 differs from world-atlas 2.0.2's file",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the conversion.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The exit status.
    """
    args = parse_args(argv)
    digest = sha256(args.source)
    if digest != EXPECTED_SHA256 and not args.skip_checksum:
        print(
            f"error: {args.source} has SHA-256 {digest}, not world-atlas 2.0.2's "
            f"{EXPECTED_SHA256}; use --skip-checksum to go on anyway",
            file=sys.stderr,
        )
        return 2
    shapes = load(args.source)
    move_crimea(shapes)
    move_western_sahara(shapes)
    simplified = simplify(shapes, args.tolerance)
    names = {code: country_name(code) for code in shapes}
    nodes = []
    for code, geometry in shapes.items():
        lon, lat = POINT_OVERRIDES.get(code) or node_position(geometry)
        nodes.append((code, names[code], lon, lat))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    geojson_path = args.out_dir / "countries.geojson"
    csv_path = args.out_dir / "countries.csv"
    write_geojson(
        geojson_path,
        [(code, names[code], shape) for code, shape in zip(shapes, simplified, strict=True)],
    )
    write_csv(csv_path, nodes)
    for path in (geojson_path, csv_path):
        print(f"wrote {path} ({path.stat().st_size} bytes, {len(shapes)} countries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
