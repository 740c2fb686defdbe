"""The command line: every command, every output format, every bad-input case."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run

TINY = FIXTURES / "tiny"


# -- commands ----------------------------------------------------------------------------


def test_help_describes_every_option():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("validate", "gaps", "summary"):
        assert command in result.output
    gaps_help = run("gaps", "--help").output
    for option in (
        "--data",
        "--year",
        "--as-of",
        "--min-tier",
        "--theme",
        "--kind",
        "--binding-only",
        "--route",
        "--format",
        "--output",
    ):
        assert option in gaps_help
    assert "--paths" in run("summary", "--help").output
    assert "--quality" in run("validate", "--help").output


def test_validate_clean_data_set():
    result = run("validate", "--data", TINY)
    assert result.exit_code == 0
    assert "OK" in result.output and "8 segments" in result.output


def test_validate_quality_lists_unknowns():
    result = run("validate", "--data", TINY, "--quality")
    assert result.exit_code == 0
    assert "Central: TUN → ITA" in result.output
    assert "eu-tur-statement: binding" in result.output
    assert "Eastern: 2017, 2018, 2019, 2020, 2021" in result.output
    report = json.loads(run("validate", "--data", TINY, "--format", "json").output)
    assert report["unknown_binding"] == ["it-lby-mou"]
    assert len(report["segments_without_flow"]) == 3


def test_gaps_json_is_exactly_the_gaps():
    result = run("gaps", "--data", TINY, "--year", "2016", "--format", "json")
    assert result.exit_code == 0
    records = json.loads(result.output)
    # Known flows first; unknown ones by the total of their route (Central 1,200; Eastern unknown).
    assert [(r["origin"], r["destination"]) for r in records] == [
        ("LBY", "ITA"),
        ("NER", "LBY"),
        ("TUN", "ITA"),
        ("AFG", "IRN"),
        ("IRN", "TUR"),
    ]
    first = records[0]
    assert first["flow"] == 1000 and first["routes"] == ["Central"]
    assert (first["tier"], first["gap"], first["gap_reason"]) == ("forum", True, "forum only")
    assert first["partnerships"] == {"dialogue": "forum"}
    assert {"origin", "destination", "routes", "flow", "tier", "gap", "partnerships"} <= set(first)
    assert records[2]["flow"] is None and records[2]["gap_reason"] == "nothing"


def test_gaps_min_tier_show_internal_and_filters():
    forum = json.loads(run("gaps", "--data", TINY, "--year", "2016", "--min-tier", "forum", "--format", "json").output)
    assert [(r["origin"], r["destination"]) for r in forum] == [("TUN", "ITA"), ("AFG", "IRN"), ("IRN", "TUR")]
    strict = json.loads(
        run("gaps", "--data", TINY, "--year", "2016", "--min-tier", "operational", "--format", "json").output
    )
    assert ("TUR", "GRC") in {(r["origin"], r["destination"]) for r in strict}  # the Statement is political
    internal = json.loads(run("gaps", "--data", TINY, "--year", "2016", "--show-internal", "--format", "json").output)
    assert [(r["origin"], r["internal"], r["gap"]) for r in internal if r["internal"]] == [("FRA", True, False)]
    table = run("gaps", "--data", TINY, "--year", "2016", "--show-internal", "--format", "markdown").output
    assert "Internal segments (neither covered nor gaps): 1" in table and "| France | United Kingdom |" in table
    legal = json.loads(
        run("gaps", "--data", TINY, "--year", "2016", "--theme", "legal-pathways", "--format", "json").output
    )
    assert ("TUR", "GRC") in {(r["origin"], r["destination"]) for r in legal}
    binding = json.loads(run("gaps", "--data", TINY, "--year", "2016", "--binding-only", "--format", "json").output)
    assert ("TUR", "GRC") in {(r["origin"], r["destination"]) for r in binding}
    assert ("GRC", "MKD") not in {(r["origin"], r["destination"]) for r in binding}
    central = json.loads(run("gaps", "--data", TINY, "--route", "Central", "--year", "2016", "--format", "json").output)
    assert {r["routes"][0] for r in central} == {"Central"}


def test_as_of_before_the_statement_opens_the_aegean_gap():
    records = json.loads(
        run("gaps", "--data", TINY, "--year", "2016", "--as-of", "2016-03-01", "--format", "json").output
    )
    assert ("TUR", "GRC") in {(r["origin"], r["destination"]) for r in records}


def test_gaps_other_formats():
    table = run("gaps", "--data", TINY, "--year", "2016").output
    assert "5 gaps of 7 segments (1 internal)" in table and "Libya" in table and "unknown" in table
    rows = list(csv.DictReader(io.StringIO(run("gaps", "--data", TINY, "--year", "2016", "--format", "csv").output)))
    assert rows[0]["origin"] == "LBY" and rows[0]["flow"] == "1000" and rows[2]["flow"] == ""
    markdown = run("gaps", "--data", TINY, "--year", "2016", "--format", "markdown").output
    assert "| 1,000 | Libya | Italy | Central | 1,200 | forum only | dialogue (forum) |" in markdown


def test_gaps_output_file_is_written_whole(tmp_path):
    target = tmp_path / "out" / "gaps.json"
    result = run("gaps", "--data", TINY, "--year", "2016", "--format", "json", "--output", target)
    assert result.exit_code == 0
    assert len(json.loads(target.read_text())) == 5
    assert [p.name for p in target.parent.iterdir()] == ["gaps.json"]  # no temporary file left behind


def test_unwritable_output_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("gaps", "--data", TINY, "--output", blocker / "gaps.csv")
    assert result.exit_code == 1
    assert "cannot write" in result.stderr


def test_summary_table_json_and_paths():
    table = run("summary", "--data", TINY, "--year", "2016", "--paths").output
    assert "Central" in table and "100%" in table
    assert "NER → LBY → ITA  [break points: NER→LBY, LBY→ITA]" in table
    assert "FRA → GBR  [break points: none; internal: FRA→GBR]" in table
    payload = json.loads(run("summary", "--data", TINY, "--year", "2016", "--format", "json", "--paths").output)
    central = next(r for r in payload["routes"] if r["route"] == "Central")
    assert central["gap_flow_share"] == 1.0 and central["unknown_flow_segments"] == 1
    assert payload["selection"]["year"] == 2016
    assert payload["paths"][0]["route"] == "Central"


def test_console_script_runs():
    result = subprocess.run(
        [sys.executable, "-m", "routes", "gaps", "--data", str(TINY), "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("origin,origin_name,destination")


# -- wrong usage: exit 2 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gaps", "--theme", "vsia"], "'vsia' is not one of"),
        (["gaps", "--kind", "pact"], "'pact' is not one of"),
        (["gaps", "--min-tier", "any"], "'any' is not one of"),
        (["gaps", "--year", "soon"], "'soon' is not a valid integer"),
        (["gaps", "--as-of", "2016-13-01"], "2016-13-01"),
        (["gaps", "--format", "xml"], "'xml' is not one of"),
        (["gaps", "--route", "Centrl"], "unknown route 'Centrl'; did you mean 'Central'"),
        (["nonsense"], "No such command"),
    ],
)
def test_wrong_usage_exits_2(args, message):
    result = run(*args[:1], "--data", TINY, *args[1:]) if args[0] != "nonsense" else run(*args)
    assert result.exit_code == 2
    assert message in result.stderr


# -- bad data: exit 1, with file, line and field -----------------------------------------


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_DATA = [
    # (file, old text, new text, expected message fragment)
    ("segments.csv", "Central,NER,LBY,2016,100", "Central,NER,LBY,2016,-5", "line 3, field 'flow': '-5' is negative"),
    (
        "segments.csv",
        "Central,NER,LBY,2016,100",
        "Central,NER,LBY,2016,many",
        "line 3, field 'flow': 'many' is not a number",
    ),
    (
        "segments.csv",
        "Central,NER,LBY,2016,100",
        "Central,NER,Lybia,2016,100",
        "line 3, field 'destination': unknown country 'Lybia'",
    ),
    ("segments.csv", "Central,NER,LBY,2016,100", "Central,Nigerr,LBY,2016,100", "did you mean Niger (NER)"),
    (
        "segments.csv",
        "Central,NER,LBY,2016,100",
        "Central,LBY,LBY,2016,100",
        "line 3, field 'destination': a segment from a country to itself (LBY)",
    ),
    (
        "segments.csv",
        "Central,NER,LBY,2016,100",
        "Central,NER,LBY,2016/7,100",
        "line 3, field 'year': '2016/7' is not a year",
    ),
    ("segments.csv", "Central,NER,LBY,2016,100", "Central,NER,LBY,,100", "line 3, field 'year': a flow needs the year"),
    (
        "segments.csv",
        "Central,LBY,ITA,2017,500",
        "Central,LBY,ITA,2016,500",
        "line 5, field 'year': duplicate of the row at line 4",
    ),
    ("segments.csv", "https://example.org/iom", "", "line 3, field 'source': is required and empty"),
    ("segments.csv", "route,origin", "path,origin", "line 1: missing column(s): route"),
    ("segments.csv", "Central,NER,LBY,2016,100,", 'Central,NER,LBY,2016,100,"unclosed', "malformed CSV"),
    (
        "segments.csv",
        "Central,TUN,ITA,,,,https://example.org/central,,",
        "Central,TUN,ITA",
        "line 6: row has 3 fields, the header has 9",
    ),
    ("segments.csv", ",approx,", ",approximately,", "line 3, field 'status': unknown status 'approximately'"),
    (
        "partnerships.yaml",
        "signed: 2016-03-18",
        "signed: 18 March 2016",
        "line 5, field 'signed': '18 March 2016' is not a date",
    ),
    (
        "partnerships.yaml",
        "signed: 2017-02-02",
        "signed: 2017-02-02\n  ended: 2016-01-01",
        "line 16, field 'ended': 2016-01-01 is not after the start (2017-02-02)",
    ),
    (
        "partnerships.yaml",
        "themes: [return-readmission]",
        "themes: [readmission]",
        "line 26, field 'theme': unknown theme 'readmission'",
    ),
    ("partnerships.yaml", "kind: mou", "kind: memo", "line 13, field 'kind': unknown kind 'memo'"),
    (
        "partnerships.yaml",
        "id: it-lby-mou",
        "id: eu-tur-statement",
        "line 11, field 'id': duplicate id 'eu-tur-statement' (first at line 1)",
    ),
    (
        "partnerships.yaml",
        "parties: [ITA, LBY]",
        "parties: [ITA, AU]",
        "line 14, field 'parties': unknown country 'AU'",
    ),
    ("partnerships.yaml", "parties: [ITA, LBY]", "parties: [ITA, AFRICA]", "(and not a group; groups: DIALOGUE, EU)"),
    (
        "partnerships.yaml",
        "binding: true",
        "binding: maybe",
        "line 25, field 'binding': 'maybe': use true, false or null",
    ),
    (
        "partnerships.yaml",
        "source: https://example.org/mou",
        "sauce: https://example.org/mou",
        "line 18, field 'sauce': unknown field",
    ),
    (
        "partnerships.yaml",
        "  themes: [development, legal-pathways]",
        "  themes: [development, legal-pathways",
        "malformed YAML",
    ),
    (
        "partnerships.yaml",
        "signed: 2016-03-18",
        "signed: 2016-03-18\n  in_force: 2016-01-01",
        "line 6, field 'in_force': 2016-01-01 is before 'signed' (2016-03-18)",
    ),
    (
        "partnerships.yaml",
        "signed: 2007-09-18",
        "signed: 2007-09-18\n  signed: 2007-09-19",
        "line 24, field 'signed': duplicate key",
    ),
    (
        "blocs.yaml",
        "code: GBR, from: 1973-01-01, until: 2020-02-01",
        "code: GBR, from: 1973-01-01, until: 1970-01-01",
        "line 9, field 'until': 1970-01-01 is not after 'from'",
    ),
    (
        "blocs.yaml",
        "code: GRC, from: 1981-01-01",
        "code: GRR, from: 1981-01-01",
        "line 8, field 'code': unknown country 'GRR'",
    ),
    (
        "blocs.yaml",
        "code: GRC, from: 1981-01-01",
        "code: GRC, from: soon",
        "line 8, field 'from': 'soon' is not a date",
    ),
    ("blocs.yaml", "DIALOGUE:", "UK:", "line 10, field 'code': 'UK' is also a country (GBR)"),
    (
        "blocs.yaml",
        "  internal: true",
        "  internal: yes please",
        "line 3, field 'internal': 'yes please': use true or false",
    ),
    (
        "partnerships.yaml",
        "source: https://example.org/mou",
        "source: https://example.org/mou ; https://example.org/other",
        "line 18, field 'source': 'https://example.org/mou ; https://example.org/other'… joins several URLs",
    ),
    (
        "partnerships.yaml",
        "parties: [EU, MKD]",
        "parties: [EU, MKD]\n  participants: [FRA, TUN]",
        "line 23, field 'participants': TUN is never a member of EU",
    ),
    (
        "partnerships.yaml",
        "parties: [ITA, LBY]",
        "parties: [ITA, LBY]\n  participants: [ITA]",
        "line 15, field 'participants': only an instrument with a group party",
    ),
    (
        "partnerships.yaml",
        "parties: [ITA, LBY]",
        "parties: [ITA]",
        "line 14, field 'parties': one country joins nothing",
    ),
    (
        "partnerships.yaml",
        "signed: 2017-02-02",
        "signed: 2017-02-02\n  suspended: [{from: 2018-01-01, until: 2017-01-01}]",
        "line 16, field 'until': 2017-01-01 is not after 'from' (2018-01-01)",
    ),
    (
        "partnerships.yaml",
        "signed: 2017-02-02",
        "signed: 2017-02-02\n  suspended: [{since: 2018-01-01}]",
        "line 16, field 'since': unknown field",
    ),
    ("partnerships.yaml", "kind: mou", "kind: mou\n  tier: strong", "line 14, field 'tier': unknown tier 'strong'"),
    (
        "segments.csv",
        "https://example.org/iom",
        "https://example.org/iom and https://example.org/unhcr",
        "line 3, field 'source': 'https://example.org/iom and https://example.org/unhcr'… joins several URLs",
    ),
    ("route_flows.csv", "Central,2016,1200", "Centre,2016,1200", "line 2, field 'route': 'Centre' is not a route"),
    ("route_flows.csv", "Central,2017,600", "Central,2016,600", "line 3, field 'year': duplicate of the row at line 2"),
    ("route_flows.csv", "Central,2016,1200", "Central,,1200", "line 2, field 'year': is required and empty"),
    ("countries.csv", "NER,Niger,9.4,17.6", "NER,Niger,east,17.6", "line 2, field 'lon': 'east' is not a number"),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), BAD_DATA, ids=[f"{b[0]}:{b[3][:40]}" for b in BAD_DATA])
def test_bad_data_is_a_clear_error(tiny, name, old, new, message):
    edit(tiny, name, old, new)
    before = {p.name: p.read_bytes() for p in tiny.iterdir()}
    for command in ("validate", "gaps"):
        result = run(command, "--data", tiny)
        assert result.exit_code == 1, result.output
        assert f"{tiny / name}" in result.stderr
        assert message in result.stderr, result.stderr
    assert {p.name: p.read_bytes() for p in tiny.iterdir()} == before  # reading never changes the data


def test_unknown_bloc_party_is_reported(tiny):
    edit(tiny, "partnerships.yaml", "parties: [EU, MKD]", "parties: [AU, MKD]")
    result = run("validate", "--data", tiny)
    assert result.exit_code == 1 and "unknown country 'AU'" in result.stderr and "groups: DIALOGUE, EU" in result.stderr


def test_missing_folder_and_files(tmp_path):
    result = run("gaps", "--data", tmp_path / "nowhere")
    assert result.exit_code == 1 and "data set folder does not exist" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("validate", "--data", empty)
    assert result.exit_code == 1
    for name in ("segments.csv", "partnerships.yaml", "blocs.yaml"):
        assert f"{empty / name}: file is missing" in result.stderr


def test_every_problem_is_reported_at_once(tiny):
    edit(tiny, "segments.csv", "Central,NER,LBY,2016,100", "Central,NER,LBY,2016,-1")
    edit(tiny, "partnerships.yaml", "kind: mou", "kind: memo")
    result = run("validate", "--data", tiny)
    assert "2 problem(s)" in result.stderr


def test_country_names_are_resolved(tiny):
    edit(tiny, "segments.csv", "Eastern,IRN,TUR", "Eastern,Iran,Turkey")
    edit(tiny, "segments.csv", "Eastern,TUR,GRC,2016", "Eastern,Türkiye,Greece,2016")
    edit(tiny, "partnerships.yaml", "parties: [ITA, LBY]", "parties: [Italy, Libya]")
    records = json.loads(run("gaps", "--data", tiny, "--year", "2016", "--format", "json").output)
    assert ("IRN", "TUR") in {(r["origin"], r["destination"]) for r in records}
