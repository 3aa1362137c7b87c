"""Run the CEL conformance tests (google/cel-spec simple tests, converted to JSON).

    python -m layanan_rules.expr.conformance DIR [--json] [--verbose] [--file NAME] [--backend python|duckdb]

Prints passed/failed/skipped per file and a total. A test is *skipped* only for one of the
declared reasons in :data:`SKIP_REASONS` (features out of scope), never silently. With
``--backend duckdb`` each expression is compiled to SQL (:mod:`layanan_rules.expr.sql`) and run
by DuckDB, its bindings given as a one-row table; an expression without an SQL form counts as
failed (``--verbose`` says why).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import math
import re
import sys
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from . import CelError, ExprErrors, compile
from .runtime import CelType, UInt, parse_duration, parse_timestamp

#: Every reason a test may be skipped for. Keep this list explicit and short.
SKIP_REASONS = {
    "unknown": "unknown results (partial evaluation) are out of scope",
    "macros2": "two-variable comprehension macros (cel.expr macros2 extension) are out of scope",
    "string_ext": "the strings extension library (cel strings ext) is out of scope",
    "check_only": "check-only tests compare the checker's deduced type, which is not exposed",
    "nanos": "timestamps/durations with nanosecond precision (Python datetime/timedelta hold microseconds)",
}

#: files whose every test needs an optional extension
FILE_SKIPS = {"macros2": "macros2", "string_ext": "string_ext"}

REQUIRED_FILES = (
    "basic", "comparisons", "conversions", "fields", "fp_math", "integer_math", "lists", "logic", "macros",
    "string", "timestamps", "plumbing", "parse",
)


# ---------------------------------------------------------------- values and types


def decode_value(v: Mapping[str, Any]) -> Any:
    (tag, x), = v.items()
    if tag == "int":
        return int(x)
    if tag == "uint":
        return UInt(int(x))
    if tag == "double":
        if isinstance(x, str):
            return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[x]
        return float(x)
    if tag == "string":
        return x
    if tag == "bytes":
        return base64.b64decode(x)
    if tag == "bool":
        return bool(x)
    if tag == "null":
        return None
    if tag == "list":
        return [decode_value(e) for e in x]
    if tag == "map":
        return {decode_value(k): decode_value(val) for k, val in x}
    if tag == "type":
        return CelType(x)
    if tag == "timestamp":
        return parse_timestamp(x)
    if tag == "duration":
        return parse_duration(x)
    raise ValueError(f"unknown value tag {tag!r}")


def _split_args(s: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


_PRIM = {
    "bool": bool, "int": int, "uint": UInt, "double": float, "string": str, "bytes": bytes,
    "null_type": type(None), "dyn": object, "timestamp": dt.datetime, "duration": dt.timedelta,
    "google.protobuf.Timestamp": dt.datetime, "google.protobuf.Duration": dt.timedelta, "type": CelType,
}


def decode_type(s: str) -> Any:
    s = s.strip()
    if s in _PRIM:
        return _PRIM[s]
    if s.startswith("list(") and s.endswith(")"):
        return types.GenericAlias(list, (decode_type(s[5:-1]),))  # list[X], X known only now
    if s.startswith("map(") and s.endswith(")"):
        k, v = _split_args(s[4:-1])
        return types.GenericAlias(dict, (decode_type(k), decode_type(v)))
    if s.startswith("type(") and s.endswith(")"):
        return CelType
    return object


def strict_equal(a: Any, b: Any) -> bool:
    """Equality of a result with an expected value: same CEL type, NaN matches NaN."""
    if type(a) is not type(b):
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) or isinstance(a, Mapping) and isinstance(b, Mapping):
            pass
        elif isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
            return a == b
        else:
            return False
    if isinstance(a, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, Mapping):
        if len(a) != len(b):
            return False
        for k, v in a.items():
            for k2, v2 in b.items():
                if strict_equal(k, k2):
                    if not strict_equal(v, v2):
                        return False
                    break
            else:
                return False
        return True
    return bool(a == b)


# ---------------------------------------------------------------- running


def skip_reason(file: str, test: Mapping[str, Any]) -> str | None:
    if file in FILE_SKIPS:
        return FILE_SKIPS[file]
    exp = test.get("expect", {})
    if exp.get("unknown"):
        return "unknown"
    if test.get("check_only"):
        return "check_only"
    if _NANOS.search(test.get("expr", "")):
        return "nanos"
    return None


# literals that need sub-microsecond precision
_NANOS = re.compile(r"\.\d{7,9}Z|[^0-9]\d*[1-9]\d{0,2}ns'|'-?1ns'")



def run_test(test: Mapping[str, Any]) -> tuple[bool, str]:
    """Run one test; returns (passed, detail)."""
    expect = test["expect"]
    decls: dict[str, Any] = {}
    for d in test.get("type_env") or ():
        decls[d["name"]] = decode_type(d["type"])
    bindings = {k: decode_value(v) for k, v in (test.get("bindings") or {}).items()}
    for k in bindings:
        decls.setdefault(k, object)
    want_error = "error" in expect or "any_error" in expect
    try:
        prog = compile(test["expr"], decls, {}, check=not test.get("disable_check"))
    except ExprErrors as e:
        return (want_error, f"compile error: {e}")
    args = [bindings.get(n) for n in prog.variables]
    try:
        result = prog.fn(*args)
    except CelError as e:
        return (want_error, f"runtime error: {e.reason}: {e.message}")
    except Exception as e:  # noqa: BLE001 - a bug: a bare Python exception escaped
        return (False, f"BARE EXCEPTION {type(e).__name__}: {e}")
    if want_error:
        return (False, f"expected error, got {result!r}")
    expected = decode_value(expect["value"])
    if strict_equal(result, expected):
        return (True, "")
    return (False, f"expected {expected!r}, got {result!r}")


def run_test_duckdb(test: Mapping[str, Any], con: Any) -> tuple[bool, str]:
    """Run one test through the SQL compiler and DuckDB; returns (passed, detail)."""
    from . import sql
    from .sql.duck import from_host
    from .types import from_py

    expect = test["expect"]
    want_error = "error" in expect or "any_error" in expect
    decls: dict[str, Any] = {}
    for d in test.get("type_env") or ():
        decls[d["name"]] = decode_type(d["type"])
    bindings = {k: decode_value(v) for k, v in (test.get("bindings") or {}).items()}
    column_types: dict[str, Any] = {}
    for k, v in bindings.items():
        decls.setdefault(k, object)
        t = sql.type_of_value(v)
        if t is None:
            return (False, f"no SQL form: binding {k!r} has no single SQL type")
        column_types[k] = t
    try:
        prog = sql.compile(test["expr"], decls, {}, dialect="duckdb", column_types=column_types,
                           check=not test.get("disable_check"))
    except ExprErrors as e:
        return (want_error, f"compile error: {e}")
    except sql.NoSqlForm as e:
        return (False, f"no SQL form: {e.reason}")
    cols = []
    try:
        for name, tp in decls.items():
            t = column_types.get(name) or from_py(tp)
            cols.append(f'{sql.literal(bindings.get(name), t, "duckdb").sql("duckdb")} AS "{name}"')
    except sql.NoSqlForm as e:
        return (False, f"no SQL form: {e.reason}")
    query = f"SELECT {prog.value_sql()} AS v, {prog.error_sql()} AS e"
    if cols:
        query += f" FROM (SELECT {', '.join(cols)})"
    try:
        value, error = con.execute(query).fetchone()
    except Exception as e:  # noqa: BLE001 - a bug: the SQL itself failed
        return (False, f"SQL FAILED {type(e).__name__}: {str(e)[:200]}")
    if error is not None:
        return (want_error, f"runtime error: {error}")
    if want_error:
        return (False, f"expected error, got {value!r}")
    result = from_host(value, prog.type)
    expected = decode_value(expect["value"])
    if strict_equal(result, expected):
        return (True, "")
    return (False, f"expected {expected!r}, got {result!r}")


def run_file(path: Path, verbose: bool = False, out: TextIO | None = None, backend: str = "python") -> dict[str, int]:
    data = json.loads(path.read_text(encoding="utf-8"))
    file = data.get("file") or path.stem
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    con = None
    if backend == "duckdb":
        from .sql.duck import connect

        con = connect()
    for section in data.get("sections", ()):
        for test in section.get("tests", ()):
            reason = skip_reason(file, test)
            if reason is not None:
                counts["skipped"] += 1
                continue
            ok, detail = run_test(test) if con is None else run_test_duckdb(test, con)
            counts["passed" if ok else "failed"] += 1
            if not ok and verbose and out is not None:
                print(f"  FAIL {file}/{section['name']}/{test['name']}: {test['expr'][:100]!r} -- {detail}",
                      file=out)
    return counts


def run_dir(directory: str | Path, verbose: bool = False, out: TextIO | None = None,
            only: str | None = None, backend: str = "python") -> dict[str, dict[str, int]]:
    results: dict[str, dict[str, int]] = {}
    for path in sorted(Path(directory).glob("*.json")):
        if only and path.stem != only:
            continue
        results[path.name] = run_file(path, verbose, out, backend)
    return results


def required_pass_rate(results: Mapping[str, Mapping[str, int]]) -> float:
    p = t = 0
    for name, c in results.items():
        if Path(name).stem in REQUIRED_FILES:
            p += c["passed"]
            t += c["passed"] + c["failed"] + c["skipped"]
    return p / t if t else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m layanan_rules.expr.conformance", description=__doc__.split("\n")[1])
    ap.add_argument("directory")
    ap.add_argument("--json", action="store_true", help="print a JSON object keyed by file name")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every failed test")
    ap.add_argument("--file", help="run only this file (stem, e.g. 'basic')")
    ap.add_argument("--backend", choices=("python", "duckdb"), default="python",
                    help="evaluate with the Python back end (default) or compiled to SQL and run by DuckDB")
    ns = ap.parse_args(argv)
    results = run_dir(ns.directory, ns.verbose, sys.stdout, ns.file, ns.backend)
    if ns.json:
        print(json.dumps(results, indent=2))
        return 0
    tot = {"passed": 0, "failed": 0, "skipped": 0}
    width = max((len(n) for n in results), default=10)
    for name, c in results.items():
        for k in tot:
            tot[k] += c[k]
        print(f"{name:<{width}}  passed {c['passed']:4d}  failed {c['failed']:4d}  skipped {c['skipped']:4d}")
    print(f"{'TOTAL':<{width}}  passed {tot['passed']:4d}  failed {tot['failed']:4d}  skipped {tot['skipped']:4d}")
    print(f"required files ({', '.join(REQUIRED_FILES)}): {required_pass_rate(results):.1%} passed")
    print("skip reasons: " + "; ".join(f"{k}: {v}" for k, v in SKIP_REASONS.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
