"""Exception types: one per kind of failure, so callers can tell them apart."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a data set, located precisely enough to fix it."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class RoutesError(Exception):
    """Base class of every error this package raises on purpose."""


class DataError(RoutesError):
    """The data set is missing, unreadable or invalid.

    ``problems`` lists every problem found, not only the first, so a user can
    fix a file in one pass.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


class SelectionError(RoutesError, ValueError):
    """An option does not fit the data set (unknown theme, kind, route, rule...)."""


class OutputError(RoutesError):
    """An output file could not be written."""


def _problem_order(problem: Problem) -> tuple:
    return (problem.file, problem.line or 0, problem.field or "", problem.message)
