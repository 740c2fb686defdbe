"""The corridor graph: countries as nodes, route segments as directed edges (networkx)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from routes.dataset import Dataset, gc_paused
from routes.selection import Judged, judge

if TYPE_CHECKING:
    import geopandas as gpd


@gc_paused()  # it makes very many objects: see routes.dataset.gc_paused
def build_graph(dataset: Dataset, **selection: Any) -> nx.DiGraph:
    """Build the corridor graph of one year, with each segment judged by the coverage rules.

    Parameters
    ----------
    dataset
        A loaded data set (:func:`routes.load`).
    year
        The year whose flows weight the segments; defaults to the latest year
        with flows. Segments are part of their routes in every year; a segment
        with no row for ``year`` has ``flow`` None (unknown).
    as_of
        The day coverage is judged on; defaults to 31 December of ``year``.
    min_tier
        The weakest tier that closes a gap: ``"forum"``, ``"political"``
        (default), ``"operational"`` or ``"binding"``. A segment whose
        strongest joining instrument is weaker is a gap.
    themes, kinds, exclude_kinds, binding_only
        Which instruments count: those sharing at least one of ``themes``,
        of one of ``kinds``, of none of ``exclude_kinds`` and, with
        ``binding_only``, legally binding.
    routes
        Keep only the segments of these routes.

    Returns
    -------
    networkx.DiGraph
        Nodes are country codes with ``name``, ``x`` (lon), ``y`` (lat) and
        ``partnerships`` (counted ids the country takes part in, in the order
        of the data set). Edges carry ``routes``, ``flow``, ``flow_by_route``,
        ``flow_status``, ``measure``, ``sources``, ``notes``, ``internal``,
        ``tier`` (None when internal), ``gap``, ``partnerships`` (id → tier of
        the instruments joining the two ends, strongest first), ``toolbox`` and
        ``team_europe``. ``G.graph`` records the selection, the counted
        instruments by id and the routes' totals for the year.
    """
    return graph_of(judge(dataset, **selection), dataset)


def graph_of(judged: Judged, dataset: Dataset) -> nx.DiGraph:
    """The networkx graph of segments already judged (:func:`routes.selection.judge`)."""
    G = nx.DiGraph()
    G.graph.update(judged.info)
    by_country = judged.index.by_country
    for origin, destination, attributes in judged.edges:
        for code in (origin, destination):
            if code not in G:
                country = dataset.countries.get(code)
                G.add_node(
                    code,
                    name=judged.names[code],
                    x=country.lon if country else None,
                    y=country.lat if country else None,
                    partnerships=list(by_country.get(code, ())),
                )
        G.add_edge(origin, destination, **attributes)
    return G


def graph_to_gdfs(G: nx.DiGraph, *, nodes: bool = True, edges: bool = True) -> Any:
    """Convert the graph to GeoDataFrames (EPSG:4326), like osmnx's ``graph_to_gdfs``.

    Nodes become Points indexed by code; edges become straight LineStrings
    indexed by (origin, destination). Countries with no position get an empty
    geometry. Returns ``(nodes, edges)``, or the one asked for.
    """
    import geopandas as gpd
    from shapely.geometry import LineString, Point

    result: list[gpd.GeoDataFrame] = []
    if nodes:
        records = [{"code": n, **data} for n, data in G.nodes(data=True)]
        geometry = [Point(r["x"], r["y"]) if r["x"] is not None else None for r in records]
        gdf = gpd.GeoDataFrame(records, geometry=geometry, crs="EPSG:4326")
        result.append(gdf.set_index("code") if len(gdf) else gdf)
    if edges:
        records = [{"origin": u, "destination": v, **data} for u, v, data in G.edges(data=True)]
        geometry = []
        for r in records:
            a, b = G.nodes[r["origin"]], G.nodes[r["destination"]]
            ok = None not in (a["x"], a["y"], b["x"], b["y"])
            geometry.append(LineString([(a["x"], a["y"]), (b["x"], b["y"])]) if ok else None)
        gdf = gpd.GeoDataFrame(records, geometry=geometry, crs="EPSG:4326")
        result.append(gdf.set_index(["origin", "destination"]) if len(gdf) else gdf)
    return tuple(result) if len(result) > 1 else result[0]
