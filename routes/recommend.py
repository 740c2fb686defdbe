"""Recommendations: actions someone can take that would close the most gap flow, chosen greedily.

Only actions that a government or the EU can take are candidates:

- **new-instrument**: a new instrument between the two ends of a gap. For a
  segment between an EU member state and a third country, either the member
  state (``actor="member-state"``) or the EU (``actor="eu"``) can make it; an
  EU-level instrument joins the third country with every member state, so it
  closes every gap between them at once. Between two third countries only they
  can (``actor="any"``).
- **add-participant**: a member state joins an EU instrument that lists its
  participants (a Mobility Partnership it has not signed).
- **add-member**: a country joins a regional dialogue (a group that is party
  to dialogues only, never a union or an organisation such as the OACPS); this
  closes gaps only when dialogues count (``min_tier="forum"``).
- **raise-tier**: an instrument weaker than the minimum tier is turned into a
  stronger one (a statement into an agreement); never a dialogue.

A third country is never added to another country's bilateral instrument, and
nobody is asked to join the EU. No action names a Non-Self-Governing Territory
(:data:`NON_SELF_GOVERNING`; Western Sahara on the routes to Spain): it makes
no migration instrument of its own (for Western Sahara, the Court of Justice
requires the consent of its people to any agreement that would apply to it),
so its gaps stay open and no action is proposed for them.

Greedy selection: each next pick is the action that closes the most known gap
flow among the gaps still open; ties are broken by the total flow of the routes
those gaps lie on (the routes' own totals for the year, where the data set has
them), then by the number of gaps closed, then by preferring to widen or raise
an existing instrument over making a new one, then by description. Unknown
flows count as zero and are reported apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from routes._errors import SelectionError
from routes._frames import RecordList
from routes._validate import When
from routes.coverage import CoverageIndex, expand_parties, tier_rank
from routes.dataset import Dataset, Partnership
from routes.selection import coverage_index

if TYPE_CHECKING:
    from routes.scenarios import Scenario

ACTIONS = ("add-participant", "raise-tier", "add-member", "new-instrument")
#: The 17 Non-Self-Governing Territories on the United Nations' list, as ISO 3166 codes
#: (https://www.un.org/dppa/decolonization/en/nsgt).
NON_SELF_GOVERNING = frozenset(
    {
        "ESH",  # Western Sahara
        "AIA",  # Anguilla
        "BMU",  # Bermuda
        "VGB",  # British Virgin Islands
        "CYM",  # Cayman Islands
        "FLK",  # Falkland Islands (Malvinas)
        "MSR",  # Montserrat
        "SHN",  # Saint Helena
        "TCA",  # Turks and Caicos Islands
        "VIR",  # United States Virgin Islands
        "GIB",  # Gibraltar
        "ASM",  # American Samoa
        "PYF",  # French Polynesia
        "GUM",  # Guam
        "NCL",  # New Caledonia
        "PCN",  # Pitcairn
        "TKL",  # Tokelau
    }
)
ACTORS = ("any", "eu", "member-state")

METHOD = (
    "Candidates are actions someone can take: a new instrument between the two ends of a gap (by the member "
    "state or the EU for a segment between a member state and a third country; an EU-level instrument joins "
    "the third country with every member state), a member state joining an EU instrument it has not signed, "
    "a country joining a regional dialogue (which closes gaps only with --min-tier forum), or raising an "
    "instrument below the minimum tier (never a dialogue). Each pick is the action that closes the most known "
    "gap flow among the gaps still open; ties go to the busiest route those gaps lie on (the largest of the "
    "routes' own totals for the year where the data set has them; totals are never added up across routes), "
    "then to more gaps closed, then to "
    "widening or raising an existing instrument over a new one. Later picks count only what earlier picks left "
    "open. Unknown flows count as zero and are listed apart. No action names a Non-Self-Governing Territory on "
    "the UN's list (such as Western Sahara): it makes no migration instrument of its own, so its gaps stay open."
)


@dataclass(frozen=True)
class _Action:
    kind: str  # one of ACTIONS
    actor: str  # "EU" | "member state" | "third countries" | "others"
    countries: tuple[str, ...]  # the countries named by the action
    partnership: str | None = None
    group: str | None = None


def recommend(
    G: nx.DiGraph,
    dataset: Dataset,
    *,
    max_actions: int = 5,
    actor: str = "any",
    exclude_countries: Iterable[str] = (),
    exclude_actions: Iterable[str] = (),
) -> RecordList:
    """The ``max_actions`` greedy picks for the gaps of ``G``.

    Parameters
    ----------
    G
        A graph from :func:`routes.build_graph` of ``dataset``; its selection
        (day, minimum tier, filters) defines the gaps and the instruments.
    dataset
        The data set ``G`` was built from (its instruments and groups).
    max_actions
        How many actions to pick at most; fewer when no action closes a gap.
    actor
        ``"any"``; ``"eu"``: only EU-level actions; ``"member-state"``: only
        member states' actions.
    exclude_countries
        Country codes no action may name (as a party, participant or member).
    exclude_actions
        Kinds of action (:data:`ACTIONS`) to leave out.

    Returns
    -------
    RecordList
        A list of dicts (a table in notebooks; ``.to_frame()`` gives a
        DataFrame), one per pick, in order: ``action``, ``actor``, ``countries``,
        ``partnership`` and ``group`` (where the action has one),
        ``description``, ``segments`` closed (with flow, routes and the tier
        before), ``flow`` (known flow closed), ``unknown_flow_segments``,
        ``routes``, ``route_totals`` (each of those routes' own total for the
        year, None where unknown; never added up) and ``cumulative_flow``.
    """
    if actor not in ACTORS:
        raise SelectionError(f"unknown actor {actor!r}; expected one of: {', '.join(ACTORS)}")
    for kind in exclude_actions:
        if kind not in ACTIONS:
            raise SelectionError(f"unknown action {kind!r}; expected one of: {', '.join(ACTIONS)}")
    selection = G.graph
    day = dt.date.fromisoformat(selection["as_of"])
    index = coverage_index(
        dataset,
        day,
        **{k: selection[k] for k in ("min_tier", "themes", "kinds", "exclude_kinds", "binding_only")},
    )
    gaps = {(u, v): d for u, v, d in G.edges(data=True) if d["gap"]}
    candidates = _candidates(dataset, index, gaps, day)
    excluded = set(exclude_countries) | NON_SELF_GOVERNING
    closes = {
        action: segments
        for action, segments in sorted(candidates.items(), key=lambda item: _describe_key(dataset, item[0]))
        if segments
        and action.kind not in set(exclude_actions)
        and not excluded & set(action.countries)
        and _by(action, actor)
    }
    totals = {route: t["flow"] for route, t in (selection.get("route_totals") or {}).items() if t["flow"] is not None}
    preference = {kind: rank for rank, kind in enumerate(ACTIONS)}

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
            routes = {r for s in closed for r in open_gaps[s]["routes"]}
            busiest = max((totals.get(r, 0) for r in routes), default=0)
            score = (flow, busiest, len(closed), -preference[action.kind])
            if best_score is None or score > best_score:
                best, best_score, best_closed = action, score, closed
        if best is None:
            break
        del closes[best]
        cumulative += best_score[0]
        picks.append(_describe(G, dataset, index, best, best_closed, open_gaps, totals, cumulative))
        for segment in best_closed:
            del open_gaps[segment]
    return RecordList(picks)


def as_scenario(pick: dict[str, Any], *, as_of: dt.date | str, min_tier: str) -> Scenario:
    """The :class:`~routes.scenarios.Scenario` that carries out a pick (to check it with ``whatif``)."""
    from routes.scenarios import Scenario

    day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
    kind = pick["action"]
    if kind == "add-participant":
        return Scenario(add_participants={pick["partnership"]: tuple(pick["countries"])})
    if kind == "add-member":
        return Scenario(add_members={pick["group"]: tuple(pick["countries"])})
    if kind == "raise-tier":
        return Scenario(set_tiers={pick["partnership"]: min_tier})
    parties = (pick["group"], *pick["countries"]) if pick["group"] else tuple(pick["countries"])
    new = Partnership(
        id="new-" + "-".join(p.lower() for p in parties),
        name=pick["description"],
        kind="bilateral-agreement",
        parties=parties,
        signed=When.of(day),
        binding=min_tier == "binding",
        themes=("return-readmission", "legal-pathways"),
        sources=("hypothetical",),
        tier=min_tier,
    )
    return Scenario(add=(new,))


def _by(action: _Action, actor: str) -> bool:
    if actor == "eu":
        return action.actor == "EU"
    if actor == "member-state":
        return action.actor == "member state"
    return True


def _candidates(
    dataset: Dataset, index: CoverageIndex, gaps: dict[tuple[str, str], Any], day: dt.date
) -> dict[_Action, list[tuple[str, str]]]:
    """Every action and the gaps it would close (among all gaps)."""
    union = frozenset().union(*index.internal_members)
    unions = sorted(code for code, g in dataset.groups.items() if g.internal)
    at: dict[str, list[tuple[str, str]]] = {}
    for u, v in gaps:
        at.setdefault(u, []).append((u, v))
        at.setdefault(v, []).append((u, v))

    def other(segment: tuple[str, str], country: str) -> str:
        return segment[1] if segment[0] == country else segment[0]

    out: dict[_Action, list[tuple[str, str]]] = {}
    for u, v in sorted(gaps):
        members = [c for c in (u, v) if c in union]
        if len(members) == 1:
            member = members[0]
            third = v if member == u else u
            out[_Action("new-instrument", "member state", (member, third))] = [
                s for s in at[third] if other(s, third) == member
            ]
            for code in unions:
                out[_Action("new-instrument", "EU", (third,), group=code)] = [
                    s for s in at[third] if other(s, third) in dataset.groups[code].members_on(day)
                ]
        elif not members:
            pair = tuple(sorted((u, v)))
            out[_Action("new-instrument", "third countries", pair)] = [s for s in at[u] if other(s, u) == v]

    min_rank = tier_rank(index.min_tier)
    # A country can ask to join a dialogue; it cannot join a union or a regional organisation by asking.
    dialogues = {code for code in dataset.groups if _only_dialogues(dataset, code)}
    for pid, instrument in index.instruments.items():
        p = dataset.partnership(pid)
        if tier_rank(instrument.tier) < min_rank:
            if p.kind != "dialogue":
                joined = [s for s in gaps if pid in gaps[s]["partnerships"]]
                out[_Action("raise-tier", _actor(p, dataset), (), partnership=pid)] = joined
            continue
        expansions = expand_parties(p, dataset.groups, day)
        for position, party in enumerate(p.parties):
            group = dataset.groups.get(party)
            if group is None:
                continue
            if set(p.participants) & group.ever:  # a member may join a group instrument it has not signed
                newcomers = sorted(group.members_on(day) - expansions[position])
                kind = "add-participant"
            elif party in dialogues and not p.participants:  # a country may join a dialogue
                newcomers = sorted(c for c in at if c not in group.members_on(day))
                kind = "add-member"
            else:
                continue
            partners = (
                expansions[position]
                if len(expansions) == 1
                else frozenset().union(*(e for i, e in enumerate(expansions) if i != position))
            )
            for country in newcomers:
                closed = [s for s in at.get(country, ()) if other(s, country) in partners]
                if kind == "add-participant":
                    action = _Action(kind, "member state", (country,), partnership=pid, group=party)
                else:
                    action = _Action(kind, "third countries", (country,), group=party)
                out.setdefault(action, [])
                out[action] = sorted(set(out[action]) | set(closed))
    return out


def _only_dialogues(dataset: Dataset, code: str) -> bool:
    """Whether the group is a dialogue's membership: every instrument it is party to is a dialogue."""
    kinds = {p.kind for p in dataset.partnerships if code in p.parties}
    return kinds == {"dialogue"} and not dataset.groups[code].internal


