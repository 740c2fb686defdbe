"""Gap reports, what-if scenarios and recommendations, checked against answers worked out by hand."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

import routes
from routes.recommend import recommend
from routes.report import build_report
from routes.report_output import to_html, to_markdown, to_xlsx
from routes.scenarios import Scenario, apply_scenario, compare
from tests.conftest import partnership, run, segment, write_dataset


@pytest.fixture
def corridor(tmp_path):
    """Five segments into Europe and one feeder, with flows in 2016–2019.

    - LBY→ITA (100/yr): covered only by the Italy–Libya MoU, a member state's deal, 2017-03-01 until 2019-01-01.
    - TUN→ITA (60/yr): covered by the EU–Tunisia instrument (EU level, return only).
    - MAR→ESP (40/yr): covered by the EU–Morocco partnership and by Spain–Morocco (both levels, legal pathways only).
    - SRB→CHE (20 in 2016 only): covered by a Swiss partnership (others).
    - NER→LBY (unknown flow): no partnership.
    """
    rows = []
    for year in (2016, 2017, 2018, 2019):
        rows += [
            segment("Central", "LBY", "ITA", year, 100),
            segment("Central", "TUN", "ITA", year, 60),
            segment("Western", "MAR", "ESP", year, 40),
        ]
    rows += [segment("Balkans", "SRB", "CHE", 2016, 20), segment("Central", "NER", "LBY")]
    partnerships = [
        partnership("it-lby", ["ITA", "LBY"], signed="2017-03-01", ended="2019-01-01", themes=["border-management"]),
        partnership("eu-tun", ["EU", "TUN"], signed="2010-01-01", themes=["return-readmission"]),
        partnership("eu-mar", ["EU", "MAR"], signed="2010-01-01", themes=["legal-pathways"]),
        partnership("es-mar", ["ESP", "MAR"], signed="2010-01-01", themes=["legal-pathways"]),
        partnership("ch-srb", ["CHE", "SRB"], signed="2009-06-01", themes=["return-readmission", "legal-pathways"]),
    ]
    return write_dataset(tmp_path / "corridor", rows, partnerships)


def test_headline_shares_by_route_and_overall(corridor):
    report = build_report(routes.load(corridor), year=2016)
    rows = {r["route"]: r for r in report["headline"]}
    # 2016: LBY→ITA is a gap (the MoU starts in 2017); NER→LBY is a gap with unknown flow.
    assert (rows["Central"]["known_flow"], rows["Central"]["gap_flow"]) == (160, 100)
    assert rows["Central"]["gap_flow_share"] == pytest.approx(100 / 160)
    assert rows["Central"]["unknown_flow_gaps"] == 1
    overall = rows["All routes"]
    assert (overall["segments"], overall["gaps"], overall["known_flow"], overall["gap_flow"]) == (5, 2, 220, 100)
    assert [(g["origin"], g["destination"]) for g in report["gaps"]] == [("LBY", "ITA"), ("NER", "LBY")]


def test_member_state_deal_covers_what_the_eu_instrument_does_not(corridor):
    report = build_report(routes.load(corridor), year=2017)
    by_segment = {(r["origin"], r["destination"]): r for r in report["alignment"]}
    assert by_segment["LBY", "ITA"]["alignment"] == "member states only"
    assert by_segment["LBY", "ITA"]["member_states"] == ["it-lby"]
    assert by_segment["TUN", "ITA"]["alignment"] == "EU only"
    assert by_segment["MAR", "ESP"]["alignment"] == "EU and member states"
    assert by_segment["SRB", "CHE"]["alignment"] == "others only"
    assert by_segment["NER", "LBY"]["alignment"] == "none"


def test_theme_present_on_one_side_only(corridor):
    thematic = build_report(routes.load(corridor), year=2017)["thematic"]
    assert [(r["origin"], r["destination"]) for r in thematic["return_without_legal"]] == [("TUN", "ITA")]
    assert [(r["origin"], r["destination"]) for r in thematic["legal_without_return"]] == [("MAR", "ESP")]
    shares = {r["route"]: r for r in thematic["flow_share_by_theme"]}
    assert shares["Central"]["return-readmission"] == pytest.approx(60 / 160)
    assert shares["Central"]["border-management"] == pytest.approx(100 / 160)
    assert shares["Central"]["legal-pathways"] == 0
    assert shares["Western"]["legal-pathways"] == 1


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


def test_outputs_escape_and_reproduce(tmp_path):
    evil = '<img src=x onerror=alert(1)> "q" `b` ${1+1}'
    folder = write_dataset(
        tmp_path / "evil",
        [segment(evil, "LBY", "ITA", 2016, 5)],
        [partnership("p", ["ITA"], name=evil, source="javascript:alert(1)")],
    )
    report = build_report(routes.load(folder), year=2016)
    page = to_html(report, command="routes report")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript' not in page
    assert to_html(report, command="x") == to_html(build_report(routes.load(folder), year=2016), command="x")
    assert evil in to_markdown(report, command="routes report")
    first, second = to_xlsx(report, command="x"), to_xlsx(report, command="x")
    assert first == second
    sheets = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert "xl/worksheets/sheet1.xml" in sheets and len([s for s in sheets if s.startswith("xl/worksheets/")]) >= 8


def test_report_command_writes_each_format(corridor, tmp_path):
    for fmt, name in (("html", "r.html"), ("markdown", "r.md"), ("xlsx", "r.xlsx")):
        target = tmp_path / name
        result = run("report", "--data", corridor, "--year", "2017", "--format", fmt, "--output", target, "--no-map")
        assert result.exit_code == 0, result.stderr
        assert target.stat().st_size > 1000
    text = (tmp_path / "r.md").read_text()
    assert "routes report --data" in text and "--year 2017 --as-of 2017-12-31" in text
    assert "## Flow-weighted coverage over time" in text


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
    assert [(r["origin"], r["destination"]) for r in result["closed"]] == [("LBY", "ITA")]
    assert [(r["origin"], r["destination"]) for r in result["opened"]] == []  # es-mar still covers MAR→ESP
    central = next(r for r in result["routes"] if r["route"] == "Central")
    assert (central["gaps_before"], central["gaps_after"], central["flow_closed"]) == (2, 1, 100)
    assert dataset.partnership("eu-tun").parties == ("EU", "TUN")  # the data set is unchanged


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
    assert payload["opened"] == []
    assert payload["changes"] == ["add eu-ner (EU-Niger; parties EU, NER, LBY)", "remove es-mar"]
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
def greedy_case(tmp_path):
    """The best single pick is not the best second pick.

    Standalone, adding ITA to Q={LBY,TUN} closes 100+60, adding ITA to
    R={LBY,EGY} closes 100+55, a new ALB–GRC partnership closes 80. After the
    first pick (Q+ITA), R+ITA only adds 55, so the second pick is ALB–GRC.
    """
    rows = [
        segment("Central", "LBY", "ITA", 2016, 100),
        segment("Central", "TUN", "ITA", 2016, 60),
        segment("Central", "EGY", "ITA", 2016, 55),
        segment("Balkans", "ALB", "GRC", 2016, 80),
    ]
    partnerships = [partnership("q", ["LBY", "TUN"]), partnership("r", ["LBY", "EGY"])]
    return write_dataset(tmp_path / "greedy", rows, partnerships)


def test_greedy_recount_after_each_pick(greedy_case):
    picks = recommend(routes.build_graph(routes.load(greedy_case), year=2016), max_actions=3)
    assert [(p["action"], p["partnership"], p["country"], p["countries"]) for p in picks] == [
        ("add-party", "q", "ITA", None),
        ("new-bilateral", None, None, ["ALB", "GRC"]),
        ("add-party", "r", "ITA", None),
    ]
    assert [p["flow"] for p in picks] == [160, 80, 55]
    assert [p["cumulative_flow"] for p in picks] == [160, 240, 295]
    assert picks[0]["routes"] == ["Central"]


def test_recommend_stops_when_no_gap_is_left(greedy_case):
    picks = recommend(routes.build_graph(routes.load(greedy_case), year=2016), max_actions=10)
    assert len(picks) == 3


def test_recommend_command_states_the_method(greedy_case):
    result = run("recommend", "--data", greedy_case, "--year", "2016", "--max", "2")
    assert result.exit_code == 0
    assert "Method: Greedy" in result.output and "Add Italy to Partnership q (q)" in result.output
    payload = json.loads(run("recommend", "--data", greedy_case, "--year", "2016", "--format", "json").output)
    assert payload["method"].startswith("Greedy") and payload["actions"][1]["countries"] == ["ALB", "GRC"]
    assert run("recommend", "--data", greedy_case, "--max", "0").exit_code == 2


def test_html_report_opens_offline_in_chromium(corridor, tmp_path, browser):
    target = tmp_path / "report.html"
    assert run("report", "--data", corridor, "--year", "2017", "--output", target).exit_code == 0
    from tests.conftest import open_offline

    page, errors, requests, dialogs = open_offline(browser, target)
    try:
        page.wait_for_load_state("load")
        assert page.locator("h2#headline").is_visible()
        assert page.locator("figure.chart svg circle").count() > 0
        assert errors == [] and requests == [] and dialogs == []
    finally:
        page.close()
