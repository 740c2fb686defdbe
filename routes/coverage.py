"""The coverage rules, as small pure functions, and the index every output reads.

On a day D:

1. An instrument is **active** when its start (entry into force if known, else
   signature) ≤ D < ``ended`` and D lies in none of its ``suspended`` periods.
2. Each party is **expanded**: a group stands for its members on D (only those
   among ``participants`` when the instrument lists some of the group's
   members as participants); a country stands for itself.
3. An instrument **joins** A and B when A and B lie in the expansions of two
   *different* parties, or when its only party is a group with both A and B
   among its members. An EU–Türkiye instrument joins Türkiye with each member
   state, never two member states.
4. Its **tier** is ``tier`` when the data gives one; else ``binding`` when
   ``binding: true``; ``forum`` for a dialogue; ``political`` for a declaration
   or statement; else ``operational``. Order: binding > operational >
   political > forum.
5. A segment A→B is **internal** when A and B are both members of one
   ``internal`` group on D (the EU): its own rules govern it, so it is neither
   covered nor a gap. Otherwise its tier is the highest tier among the counted
   instruments that join A and B, or ``none``.
6. A **gap** is a segment that is not internal and whose tier is below the
   minimum tier (default ``political``: a segment joined only by a dialogue, or
   by nothing, is a gap).
7. Filters decide which instruments count: a theme filter keeps those sharing at
   least one theme, a kind filter those of the kinds listed, an exclusion drops
   the kinds listed, and ``binding_only`` keeps ``binding: true``.

:class:`CoverageIndex` applies these rules once per day and selection; the graph,
the report, the map, what-if and the recommendations all read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from routes._errors import SelectionError
from routes._validate import KINDS, THEMES, TIERS
from routes.dataset import Group, Partnership

#: A segment's tier, from nothing to the strongest instrument.
SEGMENT_TIERS: tuple[str, ...] = ("none", *TIERS)
DEFAULT_MIN_TIER = "political"

RETURN, LEGAL = "return-readmission", "legal-pathways"

#: Whether a segment's instruments (at the gap threshold or above) cover return and legal pathways.
TOOLBOX_LABELS = ("both", "return only", "legal pathways only", "neither")
#: Who on the European side joins a segment (at the gap threshold or above).
TEAM_EUROPE_LABELS = ("both", "EU-level", "member states", "others", "none")

_RANK = {tier: rank for rank, tier in enumerate(SEGMENT_TIERS)}
_POLITICAL_KINDS = frozenset({"declaration", "statement"})


def tier_rank(tier: str) -> int:
    """The position of a tier in :data:`SEGMENT_TIERS` (``none`` is 0)."""
    return _RANK[tier]


def instrument_tier(partnership: Partnership) -> str:
    """Rule 4: the depth of cooperation an instrument gives."""
    if partnership.tier is not None:
        return partnership.tier
    if partnership.binding is True:
        return "binding"
    if partnership.kind == "dialogue":
        return "forum"
    return "political" if partnership.kind in _POLITICAL_KINDS else "operational"


def is_active(partnership: Partnership, day: dt.date) -> bool:
    """Rule 1: started, not ended, not suspended on ``day``."""
    ended = partnership.ended
    if partnership.start.day > day or (ended is not None and day >= ended.day):
        return False
    return not partnership.suspended or not any(period.holds_on(day) for period in partnership.suspended)


def expand_parties(partnership: Partnership, groups: Mapping[str, Group], day: dt.date) -> tuple[frozenset[str], ...]:
    """Rule 2: each party's countries on ``day``, in the order of ``parties``.

    ``participants`` restrict a group party when they name some of its members
    (an EU–OACPS agreement may list the OACPS states that are party and leave
    the EU whole).
    """
    participants = frozenset(partnership.participants)
    out = []
    for party in partnership.parties:
        group = groups.get(party)
        if group is None:
            out.append(frozenset((party,)))
        else:
            members = group.members_on(day)
            out.append(members & participants if participants & group.ever else members)
    return tuple(out)


def joins(partnership: Partnership, expansions: tuple[frozenset[str], ...], a: str, b: str) -> bool:
    """Rule 3, for an instrument whose parties expand to ``expansions``."""
    if len(expansions) == 1:
        return a in expansions[0] and b in expansions[0]
    return any(
        a in left and b in right for i, left in enumerate(expansions) for j, right in enumerate(expansions) if i != j
    )


def is_internal(groups: Mapping[str, Group], a: str, b: str, day: dt.date) -> bool:
    """Rule 5: both ends members of one internal group on ``day``."""
    return any(g.internal and {a, b} <= g.members_on(day) for g in groups.values())


def counts(
    partnership: Partnership,
    *,
    themes: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    exclude_kinds: Iterable[str] | None = None,
    binding_only: bool = False,
) -> bool:
    """Rule 7: whether the filters let the instrument count (a theme filter needs one shared theme)."""
    if themes is not None and not set(themes) & set(partnership.themes):
        return False
    if kinds is not None and partnership.kind not in set(kinds):
        return False
    if exclude_kinds is not None and partnership.kind in set(exclude_kinds):
        return False
    return not (binding_only and partnership.binding is not True)


def is_gap(tier: str, min_tier: str = DEFAULT_MIN_TIER, *, internal: bool = False) -> bool:
    """Rule 6: not internal and below ``min_tier``."""
    return not internal and tier_rank(tier) < tier_rank(min_tier)


def gap_reason(tier: str | None, gap: bool) -> str | None:
    """What a gap has: ``nothing`` or ``<tier> only`` (None when it is not a gap)."""
    if not gap or tier is None:
        return None
    return "nothing" if tier == "none" else f"{tier} only"


@dataclass(frozen=True)
class Instrument:
    """What the index keeps of a counted, active instrument."""

    id: str
    tier: str
    themes: frozenset[str]
    level: str  # "EU-level" | "member states" | "others"


@dataclass(frozen=True)
class Judgement:
    """A segment judged on one day under one selection."""

    internal: bool
    tier: str | None  # None when internal
    gap: bool
    partnerships: dict[str, str]  # joining instrument id -> its tier, strongest first
    toolbox: str | None
    team_europe: str | None

    @property
    def gap_reason(self) -> str | None:
        return gap_reason(self.tier, self.gap)


@dataclass(frozen=True)
class CoverageIndex:
    """The counted instruments active on one day, indexed by country and by group.

    ``direct[c]`` maps each instrument that names country ``c`` as a party (or
    as one of the participants of a group party) to the positions of those
    parties; ``by_group[g]`` maps each instrument with group ``g`` as a whole
    party to the positions of ``g``; ``groups_of[c]`` lists the groups among
    those that ``c`` belongs to on the day. An EU-level instrument is thus
    indexed once, not once per member state: the index grows with the
    instruments' parties, not with the parties times the members of their
    groups. Finding the instruments that join a segment intersects the two
    ends' few mappings, each time walking the smaller one.
    """

    day: dt.date
    min_tier: str
    instruments: Mapping[str, Instrument]
    direct: Mapping[str, Mapping[str, frozenset[int]]]
    by_group: Mapping[str, Mapping[str, frozenset[int]]]
    groups_of: Mapping[str, tuple[str, ...]]
    single_party: frozenset[str]
    internal_members: tuple[frozenset[str], ...]
    _single_of: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _counted: tuple[Partnership, ...] = field(default=(), repr=False)
    _groups: Mapping[str, Group] = field(default_factory=dict, repr=False)
    _order: Mapping[str, tuple[int, str]] = field(default_factory=dict, repr=False)  # strongest first, then by id

    @classmethod
    def build(
        cls,
        partnerships: Iterable[Partnership],
        groups: Mapping[str, Group],
        day: dt.date,
        *,
        min_tier: str = DEFAULT_MIN_TIER,
        strong_only: bool = False,
        **filters: Any,
    ) -> CoverageIndex:
        """Index the instruments active on ``day`` that the ``filters`` of :func:`counts` let count.

        With ``strong_only`` it keeps only the instruments at ``min_tier`` or
        above: enough to tell gaps from covered segments (:meth:`gap_of`), and
        smaller where dialogues are many.
        """
        check_min_tier(min_tier)
        floor = tier_rank(min_tier) if strong_only else 0
        internal = tuple(g.members_on(day) for g in groups.values() if g.internal)
        internal_codes = frozenset(code for code, g in groups.items() if g.internal)
        union = frozenset().union(*internal)
        members_on = {code: g.members_on(day) for code, g in groups.items()}  # once per group, not per party
        instruments: dict[str, Instrument] = {}
        direct: dict[str, dict[str, frozenset[int]]] = {}
        by_group: dict[str, dict[str, frozenset[int]]] = {}
        single: set[str] = set()
        counted: list[Partnership] = []
        one = [frozenset((i,)) for i in range(8)]  # the usual positions, shared

        def add(index: dict[str, dict[str, frozenset[int]]], key: str, pid: str, i: int) -> None:
            position = one[i] if i < len(one) else frozenset((i,))
            at = index.get(key)
            if at is None:
                index[key] = {pid: position}
            else:
                held = at.get(pid)
                at[pid] = position if held is None else held | position

        for p in partnerships:
            if p.id in instruments or not is_active(p, day) or (filters and not counts(p, **filters)):
                continue
            tier = instrument_tier(p)
            if _RANK[tier] < floor:
                continue
            pid = p.id
            instruments[pid] = Instrument(pid, tier, frozenset(p.themes), _level(p, internal_codes, union))
            counted.append(p)
            parties = p.parties
            if len(parties) == 1:
                single.add(pid)
            if not any(party in members_on for party in parties):  # countries only: each its own position
                for i, party in enumerate(parties):
                    add(direct, party, pid, i)
                continue
            participants = frozenset(p.participants)
            for i, party in enumerate(parties):
                members = members_on.get(party)
                if members is None:
                    add(direct, party, pid, i)
                elif participants and participants & groups[party].ever:  # only the participating members
                    for country in members & participants:
                        add(direct, country, pid, i)
                else:
                    add(by_group, party, pid, i)
        groups_of: dict[str, list[str]] = {}
        for code in by_group:
            for country in members_on[code]:
                groups_of.setdefault(country, []).append(code)
        single_of = {code: tuple(pid for pid in at if pid in single) for code, at in by_group.items()}
        order = {pid: (-_RANK[instrument.tier], pid) for pid, instrument in instruments.items()}
        return cls(
            day,
            min_tier,
            instruments,
            direct,
            by_group,
            {country: tuple(codes) for country, codes in groups_of.items()},
            frozenset(single),
            internal,
            {code: pids for code, pids in single_of.items() if pids},
            tuple(counted),
            groups,
            order,
        )

    @cached_property
    def by_country(self) -> Mapping[str, Mapping[str, frozenset[int]]]:
        """Each country's instruments: id → the positions of the parties whose expansion holds the country.

        Every member of a group party is listed with each of the group's
        instruments, in the order of the data set; built on first use only
        (the rules themselves read :attr:`direct` and :attr:`by_group`).
        """
        members_on = {code: g.members_on(self.day) for code, g in self._groups.items()}
        by_country: dict[str, dict[str, frozenset[int]]] = {}
        for p in self._counted:
            if not any(party in members_on for party in p.parties):  # countries only: each its own position
                for i, party in enumerate(p.parties):
                    by_country.setdefault(party, {})[p.id] = frozenset((i,))
                continue
            participants = frozenset(p.participants)
            positions: dict[str, frozenset[int]] = {}
            for i, party in enumerate(p.parties):
                group = members_on.get(party)
                if group is None:
                    countries: Iterable[str] = (party,)
                elif participants and participants & self._groups[party].ever:
                    countries = group & participants
                else:
                    countries = group
                for country in countries:
                    held = positions.get(country)
                    positions[country] = frozenset((i,)) if held is None else held | {i}
            for country, found in positions.items():
                by_country.setdefault(country, {})[p.id] = found
        return by_country

    def countries_instruments(self, country: str) -> list[str]:
        """The ids of the instruments whose parties' expansion holds ``country``, in the order of the data set."""
        return list(self.by_country.get(country, ()))

    def is_internal(self, a: str, b: str) -> bool:
        return any(a in members and b in members for members in self.internal_members)

    def _shared(self, a: str, b: str) -> Iterable[tuple[str, frozenset[int], frozenset[int]]]:
        """(id, positions of a, positions of b) of every instrument whose parties hold both ``a`` and ``b``.

        An instrument in which both ends lie in the same whole group party,
        and nowhere else, comes out only when that group is its only party: it
        joins them; otherwise one and the same party holds both, which joins
        nothing.
        """
        direct_a, direct_b = self.direct.get(a), self.direct.get(b)
        groups_a, groups_b = self.groups_of.get(a, ()), self.groups_of.get(b, ())
        if not groups_a and not groups_b:  # countries as parties only: one intersection
            if direct_a and direct_b:
                for pid in direct_a.keys() & direct_b.keys():  # a set intersection, in C
                    yield pid, direct_a[pid], direct_b[pid]
            return
        by_group = self.by_group
        found: set[str] = set()
        if direct_a and direct_b:
            found |= direct_a.keys() & direct_b.keys()
        for code in groups_b:
            if direct_a:
                found |= direct_a.keys() & by_group[code].keys()
        for code in groups_a:
            at = by_group[code]
            if direct_b:
                found |= at.keys() & direct_b.keys()
            for other in groups_b:
                if other == code:
                    found.update(self._single_of.get(code, ()))
                else:
                    found |= at.keys() & by_group[other].keys()
        single = self.single_party
        for pid in found:
            if pid in single:  # its only party holds both ends: it joins them, wherever they are
                yield pid, None, None
            else:
                yield pid, self._positions(direct_a, groups_a, pid), self._positions(direct_b, groups_b, pid)

    def _positions(self, direct: Mapping[str, frozenset[int]] | None, groups: tuple[str, ...], pid: str) -> Any:
        held = direct.get(pid) if direct else None
        for code in groups:
            more = self.by_group[code].get(pid)
            if more is not None:
                held = more if held is None else held | more
        return held

    def joining(self, a: str, b: str) -> dict[str, str]:
        """The instruments that join ``a`` and ``b`` (rule 3), id → tier, strongest first, then by id."""
        single, instruments = self.single_party, self.instruments
        joined = [
            pid
            for pid, here, there in self._shared(a, b)
            # Different parties hold the two ends, unless one and the same single party holds both.
            if pid in single or len(here) > 1 or here != there
        ]
        joined.sort(key=self._order.__getitem__)
        return {pid: instruments[pid].tier for pid in joined}

    def gap_of(self, a: str, b: str) -> tuple[bool, bool]:
        """(internal, gap) of the segment a→b: :meth:`judge` without the lists and labels, for tallies."""
        if self.is_internal(a, b):
            return True, False
        floor, single, instruments = _RANK[self.min_tier], self.single_party, self.instruments
        for pid, here, there in self._shared(a, b):
            if (pid in single or len(here) > 1 or here != there) and _RANK[instruments[pid].tier] >= floor:
                return False, False
        return False, True

    def judge(self, a: str, b: str) -> Judgement:
        """Rules 5 and 6 for the segment a→b, with its toolbox and Team Europe labels."""
        joined = self.joining(a, b)
        if self.is_internal(a, b):
            return Judgement(True, None, False, joined, None, None)
        tier = next(iter(joined.values()), "none")
        floor, instruments = _RANK[self.min_tier], self.instruments
        strong = [instruments[pid] for pid, t in joined.items() if _RANK[t] >= floor]
        return Judgement(
            False,
            tier,
            is_gap(tier, self.min_tier),
            joined,
            toolbox_label(strong),
            team_europe_label(strong),
        )


