"""Survei Kepuasan Masyarakat (SKM) and its index (IKM), per PermenPAN-RB 14/2017.

A small, dependency-free API for embedding systems (a complaint portal, a dashboard) and for the
rules (the ``ikm_survei`` expression function)::

    from layanan_rules.skm import ikm_from_means, ikm_from_responses, grade

    r = ikm_from_means([3.2, 3.1, 2.9, 3.8, 3.3, 3.4, 3.5, 3.0, 3.1])
    r.ikm_rounded, r.grade.letter, r.grade.label_id      # 81.39, "B", "Baik"

    r = ikm_from_responses([[4, 4, 3, 4, 3, 4, 4, 3, 3], [3, 3, 3, 4, 3, 3, 4, 3, 3]])
    r.means, r.errors                                      # per-element means; bad answers listed

The method (legal reference section 4.3, CONFIRMED-SECONDARY: the Lampiran of the Permen was not
read; agency reproductions agree): nine elements (unsur) U1-U9, each answered 1-4; the mean per
element (NRR) counts only the answers given for that element; each mean is weighted by
``1/9`` ("jumlah bobot seluruh unsur tetap 1"); the weighted sum (1-4) times 25 is the IKM
(25-100), graded A/B/C/D. See ``docs/skm.md`` for the worked examples the tests check.

Weight convention (``weight=``):

* ``"1/9"`` (default): the exact weight, as the formula is written (weights sum to 1); a
  perfect survey scores 100.00.
* ``"0.111"``: the weight rounded to three decimals, as the circulated SKM spreadsheets and
  applications multiply it (e.g. the e-smile SKM application, reference source S15); a perfect
  survey scores 99.90 there. Use it to reproduce a report computed that way; the difference
  from ``"1/9"`` is at most 0.1 point.

Arithmetic is exact (``fractions.Fraction``): a mean given as a float is taken at its shortest
decimal form (``3.2`` is 3.2, not the binary 3.2000000000000002), means of answers are exact
ratios, and ``1/9`` is one ninth, so an IKM that is exactly 88.305 *is* 88.305 and rounds to 88.31.
**One rounding rule** serves the IKM and the compliance scores and zones of the reports
(:mod:`layanan_rules.scores`): :func:`round_half_up`, half-up to two decimals. The grade is read
from the rounded value with lower-inclusive bounds: A >= 88.31, B >= 76.61, C >= 65.00, else D
(reference 4.3; the published table has gaps between its bounds, so this is the convention that
closes them).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import attrs

#: (code, Indonesian name, English name) of the nine elements, in the Permen's order.
ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("U1", "Persyaratan", "Requirements"),
    ("U2", "Sistem, Mekanisme, dan Prosedur", "System, mechanism and procedure"),
    ("U3", "Waktu Penyelesaian", "Completion time"),
    ("U4", "Biaya/Tarif", "Fee/tariff"),
    ("U5", "Produk Spesifikasi Jenis Pelayanan", "Service product specification"),
    ("U6", "Kompetensi Pelaksana", "Staff competence"),
    ("U7", "Perilaku Pelaksana", "Staff behaviour"),
    ("U8", "Penanganan Pengaduan, Saran dan Masukan", "Handling of complaints, suggestions and input"),
    ("U9", "Sarana dan Prasarana", "Facilities and infrastructure"),
)

#: The matching fields of :class:`layanan_rules.model.SurveiKepuasan`.
SURVEI_FIELDS: tuple[str, ...] = (
    "u1_persyaratan", "u2_prosedur", "u3_waktu", "u4_biaya", "u5_produk",
    "u6_kompetensi", "u7_perilaku", "u8_pengaduan", "u9_sarana",
)

#: The two weight conventions, exact: the formula's one ninth, and the 0.111 of the circulated templates.
WEIGHTS: dict[str, Fraction] = {"1/9": Fraction(1, 9), "0.111": Fraction(111, 1000)}

CONVERSION = 25


@attrs.frozen
class Grade:
    """A quality grade (mutu pelayanan) and the unit's performance label (kinerja unit pelayanan)."""

    letter: str  # A, B, C, D
    label_id: str  # Sangat Baik, Baik, Kurang Baik, Tidak Baik
    label_en: str
    lower: float  # lowest converted value (25-100) of the grade, inclusive, two decimals
    upper: float  # highest converted value of the grade, inclusive, two decimals


