"""Render a gap report (:func:`routes.report.build_report`) as HTML, Markdown or XLSX.

Every string from the data is escaped; the HTML is one self-contained file
with a print style sheet and no network request; the XLSX has one sheet per
table and fixed timestamps, so the same inputs give the same bytes.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from routes._escape import REPLACEMENT, markdown, markdown_code
from routes.formats import GAP_COLUMNS, SUMMARY_COLUMNS, Column, describe_selection, flow_text, list_text, share_text

REPORT_FORMATS = ("html", "markdown", "xlsx")

#: Characters an XLSX (XML 1.0) file cannot hold.
_TEXT_FREE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: Okabe–Ito palette: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

THEME_LABELS = {
    "return-readmission": "Return",
    "legal-pathways": "Legal pathways",
    "border-management": "Borders",
    "anti-smuggling": "Smuggling",
    "protection": "Protection",
    "development": "Development",
    "visa": "Visa",
}


@dataclass(frozen=True)
class Table:
    """One table of the report: its title, a sentence saying what it shows, rows and columns."""

    key: str
    title: str
    intro: str
    records: list[dict[str, Any]]
    columns: Sequence[Column]


SEGMENT_COLUMNS = (
    Column("flow", "Flow", flow_text, numeric=True),
    Column("origin_name", "From"),
    Column("destination_name", "To"),
    Column("routes", "Routes", list_text),
)

TIER_MEANING = {
    "internal": "both ends EU members: neither covered nor a gap",
    "binding": "a legally binding agreement joins the two countries",
    "operational": "an operational instrument (MoU, partnership, compact...)",
    "political": "a political declaration or statement",
    "forum": "only a regional dialogue both take part in",
    "none": "no instrument joins the two countries",
}


def _names(names: Sequence[str], *, limit: int = 4) -> str:
    """Up to ``limit`` names and how many more."""
    if not names:
        return "—"
    shown = "; ".join(names[:limit])
    return shown + (f"; and {len(names) - limit} more" if len(names) > limit else "")


def tables(report: dict[str, Any]) -> list[Table]:
    """The report's tables in reading order (shared by every output format)."""
    selection = report["selection"]
    year = selection["year"]
    min_tier = selection["min_tier"]
    thematic = report["thematic"]
    theme_columns = [Column("route", "Route"), Column("known_flow", "Known flow", flow_text, numeric=True)]
    theme_columns += [Column(t, THEME_LABELS[t], share_text, numeric=True) for t in thematic["themes"]]
    years = sorted({r["year"] for r in report["over_time"]})
    route_names = sorted({r["route"] for r in report["over_time"]})
    pivot = {(r["year"], r["route"]): r for r in report["over_time"]}

    def by_year(key: str) -> list[dict[str, Any]]:
        return [
            {"route": route, **{str(y): pivot.get((y, route), {}).get(key) for y in years}} for route in route_names
        ]

    year_columns = [Column("route", "Route")] + [Column(str(y), str(y), share_text, numeric=True) for y in years]
    total_columns = [Column("route", "Route")] + [Column(str(y), str(y), flow_text, numeric=True) for y in years]
    tier_rows = [{**r, "meaning": TIER_MEANING[r["tier"]]} for r in report["tiers"]]
    partnership_records = [
        {
            "id": pid,
            "name": p["name"],
            "kind": p["kind"],
            "tier": p["tier"],
            "parties": p["parties"],
            "participants": p["participants"],
            "signed": p["signed"],
            "in_force": p["in_force"] or "",
            "ended": p["ended"] or "",
            "binding": {True: "yes", False: "no", None: "unknown"}[p["binding"]],
            "themes": p["themes"],
            "uncertain": p["uncertain"],
            "sources": p["sources"],
        }
        for pid, p in report["partnerships"].items()
    ]
    return [
        Table(
            "headline",
            "Headline figures",
            f"Per route: segments, internal segments (between two EU members: neither covered nor gaps), gaps "
            f"(no instrument at {min_tier} tier or above joins the two countries), the route's own total for "
            f"{year}, and the share of the known segment flow that passes through gaps. Segments whose flow is "
            "unknown are counted apart, never as zero.",
            report["headline"],
            SUMMARY_COLUMNS,
        ),
        Table(
            "tiers",
            "Segments by depth of cooperation",
            f"Each segment's tier is that of the strongest instrument joining its two countries; below {min_tier} "
            "it is a gap.",
            tier_rows,
            (
                Column("tier", "Tier"),
                Column("meaning", "Meaning"),
                Column("gap", "Gap", lambda g: "yes" if g else "no"),
                Column("segments", "Segments", numeric=True),
                Column("known_flow", "Known flow", flow_text, numeric=True),
            ),
        ),
        Table(
            "gaps",
            "Gaps ranked by flow",
            f"Segments that no instrument at {min_tier} tier or above joins, largest known flow first: 'nothing' "
            "when no instrument joins the two countries, 'forum only' when only a regional dialogue does.",
            report["gaps"],
            (*GAP_COLUMNS[:6], Column("joined_by", "Joined only by", _names), GAP_COLUMNS[7]),
        ),
        Table(
            "toolbox",
            "Balanced toolbox: segments by theme",
            f"Whether the instruments joining each segment at {min_tier} tier or above cover return and "
            "readmission, legal pathways, both or neither (the selection's theme filter set aside).",
            thematic["counts"],
            (Column("toolbox", "Instruments cover"), Column("segments", "Segments", numeric=True)),
        ),
        Table(
            "return_without_legal",
            "Return and readmission without legal pathways",
            "Segments whose instruments cover return and readmission but not legal pathways.",
            thematic["return_without_legal"],
            (*SEGMENT_COLUMNS, Column("themes", "Themes covered", list_text)),
        ),
        Table(
            "legal_without_return",
            "Legal pathways without return and readmission",
            "Segments whose instruments cover legal pathways but not return and readmission.",
            thematic["legal_without_return"],
            (*SEGMENT_COLUMNS, Column("themes", "Themes covered", list_text)),
        ),
        Table(
            "themes",
            "Share of known flow covered, by theme",
            f"Per route, the share of known flow on segments joined at {min_tier} tier or above by an instrument "
            "with each theme (n/a: no known flow).",
            thematic["flow_share_by_theme"],
            theme_columns,
        ),
        Table(
            "team_europe_counts",
            "Team Europe: segments by who joins them",
            f"At {min_tier} tier or above. EU-level: the EU is a party. Member states: an EU member state is a "
            "party and the EU is not. Others: neither (Switzerland, the United Kingdom, dialogues...). "
            "Internal segments are left out.",
            report["team_europe"]["counts"],
            (Column("team_europe", "Joined by"), Column("segments", "Segments", numeric=True)),
        ),
        Table(
            "team_europe",
            "Team Europe, per segment",
            f"The instruments that join each segment at {min_tier} tier or above, by level.",
            report["team_europe"]["segments"],
            (
                *SEGMENT_COLUMNS,
                Column("team_europe", "Joined by"),
                Column("eu_level", "EU-level", _names),
                Column("member_states", "Member states", _names),
                Column("others", "Others", _names),
            ),
        ),
        Table(
            "route_totals",
            "Route totals over time",
            "Each route's own total per year (route_flows.csv: Frontex detections unless the measure says "
            "otherwise), beside the segments' figures; unknown where the data set has none.",
            by_year("route_total"),
            total_columns,
        ),
        Table(
            "over_time",
            "Flow-weighted coverage over time",
            "Per year with flows (judged on 31 December): the share of each route's known segment flow on "
            "segments that are not gaps.",
            by_year("flow_coverage"),
            year_columns,
        ),
        Table(
            "segments_over_time",
            "Segment coverage over time",
            "Per year: the share of each route's judged segments that are not gaps.",
            by_year("segment_coverage"),
            year_columns,
        ),
        Table(
            "partnerships",
            "Instruments counted",
            "The instruments active on the as-of day that the options let count, with their tier.",
            partnership_records,
            (
                Column("id", "Id"),
                Column("name", "Name"),
                Column("kind", "Kind"),
                Column("tier", "Tier"),
                Column("signed", "Signed"),
                Column("in_force", "In force"),
                Column("ended", "Ended"),
                Column("binding", "Binding"),
                Column("themes", "Themes", list_text),
                Column("uncertain", "Uncertain", list_text),
            ),
        ),
    ]


