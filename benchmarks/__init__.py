"""Benchmarks for routes: a synthetic world generator, a naive baseline and the runner.

Run ``python -m benchmarks.run`` from the repository root; it writes BENCHMARKS.md.
Nothing here is collected by the test suite (``testpaths = ["tests"]``).
"""
