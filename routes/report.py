"""Gap reports for analysts: the tables behind ``routes report``.

:func:`build_report` computes every table as plain records (lists of dicts);
:mod:`routes.report_output` renders them as HTML, Markdown or XLSX.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from routes._gc import gc_paused
from routes._validate import THEMES
from routes.analysis import gap_records, segment_records, summary_records
from routes.coverage import SEGMENT_TIERS, TEAM_EUROPE_LABELS, TOOLBOX_LABELS, CoverageHistory, tier_rank, toolbox_label
from routes.dataset import Dataset
from routes.graph import build_graph
from routes.i18n import N_
from routes.selection import coverage_index, route_totals

#: Marked for the catalogue (routes.i18n.N_): the outputs show them translated.
CAVEATS = (
    N_(
        "Frontex counts detections of illegal border crossings, not persons; one person can be detected more than once."
    ),
    N_(
        "A route total is never split across segments by invented shares: it is shown beside the route's segments, "
        "and a segment has a flow only where a source counts that segment, so flow-weighted shares rest on the "
        "segments with a known flow."
    ),
    N_(
        "Flows of different measures (Frontex detections, UK Home Office arrivals, Italian landings, registrations) "
        "are summed per route as given; each segment's measure says what it counts."
    ),
    N_(
        "Coverage means an instrument joining the two countries was active on the day, at or above the minimum tier; "
        "it says nothing about implementation, funding or safeguards."
    ),
    N_(
        "An EU-level instrument joins the partner country with each EU member state (only the participating ones when "
        "the data lists them), never two member states; a segment between two member states is internal to the EU "
        "and neither covered nor a gap."
    ),
    N_(
        "Regional dialogues (the Rabat, Khartoum, Prague and Budapest Processes) are forums: below the default "
        "minimum tier they leave a segment a gap ('forum only'); --min-tier forum counts them."
    ),
)

Progress = Callable[[str], None]


@gc_paused()  # it makes very many objects: see routes._gc.gc_paused
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
        The options of :func:`routes.build_graph` (year, as_of, min_tier,
        themes, kinds, exclude_kinds, binding_only, routes).

    Returns
    -------
    dict
        ``selection``, ``headline`` (per route plus ``overall``), ``tiers``,
        ``gaps``, ``thematic``, ``team_europe``, ``over_time``,
        ``partnerships`` (the counted ones by id), ``sources`` and ``caveats``
        — every table a list of records — and ``graph``, the corridor graph
        of the selection.
    """
    step = progress or (lambda label: None)
    step("coverage")
    G = build_graph(dataset, **selection)
    info = G.graph["partnerships"]
    step("themes")
    thematic = thematic_balance(dataset, G)
    step("years")
    over_time = coverage_over_time(dataset, G.graph, progress=step)
    step("writing")
    gaps = gap_records(G)
    for record in gaps:
        record["joined_by"] = [f"{info[pid]['name']} ({tier})" for pid, tier in record["partnerships"].items()]
    return {
        "selection": {k: v for k, v in G.graph.items() if k not in ("partnerships", "route_totals")},
        "headline": headline_records(G),
        "tiers": tier_records(G),
        "gaps": gaps,
        "thematic": thematic,
        "team_europe": team_europe_records(G),
        "over_time": over_time,
        "route_totals": G.graph["route_totals"],
        "partnerships": info,
        "sources": sources(dataset, G),
        "caveats": list(CAVEATS),
        "graph": G,
    }


def headline_records(G: nx.DiGraph) -> list[dict[str, Any]]:
    """Per route and overall: segments, internal, gaps, known flow, and the share of it on gaps.

    The overall row has no route total (see the comment below); the tables
    say so in its cell.
    """
    rows = summary_records(G)
    judged = [d for _, _, d in G.edges(data=True) if not d["internal"]]
    known = sum(d["flow"] for d in judged if d["flow"] is not None)
    on_gaps = sum(d["flow"] for d in judged if d["flow"] is not None and d["gap"])
    gaps = sum(d["gap"] for d in judged)
    overall = {
        "route": N_("All routes"),
        "segments": G.number_of_edges(),
        "internal": G.number_of_edges() - len(judged),
        "gaps": gaps,
        "gap_share": gaps / len(judged) if judged else None,
        # Route totals are not added up: the Channel's count exits, the others entries, a person
        # crossing two routes is detected on both, and a route without a total would drop out unseen.
        "route_total": None,
        "route_total_status": None,
        "known_flow": known,
        "gap_flow": on_gaps,
        "gap_flow_share": on_gaps / known if known else None,
        "unknown_flow_segments": sum(d["flow"] is None for d in judged),
        "unknown_flow_gaps": sum(d["flow"] is None and d["gap"] for d in judged),
    }
    return [*rows, overall]


