"""The coverage rules, one test per rule, on small hand-made data sets."""

from __future__ import annotations

import datetime as dt

import pytest

import routes
from routes.coverage import classify, counts, expand_parties, is_active, is_gap
from tests.conftest import partnership, segment, write_dataset


def graph(folder, **options):
    return routes.build_graph(routes.load(folder), **options)


@pytest.fixture
def one_segment(tmp_path):
    """A single segment LBY→ITA with a flow in 2016 and 2017."""

    def make(*partnerships, blocs=None, extra_segments=()):
        rows = [segment("Central", "LBY", "ITA", 2016, 100), segment("Central", "LBY", "ITA", 2017, 50)]
        return write_dataset(tmp_path / "ds", rows + list(extra_segments), list(partnerships), blocs)

    return make


# -- active on a date --------------------------------------------------------------------


def test_active_from_signature_day_inclusive(one_segment):
    folder = one_segment(partnership("p", ["LBY", "ITA"], signed="2016-06-01"))
    assert graph(folder, as_of="2016-05-31")["LBY"]["ITA"]["coverage"] == "none"
    assert graph(folder, as_of="2016-06-01")["LBY"]["ITA"]["coverage"] == "full"


def test_not_active_from_end_day(one_segment):
    folder = one_segment(partnership("p", ["LBY", "ITA"], signed="2010-01-01", ended="2016-06-01"))
    assert graph(folder, as_of="2016-05-31")["LBY"]["ITA"]["coverage"] == "full"
    assert graph(folder, as_of="2016-06-01")["LBY"]["ITA"]["coverage"] == "none"


def test_entry_into_force_counts_over_signature(one_segment):
    folder = one_segment(partnership("p", ["LBY", "ITA"], signed="2015-01-01", in_force="2016-07-01"))
    assert graph(folder, as_of="2016-06-30")["LBY"]["ITA"]["coverage"] == "none"
    assert graph(folder, as_of="2016-07-01")["LBY"]["ITA"]["coverage"] == "full"


def test_partial_date_stands_for_first_day(one_segment):
    folder = one_segment(partnership("p", ["LBY", "ITA"], signed="2016-07"))
    assert graph(folder, as_of="2016-06-30")["LBY"]["ITA"]["coverage"] == "none"
    assert graph(folder, as_of="2016-07-01")["LBY"]["ITA"]["coverage"] == "full"
    assert routes.load(folder).partnerships[0].signed.text == "2016-07"


# -- bloc expansion ----------------------------------------------------------------------


def test_bloc_membership_changes_over_time(tmp_path):
    folder = write_dataset(
        tmp_path / "ds",
        [segment("Channel", "FRA", "GBR", 2016, 10), segment("Channel", "FRA", "GBR", 2021, 20)],
        [partnership("eu-wide", ["EU", "MAR"], signed="2010-01-01")],
    )
    dataset = routes.load(folder)
    p = dataset.partnerships[0]
    assert "GBR" in expand_parties(p, dataset.blocs, dt.date(2016, 6, 1))
    assert "GBR" not in expand_parties(p, dataset.blocs, dt.date(2021, 1, 1))
    assert "GBR" in expand_parties(p, dataset.blocs, dt.date(2020, 1, 31))
    assert "GBR" not in expand_parties(p, dataset.blocs, dt.date(2020, 2, 1))
    assert graph(folder, year=2016)["FRA"]["GBR"]["coverage"] == "full"
    g2021 = graph(folder, year=2021)
    assert g2021["FRA"]["GBR"]["coverage"] == "partial"
    assert g2021["FRA"]["GBR"]["partial"] == ["eu-wide"]


def test_bloc_member_joining_later(tmp_path):
    blocs = {
        "EU": {
            "name": "EU",
            "source": "https://example.org",
            "members": [{"code": "ITA", "from": "1958-01-01"}, {"code": "HRV", "from": "2013-07-01"}],
        }
    }
    folder = write_dataset(
        tmp_path / "ds",
        [segment("Balkans", "BIH", "HRV", 2012, 1), segment("Balkans", "BIH", "HRV", 2014, 1)],
        [partnership("ra", ["EU", "BIH"], signed="2008-01-01")],
        blocs,
    )
    assert graph(folder, year=2012)["BIH"]["HRV"]["coverage"] == "partial"
    assert graph(folder, year=2014)["BIH"]["HRV"]["coverage"] == "full"


# -- full, partial, none -----------------------------------------------------------------


def test_full_when_both_ends_are_parties(one_segment):
    edge = graph(one_segment(partnership("p", ["ITA", "LBY", "TUN"])))["LBY"]["ITA"]
    assert (edge["coverage"], edge["partnerships"], edge["partial"]) == ("full", ["p"], [])


def test_partial_when_exactly_one_end_is_a_party(one_segment):
    edge = graph(one_segment(partnership("p", ["ITA", "TUN"])))["LBY"]["ITA"]
    assert (edge["coverage"], edge["partnerships"], edge["partial"]) == ("partial", [], ["p"])


