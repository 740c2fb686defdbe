"""Loading and validating a data set folder (see docs/data-format.md).

:func:`load` reads every file, checks every field and either returns a
:class:`Dataset` or raises :class:`DataError` listing every problem found.
Reading never writes anything.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from routes._errors import DataError, Problem
from routes._validate import FLOW_STATUSES, KINDS, THEMES, Collector, When
from routes.countries import CountryResolver, describe_unknown, iso_name

SEGMENT_COLUMNS = ("route", "origin", "destination", "year", "flow", "measure", "source")
SEGMENT_OPTIONAL_COLUMNS = ("status", "note")
PARTNERSHIP_FIELDS = (
    "id",
    "name",
    "kind",
    "parties",
    "signed",
    "in_force",
    "ended",
    "binding",
    "themes",
    "source",
    "notes",
    "uncertain",
)
UNCERTAIN_FIELDS = ("name", "kind", "parties", "signed", "in_force", "ended", "binding", "themes")
BLOC_FIELDS = ("name", "source", "members", "notes")
MEMBER_FIELDS = ("code", "from", "until")

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
_BLOC = re.compile(r"[A-Z][A-Z0-9_-]*")


@dataclass(frozen=True)
class SegmentRow:
    """One row of ``segments.csv``: a route segment and, if known, its flow in a year."""

    route: str
    origin: str
    destination: str
    year: int | None
    flow: int | float | None
    measure: str
    source: str
    status: str = "ok"
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Partnership:
    """One instrument of ``partnerships.yaml``."""

    id: str
    name: str
    kind: str
    parties: tuple[str, ...]
    signed: When
    binding: bool | None
    themes: tuple[str, ...]
    source: str
    in_force: When | None = None
    ended: When | None = None
    notes: str = ""
    uncertain: tuple[str, ...] = ()
    line: int = 0

    @property
    def start(self) -> When:
        """When it starts to count: entry into force if known, else signature."""
        return self.in_force or self.signed


@dataclass(frozen=True)
class Membership:
    """A country's membership of a bloc from ``start`` until (excluding) ``until``."""

    code: str
    start: When
    until: When | None = None

    def holds_on(self, day: dt.date) -> bool:
        return self.start.day <= day and (self.until is None or day < self.until.day)


@dataclass(frozen=True)
class Bloc:
    """A group of countries whose membership changes over time (the EU)."""

    code: str
    name: str
    source: str
    members: tuple[Membership, ...]
    notes: str = ""

    def members_on(self, day: dt.date) -> frozenset[str]:
        return frozenset(m.code for m in self.members if m.holds_on(day))


@dataclass(frozen=True)
class Country:
    """A node: its name and where it is drawn (None when no position is known)."""

    code: str
    name: str
    lon: float | None = None
    lat: float | None = None


@dataclass(frozen=True)
class Dataset:
    """A validated data set. Treat it as read-only; every collection is immutable."""

    path: Path
    segments: tuple[SegmentRow, ...]
    partnerships: tuple[Partnership, ...]
    blocs: Mapping[str, Bloc]
    countries: Mapping[str, Country]
    shapes: Path | None = None
    warnings: tuple[Problem, ...] = ()

    # Derived values are computed once per data set (it is immutable), not on every call.
    @cached_property
    def years(self) -> tuple[int, ...]:
        """Years with at least one known flow, ascending."""
        return tuple(sorted({r.year for r in self.segments if r.flow is not None and r.year}))

    @cached_property
    def route_names(self) -> tuple[str, ...]:
        return tuple(sorted({r.route for r in self.segments}))

    def partnership(self, pid: str) -> Partnership:
        found = self._partnerships_by_id.get(pid)
        if found is None:
            raise KeyError(pid)
        return found

    @cached_property
    def _partnerships_by_id(self) -> dict[str, Partnership]:
        by_id: dict[str, Partnership] = {}
        for p in self.partnerships:
            by_id.setdefault(p.id, p)  # the first one, as a scan would find
        return by_id

    def country_name(self, code: str) -> str:
        country = self.countries.get(code)
        return country.name if country else (iso_name(code) or code)


