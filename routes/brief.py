"""A short brief of the gap report, to drop into a briefing: Word (DOCX), HTML or Markdown.

The brief keeps what a briefing needs on two to four pages — key figures, the
routes at a glance, the map, the largest gaps, the balance of themes, Team
Europe, caveats, the sources behind the figures shown and the command to
re-run — and leaves the long tables to the full report. Its content is built
once (:func:`brief_blocks`) and written by one renderer per format, so the
three agree. The DOCX is built with python-docx, with direct formatting that
survives pasting into another document, and fixed timestamps: the same inputs
give the same bytes.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from routes._escape import markdown, markdown_code
from routes.formats import GAP_COLUMNS, Column, describe_selection, flow_text, render, share_text
from routes.report_output import TIER_MEANING, Table, fixed_zip_times, html_table, tables

#: Rows of the largest-gaps table.
TOP_GAPS = 10
#: Sources listed in the brief at most (the full report lists them all).
MAX_SOURCES = 12

BRIEF_FORMATS = ("docx", "html", "markdown")


@dataclass(frozen=True)
class Block:
    """One piece of the brief: a heading, a paragraph, a list, a table or the map picture."""

    kind: str  # "heading", "paragraph", "bullets", "table", "image", "code"
    text: str = ""
    level: int = 2
    items: Sequence[str] = ()
    table: Table | None = None
    image: bytes | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def key_figures(report: dict[str, Any]) -> list[str]:
    """The sentences a reader takes away, from the report's totals (never a figure the data does not hold)."""
    total = report["headline"][-1]
    segments = total["segments"] - total["internal"]
    lines = [
        f"{_count(total['gaps'], 'gap')} of {_count(segments, 'segment')} ({share_text(total['gap_share'])}): no "
        f"instrument at {report['selection']['min_tier']} tier or above joins their two countries"
        + (
            f"; {_count(total['internal'], 'internal segment')} (between two EU members) counted apart."
            if total["internal"]
            else "."
        )
    ]
    gaps, unknown = total["gaps"], total["unknown_flow_gaps"]
    if total["known_flow"] and gaps and unknown == gaps:
        lines.append(
            f"Known segment flow {flow_text(total['known_flow'])}; no gap has a known flow of its own, so the "
            "gaps are ranked by their route's total (no figure is invented)."
        )
    elif total["known_flow"] and gaps:
        lines.append(
            f"Known segment flow {flow_text(total['known_flow'])}, of which {flow_text(total['gap_flow'])} "
            f"({share_text(total['gap_flow_share'])}) on the {gaps - unknown} gaps whose flow is known"
            + (f"; the flow of the other {unknown} gaps is unknown." if unknown else ".")
        )
    elif gaps:
        lines.append("No segment has a known flow in this selection; gaps are ranked by their route's total.")
    tiers = {r["tier"]: r["segments"] for r in report["tiers"]}
    strength = ", ".join(f"{tier} {tiers.get(tier, 0)}" for tier in ("binding", "operational", "political"))
    lines.append(
        f"Strongest cooperation per segment: {strength}; only a regional dialogue {tiers.get('forum', 0)}; "
        f"nothing {tiers.get('none', 0)}."
    )
    counts = {r["toolbox"]: r["segments"] for r in report["thematic"]["counts"]}
    lines.append(
        f"Return and readmission without legal pathways on {_count(counts.get('return only', 0), 'segment')}; legal "
        f"pathways without return on {counts.get('legal pathways only', 0)}; both on {counts.get('both', 0)}."
    )
    return lines


def _brief_sources(report: dict[str, Any], top: list[dict[str, Any]]) -> list[str]:
    """The sources behind the figures shown: the year's route totals, then the largest gaps' segments."""
    found: list[str] = []
    for total in report["graph"].graph.get("route_totals", {}).values():
        found += total.get("sources") or []
    for gap in top:
        found += gap.get("sources") or []
    unique = list(dict.fromkeys(found))
    return unique[:MAX_SOURCES]


