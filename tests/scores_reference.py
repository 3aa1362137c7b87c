"""The per-finding score loop as it was before scores became group-by queries over the
findings table: the reference the new code is compared with (tests/test_scores_table.py)."""

from __future__ import annotations

from typing import Any

from layanan_rules.report.scores import (
    DEFAULT_MIN_SCORED,
    RulesetSpec,
    Score,
    Scores,
    Text,
    _worst_first,
    chapter_of,
    hierarchy_of,
    weight_of,
    zones_from,
)

Report = Any


def compute_by_finding(report: Report, *, min_scored: int = DEFAULT_MIN_SCORED) -> Scores:
    """Score every level of ``report`` (see the module docstring for the method)."""
    spec = report.ruleset.spec if report.ruleset is not None else None
    severity_weights = dict(spec.severity_weights) if spec is not None else dict(RulesetSpec("x", Text("", ""), "0").severity_weights)
    zones, basis = zones_from(spec)
    h = hierarchy_of(report)
    total = Score("total", "total")
    units: dict[str, Score] = {}
    pens: dict[str, Score] = {}
    wils: dict[str, Score] = {}
    chaps: dict[str, Score] = {}
    rule_cache: dict[int, tuple[float, str, Text]] = {}
    placement: dict[int, tuple[str | None, str | None, str | None, str]] = {}
    rule_weights: dict[str, float] = {}
    for f in report.findings:
        rule = f.rule
        cached = rule_cache.get(id(rule))
        if cached is None:
            w = weight_of(rule, severity_weights)
            ckey, clabel = chapter_of(rule)
            cached = rule_cache[id(rule)] = (w, ckey, clabel)
            if rule.spec.weight is not None:
                rule_weights[rule.id] = w
        w, ckey, clabel = cached
        state = f.state.value
        attested = getattr(f, "attestation", None) is not None
        expired = getattr(f, "waiver_status", None) == "expired"
        ent, ident = f.record.entity, f.record.id
        uid = h.unit_of(ent, ident)
        pid = h.penyelenggara_of(ent, ident)
        wil = h.wilayah_of(pid)
        placement[id(f)] = (uid, pid, wil, ckey)
        total.add(state, w, attested, expired)
        if uid is not None:
            s = units.get(uid)
            if s is None:
                s = units[uid] = Score("unit", uid, h.name("unit", uid), pid)
            s.add(state, w, attested, expired)
        if pid is not None:
            s = pens.get(pid)
            if s is None:
                s = pens[pid] = Score("penyelenggara", pid, h.name("penyelenggara", pid), wil)
            s.add(state, w, attested, expired)
        if wil is not None:
            s = wils.get(wil)
            if s is None:
                s = wils[wil] = Score("wilayah", wil, wil)
            s.add(state, w, attested, expired)
        s = chaps.get(ckey)
        if s is None:
            s = chaps[ckey] = Score("chapter", ckey, clabel.id)
        s.add(state, w, attested, expired)
    for s in [total, *units.values(), *pens.values(), *wils.values(), *chaps.values()]:
        s.close(zones, min_scored)
    return Scores(
        total, sorted(wils.values(), key=_worst_first), sorted(pens.values(), key=_worst_first),
        sorted(units.values(), key=_worst_first), sorted(chaps.values(), key=lambda s: s.key),
        zones, basis, min_scored,
        {"severity": severity_weights, "rules": dict(sorted(rule_weights.items()))},
    )


