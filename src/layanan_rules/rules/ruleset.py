"""Loading, checking and compiling rulesets.

Loading collects *every* problem in every file (unknown keys, wrong types, duplicate ids,
expressions that do not parse or name fields the model lacks) and raises one
:class:`RulesetError` listing them all, each as ``file:line:column: [rule id] message``.
Each rule's ``when`` and ``require`` compile once, here, into plain Python callables.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import cattrs

from layanan_rules import expr, inputs, model
from layanan_rules.expr.functions import Function
from layanan_rules.model.convert import _dotted, _problems, structure_record
from layanan_rules.rules.rulefile import RulesetSpec, RuleSpec, Severity, Text, converter
from layanan_rules.rules.yamlpos import Location, Positions, YamlError
from layanan_rules.rules.yamlpos import load_file as load_yaml_file

RULESET_FILE = "ruleset.yaml"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@attrs.frozen
class Problem:
    """One thing wrong in a rule file, with where and, when one fits, a suggestion."""

    location: Location
    message: str
    rule_id: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        rid = f" [{self.rule_id}]" if self.rule_id else ""
        hint = f" (maksud Anda / did you mean: {self.hint}?)" if self.hint else ""
        return f"{self.location}:{rid} {self.message}{hint}"


class RulesetError(Exception):
    """A ruleset could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@attrs.define(eq=False)
class Rule:
    """A compiled rule: its spec, its callables, and where it was written."""

    spec: RuleSpec
    when: expr.Program | None
    require: expr.Program
    location: Location
    version: str
    #: the rule file's ``evidence``: (name, program, whether it reads personal data)
    evidence: tuple[tuple[str, expr.Program, bool], ...] = ()

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def entity(self) -> str:
        return self.spec.applies_to

    @property
    def severity(self) -> Severity:
        return self.spec.severity

    @property
    def reads(self) -> tuple[str, ...]:
        """Field paths the rule reads (``layanan.standar.dasar_hukum``), for evidence."""
        seen: dict[str, None] = {}
        for prog in (self.when, self.require):
            if prog is not None:
                for r in prog.reads:
                    seen.setdefault(r, None)
        return tuple(seen)

    def in_force(self, as_of: dt.date) -> bool:
        s = self.spec
        return (s.valid_from is None or s.valid_from <= as_of) and (s.valid_to is None or as_of <= s.valid_to)


@attrs.define(eq=False)
class Ruleset:
    """A loaded ruleset: metadata, parameters and compiled rules, ready to evaluate."""

    spec: RulesetSpec
    rules: tuple[Rule, ...]
    path: Path
    params: Any  # an attrs instance: param.<name> in expressions
    functions: Mapping[str, Function]

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def version(self) -> str:
        return self.spec.version

    def with_params(self, overrides: Mapping[str, Any]) -> Ruleset:
        """A copy with some parameters changed (``--param hari_kerja_untuk_tenggat_uu=true``).

        Values given as text are read as the parameter's own type; an unknown name or a value
        of the wrong type is a ValueError that says what is allowed.
        """
        changes: dict[str, Any] = {}
        for name, value in overrides.items():
            if name not in self.spec.parameters:
                hint = difflib.get_close_matches(name, self.spec.parameters, n=1)
                raise ValueError(
                    f"parameter '{name}' tidak ada di ruleset {self.id} / no parameter '{name}'"
                    + (f"; maksud Anda / did you mean '{hint[0]}'?" if hint else "")
                    + f" — tersedia / available: {', '.join(self.spec.parameters)}"
                )
            current = self.spec.parameters[name].value
            changes[name] = _coerce_param(name, value, current)
        return attrs.evolve(self, params=attrs.evolve(self.params, **changes))

    def in_force_by_entity(self, as_of: dt.date) -> dict[str, list[Rule]]:
        """The rules in force on ``as_of``, by the entity each checks, in ruleset order: what an
        SQL back end plans a pass per entity from."""
        by_entity: dict[str, list[Rule]] = {}
        for rule in self.rules:
            if rule.in_force(as_of):
                by_entity.setdefault(rule.entity, []).append(rule)
        return by_entity

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        hint = difflib.get_close_matches(rule_id, [r.id for r in self.rules], n=1)
        raise KeyError(
            f"aturan '{rule_id}' tidak ada / no rule '{rule_id}'"
            + (f"; maksud Anda / did you mean '{hint[0]}'?" if hint else "")
        )