def brief_blocks(
    report: dict[str, Any], *, command: str, map_png: bytes | None = None, map_note: str = ""
) -> list[Block]:
    """The brief's content, in reading order, for any format."""
    selection = report["selection"]
    by_key = {table.key: table for table in tables(report)}
    headline = by_key["headline"]
    routes_at_a_glance = Table(
        headline.key,
        "Routes at a glance",
        headline.intro,
        headline.records,
        [
            c
            for c in headline.columns
            if c.key in ("route", "segments", "gaps", "gap_share", "route_total", "gap_flow_share")
        ],
    )
    top = report["gaps"][:TOP_GAPS]
    largest = Table(
        "gaps",
        "Largest gaps",
        f"The {len(top)} largest of {len(report['gaps'])} gaps, by known flow, then by their route's total where "
        "the segment's own flow is unknown.",
        top,
        (*GAP_COLUMNS[:6],),
    )
    blocks = [
        Block("heading", f"Migration routes: partnership coverage, {selection['year'] or selection['as_of']}", level=1),
        Block(
            "paragraph",
            f"Brief. Selection: {describe_selection(selection)}. Data set: {selection['dataset']}. A segment is one "
            "leg of a route (country A to country B); it is a gap when no instrument at "
            f"{selection['min_tier']} tier or above joins A and B on {selection['as_of']}.",
        ),
        Block("heading", "Key figures"),
        Block("bullets", items=key_figures(report)),
        Block("heading", routes_at_a_glance.title),
        Block("table", table=routes_at_a_glance),
    ]
    if map_png is not None:
        blocks.append(
            Block(
                "image",
                "The corridor map: arcs coloured by the depth of cooperation, gaps with a red halo, width by "
                "known flow (dashed: unknown).",
                image=map_png,
            )
        )
    elif map_note:
        blocks.append(Block("paragraph", map_note))
    blocks += [
        Block("heading", "Largest gaps"),
        Block("paragraph", largest.intro),
        Block("table", table=largest),
        Block("heading", "Balance of themes"),
        Block("paragraph", by_key["toolbox"].intro),
        Block("table", table=by_key["toolbox"]),
        Block("heading", "Team Europe"),
        Block("paragraph", by_key["team_europe_counts"].intro),
        Block("table", table=by_key["team_europe_counts"]),
        Block("heading", "Tiers"),
        Block("bullets", items=[f"{tier}: {meaning}" for tier, meaning in TIER_MEANING.items()]),
        Block("heading", "Caveats"),
        Block("bullets", items=list(report["caveats"])),
        Block("heading", "Sources"),
        Block("bullets", items=_brief_sources(report, top)),
        Block(
            "paragraph",
            f"The sources of the route totals and of the largest gaps; all {len(report['sources'])} sources, the "
            "instruments counted and the tables over time are in the full report (routes report --format html "
            "or xlsx).",
        ),
        Block("paragraph", "Re-run:"),
        Block("code", command),
    ]
    return blocks


# -- Markdown ------------------------------------------------------------------------------------


def to_markdown(blocks: Sequence[Block]) -> str:
    """The brief as Markdown (the map picture is left out: Markdown cannot carry it)."""
    parts: list[str] = []
    for block in blocks:
        if block.kind == "heading":
            parts.append("#" * block.level + " " + markdown(block.text))
        elif block.kind == "paragraph":
            parts.append(markdown(block.text))
        elif block.kind == "bullets":
            parts.append("\n".join(f"- {markdown(item)}" for item in block.items))
        elif block.kind == "table" and block.table is not None:
            parts.append(_markdown_table(block.table))
        elif block.kind == "image":
            parts.append("_The map is in the HTML and Word versions of this brief (routes map draws it)._")
        elif block.kind == "code":
            parts.append(markdown_code(block.text))
    return "\n\n".join(parts) + "\n"


def _markdown_table(table: Table) -> str:
    if not table.records:
        return "_None._"
    return render(table.records, table.columns, "markdown").rstrip("\n")


