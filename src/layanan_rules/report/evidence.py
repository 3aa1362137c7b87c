"""Evidence (the values a rule read from a record, and its own evidence expressions) and privacy:
personal data is masked unless asked.

Below :mod:`~layanan_rules.report.findings` and :mod:`~layanan_rules.report.table`, which both
render evidence, so neither imports the other for it.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from layanan_rules import model
from layanan_rules.expr.errors import CelError

if TYPE_CHECKING:
    from layanan_rules.data.dataset import Record
    from layanan_rules.rules.ruleset import Rule


def citation_dict(c: Any) -> dict[str, Any]:
    """A citation's JSON form, with its Indonesian and English labels (a fresh dict each call; the
    work done once per citation: a report names every rule's citations, a server on every request)."""
    return dict(_citation_dict(c))


@functools.lru_cache(maxsize=4096)
def _citation_dict(c: Any) -> dict[str, Any]:
    from layanan_rules.rules.rulefile import converter

    out: dict[str, Any] = {**converter().unstructure(c), "label": c.label("id"), "label_en": c.label("en")}
    return out


def rule_texts(rule: Rule) -> dict[str, Any]:
    """A rule's severity, title, legal basis, sanctions and remedy as the report shows them (both
    languages): one place for the findings table's rules map and a Finding's own JSON."""
    spec = rule.spec
    sanctions = [citation_dict(c) for c in spec.sanctions]
    return {
        "severity": spec.severity.value,
        "title": {"id": spec.title.id, "en": spec.title.en},
        "legal_basis": [citation_dict(c) for c in spec.legal_basis],
        "sanctions": sanctions,
        "sanction": sanctions[0] if sanctions else None,  # schema 1.0 readers: the first only
        "remedy": {"id": spec.remedy.id, "en": spec.remedy.en},
    }


_ENTITY_CLASSES = frozenset(model.ENTITIES.values())


@functools.lru_cache(maxsize=4096)
def _evidence_plan(rule: Rule, entity: str) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """Per read path on the entity: (path, its parts, the longer read paths under it)."""
    prefix = entity + "."
    keys = [r[len(prefix):] for r in rule.reads if r.startswith(prefix)]
    return tuple((k, tuple(k.split(".")), tuple(o for o in keys if o.startswith(k + "."))) for k in keys)


_NO_VALUE = object()


def evidence_of(rule: Rule, record: Record, context: tuple[Any, Any] | None = None) -> dict[str, Any]:
    """Resolve the rule's read paths on the record (paths through a missing value are skipped), then
    its ``evidence`` expressions; one that reads ``param`` or ``as_of`` needs the run's ``context``
    (``(params, as_of)``) and is left out without it.

    A date the model keeps with its precision (``standar.ditetapkan_pada`` known only by year)
    brings its precision along (``standar.ditetapkan_presisi``), so the evidence says so."""
    out: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    plan = _evidence_plan(rule, record.entity)
    for key, parts, _deeper in plan:
        found = _walk(record.obj, parts)
        if found is not None:
            parent, value = found
            if not (type(value) is tuple and value and type(value[0]) in _ENTITY_CLASSES):
                out[key] = value
                qualifier = _qualifier(type(parent), parts[-1]) if parts[-1] in _qualified() else None
                if qualifier is not None and value is not None and getattr(parent, qualifier, None) is not None:
                    precision = getattr(parent, qualifier)
                    extra[key.rpartition(".")[0] + "." + qualifier if "." in key else qualifier] = precision
                    extra[f"{key}:catatan"] = _precision_note(key, value, getattr(precision, "value", precision))
    # keep only the deepest paths (drop "standar" when "standar.dasar_hukum" is there)
    shown = {key: out[key] for key, _parts, deeper in plan
             if key in out and (out[key] is None or not any(o in out for o in deeper))}
    shown.update((k, v) for k, v in extra.items() if k not in shown)
    if rule.evidence and record.obj is not None:  # the rule file's own evidence expressions
        given = {record.entity: record.obj}
        if context is not None:
            given["param"], given["as_of"] = context
        for name, prog, _personal in rule.evidence:
            if any(v not in given for v in prog.variables):
                continue
            try:
                shown[name] = prog.fn(*(given[v] for v in prog.variables))
            except CelError as exc:
                shown[name] = f"galat / error: {exc}"
    return shown


