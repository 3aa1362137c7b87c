"""SKM/IKM (PermenPAN-RB 14/2017) against the worked examples computed by hand in docs/skm.md."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan_rules import evaluate, load_ruleset
from layanan_rules.skm import (
    GRADES,
    IkmResult,
    grade,
    ikm_from_means,
    ikm_from_responses,
    round2,
    sample_size,
)

MEANS = [3.2, 3.1, 2.9, 3.8, 3.3, 3.4, 3.5, 3.0, 3.1]  # docs/skm.md example 1, sum 29.3
ROWS = [  # docs/skm.md example 2
    [4, 4, 3, 4, 3, 4, 4, 3, 3],
    [3, 3, 3, 4, 3, 3, 4, 3, 3],
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
    [3, 4, 3, 4, 4, 3, 4, 2, 3],
]


def test_example_1_means_exact_weight():
    r = ikm_from_means(MEANS)
    assert r.index == pytest.approx(29.3 / 9)
    assert r.ikm == pytest.approx(81.388888, abs=1e-5)
    assert r.ikm_rounded == 81.39
    assert (r.grade.letter, r.grade.label_id, r.grade.label_en) == ("B", "Baik", "Good")
    assert r.ok and r.weight == "1/9"


def test_example_1_means_published_weight():
    r = ikm_from_means(MEANS, weight="0.111")
    assert r.index == pytest.approx(3.2523)
    assert r.ikm == pytest.approx(81.3075)
    assert r.ikm_rounded == 81.31 and r.grade.letter == "B"


def test_example_2_responses():
    r = ikm_from_responses(ROWS)
    assert r.means == (3.5, 3.75, 3.25, 4.0, 3.5, 3.5, 4.0, 3.0, 3.25)
    assert r.ikm == pytest.approx(31.75 / 9 * 25) and r.ikm_rounded == 88.19
    assert r.grade.letter == "B"  # just below A (88.31)
    assert r.respondents == 4 and r.answers == (4,) * 9 and r.errors == ()
    assert ikm_from_responses(ROWS, weight="0.111").ikm_rounded == 88.11


def test_example_3_answers_outside_1_to_4_are_errors_not_averaged():
    r = ikm_from_responses(ROWS + [[5, 4, 4, 4, 4, 4, 4, 4, 0]])
    assert [(e.row, e.element, e.value) for e in r.errors] == [(4, "U1", 5), (4, "U9", 0)]
    assert r.answers == (4, 5, 5, 5, 5, 5, 5, 5, 4)
    assert r.means == (3.5, 3.8, 3.4, 4.0, 3.6, 3.6, 4.0, 3.2, 3.25)
    assert r.ikm_rounded == 89.86 and r.grade.letter == "A" and not r.ok


def test_blank_answers_are_skipped_and_bad_rows_reported():
    r = ikm_from_responses([[4, None, 4, 4, 4, 4, 4, 4, 4], [3, 3, "", 3, 3, 3, 3, 3, 3], [1, 2], ["x"] * 9,
                            {"U1": 2, "U2": 2, "U3": 2, "U4": 2, "U5": 2, "U6": 2, "U7": 2, "U8": 2, "U9": "2"}])
    assert r.answers == (3, 2, 2, 3, 3, 3, 3, 3, 3)
    assert r.means[1] == 2.5 and r.means[0] == 3.0
    assert {e.row for e in r.errors} == {2, 3}
    assert any(e.element is None for e in r.errors)  # the short row is skipped whole


def test_an_element_with_no_valid_answer_gives_no_index():
    r = ikm_from_responses([[4, 4, 4, 4, 4, 4, 4, 4, 9]])
    assert r.ikm is None and r.grade is None and r.means[8] is None
    assert any(e.element == "U9" and e.row == -1 for e in r.errors)


def test_extremes_and_weights():
    assert ikm_from_means([4] * 9).ikm_rounded == 100.0
    assert ikm_from_means([4] * 9, weight="0.111").ikm_rounded == 99.9
    assert ikm_from_means([1] * 9).ikm_rounded == 25.0 and ikm_from_means([1] * 9).grade.letter == "D"
    with pytest.raises(ValueError):
        ikm_from_means(MEANS, weight="0.1")
    with pytest.raises(ValueError):
        ikm_from_means([4.5] + MEANS[1:])
    with pytest.raises(ValueError):
        ikm_from_means(MEANS[:8])


def test_means_by_element_code():
    keyed = {f"U{i + 1}": m for i, m in enumerate(MEANS)}
    assert ikm_from_means(keyed).ikm_rounded == 81.39


@pytest.mark.parametrize("value,letter,label", [
    (100, "A", "Sangat Baik"), (88.31, "A", "Sangat Baik"), (88.305, "A", "Sangat Baik"),
    (88.30, "B", "Baik"), (76.61, "B", "Baik"),
    (76.60, "C", "Kurang Baik"), (65.00, "C", "Kurang Baik"),
    (64.99, "D", "Tidak Baik"), (25, "D", "Tidak Baik"),
])
def test_grade_bounds(value, letter, label):
    g = grade(value)
    assert (g.letter, g.label_id) == (letter, label)


def test_grade_rejects_out_of_range():
    for bad in (24.99, 100.01, float("nan"), "88"):
        with pytest.raises(ValueError):
            grade(bad)  # type: ignore[arg-type]


def test_grade_table_is_contiguous_on_two_decimals():
    for upper, lower in zip(GRADES[1:], GRADES[:-1]):
        assert round2(upper.upper + 0.01) == lower.lower


def test_krejcie_morgan_table_rows():
    table = {10: 10, 50: 44, 100: 80, 280: 162, 500: 217, 1000: 278, 5000: 357, 10000: 370, 1_000_000: 384}
    assert {n: sample_size(n) for n in table} == table


def test_result_to_dict_is_json_ready():
    d = ikm_from_means(MEANS).to_dict()
    assert d["ikm"] == 81.39 and d["mutu"] == "B" and d["kinerja"] == "Baik" and len(d["unsur"]) == 9
    assert isinstance(ikm_from_means(MEANS), IkmResult)


def test_rule_uses_the_same_index():
    rs = load_ruleset()
    survey = dict(zip(("u1_persyaratan", "u2_prosedur", "u3_waktu", "u4_biaya", "u5_produk", "u6_kompetensi",
                       "u7_perilaku", "u8_pengaduan", "u9_sarana"), MEANS, strict=True))
    report = evaluate(rs, {"survei_kepuasan": [{"id": "S", **survey}]}, as_of=dt.date(2025, 1, 31))
    [f] = [f for f in report.findings if f.rule_id == "UU25-15e-ikm"]
    assert f.state.value == "pass"


# --- exact arithmetic at the grade bounds --------------------------------------------------------


@pytest.mark.parametrize(("means", "ikm", "letter"), [
    ([3.5] * 8 + [3.7898], 88.31, "A"),   # exactly 88.305: half-up to 88.31 (floats gave 88.30, B)
    ([3.0] * 8 + [3.5778], 76.61, "B"),   # exactly 76.605: half-up to 76.61 (floats gave 76.60, C)
    ([2.6] * 9, 65.0, "C"),               # exactly 65: floats summed to 64.99999999999999
    ([2.5996] * 9, 64.99, "D"),
])
def test_an_index_exactly_on_a_half_hundredth_rounds_up(means, ikm, letter):
    r = ikm_from_means(means)
    assert r.ikm_rounded == ikm and r.grade.letter == letter
    assert str(r.ikm_decimal) == f"{ikm:.2f}"


def test_the_exact_index_is_a_fraction_and_never_a_float_sum():
    from fractions import Fraction

    r = ikm_from_means([3.5] * 8 + [3.7898])
    assert r.exact == Fraction(88305, 1000)
    rows = [[4, 4, 4, 4, 4, 4, 4, 4, 3], [4, 4, 4, 4, 4, 4, 4, 4, 4], [4, 4, 4, 4, 4, 4, 4, 4, 4]]
    # U1-U8 mean 4, U9 mean 11/3: (8 * 4 + 11/3) / 9 * 25 = 2675/27, kept as a ratio
    assert ikm_from_responses(rows).exact == (8 * 4 + Fraction(11, 3)) / 9 * 25 == Fraction(2675, 27)


def test_one_rounding_rule_half_up_on_the_written_decimal():
    from decimal import Decimal

    from layanan_rules.skm import round_half_up

    assert [round2(x) for x in (88.305, 76.605, 50.995, 80.995, 64.995, 0.005)] == [88.31, 76.61, 51.0, 81.0, 65.0, 0.01]
    assert round_half_up(Decimal("2.675")) == Decimal("2.68")  # Python's round(2.675, 2) gives 2.67
    assert round2(-1.005) == -1.01  # half away from zero
