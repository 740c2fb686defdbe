"""What a data set does not know: the data-quality view behind ``routes validate --quality``."""

from __future__ import annotations

from collections import Counter
from typing import Any

from routes.dataset import Dataset

_UNSETTLED = ("uncertain", "conflict")


def quality_report(dataset: Dataset) -> dict[str, Any]:
    """Summarise what the figures rest on and what is unknown or uncertain.

    Returns a dict with:

    - ``counts``: segments, rows, rows with a flow, route totals, instruments, groups, years;
    - ``flow_status``: rows with a flow, by status (ok, approx, prelim, ...);
    - ``coverage_by_route``: per route and year of the data set's span, whether
      a route total is known and how many segments have a flow;
    - ``segments_without_flow``: segments with no flow in any year;
    - ``route_years_without_flow``: per route, the years in which none of its segments has a flow;
    - ``uncertain_flows``: rows (segments and route totals) whose status is uncertain or conflict;
    - ``secondary``: rows, instruments and groups that rest only on secondary sources;
    - ``uncertain_partnerships``: instruments with facts marked uncertain;
    - ``unknown_binding``: instruments whose legal force is unknown;
    - ``warnings``: non-fatal findings of :func:`routes.load`.
    """
    rows = dataset.segments
    totals = dataset.route_flows
    segments = sorted({(r.route, r.origin, r.destination) for r in rows})
    with_flow = {(r.route, r.origin, r.destination) for r in rows if r.flow is not None}
    known_years = sorted({r.year for r in (*rows, *totals) if r.flow is not None and r.year is not None})
    span = list(range(known_years[0], known_years[-1] + 1)) if known_years else []
    flowing: dict[str, Counter[int]] = {route: Counter() for route in dataset.route_names}
    for r in rows:
        if r.flow is not None and r.year is not None:
            flowing[r.route][r.year] += 1
    total_known = {(t.route, t.year) for t in totals if t.flow is not None}
    by_route = [
        {
            "route": route,
            "years": [
                {"year": y, "route_total": (route, y) in total_known, "segment_flows": flowing[route][y]} for y in span
            ],
        }
        for route in dataset.route_names
    ]
    return {
        "counts": {
            "segments": len(segments),
            "rows": len(rows),
            "rows_with_flow": sum(r.flow is not None for r in rows),
            "route_totals": sum(t.flow is not None for t in totals),
            "partnerships": len(dataset.partnerships),
            "groups": len(dataset.groups),
            "years": [span[0], span[-1]] if span else None,
        },
        "flow_status": dict(sorted(Counter(r.status for r in rows if r.flow is not None).items())),
        "coverage_by_route": by_route,
        "segments_without_flow": [
            {"route": s[0], "origin": s[1], "destination": s[2]} for s in segments if s not in with_flow
        ],
        "route_years_without_flow": {
            route: [y for y in span if not flowing[route][y]] for route in dataset.route_names
        },
        "uncertain_flows": [
            {
                "file": "segments.csv",
                "line": r.line,
                "route": r.route,
                "origin": r.origin,
                "destination": r.destination,
                "year": r.year,
                "status": r.status,
                "note": r.note,
            }
            for r in rows
            if r.status in _UNSETTLED
        ]
        + [
            {
                "file": "route_flows.csv",
                "line": r.line,
                "route": r.route,
                "origin": None,
                "destination": None,
                "year": r.year,
                "status": r.status,
                "note": r.note,
            }
            for r in totals
            if r.status in _UNSETTLED
        ],
        "secondary": {
            "segments.csv": [r.line for r in rows if r.secondary],
            "route_flows.csv": [r.line for r in totals if r.secondary],
            "partnerships": [p.id for p in dataset.partnerships if p.secondary],
            "groups": [g.code for g in dataset.groups.values() if g.secondary],
        },
        "uncertain_partnerships": [
            {"id": p.id, "name": p.name, "uncertain": list(p.uncertain), "notes": p.notes}
            for p in dataset.partnerships
            if p.uncertain
        ],
        "unknown_binding": [p.id for p in dataset.partnerships if p.binding is None],
        "warnings": [str(w) for w in dataset.warnings],
    }
