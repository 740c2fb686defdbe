"""The one YAML reader of the package: plain data only, line numbers kept, nothing expanded blindly.

Every YAML file the tool reads (``partnerships.yaml``, ``blocs.yaml``, the
``whatif --add`` files) goes through :func:`read_yaml`, which

- builds only mappings, lists, strings, numbers, booleans, nulls and dates
  (YAML 1.2 booleans: ``yes``/``no``/``on``/``off`` stay strings, so ``NO`` is
  Norway's code and ``binding: yes`` is an error, not ``true``);
- turns a date that is not a calendar date (``2017-02-31``, ``T25:00``) into a
  :class:`BadDate` that the field readers report with file, line and field;
- refuses every tag but the standard scalars, lists and mappings (``!!omap``,
  ``!!pairs``, ``!!set``, ``!!binary``, ``!!python/…``);
- measures how large the document becomes once its aliases are expanded,
  *before* building anything, and refuses a "billion laughs" document or a
  recursive alias.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from routes._errors import Problem

#: A document may expand to at most this many nodes (a real partnerships file has a few tens of thousands).
MAX_EXPANDED_NODES = 2_000_000


@dataclass(frozen=True)
class BadDate:
    """A value written as a date that is not a calendar date; the field reader reports it."""

    text: str

    def __str__(self) -> str:
        return self.text


class LineDict(dict):
    """A mapping that remembers the line of each key."""

    line: int = 0
    lines: dict


class LineList(list):
    """A list that remembers the line of each item."""

    line: int = 0
    lines: list


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loading with YAML 1.2 booleans, line numbers, duplicate-key reports and date checks."""

    yaml_implicit_resolvers: ClassVar[dict] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    yaml_constructors: ClassVar[dict] = dict(yaml.SafeLoader.yaml_constructors)

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, Any]] = []


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> dt.date | BadDate:
    try:
        value = yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return BadDate(str(node.value))
    return value.date() if isinstance(value, dt.datetime) else value


def _refuse(loader: _Loader, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, f"the tag {node.tag} is not allowed here (plain mappings, lists and scalars only)", node.start_mark
    )


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
for _tag in ("omap", "pairs", "set", "binary"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)
_Loader.add_constructor(None, _refuse)


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document holds once every alias is expanded (aliases share node objects)."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            raise yaml.composer.ComposerError(
                None, None, "an alias refers to the node that contains it", node.start_mark
            )
        on_path.add(key)
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(item) for item in node.value)
        else:
            total = 1
        on_path.discard(key)
        sizes[key] = min(total, MAX_EXPANDED_NODES + 1)
        return sizes[key]

    return size(root)


def _has_anchor(text: str) -> bool:
    """Whether the text may hold an anchor: ``&`` followed by a non-blank, at the start or after a blank or
    one of ``[{,:-`` (as the regular expression ``(?:^|[\\s\\[{,:-])&[^\\s]`` finds, but without testing
    every position of the text)."""
    i = text.find("&")
    while i != -1:
        if (i + 1 < len(text) and not text[i + 1].isspace()) and (
            i == 0 or text[i - 1].isspace() or text[i - 1] in "[{,:-"
        ):
            return True
        i = text.find("&", i + 1)
    return False


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    """The document in ``path`` as plain data, or None with the reason appended to ``problems``."""
    name = str(path)
    if not path.is_file():
        problems.append(Problem(name, None, None, "file is missing"))
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return None
    except OSError as exc:
        problems.append(Problem(name, None, None, f"cannot read the file: {exc.strerror or exc}"))
        return None
    anchors = _has_anchor(text)
    if not anchors:
        data = _read_entries(text)  # the usual shape of a large file, read line by line
        if data is not None:
            return data
    loader = _Loader(text)
    try:
        root = loader.get_single_node()  # libyaml parses and composes; aliases share nodes
        if root is None:
            return None
        if anchors and _expanded_size(root) > MAX_EXPANDED_NODES:  # no anchor, no alias
            raise yaml.composer.ComposerError(
                None, None, f"its aliases expand to more than {MAX_EXPANDED_NODES:,} values", root.start_mark
            )
        data = _Builder(loader).build(root)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(name, mark.line + 1 if mark else None, None, f"malformed YAML: {reason}"))
        return None
    except RecursionError:
        problems.append(Problem(name, None, None, "malformed YAML: nested too deeply"))
        return None
    finally:
        loader.dispose()
    for line, key in loader.duplicate_keys:
        problems.append(Problem(name, line, str(key)[:80], "duplicate key"))
    return data


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Builder:
    """Plain data from composed nodes: PyYAML's constructors for scalars, a direct walk for the rest.

    Walking the nodes here, instead of through ``construct_document``'s generic
    machinery, makes loading a large partnerships file about three times faster;
    aliases still give the same object, as PyYAML does.
    """

    def __init__(self, loader: _Loader, first_line: int = 1) -> None:
        self.loader = loader
        self.done: dict[int, Any] = {}
        self.first = first_line  # the line number of the text's first line

    def build(self, node: yaml.Node) -> Any:
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        key = id(node)
        if key in self.done:
            return self.done[key]
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            data = self.done[key] = LineDict()
            data.line, data.lines = node.start_mark.line + self.first, {}
            self.loader.flatten_mapping(node)  # merge keys (<<)
            for key_node, value_node in node.value:
                item = self.build(key_node)
                line = key_node.start_mark.line + self.first
                try:
                    if item in data:
                        self.loader.duplicate_keys.append((line, item))
                    data[item] = self.build(value_node)
                except TypeError:
                    self.loader.duplicate_keys.append((line, "a key that is a list or mapping"))
                    continue
                data.lines[item] = line
            return data
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            items = self.done[key] = LineList()
            items.line, items.lines = node.start_mark.line + self.first, []
            for item in node.value:
                items.append(self.build(item))
                items.lines.append(item.start_mark.line + self.first)
            return items
        if isinstance(node, yaml.ScalarNode):
            constructor = self.loader.yaml_constructors.get(node.tag, _refuse)
            value = self.done[key] = constructor(self.loader, node)
            return value
        return _refuse(self.loader, node)


