"""The ``routes`` command: parse options, call the library, format the output.

Exit codes: 0 success, 1 bad data (or an output that could not be written),
2 wrong usage.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from routes import _escape as escape
from routes._errors import DataError, OutputError, RoutesError, SelectionError
from routes._validate import FIRST_YEAR, KINDS, LAST_YEAR, THEMES, TIERS
from routes.coverage import DEFAULT_MIN_TIER
from routes.formats import (
    FORMATS,
    GAP_COLUMNS,
    SEGMENT_COLUMNS,
    SUMMARY_COLUMNS,
    Column,
    describe_selection,
    flow_text,
    json_text,
    list_text,
    render,
    routes_with_totals_text,
)

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _import_folium() -> None:
    """Import folium before routes.maps, without its optional pandas hook when pandas is not loaded yet.

    folium imports pandas (a fifth of a second) only to recognise DataFrames
    passed to it; this command line never passes one. Done here, in the
    command's own process, never in the library, where a user's own folium
    calls may pass DataFrames.
    """
    if "folium" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # makes `import pandas` fail: folium sets pd = None
    try:
        import folium  # noqa: F401
    finally:
        del sys.modules["pandas"]


class _Usage(click.UsageError):
    """A selection that does not fit the data: exit 2 with the library's message."""


def _fail_on_errors(func: Callable) -> Callable:
    """Turn the library's errors into messages and exit codes, never tracebacks."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DataError as exc:
            click.echo(f"Error: the data set has {len(exc.problems)} problem(s):", err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            sys.exit(1)
        except SelectionError as exc:
            raise _Usage(str(exc)) from None
        except (OutputError, RoutesError) as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:  # before click turns it into "Aborted!" and exit 1
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper


def data_option(func: Callable) -> Callable:
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(path_type=Path),
        default=None,
        metavar="DIR",
        help="Data set folder (default: the bundled data set).",
    )(func)


def selection_options(func: Callable) -> Callable:
    """The options shared by every command that builds a graph."""
    options = [
        data_option,
        click.option(
            "--year",
            type=click.IntRange(FIRST_YEAR, LAST_YEAR),
            default=None,
            help="Year whose flows are used (default: latest with flows).",
        ),
        click.option(
            "--as-of",
            type=click.DateTime(formats=["%Y-%m-%d"]),
            default=None,
            metavar="YYYY-MM-DD",
            help="Day coverage is judged on (default: 31 December of --year).",
        ),
        click.option(
            "--min-tier",
            type=click.Choice(TIERS),
            default=DEFAULT_MIN_TIER,
            show_default=True,
            help="The weakest instrument that closes a gap: forum (a dialogue is enough), political, "
            "operational or binding.",
        ),
        click.option(
            "--theme",
            "themes",
            multiple=True,
            type=click.Choice(THEMES),
            help="Count only partnerships with this theme (repeatable).",
        ),
        click.option(
            "--kind",
            "kinds",
            multiple=True,
            type=click.Choice(KINDS),
            help="Count only partnerships of this kind (repeatable).",
        ),
        click.option(
            "--exclude-kind",
            "exclude_kinds",
            multiple=True,
            type=click.Choice(KINDS),
            help="Do not count partnerships of this kind, e.g. dialogue (repeatable).",
        ),
        click.option("--binding-only", is_flag=True, help="Count only legally binding partnerships."),
        click.option(
            "--route", "route_names", multiple=True, metavar="NAME", help="Keep only this route (repeatable)."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def lang_option(what: str) -> Callable[[Callable], Callable]:
    """``--lang en|fr``: the language of what the command writes (``what``)."""
    from routes.i18n import LANGUAGES

    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=LANGUAGES[0],
        show_default=True,
        help=f"Language of {what}: interface, labels and country names (route and instrument names, notes and "
        "sources stay as in the data).",
    )


def output_options(func: Callable) -> Callable:
    func = click.option(
        "--output",
        "-o",
        type=click.Path(path_type=Path),
        default=None,
        metavar="FILE",
        help="Write to FILE (whole or not at all) instead of the terminal.",
    )(func)
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
    )(func)


def _options(**selection: Any) -> dict[str, Any]:
    """The command-line selection as keyword arguments of build_graph."""
    as_of = selection["as_of"]
    return {
        "year": selection["year"],
        "as_of": as_of.date() if isinstance(as_of, dt.datetime) else as_of,
        "min_tier": selection["min_tier"],
        "themes": selection["themes"] or None,
        "kinds": selection["kinds"] or None,
        "exclude_kinds": selection["exclude_kinds"] or None,
        "binding_only": selection["binding_only"],
        "routes": selection["route_names"] or None,
    }


def _judged(data_dir: Path | None, **selection: Any) -> tuple[Any, Any]:
    """The data set and its segments judged for the selection (no networkx needed)."""
    from routes.dataset import load
    from routes.selection import judge

    dataset = load(data_dir)
    return dataset, judge(dataset, **_options(**selection))


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        from routes._output import write_atomic

        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="routes-corridors", prog_name="routes")
def main() -> None:
    """Find where migration partnerships leave whole routes uncovered.

    Countries are nodes, route segments (A → B) are directed edges. A segment
    is covered when an instrument active on the day joins its two countries
    (an EU instrument joins the partner country with each member state, never
    two member states) at the minimum tier or above; a segment between two EU
    members is internal, neither covered nor a gap. See the README for the
    data format and the rules.
    """


@main.command(context_settings=CONTEXT)
@data_option
@click.option("--quality", is_flag=True, help="Also list what the data does not know (flows, uncertain facts).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format."
)
@_fail_on_errors
def validate(data_dir: Path | None, quality: bool, fmt: str) -> None:
    """Check a data set; print every problem with its file, line and field.

    Exits 0 when the data set is clean, 1 when it has problems.
    """
    from routes.dataset import load
    from routes.quality import quality_report

    dataset = load(data_dir)
    if dataset.shapes is not None:
        from routes.shapes import read_shapes

        read_shapes(dataset.shapes)  # the map's base layer: checked here, read only by the map
    report = quality_report(dataset)
    if fmt == "json":
        click.echo(json_text(report), nl=False)
        return
    counts = report["counts"]
    span = f"{counts['years'][0]}–{counts['years'][1]}" if counts["years"] else "no years"
    click.echo(
        f"{dataset.path}: OK — {counts['segments']} segments on {len(dataset.route_names)} routes, "
        f"{counts['rows_with_flow']} of {counts['rows']} rows with a flow ({span}), "
        f"{counts['route_totals']} route totals, {counts['partnerships']} instruments, {counts['groups']} group(s)."
    )
    for warning in report["warnings"]:
        click.echo(escape.terminal(f"warning: {warning}"))
    click.echo(
        f"Unknown or uncertain: {len(report['segments_without_flow'])} segments without any flow, "
        f"{len(report['uncertain_flows'])} uncertain or conflicting figures, "
        f"{len(report['uncertain_partnerships'])} partnerships with uncertain facts, "
        f"{len(report['unknown_binding'])} with unknown legal force."
        + ("" if quality else " Use --quality for the lists.")
    )
    if quality:
        click.echo(escape.terminal(_quality_text(report)), nl=False)


def _quality_text(report: dict[str, Any]) -> str:
    lines = ["", "Flow figures by status: " + ", ".join(f"{k} {v}" for k, v in report["flow_status"].items())]
    lines += ["", "Per route and year: T = route total known, then the number of segments with a flow:"]
    width = max((len(r["route"]) for r in report["coverage_by_route"]), default=0)
    if report["coverage_by_route"] and report["coverage_by_route"][0]["years"]:
        lines.append(
            "  " + " " * width + "  " + " ".join(f"{y['year']:>6}" for y in report["coverage_by_route"][0]["years"])
        )
    for route in report["coverage_by_route"]:
        cells = " ".join(f"{('T ' if y['route_total'] else '- ') + str(y['segment_flows']):>6}" for y in route["years"])
        lines.append(f"  {route['route']:<{width}}  {cells}")
    secondary = report["secondary"]
    lines += [
        "",
        "Resting only on secondary sources: "
        f"segments.csv lines {', '.join(map(str, secondary['segments.csv'])) or 'none'}; "
        f"route_flows.csv lines {', '.join(map(str, secondary['route_flows.csv'])) or 'none'}; "
        f"instruments {', '.join(secondary['partnerships']) or 'none'}; "
        f"groups {', '.join(secondary['groups']) or 'none'}",
    ]
    lines += ["", "Segments without any flow:"]
    lines += [f"  {s['route']}: {s['origin']} → {s['destination']}" for s in report["segments_without_flow"]] or [
        "  none"
    ]
    lines += ["", "Routes and years with no flow on any segment:"]
    gaps = {r: ys for r, ys in report["route_years_without_flow"].items() if ys}
    lines += [f"  {route}: {', '.join(map(str, years))}" for route, years in gaps.items()] or ["  none"]
    lines += ["", "Uncertain or conflicting figures:"]
    lines += [
        f"  {f['file']} line {f['line']}: {f['route']}"
        + (f" {f['origin']} → {f['destination']}" if f["origin"] else " (route total)")
        + f" {f['year']} ({f['status']})"
        + (f" {f['note']}" if f["note"] else "")
        for f in report["uncertain_flows"]
    ] or ["  none"]
    lines += ["", "Partnerships with uncertain facts:"]
    lines += [
        f"  {p['id']}: {', '.join(p['uncertain'])}" + (f" — {p['notes']}" if p["notes"] else "")
        for p in report["uncertain_partnerships"]
    ] or ["  none"]
    lines += ["", "Partnerships whose legal force is unknown: " + (", ".join(report["unknown_binding"]) or "none")]
    return "\n".join(lines) + "\n"


@main.command(context_settings=CONTEXT)
@selection_options
@output_options
@click.option("--show-internal", is_flag=True, help="Also list the internal segments (between two EU members).")
@_fail_on_errors
def gaps(data_dir: Path | None, fmt: str, output: Path | None, show_internal: bool, **selection: Any) -> None:
    """List the gap segments, ranked by flow (unknown flows last).

    Internal segments (both ends members of the EU on the day) are neither
    covered nor gaps: they are counted apart, and listed with --show-internal.
    """
    from routes.analysis import gap_records, segment_records

    _, judged = _judged(data_dir, **selection)
    records = gap_records(judged)
    internal = segment_records(judged, which="internal")
    noun = "gap" if len(records) == 1 else "gaps"
    inside = f" ({len(internal)} internal)" if internal else ""
    count = len(judged.edges) - len(internal)
    title = f"{len(records)} {noun} of {count} segments{inside} — {describe_selection(judged.info)}"
    if fmt in ("json", "csv"):  # one list; internal segments say so in their own fields
        text = render(records + internal if show_internal else records, GAP_COLUMNS, fmt)
    else:
        text = render(records, GAP_COLUMNS, fmt, title=title)
        if show_internal:
            heading = f"Internal segments (neither covered nor gaps): {len(internal)}"
            text += "\n" + (render(internal, SEGMENT_COLUMNS, fmt, title=heading) if internal else heading + "\n")
    _emit(text, output)


@main.command(context_settings=CONTEXT)
@selection_options
@output_options
@click.option("--paths", is_flag=True, help="Also show each route's paths from origin to end with their break points.")
@_fail_on_errors
def summary(data_dir: Path | None, fmt: str, output: Path | None, paths: bool, **selection: Any) -> None:
    """Per route: segments, share of gaps, and share of known flow on gaps."""
    from routes.analysis import path_records, summary_records

    dataset, judged = _judged(data_dir, **selection)
    records = summary_records(judged)
    title = f"Route summary — {describe_selection(judged.info)}"
    whole_routes = None
    if paths:
        from routes.graph import graph_of

        whole_routes = path_records(graph_of(judged, dataset))
    if fmt == "json":
        payload: dict[str, Any] = {"selection": _selection_json(judged.info), "routes": records}
        if paths:
            payload["paths"] = whole_routes
        _emit(json_text(payload), output)
        return
    text = render(records, SUMMARY_COLUMNS, fmt, title=title)
    if whole_routes is not None:
        text += "\n" + _paths_text(whole_routes, markdown=fmt == "markdown")
    _emit(text, output)


def _selection_json(graph: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in graph.items() if k not in ("partnerships", "route_totals")}


def _paths_text(routes: list[dict[str, Any]], *, markdown: bool) -> str:
    lines = ["Whole-route view (break points are gap segments; internal ones are between two EU members):"]
    bullet = "- " if markdown else "  "
    left, right = ("\\[", "\\]") if markdown else ("[", "]")
    for route in routes:
        lines.append("")
        lines.append(f"### {escape.markdown(route['route'])}" if markdown else escape.terminal(route["route"]))
        for path in route["paths"]:
            chain = " → ".join(path["countries"])
            breaks = ", ".join(f"{u}→{v}" for u, v in path["break_points"]) or "none"
            internal = ", ".join(f"{u}→{v}" for u, v in path["internal"])
            more = f"; internal: {internal}" if internal else ""
            lines.append(f"{bullet}{chain}  {left}break points: {breaks}{more}{right}")
        if route["truncated"]:
            lines.append(f"{bullet}(more paths not shown)")
    return "\n".join(lines) + "\n"


def rerun_command(command: str, graph: dict[str, Any], data_dir: Path | None, *extra: str) -> str:
    """A command line that reproduces a result exactly (year and day made explicit)."""
    import shlex

    words = ["routes", command]
    if data_dir is not None:
        words += ["--data", str(data_dir)]
    if graph["year"] is not None:
        words += ["--year", str(graph["year"])]
    words += ["--as-of", graph["as_of"], "--min-tier", graph["min_tier"]]
    for key, flag in (("themes", "--theme"), ("kinds", "--kind"), ("exclude_kinds", "--exclude-kind")):
        for value in graph[key] or ():
            words += [flag, value]
    if graph["binding_only"]:
        words.append("--binding-only")
    for route in graph["routes"] or ():
        words += ["--route", route]
    return shlex.join([*words, *extra])


def _progress() -> Any:
    """A progress bar on the terminal's error stream (silent when it is not a terminal)."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


