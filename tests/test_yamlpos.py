"""YAML with positions: every value located, and no file can blow up or crash the loader."""

from __future__ import annotations

import pytest

from layanan_rules.rules.yamlpos import YamlError, load


def test_values_and_keys_are_located():
    data, pos = load("a:\n  b: [1, 'x']\n  c: |\n    teks\n", "f.yaml")
    assert data == {"a": {"b": [1, "x"], "c": "teks\n"}}
    assert str(pos.of(("a", "b", 1))) == "f.yaml:2:10"
    assert str(pos.key_of(("a", "c"))) == "f.yaml:3:3"
    assert str(pos.inside(("a", "b", 1), 0, "x")) == "f.yaml:2:11"  # past the quote


def _bomb(levels: int) -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(levels):
        prev, name = chr(97 + i), chr(98 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_once():
    text = _bomb(8)  # under 1 KB, 9**9 values if expanded
    assert len(text) < 1024
    with pytest.raises(YamlError, match="aliases"):
        load(text, "bomb.yaml")


def test_ordinary_aliases_still_work():
    data, _ = load("dasar: &d {act: UU 25/2009, article: 21}\nx: [*d, *d]\n", "f.yaml")
    assert data["x"] == [data["dasar"], data["dasar"]]


@pytest.mark.parametrize(("text", "message"), [
    ("d: 2024-02-30\n", "invalid value"),
    ("? [a, b]\n: 1\n", "a key must be plain text"),
    ("x: !!python/object:os.system 1\n", "invalid YAML"),
    ("a: 1\na: 2\n", "duplicate key 'a'"),
    ("[" * 50_000 + "]" * 50_000, "invalid YAML"),
    ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 3000)), "YAML"),
])
def test_bad_yaml_is_a_located_error_never_a_crash(text, message):
    with pytest.raises(YamlError, match=message):
        load(text, "f.yaml")
