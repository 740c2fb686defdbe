"""The brief: key figures from the report, the same content in DOCX, HTML and Markdown, at most four pages."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import routes
from routes.brief import MAX_SOURCES, TOP_GAPS, brief_blocks, key_figures, to_docx, to_html, to_markdown
from routes.report import build_report
from tests.conftest import partnership, require_browser, run, segment, write_dataset

EVIL = '<img src=x onerror=alert(1)> "q" `b` ${1+1} =SUM(A1) \x07'


def tiny_png(width: int = 4, height: int = 2) -> bytes:
    """A valid PNG, grey, without any imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_key_figures_come_from_the_report(corridor):
    report = build_report(routes.load(corridor), year=2016)
    lines = key_figures(report)
    assert lines[0].startswith("2 gaps of 5 segments (40%)")
    assert (
        "Known segment flows add up to 220 over 4 segments, each as its source counts it (the measures differ), "
        "of which 100 (45%) on the 1 gap whose flow is known"
    ) in lines[1]
    assert "the flow of the remaining 1 is unknown" in lines[1]
    assert "nothing 2" in lines[2]


def test_when_no_gap_has_a_known_flow_the_brief_says_so():
    report = build_report(routes.load(), year=2024)
    text = " ".join(key_figures(report))
    total = report["headline"][-1]
    if total["unknown_flow_gaps"] == total["gaps"]:
        assert "no gap has a known flow of its own" in text and "0 (0%)" not in text


def test_blocks_keep_the_brief_short(corridor):
    report = build_report(routes.load(corridor), year=2016)
    blocks = brief_blocks(report, command="routes report --brief", map_png=tiny_png())
    kinds = [b.kind for b in blocks]
    assert kinds.count("image") == 1 and kinds.count("table") == 4
    largest = next(b.table for b in blocks if b.kind == "table" and b.table.key == "gaps")
    assert len(largest.records) <= TOP_GAPS
    sources = next(b for i, b in enumerate(blocks) if b.kind == "bullets" and blocks[i - 1].text == "Sources")
    assert len(sources.items) <= MAX_SOURCES
    assert blocks[-1].kind == "code" and blocks[-1].text == "routes report --brief"
    # Without a picture, the note takes its place.
    blocks = brief_blocks(report, command="x", map_png=None, map_note="The map picture is left out: no browser.")
    assert "image" not in [b.kind for b in blocks]
    assert any(b.text.startswith("The map picture is left out") for b in blocks)


def test_every_format_escapes_the_data(tmp_path):
    folder = write_dataset(
        tmp_path / "evil", [segment(EVIL, "LBY", "ITA", 2016, 5)], [partnership("p", ["ITA", "TUN"], name=EVIL)]
    )
    report = build_report(routes.load(folder), year=2016)
    blocks = brief_blocks(report, command="routes report", map_png=tiny_png())
    page = to_html(blocks)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "default-src 'none'" in page and 'src="data:image/png;base64,' in page
    text = to_markdown(blocks)
    assert "<img" not in text and "&lt;img src=x" in text
    from docx import Document

    document = Document(io.BytesIO(to_docx(blocks)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any("<img src=x" in c and "\x07" not in c for c in cells)  # text as written, minus what XML cannot hold


def test_docx_opens_with_its_tables_and_picture_and_is_reproducible(corridor):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    report = build_report(routes.load(corridor), year=2016)
    blocks = brief_blocks(report, command="routes report --format docx", map_png=tiny_png())
    data = to_docx(blocks)
    assert data == to_docx(blocks)
    document = Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 1
    assert len(document.tables) == 4
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0].startswith("Migration routes: partnership coverage, 2016")
    assert {"Key figures", "Largest gaps", "Balance of themes", "Team Europe", "Caveats", "Sources"} <= set(headings)
    glance = document.tables[0]
    assert [c.text for c in glance.rows[0].cells] == [
        "Route",
        "Segments",
        "Gaps",
        "Gap share",
        "Route total",
        "Flow share on gaps",
    ]
    assert all(run.bold for cell in glance.rows[0].cells for run in cell.paragraphs[0].runs)
    assert glance.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT  # numbers
    assert document.core_properties.created.year == 2000
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_cli_brief_formats_and_usage(corridor, tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTES_CHROMIUM", str(tmp_path / "no-chromium"))  # the picture needs a browser
    result = run("report", "--data", corridor, "--year", "2016", "--format", "docx", "-o", tmp_path / "b.docx")
    assert result.exit_code == 0, result.output
    assert "Warning: The map picture is left out" in result.stderr
    from docx import Document

    document = Document(tmp_path / "b.docx")
    assert len(document.inline_shapes) == 0
    assert any("The map picture is left out" in p.text for p in document.paragraphs)
    result = run(
        "report", "--data", corridor, "--year", "2016", "--brief", "--format", "markdown", "-o", tmp_path / "b.md"
    )
    assert result.exit_code == 0 and "Warning" not in result.stderr  # Markdown has no picture to draw
    text = (tmp_path / "b.md").read_text(encoding="utf-8")
    assert "## Largest gaps" in text and "--format markdown --brief" in text
    assert run("report", "--data", corridor, "--brief", "--format", "xlsx").exit_code == 2
    monkeypatch.chdir(tmp_path)
    assert run("report", "--data", corridor, "--format", "docx", "--no-map").exit_code == 0
    assert Path("reports/gap-brief-2019.docx").is_file()


def report_in_a_process(*args: object) -> None:
    """Run ``routes report`` in a process of its own: Playwright's sync API cannot nest in the tests' browser."""
    result = subprocess.run(
        [sys.executable, "-m", "routes", "report", *map(str, args)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "Traceback" not in result.stderr


def test_docx_brief_of_the_bundled_data_has_the_map_picture(tmp_path):
    require_browser()
    report_in_a_process("--format", "docx", "-o", tmp_path / "brief.docx")
    from docx import Document

    document = Document(tmp_path / "brief.docx")
    assert len(document.inline_shapes) == 1
    picture = document.inline_shapes[0]
    assert picture.width > picture.height > 0


def test_html_brief_of_the_bundled_data_prints_on_at_most_four_pages(tmp_path, opened):
    target = tmp_path / "brief.html"
    report_in_a_process("--brief", "-o", target)
    page = opened(target, wait=False)
    pdf = page.page.pdf(format="A4", margin={side: "18mm" for side in ("top", "bottom", "left", "right")})
    assert 2 <= pdf_pages(pdf) <= 4
    assert page.page.locator("figure img").count() == 1
    page.clean()


@pytest.mark.parametrize("fmt", ["docx", "html", "markdown"])
def test_the_three_formats_say_the_same(corridor, fmt):
    report = build_report(routes.load(corridor), year=2016)
    blocks = brief_blocks(report, command="x", map_png=tiny_png())
    if fmt == "docx":
        from docx import Document

        document = Document(io.BytesIO(to_docx(blocks)))
        text = "\n".join(
            [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
        )
    elif fmt == "html":
        text = re.sub(r"<[^>]+>", " ", to_html(blocks)).replace("&#x27;", "'")
    else:
        text = to_markdown(blocks)
    for line in key_figures(report):
        assert line.split(";")[0].split("(")[0].strip() in text
    for gap in report["gaps"][:TOP_GAPS]:
        assert gap["origin_name"] in text and gap["destination_name"] in text
