"""The corridor graph: countries as nodes, route segments as directed edges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from routes._errors import SelectionError
from routes.coverage import PartyIndex, check_filters, classify, is_gap
from routes.dataset import Dataset, Partnership, gc_paused

if TYPE_CHECKING:
    import geopandas as gpd

#: The worst status wins when rows of different status are summed.
_STATUS_ORDER = ("ok", "approx", "prelim", "partial-year", "derived", "uncertain", "conflict")


def resolve_dates(dataset: Dataset, year: int | None = None, as_of: dt.date | str | None = None) -> tuple:
    """The year whose flows are used and the day coverage is judged on.

    ``year`` defaults to the latest year with flows; ``as_of`` to the last day
    of ``year`` when there is one, else today.
    """
    if year is None and dataset.years:
        year = dataset.years[-1]
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of)
        except ValueError:
            raise SelectionError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None
    if as_of is None:
        as_of = dt.date(year, 12, 31) if year is not None else dt.date.today()
    return year, as_of


@gc_paused()  # it makes very many objects: see routes.dataset.gc_paused
def build_graph(
    dataset: Dataset,
    *,
    year: int | None = None,
    as_of: dt.date | str | None = None,
    rule: str = "both",
    themes: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    exclude_kinds: Iterable[str] | None = None,
    binding_only: bool = False,
    routes: Iterable[str] | None = None,
) -> nx.DiGraph:
    """Build the corridor graph of one year, with each segment's coverage.

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
    rule
        ``"both"``: a gap is a segment without full coverage. ``"either"``: a
        gap is a segment with no coverage at all.
    themes, kinds, exclude_kinds, binding_only
        Which partnerships count: those sharing at least one of ``themes``,
        of one of ``kinds``, of none of ``exclude_kinds`` (e.g. ``["dialogue"]``
        to leave out regional dialogues) and, with ``binding_only``, legally
        binding.
    routes
        Keep only the segments of these routes.

    Returns
    -------
    networkx.DiGraph
        Nodes are country codes with ``name``, ``x`` (lon), ``y`` (lat) and
        ``partnerships`` (counted ids the country is party to). Edges carry
        ``routes``, ``flow``, ``flow_by_route``, ``flow_status``, ``measure``,
        ``sources``, ``notes``, ``partnerships`` (full), ``partial``,
        ``coverage`` and ``gap``. ``G.graph`` records the selection and the
        counted partnerships by id.
    """
    themes, kinds, exclude_kinds = (sorted(set(v)) if v is not None else None for v in (themes, kinds, exclude_kinds))
    check_filters(rule, themes, kinds, exclude_kinds)
    selected_routes = _check_routes(dataset, routes)
    year, as_of = resolve_dates(dataset, year, as_of)
    filters = {"themes": themes, "kinds": kinds, "exclude_kinds": exclude_kinds, "binding_only": binding_only}
    index = PartyIndex.build(dataset.partnerships, dataset.blocs, as_of, **filters)

    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for row in dataset.segments:
        if selected_routes is not None and row.route not in selected_routes:
            continue
        edge = edges.get((row.origin, row.destination))
        if edge is None:  # not setdefault: that would build a new edge for every row
            edge = edges[row.origin, row.destination] = _new_edge()
        by_route = edge["flow_by_route"]
        by_route.setdefault(row.route, None)
        if row.year != year or year is None:
            edge["declared_in"].add(row.source)
            continue
        if row.flow is not None:
            by_route[row.route] = (by_route[row.route] or 0) + row.flow
            edge["statuses"].add(row.status)
            if row.measure:
                edge["measures"].add(row.measure)
        edge["sources"].add(row.source)
        if row.note:
            edge["notes"].add(row.note)

    G = nx.DiGraph()
    G.graph.update(
        dataset=str(dataset.path),
        year=year,
        as_of=as_of.isoformat(),
        rule=rule,
        **filters,
        routes=sorted(selected_routes) if selected_routes is not None else None,
        partnerships={pid: partnership_info(dataset.partnership(pid)) for pid in sorted(index.parties)},
    )
    for origin, destination in sorted(edges):
        for code in (origin, destination):
            if code not in G:
                country = dataset.countries.get(code)
                G.add_node(
                    code,
                    name=dataset.country_name(code),
                    x=country.lon if country else None,
                    y=country.lat if country else None,
                    partnerships=sorted(index.by_country.get(code, ())),
                )
        G.add_edge(origin, destination, **_finish_edge(edges[origin, destination], index, origin, destination, rule))
    return G


def _new_edge() -> dict[str, Any]:
    return {
        "flow_by_route": {},
        "statuses": set(),
        "measures": set(),
        "sources": set(),
        "notes": set(),
        "declared_in": set(),
    }


def _finish_edge(edge: dict[str, Any], index: PartyIndex, origin: str, destination: str, rule: str) -> dict:
    by_route = dict(sorted(edge["flow_by_route"].items()))
    known = [f for f in by_route.values() if f is not None]
    full, partial = index.cover(origin, destination)
    coverage = classify(full, partial)
    statuses = edge["statuses"]
    return {
        "routes": list(by_route),
        "flow": sum(known) if known else None,
        "flow_by_route": by_route,
        "flow_status": max(statuses, key=_STATUS_ORDER.index) if statuses else None,
        "measure": "; ".join(sorted(edge["measures"])) or None,
        "sources": sorted(edge["sources"] or edge["declared_in"]),
        "notes": sorted(edge["notes"]),
        "partnerships": sorted(full),
        "partial": sorted(partial),
        "coverage": coverage,
        "gap": is_gap(coverage, rule),
    }


def _check_routes(dataset: Dataset, routes: Iterable[str] | None) -> set[str] | None:
    if routes is None:
        return None
    wanted = set(routes)
    unknown = wanted - set(dataset.route_names)
    if unknown:
        import difflib

        name = sorted(unknown)[0]
        close = difflib.get_close_matches(name, dataset.route_names, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise SelectionError(f"unknown route {name!r}{hint} Routes: {', '.join(dataset.route_names)}")
    return wanted


def partnership_info(p: Partnership) -> dict[str, Any]:
    """A partnership as plain data, for graphs, JSON and pages."""
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "parties": list(p.parties),
        "signed": str(p.signed),
        "in_force": str(p.in_force) if p.in_force else None,
        "ended": str(p.ended) if p.ended else None,
        "binding": p.binding,
        "themes": list(p.themes),
        "source": p.source,
        "notes": p.notes,
        "uncertain": list(p.uncertain),
    }


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
