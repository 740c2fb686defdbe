"""Corridor maps: offline, exact, safe, reproducible — checked on the HTML itself.

The browser half (a real headless Chromium) is in ``test_maps_browser.py``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import routes
from routes.analysis import gap_records
from routes.maps import (
    TIER_COLORS,
    arc_coordinates,
    corridor_map,
    embed_html,
    expand_payload,
    render_html,
)
from tests.conftest import FIXTURES, ROOT, partnership, run, segment, write_dataset

TINY = FIXTURES / "tiny"

# Strings that must reach the page as text and never run.
IMG = '<img src=x onerror="window.__pwned=1;alert(1)">'
QUOTES = "\"quotes' & <b>bold</b>"
TICK = "back`tick ${1+1} {{7*7}} {% raw %}"
SCRIPT = "</script><script>window.__pwned=2;alert(2)</script><!--"
BAD_LINK = "javascript:window.__pwned=3;alert(3)"


def payload(page: str) -> dict:
    """The map's data as the page reads it (tables expanded)."""
    match = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', page, re.S)
    assert match, "no data block"
    return expand_payload(json.loads(match.group(1)))


def drawn_gaps(data: dict, year_index: int) -> set[tuple[str, str]]:
    return {
        (f["properties"]["origin"], f["properties"]["destination"])
        for f in data["segments"]["features"]
        if f["properties"]["y"][year_index] and f["properties"]["y"][year_index]["gap"]
    }


def hostile_dataset(folder: Path) -> Path:
    """A data set whose free-text fields carry script payloads."""
    rows = [
        segment(SCRIPT, "TUR", "GRC", 2016, 800, measure=QUOTES, note=IMG, source=BAD_LINK),
        segment(SCRIPT, "GRC", "MKD", 2016, "", source="https://example.org/ok?a=1&b=<2>"),
        segment("Plain", "LBY", "ITA", 2016, 100),
    ]
    partnerships = [
        partnership("evil", ["TUR", "GRC"], signed="2010-01-01", name=TICK, notes=IMG, source=BAD_LINK),
        partnership("quotes", ["ITA", "LBY"], signed="2010-01-01", name=QUOTES, source="https://example.org/p?x=<y>"),
    ]
    countries = [
        {"code": "TUR", "name": IMG, "lon": 35.2, "lat": 39.0},
        {"code": "GRC", "name": QUOTES, "lon": 22.0, "lat": 39.1},
        {"code": "MKD", "name": TICK, "lon": 21.7, "lat": 41.6},
    ]
    return write_dataset(folder, rows, partnerships, countries=countries)


