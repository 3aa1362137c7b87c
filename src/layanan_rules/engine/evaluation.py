"""The engine: every in-force rule against every record of its entity, one state per pair."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import tokenize
import types
import weakref
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import attrs

from layanan_rules import inputs, model
from layanan_rules.data.dataset import DEFERRED_RECORD, Dataset, Record, evaluated_object, json_record
from layanan_rules.data.dataset import one_each as dataset_one_each
from layanan_rules.engine.states import COMPACT_FROM, Block, Reason, SkippedRule, State, States
from layanan_rules.expr import BudgetExceeded, CelError, budget, inline
from layanan_rules.model import construct
from layanan_rules.model.bulk import SETTLE_FROM, paused_gc
from layanan_rules.rules.ruleset import Rule, Ruleset, leaf_reads

#: a CelError's reason -> the finding's reason (any other: expression_error)
REASONS = {
    "missing_field": Reason.missing_field,
    "no_such_field": Reason.missing_field,
    "function_failure": Reason.function_failure,
}


def as_dataset(data: Dataset | Mapping[str, Any]) -> Dataset:
    """Accept a Dataset or the plain JSON form."""
    return data if isinstance(data, Dataset) else Dataset.from_json(data)


@attrs.frozen(weakref_slot=False)  # no weak-reference slot: built by construct.maker
class Results:
    """What one evaluation decided: a :data:`Block` of states per in-force rule, in rule order,
    and the rules skipped as not in force. :class:`layanan_rules.report.Report` wraps it."""

    ruleset: Ruleset
    dataset: Dataset
    as_of: dt.date
    blocks: list[Block]
    skipped: list[SkippedRule]


def run(ruleset: Ruleset, data: Dataset | Mapping[str, Any], *, as_of: dt.date | None = None) -> Results:
    """Evaluate ``ruleset`` over ``data`` as the law stood on ``as_of`` (default: today).

    Deterministic: blocks come in rule order, states in input order; nothing depends on the
    clock except the default ``as_of``.
    """
    as_of = as_of or dt.date.today()
    with paused_gc() as pause:  # millions of small results: see layanan_rules.model.bulk
        if isinstance(data, Dataset):  # settled when it was built: what is young now are the blocks
            ds = data
        else:
            ds = Dataset.from_json(data)
            pause.settle = len(ds) >= SETTLE_FROM  # made here and kept (Results.dataset)
        blocks, skipped = evaluate(ruleset, ds, as_of)
    return _results(ruleset, ds, as_of, blocks, skipped)


def evaluate_one(ruleset: Ruleset, data: dict[str, Any], as_of: dt.date) -> tuple[list[Block], list[SkippedRule],
                                                                                 dict[str, int]] | None:
    """A one-record call on the Python engine, straight from the plain JSON form to the blocks:
    ``(blocks, skipped, records per entity)`` as :func:`run` over ``Dataset.from_json(data)`` would
    give them (the report's findings, skipped rules and counts), or None for any call that is not
    simply at most one clean record of each entity (a layanan and the unit and penyelenggara it
    links to): :func:`run` then takes it, and reports what it found.

    What a server's request pays for is its records: each structured (a bad value or an orphan
    sends the call to :func:`run`), the rules run, one Record and Provenance for the findings of
    each record the rules read; no Dataset, no Record for a record no rule reads, no lists of
    states to append to."""
    entry = _plans.get(id(ruleset))
    if entry is None or entry[0]() is not ruleset or entry[1] is not ruleset.rules or entry[2] != as_of:
        entry = _plan_entry(ruleset, as_of)
    plan = entry[3]
    got = dataset_one_each(data, plan[3])
    if got is None:
        return None
    objs, records_of = got
    params = ruleset.params
    limits = inputs.current()
    steps, seconds = limits.expr_steps, limits.expr_seconds
    per_entity = entry[4]
    if len(per_entity) == 1:  # one entity's rules (the bench's, a form's): its blocks in rule order
        ((entity, rules),) = per_entity
        obj = objs.get(entity)
        if obj is None:
            return [(rule, (), [], {}) for rule in rules], list(plan[0]), records_of
        progs = _programs_for(rules, 1)
        one_record = progs.one
        if one_record is None:
            one_record = progs.one = _one_record_program(rules, inline_rules=progs.inlined)
        records = (json_record(entity, obj, data[entity][0]["id"]),)
        budget.start(steps, seconds)
        try:
            blocks = one_record(obj, params, as_of, records)
        except BudgetExceeded:  # rule by rule, each its own budget: the general path
            return None
        finally:
            budget.stop()
        return blocks, list(plan[0]), records_of
    per_rule: dict[int, Block] = {}
    try:
        for entity, rules in per_entity:
            obj = objs.get(entity)
            if obj is None:  # no record of this entity: as evaluate_entity over none
                for rule in rules:
                    per_rule[id(rule)] = (rule, (), [], {})
                continue
            progs = _programs_for(rules, 1)
            records = (json_record(entity, obj, data[entity][0]["id"]),)
            budget.start(steps, seconds)
            try:
                outcomes = progs.run(obj, params, as_of)
            except BudgetExceeded:
                return None
            per_rule.update(progs.blocks(records, outcomes))
    finally:
        budget.stop()
    return [per_rule[k] for k in plan[2] if k in per_rule], list(plan[0]), records_of


_results: Callable[..., Results] = construct.maker(Results, ("ruleset", "dataset", "as_of", "blocks", "skipped"))


#: ``(rules, records, params, as_of, cost) -> {id(rule): Block}``: one entity's in-force rules over
#: its records (:func:`evaluate_entity` here; the SQL back end brings its own)
EntityEvaluator: TypeAlias = Callable[[list[Rule], Any, Any, dt.date, tuple[int, float]], dict[int, Block]]


def evaluate(ruleset: Ruleset, ds: Dataset, as_of: dt.date,
             entity_evaluator: EntityEvaluator | None = None) -> tuple[list[Block], list[SkippedRule]]:
    """Blocks in rule order and the rules skipped: what is in force, what lost its source, and
    each entity's rules through ``entity_evaluator`` (default: the Python back end)."""
    entity_fn = entity_evaluator or evaluate_entity
    unavailable = {i.entity for i in ds.issues if i.kind == "source_unavailable" and i.entity} if ds.issues else None
    not_in_force, by_entity, order, _read = _plan(ruleset, as_of)
    skipped = list(not_in_force)
    per_rule: dict[int, Block] = {}
    by_name = ds.records
    if not unavailable and len(by_entity) == 1:  # one entity's rules (a form, a request): its blocks in rule order
        ((entity, rules),) = by_entity.items()
        limits = inputs.current()
        try:
            per_rule = entity_fn(rules, by_name.get(entity, ()), ruleset.params, as_of,
                                 (limits.expr_steps, limits.expr_seconds))
        finally:
            budget.stop()
        if entity_evaluator is None:  # evaluate_entity keeps the rules' order: the blocks as they are
            return list(per_rule.values()), skipped
        return [per_rule[k] for k in order if k in per_rule], skipped
    if unavailable:
        kept: dict[str, list[Rule]] = {}
        for entity, rules in by_entity.items():
            for rule in rules:
                lost = _reads_unavailable(rule, unavailable)
                if lost:
                    message = (
                        f"data {lost} tidak lengkap (sumber gagal dibaca); aturan ini membacanya / "
                        f"{lost} data is incomplete (its source could not be read) and this rule reads it"
                    )
                    records = tuple(ds.records.get(rule.entity, ()))
                    per_rule[id(rule)] = (rule, records, [State.error] * len(records),
                                          dict.fromkeys(range(len(records)), (Reason.source_unavailable, message)))
                else:
                    kept.setdefault(entity, []).append(rule)
        by_entity = kept
    limits = inputs.current()
    cost = (limits.expr_steps, limits.expr_seconds)
    try:
        for entity, rules in by_entity.items():
            per_rule.update(entity_fn(rules, by_name.get(entity, ()), ruleset.params, as_of, cost))
    finally:
        budget.stop()
    blocks = [per_rule[k] for k in order if k in per_rule]  # rule order: deterministic
    return blocks, skipped