@main.command(context_settings=CONTEXT)
@selection_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "markdown", "xlsx", "docx"]),
    default="html",
    show_default=True,
    help="html: one self-contained page; markdown: to paste; xlsx: one sheet per table; docx: the brief for Word.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Where to write the report (default: reports/gap-report-YEAR.EXT; with --lang fr, gap-report-YEAR-fr.EXT).",
)
@click.option("--no-map", is_flag=True, help="Leave the corridor map out (HTML report, brief).")
@click.option(
    "--brief",
    is_flag=True,
    help="A brief of two to four pages (key figures, the map, the largest gaps, themes, Team Europe, caveats, "
    "sources) instead of the full report; docx is always the brief.",
)
@lang_option("the report")
@_fail_on_errors
def report(
    data_dir: Path | None, fmt: str, output: Path | None, no_map: bool, brief: bool, lang: str, **selection: Any
) -> None:
    """Write a gap report: headline figures, gaps by flow, thematic balance,
    EU vs member states, coverage over time, sources and caveats.

    --format docx writes the brief for Word; its map picture is drawn by
    headless Chromium (left out, with a warning, when there is none).
    """
    from routes._output import write_atomic
    from routes.dataset import load
    from routes.report import build_report

    brief = brief or fmt == "docx"
    if brief and fmt == "xlsx":
        raise click.UsageError("--brief is for html, markdown and docx; the workbook always holds every table")
    dataset = load(data_dir)
    with _progress() as bar:
        task = bar.add_task("report", total=None)
        result = build_report(
            dataset, progress=lambda label: bar.update(task, description=f"report: {label}"), **_options(**selection)
        )
        graph = result["selection"]
        extension = {"html": "html", "markdown": "md", "xlsx": "xlsx", "docx": "docx"}[fmt]
        command = rerun_command(
            "report",
            graph,
            data_dir,
            "--format",
            fmt,
            *(("--brief",) if brief and fmt != "docx" else ()),
            *(("--lang", lang) if lang != "en" else ()),
        )
        if brief:
            bar.update(task, description="report: brief")
            content: str | bytes = _brief(result, fmt=fmt, command=command, with_map=not no_map, lang=lang)
        elif fmt == "markdown":
            from routes.report_output import to_markdown

            content = to_markdown(result, command=command, lang=lang)
        elif fmt == "xlsx":
            from routes.report_output import to_xlsx

            content = to_xlsx(result, command=command, lang=lang)
        else:
            _import_folium()
            from routes.maps import map_html
            from routes.report_output import to_html

            embedded = None if no_map else map_html(result["graph"], lang=lang)
            content = to_html(result, command=command, map_html=embedded, lang=lang)
        name = "gap-brief" if brief else "gap-report"
        suffix = "" if lang == "en" else f"-{lang}"  # the English and French reports side by side
        target = output or Path("reports") / f"{name}-{graph['year'] or 'all'}{suffix}.{extension}"
        write_atomic(target, content)
    click.echo(f"wrote {target}", err=True)


