"""Interactive corridor maps: one self-contained HTML page, offline, exact and safe.

:func:`corridor_map` draws the graphs of :func:`routes.build_graph` on a
:class:`folium.Map`: country shapes as the base layer, each segment as a
curved, directed arc coloured by coverage, countries as circle markers, and the
project's own controls (title, legend, caption, year and baseline switch,
gaps only, route view, partnership picker, country search and pages, table,
shareable links, full screen, print picture).

How the page is built
---------------------
- **Offline.** Leaflet comes from the ``xstatic-leaflet`` package and is
  inlined with its images as ``data:`` URIs; the controls are the project's
  own scripts in ``routes/_map_assets/`` (one per concern, see
  :data:`SCRIPTS`) and ``controls.css``, inlined too. Folium's
  CDN links are switched off on the map instance (never on the class). With no
  ``tiles`` the page makes no network request, and says so in its
  Content-Security-Policy.
- **Safe.** Every string from the data travels as JSON in a
  ``<script type="application/json">`` block with ``<``, ``>``, ``&``,
  U+2028 and U+2029 escaped, and reaches the page only through ``textContent``
  and DOM APIs; source links are made only for ``http(s)`` URLs. Nothing from
  the data goes through Jinja, folium's tooltips or popups, or ``innerHTML``.
- **Reproducible.** Folium and branca name elements with random ids; while
  :func:`corridor_map` builds the map they come from a counter seeded by a hash
  of the content instead (and only in the calling thread), so the same inputs
  give byte-identical HTML.
- **Light.** One GeoJSON layer per kind of thing (shapes, arcs, markers); arcs
  and their geometry are computed here once, styling per year happens in the
  browser.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import itertools
import json
import math
import re
import threading
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import folium
import networkx as nx
from branca.element import Element, Figure, Link, MacroElement

from routes import _assets
from routes._errors import SelectionError
from routes._gc import gc_paused
from routes.coverage import SEGMENT_TIERS
from routes.dataset import Dataset, bundled_data_path, load
from routes.graph import build_graph
from routes.i18n import EU, LANGUAGES, N_, _, check_language, country_name, current, language, map_messages

__all__ = [
    "TIER_COLORS",
    "arc_coordinates",
    "corridor_map",
    "embed_html",
    "expand_payload",
    "map_html",
    "map_payload",
    "render_html",
    "save_html",
    "save_png",
]

#: Tier colours, an ordered scale that stays apart with the common colour-vision deficiencies:
#: blues from dark (binding) to light (political) for covered segments, orange (forum only)
#: and vermillion (nothing) for gaps, grey for internal segments. Gaps also get a halo.
TIER_COLORS = {
    "binding": "#08519C",
    "operational": "#3182BD",
    "political": "#6BAED6",
    "forum": "#F28E2B",
    "none": "#C23B0B",
    "internal": "#9A9A9A",
}

#: Default title of the map (a msgid: the map shows it in its language).
DEFAULT_TITLE = N_("Migration corridors and partnership coverage")

#: Points per arc and how far an arc bends (share of its chord, to the right of travel).
ARC_POINTS = 24
ARC_BEND = 0.18

_DIGITS = 3  # about 100 m: as precise as the bundled country shapes (routes.shapes.DIGITS)
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


# -- the map -----------------------------------------------------------------------------


@gc_paused()  # it makes very many objects: see routes._gc.gc_paused
def corridor_map(
    source: nx.DiGraph | Sequence[nx.DiGraph] | Dataset | str | Path | None = None,
    *,
    years: Iterable[int] | None = None,
    base_year: int | None = None,
    title: str | None = None,
    tiles: str | None = None,
    shapes: str | Path | None = None,
    lang: str = "en",
    **options: Any,
) -> folium.Map:
    """Draw the corridor graph on an interactive map that works offline.

    Parameters
    ----------
    source
        A graph from :func:`routes.build_graph`, a sequence of such graphs
        (one per year, for the year switch), a :class:`routes.Dataset`, or a
        data set folder (default: the bundled data set).
    years
        Put these years into one map with a control to switch between them:
        one graph per year, each judged on 31 December of its year. Only with
        a data set as ``source``, and not with ``year`` or ``as_of``.
    base_year
        Open the map comparing with this year (one of ``years``): the gaps
        opened and closed since then stand out and the legend counts them.
        The reader can choose another base year on the map.
    title
        The title shown on the map (default: "Migration corridors and
        partnership coverage").
    tiles
        An optional web tile base map: a provider name such as
        ``"OpenStreetMap"`` or a ``https://…/{z}/{x}/{y}.png`` URL. Off by
        default; with tiles the page loads them from the network.
    shapes
        The country shapes (GeoJSON with properties ``code`` and ``name``)
        for the base layer; default: the data set's ``countries.geojson``,
        else the bundled one.
    lang
        The language of the page: ``"en"`` or ``"fr"`` (its controls, labels
        and country names; the data's route and instrument names, notes and
        sources stay as written).
    **options
        The selection, passed to :func:`routes.build_graph` (``year``,
        ``as_of``, ``min_tier``, ``themes``, ``kinds``, ``exclude_kinds``,
        ``binding_only``, ``routes``); only when ``source`` is not a graph.

    Returns
    -------
    folium.Map
        Shows inline in Jupyter; write it with :func:`save_html`,
        :func:`embed_html` or :func:`save_png`.

    Notes
    -----
    What the map shows, for the selected year:

    - each segment A→B as an arc bending to the right of its direction (so
      A→B and B→A lie apart) with an arrowhead, drawn the short way across
      the 180° meridian;
    - the arc's colour is its tier, the depth of the strongest instrument
      joining its two countries (see :data:`TIER_COLORS`); gaps (below
      ``min_tier``) have a red halo and are drawn on top;
    - its width grows with the square root of the flow, from 2 px (flow 0)
      to 12 px (the largest flow of the map); a segment whose flow is unknown
      is dashed at a fixed 2.5 px, never drawn as a small flow;
    - a country's circle grows with the square root of its known through
      flow, the sum of the known flows of its incoming and outgoing segments
      (a hollow circle: no known flow);
    - the base layer: country shapes, those on the drawn segments darker.

    Raises
    ------
    DataError
        When the data set or the shapes file cannot be read.
    SelectionError
        For an option that does not fit the data, conflicting options or an
        unknown tile set.
    """
    check_language(lang)
    graphs = _graphs(source, years=years, options=options)
    base = None
    if base_year is not None:
        found = [i for i, G in enumerate(graphs) if G.graph.get("year") == base_year]
        if not found:
            raise SelectionError(f"--base-year {base_year} is not one of the map's years")
        base = found[0]
    payload = map_payload(
        graphs,
        base=base,
        shapes=_read_shapes(_shapes_path(source, graphs, shapes)),
        title=title,
        tiles=tiles is not None,
        search=_search_names(source, graphs, lang=lang),
        lang=lang,
    )
    return _folium_map(payload, tiles, lang=lang)


def scenario_map(
    before: nx.DiGraph,
    after: nx.DiGraph,
    *,
    description: str,
    title: str | None = None,
    tiles: str | None = None,
    shapes: str | Path | None = None,
    lang: str = "en",
) -> folium.Map:
    """A map of a what-if scenario: the coverage before and after it, compared.

    The map opens on the scenario, compared with the data as it is: the gaps
    the scenario closes and those it opens stand out, and the legend counts
    them (see :func:`routes.scenarios.run_scenario`). ``description`` is
    shown as given: write it in ``lang``.
    """
    with language(lang):
        year = before.graph.get("year") or before.graph["as_of"]
        labels = [
            _("{year} as it is").format(year=year),
            _("{year} with the scenario").format(year=year),
        ]
        title = title if title is not None else _("What if: {description}").format(description=description)
    payload = map_payload(
        [before, after],
        labels=labels,
        base=0,
        shapes=_read_shapes(_shapes_path(None, [before], shapes)),
        title=title,
        tiles=tiles is not None,
        search=_search_names(None, [before, after], lang=lang),
        lang=lang,
    )
    return _folium_map(payload, tiles, lang=lang)


def _folium_map(payload: dict[str, Any], tiles: str | None, *, lang: str = "en") -> folium.Map:
    tile_layer = _tile_options(tiles) if tiles else None
    data = _json_for_html(payload)
    seed = hashlib.sha256(data.encode("utf-8") + repr(tile_layer).encode("utf-8")).hexdigest()[:24]

    with _deterministic_ids(seed):
        m = folium.Map(
            location=_center(payload),
            zoom_start=4,
            tiles=None,
            control_scale=True,
            zoom_control=False,  # the page adds it below its title, in the same corner
            zoom_snap=0.25,
            zoom_delta=0.5,
        )
        m.routes_lang = lang  # for the page's lang attribute (render_html)
        # Per instance: folium's class-level CDN lists stay as they are for other maps.
        m.default_js = []
        m.default_css = []
        figure = m.get_root()
        figure.title = html.escape(payload["title"], quote=True)
        figure.header.add_child(_Csp(), name="routes_csp")
        if tile_layer is not None:
            folium.TileLayer(**tile_layer).add_to(m)
        _CorridorLayers(data).add_to(m)
    return m


def render_html(m: folium.Map, *, static: bool = False) -> str:
    """The whole page of a map made by :func:`corridor_map`, as one HTML string.

    ``static`` turns off Leaflet's fade and zoom animations (for images).
    """
    lang = getattr(m, "routes_lang", LANGUAGES[0])
    if not static:
        return _with_lang(m.get_root().render(), lang)
    saved = dict(m.options)
    # Folium stores Leaflet options in snake_case (0.18+) or camelCase (older).
    camel = any(key != key.lower() for key in saved) and not any("_" in key for key in saved)
    for name in ("fade_animation", "zoom_animation", "marker_zoom_animation"):
        m.options[re.sub(r"_([a-z])", lambda c: c.group(1).upper(), name) if camel else name] = False
    try:
        return _with_lang(m.get_root().render(), lang)
    finally:
        m.options.clear()
        m.options.update(saved)


def _with_lang(page: str, lang: str = "en") -> str:
    """Say the page's language (folium's template does not), for screen readers and translation."""
    return page.replace("<html>", f'<html lang="{check_language(lang)}">', 1)


def save_html(m: folium.Map, path: str | Path) -> Path:
    """Write the page to ``path``, whole or not at all; returns the path."""
    from routes._output import write_atomic

    return write_atomic(path, render_html(m))


def embed_html(m: folium.Map, *, width: int = 1280, height: int = 800, title: str | None = None) -> str:
    """A fragment to paste into another page: the map in an ``<iframe>`` that keeps its aspect ratio.

    The frame fills the width of its column and takes the height that keeps
    ``width`` : ``height`` (CSS ``aspect-ratio``), so it never stretches or
    leaves a fixed-height band. The page is attribute-escaped into ``srcdoc``,
    so its styles cannot leak into the host page; the frame is sandboxed
    (scripts, opening source links in a new window and downloading the CSV of
    the segments are allowed, nothing else) and may go full screen.
    """
    label = title if title is not None else html.unescape(m.get_root().title or DEFAULT_TITLE)
    return (
        f'<div class="routes-embed" style="position:relative;width:100%;aspect-ratio:{int(width)}/{int(height)};">'
        f'<iframe title="{html.escape(label, quote=True)}" width="{int(width)}" height="{int(height)}" '
        'style="position:absolute;inset:0;width:100%;height:100%;border:0;" loading="lazy" allowfullscreen '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads" '
        'referrerpolicy="no-referrer" '
        f'srcdoc="{html.escape(render_html(m), quote=True)}"></iframe></div>\n'
    )


def save_png(
    m: folium.Map,
    path: str | Path,
    *,
    width: int = 1280,
    height: int = 800,
    scale: float = 2,
    chromium: str | Path | None = None,
) -> Path:
    """Write a static image of the map (for slides) through headless Chromium.

    Parameters
    ----------
    width, height
        The viewport in CSS pixels; the image is ``scale`` times larger.
    scale
        The device scale factor (2 gives sharp slides).
    chromium
        The Chromium executable; default ``$ROUTES_CHROMIUM``, ``chromium`` on
        the ``PATH`` or ``/usr/bin/chromium``.

    Raises
    ------
    routes._browser.BrowserError
        When Chromium or Playwright is missing or the page cannot be drawn.
    """
    from routes._output import write_atomic

    return write_atomic(path, map_png(m, width=width, height=height, scale=scale, chromium=chromium))


def map_png(
    m: folium.Map, *, width: int = 1280, height: int = 800, scale: float = 2, chromium: str | Path | None = None
) -> bytes:
    """The static image of :func:`save_png` as PNG bytes (for documents that embed it)."""
    from routes._browser import screenshot

    tiles = any(_is_tile_layer(child) for child in m._children.values())
    return screenshot(
        render_html(m, static=True),
        width=width,
        height=height,
        scale=scale,
        allow_network=tiles,
        executable=chromium,
    )


# -- selection ---------------------------------------------------------------------------


def _graphs(source: Any, *, years: Iterable[int] | None, options: dict[str, Any]) -> list[nx.DiGraph]:
    if isinstance(source, nx.DiGraph) or (
        isinstance(source, Sequence) and not isinstance(source, str) and all(isinstance(g, nx.DiGraph) for g in source)
    ):
        if options or years is not None:
            raise TypeError("selection options go to build_graph(); pass them there or pass a Dataset here")
        graphs = [source] if isinstance(source, nx.DiGraph) else list(source)
        if not graphs:
            raise SelectionError("no graph to draw")
        seen = [G.graph.get("year") for G in graphs]
        if len(set(seen)) != len(seen):
            raise SelectionError("give one graph per year")
        return sorted(graphs, key=lambda G: (G.graph.get("year") is None, G.graph.get("year") or 0))
    dataset = source if isinstance(source, Dataset) else load(source)
    if years is None:
        return [build_graph(dataset, **options)]
    wanted = sorted(set(years))
    if not wanted:
        raise SelectionError("--years needs at least one year")
    if options.get("year") is not None:
        raise SelectionError("use --year or --years, not both")
    if options.get("as_of") is not None:
        raise SelectionError("--as-of judges coverage on one day; with --years each year is judged on 31 December")
    return [build_graph(dataset, **{**options, "year": y}) for y in wanted]


def map_html(
    source: nx.DiGraph | Sequence[nx.DiGraph] | Dataset | str | Path | None = None,
    *,
    lang: str = "en",
    **kwargs: Any,
) -> str:
    """The whole page of :func:`corridor_map` (same arguments) as one HTML string."""
    return render_html(corridor_map(source, lang=lang, **kwargs))


def _search_names(source: Any, graphs: list[nx.DiGraph], *, lang: str = "en") -> dict[str, list[str]]:
    """The names the map's search accepts for each country on it (see routes.countries.search_names).

    In another language the country's name in it is accepted too: English
    names and codes always are.
    """
    from routes.countries import normalise, search_names

    names = {code: str(data.get("name") or code) for G in graphs for code, data in G.nodes(data=True)}
    found = search_names(names, names)
    if lang != LANGUAGES[0]:
        for code, accepted in found.items():
            local = normalise(country_name(code, lang, names[code]))
            if local not in accepted:
                found[code] = sorted([*accepted, local])
    return found


def _shapes_path(source: Any, graphs: list[nx.DiGraph], shapes: str | Path | None) -> Path | None:
    if shapes is not None:
        return Path(shapes)
    if isinstance(source, Dataset):
        return source.shapes
    folder = graphs[0].graph.get("dataset")
    for candidate in ([Path(folder) / "countries.geojson"] if folder else []) + [
        bundled_data_path() / "countries.geojson"
    ]:
        if candidate.is_file():
            return candidate
    return None


def _tile_options(tiles: str) -> dict[str, Any]:
    import xyzservices

    name = tiles.strip()
    if re.search(r"\{[{%#]", name):
        raise SelectionError(f"--tiles {tiles!r} is not a tile set name or URL")
    if re.match(r"https?://", name, re.IGNORECASE):
        if not all(part in name for part in ("{z}", "{x}", "{y}")):
            raise SelectionError("a --tiles URL needs {z}, {x} and {y}, e.g. https://tile.example.org/{z}/{x}/{y}.png")
        return {"tiles": name, "attr": f"Tiles: {html.escape(urlsplit(name).netloc)}"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            provider = xyzservices.providers.query_name(
                "OpenStreetMap Mapnik" if name.lower() in ("openstreetmap", "osm") else name
            )
            needs_key = provider.requires_token()
    except ValueError:
        raise SelectionError(
            f"unknown tile set {tiles!r}; give a provider name such as 'OpenStreetMap' "
            "(see xyzservices) or a https://…/{z}/{x}/{y}.png URL"
        ) from None
    if needs_key:
        raise SelectionError(f"tile set {tiles!r} needs an API key; give its URL with the key instead")
    return {"tiles": provider}


def _is_tile_layer(element: Any) -> bool:
    from folium.raster_layers import TileLayer

    return isinstance(element, TileLayer)


# -- what the page shows -----------------------------------------------------------------


def map_payload(
    graphs: Sequence[nx.DiGraph],
    *,
    labels: Sequence[str] | None = None,
    base: int | None = None,
    shapes: dict[str, Any] | None = None,
    title: str | None = None,
    tiles: bool = False,
    search: dict[str, list[str]] | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Everything the page draws, as plain JSON-ready data (one entry per state: a year, or a scenario).

    Segments are one GeoJSON FeatureCollection of arcs whose ``y`` property
    holds one record per state (``None`` when the segment is not in that
    state's graph); countries likewise. ``labels`` name the states (default:
    their years); ``base`` is the state the map opens compared with (None: no
    comparison); ``search`` the names the country search accepts, by code. The
    page styles everything in the browser. In a language other than English,
    country names are in that language and the payload carries ``lang`` and
    the ``messages`` the page's scripts need (routes.i18n.map_messages).
    """
    with language(lang):
        return _payload(graphs, labels=labels, base=base, shapes=shapes, title=title, tiles=tiles, search=search)


