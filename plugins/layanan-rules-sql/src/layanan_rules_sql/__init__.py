"""layanan-rules-sql: read provider data from PostgreSQL, MariaDB/MySQL or SQLite.

Registered through the ``layanan_rules`` entry-point group like any third-party plugin::

    [project.entry-points.layanan_rules]
    sql = "layanan_rules_sql"
"""

from __future__ import annotations

from layanan_rules import hookimpl
from layanan_rules_sql.adapter import SqlAdapter

__all__ = ["SqlAdapter"]


@hookimpl
def register_adapters() -> list[type]:
    return [SqlAdapter]
