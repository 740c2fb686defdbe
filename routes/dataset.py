"""Loading and validating a data set folder (see docs/data-format.md).

:func:`load` reads every file, checks every field and either returns a
:class:`Dataset` or raises :class:`DataError` listing every problem found.
Reading never writes anything.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any

from routes._errors import DataError, Problem
from routes._gc import gc_paused
from routes._validate import (
    FIRST_YEAR,
    FLOW_STATUSES,
    KINDS,
    LAST_YEAR,
    SOURCE_SEPARATOR,
    THEMES,
    TIERS,
    YEAR,
    Collector,
    When,
    shown,
)
from routes._yaml import LineDict, line_of, read_yaml
from routes.countries import CountryResolver, describe_unknown, iso_name

SEGMENT_COLUMNS = ("route", "origin", "destination", "year", "flow", "measure", "source")
SEGMENT_OPTIONAL_COLUMNS = ("status", "note", "secondary")
ROUTE_FLOW_COLUMNS = ("route", "year", "flow", "measure", "source")  # optional: as for segments
PARTNERSHIP_FIELDS = (
    "id",
    "name",
    "kind",
    "parties",
    "participants",
    "signed",
    "in_force",
    "ended",
    "suspended",
    "binding",
    "tier",
    "themes",
    "source",
    "secondary",
    "notes",
    "uncertain",
)
UNCERTAIN_FIELDS = (
    "name",
    "kind",
    "parties",
    "participants",
    "signed",
    "in_force",
    "ended",
    "suspended",
    "binding",
    "tier",
    "themes",
)
GROUP_FIELDS = ("name", "internal", "source", "secondary", "members", "notes")
PERIOD_FIELDS = ("from", "until")
MEMBER_FIELDS = ("code", *PERIOD_FIELDS)

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
_GROUP = re.compile(r"[A-Z][A-Z0-9_-]*")
_COORDINATE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True, slots=True)
class SegmentRow:
    """One row of ``segments.csv``: a route segment and, if known, its flow in a year."""

    route: str
    origin: str
    destination: str
    year: int | None
    flow: int | float | None
    measure: str
    sources: tuple[str, ...]
    status: str = "ok"
    note: str = ""
    secondary: bool = False
    line: int = 0


class _NewSegmentRow:
    """Makes a :class:`SegmentRow` about six times faster than its frozen ``__init__``, for the reader.

    A frozen dataclass sets each field through ``object.__setattr__``; a data
    set has hundreds of thousands of rows. This class has the very same slots,
    sets them directly, then becomes a ``SegmentRow`` (assigning ``__class__``
    between two classes of one layout): the result is an ordinary SegmentRow.
    """

    __slots__ = SegmentRow.__slots__  # type: ignore[attr-defined]

    def __init__(
        self,
        route: str,
        origin: str,
        destination: str,
        year: int | None,
        flow: int | float | None,
        measure: str,
        sources: tuple[str, ...],
        status: str,
        note: str,
        secondary: bool,
        line: int,
    ) -> None:
        self.route = route
        self.origin = origin
        self.destination = destination
        self.year = year
        self.flow = flow
        self.measure = measure
        self.sources = sources
        self.status = status
        self.note = note
        self.secondary = secondary
        self.line = line
        self.__class__ = SegmentRow  # type: ignore[assignment]


@dataclass(frozen=True)
class RouteFlow:
    """One row of ``route_flows.csv``: a route's total in a year (Frontex publishes one per route)."""

    route: str
    year: int
    flow: int | float | None
    measure: str
    sources: tuple[str, ...]
    status: str = "ok"
    note: str = ""
    secondary: bool = False
    line: int = 0


@dataclass(frozen=True)
class Period:
    """From ``start`` until (excluding) ``until``; open-ended when ``until`` is None."""

    start: When
    until: When | None = None

    def holds_on(self, day: dt.date) -> bool:
        return self.start.day <= day and (self.until is None or day < self.until.day)


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
    sources: tuple[str, ...]
    in_force: When | None = None
    ended: When | None = None
    participants: tuple[str, ...] = ()
    suspended: tuple[Period, ...] = ()
    tier: str | None = None
    secondary: bool = False
    notes: str = ""
    uncertain: tuple[str, ...] = ()
    line: int = 0

    @cached_property
    def start(self) -> When:
        """When it starts to count: entry into force if known, else signature."""
        return self.in_force or self.signed


@dataclass(frozen=True)
class Membership:
    """A country's membership of a group from ``start`` until (excluding) ``until``."""

    code: str
    start: When
    until: When | None = None

    holds_on = Period.holds_on


