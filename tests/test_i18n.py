"""French outputs (issue 14, item 4): one gettext catalogue, complete and current, and no English left.

- The catalogue: re-extracted here with pybabel's own command (in-process), it
  must hold exactly the .po's messages, each translated, none fuzzy, with the
  same placeholders; every marked string of the code and the map's scripts
  must reach it.
- The map (in Chromium), the report (HTML, Markdown, XLSX) and the brief
  (DOCX, HTML, Markdown) in French: no English message of the catalogue is
  left in them, once the data's own strings (route and instrument names,
  notes, measures, sources), which stay as written, are taken out.
- Country names from the ISO data, French numbers, reproducible bytes.
"""

from __future__ import annotations

import ast
import html
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

import routes
from routes import i18n
from routes.brief import brief_blocks, key_figures, to_docx
from routes.brief import to_html as brief_html
from routes.brief import to_markdown as brief_markdown
from routes.countries import iso_name
from routes.maps import brief as cut_note
from routes.maps import corridor_map, map_html, render_html
from routes.report import build_report
from routes.report_output import SHEET_NAMES, tables, to_html, to_markdown, to_xlsx
from tests.conftest import ROOT, partnership, run, segment, write_dataset
from tests.test_brief import tiny_png
from tests.test_maps import payload

PO = ROOT / "routes" / "locale" / "fr" / "LC_MESSAGES" / "routes.po"
POT = ROOT / "routes" / "locale" / "routes.pot"
#: The command of docs/translating.md (the output file is added by the test).
EXTRACT = ["pybabel", "extract", "-F", "babel.cfg", "--ignore-dirs=.* ._ __pycache__", "-c", "TRANSLATORS:"]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def read_catalog(path: Path) -> Any:
    with open(path, "rb") as handle:
        return read_po(handle)


def keys(catalog: Any) -> set[tuple[str | None, str | tuple[str, ...]]]:
    return {(m.context, m.id) for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: Any) -> Any:
    """The catalogue as ``pybabel extract`` makes it from the code now (Babel's command, run in-process)."""
    from babel.messages.frontend import CommandLineInterface

    target = tmp_path_factory.mktemp("catalogue") / "routes.pot"
    monkeypatch_module.chdir(ROOT)
    CommandLineInterface().run([EXTRACT[0], "-q", *EXTRACT[1:], "-o", str(target), "."])
    return read_catalog(target)


@pytest.fixture(scope="module")
def monkeypatch_module() -> Any:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def french() -> Any:
    return read_catalog(PO)


# -- (a) the catalogue is complete and current ----------------------------------------------------


def test_the_catalogue_holds_exactly_what_the_code_marks(extracted, french):
    code = keys(extracted)
    assert len(code) > 250
    assert code == keys(french), {
        "in the code, not in the .po (run pybabel update)": code - keys(french),
        "in the .po, no longer in the code": keys(french) - code,
    }
    assert code == keys(read_catalog(POT)), "routes/locale/routes.pot is not current: run pybabel extract"


def test_every_message_is_translated_with_the_same_placeholders(french):
    assert french.num_plurals == 2 and french.plural_expr == "(n > 1)"  # French: 0 and 1 are singular
    for message in french:
        if not message.id:
            continue
        assert not message.fuzzy, f"fuzzy (check it, then remove the flag): {message.id!r}"
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (2 if message.pluralizable else 1)
        for string in strings:
            assert string and string.strip(), f"not translated: {message.id!r}"
            assert set(PLACEHOLDER.findall(string)) <= set(PLACEHOLDER.findall(" ".join(ids))), (message.id, string)
        if not message.pluralizable:  # a plural form may leave out the count; a plain message keeps every value
            assert set(PLACEHOLDER.findall(strings[0])) == set(PLACEHOLDER.findall(ids[0])), (message.id, strings)


def test_every_marked_call_of_the_map_scripts_is_extracted():
    """Babel's JavaScript lexer misses a t() nested in another's arguments or after a misread regex: count them."""
    from babel.messages.extract import extract

    folder = ROOT / "routes" / "_map_assets"
    for path in sorted(folder.glob("*.js")):
        source = re.sub(
            r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"), flags=re.S
        )
        source = re.sub(r"^\s*//.*$", "", source, flags=re.M)
        calls = re.findall(r'(?<![\w$])(?:ctx\.)?(?:t|tn|tp)\(\s*"', source)
        with open(path, "rb") as handle:
            found = list(extract(i18n.extract_map_script, handle))
        assert len(found) == len(calls), path.name


