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
from routes._gc import gc_paused
from routes.formats import GAP_COLUMNS, SUMMARY_COLUMNS, Column, describe_selection, flow_text, list_text, share_text
from routes.i18n import (
    N_,
    _,
    country_name,
    current,
    field_text,
    gap_reason_text,
    language,
    ngettext,
    percent,
    term,
)

REPORT_FORMATS = ("html", "markdown", "xlsx")

#: Characters an XLSX (XML 1.0) file cannot hold.
_TEXT_FREE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: Okabe–Ito palette: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

#: Short theme names for column headings (msgids: translated where shown).
THEME_LABELS = {
    "return-readmission": N_("Return"),
    "legal-pathways": N_("Legal pathways"),
    "border-management": N_("Borders"),
    "anti-smuggling": N_("Smuggling"),
    "protection": N_("Protection"),
    "development": N_("Development"),
    "visa": N_("Visa"),
}


@dataclass(frozen=True)
class Table:
    """One table of the report: its title, a sentence saying what it shows, rows and columns.

    The title and the sentence are in the language the table was made in; the
    columns' headings are msgids, translated where the table is written.
    """

    key: str
    title: str
    intro: str
    records: list[dict[str, Any]]
    columns: Sequence[Column]


SEGMENT_COLUMNS = (
    Column("flow", N_("Flow"), flow_text, numeric=True),
    Column("origin_name", N_("From")),
    Column("destination_name", N_("To")),
    Column("routes", N_("Routes"), list_text),
)

TIER_MEANING = {
    "internal": N_("both ends EU members: neither covered nor a gap"),
    "binding": N_("a legally binding agreement joins the two countries"),
    "operational": N_("an operational instrument (MoU, partnership, compact...)"),
    "political": N_("a political declaration or statement"),
    "forum": N_("only a regional dialogue both take part in"),
    "none": N_("no instrument joins the two countries"),
}


def _names(names: Sequence[str], *, limit: int = 4) -> str:
    """Up to ``limit`` names and how many more."""
    if not names:
        return "—"
    shown = "; ".join(names[:limit])
    if len(names) <= limit:
        return shown
    return _("{shown}; and {count} more").format(shown=shown, count=len(names) - limit)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


#: Record fields that hold words of the data format (see routes.i18n.TERMS).
_TERM_FIELDS = ("tier", "kind", "toolbox", "team_europe", "flow_status")


def _localised(records: list[dict[str, Any]], partnerships: dict[str, Any]) -> list[dict[str, Any]]:
    """Records with country names and the words of the data format in the language being written.

    The data's own strings (routes, instrument names, notes, sources) stay as
    they are. Cells are then the same in every format, the XLSX included
    (which writes values, not the text a column shows).
    """
    out = []
    for record in records:
        record = dict(record)
        for key in ("origin", "destination"):
            if f"{key}_name" in record and key in record:
                record[f"{key}_name"] = country_name(record[key], current(), record[f"{key}_name"])
        for key in _TERM_FIELDS:
            if key in record:
                record[key] = term(record[key])
        if isinstance(record.get("themes"), list):
            record["themes"] = [term(t) for t in record["themes"]]
        if isinstance(record.get("uncertain"), list | tuple):
            record["uncertain"] = [field_text(f) for f in record["uncertain"]]
        if "gap_reason" in record:
            record["gap_reason"] = gap_reason_text(record["gap_reason"])
        if isinstance(record.get("partnerships"), dict):
            record["partnerships"] = {pid: term(tier) for pid, tier in record["partnerships"].items()}
            if "joined_by" in record:
                record["joined_by"] = [
                    f"{partnerships[pid]['name'] if pid in partnerships else pid} ({tier})"
                    for pid, tier in record["partnerships"].items()
                ]
        out.append(record)
    return out


def tables(report: dict[str, Any], *, lang: str = "en") -> list[Table]:
    """The report's tables in reading order (shared by every output format), in ``lang``."""
    with language(lang):
        return _tables(report)