@dataclass(frozen=True)
class Group:
    """Countries with dated membership: a union such as the EU, or the members of a dialogue.

    An ``internal`` group (the EU) governs movements between its own members
    by its own rules: a segment between two members is neither covered nor a gap.
    """

    code: str
    name: str
    sources: tuple[str, ...]
    members: tuple[Membership, ...]
    internal: bool = False
    secondary: bool = False
    notes: str = ""

    def members_on(self, day: dt.date) -> frozenset[str]:
        return frozenset(m.code for m in self.members if m.holds_on(day))

    @cached_property
    def ever(self) -> frozenset[str]:
        """Every country that is a member at some time."""
        return frozenset(m.code for m in self.members)


@dataclass(frozen=True)
class Country:
    """A node: its name and where it is drawn (None when no position is known)."""

    code: str
    name: str
    lon: float | None = None
    lat: float | None = None


class SegmentFigures:
    """The rows of ``segments.csv`` grouped once, and summed per year when a year is asked for.

    ``routes[(origin, destination)]`` lists the segment's routes (a segment is
    part of its routes in every year); :meth:`declared` gives the sources of a
    segment's rows on a route; :meth:`rows_of_year` the rows of a year by
    segment, and :meth:`flows` their known flows by segment and route.
    """

    def __init__(self, rows: Iterable[SegmentRow], *, grouped: _Grouped | None = None) -> None:
        if grouped is None:
            grouped = _Grouped()
            for row in rows:
                grouped.add(row)
        by_key, by_year = grouped.by_key, grouped.by_year
        routes: dict[tuple[str, str], list[str]] = {}
        for origin, destination, route in by_key:
            found = routes.get((origin, destination))
            if found is None:
                routes[origin, destination] = [route]
            else:
                found.append(route)
        self.routes = {k: tuple(sorted(v)) for k, v in sorted(routes.items())}
        self._by_key = by_key
        self._by_year = by_year
        self._years: dict[int, dict[tuple[str, str], list[SegmentRow]]] = {}

    def declared(self, origin: str, destination: str, route: str) -> set[str]:
        """The sources of every row of the segment on ``route`` (for a year without a row)."""
        return {source for row in self._by_key.get((origin, destination, route), ()) for source in row.sources}

    def flows(self, year: int) -> dict[tuple[str, str], dict[str, int | float]]:
        """``(origin, destination) → route → flow`` of the known flows of ``year`` (no sources, no notes)."""
        out: dict[tuple[str, str], dict[str, int | float]] = {}
        for row in self._by_year.get(year, ()):
            if row.flow is not None:
                by_route = out.setdefault((row.origin, row.destination), {})
                by_route[row.route] = by_route.get(row.route, 0) + row.flow
        return out

    def rows_of_year(self, year: int) -> dict[tuple[str, str], list[SegmentRow]]:
        """``(origin, destination) → the rows of ``year`` on that segment``, every route, in file order."""
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = {}
            for row in self._by_year.get(year, ()):
                key = (row.origin, row.destination)
                rows = found.get(key)
                if rows is None:
                    found[key] = [row]
                else:
                    rows.append(row)
        return found


class _Grouped:
    """Rows grouped by segment and route (``by_key``) and by year (``by_year``), each group in file order."""

    __slots__ = ("_last", "_last_key", "by_key", "by_year")

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str, str], list[SegmentRow]] = {}
        self.by_year: dict[int, list[SegmentRow]] = {}
        self._last_key: tuple[str, str, str] | None = None
        self._last: list[SegmentRow] = []

    def add(self, row: SegmentRow) -> None:
        key = (row.origin, row.destination, row.route)
        if key == self._last_key:  # a file mostly gives a segment's rows one after the other
            self._last.append(row)
        else:
            found = self.by_key.get(key)
            if found is None:
                found = self.by_key[key] = [row]
            else:
                found.append(row)
            self._last_key, self._last = key, found
        year = row.year
        if year is not None:
            of_year = self.by_year.get(year)
            if of_year is None:
                self.by_year[year] = [row]
            else:
                of_year.append(row)


