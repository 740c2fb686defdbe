"""Invariants of the coverage rules, checked on random data sets (hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

import routes
from routes._validate import KINDS, THEMES, When
from routes.dataset import Bloc, Dataset, Membership, Partnership, SegmentRow

COUNTRIES = ["ITA", "LBY", "TUN", "NER", "GRC", "TUR", "FRA", "GBR"]
DAYS = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2025, 12, 31))


@st.composite
def blocs(draw) -> dict[str, Bloc]:
    members = []
    for code in draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=5)):
        start = draw(DAYS)
        until = draw(st.none() | DAYS.filter(lambda d, s=start: d > s))
        members.append(Membership(code, When.of(start), When.of(until) if until else None))
    return {"EU": Bloc("EU", "EU", "s", tuple(members))}


@st.composite
def partnerships(draw, pid: str) -> Partnership:
    parties = draw(st.lists(st.sampled_from([*COUNTRIES, "EU"]), min_size=1, max_size=4, unique=True))
    signed = draw(DAYS)
    in_force = draw(st.none() | DAYS.filter(lambda d: d >= signed))
    start = in_force or signed
    ended = draw(st.none() | DAYS.filter(lambda d: d > start))
    return Partnership(
        id=pid,
        name=pid,
        kind=draw(st.sampled_from(KINDS)),
        parties=tuple(parties),
        signed=When.of(signed),
        binding=draw(st.sampled_from([True, False, None])),
        themes=tuple(draw(st.lists(st.sampled_from(THEMES), min_size=1, max_size=3, unique=True))),
        source="s",
        in_force=When.of(in_force) if in_force else None,
        ended=When.of(ended) if ended else None,
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
        rows.append(SegmentRow(route, origin, destination, 2016, flow, "m" if flow is not None else "", "s"))
    count = draw(st.integers(0, 6))
    return Dataset(
        path=Path("memory"),
        segments=tuple(rows),
        partnerships=tuple(draw(partnerships(f"p{i}")) for i in range(count)),
        blocs=MappingProxyType(draw(blocs())),
        countries=MappingProxyType({}),
    )


def gap_set(dataset: Dataset, **options) -> set[tuple[str, str]]:
    G = routes.build_graph(dataset, year=2016, **options)
    return {(u, v) for u, v, gap in G.edges(data="gap") if gap}


def with_partnership(dataset: Dataset, extra: Partnership) -> Dataset:
    return dataclasses.replace(dataset, partnerships=(*dataset.partnerships, extra))


@settings(max_examples=150, deadline=None)
@given(datasets(), DAYS)
def test_coverage_matches_a_naive_scan_of_every_partnership(dataset, day):
    G = routes.build_graph(dataset, year=2016, as_of=day)
    for origin, destination, data in G.edges(data=True):
        full, partial = set(), set()
        for p in dataset.partnerships:
            active = p.start.day <= day and (p.ended is None or day < p.ended.day)
            if not active:
                continue
            members = set()
            for party in p.parties:
                members |= dataset.blocs[party].members_on(day) if party in dataset.blocs else {party}
            ends = (origin in members) + (destination in members)
            if ends == 2:
                full.add(p.id)
            elif ends == 1:
                partial.add(p.id)
        assert data["partnerships"] == sorted(full)
        assert data["partial"] == sorted(partial)
        expected = "full" if full else "partial" if partial else "none"
        assert data["coverage"] == expected


@settings(max_examples=150, deadline=None)
@given(datasets(), partnerships("added"), st.sampled_from(routes.RULES))
def test_adding_a_partnership_never_adds_a_gap(dataset, extra, rule):
    assert gap_set(with_partnership(dataset, extra), rule=rule) <= gap_set(dataset, rule=rule)


@settings(max_examples=150, deadline=None)
@given(datasets())
def test_gaps_under_either_are_a_subset_of_gaps_under_both(dataset):
    assert gap_set(dataset, rule="either") <= gap_set(dataset, rule="both")


@settings(max_examples=150, deadline=None)
@given(datasets(), st.lists(st.sampled_from(THEMES), min_size=1, unique=True), st.sampled_from(routes.RULES))
def test_a_theme_filter_never_removes_a_gap(dataset, themes, rule):
    assert gap_set(dataset, rule=rule) <= gap_set(dataset, rule=rule, themes=themes)


@settings(max_examples=100, deadline=None)
@given(datasets(), st.lists(st.sampled_from(KINDS), min_size=1, unique=True), st.booleans())
def test_kind_and_binding_filters_never_remove_a_gap(dataset, kinds, binding_only):
    assert gap_set(dataset) <= gap_set(dataset, kinds=kinds, binding_only=binding_only)
    assert gap_set(dataset) <= gap_set(dataset, exclude_kinds=kinds)


@settings(max_examples=100, deadline=None)
@given(datasets())
def test_gaps_are_ranked_by_flow_with_unknown_last(dataset):
    flows = list(routes.gaps(dataset, year=2016)["flow"])
    known = [f for f in flows if f is not None and f == f]
    assert known == sorted(known, reverse=True)
    assert flows[: len(known)] == known