# -- HTML -------------------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;max-width:900px;
margin:2em auto;padding:0 1em}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.4em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.9em}
th,td{border:1px solid #d0d0d0;padding:.2em .4em;text-align:left;vertical-align:top}th{background:#f0f0f0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}figure{margin:1em 0}
figure img{width:100%;height:auto;border:1px solid #ccc}figcaption{font-size:.85em;color:#444}
ul.sources{font-size:.85em;word-break:break-all}code{background:#f3f3f3;padding:0 .25em;word-break:break-all}
@media print{body{max-width:none;margin:0;font-size:9.5pt}h2{break-after:avoid}tr,figure{break-inside:avoid}
a{color:inherit;text-decoration:none}}
"""


def to_html(blocks: Sequence[Block]) -> str:
    """The brief as one self-contained HTML page (the map picture inlined), for the browser or print."""
    e = _e
    body: list[str] = []
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "Brief")
    previous = ""
    for block in blocks:
        if block.kind == "heading":
            body.append(f"<h{block.level}>{e(block.text)}</h{block.level}>")
        elif block.kind == "paragraph":
            body.append(f"<p>{e(block.text)}</p>")
        elif block.kind == "bullets":
            css = ' class="sources"' if previous == "Sources" else ""
            body.append(f"<ul{css}>" + "".join(f"<li>{_linked(item)}</li>" for item in block.items) + "</ul>")
        elif block.kind == "table" and block.table is not None:
            body.append(html_table(block.table))
        elif block.kind == "image" and block.image is not None:
            data = base64.b64encode(block.image).decode("ascii")
            body.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{e(block.text)}">'
                f"<figcaption>{e(block.text)}</figcaption></figure>"
            )
        elif block.kind == "code":
            body.append(f"<p><code>{e(block.text)}</code></p>")
        if block.kind == "heading":
            previous = block.text
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">'
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _linked(text: str) -> str:
    if re.fullmatch(r"https?://\S+", text):
        return f'<a href="{_e(text)}" rel="noopener noreferrer">{_e(text)}</a>'
    return _e(text)


# -- DOCX ---------------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 cannot hold


def _x(text: Any) -> str:
    return _CONTROL.sub("\ufffd", str(text))


def to_docx(blocks: Sequence[Block]) -> bytes:
    """The brief as a Word document: A4, narrow margins, tables with their formatting applied directly."""
    import datetime as dt

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    width = section.page_width - section.left_margin - section.right_margin

    for block in blocks:
        if block.kind == "heading":
            document.add_heading(_x(block.text), level=block.level if block.level > 1 else 0)
        elif block.kind == "paragraph":
            document.add_paragraph(_x(block.text))
        elif block.kind == "bullets":
            for item in block.items:
                paragraph = document.add_paragraph(_x(item), style="List Bullet")
                paragraph.paragraph_format.space_after = Pt(1)
        elif block.kind == "table" and block.table is not None:
            _docx_table(document, block.table, font=Pt(8.5), align=WD_TABLE_ALIGNMENT.CENTER)
        elif block.kind == "image" and block.image is not None:
            document.add_picture(io.BytesIO(block.image), width=width)
            caption = document.add_paragraph(_x(block.text))
            caption.runs[0].italic = True
            caption.runs[0].font.size = Pt(8.5)
        elif block.kind == "code":
            run = document.add_paragraph().add_run(_x(block.text))
            run.font.name = "Consolas"
            run.font.size = Pt(8)

    fixed = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    properties = document.core_properties
    properties.created = properties.modified = properties.last_printed = fixed
    properties.author = properties.last_modified_by = "routes"
    properties.revision = 1
    properties.title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "Brief")
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip_times(buffer.getvalue())


def _docx_table(document: Any, table: Table, *, font: Any, align: Any) -> None:
    """A table whose formatting is direct (bold shaded header, right-aligned numbers), so pasting keeps it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not table.records:
        document.add_paragraph("None.")
        return
    columns: Sequence[Column] = table.columns
    grid = document.add_table(rows=1 + len(table.records), cols=len(columns))
    grid.style = "Table Grid"
    grid.alignment = align
    for index, column in enumerate(columns):
        cells = [grid.rows[0].cells[index]] + [row.cells[index] for row in grid.rows[1:]]
        texts = [column.heading] + [column.show(record.get(column.key)) for record in table.records]
        for row_index, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = 0
            run = paragraph.add_run(_x(text))
            run.font.size = font
            if row_index == 0:
                run.bold = True
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:fill"), "E8E8E8")
                cell._tc.get_or_add_tcPr().append(shading)
            if column.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on each page
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