@dataclass(frozen=True)
class Dataset:
    """A validated data set. Treat it as read-only; every collection is immutable."""

    path: Path
    segments: tuple[SegmentRow, ...]
    partnerships: tuple[Partnership, ...]
    groups: Mapping[str, Group]
    countries: Mapping[str, Country]
    route_flows: tuple[RouteFlow, ...] = ()
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

    @cached_property
    def segment_figures(self) -> SegmentFigures:
        """Every row summed per segment, route and year, in one pass (shared by every graph and table)."""
        return SegmentFigures(self.segments)

    @cached_property
    def cache(self) -> dict[Any, Any]:
        """Values derived once per data set, such as the coverage index of a selection."""
        return {}

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

    def route_total(self, route: str, year: int | None) -> RouteFlow | None:
        """The route's total for ``year`` from ``route_flows.csv``, if the data set has one."""
        return self._route_totals.get((route, year))

    @cached_property
    def _route_totals(self) -> dict[tuple[str, int], RouteFlow]:
        return {(r.route, r.year): r for r in self.route_flows}


def bundled_data_path() -> Path:
    """The bundled data set: inside the installed package, or ``data/`` of a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "_bundled_data"
    return installed if installed.is_dir() else here.parent / "data"


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

    groups = _read_groups(folder / "blocs.yaml", problems, resolver)
    partnerships = read_partnerships(folder / "partnerships.yaml", problems, resolver, groups)
    segments, grouped = _read_segments(folder / "segments.csv", problems, resolver)
    route_names = {route for _, _, route in grouped.by_key}
    route_flows_file = folder / "route_flows.csv"
    route_flows = _read_route_flows(route_flows_file, problems, route_names) if route_flows_file.is_file() else []
    if problems:
        raise DataError(problems)

    used = sorted({c for origin, destination, _ in grouped.by_key for c in (origin, destination)})
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
    dataset = Dataset(
        path=folder,
        segments=tuple(segments),
        partnerships=tuple(partnerships),
        groups=MappingProxyType(groups),
        countries=MappingProxyType(dict(sorted(countries.items()))),
        route_flows=tuple(route_flows),
        shapes=shapes,
        warnings=tuple(warnings),
    )
    # What the rows give once grouped, computed now from the groups made while reading (the same
    # values the cached properties would compute from the rows, in fewer passes).
    cached = vars(dataset)
    cached["segment_figures"] = SegmentFigures(dataset.segments, grouped=grouped)
    cached["route_names"] = tuple(sorted(route_names))
    cached["years"] = tuple(
        sorted(year for year, rows in grouped.by_year.items() if year and any(r.flow is not None for r in rows))
    )
    return dataset


# -- CSV files -------------------------------------------------------------------------


class _Rows:
    """The data rows of a CSV file, each as a list of the values of ``columns`` in that order.

    Optional columns the file lacks read as "". Problems with the file itself
    (missing, not UTF-8, malformed, columns missing or repeated, short rows)
    are reported to ``problems``.

    The file is read as a stream, never held whole: it is first checked to be
    UTF-8 (in chunks, so that a bad byte is reported before any row), then
    read line by line with universal newlines, as ``Path.read_text`` reads it.
    A line without a quote (or a NUL, or a very long value) is split at its
    commas, as the csv module splits it; any other line is parsed by the csv
    module, with the lines a quoted value spans.
    """

    def __init__(
        self, path: Path, problems: list[Problem], columns: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> None:
        self.name = str(path)
        self.problems = problems
        self._reader: Any = None
        self._handle: Any = None
        self._feed: _Feed | None = None
        self._positions: list[int | None] = []
        if not path.is_file():
            problems.append(Problem(self.name, None, None, "file is missing"))
            return
        if not _is_utf8(path):
            try:
                path.read_text(encoding="utf-8-sig")  # the error as a whole read reports it
            except UnicodeDecodeError as exc:
                problems.append(Problem(self.name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
                return
        handle = open(path, encoding="utf-8-sig")  # noqa: SIM115 (closed when the rows are read)
        self._feed = _Feed(handle)
        reader = csv.reader(self._feed, strict=True)
        try:
            header = [h.strip() for h in next(reader, [])]
        except csv.Error as exc:
            handle.close()
            problems.append(Problem(self.name, 1, None, f"malformed CSV: {exc}"))
            return
        repeated = sorted({h for h in header if h and header.count(h) > 1})
        if repeated:
            handle.close()
            problems.append(Problem(self.name, 1, repeated[0], "this column appears more than once"))
            return
        missing = [c for c in columns if c not in header]
        if missing:
            handle.close()
            problems.append(Problem(self.name, 1, None, f"missing column(s): {', '.join(missing)}"))
            return
        self.width = len(header)
        self._positions = [header.index(c) if c in header else None for c in (*columns, *optional)]
        self._reader = reader
        self._handle = handle

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        """(line, values) of each row with as many fields as the header; blank lines skipped."""
        for batch in self.batches():
            yield from batch

    def batches(self, size: int = 2048) -> Iterator[list[tuple[int, list[str]]]]:
        """The rows of :meth:`__iter__`, ``size`` at a time (one generator step per batch, not per row)."""
        reader = self._reader
        if reader is None:
            return
        positions, width = self._positions, self.width
        pick: Any = None  # None: the file's own columns, in order
        known = [i for i in positions if i is not None]
        if known == list(range(width)) and positions[: len(known)] == known:
            tail = [""] * (len(positions) - width)  # optional columns the file lacks, all last
            if tail:
                pick = lambda values: values + tail  # noqa: E731
        else:  # the wanted columns in their order, "" for an optional column the file lacks
            pick = lambda values: [values[i] if i is not None else "" for i in positions]  # noqa: E731
        batch: list[tuple[int, list[str]]] = []
        handle, feed = self._handle, self._feed
        assert feed is not None
        limit = csv.field_size_limit()
        line = reader.line_num
        try:
            for text in handle:
                start = line + 1
                if '"' in text or "\x00" in text or len(text) > limit:  # the csv module reads the record
                    feed.back = text
                    before = reader.line_num
                    values = next(reader)
                    line += reader.line_num - before  # a quoted value may span several lines
                else:  # no quote: the csv module would split it at the commas
                    line = start
                    if text[-1:] == "\n":
                        text = text[:-1]
                    values = text.split(",") if text else []
                if len(values) != width or not any(values):
                    if not "".join(values).strip():  # an empty line, or only blanks
                        continue
                    if len(values) != width:
                        message = f"row has {len(values)} fields, the header has {width}"
                        self.problems.append(Problem(self.name, start, None, message))
                        continue
                batch.append((start, values if pick is None else pick(values)))
                if len(batch) == size:
                    yield batch
                    batch = []
        except csv.Error as exc:
            self.problems.append(Problem(self.name, line + 1, None, f"malformed CSV: {exc}"))
        finally:
            self._handle.close()
        if batch:
            yield batch


class _Feed:
    """The lines of a file for ``csv.reader``, with a line put back first: a line read to see whether it
    holds a quote, which the reader must then parse (with the lines after it, for a quoted line break)."""

    __slots__ = ("back", "handle")

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.back: str | None = None

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        back = self.back
        if back is not None:
            self.back = None
            return back
        return next(self.handle)


def _is_utf8(path: Path) -> bool:
    """Whether the file decodes as UTF-8 (with or without a BOM), checked in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read_countries(path: Path, problems: list[Problem]) -> dict[str, Country]:
    out: dict[str, Country] = {}
    lines: dict[str, int] = {}
    check = Collector(str(path))
    for line, (raw, name, *position_text) in _Rows(path, problems, ("code", "name", "lon", "lat")):
        code = raw.strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            check.add(line, "code", f"{raw!r} is not a three-letter code")
            continue
        position = []
        for axis, limit, text in (("lon", 180, position_text[0].strip()), ("lat", 90, position_text[1].strip())):
            if not text:
                value = None
            elif _COORDINATE.fullmatch(text):
                value = float(text)
            else:
                check.add(line, axis, f"{text!r} is not a number (degrees with a point for decimals: -9.4)")
                value = None
            if value is not None and not -limit <= value <= limit:
                check.add(line, axis, f"{value} is outside -{limit}..{limit}")
                value = None
            position.append(value)
        if (position[0] is None) != (position[1] is None):
            check.add(line, "lon" if position[0] is None else "lat", "give both lon and lat, or neither")
            position = [None, None]
        if code in lines:
            check.add(line, "code", f"{code} is listed twice (line {lines[code]} too); keep one row")
            continue
        lines[code] = line
        out[code] = Country(code, name.strip() or iso_name(code) or code, position[0], position[1])
    problems.extend(check.problems)
    return out


