"""Exports for GIS and graph tools: each format read back with geopandas or networkx equals the graph."""

from __future__ import annotations

import copy
import csv
import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import pytest

import routes
from routes.export import EXPORT_FORMATS, edge_records, node_records, save, selection_record
from tests.conftest import FIXTURES, partnership, run, segment, write_dataset

TINY = FIXTURES / "tiny"


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    return routes.build_graph(routes.load(TINY), year=2016)


@pytest.fixture(scope="module")
def bundled_graph() -> nx.DiGraph:
    return routes.build_graph(routes.load())


def plain(value: Any) -> Any:
    """A value read back from a GIS file: NaN (pandas' missing value) as None, numpy scalars as Python."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def frame_records(frame: Any) -> list[dict[str, Any]]:
    columns = [c for c in frame.columns if c != "geometry"]
    return [{c: plain(row[c]) for c in columns} for _, row in frame.iterrows()]


def test_records_are_flat_and_say_unknown_as_none(graph):
    edges = edge_records(graph)
    assert len(edges) == graph.number_of_edges()
    assert all(not isinstance(v, list | dict | tuple | set) for r in edges for v in r.values())
    unknown = [r for r in edges if graph.edges[r["origin"], r["destination"]]["flow"] is None]
    assert unknown and all(r["flow"] is None for r in unknown)  # never 0
    gap = next(r for r in edges if r["gap"])
    assert gap["tier"] in ("none", "forum")
    nodes = node_records(graph)
    assert [n["code"] for n in nodes] == sorted(graph.nodes)
    tur = next(n for n in nodes if n["code"] == "TUR")
    assert tur["segments_out"] == graph.out_degree("TUR") and tur["lon"] == graph.nodes["TUR"]["x"]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_exports_are_reproducible_and_leave_the_graph_alone(graph, tmp_path, fmt):
    before = copy.deepcopy({(u, v): d for u, v, d in graph.edges(data=True)})
    first = save(graph, tmp_path / "a" / f"out.{fmt}", fmt=fmt)
    second = save(graph, tmp_path / "b" / f"out.{fmt}", fmt=fmt)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert {(u, v): d for u, v, d in graph.edges(data=True)} == before
    assert not [p for p in (tmp_path / "a").rglob("*") if p.name.startswith(".")]  # no temporary file left


def test_geopackage_reads_back_equal(bundled_graph, tmp_path):
    import pyogrio

    path = routes.save_geopackage(bundled_graph, tmp_path / "corridors.gpkg")
    assert sorted(layer for layer, _ in pyogrio.list_layers(path)) == ["edges", "nodes"]
    edges = gpd.read_file(path, layer="edges")
    nodes = gpd.read_file(path, layer="nodes")
    assert edges.crs.to_epsg() == 4326 and nodes.crs.to_epsg() == 4326
    assert frame_records(edges) == edge_records(bundled_graph)
    assert frame_records(nodes) == node_records(bundled_graph)
    assert set(edges.geom_type.dropna()) == {"LineString"} and set(nodes.geom_type.dropna()) == {"Point"}
    first = edges.iloc[0]
    a, b = bundled_graph.nodes[first["origin"]], bundled_graph.nodes[first["destination"]]
    assert list(first.geometry.coords) == [(a["x"], a["y"]), (b["x"], b["y"])]
    metadata = pyogrio.read_info(path, layer="nodes")["dataset_metadata"]
    assert metadata["as_of"] == bundled_graph.graph["as_of"] and metadata["min_tier"] == "political"


def test_graphml_reads_back_equal_with_declared_types(bundled_graph, tmp_path):
    path = routes.save_graphml(bundled_graph, tmp_path / "corridors.graphml")
    back = nx.read_graphml(path)
    assert isinstance(back, nx.DiGraph)
    assert set(back.edges) == set(bundled_graph.edges) and set(back.nodes) == set(bundled_graph.nodes)
    for record in edge_records(bundled_graph):
        data = back.edges[record["origin"], record["destination"]]
        expected = {k: v for k, v in record.items() if k not in ("origin", "destination") and v is not None}
        assert data == {k: float(v) if k == "flow" else v for k, v in expected.items()}
    for record in node_records(bundled_graph):
        data = back.nodes[record["code"]]
        assert data["label"] == record["name"]
        assert data.get("flow_in") == (None if record["flow_in"] is None else float(record["flow_in"]))
    assert back.graph["as_of"] == bundled_graph.graph["as_of"] and back.graph["year"] == bundled_graph.graph["year"]
    text = path.read_text(encoding="utf-8")
    for declared in (
        'for="edge" attr.name="flow" attr.type="double"',
        'for="edge" attr.name="gap" attr.type="boolean"',
        'for="node" attr.name="segments_in" attr.type="long"',
        'for="node" attr.name="lon" attr.type="double"',
        'for="node" attr.name="label" attr.type="string"',
    ):
        assert declared in text


def test_geojson_reads_back_equal(bundled_graph, tmp_path):
    files = routes.save_geojson(bundled_graph, tmp_path / "geo")
    assert sorted(p.name for p in files) == ["edges.geojson", "nodes.geojson"]
    edges = gpd.read_file(tmp_path / "geo" / "edges.geojson")
    assert frame_records(edges) == edge_records(bundled_graph)
    assert set(edges.geom_type.dropna()) == {"LineString"}
    raw = json.loads((tmp_path / "geo" / "nodes.geojson").read_text(encoding="utf-8"))
    assert raw["selection"] == selection_record(bundled_graph)
    assert [f["properties"] for f in raw["features"]] == node_records(bundled_graph)


def test_csv_reads_back_equal_and_never_as_a_formula(tmp_path):
    folder = write_dataset(
        tmp_path / "data",
        [segment("Route", "TUR", "GRC", 2016, 1500), segment("Route", "GRC", "MKD", 2016, "")],
        [partnership("p1", ["TUR", "GRC"])],
        countries=[{"code": "MKD", "name": "=HYPERLINK(1)", "lon": 21.7, "lat": 41.6}],
    )
    G = routes.build_graph(routes.load(folder), year=2016)
    save(G, tmp_path / "csv", fmt="csv")
    with open(tmp_path / "csv" / "edges.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = edge_records(G)
    assert [(r["origin"], r["destination"]) for r in rows] == [(r["origin"], r["destination"]) for r in expected]
    assert [r["flow"] for r in rows] == ["", "1500"]
    assert rows[0]["destination_name"] == "'=HYPERLINK(1)"
    selection = json.loads((tmp_path / "csv" / "selection.json").read_text(encoding="utf-8"))
    assert selection["year"] == 2016 and selection["min_tier"] == "political"


def test_cli_exports_every_format_for_the_selection(tmp_path):
    for fmt in EXPORT_FORMATS:
        target = tmp_path / f"out-{fmt}"
        result = run("export", "--data", TINY, "--year", "2016", "--min-tier", "binding", "--format", fmt, "-o", target)
        assert result.exit_code == 0, result.output
        assert "wrote" in result.stderr
    back = nx.read_graphml(tmp_path / "out-graphml")
    assert back.graph["min_tier"] == "binding"
    expected = routes.build_graph(routes.load(TINY), year=2016, min_tier="binding")
    assert {e for e in back.edges if back.edges[e]["gap"]} == {
        (u, v) for u, v, d in expected.edges(data=True) if d["gap"]
    }


def test_cli_export_errors_are_messages(tmp_path):
    file = tmp_path / "a-file"
    file.write_text("x", encoding="utf-8")
    result = run("export", "--data", TINY, "--format", "csv", "-o", file)
    assert result.exit_code == 1 and "writes a folder" in result.stderr
    assert file.read_text(encoding="utf-8") == "x"
    assert run("export", "--data", TINY, "--format", "shp").exit_code == 2
    assert run("export", "--data", tmp_path / "missing").exit_code == 1


def test_default_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("export", "--data", TINY).exit_code == 0
    assert Path("exports/corridors.gpkg").is_file()
    assert run("export", "--data", TINY, "--format", "csv").exit_code == 0
    assert Path("exports/corridors-csv/edges.csv").is_file()