def _tables(report: dict[str, Any]) -> list[Table]:
    selection = report["selection"]
    year = selection["year"]
    tier = term(selection["min_tier"])
    thematic = report["thematic"]
    english = current() == "en"

    def local(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return records if english else _localised(records, report["partnerships"])

    theme_columns = [Column("route", N_("Route")), Column("known_flow", N_("Known flow"), flow_text, numeric=True)]
    theme_columns += [Column(t, THEME_LABELS[t], share_text, numeric=True) for t in thematic["themes"]]
    years = sorted({r["year"] for r in report["over_time"]})
    route_names = sorted({r["route"] for r in report["over_time"]})
    pivot = {(r["year"], r["route"]): r for r in report["over_time"]}

    def by_year(key: str) -> list[dict[str, Any]]:
        return [
            {"route": route, **{str(y): pivot.get((y, route), {}).get(key) for y in years}} for route in route_names
        ]

    year_columns = [Column("route", N_("Route"))] + [Column(str(y), str(y), share_text, numeric=True) for y in years]
    total_columns = [Column("route", N_("Route"))] + [Column(str(y), str(y), flow_text, numeric=True) for y in years]
    tier_rows = local([{**r, "meaning": _(TIER_MEANING[r["tier"]])} for r in report["tiers"]])
    headline = report["headline"]
    if headline:  # the last row is the overall one (routes.report.headline_records), with no route total
        overall = headline[-1]
        headline = [*headline[:-1], {**overall, "route": _(overall["route"]), "route_total": _("not added up")}]
    binding_words = {True: N_("yes"), False: N_("no"), None: N_("unknown")}
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
            "binding": _(binding_words[p["binding"]]),
            "themes": p["themes"],
            "uncertain": p["uncertain"],
            "sources": p["sources"],
        }
        for pid, p in report["partnerships"].items()
    ]
    return [
        Table(
            "headline",
            _("Headline figures"),
            _(
                "Per route: segments, internal segments (between two EU members: neither covered nor gaps), gaps "
                "(no instrument at {tier} tier or above joins the two countries), the route's own total for "
                "{year}, and the share of the known segment flow that passes through gaps. Segments whose flow is "
                "unknown are counted apart, never as zero. Route totals are not added up across routes: the "
                "Channel's count exits, the others' entries, and a person crossing two routes is detected on both."
            ).format(tier=tier, year=year),
            headline,
            SUMMARY_COLUMNS,
        ),
        Table(
            "tiers",
            _("Segments by depth of cooperation"),
            _(
                "Each segment's tier is that of the strongest instrument joining its two countries; below {tier} "
                "it is a gap."
            ).format(tier=tier),
            tier_rows,
            (
                Column("tier", N_("Tier")),
                Column("meaning", N_("Meaning")),
                Column("gap", N_("Gap"), _yes_no),
                Column("segments", N_("Segments"), numeric=True),
                Column("known_flow", N_("Known flow"), flow_text, numeric=True),
            ),
        ),
        Table(
            "gaps",
            _("Gaps ranked by flow"),
            _(
                "Segments that no instrument at {tier} tier or above joins, largest known flow first: 'nothing' "
                "when no instrument joins the two countries, 'forum only' when only a regional dialogue does."
            ).format(tier=tier),
            local(report["gaps"]),
            (*GAP_COLUMNS[:6], Column("joined_by", N_("Joined only by"), _names), GAP_COLUMNS[7]),
        ),
        Table(
            "toolbox",
            _("Balanced toolbox: segments by theme"),
            _(
                "Whether the instruments joining each segment at {tier} tier or above cover return and "
                "readmission, legal pathways, both or neither (the selection's theme filter set aside)."
            ).format(tier=tier),
            local(thematic["counts"]),
            (Column("toolbox", N_("Instruments cover")), Column("segments", N_("Segments"), numeric=True)),
        ),
        Table(
            "return_without_legal",
            _("Return and readmission without legal pathways"),
            _("Segments whose instruments cover return and readmission but not legal pathways."),
            local(thematic["return_without_legal"]),
            (*SEGMENT_COLUMNS, Column("themes", N_("Themes covered"), list_text)),
        ),
        Table(
            "legal_without_return",
            _("Legal pathways without return and readmission"),
            _("Segments whose instruments cover legal pathways but not return and readmission."),
            local(thematic["legal_without_return"]),
            (*SEGMENT_COLUMNS, Column("themes", N_("Themes covered"), list_text)),
        ),
        Table(
            "themes",
            _("Share of known flow covered, by theme"),
            _(
                "Per route, the share of known flow on segments joined at {tier} tier or above by an instrument "
                "with each theme (n/a: no known flow)."
            ).format(tier=tier),
            thematic["flow_share_by_theme"],
            theme_columns,
        ),
        Table(
            "team_europe_counts",
            _("Team Europe: segments by who joins them"),
            _(
                "At {tier} tier or above. EU-level: the EU is a party. Member states: an EU member state is a "
                "party and the EU is not. Others: neither (Switzerland, the United Kingdom, dialogues...). "
                "Internal segments are left out."
            ).format(tier=tier),
            local(report["team_europe"]["counts"]),
            (Column("team_europe", N_("Joined by")), Column("segments", N_("Segments"), numeric=True)),
        ),
        Table(
            "team_europe",
            _("Team Europe, per segment"),
            _("The instruments that join each segment at {tier} tier or above, by level.").format(tier=tier),
            local(report["team_europe"]["segments"]),
            (
                *SEGMENT_COLUMNS,
                Column("team_europe", N_("Joined by")),
                Column("eu_level", N_("EU-level"), _names),
                Column("member_states", N_("Member states"), _names),
                Column("others", N_("Others"), _names),
            ),
        ),
        Table(
            "route_totals",
            _("Route totals over time"),
            _(
                "Each route's own total per year (route_flows.csv: Frontex detections unless the measure says "
                "otherwise), beside the segments' figures; unknown where the data set has none."
            ),
            by_year("route_total"),
            total_columns,
        ),
        Table(
            "over_time",
            _("Flow-weighted coverage over time"),
            _(
                "Per year with flows (judged on 31 December): the share of each route's known segment flow on "
                "segments that are not gaps."
            ),
            by_year("flow_coverage"),
            year_columns,
        ),
        Table(
            "segments_over_time",
            _("Segment coverage over time"),
            _("Per year: the share of each route's judged segments that are not gaps."),
            by_year("segment_coverage"),
            year_columns,
        ),
        Table(
            "partnerships",
            _("Instruments counted"),
            _("The instruments active on the as-of day that the options let count, with their tier."),
            local(partnership_records),
            (
                Column("id", N_("Id")),
                Column("name", N_("Name")),
                Column("kind", N_("Kind")),
                Column("tier", N_("Tier")),
                Column("signed", N_("Signed")),
                Column("in_force", N_("In force")),
                Column("ended", N_("Ended")),
                Column("binding", N_("Binding")),
                Column("themes", N_("Themes"), list_text),
                Column("uncertain", N_("Uncertain"), list_text),
            ),
        ),
    ]


