"""The server's logs: one JSON object per line on stderr, each with the request's id.

Access lines carry what an operator needs (route, method, status, milliseconds, sizes) and no
personal data: no client address, no user agent, no query string, no body, no header values,
and only the route's template, never the path a client typed (``/v1/rulesets/{id}/rules``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from contextvars import ContextVar
from typing import IO, Any

#: the id of the request being answered (per asyncio task in the front, per request in a worker)
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

access = logging.getLogger("layanan_rules.access")


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", ...fields, "traceback"}``."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")
        out: dict[str, Any] = {"time": stamp.replace("+00:00", "Z"), "level": record.levelname.lower(),
                               "logger": record.name, "message": record.getMessage()}
        rid = request_id.get()
        if rid:
            out["request_id"] = rid
        out.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def configure(*, quiet: bool = False, stream: IO[str] | None = None) -> None:
    """JSON lines on ``stream`` (stderr) for the server's and uvicorn's loggers; ``quiet``: no access lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("layanan_rules", "uvicorn", "py.warnings"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True  # ours carries the request id and no client address
    access.setLevel(logging.WARNING if quiet else logging.INFO)
    logging.captureWarnings(True)


def event(logger: logging.Logger, level: int, message: str, **fields: Any) -> None:
    """One log line with structured fields next to the message."""
    logger.log(level, message, extra={"fields": fields})
