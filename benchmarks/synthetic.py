"""A seeded, deterministic generator of synthetic data sets in the documented format.

    python -m benchmarks.synthetic --size medium --out DIR --seed 1

writes ``segments.csv``, ``partnerships.yaml``, ``blocs.yaml`` and ``countries.csv``
(docs/data-format.md) into DIR. The same size and seed always give byte-identical
files. The world is made to look like the real one:

- countries are real ISO 3166-1 alpha-3 codes (and ``XKX``) with the positions of
  ``data/countries.csv`` (the 15 ISO codes it lacks get an approximate position here);
- a route is a tree of chains origin → transit → entry that converge on one entry
  country in Europe: each step towards the entry is to a nearby country that is closer
  to it (with the odd long-haul hop, a second entry point and a secondary movement
  between two European countries);
- flows are known mostly on entry segments, rarely upstream, some rows say "unknown";
- partnerships are mostly bilateral and follow the routes, some are EU-level, some are
  bloc-to-bloc, a few are dialogues with 30–60 members; dates spread over the years,
  some ended; the blocs are the EU (its real membership, United Kingdom included until
  2020) and the AU, ECOWAS, GCC and MERCOSUR with membership changes over time.

Sizes: ``small`` is the bundled data set copied as it is; ``tiny`` and ``admin1-tiny``
are for tests.

The ``admin1-*`` sizes are an admin-1-like world: about 5,000 *regions* (the first
subdivisions of countries) are the nodes. Each region has a three-letter code that is
no ISO 3166-1 code (``countries.csv`` of the folder lists them, which is all the loader
needs) and a position jittered around its country's. Routes run from region to
neighbouring region towards an entry region in Europe, found with numpy (k nearest
neighbours by chunks, never an n × n table). The groups are an EU of the regions of the
EU's member states (with the states' real membership dates, internal) and a few regional
dialogues of 30-60 member regions (not internal, dated memberships); instruments are
bilateral between regions along the routes (62%), EU-level (``parties: [EU, region]``,
22%, a quarter of them naming participating member regions), a few regions along one
route (5%), lists of 30-60 regions (5%), dialogue-wide (``parties: [GROUP]``, 3%) and
the EU with a dialogue's members (3%); some are suspended for a while, some ended, a
few have their tier overridden. Each segment has a declaring row and flows in part of
the years, as in the country worlds.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from routes._validate import KINDS, THEMES, TIERS
from routes.countries import iso_name
from routes.dataset import bundled_data_path

LAST_YEAR = 2024


@dataclass(frozen=True)
class Size:
    countries: int  # the nodes: countries, or regions when ``level`` is "admin1"
    segments: int
    partnerships: int
    years: int
    level: str = "country"  # "country" | "admin1"


def _admin1(segments: int, regions: int = 5_000) -> Size:
    return Size(countries=regions, segments=segments, partnerships=20_000, years=10, level="admin1")


SIZES: dict[str, Size | None] = {
    "tiny": Size(countries=30, segments=60, partnerships=40, years=3),
    "small": None,  # the bundled data set, as it is
    "medium": Size(countries=250, segments=5_000, partnerships=1_000, years=10),
    "large": Size(countries=250, segments=20_000, partnerships=5_000, years=25),
    "admin1-tiny": Size(countries=300, segments=2_000, partnerships=600, years=4, level="admin1"),
    "admin1-25k": _admin1(25_000),
    "admin1-50k": _admin1(50_000),
    "admin1-100k": _admin1(100_000),
    "admin1-200k": _admin1(200_000),
}
#: The admin-1 sizes the benchmark suite measures (and fits growth exponents over).
ADMIN1_SIZES = ("admin1-25k", "admin1-50k", "admin1-100k", "admin1-200k")

#: ISO codes that data/countries.csv has no row for, with an approximate (lon, lat).
EXTRA_POSITIONS: dict[str, tuple[float, float]] = {
    "ATA": (0.0, -80.0),
    "BES": (-68.26, 12.18),
    "BVT": (3.41, -54.42),
    "CCK": (96.87, -12.16),
    "CXR": (105.69, -10.49),
    "GIB": (-5.35, 36.14),
    "GLP": (-61.55, 16.25),
    "GUF": (-53.13, 3.93),
    "MTQ": (-61.02, 14.64),
    "MYT": (45.17, -12.83),
    "REU": (55.54, -21.12),
    "SJM": (15.65, 78.22),
    "TKL": (-171.85, -9.17),
    "TUV": (179.2, -8.52),
    "UMI": (-160.03, -0.38),
}

#: Non-EU countries where routes into Europe end, besides the EU's members.
OTHER_ENTRY = ("CHE", "ISL", "LIE", "NOR")


def _codes(text: str) -> list[str]:
    return text.split()


#: Countries and territories that are no transit hub (they still appear as origins).
NO_HUB = frozenset({"AND", "ATA", "BVT", "GIB", "LIE", "MCO", "SJM", "SMR", "VAT"})

_AU = _codes(
    "AGO BDI BEN BFA BWA CAF CIV CMR COD COG COM CPV DJI DZA EGY ERI ESH ETH GAB GHA GIN GMB GNB GNQ KEN LBR "
    "LBY LSO MAR MDG MLI MOZ MRT MUS MWI NAM NER NGA RWA SDN SEN SLE SOM SSD STP SWZ SYC TCD TGO TUN TZA UGA "
    "ZAF ZMB ZWE"
)

#: Synthetic blocs besides the EU: (code, name, {code: [(from, until), ...]}).
_BLOCS: tuple[tuple[str, str, dict[str, list[tuple[str, str | None]]]], ...] = (
    (
        "AU",
        "African Union",
        {
            **{code: [("2002-07-09", None)] for code in _AU},
            "SSD": [("2011-07-28", None)],
            "MAR": [("2017-01-31", None)],
            "MLI": [("2002-07-09", "2021-06-01")],
            "GIN": [("2002-07-09", "2021-09-10")],
            "SDN": [("2002-07-09", "2021-10-27")],
            "BFA": [("2002-07-09", "2022-01-31")],
            "NER": [("2002-07-09", "2023-08-22")],
            "GAB": [("2002-07-09", "2023-08-31"), ("2025-04-30", None)],
        },
    ),
    (
        "ECOWAS",
        "Economic Community of West African States",
        {
            **{code: [("1975-05-28", None)] for code in _codes("BEN CIV GHA GIN GMB GNB LBR NGA SEN SLE TGO")},
            "CPV": [("1977-01-01", None)],
            "MRT": [("1975-05-28", "2001-01-01")],
            "BFA": [("1975-05-28", "2025-01-29")],
            "MLI": [("1975-05-28", "2025-01-29")],
            "NER": [("1975-05-28", "2025-01-29")],
        },
    ),
    (
        "GCC",
        "Gulf Cooperation Council",
        {code: [("1981-05-25", None)] for code in _codes("ARE BHR KWT OMN QAT SAU")},
    ),
    (
        "MERCOSUR",
        "Southern Common Market",
        {
            **{code: [("1991-03-26", None)] for code in _codes("ARG BRA URY")},
            "PRY": [("1991-03-26", "2012-06-29"), ("2013-08-15", None)],
            "VEN": [("2012-07-31", "2016-12-02")],
            "BOL": [("2024-07-08", None)],
        },
    ),
)

_STATUSES = (("ok", 85), ("approx", 5), ("partial-year", 3), ("derived", 3), ("uncertain", 2), ("conflict", 2))
_BILATERAL_KINDS = (
    "bilateral-agreement",
    "mou",
    "readmission-agreement",
    "protocol",
    "migration-partnership",
    "camm",
    "mobility-partnership",
)
_EU_KINDS = ("readmission-agreement", "mobility-partnership", "talent-partnership", "statement", "compact", "fund")
_BLOC_KINDS = ("framework", "declaration", "treaty", "fund")


# -- the world ---------------------------------------------------------------------------


def _countries() -> dict[str, tuple[str, float, float]]:
    """Every code with a name and a position: data/countries.csv plus EXTRA_POSITIONS."""
    out: dict[str, tuple[str, float, float]] = {}
    with open(bundled_data_path() / "countries.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["lon"].strip() and row["lat"].strip():
                out[row["code"]] = (row["name"], float(row["lon"]), float(row["lat"]))
    for code, (lon, lat) in EXTRA_POSITIONS.items():
        out.setdefault(code, (iso_name(code) or code, lon, lat))
    return dict(sorted(out.items()))


def _eu_members() -> list[tuple[str, str, str | None]]:
    """The EU's membership periods as in the bundled blocs.yaml: (code, from, until)."""
    data = yaml.safe_load((bundled_data_path() / "blocs.yaml").read_text(encoding="utf-8"))
    return [(m["code"], str(m["from"]), str(m["until"]) if m.get("until") else None) for m in data["EU"]["members"]]


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


