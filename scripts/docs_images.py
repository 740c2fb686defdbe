"""Regenerate the pictures of the corridor map in docs/img/ from the bundled data set.

    python scripts/docs_images.py

Every picture is drawn by the installed Chromium (Debian's ``chromium``, found
as for ``routes map --png``) through Playwright, with the network refused,
Leaflet's animations off and each picture taken once the page says it is
ready, never after a fixed delay, so running the script again on the same
machine gives the same pictures. It needs the ``png`` extra
(``pip install -e '.[png]'``), with the package installed from this checkout.

- ``map.png``: the README's picture, the default map of the latest year as
  ``routes map --png`` draws it (controls folded, labels shown);
- ``map-compare.png``: 2024 compared with 2015, the legend counting the gaps
  opened and closed;
- ``map-route.png``: the Central Mediterranean route followed from origin to
  entry, its paths and break points in the panel;
- ``map-country.png``: Libya's country page, found with the search;
- ``map-phone.png``: a 390 x 844 phone screen, the controls folded;
- ``map-print.png``: what printing the page gives.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import folium
from playwright.sync_api import Browser, Page, sync_playwright

import routes
from routes._browser import CHROMIUM_ARGS, READY_TIMEOUT_MS, check_browser
from routes.maps import corridor_map, render_html, save_png

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "img"
WIDTH, HEIGHT = 1280, 800  # the size of `routes map --png`
BASE_YEAR, LATEST_YEAR = 2015, 2024


@contextmanager
def opened(browser: Browser, m: folium.Map, *, width: int = WIDTH, height: int = HEIGHT) -> Iterator[Page]:
    """The map page at ``width`` x ``height`` CSS pixels (scale 1), drawn and ready; no network."""
    with tempfile.TemporaryDirectory(prefix="routes-docs-") as folder:
        page_file = Path(folder) / "map.html"
        page_file.write_text(render_html(m, static=True), encoding="utf-8")
        url = page_file.as_uri()
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=READY_TIMEOUT_MS)
        try:
            yield page
        finally:
            page.close()


def settled(page: Page) -> None:
    """Wait until the page has laid itself out after a change (a toggle event, then one frame)."""
    page.evaluate("() => new Promise(done => setTimeout(() => requestAnimationFrame(() => done()), 50))")


def fold(page: Page, selector: str) -> None:
    """Fold a box of the map (the panel, legend or caption) behind its heading."""
    page.eval_on_selector(selector, "box => { box.open = false; }")
    settled(page)


#: Fit the map to some of its arcs, leaving room for the panel on the right and the title on the top left.
FIT = """which => {
    const ctx = window.routesMaps[0].ctx;
    const bounds = L.latLngBounds([]);
    ctx.arcs.filter(arc => which === "changed" ? arc.shown && ctx.change(arc) : arc.shown)
        .forEach(arc => bounds.extend(arc.line.getBounds()));
    ctx.map.fitBounds(bounds, {paddingTopLeft: [40, 90], paddingBottomRight: [330, 40], animate: false});
}"""


def fit(page: Page, which: str) -> None:
    """Zoom to the arcs shown (``"shown"``) or to the gaps opened or closed (``"changed"``)."""
    page.evaluate(FIT, which)
    settled(page)


def write(page: Page, name: str, *, full_page: bool = False) -> None:
    path = IMAGES / name
    path.write_bytes(page.screenshot(type="png", full_page=full_page))
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e3:.0f} kB)")


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    data = routes.load()
    latest = corridor_map(data)

    # The README's picture: what `routes map --png` draws, at 1.5 times the resolution (--png: 2).
    path = save_png(latest, IMAGES / "map.png", width=WIDTH, height=HEIGHT, scale=1.5)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e3:.0f} kB)")

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(check_browser()), headless=True, args=list(CHROMIUM_ARGS), chromium_sandbox=False
        )
        try:
            # Compare years: the map opens on the latest year compared with the base year.
            compare = corridor_map(data, years=[BASE_YEAR, LATEST_YEAR], base_year=BASE_YEAR)
            with opened(browser, compare) as page:
                fold(page, ".routes-caption")
                fit(page, "changed")
                write(page, "map-compare.png")

            # Follow one route: its paths from origin to entry, with their break points.
            with opened(browser, latest) as page:
                page.select_option(".routes-focus", "Central Mediterranean")
                fold(page, ".routes-caption")
                fold(page, ".routes-legend")
                fit(page, "shown")
                page.eval_on_selector(".routes-focus", "select => select.parentNode.scrollIntoView({block: 'start'})")
                settled(page)
                write(page, "map-route.png")

            # A country page, found with the search.
            with opened(browser, latest) as page:
                fold(page, ".routes-caption")
                fold(page, ".routes-legend")
                page.fill(".routes-search", "Libya")
                page.press(".routes-search", "Enter")
                page.wait_for_selector(".routes-country[data-code='LBY']")
                # Leaflet pans the page to the top of the frame, under the title: move it clear.
                page.evaluate("() => window.routesMaps[0].map.panBy([0, -60], {animate: false})")
                settled(page)
                write(page, "map-country.png")

            # A phone: every control folded behind its heading.
            with opened(browser, latest, width=390, height=844) as page:
                write(page, "map-phone.png")

            # Print: the picture of the current view, its title, counts and caption; no controls.
            # The picture is taken of the view on screen; the taller window only lets the whole
            # printed page show at the picture's full size (the print style sheet caps it at 85vh).
            with opened(browser, latest) as page:
                page.wait_for_selector(".routes-map[data-print='ready']", state="attached")
                page.emulate_media(media="print")
                page.set_viewport_size({"width": WIDTH, "height": 1000})
                settled(page)
                write(page, "map-print.png", full_page=True)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
