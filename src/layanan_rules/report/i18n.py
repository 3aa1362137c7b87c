"""Human text for reports, Indonesian first and English second, and number/date formatting.

``id`` writes numbers and dates the Indonesian way (``1.234,5``; ``31 Januari 2025``), ``en``
the English way (``1,234.5``; ``31 January 2025``). Reporters take every human string from
:data:`STRINGS` through :func:`t`, so ``--lang`` switches all of them at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

LANGS = ("id", "en")

_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}

#: key -> (Indonesian, English)
STRINGS: dict[str, tuple[str, str]] = {
    # states
    "state.pass": ("lulus", "pass"),
    "state.fail": ("gagal", "fail"),
    "state.not_applicable": ("tidak berlaku", "not applicable"),
    "state.error": ("galat", "error"),
    "state.waived": ("dikecualikan", "waived"),
    # zones
    "zone.hijau": ("Hijau", "Green"),
    "zone.kuning": ("Kuning", "Yellow"),
    "zone.merah": ("Merah", "Red"),
    "zone.none": ("data tidak cukup", "too little data"),
    # levels
    "level.total": ("Keseluruhan", "Overall"),
    "level.wilayah": ("Wilayah", "Region"),
    "level.penyelenggara": ("Penyelenggara", "Provider"),
    "level.unit": ("Unit", "Unit"),
    "level.chapter": ("Bab / kelompok aturan", "Chapter / rule group"),
    # headings and labels
    "title": ("Laporan Kepatuhan Pelayanan Publik", "Public Service Compliance Report"),
    "ruleset": ("Ruleset", "Ruleset"),
    "as_of": ("per tanggal", "as of"),
    "summary": ("Ringkasan", "Summary"),
    "score": ("Skor", "Score"),
    "zone": ("Zona", "Zone"),
    "scores": ("Skor dan zona", "Scores and zones"),
    "findings": ("Temuan", "Findings"),
    "finding": ("Temuan", "Finding"),
    "all_findings": ("Semua temuan", "All findings"),
    "rule": ("Aturan", "Rule"),
    "entity": ("Entitas", "Entity"),
    "entity_id": ("ID entitas", "Entity id"),
    "unit": ("Unit", "Unit"),
    "penyelenggara": ("Penyelenggara", "Provider"),
    "wilayah": ("Wilayah", "Region"),
    "chapter": ("Bab", "Chapter"),
    "state": ("Status", "State"),
    "severity": ("Tingkat", "Severity"),
    "legal_basis": ("Dasar hukum", "Legal basis"),
    "article_text": ("Bunyi pasal", "Article text"),
    "sanction": ("Sanksi", "Sanction"),
    "remedy": ("Perbaikan", "Remedy"),
    "evidence": ("Bukti", "Evidence"),
    "no_value": ("(kosong)", "(empty)"),
    "provenance": ("Sumber data", "Data source"),
    "reason": ("Alasan", "Reason"),
    "message": ("Keterangan", "Message"),
    "waiver": ("Pengecualian", "Waiver"),
    "waiver_expired": ("waiver kedaluwarsa", "waiver expired"),
    "waiver_active": ("dikecualikan", "waived"),
    "attested": ("dinyatakan manual (atestasi)", "attested manually"),
    "attestation": ("Atestasi", "Attestation"),
    "approver": ("Disetujui oleh", "Approved by"),
    "valid": ("Berlaku", "Valid"),
    "until": ("s.d.", "to"),
    "evidence_ref": ("Rujukan bukti", "Evidence reference"),
    "date": ("Tanggal", "Date"),
    "by": ("oleh", "by"),
    "counts": ("Jumlah per status", "Counts per state"),
    "scored": ("dinilai", "scored"),
    "excluded": ("tidak dinilai (galat, tidak berlaku, dikecualikan)", "not scored (error, not applicable, waived)"),
    "too_little_data": ("data tidak cukup", "too little data"),
    "min_scored": ("minimal temuan yang dinilai", "minimum scored findings"),
    "records": ("Record", "Records"),
    "data_issues": ("Masalah data", "Data issues"),
    "skipped": ("Dilewati (bukan data)", "Skipped (not data)"),
    # data issue kinds (DataIssue.kind); a kind missing here is shown as it is
    "issue_malformed_value": ("nilai tidak terbaca", "value not readable"),
    "issue_partly_read": ("sel terbaca sebagian", "cell read in part"),
    "issue_partial_date": ("tanggal tidak lengkap", "partial date"),
    "issue_unrecognised_column": ("kolom tidak dikenali, mirip komponen", "column not recognised, looks like a component"),
    "issue_header_guessed": ("judul kolom ditebak", "column header guessed"),
    "issue_entity_guessed": ("entitas ditebak dari judul kolom", "entity guessed from the column headers"),
    "issue_unrecognised_headers": ("judul kolom tidak dikenali", "column headers not recognised"),
    "issue_unknown_field": ("kolom tidak dikenal, nilainya diabaikan", "unknown column, values ignored"),
    "issue_unknown_entity": ("entitas tidak dikenal", "unknown entity"),
    "issue_duplicate_id": ("id ganda", "duplicate id"),
    "issue_orphan": ("tautan ke record yang tidak ada", "link to a missing record"),
    "issue_missing_id": ("record tanpa id", "record without id"),
    "issue_adapter_note": ("catatan pembaca data", "reader's note"),
    "issue_source_unavailable": ("sumber tidak terbaca", "source not readable"),
    "skipped_instructions": ("sheet petunjuk", "instruction sheet"),
    "skipped_example_rows": ("baris contoh templat", "template example rows"),
    "skipped_blank_rows": ("baris kosong", "blank rows"),
    "skipped_title_rows": ("baris judul di atas header", "title rows above the header"),
    "skipped_non_data_sheet": ("sheet bukan data", "non-data sheets"),
    "skipped_empty_sheet": ("sheet kosong", "empty sheets"),
    "skipped_row_number_column": ("kolom nomor urut", "row-number columns"),
    "hidden_sheet_read": ("sheet tersembunyi yang tetap dibaca", "hidden sheets read"),
    "not_evaluated": ("Tidak dievaluasi", "Not evaluated"),
    "search": ("Cari temuan (aturan, unit, pasal, teks)…", "Search findings (rule, unit, article, text)…"),
    "all": ("Semua", "All"),
    "all_states": ("Semua status", "All states"),
    "all_units": ("Semua unit", "All units"),
    "all_chapters": ("Semua bab", "All chapters"),
    "all_severities": ("Semua tingkat", "All severities"),
    "shown": ("ditampilkan", "shown"),
    "no_problems": ("Tidak ada kegagalan atau galat.", "No failures or errors."),
    "more_records": ("lagi", "more"),
    "records_capped": (("Ditampilkan {shown} dari {n} rekaman yang perlu ditindaklanjuti (di terminal: paling "
                        "banyak {per_rule} per aturan dan unit); semuanya dengan --format html|csv|parquet, atau "
                        "alihkan keluaran ke berkas"),
                       ("{shown} of {n} records needing action shown (on a terminal: at most {per_rule} per rule "
                        "and unit); all of them with --format html|csv|parquet, or redirect the output to a file")),
    "evidence_left_out": (("Bukti tidak ditulis di sini untuk {n} rekaman (lebih dari {most}); buktinya ada di "
                           "--format json|csv|html|parquet"),
                          ("Evidence not written here for {n} records (more than {most}); it is in "
                           "--format json|csv|html|parquet")),
    "problems": ("Kegagalan dan galat", "Failures and errors"),
    "compliance_per_chapter": ("Kepatuhan per bab / kelompok aturan", "Compliance per chapter / rule group"),
    "compliance_per_unit": ("Kepatuhan per unit", "Compliance per unit"),
    "zone_bands": ("Pita zona", "Zone bands"),
    "zone_basis": ("Dasar pita zona", "Basis of the zone bands"),
    "generated_by": ("Dibuat oleh layanan-rules", "Made by layanan-rules"),
    "calendar": ("Kalender hari kerja", "Working-day calendar"),
    "disclaimer": (
        "Bukan nasihat hukum; periksa teks resmi sebelum menjatuhkan sanksi.",
        "Not legal advice; check the official text before imposing any sanction.",
    ),
    "personal_masked": ("data pribadi disamarkan", "personal data masked"),
    "weights": ("Bobot", "Weights"),
    "pass_rate": ("tingkat lulus", "pass rate"),
    "new": ("Baru", "New"),
    "resolved": ("Selesai", "Resolved"),
    "changed": ("Berubah", "Changed"),
    "unchanged": ("tidak berubah", "unchanged"),
    "score_change": ("Perubahan skor", "Score change"),
    "comparison": ("Perbandingan laporan", "Report comparison"),
    "old": ("lama", "old"),
    "now": ("baru", "new"),
    "none": ("tidak ada", "none"),
    "filter_state": ("Status", "State"),
    "filter_unit": ("Unit", "Unit"),
    "filter_chapter": ("Bab", "Chapter"),
    "filter_severity": ("Tingkat", "Severity"),
    "worst_first": ("terburuk di atas", "worst first"),
    "not_scored_note": (
        ("Temuan galat, tidak berlaku dan dikecualikan tidak dinilai; skor dari kurang dari {n} temuan yang "
        "dinilai ditandai 'data tidak cukup'."),
        ("Errors, not-applicable and waived findings are not scored; a score over fewer than {n} scored findings "
        "is marked 'too little data'."),
    ),
    "rules_cited": ("Aturan yang dirujuk", "Rules cited"),
    "omitted": (
        ("{n} temuan lulus atau tidak berlaku tidak dicantumkan agar halaman tetap ringan; semuanya ada di laporan "
        "JSON, CSV atau XLSX."),
        ("{n} passing or not-applicable findings are not listed, to keep the page light; every one is in the JSON, "
        "CSV or XLSX report."),
    ),
    "needs_action": ("Perlu tindakan", "Needs action"),
    "scope": ("Lingkup", "Scope"),
    "matrix": ("Matriks pemenuhan aturan × unit", "Rule × unit fulfilment matrix"),
    "matrix_note": ("Sel: lulus/dinilai; merah bila ada yang gagal; – tidak dinilai. Unit terburuk di kiri.",
                    "Cell: passed/scored; red where any fails; – not scored. Worst unit on the left."),
    "capped": (
        ("Ditampilkan {shown} terburuk dari {n} temuan yang perlu tindakan; daftar lengkap: --format csv atau "
         "--format parquet."),
        "Showing the worst {shown} of {n} findings that need action; the full list: --format csv or --format parquet.",
    ),
    "full_list": ("Unduh daftar lengkap", "Download the full list"),
    "capped_linked": ("Ditampilkan {shown} terburuk dari {n} temuan yang perlu tindakan.",
                      "Showing the worst {shown} of {n} findings that need action."),
    "report_id": ("Sidik laporan (SHA-256 sumber data)", "Report fingerprint (SHA-256 of the source)"),
    "scores_capped": ("{level}: {shown} terburuk dari {n}; semua skor ada di laporan json, xlsx dan markdown.",
                      "{level}: the worst {shown} of {n}; every score is in the json, xlsx and markdown reports."),
    "chart_capped": ("{shown} unit terburuk dari {n}; skor setiap unit ada di tabel skor dan laporan json/xlsx.",
                     "The worst {shown} of {n} units; every unit's score is in the score table and the json/xlsx reports."),
    "generated": ("dibuat", "generated"),
}

MASK = {"id": "••• (data pribadi)", "en": "••• (personal data)"}


def t(key: str, lang: str = "id") -> str:
    """The human string ``key`` in ``lang`` (``id`` or ``en``); an unknown key is returned as is."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def both(key: str) -> str:
    """``"Indonesian / English"`` for places that are always bilingual (stderr diagnostics)."""
    pair = STRINGS.get(key, (key, key))
    return f"{pair[0]} / {pair[1]}"


