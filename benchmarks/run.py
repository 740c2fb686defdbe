"""Measure routes on the bundled data set and on synthetic worlds; write BENCHMARKS.md.

    python -m benchmarks.run                      # every size, writes BENCHMARKS.md
    python -m benchmarks.run --sizes small,medium --out /tmp/B.md --repeat 1   # a quick look

Every timing is the median of several runs (fewer on the large set). Each result is
also given against a baseline measured in the same run: the naive coverage
computation of :mod:`benchmarks.naive` for the data steps, and geopandas'
``GeoDataFrame.explore()`` of the same segments for the map. Command-line timings
are wall-clock from a fresh process (start-up included). The map and the report are
measured only when their modules exist (``routes.maps``, ``routes.report``);
otherwise the table says "not available".
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import importlib
import importlib.metadata
import json
import os
import platform
import re
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
REPEATS = {"small": 7, "medium": 5, "large": 3}
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
    facts.update(
        rows=len(dataset.segments),
        segments=len({(r.route, r.origin, r.destination) for r in dataset.segments}),
        edges=G.number_of_edges(),
        countries=G.number_of_nodes(),
        routes=len(dataset.route_names),
        partnerships=len(dataset.partnerships),
        counted_partnerships=len(G.graph["partnerships"]),
        gaps=len(gaps),
        year=G.graph["year"],
    )

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

    # The map, against explore() of the same segments.
    try:
        if maps is None:
            run.add(Result(size, "map HTML (routes.maps)", None, note="not available: " + run.facts["maps_missing"]))
        else:
            n = 1 if size == "large" else k
            make_html = map_html_function(maps)
            make_html(G)  # warm up imports
            map_t, html = timed(lambda: make_html(G), n)
            explore_t, explore_html = timed(lambda: html_of(routes.graph_to_gdfs(G, nodes=False).explore()), n)
            nbytes, explore_bytes = len(html.encode("utf-8")), len(explore_html.encode("utf-8"))
            run.add(
                Result(
                    size,
                    "map HTML (routes.maps, in-process)",
                    map_t,
                    n,
                    nbytes,
                    "explore()",
                    explore_t,
                    explore_bytes,
                )
            )
            run.add(Result(size, "explore() of the same segments (baseline)", explore_t, n, explore_bytes))
            if run.facts.get("map_cli") and size != "large":
                out = tmp / f"map-{size}.html"
                args = [*cli, "map", *data_args, *run.facts["map_cli"], str(out)]
                t = shell_time(args, k)
                run.add(
                    Result(
                        size,
                        "`routes map` (wall, from the shell)",
                        t,
                        k,
                        out.stat().st_size,
                        "explore()",
                        explore_t,
                        explore_bytes,
                    )
                )
            if size == "medium":
                page = tmp / "map-medium.html"
                page.write_text(html, encoding="utf-8")
                selector, waits_for = ready_condition(maps)
                run.facts["browser_waits_for"] = waits_for
                t, note = browser_open_time(page, selector, 1 if run.repeat == 1 else 3)
                run.add(Result(size, "map opens in headless Chromium (to first arcs)", t, 3, note=note))
    except Exception as exc:  # a module being written may fail in any way: say so, measure the rest
        failed(run, size, "map HTML (routes.maps)", exc)

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
                t = shell_time(args, n)
                nbytes = out.stat().st_size if out.is_file() else None
                run.add(Result(size, "`routes report` (wall, from the shell)", t, n, nbytes, **base))
    except Exception as exc:
        failed(run, size, "report (routes.report)", exc)


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


def targets(run: Run) -> list[tuple[str, str, str]]:
    """(target, figure, verdict) for each target of issue 6."""
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
    if r and r.baseline_seconds:
        load = run.get("large", "load + validation")
        naive_pipeline = (load.seconds if load else 0) + r.baseline_seconds
        out.append(
            (
                "large, for information: load + graph + gaps vs load + naive coverage",
                f"{naive_pipeline / r.seconds:.1f}× ({_s(naive_pipeline)} vs {_s(r.seconds)})",
                "(information)",
            )
        )
    m, big = run.facts.get("medium", {}), run.facts.get("large", {})
    rm, rl = run.get("medium", "load + graph + gaps (in-process)"), run.get("large", "load + graph + gaps (in-process)")
    if rm and rl and m and big:
        time_ratio = rl.seconds / rm.seconds
        byte_ratio = big["input_bytes"] / m["input_bytes"]
        row_ratio = (big["rows"] + big["partnerships"]) / (m["rows"] + m["partnerships"])
        out.append(
            (
                "medium → large: time grows about linearly (time ratio ÷ size ratio ≤ 1.5)",
                f"time ×{time_ratio:.2f}; input bytes ×{byte_ratio:.2f} → {time_ratio / byte_ratio:.2f}; "
                f"rows + partnerships ×{row_ratio:.2f} → {time_ratio / row_ratio:.2f}",
                verdict(time_ratio / byte_ratio <= 1.5),
            )
        )
    mp = run.get("medium", "map HTML (routes.maps, in-process)")
    out.append(("medium: map rendered < 5 s", _s(mp.seconds) if mp else "—", verdict(mp and mp.seconds < 5)))
    out.append(
        (
            "medium: map HTML no larger than explore()'s",
            f"{_bytes(mp.nbytes)} vs {_bytes(mp.baseline_bytes)}" if mp else "—",
            verdict(mp and mp.nbytes <= mp.baseline_bytes),
        )
    )
    br = run.get("medium", "map opens in headless Chromium (to first arcs)")
    out.append(
        (
            "medium: map opens in headless Chromium (first arcs drawn) < 3 s",
            (_s(br.seconds) + (f" ({br.note})" if br.note else "")) if br else "—",
            verdict(None if br is None or br.seconds is None else br.seconds < 3),
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
        "| size | how it is made | countries | routes | segments | rows | edges | partnerships "
        "(counted on the day) | year | gaps | input |"
    )
    lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        f = run.facts.get(size, {})
        if not f:
            continue
        spec = synthetic.SIZES.get(size)
        how = (
            "the bundled `data/`"
            if spec is None
            else f"`python -m benchmarks.synthetic --size {size} --seed {run.facts['seed']}` "
            f"({spec.countries} countries requested, {spec.years} years)"
        )
        lines.append(
            f"| {size} | {how} | {f['countries']} | {f['routes']:,} | {f['segments']:,} | {f['rows']:,} "
            f"| {f['edges']:,} "
            f"| {f['partnerships']:,} ({f['counted_partnerships']:,}) | {f['year']} | {f['gaps']:,} "
            f"| {_bytes(f['input_bytes'])} |"
        )
    lines += [
        "",
        "## Results",
        "",
        "Median wall time of *runs* runs. *vs baseline*: the baseline's time ÷ this time, the baseline being the "
        "naive coverage of the same data set (every partnership checked for every segment, blocs expanded each "
        "time; `benchmarks/naive.py`) for the data steps, and `GeoDataFrame.explore()` of the same segments "
        "(`routes.graph_to_gdfs` edges, rendered to HTML) for the map. Shell timings start a fresh process "
        f"(`{run.facts.get('routes_command', 'routes')}`), so they include Python's start-up and the imports.",
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
    lines += ["", "## Targets", "", "| target | measured | verdict |", "| --- | --- | --- |"]
    lines += [f"| {t} | {fig} | {v} |" for t, fig, v in targets(run)]
    lines += [
        "",
        "## Method",
        "",
        "- `small` is the bundled data set as it is; `medium` and `large` are written by "
        "`benchmarks/synthetic.py` (seeded, byte-for-byte reproducible) into a temporary folder and pass "
        "`routes validate`. Positions and codes are the real ones of `data/countries.csv` (plus the 15 ISO codes "
        "it lacks, placed by hand), so 250 countries is every code there is.",
        "- In-process timings call the library as a program would: `routes.load` (reading and validating every "
        "file), `routes.build_graph`, `gap_records`, `summary_records`; one untimed load first warms up the "
        "imports. `load + graph + gaps` runs the three from the folder each time.",
        f"- Runs per measurement: small {REPEATS['small']}, medium {REPEATS['medium']}, large {REPEATS['large']} "
        f"(at least 5 for the fast steps); shell start-up {STARTUP_REPEATS}; the naive baseline once per size "
        "(it takes seconds). Once per size, outside the timings, the naive coverage is checked against "
        "`build_graph` on every segment: same full and partial partnerships, same class (the run stops if not).",
        "- Peak memory: `resource.getrusage(RUSAGE_SELF).ru_maxrss` of a fresh Python process, started through "
        "a small launcher process (Linux carries ru_maxrss over from the forked parent: started directly from "
        "the benchmark process, which holds the graphs and maps of the run, it would report that process's size).",
        f"- The map: `routes.maps` renders the graph to standalone HTML; the page is opened from disk in "
        f"headless Chromium ({CHROMIUM}, flags `{' '.join(CHROMIUM_ARGS)}`) through Playwright, timed from "
        f"navigation until {run.facts.get('browser_waits_for', 'the map is ready')} (median of 3, browser already "
        "started).",
        "- Linearity: the medium → large ratio of the `load + graph + gaps` time divided by the ratio of the input "
        "size (bytes of segments.csv + partnerships.yaml + blocs.yaml); about 1 means linear.",
    ]
    if run.problems:
        lines += ["", "## Problems met while measuring", ""] + [f"- {p}" for p in run.problems]
    if FINDINGS.is_file():
        lines += ["", FINDINGS.read_text(encoding="utf-8").strip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,large", help="comma-separated: small, medium, large")
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
            bench_size(run, size, folder, maps, report, tmp)
            if size != "small":
                run.facts[size]["peak_memory"] = peak_memory(folder)
                print(f"  {size} peak memory {_bytes(run.facts[size]['peak_memory'])}", file=sys.stderr)
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