#: Highest grade first. NIK bounds of the PermenPAN-RB 14/2017 table (reference 4.3).
GRADES: tuple[Grade, ...] = (
    Grade("A", "Sangat Baik", "Very good", 88.31, 100.00),
    Grade("B", "Baik", "Good", 76.61, 88.30),
    Grade("C", "Kurang Baik", "Poor", 65.00, 76.60),
    Grade("D", "Tidak Baik", "Bad", 25.00, 64.99),
)


@attrs.frozen
class AnswerError:
    """One answer that was not counted: which row (0-based), which element, the value, why."""

    row: int
    element: str | None  # U1..U9, or None when the whole row is unusable
    value: Any
    message: str


@attrs.frozen
class IkmResult:
    """The index of one survey.

    ``means`` are the per-element means (NRR, 1-4) in U1-U9 order; ``index`` is the weighted sum
    (1-4); ``ikm`` is ``index * 25`` unrounded and ``ikm_rounded`` the reported value (two
    decimals, half-up, from the exact value ``exact``). The floats are for display; ``exact`` and
    ``ikm_decimal`` are what the grade and the rules use. ``ikm``/``ikm_rounded``/``grade`` are
    ``None`` when some element has no valid answer at all (see ``errors``).
    """

    means: tuple[float | None, ...]
    weight: str
    index: float | None
    ikm: float | None
    ikm_rounded: float | None
    grade: Grade | None
    respondents: int = 0  # rows read (ikm_from_responses); 0 for ikm_from_means
    answers: tuple[int, ...] = ()  # valid answers counted per element
    errors: tuple[AnswerError, ...] = ()
    exact: Fraction | None = None  # the unrounded IKM, exactly
    ikm_decimal: Decimal | None = None  # the reported IKM as a two-decimal Decimal

    @property
    def ok(self) -> bool:
        """True when every answer was counted and an index could be computed."""
        return not self.errors and self.ikm is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unsur": [
                {"kode": code, "nama": name, "rata_rata": m, "jawaban": (self.answers[i] if self.answers else None)}
                for i, ((code, name, _en), m) in enumerate(zip(ELEMENTS, self.means, strict=True))
            ],
            "bobot": self.weight,
            "nilai_indeks": self.index,
            "ikm": self.ikm_rounded,
            "mutu": self.grade.letter if self.grade else None,
            "kinerja": self.grade.label_id if self.grade else None,
            "responden": self.respondents,
            "kesalahan": [attrs.asdict(e) for e in self.errors],
        }


def exact(value: Any) -> Fraction:
    """A number as an exact fraction; a float is read at its shortest decimal form (``repr``), the
    way it was written (``88.305`` is 88.305, not the binary 88.30499...)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError(f"angka diharapkan, bukan {value!r} / expected a number")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"angka tidak terhingga / not a finite number: {value!r}")
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return Fraction(value)
    raise TypeError(f"angka diharapkan, bukan {type(value).__name__} / expected a number")


_HUNDREDTH = Decimal("0.01")


def round_half_up(value: Any) -> Decimal:
    """THE rounding rule of the project, for the IKM and for compliance scores and zones: half-up
    (away from zero at exactly .5) to two decimals, from the exact value (:func:`exact`)."""
    f = exact(value)
    hundredths = math.floor(abs(f) * 100 + Fraction(1, 2))  # half-up on the magnitude
    return (Decimal(hundredths if f >= 0 else -hundredths) / 100).quantize(_HUNDREDTH)


def round2(value: Any) -> float:
    """:func:`round_half_up` as a float (88.305 -> 88.31, 50.995 -> 51.0)."""
    return float(round_half_up(value))


def grade(value: Any) -> Grade:
    """The grade of a converted value (25-100), read from its half-up two-decimal rounding;
    raises ValueError outside that range."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)) or (
        isinstance(value, float) and math.isnan(value)
    ):
        raise ValueError(f"nilai IKM harus angka / the IKM must be a number, got {value!r}")
    v = round_half_up(value)
    if v < 25 or v > 100:
        raise ValueError(f"nilai IKM {value} di luar 25-100 / IKM {value} outside 25-100")
    for g in GRADES:
        if v >= Decimal(repr(g.lower)):
            return g
    return GRADES[-1]  # pragma: no cover - v >= 25 always meets D


