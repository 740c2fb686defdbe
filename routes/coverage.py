"""The coverage rules, as small pure functions.

A partnership is *active* on day D when it has started (entry into force if
known, else signature) on or before D and has not ended (``D < ended``). Its
parties are *expanded* on D: a bloc code stands for the bloc's members on D.
It covers a segment A→B **fully** when both A and B are among the expanded
parties and **partially** when exactly one is. A segment's coverage is
``full`` if any counted partnership covers it fully, else ``partial`` if any
covers it partially, else ``none``. Under rule ``both`` a gap is a segment
without full coverage; under rule ``either`` a gap is a segment with coverage
``none``. Filters decide which partnerships count: a theme filter keeps those
sharing at least one theme, a kind filter those of the kinds listed, an
exclusion drops the kinds listed, and ``binding_only`` keeps ``binding: true``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from routes._errors import SelectionError
from routes._validate import KINDS, THEMES
from routes.dataset import Bloc, Partnership

RULES = ("both", "either")
COVERAGE_CLASSES = ("full", "partial", "none")


def is_active(partnership: Partnership, day: dt.date) -> bool:
    """Whether the partnership applies on ``day``."""
    ended = partnership.ended
    return partnership.start.day <= day and (ended is None or day < ended.day)


def expand_parties(partnership: Partnership, blocs: Mapping[str, Bloc], day: dt.date) -> frozenset[str]:
    """The countries party to it on ``day``: blocs replaced by their members then."""
    countries: set[str] = set()
    for party in partnership.parties:
        bloc = blocs.get(party)
        if bloc is None:
            countries.add(party)
        else:
            countries |= bloc.members_on(day)
    return frozenset(countries)


def counts(
    partnership: Partnership,
    *,
    themes: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    exclude_kinds: Iterable[str] | None = None,
    binding_only: bool = False,
) -> bool:
    """Whether the filters let the partnership count (a theme filter needs one shared theme)."""
    if themes is not None and not set(themes) & set(partnership.themes):
        return False
    if kinds is not None and partnership.kind not in set(kinds):
        return False
    if exclude_kinds is not None and partnership.kind in set(exclude_kinds):
        return False
    return not (binding_only and partnership.binding is not True)


def classify(full: Iterable[str], partial: Iterable[str]) -> str:
    """A segment's coverage class from the ids that cover it fully and partially."""
    if any(True for _ in full):
        return "full"
    return "partial" if any(True for _ in partial) else "none"


def is_gap(coverage: str, rule: str) -> bool:
    """Whether a segment with this coverage is a gap under ``rule``."""
    if rule == "both":
        return coverage != "full"
    if rule == "either":
        return coverage == "none"
    raise SelectionError(f"unknown rule {rule!r}; expected one of: {', '.join(RULES)}")


@dataclass(frozen=True)
class PartyIndex:
    """Counted, active partnerships on one day, indexed by country.

    Finding the partnerships of a segment is then two dictionary look-ups
    and a set operation, instead of a scan of every partnership.
    """

    parties: Mapping[str, frozenset[str]]
    by_country: Mapping[str, frozenset[str]]

    @classmethod
    def build(
        cls,
        partnerships: Iterable[Partnership],
        blocs: Mapping[str, Bloc],
        day: dt.date,
        **filters: Any,
    ) -> PartyIndex:
        """Index the partnerships active on ``day`` that the ``filters`` of :func:`counts` let count."""
        members = {code: bloc.members_on(day) for code, bloc in blocs.items()}
        parties: dict[str, frozenset[str]] = {}
        by_country: dict[str, set[str]] = {}
        for p in partnerships:
            if not is_active(p, day) or not counts(p, **filters):
                continue
            expanded: set[str] = set()
            for party in p.parties:
                expanded |= members.get(party, {party})
            parties[p.id] = frozenset(expanded)
            for country in expanded:
                by_country.setdefault(country, set()).add(p.id)
        return cls(parties, {c: frozenset(ids) for c, ids in by_country.items()})

    def cover(self, origin: str, destination: str) -> tuple[frozenset[str], frozenset[str]]:
        """The ids covering origin→destination fully, and those covering one end only."""
        a = self.by_country.get(origin, frozenset())
        b = self.by_country.get(destination, frozenset())
        return a & b, a ^ b


def check_filters(
    rule: str,
    themes: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    exclude_kinds: Iterable[str] | None = None,
) -> None:
    """Reject unknown themes, kinds or rules with the list of valid ones."""
    for value, allowed, what in ((themes, THEMES, "theme"), (kinds, KINDS, "kind"), (exclude_kinds, KINDS, "kind")):
        for item in value or ():
            if item not in allowed:
                raise SelectionError(f"unknown {what} {item!r}; expected one of: {', '.join(allowed)}")
    if rule not in RULES:
        raise SelectionError(f"unknown rule {rule!r}; expected one of: {', '.join(RULES)}")
