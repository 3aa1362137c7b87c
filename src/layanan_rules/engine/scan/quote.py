"""SQL literals and identifiers, quoted: the leaf every module of the scan writes SQL with (so
that none of them imports another only for these two)."""

from __future__ import annotations


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _ident(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'
