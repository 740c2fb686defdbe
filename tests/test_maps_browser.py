"""Corridor maps in a real headless Chromium: offline, exact, safe, interactive.

These tests drive Debian's ``/usr/bin/chromium`` through Playwright. In CI
(environment variable ``CI`` set) a missing browser is a failure; elsewhere
the tests are skipped.
"""

from __future__ import annotations

import struct
import subprocess
import sys

import pytest

import routes
from routes.analysis import gap_records
from routes.maps import corridor_map
from tests.conftest import require_browser
from tests.test_maps import BAD_LINK, IMG, QUOTES, SCRIPT, TICK, TINY, hostile_dataset, series_dataset


def test_map_opens_offline_and_draws_every_segment(opened):
    dataset = routes.load(TINY)
    G = routes.build_graph(dataset)
    page = opened(corridor_map(G))
    page.clean()
    assert page.page.locator("path.routes-arc").count() == G.number_of_edges()
    assert page.page.locator("path.routes-arrow").count() == G.number_of_edges()
    assert page.page.locator("path.routes-node").count() == G.number_of_nodes()
    assert page.ids("path.routes-arc[data-gap='1']") == {f"{r['origin']}-{r['destination']}" for r in gap_records(G)}
    legend = page.page.locator(".routes-legend")
    assert legend.is_visible()
    assert legend.locator(".routes-count[data-tier='gap']").inner_text() == str(len(gap_records(G)))
    assert "flow unknown" in legend.inner_text()
    assert page.page.locator(".routes-title").is_visible()
    caption = page.page.locator(".routes-caption").inner_text()
    assert "2021" in caption and "political tier or above" in caption and "Natural Earth" in caption
    # Unknown flows are dashed, known ones are not.
    dashed = page.page.eval_on_selector_all(
        "path.routes-arc", "els => els.filter(e => e.getAttribute('stroke-dasharray')).length"
    )
    assert dashed == page.page.locator("path.routes-arc[data-flow='unknown']").count() > 0


def test_bundled_map_opens_offline(opened):
    try:
        dataset = routes.load()
    except routes.DataError:  # pragma: no cover - while the data set is being written
        pytest.skip("the bundled data set does not validate yet")
    G = routes.build_graph(dataset)
    page = opened(corridor_map(dataset))
    page.clean()
    assert page.page.locator("path.routes-arc").count() == G.number_of_edges()
    assert page.ids("path.routes-arc[data-gap='1']") == {f"{r['origin']}-{r['destination']}" for r in gap_records(G)}


def test_script_payloads_show_as_text_and_never_run(opened, tmp_path):
    folder = hostile_dataset(tmp_path / "hostile")
    page = opened(corridor_map(folder, title=IMG))
    page.clean()
    p = page.page
    assert p.locator(".routes-title-main").inner_text() == IMG
    assert SCRIPT in p.locator(".routes-panel").inner_text()  # the route switch
    # Tooltip of the Türkiye → Greece arc, by moving the mouse onto it.
    x, y = page.point_on("path.routes-arc[data-id='TUR-GRC']")
    p.mouse.move(x, y)
    tip = p.locator(".leaflet-tooltip.routes-tip")
    tip.wait_for(state="visible", timeout=5_000)
    text = tip.inner_text()
    assert IMG in text and QUOTES in text and TICK in text and SCRIPT in text
    # Popup: partnership details, notes and sources as text; no javascript: link.
    p.mouse.click(x, y)
    popup = p.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=5_000)
    text = popup.inner_text()
    assert TICK in text and IMG in text and BAD_LINK in text
    assert p.locator(".leaflet-popup-content a[href^='javascript' i]").count() == 0
    assert p.locator(".leaflet-popup-content img").count() == 0
    # Picking the partnership whose name carries a template literal.
    p.select_option(".routes-picker", "evil")
    assert TICK in p.locator(".routes-legend").inner_text()
    page.clean()


def test_year_switch_changes_which_segments_are_gaps(opened, tmp_path):
    folder = series_dataset(tmp_path / "series")
    page = opened(corridor_map(folder, years=[2015, 2016, 2017]))
    p = page.page
    gap = "path.routes-arc[data-id='TUR-GRC']"
    assert p.locator(gap).get_attribute("data-gap") == "0"  # 2017: the protocol is in force
    p.select_option(".routes-year", label="2015")
    assert p.locator(gap).get_attribute("data-gap") == "1"
    assert p.locator(gap).get_attribute("data-tier") == "none"  # Greece's other partnership does not join Türkiye
    assert "2015" in p.locator(".routes-legend-title").first.inner_text()
    dataset = routes.load(folder)
    for label in ("2015", "2016", "2017"):
        p.select_option(".routes-year", label=label)
        G = routes.build_graph(dataset, year=int(label))
        expected = {f"{r['origin']}-{r['destination']}" for r in gap_records(G)}
        assert page.ids("path.routes-arc[data-gap='1']") == expected
        assert p.locator(".routes-count[data-tier='gap']").inner_text() == str(len(expected))
    p.click(".routes-prev")
    assert p.locator(".routes-year").input_value() == "1"
    page.clean()


def test_gaps_only_route_switch_and_partnership_picker(opened):
    G = routes.build_graph(routes.load(TINY), year=2016)
    page = opened(corridor_map(G))
    p = page.page
    gaps = {f"{r['origin']}-{r['destination']}" for r in gap_records(G)}
    p.check(".routes-gaps-only")
    assert page.ids("path.routes-arc") == gaps
    p.uncheck(".routes-gaps-only")
    assert p.locator("path.routes-arc").count() == G.number_of_edges()
    p.uncheck(".routes-route[value='Eastern']")
    eastern = {f"{u}-{v}" for u, v, d in G.edges(data=True) if "Eastern" in d["routes"]}
    assert page.ids("path.routes-arc").isdisjoint(eastern)
    p.check(".routes-route[value='Eastern']")
    p.select_option(".routes-picker", "eu-tur-statement")
    covered = {f"{u}-{v}" for u, v, d in G.edges(data=True) if "eu-tur-statement" in d["partnerships"]}
    assert covered and page.ids("path.routes-arc[data-picked='joins']") == covered
    assert "Joins the two countries of 1 segment in" in p.locator(".routes-picked-info").inner_text()
    page.clean()


def test_country_search_and_full_screen(opened):
    page = opened(corridor_map(TINY))
    p = page.page
    p.fill(".routes-search", "türk")
    p.press(".routes-search", "Enter")
    popup = p.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=5_000)
    assert "Türkiye (TUR)" in popup.inner_text() and "EU-Turkey Statement" in popup.inner_text()
    p.fill(".routes-search", "Atlantis")
    p.press(".routes-search", "Enter")
    assert "Atlantis" in p.locator(".routes-search-msg").inner_text()
    p.click(".routes-fullscreen-button")
    p.wait_for_function(
        "() => document.fullscreenElement !== null || document.querySelector('.routes-pseudo-fullscreen') !== null"
    )
    assert p.locator(".routes-legend").is_visible()  # the legend is a map control: it stays
    page.clean()


def test_cli_png_is_drawn_by_chromium(tmp_path):
    require_browser()
    # A process of its own: Playwright's sync API cannot nest inside the module's browser.
    args = ["map", "--data", str(TINY), "-o", str(tmp_path / "m.html"), "--png", str(tmp_path / "m.png")]
    result = subprocess.run(
        [sys.executable, "-m", "routes", *args, "--size", "640x400"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data = (tmp_path / "m.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 800)  # device scale factor 2