def _payload(
    graphs: Sequence[nx.DiGraph],
    *,
    labels: Sequence[str] | None,
    base: int | None,
    shapes: dict[str, Any] | None,
    title: str | None,
    tiles: bool,
    search: dict[str, list[str]] | None,
) -> dict[str, Any]:
    lang = current()
    graphs = list(graphs)
    names: dict[str, str] = {}
    positions: dict[str, tuple[float, float]] = {}
    edge_keys: set[tuple[str, str]] = set()
    for G in graphs:
        for code, data in G.nodes(data=True):
            names.setdefault(code, str(data.get("name") or code))
            if data.get("x") is not None and data.get("y") is not None:
                positions.setdefault(code, (float(data["x"]), float(data["y"])))
        edge_keys.update(G.edges)

    partnerships: dict[str, Any] = {}
    for G in graphs:
        for pid, info in G.graph.get("partnerships", {}).items():
            if pid not in partnerships:
                partnerships[pid] = _instrument_record(info)

    segments, undrawn = [], []
    flow_max = 0.0
    bends = arc_bends(sorted(k for k in edge_keys if k[0] in positions and k[1] in positions), positions)
    for origin, destination in sorted(edge_keys):
        records = [_edge_record(G, origin, destination) for G in graphs]
        for record in records:
            if record and record["flow"] is not None:
                flow_max = max(flow_max, float(record["flow"]))
        if origin not in positions or destination not in positions:
            undrawn.append([origin, destination])
            continue
        routes_union = sorted(
            {r for G in graphs if G.has_edge(origin, destination) for r in G.edges[origin, destination]["routes"]}
        )
        seg_id = f"{origin}-{destination}"
        segments.append(
            {
                "type": "Feature",
                "id": seg_id,
                "properties": {
                    "id": seg_id,
                    "origin": origin,
                    "destination": destination,
                    "routes": routes_union,
                    "y": records,
                },
                "geometry": {
                    "type": "LineString",
                    "coordinates": arc_coordinates(
                        positions[origin], positions[destination], bend=bends[origin, destination]
                    ),
                },
            }
        )

    nodes = []
    through_max = 0.0
    for code in sorted(names):
        per_year = []
        for G in graphs:
            if code not in G:
                per_year.append(None)
                continue
            known = [
                d["flow"] for _, _, d in itertools.chain(G.in_edges(code, data=True), G.out_edges(code, data=True))
            ]
            known = [f for f in known if f is not None]
            through = _number(sum(known)) if known else None
            if through is not None:
                through_max = max(through_max, float(through))
            per_year.append({"through": through, "partnerships": list(G.nodes[code].get("partnerships", ()))})
        if code not in positions:
            continue
        lon, lat = positions[code]
        nodes.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "y": per_year},
                "geometry": {"type": "Point", "coordinates": [round(lon, _DIGITS), round(lat, _DIGITS)]},
            }
        )

    on_route = set(names)
    if shapes is not None:
        features = []
        for feature in shapes["features"]:
            props = feature["properties"]
            code = props.get("code")
            features.append({**feature, "properties": {**props, "r": 1 if code in on_route else 0}})
            if code and props.get("name"):
                names.setdefault(code, props["name"])
        shapes = {"type": "FeatureCollection", "features": features}

    if lang != LANGUAGES[0]:
        names = {code: country_name(code, lang, name) for code, name in names.items()}
        if any(EU in p.get("parties", ()) for p in partnerships.values()):
            names.setdefault(EU, _(EU))  # the EU as a party: "UE"
    first = graphs[0].graph
    localised = {"lang": lang, "messages": dict(map_messages(lang))} if lang != LANGUAGES[0] else {}
    return _compact(
        {
            "title": title if title is not None else _(DEFAULT_TITLE),
            "tiles": bool(tiles),
            "colors": dict(TIER_COLORS),
            "selection": {
                "min_tier": first.get("min_tier"),
                "themes": first.get("themes"),
                "kinds": first.get("kinds"),
                "exclude_kinds": first.get("exclude_kinds"),
                "binding_only": bool(first.get("binding_only")),
                "routes": first.get("routes"),
            },
            "dataset": _dataset_label(first.get("dataset")),
            "years": [_year_info(G, labels[i] if labels else None) for i, G in enumerate(graphs)],
            "start": len(graphs) - 1,
            "base": base,
            "search": {code: names for code, names in (search or {}).items() if code in positions},
            "flow_max": _number(flow_max) if flow_max else None,
            "through_max": _number(through_max) if through_max else None,
            "routes": sorted({r for G in graphs for _, _, d in G.edges(data=True) for r in d["routes"]}),
            "partnerships": dict(sorted(partnerships.items())),
            "names": dict(sorted(names.items())),
            "undrawn": undrawn,
            "shapes": shapes,
            "segments": {"type": "FeatureCollection", "features": segments},
            "nodes": {"type": "FeatureCollection", "features": nodes},
            **localised,
        }
    )


