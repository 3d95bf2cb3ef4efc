"""Back office: where Melek meets the government's records (adapter chosen by BACKOFFICE)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from app.backoffice.base import BackOffice
from app.config import ConfigError, require_https

DEFAULTS: dict[str, Any] = {
    "BACKOFFICE": "sql",
    "BACKOFFICE_URL": None,
    "BACKOFFICE_TOKEN": None,
    "BACKOFFICE_CONNECT_TIMEOUT": 2.0,
    "BACKOFFICE_READ_TIMEOUT": 5.0,
    "BACKOFFICE_RETRIES": 2,
    "BACKOFFICE_BREAKER_THRESHOLD": 5,
    "BACKOFFICE_BREAKER_COOLOFF": 30.0,
    "CRISIS_ESCALATE_AFTER": 900,
}
# Enqueue `workers.reports.*` with this timeout: a killed worker's job is retried once its
# heartbeat (timeout + 60 s) lapses, so 30 s keeps recovery under the two minutes promised.
JOB_TIMEOUT = 30
NUMBERS = {k: type(v) for k, v in DEFAULTS.items() if isinstance(v, int | float)}


def _sql(app: Flask) -> BackOffice:
    from app.backoffice.sql import SqlBackOffice

    return SqlBackOffice()


def _http(app: Flask) -> BackOffice:
    from app.backoffice.http import HttpBackOffice

    return HttpBackOffice.from_app(app)


# Adding a back office is adding an entry here (healthchecks' integrations registry style).
BACKOFFICES: dict[str, Callable[[Flask], BackOffice]] = {"sql": _sql, "http": _http}


def get_backoffice(app: Flask | None = None) -> BackOffice:
    """The configured back office for this app."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return BACKOFFICES[app.config["BACKOFFICE"]](app)


def init_app(app: Flask) -> None:
    """Settings (explicit config, then environment, then defaults), checked; CLI commands."""
    from app.backoffice import cli

    for key, default in DEFAULTS.items():
        if key in app.config:
            continue
        raw = os.environ.get(key) or None
        try:
            app.config[key] = NUMBERS[key](raw) if raw is not None and key in NUMBERS else raw or default
        except ValueError:
            raise ConfigError(f"{key} must be a number, got {raw!r}.") from None
    if app.config["BACKOFFICE"] not in BACKOFFICES:
        raise ConfigError(f"BACKOFFICE must be one of {', '.join(BACKOFFICES)}.")
    if app.config["BACKOFFICE"] == "http" and not app.config["BACKOFFICE_URL"]:
        raise ConfigError("BACKOFFICE=http needs BACKOFFICE_URL.")
    require_https(app.config, "BACKOFFICE_URL")
    cli.init_app(app)
