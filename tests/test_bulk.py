"""A bulk build is settled: its objects leave the young generation without a collection walking
them, and nothing that was garbage, or becomes garbage, is kept from the collector."""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from layanan_rules import DataError, Dataset
from layanan_rules.data.dataset import iter_json_records
from layanan_rules.engine import run
from layanan_rules.model import bulk


class Node:
    """A reference cycle only the collector can free (``self.me = self``)."""

    def __init__(self) -> None:
        self.me = self


def _layanan(n: int) -> dict[str, list[dict[str, Any]]]:
    return {"layanan": [{"id": f"L{i}", "nama": "Pembuatan KTP", "aktif": True} for i in range(n)]}


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector on, nothing frozen by this process as far as settle knows, restored after."""
    was, keeps = gc.isenabled(), bulk._KEEPS_FROZEN[0]
    if gc.get_freeze_count():
        pytest.skip("this process keeps frozen objects")
    gc.enable()
    bulk._KEEPS_FROZEN[0] = None
    try:
        yield
    finally:
        bulk._KEEPS_FROZEN[0] = keeps
        if not was:
            gc.disable()


def _young_ids() -> set[int]:
    return {id(o) for o in gc.get_objects(generation=0)}


def test_a_bulk_build_leaves_no_young_objects_and_freezes_nothing(collector: None) -> None:
    gc.collect()
    ds = Dataset.from_json(_layanan(bulk.SETTLE_FROM))
    assert gc.get_count()[0] < 100  # the records would count about 2 x SETTLE_FROM
    young = _young_ids()
    assert not any(id(rec) in young or id(rec.obj) in young for rec in ds.records["layanan"])
    assert gc.get_freeze_count() == 0  # moved to the oldest generation, not kept frozen
    assert any(o is ds.records["layanan"][0] for o in gc.get_objects(generation=2))


def test_a_small_build_is_left_to_the_collector(collector: None) -> None:
    gc.collect()
    gc.disable()  # no collection in between: the records must still be young
    try:
        ds = Dataset.from_json(_layanan(10))
        young = _young_ids()
    finally:
        gc.enable()
    assert all(id(rec) in young for rec in ds.records["layanan"])


def test_garbage_young_before_a_settle_is_still_collected(collector: None) -> None:
    gc.collect()
    node = Node()
    ref = weakref.ref(node)
    Dataset.from_json(_layanan(bulk.SETTLE_FROM))  # settles with the cycle young and alive
    del node
    gc.collect()
    assert ref() is None


def test_a_process_that_keeps_frozen_objects_is_left_as_it_is(collector: None) -> None:
    """A server worker (forked after gc.freeze()) keeps its own frozen objects, and a request's
    build is not frozen with them: a cycle among its garbage would live as long as the server."""
    gc.collect()
    keep = Node()
    gc.freeze()
    try:
        bulk._KEEPS_FROZEN[0] = None
        frozen = gc.get_freeze_count()
        node = Node()
        ref = weakref.ref(node)
        ds = Dataset.from_json(_layanan(bulk.SETTLE_FROM))
        assert gc.get_freeze_count() == frozen  # nothing of the build joined the permanent generation
        assert not any(o is keep for o in gc.get_objects(generation=2))  # and the process' own stayed there
        del node
        gc.collect()
        assert ref() is None  # the cycle was collected
        del ds
    finally:
        gc.unfreeze()
        gc.collect()


def test_a_build_that_fails_settles_nothing(collector: None) -> None:
    def failing() -> Iterator[Any]:
        yield from iter_json_records(_layanan(bulk.SETTLE_FROM), source="<test>")
        raise DataError("the source broke off")

    gc.collect()
    with pytest.raises(DataError):
        Dataset.from_records(failing())
    assert bulk._KEEPS_FROZEN[0] is None  # never got as far as settling
    assert gc.get_freeze_count() == 0


def test_with_the_collector_off_nothing_is_settled(collector: None) -> None:
    gc.disable()
    try:
        Dataset.from_json(_layanan(bulk.SETTLE_FROM))
        bulk.settle()
        assert bulk._KEEPS_FROZEN[0] is None
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_run_settles_the_blocks_and_a_dataset_it_made(collector: None, ruleset: Any) -> None:
    gc.collect()
    results = run(ruleset, _layanan(bulk.SETTLE_FROM), as_of=dt.date(2025, 1, 31))
    assert gc.get_count()[0] < 100
    young = _young_ids()
    assert not any(id(rec) in young for rec in results.dataset.records["layanan"])
    assert gc.get_freeze_count() == 0