def bundled_data_path() -> Path:
    """The bundled data set: inside the installed package, or ``data/`` of a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "_bundled_data"
    return installed if installed.is_dir() else here.parent / "data"


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (a context manager, or a decorator).

    Loading a data set and building its graph make very many objects and few
    cycles; with the collector on, its collections traverse all of them again
    and again (about 40% of the time of loading a large data set). Cycles made
    meanwhile are collected later, as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@gc_paused()
def load(path: str | Path | None = None) -> Dataset:
    """Read and validate the data set in folder ``path`` (the bundled one by default).

    Raises
    ------
    DataError
        With every problem found, each naming the file, line and field.
    """
    folder = Path(path) if path is not None else bundled_data_path()
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        raise DataError([Problem(str(folder), None, None, f"data set folder {what}")])

    problems: list[Problem] = []
    countries_file = folder / "countries.csv"
    base = bundled_data_path() / "countries.csv"
    countries: dict[str, Country] = {}
    if base.is_file() and base.resolve() != countries_file.resolve():
        countries.update(_read_countries(base, problems))
    if countries_file.is_file():
        countries.update(_read_countries(countries_file, problems))
    resolver = CountryResolver({c.code: c.name for c in countries.values()})

    blocs = _read_blocs(folder / "blocs.yaml", problems, resolver)
    partnerships = read_partnerships(folder / "partnerships.yaml", problems, resolver, blocs)
    segments = _read_segments(folder / "segments.csv", problems, resolver)
    if problems:
        raise DataError(problems)

    used = sorted({c for r in segments for c in (r.origin, r.destination)})
    warnings = []
    for code in used:
        if code not in countries:
            countries[code] = Country(code, iso_name(code) or code)
        if countries[code].lon is None:
            warnings.append(
                Problem(str(countries_file), None, code, "no position for this country; add it to countries.csv")
            )
    shapes = folder / "countries.geojson"
    if not shapes.is_file():
        bundled_shapes = bundled_data_path() / "countries.geojson"
        shapes = bundled_shapes if bundled_shapes.is_file() else None
    return Dataset(
        path=folder,
        segments=tuple(segments),
        partnerships=tuple(partnerships),
        blocs=MappingProxyType(blocs),
        countries=MappingProxyType(dict(sorted(countries.items()))),
        shapes=shapes,
        warnings=tuple(warnings),
    )


# -- CSV files -------------------------------------------------------------------------


def _csv_rows(path: Path, problems: list[Problem], columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) pairs; header or encoding trouble becomes a problem."""
    name = str(path)
    if not path.is_file():
        problems.append(Problem(name, None, None, "file is missing"))
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        problems.append(Problem(name, 1, None, f"malformed CSV: {exc}"))
        return
    missing = [c for c in columns if c not in header]
    if missing:
        problems.append(Problem(name, 1, None, f"missing column(s): {', '.join(missing)}"))
        return
    line = reader.line_num
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(name, start, None, f"malformed CSV: {exc}"))
            return
        line = reader.line_num
        if not "".join(values).strip():  # an empty line, or only blanks
            continue
        if len(values) != len(header):
            problems.append(Problem(name, start, None, f"row has {len(values)} fields, the header has {len(header)}"))
            continue
        yield start, dict(zip(header, values, strict=True))