def _brief(result: dict[str, Any], *, fmt: str, command: str, with_map: bool, lang: str = "en") -> str | bytes:
    """The brief in ``fmt``; the map picture needs Chromium, and is left out with a warning without it."""
    from routes import brief
    from routes.i18n import _, language

    png, note = None, ""
    if with_map and fmt != "markdown":
        from routes._browser import BrowserError

        _import_folium()
        from routes.maps import corridor_map, map_png

        try:
            png = map_png(corridor_map(result["graph"], lang=lang), width=1280, height=800, scale=1)
        except BrowserError as exc:
            click.echo(f"Warning: The map picture is left out: {exc}. Run routes map to draw the map.", err=True)
            with language(lang):
                note = _("The map picture is left out: {reason}. Run routes map to draw the map.").format(reason=exc)
    blocks = brief.brief_blocks(result, command=command, map_png=png, map_note=note, lang=lang)
    if fmt == "docx":
        return brief.to_docx(blocks, lang=lang)
    if fmt == "markdown":
        return brief.to_markdown(blocks, lang=lang)
    return brief.to_html(blocks, lang=lang)


WHATIF_COLUMNS = (
    Column("route", "Route"),
    Column("gaps_before", "Gaps before", numeric=True),
    Column("gaps_after", "Gaps after", numeric=True),
    Column("closed", "Closed", numeric=True),
    Column("opened", "Opened", numeric=True),
    Column("flow_closed", "Flow closed", flow_text, numeric=True),
    Column("flow_opened", "Flow opened", flow_text, numeric=True),
    Column("unknown_flow_changed", "Changed, flow unknown", numeric=True),
)

