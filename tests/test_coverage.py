"""The coverage rules, one test per rule, on small hand-made data sets whose answers are worked out by hand."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

import routes
from routes._validate import When
from routes.coverage import (
    counts,
    expand_parties,
    gap_reason,
    instrument_tier,
    is_active,
    is_gap,
    joins,
)
from routes.dataset import Partnership, Period
from tests.conftest import EU_BLOC, partnership, segment, write_dataset


def graph(folder, **options):
    return routes.build_graph(routes.load(folder), **options)


def edge(folder, origin="LBY", destination="ITA", **options):
    return graph(folder, **options)[origin][destination]


@pytest.fixture
def one_segment(tmp_path):
    """A single segment LBY→ITA with a flow in 2016 and 2017, plus any extra segments."""

    def make(*partnerships, blocs=None, extra_segments=()):
        rows = [segment("Central", "LBY", "ITA", 2016, 100), segment("Central", "LBY", "ITA", 2017, 50)]
        return write_dataset(tmp_path / "ds", rows + list(extra_segments), list(partnerships), blocs)

    return make


def groups(**extra):
    """The EU (internal) plus other groups given as code → [(country, from, until)]."""
    out = copy.deepcopy(EU_BLOC)
    for code, members in extra.items():
        out[code] = {
            "name": code.title(),
            "source": "https://example.org/group",
            "members": [{"code": c, "from": f, **({"until": u} if u else {})} for c, f, u in members],
        }
    return out


# -- rule 1: active on a day ---------------------------------------------------------------


def test_active_from_signature_day_inclusive(one_segment):
    folder = one_segment(partnership("p", ["LBY", "ITA"], signed="2016-06-01"))
    assert edge(folder, as_of="2016-05-31")["tier"] == "none"
    assert edge(folder, as_of="2016-06-01")["tier"] == "operational"


def test_not_active_from_end_day(one_segment):
    folder = one_segment(partnership("p", ["LBY", "ITA"], signed="2010-01-01", ended="2016-06-01"))
    assert edge(folder, as_of="2016-05-31")["tier"] == "operational"
    assert edge(folder, as_of="2016-06-01")["tier"] == "none"


def test_entry_into_force_counts_over_signature(one_segment):
    folder = one_segment(partnership("p", ["LBY", "ITA"], signed="2015-01-01", in_force="2016-07-01"))
    assert edge(folder, as_of="2016-06-30")["gap"] is True
    assert edge(folder, as_of="2016-07-01")["gap"] is False


def test_partial_date_stands_for_first_day(one_segment):
    folder = one_segment(partnership("p", ["LBY", "ITA"], signed="2016-07"))
    assert edge(folder, as_of="2016-06-30")["tier"] == "none"
    assert edge(folder, as_of="2016-07-01")["tier"] == "operational"
    assert routes.load(folder).partnerships[0].signed.text == "2016-07"


def test_not_active_while_suspended(one_segment):
    suspended = [{"from": "2016-03-01", "until": "2016-09-01"}, {"from": "2017-06-01"}]
    folder = one_segment(partnership("p", ["LBY", "ITA"], signed="2010-01-01", suspended=suspended))
    tiers = {day: edge(folder, as_of=day)["tier"] for day in ("2016-02-29", "2016-03-01", "2016-08-31")}
    assert tiers == {"2016-02-29": "operational", "2016-03-01": "none", "2016-08-31": "none"}
    assert edge(folder, as_of="2016-09-01")["tier"] == "operational"  # until is exclusive
    assert edge(folder, as_of="2017-05-31")["tier"] == "operational"
    assert edge(folder, as_of="2025-01-01")["tier"] == "none"  # open-ended suspension


def test_is_active_function():
    p = Partnership(
        "p",
        "P",
        "mou",
        ("ITA", "LBY"),
        When.of(dt.date(2000, 1, 1)),
        None,
        ("visa",),
        ("s",),
        suspended=(Period(When.of(dt.date(2001, 1, 1)), When.of(dt.date(2002, 1, 1))),),
    )
    assert [is_active(p, dt.date(y, 6, 1)) for y in (1999, 2000, 2001, 2002)] == [False, True, False, True]


# -- rule 2: expansion of group parties -----------------------------------------------------


def test_group_membership_changes_over_time(tmp_path):
    folder = write_dataset(
        tmp_path / "ds",
        [segment("Channel", "MAR", "GBR", 2016, 10), segment("Channel", "MAR", "GBR", 2021, 20)],
        [partnership("eu-wide", ["EU", "MAR"], signed="2010-01-01")],
    )
    dataset = routes.load(folder)
    p = dataset.partnerships[0]
    assert "GBR" in expand_parties(p, dataset.groups, dt.date(2020, 1, 31))[0]
    assert "GBR" not in expand_parties(p, dataset.groups, dt.date(2020, 2, 1))[0]
    assert edge(folder, "MAR", "GBR", year=2016)["tier"] == "operational"
    assert edge(folder, "MAR", "GBR", year=2021)["tier"] == "none"


def test_participants_restrict_the_group_party(tmp_path):
    # A Mobility Partnership signed by France and Spain only: Morocco is joined with them, not with Italy.
    rows = [segment("W", "MAR", dest, 2016, 1) for dest in ("FRA", "ESP", "ITA")]
    folder = write_dataset(
        tmp_path / "ds",
        rows,
        [partnership("mp", ["EU", "MAR"], kind="mobility-partnership", participants=["FRA", "ESP"])],
    )
    G = graph(folder, year=2016)
    assert [G["MAR"][d]["tier"] for d in ("FRA", "ESP", "ITA")] == ["operational", "operational", "none"]


def test_participants_stand_only_while_members(tmp_path):
    # The UK signed in 2013; after it left the EU, the instrument no longer joins it.
    rows = [segment("C", "MAR", "GBR", 2016, 1), segment("C", "MAR", "GBR", 2021, 1)]
    folder = write_dataset(
        tmp_path / "ds", rows, [partnership("mp", ["EU", "MAR"], signed="2013-06-07", participants=["GBR", "FRA"])]
    )
    assert edge(folder, "MAR", "GBR", year=2016)["gap"] is False
    assert edge(folder, "MAR", "GBR", year=2021)["gap"] is True


def test_participants_restrict_only_the_groups_they_name(tmp_path):
    # EU–OACPS agreement: participants name the OACPS states that are party; the EU side stays whole.
    blocs = groups(OACPS=[("SEN", "1975-06-06", None), ("CUB", "2000-12-14", None)])
    rows = [segment("A", "SEN", "FRA", 2016, 1), segment("A", "CUB", "FRA", 2016, 1)]
    folder = write_dataset(tmp_path / "ds", rows, [partnership("c", ["EU", "OACPS"], participants=["SEN"])], blocs)
    G = graph(folder, year=2016)
    assert (G["SEN"]["FRA"]["gap"], G["CUB"]["FRA"]["gap"]) == (False, True)


# -- rule 3: joins ---------------------------------------------------------------------------


def test_a_group_instrument_never_joins_two_of_the_groups_members(tmp_path):
    # A non-internal group, so the segment is judged: EU–X style instruments join X with each member only.
    blocs = groups(UNION=[("FRA", "2000-01-01", None), ("BEL", "2000-01-01", None)])
    rows = [segment("C", "BEL", "FRA", 2016, 5), segment("C", "MAR", "FRA", 2016, 5)]
    folder = write_dataset(tmp_path / "ds", rows, [partnership("x", ["UNION", "MAR"])], blocs)
    G = graph(folder, year=2016)
    assert G["BEL"]["FRA"]["partnerships"] == {} and G["BEL"]["FRA"]["gap"] is True
    assert G["MAR"]["FRA"]["partnerships"] == {"x": "operational"}


def test_any_two_different_parties_are_joined(one_segment):
    e = edge(one_segment(partnership("p", ["ITA", "LBY", "TUN"])))
    assert e["partnerships"] == {"p": "operational"} and e["gap"] is False


def test_one_end_only_joins_nothing(one_segment):
    e = edge(one_segment(partnership("p", ["ITA", "TUN"])))
    assert (e["tier"], e["partnerships"], e["gap"]) == ("none", {}, True)


def test_a_dialogue_with_one_group_party_joins_any_two_members_on_the_day(tmp_path):
    blocs = groups(RABAT=[("LBY", "2006-07-10", "2014-11-27"), ("ITA", "2006-07-10", None)])
    rows = [segment("C", "LBY", "ITA", 2013, 1), segment("C", "LBY", "ITA", 2016, 1)]
    folder = write_dataset(tmp_path / "ds", rows, [partnership("rabat", ["RABAT"], kind="dialogue")], blocs)
    assert edge(folder, year=2013)["partnerships"] == {"rabat": "forum"}
    assert edge(folder, year=2016)["partnerships"] == {}


def test_joins_function_agrees_with_rule_three():
    p = Partnership("p", "P", "mou", ("EU", "MAR"), When.of(dt.date(2000, 1, 1)), None, ("visa",), ("s",))
    eu, mar = frozenset({"FRA", "ITA"}), frozenset({"MAR"})
    assert joins(p, (eu, mar), "MAR", "FRA") and joins(p, (eu, mar), "ITA", "MAR")
    assert not joins(p, (eu, mar), "FRA", "ITA")
    assert joins(p, (eu,), "FRA", "ITA")  # a single group party joins its members


# -- rule 4: tiers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "binding", "tier", "expected"),
    [
        ("readmission-agreement", True, None, "binding"),
        ("mou", None, None, "operational"),
        ("mobility-partnership", False, None, "operational"),
        ("dialogue", False, None, "forum"),
        ("declaration", False, None, "political"),
        ("statement", None, None, "political"),
        ("framework", False, "political", "political"),  # the data's override wins
        ("dialogue", True, None, "binding"),  # binding comes before the kind
    ],
)
def test_instrument_tier(kind, binding, tier, expected):
    p = Partnership("p", "P", kind, ("A", "B"), When.of(dt.date(2000, 1, 1)), binding, ("visa",), ("s",), tier=tier)
    assert instrument_tier(p) == expected


def test_segment_tier_is_the_strongest_joining_instrument(one_segment):
    folder = one_segment(
        partnership("d", ["ITA", "LBY"], kind="dialogue"),
        partnership("s", ["ITA", "LBY"], kind="statement"),
        partnership("r", ["ITA", "LBY"], kind="readmission-agreement", binding=True),
    )
    e = edge(folder)
    assert e["tier"] == "binding"
    assert list(e["partnerships"].items()) == [("r", "binding"), ("s", "political"), ("d", "forum")]


# -- rule 5: internal segments ----------------------------------------------------------------


def test_a_segment_between_two_members_of_an_internal_group_is_internal(tmp_path):
    rows = [segment("Channel", "FRA", "GBR", 2016, 10), segment("Channel", "FRA", "GBR", 2021, 20)]
    folder = write_dataset(tmp_path / "ds", rows, [partnership("eu-x", ["EU", "MAR"])])
    before, after = edge(folder, "FRA", "GBR", year=2016), edge(folder, "FRA", "GBR", year=2021)
    assert (before["internal"], before["tier"], before["gap"]) == (True, None, False)
    assert (after["internal"], after["tier"], after["gap"]) == (False, "none", True)
    assert [r["origin"] for r in routes.gap_records(graph(folder, year=2016))] == []


def test_a_non_internal_group_does_not_make_segments_internal(tmp_path):
    blocs = groups(RABAT=[("LBY", "2006-07-10", None), ("ITA", "2006-07-10", None)])
    folder = write_dataset(tmp_path / "ds", [segment("C", "LBY", "ITA", 2016, 1)], [], blocs)
    assert edge(folder, year=2016)["internal"] is False


# -- rule 6: gaps and the minimum tier -------------------------------------------------------------


@pytest.mark.parametrize(
    ("min_tier", "gaps"),
    [
        ("forum", {"nothing"}),
        ("political", {"nothing", "forum"}),
        ("operational", {"nothing", "forum", "political"}),
        ("binding", {"nothing", "forum", "political", "operational"}),
    ],
)
def test_each_minimum_tier(tmp_path, min_tier, gaps):
    # One segment per tier: X→ITA joined by an instrument of tier X (or nothing).
    rows = [segment("R", code, "ITA", 2016, 1) for code in ("NGA", "SEN", "MAR", "TUN", "ALB")]
    folder = write_dataset(
        tmp_path / "ds",
        rows,
        [
            partnership("d", ["ITA", "SEN"], kind="dialogue"),
            partnership("s", ["ITA", "MAR"], kind="statement"),
            partnership("m", ["ITA", "TUN"], kind="mou"),
            partnership("r", ["ITA", "ALB"], kind="readmission-agreement", binding=True),
        ],
    )
    tier_of = {"NGA": "nothing", "SEN": "forum", "MAR": "political", "TUN": "operational", "ALB": "binding"}
    found = {tier_of[r["origin"]] for r in routes.gap_records(graph(folder, year=2016, min_tier=min_tier))}
    assert found == gaps


def test_gap_reason_tells_forum_only_from_nothing(one_segment):
    G = graph(one_segment(partnership("d", ["ITA", "LBY"], kind="dialogue")), year=2016)
    assert routes.gap_records(G)[0]["gap_reason"] == "forum only"
    assert gap_reason("none", True) == "nothing" and gap_reason("binding", False) is None
    assert [is_gap(t) for t in ("none", "forum", "political", "operational", "binding")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert not is_gap("none", internal=True)


def test_unknown_minimum_tier_is_a_selection_error(one_segment):
    with pytest.raises(routes.SelectionError, match="minimum tier"):
        graph(one_segment(), min_tier="strong")


# -- rule 7: filters ---------------------------------------------------------------------------------


def test_theme_filter_needs_one_shared_theme(one_segment):
    folder = one_segment(partnership("p", ["ITA", "LBY"], themes=["border-management", "anti-smuggling"]))
    assert edge(folder, themes=["anti-smuggling", "visa"])["tier"] == "operational"
    assert edge(folder, themes=["legal-pathways"])["tier"] == "none"


def test_kind_filters(one_segment):
    folder = one_segment(partnership("d", ["ITA", "LBY"], kind="dialogue"), partnership("m", ["ITA", "LBY"]))
    assert edge(folder, kinds=["dialogue"])["partnerships"] == {"d": "forum"}
    assert edge(folder, exclude_kinds=["dialogue"])["partnerships"] == {"m": "operational"}


def test_binding_only_counts_true_not_false_or_unknown(one_segment):
    folder = one_segment(
        partnership("yes", ["ITA", "LBY"], binding=True),
        partnership("no", ["ITA", "LBY"], binding=False),
        partnership("unknown", ["ITA", "LBY"], binding=None),
    )
    assert list(edge(folder, binding_only=True)["partnerships"]) == ["yes"]
    assert list(edge(folder)["partnerships"]) == ["yes", "no", "unknown"]


def test_counts_filter_function():
    mou = Partnership("m", "M", "mou", ("ITA", "LBY"), When.of(dt.date(2000, 1, 1)), None, ("visa",), ("s",))
    assert counts(mou)
    assert counts(mou, themes=["visa", "protection"])
    assert not counts(mou, themes=["protection"])
    assert not counts(mou, kinds=["camm"])
    assert not counts(mou, binding_only=True)


def test_unknown_filter_values_are_selection_errors(one_segment):
    dataset = routes.load(one_segment())
    bad = ({"themes": ["vsia"]}, {"kinds": ["treatyy"]}, {"exclude_kinds": ["x"]}, {"min_tier": "x"}, {"routes": ["C"]})
    for options in bad:
        with pytest.raises(routes.SelectionError):
            routes.build_graph(dataset, **options)


# -- balanced toolbox and Team Europe ---------------------------------------------------------------


def test_toolbox_and_team_europe_labels(tmp_path):
    blocs = groups()
    rows = [segment("R", code, "ITA", 2016, 1) for code in ("MAR", "TUN", "EGY", "SEN")]
    rows.append(segment("R", "NER", "LBY", 2016, 1))
    folder = write_dataset(
        tmp_path / "ds",
        rows,
        [
            partnership("eu-mar", ["EU", "MAR"], themes=["return-readmission"]),
            partnership("it-mar", ["ITA", "MAR"], themes=["legal-pathways"]),
            partnership("it-tun", ["ITA", "TUN"], themes=["legal-pathways"]),
            partnership("d-egy", ["ITA", "EGY"], kind="dialogue", themes=["return-readmission"]),
            partnership("ner-lby", ["NER", "LBY"], themes=["border-management"]),
        ],
        blocs,
    )
    G = graph(folder, year=2016)
    labels = {u: (G[u][v]["toolbox"], G[u][v]["team_europe"]) for u, v in G.edges}
    assert labels == {
        "MAR": ("both", "both"),
        "TUN": ("legal pathways only", "member states"),
        "EGY": ("neither", "none"),  # a dialogue is below the gap threshold
        "SEN": ("neither", "none"),
        "NER": ("neither", "others"),
    }
    assert graph(folder, year=2016, min_tier="forum")["EGY"]["ITA"]["toolbox"] == "return only"


# -- year and as-of defaults ---------------------------------------------------------------------------


def test_year_defaults_to_latest_with_flows_and_as_of_to_its_last_day(one_segment):
    G = graph(one_segment())
    assert (G.graph["year"], G.graph["as_of"], G["LBY"]["ITA"]["flow"]) == (2017, "2017-12-31", 50)


def test_as_of_defaults_to_today_without_flows(tmp_path):
    folder = write_dataset(tmp_path / "ds", [segment("R", "LBY", "ITA")], [partnership("p", ["ITA", "TUN"])])
    G = graph(folder)
    assert G.graph["year"] is None
    assert G.graph["as_of"] == dt.date.today().isoformat()
    assert G["LBY"]["ITA"]["flow"] is None


def test_explicit_as_of_overrides_year_end(one_segment):
    folder = one_segment(partnership("p", ["LBY", "ITA"], signed="2016-06-01"))
    G = graph(folder, year=2016, as_of="2016-03-01")
    assert (G.graph["year"], G.graph["as_of"]) == (2016, "2016-03-01")
    assert G["LBY"]["ITA"]["flow"] == 100 and G["LBY"]["ITA"]["tier"] == "none"


# -- flows ----------------------------------------------------------------------------------------------


def test_unknown_flow_is_none_never_zero(tmp_path):
    folder = write_dataset(
        tmp_path / "ds",
        [segment("R", "NER", "LBY", 2016, ""), segment("R", "LBY", "ITA", 2016, 0), segment("R", "TUN", "ITA")],
        [],
    )
    G = graph(folder, year=2016)
    assert (G["NER"]["LBY"]["flow"], G["LBY"]["ITA"]["flow"], G["TUN"]["ITA"]["flow"]) == (None, 0, None)
    assert list(routes.gaps(G)["origin"]) == ["LBY", "NER", "TUN"]  # known flows first, unknown last


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
    e = edge(folder, "TUR", "GRC", year=2016)
    assert (e["flow"], e["routes"], e["flow_by_route"]) == (15, ["A", "B", "C"], {"A": 10, "B": 5, "C": None})
    assert edge(folder, "TUR", "GRC", year=2016, routes=["B"])["flow"] == 5


def test_route_totals_travel_with_the_graph(tiny):
    G = routes.build_graph(routes.load(tiny), year=2017)
    assert G.graph["route_totals"]["Central"]["flow"] == 600
    assert G.graph["route_totals"]["Central"]["sources"] == [
        "https://example.org/frontex",
        "https://example.org/frontex-2018",
    ]
    rows = {r["route"]: r for r in routes.summary_records(G)}
    assert (rows["Central"]["route_total"], rows["Central"]["route_total_status"]) == (600, "prelim")
    assert rows["Eastern"]["route_total"] is None


def test_graph_records_selection_and_node_positions(tiny):
    G = routes.build_graph(routes.load(tiny), year=2016, themes=["protection"])
    assert (G.graph["themes"], G.graph["min_tier"]) == (["protection"], "political")
    assert set(G.graph["partnerships"]) == {"eu-tur-statement"}
    assert G.graph["partnerships"]["eu-tur-statement"]["tier"] == "political"
    assert G.nodes["ITA"]["name"] == "Italy"
    assert (G.nodes["ITA"]["x"], G.nodes["ITA"]["y"]) == (12.5, 42.8)
    assert G.nodes["TUR"]["partnerships"] == ["eu-tur-statement"]


# -- summary and whole-route view ------------------------------------------------------------------------


def test_route_summary_shares(tiny):
    G = routes.build_graph(routes.load(tiny), year=2016)
    rows = {r["route"]: r for r in routes.summary_records(G)}
    central = rows["Central"]  # NER→LBY and LBY→ITA forum only, TUN→ITA nothing
    assert (central["segments"], central["internal"], central["gaps"]) == (3, 0, 3)
    assert (central["known_flow"], central["gap_flow"], central["gap_flow_share"]) == (1100, 1100, 1.0)
    assert (central["unknown_flow_segments"], central["unknown_flow_gaps"]) == (1, 1)
    eastern = rows["Eastern"]  # TUR→GRC political (the Statement), GRC→MKD binding
    assert (eastern["segments"], eastern["gaps"], eastern["gap_share"]) == (4, 2, 0.5)
    assert (eastern["known_flow"], eastern["gap_flow"], eastern["gap_flow_share"]) == (1100, 0, 0.0)
    channel = rows["Channel"]  # FRA→GBR is internal in 2016: in no share
    assert (channel["segments"], channel["internal"], channel["gaps"], channel["gap_share"]) == (1, 1, 0, None)
    assert (channel["known_flow"], channel["gap_flow_share"]) == (0, None)
    assert routes.route_summary(G).loc["Eastern", "gaps"] == 2


def test_whole_route_paths_and_break_points(tiny):
    G = routes.build_graph(routes.load(tiny), year=2017)
    by_route = {r["route"]: r for r in routes.path_records(G)}
    central = by_route["Central"]
    assert central["origins"] == ["NER", "TUN"] and central["ends"] == ["ITA"]
    assert central["paths"] == [
        {"countries": ["NER", "LBY", "ITA"], "break_points": [["NER", "LBY"]], "internal": []},
        {"countries": ["TUN", "ITA"], "break_points": [["TUN", "ITA"]], "internal": []},
    ]
    assert by_route["Channel"]["paths"] == [
        {"countries": ["FRA", "GBR"], "break_points": [], "internal": [["FRA", "GBR"]]}
    ]


def test_graph_to_gdfs(tiny):
    G = routes.build_graph(routes.load(tiny), year=2016)
    nodes, edges = routes.graph_to_gdfs(G)
    assert nodes.crs.to_epsg() == 4326 and edges.crs.to_epsg() == 4326
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    assert nodes.loc["ITA"].geometry.x == 12.5
    assert list(edges.loc[("LBY", "ITA")].geometry.coords) == [(17.2, 26.3), (12.5, 42.8)]
    assert edges.loc[("LBY", "ITA"), "tier"] == "forum"


def test_build_graph_does_not_mutate_dataset(tiny):
    dataset = routes.load(tiny)
    before = (dataset.segments, dataset.partnerships, dict(dataset.groups))
    routes.build_graph(dataset, year=2016, themes=["visa"])
    assert (dataset.segments, dataset.partnerships, dict(dataset.groups)) == before
    with pytest.raises(TypeError):
        dataset.groups["X"] = None  # type: ignore[index]


def test_one_coverage_index_per_selection(tiny):
    dataset = routes.load(tiny)
    from routes.selection import coverage_index

    day = dt.date(2016, 12, 31)
    assert coverage_index(dataset, day) is coverage_index(dataset, day)
    assert coverage_index(dataset, day, themes=["visa"]) is not coverage_index(dataset, day)
