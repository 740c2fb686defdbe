"""The benchmarks' synthetic world generator and naive baseline (fast: a tiny world only)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

import routes
from benchmarks.naive import disagreements, naive_coverage
from benchmarks.synthetic import Size, generate
from routes.cli import main
from tests.conftest import ROOT, assert_over_time_matches_a_graph_per_year

TINY = Size(countries=40, segments=80, partnerships=60, years=4)
#: A small admin-1 world: regions as nodes (as the admin1-* benchmark sizes, 5,000 regions, have).
REGIONS = Size(countries=300, segments=2_000, partnerships=400, years=4, level="admin1")


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("world"), TINY, seed=7)


def test_same_seed_gives_byte_identical_files(world: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", TINY, seed=7)
    assert files(again) == files(world)
    # In another process with another hash seed too: nothing may depend on set or dict order.
    other = tmp_path / "other"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    sizes = ["--countries", "40", "--segments", "80", "--partnerships", "60", "--years", "4"]
    command = [
        sys.executable,
        "-m",
        "benchmarks.synthetic",
        "--size",
        "tiny",
        *sizes,
        "--seed",
        "7",
        "--out",
        str(other),
    ]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    assert files(other) == files(world)
    assert files(generate(tmp_path / "seed8", TINY, seed=8)) != files(world)


def test_tiny_world_validates_and_has_the_asked_sizes(world: Path) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["validate", "--data", str(world)])
    assert result.exit_code == 0, result.output
    dataset = routes.load(world)
    assert len({(r.route, r.origin, r.destination) for r in dataset.segments}) == TINY.segments
    assert len(dataset.partnerships) == TINY.partnerships
    assert dataset.years == tuple(range(2021, 2025))
    assert any(r.year is not None and r.flow is None for r in dataset.segments)  # some flows are unknown
    assert dataset.groups["EU"].internal
    assert len({c for r in dataset.segments for c in (r.origin, r.destination)}) <= TINY.countries


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"min_tier": "forum"},
        {"themes": ["visa", "protection"], "exclude_kinds": ["dialogue"]},
        {"binding_only": True},
    ],
)
def test_naive_baseline_agrees_with_build_graph(world: Path, options: dict) -> None:
    dataset = routes.load(world)
    for year in dataset.years:
        G = routes.build_graph(dataset, year=year, **options)
        naive = naive_coverage(dataset, dt.date.fromisoformat(G.graph["as_of"]), **options)
        assert len(naive) == G.number_of_edges()
        assert disagreements(G, naive) == []


@pytest.fixture(scope="module")
def regions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("regions"), REGIONS, seed=3)


def test_admin1_world_is_byte_identical_for_a_seed_and_another_hash_seed(regions: Path, tmp_path: Path) -> None:
    assert files(generate(tmp_path / "again", REGIONS, seed=3)) == files(regions)
    other = tmp_path / "other"
    sizes = ["--countries", "300", "--segments", "2000", "--partnerships", "400", "--years", "4"]
    command = [sys.executable, "-m", "benchmarks.synthetic", "--size", "admin1-tiny", *sizes, "--seed", "3"]
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    subprocess.run([*command, "--out", str(other)], cwd=ROOT, env=env, check=True, capture_output=True)
    assert files(other) == files(regions)
    assert files(generate(tmp_path / "seed4", REGIONS, seed=4)) != files(regions)


def test_admin1_world_validates_with_regions_that_are_no_countries(regions: Path) -> None:
    from click.testing import CliRunner

    from routes.countries import iso_name

    result = CliRunner().invoke(main, ["validate", "--data", str(regions)])
    assert result.exit_code == 0, result.output
    dataset = routes.load(regions)
    assert len({(r.route, r.origin, r.destination) for r in dataset.segments}) == REGIONS.segments
    assert len(dataset.partnerships) == REGIONS.partnerships
    used = {c for r in dataset.segments for c in (r.origin, r.destination)}
    assert len(used) <= REGIONS.countries
    assert all(len(code) == 3 and code.isupper() and iso_name(code) is None for code in used)
    assert not used & set(dataset.groups)
    assert all(dataset.countries[code].lon is not None for code in used)  # every region has a position
    eu = dataset.groups["EU"]
    assert eu.internal and len(eu.ever) > 10 and all(iso_name(code) is None for code in eu.ever)
    dialogues = [g for code, g in dataset.groups.items() if code != "EU"]
    assert dialogues and all(not g.internal and 30 <= len(g.ever) <= 60 for g in dialogues)
    parties = [p.parties for p in dataset.partnerships]
    assert any(len(ps) == 1 and ps[0] in dataset.groups for ps in parties)  # dialogue-wide instruments
    assert any("EU" in ps and len(ps) == 2 for ps in parties)
    assert any(len(ps) >= 30 for ps in parties)
    assert any(p.participants for p in dataset.partnerships)
    assert any(p.suspended for p in dataset.partnerships)
    assert any(p.ended for p in dataset.partnerships)
    assert any(p.tier for p in dataset.partnerships)
    rows_per_segment = len(dataset.segments) / REGIONS.segments
    assert 1 < rows_per_segment < 1 + REGIONS.years  # a declaring row and flows in part of the years


@pytest.mark.parametrize("options", [{}, {"binding_only": True}])  # {} compares every joining instrument
def test_naive_baseline_agrees_with_build_graph_on_the_admin1_world(regions: Path, options: dict) -> None:
    dataset = routes.load(regions)
    year = dataset.years[-1]
    G = routes.build_graph(dataset, year=year, **options)
    naive = naive_coverage(dataset, dt.date.fromisoformat(G.graph["as_of"]), **options)
    assert len(naive) == G.number_of_edges()
    assert disagreements(G, naive) == []


@pytest.mark.parametrize(
    "options, two_routes",
    [
        ({}, False),
        ({"min_tier": "forum"}, False),
        ({"min_tier": "operational", "exclude_kinds": ["dialogue"]}, True),
        ({"themes": ["visa", "protection"], "binding_only": True}, False),
    ],
)
def test_the_report_in_one_pass_agrees_with_a_graph_per_year_and_per_theme(
    world: Path, options: dict, two_routes: bool
) -> None:
    """What the first report did with a whole graph per year and per theme, done that way again."""
    from routes._validate import THEMES
    from routes.report import build_report

    dataset = routes.load(world)
    if two_routes:
        options = {**options, "routes": tuple(sorted(dataset.route_names)[:2])}
    year = dataset.years[-2]
    report = build_report(dataset, year=year, **options)

    assert_over_time_matches_a_graph_per_year(dataset, report["over_time"], options)

    # The balanced toolbox: one graph per theme, the selection's own theme filter set aside.
    per_theme = {k: v for k, v in options.items() if k != "themes"}
    theme_graphs = {t: routes.build_graph(dataset, year=year, themes=[t], **per_theme) for t in THEMES}
    G = report["graph"]
    judged = [(u, v) for u, v, d in G.edges(data=True) if not d["internal"]]
    themes = {e: {t for t, g in theme_graphs.items() if not g.edges[e]["gap"]} for e in judged}

    def label(found: set[str]) -> str:
        has_return, has_legal = "return-readmission" in found, "legal-pathways" in found
        if has_return and has_legal:
            return "both"
        return "return only" if has_return else "legal pathways only" if has_legal else "neither"

    thematic = report["thematic"]
    counts = {label: 0 for label in ("both", "return only", "legal pathways only", "neither")}
    for edge in judged:
        counts[label(themes[edge])] += 1
    assert {c["toolbox"]: c["segments"] for c in thematic["counts"]} == counts
    assert sorted((r["origin"], r["destination"]) for r in thematic["return_without_legal"]) == sorted(
        e for e in judged if label(themes[e]) == "return only"
    )
    for share in thematic["flow_share_by_theme"]:
        flows = [
            (G.edges[e]["flow_by_route"].get(share["route"]), themes[e])
            for e in judged
            if G.edges[e]["flow_by_route"].get(share["route"]) is not None
        ]
        known = sum(f for f, _ in flows)
        assert share["known_flow"] == known
        for theme in THEMES:
            covered = sum(f for f, found in flows if theme in found)
            assert share[theme] == (covered / known if known else None)
    assert any(counts[k] for k in ("both", "return only", "legal pathways only"))  # the check is not vacuous
