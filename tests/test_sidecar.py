"""The report's helper process (``report/sidecar.py``): what two processes write is byte for byte what
one writes, in every streamed format; a helper that fails leaves its batches to the writer; a writer
that stops early ends its helper; and it is used only where allowed and worth it."""

from __future__ import annotations

import datetime as dt
import os
import time

import pyarrow as pa
import pytest
from test_findings_table import _synthetic

from layanan_rules import evaluate, load_ruleset
from layanan_rules.plugins import get_plugin_manager
from layanan_rules.report import sidecar, stream
from layanan_rules.report.reporters import available


@pytest.fixture(scope="module")
def report():
    return evaluate(load_ruleset(), _synthetic(60, 1_500, 7), as_of=dt.date(2025, 1, 31))


def _written(report, name: str, tmp_path, **options) -> bytes:
    """The bytes the CLI would write (a UTF-8 text file over a byte stream, as ``evaluate -o`` opens it)."""
    reporter = available(get_plugin_manager())[name]
    path = tmp_path / f"out.{name}"
    with open(path, "wb") if reporter.binary else open(path, "w", encoding="utf-8", newline="") as out:
        reporter.render(report, out, {"lang": "id", **options})
    return path.read_bytes()


@pytest.fixture
def forks(monkeypatch):
    """The helper allowed for any size, small batches (many jobs), and the forks counted."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(sidecar, "MIN_ROWS", 0)
    monkeypatch.setattr(stream, "FULL_ROWS", 300)
    monkeypatch.setattr(stream, "BATCH_ROWS", 1_000)
    made: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return made


@pytest.mark.parametrize("name", ["json", "csv", "parquet", "jsonl", "junit", "markdown"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_two_processes_write_what_one_writes(report, forks, tmp_path, monkeypatch, name, lang):
    sidecar.enable(False)
    one = _written(report, name, tmp_path, lang=lang)
    assert forks == []
    sidecar.enable(True)
    try:
        two = _written(report, name, tmp_path, lang=lang)
    finally:
        sidecar.enable(False)
    assert forks, "the helper process was not used"
    assert two == one
    for pid in forks:  # every helper was reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def _jobs(n: int):
    for i in range(n):
        yield lambda i=i: i


def _work(i: int) -> pa.RecordBatch | None:
    if i % 5 == 0:
        return None
    return pa.RecordBatch.from_arrays([pa.array([f"{i}-{j}" for j in range(i % 7)], pa.string())], names=[f"c{i % 3}"])


def test_results_come_in_order_whoever_made_them():
    got = [(job(), result) for job, result in sidecar.in_order(_jobs(60), _work)]
    assert [i for i, _r in got] == list(range(60))
    for i, result in got:
        want = _work(i)
        assert (result is None) == (want is None)
        if want is not None:
            assert result.equals(want)


def test_a_helper_that_fails_leaves_its_batches_to_the_writer():
    parent = os.getpid()

    def work(i: int) -> pa.RecordBatch | None:
        if os.getpid() != parent and i > 3:
            raise RuntimeError("the helper breaks")
        return _work(i)

    got = [(job(), result) for job, result in sidecar.in_order(_jobs(40), work)]
    assert [i for i, _r in got] == list(range(40))
    assert all((r is None and _work(i) is None) or r.equals(_work(i)) for i, r in got)


def test_a_helper_that_hangs_is_ended_and_its_batches_made_by_the_writer(forks, monkeypatch):
    parent = os.getpid()
    monkeypatch.setattr(sidecar, "STALL_SECONDS", 0.5)

    def work(i: int) -> pa.RecordBatch | None:
        if os.getpid() != parent and i > 3:
            time.sleep(3600)  # stuck for good, as after a fork that caught a lock held
        return _work(i)

    got = [(job(), result) for job, result in sidecar.in_order(_jobs(40), work)]
    assert [i for i, _r in got] == list(range(40))
    assert all((r is None and _work(i) is None) or r.equals(_work(i)) for i, r in got)
    assert len(forks) == 1
    with pytest.raises(ChildProcessError):  # killed and reaped, not left behind
        os.waitpid(forks[0], os.WNOHANG)


def test_a_writer_that_stops_early_ends_its_helper(forks):
    it = sidecar.in_order(_jobs(1_000), _work)
    for _ in range(3):
        next(it)
    it.close()
    assert len(forks) == 1
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(forks[0], os.WNOHANG)


def test_used_only_where_allowed_and_worth_it(monkeypatch):
    monkeypatch.delenv(sidecar.ENV, raising=False)
    sidecar.enable(False)
    assert not sidecar.usable(10 ** 7, 1_000)  # a library caller is never forked unless it asks
    sidecar.enable(True)
    try:
        if len(os.sched_getaffinity(0)) >= 2:
            assert sidecar.usable(10 ** 7, 1_000)
        assert not sidecar.usable(sidecar.MIN_ROWS - 1, 1_000)  # too small to pay for a fork
        assert not sidecar.usable(10 ** 7, sidecar.MAX_RECORDS + 1)  # pages copied on write grow with the data
        monkeypatch.setenv(sidecar.ENV, "1")
        assert not sidecar.usable(10 ** 7, 1_000)
    finally:
        sidecar.enable(False)


def test_the_evaluate_command_uses_it_and_writes_the_same_file(forks, tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    from layanan_rules.cli import cli

    data = tmp_path / "data.json"
    data.write_text(json.dumps(_synthetic(60, 1_500, 7)), encoding="utf-8")
    args = ["evaluate", str(data), "--as-of", "2025-01-31", "--format", "csv", "-q", "-o"]
    try:
        monkeypatch.setenv(sidecar.ENV, "1")
        CliRunner().invoke(cli, [*args, str(tmp_path / "one.csv")], catch_exceptions=False)
        assert forks == []
        monkeypatch.delenv(sidecar.ENV)
        CliRunner().invoke(cli, [*args, str(tmp_path / "two.csv")], catch_exceptions=False)
        assert forks, "the evaluate command did not allow the helper process"
    finally:
        sidecar.enable(False)
    assert (tmp_path / "two.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