def state_label(state: Any, lang: str = "id") -> str:
    return t(f"state.{getattr(state, 'value', state)}", lang)


_SEVERITY = {"critical": ("kritis", "critical"), "high": ("tinggi", "high"), "medium": ("sedang", "medium"),
             "low": ("rendah", "low"), "info": ("info", "info")}


def severity_label(severity: Any, lang: str = "id") -> str:
    """A rule's severity in the report's language (``high`` -> ``tinggi``)."""
    value = str(getattr(severity, "value", severity))
    pair = _SEVERITY.get(value)
    return value if pair is None else pair[1 if lang == "en" else 0]


def zone_label(zone: str | None, lang: str = "id", label: Any = None) -> str:
    """The zone's name to show: ``Hijau``/``Green`` for the built-in names, else the ruleset's label."""
    if not zone:
        return t("zone.none", lang)
    if f"zone.{zone}" in STRINGS:
        return t(f"zone.{zone}", lang)
    return text_of(label, lang) if label else zone


def fmt_number(value: float | None, lang: str = "id", decimals: int = 1) -> str:
    """``1234.5`` -> ``1.234,5`` (id) or ``1,234.5`` (en); ``None`` -> ``–``.

    Integers are written without decimals; trailing zeros are kept so columns line up.
    """
    if value is None:
        return "–"
    text = f"{value:,d}" if isinstance(value, int) and not isinstance(value, bool) else f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_date(value: dt.date | str | None, lang: str = "id") -> str:
    """``2025-01-31`` -> ``31 Januari 2025`` (id) or ``31 January 2025`` (en)."""
    if value is None:
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    months = _MONTHS["en" if lang == "en" else "id"]
    return f"{value.day} {months[value.month - 1]} {value.year}"


def text_of(value: Any, lang: str = "id") -> str:
    """A bilingual ``{"id": ..., "en": ...}`` (or a Text) in ``lang``; a plain string as is."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("en" if lang == "en" else "id") or value.get("id") or value.get("en") or "")
    if hasattr(value, "get") and hasattr(value, "id") and hasattr(value, "en"):
        return str(value.get(lang))
    return str(value)
