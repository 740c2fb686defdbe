"""Measure routes on the bundled data set and on synthetic worlds; write BENCHMARKS.md.

    python -m benchmarks.run                      # every size, writes BENCHMARKS.md
    python -m benchmarks.run --sizes small,medium --out /tmp/B.md --repeat 1   # a quick look
    python -m benchmarks.run --sizes admin1-25k,admin1-200k --repeat 1 --out /tmp/B.md

Every timing is the median of several runs (fewer on the large sets). Each result is
also given against a baseline measured in the same run: the naive coverage
computation of :mod:`benchmarks.naive` for the data steps (on a sample of segments
for the admin-1 sizes), and geopandas' ``GeoDataFrame.explore()`` of the same
segments for the map. Command-line timings are wall-clock from a fresh process
(start-up included); ``routes gaps --format csv`` is also compared in CPU time with
the minimal reader of :mod:`benchmarks.floor`. Over the admin-1 sizes (5,000 regions,
25k to 200k segments) the growth of each step with the number of segments is fitted.
The map and the report are measured only when their modules exist (``routes.maps``,
``routes.report``); otherwise the table says "not available".
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import importlib
import importlib.metadata
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import routes
from benchmarks import synthetic
from benchmarks.naive import disagreements, naive_coverage
from routes._browser import CHROMIUM_ARGS as BROWSER_ARGS
from routes.analysis import gap_records, summary_records
from routes.dataset import bundled_data_path
from routes.graph import build_graph

ROOT = Path(__file__).resolve().parent.parent
FINDINGS = Path(__file__).with_name("findings.md")

#: Runs per measurement, by size (the median is reported).
#: Rounds of `routes report` and `routes gaps --format csv` taking turns on the large set.
REPORT_TURNS = 3
#: The bundled map page's size limit (the limit of 650 kB held for the features of 0.2: benchmarks/findings.md).
MAP_PAGE_LIMIT = 1_000_000
GAPS_IN_TURN = "`routes gaps --format csv` (wall, from the shell, taking turns with `routes report`)"
REPEATS = {"small": 7, "medium": 5, "large": 3, "admin1-25k": 3, "admin1-50k": 3, "admin1-100k": 2, "admin1-200k": 2}
ADMIN1 = synthetic.ADMIN1_SIZES
DEFAULT_SIZES = ("small", "medium", "large", *ADMIN1)
#: Segments the naive baseline judges on an admin-1 world (about half a second each there: each of
#: the ~5,000 EU-level instruments expands the EU's ~600 member regions again for every segment).
NAIVE_SAMPLE = 30
#: Runs of the CPU-time comparison of ``routes gaps --format csv`` with benchmarks.floor.
CPU_REPEATS = 5
#: Runs of the command-line start-up measurements.
STARTUP_REPEATS = 9

CHROMIUM = "/usr/bin/chromium"
#: A segment drawn: Leaflet's SVG renderer puts each arc as a ``path`` in the overlay pane, or in
#: the pane routes.maps makes for its arcs.
FIRST_PATH = ".leaflet-routesArcs-pane path, .leaflet-overlay-pane path"
CHROMIUM_ARGS = list(BROWSER_ARGS)

#: Modules that ``routes gaps`` must not import.
HEAVY = ("pandas", "geopandas", "shapely", "folium", "branca", "matplotlib", "playwright", "routes.maps")

GB = 1_000_000_000


@dataclass
class Result:
    size: str
    name: str
    seconds: float | None
    runs: int = 0
    nbytes: int | None = None
    baseline: str = ""
    baseline_seconds: float | None = None
    baseline_bytes: int | None = None
    note: str = ""


@dataclass
class Run:
    repeat: int | None
    results: list[Result] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, result: Result) -> Result:
        self.results.append(result)
        shown = "n/a" if result.seconds is None else f"{result.seconds:.3f} s"
        extra = f", {result.nbytes:,} B" if result.nbytes is not None else ""
        print(f"  {result.size:<7} {result.name:<44} {shown}{extra} {result.note}", file=sys.stderr, flush=True)
        return result

    def get(self, size: str, name: str) -> Result | None:
        return next((r for r in self.results if r.size == size and r.name == name), None)


# -- timing ------------------------------------------------------------------------------


def timed(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time of ``runs`` calls of ``func`` and the last result."""
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def routes_command() -> list[str]:
    """The installed ``routes`` script, as a user runs it (or ``python -m routes``)."""
    script = shutil.which("routes")
    return [script] if script else [sys.executable, "-m", "routes"]