def _weight(weight: str) -> Fraction:
    try:
        return WEIGHTS[weight]
    except KeyError:
        raise ValueError(f"bobot tidak dikenal / unknown weight {weight!r} (one of: {', '.join(WEIGHTS)})") from None


def _ordered(values: Sequence[Any] | Mapping[str, Any]) -> list[Any]:
    if isinstance(values, Mapping):
        out = []
        for (code, _n, _e), field in zip(ELEMENTS, SURVEI_FIELDS, strict=True):
            key = next((k for k in (code, code.lower(), field) if k in values), None)
            out.append(values[key] if key is not None else None)
        return out
    out = list(values)
    if len(out) != len(ELEMENTS):
        raise ValueError(f"harus 9 unsur, bukan {len(out)} / expected 9 elements, got {len(out)}")
    return out


def _result(means: Sequence[Fraction | None], weight: str, **extra: Any) -> IkmResult:
    w = _weight(weight)
    shown = tuple(float(m) if m is not None else None for m in means)
    known = [m for m in means if m is not None]
    if len(known) != len(means):
        return IkmResult(shown, weight, None, None, None, None, **extra)
    index = sum((m * w for m in known), Fraction(0))
    ikm = index * CONVERSION
    rounded = round_half_up(ikm)
    clamped = min(max(rounded, Decimal(25)), Decimal(100))
    return IkmResult(shown, weight, float(index), float(ikm), float(rounded), grade(clamped), **extra,
                     exact=ikm, ikm_decimal=rounded)


def ikm_from_means(means: Sequence[float] | Mapping[str, float], *, weight: str = "1/9") -> IkmResult:
    """The IKM from the nine per-element means (each 1-4), in U1-U9 order or keyed U1..U9.

    Raises ValueError for a missing element or a mean outside 1-4 (a mean is computed data,
    so a bad one is the caller's error, unlike a bad single answer).
    """
    values = _ordered(means)
    out: list[Fraction | None] = []
    for (code, _n, _e), m in zip(ELEMENTS, values, strict=True):
        if m is None or isinstance(m, bool) or not isinstance(m, (int, float, Decimal, Fraction)) or (
            isinstance(m, float) and not math.isfinite(m)
        ):
            raise ValueError(f"{code}: nilai rata-rata tidak ada / mean missing or not a number: {m!r}")
        if not 1 <= m <= 4:
            raise ValueError(f"{code}: nilai rata-rata {m} di luar 1-4 / mean {m} outside 1-4")
        out.append(exact(m))
    return _result(out, weight)


