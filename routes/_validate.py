"""Field parsers shared by the data-set readers.

Each parser returns the parsed value, or records a :class:`Problem` and
returns None, so one pass over a file reports every problem in it.
"""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from dataclasses import dataclass, field
from typing import Any

from routes._errors import Problem
from routes._yaml import BadDate

THEMES: tuple[str, ...] = (
    "return-readmission",
    "legal-pathways",
    "border-management",
    "anti-smuggling",
    "protection",
    "development",
    "visa",
)

KINDS: tuple[str, ...] = (
    "mobility-partnership",
    "camm",
    "talent-partnership",
    "readmission-agreement",
    "statement",
    "declaration",
    "mou",
    "protocol",
    "compact",
    "bilateral-agreement",
    "dialogue",
    "migration-partnership",
    "treaty",
    "framework",
    "fund",
)

#: The years a data set and the options may name.
FIRST_YEAR, LAST_YEAR = 1900, 2100
#: More than any real count of people moving along a route in a year: a larger flow is a typing error.
MAX_FLOW = 1_000_000_000

#: Depth of cooperation an instrument gives, from the weakest to the strongest (see routes.coverage).
TIERS: tuple[str, ...] = ("forum", "political", "operational", "binding")

FLOW_STATUSES: tuple[str, ...] = (
    "ok",
    "approx",
    "prelim",
    "partial-year",
    "derived",
    "uncertain",
    "conflict",
)

_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # ASCII digits only: "٢٠١٧" is not a date
#: A number as the CSV files write it: ASCII digits, a decimal point, no sign, exponent or separator.
DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
#: A year as the CSV files write it.
YEAR = re.compile(r"[0-9]{4}")
_URL = re.compile(r"https?://", re.IGNORECASE)

#: How several sources are written in one CSV cell: URLs never contain spaces, so this is unambiguous.
SOURCE_SEPARATOR = " ; "


_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 60
_SHOWN.maxlist = _SHOWN.maxdict = _SHOWN.maxtuple = 4
_SHOWN.maxlevel = 2


def shown(value: Any) -> str:
    """A value as it appears in an error message: its repr, cut short (data may be large or hostile)."""
    return _SHOWN.repr(value)


@dataclass(frozen=True, order=True)
class When:
    """A date as a source gives it: a day, a month or only a year.

    ``day`` is the first day of the period; it is what the coverage rules
    compare. ``text`` is what the data set says, for display.
    """

    day: dt.date
    text: str = field(compare=False)

    @classmethod
    def of(cls, day: dt.date) -> When:
        return cls(day, day.isoformat())

    @property
    def exact(self) -> bool:
        return len(self.text) == 10

    def __str__(self) -> str:
        return self.text


def parse_when(value: str) -> When | None:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None when it is not a date."""
    match = _DATE.fullmatch(value.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        return When(dt.date(year, month or 1, day or 1), match.group(0))
    except ValueError:
        return None


@dataclass
class Collector:
    """Gathers the problems of one file."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int | None, field_name: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, field_name, message))

    def when(self, value: Any, line: int | None, name: str) -> When | None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return When.of(value)
        if isinstance(value, BadDate):
            self.add(line, name, f"{str(value)[:40]!r} is not a calendar date")
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        parsed = parse_when(value) if isinstance(value, str) else None
        if parsed is None:
            self.add(line, name, f"{shown(value)} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
        return parsed

    def text(self, value: Any, line: int | None, name: str, *, required: bool = True) -> str:
        if type(value) is str and (text := value.strip()):  # the common case, first
            return text
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(line, name, "is required and empty")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.add(line, name, f"must be text, not {type(value).__name__}")
            return ""
        return str(value).strip()

    def sources(self, value: Any, line: int | None, name: str = "source", *, csv: bool = False) -> tuple[str, ...]:
        """One source or a list of them (in a CSV cell: separated by " ; "), each with at most one URL.

        Two URLs joined into one string make one broken link in every output,
        so they are a data error whose message says how to split them.
        """
        if type(value) is str and value.count("://") < 2 and (not csv or SOURCE_SEPARATOR not in value):
            text = value.strip()  # one source: the common case, first
            if text:
                return (text,)
        if isinstance(value, list):
            items = value
        elif csv and isinstance(value, str):
            items = value.split(SOURCE_SEPARATOR)
        else:
            items = [value]
        before = len(self.problems)
        out: list[str] = []
        for item in items:
            text = self.text(item, line, name, required=False)
            if not text and len(items) > 1:
                self.add(line, name, "has an empty source in its list")
            elif len(_URL.findall(text)) > 1:
                how = f"separate them with '{SOURCE_SEPARATOR}'" if csv else "give a list: [url1, url2]"
                self.add(line, name, f"{text[:60]!r}… joins several URLs into one source; {how}")
            elif text:
                out.append(text)
        if not out and len(self.problems) == before:
            self.add(line, name, "is required and empty")
        return tuple(dict.fromkeys(out))

    def choice(self, value: Any, line: int | None, name: str, allowed: tuple[str, ...]) -> str | None:
        text = value.strip() if isinstance(value, str) else value
        if text in allowed:
            return text
        self.add(line, name, f"unknown {name} {shown(value)}; expected one of: {', '.join(allowed)}")
        return None

    def number(self, value: str, line: int, name: str) -> int | float | None:
        """A count written plainly (``12345`` or ``12.5``); a sign, an exponent or a separator is refused."""
        text = value.strip()
        if text.startswith("-") and DECIMAL.fullmatch(text[1:]):
            self.add(line, name, f"{value!r} is negative; flows are counts of zero or more")
            return None
        if not DECIMAL.fullmatch(text):
            self.add(line, name, f"{value!r} is not a number (write digits, with a point for decimals: 12345 or 12.5)")
            return None
        number: int | float = int(text) if text.isdigit() else float(text)
        if number > MAX_FLOW:
            self.add(line, name, f"{value!r} is larger than any real count ({MAX_FLOW:,}); check the figure")
            return None
        return number