def shell_time(args: list[str], runs: int, *, cwd: Path | None = None) -> float:
    """Median wall-clock time of a command from a fresh process; it must exit 0."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return statistics.median(times)


def data_facts(dataset: Any, G: Any, gaps: list) -> dict[str, Any]:
    """What the data set table says of a size: its rows, segments, graph, instruments and gaps."""
    return {
        "rows": len(dataset.segments),
        "segments": len({(r.route, r.origin, r.destination) for r in dataset.segments}),
        "edges": G.number_of_edges(),
        "countries": G.number_of_nodes(),
        "routes": len(dataset.route_names),
        "partnerships": len(dataset.partnerships),
        "counted_partnerships": len(G.graph["partnerships"]),
        "gaps": len(gaps),
        "year": G.graph["year"],
    }


def shell_times_in_turn(commands: list[list[str]], runs: int) -> list[float]:
    """Median wall-clock time of each command, the commands taking turns in each round.

    Two commands compared with each other are timed this way on a shared
    machine: a slow minute then slows both, not just the one that ran in it.
    """
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for args, spent in zip(commands, times, strict=True):
            spent.append(shell_time(args, 1))
    return [statistics.median(spent) for spent in times]


def cpu_time(args: list[str], runs: int, *, cwd: Path | None = None) -> tuple[float, str]:
    """Median CPU time (user + system) of a command in a fresh process, and its last output; it must exit 0.

    Measured as the change of ``getrusage(RUSAGE_CHILDREN)`` around each run: the
    process's own CPU time, without the benchmark's and without time spent waiting.
    """
    times, out = [], ""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(args, capture_output=True, text=True, cwd=cwd, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
        times.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        out = done.stdout
    return statistics.median(times), out


def gap_list(csv_text: str) -> list[tuple[str, str, str]]:
    """(origin, destination, tier) of each gap in a CSV of gaps, sorted."""
    import csv
    import io

    return sorted((r["origin"], r["destination"], r["tier"]) for r in csv.DictReader(io.StringIO(csv_text)))


def fitted_exponent(points: list[tuple[float, float]]) -> float | None:
    """The least-squares slope of log(y) against log(x): y grows as x to this power."""
    points = [(x, y) for x, y in points if x > 0 and y and y > 0]
    if len(points) < 2:
        return None
    xs, ys = [math.log(x) for x, _ in points], [math.log(y) for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else None


# -- optional parts ----------------------------------------------------------------------


def optional_module(name: str) -> tuple[Any, str]:
    """The module, or None and why it is not available."""
    try:
        return importlib.import_module(name), ""
    except Exception as exc:  # a module being written may fail in any way
        return None, f"{type(exc).__name__}: {exc}"


def html_of(made: Any) -> str:
    """The HTML text of whatever a map function returns (folium Map, str, bytes, path)."""
    if isinstance(made, tuple):
        made = made[0]
    if isinstance(made, bytes):
        return made.decode("utf-8")
    if isinstance(made, Path):
        return made.read_text(encoding="utf-8")
    if isinstance(made, str):
        return made
    if hasattr(made, "get_root"):
        return made.get_root().render()
    if hasattr(made, "render"):
        return made.render()
    raise TypeError(f"cannot get HTML from {type(made).__name__}")


def map_html_function(maps: Any) -> Callable[[Any], str]:
    """How to make the map's standalone HTML from a graph with routes.maps."""
    for name in ("map_html", "corridor_map_html", "render_map", "to_html"):
        func = getattr(maps, name, None)
        if callable(func):
            return lambda G, func=func: html_of(func(G))
    return lambda G: html_of(maps.corridor_map(G))


def ready_condition(maps: Any) -> tuple[str, str]:
    """A CSS selector present once the map has drawn its segments, and what it stands for.

    The map's own ready marker when the maps module has one (the selector its own
    browser code waits for), else the first ``path`` drawn in Leaflet's overlay pane.
    """
    sources = []
    for name in ("routes._browser", "routes.maps"):
        module = sys.modules.get(name) or optional_module(name)[0]
        if module is not None and getattr(module, "__file__", None):
            sources.append(Path(module.__file__).read_text(encoding="utf-8"))
    for source in sources:
        match = re.search(r"wait_for_selector\(\s*(['\"])(.+?)\1", source)
        if match:
            return match.group(2), f"the map's ready marker `{match.group(2)}`"
    return FIRST_PATH, "the first `path` of the segments layer"


