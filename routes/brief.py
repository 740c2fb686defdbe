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
from routes.i18n import _, language, ngettext, number, term
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


def _segments(n: int) -> str:
    return ngettext("{n} segment", "{n} segments", n).format(n=number(n))


def key_figures(report: dict[str, Any], *, lang: str = "en") -> list[str]:
    """The sentences a reader takes away, from the report's totals (never a figure the data does not hold)."""
    with language(lang):
        return _key_figures(report)


def _key_figures(report: dict[str, Any]) -> list[str]:
    total = report["headline"][-1]
    figures = {
        "gaps": ngettext("{n} gap", "{n} gaps", total["gaps"]).format(n=number(total["gaps"])),
        "segments": _segments(total["segments"] - total["internal"]),
        "share": share_text(total["gap_share"]),
        "tier": term(report["selection"]["min_tier"]),
    }
    if total["internal"]:
        internal = ngettext("{n} internal segment", "{n} internal segments", total["internal"])
        lines = [
            _(
                "{gaps} of {segments} ({share}): no instrument at {tier} tier or above joins their two countries; "
                "{internal} (between two EU members) counted apart."
            ).format(**figures, internal=internal.format(n=number(total["internal"])))
        ]
    else:
        lines = [
            _(
                "{gaps} of {segments} ({share}): no instrument at {tier} tier or above joins their two countries."
            ).format(**figures)
        ]
    gaps, unknown = total["gaps"], total["unknown_flow_gaps"]
    counted = total["segments"] - total["internal"] - total["unknown_flow_segments"]
    # One sum over segments whose sources count different things (landings, attempts, prevented entries):
    # the sentence says so, so that the figure is not quoted as a number of people.
    lead = _(
        "Known segment flows add up to {known} over {counted}, each as its source counts it (the measures differ)"
    ).format(known=flow_text(total["known_flow"]), counted=_segments(counted))
    if total["known_flow"] and gaps and unknown == gaps:
        lines.append(
            _(
                "{lead}; no gap has a known flow of its own, so the gaps are ranked by their route's total (no "
                "figure is invented)."
            ).format(lead=lead)
        )
    elif total["known_flow"] and gaps:
        figures = {
            "lead": lead,
            "gap_flow": flow_text(total["gap_flow"]),
            "share": share_text(total["gap_flow_share"]),
            "n": gaps - unknown,
            "unknown": unknown,
        }
        if unknown:
            line = ngettext(
                "{lead}, of which {gap_flow} ({share}) on the {n} gap whose flow is known; the flow of the remaining "
                "{unknown} is unknown.",
                "{lead}, of which {gap_flow} ({share}) on the {n} gaps whose flow is known; the flow of the remaining "
                "{unknown} is unknown.",
                gaps - unknown,
            )
        else:
            line = ngettext(
                "{lead}, of which {gap_flow} ({share}) on the {n} gap (its flow is known).",
                "{lead}, of which {gap_flow} ({share}) on the {n} gaps (all with a known flow).",
                gaps - unknown,
            )
        lines.append(line.format(**figures))
    elif gaps:
        lines.append(_("No segment has a known flow in this selection; gaps are ranked by their route's total."))
    tiers = {r["tier"]: r["segments"] for r in report["tiers"]}
    strength = ", ".join(f"{term(tier)} {tiers.get(tier, 0)}" for tier in ("binding", "operational", "political"))
    lines.append(
        _("Strongest cooperation per segment: {strength}; only a regional dialogue {forum}; nothing {none}.").format(
            strength=strength, forum=tiers.get("forum", 0), none=tiers.get("none", 0)
        )
    )
    counts = {r["toolbox"]: r["segments"] for r in report["thematic"]["counts"]}
    lines.append(
        _(
            "Return and readmission without legal pathways on {segments}; legal pathways without return on "
            "{legal}; both on {both}."
        ).format(
            segments=_segments(counts.get("return only", 0)),
            legal=counts.get("legal pathways only", 0),
            both=counts.get("both", 0),
        )
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
    report: dict[str, Any], *, command: str, map_png: bytes | None = None, map_note: str = "", lang: str = "en"
) -> list[Block]:
    """The brief's content, in reading order, for any format; its text is in ``lang``.

    ``map_note`` (said instead of the map picture when there is none) is
    shown as given: write it in ``lang``.
    """
    with language(lang):
        return _blocks(report, command=command, map_png=map_png, map_note=map_note, lang=lang)