def _instrument_record(info: dict[str, Any]) -> dict[str, Any]:
    """What a popup shows of an instrument: empty and unknown fields left out, notes cut short."""
    record = {**info, "notes": brief(info.get("notes") or "")}
    for key in ("level", "id"):
        record.pop(key, None)
    if not record.get("secondary"):
        record.pop("secondary", None)
    return {k: v for k, v in record.items() if v is not None and v != "" and v != []}


#: Notes longer than this are cut, at a sentence when one ends nearby, in the map's popups.
NOTE_LENGTH = 240


def brief(text: str, length: int = NOTE_LENGTH) -> str:
    """``text`` cut to about ``length`` characters for a popup (the report and the data keep it whole)."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text.rfind(". ", 0, length)
    cut = cut + 1 if cut >= length // 2 else text.rfind(" ", 0, length)
    return text[: cut if cut > 0 else length].rstrip() + " …"


def _compact(payload: dict[str, Any]) -> dict[str, Any]:
    """Write partnership ids and sources once, in tables, and refer to them by index.

    Records repeat them year after year (EU-wide instruments cover one end of
    many segments); the page turns the indices back into values when it loads.
    """
    segments = [r for f in payload["segments"]["features"] for r in f["properties"]["y"] if r]
    nodes = [r for f in payload["nodes"]["features"] for r in f["properties"]["y"] if r]
    ids = set(payload["partnerships"])
    ids.update(pid for r in segments for pid in r["joins"])
    ids.update(pid for r in nodes for pid in r["partnerships"])
    ids.update(pid for info in payload["years"] for pid in info["partnerships"])
    pids = sorted(ids)
    pid_index = {pid: i for i, pid in enumerate(pids)}
    texts = sorted({s for r in segments for s in r["sources"]})
    text_index = {s: i for i, s in enumerate(texts)}
    for r in segments:
        r["joins"] = [pid_index[p] for p in r["joins"]]
        r["sources"] = [text_index[s] for s in r["sources"]]
    for r in nodes:
        r["partnerships"] = [pid_index[p] for p in r["partnerships"]]
    for info in payload["years"]:
        info["partnerships"] = [pid_index[p] for p in info["partnerships"]]
    payload["tables"] = {"partnerships": pids, "sources": texts}
    for collection in (payload["shapes"], payload["segments"]):
        for feature in (collection or {}).get("features", ()):
            geometry = feature["geometry"]
            geometry["coordinates"] = _encode(geometry["coordinates"], _NESTING[geometry["type"]])
    return payload


#: How deep a geometry's coordinates nest above its lines (a LineString is one line).
_NESTING = {"LineString": 0, "Polygon": 1, "MultiPolygon": 2}
_SCALE = 10**_DIGITS


def _encode(coordinates: list, nesting: int) -> list:
    """Each line as integers: the first point, then the differences (in thousandths of a degree).

    Country outlines are half their size this way, and decoding (``x / 1000``)
    gives back the very same numbers as the decimals, so nothing moves by a pixel.
    """
    if nesting:
        return [_encode(part, nesting - 1) for part in coordinates]
    flat: list[int] = []
    x0 = y0 = 0
    for lon, lat in coordinates:
        x, y = round(lon * _SCALE), round(lat * _SCALE)
        flat += (x - x0, y - y0)
        x0, y0 = x, y
    return flat


def _decode(flat: list, nesting: int) -> list:
    if nesting:
        return [_decode(part, nesting - 1) for part in flat]
    out, x, y = [], 0, 0
    for i in range(0, len(flat), 2):
        x, y = x + flat[i], y + flat[i + 1]
        out.append([x / _SCALE, y / _SCALE])
    return out


def expand_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The inverse of the compaction in :func:`map_payload`: indices back to ids and sources, lines decoded."""
    pids, texts = payload["tables"]["partnerships"], payload["tables"]["sources"]
    for feature in payload["segments"]["features"]:
        for r in feature["properties"]["y"]:
            if r:
                r["joins"] = [pids[i] for i in r["joins"]]
                r["sources"] = [texts[i] for i in r["sources"]]
    for feature in payload["nodes"]["features"]:
        for r in feature["properties"]["y"]:
            if r:
                r["partnerships"] = [pids[i] for i in r["partnerships"]]
    for info in payload["years"]:
        info["partnerships"] = [pids[i] for i in info["partnerships"]]
    for collection in (payload["shapes"], payload["segments"]):
        for feature in (collection or {}).get("features", ()):
            geometry = feature["geometry"]
            geometry["coordinates"] = _decode(geometry["coordinates"], _NESTING[geometry["type"]])
    return payload


