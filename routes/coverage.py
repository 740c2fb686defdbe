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
from dataclasses import dataclass
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
    """The counted instruments active on one day, indexed by country.

    ``by_country[c]`` maps each instrument that includes country ``c`` to the
    positions of the parties whose expansion holds ``c``. Two look-ups and a
    walk over the smaller mapping find the instruments that join a segment.
    """

    day: dt.date
    min_tier: str
    instruments: Mapping[str, Instrument]
    by_country: Mapping[str, Mapping[str, frozenset[int]]]
    single_party: frozenset[str]
    internal_members: tuple[frozenset[str], ...]

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
        much smaller where dialogues with dozens of members are many.
        """
        check_min_tier(min_tier)
        floor = tier_rank(min_tier) if strong_only else 0
        internal = tuple(g.members_on(day) for g in groups.values() if g.internal)
        internal_codes = frozenset(code for code, g in groups.items() if g.internal)
        union = frozenset().union(*internal)
        members_on = {code: g.members_on(day) for code, g in groups.items()}  # once per group, not per party
        instruments: dict[str, Instrument] = {}
        by_country: dict[str, dict[str, frozenset[int]]] = {}
        single: set[str] = set()
        one = [frozenset((i,)) for i in range(8)]  # the usual positions, shared
        for p in partnerships:
            if p.id in instruments or not is_active(p, day) or (filters and not counts(p, **filters)):
                continue
            tier = instrument_tier(p)
            if _RANK[tier] < floor:
                continue
            instruments[p.id] = Instrument(p.id, tier, frozenset(p.themes), _level(p, internal_codes, union))
            pid = p.id
            parties = p.parties
            if len(parties) == 1:
                single.add(pid)
            if not any(party in members_on for party in parties):  # countries only: each its own position
                for i, party in enumerate(parties):
                    at = by_country.get(party)
                    if at is None:
                        by_country[party] = {pid: one[i] if i < len(one) else frozenset((i,))}
                    else:
                        at[pid] = one[i] if i < len(one) else frozenset((i,))
                continue
            participants = frozenset(p.participants)
            positions: dict[str, frozenset[int]] = {}
            for i, party in enumerate(parties):
                group = members_on.get(party)
                if group is None:
                    countries: Iterable[str] = (party,)
                elif participants and participants & groups[party].ever:
                    countries = group & participants
                else:
                    countries = group
                for country in countries:
                    held = positions.get(country)
                    if held is None:
                        positions[country] = one[i] if i < len(one) else frozenset((i,))
                    else:
                        positions[country] = held | {i}
            for country, found in positions.items():
                at = by_country.get(country)
                if at is None:
                    by_country[country] = {pid: found}
                else:
                    at[pid] = found
        return cls(day, min_tier, instruments, by_country, frozenset(single), internal)

    def is_internal(self, a: str, b: str) -> bool:
        return any(a in members and b in members for members in self.internal_members)

    def joining(self, a: str, b: str) -> dict[str, str]:
        """The instruments that join ``a`` and ``b`` (rule 3), id → tier, strongest first, then by id."""
        at_a = self.by_country.get(a)
        at_b = self.by_country.get(b)
        if not at_a or not at_b:
            return {}
        single, instruments = self.single_party, self.instruments
        tiers = {}
        for pid in at_a.keys() & at_b.keys():  # a set intersection, in C
            here = at_a[pid]
            # Different parties hold the two ends, unless one and the same single party holds both.
            if pid in single or len(here) > 1 or here != at_b[pid]:
                tiers[pid] = instruments[pid].tier
        return dict(sorted(tiers.items(), key=lambda item: (-_RANK[item[1]], item[0])))

    def gap_of(self, a: str, b: str) -> tuple[bool, bool]:
        """(internal, gap) of the segment a→b: :meth:`judge` without the lists and labels, for tallies."""
        if self.is_internal(a, b):
            return True, False
        at_a, at_b = self.by_country.get(a), self.by_country.get(b)
        if at_a and at_b:
            floor, single, instruments = _RANK[self.min_tier], self.single_party, self.instruments
            for pid in at_a.keys() & at_b.keys():
                here = at_a[pid]
                if (pid in single or len(here) > 1 or here != at_b[pid]) and _RANK[instruments[pid].tier] >= floor:
                    return False, False
        return False, True

    def judge(self, a: str, b: str) -> Judgement:
        """Rules 5 and 6 for the segment a→b, with its toolbox and Team Europe labels."""
        joined = self.joining(a, b)
        if self.is_internal(a, b):
            return Judgement(True, None, False, joined, None, None)
        tier = next(iter(joined.values()), "none")
        strong = [self.instruments[pid] for pid, t in joined.items() if tier_rank(t) >= tier_rank(self.min_tier)]
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

    It applies the same rules as :class:`CoverageIndex` but indexes, once, every
    country an instrument at the minimum tier or above can ever stand for,
    with the membership period behind it; a day's question then checks only
    the few instruments two countries share. The report's coverage over time
    asks it for every year.
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
        self._groups = groups
        self._internal = [g for g in groups.values() if g.internal]
        self._instruments: dict[str, Partnership] = {}
        self._single: set[str] = set()
        # country -> instrument id -> [(party position, membership period or None for a country party)]
        self._ever: dict[str, dict[str, list[tuple[int, Any]]]] = {}
        for p in partnerships:
            if p.id in self._instruments or not counts(p, **filters) or tier_rank(instrument_tier(p)) < floor:
                continue
            self._instruments[p.id] = p
            if len(p.parties) == 1:
                self._single.add(p.id)
            participants = frozenset(p.participants)
            for i, party in enumerate(p.parties):
                group = groups.get(party)
                if group is None:
                    self._ever.setdefault(party, {}).setdefault(p.id, []).append((i, None))
                    continue
                named = participants & group.ever
                for membership in group.members:
                    if not named or membership.code in named:
                        self._ever.setdefault(membership.code, {}).setdefault(p.id, []).append((i, membership))
        # The positions a country can ever hold in an instrument: one and the same party never joins a pair.
        self._positions = {
            country: {pid: frozenset(i for i, _ in entries) for pid, entries in by_pid.items()}
            for country, by_pid in self._ever.items()
        }
        self._days: dict[dt.date, tuple[frozenset[str], tuple[frozenset[str], ...]]] = {}

    def _day(self, day: dt.date) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
        found = self._days.get(day)
        if found is None:
            active = frozenset(pid for pid, p in self._instruments.items() if is_active(p, day))
            found = self._days[day] = (active, tuple(g.members_on(day) for g in self._internal))
        return found

    def gap_of(self, a: str, b: str, day: dt.date) -> tuple[bool, bool]:
        """(internal, gap) of the segment a→b on ``day``, as :meth:`CoverageIndex.gap_of` gives it."""
        active, internal = self._day(day)
        if any(a in members and b in members for members in internal):
            return True, False
        at_a, at_b = self._ever.get(a), self._ever.get(b)
        if not at_a or not at_b:
            return False, True
        can_a, can_b, single = self._positions[a], self._positions[b], self._single
        for pid in at_a.keys() & at_b.keys() & active:
            if pid not in single and len(can_a[pid]) == 1 and can_a[pid] == can_b[pid]:
                continue
            here = {i for i, period in at_a[pid] if period is None or period.holds_on(day)}
            there = {i for i, period in at_b[pid] if period is None or period.holds_on(day)}
            if here and there and (pid in single or len(here) > 1 or here != there):
                return False, False
        return False, True


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
