"""What-if scenarios: change the partnerships in memory and compare the gaps.

A scenario never touches the files: :func:`apply_scenario` returns a new
:class:`~routes.dataset.Dataset`; :func:`compare` contrasts two graphs built
with the same options.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import networkx as nx

from routes._errors import DataError, Problem, SelectionError
from routes._frames import RecordList, RecordSets
from routes._validate import When
from routes.countries import CountryResolver, describe_unknown
from routes.dataset import Dataset, Membership, Partnership, read_partnerships


@dataclass(frozen=True)
class Scenario:
    """Changes to the instruments and groups of a data set.

    Attributes
    ----------
    add
        Hypothetical instruments, as in ``partnerships.yaml``.
    add_parties
        Existing instrument id → country or group codes to add to its parties.
    add_participants
        Existing instrument id → member states that join it (it must list its participants).
    add_members
        Group code → countries that join it (as if they had always been members).
    set_tiers
        Existing instrument id → the tier it would have (an agreement made of a statement).
    remove
        Ids of instruments to leave out (as if they had never been made).
    """

    add: tuple[Partnership, ...] = ()
    add_parties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    add_participants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    add_members: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    set_tiers: Mapping[str, str] = field(default_factory=dict)
    remove: tuple[str, ...] = ()

    def describe(self, *, lang: str = "en", name: Callable[[str], str] | None = None) -> list[str]:
        """One line per change, for reports, maps and terminal output.

        ``lang`` is the language of the words; ``name`` shows a country code
        (default: the code itself, as the terminal output has it).
        """
        from routes.i18n import _, language, term

        def names(codes: Iterable[str]) -> str:
            return ", ".join(name(c) if name else c for c in codes)

        with language(lang):
            lines = [
                _("add {id} ({name}; parties {parties}; from {day})").format(
                    id=p.id, name=p.name, parties=", ".join(p.parties), day=p.start
                )
                for p in self.add
            ]
            lines += [
                _("add {countries} to the parties of {id}").format(countries=names(codes), id=pid)
                for pid, codes in self.add_parties.items()
            ]
            lines += [
                _("{countries} join {id}").format(countries=names(codes), id=pid)
                for pid, codes in self.add_participants.items()
            ]
            lines += [
                _("{countries} join the group {group}").format(countries=names(codes), group=code)
                for code, codes in self.add_members.items()
            ]
            lines += [_("{id} becomes {tier}").format(id=pid, tier=term(tier)) for pid, tier in self.set_tiers.items()]
            lines += [_("remove {id}").format(id=pid) for pid in self.remove]
        return lines


def read_scenario_partnerships(path: str | Path, dataset: Dataset) -> tuple[Partnership, ...]:
    """Read hypothetical partnerships from a YAML file in the ``partnerships.yaml`` format.

    Raises
    ------
    DataError
        When the file is missing or invalid, or reuses an id of the data set.
    """
    problems: list[Problem] = []
    resolver = CountryResolver({c.code: c.name for c in dataset.countries.values()})
    added = read_partnerships(Path(path), problems, resolver, dataset.groups)
    existing = {p.id for p in dataset.partnerships}
    for p in added:
        if p.id in existing:
            problems.append(Problem(str(path), p.line, "id", f"{p.id!r} is already a partnership of the data set"))
    if problems:
        raise DataError(problems)
    return tuple(added)


def parse_additions(values: Iterable[str], dataset: Dataset, *, option: str, groups: bool = False) -> dict:
    """Parse ``KEY=CODE`` options: KEY an instrument id (or, with ``groups``, a group code), CODE a country.

    For ``--add-party`` CODE may also be a group code.
    """
    resolver = CountryResolver({c.code: c.name for c in dataset.countries.values()})
    keys = set(dataset.groups) if groups else {p.id for p in dataset.partnerships}
    additions: dict[str, list[str]] = {}
    for value in values:
        key, sep, party = value.partition("=")
        key, party = key.strip(), party.strip()
        if not sep or not key or not party:
            example = "RABAT=LBY" if groups else "eu-tur-statement-2016=IRN"
            raise SelectionError(f"{option} {value!r}: use {'GROUP' if groups else 'ID'}=CODE, e.g. {example}")
        _check_key(key, keys, "group" if groups else "partnership id")
        code = party if option == "--add-party" and party in dataset.groups else resolver.resolve(party)
        if code is None:
            raise SelectionError(f"{option} {value!r}: {describe_unknown(party, resolver)}")
        additions.setdefault(key, []).append(code)
    return {key: tuple(dict.fromkeys(codes)) for key, codes in additions.items()}


def _check_key(key: str, keys: set[str], what: str) -> None:
    if key not in keys:
        import difflib

        close = difflib.get_close_matches(key, sorted(keys), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise SelectionError(f"unknown {what} {key!r}{hint}")


#: Hypothetical members are members on every day: a scenario is judged on one day at a time.
_ALWAYS = When.of(dt.date(1, 1, 1))


def apply_scenario(dataset: Dataset, scenario: Scenario) -> Dataset:
    """A copy of ``dataset`` with the scenario's changes; ``dataset`` is unchanged."""
    ids = {p.id for p in dataset.partnerships}
    for pid in [*scenario.remove, *scenario.add_parties, *scenario.add_participants, *scenario.set_tiers]:
        _check_key(pid, ids, "partnership id")
    for code in scenario.add_members:
        _check_key(code, set(dataset.groups), "group")
    removed = set(scenario.remove)
    changed = []
    for p in dataset.partnerships:
        if p.id in removed:
            continue
        extra = scenario.add_parties.get(p.id, ())
        if extra:
            p = dataclasses.replace(p, parties=tuple(dict.fromkeys((*p.parties, *extra))))
        joining = scenario.add_participants.get(p.id, ())
        if joining:
            _check_participants(p, joining, dataset)
            p = dataclasses.replace(p, participants=tuple(dict.fromkeys((*p.participants, *joining))))
        if p.id in scenario.set_tiers:
            p = dataclasses.replace(p, tier=scenario.set_tiers[p.id])
        changed.append(p)
    groups = dict(dataset.groups)
    for code, countries in scenario.add_members.items():
        group = groups[code]
        if group.internal:
            raise SelectionError(f"{code} is a union ({group.name}); a scenario does not enlarge it")
        members = tuple(Membership(c, _ALWAYS) for c in countries if c not in group.ever)
        groups[code] = dataclasses.replace(group, members=(*group.members, *members))
    return dataclasses.replace(dataset, partnerships=(*changed, *scenario.add), groups=MappingProxyType(groups))