def _edge_record(G: nx.DiGraph, origin: str, destination: str) -> dict[str, Any] | None:
    if not G.has_edge(origin, destination):
        return None
    d = G.edges[origin, destination]
    return {
        "flow": _number(d["flow"]),
        "flow_by_route": {route: _number(f) for route, f in d["flow_by_route"].items()},
        "status": d["flow_status"],
        "measure": d["measure"],
        "tier": d["tier"] or "internal",
        "gap": bool(d["gap"]),
        "joins": list(d["partnerships"]),
        "toolbox": d["toolbox"],
        "team_europe": d["team_europe"],
        "sources": list(d["sources"]),
        "notes": list(d["notes"]),
    }


def _year_info(G: nx.DiGraph, label: str | None = None) -> dict[str, Any]:
    counts = dict.fromkeys((*SEGMENT_TIERS, "internal"), 0)
    gaps = 0
    sources: dict[str, int] = {}
    for _origin, _destination, d in G.edges(data=True):
        counts[d["tier"] or "internal"] += 1
        gaps += bool(d["gap"])
        if d["flow"] is not None and d["measure"]:
            for measure in d["measure"].split("; "):
                sources[measure] = sources.get(measure, 0) + 1
    ranked = sorted(sources, key=lambda s: (-sources[s], s))
    totals = {
        route: {"flow": _number(t["flow"]), "status": t["status"], "measure": t["measure"]}
        for route, t in (G.graph.get("route_totals") or {}).items()
    }
    return {
        "year": G.graph.get("year"),
        "label": label if label is not None else str(G.graph.get("year") or _("(no year)")),
        "as_of": G.graph.get("as_of"),
        "route_totals": totals,
        "counts": {**counts, "gaps": gaps, "segments": G.number_of_edges()},
        "sources": ranked,
        "partnerships": sorted(G.graph.get("partnerships", {})),
    }


