"""The floor for ``routes gaps --format csv``: the least work that gives the same gap list.

    python -m benchmarks.floor DIR > gaps.csv

It reads the files with the csv module and PyYAML's C loader, trusts every
field (no validation, no line numbers, no country names resolved), builds the
coverage index of :mod:`routes.coverage` and prints the gaps' origin,
destination and tier as CSV. The benchmark suite times it in a fresh process
beside ``routes gaps --format csv`` on the same data set and checks that both
list the same gaps: the ratio says what validation, formatting and start-up
cost above the necessary.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import yaml

from routes._validate import When, parse_when
from routes.coverage import CoverageIndex
from routes.dataset import Group, Membership, Partnership, Period

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _when(value: object) -> When:
    if isinstance(value, dt.date):
        return When.of(value)
    parsed = parse_when(str(value))
    assert parsed is not None
    return parsed


def gap_rows(folder: Path) -> list[tuple[str, str, str]]:
    """(origin, destination, tier) of every gap in the latest year with flows, as of its 31 December."""
    with open(folder / "segments.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    year = max(int(r["year"]) for r in rows if r["year"] and r["flow"])
    segments = sorted({(r["origin"], r["destination"]) for r in rows})
    groups = {}
    for code, entry in (yaml.load((folder / "blocs.yaml").read_text(encoding="utf-8"), Loader=_LOADER) or {}).items():
        members = tuple(
            Membership(m["code"], _when(m["from"]), _when(m["until"]) if m.get("until") else None)
            for m in entry["members"]
        )
        groups[code] = Group(code, code, (), members, bool(entry.get("internal")))
    partnerships = []
    for e in yaml.load((folder / "partnerships.yaml").read_text(encoding="utf-8"), Loader=_LOADER):
        partnerships.append(
            Partnership(
                e["id"],
                e["name"],
                e["kind"],
                tuple(e["parties"]),
                _when(e["signed"]),
                e.get("binding"),
                tuple(e["themes"]),
                (),
                in_force=_when(e["in_force"]) if e.get("in_force") else None,
                ended=_when(e["ended"]) if e.get("ended") else None,
                participants=tuple(e.get("participants") or ()),
                suspended=tuple(
                    Period(_when(s["from"]), _when(s["until"]) if s.get("until") else None)
                    for s in e.get("suspended") or ()
                ),
                tier=e.get("tier"),
            )
        )
    index = CoverageIndex.build(partnerships, groups, dt.date(year, 12, 31))
    out = []
    for origin, destination in segments:
        judged = index.judge(origin, destination)
        if judged.gap:
            out.append((origin, destination, judged.tier))
    return out


def main() -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["origin", "destination", "tier"])
    writer.writerows(gap_rows(Path(sys.argv[1])))


if __name__ == "__main__":
    main()