def test_every_marked_string_of_the_python_code_is_extracted(extracted):
    """pybabel does not look into f-strings: a _("…") written inside one would be left out of the catalogue."""
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted if m.id}
    marks = {"_": 0, "N_": 0, "ngettext": 0, "pgettext": 1}
    for path in sorted((ROOT / "routes").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in marks:
                argument = node.args[marks[node.func.id]] if len(node.args) > marks[node.func.id] else None
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    assert argument.value in ids, f"{path.name}:{node.lineno}: {argument.value!r}"


def test_the_terms_cover_every_word_of_the_data_format():
    from routes._validate import FLOW_STATUSES, KINDS, THEMES
    from routes.coverage import SEGMENT_TIERS, TEAM_EUROPE_LABELS, TOOLBOX_LABELS

    vocabulary = {*SEGMENT_TIERS, "internal", *THEMES, *KINDS, *TOOLBOX_LABELS, *TEAM_EUROPE_LABELS, *FLOW_STATUSES}
    assert vocabulary - {"ok"} == set(i18n.TERMS)
    from routes.dataset import UNCERTAIN_FIELDS

    assert set(UNCERTAIN_FIELDS) == set(i18n.FIELDS)


def test_sheet_names_fit_in_every_language():
    for lang in i18n.LANGUAGES:
        with i18n.language(lang):
            names = [i18n._(name) for name in SHEET_NAMES.values()] + [i18n._("Read me")]
        assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names), names
        assert len({n.casefold() for n in names}) == len(names)


def test_unknown_language_is_a_selection_error():
    with pytest.raises(routes.SelectionError, match="unknown language 'de'"):
        corridor_map(routes.load(ROOT / "tests" / "fixtures" / "tiny"), lang="de")
    assert run("map", "--lang", "de").exit_code == 2


# -- what to look for -----------------------------------------------------------------------------


def english_fragments(catalog: Any) -> dict[str, str]:
    """The English text of every message whose French differs: the runs between placeholders of two words or more.

    Shorter ones ("Flow", "Tier") and messages written the same in both
    languages ("Segments", "forum") are left out: they would match French text.
    """
    found: dict[str, str] = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if set(ids) <= set(strings):
            continue
        for msgid in ids:
            for run_ in PLACEHOLDER.split(msgid)[::2]:
                fragment = run_.strip(" .,:;()—–-…'\"“”")
                if len(fragment.split()) >= 2 and not any(fragment in s for s in strings):
                    found[fragment] = msgid
    return found


@pytest.fixture(scope="module")
def fragments(french) -> dict[str, str]:
    found = english_fragments(french)
    assert {"Map controls", "gaps below", "Headline figures", "Largest gaps", "Key figures"} <= set(found)
    return found


@pytest.fixture(scope="module")
def bundled() -> routes.Dataset:
    return routes.load()


def data_strings(dataset: routes.Dataset) -> list[str]:
    """The data's own text, shown as written in every language: longest first."""
    texts: set[str] = set(dataset.route_names)
    for p in dataset.partnerships:
        texts.update([p.id, p.name, p.notes or "", cut_note(p.notes or ""), *p.sources, *p.uncertain])
    for row in dataset.segments:
        texts.update([row.measure or "", row.note or "", *row.sources])
    for total in dataset.route_flows:
        texts.update([total.measure or "", total.note or "", *total.sources])
    for group in dataset.groups.values():
        texts.update([group.code, group.name, *group.sources, group.notes or ""])
    texts.update(c.name for c in dataset.countries.values() if not iso_name(c.code))
    return sorted((t for t in texts if len(t) >= 4), key=len, reverse=True)


@pytest.fixture(scope="module")
def data_texts(bundled) -> list[str]:
    return data_strings(bundled)


def leftovers(text: str, fragments: dict[str, str], data: list[str]) -> dict[str, str]:
    """The English fragments found in ``text`` once the data's own strings are taken out."""
    text = html.unescape(text).replace("\u00a0", " ").replace("\u202f", " ")
    for string in data:
        text = text.replace(string, "\n")
    # Whole words only: "segment in" is English, "segment interne" is French.
    return {
        fragment: msgid
        for fragment, msgid in fragments.items()
        if fragment in text and re.search(r"(?<!\w)" + re.escape(fragment) + r"(?!\w)", text)
    }


# -- (b) the map in a browser ---------------------------------------------------------------------