# -- Markdown ----------------------------------------------------------------------------


def to_markdown(report: dict[str, Any], *, command: str) -> str:
    """The report as Markdown, to paste into documents and tickets."""
    from routes.formats import render

    selection = report["selection"]
    parts = [
        "# Partnership coverage of migration routes: gap report",
        "",
        f"Selection: {markdown(describe_selection(selection))}. Data set: {markdown_code(selection['dataset'])}.",
        "",
        f"Re-run: {markdown_code(command)}",
    ]
    for table in tables(report):
        parts += ["", f"## {table.title}", "", markdown(table.intro), ""]
        parts.append(render(table.records, table.columns, "markdown").rstrip("\n") if table.records else "_None._")
    parts += ["", "## Caveats", ""] + [f"- {markdown(c)}" for c in report["caveats"]]
    parts += ["", "## Sources", ""] + [f"- {markdown(s)}" for s in report["sources"]]
    return "\n".join(parts) + "\n"


# -- HTML --------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;
max-width:1100px;margin:2em auto;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
p.meta{color:#444}code{background:#f3f3f3;padding:0 .25em;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.9em}
th,td{border:1px solid #d0d0d0;padding:.25em .45em;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#fafafa}.chart{margin:1em 0}.chart svg{max-width:100%;height:auto}
iframe.map{display:block;width:100%;aspect-ratio:16/10;height:auto;border:1px solid #ccc}
ul.sources{font-size:.85em;word-break:break-all}
@media print{body{max-width:none;margin:0;font-size:10pt}h2{break-after:avoid}tr,figure,.chart{break-inside:avoid}
iframe.map{break-inside:avoid;border:0}a{color:inherit;text-decoration:none}thead{display:table-header-group}}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _link(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(url)}</a>'
    return _e(url)


def html_table(table: Table) -> str:
    if not table.records:
        return "<p><em>None.</em></p>"
    head = "".join(f"<th{' class=num' if c.numeric else ''}>{_e(c.heading)}</th>" for c in table.columns)
    rows = []
    for record in table.records:
        cells = "".join(
            f"<td{' class=num' if c.numeric else ''}>{_e(c.show(record.get(c.key)))}</td>" for c in table.columns
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def coverage_chart(over_time: list[dict[str, Any]], *, width: int = 760, height: int = 300) -> str:
    """An inline SVG line chart of flow-weighted coverage per route and year."""
    years = sorted({r["year"] for r in over_time})
    series: dict[str, list[tuple[int, float]]] = {}
    for r in over_time:
        if r["flow_coverage"] is not None:
            series.setdefault(r["route"], []).append((r["year"], r["flow_coverage"]))
    if not years or not series:
        return "<p><em>No route has a known flow in any year, so there is nothing to chart.</em></p>"
    left, right, top, bottom = 48, 190, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(year: int) -> float:
        return left + (plot_w * (years.index(year) / (len(years) - 1)) if len(years) > 1 else plot_w / 2)

    def y(share: float) -> float:
        return top + plot_h * (1 - share)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Flow-weighted coverage per route and year">'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{tick:.0%}</text>'
        )
    for year in years:
        parts.append(f'<text x="{x(year):.1f}" y="{height - 12}" text-anchor="middle" font-size="11">{year}</text>')
    for index, route in enumerate(sorted(series)):
        colour = PALETTE[index % len(PALETTE)]
        dash = "" if index < len(PALETTE) else ' stroke-dasharray="4 3"'
        points = sorted(series[route])
        runs: list[list[tuple[int, float]]] = []
        for point in points:  # break the line where a year has no known flow
            if runs and years.index(point[0]) == years.index(runs[-1][-1][0]) + 1:
                runs[-1].append(point)
            else:
                runs.append([point])
        for run in runs:
            if len(run) > 1:
                coords = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in run)
                parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for a, b in points:
            parts.append(
                f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="3.5" fill="{colour}">'
                f"<title>{_e(route)} {a}: {b:.0%}</title></circle>"
            )
        ly = top + 16 * index + 8
        parts.append(
            f'<rect x="{left + plot_w + 14}" y="{ly - 8}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + plot_w + 32}" y="{ly + 2}" font-size="12">{_e(route)}</text>'
        )
    parts.append("</svg>")
    return f'<figure class="chart">{"".join(parts)}</figure>'


def to_html(report: dict[str, Any], *, command: str, map_html: str | None = None) -> str:
    """The report as one self-contained HTML page (works offline, prints cleanly)."""
    selection = report["selection"]
    body = [
        "<h1>Partnership coverage of migration routes: gap report</h1>",
        f'<p class="meta">Selection: {_e(describe_selection(selection))}. '
        f"Data set: <code>{_e(selection['dataset'])}</code>.<br>Re-run: <code>{_e(command)}</code></p>",
    ]
    if map_html is not None:
        body.append(
            '<h2>Map</h2><iframe class="map" title="Corridor map" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads" '
            f'srcdoc="{_e(map_html)}"></iframe>'
        )
    for table in tables(report):
        body.append(f'<h2 id="{_e(table.key)}">{_e(table.title)}</h2><p>{_e(table.intro)}</p>')
        if table.key == "over_time":
            body.append(coverage_chart(report["over_time"]))
        body.append(html_table(table))
    body.append("<h2>Caveats</h2><ul>" + "".join(f"<li>{_e(c)}</li>" for c in report["caveats"]) + "</ul>")
    body.append(
        '<h2>Sources</h2><ul class="sources">' + "".join(f"<li>{_link(s)}</li>" for s in report["sources"]) + "</ul>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Gap report — {_e(describe_selection(selection))}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


# -- XLSX --------------------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value))  # whole lists: a spreadsheet can take them
    if isinstance(value, dict):
        return "; ".join(f"{k} ({v})" for k, v in value.items())
    return value


def _append(sheet: Any, values: Sequence[Any]) -> None:
    """One row; text is stored as text, never as a formula, without the characters XLSX cannot hold."""
    sheet.append([_TEXT_FREE.sub(REPLACEMENT, v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


#: Worksheet names (at most 31 characters) for the tables, by key.
SHEET_NAMES = {
    "headline": "Headline figures",
    "tiers": "Depth of cooperation",
    "gaps": "Gaps by flow",
    "toolbox": "Balanced toolbox",
    "return_without_legal": "Return without legal pathways",
    "legal_without_return": "Legal pathways without return",
    "themes": "Coverage by theme",
    "team_europe_counts": "Team Europe",
    "team_europe": "Team Europe by segment",
    "route_totals": "Route totals over time",
    "over_time": "Coverage over time",
    "segments_over_time": "Segments over time",
    "partnerships": "Instruments",
}
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_WIDEST = 60  # characters: longer text wraps


def _sheet_name(title: str, taken: set[str]) -> str:
    """A worksheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = " ".join(_SHEET_NAME_FORBIDDEN.sub("-", title).split())[:31].strip() or "Sheet"
    base, n = name, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _xlsx_value(column: Column, value: Any) -> Any:
    """A cell: numbers stay numbers; an unknown flow or share says so in words, never a blank or a 0."""
    if value is None and column.show is flow_text:
        return "unknown"
    if value is None and column.show is share_text:
        return "n/a"
    return _cell_value(value)


def _fit_columns(sheet: Any, *, wrap_from_row: int = 1) -> None:
    """Widths from the longest text of each column (capped); long text wraps, numbers align right."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for index, cells in enumerate(sheet.iter_cols(min_row=1), start=1):
        longest = max((len(_display(c)) for c in cells), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), _WIDEST)
        if longest > _WIDEST:
            for cell in cells[wrap_from_row - 1 :]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _display(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and cell.number_format == "0%":
        return "100%"
    if isinstance(value, int | float):
        return f"{value:,.0f}"
    return str(value)


def to_xlsx(report: dict[str, Any], *, command: str) -> bytes:
    """The report as a workbook: a 'Read me' sheet, then one sheet per table.

    Numbers stay numbers (flows with thousands separators, shares as fractions
    formatted as percentages) so analysts can go on calculating; unknown flows
    say "unknown". Each table sheet has a frozen, filterable header row.
    Timestamps are fixed, so the same inputs give the same bytes.
    """
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    readme = book.active
    readme.title = "Read me"
    taken = {"read me"}
    sheets = [(table, _sheet_name(SHEET_NAMES.get(table.key, table.title), taken)) for table in tables(report)]
    selection = report["selection"]
    rows: list[tuple[str, str]] = [
        ("Partnership coverage of migration routes: gap report", ""),
        ("Selection", describe_selection(selection)),
        ("Data set", str(selection["dataset"])),
        ("Year", "" if selection["year"] is None else str(selection["year"])),
        ("Coverage judged on", str(selection["as_of"])),
        ("A gap", f"a segment that no instrument at {selection['min_tier']} tier or above joins"),
        ("Re-run", command),
        ("", ""),
        ("Sheets", ""),
        *[(name, f"{table.title}. {table.intro}") for table, name in sheets],
        ("", ""),
        ("Tiers", ""),
        *[(tier, meaning) for tier, meaning in TIER_MEANING.items()],
        ("", ""),
        ("Caveats", ""),
        *[("", c) for c in report["caveats"]],
        ("", ""),
        ("Sources", ""),
        *[("", s) for s in report["sources"]],
    ]
    for row in rows:
        _append(readme, row)
    readme["A1"].font = Font(bold=True, size=14)
    for cell in readme["A"][1:]:
        cell.font = Font(bold=True)
    _fit_columns(readme, wrap_from_row=2)
    readme.column_dimensions["B"].width = 100
    for table, name in sheets:
        sheet = book.create_sheet(name)
        _append(sheet, [c.heading for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for record in table.records:
            _append(sheet, [_xlsx_value(c, record.get(c.key)) for c in table.columns])
        for index, column in enumerate(table.columns, start=1):
            number_format = {share_text: "0%", flow_text: "#,##0"}.get(column.show)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    if isinstance(cell.value, int | float):
                        cell.number_format = number_format
        sheet.freeze_panes = "A2"
        if table.records:
            sheet.auto_filter.ref = sheet.dimensions
        _fit_columns(sheet, wrap_from_row=2)
    fixed = dt.datetime(2000, 1, 1)
    book.properties.created = book.properties.modified = fixed
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_zip_times(buffer.getvalue())


def fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip archive with fixed member timestamps (openpyxl stamps the current time)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            target.writestr(fixed, content)
    return out.getvalue()
