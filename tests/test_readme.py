"""The README stays true: its Python example runs and its console examples print what it shows."""

from __future__ import annotations

import re
import shlex

import pytest

from tests.conftest import ROOT, run

README = (ROOT / "README.md").read_text(encoding="utf-8")


def console_examples() -> list[tuple[str, list[str]]]:
    """(command, the output lines shown after it) for every `$ routes …` line of a console block."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        command, shown = None, []
        for line in [*block.splitlines(), "$ end"]:
            if line.startswith("$ "):
                if command:
                    examples.append((command, shown))
                command, shown = line[2:], []
            elif command and line.strip() and "…" not in line:
                shown.append(line)
    return [(c, s) for c, s in examples if c.startswith("routes ")]


def test_readme_has_the_two_fresh_machine_commands():
    assert "pip install . && routes gaps" in README
    assert "bash scripts/test.sh" in README
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_python_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the example writes files
    code = re.search(r"## Python\n\n```python\n(.*?)```", README, re.S).group(1)
    exec(compile(code, "README.md", "exec"), {})


@pytest.mark.parametrize(("command", "shown"), console_examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_readme_console_example_prints_what_it_shows(command, shown):
    result = run(*shlex.split(command)[1:])
    assert result.exit_code == 0, result.stderr
    for line in shown:
        assert line in result.output, f"{command!r} no longer prints {line!r}"
