"""The corridor map as planners and briefing teams use it, in a real headless Chromium.

Screen sizes, labels, search by common names, print, embedding, comparing two
years, following a route, country pages, exports, shareable links and the
keyboard (issue 11). The fixtures (``browser``, ``opened``) are in conftest.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from pathlib import Path
from typing import Any

import pytest

import routes
from routes.maps import corridor_map, embed_html
from tests.conftest import partnership, run, segment, write_dataset
from tests.test_maps import TINY, payload

SIZES = [(390, 844), (640, 400), (1024, 768), (1600, 1000)]
CONTROLS = ".routes-map .leaflet-control"

BOXES = """sel => Array.from(document.querySelectorAll(sel))
    .map(e => { const r = e.getBoundingClientRect(); return {name: e.className.baseVal ?? e.className,
        x: r.left, y: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height}; })
    .filter(b => b.w > 0 && b.h > 0)"""


def overlapping(boxes: list[dict], tolerance: float = 0.5) -> list[tuple[str, str]]:
    return [
        (a["name"], b["name"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x"] < b["r"] - tolerance
        and b["x"] < a["r"] - tolerance
        and a["y"] < b["b"] - tolerance
        and b["y"] < a["b"] - tolerance
    ]


def settle(page: Any) -> None:
    """Let the page finish laying out (details fire their toggle event after the click)."""
    page.evaluate("() => new Promise(done => setTimeout(() => requestAnimationFrame(() => done()), 50))")


def outside(boxes: list[dict], width: int, height: int) -> list[str]:
    return [b["name"] for b in boxes if b["x"] < -0.5 or b["y"] < -0.5 or b["r"] > width + 0.5 or b["b"] > height + 0.5]


@pytest.fixture(scope="module")
def bundled() -> routes.Dataset:
    return routes.load()


def compare_dataset(folder: Path) -> Path:
    """Two years, 2016 and 2020, with gaps that close and open in between (counted by hand below).

    East: TUR→GRC→MKD→SRB→HUN; Central: LBY→ITA, TUN→ITA.
    - TUR–GRC from 2018 and ITA–TUN from 2017: gaps in 2016, covered in 2020 (closed: 2).
    - ITA–LBY ended 2019 and SRB–HUN suspended from 2019: covered in 2016, gaps in 2020 (opened: 2).
    - GRC–MKD always covered; MKD–SRB never (a gap in both years: unchanged).
    """
    rows = []
    for year, scale in ((2016, 10), (2020, 1)):
        rows += [
            segment("East", "TUR", "GRC", year, 900 * scale),
            segment("East", "GRC", "MKD", year, 500 * scale),
            segment("East", "MKD", "SRB", year, 400 * scale),
            segment("East", "SRB", "HUN", year, 300 * scale),
            segment("Central", "LBY", "ITA", year, 800 * scale),
            segment("Central", "TUN", "ITA", year, 200 * scale),
        ]
    instruments = [
        partnership("tr-gr", ["TUR", "GRC"], signed="2018-01-01", name="Turkey-Greece protocol"),
        partnership("it-tn", ["ITA", "TUN"], signed="2017-05-01", name="Italy-Tunisia arrangement"),
        partnership("it-ly", ["ITA", "LBY"], signed="2010-01-01", ended="2019-01-01", name="Italy-Libya treaty"),
        partnership(
            "rs-hu",
            ["SRB", "HUN"],
            signed="2010-01-01",
            suspended=[{"from": "2019-01-01"}],
            name="Serbia-Hungary arrangement",
        ),
        partnership("gr-mk", ["GRC", "MKD"], signed="2000-01-01", name="Greece-North Macedonia agreement"),
    ]
    countries = [{"code": "MKD", "name": '=HYPERLINK("https://example.org")', "lon": 21.7, "lat": 41.6}]
    route_flows = [
        {"route": "East", "year": 2016, "flow": 98765},
        {"route": "East", "year": 2020, "flow": 12345},
        {"route": "Central", "year": 2020, "flow": ""},
    ]
    return write_dataset(folder, rows, instruments, countries=countries, route_flows=route_flows)


# -- every screen size --------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_controls_never_overlap_and_stay_usable(opened, bundled, width, height):
    page = opened(corridor_map(bundled, years=[2019, 2024]), width=width, height=height)
    p = page.page
    compact = width < 720 or height < 560
    assert (p.locator(".routes-map.routes-compact").count() == 1) == compact

    def check(state: str) -> None:
        boxes = p.evaluate(BOXES, CONTROLS)
        names = " ".join(b["name"] for b in boxes)
        for needed in ("routes-title", "routes-panel", "routes-legend", "routes-caption", "leaflet-control-zoom"):
            assert needed in names, (state, needed)
        assert overlapping(boxes) == [], (state, overlapping(boxes))
        assert outside(boxes, width, height) == [], (state, outside(boxes, width, height))

    check("as opened")
    # On small frames the panel, legend and caption are folded behind their headings.
    for box in (".routes-panel", ".routes-legend", ".routes-caption"):
        assert p.locator(box).evaluate("d => d.open") == (not compact)
    # Open everything: still no overlap, everything inside, and every control usable.
    for box in (".routes-panel", ".routes-legend", ".routes-caption"):
        if not p.locator(box).evaluate("d => d.open"):
            p.click(f"{box} > summary")
    settle(p)
    check("all open")
    p.select_option(".routes-base", label="2019", timeout=3_000)
    p.check(".routes-gaps-only", timeout=3_000)
    p.select_option(".routes-picker", index=1, timeout=3_000)
    p.fill(".routes-search", "Libya", timeout=3_000)
    p.press(".routes-search", "Enter")
    p.locator(".routes-country").wait_for(state="visible", timeout=5_000)
    p.keyboard.press("Escape")
    settle(p)
    check("after use")
    page.clean()


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_labels_name_the_busiest_countries_without_overlap(opened, bundled, width, height):
    page = opened(corridor_map(bundled), width=width, height=height)
    p = page.page
    labels = p.evaluate(BOXES, ".routes-map text.routes-label-text")
    assert len(labels) == int(p.get_attribute(".routes-map", "data-labels"))
    assert len(labels) >= (10 if width < 700 else 30)
    assert overlapping(labels) == []
    assert outside(labels, width, height) == []
    # No label hides a control or a country's dot (other than its own), and labels are drawn above the dots.
    controls = p.evaluate(BOXES, CONTROLS)
    assert overlapping(labels + controls) == overlapping(controls)
    dots = p.evaluate(
        """() => Array.from(document.querySelectorAll('.routes-map path.routes-node')).map(e => {
            const r = e.getBoundingClientRect();
            return {code: e.getAttribute('data-code'), x: r.left, y: r.top, r: r.right, b: r.bottom};
        })"""
    )
    placed = p.eval_on_selector_all(
        ".routes-map text.routes-label-text",
        "els => els.map(e => [e.getAttribute('data-code'), e.classList.contains('routes-label-major')])",
    )
    for label, (code, major) in zip(labels, placed, strict=True):
        if major:
            continue  # the five busiest may cover a small dot when nothing else is free: their name matters most
        covered = [
            d["code"]
            for d in dots
            if d["code"] != code
            and label["x"] < d["r"] - 1
            and d["x"] < label["r"] - 1
            and label["y"] < d["b"] - 1
            and d["y"] < label["b"] - 1
        ]
        assert covered == [], (code, covered)
    above = p.evaluate(
        "() => Number(getComputedStyle(document.querySelector('.leaflet-routesLabels-pane')).zIndex) > "
        "Number(getComputedStyle(document.querySelector('.leaflet-routesNodes-pane')).zIndex)"
    )
    assert above
    texts = p.eval_on_selector_all(".routes-map text.routes-label-text", "els => els.map(e => e.textContent)")
    assert "Libya" in texts and ("Italy" in texts or "ITA" in texts)  # the busiest come first
    page.clean()


# -- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Ivory Coast", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("UK", "GBR"),
        ("United Kingdom", "GBR"),
        ("Ukraine", "UKR"),
        ("Marocco", "MAR"),  # a typo
        ("Lybia", "LBY"),  # two letters swapped
        ("libya", "LBY"),
        ("DZA", "DZA"),
    ],
)
def test_search_finds_countries_by_every_common_name(opened, bundled, typed, code):
    page = opened(corridor_map(bundled))
    assert page.page.evaluate("q => window.routesMaps[0].ctx.find(q)", typed) == {"country": code}


def test_search_opens_country_pages_and_instruments(opened, bundled):
    page = opened(corridor_map(bundled))
    p = page.page
    p.fill(".routes-search", "Ivory Coast")
    p.press(".routes-search", "Enter")
    country = p.locator(".routes-country")
    country.wait_for(state="visible", timeout=5_000)
    assert "(CIV)" in country.inner_text()
    p.fill(".routes-search", "EU-Turkey Statement")
    p.press(".routes-search", "Enter")
    assert p.locator(".routes-picker").input_value() == "eu-tur-statement-2016"
    assert "EU-Turkey Statement" in p.locator(".routes-search-msg").inner_text()
    p.fill(".routes-search", "Atlantis")
    p.press(".routes-search", "Enter")
    assert "Nothing called" in p.locator(".routes-search-msg").inner_text()
    page.clean()


# -- compare two years, follow a route, country pages ----------------------------------------


def test_compare_mode_counts_gaps_opened_and_closed(opened, tmp_path):
    folder = compare_dataset(tmp_path / "compare")
    page = opened(corridor_map(folder, years=[2016, 2020], base_year=2016))
    p = page.page
    assert p.locator(".routes-year").input_value() == "1"  # 2020, the latest
    assert p.locator(".routes-base").input_value() == "0"
    legend = p.locator(".routes-legend")
    assert legend.locator(".routes-count[data-change='opened']").inner_text() == "2"
    assert legend.locator(".routes-count[data-change='closed']").inner_text() == "2"
    assert page.ids("path.routes-arc[data-change='opened']") == {"LBY-ITA", "SRB-HUN"}
    assert page.ids("path.routes-arc[data-change='closed']") == {"TUR-GRC", "TUN-ITA"}
    assert "2020 compared with 2016" in p.locator(".routes-subtitle").inner_text()
    # Gaps only, while comparing: the gaps of 2020 and the segments whose gap closed.
    p.check(".routes-gaps-only")
    assert page.ids(".routes-map path.routes-arc") == {"LBY-ITA", "SRB-HUN", "MKD-SRB", "TUR-GRC", "TUN-ITA"}
    # Compared the other way round, opened and closed swap.
    p.select_option(".routes-year", label="2016")
    p.select_option(".routes-base", label="2020")
    assert legend.locator(".routes-count[data-change='opened']").inner_text() == "2"
    assert page.ids("path.routes-arc[data-change='opened']") == {"TUR-GRC", "TUN-ITA"}
    # No base: nothing is marked.
    p.select_option(".routes-base", value="")
    assert p.locator("path.routes-arc[data-change]").count() == 0
    assert legend.locator("[data-change]").count() == 0
    page.clean()


def test_route_view_emphasises_break_points(opened, tmp_path):
    folder = compare_dataset(tmp_path / "compare")
    page = opened(corridor_map(folder, years=[2016, 2020]))
    p = page.page
    width = (
        "id => Number(document.querySelector(`.routes-map path.routes-arc[data-id='${id}']`)"
        ".getAttribute('stroke-width'))"
    )
    before = {i: p.evaluate(width, i) for i in ("MKD-SRB", "GRC-MKD")}
    p.select_option(".routes-focus", "East")
    assert page.ids(".routes-map path.routes-arc") == {"TUR-GRC", "GRC-MKD", "MKD-SRB", "SRB-HUN"}
    assert page.ids("path.routes-arc[data-break='1']") == {"MKD-SRB", "SRB-HUN"}
    assert p.evaluate(width, "MKD-SRB") > before["MKD-SRB"]  # break points drawn wider
    assert p.evaluate(width, "GRC-MKD") == before["GRC-MKD"]
    faded = p.locator(".routes-map path.routes-arc[data-id='GRC-MKD']").get_attribute("stroke-opacity")
    assert float(faded) < 1
    info = p.locator(".routes-route-info").inner_text()
    assert "Route total 2020: 12,345" in info
    assert "Türkiye → Greece → " in info and "→ Serbia → Hungary" in info
    assert "Break points: " in info and "Serbia → Hungary" in info
    assert "following the East route" in p.locator(".routes-subtitle").inner_text()
    # In 2016 the same route breaks elsewhere; the Central route's total is unknown.
    p.select_option(".routes-year", label="2016")
    assert page.ids("path.routes-arc[data-break='1']") == {"TUR-GRC", "MKD-SRB"}
    assert "Route total 2016: 98,765" in p.locator(".routes-route-info").inner_text()
    p.select_option(".routes-year", label="2020")
    p.select_option(".routes-focus", "Central")
    assert "Route total 2020: unknown" in p.locator(".routes-route-info").inner_text()
    page.clean()


def test_following_a_route_fits_the_view_to_it_and_counts_every_path(opened, bundled):
    page = opened(corridor_map(bundled))
    p = page.page
    before = p.evaluate("() => window.routesMaps[0].map.getZoom()")
    p.select_option(".routes-focus", "Western Balkans")
    after = p.evaluate("() => window.routesMaps[0].map.getZoom()")
    assert after > before
    inside = p.evaluate(
        """() => {
            const map = window.routesMaps[0].map, box = map.getContainer().getBoundingClientRect();
            return Array.from(document.querySelectorAll('.routes-map path.routes-arc')).every(e => {
                const r = e.getBoundingClientRect();
                return r.left >= box.left - 1 && r.right <= box.right + 1
                    && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
            });
        }"""
    )
    assert inside
    # Countries off the route fade, fill and outline.
    faded = p.eval_on_selector(
        ".routes-map path.routes-node[data-code='GBR']", "e => Number(e.getAttribute('fill-opacity'))"
    )
    assert faded < 0.3
    # A route with more paths than the panel lists says how many it leaves out.
    G = routes.build_graph(bundled)
    total = len(next(r for r in routes.path_records(G) if r["route"] == "Central Mediterranean")["paths"])
    p.select_option(".routes-focus", "Central Mediterranean")
    listed = p.locator(".routes-paths > li").count()
    if total > listed:
        more = p.locator(".routes-more-paths").inner_text()
        assert f"and {total - listed} more paths ({total} in all)" in more
    page.clean()


def test_popups_open_clear_of_the_title(opened, bundled):
    page = opened(corridor_map(bundled), width=1280, height=800)
    p = page.page
    p.fill(".routes-search", "Libya")
    p.press(".routes-search", "Enter")
    popup = p.locator(".leaflet-popup")
    popup.wait_for(state="visible", timeout=5_000)
    top = popup.bounding_box()["y"]
    title = p.locator(".routes-title").bounding_box()
    assert top >= title["y"] + title["height"] or popup.bounding_box()["x"] > title["x"] + title["width"]
    assert top >= 0
    page.clean()


def test_country_page_lists_segments_gaps_and_instruments_by_tier(opened, tmp_path):
    folder = compare_dataset(tmp_path / "compare")
    page = opened(corridor_map(folder, years=[2016, 2020]))
    p = page.page
    p.fill(".routes-search", "Italy")
    p.press(".routes-search", "Enter")
    country = p.locator(".routes-country")
    country.wait_for(state="visible", timeout=5_000)
    text = country.inner_text()
    assert "Italy (ITA)" in text
    assert "Libya → Italy" in text and "Tunisia → Italy" in text
    rows = country.locator("tr", has_text="Libya → Italy")
    assert "gap" in rows.inner_text().lower() and "800" in rows.inner_text()
    assert "Italy-Tunisia arrangement" in text and "operational" in text
    assert "Italy-Libya treaty" not in text  # ended in 2019: not an instrument of 2020
    # Clicking the country's dot opens the same page.
    p.keyboard.press("Escape")
    p.locator(".leaflet-popup").wait_for(state="detached", timeout=5_000)
    p.click(".routes-map path.routes-node[data-code='GRC']", force=True)
    country.wait_for(state="visible", timeout=5_000)
    assert "Greece (GRC)" in country.inner_text()
    # Escape closes a popup opened by a click too.
    p.keyboard.press("Escape")
    p.locator(".leaflet-popup").wait_for(state="detached", timeout=5_000)
    page.clean()


# -- arcs: hit area and hover ----------------------------------------------------------------


def test_arcs_answer_the_pointer_near_the_line_and_highlight(opened, tmp_path):
    folder = compare_dataset(tmp_path / "compare")
    page = opened(corridor_map(folder, years=[2016, 2020]))
    p = page.page
    arc = ".routes-map path.routes-arc[data-id='MKD-SRB']"
    hits = 0
    shares = [i / 20 for i in range(2, 19)]
    for share in shares:
        x, y = page.point_on(arc, share)
        # 5 px beside the line: the thin visible arc is missed, the wide hit line is not.
        p.mouse.move(x + 5, y)
        hit = p.evaluate("([x, y]) => document.elementFromPoint(x, y)?.getAttribute('data-id')", [x + 5, y])
        hits += hit == "MKD-SRB"
    assert hits >= 0.8 * len(shares)
    x, y = page.point_on(arc, 0.5)
    p.mouse.move(x, y)
    assert p.locator(arc).get_attribute("data-hover") == "1"
    assert "→ Serbia" in p.locator(".leaflet-tooltip.routes-tip").inner_text()
    p.mouse.move(5, 5)
    assert p.locator(arc).get_attribute("data-hover") is None
    # Gaps are marked by more than colour: a halo drawn under the arc, and words in its name.
    assert p.locator(".routes-map path.routes-halo").count() == p.locator("path.routes-arc[data-gap='1']").count()
    assert "gap" in p.locator(arc).get_attribute("aria-label")
    page.clean()


# -- export and share ----------------------------------------------------------------------


def test_csv_of_the_segments_shown(opened, tmp_path):
    folder = compare_dataset(tmp_path / "compare")
    page = opened(corridor_map(folder, years=[2016, 2020]))
    p = page.page
    p.check(".routes-gaps-only")
    with p.expect_download() as download:
        p.click(".routes-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(r["origin"], r["destination"]) for r in rows} == {("LBY", "ITA"), ("SRB", "HUN"), ("MKD", "SRB")}
    assert all(r["gap"] == "yes" and r["state"] == "2020" for r in rows)
    assert [r["flow"] for r in rows] == ["800", "400", "300"]  # by flow
    # A name that looks like a formula is written as text.
    assert {r["origin_name"] for r in rows if r["origin"] == "MKD"} == {'\'=HYPERLINK("https://example.org")'}
    assert download.value.suggested_filename == "segments-2020.csv"
    page.clean()


def test_a_link_reopens_the_same_view(opened, tmp_path):
    folder = compare_dataset(tmp_path / "compare")
    m = corridor_map(folder, years=[2016, 2020])
    first = opened(m)
    p = first.page
    p.select_option(".routes-year", label="2020")
    p.select_option(".routes-base", label="2016")
    p.check(".routes-gaps-only")
    p.select_option(".routes-focus", "East")
    p.select_option(".routes-picker", "gr-mk")
    p.evaluate("() => window.routesMaps[0].map.setView([41, 21], 6.5, {animate: false})")
    p.wait_for_function("() => location.hash.includes('v=6.50')")
    p.click(".routes-link")
    link = p.locator(".routes-link-info").inner_text().split(": ", 1)[1]
    hash_ = "#" + link.split("#", 1)[1]
    assert hash_ == p.evaluate("() => location.hash")
    shown = first.ids(".routes-map path.routes-arc")

    second = opened(m, hash=hash_)
    q = second.page
    assert q.locator(".routes-year").input_value() == "1"
    assert q.locator(".routes-base").input_value() == "0"
    assert q.locator(".routes-gaps-only").is_checked()
    assert q.locator(".routes-focus").input_value() == "East"
    assert q.locator(".routes-picker").input_value() == "gr-mk"
    assert q.evaluate("() => window.routesMaps[0].map.getZoom()") == 6.5
    center = q.evaluate("() => window.routesMaps[0].map.getCenter()")
    assert abs(center["lat"] - 41) < 0.01 and abs(center["lng"] - 21) < 0.01
    assert second.ids(".routes-map path.routes-arc") == shown
    assert q.locator(".routes-subtitle").inner_text() == p.locator(".routes-subtitle").inner_text()
    # A damaged link is ignored, not an error.
    third = opened(m, hash="#y=1999&b=%E0%A4%A&v=x/y/z&f=Nowhere&off=%ZZ")
    assert third.page.locator(".routes-year").input_value() == "1"
    for page in (first, second, third):
        page.clean()


# -- embedding and print -----------------------------------------------------------------------


def test_embed_keeps_its_aspect_ratio_in_any_column(browser, tmp_path):
    from tests.conftest import Opened

    fragment = embed_html(corridor_map(TINY), width=1280, height=800)
    host = tmp_path / "briefing.html"
    host.write_text(
        "<!DOCTYPE html><html lang='en'><body style='margin:0'>"
        f"<div id='column' style='width:640px'><p>Briefing text.</p>{fragment}</div></body></html>",
        encoding="utf-8",
    )
    page = Opened(browser, host, width=1280, height=900)
    try:
        p = page.page
        frame = p.frame_locator("iframe")
        frame.locator(".routes-map[data-ready='1']").wait_for(state="attached", timeout=15_000)
        box = p.locator("iframe").bounding_box()
        assert box["width"] == 640 and abs(box["height"] - 400) <= 1
        p.evaluate("() => { document.getElementById('column').style.width = '320px'; }")
        p.wait_for_timeout(100)
        box = p.locator("iframe").bounding_box()
        assert box["width"] == 320 and abs(box["height"] - 200) <= 1
        assert frame.locator(".routes-map.routes-compact").count() == 1  # a small frame folds its controls
        # Embedded, the page has no address of its own: the link says what to do with the view's fragment.
        frame.locator(".routes-panel > summary").click()
        frame.locator(".routes-link").click()
        said = frame.locator(".routes-link-info").inner_text()
        assert said.startswith("Add this to the address of the map's own page") and "#y=" in said
        page.clean()
    finally:
        page.close()


def pdf_drawing_operations(pdf: bytes) -> int:
    """How many line segments the PDF's pages draw (a map picture draws thousands)."""
    count = 0
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            count += zlib.decompress(stream).count(b" l\n")
        except zlib.error:
            continue
    return count


