"""Corridor maps in a real headless Chromium: offline, exact, safe, interactive.

These tests drive Debian's ``/usr/bin/chromium`` through Playwright. In CI
(environment variable ``CI`` set) a missing browser is a failure; elsewhere
the tests are skipped.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import routes
from routes.analysis import gap_records
from routes.maps import corridor_map, save_html
from tests.test_maps import BAD_LINK, IMG, QUOTES, SCRIPT, TICK, TINY, hostile_dataset, series_dataset


def require_browser() -> Path:
    """Chromium's path; fail in CI and skip elsewhere when Chromium or Playwright is missing."""
    from routes._browser import BrowserError, check_browser

    try:
        return check_browser()
    except BrowserError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the browser tests must run in CI: {exc}")
        pytest.skip(f"no browser: {exc}")


@pytest.fixture(scope="module")
def chromium() -> Any:
    """One headless Chromium for the whole module."""
    from playwright.sync_api import sync_playwright

    from routes._browser import CHROMIUM_ARGS

    executable = require_browser()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=list(CHROMIUM_ARGS), chromium_sandbox=False
        )
        yield browser
        browser.close()


class Opened:
    """A map page opened offline, with everything it tried recorded."""

    def __init__(self, browser: Any, path: Path, *, width: int = 1280, height: int = 800) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.url = path.resolve().as_uri()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=15_000)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def ids(self, selector: str) -> set[str]:
        return set(self.page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('data-id'))"))

    def point_on(self, selector: str, share: float = 0.35) -> tuple[float, float]:
        """A screen point on an SVG path (not the middle of its bounding box)."""
        return tuple(
            self.page.eval_on_selector(
                selector,
                """(path, share) => {
                    const p = path.getPointAtLength(path.getTotalLength() * share);
                    const m = path.getScreenCTM();
                    return [p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f];
                }""",
                share,
            )
        )

    def clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.requests == [], self.requests
        assert self.dialogs == [], self.dialogs
        assert self.page.evaluate("typeof window.__pwned") == "undefined"

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def opened(chromium: Any, tmp_path: Path) -> Any:
    pages: list[Opened] = []

    def open_map(m: Any, **size: int) -> Opened:
        path = save_html(m, tmp_path / f"map{len(pages)}.html")
        pages.append(Opened(chromium, path, **size))
        return pages[-1]

    yield open_map
    for page in pages:
        page.close()


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
    assert p.locator(".routes-title").inner_text() == IMG
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
    assert "Joins the two countries of 1 segment(s)" in p.locator(".routes-picked-info").inner_text()
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