def _coerce_param(name: str, value: Any, current: Any) -> Any:
    if not isinstance(value, str) or isinstance(current, str):
        return value
    text = value.strip().lower()
    try:
        if isinstance(current, bool):
            if text in ("true", "ya", "1", "yes"):
                return True
            if text in ("false", "tidak", "0", "no"):
                return False
            raise ValueError
        if isinstance(current, int):
            return int(text)
        if isinstance(current, float):
            return float(text.replace(",", "."))
    except ValueError:
        pass
    raise ValueError(
        f"parameter '{name}': nilai '{value}' bukan {type(current).__name__} / value '{value}' is not a "
        f"{type(current).__name__} (current: {current!r})"
    )


def params_class(spec: RulesetSpec) -> type:
    """An attrs class with one field per ruleset parameter, so the checker can check names."""
    fields = {name: attrs.field(type=type(p.value)) for name, p in spec.parameters.items()}
    return attrs.make_class("Param", fields, frozen=True, slots=True)


def declarations(entity: str, param_cls: type) -> dict[str, Any]:
    """Variables a rule's expressions see: the entity itself, ``param`` and ``as_of``."""
    return {entity: model.ENTITIES[entity], "param": param_cls, "as_of": dt.date}


# --- loading -------------------------------------------------------------------------------------


def _structure_problems(exc: BaseException, positions: Positions, base: tuple[Any, ...], rule_id: str | None) -> list[Problem]:
    out = []
    for path, leaf in _problems(exc, ()):
        full = base + path
        if isinstance(leaf, cattrs.errors.ForbiddenExtraKeysError):
            key = path[-1]
            parent_cls = leaf.cl
            known = [f.name.rstrip("_") for f in attrs.fields(parent_cls)] if attrs.has(parent_cls) else []
            hint = difflib.get_close_matches(str(key), known, n=1)
            out.append(
                Problem(
                    positions.key_of(full),
                    f"kunci tidak dikenal '{key}' / unknown key '{key}' (allowed: {', '.join(known)})",
                    rule_id,
                    hint[0] if hint else None,
                )
            )
        elif isinstance(leaf, KeyError):
            out.append(
                Problem(positions.of(full), f"kunci wajib tidak ada / required key missing: {leaf}", rule_id)
            )
        else:
            where = _dotted(path) or "(root)"
            out.append(Problem(positions.of(full), f"nilai salah di '{where}' / bad value at '{where}': {leaf}", rule_id))
    return out


def _read(path: Path) -> tuple[Any, Positions] | Problem:
    try:
        return load_yaml_file(path)
    except OSError as exc:
        return Problem(Location(str(path), 1, 1), f"tidak dapat dibaca / cannot be read: {exc.strerror}")
    except YamlError as exc:
        return Problem(exc.location, exc.message)


def _load_spec(folder: Path, problems: list[Problem]) -> RulesetSpec | None:
    meta = folder / RULESET_FILE
    if not meta.exists():
        problems.append(
            Problem(Location(str(meta), 1, 1), "berkas ruleset.yaml tidak ada / ruleset.yaml is missing")
        )
        return None
    got = _read(meta)
    if isinstance(got, Problem):
        problems.append(got)
        return None
    data, positions = got
    try:
        return converter().structure(data, RulesetSpec)
    except Exception as exc:  # noqa: BLE001 - cattrs raises exception groups of many kinds
        problems.extend(_structure_problems(exc, positions, (), None))
        return None


def _compile_expr(
    source: str, decls: dict[str, Any], functions: Mapping[str, Function], positions: Positions,
    path: tuple[Any, ...], rule_id: str, problems: list[Problem],
) -> expr.Program | None:
    try:
        return expr.compile(source, decls, functions, max_tokens=inputs.current().expr_tokens)
    except expr.ExprErrors as errs:
        for e in errs.errors:
            problems.append(
                Problem(
                    positions.inside(path, getattr(e, "offset", 0), source),
                    f"{path[-1]}: {e.message}",
                    rule_id,
                    getattr(e, "suggestion", None),
                )
            )
    return None


