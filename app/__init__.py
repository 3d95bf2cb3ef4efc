"""Melek: the USSD/SMS back end of East Kalimantan's field handsets."""

from __future__ import annotations

from typing import Any

from dotenv import load_dotenv
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then environment (and .env), then `config`; then each part."""
    from app import api, backoffice, console, database, errors, logs, metrics, sessions
    from app import config as settings
    from app.cli import admins, broadcast, handsets, jobs, officials, seed, worker
    from app.cli import sms as sms_cli
    from app.health import bp as health_bp
    from app.registry import lookup
    from app.sms import outbox
    from app.webhooks import kannel, sms, ussd

    load_dotenv(override=False)
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(settings.load(app.instance_path, config))
    app.config["TESTING"] = bool(app.config.get("TESTING")) or app.config["MELEK_ENV"] == "testing"
    if app.config["DATABASE_URL"].startswith("sqlite:///"):
        import os

        os.makedirs(app.instance_path, exist_ok=True)

    logs.init_app(app)
    sessions.init_app(app)
    metrics.init_app(app)
    errors.init_app(app)
    database.init_app(app)
    outbox.init_app(app)
    lookup.init_app(app)
    seed.init_app(app)
    handsets.init_app(app)
    admins.init_app(app)
    officials.init_app(app)
    jobs.init_app(app)
    worker.init_app(app)
    backoffice.init_app(app)
    broadcast.init_app(app)
    sms_cli.init_app(app)
    app.register_blueprint(health_bp)
    ussd.init_app(app)
    app.register_blueprint(sms.bp)
    app.register_blueprint(kannel.bp)
    api.init_app(app)
    console.init_app(app)
    if hops := app.config["PROXY_HOPS"]:  # outermost: the webhook guard must see the caller's address
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app
