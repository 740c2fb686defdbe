"""What a data set does not know: the data-quality view behind ``routes validate``."""

from __future__ import annotations

from collections import Counter
from typing import Any

from routes.dataset import Dataset


def quality_report(dataset: Dataset) -> dict[str, Any]:
    """Summarise what the figures rest on and what is unknown or uncertain.

    Returns a dict with:

    - ``counts``: segments, rows, rows with a flow, partnerships, blocs;
    - ``flow_status``: rows with a flow, by status (ok, approx, prelim, ...);
    - ``segments_without_flow``: segments with no flow in any year;
    - ``route_years_without_flow``: per route, the years of the data set's
      span in which none of its segments has a flow;
    - ``uncertain_flows``: rows whose status is uncertain or conflict;
    - ``uncertain_partnerships``: partnerships with facts marked uncertain;
    - ``unknown_binding``: partnerships whose legal force is unknown;
    - ``warnings``: non-fatal findings of :func:`routes.load`.
    """
    rows = dataset.segments
    segments = sorted({(r.route, r.origin, r.destination) for r in rows})
    with_flow = {(r.route, r.origin, r.destination) for r in rows if r.flow is not None}
    years = dataset.years
    span = list(range(years[0], years[-1] + 1)) if years else []
    flowing: dict[str, set[int | None]] = {route: set() for route in dataset.route_names}
    for r in rows:
        if r.flow is not None:
            flowing[r.route].add(r.year)
    route_years = {route: [y for y in span if y not in years_with] for route, years_with in flowing.items()}
    return {
        "counts": {
            "segments": len(segments),
            "rows": len(rows),
            "rows_with_flow": sum(r.flow is not None for r in rows),
            "partnerships": len(dataset.partnerships),
            "blocs": len(dataset.blocs),
            "years": [years[0], years[-1]] if years else None,
        },
        "flow_status": dict(sorted(Counter(r.status for r in rows if r.flow is not None).items())),
        "segments_without_flow": [
            {"route": s[0], "origin": s[1], "destination": s[2]} for s in segments if s not in with_flow
        ],
        "route_years_without_flow": route_years,
        "uncertain_flows": [
            {
                "route": r.route,
                "origin": r.origin,
                "destination": r.destination,
                "year": r.year,
                "status": r.status,
                "note": r.note,
                "line": r.line,
            }
            for r in rows
            if r.status in ("uncertain", "conflict")
        ],
        "uncertain_partnerships": [
            {"id": p.id, "name": p.name, "uncertain": list(p.uncertain), "notes": p.notes}
            for p in dataset.partnerships
            if p.uncertain
        ],
        "unknown_binding": [p.id for p in dataset.partnerships if p.binding is None],
        "warnings": [str(w) for w in dataset.warnings],
    }
