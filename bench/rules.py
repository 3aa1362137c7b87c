"""The benchmark's checks: the SAME record-level checks written once per engine.

Every check has the project's meaning (``rulesets/uu-25-2009``): a service check applies to
active services (``aktif != false``) and needs the whole standard present; a deadline counts
calendar days between local dates in WIB (Asia/Jakarta, UTC+7), like the project's ``hari()``;
``as_of`` is a date. A check ends in one of four states per record: ``pass``, ``fail``,
``not_applicable`` (its ``when`` is false) or ``error`` (it could not be decided).

Per engine:

* ``floor`` -- hand-written Python functions on the raw record dict (they parse what they
  read themselves, e.g. :meth:`datetime.datetime.fromisoformat`). This is the floor.
* ``layanan-rules`` -- CEL on the typed model, exactly as in ``bench/ruleset/*.yaml`` (written
  from :data:`CHECKS` by ``python bench/rules.py --write-ruleset``).
* ``cel`` (common-expression-language, Rust) and ``cel-python`` -- standard CEL on the raw
  JSON record: timestamps are strings, so they are read with ``timestamp()``; a local day
  number is ``(timestamp(x) - epoch).getHours() / 24`` with ``epoch`` = 1970-01-01T00:00+07:00.
* ``zen-engine`` (GoRules ZEN expressions), ``json-logic`` (panzi-json-logic with its
  ``EXTRAS`` operations) and ``rule-engine`` -- each in its own language, on the raw record.

A peer that cannot express a check has ``None`` for it, with the reason in :data:`CANNOT`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

WIB = dt.timezone(dt.timedelta(hours=7))
EPOCH_WIB = dt.datetime(1970, 1, 1, tzinfo=WIB)
DAY_MS = 86_400_000
WIB_MS = 7 * 3_600_000

#: deadlines (calendar days), the ruleset's parameters
PARAMS = {
    "batas_pengajuan_pengaduan": 30,  # Pasal 42 ayat (2)
    "batas_tanggapan_pengaduan": 14,  # Pasal 44 ayat (3)
    "batas_putusan_pengaduan": 60,  # Pasal 50 ayat (1)
    "batas_penyampaian_putusan": 14,  # Pasal 50 ayat (2)
}
NAME_RE = r"^[A-Z][A-Za-z0-9 ,.()/-]{4,}$"

State = str
PASS, FAIL, NA, ERROR = "pass", "fail", "not_applicable", "error"
STATES = (PASS, FAIL, NA, ERROR)


@dataclass(frozen=True)
class Check:
    id: str
    entity: str  # "layanan" | "pengaduan"
    title_id: str
    title_en: str
    basis: dict[str, Any]  # a Citation as in the rule format
    #: hand-written: raw record, as_of date -> True (pass) / False (fail) / None (not applicable)
    floor: Callable[[dict[str, Any], dt.date], bool | None]
    #: layanan-rules: CEL on the model, as in the rule file
    when: str | None
    require: str
    #: standard CEL on the raw JSON record (cel, cel-python)
    cel: tuple[str | None, str]
    #: ZEN expression language (zen-engine); null-tolerant
    zen: tuple[str | None, str] | None
    #: JsonLogic (panzi-json-logic + EXTRAS)
    jsonlogic: tuple[Any, Any] | None
    #: rule-engine (zeroSteiner)
    rule_engine: tuple[str | None, str] | None
    severity: str = "medium"
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


# ------------------------------------------------------------------------ hand-written floor


def _wib_date(s: str) -> dt.date:
    t = dt.datetime.fromisoformat(s)
    return t.astimezone(WIB).date() if t.tzinfo else t.date()


def _days(a: str, b: str) -> int:
    return (_wib_date(b) - _wib_date(a)).days


def _filled(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _std_list(key: str) -> Callable[[dict[str, Any], dt.date], bool | None]:
    def f(r: dict[str, Any], as_of: dt.date) -> bool | None:
        if r.get("aktif") is False:
            return None
        std = r.get("standar")
        return std is not None and len(std.get(key) or ()) > 0

    f.__name__ = f"floor_{key}"
    return f


def _std_text(key: str) -> Callable[[dict[str, Any], dt.date], bool | None]:
    def f(r: dict[str, Any], as_of: dt.date) -> bool | None:
        if r.get("aktif") is False:
            return None
        std = r.get("standar")
        return std is not None and _filled(std.get(key))

    f.__name__ = f"floor_{key}"
    return f


def floor_standar(r: dict[str, Any], as_of: dt.date) -> bool | None:
    if r.get("aktif") is False:
        return None
    return r.get("standar") is not None


def floor_jangka_waktu(r: dict[str, Any], as_of: dt.date) -> bool | None:
    if r.get("aktif") is False:
        return None
    std = r.get("standar")
    if std is None:
        return False
    jw = std.get("jangka_waktu")
    return jw is not None and jw.get("jumlah") is not None and jw.get("satuan") is not None and jw["jumlah"] > 0


def floor_biaya(r: dict[str, Any], as_of: dt.date) -> bool | None:
    if r.get("aktif") is False:
        return None
    std = r.get("standar")
    if std is None:
        return False
    b = std.get("biaya")
    if b is None:
        return False
    if b.get("gratis") is True:
        return True
    return b.get("jumlah") is not None and b["jumlah"] >= 0 and _filled(b.get("dasar_hukum"))


def floor_jumlah_pelaksana(r: dict[str, Any], as_of: dt.date) -> bool | None:
    if r.get("aktif") is False:
        return None
    std = r.get("standar")
    return std is not None and std.get("jumlah_pelaksana") is not None and std["jumlah_pelaksana"] > 0


_NAME = re.compile(NAME_RE)


def floor_nama(r: dict[str, Any], as_of: dt.date) -> bool | None:
    nama = r.get("nama")
    if nama is None:
        return None
    return _NAME.search(nama) is not None


def floor_pengajuan(r: dict[str, Any], as_of: dt.date) -> bool | None:
    a, b = r.get("pelayanan_diterima_pada"), r.get("diajukan_pada")
    if a is None or b is None:
        return None
    return _days(a, b) <= 30


def floor_tanda_terima(r: dict[str, Any], as_of: dt.date) -> bool | None:
    if r.get("diterima_pada") is None:
        return None
    return r.get("tanda_terima_pada") is not None


def floor_tanggapan(r: dict[str, Any], as_of: dt.date) -> bool | None:
    diterima = r.get("diterima_pada")
    if diterima is None:
        return None
    ditanggapi = r.get("ditanggapi_pada")
    if ditanggapi is not None:
        return _days(diterima, ditanggapi) <= 14
    return (as_of - _wib_date(diterima)).days <= 14


def floor_kelengkapan(r: dict[str, Any], as_of: dt.date) -> bool | None:
    if r.get("ditanggapi_pada") is None:
        return None
    return r.get("materi_lengkap") is not None


def floor_putusan(r: dict[str, Any], as_of: dt.date) -> bool | None:
    diputuskan = r.get("diputuskan_pada")
    lengkap = r.get("dilengkapi_pada") or r.get("ditanggapi_pada")
    if diputuskan is None or lengkap is None:
        return None
    return _days(lengkap, diputuskan) <= 60


def floor_penyampaian(r: dict[str, Any], as_of: dt.date) -> bool | None:
    diputuskan = r.get("diputuskan_pada")
    if diputuskan is None:
        return None
    disampaikan = r.get("putusan_disampaikan_pada")
    if disampaikan is not None:
        return _days(diputuskan, disampaikan) <= 14
    return (as_of - _wib_date(diputuskan)).days <= 14


def floor_biaya_pengaduan(r: dict[str, Any], as_of: dt.date) -> bool | None:
    fee = r.get("biaya_dipungut")
    return fee is None or fee == 0


# ------------------------------------------------------------------------ expression helpers

S = "layanan.standar"
P = "pengaduan"
ACTIVE = "layanan.aktif != false"


def _cel_day(x: str) -> str:
    return f"((timestamp({x}) - epoch).getHours() / 24)"


def _cel_days(a: str, b: str) -> str:
    return f"({_cel_day(b)} - {_cel_day(a)})"


def _zen_day(x: str) -> str:
    return f"floor((d({x}).timestamp() + {WIB_MS}) / {DAY_MS})"


def _zen_days(a: str, b: str) -> str:
    return f"({_zen_day(b)} - {_zen_day(a)})"


def _re_day(x: str) -> str:
    return f"(($parse_datetime({x}).to_epoch + 25200) // 86400)"


def _re_days(a: str, b: str) -> str:
    return f"({_re_day(b)} - {_re_day(a)})"


def _v(path: str) -> dict[str, Any]:
    return {"var": path}


def _jl_has(path: str) -> dict[str, Any]:
    return {"!==": [_v(path), None]}


def _jl_day(path: str) -> dict[str, Any]:
    ms = {"+": [{"parseTime": _v(path)}, WIB_MS]}
    return {"/": [{"-": [ms, {"%": [ms, DAY_MS]}]}, DAY_MS]}


def _jl_days(a: str, b: str) -> dict[str, Any]:
    return {"-": [_jl_day(b), _jl_day(a)]}


def _jl_and(*xs: Any) -> dict[str, Any]:
    return {"and": list(xs)}


_JL_ACTIVE = {"!==": [_v("layanan.aktif"), False]}
_JL_STD = _jl_has(S)
_RE_ACTIVE = "not ('aktif' in layanan and layanan['aktif'] == false)"
_RE_STD = "'standar' in layanan"
_RS = "layanan['standar']"
_RJW = _RS + "['jangka_waktu']"
_RB = _RS + "['biaya']"
_RE_LENGKAP = "(('dilengkapi_pada' in pengaduan) ? pengaduan['dilengkapi_pada'] : pengaduan['ditanggapi_pada'])"


def _rp(key: str) -> str:
    return f"{P}['{key}']"


def _re_has(container: str, key: str) -> str:
    return f"'{key}' in {container}"


# ------------------------------------------------------------------------ the checks


def _list_check(cid: str, key: str, letter: str, what_id: str, what_en: str) -> Check:
    return Check(
        cid, "layanan", f"Standar pelayanan memuat {what_id}", f"Service standard states its {what_en}",
        {"act": "UU 25/2009", "article": "21", "letter": letter}, _std_list(key),
        ACTIVE, f"has({S}) && size({S}.{key}) > 0",
        ("!has(layanan.aktif) || layanan.aktif != false", f"has({S}) && has({S}.{key}) && size({S}.{key}) > 0"),
        (ACTIVE, f"{S} != null and len({S}.{key} ?? []) > 0"),
        (_JL_ACTIVE, {"!!": [_v(f"{S}.{key}")]}),
        (_RE_ACTIVE, f"{_RE_STD} and {_re_has(_RS, key)} and {_RS}['{key}'].length > 0"),
        examples={"pass": [{"standar": {key: ["x"]}}], "fail": [{"standar": {key: []}}, {"nama": "Tanpa standar"}]},
    )


def _text_check(cid: str, key: str, letter: str, what_id: str, what_en: str) -> Check:
    return Check(
        cid, "layanan", f"Standar pelayanan memuat {what_id}", f"Service standard states its {what_en}",
        {"act": "UU 25/2009", "article": "21", "letter": letter}, _std_text(key),
        ACTIVE, f"has({S}) && terisi({S}.{key})",
        ("!has(layanan.aktif) || layanan.aktif != false", f'has({S}) && has({S}.{key}) && {S}.{key}.matches("\\\\S")'),
        (ACTIVE, f'{S} != null and len(trim({S}.{key} ?? "")) > 0'),
        None,  # JsonLogic has no trim or regex: a blank "  " cannot be told from text
        (_RE_ACTIVE, f"{_RE_STD} and {_re_has(_RS, key)} and {_RS}['{key}'] =~~ '\\S'"),
        examples={"pass": [{"standar": {key: "Ada"}}], "fail": [{"standar": {key: "  "}}, {"nama": "Tanpa standar"}]},
    )


_ON_ACTIVE_RAW = "!has(layanan.aktif) || layanan.aktif != false"

CHECKS: tuple[Check, ...] = (
    Check(
        "B-21", "layanan", "Layanan aktif memiliki standar pelayanan", "An active service has a service standard",
        {"act": "UU 25/2009", "article": "20", "paragraph": "1"}, floor_standar,
        ACTIVE, f"has({S})",
        (_ON_ACTIVE_RAW, f"has({S})"),
        (ACTIVE, f"{S} != null"),
        (_JL_ACTIVE, _JL_STD),
        (_RE_ACTIVE, _RE_STD),
        examples={"pass": [{"standar": {"produk": ["KK"]}}], "fail": [{"nama": "Tanpa standar"}]},
    ),
    _list_check("B-21a", "dasar_hukum", "a", "dasar hukum", "legal basis"),
    _list_check("B-21b", "persyaratan", "b", "persyaratan", "requirements"),
    _list_check("B-21c", "prosedur", "c", "sistem, mekanisme, dan prosedur", "procedure"),
    Check(
        "B-21d", "layanan", "Standar pelayanan memuat jangka waktu penyelesaian", "Service standard states its completion time",
        {"act": "UU 25/2009", "article": "21", "letter": "d"}, floor_jangka_waktu,
        ACTIVE,
        f"has({S}) && has({S}.jangka_waktu) && has({S}.jangka_waktu.jumlah) && has({S}.jangka_waktu.satuan)"
        f" && {S}.jangka_waktu.jumlah > 0.0",
        (_ON_ACTIVE_RAW,
         (f"has({S}) && has({S}.jangka_waktu) && has({S}.jangka_waktu.jumlah) && has({S}.jangka_waktu.satuan)"
         f" && {S}.jangka_waktu.jumlah > 0")),
        (ACTIVE, (f"{S} != null and {S}.jangka_waktu != null and ({S}.jangka_waktu.jumlah ?? 0) > 0"
                 f" and {S}.jangka_waktu.satuan != null")),
        (_JL_ACTIVE, _jl_and(_JL_STD, _jl_has(f"{S}.jangka_waktu"), _jl_has(f"{S}.jangka_waktu.jumlah"),
                             _jl_has(f"{S}.jangka_waktu.satuan"), {">": [_v(f"{S}.jangka_waktu.jumlah"), 0]})),
        (_RE_ACTIVE, (f"{_RE_STD} and {_re_has(_RS, 'jangka_waktu')} and {_re_has(_RJW, 'jumlah')}"
                     f" and {_re_has(_RJW, 'satuan')}"
                     f" and {_RS}['jangka_waktu']['jumlah'] > 0")),
        examples={"pass": [{"standar": {"jangka_waktu": {"jumlah": 3, "satuan": "hari"}}}],
                  "fail": [{"standar": {"jangka_waktu": {"teks": "segera"}}}]},
    ),
    Check(
        "B-21e", "layanan", "Standar pelayanan memuat biaya/tarif", "Service standard states its fee or tariff",
        {"act": "UU 25/2009", "article": "21", "letter": "e"}, floor_biaya,
        ACTIVE,
        f"has({S}) && has({S}.biaya) && ({S}.biaya.gratis == true || (has({S}.biaya.jumlah)"
        f" && {S}.biaya.jumlah >= 0 && terisi({S}.biaya.dasar_hukum)))",
        (_ON_ACTIVE_RAW,
         (f"has({S}) && has({S}.biaya) && ((has({S}.biaya.gratis) && {S}.biaya.gratis == true) || (has({S}.biaya.jumlah)"
         f' && {S}.biaya.jumlah >= 0 && has({S}.biaya.dasar_hukum) && {S}.biaya.dasar_hukum.matches("\\\\S")))')),
        (ACTIVE, (f"{S} != null and {S}.biaya != null and ({S}.biaya.gratis == true or ({S}.biaya.jumlah != null"
                 f' and {S}.biaya.jumlah >= 0 and len(trim({S}.biaya.dasar_hukum ?? "")) > 0))')),
        None,  # needs a non-blank test on biaya.dasar_hukum (no trim/regex in JsonLogic)
        (_RE_ACTIVE, (f"{_RE_STD} and {_re_has(_RS, 'biaya')} and ({_RS}['biaya']&['gratis'] == true or"
                     f" ({_re_has(_RB, 'jumlah')} and {_RS}['biaya']['jumlah'] >= 0"
                     f" and {_re_has(_RB, 'dasar_hukum')}"
                     f" and {_RS}['biaya']['dasar_hukum'] =~~ '\\S'))")),
        examples={"pass": [{"standar": {"biaya": {"gratis": True}}}],
                  "fail": [{"standar": {"biaya": {"gratis": False, "jumlah": 50000}}}]},
    ),
    _list_check("B-21f", "produk", "f", "produk pelayanan", "service product"),
    _list_check("B-21g", "sarana", "g", "sarana, prasarana, dan/atau fasilitas", "facilities"),
    _text_check("B-21h", "kompetensi_pelaksana", "h", "kompetensi pelaksana", "staff competence"),
    _text_check("B-21i", "pengawasan_internal", "i", "pengawasan internal", "internal supervision"),
    _text_check("B-21j", "penanganan_pengaduan", "j", "penanganan pengaduan, saran, dan masukan", "complaint handling"),
    Check(
        "B-21k", "layanan", "Standar pelayanan memuat jumlah pelaksana", "Service standard states its number of staff",
        {"act": "UU 25/2009", "article": "21", "letter": "k"}, floor_jumlah_pelaksana,
        ACTIVE, f"has({S}) && has({S}.jumlah_pelaksana) && {S}.jumlah_pelaksana > 0",
        (_ON_ACTIVE_RAW, f"has({S}) && has({S}.jumlah_pelaksana) && {S}.jumlah_pelaksana > 0"),
        (ACTIVE, f"{S} != null and ({S}.jumlah_pelaksana ?? 0) > 0"),
        (_JL_ACTIVE, _jl_and(_JL_STD, {">": [_v(f"{S}.jumlah_pelaksana"), 0]})),
        (_RE_ACTIVE, f"{_RE_STD} and {_re_has(_RS, 'jumlah_pelaksana')} and {_RS}['jumlah_pelaksana'] > 0"),
        examples={"pass": [{"standar": {"jumlah_pelaksana": 3}}], "fail": [{"standar": {"jumlah_pelaksana": 0}}]},
    ),
    _text_check("B-21l", "jaminan_pelayanan", "l", "jaminan pelayanan", "service guarantee"),
    _text_check("B-21m", "jaminan_keamanan", "m", "jaminan keamanan dan keselamatan", "security guarantee"),
    _text_check("B-21n", "evaluasi_kinerja", "n", "evaluasi kinerja pelaksana", "staff performance evaluation"),
    Check(
        "B-nama", "layanan", "Nama layanan ditulis dengan benar", "The service name is well formed",
        {"act": "UU 25/2009", "article": "15", "letter": "a"}, floor_nama,
        "has(layanan.nama)", f'layanan.nama.matches("{NAME_RE}")',
        ("has(layanan.nama)", f'layanan.nama.matches("{NAME_RE}")'),
        ("layanan.nama != null", f'matches(layanan.nama, "{NAME_RE}")'),
        None,  # JsonLogic has no regular expressions
        ("'nama' in layanan", f"layanan['nama'] =~~ '{NAME_RE}'"),
        severity="info",
        examples={"pass": [{"nama": "Penerbitan Kartu Keluarga"}], "fail": [{"nama": "kk"}]},
    ),
    # --- pengaduan ---------------------------------------------------------------------------------
    Check(
        "B-42-2", "pengaduan", "Pengaduan diajukan paling lambat 30 hari sejak pelayanan diterima",
        "Complaint filed within 30 days of receiving the service",
        {"act": "UU 25/2009", "article": "42", "paragraph": "2"}, floor_pengajuan,
        f"has({P}.pelayanan_diterima_pada) && has({P}.diajukan_pada)",
        f"hari({P}.pelayanan_diterima_pada, {P}.diajukan_pada) <= param.batas_pengajuan_pengaduan",
        (f"has({P}.pelayanan_diterima_pada) && has({P}.diajukan_pada)",
         f"{_cel_days(P + '.pelayanan_diterima_pada', P + '.diajukan_pada')} <= 30"),
        (f"{P}.pelayanan_diterima_pada != null and {P}.diajukan_pada != null",
         f"{_zen_days(P + '.pelayanan_diterima_pada', P + '.diajukan_pada')} <= 30"),
        (_jl_and(_jl_has(f"{P}.pelayanan_diterima_pada"), _jl_has(f"{P}.diajukan_pada")),
         {"<=": [_jl_days(f"{P}.pelayanan_diterima_pada", f"{P}.diajukan_pada"), 30]}),
        (f"'pelayanan_diterima_pada' in {P} and 'diajukan_pada' in {P}",
         f"{_re_days(_rp('pelayanan_diterima_pada'), _rp('diajukan_pada'))} <= 30"),
        severity="low",
        examples={"pass": [{"pelayanan_diterima_pada": "2024-01-01T09:00:00+07:00", "diajukan_pada": "2024-01-31T09:00:00+07:00"}],
                  "fail": [{"pelayanan_diterima_pada": "2024-01-01T09:00:00+07:00", "diajukan_pada": "2024-02-01T09:00:00+07:00"}]},
    ),
    Check(
        "B-44-1", "pengaduan", "Pengaduan yang diterima diberi tanda terima", "A received complaint gets a receipt",
        {"act": "UU 25/2009", "article": "44", "paragraph": "1"}, floor_tanda_terima,
        f"has({P}.diterima_pada)", f"has({P}.tanda_terima_pada)",
        (f"has({P}.diterima_pada)", f"has({P}.tanda_terima_pada)"),
        (f"{P}.diterima_pada != null", f"{P}.tanda_terima_pada != null"),
        (_jl_has(f"{P}.diterima_pada"), _jl_has(f"{P}.tanda_terima_pada")),
        (f"'diterima_pada' in {P}", f"'tanda_terima_pada' in {P}"),
        examples={"pass": [{"diterima_pada": "2024-01-01T09:00:00+07:00", "tanda_terima_pada": "2024-01-01T09:05:00+07:00"}],
                  "fail": [{"diterima_pada": "2024-01-01T09:00:00+07:00"}]},
    ),
    Check(
        "B-44-3", "pengaduan", "Pengaduan ditanggapi paling lambat 14 hari", "Complaint answered within 14 days",
        {"act": "UU 25/2009", "article": "44", "paragraph": "3"}, floor_tanggapan,
        f"has({P}.diterima_pada)",
        f"has({P}.ditanggapi_pada) ? hari({P}.diterima_pada, {P}.ditanggapi_pada) <= param.batas_tanggapan_pengaduan"
        f" : hari({P}.diterima_pada, as_of) <= param.batas_tanggapan_pengaduan",
        (f"has({P}.diterima_pada)",
         (f"has({P}.ditanggapi_pada) ? {_cel_days(P + '.diterima_pada', P + '.ditanggapi_pada')} <= 14"
         f" : as_of_day - {_cel_day(P + '.diterima_pada')} <= 14")),
        (f"{P}.diterima_pada != null",
         (f"{P}.ditanggapi_pada != null ? {_zen_days(P + '.diterima_pada', P + '.ditanggapi_pada')} <= 14"
         f" : as_of_day - {_zen_day(P + '.diterima_pada')} <= 14")),
        (_jl_has(f"{P}.diterima_pada"),
         {"if": [_jl_has(f"{P}.ditanggapi_pada"),
                 {"<=": [_jl_days(f"{P}.diterima_pada", f"{P}.ditanggapi_pada"), 14]},
                 {"<=": [{"-": [_v("as_of_day"), _jl_day(f"{P}.diterima_pada")]}, 14]}]}),
        (f"'diterima_pada' in {P}",
         (f"('ditanggapi_pada' in {P}) ? ({_re_days(_rp('diterima_pada'), _rp('ditanggapi_pada'))} <= 14)"
         f" : (as_of_day - {_re_day(_rp('diterima_pada'))} <= 14)")),
        severity="high",
        examples={"pass": [{"diterima_pada": "2024-01-09T10:27:00+07:00", "ditanggapi_pada": "2024-01-23T23:00:00+07:00"}],
                  "fail": [{"diterima_pada": "2024-01-09T10:27:00+07:00", "ditanggapi_pada": "2024-01-24T08:00:00+07:00"}]},
    ),
    Check(
        "B-44-3b", "pengaduan", "Tanggapan menyatakan lengkap atau tidaknya materi aduan",
        "The response states whether the complaint file is complete",
        {"act": "UU 25/2009", "article": "44", "paragraph": "3"}, floor_kelengkapan,
        f"has({P}.ditanggapi_pada)", f"has({P}.materi_lengkap)",
        (f"has({P}.ditanggapi_pada)", f"has({P}.materi_lengkap)"),
        (f"{P}.ditanggapi_pada != null", f"{P}.materi_lengkap != null"),
        (_jl_has(f"{P}.ditanggapi_pada"), _jl_has(f"{P}.materi_lengkap")),
        (f"'ditanggapi_pada' in {P}", f"'materi_lengkap' in {P}"),
        examples={"pass": [{"ditanggapi_pada": "2024-01-09T10:27:00+07:00", "materi_lengkap": False}],
                  "fail": [{"ditanggapi_pada": "2024-01-09T10:27:00+07:00"}]},
    ),
    Check(
        "B-50-1", "pengaduan", "Pengaduan diputuskan paling lambat 60 hari sejak berkas lengkap",
        "Complaint decided within 60 days of a complete file",
        {"act": "UU 25/2009", "article": "50", "paragraph": "1"}, floor_putusan,
        f"has({P}.diputuskan_pada) && (has({P}.dilengkapi_pada) || has({P}.ditanggapi_pada))",
        f"hari(has({P}.dilengkapi_pada) ? {P}.dilengkapi_pada : {P}.ditanggapi_pada, {P}.diputuskan_pada)"
        f" <= param.batas_putusan_pengaduan",
        (f"has({P}.diputuskan_pada) && (has({P}.dilengkapi_pada) || has({P}.ditanggapi_pada))",
         f"{_cel_days(f'(has({P}.dilengkapi_pada) ? {P}.dilengkapi_pada : {P}.ditanggapi_pada)', P + '.diputuskan_pada')} <= 60"),
        (f"{P}.diputuskan_pada != null and ({P}.dilengkapi_pada != null or {P}.ditanggapi_pada != null)",
         f"{_zen_days(f'({P}.dilengkapi_pada ?? {P}.ditanggapi_pada)', P + '.diputuskan_pada')} <= 60"),
        (_jl_and(_jl_has(f"{P}.diputuskan_pada"), {"or": [_jl_has(f"{P}.dilengkapi_pada"), _jl_has(f"{P}.ditanggapi_pada")]}),
         {"if": [_jl_has(f"{P}.dilengkapi_pada"),
                 {"<=": [_jl_days(f"{P}.dilengkapi_pada", f"{P}.diputuskan_pada"), 60]},
                 {"<=": [_jl_days(f"{P}.ditanggapi_pada", f"{P}.diputuskan_pada"), 60]}]}),
        (f"'diputuskan_pada' in {P} and ('dilengkapi_pada' in {P} or 'ditanggapi_pada' in {P})",
         f"{_re_days(_RE_LENGKAP, _rp('diputuskan_pada'))} <= 60"),
        severity="high",
        examples={"pass": [{"ditanggapi_pada": "2024-01-09T10:27:00+07:00", "diputuskan_pada": "2024-03-09T10:27:00+07:00"}],
                  "fail": [{"ditanggapi_pada": "2024-01-09T10:27:00+07:00", "diputuskan_pada": "2024-03-10T10:27:00+07:00"}]},
    ),
    Check(
        "B-50-2", "pengaduan", "Putusan disampaikan paling lambat 14 hari sejak diputuskan",
        "Decision delivered within 14 days of being made",
        {"act": "UU 25/2009", "article": "50", "paragraph": "2"}, floor_penyampaian,
        f"has({P}.diputuskan_pada)",
        f"has({P}.putusan_disampaikan_pada) ? hari({P}.diputuskan_pada, {P}.putusan_disampaikan_pada)"
        f" <= param.batas_penyampaian_putusan : hari({P}.diputuskan_pada, as_of) <= param.batas_penyampaian_putusan",
        (f"has({P}.diputuskan_pada)",
         (f"has({P}.putusan_disampaikan_pada) ? {_cel_days(P + '.diputuskan_pada', P + '.putusan_disampaikan_pada')} <= 14"
         f" : as_of_day - {_cel_day(P + '.diputuskan_pada')} <= 14")),
        (f"{P}.diputuskan_pada != null",
         (f"{P}.putusan_disampaikan_pada != null ? {_zen_days(P + '.diputuskan_pada', P + '.putusan_disampaikan_pada')} <= 14"
         f" : as_of_day - {_zen_day(P + '.diputuskan_pada')} <= 14")),
        (_jl_has(f"{P}.diputuskan_pada"),
         {"if": [_jl_has(f"{P}.putusan_disampaikan_pada"),
                 {"<=": [_jl_days(f"{P}.diputuskan_pada", f"{P}.putusan_disampaikan_pada"), 14]},
                 {"<=": [{"-": [_v("as_of_day"), _jl_day(f"{P}.diputuskan_pada")]}, 14]}]}),
        (f"'diputuskan_pada' in {P}",
         (f"('putusan_disampaikan_pada' in {P}) ? ({_re_days(_rp('diputuskan_pada'), _rp('putusan_disampaikan_pada'))} <= 14)"
         f" : (as_of_day - {_re_day(_rp('diputuskan_pada'))} <= 14)")),
        severity="high",
        examples={"pass": [{"diputuskan_pada": "2024-01-09T10:27:00+07:00", "putusan_disampaikan_pada": "2024-01-23T10:27:00+07:00"}],
                  "fail": [{"diputuskan_pada": "2024-01-09T10:27:00+07:00", "putusan_disampaikan_pada": "2024-01-24T10:27:00+07:00"}]},
    ),
    Check(
        "B-biaya-aduan", "pengaduan", "Penanganan pengaduan tidak dipungut biaya", "No fee is charged for handling a complaint",
        {"act": "UU 25/2009", "article": "36", "paragraph": "1"}, floor_biaya_pengaduan,
        None, f"!has({P}.biaya_dipungut) || {P}.biaya_dipungut == 0",
        (None, f"!has({P}.biaya_dipungut) || {P}.biaya_dipungut == 0"),
        (None, f"({P}.biaya_dipungut ?? 0) == 0"),
        (None, {"or": [{"===": [_v(f"{P}.biaya_dipungut"), None]}, {"==": [_v(f"{P}.biaya_dipungut"), 0]}]}),
        (None, f"not 'biaya_dipungut' in {P} or {P}['biaya_dipungut'] == 0"),
        severity="low",
        examples={"pass": [{"biaya_dipungut": 0}], "fail": [{"biaya_dipungut": 25000}]},
    ),
)

#: why a peer cannot express a check (printed by the runner)
CANNOT: dict[str, str] = {
    "json-logic": "JsonLogic has no trim and no regular expressions, so it cannot tell blank text "
                  "(\"  \") from text, nor test a name pattern",
}


def by_entity(entity: str) -> list[Check]:
    return [c for c in CHECKS if c.entity == entity]


# ------------------------------------------------------------------------ the bench ruleset

_RULESET_YAML = """\
id: bench
title:
  id: Aturan tolok ukur (benchmark) layanan-rules
  en: layanan-rules benchmark rules
