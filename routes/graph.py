"""The corridor graph: countries as nodes, route segments as directed edges (networkx)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from routes._gc import gc_paused
from routes.coverage import CoverageIndex
from routes.dataset import Dataset
from routes.selection import Judged, judge

if TYPE_CHECKING:
    import geopandas as gpd


@gc_paused()  # it makes very many objects: see routes._gc.gc_paused
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
    index = judged.index
    nodes: dict[str, dict[str, Any]] = {}
    for origin, destination, _ in judged.edges:
        for code in (origin, destination):
            if code not in nodes:
                country = dataset.countries.get(code)
                nodes[code] = {
                    "name": judged.names[code],
                    "x": country.lon if country else None,
                    "y": country.lat if country else None,
                    "partnerships": NodePartnerships(index, code),
                }
    G.add_nodes_from(nodes.items())
    G.add_edges_from(judged.edges)
    return G


class NodePartnerships(Sequence):
    """A node's ``partnerships``: the counted instruments whose parties hold the country, in data set order.

    It behaves as the list it stands for (it compares equal to it, and
    ``list()`` gives it) but is made on first use: where a group such as the
    EU is a party to thousands of instruments, listing them for every member
    would make the graph grow with members × instruments, whether or not
    anyone reads the lists.
    """

    __slots__ = ("_code", "_index", "_items")

    def __init__(self, index: CoverageIndex, code: str) -> None:
        self._index = index
        self._code = code
        self._items: list[str] | None = None

    def _list(self) -> list[str]:
        if self._items is None:
            self._items = self._index.countries_instruments(self._code)
        return self._items

    def __len__(self) -> int:
        return len(self._list())

    def __getitem__(self, i: Any) -> Any:
        return self._list()[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self._list())

    def __contains__(self, pid: object) -> bool:
        return pid in self._list()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NodePartnerships):
            other = other._list()
        return self._list() == other if isinstance(other, list) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a list

    def __repr__(self) -> str:
        return repr(self._list())

    def __reduce__(self) -> tuple:  # a copy or a pickle is the plain list
        return list, (self._list(),)


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