_QUALIFIERS: dict[tuple[type, str], str | None] = {}


@functools.lru_cache(maxsize=4096)
def reads_qualified(rule: Rule, entity: str) -> bool:
    """Whether the rule reads a date the model may know only by month or year: its passing
    findings then keep their evidence when it says so (a pass resting on a year is not silent)."""
    names = _qualified()
    return any(parts[-1] in names for _key, parts, _deeper in _evidence_plan(rule, entity))


@functools.lru_cache(maxsize=4096)
def _qualified_reads(rule: Rule, entity: str) -> tuple[tuple[str, ...], ...]:
    """The parts of the rule's read paths that end in a date the model may know only by month or year."""
    names = _qualified()
    return tuple(parts for _key, parts, _deeper in _evidence_plan(rule, entity) if parts[-1] in names)


def _walk(obj: Any, parts: tuple[str, ...]) -> tuple[Any, Any] | None:
    """(parent, value) at ``parts`` below ``obj``, or None where the path stops short (a None or a
    field the object does not have on the way): what evidence and its precision note read."""
    value: Any = obj
    parent: Any = None
    for part in parts:
        if value is None:
            return None
        parent = value
        value = getattr(value, part, _NO_VALUE)
        if value is _NO_VALUE:
            return None
    return parent, value


def precision_noted(rule: Rule, record: Record) -> bool:
    """Whether :func:`evidence_of` notes a date's precision on this record (a date the rule reads is
    known only by its month or year): a cheap test that needs no evidence made."""
    for parts in _qualified_reads(rule, record.entity):
        found = _walk(record.obj, parts)
        if found is not None:
            parent, value = found
            if value is not None and not (type(value) is tuple and value and type(value[0]) in _ENTITY_CLASSES):
                qualifier = _qualifier(type(parent), parts[-1])
                if qualifier is not None and getattr(parent, qualifier, None) is not None:
                    return True
    return False


def _precision_note(key: str, value: Any, precision: str) -> str:
    """Say that a date is known only by its month or year, and which day stands for it."""
    known = {"tahun": ("tahunnya", "its year"), "bulan": ("bulan dan tahunnya", "its month and year")}
    id_, en = known.get(precision, (precision, precision))
    day = value.isoformat() if hasattr(value, "isoformat") else value
    return (f"tanggal tidak diketahui, hanya {id_}; {day} (akhir periode) dipakai, tenggat yang dihitung darinya "
            f"tidak pernah lebih ketat / the date is unknown, only {en}; {day} (the period's end) is used, so no "
            f"deadline counted from it is stricter")


@functools.cache
def _qualified() -> frozenset[str]:
    """Names of the model's fields that carry a precision (``ditetapkan_pada``): the only ones to look at."""
    names: set[str] = set()
    seen: set[type] = set()
    todo = list(model.ENTITIES.values())
    while todo:
        cls = todo.pop()
        if cls in seen or not attrs.has(cls):
            continue
        seen.add(cls)
        for f in attrs.fields(cls):
            if f.metadata.get("precision"):
                names.add(f.name)
            if not model.is_relation(f):
                todo.extend(_attrs_classes(f.type))
    return frozenset(names)


def _qualifier(cls: type, name: str) -> str | None:
    """The field that qualifies ``cls.name`` (its precision), from the model's field metadata."""
    key = (cls, name)
    if key not in _QUALIFIERS:
        field = attrs.fields_dict(cls).get(name) if attrs.has(cls) else None
        _QUALIFIERS[key] = field.metadata.get("precision") if field is not None else None
    return _QUALIFIERS[key]


def personal_evidence(rule: Rule) -> tuple[str, ...]:
    """Names of the rule's computed evidence that read personal data (masked like the fields)."""
    return tuple(name for name, _prog, personal in rule.evidence if personal)


# --- privacy: personal data never printed unless asked ------------------------------------------------

_MASK = {"id": "••• (data pribadi)", "en": "••• (personal data)"}


def _attrs_classes(tp: Any) -> list[type]:
    import typing

    if isinstance(tp, type) and attrs.has(tp):
        return [tp]
    return [c for a in typing.get_args(tp) for c in _attrs_classes(a)]


