"""YAML loading that remembers where every value came from, so errors can say file:line:column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any

import attrs
import yaml

Path = tuple[Hashable, ...]


@attrs.frozen
class Location:
    """A 1-based position in a text file."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@attrs.frozen
class Scalar:
    """Where a scalar's text starts, and how it was written, to place offsets inside it."""

    location: Location
    style: str | None  # None plain, "'" or '"' quoted, "|" or ">" block


@attrs.define
class Positions:
    """Maps a path of keys/indexes inside the loaded document to the node's location."""

    file: str
    nodes: dict[Path, Scalar] = attrs.field(factory=dict)
    keys: dict[Path, Location] = attrs.field(factory=dict)

    def of(self, path: Path) -> Location:
        """The location of ``path``, or of its closest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.nodes:
                return self.nodes[p].location
            p = p[:-1]
        return self.nodes[()].location if () in self.nodes else Location(self.file, 1, 1)

    def key_of(self, path: Path) -> Location:
        """The location of the mapping key that ends ``path`` (for unknown-key errors)."""
        return self.keys.get(tuple(path)) or self.of(path)

    def inside(self, path: Path, offset: int, text: str) -> Location:
        """The location of character ``offset`` of the scalar string at ``path``."""
        scalar = self.nodes.get(tuple(path))
        if scalar is None:
            return self.of(path)
        loc = scalar.location
        before = text[:offset]
        if scalar.style in ("|", ">"):
            line_in = before.count("\n")
            col_in = len(before) - (before.rfind("\n") + 1)
            # block content starts on the next line, indented; indent unknown here: use the key column + 2
            return Location(loc.file, loc.line + 1 + line_in, loc.column + 2 + col_in)
        quote = 1 if scalar.style in ("'", '"') else 0
        return Location(loc.file, loc.line, loc.column + quote + len(before))


#: libyaml (PyYAML's C parser) reads rule files about 15x faster than the pure-Python one and
#: keeps the same line/column marks; the pure-Python parser stands in where PyYAML was built without it.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Aliases (``*name``) may repeat a node, but not blow a small file up into millions of values
#: (a "billion laughs" bomb): at most this many values per distinct node written in the file.
ALIAS_EXPANSION = 10


class YamlError(Exception):
    """The file is not valid YAML (or has a duplicate key); ``location`` says where."""

    def __init__(self, message: str, location: Location) -> None:
        super().__init__(f"{location}: {message}")
        self.message = message
        self.location = location


def load(text: str, file: str) -> tuple[Any, Positions]:
    """Parse YAML text into plain Python values plus a :class:`Positions` map.

    Duplicate keys are errors (PyYAML would silently keep the last one).
    """
    positions = Positions(file)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)
        raise YamlError(f"YAML tidak valid / invalid YAML: {exc.problem or exc}", loc) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML tidak valid / invalid YAML: {exc}", Location(file, 1, 1)) from None
    if node is None:
        return None, positions
    constructor = yaml.SafeLoader("")
    budget = [ALIAS_EXPANSION * _distinct_nodes(node) + 1000]

    def build(n: yaml.Node, path: Path) -> Any:
        loc = Location(file, n.start_mark.line + 1, n.start_mark.column + 1)
        budget[0] -= 1
        if budget[0] < 0:
            raise YamlError(
                "alias (*nama) diperluas menjadi terlalu banyak nilai; tulis nilainya langsung / "
                "aliases (*name) expand into too many values; write the values out", loc)
        positions.nodes[path] = Scalar(loc, getattr(n, "style", None))
        if isinstance(n, yaml.MappingNode):
            constructor.flatten_mapping(n)
            out: dict[Any, Any] = {}
            for k_node, v_node in n.value:
                if not isinstance(k_node, yaml.ScalarNode):
                    raise YamlError("kunci harus berupa teks / a key must be plain text, not a list or mapping",
                                    Location(file, k_node.start_mark.line + 1, k_node.start_mark.column + 1))
                key = constructor.construct_object(k_node, deep=True)
                if isinstance(key, (dt.date, int, float, bool)) and not isinstance(key, str):
                    key = str(key) if not isinstance(key, bool) else key
                if key in out:
                    raise YamlError(
                        f"kunci '{key}' ditulis dua kali / duplicate key '{key}'",
                        Location(file, k_node.start_mark.line + 1, k_node.start_mark.column + 1),
                    )
                positions.keys[path + (key,)] = Location(
                    file, k_node.start_mark.line + 1, k_node.start_mark.column + 1
                )
                out[key] = build(v_node, path + (key,))
            return out
        if isinstance(n, yaml.SequenceNode):
            return [build(item, path + (i,)) for i, item in enumerate(n.value)]
        return constructor.construct_object(n, deep=True)

    try:
        return build(node, ()), positions
    except RecursionError:
        raise YamlError("YAML terlalu dalam bersarang / YAML nested too deeply", Location(file, 1, 1)) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)
        raise YamlError(f"YAML tidak valid / invalid YAML: {exc.problem or exc}", loc) from None
    except ValueError as exc:  # e.g. a date that does not exist (2024-02-30)
        raise YamlError(f"nilai tidak valid / invalid value: {exc}", Location(file, 1, 1)) from None


def _distinct_nodes(root: yaml.Node) -> int:
    """How many nodes the file itself writes (an alias counts once), without recursion."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.append(k)
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return len(seen)