#: id(ruleset) -> (a weak reference to it, its rules tuple, as_of, plan): what depends on the ruleset
#: and the date alone, decided once per ruleset and date rather than on every call (a server
#: evaluates one record per request). Keyed by id and checked through the reference: a dict lookup,
#: where a WeakKeyDictionary's costs a Python call; an entry goes when its ruleset does.
_plans: dict[int, tuple[Any, Any, dt.date, Any, Any]] = {}


def _plan(ruleset: Ruleset, as_of: dt.date) -> tuple[tuple[SkippedRule, ...], dict[str, list[Rule]], tuple[int, ...],
                                                     frozenset[str]]:
    """The rules not in force on ``as_of`` (skipped, with why), the in-force rules per entity,
    every rule's ``id()`` in ruleset order (the order of the blocks), and the entities those rules
    can read (:func:`entities_read`)."""
    return _plan_entry(ruleset, as_of)[3]  # type: ignore[no-any-return]


def _plan_entry(ruleset: Ruleset, as_of: dt.date) -> tuple[Any, Any, dt.date, Any, Any]:
    """``_plans``' entry for ``ruleset`` and ``as_of`` (made if need be): ``(ref, rules, as_of, plan,
    per entity)``, where ``per entity`` holds ``(entity, its rules in force as a tuple)`` in the
    plan's order (what :func:`evaluate_one` runs)."""
    got = _plans.get(id(ruleset))
    if got is not None and got[0]() is ruleset and got[1] is ruleset.rules and got[2] == as_of:
        return got
    skipped: list[SkippedRule] = []
    by_entity: dict[str, list[Rule]] = {}
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
        by_entity.setdefault(rule.entity, []).append(rule)
    plan = (tuple(skipped), by_entity, tuple(id(rule) for rule in ruleset.rules), _descendants(frozenset(by_entity)))
    one = tuple((entity, tuple(rules)) for entity, rules in by_entity.items())
    key = id(ruleset)
    try:
        ref = weakref.ref(ruleset, functools.partial(_forget_plan, key))
    except TypeError:  # not weakly referenceable (a stand-in ruleset): decided each time
        return (None, ruleset.rules, as_of, plan, one)
    entry = _plans[key] = (ref, ruleset.rules, as_of, plan, one)
    return entry


