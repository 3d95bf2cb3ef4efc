"""Logs as one JSON object per line, with the request id; nothing secret goes in."""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from typing import Any

from flask import Flask, g, has_app_context, request

request_log = logging.getLogger("melek.request")
STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a record as JSON; `extra=` fields are included as keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if has_app_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        entry.update({k: v for k, v in record.__dict__.items() if k not in STANDARD})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(level: str) -> None:
    """Install the JSON handler on the root logger once (called from init_app, not import)."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)


def request_id(given: str) -> str:
    """The caller's X-Request-Id when it is sane (alphanumeric, at most 64), else a new one."""
    return given if given.isalnum() and len(given) <= 64 else uuid.uuid4().hex


# RQ's routine messages, logged at DEBUG instead of INFO: a terminal running `make run` shows
# workers starting, jobs completing and what went wrong, not every registry sweep.
RQ_ROUTINE = (
    "Worker %s: cleaning registries",
    "Worker %s: cleaning group registries",
    "Worker %s: subscribing to channel",
    "Worker %s: unsubscribing from channel",
    "Worker %s: %s: %s",  # a job dequeued; "Successfully completed" follows at INFO
    "Worker %s: job %s result",
    "Acquired scheduler lock",
)


class RoutineAtDebug(logging.Filter):
    """Demote RQ's routine INFO messages to DEBUG (dropped unless the root logs DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and isinstance(record.msg, str) and record.msg.startswith(RQ_ROUTINE):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger().isEnabledFor(logging.DEBUG)
        return True


def quiet_rq() -> None:
    """Install RoutineAtDebug on RQ's worker and scheduler loggers (once)."""
    for name in ("rq.worker", "rq.scheduler"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RoutineAtDebug) for f in logger.filters):
            logger.addFilter(RoutineAtDebug())


def init_app(app: Flask) -> None:
    """Give every request an id (the caller's X-Request-Id when sane), JSON logs, one line per request."""
    if not app.testing:
        configure(app.config["LOG_LEVEL"])

    @app.before_request
    def _request_id() -> None:
        g.started = time.perf_counter()
        g.request_id = request_id(request.headers.get("X-Request-Id", ""))

    @app.after_request
    def _log_request(response: Any) -> Any:
        """The request's one log line; the path without its query string (it may carry the token)."""
        if "request_id" in g:
            response.headers["X-Request-Id"] = g.request_id
        if request_log.isEnabledFor(logging.INFO):
            seconds = time.perf_counter() - g.started if "started" in g else 0.0
            request_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 2),
                },
            )
        return response