class World:
    """The chosen countries, which of them are entry points, and distances between them."""

    def __init__(self, rng: random.Random, n: int) -> None:
        table = _countries()
        eu = sorted({code for code, _, _ in _eu_members()})
        entry_all = [c for c in sorted({*eu, *OTHER_ENTRY}) if c in table]
        others_all = [c for c in table if c not in entry_all]
        if n >= len(table):
            chosen = list(table)
        else:
            k = max(3, round(n * len(entry_all) / len(table)))
            entries = rng.sample([c for c in entry_all if c in eu], min(k, len(eu)))
            chosen = sorted([*entries, *rng.sample(others_all, max(0, n - len(entries)))])
        self.table = {c: table[c] for c in chosen}
        self.codes = chosen
        self.entry = [c for c in chosen if c in entry_all]
        self.entry_set = frozenset(self.entry)
        self.others = [c for c in chosen if c not in self.entry_set]
        pos = {c: (table[c][1], table[c][2]) for c in chosen}
        self.dist = {a: {b: _distance(pos[a], pos[b]) for b in chosen} for a in chosen}
        self.nearest = {
            a: sorted((b for b in chosen if b != a), key=lambda b, a=a: (self.dist[a][b], b)) for a in chosen
        }


# -- routes and flows ----------------------------------------------------------------------