CHANGE_COLUMNS = (
    Column("flow", "Flow", flow_text, numeric=True),
    Column("origin", "From"),
    Column("destination", "To"),
    Column("routes", "Routes", list_text),
    Column("tier_before", "Before"),
    Column("tier_after", "After"),
)


@main.command(context_settings=CONTEXT)
@selection_options
@click.option(
    "--add",
    "add_files",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Hypothetical instruments, in the partnerships.yaml format (repeatable).",
)
@click.option("--add-party", "add_parties", multiple=True, metavar="ID=CODE", help="Widen instrument ID by one party.")
@click.option(
    "--add-participant",
    "add_participants",
    multiple=True,
    metavar="ID=CODE",
    help="A member state joins instrument ID (one that lists its participants).",
)
@click.option(
    "--add-member", "add_members", multiple=True, metavar="GROUP=CODE", help="A country joins a group (a dialogue)."
)
@click.option("--remove", "remove_ids", multiple=True, metavar="ID", help="Leave instrument ID out (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, metavar="FILE", help="Write to FILE.")
@click.option(
    "--map",
    "map_file",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Also draw the scenario on a map (one HTML file): the gaps it closes and opens stand out.",
)
@lang_option("the --map page")
@_fail_on_errors
def whatif(
    data_dir: Path | None,
    add_files: tuple[Path, ...],
    add_parties: tuple[str, ...],
    add_participants: tuple[str, ...],
    add_members: tuple[str, ...],
    remove_ids: tuple[str, ...],
    fmt: str,
    output: Path | None,
    map_file: Path | None,
    lang: str,
    **selection: Any,
) -> None:
    """Show which gaps a change would close or open, and how much flow changes coverage.

    The data set on disk is never changed: the scenario is applied in memory.
    """
    from routes.dataset import load
    from routes.scenarios import Scenario, parse_additions, read_scenario_partnerships, run_scenario

    if not (add_files or add_parties or add_participants or add_members or remove_ids):
        raise click.UsageError(
            "say what changes: --add FILE, --add-party ID=CODE, --add-participant ID=CODE, "
            "--add-member GROUP=CODE or --remove ID"
        )
    dataset = load(data_dir)
    scenario = Scenario(
        add=tuple(p for path in add_files for p in read_scenario_partnerships(path, dataset)),
        add_parties=parse_additions(add_parties, dataset, option="--add-party"),
        add_participants=parse_additions(add_participants, dataset, option="--add-participant"),
        add_members=parse_additions(add_members, dataset, option="--add-member", groups=True),
        remove=tuple(remove_ids),
    )
    result = run_scenario(dataset, scenario, **_options(**selection))
    before = result.pop("before")
    after = result.pop("after")
    if map_file is not None:
        from routes._output import write_atomic

        _import_folium()
        from routes.maps import render_html, scenario_map

        if lang == "en":
            description = "; ".join(scenario.describe())
        else:
            from routes.i18n import country_name

            def name(code: str) -> str:
                return country_name(code, lang, dataset.countries[code].name if code in dataset.countries else code)

            description = "; ".join(scenario.describe(lang=lang, name=name))
        write_atomic(map_file, render_html(scenario_map(before, after, description=description, lang=lang)))
        click.echo(f"wrote {map_file}", err=True)
    if fmt == "json":
        payload = {"selection": _selection_json(before.graph), "changes": scenario.describe(), **result}
        _emit(json_text(payload), output)
        return
    title = f"What if: {'; '.join(scenario.describe())} — {describe_selection(before.graph)}"
    text = render(result["routes"], WHATIF_COLUMNS, fmt, title=title)
    for key, heading in (("closed", "Gaps closed"), ("opened", "Gaps opened")):
        rows = result[key]
        text += "\n" + (
            render(rows, CHANGE_COLUMNS, fmt, title=f"{heading}: {len(rows)}") if rows else f"{heading}: none\n"
        )
    for note in result["notes"]:
        text += f"\nNote: {note}\n"
    _emit(text, output)


RECOMMEND_COLUMNS = (
    Column("rank", "#", numeric=True),
    Column("description", "Action"),
    Column("actor", "By"),
    Column("segments", "Gaps closed", lambda s: ", ".join(f"{x['origin']}→{x['destination']}" for x in s)),
    Column("flow", "Known flow", flow_text, numeric=True),
    Column("unknown_flow_segments", "Flow unknown", numeric=True),
    Column("route_totals", "Routes (their totals)", routes_with_totals_text),
    Column("cumulative_flow", "Cumulative", flow_text, numeric=True),
)


@main.command(context_settings=CONTEXT)
@selection_options
@click.option(
    "--max", "max_actions", type=click.IntRange(min=1), default=5, show_default=True, help="How many actions."
)
@click.option(
    "--actor",
    type=click.Choice(["any", "eu", "member-state"]),
    default="any",
    show_default=True,
    help="Who acts: the EU, a member state, or anyone (third countries too).",
)
@click.option(
    "--exclude-country", "exclude_countries", multiple=True, metavar="CODE", help="No action names this country."
)
@click.option(
    "--exclude-action",
    "exclude_actions",
    multiple=True,
    type=click.Choice(["new-instrument", "add-participant", "add-member", "raise-tier"]),
    help="Leave out this kind of action (repeatable).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, metavar="FILE", help="Write to FILE.")
@_fail_on_errors
def recommend(
    data_dir: Path | None,
    max_actions: int,
    actor: str,
    exclude_countries: tuple[str, ...],
    exclude_actions: tuple[str, ...],
    fmt: str,
    output: Path | None,
    **selection: Any,
) -> None:
    """Recommend the actions that together close the most gap flow (greedy).

    Candidates are actions someone can take: a new instrument between the two
    ends of a gap, a member state joining an EU instrument, a country joining
    a dialogue, or raising an instrument below the minimum tier. The method is
    printed with the result.
    """
    from routes.countries import CountryResolver, describe_unknown
    from routes.dataset import load
    from routes.graph import build_graph
    from routes.recommend import METHOD
    from routes.recommend import recommend as pick

    dataset = load(data_dir)
    resolver = CountryResolver({c.code: c.name for c in dataset.countries.values()})
    excluded = []
    for value in exclude_countries:
        code = resolver.resolve(value)
        if code is None:
            raise click.BadParameter(describe_unknown(value, resolver), param_hint="--exclude-country")
        excluded.append(code)
    G = build_graph(dataset, **_options(**selection))
    picks = pick(
        G, dataset, max_actions=max_actions, actor=actor, exclude_countries=excluded, exclude_actions=exclude_actions
    )
    picks = [{"rank": i, **p} for i, p in enumerate(picks, start=1)]
    if fmt == "json":
        payload = {"selection": _selection_json(G.graph), "method": METHOD, "actions": picks}
        _emit(json_text(payload), output)
        return
    title = f"{len(picks)} recommended actions — {describe_selection(G.graph)}"
    _emit(render(picks, RECOMMEND_COLUMNS, fmt, title=title) + f"\nMethod: {METHOD}\n", output)


MAX_MAP_YEARS = 50


EXPORT_DEFAULTS = {
    "gpkg": "exports/corridors.gpkg",
    "graphml": "exports/corridors.graphml",
    "geojson": "exports/corridors-geojson",
    "csv": "exports/corridors-csv",
}


@main.command("export", context_settings=CONTEXT)
@selection_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_DEFAULTS)),
    default="gpkg",
    show_default=True,
    help="gpkg: a GeoPackage with nodes and edges layers (QGIS, ArcGIS); graphml: typed GraphML (Gephi, "
    "networkx); geojson: a folder with edges.geojson and nodes.geojson; csv: a folder with edges.csv, nodes.csv "
    "and selection.json.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    metavar="PATH",
    help="The file (gpkg, graphml) or folder (geojson, csv) to write; default exports/corridors.EXT or "
    "exports/corridors-FORMAT/.",
)
@_fail_on_errors
def export_command(data_dir: Path | None, fmt: str, output: Path | None, **selection: Any) -> None:
    """Export the corridor graph of the selection for GIS and graph tools.

    Segments are straight lines between the countries' points, in EPSG:4326;
    attributes are flat columns (lists as text, unknown flows empty); the
    selection goes with the data.
    """
    from routes.dataset import load
    from routes.export import save
    from routes.graph import build_graph

    G = build_graph(load(data_dir), **_options(**selection))
    written = save(G, output or Path(EXPORT_DEFAULTS[fmt]), fmt=fmt)
    for path in written:
        click.echo(f"wrote {path}", err=True)


