"""YAML loading that remembers where every value came from, so errors can say file:line:column."""

from __future__ import annotations

from collections.abc import Hashable
from os import PathLike
from typing import Any

import attrs

from layanan_rules import inputs

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


class YamlError(Exception):
    """The file is not valid YAML, has a duplicate key or is beyond a limit; ``location`` says where."""

    def __init__(self, message: str, location: Location) -> None:
        super().__init__(f"{location}: {message}")
        self.message = message
        self.location = location


def load(text: str, file: str) -> tuple[Any, Positions]:
    """Parse YAML text into plain Python values plus a :class:`Positions` map.

    Parsing and its limits (aliases, depth, duplicate keys, located bad values) are
    :func:`layanan_rules.inputs.load_yaml`'s.
    """
    positions = Positions(file)
    try:
        return inputs.load_yaml(text, file, positions.nodes, positions.keys), positions
    except inputs.InputError as exc:
        raise YamlError(exc.message, Location(file, exc.line or 1, exc.column or 1)) from None


def load_file(path: str | PathLike[str]) -> tuple[Any, Positions]:
    """A YAML file, decoded as UTF-8 (a bad byte is a located error), then :func:`load`."""
    try:
        text = inputs.read_text(path)
    except inputs.InputError as exc:
        raise YamlError(exc.message, Location(str(path), exc.line or 1, exc.column or 1)) from None
    return load(text, str(path))
