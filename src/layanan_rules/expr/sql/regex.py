"""``matches`` in SQL: RE2 patterns rewritten only where the target engine provably agrees.

DuckDB's ``regexp_matches`` *is* RE2 (and, like CEL, a search, not a full match): patterns go
as they are. PostgreSQL (POSIX ARE, Spencer's engine) and Spark (``RLIKE``, java.util.regex,
a backtracking matcher) differ from RE2 in syntax and in what ``.``, ``$``, ``\\d`` or ``\\s``
mean. For them a pattern is parsed into a small subset (literals, ``.``, bracket classes,
``\\d \\w \\s``, groups, alternation, greedy or lazy repeats, ``^`` ``$`` ``\\A``) and written
back with every difference spelled out (``.`` as ``[^\\n]``, ``$`` as ``\\z`` in Java,
``\\d`` as ``[0-9]``, every non-alphanumeric character as a code-point escape). A match only
has to exist, so greedy and lazy repeats, and leftmost-first and leftmost-longest, agree.

A backtracking engine may take time exponential in the input; a pattern is therefore taken
only when its structure bounds the work linearly (no repeat over a group or alternation, at most
one unbounded repeat, counted +1 when the search is not anchored at the start): the same
structural bound :func:`layanan_rules.expr.regex.twin_limit` uses for Python's ``re``.
Anything else has no SQL form and its rule runs in Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..regex import REPEATS, degree
from .dialects import no_form

# constructs outside the subset, refused before parsing (Python's parser would read some of
# them differently from RE2: POSIX classes, \pN, \Q..\E, inline flags, \b, \C, \z ...)
_REFUSE = re.compile(r"\[:|\{,|\\[pPQECzbBAZGx0-9]|\(\?(?!:)|\\[^dDwWsS.*+?()\[\]{}|^$\\/\-ntrfv ]")
_MAX_BOUND = 255  # PostgreSQL's RE_DUP_MAX
_DIGIT = [(0x30, 0x39)]
_WORD = [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]
_SPACE = [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)]  # RE2's \s: [\t\n\f\r ]
_CATEGORIES = {"CATEGORY_DIGIT": (_DIGIT, False), "CATEGORY_NOT_DIGIT": (_DIGIT, True),
               "CATEGORY_WORD": (_WORD, False), "CATEGORY_NOT_WORD": (_WORD, True),
               "CATEGORY_SPACE": (_SPACE, False), "CATEGORY_NOT_SPACE": (_SPACE, True)}


def _refuse(why_id: str, why_en: str, pattern: str):
    return no_form(f"regex '{pattern}' {why_id}", f"regex '{pattern}' {why_en}")


def translate(pattern: str, dialect: str) -> str:
    """The pattern for ``dialect``'s regex search, meaning exactly what RE2 means; raises
    :class:`NoSqlForm` when that cannot be shown."""
    if dialect == "duckdb":
        return pattern
    if _REFUSE.search(pattern):
        raise _refuse("memakai konstruksi di luar subset yang setara", "uses a construct outside the equivalent subset",
                      pattern)
    try:
        from re import _parser

        parsed = _parser.parse(pattern)
    except Exception:  # noqa: BLE001
        raise _refuse("tidak dapat diurai", "cannot be parsed", pattern) from None
    items = list(parsed)
    d = degree(items)
    anchored = bool(items) and str(items[0][0]) == "AT" and str(items[0][1]) in ("AT_BEGINNING", "AT_BEGINNING_STRING")
    if d is None or d + (0 if anchored else 1) > 1:
        raise _refuse("tidak terbukti linear pada mesin backtracking", "is not provably linear on a backtracking engine",
                      pattern)
    return _Writer(dialect, pattern).seq(items)


class _Writer:
    def __init__(self, dialect: str, pattern: str) -> None:
        self.java = dialect == "spark"
        self.pattern = pattern

    def char(self, cp: int) -> str:
        ch = chr(cp)
        if ch.isascii() and ch.isalnum():
            return ch
        if self.java:
            return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\x{{{cp:x}}}"
        return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"

    def ranges(self, rs: list[tuple[int, int]]) -> str:
        return "".join(self.char(a) if a == b else f"{self.char(a)}-{self.char(b)}" for a, b in rs)

    def seq(self, items) -> str:
        return "".join(self.item(op, av) for op, av in items)

    def group(self, items) -> str:
        return "(?:" + self.seq(items) + ")"

    def item(self, op, av) -> str:
        name = str(op)
        if name == "LITERAL":
            return self.char(av)
        if name == "NOT_LITERAL":
            return "[^" + self.char(av) + "]"
        if name == "ANY":
            return "[^" + self.char(10) + "]"
        if name == "IN":
            return self.klass(av)
        if name == "CATEGORY":
            rs, neg = _CATEGORIES[str(av)]
            return ("[^" if neg else "[") + self.ranges(rs) + "]"
        if name in REPEATS:
            lo, hi, body = av
            if str(name) == "POSSESSIVE_REPEAT":
                raise _refuse("memakai pengulangan posesif", "uses a possessive repeat", self.pattern)
            from re._constants import MAXREPEAT

            inner = self.group(body) if len(body) != 1 or str(body[0][0]) in ("SUBPATTERN", "BRANCH") else \
                self.item(*body[0])
            if hi == MAXREPEAT:
                if lo > _MAX_BOUND:
                    raise _refuse("memakai batas pengulangan > 255", "uses a repeat bound > 255", self.pattern)
                q = "*" if lo == 0 else "+" if lo == 1 else f"{{{lo},}}"
            else:
                if hi > _MAX_BOUND:
                    raise _refuse("memakai batas pengulangan > 255", "uses a repeat bound > 255", self.pattern)
                q = "?" if (lo, hi) == (0, 1) else f"{{{lo}}}" if lo == hi else f"{{{lo},{hi}}}"
            return inner + q
        if name == "SUBPATTERN":
            _group, add, delete, body = av
            if add or delete:
                raise _refuse("memakai flag", "uses flags", self.pattern)
            return self.group(body)
        if name == "BRANCH":
            return "(?:" + "|".join(self.seq(b) for b in av[1]) + ")"
        if name == "AT":
            at = str(av)
            if at in ("AT_BEGINNING", "AT_BEGINNING_STRING"):
                return "^"
            if at == "AT_END":
                return "\\z" if self.java else "$"
        raise _refuse(f"memakai {name}", f"uses {name}", self.pattern)

    def klass(self, items) -> str:
        neg = False
        parts: list[str] = []
        for op, av in items:
            name = str(op)
            if name == "NEGATE":
                neg = True
            elif name == "LITERAL":
                parts.append(self.char(av))
            elif name == "RANGE":
                parts.append(f"{self.char(av[0])}-{self.char(av[1])}")
            elif name == "CATEGORY":
                rs, cneg = _CATEGORIES[str(av)]
                if cneg:
                    raise _refuse("memakai kelas negatif di dalam [...]", "uses a negated class inside [...]",
                                  self.pattern)
                parts.append(self.ranges(rs))
            else:
                raise _refuse(f"memakai {name} di dalam [...]", f"uses {name} inside [...]", self.pattern)
        if not parts:
            raise _refuse("memakai kelas kosong", "uses an empty class", self.pattern)
        return ("[^" if neg else "[") + "".join(parts) + "]"


def code_point_ranges(points: Iterable[int]) -> list[tuple[int, int]]:
    """Ascending code points as (first, last) ranges, for :func:`char_class`."""
    out: list[list[int]] = []
    for cp in points:
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return [(a, b) for a, b in out]


def char_class(ranges: list[tuple[int, int]], negate: bool, dialect: str) -> str:
    """A bracket expression of code-point ranges in ``dialect``'s regex syntax."""
    if dialect == "duckdb":
        body = "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges)
    else:
        body = _Writer(dialect, "").ranges(ranges)
    return ("[^" if negate else "[") + body + "]"