def tier_records(G: nx.DiGraph) -> list[dict[str, Any]]:
    """Segments and their known flow by tier (strongest first), internal ones apart."""
    counts = {tier: {"segments": 0, "known_flow": 0} for tier in ("internal", *reversed(SEGMENT_TIERS))}
    for _, _, d in G.edges(data=True):
        row = counts["internal" if d["internal"] else d["tier"]]
        row["segments"] += 1
        row["known_flow"] += d["flow"] or 0
    min_rank = tier_rank(G.graph["min_tier"])
    return [
        {
            "tier": tier,
            "gap": tier != "internal" and tier_rank(tier) < min_rank,
            **row,
        }
        for tier, row in counts.items()
    ]


def thematic_balance(dataset: Dataset, G: nx.DiGraph) -> dict[str, Any]:
    """The balanced toolbox: return and readmission against legal pathways, per segment and route.

    A segment is covered on a theme when an instrument with that theme joins
    its two countries at the minimum tier or above. The selection's own theme
    filter is set aside here (one index without it), so that every theme is
    measured with the same other filters.
    """
    selection = G.graph
    index = coverage_index(
        dataset,
        dt.date.fromisoformat(selection["as_of"]),
        min_tier=selection["min_tier"],
        kinds=selection["kinds"],
        exclude_kinds=selection["exclude_kinds"],
        binding_only=selection["binding_only"],
    )
    min_rank = tier_rank(selection["min_tier"])
    records = []
    per_route: dict[str, dict[str, Any]] = {}
    for record in segment_records(G, which="judged"):
        strong = [
            index.instruments[pid]
            for pid, tier in index.joining(record["origin"], record["destination"]).items()
            if tier_rank(tier) >= min_rank
        ]
        themes = frozenset().union(*(i.themes for i in strong))
        label = toolbox_label(strong)
        records.append({**record, "toolbox": label, "themes": sorted(themes)})
        for route, flow in G.edges[record["origin"], record["destination"]]["flow_by_route"].items():
            row = per_route.setdefault(route, {"route": route, "known_flow": 0, **dict.fromkeys(THEMES, 0)})
            if flow is None:
                continue
            row["known_flow"] += flow
            for theme in themes:
                row[theme] += flow
    shares = []
    for route in sorted(per_route):
        row = per_route[route]
        known = row["known_flow"]
        shares.append({"route": route, "known_flow": known, **{t: (row[t] / known if known else None) for t in THEMES}})
    counts = {label: 0 for label in TOOLBOX_LABELS}
    for record in records:
        counts[record["toolbox"]] += 1
    return {
        "counts": [{"toolbox": label, "segments": n} for label, n in counts.items()],
        "return_without_legal": [r for r in records if r["toolbox"] == "return only"],
        "legal_without_return": [r for r in records if r["toolbox"] == "legal pathways only"],
        "flow_share_by_theme": shares,
        "themes": list(THEMES),
    }


def team_europe_records(G: nx.DiGraph) -> dict[str, Any]:
    """Per judged segment: joined (at the minimum tier or above) by EU-level instruments, member states', both,
    only others (Switzerland, the UK...), or none; with the instruments of each level."""
    day = G.graph["as_of"]
    info = G.graph["partnerships"]
    min_rank = tier_rank(G.graph["min_tier"])
    out = []
    for record in segment_records(G, which="judged"):
        strong = [pid for pid, tier in record["partnerships"].items() if tier_rank(tier) >= min_rank]
        levels = {level: [info[p]["name"] for p in strong if info[p]["level"] == level] for level in _LEVELS}
        out.append(
            {
                **{k: record[k] for k in ("origin", "origin_name", "destination", "destination_name", "routes")},
                "flow": record["flow"],
                "team_europe": record["team_europe"],
                "eu_level": levels["EU-level"],
                "member_states": levels["member states"],
                "others": levels["others"],
            }
        )
    counts = {label: 0 for label in TEAM_EUROPE_LABELS}
    for record in out:
        counts[record["team_europe"]] += 1
    return {"as_of": day, "counts": [{"team_europe": k, "segments": v} for k, v in counts.items()], "segments": out}