class CoverageHistory:
    """Tells gaps from covered segments on many days, without an index per day.

    It applies the same rules as :class:`CoverageIndex` but indexes, once, the
    instruments at the minimum tier or above whatever their dates: by country
    (a country party, or a participating member with its membership periods)
    and by group (a whole group party), with each country's memberships of
    those groups. A day's question then checks only the few instruments two
    countries can share. The report's coverage over time asks it for every
    year of each segment at once (:meth:`gaps_on`).
    """

    def __init__(
        self,
        partnerships: Iterable[Partnership],
        groups: Mapping[str, Group],
        *,
        min_tier: str = DEFAULT_MIN_TIER,
        **filters: Any,
    ) -> None:
        check_min_tier(min_tier)
        floor = tier_rank(min_tier)
        self._internal = [g for g in groups.values() if g.internal]
        self._instruments: dict[str, Partnership] = {}
        self._single: set[str] = set()
        # country -> instrument id -> [(party position, membership period or None for a country party)]
        self._direct: dict[str, dict[str, list[tuple[int, Any]]]] = {}
        # group -> instrument id -> the positions of the group as a whole party
        self._by_group: dict[str, dict[str, set[int]]] = {}
        for p in partnerships:
            if p.id in self._instruments or not counts(p, **filters) or tier_rank(instrument_tier(p)) < floor:
                continue
            pid = p.id
            self._instruments[pid] = p
            if len(p.parties) == 1:
                self._single.add(pid)
            participants = frozenset(p.participants)
            for i, party in enumerate(p.parties):
                group = groups.get(party)
                if group is None:
                    self._direct.setdefault(party, {}).setdefault(pid, []).append((i, None))
                    continue
                named = participants & group.ever
                if not named:
                    self._by_group.setdefault(party, {}).setdefault(pid, set()).add(i)
                    continue
                for membership in group.members:
                    if membership.code in named:
                        self._direct.setdefault(membership.code, {}).setdefault(pid, []).append((i, membership))
        # country -> group -> its membership periods, for the groups that are whole parties
        self._memberships: dict[str, dict[str, list[Any]]] = {}
        for code in self._by_group:
            for membership in groups[code].members:
                self._memberships.setdefault(membership.code, {}).setdefault(code, []).append(membership)
        self._single_of = {code: [pid for pid in at if pid in self._single] for code, at in self._by_group.items()}
        self._days: dict[dt.date, tuple[frozenset[str], tuple[frozenset[str], ...]]] = {}

    def _day(self, day: dt.date) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
        found = self._days.get(day)
        if found is None:
            active = frozenset(pid for pid, p in self._instruments.items() if is_active(p, day))
            found = self._days[day] = (active, tuple(g.members_on(day) for g in self._internal))
        return found

    def gap_of(self, a: str, b: str, day: dt.date) -> tuple[bool, bool]:
        """(internal, gap) of the segment a→b on ``day``, as :meth:`CoverageIndex.gap_of` gives it."""
        return self.gaps_on(a, b, (day,))[0]

    def _shared(self, a: str, b: str) -> set[str]:
        """The instruments that may join ``a`` and ``b`` on some day (see :meth:`CoverageIndex._shared`)."""
        direct_a, direct_b = self._direct.get(a) or {}, self._direct.get(b) or {}
        groups_a, groups_b = self._memberships.get(a) or {}, self._memberships.get(b) or {}
        by_group = self._by_group
        found = set(direct_a.keys() & direct_b.keys())
        for code in groups_b:
            found |= direct_a.keys() & by_group[code].keys()
        for code in groups_a:
            at = by_group[code]
            found |= at.keys() & direct_b.keys()
            for other in groups_b:
                if other == code:  # one and the same whole party joins the two only when it is the only party
                    found.update(self._single_of[code])
                else:
                    found |= at.keys() & by_group[other].keys()
        return found

    def _holdings(self, country: str, pid: str) -> tuple[frozenset[int], list[tuple[frozenset[int], list[Any]]]]:
        """Where ``country`` stands in instrument ``pid``: the positions it holds on every day, and the
        positions it holds while one of some membership periods runs."""
        always: set[int] = set()
        dated: list[tuple[frozenset[int], list[Any]]] = []
        for i, period in (self._direct.get(country) or {}).get(pid, ()):
            if period is None:
                always.add(i)
            else:
                dated.append((frozenset((i,)), [period]))
        for code, periods in (self._memberships.get(country) or {}).items():
            positions = self._by_group[code].get(pid)
            if positions:
                dated.append((frozenset(positions), periods))
        return frozenset(always), dated

    @staticmethod
    def _on(held: tuple[frozenset[int], list[tuple[frozenset[int], list[Any]]]], day: dt.date) -> frozenset[int]:
        always, dated = held
        for positions, periods in dated:
            if any(period.holds_on(day) for period in periods):
                always = always | positions
        return always

    def gaps_on(self, a: str, b: str, days: Iterable[dt.date]) -> list[tuple[bool, bool]]:
        """:meth:`gap_of` on each of ``days``; the instruments the two countries may share are found once."""
        single = self._single
        joins_when_active: list[str] = []  # the ends' positions do not depend on the day
        dated = []
        for pid in self._shared(a, b):
            here, there = self._holdings(a, pid), self._holdings(b, pid)
            if here[1] or there[1]:
                dated.append((pid, here, there))
                continue
            here, there = here[0], there[0]
            # Different parties hold the two ends, unless one and the same single party holds both.
            if here and there and (pid in single or len(here) > 1 or here != there):
                joins_when_active.append(pid)
        joins = frozenset(joins_when_active)
        may_be_internal = any(a in group.ever and b in group.ever for group in self._internal)
        out = []
        for day in days:
            active, internal = self._day(day)
            if may_be_internal and any(a in members and b in members for members in internal):
                out.append((True, False))
                continue
            gap = active.isdisjoint(joins)
            if gap:
                for pid, held_a, held_b in dated:
                    if pid not in active:
                        continue
                    here, there = self._on(held_a, day), self._on(held_b, day)
                    if here and there and (pid in single or len(here) > 1 or here != there):
                        gap = False
                        break
            out.append((False, gap))
        return out