VISIBLE_TEXT = """() => {
    const parts = [document.title, document.body.innerText];
    for (const node of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
        for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
            if (node.getAttribute(name)) parts.push(node.getAttribute(name));
        }
    }
    for (const node of document.querySelectorAll('option, .routes-print, .leaflet-tooltip, .leaflet-popup')) {
        parts.push(node.textContent);
    }
    return parts.join('\\n');
}"""


def map_texts(page: Any) -> list[str]:
    """The text of the map in every state a reader reaches: all controls open, comparing, following a route,
    an instrument picked, the table, a country page, a segment's tooltip and popup, the link."""
    p = page.page
    seen: list[str] = []

    def collect() -> None:
        seen.append(p.evaluate(VISIBLE_TEXT))

    for box in (".routes-panel", ".routes-legend", ".routes-caption"):
        if not p.locator(box).evaluate("d => d.open"):
            p.click(f"{box} > summary")
    collect()
    p.select_option(".routes-base", index=1)  # compare 2024 with 2019
    p.check(".routes-gaps-only")
    p.select_option(".routes-picker", index=1)
    collect()
    p.select_option(".routes-focus", index=1)
    collect()
    p.select_option(".routes-focus", index=0)
    p.uncheck(".routes-gaps-only")
    p.select_option(".routes-picker", index=0)
    p.click(".routes-table-button")
    p.locator(".routes-table").wait_for(state="visible", timeout=5_000)
    collect()
    p.keyboard.press("Escape")
    p.fill(".routes-search", "TUR")
    p.press(".routes-search", "Enter")
    p.locator(".routes-country").wait_for(state="visible", timeout=5_000)
    collect()
    p.keyboard.press("Escape")
    arc = "window.routesMaps[0].ctx.arcs.find(a => a.p.id === 'TUR-GRC').hit"
    p.evaluate(f"() => {arc}.openTooltip()")
    p.locator(".leaflet-tooltip.routes-tip").wait_for(state="visible", timeout=5_000)
    collect()
    p.evaluate(f"() => {arc}.openPopup()")
    p.locator(".leaflet-popup-content .routes-popupbox").wait_for(state="visible", timeout=5_000)
    collect()
    p.click(".routes-link")
    p.evaluate("() => window.routesMaps[0].ctx.snapshot()")  # the picture and caption that print
    collect()
    return seen


def test_french_map_has_no_english_interface_string(opened, tmp_path, fragments, data_texts):
    target = tmp_path / "carte.html"
    assert run("map", "--lang", "fr", "--years", "2019,2024", "-o", target).exit_code == 0
    page = opened(target)
    assert page.page.locator("html").get_attribute("lang") == "fr"
    texts = map_texts(page)
    page.clean()
    joined = "\n".join(texts)
    assert leftovers(joined, fragments, data_texts) == {}
    # The states were reached, in French.
    for expected in (
        "Commandes de la carte",
        "Par rapport à 2019",
        "Total de la route",
        "Segments affichés",
        "Turquie (TUR)",
    ):
        assert expected in joined, expected
    assert re.search("Lien (vers cette vue|copié)", joined) and "Flux connu entrant + sortant" in joined
    # The same look at the English map finds what it looks for: the check is not blind.
    english = tmp_path / "map.html"
    assert run("map", "--years", "2019,2024", "-o", english).exit_code == 0
    page = opened(english)
    found = leftovers("\n".join(map_texts(page)), fragments, data_texts)
    assert {"Map controls", "Compare with", "Close the table", "Click for instruments and sources"} <= set(found)


def test_french_map_names_and_search(opened, bundled):
    m = corridor_map(bundled, lang="fr")
    data = payload(render_html(m))
    assert data["lang"] == "fr"
    assert data["names"]["TUR"] == "Turquie" and data["names"]["GBR"] == "Royaume-Uni"
    assert data["names"]["CIV"] == "Côte d'Ivoire" and data["names"]["XKX"] == "Kosovo"
    assert data["title"] == "Corridors migratoires et couverture par les partenariats"
    page = opened(m)
    p = page.page
    for typed in ("Turquie", "Turkey", "TUR", "Türkiye", "turquie"):
        assert p.evaluate("q => window.routesMaps[0].ctx.find(q)", typed) == {"country": "TUR"}, typed
    assert p.evaluate("q => window.routesMaps[0].ctx.find(q)", "Royaume-Uni") == {"country": "GBR"}
    labels = p.eval_on_selector_all("text.routes-label-text", "els => els.map(e => e.textContent)")
    assert "Turquie" in labels and "Türkiye" not in labels
    # Numbers in French: a narrow no-break space between thousands.
    legend = p.locator(".routes-legend").inner_text()
    assert re.search(r"\d\u202f\d{3}", legend), legend
    page.clean()


