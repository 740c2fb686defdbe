"""The corridor graph for GIS and graph tools: GeoPackage, GeoJSON, GraphML and CSV.

Every format carries the same flat records (:func:`edge_records`,
:func:`node_records`): one row per segment and per country, lists joined into
text, unknown values left empty (never 0), so that QGIS, ArcGIS, Gephi or a
spreadsheet read the graph without this package. Edges are straight lines
between the countries' points (the map's curves are for reading, not for
analysis), in EPSG:4326. The selection (year, as-of day, tier, filters) goes
with the data: GeoPackage metadata, a GeoJSON member, GraphML graph attributes,
``selection.json`` beside the CSV files.

Files are written whole or not at all, and the same graph gives byte-identical
files (the GeoPackage's timestamps are fixed).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from routes._errors import OutputError
from routes._output import write_atomic

#: The formats of ``routes export``; the first two are one file, the others a folder of files.
EXPORT_FORMATS = ("gpkg", "graphml", "geojson", "csv")
#: The fixed timestamp written into GeoPackages, so that exports are reproducible.
FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"

_SELECTION_KEYS = ("dataset", "year", "as_of", "min_tier", "themes", "kinds", "exclude_kinds", "binding_only", "routes")


def _text(values: Any, separator: str = "; ") -> str | None:
    """A list as one text cell; None when empty, so that "none" and "unknown" stay apart from ''."""
    items = [str(v) for v in values or ()]
    return separator.join(items) if items else None


def selection_record(G: nx.DiGraph) -> dict[str, Any]:
    """The selection the graph was built for, flat (lists joined), in a fixed order."""
    record = {key: G.graph.get(key) for key in _SELECTION_KEYS}
    for key in ("themes", "kinds", "exclude_kinds", "routes"):
        record[key] = _text(record[key])
    record["dataset"] = None if record["dataset"] is None else str(record["dataset"])
    return record


def edge_records(G: nx.DiGraph) -> list[dict[str, Any]]:
    """One flat record per segment, sorted by origin and destination.

    ``flow`` is None where unknown; ``partnerships`` lists the ids of the
    instruments that join the two countries (strongest first) and
    ``partnership_tiers`` their tiers in the same order.
    """
    records = []
    for origin, destination in sorted(G.edges):
        d = G.edges[origin, destination]
        joins = d.get("partnerships") or {}
        by_route = d.get("flow_by_route") or {}
        records.append(
            {
                "origin": origin,
                "destination": destination,
                "origin_name": G.nodes[origin].get("name"),
                "destination_name": G.nodes[destination].get("name"),
                "routes": _text(d.get("routes")),
                "flow": d.get("flow"),
                "flow_status": d.get("flow_status"),
                "measure": d.get("measure"),
                "flow_by_route": _text(
                    f"{route}: {'unknown' if flow is None else _number(flow)}" for route, flow in by_route.items()
                )
                if len(by_route) > 1
                else None,
                "tier": d.get("tier"),
                "gap": bool(d.get("gap")),
                "internal": bool(d.get("internal")),
                "toolbox": d.get("toolbox"),
                "team_europe": d.get("team_europe"),
                "partnerships": _text(joins),
                "partnership_tiers": _text(joins.values()),
                "sources": _text(d.get("sources")),
                "notes": _text(d.get("notes"), " | "),
            }
        )
    return records


def node_records(G: nx.DiGraph) -> list[dict[str, Any]]:
    """One flat record per country, sorted by code: position, segments, gaps and known flows in and out.

    ``flow_in`` and ``flow_out`` add the known flows of the segments into and
    out of the country; they are None when none of them is known.
    """
    records = []
    for code in sorted(G.nodes):
        d = G.nodes[code]
        into = [G.edges[u, code] for u in G.predecessors(code)]
        out = [G.edges[code, v] for v in G.successors(code)]
        records.append(
            {
                "code": code,
                "name": d.get("name"),
                "lon": d.get("x"),
                "lat": d.get("y"),
                "segments_in": len(into),
                "segments_out": len(out),
                "gaps": sum(1 for e in into + out if e.get("gap")),
                "flow_in": _known_sum(into),
                "flow_out": _known_sum(out),
                "partnerships": _text(sorted(d.get("partnerships") or ())),
            }
        )
    return records


def _known_sum(edges: list[dict[str, Any]]) -> float | int | None:
    known = [e["flow"] for e in edges if e.get("flow") is not None]
    return sum(known) if known else None


def _number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# -- GeoJSON and GeoDataFrames ------------------------------------------------------------------


def _point(record: dict[str, Any]) -> dict[str, Any] | None:
    if record["lon"] is None or record["lat"] is None:
        return None
    return {"type": "Point", "coordinates": [record["lon"], record["lat"]]}


def _line(G: nx.DiGraph, record: dict[str, Any]) -> dict[str, Any] | None:
    a, b = G.nodes[record["origin"]], G.nodes[record["destination"]]
    if None in (a.get("x"), a.get("y"), b.get("x"), b.get("y")):
        return None
    return {"type": "LineString", "coordinates": [[a["x"], a["y"]], [b["x"], b["y"]]]}


def _collection(name: str, G: nx.DiGraph, features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "name": name, "selection": selection_record(G), "features": features}


def edges_geojson(G: nx.DiGraph) -> dict[str, Any]:
    """The segments as a GeoJSON FeatureCollection of LineStrings (null geometry where a country has no position)."""
    features = [{"type": "Feature", "properties": r, "geometry": _line(G, r)} for r in edge_records(G)]
    return _collection("edges", G, features)


def nodes_geojson(G: nx.DiGraph) -> dict[str, Any]:
    """The countries as a GeoJSON FeatureCollection of Points."""
    features = [{"type": "Feature", "properties": r, "geometry": _point(r)} for r in node_records(G)]
    return _collection("nodes", G, features)


def _geodataframe(collection: dict[str, Any], index: list[str]) -> Any:
    import geopandas as gpd
    from shapely.geometry import shape

    rows = [f["properties"] for f in collection["features"]]
    geometry = [shape(f["geometry"]) if f["geometry"] else None for f in collection["features"]]
    columns = list(rows[0]) if rows else index
    return gpd.GeoDataFrame(rows, columns=columns, geometry=geometry, crs="EPSG:4326")


# -- writers -------------------------------------------------------------------------------------


def save_geopackage(G: nx.DiGraph, path: str | Path) -> Path:
    """Write the graph as a GeoPackage with a ``nodes`` (Point) and an ``edges`` (LineString) layer.

    Like osmnx's ``save_graph_geopackage``. Attributes are columns (lists as
    text, unknown flows empty); the selection is the dataset's metadata.
    """
    import pyogrio

    nodes = _geodataframe(nodes_geojson(G), ["code"])
    edges = _geodataframe(edges_geojson(G), ["origin", "destination"])
    metadata = {key: "" if value is None else str(value) for key, value in selection_record(G).items()}

    def write(tmp: Path) -> None:
        with _gdal_options({"OGR_CURRENT_DATE": FIXED_TIMESTAMP}):
            nodes.to_file(tmp, layer="nodes", driver="GPKG", engine="pyogrio", dataset_metadata=metadata)
            edges.to_file(tmp, layer="edges", driver="GPKG", engine="pyogrio")

    try:
        return _write_via_temporary(Path(path), write, suffix=".gpkg")
    except pyogrio.errors.DataSourceError as exc:  # pragma: no cover - GDAL's own message
        raise OutputError(f"cannot write {path}: {exc}") from None


def graphml_graph(G: nx.DiGraph) -> nx.DiGraph:
    """A copy of the graph with flat, typed attributes only (GraphML has no lists, dicts or nulls).

    Nodes get a ``label`` (the country's name) for Gephi; missing values are
    left out rather than written as empty text, so their type stays declared.
    """
    H = nx.DiGraph()
    H.graph.update({k: v for k, v in selection_record(G).items() if v is not None})
    for record in node_records(G):
        code = record.pop("code")
        H.add_node(code, label=record["name"] or code, **_typed(record))
    for record in edge_records(G):
        origin, destination = record.pop("origin"), record.pop("destination")
        H.add_edge(origin, destination, **_typed(record))
    return H


_FLOWS = ("flow", "flow_in", "flow_out")


def _typed(record: dict[str, Any]) -> dict[str, Any]:
    """Known values only, flows as floats: one declared type per attribute whatever the data holds."""
    return {k: float(v) if k in _FLOWS else v for k, v in record.items() if v is not None}


def save_graphml(G: nx.DiGraph, path: str | Path) -> Path:
    """Write the graph as GraphML that networkx and Gephi read, with attribute types declared.

    Like osmnx's ``save_graphml``. Flows are ``double`` (a flow that is known
    on some segments and not on others is simply absent where unknown), counts
    ``long``, flags ``boolean``, everything else ``string``.
    """
    import io

    H = graphml_graph(G)
    buffer = io.BytesIO()
    nx.write_graphml(H, buffer, encoding="utf-8", prettyprint=True, infer_numeric_types=True)
    return write_atomic(path, buffer.getvalue())


def save_geojson(G: nx.DiGraph, folder: str | Path) -> list[Path]:
    """Write ``edges.geojson`` (LineStrings) and ``nodes.geojson`` (Points) into ``folder``."""
    files = {
        "edges.geojson": _json(edges_geojson(G)),
        "nodes.geojson": _json(nodes_geojson(G)),
    }
    return _write_folder(Path(folder), files)


def save_csv(G: nx.DiGraph, folder: str | Path) -> list[Path]:
    """Write ``edges.csv``, ``nodes.csv`` and ``selection.json`` into ``folder``.

    Text that a spreadsheet would read as a formula is written as text (see
    :mod:`routes._escape`).
    """
    from routes.formats import render

    files = {
        "edges.csv": render(edge_records(G), (), "csv"),
        "nodes.csv": render(node_records(G), (), "csv"),
        "selection.json": _json(selection_record(G)),
    }
    return _write_folder(Path(folder), files)


def save(G: nx.DiGraph, path: str | Path, *, fmt: str) -> list[Path]:
    """Write the graph in one of :data:`EXPORT_FORMATS`; returns the files written."""
    if fmt == "gpkg":
        return [save_geopackage(G, path)]
    if fmt == "graphml":
        return [save_graphml(G, path)]
    if fmt == "geojson":
        return save_geojson(G, path)
    if fmt == "csv":
        return save_csv(G, path)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")


# -- helpers ---------------------------------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def _write_folder(folder: Path, files: dict[str, str]) -> list[Path]:
    """Write every file beside its target first, then rename them all: a failure leaves the old set."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write {folder}: it is a file, and this format writes a folder of files")
    staged: list[tuple[Path, Path]] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            staged.append((write_atomic(folder / f".{name}.staged", content), folder / name))
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {folder}: {exc.strerror or exc}") from None
        raise
    return [target for _, target in staged]


def _write_via_temporary(target: Path, write: Callable[[Path], None], *, suffix: str) -> Path:
    """Let a library write a file under a temporary name, then rename it over ``target``."""
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=suffix)
        os.close(fd)
        tmp = Path(name)
        tmp.unlink()  # the writer creates it
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    return target


@contextmanager
def _gdal_options(options: dict[str, str]) -> Iterator[None]:
    """Set GDAL configuration options for the duration of a write, then put the old values back."""
    import pyogrio

    old = {key: pyogrio.get_gdal_config_option(key) for key in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(old)
