"""Profile loading (with validation), graph building and the gap analysis with cProfile.

    python -m benchmarks.profile --size large            # generates the world in a temporary folder
    python -m benchmarks.profile --data DIR --top 30     # any data set folder

Prints, for each step, the functions that take the most time of their own.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

import routes
from benchmarks import synthetic
from routes.analysis import gap_records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(synthetic.SIZES), default="large")
    parser.add_argument("--data", type=Path, default=None, help="profile this data set folder instead")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=20, help="functions listed per step")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="routes-profile-") as scratch:
        folder = args.data or synthetic.generate(Path(scratch) / args.size, args.size, seed=args.seed)
        routes.load(folder)  # warm up imports and the country table
        state: dict = {}
        steps = {
            "load (read + validate)": lambda: state.update(dataset=routes.load(folder)),
            "build_graph": lambda: state.update(G=routes.build_graph(state["dataset"])),
            "gap_records": lambda: gap_records(state["G"]),
        }
        for name, step in steps.items():
            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.runcall(step)
            elapsed = time.perf_counter() - start
            print(f"\n=== {name}: {elapsed:.3f} s under the profiler ===")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
