"""Invariants of the coverage rules, checked on random data sets (hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

import routes
from benchmarks.naive import disagreements, naive_coverage
from routes._validate import KINDS, THEMES, TIERS, When
from routes.dataset import Dataset, Group, Membership, Partnership, Period, SegmentRow

COUNTRIES = ["ITA", "LBY", "TUN", "NER", "GRC", "TUR", "FRA", "GBR"]
DAYS = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2025, 12, 31))
GROUPS = ("EU", "DIALOGUE")


@st.composite
def periods(draw) -> tuple[When, When | None]:
    start = draw(DAYS)
    until = draw(st.none() | DAYS.filter(lambda d, s=start: d > s))
    return When.of(start), When.of(until) if until else None


@st.composite
def groups(draw) -> dict[str, Group]:
    out = {}
    for code, internal in (("EU", True), ("DIALOGUE", False)):
        members = []
        for country in draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=5)):
            start, until = draw(periods())
            members.append(Membership(country, start, until))
        out[code] = Group(code, code, ("s",), tuple(members), internal=internal)
    return out


@st.composite
def partnerships(draw, pid: str) -> Partnership:
    parties = draw(st.lists(st.sampled_from([*COUNTRIES, *GROUPS]), min_size=1, max_size=4, unique=True))
    if len(parties) == 1 and parties[0] not in GROUPS:
        parties.append(draw(st.sampled_from([c for c in COUNTRIES if c != parties[0]])))
    signed = draw(DAYS)
    in_force = draw(st.none() | DAYS.filter(lambda d: d >= signed))
    start = in_force or signed
    ended = draw(st.none() | DAYS.filter(lambda d: d > start))
    suspended = tuple(Period(*draw(periods())) for _ in range(draw(st.integers(0, 1))))
    has_group = any(p in GROUPS for p in parties)
    participants = tuple(draw(st.lists(st.sampled_from(COUNTRIES), max_size=3, unique=True))) if has_group else ()
    return Partnership(
        id=pid,
        name=pid,
        kind=draw(st.sampled_from(KINDS)),
        parties=tuple(parties),
        signed=When.of(signed),
        binding=draw(st.sampled_from([True, False, None])),
        themes=tuple(draw(st.lists(st.sampled_from(THEMES), min_size=1, max_size=3, unique=True))),
        sources=("s",),
        in_force=When.of(in_force) if in_force else None,
        ended=When.of(ended) if ended else None,
        participants=participants,
        suspended=suspended,
        tier=draw(st.none() | st.sampled_from(TIERS)),
    )


@st.composite
def datasets(draw) -> Dataset:
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(COUNTRIES), st.sampled_from(COUNTRIES)).filter(lambda p: p[0] != p[1]),
            min_size=1,
            max_size=10,
            unique=True,
        )
    )
    rows = []
    for origin, destination in pairs:
        flow = draw(st.none() | st.integers(0, 10_000))
        route = draw(st.sampled_from(["A", "B"]))
        rows.append(SegmentRow(route, origin, destination, 2016, flow, "m" if flow is not None else "", ("s",)))
    count = draw(st.integers(0, 6))
    return Dataset(
        path=Path("memory"),
        segments=tuple(rows),
        partnerships=tuple(draw(partnerships(f"p{i}")) for i in range(count)),
        groups=MappingProxyType(draw(groups())),
        countries=MappingProxyType({}),
    )


def gap_set(dataset: Dataset, **options) -> set[tuple[str, str]]:
    G = routes.build_graph(dataset, year=2016, **options)
    return {(u, v) for u, v, gap in G.edges(data="gap") if gap}


def with_partnership(dataset: Dataset, extra: Partnership) -> Dataset:
    return dataclasses.replace(dataset, partnerships=(*dataset.partnerships, extra))


@settings(max_examples=200, deadline=None)
@given(datasets(), DAYS, st.sampled_from(TIERS))
def test_the_index_agrees_with_a_naive_reading_of_the_rules(dataset, day, min_tier):
    G = routes.build_graph(dataset, year=2016, as_of=day, min_tier=min_tier)
    assert disagreements(G, naive_coverage(dataset, day, min_tier=min_tier)) == []


@settings(max_examples=150, deadline=None)
@given(datasets(), partnerships("added"), st.sampled_from(TIERS))
def test_adding_an_instrument_never_adds_a_gap(dataset, extra, min_tier):
    assert gap_set(with_partnership(dataset, extra), min_tier=min_tier) <= gap_set(dataset, min_tier=min_tier)


@settings(max_examples=150, deadline=None)
@given(datasets(), st.sampled_from(TIERS), st.sampled_from(TIERS))
def test_raising_the_minimum_tier_never_removes_a_gap(dataset, a, b):
    low, high = sorted((a, b), key=TIERS.index)
    assert gap_set(dataset, min_tier=low) <= gap_set(dataset, min_tier=high)


@settings(max_examples=150, deadline=None)
@given(datasets(), st.lists(st.sampled_from(THEMES), min_size=1, unique=True), st.sampled_from(TIERS))
def test_a_theme_filter_never_removes_a_gap(dataset, themes, min_tier):
    assert gap_set(dataset, min_tier=min_tier) <= gap_set(dataset, min_tier=min_tier, themes=themes)


@settings(max_examples=100, deadline=None)
@given(datasets(), st.lists(st.sampled_from(KINDS), min_size=1, unique=True), st.booleans())
def test_kind_and_binding_filters_never_remove_a_gap(dataset, kinds, binding_only):
    assert gap_set(dataset) <= gap_set(dataset, kinds=kinds, binding_only=binding_only)
    assert gap_set(dataset) <= gap_set(dataset, exclude_kinds=kinds)


@settings(max_examples=100, deadline=None)
@given(datasets(), DAYS)
def test_internal_segments_are_never_gaps_and_eu_instruments_never_join_two_members(dataset, day):
    G = routes.build_graph(dataset, year=2016, as_of=day)
    eu = dataset.groups["EU"].members_on(day)
    for origin, destination, data in G.edges(data=True):
        assert data["internal"] == ({origin, destination} <= eu)
        if data["internal"]:
            assert not data["gap"] and data["tier"] is None
        for pid in data["partnerships"]:
            p = dataset.partnership(pid)
            if {origin, destination} <= eu and set(p.parties) <= {"EU", *(c for c in COUNTRIES if c not in eu)}:
                raise AssertionError(f"{pid} joins two EU members through the EU party")


@settings(max_examples=100, deadline=None)
@given(datasets())
def test_gaps_are_ranked_by_flow_with_unknown_last(dataset):
    flows = list(routes.gaps(dataset, year=2016)["flow"])
    known = [f for f in flows if f is not None and f == f]
    assert known == sorted(known, reverse=True)
    assert flows[: len(known)] == known


@settings(max_examples=150, deadline=None)
@given(datasets(), st.lists(DAYS, min_size=1, max_size=4), st.sampled_from(TIERS))
def test_the_history_tells_the_same_gaps_as_the_index_on_every_day(dataset, days, min_tier):
    from routes.coverage import CoverageHistory

    history = CoverageHistory(dataset.partnerships, dataset.groups, min_tier=min_tier)
    for day in days:
        G = routes.build_graph(dataset, year=2016, as_of=day, min_tier=min_tier)
        for origin, destination, data in G.edges(data=True):
            assert history.gap_of(origin, destination, day) == (data["internal"], data["gap"])