def _read_segments(path: Path, problems: list[Problem], resolver: CountryResolver) -> tuple[list[SegmentRow], _Grouped]:
    """The rows of ``segments.csv``, and the rows grouped by segment and route, and by year.

    Every problem is reported with its line and field. A file repeats the same
    few routes, codes, years, measures and statuses on every row: each distinct
    value is checked once and remembered (which also makes the rows share one
    string per route and measure), and a row whose values all pass, with a
    whole number (or nothing) as its flow and one source, is made at once. Any
    other row goes through the field-by-field checks of :func:`_segment_row`,
    which report its problems. Rows that repeat a route, segment and year are
    found in the groups, at the end, and reported at their lines.
    """
    check = Collector(str(path))
    rows: list[SegmentRow] = []
    grouped = _Grouped()
    by_key, by_year = grouped.by_key, grouped.by_year
    last_key: tuple[str, str, str] | None = None
    last: list[SegmentRow] = []
    figure = _Figures(check)
    new_row = _NewSegmentRow
    append = rows.append
    separator = SOURCE_SEPARATOR
    routes = _Checked(_route_value)
    codes = _Checked(lambda raw: resolver.resolve(raw) if raw else None)
    years = _Checked(_year_value)
    measures = _Checked(str.strip)
    statuses = _Checked(_status_value)
    notes = _Checked(str.strip)
    flags = _Checked(_flag_value)
    table = _Rows(path, problems, SEGMENT_COLUMNS, SEGMENT_OPTIONAL_COLUMNS)
    for batch in table.batches():
        for line, values in batch:
            route, origin, destination, year, flow, measure, source, status, note, flag = values
            route, origin, destination = routes[route], codes[origin], codes[destination]
            year, measure, status, flag = years[year], measures[measure], statuses[status], flags[flag]
            if not flow:
                flow = None
            elif flow.isdigit() and flow.isascii() and len(flow) < 10:  # a whole number below MAX_FLOW
                flow = int(flow)
            else:
                flow = _BAD
            if (
                route
                and origin
                and destination
                and origin != destination
                and year is not _BAD
                and status
                and flag is not _BAD
                and (flow is None or (flow is not _BAD and year is not None and measure))
                and source.count("://") < 2
                and separator not in source
                and (source := source.strip())
            ):
                note = notes[note]
                row = new_row(route, origin, destination, year, flow, measure, (source,), status, note, flag, line)
                append(row)
                key = (origin, destination, route)
                if key == last_key:  # a file mostly gives a segment's rows one after the other
                    last.append(row)
                else:
                    found = by_key.get(key)
                    if found is None:
                        found = by_key[key] = [row]
                    else:
                        found.append(row)
                    last_key, last = key, found
                if year is not None:
                    of_year = by_year.get(year)
                    if of_year is None:
                        by_year[year] = [row]
                    else:
                        of_year.append(row)
            else:
                row = _segment_row(values, line, check, figure, resolver)
                append(row)
                grouped.add(row)
    found_problems = check.problems
    repeated = _repeated_rows(str(path), by_key)
    if repeated:  # each after the row's other problems, as the row's last check
        found_problems = sorted([*found_problems, *repeated], key=lambda problem: problem.line)
    problems.extend(found_problems)
    if not rows and not any(p.file == str(path) for p in problems):
        problems.append(Problem(str(path), None, None, "no segments"))
    return rows, grouped