def toolbox_label(instruments: Iterable[Instrument]) -> str:
    """Return and readmission, legal pathways, both or neither among ``instruments``."""
    themes = frozenset().union(*(i.themes for i in instruments))
    has_return, has_legal = RETURN in themes, LEGAL in themes
    if has_return and has_legal:
        return "both"
    return "return only" if has_return else "legal pathways only" if has_legal else "neither"


def team_europe_label(instruments: Iterable[Instrument]) -> str:
    """EU-level, member states, both, others or none among ``instruments``."""
    levels = {i.level for i in instruments}
    if {"EU-level", "member states"} <= levels:
        return "both"
    for label in ("EU-level", "member states", "others"):
        if label in levels:
            return label
    return "none"


def _level(partnership: Partnership, internal_codes: frozenset[str], members: frozenset[str]) -> str:
    """EU-level when an internal group (the EU) is a party; member states when a member is; else others."""
    parties = set(partnership.parties)
    if parties & internal_codes:
        return "EU-level"
    return "member states" if parties & members else "others"


def check_min_tier(min_tier: str) -> None:
    if min_tier not in TIERS:
        raise SelectionError(f"unknown minimum tier {min_tier!r}; expected one of: {', '.join(TIERS)}")


def check_filters(
    themes: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    exclude_kinds: Iterable[str] | None = None,
    min_tier: str = DEFAULT_MIN_TIER,
) -> None:
    """Reject unknown themes, kinds or tiers with the list of valid ones."""
    for value, allowed, what in ((themes, THEMES, "theme"), (kinds, KINDS, "kind"), (exclude_kinds, KINDS, "kind")):
        for item in value or ():
            if item not in allowed:
                raise SelectionError(f"unknown {what} {item!r}; expected one of: {', '.join(allowed)}")
    check_min_tier(min_tier)