def _route(rng: random.Random, world: World, quota: int) -> tuple[str, list[tuple[str, str]]]:
    """One route: chains converging on an entry country, at most ``quota`` segments."""
    entry = rng.choice(world.entry)
    near_entry = [c for c in world.nearest[entry] if c not in world.entry_set and c not in NO_HUB][:5]
    hub = rng.choice(near_entry)
    to_entry = world.dist[entry]  # decreases along every chain, so a route has no cycle
    edges: dict[tuple[str, str], None] = {(hub, entry): None}
    inner = [hub]  # non-entry countries on the route, where chains can be extended backwards
    attempts = 0
    while len(edges) < quota and attempts < quota * 8:
        attempts += 1
        draw = rng.random()
        if _grown_at_entry(rng, world, draw, entry, inner, to_entry.__getitem__, edges):
            continue
        current = rng.choice(inner[-6:]) if rng.random() < 0.7 else rng.choice(inner)
        farther = [c for c in world.nearest[current] if c not in world.entry_set and to_entry[c] > to_entry[current]]
        if not farther:
            continue
        if draw < 0.18:  # a long-haul hop (a flight): any country farther away
            origin = rng.choice(farther)
        else:
            near = [c for c in farther[:10] if c not in NO_HUB] or farther
            origin = rng.choice(near[:6])
        if (origin, current) not in edges:
            edges[origin, current] = None
            if origin not in inner:
                inner.append(origin)
    return f"{hub}-{entry}", list(edges)[:quota]