def entities_read(ruleset: Ruleset, as_of: dt.date) -> frozenset[str]:
    """The entities whose objects the rules in force on ``as_of`` can reach: their own entities
    and, through relations, every descendant (a unit's layanan's pengaduan). Only these need
    their children linked (:meth:`Dataset.link`'s ``linked``)."""
    return _plan(ruleset, as_of)[3]


@functools.cache
def _descendants(entities: frozenset[str]) -> frozenset[str]:
    """``entities`` and every entity below them in :data:`model.RELATIONS`."""
    out = set(entities)
    grew = True
    while grew:
        grew = False
        for child, _link, parent, _rel in model.RELATIONS:
            if parent in out and child not in out:
                out.add(child)
                grew = True
    return frozenset(out)


def _forget_plan(key: int, _ref: Any) -> None:
    """A ruleset is gone: its plan too (before another object can take its ``id``)."""
    _plans.pop(key, None)


#: Records of one entity (over the life of the process) from which its rules run inline in one
#: generated function (:func:`record_program`). Generating that code costs ~30 ms per entity, a
#: Python call per rule ~0.1 µs: below this many records, calling each rule's function is cheaper,
#: which is what a one-off command on one Dinas' data or a server's first requests want.
INLINE_FROM = 20_000


class _Programs:
    """What one entity's rule list runs with: its record program (calls at first, inlined once
    ``seen`` records make it pay), its one-record blocks, the record program that ends in them
    (``one``: :func:`evaluate_one`'s, made on its first call); one dict lookup
    per call finds them all (a server's one-record requests pay every lookup)."""

    __slots__ = ("blocks", "inlined", "one", "run", "seen")

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.seen = 0
        self.inlined = False
        self.run = _calling_program(rules)
        self.blocks = _one_record_blocks(rules)
        self.one: OneRecordProgram | None = None  # made on the first one-record call (evaluate_one)


#: rule list -> its programs; at most :data:`_PROGRAMS_KEPT` lists (a long-lived process that loads
#: ruleset after ruleset starts again rather than keeping every one)
_programs: dict[tuple[Rule, ...], _Programs] = {}
_PROGRAMS_KEPT = 256