def _blocks(report: dict[str, Any], *, command: str, map_png: bytes | None, map_note: str, lang: str) -> list[Block]:
    selection = report["selection"]
    by_key = {table.key: table for table in tables(report, lang=lang)}
    headline = by_key["headline"]
    routes_at_a_glance = Table(
        headline.key,
        _("Routes at a glance"),
        headline.intro,
        headline.records,
        [
            c
            for c in headline.columns
            if c.key in ("route", "segments", "gaps", "gap_share", "route_total", "gap_flow_share")
        ],
    )
    gaps = by_key["gaps"]
    top = gaps.records[:TOP_GAPS]
    largest = Table(
        "gaps",
        _("Largest gaps"),
        _(
            "The {top} largest of {count} gaps, by known flow, then by their route's total where the segment's own "
            "flow is unknown."
        ).format(top=len(top), count=len(gaps.records)),
        top,
        (*GAP_COLUMNS[:6],),
    )
    tier = term(selection["min_tier"])
    blocks = [
        Block(
            "heading",
            _("Migration routes: partnership coverage, {year}").format(year=selection["year"] or selection["as_of"]),
            level=1,
        ),
        Block(
            "paragraph",
            _(
                "Brief. Selection: {selection}. Data set: {dataset}. A segment is one leg of a route (country A to "
                "country B); it is a gap when no instrument at {tier} tier or above joins A and B on {day}."
            ).format(
                selection=describe_selection(selection), dataset=selection["dataset"], tier=tier, day=selection["as_of"]
            ),
        ),
        Block("heading", _("Key figures")),
        Block("bullets", items=_key_figures(report)),
        Block("heading", routes_at_a_glance.title),
        Block("table", table=routes_at_a_glance),
        Block(
            "paragraph",
            _(
                "Route total: the route's own total for the year (Frontex detections, not persons). Totals are not "
                "added up across routes: the Channel's count exits, the others' entries, and a person crossing two "
                "routes is detected on both."
            ),
        ),
    ]
    if map_png is not None:
        blocks.append(
            Block(
                "image",
                _(
                    "The corridor map: arcs coloured by the depth of cooperation, gaps with a red halo, width by "
                    "known flow (dashed: unknown)."
                ),
                image=map_png,
            )
        )
    elif map_note:
        blocks.append(Block("paragraph", map_note))
    blocks += [
        Block("heading", _("Largest gaps")),
        Block("paragraph", largest.intro),
        Block("table", table=largest),
        Block("heading", _("Balance of themes")),
        Block("paragraph", by_key["toolbox"].intro),
        Block("table", table=by_key["toolbox"]),
        Block("heading", _("Team Europe")),
        Block("paragraph", by_key["team_europe_counts"].intro),
        Block("table", table=by_key["team_europe_counts"]),
        Block("heading", _("Tiers")),
        Block(
            "bullets",
            items=[_("{tier}: {meaning}").format(tier=term(t), meaning=_(m)) for t, m in TIER_MEANING.items()],
        ),
        Block("heading", _("Caveats"), meta={"role": "caveats"}),
        Block("bullets", items=[_(c) for c in report["caveats"]]),
        Block("heading", _("Sources"), meta={"role": "sources"}),
        Block("bullets", items=_brief_sources(report, report["gaps"][:TOP_GAPS]), meta={"role": "sources"}),
        Block(
            "paragraph",
            _(
                "The sources of the route totals and of the largest gaps; all {count} sources, the instruments "
                "counted and the tables over time are in the full report (routes report --format html or xlsx)."
            ).format(count=len(report["sources"])),
        ),
        Block("paragraph", _("Re-run:")),
        Block("code", command),
    ]
    return blocks


# -- Markdown ------------------------------------------------------------------------------------


def to_markdown(blocks: Sequence[Block], *, lang: str = "en") -> str:
    """The brief as Markdown (the map picture is left out: Markdown cannot carry it); ``lang`` as in brief_blocks."""
    with language(lang):
        return _markdown(blocks)


def _markdown(blocks: Sequence[Block]) -> str:
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
            parts.append("_" + _("The map is in the HTML and Word versions of this brief (routes map draws it).") + "_")
        elif block.kind == "code":
            parts.append(markdown_code(block.text))
    return "\n\n".join(parts) + "\n"


def _markdown_table(table: Table) -> str:
    if not table.records:
        return "_" + _("None.") + "_"
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


def to_html(blocks: Sequence[Block], *, lang: str = "en") -> str:
    """The brief as one self-contained HTML page (the map picture inlined), for the browser or print."""
    with language(lang):
        return _html(blocks, lang=lang)


def _html(blocks: Sequence[Block], *, lang: str) -> str:
    e = _e
    body: list[str] = []
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), _("Brief"))
    previous = ""
    for block in blocks:
        if block.kind == "heading":
            body.append(f"<h{block.level}>{e(block.text)}</h{block.level}>")
        elif block.kind == "paragraph":
            body.append(f"<p>{e(block.text)}</p>")
        elif block.kind == "bullets":
            css = ' class="sources"' if block.meta.get("role") == "sources" or previous == "Sources" else ""
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
        f'<!DOCTYPE html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">'
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


def to_docx(blocks: Sequence[Block], *, lang: str = "en") -> bytes:
    """The brief as a Word document: A4, narrow margins, tables with their formatting applied directly.

    The document's language (``w:lang`` of its default style) is ``lang``, so
    Word checks the spelling in the right language.
    """
    with language(lang):
        return _docx(blocks, lang=lang)


def _docx(blocks: Sequence[Block], *, lang: str) -> bytes:
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
    properties.title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), _("Brief"))
    if lang != "en":
        properties.language = lang
        _set_language(document, {"fr": "fr-FR"}.get(lang, lang))
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip_times(buffer.getvalue())


def _docx_table(document: Any, table: Table, *, font: Any, align: Any) -> None:
    """A table whose formatting is direct (bold shaded header, right-aligned numbers), so pasting keeps it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not table.records:
        document.add_paragraph(_("None."))
        return
    columns: Sequence[Column] = table.columns
    grid = document.add_table(rows=1 + len(table.records), cols=len(columns))
    grid.style = "Table Grid"
    grid.alignment = align
    for index, column in enumerate(columns):
        cells = [grid.rows[0].cells[index]] + [row.cells[index] for row in grid.rows[1:]]
        texts = [_(column.heading)] + [column.show(record.get(column.key)) for record in table.records]
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


def _set_language(document: Any, tag: str) -> None:
    """The language of the document's default run properties (Word's proofing and hyphenation follow it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if properties is None:
        return
    element = properties.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        properties.append(element)
    element.set(qn("w:val"), tag)