def _grown_at_entry(
    rng: random.Random,
    world: World | RegionWorld,
    draw: float,
    entry: str,
    inner: list[str],
    to_entry: Callable[[str], float],
    edges: dict[tuple[str, str], None],
) -> bool:
    """The draws that grow a route at its entry (True when ``draw`` was one of them).

    Below 0.04, secondary movement inside Europe; below 0.12, a second entry
    point from one of the places on the route closest to the entry.
    """
    if draw < 0.04:
        others = [c for c in world.nearest[entry] if c in world.entry_set][:4]
        if others:
            edges.setdefault((entry, rng.choice(others)), None)
        return True
    if draw < 0.12:
        others = [c for c in world.nearest[entry] if c in world.entry_set][:3]
        closest = sorted(inner, key=lambda c: (to_entry(c), c))[:3]
        if others:
            edges.setdefault((rng.choice(closest), rng.choice(others)), None)
        return True
    return False


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _segments(
    rng: random.Random, world: World | RegionWorld, size: Size, route: Any = None
) -> tuple[list[list], list[tuple[str, str, str]]]:
    """The rows of segments.csv, and the segments (route, origin, destination); ``route`` makes one route."""
    make_route = route or _route
    years = list(range(LAST_YEAR - size.years + 1, LAST_YEAR + 1))
    rows: list[list] = []
    segments: list[tuple[str, str, str]] = []
    number = 0
    while len(segments) < size.segments:
        number += 1
        mean = 12
        quota = min(size.segments - len(segments), rng.randint(3, 2 * mean - 3))
        corridor, edges = make_route(rng, world, quota)
        route = f"Synthetic {number:04d} ({corridor})"
        slug = f"route-{number:04d}"
        has_incoming = {d for _, d in edges}
        volume = rng.lognormvariate(7.5, 1.4)
        trend = [1.0]
        for _ in years[1:]:
            trend.append(trend[-1] * rng.lognormvariate(0, 0.35))
        first = rng.choice(years[: max(1, len(years) // 2)])  # some routes appear later
        for origin, destination in edges:
            segments.append((route, origin, destination))
            if destination in world.entry_set:
                role, known, share = "entry", 0.8, rng.uniform(0.2, 1.0)
            elif origin not in has_incoming:
                role, known, share = "origin", 0.1, rng.uniform(0.01, 0.3)
            else:
                role, known, share = "transit", 0.25, rng.uniform(0.05, 0.6)
            note = "" if rng.random() < 0.8 else f"Synthetic {role} segment; declared from the route description."
            source = f"https://example.org/synthetic/{slug}"
            rows.append([route, origin, destination, "", "", "", source, "", note])
            measure = {
                "entry": "Synthetic detections of irregular border crossings",
                "transit": "Synthetic transit monitoring count",
                "origin": "Synthetic departures estimate",
            }[role]
            for index, year in enumerate(years):
                if year < first or rng.random() >= known:
                    continue
                source_y = f"{source}/{year}"
                if rng.random() < 0.04:  # a row that says the figure is unknown
                    rows.append([route, origin, destination, year, "", "", source_y, "", "No figure published."])
                    continue
                flow = 0 if rng.random() < 0.02 else max(1, round(volume * trend[index] * share))
                status = "prelim" if year == LAST_YEAR and rng.random() < 0.2 else _pick(rng, _STATUSES)
                status = "" if status == "ok" and rng.random() < 0.5 else status
                rows.append([route, origin, destination, year, flow, measure, source_y, status, ""])
    return rows, segments


# -- blocs and partnerships ----------------------------------------------------------------


def _blocs(world: World) -> dict[str, list[tuple[str, str, str | None]]]:
    """Bloc code → membership periods (code, from, until), restricted to the chosen countries."""
    blocs = {"EU": [(c, start, until) for c, start, until in _eu_members() if c in world.table]}
    for code, _, members in _BLOCS:
        periods = [(c, s, u) for c, spans in sorted(members.items()) if c in world.table for s, u in spans]
        if periods:
            blocs[code] = periods
    return {code: periods for code, periods in blocs.items() if periods}


def _date(rng: random.Random, first: int, last: int) -> dt.date:
    start = dt.date(first, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(last, 12, 31).toordinal()))


def _route_nodes(world: Any, segments: list[tuple[str, str, str]]) -> tuple[dict[str, list[str]], list[str]]:
    """Each route's places in the order its segments name them, and the places that are no entry point."""
    route_nodes: dict[str, list[str]] = {}
    for route, origin, destination in segments:
        nodes = route_nodes.setdefault(route, [])
        for code in (origin, destination):
            if code not in nodes:
                nodes.append(code)
    transit = sorted({c for _, o, d in segments for c in (o, d) if c not in world.entry_set}) or world.others
    return route_nodes, transit


def _with_themes_and_source(rng: random.Random, entry: dict) -> dict:
    """An entry's last fields, drawn the same way in both worlds: themes, source, an uncertain legal force."""
    count = rng.randint(3, 5) if entry["kind"] == "dialogue" else rng.randint(1, 3)
    chosen = rng.sample(THEMES, count)
    entry["themes"] = [t for t in THEMES if t in chosen]
    entry["source"] = f"https://example.org/synthetic/partnerships/{entry['id']}"
    if rng.random() < 0.05:
        entry["uncertain"] = ["binding"]
        entry["notes"] = "Synthetic: the legal force is not settled by a source."
    return entry


def _partnerships(
    rng: random.Random, world: World, size: Size, segments: list[tuple[str, str, str]], blocs: dict
) -> list[dict]:
    first_year = LAST_YEAR - size.years + 1
    route_nodes, transit = _route_nodes(world, segments)
    route_names = list(route_nodes)
    other_blocs = [b for b in blocs if b != "EU"]
    out = []
    for number in range(1, size.partnerships + 1):
        draw = rng.random()
        if draw < 0.72 or not blocs:  # bilateral, along the routes
            _, origin, destination = rng.choice(segments)
            if rng.random() < 0.3:
                parties = [origin, destination]
            else:  # with a neighbour of one end: covers that end only, or another segment
                near = [c for c in world.nearest[destination][:15] if c != origin]
                parties = [origin, rng.choice(near)] if near else [origin, destination]
            kind = rng.choice(_BILATERAL_KINDS)
        elif draw < 0.84 and "EU" in blocs:  # EU-level instrument with one partner
            parties, kind = ["EU", rng.choice(transit)], rng.choice(_EU_KINDS)
        elif draw < 0.90:  # a few states along one route
            nodes = route_nodes[rng.choice(route_names)]
            parties = rng.sample(nodes, min(len(nodes), rng.randint(3, 8)))
            kind = rng.choice(("declaration", "framework", "compact"))
        elif draw < 0.97 and other_blocs:  # bloc to bloc, or a bloc and a country
            bloc = rng.choice(other_blocs)
            partner = "EU" if "EU" in blocs and rng.random() < 0.5 else rng.choice(world.entry or world.codes)
            parties, kind = [bloc, partner], rng.choice(_BLOC_KINDS)
        else:  # a regional dialogue with 30-60 members
            anchor = rng.choice(transit)
            k = rng.randint(30, 60)
            if "EU" in blocs and rng.random() < 0.5:
                parties = ["EU", anchor, *[c for c in world.nearest[anchor] if c not in world.entry_set][: k - 2]]
            else:
                members = rng.sample(world.entry, min(len(world.entry), rng.randint(10, 30)))
                rest = [c for c in world.nearest[anchor] if c not in world.entry_set][: max(0, k - len(members) - 1)]
                parties = [anchor, *members, *rest]
            kind = "dialogue"
        parties = list(dict.fromkeys(parties))
        if len(parties) < 2:
            parties.append(rng.choice([c for c in world.codes if c not in parties]))
        signed = _date(rng, first_year - 15, LAST_YEAR)
        signed_text = signed.isoformat()
        if rng.random() < 0.05:  # the source gives only a month or a year
            signed = dt.date(signed.year, signed.month if rng.random() < 0.5 else 1, 1)
            signed_text = f"{signed.year}-{signed.month:02d}" if signed.month != 1 else str(signed.year)
        entry = {
            "id": f"syn-{number:05d}-{kind}",
            "name": f"Synthetic {kind.replace('-', ' ')} {number:05d} ({', '.join(parties[:3])}"
            + (", ...)" if len(parties) > 3 else ")"),
            "kind": kind,
            "parties": parties,
            "signed": signed_text,
        }
        start = signed
        if rng.random() < 0.25:
            start = signed + dt.timedelta(days=rng.randint(0, 400))
            entry["in_force"] = start.isoformat()
        if rng.random() < 0.15:
            entry["ended"] = (start + dt.timedelta(days=rng.randint(180, 365 * 8))).isoformat()
        entry["binding"] = rng.choice((True, True, False, False, None))
        out.append(_with_themes_and_source(rng, entry))
    assert all(e["kind"] in KINDS for e in out)
    return out


# -- the admin-1 world: regions as nodes ------------------------------------------------------

#: Nearest neighbours kept per region (the candidates for the next step of a route).
NEIGHBOURS = 40
#: Three-letter strings that YAML 1.1 readers (PyYAML's default, which benchmarks.floor uses) read as booleans.
_YAML11_WORDS = frozenset({"YES", "OFF"})
#: The regional dialogues of the admin-1 world (not internal): codes of groups, never of countries.
DIALOGUES = 6


def _region_codes(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct three-upper-case-letter codes that are neither ISO 3166-1 codes nor names any reader takes."""
    import string

    from routes.countries import ALIASES

    taken = {alias.upper() for alias in ALIASES} | _YAML11_WORDS
    letters = string.ascii_uppercase
    pool = [a + b + c for a in letters for b in letters for c in letters]
    pool = [code for code in pool if code not in taken and iso_name(code) is None]
    if n > len(pool):
        raise ValueError(f"at most {len(pool):,} regions: there are no more free three-letter codes")
    return rng.sample(pool, n)


class RegionWorld:
    """An admin-1-like world: regions of the real countries, their neighbours, and the entry regions.

    It offers what the route and partnership generators read of :class:`World`
    (``codes``, ``table``, ``entry``, ``entry_set``, ``others``, ``nearest``), with
    ``nearest`` holding the :data:`NEIGHBOURS` nearest regions only, and
    :meth:`distances_from` for the distance from one region to every other.
    """

    def __init__(self, rng: random.Random, n: int) -> None:
        import numpy as np

        table = _countries()
        eu_periods = _eu_members()
        eu = sorted({code for code, _, _ in eu_periods})
        entry_countries = frozenset(c for c in {*eu, *OTHER_ENTRY} if c in table)
        countries = list(table)
        if n <= len(countries):  # one region for each of n countries, with a share of entry countries
            k = max(3, round(n * len(entry_countries) / len(countries)))
            entries = rng.sample([c for c in eu if c in table], min(k, len(eu)))
            rest = [c for c in countries if c not in entry_countries]
            chosen = sorted([*entries, *rng.sample(rest, max(0, n - len(entries)))])
            per_country = dict.fromkeys(chosen, 1)
        else:  # every country, with more regions for some: a seeded draw by weight
            weights = [0.1 if c in NO_HUB else rng.lognormvariate(0, 0.7) for c in countries]
            per_country = dict.fromkeys(countries, 1)
            for c in rng.choices(countries, weights=weights, k=n - len(countries)):
                per_country[c] += 1
        codes = iter(_region_codes(rng, n))
        regions: list[tuple[str, str, str, float, float]] = []  # (code, country, name, lon, lat)
        for country, count in per_country.items():
            name, lon, lat = table[country]
            spread = min(6.0, 0.7 * math.sqrt(count)) if count > 1 else 0.0
            for number in range(1, count + 1):
                x = lon + rng.gauss(0, spread) if spread else lon
                y = lat + rng.gauss(0, spread * 0.7) if spread else lat
                x = (x + 180) % 360 - 180
                y = max(-89.0, min(89.0, y))
                label = f"{name} region {number}" if count > 1 else f"{name} (whole country)"
                regions.append((next(codes), country, label, round(x, 4), round(y, 4)))
        regions.sort()
        self.codes = [r[0] for r in regions]
        self.index = {code: i for i, code in enumerate(self.codes)}
        self.country = {r[0]: r[1] for r in regions}
        self.table = {r[0]: (r[2], r[3], r[4]) for r in regions}
        self.entry = [r[0] for r in regions if r[1] in entry_countries]
        self.entry_set = frozenset(self.entry)
        self.others = [c for c in self.codes if c not in self.entry_set]
        self.no_hub = frozenset(r[0] for r in regions if r[1] in NO_HUB)
        self.eu_periods = eu_periods
        lon = np.radians([r[3] for r in regions])
        lat = np.radians([r[4] for r in regions])
        self._xyz = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)
        self.nearest = self._nearest(min(NEIGHBOURS, len(self.codes) - 1))
        # Entry regions on the edge of the entry area: a route comes in from a region outside it.
        self.border_entry = [
            c for c in self.entry if any(o not in self.entry_set and o not in self.no_hub for o in self.nearest[c])
        ] or self.entry

    def distances_from(self, code: str) -> Any:
        """The great-circle distance (radians) from ``code`` to every region, in the order of ``codes``."""
        import numpy as np

        return np.arccos(np.clip(self._xyz @ self._xyz[self.index[code]], -1.0, 1.0))

    def nearest_from(self, code: str, k: int, keep: Any = None) -> list[str]:
        """The ``k`` regions nearest to ``code`` (itself excluded) that ``keep(code)`` accepts, nearest first."""
        import numpy as np

        distance = self.distances_from(code)
        order = np.lexsort((np.arange(len(self.codes)), distance))
        out = []
        for i in order.tolist():
            other = self.codes[i]
            if other != code and (keep is None or keep(other)):
                out.append(other)
                if len(out) == k:
                    break
        return out

    def _nearest(self, k: int) -> dict[str, list[str]]:
        """Each region's ``k`` nearest regions, nearest first (ties by code), by chunks of rows: no n × n table."""
        import numpy as np

        xyz, n, out = self._xyz, len(self.codes), {}
        if k <= 0:
            return {code: [] for code in self.codes}
        for start in range(0, n, 256):
            stop = min(n, start + 256)
            closeness = xyz[start:stop] @ xyz.T  # the cosine of the angle: larger is nearer
            closeness[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not itself
            near = np.argpartition(-closeness, k - 1, axis=1)[:, :k]
            values = np.take_along_axis(closeness, near, axis=1)
            order = np.lexsort((near, -values), axis=-1)
            ranked = np.take_along_axis(near, order, axis=1)
            for row, indices in enumerate(ranked.tolist()):
                out[self.codes[start + row]] = [self.codes[i] for i in indices]
        return out


def _region_route(rng: random.Random, world: RegionWorld, quota: int) -> tuple[str, list[tuple[str, str]]]:
    """One route between regions, as :func:`_route` makes one between countries."""
    entry = rng.choice(world.border_entry)
    near_entry = [c for c in world.nearest[entry] if c not in world.entry_set and c not in world.no_hub][:5]
    if not near_entry:
        near_entry = world.nearest_from(entry, 5, lambda c: c not in world.entry_set)
    hub = rng.choice(near_entry)
    distance = world.distances_from(entry).tolist()
    index = world.index

    def to_entry(code: str) -> float:  # decreases along every chain, so a route has no cycle
        return distance[index[code]]

    edges: dict[tuple[str, str], None] = {(hub, entry): None}
    inner = [hub]
    attempts = 0
    while len(edges) < quota and attempts < quota * 8:
        attempts += 1
        draw = rng.random()
        if _grown_at_entry(rng, world, draw, entry, inner, to_entry, edges):
            continue
        current = rng.choice(inner[-6:]) if rng.random() < 0.7 else rng.choice(inner)
        here = to_entry(current)
        if draw < 0.16:  # a long-haul hop (a flight): a region anywhere farther away
            origin = None
            for _ in range(8):
                candidate = world.codes[rng.randrange(len(world.codes))]
                if candidate not in world.entry_set and to_entry(candidate) > here:
                    origin = candidate
                    break
            if origin is None:
                continue
        else:
            farther = [c for c in world.nearest[current] if c not in world.entry_set and to_entry(c) > here]
            if not farther:
                continue
            near = [c for c in farther[:10] if c not in world.no_hub] or farther
            origin = rng.choice(near[:6])
        if (origin, current) not in edges:
            edges[origin, current] = None
            if origin not in inner:
                inner.append(origin)
    return f"{hub}-{entry}", list(edges)[:quota]


def _region_blocs(rng: random.Random, world: RegionWorld, size: Size) -> tuple[dict, dict[str, str]]:
    """The EU of the EU states' regions (the states' dates) and the regional dialogues; and the groups' names."""
    by_country: dict[str, list[str]] = {}
    for code in world.codes:
        by_country.setdefault(world.country[code], []).append(code)
    eu = [(region, start, until) for c, start, until in world.eu_periods for region in by_country.get(c, ())]
    blocs: dict[str, list[tuple[str, str, str | None]]] = {"EU": sorted(eu)} if eu else {}
    names = {"EU": "European Union (its member states' regions)"}
    first_year = LAST_YEAR - size.years + 1
    eu_regions = sorted({region for region, _, _ in eu})
    transit = [c for c in world.others if c not in world.no_hub] or world.codes
    for number in range(1, DIALOGUES + 1):
        code = f"DIALOGUE-{number}"
        anchor = rng.choice(transit)
        k = rng.randint(30, 60)
        from_eu = rng.sample(eu_regions, min(len(eu_regions), rng.randint(5, k // 3)))
        rest = world.nearest_from(anchor, k - len(from_eu) - 1, lambda c: c not in world.entry_set)
        founded = _date(rng, first_year - 12, first_year + 2)
        periods = []
        for region in sorted({anchor, *from_eu, *rest}):
            start = founded if rng.random() < 0.85 else _date(rng, founded.year + 1, LAST_YEAR)
            until = None
            if rng.random() < 0.06 and start.year < LAST_YEAR:
                until = (start + dt.timedelta(days=rng.randint(365, 365 * 6))).isoformat()
            periods.append((region, start.isoformat(), until))
        blocs[code] = periods
        names[code] = f"Synthetic regional dialogue {number}"
    return blocs, names


def _region_partnerships(
    rng: random.Random, world: RegionWorld, size: Size, segments: list[tuple[str, str, str]], blocs: dict
) -> list[dict]:
    first_year = LAST_YEAR - size.years + 1
    route_nodes, transit = _route_nodes(world, segments)
    route_names = list(route_nodes)
    eu_regions = sorted({region for region, _, _ in blocs.get("EU", ())})
    dialogues = [code for code in blocs if code != "EU"]
    out = []
    for number in range(1, size.partnerships + 1):
        draw = rng.random()
        participants: list[str] = []
        if draw < 0.62 or not eu_regions:  # bilateral between regions, along the routes
            _, origin, destination = rng.choice(segments)
            if rng.random() < 0.35:
                parties = [origin, destination]
            else:  # with a neighbour of one end: covers that end only, or another segment
                near = [c for c in world.nearest[destination][:15] if c != origin]
                parties = [origin, rng.choice(near)] if near else [origin, destination]
            kind = rng.choice(_BILATERAL_KINDS)
        elif draw < 0.84:  # EU-level with one partner region, some with participating member regions
            parties, kind = ["EU", rng.choice(transit)], rng.choice(_EU_KINDS)
            if rng.random() < 0.25:
                participants = sorted(rng.sample(eu_regions, min(len(eu_regions), rng.randint(3, 30))))
        elif draw < 0.89:  # a few regions along one route
            nodes = route_nodes[rng.choice(route_names)]
            parties = rng.sample(nodes, min(len(nodes), rng.randint(3, 8)))
            kind = rng.choice(("declaration", "framework", "compact"))
        elif draw < 0.94:  # 30-60 regions listed one by one
            anchor = rng.choice(transit)
            k = rng.randint(30, 60)
            members = rng.sample(eu_regions, min(len(eu_regions), rng.randint(5, k // 3)))
            chosen_members = frozenset(members)

            def outside(c: str, chosen: frozenset[str] = chosen_members) -> bool:
                return c not in world.entry_set and c not in chosen

            rest = [c for c in world.nearest[anchor] if outside(c)]
            if len(rest) < k - len(members) - 1:
                rest = world.nearest_from(anchor, k, outside)
            parties = [anchor, *members, *rest[: max(0, k - len(members) - 1)]]
            kind = rng.choice(("dialogue", "framework", "declaration"))
        elif draw < 0.97 and dialogues:  # a regional dialogue: its only party is its group
            parties, kind = [rng.choice(dialogues)], "dialogue"
        elif dialogues:  # the EU and a dialogue's members
            parties, kind = ["EU", rng.choice(dialogues)], rng.choice(_BLOC_KINDS)
        else:
            parties, kind = ["EU", rng.choice(transit)], rng.choice(_EU_KINDS)
        parties = list(dict.fromkeys(parties))
        if len(parties) < 2 and parties[0] not in blocs:
            parties.append(rng.choice([c for c in world.nearest[parties[0]] if c not in parties]))
        signed = _date(rng, first_year - 15, LAST_YEAR)
        signed_text = signed.isoformat()
        if rng.random() < 0.05:  # the source gives only a month or a year
            signed = dt.date(signed.year, signed.month if rng.random() < 0.5 else 1, 1)
            signed_text = f"{signed.year}-{signed.month:02d}" if signed.month != 1 else str(signed.year)
        entry: dict[str, Any] = {
            "id": f"syn-{number:05d}-{kind}",
            "name": f"Synthetic {kind.replace('-', ' ')} {number:05d} ({', '.join(parties[:3])}"
            + (", ...)" if len(parties) > 3 else ")"),
            "kind": kind,
            "parties": parties,
        }
        if participants:
            entry["participants"] = participants
        entry["signed"] = signed_text
        start = signed
        if rng.random() < 0.25:
            start = signed + dt.timedelta(days=rng.randint(0, 400))
            entry["in_force"] = start.isoformat()
        end = None
        if rng.random() < 0.15:
            end = start + dt.timedelta(days=rng.randint(180, 365 * 8))
            entry["ended"] = end.isoformat()
        if rng.random() < 0.06:  # suspended for a while, or from a day on
            last = (end or dt.date(LAST_YEAR, 12, 31)).toordinal()
            begin = rng.randint(start.toordinal() + 1, max(start.toordinal() + 1, last - 30))
            stop = begin + rng.randint(30, 900)
            period = {"from": dt.date.fromordinal(begin).isoformat()}
            if rng.random() < 0.7:
                period["until"] = dt.date.fromordinal(stop).isoformat()
            entry["suspended"] = [period]
        entry["binding"] = rng.choice((True, True, False, False, None))
        if rng.random() < 0.03:
            entry["tier"] = rng.choice(TIERS)
        out.append(_with_themes_and_source(rng, entry))
    assert all(e["kind"] in KINDS for e in out)
    return out


# -- writing -----------------------------------------------------------------------------


def _yaml_text(value: object) -> str:
    """A YAML scalar: dates unquoted, partial dates and free text quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return text
    return json.dumps(text, ensure_ascii=False)


def _partnerships_yaml(entries: list[dict]) -> str:
    lines = ["# Synthetic partnerships (benchmarks/synthetic.py). Format: docs/data-format.md.", ""]
    for entry in entries:
        first = True
        for key, value in entry.items():
            prefix = "- " if first else "  "
            first = False
            if isinstance(value, list) and value and isinstance(value[0], dict):  # suspended: [{from:, until:}]
                items = ", ".join("{" + ", ".join(f"{k}: {v}" for k, v in item.items()) + "}" for item in value)
                lines.append(f"{prefix}{key}: [{items}]")
            elif isinstance(value, list):
                lines.append(f"{prefix}{key}: [{', '.join(value)}]")
            elif key in ("id", "kind", "source"):
                lines.append(f"{prefix}{key}: {value}")
            else:
                lines.append(f"{prefix}{key}: {_yaml_text(value)}")
    return "\n".join(lines) + "\n"


def _blocs_yaml(blocs: dict[str, list[tuple[str, str, str | None]]], names: dict[str, str] | None = None) -> str:
    if names is None:
        names = {"EU": "European Union", **{code: name for code, name, _ in _BLOCS}}
        lines = ["# Synthetic blocs (benchmarks/synthetic.py): the EU's real membership, the others simplified.", ""]
    else:
        lines = [
            "# Synthetic groups of regions (benchmarks/synthetic.py): the EU of its member states' regions",
            "# (the states' real dates) and regional dialogues.",
            "",
        ]
    for code, periods in blocs.items():
        lines += [f"{code}:", f"  name: {names[code]}", f"  source: https://example.org/synthetic/blocs/{code.lower()}"]
        if code == "EU":
            lines.append("  internal: true")
        lines.append("  members:")
        for member, start, until in periods:
            lines.append(f"    - {{code: {member}, from: {start}" + (f", until: {until}}}" if until else "}"))
    return "\n".join(lines) + "\n"


def _csv_text(header: list[str], rows: list[list]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def generate(
    out: str | Path,
    size: str | Size = "medium",
    *,
    seed: int = 1,
) -> Path:
    """Write a synthetic data set of ``size`` (a name of :data:`SIZES` or a :class:`Size`) into ``out``."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if size == "small":
        for name in (
            "segments.csv",
            "route_flows.csv",
            "partnerships.yaml",
            "blocs.yaml",
            "countries.csv",
            "countries.geojson",
        ):
            source = bundled_data_path() / name
            if source.is_file():
                shutil.copyfile(source, folder / name)
        return folder
    spec = SIZES[size] if isinstance(size, str) else size
    assert spec is not None
    rng = random.Random(f"routes-synthetic:{seed}")
    names = None
    if spec.level == "admin1":
        regions = RegionWorld(rng, spec.countries)
        rows, segments = _segments(rng, regions, spec, _region_route)
        blocs, names = _region_blocs(rng, regions, spec)
        partnerships = _region_partnerships(rng, regions, spec, segments, blocs)
        table = regions.table
    elif spec.level == "country":
        world = World(rng, spec.countries)
        rows, segments = _segments(rng, world, spec)
        blocs = _blocs(world)
        partnerships = _partnerships(rng, world, spec, segments, blocs)
        table = world.table
    else:
        raise ValueError(f"unknown level {spec.level!r}: country or admin1")
    about = {"seed": seed, **asdict(spec)}
    if spec.level == "country":
        del about["level"]  # as before the admin-1 sizes
    header = ["route", "origin", "destination", "year", "flow", "measure", "source", "status", "note"]
    files = {
        "segments.csv": _csv_text(header, rows),
        "partnerships.yaml": _partnerships_yaml(partnerships),
        "blocs.yaml": _blocs_yaml(blocs, names),
        "countries.csv": _csv_text(
            ["code", "name", "lon", "lat"], [[c, name, lon, lat] for c, (name, lon, lat) in table.items()]
        ),
        "synthetic.json": json.dumps(about, indent=2) + "\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(SIZES), default="medium")
    parser.add_argument("--out", required=True, type=Path, help="folder to write the data set into")
    parser.add_argument("--seed", type=int, default=1)
    for name in ("countries", "segments", "partnerships", "years"):
        what = "countries (regions for the admin1 sizes)" if name == "countries" else name
        parser.add_argument(f"--{name}", type=int, default=None, help=f"override the size's number of {what}")
    args = parser.parse_args(argv)
    size: str | Size = args.size
    overrides = {k: getattr(args, k) for k in ("countries", "segments", "partnerships", "years")}
    if any(v is not None for v in overrides.values()):
        if args.size == "small":
            parser.error("small is the bundled data set; it has no sizes to override")
        base = SIZES[args.size]
        assert base is not None
        size = Size(**{k: v if v is not None else getattr(base, k) for k, v in overrides.items()}, level=base.level)
    folder = generate(args.out, size, seed=args.seed)
    print(f"wrote {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