def line_of(data: Any, key: Any = None) -> int | None:
    """The line of ``data`` (or of its ``key``), when it came from :func:`read_yaml`."""
    if key is not None and isinstance(data, LineDict):
        return data.lines.get(key, data.line)
    return getattr(data, "line", None)


# -- the fast path: a list of flat mappings, read line by line ------------------------------------
#
# A large partnerships file is a list of mappings whose values are one-line scalars and
# flow lists of plain names, such as
#
#     - id: syn-00001-mou
#       name: "Synthetic mou 00001 (ABC, DEF)"
#       parties: [ABC, DEF]
#       signed: 2019-04-02
#
# Composing it with libyaml makes a node, two marks and a resolver call per value, most
# of the time of loading such a file. :func:`_read_entries` reads entries of exactly that
# shape directly and gives the same values as the general path (the same resolvers and
# constructors decide each plain value's type; the same line numbers). A run of entries
# of any other shape (block scalars, nested lists, quotes with escapes, comments after a
# value...) is parsed by libyaml as it is, padded with empty lines so that its line
# numbers stay those of the file; anything unusual at the top (not a list, a directive, a
# control character, a duplicate key, an error) sends the whole document to the general
# path, which reports it as before.

#: Characters libyaml refuses (anything but tab, line feed and printable characters), and line breaks
#: other than a line feed (a carriage return, NEL, LS, PS) and byte order marks, which would change
#: the line numbering: a document with any goes to the general path.
_UNUSUAL = re.compile(r"[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
#: A key of the fast path: a plain name (its value still comes from the resolvers: ``null``, ``true``...).
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: A plain scalar on one line, in a block mapping: no indicator first, no comment, no ``: ``, no tab.
_PLAIN = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s](?:(?![ ]#|: )[^\t])*(?<!:)")
#: A plain item of a one-line flow list.
_ITEM = re.compile(r"[A-Za-z0-9_.()/+][A-Za-z0-9_.()/+ -]*(?<! )")


class _Plain:
    """The value of a plain scalar, as the general path makes it: its tag by the loader's implicit
    resolvers, then the loader's constructor for that tag (each distinct text once).

    ``key``, ``value`` and ``item`` remember the texts that passed the check of a key, of a value and
    of a flow-list item: a file writes the same names, kinds, codes and themes many times.
    """

    def __init__(self) -> None:
        self.loader = _Loader("")
        self.done: dict[str, Any] = {}
        self.key: dict[str, Any] = {}
        self.value: dict[str, Any] = {}
        self.item: dict[str, Any] = {}

    def __call__(self, text: str) -> Any:
        try:
            return self.done[text]
        except KeyError:
            pass
        loader = self.loader
        tag = loader.resolve(yaml.ScalarNode, text, (True, False))
        if tag == _STR:
            value: Any = text
        else:
            constructor = loader.yaml_constructors.get(tag, _refuse)
            value = constructor(loader, yaml.ScalarNode(tag, text))
        self.done[text] = value
        return value

    def checked(self, known: dict[str, Any], pattern: re.Pattern[str], text: str) -> Any:
        """The value of ``text`` if ``pattern`` accepts it (remembered in ``known``), else _COMPLEX."""
        value = known.get(text, _COMPLEX)
        if value is _COMPLEX and pattern.fullmatch(text):
            value = known[text] = self(text)
        return value


def _value(text: str, line: int, plain: _Plain) -> Any:
    """The value written as ``text`` (not empty, no tab, no blank at either end) on one line, or _COMPLEX
    when it is not of the simple shapes."""
    first = text[0]
    if first == '"' or first == "'":
        inner = text[1:-1]
        if len(text) > 1 and text[-1] == first and first not in inner and (first == "'" or "\\" not in inner):
            return inner
        return _COMPLEX
    if first == "[":
        if text[-1] != "]":
            return _COMPLEX
        items = LineList()
        items.line = line
        inner = text[1:-1]
        if inner.strip(" "):
            known = plain.item
            for item in inner.split(","):
                value = plain.checked(known, _ITEM, item.strip(" "))
                if value is _COMPLEX:
                    return _COMPLEX
                items.append(value)
        items.lines = [line] * len(items)
        return items
    return plain.checked(plain.value, _PLAIN, text)


_COMPLEX: Any = object()


def _simple_entry(lines: list[str], start: int, plain: _Plain) -> LineDict | None:
    """The entry whose lines (the first at line ``start``) are each ``key: value`` of a simple value (or
    blank, or a comment), else None."""
    entry = LineDict()
    entry.line = start
    entry.lines = where = {}
    keys, values = plain.key, plain.value
    for offset, text in enumerate(lines):
        if "\t" in text:
            return None
        if text[:2] != ("  " if offset else "- ") or text[2:3] in (" ", "#", ""):  # not a key at column 3
            if offset and (not text.strip(" ") or text.lstrip(" ").startswith("#")):
                continue  # a blank line or a comment
            return None
        name, _, rest = text[2:].partition(": ")
        value_text = rest.strip(" ")
        if not value_text:
            return None
        key = keys.get(name, _COMPLEX)
        if key is _COMPLEX:
            key = plain.checked(keys, _KEY, name)
            if key is _COMPLEX:
                return None
        value = values.get(value_text, _COMPLEX)  # a plain value seen before
        if value is _COMPLEX:
            value = _value(value_text, start + offset, plain)
            if value is _COMPLEX:
                return None
        if key in entry:
            raise _Unusual  # a duplicate key: the general path reports it
        entry[key] = value
        where[key] = start + offset
    return entry


class _Unusual(Exception):
    """The document is not of the shape the fast path reads: read it with the general path."""


def _read_entries(text: str) -> LineList | None:
    """The document as the general path reads it, when it is a list of mappings; else None."""
    if _UNUSUAL.search(text):
        return None
    lines = text.split("\n")
    starts = []  # the index of each entry's first line
    for i, line in enumerate(lines):
        first = line[:1]
        if first == "-" and line[1:2] in ("", " ", "\t"):
            starts.append(i)
        elif first in ("", " ", "#"):  # blank, comment, or within an entry (before the first: blank or comment)
            if not starts and first == " " and line.strip() and not line.lstrip(" ").startswith("#"):
                return None
        else:
            return None
    if not starts:
        return None
    plain = _Plain()
    out = LineList()
    out.line, out.lines = starts[0] + 1, []
    pending: list[int] = []  # entries of another shape, parsed together by libyaml
    bounds = [*starts, len(lines)]
    try:
        for number, begin in enumerate(starts):
            end = bounds[number + 1]
            entry = _simple_entry(lines[begin:end], begin + 1, plain)
            if entry is None:
                pending.append(number)
                continue
            if pending:
                out.extend(_parse_run(lines, [bounds[n] for n in pending], bounds[pending[-1] + 1]))
                pending = []
            out.append(entry)
        if pending:
            out.extend(_parse_run(lines, [bounds[n] for n in pending], bounds[pending[-1] + 1]))
    except Exception:  # _Unusual, or an error the general path reports (or raises) as it does
        return None
    out.lines = [begin + 1 for begin in starts]
    return out


def _parse_run(lines: list[str], starts: list[int], end: int) -> list[Any]:
    """Consecutive entries (``lines[starts[0]:end]``) parsed by libyaml, with the line numbers of the file."""
    begin = starts[0]
    loader = _Loader("\n".join(lines[begin:end]) + "\n")
    try:
        root = loader.get_single_node()
        if not isinstance(root, yaml.SequenceNode) or len(root.value) != len(starts):
            raise _Unusual
        if [begin + node.start_mark.line for node in root.value] != starts:
            raise _Unusual
        data = _Builder(loader, first_line=begin + 1).build(root)
    finally:
        loader.dispose()
    if loader.duplicate_keys:
        raise _Unusual
    return list(data)
