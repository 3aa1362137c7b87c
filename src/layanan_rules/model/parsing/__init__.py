"""Indonesian values as people really write them: pure functions, no I/O.

The core converter calls these when a string arrives where the model wants a date, a number, a
duration, a fee, a yes/no or a list; every adapter gets the same reading. Each function either
returns a value or raises :class:`ParseError` with a bilingual message that says what was
expected. Nothing else is ever raised (a property test holds that), so a caller can turn a
:class:`ParseError` into a data-quality finding that names the cell.

Readings, in short:

* dates are **day-first** (``7/1/2015`` is 7 January): Indonesian registers, LAPOR! exports and
  Excel with an Indonesian locale all write them so. ISO ``2024-01-09`` is accepted too.
* numbers use the Indonesian separators: ``1.234.567`` is an integer, ``1.234,5`` a decimal.
  A lone ``1.5`` (a dot followed by anything but three digits) is read as a decimal point.
* naive times are Western Indonesian Time (``Asia/Jakarta``); ``WIB``/``WITA``/``WIT`` suffixes
  are honoured.
* counts may carry their words and what they count: ``4 (empat) orang``, ``empat orang``; the
  digits win when the words disagree (:func:`read_number` says so).
* a date of which only the month or year is known (``Januari 2021``, ``2021``) is a partial date
  (:func:`parse_partial_date`), with its precision.
* a completion time, a fee or a list of requirements may hold several cases (``Umum: Rp 50.000;
  Peserta BPJS: ditanggung penjamin``); each case keeps its label, and text that is neither a
  value, a label nor a word that adds nothing is kept as ``tak_terbaca`` with a note in
  ``catatan``: a cell is never silently cut to its first value.
"""

# One module per kind of value; this package names the public readers so that callers write
# ``from layanan_rules.model import parsing`` and ``parsing.parse_date(...)`` as before.
#   common     ParseError and the text of a cell (_text, _shorten, _MAX_LEN)
#   dates      WIB/WITA/WIT, dates, date-times, partial dates and the converter's fast paths
#   numbers    numbers, counts with their words, rupiah
#   cases      the shared reader of cells that hold several cases
#   biaya      fees                   durasi   completion times
#   yesno      yes/no answers         lists    lists and requirements
#   peraturan  regulations            maklumat the elements of a maklumat pelayanan
#   peserta    participants in drafting a service standard (PP 96/2012 Pasal 23 ayat (1))
# The modules import one another downwards only (common <- dates, numbers <- cases <- lists <-
# peraturan <- biaya <- durasi); lint-imports holds that there is no cycle.

from __future__ import annotations

from layanan_rules.model.parsing.biaya import parse_biaya
from layanan_rules.model.parsing.common import ParseError
from layanan_rules.model.parsing.dates import WIB, WIT, WITA, parse_date, parse_datetime, parse_partial_date
from layanan_rules.model.parsing.dates import fast_numeric_datetime as fast_numeric_datetime
from layanan_rules.model.parsing.dates import fast_word_date as fast_word_date
from layanan_rules.model.parsing.durasi import duration_in_days as duration_in_days
from layanan_rules.model.parsing.durasi import parse_jangka_waktu
from layanan_rules.model.parsing.lists import parse_list, parse_persyaratan
from layanan_rules.model.parsing.maklumat import MAKLUMAT_ELEMENTS as MAKLUMAT_ELEMENTS
from layanan_rules.model.parsing.maklumat import unsur_maklumat
from layanan_rules.model.parsing.numbers import parse_number, parse_rupiah, read_number, words_to_number
from layanan_rules.model.parsing.peraturan import parse_peraturan, parse_peraturan_list
from layanan_rules.model.parsing.peserta import PESERTA_GROUPS as PESERTA_GROUPS
from layanan_rules.model.parsing.peserta import PESERTA_PP23 as PESERTA_PP23
from layanan_rules.model.parsing.peserta import unsur_peserta
from layanan_rules.model.parsing.yesno import parse_bool

__all__ = [
    "WIB",
    "WIT",
    "WITA",
    "ParseError",
    "parse_biaya",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_jangka_waktu",
    "parse_list",
    "parse_number",
    "parse_partial_date",
    "parse_peraturan",
    "parse_peraturan_list",
    "parse_persyaratan",
    "parse_rupiah",
    "read_number",
    "unsur_maklumat",
    "unsur_peserta",
    "words_to_number",
]
