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
from tests.conftest import ROOT

TINY = Size(countries=40, segments=80, partnerships=60, years=4)


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
