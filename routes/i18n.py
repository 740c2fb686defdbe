"""The languages of the outputs: one gettext catalogue, numbers and country names per language.

Half of the partners read French, so the map, the report and the brief can be
written in English or French. Every interface string is a msgid of one
catalogue, ``routes/locale/routes.pot`` (extracted by ``pybabel extract``, see
docs/translating.md), translated in ``routes/locale/<lang>/LC_MESSAGES/routes.po``.
The .po is read with Babel at run time, so no compiled .mo file is kept in the
repository. Country names come from the ISO 3166-1 translations that pycountry
ships; route and instrument names, notes, measures and sources are the data's
and are never translated.

The language of the output being written is a context variable: the public
functions (``lang="fr"``) set it for the time they run, so the shared helpers
(:func:`routes.formats.flow_text`, :func:`routes.formats.describe_selection`...)
follow it without every caller passing it on. English is the default and
gives exactly the text the package wrote before it had languages.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import re
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

#: The languages of the outputs; the first is the default and the language of the msgids.
LANGUAGES: tuple[str, ...] = ("en", "fr")
DOMAIN = "routes"
LOCALE_DIR = Path(__file__).with_name("locale")
#: Babel's locale for each language (numbers).
_LOCALES = {"en": "en_US", "fr": "fr_FR"}

_LANG: ContextVar[str] = ContextVar("routes_lang", default="en")


def check_language(lang: str) -> str:
    """``lang`` when it is one of :data:`LANGUAGES`; a SelectionError (a bad option) otherwise."""
    if lang not in LANGUAGES:
        from routes._errors import SelectionError

        raise SelectionError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return lang


@contextlib.contextmanager
def language(lang: str) -> Iterator[str]:
    """Write in ``lang`` inside the block (only in the calling thread or task)."""
    token = _LANG.set(check_language(lang))
    try:
        yield lang
    finally:
        _LANG.reset(token)


def current() -> str:
    """The language being written."""
    return _LANG.get()


# -- the catalogue -------------------------------------------------------------------------------


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def catalog(lang: str) -> Any:
    """The language's catalogue as Babel reads it (``babel.messages.Catalog``), or None for English."""
    if check_language(lang) == LANGUAGES[0]:
        return None
    from babel.messages.pofile import read_po

    with open(po_path(lang), "rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


@functools.cache
def translator(lang: str) -> gettext.NullTranslations:
    """A gettext translator for ``lang``, built once from the .po (fuzzy and empty translations left out).

    English is the language of the msgids: its translator gives them back as
    they are (``ngettext`` picks the singular for 1).
    """
    found = catalog(lang)
    if found is None:
        return gettext.NullTranslations()
    import io

    from babel.messages.mofile import write_mo
    from babel.support import Translations

    buffer = io.BytesIO()
    write_mo(buffer, found, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def _(message: str) -> str:
    """``message`` in the language being written (an empty one stays empty: gettext would give the header)."""
    return translator(_LANG.get()).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the count ``n`` (French: 0 and 1 are singular)."""
    return translator(_LANG.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the language being written, where its English word has more than one meaning."""
    return translator(_LANG.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue where it is defined; it is translated where it is shown."""
    return message


# -- words of the data format ---------------------------------------------------------------------

#: Values of the data format that outputs show as words: tiers, themes, kinds of instrument, the status of
#: figures, and the labels of the balanced toolbox and of Team Europe. The msgids are the values as the data
#: writes them, so English outputs show them as before (tests/test_i18n.py checks the list is complete).
TERMS: tuple[str, ...] = (
    # tiers (routes.coverage.SEGMENT_TIERS), and a segment between two EU members
    N_("binding"),
    N_("operational"),
    N_("political"),
    N_("forum"),
    N_("none"),
    N_("internal"),
    # themes (routes._validate.THEMES)
    N_("return-readmission"),
    N_("legal-pathways"),
    N_("border-management"),
    N_("anti-smuggling"),
    N_("protection"),
    N_("development"),
    N_("visa"),
    # kinds of instrument (routes._validate.KINDS)
    N_("mobility-partnership"),
    N_("camm"),
    N_("talent-partnership"),
    N_("readmission-agreement"),
    N_("statement"),
    N_("declaration"),
    N_("mou"),
    N_("protocol"),
    N_("compact"),
    N_("bilateral-agreement"),
    N_("dialogue"),
    N_("migration-partnership"),
    N_("treaty"),
    N_("framework"),
    N_("fund"),
    # the status of a figure (routes._validate.FLOW_STATUSES; "ok" is never shown)
    N_("approx"),
    N_("prelim"),
    N_("partial-year"),
    N_("derived"),
    N_("uncertain"),
    N_("conflict"),
    # the balanced toolbox and Team Europe (routes.coverage.TOOLBOX_LABELS, TEAM_EUROPE_LABELS)
    N_("both"),
    N_("return only"),
    N_("legal pathways only"),
    N_("neither"),
    N_("EU-level"),
    N_("member states"),
    N_("others"),
)
_TERMS = frozenset(TERMS)


def term(value: Any) -> Any:
    """A value of the data format in words of the language being written; any other value as it is."""
    return _(value) if isinstance(value, str) and value in _TERMS else value


#: The fields of partnerships.yaml a source may leave unsettled (``uncertain``, routes.dataset.UNCERTAIN_FIELDS),
#: in words: English outputs show the field names as written, other languages these.
FIELDS: dict[str, str] = {
    "name": N_("name"),
    "kind": N_("kind"),
    "parties": N_("parties"),
    "participants": N_("participants"),
    "signed": N_("date signed"),
    "in_force": N_("date in force"),
    "ended": N_("end date"),
    "suspended": N_("suspension"),
    "binding": N_("legal force"),
    "tier": N_("tier"),
    "themes": N_("themes"),
}
#: The key of a field's words in the map's messages (gettext's form of a message with a context).
FIELD_KEY = "field\x04{}"


def field_text(name: str) -> str:
    """A field of partnerships.yaml in words of the language being written (English: its name as written)."""
    if _LANG.get() == LANGUAGES[0] or name not in FIELDS:
        return name
    return _(FIELDS[name])


def gap_reason_text(reason: str | None) -> str | None:
    """A gap's reason (``nothing`` or ``<tier> only``, see routes.coverage.gap_reason) in words."""
    if reason is None or _LANG.get() == LANGUAGES[0]:
        return reason
    if reason == "nothing":
        return _("nothing")
    tier = reason.removesuffix(" only")
    return _("{tier} only").format(tier=term(tier)) if tier in _TERMS else reason


def list_separator() -> str:
    """Between the parts of a line such as a selection: French typography puts a no-break space before ";"."""
    return "; " if _LANG.get() == LANGUAGES[0] else "\u00a0; "


# -- numbers ---------------------------------------------------------------------------------------


def number(value: float, *, decimals: int = 0) -> str:
    """A number with thousands separated: ``12,345.6`` in English, ``12 345,6`` in French (Babel, CLDR)."""
    lang = _LANG.get()
    if lang == LANGUAGES[0]:
        return f"{value:,.{decimals}f}"
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0" + ("." + "0" * decimals if decimals else ""), locale=_LOCALES[lang])


def percent(value: float) -> str:
    """A share as a whole percentage: ``62%`` in English, ``62 %`` in French."""
    lang = _LANG.get()
    if lang == LANGUAGES[0]:
        return f"{value:.0%}"
    from babel.numbers import format_percent

    return format_percent(value, locale=_LOCALES[lang])


# -- country names ---------------------------------------------------------------------------------

#: ISO writes some names inverted for sorting ("Russie, Fédération de", "Salomon, Îles"); a reader expects
#: the short form ("Russie", "Îles Salomon").
_QUALIFIER = re.compile(r", (?:République|Fédération|État|États|[ée]tat|province)\b.*$")
_ISLANDS = re.compile(r"^(?P<name>[^,]+), Îles(?: \(.*\))?$")


@functools.cache
def _iso_names(lang: str) -> dict[str, str]:
    """Country names by alpha-3 code in ``lang``, from pycountry's ``iso3166-1`` gettext domain."""
    import pycountry

    try:
        names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:  # pycountry without this language: the data set's names
        return {}
    out: dict[str, str] = {}
    for country in pycountry.countries:
        common = getattr(country, "common_name", None)
        name = names.gettext(common) if common and names.gettext(common) != common else names.gettext(country.name)
        if (islands := _ISLANDS.match(name)) is not None:
            name = "Îles " + islands["name"]
        out[country.alpha_3] = _QUALIFIER.sub("", name)
    return out


def country_name(code: str, lang: str, fallback: str | None = None) -> str:
    """A country's name in ``lang``.

    English keeps ``fallback`` (the data set's name, e.g. "Türkiye"); other
    languages take ISO 3166-1's name in that language ("Turquie"), and
    ``fallback`` for codes ISO does not list (XKX, Kosovo).
    """
    if check_language(lang) == LANGUAGES[0]:
        return fallback or code
    return _iso_names(lang).get(code) or fallback or code


#: The code of the European Union as a party of instruments (a group of the data set), in words.
EU = N_("EU")


# -- the map's messages -----------------------------------------------------------------------------

#: The functions that mark the map's messages, and the gettext function each stands for.
MAP_SCRIPT_KEYWORDS = {"t": "gettext", "tn": "ngettext", "tp": "pgettext"}

MessageId = str | tuple[str, str]


def extract_map_script(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """pybabel's extractor for the map's scripts (babel.cfg): ``t("…")``, ``tn("…", "…", n)``, ``tp("ctx", "…")``.

    Babel's JavaScript extractor, with the scripts' own keywords reported as
    the gettext functions they stand for: ``pybabel extract`` then needs no
    ``-k t``, which would also pick up Python code such as ``t["flow"]``.
    """
    from babel.messages.extract import extract_javascript

    for line, name, messages, comments in extract_javascript(fileobj, MAP_SCRIPT_KEYWORDS, comment_tags, options):
        yield line, MAP_SCRIPT_KEYWORDS[name], messages, comments


@functools.cache
def map_message_ids() -> tuple[tuple[str | None, MessageId], ...]:
    """The (context, msgid) of every message of the map's scripts (``routes/_map_assets/*.js``), in order.

    Read from the installed scripts with the extractor ``pybabel`` uses, so
    the page gets what its scripts ask for, whatever the catalogue holds.
    """
    from importlib import resources

    from babel.messages.extract import extract

    found: dict[tuple[str | None, MessageId], None] = {}
    for item in sorted(resources.files("routes").joinpath("_map_assets").iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".js"):
            continue
        with item.open("rb") as handle:
            for _line, message, _comments, context in extract(extract_map_script, handle):
                found[context, message] = None
    return tuple(found)


@functools.cache
def map_messages(lang: str) -> dict[str, str | list[str]]:
    """What the map's scripts need in ``lang``: translations by msgid (plural forms as a list).

    Only messages whose translation differs from the msgid are given (the
    script falls back to the msgid); empty for English.
    """
    if check_language(lang) == LANGUAGES[0]:
        return {}
    t = translator(lang)
    out: dict[str, str | list[str]] = {}
    for context, message in map_message_ids():
        if isinstance(message, tuple):
            singular, plural = message
            forms = [t.ngettext(singular, plural, 1), t.ngettext(singular, plural, 2)]
            if forms != [singular, plural]:
                out[singular] = forms
        elif context is not None:
            if (text := t.pgettext(context, message)) != message:
                out[f"{context}\x04{message}"] = text  # gettext's key for a message with a context
        elif (text := t.gettext(message)) != message:
            out[message] = text
    for value in TERMS:
        if (text := t.gettext(value)) != value:
            out[value] = text
    for name, words in FIELDS.items():
        out[FIELD_KEY.format(name)] = t.gettext(words)
    return dict(sorted(out.items()))
