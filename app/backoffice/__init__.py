"""Back office: where Melek meets the government's records (adapter chosen by BACKOFFICE)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from app.backoffice.base import BackOffice
from app.config import ConfigError, require_https

# Enqueue `workers.reports.*` with this timeout: a killed worker's job is retried once its
# heartbeat (timeout + 60 s) lapses, so 30 s keeps recovery under the two minutes promised.
JOB_TIMEOUT = 30


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
    """Check the choice of back office (settings are declared in app/config.py); CLI commands."""
    from app.backoffice import cli

    if app.config["BACKOFFICE"] not in BACKOFFICES:
        raise ConfigError(f"BACKOFFICE must be one of {', '.join(BACKOFFICES)}.")
    if app.config["BACKOFFICE"] == "http" and not app.config["BACKOFFICE_URL"]:
        raise ConfigError("BACKOFFICE=http needs BACKOFFICE_URL.")
    require_https(app.config, "BACKOFFICE_URL")
    cli.init_app(app)
