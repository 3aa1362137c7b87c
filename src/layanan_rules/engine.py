"""The engine: every in-force rule against every record of its entity, one state per pair."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from layanan_rules import model
from layanan_rules.bulk import paused_gc
from layanan_rules.dataset import Dataset, Record
from layanan_rules.expr import CelError
from layanan_rules.report import Reason, Report, SkippedRule, State, leaf_reads
from layanan_rules.ruleset import Rule, Ruleset

_REASONS = {
    "missing_field": Reason.missing_field,
    "no_such_field": Reason.missing_field,
    "function_failure": Reason.function_failure,
}


def as_dataset(data: Dataset | Mapping[str, Any]) -> Dataset:
    """Accept a Dataset or the plain JSON form."""
    return data if isinstance(data, Dataset) else Dataset.from_json(data)


def evaluate(ruleset: Ruleset, data: Dataset | Mapping[str, Any], *, as_of: dt.date | None = None) -> Report:
    """Evaluate ``ruleset`` over ``data`` as the law stood on ``as_of`` (default: today).

    Deterministic: findings come in rule order, then input order; nothing depends on the clock
    except the default ``as_of``, which the report states.
    """
    with paused_gc():  # millions of small results: see layanan_rules.bulk
        return _evaluate(ruleset, as_dataset(data), as_of or dt.date.today())


def _evaluate(ruleset: Ruleset, ds: Dataset, as_of: dt.date) -> Report:
    skipped: list[SkippedRule] = []
    unavailable = {i.entity for i in ds.issues if i.kind == "source_unavailable" and i.entity}
    per_rule: dict[int, list[tuple[Any, ...]]] = {}
    shared: dict[tuple[str, str], list[Rule]] = {}  # rules of one entity with the same `when`
    for rule in ruleset.rules:
        if not rule.in_force(as_of):
            s = rule.spec
            skipped.append(
                SkippedRule(
                    rule.id,
                    f"tidak berlaku pada {as_of.isoformat()} (berlaku {s.valid_from or '…'} s.d. {s.valid_to or '…'}) / "
                    f"not in force on {as_of.isoformat()}",
                )
            )
            continue
        records = ds.records.get(rule.entity, ())
        lost = _reads_unavailable(rule, unavailable)
        if lost:
            message = (
                f"data {lost} tidak lengkap (sumber gagal dibaca); aturan ini membacanya / "
                f"{lost} data is incomplete (its source could not be read) and this rule reads it"
            )
            per_rule[id(rule)] = [(rule, rec, State.error, Reason.source_unavailable, message) for rec in records]
        elif rule.when is not None:
            shared.setdefault((rule.entity, rule.when.source), []).append(rule)
        else:
            per_rule[id(rule)] = evaluate_rule(rule, records, ruleset.params, as_of)
    for (entity, _when), group in shared.items():
        records = ds.records.get(entity, ())
        if len(group) == 1:
            per_rule[id(group[0])] = evaluate_rule(group[0], records, ruleset.params, as_of)
        else:
            per_rule.update(_evaluate_shared_when(group, records, ruleset.params, as_of))
    rows: list[tuple[Any, ...]] = []
    for rule in ruleset.rules:  # rule order, then input order: deterministic
        rows.extend(per_rule.get(id(rule), ()))
    return Report(
        ruleset.id, ruleset.version, as_of, None, skipped, ds.all_issues(), ds.counts(), ruleset=ruleset, rows=rows
    )


def _evaluate_shared_when(rules: list[Rule], records: Any, params: Any, as_of: dt.date) -> dict[int, list[Any]]:
    """Rules with the same applicability condition: decide it once per record, not once per rule."""
    out: dict[int, list[tuple[Any, ...]]] = {id(r): [] for r in rules}
    when = rules[0].when.fn  # type: ignore[union-attr]
    requires = [(r, r.require.fn, out[id(r)].append) for r in rules]
    for rec in records:
        obj = rec.obj
        if obj is None or rec.problems:  # the careful path, rule by rule
            for r in rules:
                out[id(r)].extend(evaluate_rule(r, (rec,), params, as_of))
            continue
        try:
            applies = when(obj, params, as_of)
        except CelError as exc:
            reason = _REASONS.get(exc.reason, Reason.expression_error)
            for r, _req, append in requires:
                append((r, rec, State.error, reason, str(exc)))
            continue
        if applies is not True:
            for r, _req, append in requires:
                if applies is False:
                    append((r, rec, State.not_applicable, None, None))
                else:
                    append((r, rec, State.error, Reason.not_boolean, _not_bool("when", applies)))
            continue
        for r, require, append in requires:
            try:
                result = require(obj, params, as_of)
            except CelError as exc:
                append((r, rec, State.error, _REASONS.get(exc.reason, Reason.expression_error), str(exc)))
                continue
            if result is True:
                append((r, rec, State.pass_, None, None))
            elif result is False:
                append((r, rec, State.fail, None, None))
            else:
                append((r, rec, State.error, Reason.not_boolean, _not_bool("require", result)))
    return out


def evaluate_rule(rule: Rule, records: Any, params: Any, as_of: dt.date) -> list[tuple[Any, ...]]:
    """One rule over a list of records: the hot loop. Returns ``(rule, record, state, reason,
    message)`` rows; ``Finding(*row)`` makes a Finding of one."""
    out: list[tuple[Any, ...]] = []
    append = out.append
    when = rule.when.fn if rule.when is not None else None
    require = rule.require.fn
    for rec in records:
        obj = rec.obj
        if obj is None:
            append((rule, rec, State.error, Reason.unreadable_record, _problem_text(rec)))
            continue
        if rec.problems:
            hit = _touched_problem(rule, rec)
            if hit is not None:
                append((rule, rec, State.error, Reason.malformed_value, hit))
                continue
        try:
            if when is not None:
                applies = when(obj, params, as_of)
                if applies is not True:
                    if applies is False:
                        append((rule, rec, State.not_applicable, None, None))
                    else:
                        append((rule, rec, State.error, Reason.not_boolean, _not_bool("when", applies)))
                    continue
            result = require(obj, params, as_of)
        except CelError as exc:
            append((rule, rec, State.error, _REASONS.get(exc.reason, Reason.expression_error), str(exc)))
            continue
        if result is True:
            append((rule, rec, State.pass_, None, None))
        elif result is False:
            append((rule, rec, State.fail, None, None))
        else:
            append((rule, rec, State.error, Reason.not_boolean, _not_bool("require", result)))
    return out


def _reads_unavailable(rule: Rule, unavailable: set[str]) -> str | None:
    """The child entity, read through a relation (``unit.pengaduan``), whose source failed."""
    if not unavailable:
        return None
    prefix = rule.entity + "."
    for path in rule.reads:
        if path.startswith(prefix):
            first = path[len(prefix):].split(".", 1)[0]
            for child, _link, parent, rel in model.RELATIONS:
                if parent == rule.entity and rel == first and child in unavailable:
                    return child
    return None


def _not_bool(part: str, value: Any) -> str:
    return f"{part} menghasilkan {value!r}, bukan true/false / {part} gave {value!r}, not true/false"


def _problem_text(rec: Record) -> str:
    return "; ".join(f"{p.field}: {p.message} @ {rec.where(p.field)}" for p in rec.problems) or "record tidak terbaca / unreadable record"


def _touched_problem(rule: Rule, rec: Record) -> str | None:
    """If the rule reads a field that could not be read, say which and where."""
    reads = leaf_reads(rule, rec.entity)
    for p in rec.problems:
        if p.reason != "malformed_value":
            continue
        f = p.field
        for r in reads:
            if r == f or r.startswith(f + ".") or f.startswith(r + "."):
                return f"{f}: {p.message} @ {rec.where(f)}"
    return None
