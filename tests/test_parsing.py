"""Indonesian values as people write them. Example strings come from real public data (LAPOR!
2015 complaint export, MPP Kabupaten Batang service catalogue 2020) and from service standards."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layanan_rules.model.parsing import (
    WIB,
    WITA,
    ParseError,
    parse_biaya,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_jangka_waktu,
    parse_list,
    parse_number,
    parse_peraturan,
    parse_peraturan_list,
    parse_rupiah,
)

# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7/1/2015", dt.date(2015, 1, 7)),
        ("20/1/2015", dt.date(2015, 1, 20)),  # LAPOR!: invalid as M/D/Y, so day-first is the only reading
        ("07-01-2015", dt.date(2015, 1, 7)),
        ("07.01.2015", dt.date(2015, 1, 7)),
        ("9 Januari 2024", dt.date(2024, 1, 9)),
        ("9 Jan 2024", dt.date(2024, 1, 9)),
        ("09-Jan-2024", dt.date(2024, 1, 9)),
        ("17 Agustus 1945", dt.date(1945, 8, 17)),
        ("1 Agt 2024", dt.date(2024, 8, 1)),
        ("31 Desember 2023", dt.date(2023, 12, 31)),
        ("Senin, 8 Januari 2024", dt.date(2024, 1, 8)),
        ("2024-01-09", dt.date(2024, 1, 9)),
        ("  9/1/24 ", dt.date(2024, 1, 9)),
        ("7/1/2015 10:27:00", dt.date(2015, 1, 7)),
        ("2024-01-09T10:27:00+07:00", dt.date(2024, 1, 9)),
        ("29/2/2024", dt.date(2024, 2, 29)),
    ],
)
def test_parse_date_reads_day_first_and_iso(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2024", "29/2/2023", "0/1/2024", "9/13/2024", "32 Januari 2024"])
def test_parse_date_rejects_impossible_dates(text: str) -> None:
    with pytest.raises(ParseError, match="tanggal"):
        parse_date(text)


@pytest.mark.parametrize("text", ["", "kemarin", "9 Juliember 2024", "2024", "9/1", "9/1/2024 sore hari"])
def test_parse_date_rejects_unreadable_text(text: str) -> None:
    with pytest.raises(ParseError):
        parse_date(text)


def test_parse_date_message_is_bilingual_and_names_the_value() -> None:
    with pytest.raises(ParseError) as info:
        parse_date("31/02/2024")
    message = str(info.value)
    assert "'31/02/2024'" in message and " / " in message
    assert "9 Januari 2024" in message  # says what would work


def test_parse_date_passes_date_objects_through() -> None:
    assert parse_date(dt.date(2024, 1, 9)) == dt.date(2024, 1, 9)
    assert parse_date(dt.datetime(2024, 1, 9, 23, 0)) == dt.date(2024, 1, 9)


# --- date-times --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7/1/2015 10:27:00", dt.datetime(2015, 1, 7, 10, 27, tzinfo=WIB)),
        ("25/2/2015 01:00:00", dt.datetime(2015, 2, 25, 1, 0, tzinfo=WIB)),
        ("9 Januari 2024 pukul 10.27", dt.datetime(2024, 1, 9, 10, 27, tzinfo=WIB)),
        ("9 Januari 2024, 10:27 WIB", dt.datetime(2024, 1, 9, 10, 27, tzinfo=WIB)),
        ("9/1/2024 10:27 WITA", dt.datetime(2024, 1, 9, 10, 27, tzinfo=WITA)),
        ("2024-01-09T10:27:00", dt.datetime(2024, 1, 9, 10, 27, tzinfo=WIB)),
        ("2024-01-09 10:27:00.123", dt.datetime(2024, 1, 9, 10, 27, 0, 123000, tzinfo=WIB)),
        ("2024-01-09", dt.datetime(2024, 1, 9, tzinfo=WIB)),
        ("9/1/2024", dt.datetime(2024, 1, 9, tzinfo=WIB)),
    ],
)
def test_parse_datetime_reads_local_and_iso_forms(text: str, expected: dt.datetime) -> None:
    got = parse_datetime(text)
    assert got == expected
    assert got.tzinfo is not None


def test_parse_datetime_honours_offsets() -> None:
    got = parse_datetime("2024-01-09T03:27:00Z")
    assert got == dt.datetime(2024, 1, 9, 10, 27, tzinfo=WIB)
    assert parse_datetime("2024-01-09T10:27:00+08:00").utcoffset() == dt.timedelta(hours=8)


def test_parse_datetime_uses_the_given_zone_for_naive_values() -> None:
    got = parse_datetime("9/1/2024 10:00", tz=WITA)
    assert got.utcoffset() == dt.timedelta(hours=8)
    assert parse_datetime(dt.datetime(2024, 1, 9, 10)).tzinfo is WIB


@pytest.mark.parametrize("text", ["9/1/2024 25:00", "9/1/2024 10:61", "30/2/2024 10:00", "jam 10"])
def test_parse_datetime_rejects_impossible_times(text: str) -> None:
    with pytest.raises(ParseError):
        parse_datetime(text)


# --- numbers and money -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567", 1234567),
        ("1.234,5", 1234.5),
        ("3,45", 3.45),
        ("1.500", 1500),
        ("0.5", 0.5),
        ("12", 12),
        ("-3", -3),
        ("85%", 85),
        ("1,234,567", 1234567),
        ("1,234,567.5", 1234567.5),
        (" 400 ", 400),
    ],
)
def test_parse_number_reads_indonesian_separators(text: str, expected: float) -> None:
    got = parse_number(text)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize("text", ["", "abc", "1.23.4", "1,2,3", "12a", "--1", "1.234,5,6", "nan", "inf"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    with pytest.raises(ParseError, match="angka"):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rp 10.000,-", 10000),
        ("Rp.20.000", 20000),
        ("Rp 0,-", 0),
        ("10000", 10000),
        ("Rp. 50.000,00", 50000),
        ("Rp10.000", 10000),
        ("IDR 5000", 5000),
        ("Rp 1,5 juta", 1500000),
        ("25 ribu", 25000),
        ("Rp 75.000 rupiah", 75000),
    ],
)
def test_parse_rupiah_reads_amounts(text: str, expected: int) -> None:
    assert parse_rupiah(text) == expected


@pytest.mark.parametrize("text", ["-5", "Rp 1.5", "gratis", "Rp", "sepuluh ribu"])
def test_parse_rupiah_rejects_what_is_not_a_whole_amount(text: str) -> None:
    with pytest.raises(ParseError, match="rupiah"):
        parse_rupiah(text)


# --- fees --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Gratis", "GRATIS", "Tidak dipungut biaya", "Tidak dikenakan biaya", "tanpa dipungut biaya", "Rp 0,-",
     "Rp. 0", "0", "Tanpa biaya", "Biaya: Rp 0", "Nihil"],
)
def test_parse_biaya_recognises_free_services(text: str) -> None:
    got = parse_biaya(text)
    assert got["gratis"] is True
    assert got["teks"] == text


@pytest.mark.parametrize(
    ("text", "amount"),
    [("Rp 10.000,-", 10000), ("Rp.20.000", 20000), ("Rp 25.000 per lembar", 25000), ("Rp 150.000/tahun", 150000)],
)
def test_parse_biaya_reads_amounts(text: str, amount: int) -> None:
    got = parse_biaya(text)
    assert got == {"gratis": False, "jumlah": amount, "teks": text}


@pytest.mark.parametrize(
    ("text", "dasar"),
    [
        ("Sesuai Perda", "Perda"),
        ("sesuai Perda No. 5 Tahun 2019", "Perda No. 5 Tahun 2019"),
        ("PNBP sesuai PP No. 60 Tahun 2016", "PP No. 60 Tahun 2016"),
    ],
)
def test_parse_biaya_keeps_the_named_regulation(text: str, dasar: str) -> None:
    got = parse_biaya(text)
    assert got["gratis"] is False
    assert got["jumlah"] is None
    assert got["dasar_hukum"] == dasar


@pytest.mark.parametrize(
    "text",
    ["dikenakan biaya", "dikenakan biaya (100 USD perbulan perorang )",
     "Luas Bangunan (LB) X Koefisien X  Tarif Retribusi"],
)
def test_parse_biaya_charged_without_a_rupiah_amount(text: str) -> None:
    got = parse_biaya(text)
    assert got["gratis"] is False and got["jumlah"] is None


@pytest.mark.parametrize("text", ["-", "abc", ""])
def test_parse_biaya_rejects_text_that_says_nothing_about_a_fee(text: str) -> None:
    with pytest.raises(ParseError, match="biaya"):
        parse_biaya(text)


# --- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "jumlah", "satuan", "jenis"),
    [
        ("3 (tiga) hari kerja", 3, "hari", "kerja"),
        ("Maksimal 7 Hari", 7, "hari", None),
        ("7 hari kerja", 7, "hari", "kerja"),
        ("Maksimal 7 Hari Kerja", 7, "hari", "kerja"),
        ("Maksimal 20 (dua puluh) hari", 20, "hari", None),
        ("30 Menit", 30, "menit", None),
        ("14 hari kalender", 14, "hari", "kalender"),
        ("1 Minggu", 1, "minggu", None),
        ("1 x 24 jam", 24, "jam", None),
        ("2 x 24 Jam", 48, "jam", None),
        ("Paling lama 5 hari kerja", 5, "hari", "kerja"),
        ("tiga hari kerja", 3, "hari", "kerja"),
        ("dua belas hari", 12, "hari", None),
        ("sehari", 1, "hari", None),
        ("3-5 hari kerja", 5, "hari", "kerja"),
        ("3 s.d. 5 hari", 5, "hari", None),
        ("5 HK", 5, "hari", "kerja"),
        ("2,5 jam", 2.5, "jam", None),
        ("1 bulan", 1, "bulan", None),
        ("5 tahun", 5, "tahun", None),
        ("Selesai di hari yang sama", 1, "hari", None),
    ],
)
def test_parse_jangka_waktu(text: str, jumlah: float, satuan: str, jenis: str | None) -> None:
    got = parse_jangka_waktu(text)
    assert got == {"jumlah": float(jumlah), "satuan": satuan, "jenis_hari": jenis, "teks": text}


@pytest.mark.parametrize("text", ["-", "segera", "", "sesuai antrian"])
def test_parse_jangka_waktu_rejects_text_without_a_duration(text: str) -> None:
    with pytest.raises(ParseError, match="jangka waktu"):
        parse_jangka_waktu(text)


# --- yes / no ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["ya", "Ya", "YA", "iya", "ada", "Ada", "true", "TRUE", "1", "✓", "✔", "v", "V",
                                  "x", "sudah", "Sudah", "tersedia", "Ada, di papan pengumuman"])
def test_parse_bool_yes(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["tidak", "Tidak", "tdk", "tidak ada", "Tidak Ada", "false", "0", "belum",
                                  "Belum ada", "✗", "tidak tersedia", "Tidak, sedang disusun"])
def test_parse_bool_no(text: str) -> None:
    assert parse_bool(text) is False


@pytest.mark.parametrize("text", ["mungkin", "-", "", "2"])
def test_parse_bool_rejects_other_answers(text: str) -> None:
    with pytest.raises(ParseError, match="ya/tidak"):
        parse_bool(text)


# --- lists -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. KTP\n2. KK\n3. Akta Kelahiran", ["KTP", "KK", "Akta Kelahiran"]),
        ("1) KTP\n2) KK", ["KTP", "KK"]),
        ("a. KTP\nb. KK", ["KTP", "KK"]),
        ("- KTP\n- KK", ["KTP", "KK"]),
        ("• KTP\n• KK", ["KTP", "KK"]),
        ("* KTP\n* KK", ["KTP", "KK"]),
        ("KTP; KK; Akta", ["KTP", "KK", "Akta"]),
        ("KTP\r\nKK\r\n", ["KTP", "KK"]),
        ("1. Fotokopi KTP 2. Fotokopi KK 3. Surat pengantar RT/RW",
         ["Fotokopi KTP", "Fotokopi KK", "Surat pengantar RT/RW"]),
        ("1. Pemohon datang ke loket\n   dengan membawa berkas\n2. Petugas memeriksa",
         ["Pemohon datang ke loket dengan membawa berkas", "Petugas memeriksa"]),
        ("UU No. 23 Tahun 2006", ["UU No. 23 Tahun 2006"]),
        ("Surat permohonan/ formulir permohonan yang sudah diisi",
         ["Surat permohonan/ formulir permohonan yang sudah diisi"]),
        ("", []),
        ("  \n ", []),
    ],
)
def test_parse_list_splits_and_strips_markers(text: str, expected: list[str]) -> None:
    assert parse_list(text) == expected


def test_parse_list_keeps_decimals_and_abbreviations_whole() -> None:
    assert parse_list("Biaya Rp 10.000 per lembar") == ["Biaya Rp 10.000 per lembar"]
    assert parse_list("a.n. Kepala Dinas") == ["a.n. Kepala Dinas"]


# --- regulations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "jenis", "nomor", "tahun"),
    [
        ("Undang-Undang Nomor 24 Tahun 2013", "UU", "24", 2013),
        ("Undang Undang No. 25 Tahun 2009 tentang Pelayanan Publik", "UU", "25", 2009),
        ("UU No. 23/2006", "UU", "23", 2006),
        ("UU 24/2013", "UU", "24", 2013),
        ("Perda Kab. Batang No 5 Tahun 2019", "Perda", "5", 2019),
        ("Peraturan Daerah Kota Contoh Nomor 3 Tahun 2020", "Perda", "3", 2020),
        ("Peraturan Pemerintah Nomor 96 Tahun 2012", "PP", "96", 2012),
        ("PP No. 40 Tahun 2019", "PP", "40", 2019),
        ("Peraturan Presiden Nomor 96 Tahun 2018", "Perpres", "96", 2018),
        ("Permendagri No. 108 Tahun 2019", "Permendagri", "108", 2019),
        ("Peraturan Menteri Dalam Negeri Nomor 7 Tahun 2019", "Permendagri", "7", 2019),
        ("PermenPAN-RB Nomor 14 Tahun 2017", "PermenPANRB", "14", 2017),
        ("Peraturan Bupati Batang Nomor 12 Tahun 2018", "Perbup", "12", 2018),
        ("Peraturan Walikota Contoh Nomor 12 Tahun 2021", "Perwali", "12", 2021),
        ("PMK Nomor 11/PMK.03/2020", "PMK", "11/PMK.03", 2020),
    ],
)
def test_parse_peraturan(text: str, jenis: str, nomor: str, tahun: int) -> None:
    got = parse_peraturan(text)
    assert got == {"teks": text, "jenis": jenis, "nomor": nomor, "tahun": tahun}


def test_parse_peraturan_keeps_unrecognised_text() -> None:
    assert parse_peraturan("Surat Keterangan Lurah") == {
        "teks": "Surat Keterangan Lurah", "jenis": None, "nomor": None, "tahun": None,
    }


def test_parse_peraturan_list_splits_lines_and_comma_separated_citations() -> None:
    got = parse_peraturan_list("1. UU No. 23/2006\n2. UU 24/2013")
    assert [(p["jenis"], p["nomor"], p["tahun"]) for p in got] == [("UU", "23", 2006), ("UU", "24", 2013)]
    got = parse_peraturan_list("UU 25/2009, PP 96/2012")
    assert [p["teks"] for p in got] == ["UU 25/2009", "PP 96/2012"]


# --- nothing but ParseError, ever --------------------------------------------------------------

_PARSERS = [parse_date, parse_datetime, parse_number, parse_rupiah, parse_biaya, parse_jangka_waktu, parse_bool,
            parse_list, parse_peraturan, parse_peraturan_list]

_indonesian_bits = st.sampled_from(
    ["Rp", "Rp.", ",-", "hari", "kerja", "kalender", "x", "24", "jam", "Nomor", "No.", "Tahun", "/", "-", ".", ",",
     "Januari", "Agt", "pukul", "WIB", "1.", "a.", "•", ";", "\n", "tidak", "ada", "(tiga)", "Perda", "UU", "2024",
     "31", "02", ":", "T", "+07:00", "Z", "1.234", "0", "Maksimal", "sesuai", "dipungut", "biaya", "juta"]
)
_messy = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(_indonesian_bits, st.integers(0, 99999).map(str)), max_size=12).map(" ".join),
    st.lists(st.one_of(_indonesian_bits, st.integers(0, 99).map(str)), max_size=12).map("".join),
)


@pytest.mark.parametrize("parser", _PARSERS, ids=lambda f: f.__name__)
@settings(max_examples=300, deadline=None)
@given(value=_messy)
def test_parsers_raise_only_parse_error(parser, value: str) -> None:  # type: ignore[no-untyped-def]
    try:
        parser(value)
    except ParseError as exc:
        assert " / " in str(exc)


@pytest.mark.parametrize("parser", _PARSERS, ids=lambda f: f.__name__)
@given(value=st.one_of(st.none(), st.integers(), st.floats(), st.booleans(), st.binary(max_size=5),
                       st.dates(), st.lists(st.integers(), max_size=3)))
@settings(max_examples=60, deadline=None)
def test_parsers_raise_only_parse_error_on_other_types(parser, value: object) -> None:  # type: ignore[no-untyped-def]
    try:
        parser(value)
    except ParseError:
        pass


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_parse_date_round_trips_day_first_and_long_forms(day: dt.date) -> None:
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember"]
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == day
    assert parse_date(f"{day.day:02d}-{day.month:02d}-{day.year}") == day
    assert parse_date(f"{day.day} {months[day.month - 1]} {day.year}") == day
    assert parse_date(day.isoformat()) == day


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_rupiah_round_trips_indonesian_grouping(amount: int) -> None:
    grouped = f"{amount:,}".replace(",", ".")
    assert parse_rupiah(f"Rp {grouped},-") == amount
    assert parse_number(grouped) == amount


def _peraturan_reference(text: str) -> dict:
    """parse_peraturan as first written (case-insensitive regexes on the text itself, lookbehinds
    first): the fast path (lowercased ASCII, literal-first patterns) must give the same answer."""
    import re

    from layanan_rules.model.parsing import common
    from layanan_rules.model.parsing import peraturan as p

    text = common._text(text, "peraturan", "regulation", "")
    text = re.sub(r"^\s*(?:\d{1,3}[.)]|[a-z][.)]|[-•*])\s+", "", text, flags=re.IGNORECASE)
    result = {"teks": text, "jenis": None, "nomor": None, "tahun": None}
    m = p._JENIS_RE.search(text)
    if m:
        result["jenis"] = p._JENIS[int(m.lastgroup[1:])][1]
    nomor = re.search(r"(?<![a-z])(?:nomor|nomer|no|nmr)\s*[.:]?\s*([0-9][0-9a-z./\-]*?)(?=[\s,;]|$)", text, re.IGNORECASE)
    if nomor:
        value = nomor[1].rstrip("./-")
        tail = re.fullmatch(r"(.+?)/((?:19|20)\d{2})", value)
        if tail:
            value = tail[1]
            result["tahun"] = int(tail[2])
        result["nomor"] = value or None
    else:
        short = p._SHORT.search(text)
        if short:
            result["nomor"], result["tahun"] = short[1], int(short[2])
    tahun = re.search(r"(?<![a-z])(?:tahun|thn|th)\s*[.:]?\s*((?:19|20)\d{2})(?!\d)", text, re.IGNORECASE)
    if tahun:
        result["tahun"] = int(tahun[1])
    return result


_REG_WORDS = ["nomor", "Anomor", "xno", "thn2019", "tahun", "Nomor12", "n", "t", "Peraturan", "PERDA", "perda", "Kota", "Batang", "Nomor", "NO.", "no", "Tahun", "THN", "th.",
              "UU", "Undang-Undang", "PP", "Permenpan RB", "Peraturan Menteri", "Dalam", "Negeri", "tentang",
              "12", "5A", "2019", "1998", "23/2006", "/", ",", "1.", "a)", "-", "Keputusan", "Bupati", "Perwal",
              "SE", "ri", "Republik", "Indonesia", "NMR:", "07/KPTS/2020"]


@given(st.lists(st.sampled_from(_REG_WORDS), min_size=1, max_size=9))
def test_regulations_parse_the_same_on_the_fast_path(words):
    text = " ".join(words)
    assert parse_peraturan(text) == _peraturan_reference(text)


# --- maklumat pelayanan: its elements, as agencies write them -------------------------------------

from layanan_rules.model.parsing import unsur_maklumat

TEMPLATE = ("Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
            "ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan "
            "perundang-undangan yang berlaku.")


@pytest.mark.parametrize(("text", "found"), [
    (TEMPLATE, {"janji_standar", "sanksi_kompensasi"}),
    (TEMPLATE.upper(), {"janji_standar", "sanksi_kompensasi"}),
    ("Maklumat pelayanan", set()),
    ("", set()),
    (("KAMI BERJANJI\nMEMBERIKAN PELAYANAN BERDASARKAN STANDAR PELAYANAN\nMELAKUKAN PERBAIKAN SECARA TERUS-MENERUS\n"
      "BERSEDIA MENERIMA SANKSI DAN/ATAU MEMBERIKAN KOMPENSASI APABILA PELAYANAN TIDAK SESUAI STANDAR"),
     {"janji_standar", "perbaikan_berkelanjutan", "sanksi_kompensasi"}),
    (("Sesuai standar pelayanan, kami bertekad melayani sepenuh hati; kami akan senantiasa meningkatkan kualitas "
      "layanan; jika lalai, kami rela dikenai sanksi."), {"janji_standar", "perbaikan_berkelanjutan", "sanksi_kompensasi"}),
    ("Kami berkomitmen memberikan pelayanan mengacu pada standar pelayanan dan terus berinovasi.",
     {"janji_standar", "perbaikan_berkelanjutan"}),
    ("Kami siap memberikan ganti rugi apabila pelayanan tidak sesuai standar.", {"sanksi_kompensasi"}),
    ("Kami tidak sanggup melayani sesuai standar pelayanan.", set()),
    ("Kami belum bersedia menerima sanksi.", set()),
    # two clauses: a promise word in one, the standard in another, do not make a promise
    ("Kami siap. Standar pelayanan ditempel di loket.", set()),
    ("1. Melayani sesuai standar pelayanan 2. Menerima sanksi", {"sanksi_kompensasi"}),  # no promise word
    ("Apabila pelayanan tidak sesuai standar, kami tidak bersedia menerima sanksi.", set()),
])
def test_maklumat_elements_are_found_by_clause_in_any_case_and_order(text, found):
    got = unsur_maklumat(text)
    assert list(got) == ["janji_standar", "perbaikan_berkelanjutan", "sanksi_kompensasi"]
    assert {k for k, v in got.items() if v} == found


def test_maklumat_quotes_are_the_shortest_stretch_stating_each_element():
    got = unsur_maklumat(TEMPLATE)
    assert got == {"janji_standar": "sanggup menyelenggarakan pelayanan sesuai standar pelayanan",
                   "perbaikan_berkelanjutan": None, "sanksi_kompensasi": "menerima sanksi"}


def test_maklumat_matcher_rejects_non_text_and_never_backtracks_on_long_text():
    with pytest.raises(ParseError):
        unsur_maklumat(12)
    long = ("sanggup " * 600) + "x"
    assert unsur_maklumat(long)["janji_standar"] is None


@pytest.mark.parametrize(("kategori", "organisasi", "group"), [
    ("tokoh masyarakat", None, "tokoh_masyarakat"), ("Akademisi", "Universitas Contoh", "akademisi"),
    (None, "Universitas Diponegoro", "akademisi"), ("", "LSM Peduli Kota", "lsm"),
    ("Perwakilan pengguna layanan", None, "penerima_manfaat"), ("Kadin Kota", None, "dunia_usaha"),
    ("Ikatan Bidan Indonesia", None, "organisasi_profesi"), ("penyandang disabilitas", None, "penerima_manfaat"),
    ("Staf Seksi Pelayanan", None, "internal"), ("Kepala Dinas", None, "internal"),
    ("Dinas Kesehatan", None, "pemerintah"), ("Camat", None, ""), (None, None, ""),
])
def test_participant_groups_of_pp_96_2012_pasal_23(kategori, organisasi, group):
    from layanan_rules.model.parsing import unsur_peserta

    assert unsur_peserta(kategori, organisasi) == group


def test_the_fast_word_date_path_reads_what_the_general_path_reads(monkeypatch):
    """'26 Agustus 2024' and 'Senin, 26 Agustus 2024' take a one-match path; on every month name,
    weekdays known and unknown, impossible days and years, it gives the general path's date or
    the same error."""
    import itertools

    from layanan_rules.model import convert, parsing
    from layanan_rules.model.parsing import dates

    texts = [f"{pre}{day} {month} {year}" for pre, day, month, year in itertools.product(
        ("", "Senin, ", "jum'at ", "Sunday, ", "Besok, "), ("0", "1", "09", "28", "29", "30", "31", "32"),
        (*dates._MONTHS, "Bulan", "AGUSTUS", "Agt."), ("0000", "2023", "2024"))]

    def outcomes():
        out = []
        for text in texts:
            for read in (parsing.parse_date, parsing.parse_datetime):
                try:
                    out.append(read(text))
                except parsing.ParseError as exc:
                    out.append(str(exc))
            for structure in (convert._date, convert._datetime):  # the converter's own shortcut to it
                try:
                    out.append(structure(text, None))
                except ValueError as exc:
                    out.append(f"{type(exc).__name__}: {exc}")
        return out

    fast = outcomes()
    monkeypatch.setattr(parsing, "fast_word_date", lambda _text: None)
    assert fast == outcomes()
    assert sum(isinstance(x, str) for x in fast) > 100 and sum(not isinstance(x, str) for x in fast) > 1000