def test_scenario_map_in_french(corridor, tmp_path):
    target = tmp_path / "scenario.html"
    result = run("whatif", "--data", corridor, "--year", "2016", "--remove", "eu-mar", "--map", target, "--lang", "fr")
    assert result.exit_code == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    data = payload(page)
    assert '<html lang="fr">' in page
    assert [y["label"] for y in data["years"]] == ["2016, situation actuelle", "2016, avec le scénario"]
    assert data["title"] == "Scénario\u00a0: retrait de eu-mar"


# -- (c) the report and the brief ------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(bundled) -> dict[str, Any]:
    return build_report(bundled)


def page_text(page: str) -> str:
    """An HTML page's text and attribute texts, without scripts, styles or an embedded map (srcdoc)."""
    page = re.sub(r'\ssrcdoc="[^"]*"', "", page)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = re.findall(r'\s(?:title|aria-label|alt|placeholder)="([^"]*)"', page)
    return re.sub(r"<[^>]+>", "\n", page) + "\n" + "\n".join(attributes)


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    return "\n".join(book.sheetnames + cells)


def docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([*texts, document.core_properties.title or ""])


def test_french_report_has_no_english_interface_string(report, fragments, data_texts):
    command = "routes report --lang fr"
    page = to_html(report, command=command, lang="fr", map_html=map_html(report["graph"], lang="fr"))
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    embedded = html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))
    assert '<html lang="fr">' in embedded and payload(embedded)["lang"] == "fr"  # checked in the browser above
    outputs = {
        "html": page_text(page),
        "markdown": to_markdown(report, command=command, lang="fr"),
        "xlsx": xlsx_text(to_xlsx(report, command=command, lang="fr")),
    }
    for name, text in outputs.items():
        assert leftovers(text, fragments, data_texts) == {}, name
    assert "Chiffres principaux" in outputs["markdown"] and "Lisez-moi" in outputs["xlsx"]
    # The check finds English where there is English.
    english = to_markdown(report, command=command)
    assert {"Headline figures", "Gaps ranked by flow"} <= set(leftovers(english, fragments, data_texts))


def test_french_brief_has_no_english_interface_string(report, fragments, data_texts):
    blocks = brief_blocks(report, command="routes report --brief --lang fr", map_png=tiny_png(), lang="fr")
    outputs = {
        "docx": docx_text(to_docx(blocks, lang="fr")),
        "html": page_text(brief_html(blocks, lang="fr")),
        "markdown": brief_markdown(blocks, lang="fr"),
    }
    for name, text in outputs.items():
        assert leftovers(text, fragments, data_texts) == {}, name
        assert "Chiffres clés" in text and "Principales lacunes" in text, name
    assert brief_html(blocks, lang="fr").startswith('<!DOCTYPE html>\n<html lang="fr">')
    without_map = brief_blocks(report, command="x", map_note="L'image de la carte est omise.", lang="fr")
    assert leftovers(brief_markdown(without_map, lang="fr"), fragments, data_texts) == {}


def test_french_docx_says_its_language(report):
    data = to_docx(brief_blocks(report, command="x", lang="fr"), lang="fr")
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode("utf-8")
    assert 'w:lang w:val="fr-FR"' in styles
    english = to_docx(brief_blocks(report, command="x"))
    assert 'w:val="fr-FR"' not in zipfile.ZipFile(io.BytesIO(english)).read("word/styles.xml").decode("utf-8")