def _repeated_rows(name: str, by_key: dict[tuple[str, str, str], list[SegmentRow]]) -> list[Problem]:
    """A problem for each row that repeats the route, segment and year of an earlier row."""
    out = []
    for (origin, destination, route), group in by_key.items():
        if len(group) > 1 and origin and destination and route:
            first: dict[int | None, int] = {}
            for row in group:
                line = first.setdefault(row.year, row.line)
                if line != row.line:
                    message = f"duplicate of the row at line {line} (same route, segment and year)"
                    out.append(Problem(name, row.line, "year", message))
    return sorted(out, key=lambda problem: problem.line)


class _Checked(dict):
    """Raw cell text -> its checked value, each distinct text checked once (``parse`` gives a falsy or _BAD
    value for a text that does not pass)."""

    def __init__(self, parse: Any) -> None:
        super().__init__()
        self.parse = parse

    def __missing__(self, raw: str) -> Any:
        value = self[raw] = self.parse(raw)
        return value


_BAD: Any = object()  # a cell that does not pass its check


def _route_value(raw: str) -> str:
    return raw.strip()


def _year_value(raw: str) -> Any:
    """The year in a cell (None when empty), or _BAD when :meth:`_Figures.read` reports it."""
    text = raw.strip()
    if not text:
        return None
    if not YEAR.fullmatch(text):
        return _BAD
    year = int(text)
    return year if FIRST_YEAR <= year <= LAST_YEAR else _BAD


def _status_value(raw: str) -> str | None:
    status = raw.strip() or "ok"
    return status if status in FLOW_STATUSES else None


def _flag_value(raw: str) -> Any:
    flag = raw.strip().lower()
    return flag == "yes" if flag in ("", "yes", "no") else _BAD


def _segment_row(
    values: list[str], line: int, check: Collector, figure: _Figures, resolver: CountryResolver
) -> SegmentRow:
    """One row checked field by field, each problem reported with its line and field."""
    route = check.text(values[0], line, "route")
    ends = []
    for end, value in (("origin", values[1]), ("destination", values[2])):
        code = resolver.resolve(value) if value else None
        if code is None:
            check.add(line, end, describe_unknown(value, resolver) if value.strip() else "is required and empty")
        ends.append(code)
    origin, destination = ends
    if origin and origin == destination:
        check.add(line, "destination", f"a segment from a country to itself ({origin})")
    year, *rest = figure.read(values[3:], line, year_required=False)
    return SegmentRow(route, origin or "", destination or "", year, *rest, line)