def test_none_when_neither_end_is_a_party(one_segment):
    edge = graph(one_segment(partnership("p", ["TUN", "EGY"])))["LBY"]["ITA"]
    assert (edge["coverage"], edge["partnerships"], edge["partial"]) == ("none", [], [])


def test_full_wins_over_partial(one_segment):
    edge = graph(one_segment(partnership("a", ["ITA", "TUN"]), partnership("b", ["ITA", "LBY"])))["LBY"]["ITA"]
    assert (edge["coverage"], edge["partnerships"], edge["partial"]) == ("full", ["b"], ["a"])


def test_classify_and_is_gap():
    assert classify(["x"], ["y"]) == "full"
    assert classify([], ["y"]) == "partial"
    assert classify([], []) == "none"
    assert [is_gap(c, "both") for c in ("full", "partial", "none")] == [False, True, True]
    assert [is_gap(c, "either") for c in ("full", "partial", "none")] == [False, False, True]
    with pytest.raises(routes.SelectionError):
        is_gap("none", "neither")


# -- rules -------------------------------------------------------------------------------


def test_rule_both_counts_partial_as_gap_and_either_does_not(one_segment):
    folder = one_segment(partnership("p", ["ITA"]))
    assert graph(folder, rule="both")["LBY"]["ITA"]["gap"] is True
    assert graph(folder, rule="either")["LBY"]["ITA"]["gap"] is False
    assert len(routes.gaps(routes.load(folder), rule="both")) == 1
    assert len(routes.gaps(routes.load(folder), rule="either")) == 0


# -- filters -----------------------------------------------------------------------------


def test_theme_filter_needs_one_shared_theme(one_segment):
    folder = one_segment(partnership("p", ["ITA", "LBY"], themes=["border-management", "anti-smuggling"]))
    assert graph(folder, themes=["anti-smuggling", "visa"])["LBY"]["ITA"]["coverage"] == "full"
    assert graph(folder, themes=["legal-pathways"])["LBY"]["ITA"]["coverage"] == "none"


def test_kind_filter(one_segment):
    folder = one_segment(partnership("p", ["ITA", "LBY"], kind="mou"))
    assert graph(folder, kinds=["mou"])["LBY"]["ITA"]["coverage"] == "full"
    assert graph(folder, kinds=["readmission-agreement"])["LBY"]["ITA"]["coverage"] == "none"


def test_excluded_kinds_do_not_count(one_segment):
    folder = one_segment(partnership("d", ["ITA", "LBY"], kind="dialogue"), partnership("m", ["ITA"], kind="mou"))
    edge = graph(folder, exclude_kinds=["dialogue"])["LBY"]["ITA"]
    assert (edge["coverage"], edge["partial"]) == ("partial", ["m"])
    assert graph(folder)["LBY"]["ITA"]["coverage"] == "full"


def test_binding_only_counts_true_not_false_or_unknown(one_segment):
    folder = one_segment(
        partnership("yes", ["ITA", "LBY"], binding=True),
        partnership("no", ["ITA", "LBY"], binding=False),
        partnership("unknown", ["ITA", "LBY"], binding=None),
    )
    assert graph(folder, binding_only=True)["LBY"]["ITA"]["partnerships"] == ["yes"]
    assert graph(folder)["LBY"]["ITA"]["partnerships"] == ["no", "unknown", "yes"]


def test_counts_filter_function():
    from routes._validate import When
    from routes.dataset import Partnership

    mou = Partnership("m", "M", "mou", ("ITA",), When.of(dt.date(2000, 1, 1)), None, ("visa",), "s")
    assert counts(mou)
    assert counts(mou, themes=["visa", "protection"])
    assert not counts(mou, themes=["protection"])
    assert not counts(mou, kinds=["camm"])
    assert not counts(mou, binding_only=True)
    assert is_active(mou, dt.date(2000, 1, 1)) and not is_active(mou, dt.date(1999, 12, 31))


def test_unknown_filter_values_are_selection_errors(one_segment):
    dataset = routes.load(one_segment())
    bad = ({"themes": ["vsia"]}, {"kinds": ["treatyy"]}, {"exclude_kinds": ["x"]}, {"rule": "any"}, {"routes": ["C"]})
    for options in bad:
        with pytest.raises(routes.SelectionError):
            routes.build_graph(dataset, **options)


# -- year and as-of defaults -------------------------------------------------------------


def test_year_defaults_to_latest_with_flows_and_as_of_to_its_last_day(one_segment):
    G = graph(one_segment())
    assert G.graph["year"] == 2017
    assert G.graph["as_of"] == "2017-12-31"
    assert G["LBY"]["ITA"]["flow"] == 50


def test_as_of_defaults_to_today_without_flows(tmp_path):
    folder = write_dataset(tmp_path / "ds", [segment("R", "LBY", "ITA")], [partnership("p", ["ITA"])])
    G = graph(folder)
    assert G.graph["year"] is None
    assert G.graph["as_of"] == dt.date.today().isoformat()
    assert G["LBY"]["ITA"]["flow"] is None


