"""routes: whole-of-route migration corridors as a graph, and where partnerships leave them uncovered.

>>> import routes
>>> data = routes.load()                      # the bundled data set
>>> G = routes.build_graph(data, year=2016)   # networkx.DiGraph
>>> routes.gaps(G).head()                     # pandas DataFrame, ranked by flow
"""

from __future__ import annotations

from typing import Any

from routes._errors import DataError, OutputError, Problem, RoutesError, SelectionError
from routes.analysis import gap_records, gaps, path_records, route_summary, summary_records
from routes.coverage import SEGMENT_TIERS, TEAM_EUROPE_LABELS, TOOLBOX_LABELS, CoverageIndex
from routes.dataset import Country, Dataset, Group, Partnership, RouteFlow, SegmentRow, bundled_data_path, load
from routes.graph import build_graph, graph_to_gdfs

__all__ = [
    "SEGMENT_TIERS",
    "TEAM_EUROPE_LABELS",
    "TOOLBOX_LABELS",
    "Country",
    "CoverageIndex",
    "DataError",
    "Dataset",
    "Group",
    "OutputError",
    "Partnership",
    "Problem",
    "RouteFlow",
    "RoutesError",
    "SegmentRow",
    "SelectionError",
    "build_graph",
    "bundled_data_path",
    "gap_records",
    "gaps",
    "graph_to_gdfs",
    "load",
    "path_records",
    "route_summary",
    "summary_records",
]

__version__ = "0.2.0"


def __getattr__(name: str) -> Any:
    # Heavy, optional parts load on first use so the command line starts fast.
    if name == "corridor_map":
        from routes.maps import corridor_map

        return corridor_map
    raise AttributeError(f"module 'routes' has no attribute {name!r}")