def _dataset_label(path: str | None) -> str:
    if not path:
        return ""
    folder = Path(path)
    with contextlib.suppress(OSError):
        if folder.resolve() == bundled_data_path().resolve():
            return _("the bundled data set")
    return _("data set '{name}'").format(name=folder.name)


def _number(value: Any) -> int | float | None:
    """A finite number for JSON: integral floats become ints."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() else round(value, 6)


def _center(payload: dict[str, Any]) -> list[float]:
    points = [f["geometry"]["coordinates"] for f in payload["nodes"]["features"]]
    if not points:
        return [45.0, 15.0]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [round((min(lats) + max(lats)) / 2, _DIGITS), round((min(lons) + max(lons)) / 2, _DIGITS)]


# -- geometry ----------------------------------------------------------------------------


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _mercator_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


#: Arcs leaving or reaching a country within this angle of each other are spread apart.
CROWDED_DEGREES = 14.0


def arc_bends(
    keys: Sequence[tuple[str, str]], positions: dict[str, tuple[float, float]]
) -> dict[tuple[str, str], float]:
    """A bend per arc that spreads arcs crowding out of, or into, the same country.

    Arcs that share a country and leave it in nearly the same direction (the
    Balkans, the Levant) would lie on top of each other with one bend; among
    such a bundle, each next arc (the longer ones first) bends further, so the
    arcs fan out instead of tangling. A lone arc keeps :data:`ARC_BEND`.
    """

    def angle(start: str, end: str) -> float:
        (lon_a, lat_a), (lon_b, lat_b) = positions[start], positions[end]
        dx = (lon_b - lon_a + 540) % 360 - 180
        return math.degrees(math.atan2(_mercator_y(lat_b) - _mercator_y(lat_a), dx))

    def length(key: tuple[str, str]) -> float:
        (lon_a, lat_a), (lon_b, lat_b) = positions[key[0]], positions[key[1]]
        return math.hypot((lon_b - lon_a + 540) % 360 - 180, _mercator_y(lat_b) - _mercator_y(lat_a))

    rank = dict.fromkeys(keys, 0)
    at: dict[str, list[tuple[float, tuple[str, str]]]] = {}
    for key in keys:
        origin, destination = key
        at.setdefault(origin, []).append((angle(origin, destination), key))
        at.setdefault(destination, []).append((angle(destination, origin), key))
    for country in sorted(at):
        arcs = sorted(at[country], key=lambda item: (item[0], item[1]))
        bundle: list[tuple[str, str]] = []
        for i, (direction, key) in enumerate(arcs):
            if bundle and direction - arcs[i - 1][0] > CROWDED_DEGREES:
                _spread(bundle, rank, length)
                bundle = []
            bundle.append(key)
        _spread(bundle, rank, length)
    return {key: min(ARC_BEND * (1 + 0.7 * rank[key]), 0.5) for key in keys}


def _spread(bundle: list[tuple[str, str]], rank: dict[tuple[str, str], int], length: Any) -> None:
    for place, key in enumerate(sorted(bundle, key=lambda k: (-length(k), k))):
        rank[key] = max(rank[key], place)


def arc_coordinates(
    a: tuple[float, float],
    b: tuple[float, float],
    *,
    points: int = ARC_POINTS,
    bend: float = ARC_BEND,
) -> list[list[float]]:
    """The curved arc from ``a`` to ``b`` (``(lon, lat)`` pairs), as GeoJSON coordinates.

    A quadratic Bézier curve in Web Mercator whose control point lies
    ``bend`` × the chord to the right of the direction of travel, so A→B and
    B→A bend to opposite sides. When the two ends are more than 180° of
    longitude apart, ``b`` is shifted by ±360° so the arc crosses the 180°
    meridian the short way (its longitudes may then leave -180..180, as
    Leaflet expects).
    """
    lon_a, lat_a = a
    lon_b, lat_b = b
    if lon_b - lon_a > 180:
        lon_b -= 360
    elif lon_a - lon_b > 180:
        lon_b += 360
    xa, ya, xb, yb = lon_a, _mercator_y(lat_a), lon_b, _mercator_y(lat_b)
    dx, dy = xb - xa, yb - ya
    cx, cy = (xa + xb) / 2 + dy * bend, (ya + yb) / 2 - dx * bend
    # The maps draw thousands of arcs: the curve's weights are computed once per number of points, and
    # _mercator_lat is written out here (the same operations in the same order, so the same floats).
    degrees, atan, exp, radians, half_pi = math.degrees, math.atan, math.exp, math.radians, math.pi / 2
    return [
        [
            round(w0 * xa + w1 * cx + w2 * xb, _DIGITS),
            round(degrees(2 * atan(exp(radians(w0 * ya + w1 * cy + w2 * yb))) - half_pi), _DIGITS),
        ]
        for w0, w1, w2 in _bezier_weights(points)
    ]


@functools.cache
def _bezier_weights(points: int) -> tuple[tuple[float, float, float], ...]:
    """(u², 2ut, t²) at t = i / points, i = 0..points: a quadratic Bézier curve's weights."""
    steps = [(1 - i / points, i / points) for i in range(points + 1)]
    return tuple((u * u, 2 * u * t, t * t) for u, t in steps)