def test_explicit_as_of_overrides_year_end(one_segment):
    folder = one_segment(partnership("p", ["LBY", "ITA"], signed="2016-06-01"))
    G = graph(folder, year=2016, as_of="2016-03-01")
    assert (G.graph["year"], G.graph["as_of"]) == (2016, "2016-03-01")
    assert G["LBY"]["ITA"]["flow"] == 100 and G["LBY"]["ITA"]["coverage"] == "none"


# -- flows -------------------------------------------------------------------------------


def test_unknown_flow_is_none_never_zero(tmp_path):
    folder = write_dataset(
        tmp_path / "ds",
        [segment("R", "NER", "LBY", 2016, ""), segment("R", "LBY", "ITA", 2016, 0), segment("R", "TUN", "ITA")],
        [],
    )
    G = graph(folder, year=2016)
    assert G["NER"]["LBY"]["flow"] is None
    assert G["LBY"]["ITA"]["flow"] == 0
    assert G["TUN"]["ITA"]["flow"] is None
    df = routes.gaps(G)
    assert list(df["origin"]) == ["LBY", "NER", "TUN"]  # known flows first, unknown last


def test_flow_sums_rows_of_the_year_across_routes(tmp_path):
    folder = write_dataset(
        tmp_path / "ds",
        [
            segment("A", "TUR", "GRC", 2016, 10),
            segment("B", "TUR", "GRC", 2016, 5),
            segment("B", "TUR", "GRC", 2017, 7),
            segment("C", "TUR", "GRC"),
        ],
        [],
    )
    edge = graph(folder, year=2016)["TUR"]["GRC"]
    assert edge["flow"] == 15
    assert edge["routes"] == ["A", "B", "C"]
    assert edge["flow_by_route"] == {"A": 10, "B": 5, "C": None}
    assert graph(folder, year=2016, routes=["B"])["TUR"]["GRC"]["flow"] == 5


def test_graph_records_selection_and_node_positions(tiny):
    G = routes.build_graph(routes.load(tiny), year=2016, themes=["protection"], binding_only=False)
    assert G.graph["themes"] == ["protection"]
    assert G.graph["rule"] == "both"
    assert set(G.graph["partnerships"]) == {"eu-tur-statement"}
    assert G.nodes["ITA"]["name"] == "Italy"
    assert (G.nodes["ITA"]["x"], G.nodes["ITA"]["y"]) == (12.5, 42.8)
    assert G.nodes["TUR"]["partnerships"] == ["eu-tur-statement"]


# -- summary and whole-route view --------------------------------------------------------


def test_route_summary_shares(tiny):
    G = routes.build_graph(routes.load(tiny), year=2016)
    rows = {r["route"]: r for r in routes.summary_records(G)}
    central = rows["Central"]
    assert (central["segments"], central["gaps"]) == (3, 3)
    assert (central["known_flow"], central["gap_flow"], central["gap_flow_share"]) == (1100, 1100, 1.0)
    assert (central["unknown_flow_segments"], central["unknown_flow_gaps"]) == (1, 1)
    eastern = rows["Eastern"]
    # TUR→GRC is covered by the EU-Turkey Statement, GRC→MKD by the readmission agreement.
    assert (eastern["segments"], eastern["gaps"], eastern["gap_share"]) == (4, 2, 0.5)
    assert (eastern["known_flow"], eastern["gap_flow"], eastern["gap_flow_share"]) == (1100, 0, 0.0)
    df = routes.route_summary(G)
    assert df.loc["Eastern", "gaps"] == 2


def test_whole_route_paths_and_break_points(tiny):
    G = routes.build_graph(routes.load(tiny), year=2016)
    by_route = {r["route"]: r for r in routes.path_records(G)}
    central = by_route["Central"]
    assert central["origins"] == ["NER", "TUN"] and central["ends"] == ["ITA"]
    assert central["paths"] == [
        {"countries": ["NER", "LBY", "ITA"], "break_points": [["NER", "LBY"], ["LBY", "ITA"]]},
        {"countries": ["TUN", "ITA"], "break_points": [["TUN", "ITA"]]},
    ]
    eastern = by_route["Eastern"]["paths"]
    assert eastern == [
        {"countries": ["AFG", "IRN", "TUR", "GRC", "MKD"], "break_points": [["AFG", "IRN"], ["IRN", "TUR"]]}
    ]


def test_graph_to_gdfs(tiny):
    G = routes.build_graph(routes.load(tiny), year=2016)
    nodes, edges = routes.graph_to_gdfs(G)
    assert nodes.crs.to_epsg() == 4326 and edges.crs.to_epsg() == 4326
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    assert nodes.loc["ITA"].geometry.x == 12.5
    line = edges.loc[("LBY", "ITA")].geometry
    assert list(line.coords) == [(17.2, 26.3), (12.5, 42.8)]
    assert edges.loc[("LBY", "ITA"), "coverage"] == "partial"


def test_build_graph_does_not_mutate_dataset(tiny):
    dataset = routes.load(tiny)
    before = (dataset.segments, dataset.partnerships, dict(dataset.blocs))
    routes.build_graph(dataset, year=2016, themes=["visa"])
    assert (dataset.segments, dataset.partnerships, dict(dataset.blocs)) == before
    with pytest.raises(TypeError):
        dataset.blocs["X"] = None  # type: ignore[index]