def _parse_years(ctx: click.Context, param: click.Parameter, value: str | None) -> list[int] | None:
    """``2016-2024`` or ``2016,2019,2023`` (or both mixed) as a sorted list of years."""
    import re

    if value is None:
        return None
    years: set[int] = set()
    for part in value.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not match:
            raise click.BadParameter(f"{part.strip()!r} is not a year or a range of years (2016-2024 or 2016,2019)")
        start, end = int(match[1]), int(match[2] or match[1])
        if end < start:
            raise click.BadParameter(f"{part.strip()!r}: the range ends before it starts")
        if start < FIRST_YEAR or end > LAST_YEAR:
            raise click.BadParameter(f"{part.strip()!r}: years must lie within {FIRST_YEAR}..{LAST_YEAR}")
        years.update(range(start, end + 1))
    if len(years) > MAX_MAP_YEARS:
        raise click.BadParameter(f"{len(years)} years: one map holds at most {MAX_MAP_YEARS}")
    return sorted(years)


def _parse_size(ctx: click.Context, param: click.Parameter, value: str) -> tuple[int, int]:
    import re

    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", value)
    if not match or not (100 <= int(match[1]) <= 10000 and 100 <= int(match[2]) <= 10000):
        raise click.BadParameter(f"{value!r}: give WIDTHxHEIGHT in pixels, each 100..10000 (e.g. 1280x800)")
    return int(match[1]), int(match[2])


