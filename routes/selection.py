"""A selection of the data — year, day, minimum tier, filters, routes — and its segments judged.

:func:`judge` is the one place where segments meet the coverage index: it
gives each segment of the selection its flows for the year and its judgement
(internal, tier, gap, joining instruments, toolbox, Team Europe). The graph,
the command line's tables, the report and the map all start from it; the
command line does not even need networkx for a list of gaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from routes._errors import SelectionError
from routes._gc import gc_paused
from routes._validate import FIRST_YEAR, LAST_YEAR
from routes.coverage import DEFAULT_MIN_TIER, CoverageIndex, check_filters, instrument_tier
from routes.dataset import Dataset, Partnership

#: The worst status wins when rows of different status are summed.
_STATUS_ORDER = ("ok", "approx", "prelim", "partial-year", "derived", "uncertain", "conflict")


@dataclass(frozen=True)
class Judged:
    """The segments of one selection with their flows and judgements.

    ``info`` holds what a graph keeps in ``G.graph`` (the selection, the counted
    instruments, the routes' totals); ``edges`` one ``(origin, destination,
    attributes)`` per segment, in segment order; ``names`` the countries' names.
    """

    info: dict[str, Any]
    edges: list[tuple[str, str, dict[str, Any]]]
    names: Mapping[str, str]
    index: CoverageIndex


def resolve_dates(dataset: Dataset, year: int | None = None, as_of: dt.date | str | None = None) -> tuple:
    """The year whose flows are used and the day coverage is judged on.

    ``year`` defaults to the latest year with flows; ``as_of`` to the last day
    of ``year`` when there is one, else today.
    """
    if year is None and dataset.years:
        year = dataset.years[-1]
    if year is not None and not (isinstance(year, int) and FIRST_YEAR <= year <= LAST_YEAR):
        raise SelectionError(f"year {year!r} is outside {FIRST_YEAR}..{LAST_YEAR}")
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of)
        except ValueError:
            raise SelectionError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None
    if as_of is None:
        as_of = dt.date(year, 12, 31) if year is not None else dt.date.today()
    if not FIRST_YEAR <= as_of.year <= LAST_YEAR:
        raise SelectionError(f"--as-of {as_of.isoformat()} is outside the years {FIRST_YEAR}..{LAST_YEAR}")
    return year, as_of


def coverage_index(
    dataset: Dataset,
    as_of: dt.date,
    *,
    min_tier: str = DEFAULT_MIN_TIER,
    themes: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    exclude_kinds: Iterable[str] | None = None,
    binding_only: bool = False,
    strong_only: bool = False,
) -> CoverageIndex:
    """The coverage index of one day and selection, built once per data set and reused.

    ``strong_only`` gives the smaller index that only tells gaps from covered
    segments (see :meth:`CoverageIndex.build`), for tallies over many days.
    """
    themes, kinds, exclude_kinds = (
        tuple(sorted(set(v))) if v is not None else None for v in (themes, kinds, exclude_kinds)
    )
    key = ("coverage", as_of, min_tier, themes, kinds, exclude_kinds, bool(binding_only), strong_only)
    index = dataset.cache.get(key)
    if index is None:
        filters = {"themes": themes, "kinds": kinds, "exclude_kinds": exclude_kinds, "binding_only": binding_only}
        index = dataset.cache[key] = CoverageIndex.build(
            dataset.partnerships, dataset.groups, as_of, min_tier=min_tier, strong_only=strong_only, **filters
        )
    return index


@gc_paused()  # it makes very many objects: see routes._gc.gc_paused
def judge(
    dataset: Dataset,
    *,
    year: int | None = None,
    as_of: dt.date | str | None = None,
    min_tier: str = DEFAULT_MIN_TIER,
    themes: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    exclude_kinds: Iterable[str] | None = None,
    binding_only: bool = False,
    routes: Iterable[str] | None = None,
) -> Judged:
    """Judge every segment of the selection (the options of :func:`routes.build_graph`)."""
    themes, kinds, exclude_kinds = (sorted(set(v)) if v is not None else None for v in (themes, kinds, exclude_kinds))
    check_filters(themes, kinds, exclude_kinds, min_tier)
    selected_routes = _check_routes(dataset, routes)
    year, as_of = resolve_dates(dataset, year, as_of)
    filters = {"themes": themes, "kinds": kinds, "exclude_kinds": exclude_kinds, "binding_only": binding_only}
    index = coverage_index(dataset, as_of, min_tier=min_tier, **filters)
    info = {
        "dataset": str(dataset.path),
        "year": year,
        "as_of": as_of.isoformat(),
        "min_tier": min_tier,
        **filters,
        "routes": sorted(selected_routes) if selected_routes is not None else None,
        "partnerships": {
            pid: partnership_info(dataset.partnership(pid), tier=instrument.tier, level=instrument.level)
            for pid, instrument in sorted(index.instruments.items())
        },
        "route_totals": route_totals(dataset, year, selected_routes),
    }
    edges = []
    names: dict[str, str] = {}
    for (origin, destination), attributes in segment_attributes(dataset, year, selected_routes):
        for code in (origin, destination):
            if code not in names:
                names[code] = dataset.country_name(code)
        judged = index.judge(origin, destination)
        attributes.update(
            internal=judged.internal,
            tier=judged.tier,
            gap=judged.gap,
            partnerships=judged.partnerships,
            toolbox=judged.toolbox,
            team_europe=judged.team_europe,
        )
        edges.append((origin, destination, attributes))
    return Judged(info, edges, names, index)


def route_totals(dataset: Dataset, year: int | None, routes: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """The routes' own totals for ``year`` (``route_flows.csv``), as plain data by route."""
    out = {}
    for route in dataset.route_names:
        total = dataset.route_total(route, year) if routes is None or route in routes else None
        if total is not None:
            out[route] = {
                "flow": total.flow,
                "status": total.status,
                "measure": total.measure,
                "sources": list(total.sources),
                "note": total.note,
            }
    return out