def _read_route_flows(path: Path, problems: list[Problem], routes: set[str]) -> list[RouteFlow]:
    """``route_flows.csv``: one total per route and year, for routes that ``segments.csv`` has.

    A total whose flow is unknown may go without a source: its note says what was searched.
    """
    check = Collector(str(path))
    rows: list[RouteFlow] = []
    seen: dict[tuple, int] = {}
    figure = _Figures(check)
    for line, values in _Rows(path, problems, ROUTE_FLOW_COLUMNS, SEGMENT_OPTIONAL_COLUMNS):
        route = check.text(values[0], line, "route")
        if route and routes and route not in routes:
            check.add(line, "route", f"{route!r} is not a route of segments.csv ({', '.join(sorted(routes))})")
        year, *rest = figure.read(values[1:], line, year_required=True, source_optional_without_flow=True)
        key = (route, year)
        if key in seen:
            check.add(line, "year", f"duplicate of the row at line {seen[key]} (same route and year)")
        seen.setdefault(key, line)
        rows.append(RouteFlow(route, year, *rest, line))
    problems.extend(check.problems)
    return rows


class _Figures:
    """Reads what a segment row and a route total share: year, flow, measure, source, status, note, secondary."""

    def __init__(self, check: Collector) -> None:
        self.check = check
        self.years: dict[str, int | None] = {}  # a file writes the same few years many times

    def read(
        self, values: list[str], line: int, *, year_required: bool, source_optional_without_flow: bool = False
    ) -> tuple:
        """(year, flow, measure, sources, status, note, secondary) from the row's values in that column order."""
        check = self.check
        year_text, flow_text, measure, source, status, note, secondary = values
        year_text, flow_text, measure = year_text.strip(), flow_text.strip(), measure.strip()
        year = self._year(year_text, line) if year_text else None
        if not year_text and year_required:
            check.add(line, "year", "is required and empty")
        flow = check.number(flow_text, line, "flow") if flow_text else None
        if flow_text and not year_text:
            check.add(line, "year", "a flow needs the year it refers to")
        if flow is not None and not measure:
            check.add(line, "measure", "say what the flow counts")
        status = status.strip() or "ok"
        if status not in FLOW_STATUSES:
            check.choice(status, line, "status", FLOW_STATUSES)
        optional = source_optional_without_flow and not flow_text and not source.strip()
        sources = () if optional else check.sources(source, line, csv=True)
        flag = secondary.strip().lower()
        if flag not in ("", "yes", "no"):
            check.add(line, "secondary", f"{secondary!r}: write yes, or leave it empty")
        return year, flow, measure, sources, status, note.strip(), flag == "yes"

    def _year(self, text: str, line: int) -> int | None:
        if text in self.years:
            year = self.years[text]
        else:
            year = int(text) if YEAR.fullmatch(text) else None
            year = year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None
            self.years[text] = year
        if year is None:
            if YEAR.fullmatch(text):
                self.check.add(line, "year", f"{text} is outside {FIRST_YEAR}..{LAST_YEAR}")
            else:
                self.check.add(line, "year", f"{text!r} is not a year (four digits: 2016)")
        return year


# -- YAML files ------------------------------------------------------------------------


def _unknown_fields(check: Collector, entry: LineDict, allowed: tuple[str, ...]) -> None:
    for key in entry:
        if key not in allowed:
            check.add(line_of(entry, key), str(key), f"unknown field; expected: {', '.join(allowed)}")