def _actor(p: Partnership, dataset: Dataset) -> str:
    parties = [dataset.groups.get(party) for party in p.parties]
    if any(g is not None and g.internal for g in parties):
        return "EU"
    day = p.start.day
    if any(
        g is None and any(x.internal and party in x.members_on(day) for x in dataset.groups.values())
        for g, party in zip(parties, p.parties, strict=True)
    ):
        return "member state"
    return "others"


def _describe_key(dataset: Dataset, action: _Action) -> tuple:
    return (action.kind, action.partnership or "", action.group or "", action.countries)


def _describe(
    G: nx.DiGraph,
    dataset: Dataset,
    index: CoverageIndex,
    action: _Action,
    closed: list[tuple[str, str]],
    open_gaps: dict[tuple[str, str], dict[str, Any]],
    totals: dict[str, float],
    cumulative: float,
) -> dict[str, Any]:
    def name(code: str) -> str:
        return G.nodes[code]["name"] if code in G else dataset.country_name(code)

    min_tier = index.min_tier
    segments = [
        {
            "origin": u,
            "destination": v,
            "flow": open_gaps[u, v]["flow"],
            "routes": list(open_gaps[u, v]["routes"]),
            "tier_before": open_gaps[u, v]["tier"],
        }
        for u, v in sorted(closed, key=lambda s: (open_gaps[s]["flow"] is None, -(open_gaps[s]["flow"] or 0), s))
    ]
    routes = sorted({r for s in segments for r in s["routes"]})
    if action.kind == "new-instrument":
        sides = [action.group, *map(name, action.countries)] if action.group else list(map(name, action.countries))
        before = sorted({s["tier_before"] for s in segments}, key=tier_rank)
        now = " or ".join("nothing" if t == "none" else f"{t} only" for t in before)
        description = f"New {'–'.join(sides)} instrument, {min_tier} or stronger (now: {now})"
    elif action.kind == "add-participant":
        p = dataset.partnership(action.partnership or "")
        description = f"{name(action.countries[0])} joins {p.name} ({p.id})"
    elif action.kind == "add-member":
        group = dataset.groups[action.group or ""]
        description = f"{name(action.countries[0])} joins the {group.name} ({group.code})"
    else:
        p = dataset.partnership(action.partnership or "")
        tier = index.instruments[p.id].tier
        description = f"Raise {p.name} ({p.id}) from {tier} to {min_tier} tier or above"
    return {
        "action": action.kind,
        "actor": action.actor,
        "countries": list(action.countries),
        "partnership": action.partnership,
        "group": action.group,
        "description": description,
        "segments": segments,
        "flow": sum(s["flow"] or 0 for s in segments),
        "unknown_flow_segments": sum(s["flow"] is None for s in segments),
        "routes": routes,
        "route_totals": {route: totals.get(route) for route in routes},
        "cumulative_flow": cumulative,
    }
