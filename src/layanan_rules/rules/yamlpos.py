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
    """Maps a path of keys/indexes inside the loaded document to the node's location.

    Stored as plain ``(line, column, style)`` tuples (a rule file has thousands of nodes; a
    Location object is made only when an error needs one).
    """

    file: str
    nodes: dict[Path, tuple[int, int, str | None]] = attrs.field(factory=dict)
    keys: dict[Path, tuple[int, int]] = attrs.field(factory=dict)

    def of(self, path: Path) -> Location:
        """The location of ``path``, or of its closest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.nodes:
                return self._at(self.nodes[p])
            p = p[:-1]
        return self._at(self.nodes[()]) if () in self.nodes else Location(self.file, 1, 1)

    def key_of(self, path: Path) -> Location:
        """The location of the mapping key that ends ``path`` (for unknown-key errors)."""
        key = self.keys.get(tuple(path))
        return self._at(key) if key is not None else self.of(path)

    def scalar(self, path: Path) -> Scalar | None:
        """Where the node at ``path`` starts and how it was written."""
        node = self.nodes.get(tuple(path))
        return Scalar(self._at(node), node[2]) if node is not None else None

    def inside(self, path: Path, offset: int, text: str) -> Location:
        """The location of character ``offset`` of the scalar string at ``path``."""
        scalar = self.scalar(path)
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

    def _at(self, pos: tuple[int, int] | tuple[int, int, str | None]) -> Location:
        return Location(self.file, pos[0], pos[1])


#: libyaml (PyYAML's C parser) reads rule files about 15x faster than the pure-Python one and
#: keeps the same line/column marks; the pure-Python parser stands in where PyYAML was built without it.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Aliases (``*name``) may repeat a node, but not blow a small file up into millions of values
#: (a "billion laughs" bomb): at most this many values per two characters of the file.
ALIAS_EXPANSION = 10
_STR = "tag:yaml.org,2002:str"


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
    scalars = constructor.yaml_constructors
    # a node takes at least two characters of text, so this bounds what the file itself writes
    budget = [ALIAS_EXPANSION * (len(text) // 2 + 1) + 1000]
    nodes, keys = positions.nodes, positions.keys

    def build(n: yaml.Node, path: Path) -> Any:
        mark = n.start_mark
        budget[0] -= 1
        if budget[0] < 0:
            raise YamlError(
                "alias (*nama) diperluas menjadi terlalu banyak nilai; tulis nilainya langsung / "
                "aliases (*name) expand into too many values; write the values out",
                Location(file, mark.line + 1, mark.column + 1))
        nodes[path] = (mark.line + 1, mark.column + 1, getattr(n, "style", None))
        if type(n) is yaml.ScalarNode:
            if n.tag == _STR:
                return n.value
            make = scalars.get(n.tag)
            return make(constructor, n) if make is not None else constructor.construct_object(n, deep=True)
        if isinstance(n, yaml.MappingNode):
            constructor.flatten_mapping(n)
            out: dict[Any, Any] = {}
            for k_node, v_node in n.value:
                if not isinstance(k_node, yaml.ScalarNode):
                    raise YamlError("kunci harus berupa teks / a key must be plain text, not a list or mapping",
                                    Location(file, k_node.start_mark.line + 1, k_node.start_mark.column + 1))
                key = k_node.value if k_node.tag == _STR else constructor.construct_object(k_node, deep=True)
                if isinstance(key, (dt.date, int, float, bool)) and not isinstance(key, str):
                    key = str(key) if not isinstance(key, bool) else key
                if key in out:
                    raise YamlError(
                        f"kunci '{key}' ditulis dua kali / duplicate key '{key}'",
                        Location(file, k_node.start_mark.line + 1, k_node.start_mark.column + 1),
                    )
                keys[path + (key,)] = (k_node.start_mark.line + 1, k_node.start_mark.column + 1)
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
