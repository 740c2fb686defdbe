"""The bundled data set: valid, sourced, complete enough to matter, and honest."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter

import pytest
import yaml
from click.testing import CliRunner

import routes
from routes.cli import main
from routes.coverage import expand_parties
from tests.conftest import ROOT

DATA = ROOT / "data"

ROUTES = {
    "Central Mediterranean",
    "Eastern Mediterranean",
    "Western Mediterranean",
    "Western African",
    "Western Balkans",
    "Eastern land borders",
    "Channel",
    "Black Sea",
}


@pytest.fixture(scope="module")
def dataset() -> routes.Dataset:
    return routes.load(DATA)


def test_bundled_data_validates_clean(dataset):
    assert dataset.path == DATA
    assert dataset.warnings == ()
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.stderr
    assert "OK" in result.output


def test_every_segment_row_has_a_source_and_honest_flows():
    with open(DATA / "segments.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for line, row in enumerate(rows, start=2):
        assert row["source"].strip(), f"segments.csv line {line} has no source"
        if row["flow"].strip():
            assert row["year"].strip() and row["measure"].strip(), f"line {line}: a flow needs a year and a measure"


def test_every_partnership_has_a_source_url():
    entries = yaml.safe_load((DATA / "partnerships.yaml").read_text(encoding="utf-8"))
    assert len(entries) >= 60
    for entry in entries:
        assert str(entry.get("source", "")).startswith(("http://", "https://")), entry["id"]


def test_all_eight_frontex_routes(dataset):
    assert set(dataset.route_names) == ROUTES


def test_required_instruments_are_present(dataset):
    kinds = Counter(p.kind for p in dataset.partnerships)
    assert kinds["mobility-partnership"] == 9
    assert kinds["camm"] == 3
    assert kinds["talent-partnership"] >= 5
    eu_ras = [p for p in dataset.partnerships if p.kind == "readmission-agreement" and "EU" in p.parties]
    assert len(eu_ras) == 18
    assert all(p.in_force is not None and p.binding is True for p in eu_ras)
    swiss = [p for p in dataset.partnerships if p.kind == "migration-partnership" and "CHE" in p.parties]
    assert len(swiss) == 8
    names = " ".join(p.name for p in dataset.partnerships)
    for process in ("Rabat", "Khartoum", "Prague", "Budapest"):
        assert f"{process} Process" in names
    belarus = dataset.partnership("eu-ra-blr-2020")
    assert belarus.ended is not None  # suspended by Belarus in 2021


def test_eu_membership_follows_brexit(dataset):
    statement = dataset.partnership("eu-tur-statement-2016")
    assert "GBR" in expand_parties(statement, dataset.blocs, dt.date(2016, 6, 1))
    assert "GBR" not in expand_parties(statement, dataset.blocs, dt.date(2021, 1, 1))


def test_small_states_on_the_routes_have_shapes_and_nodes(dataset):
    shapes = json.loads((DATA / "countries.geojson").read_text(encoding="utf-8"))
    codes = {f["properties"]["code"] for f in shapes["features"]}
    for code in ("MLT", "CPV", "CYP", "XKX"):
        assert code in codes
        assert dataset.countries[code].lon is not None


def test_the_eu_turkey_statement_closes_the_aegean_gap_on_protection(dataset):
    options = {"themes": ["protection"], "exclude_kinds": ["dialogue"], "routes": ["Eastern Mediterranean"]}
    gaps_2015 = routes.gaps(dataset, year=2015, **options)
    gaps_2016 = routes.gaps(dataset, year=2016, **options)
    aegean_2015 = gaps_2015[(gaps_2015.origin == "TUR") & (gaps_2015.destination == "GRC")]
    assert len(aegean_2015) == 1 and aegean_2015.flow.iloc[0] > 800_000
    assert not ((gaps_2016.origin == "TUR") & (gaps_2016.destination == "GRC")).any()


def test_brexit_opens_a_channel_gap(dataset):
    options = {"exclude_kinds": ["dialogue"], "routes": ["Channel"]}
    before = {(r.origin, r.destination) for r in routes.gaps(dataset, year=2016, **options).itertuples()}
    after = {(r.origin, r.destination) for r in routes.gaps(dataset, year=2023, **options).itertuples()}
    assert ("BEL", "GBR") in after - before


def test_uncertainty_is_carried_to_the_quality_view():
    result = CliRunner().invoke(main, ["validate", "--quality", "--format", "json"])
    report = json.loads(result.output)
    assert report["segments_without_flow"]
    uncertain = {p["id"] for p in report["uncertain_partnerships"]}
    assert {"eu-tur-statement-2016", "budapest-process"} <= uncertain
