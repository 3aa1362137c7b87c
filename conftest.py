"""Settings for every test of the repository (core and plugins)."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config) -> None:
    # Compiled expressions are cached on disk (layanan_rules.expr.cache): tests use a fresh folder
    # of their own, never the user's ~/.cache.
    if "LAYANAN_RULES_CACHE_DIR" not in os.environ:
        os.environ["LAYANAN_RULES_CACHE_DIR"] = tempfile.mkdtemp(prefix="layanan-rules-cache-")
