"""Shared constants for the core tests (importable because pytest's ``pythonpath`` includes tests/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_JSON = ROOT / "examples" / "dinas-contoh.json"
AS_OF = dt.date(2025, 1, 31)
