"""routes: whole-of-route migration corridors as a graph, and where partnerships leave them uncovered.

>>> import routes
>>> data = routes.load()                      # the bundled data set
>>> G = routes.build_graph(data, year=2016)   # networkx.DiGraph
>>> routes.gaps(G).head()                     # pandas DataFrame, ranked by flow

Every name loads on first use, so that ``import routes`` (and the command
line's start-up, which must answer Ctrl-C cleanly from its first moment) costs
only what is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from routes._errors import DataError, OutputError, Problem, RoutesError, SelectionError
    from routes.analysis import gap_records, gaps, path_records, route_summary, summary_records
    from routes.coverage import SEGMENT_TIERS, TEAM_EUROPE_LABELS, TOOLBOX_LABELS, CoverageIndex
    from routes.dataset import Country, Dataset, Group, Partnership, RouteFlow, SegmentRow, bundled_data_path, load
    from routes.export import save_geojson, save_geopackage, save_graphml
    from routes.graph import build_graph, graph_to_gdfs
    from routes.maps import corridor_map

_LAZY = {
    "routes._errors": ("DataError", "OutputError", "Problem", "RoutesError", "SelectionError"),
    "routes.analysis": ("gap_records", "gaps", "path_records", "route_summary", "summary_records"),
    "routes.coverage": ("SEGMENT_TIERS", "TEAM_EUROPE_LABELS", "TOOLBOX_LABELS", "CoverageIndex"),
    "routes.dataset": (
        "Country",
        "Dataset",
        "Group",
        "Partnership",
        "RouteFlow",
        "SegmentRow",
        "bundled_data_path",
        "load",
    ),
    "routes.export": ("save_geojson", "save_geopackage", "save_graphml"),
    "routes.graph": ("build_graph", "graph_to_gdfs"),
    "routes.maps": ("corridor_map",),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}

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
    "corridor_map",
    "gap_records",
    "gaps",
    "graph_to_gdfs",
    "load",
    "path_records",
    "route_summary",
    "save_geojson",
    "save_geopackage",
    "save_graphml",
    "summary_records",
]
assert sorted(__all__) == sorted(_MODULE_OF)

__version__ = "0.3.0"


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'routes' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
