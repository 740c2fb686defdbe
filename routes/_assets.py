"""The scripts and style sheets a map page needs, read from installed packages and inlined.

Leaflet (and jQuery, only when something on the page uses it) come from the
``xstatic-leaflet`` and ``xstatic-jquery`` packages; the project's own map
controls from ``routes/_map_assets/``. Nothing is fetched from the network and
no third-party file is kept in this repository. Images referred to by
``leaflet.css`` become ``data:`` URIs, so the page makes no request for them.
"""

from __future__ import annotations

import base64
import functools
import importlib
import re
from importlib import resources
from pathlib import Path

_SOURCE_MAP = re.compile(r"^\s*//[#@] sourceMappingURL=.*$", re.MULTILINE)
_CSS_SOURCE_MAP = re.compile(r"/\*[#@] sourceMappingURL=.*?\*/")
_CSS_IMAGE = re.compile(r"url\((['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\)")

#: The Leaflet default marker images: dropped unless the page draws an ``L.marker``.
MARKER_IMAGES = ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")


def _xstatic_dir(name: str) -> Path:
    return Path(importlib.import_module(f"xstatic.pkg.{name}").BASE_DIR)


def _checked(text: str, closing: str, what: str) -> str:
    """Text that can sit inside ``<script>``/``<style>`` without ending it early."""
    lowered = text.lower()
    if f"</{closing}" in lowered or "<!--" in lowered:
        raise ValueError(f"{what} contains '</{closing}' or '<!--' and cannot be inlined as is")
    return text


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


@functools.cache
def leaflet_js() -> str:
    """``leaflet.js`` (minified) without its source-map comment."""
    text = (_xstatic_dir("leaflet") / "leaflet.js").read_text(encoding="utf-8")
    return _checked(_SOURCE_MAP.sub("", text).rstrip() + "\n", "script", "leaflet.js")


@functools.cache
def leaflet_css(*, markers: bool = False) -> str:
    """``leaflet.css`` with its images as ``data:`` URIs.

    The default marker image is replaced by ``none`` unless ``markers`` is true
    (the corridor map draws circle markers, which need no image).
    """
    folder = _xstatic_dir("leaflet")
    text = (folder / "leaflet.css").read_text(encoding="utf-8")

    def replace(match: re.Match[str]) -> str:
        path = folder / match.group(2)
        if path.name in MARKER_IMAGES and not markers:
            return "none"
        return f'url("{_data_uri(path)}")'

    text = _CSS_IMAGE.sub(replace, _CSS_SOURCE_MAP.sub("", text))
    return _checked(text, "style", "leaflet.css")


@functools.cache
def marker_icons_js() -> str:
    """Point Leaflet's default marker icon at inlined images (only for pages with ``L.marker``)."""
    folder = _xstatic_dir("leaflet") / "images"
    urls = {
        "iconUrl": _data_uri(folder / "marker-icon.png"),
        "iconRetinaUrl": _data_uri(folder / "marker-icon-2x.png"),
        "shadowUrl": _data_uri(folder / "marker-shadow.png"),
    }
    settings = "".join(f'L.Icon.Default.prototype.options.{key}="{value}";' for key, value in urls.items())
    return f'L.Icon.Default.imagePath="";{settings}\n'


@functools.cache
def jquery_js() -> str:
    """``jquery.min.js`` without its source-map comment."""
    text = (_xstatic_dir("jquery") / "jquery.min.js").read_text(encoding="utf-8")
    return _checked(_SOURCE_MAP.sub("", text).rstrip() + "\n", "script", "jquery.min.js")


@functools.cache
def own_asset(name: str) -> str:
    """One of the project's own files in ``routes/_map_assets``, as the page carries it.

    The files are written to be read; the page gets them without indentation
    and without whole-line comments (the code has no multi-line strings, so
    nothing else changes), about a third smaller.
    """
    text = resources.files("routes").joinpath("_map_assets", name).read_text(encoding="utf-8")
    return _checked(_compact(text), "style" if name.endswith(".css") else "script", name)


_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _compact(text: str) -> str:
    text = _BLOCK_COMMENT.sub("", text)
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"