def _check_participants(p: Partnership, joining: tuple[str, ...], dataset: Dataset) -> None:
    party_groups = [
        dataset.groups[g] for g in p.parties if g in dataset.groups and set(p.participants) & dataset.groups[g].ever
    ]
    if not party_groups:
        raise SelectionError(f"{p.id} lists no participants: every member of its group parties takes part already")
    for code in joining:
        if not any(code in g.ever for g in party_groups):
            which = ", ".join(g.code for g in party_groups)
            raise SelectionError(f"{code} is never a member of {which}, so it cannot join {p.id}")


def run_scenario(dataset: Dataset, scenario: Scenario, **selection: Any) -> RecordSets:
    """Build the graph before and after the scenario and compare them (see :func:`compare`).

    The result also holds ``before`` and ``after`` (the graphs without and
    with the scenario) and ``notes``: changes that cannot have an effect on the as-of day (a
    hypothetical instrument that starts later, or is suspended or ended then).
    """
    from routes.coverage import is_active
    from routes.graph import build_graph

    before = build_graph(dataset, **selection)
    after = build_graph(apply_scenario(dataset, scenario), **selection)
    day = dt.date.fromisoformat(before.graph["as_of"])
    notes = []
    for p in scenario.add:
        if p.start.day > day:
            notes.append(f"{p.id} starts on {p.start}, after the as-of day {day}: it changes nothing on that day")
        elif not is_active(p, day):
            notes.append(f"{p.id} has ended or is suspended on the as-of day {day}: it changes nothing on that day")
    return RecordSets({**compare(before, after), "notes": notes, "before": before, "after": after})


def compare(before: nx.DiGraph, after: nx.DiGraph) -> RecordSets:
    """What changes between two graphs of the same segments.

    Returns a dict with ``closed`` (gaps that are no longer gaps), ``opened``
    (new gaps), ``changed`` (every segment whose tier changed) and ``routes``:
    per route, gaps before and after and the known flow on the segments that
    closed or opened (unknown flows counted apart).
    """
    changed, closed, opened = [], [], []
    per_route: dict[str, dict[str, Any]] = {}
    for u, v, old in before.edges(data=True):
        new = after.edges[u, v]
        record = {
            "origin": u,
            "destination": v,
            "routes": list(old["routes"]),
            "flow": old["flow"],
            "tier_before": old["tier"] or "internal",
            "tier_after": new["tier"] or "internal",
            "partnerships_after": dict(new["partnerships"]),
        }
        if old["tier"] != new["tier"]:
            changed.append(record)
        if old["gap"] and not new["gap"]:
            closed.append(record)
        elif new["gap"] and not old["gap"]:
            opened.append(record)
        for route, flow in old["flow_by_route"].items():
            row = per_route.setdefault(
                route,
                {
                    "route": route,
                    "gaps_before": 0,
                    "gaps_after": 0,
                    "closed": 0,
                    "opened": 0,
                    "flow_closed": 0,
                    "flow_opened": 0,
                    "unknown_flow_changed": 0,
                },
            )
            row["gaps_before"] += old["gap"]
            row["gaps_after"] += new["gap"]
            if old["gap"] != new["gap"]:
                key = "closed" if old["gap"] else "opened"
                row[key] += 1
                if flow is None:
                    row["unknown_flow_changed"] += 1
                else:
                    row[f"flow_{key}"] += flow
    from routes.analysis import gap_order

    return RecordSets(
        closed=RecordList(sorted(closed, key=gap_order)),
        opened=RecordList(sorted(opened, key=gap_order)),
        changed=RecordList(sorted(changed, key=gap_order)),
        routes=RecordList(per_route[r] for r in sorted(per_route)),
    )