def test_printing_the_map_prints_a_picture_of_the_view_without_controls(opened, bundled):
    page = opened(corridor_map(bundled))
    p = page.page
    p.wait_for_selector(".routes-map[data-print='ready']", state="attached")
    p.emulate_media(media="print")
    assert p.locator(".routes-map").is_hidden()
    assert p.locator(".routes-panel").is_hidden() and p.locator(".routes-search").is_hidden()
    picture = p.locator(".routes-print svg[role='img']")
    assert picture.is_visible()
    assert picture.locator("path").count() > 100
    assert picture.locator("text").count() == int(p.get_attribute(".routes-map", "data-labels"))
    assert "gaps below political" in picture.get_attribute("aria-label")
    assert "Segments by tier" in p.locator(".routes-print figcaption").inner_text()
    p.emulate_media(media="screen")
    assert pdf_drawing_operations(p.pdf(format="A4")) > 1000
    page.clean()


def test_printing_the_report_prints_its_map(opened, tmp_path):
    maps, plain = tmp_path / "with-map.html", tmp_path / "no-map.html"
    assert run("report", "--data", TINY, "--format", "html", "-o", maps).exit_code == 0
    assert run("report", "--data", TINY, "--format", "html", "--no-map", "-o", plain).exit_code == 0
    counts = []
    for path in (maps, plain):
        report = opened(path, wait=False)
        if path == maps:
            frame = report.page.frame_locator("iframe.map")
            frame.locator(".routes-map[data-print='ready']").wait_for(state="attached", timeout=15_000)
        counts.append(pdf_drawing_operations(report.page.pdf(format="A4")))
        report.clean()
    assert counts[0] > counts[1] + 100


