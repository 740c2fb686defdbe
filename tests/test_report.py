"""Gap reports, what-if scenarios and recommendations, checked against answers worked out by hand."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

import routes
from routes.recommend import as_scenario, recommend
from routes.report import build_report
from routes.report_output import SHEET_NAMES, coverage_chart, tables, to_html, to_markdown, to_xlsx
from routes.scenarios import Scenario, apply_scenario, compare, run_scenario
from tests.conftest import EU_BLOC, assert_over_time_matches_a_graph_per_year, partnership, run, segment, write_dataset


def test_headline_shares_by_route_and_overall(corridor):
    report = build_report(routes.load(corridor), year=2016)
    rows = {r["route"]: r for r in report["headline"]}
    # 2016: LBY→ITA is a gap (the MoU starts in 2017); NER→LBY is a gap with unknown flow.
    assert (rows["Central"]["known_flow"], rows["Central"]["gap_flow"]) == (160, 100)
    assert rows["Central"]["gap_flow_share"] == pytest.approx(100 / 160)
    assert rows["Central"]["unknown_flow_gaps"] == 1
    overall = rows["All routes"]
    assert (overall["segments"], overall["gaps"], overall["known_flow"], overall["gap_flow"]) == (5, 2, 220, 100)
    # Route totals are never added up across routes (exits and entries, people detected on two routes).
    assert overall["route_total"] is None
    headline = next(t for t in tables(report) if t.key == "headline")
    assert headline.records[-1]["route_total"] == "not added up" and "not added up" in to_markdown(report, command="x")
    assert [(g["origin"], g["destination"]) for g in report["gaps"]] == [("LBY", "ITA"), ("NER", "LBY")]
    tiers = {r["tier"]: r["segments"] for r in report["tiers"]}
    assert tiers == {"internal": 0, "binding": 0, "operational": 3, "political": 0, "forum": 0, "none": 2}


def test_team_europe_labels_per_segment(corridor):
    team = build_report(routes.load(corridor), year=2017)["team_europe"]
    by_segment = {(r["origin"], r["destination"]): r for r in team["segments"]}
    assert by_segment["LBY", "ITA"]["team_europe"] == "member states"
    assert by_segment["LBY", "ITA"]["member_states"] == ["Partnership it-lby"]
    assert by_segment["TUN", "ITA"]["team_europe"] == "EU-level"
    assert by_segment["MAR", "ESP"]["team_europe"] == "both"
    assert by_segment["SRB", "CHE"]["team_europe"] == "others"
    assert by_segment["NER", "LBY"]["team_europe"] == "none"
    assert {r["team_europe"]: r["segments"] for r in team["counts"]} == {
        "both": 1,
        "EU-level": 1,
        "member states": 1,
        "others": 1,
        "none": 1,
    }


def test_balanced_toolbox(corridor):
    thematic = build_report(routes.load(corridor), year=2017)["thematic"]
    assert [(r["origin"], r["destination"]) for r in thematic["return_without_legal"]] == [("TUN", "ITA")]
    assert [(r["origin"], r["destination"]) for r in thematic["legal_without_return"]] == [("MAR", "ESP")]
    counts = {r["toolbox"]: r["segments"] for r in thematic["counts"]}
    assert counts == {"both": 1, "return only": 1, "legal pathways only": 1, "neither": 2}
    shares = {r["route"]: r for r in thematic["flow_share_by_theme"]}
    assert shares["Central"]["return-readmission"] == pytest.approx(60 / 160)
    assert shares["Central"]["border-management"] == pytest.approx(100 / 160)
    assert shares["Central"]["legal-pathways"] == 0
    assert shares["Western"]["legal-pathways"] == 1


def test_the_toolbox_sets_the_theme_filter_aside_but_counts_only_at_the_threshold(corridor):
    dataset = routes.load(corridor)
    thematic = build_report(dataset, year=2017, themes=["border-management"])["thematic"]
    assert [(r["origin"], r["destination"]) for r in thematic["return_without_legal"]] == [("TUN", "ITA")]
    strict = build_report(dataset, year=2017, min_tier="binding")["thematic"]
    assert {r["toolbox"]: r["segments"] for r in strict["counts"]}["neither"] == 5


def test_partnership_ending_mid_series_shows_in_coverage_over_time(corridor):
    over_time = build_report(routes.load(corridor), year=2016)["over_time"]
    central = {r["year"]: r for r in over_time if r["route"] == "Central"}
    # The MoU covers LBY→ITA in 2017 and 2018 (as of 31 December), not in 2016 or 2019.
    assert central[2016]["flow_coverage"] == pytest.approx(60 / 160)
    assert central[2017]["flow_coverage"] == 1
    assert central[2018]["flow_coverage"] == 1
    assert central[2019]["flow_coverage"] == pytest.approx(60 / 160)
    balkans = {r["year"]: r for r in over_time if r["route"] == "Balkans"}
    assert balkans[2016]["flow_coverage"] == 1 and balkans[2017]["flow_coverage"] is None


@pytest.mark.parametrize(
    "folder, selection",
    [
        ("corridor", {"year": 2016, "min_tier": "operational"}),
        ("bundled", {}),
        ("bundled", {"min_tier": "binding", "routes": ("Central Mediterranean", "Channel")}),
    ],
)
def test_coverage_over_time_matches_a_graph_per_year(corridor, folder, selection):
    dataset = routes.load(corridor if folder == "corridor" else None)
    over_time = build_report(dataset, **selection)["over_time"]
    assert over_time
    assert_over_time_matches_a_graph_per_year(dataset, over_time, {k: v for k, v in selection.items() if k != "year"})


def test_internal_segments_stay_out_of_the_report_shares(tmp_path):
    rows = [segment("Channel", "FRA", "GBR", year, 10) for year in (2016, 2021)]
    folder = write_dataset(tmp_path / "ds", rows, [])
    report = build_report(routes.load(folder), year=2016)
    channel = report["headline"][0]
    assert (channel["segments"], channel["internal"], channel["gaps"], channel["gap_share"]) == (1, 1, 0, None)
    assert report["gaps"] == [] and report["team_europe"]["segments"] == []
    over_time = {r["year"]: r for r in report["over_time"]}
    assert over_time[2016]["segment_coverage"] is None and over_time[2021]["segment_coverage"] == 0


def test_outputs_escape_and_reproduce(tmp_path):
    evil = '<img src=x onerror=alert(1)> "q" `b` ${1+1}'
    folder = write_dataset(
        tmp_path / "evil",
        [segment(evil, "LBY", "ITA", 2016, 5)],
        [partnership("p", ["ITA", "TUN"], name=evil, source="javascript:alert(1)")],
    )
    report = build_report(routes.load(folder), year=2016)
    page = to_html(report, command="routes report")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript' not in page
    assert to_html(report, command="x") == to_html(build_report(routes.load(folder), year=2016), command="x")
    text = to_markdown(report, command="routes report")
    assert '&lt;img src=x onerror=alert(1)&gt; "q" \\`b\\` ${1+1}' in text and "<img" not in text
    first, second = to_xlsx(report, command="x"), to_xlsx(report, command="x")
    assert first == second
    sheets = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert "xl/worksheets/sheet1.xml" in sheets and len([s for s in sheets if s.startswith("xl/worksheets/")]) >= 8


def test_coverage_chart_keeps_the_routes_its_legend_holds():
    """With more routes than legend lines, the chart keeps the largest flows and says so."""
    over_time = [
        {"route": f"Route {i:02d}", "year": year, "known_flow": 100 * i, "flow_coverage": 0.5}
        for i in range(1, 31)
        for year in (2023, 2024)
    ]
    chart = coverage_chart(over_time)
    shown = re.findall(r'font-size="12">(Route \d\d)</text>', chart)
    assert shown == [f"Route {i:02d}" for i in range(31 - len(shown), 31)] and 1 < len(shown) < 30
    assert f"The {len(shown)} routes with the largest known flow, of 30" in chart
    few = coverage_chart(over_time[:6])
    assert "<figcaption>" not in few and len(re.findall(r'font-size="12">Route', few)) == 3


def test_report_command_writes_each_format(corridor, tmp_path):
    for fmt, name in (("html", "r.html"), ("markdown", "r.md"), ("xlsx", "r.xlsx")):
        target = tmp_path / name
        result = run("report", "--data", corridor, "--year", "2017", "--format", fmt, "--output", target, "--no-map")
        assert result.exit_code == 0, result.stderr
        assert target.stat().st_size > 1000
    text = (tmp_path / "r.md").read_text()
    assert "routes report --data" in text and "--year 2017 --as-of 2017-12-31" in text
    assert "## Flow-weighted coverage over time" in text


def test_xlsx_is_laid_out_for_analysts(corridor):
    from openpyxl import load_workbook

    report = build_report(routes.load(corridor), year=2017)
    book = load_workbook(io.BytesIO(to_xlsx(report, command="routes report --format xlsx")))
    assert book.sheetnames[0] == "Read me"
    readme = {row[0]: row[1] for row in book["Read me"].iter_rows(values_only=True) if row[0]}
    assert readme["Year"] == "2017" and readme["Re-run"] == "routes report --format xlsx"
    assert readme["Coverage judged on"] == "2017-12-31"
    assert len(book.sheetnames) == 1 + len(tables(report))
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in book.sheetnames)
    assert {"Headline figures", "Gaps by flow", "Balanced toolbox"} <= set(book.sheetnames)
    assert set(SHEET_NAMES) == {table.key for table in tables(report)}  # every table has a short name
    segments = book["Team Europe by segment"]
    header = [c.value for c in segments[1]]
    flow = header.index("Flow") + 1
    cells = [c for (c,) in segments.iter_rows(min_row=2, min_col=flow, max_col=flow)]
    assert "unknown" in [c.value for c in cells]  # never a blank (or a 0) for an unknown flow
    assert None not in [c.value for c in cells]
    known = [c for c in cells if isinstance(c.value, int | float)]
    assert known and all(c.number_format == "#,##0" for c in known)
    gaps = book["Gaps by flow"]
    assert gaps.freeze_panes == "A2" and gaps.auto_filter.ref == gaps.dimensions
    assert all(gaps.column_dimensions[letter].width >= 8 for letter in "ABC")
    shares = book["Headline figures"]
    share_column = [c.value for c in shares[1]].index("Gap share") + 1
    cells = [c for (c,) in shares.iter_rows(min_row=2, min_col=share_column, max_col=share_column)]
    assert all(c.number_format == "0%" for c in cells if isinstance(c.value, float))


def test_report_default_output_path(corridor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("report", "--data", corridor, "--format", "markdown")
    assert result.exit_code == 0
    assert (tmp_path / "reports" / "gap-report-2019.md").is_file()


# -- what-if -----------------------------------------------------------------------------


def test_whatif_closes_and_opens_gaps_in_memory(corridor):
    dataset = routes.load(corridor)
    scenario = Scenario(add_parties={"eu-tun": ("LBY",)}, remove=("eu-mar",))
    before = routes.build_graph(dataset, year=2016)
    after = routes.build_graph(apply_scenario(dataset, scenario), year=2016)
    result = compare(before, after)
    # LBY becomes a third party of the EU–Tunisia instrument, so it is joined with Italy (and with Tunisia).
    assert [(r["origin"], r["destination"]) for r in result["closed"]] == [("LBY", "ITA")]
    assert [(r["origin"], r["destination"]) for r in result["opened"]] == []  # es-mar still covers MAR→ESP
    central = next(r for r in result["routes"] if r["route"] == "Central")
    assert (central["gaps_before"], central["gaps_after"], central["flow_closed"]) == (2, 1, 100)
    assert dataset.partnership("eu-tun").parties == ("EU", "TUN")  # the data set is unchanged


def test_whatif_participants_members_and_tiers(tmp_path):
    blocs = {
        **EU_BLOC,
        "DIALOGUE": {"name": "D", "source": "https://example.org", "members": [{"code": "NER", "from": "2006-01-01"}]},
    }
    rows = [
        segment("C", "TUN", "ITA", 2016, 60),
        segment("C", "NER", "LBY", 2016, 5),
        segment("C", "EGY", "ITA", 2016, 9),
    ]
    folder = write_dataset(
        tmp_path / "ds",
        rows,
        [
            partnership("mp", ["EU", "TUN"], participants=["FRA"]),
            partnership("d", ["DIALOGUE"], kind="dialogue"),
            partnership("s", ["EU", "EGY"], kind="statement"),
        ],
        blocs,
    )
    dataset = routes.load(folder)

    def closed(scenario, **options):
        return [
            (r["origin"], r["destination"]) for r in run_scenario(dataset, scenario, year=2016, **options)["closed"]
        ]

    assert closed(Scenario(add_participants={"mp": ("ITA",)})) == [("TUN", "ITA")]
    assert closed(Scenario(add_members={"DIALOGUE": ("LBY",)}), min_tier="forum") == [("NER", "LBY")]
    assert closed(Scenario(add_members={"DIALOGUE": ("LBY",)})) == []  # a forum does not close a gap by default
    assert closed(Scenario(set_tiers={"s": "binding"}), min_tier="operational") == [("EGY", "ITA")]
    with pytest.raises(routes.SelectionError, match="lists no participants"):
        apply_scenario(dataset, Scenario(add_participants={"s": ("ITA",)}))
    with pytest.raises(routes.SelectionError, match="never a member of EU"):
        apply_scenario(dataset, Scenario(add_participants={"mp": ("TUN",)}))
    with pytest.raises(routes.SelectionError, match="does not enlarge it"):
        apply_scenario(dataset, Scenario(add_members={"EU": ("TUN",)}))


def test_whatif_says_when_an_instrument_starts_after_the_day(corridor, tmp_path):
    extra = tmp_path / "later.yaml"
    extra.write_text(
        "- id: later\n  name: Later\n  kind: mou\n  parties: [NER, LBY]\n  signed: 2030-01-01\n"
        "  binding: false\n  themes: [anti-smuggling]\n  source: https://example.org\n",
        encoding="utf-8",
    )
    result = run("whatif", "--data", corridor, "--year", "2016", "--add", extra)
    assert result.exit_code == 0
    assert "Gaps closed: none" in result.output
    assert "Note: later starts on 2030-01-01, after the as-of day 2016-12-31: it changes nothing" in result.output


def test_whatif_command_never_touches_the_files(corridor, tmp_path):
    extra = tmp_path / "new.yaml"
    extra.write_text(
        "- id: eu-ner\n  name: EU-Niger\n  kind: compact\n  parties: [EU, NER, LBY]\n  signed: 2016-06-07\n"
        "  binding: false\n  themes: [anti-smuggling]\n  source: https://example.org\n",
        encoding="utf-8",
    )
    before = {p.name: p.read_bytes() for p in corridor.iterdir()}
    result = run(
        "whatif", "--data", corridor, "--year", "2016", "--add", extra, "--remove", "es-mar", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.output)
    assert {(r["origin"], r["destination"]) for r in payload["closed"]} == {("LBY", "ITA"), ("NER", "LBY")}
    assert payload["opened"] == [] and payload["notes"] == []
    assert payload["changes"] == ["add eu-ner (EU-Niger; parties EU, NER, LBY; from 2016-06-07)", "remove es-mar"]
    assert {p.name: p.read_bytes() for p in corridor.iterdir()} == before
    table = run("whatif", "--data", corridor, "--year", "2016", "--add", extra).output
    assert "Gaps closed: 2" in table


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "say what changes"),
        (["--remove", "nope"], 2, "unknown partnership id 'nope'"),
        (["--add-party", "eu-tun"], 2, "use ID=CODE"),
        (["--add-party", "eu-tun=Atlantis"], 2, "unknown country 'Atlantis'"),
        (["--add-member", "NOPE=LBY"], 2, "unknown group 'NOPE'"),
        (["--add-participant", "it-lby=FRA"], 2, "lists no participants"),
        (["--add", "missing.yaml"], 1, "missing.yaml: file is missing"),
    ],
)
def test_whatif_errors(corridor, args, code, message):
    result = run("whatif", "--data", corridor, *args)
    assert result.exit_code == code
    assert message in result.stderr


def test_whatif_rejects_an_existing_id(corridor, tmp_path):
    extra = tmp_path / "dup.yaml"
    extra.write_text((corridor / "partnerships.yaml").read_text(), encoding="utf-8")
    result = run("whatif", "--data", corridor, "--add", extra)
    assert result.exit_code == 1 and "'it-lby' is already a partnership of the data set" in result.stderr


# -- recommendations ---------------------------------------------------------------------


@pytest.fixture
def gaps_case(tmp_path):
    """Four gaps, worked out by hand (default minimum tier: political).

    - LBY→ITA (100) and LBY→GRC (30): nothing. An EU–Libya instrument closes both (130); Italy–Libya 100.
    - ALB→GRC (80): nothing. EU–Albania or Greece–Albania close it (80).
    - TUN→ITA (60): the EU–Tunisia Mobility Partnership lists France only; Italy joining it closes 60
      (as would a new EU–Tunisia or Italy–Tunisia instrument: widening an existing one wins the tie).
    - NER→LBY (unknown flow): only Niger and Libya can close it; the Rabat-like dialogue has Niger only.
    - EGY→ITA (55) is joined by an EU–Egypt statement (political): not a gap unless --min-tier operational.
    """
    blocs = {
        **EU_BLOC,
        "DIALOGUE": {
            "name": "Dialogue",
            "source": "https://example.org",
            "members": [{"code": "NER", "from": "2006-01-01"}, {"code": "ITA", "from": "2006-01-01"}],
        },
    }
    rows = [
        segment("Central", "LBY", "ITA", 2016, 100),
        segment("Eastern", "LBY", "GRC", 2016, 30),
        segment("Balkans", "ALB", "GRC", 2016, 80),
        segment("Central", "TUN", "ITA", 2016, 60),
        segment("Central", "NER", "LBY"),
        segment("Central", "EGY", "ITA", 2016, 55),
    ]
    partnerships = [
        partnership("mp-tun", ["EU", "TUN"], kind="mobility-partnership", participants=["FRA"]),
        partnership("d", ["DIALOGUE"], kind="dialogue"),
        partnership("s-egy", ["EU", "EGY"], kind="statement"),
        partnership("q", ["LBY", "TUN"]),
    ]
    return write_dataset(tmp_path / "greedy", rows, partnerships, blocs)


def picks_of(folder, **options):
    dataset = routes.load(folder)
    selection = {k: options.pop(k) for k in ("min_tier",) if k in options}
    G = routes.build_graph(dataset, year=2016, **selection)
    return dataset, G, recommend(G, dataset, **options)


def summary(picks):
    return [(p["action"], p["actor"], p["countries"], p["flow"]) for p in picks]


def test_greedy_recount_after_each_pick(gaps_case):
    _, _, picks = picks_of(gaps_case, max_actions=10)
    assert summary(picks) == [
        ("new-instrument", "EU", ["LBY"], 130),
        ("new-instrument", "member state", ["GRC", "ALB"], 80),
        ("add-participant", "member state", ["ITA"], 60),
        ("new-instrument", "third countries", ["LBY", "NER"], 0),
    ]
    assert [p["cumulative_flow"] for p in picks] == [130, 210, 270, 270]
    assert picks[0]["description"] == "New EU–Libya instrument, political or stronger (now: nothing)"
    assert picks[2]["description"] == "Italy joins Partnership mp-tun (mp-tun)"
    assert picks[3]["unknown_flow_segments"] == 1


def test_no_action_adds_a_country_to_a_bilateral_instrument(gaps_case):
    _, _, picks = picks_of(gaps_case, max_actions=20)
    assert all(p["partnership"] != "q" for p in picks)
    assert {p["action"] for p in picks} <= {"new-instrument", "add-participant", "add-member", "raise-tier"}


def test_no_action_names_a_non_self_governing_territory(tmp_path):
    """Western Sahara makes no instrument of its own: its gaps stay open, with no action proposed."""
    blocs = {
        **EU_BLOC,
        "DIALOGUE": {
            "name": "Dialogue",
            "source": "https://example.org",
            "members": [{"code": "MAR", "from": "2006-01-01"}, {"code": "ESP", "from": "2006-01-01"}],
        },
    }
    folder = write_dataset(
        tmp_path / "esh",
        [segment("Western African", "ESH", "ESP", 2016, 500), segment("Western African", "MRT", "ESP", 2016, 40)],
        [partnership("d", ["DIALOGUE"], kind="dialogue")],
        blocs=blocs,
    )
    for min_tier in ("political", "forum"):
        _, G, picks = picks_of(folder, min_tier=min_tier, max_actions=10)
        assert ("ESH", "ESP") in {(u, v) for u, v, d in G.edges(data=True) if d["gap"]}
        assert picks and all("ESH" not in p["countries"] for p in picks)
        assert all(("ESH", "ESP") not in [(s["origin"], s["destination"]) for s in p["segments"]] for p in picks)


def test_unknown_flow_gaps_go_by_their_busiest_route_never_a_sum_of_routes(tmp_path):
    """Route totals break ties, each on its own: 100 and 80 are two routes, not 180 people.

    NER→LBY (unknown flow) lies on routes A (100) and B (80); MLI→DZA (unknown) on route C (150).
    Added up, NER→LBY would weigh 180 and come first; by its busiest route (100) it comes after C.
    """
    folder = write_dataset(
        tmp_path / "totals",
        [
            segment("A", "NER", "LBY"),
            segment("B", "NER", "LBY"),
            segment("C", "MLI", "DZA"),
            segment("C", "DZA", "ESP", 2016, None),
        ],
        [partnership("dz-es", ["DZA", "ESP"], kind="readmission-agreement", binding=True)],
        route_flows=[
            {"route": "A", "year": 2016, "flow": 100},
            {"route": "B", "year": 2016, "flow": 80},
            {"route": "C", "year": 2016, "flow": 150},
        ],
    )
    _, _, picks = picks_of(folder, max_actions=2)
    assert [p["countries"] for p in picks] == [["DZA", "MLI"], ["LBY", "NER"]]
    assert [p["route_totals"] for p in picks] == [{"C": 150}, {"A": 100, "B": 80}]
    result = run("recommend", "--data", folder, "--year", "2016", "--format", "markdown")
    assert "A (100), B (80)" in result.output and "180" not in result.output


def test_actor_and_exclusions(gaps_case):
    assert summary(picks_of(gaps_case, actor="member-state", max_actions=10)[2]) == [
        ("new-instrument", "member state", ["ITA", "LBY"], 100),
        ("new-instrument", "member state", ["GRC", "ALB"], 80),
        ("add-participant", "member state", ["ITA"], 60),
        ("new-instrument", "member state", ["GRC", "LBY"], 30),
    ]
    assert summary(picks_of(gaps_case, actor="eu", max_actions=10)[2]) == [
        ("new-instrument", "EU", ["LBY"], 130),
        ("new-instrument", "EU", ["ALB"], 80),
        ("new-instrument", "EU", ["TUN"], 60),
    ]
    excluded = picks_of(gaps_case, exclude_countries=["LBY"], exclude_actions=["add-participant"], max_actions=10)[2]
    assert summary(excluded) == [
        ("new-instrument", "member state", ["GRC", "ALB"], 80),
        ("new-instrument", "member state", ["ITA", "TUN"], 60),
    ]


def test_raise_tier_and_add_member(gaps_case):
    strict = picks_of(gaps_case, min_tier="operational", max_actions=10)[2]
    raise_egy = next(p for p in strict if p["action"] == "raise-tier")
    assert raise_egy["partnership"] == "s-egy" and raise_egy["flow"] == 55
    assert raise_egy["description"] == "Raise Partnership s-egy (s-egy) from political to operational tier or above"
    forum = picks_of(gaps_case, min_tier="forum", max_actions=10)[2]
    joining = [p for p in forum if p["action"] == "add-member"]
    assert [(p["group"], p["countries"]) for p in joining] == [("DIALOGUE", ["LBY"])]  # closes NER→LBY and LBY→ITA
    assert {(s["origin"], s["destination"]) for s in joining[0]["segments"]} <= {("NER", "LBY"), ("LBY", "ITA")}


@pytest.mark.parametrize("min_tier", ["forum", "political", "operational"])
def test_every_pick_closes_what_whatif_says_it_closes(gaps_case, min_tier):
    dataset, G, picks = picks_of(gaps_case, min_tier=min_tier, max_actions=20)
    for pick in picks:
        scenario = as_scenario(pick, as_of=G.graph["as_of"], min_tier=min_tier)
        closed = run_scenario(dataset, scenario, year=2016, min_tier=min_tier)["closed"]
        claimed = {(s["origin"], s["destination"]) for s in pick["segments"]}
        assert claimed <= {(r["origin"], r["destination"]) for r in closed}, pick["description"]


def test_recommend_stops_when_no_gap_is_left(gaps_case):
    assert len(picks_of(gaps_case, max_actions=50)[2]) == 4


def test_recommend_command_states_the_method(gaps_case):
    result = run("recommend", "--data", gaps_case, "--year", "2016", "--max", "2", "--format", "markdown")
    assert result.exit_code == 0
    assert "Method: Candidates are actions someone can take" in result.output
    assert "New EU–Libya instrument" in result.output
    payload = json.loads(run("recommend", "--data", gaps_case, "--year", "2016", "--format", "json").output)
    assert payload["method"].startswith("Candidates") and payload["actions"][1]["countries"] == ["GRC", "ALB"]
    assert run("recommend", "--data", gaps_case, "--max", "0").exit_code == 2
    assert run("recommend", "--data", gaps_case, "--exclude-country", "Atlantis").exit_code == 2
    only_eu = json.loads(run("recommend", "--data", gaps_case, "--actor", "eu", "--format", "json").output)
    assert {a["actor"] for a in only_eu["actions"]} == {"EU"}


def test_html_report_opens_offline_in_chromium(corridor, tmp_path, opened):
    target = tmp_path / "report.html"
    assert run("report", "--data", corridor, "--year", "2017", "--output", target).exit_code == 0
    report = opened(target, wait=False)
    page = report.page
    page.wait_for_load_state("load")
    assert page.locator("h2#headline").is_visible()
    assert page.locator("figure.chart svg circle").count() > 0
    report.clean()