def _read_groups(path: Path, problems: list[Problem], resolver: CountryResolver) -> dict[str, Group]:
    data = read_yaml(path, problems)
    check = Collector(str(path))
    groups: dict[str, Group] = {}
    if data is None:
        return groups
    if not isinstance(data, dict):
        check.add(line_of(data), None, "expected a mapping from group code to group")
        problems.extend(check.problems)
        return groups
    for code, entry in data.items():
        line = line_of(data, code)
        if not isinstance(code, str) or not _GROUP.fullmatch(code):
            check.add(line, "code", f"{code!r} is not a group code (upper-case letters, digits, - or _)")
            continue
        shadowed = resolver.resolve(code)
        if shadowed is not None:
            check.add(line, "code", f"{code!r} is also a country ({shadowed}); a group needs a code of its own")
            continue
        if not isinstance(entry, dict):
            check.add(line, code, "expected a mapping with name, source and members")
            continue
        _unknown_fields(check, entry, GROUP_FIELDS)
        sources = check.sources(entry.get("source"), line_of(entry, "source"))
        internal = _flag(check, entry, "internal")
        members = entry.get("members")
        memberships: list[Membership] = []
        if not isinstance(members, list) or not members:
            check.add(line_of(entry, "members"), "members", "expected a non-empty list of {code, from, until}")
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
            period = _period(check, member, mline)
            if country and period:
                memberships.append(Membership(country, period.start, period.until))
        by_country: dict[str, list[Membership]] = {}
        for m in memberships:
            by_country.setdefault(m.code, []).append(m)
        for country, periods in by_country.items():
            if _overlap(periods):
                check.add(line, "members", f"{country} has overlapping membership periods")
        name = check.text(entry.get("name"), line_of(entry, "name"), "name", required=False) or code
        notes = check.text(entry.get("notes"), line_of(entry, "notes"), "notes", required=False)
        secondary = _flag(check, entry, "secondary")
        groups[code] = Group(code, name, sources, tuple(memberships), internal, secondary, notes)
    problems.extend(check.problems)
    return groups


def _period(check: Collector, entry: LineDict, line: int | None) -> Period | None:
    """``{from, until}``: from required, until optional and after from."""
    if entry.get("from") is None:
        check.add(line, "from", "is required")
        return None
    start = check.when(entry["from"], line_of(entry, "from"), "from")
    until = entry.get("until")
    until = check.when(until, line_of(entry, "until"), "until") if until is not None else None
    if start and until and until.day <= start.day:
        check.add(line_of(entry, "until"), "until", f"{until} is not after 'from' ({start})")
        return None
    return Period(start, until) if start else None


def _overlap(periods: list[Any]) -> bool:
    ordered = sorted(periods, key=lambda p: p.start.day)
    return any(a.until is None or b.start.day < a.until.day for a, b in pairwise(ordered))


def _flag(check: Collector, entry: LineDict, key: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):  # 0 and 1 are numbers, not answers
        check.add(line_of(entry, key), key, f"{shown(value)}: use true or false")
        return False
    return value


def read_partnerships(
    path: Path, problems: list[Problem], resolver: CountryResolver, groups: Mapping[str, Group]
) -> list[Partnership]:
    """Read a partnerships YAML file; invalid entries become ``problems`` and are left out."""
    data = read_yaml(path, problems)
    check = Collector(str(path))
    out: list[Partnership] = []
    if data is None:
        return out
    if not isinstance(data, list):
        check.add(line_of(data), None, "expected a list of partnerships")
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
        pid = check.text(entry.get("id"), line_of(entry, "id"), "id")
        if pid and not _ID.fullmatch(pid):
            check.add(line_of(entry, "id"), "id", f"{pid!r}: use lower-case letters, digits, '.', '_' or '-'")
        elif pid in first_line:
            check.add(line_of(entry, "id"), "id", f"duplicate id {pid!r} (first at line {first_line[pid]})")
        elif pid:
            first_line[pid] = line_of(entry, "id")
        name = check.text(entry.get("name"), line_of(entry, "name"), "name")
        kind = check.choice(entry.get("kind"), line_of(entry, "kind"), "kind", KINDS)
        parties = _parties(check, entry, resolver, groups)
        participants = _participants(check, entry, resolver, groups, parties)
        signed = None
        if entry.get("signed") is None:
            check.add(line_of(entry, "signed"), "signed", "is required")
        else:
            signed = check.when(entry["signed"], line_of(entry, "signed"), "signed")
        in_force = (
            check.when(entry["in_force"], line_of(entry, "in_force"), "in_force") if entry.get("in_force") else None
        )
        ended = check.when(entry["ended"], line_of(entry, "ended"), "ended") if entry.get("ended") else None
        if signed and in_force and in_force.day < signed.day:
            check.add(line_of(entry, "in_force"), "in_force", f"{in_force} is before 'signed' ({signed})")
        start = in_force or signed
        if start and ended and ended.day <= start.day:
            check.add(line_of(entry, "ended"), "ended", f"{ended} is not after the start ({start})")
        suspended = _suspensions(check, entry)
        binding = entry.get("binding", "missing")
        if not (binding is None or isinstance(binding, bool)):  # 0 == False in Python, not in the data
            check.add(line_of(entry, "binding"), "binding", f"{shown(binding)}: use true, false or null (unknown)")
        tier = entry.get("tier")
        if tier is not None:
            tier = check.choice(tier, line_of(entry, "tier"), "tier", TIERS)
        themes = _string_list(check, entry, "themes")
        for theme in themes:
            check.choice(theme, line_of(entry, "themes"), "theme", THEMES)
        if "themes" in entry and not themes:
            check.add(line_of(entry, "themes"), "themes", "give at least one theme")
        uncertain = _string_list(check, entry, "uncertain", required=False)
        for item in uncertain:
            if item not in UNCERTAIN_FIELDS:
                check.choice(item, line_of(entry, "uncertain"), "uncertain field", UNCERTAIN_FIELDS)
        sources = check.sources(entry.get("source"), line_of(entry, "source"))
        secondary = _flag(check, entry, "secondary")
        notes = check.text(entry.get("notes"), line_of(entry, "notes"), "notes", required=False)
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
                    sources,
                    in_force=in_force,
                    ended=ended,
                    participants=participants,
                    suspended=suspended,
                    tier=tier,
                    secondary=secondary,
                    notes=notes,
                    uncertain=tuple(uncertain),
                    line=line,
                )
            )
    problems.extend(check.problems)
    return out