def _programs_for(rules: tuple[Rule, ...], n: int) -> _Programs:
    """The programs of ``rules`` for ``n`` more records: calls at first, inlined once it pays."""
    got = _programs.get(rules)
    if got is None:
        if len(_programs) >= _PROGRAMS_KEPT:
            _programs.clear()
        got = _programs[rules] = _Programs(rules)
    got.seen += n
    if not got.inlined and got.seen >= INLINE_FROM:
        got.run = record_program(rules)
        got.one = None  # made again, inlined, on the next one-record call
        got.inlined = True
    return got


def evaluate_entity(rules: list[Rule], records: Any, params: Any, as_of: dt.date,
                     cost: tuple[int, float] = (budget.STEPS, budget.SECONDS)) -> dict[int, Block]:
    """All rules of one entity over its records: one generated call per clean record, within
    a budget of ``cost`` (steps, seconds) per record (:mod:`layanan_rules.expr.budget`). The
    thread's budget is stopped on the way out: the SQL back ends call this for the rules left to
    Python, and a budget left running would time out the thread's next unbudgeted evaluation."""
    try:
        return _entity_blocks(rules, records, params, as_of, cost)
    finally:
        budget.stop()


def _entity_blocks(rules: list[Rule], records: Any, params: Any, as_of: dt.date,
                   cost: tuple[int, float]) -> dict[int, Block]:
    key = tuple(rules)
    records = tuple(records)  # a snapshot: every rule's states line up with it
    progs = _programs_for(key, len(records))
    run = progs.run
    if len(records) == 1:  # one record (a form being checked, a server request): straight-line blocks
        obj = records[0].obj
        if obj is not None and not records[0].problems:
            budget.start(*cost)
            try:
                return progs.blocks(records, run(obj, params, as_of))
            except BudgetExceeded:  # rule by rule below, each its own budget
                pass
    k = len(rules)
    compact = len(records) >= COMPACT_FROM  # one byte a state, not an 8-byte reference (states.States)
    columns: list[Any] = [bytearray() if compact else [] for _ in range(k)]
    errors: list[dict[int, tuple[Any, Any]]] = [{} for _ in range(k)]
    start = budget.restarter(*cost)  # this thread's budget, started afresh for each record
    deferred = DEFERRED_RECORD
    now: Any = evaluated_object(records[0].entity) if deferred in set(map(type, records)) else None
    for base in range(0, len(records), _SLAB):  # a slab of records at a time: bounded memory
        outs: list[tuple[Outcome, ...]] = []
        keep = outs.append
        for rec in records[base:base + _SLAB]:
            obj = now(rec) if type(rec) is deferred else None  # structured now, not kept (DEFERRED_RECORD)
            if obj is None:
                obj = rec.obj
                if obj is None or rec.problems:  # the careful path, rule by rule
                    keep(_careful(rules, rec, params, as_of, cost))
                    continue
            start()
            try:
                keep(run(obj, params, as_of))
            except BudgetExceeded:  # one rule went beyond the budget: rule by rule, each its own budget
                keep(_careful(rules, rec, params, as_of, cost))
        # the slab's outcomes a rule at a time (zip transposes them in C), each looked up in C: its
        # state (or code), an error's outcome kept by its index
        for i, col in enumerate(zip(*outs)):
            _column(col, base, columns[i], errors[i], compact)
    if compact:
        return {id(rule): (rule, records, States.of_codes(bytes(c)), er) for rule, c, er in zip(rules, columns, errors)}
    return {id(rule): (rule, records, st, er) for rule, st, er in zip(rules, columns, errors)}


#: records whose outcomes :func:`evaluate_entity` holds before turning them into states
_SLAB = 4_096
#: outcome -> its state and its state's code (:class:`States`); anything else is an error's outcome.
#: Outcomes are exactly ``True``, ``False``, ``None`` or a ``(reason, message)`` pair: the record
#: program makes any other value a ``not_boolean`` error (so ``1`` never stands for ``True`` here).
_STATE_OF_OUTCOME: dict[Any, State] = {True: State.pass_, False: State.fail, None: State.not_applicable}
_CODE_OF_OUTCOME: dict[Any, int] = {k: States.code_of(v) for k, v in _STATE_OF_OUTCOME.items()}
_ERROR_CODE = States.code_of(State.error)