# -- keyboard and assistive access ------------------------------------------------------------


def test_skip_link_first_and_controls_within_ten_tab_stops(opened, bundled):
    page = opened(corridor_map(bundled))
    p = page.page
    assert p.get_attribute("html", "lang") == "en"
    stops = []
    for _ in range(10):
        p.keyboard.press("Tab")
        stops.append(p.evaluate("() => document.activeElement.className || document.activeElement.tagName"))
    assert stops[0] == "routes-skip"
    assert any("routes-search" in s for s in stops) or "SUMMARY" in stops
    assert "routes-gaps-only" in stops or "routes-focus" in stops
    # The skip link opens the table of the segments shown: the map's text alternative.
    p.keyboard.press("Shift+Tab")
    p.focus(".routes-skip")
    p.keyboard.press("Enter")
    table = p.locator(".routes-table")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == p.locator(".routes-map path.routes-arc").count()
    p.keyboard.press("Escape")
    assert table.is_hidden()
    # Arcs and countries have accessible names.
    names = p.eval_on_selector_all(
        ".routes-map path.routes-arc, .routes-map path.routes-node", "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert names and all(names)
    page.clean()


def test_static_view_for_images_has_labels_and_folded_controls(opened, bundled):
    page = opened(corridor_map(bundled), hash="#static", width=1280, height=800)
    p = page.page
    assert int(p.get_attribute(".routes-map", "data-labels")) >= 30
    assert not p.locator(".routes-panel").evaluate("d => d.open")
    page.clean()


# -- what-if on the map ------------------------------------------------------------------------


def test_whatif_map_shows_the_gaps_a_scenario_closes_and_opens(opened, tmp_path):
    out = tmp_path / "scenario.html"
    result = run("whatif", "--data", TINY, "--remove", "eu-tur-statement", "--format", "json", "--map", out)
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)
    data = payload(out.read_text(encoding="utf-8"))
    assert [y["label"] for y in data["years"]] == ["2021 as it is", "2021 with the scenario"] and data["base"] == 0
    page = opened(out)
    p = page.page
    opened_ids = {f"{r['origin']}-{r['destination']}" for r in changes["opened"]}
    assert opened_ids and page.ids("path.routes-arc[data-change='opened']") == opened_ids
    assert p.locator(".routes-count[data-change='opened']").inner_text() == str(len(opened_ids))
    assert p.locator(".routes-count[data-change='closed']").inner_text() == str(len(changes["closed"]))
    assert "remove eu-tur-statement" in p.locator(".routes-title").inner_text()
    page.clean()
