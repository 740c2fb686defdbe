"""Gap reports for analysts: the tables behind ``routes report``.

:func:`build_report` computes every table as plain records (lists of dicts);
:mod:`routes.report_output` renders them as HTML, Markdown or XLSX.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from routes.analysis import gap_records, segment_records, summary_records
from routes.dataset import Dataset
from routes.graph import build_graph

RETURN, LEGAL = "return-readmission", "legal-pathways"

#: How a segment is covered by whom (the "EU vs member states" table).
ALIGNMENT_CLASSES = ("EU and member states", "EU only", "member states only", "others only", "none")

CAVEATS = (
    "Frontex counts detections of illegal border crossings, not persons; one person can be detected more than once.",
    "A route total is placed on a segment only when the whole route passes over that one segment; it is never "
    "split by invented shares, so most segments have an unknown flow and flow-weighted shares rest on few figures.",
    "Flows of different measures (Frontex detections, UK Home Office arrivals, Italian landings) are summed per "
    "route as given; each segment's measure says what it counts.",
    "Coverage means an instrument between two countries was in force on the day; it says nothing about "
    "implementation, funding or safeguards.",
    "A bloc such as the EU stands for all its members on the day, so EU-level instruments count for every "
    "member state, including those that opted out or did not take part.",
    "Regional dialogues cover every pair of their members; use --exclude-kind dialogue to leave them out.",
)

Progress = Callable[[str], None]


def build_report(
    dataset: Dataset,
    *,
    progress: Progress | None = None,
    **selection: Any,
) -> dict[str, Any]:
    """Compute every table of the gap report.

    Parameters
    ----------
    dataset
        A loaded data set.
    progress
        Called with a short label before each step (for a progress bar).
    **selection
        The options of :func:`routes.build_graph` (year, as_of, rule, themes,
        kinds, exclude_kinds, binding_only, routes).

    Returns
    -------
    dict
        ``selection``, ``headline`` (per route plus ``overall``), ``gaps``,
        ``thematic``, ``alignment``, ``over_time``, ``partnerships`` (the
        counted ones by id), ``sources`` and ``caveats`` — every table a list
        of records — and ``graph``, the corridor graph of the selection.
    """
    step = progress or (lambda label: None)
    step("coverage")
    G = build_graph(dataset, **selection)
    names = {pid: info["name"] for pid, info in G.graph["partnerships"].items()}
    step("themes")
    thematic = thematic_balance(dataset, G, selection)
    step("EU and member states")
    alignment = alignment_records(dataset, G)
    step("years")
    over_time = coverage_over_time(dataset, selection, progress=step)
    step("writing")
    gaps = gap_records(G)
    for record in gaps:
        at_origin = set(G.nodes[record["origin"]]["partnerships"])
        record["partial_origin"] = [names[p] for p in record["partial"] if p in at_origin]
        record["partial_destination"] = [names[p] for p in record["partial"] if p not in at_origin]
    return {
        "selection": {k: v for k, v in G.graph.items() if k != "partnerships"},
        "headline": headline_records(G),
        "gaps": gaps,
        "thematic": thematic,
        "alignment": alignment,
        "over_time": over_time,
        "partnerships": G.graph["partnerships"],
        "sources": sources(dataset, G),
        "caveats": list(CAVEATS),
        "graph": G,
    }


def headline_records(G: nx.DiGraph) -> list[dict[str, Any]]:
    """Per route and overall: segments, gaps, known flow, and the share of it on gaps."""
    rows = summary_records(G)
    edges = list(G.edges(data=True))
    known = sum(d["flow"] for _, _, d in edges if d["flow"] is not None)
    on_gaps = sum(d["flow"] for _, _, d in edges if d["flow"] is not None and d["gap"])
    gaps = sum(d["gap"] for _, _, d in edges)
    overall = {
        "route": "All routes",
        "segments": len(edges),
        "gaps": gaps,
        "gap_share": gaps / len(edges) if edges else None,
        "known_flow": known,
        "gap_flow": on_gaps,
        "gap_flow_share": on_gaps / known if known else None,
        "unknown_flow_segments": sum(d["flow"] is None for _, _, d in edges),
        "unknown_flow_gaps": sum(d["flow"] is None and d["gap"] for _, _, d in edges),
    }
    return [*rows, overall]


def _theme_graphs(dataset: Dataset, selection: dict[str, Any], themes: Iterable[str]) -> dict[str, nx.DiGraph]:
    options = {k: v for k, v in selection.items() if k != "themes"}
    return {theme: build_graph(dataset, themes=[theme], **options) for theme in themes}


def thematic_balance(dataset: Dataset, G: nx.DiGraph, selection: dict[str, Any]) -> dict[str, Any]:
    """Return without legal pathways (and the reverse), and per route the flow covered on each theme.

    A segment is covered on a theme when a counted partnership with that theme
    covers it fully. The report's own theme filter is set aside here, so that
    every theme is measured with the same other filters.
    """
    from routes._validate import THEMES

    by_theme = _theme_graphs(dataset, selection, THEMES)
    covered = {t: {(u, v) for u, v, d in g.edges(data=True) if d["coverage"] == "full"} for t, g in by_theme.items()}

    def listing(have: str, lack: str) -> list[dict[str, Any]]:
        only = covered[have] - covered[lack]
        return [r for r in segment_records(by_theme[have]) if (r["origin"], r["destination"]) in only]

    per_route: dict[str, dict[str, Any]] = {}
    for u, v, data in G.edges(data=True):
        for route, flow in data["flow_by_route"].items():
            row = per_route.setdefault(route, {"route": route, "known_flow": 0, **{t: 0 for t in THEMES}})
            if flow is None:
                continue
            row["known_flow"] += flow
            for theme in THEMES:
                if (u, v) in covered[theme]:
                    row[theme] += flow
    shares = []
    for route in sorted(per_route):
        row = per_route[route]
        known = row["known_flow"]
        shares.append({"route": route, "known_flow": known, **{t: (row[t] / known if known else None) for t in THEMES}})
    return {
        "return_without_legal": listing(RETURN, LEGAL),
        "legal_without_return": listing(LEGAL, RETURN),
        "flow_share_by_theme": shares,
        "themes": list(THEMES),
    }


def instrument_level(partnership: dict[str, Any], eu_members: frozenset[str]) -> str:
    """'EU' when the EU bloc is a party, 'member state' when an EU member is, else 'other'."""
    parties = set(partnership["parties"])
    if "EU" in parties:
        return "EU"
    return "member state" if parties & eu_members else "other"


def alignment_records(dataset: Dataset, G: nx.DiGraph) -> list[dict[str, Any]]:
    """Per segment: covered by EU-level instruments, member states' own, both, only others, or none.

    Derived from the parties: an instrument is EU-level when the ``EU`` bloc is
    a party, a member-state instrument when one of its parties is an EU member
    on the as-of day (and the EU bloc is not), and "other" otherwise
    (Switzerland, the United Kingdom, dialogues without EU members...).
    """
    day = dt.date.fromisoformat(G.graph["as_of"])
    eu = dataset.blocs.get("EU")
    members = eu.members_on(day) if eu else frozenset()
    info = G.graph["partnerships"]
    level = {pid: instrument_level(p, members) for pid, p in info.items()}
    out = []
    for record in segment_records(G):
        full = record["partnerships"]
        by_level = {lv: [p for p in full if level[p] == lv] for lv in ("EU", "member state", "other")}
        if by_level["EU"] and by_level["member state"]:
            label = "EU and member states"
        elif by_level["EU"]:
            label = "EU only"
        elif by_level["member state"]:
            label = "member states only"
        elif by_level["other"]:
            label = "others only"
        else:
            label = "none"
        out.append(
            {
                "origin": record["origin"],
                "origin_name": record["origin_name"],
                "destination": record["destination"],
                "destination_name": record["destination_name"],
                "routes": record["routes"],
                "flow": record["flow"],
                "alignment": label,
                "eu_level": by_level["EU"],
                "member_states": by_level["member state"],
                "others": by_level["other"],
            }
        )
    return out


def coverage_over_time(
    dataset: Dataset, selection: dict[str, Any], *, progress: Progress | None = None
) -> list[dict[str, Any]]:
    """Per year with flows and per route: flow-weighted coverage and segment coverage.

    ``flow_coverage`` is the known flow on segments that are not gaps divided
    by the known flow (None when no flow is known); ``segment_coverage`` is the
    share of segments that are not gaps. Each year is judged on its last day,
    unless the selection fixes ``as_of``.
    """
    options = {k: v for k, v in selection.items() if k != "year"}
    out = []
    for year in dataset.years:
        if progress:
            progress(f"year {year}")
        G = build_graph(dataset, year=year, **options)
        for row in summary_records(G):
            out.append(
                {
                    "year": year,
                    "route": row["route"],
                    "segments": row["segments"],
                    "gaps": row["gaps"],
                    "known_flow": row["known_flow"],
                    "covered_flow": row["known_flow"] - row["gap_flow"],
                    "flow_coverage": None if row["gap_flow_share"] is None else 1 - row["gap_flow_share"],
                    "segment_coverage": 1 - row["gap_share"],
                }
            )
    return out


def sources(dataset: Dataset, G: nx.DiGraph) -> list[str]:
    """The distinct sources behind the figures and the counted partnerships."""
    found: set[str] = set()
    for _, _, data in G.edges(data=True):
        found.update(data["sources"])
    found.update(p["source"] for p in G.graph["partnerships"].values())
    for bloc in dataset.blocs.values():
        found.add(bloc.source)
    return sorted(found)