def browser_open_time(html_file: Path, selector: str, runs: int) -> tuple[float | None, str]:
    """Median time from navigation until ``selector`` is in the page, in headless Chromium (Playwright).

    A selector, not a JavaScript condition: the map's Content-Security-Policy forbids eval.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, "Playwright not installed (pip install '.[bench]')"
    if not Path(CHROMIUM).exists():
        return None, f"{CHROMIUM} not found (apt-get install chromium)"
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for _ in range(runs):
                page = browser.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                start = time.perf_counter()
                page.goto(html_file.as_uri(), wait_until="commit")
                page.wait_for_selector(selector, state="attached", timeout=60_000)
                times.append(time.perf_counter() - start)
                if page.query_selector(FIRST_PATH) is None:
                    errors.append("ready, but no segment drawn as an SVG path yet")
                page.close()
                if errors:
                    return statistics.median(times), "page errors: " + "; ".join(errors[:3])
        finally:
            browser.close()
    return statistics.median(times), ""


# -- the measurements --------------------------------------------------------------------


def bench_startup(run: Run) -> None:
    routes_cli = routes_command()
    n = 1 if run.repeat == 1 else STARTUP_REPEATS
    run.facts["routes_command"] = " ".join(routes_cli)
    run.add(Result("—", "`routes --help` (wall, from the shell)", shell_time([*routes_cli, "--help"], n), n))
    run.add(Result("small", "`routes gaps` (wall, from the shell)", shell_time([*routes_cli, "gaps"], n), n))
    probe = (
        "import contextlib, io, json, sys\n"
        "from routes.cli import main\n"
        "sys.argv = ['routes', 'gaps']\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    run.facts["heavy_modules_in_gaps"] = json.loads(out.strip().splitlines()[-1])


def bench_size(run: Run, size: str, folder: Path, maps: Any, report: Any, tmp: Path) -> None:
    k = run.repeat or REPEATS[size]
    quick = max(k, 5)
    cli = routes_command()
    data_args = [] if size == "small" else ["--data", str(folder)]
    files = [folder / n for n in ("segments.csv", "partnerships.yaml", "blocs.yaml")]
    facts = run.facts.setdefault(size, {})
    facts["input_bytes"] = sum(f.stat().st_size for f in files)

    routes.load(folder)  # warm up imports and the country table, as a long-running process has them
    load_t, dataset = timed(lambda: routes.load(folder), k)
    graph_t, G = timed(lambda: build_graph(dataset), k)
    gaps_t, gaps = timed(lambda: gap_records(G), quick)
    summary_t, _ = timed(lambda: summary_records(G), quick)
    pipeline_t, _ = timed(lambda: gap_records(build_graph(routes.load(folder))), k)
    facts.update(data_facts(dataset, G, gaps))

    # The naive baseline: timed once (it is slow), then checked against build_graph outside the timing.
    as_of = dt.date.fromisoformat(G.graph["as_of"])
    gc.collect()
    start = time.perf_counter()
    naive = naive_coverage(dataset, as_of)
    naive_t = time.perf_counter() - start
    wrong = disagreements(G, naive)
    if wrong:
        raise SystemExit(f"{size}: the naive coverage and build_graph disagree:\n" + "\n".join(wrong[:10]))
    facts["naive_agrees"] = True
    base = {"baseline": "naive coverage", "baseline_seconds": naive_t}
    run.add(Result(size, "naive coverage (baseline, every partnership × segment)", naive_t, 1))
    run.add(Result(size, "load + validation", load_t, k, **base))
    run.add(Result(size, "build graph (coverage, flows)", graph_t, k, **base))
    run.add(Result(size, "gap analysis (gap_records)", gaps_t, quick, **base))
    run.add(Result(size, "route summary (summary_records)", summary_t, quick, **base))
    run.add(Result(size, "load + graph + gaps (in-process)", pipeline_t, k, **base))
    if size != "small":
        run.add(
            Result(size, "`routes gaps` (wall, from the shell)", shell_time([*cli, "gaps", *data_args], k), k, **base)
        )
    run.add(
        Result(size, "`routes summary` (wall, from the shell)", shell_time([*cli, "summary", *data_args], k), k, **base)
    )
    n = 1 if size == "large" else k
    validate_t = shell_time([*cli, "validate", *data_args], n)
    run.add(Result(size, "`routes validate` (wall, from the shell)", validate_t, n, **base))
    if size in ("small", "large"):
        bench_floor(run, size, folder, data_args)

    # The map, against explore() of the same segments (each part measured even when another fails).
    if maps is None:
        run.add(Result(size, "map HTML (routes.maps)", None, note="not available: " + run.facts["maps_missing"]))
    else:
        n = 1 if size == "large" else k
        html = None
        explore_t = explore_bytes = None
        try:
            explore_t, explore_html = timed(lambda: html_of(routes.graph_to_gdfs(G, nodes=False).explore()), n)
            explore_bytes = len(explore_html.encode("utf-8"))
            del explore_html
        except Exception as exc:  # explore() needs matplotlib and mapclassify (pip install '.[bench]')
            failed(run, size, "explore() of the same segments (baseline)", exc)
        against = {"baseline": "explore()", "baseline_seconds": explore_t, "baseline_bytes": explore_bytes}
        try:
            make_html = map_html_function(maps)
            make_html(G)  # warm up imports
            map_t, html = timed(lambda: make_html(G), n)
            nbytes = len(html.encode("utf-8"))
            run.add(Result(size, "map HTML (routes.maps, in-process)", map_t, n, nbytes, **against))
            if explore_t is not None:
                run.add(Result(size, "explore() of the same segments (baseline)", explore_t, n, explore_bytes))
        except Exception as exc:  # a module being written may fail in any way: say so, measure the rest
            failed(run, size, "map HTML (routes.maps)", exc)
        try:
            if run.facts.get("map_cli") and size != "large":
                out = tmp / f"map-{size}.html"
                args = [*cli, "map", *data_args, *run.facts["map_cli"], str(out)]
                t = shell_time(args, k)
                run.add(Result(size, "`routes map` (wall, from the shell)", t, k, out.stat().st_size, **against))
        except Exception as exc:
            failed(run, size, "`routes map` (wall, from the shell)", exc)
        try:
            if size == "medium" and html is not None:
                page = tmp / "map-medium.html"
                page.write_text(html, encoding="utf-8")
                selector, waits_for = ready_condition(maps)
                run.facts["browser_waits_for"] = waits_for
                t, note = browser_open_time(page, selector, 1 if run.repeat == 1 else 3)
                run.add(Result(size, "map opens in headless Chromium (to first arcs)", t, 3, note=note))
        except Exception as exc:
            failed(run, size, "map opens in headless Chromium (to first arcs)", exc)

    # The report.
    try:
        if report is None:
            run.add(Result(size, "report (routes.report)", None, note="not available: " + run.facts["report_missing"]))
        else:
            n = 1 if size == "large" else k
            build = getattr(report, "build_report", None)
            if callable(build):
                t, _ = timed(lambda: build(dataset), n)
                run.add(Result(size, "report tables (build_report)", t, n, **base))
            if run.facts.get("report_cli"):
                out = tmp / f"report-{size}.html"
                args = [*cli, "report", *data_args, *run.facts["report_cli"], str(out)]
                if size == "large":  # the report against the gaps: the two take turns
                    n = 1 if run.repeat == 1 else REPORT_TURNS
                    gaps_csv = [*cli, "gaps", "--format", "csv", *data_args]
                    t, t_gaps = shell_times_in_turn([args, gaps_csv], n)
                    run.add(Result(size, GAPS_IN_TURN, t_gaps, n))
                else:
                    t = shell_time(args, n)
                nbytes = out.stat().st_size if out.is_file() else None
                run.add(Result(size, "`routes report` (wall, from the shell)", t, n, nbytes, **base))
    except Exception as exc:
        failed(run, size, "report (routes.report)", exc)


def bench_floor(run: Run, size: str, folder: Path, data_args: list[str]) -> None:
    """``routes gaps --format csv`` against benchmarks.floor: wall time, CPU time, and the same gaps."""
    cli = routes_command()
    gaps_csv = [*cli, "gaps", "--format", "csv", *data_args]
    n = 1 if run.repeat == 1 else CPU_REPEATS
    run.add(Result(size, "`routes gaps --format csv` (wall, from the shell)", shell_time(gaps_csv, n), n))
    gaps_cpu, gaps_out = cpu_time(gaps_csv, n)
    floor_cpu, floor_out = cpu_time([sys.executable, "-m", "benchmarks.floor", str(folder)], n, cwd=ROOT)
    same = gap_list(gaps_out) == gap_list(floor_out)
    note = f"{len(gap_list(gaps_out))} gaps, " + ("the same as the floor's" if same else "**not the floor's**")
    run.add(Result(size, "`routes gaps --format csv` (CPU time, user + system)", gaps_cpu, n, note=note))
    run.add(Result(size, "`python -m benchmarks.floor` (CPU time, user + system)", floor_cpu, n))
    run.facts[size]["floor_same_gaps"] = same
    if not same:
        run.problems.append(f"{size}: `routes gaps --format csv` and benchmarks.floor list different gaps")


def bench_admin1(run: Run, size: str, folder: Path) -> None:
    """An admin-1 world: the data steps, the naive baseline on a sample of segments, and `routes gaps`."""
    k = run.repeat or REPEATS[size]
    files = [folder / n for n in ("segments.csv", "partnerships.yaml", "blocs.yaml")]
    run.facts.setdefault(size, {})["input_bytes"] = sum(f.stat().st_size for f in files)
    routes.load(bundled_data_path())  # warm up the imports (a whole load of this size takes seconds)
    admin1_steps(run, size, folder, k)  # its data set and graph are let go before the next timings
    pipeline_t, _ = timed(lambda: len(gap_records(build_graph(routes.load(folder)))), k)
    run.add(Result(size, "load + graph + gaps (in-process)", pipeline_t, k))
    shell = shell_time([*routes_command(), "gaps", "--format", "csv", "--data", str(folder)], 1)
    run.add(Result(size, "`routes gaps --format csv` (wall, from the shell)", shell, 1))


def admin1_steps(run: Run, size: str, folder: Path, k: int) -> None:
    """Each step timed apart, and the naive baseline on a sample of segments."""
    facts = run.facts[size]
    load_t, dataset = timed(lambda: routes.load(folder), k)
    graph_t, G = timed(lambda: build_graph(dataset), k)
    gaps_t, gaps = timed(lambda: gap_records(G), max(k, 3))
    summary_t, _ = timed(lambda: summary_records(G), max(k, 3))
    facts.update(data_facts(dataset, G, gaps))

    # The naive baseline on a seeded sample of segments, checked against build_graph on them.
    as_of = dt.date.fromisoformat(G.graph["as_of"])
    sample = random.Random(f"naive-sample:{run.facts['seed']}:{size}").sample(
        sorted(G.edges()), min(NAIVE_SAMPLE, G.number_of_edges())
    )
    gc.collect()
    start = time.perf_counter()
    naive = naive_coverage(dataset, as_of, segments=sample)
    naive_t = time.perf_counter() - start
    wrong = disagreements(G, naive)
    if wrong:
        raise SystemExit(f"{size}: the naive coverage and build_graph disagree:\n" + "\n".join(wrong[:10]))
    facts["naive_agrees"] = True
    facts["naive_sample"] = len(sample)
    whole = naive_t / len(sample) * G.number_of_edges()  # extrapolated to every segment
    base = {"baseline": "naive coverage", "baseline_seconds": whole}
    about = f"{whole / 3600:.1f} h" if whole >= 3600 else _s(whole)
    note = f"{len(sample)} of {G.number_of_edges():,} segments; about {about} for all of them"
    run.add(Result(size, "naive coverage on a sample (baseline)", naive_t, 1, note=note))
    run.add(Result(size, "load + validation", load_t, k))
    run.add(Result(size, "build graph (coverage, flows)", graph_t, k, **base))
    run.add(Result(size, "gap analysis (gap_records)", gaps_t, max(k, 3)))
    run.add(Result(size, "route summary (summary_records)", summary_t, max(k, 3)))


def failed(run: Run, size: str, name: str, exc: Exception) -> None:
    message = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    run.add(Result(size, name, None, note=f"failed: {message}"))
    run.problems.append(f"{size}, {name}: {message}")


def peak_memory(folder: Path) -> int:
    """Peak resident memory (bytes) of a fresh process that loads, builds the graph and lists the gaps.

    Linux carries a process's ru_maxrss over from the process it was forked from (the
    forked copy of this big process counts), so the measured process is started by a
    small launcher process, whose copy is small.
    """
    code = (
        "import resource, sys\n"
        "import routes\n"
        "from routes.analysis import gap_records\n"
        "gap_records(routes.build_graph(routes.load(sys.argv[1])))\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    launcher = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"
    args = [sys.executable, "-c", launcher, sys.executable, "-c", code, str(folder)]
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) * 1024  # ru_maxrss is in KiB on Linux


def cli_options(command: str) -> list[str] | None:
    """Arguments that make ``routes COMMAND`` write an HTML file to the path given after them."""
    done = subprocess.run([*routes_command(), command, "--help"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return None
    text = done.stdout
    args: list[str] = []
    if re.search(r"--format\b", text) and "html" in text:
        args += ["--format", "html"]
    if re.search(r"--output\b", text):
        return [*args, "--output"]
    if re.search(r"--out\b", text):
        return [*args, "--out"]
    return None


# -- the report ----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    info: dict[str, str] = {}
    with contextlib.suppress(OSError):
        cpu = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpu, re.M)
        info["CPU"] = model.group(1).strip() if model else platform.processor()
        flags = re.search(r"^flags\s*:\s*(.+)$", cpu, re.M)
        if flags and "hypervisor" in flags.group(1).split():
            info["CPU"] += " (virtual machine)"
    info["cores"] = f"{len(os.sched_getaffinity(0))} usable ({os.cpu_count()} online)"
    with contextlib.suppress(OSError):
        mem = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        if mem:
            info["RAM"] = f"{int(mem.group(1)) / 1024**2:.1f} GiB"
    info["OS"] = f"{platform.system()} {platform.release()}"
    info["Python"] = f"{platform.python_version()} ({platform.python_implementation()})"
    versions = []
    for name in ("networkx", "PyYAML", "pycountry", "click", "rich", "geopandas", "pandas", "shapely", "folium"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions.append(f"{name} {importlib.metadata.version(name)}")
    info["packages"] = ", ".join(versions)
    extras = []
    for name in ("matplotlib", "mapclassify", "playwright"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            extras.append(f"{name} {importlib.metadata.version(name)}")
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        if out:
            extras.append(out)
    info["benchmark tools"] = ", ".join(extras)
    try:
        import yaml

        info["YAML parser"] = "libyaml (CSafeLoader)" if getattr(yaml, "__with_libyaml__", False) else "pure Python"
    except ImportError:  # pragma: no cover
        pass
    return info


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _bytes(n: int | None) -> str:
    if n is None:
        return "—"
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def _ratio(result: Result) -> str:
    if result.seconds is None or not result.baseline_seconds:
        return "—"
    ratio = result.baseline_seconds / result.seconds
    return f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.1f}× slower"


def _bytes_ratio(result: Result) -> str:
    if result.nbytes is None or not result.baseline_bytes:
        return "—"
    return f"{result.nbytes / result.baseline_bytes:.2f}× explore()"


def growth(run: Run) -> dict[str, float | None]:
    """Over the admin-1 sizes measured: the fitted exponent of each step's time against the segments."""
    sizes = [size for size in ADMIN1 if run.facts.get(size, {}).get("segments")]
    out: dict[str, float | None] = {}
    for key, name in (
        ("load", "load + validation"),
        ("graph", "build graph (coverage, flows)"),
        ("pipeline", "load + graph + gaps (in-process)"),
    ):
        points = []
        for size in sizes:
            r = run.get(size, name)
            if r and r.seconds:
                points.append((run.facts[size]["segments"], r.seconds))
        out[key] = fitted_exponent(points)
    out["memory"] = fitted_exponent(
        [(run.facts[size]["segments"], run.facts[size].get("peak_memory")) for size in sizes]
    )
    out["sizes"] = sizes  # type: ignore[assignment]
    return out


