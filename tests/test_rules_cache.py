"""A ruleset loaded before comes back from the disk cache, and any change to its files is seen."""

from __future__ import annotations

import shutil

import attrs
import pytest
from support import ROOT

from layanan_rules.rules import cache
from layanan_rules.rules.functions import default_functions
from layanan_rules.rules.ruleset import RulesetError, load_path


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYANAN_RULES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LAYANAN_RULES_NO_CACHE", raising=False)
    target = tmp_path / "uu"
    shutil.copytree(ROOT / "rulesets" / "uu-25-2009", target)
    return target


def _shape(rs):
    return [(r.id, r.entity, r.require.source, r.when.source if r.when else None, str(r.location), r.version,
             [(name, prog.source, personal) for name, prog, personal in r.evidence])
            for r in rs.rules]


def test_a_second_load_comes_from_the_cache_and_is_the_same(folder, monkeypatch):
    functions = default_functions()
    cold = load_path(folder, functions)
    assert list((folder.parent / "cache" / "rulesets").iterdir())

    from layanan_rules.rules import ruleset as module

    def no_yaml(*_a, **_k):
        raise AssertionError("read the YAML again")

    monkeypatch.setattr(module, "_load_rules", no_yaml)
    warm = load_path(folder, functions)
    assert _shape(warm) == _shape(cold)
    assert any(r.evidence for r in warm.rules)  # computed evidence (e.g. the maklumat's elements) comes back too
    assert attrs.asdict(warm.params) == attrs.asdict(cold.params) and warm.spec == cold.spec


def test_a_changed_rule_file_is_read_again(folder):
    functions = default_functions()
    load_path(folder, functions)
    some = min(p for p in folder.glob("*.yaml") if p.name != "ruleset.yaml")
    some.write_text(some.read_text(encoding="utf-8") + "\n- id: [rusak\n", encoding="utf-8")
    with pytest.raises(RulesetError):
        load_path(folder, functions)


def test_a_ruleset_with_problems_is_never_cached(folder):
    functions = default_functions()
    some = min(p for p in folder.glob("*.yaml") if p.name != "ruleset.yaml")
    some.write_text(some.read_text(encoding="utf-8").replace("require:", "requir:", 1), encoding="utf-8")
    with pytest.raises(RulesetError):
        load_path(folder, functions)
    assert not (folder.parent / "cache" / "rulesets").exists()
    assert cache.key([folder / "ruleset.yaml", some], functions) is not None


def test_the_code_key_covers_every_module_of_the_value_readers():
    """The values of a ruleset are read by ``layanan_rules.model.parsing``, a package: a change in any of
    its modules must change the key, not only a change in its ``__init__``."""
    import pkgutil

    from layanan_rules.model import parsing

    modules = {f"{parsing.__name__}.{m.name}" for m in pkgutil.iter_modules(parsing.__path__)}
    assert len(modules) > 5
    assert modules <= set(cache._MODULES)
