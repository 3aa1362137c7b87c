"""``layanan-rules serve``: the same engine over HTTP, for systems not written in Python.

- :mod:`~layanan_rules.server.app`: the API as a plain function, :meth:`App.handle` (the core);
- :mod:`~layanan_rules.server.messages`: responses, error codes, reading request bodies;
- :mod:`~layanan_rules.server.forms`: ``POST /v1/report``, a workbook upload rendered as a report;
- :mod:`~layanan_rules.server.web`: the pages for people (upload form, errors, API docs);
- :mod:`~layanan_rules.server.pool`: the worker processes and the per-request budgets;
- :mod:`~layanan_rules.server.asgi`: the ASGI application (Starlette) with metrics, logs, auth;
- :mod:`~layanan_rules.server.run`: :func:`serve`, which runs it all on uvicorn.

Only :mod:`app` is imported here: Starlette and uvicorn load when a server is started.
"""

from layanan_rules.server.app import App, BrokenRuleset, json_value, load_rulesets, rule_dict
from layanan_rules.server.messages import (
    DEFAULT_HOST,
    DEFAULT_MAX_BODY,
    DEFAULT_PORT,
    ERROR_CODES,
    ApiError,
    Response,
)

__all__ = ["DEFAULT_HOST", "DEFAULT_MAX_BODY", "DEFAULT_PORT", "ERROR_CODES", "ApiError", "App", "BrokenRuleset",
           "Response", "Settings", "json_value", "load_rulesets", "rule_dict", "serve"]


def __getattr__(name: str) -> object:
    if name in ("serve", "Settings"):  # the server itself: imported only when asked for
        from layanan_rules.server import run

        return getattr(run, name)
    raise AttributeError(name)
