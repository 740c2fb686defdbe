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


_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s]")


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
    loader = _Loader(text)
    try:
        root = loader.get_single_node()  # libyaml parses and composes; aliases share nodes
        if root is None:
            return None
        if _ANCHOR.search(text) and _expanded_size(root) > MAX_EXPANDED_NODES:  # no anchor, no alias
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

    def __init__(self, loader: _Loader) -> None:
        self.loader = loader
        self.done: dict[int, Any] = {}

    def build(self, node: yaml.Node) -> Any:
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        key = id(node)
        if key in self.done:
            return self.done[key]
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            data = self.done[key] = LineDict()
            data.line, data.lines = node.start_mark.line + 1, {}
            self.loader.flatten_mapping(node)  # merge keys (<<)
            for key_node, value_node in node.value:
                item = self.build(key_node)
                line = key_node.start_mark.line + 1
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
            items.line, items.lines = node.start_mark.line + 1, []
            for item in node.value:
                items.append(self.build(item))
                items.lines.append(item.start_mark.line + 1)
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