def _load_rules(
    file: Path, spec: RulesetSpec, param_cls: type, functions: Mapping[str, Function],
    seen: dict[str, Location], problems: list[Problem],
) -> list[Rule]:
    got = _read(file)
    if isinstance(got, Problem):
        problems.append(got)
        return []
    data, positions = got
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(
            Problem(positions.of(()), "berkas aturan harus berupa daftar (- id: ...) / a rule file must be a YAML list of rules")
        )
        return []
    rules = []
    for i, item in enumerate(data):
        rid = item.get("id") if isinstance(item, dict) else None
        rid = str(rid) if rid is not None else None
        item = normalise_rule(item, positions, (i,), rid, problems)
        try:
            rs = converter().structure(item, RuleSpec)
        except Exception as exc:  # noqa: BLE001 - every structuring failure becomes a located problem
            problems.extend(_structure_problems(exc, positions, (i,), rid))
            if rid is not None:
                if rid in seen:
                    problems.append(Problem(positions.of((i, "id")), f"id aturan ganda, juga di {seen[rid]} / duplicate rule id, also at {seen[rid]}", rid))
                seen.setdefault(rid, positions.of((i,)))
            _check_entity_and_expressions(item, param_cls, functions, positions, i, rid, problems)
            continue
        loc = positions.of((i,))
        if not _ID.match(rs.id):
            problems.append(Problem(positions.of((i, "id")), f"id aturan tidak sah / invalid rule id '{rs.id}'", rs.id))
        if rs.id in seen:
            problems.append(
                Problem(positions.of((i, "id")), f"id aturan ganda, juga di {seen[rs.id]} / duplicate rule id, also at {seen[rs.id]}", rs.id)
            )
        seen.setdefault(rs.id, loc)
        if rs.applies_to not in model.ENTITIES:
            _check_entity_and_expressions({"applies_to": rs.applies_to, "when": rs.when, "require": rs.require},
                                          param_cls, functions, positions, i, rs.id, problems)
            continue
        if rs.valid_from and rs.valid_to and rs.valid_to < rs.valid_from:
            problems.append(Problem(positions.of((i, "valid_to")), "valid_to sebelum valid_from / valid_to is before valid_from", rs.id))
        decls = declarations(rs.applies_to, param_cls)
        when = _compile_expr(rs.when, decls, functions, positions, (i, "when"), rs.id, problems) if rs.when else None
        req = _compile_expr(rs.require, decls, functions, positions, (i, "require"), rs.id, problems)
        for kind in ("pass_", "fail", "not_applicable", "error"):
            for j, example in enumerate(getattr(rs.examples, kind)):
                key = "pass" if kind == "pass_" else kind
                record = example.get("record", example) if isinstance(example, dict) else example
                if not isinstance(record, dict):
                    problems.append(Problem(positions.of((i, "examples", key, j)), "contoh harus berupa objek / an example must be a mapping", rs.id))
                    continue
                for child in _example_records(rs.applies_to, record):
                    _obj, probs = structure_record(child[0], child[1])
                    for p in probs:
                        problems.append(
                            Problem(positions.of((i, "examples", key, j)), f"contoh {key}[{j}]: {p.field}: {p.message}", rs.id)
                        )
        computed = _compile_evidence(rs, decls, functions, positions, i, problems)
        if req is not None and (rs.when is None or when is not None) and computed is not None:
            rules.append(Rule(rs, when, req, loc, spec.version, computed))
    return rules


