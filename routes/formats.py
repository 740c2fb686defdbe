"""Render lists of records as text: a terminal table, CSV, JSON or Markdown.

Rendering returns a string and never prints, so the same text goes to the
terminal or, whole, to a file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from routes._escape import markdown, spreadsheet, terminal
from routes.i18n import N_, _, gap_reason_text, list_separator, number, percent, term

FORMATS = ("table", "csv", "json", "markdown")


@dataclass(frozen=True)
class Column:
    """A column: the record key, its heading (a msgid, translated where it is shown) and how a value is shown."""

    key: str
    heading: str
    show: Callable[[Any], str] = str
    numeric: bool = False


def flow_text(value: int | float | str | None) -> str:
    """A flow for people: thousands separated, 'unknown' for None (in the language being written)."""
    if value is None:
        return _("unknown")
    if isinstance(value, str):  # a word in place of a figure ("not added up"), already in the language written
        return value
    return number(value) if float(value).is_integer() else number(value, decimals=1)


def share_text(value: float | None) -> str:
    return _("n/a") if value is None else percent(value)


def list_text(value: Sequence[str]) -> str:
    return ", ".join(value) if value else "—"


def routes_with_totals_text(value: Mapping[str, int | float | None]) -> str:
    """Each route with its own total, never added up: "Channel (total unknown)" where none is known."""
    if not value:
        return "—"
    unknown = _("total unknown")
    return ", ".join(f"{route} ({unknown if total is None else flow_text(total)})" for route, total in value.items())


def short_list(value: Sequence[str], *, limit: int = 2) -> str:
    """The first items and how many more, for narrow table cells."""
    shown = ", ".join(value[:limit])
    if len(value) <= limit:
        return shown
    return _("{shown} +{count} more").format(shown=shown, count=len(value) - limit)


def terms_text(values: Sequence[str]) -> str:
    """Values of the data format (themes, kinds) in words, joined."""
    return ", ".join(term(v) for v in values)


def describe_selection(graph: Mapping[str, Any]) -> str:
    """One line saying what was counted, for titles and captions."""
    year = graph["year"] if graph["year"] is not None else _("n/a")
    parts = [_("year {year}").format(year=year), _("as of {day}").format(day=graph["as_of"])]
    parts.append(_("gaps below {tier}").format(tier=term(graph["min_tier"])))
    if graph["themes"]:
        parts.append(_("themes {themes}").format(themes=terms_text(graph["themes"])))
    if graph["kinds"]:
        parts.append(_("kinds {kinds}").format(kinds=terms_text(graph["kinds"])))
    if graph["exclude_kinds"]:
        parts.append(_("excluding {kinds}").format(kinds=terms_text(graph["exclude_kinds"])))
    if graph["binding_only"]:
        parts.append(_("binding only"))
    if graph["routes"]:
        parts.append(_("routes {routes}").format(routes=", ".join(graph["routes"])))
    return list_separator().join(parts)


def json_text(value: Any) -> str:
    """JSON as the outputs write it: UTF-8, indented, and never NaN or Infinity (which are not JSON)."""
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def render(records: list[dict[str, Any]], columns: Sequence[Column], fmt: str, *, title: str = "") -> str:
    """Render ``records``; JSON and CSV keep every key, tables show ``columns``."""
    if fmt == "json":
        return json_text(records)
    if fmt == "csv":
        return _csv(records)
    if fmt == "markdown":
        return _markdown(records, columns, title)
    if fmt == "table":
        return _table(records, columns, title)
    raise ValueError(f"unknown format {fmt!r}")


def _plain(value: Any) -> Any:
    """A CSV cell: lists joined, mappings as JSON, text never a formula (see routes._escape)."""
    if isinstance(value, list | tuple):
        value = "; ".join(" ".join(map(str, v)) if isinstance(v, list | tuple) else str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return spreadsheet(value) if isinstance(value, str) else value


def _csv(records: list[dict[str, Any]]) -> str:
    if not records:
        return ""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _plain(v) for k, v in record.items()})
    return out.getvalue()


def _cell(column: Column, record: dict[str, Any]) -> str:
    return column.show(record.get(column.key))


def _markdown(records: list[dict[str, Any]], columns: Sequence[Column], title: str) -> str:
    lines = [f"**{markdown(title)}**", ""] if title else []
    lines.append("| " + " | ".join(markdown(_(c.heading)) for c in columns) + " |")
    lines.append("| " + " | ".join("---:" if c.numeric else "---" for c in columns) + " |")
    for record in records:
        lines.append("| " + " | ".join(markdown(_cell(c, record)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def _table(records: list[dict[str, Any]], columns: Sequence[Column], title: str) -> str:
    import shutil

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Cells are Text, never markup: a name like "[red]x" must print as written; escape sequences never reach
    # the terminal.
    table = Table(title=Text(terminal(title)) if title else None, title_justify="left")
    for column in columns:
        table.add_column(_(column.heading), justify="right" if column.numeric else "left", overflow="fold")
    for record in records:
        table.add_row(*(Text(terminal(_cell(c, record))) for c in columns))
    width = shutil.get_terminal_size((120, 24)).columns
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False, emoji=False)
    console.print(table)
    return console.file.getvalue()


# -- the columns of the standard tables -------------------------------------------------


def joined_text(partnerships: Mapping[str, str]) -> str:
    """Instruments joining a segment, with their tiers: 'khartoum-process (forum)'."""
    if not partnerships:
        return "—"
    items = [f"{pid} ({term(tier)})" for pid, tier in partnerships.items()]
    return f"{len(items)}: {short_list(items)}" if len(items) > 2 else ", ".join(items)


def gap_text(reason: str | None) -> str:
    return gap_reason_text(reason) or "—"


def status_text(status: str | None) -> str:
    """The status of a figure (approx, prelim...) in words, or a dash."""
    return term(status) if status else "—"


GAP_COLUMNS = (
    Column("flow", N_("Flow"), flow_text, numeric=True),
    Column("origin_name", N_("From")),
    Column("destination_name", N_("To")),
    Column("routes", N_("Routes"), list_text),
    Column("route_flow", N_("Route total"), flow_text, numeric=True),
    Column("gap_reason", N_("Gap"), gap_text),
    Column("partnerships", N_("Joined only by"), joined_text),
    Column("flow_status", N_("Figure"), status_text),
)

SEGMENT_COLUMNS = (
    Column("flow", N_("Flow"), flow_text, numeric=True),
    Column("origin_name", N_("From")),
    Column("destination_name", N_("To")),
    Column("routes", N_("Routes"), list_text),
    Column("partnerships", N_("Instruments"), joined_text),
    Column("flow_status", N_("Figure"), status_text),
)

SUMMARY_COLUMNS = (
    Column("route", N_("Route")),
    Column("segments", N_("Segments"), numeric=True),
    Column("internal", N_("Internal"), numeric=True),
    Column("gaps", N_("Gaps"), numeric=True),
    Column("gap_share", N_("Gap share"), share_text, numeric=True),
    Column("route_total", N_("Route total"), flow_text, numeric=True),
    Column("known_flow", N_("Known segment flow"), flow_text, numeric=True),
    Column("gap_flow", N_("Flow on gaps"), flow_text, numeric=True),
    Column("gap_flow_share", N_("Flow share on gaps"), share_text, numeric=True),
    Column("unknown_flow_segments", N_("Segments, flow unknown"), numeric=True),
    Column("unknown_flow_gaps", N_("… of which gaps"), numeric=True),
)
