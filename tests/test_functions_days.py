"""Day counting: the fast path for WIB timestamps agrees with the general zone conversion."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from layanan_rules.rules.functions import calendar_days

WIB = ZoneInfo("Asia/Jakarta")
offsets = st.sampled_from([7, 7, 7, 0, 8, 9, -5])
moments = st.datetimes(min_value=dt.datetime(2009, 1, 1), max_value=dt.datetime(2030, 12, 31))


@given(moments, offsets, moments, offsets)
def test_calendar_days_counts_wib_dates_whatever_the_offset(a, oa, b, ob):
    start = a.replace(tzinfo=dt.timezone(dt.timedelta(hours=oa)))
    end = b.replace(tzinfo=dt.timezone(dt.timedelta(hours=ob)))
    expected = (end.astimezone(WIB).date() - start.astimezone(WIB).date()).days
    assert calendar_days(start, end) == expected


def test_calendar_days_mixes_dates_and_timestamps():
    assert calendar_days(dt.date(2024, 1, 1), dt.datetime(2024, 1, 3, 1, tzinfo=WIB)) == 2