# -- Markdown ----------------------------------------------------------------------------


#: The report's title.
TITLE = N_("Partnership coverage of migration routes: gap report")


def to_markdown(report: dict[str, Any], *, command: str, lang: str = "en") -> str:
    """The report as Markdown, to paste into documents and tickets."""
    from routes.formats import render

    with language(lang):
        selection = report["selection"]
        # (No _() inside f-strings: pybabel does not look into them.)
        selected = _("Selection: {selection}.").format(selection=markdown(describe_selection(selection)))
        parts = [
            "# " + _(TITLE),
            "",
            selected + " " + _("Data set:") + " " + markdown_code(selection["dataset"]) + ".",
            "",
            _("Re-run:") + " " + markdown_code(command),
        ]
        none = "_" + _("None.") + "_"
        for table in tables(report, lang=lang):
            parts += ["", f"## {table.title}", "", markdown(table.intro), ""]
            parts.append(render(table.records, table.columns, "markdown").rstrip("\n") if table.records else none)
        parts += ["", "## " + _("Caveats"), ""] + [f"- {markdown(_(c))}" for c in report["caveats"]]
        parts += ["", "## " + _("Sources"), ""] + [f"- {markdown(s)}" for s in report["sources"]]
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
    """A table as HTML, in the language being written (see routes.i18n.language)."""
    if not table.records:
        return "<p><em>" + _e(_("None.")) + "</em></p>"
    head = "".join(f"<th{' class=num' if c.numeric else ''}>{_e(_(c.heading))}</th>" for c in table.columns)
    # Tables of routes and years repeat the same few names, figures and shares:
    # each distinct text is escaped once.
    escaped: dict[str, str] = {}

    def cell(text: str) -> str:
        found = escaped.get(text)
        if found is None:
            found = escaped[text] = _e(text)
        return found

    columns = [("<td class=num>" if c.numeric else "<td>", c.key, c.show) for c in table.columns]
    rows = [
        "<tr>" + "".join(f"{tag}{cell(show(record.get(key)))}</td>" for tag, key, show in columns) + "</tr>"
        for record in table.records
    ]
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def coverage_chart(over_time: list[dict[str, Any]], *, width: int = 760, height: int = 300) -> str:
    """An inline SVG line chart of flow-weighted coverage per route and year.

    A chart can show as many routes as its legend holds; with more, it shows
    those with the largest known flow over the years, says so, and leaves the
    others to the table that follows it.
    """
    years = sorted({r["year"] for r in over_time})
    series: dict[str, list[tuple[int, float]]] = {}
    weight: dict[str, float] = {}
    for r in over_time:
        if r["flow_coverage"] is not None:
            series.setdefault(r["route"], []).append((r["year"], r["flow_coverage"]))
            weight[r["route"]] = weight.get(r["route"], 0) + (r["known_flow"] or 0)
    if not years or not series:
        return "<p><em>" + _e(_("No route has a known flow in any year, so there is nothing to chart.")) + "</em></p>"
    left, right, top, bottom = 48, 190, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    room = max(plot_h // 16, 1)
    note = ""
    if len(series) > room:
        kept = sorted(sorted(series), key=lambda route: -weight[route])[:room]
        note = ngettext(
            "The route with the largest known flow, of {total}; the table has every route.",
            "The {shown} routes with the largest known flow, of {total}; the table has every route.",
            len(kept),
        ).format(shown=len(kept), total=len(series))
        series = {route: series[route] for route in kept}

    def x(year: int) -> float:
        return left + (plot_w * (years.index(year) / (len(years) - 1)) if len(years) > 1 else plot_w / 2)

    def y(share: float) -> float:
        return top + plot_h * (1 - share)

    label = _("Flow-weighted coverage per route and year")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(label)}">'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{_e(percent(tick))}</text>'
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
                f"<title>{_e(route)} {a}: {_e(percent(b))}</title></circle>"
            )
        ly = top + 16 * index + 8
        parts.append(
            f'<rect x="{left + plot_w + 14}" y="{ly - 8}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + plot_w + 32}" y="{ly + 2}" font-size="12">{_e(route)}</text>'
        )
    parts.append("</svg>")
    caption = f"<figcaption>{_e(note)}</figcaption>" if note else ""
    return f'<figure class="chart">{"".join(parts)}{caption}</figure>'


