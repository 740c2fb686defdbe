"""The bundled data set: valid, sourced, complete enough to matter, and read by the rules as an analyst would."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter

import pytest
import yaml
from click.testing import CliRunner

import routes
from routes.cli import main
from routes.coverage import expand_parties
from routes.recommend import recommend
from tests.conftest import ROOT

DATA = ROOT / "data"
YEARS = range(2015, 2025)
URL = re.compile(r"https?://", re.IGNORECASE)

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


def test_every_source_field_holds_sources_one_by_one():
    """No source joins two URLs into one string (it would make one broken link)."""
    found = []
    for name in ("segments.csv", "route_flows.csv"):
        with open(DATA / name, encoding="utf-8") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                found += [(name, line, s) for s in row["source"].split(" ; ")]
    for entry in yaml.safe_load((DATA / "partnerships.yaml").read_text(encoding="utf-8")):
        sources = entry["source"] if isinstance(entry["source"], list) else [entry["source"]]
        found += [("partnerships.yaml", entry["id"], s) for s in sources]
    for code, group in yaml.safe_load((DATA / "blocs.yaml").read_text(encoding="utf-8")).items():
        sources = group["source"] if isinstance(group["source"], list) else [group["source"]]
        found += [("blocs.yaml", code, s) for s in sources]
    joined = [f for f in found if len(URL.findall(str(f[2]))) > 1]
    assert joined == []
    assert all(URL.match(str(s)) for name, _, s in found if name == "partnerships.yaml")


def test_every_segment_row_has_a_source_and_honest_flows():
    with open(DATA / "segments.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for line, row in enumerate(rows, start=2):
        assert row["source"].strip(), f"segments.csv line {line} has no source"
        if row["flow"].strip():
            assert row["year"].strip() and row["measure"].strip(), f"line {line}: a flow needs a year and a measure"


def test_the_data_set_targets(dataset):
    """At least 100 segment rows with a flow, 110 instruments, route totals 2015-2024 for every route."""
    assert set(dataset.route_names) == ROUTES
    flows = [r for r in dataset.segments if r.flow is not None]
    assert len(flows) >= 100
    years = {route: {r.year for r in flows if r.route == route} for route in ROUTES}
    # Every route has segment flows in at least three years (the Western African route from single
    # statements before 2024: data/README.md).
    assert {route for route, ys in years.items() if len(ys) < 3} == set()
    assert len(dataset.partnerships) >= 110
    totals = {(r.route, r.year) for r in dataset.route_flows}
    assert totals == {(route, year) for route in ROUTES for year in YEARS}  # known or said to be unknown
    known = {(r.route, r.year) for r in dataset.route_flows if r.flow is not None}
    for route in ROUTES:  # Frontex has counted exits towards the UK only since 2021/22
        assert sum((route, year) in known for year in YEARS) >= (2 if route == "Channel" else 6), route
    # The Frontex Risk Analyses give every route from 2015 to 2020, but the Channel (not a Frontex route then).
    assert {(route, year) for route in ROUTES - {"Channel"} for year in range(2015, 2021)} <= known


def test_required_instruments_are_present(dataset):
    kinds = Counter(p.kind for p in dataset.partnerships)
    assert kinds["mobility-partnership"] == 9
    assert kinds["camm"] == 3
    assert kinds["talent-partnership"] >= 5
    assert kinds["framework"] >= 5  # the 2016 Partnership Framework priority countries: not signed compacts
    mps = [p for p in dataset.partnerships if p.kind == "mobility-partnership"]
    assert all(4 <= len(p.participants) <= 16 for p in mps)
    eu_ras = [p for p in dataset.partnerships if p.kind == "readmission-agreement" and "EU" in p.parties]
    assert len(eu_ras) == 18
    assert all(p.binding is True for p in eu_ras)
    assert "visa" in dataset.partnership("eu-ra-ukr-2007").themes
    assert dataset.partnership("uk-rwa-mou-2022").binding is False
    for code in ("jor", "lbn"):
        assert dataset.partnership(f"eu-compact-{code}-2016").kind == "compact"
    swiss = [p for p in dataset.partnerships if p.kind == "migration-partnership" and "CHE" in p.parties]
    assert len(swiss) == 8
    for code in ("RABAT", "KHARTOUM", "PRAGUE", "BUDAPEST"):
        assert code in dataset.groups and not dataset.groups[code].internal
        assert any(p.parties == (code,) and p.kind == "dialogue" for p in dataset.partnerships)
    assert dataset.groups["EU"].internal


def test_suspensions_and_dated_memberships_are_data(dataset):
    belarus = dataset.partnership("eu-ra-blr-2020")
    assert belarus.suspended and belarus.ended is None
    G = routes.build_graph(dataset, year=2020)
    assert "eu-ra-blr-2020" in G.edges["BLR", "POL"]["partnerships"]
    assert "eu-ra-blr-2020" not in routes.build_graph(dataset, year=2022).edges["BLR", "POL"]["partnerships"]
    rabat = dataset.groups["RABAT"]
    assert "GBR" in rabat.members_on(dt.date(2015, 1, 1)) and "GBR" not in rabat.members_on(dt.date(2021, 1, 1))
    assert "LBY" in rabat.members_on(dt.date(2013, 1, 1)) and "LBY" not in rabat.members_on(dt.date(2016, 1, 1))


def test_eu_membership_follows_brexit(dataset):
    statement = dataset.partnership("eu-tur-statement-2016")
    assert "GBR" in expand_parties(statement, dataset.groups, dt.date(2016, 6, 1))[0]
    assert "GBR" not in expand_parties(statement, dataset.groups, dt.date(2021, 1, 1))[0]


def test_no_eu_instrument_joins_two_member_states(dataset):
    for year in YEARS:
        day = dt.date(year, 12, 31)
        members = dataset.groups["EU"].members_on(day)
        G = routes.build_graph(dataset, year=year)
        for u, v, d in G.edges(data=True):
            if {u, v} <= members:
                assert d["internal"] and not d["gap"]
                assert not [pid for pid in d["partnerships"] if "EU" in dataset.partnership(pid).parties]


def test_no_segment_is_covered_by_a_dialogue_alone_unless_forum_counts(dataset):
    for year in (2015, 2020, 2024):
        G = routes.build_graph(dataset, year=year)
        forum_only = 0
        for _, _, d in G.edges(data=True):
            if d["internal"]:
                continue
            kinds = {dataset.partnership(pid).kind for pid in d["partnerships"]}
            if kinds == {"dialogue"}:
                forum_only += 1
                assert d["gap"] and d["tier"] == "forum"
        assert forum_only > 0
        loose = routes.build_graph(dataset, year=year, min_tier="forum")
        assert all(not d["gap"] for _, _, d in loose.edges(data=True) if d["tier"] == "forum")


def test_the_year_switch_shows_real_change(dataset):
    def gap_set(year: int) -> set[tuple[str, str]]:
        return {(r["origin"], r["destination"]) for r in routes.gap_records(routes.build_graph(dataset, year=year))}

    assert gap_set(2015) != gap_set(2024)
    assert ("LBY", "MLT") in gap_set(2015) - gap_set(2024)  # the Malta–Libya MoU of 2020
    assert ("BEL", "GBR") in gap_set(2024) - gap_set(2015)  # internal to the EU before Brexit


def test_brexit_makes_the_channel_a_judged_crossing(dataset):
    before = routes.build_graph(dataset, year=2016, routes=["Channel"])
    after = routes.build_graph(dataset, year=2023, routes=["Channel"])
    assert before.edges["FRA", "GBR"]["internal"] and before.edges["BEL", "GBR"]["internal"]
    assert after.edges["FRA", "GBR"]["tier"] == "binding"  # the Sandhurst Treaty
    assert after.edges["BEL", "GBR"]["gap"]


def test_western_sahara_is_not_joined_by_moroccan_instruments(dataset):
    G = routes.build_graph(dataset, year=2024)
    assert G.edges["ESH", "ESP"]["partnerships"] == {}
    assert G.edges["MAR", "ESP"]["tier"] == "binding"


def test_recommendations_never_widen_a_bilateral_instrument(dataset):
    for min_tier in ("forum", "political", "operational"):
        G = routes.build_graph(dataset, min_tier=min_tier)
        for pick in recommend(G, dataset, max_actions=15):
            if pick["partnership"] is not None:
                p = dataset.partnership(pick["partnership"])
                groups = [party for party in p.parties if party in dataset.groups]
                assert pick["action"] == "raise-tier" or groups, pick["description"]
            if pick["action"] == "add-member":
                assert not dataset.groups[pick["group"]].internal and pick["group"] != "OACPS"


def test_small_states_on_the_routes_have_shapes_and_nodes(dataset):
    shapes = json.loads((DATA / "countries.geojson").read_text(encoding="utf-8"))
    codes = {f["properties"]["code"] for f in shapes["features"]}
    for code in ("MLT", "CPV", "CYP", "XKX", "ESH"):
        assert code in codes
        assert dataset.countries[code].lon is not None


def test_uncertainty_is_carried_to_the_quality_view():
    result = CliRunner().invoke(main, ["validate", "--quality", "--format", "json"])
    report = json.loads(result.output)
    assert report["segments_without_flow"]
    uncertain = {p["id"] for p in report["uncertain_partnerships"]}
    assert {"eu-ra-blr-2020", "budapest-process"} <= uncertain
    assert report["secondary"]["segments.csv"] and report["secondary"]["partnerships"]
    central = next(r for r in report["coverage_by_route"] if r["route"] == "Central Mediterranean")
    assert all(y["route_total"] for y in central["years"])
    text = CliRunner().invoke(main, ["validate", "--quality"]).output
    assert "T = route total known" in text and "Resting only on secondary sources" in text
