"""layanan-rules-http: read provider data from a paginated JSON HTTP API.

Registered through the ``layanan_rules`` entry-point group like any third-party plugin::

    [project.entry-points.layanan_rules]
    http = "layanan_rules_http"
"""

from __future__ import annotations

from layanan_rules import hookimpl
from layanan_rules_http.adapter import HttpAdapter

__all__ = ["HttpAdapter"]


@hookimpl
def register_adapters() -> list[type]:
    return [HttpAdapter]