def _compile_evidence(
    rs: RuleSpec, decls: dict[str, Any], functions: Mapping[str, Function], positions: Positions, i: int,
    problems: list[Problem],
) -> tuple[tuple[str, expr.Program, bool], ...] | None:
    """The rule's ``evidence`` expressions, compiled like ``require`` (the entity, ``param``, ``as_of``);
    None when one does not compile (problems say where)."""
    out = []
    ok = True
    for name, source in rs.evidence.items():
        if not isinstance(name, str) or not _ID.match(name):
            problems.append(Problem(positions.key_of((i, "evidence", name)),
                                    f"nama bukti tidak sah / invalid evidence name '{name}'", rs.id))
            ok = False
            continue
        prog = _compile_expr(source, decls, functions, positions, (i, "evidence", name), rs.id, problems)
        if prog is None:
            ok = False
            continue
        out.append((name, prog, _reads_personal(rs.applies_to, prog)))
    return tuple(out) if ok else None


def _reads_personal(entity: str, prog: expr.Program) -> bool:
    """Does a computed evidence expression read a field of its entity marked personal?"""
    prefix = entity + "."
    return any(_is_personal(entity, r[len(prefix):]) for r in prog.reads if r.startswith(prefix))


def _is_personal(entity: str, path: str) -> bool:
    """Does a read path of an entity go through a field marked personal in the model?"""
    cls: Any = model.ENTITIES[entity]
    for part in path.split("."):
        if not attrs.has(cls):
            return False
        field = attrs.fields_dict(cls).get(part)
        if field is None:
            return False
        if model.is_personal(field):
            return True
        inner = [a for a in getattr(field.type, "__args__", ()) if attrs.has(a)]
        cls = inner[0] if inner else field.type
    return False


def normalise_rule(item: Any, positions: Positions, base: tuple[Any, ...], rid: str | None,
                   problems: list[Problem]) -> Any:
    """The shorthand ``sanction: {...}`` (one citation) becomes ``sanctions: [{...}]``, with its
    positions, so errors inside it still point at the file; giving both is an error."""
    if not isinstance(item, dict) or "sanction" not in item:
        return item
    if "sanctions" in item:
        problems.append(Problem(positions.key_of(base + ("sanction",)),
                                "tulis 'sanction' (satu) atau 'sanctions' (daftar), bukan keduanya / "
                                "give 'sanction' (one) or 'sanctions' (a list), not both", rid))
        return {k: v for k, v in item.items() if k != "sanction"}
    one = item["sanction"]
    out = {("sanctions" if k == "sanction" else k): ([v] if k == "sanction" and v is not None else v)
           for k, v in item.items()}
    if one is None:
        out["sanctions"] = []
    old = base + ("sanction",)

    def moved(path: tuple[Any, ...]) -> tuple[Any, ...]:
        rest = path[len(old):]
        return base + ("sanctions",) + (((0,) + rest) if rest or one is not None else ())

    for path in [p for p in positions.nodes if p[:len(old)] == old]:
        positions.nodes.setdefault(moved(path), positions.nodes[path])
    for path in [p for p in positions.keys if p[:len(old)] == old]:
        positions.keys.setdefault(moved(path), positions.keys[path])
    if one is not None:
        positions.nodes.setdefault(base + ("sanctions",), positions.nodes[old])
    if old in positions.keys:
        positions.keys[base + ("sanctions",)] = positions.keys[old]
    return out


def _check_entity_and_expressions(
    item: Any, param_cls: type, functions: Mapping[str, Function], positions: Positions, i: int,
    rid: str | None, problems: list[Problem],
) -> None:
    """A rule that cannot be compiled whole (wrong keys, unknown entity) still gets its entity and
    expressions checked, so one lint shows everything; with an unknown entity, syntax only."""
    if not isinstance(item, dict):
        return
    entity = item.get("applies_to")
    if isinstance(entity, str) and entity not in model.ENTITIES:
        hint = difflib.get_close_matches(entity, model.ENTITIES, n=1)
        problems.append(Problem(
            positions.of((i, "applies_to")),
            f"entitas tidak dikenal / unknown entity '{entity}' (one of: {', '.join(model.ENTITIES)})",
            rid or "?", hint[0] if hint else None,
        ))
    if entity in model.ENTITIES:
        decls = declarations(entity, param_cls)
    elif isinstance(entity, str) and entity.isidentifier():
        decls = {entity: object, "param": param_cls, "as_of": dt.date}  # fields unknown: syntax only
    else:
        return
    for key in ("when", "require"):
        if isinstance(item.get(key), str):
            _compile_expr(item[key], decls, functions, positions, (i, key), rid or "?", problems)


