"""Results that are tables, for notebooks: still lists and dicts, shown as tables, one call from a DataFrame.

``recommend``, ``compare``/``run_scenario`` and ``path_records`` return
records (lists of dicts) that the command line formats. In Jupyter a list of
dicts prints as a wall of text; these thin subclasses keep every list and dict
behaviour (so code that reads them is unchanged) and add ``_repr_html_`` and
``to_frame()``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def _cell(value: Any) -> Any:
    """Lists and mappings as short text in a DataFrame cell; everything else as it is."""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(_cell(v)) for v in value)
    if isinstance(value, Mapping) and "origin" in value and "destination" in value:  # a segment
        return f"{value['origin']}→{value['destination']}"
    if isinstance(value, Mapping):
        return "; ".join(f"{k} ({v})" for k, v in value.items())
    return value


class RecordList(list):
    """A list of records (dicts) that shows as a table in notebooks and converts to a DataFrame."""

    def __init__(self, records: Iterable[dict[str, Any]] = (), *, columns: Sequence[str] | None = None) -> None:
        super().__init__(records)
        self.columns = tuple(columns) if columns is not None else None

    def to_frame(self, *, flat: bool = True) -> Any:
        """A pandas DataFrame of the records; ``flat`` turns lists and mappings into text cells.

        Missing values stay missing (``None``/``NaN``), never 0.
        """
        import pandas as pd

        rows = [{k: _cell(v) for k, v in r.items()} if flat else dict(r) for r in self]
        columns = list(self.columns) if self.columns is not None else None
        return pd.DataFrame(rows, columns=columns)

    def _repr_html_(self) -> str:
        if not self:
            return "<p><em>No records.</em></p>"
        return self.to_frame()._repr_html_()


class RecordSets(dict):
    """A dict whose record lists show as titled tables in notebooks (other values as text)."""

    def frame(self, key: str) -> Any:
        """The records under ``key`` as a DataFrame."""
        value = self[key]
        return (value if isinstance(value, RecordList) else RecordList(value)).to_frame()

    def _repr_html_(self) -> str:
        parts = []
        for key, value in self.items():
            title = f"<h4>{html.escape(str(key))}</h4>"
            if isinstance(value, RecordList):
                parts.append(title + value._repr_html_())
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                items = "".join(f"<li>{html.escape(v)}</li>" for v in value) or "<li><em>none</em></li>"
                parts.append(f"{title}<ul>{items}</ul>")
            elif isinstance(value, int | float | str) or value is None:
                parts.append(f"{title}<p>{html.escape(str(value))}</p>")
            # graphs and other objects are left out of the picture; they stay in the dict
        return "".join(parts)