def _column(col: tuple[Outcome, ...], base: int, out: Any, errors: dict[int, tuple[Any, Any]], compact: bool) -> None:
    """One rule's outcomes for the records ``base, base + 1, ...``: their codes appended to ``out``
    (a bytearray) when ``compact``, else their states (a list); each error's outcome in ``errors``
    under its record's index."""
    try:
        if compact:
            got: Any = bytes(map(_CODE_OF_OUTCOME.get, col, itertools.repeat(_ERROR_CODE)))
            err: Any = _ERROR_CODE
        else:
            got = list(map(_STATE_OF_OUTCOME.get, col, itertools.repeat(State.error)))
            err = State.error
    except TypeError:  # an outcome that cannot be looked up (no such thing is made): one at a time
        states = [State.pass_ if x is True else State.fail if x is False else State.not_applicable if x is None
                  else State.error for x in col]
        got = bytes(map(States.code_of, states)) if compact else states
        err = _ERROR_CODE if compact else State.error
    out += got
    if err in got:
        find = got.find if compact else got.index
        j = -1
        try:
            while True:
                j = find(err, j + 1)
                if j < 0:
                    break
                errors[base + j] = col[j]
        except ValueError:  # list.index: no more
            pass


def _careful(rules: list[Rule], rec: Record, params: Any, as_of: dt.date, cost: tuple[int, float]) -> tuple[Outcome, ...]:
    """One record's outcomes rule by rule (:func:`evaluate_rule`): unreadable fields, or a budget
    blown. As the record program gives them: True, False, None, or an error's ``(reason, message)``."""
    out: list[Outcome] = []
    for rule in rules:
        ((_rule, _rec, state, reason, message),) = evaluate_rule(rule, (rec,), params, as_of, cost)
        if state is State.error:
            out.append((reason, message))
        else:
            out.append(True if state is State.pass_ else False if state is State.fail else None)
    return tuple(out)


@functools.lru_cache(maxsize=256)
def _one_record_blocks(rules: tuple[Rule, ...]) -> Callable[[tuple[Record, ...], tuple[Outcome, ...]], dict[int, Block]]:
    """``blocks(records, outcomes)``: the blocks of one record's outcomes, as :func:`evaluate_entity`
    would leave them, in straight-line code (its lists, dicts and appends cost more than the rules
    themselves on one record)."""
    env: dict[str, Any] = {"_P": State.pass_, "_F": State.fail, "_N": State.not_applicable,
                           "_E": State.error, "_T": tuple, "_O": NO_ERRORS}
    k = len(rules)
    lines = ["def blocks(recs, out):", f"    {''.join(f'x{i}, ' for i in range(k))}= out", "    return {"]
    for i, rule in enumerate(rules):  # an outcome is True, False, None or an error's (reason, message)
        env[f"r{i}"] = rule
        lines.append(f"        {id(rule)}: (r{i}, recs, [_P if x{i} is True else _F if x{i} is False else _N "
                     f"if x{i} is None else _E], {{0: x{i}}} if x{i}.__class__ is _T else _O),")
    lines.append("    }")
    exec(compile("\n".join(lines), "<one-record blocks>", "exec"), env)  # noqa: S102 - our own generated code
    fn: Callable[[tuple[Record, ...], tuple[Outcome, ...]], dict[int, Block]] = env["blocks"]
    return fn


#: the errors of a one-record block without any: one shared, read-only mapping (a block never changes)
NO_ERRORS: Mapping[int, tuple[Any, Any]] = types.MappingProxyType({})

#: What a record program gives for each rule: ``True`` (pass), ``False`` (fail), ``None`` (not
#: applicable) or, for an error, a ``(Reason, message)`` pair.
Outcome = bool | None | tuple[Reason, str]
#: generated code: ``run(obj, params, as_of)`` -> one outcome per rule (:func:`record_program`)
RecordProgram: TypeAlias = Callable[[Any, Any, dt.date], tuple[Outcome, ...]]


def _error_outcome(exc: CelError) -> tuple[Reason, str]:
    return REASONS.get(exc.reason, Reason.expression_error), str(exc)


def _not_bool_outcome(part: str, value: Any) -> tuple[Reason, str]:
    return Reason.not_boolean, not_bool(part, value)