def test_cli_report_in_french_every_format(corridor, tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTES_CHROMIUM", str(tmp_path / "no-chromium"))  # the brief's picture: a note instead
    for fmt, extra in (("html", ()), ("markdown", ()), ("xlsx", ()), ("docx", ()), ("html", ("--brief",))):
        target = tmp_path / f"r-{fmt}-{len(extra)}"
        result = run(
            "report", "--data", corridor, "--year", "2016", "--format", fmt, *extra, "--lang", "fr", "-o", target
        )
        assert result.exit_code == 0, result.stderr
        content = target.read_bytes()
        text = {"xlsx": xlsx_text, "docx": docx_text}.get(fmt, lambda b: html.unescape(b.decode("utf-8")))(content)
        assert "--lang fr" in text, fmt  # the command that reproduces it
        if fmt == "docx" or extra:
            assert "L'image de la carte est omise" in text
        else:
            assert "Lacunes" in text
    assert "Warning: The map picture is left out" in result.stderr  # the terminal's messages stay English
    monkeypatch.chdir(tmp_path)
    assert run("report", "--data", corridor, "--format", "markdown", "--lang", "fr").exit_code == 0
    assert (tmp_path / "reports" / "gap-report-2019-fr.md").is_file()  # beside the English one, not over it


# -- (d) country names and numbers ----------------------------------------------------------------


def test_country_names_come_from_the_iso_data():
    name = i18n.country_name
    assert name("TUR", "fr", "Türkiye") == "Turquie"
    assert name("CIV", "fr", "Côte d'Ivoire") == "Côte d'Ivoire"
    assert name("GBR", "fr", "United Kingdom") == "Royaume-Uni"
    assert name("XKX", "fr", "Kosovo") == "Kosovo"  # no ISO entry: the data set's name
    assert name("RUS", "fr", "Russia") == "Russie" and name("SYR", "fr", "Syria") == "Syrie"
    assert name("SLB", "fr", "Solomon Islands") == "Îles Salomon"
    assert name("TUR", "en", "Türkiye") == "Türkiye"  # English keeps the data set's name


def test_french_report_tables_show_french_country_names_and_numbers(report):
    by_key = {t.key: t for t in tables(report, lang="fr")}
    names = {r[k] for r in by_key["team_europe"].records for k in ("origin_name", "destination_name")}
    assert {"Turquie", "Côte d'Ivoire", "Royaume-Uni"} <= names
    assert not {"Türkiye", "United Kingdom"} & names
    text = to_markdown(report, command="x", lang="fr")
    total = report["headline"][-1]["known_flow"]
    with i18n.language("fr"):
        assert i18n.number(12345) == "12\u202f345" and i18n.percent(0.62) == "62\u00a0%"
        assert i18n.number(total) in text
    assert "Toutes les routes" in text and "interne à l'UE" in text and "contraignant" in text


def test_xlsx_keeps_numbers_as_numbers_in_french(report):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(to_xlsx(report, command="x", lang="fr")))
    assert book.sheetnames[0] == "Lisez-moi" and "Chiffres principaux" in book.sheetnames
    sheet = book["Chiffres principaux"]
    header = [c.value for c in sheet[1]]
    share = header.index("Part de lacunes") + 1
    cells = [c for (c,) in sheet.iter_rows(min_row=2, min_col=share, max_col=share)]
    assert any(isinstance(c.value, float) and c.number_format == "0%" for c in cells)
    flows = book["Équipe Europe par segment"]
    flow = [c.value for c in flows[1]].index("Flux") + 1
    values = [c.value for (c,) in flows.iter_rows(min_row=2, min_col=flow, max_col=flow)]
    assert "inconnu" in values and any(isinstance(v, int) for v in values)


def test_key_figures_in_french_use_plural_forms(tmp_path):
    rows = [segment("C", "LBY", "ITA", 2016, 1500), segment("C", "NER", "LBY", 2016, "")]
    folder = write_dataset(tmp_path / "one", rows, [partnership("p", ["ITA", "LBY"])])
    report = build_report(routes.load(folder), year=2016)
    lines = key_figures(report, lang="fr")
    assert lines[0].startswith("1 lacune sur 2 segments (50\u00a0%)\u00a0: aucun instrument de niveau politique")
    assert key_figures(report)[0].startswith("1 gap of 2 segments (50%): no instrument at political tier")


# -- (e) French outputs are reproducible -----------------------------------------------------------


def test_french_outputs_are_byte_reproducible(report, bundled):
    def outputs() -> list[Any]:
        blocks = brief_blocks(report, command="x", map_png=tiny_png(), lang="fr")
        return [
            render_html(corridor_map(bundled, years=[2019, 2024], lang="fr")),
            to_html(report, command="x", lang="fr"),
            to_markdown(report, command="x", lang="fr"),
            to_xlsx(report, command="x", lang="fr"),
            to_docx(blocks, lang="fr"),
            brief_html(blocks, lang="fr"),
        ]

    assert outputs() == outputs()


def test_french_map_page_stays_light(bundled):
    page = render_html(corridor_map(bundled, lang="fr"))
    assert len(page.encode("utf-8")) < 1_000_000
    data = payload(page)
    assert "Map controls" in data["messages"] and "Headline figures" not in data["messages"]  # what the scripts need
    assert data["messages"]["binding"] == "contraignant"  # the words of the data format
