"""The ``routes`` command: parse options, call the library, format the output.

Exit codes: 0 success, 1 bad data (or an output that could not be written),
2 wrong usage.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from routes._errors import DataError, OutputError, RoutesError, SelectionError
from routes._validate import KINDS, THEMES
from routes.formats import FORMATS, Column, flow_text, list_text, render, share_text, short_list

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


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
        click.option("--year", type=int, default=None, help="Year whose flows are used (default: latest with flows)."),
        click.option(
            "--as-of",
            type=click.DateTime(formats=["%Y-%m-%d"]),
            default=None,
            metavar="YYYY-MM-DD",
            help="Day coverage is judged on (default: 31 December of --year).",
        ),
        click.option(
            "--rule",
            type=click.Choice(["both", "either"]),
            default="both",
            show_default=True,
            help="both: a gap lacks a partnership between BOTH ends; either: a gap has none at EITHER end.",
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


def _graph(data_dir: Path | None, **selection: Any) -> Any:
    from routes.dataset import load
    from routes.graph import build_graph

    as_of = selection.pop("as_of")
    return build_graph(
        load(data_dir),
        year=selection["year"],
        as_of=as_of.date() if isinstance(as_of, dt.datetime) else as_of,
        rule=selection["rule"],
        themes=selection["themes"] or None,
        kinds=selection["kinds"] or None,
        exclude_kinds=selection["exclude_kinds"] or None,
        binding_only=selection["binding_only"],
        routes=selection["route_names"] or None,
    )


def describe_selection(graph: dict[str, Any]) -> str:
    """One line saying what was counted, for titles and captions."""
    parts = [f"year {graph['year'] if graph['year'] is not None else 'n/a'}", f"as of {graph['as_of']}"]
    parts.append(f"rule {graph['rule']}")
    if graph["themes"]:
        parts.append("themes " + ", ".join(graph["themes"]))
    if graph["kinds"]:
        parts.append("kinds " + ", ".join(graph["kinds"]))
    if graph["exclude_kinds"]:
        parts.append("excluding " + ", ".join(graph["exclude_kinds"]))
    if graph["binding_only"]:
        parts.append("binding only")
    if graph["routes"]:
        parts.append("routes " + ", ".join(graph["routes"]))
    return "; ".join(parts)


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

    Countries are nodes, route segments (A → B) are directed edges, and a
    segment is covered when a partnership active on the day counts both of
    its countries among its parties (blocs such as the EU expand to their
    members on that day). See the README for the data format and the rules.
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
    report = quality_report(dataset)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    counts = report["counts"]
    span = f"{counts['years'][0]}–{counts['years'][1]}" if counts["years"] else "no years"
    click.echo(
        f"{dataset.path}: OK — {counts['segments']} segments on {len(dataset.route_names)} routes, "
        f"{counts['rows_with_flow']} of {counts['rows']} rows with a flow ({span}), "
        f"{counts['partnerships']} partnerships, {counts['blocs']} bloc(s)."
    )
    for warning in report["warnings"]:
        click.echo(f"warning: {warning}")
    click.echo(
        f"Unknown or uncertain: {len(report['segments_without_flow'])} segments without any flow, "
        f"{len(report['uncertain_flows'])} uncertain or conflicting figures, "
        f"{len(report['uncertain_partnerships'])} partnerships with uncertain facts, "
        f"{len(report['unknown_binding'])} with unknown legal force."
        + ("" if quality else " Use --quality for the lists.")
    )
    if quality:
        click.echo(_quality_text(report), nl=False)


def _quality_text(report: dict[str, Any]) -> str:
    lines = ["", "Flow figures by status: " + ", ".join(f"{k} {v}" for k, v in report["flow_status"].items())]
    lines += ["", "Segments without any flow:"]
    lines += [f"  {s['route']}: {s['origin']} → {s['destination']}" for s in report["segments_without_flow"]] or [
        "  none"
    ]
    lines += ["", "Routes and years with no flow on any segment:"]
    gaps = {r: ys for r, ys in report["route_years_without_flow"].items() if ys}
    lines += [f"  {route}: {', '.join(map(str, years))}" for route, years in gaps.items()] or ["  none"]
    lines += ["", "Uncertain or conflicting figures:"]
    lines += [
        f"  line {f['line']}: {f['route']} {f['origin']} → {f['destination']} {f['year']} ({f['status']})"
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


GAP_TABLE = (
    Column("flow", "Flow", flow_text, numeric=True),
    Column("origin_name", "From"),
    Column("destination_name", "To"),
    Column("routes", "Routes", list_text),
    Column("coverage", "Coverage"),
    Column("partial", "Partial (one end)", lambda ids: f"{len(ids)}: {short_list(ids)}" if ids else "—"),
    Column("flow_status", "Figure", lambda s: s or "—"),
)


@main.command(context_settings=CONTEXT)
@selection_options
@output_options
@_fail_on_errors
def gaps(data_dir: Path | None, fmt: str, output: Path | None, **selection: Any) -> None:
    """List the gap segments, ranked by flow (unknown flows last)."""
    from routes.analysis import gap_records

    G = _graph(data_dir, **selection)
    records = gap_records(G)
    noun = "gap" if len(records) == 1 else "gaps"
    title = f"{len(records)} {noun} of {G.number_of_edges()} segments — {describe_selection(G.graph)}"
    _emit(render(records, GAP_TABLE, fmt, title=title), output)


SUMMARY_TABLE = (
    Column("route", "Route"),
    Column("segments", "Segments", numeric=True),
    Column("gaps", "Gaps", numeric=True),
    Column("gap_share", "Gap share", share_text, numeric=True),
    Column("known_flow", "Known flow", flow_text, numeric=True),
    Column("gap_flow", "Flow on gaps", flow_text, numeric=True),
    Column("gap_flow_share", "Flow share on gaps", share_text, numeric=True),
    Column("unknown_flow_segments", "Segments, flow unknown", numeric=True),
    Column("unknown_flow_gaps", "… of which gaps", numeric=True),
)


@main.command(context_settings=CONTEXT)
@selection_options
@output_options
@click.option("--paths", is_flag=True, help="Also show each route's paths from origin to end with their break points.")
@_fail_on_errors
def summary(data_dir: Path | None, fmt: str, output: Path | None, paths: bool, **selection: Any) -> None:
    """Per route: segments, share of gaps, and share of known flow on gaps."""
    from routes.analysis import path_records, summary_records

    G = _graph(data_dir, **selection)
    records = summary_records(G)
    title = f"Route summary — {describe_selection(G.graph)}"
    if fmt == "json":
        payload: dict[str, Any] = {"selection": _selection_json(G.graph), "routes": records}
        if paths:
            payload["paths"] = path_records(G)
        _emit(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", output)
        return
    text = render(records, SUMMARY_TABLE, fmt, title=title)
    if paths:
        text += "\n" + _paths_text(path_records(G), G, markdown=fmt == "markdown")
    _emit(text, output)


def _selection_json(graph: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in graph.items() if k != "partnerships"}


def _paths_text(routes: list[dict[str, Any]], G: Any, *, markdown: bool) -> str:
    lines = ["Whole-route view (break points are gap segments):"]
    bullet = "- " if markdown else "  "
    for route in routes:
        lines.append("")
        lines.append(f"{'### ' if markdown else ''}{route['route']}")
        for path in route["paths"]:
            chain = " → ".join(path["countries"])
            breaks = ", ".join(f"{u}→{v}" for u, v in path["break_points"]) or "none"
            lines.append(f"{bullet}{chain}  [break points: {breaks}]")
        if route["truncated"]:
            lines.append(f"{bullet}(more paths not shown)")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    main()
