"""Country shapes (``countries.geojson``): read, validate and simplify for the map's base layer.

The file is optional and only the map draws it, so :func:`routes.load` does
not read it (every command would pay for it); ``routes validate`` and the map
do, through :func:`read_shapes`, which reports every problem with the file,
line and field (a JSON path such as ``features[12].geometry.coordinates``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from routes._errors import DataError, Problem
from routes._validate import shown

#: Decimal places kept: about 100 m, as precise as the bundled (Natural Earth 1:50m) shapes.
DIGITS = 3
_GEOMETRIES = ("Polygon", "MultiPolygon")
_DEPTH = {"Polygon": 3, "MultiPolygon": 4}  # nesting of coordinates down to a position
_NUMBER = (int, float)  # exact types: JSON gives no subclasses, and a bool is no coordinate


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def read_shapes(path: str | Path) -> dict[str, Any]:
    """The shapes as a FeatureCollection with only ``code`` and ``name``, coordinates rounded.

    Raises
    ------
    DataError
        When the file cannot be read or is not a FeatureCollection of Polygon
        or MultiPolygon features with finite coordinates in range and the
        properties ``code`` and ``name``.
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    except OSError as exc:
        raise DataError([Problem(name, None, None, f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(name, exc.lineno, None, f"malformed JSON: {exc.msg}")]) from None
    except ValueError as exc:
        raise DataError([Problem(name, None, None, f"malformed JSON: {exc}")]) from None
    except RecursionError:
        raise DataError([Problem(name, None, None, "malformed JSON: nested too deeply")]) from None
    problems: list[Problem] = []
    features = _features(data, name, problems)
    if problems:
        raise DataError(problems)
    features.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection", "features": features}


def _features(data: Any, name: str, problems: list[Problem]) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.append(Problem(name, None, "type", "expected a GeoJSON FeatureCollection"))
        return []
    raw = data.get("features")
    if not isinstance(raw, list):
        problems.append(Problem(name, None, "features", "expected a list of features"))
        return []
    out = []
    for index, feature in enumerate(raw):
        where = f"features[{index}]"
        if not isinstance(feature, dict):
            problems.append(Problem(name, None, where, "expected a Feature (a mapping)"))
            continue
        props = feature.get("properties")
        geometry = feature.get("geometry")
        if not isinstance(props, dict):
            problems.append(Problem(name, None, f"{where}.properties", "expected a mapping with code and name"))
            continue
        code, label = props.get("code"), props.get("name")
        if not isinstance(code, str) or not code.strip():
            problems.append(
                Problem(name, None, f"{where}.properties.code", f"expected a country code, not {shown(code)}")
            )
        if not isinstance(label, str):
            problems.append(Problem(name, None, f"{where}.properties.name", f"expected a name, not {shown(label)}"))
        if not isinstance(geometry, dict) or geometry.get("type") not in _GEOMETRIES:
            kind = geometry.get("type") if isinstance(geometry, dict) else geometry
            problems.append(
                Problem(name, None, f"{where}.geometry", f"expected a Polygon or MultiPolygon, not {shown(kind)}")
            )
            continue
        try:
            coordinates = _rounded(
                geometry.get("coordinates"), _DEPTH[geometry["type"]], f"{where}.geometry.coordinates"
            )
        except _Bad as bad:
            problems.append(Problem(name, None, bad.where, bad.message))
            continue
        if isinstance(code, str) and isinstance(label, str):
            out.append(
                {
                    "type": "Feature",
                    "properties": {"code": code.strip(), "name": label},
                    "geometry": {"type": geometry["type"], "coordinates": coordinates},
                }
            )
    return out


class _Bad(Exception):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where, self.message = where, message


def _rounded(coords: Any, depth: int, where: str) -> list:
    """Rounded coordinates of the given nesting depth; :class:`_Bad` says what is wrong where."""
    if not isinstance(coords, list) or not coords:
        raise _Bad(where, f"expected a non-empty list, not {shown(coords)}")
    if depth == 1:  # a position: [lon, lat, (altitude)]
        if len(coords) < 2 or type(coords[0]) not in _NUMBER or type(coords[1]) not in _NUMBER:
            raise _Bad(where, f"expected [longitude, latitude], not {shown(coords)}")
        lon, lat = float(coords[0]), float(coords[1])
        if not (math.isfinite(lon) and math.isfinite(lat)) or not (-360 <= lon <= 360 and -90 <= lat <= 90):
            raise _Bad(where, f"{shown(coords[:2])} is not a longitude and latitude in range")
        return [round(lon, DIGITS), round(lat, DIGITS)]
    out: list = []
    for index, item in enumerate(coords):
        result = _rounded(item, depth - 1, f"{where}[{index}]")
        if depth == 2 and out and result == out[-1]:
            continue  # a ring: drop points that rounding made repeat
        out.append(result)
    return out