def _personal_paths_of(cls: type, prefix: str = "", depth: int = 0) -> set[str]:
    out: set[str] = set()
    if depth > 4:
        return out
    for f in attrs.fields(cls):
        if model.is_relation(f):
            continue
        path = prefix + f.name
        if model.is_personal(f):
            out.add(path)
        for inner in _attrs_classes(f.type):
            out |= _personal_paths_of(inner, path + ".", depth + 1)
    return out


#: entity -> field paths marked ``metadata={"personal": True}`` in the model
PERSONAL_PATHS: dict[str, frozenset[str]] = {
    name: frozenset(_personal_paths_of(cls)) for name, cls in model.ENTITIES.items()
}


def is_personal_path(entity: str, path: str, extra: Iterable[str] = ()) -> bool:
    """Whether ``entity.path`` (or a parent of it) is personal data: in the model, or named in the
    ruleset's ``personal_fields`` (``pengaduan.nama_pengadu``, or a bare field name anywhere)."""
    return _is_personal_path(entity, path, tuple(extra))


@functools.lru_cache(maxsize=8192)
def _is_personal_path(entity: str, path: str, extra: tuple[str, ...]) -> bool:
    parts = path.split(".")
    model_paths = PERSONAL_PATHS.get(entity, frozenset())
    for i in range(1, len(parts) + 1):
        head = ".".join(parts[:i])
        if head in model_paths or f"{entity}.{head}" in extra or parts[i - 1] in extra:
            return True
    return False


def mask_evidence(entity: str, evidence: dict[str, Any], extra: Iterable[str] = (), lang: str = "id") -> dict[str, Any]:
    """Evidence as JSON values with every personal value replaced by "••• (data pribadi)"."""
    extra = tuple(extra)
    if not PERSONAL_PATHS.get(entity) and not any("." not in x or x.startswith(entity + ".") for x in extra):
        plain: dict[str, Any] = _jsonable(evidence)  # nothing personal on this entity
        return plain
    mask = _MASK.get(lang, _MASK["id"])

    def walk(value: Any, path: str) -> Any:
        tp = type(value)
        if value is None or tp in _PLAIN or tp is dt.datetime or tp is dt.date:  # the common case
            if value is not None and path and _is_personal_path(entity, path, extra):
                return mask
            return value.isoformat() if tp is dt.datetime or tp is dt.date else value
        if value == ():
            return []
        if path and _is_personal_path(entity, path, extra):
            return mask
        if attrs.has(type(value)):
            return {f.name: walk(getattr(value, f.name), f"{path}.{f.name}" if path else f.name)
                    for f in attrs.fields(type(value))
                    if not f.metadata.get("relation") and getattr(value, f.name) not in (None, ())}
        if isinstance(value, dict):
            return {str(k): walk(v, path) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [walk(v, path) for v in value]
        return _jsonable(value)

    return {k: walk(v, k) for k, v in evidence.items()}


def mask_message(entity: str, message: str, extra: Iterable[str] = (), lang: str = "id", *, whole: bool = False) -> str:
    """Mask each ``field: problem @ place`` part (parts joined by "; ") whose ``field`` is personal: the
    problem text may quote the value."""
    extra = tuple(extra)
    parts = message.split("; ")
    out = []
    for part in parts:
        field, sep, rest = part.partition(": ")
        if not sep or " " in field or not is_personal_path(entity, field, extra):
            out.append(part)
            continue
        place = rest.rpartition(" @ ")
        tail = f" @ {place[2]}" if place[1] and not whole else ""
        out.append(f"{field}: {_MASK.get(lang, _MASK['id'])}{tail}")
    return "; ".join(out)


_PLAIN = frozenset({str, int, float, bool})


def _jsonable(value: Any) -> Any:
    tp = type(value)
    if value is None or tp in _PLAIN:
        return value
    if tp is dt.datetime or tp is dt.date:
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if attrs.has(type(value)):
        return {f.name: _jsonable(getattr(value, f.name)) for f in attrs.fields(type(value))
                if not f.metadata.get("relation") and getattr(value, f.name) not in (None, ())}
    return value