def _read_shapes(path: Path | None) -> dict[str, Any] | None:
    """The validated, rounded country shapes, or None without a shapes file."""
    from routes.shapes import read_shapes

    return None if path is None else read_shapes(path)


# -- the page ----------------------------------------------------------------------------


def _json_for_html(obj: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, no ``<!--``, no line separators."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JSON_ESCAPES.items():  # five C-speed replaces beat one translate on megabytes
        text = text.replace(char, escaped)
    return text


_ID_LOCK = threading.Lock()


@contextlib.contextmanager
def _deterministic_ids(seed: str) -> Iterator[None]:
    """Name the folium/branca elements made inside the block ``<seed><counter>``.

    Only the calling thread is affected and the original id source is put
    back on exit; other threads keep random ids meanwhile.
    """
    from branca.element import Element

    with _ID_LOCK:
        original = Element.__dict__["_generate_id"]
        counter = itertools.count()
        owner = threading.get_ident()

        def _generate_id(cls: type) -> str:
            if threading.get_ident() != owner:
                return original.__func__(cls)
            return f"{seed}{next(counter):08x}"

        Element._generate_id = classmethod(_generate_id)  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            Element._generate_id = original  # type: ignore[method-assign]


def _script_texts(figure: Figure) -> list[str]:
    texts = []
    for child in figure.script._children.values():
        text = getattr(child, "text", None) or getattr(child, "_template_str", None)
        if isinstance(text, str):
            texts.append(text)
    return texts


_USES_JQUERY = re.compile(r"(?<![\w$])(?:\$\s*[(.]|jQuery\b)")
_USES_MARKER = re.compile(r"\bL\.marker\s*\(")
_EXTERNAL = re.compile(r"https?:|['\"]//")


class _Raw(Element):
    """Text written to the page as is (never parsed as a Jinja template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _CorridorLayers(MacroElement):
    """The corridor layers and controls: the data as JSON, drawn by the scripts of :data:`SCRIPTS`."""

    def __init__(self, data: str) -> None:
        super().__init__()
        self._name = "RoutesCorridor"
        self.data = data

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        name = self.get_name()
        figure.header.add_child(_Assets(), name="routes_assets")
        figure.html.add_child(_Raw(f'<script type="application/json" id="{name}">{self.data}</script>\n'), name=name)
        figure.script.add_child(_Raw(f'routesCorridorMap({self._parent.get_name()}, "{name}");\n'), name=name)


#: The page's own scripts, by concern, in the order they run (core first: the others are its modules).
SCRIPTS = (
    "core.js",
    "layout.js",
    "search.js",
    "panel.js",
    "legend.js",
    "popups.js",
    "labels.js",
    "table.js",
    "share.js",
    "print.js",
)


class _Assets(Element):
    """Leaflet and the project's controls, inlined; jQuery and marker images only when the page uses them."""

    def render(self, **kwargs: Any) -> str:
        scripts = "\n".join(_script_texts(self.get_root()))
        markers = bool(_USES_MARKER.search(scripts))
        parts = [
            f"<style>\n{_assets.leaflet_css(markers=markers)}</style>",
            f"<script>\n{_assets.leaflet_js()}</script>",
        ]
        if markers:
            parts.append(f"<script>\n{_assets.marker_icons_js()}</script>")
        if _USES_JQUERY.search(scripts):
            parts.append(f"<script>\n{_assets.jquery_js()}</script>")
        parts.append(f"<style>\n{_assets.own_asset('controls.css')}</style>")
        parts += [f"<script>\n{_assets.own_asset(name)}</script>" for name in SCRIPTS]
        return "\n".join(parts) + "\n"


class _Csp(Element):
    """A Content-Security-Policy that forbids every request, when the page needs none."""

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        links = [c for c in figure.header._children.values() if isinstance(c, Link)]
        external = bool(links) or any(_EXTERNAL.search(t) for t in _script_texts(figure))
        head = '<link rel="icon" href="data:,">\n<meta name="referrer" content="no-referrer">\n'
        if external:
            return head
        policy = (
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
        return head + f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
