"""Run the bad-input corpus: one case at a time for the test, all of them for the summary.

``python tests/corpus/runner.py`` runs every case and prints the summary (cases by outcome: exit
code and records accounted); ``tests/test_corpus.py`` runs each case as one parametrised test.

A case (``cases.yaml``) names an input, the command run on it and what must come out: the exit
code, a fragment of the message, and how many records the input holds (counted by hand). For
exit 0 and 1 the JSON report must account for every one of them: records read plus the records
the data issues say were not read (``DataIssue.records``). For exit 2 the input is refused whole
with a located message, and no report file may be left behind.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import yaml

HERE = Path(__file__).resolve().parent
AS_OF = "2025-01-31"


@attrs.frozen
class Case:
    name: str
    kind: str  # json, csv, xlsx, rules, ruleset, waiver, mapping, http, sql, options
    exit: int
    message: str = ""
    records: int | None = None
    evaluate: str | None = None  # shorthand: evaluate this input into a JSON report
    args: tuple[str, ...] = ()  # the command (or, with ``evaluate``, options added to it)
    limits: dict[str, Any] = attrs.field(factory=dict)
    env: dict[str, str] = attrs.field(factory=dict)
    http: dict[str, Any] | None = None  # served by layanan_rules_http.testing: plain body, faults, token
    sqlite: str | None = None  # SQL script built into {db}
    mapping: str | None = None  # a mapping template ({tmp} filled in), passed as --option mapping=
    no_new_files: bool = False  # the command must not create any file in {tmp}


@attrs.frozen
class Outcome:
    exit_code: int
    output: str  # stdout and stderr
    report: dict[str, Any] | None
    records_read: int | None
    records_noted: int | None

    @property
    def accounted(self) -> int | None:
        if self.records_read is None:
            return None
        return self.records_read + (self.records_noted or 0)

    def messages(self) -> str:
        """Everything a person would read: the output, data issues and error findings."""
        parts = [self.output]
        if self.report is not None:
            parts += [i["message"] for i in self.report["data_issues"]]
            parts += [f"{kind} {n}" for kind, n in self.report["summary"].get("skipped", {}).items()]
            parts += [f.get("message") or "" for f in self.report["findings"] if f["state"] == "error"]
            parts += [f.get("reason") or "" for f in self.report["findings"] if f["state"] == "error"]
        return "\n".join(parts)


def load_cases() -> list[Case]:
    raw = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
    cases = []
    for item in raw:
        item = dict(item)
        for key in ("args",):
            if key in item:
                item[key] = tuple(str(a) for a in item[key])
        cases.append(Case(**item))
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    return cases


@contextlib.contextmanager
def _source(case: Case, tmp: Path) -> Iterator[dict[str, str]]:
    """Start what the case reads from (a test API, a SQLite file); yield the placeholders."""
    values = {"corpus": str(HERE), "tmp": str(tmp), "out": str(tmp / "laporan.json")}
    if case.sqlite:
        db = tmp / "data.db"
        with contextlib.closing(sqlite3.connect(db)) as conn:
            conn.executescript((HERE / case.sqlite).read_text(encoding="utf-8"))
            conn.commit()
        values["db"] = str(db)
    if case.mapping:
        text = (HERE / case.mapping).read_text(encoding="utf-8").replace("{tmp}", str(tmp))
        (tmp / "peta.yaml").write_text(text, encoding="utf-8")
        values["mapping"] = str(tmp / "peta.yaml")
    if case.http is None:
        yield values
        return
    from layanan_rules_http import testing

    spec = case.http
    api = testing.Api(data={}, token=spec.get("token"))
    if spec.get("plain"):
        api.plain_body = (HERE / spec["plain"]).read_bytes()
    for fault in spec.get("faults", ()):
        api.faults.append(testing.Fault(**fault))
    with testing.serve(api) as url:
        values["url"] = url
        yield values


def command(case: Case, values: dict[str, str]) -> list[str]:
    def fill(a: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], a)

    head = [x for name, value in case.limits.items() for x in ("--limit", f"{name}={value}")]
    args = [fill(a) for a in case.args]
    if case.mapping:
        args += ["--option", f"mapping={values['mapping']}"]
    if case.evaluate is None:
        return head + args
    return head + ["evaluate", fill(case.evaluate), "--as-of", AS_OF, "-q", "--format", "json", "-o",
                   values["out"], *args]


def run(case: Case, tmp: Path) -> Outcome:
    """Run one case through the command line, in this process (as ``layanan-rules`` would)."""
    from click.testing import CliRunner

    from layanan_rules.cli import cli

    tmp.mkdir(parents=True, exist_ok=True)
    with _source(case, tmp) as values:
        before = sorted(p.name for p in tmp.iterdir())
        argv = command(case, values)
        result = CliRunner().invoke(cli, argv, env=case.env, catch_exceptions=True)
        after = sorted(p.name for p in tmp.iterdir())
    output = (result.stdout or "") + (result.stderr or "")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        output += f"\nTraceback (uncaught): {result.exception!r}"
    if case.no_new_files and after != before:
        output += f"\nfiles created: {sorted(set(after) - set(before))}"
    report = None
    out = Path(values["out"])
    if out.exists():
        report = json.loads(out.read_text(encoding="utf-8"))
    read = noted = None
    if report is not None:
        read = sum(report["summary"]["records"].values())
        noted = (sum(i.get("records", 0) for i in report["data_issues"])
                 + report["summary"].get("skipped_records", 0))
    return Outcome(result.exit_code, output, report, read, noted)


def problems(case: Case, outcome: Outcome) -> list[str]:
    """What is wrong with an outcome (empty: the case holds)."""
    out = []
    if outcome.exit_code != case.exit:
        out.append(f"exit {outcome.exit_code}, expected {case.exit}")
    if "Traceback" in outcome.output:
        out.append("a traceback was printed")
    if "files created" in outcome.output:
        out.append("the command created files")
    if case.message and case.message.lower() not in outcome.messages().lower():
        out.append(f"message {case.message!r} not found")
    if case.evaluate is not None and case.exit in (0, 1):
        if outcome.report is None:
            out.append("no report written")
        elif case.records is not None and outcome.accounted != case.records:
            out.append(f"records in {case.records} != accounted {outcome.accounted} "
                       f"(read {outcome.records_read} + noted {outcome.records_noted})")
    if case.exit == 2 and outcome.report is not None:
        out.append("a report was written although the input was refused")
    return out


def summary(results: list[tuple[Case, Outcome, list[str]]]) -> str:
    lines = [f"Korpus masukan buruk / bad-input corpus: {len(results)} kasus / cases"]
    by_exit: dict[int, list[tuple[Case, Outcome, list[str]]]] = {}
    for item in results:
        by_exit.setdefault(item[1].exit_code, []).append(item)
    labels = {0: "0 (dibaca, tanpa kegagalan / read, no failures)", 1: "1 (dibaca, ada temuan / read, findings)",
              2: "2 (ditolak dengan pesan berlokasi / refused with a located message)",
              3: "3 (galat internal / internal error)"}
    for code in sorted(by_exit):
        items = by_exit[code]
        records = sum(c.records or 0 for c, _, _ in items)
        accounted = sum(o.accounted or 0 for _, o, _ in items)
        if code in (0, 1):
            detail = f"records in {records}, accounted {accounted} (read {sum(o.records_read or 0 for _, o, _ in items)}"\
                     f" + noted {sum(o.records_noted or 0 for _, o, _ in items)})"
        else:
            detail = "refused whole: nothing evaluated, no report left behind"
        lines.append(f"  exit {labels.get(code, str(code))}: {len(items)} cases; {detail}")
    kinds: dict[str, int] = {}
    for c, _, _ in results:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    lines.append("  by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    bad = [(c, p) for c, _, p in results if p]
    lines.append(f"  hangs 0 (every case finished) · tracebacks {sum(1 for _, o, _ in results if 'Traceback' in o.output)}"
                 f" · records lost {sum(1 for c, o, _ in results if c.exit in (0, 1) and c.records is not None and o.accounted != c.records)}"
                 f" · cases not as expected {len(bad)}")
    for c, p in bad:
        lines.append(f"    FAIL {c.name}: {'; '.join(p)}")
    return "\n".join(lines)


def main() -> int:
    import tempfile
    import time

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(load_cases()):
            start = time.monotonic()
            outcome = run(case, Path(tmp) / f"{i:03d}")
            found = problems(case, outcome)
            results.append((case, outcome, found))
            print(f"{'ok  ' if not found else 'FAIL'} {case.name} ({time.monotonic() - start:.1f}s)"
                  + (f": {'; '.join(found)}" if found else ""), file=sys.stderr)
    print(summary(results))
    return 0 if all(not p for _, _, p in results) else 1


if __name__ == "__main__":
    sys.exit(main())
