"""The naive coverage computation the benchmarks and the tests compare against.

For every segment it checks every instrument: is it active on the day, do the
filters let it count, what does each party stand for on that day (groups
expanded again, per instrument and per segment), and do two different parties
hold the two ends. No index, nothing reused between segments. It is written
from the rules in the README, independently of :mod:`routes.coverage`, so that
agreeing with :func:`routes.build_graph` also cross-checks the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from routes.dataset import Dataset

ORDER = ["none", "forum", "political", "operational", "binding"]

#: (internal, tier or None, gap, {instrument id: its tier})
Judged = tuple[bool, str | None, bool, dict[str, str]]


def _holds(period: Any, day: dt.date) -> bool:
    return period.start.day <= day and (period.until is None or day < period.until.day)


def naive_coverage(
    dataset: Dataset,
    as_of: dt.date,
    *,
    segments: Iterable[tuple[str, str]] | None = None,
    min_tier: str = "political",
    themes: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    exclude_kinds: Iterable[str] | None = None,
    binding_only: bool = False,
) -> dict[tuple[str, str], Judged]:
    """Each segment (origin, destination) judged by the rules; ``segments`` defaults to all of them."""
    pairs = sorted({(r.origin, r.destination) for r in dataset.segments}) if segments is None else list(segments)
    out: dict[tuple[str, str], Judged] = {}
    for origin, destination in pairs:
        internal = any(
            group.internal
            and all(any(m.code == c and _holds(m, as_of) for m in group.members) for c in (origin, destination))
            for group in dataset.groups.values()
        )
        joined: dict[str, str] = {}
        for p in dataset.partnerships:
            start = (p.in_force or p.signed).day
            if as_of < start or (p.ended is not None and as_of >= p.ended.day):
                continue
            if any(_holds(s, as_of) for s in p.suspended):
                continue
            if themes is not None and not set(themes) & set(p.themes):
                continue
            if kinds is not None and p.kind not in set(kinds):
                continue
            if exclude_kinds is not None and p.kind in set(exclude_kinds):
                continue
            if binding_only and p.binding is not True:
                continue
            expansions = []
            for party in p.parties:
                group = dataset.groups.get(party)
                if group is None:
                    expansions.append({party})
                    continue
                members = {m.code for m in group.members if _holds(m, as_of)}
                named = {c for c in p.participants if any(m.code == c for m in group.members)}
                expansions.append(members & named if named else members)
            if len(expansions) == 1:
                ok = origin in expansions[0] and destination in expansions[0]
            else:
                ok = any(
                    origin in expansions[i] and destination in expansions[j]
                    for i in range(len(expansions))
                    for j in range(len(expansions))
                    if i != j
                )
            if not ok:
                continue
            if p.tier is not None:
                tier = p.tier
            elif p.binding is True:
                tier = "binding"
            elif p.kind == "dialogue":
                tier = "forum"
            elif p.kind in ("declaration", "statement"):
                tier = "political"
            else:
                tier = "operational"
            joined[p.id] = tier
        joined = dict(sorted(joined.items(), key=lambda item: (-ORDER.index(item[1]), item[0])))
        if internal:
            out[origin, destination] = (True, None, False, joined)
        else:
            tier = max(joined.values(), key=ORDER.index, default="none")
            out[origin, destination] = (False, tier, ORDER.index(tier) < ORDER.index(min_tier), joined)
    return out


def disagreements(G: Any, naive: dict[tuple[str, str], Judged]) -> list[str]:
    """Where ``build_graph`` differs from the naive reading (empty when they agree)."""
    found = []
    for (origin, destination), expected in naive.items():
        edge = G.edges[origin, destination]
        mine = (edge["internal"], edge["tier"], edge["gap"], edge["partnerships"])
        if mine != expected:
            found.append(f"{origin}->{destination}: build_graph {mine} != naive {expected}")
    return found
