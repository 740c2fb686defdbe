"""What-if scenarios: change the partnerships in memory and compare the gaps.

A scenario never touches the files: :func:`apply_scenario` returns a new
:class:`~routes.dataset.Dataset`; :func:`compare` contrasts two graphs built
with the same options.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from routes._errors import DataError, Problem, SelectionError
from routes.countries import CountryResolver, describe_unknown
from routes.dataset import Dataset, Partnership, read_partnerships


@dataclass(frozen=True)
class Scenario:
    """Changes to the partnerships of a data set.

    Attributes
    ----------
    add
        Hypothetical partnerships, as in ``partnerships.yaml``.
    add_parties
        Existing partnership id → country or bloc codes to add to its parties.
    remove
        Ids of partnerships to leave out (as if they had ended).
    """

    add: tuple[Partnership, ...] = ()
    add_parties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    remove: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """One line per change, for reports and terminal output."""
        lines = [f"add {p.id} ({p.name}; parties {', '.join(p.parties)})" for p in self.add]
        lines += [f"add {', '.join(codes)} to {pid}" for pid, codes in self.add_parties.items()]
        lines += [f"remove {pid}" for pid in self.remove]
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
    added = read_partnerships(Path(path), problems, resolver, dataset.blocs)
    existing = {p.id for p in dataset.partnerships}
    for p in added:
        if p.id in existing:
            problems.append(Problem(str(path), p.line, "id", f"{p.id!r} is already a partnership of the data set"))
    if problems:
        raise DataError(problems)
    return tuple(added)


def parse_party_additions(values: Iterable[str], dataset: Dataset) -> dict[str, tuple[str, ...]]:
    """Parse ``ID=CODE`` options (CODE a country code or name, or a bloc code)."""
    resolver = CountryResolver({c.code: c.name for c in dataset.countries.values()})
    ids = {p.id for p in dataset.partnerships}
    additions: dict[str, list[str]] = {}
    for value in values:
        pid, sep, party = value.partition("=")
        pid, party = pid.strip(), party.strip()
        if not sep or not pid or not party:
            raise SelectionError(f"--add-party {value!r}: use ID=CODE, e.g. eu-tur-statement-2016=IRN")
        _check_id(pid, ids)
        code = party if party in dataset.blocs else resolver.resolve(party)
        if code is None:
            raise SelectionError(f"--add-party {value!r}: {describe_unknown(party, resolver)}")
        additions.setdefault(pid, []).append(code)
    return {pid: tuple(dict.fromkeys(codes)) for pid, codes in additions.items()}


def _check_id(pid: str, ids: set[str]) -> None:
    if pid not in ids:
        import difflib

        close = difflib.get_close_matches(pid, sorted(ids), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise SelectionError(f"unknown partnership id {pid!r}{hint}")


def apply_scenario(dataset: Dataset, scenario: Scenario) -> Dataset:
    """A copy of ``dataset`` with the scenario's changes; ``dataset`` is unchanged."""
    ids = {p.id for p in dataset.partnerships}
    for pid in [*scenario.remove, *scenario.add_parties]:
        _check_id(pid, ids)
    removed = set(scenario.remove)
    changed = []
    for p in dataset.partnerships:
        if p.id in removed:
            continue
        extra = scenario.add_parties.get(p.id, ())
        if extra:
            p = dataclasses.replace(p, parties=tuple(dict.fromkeys((*p.parties, *extra))))
        changed.append(p)
    return dataclasses.replace(dataset, partnerships=(*changed, *scenario.add))


def compare(before: nx.DiGraph, after: nx.DiGraph) -> dict[str, Any]:
    """What changes between two graphs of the same segments.

    Returns a dict with ``closed`` (gaps that are no longer gaps), ``opened``
    (new gaps), ``changed`` (every segment whose coverage class changed) and
    ``routes``: per route, gaps before and after and the known flow on the
    segments that closed or opened (unknown flows counted apart).
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
            "coverage_before": old["coverage"],
            "coverage_after": new["coverage"],
            "partnerships_after": list(new["partnerships"]),
        }
        if old["coverage"] != new["coverage"]:
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

    return {
        "closed": sorted(closed, key=gap_order),
        "opened": sorted(opened, key=gap_order),
        "changed": sorted(changed, key=gap_order),
        "routes": [per_route[r] for r in sorted(per_route)],
    }
