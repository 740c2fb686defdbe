"""Gap analysis: the gaps, the route summary, the whole-route view.

The ``*_records`` functions take a corridor graph (:func:`routes.build_graph`)
or the judged segments it is made of (:func:`routes.selection.judge`, which
the command line uses so that listing gaps needs no networkx) and return plain
lists of dicts; :func:`gaps` and :func:`route_summary` wrap them in pandas
DataFrames for analysts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import islice, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routes._frames import RecordList
from routes.coverage import gap_reason
from routes.dataset import Dataset, load
from routes.selection import Judged, judge

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    Segments = nx.DiGraph | Judged

GAP_FIELDS = (
    "origin",
    "origin_name",
    "destination",
    "destination_name",
    "routes",
    "flow",
    "flow_status",
    "measure",
    "route_flow",
    "internal",
    "tier",
    "gap",
    "gap_reason",
    "partnerships",
    "toolbox",
    "team_europe",
    "sources",
)


def gap_order(record: dict[str, Any]) -> tuple:
    """Rank by flow, largest first; unknown flows last, by their busiest route's total; then by segment."""
    flow = record["flow"]
    route_flow = record.get("route_flow")
    return (flow is None, -(flow or 0), -(route_flow or 0), record["origin"], record["destination"])


def _parts(source: Segments) -> tuple[Iterable[tuple[str, str, dict[str, Any]]], Mapping[str, Any], Any]:
    """(edges with their attributes, the selection info, a code → name function) of a graph or judged segments."""
    if isinstance(source, Judged):
        return source.edges, source.info, source.names.__getitem__
    return source.edges(data=True), source.graph, lambda code: source.nodes[code]["name"]


def segment_records(G: Segments, *, which: str = "all") -> list[dict[str, Any]]:
    """One record per segment, ranked by :func:`gap_order`.

    ``which`` keeps ``"all"`` segments, only ``"gaps"``, only ``"internal"``
    ones, or only those ``"judged"`` (not internal).
    """
    keep = {
        "all": lambda d: True,
        "gaps": lambda d: d["gap"],
        "internal": lambda d: d["internal"],
        "judged": lambda d: not d["internal"],
    }[which]
    edges, info, name = _parts(G)
    totals = {r: t["flow"] for r, t in (info.get("route_totals") or {}).items() if t["flow"] is not None}
    records = []
    for origin, destination, data in edges:
        if not keep(data):
            continue
        route_flows = [totals[r] for r in data["routes"] if r in totals]
        records.append(
            {
                "origin": origin,
                "origin_name": name(origin),
                "destination": destination,
                "destination_name": name(destination),
                "routes": list(data["routes"]),
                "flow": data["flow"],
                "flow_status": data["flow_status"],
                "measure": data["measure"],
                "route_flow": max(route_flows) if route_flows else None,
                "internal": data["internal"],
                "tier": data["tier"],
                "gap": data["gap"],
                "gap_reason": gap_reason(data["tier"], data["gap"]),
                "partnerships": dict(data["partnerships"]),
                "toolbox": data["toolbox"],
                "team_europe": data["team_europe"],
                "sources": list(data["sources"]),
            }
        )
    return sorted(records, key=gap_order)


def gap_records(G: Segments) -> list[dict[str, Any]]:
    """The gaps of the graph under the minimum tier it was built with, ranked by flow."""
    return segment_records(G, which="gaps")


def _segments(source: Segments | Dataset | str | Path | None, options: dict[str, Any]) -> Segments:
    if isinstance(source, Judged) or hasattr(source, "edges"):
        if options:
            raise TypeError("options go to build_graph(); pass them there or pass a Dataset here")
        return source
    dataset = source if isinstance(source, Dataset) else load(source)
    return judge(dataset, **options)


def gaps(source: Segments | Dataset | str | Path | None = None, **options: Any) -> pd.DataFrame:
    """The gap segments as a DataFrame ranked by flow (unknown flows last).

    Parameters
    ----------
    source
        A graph from :func:`routes.build_graph`, a :class:`Dataset`, or a
        data set folder (the bundled data set by default).
    **options
        Passed to :func:`routes.build_graph` when ``source`` is not a graph.
    """
    import pandas as pd

    return pd.DataFrame(gap_records(_segments(source, options)), columns=list(GAP_FIELDS))


