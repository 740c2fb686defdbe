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
    return not any(period.holds_on(day) for period in partnership.suspended)


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
        **filters: Any,
    ) -> CoverageIndex:
        """Index the instruments active on ``day`` that the ``filters`` of :func:`counts` let count."""
        check_min_tier(min_tier)
        internal = tuple(g.members_on(day) for g in groups.values() if g.internal)
        internal_codes = frozenset(code for code, g in groups.items() if g.internal)
        union = frozenset().union(*internal)
        instruments: dict[str, Instrument] = {}
        by_country: dict[str, dict[str, frozenset[int]]] = {}
        single: set[str] = set()
        for p in partnerships:
            if p.id in instruments or not is_active(p, day) or not counts(p, **filters):
                continue
            expansions = expand_parties(p, groups, day)
            instruments[p.id] = Instrument(
                p.id, instrument_tier(p), frozenset(p.themes), _level(p, internal_codes, union)
            )
            if len(expansions) == 1:
                single.add(p.id)
            positions: dict[str, set[int]] = {}
            for i, countries in enumerate(expansions):
                for country in countries:
                    positions.setdefault(country, set()).add(i)
            for country, found in positions.items():
                by_country.setdefault(country, {})[p.id] = frozenset(found)
        return cls(day, min_tier, instruments, by_country, frozenset(single), internal)

    def is_internal(self, a: str, b: str) -> bool:
        return any(a in members and b in members for members in self.internal_members)

    def joining(self, a: str, b: str) -> dict[str, str]:
        """The instruments that join ``a`` and ``b`` (rule 3), id → tier, strongest first, then by id."""
        at_a = self.by_country.get(a)
        at_b = self.by_country.get(b)
        if not at_a or not at_b:
            return {}
        if len(at_b) < len(at_a):
            at_a, at_b = at_b, at_a
        found = []
        for pid, here in at_a.items():
            there = at_b.get(pid)
            if there is None:
                continue
            # Different parties hold the two ends, unless one and the same single party holds both.
            if pid in self.single_party or not (len(here) == 1 and here == there):
                found.append(pid)
        tiers = {pid: self.instruments[pid].tier for pid in found}
        return dict(sorted(tiers.items(), key=lambda item: (-tier_rank(item[1]), item[0])))

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