def ikm_from_responses(rows: Iterable[Sequence[Any] | Mapping[str, Any]], *, weight: str = "1/9") -> IkmResult:
    """The IKM from per-respondent answers: each row nine answers 1-4 (U1-U9, or keyed U1..U9).

    A blank answer (``None`` or ``""``) is simply not counted for that element, as the formula
    divides by the answers filled in. An answer that is not a whole number 1-4 is listed in
    ``errors`` and not counted; a row that is not nine answers is listed and skipped whole.
    """
    _weight(weight)
    sums = [0] * len(ELEMENTS)
    counts = [0] * len(ELEMENTS)
    errors: list[AnswerError] = []
    n = 0
    for r, row in enumerate(rows):
        n += 1
        try:
            values = _ordered(row)
        except (TypeError, ValueError) as exc:
            errors.append(AnswerError(r, None, row, str(exc)))
            continue
        for i, ((code, _n, _e), v) in enumerate(zip(ELEMENTS, values, strict=True)):
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            num: Any = v
            if isinstance(v, str):
                try:
                    num = float(v.strip().replace(",", "."))
                except ValueError:
                    num = None
            if isinstance(num, bool) or not isinstance(num, (int, float)) or math.isnan(num) or num not in (1, 2, 3, 4):
                errors.append(AnswerError(r, code, v, f"{code}: jawaban harus 1, 2, 3 atau 4 / answer must be 1-4, got {v!r}"))
                continue
            sums[i] += int(num)
            counts[i] += 1
    means: list[Fraction | None] = [Fraction(s, c) if c else None for s, c in zip(sums, counts, strict=True)]
    for (code, _n, _e), c in zip(ELEMENTS, counts, strict=True):
        if c == 0:
            errors.append(AnswerError(-1, code, None, f"{code}: tidak ada jawaban sah / no valid answer"))
    return _result(means, weight, respondents=n, answers=tuple(counts), errors=tuple(errors))


#: fields that identify a survey (a row per survey) rather than a respondent (a row per person).
#: ``jumlah_responden`` is not one of them: a per-respondent sheet's "Responden" column (which the
#: field map reads as the number of respondents) holds the respondent's number or name.
SURVEY_IDENTITY: tuple[str, ...] = ("tahun", "dilaksanakan_pada", "dipublikasikan_pada", "ikm", "unit_id")


def _whole_answer(value: Any) -> bool | None:
    """True for an answer 1-4 (number or text), None for a blank, False otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return False
    return not isinstance(value, bool) and isinstance(value, (int, float)) and value in (1, 2, 3, 4)


def looks_like_response_row(row: Mapping[str, Any]) -> bool:
    """Could this "survey" row be one respondent's answers? It names nothing that identifies a
    survey (:data:`SURVEY_IDENTITY`) and answers at least five of U1-U9 (keyed by
    :data:`SURVEI_FIELDS`), every answer a whole number 1-4."""
    if any(row.get(f) not in (None, "") for f in SURVEY_IDENTITY):
        return False
    answered = 0
    for field in SURVEI_FIELDS:
        ok = _whole_answer(row.get(field))
        if ok is False:
            return False
        answered += ok is True
    return answered >= 5


def looks_like_responses(rows: Sequence[Mapping[str, Any]]) -> bool:
    """Is a table of "surveys" really one survey's answers, a row per respondent?

    True when there are at least two rows and every one :func:`looks_like_response_row` - element
    *means* of real surveys are almost never all whole numbers, and a real survey row names its
    year, date, unit or IKM. Spreadsheet readers use it to say so instead of reading 49
    respondents as 49 surveys; ``layanan-rules skm FILE`` computes that survey's IKM.
    """
    return len(rows) >= 2 and all(looks_like_response_row(r) for r in rows)


def sample_size(population: int) -> int:
    """Minimum respondents for a population of service users (Krejcie & Morgan 1970).

    ``s = X2 N P(1-P) / (d2 (N-1) + X2 P(1-P))`` with X2 = 3.841, P = 0.5, d = 0.05, rounded to
    the nearest integer; reproduces the published table (reference 4.3, which notes that the
    Permen's own table and the definition of N are UNCONFIRMED).
    """
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise ValueError(f"populasi harus bilangan bulat >= 1 / population must be an integer >= 1, got {population!r}")
    x2, p, d = 3.841, 0.5, 0.05
    s = x2 * population * p * (1 - p) / (d * d * (population - 1) + x2 * p * (1 - p))
    return int(Decimal(repr(s)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