def targets(run: Run) -> list[tuple[str, str, str]]:
    """(target, figure, verdict) for each target of issue 13 (and those of issue 6 that still hold)."""
    out: list[tuple[str, str, str]] = []

    def verdict(ok: bool | None) -> str:
        return "not available" if ok is None else ("met" if ok else "**not met**")

    r = run.get("small", "`routes gaps` (wall, from the shell)")
    out.append(
        ("`routes gaps` on the bundled data < 1 s wall", _s(r.seconds) if r else "—", verdict(r and r.seconds < 1))
    )
    heavy = run.facts.get("heavy_modules_in_gaps")
    if heavy is not None:
        out.append(
            (
                "`routes gaps` imports no map/report/geopandas/pandas",
                ", ".join(heavy) or "none of " + ", ".join(HEAVY),
                verdict(not heavy),
            )
        )
    r = run.get("large", "load + graph + gaps (in-process)")
    out.append(("large: load + graph + gaps < 3 s", _s(r.seconds) if r else "—", verdict(r and r.seconds < 3)))
    mem = run.facts.get("large", {}).get("peak_memory")
    out.append(("large: peak memory < 1 GB", _bytes(mem), verdict(None if mem is None else mem < GB)))
    g = run.get("large", "build graph (coverage, flows)")
    if g and g.baseline_seconds:
        ratio = g.baseline_seconds / g.seconds
        out.append(
            (
                "large: ≥ 20× faster than the naive coverage (build_graph vs naive, both cover every segment)",
                f"{ratio:.0f}× ({_s(g.baseline_seconds)} vs {_s(g.seconds)})",
                verdict(ratio >= 20),
            )
        )
    top = ADMIN1[-1]
    r = run.get(top, "load + graph + gaps (in-process)")
    out.append((f"{top}: load + graph + gaps < 8 s", _s(r.seconds) if r else "—", verdict(r and r.seconds < 8)))
    mem = run.facts.get(top, {}).get("peak_memory")
    out.append((f"{top}: peak memory < 1 GB", _bytes(mem), verdict(None if mem is None else mem < GB)))
    fit = growth(run)
    sizes = fit.pop("sizes") or []
    span = f"{sizes[0]} → {sizes[-1]}, {len(sizes)} sizes" if len(sizes) > 1 else "needs two admin-1 sizes"
    whole = fit["pipeline"]
    out.append(
        (
            "admin-1: time of load + graph + gaps grows at most as segments^1.1 (fitted exponent ≤ 1.1, 25k → 200k)",
            (f"{whole:.2f} ({span}); load {fit['load']:.2f}, graph {fit['graph']:.2f}" if whole is not None else span)
            + (f", peak memory {fit['memory']:.2f}" if fit.get("memory") is not None else ""),
            verdict(None if whole is None else whole <= 1.1),
        )
    )
    rep, gaps_csv = run.get("large", "`routes report` (wall, from the shell)"), run.get("large", GAPS_IN_TURN)
    if rep and gaps_csv and rep.seconds and gaps_csv.seconds:
        ratio = rep.seconds / gaps_csv.seconds
        out.append(
            (
                "large: `routes report --format html` ≤ 3× `routes gaps --format csv` (wall)",
                f"{ratio:.1f}× ({_s(rep.seconds)} vs {_s(gaps_csv.seconds)})",
                verdict(ratio <= 3),
            )
        )
    else:
        out.append(("large: `routes report --format html` ≤ 3× `routes gaps --format csv` (wall)", "—", verdict(None)))
    for size, limit in (("small", 3), ("large", 2)):
        mine = run.get(size, "`routes gaps --format csv` (CPU time, user + system)")
        floor = run.get(size, "`python -m benchmarks.floor` (CPU time, user + system)")
        what = "the bundled data" if size == "small" else size
        name = f"{what}: `routes gaps --format csv` ≤ {limit}× the CPU time of `benchmarks.floor` (same gaps)"
        if mine and floor and mine.seconds and floor.seconds:
            ratio = mine.seconds / floor.seconds
            same = run.facts.get(size, {}).get("floor_same_gaps")
            figure = f"{ratio:.2f}× ({_s(mine.seconds)} vs {_s(floor.seconds)})" + (
                "" if same else "; **the gap lists differ**"
            )
            out.append((name, figure, verdict(ratio <= limit and bool(same))))
        else:
            out.append((name, "—", verdict(None)))
    page = run.get("small", "`routes map` (wall, from the shell)")
    size_text = _bytes(page.nbytes) if page and page.nbytes else "—"
    out.append(
        (
            f"bundled map page (`routes map -o FILE`) < {_bytes(MAP_PAGE_LIMIT)} (with the features of 0.3)",
            size_text,
            verdict(None if not page or page.nbytes is None else page.nbytes < MAP_PAGE_LIMIT),
        )
    )
    r = run.get("large", "load + graph + gaps (in-process)")
    if r and g and g.baseline_seconds:
        load = run.get("large", "load + validation")
        naive_pipeline = (load.seconds if load else 0) + g.baseline_seconds
        out.append(
            (
                "large, for information: load + graph + gaps vs load + naive coverage",
                f"{naive_pipeline / r.seconds:.1f}× ({_s(naive_pipeline)} vs {_s(r.seconds)})",
                "(information)",
            )
        )
    return out