version: 0.1.0
description:
  id: Pemeriksaan yang sama dengan bench/rules.py, untuk mengukur kecepatan mesin. Dibuat oleh bench/rules.py.
  en: The same checks as bench/rules.py, to measure the engine. Generated by bench/rules.py --write-ruleset.
parameters:
"""


def write_ruleset(folder: str) -> None:
    """Write ``ruleset.yaml`` and ``rules.yaml`` of the bench ruleset from :data:`CHECKS`."""
    import pathlib

    import yaml

    out = pathlib.Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    head = _RULESET_YAML
    for name, value in PARAMS.items():
        head += f"  {name}:\n    value: {value}\n    unit: hari\n    title: {{id: {name}, en: {name}}}\n"
    (out / "ruleset.yaml").write_text(head, encoding="utf-8")
    rules = []
    for c in CHECKS:
        r: dict[str, Any] = {
            "id": c.id,
            "title": {"id": c.title_id, "en": c.title_en},
            "legal_basis": [c.basis],
            "applies_to": c.entity,
        }
        if c.when:
            r["when"] = c.when
        r["require"] = c.require
        r["severity"] = c.severity
        r["remedy"] = {"id": "Lengkapi data / perbaiki praktik.", "en": "Complete the data / fix the practice."}
        if c.examples:
            r["examples"] = dict(c.examples)
        rules.append(r)
    text = "# Generated by `python bench/rules.py --write-ruleset`; edit bench/rules.py, not this file.\n"
    text += yaml.safe_dump(rules, sort_keys=False, allow_unicode=True, width=110)
    (out / "rules.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    import pathlib
    import sys

    if "--write-ruleset" in sys.argv:
        write_ruleset(str(pathlib.Path(__file__).resolve().parent / "ruleset"))
        print("wrote bench/ruleset/")
