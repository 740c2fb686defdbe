"""Headless Chromium through Playwright, for static images of a map page.

Playwright cannot download its own browser here: it drives an installed
Chromium (Debian's ``chromium``), found from an explicit path, the
``ROUTES_CHROMIUM`` environment variable, ``chromium`` on the ``PATH`` or
``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from routes._errors import RoutesError

#: Flags that let Chromium run headless as root in a container without touching the network.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

#: How long to wait for the page to say it has drawn its layers, in milliseconds.
READY_TIMEOUT_MS = 30_000


class BrowserError(RoutesError):
    """Chromium or Playwright is missing, or the page could not be drawn."""


def find_chromium(executable: str | Path | None = None) -> Path:
    """The Chromium executable to drive.

    Parameters
    ----------
    executable
        An explicit path; else ``$ROUTES_CHROMIUM``; else ``chromium`` (or
        ``chromium-browser``) on the ``PATH``; else ``/usr/bin/chromium``.

    Raises
    ------
    BrowserError
        When the chosen path does not exist or no Chromium is found.
    """
    if executable is None and os.environ.get("ROUTES_CHROMIUM"):
        executable = os.environ["ROUTES_CHROMIUM"]
        origin = "ROUTES_CHROMIUM"
    else:
        origin = "the given path"
    if executable is not None:
        path = Path(executable)
        if not path.is_file():
            raise BrowserError(f"Chromium not found: {origin} points to {path}, which does not exist")
        return path
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return Path(found)
    if Path("/usr/bin/chromium").is_file():
        return Path("/usr/bin/chromium")
    raise BrowserError(
        "Chromium not found: install it (Debian: apt-get install chromium) or set ROUTES_CHROMIUM to its executable"
    )


def check_browser(executable: str | Path | None = None) -> Path:
    """Chromium's path, once both Chromium and Playwright are known to be installed.

    Raises
    ------
    BrowserError
        With what to install, when either is missing.
    """
    chromium = find_chromium(executable)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise BrowserError(_NO_PLAYWRIGHT) from None
    return chromium


_NO_PLAYWRIGHT = (
    "the PNG export needs Playwright: pip install 'routes-corridors[png]' (it drives the installed Chromium)"
)


def screenshot(
    html: str,
    *,
    width: int,
    height: int,
    scale: float = 2,
    allow_network: bool = False,
    executable: str | Path | None = None,
) -> bytes:
    """A PNG of the page ``html`` as headless Chromium draws it.

    The page is opened from a temporary file; the image is taken once the page
    sets ``document.body.dataset.ready``, never after a fixed delay. Unless
    ``allow_network``, every request other than the page itself is refused.
    """
    chromium = check_browser(executable)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="routes-png-") as folder:
        page_file = Path(folder) / "map.html"
        page_file.write_text(html, encoding="utf-8")
        url = page_file.as_uri()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=str(chromium), headless=True, args=list(CHROMIUM_ARGS), chromium_sandbox=False
                )
                try:
                    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)

                    def route(r: object) -> None:
                        request_url = r.request.url  # type: ignore[attr-defined]
                        if request_url == url or (allow_network and request_url.startswith(("http:", "https:"))):
                            r.continue_()  # type: ignore[attr-defined]
                        else:
                            r.abort()  # type: ignore[attr-defined]

                    page.route("**/*", route)
                    page.goto(url + "#static")  # the page folds its controls for a still image
                    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=READY_TIMEOUT_MS)
                    if allow_network:
                        page.wait_for_load_state("networkidle", timeout=READY_TIMEOUT_MS)
                    return page.screenshot(type="png")
                finally:
                    browser.close()
        except PlaywrightError as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BrowserError(f"Chromium could not draw the map: {first_line}") from None
