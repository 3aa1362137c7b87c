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


# --- deadlines: the last day of a period, and the calendar's options ----------------------------

from layanan_rules.rules.functions import calendar_info, deadline, is_working_day

D = dt.date


def test_the_last_day_of_14_calendar_days_and_of_14_working_days():
    # received Thu 2 Jan 2025: day 14 is Thu 16 Jan; the 14th working day is Wed 22 Jan
    assert deadline(D(2025, 1, 2), 14, False, False, False) == D(2025, 1, 16)
    assert deadline(D(2025, 1, 2), 14, True, False, False) == D(2025, 1, 22)
    assert deadline(dt.datetime(2025, 1, 2, 23, 30, tzinfo=WIB), 14, False, False, False) == D(2025, 1, 16)


def test_a_deadline_on_a_sunday_holiday_rolls_forward_only_when_asked():
    # 3 Aug 2025 + 14 = Sun 17 Aug (Independence Day); Mon 18 Aug 2025 is cuti bersama
    assert deadline(D(2025, 8, 3), 14, False, False, False) == D(2025, 8, 17)
    assert deadline(D(2025, 8, 3), 14, False, True, False) == D(2025, 8, 19)  # cuti bersama is not a working day
    assert deadline(D(2025, 8, 3), 14, False, True, True) == D(2025, 8, 18)  # ... unless counted as one


def test_a_saturday_does_not_roll_as_uu_30_2014_names_only_sunday_and_national_holidays():
    assert deadline(D(2025, 1, 4), 14, False, True, False) == D(2025, 1, 18)  # a Saturday stays


def test_a_weekday_national_holiday_rolls_to_the_next_working_day():
    # 11 Dec 2025 + 14 = Thu 25 Dec (Christmas); Fri 26 Dec is cuti bersama
    assert deadline(D(2025, 12, 11), 14, False, True, False) == D(2025, 12, 29)
    assert deadline(D(2025, 12, 11), 14, False, True, True) == D(2025, 12, 26)


def test_cuti_bersama_2025_and_2026_are_in_the_calendar():
    """holidays >= 0.99: 18 Aug 2025 (added between 0.76 and 0.78) and the 2026 cuti bersama of the SKB
    (reference section 7: 16 Feb, 18, 20, 23, 24 Mar, 15, 28 May, 24 Dec)."""
    for day in (D(2025, 8, 18), D(2026, 2, 16), D(2026, 3, 18), D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24),
                D(2026, 5, 15), D(2026, 5, 28), D(2026, 12, 24)):
        assert not is_working_day(day), day
        assert is_working_day(day, cuti_kerja=True), day
    assert not is_working_day(D(2026, 8, 17), cuti_kerja=True)  # a national holiday stays one


def test_working_days_with_cuti_bersama_as_working_days():
    # received Fri 15 Aug 2025: 3 working days -> Tue 19, Wed 20, Thu 21 (18 is cuti bersama) ...
    assert deadline(D(2025, 8, 15), 3, True, False, False) == D(2025, 8, 21)
    # ... or Mon 18, Tue 19, Wed 20 when cuti bersama count
    assert deadline(D(2025, 8, 15), 3, True, False, True) == D(2025, 8, 20)


def test_the_calendar_names_its_version():
    import holidays

    info = calendar_info()
    assert info["source"] == "holidays" and info["version"] == holidays.__version__
    assert tuple(int(x) for x in info["version"].split(".")[:2]) >= (0, 99)


def test_the_holiday_calendar_comes_back_the_same_from_the_disk_cache(tmp_path, monkeypatch):
    import datetime as dt

    from layanan_rules.rules import functions as f

    monkeypatch.setenv("LAYANAN_RULES_CACHE_DIR", str(tmp_path))
    for cached in (f._holidays, f._calendar_file):
        cached.cache_clear()
    fresh = f._holidays(2025)
    assert (tmp_path / f"holidays-{f.holidays_version()}.json").is_file()
    for cached in (f._holidays, f._calendar_file):
        cached.cache_clear()
    assert f._holidays(2025) == fresh
    assert dt.date(2025, 8, 18) in fresh  # cuti bersama of 18 August 2025 (holidays >= 0.78)
    assert dt.date(2025, 8, 18) not in f._holidays(2025, cuti_kerja=True)
    for cached in (f._holidays, f._calendar_file):
        cached.cache_clear()