@functools.lru_cache(maxsize=256)
def record_program(rules: tuple[Rule, ...]) -> RecordProgram:
    """The rules of one entity as ONE generated function: ``(obj, params, as_of)`` -> an outcome
    per rule, in order.

    Why: looping over rules and calling each costs about as much as the rules themselves. Here
    each distinct ``when`` is decided once per record and every rule's compiled code runs inline
    (:mod:`layanan_rules.expr.inline`), or is called where it cannot be inlined. The semantics
    are :func:`evaluate_rule`'s, rule by rule (``test_engine.py`` checks the two agree).
    """
    try:
        program: RecordProgram = _record_program(rules, inline_rules=True)
    except SyntaxError:  # inlining produced code Python refuses: the plain calls always compile
        program = _record_program(rules, inline_rules=False)
    return program


@functools.lru_cache(maxsize=256)
def _calling_program(rules: tuple[Rule, ...]) -> RecordProgram:
    """:func:`record_program` that calls each rule's compiled function (cheap to generate)."""
    program: RecordProgram = _record_program(rules, inline_rules=False)
    return program


#: generated code: ``one(obj, params, as_of, records)`` -> the blocks of one record, in rule order
OneRecordProgram: TypeAlias = Callable[[Any, Any, dt.date, tuple[Record, ...]], list[Block]]


@functools.lru_cache(maxsize=256)
def _one_record_program(rules: tuple[Rule, ...], *, inline_rules: bool) -> OneRecordProgram:
    """:func:`record_program` ending in the blocks of its one record (``records``) in rule order,
    as :func:`_one_record_blocks` makes them of its outcomes: one call, no tuple of outcomes."""
    try:
        program: OneRecordProgram = _record_program(rules, inline_rules=inline_rules, blocks=True)
    except SyntaxError:
        program = _record_program(rules, inline_rules=False, blocks=True)
    return program