@gc_paused()  # it makes very many objects: see routes._gc.gc_paused
def to_html(report: dict[str, Any], *, command: str, map_html: str | None = None, lang: str = "en") -> str:
    """The report as one self-contained HTML page (works offline, prints cleanly).

    ``map_html`` is the page of the corridor map to embed (made in the same
    language: see :func:`routes.maps.map_html`).
    """
    with language(lang):
        return _html(report, command=command, map_html=map_html, lang=lang)


def _html(report: dict[str, Any], *, command: str, map_html: str | None, lang: str) -> str:
    # (No _() inside f-strings: pybabel does not look into them.)
    selection = report["selection"]
    selected = _("Selection: {selection}.").format(selection=describe_selection(selection))
    data_set, rerun = _("Data set:"), _("Re-run:")
    body = [
        f"<h1>{_e(_(TITLE))}</h1>",
        f'<p class="meta">{_e(selected)} {_e(data_set)} <code>{_e(selection["dataset"])}</code>.<br>'
        f"{_e(rerun)} <code>{_e(command)}</code></p>",
    ]
    if map_html is not None:
        heading, frame_title = _("Map"), _("Corridor map")
        body.append(
            f'<h2>{_e(heading)}</h2><iframe class="map" title="{_e(frame_title)}" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads" '
            f'srcdoc="{_e(map_html)}"></iframe>'
        )
    for table in tables(report, lang=lang):
        body.append(f'<h2 id="{_e(table.key)}">{_e(table.title)}</h2><p>{_e(table.intro)}</p>')
        if table.key == "over_time":
            body.append(coverage_chart(report["over_time"]))
        body.append(html_table(table))
    caveats = "".join(f"<li>{_e(_(c))}</li>" for c in report["caveats"])
    body.append("<h2>" + _e(_("Caveats")) + f"</h2><ul>{caveats}</ul>")
    sources = "".join(f"<li>{_link(s)}</li>" for s in report["sources"])
    body.append("<h2>" + _e(_("Sources")) + f'</h2><ul class="sources">{sources}</ul>')
    title = _("Gap report — {selection}").format(selection=describe_selection(selection))
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>"
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


