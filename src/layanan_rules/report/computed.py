"""What a rule computed, shown as evidence: the days a deadline rule counted and the calendar used.

A finding's evidence is first the values its rule read and its own ``evidence`` expressions
(``findings.evidence_of``). A deadline rule also computes: ``tanggal(pengaduan.ditanggapi_pada) <=
batas_waktu(pengaduan.diterima_pada, 14, ...)`` finds a last day on a calendar. Every call in a rule
to a function that can explain itself (its :attr:`~layanan_rules.expr.functions.Function.explain`:
``hari``, ``hari_kerja``, ``selisih_hari``, ``batas_waktu``, ``batas_hari_kerja``,
``batas_jangka_waktu``, ``awal_periode``) is re-evaluated for the finding when a report is written,
and its explanation is added to the evidence under the call as written in the rule. When the rule
compares the call with a date, the explanation gets that date too, and the days counted to it::

    "batas_waktu(pengaduan.diterima_pada, param.batas_tanggapan_pengaduan, ...)":
        {"dari": "2024-06-03", "hari": 14, "batas": "2024-06-17", "kalender": "hari kalender ...",
         "sampai": "2024-06-28", "hari_berlalu": 25}

So no rule file needs to say how to show its arithmetic. It is computed only when a report is
built, and only for the findings a person acts on (failed, erroneous, waived): a large report's
passes cost nothing more. A call inside a
comprehension (``unit.pengaduan.all(p, hari(p.a, p.b) ...)``) names a variable that exists only
there and is left out; a call that cannot be evaluated for a record (a missing date) is left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from layanan_rules import expr
from layanan_rules.expr import ast
from layanan_rules.model.convert import wib_date
from layanan_rules.rules.ruleset import Rule, Ruleset, declarations

#: a probe: (label, function, compiled argument programs, the sides it is compared with: the record's
#: own dates first, ``as_of`` last)
Probe = tuple[str, Any, tuple[Any, ...], tuple[Any, ...]]
#: id(rule) -> (rule, its probes)
_PROBES: dict[int, tuple[Rule, tuple[Probe, ...]]] = {}
#: id(rule) -> (rule, per probe: (per argument, per compared side: whether it reads the record))
_READS: dict[int, tuple[Rule, tuple[tuple[tuple[bool, ...], tuple[bool, ...]], ...]]] = {}
_COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


def _call_text(source: str, offset: int) -> str:
    """The text of the call starting at ``offset``: its name up to the matching parenthesis."""
    depth, quote, i = 0, "", source.find("(", offset)
    while 0 <= i < len(source):
        ch = source[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return " ".join(source[offset:i + 1].split())
        i += 1
    return " ".join(source[offset:].split())


def probes(rule: Rule, ruleset: Ruleset) -> tuple[Probe, ...]:
    """The calls of a rule whose result can be explained, compiled once per rule."""
    got = _PROBES.get(id(rule))
    if got is not None and got[0] is rule:
        return got[1]
    functions = ruleset.functions
    decls = declarations(rule.entity, type(ruleset.params))

    def compiled(node: Any) -> Any:
        try:
            text = ast.unparse(node)  # from text, the compiled-expression cache serves it next run
            same = ast.same(expr.parse(text), node)
        except (TypeError, ValueError, expr.ExprErrors, expr.ExprSyntaxError):
            same = False
        try:
            return expr.compile(text if same else node, decls, functions)
        except expr.ExprErrors:  # a comprehension's variable: only defined inside it
            return None

    entity = rule.entity

    def reads(node: Any) -> bool:
        """Whether the expression names the record (a program's ``variables`` are all it may name)."""
        return any(type(n) is ast.Ident and n.name == entity for n in ast.walk(node))

    found: dict[str, tuple[str, Any, tuple[Any, ...], list[tuple[bool, Any, bool]], tuple[bool, ...]]] = {}
    explained = [name for name, fn in functions.items() if fn.explain is not None]
    for program in (rule.when, rule.require):
        if program is None or not any(name in program.source for name in explained):
            continue  # no call to explain: no need to parse
        tree = expr.parse(program.source)
        compared: dict[int, Any] = {}  # id(call) -> the other side of the comparison it is in
        for node in ast.walk(tree):
            if isinstance(node, ast.Binary) and node.op in _COMPARISONS:
                compared.setdefault(id(node.right), node.left)
                compared.setdefault(id(node.left), node.right)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or node.target is not None:
                continue
            fn = functions.get(node.function)
            if fn is None or fn.explain is None:
                continue
            label = _call_text(program.source, node.offset)
            if label not in found:
                args = tuple(compiled(a) for a in node.args)
                if any(a is None for a in args):
                    continue
                found[label] = (label, fn, args, [], tuple(reads(a) for a in node.args))
            side = compared.get(id(node))
            other = compiled(side) if side is not None else None
            if other is not None:
                found[label][3].append((isinstance(side, ast.Ident) and side.name == "as_of", other, reads(side)))
    result = []
    flags = []
    for label, fn, args, sides, arg_reads in found.values():
        ordered = sorted(sides, key=lambda s: s[0])
        result.append((label, fn, args, tuple(p for _now, p, _r in ordered)))
        flags.append((arg_reads, tuple(r for _now, _p, r in ordered)))
    _PROBES[id(rule)] = (rule, tuple(result))
    _READS[id(rule)] = (rule, tuple(flags))
    return tuple(result)


def probe_reads(rule: Rule, ruleset: Ruleset) -> tuple[tuple[tuple[bool, ...], tuple[bool, ...]], ...]:
    """Per probe of :func:`probes`: per argument and per compared side, whether it reads the record
    (one that reads only ``param`` and ``as_of`` has one value in a run: made once, not per record)."""
    probes(rule, ruleset)
    return _READS[id(rule)][1]


_VARIES = object()
#: id(rule) -> (rule, params, as_of, per probe: its arguments' values that read no record (the
#: parameters, as_of), ``_VARIES`` for the others; None for a probe whose fixed argument fails)
_FIXED: dict[int, tuple[Rule, Any, dt.date, tuple[tuple[Any, ...] | None, ...]]] = {}


def _fixed(rule: Rule, ruleset: Ruleset, as_of: dt.date) -> tuple[tuple[Any, ...] | None, ...]:
    """The arguments of the rule's probes that are the same for every record, computed once per run."""
    got = _FIXED.get(id(rule))
    if got is not None and got[0] is rule and got[1] is ruleset.params and got[2] == as_of:
        return got[3]
    # a program is called on every variable it declares: the record is None to one that reads it not
    bound = {rule.entity: None, "param": ruleset.params, "as_of": as_of}.__getitem__
    out: list[tuple[Any, ...] | None] = []
    for (_label, _fn, args, _other), (arg_reads, _side_reads) in zip(probes(rule, ruleset), probe_reads(rule, ruleset)):
        values: list[Any] = []
        for a, varies in zip(args, arg_reads):
            if varies:
                values.append(_VARIES)
                continue
            try:
                values.append(a.fn(*map(bound, a.variables)))
            except MemoryError:  # a budget, not a call without evidence
                raise
            except Exception:  # noqa: BLE001 - as computed_evidence: a call this run cannot make
                values = None  # type: ignore[assignment]
                break
        out.append(None if values is None else tuple(values))
    _FIXED[id(rule)] = (rule, ruleset.params, as_of, tuple(out))
    return tuple(out)


#: explained functions whose result and explanation read their first argument (the start) and the
#: date compared with them only as a calendar date in WIB (``as_date``): their explanations are the
#: same for every timestamp of one day, so they are made once per distinct (day, arguments, day compared)
_BY_DAY = frozenset({"batas_waktu", "batas_hari_kerja", "batas_jangka_waktu"})
#: distinct explanations kept per rule and run before the memo starts over (memory stays bounded)
_MEMO_SIZE = 4_096


def _day(value: Any) -> Any:
    """A timestamp as its WIB date (what ``as_date`` makes of it); any other value as it is."""
    return wib_date(value) if type(value) is dt.datetime else value


class Explainer:
    """:func:`computed_evidence` for one rule in one run, each distinct explanation made once.

    Per record only the arguments that read the record (and the dates compared) are evaluated; the
    function's result and its explanation are looked up by those values (by day for
    :data:`_BY_DAY`). A province's 200,000 complaints were received on a few hundred days, so the
    deadlines and their texts are computed a few hundred times, not 200,000. The explanations
    returned are shared: callers must not change them."""

    def __init__(self, rule: Rule, ruleset: Ruleset, as_of: dt.date) -> None:
        self.rule, self.ruleset, self.as_of = rule, ruleset, as_of
        self.probes = []
        fixed_bound = {rule.entity: None, "param": ruleset.params, "as_of": as_of}.__getitem__
        for (label, fn, args, other), fixed, (_arg_reads, side_reads) in zip(
                probes(rule, ruleset), _fixed(rule, ruleset, as_of), probe_reads(rule, ruleset)):
            if fixed is None:  # an argument that reads no record cannot be made in this run
                continue
            # the compared sides that read no record (as_of) have one value in the run: made once
            # (_FAILS where it cannot be made: no record has it, as when made per record)
            sides = []
            for side, varies in zip(other, side_reads):
                value = _VARIES
                if not varies:
                    try:
                        value = side.fn(*map(fixed_bound, side.variables))
                    except MemoryError:
                        raise
                    except Exception:  # noqa: BLE001 - that date is missing for every record
                        value = _FAILS
                sides.append((*self._caller(side), value))
            varying = tuple((i, *self._caller(a)) for i, (a, f) in enumerate(zip(args, fixed)) if f is _VARIES)
            self.probes.append((label, fn, fixed, varying, tuple(sides), fn.name in _BY_DAY, "as_of" in label))
        self.memo: dict[Any, Any] = {}

    def _caller(self, program: Any) -> tuple[Any, tuple[Any, ...] | None, tuple[str, ...]]:
        """(the program's function, the values after the record when it takes the record first and
        then only ``param`` and ``as_of``: called ``fn(obj, *rest)``, else None, its variables)."""
        names = program.variables
        known = {"param": self.ruleset.params, "as_of": self.as_of}
        if names and names[0] == self.rule.entity and all(v in known for v in names[1:]):
            return program.fn, tuple(known[v] for v in names[1:]), names
        return program.fn, None, names

    def __call__(self, obj: Any) -> dict[str, Any]:
        """The explained calls of the rule on one record: call as written -> explanation."""
        out: dict[str, Any] = {}
        if obj is None:
            return out
        rule = self.rule
        bound = {rule.entity: obj, "param": self.ruleset.params, "as_of": self.as_of}.__getitem__
        up_to_now: dict[str, list[str]] = {}  # function -> labels of calls counting up to as_of
        done: set[str] = set()  # functions called with a real end date for this record
        memo = self.memo
        varies, fails = _VARIES, _FAILS
        # programs are called straight on their variables (an unbound one raises, as calling the program does)
        for at, (label, fn, fixed, varying, other, by_day, now) in enumerate(self.probes):
            try:
                if not varying:
                    values = fixed
                elif len(varying) == 1 and varying[0][0] == 0:  # the usual call: the record's date first
                    _i, call, rest, names = varying[0]
                    values = (call(obj, *rest) if rest is not None else call(*map(bound, names)), *fixed[1:])
                else:
                    made = list(fixed)
                    for i, call, rest, names in varying:
                        made[i] = call(obj, *rest) if rest is not None else call(*map(bound, names))
                    values = tuple(made)
            except MemoryError:  # a budget, not a record without evidence
                raise
            except Exception:  # noqa: BLE001, S112 - a call this record cannot make (a missing date): no evidence
                continue
            against = None
            for call, rest, names, value in other:  # the first compared date this record has (its own before as_of)
                if value is varies:
                    try:
                        against = call(obj, *rest) if rest is not None else call(*map(bound, names))
                    except MemoryError:
                        raise
                    except Exception:  # noqa: BLE001, S112 - that date is missing: try the next side
                        continue
                elif value is fails:
                    continue
                else:
                    against = value
                if against is not None:
                    break
            key: Any = None
            if by_day and values and values[0] is not None:
                key = (at, _day(values[0]), values[1:], _day(against))
            elif not by_day:
                key = (at, values, against)
            got = _NOT_MADE
            if key is not None:
                try:
                    got = memo.get(key, _NOT_MADE)
                except TypeError:  # an unhashable argument: made for this record alone
                    key = None
            if got is _NOT_MADE:
                try:
                    result = fn.impl(*values)
                except MemoryError:
                    raise
                except Exception:  # noqa: BLE001 - a call this record cannot make: no evidence
                    got = None
                else:
                    got = fn.explain(values, result, against)
                if key is not None:
                    if len(memo) >= _MEMO_SIZE:
                        memo.clear()
                    memo[key] = got
            if got is None:
                continue
            out[label] = got
            if now:
                up_to_now.setdefault(fn.name, []).append(label)
            else:
                done.add(fn.name)
        # "still running, so count up to today" is beside the point once the record has its end date
        for name in done:
            for label in up_to_now.get(name, ()):
                out.pop(label, None)
        return out


_NOT_MADE = object()
#: a compared side that reads no record and cannot be made in this run
_FAILS = object()
#: id(rule) -> (rule, ruleset, its parameters, as_of, its explainer): one per rule and run
_EXPLAINERS: dict[int, tuple[Rule, Ruleset, Any, dt.date, Explainer]] = {}


def explainer(rule: Rule, ruleset: Ruleset, as_of: dt.date) -> Explainer:
    """The rule's :class:`Explainer` for this ruleset and ``as_of`` (made once, kept for the run)."""
    got = _EXPLAINERS.get(id(rule))
    if got is not None and got[0] is rule and got[1] is ruleset and got[2] is ruleset.params and got[3] == as_of:
        return got[4]
    made = Explainer(rule, ruleset, as_of)
    _EXPLAINERS[id(rule)] = (rule, ruleset, ruleset.params, as_of, made)
    return made


def computed_evidence(rule: Rule, obj: Any, ruleset: Ruleset, as_of: dt.date) -> dict[str, Any]:
    """The explained calls of ``rule`` on one record: call as written -> explanation (a fresh dict each)."""
    return {label: dict(got) for label, got in explainer(rule, ruleset, as_of)(obj).items()}
