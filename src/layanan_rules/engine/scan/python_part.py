"""The Python part of the scan: the rules without an SQL form (or reading what DuckDB does not
type) decided by the Python engine over only the fields they read (:func:`_python_part`), once per
distinct value where they read one field (:func:`_python_by_value`), and the records DuckDB gave up
on read by the adapters' own code (:func:`_read_python`, :func:`_read_jsonl`), so their problems are
named as ever.

Why a module: it is where records are built in Python again; its rows join the findings table as
they are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from layanan_rules import model
from layanan_rules.data.dataset import DataIssue, Dataset
from layanan_rules.engine import evaluation, sql
from layanan_rules.engine.scan.plan import ALL, EntityPlan, _foreign_keys, _needs, _pack, _tree
from layanan_rules.engine.scan.quote import _ident, _q
from layanan_rules.engine.scan.source import NotDirect, _Source
from layanan_rules.engine.states import State
from layanan_rules.rules.ruleset import Rule, Ruleset, leaf_reads

_CODES = {State.pass_: 0, State.fail: 1, State.not_applicable: 2, State.error: 3}


def _python_part(con: Any, source: _Source, ruleset: Ruleset, plans: Mapping[str, EntityPlan],
                 bad_rows: Mapping[str, list[int]], rule_index: Mapping[str, int], as_of: dt.date,
                 records: dict[str, int]) -> tuple[list[DataIssue], dict[str, int]]:
    """The Python side: whole records where DuckDB cannot read them as the model does, the
    fields Python rules read of the others; the Python engine over them. ``__f_python`` holds
    its findings; returns the data issues and, per entity, the records read in Python."""
    import pyarrow as pa

    from layanan_rules import inputs

    read: dict[str, list[tuple[int, bool]]] = {}  # entity -> (__i, DuckDB did not decide it) in the order read
    # per gated Python rule (by its gate's text): the rows (__i) where its gate is false
    gated: dict[str, dict[str, set[int]]] = {}
    for entity, plan in plans.items():
        for j, (_rule, gate, _progs) in enumerate(plan.gates):
            gated.setdefault(entity, {}).setdefault(gate.require.source, {i for (i,) in con.execute(
                f'SELECT "__i" FROM "__d_{entity}" WHERE NOT "__py" AND "__g{j}"').fetchall()})
    raws = list(_read_python(con, source, plans, bad_rows, read, _skipped_children(con, source, plans, bad_rows)))
    if not raws:
        return [], {}
    ds = Dataset.from_records(raws)
    del raws
    cols: dict[str, list[Any]] = {k: [] for k in ("rule", "__i", "entity_id", "code", "reason", "message")}
    limits = inputs.current()
    cost = (limits.expr_steps, limits.expr_seconds)
    python_records: dict[str, int] = {}
    for entity, plan in plans.items():
        recs = ds.records.get(entity, [])
        rows = read.get(entity, [])
        if len(rows) != len(recs):  # children written inside their parent's line: numbered by it
            rows = rows + [(rows[-1][0] if rows else 0, True)] * (len(recs) - len(rows))
        records.setdefault(entity, len(recs))
        python_records[entity] = len(recs)
        jobs = []
        if plan.python_rules and recs:
            gate_of = {id(r): g.require.source for r, g, _p in plan.gates}
            free = [r for r, _why in plan.python_rules if id(r) not in gate_of]
            if free:
                jobs.append((free, recs, [i for i, _w in rows]))
            by_gate: dict[str, list[Rule]] = {}
            for r, _why in plan.python_rules:
                if id(r) in gate_of:
                    by_gate.setdefault(gate_of[id(r)], []).append(r)
            for text, rules in by_gate.items():
                # the gate is false: the rule does not apply, unless the model could not read a
                # field (the Python engine names it) or the record at all
                off = gated[entity][text]
                rest = [k for k, (i, _w) in enumerate(rows)
                        if i not in off or recs[k].obj is None or recs[k].problems]
                if len(rest) < len(rows):
                    kept = set(rest)
                    out = [k for k in range(len(rows)) if k not in kept]
                    for rule in rules:
                        cols["rule"] += [rule_index[rule.id]] * len(out)
                        cols["__i"] += [rows[k][0] for k in out]
                        cols["entity_id"] += [recs[k].id for k in out]
                        cols["code"] += [_CODES[State.not_applicable]] * len(out)
                        cols["reason"] += [None] * len(out)
                        cols["message"] += [None] * len(out)
                if rest:
                    jobs.append((rules, [recs[k] for k in rest], [rows[k][0] for k in rest]))
        if plan.compiled is not None:
            whole = [(k, i) for k, (i, w) in enumerate(rows) if w]
            if whole:
                jobs.append((list(plan.compiled.sql_rules), [recs[k] for k, _i in whole], [i for _k, i in whole]))
        elif plan.compiled is None and not plan.python_rules:
            continue
        for rules, subset, positions in jobs:
            blocks = evaluation.evaluate_entity(rules, subset, ruleset.params, as_of, cost)
            ids: list[Any] | None = None
            for rule in rules:  # a column at a time: millions of rows when Python reads every record
                _r, recs_b, states, errors = blocks[id(rule)]
                if ids is None:
                    ids = [rec.id for rec in recs_b]
                n = len(states)
                reasons: list[Any] = [None] * n
                messages: list[Any] = [None] * n
                for k, err in errors.items():
                    reasons[k] = err[0].value if err[0] is not None else None
                    messages[k] = err[1]
                cols["rule"] += [rule_index[rule.id]] * n
                cols["__i"] += positions[:n]
                cols["entity_id"] += ids
                cols["code"] += [_CODES[st] for st in states]
                cols["reason"] += reasons
                cols["message"] += messages
    types = {"rule": pa.int32(), "__i": pa.int64(), "entity_id": pa.string(), "code": pa.uint8(),
             "reason": pa.string(), "message": pa.string()}
    table = pa.table({k: pa.array(v, types[k]) for k, v in cols.items()})
    con.register("__f_python_arrow", table)
    con.execute('CREATE TEMP TABLE "__f_python" AS SELECT * FROM "__f_python_arrow"')
    con.unregister("__f_python_arrow")
    parents = {e for e, p in plans.items() if p.python_fields}
    issues = [i for i in ds.issues if i.kind != "orphan" or i.entity not in parents]
    return issues, {e: n for e, n in python_records.items() if n}


def _tables(con: Any) -> set[str]:
    """The temporary tables and views (the decided codes, ``__d_<entity>``, may be a view of a file)."""
    return {n for (n,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary UNION ALL "
                                      "SELECT view_name FROM duckdb_views() WHERE temporary").fetchall()}


def _python_by_value(con: Any, source: _Source, ruleset: Ruleset, plans: Mapping[str, EntityPlan],
                     rule_index: Mapping[str, int], as_of: dt.date, records: dict[str, int]
                     ) -> dict[str, tuple[int, int]]:
    """The Python rules of an entity decided once per distinct value of the fields they read, not
    once per record: ``__f_value_<entity>`` holds their findings rows for every record. Returns,
    per entity so decided, its number of records and of distinct values.

    Why: a rule Python decides over a field the model parses (a list of regulations written as
    text) costs the parse per record, and such fields repeat across a catalogue. Exact: the rules
    read only those fields (no id, no relation, and no other entity's rule reads this one's), the
    model structures each field from its value alone, and an entity is decided this way only when
    no distinct value gave a data problem or a message (those name the record or its place): then
    every record with the same values has the same state and reason. Else the usual per-record path."""
    import pyarrow as pa

    from layanan_rules import inputs
    from layanan_rules.data.dataset import iter_json_records

    if source.kind != "parquet":
        return {}
    needed_by_others: set[str] = set()
    for entity, plan in plans.items():
        for rule, _why in plan.python_rules:
            need: dict[str, set[str]] = {}
            _needs(rule, need)
            needed_by_others |= set(need) - {entity}
    limits = inputs.current()
    out: dict[str, tuple[int, int]] = {}
    for entity, plan in plans.items():
        if not plan.python_rules or entity not in source.entities or entity in needed_by_others:
            continue
        own: dict[str, set[str]] = {}
        for rule, _why in plan.python_rules:
            _needs(rule, own)
        fields = own.get(entity, set())
        keys = {f.split(".")[0] for f in fields}
        have = source.types[entity]
        if (set(own) != {entity} or ALL in fields or not fields or keys & ({"id"} | _foreign_keys(entity))
                or not keys <= set(have) or "id" not in have):
            continue
        path = str(source.files[entity])
        packed = [f"{_pack(_ident(f), have[f], sub)} AS {_ident(f)}" for f, sub in _tree(fields).items()]
        names = ", ".join(_ident(f) for f in _tree(fields))
        if have["id"] != "VARCHAR":
            continue
        con.execute(f'CREATE OR REPLACE TEMP TABLE "__v_{entity}" AS SELECT "__i", entity_id, '
                    f'min("__i") OVER (PARTITION BY {names}) AS rep, {names} FROM (SELECT file_row_number AS "__i", '
                    f'id AS entity_id, {", ".join(packed)} FROM read_parquet({_q(path)}, file_row_number=true))')
        # ids the model reads as they are, once each: else the per-record path names the problem
        n, distinct, blank = con.execute(f'SELECT count(*), count(DISTINCT entity_id), count_if(entity_id IS NULL OR '
                                         f'trim(entity_id) = \'\') FROM "__v_{entity}"').fetchall()[0]
        if n != distinct or blank:
            continue
        got = con.sql(f'SELECT "__i", {names} FROM "__v_{entity}" WHERE "__i" = rep ORDER BY 1').to_arrow_table()
        reps = got.column("__i").to_pylist()
        rows = [{"id": f"__rep{i}", **row} for i, row in zip(reps, got.drop_columns(["__i"]).to_pylist())]
        ds = Dataset.from_records(iter_json_records({entity: rows}, source=path))
        recs = ds.records.get(entity, [])
        if len(recs) != len(reps) or any(i.kind != "orphan" for i in ds.all_issues()):
            continue
        rules = [r for r, _why in plan.python_rules]
        blocks = evaluation.evaluate_entity(rules, recs, ruleset.params, as_of, (limits.expr_steps, limits.expr_seconds))
        cols: dict[str, list[Any]] = {"rule": [], "rep": [], "code": [], "reason": []}
        plain = True
        for rule in rules:
            _r, _recs, states, errors = blocks[id(rule)]
            if any(err[1] for err in errors.values()):
                plain = False
                break
            ri = rule_index[rule.id]
            cols["rule"] += [ri] * len(states)
            cols["rep"] += reps
            cols["code"] += [_CODES[st] for st in states]
            reasons: list[Any] = [None] * len(states)
            for n, err in errors.items():
                reasons[n] = err[0].value if err[0] is not None else None
            cols["reason"] += reasons
        if not plain:
            continue
        types = {"rule": pa.int32(), "rep": pa.int64(), "code": pa.uint8(), "reason": pa.string()}
        con.register("__v_arrow", pa.table({k: pa.array(v, types[k]) for k, v in cols.items()}))
        con.execute(f'CREATE TEMP TABLE "__f_value_{entity}" AS SELECT f.rule, v."__i", v.entity_id, f.code, '
                    f'f.reason, NULL::VARCHAR AS message FROM "__v_arrow" f JOIN "__v_{entity}" v ON v.rep = f.rep')
        con.unregister("__v_arrow")
        records.setdefault(entity, n)
        out[entity] = (n, len(reps))
    return out


def _skipped_children(con: Any, source: _Source, plans: Mapping[str, EntityPlan],
                      bad_rows: Mapping[str, list[int]]) -> dict[str, str]:
    """Child entity -> an SQL condition over its rows (Parquet: its columns; JSON Lines: its line
    ``l.j``), true for the rows Python need not read: every rule of the Python side reading them is
    a gated rule of one parent entity (:func:`_gate`) that does not apply to their parent.

    Exact: such a parent's state for those rules is decided without its children. A child is
    skipped only when its link (a Parquet text column or a JSON text, which the model keeps as
    given) is the id of
    one parent row exactly, that parent's id written once, DuckDB read it (not ``__py``) and every
    gate of those rules is false for it, or it has no link (null or ``""``: no value to the model,
    so no parent's). Children of any other parent, orphans and the child rows DuckDB gave up on
    are read as before; so are the children of another entity's records that DuckDB gave up on
    whose relation rules run in SQL (:func:`_children_for`): a child linked to such an entity is
    skipped only when that link is null, ``""`` or the id of one of its rows DuckDB read. Nothing
    is skipped when the child has Python rules of its own or another entity's Python rule reads it."""
    users: dict[str, set[tuple[str, int] | None]] = {}  # child -> (parent, gate) reading it; None: something else
    for entity, plan in plans.items():
        gate_index = {id(r): j for j, (r, _g, _p) in enumerate(plan.gates)}
        for rule, _why in plan.python_rules:
            need: dict[str, set[str]] = {}
            _needs(rule, need)
            for child in set(need) - {entity}:
                direct = list(sql.relations(entity).values()).count(child) == 1
                users.setdefault(child, set()).add(
                    (entity, gate_index[id(rule)]) if id(rule) in gate_index and direct and set(need) == {entity, child}
                    else None)
        if plan.relations and bad_rows.get(entity) and plan.compiled is not None:  # as _children_for
            for rule in plan.compiled.sql_rules:
                if {p.split(".")[0] for p in leaf_reads(rule, entity)} & set(plan.relations):
                    need = {}
                    _needs(rule, need)
                    for child in set(need) - {entity}:
                        direct = list(sql.relations(entity).values()).count(child) == 1
                        users.setdefault(child, set()).add((entity, -1) if direct and set(need) == {entity, child}
                                                           else None)
    tables = _tables(con)

    def linked(child: str, parent: str, ok: str) -> str | None:  # the link is none, or to one clean row
        fk = next((fk for c, fk, p, _f in model.RELATIONS if c == child and p == parent), None)
        if fk is None or parent not in source.entities or f"__d_{parent}" not in tables:
            return None
        if source.kind == "parquet" and (source.types[child].get(fk) != "VARCHAR"
                                         or source.types[parent].get("id") != "VARCHAR"):
            return None
        table = f"__skip_{child}_{parent}"
        con.execute(f'CREATE OR REPLACE TEMP TABLE {_ident(table)} AS SELECT "__id" AS k FROM "__d_{parent}" '
                    f'WHERE NOT "__py" AND {ok} AND "__id" IN '
                    f'(SELECT "__id" FROM "__d_{parent}" GROUP BY "__id" HAVING count(*) = 1)')
        if source.kind == "parquet":
            return f"(coalesce({_ident(fk)}, '') = '' OR {_ident(fk)} IN (SELECT k FROM {_ident(table)}))"
        # JSON Lines (over the line ``l.j``): absent or null, or a JSON text ("" or a clean parent's id)
        path = _q("$." + _ident(child) + "." + _ident(fk))
        return (f"(coalesce(json_type(l.j, {path}), 'NULL') = 'NULL' OR (json_type(l.j, {path}) = 'VARCHAR' AND "
                f"(json_extract_string(l.j, {path}) = '' OR json_extract_string(l.j, {path}) IN "
                f"(SELECT k FROM {_ident(table)}))))")

    out: dict[str, str] = {}
    for child, who in users.items():
        gated = {w[0] for w in who if w is not None and w[1] >= 0}
        own = plans.get(child)
        if None in who or len(gated) != 1 or child not in source.entities or (own is not None and own.python_rules):
            continue
        parent, = gated
        gates = sorted({w[1] for w in who if w is not None and w[0] == parent and w[1] >= 0})
        conds = [linked(child, parent, " AND ".join(_ident(f"__g{j}") for j in gates))]
        conds += [linked(child, other, "true") for other in sorted({w[0] for w in who if w is not None} - {parent})]
        if all(c is not None for c in conds):
            out[child] = " AND ".join(c for c in conds if c is not None)
    return out


def _read_python(con: Any, source: _Source, plans: Mapping[str, EntityPlan], bad_rows: Mapping[str, list[int]],
                 read: dict[str, list[tuple[int, bool]]], skipped: Mapping[str, str] | None = None
                 ) -> Iterable[Any]:
    """RawRecords for the Python side, as the adapters read them; ``read`` gets each one's
    ``__i`` and whether it is whole; of the entities in ``skipped`` (:func:`_skipped_children`)
    not the rows its condition holds for (unless DuckDB gave up on them)."""
    from layanan_rules.model.records import records_at_rows

    if source.kind == "jsonl":
        yield from _read_jsonl(con, source, plans, bad_rows, read, skipped or {})
        return
    import pyarrow as pa

    for entity in source.entities:
        plan = plans.get(entity)
        fields = plan.python_fields if plan is not None else frozenset()
        bad = bad_rows.get(entity, [])
        if not fields and not bad:
            continue
        path = str(source.files[entity])
        rows_of = f"read_parquet({_q(path)}, file_row_number=true)"
        if skipped and entity in skipped:
            con.execute("CREATE OR REPLACE TEMP TABLE __keep AS SELECT UNNEST($1::BIGINT[]) AS i", [list(bad)])
            rows_of = (f"(SELECT * FROM {rows_of} WHERE NOT ({skipped[entity]}) "
                       f"OR file_row_number IN (SELECT i FROM __keep))")
        bad_set = set(bad)
        whole_rows: dict[int, dict[str, Any]] = {}
        if ALL in fields:
            query = f"SELECT file_row_number AS __i, * EXCLUDE (file_row_number) FROM {rows_of} ORDER BY 1"
        else:
            if bad:  # whole records where DuckDB gave up (few)
                con.execute("CREATE OR REPLACE TEMP TABLE __want AS SELECT UNNEST($1::BIGINT[]) AS i", [list(bad)])
                got = con.sql(f"SELECT file_row_number AS __i, * EXCLUDE (file_row_number) FROM {rows_of} "
                              f"WHERE file_row_number IN (SELECT i FROM __want)").to_arrow_table()
                whole_rows = dict(zip(got.column("__i").to_pylist(), got.drop_columns(["__i"]).to_pylist()))
            if fields:  # the fields Python rules read, of every record (of a struct, only its parts read)
                have = source.types[entity]
                keep = [f"{_pack(_ident(f), have[f], sub)} AS {_ident(f)}" for f, sub in _tree(fields).items()
                        if f in have]
                query = f"SELECT file_row_number AS __i{''.join(', ' + k for k in keep)} FROM {rows_of} ORDER BY 1"
            else:
                query = ""
        out = read.setdefault(entity, [])

        def batches(q: str = query, whole_rows: dict[int, dict[str, Any]] = whole_rows
                    ) -> Iterable[tuple[list[int], list[dict[str, Any]]]]:
            if not q:
                yield sorted(whole_rows), [whole_rows[i] for i in sorted(whole_rows)]
                return
            for batch in con.sql(q).to_arrow_reader(65_536):
                tbl = pa.Table.from_batches([batch])
                yield tbl.column("__i").to_pylist(), tbl.drop_columns(["__i"]).to_pylist()

        for i, rec in records_at_rows(entity, batches(), source=path, whole=whole_rows):
            out.append((i, i in whole_rows or (ALL in fields and i in bad_set)))
            yield rec


def _read_jsonl(con: Any, source: _Source, plans: Mapping[str, EntityPlan], bad_rows: Mapping[str, list[int]],
                read: dict[str, list[tuple[int, bool]]], skipped: Mapping[str, str]) -> Iterable[Any]:
    """JSON Lines for the Python side: whole lines for the records DuckDB gave up on, lines that
    are no ``{"<entity>": {...}}`` (a list, nested children, a key written twice, no entity) and
    entities read whole; the fields Python rules read of the other lines, extracted by DuckDB,
    except the lines ``skipped`` says of their entity (:func:`_skipped_children`)."""
    from layanan_rules import inputs
    from layanan_rules.data.dataset import iter_json_records
    from layanan_rules.data.jsonfile import JsonAdapter
    from layanan_rules.model.records import Provenance, RawRecord

    location = source.location
    whole_entities = sorted(e for e, p in plans.items() if ALL in p.python_fields)
    con.execute("CREATE OR REPLACE TEMP TABLE __want AS SELECT UNNEST($1::BIGINT[]) AS i",
                [sorted({i for rows in bad_rows.values() for i in rows})])
    con.execute("""CREATE OR REPLACE TEMP TABLE __whole AS SELECT s.__i FROM __shape s JOIN __lines l ON l.rowid = s.__i
        WHERE s.e IS NULL OR NOT list_contains($1, s.e) OR list_contains($2, s.e)
           OR json_type(json_extract(l.j, '$."' || s.e || '"')) <> 'OBJECT'
           OR s.__i IN (SELECT i FROM __want)
           OR EXISTS (SELECT 1 FROM (SELECT json_keys(json_extract(l.j, '$."' || s.e || '"')) AS k)
                      WHERE len(k) <> len(list_distinct(k)))""",
                [list(source.entities), whole_entities])
    # the fields Python rules read of the other records
    parts = []
    for entity, plan in plans.items():
        if not plan.python_fields or ALL in plan.python_fields or entity not in source.entities:
            continue
        tops = sorted({f.split(".")[0] for f in plan.python_fields})  # whole top-level values: duplicates show
        pairs = ", ".join(f"{_q(f)}, json_extract(l.j, {_q('$.' + _ident(entity) + '.' + _ident(f))})" for f in tops)
        skip = f" AND NOT ({skipped[entity]})" if entity in skipped else ""
        parts.append(f"SELECT s.__i, {_q(entity)} AS e, CAST(json_object({pairs}) AS VARCHAR) AS t FROM __shape s "
                     f"JOIN __lines l ON l.rowid = s.__i WHERE s.e = {_q(entity)} AND s.__i NOT IN (SELECT __i FROM __whole)"
                     f"{skip}")
    whole = {i for (i,) in con.execute("SELECT __i FROM __whole").fetchall()}
    # lines DuckDB decided no rule of: not one record of a known entity, or given up on
    undecided = {i for (i,) in con.execute(
        "SELECT s.__i FROM __shape s JOIN __lines l ON l.rowid = s.__i WHERE s.e IS NULL OR NOT list_contains($1, s.e) "
        "OR json_type(json_extract(l.j, '$.\"' || s.e || '\"')) <> 'OBJECT' OR s.__i IN (SELECT i FROM __want)",
        [list(source.entities)]).fetchall()}
    partial: dict[int, tuple[str, str]] = {}
    if parts:
        for i, e, t in con.execute(" UNION ALL ".join(parts)).fetchall():
            partial[i] = (e, t)
    if not whole and not partial:
        return
    k = -1
    for n, line in enumerate(JsonAdapter(location)._text_lines(Path(location)), start=1):
        if not line.strip():
            continue
        k += 1
        obj: Any
        if k in whole:
            obj, duplicates = inputs.load_json(line, f"{location}:{n}")
            w = k in undecided
        elif k in partial:
            e, text = partial[k]
            rec_obj, duplicates = inputs.load_json(text, f"{location}:{n}")
            obj, duplicates, w = {e: rec_obj}, [], False
        else:
            continue
        if not isinstance(obj, dict):
            raise NotDirect(f"{location}:{n}: bukan objek JSON / not a JSON object")
        for rec in iter_json_records(obj, source=location, duplicates=duplicates, line=True):
            p = rec.provenance
            read.setdefault(rec.entity, []).append((k, w))
            yield RawRecord(rec.entity, rec.data, Provenance(p.source, p.part, n if p.part == rec.entity else p.row,
                                                             key=p.key), rec.issues, rec.fields)