def _record_program(rules: tuple[Rule, ...], *, inline_rules: bool, blocks: bool = False) -> Any:
    """Generate the program; ``inline_rules=False`` calls each compiled rule instead; ``blocks``:
    it takes the record's Records too and returns their blocks (:func:`_one_record_program`)."""
    env: dict[str, Any] = {"_CelError": CelError, "_err": _error_outcome, "_nb": _not_bool_outcome}
    helpers: list[str] = []
    params: list[str] | None = None

    def run_lines(prog: Any, name: str, key: str, ind: str) -> list[str]:
        """Statements setting ``name`` to ``prog``'s value, or raising CelError."""
        nonlocal params
        mine = inline.parameters(prog)
        if params is None:
            params = mine
        if mine == params and inline_rules:
            try:
                hl, body, ns = inline.inline(prog, name, f"_{key}", ind)
            except (inline.NotInlinable, SyntaxError, ValueError, tokenize.TokenError):  # call it instead
                pass
            else:
                helpers.extend(hl)
                env.update(ns)
                return body
        env[key] = prog.fn
        return [f"{ind}{name} = {key}(o, p, a)"]

    groups: dict[str | None, list[int]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(rule.when.source if rule.when is not None else None, []).append(i)
    lines: list[str] = []

    def requires(indexes: list[int], ind: str) -> None:
        for i in indexes:
            lines.append(f"{ind}try:")
            lines.extend(run_lines(rules[i].require, f"r{i}", f"R{i}", ind + "    "))
            lines.extend([f"{ind}except _CelError as e:", f"{ind}    r{i} = _err(e)"])
            if not rules[i].require.returns_bool:  # else the compiler proved it is a bool
                lines.extend([f"{ind}else:",
                              f"{ind}    if r{i} is not True and r{i} is not False: r{i} = _nb('require', r{i})"])

    for g, (source, indexes) in enumerate(groups.items()):
        if source is None:
            requires(indexes, "    ")
            continue
        lines.append("    try:")
        lines.extend(run_lines(rules[indexes[0]].when, "w", f"W{g}", "        "))
        lines.extend([
            "    except _CelError as e:",
            "        w = _err(e)",
            "    else:",
            "        if w is False: w = None",
            "        elif w is not True: w = _nb('when', w)",
            "    if w is True:",
        ])
        requires(indexes, "        ")
        lines.extend(["    else:", f"        {' = '.join(f'r{i}' for i in indexes)} = w"])
    if blocks:  # as _one_record_blocks makes them of the outcomes r0, r1, ..., as a list in rule order
        env.update({"_bP": State.pass_, "_bF": State.fail, "_bN": State.not_applicable, "_bE": State.error,
                    "_bT": tuple, "_bO": NO_ERRORS})
        lines.append("    return [")
        for i, rule in enumerate(rules):
            env[f"_bR{i}"] = rule
            lines.append(f"        (_bR{i}, _recs_, [_bP if r{i} is True else _bF if r{i} is False else _bN if r{i} is None "
                         f"else _bE], {{0: r{i}}} if r{i}.__class__ is _bT else _bO),")
        lines.append("    ]")
    else:
        lines.append(f"    return ({''.join(f'r{i}, ' for i in range(len(rules)))})")
    bind = [f"    {name} = {arg}" for name, arg in zip(params or (), ("o", "p", "a"))]
    head = "def run(o, p, a, _recs_):" if blocks else "def run(o, p, a):"
    code = "\n".join([*helpers, head, *bind, *lines])
    exec(compile(code, "<one-record program>" if blocks else "<record program>", "exec"), env)  # noqa: S102 - our own generated code
    return env["run"]


def evaluate_rule(rule: Rule, records: Any, params: Any, as_of: dt.date,
                  cost: tuple[int, float] | None = None) -> list[tuple[Any, ...]]:
    """One rule over a list of records, one record at a time: the reference semantics, and the
    careful path for records with unreadable fields (a clean record goes through
    :func:`record_program`). Each record gets a budget of ``cost`` (steps, seconds), by default
    the ``expr_steps`` and ``expr_seconds`` limits. Returns ``(rule, record, state, reason,
    message)`` rows."""
    out: list[tuple[Any, ...]] = []
    append = out.append
    when = rule.when.fn if rule.when is not None else None
    require = rule.require.fn
    if cost is None:
        limits = inputs.current()
        cost = (limits.expr_steps, limits.expr_seconds)
    for rec in records:
        obj = rec.obj
        if obj is None:
            append((rule, rec, State.error, Reason.unreadable_record, _problem_text(rec)))
            continue
        if rec.problems:
            hit = _touched_problem(rule, rec)
            if hit is not None:
                append((rule, rec, State.error, *hit))
                continue
        budget.start(*cost)
        try:
            if when is not None:
                applies = when(obj, params, as_of)
                if applies is not True:
                    if applies is False:
                        append((rule, rec, State.not_applicable, None, None))
                    else:
                        append((rule, rec, State.error, *_not_bool_outcome("when", applies)))
                    continue
            result = require(obj, params, as_of)
        except CelError as exc:
            append((rule, rec, State.error, *_error_outcome(exc)))
            continue
        except BudgetExceeded as exc:
            append((rule, rec, State.error, Reason.budget_exceeded, f"{exc.message} (aturan / rule {rule.id})"))
            continue
        finally:
            budget.stop()
        if result is True:
            append((rule, rec, State.pass_, None, None))
        elif result is False:
            append((rule, rec, State.fail, None, None))
        else:
            append((rule, rec, State.error, *_not_bool_outcome("require", result)))
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


def not_bool(part: str, value: Any) -> str:
    """The message of a ``when``/``require`` that gave ``value``, not a boolean."""
    return f"{part} menghasilkan {value!r}, bukan true/false / {part} gave {value!r}, not true/false"


def _problem_text(rec: Record) -> str:
    return "; ".join(f"{p.field}: {p.message} @ {rec.where(p.field)}" for p in rec.problems) or "record tidak terbaca / unreadable record"


_BLOCKING = {"malformed_value": Reason.malformed_value, "unrecognised_column": Reason.unrecognised_column}


def _touched_problem(rule: Rule, rec: Record) -> tuple[Reason, str] | None:
    """If the rule reads a field that could not be read (or whose column was not recognised),
    say which and where. A value read with a reservation (``partly_read``) does not block."""
    reads = leaf_reads(rule, rec.entity)
    for p in rec.problems:
        reason = _BLOCKING.get(p.reason)
        if reason is None:
            continue
        f = p.field
        for r in reads:
            if r == f or r.startswith(f + ".") or f.startswith(r + "."):
                return reason, f"{f}: {p.message} @ {rec.where(f)}"
    return None