def series_dataset(folder: Path) -> Path:
    """2015–2017 flows; a Türkiye–Greece partnership starts in mid-2016."""
    rows = []
    for year, flow in ((2015, 850000), (2016, 180000), (2017, 30000)):
        rows += [segment("Eastern", "TUR", "GRC", year, flow), segment("Eastern", "GRC", "MKD", year, flow // 2)]
    rows.append(segment("Eastern", "AFG", "IRN"))
    partnerships_ = [
        partnership("tr-gr", ["TUR", "GRC"], signed="2016-06-01", name="Türkiye–Greece protocol"),
        partnership("gr-mk", ["GRC", "MKD"], signed="2000-01-01", name="Greece–North Macedonia agreement"),
    ]
    return write_dataset(folder, rows, partnerships_)


# -- the library ---------------------------------------------------------------------------


def test_corridor_map_is_a_folium_map_exported_lazily():
    import folium

    m = routes.corridor_map(TINY)
    assert isinstance(m, folium.Map)
    assert "<iframe srcdoc=" in m._repr_html_()  # shows inline in Jupyter


def test_two_renders_are_byte_identical_and_ids_are_restored():
    from branca.element import Element

    before = Element.__dict__["_generate_id"]
    first = render_html(corridor_map(TINY, years=[2016, 2017]))
    second = render_html(corridor_map(TINY, years=[2016, 2017]))
    assert first == second
    m = corridor_map(TINY)
    assert render_html(m) == render_html(m)
    # The counter was scoped to the call: folium is random again afterwards.
    assert Element.__dict__["_generate_id"] is before
    import folium

    assert folium.Map().get_name() != folium.Map().get_name()


def test_folium_class_defaults_are_not_changed():
    import folium

    js, css = list(folium.Map.default_js), list(folium.Map.default_css)
    corridor_map(TINY)
    assert folium.Map.default_js == js and folium.Map.default_css == css
    assert "cdn.jsdelivr.net" in folium.Map().get_root().render()


@pytest.mark.parametrize(
    "options",
    [{}, {"year": 2016}, {"min_tier": "forum"}, {"themes": ["border-management"]}, {"as_of": "2016-03-01"}],
)
def test_gap_arcs_are_exactly_the_gaps(options):
    G = routes.build_graph(routes.load(TINY), **options)
    data = payload(render_html(corridor_map(G)))
    assert len(data["segments"]["features"]) == G.number_of_edges()
    assert drawn_gaps(data, 0) == {(r["origin"], r["destination"]) for r in gap_records(G)}
    counts = data["years"][0]["counts"]
    assert counts["gaps"] == len(gap_records(G))
    assert sum(counts[t] for t in (*routes.SEGMENT_TIERS, "internal")) == G.number_of_edges() == counts["segments"]
    assert counts["internal"] == sum(d["internal"] for _, _, d in G.edges(data=True))


def test_every_year_of_a_series_matches_its_own_graph(tmp_path):
    folder = series_dataset(tmp_path / "series")
    data = payload(render_html(corridor_map(folder, years=range(2015, 2018))))
    assert [y["year"] for y in data["years"]] == [2015, 2016, 2017]
    assert data["start"] == 2  # the latest year is shown first
    dataset = routes.load(folder)
    for i, year in enumerate((2015, 2016, 2017)):
        G = routes.build_graph(dataset, year=year)
        assert drawn_gaps(data, i) == {(r["origin"], r["destination"]) for r in gap_records(G)}
    assert ("TUR", "GRC") in drawn_gaps(data, 0)
    assert ("TUR", "GRC") not in drawn_gaps(data, 1)


def test_graphs_can_be_passed_directly():
    dataset = routes.load(TINY)
    graphs = [routes.build_graph(dataset, year=y) for y in (2017, 2016)]
    data = payload(render_html(corridor_map(graphs)))
    assert [y["year"] for y in data["years"]] == [2016, 2017]
    with pytest.raises(TypeError):
        corridor_map(graphs[0], year=2016)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"years": [2016], "year": 2016}, "not both"),
        ({"years": [2016], "as_of": "2016-01-01"}, "as-of"),
        ({"years": []}, "at least one"),
        ({"tiles": "no such tiles"}, "unknown tile set"),
        ({"tiles": "https://example.org/tiles.png"}, "{z}"),
    ],
)
def test_bad_options_are_clear_errors(options, message):
    with pytest.raises(routes.SelectionError, match=re.escape(message)):
        corridor_map(TINY, **options)


def test_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError):
        corridor_map(TINY, colour="red")


def test_library_prints_nothing(capsys):
    render_html(corridor_map(TINY, tiles="OpenStreetMap"))
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


# -- geometry --------------------------------------------------------------------------------