def _string_list(check: Collector, entry: LineDict, key: str, *, required: bool = True) -> list[str]:
    value = entry.get(key)
    if value is None:
        if required:
            check.add(line_of(entry, key), key, "is required")
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        check.add(line_of(entry, key), key, "expected a list of names, e.g. [a, b]")
        return []
    return [v.strip() for v in value]


def _parties(check: Collector, entry: LineDict, resolver: CountryResolver, groups: Mapping[str, Group]) -> tuple:
    raw = entry.get("parties")
    if not isinstance(raw, list) or not raw:
        check.add(line_of(entry, "parties"), "parties", "expected a non-empty list of country or group codes")
        return ()
    parties: list[str] = []
    for index, value in enumerate(raw):
        line = raw.lines[index]
        text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
        if text in groups:
            parties.append(text)
            continue
        code = resolver.resolve(text) if text else None
        if code is None:
            known = ", ".join(sorted(groups)) or "none"
            check.add(line, "parties", f"{describe_unknown(str(value), resolver)} (and not a group; groups: {known})")
        else:
            parties.append(code)
    unique = list(dict.fromkeys(parties))
    if len(unique) < len(parties):
        twice = sorted({p for p in parties if parties.count(p) > 1})
        check.add(line_of(entry, "parties"), "parties", f"names {', '.join(twice)} twice (by code and by name?)")
    parties = unique
    if len(parties) == 1 and parties[0] not in groups and len(raw) == 1:
        check.add(
            line_of(entry, "parties"), "parties", "one country joins nothing: give two parties or more, or a group"
        )
    return tuple(parties)


def _participants(
    check: Collector,
    entry: LineDict,
    resolver: CountryResolver,
    groups: Mapping[str, Group],
    parties: tuple[str, ...],
) -> tuple[str, ...]:
    """The members of the instrument's group party that take part (all of them when not given)."""
    if entry.get("participants") is None:
        return ()
    line = line_of(entry, "participants")
    names = _string_list(check, entry, "participants")
    if isinstance(entry.get("participants"), list) and not names:
        check.add(line, "participants", "give at least one participant, or leave the field out")
    party_groups = [groups[p] for p in parties if p in groups]
    if not party_groups:
        check.add(line, "participants", "only an instrument with a group party (such as EU) has participants")
        return ()
    out = []
    for name in names:
        code = resolver.resolve(name)
        if code is None:
            check.add(line, "participants", describe_unknown(name, resolver))
        elif not any(code in g.ever for g in party_groups):
            which = ", ".join(g.code for g in party_groups)
            check.add(line, "participants", f"{code} is never a member of {which}")
        else:
            out.append(code)
    return tuple(dict.fromkeys(out))


def _suspensions(check: Collector, entry: LineDict) -> tuple[Period, ...]:
    raw = entry.get("suspended")
    if raw is None:
        return ()
    line = line_of(entry, "suspended")
    if not isinstance(raw, list):
        check.add(line, "suspended", "expected a list of {from: ..., until: ...} periods")
        return ()
    periods = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            check.add(raw.lines[index], "suspended", "expected {from: ..., until: ...}")
            continue
        _unknown_fields(check, item, PERIOD_FIELDS)
        period = _period(check, item, raw.lines[index])
        if period:
            periods.append(period)
    if _overlap(periods):
        check.add(line, "suspended", "suspension periods overlap")
    return tuple(sorted(periods, key=lambda p: p.start.day))