@main.command("map", context_settings=CONTEXT)
@selection_options
@click.option(
    "--years",
    callback=_parse_years,
    default=None,
    metavar="Y1-Y2|Y1,Y2,...",
    help="Several years in one map with a control to switch between them (2016-2024 or 2016,2019,2023); "
    "each year is judged on its 31 December. Not with --year or --as-of.",
)
@click.option(
    "--base-year",
    type=click.IntRange(FIRST_YEAR, LAST_YEAR),
    default=None,
    metavar="YEAR",
    help="Open the map comparing with this year (one of --years): gaps opened and closed since then stand out.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("maps") / "corridors.html",
    show_default=True,
    metavar="FILE",
    help="The map page to write (one self-contained HTML file).",
)
@click.option("--title", default=None, help="Title shown on the map.")
@click.option(
    "--tiles",
    metavar="NAME",
    default=None,
    help="Add a web tile base map (a provider such as OpenStreetMap, or a https://.../{z}/{x}/{y}.png URL). "
    "Off by default: without it the map makes no network request.",
)
@click.option(
    "--embed",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Also write a fragment to paste into another page: the map in an <iframe> that keeps the --size aspect "
    "ratio at any column width.",
)
@click.option(
    "--png",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Also write a static image for slides (headless Chromium through Playwright; $ROUTES_CHROMIUM to choose it).",
)
@click.option(
    "--size",
    callback=_parse_size,
    default="1280x800",
    show_default=True,
    metavar="WxH",
    help="Size in CSS pixels of the --png image (drawn at twice the resolution); its ratio is the --embed frame's.",
)
@lang_option("the map")
@_fail_on_errors
def map_command(
    data_dir: Path | None,
    years: list[int] | None,
    base_year: int | None,
    output: Path,
    title: str | None,
    tiles: str | None,
    embed: Path | None,
    png: Path | None,
    size: tuple[int, int],
    lang: str,
    **selection: Any,
) -> None:
    """Draw the corridors on an interactive map: one HTML file that works offline.

    Segments are arcs coloured by the depth of cooperation, gaps with a red
    halo, as wide as their known flow; countries are circles sized by the flow
    through them, with their names. The page has a legend, a caption, gaps
    only, a route to follow with its break points, an instrument picker,
    country pages and search, a table of the segments, CSV download, links
    that reopen the view, full screen and a print picture; with --years, a
    year switch and a comparison with a base year.
    """
    from routes._output import write_atomic
    from routes.dataset import load

    _import_folium()
    from routes.maps import corridor_map, embed_html, render_html

    if png is not None:
        from routes._browser import check_browser

        check_browser()
    with _progress() as bar:
        bar.add_task("drawing the map", total=None)
        m = corridor_map(
            load(data_dir),
            years=years,
            base_year=base_year,
            title=title,
            tiles=tiles,
            lang=lang,
            **_options(**selection),
        )
        page = render_html(m)
    write_atomic(output, page)
    click.echo(f"wrote {output} ({len(page.encode('utf-8')) / 1e6:.2f} MB)", err=True)
    width, height = size
    if embed is not None:
        write_atomic(embed, embed_html(m, width=width, height=height))
        click.echo(f"wrote {embed}", err=True)
    if png is not None:
        from routes.maps import save_png

        with _progress() as bar:
            bar.add_task("drawing the map in headless Chromium", total=None)
            save_png(m, png, width=width, height=height)
        click.echo(f"wrote {png}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