def test_arcs_bend_apart_and_end_on_their_countries():
    a, b = (35.2, 39.0), (22.0, 39.1)
    there, back = arc_coordinates(a, b), arc_coordinates(b, a)
    assert there[0] == [35.2, 39.0] and there[-1] == [22.0, 39.1]
    assert back[0] == [22.0, 39.1] and back[-1] == [35.2, 39.0]
    mid_there, mid_back = there[len(there) // 2], back[len(back) // 2]
    # Travelling west, bending to the right is bending north; the way back bends south.
    assert mid_there[1] > 39.1 and mid_back[1] < 39.0


def test_arcs_cross_the_180th_meridian_the_short_way():
    coords = arc_coordinates((178.0, -18.0), (-172.0, -14.0))
    lons = [c[0] for c in coords]
    assert max(lons) - min(lons) < 20
    assert coords[-1][0] == pytest.approx(188.0)
    back = arc_coordinates((-172.0, -14.0), (178.0, -18.0))
    assert max(c[0] for c in back) - min(c[0] for c in back) < 20


def test_width_and_unknown_flow_are_documented_and_drawn_apart():
    data = payload(render_html(corridor_map(TINY, year=2016)))
    flows = {f["id"]: f["properties"]["y"][0]["flow"] for f in data["segments"]["features"]}
    assert flows["TUN-ITA"] is None  # unknown stays unknown, never 0
    assert data["flow_max"] == 1000
    script = "".join(
        (Path(routes.__file__).parent / "_map_assets" / name).read_text(encoding="utf-8")
        for name in ("core.js", "legend.js")
    )
    assert "Math.sqrt" in script and "DASH_UNKNOWN" in script and "flow unknown" in script


def test_tier_palette_is_ordered_and_distinct():
    assert list(TIER_COLORS) == ["binding", "operational", "political", "forum", "none", "internal"]
    assert len(set(TIER_COLORS.values())) == len(TIER_COLORS)

    def luminance(hex_colour: str) -> float:
        r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    # Covered tiers: one hue, darker for deeper cooperation, so the order survives any colour vision.
    blues = [luminance(TIER_COLORS[t]) for t in ("binding", "operational", "political")]
    assert blues == sorted(blues)


def test_a_country_without_position_is_listed_not_drawn(tmp_path):
    folder = write_dataset(
        tmp_path / "nopos",
        [segment("R", "TUR", "GRC", 2016, 5), segment("R", "GRC", "MKD", 2016, 3)],
        [partnership("p", ["TUR", "GRC"])],
        countries=[{"code": "MKD", "name": "North Macedonia", "lon": "", "lat": ""}],
    )
    data = payload(render_html(corridor_map(folder)))
    assert [f["id"] for f in data["segments"]["features"]] == ["TUR-GRC"]
    assert data["undrawn"] == [["GRC", "MKD"]]


# -- offline ---------------------------------------------------------------------------------


def test_page_needs_no_network():
    page = render_html(corridor_map(TINY))
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+stylesheet", page)
    assert not re.search(r"@import", page)
    for url in re.findall(r"url\(([^)]*)\)", page):
        assert url.strip("'\"").startswith(("data:", "#default#VML")), url
    for host in ("cdn.jsdelivr", "cdnjs", "bootstrapcdn", "code.jquery", "unpkg", "fontawesome"):
        assert host not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "Leaflet 1.9.3" in page  # inlined from xstatic-leaflet
    assert "sourceMappingURL" not in page
    # What the map does not use is left out.
    assert "jQuery" not in page and "bootstrap" not in page.lower() and "awesome" not in page.lower()
    assert re.search(r"\.leaflet-default-icon-path \{[^}]*background-image: none;", page)


def test_tiles_only_when_asked():
    assert "tile.openstreetmap.org" not in render_html(corridor_map(TINY))
    page = render_html(corridor_map(TINY, tiles="OpenStreetMap"))
    assert "tile.openstreetmap.org" in page
    assert "Content-Security-Policy" not in page  # the page now needs the network


def test_jquery_and_marker_images_come_inline_when_added_elements_use_them():
    import folium

    m = corridor_map(TINY)
    folium.Marker([40, 20], popup=folium.Popup("<b>x</b>")).add_to(m)
    page = render_html(m)
    assert "jQuery" in page and "L.Icon.Default.imagePath" in page
    assert 'L.Icon.Default.prototype.options.iconUrl="data:image/png;base64,' in page
    assert not re.search(r"<script[^>]+src=", page)


def test_assets_ship_inside_the_package():
    from routes.maps import SCRIPTS

    folder = Path(routes.__file__).parent / "_map_assets"
    assert (folder / "controls.css").is_file()
    assert all((folder / name).is_file() for name in SCRIPTS)
    # Every module in the folder is on the page, none is forgotten.
    assert sorted(p.name for p in folder.glob("*.js")) == sorted(SCRIPTS)
    # No third-party file is kept in the repository.
    skip = {"build", "dist", "node_modules", "__pycache__"}
    tracked = [
        p.name
        for p in ROOT.rglob("*")
        if not any(part.startswith(".") or part in skip for part in p.relative_to(ROOT).parts)
    ]
    assert "leaflet.js" not in tracked and "leaflet.css" not in tracked and "jquery.min.js" not in tracked


# -- safety ----------------------------------------------------------------------------------


def test_data_strings_are_escaped(tmp_path):
    folder = hostile_dataset(tmp_path / "hostile")
    page = render_html(corridor_map(folder, title=IMG))
    for needle in (IMG, SCRIPT, "<b>bold</b>", "<!--"):
        assert needle not in page
    # The only </script> tags are the page's own.
    assert page.lower().count("</script") == page.lower().count("<script")
    # Jinja never sees the data: {{7*7}} stays as written.
    data = payload(page)
    assert data["partnerships"]["evil"]["name"] == TICK
    assert data["names"]["TUR"] == IMG
    assert data["title"] == IMG
    assert data["segments"]["features"][0]["properties"]["routes"] == [SCRIPT]
    assert "<title>&lt;img" in page


def test_every_page_script_parses(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    folder = hostile_dataset(tmp_path / "hostile")
    page = render_html(corridor_map(folder, title=TICK, years=[2015, 2016]))
    scripts = re.findall(r"<script(?![^>]*application/json)[^>]*>(.*?)</script>", page, re.S)
    assert len(scripts) >= 3
    for i, script in enumerate(scripts):
        path = tmp_path / f"script{i}.js"
        path.write_text(script, encoding="utf-8")
        result = subprocess.run([node, "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S):
        json.loads(block)


def test_embed_fragment_is_an_attribute_escaped_iframe(tmp_path):
    folder = hostile_dataset(tmp_path / "hostile")
    m = corridor_map(folder, title=QUOTES)
    fragment = embed_html(m, width=800, height=500)
    match = re.fullmatch(
        r'<div class="routes-embed" style="([^"]*)"><iframe ([^<>]*) srcdoc="([^"<>]*)"></iframe></div>\n', fragment
    )
    assert match, fragment[:300]
    assert "aspect-ratio:800/500" in match.group(1) and "width:100%" in match.group(1)
    assert 'width="800"' in match.group(2) and 'height="500"' in match.group(2)
    assert 'sandbox="allow-scripts' in match.group(2)
    assert html.unescape(match.group(3)) == render_html(m)


# -- command line ----------------------------------------------------------------------------


def test_cli_writes_the_default_path_with_title(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("map", "--data", TINY, "--title", "Aegean <briefing>")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "maps" / "corridors.html").read_text(encoding="utf-8")
    assert payload(page)["title"] == "Aegean <briefing>"
    assert "<title>Aegean &lt;briefing&gt;</title>" in page
    assert "wrote maps/corridors.html" in result.stderr


def test_cli_tiles_only_when_asked(tmp_path):
    run("map", "--data", TINY, "-o", tmp_path / "plain.html")
    run("map", "--data", TINY, "-o", tmp_path / "tiles.html", "--tiles", "OpenStreetMap")
    assert "tile.openstreetmap.org" not in (tmp_path / "plain.html").read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in (tmp_path / "tiles.html").read_text(encoding="utf-8")


def test_cli_embed_and_years(tmp_path):
    result = run(
        "map", "--data", TINY, "-o", tmp_path / "m.html", "--embed", tmp_path / "e.html", "--years", "2016,2017-2018"
    )
    assert result.exit_code == 0, result.output
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    fragment = (tmp_path / "e.html").read_text(encoding="utf-8")
    assert fragment.startswith('<div class="routes-embed"') and 'width="1280" height="800"' in fragment
    assert html.unescape(re.search(r'srcdoc="([^"]*)"', fragment).group(1)) == page
    assert [y["year"] for y in payload(page)["years"]] == [2016, 2017, 2018]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--years", "2016-"], "is not a year"),
        (["--years", "abc"], "is not a year"),
        (["--years", ""], "is not a year"),
        (["--years", "2018-2016"], "ends before it starts"),
        (["--years", "2016,,2017"], "is not a year"),
        (["--years", "2016", "--year", "2016"], "not both"),
        (["--years", "2016-2017", "--as-of", "2016-05-01"], "--as-of"),
        (["--size", "big"], "WIDTHxHEIGHT"),
        (["--tiles", "no such tiles"], "unknown tile set"),
        (["--route", "Nowhere"], "unknown route"),
    ],
)
def test_cli_wrong_usage_exits_2(tmp_path, args, message):
    result = run("map", "--data", TINY, "-o", tmp_path / "m.html", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "m.html").exists()


def test_cli_png_without_chromium_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTES_CHROMIUM", str(tmp_path / "no-chromium"))
    result = run("map", "--data", TINY, "-o", tmp_path / "m.html", "--png", tmp_path / "m.png")
    assert result.exit_code == 1
    assert "ROUTES_CHROMIUM points to" in result.stderr and "does not exist" in result.stderr
    assert not (tmp_path / "m.png").exists()


def test_cli_png_without_playwright_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTES_CHROMIUM", sys.executable)  # any existing file will do
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    result = run("map", "--data", TINY, "-o", tmp_path / "m.html", "--png", tmp_path / "m.png")
    assert result.exit_code == 1
    assert "needs Playwright" in result.stderr


def in_fresh_python(code: str, *, command: list[str] | None = None) -> None:
    """Run ``code`` in a new interpreter (what it imports is its own), after the command line's ``command``."""
    if command is not None:
        code = (
            "import sys; from click.testing import CliRunner; from routes.cli import main; "
            f"r = CliRunner().invoke(main, {command!r}); assert r.exit_code == 0, r.output; {code}"
        )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_gaps_command_does_not_load_the_map_libraries():
    in_fresh_python(
        "heavy = [m for m in ('folium', 'branca', 'geopandas', 'routes.maps', 'playwright') if m in sys.modules]; "
        "assert not heavy, heavy",
        command=["gaps", "--data", str(TINY)],
    )


def test_map_commands_load_folium_without_pandas_and_leave_the_library_alone(tmp_path):
    """The command line spares folium's optional pandas import; the library does not touch folium's."""
    in_fresh_python(
        "import folium.utilities as u; assert u.pd is None and 'pandas' not in sys.modules, 'pandas loaded'",
        command=["report", "--data", str(TINY), "-o", str(tmp_path / "r.html")],
    )
    in_fresh_python("import routes.maps, folium.utilities as u; assert u.pd is not None, 'folium without pandas'")


def test_cli_help_lists_map():
    assert "map" in run("--help").output
    help_text = run("map", "--help").output
    for option in ("--years", "--output", "--title", "--tiles", "--embed", "--png", "--theme", "--binding-only"):
        assert option in help_text


# -- the bundled data set ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> routes.Dataset:
    try:
        return routes.load()
    except routes.DataError as exc:  # pragma: no cover - while the data set is being written
        pytest.skip(f"the bundled data set does not validate yet: {exc.problems[0]}")


def test_bundled_map_is_light_and_exact(bundled):
    G = routes.build_graph(bundled)
    page = render_html(corridor_map(bundled))
    assert len(page.encode("utf-8")) < 2_000_000
    data = payload(page)
    drawn = len(data["segments"]["features"]) + len(data["undrawn"])
    assert drawn == G.number_of_edges()
    assert drawn_gaps(data, 0) | {tuple(p) for p in data["undrawn"] if G.edges[tuple(p)]["gap"]} == {
        (r["origin"], r["destination"]) for r in gap_records(G)
    }
    assert nx.utils.graphs_equal(G, routes.build_graph(bundled))  # drawing did not change the graph


def test_lines_are_encoded_compactly_and_decoded_exactly():
    from routes.shapes import read_shapes

    dataset = routes.load()
    page = render_html(corridor_map(dataset))
    data = payload(page)  # decoded as the page decodes it
    shapes = read_shapes(dataset.shapes)
    decoded = {f["properties"]["code"]: f["geometry"]["coordinates"] for f in data["shapes"]["features"]}
    assert decoded == {f["properties"]["code"]: f["geometry"]["coordinates"] for f in shapes["features"]}
    raw = json.loads(re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', page, re.S).group(1))
    ring = raw["shapes"]["features"][0]["geometry"]["coordinates"][0]
    assert all(isinstance(v, int) for v in (ring[0] if isinstance(ring[0], list) else ring))
    assert len(page.encode("utf-8")) < 1_000_000  # the bundled map page with issue 11's features (issue 13)
