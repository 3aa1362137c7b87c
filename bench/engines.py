"""One adapter per engine: turn the checks of :mod:`rules` into ``record -> [state, ...]``.

Each engine builds an *evaluator* for one entity: a function that takes one raw record (the
plain JSON dict) and returns the state of every check it supports, in order. Whatever an
engine needs to do to a record before its rules can read it (structure it into model objects,
convert it to CEL values, build an activation) happens once per record inside the evaluator,
so it is measured and amortised across that record's rules, as a real deployment would.

Every evaluator follows the same per-rule protocol: ``when`` is not true -> not_applicable
(false) or error (anything else); then ``require`` true -> pass, false -> fail, anything
else or an exception -> error.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import rules as R
from rules import ERROR, FAIL, NA, PASS, Check

BENCH = Path(__file__).resolve().parent
RULESET_DIR = BENCH / "ruleset"

Evaluator = Callable[[dict[str, Any]], list[str]]


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def as_of_day(as_of: dt.date) -> int:
    """Days since 1970-01-01 (the local day number the raw-data peers compare against)."""
    return (as_of - dt.date(1970, 1, 1)).days


def _two_phase(pairs: Sequence[tuple[Callable[..., Any] | None, Callable[..., Any]]],
               prep: Callable[[dict[str, Any]], tuple[Any, ...]] | None,
               truth: Callable[[Any], Any] | None = None) -> Evaluator:
    """The shared when/require loop; ``prep`` turns a raw record into the call arguments."""
    if truth is None:
        def ev(rec: dict[str, Any]) -> list[str]:
            args = prep(rec) if prep is not None else (rec,)
            out = []
            append = out.append
            for when, require in pairs:
                try:
                    if when is not None:
                        w = when(*args)
                        if w is not True:
                            append(NA if w is False else ERROR)
                            continue
                    v = require(*args)
                except Exception:  # noqa: BLE001 - any failure is the "error" state
                    append(ERROR)
                    continue
                append(PASS if v is True else FAIL if v is False else ERROR)
            return out
    else:
        def ev(rec: dict[str, Any]) -> list[str]:
            args = prep(rec) if prep is not None else (rec,)
            out = []
            append = out.append
            for when, require in pairs:
                try:
                    if when is not None and not truth(when(*args)):
                        append(NA)
                        continue
                    v = truth(require(*args))
                except Exception:  # noqa: BLE001 - any failure is the "error" state
                    append(ERROR)
                    continue
                append(PASS if v else FAIL)
            return out
    return ev


class Engine:
    name = ""
    alias = ""  # a short name for --engines
    dist = ""  # distribution to report the version of
    attr = ""  # attribute of Check holding this engine's expressions
    note = ""

    def version(self) -> str:
        return _version(self.dist) if self.dist else ""

    def supports(self, check: Check) -> bool:
        return getattr(check, self.attr) is not None

    def build(self, checks: Sequence[Check], entity: str, as_of: dt.date) -> Evaluator:
        raise NotImplementedError


class Floor(Engine):
    """Hand-written Python functions on the raw dict: the floor."""

    name = "hand-written"
    alias = "floor"
    attr = "floor"

    def version(self) -> str:
        return f"Python {sys.version.split()[0]}"

    def build(self, checks: Sequence[Check], entity: str, as_of: dt.date) -> Evaluator:
        fns = [c.floor for c in checks]

        def ev(rec: dict[str, Any]) -> list[str]:
            out = []
            append = out.append
            for f in fns:
                try:
                    v = f(rec, as_of)
                except Exception:  # noqa: BLE001 - any failure is the "error" state
                    append(ERROR)
                    continue
                append(NA if v is None else PASS if v is True else FAIL)
            return out

        return ev


class LayananRules(Engine):
    """The project: the bench ruleset loaded by ``load_ruleset``; per record, the project's
    converter (``structure_record``: raw dict -> attrs model objects) once, then the engine's own
    per-entity program (``engine.record_program``: every rule inline, a shared ``when`` decided
    once per record), exactly as ``evaluate()`` runs a clean record."""

    name = "layanan-rules"
    alias = "lr"
    dist = "layanan-rules"
    attr = "require"

    def __init__(self) -> None:
        self._ruleset: Any = None

    def version(self) -> str:
        v = _version(self.dist)
        try:
            import subprocess

            head = subprocess.run(["git", "-C", str(BENCH), "rev-parse", "--short", "HEAD"],
                                  capture_output=True, text=True, check=True).stdout.strip()
            v += f" (git {head})"
        except Exception:  # noqa: BLE001, S110 - not a git checkout
            pass
        return v

    def ruleset(self) -> Any:
        if self._ruleset is None:
            import layanan_rules

            self._ruleset = layanan_rules.load_ruleset(RULESET_DIR)
            # the bench ruleset is generated from rules.CHECKS; refuse to measure a stale copy
            by_id = {r.id: r for r in self._ruleset.rules}
            for c in R.CHECKS:
                r = by_id.get(c.id)
                if r is None or (r.spec.when or None) != c.when or r.spec.require != c.require:
                    raise SystemExit(f"bench/ruleset is stale for {c.id}: run `python bench/rules.py --write-ruleset`")
        return self._ruleset

    def build(self, checks: Sequence[Check], entity: str, as_of: dt.date) -> Evaluator:
        from layanan_rules import State
        from layanan_rules.data.adapters import Provenance
        from layanan_rules.data.dataset import Record
        from layanan_rules.engine import evaluate_rule, record_program
        from layanan_rules.model.convert import structure_record

        rs = self.ruleset()
        by_id = {r.id: r for r in rs.rules}
        rules = tuple(by_id[c.id] for c in checks)
        run = record_program(rules)  # the engine's own per-record function
        params = rs.params
        n = len(rules)
        state_of = {True: PASS, False: FAIL, None: NA}.get
        errors = [ERROR] * n
        names = {State.pass_: PASS, State.fail: FAIL, State.not_applicable: NA, State.error: ERROR}

        def ev(rec: dict[str, Any]) -> list[str]:
            obj, problems = structure_record(entity, rec)  # raw dict -> model, once per record
            if obj is None:
                return [ERROR] * n
            if problems:  # as the engine does: rule by rule, naming the unreadable field
                record = Record(entity, obj.id, obj, Provenance("bench"), problems=tuple(problems))
                return [names[evaluate_rule(r, (record,), params, as_of)[0][2]] for r in rules]
            return list(map(state_of, run(obj, params, as_of), errors))  # an error outcome is a (reason, message) pair

        return ev


class LayananRulesEvaluate(Engine):
    """The public API end to end: ``evaluate(ruleset, {entity: records}, as_of=...)``, which also
    builds the Dataset (provenance, linking) and the findings (the engine's blocks: a state, reason
    and record per rule x record); ``report.findings`` builds each Finding object as it is read."""

    name = "layanan-rules evaluate()"
    alias = "evaluate"
    dist = "layanan-rules"
    attr = "require"

    def __init__(self, lr: LayananRules) -> None:
        self.lr = lr

    def version(self) -> str:
        return self.lr.version()

    def build(self, checks: Sequence[Check], entity: str, as_of: dt.date) -> Evaluator:
        raise NotImplementedError("batch engine: use run_batch")

    def run_batch(self, checks: Sequence[Check], entity: str, as_of: dt.date,
                  records: Sequence[dict[str, Any]], parents: dict[str, list[dict[str, Any]]] | None = None) -> Any:
        import layanan_rules

        got = getattr(self, "_sub", None)
        if got is None or got[0] is not checks:  # the ruleset of these checks, made once per check list
            import attrs

            rs = self.lr.ruleset()
            wanted = {c.id for c in checks}
            sub = attrs.evolve(rs, rules=tuple(r for r in rs.rules if r.id in wanted)) if attrs.has(type(rs)) else rs
            got = self._sub = (checks, sub)
        data = dict(parents) if parents else {}
        data[entity] = records if type(records) is list else list(records)
        return layanan_rules.evaluate(got[1], data, as_of=as_of)

    @staticmethod
    def counts(report: Any) -> dict[str, dict[str, int]]:
        """The findings (``report.findings``, read lazily: no Finding is built until one is read)
        counted per rule and state with the public ``Report.counts_by_rule()``."""
        report.findings  # noqa: B018 - the public sequence; each Finding is built when read
        return report.counts_by_rule()


class CelRust(Engine):
    """common-expression-language: the Rust CEL interpreter (cel-rust) behind a PyO3 module."""

    name = "cel (Rust)"
    alias = "cel"
    dist = "common-expression-language"
    attr = "cel"

    def build(self, checks: Sequence[Check], entity: str, as_of: dt.date) -> Evaluator:
        import cel

        pairs = [(cel.compile(c.cel[0]).execute if c.cel[0] else None, cel.compile(c.cel[1]).execute) for c in checks]
        Context = cel.Context
        day = as_of_day(as_of)
        epoch = R.EPOCH_WIB

        def prep(rec: dict[str, Any]) -> tuple[Any, ...]:
            # the record is converted to CEL values once, then shared by every rule
            return (Context(variables={entity: rec, "as_of_day": day, "epoch": epoch}),)

        return _two_phase(pairs, prep)


class CelPython(Engine):
    """cel-python (celpy): a pure-Python CEL interpreter."""

    name = "cel-python"
    alias = "celpy"
    dist = "cel-python"
    attr = "cel"

    def build(self, checks: Sequence[Check], entity: str, as_of: dt.date) -> Evaluator:
        import logging

        import celpy
        from celpy import celtypes

        logging.getLogger("celpy").setLevel(logging.ERROR)
        env = celpy.Environment()

        def prog(src: str | None) -> Any:
            return env.program(env.compile(src)).evaluate if src else None

        pairs = [(prog(c.cel[0]), prog(c.cel[1])) for c in checks]
        day = celtypes.IntType(as_of_day(as_of))
        epoch = celtypes.TimestampType(R.EPOCH_WIB)
        json_to_cel = celpy.json_to_cel

        def prep(rec: dict[str, Any]) -> tuple[Any, ...]:
            return ({entity: json_to_cel(rec), "as_of_day": day, "epoch": epoch},)

        def truth(v: Any) -> bool:
            if isinstance(v, celtypes.BoolType):
                return bool(v)
            raise TypeError(f"not a bool: {v!r}")  # CELEvalError values come back, not raised

        return _two_phase(pairs, prep, truth)


class Zen(Engine):
    """zen-engine (GoRules): ZEN expressions, compiled once, evaluated on the record."""

    name = "zen-engine"
    alias = "zen"
    dist = "zen-engine"
    attr = "zen"

    def build(self, checks: Sequence[Check], entity: str, as_of: dt.date) -> Evaluator:
        import zen

        def prog(src: str | None) -> Any:
            return zen.compile_expression(src).evaluate if src else None

        pairs = [(prog(c.zen[0]), prog(c.zen[1])) for c in checks]  # type: ignore[index]
        day = as_of_day(as_of)

        def prep(rec: dict[str, Any]) -> tuple[Any, ...]:
            return ({entity: rec, "as_of_day": day},)

        return _two_phase(pairs, prep)


class JsonLogicEngine(Engine):
    """panzi-json-logic: JsonLogic (with its EXTRAS operations for time), pure Python."""

    name = "json-logic"
    alias = "jsonlogic"
    dist = "panzi-json-logic"
    attr = "jsonlogic"

    def build(self, checks: Sequence[Check], entity: str, as_of: dt.date) -> Evaluator:
        from json_logic import jsonLogic
        from json_logic.builtins import to_bool
        from json_logic.extras import EXTRAS

        def prog(logic: Any) -> Any:
            if logic is None:
                return None
            return lambda data, _l=logic: jsonLogic(_l, data, EXTRAS)

        pairs = [(prog(c.jsonlogic[0]), prog(c.jsonlogic[1])) for c in checks]  # type: ignore[index]
        day = as_of_day(as_of)

        def prep(rec: dict[str, Any]) -> tuple[Any, ...]:
            return ({entity: rec, "as_of_day": day},)

        return _two_phase(pairs, prep, to_bool)


class RuleEngine(Engine):
    """rule-engine (zeroSteiner): its own typed expression language, pure Python."""

    name = "rule-engine"
    alias = "rule-engine"
    dist = "rule-engine"
    attr = "rule_engine"

    def build(self, checks: Sequence[Check], entity: str, as_of: dt.date) -> Evaluator:
        import rule_engine

        def prog(src: str | None) -> Any:
            return rule_engine.Rule(src).evaluate if src else None

        pairs = [(prog(c.rule_engine[0]), prog(c.rule_engine[1])) for c in checks]  # type: ignore[index]
        day = as_of_day(as_of)

        def prep(rec: dict[str, Any]) -> tuple[Any, ...]:
            return ({entity: rec, "as_of_day": day},)

        return _two_phase(pairs, prep)


PEERS: tuple[type[Engine], ...] = (CelRust, Zen, RuleEngine, JsonLogicEngine, CelPython)
