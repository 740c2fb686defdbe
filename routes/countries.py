"""Country codes and names: resolve what users write to ISO 3166-1 alpha-3.

pycountry supplies the ISO table; the aliases below add the English forms
that ISO does not list but that sources and users write every day.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache, cached_property

KOSOVO = "XKX"

#: Common English names that are not ISO short, official or common names.
ALIASES: dict[str, str] = {
    "turkey": "TUR",
    "ivory coast": "CIV",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "dr congo": "COD",
    "drc": "COD",
    "democratic republic of the congo": "COD",
    "democratic republic of congo": "COD",
    "congo kinshasa": "COD",
    "congo brazzaville": "COG",
    "republic of the congo": "COG",
    "kosovo": KOSOVO,
    "uk": "GBR",
    "great britain": "GBR",
    "britain": "GBR",
    "united states": "USA",
    "usa": "USA",
    "us": "USA",
    "uae": "ARE",
    "emirates": "ARE",
    "russia": "RUS",
    "syria": "SYR",
    "iran": "IRN",
    "macedonia": "MKD",
    "fyrom": "MKD",
    "former yugoslav republic of macedonia": "MKD",
    "bosnia": "BIH",
    "czech republic": "CZE",
    "holland": "NLD",
    "burma": "MMR",
    "east timor": "TLS",
    "palestine": "PSE",
    "vatican": "VAT",
    "south korea": "KOR",
    "north korea": "PRK",
    "laos": "LAO",
    "vietnam": "VNM",
    "moldova": "MDA",
    "tanzania": "TZA",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "gambia": "GMB",
    "sao tome and principe": "STP",
    "hong kong": "HKG",
    "macao": "MAC",
    "macau": "MAC",
}

_CODE = re.compile(r"[A-Z]{3}")


def normalise(name: str) -> str:
    """Fold case, accents, punctuation and a leading 'the' so names compare."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[’'`.,()]", "", text)
    text = re.sub(r"[-/&]+", " ", text.replace("&", " and "))
    text = re.sub(r"\s+", " ", text).strip()
    return text.removeprefix("the ")


@cache
def _iso_table() -> tuple[dict[str, str], dict[str, str]]:
    """ISO names by code and codes by normalised name (built once, lazily)."""
    import pycountry

    names: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_3
        names[code] = getattr(country, "common_name", None) or country.name
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                by_name.setdefault(normalise(value), code)
    names[KOSOVO] = "Kosovo"
    for alias, code in ALIASES.items():
        by_name[normalise(alias)] = code
    return names, by_name


def iso_name(code: str) -> str | None:
    """The ISO (common) English name of a code, or None if it is not a country code."""
    return _iso_table()[0].get(code)


class CountryResolver:
    """Turn codes or names into alpha-3 codes.

    Parameters
    ----------
    extra
        Codes and names a data set adds (from its ``countries.csv``), by code.
    """

    def __init__(self, extra: Mapping[str, str] | None = None) -> None:
        self._extra = dict(extra or {})
        # A data set writes the same few values many times, mostly the codes of its countries.csv:
        # those resolve without loading the ISO table (pycountry), which is built on the first miss.
        self._resolved: dict[str, str | None] = {code: code for code in self._extra}

    @cached_property
    def _tables(self) -> tuple[set[str], dict[str, str]]:
        names, by_name = _iso_table()
        by_name = dict(by_name)
        for code, name in self._extra.items():
            if name:
                by_name.setdefault(normalise(name), code)
        return set(names) | set(self._extra), by_name

    @property
    def _codes(self) -> set[str]:
        return self._tables[0]

    @property
    def _by_name(self) -> dict[str, str]:
        return self._tables[1]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self._codes)

    def resolve(self, value: str) -> str | None:
        """The code for ``value``, or None when it is neither a known code nor name."""
        try:
            return self._resolved[value]
        except KeyError:
            code = self._resolved[value] = self._resolve(value)
            return code

    def _resolve(self, value: str) -> str | None:
        text = value.strip()
        if _CODE.fullmatch(text.upper()) and text.upper() in self._codes:
            return text.upper()
        return self._by_name.get(normalise(text))

    def suggest(self, value: str, *, limit: int = 3) -> list[str]:
        """Close known codes or names, formatted as 'Name (CODE)'."""
        key = normalise(value)
        names, _ = _iso_table()
        short = len(key) <= 3
        candidates = [c.casefold() for c in self._codes] if short else [n for n in self._by_name if len(n) > 3]
        found: list[str] = []
        for match in difflib.get_close_matches(key, candidates, n=limit * 2, cutoff=0.6):
            code = self._by_name.get(match) or match.upper()
            label = f"{names.get(code, match)} ({code})"
            if label not in found:
                found.append(label)
        return found[:limit]


def describe_unknown(value: str, resolver: CountryResolver) -> str:
    """The message for a value that is not a country, with suggestions."""
    hints = resolver.suggest(value)
    message = f"unknown country {value!r}"
    return message + (f"; did you mean {_or_list(hints)}?" if hints else "")


def _or_list(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def search_names(codes: Iterable[str], extra: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """Every normalised name (ISO names, usual English forms, the data set's own) and the code, by code.

    The map's search matches what a user types against these, normalised the
    same way (:func:`normalise`), so it accepts what this module resolves.
    """
    _, by_name = _iso_table()
    found: dict[str, set[str]] = {code: {code.casefold()} for code in codes}
    for name, code in by_name.items():
        if code in found:
            found[code].add(name)
    for code, name in (extra or {}).items():
        if code in found and name:
            found[code].add(normalise(name))
    return {code: sorted(names) for code, names in sorted(found.items())}
