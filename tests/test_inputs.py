"""layanan_rules.inputs: the limits and the guards every reader shares."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layanan_rules import inputs

# --- configuration -------------------------------------------------------------------------------------


def test_limits_come_from_the_environment_and_are_checked():
    assert inputs.from_environment({"LAYANAN_RULES_LIMIT_JSON_DEPTH": "7"}).json_depth == 7
    assert inputs.from_environment({"LAYANAN_RULES_LIMIT_EXPR_SECONDS": "0.5"}).expr_seconds == 0.5
    with pytest.raises(inputs.InputError, match="did you mean 'json_depth'"):
        inputs.from_environment({"LAYANAN_RULES_LIMIT_JSON_DEPHT": "7"})
    with pytest.raises(inputs.InputError, match="must be a number"):
        inputs.from_environment({"LAYANAN_RULES_LIMIT_JSON_DEPTH": "dalam"})
    with pytest.raises(ValueError, match="above 0"):
        inputs.configure(json_depth=0)


def test_override_is_scoped_and_configure_starts_from_the_environment():
    default = inputs.current().json_depth
    with inputs.override(json_depth=3) as limits:
        assert limits.json_depth == 3 == inputs.current().json_depth
    assert inputs.current().json_depth == default
    try:
        inputs.configure(json_depth=5)
        assert inputs.configure().json_depth == default  # no changes: the environment's values again
    finally:
        inputs.configure()


def test_every_limit_is_documented():
    names = {f.name for f in inputs.attrs.fields(inputs.Limits)}
    assert names == set(inputs.LIMITS)
    doc = (Path(__file__).resolve().parent.parent / "docs" / "limits.md").read_text(encoding="utf-8")
    assert all(f"`{n}`" in doc for n in names)


# --- text ------------------------------------------------------------------------------------------------


def test_text_is_utf8_or_says_where_it_is_not():
    assert inputs.decode_text("é".encode("utf-16"), "x") == "é"
    assert inputs.decode_text(b"\xef\xbb\xbfa", "x") == "a"
    with pytest.raises(inputs.InputError) as err:
        inputs.decode_text("baris 1\nkafé\n".encode("latin-1"), "f.txt")
    assert (err.value.line, err.value.column) == (2, 4) and "Latin-1" in str(err.value)
    assert str(err.value).startswith("f.txt:2:4: byte 0xE9")


# --- JSON ------------------------------------------------------------------------------------------------


def test_keys_written_twice_are_kept_with_every_value():
    value, dups = inputs.load_json(b'{"a": {"b": 1, "b": 2}, "a": [3]}', "x")
    assert value == {"a": [3]}
    assert sorted((d.key, d.values) for d in dups) == [("a", ({"b": 2}, [3])), ("b", (1, 2))]
    assert inputs.load_json('{"a": 1}', "x") == ({"a": 1}, [])


def test_json_depth_and_number_size_are_located_errors():
    with inputs.override(json_depth=3):
        inputs.load_json("[[[1]]]", "x")
        with pytest.raises(inputs.InputError, match="json_depth=3") as err:
            inputs.load_json('{"a":\n [[[1]]]}', "x")
        assert (err.value.line, err.value.column) == (2, 4)
    with pytest.raises(inputs.InputError, match="over 4300 digits") as err:
        inputs.load_json('{"n":\n  ' + "1" * 5000 + "}", "x")
    assert (err.value.line, err.value.column) == (2, 3)


def _depth(v: object) -> int:
    if isinstance(v, dict):
        return 1 + max((_depth(x) for x in v.values()), default=0)
    if isinstance(v, list):
        return 1 + max((_depth(x) for x in v), default=0)
    return 0


_text = st.text(alphabet=st.sampled_from(list('ab[]{}"\\ ,:')), max_size=8)
_json = st.recursive(st.none() | st.integers() | _text,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
                     max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_json, st.integers(min_value=1, max_value=6))
def test_the_depth_check_never_refuses_a_document_within_the_limit(value, limit):
    """Brackets inside strings never make a document look deeper than it is; one deeper than the
    limit is refused whenever its strings hold no brackets."""
    text = json.dumps(value)
    with inputs.override(json_depth=limit):
        try:
            inputs.check_json_depth(text, "x")
            refused = False
        except inputs.InputError:
            refused = True
    depth = _depth(value)
    if depth <= limit:
        assert not refused
    elif not any(c in s for s in _strings(value) for c in "[]{}"):
        assert refused


def _strings(v: object) -> list[str]:
    if isinstance(v, str):
        return [v]
    if isinstance(v, dict):
        return [*v.keys(), *(s for x in v.values() for s in _strings(x))]
    if isinstance(v, list):
        return [s for x in v for s in _strings(x)]
    return []


# --- YAML ------------------------------------------------------------------------------------------------


def test_yaml_bad_values_and_bombs_are_located():
    with pytest.raises(inputs.InputError, match="'2024-02-30'") as err:
        inputs.load_yaml("a: 1\nb: 2024-02-30\n", "f.yaml")
    assert (err.value.line, err.value.column) == (2, 4)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))
    with pytest.raises(inputs.InputError, match="aliases") as err:
        inputs.load_yaml(bomb, "bom.yaml")
    assert err.value.limit == "yaml_aliases"
    with inputs.override(yaml_depth=3), pytest.raises(inputs.InputError, match="yaml_depth=3"):
        inputs.load_yaml("a: {b: {c: {d: 1}}}", "f.yaml")


# --- workbooks -------------------------------------------------------------------------------------------


def test_workbooks_are_checked_for_what_they_unpack_to(tmp_path):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", b"<sst>" + b"a" * 2_000_000 + b"</sst>")
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
    assert path.stat().st_size < 10_000
    inputs.check_workbook(path)  # within the defaults
    with inputs.override(xlsx_shared_strings=1_000_000), pytest.raises(inputs.InputError, match="shared-strings"):
        inputs.check_workbook(path)
    with inputs.override(xlsx_bytes=1_000_000), pytest.raises(inputs.InputError, match="xlsx_bytes=1000000"):
        inputs.check_workbook(path)
    (tmp_path / "lama.xls").write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    inputs.check_workbook(tmp_path / "lama.xls")  # not a zip: its reader bounds itself
