"""The naive coverage computation the benchmarks compare against.

For every segment it checks every partnership: is it active on the day, do the
filters let it count, and which countries are its parties on that day (blocs
expanded again, per partnership and per segment). No index, nothing reused
between segments. It is written from the rules in the README, independently of
:mod:`routes.coverage`, so that agreeing with :func:`routes.build_graph` also
cross-checks the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from routes.dataset import Dataset

Coverage = tuple[tuple[str, ...], tuple[str, ...], str]


def naive_coverage(
    dataset: Dataset,
    as_of: dt.date,
    *,
    segments: Iterable[tuple[str, str]] | None = None,
    themes: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    exclude_kinds: Iterable[str] | None = None,
    binding_only: bool = False,
) -> dict[tuple[str, str], Coverage]:
    """(full ids, partial ids, coverage class) of each segment (origin, destination).

    ``segments`` defaults to every segment of the data set.
    """
    pairs = sorted({(r.origin, r.destination) for r in dataset.segments}) if segments is None else list(segments)
    out: dict[tuple[str, str], Coverage] = {}
    for origin, destination in pairs:
        full: list[str] = []
        partial: list[str] = []
        for p in dataset.partnerships:
            start = (p.in_force or p.signed).day
            if not (start <= as_of and (p.ended is None or as_of < p.ended.day)):
                continue
            if themes is not None and not set(themes) & set(p.themes):
                continue
            if kinds is not None and p.kind not in set(kinds):
                continue
            if exclude_kinds is not None and p.kind in set(exclude_kinds):
                continue
            if binding_only and p.binding is not True:
                continue
            members: set[str] = set()
            for party in p.parties:
                bloc = dataset.blocs.get(party)
                if bloc is None:
                    members.add(party)
                    continue
                for m in bloc.members:
                    if m.start.day <= as_of and (m.until is None or as_of < m.until.day):
                        members.add(m.code)
            a, b = origin in members, destination in members
            if a and b:
                full.append(p.id)
            elif a or b:
                partial.append(p.id)
        coverage = "full" if full else "partial" if partial else "none"
        out[origin, destination] = (tuple(sorted(full)), tuple(sorted(partial)), coverage)
    return out


def disagreements(G: Any, naive: dict[tuple[str, str], Coverage]) -> list[str]:
    """Where ``build_graph``'s coverage differs from the naive one (empty when they agree)."""
    found = []
    for (origin, destination), (full, partial, coverage) in naive.items():
        edge = G.edges[origin, destination]
        mine = (tuple(edge["partnerships"]), tuple(edge["partial"]), edge["coverage"])
        if mine != (full, partial, coverage):
            found.append(f"{origin}->{destination}: build_graph {mine} != naive {(full, partial, coverage)}")
    return found