def summary_records(G: Segments) -> list[dict[str, Any]]:
    """Per route: segments, internal ones, gaps, gap share, flow-weighted gap share, unknown flows apart.

    Shares are of the *judged* segments: internal segments (between two
    members of the EU) are neither covered nor gaps and stay out of them.
    ``route_total`` is the route's own total for the year (``route_flows.csv``),
    beside its segments' figures; None when the data set has none.
    """
    edges, info, _ = _parts(G)
    return summarise((d for _, _, d in edges), info.get("route_totals") or {})


def summarise(edges: Iterable[Mapping[str, Any]], route_totals: Mapping[str, Any]) -> list[dict[str, Any]]:
    """:func:`summary_records` over edge attributes (``flow_by_route``, ``internal``, ``gap``)."""
    rows: dict[str, dict[str, Any]] = {}
    for data in edges:
        for route, flow in data["flow_by_route"].items():
            row = rows.get(route)
            if row is None:
                row = rows[route] = {"route": route, **dict.fromkeys(_COUNTS, 0)}
            row["segments"] += 1
            if data["internal"]:
                row["internal"] += 1
                continue
            row["gaps"] += data["gap"]
            if flow is None:
                row["unknown_flow_segments"] += 1
                row["unknown_flow_gaps"] += data["gap"]
            else:
                row["known_flow"] += flow
                row["gap_flow"] += flow if data["gap"] else 0
    return [_shares(rows[route], route_totals.get(route)) for route in sorted(rows)]


_COUNTS = ("segments", "internal", "gaps", "known_flow", "gap_flow", "unknown_flow_segments", "unknown_flow_gaps")


def _shares(row: dict[str, Any], total: Mapping[str, Any] | None) -> dict[str, Any]:
    judged = row["segments"] - row["internal"]
    row["gap_share"] = row["gaps"] / judged if judged else None
    row["gap_flow_share"] = row["gap_flow"] / row["known_flow"] if row["known_flow"] else None
    row["route_total"] = total["flow"] if total else None
    row["route_total_status"] = total["status"] if total else None
    return row


def route_summary(source: Segments | Dataset | str | Path | None = None, **options: Any) -> pd.DataFrame:
    """:func:`summary_records` as a DataFrame indexed by route."""
    import pandas as pd

    return pd.DataFrame(summary_records(_segments(source, options))).set_index("route")


class RoutePaths(RecordList):
    """Per route, its paths; as a table, one row per path with its break points."""

    def to_frame(self, *, flat: bool = True) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "route": route["route"],
                "path": " → ".join(path["countries"]),
                "segments": len(path["countries"]) - 1,
                "break_points": "; ".join(f"{u}→{v}" for u, v in path["break_points"])
                if flat
                else path["break_points"],
                "whole": not path["break_points"],
            }
            for route in self
            for path in route["paths"]
        ]
        return pd.DataFrame(rows, columns=["route", "path", "segments", "break_points", "whole"])


def path_records(G: nx.DiGraph, *, limit: int = 1000) -> RoutePaths:
    """The whole-route view: every path of each route from an origin to an end.

    An origin has no incoming segment on the route, an end no outgoing one.
    Each path lists its gap segments ("break points"). At most ``limit``
    paths are listed per route; ``truncated`` says when more exist. A list of
    dicts, one per route; ``.to_frame()`` gives one row per path.
    """
    import networkx as nx

    by_route: dict[str, list[tuple[str, str]]] = {}
    for u, v, data in G.edges(data=True):
        for route in data["routes"]:
            by_route.setdefault(route, []).append((u, v))
    out = []
    for route in sorted(by_route):
        sub = nx.DiGraph(sorted(by_route[route]))
        starts = sorted(n for n in sub if sub.in_degree(n) == 0)
        ends = sorted(n for n in sub if sub.out_degree(n) == 0)
        paths: list[dict[str, Any]] = []
        truncated = False
        for start in starts:
            room = limit - len(paths)
            found = list(islice(nx.all_simple_paths(sub, start, ends), room + 1))
            truncated = truncated or len(found) > room
            for path in sorted(found[:room]):
                hops = list(pairwise(path))
                paths.append(
                    {
                        "countries": list(path),
                        "break_points": [[u, v] for u, v in hops if G.edges[u, v]["gap"]],
                        "internal": [[u, v] for u, v in hops if G.edges[u, v]["internal"]],
                    }
                )
        out.append({"route": route, "origins": starts, "ends": ends, "paths": paths, "truncated": truncated})
    return RoutePaths(out)
