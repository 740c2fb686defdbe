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


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (required in CI, skipped elsewhere if missing)."""
    import os

    from routes._browser import CHROMIUM_ARGS, BrowserError, find_chromium

    try:
        executable = find_chromium()
        from playwright.sync_api import sync_playwright
    except (BrowserError, ImportError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {exc}")
        pytest.skip(f"no browser: {exc}")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=list(CHROMIUM_ARGS), chromium_sandbox=False
        )
        yield instance
        instance.close()


def open_offline(browser, path: Path, *, viewport: tuple[int, int] = (1200, 800)):
    """Open a local page with every other request refused; return (page, errors, requests, dialogs)."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    url = path.resolve().as_uri()
    errors: list[str] = []
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    def route(r) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url)
    return page, errors, requests, dialogs