def write_markdown(run: Run, path: Path, sizes: list[str], elapsed: float) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python -m benchmarks.run` on "
        f"{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} in {elapsed / 60:.1f} min. "
        "Do not edit the tables by hand: run the command again.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
    ]
    lines += [f"| {k} | {v} |" for k, v in machine().items()]
    lines += ["", "## Data sets", ""]
    lines.append(
        "| size | how it is made | countries (regions) | routes | segments | rows | edges | partnerships "
        "(counted on the day) | year | gaps | input |"
    )
    lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        f = run.facts.get(size, {})
        if not f:
            continue
        spec = synthetic.SIZES.get(size)
        nodes = "regions" if spec is not None and spec.level == "admin1" else "countries"
        how = (
            "the bundled `data/`"
            if spec is None
            else f"`python -m benchmarks.synthetic --size {size} --seed {run.facts['seed']}` "
            f"({spec.countries:,} {nodes} requested, {spec.years} years)"
        )
        lines.append(
            f"| {size} | {how} | {f['countries']:,} | {f['routes']:,} | {f['segments']:,} | {f['rows']:,} "
            f"| {f['edges']:,} "
            f"| {f['partnerships']:,} ({f['counted_partnerships']:,}) | {f['year']} | {f['gaps']:,} "
            f"| {_bytes(f['input_bytes'])} |"
        )
    lines += [
        "",
        "## Results",
        "",
        "Median wall time of *runs* runs (CPU time where the measure says so). *vs baseline*: the baseline's time "
        "÷ this time, the baseline being the naive coverage of the same data set (every partnership checked for "
        "every segment, blocs expanded each time; `benchmarks/naive.py`; on the admin-1 sizes timed on a sample "
        "of segments and extrapolated to all of them) for the data steps, and `GeoDataFrame.explore()` of the "
        "same segments (`routes.graph_to_gdfs` edges, rendered to HTML) for the map. Shell timings start a fresh "
        f"process (`{run.facts.get('routes_command', 'routes')}`), so they include Python's start-up and the "
        "imports.",
        "",
        "| data set | measure | median | runs | vs baseline | HTML | HTML vs explore() | note |",
        "| --- | --- | ---: | ---: | --- | ---: | --- | --- |",
    ]
    for r in run.results:
        lines.append(
            f"| {r.size} | {r.name} | {_s(r.seconds)} | {r.runs or '—'} | {_ratio(r)} | {_bytes(r.nbytes)} "
            f"| {_bytes_ratio(r)} | {r.note} |"
        )
    mem = {s: run.facts.get(s, {}).get("peak_memory") for s in sizes}
    lines += ["", "Peak memory (max RSS of a fresh process: `load` + `build_graph` + `gap_records`): "]
    lines[-1] += "; ".join(f"{s} {_bytes(m)}" for s, m in mem.items() if m) + "."
    admin = [size for size in ADMIN1 if run.facts.get(size, {}).get("segments")]
    if admin:
        lines += [
            "",
            "### Growth over the admin-1 sizes",
            "",
            "| size | segments | rows | load | graph | gaps | load + graph + gaps | peak memory |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for size in admin:
            f = run.facts[size]
            times = [
                run.get(size, name)
                for name in (
                    "load + validation",
                    "build graph (coverage, flows)",
                    "gap analysis (gap_records)",
                    "load + graph + gaps (in-process)",
                )
            ]
            cells = " | ".join(_s(t.seconds) if t else "—" for t in times)
            lines.append(f"| {size} | {f['segments']:,} | {f['rows']:,} | {cells} | {_bytes(f.get('peak_memory'))} |")
        fit = growth(run)
        if fit["pipeline"] is not None:
            shown = ", ".join(
                f"{label} {fit[key]:.2f}"
                for key, label in (
                    ("load", "load"),
                    ("graph", "graph"),
                    ("pipeline", "load + graph + gaps"),
                    ("memory", "peak memory"),
                )
                if fit.get(key) is not None
            )
            lines += [
                "",
                "Fitted growth exponents (least-squares slope of log(time) against log(segments); 1 is linear): "
                + shown
                + ".",
            ]
    lines += ["", "## Targets", "", "| target | measured | verdict |", "| --- | --- | --- |"]
    lines += [f"| {t} | {fig} | {v} |" for t, fig, v in targets(run)]
    lines += [
        "",
        "## Method",
        "",
        "- `small` is the bundled data set as it is; `medium`, `large` and the `admin1-*` worlds are written by "
        "`benchmarks/synthetic.py` (seeded, byte-for-byte reproducible) into a temporary folder and pass "
        "`routes validate`; generating them is not timed. In `medium` and `large` the codes and positions are "
        "the real ones of `data/countries.csv` (plus the 15 ISO codes it lacks, placed by hand), so 250 countries "
        "is every code there is. The `admin1-*` worlds have about 5,000 regions as nodes (three-letter codes "
        "that are no ISO code, listed with their positions in the folder's `countries.csv`, jittered around "
        "their country's), 25k to 200k segments, 20,000 instruments and 10 years: an internal EU of the regions "
        "of the EU's member states (with the states' membership dates), six regional dialogues of 30-60 member "
        "regions, EU-level instruments with one partner region (some naming participating member regions), "
        "dialogue-wide instruments, lists of 30-60 regions, bilateral instruments between regions along the "
        "routes; some suspended, some ended, a few with their tier overridden.",
        "- In-process timings call the library as a program would: `routes.load` (reading and validating every "
        "file), `routes.build_graph`, `gap_records`, `summary_records`; one untimed load first warms up the "
        "imports (on the admin-1 sizes, a load of the bundled data). `load + graph + gaps` runs the three from "
        "the folder each time.",
        f"- Runs per measurement: {', '.join(f'{k} {v}' for k, v in REPEATS.items())} (at least 5 for the fast "
        f"steps, 3 on the admin-1 sizes); shell start-up {STARTUP_REPEATS}; the naive baseline once per size "
        "(it takes seconds). Once per size, outside the timings, the naive coverage is checked against "
        "`build_graph`: same full and partial partnerships, same class (the run stops if not) - on every "
        f"segment of `small`, `medium` and `large`, and on a seeded random sample of {NAIVE_SAMPLE} segments "
        "of each admin-1 world (there the naive reading takes about half a second per segment, as each of "
        "the ~5,000 EU-level instruments expands the EU's ~600 member regions again for every segment: all "
        "segments would take hours). The sample's time, extrapolated to every segment, is the admin-1 "
        "baseline.",
        "- Growth: on the admin-1 sizes (the same 5,000 regions and 20,000 instruments, 25k to 200k segments), "
        "the least-squares slope of log(time) against log(segments) for each step; 1 means the time grows in "
        "proportion to the segments, less than 1 that a part of the work (the instruments, the regions) does "
        "not grow with them.",
        "- Peak memory: `resource.getrusage(RUSAGE_SELF).ru_maxrss` of a fresh Python process, started through "
        "a small launcher process (Linux carries ru_maxrss over from the forked parent: started directly from "
        "the benchmark process, which holds the graphs and maps of the run, it would report that process's size).",
        f"- CPU time: `resource.getrusage(RUSAGE_CHILDREN)` before and after each run of a command (user + "
        f"system time of that process alone), median of {CPU_REPEATS}: `routes gaps --format csv` against "
        "`python -m benchmarks.floor DIR`, the least work that lists the same gaps (csv module and PyYAML's C "
        "loader, no validation, the same coverage index); both gap lists are compared (origin, destination, "
        "tier).",
        "- The report against the gaps: `routes report --format html --output FILE` (the report page, with its "
        f"map) and `routes gaps --format csv` on the large set, wall time from a fresh process each, the two "
        f"taking turns ({REPORT_TURNS} rounds, median of each), so that a slow minute of the machine slows both.",
        "- The map page: the size of the file `routes map --output FILE` writes for the bundled data set; the "
        "limit of 650 kB was for the page with the features of 0.2 (see the findings), 1 MB is for the page "
        "with those of 0.3.",
        f"- The map in a browser: `routes.maps` renders the graph to standalone HTML; the page is opened from disk "
        f"in headless Chromium ({CHROMIUM}, flags `{' '.join(CHROMIUM_ARGS)}`) through Playwright, timed from "
        f"navigation until {run.facts.get('browser_waits_for', 'the map is ready')} (median of 3, browser already "
        "started).",
    ]
    if run.problems:
        lines += ["", "## Problems met while measuring", ""] + [f"- {p}" for p in run.problems]
    if FINDINGS.is_file():
        lines += ["", FINDINGS.read_text(encoding="utf-8").strip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(DEFAULT_SIZES),
        help=f"comma-separated, of: {', '.join(REPEATS)} (default: all of them)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md", help="the Markdown file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (default: by size)")
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the generated data sets here")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in sizes:
        if size not in REPEATS:
            parser.error(f"unknown size {size!r}")
    began = time.perf_counter()
    run = Run(args.repeat)
    run.facts["seed"] = args.seed
    maps, why = optional_module("routes.maps")
    run.facts["maps_missing"] = why
    report, why = optional_module("routes.report")
    run.facts["report_missing"] = why
    run.facts["map_cli"] = cli_options("map") if maps is not None else None
    run.facts["report_cli"] = cli_options("report") if report is not None else None

    with tempfile.TemporaryDirectory(prefix="routes-bench-") as scratch:
        tmp = Path(scratch)
        data_root = args.data_dir or tmp / "data"
        print("start-up", file=sys.stderr)
        bench_startup(run)
        for size in sizes:
            if size == "small":
                folder = bundled_data_path()
            else:
                folder = data_root / f"{size}-seed{args.seed}"
                start = time.perf_counter()
                synthetic.generate(folder, size, seed=args.seed)
                run.facts.setdefault(size, {})["generate_seconds"] = time.perf_counter() - start
            print(f"{size}: {folder}", file=sys.stderr)
            if size in ADMIN1:
                bench_admin1(run, size, folder)
            else:
                bench_size(run, size, folder, maps, report, tmp)
            if size != "small":
                run.facts[size]["peak_memory"] = peak_memory(folder)
                print(f"  {size} peak memory {_bytes(run.facts[size]['peak_memory'])}", file=sys.stderr)
            if size in ADMIN1 and args.data_dir is None:
                shutil.rmtree(folder)  # up to 100 MB each
    write_markdown(run, args.out, sizes, time.perf_counter() - began)
    raw = ROOT / ".benchmarks" / "results.json"
    raw.parent.mkdir(exist_ok=True)
    raw.write_text(
        json.dumps({"results": [r.__dict__ for r in run.results], "facts": run.facts}, indent=2, default=str) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out} and {raw}", file=sys.stderr)
    for target, figure, verdict in targets(run):
        print(f"{verdict:>14}  {target}: {figure}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