def _read_countries(path: Path, problems: list[Problem]) -> dict[str, Country]:
    out: dict[str, Country] = {}
    check = Collector(str(path))
    for line, row in _csv_rows(path, problems, ("code", "name", "lon", "lat")):
        code = row["code"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            check.add(line, "code", f"{row['code']!r} is not a three-letter code")
            continue
        position = []
        for axis, limit in (("lon", 180), ("lat", 90)):
            text = row[axis].strip()
            try:
                value = float(text) if text else None
            except ValueError:
                check.add(line, axis, f"{text!r} is not a number")
                value = None
            if value is not None and not -limit <= value <= limit:
                check.add(line, axis, f"{value} is outside -{limit}..{limit}")
                value = None
            position.append(value)
        if (position[0] is None) != (position[1] is None):
            check.add(line, "lon" if position[0] is None else "lat", "give both lon and lat, or neither")
            position = [None, None]
        name = row["name"].strip() or iso_name(code) or code
        out[code] = Country(code, name, position[0], position[1])
    problems.extend(check.problems)
    return out


def _read_segments(path: Path, problems: list[Problem], resolver: CountryResolver) -> list[SegmentRow]:
    check = Collector(str(path))
    rows: list[SegmentRow] = []
    seen: dict[tuple, int] = {}
    for line, row in _csv_rows(path, problems, SEGMENT_COLUMNS):
        route = check.text(row["route"], line, "route")
        ends = []
        for end in ("origin", "destination"):
            value = row[end].strip()
            code = resolver.resolve(value) if value else None
            if not value:
                check.add(line, end, "is required and empty")
            elif code is None:
                check.add(line, end, describe_unknown(value, resolver))
            ends.append(code)
        origin, destination = ends
        if origin and origin == destination:
            check.add(line, "destination", f"a segment from a country to itself ({origin})")
        year: int | None = None
        if row["year"].strip():
            try:
                year = int(row["year"])
            except ValueError:
                check.add(line, "year", f"{row['year']!r} is not a year")
            else:
                if not 1900 <= year <= 2100:
                    check.add(line, "year", f"{year} is outside 1900..2100")
        flow = check.number(row["flow"], line, "flow") if row["flow"].strip() else None
        if row["flow"].strip() and not row["year"].strip():
            check.add(line, "year", "a flow needs the year it refers to")
        measure = row["measure"].strip()
        if flow is not None and not measure:
            check.add(line, "measure", "say what the flow counts")
        source = check.text(row["source"], line, "source")
        status = (row.get("status") or "").strip() or "ok"
        if status not in FLOW_STATUSES:
            check.choice(status, line, "status", FLOW_STATUSES)
        key = (route, origin, destination, year)
        if origin and destination and route:
            if key in seen:
                check.add(line, "year", f"duplicate of the row at line {seen[key]} (same route, segment and year)")
            seen.setdefault(key, line)
        rows.append(
            SegmentRow(
                route,
                origin or "",
                destination or "",
                year,
                flow,
                measure,
                source,
                status,
                (row.get("note") or "").strip(),
                line,
            )
        )
    problems.extend(check.problems)
    if not rows and not any(p.file == str(path) for p in problems):
        problems.append(Problem(str(path), None, None, "no segments"))
    return rows


# -- YAML files ------------------------------------------------------------------------


class _LineDict(dict):
    """A mapping that remembers the line of each key."""

    line: int = 0
    lines: dict


class _LineList(list):
    """A list that remembers the line of each item."""

    line: int = 0
    lines: list


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe YAML loader that keeps line numbers and reports duplicate keys."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, Any]] = []


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Iterator[_LineDict]:
    data = _LineDict()
    data.line, data.lines = node.start_mark.line + 1, {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            if key in data:
                loader.duplicate_keys.append((line, key))
            data[key] = loader.construct_object(value_node, deep=True)
        except TypeError:
            loader.duplicate_keys.append((line, f"unhashable key {key!r}"))
            continue
        data.lines[key] = line


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Iterator[_LineList]:
    data = _LineList()
    data.line, data.lines = node.start_mark.line + 1, []
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.lines.append(item.start_mark.line + 1)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    name = str(path)
    if not path.is_file():
        problems.append(Problem(name, None, None, "file is missing"))
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return None
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(name, mark.line + 1 if mark else None, None, f"malformed YAML: {reason}"))
        return None
    finally:
        loader.dispose()
    for line, key in loader.duplicate_keys:
        problems.append(Problem(name, line, str(key), "duplicate key"))
    return data


def _line(data: Any, key: Any = None) -> int | None:
    if key is not None and isinstance(data, _LineDict):
        return data.lines.get(key, data.line)
    return getattr(data, "line", None)


def _unknown_fields(check: Collector, entry: _LineDict, allowed: tuple[str, ...]) -> None:
    for key in entry:
        if key not in allowed:
            check.add(_line(entry, key), str(key), f"unknown field; expected: {', '.join(allowed)}")


def _read_blocs(path: Path, problems: list[Problem], resolver: CountryResolver) -> dict[str, Bloc]:
    data = _read_yaml(path, problems)
    check = Collector(str(path))
    blocs: dict[str, Bloc] = {}
    if data is None:
        return blocs
    if not isinstance(data, dict):
        check.add(_line(data), None, "expected a mapping from bloc code to bloc")
        problems.extend(check.problems)
        return blocs
    for code, entry in data.items():
        line = _line(data, code)
        if not isinstance(code, str) or not _BLOC.fullmatch(code):
            check.add(line, "code", f"{code!r} is not a bloc code (upper-case letters, digits, - or _)")
            continue
        if resolver.resolve(code) == code:
            check.add(line, "code", f"{code!r} is a country code; a bloc needs its own code")
            continue
        if not isinstance(entry, dict):
            check.add(line, code, "expected a mapping with name, source and members")
            continue
        _unknown_fields(check, entry, BLOC_FIELDS)
        source = check.text(entry.get("source"), _line(entry, "source"), "source")
        members = entry.get("members")
        memberships: list[Membership] = []
        if not isinstance(members, list) or not members:
            check.add(_line(entry, "members"), "members", "expected a non-empty list of {code, from, until}")
            members = []
        for index, member in enumerate(members):
            mline = members.lines[index]
            if not isinstance(member, dict):
                check.add(mline, "members", "expected {code: ..., from: ..., until: ...}")
                continue
            _unknown_fields(check, member, MEMBER_FIELDS)
            value = check.text(member.get("code"), mline, "code")
            country = resolver.resolve(value) if value else None
            if value and country is None:
                check.add(mline, "code", describe_unknown(value, resolver))
            start = check.when(member.get("from"), _line(member, "from"), "from") if "from" in member else None
            if "from" not in member:
                check.add(mline, "from", "is required")
            until = member.get("until")
            until = check.when(until, _line(member, "until"), "until") if until is not None else None
            if start and until and until.day <= start.day:
                check.add(_line(member, "until"), "until", f"{until} is not after 'from' ({start})")
                continue
            if country and start:
                memberships.append(Membership(country, start, until))
        by_country: dict[str, list[Membership]] = {}
        for m in memberships:
            by_country.setdefault(m.code, []).append(m)
        for country, periods in by_country.items():
            periods.sort(key=lambda m: m.start.day)
            for a, b in pairwise(periods):
                if a.until is None or b.start.day < a.until.day:
                    check.add(line, "members", f"{country} has overlapping membership periods")
        name = check.text(entry.get("name"), _line(entry, "name"), "name", required=False) or code
        blocs[code] = Bloc(code, name, source, tuple(memberships), str(entry.get("notes") or ""))
    problems.extend(check.problems)
    return blocs


def read_partnerships(
    path: Path, problems: list[Problem], resolver: CountryResolver, blocs: Mapping[str, Bloc]
) -> list[Partnership]:
    """Read a partnerships YAML file; invalid entries become ``problems`` and are left out."""
    data = _read_yaml(path, problems)
    check = Collector(str(path))
    out: list[Partnership] = []
    if data is None:
        return out
    if not isinstance(data, list):
        check.add(_line(data), None, "expected a list of partnerships")
        problems.extend(check.problems)
        return out
    first_line: dict[str, int] = {}
    for index, entry in enumerate(data):
        line = data.lines[index]
        if not isinstance(entry, dict):
            check.add(line, None, "expected a partnership (a mapping with id, name, kind, ...)")
            continue
        count = len(check.problems)
        _unknown_fields(check, entry, PARTNERSHIP_FIELDS)
        pid = check.text(entry.get("id"), _line(entry, "id"), "id")
        if pid and not _ID.fullmatch(pid):
            check.add(_line(entry, "id"), "id", f"{pid!r}: use lower-case letters, digits, '.', '_' or '-'")
        elif pid in first_line:
            check.add(_line(entry, "id"), "id", f"duplicate id {pid!r} (first at line {first_line[pid]})")
        elif pid:
            first_line[pid] = _line(entry, "id")
        name = check.text(entry.get("name"), _line(entry, "name"), "name")
        kind = check.choice(entry.get("kind"), _line(entry, "kind"), "kind", KINDS)
        parties = _parties(check, entry, resolver, blocs)
        signed = None
        if entry.get("signed") is None:
            check.add(_line(entry, "signed"), "signed", "is required")
        else:
            signed = check.when(entry["signed"], _line(entry, "signed"), "signed")
        in_force = (
            check.when(entry["in_force"], _line(entry, "in_force"), "in_force") if entry.get("in_force") else None
        )
        ended = check.when(entry["ended"], _line(entry, "ended"), "ended") if entry.get("ended") else None
        if signed and in_force and in_force.day < signed.day:
            check.add(_line(entry, "in_force"), "in_force", f"{in_force} is before 'signed' ({signed})")
        start = in_force or signed
        if start and ended and ended.day <= start.day:
            check.add(_line(entry, "ended"), "ended", f"{ended} is not after the start ({start})")
        binding = entry.get("binding", "missing")
        if binding not in (True, False, None):
            check.add(_line(entry, "binding"), "binding", f"{binding!r}: use true, false or null (unknown)")
        themes = _string_list(check, entry, "themes")
        for theme in themes:
            check.choice(theme, _line(entry, "themes"), "theme", THEMES)
        if "themes" in entry and not themes:
            check.add(_line(entry, "themes"), "themes", "give at least one theme")
        uncertain = _string_list(check, entry, "uncertain", required=False)
        for item in uncertain:
            if item not in UNCERTAIN_FIELDS:
                check.choice(item, _line(entry, "uncertain"), "uncertain field", UNCERTAIN_FIELDS)
        source = check.text(entry.get("source"), _line(entry, "source"), "source")
        notes = check.text(entry.get("notes"), _line(entry, "notes"), "notes", required=False)
        if len(check.problems) == count and signed and kind:
            out.append(
                Partnership(
                    pid,
                    name,
                    kind,
                    parties,
                    signed,
                    binding,
                    tuple(dict.fromkeys(themes)),
                    source,
                    in_force,
                    ended,
                    notes,
                    tuple(uncertain),
                    line,
                )
            )
    problems.extend(check.problems)
    return out


def _string_list(check: Collector, entry: _LineDict, key: str, *, required: bool = True) -> list[str]:
    value = entry.get(key)
    if value is None:
        if required:
            check.add(_line(entry, key), key, "is required")
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        check.add(_line(entry, key), key, "expected a list of names, e.g. [a, b]")
        return []
    return [v.strip() for v in value]


def _parties(check: Collector, entry: _LineDict, resolver: CountryResolver, blocs: Mapping[str, Bloc]) -> tuple:
    raw = entry.get("parties")
    if not isinstance(raw, list) or not raw:
        check.add(_line(entry, "parties"), "parties", "expected a non-empty list of country or bloc codes")
        return ()
    parties: list[str] = []
    for index, value in enumerate(raw):
        line = raw.lines[index]
        text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
        if text in blocs:
            parties.append(text)
            continue
        code = resolver.resolve(text) if text else None
        if code is None:
            known = ", ".join(sorted(blocs)) or "none"
            check.add(line, "parties", f"{describe_unknown(str(value), resolver)} (and not a bloc; blocs: {known})")
        else:
            parties.append(code)
    return tuple(dict.fromkeys(parties))