_LEVELS = ("EU-level", "member states", "others")


def coverage_over_time(
    dataset: Dataset, selection: Mapping[str, Any], *, progress: Progress | None = None
) -> list[dict[str, Any]]:
    """Per year with flows and per route: flow-weighted coverage and segment coverage.

    ``flow_coverage`` is the known flow on judged segments that are not gaps
    divided by their known flow (None when no flow is known);
    ``segment_coverage`` is the share of judged segments that are not gaps.
    Each year is judged on its last day, by one :class:`CoverageHistory` for
    all years and no graph (each segment on every day at once); the flows come
    from the data set's rows grouped once.
    """
    routes = set(selection["routes"]) if selection.get("routes") else None
    filters = {k: selection[k] for k in ("min_tier", "themes", "kinds", "exclude_kinds", "binding_only")}
    history = CoverageHistory(dataset.partnerships, dataset.groups, **filters)
    figures = dataset.segment_figures
    segments = [
        (key, chosen)
        for key, segment_routes in figures.routes.items()
        if (chosen := segment_routes if routes is None else tuple(r for r in segment_routes if r in routes))
    ]
    years = dataset.years
    days = [dt.date(year, 12, 31) for year in years]
    # Each segment judged on every day at once: the instruments its two ends share are found once.
    judged = [(key, chosen, history.gaps_on(*key, days)) for key, chosen in segments]
    # A route's segment counts depend only on how its segments were judged over the
    # years, and most segments share one of a few such histories: count each route's
    # segments per history once, then read every year from the histories.
    histories: dict[str, dict[tuple[tuple[bool, bool], ...], int]] = {}
    for _key, chosen, on_days in judged:
        history_of = tuple(on_days)
        for route in chosen:
            counts = histories.setdefault(route, {})
            counts[history_of] = counts.get(history_of, 0) + 1
    out = []
    for number, year in enumerate(years):
        if progress:
            progress(f"year {year}")
        tally: dict[str, list[int | float]] = {}  # route -> [segments, internal, gaps, known flow, flow on gaps]
        for route, counts in histories.items():
            row = tally[route] = [0, 0, 0, 0, 0]
            for history_of, count in counts.items():
                internal, gap = history_of[number]
                row[0] += count
                if internal:
                    row[1] += count
                elif gap:
                    row[2] += count
        flows = figures.flows(year)
        for key, _chosen, on_days in judged:  # in the segments' order, so each route's flows add up as before
            known = flows.get(key)
            if not known:
                continue
            internal, gap = on_days[number]
            if internal:
                continue
            for route, flow in known.items():
                row = tally.get(route)  # None for a route left out of the selection
                if row is not None:
                    row[3] += flow
                    if gap:
                        row[4] += flow
        totals = route_totals(dataset, year, routes)
        for route in sorted(tally):
            count, internal, gaps, known_flow, gap_flow = tally[route]
            judged_segments = count - internal
            out.append(
                {
                    "year": year,
                    "route": route,
                    "segments": count,
                    "internal": internal,
                    "gaps": gaps,
                    "route_total": totals[route]["flow"] if route in totals else None,
                    "known_flow": known_flow,
                    "covered_flow": known_flow - gap_flow,
                    "flow_coverage": 1 - gap_flow / known_flow if known_flow else None,
                    "segment_coverage": 1 - gaps / judged_segments if judged_segments else None,
                }
            )
    return out


def sources(dataset: Dataset, G: nx.DiGraph) -> list[str]:
    """The distinct sources behind the figures, the route totals, the counted instruments and the groups."""
    found: set[str] = set()
    for _, _, data in G.edges(data=True):
        found.update(data["sources"])
    for total in G.graph["route_totals"].values():
        found.update(total["sources"])
    for p in G.graph["partnerships"].values():
        found.update(p["sources"])
    for group in dataset.groups.values():
        found.update(group.sources)
    return sorted(found)