def segment_attributes(
    dataset: Dataset, year: int | None, routes: set[str] | None = None
) -> Iterator[tuple[tuple[str, str], dict[str, Any]]]:
    """Each segment of the selected routes with its flow attributes in ``year``, in segment order.

    ``flow_by_route`` sums each chosen route's known flows of the year (None when
    none is known); the statuses and measures are those of the rows with a flow,
    the sources and notes those of every row of the year (the sources of the
    segment's rows of any year when the year has none).
    """
    figures = dataset.segment_figures
    of_year = figures.rows_of_year(year) if year is not None else {}
    for key, segment_routes in figures.routes.items():
        chosen = segment_routes if routes is None else [r for r in segment_routes if r in routes]
        if not chosen:
            continue
        by_route: dict[str, Any] = dict.fromkeys(chosen)
        statuses: set[str] = set()
        measures: set[str] = set()
        sources: set[str] = set()
        notes: set[str] = set()
        for row in of_year.get(key, ()):
            route = row.route
            if route not in by_route:  # a route left out of the selection
                continue
            flow = row.flow
            if flow is not None:
                before = by_route[route]
                by_route[route] = flow if before is None else before + flow
                statuses.add(row.status)
                if row.measure:
                    measures.add(row.measure)
            sources.update(row.sources)
            if row.note:
                notes.add(row.note)
        known = [f for f in by_route.values() if f is not None]
        if not sources:
            for route in chosen:
                sources |= figures.declared(*key, route)
        yield (
            key,
            {
                "routes": list(chosen),
                "flow": sum(known) if known else None,
                "flow_by_route": by_route,
                "flow_status": max(statuses, key=_STATUS_ORDER.index) if statuses else None,
                "measure": "; ".join(sorted(measures)) or None,
                "sources": sorted(sources),
                "notes": sorted(notes),
            },
        )


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


def partnership_info(p: Partnership, *, tier: str | None = None, level: str | None = None) -> dict[str, Any]:
    """A partnership as plain data, for graphs, JSON and pages (``level`` as in the Team Europe labels)."""
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "tier": tier or instrument_tier(p),
        "level": level,
        "parties": list(p.parties),
        "participants": list(p.participants),
        "signed": str(p.signed),
        "in_force": str(p.in_force) if p.in_force else None,
        "ended": str(p.ended) if p.ended else None,
        "suspended": [[str(s.start), str(s.until) if s.until else None] for s in p.suspended],
        "binding": p.binding,
        "themes": list(p.themes),
        "sources": list(p.sources),
        "secondary": p.secondary,
        "notes": p.notes,
        "uncertain": list(p.uncertain),
    }
