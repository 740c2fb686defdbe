"""Recommendations: the actions that would close the most gap flow, chosen greedily.

Candidate actions are (a) a new bilateral partnership between the two
countries of a gap segment, and (b) one more party for a partnership that
counts under the selection. An action *closes* a gap segment when, with the
action, the segment would no longer be a gap under the graph's rule: under
``both`` its party set must contain both ends, under ``either`` one end.

Greedy selection: each next pick is the action that closes the most known
gap flow among the gaps still open, ties broken by the number of segments it
closes, then by preferring a new party for an existing instrument, then by
name. Unknown flows count as no flow for the ranking and are reported apart.
Greedy choice is not guaranteed optimal, but each pick's figures are exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

METHOD = (
    "Greedy selection over two kinds of action: a new bilateral partnership for the two countries of a gap "
    "segment, or one more party for a partnership that counts under the selection. Each pick is the action "
    "that closes the most known gap flow among the gaps still open (ties: more segments, then widening an "
    "existing instrument, then name); later picks count only what earlier picks left open. Unknown flows "
    "count as zero for the ranking and are listed apart."
)


@dataclass(frozen=True)
class _Action:
    kind: str  # "new-bilateral" | "add-party"
    partnership: str | None
    country: str | None
    parties: frozenset[str]

    def key(self) -> tuple:
        return (self.kind != "add-party", self.partnership or "", self.country or "", sorted(self.parties))


def _closes(parties: frozenset[str], origin: str, destination: str, rule: str) -> bool:
    if rule == "both":
        return origin in parties and destination in parties
    return origin in parties or destination in parties


def recommend(G: nx.DiGraph, *, max_actions: int = 5) -> list[dict[str, Any]]:
    """The ``max_actions`` greedy picks for the gaps of ``G``.

    Parameters
    ----------
    G
        A graph from :func:`routes.build_graph`; its rule and counted
        partnerships (``G.graph["partnerships"]``) define gaps and candidates.
    max_actions
        How many actions to pick at most; fewer when no action closes a gap.

    Returns
    -------
    list of dict
        One per pick, in order: ``action`` (kind), ``partnership`` and
        ``country`` (for a new party), ``countries`` (for a new bilateral),
        ``description``, ``segments`` closed (with flow and routes), ``flow``
        (known flow closed), ``unknown_flow_segments``, ``routes`` served and
        ``cumulative_flow``.
    """
    rule = G.graph["rule"]
    gaps = {(u, v): d for u, v, d in G.edges(data=True) if d["gap"]}
    counted = G.graph["partnerships"]
    expanded = _expanded_parties(G)

    candidates: set[_Action] = set()
    for u, v in gaps:
        candidates.add(_Action("new-bilateral", None, None, frozenset((u, v))))
        for pid, members in expanded.items():
            for country in (u, v):
                if country not in members and _closes(members | {country}, u, v, rule):
                    candidates.add(_Action("add-party", pid, country, members | {country}))

    # What each candidate would close among all gaps; each round keeps what is still open.
    closes = {a: [s for s in gaps if _closes(a.parties, *s, rule)] for a in sorted(candidates, key=_Action.key)}
    open_gaps = dict(gaps)
    picks: list[dict[str, Any]] = []
    cumulative = 0
    for _ in range(max_actions):
        best, best_score, best_closed = None, None, []
        for action, segments in closes.items():
            closed = [s for s in segments if s in open_gaps]
            if not closed:
                continue
            flow = sum(open_gaps[s]["flow"] or 0 for s in closed)
            score = (flow, len(closed))
            if best_score is None or score > best_score:
                best, best_score, best_closed = action, score, closed
        if best is None:
            break
        del closes[best]
        cumulative += best_score[0]
        picks.append(_describe(G, best, best_closed, open_gaps, counted, cumulative))
        for segment in best_closed:
            del open_gaps[segment]
    return picks


def _expanded_parties(G: nx.DiGraph) -> dict[str, frozenset[str]]:
    """Each counted partnership's expanded parties, read back from the graph's nodes."""
    members: dict[str, set[str]] = {pid: set() for pid in G.graph["partnerships"]}
    for node, ids in G.nodes(data="partnerships"):
        for pid in ids:
            members.setdefault(pid, set()).add(node)
    return {pid: frozenset(m) for pid, m in members.items()}


def _describe(
    G: nx.DiGraph,
    action: _Action,
    closed: list[tuple[str, str]],
    open_gaps: dict[tuple[str, str], dict[str, Any]],
    counted: dict[str, dict[str, Any]],
    cumulative: float,
) -> dict[str, Any]:
    name = lambda code: G.nodes[code]["name"]  # noqa: E731
    segments = [
        {
            "origin": u,
            "destination": v,
            "flow": open_gaps[u, v]["flow"],
            "routes": list(open_gaps[u, v]["routes"]),
        }
        for u, v in sorted(closed, key=lambda s: (open_gaps[s]["flow"] is None, -(open_gaps[s]["flow"] or 0), s))
    ]
    if action.kind == "new-bilateral":
        a, b = sorted(action.parties)
        description = f"New bilateral partnership {name(a)}–{name(b)}"
        extra = {"partnership": None, "country": None, "countries": [a, b]}
    else:
        description = f"Add {name(action.country)} to {counted[action.partnership]['name']} ({action.partnership})"
        extra = {"partnership": action.partnership, "country": action.country, "countries": None}
    return {
        "action": action.kind,
        **extra,
        "description": description,
        "segments": segments,
        "flow": sum(s["flow"] or 0 for s in segments),
        "unknown_flow_segments": sum(s["flow"] is None for s in segments),
        "routes": sorted({r for s in segments for r in s["routes"]}),
        "cumulative_flow": cumulative,
    }