#: Worksheet names (at most 31 characters, in every language) for the tables, by key.
SHEET_NAMES = {
    "headline": N_("Headline figures"),
    "tiers": N_("Depth of cooperation"),
    "gaps": N_("Gaps by flow"),
    "toolbox": N_("Balanced toolbox"),
    "return_without_legal": N_("Return without legal pathways"),
    "legal_without_return": N_("Legal pathways without return"),
    "themes": N_("Coverage by theme"),
    "team_europe_counts": N_("Team Europe"),
    "team_europe": N_("Team Europe by segment"),
    "route_totals": N_("Route totals over time"),
    "over_time": N_("Coverage over time"),
    "segments_over_time": N_("Segments over time"),
    "partnerships": N_("Instruments"),
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
        return _("unknown")
    if value is None and column.show is share_text:
        return _("n/a")
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


def to_xlsx(report: dict[str, Any], *, command: str, lang: str = "en") -> bytes:
    """The report as a workbook: a 'Read me' sheet, then one sheet per table.

    Numbers stay numbers (flows with thousands separators, shares as fractions
    formatted as percentages) so analysts can go on calculating; unknown flows
    say "unknown". Each table sheet has a frozen, filterable header row.
    Timestamps are fixed, so the same inputs give the same bytes. Headings,
    labels and sheet names are in ``lang``; numbers keep number formats, which
    the spreadsheet shows with the reader's own separators.
    """
    with language(lang):
        return _xlsx(report, command=command, lang=lang)


def _xlsx(report: dict[str, Any], *, command: str, lang: str) -> bytes:
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    readme = book.active
    readme.title = _("Read me")
    taken = {readme.title.casefold()}
    sheets = [
        (table, _sheet_name(_(SHEET_NAMES[table.key]) if table.key in SHEET_NAMES else table.title, taken))
        for table in tables(report, lang=lang)
    ]
    selection = report["selection"]
    rows: list[tuple[str, str]] = [
        (_(TITLE), ""),
        (_("Selection"), describe_selection(selection)),
        (_("Data set"), str(selection["dataset"])),
        (_("Year"), "" if selection["year"] is None else str(selection["year"])),
        (_("Coverage judged on"), str(selection["as_of"])),
        (
            _("A gap"),
            _("a segment that no instrument at {tier} tier or above joins").format(tier=term(selection["min_tier"])),
        ),
        (_("Re-run"), command),
        ("", ""),
        (_("Sheets"), ""),
        *[(name, f"{table.title}. {table.intro}") for table, name in sheets],
        ("", ""),
        (_("Tiers"), ""),
        *[(term(tier), _(meaning)) for tier, meaning in TIER_MEANING.items()],
        ("", ""),
        (_("Caveats"), ""),
        *[("", _(c)) for c in report["caveats"]],
        ("", ""),
        (_("Sources"), ""),
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
        _append(sheet, [_(c.heading) for c in table.columns])
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
