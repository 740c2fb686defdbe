"""Gap analysis over a corridor graph: the gaps, the route summary, the whole-route view.

The ``*_records`` functions return plain lists of dicts (cheap, for the
command line and JSON); :func:`gaps` and :func:`route_summary` wrap them in
pandas DataFrames for analysts.
"""

from __future__ import annotations

from itertools import islice, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from routes.dataset import Dataset, load
from routes.graph import build_graph

if TYPE_CHECKING:
    import pandas as pd

GAP_FIELDS = (
    "origin",
    "origin_name",
    "destination",
    "destination_name",
    "routes",
    "flow",
    "flow_status",
    "measure",
    "coverage",
    "partnerships",
    "partial",
    "sources",
)


def gap_order(record: dict[str, Any]) -> tuple:
    """Rank by flow, largest first, unknown flows last, then by segment."""
    flow = record["flow"]
    return (flow is None, -(flow or 0), record["origin"], record["destination"])


def segment_records(G: nx.DiGraph, *, gaps_only: bool = False) -> list[dict[str, Any]]:
    """One record per segment (or per gap), ranked by :func:`gap_order`."""
    records = []
    for origin, destination, data in G.edges(data=True):
        if gaps_only and not data["gap"]:
            continue
        records.append(
            {
                "origin": origin,
                "origin_name": G.nodes[origin]["name"],
                "destination": destination,
                "destination_name": G.nodes[destination]["name"],
                "routes": list(data["routes"]),
                "flow": data["flow"],
                "flow_status": data["flow_status"],
                "measure": data["measure"],
                "coverage": data["coverage"],
                "partnerships": list(data["partnerships"]),
                "partial": list(data["partial"]),
                "sources": list(data["sources"]),
            }
        )
    return sorted(records, key=gap_order)


def gap_records(G: nx.DiGraph) -> list[dict[str, Any]]:
    """The gaps of the graph under the rule it was built with, ranked by flow."""
    return segment_records(G, gaps_only=True)


def _graph(source: nx.DiGraph | Dataset | str | Path | None, options: dict[str, Any]) -> nx.DiGraph:
    if isinstance(source, nx.DiGraph):
        if options:
            raise TypeError("options go to build_graph(); pass them there or pass a Dataset here")
        return source
    dataset = source if isinstance(source, Dataset) else load(source)
    return build_graph(dataset, **options)


def gaps(source: nx.DiGraph | Dataset | str | Path | None = None, **options: Any) -> pd.DataFrame:
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

    G = _graph(source, options)
    return pd.DataFrame(gap_records(G), columns=list(GAP_FIELDS))


def summary_records(G: nx.DiGraph) -> list[dict[str, Any]]:
    """Per route: segments, gaps, gap share, flow-weighted gap share, unknown flows apart."""
    rows: dict[str, dict[str, Any]] = {}
    for _, _, data in G.edges(data=True):
        for route, flow in data["flow_by_route"].items():
            row = rows.setdefault(
                route,
                {
                    "route": route,
                    "segments": 0,
                    "gaps": 0,
                    "known_flow": 0,
                    "gap_flow": 0,
                    "unknown_flow_segments": 0,
                    "unknown_flow_gaps": 0,
                },
            )
            row["segments"] += 1
            row["gaps"] += data["gap"]
            if flow is None:
                row["unknown_flow_segments"] += 1
                row["unknown_flow_gaps"] += data["gap"]
            else:
                row["known_flow"] += flow
                row["gap_flow"] += flow if data["gap"] else 0
    out = []
    for route in sorted(rows):
        row = rows[route]
        row["gap_share"] = row["gaps"] / row["segments"]
        row["gap_flow_share"] = row["gap_flow"] / row["known_flow"] if row["known_flow"] else None
        out.append(row)
    return out


def route_summary(source: nx.DiGraph | Dataset | str | Path | None = None, **options: Any) -> pd.DataFrame:
    """:func:`summary_records` as a DataFrame indexed by route."""
    import pandas as pd

    return pd.DataFrame(summary_records(_graph(source, options))).set_index("route")


def path_records(G: nx.DiGraph, *, limit: int = 1000) -> list[dict[str, Any]]:
    """The whole-route view: every path of each route from an origin to an end.

    An origin has no incoming segment on the route, an end no outgoing one.
    Each path lists its gap segments ("break points"). At most ``limit``
    paths are listed per route; ``truncated`` says when more exist.
    """
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
                    }
                )
        out.append({"route": route, "origins": starts, "ends": ends, "paths": paths, "truncated": truncated})
    return out