def _example_records(entity: str, record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    from layanan_rules.model.records import Provenance, flatten

    data = dict(record)
    data.setdefault("id", "contoh")
    return [(r.entity, dict(r.data)) for r in flatten(entity, data, Provenance("<example>"))]


def load_path(path: Path, functions: Mapping[str, Function]) -> Ruleset:
    """Load a ruleset folder (or its ruleset.yaml); raise RulesetError listing every problem.

    A folder loaded before, unchanged, comes from the disk cache (:mod:`layanan_rules.rules.cache`).
    """
    from layanan_rules.rules import cache

    folder = path.parent if path.is_file() else path
    files = sorted(p for p in folder.glob("*.y*ml") if p.name != RULESET_FILE)
    cache_key = cache.key([folder / RULESET_FILE, *files], functions) if files else None
    if cache_key is not None:
        cached = _from_cache(cache.load(cache_key), folder, functions)
        if cached is not None:
            return cached
    problems: list[Problem] = []
    spec = _load_spec(folder, problems)
    if spec is None:
        raise RulesetError(problems)
    param_cls = params_class(spec)
    params = param_cls(**{k: p.value for k, p in spec.parameters.items()})
    seen: dict[str, Location] = {}
    rules: list[Rule] = []
    if not files:
        problems.append(Problem(Location(str(folder), 1, 1), "tidak ada berkas aturan / no rule files (*.yaml) in the folder"))
    for file in files:
        rules.extend(_load_rules(file, spec, param_cls, functions, seen, problems))
    if problems:
        raise RulesetError(problems)
    if cache_key is not None:
        cache.store(cache_key, (spec, [(r.spec, r.location, r.version) for r in rules]))
    return Ruleset(spec, tuple(rules), folder, params, functions)


def _from_cache(entry: Any, folder: Path, functions: Mapping[str, Function]) -> Ruleset | None:
    """A ruleset from a cache entry written by :func:`load_path`, or None to load the YAML."""
    try:
        spec, items = entry
        param_cls = params_class(spec)
        params = param_cls(**{k: p.value for k, p in spec.parameters.items()})
        rules = []
        for rs, loc, version in items:
            decls = declarations(rs.applies_to, param_cls)
            when = expr.compile(rs.when, decls, functions) if rs.when else None
            computed = []
            for name, source in rs.evidence.items():
                prog = expr.compile(source, decls, functions)
                computed.append((name, prog, _reads_personal(rs.applies_to, prog)))
            rules.append(Rule(rs, when, expr.compile(rs.require, decls, functions), loc, version, tuple(computed)))
    except Exception:  # noqa: BLE001 - no entry, or one this code cannot use: load the YAML
        return None
    return Ruleset(spec, tuple(rules), folder, params, functions)


def lint_file(file: Path, functions: Mapping[str, Function]) -> list[Problem]:
    """Check one rule file, or a whole ruleset folder; return every problem found."""
    if file.is_dir() or file.name == RULESET_FILE:
        try:
            load_path(file, functions)
        except RulesetError as exc:
            return exc.problems
        return []
    problems: list[Problem] = []
    meta = file.parent / RULESET_FILE
    if meta.exists():
        spec = _load_spec(file.parent, problems)
        if spec is None:
            return problems
    else:
        spec = RulesetSpec(id="lint", title=Text("-", "-"), version="0")
    _load_rules(file, spec, params_class(spec), functions, {}, problems)
    return problems


@functools.lru_cache(maxsize=4096)
def leaf_reads(rule: Rule, entity: str) -> tuple[str, ...]:
    """The deepest field paths a rule reads on its own entity (``standar.dasar_hukum``)."""
    prefix = entity + "."
    ordered = list(rule.require.reads) + [r for r in (rule.when.reads if rule.when else ()) if r not in rule.require.reads]
    reads = [r[len(prefix):] for r in ordered if r.startswith(prefix)]  # what the requirement reads first
    return tuple(r for r in reads if not any(o.startswith(r + ".") for o in reads))
