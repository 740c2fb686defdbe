"""Shared helpers: write small hand-made data sets to a temporary folder."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent

SEGMENT_HEADER = ["route", "origin", "destination", "year", "flow", "measure", "source", "status", "note"]
ROUTE_FLOW_HEADER = ["route", "year", "flow", "measure", "source", "status", "note"]

EU_BLOC = {
    "EU": {
        "name": "European Union",
        "internal": True,
        "source": "https://example.org/eu",
        "members": [
            {"code": "FRA", "from": "1958-01-01"},
            {"code": "ITA", "from": "1958-01-01"},
            {"code": "GRC", "from": "1981-01-01"},
            {"code": "ESP", "from": "1986-01-01"},
            {"code": "GBR", "from": "1973-01-01", "until": "2020-02-01"},
        ],
    }
}


def run(*args: object) -> Result:
    """Invoke the command line in-process; fail on a traceback, return the result."""
    from routes.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def segment(route: str, origin: str, destination: str, year: Any = "", flow: Any = "", **extra: Any) -> dict:
    """A segments.csv row with sensible defaults."""
    row = {
        "route": route,
        "origin": origin,
        "destination": destination,
        "year": year,
        "flow": flow,
        "measure": "test count" if flow != "" else "",
        "source": "https://example.org/segments",
        "status": "",
        "note": "",
    }
    row.update(extra)
    return row


def partnership(pid: str, parties: list[str], signed: str = "2000-01-01", **extra: Any) -> dict:
    """A partnerships.yaml entry with sensible defaults."""
    entry = {
        "id": pid,
        "name": f"Partnership {pid}",
        "kind": "mou",
        "parties": parties,
        "signed": signed,
        "binding": False,
        "themes": ["return-readmission"],
        "source": "https://example.org/partnerships",
    }
    entry.update(extra)
    return {k: v for k, v in entry.items() if v is not None or k == "binding"}


def assert_over_time_matches_a_graph_per_year(dataset: Any, over_time: list[dict], selection: dict) -> None:
    """The report's coverage over time equals, year by year, the route summary of a whole graph."""
    import routes

    keys = ("segments", "internal", "gaps", "known_flow", "route_total")
    for year in dataset.years:
        expected = {r["route"]: r for r in routes.summary_records(routes.build_graph(dataset, year=year, **selection))}
        rows = [r for r in over_time if r["year"] == year]
        assert {r["route"] for r in rows} == set(expected)
        for row in rows:
            want = expected[row["route"]]
            assert tuple(row[k] for k in keys) == tuple(want[k] for k in keys)
            assert row["covered_flow"] == want["known_flow"] - want["gap_flow"]


def write_dataset(
    folder: Path,
    segments: list[dict],
    partnerships: list[dict],
    blocs: dict | None = None,
    countries: list[dict] | None = None,
    route_flows: list[dict] | None = None,
) -> Path:
    """Write a data set folder and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "segments.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=SEGMENT_HEADER)
        writer.writeheader()
        writer.writerows(segments)
    (folder / "partnerships.yaml").write_text(yaml.safe_dump(partnerships, sort_keys=False), encoding="utf-8")
    (folder / "blocs.yaml").write_text(
        yaml.safe_dump(EU_BLOC if blocs is None else blocs, sort_keys=False), encoding="utf-8"
    )
    if route_flows is not None:
        with open(folder / "route_flows.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=ROUTE_FLOW_HEADER)
            writer.writeheader()
            writer.writerows({"measure": "route total", "source": "https://example.org/rt", **r} for r in route_flows)
    if countries is not None:
        with open(folder / "countries.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["code", "name", "lon", "lat"])
            writer.writeheader()
            writer.writerows(countries)
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A copy of the hand-made 'tiny' data set that tests may break."""
    target = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "tiny", target)
    return target


@pytest.fixture
def corridor(tmp_path: Path) -> Path:
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


# -- a real browser -----------------------------------------------------------------------


def require_browser() -> Path:
    """Chromium's path; fail in CI and skip elsewhere when Chromium or Playwright is missing."""
    import os

    from routes._browser import BrowserError, check_browser

    try:
        return check_browser()
    except BrowserError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the browser tests must run in CI: {exc}")
        pytest.skip(f"no browser: {exc}")


@pytest.fixture(scope="session")
def browser() -> Any:
    """One headless Debian Chromium, driven by Playwright, for the whole run (it cannot nest)."""
    from playwright.sync_api import sync_playwright

    from routes._browser import CHROMIUM_ARGS

    executable = require_browser()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=list(CHROMIUM_ARGS), chromium_sandbox=False
        )
        yield instance
        instance.close()


class Opened:
    """A local page opened offline, with everything it tried recorded (requests to elsewhere are refused)."""

    def __init__(self, browser: Any, path: Path, *, width: int = 1280, height: int = 800, hash: str = "") -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.file = path.resolve().as_uri()
        self.url = self.file + hash
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)
        self.page.goto(self.url)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        if route.request.url.split("#")[0] == self.file:
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
def opened(browser: Any, tmp_path: Path) -> Any:
    """Open a map (a folium map, saved first) or a page (a path) offline; wait until a map is drawn."""
    from routes.maps import save_html

    pages: list[Opened] = []

    def open_page(item: Any, *, wait: bool = True, **options: Any) -> Opened:
        path = item if isinstance(item, Path) else save_html(item, tmp_path / f"map{len(pages)}.html")
        pages.append(Opened(browser, path, **options))
        if wait:
            pages[-1].page.wait_for_selector("body[data-ready='1']", state="attached", timeout=15_000)
        return pages[-1]

    yield open_page
    for page in pages:
        page.close()
